// The gateway option end to end: the plain-HTTP build of the app
// (build/device-plain.wasm, `make gateway`) on the native board, through the
// simulated ESP8266, to HAProxy (gateway/haproxy.cfg, Debian's haproxy 2.6)
// on loopback, which forwards over TLS 1.3 to the demo HTTPS server with SNI,
// the Host header and the upstream certificate verified against the demo CA.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../host/node/engine.ts";
import { runDemo } from "../tools/demo.ts";
import { startDemoServer } from "../tools/demo-server.ts";
import { loadConfig, ensureDemoPki } from "../tools/gen-config.ts";

const c = loadConfig();
const wasm = path.join(ROOT, "build/device-plain.wasm");
const board = path.join(ROOT, "build/demo/native-board");
let haproxy = "";
try { haproxy = execFileSync("sh", ["-c", "command -v haproxy || ls /usr/sbin/haproxy"], { encoding: "utf8" }).trim().split("\n")[0]; } catch { /* none */ }
const skip = !haproxy ? "haproxy not installed (tools/setup.sh installs it)"
  : !existsSync(wasm) || !existsSync(board) ? "build/device-plain.wasm or build/demo/native-board missing (make gateway build/demo/native-board)" : false;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, "127.0.0.1", ok));
  const p = (s.address() as AddressInfo).port;
  await new Promise<void>((ok) => s.close(() => ok()));
  return p;
}

async function startHaproxy(env: Record<string, string>): Promise<{ proc: ChildProcess; out: () => string }> {
  let out = "";
  const proc = spawn(haproxy, ["-db", "-f", path.join(ROOT, "gateway/haproxy.cfg")], { env: { ...process.env, ...env }, cwd: mkdtempSync(path.join(tmpdir(), "gw-")) });
  proc.stdout!.on("data", (d) => { out += d; });
  proc.stderr!.on("data", (d) => { out += d; });
  // Ready when the frontend port accepts connections.
  const [host, port] = env.GW_BIND.split(":");
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((res) => {
      const s = require_net().connect({ host, port: +port }, () => { s.destroy(); res(true); });
      s.on("error", () => res(false));
    });
    if (ok) break;
    if (proc.exitCode !== null) throw new Error(`haproxy exited: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, out: () => out };
}
import net from "node:net";
const require_net = () => net;

describe("gateway: plain-HTTP app -> HAProxy -> TLS 1.3 server", { skip }, () => {
  test("haproxy accepts its configuration", () => {
    const pki = ensureDemoPki(c.host);
    execFileSync(haproxy, ["-c", "-f", path.join(ROOT, "gateway/haproxy.cfg")], {
      env: { ...process.env, GW_BIND: "127.0.0.1:1", GW_UPSTREAM: "127.0.0.1:2", GW_HOST: c.host, GW_CA: pki.ca }, stdio: "pipe",
    });
  });

  test("every reading reaches the TLS server through the gateway (SNI, Host, verified upstream)", async () => {
    const pki = ensureDemoPki(c.host);
    const lines: string[] = [];
    const server = await startDemoServer({ config: c, log: (l) => lines.push(l) });
    const gwPort = await freePort();
    const gw = await startHaproxy({ GW_BIND: `127.0.0.1:${gwPort}`, GW_UPSTREAM: `127.0.0.1:${server.port}`, GW_HOST: c.host, GW_CA: pki.ca });
    try {
      const run = await runDemo({ board: "native", wasm, server, target: { port: gwPort }, timeoutMs: 120_000 });
      assert.equal(run.exit, 0, run.lines.join("\n") + gw.out());
      assert.ok(run.lines.some((l) => /plain HTTP \(gateway build\)/.test(l)));
      assert.ok(!run.lines.some((l) => /tls:/.test(l)), "no TLS on the device");
      assert.equal(server.readings.length, c.reports);
      assert.ok(server.sessions.full + server.sessions.resumed >= 1, "HAProxy spoke TLS to the server");
      assert.ok(lines.every((l) => !l.startsWith("server: reading") || l.includes(`(${c.host})`) && l.includes("TLSv1.3")), lines.join("\n"));
    } finally { gw.proc.kill(); await server.close(); }
  });

  test("an upstream certificate from another CA is refused by the gateway (no reading accepted)", async () => {
    const other = path.join(mkdtempSync(path.join(tmpdir(), "gw-ca-")), "ca.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", other + ".key",
      "-out", other, "-days", "2", "-subj", "/CN=Other CA", "-addext", "basicConstraints=critical,CA:TRUE"], { stdio: "pipe" });
    const server = await startDemoServer({ config: c, log: () => {} });
    const gwPort = await freePort();
    const gw = await startHaproxy({ GW_BIND: `127.0.0.1:${gwPort}`, GW_UPSTREAM: `127.0.0.1:${server.port}`, GW_HOST: c.host, GW_CA: other });
    try {
      // One report's worth of attempts is enough: stop the board after the first failures.
      const run = await runDemo({ board: "native", wasm, server, target: { port: gwPort }, timeoutMs: 12_000 });
      assert.equal(server.readings.length, 0);
      assert.ok(run.lines.some((l) => /attempt failed \(-384\)/.test(l)), "the gateway's 503 reached the app as an HTTP status error");
    } finally { gw.proc.kill(); await server.close(); }
  });
});
