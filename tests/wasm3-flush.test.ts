// Flushing wasm3's compiled code between host->Wasm calls (host/wasm3/flush.c,
// the shell's `f` command, ShellEngine.flush()).
//
// Tests: after a flush the module still answers right (SHA-256 and X25519
// against node:crypto) and compiled code drops to one page (the import
// stubs) then grows again; flush+call cycles leak nothing (heap flat); and
// the measurement: a full TLS 1.3 handshake against the scripted server with
// a flush before every shell call, on the 128 KB QEMU firmware, compared call
// by call with the same handshake without flushes on the 1 MB bench firmware.
//
// Measured 2026-11-25 (build/release.wasm, 444 functions; QEMU mps2-an386,
// icount; heap = wasm3's live heap incl. headers; heap_brk = heap_peak + 8
// in every run, so no fragmentation loss):
// - After a flush: compiled 2,048 B (one page: the 12 import stubs, 192 B of
//   it used, the rest taken by the next compiles), heap 71,216 B (linear
//   memory 24,576 + that page + ~44.6 KB of wasm3 structures). 12 flush+call
//   cycles: heap after each flush 71,216 every time, heap_brk flat at 86,592
//   from the 2nd cycle. A flush costs ~12.9 K instructions.
// - The 128 KB board's heap room is 122,360 B (128 KB - 8 KB stack - 520 B
//   static). The handshake does NOT complete there: the call that processes
//   the Certificate record fails with "memory allocation failed when acquiring
//   a new M3 code page" (heap 121,232 + a 2 KB page). Run to completion on the
//   1 MB board with the same flushes, that call needs heap 154,280 B
//   (compiled code 79,872 B): 31.9 KB short. Every other call fits:
//     call (flight one record per message)  compiled at end  heap at end  instructions (no flush -> flush)
//     x509_anchor_add                           28,672        99,432        1.68 M ->   1.69 M
//     tls_start (X25519 keygen, ClientHello)    28,672        99,712       28.35 M ->  28.59 M
//     tls_recvrec_ack ServerHello (X25519)      43,008       115,048       28.45 M ->  29.44 M
//     tls_recvrec_ack EncryptedExtensions       30,720       101,744        0.72 M ->   1.62 M
//     tls_recvrec_ack Certificate (X.509+ECDSA) 79,872       154,280      118.32 M -> 120.77 M   <- too big
//     tls_recvrec_ack CertificateVerify (ECDSA) 49,152       121,896      114.31 M -> 115.97 M   (fits by 464 B)
//     tls_recvrec_ack Finished                  38,912       111,104        5.49 M ->   7.37 M
//     small calls (state, buffers, acks)        2,048         ~71,300     +20-90 K each
//   The whole flight in one record: one call, compiled 92,160 B, heap 168,000 B.
//   Without flushes: compiled 126,976 B, heap peak 205,000 B. Finer pieces do
//   not help: a record is decrypted (AES-GCM) only when complete.
// - Cost of recompiling: whole handshake 298.1 M -> 307.1 M instructions
//   (+8.9 M, +3.0 %, 61 calls) plus 0.78 M in the flushes; flight in one
//   record 297.2 M -> 303.0 M (+5.7 M, +1.9 %, 35 calls) + 0.45 M. About
//   60-80 instructions per compiled byte (x25519: 592 K to compile 10 KB).
//   ECDSA verification time varies with the signature (CertificateVerify is
//   signed afresh each run): +-3 M between runs.
// - The module changes under other work: a later build measured heap 70,784
//   after a flush, 153,848 for the Certificate call, recompiling +7.8 M
//   (+2.6 %). Same conclusion.
// - This test drives the engine through the test shell without F_STEPS, so
//   each record is decrypted, parsed and checked in one call. The app does
//   better (later the same day): it runs in steps (assembly/app/telemetry.ts
//   step(), host/wasm3/main.c frees compiled code between them) and TlsSocket
//   sets F_STEPS, so the engine pauses after decrypting a handshake record and
//   before the certificate's trust-anchor check: the demo completes inside
//   128 KB (tests/demo.test.ts; largest step 57,344 B compiled).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, diffieHellman } from "node:crypto";
import { existsSync } from "node:fs";
import { ShellEngine, openEngine, qemuArgs, MPS2_FIRMWARE, MPS2_BENCH_FIRMWARE, type EngineName, type CallResult, type Value } from "../host/node/engine.ts";
import { Module } from "./lib/module.ts";
import { TlsDriver, errorName } from "./lib/tls.ts";
import { makePki } from "./peers/pki.ts";
import { ScriptedServer } from "./peers/scripted-server.ts";
import { rng, hex, ENGINES } from "./lib/util.ts";

