// Streaming X.509 path validation (RFC 5280 6.1, reduced) for a TLS client:
// the server's certificates are pushed one at a time, leaf first, and the
// chain is checked as it arrives, holding ONE certificate in RAM.
//   x509Begin(host, isIp, now) -> x509StartCert(len) -> x509Append(p, n)... ->
//   x509EndCert() -> ... -> x509EndChain() -> x509LeafKey* / x509VerifyLeafSignature
// Every call returns 0 or an error; the first error sticks.
//
// Implementation notes
// - Order: each certificate must certify the one before it. A certificate
//   whose subject is not the previous one's issuer, or whose key does not
//   verify the previous signature, is skipped (servers send stale or extra
//   certificates); a skipped bad signature is reported at the end if nothing
//   else verifies. Once a certificate is signed by (or equal to) a trust
//   anchor the chain is trusted and later certificates are ignored (e.g. the
//   root itself). Not supported: intermediates sent in an order other than
//   leaf-to-root (a certificate that arrives before the one it signs has been
//   skipped by then), and path building over alternative issuers.
// - Between certificates only this is kept: the previous certificate's TBS
//   digest (its signature's hash), its issuer name hash (SHA-256 of the DER
//   Name: names are compared as bytes), the intermediate counts, and inside
//   the one certificate buffer (shrinking the room for later certificates):
//   at its start the leaf key (for CertificateVerify); at its end the
//   subjectAltNames seen so far (for name constraints higher up), and below
//   those the previous signature value and, for an Ed25519 signature, the
//   whole TBS (PureEdDSA needs the issuer key before the message). SANs are
//   dropped again when a later certificate needs the room; a name constraint
//   met after that fails as unsupported. So the leaf may take the whole
//   X509_CERT_MAX less its own signature; each later certificate gets that
//   less the leaf key and the pending signature.
// - Time: now == 0 means unknown; then X509_TIME_FLOOR stands in, only
//   expiry before the floor is detected, and x509Flags() has
//   X509_FLAG_TIME_UNKNOWN.
// - Host names: SAN dNSName only (RFC 6125, no common-name fallback at all),
//   iPAddress SANs when connecting by address.
// - The host name given to x509Begin is read at the leaf's x509EndCert: the
//   caller keeps it in place until then.
//
// RAM (static): certificate buffer X509_CERT_MAX (4096) + digest 64 +
// 5 x 32 (name hashes, pin) + IP 16 = 4336 here; sig.ts 296 (hash context,
// ECDSA r||s), der.ts 286 (reader records, OID table), anchors.ts run-time
// store 1024: 5942 bytes of linear memory for X.509 (the run-time anchor
// store only serves tests; builds with compiled-in anchors could drop it).
import {
  parseCert, cTbs, cTbsEnd, cSigAlg, cSigHash, cSig, cSigLen, cIssuer, cIssuerEnd, cSubject, cSubjectEnd,
  cNotBefore, cNotAfter, cSpki, cSpkiEnd, cKeyType, cKey, cKeyLen, cE, cELen, cExtSeen, cIsCA, cPathLen,
  cKu, cEku, cSan, cSanEnd, cNc, cNcEnd, cSki, cSkiLen, cAkiKeyId, cAkiKeyIdLen, cAkiExtra,
  EXT_BC, EXT_SAN, EXT_SKI, EXT_AKI, KU_DIGITAL_SIGNATURE, KU_KEY_CERT_SIGN, EKU_SERVER_AUTH, EKU_ANY,
  SIG_ED25519, SIG_ECDSA, SIG_RSA_PSS, KEY_RSA, KEY_P256, KEY_P384, KEY_ED25519, setRsaMinBits,
} from "./cert";
import {
  anchorNext, anchorName, anchorKeyType, anchorKey, anchorKeyLen, anchorE, anchorELen, anchorPathLen,
  anchorNc, anchorNcLen, anchorNotBefore, anchorNotAfter,
} from "./anchors";
import { verifySig, digest } from "./sig";
import { rsaMinBits as rsaMinBitsCrypto } from "./rsa-glue";
import { rd, derAny, derPeek } from "./der";
import { dnsMatch, dnsLabels, dnsWithin, ipWithin, ipMaskValid, parseIpv4 } from "./hostname";
import { rdInit, rdLeft, rdPos, rdOk, derSub } from "../util/reader";
import { hashLen, HASH_SHA256, HASH_SHA384, HASH_SHA512, HASH_MAX_LEN } from "../crypto/hash";
import { FULL } from "../config";
import * as log from "../log";
import {
  X509_CERT_MAX, X509_MAX_CERTS, X509_DEFAULT_MAX_INTERMEDIATES, X509_DEFAULT_RSA_MIN_BITS,
  X509_RSA_MAX_BYTES, X509_TIME_FLOOR,
} from "./config";
import {
  ERR_X509_CERT_TOO_LARGE, ERR_X509_EXPIRED, ERR_X509_NOT_YET_VALID, ERR_X509_UNKNOWN_ISSUER,
  ERR_X509_BAD_SIGNATURE, ERR_X509_NAME_MISMATCH, ERR_X509_NOT_CA, ERR_X509_PATH_LEN, ERR_X509_KEY_USAGE,
  ERR_X509_EKU, ERR_X509_UNSUPPORTED_ALGORITHM, ERR_X509_CHAIN_TOO_LONG, ERR_X509_EMPTY_CHAIN,
  ERR_X509_STATE, ERR_X509_LENGTH, ERR_X509_BAD_EXTENSION, ERR_X509_NAME_CONSTRAINTS,
  ERR_X509_UNSUPPORTED_NC, ERR_X509_PIN_MISMATCH, ERR_X509_NO_SAN, ERR_X509_LEAF_IS_CA,
  ERR_X509_NO_LEAF_KEY, ERR_X509_SCHEME, ERR_X509_BAD_HOST, ERR_X509_CV_SIGNATURE, ERR_X509_BAD_SAN,
  ERR_X509_MISSING_KEY_ID, ERR_X509_MALFORMED,
} from "./errors";

