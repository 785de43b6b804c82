// A simulated ESP8266 running Espressif's AT firmware, in either dialect
// (NonOS AT 1.7 or ESP-AT 2.x), over a byte stream: a loopback TCP server the
// native board or QEMU's second UART connects to, or in-process (attach()).
// AT+CIPSTART opens REAL TCP connections, to loopback only: host names map to
// 127.0.0.1 ports; any other address fails. Passive receive (AT+CIPRECVMODE=1)
// holds up to `window` bytes per link and pauses the TCP socket beyond that.
// Output is paced at `baud` (10 bits per byte). Faults are injected through
// `faults` (read at the moment they apply) and reboot()/garbage().
// hardwareReset() is the RST pin (pulsed by the board's modem_reset): it
// reboots the module whatever state it is in, `wedged` included.
import net from "node:net";
import { randomBytes } from "node:crypto";

export type Dialect = "nonos" | "at2";

export interface SimOptions {
  dialect?: Dialect;
  aps?: Record<string, string>;       // ssid -> password
  hosts?: Record<string, number>;     // host name -> 127.0.0.1 port (the command's port is ignored)
  baud?: number;                      // 0 or undefined: unpaced
  ip?: string;                        // station IP after a join
  time?: () => number;                // SNTP seconds (default: now)
  window?: number;                    // passive receive buffer per link (5760)
  joinMs?: number;                    // time a join takes (default 30 ms)
  trace?: boolean;                    // record the dialogue in sim.log
  ipd?: "total" | "each";             // passive +IPD: the total held, once until read (default),
                                      // or every TCP segment's own length
}

export interface Faults {
  busy?: number;            // the next n commands are answered `busy p...` and dropped
  sendFail?: number;        // the next n sends end in SEND FAIL
  dropAfter?: number;       // a link is cut after the server sent it this many bytes
  rebootOn?: string;        // the module reboots when a command starting with this arrives
  garbage?: number;         // the next n replies are preceded by random noise
  byteAtATime?: boolean;    // every output byte goes out on its own
  mute?: boolean;           // nothing is answered
  truncateOn?: string;      // the reply to a command starting with this stops halfway, then silence
  joinFail?: number;        // the next join fails with +CWJAP:<n> (1 timeout, 4 connection failed)
  alreadyConnected?: number; // the next n AT+CIPSTART answer ALREADY CONNECTED
  loseIpd?: number;         // the next n +IPD notifications are garbled
  wedged?: boolean;         // the firmware hangs: every command (AT+RST too) is ignored and
                            // nothing is sent, until hardwareReset() clears it
}

interface Link {
  sock: net.Socket;
  chunks: Buffer[];
  held: number;            // bytes buffered in the module (<= window)
  backlog: Buffer[];       // bytes beyond the window, not yet taken from the socket
  received: number;        // bytes the server sent in total
  notified: boolean;       // +IPD sent, not read since
  remoteClosed: boolean;
  connected: boolean;
}

