// The one reader of the modem UART, and the command line builder.
//
// Implementation notes
// - Every wait takes a deadline (millis() + timeout); the reader never blocks
//   past it, so nothing the modem sends (or does not send) can hang the module.
// - readLine() splits the byte stream into CR LF lines and also recognises the
//   two things that do not end in CR LF: the `>` send prompt (first byte of a
//   line) and the passive-receive data header, whose raw bytes follow at once:
//   NonOS 1.7 `+CIPRECVDATA,<len>:` and ESP-AT 2.x `+CIPRECVDATA:<len>,`.
// - A line cut off by a timeout is kept and continued by the next call, so
//   byte-at-a-time delivery and slow links lose nothing. Overlong lines are
//   truncated to LINE_CAP bytes and then match nothing (treated as garbage).
import { uartRead, uartWrite, millis } from "../host";
import { ERR_AT_TIMEOUT, ERR_AT_UART } from "./errors";
import { ERR_BAD_ARGUMENT } from "../errors";
import { TEXTS, T_RECVDATA_REPLY } from "./text";

// RAM: RX_CAP + LINE_CAP + CMD_CAP = 128 + 128 + 256 bytes.
const RX_CAP: i32 = 128;
const RX = memory.data(RX_CAP);
let rxPos: i32 = 0;
let rxEnd: i32 = 0;

export const LINE_CAP: i32 = 128;
export const LINE = memory.data(LINE_CAP);
export let lineLen: i32 = 0;
let lineDone = true;

// readLine() kinds (errors are negative).
export const TEXT: i32 = 0;
export const PROMPT: i32 = 1;
export const DATA: i32 = 2;   // a data header: dataLen raw bytes follow
export let dataLen: i32 = 0;

export function deadlineIn(ms: i32): u32 { return millis() + <u32>ms; }

// Reads into the receive buffer once; at the deadline it still polls, after
// it nothing is read: a modem that never stops talking cannot hold a reader.
function fill(deadline: u32): i32 {
  const l = <i32>(deadline - millis());
  if (l < 0) return ERR_AT_TIMEOUT;
  const n = uartRead(RX, RX_CAP, l);
  if (n < 0) return ERR_AT_UART;
  if (n == 0) return ERR_AT_TIMEOUT;
  rxPos = 0;
  rxEnd = min(n, RX_CAP);
  return 0;
}

export function readLine(deadline: u32): i32 {
  if (lineDone) { lineLen = 0; lineDone = false; }
  while (true) {
    if (rxPos == rxEnd) {
      const e = fill(deadline);
      if (e < 0) return e;
    }
    const c = <i32>load<u8>(RX + rxPos++);
    if (c == 10) {
      if (lineLen == 0) continue;
      lineDone = true;
      return TEXT;
    }
    // No line starts with a space; NonOS follows its prompt with one ("> "),
    // and an unsolicited line may come right after it.
    if (c == 13 || (c == 32 && lineLen == 0)) continue;
    if (c == 62 && lineLen == 0) { lineDone = true; return PROMPT; }
    if (lineLen < LINE_CAP) store<u8>(LINE + lineLen, c);
    lineLen++;
    if ((c == 58 || c == 44) && dataHeader(c)) { lineDone = true; return DATA; }
  }
}

// The line so far is `+CIPRECVDATA,<digits>` + ':' or `+CIPRECVDATA:<digits>` + ','.
function dataHeader(c: i32): bool {
  if (lineLen < 15 || !lineStarts(T_RECVDATA_REPLY)) return false;
  const sep = <i32>load<u8>(LINE + 12);
  if (!((sep == 44 && c == 58) || (sep == 58 && c == 44))) return false;
  cur = 13;
  const v = lineNum();
  if (v < 0 || cur != lineLen - 1) return false;
  dataLen = v;
  return true;
}

// A cursor over the line for the parsers.
export let cur: i32 = 0;
// The decimal number at cur (at most 7 digits), cur moved past it; -1 when
// there is no digit at cur.
export function lineNum(): i32 {
  let v = 0, digits = 0;
  let c = lineByte(cur);
  while (<u32>(c - 48) <= 9 && digits < 7) {
    v = v * 10 + c - 48;
    digits++;
    c = lineByte(++cur);
  }
  return digits ? v : -1;
}

// Raw bytes after a data header: n bytes to dst (dst == 0: discarded).
export function readRaw(dst: usize, n: i32, deadline: u32): i32 {
  let got = 0;
  while (got < n) {
    if (rxPos == rxEnd) {
      if (dst != 0 && n - got >= RX_CAP) {   // large reads skip the copy
        const l = <i32>(deadline - millis());
        if (l < 0) return ERR_AT_TIMEOUT;
        const r = uartRead(dst + got, n - got, l);
        if (r < 0) return ERR_AT_UART;
        if (r == 0) return ERR_AT_TIMEOUT;
        got += min(r, n - got);
        continue;
      }
      const e = fill(deadline);
      if (e < 0) return e;
    }
    const k = min(n - got, rxEnd - rxPos);
    if (dst != 0) memory.copy(dst + got, RX + rxPos, k);
    rxPos += k;
    got += k;
  }
  return got;
}

// Texts are (offset << 8) | length in TEXTS (text.ts).
export function textAt(t: i32): usize { return TEXTS + <usize>(t >>> 8); }
// The n bytes at p appear in the line at offset off.
export function lineHas(off: i32, p: usize, n: i32): bool {
  if (off + n > lineLen || off + n > LINE_CAP) return false;
  for (let i = 0; i < n; i++) {
    if (load<u8>(LINE + off + i) != load<u8>(p + i)) return false;
  }
  return true;
}
export function lineStarts(t: i32): bool { return lineHas(0, textAt(t), t & 255); }
export function lineIs(t: i32): bool { return lineLen == (t & 255) && lineStarts(t); }
export function lineByte(i: i32): i32 { return i < lineLen && i < LINE_CAP ? <i32>load<u8>(LINE + i) : -1; }

// ---- the command line ------------------------------------------------------
const CMD_CAP: i32 = 256;   // the AT command limit
const CMD = memory.data(CMD_CAP);
let cmdLen: i32 = 0;

function put(c: i32): void {
  if (cmdLen < CMD_CAP) store<u8>(CMD + cmdLen, c);
  cmdLen++;
}
export function cmd(t: i32): void { cmdLen = 0; str(t); }
export function str(t: i32): void {
  const p = textAt(t);
  for (let i = 0, n = t & 255; i < n; i++) put(load<u8>(p + i));
}
export function num(v: i32): void {
  if (v >= 10) num(v / 10);
  put(48 + v % 10);
}
// A quoted string argument: `"`, `,` and `\` are escaped with `\`.
export function quoted(p: usize, n: i32): void {
  put(34);
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(p + i);
    if (c == 34 || c == 44 || c == 92) put(92);
    put(c);
  }
  put(34);
}
export function sendCmd(): i32 {
  put(13);
  put(10);
  if (cmdLen > CMD_CAP) return ERR_BAD_ARGUMENT;
  return uartWrite(CMD, cmdLen) == cmdLen ? 0 : ERR_AT_UART;
}
export function sendRaw(p: usize, n: i32): i32 {
  return uartWrite(p, n) == n ? 0 : ERR_AT_UART;
}
