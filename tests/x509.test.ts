// The streaming X.509 validator against chains made here with openssl (in a
// temp dir): each chain is fed leaf first through x509_begin/start/append/
// end_cert/end_chain and must give the expected status code. Also: chunking,
// sticky errors, alerts, pinning, insecure mode, CertificateVerify with the
// leaf key. Runs on v8 and wasm3-native (ENGINES selects).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash, createPrivateKey, sign, X509Certificate } from "node:crypto";
import { openEngine, V8Engine, ShellEngine, qemuArgs, ROOT, MPS2_BENCH_FIRMWARE, type Engine, type EngineName } from "../host/node/engine.ts";
import { ENGINES } from "./lib/util.ts";
import { X509Driver, pemToDer, errName, ERR } from "./x509-validator.ts";

// ---- chain generation ---------------------------------------------------------
type KeyType = "ec256" | "ec384" | "ed25519" | "rsa2048" | "rsa1024";
interface Made { name: string; key: string; pem: string; der: Uint8Array; x: X509Certificate }

class Pki {
  readonly dir = mkdtempSync(path.join(tmpdir(), "x509-test-"));
  private serial = 1;
  private ssl(...args: string[]): void { execFileSync("openssl", args, { cwd: this.dir, stdio: ["ignore", "ignore", "pipe"] }); }
  private file(name: string, text: string): string { writeFileSync(path.join(this.dir, name), text); return name; }

  key(name: string, type: KeyType): string {
    const f = `${name}.key`;
    const alg: Record<KeyType, string[]> = {
      ec256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
      ec384: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
      ed25519: ["-algorithm", "ED25519"],
      rsa2048: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
      rsa1024: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
    };
    this.ssl("genpkey", ...alg[type], "-out", f);
    return f;
  }

  // A certificate for `name` with key type `type`, issued by `issuer` (self-signed
  // when absent), with the extension lines `ext` and digest `md` (none for Ed25519).
  make(name: string, type: KeyType, ext: string[], issuer?: Made, md = "sha256", days = 3650, reuseKey?: string): Made {
    const key = reuseKey ?? this.key(name, type);
    const extFile = this.file(`${name}.ext`, `[v3]\n${ext.join("\n")}\n`);
    const cfg = this.file(`${name}.cnf`, `[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=${name}\n[v3]\n${ext.join("\n")}\n`);
    const out = `${name}.pem`;
    const mdArgs = md ? [`-${md}`] : [];
    if (!issuer) {
      this.ssl("req", "-new", "-x509", "-config", cfg, "-key", key, "-days", String(days), "-extensions", "v3",
        "-set_serial", String(this.serial++), ...mdArgs, "-out", out);
    } else {
      this.ssl("req", "-new", "-config", cfg, "-key", key, "-out", `${name}.csr`);
      this.ssl("x509", "-req", "-in", `${name}.csr`, "-CA", issuer.pem, "-CAkey", issuer.key, "-set_serial", String(this.serial++),
        "-days", String(days), "-extfile", extFile, "-extensions", "v3", ...mdArgs, "-out", out);
    }
    // openssl ca for fixed dates is not needed: tests move the clock instead.
    const pem = readFileSync(path.join(this.dir, out), "utf8");
    const der = pemToDer(pem)[0];
    return { name, key, pem: out, der, x: new X509Certificate(pem) };
  }

  // A certificate with fixed dates (openssl ca), issued by `issuer`.
  dated(name: string, type: KeyType, ext: string[], issuer: Made, start: string, end: string): Made {
    const key = this.key(name, type);
    this.file("index.txt", "");
    this.file("serial", "1000\n");
    const cnf = this.file(`${name}.ca.cnf`, [
      "[ca]", "default_ca=d", "[d]", "database=index.txt", "new_certs_dir=.", "serial=serial", "default_md=sha256",
      "policy=p", "unique_subject=no", "[p]", "commonName=supplied", "[v3]", ...ext, "[req]", "distinguished_name=dn", "prompt=no",
      "[dn]", `CN=${name}`, "",
    ].join("\n"));
    this.ssl("req", "-new", "-config", cnf, "-key", key, "-out", `${name}.csr`);
    this.ssl("ca", "-batch", "-config", cnf, "-cert", issuer.pem, "-keyfile", issuer.key, "-in", `${name}.csr`,
      "-startdate", start, "-enddate", end, "-extensions", "v3", "-notext", "-out", `${name}.pem`);
    const pem = readFileSync(path.join(this.dir, `${name}.pem`), "utf8");
    return { name, key, pem: `${name}.pem`, der: pemToDer(pem)[0], x: new X509Certificate(pem) };
  }

