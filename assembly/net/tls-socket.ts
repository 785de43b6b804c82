// TlsSocket: TLS 1.3 over any Socket, with the Socket contract (socket.ts):
// write -> n or an error; read -> 1..n, 0 on timeout, ERR_SOCK_CLOSED at the
// end of the stream; close; state and last error in the same 12-byte layout
// (kind KIND_TLS), so application code reads and writes the same way over
// TCP or TLS (socket.ts reaches these functions through the layer entry,
// tlsLayer, that TlsSocket.wrap installs).
// Implementation notes: it pumps the sans-I/O engine (tls/engine.ts) the way
// BearSSL's run_until does: flush pending records first, stop when the
// engine is in the wanted state, otherwise read from the inner socket into
// the engine's input buffer. One engine, so one TlsSocket at a time. The
// inner socket's pointer is kept in the TlsSocket's handle field.
// A TlsSocket is SOCKET_SIZE bytes of caller memory (no RAM of its own).
import {
  SOCKET_SIZE, S_OPEN, S_EOF, S_FAILED, S_CLOSED, socketOpen, socketWrite, socketRead, socketClose,
  LAYER_BEGIN, LAYER_POLL, LAYER_WRITE, LAYER_READ,
} from "./socket";
import { ERR_SOCK_CLOSED } from "./errors";
import {
  tlsConfigure, tlsStart, tlsState, tlsLastError, tlsBufLen, tlsSendrecBuf, tlsSendrecAck,
  tlsRecvrecBuf, tlsRecvrecAck, tlsSendappBuf, tlsSendappAck, tlsRecvappBuf, tlsRecvappAck,
  tlsClose, tlsFail, tlsWork, SENDREC, RECVREC, SENDAPP, RECVAPP, CLOSED, WORK, CFG_IN, CFG_OUT, CFG_SNI,
  CFG_FLAGS, F_STEPS,
} from "../tls/engine";
import { ERR_TLS_TIMEOUT, ERR_TLS_TRANSPORT, ERR_TLS_PEER_CLOSED } from "../tls/errors";
import { TLS_IN, TLS_IN_SIZE, TLS_OUT, TLS_OUT_SIZE } from "../tls/buffers";
import { millis } from "../host";

export const KIND_TLS: u8 = 3;

function inner(s: usize): usize { return <usize>load<u32>(s, 4); }

// Records a result on the TlsSocket (errors stick, the clean end is EOF).
function settle(s: usize, r: i32): i32 {
  if (r >= 0) return r;
  store<u8>(s, r == ERR_SOCK_CLOSED ? S_EOF : S_FAILED, 1);
  store<i32>(s, r, 8);
  return r;
}

// Runs the engine until its state has one of the `target` bits (0 when it
// has), it closes (its error, or ERR_SOCK_CLOSED after close_notify), or
// the deadline passes (ERR_TLS_TIMEOUT; timeoutMs 0: one read attempt).
// With `step`, returns PUMP_MORE after each unit of work instead of going on:
// one record written, one read from the inner socket, or the engine taking
// what was read (so the transport's code and the engine's run in different
// calls: a host that frees wasm3's compiled code between calls needs less at
// a time; see tlsSocketPoll).
const PUMP_MORE = 1;
let pendingIn: i32 = 0;    // bytes read into the engine's buffer, not yet taken (step mode)
function pump(s: usize, target: i32, timeoutMs: i32, step: bool = false): i32 {
  const start = millis();
  const sock = inner(s);
  while (true) {
    if (pendingIn) {
      const n = pendingIn;
      pendingIn = 0;
      tlsRecvrecAck(n);
      if (step) return PUMP_MORE;
      continue;
    }
    const st = tlsState();
    if (st & WORK) {                     // the engine paused between two pieces of work (F_STEPS)
      tlsWork();
      if (step) return PUMP_MORE;
      continue;
    }
    if (st & SENDREC) {
      const p = tlsSendrecBuf();
      const r = socketWrite(sock, p, tlsBufLen());
      if (r < 0) {
        // After the peer's close_notify our answering one may find the
        // connection gone: the stream still ended cleanly.
        if (tlsLastError() == ERR_TLS_PEER_CLOSED) { tlsSendrecAck(tlsBufLen()); continue; }
        // Our alert could not go out: the engine's error says why we sent it.
        const e = tlsLastError();
        tlsFail(ERR_TLS_TRANSPORT);
        return e ? e : r;
      }
      tlsSendrecAck(r);
      if (step) return PUMP_MORE;
      continue;
    }
    if (st & target) return 0;
    if (st & CLOSED) {
      const e = tlsLastError();
      return e == ERR_TLS_PEER_CLOSED ? ERR_SOCK_CLOSED : e;
    }
    const waited = <i32>(millis() - start);
    if (waited > timeoutMs) return ERR_TLS_TIMEOUT;
    const p = tlsRecvrecBuf();
    const r = socketRead(sock, p, tlsBufLen(), timeoutMs - waited);
    if (r < 0) {
      // The peer hung up without close_notify (a truncation) or the link failed.
      tlsFail(ERR_TLS_TRANSPORT);
      return ERR_TLS_TRANSPORT;
    }
    if (r == 0) {
      if (timeoutMs == 0) return 0;
      if (step) return PUMP_MORE;
      continue;
    }
    if (step) { pendingIn = r; return PUMP_MORE; }
    tlsRecvrecAck(r);
  }
}

