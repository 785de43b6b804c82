// Real TLS 1.3 servers on loopback for the interop tests: openssl s_server,
// gnutls-serv (in a private network namespace), a Node tls server and a Go
// crypto/tls server. Each start() resolves once the server accepts.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

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
