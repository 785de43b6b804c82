// Hash, HMAC, HKDF and DRBG exports for the host (tests, benchmarks, CLI).
// Every pointer is checked (a zero-length input may be a null pointer) and
// every call returns 0 or a negative error code.
import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { ERR_UNKNOWN_HASH } from "../crypto/errors";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX } from "../crypto/sha256";
import { sha512Init, sha384Init, sha512Update, sha512Final, sha384Final, SHA512_CTX } from "../crypto/sha512";
import { hashLen } from "../crypto/hash";
import { hmac as hmacCompute } from "../crypto/hmac";
import { hkdfExtract, hkdfExpand, hkdfExpandLabel } from "../crypto/hkdf";
import { DRBG_MAX_REQUEST, drbgSeed, drbgReseed, drbgGenerate, drbgInstantiateFrom, drbgReseedFrom } from "../crypto/drbg";

// An input of n bytes at p: n >= 0 and in memory (p may be 0 when n is 0).
function input(p: usize, n: i32): bool {
  return n == 0 || (n > 0 && inMemory(p, n));
}

export function sha256_init(ctx: usize): i32 {
  if (!inMemory(ctx, SHA256_CTX)) return ERR_BAD_POINTER;
  sha256Init(ctx);
  return 0;
}
export function sha256_update(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, SHA256_CTX) || !input(p, n)) return ERR_BAD_POINTER;
  sha256Update(ctx, p, n);
  return 0;
}
export function sha256_final(ctx: usize, out: usize): i32 {
  if (!inMemory(ctx, SHA256_CTX) || !inMemory(out, 32)) return ERR_BAD_POINTER;
  sha256Final(ctx, out);
  return 0;
}

export function sha512_init(ctx: usize): i32 {
  if (!inMemory(ctx, SHA512_CTX)) return ERR_BAD_POINTER;
  sha512Init(ctx);
  return 0;
}
export function sha384_init(ctx: usize): i32 {
  if (!inMemory(ctx, SHA512_CTX)) return ERR_BAD_POINTER;
  sha384Init(ctx);
  return 0;
}
// SHA-384 and SHA-512 contexts have the same shape: one update serves both.
export function sha512_update(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, SHA512_CTX) || !input(p, n)) return ERR_BAD_POINTER;
  sha512Update(ctx, p, n);
  return 0;
}
export function sha384_update(ctx: usize, p: usize, n: i32): i32 {
  return sha512_update(ctx, p, n);
}
export function sha512_final(ctx: usize, out: usize): i32 {
  if (!inMemory(ctx, SHA512_CTX) || !inMemory(out, 64)) return ERR_BAD_POINTER;
  sha512Final(ctx, out);
  return 0;
}
export function sha384_final(ctx: usize, out: usize): i32 {
  if (!inMemory(ctx, SHA512_CTX) || !inMemory(out, 48)) return ERR_BAD_POINTER;
  sha384Final(ctx, out);
  return 0;
}

// HMAC-Hash(key, msg) into out (hashLen bytes); alg: 1 SHA-256, 2 SHA-384, 3 SHA-512.
export function hmac(alg: i32, key: usize, keyLen: i32, msg: usize, msgLen: i32, out: usize): i32 {
  const hl = hashLen(alg);
  if (!hl) return ERR_UNKNOWN_HASH;
  if (!input(key, keyLen) || !input(msg, msgLen) || !inMemory(out, hl)) return ERR_BAD_POINTER;
  hmacCompute(alg, key, keyLen, msg, msgLen, out);
  return 0;
}

export function hkdf_extract(alg: i32, salt: usize, saltLen: i32, ikm: usize, ikmLen: i32, prk: usize): i32 {
  const hl = hashLen(alg);
  if (!hl) return ERR_UNKNOWN_HASH;
  if (!input(salt, saltLen) || !input(ikm, ikmLen) || !inMemory(prk, hl)) return ERR_BAD_POINTER;
  return hkdfExtract(alg, salt, saltLen, ikm, ikmLen, prk);
}

// A too-long output is reported as such (before the pointer check on out):
// hkdfExpand rejects it before writing anything.
export function hkdf_expand(alg: i32, prk: usize, prkLen: i32, info: usize, infoLen: i32, out: usize, outLen: i32): i32 {
  if (!input(prk, prkLen) || !input(info, infoLen) || outLen < 0) return ERR_BAD_POINTER;
  if (<usize>outLen <= 255 * hashLen(alg) && !input(out, outLen)) return ERR_BAD_POINTER;
  return hkdfExpand(alg, prk, prkLen, info, infoLen, out, outLen);
}

export function hkdf_expand_label(alg: i32, secret: usize, label: usize, labelLen: i32,
                                  context: usize, contextLen: i32, out: usize, outLen: i32): i32 {
  const hl = hashLen(alg);
  if (!hl) return ERR_UNKNOWN_HASH;
  if (!inMemory(secret, hl) || !input(label, labelLen) || !input(context, contextLen) || outLen < 0) return ERR_BAD_POINTER;
  if (<usize>outLen <= 255 * hl && !input(out, outLen)) return ERR_BAD_POINTER;
  return hkdfExpandLabel(alg, secret, label, labelLen, context, contextLen, out, outLen);
}

// The DRBG seeded from the board (random_bytes).
export function drbg_seed(pers: usize, persLen: i32): i32 {
  if (!input(pers, persLen)) return ERR_BAD_POINTER;
  drbgSeed(pers, persLen);
  return 0;
}
export function drbg_reseed(add: usize, addLen: i32): i32 {
  if (!input(add, addLen)) return ERR_BAD_POINTER;
  drbgReseed(add, addLen);
  return 0;
}
// A request over DRBG_MAX_REQUEST is reported as such (drbgGenerate rejects
// it before writing).
export function drbg_generate(out: usize, n: i32, add: usize, addLen: i32): i32 {
  if (n < 0 || (<usize>n <= DRBG_MAX_REQUEST && !input(out, n)) || !input(add, addLen)) return ERR_BAD_POINTER;
  return drbgGenerate(out, n, add, addLen);
}
// Known-answer tests only: the same DRBG from the caller's entropy.
export function drbg_instantiate_kat(entropy: usize, entropyLen: i32, pers: usize, persLen: i32): i32 {
  if (!input(entropy, entropyLen) || !input(pers, persLen)) return ERR_BAD_POINTER;
  drbgInstantiateFrom(entropy, entropyLen, pers, persLen);
  return 0;
}
export function drbg_reseed_kat(entropy: usize, entropyLen: i32, add: usize, addLen: i32): i32 {
  if (!input(entropy, entropyLen) || !input(add, addLen)) return ERR_BAD_POINTER;
  drbgReseedFrom(entropy, entropyLen, add, addLen);
  return 0;
}