const PAGE = 2048;   // d_m3CodePageAlignSize (host/wasm3/wasm3.mk)

// X25519 against node:crypto: [module's shared secret, node's].
async function x25519Check(e: ShellEngine, io: number): Promise<[string, string]> {
  const a = generateKeyPairSync("x25519"), b = generateKeyPairSync("x25519");
  const scalar = Buffer.from(a.privateKey.export({ format: "jwk" }).d!, "base64url");
  const peer = Buffer.from(b.publicKey.export({ format: "jwk" }).x!, "base64url");
  await e.write(io + 32, scalar);
  await e.write(io + 64, peer);
  const r = await e.call("x25519", io, io + 32, io + 64);
  assert.equal(r.value, 0);
  const want = diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
  return [hex(await e.read(io, 32)), hex(want)];
}
const sha = (d: Uint8Array) => hex(createHash("sha256").update(d).digest());

for (const name of ["wasm3-native", "wasm3-qemu"] as const) {
  describe(`flush on ${name}`, { skip: !ENGINES.includes(name) && `${name} not selected` }, () => {
    test("answers stay right; compiled code drops to the import stubs' page, then grows again", async () => {
      const e = await openEngine(name as EngineName) as ShellEngine;
      try {
        const m = await new Module(e).init();
        const io = Number((await e.call("io_buffer")).value);
        const data = rng(1000, 5);
        assert.equal(hex(await m.sha256([data])), sha(data));
        const [got0, want0] = await x25519Check(e, io);
        assert.equal(got0, want0);
        const before = await e.stats();
        const f = await e.flush();
        assert.equal(f.released, before.compiled);
        const after = await e.stats();
        assert.equal(after.compiled_functions, 0);
        assert.ok(after.compiled <= PAGE, `compiled after a flush: ${after.compiled}`);
        assert.ok(after.heap < before.heap - before.compiled + PAGE, `heap ${before.heap} -> ${after.heap}`);
        assert.equal(after.compiled_peak, before.compiled, "the peak survives the flush");
        assert.equal(hex(await m.sha256([data])), sha(data));
        const [got1, want1] = await x25519Check(e, io);
        assert.equal(got1, want1);
        const again = await e.stats();
        // Grows again (a little less than before: io_buffer and io_size are not called again).
        assert.ok(again.compiled > before.compiled / 2 && again.compiled <= before.compiled, `compiled ${before.compiled} -> ${again.compiled}`);
        assert.ok(again.compiled_functions > 0);
        // A flush right after a flush releases only the stubs' page.
        await e.flush();
        assert.equal((await e.flush()).released, after.compiled);
        assert.equal(hex(await m.sha256([data.subarray(0, 64)])), sha(data.subarray(0, 64)));
      } finally { await e.close(); }
    });

    test("flush+call cycles do not leak: heap after each flush stays flat", async () => {
      const e = await openEngine(name as EngineName) as ShellEngine;
      try {
        const m = await new Module(e).init();
        const io = Number((await e.call("io_buffer")).value);
        const heaps: number[] = [], brks: number[] = [];
        for (let i = 0; i < 12; i++) {
          await e.flush();
          const s = await e.stats();
          heaps.push(s.heap); brks.push(s.heap_brk);
          const d = rng(100 + i * 37, i);
          assert.equal(hex(await m.sha256([d])), sha(d));
          if (i % 3 === 0) { const [g, w] = await x25519Check(e, io); assert.equal(g, w); }
        }
        console.log(`# ${name}: heap after each flush ${heaps.join(" ")}; heap_brk ${brks.join(" ")}`);
        assert.deepEqual(new Set(heaps.slice(1)).size, 1, `heap after flushes: ${heaps.join(" ")}`);
        assert.ok(brks[brks.length - 1] <= brks[2], `heap break grows: ${brks.join(" ")}`);
      } finally { await e.close(); }
    });
  });
}

