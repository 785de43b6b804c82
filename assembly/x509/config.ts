// X.509 validation settings (compile-time defaults; a few can be changed at
// run time through x509Configure in chain.ts).

// Largest certificate accepted, in bytes: the size of the one certificate
// buffer (RAM). Larger certificates fail with ERR_X509_CERT_TOO_LARGE.
export const X509_CERT_MAX: i32 = 4096;

// Most certificates taken from one Certificate message, used or skipped.
export const X509_MAX_CERTS: i32 = 10;

// Default most intermediates between the leaf and the trust anchor.
export const X509_DEFAULT_MAX_INTERMEDIATES: i32 = 4;

// Default smallest RSA modulus, in bits.
export const X509_DEFAULT_RSA_MIN_BITS: i32 = 2048;

// Largest RSA modulus, in bytes (RSA-4096).
export const X509_RSA_MAX_BYTES: i32 = 512;

// When the board does not know the time (now == 0), certificates are checked
// against this floor instead: anything that expired before it is rejected,
// notBefore cannot be checked, and x509Flags() reports X509_FLAG_TIME_UNKNOWN.
// 2026-11-25T00:00:00Z: the date this constant was last set (update it with
// each release; a wrong clock can only make it later, never earlier).
export const X509_TIME_FLOOR: i64 = 1795564800;
