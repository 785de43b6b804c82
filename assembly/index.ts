// The module's exports: the app entry and the primitives the host drives in
// tests and benchmarks. Every export checks host pointers before use.
import { IO, IO_SIZE, inMemory } from "./io";
import { sha256Init, sha256Update, sha256Final, SHA256_CTX } from "./crypto/sha256";

export { main } from "./app/main";

export function io_buffer(): usize { return IO; }
export function io_size(): i32 { return IO_SIZE; }

// Error codes returned across the boundary are negative; 0 is success.
const ERR_BAD_POINTER: i32 = -1;

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
