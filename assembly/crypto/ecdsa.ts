// ECDSA (FIPS 186-4 6.4, SEC 1 4.1): verification on P-256 and P-384,
// signing on P-256 with deterministic nonces (RFC 6979).
//
// Implementation notes:
// - r and s are fixed-size big-endian scalars (FB bytes); DER is parsed by
//   the caller (ecdsaDerSignature reads it with the bounded reader).
// - The hash is truncated to the order's bit length; both orders have 8 FB
//   bits, so that is its first FB bytes; e < 2^(8 FB) < 2n, so one
//   subtraction reduces it.
// - Verification is variable time (public inputs only): s^-1 by binary
//   Euclid (montInvVartime); Z is never inverted: x(R) mod n == r is checked
//   as X == r Z^2 or, when r + n < p, X == (r + n) Z^2.
// - Scalars live in SC: six slots of FN + 2 limbs, zero above FN (the NAF
//   reader looks two limbs past the top). RAM: 336 bytes.
import {
  BN_ARENA, bnFromBytes, bnToBytes, bnLt, bnIsZero, bnSub, bnAdd, bnEq, bnSelect, bnUse, modAdd, montMul,
  montInv, montInvVartime, toMont,
} from "./bignum";
import {
  curveUse, pointDecode, pointEncode, ecMulAddVartime, ecMulCt, ecWipe, scalarInRange, ptSlot,
  CTX_N, CTX_P, EXP, G, FN, FB, CURVE_P256,
} from "./ecp";
import { hmacInit, hmacUpdate, hmacFinal, HMAC_CTX } from "./hmac";
import { HASH_SHA256 } from "./hash";
import {
  ERR_EC_UNKNOWN_CURVE, ERR_EC_POINT_FORMAT, ERR_EC_POINT_INVALID, ERR_ECDSA_RANGE,
  ERR_ECDSA_BAD_SIGNATURE, ERR_ECDSA_ENCODING, ERR_EC_PRIVATE_KEY,
} from "./errors";
import { RD_SIZE, rdInit, derSub, derUnsigned, rdExpectEnd, rdLeft, rdPos, rdOk } from "../util/reader";

const SLOT: usize = 56;
const SC: usize = memory.data(6 * <i32>SLOT);
const SE: usize = SC, SR = SC + SLOT, SS = SC + 2 * SLOT, SU1 = SC + 3 * SLOT, SU2 = SC + 4 * SLOT, SW = SC + 5 * SLOT;

// e = the hash's leftmost FB bytes as an integer, reduced mod n, into SE.
function hashToScalar(hash: usize, hashLen: i32): void {
  bnFromBytes(SE, FN, hash, min(hashLen, <i32>FB));
  if (!bnLt(SE, CTX_N + 8, FN)) bnSub(SE, SE, CTX_N + 8, FN);
}

// Verifies (r, s) (big-endian, FB bytes each) over hash for the public key
// pub = 04 || x || y on `curve`. Public inputs only. 0 when valid.
export function ecdsaVerifyVartime(curve: i32, pub: usize, pubLen: i32, hash: usize, hashLen: i32,
                                   r: usize, s: usize): i32 {
  if (!curveUse(curve)) return ERR_EC_UNKNOWN_CURVE;
  const n = FN, fb = FB, order = CTX_N + 8;
  if (pubLen != 1 + 2 * <i32>fb || load<u8>(pub) != 4) return ERR_EC_POINT_FORMAT;
  const q = ptSlot(9), acc = ptSlot(8);
  if (!pointDecode(q, pub + 1, pub + 1 + fb)) return ERR_EC_POINT_INVALID;
  memory.fill(SC, 0, 6 * SLOT);
  bnFromBytes(SR, n, r, <i32>fb);
  bnFromBytes(SS, n, s, <i32>fb);
  if (bnIsZero(SR, n) | bnIsZero(SS, n) | (bnLt(SR, order, n) ^ 1) | (bnLt(SS, order, n) ^ 1)) {
    return ERR_ECDSA_RANGE;
  }
  hashToScalar(hash, hashLen);
  // w = s^-1 (Montgomery form), u1 = e w, u2 = r w (plain: one factor is in
  // Montgomery form, the other not).
  bnUse(CTX_N);
  toMont(SW, SS);
  montInvVartime(SU2, SW, BN_ARENA);       // s is public
  montMul(SU1, SE, SU2);
  montMul(SU2, SR, SU2);
  bnUse(CTX_P);
  ecMulAddVartime(acc, SU1, SU2, q);
  const X = acc, Z = acc + fb * 2;
  if (bnIsZero(Z, n)) return ERR_ECDSA_BAD_SIGNATURE;
  montMul(SW, Z, Z);                       // Z^2
  toMont(SU1, SR);                         // r < n < p
  montMul(SU1, SU1, SW);
  if (bnEq(SU1, X, n)) return 0;
  // x mod n == r also when x = r + n < p
  if (bnAdd(SR, SR, order, n) == 0 && bnLt(SR, CTX_P + 8, n)) {
    toMont(SU1, SR);
    montMul(SU1, SU1, SW);
    if (bnEq(SU1, X, n)) return 0;
  }
  return ERR_ECDSA_BAD_SIGNATURE;
}

// Reader records for DER parsing. RAM: 36 bytes.
const RD: usize = memory.data(3 * RD_SIZE);

