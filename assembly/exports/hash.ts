import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX } from "../crypto/sha256";

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
