// Crypto error codes: -16 .. -63 (see assembly/errors.ts for the ranges).
// One exported const per code, with a comment saying when it is returned.
// Several areas add codes here: append yours at the end of the list, take the
// next free number, and never renumber an existing code.

// Hashing (hash.ts, hmac.ts, hkdf.ts, drbg.ts)
export const ERR_UNKNOWN_HASH: i32 = -16;          // hash id is not HASH_SHA256/384/512
export const ERR_HKDF_TOO_LONG: i32 = -17;         // HKDF-Expand output > 255 * hashLen (RFC 5869 2.3)
export const ERR_HKDF_LABEL_TOO_LONG: i32 = -18;   // HkdfLabel: "tls13 " + label > 255 or context > 255 bytes
export const ERR_DRBG_REQUEST_TOO_LONG: i32 = -19; // one drbgGenerate asked for more than 65536 bytes

// Next free code: -20
