// TLS 1.3 client engine (RFC 8446), sans I/O, shaped like BearSSL's.
//
// The caller asks tlsState() what the engine needs and moves bytes through
// buffer/acknowledge pairs over two caller-owned record buffers:
//   SENDREC  bytes at tlsSendrecBuf() must go to the peer, then tlsSendrecAck(n)
//   RECVREC  the engine wants bytes at tlsRecvrecBuf() (up to tlsBufLen()), tlsRecvrecAck(n)
//   SENDAPP  application data may be written at tlsSendappBuf(), tlsSendappAck(n) seals it
//   RECVAPP  plaintext waits at tlsRecvappBuf() (tlsBufLen() bytes), tlsRecvappAck(n)
//   CLOSED   the connection is over: tlsLastError() says why (0, a code, or an alert)
//
// Implementation notes
// - Input: the input buffer holds one record (header + body). A protected
//   handshake record larger than the buffer (a 16 KB certificate flight into
//   2 KB) is decrypted as it streams in, chunk by chunk (the AEAD is
//   incremental), and fed to the handshake parser; the inner content type and
//   padding sit at the end, so the last non-zero byte and the zeros after it
//   are held back until more data shows they were content. Its tag is checked
//   when the last byte arrives; errors found before that are held until then
//   (a forged record ends in bad_record_mac), and every action with an effect
//   (sending a flight, switching keys) waits in afterRecord() until the tag
//   has been checked. Application data must fit the buffer: record_overflow
//   otherwise (negotiate max_fragment_length / record_size_limit instead).
// - Handshake messages are reassembled in MSG (MSG_MAX bytes), except the
//   server's Certificate, which streams entry by entry into the X.509
//   validator (peer.ts) and the transcript: it is never copied whole.
// - States are named for the message they expect; one handler per message,
//   dispatched from one switch. Verification flags (V_*) are set only by the
//   code that verifies; enterTraffic() checks them all.
// - The key schedule (schedule.ts) goes stage by stage and wipes what a stage
//   no longer needs. The transcript is one incremental hash; the ClientHello
//   stays in the output buffer until the ServerHello names the hash.
// - The first error sticks: tlsLastError() keeps the cause, the alert that
//   tlsAlertFor() maps it to is queued for the peer, and the engine closes.
//
// RAM (besides the caller's record buffers): see the declarations below;
// tls_ram() in exports/tls.ts reports the total.
import { FULL } from "../config";
import { HASH_CTX, hashInit, hashUpdate, hashFinal } from "../crypto/hash";
import { AEAD_CTX, aeadKeyLen, aeadStart, aeadAad, aeadEncrypt, aeadDecrypt, aeadTag, aeadCheckTag } from "../crypto/aead";
import { x25519, x25519Base } from "../crypto/x25519";
import { ecdhP256, ecP256PublicKey } from "../crypto/ecp";
import { ecdsaSignP256 } from "../crypto/ecdsa";
import { drbgGenerate } from "../crypto/drbg";
import { RD_SIZE, rdInit, rdOk, rdLeft, rdTake, rdU8, rdU16, rdU32, rdSub, rdVec, rdExpectEnd } from "../util/reader";
import { inMemory } from "../io";
import { wallClock, millis } from "../host";
import * as E from "./errors";
import { HRR_RANDOM, DOWNGRD, L_CV_SERVER, L_CV_SERVER_LEN, L_CLIENT } from "./labels";
import {
  SEC_STAGE, SEC_CHS, SEC_SHS, SEC_CAP, SEC_SAP, HMAX, ksAlg, ksHashLen, ksSetSuite, ksTranscript,
  ksEarly, ksHandshake, ksMaster, ksResumption, ksInstall, ksFinished, ksUpdate, ksWipe, TH, ksSuiteId,
  ksBinder, ksTicketPsk, ksSha256,
} from "./schedule";
import {
  peerBegin, peerStartCert, peerAppend, peerEndCert, peerEndChain, peerVerify, isIpLiteral, peerPending, peerWork,
} from "./peer";

// ---- configuration: a block in the caller's memory, kept for the connection ----
// The device profile (config.ts) compiles a subset: suite 1 only; no ALPN,
// max_fragment_length, record_size_limit, client certificate, external PSK
// or psk_ke (tlsConfigure rejects them: ERR_TLS_CONFIG); fewer signature schemes.
export const CFG_SUITES = 0;     // u32: up to 4 suite ids low byte first (1 AES-128-GCM, 2 AES-256-GCM, 3 ChaCha20)
export const CFG_GROUPS = 4;     // u32: up to 4 group ids low byte first (1 x25519, 2 secp256r1)
export const CFG_SHARE = 8;      // u8: group id of the first key share (0: the first group)
export const CFG_FLAGS = 9;      // u8: F_* below
export const CFG_MFL = 10;       // u8: max_fragment_length code 1..4 (2^9..2^12), 0 none
export const CFG_RSL = 12;       // u16: record_size_limit to announce, 0 none
export const CFG_SNI = 16;       // u32 ptr, u32 len: server name (also the name checked in the certificate)
export const CFG_ALPN = 24;      // u32 ptr, u32 len: ALPN protocol_name_list body (len8 name ...)
export const CFG_IN = 32;        // u32 ptr, u32 len: input record buffer
export const CFG_OUT = 40;       // u32 ptr, u32 len: output record buffer
export const CFG_CERT = 48;      // u32 ptr, u32 len: client certificate_list body (CertificateEntry...)
export const CFG_KEY = 56;       // u32 ptr: client P-256 private key (32 bytes)
export const CFG_NOW = 64;       // i64: seconds since 1970 for certificate validity (0: host clock)
export const CFG_TICKET = 72;    // u32 ptr, u32 capacity: session ticket / external PSK storage (T_* layout)
export const CFG_SIZE: i32 = 80;
export const F_NO_COMPAT: u8 = 1;    // middlebox compatibility off (on by default)
export const F_INSECURE: u8 = 2;     // the validator's insecure mode (tests only; CertificateVerify is still checked)
export const F_NO_TICKETS: u8 = 4;   // no tickets: neither psk_key_exchange_modes nor pre_shared_key
export const F_PSK_KE: u8 = 8;       // also offer psk_ke (resumption without a new key exchange)
// Work in steps (TlsSocket sets it): the engine pauses (tlsState WORK) after
// decrypting a handshake record, and after each server certificate before
// its trust-anchor signature check; tlsWork() goes on. A wasm3 host that
// frees compiled code between calls then never needs the record layer, the
// X.509 parser and the signature check compiled at once.
export const F_STEPS: u8 = 16;

// Ticket storage, in the caller's memory (kept across connections): a
// NewSessionTicket is stored here, and offered by the next ClientHello.
// An external PSK is stored the same way with T_EXTERNAL (identity in T_ID).
export const T_SUITE = 0;        // u8: suite id of the ticket (0: empty)
export const T_FLAGS = 1;        // u8: T_EXTERNAL
export const T_LEN = 2;          // u16: identity (ticket) length
export const T_LIFETIME = 4;     // u32: seconds
export const T_AGE_ADD = 8;      // u32
export const T_RECEIVED = 12;    // u32: millis() when received
export const T_PSK = 16;         // 48: the PSK
export const T_ID = 64;          // the ticket / identity bytes
export const T_EXTERNAL: u8 = 1;

// ---- engine state -----------------------------------------------------------
// States, named for what they expect next.
export const S_SEND_CH = 0;
export const S_EXPECT_SERVER_HELLO = 1;
export const S_EXPECT_ENCRYPTED_EXTENSIONS = 2;
export const S_EXPECT_CERTIFICATE_OR_CERT_REQUEST = 3;
export const S_EXPECT_CERTIFICATE = 4;
export const S_EXPECT_CERTIFICATE_VERIFY = 5;
export const S_EXPECT_FINISHED = 6;
export const S_SEND_CH2 = 7;          // HelloRetryRequest seen; second ClientHello after the record
export const S_SEND_FINISHED = 8;     // server Finished verified; our flight after the record
export const S_TRAFFIC = 9;
// What tlsState() reports.
export const SENDREC: i32 = 1;
export const RECVREC: i32 = 2;
export const SENDAPP: i32 = 4;
export const RECVAPP: i32 = 8;
export const CLOSED: i32 = 16;
export const WORK: i32 = 32;          // paused (F_STEPS): call tlsWork()
// Verification flags.
const V_CHAIN: i32 = 1;      // set by onCertificate when the validator accepted the chain
const V_CV: i32 = 2;         // set by onCertificateVerify when the signature verified
const V_FINISHED: i32 = 4;   // set by onFinished when the MAC matched
const V_PSK: i32 = 8;        // set by onServerHello when the server accepted our PSK

