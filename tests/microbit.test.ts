// The micro:bit v2 firmware, checked without hardware: the Intel HEX that
// gets flashed (record checksums, every byte inside the 512 KB flash, the
// same bytes as the ELF, a valid vector table pointing at the right
// handlers, the release module embedded), the RAM left for wasm3, the
// register addresses in boards/microbit-v2/nrf52833.h against a table taken
// from Nordic's nRF52833 Product Specification, and tools/flash.sh's
// choices and errors (with a directory standing in for the MICROBIT drive).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync, readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "../host/node/engine.ts";

const DIR = path.join(ROOT, "build/microbit-v2");
const HEX = path.join(DIR, "firmware.hex");
const ELF = path.join(DIR, "firmware.elf");
const FLASH_SIZE = 512 * 1024;
const RAM_START = 0x20000000, RAM_END = 0x20020000;

// ---- Intel HEX -----------------------------------------------------------
interface HexImage { bytes: Uint8Array; used: Uint8Array; records: number; types: Set<number>; errors: string[] }

// Parses an Intel HEX file into a flash image; anything outside [0, 512K) or
// malformed goes into errors instead of throwing, so every problem is shown.
function parseHex(text: string): HexImage {
  const bytes = new Uint8Array(FLASH_SIZE).fill(0xff), used = new Uint8Array(FLASH_SIZE);
  const errors: string[] = [], types = new Set<number>();
  let base = 0, records = 0, eof = false;
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    if (eof) { errors.push(`${where}: record after EOF`); return; }
    if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) { errors.push(`${where}: not a record`); return; }
    const rec = Buffer.from(line.slice(1), "hex");
    if (rec.length < 5 || rec.length !== rec[0] + 5) { errors.push(`${where}: byte count ${rec[0]} vs ${rec.length - 5}`); return; }
    const sum = rec.reduce((a, b) => (a + b) & 0xff, 0);
    if (sum !== 0) errors.push(`${where}: checksum`);
    records++;
    const type = rec[3], addr = rec.readUInt16BE(1), data = rec.subarray(4, rec.length - 1);
    types.add(type);
    switch (type) {
      case 0: {
        const a = base + addr;
        if (a < 0 || a + data.length > FLASH_SIZE) { errors.push(`${where}: data at 0x${a.toString(16)} outside flash`); return; }
        for (let k = 0; k < data.length; k++) {
          if (used[a + k]) errors.push(`${where}: 0x${(a + k).toString(16)} written twice`);
          bytes[a + k] = data[k]; used[a + k] = 1;
        }
        break;
      }
      case 1: eof = true; break;
      case 2: base = data.readUInt16BE(0) << 4; break;                 // extended segment address
      case 4: base = data.readUInt16BE(0) * 0x10000; break;            // extended linear address
      default: errors.push(`${where}: record type ${type}`);            // 3/5 start addresses: not for DAPLink
    }
  });
  if (!eof) errors.push("no EOF record");
  return { bytes, used, records, types, errors };
}

function tool(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function symbols(): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of tool("arm-none-eabi-nm", [ELF]).split("\n")) {
    const f = line.trim().split(/\s+/);
    if (f.length === 3) m.set(f[2], parseInt(f[0], 16));
  }
  return m;
}

