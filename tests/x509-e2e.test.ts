// The openssl-made chains of tests/x509.test.ts end to end: for each chain
// an `openssl s_server -tls1_3 -www` on loopback presents it, and the release
// module (V8 in a worker with real TCP, wasm3 on the native board) connects
// through TlsSocket over a HostSocket with validation on (the anchor added at
// run time with x509_anchor_add) and the host clock. Valid chains complete
// and fetch the -www page; each invalid one ends the handshake with its
// named X.509 error, our alert (tls_alert_sent, and the server's log says it
// received that alert), the engine closed, and the same engine instance
// going on to the next case (nothing trapped).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { TlsDriver, errorName, openEngine, CLOSED, type TlsConfig } from "./lib/tls.ts";
import { fetch } from "./tls-openssl-lib.ts";
import { opensslServer } from "./peers/servers.ts";
import { ENGINES } from "./lib/util.ts";
import type { Engine } from "../host/node/engine.ts";

// ---- the chains (openssl CLI in a temp dir) ---------------------------------------
type Key = "ec256" | "ed25519" | "rsa2048" | "rsa1024";
interface Cert { pem: string; key: string; der: Uint8Array }

const dir = mkdtempSync(path.join(tmpdir(), "x509-e2e-"));
const f = (n: string) => path.join(dir, n);
const ssl = (...a: string[]) => execFileSync("openssl", a, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
const KEYS: Record<Key, string[]> = {
  ec256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  ed25519: ["-algorithm", "ED25519"],
  rsa2048: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  rsa1024: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
};
const CA = (pathlen?: number) => [`basicConstraints=critical,CA:TRUE${pathlen === undefined ? "" : `,pathlen:${pathlen}`}`,
  "keyUsage=critical,keyCertSign,cRLSign"];
const LEAF = (san = "DNS:localhost", eku = "serverAuth") => ["basicConstraints=critical,CA:FALSE",
  "keyUsage=critical,digitalSignature", `extendedKeyUsage=${eku}`, `subjectAltName=${san}`];

let serial = 1;
const der = (pemFile: string) => new Uint8Array(new X509Certificate(readFileSync(f(pemFile))).raw);

// `name` with key type `type` and extensions `ext`, issued by `issuer`
// (self-signed when absent) with digest md ("" for Ed25519 issuers); with
// `dates` ([start, end], openssl ca format) fixed validity dates.
function make(name: string, type: Key, ext: string[], issuer?: Cert, md = "sha256", dates?: [string, string]): Cert {
  const key = `${name}.key`;
  ssl("genpkey", ...KEYS[type], "-out", key);
  writeFileSync(f(`${name}.cnf`), ["[req]", "distinguished_name=dn", "prompt=no", "[dn]", `CN=${name}`, "[v3]", ...ext,
    "[ca]", "default_ca=d", "[d]", "database=index.txt", "new_certs_dir=.", "serial=serial", `default_md=${md || "default"}`,
    "policy=p", "unique_subject=no", "[p]", "commonName=supplied", ""].join("\n"));
  const mdArg = md ? [`-${md}`] : [];
  const pem = `${name}.pem`;
  if (!issuer) {
    ssl("req", "-new", "-x509", "-config", `${name}.cnf`, "-key", key, "-days", "30", "-extensions", "v3", "-set_serial", String(serial++), ...mdArg, "-out", pem);
  } else {
    ssl("req", "-new", "-config", `${name}.cnf`, "-key", key, "-out", `${name}.csr`);
    if (dates) {
      writeFileSync(f("index.txt"), "");
      writeFileSync(f("serial"), `${1000 + serial++}\n`);
      ssl("ca", "-batch", "-config", `${name}.cnf`, "-cert", issuer.pem, "-keyfile", issuer.key, "-in", `${name}.csr`,
        "-startdate", dates[0], "-enddate", dates[1], "-extensions", "v3", "-notext", "-out", pem);
    } else {
      ssl("x509", "-req", "-in", `${name}.csr`, "-CA", issuer.pem, "-CAkey", issuer.key, "-set_serial", String(serial++),
        "-days", "30", "-extfile", `${name}.cnf`, "-extensions", "v3", ...mdArg, "-out", pem);
    }
  }
  return { pem, key, der: der(pem) };
}
// The certificates the server sends after its leaf, as one PEM file.
function chainFile(name: string, ...certs: Cert[]): string {
  writeFileSync(f(name), certs.map((c) => readFileSync(f(c.pem), "utf8")).join(""));
  return f(name);
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `DNS:host-${i}.a-rather-long-name.example.test`).join(",");

interface Case {
  name: string; leaf: string; chain?: string; anchor: string; cfg?: TlsConfig; server?: string[];
  error?: string; alert?: number;
}
const C: Record<string, Cert> = {};
const CASES: Case[] = [];

function build(): void {
  const m = (k: string, ...a: Parameters<typeof make>) => (C[k] = make(...a));
  m("root", "root", "ec256", CA());
  m("inter", "inter", "ec256", CA(0), C.root);
  m("ec", "ec", "ec256", LEAF("DNS:localhost,IP:127.0.0.1"), C.inter);
  m("rootRsa", "rootRsa", "rsa2048", CA());
  m("interRsa", "interRsa", "rsa2048", CA(), C.rootRsa);
  m("rsa", "rsa", "rsa2048", LEAF(), C.interRsa);
  m("rootEd", "rootEd", "ed25519", CA(), undefined, "");
  m("interEd", "interEd", "ed25519", CA(), C.rootEd, "");
  m("ed", "ed", "ed25519", LEAF(), C.interEd, "");
  m("expired", "expired", "ec256", LEAF(), C.inter, "sha256", ["200101000000Z", "210101000000Z"]);
  m("future", "future", "ec256", LEAF(), C.inter, "sha256", ["400101000000Z", "410101000000Z"]);
  m("wild", "wild", "ec256", LEAF("DNS:*.wild.test"), C.inter);
  m("ip", "ip", "ec256", LEAF("IP:127.0.0.1"), C.inter);
  m("notca", "notca", "ec256", ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature"], C.root);
  m("underNotca", "underNotca", "ec256", LEAF(), C.notca);
  m("inter2", "inter2", "ec256", CA(), C.inter);   // under inter's pathlen:0
  m("deep", "deep", "ec256", LEAF(), C.inter2);
  m("client", "client", "ec256", LEAF("DNS:localhost", "clientAuth"), C.inter);
  // SHA-1 on the intermediate: openssl will not serve a SHA-1 signed leaf to
  // a client whose signature_algorithms lack SHA-1 (it sends handshake_failure).
  m("interSha1", "interSha1", "ec256", CA(), C.root, "sha1");
  m("sha1", "sha1", "ec256", LEAF(), C.interSha1);
  m("rsa1024", "rsa1024", "rsa1024", LEAF(), C.inter);
  m("crit", "crit", "ec256", [...LEAF(), "1.2.3.4=critical,ASN1:UTF8String:unknown"], C.inter);
  m("big", "big", "ec256", LEAF(`DNS:localhost,${names(60)}`), C.inter);       // ~3.3 KB: chain ~3.8 KB
  m("huge", "huge", "ec256", LEAF(`DNS:localhost,${names(110)}`), C.inter);    // > 4 KB certificate
  const inter = chainFile("inter.chain", C.inter);
  const ok = (name: string, leaf: string, chain: string, anchor: string, cfg: TlsConfig = {}, server: string[] = []): Case =>
    ({ name, leaf, chain, anchor, cfg, server });
  const bad = (name: string, leaf: string, chain: string | undefined, error: string, alert: number, cfg: TlsConfig = {}, server: string[] = []): Case =>
    ({ name, leaf, chain, anchor: "root", cfg, server, error: `ERR_X509_${error}`, alert });
  // SHA-1 and 1024-bit RSA: openssl refuses to serve them above security level 0.
  const lax = ["-cipher", "ALL@SECLEVEL=0"];
  CASES.push(
    ok("ECDSA P-256 chain (leaf, intermediate)", "ec", inter, "root"),
    ok("RSA-2048 chain (RSA-PSS CertificateVerify)", "rsa", chainFile("rsa.chain", C.interRsa), "rootRsa"),
    ok("Ed25519 chain", "ed", chainFile("ed.chain", C.interEd), "rootEd"),
    ok("wildcard *.wild.test for a.wild.test", "wild", inter, "root", { sni: "a.wild.test" }),
    ok("IP SAN 127.0.0.1 (connection by IP address)", "ip", inter, "root", { sni: "127.0.0.1" }),
    ok("a chain larger than the 2 KB record buffer (3.8 KB)", "big", inter, "root"),
    bad("expired (2020-2021)", "expired", inter, "EXPIRED", 45),
    bad("not yet valid (2040-2041)", "future", inter, "NOT_YET_VALID", 45),
    bad("wrong host", "ec", inter, "NAME_MISMATCH", 42, { sni: "other.test" }),
    bad("wildcard: not two labels", "wild", inter, "NAME_MISMATCH", 42, { sni: "a.b.wild.test" }),
    bad("IP SAN: another address", "ip", inter, "NAME_MISMATCH", 42, { sni: "127.0.0.2" }),
    bad("missing intermediate", "ec", undefined, "UNKNOWN_ISSUER", 48),
    bad("non-CA intermediate", "underNotca", chainFile("notca.chain", C.notca), "NOT_CA", 42),
    bad("pathlen exceeded", "deep", chainFile("deep.chain", C.inter2, C.inter), "PATH_LEN", 42),
    bad("EKU clientAuth only", "client", inter, "EKU", 43),
    bad("SHA-1 signature (ECDSA with SHA-1 on the intermediate)", "sha1", chainFile("sha1.chain", C.interSha1), "UNSUPPORTED_ALGORITHM", 43, {}, lax),
    bad("1024-bit RSA leaf", "rsa1024", inter, "KEY_TOO_SMALL", 43, {}, lax),
    bad("unknown critical extension", "crit", inter, "CRITICAL_EXTENSION", 43),
    bad("certificate larger than the 4 KB certificate buffer", "huge", inter, "CERT_TOO_LARGE", 43),
  );
}
build();

const GET = "GET / HTTP/1.0\r\n\r\n";
const ALERT_TEXT: Record<number, RegExp> = {
  42: /alert bad certificate/, 43: /alert unsupported certificate/, 45: /alert certificate expired/, 48: /alert unknown ca/,
};

describe("x509 e2e chains", () => {
  test("the sizes the cases rely on", () => {
    assert.ok(C.big.der.length + C.inter.der.length > 2048 + 1024 && C.big.der.length < 4096, `big ${C.big.der.length}`);
    assert.ok(C.huge.der.length > 4096, `huge ${C.huge.der.length}`);
  });
});

for (const name of ENGINES.filter((e) => e === "v8" || e === "wasm3-native")) {
  describe(`X.509 chains end to end vs openssl s_server on ${name}`, () => {
    let e: Engine, d: TlsDriver;
    before(async () => { e = await openEngine(name); d = await new TlsDriver(e).init(); });
    after(async () => { await e.close(); });
    for (const c of CASES) {
      test(`${c.name} -> ${c.error ?? "OK"}`, async () => {
        const srv = await opensslServer(f(C[c.leaf].pem), f(C[c.leaf].key), ["-www", "-max_send_frag", "1024", ...(c.server ?? [])], c.chain);
        try {
          const r = await fetch(d, srv.port, c.cfg ?? {}, GET, C[c.anchor].der);
          if (!c.error) {
            assert.equal(r.rc, 0, `${errorName(r.rc)}\n${srv.output().slice(-400)}`);
            assert.match(r.body, /^HTTP\/1.0 200 ok/);
            assert.match(r.body, /TLSv1.3/);
            return;
          }
          assert.equal(errorName(r.rc), c.error);
          assert.equal(errorName(await d.lastError()), c.error);
          assert.equal(await d.call("tls_alert_sent"), c.alert);
          assert.ok((await d.state()) & CLOSED, "engine closed");
          // The server read our alert, and the connection ended.
          for (let i = 0; i < 50 && !ALERT_TEXT[c.alert!].test(srv.output()); i++) await new Promise((res) => setTimeout(res, 20));
          assert.match(srv.output(), ALERT_TEXT[c.alert!], srv.output().slice(-400));
        } finally { await srv.stop(); }
      });
    }
  });
}

process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
