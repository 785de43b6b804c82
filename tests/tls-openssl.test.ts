// TlsSocket against openssl s_server on loopback: the module (V8 in a worker
// with real TCP, and wasm3 on the native board) connects through a
// HostSocket, validates the chain against a test CA, and fetches a page.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { nativeBoard, type Engine } from "../host/node/engine.ts";
import { workerEngine } from "../host/node/worker-engine.ts";
import { TlsDriver, errorName, type TlsConfig } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer, type Server } from "./peers/servers.ts";

const pki = makePki("p256");
const leaf = pki.leaf("ec", "p256");
const rsaLeaf = pki.leaf("rsa", "rsa2048", true);

async function open(name: string): Promise<Engine> {
  if (name === "v8") return workerEngine({ wasm: process.env.WASM });
  return nativeBoard({ wasm: process.env.WASM });
}

// Connects with cfg, sends `request`, returns everything read until the end.
async function fetch(d: TlsDriver, port: number, cfg: TlsConfig, request: string): Promise<{ rc: number; body: string }> {
  await d.configure(cfg);
  const ca = await d.put(pki.caDer);
  assert.equal(await d.call("x509_anchor_add", ca, pki.caDer.length), 0);
  const host = Buffer.from("localhost");
  const h = await d.put(host);
  const rc = await d.call("tls_socket_connect", h, host.length, port, d.io, 10000);
  if (rc !== 0) return { rc, body: "" };
  const req = Buffer.from(request);
  const buf = await d.put(new Uint8Array(256));
  await d.e.write(buf, req);
  assert.equal(await d.call("tls_socket_write", buf, req.length), req.length);
  let body = "";
  for (let i = 0; i < 400; i++) {
    const n = await d.call("tls_socket_read", buf, 256, 5000);
    if (n < 0) { if (n !== -320) return { rc: n, body }; break; }
    body += Buffer.from(await d.e.read(buf, n)).toString("latin1");
  }
  await d.call("tls_socket_close");
  return { rc: 0, body };
}

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`TlsSocket vs openssl s_server on ${name}`, () => {
    let srv: Server;
    before(async () => { srv = await opensslServer(leaf.cert, leaf.key, ["-www", "-max_send_frag", "1024"]); });
    after(() => srv.stop());

    test("HTTP GET over TLS 1.3, ECDSA P-256 leaf validated against the test CA", async () => {
      const e = await open(name);
      try {
        const d = await new TlsDriver(e).init();
        const { rc, body } = await fetch(d, srv.port, {}, "GET / HTTP/1.0\r\n\r\n");
        assert.equal(rc, 0, errorName(rc));
        assert.match(body, /^HTTP\/1.0 200 ok/);
        assert.match(body, /TLSv1.3/);
      } finally { await e.close(); }
    });
  });
}