// Largest handshake message reassembled across records (or stream chunks):
// an RSA-2048 CertificateVerify is 268 bytes. Messages inside one record are
// parsed in place (any size); the Certificate streams. A larger split
// NewSessionTicket is skipped; any other is ERR_TLS_MSG_TOO_LARGE.
export const MSG_MAX: i32 = 320;

// RAM: MSG, two AEAD contexts 2 x AEAD_CTX, IVs 2 x 12, KEY 32 (the key
// share's private key), RANDOM 32, SID 32, HDR 8, SCR 148,
// readers 3 x 12, plus schedule.ts (transcript + secrets). The
// configuration block stays in the caller's memory (CFG points to it).
let CFG: usize = 0;
const MSG: usize = memory.data(MSG_MAX);
const RD: usize = memory.data(AEAD_CTX);
const WR: usize = memory.data(AEAD_CTX);
const RD_IV: usize = memory.data(12);
const WR_IV: usize = memory.data(12);
const KEY: usize = memory.data(32);
const RANDOM: usize = memory.data(32);
const SID: usize = memory.data(32);
const HDR: usize = memory.data(8);      // handshake header (4); byte 7 feeds a held-back byte
const SCR: usize = memory.data(148);     // CertificateVerify content (64 + 34 + 48), shared secrets, nonces
const R0: usize = memory.data(3 * RD_SIZE);
const R1: usize = R0 + RD_SIZE;
const R2: usize = R1 + RD_SIZE;
export const TLS_STATIC_RAM: i32 = MSG_MAX + 2 * AEAD_CTX + 24 + 32 + 64 + 8 + 148 + 3 * RD_SIZE;

let hs: i32 = S_SEND_CH;     // handshake state
let verified: i32 = 0;       // V_* flags
let lastErr: i32 = 0;
let closed = false;
let alertSent: i32 = -1;
let sidLen: i32 = 0;
let shareGroup: i32 = 0;     // group of the key share we sent
let hrrDone = false;
let ccsSent = false;
let certRequested = false;
let pskOffered = false;
let ticketPending = false;
let crEcdsa = false;
let peerScheme: i32 = 0;     // the server's CertificateVerify scheme         // the CertificateRequest accepts ecdsa_secp256r1_sha256
let cookie: usize = 0;       // in MSG while S_SEND_CH2
let cookieLen: i32 = 0;
let alpnOff: i32 = -1;       // selected ALPN protocol: offset of its length byte in CFG_ALPN
let peerRsl: i32 = 0;        // the server's record_size_limit (0: none)
let mflOk = false;
let readOn = false;
let writeOn = false;
let pendingRead: usize = 0;  // secret whose keys take over reading after this record
let kuSend: i32 = -1;        // KeyUpdate to send (its request_update), -1 none
let keyChange = false;       // the current record must end here
let rdSeq: u64 = 0;
let wrSeq: u64 = 0;
// input
let inBuf: usize = 0;
let inSize: i32 = 0;
let inGot: i32 = 0;          // bytes of the current record in the buffer (whole mode)
let recLen: i32 = 0;
let streaming = false;
let recLeft: i32 = 0;        // streaming: body bytes still to come
let pendNZ: i32 = -1;        // streaming: last non-zero byte seen, held back
let pendZ: i32 = 0;          // streaming: zeros after it, held back
let streamErr: i32 = 0;
let appPtr: usize = 0;
let appLen: i32 = 0;
// output
let outBuf: usize = 0;
let outSize: i32 = 0;
let outLen: i32 = 0;
let outSent: i32 = 0;
let chPos: usize = 0;        // the first ClientHello message, kept until the ServerHello
let chLen: i32 = 0;
// handshake reassembly
let hdrGot: i32 = 0;
let msgType: i32 = 0;
let msgLen: i32 = 0;
let msgGot: i32 = 0;
let certStream = false;
// Paused (F_STEPS): the record's plaintext still to parse is [resP, resP+resN);
// after a certificate, [certP, certP+certN) of the current chunk is still for
// certFeed (already in the transcript). The record stays in the input buffer.
const P_RECORD = 1, P_CERT = 2;
const PAUSE = 1;             // from hsFeed / certFeed (errors are negative)
let steps = false;
let paused: i32 = 0;
let resP: usize = 0;
let resN: i32 = 0;
let certP: usize = 0;
let certN: i32 = 0;
let skipMsg = false;
let msgP: usize = 0;         // the current message body: in the input buffer, or MSG
let cs: i32 = 0;             // certificate stream state (CS_*)
let csNeed: i32 = 0;
let csAcc: u32 = 0;
let listLeft: i32 = 0;
let fieldLeft: i32 = 0;
// the length handed out by the last *Buf call
let bufLen: i32 = 0;
// writer
let wp: usize = 0;
// test hooks (exports/tls.ts): injected randomness, ClientHello, client signature
let testRand: usize = 0;
let testRandLen: i32 = 0;
let testCH: usize = 0;
let testCHLen: i32 = 0;
let testSig: usize = 0;
let testSigLen: i32 = 0;

function cfg32(off: i32): u32 { return load<u32>(CFG + <usize>off); }

// ---- random ---------------------------------------------------------------
function random(out: usize, n: i32): void {
  if (FULL && testRandLen >= n) {
    memory.copy(out, testRand, n);
    testRand += n; testRandLen -= n;
    return;
  }
  drbgGenerate(out, n);
}

// ---- writer -----------------------------------------------------------------
function put8(v: i32): void { store<u8>(wp, <u8>v); wp++; }
function put16(v: i32): void { store<u8>(wp, <u8>(v >> 8)); store<u8>(wp, <u8>v, 1); wp += 2; }
function put24(v: i32): void { put8(v >> 16); put16(v); }
function putBytes(p: usize, n: i32): void { memory.copy(wp, p, n); wp += n; }
// A length field of `size` bytes to fill in later: returns its position.
function mark(size: i32): usize { const m = wp; wp += size; return m; }
function fill(m: usize, size: i32): void {
  const v = <i32>(wp - m) - size;
  for (let i = size - 1, x = v; i >= 0; i--, x >>= 8) store<u8>(m + <usize>i, <u8>x);
}

// ---- errors -------------------------------------------------------------------
function queueAlert(desc: i32): void {
  if (alertSent >= 0) return;
  alertSent = desc;
  outCompact();
  if (outSize - outLen < 5 + 2 + 17) return;
  const rec = outBuf + <usize>outLen;
  store<u8>(rec, desc == E.ALERT_CLOSE_NOTIFY || desc == E.ALERT_USER_CANCELED ? 1 : 2, 5);
  store<u8>(rec, <u8>desc, 6);
  outLen = <i32>(seal(rec, 2, 21) - outBuf);
}

// Ends the connection with err (the first error sticks) and queues its alert.
function fail(err: i32): i32 {
  if (lastErr == 0) lastErr = err;
  paused = 0;
  if (!closed) {
    const a = E.tlsAlertFor(err);
    if (a >= 0) queueAlert(a);
    closed = true;
    wipeAll();
  }
  return err;
}

function wipeAll(): void {
  ksWipe();
  memory.fill(KEY, 0, 32);
  memory.fill(SCR, 0, 148);
  memory.fill(RD, 0, AEAD_CTX);
  // WR stays until the alert is sealed (queueAlert runs before this); then wipe
  memory.fill(WR, 0, AEAD_CTX);
  memory.fill(MSG, 0, MSG_MAX);
}

// ---- records out ----------------------------------------------------------------
// Drops sent bytes so new records start at the front (the first ClientHello
// stays while we wait for the ServerHello: the transcript hash reads it).
function outCompact(): void {
  if (outSent == outLen && hs != S_EXPECT_SERVER_HELLO) { outSent = 0; outLen = 0; }
}

// Largest plaintext of one record we send.
function maxPlain(): i32 {
  let m = 16384;
  if (!FULL) return m;
  if (mflOk) m = 256 << load<u8>(CFG + CFG_MFL);
  if (peerRsl > 0 && peerRsl - 1 < m) m = peerRsl - 1;
  return m;
}

// Writes the record header at rec and protects the n payload bytes at rec + 5
// (inner type `type`); returns the end of the record.
function seal(rec: usize, n: i32, type: i32): usize {
  store<u8>(rec, <u8>type);
  store<u16>(rec, 0x0303, 1);
  if (!writeOn) {
    store<u16>(rec, bswap<u16>(<u16>n), 3);
    return rec + 5 + <usize>n;
  }
  store<u8>(rec, 23);
  store<u8>(rec + 5 + <usize>n, <u8>type);
  const total = n + 1;
  store<u16>(rec, bswap<u16>(<u16>(total + 16)), 3);
  nonce(WR_IV, wrSeq);
  wrSeq++;
  aeadStart(WR, SCR);
  aeadAad(WR, rec, 5);
  aeadEncrypt(WR, rec + 5, total);
  aeadTag(WR, rec + 5 + <usize>total);
  return rec + 5 + <usize>total + 16;
}

