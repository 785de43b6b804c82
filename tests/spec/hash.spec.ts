import { HASH_SHA256, HASH_SHA384, HASH_SHA512, HASH_CTX, hashLen, hashBlockLen, hashInit, hashUpdate, hashFinal } from "../../assembly/crypto/hash";
import { HMAC_CTX, hmac, hmacInit, hmacUpdate, hmacFinal } from "../../assembly/crypto/hmac";
import { hkdfExpand, hkdfExpandLabel } from "../../assembly/crypto/hkdf";
import { ERR_UNKNOWN_HASH, ERR_HKDF_TOO_LONG, ERR_HKDF_LABEL_TOO_LONG } from "../../assembly/crypto/errors";

const ctx = memory.data(HMAC_CTX);
const out = memory.data(64);
const out2 = memory.data(64);
const buf = memory.data(512);

function hexOf(p: usize, n: usize): string {
  let s = "";
  for (let i: usize = 0; i < n; i++) s += load<u8>(p + i).toString(16).padStart(2, "0");
  return s;
}
function abc(): usize { store<u8>(buf, 0x61); store<u8>(buf, 0x62, 1); store<u8>(buf, 0x63, 2); return buf; }

describe("hash dispatcher", () => {
  it("gives lengths, 0 for unknown ids", () => {
    expect(hashLen(HASH_SHA256)).toBe(32);
    expect(hashLen(HASH_SHA384)).toBe(48);
    expect(hashLen(HASH_SHA512)).toBe(64);
    expect(hashLen(0)).toBe(0);
    expect(hashLen(4)).toBe(0);
    expect(hashBlockLen(HASH_SHA256)).toBe(64);
    expect(hashBlockLen(HASH_SHA384)).toBe(128);
    expect(hashBlockLen(HASH_SHA512)).toBe(128);
    expect(hashBlockLen(-1)).toBe(0);
    expect(HASH_CTX).toBeGreaterThanOrEqual(200);
  });
  it("hashes abc (FIPS 180-4 examples)", () => {
    hashInit(HASH_SHA384, ctx); hashUpdate(HASH_SHA384, ctx, abc(), 3); hashFinal(HASH_SHA384, ctx, out);
    expect(hexOf(out, 48)).toBe("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    hashInit(HASH_SHA512, ctx); hashUpdate(HASH_SHA512, ctx, abc(), 3); hashFinal(HASH_SHA512, ctx, out);
    expect(hexOf(out, 64)).toBe("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  });
});

describe("hmac", () => {
  it("fed in pieces equals one-shot, and the context is wiped", () => {
    for (let i = 0; i < 300; i++) store<u8>(buf + i, i * 13);
    for (let alg = 1; alg <= 3; alg++) {
      hmac(alg, buf + 300, 150, buf, 300, out);
      hmacInit(alg, ctx, buf + 300, 150);
      hmacUpdate(ctx, buf, 1);
      hmacUpdate(ctx, buf + 1, 127);
      hmacUpdate(ctx, buf + 128, 172);
      hmacFinal(ctx, out2);
      expect(hexOf(out2, hashLen(alg))).toBe(hexOf(out, hashLen(alg)));
      let nonzero = 0;
      for (let i = 0; i < HMAC_CTX; i++) nonzero |= load<u8>(ctx + i);
      expect(nonzero).toBe(0);
    }
  });
  it("RFC 4231 test case 2 (HMAC-SHA-256, key \"Jefe\")", () => {
    const key = buf + 400;
    store<u32>(key, 0x6566654a);   // "Jefe"
    const msg = "what do ya want for nothing?";
    for (let i = 0; i < msg.length; i++) store<u8>(buf + i, <u8>msg.charCodeAt(i));
    hmac(HASH_SHA256, key, 4, buf, msg.length, out);
    expect(hexOf(out, 32)).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
});

describe("hkdf", () => {
  it("reports unknown hashes, too-long outputs and labels", () => {
    expect(hkdfExpand(9, buf, 32, buf, 0, out, 10)).toBe(ERR_UNKNOWN_HASH);
    expect(hkdfExpand(HASH_SHA256, buf, 32, buf, 0, buf, 255 * 32 + 1)).toBe(ERR_HKDF_TOO_LONG);
    expect(hkdfExpandLabel(HASH_SHA256, buf, buf, 250, buf, 0, out, 32)).toBe(ERR_HKDF_LABEL_TOO_LONG);
  });
  it("RFC 5869 test case 1 (SHA-256 expand)", () => {
    // PRK and info of RFC 5869 A.1; OKM length 42.
    const prk = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
    for (let i = 0; i < 32; i++) store<u8>(buf + i, <u8>I32.parseInt(prk.substr(i * 2, 2), 16));
    for (let i = 0; i < 10; i++) store<u8>(buf + 64 + i, <u8>(0xf0 + i));
    expect(hkdfExpand(HASH_SHA256, buf, 32, buf + 64, 10, buf + 128, 42)).toBe(0);
    expect(hexOf(buf + 128, 42)).toBe("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  });
});
