// The one Socket interface: a byte stream with open, write, read with a
// timeout, close, state and last error. A socket is SOCKET_SIZE bytes of
// caller memory; its kind picks the implementation (tagged dispatch: one
// switch per operation, no classes, no allocation).
//   KIND_ESP   TcpSocket over an ESP8266 link (tcp.ts)
//   KIND_HOST  HostSocket over the board's tcp_* imports (host.ts)
// A layer such as TLS wraps any socket by keeping its pointer and calling
// socketRead/socketWrite on it; it installs its own kind into these switches
// (installLayer) so that application code calls the same functions on it.
//
// Contract
//   socketWrite(s, p, n)        -> n, or an error
//   socketRead(s, p, n, ms)     -> 1..n bytes, 0 on timeout, or an error;
//                                  ERR_SOCK_CLOSED at the end of the stream
//   socketClose(s)              -> 0 or an error; the socket is closed after it
//   socketState / socketLastError
// The first error other than a timeout sticks: the socket is FAILED and every
// later read/write returns that error until it is closed.
import { tcpSocketOpen, tcpSocketWrite, tcpSocketRead, tcpSocketClose } from "./tcp";
import { hostSocketOpen, hostSocketWrite, hostSocketRead, hostSocketClose } from "./host";
import { ERR_SOCK_CLOSED, ERR_SOCK_NOT_OPEN, ERR_SOCK_KIND } from "./errors";
import { FULL } from "../config";

// HostSocket (the board's own TCP: native board, V8 tests) is compiled into
// the full profile only: a device has no host TCP, its sockets are ESP8266
// links (the constant condition drops the cases from the device profile).
const HOST_TCP: bool = FULL;

// Layout: +0 kind u8, +1 state u8, +4 handle i32, +8 last error i32.
export const SOCKET_SIZE: i32 = 12;

export const KIND_ESP: u8 = 1;
export const KIND_HOST: u8 = 2;

export const S_CLOSED: u8 = 0;
export const S_OPEN: u8 = 1;
export const S_EOF: u8 = 2;      // the peer closed; reads return ERR_SOCK_CLOSED
export const S_FAILED: u8 = 3;   // an error stuck (socketLastError)

export function socketState(s: usize): i32 { return load<u8>(s, 1); }
export function socketLastError(s: usize): i32 { return load<i32>(s, 8); }
export function socketHandle(s: usize): i32 { return load<i32>(s, 4); }

// Records a result: errors other than timeouts stick.
function settle(s: usize, r: i32): i32 {
  if (r >= 0) return r;
  if (r == ERR_SOCK_CLOSED) store<u8>(s, S_EOF, 1);
  else store<u8>(s, S_FAILED, 1);
  store<i32>(s, r, 8);
  return r;
}

// The layer over sockets (TLS: tls-socket.ts), installed by the layer when
// its first socket is made (net/api.ts TlsSocket.wrap): the switches below
// reach it through these references, so a build without it (the gateway)
// compiles none of its code.
// One entry point, op first (a function reference is a 32-byte static
// object in linear memory: one, not five): layer(op, s, p, n, port, ms)
//   LAYER_BEGIN (s, host, hostLen, port, timeoutMs)   LAYER_POLL (s)
//   LAYER_WRITE (s, p, n)   LAYER_READ (s, p, n, _, timeoutMs)   LAYER_CLOSE (s)
export const LAYER_BEGIN = 0;
export const LAYER_POLL = 4;
export const LAYER_WRITE = 1;
export const LAYER_READ = 2;
export const LAYER_CLOSE = 3;
let layerKind: u8 = 0;
let layer: u32 = 0;        // function table index (call_indirect)
export function installLayer(kind: u8, entry: (op: i32, s: usize, p: usize, n: i32, port: i32, timeoutMs: i32) => i32): void {
  layerKind = kind;
  layer = entry.index;
}