const VERSION: Record<Dialect, string[]> = {
  nonos: ["AT version:1.7.4.0(May 11 2020 19:13:04)", "SDK version:3.0.4(9532ceb)", "compile time:May 27 2020 10:12:22", "Bin version(Wroom 02):1.7.4"],
  at2: ["AT version:2.2.0.0(c6fa6bf - ESP8266 - Jul  2 2021 06:44:05)", "SDK version:v3.4-22-g967752e2", "compile time(6800286):Aug  4 2021 17:20:05", "Bin version:2.2.0(Cytron_ESP-01S)"],
};
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export class Esp8266Sim {
  readonly dialect: Dialect;
  faults: Faults = {};
  readonly log: string[] = [];
  commands: string[] = [];            // every command line received, in order
  private readonly o: SimOptions;
  private send: ((b: Buffer) => void) | undefined;
  private server: net.Server | undefined;
  private device: net.Socket | undefined;
  private inBuf = Buffer.alloc(0);
  private inQueue: Buffer[] = [];
  private inTimer: NodeJS.Timeout | undefined;
  private sendTo: { id: number; len: number } | undefined;
  private echo = true;
  private mux = false;
  private passive = false;
  private joined = false;
  private sntp = false;
  private silent = false;            // after a truncated reply
  private links = new Map<number, Link>();
  private queue: Buffer[] = [];
  private pumping = false;
  private credit = 0;
  private lastPump = 0;
  private timers = new Set<NodeJS.Timeout>();
  private generation = 0;            // bumps on reboot: late callbacks of the old life are ignored
  bytesToDevice = 0;
  maxHeld = 0;                       // most bytes one link held in passive mode
  hardwareResets = 0;                // RST pulses seen

  constructor(o: SimOptions = {}) {
    this.o = o;
    this.dialect = o.dialect ?? "at2";
  }

  // In-process: `send` delivers bytes to the device; returns the function
  // that takes the device's bytes.
  attach(send: (b: Uint8Array) => void): (b: Uint8Array) => void {
    this.send = (b) => send(b);
    return (b) => this.input(Buffer.from(b));
  }

  // A loopback TCP server for a board (one device at a time). Returns the port.
  async listen(): Promise<number> {
    this.server = net.createServer((s) => {
      this.device?.destroy();
      this.device = s;
      s.setNoDelay(true);
      this.send = (b) => { if (!s.destroyed) s.write(b); };
      s.on("data", (d) => this.input(d));
      s.on("error", () => {});
      s.on("close", () => { if (this.device === s) { this.device = undefined; this.send = undefined; } });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", () => r()));
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.inTimer) clearTimeout(this.inTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const l of this.links.values()) l.sock.destroy();
    this.links.clear();
    this.device?.destroy();
    if (this.server) await new Promise((r) => this.server!.close(r));
  }

  // ---- output ---------------------------------------------------------------
  private later(ms: number, f: () => void): void {
    const gen = this.generation;
    const t = setTimeout(() => { this.timers.delete(t); if (gen === this.generation) f(); }, ms);
    this.timers.add(t);
  }

  private out(s: string | Buffer): void {
    if (this.faults.mute || this.faults.wedged || this.silent) return;
    const b = typeof s === "string" ? Buffer.from(s, "latin1") : s;
    if (this.o.trace) this.log.push("< " + JSON.stringify(b.toString("latin1").slice(0, 200)));
    this.queue.push(b);
    this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    const baud = this.o.baud ?? 0;
    if (!baud && !this.faults.byteAtATime) {
      const all = Buffer.concat(this.queue.splice(0));
      if (all.length) this.deliver(all);
      return;
    }
    this.pumping = true;
    this.lastPump = performance.now();
    this.credit = 0;
    const tick = () => {
      this.pumping = false;
      if (this.queue.length === 0) return;
      const now = performance.now();
      this.credit += baud ? ((now - this.lastPump) * baud) / 10000 : Infinity;
      this.lastPump = now;
      let n = Math.floor(Math.min(this.credit, this.faults.byteAtATime ? 1 : Infinity, 1 << 20));
      if (n > 0) {
        const all = Buffer.concat(this.queue.splice(0));
        n = Math.min(n, all.length);
        this.deliver(all.subarray(0, n));
        if (n < all.length) this.queue.push(all.subarray(n));
        this.credit -= n;
      }
      if (this.queue.length) { this.pumping = true; setTimeout(tick, this.faults.byteAtATime ? 0 : 2); }
    };
    setTimeout(tick, 1);
    this.pumping = true;
  }

  private deliver(b: Buffer): void {
    this.bytesToDevice += b.length;
    this.send?.(b);
  }

  private reply(...lines: string[]): void {
    let s = "";
    if (this.faults.garbage) { this.faults.garbage--; s += noise(); }
    for (const l of lines) s += "\r\n" + l + "\r\n";
    this.out(s);
  }
  private ok(...lines: string[]): void {
    this.reply(...(lines.length ? [lines.join("\r\n")] : []), "OK");
  }
  private error(detail?: string): void { detail ? this.reply(detail, "ERROR") : this.reply("ERROR"); }

  // Random bytes at the wrong baud rate (what a ROM prints at 74880).
  garbage(n = 40): void { this.out(noise(n)); }

  // The module reboots: links gone, settings back to defaults, boot noise, ready.
  reboot(): void {
    this.generation++;
    for (const l of this.links.values()) l.sock.destroy();
    this.links.clear();
    this.sendTo = undefined;
    this.echo = true; this.mux = false; this.passive = false; this.joined = false; this.sntp = false;
    this.silent = false;
    this.out(Buffer.concat([Buffer.from("\r\n ets Jan  8 2013,rst cause:2, boot mode:(3,7)\r\n"), randomBytes(60), Buffer.from("\r\n")]));
    this.later(20, () => this.out("\r\nready\r\n"));
  }

  // The RST pin: whatever the firmware was doing (wedged included) stops, its
  // unsent output and half-received input are lost, then it boots as in
  // reboot(): boot noise, `ready`, every link gone.
  hardwareReset(): void {
    this.hardwareResets++;
    if (this.o.trace) this.log.push("! hardware reset");
    this.faults.wedged = false;
    this.queue = [];
    this.inQueue = [];
    this.inBuf = Buffer.alloc(0);
    this.reboot();
  }

  // ---- input ----------------------------------------------------------------
  // The device's bytes arrive at `baud` too: they are taken in as the line
  // rate allows (10 bits per byte), then parsed.
  private input(d: Buffer): void {
    const baud = this.o.baud ?? 0;
    if (!baud) return this.parse(d);
    this.inQueue.push(d);
    if (this.inTimer) return;
    let last = performance.now(), credit = 0;
    const tick = () => {
      this.inTimer = undefined;
      const now = performance.now();
      credit += ((now - last) * baud) / 10000;
      last = now;
      const all = Buffer.concat(this.inQueue.splice(0));
      const n = Math.min(all.length, Math.floor(credit));
      credit -= n;
      if (n < all.length) this.inQueue.push(all.subarray(n));
      if (n) this.parse(all.subarray(0, n));
      if (this.inQueue.length) this.inTimer = setTimeout(tick, 2);
    };
    this.inTimer = setTimeout(tick, 1);
  }

  private parse(d: Buffer): void {
    this.inBuf = Buffer.concat([this.inBuf, d]);
    while (this.inBuf.length) {
      if (this.sendTo) {
        if (this.inBuf.length < this.sendTo.len) return;
        const data = this.inBuf.subarray(0, this.sendTo.len);
        this.inBuf = this.inBuf.subarray(this.sendTo.len);
        const { id, len } = this.sendTo;
        this.sendTo = undefined;
        this.sendData(id, len, Buffer.from(data));
        continue;
      }
      const nl = this.inBuf.indexOf(10);
      if (nl < 0) {
        if (this.inBuf.length > 512) this.inBuf = Buffer.alloc(0);
        return;
      }
      const line = this.inBuf.subarray(0, nl).toString("latin1").replace(/\r$/, "");
      this.inBuf = this.inBuf.subarray(nl + 1);
      if (line.length) this.command(line);
    }
  }

  private command(line: string): void {
    this.commands.push(line);
    if (this.o.trace) this.log.push("> " + line);
    const f = this.faults;
    if (f.wedged) return;
    if (f.rebootOn && line.startsWith(f.rebootOn)) { f.rebootOn = undefined; this.reboot(); return; }
    if (f.mute) return;
    if (this.echo) this.out(line + "\r\r\n");
    // NonOS also says "busy s..." (busy sending): alternate the two there.
    if (f.busy) { f.busy--; this.out(this.dialect === "nonos" ? `busy ${f.busy & 1 ? "s" : "p"}...\r\n` : "\r\nbusy p...\r\n"); return; }
    if (f.truncateOn && line.startsWith(f.truncateOn)) {
      f.truncateOn = undefined;
      const full = this.dialect === "nonos" ? `\r\n+CIPSTA_CUR:ip:"${this.ip}"\r\n` : `\r\n+CIPSTA:ip:"${this.ip}"\r\n`;
      this.out(full.slice(0, 9));
      this.silent = true;            // until the next command arrives
      return;
    }
    this.silent = false;
    const nonos = this.dialect === "nonos";
    const m = /^AT(\+[A-Z_]+)?(\?|=.*)?$/.exec(line) ?? /^(ATE[01])$/.exec(line);
    if (!m) return this.error();
    const name = line.startsWith("ATE") ? line : (m[1] ?? "");
    const arg = m[2] ?? "";
    switch (name) {
      case "": return this.ok();
      case "ATE0": this.echo = false; return this.ok();
      case "ATE1": this.echo = true; return this.ok();
      case "+RST": this.ok(); this.later(10, () => this.reboot()); return;
      case "+GMR": return this.ok(...VERSION[this.dialect]);
      case "+CWMODE_CUR": if (!nonos) return this.error(); return this.ok();
      case "+CWMODE": if (nonos) return this.error(); return this.ok();
      case "+CIPMUX": this.mux = arg === "=1"; return this.ok();
      case "+CIPRECVMODE": this.passive = arg === "=1"; return this.ok();
      case "+CWJAP_CUR": if (!nonos) return this.error(); return this.join(arg);
      case "+CWJAP": if (nonos) return this.error(); return this.join(arg);
      case "+CIPSTA_CUR": if (!nonos || arg !== "?") return this.error(); return this.staQuery("+CIPSTA_CUR");
      case "+CIPSTA": if (nonos || arg !== "?") return this.error(); return this.staQuery("+CIPSTA");
      case "+CIPSTART": return this.start(arg);
      case "+CIPSEND": return this.sendCmd(arg);
      case "+CIPRECVDATA": return this.recvData(arg);
      case "+CIPRECVLEN": {
        if (arg !== "?") return this.error();
        const lens = [0, 1, 2, 3, 4].map((id) => (this.links.has(id) ? this.links.get(id)!.held : -1));
        return this.ok(`+CIPRECVLEN:${lens.join(",")}`);
      }
      case "+CIPCLOSE": return this.closeCmd(arg);
      case "+CIPSNTPCFG": this.sntp = arg.startsWith("=1"); return this.ok();
      case "+CIPSNTPTIME": return this.ok(`+CIPSNTPTIME:${this.sntpTime()}`);
      default: return this.error();
    }
  }

  private get ip(): string { return this.o.ip ?? "192.168.4.2"; }

  private join(arg: string): void {
    const args = parseArgs(arg.slice(1));
    const [ssid, pwd] = [args[0] ?? "", args[1] ?? ""];
    const nonos = this.dialect === "nonos";
    const was = this.joined;
    this.joined = false;
    if (was) this.out("WIFI DISCONNECT\r\n");
    this.later(this.o.joinMs ?? 30, () => {
      const aps = this.o.aps ?? {};
      let code = this.faults.joinFail ?? 0;
      this.faults.joinFail = undefined;
      if (code) { /* injected */ } else if (!(ssid in aps)) code = 3;
      else if (aps[ssid] !== pwd) code = 2;
      if (code) return this.reply(`+CWJAP:${code}`, nonos ? "FAIL" : "ERROR");
      this.joined = true;
      this.out("WIFI CONNECTED\r\nWIFI GOT IP\r\n");
      this.ok();
    });
  }

  private staQuery(p: string): void {
    if (!this.joined) return this.ok(`${p}:ip:"0.0.0.0"`, `${p}:gateway:"0.0.0.0"`, `${p}:netmask:"0.0.0.0"`);
    this.ok(`${p}:ip:"${this.ip}"`, `${p}:gateway:"192.168.4.1"`, `${p}:netmask:"255.255.255.0"`);
  }

  // asctime() form, as the firmware prints it: "Wed Mar  9 10:51:32 2022".
  private sntpTime(): string {
    const s = this.sntp && this.joined ? (this.o.time ? this.o.time() : Math.floor(Date.now() / 1000)) : 0;
    const d = new Date(s * 1000);
    const p2 = (n: number) => String(n).padStart(2, "0");
    return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  }

  // Loopback only: a mapped name, localhost or 127.x.y.z; anything else fails.
  private resolve(host: string, port: number): { port: number } | "dns" | "refused" {
    const hosts = this.o.hosts ?? {};
    if (host in hosts) return { port: hosts[host] };
    if (host === "localhost" || /^127\.\d+\.\d+\.\d+$/.test(host)) return { port };
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return "refused";
    return "dns";
  }

  private start(arg: string): void {
    const a = parseArgs(arg.slice(1));
    if (!this.mux || a.length < 4) return this.error();
    const id = Number(a[0]), type = a[1], host = a[2], port = Number(a[3]);
    if (!(id >= 0 && id <= 4) || type !== "TCP" || !(port > 0 && port < 65536)) return this.error();
    if (this.links.has(id)) return this.error("ALREADY CONNECTED");
    if (this.faults.alreadyConnected) { this.faults.alreadyConnected--; return this.error("ALREADY CONNECTED"); }
    if (!this.joined) return this.error();
    const r = this.resolve(host, port);
    if (r === "dns") { this.later(20, () => this.error("DNS Fail")); return; }
    if (r === "refused") { this.later(20, () => this.error()); return; }
    const gen = this.generation;
    const sock = net.connect({ host: "127.0.0.1", port: r.port });
    const link: Link = { sock, chunks: [], held: 0, backlog: [], received: 0, notified: false, remoteClosed: false, connected: false };
    this.links.set(id, link);
    sock.setNoDelay(true);
    sock.on("connect", () => {
      if (gen !== this.generation) return;
      link.connected = true;
      this.out(`${id},CONNECT\r\n`);
      this.ok();
    });
    sock.on("data", (d) => { if (gen === this.generation) this.onData(id, link, d); });
    sock.on("error", () => {});
    sock.on("close", () => {
      if (gen !== this.generation || this.links.get(id) !== link) return;
      if (!link.connected) { this.links.delete(id); this.error(); this.out(`${id},CLOSED\r\n`); return; }
      link.remoteClosed = true;
      this.maybeClosed(id, link);
    });
  }

  private onData(id: number, link: Link, d: Buffer): void {
    const drop = this.faults.dropAfter;
    if (drop !== undefined && link.received + d.length >= drop) {
      // The link dies mid-transfer: what was not read is lost.
      this.faults.dropAfter = undefined;
      link.sock.destroy();
      this.links.delete(id);
      this.out(`${id},CLOSED\r\n`);
      return;
    }
    link.received += d.length;
    if (!this.passive) {
      this.out(Buffer.concat([Buffer.from(`\r\n+IPD,${id},${d.length}:`), d]));
      return;
    }
    link.backlog.push(d);
    const before = link.held;
    this.refill(link);
    if (this.o.ipd === "each") { if (link.held > before) this.ipd(id, link.held - before); return; }
    if (!link.notified) { link.notified = true; this.ipd(id, link.held); }
  }

  private ipd(id: number, n: number): void {
    if (this.faults.loseIpd) { this.faults.loseIpd--; this.out(`+I\xffD,${id},${n}\r\n`); return; }
    this.out(`+IPD,${id},${n}\r\n`);
  }

  // The module holds at most `window` bytes; the rest waits in the TCP socket
  // (paused: the server's sends stall once the kernel buffers fill).
  private refill(link: Link): void {
    const win = this.o.window ?? 5760;
    while (link.backlog.length && link.held < win) {
      const b = link.backlog[0];
      const k = Math.min(b.length, win - link.held);
      link.chunks.push(b.subarray(0, k));
      link.held += k;
      if (k === b.length) link.backlog.shift(); else link.backlog[0] = b.subarray(k);
    }
    this.maxHeld = Math.max(this.maxHeld, link.held);
    if (link.backlog.length) link.sock.pause(); else link.sock.resume();
  }

  private maybeClosed(id: number, link: Link): void {
    if (link.remoteClosed && link.held === 0 && link.backlog.length === 0 && this.links.get(id) === link) {
      this.links.delete(id);
      this.out(`${id},CLOSED\r\n`);
    }
  }

  private sendCmd(arg: string): void {
    const a = arg.slice(1).split(",").map(Number);
    const id = a[0], len = a[1];
    const link = this.links.get(id);
    if (!link || !link.connected || link.remoteClosed) return this.error("link is not valid");
    if (!(len > 0 && len <= 2048)) return this.error();
    this.sendTo = { id, len };
    this.out(this.dialect === "nonos" ? "\r\nOK\r\n> " : "\r\nOK\r\n\r\n>");
  }

  private sendData(id: number, len: number, data: Buffer): void {
    const link = this.links.get(id);
    this.out(`\r\nRecv ${len} bytes\r\n`);
    if (this.faults.sendFail) { this.faults.sendFail--; return this.out("\r\nSEND FAIL\r\n"); }
    if (!link) return this.out("\r\nSEND FAIL\r\n");
    link.sock.write(data);
    this.out("\r\nSEND OK\r\n");
  }

  private recvData(arg: string): void {
    const a = arg.slice(1).split(",").map(Number);
    const id = a[0], want = a[1];
    const link = this.links.get(id);
    if (!link || !this.passive || !(want > 0) || link.held === 0) return this.error();
    const all = Buffer.concat(link.chunks);
    const n = Math.min(want, all.length);
    const rest = all.subarray(n);
    link.chunks = rest.length ? [Buffer.from(rest)] : [];
    link.held = rest.length;
    link.notified = false;
    const head = this.dialect === "nonos" ? `+CIPRECVDATA,${n}:` : `+CIPRECVDATA:${n},`;
    this.out(Buffer.concat([Buffer.from("\r\n" + head), all.subarray(0, n), Buffer.from("\r\n\r\nOK\r\n")]));
    const before = link.held;
    this.refill(link);
    if (this.o.ipd === "each") { if (link.held > before) this.ipd(id, link.held - before); }
    else if (link.held > 0) { link.notified = true; this.ipd(id, link.held); }
    this.maybeClosed(id, link);
  }

  private closeCmd(arg: string): void {
    const id = Number(arg.slice(1));
    const link = this.links.get(id);
    if (!link) return this.dialect === "nonos" ? this.error("UNLINK") : this.error();
    this.links.delete(id);
    link.sock.destroy();
    this.out(`${id},CLOSED\r\n`);
    this.ok();
  }

  // The access point goes away: every link closes, then WIFI DISCONNECT.
  wifiDrop(): void {
    for (const [id, l] of this.links) { l.sock.destroy(); this.out(`${id},CLOSED\r\n`); }
    this.links.clear();
    this.joined = false;
    this.out("WIFI DISCONNECT\r\n");
  }

  // Test helpers.
  linkCount(): number { return this.links.size; }
}

// Arguments of an AT command: quoted strings (with \ escapes) or bare words.
export function parseArgs(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= s.length) {
    let v = "";
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === "\\" && i + 1 < s.length) i++;
        v += s[i++];
      }
      i++;
    } else {
      while (i < s.length && s[i] !== ",") v += s[i++];
    }
    out.push(v);
    if (s[i] !== ",") break;
    i++;
  }
  return out;
}

function noise(n = 24): Buffer {
  const b = randomBytes(n);
  for (let i = 0; i < n; i++) if (b[i] === 10 || b[i] === 13 || b[i] === 0x3e) b[i] = 0x7e;
  return b;
}
