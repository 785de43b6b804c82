// make demo: the telemetry app (build/device.wasm) on the emulated board
// (QEMU mps2-an386, RAM $(DEMO_RAM), 128K by default) or the native board,
// wired to a simulated ESP8266 whose access point and host name map come
// from config/device.json, talking to a local HTTPS server (TLS 1.3, the
// demo CA). Shows the device log, then a summary.
//   node --import tsx tools/demo.ts --board native|mps2-an386 [--ram 128K] [--icount] [--plain PORT]
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { existsSync, readFileSync } from "node:fs";
import { Esp8266Sim } from "../host/node/esp8266-sim.ts";
import { qemuArgs, parseStats, ROOT } from "../host/node/engine.ts";
import { loadConfig } from "./gen-config.ts";
import { startDemoServer, type DemoServer } from "./demo-server.ts";

export interface DemoRun {
  lines: string[]; stats: Record<string, number>; exit: number | null; server: DemoServer;
  handshakes: { n: number; resumed: number; fullMs: number; resumedMs: number };
  // With icount: the instructions the board worked (waits for the modem left
  // out) from "tls: connecting" to "tls: handshake N ...", one per handshake.
  handshakeInstructions: { resumed: boolean; instructions: number }[];
}

export interface DemoOptions {
  board: "native" | "mps2-an386"; ram?: string; icount?: boolean; wasm?: string; firmware?: string;
  onLine?: (l: string) => void; timeoutMs?: number;
  // Where the modem's connections go instead of the HTTPS server (the gateway test).
  target?: { port: number }; server?: DemoServer;
  sim?: (s: Esp8266Sim) => void;   // faults etc.
  boardArgs?: string[];              // native board options (--leds, --button-after N)
}

