// Exports of the TLS 1.3 client engine (assembly/tls/engine.ts) for hosts:
// the tests and bin/tls-client drive the engine through these, moving bytes
// between its record buffers and their own sockets.
import {
  tlsConfigure, tlsStart, tlsState, tlsLastError, tlsAlertSent, tlsBufLen, tlsHandshakeState,
  tlsSendrecBuf, tlsSendrecAck, tlsRecvrecBuf, tlsRecvrecAck, tlsSendappBuf, tlsSendappAck,
  tlsRecvappBuf, tlsRecvappAck, tlsClose, tlsKeyUpdate, tlsSuite, tlsGroup, tlsAlpn, tlsMaxPlain,
  tlsTestInject, tlsResumed, tlsPeerScheme, tlsPeerRsl, TLS_STATIC_RAM,
} from "../tls/engine";
import { SCHEDULE_RAM } from "../tls/schedule";
import { TLS_IN, TLS_IN_SIZE, TLS_OUT, TLS_OUT_SIZE } from "../tls/buffers";
import { inMemory } from "../io";
import { SOCKET_SIZE, KIND_HOST } from "../net/socket";
import { tlsSocketOpen, tlsSocketWrite, tlsSocketRead, tlsSocketClose } from "../net/tls-socket";
import { CFG_SIZE } from "../tls/engine";
import { ERR_BAD_POINTER } from "../errors";

export function tls_in_buffer(): usize { return TLS_IN; }
export function tls_in_size(): i32 { return TLS_IN_SIZE; }
export function tls_out_buffer(): usize { return TLS_OUT; }
export function tls_out_size(): i32 { return TLS_OUT_SIZE; }
// The engine's own RAM: its static memory except the record buffers.
export function tls_ram(): i32 { return TLS_STATIC_RAM + SCHEDULE_RAM; }

export function tls_configure(cfg: usize): i32 { return tlsConfigure(cfg); }
export function tls_start(): i32 { return tlsStart(); }
export function tls_state(): i32 { return tlsState(); }
export function tls_last_error(): i32 { return tlsLastError(); }
export function tls_alert_sent(): i32 { return tlsAlertSent(); }
export function tls_buf_len(): i32 { return tlsBufLen(); }
export function tls_handshake_state(): i32 { return tlsHandshakeState(); }
export function tls_sendrec_buf(): usize { return tlsSendrecBuf(); }
export function tls_sendrec_ack(n: i32): i32 { return tlsSendrecAck(n); }
export function tls_recvrec_buf(): usize { return tlsRecvrecBuf(); }
export function tls_recvrec_ack(n: i32): i32 { return tlsRecvrecAck(n); }
export function tls_sendapp_buf(): usize { return tlsSendappBuf(); }
export function tls_sendapp_ack(n: i32): i32 { return tlsSendappAck(n); }
export function tls_recvapp_buf(): usize { return tlsRecvappBuf(); }
export function tls_recvapp_ack(n: i32): i32 { return tlsRecvappAck(n); }
export function tls_close(): void { tlsClose(); }
export function tls_key_update(request: i32): i32 { return tlsKeyUpdate(request != 0); }
export function tls_suite(): i32 { return tlsSuite(); }
export function tls_group(): i32 { return tlsGroup(); }
export function tls_alpn(): usize { return tlsAlpn(); }
export function tls_max_plain(): i32 { return tlsMaxPlain(); }
export function tls_resumed(): i32 { return tlsResumed() ? 1 : 0; }
export function tls_peer_scheme(): i32 { return tlsPeerScheme(); }
export function tls_peer_record_size_limit(): i32 { return tlsPeerRsl(); }

// Test only: the next random bytes the engine draws (client random, session
// id, key share private keys, in that order), a ClientHello message to send
// instead of its own, a client CertificateVerify signature. All pointers
// must stay valid for the whole handshake.
export function tls_test_inject(rand: usize, randLen: i32, ch: usize, chLen: i32, sig: usize, sigLen: i32): i32 {
  if (randLen < 0 || chLen < 0 || sigLen < 0) return ERR_BAD_POINTER;
  if ((randLen && !inMemory(rand, randLen)) || (chLen && !inMemory(ch, chLen)) || (sigLen && !inMemory(sig, sigLen))) return ERR_BAD_POINTER;
  tlsTestInject(rand, randLen, ch, chLen, sig, sigLen);
  return 0;
}

// ---- TlsSocket over a HostSocket (tests, bin/tls-client) ----------------------
// One connection at a time: the TLS socket and its inner host socket live
// here. RAM: 2 x SOCKET_SIZE.
const TSOCK: usize = memory.data(SOCKET_SIZE);
const INNER: usize = memory.data(SOCKET_SIZE);

// Connects to host:port over host TCP and runs the handshake with the
// configuration block at cfg (record buffers default to tls_in/out_buffer).
export function tls_socket_connect(host: usize, hostLen: i32, port: i32, cfg: usize, timeoutMs: i32): i32 {
  if (hostLen < 0 || !inMemory(host, hostLen) || !inMemory(cfg, CFG_SIZE)) return ERR_BAD_POINTER;
  return tlsSocketOpen(TSOCK, INNER, KIND_HOST, host, hostLen, port, cfg, timeoutMs);
}
export function tls_socket_write(p: usize, n: i32): i32 {
  if (n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return tlsSocketWrite(TSOCK, p, n);
}
export function tls_socket_read(p: usize, n: i32, timeoutMs: i32): i32 {
  if (n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return tlsSocketRead(TSOCK, p, n, timeoutMs);
}
export function tls_socket_close(): i32 { return tlsSocketClose(TSOCK); }
