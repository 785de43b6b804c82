// Test-facing exports of the ESP8266 driver and the sockets. Every export
// checks its pointers and returns a status (0 or a negative error) or a count.
// Sockets live in a small static table: RAM SOCKETS * SOCKET_SIZE = 48 bytes.
import { inMemory } from "../io";
import { ERR_BAD_POINTER, ERR_BAD_ARGUMENT } from "../errors";
import { wifiInit, wifiJoin, wifiIp, wifiTime, wifiDialect, wifiLevel } from "../esp8266/wifi";
import {
  SOCKET_SIZE, KIND_ESP, KIND_HOST, S_CLOSED, socketOpen, socketWrite, socketRead, socketClose,
  socketState, socketLastError, installLayer,
} from "../net/socket";
import { ERR_SOCK_NO_SLOT } from "../net/errors";
import { KIND_TLS, tlsSocketOpen, tlsLayer } from "../net/tls-socket";
import { CFG_SIZE } from "../tls/engine";

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

// TlsSocket over a TcpSocket (an ESP8266 link): the TLS socket takes a free
// slot and its inner TcpSocket the next free one after it; socket_write,
// socket_read, socket_close, socket_state and socket_error then work on the
// returned slot as on any socket. cfg is the engine configuration block
// (tls/engine.ts; the server name defaults to host). One TLS engine: one TLS
// socket at a time. Returns the slot, or the first error (both slots free).
export function tls_modem_connect(host: usize, hostLen: i32, port: i32, cfg: usize, timeoutMs: i32): i32 {
  if (hostLen < 0 || !inMemory(host, hostLen) || !inMemory(cfg, CFG_SIZE)) return ERR_BAD_POINTER;
  let i = 0;
  while (i < SOCKETS && socketState(sock(i)) != S_CLOSED) i++;
  let j = i + 1;
  while (j < SOCKETS && socketState(sock(j)) != S_CLOSED) j++;
  if (j >= SOCKETS) return ERR_SOCK_NO_SLOT;
  installLayer(KIND_TLS, tlsLayer);   // so that the socket_* exports reach it as any socket
  const r = tlsSocketOpen(sock(i), sock(j), KIND_ESP, host, hostLen, port, cfg, timeoutMs);
  if (r < 0) { store<u8>(sock(i), S_CLOSED, 1); return r; }
  return i;
}
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
  return socketClose(sock(s));   // a TLS socket: close_notify, then the inner socket
}
export function socket_state(s: i32): i32 { return <u32>s < <u32>SOCKETS ? socketState(sock(s)) : ERR_BAD_ARGUMENT; }
export function socket_error(s: i32): i32 { return <u32>s < <u32>SOCKETS ? socketLastError(sock(s)) : ERR_BAD_ARGUMENT; }
