// The GF(2^255 - 19) layer under X25519 and Ed25519: canonical encoding at
// the edges (values around p, bit 255), negative limbs, constants, inversion.
import {
  FE, FE_D, FE_D2, FE_SQRTM1, feAdd, feSub, feMul, feSq, feMulSmall, feSet, feCopy, feCswap,
  feFromBytes, feToBytes, feIsZero, feIsOdd, feInvert, fePow22523, feNeg,
} from "../../assembly/crypto/fe25519";

const a = memory.data(40);
const b = memory.data(40);
const c = memory.data(40);
const bytes = memory.data(32);
const out = memory.data(32);

function setHex(p: usize, s: string): void {
  for (let i = 0; i < s.length / 2; i++) store<u8>(p + i, <u8>I32.parseInt(s.substr(2 * i, 2), 16));
}
function toHex(p: usize, n: i32): string {
  let s = "";
  for (let i = 0; i < n; i++) s += load<u8>(p + i).toString(16).padStart(2, "0");
  return s;
}
// Encoding of the element decoded from hex.
function roundTrip(s: string): string {
  setHex(bytes, s);
  feFromBytes(a, bytes);
  feToBytes(out, a);
  return toHex(out, 32);
}
function enc(f: usize): string {
  feToBytes(out, f);
  return toHex(out, 32);
}

const ZERO_HEX = "0000000000000000000000000000000000000000000000000000000000000000";
const P_MINUS_1 = "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

describe("fe25519 encoding", () => {
  it("keeps canonical values", () => {
    expect(roundTrip(ZERO_HEX)).toBe(ZERO_HEX);
    expect(roundTrip(P_MINUS_1)).toBe(P_MINUS_1);
    expect(roundTrip("0900000000000000000000000000000000000000000000000000000000000000"))
      .toBe("0900000000000000000000000000000000000000000000000000000000000000");
  });
  it("reduces p .. 2^255 - 1 and ignores bit 255", () => {
    expect(roundTrip("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")).toBe(ZERO_HEX);
    expect(roundTrip("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("0100000000000000000000000000000000000000000000000000000000000000");
    expect(roundTrip("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))
      .toBe("1200000000000000000000000000000000000000000000000000000000000000");
    expect(roundTrip("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"))
      .toBe("1200000000000000000000000000000000000000000000000000000000000000");
    expect(roundTrip("0100000000000000000000000000000000000000000000000000000000000080"))
      .toBe("0100000000000000000000000000000000000000000000000000000000000000");
  });
  it("encodes negative results as p - x", () => {
    feSet(a, 0);
    feSet(b, 1);
    feSub(c, a, b);
    expect(enc(c)).toBe(P_MINUS_1);
    expect(feIsOdd(c)).toBe(0);
    feNeg(c, c);
    expect(enc(c)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
    expect(feIsOdd(c)).toBe(1);
  });
});

describe("fe25519 arithmetic", () => {
  it("has sqrt(-1)^2 = -1", () => {
    feSq(a, FE_SQRTM1);
    feSet(b, 1);
    feAdd(a, a, b);
    expect(feIsZero(a)).toBe(1);
  });
  it("has d = -121665 / 121666 and 2d = d + d", () => {
    feMulSmall(a, FE_D, 121666);
    feSet(b, 121665);
    feAdd(a, a, b);
    expect(feIsZero(a)).toBe(1);
    feAdd(a, FE_D, FE_D);
    feSub(a, a, FE_D2);
    expect(feIsZero(a)).toBe(1);
  });
  it("inverts: x / x = 1, 1 / 0 = 0", () => {
    setHex(bytes, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
    feFromBytes(a, bytes);
    feInvert(b, a);
    feMul(c, a, b);
    expect(enc(c)).toBe("0100000000000000000000000000000000000000000000000000000000000000");
    feSet(a, 0);
    feInvert(b, a);
    expect(feIsZero(b)).toBe(1);
  });
  it("takes square roots with z^((p-5)/8): r = z^((p+3)/8) has r^2 = +-z for squares z", () => {
    for (let k = 2; k < 12; k++) {
      feSet(a, k * k);          // a square: z^((p-1)/4) = +-1
      fePow22523(b, a);
      feMul(b, b, a);
      feSq(c, b);
      feSub(b, c, a);
      const plus = feIsZero(b);
      feAdd(b, c, a);
      expect(plus + feIsZero(b)).toBe(1);
    }
  });
  it("multiplies (p - 1)^2 = 1 with the largest carried limbs", () => {
    setHex(bytes, P_MINUS_1);
    feFromBytes(a, bytes);
    feAdd(b, a, a);           // 2(p - 1), limbs carried
    feMul(c, b, b);           // 4
    expect(enc(c)).toBe("0400000000000000000000000000000000000000000000000000000000000000");
    // Every limb at its maximum: 2^255 - 1 = 18 (mod p), squared 324.
    setHex(bytes, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    feFromBytes(a, bytes);
    feMul(c, a, a);
    expect(enc(c)).toBe("4401000000000000000000000000000000000000000000000000000000000000");
  });
  it("swaps only when the bit is 1", () => {
    feSet(a, 5);
    feSet(b, 7);
    feCswap(a, b, 0);
    expect(load<i32>(a)).toBe(5);
    feCswap(a, b, 1);
    expect(load<i32>(a)).toBe(7);
    expect(load<i32>(b)).toBe(5);
    feCopy(c, a);
    expect(memory.compare(c, a, FE)).toBe(0);
  });
});