export const X509_FLAG_TIME_UNKNOWN: i32 = 1;  // validity checked against X509_TIME_FLOOR only
export const X509_FLAG_PINNED: i32 = 2;        // accepted by the SPKI pin, not by an anchor
export const X509_FLAG_INSECURE: i32 = 4;      // NOTHING was validated (insecure mode)

// ---- static memory -------------------------------------------------------------
const CERT: usize = memory.data(X509_CERT_MAX);               // 4096: the current certificate
const PDIG: usize = memory.data(HASH_MAX_LEN);                // 64: previous TBS digest
const PISSUER: usize = memory.data(32);                       // previous issuer name hash
const HSUBJ: usize = memory.data(32);                         // current subject name hash
const HISS: usize = memory.data(32);                          // current issuer name hash
const IPREF: usize = memory.data(16);                         // expected IP address
const PIN: usize = memory.data(32);                           // SHA-256 of the pinned SPKI

// settings (x509Configure, x509SetPin, x509SetInsecure)
let maxInter: i32 = X509_DEFAULT_MAX_INTERMEDIATES;
let pinOn = false;
let insecure = false;

// chain state
let err: i32 = 0;
let phase: i32 = 0;          // 0: no chain, 1: between certificates, 2: in a certificate, 3: ended
let certLen: i32 = 0;
let fill: i32 = 0;
let hostPtr: usize = 0;
let hostLen: i32 = 0;
let ipLen: i32 = 0;          // 4 or 16 when connecting by IP, else 0
let now: i64 = 0;
let flags: i32 = 0;
let nCerts: i32 = 0;         // certificates received
let nInter: i32 = 0;         // intermediates used
let nNonSelf: i32 = 0;       // of which not self-issued
let trusted = false;
let pinned = false;
let softErr: i32 = 0;        // why a skipped certificate did not chain
let pAlg: i32 = 0;           // previous certificate: signature algorithm and hash
let pHash: i32 = 0;
let pSigLen: i32 = 0;
// The certificate buffer: [0, base) the leaf key (after the leaf);
// [base, base + certLen) the current certificate; [tail, top) what is kept:
// the pending TBS (tbsLen, Ed25519 only) and signature (pSigLen), then the
// kept SAN lists.
const top: i32 = X509_CERT_MAX;
let base: i32 = 0;
let tail: i32 = X509_CERT_MAX;
let tbsLen: i32 = 0;
let sanDropped = false;
let lType: i32 = 0;          // leaf key
let lLen: i32 = 0;
let lELen: i32 = 0;

