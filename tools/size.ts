// make size: the memory report. Firmware sections as arm-none-eabi-size prints
// them, the Wasm module (code, data, static linear memory, per component),
// and the RAM measured in a real run on the emulated board. Writes
// build/size.json.
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import { ROOT, RELEASE_WASM, V8Engine, runMain } from "../host/node/engine.ts";
import { wasmInfo, byComponent } from "./wasm-info.ts";
import { runDemo } from "./demo.ts";

process.chdir(ROOT);
const RAM_BYTES = 131072;
const STACK_RESERVE = 8192;   // boards/mps2-an386/link.ld and boards/microbit-v2/link.ld
const asconfig = JSON.parse(readFileSync("asconfig.json", "utf8"));
const budget = asconfig.targets.release.lowMemoryLimit as number;

type Sections = { text: number; data: number; bss: number; dec: number };
function sizes(elfs: string[]): Record<string, Sections> {
  const out: Record<string, Sections> = {};
  for (const line of execFileSync("arm-none-eabi-size", elfs, { encoding: "utf8" }).split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 6) out[f[5]] = { text: +f[0], data: +f[1], bss: +f[2], dec: +f[3] };
  }
  return out;
}
const pct = (a: number, b: number) => (b ? `${a >= b ? "+" : ""}${((100 * (a - b)) / b).toFixed(1)}%` : "n/a");

// 0. The micro:bit firmware running the telemetry app over TLS, and the
// gateway build of the same app (plain HTTP to HAProxy, no TLS compiled in),
// as arm-none-eabi-size prints them, with the difference in percent.
const microbit: Record<string, unknown> = {};
for (const [engine, sfx] of [["wasm3", ""], ["wasm2c", "-wasm2c"]] as const) {
  const tlsElf = `build/microbit-v2-app${sfx}/firmware.elf`, gwElf = `build/microbit-v2-gateway${sfx}/firmware.elf`;
  if (!existsSync(tlsElf) || !existsSync(gwElf)) continue;
  const z = sizes([tlsElf, gwElf]);
  const t = z[tlsElf], g = z[gwElf];
  console.log(`micro:bit v2 firmware, ${engine}: the telemetry app with TLS (profile ${process.env.PROFILE ?? "device"}) and the gateway build without it`);
  console.log(execFileSync("arm-none-eabi-size", [tlsElf, gwElf], { encoding: "utf8" }).trimEnd());
  console.log(`${pct(t.text, g.text).padStart(7)} ${pct(t.data, g.data).padStart(7)} ${pct(t.bss, g.bss).padStart(7)} ${pct(t.dec, g.dec).padStart(7)}         difference: TLS build over gateway build\n`);
  microbit[engine] = { tls: t, gateway: g, differencePercent: Object.fromEntries((["text", "data", "bss", "dec"] as const).map((k) => [k, g[k] ? Math.round((1000 * (t[k] - g[k])) / g[k]) / 10 : null])) };
}

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

// 2b. the app's module (assembly/app/device.ts) for each profile, and the gateway build
const profiles: Record<string, Record<string, unknown>> = {};
const cols: [string, string, string][] = [
  ["device", "build/size/device/device.wasm", "build/size/device/device-names.wasm"],
  ["full", "build/size/full/device.wasm", "build/size/full/device-names.wasm"],
  ["gateway", "build/device-plain.wasm", ""],
];
const compTable = new Map<string, Record<string, number>>();
for (const [name, wasm, names] of cols) {
  if (!existsSync(wasm)) continue;
  const d = wasmInfo(wasm);
  const comps: Record<string, number> = {};
  if (names && existsSync(names)) for (const [c, bytes] of byComponent(wasmInfo(names))) {
    comps[c] = bytes;
    compTable.set(c, { ...compTable.get(c), [name]: bytes });
  }
  profiles[name] = { codeBytes: d.codeBytes, functions: d.functions, dataBytes: d.dataBytes, components: comps };
}
if (profiles.device) {
  const names = cols.map((c) => c[0]).filter((n) => profiles[n]);
  console.log(`\nThe app's module (assembly/app/device.ts) by profile: Wasm code bytes (device budget: 28 KB = 28,672 B)`);
  console.log(`  ${"".padEnd(28)} ${names.map((n) => n.padStart(9)).join(" ")}`);
  for (const [c, v] of [...compTable].sort((a, b) => (b[1].full ?? 0) - (a[1].full ?? 0)))
    console.log(`    ${c.padEnd(26)} ${names.map((n) => String(v[n] ?? "").padStart(9)).join(" ")}`);
  for (const [label, key] of [["code section", "codeBytes"], ["functions", "functions"], ["data segments", "dataBytes"]] as const)
    console.log(`  ${label.padEnd(28)} ${names.map((n) => String(profiles[n][key]).padStart(9)).join(" ")}`);
}
const device = profiles[process.env.PROFILE ?? "device"];

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

