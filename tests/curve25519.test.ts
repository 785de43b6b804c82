// X25519 (RFC 7748) and Ed25519 verification (RFC 8032) in the release module:
// RFC vectors, Wycheproof, random cross-checks with @noble/curves, on every
// engine (Wycheproof in full on v8 and wasm3-native, a subset on wasm3-qemu,
// where each X25519 costs ~23 M emulated instructions).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { rng, hex, unhex, ENGINES } from "./lib/util.ts";
import { wycheproof } from "./lib/vectors.ts";

const ERR_BAD_POINTER = -1;
const ERR_X25519_ZERO = -24;

// Wycheproof x25519_test.json cases whose shared secret is all zeros (low-order
// public keys, flag ZeroSharedSecret). Wycheproof calls them "acceptable";
// TLS 1.3 (RFC 8446 7.4.2) requires the all-zero check, so they are rejected.
const X25519_ZERO_CASES = [32, 33, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80,
  81, 82, 83, 84, 85, 86, 117, 118, 154, 165, 166];

// A few X25519 cases for the emulated board: normal, twist, non-canonical u,
// u with bit 255 set, edge-case private keys, all-zero results.
const X25519_QEMU_SUBSET = new Set([1, 2, 32, 34, 66, 89, 104, 118, 154, 169, 246]);

const x25519Cases = wycheproof("x25519_test.json")?.testGroups.flatMap((g) => g.tests) ?? [];

class Curve {
  io = 0;
  constructor(readonly e: Engine) {}
  async init(): Promise<this> { this.io = Number((await this.e.call("io_buffer")).value); return this; }

  // [status, 32-byte result]
  async x25519(scalar: Uint8Array, u: Uint8Array): Promise<[number, Uint8Array, number]> {
    const out = this.io, k = this.io + 32, p = this.io + 64;
    await this.e.write(k, scalar);
    await this.e.write(p, u);
    const r = await this.e.call("x25519", out, k, p);
    return [Number(r.value), await this.e.read(out, 32), r.instructions];
  }
  async x25519Base(scalar: Uint8Array): Promise<[number, Uint8Array]> {
    await this.e.write(this.io + 32, scalar);
    const r = await this.e.call("x25519_base", this.io, this.io + 32);
    return [Number(r.value), await this.e.read(this.io, 32)];
  }
}

