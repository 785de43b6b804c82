// A module on an engine wired to a simulated ESP8266, with helpers for the
// driver's test-facing exports (assembly/exports/net.ts).
import net from "node:net";
import http from "node:http";
import { nativeBoard, qemuBoard, type Engine } from "../../host/node/engine.ts";
import { workerEngine } from "../../host/node/worker-engine.ts";
import { Esp8266Sim, type SimOptions } from "../../host/node/esp8266-sim.ts";

export const SSID = "lab-net";
export const PSK = "correct horse, \"battery\"";   // a comma and quotes: escaped on the wire

export class Rig {
  io = 0;
  constructor(readonly engine: Engine, readonly sim: Esp8266Sim) {}

  static async open(engineName: string, o: SimOptions): Promise<Rig> {
    const sim = new Esp8266Sim({ aps: { [SSID]: PSK, "other-net": "x" }, ...o });
    let engine: Engine;
    if (engineName === "v8") engine = await workerEngine({ uart: (send) => sim.attach(send) });
    else {
      const port = await sim.listen();
      const modem = `127.0.0.1:${port}`;
      engine = engineName === "wasm3-native" ? await nativeBoard({ modem }) : await qemuBoard({ modem });
    }
    const r = new Rig(engine, sim);
    r.io = Number((await engine.call("io_buffer")).value);
    return r;
  }

  async close(): Promise<void> {
    await this.engine.close();
    await this.sim.close();
  }

  async call(fn: string, ...args: number[]): Promise<number> {
    return Number((await this.engine.call(fn, ...args)).value);
  }

  async init(): Promise<number> { return this.call("wifi_init"); }

  async join(ssid = SSID, psk = PSK): Promise<number> {
    const s = Buffer.from(ssid, "latin1"), p = Buffer.from(psk, "latin1");
    await this.engine.write(this.io, s);
    await this.engine.write(this.io + 64, p);
    return this.call("wifi_join", this.io, s.length, this.io + 64, p.length);
  }

  async up(): Promise<void> {
    const a = await this.init();
    if (a !== 0) throw new Error(`wifi_init ${a}`);
    const b = await this.join();
    if (b !== 0) throw new Error(`wifi_join ${b}`);
  }

  async open(host: string, port: number, kind = "tcp_socket_open"): Promise<number> {
    const h = Buffer.from(host, "latin1");
    await this.engine.write(this.io + 128, h);
    return this.call(kind, this.io + 128, h.length, port);
  }

  // Writes everything through socket_write in pieces of at most `piece` bytes.
  async write(s: number, data: Uint8Array, piece = 3072): Promise<number> {
    for (let off = 0; off < data.length; off += piece) {
      const part = data.subarray(off, off + piece);
      await this.engine.write(this.io + 512, part);
      const r = await this.call("socket_write", s, this.io + 512, part.length);
      if (r !== part.length) return r;
    }
    return data.length;
  }

  // Reads until `want` bytes arrived, the stream ended, an error, or `idleMs`
  // without data. Returns the bytes and the last status.
  async read(s: number, want: number, idleMs = 3000, piece = 2048): Promise<{ data: Buffer; status: number }> {
    const parts: Buffer[] = [];
    let got = 0, status = 0;
    while (got < want) {
      status = await this.call("socket_read", s, this.io + 512, piece, idleMs);
      if (status <= 0) break;
      parts.push(Buffer.from(await this.engine.read(this.io + 512, status)));
      got += status;
    }
    return { data: Buffer.concat(parts), status };
  }
}

export async function echoServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const socks = new Set<net.Socket>();
  const srv = net.createServer((s) => { socks.add(s); s.on("close", () => socks.delete(s)); s.on("error", () => {}); s.pipe(s); });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => { for (const s of socks) s.destroy(); return new Promise((r) => srv.close(() => r())); },
  };
}

export async function httpServer(body: Buffer): Promise<{ port: number; close: () => Promise<void> }> {
  const srv = http.createServer((req, res) => {
    if (req.url !== "/file") { res.statusCode = 404; res.end("no"); return; }
    res.setHeader("Content-Type", "application/octet-stream");
    res.setHeader("Content-Length", body.length);
    res.end(body);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => { srv.closeAllConnections(); return new Promise((r) => srv.close(() => r())); },
  };
}