function nonce(iv: usize, seq: u64): void {
  memory.copy(SCR, iv, 12);
  store<u64>(SCR, load<u64>(iv, 4) ^ bswap<u64>(seq), 4);
}

// Bytes the records for n bytes of handshake data need in the output buffer.
function sealRoom(n: i32): i32 {
  const m = maxPlain();
  const k = (n + m - 1) / m;
  return n + k * (writeOn ? 22 : 5);
}

// Seals n bytes of handshake data at rec + 5 into as many records as the
// record limit asks (moving fragments apart for their headers and tags).
function sealHandshake(rec: usize, n: i32): usize {
  const m = maxPlain();
  if (n <= m) return seal(rec, n, 22);
  const k = (n + m - 1) / m;
  const stride = <usize>(m + (writeOn ? 22 : 5));
  for (let i = k - 1; i > 0; i--) {
    const len = min(m, n - i * m);
    memory.copy(rec + <usize>i * stride + 5, rec + 5 + <usize>(i * m), len);
  }
  let end: usize = 0;
  for (let i = 0; i < k; i++) end = seal(rec + <usize>i * stride, min(m, n - i * m), 22);
  return end;
}

function ccs(): void {
  if (ccsSent || (load<u8>(CFG + CFG_FLAGS) & F_NO_COMPAT)) return;
  ccsSent = true;
  const p = outBuf + <usize>outLen;
  store<u32>(p, 0x00030314);        // 14 03 03 00
  store<u16>(p, 0x0101, 4);         // 01 01
  outLen += 6;
}

// ---- the transcript -------------------------------------------------------------
function thAdd(p: usize, n: i32): void { hashUpdate(ksAlg(), TH, p, n); }
function thAddMsg(): void { thAdd(HDR, 4); thAdd(msgP, msgLen); }

// ---- ClientHello ------------------------------------------------------------------
function groupCode(g: i32): i32 { return g == 1 ? 0x001d : g == 2 ? 0x0017 : 0; }
function groupOffered(code: i32): i32 {
  for (let l = cfg32(CFG_GROUPS); l; l >>= 8) if (groupCode(<i32>(l & 0xff)) == code) return <i32>(l & 0xff);
  return 0;
}
function suiteOffered(s: i32): bool {
  if ((s & 0xff00) != 0x1300) return false;
  for (let l = cfg32(CFG_SUITES); l; l >>= 8) if (<i32>(l & 0xff) == (s & 0xff)) return true;
  return false;
}

// Our CertificateVerify schemes (signature_algorithms) and, for chains, the
// PKCS#1 v1.5 ones too (signature_algorithms_cert).
// Device profile (config.ts): ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256,
// and for chains rsa_pkcs1_sha256.
const SCHEMES: usize = FULL
  ? memory.data<u16>([0x0304, 0x0305, 0x0408, 0x0508, 0x0708, 0x0104, 0x0105, 0x0106])  // big-endian on the wire
  : memory.data<u16>([0x0304, 0x0408, 0x0104]);
const N_CV_SCHEMES = FULL ? 5 : 2;
const N_CERT_SCHEMES = FULL ? 8 : 3;
function schemeOffered(s: i32): bool {
  for (let i = 0; i < N_CV_SCHEMES; i++) if (<i32>bswap<u16>(load<u16>(SCHEMES + <usize>(i << 1))) == s) return true;
  return false;
}

// The key share entry (group, key) for group id g; generates its private key.
function keyShare(g: i32): i32 {
  put16(groupCode(g));
  if (g == 1) {
    put16(32);
    random(KEY, 32);
    x25519Base(wp, KEY);
    wp += 32;
    return 0;
  }
  put16(65);
  for (let tries = 0; tries < 8; tries++) {
    random(KEY, 32);
    if (ecP256PublicKey(wp, KEY) == 0) { wp += 65; return 0; }
  }
  return E.ERR_TLS_CRYPTO;
}

function buildClientHello(): i32 {
  outCompact();
  const rec = outBuf + <usize>outLen;
  const alpnLen = FULL ? <i32>cfg32(CFG_ALPN + 4) : 0, sniLen = <i32>cfg32(CFG_SNI + 4);
  const tk = cfg32(CFG_TICKET);
  // Fixed parts (header, random, session id, suites, versions, groups,
  // signature algorithms, one P-256 share, MFL, RSL, modes) stay below 260.
  let need = 260 + 9 + sniLen + 6 + alpnLen + 6 + cookieLen + (tk ? 70 + <i32>load<u16>(tk, T_LEN) : 0);
  if (FULL && testCHLen > 0) need = max(need, 5 + testCHLen);
  if (outSize - outLen < need) return E.ERR_TLS_OUT_FULL;
  wp = rec + 5;
  const msg = wp;
  put8(1);
  const m = mark(3);
  put16(0x0303);
  putBytes(RANDOM, 32);
  put8(sidLen);
  putBytes(SID, sidLen);
  let l = mark(2);
  for (let s = cfg32(CFG_SUITES); s; s >>= 8) put16(0x1300 | <i32>(s & 0xff));
  fill(l, 2);
  put16(0x0100);
  const ext = mark(2);
  if (sniLen > 0 && !isIpLiteral(cfg32(CFG_SNI), sniLen)) {
    put16(0); l = mark(2); const l2 = mark(2); put8(0); put16(sniLen);
    putBytes(cfg32(CFG_SNI), sniLen); fill(l2, 2); fill(l, 2);
  }
  put16(0x2b); put16(3); put8(2); put16(0x0304);
  put16(0x0a); l = mark(2); let l2 = mark(2);
  for (let g = cfg32(CFG_GROUPS); g; g >>= 8) put16(groupCode(<i32>(g & 0xff)));
  fill(l2, 2); fill(l, 2);
  put16(0x0d); put16(2 + 2 * N_CV_SCHEMES); put16(2 * N_CV_SCHEMES); putBytes(SCHEMES, 2 * N_CV_SCHEMES);
  put16(0x32); put16(2 + 2 * N_CERT_SCHEMES); put16(2 * N_CERT_SCHEMES); putBytes(SCHEMES, 2 * N_CERT_SCHEMES);
  put16(0x33); l = mark(2); l2 = mark(2);
  const rc = keyShare(shareGroup);
  if (rc) return rc;
  fill(l2, 2); fill(l, 2);
  if (alpnLen > 0) { put16(0x10); put16(alpnLen + 2); put16(alpnLen); putBytes(cfg32(CFG_ALPN), alpnLen); }
  const mfl = FULL ? load<u8>(CFG + CFG_MFL) : 0;
  if (mfl) { put16(1); put16(1); put8(mfl); }
  const rsl = FULL ? load<u16>(CFG + CFG_RSL) : 0;
  if (rsl) { put16(0x1c); put16(2); put16(rsl); }
  if (cookieLen) { put16(0x2c); put16(cookieLen + 2); put16(cookieLen); putBytes(cookie, cookieLen); }
  const flags = load<u8>(CFG + CFG_FLAGS);
  if (!(flags & F_NO_TICKETS)) {
    if (FULL && (flags & F_PSK_KE)) { put16(0x2d); put16(3); put8(2); put8(1); put8(0); }
    else { put16(0x2d); put16(2); put8(1); put8(1); }
  }
  const binders = offerPsk();   // pre_shared_key: the last extension
  fill(ext, 2);
  fill(m, 3);
  if (FULL && testCHLen > 0) {
    // Test hook: send the injected ClientHello instead (RFC 8448's NSS one;
    // the second one follows the first in the injected bytes), keeping the
    // keys generated above.
    const first = 4 + ((<i32>load<u8>(testCH, 1) << 16) | (<i32>load<u8>(testCH, 2) << 8) | <i32>load<u8>(testCH, 3));
    const n = min(hrrDone ? testCHLen - first : first, testCHLen);
    if (n > 0) {
      wp = msg;
      putBytes(hrrDone ? testCH + <usize>first : testCH, n);
      sidLen = min(32, <i32>load<u8>(msg, 38));
      memory.copy(SID, msg + 39, sidLen);
    }
  }
  const n = <i32>(wp - msg);
  // The binder covers the ClientHello up to the binders list (RFC 8446 4.2.11.2).
  if (binders) {
    const hl = ksHashLen(), at = msg + <usize>(n - hl - 3);   // (also right for an injected ClientHello)
    ksBinder(FULL && (load<u8>(cfg32(CFG_TICKET), T_FLAGS) & T_EXTERNAL) != 0, msg, <i32>(at - msg), hrrDone, at + 3);
  }
  if (hrrDone) thAdd(msg, n);
  else { chPos = msg; chLen = n; }
  // The first ClientHello may use record version 0x0301 (RFC 8446 5.1).
  const end = seal(rec, n, 22);
  if (!hrrDone) store<u16>(rec, 0x0103, 1);
  outLen = <i32>(end - outBuf);
  cookieLen = 0;
  hs = S_EXPECT_SERVER_HELLO;
  return 0;
}

