// Test-facing exports of the ESP8266 driver and the sockets. Every export
// checks its pointers and returns a status (0 or a negative error) or a count.
// Sockets live in a small static table: RAM SOCKETS * SOCKET_SIZE = 48 bytes.
import { inMemory } from "../io";
import { ERR_BAD_POINTER, ERR_BAD_ARGUMENT } from "../errors";
import { wifiInit, wifiJoin, wifiIp, wifiTime, wifiDialect, wifiLevel } from "../esp8266/wifi";
import {
  SOCKET_SIZE, KIND_ESP, KIND_HOST, S_CLOSED, socketOpen, socketWrite, socketRead, socketClose,
  socketState, socketLastError,
} from "../net/socket";
import { ERR_SOCK_NO_SLOT } from "../net/errors";

const SOCKETS: i32 = 4;
const SOCKS = memory.data(SOCKETS * SOCKET_SIZE);

function sock(i: i32): usize { return SOCKS + <usize>(i * SOCKET_SIZE); }

export function wifi_init(): i32 { return wifiInit(); }
export function wifi_dialect(): i32 { return wifiDialect(); }
export function wifi_level(): i32 { return wifiLevel(); }
export function wifi_join(ssid: usize, ssidLen: i32, psk: usize, pskLen: i32): i32 {
  if (ssidLen < 0 || pskLen < 0 || !inMemory(ssid, ssidLen) || (pskLen > 0 && !inMemory(psk, pskLen))) return ERR_BAD_POINTER;
  return wifiJoin(ssid, ssidLen, psk, pskLen);
}
export function wifi_ip(): u32 { return wifiIp(); }
export function wifi_time(): i64 { return wifiTime(); }

function open(kind: u8, host: usize, hostLen: i32, port: i32): i32 {
  if (hostLen < 0 || !inMemory(host, hostLen)) return ERR_BAD_POINTER;
  let i = 0;
  while (i < SOCKETS && socketState(sock(i)) != S_CLOSED) i++;
  if (i == SOCKETS) return ERR_SOCK_NO_SLOT;
  const r = socketOpen(sock(i), kind, host, hostLen, port);
  if (r < 0) { socketClose(sock(i)); return r; }
  return i;
}
// Returns a socket number (0..3) or an error.
export function tcp_socket_open(host: usize, hostLen: i32, port: i32): i32 { return open(KIND_ESP, host, hostLen, port); }
export function host_socket_open(host: usize, hostLen: i32, port: i32): i32 { return open(KIND_HOST, host, hostLen, port); }

export function socket_write(s: i32, p: usize, n: i32): i32 {
  if (<u32>s >= <u32>SOCKETS) return ERR_BAD_ARGUMENT;
  if (n < 0 || (n > 0 && !inMemory(p, n))) return ERR_BAD_POINTER;
  return socketWrite(sock(s), p, n);
}
export function socket_read(s: i32, p: usize, n: i32, timeoutMs: i32): i32 {
  if (<u32>s >= <u32>SOCKETS) return ERR_BAD_ARGUMENT;
  if (n < 0 || (n > 0 && !inMemory(p, n))) return ERR_BAD_POINTER;
  return socketRead(sock(s), p, n, timeoutMs);
}
export function socket_close(s: i32): i32 {
  if (<u32>s >= <u32>SOCKETS) return ERR_BAD_ARGUMENT;
  return socketClose(sock(s));
}
export function socket_state(s: i32): i32 { return <u32>s < <u32>SOCKETS ? socketState(sock(s)) : ERR_BAD_ARGUMENT; }
export function socket_error(s: i32): i32 { return <u32>s < <u32>SOCKETS ? socketLastError(sock(s)) : ERR_BAD_ARGUMENT; }
