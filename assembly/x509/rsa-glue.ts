// RSA verification for X.509 and CertificateVerify, over assembly/crypto/rsa.ts:
// maps the certificate's key (n, e as bytes) and the crypto's error codes.
// Public inputs only.
import { rsaVerify as rsaVerifyRaw, rsaSetMinBits, RSA_PKCS1, RSA_PSS } from "../crypto/rsa";
import { ERR_RSA_KEY_TOO_SMALL } from "../crypto/errors";
import { hashLen } from "../crypto/hash";
import { ERR_X509_BAD_SIGNATURE, ERR_X509_KEY_TOO_SMALL } from "./errors";

// Keeps the crypto's RSA minimum in step with X.509's (rsa.ts allows 512..4096).
export function rsaMinBits(bits: i32): void { rsaSetMinBits(bits < 512 ? 512 : bits); }

// PKCS#1 v1.5 or PSS (salt = hash length, MGF1 with the same hash) over the
// digest dig of hash `hash`; n/e big-endian (e at most 4 bytes, checked by
// the certificate parser).
export function rsaVerify(pss: bool, hash: i32, dig: usize, sig: usize, sigLen: i32,
                          n: usize, nLen: i32, e: usize, eLen: i32): i32 {
  let ev: u32 = 0;
  for (let i = 0; i < eLen; i++) ev = (ev << 8) | load<u8>(e + <usize>i);
  const h = <i32>hashLen(hash);
  const r = rsaVerifyRaw(pss ? RSA_PSS : RSA_PKCS1, n, nLen, ev, hash, dig, h, sig, sigLen, h);
  if (r == 0) return 0;
  return r == ERR_RSA_KEY_TOO_SMALL ? ERR_X509_KEY_TOO_SMALL : ERR_X509_BAD_SIGNATURE;
}
