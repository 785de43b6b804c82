// AT command execution and the driver's state: one place that waits for a
// command's final result, and one handler for every unsolicited message.
//
// Implementation notes
// - Commands are synchronous: build the line (uart.ts cmd/str/num/quoted),
//   then at(mode, timeout). finish() reads lines until the final result the
//   mode expects; lines it does not know go to urc(), so unsolicited messages
//   are handled wherever they arrive (during a command, while a socket waits
//   for data, or in drain() before the next command).
// - Detail lines before ERROR/FAIL (+CWJAP:<n>, DNS Fail, ALREADY CONNECTED,
//   link is not valid, UNLINK) name the error returned.
// - `ready` outside wifiInit means the module rebooted: every open link is
//   marked lost, the driver drops to "not ready", and the command in flight
//   ends in ERR_AT_REBOOTED. wifiInit/wifiJoin/open again recover.
// - `busy p...` (and NonOS `busy s...`): the module dropped the command; it is
//   sent again after BUSY_WAIT_MS, at most BUSY_TRIES times.
// - Replies to queries (AT version, +CIPSTA ip, +CIPSNTPTIME) are parsed by
//   urc() into the state below: only the matching query produces them.
import { sleepMs } from "../host";
import {
  readLine, readRaw, lineIs, lineStarts, lineHas, lineByte, lineNum, sendCmd, deadlineIn,
  lineLen, TEXT, PROMPT, DATA, dataLen, textAt, cur,
} from "./uart";
import {
  T_OK, T_SEND_OK, T_ERROR, T_FAIL, T_SEND_FAIL, T_READY, T_BUSY, T_CWJAP_REPLY, T_DNS_FAIL, T_ALREADY,
  T_NOT_VALID, T_UNLINK, T_WIFI_DISCONNECT, T_IPD, T_CLOSED, T_VERSION, T_CIPSTA_CUR_IP, T_CIPSTA_IP,
  T_SNTPTIME_REPLY, T_MONTHS, T_RECVLEN_REPLY,
} from "./text";
import {
  ERR_AT_ERROR, ERR_AT_REBOOTED, ERR_AT_BUSY, ERR_AT_BAD_REPLY,
  ERR_JOIN_TIMEOUT, ERR_JOIN_PASSWORD, ERR_JOIN_NO_AP, ERR_JOIN_FAILED, ERR_DNS,
  ERR_ALREADY_CONNECTED, ERR_LINK_CLOSED, ERR_SEND_FAIL,
} from "./errors";

// Dialects (AT+GMR).
export const NONOS: i32 = 1;   // NonOS AT 1.7: _CUR commands, FAIL after a failed join
export const AT2: i32 = 2;     // ESP-AT 2.x
export let dialect: i32 = 0;

// Driver level: 0 down, 1 initialised, 2 joined.
export const DOWN: i32 = 0;
export const READY: i32 = 1;
export const JOINED: i32 = 2;
export let level: i32 = DOWN;

export let stationIp: u32 = 0;   // a.b.c.d as a << 24 | b << 16 | c << 8 | d
export let sntpSeconds: i64 = 0; // last +CIPSNTPTIME, 0 when not synchronised
export let sntpOn = false;

// Links 0..4. RAM: LINKS + LINKS * 4 bytes.
export const LINKS: i32 = 5;
export const FREE: u8 = 0;
export const OPEN: u8 = 1;
export const CLOSED: u8 = 2;   // the peer closed it (CLOSED comes after the data was read)
export const LOST: u8 = 3;     // the module rebooted or was re-initialised
const linkState = memory.data(LINKS);
const linkAvail = memory.data(LINKS * 4);   // bytes the module holds (last +IPD)
export function stateOf(id: i32): u8 { return load<u8>(linkState + id); }
export function setState(id: i32, s: u8): void { store<u8>(linkState + id, s); }
export function availOf(id: i32): i32 { return load<i32>(linkAvail + (id << 2)); }
export function setAvail(id: i32, n: i32): void { store<i32>(linkAvail + (id << 2), n); }

// Where the data of the AT+CIPRECVDATA in flight goes.
export let rdDst: usize = 0;
export let rdCap: i32 = 0;
export let rdGot: i32 = 0;
export function expectData(dst: usize, cap: i32): void { rdDst = dst; rdCap = cap; rdGot = 0; }

