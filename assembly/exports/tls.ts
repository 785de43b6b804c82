// Exports of the TLS 1.3 client engine (assembly/tls/engine.ts) for hosts:
// the tests and bin/tls-client drive the engine through these, moving bytes
// between its record buffers and their own sockets.
import {
  tlsConfigure, tlsStart, tlsState, tlsLastError, tlsAlertSent, tlsBufLen, tlsHandshakeState,
  tlsSendrecBuf, tlsSendrecAck, tlsRecvrecBuf, tlsRecvrecAck, tlsSendappBuf, tlsSendappAck,
  tlsRecvappBuf, tlsRecvappAck, tlsClose, tlsKeyUpdate, tlsSuite, tlsGroup, tlsAlpn, tlsMaxPlain,
  tlsTestInject, TLS_STATIC_RAM,
} from "../tls/engine";
import { SCHEDULE_RAM } from "../tls/schedule";
import { TLS_IN, TLS_IN_SIZE, TLS_OUT, TLS_OUT_SIZE } from "../tls/buffers";
import { inMemory } from "../io";
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
