// The object face of the station and the sockets, as application code reads:
//
//   const wifi = new Wifi();
//   wifi.init();
//   wifi.join(Join.wpa(SSID, SSID_LEN, PSK, PSK_LEN));
//   const tcp = new TcpSocket(wifi);
//   const tls = TlsSocket.wrap(tcp, TlsBuffers.standard(), config);
//   const s: Socket = tls;               // or tcp: the same calls either way
//   s.open(HOST, HOST_LEN, PORT, 60000); s.write(p, n); s.read(p, n, ms); s.close();
//
// Thin, final, unmanaged classes over the functions that do the work
// (../esp8266/wifi.ts, socket.ts, tls-socket.ts): the object IS the socket's
// memory (SOCKET_SIZE bytes, socket.ts layout), every method is @inline, so
// the layer adds almost no code. Sockets are made once at init (`new` takes
// 12-16 bytes from the stub runtime's bump allocator, never freed); Join and
// TlsBuffers are descriptors in one static slot each (read at once by the
// call they are given to). Nothing is allocated after init.
// Dispatch: Socket's methods switch on the kind byte (socket.ts); a TlsSocket
// reaches tls-socket.ts through the layer hook it installs when the first one
// is wrapped, so a build without TLS (the gateway) compiles no TLS code.
import { wifiInit, wifiJoin, wifiIp, wifiTime, wifiLevel } from "../esp8266/wifi";
import {
  KIND_ESP, KIND_HOST, socketConnect, socketBegin, socketPoll, socketWrite, socketRead, socketClose, socketState,
  socketLastError, installLayer,
} from "./socket";
import { KIND_TLS, tlsLayer } from "./tls-socket";
import { CFG_SIZE, CFG_IN, CFG_OUT } from "../tls/engine";
import { TLS_IN, TLS_IN_SIZE, TLS_OUT, TLS_OUT_SIZE } from "../tls/buffers";

// WPA/WPA2 (or open, psk length 0) access point credentials: pointers to
// bytes the caller keeps (the build-time configuration).
const SLOT: usize = memory.data(16);   // Join or TlsBuffers: 16 bytes
function slot(a: usize, b: i32, c: usize, d: i32): usize {
  store<u32>(SLOT, <u32>a); store<i32>(SLOT, b, 4); store<u32>(SLOT, <u32>c, 8); store<i32>(SLOT, d, 12);
  return SLOT;
}
@final @unmanaged export class Join {
  ssid: usize;
  ssidLen: i32;
  psk: usize;
  pskLen: i32;
  @inline static wpa(ssid: usize, ssidLen: i32, psk: usize, pskLen: i32): Join { return changetype<Join>(slot(ssid, ssidLen, psk, pskLen)); }
  @inline static open(ssid: usize, ssidLen: i32): Join { return changetype<Join>(slot(ssid, ssidLen, 0, 0)); }
}

// The ESP8266 station (the module drives one).
@final @unmanaged export class Wifi {
  // Reset (hardware line when the board has one), readiness, dialect, modes.
  @inline init(): i32 { return wifiInit(); }
  @inline join(j: Join): i32 { return wifiJoin(j.ssid, j.ssidLen, j.psk, j.pskLen); }
  @inline get ip(): u32 { return wifiIp(); }
  @inline get level(): i32 { return wifiLevel(); }
  // SNTP seconds since 1970 from the module, 0 when it has none.
  @inline time(): i64 { return wifiTime(); }
}

// The one Socket interface (socket.ts has the contract). Fields are the
// SOCKET_SIZE-byte layout: kind, state, handle, last error.
@unmanaged export class Socket {
  kind: u8;
  state: u8;
  handle: i32;
  error: i32;
  // Connects to host:port (a TlsSocket: its inner socket, then the handshake).
  @inline open(host: usize, hostLen: i32, port: i32, timeoutMs: i32): i32 {
    return socketConnect(changetype<usize>(this), host, hostLen, port, timeoutMs);
  }
  // open in steps: begin, then poll until 0 (open) or an error; 1: call again.
  @inline begin(host: usize, hostLen: i32, port: i32, timeoutMs: i32): i32 {
    return socketBegin(changetype<usize>(this), host, hostLen, port, timeoutMs);
  }
  @inline poll(): i32 { return socketPoll(changetype<usize>(this)); }
  @inline write(p: usize, n: i32): i32 { return socketWrite(changetype<usize>(this), p, n); }
  // 1..n bytes, 0 on timeout, ERR_SOCK_CLOSED at the end of the stream, or an error.
  @inline read(p: usize, n: i32, timeoutMs: i32): i32 { return socketRead(changetype<usize>(this), p, n, timeoutMs); }
  @inline close(): i32 { return socketClose(changetype<usize>(this)); }
  @inline get status(): i32 { return socketState(changetype<usize>(this)); }
  @inline get lastError(): i32 { return socketLastError(changetype<usize>(this)); }
}

// A TCP link of the ESP8266 station.
@final @unmanaged export class TcpSocket extends Socket {
  constructor(wifi: Wifi) { super(); store<u8>(changetype<usize>(this), KIND_ESP); }
}

// A TCP connection of the board itself (native board, V8).
@final @unmanaged export class HostSocket extends Socket {
  constructor() { super(); store<u8>(changetype<usize>(this), KIND_HOST); }
}

// The TLS record buffers (input: one record of the negotiated size, larger
// handshake records stream through it; output: our largest flight).
@final @unmanaged export class TlsBuffers {
  input: usize;
  inputSize: i32;
  output: usize;
  outputSize: i32;
  // The module's standard pair (tls/buffers.ts: 2 KB in, 1 KB out, no RAM of their own).
  @inline static standard(): TlsBuffers { return TlsBuffers.at(TLS_IN, TLS_IN_SIZE, TLS_OUT, TLS_OUT_SIZE); }
  @inline static at(input: usize, inputSize: i32, output: usize, outputSize: i32): TlsBuffers {
    return changetype<TlsBuffers>(slot(input, inputSize, output, outputSize));
  }
}

// TLS 1.3 over any Socket. The configuration is the engine's CFG_SIZE-byte
// block (tls/engine.ts CFG_*), kept by the caller; wrap writes the buffers into it.
// One engine in the module, so one TlsSocket connection at a time.
@final @unmanaged export class TlsSocket extends Socket {
  config: usize;            // at SOCKET_SIZE: the CFG block
  static wrap(inner: Socket, buffers: TlsBuffers, config: usize): TlsSocket {
    installLayer(KIND_TLS, tlsLayer);
    const t = changetype<usize>(new TlsSocket());
    store<u8>(t, KIND_TLS);
    store<u32>(t, <u32>changetype<usize>(inner), 4);
    store<u32>(t, <u32>config, 12);
    // (the caller's descriptor, read now: the slot is shared)
    memory.copy(config + CFG_IN, changetype<usize>(buffers), 4 + 4);
    memory.copy(config + CFG_OUT, changetype<usize>(buffers) + 8, 4 + 4);
    return changetype<TlsSocket>(t);
  }
}

// A zeroed engine configuration block (CFG_SIZE bytes), made once at init.
export function tlsConfigNew(): usize {
  const p = heap.alloc(CFG_SIZE);
  memory.fill(p, 0, CFG_SIZE);
  return p;
}
