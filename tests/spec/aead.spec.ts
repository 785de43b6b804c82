import {
  AEAD_CTX, AEAD_AES128GCM, AEAD_AES256GCM, AEAD_CHACHA20POLY1305, aeadInit, aeadStart, aeadAad,
  aeadEncrypt, aeadDecrypt, aeadTag, aeadCheckTag, aeadSeal, aeadOpen,
} from "../../assembly/crypto/aead";
import { ERR_AEAD_TAG, ERR_AEAD_STATE, ERR_AEAD_SUITE } from "../../assembly/crypto/errors";

const ctx = memory.data(AEAD_CTX);
const key = memory.data(32);
const nonce = memory.data(12);
const aad = memory.data(16);
const buf = memory.data(160);
const tag = memory.data(16);

function put(p: usize, h: string): i32 {
  for (let i = 0; i < h.length; i += 2) store<u8>(p + (i >> 1), <u8>I32.parseInt(h.substr(i, 2), 16));
  return h.length >> 1;
}
function hexOf(p: usize, n: i32): string {
  let s = "";
  for (let i = 0; i < n; i++) s += load<u8>(p + i).toString(16).padStart(2, "0");
  return s;
}

const RFC8439_PT = "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73637265656e20776f756c642062652069742e";
const RFC8439_CT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116";

function rfc8439Setup(): i32 {
  put(key, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  put(nonce, "070000004041424344454647");
  put(aad, "50515253c0c1c2c3c4c5c6c7");
  return put(buf, RFC8439_PT);
}

describe("aead", () => {
  it("seals the RFC 8439 section 2.8.2 vector", () => {
    const n = rfc8439Setup();
    expect(aeadInit(AEAD_CHACHA20POLY1305, ctx, key)).toBe(0);
    expect(aeadSeal(ctx, nonce, aad, 12, buf, n, tag)).toBe(0);
    expect(hexOf(buf, n)).toBe(RFC8439_CT);
    expect(hexOf(tag, 16)).toBe("1ae10b594f09e26a7e902ecbd0600691");
  });

  it("gives the same result in odd chunks, then opens it in other chunks", () => {
    const n = rfc8439Setup();
    expect(aeadInit(AEAD_CHACHA20POLY1305, ctx, key)).toBe(0);
    expect(aeadStart(ctx, nonce)).toBe(0);
    expect(aeadAad(ctx, aad, 5)).toBe(0);
    expect(aeadAad(ctx, aad + 5, 7)).toBe(0);
    expect(aeadEncrypt(ctx, buf, 1)).toBe(0);
    expect(aeadEncrypt(ctx, buf + 1, 63)).toBe(0);
    expect(aeadEncrypt(ctx, buf + 64, 17)).toBe(0);
    expect(aeadEncrypt(ctx, buf + 81, n - 81)).toBe(0);
    expect(aeadTag(ctx, tag)).toBe(0);
    expect(hexOf(buf, n)).toBe(RFC8439_CT);
    expect(hexOf(tag, 16)).toBe("1ae10b594f09e26a7e902ecbd0600691");
    expect(aeadStart(ctx, nonce)).toBe(0);
    expect(aeadAad(ctx, aad, 12)).toBe(0);
    expect(aeadDecrypt(ctx, buf, 100)).toBe(0);
    expect(aeadDecrypt(ctx, buf + 100, n - 100)).toBe(0);
    expect(aeadCheckTag(ctx, tag)).toBe(true);
    expect(hexOf(buf, n)).toBe(RFC8439_PT);
  });

  it("AES-128-GCM: McGrew-Viega test cases 1 and 2", () => {
    memory.fill(key, 0, 32); memory.fill(nonce, 0, 12); memory.fill(buf, 0, 16);
    expect(aeadInit(AEAD_AES128GCM, ctx, key)).toBe(0);
    expect(aeadSeal(ctx, nonce, aad, 0, buf, 0, tag)).toBe(0);
    expect(hexOf(tag, 16)).toBe("58e2fccefa7e3061367f1d57a4e7455a");
    expect(aeadSeal(ctx, nonce, aad, 0, buf, 16, tag)).toBe(0);
    expect(hexOf(buf, 16)).toBe("0388dace60b6a392f328c2b971b2fe78");
    expect(hexOf(tag, 16)).toBe("ab6e47d42cec13bdf53a67b21257bddf");
  });

  it("AES-256-GCM: McGrew-Viega test case 14", () => {
    memory.fill(key, 0, 32); memory.fill(nonce, 0, 12); memory.fill(buf, 0, 16);
    expect(aeadInit(AEAD_AES256GCM, ctx, key)).toBe(0);
    expect(aeadSeal(ctx, nonce, aad, 0, buf, 16, tag)).toBe(0);
    expect(hexOf(buf, 16)).toBe("cea7403d4d606b6e074ec5d3baf39d18");
    expect(hexOf(tag, 16)).toBe("d0d1c8a799996bf0265b98b5d48ab919");
  });

  it("rejects a flipped tag bit and wipes the output", () => {
    const n = rfc8439Setup();
    expect(aeadInit(AEAD_CHACHA20POLY1305, ctx, key)).toBe(0);
    expect(aeadSeal(ctx, nonce, aad, 12, buf, n, tag)).toBe(0);
    store<u8>(tag, load<u8>(tag, 15) ^ 0x80, 15);
    expect(aeadOpen(ctx, nonce, aad, 12, buf, n, tag)).toBe(ERR_AEAD_TAG);
    let or: u32 = 0;
    for (let i = 0; i < n; i++) or |= load<u8>(buf + i);
    expect(or).toBe(0);
  });

  it("reports calls out of order and unknown suites", () => {
    expect(aeadInit(7, ctx, key)).toBe(ERR_AEAD_SUITE);
    memory.fill(ctx, 0, AEAD_CTX);
    expect(aeadStart(ctx, nonce)).toBe(ERR_AEAD_STATE);
    expect(aeadInit(AEAD_AES128GCM, ctx, key)).toBe(0);
    expect(aeadEncrypt(ctx, buf, 4)).toBe(ERR_AEAD_STATE);
    expect(aeadStart(ctx, nonce)).toBe(0);
    expect(aeadEncrypt(ctx, buf, 4)).toBe(0);
    expect(aeadAad(ctx, aad, 4)).toBe(ERR_AEAD_STATE);
  });
});
