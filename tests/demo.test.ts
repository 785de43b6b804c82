// make demo's pieces end to end: the telemetry app (build/device.wasm, built
// from config/device.json) on the native board, through the simulated
// ESP8266, to the local HTTPS server (TLS 1.3, demo CA). QEMU: the same run
// on the emulated board with enough RAM to finish (the 128 KB run is what
// `make demo` shows; tools/demo.ts --ram 128K).
// Needs `make build/device.wasm build/demo/native-board` (tests/run.ts after `make demo BOARD=native`).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../host/node/engine.ts";
import { ENGINES } from "./lib/util.ts";
import { runDemo } from "../tools/demo.ts";
import { startDemoServer } from "../tools/demo-server.ts";
import type { Esp8266Sim } from "../host/node/esp8266-sim.ts";

let dropped = false;
import { loadConfig } from "../tools/gen-config.ts";

const c = loadConfig();
const built = existsSync(path.join(ROOT, "build/device.wasm")) && existsSync(path.join(ROOT, "build/demo/native-board"));
const secrets = [c.psk, c.password, Buffer.from(`${c.user}:${c.password}`).toString("base64")];

describe("telemetry demo on the native board", { skip: built ? false : "build/device.wasm or build/demo/native-board missing (make demo BOARD=native)" }, () => {
  test("joins, validates the server, posts the configured number of readings (1 full + resumed handshakes)", async () => {
    const run = await runDemo({ board: "native", timeoutMs: 120_000 });
    assert.equal(run.exit, 0, run.lines.join("\n"));
    assert.equal(run.server.readings.length, c.reports);
    assert.deepEqual(run.server.readings.map((r) => r.seq), Array.from({ length: c.reports }, (_, i) => i + 1));
    for (const r of run.server.readings) { assert.equal(r.device, c.device); assert.ok(r.temp_mc > -40000 && r.temp_mc < 125000); }
    assert.ok(run.lines.some((l) => /wifi: joined, ip \d+\.\d+\.\d+\.\d+/.test(l)));
    assert.ok(run.lines.some((l) => /tls: handshake 1 full, server certificate valid/.test(l)));
    if (c.reconnect_each_report && c.reports > 1) {
      assert.equal(run.server.sessions.full, 1);
      assert.equal(run.server.sessions.resumed, c.reports - 1);
      assert.equal(run.handshakes.resumed, c.reports - 1);
    }
    const log = run.lines.join("\n");
    for (const s of secrets) assert.ok(!log.includes(s), "a secret reached the log");
  });

  test("the state indicator follows the app (joining, handshake, accepted); button A sends the next reading at once", async () => {
    const run = await runDemo({ board: "native", timeoutMs: 120_000, boardArgs: ["--leds", "--button-after", "0"] });
    assert.equal(run.exit, 0, run.lines.join("\n"));
    assert.equal(run.server.readings.length, c.reports);
    const leds = run.lines.filter((l) => l.startsWith("led: ")).map((l) => +l.slice(5));
    assert.deepEqual(leds.slice(0, 3), [1, 2, 3], leds.join(","));     // joining, handshake, reading accepted
    assert.ok(!leds.includes(4), "no error shown");
    if (c.reports > 1) {
      const i = run.lines.findIndex((l) => l === "app: button A, reading now");
      assert.ok(i > 0, "the button press was taken");
      assert.ok(run.lines.slice(i).some((l) => /http: POST reading 2/.test(l)));
    }
  });

  test("a 503 from the server: the app backs off, reconnects and still delivers every reading", async () => {
    const server = await startDemoServer({ config: c, log: () => {} });
    try {
      server.rejectNext = 1;
      const run = await runDemo({ board: "native", timeoutMs: 120_000, server });
      assert.equal(run.exit, 0, run.lines.join("\n"));
      assert.equal(run.server.rejected, 1);
      assert.equal(run.server.readings.length, c.reports);
      assert.ok(run.lines.some((l) => /attempt failed \(-384\), retry 1 in 1000 ms/.test(l)), "ERR_APP_HTTP_STATUS logged with the backoff");
    } finally { await server.close(); }
  });

  test("the link drops during a later handshake: reconnect with backoff and deliver", async () => {
    let sim: Esp8266Sim | undefined;
    const run = await runDemo({
      board: "native", timeoutMs: 120_000,
      sim: (s) => { sim = s; },
      onLine: (l) => {
        if (/http: status 201/.test(l) && sim && !dropped) sim.faults.dropAfter = 100;   // the next connection is cut
        if (/attempt failed/.test(l) && sim) { dropped = true; sim.faults.dropAfter = undefined; }
      },
    });
    assert.equal(run.exit, 0, run.lines.join("\n"));
    assert.ok(dropped, "the fault was seen by the app");
    assert.equal(run.server.readings.length, c.reports);
  });
});

