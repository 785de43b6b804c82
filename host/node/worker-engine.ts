// The release module in V8 on a worker thread, so that its blocking imports
// (uart_read, tcp_read with timeouts) can wait while this thread keeps running
// the simulated ESP8266 and real sockets.
//
//   modem UART, device -> modem: postMessage (ordered, never blocks)
//   modem UART, modem -> device: a SharedArrayBuffer ring; the worker waits on
//                                it with Atomics.wait(timeout)
//   tcp_* (HostSocket):          synchronous requests: the worker posts, then
//                                Atomics.wait()s for this thread's answer in a
//                                shared reply slot tagged with a sequence number
// Engine calls (call/write/read) are messages the worker serves between calls.
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";
import net from "node:net";
import { RELEASE_WASM, type Engine, type CallResult, type Value } from "./engine.ts";

const RING = 1 << 16;         // modem -> device bytes in flight (power of two)
const DATA = 1 << 16;         // tcp_read answers

export interface WorkerEngineOptions {
  wasm?: string;
  // The modem: given the function that delivers bytes to the device, returns
  // the function that takes the device's bytes (Esp8266Sim.attach fits).
  uart?: (toDevice: (b: Uint8Array) => void) => (fromDevice: Uint8Array) => void;
  wallClock?: () => bigint;
  onLog?: (line: string) => void;
  // The board's modem reset line (env.modem_reset): pulses it and returns 0
  // (Esp8266Sim.hardwareReset fits); the board drops what the modem sent
  // before the pulse, as the micro:bit's does. Unset: no line, -1.
  modemReset?: () => number;
}

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require("node:worker_threads");
const { randomFillSync } = require("node:crypto");
const { wasm, ringSab, ctlSab, dataSab, wall } = workerData;
const hdr = new Int32Array(ringSab, 0, 4);       // [written, read, closed]
const ring = new Uint8Array(ringSab, 16);
const RING = ring.length;
const ctl = new Int32Array(ctlSab);              // [reply seq, value]
const data = new Uint8Array(dataSab);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let instance, seq = 0;
const mem = () => new Uint8Array(instance.exports.memory.buffer);
const t0 = performance.now();
function sync(msg, timeoutMs) {
  const s = ++seq;
  msg.seq = s;
  parentPort.postMessage(msg);
  const end = performance.now() + timeoutMs;
  // Wait on the value just compared: loading it again for the wait would lose
  // an answer stored in between (the wait would then sleep its whole timeout).
  for (let v = Atomics.load(ctl, 0); v !== s; v = Atomics.load(ctl, 0)) {
    const left = end - performance.now();
    if (left <= 0) return -1;
    Atomics.wait(ctl, 0, v, left);
  }
  return ctl[1];
}
const env = {
  uart_write(p, n) {
    parentPort.postMessage({ op: "uart", bytes: mem().slice(p, p + n) });
    return n;
  },
  uart_read(p, n, timeout) {
    const end = performance.now() + timeout;
    for (;;) {
      const w = Atomics.load(hdr, 0), r = Atomics.load(hdr, 1);
      const avail = (w - r) | 0;
      if (avail > 0) {
        const k = Math.min(n, avail), m = mem();
        for (let i = 0; i < k; i++) m[p + i] = ring[(r + i) & (RING - 1)];
        Atomics.store(hdr, 1, (r + k) | 0);
        return k;
      }
      if (Atomics.load(hdr, 2)) return -1;
      const left = end - performance.now();
      if (left <= 0) return 0;
      Atomics.wait(hdr, 0, w, left);
    }
  },
  millis: () => Math.floor(performance.now() - t0) | 0,
  sleep_ms: (ms) => { if (ms > 0) Atomics.wait(sleeper, 0, 0, ms); },
  wall_clock: () => BigInt(wall === null ? Math.floor(Date.now() / 1000) : wall),
  random_bytes: (p, n) => { randomFillSync(mem(), p, n); },
  temperature: () => 21500,
  led_state: () => {},
  button_pressed: () => 0,
  log: (p, n) => parentPort.postMessage({ op: "log", line: Buffer.from(mem().subarray(p, p + n)).toString("latin1") }),
  abort: (msg, file, line) => { throw new Error("abort at line " + line); },
  tcp_open: (p, n, port) => sync({ op: "tcp_open", host: Buffer.from(mem().subarray(p, p + n)).toString("latin1"), port }, 10000),
  tcp_write: (h, p, n) => sync({ op: "tcp_write", h, bytes: mem().slice(p, p + n) }, 10000),
  tcp_read: (h, p, n, timeout) => {
    const r = sync({ op: "tcp_read", h, n: Math.min(n, data.length), timeout }, timeout + 2000);
    if (r > 0) mem().set(data.subarray(0, r), p);
    return r;
  },
  tcp_close: (h) => { parentPort.postMessage({ op: "tcp_close", h }); },
  modem_reset: () => sync({ op: "modem_reset" }, 2000),
};
instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env });
parentPort.on("message", (m) => {
  try {
    if (m.op === "call") {
      const f = instance.exports[m.fn];
      if (typeof f !== "function") throw new Error("no export " + m.fn);
      parentPort.postMessage({ op: "done", id: m.id, value: f(...m.args) });
    } else if (m.op === "write") {
      mem().set(m.bytes, m.addr);
      parentPort.postMessage({ op: "done", id: m.id });
    } else if (m.op === "read") {
      parentPort.postMessage({ op: "done", id: m.id, bytes: mem().slice(m.addr, m.addr + m.len) });
    } else if (m.op === "stats") {
      parentPort.postMessage({ op: "done", id: m.id, value: mem().length });
    }
  } catch (e) {
    parentPort.postMessage({ op: "done", id: m.id, error: String(e && e.stack || e) });
  }
});
parentPort.postMessage({ op: "ready" });
`;

interface HostConn { sock: net.Socket; chunks: Buffer[]; ended: boolean; wake?: () => void }

export class WorkerEngine implements Engine {
  readonly name = "v8";
  readonly logs: string[] = [];
  private readonly worker: Worker;
  private readonly hdr: Int32Array;
  private readonly ring: Uint8Array;
  private readonly ctl: Int32Array;
  private readonly data: Uint8Array;
  private pending: Buffer[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly calls = new Map<number, { resolve: (m: any) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly conns = new Map<number, HostConn>();
  private nextHandle = 0;
  private toModem: ((b: Uint8Array) => void) | undefined;
  private exited: Error | undefined;
  private readyP: Promise<void>;
  private readonly modemReset: (() => number) | undefined;

  constructor(o: WorkerEngineOptions = {}) {
    const ringSab = new SharedArrayBuffer(16 + RING);
    const ctlSab = new SharedArrayBuffer(8);
    const dataSab = new SharedArrayBuffer(DATA);
    this.hdr = new Int32Array(ringSab, 0, 4);
    this.ring = new Uint8Array(ringSab, 16);
    this.ctl = new Int32Array(ctlSab);
    this.data = new Uint8Array(dataSab);
    const wasm = readFileSync(o.wasm ?? RELEASE_WASM);
    const wall = o.wallClock ? Number(o.wallClock()) : null;
    this.modemReset = o.modemReset;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { wasm, ringSab, ctlSab, dataSab, wall } });
    if (o.uart) this.toModem = o.uart((b) => this.toDevice(b));
    let ready!: () => void;
    this.readyP = new Promise((r) => { ready = r; });
    this.worker.on("message", (m) => this.onMessage(m, ready, o.onLog));
    this.worker.on("error", (e) => { this.exited = e; this.failAll(e); });
    this.worker.on("exit", (c) => { this.exited ??= new Error(`worker exited (${c})`); this.failAll(this.exited); });
  }

  async ready(): Promise<this> { await this.readyP; return this; }

  private failAll(e: Error): void {
    for (const c of this.calls.values()) c.reject(e);
    this.calls.clear();
  }

  // Modem -> device bytes into the ring (what does not fit waits here).
  private toDevice(b: Uint8Array): void {
    this.pending.push(Buffer.from(b));
    this.flush();
  }
  private flush(): void {
    while (this.pending.length) {
      const w = Atomics.load(this.hdr, 0), r = Atomics.load(this.hdr, 1);
      const space = RING - ((w - r) | 0);
      if (space <= 0) break;
      const b = this.pending[0];
      const k = Math.min(space, b.length);
      for (let i = 0; i < k; i++) this.ring[(w + i) & (RING - 1)] = b[i];
      Atomics.store(this.hdr, 0, (w + k) | 0);
      Atomics.notify(this.hdr, 0);
      if (k === b.length) this.pending.shift(); else this.pending[0] = b.subarray(k);
    }
    if (this.pending.length && !this.flushTimer) {
      this.flushTimer = setTimeout(() => { this.flushTimer = undefined; this.flush(); }, 2);
    }
  }

  private answer(seq: number, value: number, bytes?: Uint8Array): void {
    if (bytes) this.data.set(bytes);
    this.ctl[1] = value;
    Atomics.store(this.ctl, 0, seq);
    Atomics.notify(this.ctl, 0);
  }

  private onMessage(m: any, ready: () => void, onLog?: (l: string) => void): void {
    switch (m.op) {
      case "ready": ready(); return;
      case "uart": this.toModem?.(m.bytes); return;
      case "log": this.logs.push(m.line); onLog?.(m.line); return;
      case "done": {
        const c = this.calls.get(m.id);
        this.calls.delete(m.id);
        if (!c) return;
        if (m.error) c.reject(new Error(m.error)); else c.resolve(m);
        return;
      }
      case "modem_reset": return this.resetModem(m.seq);
      case "tcp_open": return this.tcpOpen(m.seq, m.host, m.port);
      case "tcp_write": {
        const c = this.conns.get(m.h);
        if (!c || c.sock.destroyed) return this.answer(m.seq, -1);
        c.sock.write(m.bytes, (e) => this.answer(m.seq, e ? -1 : m.bytes.length));
        return;
      }
      case "tcp_read": return this.tcpRead(m.seq, m.h, m.n, m.timeout);
      case "tcp_close": {
        const c = this.conns.get(m.h);
        this.conns.delete(m.h);
        c?.sock.destroy();
        return;
      }
    }
  }

  // The worker waits in modem_reset, so its read index can be moved here:
  // bytes in the ring or pending before the pulse are dropped, those the
  // modem sends from the pulse on are kept.
  private resetModem(seq: number): void {
    if (!this.modemReset) return this.answer(seq, -1);
    const w = Atomics.load(this.hdr, 0), stale = this.pending;
    this.pending = [];
    const r = this.modemReset();
    if (r === 0) Atomics.store(this.hdr, 1, w);
    else this.pending = [...stale, ...this.pending];
    this.answer(seq, r);
  }

  private tcpOpen(seq: number, host: string, port: number): void {
    const sock = net.connect({ host, port });
    const h = this.nextHandle++;
    const c: HostConn = { sock, chunks: [], ended: false };
    sock.setNoDelay(true);
    sock.on("connect", () => { this.conns.set(h, c); this.answer(seq, h); });
    sock.on("data", (d) => { c.chunks.push(d); c.wake?.(); });
    sock.on("error", () => { if (!this.conns.has(h)) this.answer(seq, -1); });
    sock.on("close", () => { c.ended = true; c.wake?.(); });
  }

  private tcpRead(seq: number, h: number, n: number, timeout: number): void {
    const c = this.conns.get(h);
    if (!c) return this.answer(seq, -1);
    const give = () => {
      c.wake = undefined;
      clearTimeout(t);
      if (c.chunks.length) {
        const all = Buffer.concat(c.chunks);
        const k = Math.min(n, all.length);
        c.chunks = k < all.length ? [all.subarray(k)] : [];
        this.answer(seq, k, all.subarray(0, k));
      } else this.answer(seq, c.ended ? -1 : 0);
    };
    let t: NodeJS.Timeout | undefined;
    if (c.chunks.length || c.ended) return give();
    c.wake = give;
    t = setTimeout(give, timeout);
  }

  private rpc(msg: Record<string, unknown>): Promise<any> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  async call(fn: string, ...args: Value[]): Promise<CallResult> {
    const m = await this.rpc({ op: "call", fn, args });
    return { value: m.value, instructions: 0 };
  }
  async write(addr: number, bytes: Uint8Array): Promise<void> { await this.rpc({ op: "write", addr, bytes }); }
  async read(addr: number, len: number): Promise<Uint8Array> {
    return new Uint8Array((await this.rpc({ op: "read", addr, len })).bytes);
  }
  async stats(): Promise<Record<string, number>> { return { linear: (await this.rpc({ op: "stats" })).value }; }
  async close(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    Atomics.store(this.hdr, 2, 1);
    Atomics.notify(this.hdr, 0);
    for (const c of this.conns.values()) c.sock.destroy();
    this.conns.clear();
    await this.worker.terminate();
  }
}

export function workerEngine(o: WorkerEngineOptions = {}): Promise<WorkerEngine> {
  return new WorkerEngine(o).ready();
}
