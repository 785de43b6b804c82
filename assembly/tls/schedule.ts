// The TLS 1.3 key schedule (RFC 8446 7.1) and the transcript hash.
//
// Implementation notes: one function per stage change (early -> handshake ->
// master -> resumption); each checks the stage it starts from and overwrites
// the previous stage secret in place, so at most one stage secret lives at a
// time. Traffic secrets have their own slots: client handshake (wiped when
// the client Finished is out), server handshake (replaced by the server
// application secret once the server Finished is verified), client
// application; application secrets are updated in place by KeyUpdate. The transcript is one incremental hash context;
// Derive-Secret finalizes a copy of it. All secrets are HMAX = 48 bytes.
// RAM: transcript HASH_CTX, secrets 4 x 48, TMP 2 x 48.
import { FULL } from "../config";
import { HASH_SHA256, HASH_SHA384, HASH_CTX, hashLen, hashInit, hashUpdate, hashFinal } from "../crypto/hash";
import { hkdfExtract, hkdfExpandLabel } from "../crypto/hkdf";
import { hmac, HMAC_SCRATCH } from "../crypto/hmac";   // HMAC_CTX = 8 + HASH_CTX + block > HASH_CTX
import { aeadInit, aeadKeyLen } from "../crypto/aead";
import { ERR_TLS_CRYPTO } from "./errors";
import {
  L_DERIVED, L_DERIVED_LEN, L_C_HS, L_S_HS, L_C_AP, L_S_AP, L_C_HS_LEN, L_RES_MASTER, L_RES_MASTER_LEN,
  L_KEY, L_KEY_LEN, L_IV, L_IV_LEN, L_FINISHED, L_FINISHED_LEN, L_TRAFFIC_UPD, L_TRAFFIC_UPD_LEN,
  L_RES_BINDER, L_EXT_BINDER, L_RES_BINDER_LEN, L_RESUMPTION, L_RESUMPTION_LEN,
} from "./labels";

export const HMAX: i32 = 48;
export const TH: usize = memory.data(HASH_CTX);          // the transcript
// The copy a transcript hash is finalized in: HMAC's scratch context, free
// here because no HMAC/HKDF runs while a snapshot is being finalized.
const TH_COPY: usize = HMAC_SCRATCH;
const SECRETS: usize = memory.data(4 * HMAX);
export const SEC_STAGE: usize = SECRETS;                 // early / handshake / master / resumption master
export const SEC_CHS: usize = SECRETS + 48;              // client handshake traffic secret
export const SEC_SHS: usize = SECRETS + 96;              // server handshake traffic secret, then
export const SEC_SAP: usize = SECRETS + 96;              // server application traffic secret (same slot)
export const SEC_CAP: usize = SECRETS + 144;             // client application traffic secret
const TMP: usize = memory.data(2 * HMAX);                // derived salt / transcript hash / keys / zeros
export const SCHEDULE_RAM: i32 = HASH_CTX + 4 * HMAX + 2 * HMAX;

const STAGE_NONE = 0;
const STAGE_EARLY = 1;
const STAGE_HANDSHAKE = 2;
const STAGE_MASTER = 3;
const STAGE_RESUMPTION = 4;
let stage = STAGE_NONE;
let suite = 0;     // 1 AES-128-GCM/SHA-256, 2 AES-256-GCM/SHA-384, 3 ChaCha20-Poly1305/SHA-256
let alg = HASH_SHA256;
let hl: i32 = 32;

export function ksSetSuite(s: i32): void {
  suite = s;
  alg = FULL && s == 2 ? HASH_SHA384 : HASH_SHA256;   // device profile (config.ts): SHA-256 only
  hl = <i32>hashLen(alg);
}
export function ksSuiteId(): i32 { return suite; }
// @inline: constants in the device profile.
// @ts-ignore: decorator
@inline export function ksAlg(): i32 { return FULL ? alg : HASH_SHA256; }
// @ts-ignore: decorator
@inline export function ksHashLen(): i32 { return FULL ? hl : 32; }

// The transcript hash so far into out (the context goes on).
export function ksTranscript(out: usize): void {
  memory.copy(TH_COPY, TH, HASH_CTX);
  hashFinal(alg, TH_COPY, out);
}

// Derive-Secret(secret, label, transcript) into out.
function deriveSecret(secret: usize, label: usize, labelLen: usize, out: usize): i32 {
  ksTranscript(TMP + HMAX);
  return hkdfExpandLabel(alg, secret, label, labelLen, TMP + HMAX, hl, out, hl);
}

// SEC_STAGE = HKDF-Extract(Derive-Secret(SEC_STAGE, "derived", ""), ikm),
// ikm 0: HashLen zeros.
function nextStage(ikm: usize, ikmLen: i32): i32 {
  hashInit(alg, TH_COPY);
  hashFinal(alg, TH_COPY, TMP + HMAX);                 // Hash("")
  let rc = hkdfExpandLabel(alg, SEC_STAGE, L_DERIVED, L_DERIVED_LEN, TMP + HMAX, hl, TMP, hl);
  if (!ikm) { memory.fill(TMP + HMAX, 0, HMAX); ikm = TMP + HMAX; ikmLen = hl; }
  if (rc == 0) rc = hkdfExtract(alg, TMP, hl, ikm, ikmLen, SEC_STAGE);
  memory.fill(TMP, 0, 2 * HMAX);
  return rc;
}

// Early secret from a PSK (or none: HashLen zeros).
export function ksEarly(psk: usize, pskLen: i32): i32 {
  memory.fill(TMP, 0, HMAX);
  // An empty salt is HashLen zeros (RFC 5869 2.2: HMAC pads the key).
  const rc = hkdfExtract(alg, TMP, 0, psk ? psk : TMP, psk ? pskLen : hl, SEC_STAGE);
  stage = STAGE_EARLY;
  return rc;
}

