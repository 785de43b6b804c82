// The second engine (issue 8): the release module translated ahead of time by
// wasm2c and compiled into the native board and the mps2-an386 firmware
// (make ENGINE=wasm2c native mps2; make native-wasm2c-traps), driven through
// the same test shell as wasm3: SHA-256 against @noble/hashes, Wycheproof
// X25519 and AES-GCM samples, bad pointers, the runtime's traps (a small
// module of its own), the firmware main, memory figures, and the emulated
// instruction counts of both engines side by side.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { sha256 } from "@noble/hashes/sha2.js";
import { x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import {
  ROOT, RELEASE_WASM, nativeBoard, qemuBoard, runMain, ShellEngine, type Engine,
  NATIVE_BOARD_WASM2C, MPS2_FIRMWARE_WASM2C, MPS2_FIRMWARE,
} from "../host/node/engine.ts";
import { Module } from "./lib/module.ts";
import { rng, hex, unhex } from "./lib/util.ts";
import { wycheproof } from "./lib/vectors.ts";

const BUILD = "make ENGINE=wasm2c native mps2 && make native-wasm2c-traps";
const TRAPS_BOARD = path.join(ROOT, "build/native-wasm2c-traps/board");
const TRAPS_WASM = path.join(ROOT, "build/wasm2c-traps/traps.wasm");
const LINEAR = 24576;
const AES128GCM = 1, AES256GCM = 2, ERR_AEAD_TAG = -20;

// The translation must be of the current build/release.wasm (the firmware
// cannot check it; the native board refuses another module): compare the
// size and FNV-1a the export table records with the file.
function staleTranslation(): string | false {
  const table = path.join(ROOT, "build/wasm2c/exports.c");
  if (!existsSync(table) || !existsSync(RELEASE_WASM)) return false;
  const m = /w2c_module_bytes = (\d+)u, w2c_module_fnv = 0x([0-9a-f]+)u/.exec(readFileSync(table, "utf8"));
  const w = readFileSync(RELEASE_WASM);
  let h = 0x811c9dc5;
  for (const b of w) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return m && (+m[1] !== w.length || parseInt(m[2], 16) !== h) ? `the wasm2c build translates another module than ${RELEASE_WASM} (${BUILD})` : false;
}
const STALE = staleTranslation();

const boards = [
  { name: "native", bin: NATIVE_BOARD_WASM2C, open: () => nativeBoard({ engine: "wasm2c" }) },
  { name: "mps2-an386", bin: MPS2_FIRMWARE_WASM2C, open: () => qemuBoard({ engine: "wasm2c" }) },
] as const;

const x25519Cases = (wycheproof("x25519_test.json")?.testGroups.flatMap((g) => g.tests) ?? []);
const gcmCases = (wycheproof("aes_gcm_test.json")?.testGroups ?? [])
  .filter((g) => (g.keySize === 128 || g.keySize === 256) && g.ivSize === 96 && g.tagSize === 128)
  .flatMap((g) => g.tests.map((t) => ({ suite: g.keySize === 128 ? AES128GCM : AES256GCM, t })));

function pattern(n: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 7 + 3) & 255;
  return d;
}

