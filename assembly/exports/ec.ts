// Exports of the prime-curve and RSA area: ECDH / keys on P-256, ECDSA on
// P-256 and P-384, RSA signature verification. Pointer-checked, status
// returning (0 or a negative code from errors.ts / crypto/errors.ts).
import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { ERR_EC_UNKNOWN_CURVE, ERR_ECDSA_ENCODING } from "../crypto/errors";
import { ecdhP256, ecP256PublicKey, curveUse, FB } from "../crypto/ecp";
import { ecdsaVerifyVartime, ecdsaDerSignature } from "../crypto/ecdsa";

// Raw r || s of a parsed DER signature. RAM: 96 bytes.
const SIG: usize = memory.data(96);

@inline function bad(p: usize, n: i32): bool { return n < 0 || !inMemory(p, <usize>n); }

// out (32) = x(priv * peer) on P-256; peer: 04 || x || y (peerLen 65).
export function ecdh_p256(out: usize, priv: usize, peer: usize, peerLen: i32): i32 {
  if (bad(out, 32) || bad(priv, 32) || bad(peer, peerLen)) return ERR_BAD_POINTER;
  return ecdhP256(out, priv, peer, peerLen);
}

// out (65) = 04 || x || y of priv * G on P-256.
export function ec_p256_public(out: usize, priv: usize): i32 {
  if (bad(out, 65) || bad(priv, 32)) return ERR_BAD_POINTER;
  return ecP256PublicKey(out, priv);
}

// ECDSA verification, signature as r || s (IEEE P1363, 2 x field bytes).
export function ecdsa_verify(curve: i32, pub: usize, pubLen: i32, hash: usize, hashLen: i32,
                             sig: usize, sigLen: i32): i32 {
  if (bad(pub, pubLen) || bad(hash, hashLen) || bad(sig, sigLen)) return ERR_BAD_POINTER;
  if (!curveUse(curve)) return ERR_EC_UNKNOWN_CURVE;
  if (sigLen != 2 * <i32>FB) return ERR_ECDSA_ENCODING;
  return ecdsaVerifyVartime(curve, pub, pubLen, hash, hashLen, sig, sig + FB);
}

// ECDSA verification, signature DER-encoded (X.509, TLS CertificateVerify).
export function ecdsa_verify_der(curve: i32, pub: usize, pubLen: i32, hash: usize, hashLen: i32,
                                 sig: usize, sigLen: i32): i32 {
  if (bad(pub, pubLen) || bad(hash, hashLen) || bad(sig, sigLen)) return ERR_BAD_POINTER;
  if (!curveUse(curve)) return ERR_EC_UNKNOWN_CURVE;
  const rc = ecdsaDerSignature(SIG, sig, sigLen);
  if (rc) return rc;
  return ecdsaVerifyVartime(curve, pub, pubLen, hash, hashLen, SIG, SIG + FB);
}
