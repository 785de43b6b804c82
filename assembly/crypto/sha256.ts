// SHA-256 (FIPS 180-4).
// Implementation notes: a context is SHA256_CTX bytes of caller-owned static
// memory: the state h0..h7 (32 bytes), the byte count (u64 at 32) and a
// 64-byte block buffer (at 40); the buffering lives in md.ts, shared with
// SHA-512. The message schedule is a rolling 16-word window (64 bytes of
// scratch instead of 256). SHA-256's K[i] is the top 32 bits of SHA-512's
// K[i] (both are cube roots of the same primes), so this file reads the high
// halves of sha512.ts's table: no K table of its own (256 bytes of RAM saved).
// The schedule scratch W is sha512.ts's too. The IV is the only table here:
// 32 bytes of data segment.

import { mdInit, mdUpdate, mdFinal } from "./md";
import { K512, W } from "./sha512";

export const SHA256_CTX: i32 = 104;
export const SHA256_LEN: i32 = 32;

const IV: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

// One 64-byte block into the state at st (used by md.ts).
export function compress256(st: usize, block: usize): void {
  let a = load<u32>(st), b = load<u32>(st, 4), c = load<u32>(st, 8), d = load<u32>(st, 12);
  let e = load<u32>(st, 16), f = load<u32>(st, 20), g = load<u32>(st, 24), h = load<u32>(st, 28);
  // j = 4 * round: byte offsets, so W[(i - k) & 15] is (j - 4k) & 60 and the
  // table bases ride in the loads' offset immediates (fewer Wasm ops).
  for (let j: usize = 0; j < 256; j += 4) {
    let w: u32;
    if (j < 64) {
      w = load<u32>(block + j);   // big-endian: bswap<u32> inline, not a call
      w = (rotr<u32>(w, 8) & 0xff00ff00) | (rotl<u32>(w, 8) & 0x00ff00ff);
    } else {
      const w15 = load<u32>((j - 60) & 60, W);
      const w2 = load<u32>((j - 8) & 60, W);
      w = load<u32>(j & 60, W) + load<u32>((j - 28) & 60, W) +
        (rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3)) +
        (rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10));
    }
    store<u32>(j & 60, w, W);
    const t1 = h + (rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25)) +
      (g ^ (e & (f ^ g))) + load<u32>(j << 1, K512 + 4) + w;  // high half of K512[i]
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

// The one-line entry points are @inline: under wasm3 every function costs
// ~120 B of RAM besides its code.
// @ts-ignore: decorator
@inline export function sha256Init(ctx: usize): void { mdInit(ctx, IV, false); }
export function sha256Update(ctx: usize, p: usize, n: usize): void { mdUpdate(ctx, p, n, false); }
export function sha256Final(ctx: usize, out: usize): void { mdFinal(ctx, out, 32, false); }
