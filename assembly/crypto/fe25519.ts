// GF(2^255 - 19): the field under X25519 and Ed25519.
// Implementation notes: an element is FE (40) bytes of static memory holding
// ten signed i32 limbs in radix 2^25.5 (widths 26, 25, 26, 25, ...: limb i
// sits at bit ceil(25.5 i)). Products are formed in i64 (wasm3 does i64 mul
// inline; radix 2^51 would need 128-bit products). Every operation ends in one
// carry chain (feStore), so every element stays "carried": limbs in
// [0, 2^26) except limb 1, which may stray up to ~2^16 outside [0, 2^25)
// (the last carry, out of limb 0 after the x19 fold). With carried inputs a
// product term is below 2^52 * 38 and a column below 2^61, so add, sub and
// mul outputs can be fed to feMul without further care.
// Every function here runs in constant time (fixed loops, no data-dependent
// branch or index). Outputs may alias inputs.
// RAM: FE_TMP 160 B (pow chain) + T 40 B + BYTES 32 B + ZERO 40 B +
// FE_POOL 1040 B; constants 160 B.

export const FE: usize = 40;

// The scratch of X25519 and Ed25519 verification, which are never active at
// the same time (single-threaded module, neither calls the other): one pool
// sized for the larger (Ed25519: 25 elements + a 36-byte scalar = 1036 B).
export const FE_POOL_SIZE: usize = 1040;
export const FE_POOL: usize = memory.data(<i32>FE_POOL_SIZE);

const M26: i64 = 0x3ffffff;
const M25: i64 = 0x1ffffff;

// Scratch of the exponentiations (4 elements) and of feToBytes.
const FE_TMP: usize = memory.data(160);
const A: usize = FE_TMP, B: usize = FE_TMP + 40, C: usize = FE_TMP + 80, D: usize = FE_TMP + 120;
const T: usize = memory.data(40);
const BYTES: usize = memory.data(32);
const ZERO: usize = memory.data(40);
// 2p in limbs: 2 (2^26 - 19), 2 (2^25 - 1), 2 (2^26 - 1), ...
const TWO_P: usize = memory.data<i32>([0x7ffffda, 0x3fffffe, 0x7fffffe, 0x3fffffe, 0x7fffffe, 0x3fffffe, 0x7fffffe, 0x3fffffe, 0x7fffffe, 0x3fffffe]);

// Curve constants as carried limbs (edwards25519 d, 2d and sqrt(-1)).
export const FE_D: usize = memory.data<i32>([56195235, 13857412, 51736253, 6949390, 114729, 24766616, 60832955, 30306712, 48412415, 21499315]);
export const FE_D2: usize = memory.data<i32>([45281625, 27714825, 36363642, 13898781, 229458, 15978800, 54557047, 27058993, 29715967, 9444199]);
export const FE_SQRTM1: usize = memory.data<i32>([34513072, 25610706, 9377949, 3500415, 12389472, 33281959, 41962654, 31548777, 326685, 11406482]);

// Carries t0..t9 (any i64 below 2^62 in magnitude) and stores them in h.
// The carry out of limb 9 (weight 2^255) comes back as 19 times itself in limb 0.
function feStore(h: usize, t0: i64, t1: i64, t2: i64, t3: i64, t4: i64,
                 t5: i64, t6: i64, t7: i64, t8: i64, t9: i64): void {
  t1 += t0 >> 26; t0 &= M26;
  t2 += t1 >> 25; t1 &= M25;
  t3 += t2 >> 26; t2 &= M26;
  t4 += t3 >> 25; t3 &= M25;
  t5 += t4 >> 26; t4 &= M26;
  t6 += t5 >> 25; t5 &= M25;
  t7 += t6 >> 26; t6 &= M26;
  t8 += t7 >> 25; t7 &= M25;
  t9 += t8 >> 26; t8 &= M26;
  t0 += (t9 >> 25) * 19; t9 &= M25;
  t1 += t0 >> 26; t0 &= M26;
  i64.store32(h, t0); i64.store32(h, t1, 4); i64.store32(h, t2, 8); i64.store32(h, t3, 12);
  i64.store32(h, t4, 16); i64.store32(h, t5, 20); i64.store32(h, t6, 24); i64.store32(h, t7, 28);
  i64.store32(h, t8, 32); i64.store32(h, t9, 36);
}

