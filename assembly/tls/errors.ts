// TLS error codes: -128 .. -255 (see assembly/errors.ts for the ranges).
// Alerts travel in the same number space: an alert received from the peer is
// -(512 + description), one we sent (close_notify on close) -(768 + description).
// Every engine error maps to the alert the engine sends for it through ONE
// table (ALERT_OF below); X.509 codes map through x509Alert. The names the
// CLI and the tests print are read from this file by the host (no strings in
// linear memory).
import { x509Alert } from "../x509/errors";

export const ERR_TLS_UNEXPECTED_MESSAGE: i32 = -128;   // a message or record type the state does not expect
export const ERR_TLS_BAD_RECORD_MAC: i32 = -129;       // a record's AEAD tag does not verify
export const ERR_TLS_RECORD_OVERFLOW: i32 = -130;      // a record longer than allowed or than the input buffer
export const ERR_TLS_DECODE: i32 = -131;               // a handshake message does not parse (lengths, trailing bytes)
export const ERR_TLS_BAD_RECORD_TYPE: i32 = -132;      // unknown record content type
export const ERR_TLS_VERSION: i32 = -133;              // the server did not select TLS 1.3
export const ERR_TLS_DOWNGRADE: i32 = -134;            // ServerHello.random carries the TLS 1.2/1.1 downgrade sentinel
export const ERR_TLS_BAD_SUITE: i32 = -135;            // the server picked a cipher suite we did not offer
export const ERR_TLS_BAD_GROUP: i32 = -136;            // key share / HRR group not offered, or HRR for the group we sent
export const ERR_TLS_BAD_KEY_SHARE: i32 = -137;        // the server's key share is malformed or an invalid point
export const ERR_TLS_BAD_SESSION_ID: i32 = -138;       // legacy_session_id_echo differs from ours
export const ERR_TLS_BAD_COMPRESSION: i32 = -139;      // legacy_compression_method is not 0
export const ERR_TLS_UNSOLICITED_EXTENSION: i32 = -140; // an extension we did not ask for (or not allowed there)
export const ERR_TLS_DUPLICATE_EXTENSION: i32 = -141;  // the same extension twice in one block
export const ERR_TLS_MISSING_EXTENSION: i32 = -142;    // supported_versions / key_share missing
export const ERR_TLS_SECOND_HRR: i32 = -143;           // a second HelloRetryRequest
export const ERR_TLS_HRR_NO_CHANGE: i32 = -144;        // HelloRetryRequest that would not change the ClientHello
export const ERR_TLS_BAD_SIG_SCHEME: i32 = -145;       // CertificateVerify with a scheme we did not offer
export const ERR_TLS_BAD_SIGNATURE: i32 = -146;        // CertificateVerify does not verify
export const ERR_TLS_BAD_FINISHED: i32 = -147;         // the server's Finished does not verify
export const ERR_TLS_EMPTY_CERTIFICATE: i32 = -148;    // the server sent no certificate
export const ERR_TLS_MSG_TOO_LARGE: i32 = -149;        // a handshake message larger than the message buffer
export const ERR_TLS_BAD_ALPN: i32 = -150;             // ALPN answer not one protocol we offered
export const ERR_TLS_BAD_MFL: i32 = -151;              // max_fragment_length answer differs from our request
export const ERR_TLS_BAD_RSL: i32 = -152;              // record_size_limit below 64
export const ERR_TLS_CLOSED: i32 = -153;               // the engine is closed (call after the end)
export const ERR_TLS_CONFIG: i32 = -154;               // bad configuration (no suite, no group, buffers too small)
export const ERR_TLS_OUT_FULL: i32 = -155;             // the output buffer cannot hold the next flight
export const ERR_TLS_BAD_KEY_UPDATE: i32 = -156;       // KeyUpdate request_update is not 0 or 1
export const ERR_TLS_POST_HS_AUTH: i32 = -157;         // post-handshake CertificateRequest (we did not offer it)
export const ERR_TLS_CRYPTO: i32 = -158;               // a crypto primitive failed (key generation, AEAD state)
export const ERR_TLS_BAD_CCS: i32 = -159;              // ChangeCipherSpec that is not the compatibility one
export const ERR_TLS_NOT_VERIFIED: i32 = -160;         // entering application data without every proof (a bug)
export const ERR_TLS_EMPTY_RECORD: i32 = -161;         // zero-length handshake/alert record, or no content type
export const ERR_TLS_KEY_CHANGE: i32 = -162;           // a record continues past a key change (or past HRR)
export const ERR_TLS_BAD_ALERT: i32 = -163;            // an alert record that is not 2 bytes
export const ERR_TLS_BAD_PSK: i32 = -164;              // selected_identity out of range / PSK with unexpected key share
export const ERR_TLS_BAD_CERT_CONTEXT: i32 = -165;     // server Certificate with a non-empty request context
export const ERR_TLS_CERT_EXTENSION: i32 = -166;       // an extension in a CertificateEntry (we asked for none)
export const ERR_TLS_SIGN: i32 = -167;                 // client CertificateVerify could not be signed
export const ERR_TLS_TIMEOUT: i32 = -168;              // TlsSocket: the peer stalled past the deadline
export const ERR_TLS_TRANSPORT: i32 = -169;            // TlsSocket: the underlying socket failed or closed mid-record
export const ERR_TLS_BAD_TICKET: i32 = -170;           // NewSessionTicket malformed
// Next free code: -171

