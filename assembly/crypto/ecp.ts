// Short-Weierstrass prime curves with a = -3: P-256 and P-384 (FIPS 186-4
// D.1.2.3, D.1.2.4), on the Montgomery layer of bignum.ts.
//
// Implementation notes:
// - Field elements are FN limbs (8 or 12) in Montgomery form, fully reduced.
//   A point is Jacobian (X, Y, Z) = x = X/Z^2, y = Y/Z^3: three elements of FB
//   bytes back to back; Z = 0 is the point at infinity.
// - curveUse(id) loads a curve once (contexts for p and for the order n, b and
//   G in Montgomery form; a few dozen multiplications) and makes p current.
// - pointAdd handles every case: infinity operands by constant-time selects,
//   P == Q by a doubling behind a branch that only public inputs can reach
//   (ecMulCt never adds equal points, see there).
// - ecMulCt is the constant-time scalar multiplication (4-bit fixed window,
//   every table entry read for each lookup); ecMulAddVartime is Shamir/Straus
//   with width-4 NAF for verification (public inputs only), its tables made
//   affine with one binary-Euclid inversion so that additions are mixed.
// - Costs (QEMU Cortex-M4 instructions under wasm3, P-256): doubling 262K,
//   mixed addition 349K, general addition 487K; ECDH 118M, verify 115M.
import {
  bnCtxInit, bnCtxSize, bnUse, bnFromBytes, bnToBytes, bnIsZero, bnSelect, bnLt,
  bnEq, bnAdd, bnSetWord, bnR2, bnModulus, modAdd, modSub, modHalve, montMul, montInv, montInvVartime,
  fromMont, toMont,
  BN_ARENA, bnWipe,
} from "./bignum";
import { ERR_EC_POINT_FORMAT, ERR_EC_POINT_INVALID, ERR_EC_PRIVATE_KEY, ERR_EC_INFINITY } from "./errors";
import { FULL } from "../config";

export const CURVE_P256: i32 = 1;
export const CURVE_P384: i32 = 2;
export const EC_MAX_BYTES: i32 = 48;            // largest field / scalar

// p, n, b, Gx, Gy as little-endian u32 limbs. RAM: 160 + 240 bytes.
const P256: usize = memory.data<u32>([
  0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
  0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
  0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0, 0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
  0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2,
  0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2,
]);
const P384: usize = memory.data<u32>([
  0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
  0xccc52973, 0xecec196a, 0x48b0a77a, 0x581a0db2, 0xf4372ddf, 0xc7634d81,
  0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
  0xd3ec2aef, 0x2a85c8ed, 0x8a2ed19d, 0xc656398d, 0x5013875a, 0x0314088f,
  0xfe814112, 0x181d9c6e, 0xe3f82d19, 0x988e056b, 0xe23ee7e4, 0xb3312fa7,
  0x72760ab7, 0x3a545e38, 0xbf55296c, 0x5502f25d, 0x82542a38, 0x59f741e0,
  0x8ba79b98, 0x6e1d3b62, 0xf320ad74, 0x8eb1c71e, 0xbe8b0537, 0xaa87ca22,
  0x90ea0e5f, 0x7a431d7c, 0x1d7e819d, 0x0a60b1ce, 0xb5f0b8c0, 0xe9da3113,
  0x289a147c, 0xf8f41dbd, 0x9292dc29, 0x5d9e98bf, 0x96262c6f, 0x3617de4a,
]);

// The loaded curve. RAM: contexts 2 x 104, B 48, G 144, ONE 48, EXP 48,
// temporaries 6 x 48, SUM 144 = 928 bytes.
const CTX_SIZE: i32 = 104;                      // bnCtxSize(12)
export const CTX_P: usize = memory.data(CTX_SIZE);
export const CTX_N: usize = memory.data(CTX_SIZE);
const B: usize = memory.data(EC_MAX_BYTES);     // b, Montgomery form
export const G: usize = memory.data(3 * EC_MAX_BYTES); // base point, Jacobian, Z = 1
export const ONE: usize = memory.data(EC_MAX_BYTES);   // 1 in Montgomery form (mod p)
export const EXP: usize = memory.data(EC_MAX_BYTES);   // exponent scratch for montInv
const TMP: usize = memory.data(6 * EC_MAX_BYTES);
const SUM: usize = memory.data(3 * EC_MAX_BYTES);

