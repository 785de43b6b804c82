// KeyUpdate both ways and close_notify/alerts against openssl s_server in
// interactive mode: a line "K" on its stdin makes it send KeyUpdate with
// update_requested; what it reads from us it prints.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { TlsDriver, errorName, openEngine } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer, type Server } from "./peers/servers.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");
const until = async (f: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (f()) return;
  throw new Error("timeout");
};

async function connect(d: TlsDriver, srv: Server): Promise<number> {
  await d.configure({});
  const ca = await d.put(pki.caDer);
  await d.call("x509_anchors_clear");
  await d.call("x509_anchor_add", ca, pki.caDer.length);
  const h = await d.put(Buffer.from("localhost"));
  return d.call("tls_socket_connect", h, 9, srv.port, d.io, 10000);
}
async function readLine(d: TlsDriver, buf: number): Promise<string> {
  let s = "";
  for (let i = 0; i < 50 && !s.includes("\n"); i++) {
    const n = await d.call("tls_socket_read", buf, 128, 200);
    if (n < 0) throw new Error(errorName(n));
    s += Buffer.from(await d.e.read(buf, n)).toString();
  }
  return s;
}
async function write(d: TlsDriver, buf: number, s: string): Promise<void> {
  await d.e.write(buf, Buffer.from(s));
  assert.equal(await d.call("tls_socket_write", buf, s.length), s.length);
}

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`KeyUpdate and closure vs openssl s_server on ${name}`, () => {
    test("server-initiated KeyUpdate (update_requested): we follow and answer; data flows both ways", async () => {
      const srv = await opensslServer(ec.cert, ec.key, ["-msg"]);
      const e = await openEngine(name);
      try {
        const d = await new TlsDriver(e).init();
        assert.equal(await connect(d, srv), 0);
        const buf = await d.put(new Uint8Array(128));
        await write(d, buf, "hello 1\n");
        await until(() => srv.output().includes("hello 1"));
        for (let round = 0; round < 3; round++) {
          srv.proc.stdin!.write("K\n");   // alone in its read(): s_server ignores the rest of a K line
          await new Promise((r) => setTimeout(r, 300));   // (its report of the update is buffered)
          srv.proc.stdin!.write(`from server ${round}\n`);
          assert.match(await readLine(d, buf), new RegExp(`from server ${round}`), srv.output());
          await write(d, buf, `after update ${round}\n`);
          await until(() => srv.output().includes(`after update ${round}`));
        }
        // -msg shows the KeyUpdates: three sent by the server, three answers from us.
        assert.equal(srv.output().match(/>>> TLS 1.3, Handshake \[length 0005\], KeyUpdate/g)?.length, 3, srv.output());
        assert.equal(srv.output().match(/<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate/g)?.length, 3);
        await d.call("tls_socket_close");
      } finally { await e.close(); await srv.stop(); }
    });

    test("client-initiated KeyUpdate (update_requested): the server answers, data flows", async () => {
      const srv = await opensslServer(ec.cert, ec.key, ["-msg"]);
      const e = await openEngine(name);
      try {
        const d = await new TlsDriver(e).init();
        assert.equal(await connect(d, srv), 0);
        const buf = await d.put(new Uint8Array(128));
        for (let round = 0; round < 3; round++) {
          assert.equal(await d.call("tls_key_update", 1), 0);
          await write(d, buf, `updated ${round}\n`);
          await until(() => srv.output().includes(`updated ${round}`));
          srv.proc.stdin!.write(`reply ${round}\n`);
          assert.match(await readLine(d, buf), new RegExp(`reply ${round}`));
        }
        assert.equal(srv.output().match(/<<< TLS 1.3, Handshake \[length 0005\], KeyUpdate/g)?.length, 3, srv.output());
        assert.equal(srv.output().match(/>>> TLS 1.3, Handshake \[length 0005\], KeyUpdate/g)?.length, 3);
        await d.call("tls_socket_close");
      } finally { await e.close(); await srv.stop(); }
    });

    // (A clean close_notify ending the stream is checked by every -www case
    // in tls-openssl.test.ts: the page is read until ERR_SOCK_CLOSED.)
    test("TCP closed without close_notify (s_server Q) is a truncation: ERR_TLS_TRANSPORT, not end of stream", async () => {
      const srv = await opensslServer(ec.cert, ec.key, []);
      const e = await openEngine(name);
      try {
        const d = await new TlsDriver(e).init();
        assert.equal(await connect(d, srv), 0);
        const buf = await d.put(new Uint8Array(128));
        srv.proc.stdin!.write("Q\n");   // s_server: shut the socket down, then quit
        let n = 0;
        for (let i = 0; i < 25 && n >= 0; i++) n = await d.call("tls_socket_read", buf, 128, 200);
        assert.equal(errorName(n), "ERR_TLS_TRANSPORT", srv.output());
        assert.equal(errorName(await d.call("tls_last_error")), "ERR_TLS_TRANSPORT");
      } finally { await e.close(); await srv.stop(); }
    });
  });
}
