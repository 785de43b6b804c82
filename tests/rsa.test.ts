// RSA signature verification (PKCS#1 v1.5 and PSS) in the release module:
// Wycheproof on V8 and wasm3-native (every case), a subset on wasm3-qemu,
// node:crypto keys and signatures, DER public keys, malformed inputs.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, sign, constants, type KeyObject } from "node:crypto";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { Module } from "./lib/module.ts";
import { unhex, ENGINES } from "./lib/util.ts";
import { wycheproof, type WycheproofGroup } from "./lib/vectors.ts";

const HASH: Record<string, { id: number; node: string; len: number }> = {
  "SHA-256": { id: 1, node: "sha256", len: 32 },
  "SHA-384": { id: 2, node: "sha384", len: 48 },
};
// Error codes (assembly/crypto/errors.ts, assembly/errors.ts)
const ERR = {
  BAD_POINTER: -1, BAD_ARGUMENT: -2, UNKNOWN_HASH: -16, KEY_TOO_SMALL: -37, KEY_TOO_LARGE: -38,
  KEY_INVALID: -39, SIG_RANGE: -40, BAD_SIGNATURE: -41,
};

const PKCS1_FILES = [
  "rsa_signature_2048_sha256_test.json", "rsa_signature_2048_sha384_test.json",
  "rsa_signature_3072_sha256_test.json", "rsa_signature_4096_sha256_test.json",
];
const PSS_FILES = [
  "rsa_pss_2048_sha256_mgf1_32_test.json", "rsa_pss_2048_sha384_mgf1_48_test.json",
  "rsa_pss_3072_sha256_mgf1_32_test.json", "rsa_pss_4096_sha256_mgf1_32_test.json",
];

// IO layout: modulus, signature, hash, DER key, parse result.
const N_AT = 0, SIG_AT = 520, HASH_AT = 1040, DER_AT = 1120, OUT_AT = 1800;

class Rsa {
  constructor(readonly e: Engine, readonly io: number) {}
  async verify(kind: "pkcs1" | "pss", n: Uint8Array, exp: number, hash: string, h: Uint8Array,
               sig: Uint8Array, saltLen = 0): Promise<number> {
    await this.e.write(this.io + N_AT, n);
    await this.e.write(this.io + SIG_AT, sig);
    await this.e.write(this.io + HASH_AT, h);
    const args = [this.io + N_AT, n.length, exp >>> 0, HASH[hash].id, this.io + HASH_AT,
      this.io + SIG_AT, sig.length];
    const r = kind === "pkcs1" ? await this.e.call("rsa_verify_pkcs1", ...args)
      : await this.e.call("rsa_verify_pss", ...args, saltLen);
    return Number(r.value);
  }
  async parseKey(der: Uint8Array, spki: boolean): Promise<{ rc: number; n?: Uint8Array; e?: number }> {
    await this.e.write(this.io + DER_AT, der);
    const rc = Number((await this.e.call("rsa_public_key_der", this.io + DER_AT, der.length, spki ? 1 : 0, this.io + OUT_AT)).value);
    if (rc) return { rc };
    const out = Buffer.from(await this.e.read(this.io + OUT_AT, 12));
    const nAt = out.readUInt32LE(0), nLen = out.readUInt32LE(4);
    return { rc, n: await this.e.read(nAt, nLen), e: out.readUInt32LE(8) };
  }
}

const digest = (alg: string, msg: Uint8Array) => new Uint8Array(createHash(HASH[alg].node).update(msg).digest());
const expOf = (hexE: string) => parseInt(hexE, 16);

