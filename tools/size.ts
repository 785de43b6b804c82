// make size: the memory report. Firmware sections as arm-none-eabi-size prints
// them, the Wasm module (code, data, static linear memory, per component),
// and the RAM measured in a real run on the emulated board. Writes
// build/size.json.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import { ROOT, RELEASE_WASM, V8Engine, runMain } from "../host/node/engine.ts";
import { wasmInfo, byComponent } from "./wasm-info.ts";

process.chdir(ROOT);
const RAM_BYTES = 131072;
const asconfig = JSON.parse(readFileSync("asconfig.json", "utf8"));
const budget = asconfig.targets.release.lowMemoryLimit as number;

// 1. firmware sections
// wasm3 (the module in flash, compiled into RAM at run time) and wasm2c (the
// module translated to C ahead of time: code in flash, only linear memory in RAM).
const elfs = ["build/mps2-an386/firmware.elf", "build/microbit-v2/firmware.elf",
  "build/mps2-an386-wasm2c/firmware.elf", "build/microbit-v2-wasm2c/firmware.elf"].filter(existsSync);
const firmware: Record<string, { text: number; data: number; bss: number; dec: number }> = {};
console.log(execFileSync("arm-none-eabi-size", elfs, { encoding: "utf8" }).trimEnd());
for (const line of execFileSync("arm-none-eabi-size", elfs, { encoding: "utf8" }).split("\n").slice(1)) {
  const f = line.trim().split(/\s+/);
  if (f.length >= 6) firmware[f[5]] = { text: +f[0], data: +f[1], bss: +f[2], dec: +f[3] };
}

// 2. the module
const info = wasmInfo(RELEASE_WASM);
const staticEnd = Number(new V8Engine().callSync("static_end").value);
console.log(`\nWasm module ${RELEASE_WASM.replace(ROOT + "/", "")} (full profile with the test API: what the tests and the boards' main run)`);
console.log(`  code section      ${String(info.codeBytes).padStart(7)} B  (${info.functions} functions)`);
console.log(`  data segments     ${String(info.dataBytes).padStart(7)} B  (${info.dataSegments} segments, copied into linear memory)`);
console.log(`  static memory     ${String(staticEnd).padStart(7)} B  (data + static buffers, of a ${budget} B linear-memory budget)`);
const components: Record<string, number> = {};
if (existsSync("build/release-names.wasm")) {
  console.log("  code by component:");
  for (const [c, bytes] of byComponent(wasmInfo("build/release-names.wasm"))) {
    components[c] = bytes;
    console.log(`    ${c.padEnd(28)} ${String(bytes).padStart(7)} B`);
  }
}

// 2b. the device module: what the device runs (the app, profile $PROFILE)
let device: Record<string, unknown> | undefined;
if (existsSync("build/device-names.wasm") && existsSync("build/device.wasm")) {
  const d = wasmInfo("build/device.wasm");
  const comps: Record<string, number> = {};
  console.log(`\nDevice module build/device.wasm (profile ${process.env.PROFILE ?? "device"}): code ${d.codeBytes} B in ${d.functions} functions, data ${d.dataBytes} B (budget: 28 KB of code)`);
  for (const [c, bytes] of byComponent(wasmInfo("build/device-names.wasm"))) {
    comps[c] = bytes;
    console.log(`    ${c.padEnd(28)} ${String(bytes).padStart(7)} B`);
  }
  device = { codeBytes: d.codeBytes, functions: d.functions, dataBytes: d.dataBytes, components: comps };
}

// 3. RAM in a real run on the emulated board
const run = await runMain({ board: "mps2-an386", timeoutMs: 300_000 });
const s = run.stats;
if (run.exit !== 0 || s.heap_peak === undefined) {
  console.error(`the emulated board did not finish its run (exit ${run.exit})`);
  process.exit(1);
}
const heapPeak = s.heap_brk || s.heap_peak;
const total = s.static + heapPeak + s.stack_peak;
console.log(`\nRAM measured on mps2-an386 (128 KB as on the nRF52833), workload: the firmware's main`);
const rows: [string, number, string][] = [
  ["compiled code (wasm3 pages)", s.compiled, `${s.compiled_functions} of ${s.functions} functions compiled`],
  ["linear memory", s.linear, "inside the heap"],
  ["heap peak", heapPeak, "wasm3 runtime + compiled code + linear memory, allocator overhead included"],
  ["stack peak", s.stack_peak, "C stack high-water (painted)"],
  ["firmware static", s.static, ".data + .bss"],
  ["total", total, `of ${RAM_BYTES} B (${((100 * total) / RAM_BYTES).toFixed(1)} %)`],
];
for (const [k, v, note] of rows) console.log(`  ${k.padEnd(28)} ${String(v).padStart(7)} B  ${note}`);

// The same run under wasm2c, where it was built (make ENGINE=wasm2c mps2).
let wasm2c: Record<string, number> | undefined;
if (existsSync("build/mps2-an386-wasm2c/firmware.elf")) {
  const r = await runMain({ board: "mps2-an386", engine: "wasm2c", timeoutMs: 300_000 });
  if (r.exit === 0) {
    const w = r.stats;
    const tot = w.static + (w.heap_brk || w.heap_peak) + w.stack_peak;
    wasm2c = { staticBytes: w.static, peakHeapBytes: w.heap_brk || w.heap_peak, stackPeakBytes: w.stack_peak, linearMemoryBytes: w.linear, totalPeakBytes: tot };
    console.log(`\nThe same run under wasm2c (code in flash): static ${w.static} B (linear memory ${w.linear} B inside it), ` +
      `heap ${w.heap_brk || w.heap_peak} B, stack peak ${w.stack_peak} B, total ${tot} B of ${RAM_BYTES} B`);
  }
}

const out = {
  device,
  wasm2c,
  profile: process.env.PROFILE ?? "device",   // of the device module; the release module is always full
  firmware,
  wasm: { codeBytes: info.codeBytes, dataBytes: info.dataBytes, staticMemoryBytes: staticEnd, linearMemoryBudget: budget, functions: info.functions, components },
  ram: {
    compiledCodeBytes: s.compiled, linearMemoryBytes: s.linear, peakHeapBytes: heapPeak,
    stackPeakBytes: s.stack_peak, staticBytes: s.static, totalPeakBytes: total, budgetBytes: RAM_BYTES,
  },
};
writeFileSync("build/size.json", JSON.stringify(out, null, 2) + "\n");
console.log("\nwritten: build/size.json");