// Every open link is gone (reboot, re-init).
export function dropAll(): void {
  level = DOWN;
  sntpOn = false;
  for (let id = 0; id < LINKS; id++) {
    if (stateOf(id) != FREE) setState(id, LOST);
    setAvail(id, 0);
  }
}

// finish() modes: the final result awaited.
export const M_OK: i32 = 0;      // OK
export const M_PROMPT: i32 = 1;  // `>` (AT+CIPSEND; its OK comes first)
export const M_SEND: i32 = 2;    // SEND OK after the raw bytes
export const M_READY: i32 = 3;   // `ready` after AT+RST

const BUSY_TRIES: i32 = 5;
const DRAIN_LINES: i32 = 32;
const BUSY_WAIT_MS: i32 = 200;

// Sends the built command and waits for its final result; retries on busy.
export function at(mode: i32, timeoutMs: i32): i32 {
  // A reboot noticed only now (while nothing was waiting) fails this command.
  const was = level;
  drain();
  if (was != DOWN && level == DOWN) return ERR_AT_REBOOTED;
  let tries = 1;
  while (true) {
    const e = sendCmd();
    if (e < 0) return e;
    const r = finish(deadlineIn(timeoutMs), mode);
    if (r != ERR_AT_BUSY || tries == BUSY_TRIES) return r;
    sleepMs(BUSY_WAIT_MS);
    tries++;
  }
}

export function finish(deadline: u32, mode: i32): i32 {
  let err: i32 = 0;
  while (true) {
    const k = readLine(deadline);
    if (k < 0) return k;
    if (k == PROMPT) {
      if (mode == M_PROMPT) return err;
      continue;
    }
    if (k == DATA) {
      const r = takeData(deadline);
      if (r < 0) err = r;
      continue;
    }
    if (lineIs(T_OK)) {
      if (mode == M_OK) return err;
    } else if (lineIs(T_SEND_OK)) {
      if (mode == M_SEND) return 0;
    } else if (lineIs(T_ERROR) || lineIs(T_FAIL)) {
      return err < 0 ? err : ERR_AT_ERROR;
    } else if (lineIs(T_SEND_FAIL)) {
      return ERR_SEND_FAIL;
    } else if (lineIs(T_READY)) {
      if (mode == M_READY) return 0;
      dropAll();
      return ERR_AT_REBOOTED;
    } else if (lineStarts(T_BUSY)) {
      return ERR_AT_BUSY;
    } else if (lineStarts(T_CWJAP_REPLY)) {
      const c = lineByte(7);
      err = c == 49 ? ERR_JOIN_TIMEOUT : c == 50 ? ERR_JOIN_PASSWORD : c == 51 ? ERR_JOIN_NO_AP : ERR_JOIN_FAILED;
    } else if (lineIs(T_DNS_FAIL)) {
      err = ERR_DNS;
    } else if (lineStarts(T_ALREADY)) {          // "ALREADY CONNECTED" (some 2.x docs: CONNECTTED)
      err = ERR_ALREADY_CONNECTED;
    } else if (lineIs(T_NOT_VALID) || lineIs(T_UNLINK)) {
      err = ERR_LINK_CLOSED;
    } else {
      urc();
    }
  }
}

// Handles whatever has already arrived before a new command is sent, so a
// late line of an earlier (timed-out) command is not taken for this one's.
export function drain(): void {
  for (let lines = 0; lines < DRAIN_LINES; lines++) {
    const k = readLine(deadlineIn(0));
    if (k < 0) return;
    if (k == DATA) takeData(deadlineIn(1000));
    else if (k == TEXT) {
      if (lineIs(T_READY)) dropAll();
      else urc();
    }
  }
}

// The raw bytes after a data header go to the read in flight (rdDst);
// without one, or beyond its capacity, they are discarded: a bad reply.
export function takeData(deadline: u32): i32 {
  const n = dataLen;
  const k = min(n, rdCap - rdGot);
  if (k > 0) {
    const r = readRaw(rdDst + rdGot, k, deadline);
    if (r < 0) return r;
    rdGot += k;
  }
  if (n > k) {
    const r = readRaw(0, n - k, deadline);
    return r < 0 ? r : ERR_AT_BAD_REPLY;
  }
  return 0;
}

