// Signature verification for certificates and CertificateVerify: one entry
// point over the crypto (ECDSA P-256/P-384, RSA PKCS#1 v1.5 and PSS,
// Ed25519). Public inputs only: all of it is variable time.
// Implementation notes: RSA and ECDSA take the digest of the signed data,
// Ed25519 takes the data itself (PureEdDSA hashes R || A || M, so the digest
// cannot be computed before the issuer key A is known; chain.ts keeps an
// Ed25519-signed TBS until its issuer arrives).
import { hashLen, hashInit, hashUpdate, hashFinal, HASH_CTX, HASH_MAX_LEN } from "../crypto/hash";
import { ecdsaVerifyVartime, ecdsaDerSignature } from "../crypto/ecdsa";
import { curveUse, CURVE_P256, CURVE_P384, EC_MAX_BYTES, FB } from "../crypto/ecp";
import { ed25519Verify } from "../crypto/ed25519";
import { rsaVerify } from "./rsa-glue";
import { FULL } from "../config";
import { ERR_X509_BAD_SIGNATURE, ERR_X509_UNSUPPORTED_ALGORITHM } from "./errors";
import { KEY_RSA, KEY_P256, KEY_P384, KEY_ED25519, SIG_RSA_PKCS1, SIG_RSA_PSS, SIG_ECDSA, SIG_ED25519 } from "./cert";

// Hash context shared by all X.509 hashing (names, TBS, SPKI). RAM: 200 bytes.
export const HCTX: usize = memory.data(HASH_CTX);
// r || s of an ECDSA signature. RAM: 96 bytes.
const RS: usize = memory.data(2 * EC_MAX_BYTES);

// out = hash(alg) of [p, p+n).
export function digest(alg: i32, p: usize, n: usize, out: usize): void {
  hashInit(alg, HCTX);
  hashUpdate(alg, HCTX, p, n);
  hashFinal(alg, HCTX, out);
}

// Verifies `sig` (sigLen bytes, X.509 encoding: DER for ECDSA) made with
// algorithm `alg` (SIG_*) and hash `hash` over data whose digest is at dig
// (RSA, ECDSA) or which is [msg, msg+msgLen) (Ed25519), under the key
// (keyType, key/keyLen, RSA exponent e/eLen). 0 when valid, else
// ERR_X509_BAD_SIGNATURE (also for a key that does not fit the algorithm).
export function verifySig(alg: i32, hash: i32, dig: usize, msg: usize, msgLen: usize, sig: usize, sigLen: i32,
                          keyType: i32, key: usize, keyLen: i32, e: usize, eLen: i32): i32 {
  // The device profile (config.ts): P-256, RSA, SHA-256 only (cert.ts
  // rejects the others as unsupported before this).
  if (alg == SIG_ECDSA) {
    if (keyType != KEY_P256 && (!FULL || keyType != KEY_P384)) return ERR_X509_BAD_SIGNATURE;
    const curve = !FULL || keyType == KEY_P256 ? CURVE_P256 : CURVE_P384;
    curveUse(curve);
    if (ecdsaDerSignature(RS, sig, sigLen) != 0) return ERR_X509_BAD_SIGNATURE;
    const r = ecdsaVerifyVartime(curve, key, keyLen, dig, <i32>hashLen(hash), RS, RS + FB);
    return r == 0 ? 0 : ERR_X509_BAD_SIGNATURE;
  }
  if (FULL && alg == SIG_ED25519) {
    if (keyType != KEY_ED25519 || sigLen != 64) return ERR_X509_BAD_SIGNATURE;
    return ed25519Verify(key, msg, msgLen, sig) == 0 ? 0 : ERR_X509_BAD_SIGNATURE;
  }
  if (alg == SIG_RSA_PKCS1 || alg == SIG_RSA_PSS) {
    if (keyType != KEY_RSA) return ERR_X509_BAD_SIGNATURE;
    return rsaVerify(alg == SIG_RSA_PSS, hash, dig, sig, sigLen, key, keyLen, e, eLen);
  }
  return ERR_X509_UNSUPPORTED_ALGORITHM;
}