  privateKey(m: Made) { return createPrivateKey(readFileSync(path.join(this.dir, m.key))); }
  close(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

const KID = ["subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid:always"];
const CA = (pathlen?: number) => [
  `basicConstraints=critical,CA:TRUE${pathlen !== undefined ? `,pathlen:${pathlen}` : ""}`,
  "keyUsage=critical,keyCertSign,cRLSign", ...KID,
];
const LEAF = (san = "DNS:test.example", eku = "serverAuth") => [
  "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", `extendedKeyUsage=${eku}`,
  `subjectAltName=${san}`, ...KID,
];

interface Case {
  name: string;
  chain: () => Uint8Array[];
  anchors: () => Uint8Array[];
  host?: string | Uint8Array;
  now?: () => bigint;
  expect: number;
  flags?: number;
  needsRsa?: boolean;
}

const secs = (d: Date) => BigInt(Math.floor(d.getTime() / 1000));
const NOW = () => secs(new Date());

let pki: Pki;
const C: Record<string, Made> = {};

function buildPki(): void {
  pki = new Pki();
  const m = (k: string, ...a: Parameters<Pki["make"]>) => (C[k] = pki.make(...a));
  m("root", "root", "ec256", CA());
  m("inter", "inter", "ec256", CA(0), C.root);
  m("leaf", "leaf", "ec256", LEAF(), C.inter);
  m("leaf384", "leaf384", "ec384", LEAF(), C.inter, "sha384");
  m("leafEd", "leafEd", "ed25519", LEAF(), C.inter);
  m("wild", "wild", "ec256", LEAF("DNS:*.wild.example"), C.inter);
  m("ip", "ip", "ec256", LEAF("IP:192.0.2.7"), C.inter);
  m("client", "client", "ec256", LEAF("DNS:test.example", "clientAuth"), C.inter);
  m("sha1", "sha1", "ec256", LEAF(), C.inter, "sha1");
  m("crit", "crit", "ec256", [...LEAF(), "1.2.3.4=critical,ASN1:UTF8String:unknown"], C.inter);
  m("big", "big", "ec256", LEAF(Array.from({ length: 260 }, (_, i) => `DNS:host-${i}.a-rather-long-name.test.example`).join(",")), C.inter);
  m("rsa1024", "rsa1024", "rsa1024", LEAF(), C.inter);
  m("notca", "notca", "ec256", ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", ...KID], C.root);
  m("leafOfNotca", "leafOfNotca", "ec256", LEAF(), C.notca);
  // pathlen: root -> inter (pathlen 0) -> inter2 -> leaf2
  m("inter2", "inter2", "ec256", CA(), C.inter);
  m("leaf2", "leaf2", "ec256", LEAF(), C.inter2);
  // P-384 root -> leaf
  m("root384", "root384", "ec384", CA(), undefined, "sha384");
  m("leafUnder384", "leafUnder384", "ec256", LEAF(), C.root384, "sha384");
  // Ed25519 CA chain: rootEd -> interEd -> leafEdEd (every signature Ed25519)
  m("rootEd", "rootEd", "ed25519", CA(), undefined, "");
  m("interEd", "interEd", "ed25519", CA(), C.rootEd, "");
  m("leafEdEd", "leafEdEd", "ec256", LEAF(), C.interEd, "");
  // an unrelated CA (extra certificate in the chain)
  m("other", "other", "ec256", CA());
  // RSA chain: rootRsa -> interRsa -> leafRsa
  m("rootRsa", "rootRsa", "rsa2048", CA());
  m("interRsa", "interRsa", "rsa2048", CA(), C.rootRsa);
  m("leafRsa", "leafRsa", "rsa2048", LEAF(), C.interRsa);
  // expired before the time floor (validity in 2020)
  C.old = pki.dated("old", "ec256", LEAF(), C.inter, "200101000000Z", "210101000000Z");
}

const d = (...names: string[]) => () => names.map((n) => C[n].der);
const pastEnd = (n: string, s: number) => () => secs(new Date(C[n].x.validTo)) + BigInt(s);
const beforeStart = (n: string, s: number) => () => secs(new Date(C[n].x.validFrom)) - BigInt(s);

const CASES: Case[] = [
  { name: "ECDSA P-256 chain root -> inter -> leaf", chain: d("leaf", "inter"), anchors: d("root"), expect: 0 },
  { name: "ECDSA P-384 leaf (SHA-384 signature)", chain: d("leaf384", "inter"), anchors: d("root"), expect: 0 },
  { name: "P-384 root signs a P-256 leaf with SHA-384", chain: d("leafUnder384"), anchors: d("root384"), expect: 0 },
  { name: "Ed25519 leaf", chain: d("leafEd", "inter"), anchors: d("root"), expect: 0 },
  { name: "Ed25519 CA chain (TBS kept until the issuer key arrives)", chain: d("leafEdEd", "interEd"), anchors: d("rootEd"), expect: 0 },
  { name: "RSA-2048 chain", chain: d("leafRsa", "interRsa"), anchors: d("rootRsa"), expect: 0, needsRsa: true },
  { name: "root sent too (ignored after the anchor)", chain: d("leaf", "inter", "root"), anchors: d("root"), expect: 0 },
  { name: "root sent before the intermediate (skipped)", chain: d("leaf", "root", "inter"), anchors: d("root"), expect: 0 },
  { name: "unrelated extra certificate (skipped)", chain: d("leaf", "other", "inter"), anchors: d("root"), expect: 0 },
  { name: "expired leaf", chain: d("leaf", "inter"), anchors: d("root"), now: pastEnd("leaf", 1), expect: ERR.EXPIRED },
  { name: "not yet valid", chain: d("leaf", "inter"), anchors: d("root"), now: beforeStart("leaf", 3600), expect: ERR.NOT_YET_VALID },
  { name: "unknown time: floor, flag set", chain: d("leaf", "inter"), anchors: d("root"), now: () => 0n, expect: 0, flags: 1 },
  { name: "unknown time: expired before the floor", chain: d("old", "inter"), anchors: d("root"), now: () => 0n, expect: ERR.EXPIRED },
  { name: "wrong host", chain: d("leaf", "inter"), anchors: d("root"), host: "other.example", expect: ERR.NAME_MISMATCH },
  { name: "host name is case-insensitive, trailing dot", chain: d("leaf", "inter"), anchors: d("root"), host: "TEST.Example.", expect: 0 },
  { name: "wildcard matches one label", chain: d("wild", "inter"), anchors: d("root"), host: "a.wild.example", expect: 0 },
  { name: "wildcard: not two labels", chain: d("wild", "inter"), anchors: d("root"), host: "a.b.wild.example", expect: ERR.NAME_MISMATCH },
  { name: "wildcard: not the apex", chain: d("wild", "inter"), anchors: d("root"), host: "wild.example", expect: ERR.NAME_MISMATCH },
  { name: "IP SAN by address (bytes)", chain: d("ip", "inter"), anchors: d("root"), host: new Uint8Array([192, 0, 2, 7]), expect: 0 },
  { name: "IP SAN: other address", chain: d("ip", "inter"), anchors: d("root"), host: new Uint8Array([192, 0, 2, 8]), expect: ERR.NAME_MISMATCH },
  { name: "IP SAN: a DNS name does not match it", chain: d("ip", "inter"), anchors: d("root"), host: "192.0.2.7", expect: ERR.NAME_MISMATCH },
  { name: "DNS SAN: connecting by IP does not match it", chain: d("leaf", "inter"), anchors: d("root"), host: new Uint8Array([192, 0, 2, 7]), expect: ERR.NAME_MISMATCH },
  { name: "missing intermediate", chain: d("leaf"), anchors: d("root"), expect: ERR.UNKNOWN_ISSUER },
  { name: "no anchor", chain: d("leaf", "inter"), anchors: d("other"), expect: ERR.UNKNOWN_ISSUER },
  { name: "non-CA intermediate", chain: d("leafOfNotca", "notca"), anchors: d("root"), expect: ERR.NOT_CA },
  { name: "pathlen exceeded", chain: d("leaf2", "inter2", "inter"), anchors: d("root"), expect: ERR.PATH_LEN },
  { name: "EKU clientAuth only", chain: d("client", "inter"), anchors: d("root"), expect: ERR.EKU },
  { name: "SHA-1 signature", chain: d("sha1", "inter"), anchors: d("root"), expect: ERR.UNSUPPORTED_ALGORITHM },
  { name: "1024-bit RSA key", chain: d("rsa1024", "inter"), anchors: d("root"), expect: ERR.KEY_TOO_SMALL },
  { name: "unknown critical extension", chain: d("crit", "inter"), anchors: d("root"), expect: ERR.CRITICAL_EXTENSION },
  { name: "certificate larger than the 4 KB buffer", chain: d("big", "inter"), anchors: d("root"), expect: ERR.CERT_TOO_LARGE },
  { name: "leaf signed by the wrong key (inter swapped for other)", chain: () => [C.leaf.der, resign()], anchors: d("root"), expect: ERR.UNKNOWN_ISSUER },
  { name: "tampered signature", chain: () => [tamper(C.leaf.der), C.inter.der], anchors: d("root"), expect: ERR.BAD_SIGNATURE },
];

// The leaf with its last signature byte changed.
function tamper(der: Uint8Array): Uint8Array {
  const t = der.slice();
  t[t.length - 3] ^= 1;
  return t;
}
// "other" (an unrelated CA) in place of inter: its subject differs, so it is skipped.
function resign(): Uint8Array { return C.other.der; }

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`x509 chains on ${name}`, () => {
    let engine: Engine, x: X509Driver;
    let rsa = false;
    before(async () => {
      if (!pki) buildPki();
      engine = await openEngine(name as EngineName);
      x = await new X509Driver(engine).init();
      // Does this build verify RSA? (RSA lands with the crypto work.)
      await x.clearAnchors();
      await x.addAnchor(C.rootRsa.der);
      rsa = (await x.validate([C.leafRsa.der, C.interRsa.der], "test.example", NOW())).code !== ERR.UNSUPPORTED_ALGORITHM;
    });
    after(async () => { await engine.close(); });

    for (const c of CASES) {
      test(`${c.name} -> ${errName(c.expect)}`, async (t) => {
        if (c.needsRsa && !rsa) { t.skip("RSA verification not in this build yet"); return; }
        await x.clearAnchors();
        for (const a of c.anchors()) assert.equal(await x.addAnchor(a), 0, "anchor accepted");
        const r = await x.validate(c.chain(), c.host ?? "test.example", (c.now ?? NOW)());
        assert.equal(errName(r.code), errName(c.expect), `at ${r.step}`);
        if (c.flags !== undefined) assert.equal(r.flags, c.flags);
      });
    }

    test("byte-by-byte and 7-byte chunks give the same result as whole certificates", async () => {
      await x.clearAnchors();
      await x.addAnchor(C.root.der);
      for (const chunk of [1, 7, 4096]) {
        const r = await x.validate([C.leaf.der, C.inter.der], "test.example", NOW(), chunk);
        assert.equal(r.code, 0, `chunk ${chunk}`);
      }
      const bad = await x.validate([C.leaf.der, C.inter.der], "nope.example", NOW(), 7);
      assert.equal(bad.code, ERR.NAME_MISMATCH);
    });

    test("the first error sticks; calls out of order are errors", async () => {
      await x.clearAnchors();
      await x.addAnchor(C.root.der);
      const r = await x.validate([C.leaf.der, C.inter.der], "nope.example", NOW());
      assert.equal(r.code, ERR.NAME_MISMATCH);
      for (const [fn, ...args] of [["x509_start_cert", 10], ["x509_end_cert"], ["x509_end_chain"]] as [string, ...number[]][]) {
        assert.equal(Number((await engine.call(fn, ...args)).value), ERR.NAME_MISMATCH, fn);
      }
      const io = Number((await engine.call("io_buffer")).value);
      await engine.write(io, new Uint8Array(Buffer.from("test.example")));
      assert.equal(Number((await engine.call("x509_begin", io, 12, 0, NOW())).value), 0);
      assert.equal(Number((await engine.call("x509_append", io, 1)).value), ERR.STATE);
      assert.equal(Number((await engine.call("x509_begin", io, 12, 0, NOW())).value), 0);
      assert.equal(Number((await engine.call("x509_end_chain")).value), ERR.EMPTY_CHAIN);
      assert.equal(Number((await engine.call("x509_begin", io, 12, 0, NOW())).value), 0);
      assert.equal(Number((await engine.call("x509_start_cert", 10)).value), 0);
      assert.equal(Number((await engine.call("x509_append", io, 11)).value), ERR.LENGTH);
      assert.equal(Number((await engine.call("x509_append", 0xfffff0, 16)).value), -1, "bad pointer");
    });

    test("errors map to TLS alerts", async () => {
      const alert = async (c: number) => Number((await engine.call("x509_alert", c)).value);
      assert.equal(await alert(ERR.EXPIRED), 45);
      assert.equal(await alert(ERR.NOT_YET_VALID), 45);
      assert.equal(await alert(ERR.UNKNOWN_ISSUER), 48);
      assert.equal(await alert(ERR.BAD_SIGNATURE), 42);
      assert.equal(await alert(ERR.NAME_MISMATCH), 42);
      assert.equal(await alert(ERR.UNSUPPORTED_ALGORITHM), 43);
      assert.equal(await alert(ERR.MALFORMED), 50);
      assert.equal(await alert(ERR.CERT_TOO_LARGE), 43);
      // only local misuse maps to internal_error
      const internal = [ERR.STATE, ERR.ANCHOR_STORE_FULL, ERR.NO_LEAF_KEY, ERR.BAD_HOST];
      for (let c = -64; c >= -99; c--) {
        assert.equal(await alert(c) === 80, internal.includes(c), `code ${c} (${errName(c)})`);
      }
    });

    test("malformed certificates are errors, never traps", async () => {
      await x.clearAnchors();
      await x.addAnchor(C.root.der);
      const der = C.leaf.der;
      for (let i = 0; i < der.length; i += 37) {
        const t = der.slice();
        t[i] ^= 0x80;
        const r = await x.validate([t, C.inter.der], "test.example", NOW());
        assert.ok(r.code < 0, `flip at ${i} accepted`);
      }
      for (const n of [0, 1, 2, 10, 100]) {
        const r = await x.validate([der.subarray(0, n), C.inter.der], "test.example", NOW());
        assert.ok(r.code < 0, `truncated to ${n}`);
      }
    });

    test("pinning: the leaf's SPKI hash replaces the anchor", async () => {
      await x.clearAnchors();
      const spki = C.leaf.x.publicKey.export({ type: "spki", format: "der" });
      await x.setPin(createHash("sha256").update(spki).digest());
      let r = await x.validate([C.leaf.der], "test.example", NOW());
      assert.equal(r.code, 0);
      assert.equal(r.flags, 2);
      r = await x.validate([C.leaf.der], "other.example", NOW());
      assert.equal(r.code, ERR.NAME_MISMATCH, "host still checked");
      r = await x.validate([C.leaf384.der], "test.example", NOW());
      assert.equal(r.code, ERR.PIN_MISMATCH);
      await x.setPin(null);
      r = await x.validate([C.leaf.der], "test.example", NOW());
      assert.equal(r.code, ERR.UNKNOWN_ISSUER);
    });

    test("insecure mode accepts anything, says so, and is off by default", async () => {
      await x.clearAnchors();
      const before = engine.logs.length;
      await engine.call("x509_set_insecure_no_validation", 1);
      const r = await x.validate([C.leaf.der], "other.example", NOW());
      await engine.call("x509_set_insecure_no_validation", 0);
      assert.equal(r.code, 0);
      assert.equal(r.flags & 4, 4);
      assert.ok(engine.logs.slice(before).some((l) => /INSECURE|DISABLED/.test(l)), "logged");
      assert.equal((await x.validate([C.leaf.der], "other.example", NOW())).code, ERR.NAME_MISMATCH);
      await engine.call("x509_set_insecure_no_validation", 1);
      const big = await x.validate([C.big.der], "test.example", NOW());
      await engine.call("x509_set_insecure_no_validation", 0);
      assert.equal(big.code, ERR.CERT_TOO_LARGE, "the buffer bound holds in insecure mode too");
    });

    test("chain depth limit (x509_configure) and a directly trusted leaf", async () => {
      await x.clearAnchors();
      await x.addAnchor(C.root.der);
      await x.configure(0, -1);
      assert.equal((await x.validate([C.leaf.der, C.inter.der], "test.example", NOW())).code, ERR.CHAIN_TOO_LONG);
      await x.configure(-1, -1);
      assert.equal((await x.validate([C.leaf.der, C.inter.der], "test.example", NOW())).code, 0);
      // RSA key size floor is configurable (1024 allowed when asked)
      await x.configure(-1, 1024);
      const r = await x.validate([C.rsa1024.der, C.inter.der], "test.example", NOW());
      await x.configure(-1, -1);
      assert.equal(r.code, 0);
    });

    test("CertificateVerify with the leaf key (ECDSA P-256, P-384, Ed25519)", async () => {
      await x.clearAnchors();
      await x.addAnchor(C.root.der);
      const io = Number((await engine.call("io_buffer")).value);
      const content = Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from("TLS 1.3, server CertificateVerify\0"), createHash("sha256").update("transcript").digest()]);
      const cases: [string, number, string | null][] = [["leaf", 0x0403, "sha256"], ["leaf384", 0x0503, "sha384"], ["leafEd", 0x0807, null]];
      for (const [leaf, scheme, hash] of cases) {
        assert.equal((await x.validate([C[leaf].der, C.inter.der], "test.example", NOW())).code, 0);
        const sig = sign(hash, content, pki.privateKey(C[leaf]));
        await engine.write(io, content);
        await engine.write(io + 512, sig);
        const v = async (s: number, len = sig.length) => Number((await engine.call("x509_verify_leaf_signature", s, io, content.length, io + 512, len)).value);
        assert.equal(await v(scheme), 0, `${leaf} valid`);
        await engine.write(io + 512, Buffer.from(sig.map((b, i) => (i === sig.length - 2 ? b ^ 1 : b))));
        assert.equal(await v(scheme), ERR.CV_SIGNATURE, `${leaf} tampered`);
        assert.equal(await v(0x0804), ERR.SCHEME, `${leaf} wrong scheme`);
      }
      // no leaf key after a failed chain
      await x.validate([C.leaf.der, C.inter.der], "nope.example", NOW());
      assert.equal(Number((await engine.call("x509_leaf_key_type")).value), ERR.NO_LEAF_KEY);
    });
  });
}

