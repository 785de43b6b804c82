// Exports of the AEAD area for tests and benchmarks: pointer-checked wrappers
// over assembly/crypto/aead.ts, each returning 0 or a negative error code.
import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { ERR_AEAD_TAG, ERR_AEAD_SUITE } from "../crypto/errors";
import {
  AEAD_CTX, AEAD_NONCE, AEAD_TAG, aeadKeyLen, aeadInit, aeadStart, aeadAad, aeadEncrypt,
  aeadDecrypt, aeadTag, aeadCheckTag, aeadSeal, aeadOpen,
} from "../crypto/aead";

export function aead_ctx_size(): i32 { return AEAD_CTX; }
export function aead_key_len(suite: i32): i32 {
  const n = aeadKeyLen(suite);
  return n ? n : ERR_AEAD_SUITE;
}

export function aead_init(suite: i32, ctx: usize, key: usize): i32 {
  const klen = aeadKeyLen(suite);
  if (klen == 0) return ERR_AEAD_SUITE;
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(key, klen)) return ERR_BAD_POINTER;
  return aeadInit(suite, ctx, key);
}
export function aead_start(ctx: usize, nonce: usize): i32 {
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(nonce, AEAD_NONCE)) return ERR_BAD_POINTER;
  return aeadStart(ctx, nonce);
}
export function aead_aad(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, AEAD_CTX) || n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return aeadAad(ctx, p, n);
}
export function aead_encrypt(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, AEAD_CTX) || n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return aeadEncrypt(ctx, p, n);
}
export function aead_decrypt(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, AEAD_CTX) || n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return aeadDecrypt(ctx, p, n);
}
export function aead_tag(ctx: usize, out: usize): i32 {
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(out, AEAD_TAG)) return ERR_BAD_POINTER;
  return aeadTag(ctx, out);
}
export function aead_check_tag(ctx: usize, tag: usize): i32 {
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(tag, AEAD_TAG)) return ERR_BAD_POINTER;
  return aeadCheckTag(ctx, tag) ? 0 : ERR_AEAD_TAG;
}
export function aead_seal(ctx: usize, nonce: usize, aad: usize, aadLen: i32, p: usize, n: i32, tag: usize): i32 {
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(nonce, AEAD_NONCE) || aadLen < 0 || !inMemory(aad, aadLen)
    || n < 0 || !inMemory(p, n) || !inMemory(tag, AEAD_TAG)) return ERR_BAD_POINTER;
  return aeadSeal(ctx, nonce, aad, aadLen, p, n, tag);
}
export function aead_open(ctx: usize, nonce: usize, aad: usize, aadLen: i32, p: usize, n: i32, tag: usize): i32 {
  if (!inMemory(ctx, AEAD_CTX) || !inMemory(nonce, AEAD_NONCE) || aadLen < 0 || !inMemory(aad, aadLen)
    || n < 0 || !inMemory(p, n) || !inMemory(tag, AEAD_TAG)) return ERR_BAD_POINTER;
  return aeadOpen(ctx, nonce, aad, aadLen, p, n, tag);
}
