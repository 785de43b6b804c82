// Crypto error codes: -16 .. -63 (see assembly/errors.ts for the ranges).
// One exported const per code, with a comment saying when it is returned.
// Several areas add codes here: append yours at the end of the list, take the
// next free number, and never renumber an existing code.

// Hashing (hash.ts, hmac.ts, hkdf.ts, drbg.ts)
export const ERR_UNKNOWN_HASH: i32 = -16;          // hash id is not HASH_SHA256/384/512
export const ERR_HKDF_TOO_LONG: i32 = -17;         // HKDF-Expand output > 255 * hashLen (RFC 5869 2.3)
export const ERR_HKDF_LABEL_TOO_LONG: i32 = -18;   // HkdfLabel: "tls13 " + label > 255 or context > 255 bytes
export const ERR_DRBG_REQUEST_TOO_LONG: i32 = -19; // one drbgGenerate asked for more than 65536 bytes

// AEAD (aead.ts, gcm.ts, chacha20.ts, poly1305.ts)
export const ERR_AEAD_TAG: i32 = -20;              // open/check: the tag does not match (output wiped)
export const ERR_AEAD_SUITE: i32 = -21;            // suite is not AEAD_AES128GCM/AES256GCM/CHACHA20POLY1305
export const ERR_AEAD_STATE: i32 = -22;            // AEAD call out of order (no key, no nonce, AAD after data)
export const ERR_AEAD_TOO_LONG: i32 = -23;         // more data under one nonce than the AEAD allows (2^36 bytes)

// Curve25519 (x25519.ts, ed25519.ts)
export const ERR_X25519_ZERO: i32 = -24;           // X25519 result is all zeros: peer point of small order (RFC 8446 7.4.2)
export const ERR_ED25519_BAD_SIGNATURE: i32 = -25; // Ed25519 signature does not verify
export const ERR_ED25519_BAD_S: i32 = -26;         // Ed25519 signature S >= L (non-canonical, RFC 8032 5.1.7)
export const ERR_ED25519_BAD_KEY: i32 = -27;       // Ed25519 public key is not a valid point encoding
export const ERR_ED25519_BAD_R: i32 = -28;         // Ed25519 signature R is a non-canonical encoding (y >= p)

// Prime curves, ECDSA, RSA (ecp.ts, ecdsa.ts, rsa.ts)
export const ERR_EC_UNKNOWN_CURVE: i32 = -29;      // curve id is not CURVE_P256 / CURVE_P384
export const ERR_EC_POINT_FORMAT: i32 = -30;       // public point is not 04 || x || y of the curve's size (compressed points included)
export const ERR_EC_POINT_INVALID: i32 = -31;      // public point has a coordinate >= p or is not on the curve
export const ERR_EC_PRIVATE_KEY: i32 = -32;        // private scalar is 0 or >= n
export const ERR_EC_INFINITY: i32 = -33;           // ECDH result is the point at infinity
export const ERR_ECDSA_ENCODING: i32 = -34;        // signature: malformed DER, or raw r || s of the wrong length
export const ERR_ECDSA_RANGE: i32 = -35;           // signature r or s not in [1, n - 1]
export const ERR_ECDSA_BAD_SIGNATURE: i32 = -36;   // ECDSA signature does not verify
export const ERR_RSA_KEY_TOO_SMALL: i32 = -37;     // RSA modulus below the minimum size (default 2048 bits)
export const ERR_RSA_KEY_TOO_LARGE: i32 = -38;     // RSA modulus above 4096 bits
export const ERR_RSA_KEY_INVALID: i32 = -39;       // RSA key: even modulus, exponent even or < 3 or > 32 bits, malformed DER
export const ERR_RSA_SIG_RANGE: i32 = -40;         // RSA signature not exactly the modulus' length, or s >= n
export const ERR_RSA_BAD_SIGNATURE: i32 = -41;     // RSA encoded message does not match (PKCS#1 v1.5 or PSS)

// Next free code: -42
