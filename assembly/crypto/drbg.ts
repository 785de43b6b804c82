// HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1, section 10.1.2), no
// prediction resistance, one global instance in static memory.
// Implementation notes: the working state is K and V (32 bytes each) and the
// reseed counter. Instantiate takes entropy || nonce (48 bytes from the
// host's random_bytes: 256 bits of entropy, 128-bit nonce) and an optional
// personalization string; reseed takes 32 fresh host bytes and optional
// additional input. drbgGenerate seeds itself on first use and reseeds after
// RESEED_INTERVAL requests, so callers cannot draw from an unseeded state.
// Host entropy passes through SEED, wiped after use; HMAC runs in
// HMAC_SCRATCH (hmacFinal wipes it). The *From functions take the caller's
// entropy: they exist for known-answer tests (CAVP) and must not replace the
// host-seeded path in the product.
import { randomBytes } from "../host";
import { HASH_SHA256 } from "./hash";
import { HMAC_SCRATCH, HMAC_BLOCK, hmac, hmacInit, hmacUpdate, hmacFinal } from "./hmac";
import { ERR_DRBG_REQUEST_TOO_LONG } from "./errors";

export const DRBG_MAX_REQUEST: usize = 65536;   // bytes per request (2^19 bits, SP 800-90A table 2)
export const DRBG_RESEED_INTERVAL: u32 = 1024;  // requests between reseeds (the maximum is 2^48)

// RAM: K 32 B, V 32 B, BYTES 2 B; host entropy passes through hmac.ts's
// HMAC_BLOCK (SEED).
const K: usize = memory.data(32);
const V: usize = memory.data(32);
const SEED: usize = HMAC_BLOCK;
const BYTES: usize = memory.data<u8>([0, 1]);
let reseedCounter: u32 = 0;   // 0: not instantiated

// HMAC_DRBG_Update with provided_data = d1 || d2.
function update(d1: usize, n1: usize, d2: usize, n2: usize): void {
  const s = HMAC_SCRATCH;
  for (let b: usize = 0; b < 2; b++) {
    hmacInit(HASH_SHA256, s, K, 32);              // K = HMAC(K, V || b || provided_data)
    hmacUpdate(s, V, 32);
    hmacUpdate(s, BYTES + b, 1);
    hmacUpdate(s, d1, n1);
    hmacUpdate(s, d2, n2);
    hmacFinal(s, K);
    hmac(HASH_SHA256, K, 32, V, 32, V);            // V = HMAC(K, V)
    if (n1 + n2 == 0) break;
  }
}

export function drbgInstantiateFrom(entropy: usize, entropyLen: usize, pers: usize, persLen: usize): void {
  memory.fill(K, 0, 32);
  memory.fill(V, 1, 32);
  update(entropy, entropyLen, pers, persLen);
  reseedCounter = 1;
}

export function drbgReseedFrom(entropy: usize, entropyLen: usize, add: usize, addLen: usize): void {
  update(entropy, entropyLen, add, addLen);
  reseedCounter = 1;
}

// Instantiates from 48 host bytes (entropy || nonce) and an optional
// personalization string.
export function drbgSeed(pers: usize = 0, persLen: usize = 0): void {
  randomBytes(SEED, 48);
  drbgInstantiateFrom(SEED, 48, pers, persLen);
  memory.fill(SEED, 0, 48);
}

export function drbgReseed(add: usize = 0, addLen: usize = 0): void {
  randomBytes(SEED, 32);
  drbgReseedFrom(SEED, 32, add, addLen);
  memory.fill(SEED, 0, 32);
}

// n random bytes at out (at most DRBG_MAX_REQUEST), with optional additional
// input. Returns 0 or ERR_DRBG_REQUEST_TOO_LONG.
export function drbgGenerate(out: usize, n: usize, add: usize = 0, addLen: usize = 0): i32 {
  if (n > DRBG_MAX_REQUEST) return ERR_DRBG_REQUEST_TOO_LONG;
  if (reseedCounter == 0) drbgSeed();
  if (reseedCounter > DRBG_RESEED_INTERVAL) {
    drbgReseed(add, addLen);                     // the additional input goes into the reseed
    addLen = 0;
  }
  if (addLen) update(add, addLen, 0, 0);
  for (let done: usize = 0; done < n; done += 32) {
    hmac(HASH_SHA256, K, 32, V, 32, V);
    memory.copy(out + done, V, min<usize>(32, n - done));
  }
  update(add, addLen, 0, 0);
  reseedCounter++;
  return 0;
}