// Benchmark (wasm3 in QEMU, -icount): emulated Cortex-M4 instructions to
// validate a chain of 2 ECDSA P-256 certificates (leaf + intermediate under a
// P-256 root anchor) and of 3 RSA-2048 certificates (leaf + 2 intermediates
// under an RSA root anchor), all calls from x509_begin to x509_end_chain.
// Runs when ENGINES has wasm3-qemu; X509_FIRMWARE selects a firmware
// (default: the release one). Figures go to build/x509-bench.json.
describe("x509 benchmark on wasm3-qemu", { skip: !ENGINES.includes("wasm3-qemu") && "wasm3-qemu not in ENGINES" }, () => {
  test("instructions to validate chains", { timeout: 600_000 }, async () => {
    if (!pki) buildPki();
    // The benchmark firmware (1 MB of RAM): the whole module's code does not
    // fit the 128 KB board's wasm3 heap; instruction counts do not depend on RAM.
    const fw = process.env.X509_FIRMWARE ? path.resolve(process.env.X509_FIRMWARE) : MPS2_BENCH_FIRMWARE;
    const engine = await new ShellEngine("wasm3-qemu", "qemu-system-arm", qemuArgs({ firmware: fw, icount: true, cmdline: "rpc" })).ready();
    try {
      const x = await new X509Driver(engine).init();
      const results: { name: string; value: number; unit: string }[] = [];
      const run = async (label: string, anchor: Made, chain: Made[]) => {
        await x.clearAnchors();
        assert.equal(await x.addAnchor(anchor.der), 0);
        const r = await x.validate(chain.map((m) => m.der), "test.example", NOW(), 4096);
        assert.equal(errName(r.code), "OK", label);
        results.push({ name: label, value: r.instructions, unit: "instructions" });
        console.log(`${label}: ${(r.instructions / 1e6).toFixed(1)} M instructions`);
      };
      await run("x509 chain ECDSA P-256, 2 certificates", C.root, [C.leaf, C.inter]);
      C.rsaI2 = pki.make("rsaI2", "rsa2048", CA(), C.interRsa);
      C.rsaLeaf3 = pki.make("rsaLeaf3", "rsa2048", LEAF(), C.rsaI2);
      await run("x509 chain RSA-2048, 3 certificates", C.rootRsa, [C.rsaLeaf3, C.rsaI2, C.interRsa]);
      const staticEnd = Number((await engine.call("static_end")).value);
      results.push({ name: "module static data end (__heap_base)", value: staticEnd, unit: "bytes" });
      writeFileSync(path.join(ROOT, "build", "x509-bench.json"), JSON.stringify(results, null, 2));
    } finally {
      await engine.close();
    }
  });
});