let gCurve: i32 = 0;
export let FN: i32 = 0;          // limbs of a field element / scalar
export let FB: usize = 0;        // bytes of a field element / scalar

// Loads curve `id` if needed and makes p the current modulus. False for an
// unknown curve.
export function curveUse(id: i32): bool {
  if (id != gCurve) {
    // The device profile (config.ts) has P-256 only.
    if (id != CURVE_P256 && (!FULL || id != CURVE_P384)) return false;
    const n = !FULL || id == CURVE_P256 ? 8 : 12;
    const c = FULL ? (id == CURVE_P256 ? P256 : P384) : P256;
    const fb = <usize>n << 2;
    FN = n; FB = fb;
    memory.copy(CTX_N + 8, c + fb, fb);
    bnCtxInit(CTX_N, n);
    memory.copy(CTX_P + 8, c, fb);
    bnCtxInit(CTX_P, n);
    toMont(B, c + fb * 2);
    toMont(G, c + fb * 3);
    toMont(G + fb, c + fb * 4);
    bnSetWord(ONE, 1, n);
    toMont(ONE, ONE);
    memory.copy(G + fb * 2, ONE, fb);
    gCurve = id;
  }
  bnUse(CTX_P);
  return true;
}

// ---- points ----------------------------------------------------------------

@inline function tmp(i: usize): usize { return TMP + i * EC_MAX_BYTES; }

// out = 2p (dbl-2004-hmv, a = -3: 4M + 4S, nine additions and one halving;
// dbl-2001-b needs fourteen additions). out may alias p. Infinity stays
// infinity (Z3 = 2 Y1 Z1 = 0).
export function pointDbl(out: usize, p: usize): void {
  const fb = FB;
  const X1 = p, Y1 = p + fb, Z1 = p + fb * 2;
  const t0 = tmp(0), t1 = tmp(1), t2 = tmp(2), t3 = tmp(3);
  montMul(t0, Z1, Z1);                    // Z1^2
  modSub(t1, X1, t0);
  modAdd(t0, X1, t0);
  montMul(t1, t1, t0);
  modAdd(t0, t1, t1);
  modAdd(t1, t0, t1);                     // alpha = 3 (X1 - Z1^2)(X1 + Z1^2)
  modAdd(t2, Y1, Y1);                     // 2 Y1
  montMul(out + fb * 2, t2, Z1);          // Z3 = 2 Y1 Z1 (Y1, Z1 no longer needed)
  montMul(t2, t2, t2);                    // 4 Y1^2
  montMul(t3, t2, X1);                    // 4 beta = 4 X1 Y1^2
  montMul(t2, t2, t2);
  modHalve(t2, t2);                       // 8 Y1^4
  montMul(t0, t1, t1);
  modAdd(out, t3, t3);
  modSub(out, t0, out);                   // X3 = alpha^2 - 8 beta
  modSub(t3, t3, out);
  montMul(t3, t3, t1);
  modSub(out + fb, t3, t2);               // Y3 = alpha (4 beta - X3) - 8 Y1^4
}

// out = cond ? a : b for points (cond 0/1, constant time).
export function pointSelect(out: usize, a: usize, b: usize, cond: u32): void {
  bnSelect(out, a, b, 3 * FN, cond);
}

