// Ed25519 signature verification (RFC 8032 section 5.1.7), cofactorless:
// accept when encode([S]B - [k]A) equals R byte for byte, k = SHA-512(R || A || M) mod L.
// Implementation notes: everything here handles public data only (key,
// message, signature), so it runs in variable time and says so (...Vartime).
// Points are extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, T = XY/Z on
// -x^2 + y^2 = 1 + d x^2 y^2 (Hisil-Wong-Carter-Dawson formulas, a = -1);
// addends are kept "cached" as (Y+X, Y-X, 2Z, 2dT). [S]B - [k]A is one
// Straus-Shamir pass over bits 252..0 with a 3-entry table (B, -A, B-A):
// 253 doublings and about 190 additions, no per-scalar tables.
// Rejected: S >= L (malleability), A or R whose y is not below p, A off the
// curve or with x = 0 and the sign bit set. R is never decoded: a bad R
// cannot match a canonical encoding.
// RAM: 25 field elements + 36-byte scalar in the shared FE_POOL (the SHA-512
// context and digest sit in the table's space until the table is built);
// constants: base point 80 B, L 32 B.
import {
  FE, FE_POOL, FE_D, FE_D2, FE_SQRTM1, feAdd, feSub, feMul, feSq, feNeg, feSet, feCopy,
  feFromBytes, feToBytes, feIsZero, feIsOdd, fePow22523, feInvert,
} from "./fe25519";
import { sha512Init, sha512Update, sha512Final } from "./sha512";
import { ERR_ED25519_BAD_SIGNATURE, ERR_ED25519_BAD_S, ERR_ED25519_BAD_KEY, ERR_ED25519_BAD_R } from "./errors";

export const ED25519_PUBLIC_LEN: i32 = 32;
export const ED25519_SIGNATURE_LEN: i32 = 64;

const PT: usize = 4 * FE;                      // one point, extended or cached
const X: usize = 0, Y: usize = FE, Z: usize = 2 * FE, T: usize = 3 * FE;
const YPX: usize = 0, YMX: usize = FE, Z2: usize = 2 * FE, T2D: usize = 3 * FE;

const P: usize = FE_POOL;                      // accumulator
const Q: usize = P + PT;                       // -A, then B, B - A
const TBL: usize = Q + PT;                     // cached B, -A, B - A
const CTX: usize = TBL;                        // SHA-512 context (200 B) until TBL is built
const DIGEST: usize = TBL + 200;               // 64 B, likewise
const T0: usize = TBL + 3 * PT, T1: usize = T0 + FE, T2: usize = T1 + FE;
const T3: usize = T2 + FE, T4: usize = T3 + FE;
const K: usize = T4 + FE;                      // k mod L, 9 u32 limbs (36 B)

// The base point (x, y) as field limbs.
const BX: usize = memory.data<i32>([52811034, 25909283, 16144682, 17082669, 27570973, 30858332, 40966398, 8378388, 20764389, 8758491]);
const BY: usize = memory.data<i32>([40265304, 26843545, 13421772, 20132659, 26843545, 6710886, 53687091, 13421772, 40265318, 26843545]);
// L = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L: usize = memory.data<u8>([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
]);

// True when the 32-byte little-endian s is below L. Public inputs only.
function isBelowLVartime(s: usize): bool {
  for (let i = 31; i >= 0; i--) {
    const a = load<u8>(s + i), b = load<u8>(L + i);
    if (a != b) return a < b;
  }
  return false;
}

// True when bits 0..254 of s encode a field element below p (T4 is scratch).
// Public inputs only.
function isCanonicalVartime(s: usize): bool {
  feFromBytes(T4, s);
  feToBytes(T4, T4);
  return memory.compare(T4, s, 31) == 0 && load<u8>(T4, 31) == (load<u8>(s, 31) & 0x7f);
}

// k = (64-byte little-endian h) mod L into K, one byte at a time from the
// top: r = 256 r + byte < 2^261; q = r >> 252; r -= q L lands in
// (-2^133, 2^252), and one conditional + L makes it [0, L). Public inputs only.
function reduceModLVartime(h: usize): void {
  memory.fill(K, 0, 36);
  for (let j = 63; j >= 0; j--) {
    for (let i: usize = 32; i > 0; i -= 4) store<u32>(K + i, (load<u32>(K + i) << 8) | (load<u32>(K + i - 4) >> 24));
    store<u32>(K, (load<u32>(K) << 8) | load<u8>(h + j));
    const q = <i64>((load<u32>(K, 28) >> 28) | (load<u32>(K, 32) << 4));
    let c: i64 = 0;
    for (let i: usize = 0; i < 32; i += 4) {
      c += <i64>load<u32>(K + i) - q * <i64>load<u32>(L + i);
      store<u32>(K + i, <u32>c);
      c >>= 32;
    }
    c += <i64>load<u32>(K, 32);
    store<u32>(K, <u32>c, 32);
    if (c < 0) {
      c = 0;
      for (let i: usize = 0; i < 36; i += 4) {
        c += <i64>load<u32>(K + i) + <i64>(i < 32 ? load<u32>(L + i) : 0);
        store<u32>(K + i, <u32>c);
        c >>= 32;
      }
    }
  }
}

