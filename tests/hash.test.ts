// SHA-384/512, HMAC, HKDF (+ TLS 1.3 Expand-Label) and HMAC_DRBG in the
// release module: Wycheproof, RFC 8448, NIST CAVP and cross-checks against
// @noble/hashes and node:crypto, on every engine (Wycheproof and the long
// cross-checks in full on V8 and wasm3-native, a sample on wasm3-qemu).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sha384, sha512 } from "@noble/hashes/sha2.js";
import { openEngine, V8Engine, ROOT, type Engine, type EngineName } from "../host/node/engine.ts";
import { rng, hex, unhex, ENGINES } from "./lib/util.ts";
import { wycheproof } from "./lib/vectors.ts";

const ERR_BAD_POINTER = -1;
const ERR_UNKNOWN_HASH = -16, ERR_HKDF_TOO_LONG = -17, ERR_HKDF_LABEL_TOO_LONG = -18, ERR_DRBG_REQUEST_TOO_LONG = -19;
const SHA256 = 1, SHA384 = 2, SHA512 = 3;
const NAME: Record<number, string> = { [SHA256]: "sha256", [SHA384]: "sha384", [SHA512]: "sha512" };
const HLEN: Record<number, number> = { [SHA256]: 32, [SHA384]: 48, [SHA512]: 64 };
// Linear memory the module may touch: wasm3 traps past lowMemoryLimit.
const LIMIT: number = JSON.parse(readFileSync(path.join(ROOT, "asconfig.json"), "utf8")).targets.release.lowMemoryLimit;
const DRBG_RESEED_INTERVAL = 1024;

const cat = (...a: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(a));
const enc = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "latin1"));

// The module's exports over an engine, with a fixed layout in the IO area:
// CTX (256) | OUT (256) | A (1024) | B (1280) | C (1280).
class Hashes {
  io = 0; ctx = 0; out = 0; a = 0; b = 0; c = 0;
  free = 0;   // start of memory no static data uses, up to LIMIT
  constructor(readonly e: Engine) {}
  async init(): Promise<this> {
    this.io = await this.n("io_buffer");
    this.ctx = this.io; this.out = this.io + 256; this.a = this.io + 512; this.b = this.io + 1536; this.c = this.io + 2816;
    this.free = (await this.n("static_end") + 15) & ~15;
    return this;
  }
  async n(fn: string, ...args: number[]): Promise<number> { return Number((await this.e.call(fn, ...args)).value); }
  async put(addr: number, bytes: Uint8Array, cap: number): Promise<void> {
    assert.ok(bytes.length <= cap, `${bytes.length} bytes do not fit the test layout`);
    if (bytes.length) await this.e.write(addr, bytes);
  }
  async ok(fn: string, ...args: number[]): Promise<void> { assert.equal(await this.n(fn, ...args), 0, fn); }

  async digest(kind: "sha384" | "sha512", chunks: Uint8Array[]): Promise<Uint8Array> {
    await this.ok(`${kind}_init`, this.ctx);
    for (const c of chunks) {
      await this.put(this.b, c, 2560);
      await this.ok(`${kind}_update`, this.ctx, this.b, c.length);
    }
    await this.ok(`${kind}_final`, this.ctx, this.out);
    return this.e.read(this.out, kind === "sha384" ? 48 : 64);
  }
  async hmac(alg: number, key: Uint8Array, msg: Uint8Array): Promise<Uint8Array> {
    await this.put(this.a, key, 1024);
    await this.put(this.b, msg, 2560);
    await this.ok("hmac", alg, this.a, key.length, this.b, msg.length, this.out);
    return this.e.read(this.out, HLEN[alg]);
  }
  // Extract then Expand; okm lands in OUT or, when larger, in free memory.
  async hkdf(alg: number, salt: Uint8Array, ikm: Uint8Array, info: Uint8Array, len: number): Promise<{ rc: number; okm?: Uint8Array }> {
    await this.put(this.a, salt, 1024);
    await this.put(this.b, ikm, 1280);
    await this.put(this.c, info, 1280);
    await this.ok("hkdf_extract", alg, this.a, salt.length, this.b, ikm.length, this.ctx);
    const dst = len <= 256 ? this.out : this.free;
    const rc = await this.n("hkdf_expand", alg, this.ctx, HLEN[alg], this.c, info.length, dst, len);
    return { rc, okm: rc === 0 ? await this.e.read(dst, len) : undefined };
  }
  async expandLabel(alg: number, secret: Uint8Array, label: string, context: Uint8Array, len: number): Promise<Uint8Array> {
    await this.put(this.a, secret, 64);
    await this.put(this.b, enc(label), 1280);
    await this.put(this.c, context, 1280);
    await this.ok("hkdf_expand_label", alg, this.a, this.b, label.length, this.c, context.length, this.out, len);
    return this.e.read(this.out, len);
  }
  async drbgGenerate(n: number, add = new Uint8Array(0)): Promise<Uint8Array> {
    await this.put(this.a, add, 1024);
    await this.ok("drbg_generate", this.out, n, this.a, add.length);
    return this.e.read(this.out, n);
  }
}

