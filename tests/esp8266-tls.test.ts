// TLS 1.3 and HTTPS through the simulated ESP8266: the release module (V8 on
// a worker thread, wasm3 on the native board with the modem UART over
// loopback TCP) joins the simulated access point, opens a TlsSocket over a
// TcpSocket (an ESP8266 link, AT+CIPSTART / CIPSEND / passive CIPRECVDATA)
// with tls_modem_connect, validates openssl s_server's chain against a test
// CA added at run time, and fetches the -www page with socket_write /
// socket_read on the TLS slot. Both AT dialects, the UART paced at 115200
// baud. Also: a chain from an unknown CA fails with its named error and
// alert and frees both slots and the modem link. On wasm3-qemu (when
// selected): the same handshake and GET on the emulated Cortex-M4 with the
// modem on QEMU's second UART, using the 1 MB benchmark firmware (the full
// release module does not fit the 128 KB board's wasm3 heap), without icount
// (icount's sleep=off makes virtual time jump while the driver waits for the
// UART, so every AT timeout would fire at once).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Rig, SSID, PSK } from "./lib/esp8266-rig.ts";
import { ShellEngine, qemuArgs, MPS2_BENCH_FIRMWARE } from "../host/node/engine.ts";
import { Esp8266Sim } from "../host/node/esp8266-sim.ts";
import { TlsDriver, errorName, type TlsConfig } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer, type Server } from "./peers/servers.ts";
import type { Dialect } from "../host/node/esp8266-sim.ts";

const SOCK_CLOSED = -320;
const pki = makePki("p256");
const leaf = pki.leaf("ec", "p256", true);   // leaf and intermediate: ~1.3 KB of certificates over the UART
const GET = "GET / HTTP/1.0\r\n\r\n";

interface Fetched { slot: number; rc: number; body: string; ms: number }

// Handshake over the modem to localhost:port, then GET and read to the end.
async function fetchOverModem(r: Rig, d: TlsDriver, port: number, ca: Uint8Array, cfg: TlsConfig = {}): Promise<Fetched> {
  d.reset();
  await d.call("x509_anchors_clear");
  assert.equal(await d.call("x509_anchor_add", await d.put(ca), ca.length), 0);
  await d.configure(cfg);
  const host = Buffer.from("localhost");
  const h = await d.put(host);
  const t0 = performance.now();
  const slot = await r.call("tls_modem_connect", h, host.length, port, d.io, 30000);
  const res: Fetched = { slot, rc: 0, body: "", ms: performance.now() - t0 };
  if (slot < 0) { res.rc = slot; return res; }
  const req = Buffer.from(GET);
  const buf = await d.put(new Uint8Array(128));
  await d.e.write(buf, req);
  const w = await r.call("socket_write", slot, buf, req.length);
  if (w !== req.length) { res.rc = w; return res; }
  for (let i = 0; i < 400; i++) {
    const n = await r.call("socket_read", slot, buf, 128, 5000);
    if (n < 0) { if (n !== SOCK_CLOSED) res.rc = n; break; }
    if (n === 0) { res.rc = -1000; break; }   // a 5 s silence
    res.body += Buffer.from(await d.e.read(buf, n)).toString("latin1");
  }
  return res;
}