// out = p + q, or p - q when negQ (add-1998-cmo-2: 12M + 4S; 8M + 3S when
// qAffine says q's Z is 1). out may alias p, or q unless negQ. Constant
// time in the points for negQ = qAffine = false, except for the P == Q
// case, which takes a doubling branch (see the file notes).
export function pointAdd(out: usize, p: usize, q: usize, negQ: bool, qAffine: bool): void {
  const fb = FB, n = FN;
  const X1 = p, Y1 = p + fb, Z1 = p + fb * 2;
  const X2 = q, Y2 = q + fb, Z2 = q + fb * 2;
  const t0 = tmp(0), t1 = tmp(1), t2 = tmp(2), t3 = tmp(3), t4 = tmp(4), t5 = tmp(5);
  let u1 = X1, s1 = Y1;                   // U1 = X1 Z2^2, S1 = Y1 Z2^3
  if (!qAffine) {
    montMul(t1, Z2, Z2);
    montMul(t2, X1, t1);
    montMul(t4, Y1, Z2);
    montMul(t4, t4, t1);
    u1 = t2; s1 = t4;
  }
  montMul(t0, Z1, Z1);                    // Z1Z1
  montMul(t3, X2, t0);                    // U2
  montMul(t5, Y2, Z1);
  montMul(t5, t5, t0);                    // S2 (of q, not -q)
  modSub(t3, t3, u1);                     // H = U2 - U1
  // R = S2 - S1; for -q, R' = -S2 - S1 = -(S2 + S1): keep S2 + S1 and flip
  // the sign of the one product where R appears to an odd power.
  if (negQ) modAdd(t5, t5, s1); else modSub(t5, t5, s1);
  if (qAffine) {
    montMul(SUM + fb * 2, Z1, t3);        // Z3 = Z1 H
  } else {
    montMul(t0, Z1, Z2);
    montMul(SUM + fb * 2, t0, t3);        // Z3 = Z1 Z2 H
  }
  montMul(t1, t3, t3);                    // HH
  montMul(t2, u1, t1);                    // V = U1 HH
  montMul(t1, t1, t3);                    // HHH
  montMul(t0, t5, t5);
  modSub(t0, t0, t1);
  modSub(t0, t0, t2);
  modSub(SUM, t0, t2);                    // X3 = R^2 - HHH - 2V
  if (negQ) modSub(t2, SUM, t2); else modSub(t2, t2, SUM);
  montMul(t2, t5, t2);                    // R (V - X3)
  montMul(t4, s1, t1);
  modSub(SUM + fb, t2, t4);               // Y3 = R (V - X3) - S1 HHH
  const pInf = bnIsZero(Z1, n), qInf = bnIsZero(Z2, n);
  if (bnIsZero(t3, n) & bnIsZero(t5, n) & ((pInf | qInf) ^ 1)) {
    // P == Q (public inputs only): the formula gave 0/0.
    pointDbl(SUM, p);
  }
  pointSelect(out, p, SUM, qInf);
  pointSelect(out, q, out, pInf);
  if (negQ && pInf) {                     // public: p - q with p = infinity is -q
    memory.fill(t0, 0, fb);
    modSub(out + fb, t0, out + fb);
  }
}

// x, y (big-endian FB bytes each, public) into a Jacobian point in Montgomery
// form, checking x, y < p and y^2 = x^3 - 3x + b. False when not on the curve.
export function pointDecode(out: usize, x: usize, y: usize): bool {
  const n = FN, fb = FB;
  const X = out, Y = out + fb, Z = out + fb * 2;
  bnFromBytes(X, n, x, <i32>fb);
  bnFromBytes(Y, n, y, <i32>fb);
  if (!(bnLt(X, bnModulus(), n) & bnLt(Y, bnModulus(), n))) return false;
  toMont(X, X);
  toMont(Y, Y);
  memory.copy(Z, ONE, fb);
  const t0 = tmp(0), t1 = tmp(1);
  montMul(t0, X, X);
  montMul(t0, t0, X);                     // x^3
  modAdd(t1, X, X);
  modAdd(t1, t1, X);
  modSub(t0, t0, t1);
  modAdd(t0, t0, B);                      // x^3 - 3x + b
  montMul(t1, Y, Y);
  return bnEq(t0, t1, n) != 0;
}

// Affine coordinates of p, big-endian, into x and y (y skipped when 0).
// Returns false (and writes zeros) for the point at infinity. p must not be
// in the first 16 FB bytes of the arena (the inversion table).
export function pointEncode(x: usize, y: usize, p: usize): bool {
  const n = FN, fb = FB;
  const zi = tmp(0), t = tmp(1);
  montInv(zi, p + fb * 2, EXP, BN_ARENA); // 0 for infinity
  montMul(t, zi, zi);
  montMul(tmp(2), p, t);
  fromMont(tmp(2), tmp(2), EXP);
  bnToBytes(x, <i32>fb, tmp(2), n);
  if (y) {
    montMul(t, t, zi);
    montMul(tmp(2), p + fb, t);
    fromMont(tmp(2), tmp(2), EXP);
    bnToBytes(y, <i32>fb, tmp(2), n);
  }
  return bnIsZero(p + fb * 2, n) == 0;
}

// ---- scalar multiplication ---------------------------------------------------

// Points in the arena (BN_ARENA) are slots of 3 FB bytes. ecMulCt: table in
// slots 0..15, accumulator 16, selected entry 17 (P-256: 1728 bytes; the
// caller's input may be slot 18). Verification: tables in 0..7, then 8, 9
// and the NAFs (P-384: 2216 bytes). Inversion tables (16 FB) use the start
// of the arena once the point tables are done with.
export function ptSlot(i: usize): usize { return BN_ARENA + i * FB * 3; }