// Opens a socket whose kind is already set (the object API, net/api.ts):
// the transports connect to host:port; a layer opens its inner socket, then
// itself, within timeoutMs. Returns 0 or an error.
export function socketConnect(s: usize, host: usize, hostLen: i32, port: i32, timeoutMs: i32): i32 {
  let r = socketBegin(s, host, hostLen, port, timeoutMs);
  if (r == 0) do r = socketPoll(s); while (r > 0);
  return r;
}
// The same in steps: socketBegin, then socketPoll until it returns 0 (open)
// or an error; 1 means "call again" (a layer's handshake goes on). A
// transport connects in socketBegin and its poll answers at once.
export function socketBegin(s: usize, host: usize, hostLen: i32, port: i32, timeoutMs: i32): i32 {
  const kind = load<u8>(s);
  if (kind != 0 && kind == layerKind) return call_indirect<i32>(layer, LAYER_BEGIN, s, host, hostLen, port, timeoutMs);
  return socketOpen(s, kind, host, hostLen, port);
}
export function socketPoll(s: usize): i32 {
  if (load<u8>(s) == layerKind && load<u8>(s, 1) == S_CLOSED) return call_indirect<i32>(layer, LAYER_POLL, s, 0, 0, 0, 0);
  return usable(s);
}

// Opens host:port over the given kind. Returns 0 or an error.
export function socketOpen(s: usize, kind: u8, host: usize, hostLen: i32, port: i32): i32 {
  store<u8>(s, kind);
  store<u8>(s, S_CLOSED, 1);
  store<i32>(s, -1, 4);
  store<i32>(s, 0, 8);
  let h: i32;
  switch (kind) {
    case KIND_ESP: h = tcpSocketOpen(host, hostLen, port); break;
    case KIND_HOST: h = HOST_TCP ? hostSocketOpen(host, hostLen, port) : ERR_SOCK_KIND; break;
    default: h = ERR_SOCK_KIND;
  }
  if (h < 0) return settle(s, h);
  store<i32>(s, h, 4);
  store<u8>(s, S_OPEN, 1);
  return 0;
}

// 0 when the socket can move bytes; its sticking error otherwise.
function usable(s: usize): i32 {
  const st = load<u8>(s, 1);
  if (st == S_OPEN) return 0;
  if (st == S_EOF) return ERR_SOCK_CLOSED;
  if (st == S_FAILED) return load<i32>(s, 8);
  return ERR_SOCK_NOT_OPEN;
}

export function socketWrite(s: usize, p: usize, n: i32): i32 {
  let r = usable(s);
  if (r < 0) return r;
  const h = load<i32>(s, 4);
  switch (load<u8>(s)) {
    case KIND_ESP: r = tcpSocketWrite(h, p, n); break;
    case KIND_HOST: r = HOST_TCP ? hostSocketWrite(h, p, n) : ERR_SOCK_KIND; break;
    default: r = load<u8>(s) == layerKind ? call_indirect<i32>(layer, LAYER_WRITE, s, p, n, 0, 0) : ERR_SOCK_KIND;
  }
  return settle(s, r);
}

export function socketRead(s: usize, p: usize, n: i32, timeoutMs: i32): i32 {
  let r = usable(s);
  if (r < 0) return r;
  const h = load<i32>(s, 4);
  switch (load<u8>(s)) {
    case KIND_ESP: r = tcpSocketRead(h, p, n, timeoutMs); break;
    case KIND_HOST: r = HOST_TCP ? hostSocketRead(h, p, n, timeoutMs) : ERR_SOCK_KIND; break;
    default: r = load<u8>(s) == layerKind ? call_indirect<i32>(layer, LAYER_READ, s, p, n, 0, timeoutMs) : ERR_SOCK_KIND;
  }
  return settle(s, r);
}

export function socketClose(s: usize): i32 {
  const st = load<u8>(s, 1);
  store<u8>(s, S_CLOSED, 1);
  if (st == S_CLOSED) return 0;
  const h = load<i32>(s, 4);
  switch (load<u8>(s)) {
    case KIND_ESP: return tcpSocketClose(h);
    case KIND_HOST: return HOST_TCP ? hostSocketClose(h) : ERR_SOCK_KIND;
  }
  return load<u8>(s) == layerKind ? call_indirect<i32>(layer, LAYER_CLOSE, s, 0, 0, 0, 0) : ERR_SOCK_KIND;
}
