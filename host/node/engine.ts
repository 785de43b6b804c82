// One interface over the three ways the release module runs: V8 (in this
// process), wasm3 on the native board and wasm3 on the emulated Cortex-M4
// (both through the board's test shell, host/wasm3/rpc.c). Tests written
// against Engine run unchanged on all three.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { randomFillSync } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// $WASM points the V8 and native engines at another build (a standalone area build).
export const RELEASE_WASM = process.env.WASM ? path.resolve(process.env.WASM) : path.join(ROOT, "build/release.wasm");
export const NATIVE_BOARD = path.join(ROOT, "build/native/board");
export const MPS2_FIRMWARE = path.join(ROOT, "build/mps2-an386/firmware.elf");
// The same firmware with 1 MB of RAM, for instruction counts only (see
// boards/mps2-an386/board.mk): the whole module's compiled code fits at once.
export const MPS2_BENCH_FIRMWARE = path.join(ROOT, "build/mps2-an386/firmware-bench.elf");
// The same boards with the module translated ahead of time by wasm2c (make ENGINE=wasm2c).
export type BoardEngine = "wasm3" | "wasm2c";
export const NATIVE_BOARD_WASM2C = path.join(ROOT, "build/native-wasm2c/board");
export const MPS2_FIRMWARE_WASM2C = path.join(ROOT, "build/mps2-an386-wasm2c/firmware.elf");

export type Value = number | bigint;
export interface CallResult { value: Value | undefined; instructions: number }

export interface Engine {
  readonly name: string;
  call(fn: string, ...args: Value[]): Promise<CallResult>;
  write(addr: number, bytes: Uint8Array): Promise<void>;
  read(addr: number, len: number): Promise<Uint8Array>;
  // Interpreter and memory figures (wasm3 boards only; V8 gives what it can).
  stats(): Promise<Record<string, number>>;
  readonly logs: string[];
  close(): Promise<void>;
}

export interface HostOptions {
  wallClock?: () => bigint;          // seconds, 0n when unknown
  temperatureMilli?: () => number;
  onLog?: (line: string) => void;
  extraImports?: Record<string, (...a: number[]) => number | bigint | void>;
  modemReset?: () => number;         // env.modem_reset: pulse the modem's reset line, 0; unset: no line, -1
}

// ---- V8 -------------------------------------------------------------------
export class V8Engine implements Engine {
  readonly name = "v8";
  readonly logs: string[] = [];
  readonly instance: WebAssembly.Instance;
  private readonly sleeper = new Int32Array(new SharedArrayBuffer(4));

  constructor(wasm: Uint8Array = readFileSync(RELEASE_WASM), opts: HostOptions = {}) {
    const mem = () => new Uint8Array((this.instance.exports.memory as WebAssembly.Memory).buffer);
    const t0 = performance.now();
    const env: Record<string, unknown> = {
      uart_write: (_p: number, n: number) => n,
      uart_read: (_p: number, _n: number, t: number) => { this.sleep(t); return 0; },
      millis: () => Math.floor(performance.now() - t0) | 0,
      sleep_ms: (ms: number) => this.sleep(ms),
      wall_clock: () => (opts.wallClock ? opts.wallClock() : BigInt(Math.floor(Date.now() / 1000))),
      random_bytes: (p: number, n: number) => { randomFillSync(mem(), p, n); },
      temperature: () => (opts.temperatureMilli ? opts.temperatureMilli() : 21500),
      led_state: () => {},
      button_pressed: () => 0,
      log: (p: number, n: number) => {
        const line = Buffer.from(mem().subarray(p, p + n)).toString("latin1");
        this.logs.push(line);
        opts.onLog?.(line);
      },
      abort: (msg: number, file: number, line: number) => {
        throw new Error(`abort: ${asString(mem(), msg)} at ${asString(mem(), file)}:${line}`);
      },
      tcp_open: () => -1, tcp_write: () => -1, tcp_read: () => -1, tcp_close: () => {},
      modem_reset: () => (opts.modemReset ? opts.modemReset() : -1),
      ...opts.extraImports,
    };
    const module = new WebAssembly.Module(wasm);
    this.instance = new WebAssembly.Instance(module, { env: env as WebAssembly.ModuleImports });
  }

