// One X.509 v3 certificate (RFC 5280) parsed in place: parseCert walks the
// DER once and leaves positions and decoded fields in module globals (c...),
// which stay valid while the certificate bytes stay in the buffer.
// Implementation notes: checks that hold for every certificate whatever its
// place in the chain (structure, algorithm support, key sizes, extension
// criticality and duplicates, keyUsage/basicConstraints consistency) are made
// here; checks that depend on the position (leaf, CA, anchor) are in chain.ts.
// Public data only: nothing here is secret.
import { RD_SIZE, rdInit, rdOk, rdPos, rdLeft, rdU8, rdExpectEnd, derSub, derUnsigned } from "../util/reader";
import {
  rd, derPeek, derAny, derOid, derNull, derLast, derTime, BAD_TIME, oidFind,
  TAG_BOOLEAN, TAG_INTEGER, TAG_BIT_STRING, TAG_OCTET_STRING, TAG_NULL, TAG_OID, TAG_SEQUENCE,
  OID_SHA256_RSA, OID_SHA384_RSA, OID_SHA512_RSA, OID_RSA_PSS, OID_RSA, OID_MGF1,
  OID_ECDSA_SHA256, OID_ECDSA_SHA384, OID_ECDSA_SHA512, OID_EC_PUBLIC_KEY, OID_P256, OID_P384,
  OID_ED25519, OID_SHA256, OID_SHA512, OID_AIA, OID_SERVER_AUTH, OID_ANY_EKU, OID_SCT_LIST,
} from "./der";
import {
  ERR_X509_MALFORMED, ERR_X509_UNSUPPORTED_ALGORITHM, ERR_X509_KEY_TOO_SMALL, ERR_X509_VERSION,
  ERR_X509_SIG_ALG_MISMATCH, ERR_X509_DUPLICATE_EXTENSION, ERR_X509_BAD_EXTENSION, ERR_X509_EMPTY_NAME,
  ERR_X509_CRITICAL_EXTENSION, ERR_X509_KEY_USAGE, ERR_X509_BAD_SAN,
} from "./errors";
import { X509_DEFAULT_RSA_MIN_BITS, X509_RSA_MAX_BYTES } from "./config";
import { FULL } from "../config";
import { HASH_SHA256 } from "../crypto/hash";

export const KEY_RSA: i32 = 1;
export const KEY_P256: i32 = 2;
export const KEY_P384: i32 = 3;
export const KEY_ED25519: i32 = 4;

export const SIG_RSA_PKCS1: i32 = 1;
export const SIG_RSA_PSS: i32 = 2;
export const SIG_ECDSA: i32 = 3;
export const SIG_ED25519: i32 = 4;

// Extensions known by name: one bit each (cExtSeen, cExtCritical).
export const EXT_BC: u32 = 1;
export const EXT_KU: u32 = 2;
export const EXT_EKU: u32 = 4;
export const EXT_SAN: u32 = 8;
export const EXT_NC: u32 = 16;
export const EXT_SKI: u32 = 32;
export const EXT_AKI: u32 = 64;
const EXT_INFO: u32 = 128;       // AIA, CRL DP, freshest CRL, issuerAltName, SCTs: must not be critical
const EXT_POLICY: u32 = 256;     // policies, policy constraints, inhibitAnyPolicy: ignored unless critical

// keyUsage bits as read from the first two content bytes (big endian).
export const KU_DIGITAL_SIGNATURE: i32 = 0x8000;
export const KU_KEY_CERT_SIGN: i32 = 0x0400;
// extendedKeyUsage flags.
export const EKU_SERVER_AUTH: i32 = 1;
export const EKU_ANY: i32 = 2;

// Smallest RSA modulus accepted, in bits (x509Configure can change it).
export let rsaMinBits: i32 = X509_DEFAULT_RSA_MIN_BITS;
export function setRsaMinBits(bits: i32): void { rsaMinBits = bits; }