// Copies a DER INTEGER magnitude (read by derUnsigned into `sub`) into out
// as FB big-endian bytes. False when it does not fit.
function derScalar(sub: usize, out: usize): bool {
  const len = rdLeft(sub);
  if (!rdOk(sub) || len > FB) return false;
  memory.fill(out, 0, FB - len);
  memory.copy(out + FB - len, rdPos(sub), len);
  return true;
}

// Parses a DER Ecdsa-Sig-Value (SEQUENCE { r INTEGER, s INTEGER }, nothing
// before or after) into r || s, FB bytes each, at out. Strict DER: any other
// encoding is ERR_ECDSA_ENCODING; a magnitude wider than the order is
// ERR_ECDSA_RANGE. The curve must be current (curveUse).
export function ecdsaDerSignature(out: usize, sig: usize, sigLen: i32): i32 {
  const top = RD, seq = RD + RD_SIZE, int = RD + 2 * RD_SIZE;
  rdInit(top, sig, sigLen);
  derSub(top, seq, 0x30);
  if (!rdExpectEnd(top)) return ERR_ECDSA_ENCODING;
  if (!derUnsigned(seq, int)) return ERR_ECDSA_ENCODING;
  const rOk = derScalar(int, out);
  if (!derUnsigned(seq, int)) return ERR_ECDSA_ENCODING;
  const sOk = derScalar(int, out + FB);
  if (!rdExpectEnd(seq)) return ERR_ECDSA_ENCODING;
  return rOk && sOk ? 0 : ERR_ECDSA_RANGE;
}

// ---- signing (P-256, RFC 6979 nonces) ---------------------------------------

// RFC 6979 3.2 state and HMAC context, in the arena after ecMulCt's 19
// P-256 points (1824 bytes): K, V, h1 = bits2octets(hash), one byte, then
// the HMAC context: 1824 + 100 + 336 = 2260 <= BN_ARENA_SIZE.
const DK: usize = BN_ARENA + 1824, DV = DK + 32, DH = DV + 32, DB = DH + 32, DCTX = DH + 36;

// K = HMAC_K(V || b || x || h1) (or V || b only when x = 0); V = HMAC_K(V).
function drbgStep(b: i32, x: usize): void {
  hmacInit(HASH_SHA256, DCTX, DK, 32);
  hmacUpdate(DCTX, DV, 32);
  if (b >= 0) {
    store<u8>(DB, <u8>b);
    hmacUpdate(DCTX, DB, 1);
    if (x) {
      hmacUpdate(DCTX, x, 32);
      hmacUpdate(DCTX, DH, 32);
    }
    hmacFinal(DCTX, DK);
    hmacInit(HASH_SHA256, DCTX, DK, 32);
    hmacUpdate(DCTX, DV, 32);
  }
  hmacFinal(DCTX, DV);
}

// ECDSA signature on P-256 of a 32-byte hash with the private key priv (32
// bytes, 1 <= d < n): r || s (64 bytes) into sig. The nonce is RFC 6979's
// (HMAC-SHA-256 DRBG seeded with the key and the hash), so no randomness is
// needed and equal inputs give equal signatures. Constant time in the key
// and the nonce: ecMulCt, Fermat inversion, Montgomery arithmetic; the one
// branch on the nonce (retry when k is out of range, or r or s is 0) is
// taken with probability about 2^-224.
export function ecdsaSignP256(sig: usize, priv: usize, hash: usize): i32 {
  curveUse(CURVE_P256);
  memory.fill(SC, 0, 6 * SLOT);
  if (!scalarInRange(SW, priv)) { memory.fill(SW, 0, SLOT); return ERR_EC_PRIVATE_KEY; }
  hashToScalar(hash, 32);
  bnToBytes(DH, 32, SE, 8);                // h1 = bits2octets(hash) = (hash mod n)
  memory.fill(DK, 0, 32);
  memory.fill(DV, 1, 32);
  drbgStep(0, priv);
  drbgStep(1, priv);
  const R = ptSlot(18), order = CTX_N + 8;
  for (;;) {
    drbgStep(-1, 0);                       // V = HMAC_K(V): the candidate nonce
    if (scalarInRange(SU1, DV)) {
      ecMulCt(R, DV, G);
      pointEncode(SU2, 0, R);              // x(kG), 32 bytes
      bnFromBytes(SR, 8, SU2, 32);
      bnSub(SU2, SR, order, 8);
      bnSelect(SR, SR, SU2, 8, bnLt(SR, order, 8));   // r = x mod n (x < p < 2n)
      bnUse(CTX_N);
      toMont(SU1, SU1);
      montInv(SU2, SU1, EXP, BN_ARENA);    // k^-1 R (Fermat: n - 2 is public)
      toMont(SW, SW);
      montMul(SW, SW, SR);                 // r d
      modAdd(SW, SW, SE);                  // e + r d
      montMul(SS, SW, SU2);                // s = k^-1 (e + r d)
      bnUse(CTX_P);
      if ((bnIsZero(SR, 8) | bnIsZero(SS, 8)) == 0) break;
      bnFromBytes(SW, 8, priv, 32);        // d again for the next try
    }
    drbgStep(0, 0);                        // K = HMAC_K(V || 00), V = HMAC_K(V)
  }
  bnToBytes(sig, 32, SR, 8);
  bnToBytes(sig + 32, 32, SS, 8);
  memory.fill(SC, 0, 6 * SLOT);
  memory.fill(DK, 0, DCTX + HMAC_CTX - DK);
  ecWipe();
  return 0;
}