for (const name of ENGINES) {
  const qemu = name === "wasm3-qemu";
  describe(`x25519 on ${name}`, () => {
    let engine: Engine, c: Curve;
    // icount makes the emulated board's instruction counts exact (compute only).
    before(async () => { engine = await openEngine(name as EngineName, { icount: qemu }); c = await new Curve(engine).init(); });
    after(() => engine.close());

    test("RFC 7748 5.2 vectors", async () => {
      const v = [
        ["a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
          "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
          "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"],
        ["4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
          "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
          "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"],
      ];
      for (const [k, u, want] of v) {
        const [st, out] = await c.x25519(unhex(k), unhex(u));
        assert.equal(st, 0);
        assert.equal(hex(out), want);
      }
    });

    test("RFC 7748 5.2 iterated", async () => {
      // k, u = X25519(k, u), k
      let k = unhex("0900000000000000000000000000000000000000000000000000000000000000"), u = k;
      const want: Record<number, string> = {
        1: "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079",
        1000: "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51",
      };
      const iterations = qemu ? 1 : 1000;
      for (let i = 1; i <= iterations; i++) {
        const [st, out] = await c.x25519(k, u);
        assert.equal(st, 0);
        u = k; k = out;
        if (want[i]) assert.equal(hex(k), want[i], `after ${i} iterations`);
      }
    });

    test("RFC 7748 6.1 Diffie-Hellman", async () => {
      const a = unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
      const b = unhex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
      const [s1, pa] = await c.x25519Base(a);
      const [s2, pb] = await c.x25519Base(b);
      assert.equal(s1, 0); assert.equal(s2, 0);
      assert.equal(hex(pa), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
      assert.equal(hex(pb), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
      const [, k1] = await c.x25519(a, pb);
      const [, k2] = await c.x25519(b, pa);
      assert.equal(hex(k1), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
      assert.equal(hex(k2), hex(k1));
    });

    test("Wycheproof x25519_test.json" + (qemu ? " (subset)" : ""), { skip: x25519Cases.length === 0 && "vectors not found" }, async () => {
      const rejected: number[] = [];
      let checked = 0;
      for (const t of x25519Cases) {
        if (qemu && !X25519_QEMU_SUBSET.has(t.tcId)) continue;
        const [st, out] = await c.x25519(unhex(t.private as string), unhex(t.public as string));
        const zero = /^0+$/.test(t.shared as string);
        const what = `tcId ${t.tcId} (${t.result}, ${t.flags.join(",")})`;
        assert.notEqual(t.result, "invalid", `${what}: no invalid X25519 cases expected`);
        if (zero) {
          assert.equal(st, ERR_X25519_ZERO, what);
          rejected.push(t.tcId);
        } else {
          assert.equal(st, 0, what);
          assert.equal(hex(out), t.shared, what);
        }
        checked++;
      }
      if (qemu) {
        assert.equal(checked, X25519_QEMU_SUBSET.size);
        assert.deepEqual(rejected, X25519_ZERO_CASES.filter((id) => X25519_QEMU_SUBSET.has(id)));
      } else {
        assert.equal(checked, 518);
        assert.deepEqual(rejected, X25519_ZERO_CASES);
      }
    });

    test("random keys agree with @noble/curves", async () => {
      const n = qemu ? 2 : 40;
      for (let i = 0; i < n; i++) {
        const a = rng(32, 7000 + i), b = rng(32, 8000 + i);
        const pb = nobleX25519.getPublicKey(b);
        const [st, pub] = await c.x25519Base(a);
        assert.equal(st, 0);
        assert.equal(hex(pub), hex(nobleX25519.getPublicKey(a)), `public key ${i}`);
        const [st2, shared] = await c.x25519(a, pb);
        assert.equal(st2, 0);
        assert.equal(hex(shared), hex(nobleX25519.getSharedSecret(a, pb)), `shared secret ${i}`);
      }
    });

    test("u with bit 255 set equals u without it", async () => {
      const k = rng(32, 1), u = nobleX25519.getPublicKey(rng(32, 2));
      const u2 = u.slice(); u2[31] |= 0x80;
      const [, a] = await c.x25519(k, u);
      const [, b] = await c.x25519(k, u2);
      assert.equal(hex(b), hex(a));
    });

    test("in place: out may be the scalar or the point", async () => {
      const k = rng(32, 3), u = nobleX25519.getPublicKey(rng(32, 4));
      const want = hex(nobleX25519.getSharedSecret(k, u));
      await engine.write(c.io + 32, k);
      await engine.write(c.io + 64, u);
      assert.equal((await engine.call("x25519", c.io + 64, c.io + 32, c.io + 64)).value, 0);
      assert.equal(hex(await engine.read(c.io + 64, 32)), want);
      await engine.write(c.io + 64, u);
      assert.equal((await engine.call("x25519", c.io + 32, c.io + 32, c.io + 64)).value, 0);
      assert.equal(hex(await engine.read(c.io + 32, 32)), want);
    });

    test("bad pointers are an error code, not a trap", async () => {
      for (const args of [[0, c.io, c.io], [c.io, 0xfffff0, c.io], [c.io, c.io, 0x7fffffff]]) {
        assert.equal((await engine.call("x25519", ...args)).value, ERR_BAD_POINTER);
      }
      assert.equal((await engine.call("x25519_base", c.io, 0)).value, ERR_BAD_POINTER);
    });

    if (qemu) {
      test("one X25519 stays under 50 M emulated instructions", async () => {
        const [, , n] = await c.x25519(rng(32, 5), nobleX25519.getPublicKey(rng(32, 6)));
        console.log(`x25519 on wasm3-qemu: ${n} emulated instructions`);
        assert.ok(n > 0 && n <= 50e6, `${n}`);
      });
    }
  });
}
