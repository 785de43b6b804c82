// make demo: the firmware on the emulated board (or the native one), its
// serial log shown as it runs, then a summary. Until the telemetry app lands,
// the workload is SHA-256, each digest checked against @noble/hashes.
import { sha256 } from "@noble/hashes/sha2.js";
import { runMain } from "../host/node/engine.ts";

const board = (process.argv[process.argv.indexOf("--board") + 1] ?? "mps2-an386") as "native" | "mps2-an386";
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function pattern(n: number): Uint8Array {
  const d = new Uint8Array(n);
  for (let i = 0; i < n; i++) d[i] = (i * 7 + 3) & 255;
  return d;
}

console.log(`== demo on ${board === "native" ? "the native board (wasm3 in a Linux process)" : "the emulated Cortex-M4 (QEMU mps2-an386, 128 KB RAM)"} ==`);
const run = await runMain({ board, onLine: (l) => console.log(`  | ${l}`), timeoutMs: 120_000 });
let checked = 0, wrong = 0;
for (const l of run.lines) {
  const m = /^sha256 pattern (\d+) ([0-9a-f]{64})$/.exec(l);
  if (!m) continue;
  checked++;
  if (hex(sha256(pattern(+m[1]))) !== m[2]) { wrong++; console.log(`MISMATCH for ${m[1]} bytes`); }
}
const s = run.stats;
console.log("== summary ==");
console.log(`digests checked against @noble/hashes: ${checked}, wrong: ${wrong}`);
if (s.heap_peak !== undefined) {
  const heap = s.heap_brk || s.heap_peak;
  console.log(`Wasm code ${s.code} B -> wasm3 compiled code ${s.compiled} B (${s.compiled_functions}/${s.functions} functions)`);
  console.log(`RAM: linear memory ${s.linear} B, heap peak ${heap} B, stack peak ${s.stack_peak} B, firmware static ${s.static} B` +
    (board === "mps2-an386" ? `, total ${heap + s.stack_peak + s.static} of 131072 B` : ""));
}
process.exit(run.exit === 0 && checked > 0 && wrong === 0 ? 0 : 1);