// ---- the TLS handshake, call by call ---------------------------------------
interface Row { phase: string; fn: string; n: number; flushN: number; compiled: number; heap: number; peak: number; brk: number }

// Wraps e.call: an optional flush before it, the figures after it.
function instrument(e: ShellEngine, flush: boolean, rows: Row[], phase: { name: string }): void {
  const orig = e.call.bind(e);
  e.call = async (fn: string, ...a: Value[]): Promise<CallResult> => {
    const f = flush ? await e.flush() : { instructions: 0 };
    const r = await orig(fn, ...a).catch(async (err) => {
      const s = await e.stats();
      rows.push({ phase: phase.name, fn: `${fn} FAILED`, n: 0, flushN: f.instructions, compiled: s.compiled, heap: s.heap, peak: s.heap_peak, brk: s.heap_brk });
      throw err;
    });
    const s = await e.stats();
    rows.push({ phase: phase.name, fn, n: r.instructions, flushN: f.instructions, compiled: s.compiled, heap: s.heap, peak: s.heap_peak, brk: s.heap_brk });
    return r;
  };
}

// configure, anchor, tls_start, ClientHello out, ServerHello in, then the
// encrypted flight: one record per message (pieces) or all in one record.
async function handshake(e: ShellEngine, flush: boolean, pieces: boolean, pki: ReturnType<typeof makePki>, ec: { cert: string; key: string }, rows: Row[]): Promise<void> {
  const phase = { name: "init" };
  instrument(e, flush, rows, phase);
  const d = await new TlsDriver(e).init();
  phase.name = "configure";
  assert.equal(await d.configure({ sni: "localhost", groups: [1], suites: [1] }), 0);
  await d.call("x509_anchors_clear");
  assert.equal(await d.call("x509_anchor_add", await d.put(pki.caDer), pki.caDer.length), 0);
  phase.name = "tls_start";
  assert.equal(await d.call("tls_start"), 0, errorName(await d.lastError()));
  phase.name = "ClientHello out";
  const s = new ScriptedServer(ec.cert, ec.key);
  s.clientHello(await d.output());
  phase.name = "ServerHello in";
  const sh = s.serverHello(); s.keys(sh);
  await d.feed(Buffer.concat([Buffer.from([22, 3, 3, sh.length >> 8, sh.length & 255]), sh]));
  if (pieces) {
    for (const [k, m] of [["EncryptedExtensions", () => s.ee()], ["Certificate", () => s.certificate()],
      ["CertificateVerify", () => s.certVerify()], ["Finished", () => s.finished()]] as const) {
      phase.name = `${k} in`;
      await d.feed(s.record(s.add(m())));
      assert.equal(await d.lastError(), 0, `${k}: ${errorName(await d.lastError())}`);
    }
  } else {
    phase.name = "flight in";
    await d.feed(s.record(s.flight()));
  }
  phase.name = "Finished out";
  const fin = await d.output();
  assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
  assert.ok(fin.length > 0 && ((await d.state()) & 4), "handshake complete");
}

interface Phase { phase: string; calls: number; n: number; flushN: number; compiled: number; heap: number; peak: number; brk: number; heavy: string }
function byPhase(rows: Row[]): Phase[] {
  const out: Phase[] = [];
  for (const r of rows) {
    let p = out.find((x) => x.phase === r.phase);
    if (!p) out.push(p = { phase: r.phase, calls: 0, n: 0, flushN: 0, compiled: 0, heap: 0, peak: 0, brk: 0, heavy: "" });
    p.calls++; p.n += r.n; p.flushN += r.flushN;
    if (r.compiled > p.compiled) { p.compiled = r.compiled; p.heavy = r.fn; }
    p.heap = Math.max(p.heap, r.heap); p.peak = Math.max(p.peak, r.peak); p.brk = Math.max(p.brk, r.brk);
  }
  return out;
}

