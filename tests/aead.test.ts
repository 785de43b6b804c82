// AEAD (AES-128/256-GCM, ChaCha20-Poly1305) in the release module: Wycheproof
// vectors, a randomised cross-check against @noble/ciphers with random
// chunking, and the state machine / error paths. Wycheproof runs in full on
// V8 and wasm3-native and as a subset on wasm3-qemu.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { gcm } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { rng, hex, unhex, ENGINES } from "./lib/util.ts";
import { wycheproof, type WycheproofTest } from "./lib/vectors.ts";

const AES128GCM = 1, AES256GCM = 2, CHACHA = 3;
const ERR_BAD_POINTER = -1, ERR_AEAD_TAG = -20, ERR_AEAD_SUITE = -21, ERR_AEAD_STATE = -22;

// Memory inside the IO buffer: context, key, then a data area.
class Aead {
  io = 0; size = 0; ctx = 0; key = 0; data = 0; cap = 0;
  constructor(readonly e: Engine) {}
  async init(): Promise<this> {
    this.io = Number((await this.e.call("io_buffer")).value);
    this.size = Number((await this.e.call("io_size")).value);
    const ctxSize = Number((await this.e.call("aead_ctx_size")).value);
    this.ctx = this.io;
    this.key = this.io + ((ctxSize + 15) & ~15);
    this.data = this.key + 32;
    this.cap = this.io + this.size - this.data;
    return this;
  }
  async call(fn: string, ...args: number[]): Promise<number> {
    return Number((await this.e.call(fn, ...args)).value);
  }
  async setKey(suite: number, key: Uint8Array): Promise<number> {
    await this.e.write(this.key, key);
    return this.call("aead_init", suite, this.ctx, this.key);
  }
  // One-shot seal: returns ct || tag, or the error code.
  async seal(nonce: Uint8Array, aad: Uint8Array, msg: Uint8Array): Promise<Uint8Array | number> {
    const n = this.data, a = n + 16, p = a + aad.length, t = p + msg.length;
    assert.ok(t + 16 <= this.data + this.cap, "case too large for the IO buffer");
    await this.e.write(n, concat(nonce, new Uint8Array(16 - nonce.length), aad, msg));
    const st = await this.call("aead_seal", this.ctx, n, a, aad.length, p, msg.length, t);
    return st === 0 ? this.e.read(p, msg.length + 16) : st;
  }
  // One-shot open: returns [status, buffer after the call].
  async open(nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array, tag: Uint8Array): Promise<[number, Uint8Array]> {
    const n = this.data, a = n + 16, p = a + aad.length, t = p + ct.length;
    assert.ok(t + 16 <= this.data + this.cap, "case too large for the IO buffer");
    await this.e.write(n, concat(nonce, new Uint8Array(16 - nonce.length), aad, ct, tag));
    const st = await this.call("aead_open", this.ctx, n, a, aad.length, p, ct.length, t);
    return [st, await this.e.read(p, ct.length)];
  }
  // Incremental: AAD and data fed in the given chunk sizes.
  async run(dir: "encrypt" | "decrypt", nonce: Uint8Array, aad: Uint8Array, aadCuts: number[], data: Uint8Array, cuts: number[]): Promise<Uint8Array> {
    await this.e.write(this.data, nonce);
    assert.equal(await this.call("aead_start", this.ctx, this.data), 0);
    for (const c of split(aad, aadCuts)) {
      await this.e.write(this.data, c);
      assert.equal(await this.call("aead_aad", this.ctx, this.data, c.length), 0);
    }
    const out: Uint8Array[] = [];
    for (const c of split(data, cuts)) {
      await this.e.write(this.data, c);
      assert.equal(await this.call(`aead_${dir}`, this.ctx, this.data, c.length), 0);
      out.push(await this.e.read(this.data, c.length));
    }
    return concat(...out);
  }
  async tag(): Promise<Uint8Array> {
    assert.equal(await this.call("aead_tag", this.ctx, this.data), 0);
    return this.e.read(this.data, 16);
  }
  async checkTag(tag: Uint8Array): Promise<number> {
    await this.e.write(this.data, tag);
    return this.call("aead_check_tag", this.ctx, this.data);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

// Splits b into pieces of the given sizes (cycled); the last takes the rest.
function split(b: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0, i = 0; off < b.length; i++) {
    const n = Math.max(1, sizes.length ? sizes[i % sizes.length] : b.length);
    out.push(b.subarray(off, off + n));
    off += n;
  }
  return out;
}

// Random chunk sizes from a seed: a mix of tiny, block-straddling and large.
function cutsFrom(seed: number, max: number): number[] {
  const r = rng(32, seed);
  return Array.from(r, (x, i) => (i % 4 === 3 ? (x % max) + 1 : (x % 37) + 1));
}

function noble(suite: number, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  return suite === CHACHA ? chacha20poly1305(key, nonce, aad) : gcm(key, nonce, aad);
}

// ---- Wycheproof -------------------------------------------------------------
interface Case { suite: number; t: WycheproofTest }
interface Loaded { cases: Case[]; skipped: Map<string, number> }

function loadVectors(): Loaded | undefined {
  const out: Loaded = { cases: [], skipped: new Map() };
  const skip = (why: string, n: number) => out.skipped.set(why, (out.skipped.get(why) ?? 0) + n);
  for (const [file, chacha] of [["aes_gcm_test.json", false], ["chacha20_poly1305_test.json", true]] as const) {
    const w = wycheproof(file);
    if (!w) return undefined;
    for (const g of w.testGroups) {
      const iv = g.ivSize as number, ks = g.keySize as number, ts = g.tagSize as number;
      const suite = chacha ? CHACHA : ks === 128 ? AES128GCM : ks === 256 ? AES256GCM : 0;
      if (iv !== 96) { skip(`${file}: ${iv}-bit IV (TLS 1.3 uses 96)`, g.tests.length); continue; }
      if (ts !== 128) { skip(`${file}: ${ts}-bit tag (TLS 1.3 uses 128)`, g.tests.length); continue; }
      if (!suite) { skip(`${file}: AES-${ks} (not a TLS 1.3 suite)`, g.tests.length); continue; }
      for (const t of g.tests) {
        if (t.result === "acceptable") { skip(`${file}: result "acceptable"`, 1); continue; }
        out.cases.push({ suite, t });
      }
    }
  }
  return out;
}

async function runCase(m: Aead, { suite, t }: Case): Promise<void> {
  const key = unhex(t.key as string), iv = unhex(t.iv as string), aad = unhex(t.aad as string);
  const msg = unhex(t.msg as string), ct = unhex(t.ct as string), tag = unhex(t.tag as string);
  const what = `tcId ${t.tcId} (${t.comment || t.flags.join(",")})`;
  assert.equal(await m.setKey(suite, key), 0, what);
  if (t.result === "valid") {
    assert.equal(hex(await m.seal(iv, aad, msg) as Uint8Array), hex(concat(ct, tag)), `seal ${what}`);
    const [st, pt] = await m.open(iv, aad, ct, tag);
    assert.equal(st, 0, `open ${what}`);
    assert.equal(hex(pt), hex(msg), `open ${what}`);
  } else {
    const [st, pt] = await m.open(iv, aad, ct, tag);
    assert.equal(st, ERR_AEAD_TAG, `open must fail: ${what}`);
    assert.ok(pt.every((b) => b === 0), `output wiped: ${what}`);
  }
}

const vectors = loadVectors();
if (vectors) {
  for (const [why, n] of vectors.skipped) console.log(`SKIP ${n} Wycheproof cases: ${why}`);
}

for (const name of ENGINES) {
  describe(`aead on ${name}`, () => {
    let engine: Engine, m: Aead;
    before(async () => { engine = await openEngine(name as EngineName); m = await new Aead(engine).init(); });
    after(() => engine.close());

    const qemu = name === "wasm3-qemu";
    test("Wycheproof AES-GCM and ChaCha20-Poly1305", { skip: !vectors && "vectors not found" }, async () => {
      let cases = vectors!.cases;
      // On the emulator (slow): the first 8 valid and 4 invalid cases of each suite.
      if (qemu) {
        cases = [AES128GCM, AES256GCM, CHACHA].flatMap((s) => [
          ...cases.filter((c) => c.suite === s && c.t.result === "valid").slice(0, 8),
          ...cases.filter((c) => c.suite === s && c.t.result === "invalid").slice(0, 4),
        ]);
      }
      let valid = 0, invalid = 0;
      for (const c of cases) {
        await runCase(m, c);
        if (c.t.result === "valid") valid++; else invalid++;
      }
      const skipped = [...vectors!.skipped.values()].reduce((a, b) => a + b, 0);
      console.log(`${name}: Wycheproof ${valid} valid + ${invalid} invalid cases passed, ${skipped} skipped (not run)`);
      assert.ok(valid >= (qemu ? 24 : 300) && invalid >= (qemu ? 12 : 100));
    });

    for (const suite of [AES128GCM, AES256GCM, CHACHA]) {
      test(`suite ${suite}: random cases against @noble/ciphers, chunked == whole, in place`, async () => {
        const rounds = qemu ? 2 : 12;
        for (let k = 0; k < rounds; k++) {
          const seed = suite * 1000 + k;
          const r = rng(8, seed);
          const key = rng(suite === AES128GCM ? 16 : 32, seed + 1), nonce = rng(12, seed + 2);
          const aad = k % 3 === 0 ? new Uint8Array(0) : rng(r[0] % 45, seed + 3);
          const msg = rng(k === 1 ? 0 : (r[1] | (r[2] << 8)) % 1500, seed + 4);
          const want = noble(suite, key, nonce, aad).encrypt(msg);
          const what = `seed ${seed}: aad ${aad.length}, msg ${msg.length}`;
          assert.equal(await m.setKey(suite, key), 0);
          // whole
          assert.equal(hex(await m.seal(nonce, aad, msg) as Uint8Array), hex(want), `seal ${what}`);
          // chunked encrypt
          const ct = await m.run("encrypt", nonce, aad, cutsFrom(seed + 5, 20), msg, cutsFrom(seed + 6, 300));
          assert.equal(hex(concat(ct, await m.tag())), hex(want), `chunked encrypt ${what}`);
          // chunked decrypt, tag checked after the data
          const tag = want.subarray(msg.length);
          const pt = await m.run("decrypt", nonce, aad, cutsFrom(seed + 7, 20), want.subarray(0, msg.length), cutsFrom(seed + 8, 300));
          assert.equal(await m.checkTag(tag), 0, `check tag ${what}`);
          assert.equal(hex(pt), hex(msg), `chunked decrypt ${what}`);
          // tampered tag and ciphertext are rejected
          const badTag = tag.slice(); badTag[r[3] % 16] ^= 1 << (r[4] & 7);
          await m.run("decrypt", nonce, aad, [], want.subarray(0, msg.length), []);
          assert.equal(await m.checkTag(badTag), ERR_AEAD_TAG, `bad tag ${what}`);
          if (msg.length) {
            const badCt = want.slice(0, msg.length); badCt[r[5] % msg.length] ^= 0x80;
            const [st, out] = await m.open(nonce, aad, badCt, tag);
            assert.equal(st, ERR_AEAD_TAG, `bad ct ${what}`);
            assert.ok(out.every((b) => b === 0), `wiped ${what}`);
          }
          if (aad.length) {
            const badAad = aad.slice(); badAad[0] ^= 4;
            const [st] = await m.open(nonce, badAad, want.subarray(0, msg.length), tag);
            assert.equal(st, ERR_AEAD_TAG, `bad aad ${what}`);
          }
        }
      });
    }

    test("TLS-shaped records: 5-byte AAD, sizes around block and keystream edges", async () => {
      for (const suite of [AES128GCM, CHACHA]) {
        const key = rng(suite === CHACHA ? 32 : 16, suite);
        assert.equal(await m.setKey(suite, key), 0);
        for (const n of qemu ? [0, 17, 64] : [0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 1024]) {
          const nonce = rng(12, n + 50), aad = Uint8Array.of(23, 3, 3, (n + 17) >> 8, (n + 17) & 255);
          const msg = rng(n, n + 60);
          const want = noble(suite, key, nonce, aad).encrypt(msg);
          assert.equal(hex(await m.seal(nonce, aad, msg) as Uint8Array), hex(want), `suite ${suite} n ${n}`);
        }
      }
    });

    test("call order, suite and pointer errors are codes, not traps", async () => {
      assert.equal(await m.call("aead_key_len", AES128GCM), 16);
      assert.equal(await m.call("aead_key_len", CHACHA), 32);
      assert.equal(await m.call("aead_key_len", 9), ERR_AEAD_SUITE);
      assert.equal(await m.setKey(0, new Uint8Array(32)), ERR_AEAD_SUITE);
      assert.equal(await m.setKey(4, new Uint8Array(32)), ERR_AEAD_SUITE);
      // a wiped context is not keyed
      await engine.write(m.ctx, new Uint8Array(64));
      assert.equal(await m.call("aead_start", m.ctx, m.data), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_encrypt", m.ctx, m.data, 4), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_tag", m.ctx, m.data), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_check_tag", m.ctx, m.data), ERR_AEAD_TAG);
      // keyed but no nonce yet
      assert.equal(await m.setKey(AES256GCM, rng(32, 1)), 0);
      assert.equal(await m.call("aead_aad", m.ctx, m.data, 4), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_decrypt", m.ctx, m.data, 4), ERR_AEAD_STATE);
      // AAD after data, data after the tag
      assert.equal(await m.call("aead_start", m.ctx, m.data), 0);
      assert.equal(await m.call("aead_encrypt", m.ctx, m.data + 16, 4), 0);
      assert.equal(await m.call("aead_aad", m.ctx, m.data, 4), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_tag", m.ctx, m.data), 0);
      assert.equal(await m.call("aead_encrypt", m.ctx, m.data, 4), ERR_AEAD_STATE);
      assert.equal(await m.call("aead_tag", m.ctx, m.data), ERR_AEAD_STATE);
      // garbage in the context's state fields
      await engine.write(m.ctx, Uint8Array.of(3, 0, 0, 0, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f));
      assert.equal(await m.call("aead_encrypt", m.ctx, m.data, 4), ERR_AEAD_STATE);
      // pointers outside memory
      const top = 1 << 16;
      assert.equal(await m.call("aead_init", AES128GCM, top - 8, m.key), ERR_BAD_POINTER);
      assert.equal(await m.call("aead_init", AES128GCM, 0, m.key), ERR_BAD_POINTER);
      assert.equal(await m.call("aead_encrypt", m.ctx, top - 4, 8), ERR_BAD_POINTER);
      assert.equal(await m.call("aead_encrypt", m.ctx, m.data, -1), ERR_BAD_POINTER);
      assert.equal(await m.call("aead_seal", m.ctx, m.data, m.data, 0, m.data, 16, top - 15), ERR_BAD_POINTER);
      assert.equal(await m.call("aead_open", m.ctx, m.data, top, 1, m.data, 16, m.data), ERR_BAD_POINTER);
    });
  });
}
