// HMAC (RFC 2104, FIPS 198-1) over the hash dispatcher (SHA-256/384/512).
// Implementation notes: a context is HMAC_CTX bytes of caller-owned memory:
// the hash id (i32 at 0, 8 bytes with padding), the inner hash context (at 8)
// and the key block XOR opad (at 8 + HASH_CTX, one hash block). The outer
// hash is computed in hmacFinal from that block, so a context holds one hash
// context, not two. hmacFinal wipes the whole context (key material included).
// Keys longer than a block are hashed first (RFC 2104 section 2). The key is
// secret: no branch or index depends on its bytes, only on its length.
// `out` of hmacFinal receives hashLen(alg) bytes and serves as the inner
// digest's scratch; it must not overlap the context.
import { HASH_CTX, HASH_MAX_BLOCK, hashBlockLen, hashLen, hashInit, hashUpdate, hashFinal } from "./hash";

export const HMAC_CTX: i32 = 8 + HASH_CTX + HASH_MAX_BLOCK;   // 336

// Scratch context for the one-shot hmac() and for HKDF and the DRBG, which
// never run inside one another. RAM: HMAC_CTX bytes.
export const HMAC_SCRATCH: usize = memory.data(HMAC_CTX);
// A 64-byte block for HKDF's T(i) and the DRBG's host entropy: both are
// wiped after use and never live at the same time. RAM: 64 bytes.
export const HMAC_BLOCK: usize = memory.data(64);

// XORs n bytes (a multiple of 8) at p with the byte in every lane of pad.
function xorPad(p: usize, n: usize, pad: u64): void {
  for (let i: usize = 0; i < n; i += 8) store<u64>(p + i, load<u64>(p + i) ^ pad);
}

// `alg` must be a valid HASH_* id (hashLen(alg) != 0).
export function hmacInit(alg: i32, ctx: usize, key: usize, keyLen: usize): void {
  const h = ctx + 8, kb = h + HASH_CTX, bl = hashBlockLen(alg);
  store<i32>(ctx, alg);
  memory.fill(kb, 0, HASH_MAX_BLOCK);
  if (keyLen > bl) {
    hashInit(alg, h);
    hashUpdate(alg, h, key, keyLen);
    hashFinal(alg, h, kb);
  } else {
    memory.copy(kb, key, keyLen);
  }
  xorPad(kb, bl, 0x3636363636363636);
  hashInit(alg, h);
  hashUpdate(alg, h, kb, bl);
  xorPad(kb, bl, 0x3636363636363636 ^ 0x5c5c5c5c5c5c5c5c);   // ipad -> opad
}

export function hmacUpdate(ctx: usize, p: usize, n: usize): void {
  hashUpdate(load<i32>(ctx), ctx + 8, p, n);
}

export function hmacFinal(ctx: usize, out: usize): void {
  const alg = load<i32>(ctx), h = ctx + 8;
  hashFinal(alg, h, out);                       // inner digest
  hashInit(alg, h);
  hashUpdate(alg, h, h + HASH_CTX, hashBlockLen(alg));
  hashUpdate(alg, h, out, hashLen(alg));
  hashFinal(alg, h, out);
  memory.fill(ctx, 0, HMAC_CTX);
}

// One-shot HMAC through HMAC_SCRATCH; out receives hashLen(alg) bytes and may
// be the message itself (the message is read before out is written).
export function hmac(alg: i32, key: usize, keyLen: usize, msg: usize, msgLen: usize, out: usize): void {
  hmacInit(alg, HMAC_SCRATCH, key, keyLen);
  hmacUpdate(HMAC_SCRATCH, msg, msgLen);
  hmacFinal(HMAC_SCRATCH, out);
}