// ---- handshake messages in ----------------------------------------------------------
// The stored ticket if it can be offered now: its suite offered, not
// expired, and after a HelloRetryRequest, the same hash as the HRR's suite.
function ticketSuite(): i32 {
  const t = cfg32(CFG_TICKET);
  if (!t || (load<u8>(CFG + CFG_FLAGS) & F_NO_TICKETS)) return 0;
  const s = <i32>load<u8>(t, T_SUITE), len = <u32>load<u16>(t, T_LEN);
  if (s < 1 || s > (FULL ? 3 : 1) || !suiteOffered(0x1300 | s) || len == 0 || <u32>T_ID + len > cfg32(CFG_TICKET + 4)) return 0;
  if (!(FULL && (load<u8>(t, T_FLAGS) & T_EXTERNAL)) && <u64>(millis() - load<u32>(t, T_RECEIVED)) > <u64>load<u32>(t, T_LIFETIME) * 1000) return 0;
  if (hrrDone && (s == 2) != (ksSuiteId() == 2)) return 0;
  return s;
}

// Writes pre_shared_key with the stored ticket (binder left to fill) and
// derives its early secret; returns where the binders list starts, or 0.
function offerPsk(): usize {
  const s = ticketSuite();
  pskOffered = s != 0;
  if (!pskOffered) return 0;
  const t = cfg32(CFG_TICKET), len = <i32>load<u16>(t, T_LEN);
  if (!hrrDone) ksSetSuite(s);
  ksEarly(t + T_PSK, ksHashLen());
  const hl = ksHashLen();
  put16(0x29); const l = mark(2);
  put16(len + 6); put16(len); putBytes(t + T_ID, len);
  const ext = FULL && (load<u8>(t, T_FLAGS) & T_EXTERNAL) != 0;
  const age = ext ? 0 : millis() - load<u32>(t, T_RECEIVED) + load<u32>(t, T_AGE_ADD);
  put16(<i32>(age >> 16)); put16(<i32>(age & 0xffff));
  const b = wp;
  put16(hl + 1); put8(hl); wp += hl;
  fill(l, 2);
  return b;
}

function onServerHello(): i32 {
  const r = R0, ext = R1, e = R2;
  rdInit(r, msgP, msgLen);
  const ver = rdU16(r);
  const rand = rdTake(r, 32);
  const sl = <i32>rdU8(r);
  const sid = rdTake(r, sl);
  const suite = <i32>rdU16(r);
  const comp = rdU8(r);
  rdVec(r, ext, 2);
  if (!rdExpectEnd(r)) return E.ERR_TLS_DECODE;
  const hrr = memory.compare(rand, HRR_RANDOM, 32) == 0;
  let seen: u32 = 0, version = 0, ksGroup = 0, ksLen = 0, pskSel = -1;
  let ks: usize = 0;
  while (rdLeft(ext) > 0) {
    const t = <i32>rdU16(ext);
    if (!rdVec(ext, e, 2)) return E.ERR_TLS_DECODE;
    const bit: u32 = 1 << (t & 31);
    if (t == 0x2b) version = rdU16(e);
    else if (t == 0x33) {
      ksGroup = rdU16(e);
      if (!hrr) { ksLen = rdU16(e); ks = rdTake(e, ksLen); }
    } else if (t == 0x2c && hrr) {
      cookieLen = rdU16(e); cookie = rdTake(e, cookieLen);
      if (cookieLen == 0) return E.ERR_TLS_DECODE;
    } else if (t == 0x29 && !hrr && pskOffered) {
      pskSel = rdU16(e);
    } else return E.ERR_TLS_UNSOLICITED_EXTENSION;
    if (seen & bit) return E.ERR_TLS_DUPLICATE_EXTENSION;
    seen |= bit;
    if (!rdExpectEnd(e)) return E.ERR_TLS_DECODE;
  }
  if (!version) {
    // A TLS 1.2 (or older) answer: a downgrade sentinel means an attack.
    if (memory.compare(rand + 24, DOWNGRD, 7) == 0 && load<u8>(rand, 31) <= 1) return E.ERR_TLS_DOWNGRADE;
    return E.ERR_TLS_VERSION;
  }
  if (version != 0x0304 || ver != 0x0303) return E.ERR_TLS_VERSION;
  if (sl != sidLen || memory.compare(sid, SID, sl) != 0) return E.ERR_TLS_BAD_SESSION_ID;
  if (!suiteOffered(suite) || (hrrDone && (suite & 0xff) != ksSuiteId())) return E.ERR_TLS_BAD_SUITE;
  if (comp != 0) return E.ERR_TLS_BAD_COMPRESSION;
  if (hrr) return onHelloRetryRequest(suite, ksGroup);
  if (pskSel >= 0) {
    // The server resumes with our PSK (the only identity we offer), under a
    // suite of the PSK's hash; its Finished will prove it knows the PSK.
    if (pskSel != 0 || ((suite & 0xff) == 2) != (ticketSuite() == 2)) return E.ERR_TLS_BAD_PSK;
    verified |= V_PSK;
  }
  if (!ks) {
    if (!FULL || !(verified & V_PSK) || !(load<u8>(CFG + CFG_FLAGS) & F_PSK_KE)) return E.ERR_TLS_MISSING_EXTENSION;
  } else if (groupOffered(ksGroup) != shareGroup) return E.ERR_TLS_BAD_GROUP;
  // The transcript starts now that the hash is known.
  if (!hrrDone) {
    ksSetSuite(suite & 0xff);
    hashInit(ksAlg(), TH);
    thAdd(chPos, chLen);
  }
  thAddMsg();
  let rc = !ks ? 0 : shareGroup == 1
    ? (ksLen == 32 ? x25519(SCR, KEY, ks) : E.ERR_TLS_BAD_KEY_SHARE)
    : ecdhP256(SCR, KEY, ks, ksLen);
  memory.fill(KEY, 0, 32);
  if (rc) return E.ERR_TLS_BAD_KEY_SHARE;
  if (!(verified & V_PSK)) ksEarly(0, 0);     // else the PSK's early secret from the ClientHello
  rc = ks ? ksHandshake(SCR, 32) : ksHandshake(0, 0);   // psk_ke: no (EC)DHE
  memory.fill(SCR, 0, 32);
  if (rc) return rc;
  rc = ksInstall(WR, WR_IV, SEC_CHS);
  if (rc) return rc;
  writeOn = true; wrSeq = 0;
  pendingRead = SEC_SHS;
  keyChange = true;
  hs = S_EXPECT_ENCRYPTED_EXTENSIONS;
  return 0;
}

function onHelloRetryRequest(suite: i32, group: i32): i32 {
  if (hrrDone) return E.ERR_TLS_SECOND_HRR;
  if (group) {
    const g = groupOffered(group);
    if (g == 0 || g == shareGroup) return E.ERR_TLS_BAD_GROUP;
    shareGroup = g;
  } else if (!cookieLen) return E.ERR_TLS_HRR_NO_CHANGE;
  hrrDone = true;
  ksSetSuite(suite & 0xff);
  // Transcript: message_hash(ClientHello1) replaces ClientHello1 (RFC 8446 4.4.1).
  const alg = ksAlg(), hl = ksHashLen();
  hashInit(alg, TH);
  thAdd(chPos, chLen);
  store<u32>(SCR, 0xfe | (hl << 24));
  hashFinal(alg, TH, SCR + 4);
  hashInit(alg, TH);
  thAdd(SCR, 4 + hl);
  thAddMsg();
  keyChange = true;
  hs = S_SEND_CH2;
  return 0;
}

