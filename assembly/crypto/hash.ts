// Hash dispatcher: one set of calls over SHA-256, SHA-384 and SHA-512 so that
// HMAC, HKDF, the TLS key schedule and X.509 can take the hash as a number.
// Implementation notes: all three contexts have md.ts's shape, so update and
// final need no switch, only the wide/narrow flag. `alg` must be one of the
// HASH_* ids: callers taking an id from outside check hashLen(alg) != 0 first
// (an unknown id behaves as SHA-512 here). The id is public, never secret.
import { mdUpdate, mdFinal } from "./md";
import { sha256Init } from "./sha256";
import { sha512Init, sha384Init, SHA512_CTX } from "./sha512";
import { SHA256_CTX } from "./sha256";
import { FULL } from "../config";

export const HASH_SHA256: i32 = 1;
export const HASH_SHA384: i32 = 2;
export const HASH_SHA512: i32 = 3;
// The device profile (config.ts) has SHA-256 only: the other ids are unknown
// there (hashLen 0), and the sizes below shrink to SHA-256's.
export const HASH_CTX: i32 = FULL ? SHA512_CTX : SHA256_CTX;   // bytes of context, enough for any of the three
export const HASH_MAX_LEN: i32 = FULL ? 64 : 32;       // largest digest
export const HASH_MAX_BLOCK: i32 = FULL ? 128 : 64;    // largest block

// Digest bytes: 32, 48, 64; 0 for an unknown id.
export function hashLen(alg: i32): usize {
  if (!FULL) return alg == HASH_SHA256 ? 32 : 0;
  return <u32>(alg - 1) < 3 ? <usize>(alg + 1) << 4 : 0;
}

// Block bytes: 64 for SHA-256, 128 for SHA-384/512; 0 for an unknown id.
export function hashBlockLen(alg: i32): usize {
  return alg == HASH_SHA256 ? 64 : FULL && <u32>(alg - 2) < 2 ? 128 : 0;
}

export function hashInit(alg: i32, ctx: usize): void {
  if (!FULL || alg == HASH_SHA256) sha256Init(ctx);
  else if (alg == HASH_SHA384) sha384Init(ctx);
  else sha512Init(ctx);
}

// @inline: a one-line forward (under wasm3 a function costs ~120 B of RAM).
// @ts-ignore: decorator
@inline export function hashUpdate(alg: i32, ctx: usize, p: usize, n: usize): void {
  mdUpdate(ctx, p, n, FULL && alg != HASH_SHA256);
}

// Writes hashLen(alg) bytes at out.
export function hashFinal(alg: i32, ctx: usize, out: usize): void {
  mdFinal(ctx, out, hashLen(alg), FULL && alg != HASH_SHA256);
}