describe("telemetry demo on QEMU (1024K RAM to measure)", { skip: !ENGINES.includes("wasm3-qemu") || !existsSync(path.join(ROOT, "build/demo/firmware-1024K.elf")) ? "needs build/demo/firmware-1024K.elf (make build/demo/firmware-1024K.elf DEMO_RAM=1024K) and the wasm3-qemu engine" : false }, () => {
  test("readings accepted; RAM figures reported", async () => {
    const run = await runDemo({ board: "mps2-an386", ram: "1024K", timeoutMs: 600_000 });
    assert.equal(run.exit, 0, run.lines.slice(-10).join("\n"));
    assert.equal(run.server.readings.length, c.reports);
    assert.ok(run.stats.heap_peak > 0 && run.stats.compiled > 0);
  });
});

// make demo: the acceptance run. wasm3 on the emulated board with the
// micro:bit's 128 KB: the app runs in steps and the board frees wasm3's
// compiled code between them (host/wasm3/main.c), the engine pauses between
// record decryption, certificate parsing and the signature check (F_STEPS).
const W3_DEMO = path.join(ROOT, "build/demo/firmware-128K.elf");
describe("telemetry demo under wasm3 on the 128 KB board", { skip: !ENGINES.includes("wasm3-qemu") || !existsSync(W3_DEMO) ? "needs build/demo/firmware-128K.elf (make build/demo/firmware-128K.elf) and the wasm3-qemu engine" : false }, () => {
  test("readings accepted over TLS with the server validated; RAM inside 128 KB", async () => {
    const run = await runDemo({ board: "mps2-an386", ram: "128K", timeoutMs: 600_000, onLine: () => {} });
    assert.equal(run.exit, 0, run.lines.slice(-10).join("\n"));
    assert.equal(run.server.readings.length, c.reports);
    assert.ok(run.lines.some((l) => /tls: handshake 1 full, server certificate valid/.test(l)));
    const s = run.stats;
    const total = s.static + (s.heap_brk || s.heap_peak) + s.stack_peak;
    assert.ok(total <= 128 * 1024, `RAM ${total} B`);
    assert.ok(s.compiled_peak > 0 && s.compiled_peak < s.code * 3.6, "compiled code freed between steps");
    console.log(`# wasm3 demo on 128 KB: RAM ${total} B (heap ${s.heap_brk || s.heap_peak}, compiled at most ${s.compiled_peak} at a time, stack ${s.stack_peak})`);
  });
});

// make demo ENGINE=wasm2c: the device module compiled ahead of time into the
// 128 KB firmware (build/demo-wasm2c/firmware.elf): the whole run must fit.
const W2C_DEMO = path.join(ROOT, "build/demo-wasm2c/firmware.elf");
describe("telemetry demo under wasm2c on the 128 KB board", { skip: !existsSync(W2C_DEMO) ? "needs build/demo-wasm2c/firmware.elf (make demo-wasm2c-firmware)" : false }, () => {
  test("readings accepted over TLS with the server validated; RAM inside 128 KB", async () => {
    const run = await runDemo({ board: "mps2-an386", firmware: W2C_DEMO, timeoutMs: 300_000, onLine: () => {} });
    assert.equal(run.exit, 0, run.lines.slice(-10).join("\n"));
    assert.equal(run.server.readings.length, c.reports);
    assert.ok(run.lines.some((l) => /tls: handshake 1 full, server certificate valid/.test(l)));
    const s = run.stats;
    const total = s.static + (s.heap_brk || s.heap_peak) + s.stack_peak;
    assert.equal(s.compiled, 0, "no compiled code in RAM");
    assert.ok(total <= 128 * 1024, `RAM ${total} B`);
    console.log(`# wasm2c demo: RAM ${total} B (static ${s.static}, stack peak ${s.stack_peak})`);
  });
});