function onEncryptedExtensions(): i32 {
  const r = R0, ext = R1, e = R2, l = R0;   // l reuses r, which is done
  rdInit(r, msgP, msgLen);
  rdVec(r, ext, 2);
  if (!rdExpectEnd(r)) return E.ERR_TLS_DECODE;
  let seen: u32 = 0;
  while (rdLeft(ext) > 0) {
    const t = <i32>rdU16(ext);
    if (!rdVec(ext, e, 2)) return E.ERR_TLS_DECODE;
    const bit: u32 = 1 << (t & 31);
    if (seen & bit) return E.ERR_TLS_DUPLICATE_EXTENSION;
    seen |= bit;
    if (t == 0x00) {                                    // server_name: empty
      if (cfg32(CFG_SNI + 4) == 0) return E.ERR_TLS_UNSOLICITED_EXTENSION;
    } else if (t == 0x0a) {                             // supported_groups: the server's preference, ignored
      rdTake(e, rdLeft(e));
    } else if (FULL && t == 0x10) {                     // ALPN: one protocol we offered
      if (cfg32(CFG_ALPN + 4) == 0) return E.ERR_TLS_UNSOLICITED_EXTENSION;
      rdVec(e, l, 2);
      const n = <i32>rdU8(l);
      const name = rdTake(l, n);
      if (!rdExpectEnd(l) || n == 0) return E.ERR_TLS_DECODE;
      alpnOff = alpnFind(name, n);
      if (alpnOff < 0) return E.ERR_TLS_BAD_ALPN;
    } else if (FULL && t == 0x01) {                     // max_fragment_length: ours echoed
      const mfl = load<u8>(CFG + CFG_MFL);
      if (!mfl) return E.ERR_TLS_UNSOLICITED_EXTENSION;
      if (rdU8(e) != mfl) return E.ERR_TLS_BAD_MFL;
      mflOk = true;
    } else if (FULL && t == 0x1c) {                     // record_size_limit: the server's receive limit
      if (!load<u16>(CFG + CFG_RSL)) return E.ERR_TLS_UNSOLICITED_EXTENSION;
      peerRsl = rdU16(e);
      if (peerRsl < 64) return E.ERR_TLS_BAD_RSL;
    } else return E.ERR_TLS_UNSOLICITED_EXTENSION;
    if (!rdExpectEnd(e)) return E.ERR_TLS_DECODE;
  }
  hs = verified & V_PSK ? S_EXPECT_FINISHED : S_EXPECT_CERTIFICATE_OR_CERT_REQUEST;
  return 0;
}

function alpnFind(name: usize, n: i32): i32 {
  const list = cfg32(CFG_ALPN), len = <i32>cfg32(CFG_ALPN + 4);
  for (let off = 0; off < len; off += 1 + <i32>load<u8>(list + <u32>off)) {
    const k = <i32>load<u8>(list + <u32>off);
    if (k == n && off + 1 + k <= len && memory.compare(list + <u32>off + 1, name, n) == 0) return off;
  }
  return -1;
}

function onCertificateRequest(): i32 {
  const r = R0, ext = R1, e = R2;
  rdInit(r, msgP, msgLen);
  if (rdU8(r) != 0) return E.ERR_TLS_DECODE;           // context: empty during the handshake (RFC 8446 4.3.2)
  rdVec(r, ext, 2);
  if (!rdExpectEnd(r)) return E.ERR_TLS_DECODE;
  let sigalgs = false;
  while (rdLeft(ext) > 0) {
    const t = <i32>rdU16(ext);
    if (!rdVec(ext, e, 2)) return E.ERR_TLS_DECODE;
    if (t == 0x0d) {                                   // we sign with ecdsa_secp256r1_sha256 only
      sigalgs = true;
      rdVec(e, R0, 2);
      while (rdLeft(R0) > 0) if (rdU16(R0) == 0x0403) crEcdsa = true;
    }
  }
  if (!sigalgs) return E.ERR_TLS_MISSING_EXTENSION;
  certRequested = true;
  hs = S_EXPECT_CERTIFICATE;
  return 0;
}

// The server's Certificate streams through certFeed; this runs at its end.
function onCertificate(): i32 {
  if (cs != CS_DONE) return E.ERR_TLS_DECODE;
  const rc = peerEndChain();
  if (rc) return rc;
  verified |= V_CHAIN;   // validated, or accepted by the validator's explicit insecure mode
  hs = S_EXPECT_CERTIFICATE_VERIFY;
  return 0;
}

// The signed content of a CertificateVerify (RFC 8446 4.4.3) into SCR:
// 64 spaces, the context string, a zero byte, the transcript hash.
function cvContent(client: bool): i32 {
  memory.fill(SCR, 0x20, 64);
  memory.copy(SCR + 64, L_CV_SERVER, L_CV_SERVER_LEN);
  if (client) memory.copy(SCR + 64 + 9, L_CLIENT, 6);     // "TLS 1.3, client CertificateVerify"
  store<u8>(SCR + 64 + L_CV_SERVER_LEN, 0);
  ksTranscript(SCR + 65 + L_CV_SERVER_LEN);
  return 65 + <i32>L_CV_SERVER_LEN + ksHashLen();
}

function onCertificateVerify(): i32 {
  const r = R0, sig = R1;
  rdInit(r, msgP, msgLen);
  const scheme = <i32>rdU16(r);
  rdVec(r, sig, 2);
  if (!rdExpectEnd(r)) return E.ERR_TLS_DECODE;
  if (!schemeOffered(scheme)) return E.ERR_TLS_BAD_SIG_SCHEME;
  peerScheme = scheme;
  const n = cvContent(false);
  const rc = peerVerify(scheme, SCR, n, rdTake(sig, 0), <i32>rdLeft(sig));
  if (rc) return rc;
  verified |= V_CV;
  thAddMsg();
  hs = S_EXPECT_FINISHED;
  return 0;
}

function onFinished(): i32 {
  const hl = ksHashLen();
  if (msgLen != hl) return E.ERR_TLS_DECODE;
  ksFinished(SEC_SHS, SCR);
  // Constant time: accumulate the differences, test once.
  let d: u32 = 0;
  for (let i = 0; i < hl; i++) d |= load<u8>(SCR + <usize>i) ^ load<u8>(msgP + <usize>i);
  if (d != 0) return E.ERR_TLS_BAD_FINISHED;
  verified |= V_FINISHED;
  thAddMsg();
  const rc = ksMaster();
  if (rc) return rc;
  pendingRead = SEC_SAP;
  keyChange = true;
  hs = S_SEND_FINISHED;
  return 0;
}

function onKeyUpdate(): i32 {
  if (msgLen != 1) return E.ERR_TLS_DECODE;
  const req = <i32>load<u8>(msgP);
  if (req > 1) return E.ERR_TLS_BAD_KEY_UPDATE;
  ksUpdate(SEC_SAP);
  pendingRead = SEC_SAP;
  keyChange = true;
  if (req == 1 && kuSend < 0) kuSend = 0;
  return 0;
}

// Keeps the ticket (the latest one) with its PSK, when there is storage.
function onNewSessionTicket(): i32 {
  const r = R0, nonce = R1, tk = R2;
  rdInit(r, msgP, msgLen);
  const lifetime = rdU32(r), ageAdd = rdU32(r);
  rdVec(r, nonce, 1);
  rdVec(r, tk, 2);
  const len = <i32>rdLeft(tk);
  rdTake(r, rdU16(r));                      // extensions (early_data only): ignored
  if (!rdExpectEnd(r) || len == 0 || lifetime > 604800) return E.ERR_TLS_BAD_TICKET;
  const t = cfg32(CFG_TICKET);
  if (!t || (load<u8>(CFG + CFG_FLAGS) & F_NO_TICKETS) || <u32>T_ID + <u32>len > cfg32(CFG_TICKET + 4)) return 0;
  store<u8>(t, 0, T_SUITE);
  store<u8>(t, 0, T_FLAGS);
  store<u16>(t, <u16>len, T_LEN);
  store<u32>(t, lifetime, T_LIFETIME);
  store<u32>(t, ageAdd, T_AGE_ADD);
  store<u32>(t, millis(), T_RECEIVED);
  memory.copy(t + T_ID, rdTake(tk, len), len);
  const rc = ksTicketPsk(rdTake(nonce, 0), <i32>rdLeft(nonce), t + T_PSK);
  if (rc == 0) ticketPending = true;   // valid once the record's tag checked (afterRecord)
  return rc;
}

// One handler per state; each checks the message type first.
function dispatch(): i32 {
  const t = msgType;
  if (hs != S_TRAFFIC && t != 2 && t != 15 && t != 20 && !certStream) thAddMsg();
  switch (hs) {
    case S_EXPECT_SERVER_HELLO: return t == 2 ? onServerHello() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_EXPECT_ENCRYPTED_EXTENSIONS: return t == 8 ? onEncryptedExtensions() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_EXPECT_CERTIFICATE_OR_CERT_REQUEST:
      if (t == 13) return onCertificateRequest();
      return t == 11 ? onCertificate() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_EXPECT_CERTIFICATE: return t == 11 ? onCertificate() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_EXPECT_CERTIFICATE_VERIFY: return t == 15 ? onCertificateVerify() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_EXPECT_FINISHED: return t == 20 ? onFinished() : E.ERR_TLS_UNEXPECTED_MESSAGE;
    case S_TRAFFIC:
      if (t == 4) return onNewSessionTicket();
      if (t == 24) return onKeyUpdate();
      return t == 13 ? E.ERR_TLS_POST_HS_AUTH : E.ERR_TLS_UNEXPECTED_MESSAGE;
  }
  return E.ERR_TLS_UNEXPECTED_MESSAGE;
}

