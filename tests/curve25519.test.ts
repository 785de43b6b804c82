// X25519 (RFC 7748) and Ed25519 verification (RFC 8032) in the release module:
// RFC vectors, Wycheproof, random cross-checks with @noble/curves, on every
// engine (Wycheproof in full on v8 and wasm3-native, a subset on wasm3-qemu,
// where each X25519 costs ~23 M emulated instructions).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { x25519 as nobleX25519, ed25519 as nobleEd25519 } from "@noble/curves/ed25519.js";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { rng, hex, unhex, ENGINES } from "./lib/util.ts";
import { wycheproof } from "./lib/vectors.ts";

const ERR_BAD_POINTER = -1;
const ERR_BAD_ARGUMENT = -2;
const ERR_X25519_ZERO = -24;
const ERR_ED25519_BAD_SIGNATURE = -25;
const ERR_ED25519_BAD_S = -26;
const ERR_ED25519_BAD_KEY = -27;
const ERR_ED25519_BAD_R = -28;

// Wycheproof x25519_test.json cases whose shared secret is all zeros (low-order
// public keys, flag ZeroSharedSecret). Wycheproof calls them "acceptable";
// TLS 1.3 (RFC 8446 7.4.2) requires the all-zero check, so they are rejected.
const X25519_ZERO_CASES = [32, 33, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80,
  81, 82, 83, 84, 85, 86, 117, 118, 154, 165, 166];

// A few X25519 cases for the emulated board: normal, twist, non-canonical u,
// u with bit 255 set, edge-case private keys, all-zero results.
const X25519_QEMU_SUBSET = new Set([1, 2, 32, 34, 66, 89, 104, 118, 154, 169, 246]);

const x25519Cases = wycheproof("x25519_test.json")?.testGroups.flatMap((g) => g.tests) ?? [];

