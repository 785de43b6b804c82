// Client authentication: a CertificateRequest answered with our P-256
// certificate and an ECDSA CertificateVerify, or with an empty Certificate
// when none is configured; against openssl s_server (-Verify / -verify) and Go.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { TlsDriver, errorName, openEngine, type TlsConfig } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer, goServer, type Server } from "./peers/servers.ts";
import { fetch } from "./tls-openssl-lib.ts";

const pki = makePki("p256");
const server = pki.leaf("ec", "p256");
const client = pki.leaf("client", "p256");
const der = Buffer.from(new X509Certificate(readFileSync(client.cert)).raw);
const certList = Buffer.concat([Buffer.from([0, der.length >> 8, der.length & 255]), der, Buffer.from([0, 0])]);
const key = Buffer.from(createPrivateKey(readFileSync(client.key)).export({ format: "jwk" }).d!, "base64url");
const withCert: TlsConfig = { certList, key };

interface Case { name: string; start: () => Promise<Server>; cfg: TlsConfig; body?: RegExp; error?: string }
const CASES: Case[] = [
  { name: "openssl -Verify (required): our certificate and signature accepted", start: () => opensslServer(server.cert, server.key, ["-www", "-max_send_frag", "1024", "-Verify", "1", "-verifyCAfile", pki.file("ca.pem")]), cfg: withCert, body: /Client certificate/ },
  { name: "openssl -verify (optional), no certificate configured: empty Certificate, handshake completes", start: () => opensslServer(server.cert, server.key, ["-www", "-max_send_frag", "1024", "-verify", "1"]), cfg: {}, body: /no client certificate available/ },
  { name: "openssl -Verify, no certificate configured: the server's certificate_required alert, named", start: () => opensslServer(server.cert, server.key, ["-www", "-Verify", "1", "-verifyCAfile", pki.file("ca.pem")]), cfg: {}, error: "RECV_ALERT_116" },
  { name: "go RequireAndVerifyClientCert: accepted", start: () => goServer(server.cert, server.key, ["-clientca", pki.file("ca.pem")]), cfg: withCert, body: /200 OK/ },
];

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`client authentication on ${name}`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const srv = await c.start();
        const e = await openEngine(name);
        try {
          const d = await new TlsDriver(e).init();
          // (a pause before the request lets a refusing server's alert arrive first)
          const r = await fetch(d, srv.port, c.cfg, "GET /100 HTTP/1.0\r\n\r\n", pki.caDer, c.error ? 300 : 0);
          if (c.error) { assert.equal(errorName(r.rc), c.error); return; }
          assert.equal(r.rc, 0, `${errorName(r.rc)}\n${srv.output().slice(-300)}`);
          assert.match(r.body, c.body!);
        } finally { await e.close(); await srv.stop(); }
      });
    }
  });
}
