// The telemetry app: join WiFi, open a TLS connection (TlsSocket over the
// ESP8266's TcpSocket) to the configured host with the server's certificate
// validated, POST the temperature as JSON with HTTP basic auth every
// interval, check the response status; on failure close, back off, re-join
// WiFi when the link says so, and reconnect (resuming from the session
// ticket when the server gave one). Stops after REPORTS readings.
// Configuration: config.gen.ts, generated at build time (tools/gen-config.ts)
// from config/device.json. The gateway build (PLAIN_HTTP) posts plain HTTP
// over the TcpSocket and compiles no TLS call.
// Secrets (PSK, credentials) never reach the log: only their lengths and
// the host name are logged.
// RAM: none of its own besides the configuration data (config.gen.ts) and
// the log texts; buffers are in IO[0, 1024).
import { IO } from "../io";
import { FULL } from "../config";
import * as log from "../log";
import {
  millis, sleepMs, temperature, wallClock, ledState, buttonPressed, LED_JOINING, LED_HANDSHAKE, LED_OK, LED_ERROR,
} from "../host";
import { JOINED, DOWN } from "../esp8266/at";
import { ERR_NOT_READY, ERR_NOT_JOINED, ERR_AT_REBOOTED, ERR_AT_UART, ERR_LINK_LOST, ERR_AT_TIMEOUT } from "../esp8266/errors";
import { Wifi, Join, Socket, TcpSocket, TlsSocket, TlsBuffers } from "../net/api";
import { CFG_SIZE, CFG_SUITES, CFG_GROUPS, CFG_NOW, CFG_TICKET, tlsResumed, tlsSuite } from "../tls/engine";
import { anchorAdd } from "../x509/anchors";
import {
  SSID, SSID_LEN, PSK, PSK_LEN, HOST, HOST_LEN, PORT, REQUEST_HEAD, REQUEST_HEAD_LEN, DEVICE, DEVICE_LEN,
  CA_DER, CA_DER_LEN, INTERVAL_MS, REPORTS, RECONNECT_EACH_REPORT, PLAIN_HTTP, TEXT,
} from "./config.gen";
import * as T from "./config.gen";
import { ERR_APP_HTTP_STATUS, ERR_APP_BAD_RESPONSE, ERR_APP_NO_RESPONSE, ERR_APP_GAVE_UP } from "./errors";


// Everything lives in the host scratch IO[0, 1024) below the TLS record
// buffers (tls/buffers.ts): no host uses it on the device. The station and
// socket objects (net/api.ts, ~60 bytes) are made once at start.
const TICKET_CAP: i32 = 320;
const TICKET: usize = IO;                   // 320 bytes, kept across connections
const CFG: usize = IO + 320;                // 80 bytes (CFG_SIZE)
const REQ: usize = IO + 432;                // 320 bytes: the request
const RESP: usize = IO + 752;               // 272 bytes: the response head (and small body)
const RESP_CAP: i32 = 272;

const MAX_FAILURES: i32 = 8;
const IO_MS: i32 = 20000;

let connected = false;
let handshakes: i32 = 0;
let resumed: i32 = 0;
let fullMs: i32 = 0;       // last full handshake, ms
let resumedMs: i32 = 0;    // last resumed handshake, ms
let timeBase: i64 = 0;     // SNTP seconds at millis() == timeAt
let timeAt: u32 = 0;

// Decimal digits of v >= 0 at p; returns the count.
function putDec(p: usize, v: i32): i32 {
  let n = 0, t = v;
  do { n++; t /= 10; } while (t);
  for (let i = n - 1; i >= 0; i--) { store<u8>(p + i, 48 + v % 10); v /= 10; }
  return n;
}

// A text t of config.gen.ts (offset << 8 | length into TEXT).
function textAt(t: i32): usize { return TEXT + <usize>(t >>> 8); }
function putStr(p: usize, t: i32): i32 {
  memory.copy(p, textAt(t), t & 255);
  return t & 255;
}
function tx(t: i32): void { log.bytes(textAt(t), t & 255); }
function txLine(t: i32): void { tx(t); log.end(); }

// One log line "<text><bytes>" (public bytes only).
function logWith(prefix: i32, p: usize, n: i32): void {
  tx(prefix);
  log.bytes(p, n);
  log.end();
}

function logErr(what: i32, r: i32): void {
  tx(what);
  tx(T.T_FAILED);
  log.int(r);
  log.end();
}

