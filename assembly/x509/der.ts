// DER helpers for certificates, on the bounded reader (util/reader.ts): tag
// peeking, OIDs by table number, and time decoding. Public data only.
// Implementation notes: readers are RD_SIZE-byte records; a read that fails
// fails its reader (sticky), so callers check rdOk / the boolean results.
import { RD_SIZE, derSub, rdOk, rdFail, rdPos, rdLeft } from "../util/reader";

export const TAG_BOOLEAN: u32 = 0x01;
export const TAG_INTEGER: u32 = 0x02;
export const TAG_BIT_STRING: u32 = 0x03;
export const TAG_OCTET_STRING: u32 = 0x04;
export const TAG_NULL: u32 = 0x05;
export const TAG_OID: u32 = 0x06;
export const TAG_UTC_TIME: u32 = 0x17;
export const TAG_GEN_TIME: u32 = 0x18;
export const TAG_SEQUENCE: u32 = 0x30;

// Ten reader records shared by the X.509 code (nesting depth of a
// certificate). RAM: 120 bytes.
const RDS: usize = memory.data(10 * RD_SIZE);
export function rd(i: i32): usize { return RDS + <usize>(i * RD_SIZE); }

// The tag of the next element of r, or 0x100 when r is empty or failed.
export function derPeek(r: usize): u32 {
  return rdOk(r) && rdLeft(r) != 0 ? <u32>load<u8>(rdPos(r)) : 0x100;
}

// Reads the next element whatever its tag into sub; returns the tag, or
// 0x100 (and fails r) when there is none or it is malformed.
export function derAny(r: usize, sub: usize): u32 {
  const t = derPeek(r);
  if (t == 0x100) { rdFail(r); return t; }
  return derSub(r, sub, t) ? t : 0x100;
}

// Reads an OID: its table number, 0 when not in the table, -1 on error.
export function derOid(r: usize, sub: usize): i32 {
  if (!derSub(r, sub, TAG_OID)) return -1;
  return oidFind(rdPos(sub), rdLeft(sub));
}

// Reads a NULL (empty).
export function derNull(r: usize, sub: usize): bool {
  return derSub(r, sub, TAG_NULL) && rdLeft(sub) == 0;
}

// Reads an element with tag `tag` that must be the last one in r and is
// read into sub.
export function derLast(r: usize, sub: usize, tag: u32): bool {
  return derSub(r, sub, tag) && rdLeft(r) == 0;
}

// ---- OIDs ------------------------------------------------------------------
// One table of OID contents, each entry a length byte then the bytes. oidFind
// returns the entry's number (below), or 0 when it is not in the table.
export const OID_SHA256_RSA: i32 = 1;
export const OID_SHA384_RSA: i32 = 2;
export const OID_SHA512_RSA: i32 = 3;
export const OID_RSA_PSS: i32 = 4;
export const OID_RSA: i32 = 5;
export const OID_MGF1: i32 = 6;
export const OID_ECDSA_SHA256: i32 = 7;
export const OID_ECDSA_SHA384: i32 = 8;
export const OID_ECDSA_SHA512: i32 = 9;
export const OID_EC_PUBLIC_KEY: i32 = 10;
export const OID_P256: i32 = 11;
export const OID_P384: i32 = 12;
export const OID_ED25519: i32 = 13;
export const OID_SHA256: i32 = 14;
export const OID_SHA384: i32 = 15;
export const OID_SHA512: i32 = 16;
export const OID_AIA: i32 = 17;
export const OID_SERVER_AUTH: i32 = 18;
export const OID_ANY_EKU: i32 = 19;
export const OID_SCT_LIST: i32 = 20;
export const OID_CN: i32 = 21;

// 165 bytes of data segment.
const OIDS: usize = memory.data<u8>([
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,        // 1 sha256WithRSAEncryption
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c,        // 2 sha384WithRSAEncryption
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d,        // 3 sha512WithRSAEncryption
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,        // 4 id-RSASSA-PSS
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,        // 5 rsaEncryption
  9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08,        // 6 id-mgf1
  8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02,              // 7 ecdsa-with-SHA256
  8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03,              // 8 ecdsa-with-SHA384
  8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04,              // 9 ecdsa-with-SHA512
  7, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,                    // 10 id-ecPublicKey
  8, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,              // 11 prime256v1
  5, 0x2b, 0x81, 0x04, 0x00, 0x22,                                // 12 secp384r1
  3, 0x2b, 0x65, 0x70,                                            // 13 id-Ed25519
  9, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,        // 14 id-sha256
  9, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02,        // 15 id-sha384
  9, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03,        // 16 id-sha512
  8, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01,              // 17 authorityInfoAccess
  8, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01,              // 18 id-kp-serverAuth
  4, 0x55, 0x1d, 0x25, 0x00,                                      // 19 anyExtendedKeyUsage
  10, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x04, 0x02, // 20 SCT list (RFC 6962)
  3, 0x55, 0x04, 0x03,                                            // 21 commonName
  0,
]);

// The number of the OID whose content is [p, p + n), 0 if unknown.
export function oidFind(p: usize, n: usize): i32 {
  let e = OIDS;
  for (let i = 1; ; i++) {
    const len = <usize>load<u8>(e);
    if (len == 0) return 0;
    if (len == n && memory.compare(e + 1, p, n) == 0) return i;
    e += len + 1;
  }
  return 0;
}

// ---- time --------------------------------------------------------------------
// Two decimal digits at p, or -1.
function digits2(p: usize): i32 {
  const a = <i32>load<u8>(p) - 48, b = <i32>load<u8>(p + 1) - 48;
  return <u32>a < 10 && <u32>b < 10 ? a * 10 + b : -1;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian, y >= 1).
function daysFromCivil(y: i32, m: i32, d: i32): i32 {
  if (m <= 2) y--;
  const era = y / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

// Reads a UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime (YYYYMMDDHHMMSSZ) from
// r into seconds since 1970 (RFC 5280 4.1.2.5: Z, seconds, no fraction).
// Returns BAD_TIME when malformed.
export const BAD_TIME: i64 = i64.MIN_VALUE;
export function derTime(r: usize, sub: usize): i64 {
  const tag = derAny(r, sub);
  let q = rdPos(sub);
  const n = rdLeft(sub);
  let y: i32;
  if (tag == TAG_UTC_TIME && n == 13) {
    y = digits2(q);
    if (y < 0) return BAD_TIME;
    y += y < 50 ? 2000 : 1900;
    q += 2;
  } else if (tag == TAG_GEN_TIME && n == 15) {
    const hi = digits2(q), lo = digits2(q + 2);
    if ((hi | lo) < 0) return BAD_TIME;
    y = hi * 100 + lo;
    q += 4;
  } else return BAD_TIME;
  const mo = digits2(q), d = digits2(q + 2), h = digits2(q + 4), mi = digits2(q + 6), s = digits2(q + 8);
  if (y < 1 || <u32>(mo - 1) > 11 || <u32>(d - 1) > 30 || <u32>h > 23 || <u32>mi > 59 || <u32>s > 59 ||
      load<u8>(q + 10) != 0x5a) return BAD_TIME;
  const days = daysFromCivil(y, mo, d);
  return <i64>days * 86400 + <i64>(h * 3600 + mi * 60 + s);
}