// ---- the certificate stream ----------------------------------------------------------
const CS_CTXLEN = 0;
const CS_LISTLEN = 1;
const CS_CERTLEN = 2;
const CS_CERT = 3;
const CS_EXTLEN = 4;
const CS_DONE = 5;

function certBegin(): void {
  cs = CS_CTXLEN; csNeed = 1; csAcc = 0;
  // A failure here sticks in the validator and comes back from peerEndChain.
  const now = load<i64>(CFG + CFG_NOW);
  peerBegin(cfg32(CFG_SNI), <i32>cfg32(CFG_SNI + 4), now ? now : wallClock(),
    FULL && (load<u8>(CFG + CFG_FLAGS) & F_INSECURE) != 0, steps);   // device profile: never insecure
}

// Certificate { context<0..255> (empty), CertificateEntry list<0..2^24-1> },
// CertificateEntry { cert_data<1..2^24-1>, extensions<0..2^16-1> }.
function certFeed(p: usize, n: i32): i32 {
  while (n > 0) {
    if (cs == CS_CERT) {
      const k = min(n, fieldLeft);
      peerAppend(p, k);
      p += k; n -= k; fieldLeft -= k; listLeft -= k;
      if (fieldLeft == 0) {
        peerEndCert(); cs = CS_EXTLEN; csNeed = 2; csAcc = 0;
        if (steps && !streaming && peerPending()) { certP = p; certN = n; return PAUSE; }
      }
      continue;
    }
    if (cs == CS_DONE) return E.ERR_TLS_DECODE;
    csAcc = (csAcc << 8) | load<u8>(p);
    p++; n--; csNeed--;
    if (cs >= CS_CERTLEN) listLeft--;
    if (csNeed > 0) continue;
    const v = <i32>csAcc;
    csAcc = 0;
    if (cs == CS_CTXLEN) {
      if (v != 0) return E.ERR_TLS_BAD_CERT_CONTEXT;
      cs = CS_LISTLEN; csNeed = 3;
    } else if (cs == CS_LISTLEN) {
      if (v == 0) return E.ERR_TLS_EMPTY_CERTIFICATE;
      if (v != msgLen - 4) return E.ERR_TLS_DECODE;
      listLeft = v; cs = CS_CERTLEN; csNeed = 3;
    } else if (cs == CS_CERTLEN) {
      if (v == 0 || v > listLeft) return E.ERR_TLS_DECODE;
      fieldLeft = v;
      peerStartCert(v);
      cs = CS_CERT;
    } else {                                            // CS_EXTLEN
      if (v != 0) return E.ERR_TLS_CERT_EXTENSION;
      if (listLeft < 0) return E.ERR_TLS_DECODE;
      if (listLeft == 0) cs = CS_DONE; else { cs = CS_CERTLEN; csNeed = 3; }
    }
  }
  return 0;
}

// ---- the handshake byte stream -----------------------------------------------------------
// Feeds decrypted handshake bytes: headers, then bodies, dispatching each
// complete message. A body wholly inside the bytes at hand is parsed where
// it is (in the input buffer, which stays put until the record is done);
// one split across records or chunks is reassembled in MSG; the server's
// Certificate streams into the validator.
function hsFeed(p: usize, n: i32): i32 {
  while (n > 0) {
    if (keyChange) return E.ERR_TLS_KEY_CHANGE;
    if (hdrGot < 4) {
      const k = min(n, 4 - hdrGot);
      memory.copy(HDR + <usize>hdrGot, p, k);
      hdrGot += k; p += k; n -= k;
      if (hdrGot < 4) break;
      msgType = load<u8>(HDR);
      msgLen = (<i32>load<u8>(HDR, 1) << 16) | (<i32>load<u8>(HDR, 2) << 8) | <i32>load<u8>(HDR, 3);
      msgGot = 0;
      certStream = msgType == 11 && (hs == S_EXPECT_CERTIFICATE_OR_CERT_REQUEST || hs == S_EXPECT_CERTIFICATE);
      skipMsg = msgType == 4 && hs == S_TRAFFIC && msgLen > MSG_MAX;   // a ticket we cannot keep
      msgP = MSG;
      if (certStream) { thAdd(HDR, 4); certBegin(); }
      else if (n >= msgLen && !skipMsg) { msgP = p; msgGot = msgLen; p += msgLen; n -= msgLen; }
      else if (msgLen > MSG_MAX && !skipMsg) return E.ERR_TLS_MSG_TOO_LARGE;
    } else {
      const k = min(n, msgLen - msgGot);
      if (certStream) {
        thAdd(p, k);
        const rc = certFeed(p, k);
        if (rc == PAUSE) { msgGot += k; resP = p + k; resN = n - k; paused = P_CERT; return PAUSE; }
        if (rc) return rc;
      } else if (!skipMsg) memory.copy(MSG + <usize>msgGot, p, k);
      msgGot += k; p += k; n -= k;
    }
    if (msgGot == msgLen) {
      hdrGot = 0;
      const rc = skipMsg ? 0 : dispatch();
      certStream = false;
      if (rc) return rc;
    }
  }
  return 0;
}

// ---- records in ----------------------------------------------------------------------------
function onAlert(p: usize, n: i32): i32 {
  if (n != 2) return E.ERR_TLS_BAD_ALERT;
  const desc = <i32>load<u8>(p, 1);
  if (desc == E.ALERT_USER_CANCELED) return 0;
  if (desc == E.ALERT_CLOSE_NOTIFY) {
    if (lastErr == 0) lastErr = E.ERR_TLS_PEER_CLOSED;
    queueAlert(E.ALERT_CLOSE_NOTIFY);
    closed = true;
    wipeAll();
    return 0;
  }
  return E.TLS_RECV_ALERT - desc;   // tlsAlertFor gives none: an alert is never answered
}

// The record header is in; decide how its body comes in.
function onHeader(): i32 {
  const type = <i32>load<u8>(inBuf);
  recLen = (<i32>load<u8>(inBuf, 3) << 8) | <i32>load<u8>(inBuf, 4);
  if (type < 20 || type > 23) return E.ERR_TLS_BAD_RECORD_TYPE;
  if (load<u8>(inBuf, 1) != 3) return E.ERR_TLS_BAD_RECORD_TYPE;
  if (recLen > 16384 + (type == 23 ? 256 : 0)) return E.ERR_TLS_RECORD_OVERFLOW;
  keyChange = false;
  if (5 + recLen <= inSize) return recLen == 0 ? onRecord() : 0;
  // Larger than the buffer: only a protected handshake record, streamed (a
  // ticket too, after the handshake; application data is found out at the
  // end and is a record_overflow then).
  if (type != 23 || !readOn || recLen < 17) return E.ERR_TLS_RECORD_OVERFLOW;
  streaming = true;
  recLeft = recLen;
  pendNZ = -1; pendZ = 0; streamErr = 0;
  nonce(RD_IV, rdSeq);
  rdSeq++;
  aeadStart(RD, SCR);
  aeadAad(RD, inBuf, 5);
  return 0;
}


// Decrypted bytes of a streamed record: all but the last non-zero byte and
// the zeros after it are certainly content (see the notes at the top).
function streamContent(p: usize, n: i32): void {
  let j = n - 1;
  while (j >= 0 && load<u8>(p + <usize>j) == 0) j--;
  if (j < 0) { pendZ += n; return; }
  // After an error the bytes are only scanned: the type at the end still
  // decides which error the record ends with.
  if (pendNZ >= 0 && !streamErr) {
    store<u8>(HDR, <u8>pendNZ, 7);
    let rc = hsFeed(HDR + 7, 1);
    store<u8>(HDR, 0, 7);
    for (let z = pendZ; rc == 0 && z > 0; z--) rc = hsFeed(HDR + 7, 1);   // rare: content ending in zeros
    streamErr = rc;
  }
  pendNZ = load<u8>(p + <usize>j);
  pendZ = n - 1 - j;
  if (!streamErr) streamErr = hsFeed(p, j);
}

