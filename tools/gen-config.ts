// Build-time configuration of the telemetry app: config/device.json (or
// CONFIG=path; TRANSPORT=plain selects the gateway build) -> assembly/app/config.gen.ts.
// Strings become small data segments; the HTTP request head (with the basic
// auth header) is composed here so that the module needs no base64 code.
// When the trust anchor is the demo CA (under build/demo) and missing, the
// demo PKI is created first (openssl). Nothing secret is printed.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { X509Certificate } from "node:crypto";

export interface DeviceConfig {
  ssid: string; psk: string; host: string; port: number; path: string; device: string;
  user: string; password: string; anchors: string; interval_ms: number; reports: number;
  reconnect_each_report: boolean; transport: "tls" | "plain";
  gateway?: { host: string; port: number };   // where the plain-HTTP build connects (gateway/haproxy.cfg)
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const DEMO_DIR = path.join(ROOT, "build/demo");

export function loadConfig(file = process.env.CONFIG || path.join(ROOT, "config/device.json")): DeviceConfig {
  const c = JSON.parse(readFileSync(file, "utf8")) as DeviceConfig;
  if (process.env.TRANSPORT) c.transport = process.env.TRANSPORT as "tls" | "plain";
  if (process.env.REPORTS) c.reports = Number(process.env.REPORTS);
  return c;
}

// The demo PKI (P-256), made once: a root CA (the app's trust anchor,
// ca.pem), an intermediate CA under it, and the server certificate for
// `host` under the intermediate; server.pem holds the server certificate then
// the intermediate, as a real server sends its chain.
export function ensureDemoPki(host: string, dir = DEMO_DIR): { ca: string; cert: string; key: string } {
  const f = (n: string) => path.join(dir, n);
  const out = { ca: f("ca.pem"), cert: f("server.pem"), key: f("server.key") };
  const stamp = `${host} chain=root,intermediate,leaf`;
  if (existsSync(out.ca) && existsSync(out.cert) && existsSync(out.key) && existsSync(f("server.host")) &&
      readFileSync(f("server.host"), "utf8") === stamp) return out;
  mkdirSync(dir, { recursive: true });
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
  run(["req", "-x509", ...ec, "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650", "-subj", "/CN=Telemetry Demo Root CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  writeFileSync(f("ext.cnf"), [
    "[inter]", "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign",
    "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid",
    "[leaf]", "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
    "extendedKeyUsage=serverAuth", `subjectAltName=DNS:${host},DNS:localhost,IP:127.0.0.1`,
    "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid", ""].join("\n"));
  run(["req", "-new", ...ec, "-nodes", "-keyout", "inter.key", "-out", "inter.csr", "-subj", "/CN=Telemetry Demo Issuing CA"]);
  run(["x509", "-req", "-in", "inter.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "inter.pem",
    "-days", "1825", "-extfile", "ext.cnf", "-extensions", "inter"]);
  run(["req", "-new", ...ec, "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${host}`]);
  run(["x509", "-req", "-in", "server.csr", "-CA", "inter.pem", "-CAkey", "inter.key", "-CAcreateserial", "-out", "leaf.pem",
    "-days", "825", "-extfile", "ext.cnf", "-extensions", "leaf"]);
  writeFileSync(out.cert, readFileSync(f("leaf.pem"), "utf8") + readFileSync(f("inter.pem"), "utf8"));
  writeFileSync(f("server.host"), stamp);
  console.log(`demo PKI created in ${path.relative(ROOT, dir)} (root CA, intermediate CA, server certificate for ${host})`);
  return out;
}

// The app's texts (log lines, JSON and HTTP pieces) as one ASCII blob: AS
// string literals would cost 2 bytes a character plus a 20-byte header each.
export const TEXTS: Record<string, string> = {
  T_FAILED: " failed: ",
  T_WIFI_INIT: "wifi: init",
  T_WIFI_JOINING_SSID: "wifi: joining (ssid ",
  T_BYTES_PSK: " bytes, psk ",
  T_BYTES: " bytes)",
  T_WIFI_JOIN: "wifi: join",
  T_WIFI_JOINED_IP: "wifi: joined, ip ",
  T_SYM: ".",
  T_TIME: "time: ",
  T_SNTP: "SNTP ",
  T_NO_SNTP_BOARD_CLOCK: "no SNTP, board clock",
  T_NET_CONNECTING_PLAIN_HTT: "net: connecting (plain HTTP) to ",
  T_TLS_CONNECTING_TO: "tls: connecting to ",
  T_NET_CONNECT: "net: connect",
  T_TLS_HANDSHAKE: "tls: handshake",
  T_TLS_HANDSHAKE2: "tls: handshake ",
  T_RESUMED: " resumed",
  T_FULL_SERVER_CERTIFICATE_: " full, server certificate valid",
  T_SUITE: ", suite ",
  T_SYM2: ", ",
  T_MS: " ms",
  T_CONTENT_LENGTH: "\r\ncontent-length:",
  T_DEVICE: "{\"device\":\"",
  T_SEQ: "\",\"seq\":",
  T_TEMP_MC: ",\"temp_mc\":",
  T_SYM3: "}",
  T_CONNECTION_CLOSE: "\r\nConnection: close\r\n\r\n",
  T_SYM4: "\r\n\r\n",
  T_HTTP_POST_READING: "http: POST reading ",
  T_SYM5: ": ",
  T_MC: " mC",
  T_HTTP_SEND: "http: send",
  T_HTTP_RESPONSE: "http: response",
  T_HTTP_STATUS: "http: status ",
  T_APP_TELEMETRY: "app: telemetry, ",
  T_REPORTS_EVERY: " reports every ",
  T_MS_PLAIN_HTTP_GATEWAY_BU: " ms, plain HTTP (gateway build)",
  T_MS_TLS_1_3: " ms, TLS 1.3",
  T_APP_SERVER: "app: server ",
  T_X509_TRUST_ANCHOR: "x509: trust anchor",
  T_X509_TRUST_ANCHOR_INSTAL: "x509: trust anchor installed",
  T_APP_ATTEMPT_FAILED: "app: attempt failed (",
  T_RETRY: "), retry ",
  T_IN: " in ",
  T_APP_GIVING_UP: "app: giving up",
  T_APP_BUTTON: "app: button A, reading now",
  T_APP_DONE: "app: done, ",
  T_REPORTS_ACCEPTED: " reports accepted, ",
  T_HANDSHAKES: " handshakes (",
  T_RESUMED_LAST_FULL: " resumed), last full ",
  T_MS_LAST_RESUMED: " ms, last resumed ",
};

const bytes = (b: Uint8Array) => `memory.data<u8>([${Array.from(b).join(",")}])`;

function texts(): string[] {
  let blob = "";
  const out: string[] = [];
  for (const [k, v] of Object.entries(TEXTS)) {
    let off = blob.indexOf(v);
    if (off < 0) { off = blob.length; blob += v; }
    out.push(`export const ${k}: i32 = ${(off << 8) | v.length};`);
  }
  return [`// Texts: offset << 8 | length into TEXT (${blob.length} bytes).`, `export const TEXT: usize = ${bytes(new Uint8Array(Buffer.from(blob, "latin1")))};`, ...out];
}

export function generate(c: DeviceConfig): string {
  const plain = c.transport === "plain";
  let ca = new Uint8Array(0);
  if (!plain && c.anchors) {
    const pemPath = path.resolve(ROOT, c.anchors);
    if (pemPath.startsWith(DEMO_DIR)) ensureDemoPki(c.host);   // made, or made again when out of date
    ca = new Uint8Array(new X509Certificate(readFileSync(pemPath)).raw);
  }
  const auth = Buffer.from(`${c.user}:${c.password}`).toString("base64");
  const head = `POST ${c.path} HTTP/1.1\r\nHost: ${c.host}\r\nAuthorization: Basic ${auth}\r\n` +
    `Content-Type: application/json\r\nContent-Length: `;
  const enc = (s: string) => new Uint8Array(Buffer.from(s, "latin1"));
  const str = (name: string, s: string) =>
    `export const ${name}: usize = ${s.length ? bytes(enc(s)) : "0"};\nexport const ${name}_LEN: i32 = ${s.length};`;
  return [
    "// Generated by tools/gen-config.ts from the device configuration: do not edit, do not commit.",
    `// RAM: ${c.ssid.length + c.psk.length + c.host.length + head.length + c.device.length + ca.length} bytes of data.`,
    str("SSID", c.ssid),
    str("PSK", c.psk),
    str("HOST", plain && c.gateway ? c.gateway.host : c.host),
    `export const PORT: i32 = ${(plain && c.gateway ? c.gateway.port : c.port) | 0};`,
    str("REQUEST_HEAD", head),
    str("DEVICE", c.device),
    `export const CA_DER: usize = ${ca.length ? bytes(ca) : "0"};`,
    `export const CA_DER_LEN: i32 = ${ca.length};`,
    `export const INTERVAL_MS: i32 = ${c.interval_ms | 0};`,
    `export const REPORTS: i32 = ${c.reports | 0};`,
    `export const RECONNECT_EACH_REPORT: bool = ${c.reconnect_each_report ? "true" : "false"};`,
    `export const PLAIN_HTTP: bool = ${plain ? "true" : "false"};`,
    ...texts(),
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv.includes("--out") ? process.argv[process.argv.indexOf("--out") + 1] : path.join(ROOT, "assembly/app/config.gen.ts");
  const c = loadConfig();
  const text = generate(c);
  if (!existsSync(out) || readFileSync(out, "utf8") !== text) {
    writeFileSync(out, text);
    const h = c.transport === "plain" && c.gateway ? c.gateway : c;
    console.log(`app config: ${c.transport} to ${h.host}:${h.port}, ${c.reports} reports every ${c.interval_ms} ms -> ${path.relative(ROOT, out)}`);
  }
}
