// RSA signature verification (RFC 8017): RSASSA-PKCS1-v1_5 (8.2.2) and
// RSASSA-PSS with MGF1 over the same hash (8.1.2, 9.1.2), 2048..4096-bit
// moduli (the minimum is configurable), any odd public exponent >= 3 that
// fits in 32 bits.
//
// Implementation notes:
// - Everything here is public (key, signature, hash): variable time is fine.
// - s^e mod n with the Montgomery layer: s into Montgomery form, square and
//   multiply over e, back out. The modulus is padded to an even number of
//   limbs (bignum.ts needs it).
// - PKCS#1 v1.5: the whole encoded message 00 01 FF..FF 00 DigestInfo H is
//   compared against the one expected (position by position, nothing in it
//   is parsed), so BER variants, missing NULLs and garbage are all rejected.
// - PSS follows EMSA-PSS-VERIFY step by step; the salt length is a parameter
//   (TLS 1.3 requires the hash length, RFC 8446 4.2.3).
// - Arena layout (BN_ARENA) for k modulus bytes and L = 2 ceil(k / 8) limbs:
//   context (8 + 8L) | S (4L): signature, then the encoded message | A (4L) |
//   hash context (HASH_CTX) | digest (64) | MGF1 counter (4). 4096 bits: 2324 B.
import {
  BN_ARENA, bnCtxInit, bnCtxSize, bnFromBytes, bnToBytes, bnLt, bnModulus, montPow, toMont, fromMont,
} from "./bignum";
import { HASH_CTX, hashLen, hashInit, hashUpdate, hashFinal } from "./hash";
import {
  ERR_UNKNOWN_HASH, ERR_RSA_KEY_TOO_SMALL, ERR_RSA_KEY_TOO_LARGE, ERR_RSA_KEY_INVALID,
  ERR_RSA_SIG_RANGE, ERR_RSA_BAD_SIGNATURE,
} from "./errors";
import { ERR_BAD_ARGUMENT } from "../errors";
import { RD_SIZE, rdInit, derSub, derUnsigned, rdExpectEnd, rdLeft, rdPos, rdTake, rdU8, rdOk } from "../util/reader";

export const RSA_PKCS1: i32 = 1;
export const RSA_PSS: i32 = 2;
export const RSA_MAX_BITS: i32 = 4096;

let gMinBits: i32 = 2048;

// Sets the smallest modulus accepted (bits, 512..4096). False when out of range.
export function rsaSetMinBits(bits: i32): bool {
  if (bits < 512 || bits > RSA_MAX_BITS) return false;
  gMinBits = bits;
  return true;
}

// The exponent as a one-limb number for montPow. RAM: 4 bytes.
const EXP: usize = memory.data(4);

// DigestInfo prefix (RFC 8017 9.2 note 1) for SHA-256/384/512: these bytes
// with [1] = 17 + hLen, [14] = the hash id (1, 2, 3 for .2.1, .2.2, .2.3),
// [18] = hLen. RAM: 19 bytes.
const DIGEST_INFO: usize = memory.data<u8>([
  0x30, 0, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0, 0x05, 0x00, 0x04, 0,
]);

