// Merkle-Damgard buffering shared by SHA-256 and SHA-512/384.
// Implementation notes: both contexts have the same shape, scaled by the
// state size S (32 for SHA-256, 64 for SHA-512): the state (S bytes), the
// message byte count (u64 at S) and a block buffer of 2S bytes (at S + 8).
// The buffer's fill is count mod 2S, so nothing else is stored. `wide`
// selects SHA-512's compression; it is public (the algorithm, not data).
// One copy of this code instead of one per hash saves 125 bytes of Wasm code
// (measured on the hash exports) and costs SHA-256 0.2 % per block (QEMU
// icount: 72.6 K instead of 72.5 K emulated instructions, before the
// compression loops moved to byte offsets: 63.9 K now).
import { compress256 } from "./sha256";
import { compress512, W } from "./sha512";
import { FULL } from "../config";

// @inline: keeps SHA-256's per-block cost at one extra branch.
@inline function compress(ctx: usize, block: usize, wide: bool): void {
  if (FULL && wide) compress512(ctx, block); else compress256(ctx, block);   // device: SHA-256 only
}

export function mdInit(ctx: usize, iv: usize, wide: bool): void {
  const s: usize = wide ? 64 : 32;
  memory.copy(ctx, iv, s);
  store<u64>(ctx + s, 0);
}

export function mdUpdate(ctx: usize, p: usize, n: usize, wide: bool): void {
  const s: usize = wide ? 64 : 32, bs = s << 1;
  const count = load<u64>(ctx + s);
  const buf = ctx + s + 8;
  let fill = <usize>count & (bs - 1);
  store<u64>(ctx + s, count + <u64>n);
  if (fill) {
    const take = min<usize>(bs - fill, n);
    memory.copy(buf + fill, p, take);
    fill += take; p += take; n -= take;
    if (fill < bs) return;
    compress(ctx, buf, wide);
  }
  for (; n >= bs; n -= bs, p += bs) compress(ctx, p, wide);
  if (n) memory.copy(buf, p, n);
}

// Pads, compresses and writes the first outLen bytes of the state big-endian
// (out may be ctx itself; otherwise it must not overlap the state).
// The length field is 8 bytes (SHA-256) or 16 (SHA-512); its top half for
// SHA-512 stays zero: the byte count is a u64, so the bit length fits in 64
// bits for any message shorter than 2^61 bytes.
export function mdFinal(ctx: usize, out: usize, outLen: usize, wide: bool): void {
  const s: usize = wide ? 64 : 32, bs = s << 1;
  const count = load<u64>(ctx + s);
  const buf = ctx + s + 8;
  let fill = <usize>count & (bs - 1);
  store<u8>(buf + fill++, 0x80);
  if (fill > bs - (s >> 2)) {
    memory.fill(buf + fill, 0, bs - fill);
    compress(ctx, buf, wide);
    fill = 0;
  }
  memory.fill(buf + fill, 0, bs - 8 - fill);
  store<u64>(buf + bs - 8, bswap<u64>(count << 3));
  compress(ctx, buf, wide);
  // The buffer and the schedule window hold the message's tail (the schedule
  // is invertible): wipe both, so hashing a secret leaves only the digest.
  memory.fill(buf, 0, bs);
  memory.fill(W, 0, 128);
  if (FULL && wide) for (let i: usize = 0; i < outLen; i += 8) store<u64>(out + i, bswap<u64>(load<u64>(ctx + i)));
  else for (let i: usize = 0; i < outLen; i += 4) store<u32>(out + i, bswap<u32>(load<u32>(ctx + i)));
}
