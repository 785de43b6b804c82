// make bench: emulated Cortex-M4 instructions under wasm3 in QEMU
// (-icount shift=0,sleep=off: deterministic), Wasm code bytes per component,
// and V8 throughput of the same module beside @noble/* and node:crypto.
// Prints a table and writes build/bench.json as [{name, value, unit}].
import { writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { ROOT, qemuBoard, V8Engine, type Engine } from "../host/node/engine.ts";
import { Module } from "../tests/lib/module.ts";
import { wasmInfo, byComponent } from "./wasm-info.ts";

process.chdir(ROOT);
export interface Row { name: string; value: number; unit: string }
const rows: Row[] = [];
const add = (name: string, value: number, unit: string) => {
  rows.push({ name, value, unit });
  console.log(`${name.padEnd(52)} ${value.toLocaleString("en-US").padStart(14)} ${unit}`);
};

// Instructions of one call after a warm-up call (so wasm3's lazy compilation
// is not counted).
async function steady(e: Engine, fn: string, ...args: number[]): Promise<number> {
  await e.call(fn, ...args);
  return (await e.call(fn, ...args)).instructions;
}

// ---- code bytes per component ----
if (existsSync("build/release-names.wasm")) {
  for (const [c, bytes] of byComponent(wasmInfo("build/release-names.wasm"))) add(`wasm code: ${c}`, bytes, "bytes");
}
add("wasm code: whole module", wasmInfo("build/release.wasm").codeBytes, "bytes");

// ---- emulated instructions ----
const q = await qemuBoard({ icount: true });
const m = await new Module(q).init();
const io = Number((await q.call("io_buffer")).value);
{
  const ctx = io, data = io + 256;
  await m.ok("sha256_init", ctx);
  await q.write(data, new Uint8Array(64 * 16));
  const one = await steady(q, "sha256_update", ctx, data, 64);
  const sixteen = (await q.call("sha256_update", ctx, data, 64 * 16)).instructions;
  add("sha256: per 64-byte block (wasm3, QEMU)", Math.round(sixteen / 16), "instructions");
  add("sha256: one 64-byte update call (wasm3, QEMU)", one, "instructions");
}
await q.close();

// ---- V8 throughput, same module, beside @noble/hashes and node:crypto ----
{
  const v8 = new V8Engine();
  const mv = await new Module(v8).init();
  const buf = new Uint8Array(3072).fill(7);
  const mib = 4;
  const t0 = performance.now();
  const ctx = io, data = io + 256;
  v8.memory.set(buf, data);
  v8.callSync("sha256_init", ctx);
  for (let i = 0; i < (mib << 20) / buf.length; i++) v8.callSync("sha256_update", ctx, data, buf.length);
  v8.callSync("sha256_final", ctx, io + 128);
  const ours = mib / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  for (let i = 0; i < (mib << 20) / buf.length; i++) nobleSha256(buf);
  const noble = mib / ((performance.now() - t1) / 1000);
  const t2 = performance.now();
  const h = createHash("sha256");
  for (let i = 0; i < (mib << 20) / buf.length; i++) h.update(buf);
  h.digest();
  const node = mib / ((performance.now() - t2) / 1000);
  add("sha256 V8: module throughput", +ours.toFixed(1), "MiB/s");
  add("sha256 V8: module / @noble/hashes", +(ours / noble).toFixed(2), "ratio");
  add("sha256 V8: module / node:crypto", +(ours / node).toFixed(2), "ratio");
  void mv;
}

writeFileSync("build/bench.json", JSON.stringify(rows, null, 2) + "\n");
console.log("written: build/bench.json");