function fail(e: i32): i32 {
  if (err == 0) err = e;
  return err;
}

// ---- configuration -------------------------------------------------------------
// maxIntermediates: most intermediates between leaf and anchor, not counting
// self-issued ones (key rollover) (-1: default);
// rsaMinBits: smallest RSA modulus (-1: default 2048).
export function x509Configure(maxIntermediates: i32, rsaMinBits: i32): void {
  maxInter = maxIntermediates < 0 ? X509_DEFAULT_MAX_INTERMEDIATES : maxIntermediates;
  const bits = rsaMinBits < 0 ? X509_DEFAULT_RSA_MIN_BITS : rsaMinBits;
  setRsaMinBits(bits);
  rsaMinBitsCrypto(bits);
}

// Pins the leaf key: spkiSha256 = SHA-256 of its DER SubjectPublicKeyInfo,
// or 0 to remove the pin. With a pin the leaf must carry that key and no
// trust anchor is needed; host name and validity are still checked.
export function x509SetPin(spkiSha256: usize): void {
  pinOn = spkiSha256 != 0;
  if (pinOn) memory.copy(PIN, spkiSha256, 32);
}

// INSECURE: accepts any certificate chain without checking anything (the leaf
// key is still taken for CertificateVerify). Off by default; every chain
// accepted this way is logged.
// One text for both places (a string literal is UTF-16 in linear memory).
const INSECURE_WARNING = "X509 WARNING: INSECURE mode, the chain is NOT validated";
export function x509SetInsecureNoValidation(on: bool): void {
  if (FULL) {   // the device profile (config.ts) has no insecure mode
    insecure = on;
    if (on) log.say(INSECURE_WARNING);
  }
}

// ---- the push interface -----------------------------------------------------------
// Starts a chain for the server `host` (a DNS name, or when isIp an IPv4
// address as text or 4/16 raw bytes), at time `nowSeconds` (0: unknown).
export function x509Begin(host: usize, len: i32, isIp: bool, nowSeconds: i64): i32 {
  err = 0; phase = 1; nCerts = 0; nInter = 0; nNonSelf = 0; trusted = false; pinned = false;
  softErr = 0; pAlg = 0; pSigLen = 0; base = 0; tail = top; tbsLen = 0; sanDropped = false;
  lType = 0; flags = 0; ipLen = 0; pending = 0;
  hostPtr = host; hostLen = len;
  now = nowSeconds;
  if (now <= 0) { now = 0; flags |= X509_FLAG_TIME_UNKNOWN; }
  if (isIp) {
    if (len == 4 || len == 16) { memory.copy(IPREF, host, len); ipLen = len; }
    else if (parseIpv4(host, len, IPREF)) ipLen = 4;
    else return fail(ERR_X509_BAD_HOST);
  } else {
    if (len > 0 && load<u8>(host + len - 1) == 46) hostLen = --len;   // "example.com."
    if (dnsLabels(host, len, false) == 0) return fail(ERR_X509_BAD_HOST);
  }
  return 0;
}

export function x509StartCert(totalLen: i32): i32 {
  if (pending) x509Work();
  if (err) return err;
  if (phase != 1) return fail(ERR_X509_STATE);
  if (++nCerts > X509_MAX_CERTS) return fail(ERR_X509_CHAIN_TOO_LONG);
  if (totalLen <= 0) return fail(ERR_X509_LENGTH);
  if (stored()) {
    if (totalLen > tail - base && !sanDropped) dropSans();
    if (totalLen > tail - base) return fail(ERR_X509_CERT_TOO_LARGE);
  }
  certLen = totalLen; fill = 0; phase = 2;
  return 0;
}