// Every Wycheproof case of one file through the module; `subset` keeps a few.
async function runFile(rsa: Rsa, file: string, kind: "pkcs1" | "pss", subset: boolean) {
  const wf = wycheproof(file);
  if (!wf) return { ran: 0, skipped: 0, missing: true };
  let ran = 0, skipped = 0;
  for (const g of wf.testGroups as (WycheproofGroup & Record<string, any>)[]) {
    if (kind === "pss" && (g.mgf !== "MGF1" || g.mgfSha !== g.sha)) { skipped += g.tests.length; continue; }
    if (!HASH[g.sha]) { skipped += g.tests.length; continue; }
    const n = unhex(g.publicKey.modulus), e = expOf(g.publicKey.publicExponent);
    const tests = subset ? g.tests.filter((_, i) => i % 40 === 0) : g.tests;
    for (const t of tests) {
      const rc = await rsa.verify(kind, n, e, g.sha, digest(g.sha, unhex(t.msg as string)), unhex(t.sig as string), g.sLen ?? 0);
      // "acceptable" (a DigestInfo without the NULL): strict DER, rejected.
      if (t.result === "valid") assert.equal(rc, 0, `${file} tcId ${t.tcId} (${t.comment}) rejected: ${rc}`);
      else assert.ok(rc < 0, `${file} tcId ${t.tcId} (${t.comment}) accepted`);
      ran++;
    }
  }
  return { ran, skipped, missing: false };
}

interface NodeKey { bits: number; pub: KeyObject; priv: KeyObject; n: Uint8Array; e: number; spki: Uint8Array; pkcs1: Uint8Array }
const keyCache = new Map<number, NodeKey>();
function nodeKey(bits: number): NodeKey {
  let k = keyCache.get(bits);
  if (!k) {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits, publicExponent: 65537 });
    const jwk = publicKey.export({ format: "jwk" });
    k = {
      bits, pub: publicKey, priv: privateKey,
      n: new Uint8Array(Buffer.from(jwk.n!, "base64url")), e: Buffer.from(jwk.e!, "base64url").readUIntBE(0, 3),
      spki: new Uint8Array(publicKey.export({ format: "der", type: "spki" })),
      pkcs1: new Uint8Array(publicKey.export({ format: "der", type: "pkcs1" })),
    };
    keyCache.set(bits, k);
  }
  return k;
}