// WiFi up: the module initialised and the access point joined.
function wifiUp(wifi: Wifi): i32 {
  let r = 0;
  if (wifi.level == DOWN) {
    txLine(T.T_WIFI_INIT);
    r = wifi.init();
    if (r < 0) { logErr(T.T_WIFI_INIT, r); return r; }
  }
  if (wifi.level != JOINED) {
    ledState(LED_JOINING);
    tx(T.T_WIFI_JOINING_SSID);
    log.int(SSID_LEN);
    tx(T.T_BYTES_PSK);
    log.int(PSK_LEN);
    tx(T.T_BYTES);
    log.end();
    r = wifi.join(Join.wpa(SSID, SSID_LEN, PSK, PSK_LEN));
    if (r < 0) { logErr(T.T_WIFI_JOIN, r); return r; }
    const ip = wifi.ip;
    tx(T.T_WIFI_JOINED_IP);
    log.int(ip >>> 24); tx(T.T_SYM); log.int((ip >>> 16) & 255); tx(T.T_SYM);
    log.int((ip >>> 8) & 255); tx(T.T_SYM); log.int(ip & 255);
    log.end();
    const t = wifi.time();
    if (t > 0) { timeBase = t; timeAt = millis(); }
    tx(T.T_TIME);
    if (t > 0) { tx(T.T_SNTP); log.int(t); } else tx(T.T_NO_SNTP_BOARD_CLOCK);
    log.end();
  }
  return 0;
}

function now(): i64 {
  if (timeBase) return timeBase + <i64>((millis() - timeAt) / 1000);
  return wallClock();
}

// The same calls over TCP (gateway build) or TLS. In steps (see step()):
// connectBegin opens the TCP link and starts the handshake; connectPoll
// runs one unit of it: 1 while it goes on, 0 once connected, or an error.
let t0: u32 = 0;
function connectBegin(sock: Socket): i32 {
  logWith(PLAIN_HTTP ? T.T_NET_CONNECTING_PLAIN_HTT : T.T_TLS_CONNECTING_TO, HOST, HOST_LEN);
  t0 = millis();
  ledState(LED_HANDSHAKE);
  if (!PLAIN_HTTP) store<i64>(CFG, now(), CFG_NOW);
  const r = sock.begin(HOST, HOST_LEN, PORT, 60000);
  if (r < 0) logErr(PLAIN_HTTP ? T.T_NET_CONNECT : T.T_TLS_HANDSHAKE, r);
  return r;
}
function connectPoll(sock: Socket): i32 {
  const r = sock.poll();
  if (r > 0) return r;
  if (r < 0) { logErr(PLAIN_HTTP ? T.T_NET_CONNECT : T.T_TLS_HANDSHAKE, r); return r; }
  if (!PLAIN_HTTP) {
    const ms = <i32>(millis() - t0);
    handshakes++;
    const res = tlsResumed();
    if (res) { resumed++; resumedMs = ms; } else fullMs = ms;
    tx(T.T_TLS_HANDSHAKE2);
    log.int(handshakes);
    tx(res ? T.T_RESUMED : T.T_FULL_SERVER_CERTIFICATE_);
    tx(T.T_SUITE);
    log.int(tlsSuite());
    tx(T.T_SYM2);
    log.int(ms);
    tx(T.T_MS);
    log.end();
  }
  connected = true;
  return 0;
}

function disconnect(sock: Socket): void {
  if (!connected) return;
  connected = false;
  sock.close();
}

// Byte i of the response, lower-cased.
function lc(i: i32): i32 { const c = <i32>load<u8>(RESP + i); return c >= 65 && c <= 90 ? c + 32 : c; }

// Content-Length from the head RESP[0, end), or 0.
function contentLength(end: i32): i32 {
  const key = T.T_CONTENT_LENGTH;
  const k = key & 255;
  for (let i = 0; i + k <= end; i++) {
    let j = 0;
    while (j < k && lc(i + j) == <i32>load<u8>(textAt(key) + j)) j++;
    if (j < k) continue;
    let v = 0, q = i + k;
    while (q < end && load<u8>(RESP + q) == 32) q++;
    while (q < end) {
      const d = <i32>load<u8>(RESP + q) - 48;
      if (<u32>d > 9 || v > 100000) break;
      v = v * 10 + d; q++;
    }
    return v;
  }
  return 0;
}

