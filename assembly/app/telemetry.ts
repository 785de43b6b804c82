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
import * as log from "../log";
import { millis, sleepMs, temperature, wallClock, logWrite } from "../host";
import { wifiInit, wifiJoin, wifiLevel, wifiIp, wifiTime } from "../esp8266/wifi";
import { JOINED, DOWN } from "../esp8266/at";
import { ERR_NOT_READY, ERR_NOT_JOINED, ERR_AT_REBOOTED, ERR_AT_UART, ERR_LINK_LOST, ERR_AT_TIMEOUT } from "../esp8266/errors";
import { SOCKET_SIZE, KIND_ESP, socketOpen, socketWrite, socketRead, socketClose } from "../net/socket";
import { tlsSocketOpen, tlsSocketWrite, tlsSocketRead, tlsSocketClose } from "../net/tls-socket";
import { CFG_SIZE, CFG_SUITES, CFG_GROUPS, CFG_NOW, CFG_TICKET, tlsResumed, tlsSuite } from "../tls/engine";
import { anchorAdd } from "../x509/anchors";
import {
  SSID, SSID_LEN, PSK, PSK_LEN, HOST, HOST_LEN, PORT, REQUEST_HEAD, REQUEST_HEAD_LEN, DEVICE, DEVICE_LEN,
  CA_DER, CA_DER_LEN, INTERVAL_MS, REPORTS, RECONNECT_EACH_REPORT, PLAIN_HTTP,
} from "./config.gen";
import { ERR_APP_HTTP_STATUS, ERR_APP_BAD_RESPONSE, ERR_APP_NO_RESPONSE, ERR_APP_GAVE_UP } from "./errors";


// Everything lives in the host scratch IO[0, 1024) below the TLS record
// buffers (tls/buffers.ts): no host uses it on the device. No static RAM.
const TICKET_CAP: i32 = 320;
const TICKET: usize = IO;                   // 320 bytes, kept across connections
const CFG: usize = IO + 320;                // 80 bytes (CFG_SIZE)
const TSOCK: usize = IO + 400;              // 12 bytes
const TCP: usize = IO + 416;                // 12 bytes
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

function putStr(p: usize, s: string): i32 {
  const n = s.length;
  for (let i = 0; i < n; i++) store<u8>(p + i, load<u16>(changetype<usize>(s) + (i << 1)));
  return n;
}

// One log line "<prefix><bytes>" (public bytes only), built in RESP.
function logWith(prefix: string, p: usize, n: i32): void {
  let k = putStr(RESP, prefix);
  n = min(n, 100);
  memory.copy(RESP + k, p, n);
  logWrite(RESP, k + n);
}

function logErr(what: string, r: i32): void {
  log.str(what);
  log.str(" failed: ");
  log.int(r);
  log.end();
}

// WiFi up: the module initialised and the access point joined.
function wifiUp(): i32 {
  let r = 0;
  if (wifiLevel() == DOWN) {
    log.say("wifi: init");
    r = wifiInit();
    if (r < 0) { logErr("wifi: init", r); return r; }
  }
  if (wifiLevel() != JOINED) {
    log.str("wifi: joining (ssid ");
    log.int(SSID_LEN);
    log.str(" bytes, psk ");
    log.int(PSK_LEN);
    log.str(" bytes)");
    log.end();
    r = wifiJoin(SSID, SSID_LEN, PSK, PSK_LEN);
    if (r < 0) { logErr("wifi: join", r); return r; }
    const ip = wifiIp();
    log.str("wifi: joined, ip ");
    log.int(ip >>> 24); log.str("."); log.int((ip >>> 16) & 255); log.str(".");
    log.int((ip >>> 8) & 255); log.str("."); log.int(ip & 255);
    log.end();
    const t = wifiTime();
    if (t > 0) { timeBase = t; timeAt = millis(); }
    log.str("time: ");
    if (t > 0) { log.str("SNTP "); log.int(t); } else log.str("no SNTP, board clock");
    log.end();
  }
  return 0;
}

function now(): i64 {
  if (timeBase) return timeBase + <i64>((millis() - timeAt) / 1000);
  return wallClock();
}

function connect(): i32 {
  logWith(PLAIN_HTTP ? "net: connecting (plain HTTP) to " : "tls: connecting to ", HOST, HOST_LEN);
  const t0 = millis();
  if (PLAIN_HTTP) {
    const r = socketOpen(TCP, KIND_ESP, HOST, HOST_LEN, PORT);
    if (r < 0) { logErr("net: connect", r); return r; }
  } else {
    memory.fill(CFG, 0, CFG_SIZE);
    store<u32>(CFG, 0x01, CFG_SUITES);       // TLS_AES_128_GCM_SHA256
    store<u32>(CFG, 0x0201, CFG_GROUPS);     // x25519, then secp256r1 on HelloRetryRequest
    store<i64>(CFG, now(), CFG_NOW);
    store<u32>(CFG, <u32>TICKET, CFG_TICKET);
    store<u32>(CFG, <u32>TICKET_CAP, CFG_TICKET + 4);
    const r = tlsSocketOpen(TSOCK, TCP, KIND_ESP, HOST, HOST_LEN, PORT, CFG, 60000);
    if (r < 0) { logErr("tls: handshake", r); return r; }
    const ms = <i32>(millis() - t0);
    handshakes++;
    const res = tlsResumed();
    if (res) { resumed++; resumedMs = ms; } else fullMs = ms;
    log.str("tls: handshake ");
    log.int(handshakes);
    log.str(res ? " resumed" : " full, server certificate valid");
    log.str(", suite ");
    log.int(tlsSuite());
    log.str(", ");
    log.int(ms);
    log.str(" ms");
    log.end();
  }
  connected = true;
  return 0;
}

