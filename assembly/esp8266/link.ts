// TCP links through the module (AT+CIPMUX=1 ids 0..4), passive receive.
//
// Implementation notes
// - Sends go in pieces of at most SEND_MAX bytes: AT+CIPSEND=<id>,<n>, wait
//   for `>`, write the raw bytes, wait for SEND OK (SEND FAIL is an error).
// - Receives: +IPD,<id>,<n> (handled in at.ts urc) announces bytes the
//   module holds (added up: an upper bound); AT+CIPRECVDATA=<id>,<k> fetches
//   them into the caller's buffer, and a short (or ERROR) reply means the
//   module is empty. With no data held, linkRead waits for the next +IPD or CLOSED
//   until its own timeout and then returns 0.
// - The module holds CLOSED back until its buffered data is read, so a
//   closed link reads its data first and then ERR_LINK_CLOSED.
import { cmd, str, num, quoted, sendRaw, deadlineIn } from "./uart";
import {
  at, finish, idle, expectData, rdGot, M_OK, M_PROMPT, M_SEND, level, JOINED, LINKS,
  FREE, OPEN, CLOSED, LOST, stateOf, setState, availOf, setAvail,
} from "./at";
import {
  ERR_NOT_JOINED, ERR_NO_LINK, ERR_CONNECT, ERR_AT_ERROR, ERR_LINK_CLOSED, ERR_LINK_LOST,
  ERR_AT_TIMEOUT, ERR_ALREADY_CONNECTED,
} from "./errors";
import { ERR_BAD_ARGUMENT } from "../errors";
import { T_CIPSTART, T_TCP, T_COMMA, T_CIPSEND, T_RECVDATA, T_CIPCLOSE, T_RECVLEN } from "./text";

const SEND_MAX: i32 = 2048;
const RECV_MAX: i32 = 2048;
const OPEN_MS: i32 = 10000;
const CMD_MS: i32 = 5000;

function startCmd(t: i32, id: i32): void {
  cmd(t);
  num(id);
}

// Opens a TCP link to host:port (a name or a dotted IP); returns its id.
export function linkOpen(host: usize, hostLen: i32, port: i32): i32 {
  if (level != JOINED) return ERR_NOT_JOINED;
  if (hostLen < 1 || hostLen > 64 || port < 1 || port > 65535) return ERR_BAD_ARGUMENT;
  let id = 0;
  while (id < LINKS && stateOf(id) != FREE) id++;
  if (id == LINKS) return ERR_NO_LINK;
  let tries = 0;
  while (true) {
    setState(id, OPEN);    // claimed first: a CLOSED during the command is kept
    setAvail(id, 0);
    startCmd(T_CIPSTART, id);
    str(T_TCP);
    quoted(host, hostLen);
    str(T_COMMA);
    num(port);
    const r = at(M_OK, OPEN_MS);
    if (r == 0) return id;
    setState(id, FREE);
    // The module still holds this id open (a close that timed out): close it, once.
    if (r == ERR_ALREADY_CONNECTED && tries == 0) {
      startCmd(T_CIPCLOSE, id);
      at(M_OK, CMD_MS);
      tries++;
      continue;
    }
    return r == ERR_AT_ERROR ? ERR_CONNECT : r;
  }
}

function deadErr(id: i32): i32 {
  const s = stateOf(id);
  return s == OPEN ? 0 : s == CLOSED ? ERR_LINK_CLOSED : s == LOST ? ERR_LINK_LOST : ERR_BAD_ARGUMENT;
}

// Writes n bytes; returns n or an error.
export function linkWrite(id: i32, p: usize, n: i32): i32 {
  if (<u32>id >= <u32>LINKS || n < 0) return ERR_BAD_ARGUMENT;
  let e = deadErr(id);
  if (e < 0) return e;
  for (let done = 0; done < n; ) {
    const k = min(SEND_MAX, n - done);
    startCmd(T_CIPSEND, id);
    str(T_COMMA);
    num(k);
    e = at(M_PROMPT, CMD_MS);
    if (e == 0) e = sendRaw(p + done, k);
    if (e == 0) e = finish(deadlineIn(CMD_MS + (k >> 3)), M_SEND);
    // A send refused because the peer closed meanwhile is the end of stream.
    if (e < 0) return stateOf(id) == CLOSED ? ERR_LINK_CLOSED : e;
    done += k;
  }
  return n;
}

// Reads up to n bytes within timeoutMs; returns the count, 0 on timeout, or
// an error (ERR_LINK_CLOSED once the peer closed and the data is read).
export function linkRead(id: i32, p: usize, n: i32, timeoutMs: i32): i32 {
  if (<u32>id >= <u32>LINKS || n < 0 || timeoutMs < 0) return ERR_BAD_ARGUMENT;
  if (n == 0) return 0;
  const deadline = deadlineIn(timeoutMs);
  let asked = false;
  while (true) {
    const avail = availOf(id);
    if (avail > 0 && stateOf(id) != LOST) {
      const want = min(n, min(avail, RECV_MAX));
      expectData(p, want);
      startCmd(T_RECVDATA, id);
      str(T_COMMA);
      num(want);
      const r = at(M_OK, CMD_MS);
      const got = rdGot;
      expectData(0, 0);
      // ERROR: the module holds nothing (the count was high); wait for more.
      if (r < 0 && r != ERR_AT_ERROR) return r;
      // +IPD lines that came during the command were added meanwhile: keep
      // them (at worst the count is high, which the next short read fixes).
      const now = availOf(id);
      setAvail(id, max(0, got < want ? now - avail : now - got));
      if (got > 0) return got;
      continue;
    }
    const e = deadErr(id);
    if (e < 0) return e;
    const k = idle(deadline);
    if (k == ERR_AT_TIMEOUT) {
      // Nothing announced in time. Ask once, in case an +IPD was lost
      // (a garbled line): the data would otherwise wait for the next one.
      if (asked) return 0;
      asked = true;
      cmd(T_RECVLEN);
      const r = at(M_OK, CMD_MS);
      if (r < 0) return r;
      if (availOf(id) == 0) return 0;
      continue;
    }
    if (k < 0) return k;
  }
}

// Closes the link and frees its id (also after the peer closed or a reboot).
export function linkClose(id: i32): i32 {
  if (<u32>id >= <u32>LINKS) return ERR_BAD_ARGUMENT;
  const s = stateOf(id);
  setState(id, FREE);
  setAvail(id, 0);
  if (s == FREE || s == LOST) return 0;
  startCmd(T_CIPCLOSE, id);
  const r = at(M_OK, CMD_MS);
  // NonOS: UNLINK + ERROR on a link already closed; 2.x: ERROR. Both: closed.
  return r == ERR_LINK_CLOSED || r == ERR_AT_ERROR ? 0 : r;
}