describe("micro:bit v2 firmware image", () => {
  test("the hex and the elf exist (make microbit)", () => {
    assert.ok(existsSync(HEX) && existsSync(ELF), "run `make microbit` first");
  });

  test("every record is well formed and its checksum valid; the parser rejects a corrupted one", () => {
    const text = readFileSync(HEX, "utf8");
    const img = parseHex(text);
    assert.deepEqual(img.errors, []);
    assert.ok(img.records > 100);
    // The check can fail: flip one data nibble and the checksum must catch it.
    const lines = text.split("\n");
    const k = lines.findIndex((l) => l.startsWith(":10"));
    const bad = lines[k].slice(0, 9) + (lines[k][9] === "0" ? "1" : "0") + lines[k].slice(10);
    assert.deepEqual(parseHex([...lines.slice(0, k), bad, ...lines.slice(k + 1)].join("\n")).errors, [`line ${k + 1}: checksum`]);
    assert.match(parseHex(":020000040008F2\n:0100000000FF\n:00000001FF\n").errors[0], /outside flash/);
  });

  test("only data, address and EOF records; all data inside flash [0, 512K)", () => {
    const img = parseHex(readFileSync(HEX, "utf8"));
    for (const t of img.types) assert.ok([0, 1, 2, 4].includes(t), `record type ${t}`);
    let last = 0;
    for (let a = 0; a < FLASH_SIZE; a++) if (img.used[a]) last = a;
    assert.ok(last < FLASH_SIZE && img.used[0], `image 0..0x${last.toString(16)}`);
  });

  test("the hex holds exactly the elf's loadable bytes (objcopy -O binary)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mb-"));
    try {
      const bin = path.join(dir, "fw.bin");
      tool("arm-none-eabi-objcopy", ["-O", "binary", ELF, bin]);
      const b = readFileSync(bin), img = parseHex(readFileSync(HEX, "utf8"));
      const usedCount = img.used.reduce((a, x) => a + x, 0);
      assert.equal(usedCount, b.length, "hex covers the binary, no gaps, nothing more");
      assert.ok(Buffer.from(img.bytes.subarray(0, b.length)).equals(b));
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });

  // pyocd flashes through the Python intelhex package: let that independent
  // parser read the file too, when tools/flash.sh has installed pyocd.
  const venvPython = path.join(ROOT, "build/pyocd-venv/bin/python");
  test("pyocd's hex reader (intelhex) sees the same image", { skip: existsSync(venvPython) ? false : "pyocd not installed (tools/flash.sh installs it on first use)" }, () => {
    const py = "import sys, intelhex\nh = intelhex.IntelHex(sys.argv[1])\nprint(h.minaddr(), h.maxaddr(), len(h), h.start_addr)";
    const out = tool(venvPython, ["-c", py, HEX]).trim().split(" ");
    const img = parseHex(readFileSync(HEX, "utf8"));
    let last = 0, count = 0;
    for (let a = 0; a < FLASH_SIZE; a++) if (img.used[a]) { last = a; count++; }
    assert.deepEqual(out, ["0", String(last), String(count), "None"]);
  });

  test("vector table: initial SP in RAM, reset vector Thumb and inside the image, every vector valid", () => {
    const img = parseHex(readFileSync(HEX, "utf8"));
    const v = (i: number) => Buffer.from(img.bytes).readUInt32LE(4 * i);
    const sp = v(0), reset = v(1);
    assert.ok(sp >= RAM_START && sp <= RAM_END && sp % 8 === 0, `SP 0x${sp.toString(16)}`);
    const inImage = (addr: number) => (addr & 1) === 1 && (addr & ~1) < FLASH_SIZE && img.used[addr & ~1] === 1;
    assert.ok(inImage(reset), `reset 0x${reset.toString(16)}`);
    // 16 system exceptions + 48 nRF52833 interrupt lines, then the code.
    for (let i = 2; i < 16 + 48; i++) {
      const x = v(i);
      if (x === 0) { assert.ok([7, 8, 9, 10, 13].includes(i), `vector ${i} empty`); continue; }
      assert.ok(inImage(x), `vector ${i} 0x${x.toString(16)}`);
    }
  });

  test("the vectors point at the board's handlers (IRQ 2 UARTE0, 17 RTC1, 40 UARTE1)", () => {
    const img = parseHex(readFileSync(HEX, "utf8"));
    const v = (i: number) => Buffer.from(img.bytes).readUInt32LE(4 * i);
    const s = symbols();
    assert.equal(v(0), s.get("_stack_top"));
    assert.equal(v(1), (s.get("Reset_Handler")! | 1));
    assert.equal(v(16 + 2), (s.get("UARTE0_UART0_IRQHandler")! | 1));
    assert.equal(v(16 + 17), (s.get("RTC1_IRQHandler")! | 1));
    assert.equal(v(16 + 40), (s.get("UARTE1_IRQHandler")! | 1));
    assert.equal(v(3), (s.get("Fault_Handler")! | 1), "HardFault reports");
  });

  test("the release module is embedded whole in flash", () => {
    const img = parseHex(readFileSync(HEX, "utf8"));
    const s = symbols();
    const start = s.get("wasm_module")!, end = s.get("wasm_module_end")!;
    assert.ok(start > 0 && end > start + 8 && end <= FLASH_SIZE);
    assert.deepEqual([...img.bytes.subarray(start, start + 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    for (let a = start; a < end; a++) assert.equal(img.used[a], 1);
  });

  test("RAM: data + bss + 8 KB stack leave at least 112 KB of heap for wasm3", () => {
    const out = tool("arm-none-eabi-size", ["-A", ELF]);
    const sec = (n: string) => Number(new RegExp(`^\\${n}\\s+(\\d+)`, "m").exec(out)?.[1] ?? NaN);
    const s = symbols();
    const heap = s.get("_heap_end")! - s.get("_heap_start")!;
    assert.equal(s.get("_heap_start"), RAM_START + sec(".data") + sec(".bss"));
    assert.equal(s.get("_stack_top"), RAM_END);
    assert.ok(heap >= 112 * 1024, `heap ${heap} B`);
  });

// What `make BOARD=microbit-v2 flash` writes: the telemetry app (wasm3: the
// device module embedded in flash; wasm2c: translated into the code).
for (const [name, dir, module] of [
  ["app, wasm3", "build/microbit-v2-app", "build/device.wasm"],
  ["app, wasm2c", "build/microbit-v2-app-wasm2c", ""],
] as const) {
  const hex = path.join(ROOT, dir, "firmware.hex"), elf = path.join(ROOT, dir, "firmware.elf");
  const skip = existsSync(hex) ? false : `no ${dir}/firmware.hex (make microbit-app)`;
  describe(`micro:bit v2 firmware for make flash (${name})`, { skip }, () => {
    test("records valid, data inside flash, vector table sane (SP in RAM, reset inside the image)", () => {
      const img = parseHex(readFileSync(hex, "utf8"));
      assert.deepEqual(img.errors, []);
      for (const t of img.types) assert.ok([0, 1, 2, 4].includes(t), `record type ${t}`);
      const v = (i: number) => Buffer.from(img.bytes).readUInt32LE(4 * i);
      assert.ok(v(0) >= RAM_START && v(0) <= RAM_END && v(0) % 8 === 0, `SP 0x${v(0).toString(16)}`);
      assert.ok((v(1) & 1) === 1 && img.used[v(1) & ~1] === 1, `reset 0x${v(1).toString(16)}`);
    });
    test(module ? "the device module is embedded whole, byte for byte" : "no module bytes in flash: the app is translated code", () => {
      const img = parseHex(readFileSync(hex, "utf8"));
      const s = new Map<string, number>();
      for (const line of tool("arm-none-eabi-nm", [elf]).split("\n")) {
        const f = line.trim().split(/\s+/);
        if (f.length === 3) s.set(f[2], parseInt(f[0], 16));
      }
      const start = s.get("wasm_module")!, end = s.get("wasm_module_end")!;
      if (!module) { assert.equal(end, start); return; }
      const want = readFileSync(path.join(ROOT, module));
      assert.equal(end - start, want.length);
      assert.ok(Buffer.from(img.bytes.subarray(start, end)).equals(want));
    });
  });
}
});

// ---- registers --------------------------------------------------------------
// From the nRF52833 Product Specification v1.x: instance table (memory map),
// and the register tables of CLOCK, POWER, UARTE, RTC, TEMP, RNG, NVMC, GPIO,
// FICR, UICR, APPROTECT; Cortex-M4 addresses from the ARMv7-M manual.
const SPEC: Record<string, number> = {
  NRF_FLASH_BASE: 0x0, NRF_FLASH_SIZE: 0x80000, NRF_RAM_BASE: 0x20000000, NRF_RAM_SIZE: 0x20000,
  NRF_FICR_BASE: 0x10000000, NRF_UICR_BASE: 0x10001000,
  NRF_CLOCK_BASE: 0x40000000, NRF_POWER_BASE: 0x40000000, NRF_APPROTECT_BASE: 0x40000000,
  NRF_UARTE0_BASE: 0x40002000, NRF_TIMER0_BASE: 0x40008000, NRF_RTC0_BASE: 0x4000b000,
  NRF_TEMP_BASE: 0x4000c000, NRF_RNG_BASE: 0x4000d000, NRF_RTC1_BASE: 0x40011000,
  NRF_NVMC_BASE: 0x4001e000, NRF_UARTE1_BASE: 0x40028000, NRF_P0_BASE: 0x50000000, NRF_P1_BASE: 0x50000300,
  UARTE0_UART0_IRQn: 2, RTC1_IRQn: 17, UARTE1_IRQn: 40, NRF_IRQ_COUNT: 48,
  FICR_INFO_PART: 0x100, FICR_INFO_VARIANT: 0x104, FICR_CONFIGID_VAR1: 0x130, FICR_CONFIGID_VAR2: 0x134,
  UICR_APPROTECT: 0x208, UICR_NFCPINS: 0x20c, UICR_NFCPINS_PROTECT_NFC: 0x1,
  CLOCK_TASKS_HFCLKSTART: 0x000, CLOCK_TASKS_HFCLKSTOP: 0x004, CLOCK_TASKS_LFCLKSTART: 0x008,
  CLOCK_TASKS_LFCLKSTOP: 0x00c, CLOCK_EVENTS_HFCLKSTARTED: 0x100, CLOCK_EVENTS_LFCLKSTARTED: 0x104,
  CLOCK_HFCLKSTAT: 0x40c, CLOCK_LFCLKSTAT: 0x418, CLOCK_LFCLKSRC: 0x518,
  CLOCK_LFCLKSRC_LFRC: 0, CLOCK_LFCLKSRC_LFXO: 1, CLOCK_LFCLKSRC_LFSYNT: 2,
  CLOCK_STAT_SRC_MASK: 0x3, CLOCK_STAT_RUNNING: 0x10000, CLOCK_STAT_RUNNING_SRC1: 0x10001,
  POWER_RESETREAS: 0x400, APPROTECT_FORCEPROTECT: 0x550, APPROTECT_DISABLE: 0x558, APPROTECT_DISABLE_SWDISABLE: 0x5a,
  UARTE_TASKS_STARTRX: 0x000, UARTE_TASKS_STOPRX: 0x004, UARTE_TASKS_STARTTX: 0x008, UARTE_TASKS_STOPTX: 0x00c,
  UARTE_TASKS_FLUSHRX: 0x02c, UARTE_EVENTS_CTS: 0x100, UARTE_EVENTS_NCTS: 0x104, UARTE_EVENTS_RXDRDY: 0x108,
  UARTE_EVENTS_ENDRX: 0x110, UARTE_EVENTS_TXDRDY: 0x11c, UARTE_EVENTS_ENDTX: 0x120, UARTE_EVENTS_ERROR: 0x124,
  UARTE_EVENTS_RXTO: 0x144, UARTE_EVENTS_RXSTARTED: 0x14c, UARTE_EVENTS_TXSTARTED: 0x150, UARTE_EVENTS_TXSTOPPED: 0x158,
  UARTE_SHORTS: 0x200, UARTE_INTEN: 0x300, UARTE_INTENSET: 0x304, UARTE_INTENCLR: 0x308, UARTE_ERRORSRC: 0x480,
  UARTE_ENABLE: 0x500, UARTE_PSEL_RTS: 0x508, UARTE_PSEL_TXD: 0x50c, UARTE_PSEL_CTS: 0x510, UARTE_PSEL_RXD: 0x514,
  UARTE_BAUDRATE: 0x524, UARTE_RXD_PTR: 0x534, UARTE_RXD_MAXCNT: 0x538, UARTE_RXD_AMOUNT: 0x53c,
  UARTE_TXD_PTR: 0x544, UARTE_TXD_MAXCNT: 0x548, UARTE_TXD_AMOUNT: 0x54c, UARTE_CONFIG: 0x56c,
  UARTE_ENABLE_ENABLED: 8, UARTE_BAUDRATE_115200: 0x01d60000, UARTE_CONFIG_HWFC: 1, UARTE_PSEL_DISCONNECTED: 0xffffffff,
  RTC_TASKS_START: 0x000, RTC_TASKS_STOP: 0x004, RTC_TASKS_CLEAR: 0x008, RTC_EVENTS_TICK: 0x100,
  RTC_EVENTS_OVRFLW: 0x104, RTC_EVENTS_COMPARE0: 0x140, RTC_INTENSET: 0x304, RTC_INTENCLR: 0x308,
  RTC_EVTENSET: 0x344, RTC_COUNTER: 0x504, RTC_PRESCALER: 0x508, RTC_CC0: 0x540,
  TEMP_TASKS_START: 0x000, TEMP_TASKS_STOP: 0x004, TEMP_EVENTS_DATARDY: 0x100, TEMP_TEMP: 0x508,
  RNG_TASKS_START: 0x000, RNG_TASKS_STOP: 0x004, RNG_EVENTS_VALRDY: 0x100, RNG_CONFIG: 0x504,
  RNG_CONFIG_DERCEN: 1, RNG_VALUE: 0x508,
  NVMC_READY: 0x400, NVMC_CONFIG: 0x504, NVMC_CONFIG_REN: 0, NVMC_CONFIG_WEN: 1,
  GPIO_OUT: 0x504, GPIO_OUTSET: 0x508, GPIO_OUTCLR: 0x50c, GPIO_IN: 0x510, GPIO_DIR: 0x514,
  GPIO_DIRSET: 0x518, GPIO_DIRCLR: 0x51c, GPIO_PIN_CNF0: 0x700,
  GPIO_PIN_CNF_DIR_OUTPUT: 0x1, GPIO_PIN_CNF_INPUT_DISCONNECT: 0x2, GPIO_PIN_CNF_PULLUP: 0xc,
  SCB_AIRCR: 0xe000ed0c, SCB_AIRCR_SYSRESETREQ: 0x05fa0004, SCB_CPACR: 0xe000ed88,
  NVIC_ISER0: 0xe000e100, NVIC_ICER0: 0xe000e180, NVIC_IPR0: 0xe000e400,
};
// Interrupt-enable bits: (event offset - 0x100) / 4, for the events used.
const BITS: Record<string, [string, string]> = {
  UARTE_INT_ENDRX: ["UARTE", "UARTE_EVENTS_ENDRX"], UARTE_INT_ENDTX: ["UARTE", "UARTE_EVENTS_ENDTX"],
  UARTE_INT_ERROR: ["UARTE", "UARTE_EVENTS_ERROR"], RTC_INT_OVRFLW: ["RTC", "RTC_EVENTS_OVRFLW"],
  RTC_INT_COMPARE0: ["RTC", "RTC_EVENTS_COMPARE0"],
};

function headerDefines(): Map<string, number> {
  const text = readFileSync(path.join(ROOT, "boards/microbit-v2/nrf52833.h"), "utf8");
  const m = new Map<string, number>();
  for (const line of text.split("\n")) {
    const d = /^#define\s+(\w+)\s+(.*?)\s*(\/\*.*)?$/.exec(line);
    if (!d || d[1] === "NRF52833_H" || d[1].startsWith("REG32")) continue;
    const lit = /^(0x[0-9A-Fa-f]+|\d+)u?$/.exec(d[2]);
    const shift = /^\(1u << (\d+)\)$/.exec(d[2]);
    if (lit) m.set(d[1], Number(lit[1]));
    else if (shift) m.set(d[1], 2 ** Number(shift[1]));
    else m.set(d[1], NaN);
  }
  return m;
}

describe("nRF52833 register addresses (boards/microbit-v2/nrf52833.h)", () => {
  test("every value matches the product specification", () => {
    const h = headerDefines();
    const wrong = Object.entries(SPEC).filter(([k, v]) => h.get(k) !== v)
      .map(([k, v]) => `${k}: header ${h.has(k) ? "0x" + h.get(k)!.toString(16) : "missing"}, spec 0x${v.toString(16)}`);
    assert.deepEqual(wrong, []);
  });

  test("interrupt-enable bits follow from the event offsets", () => {
    const h = headerDefines();
    for (const [name, [, ev]] of Object.entries(BITS))
      assert.equal(h.get(name), 2 ** ((SPEC[ev] - 0x100) / 4), name);
  });

  test("the header defines nothing the table does not check", () => {
    const unchecked = [...headerDefines().keys()].filter((k) => !(k in SPEC) && !(k in BITS));
    assert.deepEqual(unchecked, []);
  });

  test("the board's C code takes every address from the header", () => {
    for (const f of ["hal_microbit.c", "startup.c"]) {
      const src = readFileSync(path.join(ROOT, "boards/microbit-v2", f), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      const raw = src.match(/0x(?:[45]0|10|E0)0[0-9A-Fa-f]{5}/gi) ?? [];
      assert.deepEqual(raw, [], `${f} has raw addresses`);
    }
  });
});

// ---- the HAL against a register model ------------------------------------------
// boards/microbit-v2/sim/regsim.c builds the real hal_microbit.c on the host
// against a model of the registers it touches (tasks, events, EasyDMA, the
// UARTE RX FIFO, RTC ticks and overflow, GPIO, NVMC/UICR, NVIC) and runs
// scenarios, each in its own process: boot configuration, millis across the
// 24-bit RTC wrap, 6000 bytes streamed at 115200 while the reader stalls, the
// interrupt latency the FIFO covers (and the overrun past it), a full ring,
// EasyDMA only from RAM, transmit timeout, RNG/TEMP scaling, LED patterns,
// button debounce, freeing the NFC pins (once, on an erased UICR), the
// ESP8266 reset pulse (EN/RST register order, 10 ms low, the modem's earlier
// bytes dropped), exit behaviour.
describe("micro:bit HAL on the register model (boards/microbit-v2/sim)", () => {
  const src = readFileSync(path.join(ROOT, "boards/microbit-v2/sim/regsim.c"), "utf8");
  const names = [...src.matchAll(/\{ "([\w-]+)", s_\w+ \}/g)].map((m) => m[1]);
  const bin = path.join(DIR, "regsim");
  const cc = spawnSync("cc", ["-no-pie", "-O1", "-g", "-Wall", "-Werror", "-DMICROBIT_SIM",
    "-Iboards/microbit-v2", "-Ihost/wasm3", "boards/microbit-v2/hal_microbit.c",
    "boards/microbit-v2/sim/regsim.c", "-o", bin], { cwd: ROOT, encoding: "utf8" });
  const run = cc.status === 0 ? spawnSync(bin, [], { encoding: "utf8", timeout: 120_000 }) : null;
  const results = new Map<string, string>();
  for (const line of (run?.stdout ?? "").split("\n")) {
    const m = /^(ok|FAIL) ([\w-]+)(?:: (.*))?$/.exec(line);
    if (m) results.set(m[2], m[1] === "ok" ? "ok" : m[3] ?? "failed");
  }

  test("builds with the host compiler and reports every scenario", () => {
    assert.equal(cc.status, 0, cc.stderr);
    assert.ok(names.length >= 10, "scenario table parsed");
    assert.deepEqual([...results.keys()], names);
    assert.equal(run!.status, [...results.values()].every((r) => r === "ok") ? 0 : 1);
  });
  for (const name of names)
    test(name, () => assert.equal(results.get(name), "ok"));
});

// env.led_state / env.button_pressed: common imports (host/wasm3/embed.c,
// hal_indicate / hal_button_pressed; on the micro:bit the LED matrix and
// button A). A module's calls reach the board: the native board shows them
// with --leds and presses its button with --button-after.
describe("imports env.led_state / env.button_pressed reach the board", () => {
  const WAT = `(module
    (import "env" "led_state" (func $led (param i32)))
    (import "env" "button_pressed" (func $btn (result i32)))
    (memory (export "memory") 1)
    (func (export "main") (result i32) (call $led (i32.const 4)) (call $btn)))`;
  const board = path.join(ROOT, "build/native/board");
  test("native board: the indicator line and the button press", { skip: existsSync(board) ? false : "run `make native` first" }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), "mb-imports-"));
    try {
      const wat = path.join(dir, "t.wat"), wasm = path.join(dir, "t.wasm");
      writeFileSync(wat, WAT);
      tool("wat2wasm", [wat, "-o", wasm]);
      const pressed = spawnSync(board, ["--leds", "--button-after", "0", wasm], { encoding: "utf8", timeout: 30_000 });
      assert.match(pressed.stdout, /led: 4\n/);
      assert.match(pressed.stdout, /exit: 1/);
      const idle = spawnSync(board, [wasm], { encoding: "utf8", timeout: 30_000 });
      assert.doesNotMatch(idle.stdout, /led:/);
      assert.match(idle.stdout, /exit: 0/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});

// ---- tools/flash.sh -----------------------------------------------------------
function flash(args: string[], env: Record<string, string>) {
  return spawnSync(path.join(ROOT, "tools/flash.sh"), args, {
    encoding: "utf8", env: { ...process.env, FLASH_WAIT_S: "1", ...env },
  });
}

describe("tools/flash.sh (no hardware)", () => {
  test("copies the hex onto a mounted MICROBIT drive", () => {
    const drive = mkdtempSync(path.join(tmpdir(), "MICROBIT-"));
    try {
      const r = flash([HEX], { MICROBIT_DRIVE: drive });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(drive), ["firmware.hex"]);
      assert.ok(readFileSync(path.join(drive, "firmware.hex")).equals(readFileSync(HEX)));
    } finally { rmSync(drive, { recursive: true, force: true }); }
  });

  test("a clear error when no drive is mounted and pyocd is unavailable", () => {
    const r = flash([HEX], { MICROBIT_DRIVE: path.join(tmpdir(), "no-such-drive"), FLASH_NO_INSTALL: "1",
      PYOCD_VENV: path.join(tmpdir(), "no-such-venv"), PATH: "/usr/bin:/bin" });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /no MICROBIT drive is mounted and pyocd is not available/);
  });

  test("FLASH_METHOD=drive without a drive, and a missing hex, are errors", () => {
    const r = flash([HEX], { FLASH_METHOD: "drive", MICROBIT_DRIVE: path.join(tmpdir(), "no-such-drive") });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /no MICROBIT drive mounted/);
    const m = flash([path.join(tmpdir(), "missing.hex")], {});
    assert.equal(m.status, 2);
    assert.match(m.stderr, /not found/);
  });
});
