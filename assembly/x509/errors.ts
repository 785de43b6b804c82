// X.509 error codes: -64 .. -127 (see assembly/errors.ts for the ranges).
// One exported const per code, with when it is returned; x509Alert maps each
// to the TLS alert the client sends (RFC 8446 6.2). Never renumber a code.

export const ERR_X509_MALFORMED: i32 = -64;            // DER does not parse (bad tag, length, trailing bytes)
export const ERR_X509_CERT_TOO_LARGE: i32 = -65;       // certificate longer than X509_CERT_MAX
export const ERR_X509_EXPIRED: i32 = -66;              // now > notAfter (or notAfter < time floor)
export const ERR_X509_NOT_YET_VALID: i32 = -67;        // now < notBefore
export const ERR_X509_UNKNOWN_ISSUER: i32 = -68;       // the chain does not reach a trust anchor
export const ERR_X509_BAD_SIGNATURE: i32 = -69;        // a certificate signature does not verify
export const ERR_X509_NAME_MISMATCH: i32 = -70;        // no SAN matches the expected host name / IP
export const ERR_X509_NOT_CA: i32 = -71;               // an issuer lacks basicConstraints cA=TRUE
export const ERR_X509_PATH_LEN: i32 = -72;             // pathLenConstraint exceeded
export const ERR_X509_KEY_USAGE: i32 = -73;            // keyUsage forbids this use (keyCertSign / digitalSignature)
export const ERR_X509_EKU: i32 = -74;                  // extendedKeyUsage present without serverAuth
export const ERR_X509_UNSUPPORTED_ALGORITHM: i32 = -75;// signature or key algorithm not supported (SHA-1, DSA, P-192...)
export const ERR_X509_KEY_TOO_SMALL: i32 = -76;        // RSA modulus below X509_RSA_MIN_BITS
export const ERR_X509_CRITICAL_EXTENSION: i32 = -77;   // an unknown extension is marked critical
export const ERR_X509_CHAIN_TOO_LONG: i32 = -78;       // more certificates than the configured depth
export const ERR_X509_EMPTY_CHAIN: i32 = -79;          // x509EndChain with no certificate
export const ERR_X509_STATE: i32 = -80;                // calls out of order (append before start...)
export const ERR_X509_LENGTH: i32 = -81;               // appended bytes differ from the announced length
export const ERR_X509_VERSION: i32 = -82;              // not an X.509 v3 certificate
export const ERR_X509_SIG_ALG_MISMATCH: i32 = -83;     // tbsCertificate.signature != signatureAlgorithm
export const ERR_X509_DUPLICATE_EXTENSION: i32 = -84;  // the same known extension twice
export const ERR_X509_BAD_EXTENSION: i32 = -85;        // an extension is malformed or has the wrong criticality
export const ERR_X509_EMPTY_NAME: i32 = -86;           // empty issuer, or empty subject where not allowed
export const ERR_X509_NAME_CONSTRAINTS: i32 = -87;     // a name violates a CA's nameConstraints
export const ERR_X509_UNSUPPORTED_NC: i32 = -88;       // nameConstraints of a form not implemented (e.g. directoryName)
export const ERR_X509_PIN_MISMATCH: i32 = -89;         // pinning on and the leaf key hash differs
export const ERR_X509_NO_SAN: i32 = -90;               // the leaf has no subjectAltName (no CN fallback)
export const ERR_X509_LEAF_IS_CA: i32 = -91;           // the end-entity certificate says cA=TRUE
export const ERR_X509_ANCHOR_STORE_FULL: i32 = -92;    // runtime anchor store has no room
export const ERR_X509_BAD_ANCHOR: i32 = -93;           // an anchor certificate is not a usable CA
export const ERR_X509_NO_LEAF_KEY: i32 = -94;          // leaf key asked for before a validated chain
export const ERR_X509_SCHEME: i32 = -95;               // CertificateVerify scheme does not fit the leaf key
export const ERR_X509_BAD_HOST: i32 = -96;             // the expected host name / IP given is invalid
export const ERR_X509_CV_SIGNATURE: i32 = -97;         // CertificateVerify signature does not verify
export const ERR_X509_BAD_SAN: i32 = -98;              // a SAN entry is malformed (bad dNSName / IP length)
export const ERR_X509_MISSING_KEY_ID: i32 = -99;       // no authorityKeyIdentifier (keyIdentifier only) / CA without subjectKeyIdentifier

// Next free code: -100

// TLS alert descriptions (RFC 8446 6.2).
const BAD_CERTIFICATE: i32 = 42;
const UNSUPPORTED_CERTIFICATE: i32 = 43;
const CERTIFICATE_EXPIRED: i32 = 45;
const UNKNOWN_CA: i32 = 48;
const ILLEGAL_PARAMETER: i32 = 47;
const DECODE_ERROR: i32 = 50;
const DECRYPT_ERROR: i32 = 51;
const INTERNAL_ERROR: i32 = 80;

// The alert to send when validation fails with `code` (an X.509 code).
// Unknown codes give internal_error.
export function x509Alert(code: i32): i32 {
  switch (code) {
    case ERR_X509_MALFORMED:
    case ERR_X509_LENGTH:
    case ERR_X509_EMPTY_CHAIN:          // RFC 8446 4.4.2.4: empty Certificate -> decode_error
      return DECODE_ERROR;
    case ERR_X509_EXPIRED:
    case ERR_X509_NOT_YET_VALID:
      return CERTIFICATE_EXPIRED;
    case ERR_X509_UNKNOWN_ISSUER:
    case ERR_X509_BAD_ANCHOR:
    case ERR_X509_PIN_MISMATCH:
      return UNKNOWN_CA;
    case ERR_X509_CERT_TOO_LARGE:
    case ERR_X509_KEY_USAGE:
    case ERR_X509_EKU:
    case ERR_X509_UNSUPPORTED_ALGORITHM:
    case ERR_X509_KEY_TOO_SMALL:
    case ERR_X509_CRITICAL_EXTENSION:
    case ERR_X509_UNSUPPORTED_NC:
    case ERR_X509_VERSION:
      return UNSUPPORTED_CERTIFICATE;
    case ERR_X509_BAD_SIGNATURE:
    case ERR_X509_NAME_MISMATCH:
    case ERR_X509_NOT_CA:
    case ERR_X509_PATH_LEN:
    case ERR_X509_CHAIN_TOO_LONG:
    case ERR_X509_SIG_ALG_MISMATCH:
    case ERR_X509_DUPLICATE_EXTENSION:
    case ERR_X509_BAD_EXTENSION:
    case ERR_X509_EMPTY_NAME:
    case ERR_X509_NAME_CONSTRAINTS:
    case ERR_X509_NO_SAN:
    case ERR_X509_LEAF_IS_CA:
    case ERR_X509_BAD_SAN:
    case ERR_X509_MISSING_KEY_ID:
      return BAD_CERTIFICATE;
    case ERR_X509_SCHEME:
      return ILLEGAL_PARAMETER;
    case ERR_X509_CV_SIGNATURE:
      return DECRYPT_ERROR;
  }
  return INTERNAL_ERROR;
}