export function x509Append(p: usize, n: i32): i32 {
  if (err) return err;
  if (phase != 2) return fail(ERR_X509_STATE);
  if (n < 0 || n > certLen - fill) return fail(ERR_X509_LENGTH);
  if (stored()) memory.copy(CERT + <usize>(base + fill), p, n);
  fill += n;
  return 0;
}

export function x509EndCert(): i32 {
  if (err) return err;
  if (phase != 2) return fail(ERR_X509_STATE);
  if (fill != certLen) return fail(ERR_X509_LENGTH);
  phase = 1;
  if (!stored()) { if (logSubjects) logSubject(0, 0); return 0; }
  let e = parseCert(CERT + <usize>base, certLen, false);
  if (e < 0) return fail(e);
  if (logSubjects) logSubject(cSubject, cSubjectEnd);
  if (!(FULL && insecure)) {
    digest(HASH_SHA256, cSubject, cSubjectEnd - cSubject, HSUBJ);
    digest(HASH_SHA256, cIssuer, cIssuerEnd - cIssuer, HISS);
    // (deferred, the issuer's checks wait for x509Work: see below)
    if (nCerts > 1 && deferOn && memory.compare(HSUBJ, PISSUER, 32) == 0) pending = PEND_INTER;
    else e = nCerts == 1 ? leaf() : intermediate();
    if (e < 0) return fail(e);
  }
  if (nCerts == 1) keepLeafKey();
  return 0;
}

// For bin/tls-client (x509_log_subjects): each certificate's subject (DER
// Name, read in place from the certificate buffer) as log lines
// "X509 SUBJ <n> <hex>", 48 bytes a line; no hex: certificate n was not
// examined (after the chain was trusted, or past the leaf when insecure).
// RAM: one global, no buffer. Public data (certificates), off by default.
let logSubjects = false;
export function x509LogSubjects(on: bool): void { logSubjects = on; }
function logSubject(p: usize, end: usize): void {
  do {
    const k = <i32>min<usize>(end - p, 48);
    log.str("X509 SUBJ "); log.int(nCerts); log.str(" "); log.hex(p, k); log.end();
    p += k;
  } while (p < end);
}

// Is the current certificate kept and checked? Not once the chain is
// trusted, nor past the leaf in insecure mode.
function stored(): bool { return !trusted && !(FULL && insecure && nCerts > 1); }

export function x509EndChain(): i32 {
  if (pending) x509Work();
  if (err) return err;
  if (phase != 1) return fail(ERR_X509_STATE);
  if (nCerts == 0) return fail(ERR_X509_EMPTY_CHAIN);
  if (FULL ? insecure : false) {
    log.say(INSECURE_WARNING);
    flags |= X509_FLAG_INSECURE;
  } else if (pinned) {
    flags |= X509_FLAG_PINNED;
  } else if (!trusted) {
    return fail(softErr ? softErr : ERR_X509_UNKNOWN_ISSUER);
  }
  phase = 3;
  return 0;
}

// X509_FLAG_* of the last chain.
export function x509Flags(): i32 { return flags; }
// The sticky status: 0 or the first error.
export function x509Status(): i32 { return err; }

// ---- per certificate ---------------------------------------------------------------

function leaf(): i32 {
  let e = checkTime(cNotBefore, cNotAfter);
  if (e < 0) return e;
  const isAnchor = equalsAnchor() != 0;
  if (cIsCA && !isAnchor) return ERR_X509_LEAF_IS_CA;
  if (cKu >= 0 && (cKu & KU_DIGITAL_SIGNATURE) == 0) return ERR_X509_KEY_USAGE;
  if (cEku >= 0 && (cEku & EKU_SERVER_AUTH) == 0) return ERR_X509_EKU;
  if (cNc) return ERR_X509_BAD_EXTENSION;                // name constraints only in CAs
  if (!isAnchor && !selfIssued() && (cAkiKeyIdLen == 0 || cAkiExtra)) return ERR_X509_MISSING_KEY_ID;
  e = matchHost();
  if (e < 0) return e;
  if (pinOn) {
    digest(HASH_SHA256, cSpki, cSpkiEnd - cSpki, HSUBJ);
    if (memory.compare(HSUBJ, PIN, 32) != 0) return ERR_X509_PIN_MISMATCH;
    pinned = true;
    trusted = true;                                  // later certificates are not needed
    return 0;
  }
  if (isAnchor) { trusted = true; return 0; }
  return chainUp();
}