const qemuSkip = !ENGINES.includes("wasm3-qemu") ? "wasm3-qemu not selected"
  : !existsSync(MPS2_FIRMWARE) || !existsSync(MPS2_BENCH_FIRMWARE) ? "no mps2 firmware (make mps2)" : false;

test("TLS 1.3 full handshake on the 128 KB board, flushing before every call (wasm3-qemu, icount)", { skip: qemuSkip, timeout: 1200000 }, async () => {
  const pki = makePki("p256");
  const ec = pki.leaf("ec", "p256");
  const runs: Record<string, { rows: Row[]; err: string }> = {};
  const BENCH = "1 MB bench board", SMALL = "128 KB board";
  const key = (flush: boolean, board: string, pieces: boolean) =>
    `${flush ? "flush" : "no flush"}, ${board}, flight ${pieces ? "one record per message" : "in one record"}`;
  for (const pieces of [false, true]) {
    for (const [flush, board] of [[false, BENCH], [true, BENCH], [true, SMALL]] as const) {
      const label = key(flush, board, pieces);
      const e = await new ShellEngine("wasm3-qemu", "qemu-system-arm", qemuArgs({ firmware: board === BENCH ? MPS2_BENCH_FIRMWARE : MPS2_FIRMWARE, icount: true, cmdline: "rpc" })).ready();
      try {
        const rows: Row[] = [];
        const err = await handshake(e, flush, pieces, pki, ec, rows).then(() => "", (x: Error) => x.message);
        runs[label] = { rows, err };
        const st = await e.stats();
        const total = rows.reduce((a, r) => a + r.n, 0), flushes = rows.reduce((a, r) => a + r.flushN, 0);
        console.log(`# ${label}: ${err ? "FAILED (" + err + ")" : "complete"}; ${rows.length} calls, ${total} instructions in calls ` +
          `(+${flushes} in flushes); heap_peak ${st.heap_peak}, heap_brk ${st.heap_brk}, compiled_peak ${st.compiled_peak}`);
        for (const p of byPhase(rows)) {
          console.log(`#   ${p.phase.padEnd(22)} calls ${String(p.calls).padStart(3)}  instr ${String(p.n).padStart(10)}  ` +
            `compiled max ${String(p.compiled).padStart(6)} (${p.heavy})  heap max ${p.heap}  heap_peak ${p.peak}  brk ${p.brk}`);
        }
      } finally { await e.close(); }
    }
    // Recompiling's cost: the same calls with and without flushes (both on the bench board).
    const a = runs[key(false, BENCH, pieces)], b = runs[key(true, BENCH, pieces)];
    assert.equal(a.err, "", a.err);
    assert.equal(b.err, "", `a flushed handshake works (given the RAM): ${b.err}`);
    assert.equal(a.rows.length, b.rows.length);
    const ta = a.rows.reduce((x, r) => x + r.n, 0), tb = b.rows.reduce((x, r) => x + r.n, 0);
    const tf = b.rows.reduce((x, r) => x + r.flushN, 0);
    console.log(`# recompiling (${pieces ? "one record per message" : "one record"}): ${tb} - ${ta} = ${tb - ta} instructions ` +
      `(+${(100 * (tb - ta) / ta).toFixed(1)} %), flushes ${tf}; heavy calls (no flush -> flush, compiled and heap at the call's end with flushes):`);
    for (let i = 0; i < a.rows.length; i++) {
      const r = b.rows[i];
      if (r.n > 1e6 || r.compiled > 20000) {
        console.log(`#   ${r.phase.padEnd(22)} ${r.fn.padEnd(16)} ${String(a.rows[i].n).padStart(10)} -> ${String(r.n).padStart(10)}  compiled ${r.compiled}  heap ${r.heap}`);
      }
    }
    // The 128 KB board: it completes, or fails cleanly at a code page allocation.
    const small = runs[key(true, SMALL, pieces)];
    if (small.err) assert.match(small.err, /memory allocation failed/);
  }
});
