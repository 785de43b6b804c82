// The object API (assembly/net/api.ts: Wifi, Join.wpa, new TcpSocket(wifi),
// new HostSocket(), TlsSocket.wrap(inner, buffers, config)) the way
// application code uses it: the same Socket calls over plain TCP and over TLS
// wrapped around the same socket (assembly/exports/api.ts), against real
// servers on loopback, on V8 and under wasm3 on the native board. The app
// (assembly/app/telemetry.ts) uses the same API over the ESP8266
// (tests/demo.test.ts, tests/gateway.test.ts).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { TlsDriver, errorName, openEngine } from "./lib/tls.ts";
import { nodeServer } from "./peers/servers.ts";
import { makePki } from "./peers/pki.ts";
import { ENGINES } from "./lib/util.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`Socket object API on ${name}`, () => {
    test("the same calls over plain TCP and over TLS (server validated), twice on the same objects", async () => {
      const tlsSrv = await nodeServer(ec.cert, ec.key);
      const plain = net.createServer((c) => c.on("data", (b) => c.end(Buffer.concat([Buffer.from("echo:"), b]))));
      await new Promise<void>((r) => plain.listen(0, "127.0.0.1", () => r()));
      const plainPort = (plain.address() as net.AddressInfo).port;
      const e = await openEngine(name);
      try {
        const d = await new TlsDriver(e).init();
        await d.call("x509_anchors_clear");
        assert.equal(await d.call("x509_anchor_add", await d.put(pki.caDer), pki.caDer.length), 0);
        const req = Buffer.from("GET /16 HTTP/1.0\r\n\r\n");
        const cap = (n: number) => { const b = new Uint8Array(n); new DataView(b.buffer).setUint32(0, n, true); return b; };
        for (let round = 0; round < 2; round++) {
          // TLS: the cfg block from the driver (suites, groups, no client cert).
          await d.configure({ sni: "localhost", ticket: false });
          const host = await d.put(Buffer.from("localhost"));
          const rq = await d.put(req), out = await d.put(cap(320));
          const n = await d.call("api_fetch", 1, host, 9, tlsSrv.port, d.io, rq, req.length, out);
          assert.ok(n > 0, `api_fetch over TLS: ${errorName(n)}`);
          const body = Buffer.from(await e.read(out, n)).toString("latin1");
          assert.match(body, /^HTTP\/1\.[01] 200/);
          assert.equal(await d.call("tls_resumed"), 0);
          // Plain TCP through the very same HostSocket object.
          const msg = Buffer.from(`hello ${round}`);
          const pm = await d.put(msg), po = await d.put(cap(64));
          const m = await d.call("api_fetch", 0, host, 9, plainPort, d.io, pm, msg.length, po);
          assert.equal(Buffer.from(await e.read(po, m)).toString(), `echo:hello ${round}`);
        }
        // A wrong trust anchor: the TLS path reports the validator's named error.
        await d.call("x509_anchors_clear");
        const other = makePki("p256");
        assert.equal(await d.call("x509_anchor_add", await d.put(other.caDer), other.caDer.length), 0);
        await d.configure({ sni: "localhost", ticket: false });
        const host = await d.put(Buffer.from("localhost"));
        const rq = await d.put(req), out = await d.put(cap(64));
        const bad = await d.call("api_fetch", 1, host, 9, tlsSrv.port, d.io, rq, req.length, out);
        assert.ok(bad < 0 && /X509|TLS/.test(errorName(bad)), errorName(bad));
      } finally { await e.close(); await tlsSrv.stop(); plain.close(); }
    });
  });
}
