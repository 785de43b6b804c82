// The object API (net/api.ts) as application code uses it, over the board's
// own TCP (HostSocket), for the tests: one call connects (plain TCP, or TLS
// wrapped around the same socket), sends a request, reads the reply until the
// peer closes or `out` is full, and closes. Returns the byte count or the
// first error. The objects are made at the first call and reused (nothing is
// allocated after that); cfg is the engine configuration block (tls/engine.ts).
// The reply's capacity is the u32 at `out` on entry (eight arguments: the
// test shell's limit); every wait is 10 s.
import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import { ERR_SOCK_CLOSED } from "../net/errors";
import { Socket, HostSocket, TlsSocket, TlsBuffers } from "../net/api";
import { CFG_SIZE } from "../tls/engine";

let tcp: HostSocket | null = null;
let tls: TlsSocket | null = null;

export function api_fetch(useTls: i32, host: usize, hostLen: i32, port: i32, cfg: usize,
                          req: usize, reqLen: i32, out: usize): i32 {
  if (!inMemory(out, 4)) return ERR_BAD_POINTER;
  const outCap = load<i32>(out), timeoutMs = 10000;
  if (hostLen < 0 || reqLen < 0 || outCap < 0 || !inMemory(host, hostLen) || !inMemory(req, reqLen) ||
      !inMemory(out, outCap) || !inMemory(cfg, CFG_SIZE)) return ERR_BAD_POINTER;
  if (!tcp) {
    const t = new HostSocket();
    tcp = t;
    tls = TlsSocket.wrap(t, TlsBuffers.standard(), cfg);
  }
  const s: Socket = useTls ? changetype<Socket>(tls) : changetype<Socket>(tcp);
  changetype<TlsSocket>(tls).config = cfg;
  let r = s.open(host, hostLen, port, timeoutMs);
  if (r < 0) return r;
  r = s.write(req, reqLen);
  let got = 0;
  while (r >= 0 && got < outCap) {
    r = s.read(out + <usize>got, outCap - got, timeoutMs);
    if (r == 0) break;            // timeout: what came so far
    if (r > 0) got += r;
  }
  s.close();
  return r < 0 && r != ERR_SOCK_CLOSED ? r : got;
}