function intermediate(): i32 {
  if (memory.compare(HSUBJ, PISSUER, 32) != 0) return 0;          // not the issuer: skip
  let e = verifyPrevious();
  if (e < 0) {
    if (e != ERR_X509_BAD_SIGNATURE) return e;
    softErr = e;                                                   // skip, maybe another one verifies
    return 0;
  }
  tail += tbsLen + pSigLen;                                        // the pending signature is done
  tbsLen = 0; pSigLen = 0;
  const anchor = equalsAnchor();
  if (anchor) return useAnchor(anchor, true);
  e = checkCa();
  if (e < 0) return e;
  nInter++;
  if (!selfIssued() && ++nNonSelf > maxInter) return ERR_X509_CHAIN_TOO_LONG;
  return chainUp();
}

// Checks for a certificate used as an intermediate CA.
function checkCa(): i32 {
  if ((cExtSeen & EXT_BC) == 0 || !cIsCA) return ERR_X509_NOT_CA;
  if (cKu >= 0 && (cKu & KU_KEY_CERT_SIGN) == 0) return ERR_X509_KEY_USAGE;
  if (cPathLen >= 0 && nNonSelf > cPathLen) return ERR_X509_PATH_LEN;
  let e = checkTime(cNotBefore, cNotAfter);
  if (e < 0) return e;
  if (cEku >= 0 && (cEku & (EKU_SERVER_AUTH | EKU_ANY)) == 0) return ERR_X509_EKU;
  if ((cExtSeen & EXT_SKI) == 0 || (!selfIssued() && (cAkiKeyIdLen == 0 || cAkiExtra))) return ERR_X509_MISSING_KEY_ID;
  if (cNc) {
    e = checkNameConstraints(cNc, cNcEnd);
    if (e < 0) return e;
  }
  return 0;
}

// After a certificate has been accepted: remember what its issuer must
// verify, keep its SANs, and look for an anchor that signed it.
function chainUp(): i32 {
  if (cSigAlg == 0) return ERR_X509_UNSUPPORTED_ALGORITHM;
  if (cSigLen > X509_RSA_MAX_BYTES) return ERR_X509_UNSUPPORTED_ALGORITHM;
  memory.copy(PISSUER, HISS, 32);
  if (FULL && !selfIssued() && (cExtSeen & EXT_SAN) != 0) keepSans();   // device profile: no name constraints
  // keep the signature (and for Ed25519 the TBS) below the kept SANs
  const tbs = <i32>(cTbsEnd - cTbs);
  const keepTbs = FULL && cSigAlg == SIG_ED25519 ? tbs : 0;
  const need = keepTbs + cSigLen;
  if (FULL && tail - need < base + certLen && !sanDropped) dropSans();
  if (tail - need < base + certLen) return ERR_X509_CERT_TOO_LARGE;
  tail -= need;
  tbsLen = keepTbs; pSigLen = cSigLen;
  pAlg = cSigAlg; pHash = cSigHash;
  memory.copy(CERT + tail, cTbs, keepTbs);
  memory.copy(CERT + tail + keepTbs, cSig, cSigLen);
  if (keepTbs == 0) digest(pHash, cTbs, tbs, PDIG);
  if (deferOn) { pending = PEND_ANCHOR; return 0; }
  return anchorCheck();
}

