// TlsSocket against openssl s_server on loopback: the module (V8 in a worker
// with real TCP, and wasm3 on the native board) connects through a
// HostSocket, validates the chain against a test CA, and fetches a page.
// One table of cases: suites, groups, HelloRetryRequest, max_fragment_length,
// ALPN, record padding, leaf key types, a flight larger than the input buffer.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { TlsDriver, errorName, openEngine, type TlsConfig } from "./lib/tls.ts";
import { fetch } from "./tls-openssl-lib.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer } from "./peers/servers.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");
const ed = pki.leaf("ed", "ed25519");
const p384 = pki.leaf("p384", "p384", true);
const big = pki.leaf("big", "p256", false, 120);   // ~3 KB certificate: a flight larger than the 2 KB input buffer


interface Case {
  name: string; server: string[]; cfg: TlsConfig; leaf?: { cert: string; key: string; chain: string };
  suite?: number; group?: number; alpn?: string; error?: string;
}
const GET = "GET / HTTP/1.0\r\n\r\n";
const CASES: Case[] = [
  { name: "AES-128-GCM, x25519, ECDSA P-256 leaf", server: ["-ciphersuites", "TLS_AES_128_GCM_SHA256"], cfg: {}, suite: 0x1301, group: 0x1d },
  { name: "AES-256-GCM (SHA-384 schedule)", server: ["-ciphersuites", "TLS_AES_256_GCM_SHA384"], cfg: {}, suite: 0x1302 },
  { name: "ChaCha20-Poly1305", server: ["-ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"], cfg: {}, suite: 0x1303 },
  { name: "our suite order decides nothing: the server's choice among ours", server: [], cfg: { suites: [3] }, suite: 0x1303 },
  { name: "secp256r1 key share", server: [], cfg: { groups: [2, 1] }, group: 0x17 },
  { name: "HelloRetryRequest forced (server P-256 only, our share x25519)", server: ["-groups", "P-256"], cfg: { groups: [1, 2] }, group: 0x17 },
  { name: "HelloRetryRequest without middlebox compatibility", server: ["-groups", "P-256"], cfg: { groups: [1, 2], compat: false }, group: 0x17 },
  { name: "no common group: handshake_failure from the server", server: ["-groups", "P-384"], cfg: {}, error: "RECV_ALERT_40" },
  { name: "max_fragment_length 512", server: [], cfg: { mfl: 1 } },
  { name: "max_fragment_length 1024", server: [], cfg: { mfl: 2 } },
  { name: "ALPN http/1.1 chosen from two", server: ["-alpn", "http/1.1"], cfg: { alpn: ["h2", "http/1.1"] }, alpn: "http/1.1" },
  { name: "record padding 512 (the server pads every record)", server: ["-record_padding", "512"], cfg: {} },
  { name: "Ed25519 leaf", server: [], cfg: {}, leaf: ed },
  { name: "ECDSA P-384 leaf behind a P-256 intermediate", server: [], cfg: {}, leaf: p384 },
  { name: "3 KB certificate: the server flight streams through the 2 KB input buffer", server: [], cfg: {}, leaf: big },
  { name: "wrong trust anchor: unknown issuer, our alert unknown_ca", server: [], cfg: {}, error: "ERR_X509_UNKNOWN_ISSUER" },
];

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`TlsSocket vs openssl s_server on ${name}`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const leaf = c.leaf ?? ec;
        // Responses stay below the 2 KB input buffer: max_send_frag 1024 unless MFL is negotiated.
        const frag = c.cfg.mfl ? [] : ["-max_send_frag", "1024"];
        const srv = await opensslServer(leaf.cert, leaf.key, ["-www", ...frag, ...c.server], leaf.chain || undefined);
        const e = await openEngine(name);
        try {
          const d = await new TlsDriver(e).init();
          const ca = c.error === "ERR_X509_UNKNOWN_ISSUER" ? makePki("p256", "Other Root CA").caDer : pki.caDer;
          const r = await fetch(d, srv.port, c.cfg, GET, ca);
          if (c.error) {
            assert.equal(errorName(r.rc), c.error);
            if (c.error.startsWith("ERR_X509")) assert.equal(await d.call("tls_alert_sent"), 48);
            return;
          }
          assert.equal(r.rc, 0, `${errorName(r.rc)}\n${srv.output().slice(-400)}`);
          assert.match(r.body, /^HTTP\/1.0 200 ok/);
          assert.match(r.body, /TLSv1.3/);
          if (c.suite) assert.equal(r.suite, c.suite);
          if (c.group) assert.equal(r.group, c.group);
          if (c.alpn) assert.equal(r.alpn, c.alpn);
        } finally { await e.close(); await srv.stop(); }
      });
    }
  });
}
