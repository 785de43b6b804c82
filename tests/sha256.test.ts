// SHA-256 in the release module against @noble/hashes, on every engine.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { sha256 } from "@noble/hashes/sha2.js";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { Module } from "./lib/module.ts";
import { rng, hex, ENGINES } from "./lib/util.ts";

const FIXED = [0, 1, 55, 56, 63, 64, 65, 1000];

for (const name of ENGINES) {
  describe(`sha256 on ${name}`, () => {
    let engine: Engine, m: Module;
    before(async () => { engine = await openEngine(name as EngineName); m = await new Module(engine).init(); });
    after(() => engine.close());

    for (const n of FIXED) {
      test(`length ${n}`, async () => {
        const data = rng(n, n);
        assert.equal(hex(await m.sha256([data])), hex(sha256(data)));
      });
    }

    test("1 MiB", async () => {
      const data = rng(1 << 20, 7);
      assert.equal(hex(await m.sha256([data])), hex(sha256(data)));
    });

    test("random lengths in random chunks", async () => {
      const r = rng(64, 99);
      for (let k = 0; k < 12; k++) {
        const data = rng(r[k] * 13 + (r[k + 12] & 7), 1000 + k);
        const chunks: Uint8Array[] = [];
        for (let off = 0, i = 0; off < data.length; i++) {
          const len = Math.min(data.length - off, (r[(k + i) % 64] % 97) + (i & 1));
          chunks.push(data.subarray(off, off + len));
          off += len;
        }
        assert.equal(hex(await m.sha256(chunks)), hex(sha256(data)), `case ${k}, ${data.length} bytes`);
      }
    });

    test("a bad pointer is an error code, not a trap", async () => {
      const r = await engine.call("sha256_update", 16, 0xfffff0, 64);
      assert.equal(r.value, -1);
      const r2 = await engine.call("sha256_init", 0);
      assert.equal(r2.value, -1);
    });
  });
}