// h = f * g
export function feMul(h: usize, f: usize, g: usize): void {
  const f0 = i64.load32_s(f), f1 = i64.load32_s(f, 4), f2 = i64.load32_s(f, 8), f3 = i64.load32_s(f, 12), f4 = i64.load32_s(f, 16);
  const f5 = i64.load32_s(f, 20), f6 = i64.load32_s(f, 24), f7 = i64.load32_s(f, 28), f8 = i64.load32_s(f, 32), f9 = i64.load32_s(f, 36);
  const g0 = i64.load32_s(g), g1 = i64.load32_s(g, 4), g2 = i64.load32_s(g, 8), g3 = i64.load32_s(g, 12), g4 = i64.load32_s(g, 16);
  const g5 = i64.load32_s(g, 20), g6 = i64.load32_s(g, 24), g7 = i64.load32_s(g, 28), g8 = i64.load32_s(g, 32), g9 = i64.load32_s(g, 36);
  const f1_2 = f1 << 1, f3_2 = f3 << 1, f5_2 = f5 << 1, f7_2 = f7 << 1, f9_2 = f9 << 1;
  const g1_19 = g1 * 19, g2_19 = g2 * 19, g3_19 = g3 * 19, g4_19 = g4 * 19, g5_19 = g5 * 19;
  const g6_19 = g6 * 19, g7_19 = g7 * 19, g8_19 = g8 * 19, g9_19 = g9 * 19;
  feStore(h,
    f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19,
    f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19,
    f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19,
    f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19,
    f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19,
    f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19,
    f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19,
    f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19,
    f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19,
    f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0);
}

export function feSq(h: usize, f: usize): void {
  feMul(h, f, f);
}

// h = f^(2^n), n >= 1
export function feSqN(h: usize, f: usize, n: i32): void {
  feSq(h, f);
  while (--n > 0) feSq(h, h);
}

export function feAdd(h: usize, f: usize, g: usize): void {
  const f0 = i64.load32_s(f), f1 = i64.load32_s(f, 4), f2 = i64.load32_s(f, 8), f3 = i64.load32_s(f, 12), f4 = i64.load32_s(f, 16), f5 = i64.load32_s(f, 20), f6 = i64.load32_s(f, 24), f7 = i64.load32_s(f, 28), f8 = i64.load32_s(f, 32), f9 = i64.load32_s(f, 36);
  const g0 = i64.load32_s(g), g1 = i64.load32_s(g, 4), g2 = i64.load32_s(g, 8), g3 = i64.load32_s(g, 12), g4 = i64.load32_s(g, 16), g5 = i64.load32_s(g, 20), g6 = i64.load32_s(g, 24), g7 = i64.load32_s(g, 28), g8 = i64.load32_s(g, 32), g9 = i64.load32_s(g, 36);
  feStore(h, f0 + g0, f1 + g1, f2 + g2, f3 + g3, f4 + g4, f5 + g5, f6 + g6, f7 + g7, f8 + g8, f9 + g9);
}

export function feSub(h: usize, f: usize, g: usize): void {
  const f0 = i64.load32_s(f), f1 = i64.load32_s(f, 4), f2 = i64.load32_s(f, 8), f3 = i64.load32_s(f, 12), f4 = i64.load32_s(f, 16), f5 = i64.load32_s(f, 20), f6 = i64.load32_s(f, 24), f7 = i64.load32_s(f, 28), f8 = i64.load32_s(f, 32), f9 = i64.load32_s(f, 36);
  const g0 = i64.load32_s(g), g1 = i64.load32_s(g, 4), g2 = i64.load32_s(g, 8), g3 = i64.load32_s(g, 12), g4 = i64.load32_s(g, 16), g5 = i64.load32_s(g, 20), g6 = i64.load32_s(g, 24), g7 = i64.load32_s(g, 28), g8 = i64.load32_s(g, 32), g9 = i64.load32_s(g, 36);
  feStore(h, f0 - g0, f1 - g1, f2 - g2, f3 - g3, f4 - g4, f5 - g5, f6 - g6, f7 - g7, f8 - g8, f9 - g9);
}

export function feNeg(h: usize, f: usize): void {
  feSub(h, ZERO, f);
}

// h = f * c for a small constant c (below 2^20).
export function feMulSmall(h: usize, f: usize, c: i64): void {
  feStore(h, i64.load32_s(f) * c, i64.load32_s(f, 4) * c, i64.load32_s(f, 8) * c, i64.load32_s(f, 12) * c,
    i64.load32_s(f, 16) * c, i64.load32_s(f, 20) * c, i64.load32_s(f, 24) * c, i64.load32_s(f, 28) * c,
    i64.load32_s(f, 32) * c, i64.load32_s(f, 36) * c);
}

export function feCopy(h: usize, f: usize): void {
  memory.copy(h, f, FE);
}

// h = v for a small v >= 0.
export function feSet(h: usize, v: i32): void {
  memory.fill(h, 0, FE);
  store<i32>(h, v);
}

