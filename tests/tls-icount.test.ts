// Cost of a full handshake under wasm3 on the emulated Cortex-M4 (QEMU
// icount: emulated instructions, deterministic): X25519, ECDSA P-256 leaf
// validated against its P-256 root (chain of two), ECDSA CertificateVerify,
// AES-128-GCM, against the scripted server. Prints the figures.
// Runs on wasm3-qemu with the firmware in $TLS_FIRMWARE (default: the 1 MB
// benchmark firmware), else is skipped with the reason. Second test: a
// resumed handshake from a ticket. Both counts include wasm3's lazy
// compilation of the functions first used (each run is a fresh board).
// The same two tests run under wasm2c (the module compiled ahead of time
// into the 128 KB firmware) when build/mps2-an386-wasm2c/firmware.elf exists
// (make ENGINE=wasm2c mps2); make bench reports both.
// Measured 2026-11-25: full 295.9 M instructions (heap peak 208 KB),
// resumed 65.5 M (heap peak 151 KB).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ShellEngine, qemuArgs, MPS2_BENCH_FIRMWARE, MPS2_FIRMWARE_WASM2C, ROOT } from "../host/node/engine.ts";
import { TlsDriver, errorName, openEngine } from "./lib/tls.ts";
import { opensslServer } from "./peers/servers.ts";
import { fetch } from "./tls-openssl-lib.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { ScriptedServer } from "./peers/scripted-server.ts";

// The benchmark firmware (1 MB of RAM) by default: the module does not fit
// the 128 KB board's wasm3 heap yet, and instructions do not depend on RAM.
const BENCH = path.join(ROOT, "build", "tls-bench.json");
// Replaces the rows whose names start with `prefix` in build/tls-bench.json.
function benchRows(prefix: string, rows: { name: string; value: number; unit: string }[]): void {
  const old = existsSync(BENCH) ? JSON.parse(readFileSync(BENCH, "utf8")).filter((r: { name: string }) => !r.name.startsWith(prefix)) : [];
  writeFileSync(BENCH, JSON.stringify([...old, ...rows], null, 2));
}

for (const engine of ["wasm3", "wasm2c"] as const) {
const FW = engine === "wasm3" ? (process.env.TLS_FIRMWARE ?? MPS2_BENCH_FIRMWARE) : MPS2_FIRMWARE_WASM2C;
const shell = `${engine}-qemu` as const;
const skip = !ENGINES.includes("wasm3-qemu") && !ENGINES.includes(shell) ? `${shell} not selected`
  : !existsSync(FW) ? `no firmware ${FW}` : false;
// RAM figures of the run: wasm3 compiles into its heap; wasm2c has no heap.
const ramRows = (what: string, stats: Record<string, number>) => engine === "wasm3" ? [
  { name: `${what}: wasm3 compiled code at its end (QEMU)`, value: stats.compiled, unit: "bytes" },
  { name: `${what}: wasm3 heap peak (1 MB benchmark board)`, value: stats.heap_brk || stats.heap_peak, unit: "bytes" },
] : [
  { name: `${what}: wasm2c stack peak (128 KB board)`, value: stats.stack_peak, unit: "bytes" },
];

test(`full handshake on the emulated Cortex-M4 (${engine}): instruction count`, { skip, timeout: 600000 }, async () => {
  const pki = makePki("p256");
  const ec = pki.leaf("ec", "p256");
  const e = await new ShellEngine(shell, "qemu-system-arm", qemuArgs({ firmware: FW!, icount: true, cmdline: "rpc" })).ready();
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
    console.log(`# TLS handshake on ${engine} (QEMU Cortex-M4): ${n} instructions total ` +
      `(ClientHello ${clientHello}, ServerHello ${serverHello}, server flight + Finished ${flight}); ` +
      `~${(n / 25e6).toFixed(1)} s on the board at 25 M/s; wall ${Date.now() - t0} ms; stats ${JSON.stringify(stats)}`);
    // For make bench (tools/bench.ts adds these rows when the file exists).
    benchRows(`TLS full handshake (${engine})`, [
      { name: `TLS full handshake (${engine}) (X25519, P-256 chain of 2, AES-128-GCM; QEMU)`, value: n, unit: "instructions" },
      ...ramRows(`TLS full handshake (${engine})`, stats),
    ]);
  } finally { await e.close(); }
});