// r = 2p (r may be p).
function geDouble(r: usize, p: usize): void {
  feSq(T0, p + X);              // A = X^2
  feSq(T1, p + Y);              // B = Y^2
  feSq(T2, p + Z);
  feAdd(T2, T2, T2);            // C = 2 Z^2
  feAdd(T3, p + X, p + Y);
  feSq(T3, T3);                 // (X + Y)^2
  // The textbook E, F, G, H all negated (the same point): no negations.
  feAdd(T4, T0, T1);            // -H = A + B
  feSub(T3, T4, T3);            // -E = A + B - (X + Y)^2
  feSub(T0, T0, T1);            // -G = A - B
  feAdd(T2, T2, T0);            // -F = C - G
  feMul(r + X, T3, T2);         // E F
  feMul(r + Y, T0, T4);         // G H
  feMul(r + T, T3, T4);         // E H
  feMul(r + Z, T2, T0);         // F G
}

// r = p + q for a cached q (r may be p).
function geAdd(r: usize, p: usize, q: usize): void {
  feSub(T0, p + Y, p + X);
  feMul(T0, T0, q + YMX);       // a
  feAdd(T1, p + Y, p + X);
  feMul(T1, T1, q + YPX);       // b
  feMul(T2, p + T, q + T2D);    // c
  feMul(T3, p + Z, q + Z2);     // d
  feSub(T4, T1, T0);            // E = b - a
  feAdd(T1, T1, T0);            // H = b + a
  feSub(T0, T3, T2);            // F = d - c
  feAdd(T3, T3, T2);            // G = d + c
  feMul(r + X, T4, T0);
  feMul(r + Y, T3, T1);
  feMul(r + T, T4, T1);
  feMul(r + Z, T0, T3);
}

function geToCached(c: usize, p: usize): void {
  feAdd(c + YPX, p + Y, p + X);
  feSub(c + YMX, p + Y, p + X);
  feAdd(c + Z2, p + Z, p + Z);
  feMul(c + T2D, p + T, FE_D2);
}

// Decodes a point (RFC 8032 5.1.3) into p; false when s is no point.
// x = u v^3 (u v^7)^((p-5)/8) with u = y^2 - 1, v = d y^2 + 1, then fixed by
// sqrt(-1) when v x^2 = -u. Public inputs only.
function geDecodeVartime(p: usize, s: usize): bool {
  if (!isCanonicalVartime(s)) return false;
  feFromBytes(p + Y, s);
  feSet(p + Z, 1);
  feSq(T0, p + Y);
  feMul(T1, T0, FE_D);
  feAdd(T1, T1, p + Z);         // v
  feSub(T0, T0, p + Z);         // u
  feSq(T2, T1);
  feMul(T2, T2, T1);            // v^3
  feSq(T3, T2);
  feMul(T3, T3, T1);            // v^7
  feMul(T3, T3, T0);            // u v^7
  fePow22523(T3, T3);
  feMul(T3, T3, T2);
  feMul(p + X, T3, T0);         // candidate x
  feSq(T2, p + X);
  feMul(T2, T2, T1);            // v x^2
  feSub(T3, T2, T0);
  if (!feIsZero(T3)) {
    feAdd(T3, T2, T0);
    if (!feIsZero(T3)) return false;
    feMul(p + X, p + X, FE_SQRTM1);
  }
  const sign = load<u8>(s, 31) >> 7;
  if (sign && feIsZero(p + X)) return false;
  if (<u32>feIsOdd(p + X) != sign) feNeg(p + X, p + X);
  feMul(p + T, p + X, p + Y);
  return true;
}

// Bit i of a little-endian scalar.
function bit(s: usize, i: i32): i32 {
  return (load<u8>(s + (i >> 3)) >> (i & 7)) & 1;
}

// Verifies sig (64 bytes: R || S) on msg (n bytes) under pub (32 bytes).
// Returns 0 or ERR_ED25519_BAD_S / _BAD_R / _BAD_KEY / _BAD_SIGNATURE.
// Public inputs only: variable time.
export function ed25519Verify(pub: usize, msg: usize, n: usize, sig: usize): i32 {
  if (!isBelowLVartime(sig + 32)) return ERR_ED25519_BAD_S;
  if (!isCanonicalVartime(sig)) return ERR_ED25519_BAD_R;
  if (!geDecodeVartime(Q, pub)) return ERR_ED25519_BAD_KEY;
  sha512Init(CTX);
  sha512Update(CTX, sig, 32);
  sha512Update(CTX, pub, 32);
  sha512Update(CTX, msg, n);
  sha512Final(CTX, DIGEST);
  reduceModLVartime(DIGEST);
  // Table: B, -A, B - A.
  feNeg(Q + X, Q + X);
  feNeg(Q + T, Q + T);
  geToCached(TBL + PT, Q);
  feCopy(Q + X, BX);
  feCopy(Q + Y, BY);
  feSet(Q + Z, 1);
  feMul(Q + T, BX, BY);
  geToCached(TBL, Q);
  geAdd(Q, Q, TBL + PT);
  geToCached(TBL + 2 * PT, Q);
  // P = [S]B + [k](-A), from the top bit of L down.
  feSet(P + X, 0);
  feSet(P + Y, 1);
  feSet(P + Z, 1);
  feSet(P + T, 0);
  for (let i = 252; i >= 0; i--) {
    geDouble(P, P);
    const idx = bit(sig + 32, i) | (bit(K, i) << 1);
    if (idx) geAdd(P, P, TBL + <usize>(idx - 1) * PT);
  }
  // Encode P and compare with R.
  feInvert(T0, P + Z);
  feMul(T1, P + X, T0);
  feMul(T2, P + Y, T0);
  feToBytes(T4, T2);
  store<u8>(T4, load<u8>(T4, 31) | <u8>(feIsOdd(T1) << 7), 31);
  return memory.compare(T4, sig, 32) == 0 ? 0 : ERR_ED25519_BAD_SIGNATURE;
}