for (const b of boards) {
  const missing = (!existsSync(b.bin) && `${b.bin} not built (${BUILD})`) || STALE;
  describe(`wasm2c on ${b.name}`, { skip: missing }, () => {
    let e: Engine, m: Module, io = 0;
    before(async () => { e = await b.open(); m = await new Module(e).init(); io = Number((await e.call("io_buffer")).value); });
    after(() => e?.close());

    test("SHA-256 digests match @noble/hashes", async () => {
      for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 5000]) {
        const data = rng(n, n + 17);
        assert.equal(hex(await m.sha256([data])), hex(sha256(data)), `length ${n}`);
      }
    });

    test("a bad pointer is an error code, not a trap", async () => {
      assert.equal((await e.call("sha256_update", 16, 0xfffff0, 64)).value, -1);
      assert.equal((await e.call("sha256_init", 0)).value, -1);
      assert.equal((await e.call("sha256_update", io, LINEAR - 8, 64)).value, -1);
    });

    test("Wycheproof x25519_test.json (first 24 cases)", { skip: x25519Cases.length === 0 && "vectors not found" }, async () => {
      let n = 0;
      for (const t of x25519Cases.slice(0, 24)) {
        await e.write(io + 32, unhex(t.private as string));
        await e.write(io + 64, unhex(t.public as string));
        const st = Number((await e.call("x25519", io, io + 32, io + 64)).value);
        const want = t.shared as string;
        if (st === 0) { assert.equal(hex(await e.read(io, 32)), want, `tcId ${t.tcId}`); n++; }
        else assert.ok(/^0+$/.test(want), `tcId ${t.tcId}: status ${st}`);
      }
      assert.ok(n > 0);
    });

    test("Wycheproof aes_gcm_test.json (first 12 cases), tampered tag rejected", { skip: gcmCases.length === 0 && "vectors not found" }, async () => {
      const ctx = io, key = io + 1024, n = io + 1088;
      for (const { suite, t } of gcmCases.slice(0, 12)) {
        const aad = unhex(t.aad as string), msg = unhex(t.msg as string), ct = unhex(t.ct as string), tag = unhex(t.tag as string);
        await e.write(key, unhex(t.key as string));
        assert.equal((await e.call("aead_init", suite, ctx, key)).value, 0);
        const a = n + 16, p = a + aad.length, tg = p + msg.length;
        await e.write(n, new Uint8Array([...unhex(t.iv as string), 0, 0, 0, 0, ...aad, ...msg]));
        const st = Number((await e.call("aead_seal", ctx, n, a, aad.length, p, msg.length, tg)).value);
        assert.equal(st, 0, `tcId ${t.tcId}`);
        const out = await e.read(p, msg.length + 16);
        const same = hex(out) === hex(new Uint8Array([...ct, ...tag]));
        assert.equal(same, t.result === "valid", `tcId ${t.tcId} (${t.result})`);
        if (t.result === "valid") {
          await e.write(p, new Uint8Array([...ct, ...tag.map((x, i) => (i === 0 ? x ^ 1 : x))]));
          assert.equal(Number((await e.call("aead_open", ctx, n, a, aad.length, p, ct.length, tg)).value), ERR_AEAD_TAG);
        }
      }
    });

    test("test shell: bad requests, figures", async () => {
      await assert.rejects(e.call("no_such_export"), /function lookup failed/);
      await assert.rejects(e.call("io_size", 1), /argument count/);
      await assert.rejects(e.read(LINEAR - 4, 8), /out of bounds/);
      await assert.rejects(e.write(0, new Uint8Array([1])), /out of bounds/);
      const s = await e.stats();
      assert.equal(s.linear, LINEAR);
      assert.equal(s.heap, 0);
      assert.ok(s.functions > 100 && s.compiled_functions === s.functions, JSON.stringify(s));
      assert.ok(s.aot_text > 0);
      if (b.name === "mps2-an386") {
        assert.ok(s.static >= LINEAR && s.static + s.stack_peak < 131072, JSON.stringify(s));
      }
    });
  });

  describe(`wasm2c main on ${b.name}`, { skip: missing }, () => {
    test("runs the workload, every digest matches, RAM inside 128 KB", async () => {
      const run = await runMain({ board: b.name, engine: "wasm2c", timeoutMs: 120_000 });
      assert.equal(run.exit, 0, run.lines.join("\n"));
      const digests = run.lines.map((l) => /^sha256 pattern (\d+) ([0-9a-f]{64})$/.exec(l)).filter((x) => x !== null);
      assert.equal(digests.length, 8);
      for (const d of digests) assert.equal(d![2], hex(sha256(pattern(+d![1]))), `pattern ${d![1]}`);
      const s = run.stats;
      assert.equal(s.linear, LINEAR);
      assert.equal(s.heap_peak, 0);
      if (b.name === "mps2-an386") {
        const total = s.static + s.heap_brk + s.stack_peak;
        assert.ok(total < 131072, `RAM ${total} B exceeds 128 KB`);
        assert.ok(s.stack_peak > 0 && s.stack_peak < 8192, `stack ${s.stack_peak}`);
      }
    });
  });
}