  private sleep(ms: number): void { if (ms > 0) Atomics.wait(this.sleeper, 0, 0, ms); }
  get memory(): Uint8Array {
    return new Uint8Array((this.instance.exports.memory as WebAssembly.Memory).buffer);
  }
  async call(fn: string, ...args: Value[]): Promise<CallResult> {
    return this.callSync(fn, ...args);
  }
  callSync(fn: string, ...args: Value[]): CallResult {
    const f = this.instance.exports[fn];
    if (typeof f !== "function") throw new Error(`no export ${fn}`);
    return { value: (f as (...a: Value[]) => Value | undefined)(...args), instructions: 0 };
  }
  async write(addr: number, bytes: Uint8Array): Promise<void> { this.memory.set(bytes, addr); }
  async read(addr: number, len: number): Promise<Uint8Array> { return this.memory.slice(addr, addr + len); }
  async stats(): Promise<Record<string, number>> { return { linear: this.memory.length }; }
  async close(): Promise<void> {}
}

function asString(mem: Uint8Array, p: number): string {
  if (p < 4 || p > mem.length) return "?";
  const n = mem[p - 4] | (mem[p - 3] << 8) | (mem[p - 2] << 16) | (mem[p - 1] << 24);
  return Buffer.from(mem.subarray(p, p + n)).toString("utf16le");
}

// ---- wasm3 boards through the test shell ----------------------------------
export class ShellEngine implements Engine {
  readonly logs: string[] = [];
  private readonly child: ChildProcess;
  private readonly waiting: Array<(line: string) => void> = [];
  private readonly lines: string[] = [];
  private exited: string | undefined;
  private stderr = "";
  private seq = 0;

  constructor(readonly name: string, cmd: string, args: string[], private readonly onLog?: (l: string) => void) {
    this.child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr!.on("data", (d) => { this.stderr += d; });
    const rl = createInterface({ input: this.child.stdout! });
    rl.on("line", (line) => {
      if (line.startsWith("# ")) { this.logs.push(line.slice(2)); this.onLog?.(line.slice(2)); return; }
      const w = this.waiting.shift();
      if (w) w(line); else this.lines.push(line);
    });
    this.child.on("exit", (code, sig) => {
      this.exited = `${this.name} exited (${code ?? sig}) ${this.stderr.trim()}`;
      for (const w of this.waiting.splice(0)) w(`err ${this.exited}`);
    });
  }

  private next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.exited) return Promise.resolve(`err ${this.exited}`);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async ready(): Promise<this> {
    const l = await this.next();
    if (l !== "ready") throw new Error(`${this.name}: expected ready, got ${l}`);
    return this;
  }

  private async request(cmd: string): Promise<string> {
    this.child.stdin!.write(cmd + "\n");
    const l = await this.next();
    if (!l.startsWith("ok")) throw new Error(`${this.name}: ${cmd.slice(0, 60)}: ${l}`);
    return l.slice(3);
  }

  async call(fn: string, ...args: Value[]): Promise<CallResult> {
    const [v, n] = (await this.request(["c", fn, ...args.map(String)].join(" "))).split(" ");
    return { value: v === "-" ? undefined : Number(v), instructions: Number(n) };
  }
  async write(addr: number, bytes: Uint8Array): Promise<void> {
    if (bytes.length > 256) {      // larger inputs go through a file, not the console
      const file = path.join(tmpdir(), `wasm-shell-${process.pid}-${this.seq++}.bin`);
      writeFileSync(file, bytes);
      try { await this.request(`l ${addr} 0 ${bytes.length} ${file}`); } finally { rmSync(file, { force: true }); }
      return;
    }
    for (let off = 0; off < bytes.length || off === 0; off += 2048) {
      await this.request(`w ${addr + off} ${Buffer.from(bytes.subarray(off, off + 2048)).toString("hex")}`);
      if (bytes.length === 0) break;
    }
  }
  async read(addr: number, len: number): Promise<Uint8Array> {
    return new Uint8Array(Buffer.from(await this.request(`r ${addr} ${len}`), "hex"));
  }
  async stats(): Promise<Record<string, number>> { return parseStats(await this.request("s")); }
  // wasm3 only: frees all compiled code between calls (host/wasm3/flush.c);
  // the next calls recompile lazily. Bytes released, instructions it took.
  async flush(): Promise<{ released: number; instructions: number }> {
    const [b, n] = (await this.request("f")).split(" ");
    return { released: Number(b), instructions: Number(n) };
  }
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise((r) => this.child.once("exit", r));
    this.child.stdin!.end("q\n");
    await done;
  }
}

export interface BoardOptions {
  wasm?: string; icount?: boolean; time?: number; onLog?: (l: string) => void;
  modem?: string;   // HOST:PORT of the modem UART (a simulated ESP8266 listening on loopback)
  engine?: BoardEngine;   // default wasm3
}

