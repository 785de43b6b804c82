// TlsSocket against two more independent TLS 1.3 stacks: a Node tls server
// (OpenSSL inside Node) and Go's crypto/tls. Go honours neither
// max_fragment_length nor record_size_limit: its 3 KB certificate record
// streams through our 2 KB input buffer.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { TlsDriver, errorName, openEngine, type TlsConfig } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { goServer, nodeServer, type Server } from "./peers/servers.ts";
import { fetch } from "./tls-openssl-lib.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");
const ed = pki.leaf("ed", "ed25519");
const big = pki.leaf("big", "p256", false, 120);
const chained = pki.leaf("p384", "p384", true);

interface Case { name: string; start: () => Promise<Server>; cfg?: TlsConfig; size?: number; resume?: boolean; suite?: number; group?: number; error?: string; v8only?: boolean }
const withChain = (l: { cert: string; chain: string }) => {   // Go and Node want the chain in the cert file
  return l.chain ? `${l.cert}.full` : l.cert;
};
import { readFileSync, writeFileSync } from "node:fs";
writeFileSync(`${chained.cert}.full`, readFileSync(chained.cert, "utf8") + readFileSync(chained.chain, "utf8"));

const CASES: Case[] = [
  { name: "node: AES-128-GCM, x25519", start: () => nodeServer(ec.cert, ec.key, { ciphers: "TLS_AES_128_GCM_SHA256" }), suite: 0x1301 },
  { name: "node: AES-256-GCM", start: () => nodeServer(ec.cert, ec.key, { ciphers: "TLS_AES_256_GCM_SHA384" }), suite: 0x1302 },
  { name: "node: ChaCha20-Poly1305", start: () => nodeServer(ec.cert, ec.key, { ciphers: "TLS_CHACHA20_POLY1305_SHA256" }), suite: 0x1303 },
  { name: "node: P-256 only (HelloRetryRequest)", start: () => nodeServer(ec.cert, ec.key, { ecdhCurve: "P-256" }), group: 0x17 },
  { name: "node: Ed25519 leaf", start: () => nodeServer(ed.cert, ed.key) },
  { name: "node: 8 KB response in 1 KB records (max_fragment_length 1024)", start: () => nodeServer(ec.cert, ec.key), cfg: { mfl: 2 }, size: 8000 },
  { name: "node: ticket resumption", start: () => nodeServer(ec.cert, ec.key), resume: true },
  { name: "go: x25519, ECDSA P-256", start: () => goServer(ec.cert, ec.key), group: 0x1d },
  { name: "go: P-256 only (HelloRetryRequest)", start: () => goServer(ec.cert, ec.key, ["-curve", "p256"]), group: 0x17 },
  { name: "go: P-384 leaf behind an intermediate", start: () => goServer(withChain(chained), chained.key) },
  { name: "go: 3 KB certificate record through the 2 KB input buffer (no MFL/RSL in Go)", start: () => goServer(big.cert, big.key) },
  // Go grows its records 1208, 2416, ... bytes and honours no record limit:
  // with the 2 KB buffer, the second data record is a record_overflow.
  { name: "go: 20 KB response into the 2 KB buffer: record_overflow (Go negotiates no limit)", start: () => goServer(ec.cert, ec.key), size: 20000, error: "ERR_TLS_RECORD_OVERFLOW" },
  { name: "go: 1 KB response (its first data record is 1208 bytes: fits)", start: () => goServer(ec.cert, ec.key), size: 1000 },
  { name: "go: ticket resumption", start: () => goServer(ec.cert, ec.key), resume: true },
];

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`TlsSocket vs node and go on ${name}`, () => {
    for (const c of CASES) {
      test(c.name, { skip: c.v8only && name !== "v8" ? "needs more than the device's 24 KB of linear memory" : false }, async () => {
        const srv = await c.start();
        const e = await openEngine(name);
        try {
          const d = await new TlsDriver(e).init();
          const size = c.size ?? 100;
          const cfg = { ticket: true, ...c.cfg };
          if (c.resume) await d.clearTicket();
          const r = await fetch(d, srv.port, cfg, `GET /${size} HTTP/1.0\r\n\r\n`, pki.caDer);
          if (c.error) {
            assert.equal(errorName(r.rc), c.error);
            assert.equal(await d.call("tls_alert_sent"), 22);
            return;
          }
          assert.equal(r.rc, 0, `${errorName(r.rc)}\n${srv.output().slice(-300)}`);
          assert.match(r.body, /^HTTP\/1.0 200 OK/);
          assert.equal(r.body.split("\r\n\r\n")[1]?.length, size);
          if (c.suite) assert.equal(r.suite, c.suite);
          if (c.group) assert.equal(r.group, c.group);
          if (c.resume) {
            const r2 = await fetch(d, srv.port, cfg, `GET /${size} HTTP/1.0\r\n\r\n`, pki.caDer);
            assert.equal(r2.rc, 0, errorName(r2.rc));
            assert.equal(r2.resumed, 1);
            assert.match(r2.body, /X-Resumed: true/);
          }
        } finally { await e.close(); await srv.stop(); }
      });
    }
  });
}