// Deferred signature checks (x509Defer(true): a caller that works in steps,
// so that parsing a certificate and checking a signature need not have their
// code in memory at once): x509EndCert then stops after parsing, before the
// signature checks: an issuer's checks (intermediate(): its signature over the
// certificate below, then the CA checks) and the check of the pending
// signature against the trust anchors. x509Pending() says so; x509Work() does
// them. They also run by themselves before the next certificate starts and at
// x509EndChain, so the outcome is the same either way. The certificate stays
// in its buffer until then.
const PEND_ANCHOR = 1, PEND_INTER = 2;
let deferOn = false;
let pending = 0;
export function x509Defer(on: bool): void { deferOn = on; }
export function x509Pending(): bool { return pending != 0; }
export function x509Work(): i32 {
  const p = pending;
  if (!p) return err;
  pending = 0;
  if (err) return err;
  let e = p == PEND_INTER ? intermediate() : anchorCheck();
  if (e >= 0 && pending == PEND_ANCHOR) { pending = 0; e = anchorCheck(); }   // intermediate() ends in chainUp()
  return e < 0 ? fail(e) : 0;
}

// An anchor that issued the pending certificate? (its name hash in PISSUER,
// its signature kept at tail)
function anchorCheck(): i32 {
  for (let a = anchorNext(0); a != 0; a = anchorNext(a)) {
    if (memory.compare(anchorName(a), PISSUER, 32) != 0) continue;
    const e = verifyWith(anchorKeyType(a), anchorKey(a), anchorKeyLen(a), anchorE(a), anchorELen(a));
    if (e == ERR_X509_BAD_SIGNATURE) { softErr = e; continue; }
    if (e < 0) return e;
    return useAnchor(a, false);
  }
  return 0;
}

// The chain reaches anchor a (signed by it, or `same`: the certificate is it).
function useAnchor(a: usize, same: bool): i32 {
  let e = checkTime(anchorNotBefore(a), anchorNotAfter(a));
  if (e < 0) return e;
  const pl = anchorPathLen(a);
  if (pl != 255 && nNonSelf > pl) return ERR_X509_PATH_LEN;
  if (anchorNcLen(a)) {
    e = checkNameConstraints(anchorNc(a), anchorNc(a) + anchorNcLen(a));
    if (e < 0) return e;
  }
  trusted = true;
  return 0;
}

// The anchor equal to the current certificate (same subject and key), or 0.
function equalsAnchor(): usize {
  for (let a = anchorNext(0); a != 0; a = anchorNext(a)) {
    if (memory.compare(anchorName(a), HSUBJ, 32) == 0 && anchorKeyType(a) == cKeyType &&
        anchorKeyLen(a) == cKeyLen && memory.compare(anchorKey(a), cKey, cKeyLen) == 0 &&
        anchorELen(a) == cELen && memory.compare(anchorE(a), cE, cELen) == 0) return a;
  }
  return 0;
}

function selfIssued(): bool { return memory.compare(HSUBJ, HISS, 32) == 0; }

// Verifies the previous certificate's signature with the current key.
function verifyPrevious(): i32 {
  return verifyWith(cKeyType, cKey, cKeyLen, cE, cELen);
}

// Verifies the pending signature (pAlg, kept signature, PDIG or the kept TBS) with a key.
function verifyWith(kt: i32, k: usize, kl: i32, e: usize, el: i32): i32 {
  const p = CERT + <usize>tail;
  return verifySig(pAlg, pHash, PDIG, p, tbsLen, p + <usize>tbsLen, pSigLen, kt, k, kl, e, el);
}

function checkTime(nb: i64, na: i64): i32 {
  if (now == 0) return na < X509_TIME_FLOOR ? ERR_X509_EXPIRED : 0;
  if (now < nb) return ERR_X509_NOT_YET_VALID;
  if (now > na) return ERR_X509_EXPIRED;
  return 0;
}

// Moves the leaf key to the start of the certificate buffer, where it stays
// (later certificates go after it). Last step of the leaf: the copy
// overwrites the leaf's first bytes (memory.copy moves overlapping bytes
// safely; e lies after n in the certificate, beyond where n lands).
function keepLeafKey(): void {
  lType = cKeyType; lLen = cKeyLen; lELen = cELen;
  memory.copy(CERT, cKey, cKeyLen);
  memory.copy(CERT + <usize>cKeyLen, cE, cELen);
  base = cKeyLen + cELen;
}

