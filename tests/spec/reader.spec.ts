import {
  RD_SIZE, rdInit, rdOk, rdLeft, rdPos, rdTake, rdU8, rdU16, rdU24, rdU32, rdSub, rdVec, rdExpectEnd,
  derSub, derUnsigned,
} from "../../assembly/util/reader";

const r = memory.data(RD_SIZE);
const s = memory.data(RD_SIZE);
const t = memory.data(RD_SIZE);
const buf = memory.data(300);

// Puts hex bytes into buf and starts r over them; returns their count.
function from(hex: string): usize {
  const n = hex.length >> 1;
  for (let i = 0; i < n; i++) store<u8>(buf + i, <u8>I32.parseInt(hex.substr(i * 2, 2), 16));
  rdInit(r, buf, n);
  return n;
}

// True when r holds one DER TLV with this tag and it parses to the end.
function derOk(hex: string, tag: u32): bool {
  from(hex);
  derSub(r, s, tag);
  rdTake(s, rdLeft(s));
  return rdExpectEnd(r) && rdOk(s);
}

// The magnitude of a one-INTEGER input as hex, or "error".
function integer(hex: string): string {
  from(hex);
  if (!derUnsigned(r, s) || !rdExpectEnd(r)) return "error";
  let out = "";
  while (rdLeft(s)) out += rdU8(s).toString(16).padStart(2, "0");
  return out;
}

describe("reader", () => {
  it("reads big-endian integers and stops at the end", () => {
    from("0102030405060708090a");
    expect(rdU8(r)).toBe(1);
    expect(rdU16(r)).toBe(0x0203);
    expect(rdU24(r)).toBe(0x040506);
    expect(rdLeft(r)).toBe(4);
    expect(rdU32(r)).toBe(0x0708090a);
    expect(rdOk(r)).toBe(true);
    expect(rdExpectEnd(r)).toBe(true);
    expect(rdU8(r)).toBe(0);
    expect(rdOk(r)).toBe(false);
  });
  it("a failed read moves nothing and the error sticks", () => {
    from("0102");
    expect(rdU24(r)).toBe(0);
    expect(rdOk(r)).toBe(false);
    expect(rdPos(r)).toBe(buf);
    expect(rdU8(r)).toBe(0);                   // one byte is there, but r has failed
    expect(rdTake(r, 0)).toBe(0);
  });
  it("length-prefixed fields become sub-readers; trailing bytes are an error", () => {
    from("0003aabbcc01ff");
    expect(rdVec(r, s, 2)).toBe(true);
    expect(rdLeft(s)).toBe(3);
    expect(rdU16(s)).toBe(0xaabb);
    expect(rdExpectEnd(s)).toBe(false);        // one byte left in the field
    expect(rdOk(r)).toBe(true);                // the parent is not affected
    expect(rdVec(r, t, 1)).toBe(true);
    expect(rdU8(t)).toBe(0xff);
    expect(rdExpectEnd(t)).toBe(true);
    expect(rdExpectEnd(r)).toBe(true);
  });
  it("a field longer than what is left fails both readers", () => {
    from("0005aabb");
    expect(rdVec(r, s, 2)).toBe(false);
    expect(rdOk(r)).toBe(false);
    expect(rdOk(s)).toBe(false);
    expect(rdLeft(s)).toBe(0);
    expect(rdU8(s)).toBe(0);
  });
  it("DER lengths: short and minimal long forms only", () => {
    expect(derOk("0400", 4)).toBe(true);
    expect(derOk("0401aa", 4)).toBe(true);
    expect(derOk("0401aa", 5)).toBe(false);    // another tag
    expect(derOk("0402aa", 4)).toBe(false);    // past the end
    expect(derOk("0480", 4)).toBe(false);      // indefinite
    expect(derOk("048101aa", 4)).toBe(false);  // long form for a short length
    let long = "048180";
    for (let i = 0; i < 128; i++) long += "00";
    expect(derOk(long, 4)).toBe(true);
    expect(derOk("04820080" + long.substr(6), 4)).toBe(false);  // leading zero length byte
    expect(derOk("0485000000000100", 4)).toBe(false);            // 5 length bytes
    expect(derOk("1f0100", 0x1f)).toBe(false);                   // high tag number form
    expect(derOk("", 4)).toBe(false);
    expect(derOk("04", 4)).toBe(false);
  });
  it("DER INTEGER: positive, minimal, without the sign byte", () => {
    expect(integer("020100")).toBe("00");
    expect(integer("02017f")).toBe("7f");
    expect(integer("02020080")).toBe("80");
    expect(integer("0203008000")).toBe("8000");
    expect(integer("020180")).toBe("error");   // negative
    expect(integer("0202ff7f")).toBe("error"); // negative
    expect(integer("0202007f")).toBe("error"); // non-minimal
    expect(integer("02020000")).toBe("error"); // non-minimal zero
    expect(integer("0200")).toBe("error");     // empty
    expect(integer("030100")).toBe("error");   // not an INTEGER
    expect(integer("02010100")).toBe("error"); // trailing byte
  });
});
