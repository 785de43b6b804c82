// SHA-256 (FIPS 180-4).
// Implementation notes: a context is SHA256_CTX bytes of caller-owned static
// memory: the state h0..h7 (32 bytes), the byte count (u64 at 32) and a
// 64-byte block buffer (at 40); the buffer's fill is count & 63, so nothing
// else is stored. The message schedule is a rolling 16-word window (64 bytes
// of scratch instead of 256). K is the only table: 256 bytes of data segment.

export const SHA256_CTX: i32 = 104;
export const SHA256_LEN: i32 = 32;

const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const W: usize = memory.data(64);

function compress(st: usize, block: usize): void {
  let a = load<u32>(st), b = load<u32>(st, 4), c = load<u32>(st, 8), d = load<u32>(st, 12);
  let e = load<u32>(st, 16), f = load<u32>(st, 20), g = load<u32>(st, 24), h = load<u32>(st, 28);
  for (let i: usize = 0; i < 64; i++) {
    let w: u32;
    if (i < 16) {
      w = bswap<u32>(load<u32>(block + (i << 2)));
    } else {
      const w15 = load<u32>(W + (((i - 15) & 15) << 2));
      const w2 = load<u32>(W + (((i - 2) & 15) << 2));
      w = load<u32>(W + ((i & 15) << 2)) + load<u32>(W + (((i - 7) & 15) << 2)) +
        (rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3)) +
        (rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10));
    }
    store<u32>(W + ((i & 15) << 2), w);
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) +
      (g ^ (e & (f ^ g))) + load<u32>(K + (i << 2)) + w;
    const t2 = (rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22)) + ((a & b) | (c & (a | b)));
    h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(st, load<u32>(st) + a);
  store<u32>(st, load<u32>(st, 4) + b, 4);
  store<u32>(st, load<u32>(st, 8) + c, 8);
  store<u32>(st, load<u32>(st, 12) + d, 12);
  store<u32>(st, load<u32>(st, 16) + e, 16);
  store<u32>(st, load<u32>(st, 20) + f, 20);
  store<u32>(st, load<u32>(st, 24) + g, 24);
  store<u32>(st, load<u32>(st, 28) + h, 28);
}

export function sha256Init(ctx: usize): void {
  memory.copy(ctx, IV, 32);
  store<u64>(ctx, 0, 32);
}

export function sha256Update(ctx: usize, p: usize, n: usize): void {
  const count = load<u64>(ctx, 32);
  const buf = ctx + 40;
  let fill = <usize>(count & 63);
  store<u64>(ctx, count + <u64>n, 32);
  if (fill) {
    const take = min<usize>(64 - fill, n);
    memory.copy(buf + fill, p, take);
    fill += take; p += take; n -= take;
    if (fill < 64) return;
    compress(ctx, buf);
  }
  for (; n >= 64; n -= 64, p += 64) compress(ctx, p);
  if (n) memory.copy(buf, p, n);
}

export function sha256Final(ctx: usize, out: usize): void {
  const count = load<u64>(ctx, 32);
  const buf = ctx + 40;
  let fill = <usize>(count & 63);
  store<u8>(buf + fill++, 0x80);
  if (fill > 56) {
    memory.fill(buf + fill, 0, 64 - fill);
    compress(ctx, buf);
    fill = 0;
  }
  memory.fill(buf + fill, 0, 56 - fill);
  store<u64>(buf + 56, bswap<u64>(count << 3));
  compress(ctx, buf);
  for (let i: usize = 0; i < 32; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(ctx + i)));
}