// sel = tab[idx] for a secret idx: every entry is read, masks pick one.
function lookupCt(sel: usize, tab: usize, idx: u32): void {
  const stride = FB * 3;
  memory.fill(sel, 0, stride);
  for (let j: u32 = 0; j < 16; j++) {
    const mask = 0 - (((j ^ idx) - 1) >> 31);   // all ones when j == idx
    const e = tab + <usize>j * stride;
    for (let o: usize = 0; o < stride; o += 4) {
      store<u32>(sel + o, load<u32>(sel + o) | (load<u32>(e + o) & mask));
    }
  }
}

// out = k P, k secret (big-endian FB bytes, 1 <= k < n), P a point other
// than infinity. Constant time in k: 4-bit fixed window from the top, four
// doublings and one addition per nibble whatever its value, table read in
// full. pointAdd never meets P == Q here: the accumulator holds 16 k' P and
// the entry d P with 0 <= 16 k' + d <= k < n, so they are equal (or
// opposite) only when one is infinity, which the selects handle.
// out may alias P; the table stays in the arena (callers wipe it).
// P-256 only (the arena holds 19 P-256 points, not 19 P-384 points).
export function ecMulCt(out: usize, k: usize, p: usize): void {
  const stride = FB * 3;
  const tab = ptSlot(0), acc = ptSlot(16), sel = ptSlot(17);
  memory.fill(tab, 0, stride);                    // 0 P = infinity
  memory.copy(tab + stride, p, stride);
  pointDbl(tab + stride * 2, p);
  for (let i: usize = 3; i < 16; i++) pointAdd(tab + i * stride, tab + (i - 1) * stride, p, false, false);
  memory.fill(acc, 0, stride);
  for (let i: usize = 0, e = FB * 2; i < e; i++) {
    if (i) {
      pointDbl(acc, acc); pointDbl(acc, acc);
      pointDbl(acc, acc); pointDbl(acc, acc);
    }
    lookupCt(sel, tab, (<u32>load<u8>(k + (i >> 1)) >> (<u32>(~i & 1) << 2)) & 15);
    pointAdd(acc, acc, sel, false, false);
  }
  memory.copy(out, acc, stride);
}

// Width-4 NAF of k (bits + 2 limbs, zero above bits) into naf[0..bits]:
// odd digits in -7..7, each nonzero digit followed by three zeros.
// Public inputs only.
function wnafVartime(naf: usize, k: usize, bits: i32): void {
  memory.fill(naf, 0, <usize>bits + 1);
  let carry: u32 = 0;
  for (let i = 0; i <= bits; ) {
    const at = k + ((<usize>i >> 5) << 2);
    const w = <u32>(load<u64>(at) >> (<u64>i & 31));
    if ((w & 1) == carry) { i++; continue; }
    const d = (w & 15) + carry;                  // odd, 1..15
    carry = d >> 3;                              // 8..15 become d - 16
    store<i8>(naf + <usize>i, <i8>(d - (carry << 4)));
    i += 4;
  }
}

// Odd multiples P, 3P, 5P, 7P into tab (4 points); tmp: one point of scratch.
function oddMultiples(tab: usize, p: usize, tmp: usize): void {
  const stride = FB * 3;
  memory.copy(tab, p, stride);
  pointDbl(tmp, p);
  for (let j: usize = 1; j < 4; j++) pointAdd(tab + j * stride, tab + (j - 1) * stride, tmp, false, false);
}

// Makes cnt consecutive points at tab (none at infinity) affine, Z = 1, with
// one inversion for all (Montgomery's trick). Public inputs only.
// scr: (cnt + 5) FB bytes.
function toAffineVartime(tab: usize, cnt: usize, scr: usize): void {
  const fb = FB, stride = fb * 3;
  const inv = scr + cnt * fb, zi = tmp(0), zz = tmp(1);
  memory.copy(scr, tab + fb * 2, fb);
  for (let i: usize = 1; i < cnt; i++) montMul(scr + i * fb, scr + (i - 1) * fb, tab + i * stride + fb * 2);
  montInvVartime(inv, scr + (cnt - 1) * fb, inv + fb);   // 1 / (Z0 ... Zcnt-1)
  for (let i = cnt; i-- > 0; ) {
    const pt = tab + i * stride;
    if (i) {
      montMul(zi, inv, scr + (i - 1) * fb);                // 1 / Zi
      montMul(inv, inv, pt + fb * 2);                      // 1 / (Z0 ... Zi-1)
    } else {
      memory.copy(zi, inv, fb);
    }
    montMul(zz, zi, zi);
    montMul(pt, pt, zz);
    montMul(zz, zz, zi);
    montMul(pt + fb, pt + fb, zz);
    memory.copy(pt + fb * 2, ONE, fb);
  }
}

