// Cost of a full handshake under wasm3 on the emulated Cortex-M4 (QEMU
// icount: emulated instructions, deterministic): X25519, ECDSA P-256 leaf
// validated against its P-256 root (chain of two), ECDSA CertificateVerify,
// AES-128-GCM, against the scripted server. Prints the figures.
// Runs on wasm3-qemu with the firmware in $TLS_FIRMWARE (a build embedding a
// module with the TLS exports), else is skipped with the reason. Measured
// 2026-11-25: the module (50 KB of code) does not fit the emulated board's
// wasm3 heap yet: code-page allocation fails while the ServerHello is
// processed (X25519 + key schedule compile), so there is no figure yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ShellEngine, qemuArgs, MPS2_BENCH_FIRMWARE, ROOT } from "../host/node/engine.ts";
import { TlsDriver, errorName } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { ScriptedServer } from "./peers/scripted-server.ts";

// The benchmark firmware (1 MB of RAM) by default: the module does not fit
// the 128 KB board's wasm3 heap yet, and instructions do not depend on RAM.
const FW = process.env.TLS_FIRMWARE ?? MPS2_BENCH_FIRMWARE;
const skip = !ENGINES.includes("wasm3-qemu") ? "wasm3-qemu not selected"
  : !existsSync(FW) ? `no firmware ${FW}` : false;

test("full handshake on the emulated Cortex-M4: instruction count", { skip, timeout: 600000 }, async () => {
  const pki = makePki("p256");
  const ec = pki.leaf("ec", "p256");
  const e = await new ShellEngine("wasm3-qemu", "qemu-system-arm", qemuArgs({ firmware: FW!, icount: true, cmdline: "rpc" })).ready();
  try {
    const d = await new TlsDriver(e).init();
    let n = 0;
    const orig = e.call.bind(e);
    e.call = async (fn, ...a) => { const r = await orig(fn, ...a); n += r.instructions; return r; };
    assert.equal(await d.configure({ sni: "localhost", groups: [1], suites: [1] }), 0);
    await d.call("x509_anchors_clear");
    assert.equal(await d.call("x509_anchor_add", await d.put(pki.caDer), pki.caDer.length), 0);
    n = 0;
    const t0 = Date.now();
    assert.equal(await d.call("tls_start"), 0);
    const s = new ScriptedServer(ec.cert, ec.key);
    s.clientHello(await d.output());
    const clientHello = n;
    const sh = s.serverHello(); s.keys(sh);
    await d.feed(Buffer.concat([Buffer.from([22, 3, 3, sh.length >> 8, sh.length & 255]), sh]));
    const serverHello = n - clientHello;
    await d.feed(s.record(s.flight()));
    const flight = n - clientHello - serverHello;
    const fin = await d.output();
    assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
    assert.ok(fin.length > 0 && ((await d.state()) & 4));
    const stats = await e.stats();
    console.log(`# TLS handshake on wasm3 (QEMU Cortex-M4): ${n} instructions total ` +
      `(ClientHello ${clientHello}, ServerHello ${serverHello}, server flight + Finished ${flight}); ` +
      `~${(n / 25e6).toFixed(1)} s on the board at 25 M/s; wall ${Date.now() - t0} ms; stats ${JSON.stringify(stats)}`);
    // For make bench (tools/bench.ts adds these rows when the file exists).
    writeFileSync(path.join(ROOT, "build", "tls-bench.json"), JSON.stringify([
      { name: "TLS full handshake (X25519, P-256 chain of 2, AES-128-GCM; wasm3, QEMU)", value: n, unit: "instructions" },
      { name: "TLS full handshake: wasm3 compiled code at its end (QEMU)", value: stats.compiled, unit: "bytes" },
      { name: "TLS full handshake: wasm3 heap peak (1 MB benchmark board)", value: stats.heap_brk || stats.heap_peak, unit: "bytes" },
    ], null, 2));
  } finally { await e.close(); }
});
