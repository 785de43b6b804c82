// Drives the TLS engine's exports (assembly/exports/tls.ts) from a host:
// configuration block, record pumping, application data, error names.
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT, nativeBoard, type Engine } from "../../host/node/engine.ts";
import { workerEngine } from "../../host/node/worker-engine.ts";

// An engine whose tcp_* imports reach real sockets: V8 in a worker thread,
// or wasm3 on the native board ($WASM picks the module).
export async function openEngine(name: string): Promise<Engine> {
  if (name === "v8") return workerEngine({ wasm: process.env.WASM });
  if (name.startsWith("wasm2c")) return nativeBoard({ wasm: process.env.WASM, engine: "wasm2c" });
  return nativeBoard({ wasm: process.env.WASM });
}

export const SENDREC = 1, RECVREC = 2, SENDAPP = 4, RECVAPP = 8, CLOSED = 16;
export const SUITE = { aes128: 1, aes256: 2, chacha: 3 } as const;
export const GROUP = { x25519: 1, p256: 2 } as const;

export interface TlsConfig {
  suites?: number[]; groups?: number[]; share?: number;
  compat?: boolean; insecure?: boolean; tickets?: boolean;
  mfl?: number; rsl?: number; sni?: string; alpn?: string[];
  inSize?: number; outSize?: number; inBuf?: number;
  certList?: Uint8Array; key?: Uint8Array; now?: bigint;
  ticket?: boolean; pskKe?: boolean;   // ticket storage at TICKET_AT (kept across connections), offer psk_ke
}

// Error code -> name, read from the source files (no strings in the module).
const NAMES = new Map<number, string>();
for (const f of ["assembly/tls/errors.ts", "assembly/x509/errors.ts", "assembly/crypto/errors.ts", "assembly/net/errors.ts", "assembly/errors.ts"]) {
  try {
    for (const m of readFileSync(path.join(ROOT, f), "utf8").matchAll(/export const (ERR_\w+): i32 = (-\d+);/g)) {
      if (!NAMES.has(Number(m[2]))) NAMES.set(Number(m[2]), m[1]);
    }
  } catch { /* file not there yet */ }
}
export function errorName(code: number): string {
  if (code === 0) return "OK";
  if (code <= -768 && code > -1024) return `SENT_ALERT_${-768 - code}`;
  if (code <= -512 && code > -768) return `RECV_ALERT_${-512 - code}`;
  return NAMES.get(code) ?? `error ${code}`;
}

const pack = (xs: number[]) => xs.reduce((acc, x, i) => acc + x * 2 ** (8 * i), 0);

export class TlsDriver {
  io = 0; inBuf = 0; outBuf = 0; inSize = 0; outSize = 0;
  constructor(readonly e: Engine) {}

  async call(fn: string, ...args: number[]): Promise<number> {
    return Number((await this.e.call(fn, ...args)).value ?? 0);
  }

  async init(): Promise<this> {
    this.io = await this.call("io_buffer");
    this.inBuf = await this.call("tls_in_buffer");
    this.outBuf = await this.call("tls_out_buffer");
    this.inSize = await this.call("tls_in_size");
    this.outSize = await this.call("tls_out_size");
    return this;
  }

  // Host data lives in IO[0, 1024) (the rest of IO is the record buffers):
  // the configuration block at 0, then a bump allocator, then the ticket
  // storage (TICKET_CAP bytes at the top, kept across connections).
  static readonly TICKET_CAP = 320;
  get ticketAt(): number { return this.io + 1024 - TlsDriver.TICKET_CAP; }
  private top = 80;
  private limit = 1024;   // 1024 - TICKET_CAP when the ticket storage is in use
  async put(bytes: Uint8Array): Promise<number> {
    const p = this.io + this.top;
    if (this.top + bytes.length > this.limit) throw new Error("TLS host scratch full");
    await this.e.write(p, bytes);
    this.top += (bytes.length + 3) & ~3;
    return p;
  }
  reset(): void { this.top = 80; }