// out = u1 G + u2 Q (Straus-Shamir over width-4 NAFs, tables made affine
// for mixed additions). u1, u2: FN + 2 limbs, zero above FN; Q not
// infinity. Public inputs only. Tables in slots 0..7, scratch and NAFs
// (bits + 1 <= 385 bytes each) from slot 10; out must be slot 8 or 9.
export function ecMulAddVartime(out: usize, u1: usize, u2: usize, q: usize): void {
  const stride = FB * 3;
  const bits = <i32>FB << 3;
  const tg = ptSlot(0), tq = ptSlot(4), naf1 = ptSlot(10), naf2 = naf1 + 388;
  oddMultiples(tg, G, out);
  oddMultiples(tq, q, out);
  toAffineVartime(tg, 8, naf1);
  wnafVartime(naf1, u1, bits);
  wnafVartime(naf2, u2, bits);
  memory.fill(out, 0, stride);
  let started = false;
  for (let i = bits; i >= 0; i--) {
    if (started) pointDbl(out, out);
    const d1 = <i32>load<i8>(naf1 + <usize>i);
    if (d1) { pointAdd(out, out, tg + <usize>(abs(d1) >> 1) * stride, d1 < 0, true); started = true; }
    const d2 = <i32>load<i8>(naf2 + <usize>i);
    if (d2) { pointAdd(out, out, tq + <usize>(abs(d2) >> 1) * stride, d2 < 0, true); started = true; }
  }
}

// 1 when 1 <= k < n for k = FB big-endian bytes (copied into tmp, FN limbs).
// Constant time.
export function scalarInRange(tmp: usize, k: usize): u32 {
  bnFromBytes(tmp, FN, k, <i32>FB);
  return bnLt(tmp, CTX_N + 8, FN) & (bnIsZero(tmp, FN) ^ 1);
}

// Wipes what a secret scalar multiplication leaves behind.
export function ecWipe(): void {
  memory.fill(BN_ARENA, 0, ptSlot(19) - BN_ARENA);
  memory.fill(TMP, 0, 6 * EC_MAX_BYTES);
  memory.fill(SUM, 0, 3 * EC_MAX_BYTES);
  memory.fill(EXP, 0, EC_MAX_BYTES);
  bnWipe();
}

// ---- ECDH and key generation on P-256 --------------------------------------

// The P-256 public key of priv (32 bytes) as 04 || x || y into out (65).
export function ecP256PublicKey(out: usize, priv: usize): i32 {
  curveUse(CURVE_P256);
  let rc = ERR_EC_PRIVATE_KEY;
  if (scalarInRange(tmp(0), priv)) {
    ecMulCt(ptSlot(18), priv, G);
    store<u8>(out, 4);
    pointEncode(out + 1, out + 33, ptSlot(18));
    rc = 0;
  }
  ecWipe();
  return rc;
}

// ECDH on P-256 (SEC 1 3.3.1): out (32 bytes) = x(priv * peer). The peer
// point must be uncompressed (04 || x || y, 65 bytes; compressed points are
// refused: TLS 1.3 allows only the uncompressed form, RFC 8446 4.2.8.2), with
// x, y < p and on the curve.
export function ecdhP256(out: usize, priv: usize, peer: usize, peerLen: i32): i32 {
  curveUse(CURVE_P256);
  if (peerLen != 65 || load<u8>(peer) != 4) return ERR_EC_POINT_FORMAT;
  const pt = ptSlot(18);
  if (!pointDecode(pt, peer + 1, peer + 33)) return ERR_EC_POINT_INVALID;
  let rc = ERR_EC_PRIVATE_KEY;
  if (scalarInRange(tmp(0), priv)) {
    ecMulCt(pt, priv, pt);
    rc = pointEncode(out, 0, pt) ? 0 : ERR_EC_INFINITY;
    if (rc) memory.fill(out, 0, 32);
  }
  ecWipe();
  return rc;
}
