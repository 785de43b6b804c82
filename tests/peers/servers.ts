// Real TLS 1.3 servers on loopback for the interop tests: openssl s_server,
// gnutls-serv (in a private network namespace), a Node tls server and a Go
// crypto/tls server. Each start() resolves once the server accepts.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import tls from "node:tls";
import path from "node:path";
import { ROOT } from "../../host/node/engine.ts";

export interface Server { port: number; proc: ChildProcess; output: () => string; stop: () => Promise<void> }

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
    s.on("error", reject);
  });
}

function waitFor(proc: ChildProcess, re: RegExp, log: { s: string }, ms = 10000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${log.s}`)), ms);
    const on = (d: Buffer) => { log.s += d; if (re.test(log.s)) { clearTimeout(t); resolve(); } };
    proc.stdout?.on("data", on);
    proc.stderr?.on("data", on);
    proc.on("exit", (c) => { clearTimeout(t); reject(new Error(`server exited ${c}: ${log.s}`)); });
  });
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () => new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once("exit", () => resolve());
    proc.kill("SIGTERM");
  });
}

// openssl s_server -tls1_3 with extra arguments (e.g. -www, -ciphersuites, -groups).
export async function opensslServer(cert: string, key: string, args: string[] = [], chain?: string): Promise<Server> {
  const port = await freePort();
  const log = { s: "" };
  const proc = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, "-tls1_3", "-cert", cert, "-key", key,
    ...(chain ? ["-cert_chain", chain] : []), ...args], { stdio: ["pipe", "pipe", "pipe"] });
  await waitFor(proc, /ACCEPT/, log);
  return { port, proc, output: () => log.s, stop: stopper(proc) };
}

// The Go crypto/tls server (tests/peers/go-server, built into build/).
export async function goServer(cert: string, key: string, args: string[] = []): Promise<Server> {
  const bin = path.join(ROOT, "build/go-tls-server");
  if (!existsSync(bin)) {
    execFileSync("go", ["build", "-o", bin, "."], { cwd: path.join(ROOT, "tests/peers/go-server"), stdio: "inherit" });
  }
  const port = await freePort();
  const log = { s: "" };
  const proc = spawn(bin, ["-port", String(port), "-cert", cert, "-key", key, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  await waitFor(proc, /LISTENING/, log);
  return { port, proc, output: () => log.s, stop: stopper(proc) };
}

// A Node tls server in this process: answers "GET /N" with N bytes and ends
// with close_notify.
export interface NodeServerOptions { ciphers?: string; ecdhCurve?: string; ca?: string; requestCert?: boolean }
export async function nodeServer(cert: string, key: string, o: NodeServerOptions = {}): Promise<Server & { log: string[] }> {
  const log: string[] = [];
  const srv = tls.createServer({
    cert: readFileSync(cert), key: readFileSync(key), minVersion: "TLSv1.3",
    ...(o.ciphers ? { ciphers: o.ciphers } : {}), ...(o.ecdhCurve ? { ecdhCurve: o.ecdhCurve } : {}),
    ...(o.ca ? { ca: readFileSync(o.ca), requestCert: true, rejectUnauthorized: true } : {}),
  }, (s) => {
    let buf = "";
    s.on("data", (d) => {
      buf += d;
      const m = /GET \/(\d+)/.exec(buf);
      if (!m || !buf.includes("\n")) return;
      const n = Number(m[1]);
      log.push(`served ${n} ${s.isSessionReused()} ${s.getCipher().standardName}`);
      s.end(`HTTP/1.0 200 OK\r\nX-Resumed: ${s.isSessionReused()}\r\n\r\n` + "x".repeat(n));
    });
    s.on("error", (e) => log.push(`error ${e.message}`));
  });
  srv.on("tlsClientError", (e) => log.push(`tlsClientError ${e.message}`));
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  return {
    port, proc: undefined as unknown as ChildProcess, log, output: () => log.join("\n"),
    stop: () => new Promise<void>((r) => srv.close(() => r())),
  };
}