// Verifies an RSA signature: `kind` RSA_PKCS1 or RSA_PSS, modulus n (nLen
// big-endian bytes, leading zeros allowed), exponent e, the message's hash
// (hashLen must be the hash's length), the signature (exactly as long as the
// modulus), and for PSS the salt length. 0 when valid.
export function rsaVerify(kind: i32, n: usize, nLen: i32, e: u32, alg: i32, hash: usize, hashLen_: i32,
                          sig: usize, sigLen: i32, saltLen: i32): i32 {
  while (nLen > 0 && load<u8>(n) == 0) { n++; nLen--; }
  if (nLen == 0) return ERR_RSA_KEY_INVALID;
  const bits = (nLen << 3) - <i32>clz<u32>(load<u8>(n)) + 24;
  if (bits < gMinBits) return ERR_RSA_KEY_TOO_SMALL;
  if (bits > RSA_MAX_BITS) return ERR_RSA_KEY_TOO_LARGE;
  if ((load<u8>(n + nLen - 1) & 1) == 0 || e < 3 || (e & 1) == 0) return ERR_RSA_KEY_INVALID;
  const hLen = <i32>hashLen(alg);
  if (hLen == 0) return ERR_UNKNOWN_HASH;
  if (hashLen_ != hLen) return ERR_BAD_ARGUMENT;
  const k = nLen;
  if (sigLen != k) return ERR_RSA_SIG_RANGE;
  // m = s^e mod n
  const limbs = ((k + 7) >> 3) << 1;
  const ctx = BN_ARENA, S = ctx + bnCtxSize(limbs), A = S + (<usize>limbs << 2);
  bnFromBytes(ctx + 8, limbs, n, k);
  bnCtxInit(ctx, limbs);
  bnFromBytes(S, limbs, sig, k);
  if (!bnLt(S, bnModulus(), limbs)) return ERR_RSA_SIG_RANGE;
  store<u32>(EXP, e);
  toMont(S, S);
  montPow(A, S, EXP, 1, 0);
  fromMont(A, A, S);
  bnToBytes(S, k, A, limbs);               // EM, k bytes
  if (kind == RSA_PKCS1) return pkcs1Check(S, k, alg, hash, hLen);
  if (kind == RSA_PSS) return pssCheck(S, k, bits, alg, hash, hLen, saltLen, A + (<usize>limbs << 2));
  return ERR_BAD_ARGUMENT;
}

// EM == 00 01 FF..FF 00 || DigestInfo || H, every byte compared.
function pkcs1Check(em: usize, k: i32, alg: i32, hash: usize, hLen: i32): i32 {
  const tLen = 19 + hLen;
  const ps = k - 3 - tLen;
  if (ps < 8) return ERR_RSA_BAD_SIGNATURE;  // only below 1024 bits
  let diff = <u32>load<u8>(em) | (<u32>load<u8>(em, 1) ^ 1) | <u32>load<u8>(em + 2 + <usize>ps);
  for (let i = 0; i < ps; i++) diff |= <u32>load<u8>(em + 2 + <usize>i) ^ 0xff;
  const t = em + 3 + <usize>ps;
  for (let i = 0; i < 19; i++) {
    const want = i == 1 ? tLen - 2 : i == 14 ? alg : i == 18 ? hLen : <i32>load<u8>(DIGEST_INFO + <usize>i);
    diff |= <u32>load<u8>(t + <usize>i) ^ <u32>want;
  }
  for (let i = 0; i < hLen; i++) diff |= <u32>load<u8>(t + 19 + <usize>i) ^ <u32>load<u8>(hash + <usize>i);
  return diff ? ERR_RSA_BAD_SIGNATURE : 0;
}

// EMSA-PSS-VERIFY (RFC 8017 9.1.2) on the k-byte m at emK; emBits = bits - 1.
// scr: HASH_CTX + 64 + 4 bytes.
function pssCheck(emK: usize, k: i32, bits: i32, alg: i32, mHash: usize, hLen: i32, sLen: i32,
                  scr: usize): i32 {
  const emBits = bits - 1;
  const emLen = (emBits + 7) >> 3;
  let em = emK;
  if (emLen < k) {                         // the top byte of the k-byte m must be 0
    if (load<u8>(em)) return ERR_RSA_BAD_SIGNATURE;
    em++;
  }
  if (sLen < 0 || emLen < hLen + sLen + 2) return ERR_RSA_BAD_SIGNATURE;
  if (load<u8>(em + <usize>emLen - 1) != 0xbc) return ERR_RSA_BAD_SIGNATURE;
  const dbLen = emLen - hLen - 1;
  const h = em + <usize>dbLen;
  const topMask = <u32>0xff >> <u32>((emLen << 3) - emBits);   // bits of DB[0] in use
  if (<u32>load<u8>(em) & ~topMask) return ERR_RSA_BAD_SIGNATURE;
  // DB = maskedDB XOR MGF1(H, dbLen)
  const hctx = scr, dig = scr + <usize>HASH_CTX, ctr = dig + 64;
  for (let c = 0, off = 0; off < dbLen; c++, off += hLen) {
    store<u32>(ctr, bswap<u32>(<u32>c));
    hashInit(alg, hctx);
    hashUpdate(alg, hctx, h, hLen);
    hashUpdate(alg, hctx, ctr, 4);
    hashFinal(alg, hctx, dig);
    const take = min(hLen, dbLen - off);
    for (let i = 0; i < take; i++) {
      const p = em + <usize>(off + i);
      store<u8>(p, load<u8>(p) ^ load<u8>(dig + <usize>i));
    }
  }
  store<u8>(em, <u32>load<u8>(em) & topMask);
  // DB = 00 .. 00 01 || salt
  const ps = emLen - hLen - sLen - 2;
  let diff: u32 = <u32>load<u8>(em + <usize>ps) ^ 1;
  for (let i = 0; i < ps; i++) diff |= load<u8>(em + <usize>i);
  if (diff) return ERR_RSA_BAD_SIGNATURE;
  // H' = Hash(00 x 8 || mHash || salt)
  memory.fill(dig, 0, 8);
  hashInit(alg, hctx);
  hashUpdate(alg, hctx, dig, 8);
  hashUpdate(alg, hctx, mHash, hLen);
  hashUpdate(alg, hctx, em + <usize>(dbLen - sLen), sLen);
  hashFinal(alg, hctx, dig);
  for (let i = 0; i < hLen; i++) diff |= <u32>load<u8>(dig + <usize>i) ^ <u32>load<u8>(h + <usize>i);
  return diff ? ERR_RSA_BAD_SIGNATURE : 0;
}

