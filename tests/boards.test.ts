// The boards themselves: the firmware's main on the native and emulated
// boards (digests checked against @noble/hashes, memory figures inside the
// device budget), and the test shell's handling of bad requests.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { sha256 } from "@noble/hashes/sha2.js";
import { runMain, nativeBoard, qemuBoard } from "../host/node/engine.ts";
import { hex } from "./lib/util.ts";

function pattern(n: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 7 + 3) & 255;
  return d;
}

for (const board of ["native", "mps2-an386"] as const) {
  describe(`main on ${board}`, () => {
    test("runs the workload, every digest matches @noble/hashes", async () => {
      const run = await runMain({ board, timeoutMs: 120_000 });
      assert.equal(run.exit, 0, run.lines.join("\n"));
      const digests = run.lines.map((l) => /^sha256 pattern (\d+) ([0-9a-f]{64})$/.exec(l)).filter((m) => m !== null);
      assert.equal(digests.length, 8);
      for (const m of digests) assert.equal(m![2], hex(sha256(pattern(+m![1]))), `pattern ${m![1]}`);
      assert.ok(digests.some((m) => m![1] === String(1 << 20)), "the 1 MiB case ran");
      if (board === "mps2-an386") {
        const s = run.stats;
        assert.ok(s.compiled > 0 && s.linear === 24576, JSON.stringify(s));
        const total = s.static + (s.heap_brk || s.heap_peak) + s.stack_peak;
        assert.ok(total < 131072, `RAM ${total} B exceeds 128 KB`);
        assert.ok(s.stack_peak > 0 && s.stack_peak < 8192, `stack ${s.stack_peak}`);
      }
    });
  });
}

for (const open of [nativeBoard, qemuBoard]) {
  test(`test shell rejects bad requests (${open.name})`, async () => {
    const e = await open();
    try {
      await assert.rejects(e.call("no_such_export"), /err/);
      await assert.rejects(e.read(0xfffff0, 64), /out of bounds/);
      await assert.rejects(e.write(0, new Uint8Array([1])), /out of bounds/);
      const r = await e.call("io_size");
      assert.equal(r.value, 4096);
      const s = await e.stats();
      assert.equal(s.linear, 24576);
    } finally { await e.close(); }
  });
}