// ---- parse results -----------------------------------------------------------
export let cTbs: usize = 0;          // tbsCertificate, whole TLV: the signed bytes
export let cTbsEnd: usize = 0;
export let cSigAlg: i32 = 0;         // SIG_*, 0 when not supported (anchors only)
export let cSigHash: i32 = 0;        // HASH_* for RSA/ECDSA, 0 for Ed25519
export let cSig: usize = 0;          // signature BIT STRING content (after the unused-bits byte)
export let cSigLen: i32 = 0;
export let cIssuer: usize = 0;       // issuer Name, whole TLV
export let cIssuerEnd: usize = 0;
export let cSubject: usize = 0;      // subject Name, whole TLV
export let cSubjectEnd: usize = 0;
export let cSubjectEmpty: bool = false;
export let cNotBefore: i64 = 0;
export let cNotAfter: i64 = 0;
export let cSpki: usize = 0;         // SubjectPublicKeyInfo, whole TLV
export let cSpkiEnd: usize = 0;
export let cKeyType: i32 = 0;        // KEY_*
export let cKey: usize = 0;          // RSA n (no leading zero) / EC point 04|X|Y / Ed25519 key
export let cKeyLen: i32 = 0;
export let cE: usize = 0;            // RSA public exponent (big endian, 1..4 bytes)
export let cELen: i32 = 0;
export let cVersion: i32 = 0;
export let cExtSeen: u32 = 0;
export let cExtCritical: u32 = 0;
export let cIsCA: bool = false;
export let cPathLen: i32 = -1;       // -1: no pathLenConstraint
export let cKu: i32 = -1;            // -1: no keyUsage extension
export let cEku: i32 = -1;           // -1: no extendedKeyUsage extension
export let cSan: usize = 0;          // GeneralNames content
export let cSanEnd: usize = 0;
export let cNc: usize = 0;           // NameConstraints content
export let cNcEnd: usize = 0;
export let cSki: usize = 0;          // subjectKeyIdentifier bytes
export let cSkiLen: i32 = 0;
export let cAkiKeyId: usize = 0;     // authorityKeyIdentifier keyIdentifier bytes
export let cAkiKeyIdLen: i32 = 0;
export let cAkiExtra: bool = false;  // AKI carries authorityCertIssuer / serial

const R0 = rd(0), R1 = rd(1), R2 = rd(2), R3 = rd(3), R4 = rd(4);
const R5 = rd(5), R6 = rd(6), R7 = rd(7), R8 = rd(8), R9 = rd(9);

// AlgorithmIdentifier of a hash (PSS parameters) read from r: HASH id or 0.
function hashAlg(r: usize, a: usize, b: usize): i32 {
  if (!derSub(r, a, TAG_SEQUENCE)) return 0;
  const o = derOid(a, b) - OID_SHA256 + 1;
  if (<u32>(o - 1) > 2) return 0;
  if (rdLeft(a) != 0 && !(derNull(a, b) && rdLeft(a) == 0)) return 0;
  return o;
}