// Sends one reading; returns 0 when the server answered 2xx.
// One reading in two steps: send() the request, then receive() the answer
// (so that sealing and sending, and reading and opening, need not be compiled
// at once: see step()).
function send(sock: Socket, seq: i32): i32 {
  const mc = temperature();
  // Body first (after room for the head), then the head in front of it.
  const body = REQ + 256;
  let b = putStr(body, T.T_DEVICE);
  memory.copy(body + b, DEVICE, DEVICE_LEN); b += DEVICE_LEN;
  b += putStr(body + b, T.T_SEQ);
  b += putDec(body + b, seq);
  b += putStr(body + b, T.T_TEMP_MC);
  if (mc < 0) { store<u8>(body + b, 45); b++; }
  b += putDec(body + b, mc < 0 ? -mc : mc);
  b += putStr(body + b, T.T_SYM3);
  if (REQUEST_HEAD_LEN + 32 > 256 || DEVICE_LEN > 24) return ERR_APP_BAD_RESPONSE;
  memory.copy(REQ, REQUEST_HEAD, REQUEST_HEAD_LEN);
  let h = REQUEST_HEAD_LEN;
  h += putDec(REQ + h, b);
  h += putStr(REQ + h, RECONNECT_EACH_REPORT ? T.T_CONNECTION_CLOSE : T.T_SYM4);
  memory.copy(REQ + h, body, b);
  tx(T.T_HTTP_POST_READING);
  log.int(seq);
  tx(T.T_SYM5);
  log.int(mc);
  tx(T.T_MC);
  log.end();
  const r = sock.write(REQ, h + b);
  if (r < 0) { logErr(T.T_HTTP_SEND, r); return r; }
  return 0;
}

// The response: 0 when the server answered 2xx.
function receive(sock: Socket): i32 {
  let r = 0;
  // The head: up to the blank line.
  let got = 0, end = -1;
  const t0 = millis();
  while (end < 0) {
    if (got == RESP_CAP) return ERR_APP_BAD_RESPONSE;
    r = sock.read(RESP + got, RESP_CAP - got, 1000);
    if (r < 0) { logErr(T.T_HTTP_RESPONSE, r); return ERR_APP_NO_RESPONSE; }
    if (r == 0 && <i32>(millis() - t0) > IO_MS) return ERR_APP_NO_RESPONSE;
    got += r;
    for (let i = 3; i < got; i++) {
      if (load<u32>(RESP + i - 3) == 0x0a0d0a0d) { end = i + 1; break; }
    }
  }
  // "HTTP/1.x NNN"
  if (got < 12 || load<u32>(RESP) != 0x50545448) return ERR_APP_BAD_RESPONSE;
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = <i32>load<u8>(RESP + i) - 48;
    if (<u32>d > 9) return ERR_APP_BAD_RESPONSE;
    status = status * 10 + d;
  }
  // The body is read and dropped (the connection stays in step).
  let left = contentLength(end) - (got - end);
  while (left > 0) {
    r = sock.read(RESP, min(left, RESP_CAP), 1000);
    if (r < 0) return ERR_APP_NO_RESPONSE;
    if (r == 0 && <i32>(millis() - t0) > IO_MS) return ERR_APP_NO_RESPONSE;
    left -= r;
  }
  tx(T.T_HTTP_STATUS);
  log.int(status);
  log.end();
  return status >= 200 && status < 300 ? 0 : ERR_APP_HTTP_STATUS;
}

// The link errors after which the module is re-initialised / re-joined.
function linkDown(r: i32): bool {
  return r == ERR_NOT_JOINED || r == ERR_NOT_READY || r == ERR_AT_REBOOTED || r == ERR_AT_UART ||
    r == ERR_LINK_LOST || r == ERR_AT_TIMEOUT;
}

// The app as a state machine, one unit of work per step() (a board under
// wasm3 may free the compiled code between two steps: host/wasm3/main.c):
// 1 while it goes on, 0 when every report is delivered, or the error it
// gave up with. main() runs the steps back to back.
const ST_START = 0, ST_UP = 1, ST_CONNECT = 2, ST_HANDSHAKE = 3, ST_REPORT = 4, ST_INTERVAL = 5,
  ST_BACKOFF = 6, ST_DONE = 7, ST_OVER = 8, ST_RESPONSE = 9;
let st = ST_START;
let sent = 0, failures = 0, backoff = 1000, last = 0;
let wifi: Wifi | null = null;
let sock: Socket | null = null;

export function main(): i32 {
  let r: i32;
  do r = step(); while (r > 0);
  return r;
}

