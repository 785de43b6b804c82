// RSA verification for X.509, over assembly/crypto/rsa.ts.
// Until the crypto's RSA lands, every RSA signature is refused as an
// unsupported algorithm (never accepted).
import { ERR_X509_UNSUPPORTED_ALGORITHM } from "./errors";

export function rsaVerify(pss: bool, hash: i32, dig: usize, sig: usize, sigLen: i32,
                          n: usize, nLen: i32, e: usize, eLen: i32): i32 {
  return ERR_X509_UNSUPPORTED_ALGORITHM;
}
