// TcpSocket: a socket over an ESP8266 link (../esp8266/link.ts). The handle is
// the link id; the end of stream (ERR_LINK_CLOSED) becomes ERR_SOCK_CLOSED.
import { linkOpen, linkWrite, linkRead, linkClose } from "../esp8266/link";
import { ERR_LINK_CLOSED } from "../esp8266/errors";
import { ERR_SOCK_CLOSED } from "./errors";

function eof(r: i32): i32 { return r == ERR_LINK_CLOSED ? ERR_SOCK_CLOSED : r; }

export function tcpSocketOpen(host: usize, hostLen: i32, port: i32): i32 { return linkOpen(host, hostLen, port); }
export function tcpSocketWrite(h: i32, p: usize, n: i32): i32 { return eof(linkWrite(h, p, n)); }
export function tcpSocketRead(h: i32, p: usize, n: i32, timeoutMs: i32): i32 { return eof(linkRead(h, p, n, timeoutMs)); }
export function tcpSocketClose(h: i32): i32 { return linkClose(h); }