export function step(): i32 {
  let r = 0;
  switch (st) {
    case ST_START: {
      tx(T.T_APP_TELEMETRY);
      log.int(REPORTS);
      tx(T.T_REPORTS_EVERY);
      log.int(INTERVAL_MS);
      tx(PLAIN_HTTP ? T.T_MS_PLAIN_HTTP_GATEWAY_BU : T.T_MS_TLS_1_3);
      log.end();
      logWith(T.T_APP_SERVER, HOST, HOST_LEN);
      if (!PLAIN_HTTP && CA_DER_LEN) {
        r = anchorAdd(CA_DER, CA_DER_LEN);
        if (r < 0) { logErr(T.T_X509_TRUST_ANCHOR, r); st = ST_OVER; return r; }
        txLine(T.T_X509_TRUST_ANCHOR_INSTAL);
      }
      // The station, its TCP socket, and (unless the gateway build) TLS over it.
      const w = new Wifi();
      const tcp = new TcpSocket(w);
      if (!PLAIN_HTTP) {
        memory.fill(CFG, 0, CFG_SIZE);
        // device: TLS_AES_128_GCM_SHA256 only; full: also ChaCha20-Poly1305 and AES-256-GCM.
        store<u32>(CFG, FULL ? 0x020301 : 0x01, CFG_SUITES);
        store<u32>(CFG, 0x0201, CFG_GROUPS);     // x25519, then secp256r1 on HelloRetryRequest
        store<u32>(CFG, <u32>TICKET, CFG_TICKET);
        store<u32>(CFG, <u32>TICKET_CAP, CFG_TICKET + 4);
      }
      wifi = w;
      sock = PLAIN_HTTP ? tcp : TlsSocket.wrap(tcp, TlsBuffers.standard(), CFG);
      st = ST_UP;
      return 1;
    }
    case ST_UP:
      r = wifiUp(wifi!);
      if (r == 0) st = connected ? ST_REPORT : ST_CONNECT;
      break;
    case ST_CONNECT:
      r = connectBegin(sock!);
      if (r == 0) st = ST_HANDSHAKE;
      break;
    case ST_HANDSHAKE:
      r = connectPoll(sock!);
      if (r > 0) return 1;
      if (r == 0) st = ST_REPORT;
      break;
    case ST_REPORT:
      r = send(sock!, sent + 1);
      if (r == 0) st = ST_RESPONSE;
      break;
    case ST_RESPONSE:
      r = receive(sock!);
      if (r == 0) {
        ledState(LED_OK);
        sent++;
        failures = 0;
        backoff = 1000;
        if (RECONNECT_EACH_REPORT) disconnect(sock!);
        st = sent < REPORTS ? ST_INTERVAL : ST_DONE;
      }
      break;
    case ST_INTERVAL: {
      // The interval, or less when button A asks for a reading now.
      const t = millis();
      while (<i32>(millis() - t) < INTERVAL_MS) {
        if (buttonPressed()) { txLine(T.T_APP_BUTTON); break; }
        sleepMs(min(100, INTERVAL_MS - <i32>(millis() - t)));
      }
      st = ST_UP;
      return 1;
    }
    case ST_BACKOFF:
      sleepMs(backoff);
      backoff = min(backoff * 2, 30000);
      st = ST_UP;
      return 1;
    case ST_DONE:
      disconnect(sock!);
      tx(T.T_APP_DONE);
      log.int(sent);
      tx(T.T_REPORTS_ACCEPTED);
      log.int(handshakes);
      tx(T.T_HANDSHAKES);
      log.int(resumed);
      tx(T.T_RESUMED_LAST_FULL);
      log.int(fullMs);
      tx(T.T_MS_LAST_RESUMED);
      log.int(resumedMs);
      tx(T.T_MS);
      log.end();
      st = ST_OVER;
      return 0;
    default:
      return last < 0 ? last : 0;   // over: what it ended with
  }
  if (r >= 0) return 1;
  // A failed attempt: close, back off, re-join WiFi when the link says so.
  ledState(LED_ERROR);
  last = r;
  disconnect(sock!);
  failures++;
  tx(T.T_APP_ATTEMPT_FAILED);
  log.int(r);
  tx(T.T_RETRY);
  log.int(failures);
  tx(T.T_IN);
  log.int(backoff);
  tx(T.T_MS);
  log.end();
  if (failures >= MAX_FAILURES) {
    txLine(T.T_APP_GIVING_UP);
    st = ST_OVER;
    if (last >= 0) last = ERR_APP_GAVE_UP;
    return last;
  }
  if (linkDown(r) && wifi!.level == JOINED) wifi!.init();   // the next round re-joins
  st = ST_BACKOFF;
  return 1;
}
