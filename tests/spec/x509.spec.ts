import { dnsMatch, dnsLabels, dnsWithin, ipWithin, ipMaskValid, parseIpv4 } from "../../assembly/x509/hostname";
import { derTime, BAD_TIME, oidFind, OID_ED25519, OID_SERVER_AUTH } from "../../assembly/x509/der";
import { rdInit } from "../../assembly/util/reader";
import { x509Alert, ERR_X509_EXPIRED, ERR_X509_UNKNOWN_ISSUER, ERR_X509_MALFORMED } from "../../assembly/x509/errors";

const A = memory.data(256);
const B = memory.data(256);
const R = memory.data(24);

function put(p: usize, s: string): i32 {
  for (let i = 0; i < s.length; i++) store<u8>(p + i, s.charCodeAt(i));
  return s.length;
}
function match(pattern: string, host: string): bool {
  const pn = put(A, pattern), hn = put(B, host);
  return dnsMatch(A, pn, B, hn);
}
function within(name: string, c: string): bool {
  const n = put(A, name), cn = put(B, c);
  return dnsWithin(A, n, B, cn);
}
function time(tag: u8, s: string): i64 {
  store<u8>(A, tag);
  store<u8>(A, s.length, 1);
  put(A + 2, s);
  rdInit(R, A, s.length + 2);
  return derTime(R, R + 12);
}

describe("x509 host names (RFC 6125)", () => {
  it("matches exactly, case-insensitively", () => {
    expect(match("example.com", "example.com")).toBe(true);
    expect(match("EXAMPLE.com", "example.COM")).toBe(true);
    expect(match("example.com", "example.org")).toBe(false);
    expect(match("example.com", "www.example.com")).toBe(false);
  });
  it("matches a wildcard only as the whole left-most label", () => {
    expect(match("*.example.com", "www.example.com")).toBe(true);
    expect(match("*.example.com", "example.com")).toBe(false);
    expect(match("*.example.com", "a.b.example.com")).toBe(false);
    expect(match("w*.example.com", "www.example.com")).toBe(false);
    expect(match("www.*.com", "www.example.com")).toBe(false);
    expect(match("*.com", "example.com")).toBe(false);
    expect(match("*", "example")).toBe(false);
  });
  it("refuses invalid names", () => {
    expect(dnsLabels(A, put(A, "a..b"), false)).toBe(0);
    expect(dnsLabels(A, put(A, "a.b."), false)).toBe(0);
    expect(dnsLabels(A, put(A, "a b"), false)).toBe(0);
    expect(dnsLabels(A, put(A, "*.a.b"), true)).toBe(3);
    expect(dnsLabels(A, put(A, "*.a.b"), false)).toBe(0);
  });
  it("applies DNS name constraints by label", () => {
    expect(within("example.com", "example.com")).toBe(true);
    expect(within("a.example.com", "example.com")).toBe(true);
    expect(within("badexample.com", "example.com")).toBe(false);
    expect(within("example.com", ".example.com")).toBe(false);
    expect(within("a.example.com", ".example.com")).toBe(true);
    expect(within("anything", "")).toBe(true);
  });
  it("applies IP constraints with prefix masks", () => {
    store<u32>(A, 0x0702000c);                        // 12.0.2.7
    store<u32>(B, 0x0000000c); store<u32>(B + 4, 0x000000ff);   // 12.0.0.0/8
    expect(ipWithin(A, 4, B, 8)).toBe(true);
    store<u32>(B, 0x0000000d);
    expect(ipWithin(A, 4, B, 8)).toBe(false);
    expect(ipMaskValid(B, 8)).toBe(true);
    store<u32>(B + 4, 0x00ff00ff);
    expect(ipMaskValid(B, 8)).toBe(false);
  });
  it("parses dotted IPv4", () => {
    expect(parseIpv4(A, put(A, "192.0.2.7"), B)).toBe(true);
    expect(load<u32>(B)).toBe(0x070200c0);
    expect(parseIpv4(A, put(A, "192.0.2"), B)).toBe(false);
    expect(parseIpv4(A, put(A, "192.0.2.256"), B)).toBe(false);
    expect(parseIpv4(A, put(A, "01.0.2.3"), B)).toBe(false);
  });
});

describe("x509 DER helpers", () => {
  it("decodes UTCTime and GeneralizedTime", () => {
    expect(time(0x17, "700101000000Z")).toBe(0);
    expect(time(0x17, "491231235959Z")).toBe(2524607999);
    expect(time(0x18, "20500101000000Z")).toBe(2524608000);
    expect(time(0x18, "29690503000001Z")).toBe(31536000001);
  });
  it("refuses malformed times", () => {
    expect(time(0x17, "700101000000")).toBe(BAD_TIME);
    expect(time(0x17, "701301000000Z")).toBe(BAD_TIME);
    expect(time(0x17, "70010100000aZ")).toBe(BAD_TIME);
    expect(time(0x18, "700101000000Z")).toBe(BAD_TIME);
    expect(time(0x17, "700101000000+0100")).toBe(BAD_TIME);
  });
  it("finds OIDs in its table", () => {
    store<u8>(A, 0x2b); store<u8>(A, 0x65, 1); store<u8>(A, 0x70, 2);
    expect(oidFind(A, 3)).toBe(OID_ED25519);
    expect(oidFind(A, 2)).toBe(0);
    const n = 8;
    const kp: u8[] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
    for (let i = 0; i < n; i++) store<u8>(A + i, kp[i]);
    expect(oidFind(A, n)).toBe(OID_SERVER_AUTH);
  });
  it("maps errors to alerts", () => {
    expect(x509Alert(ERR_X509_EXPIRED)).toBe(45);
    expect(x509Alert(ERR_X509_UNKNOWN_ISSUER)).toBe(48);
    expect(x509Alert(ERR_X509_MALFORMED)).toBe(50);
  });
});
