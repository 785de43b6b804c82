// Trust anchors: the ones compiled in (anchors.gen.ts, made by
// tools/gen-anchors.ts from PEM files at build time) and a small store the
// host fills at run time (tests, the limbo harness). Validation reads both
// the same way.
// Implementation notes: an anchor is a packed record holding only what
// validation needs (data segments are RAM):
//   0  u16 record length        2  u8 key type (KEY_*)   3  u8 path length (255: none)
//   4  u16 key length           6  u16 exponent length   8  u16 name-constraints length
//   10 u16 reserved             12 i64 notBefore         20 i64 notAfter
//   28 32-byte SHA-256 of the subject Name (DER)
//   60 key bytes (RSA n / EC point / Ed25519 key), exponent, NameConstraints content
// tools/gen-anchors.ts writes the same layout (keep them in step).
import { GEN_ANCHORS, GEN_ANCHORS_LEN } from "./anchors.gen";
import {
  parseCert, cIsCA, cKu, KU_KEY_CERT_SIGN, cPathLen, cKeyType, cKey, cKeyLen, cE, cELen, cNc, cNcEnd,
  cNotBefore, cNotAfter, cVersion, cSubject, cSubjectEnd, cExtSeen, cExtCritical, EXT_BC, EXT_AKI,
  cSkiLen, cSki, cAkiKeyId, cAkiKeyIdLen, cAkiExtra, cIssuer, cIssuerEnd,
} from "./cert";
import { digest } from "./sig";
import { HASH_SHA256 } from "../crypto/hash";
import {
  ERR_X509_ANCHOR_STORE_FULL, ERR_X509_NOT_CA, ERR_X509_KEY_USAGE, ERR_X509_BAD_EXTENSION, ERR_X509_MISSING_KEY_ID,
} from "./errors";

export const ANCHOR_HEAD: usize = 60;
// Run-time anchor store. RAM: X509_ANCHOR_STORE bytes (one RSA-4096 root
// takes 572, a P-256 root 125).
export const X509_ANCHOR_STORE: i32 = 1024;
const STORE: usize = memory.data(X509_ANCHOR_STORE);
let storeUsed: i32 = 0;

export function anchorKeyType(a: usize): i32 { return load<u8>(a, 2); }
export function anchorPathLen(a: usize): i32 { return load<u8>(a, 3); }
export function anchorKeyLen(a: usize): i32 { return load<u16>(a, 4); }
export function anchorELen(a: usize): i32 { return load<u16>(a, 6); }
export function anchorNcLen(a: usize): i32 { return load<u16>(a, 8); }
export function anchorNotBefore(a: usize): i64 { return load<i64>(a, 12); }
export function anchorNotAfter(a: usize): i64 { return load<i64>(a, 20); }
export function anchorName(a: usize): usize { return a + 28; }
export function anchorKey(a: usize): usize { return a + ANCHOR_HEAD; }
export function anchorE(a: usize): usize { return a + ANCHOR_HEAD + anchorKeyLen(a); }
export function anchorNc(a: usize): usize { return anchorE(a) + anchorELen(a); }

// The anchor after `a` (0: the first), or 0 after the last.
export function anchorNext(a: usize): usize {
  let gen = a == 0 ? GEN_ANCHORS_LEN != 0 : a >= GEN_ANCHORS && a < GEN_ANCHORS + GEN_ANCHORS_LEN;
  if (a == 0) a = gen ? GEN_ANCHORS : STORE;
  else {
    a += load<u16>(a);
    if (gen && a == GEN_ANCHORS + GEN_ANCHORS_LEN) { a = STORE; gen = false; }
  }
  return gen || a < STORE + <usize>storeUsed ? a : 0;
}

export function anchorsClear(): void { storeUsed = 0; }

// Installs the certificate [p, p+n) as a run-time trust anchor. It must be a
// CA: basicConstraints cA (an X.509 v1 root, without extensions, is taken
// as a CA too) and keyCertSign when keyUsage is present. Its validity is
// kept and checked when the anchor is used.
export function anchorAdd(p: usize, n: usize): i32 {
  const e = parseCert(p, n, true);
  if (e < 0) return e;
  if (cVersion == 3) {     // v3: needs basicConstraints cA
    if ((cExtSeen & EXT_BC) == 0 || !cIsCA) return ERR_X509_NOT_CA;
    if ((cExtCritical & EXT_BC) == 0) return ERR_X509_BAD_EXTENSION;   // RFC 5280 4.2.1.9: critical in CAs
  }
  if (cKu >= 0 && (cKu & KU_KEY_CERT_SIGN) == 0) return ERR_X509_KEY_USAGE;
  if (cVersion == 3) {
    // RFC 5280 4.2.1.1/4.2.1.2: a CA has a subjectKeyIdentifier; an AKI, if
    // any, is a keyIdentifier only, equal to the SKI when self-signed.
    if (cSkiLen == 0) return ERR_X509_MISSING_KEY_ID;
    if (cExtSeen & EXT_AKI) {
      if (cAkiKeyIdLen == 0 || cAkiExtra) return ERR_X509_MISSING_KEY_ID;
      if (cIssuerEnd - cIssuer == cSubjectEnd - cSubject && memory.compare(cIssuer, cSubject, cSubjectEnd - cSubject) == 0 &&
          (cAkiKeyIdLen != cSkiLen || memory.compare(cAkiKeyId, cSki, cSkiLen) != 0)) return ERR_X509_MISSING_KEY_ID;
    }
  }
  const ncLen = cNc ? <i32>(cNcEnd - cNc) : 0;
  const len = <i32>ANCHOR_HEAD + cKeyLen + cELen + ncLen;
  if (storeUsed + len > X509_ANCHOR_STORE) return ERR_X509_ANCHOR_STORE_FULL;
  const a = STORE + <usize>storeUsed;
  store<u16>(a, len);
  store<u8>(a, cKeyType, 2);
  store<u8>(a, cPathLen < 0 ? 255 : cPathLen, 3);
  store<u16>(a, cKeyLen, 4);
  store<u16>(a, cELen, 6);
  store<u16>(a, ncLen, 8);
  store<u16>(a, 0, 10);
  store<i64>(a, cNotBefore, 12);
  store<i64>(a, cNotAfter, 20);
  digest(HASH_SHA256, cSubject, cSubjectEnd - cSubject, a + 28);
  memory.copy(anchorKey(a), cKey, cKeyLen);
  memory.copy(anchorE(a), cE, cELen);
  memory.copy(anchorNc(a), cNc, ncLen);
  storeUsed += len;
  return 0;
}