// Ed25519 cases for the emulated board: valid (RFC 8032 / draft KATs, S just
// under L, arithmetic regressions), r/s special values, modified R, S + L,
// S just over L, a truncated signature, R with y = 1 and the sign bit set.
const ED25519_QEMU_SUBSET = new Set([1, 10, 30, 42, 59, 63, 80, 82, 84, 85, 119, 151]);
const ed25519Cases = wycheproof("ed25519_test.json")?.testGroups.flatMap((g) =>
  g.tests.map((t) => ({ ...t, pk: (g.publicKey as { pk: string }).pk }))) ?? [];

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
  // Status of ed25519_verify; inputs at io (key), io + 32 (signature), io + 128 (message).
  async ed25519Verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<[number, number]> {
    await this.e.write(this.io, pub);
    await this.e.write(this.io + 32, sig.subarray(0, 96));
    if (msg.length) await this.e.write(this.io + 128, msg);
    const r = await this.e.call("ed25519_verify", this.io, this.io + 128, msg.length, this.io + 32, sig.length);
    return [Number(r.value), r.instructions];
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

for (const name of ENGINES) {
  const qemu = name === "wasm3-qemu";
  describe(`ed25519 verify on ${name}`, () => {
    let engine: Engine, c: Curve;
    before(async () => { engine = await openEngine(name as EngineName, { icount: qemu }); c = await new Curve(engine).init(); });
    after(() => engine.close());

    test("Wycheproof ed25519_test.json" + (qemu ? " (subset)" : ""), { skip: ed25519Cases.length === 0 && "vectors not found" }, async () => {
      let valid = 0, invalid = 0;
      for (const t of ed25519Cases) {
        if (qemu && !ED25519_QEMU_SUBSET.has(t.tcId)) continue;
        const sig = unhex(t.sig as string);
        const [st] = await c.ed25519Verify(unhex(t.pk), unhex(t.msg as string), sig);
        const what = `tcId ${t.tcId} (${t.result}, ${t.flags.join(",")}, ${t.comment})`;
        if (t.result === "valid") {
          assert.equal(st, 0, what);
          valid++;
        } else {
          assert.equal(t.result, "invalid", what);
          if (sig.length !== 64) assert.equal(st, ERR_BAD_ARGUMENT, what);
          else assert.ok([ERR_ED25519_BAD_SIGNATURE, ERR_ED25519_BAD_S, ERR_ED25519_BAD_R].includes(st), `${what}: ${st}`);
          invalid++;
        }
      }
      if (!qemu) assert.deepEqual([valid, invalid], [88, 63]);
      else assert.equal(valid + invalid, ED25519_QEMU_SUBSET.size);
    });

    test("signatures from @noble/curves verify; tampered ones do not", async () => {
      const n = qemu ? 1 : 24;
      for (let i = 0; i < n; i++) {
        const sk = rng(32, 9000 + i), msg = rng((i * 37) % 300, 9500 + i);
        const pk = nobleEd25519.getPublicKey(sk), sig = nobleEd25519.sign(msg, sk);
        assert.equal((await c.ed25519Verify(pk, msg, sig))[0], 0, `signature ${i}`);
        const badSig = sig.slice(); badSig[i % 64] ^= 1 << (i % 8);
        assert.notEqual((await c.ed25519Verify(pk, msg, badSig))[0], 0, `tampered signature ${i}`);
        if (msg.length) {
          const badMsg = msg.slice(); badMsg[i % msg.length] ^= 0x80;
          assert.equal((await c.ed25519Verify(pk, badMsg, sig))[0], ERR_ED25519_BAD_SIGNATURE, `tampered message ${i}`);
        }
        const otherPk = nobleEd25519.getPublicKey(rng(32, 9900 + i));
        assert.equal((await c.ed25519Verify(otherPk, msg, sig))[0], ERR_ED25519_BAD_SIGNATURE, `other key ${i}`);
      }
    });

    test("each rejection has its error code", async () => {
      const sk = rng(32, 42), msg = rng(10, 43);
      const pk = nobleEd25519.getPublicKey(sk), sig = nobleEd25519.sign(msg, sk);
      const L = unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
      const P = unhex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
      const withS = (s: Uint8Array) => { const x = sig.slice(); x.set(s, 32); return x; };
      const withR = (r: Uint8Array) => { const x = sig.slice(); x.set(r, 0); return x; };
      assert.equal((await c.ed25519Verify(pk, msg, withS(L)))[0], ERR_ED25519_BAD_S, "S = L");
      assert.equal((await c.ed25519Verify(pk, msg, withS(new Uint8Array(32).fill(0xff))))[0], ERR_ED25519_BAD_S, "S = 2^256 - 1");
      assert.equal((await c.ed25519Verify(pk, msg, withR(P)))[0], ERR_ED25519_BAD_R, "R with y = p");
      const y2 = new Uint8Array(32); y2[0] = 2;  // y = 2: no x on the curve
      const y1neg = new Uint8Array(32); y1neg[0] = 1; y1neg[31] = 0x80;  // x = 0 with the sign bit
      for (const [bad, why] of [[P, "y = p"], [y2, "y = 2 (off the curve)"], [y1neg, "x = 0, sign bit set"]] as const) {
        assert.equal((await c.ed25519Verify(bad, msg, sig))[0], ERR_ED25519_BAD_KEY, `public key ${why}`);
      }
      assert.equal((await c.ed25519Verify(pk, msg, sig))[0], 0, "the untouched signature");
      // Non-canonical y = p + 1 for the key whose canonical y is 1 (the identity).
      const yp1 = P.slice(); yp1[0] += 1;
      assert.equal((await c.ed25519Verify(yp1, msg, sig))[0], ERR_ED25519_BAD_KEY, "public key y = p + 1");
      for (const len of [0, 63, 65]) {
        assert.equal((await c.ed25519Verify(pk, msg, new Uint8Array(len)))[0], ERR_BAD_ARGUMENT, `signature of ${len} bytes`);
      }
    });

    test("bad pointers are an error code, not a trap", async () => {
      const io = c.io;
      for (const args of [[0, io, 0, io, 64], [io, 0xfffff0, 64, io, 64], [io, io, -1, io, 64], [io, io, 0, 0x7fffffff, 64]]) {
        assert.equal((await engine.call("ed25519_verify", ...args)).value, ERR_BAD_POINTER, args.join(","));
      }
    });

    if (qemu) {
      test("one Ed25519 verify (64-byte message) stays under 50 M emulated instructions", async () => {
        const sk = rng(32, 77), msg = rng(64, 78);
        const [st, n] = await c.ed25519Verify(nobleEd25519.getPublicKey(sk), msg, nobleEd25519.sign(msg, sk));
        assert.equal(st, 0);
        console.log(`ed25519 verify on wasm3-qemu: ${n} emulated instructions`);
        assert.ok(n > 0 && n <= 50e6, `${n}`);
      });
    }
  });
}