export function nativeBoard(o: BoardOptions = {}): Promise<ShellEngine> {
  const args = ["--rpc"];
  if (o.time !== undefined) args.push("--time", String(o.time));
  if (o.modem) args.push("--modem", o.modem);
  args.push(o.wasm ?? RELEASE_WASM);
  const w2c = o.engine === "wasm2c";
  return new ShellEngine(w2c ? "wasm2c-native" : "wasm3-native", w2c ? NATIVE_BOARD_WASM2C : NATIVE_BOARD, args, o.onLog).ready();
}

// QEMU arguments for the emulated board; `extra` adds serial ports etc.
export function qemuArgs(o: { firmware?: string; icount?: boolean; cmdline: string; extra?: string[] }): string[] {
  return [
    "-M", "mps2-an386", "-nographic", "-monitor", "none", "-serial", "stdio",
    ...(o.extra ?? []),
    ...(o.icount ? ["-icount", "shift=0,sleep=off"] : []),
    "-semihosting-config", `enable=on,target=native,arg=${o.cmdline}`,
    "-kernel", o.firmware ?? MPS2_FIRMWARE,
  ];
}

export function qemuBoard(o: BoardOptions = {}): Promise<ShellEngine> {
  const cmdline = o.time !== undefined ? `rpc time=${o.time}` : "rpc";
  const w2c = o.engine === "wasm2c";
  return new ShellEngine(w2c ? "wasm2c-qemu" : "wasm3-qemu", "qemu-system-arm", qemuArgs({ firmware: w2c ? MPS2_FIRMWARE_WASM2C : undefined, icount: o.icount, cmdline, extra: o.modem ? ["-serial", `tcp:${o.modem}`] : [] }), o.onLog).ready();
}

export type EngineName = "v8" | "wasm3-native" | "wasm3-qemu" | "wasm2c-native" | "wasm2c-qemu";
export async function openEngine(name: EngineName, o: BoardOptions = {}): Promise<Engine> {
  if (name === "v8") return new V8Engine(o.wasm ? readFileSync(o.wasm) : undefined, { onLog: o.onLog });
  if (name === "wasm3-native") return nativeBoard(o);
  // ENGINES=wasm2c-native,wasm2c-qemu: the same tests on the wasm2c builds (make ENGINE=wasm2c native mps2).
  if (name === "wasm2c-native") return nativeBoard({ ...o, engine: "wasm2c" });
  if (name === "wasm2c-qemu") return qemuBoard({ ...o, engine: "wasm2c" });
  return qemuBoard(o);
}

// ---- boards in main mode (the app, as on the device) -----------------------
export interface BoardRun { lines: string[]; stats: Record<string, number>; exit: number | null }
export interface MainOptions {
  board: "native" | "mps2-an386";
  icount?: boolean;
  time?: number;
  modem?: string;                 // HOST:PORT of the simulated ESP8266
  onLine?: (l: string) => void;
  timeoutMs?: number;
  engine?: BoardEngine;           // default wasm3
}

// Runs the module's main on a board and collects its console lines and the
// closing "stats:" figures.
export function runMain(o: MainOptions): Promise<BoardRun> {
  let cmd: string, args: string[];
  if (o.board === "native") {
    cmd = o.engine === "wasm2c" ? NATIVE_BOARD_WASM2C : NATIVE_BOARD;
    args = [...(o.modem ? ["--modem", o.modem] : []), ...(o.time !== undefined ? ["--time", String(o.time)] : []), RELEASE_WASM];
  } else {
    cmd = "qemu-system-arm";
    const cmdline = o.time !== undefined ? `main time=${o.time}` : "main";
    const extra = o.modem ? ["-serial", `tcp:${o.modem}`] : [];
    args = qemuArgs({ firmware: o.engine === "wasm2c" ? MPS2_FIRMWARE_WASM2C : undefined, icount: o.icount, cmdline, extra });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    const lines: string[] = [];
    let stats: Record<string, number> = {};
    const timer = o.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), o.timeoutMs) : undefined;
    createInterface({ input: child.stdout! }).on("line", (l) => {
      lines.push(l);
      if (l.startsWith("stats: ")) stats = parseStats(l.slice(7));
      o.onLine?.(l);
    });
    child.on("error", reject);
    child.on("close", (code) => { if (timer) clearTimeout(timer); resolve({ lines, stats, exit: code }); });
  });
}

export function parseStats(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kv of s.trim().split(/\s+/)) {
    const [k, v] = kv.split("=");
    if (k && v !== undefined) out[k] = Number(v);
  }
  return out;
}
