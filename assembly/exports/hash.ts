import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX } from "../crypto/sha256";
import { sha512Init, sha384Init, sha512Update, sha512Final, sha384Final, SHA512_CTX } from "../crypto/sha512";

export function sha256_init(ctx: usize): i32 {
  if (!inMemory(ctx, SHA256_CTX)) return ERR_BAD_POINTER;
  sha256Init(ctx);
  return 0;
}
export function sha256_update(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, SHA256_CTX) || n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
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
// SHA-384 and SHA-512 share the update (the context is the same shape).
export function sha512_update(ctx: usize, p: usize, n: i32): i32 {
  if (!inMemory(ctx, SHA512_CTX) || n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
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
