// HostSocket: a socket over the board's own TCP (the tcp_* imports): the
// native board and V8 tests; boards without it answer -1 (ERR_SOCK_HOST_OPEN).
import { tcpOpen, tcpWrite, tcpRead, tcpClose } from "../host";
import { ERR_BAD_ARGUMENT } from "../errors";
import { ERR_SOCK_CLOSED, ERR_SOCK_HOST_OPEN, ERR_SOCK_HOST_IO } from "./errors";

export function hostSocketOpen(host: usize, hostLen: i32, port: i32): i32 {
  if (hostLen < 1 || hostLen > 127 || port < 1 || port > 65535) return ERR_BAD_ARGUMENT;
  const h = tcpOpen(host, hostLen, port);
  return h < 0 ? ERR_SOCK_HOST_OPEN : h;
}
export function hostSocketWrite(h: i32, p: usize, n: i32): i32 {
  if (n < 0) return ERR_BAD_ARGUMENT;
  return n == 0 ? 0 : tcpWrite(h, p, n) == n ? n : ERR_SOCK_HOST_IO;
}
// The host answers < 0 at the end of the stream and on errors alike.
export function hostSocketRead(h: i32, p: usize, n: i32, timeoutMs: i32): i32 {
  if (n < 0 || timeoutMs < 0) return ERR_BAD_ARGUMENT;
  if (n == 0) return 0;
  const r = tcpRead(h, p, n, timeoutMs);
  return r < 0 ? ERR_SOCK_CLOSED : min(r, n);
}
export function hostSocketClose(h: i32): i32 {
  tcpClose(h);
  return 0;
}
