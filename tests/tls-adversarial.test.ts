// A broken server, scripted message by message (tests/peers/scripted-server.ts),
// against the sans-I/O engine: every case must end in the named error, the
// alert RFC 8446 asks for (or none when the peer alerted), a closed engine,
// and never a trap or a hang. A stalled TCP server checks TlsSocket's deadline.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { openEngine as openBoard, type Engine, type EngineName } from "../host/node/engine.ts";
import { TlsDriver, errorName, openEngine, CLOSED } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { ScriptedServer, plainRecord, msg, ext, vec16, vec8, u8, u16, u24, type Flight } from "./peers/scripted-server.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");

interface Case {
  name: string;
  error: string;                 // expected tls_last_error name
  alert: number;                 // alert we send (-1: none)
  // Returns the server's records for the engine, given the scripted server.
  script: (s: ScriptedServer) => Buffer[];
}
const B = (h: string) => Buffer.from(h, "hex");
const okSH = (s: ScriptedServer) => { const sh = s.serverHello(); s.keys(sh); return plainRecord(22, sh); };
const enc = (s: ScriptedServer, f: Flight, pad = 0) => s.record(s.flight(f), 22, pad);

const CASES: Case[] = [
  // ServerHello
  { name: "ServerHello legacy_version 0x0302", error: "ERR_TLS_VERSION", alert: 70, script: (s) => [plainRecord(22, s.serverHello({ version: 0x0302 }))] },
  { name: "supported_versions selects TLS 1.2", error: "ERR_TLS_VERSION", alert: 70,
    script: (s) => [plainRecord(22, s.serverHello({ exts: Buffer.concat([ext(0x2b, u16(0x0303)), ext(0x33, Buffer.concat([u16(0x1d), vec16(s.pub)]))]) }))] },
  { name: "TLS 1.2 answer with the downgrade sentinel", error: "ERR_TLS_DOWNGRADE", alert: 47,
    script: (s) => [plainRecord(22, s.serverHello({ random: Buffer.concat([Buffer.alloc(24, 7), Buffer.from("DOWNGRD"), u8(1)]), exts: Buffer.alloc(0) }))] },
  { name: "unsolicited extension in ServerHello", error: "ERR_TLS_UNSOLICITED_EXTENSION", alert: 110,
    script: (s) => [plainRecord(22, s.serverHello({ exts: Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x33, Buffer.concat([u16(0x1d), vec16(s.pub)])), ext(0x10, B("0003026832"))]) }))] },
  { name: "duplicate supported_versions", error: "ERR_TLS_DUPLICATE_EXTENSION", alert: 47,
    script: (s) => [plainRecord(22, s.serverHello({ exts: Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x2b, u16(0x0304)), ext(0x33, Buffer.concat([u16(0x1d), vec16(s.pub)]))]) }))] },
  { name: "extensions length past the message end", error: "ERR_TLS_DECODE", alert: 50,
    script: (s) => { const sh = s.serverHello(); sh[4 + 2 + 32 + 1 + s.sid.length + 3] += 1; return [plainRecord(22, sh)]; } },
  { name: "wrong legacy_session_id_echo", error: "ERR_TLS_BAD_SESSION_ID", alert: 47, script: (s) => [plainRecord(22, s.serverHello({ sid: Buffer.alloc(32, 9) }))] },
  { name: "cipher suite not offered (TLS_AES_128_CCM_SHA256)", error: "ERR_TLS_BAD_SUITE", alert: 47, script: (s) => [plainRecord(22, s.serverHello({ suite: 0x1304 }))] },
  { name: "key share for a group we sent no share for", error: "ERR_TLS_BAD_GROUP", alert: 47,
    script: (s) => [plainRecord(22, s.serverHello({ exts: Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x33, Buffer.concat([u16(0x17), vec16(Buffer.alloc(65, 4))]))]) }))] },
  { name: "all-zero x25519 key share (small-order point)", error: "ERR_TLS_BAD_KEY_SHARE", alert: 47,
    script: (s) => [plainRecord(22, s.serverHello({ exts: Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x33, Buffer.concat([u16(0x1d), vec16(Buffer.alloc(32))]))]) }))] },
  { name: "HelloRetryRequest for the group we already sent", error: "ERR_TLS_BAD_GROUP", alert: 47,
    script: (s) => [plainRecord(22, s.serverHello({ random: B("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"), exts: Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x33, u16(0x1d))]) }))] },
  { name: "ServerHello record of 16385 bytes", error: "ERR_TLS_RECORD_OVERFLOW", alert: 22, script: () => [Buffer.concat([u8(22, 3, 3), u16(16385)])] },
  { name: "unknown record type 99", error: "ERR_TLS_BAD_RECORD_TYPE", alert: 10, script: () => [plainRecord(99, u8(1))] },
  { name: "application data before the handshake", error: "ERR_TLS_UNEXPECTED_MESSAGE", alert: 10, script: () => [plainRecord(23, Buffer.alloc(20))] },
  { name: "ChangeCipherSpec with value 2", error: "ERR_TLS_BAD_CCS", alert: 10, script: () => [plainRecord(20, u8(2))] },
  { name: "handshake_failure alert mid-handshake: named, not answered", error: "RECV_ALERT_40", alert: -1, script: () => [plainRecord(21, u8(2, 40))] },
  { name: "ServerHello and EncryptedExtensions in one plaintext record (keys change mid-record)", error: "ERR_TLS_KEY_CHANGE", alert: 10,
    script: (s) => { const sh = s.serverHello(); return [plainRecord(22, Buffer.concat([sh, s.ee()]))]; } },
  // The encrypted flight
  { name: "unsolicited ALPN in EncryptedExtensions", error: "ERR_TLS_UNSOLICITED_EXTENSION", alert: 110,
    script: (s) => [okSH(s), enc(s, { ee: s.ee(ext(0x10, B("0003026832"))) })] },
  { name: "early_data in EncryptedExtensions (we sent none)", error: "ERR_TLS_UNSOLICITED_EXTENSION", alert: 110,
    script: (s) => [okSH(s), enc(s, { ee: s.ee(ext(42, Buffer.alloc(0))) })] },
  { name: "EncryptedExtensions split across records, larger than the reassembly buffer", error: "ERR_TLS_MSG_TOO_LARGE", alert: 80,
    script: (s) => { const a = okSH(s), f = s.flight({ ee: s.ee(ext(0x0a, vec16(Buffer.alloc(1400, 0x17)))) }); return [a, s.record(f.subarray(0, 700)), s.record(f.subarray(700))]; } },
  { name: "(control) the same 1.4 KB EncryptedExtensions inside one record is parsed in place: handshake completes", error: "OK", alert: -1,
    script: (s) => [okSH(s), enc(s, { ee: s.ee(ext(0x0a, vec16(Buffer.alloc(1400, 0x17)))) })] },
  { name: "Certificate before EncryptedExtensions", error: "ERR_TLS_UNEXPECTED_MESSAGE", alert: 10,
    script: (s) => [okSH(s), enc(s, { order: ["cert", "ee", "cv", "fin"] })] },
  { name: "Finished without CertificateVerify", error: "ERR_TLS_UNEXPECTED_MESSAGE", alert: 10,
    script: (s) => [okSH(s), enc(s, { order: ["ee", "cert", "fin"] })] },
  { name: "empty Certificate", error: "ERR_TLS_EMPTY_CERTIFICATE", alert: 50,
    script: (s) => [okSH(s), enc(s, { cert: s.certificate(Buffer.alloc(0), Buffer.alloc(0)) })] },
  { name: "Certificate with a request context", error: "ERR_TLS_BAD_CERT_CONTEXT", alert: 47,
    script: (s) => [okSH(s), enc(s, { cert: s.certificate(u8(1)) })] },
  { name: "Certificate entry length past the list", error: "ERR_TLS_DECODE", alert: 50,
    script: (s) => [okSH(s), enc(s, { cert: s.certificate(Buffer.alloc(0), Buffer.concat([u24(s.certDer.length + 100), s.certDer, u16(0)])) })] },
  { name: "CertificateVerify with a scheme we did not offer (rsa_pkcs1_sha256)", error: "ERR_TLS_BAD_SIG_SCHEME", alert: 47,
    script: (s) => [okSH(s), enc(s, { cv: s.certVerify(0x0401) })] },
  { name: "bad CertificateVerify signature", error: "ERR_X509_CV_SIGNATURE", alert: 51,
    script: (s) => [okSH(s), enc(s, { cv: s.certVerify(0x0403, true) })] },
  { name: "bad Finished", error: "ERR_TLS_BAD_FINISHED", alert: 51, script: (s) => [okSH(s), enc(s, { fin: s.finished(true) })] },
  { name: "bad record tag", error: "ERR_TLS_BAD_RECORD_MAC", alert: 20, script: (s) => [okSH(s), s.record(s.flight(), 22, 0, true)] },
  { name: "record that is all padding (no content type)", error: "ERR_TLS_EMPTY_RECORD", alert: 10, script: (s) => [okSH(s), s.record(Buffer.alloc(0), 0, 30)] },
  { name: "protected record longer than 2^14 + 256", error: "ERR_TLS_RECORD_OVERFLOW", alert: 22, script: (s) => [okSH(s), Buffer.concat([u8(23, 3, 3), u16(16641)])] },
  { name: "fatal alert inside the encrypted flight", error: "RECV_ALERT_42", alert: -1, script: (s) => [okSH(s), s.record(u8(2, 42), 21)] },
  { name: "trailing bytes after Finished in the same record", error: "ERR_TLS_KEY_CHANGE", alert: 10, script: (s) => [okSH(s), enc(s, { extra: [msg(4, Buffer.alloc(8))] })] },
  // After the handshake
  { name: "post-handshake CertificateRequest (we never offered post_handshake_auth)", error: "ERR_TLS_POST_HS_AUTH", alert: 10,
    script: (s) => { const a = okSH(s), b = enc(s, {}); return [a, b, Buffer.alloc(0)]; } },
  { name: "KeyUpdate with request_update 2", error: "ERR_TLS_BAD_KEY_UPDATE", alert: 47,
    script: (s) => { const a = okSH(s), b = enc(s, {}); return [a, b, Buffer.alloc(0)]; } },
];
// Records to send after our Finished, for the post-handshake cases.
const AFTER: Record<string, (s: ScriptedServer) => Buffer> = {
  "post-handshake CertificateRequest (we never offered post_handshake_auth)": (s) => s.record(msg(13, Buffer.concat([vec8(u8(1)), vec16(ext(0x0d, B("00020403")))]))),
  "KeyUpdate with request_update 2": (s) => s.record(msg(24, u8(2))),
};

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`adversarial server on ${name}`, () => {
    for (const c of CASES) {
      test(c.name, async () => {
        const e = await openBoard(name as EngineName);
        try {
          const d = await new TlsDriver(e).init();
          assert.equal(await d.configure({ sni: "localhost" }), 0);
          await d.call("x509_anchors_clear");
          assert.equal(await d.call("x509_anchor_add", await d.put(pki.caDer), pki.caDer.length), 0);
          assert.equal(await d.call("tls_start"), 0);
          const s = new ScriptedServer(ec.cert, ec.key);
          s.clientHello(await d.output());
          for (const rec of c.script(s)) {
            if (rec.length === 0) {                 // our Finished, then the post-handshake record
              await d.output();
              s.apKeys();
              await d.feed(AFTER[c.name](s));
              continue;
            }
            await d.feed(rec);
          }
          assert.equal(errorName(await d.lastError()), c.error);
          assert.equal(await d.call("tls_alert_sent"), c.alert);
          const out = await d.output();
          if (c.alert >= 0) {
            // The last record is our alert: in the clear before the server's
            // key share was processed, else protected (5 + 2 + 1 + 16 bytes).
            const plain = out.subarray(-7), prot = out.subarray(-24);
            const isPlain = plain[0] === 21 && plain[3] === 0 && plain[4] === 2;
            assert.ok(isPlain || (prot[0] === 23 && prot[3] === 0 && prot[4] === 19), `an alert record went out: ${Buffer.from(out.subarray(-24)).toString("hex")}`);
            if (isPlain) assert.deepEqual([...plain.subarray(5)], [2, c.alert]);
          }
          else if (c.error !== "OK") assert.equal(out.length, 0, "no alert answers an alert");
          if (c.error === "OK") { assert.ok(out[0] === 20 || out[0] === 23, "our (CCS and) Finished"); assert.ok((await d.state()) & 4, "application data"); return; }
          assert.equal(await d.state(), CLOSED);
          // and the engine stays closed: more bytes are refused without a trap
          assert.equal(await d.call("tls_recvrec_buf"), 0);
        } finally { await e.close(); }
      });
    }

    test("stalled server: TlsSocket gives up at its deadline with ERR_TLS_TIMEOUT", async () => {
      const sockets: net.Socket[] = [];
      const srv = net.createServer((s) => { sockets.push(s); });   // accepts, reads, never answers
      await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
      const e = await openEngine(name);
      try {
        const d = await new TlsDriver(e).init();
        await d.configure({});
        const h = await d.put(Buffer.from("localhost"));
        const t0 = Date.now();
        const rc = await d.call("tls_socket_connect", h, 9, (srv.address() as net.AddressInfo).port, d.io, 1500);
        assert.equal(errorName(rc), "ERR_TLS_TIMEOUT");
        assert.ok(Date.now() - t0 < 5000);
      } finally { await e.close(); for (const s of sockets) s.destroy(); srv.close(); }
    });
  });
}