// RSASSA-PSS-params (RFC 4055) in r: only hash = MGF1 hash = SHA-256/384/512,
// salt = hash length, trailer 1. Returns the hash id or an error.
function pssParams(r: usize): i32 {
  const p = R5, a = R6, b = R7, c = R8;
  if (!derLast(r, p, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
  let h = 0, mgf = 0, salt: u32 = 20;
  if (derPeek(p) == 0xa0 && derSub(p, a, 0xa0)) {
    h = hashAlg(a, b, c);
  }
  if (derPeek(p) == 0xa1 && derSub(p, a, 0xa1) && derSub(a, b, TAG_SEQUENCE)) {
    if (derOid(b, c) == OID_MGF1) mgf = hashAlg(b, c, R9);
  }
  if (derPeek(p) == 0xa2 && derSub(p, a, 0xa2)) {
    if (!derSub(a, b, TAG_INTEGER) || rdLeft(b) != 1) return ERR_X509_UNSUPPORTED_ALGORITHM;
    salt = load<u8>(rdPos(b));
  }
  if (derPeek(p) == 0xa3 && derSub(p, a, 0xa3)) {
    if (!derSub(a, b, TAG_INTEGER) || rdLeft(b) != 1 || load<u8>(rdPos(b)) != 1) return ERR_X509_UNSUPPORTED_ALGORITHM;
  }
  if (!rdExpectEnd(p)) return ERR_X509_MALFORMED;
  if (h == 0 || mgf != h || salt != <u32>(h + 1) << 4) return ERR_X509_UNSUPPORTED_ALGORITHM;
  return h;
}

// Signature AlgorithmIdentifier [p, lim) (whole TLV): sets cSigAlg/cSigHash.
function sigAlg(p: usize, lim: usize): i32 {
  const r = R3, a = R4;
  rdInit(R2, p, lim - p);
  if (!derLast(R2, r, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
  const o = derOid(r, a);
  if (o < 0) return ERR_X509_MALFORMED;
  const noParams = rdLeft(r) == 0;
  if (o >= OID_SHA256_RSA && o <= OID_SHA512_RSA) {
    if (!noParams && !(derNull(r, a) && rdLeft(r) == 0)) return ERR_X509_MALFORMED;
    cSigAlg = SIG_RSA_PKCS1; cSigHash = o - OID_SHA256_RSA + 1;
  } else if (o >= OID_ECDSA_SHA256 && o <= OID_ECDSA_SHA512) {
    if (!noParams) return ERR_X509_MALFORMED;
    cSigAlg = SIG_ECDSA; cSigHash = o - OID_ECDSA_SHA256 + 1;
  } else if (FULL && o == OID_ED25519) {
    if (!noParams) return ERR_X509_MALFORMED;
    cSigAlg = SIG_ED25519; cSigHash = 0;
  } else if (FULL && o == OID_RSA_PSS) {   // device profile: no RSA-PSS certificate signatures (CertificateVerify's are kept)
    const h = pssParams(r);
    if (h < 0) return h;
    cSigAlg = SIG_RSA_PSS; cSigHash = h;
  } else return ERR_X509_UNSUPPORTED_ALGORITHM;
  // The device profile (config.ts) has SHA-256 only (no Ed25519 either).
  if (!FULL && cSigHash != HASH_SHA256) return ERR_X509_UNSUPPORTED_ALGORITHM;
  return 0;
}

// Bits in a big-endian magnitude [p, p+n) whose first byte is non-zero.
function bitLen(p: usize, n: i32): i32 {
  return (n - 1) * 8 + 32 - clz<i32>(load<u8>(p));
}

// SubjectPublicKeyInfo, next in r: sets cSpki.., cKeyType, cKey.., cE...
function spki(r: usize): i32 {
  const s = R3, alg = R4, a = R5, bits = R6, k = R7, m = R8;
  cSpki = rdPos(r);
  if (!derSub(r, s, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
  cSpkiEnd = rdPos(r);
  if (!derSub(s, alg, TAG_SEQUENCE) || !derLast(s, bits, TAG_BIT_STRING)) return ERR_X509_MALFORMED;
  const o = derOid(alg, a);
  if (o < 0 || rdU8(bits) != 0 || !rdOk(bits)) return ERR_X509_MALFORMED;
  const kp = rdPos(bits);
  const kn = <i32>rdLeft(bits);
  if (o == OID_RSA) {
    if (rdLeft(alg) != 0 && !(derNull(alg, a) && rdLeft(alg) == 0)) return ERR_X509_MALFORMED;
    if (!derLast(bits, k, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
    if (!derUnsigned(k, m)) return ERR_X509_MALFORMED;
    cKey = rdPos(m); cKeyLen = <i32>rdLeft(m);
    if (!derUnsigned(k, m) || !rdExpectEnd(k)) return ERR_X509_MALFORMED;
    cE = rdPos(m); cELen = <i32>rdLeft(m);
    if (load<u8>(cKey) == 0) return ERR_X509_MALFORMED;            // n = 0
    if (cKeyLen > X509_RSA_MAX_BYTES) return ERR_X509_UNSUPPORTED_ALGORITHM;
    if (bitLen(cKey, cKeyLen) < rsaMinBits) return ERR_X509_KEY_TOO_SMALL;
    if (cELen > 4 || (load<u8>(cE + cELen - 1) & 1) == 0 || (cELen == 1 && load<u8>(cE) < 3)) return ERR_X509_UNSUPPORTED_ALGORITHM;
    cKeyType = KEY_RSA;
    return 0;
  }
  cKey = kp; cKeyLen = kn; cE = 0; cELen = 0;
  if (o == OID_EC_PUBLIC_KEY) {
    const c = derOid(alg, a);
    if (!rdExpectEnd(alg)) return ERR_X509_MALFORMED;
    if (c == OID_P256) cKeyType = KEY_P256;
    else if (FULL && c == OID_P384) cKeyType = KEY_P384;       // device profile: P-256 only
    else return ERR_X509_UNSUPPORTED_ALGORITHM;                       // P-192, P-521, explicit curves...
    if (kn != (cKeyType == KEY_P256 ? 65 : 97) || load<u8>(kp) != 4) return ERR_X509_UNSUPPORTED_ALGORITHM;
    return 0;
  }
  if (FULL && o == OID_ED25519) {                                     // device profile: none
    if (rdLeft(alg) != 0 || kn != 32) return ERR_X509_MALFORMED;
    cKeyType = KEY_ED25519;
    return 0;
  }
  return ERR_X509_UNSUPPORTED_ALGORITHM;                               // DSA, RSA-PSS keys, X25519...
}

// Which known extension an OID is: its EXT_* bit, 0 if unknown.
function extBit(p: usize, n: usize): u32 {
  if (n == 3 && load<u8>(p) == 0x55 && load<u8>(p + 1) == 0x1d) {
    switch (load<u8>(p + 2)) {
      case 0x13: return EXT_BC;
      case 0x0f: return EXT_KU;
      case 0x25: return EXT_EKU;
      case 0x11: return EXT_SAN;
      case 0x1e: return EXT_NC;
      case 0x0e: return EXT_SKI;
      case 0x23: return EXT_AKI;
      case 0x12: case 0x1f: case 0x2e: return EXT_INFO;   // issuerAltName, CRL DP, freshest CRL
      case 0x20: case 0x24: case 0x36: return EXT_POLICY; // policies, policyConstraints, inhibitAnyPolicy
    }
    return 0;
  }
  const o = oidFind(p, n);
  return o == OID_AIA || o == OID_SCT_LIST ? EXT_INFO : 0;
}

// The value v (OCTET STRING content) of the known extension `bit`.
// Uses readers 7..9.
function extValue(bit: u32, v: usize, isAia: bool): i32 {
  const s = R7, e = R8;
  if (bit == EXT_BC) {
    if (!derLast(v, s, TAG_SEQUENCE)) return ERR_X509_BAD_EXTENSION;
    if (derPeek(s) == TAG_BOOLEAN) {
      if (!derSub(s, e, TAG_BOOLEAN) || rdLeft(e) != 1) return ERR_X509_BAD_EXTENSION;
      cIsCA = load<u8>(rdPos(e)) != 0;
    }
    if (rdLeft(s) != 0) {
      if (!derUnsigned(s, e)) return ERR_X509_BAD_EXTENSION;
      cPathLen = rdLeft(e) > 1 ? 255 : <i32>load<u8>(rdPos(e));
    }
    return rdExpectEnd(s) ? 0 : ERR_X509_BAD_EXTENSION;
  }
  if (bit == EXT_KU) {
    if (!derLast(v, s, TAG_BIT_STRING)) return ERR_X509_BAD_EXTENSION;
    const n = rdLeft(s), q = rdPos(s);
    if (n < 2 || n > 3 || load<u8>(q) > 7) return ERR_X509_BAD_EXTENSION;
    cKu = <i32>load<u8>(q + 1) << 8 | (n == 3 ? <i32>load<u8>(q + 2) : 0);
    return cKu == 0 ? ERR_X509_BAD_EXTENSION : 0;
  }
  if (bit == EXT_EKU) {
    if (!derLast(v, s, TAG_SEQUENCE) || rdLeft(s) == 0) return ERR_X509_BAD_EXTENSION;
    cEku = 0;
    while (rdLeft(s) != 0) {
      const o = derOid(s, e);
      if (o < 0) return ERR_X509_BAD_EXTENSION;
      if (o == OID_SERVER_AUTH) cEku |= EKU_SERVER_AUTH;
      else if (o == OID_ANY_EKU) cEku |= EKU_ANY;
    }
    return 0;
  }
  if (bit == EXT_SAN) {
    if (!derLast(v, s, TAG_SEQUENCE) || rdLeft(s) == 0) return ERR_X509_BAD_EXTENSION;
    cSan = rdPos(s); cSanEnd = cSan + rdLeft(s);
    while (rdLeft(s) != 0) {
      const t = derAny(s, e);
      if (t == 0x100) return ERR_X509_BAD_EXTENSION;
      if (t == 0x87 && rdLeft(e) != 4 && rdLeft(e) != 16) return ERR_X509_BAD_SAN;
    }
    return 0;
  }
  if (bit == EXT_NC) {
    if (!derLast(v, s, TAG_SEQUENCE) || rdLeft(s) == 0) return ERR_X509_BAD_EXTENSION;
    cNc = rdPos(s); cNcEnd = cNc + rdLeft(s);
    return 0;
  }
  if (bit == EXT_SKI) {
    if (!derLast(v, s, TAG_OCTET_STRING) || rdLeft(s) == 0) return ERR_X509_BAD_EXTENSION;
    cSki = rdPos(s); cSkiLen = <i32>rdLeft(s);
    return 0;
  }
  if (bit == EXT_AKI) {
    if (!derLast(v, s, TAG_SEQUENCE)) return ERR_X509_BAD_EXTENSION;
    while (rdLeft(s) != 0) {
      const t = derAny(s, e);
      if (t == 0x80) { cAkiKeyId = rdPos(e); cAkiKeyIdLen = <i32>rdLeft(e); }
      else if (t == 0xa1 || t == 0x82) cAkiExtra = true;
      else return ERR_X509_BAD_EXTENSION;
    }
    return 0;
  }
  if (isAia) {
    // SEQUENCE OF AccessDescription { accessMethod OID, accessLocation GeneralName }
    if (!derLast(v, s, TAG_SEQUENCE) || rdLeft(s) == 0) return ERR_X509_BAD_EXTENSION;
    while (rdLeft(s) != 0) {
      if (!derSub(s, e, TAG_SEQUENCE) || derOid(e, R9) < 0 || derAny(e, R9) == 0x100 || rdLeft(e) != 0) {
        return ERR_X509_BAD_EXTENSION;
      }
    }
  }
  return 0;
}

// Extensions: the content of [3] in r. Uses readers 3..9.
function extensions(r: usize): i32 {
  const list = R4, x = R5, v = R6;
  if (!derLast(r, list, TAG_SEQUENCE) || rdLeft(list) == 0) return ERR_X509_MALFORMED;
  while (rdLeft(list) != 0) {
    if (!derSub(list, x, TAG_SEQUENCE) || !derSub(x, v, TAG_OID)) return ERR_X509_MALFORMED;
    const bit = extBit(rdPos(v), rdLeft(v));
    const isAia = oidFind(rdPos(v), rdLeft(v)) == OID_AIA;
    let crit = false;
    if (derPeek(x) == TAG_BOOLEAN) {
      if (!derSub(x, v, TAG_BOOLEAN) || rdLeft(v) != 1) return ERR_X509_MALFORMED;
      crit = load<u8>(rdPos(v)) != 0;
    }
    if (!derLast(x, v, TAG_OCTET_STRING)) return ERR_X509_MALFORMED;
    if (bit == 0) {
      if (crit) return ERR_X509_CRITICAL_EXTENSION;
      continue;
    }
    if (bit & (EXT_BC | EXT_KU | EXT_EKU | EXT_SAN | EXT_NC | EXT_SKI | EXT_AKI)) {
      if (cExtSeen & bit) return ERR_X509_DUPLICATE_EXTENSION;
      cExtSeen |= bit;
      if (crit) cExtCritical |= bit;
    }
    if (crit && (bit & EXT_POLICY)) return ERR_X509_CRITICAL_EXTENSION;
    if (crit && (bit & (EXT_INFO | EXT_SKI | EXT_AKI))) return ERR_X509_BAD_EXTENSION;
    const e = extValue(bit, v, isAia);
    if (e < 0) return e;
  }
  return 0;
}

function reset(): void {
  cSigAlg = 0; cSigHash = 0; cKeyType = 0; cE = 0; cELen = 0;
  cExtSeen = 0; cExtCritical = 0; cIsCA = false; cPathLen = -1; cKu = -1; cEku = -1;
  cSan = 0; cSanEnd = 0; cNc = 0; cNcEnd = 0; cSki = 0; cSkiLen = 0;
  cAkiKeyId = 0; cAkiKeyIdLen = 0; cAkiExtra = false;
}

// Reads a whole element (tag `tag`) of r and returns its start; its end is rdPos(r).
function whole(r: usize, sub: usize, tag: u32): usize {
  const p = rdPos(r);
  return derSub(r, sub, tag) ? p : 0;
}

// Parses the certificate [p, p+n). `anchor`: a trust anchor being installed,
// for which an unsupported signature algorithm or version 1 is accepted (its
// own signature is never checked). Returns 0 or an error code.
export function parseCert(p: usize, n: usize, anchor: bool): i32 {
  reset();
  const top = R0, cert = R1, tbs = R2, f = R3;
  rdInit(top, p, n);
  if (!derLast(top, cert, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
  cTbs = whole(cert, tbs, TAG_SEQUENCE);
  cTbsEnd = rdPos(cert);
  const alg = whole(cert, f, TAG_SEQUENCE);
  const algEnd = rdPos(cert);
  if (cTbs == 0 || alg == 0 || !derLast(cert, f, TAG_BIT_STRING) || rdU8(f) != 0 || !rdOk(f)) {
    return ERR_X509_MALFORMED;
  }
  cSig = rdPos(f);
  cSigLen = <i32>rdLeft(f);

  // version [0] EXPLICIT INTEGER DEFAULT v1 (v1 is encoded by omission)
  cVersion = 1;
  if (derPeek(tbs) == 0xa0) {
    if (!derSub(tbs, f, 0xa0) || !derLast(f, R4, TAG_INTEGER) || rdLeft(R4) != 1) return ERR_X509_MALFORMED;
    cVersion = <i32>load<u8>(rdPos(R4)) + 1;
    if (cVersion < 2 || cVersion > 3) return ERR_X509_VERSION;
  }
  if (cVersion != 3 && !anchor) return ERR_X509_VERSION;
  // serialNumber: 1..20 octets (21 with a sign octet)
  if (!derSub(tbs, f, TAG_INTEGER) || rdLeft(f) == 0 || rdLeft(f) > 21) return ERR_X509_MALFORMED;
  // signature: must be the outer signatureAlgorithm, byte for byte
  const a2 = whole(tbs, f, TAG_SEQUENCE);
  if (a2 == 0) return ERR_X509_MALFORMED;
  if (rdPos(tbs) - a2 != algEnd - alg || memory.compare(a2, alg, algEnd - alg) != 0) return ERR_X509_SIG_ALG_MISMATCH;
  // issuer
  cIssuer = whole(tbs, f, TAG_SEQUENCE);
  cIssuerEnd = rdPos(tbs);
  if (cIssuer == 0) return ERR_X509_MALFORMED;
  if (rdLeft(f) == 0) return ERR_X509_EMPTY_NAME;
  // validity
  if (!derSub(tbs, f, TAG_SEQUENCE)) return ERR_X509_MALFORMED;
  cNotBefore = derTime(f, R4);
  cNotAfter = derTime(f, R4);
  if (cNotBefore == BAD_TIME || cNotAfter == BAD_TIME || !rdExpectEnd(f)) return ERR_X509_MALFORMED;
  // subject
  cSubject = whole(tbs, f, TAG_SEQUENCE);
  cSubjectEnd = rdPos(tbs);
  if (cSubject == 0) return ERR_X509_MALFORMED;
  cSubjectEmpty = rdLeft(f) == 0;
  // subjectPublicKeyInfo
  let e = spki(tbs);
  if (e < 0) return e;
  // issuerUniqueID [1], subjectUniqueID [2]: skipped
  while (derPeek(tbs) == 0x81 || derPeek(tbs) == 0x82) {
    if (derAny(tbs, f) == 0x100 || cVersion < 2) return ERR_X509_MALFORMED;
  }
  // extensions [3]
  if (rdLeft(tbs) != 0) {
    if (!derLast(tbs, f, 0xa3) || cVersion != 3) return ERR_X509_MALFORMED;
    e = extensions(f);
    if (e < 0) return e;
  }
  // signatureAlgorithm (after the structure, so malformed input reports as such)
  e = sigAlg(alg, algEnd);
  if (e < 0) {
    if (!anchor || e != ERR_X509_UNSUPPORTED_ALGORITHM) return e;
    cSigAlg = 0;
  }
  return checkConsistency();
}

// Rules between fields of the one certificate (RFC 5280 4.2.1.3, 4.2.1.6).
function checkConsistency(): i32 {
  if (cKu >= 0 && (cKu & KU_KEY_CERT_SIGN) != 0 && !cIsCA) return ERR_X509_KEY_USAGE;
  if (cExtSeen & EXT_SAN) {
    // empty subject: SAN must be critical; otherwise it should not be
    if (cSubjectEmpty != ((cExtCritical & EXT_SAN) != 0)) return ERR_X509_BAD_EXTENSION;
  } else if (cSubjectEmpty) return ERR_X509_EMPTY_NAME;
  // nameConstraints must be critical per RFC 5280 but not per the CABF
  // profile (webpki): non-critical ones are accepted and enforced.
  return 0;
}
