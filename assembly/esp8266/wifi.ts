// The station: reset and readiness, dialect, join, station IP, SNTP time.
//
// Usage: wifiInit(); wifiJoin(ssid, ssidLen, psk, pskLen); then links
// (link.ts) or sockets (../net). After any ERR_AT_REBOOTED or
// ERR_NOT_READY: wifiInit and wifiJoin again, then reopen the sockets.
import { cmd, str, quoted } from "./uart";
import { modemReset } from "../host";
import {
  at, finish, drain, dropAll, M_OK, M_READY, NONOS, AT2, dialect, level, stationIp, sntpSeconds, sntpOn,
  DOWN, READY, JOINED,
} from "./at";
import { deadlineIn } from "./uart";
import {
  T_RST, T_ATE0, T_GMR, T_CWMODE, T_CUR, T_EQ1, T_CIPMUX1, T_RECVMODE1, T_CWJAP, T_EQ, T_COMMA, T_CIPSTA,
  T_QUERY, T_SNTPCFG, T_SNTPTIME,
} from "./text";
import { ERR_DIALECT, ERR_NOT_READY } from "./errors";
import { ERR_BAD_ARGUMENT } from "../errors";

const CMD_MS: i32 = 2000;
const RESET_MS: i32 = 8000;
const JOIN_MS: i32 = 20000;

function run(t: i32, timeoutMs: i32): i32 {
  cmd(t);
  return at(M_OK, timeoutMs);
}

// "_CUR" where NonOS 1.7 wants it (AT+CWMODE_CUR, AT+CWJAP_CUR, AT+CIPSTA_CUR).
function cur(): void { if (dialect == NONOS) str(T_CUR); }

// Reset: the board's reset line when it has one (it also recovers a module
// that ignores AT commands), else AT+RST; then `ready` past the boot ROM's
// noise. Echo off, dialect from AT+GMR, station mode, multiple links,
// passive receive. drain() first: a `ready` of the module's previous life
// still unread must not be taken for the one after this reset.
export function wifiInit(): i32 {
  dialect = 0;
  drain();
  dropAll();
  let r = modemReset();
  if (r < 0) r = run(T_RST, CMD_MS);
  if (r == 0) r = finish(deadlineIn(RESET_MS), M_READY);
  if (r == 0) r = run(T_ATE0, CMD_MS);
  if (r == 0) r = run(T_GMR, CMD_MS);
  if (r < 0) return r;
  if (dialect == 0) return ERR_DIALECT;
  cmd(T_CWMODE);
  cur();
  str(T_EQ1);
  r = at(M_OK, CMD_MS);
  if (r == 0) r = run(T_CIPMUX1, CMD_MS);
  if (r == 0) r = run(T_RECVMODE1, CMD_MS);
  if (r < 0) return r;
  level = READY;
  return 0;
}

// Joins a WPA/WPA2 access point (psk may be empty for an open one) and reads
// the station IP back. +CWJAP codes become ERR_JOIN_*.
export function wifiJoin(ssid: usize, ssidLen: i32, psk: usize, pskLen: i32): i32 {
  if (level == DOWN) return ERR_NOT_READY;
  if (ssidLen < 1 || ssidLen > 32 || pskLen < 0 || pskLen > 64) return ERR_BAD_ARGUMENT;
  level = READY;
  cmd(T_CWJAP);
  cur();
  str(T_EQ);
  quoted(ssid, ssidLen);
  str(T_COMMA);
  quoted(psk, pskLen);
  let r = at(M_OK, JOIN_MS);
  if (r < 0) return r;
  stationIp = 0;
  cmd(T_CIPSTA);
  cur();
  str(T_QUERY);
  r = at(M_OK, CMD_MS);
  if (r < 0) return r;
  level = JOINED;
  return 0;
}

export function wifiIp(): u32 { return level == JOINED ? stationIp : 0; }
export function wifiDialect(): i32 { return dialect; }
export function wifiLevel(): i32 { return level; }

// Wall clock from the module's SNTP client: seconds since 1970, or 0 when the
// module has no time yet (or cannot be asked). Public data.
export function wifiTime(): i64 {
  if (level != JOINED) return 0;
  if (!sntpOn) {
    if (run(T_SNTPCFG, CMD_MS) < 0) return 0;
    sntpOn = true;
  }
  sntpSeconds = 0;
  if (run(T_SNTPTIME, CMD_MS) < 0) return 0;
  return sntpSeconds;
}