const DIALECTS: Dialect[] = ["nonos", "at2"];
for (const engineName of ENGINES.filter((e) => e === "v8" || e === "wasm3-native")) {
  for (const dialect of DIALECTS) {
    describe(`TLS through the simulated ESP8266 (${dialect}) on ${engineName}`, () => {
      let srv: Server;
      before(async () => { srv = await opensslServer(leaf.cert, leaf.key, ["-www", "-max_send_frag", "1024"], leaf.chain); });
      after(async () => { await srv.stop(); });

      test("TLS 1.3 handshake and HTTPS GET at 115200 baud, then close", async () => {
        const r = await Rig.open(engineName, { dialect, baud: 115200 });
        try {
          await r.up();
          const d = await new TlsDriver(r.engine).init();
          const f = await fetchOverModem(r, d, srv.port, pki.caDer);
          assert.ok(f.slot >= 0, `tls_modem_connect: ${errorName(f.slot)}\n${srv.output().slice(-400)}`);
          assert.equal(f.rc, 0, errorName(f.rc));
          assert.match(f.body, /^HTTP\/1.0 200 ok/);
          assert.match(f.body, /TLSv1.3/);
          assert.equal(await r.call("socket_state", f.slot), 2, "EOF after the server's close_notify");
          console.log(`# ${engineName} ${dialect}: TLS handshake over the modem at 115200 baud in ${Math.round(f.ms)} ms`);
          // The bytes went through the modem: a CIPSTART to localhost, sends
          // with the > prompt, passive reads.
          assert.ok(r.sim.commands.some((c) => c.startsWith("AT+CIPSTART=") && c.includes('"localhost"')));
          assert.ok(r.sim.commands.filter((c) => c.startsWith("AT+CIPSEND=")).length >= 3, "ClientHello, Finished, request");
          assert.ok(r.sim.commands.some((c) => c.startsWith("AT+CIPRECVDATA=")), "passive receive");
          assert.equal(await r.call("socket_close", f.slot), 0);
          assert.equal(await r.call("socket_state", f.slot), 0);
          assert.equal(await r.call("socket_state", f.slot + 1), 0, "the inner TcpSocket closed");
          await new Promise((res) => setTimeout(res, 100));
          assert.equal(r.sim.linkCount(), 0, "the modem link closed");
          // The slots are free again: a second connection on the same module.
          const g = await fetchOverModem(r, d, srv.port, pki.caDer);
          assert.equal(g.rc, 0, errorName(g.rc));
          assert.equal(g.slot, f.slot);
          assert.match(g.body, /^HTTP\/1.0 200 ok/);
          assert.equal(await r.call("socket_close", g.slot), 0);
        } finally { await r.close(); }
      });

      test("unknown CA over the modem: ERR_X509_UNKNOWN_ISSUER, alert unknown_ca, slots and link freed", async () => {
        const r = await Rig.open(engineName, { dialect });
        try {
          await r.up();
          const d = await new TlsDriver(r.engine).init();
          const f = await fetchOverModem(r, d, srv.port, makePki("p256", "Other Root CA").caDer);
          assert.equal(errorName(f.slot), "ERR_X509_UNKNOWN_ISSUER");
          assert.equal(await d.call("tls_alert_sent"), 48);
          for (let i = 0; i < 4; i++) assert.equal(await r.call("socket_state", i), 0, `slot ${i} free`);
          await new Promise((res) => setTimeout(res, 100));
          assert.equal(r.sim.linkCount(), 0, "the modem link closed");
          assert.match(srv.output(), /alert unknown ca/);
          // Nothing trapped: the same module goes on, over a plain link too.
          const s = await r.open("localhost", srv.port);
          assert.ok(s >= 0, `tcp_socket_open ${s}`);
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); }
      });
    });
  }
}

const qemuSkip = !ENGINES.includes("wasm3-qemu") ? "wasm3-qemu not selected"
  : !existsSync(MPS2_BENCH_FIRMWARE) ? `no firmware ${MPS2_BENCH_FIRMWARE}` : false;
describe("TLS through the simulated ESP8266 (at2) on wasm3-qemu (1 MB benchmark firmware)", () => {
  test("TLS 1.3 handshake and HTTPS GET", { skip: qemuSkip, timeout: 120_000 }, async () => {
    const srv = await opensslServer(leaf.cert, leaf.key, ["-www", "-max_send_frag", "1024"], leaf.chain);
    const sim = new Esp8266Sim({ aps: { [SSID]: PSK }, dialect: "at2" });
    const port = await sim.listen();
    const e = await new ShellEngine("wasm3-qemu", "qemu-system-arm", qemuArgs({
      firmware: MPS2_BENCH_FIRMWARE, cmdline: "rpc", extra: ["-serial", `tcp:127.0.0.1:${port}`],
    })).ready();
    const r = new Rig(e, sim);
    try {
      r.io = await r.call("io_buffer");
      await r.up();
      const d = await new TlsDriver(e).init();
      const f = await fetchOverModem(r, d, srv.port, pki.caDer);
      assert.ok(f.slot >= 0, `tls_modem_connect: ${errorName(f.slot)}`);
      assert.equal(f.rc, 0, errorName(f.rc));
      assert.match(f.body, /^HTTP\/1.0 200 ok/);
      console.log(`# wasm3-qemu at2: TLS handshake over the modem in ${Math.round(f.ms)} ms of host time (unpaced UART)`);
      assert.equal(await r.call("socket_close", f.slot), 0);
    } finally { await r.close(); await srv.stop(); }
  });
});
