// GHASH and the GCM counter (NIST SP 800-38D), used by aead.ts.
//
// Timing promise: CONSTANT TIME. The carry-less multiply uses integer
// multiplications "with holes": each 32-bit operand is split into four masks
// of every fourth bit, so a column of any partial product sums at most 8 ones
// and never carries into the next used bit; no table, no data-dependent branch.
//
// Implementation notes:
// - Field elements are kept as two u64 (hi = bytes 0..7 big-endian, lo =
//   bytes 8..15), i.e. GCM's bit-reflected polynomials as integers. The
//   integer carry-less product of two of them, shifted left by 1, is the
//   reflected 256-bit polynomial product: its high half holds degrees 0..127,
//   its low half degrees 128..255, reduced with x^128 = x^7 + x^2 + x + 1,
//   which in reflected form is a shift right by 0, 1, 2 and 7.
// - 128 x 128 is Karatsuba over 64 x 64, and each 64 x 64 Karatsuba over
//   32 x 32 (bmul32): 9 multiplies of 16 i64 products each.
// - gcmCounterBlocks fills two counter blocks and encrypts them: the keystream
//   comes in 32-byte pairs to match the two-block AES.

import { aesEncrypt2 } from "./aes";

let hiOut: u64 = 0;  // high half of the last clmul64

// Carry-less 32 x 32 -> 64.
function bmul32(x: u32, y: u32): u64 {
  const m0: u64 = 0x11111111, m1: u64 = 0x22222222, m2: u64 = 0x44444444, m3: u64 = 0x88888888;
  const x0 = <u64>x & m0, x1 = <u64>x & m1, x2 = <u64>x & m2, x3 = <u64>x & m3;
  const y0 = <u64>y & m0, y1 = <u64>y & m1, y2 = <u64>y & m2, y3 = <u64>y & m3;
  const z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
  const z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
  const z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
  const z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
  return (z0 & 0x1111111111111111) | (z1 & 0x2222222222222222)
    | (z2 & 0x4444444444444444) | (z3 & 0x8888888888888888);
}

// Carry-less 64 x 64 -> 128: returns the low half, leaves the high in hiOut.
function clmul64(x: u64, y: u64): u64 {
  const xl = <u32>x, xh = <u32>(x >> 32), yl = <u32>y, yh = <u32>(y >> 32);
  const lo = bmul32(xl, yl), hi = bmul32(xh, yh);
  const mid = bmul32(xl ^ xh, yl ^ yh) ^ lo ^ hi;
  hiOut = hi ^ (mid >> 32);
  return lo ^ (mid << 32);
}

// acc = (acc ^ block) * H. acc and h: 16 bytes each (hi u64, lo u64);
// block: 16 bytes as on the wire.
export function ghashBlock(acc: usize, h: usize, block: usize): void {
  const a1 = load<u64>(acc) ^ bswap<u64>(load<u64>(block));
  const a0 = load<u64>(acc, 8) ^ bswap<u64>(load<u64>(block, 8));
  const b1 = load<u64>(h), b0 = load<u64>(h, 8);
  // Karatsuba: (a1 b1) x^128 + ((a1+a0)(b1+b0) - a1 b1 - a0 b0) x^64 + a0 b0
  let p0 = clmul64(a0, b0);
  let p1 = hiOut;
  let p2 = clmul64(a1, b1);
  let p3 = hiOut;
  const m0 = clmul64(a0 ^ a1, b0 ^ b1) ^ p0 ^ p2;
  const m1 = hiOut ^ p1 ^ p3;
  p1 ^= m0;
  p2 ^= m1;
  // reflected product: shift the 256-bit value left by one
  p3 = (p3 << 1) | (p2 >> 63);
  p2 = (p2 << 1) | (p1 >> 63);
  p1 = (p1 << 1) | (p0 >> 63);
  p0 <<= 1;
  // fold the low half (degrees >= 128): x = L + the bits L >> k pushes out
  const x1 = p1 ^ (p0 << 63) ^ (p0 << 62) ^ (p0 << 57);
  const x0 = p0;
  store<u64>(acc, p3 ^ x1 ^ (x1 >> 1) ^ (x1 >> 2) ^ (x1 >> 7));
  store<u64>(acc, p2 ^ x0 ^ ((x0 >> 1) | (x1 << 63)) ^ ((x0 >> 2) | (x1 << 62)) ^ ((x0 >> 7) | (x1 << 57)), 8);
}

// Stores the 16 wire bytes of H = E(0^128) at h (hi u64, lo u64); uses
// ks (32 bytes) as scratch.
export function gcmHashKey(rk: usize, nr: i32, h: usize, ks: usize): void {
  memory.fill(ks, 0, 32);
  aesEncrypt2(rk, nr, ks, ks);
  store<u64>(h, bswap<u64>(load<u64>(ks)));
  store<u64>(h, bswap<u64>(load<u64>(ks, 8)), 8);
}

// Encrypts counter blocks J and J+1 into ks (32 bytes) and advances the
// 32-bit big-endian counter of J (16 bytes) by two.
export function gcmCounterBlocks(rk: usize, nr: i32, j: usize, ks: usize): void {
  const c = bswap<u32>(load<u32>(j, 12));
  memory.copy(ks, j, 12);
  store<u32>(ks, bswap<u32>(c), 12);
  memory.copy(ks + 16, j, 12);
  store<u32>(ks, bswap<u32>(c + 1), 28);
  store<u32>(j, bswap<u32>(c + 2), 12);
  aesEncrypt2(rk, nr, ks, ks);
}
