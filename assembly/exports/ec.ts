// Exports of the prime-curve and RSA area: ECDH / keys on P-256, ECDSA on
// P-256 and P-384, RSA signature verification. Pointer-checked, status
// returning (0 or a negative code from errors.ts / crypto/errors.ts).
import { inMemory } from "../io";
import { ERR_BAD_POINTER, ERR_BAD_ARGUMENT } from "../errors";
import { ERR_EC_UNKNOWN_CURVE, ERR_ECDSA_ENCODING } from "../crypto/errors";
import { ecdhP256, ecP256PublicKey, curveUse, FB } from "../crypto/ecp";
import { ecdsaVerifyVartime, ecdsaDerSignature, ecdsaSignP256 } from "../crypto/ecdsa";
import {
  rsaVerify, rsaSetMinBits, rsaPublicKeyDer, rsaKeyN, rsaKeyNLen, rsaKeyE, RSA_PKCS1, RSA_PSS,
} from "../crypto/rsa";
import { hashLen } from "../crypto/hash";

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

// Smallest RSA modulus accepted (bits, 512..4096; default 2048).
export function rsa_set_min_bits(bits: i32): i32 {
  return rsaSetMinBits(bits) ? 0 : ERR_BAD_ARGUMENT;
}

// RSASSA-PKCS1-v1_5 verification: modulus n (big-endian), exponent e, hash
// id (HASH_SHA256/384/512) and the message's hash (of that hash's length),
// signature. (The board test shell passes at most 8 arguments.)
export function rsa_verify_pkcs1(n: usize, nLen: i32, e: u32, alg: i32, hash: usize,
                                 sig: usize, sigLen: i32): i32 {
  const hl = <i32>hashLen(alg);
  if (bad(n, nLen) || bad(hash, hl) || bad(sig, sigLen)) return ERR_BAD_POINTER;
  return rsaVerify(RSA_PKCS1, n, nLen, e, alg, hash, hl, sig, sigLen, 0);
}

// RSASSA-PSS verification (MGF1 with the same hash, salt of saltLen bytes).
export function rsa_verify_pss(n: usize, nLen: i32, e: u32, alg: i32, hash: usize,
                               sig: usize, sigLen: i32, saltLen: i32): i32 {
  const hl = <i32>hashLen(alg);
  if (bad(n, nLen) || bad(hash, hl) || bad(sig, sigLen)) return ERR_BAD_POINTER;
  return rsaVerify(RSA_PSS, n, nLen, e, alg, hash, hl, sig, sigLen, saltLen);
}

// Parses a DER RSAPublicKey (spki = 0) or SubjectPublicKeyInfo (spki = 1);
// out (12 bytes): address and length of the modulus inside der, exponent.
export function rsa_public_key_der(der: usize, derLen: i32, spki: i32, out: usize): i32 {
  if (bad(der, derLen) || bad(out, 12)) return ERR_BAD_POINTER;
  const rc = rsaPublicKeyDer(der, derLen, spki != 0);
  if (rc) return rc;
  store<u32>(out, <u32>rsaKeyN);
  store<i32>(out, rsaKeyNLen, 4);
  store<u32>(out, rsaKeyE, 8);
  return 0;
}

// ECDSA P-256 signature (RFC 6979 nonce) of a 32-byte hash: r || s (64).
export function ecdsa_sign_p256(sig: usize, priv: usize, hash: usize): i32 {
  if (bad(sig, 64) || bad(priv, 32) || bad(hash, 32)) return ERR_BAD_POINTER;
  return ecdsaSignP256(sig, priv, hash);
}