function disconnect(): void {
  if (!connected) return;
  connected = false;
  if (PLAIN_HTTP) socketClose(TCP);
  else tlsSocketClose(TSOCK);
}

function sockWrite(p: usize, n: i32): i32 { return PLAIN_HTTP ? socketWrite(TCP, p, n) : tlsSocketWrite(TSOCK, p, n); }
function sockRead(p: usize, n: i32, ms: i32): i32 { return PLAIN_HTTP ? socketRead(TCP, p, n, ms) : tlsSocketRead(TSOCK, p, n, ms); }

// Byte i of the response, lower-cased.
function lc(i: i32): i32 { const c = <i32>load<u8>(RESP + i); return c >= 65 && c <= 90 ? c + 32 : c; }

// Content-Length from the head RESP[0, end), or 0.
function contentLength(end: i32): i32 {
  const key = "\r\ncontent-length:";
  const k = key.length;
  for (let i = 0; i + k <= end; i++) {
    let j = 0;
    while (j < k && lc(i + j) == <i32>load<u16>(changetype<usize>(key) + (j << 1))) j++;
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
function report(seq: i32): i32 {
  const mc = temperature();
  // Body first (after room for the head), then the head in front of it.
  const body = REQ + 256;
  let b = putStr(body, "{\"device\":\"");
  memory.copy(body + b, DEVICE, DEVICE_LEN); b += DEVICE_LEN;
  b += putStr(body + b, "\",\"seq\":");
  b += putDec(body + b, seq);
  b += putStr(body + b, ",\"temp_mc\":");
  if (mc < 0) { store<u8>(body + b, 45); b++; }
  b += putDec(body + b, mc < 0 ? -mc : mc);
  b += putStr(body + b, "}");
  if (REQUEST_HEAD_LEN + 32 > 256 || DEVICE_LEN > 24) return ERR_APP_BAD_RESPONSE;
  memory.copy(REQ, REQUEST_HEAD, REQUEST_HEAD_LEN);
  let h = REQUEST_HEAD_LEN;
  h += putDec(REQ + h, b);
  h += putStr(REQ + h, RECONNECT_EACH_REPORT ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
  memory.copy(REQ + h, body, b);
  log.str("http: POST reading ");
  log.int(seq);
  log.str(": ");
  log.int(mc);
  log.str(" mC");
  log.end();
  let r = sockWrite(REQ, h + b);
  if (r < 0) { logErr("http: send", r); return r; }
  // The head: up to the blank line.
  let got = 0, end = -1;
  const t0 = millis();
  while (end < 0) {
    if (got == RESP_CAP) return ERR_APP_BAD_RESPONSE;
    r = sockRead(RESP + got, RESP_CAP - got, 1000);
    if (r < 0) { logErr("http: response", r); return ERR_APP_NO_RESPONSE; }
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
    r = sockRead(RESP, min(left, RESP_CAP), 1000);
    if (r < 0) return ERR_APP_NO_RESPONSE;
    if (r == 0 && <i32>(millis() - t0) > IO_MS) return ERR_APP_NO_RESPONSE;
    left -= r;
  }
  log.str("http: status ");
  log.int(status);
  log.end();
  return status >= 200 && status < 300 ? 0 : ERR_APP_HTTP_STATUS;
}

// The link errors after which the module is re-initialised / re-joined.
function linkDown(r: i32): bool {
  return r == ERR_NOT_JOINED || r == ERR_NOT_READY || r == ERR_AT_REBOOTED || r == ERR_AT_UART ||
    r == ERR_LINK_LOST || r == ERR_AT_TIMEOUT;
}

export function main(): i32 {
  log.str("app: telemetry, ");
  log.int(REPORTS);
  log.str(" reports every ");
  log.int(INTERVAL_MS);
  log.str(PLAIN_HTTP ? " ms, plain HTTP (gateway build)" : " ms, TLS 1.3");
  log.end();
  logWith("app: server ", HOST, HOST_LEN);
  if (!PLAIN_HTTP && CA_DER_LEN) {
    const r = anchorAdd(CA_DER, CA_DER_LEN);
    if (r < 0) { logErr("x509: trust anchor", r); return r; }
    log.say("x509: trust anchor installed");
  }
  let sent = 0, failures = 0, backoff = 1000, last = 0;
  while (sent < REPORTS) {
    let r = wifiUp();
    if (r == 0 && !connected) r = connect();
    if (r == 0) r = report(sent + 1);
    if (r == 0) {
      sent++;
      failures = 0;
      backoff = 1000;
      if (RECONNECT_EACH_REPORT) disconnect();
      if (sent < REPORTS) sleepMs(INTERVAL_MS);
      continue;
    }
    last = r;
    disconnect();
    failures++;
    log.str("app: attempt failed (");
    log.int(r);
    log.str("), retry ");
    log.int(failures);
    log.str(" in ");
    log.int(backoff);
    log.str(" ms");
    log.end();
    if (failures >= MAX_FAILURES) { log.say("app: giving up"); return last < 0 ? last : ERR_APP_GAVE_UP; }
    if (linkDown(r) && wifiLevel() == JOINED) wifiInit();   // the next round re-joins
    sleepMs(backoff);
    backoff = min(backoff * 2, 30000);
  }
  disconnect();
  log.str("app: done, ");
  log.int(sent);
  log.str(" reports accepted, ");
  log.int(handshakes);
  log.str(" handshakes (");
  log.int(resumed);
  log.str(" resumed), last full ");
  log.int(fullMs);
  log.str(" ms, last resumed ");
  log.int(resumedMs);
  log.str(" ms");
  log.end();
  return 0;
}
