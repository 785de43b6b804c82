// bin/tls-client: check a TLS 1.3 server the way a device would, with the
// release module (V8 or wasm3 on the native board) through a HostSocket.
// Prints what was negotiated, the validation result and the certificate
// chain's subjects (as the module's X.509 parser read them), then the response to
// an optional HTTP GET; on failure prints the error's name and exits 1.
//   bin/tls-client [options] HOST:PORT
//   --engine v8|wasm3  --ca FILE  --servername NAME  --alpn PROTO  --groups x25519,p256
//   --suites aes128,aes256,chacha  --max-fragment 512|1024|2048|4096  --record-size-limit N
//   --cert FILE --key FILE  --psk-resume  --record-buffer N  --insecure  --get PATH
import { readFileSync } from "node:fs";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { nativeBoard, type Engine } from "../host/node/engine.ts";
import { workerEngine } from "../host/node/worker-engine.ts";
import { TlsDriver, errorName, type TlsConfig } from "../tests/lib/tls.ts";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(name); if (i < 0) return undefined; const v = args[i + 1]; args.splice(i, 2); return v; };
const flag = (name: string): boolean => { const i = args.indexOf(name); if (i < 0) return false; args.splice(i, 1); return true; };
const usage = () => { console.error(readFileSync(new URL(import.meta.url), "utf8").split("\n").slice(5, 10).map((l) => l.slice(3)).join("\n")); process.exit(2); };

const engineName = opt("--engine") ?? "v8";
const caFile = opt("--ca"), servername = opt("--servername"), alpn = opt("--alpn");
const groups = opt("--groups"), suites = opt("--suites"), mfl = opt("--max-fragment"), rsl = opt("--record-size-limit");
const certFile = opt("--cert"), keyFile = opt("--key"), recBuf = opt("--record-buffer"), get = opt("--get");
const resume = flag("--psk-resume"), insecure = flag("--insecure");
if (args.length !== 1 || !/^[^:]+:\d+$/.test(args[0])) usage();
const [host, portS] = args[0].split(":");

const GROUPS: Record<string, number> = { x25519: 1, p256: 2, secp256r1: 2 };
const SUITES: Record<string, number> = { aes128: 1, TLS_AES_128_GCM_SHA256: 1, aes256: 2, TLS_AES_256_GCM_SHA384: 2, chacha: 3, TLS_CHACHA20_POLY1305_SHA256: 3 };
const SUITE_NAME: Record<number, string> = { 0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384", 0x1303: "TLS_CHACHA20_POLY1305_SHA256" };
const GROUP_NAME: Record<number, string> = { 0x1d: "x25519", 0x17: "secp256r1" };
const SCHEME_NAME: Record<number, string> = { 0x0403: "ecdsa_secp256r1_sha256", 0x0503: "ecdsa_secp384r1_sha384", 0x0804: "rsa_pss_rsae_sha256", 0x0805: "rsa_pss_rsae_sha384", 0x0807: "ed25519" };
const list = (s: string | undefined, m: Record<string, number>) => s?.split(",").map((x) => { if (!(x in m)) { console.error(`unknown: ${x}`); process.exit(2); } return m[x]; });

function pems(file: string): Uint8Array[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(new X509Certificate(m[0]).raw));
}

async function connect(d: TlsDriver, cfg: TlsConfig): Promise<number> {
  d.reset();
  await d.call("x509_anchors_clear");
  for (const der of caFile ? pems(caFile) : []) {
    const rc = await d.call("x509_anchor_add", await d.put(der), der.length);
    if (rc !== 0) { console.error(`CA ${caFile}: ${errorName(rc)}`); process.exit(1); }
  }
  const rc = await d.configure(cfg);
  if (rc !== 0) return rc;
  const h = await d.put(Buffer.from(host));
  return d.call("tls_socket_connect", h, host.length, Number(portS), d.io, 15000);
}

// The certificate chain's subjects, from the module's "X509 SUBJ <n> <hex>"
// log lines (x509_log_subjects): DER Names decoded here.
const DN_ATTR: Record<string, string> = {
  "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.7": "L", "2.5.4.8": "ST",
  "2.5.4.5": "serialNumber", "2.5.4.9": "street", "2.5.4.17": "postalCode", "2.5.4.15": "businessCategory",
  "2.5.4.97": "organizationIdentifier", "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.25": "DC",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC", "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
};
function tlv(b: Buffer, i: number): { tag: number; start: number; end: number } {
  if (i + 2 > b.length) throw new Error("short");
  let len = b[i + 1], start = i + 2;
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k < 1 || k > 3) throw new Error("length");
    len = 0;
    for (let j = 0; j < k; j++) len = (len << 8) | b[start + j];
    start += k;
  }
  if (start + len > b.length) throw new Error("short");
  return { tag: b[i], start, end: start + len };
}
function oid(b: Buffer): string {
  const out = [Math.min(2, Math.floor(b[0] / 40)), b[0] - 40 * Math.min(2, Math.floor(b[0] / 40))];
  let v = 0;
  for (const x of b.subarray(1)) { v = v * 128 + (x & 0x7f); if (!(x & 0x80)) { out.push(v); v = 0; } }
  return out.join(".");
}
function dnString(der: Buffer): string {
  try {
    const name = tlv(der, 0), parts: string[] = [];
    for (let i = name.start; i < name.end;) {
      const set = tlv(der, i);
      for (let j = set.start; j < set.end;) {
        const atv = tlv(der, j), t = tlv(der, atv.start), v = tlv(der, t.end);
        const raw = der.subarray(v.start, v.end), id = oid(der.subarray(t.start, t.end));
        const text = v.tag === 30 ? Buffer.from(raw).swap16().toString("utf16le")
          : [12, 19, 20, 22, 26].includes(v.tag) ? raw.toString(v.tag === 20 ? "latin1" : "utf8") : "#" + raw.toString("hex");
        parts.push(`${DN_ATTR[id] ?? id}=${text}`);
        j = atv.end;
      }
      i = set.end;
    }
    return parts.join(", ") || "(empty)";
  } catch { return `(undecodable: ${der.toString("hex")})`; }
}
function subjects(e: Engine): string[] {
  const by = new Map<number, string>();
  for (const l of e.logs.splice(0)) {
    const m = /^X509 SUBJ (\d+) ?([0-9a-f]*)$/.exec(l.trim());
    if (m) by.set(Number(m[1]), (by.get(Number(m[1])) ?? "") + m[2]);
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([n, h]) =>
    `  ${n - 1} subject: ${h ? dnString(Buffer.from(h, "hex")) : "(not examined: the chain was trusted already, or --insecure)"}`);
}