for (const name of ENGINES) {
  const qemu = name === "wasm3-qemu";
  describe(`rsa on ${name}`, () => {
    let engine: Engine, rsa: Rsa;
    before(async () => {
      engine = await openEngine(name as EngineName);
      const m = await new Module(engine).init();
      rsa = new Rsa(engine, Number((await engine.call("io_buffer")).value));
      void m;
    });
    after(() => engine.close());

    for (const file of PKCS1_FILES) {
      test(`Wycheproof ${file}${qemu ? " (subset)" : ""}`, async (t) => {
        const r = await runFile(rsa, file, "pkcs1", qemu);
        if (r.missing) return t.skip("vectors not found");
        assert.ok(r.ran > 0);
      });
    }
    for (const file of PSS_FILES) {
      test(`Wycheproof ${file}${qemu ? " (subset)" : ""}`, async (t) => {
        const r = await runFile(rsa, file, "pss", qemu);
        if (r.missing) return t.skip("vectors not found");
        assert.ok(r.ran > 0);
        // every group here is MGF1 with the signature's hash: nothing skipped
        assert.equal(r.skipped, 0);
      });
    }

    test("DER public keys of the Wycheproof groups (RSAPublicKey and SubjectPublicKeyInfo)", async (t) => {
      let checked = 0;
      for (const file of [...PKCS1_FILES, ...PSS_FILES]) {
        const wf = wycheproof(file);
        if (!wf) continue;
        for (const g of wf.testGroups as (WycheproofGroup & Record<string, any>)[]) {
          const n = Buffer.from(unhex(g.publicKey.modulus)).toString("hex").replace(/^(00)+/, "");
          for (const [der, spki] of [[g.publicKeyAsn, false], [g.publicKeyDer, true]] as const) {
            if (!der) continue;
            const r = await rsa.parseKey(unhex(der), spki);
            assert.equal(r.rc, 0, `${file}: key did not parse`);
            assert.equal(Buffer.from(r.n!).toString("hex"), n);
            assert.equal(r.e, expOf(g.publicKey.publicExponent));
            checked++;
          }
          if (qemu) break;
        }
      }
      if (!checked) return t.skip("vectors not found");
    });

    const sizes = qemu ? [2048] : [2048, 3072, 4096];
    for (const bits of sizes) {
      test(`node:crypto RSA-${bits} signatures (PKCS#1 v1.5 and PSS, SHA-256/384)`, async () => {
        const k = nodeKey(bits);
        const spk = await rsa.parseKey(k.spki, true);
        assert.equal(spk.rc, 0);
        assert.equal(Buffer.from(spk.n!).toString("hex"), Buffer.from(k.n).toString("hex"));
        assert.equal(spk.e, 65537);
        const p1 = await rsa.parseKey(k.pkcs1, false);
        assert.equal(Buffer.from(p1.n!).toString("hex"), Buffer.from(k.n).toString("hex"));
        for (const alg of ["SHA-256", "SHA-384"]) {
          for (let i = 0; i < (qemu ? 1 : 3); i++) {
            const msg = new TextEncoder().encode(`message ${bits} ${alg} ${i}`);
            const h = digest(alg, msg);
            const s1 = new Uint8Array(sign(HASH[alg].node, msg, k.priv));
            assert.equal(await rsa.verify("pkcs1", k.n, k.e, alg, h, s1), 0);
            const s2 = new Uint8Array(sign(HASH[alg].node, msg, {
              key: k.priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH[alg].len,
            }));
            assert.equal(await rsa.verify("pss", k.n, k.e, alg, h, s2, HASH[alg].len), 0);
            // tampered: signature, hash; the other padding; a wrong salt length
            const bad = s1.slice(); bad[bits / 16] ^= 4;
            assert.equal(await rsa.verify("pkcs1", k.n, k.e, alg, h, bad), ERR.BAD_SIGNATURE);
            const h2 = h.slice(); h2[0] ^= 1;
            assert.equal(await rsa.verify("pkcs1", k.n, k.e, alg, h2, s1), ERR.BAD_SIGNATURE);
            assert.equal(await rsa.verify("pss", k.n, k.e, alg, h2, s2, HASH[alg].len), ERR.BAD_SIGNATURE);
            assert.equal(await rsa.verify("pss", k.n, k.e, alg, h, s1, HASH[alg].len), ERR.BAD_SIGNATURE);
            assert.equal(await rsa.verify("pkcs1", k.n, k.e, alg, h, s2), ERR.BAD_SIGNATURE);
            assert.equal(await rsa.verify("pss", k.n, k.e, alg, h, s2, HASH[alg].len - 1), ERR.BAD_SIGNATURE);
          }
        }
      });
    }

    test("PSS with salt lengths 0 and 20 (parameter, not fixed)", async () => {
      const k = nodeKey(2048);
      for (const salt of [0, 20]) {
        const msg = new TextEncoder().encode(`salt ${salt}`);
        const s = new Uint8Array(sign("sha256", msg, { key: k.priv, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: salt }));
        assert.equal(await rsa.verify("pss", k.n, k.e, "SHA-256", digest("SHA-256", msg), s, salt), 0);
        assert.equal(await rsa.verify("pss", k.n, k.e, "SHA-256", digest("SHA-256", msg), s, 32), ERR.BAD_SIGNATURE);
      }
    });

    test("minimum modulus size: 1024 bits refused by default, accepted when lowered", async () => {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
      const n = new Uint8Array(Buffer.from(publicKey.export({ format: "jwk" }).n!, "base64url"));
      const msg = new Uint8Array([1, 2, 3]);
      const s = new Uint8Array(sign("sha256", msg, privateKey));
      const h = digest("SHA-256", msg);
      assert.equal(await rsa.verify("pkcs1", n, 65537, "SHA-256", h, s), ERR.KEY_TOO_SMALL);
      assert.equal(Number((await engine.call("rsa_set_min_bits", 1024)).value), 0);
      try {
        assert.equal(await rsa.verify("pkcs1", n, 65537, "SHA-256", h, s), 0);
      } finally {
        assert.equal(Number((await engine.call("rsa_set_min_bits", 2048)).value), 0);
      }
      assert.equal(Number((await engine.call("rsa_set_min_bits", 100)).value), ERR.BAD_ARGUMENT);
    });

    test("malformed inputs are error codes, never traps", async () => {
      const k = nodeKey(2048);
      const msg = new Uint8Array([9]);
      const h = digest("SHA-256", msg);
      const s = new Uint8Array(sign("sha256", msg, k.priv));
      // s >= n, wrong lengths, even modulus, bad exponents, too large, hash id/length
      assert.equal(await rsa.verify("pkcs1", k.n, k.e, "SHA-256", h, k.n), ERR.SIG_RANGE);
      assert.equal(await rsa.verify("pkcs1", k.n, k.e, "SHA-256", h, s.subarray(1)), ERR.SIG_RANGE);
      assert.equal(await rsa.verify("pkcs1", k.n, k.e, "SHA-256", h, new Uint8Array([0, ...s])), ERR.SIG_RANGE);
      const even = k.n.slice(); even[even.length - 1] &= 0xfe;
      assert.equal(await rsa.verify("pkcs1", even, k.e, "SHA-256", h, s), ERR.KEY_INVALID);
      for (const e of [0, 1, 2, 65536]) assert.equal(await rsa.verify("pkcs1", k.n, e, "SHA-256", h, s), ERR.KEY_INVALID);
      assert.equal(await rsa.verify("pkcs1", new Uint8Array(513).fill(0xff), k.e, "SHA-256", h, s), ERR.KEY_TOO_LARGE);
      assert.equal(await rsa.verify("pkcs1", new Uint8Array(0), k.e, "SHA-256", h, s), ERR.KEY_INVALID);
      const io = rsa.io;
      // unknown hash id, bad pointers, negative length
      assert.equal(Number((await engine.call("rsa_verify_pkcs1", io, 256, 65537, 9, io + HASH_AT, io + SIG_AT, 256)).value), ERR.UNKNOWN_HASH);
      assert.equal(Number((await engine.call("rsa_verify_pkcs1", 0, 256, 65537, 1, io, io, 256)).value), ERR.BAD_POINTER);
      assert.equal(Number((await engine.call("rsa_verify_pss", io, 256, 65537, 1, io, 0xfffff0, 256, 32)).value), ERR.BAD_POINTER);
      assert.equal(Number((await engine.call("rsa_verify_pss", io, -5, 65537, 1, io, io, 256, 32)).value), ERR.BAD_POINTER);
      assert.equal(await rsa.verify("pss", k.n, k.e, "SHA-256", h, s, -1), ERR.BAD_SIGNATURE);
      assert.equal(await rsa.verify("pss", k.n, k.e, "SHA-256", h, s, 300), ERR.BAD_SIGNATURE);
      // DER keys: truncated, trailing bytes, wrong tags, negative modulus, long exponent, wrong OID
      for (let cut = 0; cut < k.spki.length; cut += 37) {
        assert.equal((await rsa.parseKey(k.spki.subarray(0, cut), true)).rc, ERR.KEY_INVALID, `cut ${cut}`);
      }
      assert.equal((await rsa.parseKey(new Uint8Array([...k.pkcs1, 0]), false)).rc, ERR.KEY_INVALID);
      assert.equal((await rsa.parseKey(k.spki, false)).rc, ERR.KEY_INVALID);
      assert.equal((await rsa.parseKey(k.pkcs1, true)).rc, ERR.KEY_INVALID);
      assert.equal((await rsa.parseKey(unhex("3006020180020103"), false)).rc, ERR.KEY_INVALID);       // n negative
      assert.equal((await rsa.parseKey(unhex("300702010502020003"), false)).rc, ERR.KEY_INVALID);     // e non-minimal
      assert.equal((await rsa.parseKey(unhex("300a020105020501000000ff"), false)).rc, ERR.KEY_INVALID); // e > 32 bits
      assert.equal((await rsa.parseKey(unhex("30800201050201030000"), false)).rc, ERR.KEY_INVALID);   // indefinite
      assert.equal((await rsa.parseKey(unhex("3081060201050201 03".replace(/ /g, "")), false)).rc, ERR.KEY_INVALID); // non-minimal length
      assert.equal((await rsa.parseKey(unhex("3006020105020103"), false)).rc, 0);
      const oid = k.spki.slice(); oid[14] ^= 1;   // inside the rsaEncryption OID
      assert.equal((await rsa.parseKey(oid, true)).rc, ERR.KEY_INVALID);
    });
  });
}