describe("wasm2c runtime traps (build/native-wasm2c-traps)", { skip: !existsSync(TRAPS_BOARD) && `not built (${BUILD})` }, () => {
  let e: ShellEngine;
  before(async () => { e = await new ShellEngine("wasm2c-traps", TRAPS_BOARD, ["--rpc", TRAPS_WASM]).ready(); });
  after(() => e?.close());
  const OOB = /out of bounds memory access/;

  test("linear memory is the 24 KB budget: memory.size says 1 page, grow fails, past the budget traps", async () => {
    assert.equal((await e.call("size")).value, 1);
    assert.equal((await e.call("grow", 0)).value, 1);
    assert.equal((await e.call("grow", 1)).value, -1);
    assert.equal((await e.call("load", LINEAR - 4)).value, 0);
    await e.call("store8", LINEAR - 1, 0x5a);
    assert.equal(hex(await e.read(LINEAR - 1, 1)), "5a");
    await assert.rejects(e.call("load", LINEAR - 3), OOB);
    await assert.rejects(e.call("load", 65532), OOB);
    await assert.rejects(e.call("store8", LINEAR, 1), OOB);
    await assert.rejects(e.call("fill", LINEAR - 8, 1, 9), OOB);
  });

  test("arithmetic, unreachable and call depth trap with wasm3's messages; the next call works", async () => {
    await assert.rejects(e.call("div", 1, 0), /integer divide by zero/);
    await assert.rejects(e.call("div", -2147483648, -1), /integer overflow/);
    assert.equal((await e.call("div", -7, 2)).value, -3);
    await assert.rejects(e.call("unreachable"), /unreachable executed/);
    assert.equal((await e.call("deep", 200)).value, 200);
    await assert.rejects(e.call("deep", 100000), /stack overflow/);
    assert.equal((await e.call("deep", 3)).value, 3);
    assert.equal((await e.call("wide", -5)).value, -15);
  });

  test("imports check pointers as wasm3 does (offset 0 and past the end trap)", async () => {
    await assert.rejects(e.call("log", 0, 1), OOB);
    await assert.rejects(e.call("log", LINEAR - 4, 5), OOB);
    await e.call("log", 100, 0);
    await e.call("random", LINEAR - 6, 6);
    await assert.rejects(e.call("random", LINEAR - 6, 7), OOB);
    await e.call("random", 0, -1);   // a negative length does nothing
  });

  test("the native board refuses a module other than the one translated", async () => {
    const other = new ShellEngine("wasm2c-native", NATIVE_BOARD_WASM2C, ["--rpc", TRAPS_WASM]);
    await assert.rejects(other.ready(), /not the module translated/);
  });
});

// Emulated instructions (QEMU icount) of the same calls on both engines.
describe("wasm2c vs wasm3 on mps2-an386 (QEMU icount)", { skip: ((!existsSync(MPS2_FIRMWARE_WASM2C) || !existsSync(MPS2_FIRMWARE)) && "both firmwares needed") || STALE }, () => {
  test("SHA-256, X25519, P-256 ECDSA verify: wasm2c needs far fewer instructions", async (t) => {
    const figures: Record<string, Record<string, number>> = {};
    const h = sha256(new TextEncoder().encode("bench"));
    const k = p256.utils.randomSecretKey();
    const pub = p256.getPublicKey(k, false), sig = p256.sign(h, k, { prehash: false });
    const sk = new Uint8Array(32).fill(5), peer = nobleX25519.getPublicKey(new Uint8Array(32).fill(6));
    for (const engine of ["wasm3", "wasm2c"] as const) {
      const f: Record<string, number> = {};
      // One board per operation, as tools/bench.ts does (wasm3 compiles lazily:
      // the second call is the steady figure).
      const run = async (label: string, setup: (e: Engine, io: number) => Promise<number[]>, fn: string, check?: number) => {
        const q = await qemuBoard({ icount: true, engine });
        try {
          const io = Number((await q.call("io_buffer")).value);
          const args = await setup(q, io);
          await q.call(fn, ...args);
          const r = await q.call(fn, ...args);
          if (check !== undefined) assert.equal(r.value, check, `${engine} ${fn}`);
          f[label] = r.instructions;
          if (label === "ecdsa") f.stack_peak = (await q.stats()).stack_peak;
        } finally { await q.close(); }
      };
      await run("sha256_block", async (q, io) => {
        await q.call("sha256_init", io);
        await q.write(io + 256, new Uint8Array(64 * 16).fill(3));
        return [io, io + 256, 64 * 16];
      }, "sha256_update", 0);
      f.sha256_block = Math.round(f.sha256_block / 16);
      await run("x25519", async (q, io) => { await q.write(io + 1024, sk); await q.write(io + 1056, peer); return [io + 2048, io + 1024, io + 1056]; }, "x25519", 0);
      await run("ecdsa", async (q, io) => {
        await q.write(io, pub); await q.write(io + 128, h); await q.write(io + 192, sig);
        return [1, io, 65, io + 128, 32, io + 192, 64];
      }, "ecdsa_verify", 0);
      figures[engine] = f;
    }
    for (const key of ["sha256_block", "x25519", "ecdsa"]) {
      const a = figures.wasm3[key], c = figures.wasm2c[key];
      t.diagnostic(`${key}: wasm3 ${a.toLocaleString("en-US")} wasm2c ${c.toLocaleString("en-US")} instructions (${(a / c).toFixed(1)}x)`);
      assert.ok(c * 5 < a, `${key}: wasm2c ${c} vs wasm3 ${a}`);
    }
    t.diagnostic(`stack peak after ECDSA verify: wasm3 ${figures.wasm3.stack_peak} B, wasm2c ${figures.wasm2c.stack_peak} B`);
  });
});
