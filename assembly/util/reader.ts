// The one bounded reader: TLS messages and DER both go through it.
//
// Implementation notes: a reader is RD_SIZE bytes of caller memory holding
// three u32: the position, the end, and a sticky error flag. Every read
// checks the bounds; a read past the end (or any read after an error) sets
// the flag, returns 0 and moves nothing, so a parser can read a whole
// structure and test rdOk() once. Length-prefixed fields become sub-readers
// (rdSub) over their bytes: the parent skips them, the child must be read to
// its end (rdExpectEnd) or the trailing bytes are an error.
// DER (X.690) is read strictly: one-byte tags, definite minimal lengths, and
// INTEGERs in their minimal two's complement form.

export const RD_SIZE: i32 = 12;

// @inline helpers over the record
@inline function pos(r: usize): usize { return load<u32>(r); }
@inline function end(r: usize): usize { return load<u32>(r, 4); }

export function rdInit(r: usize, p: usize, n: usize): void {
  store<u32>(r, <u32>p);
  store<u32>(r, <u32>(p + n), 4);
  store<u32>(r, 0, 8);
}

export function rdFail(r: usize): void { store<u32>(r, 1, 8); }
export function rdOk(r: usize): bool { return load<u32>(r, 8) == 0; }
export function rdPos(r: usize): usize { return pos(r); }
export function rdLeft(r: usize): usize { return end(r) - pos(r); }

// Takes n bytes: returns their address, or 0 (and fails) when fewer are left
// or the reader has failed.
export function rdTake(r: usize, n: usize): usize {
  const p = pos(r);
  if (!rdOk(r) || n > end(r) - p) { rdFail(r); return 0; }
  store<u32>(r, <u32>(p + n));
  return p;
}

// An n-byte big-endian unsigned integer (n = 1..4); 0 on failure.
export function rdUint(r: usize, n: usize): u32 {
  const p = rdTake(r, n);
  let v: u32 = 0;
  if (p) for (let i: usize = 0; i < n; i++) v = (v << 8) | load<u8>(p + i);
  return v;
}
export function rdU8(r: usize): u32 { return rdUint(r, 1); }
export function rdU16(r: usize): u32 { return rdUint(r, 2); }
export function rdU24(r: usize): u32 { return rdUint(r, 3); }
export function rdU32(r: usize): u32 { return rdUint(r, 4); }

// Makes `sub` a reader over the next len bytes and skips them in r. On
// failure both readers are failed (and sub is empty).
export function rdSub(r: usize, sub: usize, len: usize): bool {
  const p = rdTake(r, len);
  rdInit(sub, p, p ? len : 0);
  if (!rdOk(r)) rdFail(sub);
  return rdOk(r);
}

// A field with a lenSize-byte big-endian length prefix (TLS vectors).
export function rdVec(r: usize, sub: usize, lenSize: usize): bool {
  return rdSub(r, sub, rdUint(r, lenSize));
}

// Fails r unless everything was read. Returns rdOk(r).
export function rdExpectEnd(r: usize): bool {
  if (pos(r) != end(r)) rdFail(r);
  return rdOk(r);
}

// ---- DER ----------------------------------------------------------------

// Reads a TLV header with the given one-byte tag and makes `sub` a reader
// over its value. Fails on another tag, a high tag number (0x1f), an
// indefinite (0x80) or non-minimal or over-long (> 4 bytes) length, or a
// length past the end.
export function derSub(r: usize, sub: usize, tag: u32): bool {
  const t = rdU8(r);
  let len = rdU8(r);
  if (t != tag || (t & 0x1f) == 0x1f) rdFail(r);
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k == 0 || k > 4) rdFail(r);
    len = rdUint(r, k);
    // minimal: long form only from 128, and no leading zero byte
    if (len < 0x80 || (len >> ((k - 1) << 3)) == 0) rdFail(r);
  }
  return rdSub(r, sub, rdOk(r) ? <usize>len : 0);
}

// Reads an INTEGER that must be non-negative and minimally encoded, and
// makes `sub` a reader over its magnitude (big-endian, without the 0x00 that
// keeps the sign bit clear; zero is the single byte 00).
export function derUnsigned(r: usize, sub: usize): bool {
  if (!derSub(r, sub, 0x02)) return false;
  const n = rdLeft(sub);
  const p = rdPos(sub);
  if (n == 0) { rdFail(r); rdFail(sub); return false; }
  const b0 = load<u8>(p);
  if (b0 & 0x80) { rdFail(r); rdFail(sub); return false; }     // negative
  if (b0 == 0 && n > 1) {
    if ((load<u8>(p + 1) & 0x80) == 0) { rdFail(r); rdFail(sub); return false; } // non-minimal
    rdTake(sub, 1);
  }
  return true;
}