// ---- public keys in DER ----------------------------------------------------

// The key found by rsaPublicKeyDer: the modulus' magnitude (inside the DER
// input) and the exponent.
export let rsaKeyN: usize = 0;
export let rsaKeyNLen: i32 = 0;
export let rsaKeyE: u32 = 0;

// Reader records. RAM: 48 bytes.
const RD: usize = memory.data(4 * RD_SIZE);

// rsaEncryption, 1.2.840.113549.1.1.1. RAM: 9 bytes.
const OID_RSA: usize = memory.data<u8>([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);

// Parses an RSAPublicKey (RFC 8017 A.1.1: SEQUENCE { n INTEGER, e INTEGER })
// or, with spki, a SubjectPublicKeyInfo holding one (RFC 3279 2.3.1:
// rsaEncryption with NULL parameters, BIT STRING with no unused bits), with
// nothing after it. Sets rsaKeyN / rsaKeyNLen / rsaKeyE. Only the encoding is
// checked here (e up to 32 bits); sizes are checked by rsaVerify.
export function rsaPublicKeyDer(der: usize, len: i32, spki: bool): i32 {
  const top = RD, seq = RD + RD_SIZE, a = RD + 2 * RD_SIZE, b = RD + 3 * RD_SIZE;
  rdInit(top, der, len);
  if (spki) {
    derSub(top, seq, 0x30);
    if (!rdExpectEnd(top)) return ERR_RSA_KEY_INVALID;
    derSub(seq, a, 0x30);                  // AlgorithmIdentifier
    derSub(a, b, 0x06);
    const oidOk = rdLeft(b) == 9 && memory.compare(rdPos(b), OID_RSA, 9) == 0;
    rdTake(b, rdLeft(b));
    derSub(a, b, 0x05);                    // NULL
    if (!oidOk || rdLeft(b) != 0 || !rdExpectEnd(a)) return ERR_RSA_KEY_INVALID;
    derSub(seq, a, 0x03);                  // BIT STRING
    if (rdU8(a) != 0 || !rdExpectEnd(seq)) return ERR_RSA_KEY_INVALID;
    memory.copy(top, a, RD_SIZE);          // the RSAPublicKey is the rest of it
  }
  derSub(top, seq, 0x30);
  if (!rdExpectEnd(top)) return ERR_RSA_KEY_INVALID;
  if (!derUnsigned(seq, a)) return ERR_RSA_KEY_INVALID;
  rsaKeyN = rdPos(a);
  rsaKeyNLen = <i32>rdLeft(a);
  if (!derUnsigned(seq, b) || rdLeft(b) > 4 || !rdExpectEnd(seq)) return ERR_RSA_KEY_INVALID;
  let e: u32 = 0;
  while (rdLeft(b)) e = (e << 8) | rdU8(b);
  rsaKeyE = e;
  return rdOk(seq) ? 0 : ERR_RSA_KEY_INVALID;
}