// 4. RAM of the telemetry demo (3 readings over TLS: 1 full + 2 resumed
// handshakes) on the emulated board, for each engine and profile. wasm3 runs on
// the 1 MB board so that its whole need is measured; wasm2c on the 128 KB one.
const demoRam: Record<string, Record<string, number | boolean>> = {};
for (const profile of ["device", "full"]) {
  for (const engine of ["wasm3", "wasm2c"] as const) {
    const firmware = engine === "wasm3" ? `build/size/${profile}/firmware-1024K.elf` : `build/size/${profile}/wasm2c/firmware.elf`;
    if (!existsSync(firmware)) continue;
    const r = await runDemo({ board: "mps2-an386", firmware, timeoutMs: 600_000, onLine: () => {} });
    const st = r.stats;
    const accepted = r.server.readings.length;
    if (st.heap_peak === undefined) { console.error(`demo ${engine}/${profile}: no stats (exit ${r.exit})`); continue; }
    const heap = st.heap_brk || st.heap_peak;
    const total = heap + st.stack_peak + st.static;
    const flash = sizes([firmware])[firmware].text;
    demoRam[`${engine}/${profile}`] = {
      flashTextBytes: flash, compiledCodeBytes: st.compiled_peak ?? st.compiled, linearMemoryBytes: st.linear, peakHeapBytes: heap,
      stackPeakBytes: st.stack_peak, staticBytes: st.static, totalPeakBytes: total,
      // The 128 KB boards' link scripts keep 8 KB for the C stack; the heap gets the rest.
      fits128K: heap <= RAM_BYTES - STACK_RESERVE - st.static && st.stack_peak <= STACK_RESERVE,
      readingsAccepted: accepted, handshakes: r.handshakes.n, resumed: r.handshakes.resumed,
    };
  }
}
if (Object.keys(demoRam).length) {
  const keys = Object.keys(demoRam);
  console.log(`\nThe telemetry demo on the emulated board (3 readings over TLS 1.3: 1 full + 2 resumed handshakes), by engine and profile`);
  console.log(`  ${"".padEnd(30)} ${keys.map((k) => k.padStart(14)).join(" ")}`);
  const row = (label: string, f: (v: Record<string, number | boolean>) => string) =>
    console.log(`  ${label.padEnd(30)} ${keys.map((k) => f(demoRam[k]).padStart(14)).join(" ")}`);
  row("firmware flash (text)", (v) => String(v.flashTextBytes));
  row("compiled code, peak (wasm3)", (v) => String(v.compiledCodeBytes));
  row("linear memory", (v) => String(v.linearMemoryBytes));
  row("heap peak", (v) => String(v.peakHeapBytes));
  row("stack peak", (v) => String(v.stackPeakBytes));
  row("static (.data + .bss)", (v) => String(v.staticBytes));
  row("RAM total", (v) => String(v.totalPeakBytes));
  row("fits 128 KB (8 KB kept for the stack)", (v) => v.fits128K ? "yes" : `no (heap +${(v.peakHeapBytes as number) - (RAM_BYTES - STACK_RESERVE - (v.staticBytes as number))})`);
  row("readings accepted", (v) => `${v.readingsAccepted} (${v.handshakes}/${v.resumed} hs)`);
  console.log("  (wasm3 measured on a 1 MB board with the same allocations as the 128 KB one, so the figures are the RAM it needs;\n" +
    "   the app runs in steps and wasm3's compiled code is freed between them; wasm2c on the 128 KB board, its static includes the linear memory)");
}

const out = {
  microbit,
  profiles,
  demoRam,
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