export const TLS_RECV_ALERT: i32 = -512;   // - (512 + description): alert received
export const TLS_SENT_ALERT: i32 = -768;   // - (768 + description): alert we sent on close
export const ERR_TLS_PEER_CLOSED: i32 = -512;   // close_notify received (clean end of stream)

// Alert descriptions (RFC 8446 6.2) used here.
export const ALERT_CLOSE_NOTIFY: u8 = 0;
export const ALERT_UNEXPECTED_MESSAGE: u8 = 10;
export const ALERT_BAD_RECORD_MAC: u8 = 20;
export const ALERT_RECORD_OVERFLOW: u8 = 22;
export const ALERT_HANDSHAKE_FAILURE: u8 = 40;
export const ALERT_ILLEGAL_PARAMETER: u8 = 47;
export const ALERT_DECODE_ERROR: u8 = 50;
export const ALERT_DECRYPT_ERROR: u8 = 51;
export const ALERT_PROTOCOL_VERSION: u8 = 70;
export const ALERT_INTERNAL_ERROR: u8 = 80;
export const ALERT_USER_CANCELED: u8 = 90;
export const ALERT_MISSING_EXTENSION: u8 = 109;
export const ALERT_UNSUPPORTED_EXTENSION: u8 = 110;
const NONE: u8 = 255;   // no alert (local failure: the peer did nothing wrong)

// THE table: the alert sent for ERR_TLS_* code c is ALERT_OF[-128 - c].
// RAM: 43 bytes of data segment.
const ALERT_OF: usize = memory.data<u8>([
  10, 20, 22, 50, 10, 70, 47, 47, 47, 47,        // -128 .. -137
  47, 47, 110, 47, 109, 10, 47, 47, 51, 51,      // -138 .. -147
  50, 80, 47, 47, 47, NONE, NONE, 80, 47, 10,    // -148 .. -157
  80, 10, 80, 10, 10, 50, 47, 47, 110, 80,       // -158 .. -167
  NONE, NONE, 50,                                // -168 .. -170
]);
const TLS_CODES: i32 = 43;

// The alert to send when the engine fails with `err`, or -1 for none
// (a received alert, a local failure, an error of the transport).
export function tlsAlertFor(err: i32): i32 {
  if (err <= -128 && err > -128 - TLS_CODES) {
    const a = load<u8>(ALERT_OF + <usize>(-128 - err));
    return a == NONE ? -1 : a;
  }
  if (err <= -64 && err > -128) return x509Alert(err);
  if (err <= -16 && err > -64) return ALERT_INTERNAL_ERROR;   // crypto
  return -1;
}