// Handshake secret from the (EC)DHE shared secret; the handshake traffic
// secrets over the transcript through ServerHello.
export function ksHandshake(ecdhe: usize, n: i32): i32 {
  if (stage != STAGE_EARLY) return ERR_TLS_CRYPTO;
  let rc = nextStage(ecdhe, n);
  if (rc == 0) rc = deriveSecret(SEC_STAGE, L_C_HS, L_C_HS_LEN, SEC_CHS);
  if (rc == 0) rc = deriveSecret(SEC_STAGE, L_S_HS, L_C_HS_LEN, SEC_SHS);
  stage = STAGE_HANDSHAKE;
  return rc;
}

// Master secret; the application traffic secrets over the transcript
// through the server Finished.
export function ksMaster(): i32 {
  if (stage != STAGE_HANDSHAKE) return ERR_TLS_CRYPTO;
  let rc = nextStage(0, 0);
  if (rc == 0) rc = deriveSecret(SEC_STAGE, L_C_AP, L_C_HS_LEN, SEC_CAP);
  if (rc == 0) rc = deriveSecret(SEC_STAGE, L_S_AP, L_C_HS_LEN, SEC_SAP);
  stage = STAGE_MASTER;
  return rc;
}

// Resumption master secret over the transcript through the client
// Finished; the handshake traffic secrets are no longer needed.
export function ksResumption(): i32 {
  if (stage != STAGE_MASTER) return ERR_TLS_CRYPTO;
  const rc = deriveSecret(SEC_STAGE, L_RES_MASTER, L_RES_MASTER_LEN, SEC_STAGE);
  memory.fill(SEC_CHS, 0, HMAX);
  stage = STAGE_RESUMPTION;
  return rc;
}

// The PSK binder (RFC 8446 4.2.11.2) from the early secret in SEC_STAGE,
// over the transcript so far (after a HelloRetryRequest) and the partial
// ClientHello [msg, msg+n), into out.
export function ksBinder(external: bool, msg: usize, n: i32, afterHrr: bool, out: usize): void {
  hashInit(alg, TH_COPY);
  hashFinal(alg, TH_COPY, TMP + HMAX);                                  // Hash("")
  hkdfExpandLabel(alg, SEC_STAGE, external ? L_EXT_BINDER : L_RES_BINDER, L_RES_BINDER_LEN, TMP + HMAX, hl, TMP, hl);
  hkdfExpandLabel(alg, TMP, L_FINISHED, L_FINISHED_LEN, 0, 0, TMP + HMAX, hl);   // binder finished_key
  if (afterHrr) memory.copy(TH_COPY, TH, HASH_CTX); else hashInit(alg, TH_COPY);
  hashUpdate(alg, TH_COPY, msg, n);
  hashFinal(alg, TH_COPY, TMP);
  hmac(alg, TMP + HMAX, hl, TMP, hl, out);
  memory.fill(TMP, 0, 2 * HMAX);
}

// A ticket's PSK: HKDF-Expand-Label(resumption_master_secret, "resumption",
// ticket_nonce, Hash.length) into out.
export function ksTicketPsk(nonce: usize, nonceLen: i32, out: usize): i32 {
  if (stage != STAGE_RESUMPTION) return ERR_TLS_CRYPTO;
  return hkdfExpandLabel(alg, SEC_STAGE, L_RESUMPTION, L_RESUMPTION_LEN, nonce, nonceLen, out, hl);
}

// SHA-256 of [p, p+n) into out (out may overlap the input).
export function ksSha256(p: usize, n: i32, out: usize): void {
  hashInit(HASH_SHA256, TH_COPY);
  hashUpdate(HASH_SHA256, TH_COPY, p, n);
  hashFinal(HASH_SHA256, TH_COPY, out);
}

// Traffic keys of `secret` into an AEAD context and its 12-byte IV.
export function ksInstall(ctx: usize, iv: usize, secret: usize): i32 {
  const kl = aeadKeyLen(suite);
  let rc = hkdfExpandLabel(alg, secret, L_KEY, L_KEY_LEN, 0, 0, TMP, kl);
  if (rc == 0) rc = hkdfExpandLabel(alg, secret, L_IV, L_IV_LEN, 0, 0, iv, 12);
  if (rc == 0) rc = aeadInit(suite, ctx, TMP);
  memory.fill(TMP, 0, HMAX);
  return rc;
}

// verify_data = HMAC(finished_key(secret), transcript hash) into out.
export function ksFinished(secret: usize, out: usize): void {
  hkdfExpandLabel(alg, secret, L_FINISHED, L_FINISHED_LEN, 0, 0, TMP, hl);
  ksTranscript(TMP + HMAX);
  hmac(alg, TMP, hl, TMP + HMAX, hl, out);
  memory.fill(TMP, 0, 2 * HMAX);
}

// KeyUpdate: the next application traffic secret, in place.
export function ksUpdate(secret: usize): void {
  hkdfExpandLabel(alg, secret, L_TRAFFIC_UPD, L_TRAFFIC_UPD_LEN, 0, 0, TMP, hl);
  memory.copy(secret, TMP, hl);
  memory.fill(TMP, 0, HMAX);
}

export function ksWipe(): void {
  memory.fill(SECRETS, 0, 4 * HMAX);
  memory.fill(TMP, 0, 2 * HMAX);
  memory.fill(TH, 0, HASH_CTX);
  stage = STAGE_NONE;
}