// Opens the inner socket (kind, host, port), then the TLS connection with
// the engine configuration block cfg (tls/engine.ts CFG_*; the record
// buffers default to tls/buffers.ts and the server name to host). Returns 0
// once application data can flow, or the first error (the socket is closed).
export function tlsSocketOpen(s: usize, sock: usize, kind: u8, host: usize, hostLen: i32, port: i32,
                              cfg: usize, timeoutMs: i32): i32 {
  let r = tlsSocketBegin(s, sock, kind, host, hostLen, port, cfg, timeoutMs);
  if (r == 0) do r = tlsSocketPoll(s); while (r > 0);
  return r;
}

// The same in steps: tlsSocketBegin opens the inner socket and starts the
// handshake (0 or the first error); then each tlsSocketPoll does one unit of
// the handshake and returns 1 while it goes on, 0 once application data can
// flow, or the first error (the socket is closed). The deadline is
// timeoutMs after tlsSocketBegin. One handshake at a time (one engine).
let deadline: u32 = 0;
export function tlsSocketBegin(s: usize, sock: usize, kind: u8, host: usize, hostLen: i32, port: i32,
                               cfg: usize, timeoutMs: i32): i32 {
  store<u8>(s, KIND_TLS);
  store<u8>(s, S_CLOSED, 1);
  store<u32>(s, <u32>sock, 4);
  store<i32>(s, 0, 8);
  pendingIn = 0;
  deadline = millis() + <u32>timeoutMs;
  if (!load<u32>(cfg, CFG_IN)) { store<u32>(cfg, <u32>TLS_IN, CFG_IN); store<u32>(cfg, TLS_IN_SIZE, CFG_IN + 4); }
  if (!load<u32>(cfg, CFG_OUT)) { store<u32>(cfg, <u32>TLS_OUT, CFG_OUT); store<u32>(cfg, TLS_OUT_SIZE, CFG_OUT + 4); }
  if (!load<u32>(cfg, CFG_SNI + 4)) { store<u32>(cfg, <u32>host, CFG_SNI); store<u32>(cfg, hostLen, CFG_SNI + 4); }
  store<u8>(cfg, load<u8>(cfg, CFG_FLAGS) | F_STEPS, CFG_FLAGS);   // pause between pieces of work (pump)
  let r = tlsConfigure(cfg);
  if (r == 0) r = socketOpen(sock, kind, host, hostLen, port);
  if (r == 0) r = tlsStart();
  if (r < 0) { socketClose(sock); return settle(s, r); }
  return 0;
}
export function tlsSocketPoll(s: usize): i32 {
  const left = <i32>(deadline - millis());
  const r = left < 0 ? ERR_TLS_TIMEOUT : pump(s, SENDAPP, left, true);
  if (r > 0) return r;
  if (r < 0) { pendingIn = 0; socketClose(inner(s)); return settle(s, r); }
  store<u8>(s, S_OPEN, 1);
  return 0;
}

export function tlsSocketWrite(s: usize, p: usize, n: i32): i32 {
  // First take in what already arrived (an alert explains a refused write
  // better than the broken pipe would; tickets and KeyUpdates get handled).
  const r0 = pump(s, RECVAPP, 0);
  if (r0 < 0 && r0 != ERR_TLS_TIMEOUT) return settle(s, r0);
  let done = 0;
  while (done < n) {
    const r = pump(s, SENDAPP, 10000);
    if (r < 0) return settle(s, r);
    const b = tlsSendappBuf();
    const k = min(n - done, tlsBufLen());
    memory.copy(b, p + <usize>done, k);
    tlsSendappAck(k);
    done += k;
  }
  const r = pump(s, SENDAPP, 10000);   // flush
  return r < 0 ? settle(s, r) : n;
}

// 1..n bytes, 0 on timeout, ERR_SOCK_CLOSED after the peer's close_notify.
export function tlsSocketRead(s: usize, p: usize, n: i32, timeoutMs: i32): i32 {
  const r = pump(s, RECVAPP, timeoutMs);
  if (r == ERR_TLS_TIMEOUT) return 0;
  if (r < 0) return settle(s, r);
  if (!(tlsState() & RECVAPP)) return 0;
  const b = tlsRecvappBuf();
  const k = min(n, tlsBufLen());
  memory.copy(p, b, k);
  tlsRecvappAck(k);
  return k;
}

// The layer's entry (socket.ts installLayer, net/api.ts TlsSocket.wrap):
// the socket functions reach a TlsSocket through it. For LAYER_BEGIN the
// inner socket (its pointer in the handle field) has its kind; the
// configuration block's pointer follows the socket at SOCKET_SIZE.
export function tlsLayer(op: i32, s: usize, p: usize, n: i32, port: i32, timeoutMs: i32): i32 {
  switch (op) {
    case LAYER_BEGIN: {
      const sock = inner(s);
      return tlsSocketBegin(s, sock, load<u8>(sock), p, n, port, <usize>load<u32>(s, SOCKET_SIZE), timeoutMs);
    }
    case LAYER_POLL: return tlsSocketPoll(s);
    case LAYER_WRITE: return tlsSocketWrite(s, p, n);
    case LAYER_READ: return tlsSocketRead(s, p, n, timeoutMs);
  }
  return tlsSocketClose(s);
}

// Sends close_notify, then closes the inner socket.
export function tlsSocketClose(s: usize): i32 {
  tlsClose();
  pump(s, 0, 1000);
  return socketClose(inner(s));
}