// Unsolicited messages and query replies.
export function urc(): void {
  if (lineIs(T_WIFI_DISCONNECT)) {
    if (level == JOINED) level = READY;
    return;
  }
  if (lineStarts(T_IPD)) {               // passive mode: +IPD,<id>,<len>
    const id = lineByte(5) - 48;
    cur = 7;
    const n = lineNum();
    // Added up: firmware that announces each segment and firmware that
    // announces the total held both end up at or above what is held; a read
    // that returns less than asked resets the count (link.ts).
    if (<u32>id < <u32>LINKS && lineByte(6) == 44 && n >= 0 && cur == lineLen && stateOf(id) == OPEN) {
      setAvail(id, min(availOf(id) + n, 1 << 24));
    }
    return;
  }
  const id = lineByte(0) - 48;             // <id>,CLOSED
  if (<u32>id < <u32>LINKS && lineByte(1) == 44) {
    if (lineLen == 8 && lineHas(2, textAt(T_CLOSED), 6) && stateOf(id) == OPEN) setState(id, CLOSED);
    return;
  }
  if (lineStarts(T_VERSION)) {
    dialect = lineByte(11) == 49 ? NONOS : lineByte(11) >= 50 && lineByte(11) <= 57 ? AT2 : 0;
    return;
  }
  if (lineStarts(T_CIPSTA_CUR_IP)) { stationIp = parseIp(16); return; }
  if (lineStarts(T_CIPSTA_IP)) { stationIp = parseIp(12); return; }
  if (lineStarts(T_SNTPTIME_REPLY)) { sntpSeconds = parseTime(13); return; }
  if (lineStarts(T_RECVLEN_REPLY)) { recvLens(); return; }
}

// +CIPRECVLEN:<n0>,<n1>,<n2>,<n3>,<n4> (bytes the module holds per link).
function recvLens(): void {
  cur = 12;
  for (let id = 0; id < LINKS; id++) {
    const v = lineNum();                        // "-1" (no link): no digit here
    if (stateOf(id) != LOST) setAvail(id, max(v, 0));
    while (cur < lineLen && lineByte(cur) != 44) cur++;
    cur++;
  }
}

// Dotted quad at offset i, ending in `"`; 0 when malformed.
function parseIp(i: i32): u32 {
  let ip: u32 = 0;
  cur = i;
  for (let part = 0; part < 4; part++) {
    const v = lineNum();
    if (<u32>v > 255 || lineByte(cur) != (part == 3 ? 34 : 46)) return 0;
    ip = (ip << 8) | <u32>v;
    cur++;
  }
  return ip;
}

// Day, hour, minute, second, year of a time reply. RAM: 20 bytes.
const FIELDS = memory.data(20);

// "Thu Aug 04 14:48:05 2016" (asctime: "Wed Mar  9 ...") at offset i ->
// seconds since 1970 (UTC: the driver configures time zone 0). Years before
// 2000 (the module is not synchronised yet) -> 0. Public data.
function parseTime(i: i32): i64 {
  let mon = 0;
  for (let m = 0; m < 12 && mon == 0; m++) {
    if (lineHas(i + 4, textAt(T_MONTHS) + m * 3, 3)) mon = m + 1;
  }
  if (mon == 0) return 0;
  cur = i + 7;
  for (let f = 0; f < 5; f++) {
    while (cur < lineLen && <u32>(lineByte(cur) - 48) > 9) cur++;
    const v = lineNum();
    if (v < 0) return 0;
    store<i32>(FIELDS + (f << 2), v);
  }
  const day = load<i32>(FIELDS), hh = load<i32>(FIELDS, 4), mm = load<i32>(FIELDS, 8);
  const ss = load<i32>(FIELDS, 12), year = load<i32>(FIELDS, 16);
  if (year < 2000 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return 0;
  // Days since 1970 (civil calendar, years from March).
  const y = year - (mon <= 2 ? 1 : 0);
  const era = y / 400;
  const yoe = y - era * 400;
  const doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
  return <i64>days * 86400 + <i64>(hh * 3600 + mm * 60 + ss);
}

// Used by callers that wait for a link event with no command in flight.
export function idle(deadline: u32): i32 {
  const k = readLine(deadline);
  if (k < 0) return k;
  if (k == DATA) return takeData(deadline) < 0 ? ERR_AT_BAD_REPLY : 0;
  if (k == TEXT) {
    if (lineIs(T_READY)) { dropAll(); return ERR_AT_REBOOTED; }
    urc();
  }
  return 0;
}
