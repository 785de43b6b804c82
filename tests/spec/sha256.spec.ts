import { sha256Init, sha256Update, sha256Final, SHA256_CTX } from "../../assembly/crypto/sha256";

const ctx = memory.data(SHA256_CTX);
const out = memory.data(32);
const buf = memory.data(256);

function digestHex(p: usize, n: usize): string {
  sha256Init(ctx);
  sha256Update(ctx, p, n);
  sha256Final(ctx, out);
  let s = "";
  for (let i = 0; i < 32; i++) s += load<u8>(out + i).toString(16).padStart(2, "0");
  return s;
}

describe("sha256", () => {
  it("hashes the empty string", () => {
    expect(digestHex(buf, 0)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("hashes abc", () => {
    store<u8>(buf, 0x61); store<u8>(buf, 0x62, 1); store<u8>(buf, 0x63, 2);
    expect(digestHex(buf, 3)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("gives the same digest fed in pieces as whole", () => {
    for (let i = 0; i < 200; i++) store<u8>(buf + i, i * 7);
    const whole = digestHex(buf, 200);
    sha256Init(ctx);
    sha256Update(ctx, buf, 1);
    sha256Update(ctx, buf + 1, 63);
    sha256Update(ctx, buf + 64, 100);
    sha256Update(ctx, buf + 164, 36);
    sha256Final(ctx, out);
    let s = "";
    for (let i = 0; i < 32; i++) s += load<u8>(out + i).toString(16).padStart(2, "0");
    expect(s).toBe(whole);
  });
});