  async configure(c: TlsConfig): Promise<number> {
    this.reset();
    this.limit = c.ticket ? 1024 - TlsDriver.TICKET_CAP : 1024;
    const cfg = new DataView(new ArrayBuffer(80));
    cfg.setUint32(0, pack(c.suites ?? [1, 2, 3]), true);
    cfg.setUint32(4, pack(c.groups ?? [1, 2]), true);
    cfg.setUint8(8, c.share ?? 0);
    cfg.setUint8(9, (c.compat === false ? 1 : 0) | (c.insecure ? 2 : 0) | (c.tickets === false ? 4 : 0) | (c.pskKe ? 8 : 0));
    cfg.setUint8(10, c.mfl ?? 0);
    cfg.setUint16(12, c.rsl ?? 0, true);
    if (c.sni) {
      const b = Buffer.from(c.sni);
      cfg.setUint32(16, await this.put(b), true); cfg.setUint32(20, b.length, true);
    }
    if (c.alpn) {
      const b = Buffer.concat(c.alpn.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])));
      cfg.setUint32(24, await this.put(b), true); cfg.setUint32(28, b.length, true);
    }
    cfg.setUint32(32, c.inBuf ?? this.inBuf, true); cfg.setUint32(36, c.inSize ?? this.inSize, true);
    cfg.setUint32(40, this.outBuf, true); cfg.setUint32(44, c.outSize ?? this.outSize, true);
    if (c.certList) {
      cfg.setUint32(48, await this.put(c.certList), true); cfg.setUint32(52, c.certList.length, true);
      cfg.setUint32(56, await this.put(c.key ?? new Uint8Array(32)), true);
    }
    cfg.setBigInt64(64, c.now ?? 0n, true);
    if (c.ticket) { cfg.setUint32(72, this.ticketAt, true); cfg.setUint32(76, TlsDriver.TICKET_CAP, true); }
    await this.e.write(this.io, new Uint8Array(cfg.buffer));
    return this.call("tls_configure", this.io);
  }

  async inject(rand: Uint8Array, ch: Uint8Array = new Uint8Array(0), sig: Uint8Array = new Uint8Array(0)): Promise<void> {
    const r = await this.put(rand), c = ch.length ? await this.put(ch) : 0, g = sig.length ? await this.put(sig) : 0;
    const rc = await this.call("tls_test_inject", r, rand.length, c, ch.length, g, sig.length);
    if (rc !== 0) throw new Error(`tls_test_inject ${rc}`);
  }

  // Stores an external PSK (identity, key, suite id) in the ticket storage.
  async externalPsk(identity: Uint8Array, psk: Uint8Array, suite = 1): Promise<void> {
    const t = new Uint8Array(64 + identity.length);
    const v = new DataView(t.buffer);
    t[0] = suite; t[1] = 1; v.setUint16(2, identity.length, true);
    t.set(psk, 16); t.set(identity, 64);
    await this.e.write(this.ticketAt, t);
  }
  async clearTicket(): Promise<void> { await this.e.write(this.ticketAt, new Uint8Array(4)); }

  state(): Promise<number> { return this.call("tls_state"); }
  lastError(): Promise<number> { return this.call("tls_last_error"); }

  // Everything the engine has to send.
  async output(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    while ((await this.state()) & SENDREC) {
      const p = await this.call("tls_sendrec_buf");
      const n = await this.call("tls_buf_len");
      parts.push(await this.e.read(p, n));
      await this.call("tls_sendrec_ack", n);
    }
    return Buffer.concat(parts);
  }

  // Feeds bytes from the peer in pieces of at most `chunk`; returns how many
  // were taken (the engine stops taking when closed or holding app data).
  async feed(data: Uint8Array, chunk = 1 << 30): Promise<number> {
    let off = 0;
    while (off < data.length) {
      const p = await this.call("tls_recvrec_buf");
      const n = Math.min(await this.call("tls_buf_len"), chunk, data.length - off);
      if (n <= 0 || p === 0) break;
      await this.e.write(p, data.subarray(off, off + n));
      await this.call("tls_recvrec_ack", n);
      off += n;
    }
    return off;
  }

  async sendApp(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length;) {
      const p = await this.call("tls_sendapp_buf");
      const n = Math.min(await this.call("tls_buf_len"), data.length - off);
      if (p === 0 || n <= 0) throw new Error(`sendapp refused (state ${await this.state()}, error ${errorName(await this.lastError())})`);
      await this.e.write(p, data.subarray(off, off + n));
      await this.call("tls_sendapp_ack", n);
      off += n;
    }
  }

  async recvApp(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    while ((await this.state()) & RECVAPP) {
      const p = await this.call("tls_recvapp_buf");
      const n = await this.call("tls_buf_len");
      parts.push(await this.e.read(p, n));
      await this.call("tls_recvapp_ack", n);
    }
    return Buffer.concat(parts);
  }
}