// ---- host name -----------------------------------------------------------------------

function matchHost(): i32 {
  if ((cExtSeen & EXT_SAN) == 0) return ERR_X509_NO_SAN;
  const r = rd(0), g = rd(1);
  rdInit(r, cSan, cSanEnd - cSan);
  while (rdLeft(r) != 0) {
    const t = derAny(r, g);
    if (t == 0x100) return ERR_X509_MALFORMED;           // (never loops on a failed reader)
    const p = rdPos(g), n = rdLeft(g);
    if (t == 0x82 && ipLen == 0) {
      if (dnsMatch(p, n, hostPtr, hostLen)) return 0;
    } else if (t == 0x87 && ipLen != 0) {
      if (n == ipLen && memory.compare(p, IPREF, n) == 0) return 0;
    }
  }
  return ERR_X509_NAME_MISMATCH;
}

// ---- subjectAltNames kept for name constraints -----------------------------------
// Each kept list: u16 length, then the GeneralNames content; from above the
// pending signature up to top.
// to the end of the certificate buffer.


function keepSans(): void {
  const n = <i32>(cSanEnd - cSan);
  if (sanDropped || tbsLen + pSigLen != 0) { sanDropped = true; return; }
  if (tail - n - 2 < base + certLen) { dropSans(); return; }
  tail -= n + 2;
  store<u16>(CERT + tail, n);
  memory.copy(CERT + tail + 2, cSan, n);
}

function dropSans(): void {
  sanDropped = true;
  const pend = tbsLen + pSigLen;
  memory.copy(CERT + <usize>(top - pend), CERT + <usize>tail, pend);
  tail = top - pend;
}

// Checks every kept SAN against NameConstraints content [nc, ncEnd)
// (RFC 5280 4.2.1.10): dNSName and iPAddress forms; other forms are refused
// as unsupported when a kept name has that form, directoryName always.
// The device profile (config.ts) does not process them: a CA or anchor with
// name constraints is refused (ERR_X509_UNSUPPORTED_NC), never ignored.
function checkNameConstraints(nc: usize, ncEnd: usize): i32 {
  if (!FULL) return ERR_X509_UNSUPPORTED_NC;
  const ncr = rd(0), trees = rd(1), sub = rd(2), base = rd(3);
  // validate the subtrees first
  rdInit(ncr, nc, ncEnd - nc);
  while (rdLeft(ncr) != 0) {
    const t = derAny(ncr, trees);
    if ((t != 0xa0 && t != 0xa1) || rdLeft(trees) == 0) return ERR_X509_BAD_EXTENSION;
    while (rdLeft(trees) != 0) {
      if (!derSub(trees, sub, 0x30)) return ERR_X509_BAD_EXTENSION;
      const bt = derAny(sub, base);
      if (bt == 0x100 || rdLeft(sub) != 0) return ERR_X509_UNSUPPORTED_NC;   // minimum / maximum
      if (bt == 0xa4) return ERR_X509_UNSUPPORTED_NC;                        // directoryName
      if (bt == 0x87 && !ipMaskValid(rdPos(base), rdLeft(base))) return ERR_X509_BAD_EXTENSION;
    }
  }
  if (!rdOk(ncr)) return ERR_X509_BAD_EXTENSION;
  if (sanDropped) return ERR_X509_UNSUPPORTED_NC;
  // every kept name
  const list = rd(4), name = rd(5);
  let p = CERT + <usize>(tail + tbsLen + pSigLen);
  const end = CERT + <usize>top;
  while (p < end) {
    const n = <usize>load<u16>(p);
    rdInit(list, p + 2, n);
    p += 2 + n;
    while (rdLeft(list) != 0) {
      const t = derAny(list, name);
      if (t == 0x100) return ERR_X509_MALFORMED;
      const e = nameAllowed(t, rdPos(name), rdLeft(name), nc, ncEnd);
      if (e < 0) return e;
    }
  }
  return 0;
}