// Anchors compiled in: tools/gen-anchors.ts on the test root, then a
// standalone X.509 build from a copy of assembly/ (V8 only: one asc run).
describe("compiled-in trust anchors (tools/gen-anchors.ts)", () => {
  test("a chain to a generated anchor validates with no run-time anchor", { timeout: 180_000 }, async () => {
    if (!pki) buildPki();
    const tmp = mkdtempSync(path.join(tmpdir(), "x509-anchors-"));
    try {
      cpSync(path.join(ROOT, "assembly"), path.join(tmp, "assembly"), { recursive: true });
      const gen = path.join(tmp, "assembly/x509/anchors.gen.ts");
      execFileSync("node", ["--import", "tsx", path.join(ROOT, "tools/gen-anchors.ts"), "--out", gen,
        path.join(pki.dir, C.root.pem), path.join(pki.dir, C.rootEd.pem)], { cwd: ROOT, stdio: "pipe" });
      assert.match(readFileSync(gen, "utf8"), /GEN_ANCHORS_LEN: usize = [1-9]/);
      writeFileSync(path.join(tmp, "entry.ts"), 'export * from "./assembly/exports/io";\nexport * from "./assembly/exports/x509";\n');
      execFileSync("npx", ["asc", path.join(tmp, "entry.ts"), "--config", path.join(ROOT, "asconfig.json"), "--target", "release",
        "--use", "PROFILE_FULL=1", "--outFile", path.join(tmp, "x509.wasm")], { cwd: ROOT, stdio: "pipe" });
      const engine = new V8Engine(readFileSync(path.join(tmp, "x509.wasm")));
      const x = await new X509Driver(engine).init();
      await x.clearAnchors();
      assert.equal((await x.validate([C.leaf.der, C.inter.der], "test.example", NOW())).code, 0);
      assert.equal((await x.validate([C.leafEdEd.der, C.interEd.der], "test.example", NOW())).code, 0);
      assert.equal((await x.validate([C.leafRsa.der, C.interRsa.der], "test.example", NOW())).code !== 0, true);
      assert.equal((await x.validate([C.leaf.der], "test.example", NOW())).code, ERR.UNKNOWN_ISSUER);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

process.on("exit", () => pki?.close());