// The resumed handshake (psk_dhe_ke, X25519, AES-128-GCM) against a real
// server: openssl s_server issues the ticket to a first connection made in
// V8 (real sockets); the ticket storage (320 bytes) is copied into a fresh
// emulated board, whose second handshake node relays to the same server over
// TCP (the QEMU board has no host TCP). A fresh board, so its wasm3 heap peak
// is the resumed run's alone.
test(`resumed handshake (ticket, psk_dhe_ke) on the emulated Cortex-M4 (${engine}): instruction count`, { skip, timeout: 600000 }, async () => {
  const pki = makePki("p256");
  const ec = pki.leaf("ec", "p256");
  const srv = await opensslServer(ec.cert, ec.key, ["-www", "-max_send_frag", "1024", "-ciphersuites", "TLS_AES_128_GCM_SHA256", "-groups", "X25519"]);
  let ticket: Uint8Array;
  const v = await openEngine("v8");
  try {
    const dv = await new TlsDriver(v).init();
    await dv.clearTicket();
    const first = await fetch(dv, srv.port, { ticket: true, suites: [1], groups: [1] }, "GET / HTTP/1.0\r\n\r\n", pki.caDer);
    assert.equal(first.rc, 0, errorName(first.rc));
    ticket = await v.read(dv.ticketAt, TlsDriver.TICKET_CAP);
    assert.equal(ticket[0], 1, "a TLS_AES_128_GCM_SHA256 ticket stored");
  } finally { await v.close(); }
  const e = await new ShellEngine(shell, "qemu-system-arm", qemuArgs({ firmware: FW!, icount: true, cmdline: "rpc" })).ready();
  const sock = net.connect(srv.port, "127.0.0.1");
  try {
    await new Promise<void>((res, rej) => { sock.once("connect", () => res()); sock.once("error", rej); });
    const queue: Buffer[] = [];
    let wake: (() => void) | null = null;
    sock.on("data", (b: Buffer) => { queue.push(b); wake?.(); });
    const next = async (): Promise<Buffer> => {
      const t = Date.now();
      while (!queue.length) {
        if (Date.now() - t > 60000) throw new Error(`no data from the server\n${srv.output().slice(-300)}`);
        await new Promise<void>((r) => { wake = r; setTimeout(r, 200); });
        wake = null;
      }
      return Buffer.concat(queue.splice(0));
    };
    // Bytes the engine did not take yet (it stops while holding app data).
    let pending = Buffer.alloc(0);
    const pump = async () => {
      if (!pending.length) pending = await next();
      pending = pending.subarray(await d.feed(pending));
    };
    const d = await new TlsDriver(e).init();
    await d.e.write(d.ticketAt, ticket);
    assert.equal(await d.configure({ sni: "localhost", groups: [1], suites: [1], ticket: true }), 0);
    let n = 0;
    const orig = e.call.bind(e);
    e.call = async (fn, ...a) => { const r = await orig(fn, ...a); n += r.instructions; return r; };
    assert.equal(await d.call("tls_start"), 0);
    let clientHello = 0;
    for (let i = 0; i < 20 && !((await d.state()) & 4); i++) {
      const out = await d.output();
      if (out.length) sock.write(out);
      if (!clientHello) clientHello = n;
      assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
      if ((await d.state()) & 4) break;
      await pump();
    }
    const out = await d.output();   // the client Finished
    if (out.length) sock.write(out);
    assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
    assert.ok((await d.state()) & 4, "handshake complete");
    assert.equal(await d.call("tls_resumed"), 1, "the server accepted the ticket");
    const total = n;
    e.call = orig;
    const stats = await e.stats();   // before the GET: the handshake's own figures
    // The connection works: GET over it, openssl says "Reused".
    await d.sendApp(Buffer.from("GET / HTTP/1.0\r\n\r\n"));
    sock.write(await d.output());
    let body = "";
    for (let i = 0; i < 20 && !/Reused|New/.test(body); i++) {
      await pump();
      body += Buffer.from(await d.recvApp()).toString("latin1");
    }
    assert.match(body, /Reused, TLSv1.3/);
    console.log(`# TLS resumed handshake on ${engine} (QEMU Cortex-M4): ${total} instructions total ` +
      `(ClientHello with binder ${clientHello}, server flight + Finished ${total - clientHello}); ` +
      `~${(total / 25e6).toFixed(1)} s on the board at 25 M/s; stats ${JSON.stringify(stats)}`);
    benchRows(`TLS resumed handshake (${engine})`, [
      { name: `TLS resumed handshake (${engine}) (ticket, psk_dhe_ke, X25519, AES-128-GCM vs openssl; QEMU)`, value: total, unit: "instructions" },
      ...ramRows(`TLS resumed handshake (${engine})`, stats),
    ]);
  } finally { sock.destroy(); await e.close(); await srv.stop(); }
});
}