// HMAC_DRBG (SP 800-90A 10.1.2) written from the spec over node:crypto, itself
// checked against the CAVP vectors below before it serves as a reference.
class DrbgModel {
  K = Buffer.alloc(32); V = Buffer.alloc(32, 1); counter = 0;
  private h(...d: Uint8Array[]): Buffer { const m = createHmac("sha256", this.K); for (const x of d) m.update(x); return m.digest(); }
  update(data: Uint8Array): void {
    this.K = this.h(this.V, Buffer.of(0), data); this.V = this.h(this.V);
    if (!data.length) return;
    this.K = this.h(this.V, Buffer.of(1), data); this.V = this.h(this.V);
  }
  instantiate(entropyNonce: Uint8Array, pers: Uint8Array): void {
    this.K = Buffer.alloc(32); this.V = Buffer.alloc(32, 1);
    this.update(cat(entropyNonce, pers)); this.counter = 1;
  }
  reseed(entropy: Uint8Array, add: Uint8Array): void { this.update(cat(entropy, add)); this.counter = 1; }
  generate(n: number, add: Uint8Array = new Uint8Array(0), reseedEntropy?: () => Uint8Array): Uint8Array {
    if (this.counter > DRBG_RESEED_INTERVAL) {
      assert.ok(reseedEntropy, "model needs reseed entropy");
      this.reseed(reseedEntropy(), add); add = new Uint8Array(0);
    }
    if (add.length) this.update(add);
    const out: Buffer[] = [];
    for (let got = 0; got < n; got += 32) { this.V = this.h(this.V); out.push(this.V); }
    this.update(add); this.counter++;
    return new Uint8Array(Buffer.concat(out).subarray(0, n));
  }
}

// NIST CAVP HMAC_DRBG.rsp, [SHA-256], PredictionResistance = False, no
// personalization or additional input, 1024 returned bits; the second
// generate's output is the answer.
const CAVP = [
  { // drbgvectors_no_reseed, COUNT = 0
    entropy: "ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488", nonce: "659ba96c601dc69fc902940805ec0ca8",
    reseed: undefined,
    out: "e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8",
  },
  { // drbgvectors_pr_false, COUNT = 0 (instantiate, reseed, generate twice)
    entropy: "06032cd5eed33f39265f49ecb142c511da9aff2af71203bffaf34a9ca5bd9c0d", nonce: "0e66f71edc43e42a45ad3c6fc6cdc4df",
    reseed: "01920a4e669ed3a85ae8a33b35a74ad7fb2a6bb4cf395ce00334a9c9a5a5d552",
    out: "76fc79fe9b50beccc991a11b5635783a83536add03c157fb30645e611c2898bb2b1bc215000209208cd506cb28da2a51bdb03826aaf2bd2335d576d519160842e7158ad0949d1a9ec3e66ea1b1a064b005de914eac2e9d4f2d72a8616a80225422918250ff66a41bd2f864a6a38cc5b6499dc43f7f2bd09e1e0f8f5885935124",
  },
];

// RFC 8448 section 3 (simple 1-RTT handshake, SHA-256): key schedule values.
const RFC8448 = {
  ecdhe: "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d",
  early: "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a",
  derived: "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba",
  handshake: "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac",
  helloHash: "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8",
  clientHs: "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
  serverHs: "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
  serverHsKey: "3fce516009c21727d0f2e4e86ee403bc",
  serverHsIv: "5d313eb2671276ee13000b30",
};

