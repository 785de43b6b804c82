// Log lines built in one static buffer: no strings are allocated. Literals are
// AssemblyScript strings (UTF-16 in the data segment); only ASCII is logged.
import { logWrite } from "./host";

const LOG_CAP: i32 = 120;
const line = memory.data(LOG_CAP);
let len: i32 = 0;

function put(c: i32): void {
  if (len < LOG_CAP) store<u8>(line + len++, c);
}

export function str(s: string): void {
  const p = changetype<usize>(s);
  const n = s.length;
  for (let i = 0; i < n; i++) put(load<u16>(p + (i << 1)));
}

export function int(v: i64): void {
  if (v < 0) { put(45); v = -v; }
  let digits: i32 = 0;
  let t = v;
  do { digits++; t /= 10; } while (t);
  const at = len + digits;
  for (let i = 1; i <= digits; i++) {
    if (at - i < LOG_CAP) store<u8>(line + at - i, 48 + <i32>(v % 10));
    v /= 10;
  }
  len = min(at, LOG_CAP);
}

export function hex(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const b = load<u8>(p + i);
    put(hexDigit(b >> 4));
    put(hexDigit(b & 15));
  }
}

function hexDigit(d: i32): i32 { return d < 10 ? 48 + d : 87 + d; }

// Sends the line built so far and starts a new one.
export function end(): void {
  logWrite(line, len);
  len = 0;
}

export function say(s: string): void { str(s); end(); }

// Appends n raw bytes (ASCII text kept in a data segment, public data only).
export function bytes(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) put(load<u8>(p + i));
}