function onStreamChunk(n: i32): i32 {
  const p = inBuf + 5;
  const ct = max(0, min(n, recLeft - 16));
  if (ct > 0) {
    aeadDecrypt(RD, p, ct);
    streamContent(p, ct);
  }
  // The tag collects at the end of the input buffer (chunks stop short of it).
  const tag = inBuf + <usize>(inSize - 16);
  if (n > ct) memory.copy(tag + <usize>(16 - (recLeft - ct)), p + <usize>ct, n - ct);
  recLeft -= n;
  if (recLeft > 0) return 0;
  streaming = false;
  inGot = 0;
  if (!aeadCheckTag(RD, tag)) return E.ERR_TLS_BAD_RECORD_MAC;
  // The type decides what the bytes were: application data larger than the
  // buffer is a record_overflow, whatever parsing it as handshake found.
  if (pendNZ == 23) return E.ERR_TLS_RECORD_OVERFLOW;
  if (streamErr) return streamErr;
  if (pendNZ != 22) return pendNZ < 0 ? E.ERR_TLS_EMPTY_RECORD : E.ERR_TLS_UNEXPECTED_MESSAGE;
  if (recLen - 17 - pendZ > 16384) return E.ERR_TLS_RECORD_OVERFLOW;
  return afterRecord();
}

// A whole record is in the buffer.
function onRecord(): i32 {
  inGot = 0;
  let type = <i32>load<u8>(inBuf);
  const body = inBuf + 5;
  let n = recLen;
  if (type == 23) {
    if (!readOn) return E.ERR_TLS_UNEXPECTED_MESSAGE;
    if (n < 17) return E.ERR_TLS_BAD_RECORD_MAC;
    nonce(RD_IV, rdSeq);
    rdSeq++;
    aeadStart(RD, SCR);
    aeadAad(RD, inBuf, 5);
    aeadDecrypt(RD, body, n - 16);
    if (!aeadCheckTag(RD, body + <usize>(n - 16))) { memory.fill(body, 0, n); return E.ERR_TLS_BAD_RECORD_MAC; }
    n -= 17;
    while (n >= 0 && load<u8>(body + <usize>n) == 0) n--;
    if (n < 0) return E.ERR_TLS_EMPTY_RECORD;
    type = load<u8>(body + <usize>n);
    if (n > 16384) return E.ERR_TLS_RECORD_OVERFLOW;
    if (type == 23) {
      if (hs != S_TRAFFIC || hdrGot > 0) return E.ERR_TLS_UNEXPECTED_MESSAGE;
      appPtr = body; appLen = n;
      return afterRecord();
    }
  } else if (type == 20) {
    // The compatibility ChangeCipherSpec: 01, between our ClientHello and the server's Finished.
    if (n != 1 || load<u8>(body) != 1 || hs < S_EXPECT_SERVER_HELLO || hs > S_SEND_CH2) return E.ERR_TLS_BAD_CCS;
    return 0;
  } else if (readOn) return E.ERR_TLS_UNEXPECTED_MESSAGE;   // plaintext after the keys changed
  if (type == 22) {
    if (n == 0) return E.ERR_TLS_EMPTY_RECORD;
    if (steps && readOn) { resP = body; resN = n; paused = P_RECORD; return 0; }   // decrypted: parse in tlsWork
    const rc = hsFeed(body, n);
    if (rc == PAUSE) return 0;
    if (rc) return rc;
  } else if (type == 21) {
    if (hdrGot > 0) return E.ERR_TLS_UNEXPECTED_MESSAGE;
    const rc = onAlert(body, n);
    if (rc) return rc;
  } else return E.ERR_TLS_UNEXPECTED_MESSAGE;
  return afterRecord();
}

// Everything that has an effect waits for the end of the record (and its tag).
function afterRecord(): i32 {
  if (closed) return 0;
  if (pendingRead) {
    const rc = ksInstall(RD, RD_IV, pendingRead);
    if (rc) return rc;
    pendingRead = 0; readOn = true; rdSeq = 0;
  }
  if (hs == S_SEND_CH2) {
    ccs();
    const rc = buildClientHello();
    if (rc) return rc;
  } else if (hs == S_SEND_FINISHED) {
    const rc = sendFlight();
    if (rc) return rc;
  }
  if (ticketPending) { store<u8>(cfg32(CFG_TICKET), <u8>ksSuiteId(), T_SUITE); ticketPending = false; }
  if (kuSend >= 0) return sendKeyUpdate();
  return 0;
}

// ---- our second flight -------------------------------------------------------------------------
function sendFlight(): i32 {
  outCompact();
  // No certificate, or none the server can accept: an empty Certificate.
  const certLen = FULL && (crEcdsa || testSigLen > 0) ? <i32>cfg32(CFG_CERT + 4) : 0;
  const hl = ksHashLen();
  const n = (certRequested ? 8 + certLen + 4 + 4 + 72 : 0) + 4 + hl;
  if (outSize - outLen < 6 + sealRoom(n)) return E.ERR_TLS_OUT_FULL;
  ccs();
  const rec = outBuf + <usize>outLen;
  wp = rec + 5;
  if (certRequested) {
    let start = wp;
    put8(11); let m = mark(3); put8(0); const l = mark(3);
    putBytes(cfg32(CFG_CERT), certLen);
    fill(l, 3); fill(m, 3);
    thAdd(start, <i32>(wp - start));
    if (certLen > 0) {
      start = wp;
      put8(15); m = mark(3);
      const rc = signClient();
      if (rc) return rc;
      fill(m, 3);
      thAdd(start, <i32>(wp - start));
    }
  }
  const fin = wp;
  put8(20); put24(hl);
  ksFinished(SEC_CHS, wp);
  wp += hl;
  thAdd(fin, <i32>(wp - fin));
  const end = sealHandshake(rec, <i32>(wp - rec) - 5);
  outLen = <i32>(end - outBuf);
  const rc = ksResumption();
  if (rc) return rc;
  const rc2 = ksInstall(WR, WR_IV, SEC_CAP);
  if (rc2) return rc2;
  wrSeq = 0;
  return enterTraffic();
}

// Our CertificateVerify body at wp: ecdsa_secp256r1_sha256, DER signature.
function signClient(): i32 {
  const n = cvContent(true);
  if (testSigLen > 0) {            // test hook: scheme (2 bytes) + signature
    putBytes(testSig, 2); put16(testSigLen - 2); putBytes(testSig + 2, testSigLen - 2);
    return 0;
  }
  ksSha256(SCR, n, SCR);                               // content -> its SHA-256
  if (ecdsaSignP256(SCR + 32, cfg32(CFG_KEY), SCR)) return E.ERR_TLS_SIGN;
  put16(0x0403);
  const l = mark(2);
  put8(0x30);
  const seq = mark(1);
  derInt(SCR + 32); derInt(SCR + 64);
  fill(seq, 1); fill(l, 2);
  memory.fill(SCR, 0, 96);
  return 0;
}

// A DER INTEGER of the 32-byte big-endian unsigned value at p (public).
function derInt(p: usize): void {
  let i = 0;
  while (i < 31 && load<u8>(p + <usize>i) == 0) i++;
  const pad = load<u8>(p + <usize>i) >= 0x80 ? 1 : 0;
  put8(2); put8(32 - i + pad);
  if (pad) put8(0);
  putBytes(p + <usize>i, 32 - i);
}

// The only way into application data: every proof must be there.
function enterTraffic(): i32 {
  const need = V_FINISHED | (verified & V_PSK ? 0 : V_CHAIN | V_CV);
  if ((verified & need) != need) return E.ERR_TLS_NOT_VERIFIED;
  hs = S_TRAFFIC;
  return 0;
}

function sendKeyUpdate(): i32 {
  outCompact();
  if (outSize - outLen < 5 + 5 + 17) return 0;   // later, when the output drains
  const rec = outBuf + <usize>outLen;
  store<u32>(rec, 0x01000018, 5);   // 18 00 00 01
  store<u8>(rec, <u8>kuSend, 9);
  outLen = <i32>(seal(rec, 5, 22) - outBuf);
  kuSend = -1;
  ksUpdate(SEC_CAP);
  const rc = ksInstall(WR, WR_IV, SEC_CAP);
  wrSeq = 0;
  return rc;
}

