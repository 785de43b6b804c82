// Exports of the Curve25519 area: X25519 key agreement and Ed25519 verification.
// Every pointer is checked first; results are 0 or a negative error code.
import { inMemory } from "../io";
import { ERR_BAD_POINTER, ERR_BAD_ARGUMENT } from "../errors";
import { x25519 as x25519Scalarmult, x25519Base } from "../crypto/x25519";
import { ed25519Verify } from "../crypto/ed25519";

// out (32) = X25519(scalar (32), u (32)); -24 (ERR_X25519_ZERO) for an all-zero result.
export function x25519(out: usize, scalar: usize, u: usize): i32 {
  if (!inMemory(out, 32) || !inMemory(scalar, 32) || !inMemory(u, 32)) return ERR_BAD_POINTER;
  return x25519Scalarmult(out, scalar, u);
}

// out (32) = X25519(scalar (32), 9): the public key of a scalar.
export function x25519_base(out: usize, scalar: usize): i32 {
  if (!inMemory(out, 32) || !inMemory(scalar, 32)) return ERR_BAD_POINTER;
  return x25519Base(out, scalar);
}

// Verifies the Ed25519 signature sig (sigLen bytes, must be 64) on msg (n
// bytes) under the public key pub (32): 0, ERR_BAD_ARGUMENT for a wrong
// length, or an ERR_ED25519_* code (-25..-28).
export function ed25519_verify(pub: usize, msg: usize, n: i32, sig: usize, sigLen: i32): i32 {
  if (!inMemory(pub, 32) || n < 0 || !inMemory(msg, n) || !inMemory(sig, 64)) return ERR_BAD_POINTER;
  if (sigLen != 64) return ERR_BAD_ARGUMENT;
  return ed25519Verify(pub, msg, n, sig);
}
