// The demo's telemetry endpoint: HTTPS (TLS 1.3 only) on loopback with the
// demo server certificate; POST <path> with HTTP basic auth and a JSON body.
// Prints what it receives, answers 201 (or 401 / 400), and counts TLS
// sessions (full and resumed). Also usable alone:
//   node --import tsx tools/demo-server.ts [port]
import https from "node:https";
import http from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { loadConfig, ensureDemoPki, type DeviceConfig } from "./gen-config.ts";

export interface Reading { device: string; seq: number; temp_mc: number }
export interface DemoServer {
  port: number;
  readings: Reading[];
  rejected: number;
  rejectNext: number;   // the next n requests are answered 503 (tests: the app retries)
  sessions: { full: number; resumed: number };
  close(): Promise<void>;
}

export async function startDemoServer(o: { config?: DeviceConfig; port?: number; plain?: boolean; log?: (l: string) => void } = {}): Promise<DemoServer> {
  const c = o.config ?? loadConfig();
  const log = o.log ?? ((l: string) => console.log(l));
  const expected = "Basic " + Buffer.from(`${c.user}:${c.password}`).toString("base64");
  const st: DemoServer = { port: 0, readings: [], rejected: 0, rejectNext: 0, sessions: { full: 0, resumed: 0 }, close: async () => {} };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const reply = (code: number, obj: object) => {
        const b = JSON.stringify(obj);
        res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(b) });
        res.end(b);
      };
      if (req.method !== "POST" || req.url !== c.path) { st.rejected++; log(`server: ${req.method} ${req.url}: 404`); return reply(404, { error: "not found" }); }
      if (req.headers.authorization !== expected) { st.rejected++; log("server: bad credentials: 401"); return reply(401, { error: "unauthorized" }); }
      if (st.rejectNext > 0) { st.rejectNext--; st.rejected++; log("server: busy: 503"); return reply(503, { error: "busy" }); }
      let r: Reading;
      try { r = JSON.parse(body); } catch { st.rejected++; log(`server: bad JSON ${JSON.stringify(body)}: 400`); return reply(400, { error: "bad json" }); }
      if (typeof r.temp_mc !== "number" || typeof r.seq !== "number") { st.rejected++; return reply(400, { error: "fields" }); }
      st.readings.push(r);
      const sock = req.socket as TLSSocket;
      const tls = typeof sock.getProtocol === "function" ? `${sock.getProtocol()} ${sock.getCipher()?.standardName}` : "plain HTTP";
      log(`server: reading ${r.seq} from ${r.device} (${req.headers.host}): ${(r.temp_mc / 1000).toFixed(3)} °C  [${tls}, basic auth ok]`);
      reply(201, { ok: true, seq: r.seq });
    });
  };
  let server: http.Server | https.Server;
  if (o.plain) server = http.createServer(handler);
  else {
    const pki = ensureDemoPki(c.host);
    const s = https.createServer({ key: readFileSync(pki.key), cert: readFileSync(pki.cert), minVersion: "TLSv1.3", maxVersion: "TLSv1.3" }, handler);
    s.on("secureConnection", (t: TLSSocket) => { if (t.isSessionReused()) st.sessions.resumed++; else st.sessions.full++; });
    server = s;
  }
  await new Promise<void>((ok) => server.listen(o.port ?? 0, "127.0.0.1", ok));
  st.port = (server.address() as AddressInfo).port;
  st.close = () => new Promise<void>((ok) => { server.closeAllConnections?.(); server.close(() => ok()); });
  return st;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await startDemoServer({ port: Number(process.argv[2] ?? 8443) });
  console.log(`demo server on https://127.0.0.1:${s.port}`);
}