// ---- the public API -------------------------------------------------------------------------------
// Takes the configuration block (kept, not copied: it must outlive the
// connection) and checks it; then tlsStart().
export function tlsConfigure(cfg: usize): i32 {
  inBuf = 0;
  if (!inMemory(cfg, CFG_SIZE)) return E.ERR_TLS_CONFIG;
  CFG = cfg;
  const inP = cfg32(CFG_IN), inN = cfg32(CFG_IN + 4), outP = cfg32(CFG_OUT), outN = cfg32(CFG_OUT + 4);
  if (!inMemory(inP, inN) || !inMemory(outP, outN) || inN < 256 || outN < 512) return E.ERR_TLS_CONFIG;
  if (!inMemory(cfg32(CFG_SNI), cfg32(CFG_SNI + 4)) && cfg32(CFG_SNI + 4)) return E.ERR_TLS_CONFIG;
  // (the device profile refuses ALPN, MFL and RSL below)
  if (FULL && !inMemory(cfg32(CFG_ALPN), cfg32(CFG_ALPN + 4)) && cfg32(CFG_ALPN + 4)) return E.ERR_TLS_CONFIG;
  if (cfg32(CFG_SNI + 4) > 255 || (FULL && cfg32(CFG_ALPN + 4) > 255)) return E.ERR_TLS_CONFIG;
  if (FULL && load<u8>(CFG + CFG_MFL) > 4) return E.ERR_TLS_CONFIG;
  const rsl = FULL ? load<u16>(CFG + CFG_RSL) : 0;
  if (rsl && (rsl < 64 || rsl > 16385)) return E.ERR_TLS_CONFIG;
  for (let s = cfg32(CFG_SUITES); s; s >>= 8) if ((s & 0xff) < 1 || (s & 0xff) > (FULL ? 3 : 1)) return E.ERR_TLS_CONFIG;
  for (let g = cfg32(CFG_GROUPS); g; g >>= 8) if ((g & 0xff) < 1 || (g & 0xff) > 2) return E.ERR_TLS_CONFIG;
  if (!cfg32(CFG_SUITES) || !cfg32(CFG_GROUPS)) return E.ERR_TLS_CONFIG;
  const share = load<u8>(CFG + CFG_SHARE);
  shareGroup = share ? share : <i32>(cfg32(CFG_GROUPS) & 0xff);
  if (!groupOffered(groupCode(shareGroup))) return E.ERR_TLS_CONFIG;
  const certLen = cfg32(CFG_CERT + 4);
  if (!FULL && (certLen | cfg32(CFG_ALPN + 4) | load<u8>(CFG + CFG_MFL) | load<u16>(CFG + CFG_RSL))) return E.ERR_TLS_CONFIG;
  if (certLen && (!inMemory(cfg32(CFG_CERT), certLen) || !inMemory(cfg32(CFG_KEY), 32))) return E.ERR_TLS_CONFIG;
  inBuf = inP; inSize = inN; outBuf = outP; outSize = outN;
  return 0;
}

// Starts a connection: the first ClientHello goes into the output buffer.
export function tlsStart(): i32 {
  if (!inBuf) return E.ERR_TLS_CONFIG;
  hs = S_SEND_CH; verified = 0; lastErr = 0; closed = false; alertSent = -1;
  hrrDone = false; ccsSent = false; certRequested = false; pskOffered = false; crEcdsa = false; peerScheme = 0;
  ticketPending = false; cookieLen = 0; alpnOff = -1;
  peerRsl = 0; mflOk = false; readOn = false; writeOn = false; pendingRead = 0; kuSend = -1;
  keyChange = false; rdSeq = 0; wrSeq = 0; inGot = 0; recLen = 0; streaming = false;
  steps = (load<u8>(CFG + CFG_FLAGS) & F_STEPS) != 0; paused = 0;
  appLen = 0; outLen = 0; outSent = 0; hdrGot = 0; certStream = false;
  ksWipe();
  random(RANDOM, 32);
  sidLen = load<u8>(CFG + CFG_FLAGS) & F_NO_COMPAT ? 0 : 32;
  if (sidLen) random(SID, 32);
  const rc = buildClientHello();
  return rc ? fail(rc) : 0;
}

export function tlsState(): i32 {
  let st = outSent < outLen ? SENDREC : 0;
  if (closed) return st ? st : CLOSED;
  if (paused) return st | WORK;
  if (appLen > 0) st |= RECVAPP;
  else st |= RECVREC;
  if (hs == S_TRAFFIC && kuSend < 0) st |= SENDAPP;
  return st;
}

export function tlsLastError(): i32 { return lastErr; }
export function tlsAlertSent(): i32 { return alertSent; }
export function tlsBufLen(): i32 { return bufLen; }
export function tlsHandshakeState(): i32 { return hs; }
export function tlsSuite(): i32 { return hs >= S_EXPECT_ENCRYPTED_EXTENSIONS ? 0x1300 | ksSuiteId() : 0; }
export function tlsGroup(): i32 { return groupCode(shareGroup); }
export function tlsResumed(): bool { return (verified & V_PSK) != 0; }
export function tlsPeerScheme(): i32 { return peerScheme; }
export function tlsPeerRsl(): i32 { return peerRsl; }
export function tlsAlpn(): usize { return alpnOff < 0 ? 0 : cfg32(CFG_ALPN) + <u32>alpnOff; }
export function tlsMaxPlain(): i32 { return maxPlain(); }

export function tlsSendrecBuf(): usize {
  bufLen = outLen - outSent;
  return outBuf + <usize>outSent;
}
export function tlsSendrecAck(n: i32): i32 {
  if (n < 0 || n > outLen - outSent) return E.ERR_TLS_CONFIG;
  outSent += n;
  outCompact();
  return 0;
}

export function tlsRecvrecBuf(): usize {
  bufLen = 0;
  if (closed || appLen > 0 || paused) return 0;
  if (inGot < 5 && !streaming) { bufLen = 5 - inGot; return inBuf + <usize>inGot; }
  if (streaming) { bufLen = min(recLeft, inSize - 5 - 16); return inBuf + 5; }
  bufLen = 5 + recLen - inGot;
  return inBuf + <usize>inGot;
}
export function tlsRecvrecAck(n: i32): i32 {
  tlsRecvrecBuf();
  if (n < 0 || n > bufLen) return E.ERR_TLS_CONFIG;
  if (n == 0) return 0;
  let rc = 0;
  if (streaming) rc = onStreamChunk(n);
  else {
    inGot += n;
    if (inGot == 5) rc = onHeader();
    else if (inGot == 5 + recLen) rc = onRecord();
  }
  if (rc) fail(rc);
  return rc;
}

// Goes on after a pause (tlsState WORK, F_STEPS): first the validator's
// deferred anchor check, then the rest of the record (which may pause again),
// then what waits for the end of the record. Returns 0 or the error (which
// closes the engine, as any).
export function tlsWork(): i32 {
  if (!paused || closed) return 0;
  let rc = 0;
  if (paused == P_CERT) {
    peerWork();
    paused = 0;
    rc = certFeed(certP, certN);
    if (rc == PAUSE) { paused = P_CERT; return 0; }
    if (rc == 0 && msgGot == msgLen) {
      hdrGot = 0;
      rc = dispatch();
      certStream = false;
    }
  }
  paused = 0;
  if (rc == 0) rc = hsFeed(resP, resN);
  if (rc == PAUSE) return 0;
  if (rc == 0) rc = afterRecord();
  if (rc) fail(rc);
  return rc;
}

export function tlsSendappBuf(): usize {
  bufLen = 0;
  if (closed || hs != S_TRAFFIC) return 0;
  outCompact();
  bufLen = min(maxPlain(), outSize - outLen - 5 - 17);
  if (bufLen <= 0) { bufLen = 0; return 0; }
  return outBuf + <usize>outLen + 5;
}
export function tlsSendappAck(n: i32): i32 {
  tlsSendappBuf();
  if (n < 0 || n > bufLen) return E.ERR_TLS_CONFIG;
  if (n > 0) outLen = <i32>(seal(outBuf + <usize>outLen, n, 23) - outBuf);
  return 0;
}

export function tlsRecvappBuf(): usize {
  bufLen = appLen;
  return appLen > 0 ? appPtr : 0;
}
export function tlsRecvappAck(n: i32): i32 {
  if (n < 0 || n > appLen) return E.ERR_TLS_CONFIG;
  appPtr += n; appLen -= n;
  return 0;
}

// Initiates a KeyUpdate (requesting the peer's too when `request`).
export function tlsKeyUpdate(request: bool): i32 {
  if (closed || hs != S_TRAFFIC) return E.ERR_TLS_CLOSED;
  kuSend = request ? 1 : 0;
  return sendKeyUpdate();
}

// Ends the connection with err (the transport failed, a deadline passed).
export function tlsFail(err: i32): void { fail(err); }

// Sends close_notify and ends the connection.
export function tlsClose(): void {
  if (closed) return;
  if (lastErr == 0) lastErr = E.TLS_SENT_ALERT - E.ALERT_CLOSE_NOTIFY;
  queueAlert(E.ALERT_CLOSE_NOTIFY);
  closed = true;
  wipeAll();
}

// Test hooks: the next random bytes, a ClientHello to send instead of ours,
// a client CertificateVerify signature (RFC 8448's client key is unpublished).
export function tlsTestInject(rand: usize, randLen: i32, ch: usize, chLen_: i32, sig: usize, sigLen: i32): void {
  testRand = rand; testRandLen = randLen;
  testCH = ch; testCHLen = chLen_;
  testSig = sig; testSigLen = sigLen;
}
