// RFC 8448 example handshakes (../shared/vectors/rfc8448/transcripts.vec):
// the engine is given the trace's randomness and NSS's ClientHello, fed the
// server's records, and must send the trace's client records byte for byte
// (Finished, application data, close_notify): that checks the whole key
// schedule, the transcript and the record layer.
import { test, describe, before, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { X509Certificate } from "node:crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { openEngine, type Engine, type EngineName } from "../host/node/engine.ts";
import { TlsDriver, errorName, SENDAPP, CLOSED } from "./lib/tls.ts";
import { VECTORS_DIR } from "./lib/vectors.ts";
import { hex, unhex, ENGINES } from "./lib/util.ts";

const FILE = path.join(VECTORS_DIR, "rfc8448/transcripts.vec");
const have = existsSync(FILE);
if (!have) {
  if (process.env.CI === "true") throw new Error(`RFC 8448 vectors missing: ${FILE}`);
  console.log(`# skipping RFC 8448: ${FILE} not found`);
}

type Section = Record<string, string>;
function parse(): Map<string, Section> {
  const out = new Map<string, Section>();
  let cur: Section = {};
  for (const line of readFileSync(FILE, "utf8").split("\n")) {
    const h = /^\[(\w+)\]/.exec(line);
    if (h) { cur = {}; out.set(h[1], cur); continue; }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(line);
    if (kv) cur[kv[1]] = kv[2].replace(/\s+/g, "");
  }
  return out;
}
const V = have ? parse() : new Map<string, Section>();
const b = (s: Section, k: string) => { if (!(k in s)) throw new Error(`missing ${k}`); return unhex(s[k]); };

// The traces' server certificate is RSA-1024 (allowed in this test only)
// without a subjectAltName: the chain goes through the validator's insecure
// mode, CertificateVerify is still verified with its key.
let ENGINE = "v8";
const opened: Engine[] = [];
async function openV8(): Promise<Engine> {
  const e = await openEngine(ENGINE as EngineName);
  opened.push(e);
  return e;
}

// The x25519 private key is the 32-byte window of the RNG pool whose public
// key is the ClientHello's share.
function findKey(pool: Uint8Array, pub: Uint8Array): Uint8Array {
  for (let i = 0; i + 32 <= pool.length; i++) {
    const k = pool.subarray(i, i + 32);
    if (hex(x25519.getPublicKey(k)) === hex(pub)) return k;
  }
  throw new Error("no key in pool");
}
function x25519Share(ch: Uint8Array): Uint8Array {
  const i = hex(ch).indexOf("001d0020");     // key_share entry x25519, 32 bytes
  return ch.subarray(i / 2 + 4, i / 2 + 36);
}

interface Run { d: TlsDriver; e: Engine }
async function handshake(name: string, opts: { inSize?: number; chunk?: number; compat?: boolean; hrr?: boolean; sig?: Uint8Array; cert?: Uint8Array; psk?: boolean }): Promise<Run & { s: Section; out: Uint8Array }> {
  const s = V.get(name)!;
  const e = await openV8();
  const d = await new TlsDriver(e).init();
  await d.call("x509_configure", -1, 1024);
  const ch1 = b(s, "Record_ClientHello_1");
  const ch2 = opts.hrr ? b(s, "Record_ClientHello_2") : new Uint8Array(0);
  const msg1 = ch1.subarray(5), msg2 = ch2.subarray(5);
  const random = msg1.subarray(6, 38);
  const sidLen = msg1[38];
  const pool = b(s, "Client_RNG_Pool");
  const parts = [random, msg1.subarray(39, 39 + sidLen), findKey(pool, x25519Share(msg1))];
  if (opts.hrr) parts.push(pool.subarray(64, 96));   // the P-256 key for the second ClientHello
  // The configuration mirrors what NSS offered (record_size_limit 16385, SNI).
  assert.equal(await d.configure({ sni: "server", rsl: 16385, insecure: true, compat: sidLen === 32, inSize: opts.inSize, groups: [1, 2], certList: opts.cert, key: opts.cert ? new Uint8Array(32).fill(1) : undefined, ticket: opts.psk }), 0);
  if (opts.psk) await d.externalPsk(Buffer.from(s.PskIdentity), b(s, "PskSecret"), 1);
  await d.inject(Buffer.concat(parts), Buffer.concat([msg1, msg2]), opts.sig);
  assert.equal(await d.call("tls_start"), 0);
  assert.equal(hex(await d.output()), hex(ch1), "ClientHello record");
  if (opts.hrr) {
    await d.feed(b(s, "Record_HelloRetryRequest"), opts.chunk);
    assert.equal(hex(await d.output()), hex(ch2), "second ClientHello record");
  }
  await d.feed(b(s, "Record_ServerHello"), opts.chunk);
  assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
  await d.feed(b(s, "Record_ServerHandshakeMessages"), opts.chunk);
  assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
  return { d, e, s, out: await d.output() };
}

// wasm3-qemu runs build/release.wasm, where the TLS exports are not (yet) linked.
for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) describe(`RFC 8448 on ${name}`, { skip: !have }, () => {
  before(() => { ENGINE = name; });
  afterEach(async () => { for (const e of opened.splice(0)) await e.close(); });
  test("1-RTT: ClientHello, Finished, application data, close_notify byte for byte", async () => {
    const { d, s, out } = await handshake("Simple_1RTT_Handshake", {});
    assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    assert.ok((await d.state()) & SENDAPP, "in application data state");
    assert.equal(await d.call("tls_suite"), 0x1301);
    // NewSessionTicket (under the server's application key) is accepted.
    assert.equal(await d.feed(b(s, "Record_NewSessionTicket")), b(s, "Record_NewSessionTicket").length);
    assert.equal(await d.lastError(), 0, errorName(await d.lastError()));
    await d.sendApp(b(s, "Client_AppData"));
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_AppData")));
    await d.feed(b(s, "Record_Server_AppData"));
    assert.equal(hex(await d.recvApp()), s.Server_AppData.toLowerCase());
    await d.call("tls_close");
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_CloseNotify")));
    assert.equal(await d.state(), CLOSED);
    assert.equal(await d.lastError(), -768);
  });

  test("1-RTT: the server's close_notify ends the stream (and is answered)", async () => {
    const { d, s } = await handshake("Simple_1RTT_Handshake", {});
    await d.feed(b(s, "Record_NewSessionTicket"));
    await d.feed(b(s, "Record_Server_AppData"));
    await d.recvApp();
    await d.feed(b(s, "Record_Server_CloseNotify"));
    assert.equal(await d.lastError(), -512);
    // Our close_notify is the second record under our key: the trace's first
    // one is the application data record, so compare lengths and type only.
    const out = await d.output();
    assert.equal(hex(out.subarray(0, 5)), "1703030013");
    assert.equal(await d.state(), CLOSED);
  });

  for (const chunk of [1, 7, 100]) {
    test(`1-RTT: server records fed ${chunk} bytes at a time`, async () => {
      const { s, out } = await handshake("Simple_1RTT_Handshake", { chunk });
      assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    });
  }

  for (const inSize of [256, 300, 679]) {
    test(`1-RTT: ${inSize}-byte input buffer streams the 679-byte server flight`, async () => {
      const { s, out } = await handshake("Simple_1RTT_Handshake", { inSize, chunk: 61 });
      assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    });
  }

  test("1-RTT: a flipped ciphertext bit is bad_record_mac, also when streamed", async () => {
    for (const inSize of [2048, 256]) {
      const s = V.get("Simple_1RTT_Handshake")!;
      const e = await openV8();
      const d = await new TlsDriver(e).init();
      await d.call("x509_configure", -1, 1024);
      const msg1 = b(s, "Record_ClientHello_1").subarray(5);
      await d.configure({ sni: "server", rsl: 16385, insecure: true, compat: false, inSize });
      await d.inject(Buffer.concat([msg1.subarray(6, 38), findKey(b(s, "Client_RNG_Pool"), x25519Share(msg1))]), msg1);
      await d.call("tls_start");
      await d.output();
      await d.feed(b(s, "Record_ServerHello"));
      const flight = b(s, "Record_ServerHandshakeMessages").slice();
      flight[400] ^= 1;
      await d.feed(flight);
      assert.equal(errorName(await d.lastError()), "ERR_TLS_BAD_RECORD_MAC", `inSize ${inSize}`);
      assert.equal(await d.call("tls_alert_sent"), 20);
      const out = await d.output();
      assert.equal(out[0], 0x17, "the alert goes under the client handshake key");
      assert.equal(await d.state(), CLOSED);
    }
  });

  test("HelloRetryRequest: message_hash transcript, second ClientHello, Finished byte for byte", async () => {
    const { d, s, out } = await handshake("HelloRetryRequest_Handshake", { hrr: true });
    assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    assert.equal(await d.call("tls_group"), 0x17);
    await d.call("tls_close");
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_CloseNotify")));
  });

  test("middlebox compatibility: session id echo, CCS both ways, Finished byte for byte", async () => {
    const { d, s, out } = await handshake("Middlebox_Compatibility_Mode", {});
    assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    await d.call("tls_close");
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_CloseNotify")));
  });

  test("client authentication: Certificate + CertificateVerify (injected signature) + Finished byte for byte", async () => {
    const s = V.get("Client_Authentication_Handshake")!;
    const pem = readFileSync(path.join(VECTORS_DIR, "rfc8448/client_certificate.pem"), "utf8");
    const der = new Uint8Array(new X509Certificate(pem).raw);
    const list = Buffer.concat([Buffer.from([der.length >> 16, (der.length >> 8) & 255, der.length & 255]), der, Buffer.from([0, 0])]);
    // The client's scheme is the one its signed message was made for: rsa_pss_rsae_sha256.
    const sig = Buffer.concat([Buffer.from([8, 4]), b(s, "Client_MessageSignature")]);
    const { d, out } = await handshake("Client_Authentication_Handshake", { cert: list, sig });
    assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    await d.call("tls_close");
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_CloseNotify")));
  });

  test("external PSK with (EC)DHE: our binder, Finished, application data byte for byte", async () => {
    // The engine recomputes the binder over the injected ClientHello: the
    // record matching the trace checks the binder (ext binder) computation.
    const { d, s, out } = await handshake("Externally_Provided_PSK_with_Ephemeral_Key", { psk: true });
    assert.equal(hex(out), hex(b(s, "Record_ClientFinished")));
    assert.equal(await d.call("tls_resumed"), 1);
    await d.sendApp(b(s, "Client_AppData"));
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_AppData")));
    await d.feed(b(s, "Record_Server_AppData"));
    assert.equal(hex(await d.recvApp()), hex(b(s, "Server_AppData")));
    await d.call("tls_close");
    assert.equal(hex(await d.output()), hex(b(s, "Record_Client_CloseNotify")));
  });

  test("external PSK: a wrong binder key is refused by the trace (our ClientHello differs)", async () => {
    const s = V.get("Externally_Provided_PSK_with_Ephemeral_Key")!;
    const e = await openV8();
    const d = await new TlsDriver(e).init();
    const msg1 = b(s, "Record_ClientHello_1").subarray(5);
    await d.configure({ sni: "server", rsl: 16385, insecure: true, compat: false, ticket: true });
    const wrong = b(s, "PskSecret").slice(); wrong[0] ^= 1;
    await d.externalPsk(Buffer.from(s.PskIdentity), wrong, 1);
    await d.inject(Buffer.concat([msg1.subarray(6, 38), findKey(b(s, "Client_RNG_Pool"), x25519Share(msg1))]), msg1);
    await d.call("tls_start");
    const ch = await d.output();
    assert.notEqual(hex(ch), hex(b(s, "Record_ClientHello_1")));
    assert.equal(hex(ch.subarray(0, ch.length - 32)), hex(b(s, "Record_ClientHello_1").subarray(0, ch.length - 32)), "only the binder differs");
  });

  test("skipped: Resumed_0RTT_Handshake (0-RTT early data not implemented; its server flight answers early_data), RawPublicKey_With_Client_Authentication (raw public keys out of scope)", { skip: "0-RTT and raw public keys not implemented" }, () => {});
});