// The ClientHello and ServerHello of the same trace, from the shared vectors
// (RFC 8448 transcripts.vec); undefined when the file is absent.
function helloMessages(): Uint8Array | undefined {
  const p = path.join(process.env.VECTORS_DIR ?? path.resolve(ROOT, "../shared/vectors"), "rfc8448/transcripts.vec");
  let text: string;
  try { text = readFileSync(p, "utf8"); } catch { return undefined; }
  const section = text.split(/^\[/m).find((s) => s.startsWith("Simple_1RTT_Handshake]"))!;
  const get = (k: string) => unhex(new RegExp(`^${k} = (.*)$`, "m").exec(section)![1]);
  return cat(get("Record_ClientHello_1").subarray(5), get("Message_ServerHello"));   // strip the record header
}

// A TLS 1.3 HkdfLabel built in JS, for cross-checking Expand-Label.
function hkdfLabel(label: string, context: Uint8Array, len: number): Uint8Array {
  const l = enc("tls13 " + label);
  return cat(Uint8Array.of(len >> 8, len & 255, l.length), l, Uint8Array.of(context.length), context);
}

for (const name of ENGINES) {
  const full = name !== "wasm3-qemu";   // the emulator gets a sample of the long lists
  const sample = <T>(xs: T[], every: number): T[] => (full ? xs : xs.filter((_, i) => i % every === 0));

  describe(`hashing on ${name}`, () => {
    let engine: Engine, m: Hashes;
    before(async () => { engine = await openEngine(name as EngineName); m = await new Hashes(engine).init(); });
    after(() => engine.close());

    // ---- SHA-384 / SHA-512 -------------------------------------------------
    for (const kind of ["sha384", "sha512"] as const) {
      const ref = kind === "sha384" ? sha384 : sha512;
      test(`${kind}: lengths around the 128-byte block`, async () => {
        for (const n of [0, 1, 111, 112, 127, 128, 129, 1000]) {
          const data = rng(n, 500 + n);
          assert.equal(hex(await m.digest(kind, [data])), hex(ref(data)), `length ${n}`);
        }
      });
      test(`${kind}: random lengths in random chunks`, async () => {
        const r = rng(64, 77);
        for (let k = 0; k < (full ? 10 : 3); k++) {
          const data = rng(r[k] * 9 + (r[k + 10] & 15), 2000 + k);
          const chunks: Uint8Array[] = [];
          for (let off = 0, i = 0; off < data.length; i++) {
            const len = Math.min(data.length - off, (r[(k + i) % 64] % 150) + (i & 1));
            chunks.push(data.subarray(off, off + len));
            off += len;
          }
          assert.equal(hex(await m.digest(kind, chunks)), hex(ref(data)), `case ${k}, ${data.length} bytes`);
        }
      });
    }
    test("sha384 and sha512 contexts are independent (interleaved updates)", async () => {
      const x = rng(300, 1), y = rng(200, 2), c2 = m.ctx;   // the SHA-384 context is in A
      await m.ok("sha384_init", m.a); await m.ok("sha512_init", m.ctx);
      await m.put(m.b, x, 300); await m.put(m.c, y, 200);
      await m.ok("sha384_update", m.a, m.b, 150); await m.ok("sha512_update", c2, m.c, 200);
      await m.ok("sha384_update", m.a, m.b + 150, 150);
      await m.ok("sha384_final", m.a, m.out); await m.ok("sha512_final", c2, m.out + 64);
      assert.equal(hex(await engine.read(m.out, 48)), hex(sha384(x)));
      assert.equal(hex(await engine.read(m.out + 64, 64)), hex(sha512(y)));
    });

    // ---- HMAC ----------------------------------------------------------------
    for (const file of ["hmac_sha256_test.json", "hmac_sha384_test.json"]) {
      const alg = file.includes("384") ? SHA384 : SHA256;
      test(`Wycheproof ${file}`, async (t) => {
        const w = wycheproof(file);
        if (!w) { t.skip("vectors absent"); return; }
        let valid = 0, invalid = 0, total = 0;
        for (const g of w.testGroups) {
          const tagBytes = (g.tagSize as number) / 8;
          for (const c of sample(g.tests, 20)) {
            const tag = await m.hmac(alg, unhex(c.key as string), unhex(c.msg as string));
            const match = hex(tag.subarray(0, tagBytes)) === c.tag;
            if (c.result === "valid") { assert.ok(match, `tcId ${c.tcId}: ${c.comment}`); valid++; }
            else if (c.result === "invalid") { assert.ok(!match, `tcId ${c.tcId} must not verify: ${c.comment}`); invalid++; }
            else assert.fail(`tcId ${c.tcId}: unexpected result ${c.result}`);   // none are "acceptable"
            total++;
          }
        }
        if (full) {
          assert.equal(total, w.numberOfTests);
          assert.deepEqual([valid, invalid], [66, 108]);
        }
        t.diagnostic(`${valid} valid, ${invalid} invalid (tag must not match)`);
      });
    }

    test("HMAC-SHA-256/384/512 against node:crypto, keys shorter and longer than a block", async () => {
      const keys = full ? [0, 1, 32, 63, 64, 65, 111, 127, 128, 129, 200, 1000] : [0, 64, 129, 1000];
      const msgs = full ? [0, 1, 55, 56, 64, 111, 112, 128, 129, 1000] : [0, 129];
      for (const alg of [SHA256, SHA384, SHA512]) {
        for (const kl of keys) {
          for (const ml of msgs) {
            const key = rng(kl, kl * 7 + alg), msg = rng(ml, ml * 11 + alg);
            const want = createHmac(NAME[alg], key).update(msg).digest("hex");
            assert.equal(hex(await m.hmac(alg, key, msg)), want, `${NAME[alg]} key ${kl} msg ${ml}`);
          }
        }
      }
    });

    test("hmac: a message may be its own output buffer", async () => {
      const key = rng(20, 3), msg = rng(64, 4);
      await m.put(m.a, key, 64); await m.put(m.out, msg, 64);
      await m.ok("hmac", SHA512, m.a, 20, m.out, 64, m.out);
      assert.equal(hex(await engine.read(m.out, 64)), createHmac("sha512", key).update(msg).digest("hex"));
    });

    // ---- HKDF ----------------------------------------------------------------
    for (const file of ["hkdf_sha256_test.json", "hkdf_sha384_test.json"]) {
      const alg = file.includes("384") ? SHA384 : SHA256;
      test(`Wycheproof ${file}`, async (t) => {
        const w = wycheproof(file);
        if (!w) { t.skip("vectors absent"); return; }
        let valid = 0, invalid = 0, skipped = 0;
        const cases = w.testGroups.flatMap((g) => g.tests);
        for (const c of full ? cases : cases.filter((c, i) => i % 15 === 0 || c.result === "invalid")) {
          const size = c.size as number;
          if (size > 256 && m.free + size > LIMIT && c.result === "valid") {
            // The output needs more free linear memory than this build has.
            await t.test(`tcId ${c.tcId}`, { skip: `${size}-byte output, only ${LIMIT - m.free} bytes of free linear memory` }, () => {});
            skipped++;
            continue;
          }
          const r = await m.hkdf(alg, unhex(c.salt as string), unhex(c.ikm as string), unhex(c.info as string), size);
          if (c.result === "valid") {
            assert.equal(r.rc, 0, `tcId ${c.tcId}`);
            assert.equal(hex(r.okm!), c.okm, `tcId ${c.tcId}: ${c.comment}`);
            valid++;
          } else {
            assert.equal(r.rc, ERR_HKDF_TOO_LONG, `tcId ${c.tcId}: ${c.comment}`);
            invalid++;
          }
        }
        if (full) assert.equal(valid + invalid + skipped, w.numberOfTests);
        assert.equal(invalid, 3);   // the three SizeTooLarge cases, on every engine
        t.diagnostic(`${valid} valid, ${invalid} invalid (output too long), ${skipped} skipped`);
      });
    }

    test("HKDF against node:crypto hkdfSync, all three hashes, up to 255 * HashLen", async (t) => {
      for (const alg of [SHA256, SHA384, SHA512]) {
        const max = 255 * HLEN[alg];
        const lens = full ? [0, 1, HLEN[alg] - 1, HLEN[alg], HLEN[alg] + 1, 200, max] : [HLEN[alg] + 1, max];
        for (const len of lens) {
          if (len > 256 && m.free + len > LIMIT) {
            await t.test(`${NAME[alg]} length ${len}`, { skip: `only ${LIMIT - m.free} bytes of free linear memory` }, () => {});
            continue;
          }
          const salt = rng(alg * 10, len), ikm = rng(22, len + 1), info = rng(len % 40, len + 2);
          const want = Buffer.from(hkdfSync(NAME[alg], ikm, salt, info, len)).toString("hex");
          const r = await m.hkdf(alg, salt, ikm, info, len);
          assert.equal(r.rc, 0);
          assert.equal(hex(r.okm!), want, `${NAME[alg]} length ${len}`);
        }
      }
    });

    test("HKDF-Expand refuses more than 255 * HashLen bytes", async () => {
      for (const alg of [SHA256, SHA384, SHA512]) {
        const len = 255 * HLEN[alg] + 1;
        assert.equal(await m.n("hkdf_expand", alg, m.a, HLEN[alg], 0, 0, m.out, len), ERR_HKDF_TOO_LONG);
        assert.equal(await m.n("hkdf_expand_label", alg, m.a, m.b, 3, 0, 0, m.out, len), ERR_HKDF_TOO_LONG);
      }
    });

    test("HKDF-Expand-Label: RFC 8448 simple 1-RTT key schedule", async () => {
      const zeros = new Uint8Array(32), emptyHash = createHash("sha256").digest();
      // early = Extract(0, 0); derived = Expand-Label(early, "derived", Hash(""), 32)
      const r = await m.hkdf(SHA256, zeros, zeros, new Uint8Array(0), 0);
      assert.equal(r.rc, 0);
      assert.equal(hex(await engine.read(m.ctx, 32)), RFC8448.early);
      assert.equal(hex(await m.expandLabel(SHA256, unhex(RFC8448.early), "derived", emptyHash, 32)), RFC8448.derived);
      // handshake = Extract(derived, ecdhe)
      await m.put(m.a, unhex(RFC8448.derived), 32); await m.put(m.b, unhex(RFC8448.ecdhe), 32);
      await m.ok("hkdf_extract", SHA256, m.a, 32, m.b, 32, m.out);
      assert.equal(hex(await engine.read(m.out, 32)), RFC8448.handshake);
      // the transcript hash from the trace's own messages, when the file is there
      const hellos = helloMessages();
      if (hellos) assert.equal(createHash("sha256").update(hellos).digest("hex"), RFC8448.helloHash);
      const th = unhex(RFC8448.helloHash), hs = unhex(RFC8448.handshake);
      assert.equal(hex(await m.expandLabel(SHA256, hs, "c hs traffic", th, 32)), RFC8448.clientHs);
      assert.equal(hex(await m.expandLabel(SHA256, hs, "s hs traffic", th, 32)), RFC8448.serverHs);
      const shs = unhex(RFC8448.serverHs), empty = new Uint8Array(0);
      assert.equal(hex(await m.expandLabel(SHA256, shs, "key", empty, 16)), RFC8448.serverHsKey);
      assert.equal(hex(await m.expandLabel(SHA256, shs, "iv", empty, 12)), RFC8448.serverHsIv);
    });

    test("HKDF-Expand-Label equals HKDF-Expand over a JS-built HkdfLabel (SHA-384/512, long labels)", async () => {
      for (const alg of [SHA384, SHA512]) {
        for (const [label, ctxLen, len] of [["finished", 0, HLEN[alg]], ["x".repeat(249), 255, 100], ["c ap traffic", 48, 200]] as const) {
          const secret = rng(HLEN[alg], ctxLen + alg), context = rng(ctxLen, len);
          // HKDF-Expand alone: node's hkdfSync always extracts, so use HMAC directly.
          const info = hkdfLabel(label, context, len);
          const blocks: Buffer[] = [];
          let prev = Buffer.alloc(0);
          for (let i = 1; Buffer.concat(blocks).length < len; i++) {
            prev = createHmac(NAME[alg], secret).update(prev).update(info).update(Buffer.of(i)).digest();
            blocks.push(prev);
          }
          const got = await m.expandLabel(alg, secret, label, context, len);
          assert.equal(hex(got), Buffer.concat(blocks).subarray(0, len).toString("hex"), `${NAME[alg]} label ${label.length}`);
        }
      }
    });

    test("HKDF-Expand-Label refuses a label over 249 bytes or a context over 255", async () => {
      assert.equal(await m.n("hkdf_expand_label", SHA256, m.a, m.b, 250, m.c, 0, m.out, 32), ERR_HKDF_LABEL_TOO_LONG);
      assert.equal(await m.n("hkdf_expand_label", SHA256, m.a, m.b, 5, m.c, 256, m.out, 32), ERR_HKDF_LABEL_TOO_LONG);
    });

    // ---- HMAC_DRBG -------------------------------------------------------------
    test("HMAC_DRBG: NIST CAVP known answers (and the JS model agrees)", async () => {
      for (const v of CAVP) {
        const model = new DrbgModel();
        model.instantiate(cat(unhex(v.entropy), unhex(v.nonce)), new Uint8Array(0));
        if (v.reseed) model.reseed(unhex(v.reseed), new Uint8Array(0));
        model.generate(128);
        assert.equal(hex(model.generate(128)), v.out, "model");

        await m.put(m.a, cat(unhex(v.entropy), unhex(v.nonce)), 48);
        await m.ok("drbg_instantiate_kat", m.a, 48, 0, 0);
        if (v.reseed) {
          await m.put(m.a, unhex(v.reseed), 32);
          await m.ok("drbg_reseed_kat", m.a, 32, 0, 0);
        }
        await m.drbgGenerate(128);
        assert.equal(hex(await m.drbgGenerate(128)), v.out, "module");
      }
    });

    test("HMAC_DRBG: personalization, additional input, reseed, odd lengths (vs the model)", async () => {
      const model = new DrbgModel();
      const seed = rng(48, 1), pers = rng(37, 2);
      model.instantiate(seed, pers);
      await m.put(m.a, seed, 48); await m.put(m.b, pers, 37);
      await m.ok("drbg_instantiate_kat", m.a, 48, m.b, 37);
      const lens = full ? [1, 31, 32, 33, 64, 100, 256] : [33, 100];
      for (const [i, n] of lens.entries()) {
        const add = rng(i * 13, 100 + i);
        if (i === 3) {
          const e = rng(32, 50), ra = rng(20, 51);
          model.reseed(e, ra);
          await m.put(m.a, e, 32); await m.put(m.b, ra, 20);
          await m.ok("drbg_reseed_kat", m.a, 32, m.b, 20);
        }
        assert.equal(hex(await m.drbgGenerate(n, add)), hex(model.generate(n, add)), `request ${i}, ${n} bytes`);
      }
    });

    test("HMAC_DRBG: host-seeded outputs differ per seed and request", async () => {
      await m.ok("drbg_seed", 0, 0);
      const x = await m.drbgGenerate(32), y = await m.drbgGenerate(32);
      await m.put(m.b, enc("personalization"), 64);
      await m.ok("drbg_seed", m.b, 15);
      const z = await m.drbgGenerate(32);
      await m.ok("drbg_reseed", 0, 0);
      const u = await m.drbgGenerate(32);
      assert.equal(new Set([x, y, z, u].map(hex)).size, 4);
    });

    test("HMAC_DRBG: a request over 65536 bytes is refused", async () => {
      assert.equal(await m.n("drbg_generate", m.out, 65537, 0, 0), ERR_DRBG_REQUEST_TOO_LONG);
    });

    // ---- argument checks ------------------------------------------------------
    test("unknown hash ids are an error code", async () => {
      for (const alg of [0, 4, -1]) {
        assert.equal(await m.n("hmac", alg, m.a, 1, m.b, 1, m.out), ERR_UNKNOWN_HASH);
        assert.equal(await m.n("hkdf_extract", alg, m.a, 1, m.b, 1, m.out), ERR_UNKNOWN_HASH);
        assert.equal(await m.n("hkdf_expand", alg, m.a, 32, m.b, 1, m.out, 0), ERR_UNKNOWN_HASH);
        assert.equal(await m.n("hkdf_expand_label", alg, m.a, m.b, 1, m.c, 0, m.out, 16), ERR_UNKNOWN_HASH);
      }
    });

    test("every bad pointer or length is an error code, not a trap", async () => {
      const far = 0xfffff0, past = LIMIT - 8, { a, b, out, ctx } = m;
      const calls: Array<[string, ...number[]]> = [
        ["sha384_init", 0], ["sha512_init", far], ["sha512_init", past],
        ["sha512_update", ctx, far, 64], ["sha512_update", ctx, a, -1], ["sha384_update", past, a, 1],
        ["sha512_final", ctx, 0], ["sha384_final", ctx, past], ["sha256_update", ctx, past, 64],
        ["hmac", SHA256, far, 16, b, 1, out], ["hmac", SHA256, a, -5, b, 1, out], ["hmac", SHA256, a, 1, b, 1, 0],
        ["hmac", SHA512, a, 1, b, 1, past], ["hmac", SHA384, a, 1, 0, 10, out],
        ["hkdf_extract", SHA256, a, 1, b, 1, past], ["hkdf_extract", SHA256, far, 1, b, 1, out],
        ["hkdf_expand", SHA256, 0, 32, b, 1, out, 32], ["hkdf_expand", SHA256, a, 32, b, 1, past, 32],
        ["hkdf_expand", SHA256, a, 32, b, -1, out, 32], ["hkdf_expand", SHA256, a, 32, b, 1, out, -1],
        ["hkdf_expand_label", SHA384, past, b, 1, 0, 0, out, 16], ["hkdf_expand_label", SHA256, a, far, 3, 0, 0, out, 16],
        ["hkdf_expand_label", SHA256, a, b, 3, 0, 0, past, 16],
        ["drbg_seed", far, 4], ["drbg_reseed", a, -1], ["drbg_generate", 0, 16, 0, 0], ["drbg_generate", past, 16, 0, 0],
        ["drbg_generate", out, 16, far, 2], ["drbg_instantiate_kat", far, 48, 0, 0], ["drbg_reseed_kat", a, 32, past, 16],
      ];
      for (const [fn, ...args] of calls) assert.equal(await m.n(fn, ...args), ERR_BAD_POINTER, `${fn}(${args.join(", ")})`);
    });
  });
}

// The board's entropy is replaced (V8 only) to check the host-seeded paths
// against the model: drbg_seed draws 48 bytes, and the request after
// DRBG_RESEED_INTERVAL reseeds from 32 fresh bytes with the additional input.
describe("HMAC_DRBG host seeding and reseed interval (v8, injected entropy)", () => {
  test("drbg_seed, generate, automatic reseed", async () => {
    const draws: number[] = [];
    let ctr = 0;
    const pool = (n: number) => rng(n, 9000 + ctr++);
    const engine: V8Engine = new V8Engine(undefined, {
      extraImports: {
        random_bytes: (p: number, n: number) => { draws.push(n); engine.memory.set(pool(n), p); },
      },
    });
    const m = await new Hashes(engine).init();
    const model = new DrbgModel();
    let mctr = 0;
    const mpool = (n: number) => rng(n, 9000 + mctr++);
    const pers = enc("device 1234");
    await m.put(m.b, pers, 64);
    await m.ok("drbg_seed", m.b, pers.length);
    model.instantiate(mpool(48), pers);
    assert.deepEqual(draws, [48]);
    for (let i = 1; i <= DRBG_RESEED_INTERVAL; i++) {
      const n = i % 50;
      const got = await m.drbgGenerate(n);
      const want = model.generate(n);
      if (i % 100 === 1 || i === DRBG_RESEED_INTERVAL) assert.equal(hex(got), hex(want), `request ${i}`);
    }
    assert.deepEqual(draws, [48], "no reseed before the interval");
    const add = rng(16, 5);
    assert.equal(hex(await m.drbgGenerate(40, add)), hex(model.generate(40, add, () => mpool(32))), "request after the interval");
    assert.deepEqual(draws, [48, 32], "one reseed of 32 bytes");
    assert.equal(hex(await m.drbgGenerate(8)), hex(model.generate(8)));
  });

  test("an unseeded DRBG seeds itself on first use", async () => {
    let calls = 0;
    const engine: V8Engine = new V8Engine(undefined, {
      extraImports: { random_bytes: (p: number, n: number) => { calls++; engine.memory.set(rng(n, 4242), p); } },
    });
    const m = await new Hashes(engine).init();
    const model = new DrbgModel();
    model.instantiate(rng(48, 4242), new Uint8Array(0));
    assert.equal(hex(await m.drbgGenerate(32)), hex(model.generate(32)));
    assert.equal(calls, 1);
  });
});