// One name (GeneralName tag t, value [v, v+n)) against the constraints.
function nameAllowed(t: u32, v: usize, n: usize, nc: usize, ncEnd: usize): i32 {
  if (t == 0x82 && dnsLabels(v, n, true) == 0) return ERR_X509_BAD_SAN;
  const ncr = rd(0), trees = rd(1), sub = rd(2), base = rd(3);
  rdInit(ncr, nc, ncEnd - nc);
  while (rdLeft(ncr) != 0) {
    const tt = derAny(ncr, trees);
    if (tt == 0x100) return ERR_X509_BAD_EXTENSION;
    const permitted = tt == 0xa0;
    let sameType = false, inside = false;
    while (rdLeft(trees) != 0) {
      if (!derSub(trees, sub, 0x30)) return ERR_X509_BAD_EXTENSION;
      if (derAny(sub, base) != t) continue;
      if (t != 0x82 && t != 0x87) return ERR_X509_UNSUPPORTED_NC;
      sameType = true;
      const b = rdPos(base), bn = rdLeft(base);
      if (t == 0x82 ? dnsWithin(v, n, b, bn) : ipWithin(v, n, b, bn)) inside = true;
    }
    if (permitted ? sameType && !inside : inside) return ERR_X509_NAME_CONSTRAINTS;
  }
  return 0;
}

// ---- the leaf key, for CertificateVerify ---------------------------------------------

function leafReady(): bool { return err == 0 && phase == 3 && lType != 0; }

// KEY_* of the validated leaf (1 RSA, 2 P-256, 3 P-384, 4 Ed25519), or an error.
export function x509LeafKeyType(): i32 { return leafReady() ? lType : ERR_X509_NO_LEAF_KEY; }
// The leaf key bytes (RSA n / 04||X||Y / Ed25519 key) and their length.
export function x509LeafKey(): usize { return CERT; }
export function x509LeafKeyLen(): i32 { return leafReady() ? lLen : ERR_X509_NO_LEAF_KEY; }
// The RSA public exponent (big endian) and its length (0 for other keys).
export function x509LeafExponent(): usize { return CERT + <usize>lLen; }
export function x509LeafExponentLen(): i32 { return leafReady() ? lELen : ERR_X509_NO_LEAF_KEY; }

// Verifies a TLS 1.3 CertificateVerify signature (RFC 8446 4.4.3) made with
// `scheme` over the signed content [msg, msg+msgLen) (64 spaces, context
// string, 0, transcript hash) with the validated leaf key.
// Schemes: ecdsa_secp256r1_sha256 (0x0403), ecdsa_secp384r1_sha384 (0x0503),
// rsa_pss_rsae_sha256/384/512 (0x0804..0x0806), ed25519 (0x0807).
export function x509VerifyLeafSignature(scheme: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32): i32 {
  if (!leafReady()) return ERR_X509_NO_LEAF_KEY;
  let alg = 0, hash = 0, key = 0;
  if (scheme == 0x0403) { alg = SIG_ECDSA; hash = HASH_SHA256; key = KEY_P256; }
  // The device profile (config.ts): 0x0403 and 0x0804 only.
  else if (FULL && scheme == 0x0503) { alg = SIG_ECDSA; hash = HASH_SHA384; key = KEY_P384; }
  else if (scheme >= 0x0804 && scheme <= (FULL ? 0x0806 : 0x0804)) { alg = SIG_RSA_PSS; hash = scheme - 0x0803; key = KEY_RSA; }
  else if (FULL && scheme == 0x0807) { alg = SIG_ED25519; key = KEY_ED25519; }
  if (alg == 0 || key != lType) return ERR_X509_SCHEME;
  if (hash) digest(hash, msg, msgLen, PDIG);
  const k = CERT;
  const e = verifySig(alg, hash, PDIG, msg, msgLen, sig, sigLen, lType, k, lLen, k + <usize>lLen, lELen);
  return e == 0 ? 0 : e == ERR_X509_BAD_SIGNATURE ? ERR_X509_CV_SIGNATURE : e;
}
