// Shared by the openssl interop tests: one HTTP fetch over TlsSocket.
import assert from "node:assert/strict";
import { TlsDriver, type TlsConfig } from "./lib/tls.ts";

export interface Result { rc: number; body: string; suite: number; group: number; alpn: string; resumed: number }

// Connects with cfg, sends `request`, returns everything read until the end.
export async function fetch(d: TlsDriver, port: number, cfg: TlsConfig, request: string, caDer: Uint8Array, pauseMs = 0): Promise<Result> {
  // The anchor first: the validator copies it, so its scratch is reused.
  d.reset();
  await d.call("x509_anchors_clear");
  assert.equal(await d.call("x509_anchor_add", await d.put(caDer), caDer.length), 0);
  await d.configure(cfg);
  const host = Buffer.from("localhost");
  const h = await d.put(host);
  const res: Result = { rc: 0, body: "", suite: 0, group: 0, alpn: "", resumed: 0 };
  res.rc = await d.call("tls_socket_connect", h, host.length, port, d.io, 10000);
  if (res.rc !== 0) return res;
  res.suite = await d.call("tls_suite");
  res.group = await d.call("tls_group");
  res.resumed = await d.call("tls_resumed");
  const ap = await d.call("tls_alpn");
  if (ap) { const n = (await d.e.read(ap, 1))[0]; res.alpn = Buffer.from(await d.e.read(ap + 1, n)).toString(); }
  const req = Buffer.from(request);
  const buf = await d.put(new Uint8Array(128));
  // A server that refuses the client after our Finished (certificate_required)
  // sends its alert and closes: read first for up to pauseMs, so the alert is
  // what we report rather than a write into the closed connection.
  if (pauseMs) {
    const n = await d.call("tls_socket_read", buf, 128, pauseMs);
    if (n < 0) { res.rc = n; return res; }
    if (n > 0) res.body += Buffer.from(await d.e.read(buf, n)).toString("latin1");
  }
  await d.e.write(buf, req);
  const w = await d.call("tls_socket_write", buf, req.length);
  if (w !== req.length) { res.rc = w; return res; }
  for (let i = 0; i < 400; i++) {
    const n = await d.call("tls_socket_read", buf, 128, 5000);
    if (n < 0) { if (n !== -320) res.rc = n; break; }
    res.body += Buffer.from(await d.e.read(buf, n)).toString("latin1");
  }
  await d.call("tls_socket_close");
  return res;
}