// Swaps f and g when bit is 1, leaves them when 0, with the same memory
// accesses either way.
export function feCswap(f: usize, g: usize, bit: i32): void {
  const mask = -bit;
  for (let i: usize = 0; i < FE; i += 4) {
    const a = load<i32>(f + i), b = load<i32>(g + i), x = (a ^ b) & mask;
    store<i32>(f + i, a ^ x);
    store<i32>(g + i, b ^ x);
  }
}

// Reads 32 little-endian bytes, ignoring bit 255. Values p..2^255-1 are kept
// as they are (congruent, still carried). Limb i starts at bit
// ceil(25.5 i); with its shift it always fits one u32 load.
export function feFromBytes(h: usize, s: usize): void {
  for (let i: u32 = 0; i < 10; i++) {
    const bit = (51 * i + 1) >> 1;
    store<u32>(h + (i << 2), (load<u32>(s + (bit >> 3)) >> (bit & 7)) & ((1 << (26 - (i & 1))) - 1));
  }
}

// Writes the canonical encoding (value mod p, 32 bytes, bit 255 clear).
export function feToBytes(s: usize, f: usize): void {
  // f + 2p has positive limbs, so the carry pass of feAdd leaves a value in
  // [0, 2p) with normalised limbs.
  feAdd(T, f, TWO_P);
  // q = 1 when the value is >= p, i.e. when value + 19 reaches 2^255.
  let q: i32 = 19;
  for (let i: usize = 0; i < 10; i++) q = (load<i32>(T + (i << 2)) + q) >> (26 - <i32>(i & 1));
  // Subtract q p: add 19 q, drop q 2^255, then carry (adding zero carries).
  store<i32>(T, load<i32>(T) + 19 * q);
  store<i32>(T, load<i32>(T, 36) - (q << 25), 36);
  feAdd(T, T, ZERO);
  // Pack 255 bits.
  let acc: u64 = 0, bits: u64 = 0, o = s;
  for (let i: usize = 0; i < 10; i++) {
    acc |= <u64>load<u32>(T + (i << 2)) << bits;
    bits += 26 - <u64>(i & 1);
    for (; bits >= 8; bits -= 8) {
      store<u8>(o++, <u8>acc);
      acc >>= 8;
    }
  }
  store<u8>(o, <u8>acc);
}

// 1 when f = 0 (mod p), else 0.
export function feIsZero(f: usize): i32 {
  feToBytes(BYTES, f);
  let acc: u32 = 0;
  for (let i: usize = 0; i < 32; i += 4) acc |= load<u32>(BYTES + i);
  return <i32>(acc == 0);
}

// The low bit of the canonical value (the "sign" of Ed25519 encodings).
export function feIsOdd(f: usize): i32 {
  feToBytes(BYTES, f);
  return load<u8>(BYTES) & 1;
}

// A = z^(2^250 - 1), B = z^11 (the common head of inversion and square root).
function fePow2250(z: usize): void {
  feSq(B, z);             // z^2
  feSqN(A, B, 2);         // z^8
  feMul(A, A, z);         // z^9
  feMul(B, B, A);         // z^11
  feSq(C, B);             // z^22
  feMul(C, C, A);         // z^(2^5 - 1)
  feSqN(A, C, 5);
  feMul(C, A, C);         // z^(2^10 - 1)
  feSqN(A, C, 10);
  feMul(A, A, C);         // z^(2^20 - 1)
  feSqN(D, A, 20);
  feMul(A, D, A);         // z^(2^40 - 1)
  feSqN(A, A, 10);
  feMul(D, A, C);         // z^(2^50 - 1)
  feSqN(A, D, 50);
  feMul(C, A, D);         // z^(2^100 - 1)
  feSqN(A, C, 100);
  feMul(A, A, C);         // z^(2^200 - 1)
  feSqN(A, A, 50);
  feMul(A, A, D);         // z^(2^250 - 1)
}

// h = 1/z = z^(p - 2) (0 for z = 0). h may alias z.
export function feInvert(h: usize, z: usize): void {
  fePow2250(z);
  feSqN(A, A, 5);
  feMul(h, A, B);         // z^(2^255 - 21)
}

// h = z^((p - 5) / 8) = z^(2^252 - 3), for square roots. h may alias z.
export function fePow22523(h: usize, z: usize): void {
  fePow2250(z);
  feSqN(A, A, 2);
  feMul(h, A, z);
}

// Clears this file's scratch (it held secret-derived values).
export function feWipe(): void {
  memory.fill(FE_TMP, 0, 160);
  memory.fill(T, 0, 40);
  memory.fill(BYTES, 0, 32);
}