export async function runDemo(o: DemoOptions): Promise<DemoRun> {
  const c = loadConfig();
  const server = o.server ?? await startDemoServer({ config: c, log: o.onLine });
  const to = o.target?.port ?? server.port;
  const hosts: Record<string, number> = { [c.host]: to };
  if (c.gateway) hosts[c.gateway.host] = to;
  const sim = new Esp8266Sim({ aps: { [c.ssid]: c.psk }, hosts });
  o.sim?.(sim);
  const modem = `127.0.0.1:${await sim.listen()}`;
  let cmd: string, args: string[];
  if (o.board === "native") {
    cmd = path.join(ROOT, "build/demo/native-board");
    args = ["--modem", modem, ...(o.boardArgs ?? []), o.wasm ?? path.join(ROOT, "build/device.wasm")];
  } else {
    cmd = "qemu-system-arm";
    args = qemuArgs({ firmware: o.firmware ?? path.join(ROOT, `build/demo/firmware-${o.ram ?? "128K"}.elf`), cmdline: o.icount ? "main steps" : "main", extra: ["-serial", `tcp:${modem}`,
      // icount with sleep=on: idle time (waiting for the modem) runs at real speed, so the
      // modem's replies are not timed out by a racing virtual clock; 1 ms = 1 M instructions.
      ...(o.icount ? ["-icount", "shift=0,sleep=on"] : [])] });
  }
  const lines: string[] = [];
  let stats: Record<string, number> = {};
  const handshakeInstructions: { resumed: boolean; instructions: number }[] = [];
  let inHandshake = false, hsSum = 0;
  const exit = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 600_000);
    createInterface({ input: child.stdout! }).on("line", (l) => {
      const st = /^step: (\d+) compiled \d+$/.exec(l);
      if (st) { if (inHandshake) hsSum += +st[1]; return; }   // per-step figures (icount): summed, not shown
      if (/^tls: connecting/.test(l)) { inHandshake = true; hsSum = 0; }
      const hm = /^tls: handshake \d+ (resumed|full)/.exec(l);
      if (hm && inHandshake) { handshakeInstructions.push({ resumed: hm[1] === "resumed", instructions: hsSum }); inHandshake = false; }
      lines.push(l);
      if (l.startsWith("stats: ")) stats = parseStats(l.slice(7));
      o.onLine?.(`  | ${l}`);
    });
    child.on("error", reject);
    child.on("close", (code) => { clearTimeout(timer); resolve(code); });
  });
  await sim.close();
  if (!o.server) await server.close();
  const done = lines.map((l) => /(\d+) handshakes \((\d+) resumed\), last full (\d+) ms, last resumed (\d+) ms/.exec(l)).find((m) => m);
  const handshakes = done ? { n: +done[1], resumed: +done[2], fullMs: +done[3], resumedMs: +done[4] } : { n: 0, resumed: 0, fullMs: 0, resumedMs: 0 };
  return { lines, stats, exit, server, handshakes, handshakeInstructions };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string, d?: string) => (process.argv.includes(k) ? process.argv[process.argv.indexOf(k) + 1] : d);
  const board = arg("--board", "mps2-an386") as "native" | "mps2-an386";
  const ram = arg("--ram", "128K")!;
  const icount = process.argv.includes("--icount");
  // ENGINE=wasm2c: the device module translated ahead of time (code in flash).
  const wasm2c = arg("--engine", "wasm3") === "wasm2c" && board === "mps2-an386";
  const firmware = wasm2c ? path.join(ROOT, "build/demo-wasm2c/firmware.elf") : undefined;
  const c = loadConfig();
  console.log(`== telemetry demo on ${board === "native" ? "the native board (wasm3 in a Linux process)" : `the emulated Cortex-M4 (QEMU mps2-an386, ${wasm2c ? "128K" : ram} RAM, ${wasm2c ? "wasm2c" : "wasm3"})`} ==`);
  console.log(`   access point "${c.ssid}", server https://${c.host}:${c.port}${c.path} (simulated modem -> local HTTPS, TLS 1.3), ${c.reports} reports`);
  const run = await runDemo({ board, ram, icount, firmware, onLine: (l) => console.log(l) });
  const s = run.stats;
  const h = run.handshakes;
  console.log("== summary ==");
  console.log(`readings accepted by the server: ${run.server.readings.length} (rejected ${run.server.rejected}); board exit ${run.exit}`);
  console.log(`TLS sessions seen by the server: ${run.server.sessions.full} full, ${run.server.sessions.resumed} resumed; ` +
    `device: ${h.n} handshakes (${h.resumed} resumed), last full ${h.fullMs} ms, last resumed ${h.resumedMs} ms` +
    (icount ? " (icount shift=0: 1 ms = 1 M emulated instructions, idle time included)" : " (wall time)"));
  if (s.heap_peak !== undefined) {
    const heap = s.heap_brk || s.heap_peak;
    if (s.compiled_peak !== undefined && s.compiled_peak > 0)
      console.log(`Wasm code ${s.code} B in ${s.functions} functions -> wasm3 compiled code: at most ${s.compiled_peak} B at a time ` +
        `(the app runs in steps and the compiled code is freed between them)`);
    console.log(`RAM: linear memory ${s.linear} B, heap peak ${heap} B, stack peak ${s.stack_peak} B, firmware static ${s.static} B` +
      (board === "mps2-an386" ? `, total ${heap + s.stack_peak + s.static} B (board RAM ${ram})` : ""));
  }
  // The handshake's own cost, measured by make bench (tests/tls-icount.test.ts), when it has run.
  const bench = path.join(ROOT, "build/tls-bench.json");
  if (!icount && existsSync(bench)) {
    const rows = JSON.parse(readFileSync(bench, "utf8")) as { name: string; value: number }[];
    const eng = wasm2c ? "wasm2c" : "wasm3";
    const full = rows.find((r) => r.name.startsWith(`TLS full handshake (${eng})`) && /QEMU\)$/.test(r.name));
    const res = rows.find((r) => r.name.startsWith(`TLS resumed handshake (${eng})`) && /QEMU\)$/.test(r.name));
    if (full && res) console.log(`handshake cost under ${eng} (make bench, QEMU icount): full ${(full.value / 1e6).toFixed(1)} M instructions ` +
      `(~${(full.value / 25e6).toFixed(1)} s on a micro:bit at 25 M/s), resumed ${(res.value / 1e6).toFixed(1)} M (~${(res.value / 25e6).toFixed(1)} s)`);
  }
  const hi = run.handshakeInstructions;
  const full = hi.find((x) => !x.resumed), res = hi.find((x) => x.resumed);
  const m = (x: { instructions: number }) => `${(x.instructions / 1e6).toFixed(1)} M instructions (~${(x.instructions / 25e6).toFixed(1)} s on a micro:bit at 25 M/s)`;
  if (icount && full) console.log(`handshake cost, measured in this run (QEMU icount, the board's work without the waits for the modem): ` +
    `full ${m(full)}` + (res ? `, resumed ${m(res)}` : ""));
  if (run.lines.some((l) => /memory allocation failed/.test(l)))
    console.log(`OUT OF RAM: wasm3 could not get memory for compiled code inside ${ram}. Measure the full need with ` +
      `make demo DEMO_RAM=1024K, or run the same module ahead of time with make demo ENGINE=wasm2c (it fits).`);
  const ok = run.exit === 0 && run.server.readings.length >= c.reports;
  process.exit(ok ? 0 : 1);
}