async function report(d: TlsDriver, label: string): Promise<void> {
  const suite = await d.call("tls_suite"), group = await d.call("tls_group"), scheme = await d.call("tls_peer_scheme");
  const ap = await d.call("tls_alpn");
  const alpnSel = ap ? Buffer.from(await d.e.read(ap + 1, (await d.e.read(ap, 1))[0])).toString() : "(none)";
  const resumed = await d.call("tls_resumed");
  console.log(`${label}: TLS 1.3, ${SUITE_NAME[suite] ?? suite.toString(16)}, ${GROUP_NAME[group] ?? group}`);
  console.log(`  server signature: ${resumed ? "(resumed: none)" : SCHEME_NAME[scheme] ?? scheme.toString(16)}`);
  console.log(`  certificate chain: ${resumed ? "(resumed)" : insecure ? "NOT VALIDATED (--insecure)" : `validated for ${servername ?? host}` + (caFile ? ` against ${caFile}` : "")}`);
  for (const l of subjects(d.e)) console.log(l);
  console.log(`  ALPN: ${alpnSel}`);
  console.log(`  records: we send at most ${await d.call("tls_max_plain")} bytes; server record_size_limit ${(await d.call("tls_peer_record_size_limit")) || "(none)"}`);
  console.log(`  resumption: ${resumed ? "yes (PSK)" : "no"}`);
}

async function main(): Promise<void> {
  const e: Engine = engineName === "wasm3" ? await nativeBoard({ wasm: process.env.WASM }) : await workerEngine({ wasm: process.env.WASM });
  let code = 0;
  try {
    const d = await new TlsDriver(e).init();
    await d.call("x509_log_subjects", 1);
    const cfg: TlsConfig = {
      sni: servername ?? host, alpn: alpn ? [alpn] : undefined, groups: list(groups, GROUPS), suites: list(suites, SUITES),
      mfl: mfl ? ({ 512: 1, 1024: 2, 2048: 3, 4096: 4 } as Record<string, number>)[mfl] : undefined,
      rsl: rsl ? Number(rsl) : undefined, insecure, ticket: resume, inSize: recBuf ? Number(recBuf) : undefined,
    };
    if (certFile && keyFile) {
      const der = pems(certFile)[0];
      cfg.certList = Buffer.concat([Buffer.from([0, der.length >> 8, der.length & 255]), der, Buffer.from([0, 0])]);
      cfg.key = Buffer.from(createPrivateKey(readFileSync(keyFile)).export({ format: "jwk" }).d!, "base64url");
    }
    if (resume) await d.clearTicket();
    for (let round = 0; round < (resume ? 2 : 1); round++) {
      const rc = await connect(d, cfg);
      if (rc !== 0) {
        console.log(`FAILED: ${errorName(rc)} (${rc})`);
        for (const l of subjects(e)) console.log(l);   // the certificates seen before the failure
        code = 1; break;
      }
      await report(d, resume ? `connection ${round + 1}` : "connected");
      if (get || resume) {
        const req = Buffer.from(`GET ${get ?? "/"} HTTP/1.0\r\nHost: ${servername ?? host}\r\nConnection: close\r\n\r\n`);
        const buf = await d.put(new Uint8Array(256));
        await d.e.write(buf, req);
        const w = await d.call("tls_socket_write", buf, req.length);
        if (w < 0) { console.log(`FAILED: ${errorName(w)}`); code = 1; break; }
        let body = "";
        for (;;) {
          const n = await d.call("tls_socket_read", buf, 256, 10000);
          if (n === 0) { console.log("(timeout)"); break; }
          if (n < 0) { if (n !== -320) { console.log(`\nFAILED: ${errorName(n)}`); code = 1; } break; }
          body += Buffer.from(await d.e.read(buf, n)).toString("latin1");
        }
        if (get && round === (resume ? 1 : 0)) process.stdout.write(body);
      }
      await d.call("tls_socket_close");
    }
  } finally { await e.close(); }
  process.exit(code);
}
main().catch((err) => { console.error(err); process.exit(1); });
