// make bench: emulated Cortex-M4 instructions under wasm3 in QEMU
// (-icount shift=0,sleep=off: deterministic), Wasm code bytes per component,
// and V8 throughput of the same module beside @noble/* and node:crypto.
// Prints a table and writes build/bench.json as [{name, value, unit}].
import { writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { sha256 as nobleSha256, sha384 as nobleSha384 } from "@noble/hashes/sha2.js";
import { p256, p384 } from "@noble/curves/nist.js";
import { ed25519, x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import {
  generateKeyPairSync, sign as nodeSign, verify as nodeVerify, createCipheriv, createPrivateKey,
  createPublicKey, diffieHellman, randomBytes,
} from "node:crypto";
import { gcm } from "@noble/ciphers/aes.js";
import { chacha20poly1305 } from "@noble/ciphers/chacha.js";
import { ROOT, qemuBoard, V8Engine, MPS2_FIRMWARE_WASM2C, type Engine } from "../host/node/engine.ts";
import { Module } from "../tests/lib/module.ts";
import { wasmInfo, byComponent } from "./wasm-info.ts";

process.chdir(ROOT);
export interface Row { name: string; value: number; unit: string }
const rows: Row[] = [];
const add = (name: string, value: number, unit: string) => {
  rows.push({ name, value, unit });
  console.log(`${name.padEnd(52)} ${value.toLocaleString("en-US").padStart(14)} ${unit}`);
};

// Instructions of one call after a warm-up call (so wasm3's lazy compilation
// is not counted).
async function steady(e: Engine, fn: string, ...args: number[]): Promise<number> {
  await e.call(fn, ...args);
  return (await e.call(fn, ...args)).instructions;
}

// ---- code bytes per component ----
if (existsSync("build/release-names.wasm")) {
  for (const [c, bytes] of byComponent(wasmInfo("build/release-names.wasm"))) add(`wasm code: ${c}`, bytes, "bytes");
}
add("wasm code: whole module", wasmInfo("build/release.wasm").codeBytes, "bytes");

// ---- emulated instructions ----
const q = await qemuBoard({ icount: true });
const m = await new Module(q).init();
const io = Number((await q.call("io_buffer")).value);
{
  const ctx = io, data = io + 256;
  await m.ok("sha256_init", ctx);
  await q.write(data, new Uint8Array(64 * 16));
  const one = await steady(q, "sha256_update", ctx, data, 64);
  const sixteen = (await q.call("sha256_update", ctx, data, 64 * 16)).instructions;
  add("sha256: per 64-byte block (wasm3, QEMU)", Math.round(sixteen / 16), "instructions");
  add("sha256: one 64-byte update call (wasm3, QEMU)", one, "instructions");
}

// One call of each public-key operation and a KiB of each AEAD, from the
// exports the tests use (inputs made by @noble/curves and node:crypto).
await q.close();
// Both engines where built (make ENGINE=wasm2c mps2): the same module, the same calls.
for (const engine of (["wasm3", "wasm2c"] as const).filter((e) => e === "wasm3" || existsSync(MPS2_FIRMWARE_WASM2C))) {
  // Each operation on a fresh board: the whole module's code does not fit the
  // 128 KB board once compiled (see make size), one primitive at a time does.
  let q: Engine = await qemuBoard({ icount: true, engine });
  let m = await new Module(q).init();
  const fresh = async () => { await q.close(); q = await qemuBoard({ icount: true, engine }); m = await new Module(q).init(); };
  const A = io, B = io + 1024, C = io + 2048, D = io + 3072;
  const put = (addr: number, b: Uint8Array) => q.write(addr, b);
  const fill = (n: number, v: number) => new Uint8Array(n).fill(v);

  if (engine === "wasm2c") {   // (wasm3's SHA-256 rows are above)
    await m.ok("sha256_init", A);
    await put(C, new Uint8Array(64 * 16));
    await q.call("sha256_update", A, C, 64);
    add(`sha256: per 64-byte block (${engine}, QEMU)`, Math.round((await q.call("sha256_update", A, C, 64 * 16)).instructions / 16), "instructions");
  }
  // AEAD: ctx (664 B) at A, key/nonce at B, 1 KiB of data at C..
  for (const [suite, label] of [[1, "AES-128-GCM"], [3, "ChaCha20-Poly1305"]] as const) {
    await fresh();
    await put(B, fill(32, 9));
    await m.ok("aead_init", suite, A, B);
    await m.ok("aead_start", A, B + 32);
    await put(C, fill(1024, 1));
    const per = await steady(q, "aead_encrypt", A, C, 1024);
    add(`${label}: encrypt 1 KiB (${engine}, QEMU)`, per, "instructions");
  }

  await fresh();
  // X25519
  const sk = fill(32, 5), peer = nobleX25519.getPublicKey(fill(32, 6));
  await put(B, sk); await put(B + 32, peer);
  add(`X25519: one scalar multiplication (${engine}, QEMU)`, await steady(q, "x25519", C, B, B + 32), "instructions");

  await fresh();
  // P-256 ECDH, ECDSA verify and sign; P-384 verify
  const h256 = nobleSha256(new TextEncoder().encode("bench"));
  const k1 = p256.utils.randomSecretKey();
  const pub1 = p256.getPublicKey(k1, false);
  await put(B, k1); await put(B + 32, p256.getPublicKey(p256.utils.randomSecretKey(), false));
  add(`P-256: ECDH (${engine}, QEMU)`, await steady(q, "ecdh_p256", C, B, B + 32, 65), "instructions");
  await fresh();
  const sig1 = p256.sign(h256, k1, { prehash: false });
  await put(A, pub1); await put(A + 128, h256); await put(A + 192, sig1);
  add(`P-256: ECDSA verify (${engine}, QEMU)`, await steady(q, "ecdsa_verify", 1, A, 65, A + 128, 32, A + 192, 64), "instructions");
  await fresh();
  await put(B, k1); await put(A + 128, h256);
  add(`P-256: ECDSA sign (${engine}, QEMU)`, await steady(q, "ecdsa_sign_p256", C, B, A + 128), "instructions");
  await fresh();
  const h384 = nobleSha384(new TextEncoder().encode("bench"));
  const k3 = p384.utils.randomSecretKey();
  await put(A, p384.getPublicKey(k3, false)); await put(A + 128, h384); await put(A + 192, p384.sign(h384, k3, { prehash: false }));
  add(`P-384: ECDSA verify (${engine}, QEMU)`, await steady(q, "ecdsa_verify", 2, A, 97, A + 128, 48, A + 192, 96), "instructions");

  await fresh();
  // RSA-2048 PKCS#1 v1.5 verify (e = 65537)
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const n = Buffer.from(publicKey.export({ format: "jwk" }).n!, "base64url");
  const msg = Buffer.from("bench");
  await put(A, n); await put(A + 512, nobleSha256(msg)); await put(B + 512, nodeSign("sha256", msg, privateKey));
  add(`RSA-2048: PKCS#1 v1.5 verify (${engine}, QEMU)`, await steady(q, "rsa_verify_pkcs1", A, 256, 65537, 1, A + 512, B + 512, 256), "instructions");

  await fresh();
  // Ed25519 verify of a 64-byte message
  const ek = ed25519.utils.randomSecretKey();
  const emsg = fill(64, 3);
  await put(A, ed25519.getPublicKey(ek)); await put(A + 64, emsg); await put(A + 128, ed25519.sign(emsg, ek));
  add(`Ed25519: verify, 64-byte message (${engine}, QEMU)`, await steady(q, "ed25519_verify", A, A + 64, 64, A + 128, 64), "instructions");
  void D;
  await q.close();
}

// ---- V8 throughput, same module, beside @noble/hashes and node:crypto ----
{
  const v8 = new V8Engine();
  const mv = await new Module(v8).init();
  const buf = new Uint8Array(3072).fill(7);
  const mib = 4;
  const t0 = performance.now();
  const ctx = io, data = io + 256;
  v8.memory.set(buf, data);
  v8.callSync("sha256_init", ctx);
  for (let i = 0; i < (mib << 20) / buf.length; i++) v8.callSync("sha256_update", ctx, data, buf.length);
  v8.callSync("sha256_final", ctx, io + 128);
  const ours = mib / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  for (let i = 0; i < (mib << 20) / buf.length; i++) nobleSha256(buf);
  const noble = mib / ((performance.now() - t1) / 1000);
  const t2 = performance.now();
  const h = createHash("sha256");
  for (let i = 0; i < (mib << 20) / buf.length; i++) h.update(buf);
  h.digest();
  const node = mib / ((performance.now() - t2) / 1000);
  add("sha256 V8: module throughput", +ours.toFixed(1), "MiB/s");
  add("sha256 V8: module / @noble/hashes", +(ours / noble).toFixed(2), "ratio");
  add("sha256 V8: module / node:crypto", +(ours / node).toFixed(2), "ratio");
  void mv;
}

// ---- V8: every primitive beside @noble/* and node:crypto, as ratios ----
// Operations per second over ~250 ms each; ratio = module / other (higher is
// better for the module).
function rate(f: () => void): number {
  f();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 250) { f(); n++; }
  return n / ((performance.now() - t0) / 1000);
}
function compare(label: string, unit: string, ours: () => void, others: Record<string, () => void>) {
  const r = rate(ours);
  add(`${label} V8: module`, +r.toFixed(1), unit);
  for (const [who, f] of Object.entries(others)) add(`${label} V8: module / ${who}`, +(r / rate(f)).toFixed(3), "ratio");
}
{
  const v8 = new V8Engine();
  const call = (fn: string, ...a: number[]) => {
    const v = v8.callSync(fn, ...a).value;
    if (v !== 0) throw new Error(`${fn} -> ${v}`);
  };
  const A = io, B = io + 1024, C = io + 2048;
  const mem = () => v8.memory;
  const key = new Uint8Array(32).fill(9), nonce = new Uint8Array(12).fill(2), data = new Uint8Array(1024).fill(1);
  // AEADs: seal 1 KiB
  for (const [suite, label, nob, nodeAlg] of [
    [1, "AES-128-GCM 1 KiB", () => gcm(key.subarray(0, 16), nonce).encrypt(data), "aes-128-gcm"],
    [3, "ChaCha20-Poly1305 1 KiB", () => chacha20poly1305(key, nonce).encrypt(data), "chacha20-poly1305"],
  ] as const) {
    mem().set(key, B); mem().set(nonce, B + 32); mem().set(data, C);
    call("aead_init", suite, A, B);
    compare(label, "ops/s", () => call("aead_seal", A, B + 32, B, 0, C, 1024, B + 64), {
      "@noble/ciphers": nob,
      "node:crypto": () => {
        const c = createCipheriv(nodeAlg as "aes-128-gcm", key.subarray(0, suite === 1 ? 16 : 32), nonce, { authTagLength: 16 } as never);
        c.update(data); c.final(); c.getAuthTag();
      },
    });
  }
  // X25519
  const sk = randomBytes(32), peerSk = randomBytes(32), peer = nobleX25519.getPublicKey(peerSk);
  mem().set(sk, B); mem().set(peer, B + 32);
  const nodeSk = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b656e04220420", "hex"), sk]), format: "der", type: "pkcs8" });
  const nodePeer = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b656e032100", "hex"), peer]), format: "der", type: "spki" });
  compare("X25519", "ops/s", () => call("x25519", C, B, B + 32), {
    "@noble/curves": () => nobleX25519.getSharedSecret(sk, peer),
    "node:crypto": () => diffieHellman({ privateKey: nodeSk, publicKey: nodePeer }),
  });
  // P-256 ECDSA verify
  const h = nobleSha256(Buffer.from("bench")), k = p256.utils.randomSecretKey(), pub = p256.getPublicKey(k, false);
  const sig = p256.sign(h, k, { prehash: false });
  mem().set(pub, A); mem().set(h, A + 128); mem().set(sig, A + 192);
  const { privateKey: ecPriv, publicKey: ecPub } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const ecSig = nodeSign("sha256", Buffer.from("bench"), ecPriv);
  compare("P-256 ECDSA verify", "ops/s", () => call("ecdsa_verify", 1, A, 65, A + 128, 32, A + 192, 64), {
    "@noble/curves": () => p256.verify(sig, h, pub, { prehash: false }),
    "node:crypto": () => nodeVerify("sha256", Buffer.from("bench"), ecPub, ecSig),
  });
  // Ed25519 verify (64-byte message)
  const ek = ed25519.utils.randomSecretKey(), emsg = new Uint8Array(64).fill(3), epub = ed25519.getPublicKey(ek), esig = ed25519.sign(emsg, ek);
  mem().set(epub, A); mem().set(emsg, A + 64); mem().set(esig, A + 128);
  const { privateKey: edPriv, publicKey: edPub } = generateKeyPairSync("ed25519");
  const edSig = nodeSign(null, emsg, edPriv);
  compare("Ed25519 verify", "ops/s", () => call("ed25519_verify", A, A + 64, 64, A + 128, 64), {
    "@noble/curves": () => ed25519.verify(esig, emsg, epub),
    "node:crypto": () => nodeVerify(null, emsg, edPub, edSig),
  });
  // RSA-2048 PKCS#1 v1.5 verify (noble has no RSA)
  const { privateKey: rPriv, publicKey: rPub } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const rn = Buffer.from(rPub.export({ format: "jwk" }).n!, "base64url"), rmsg = Buffer.from("bench");
  const rsig = nodeSign("sha256", rmsg, rPriv);
  mem().set(rn, A); mem().set(nobleSha256(rmsg), A + 512); mem().set(rsig, B + 512);
  compare("RSA-2048 verify", "ops/s", () => call("rsa_verify_pkcs1", A, 256, 65537, 1, A + 512, B + 512, 256), {
    "node:crypto": () => nodeVerify("sha256", rmsg, rPub, rsig),
  });
}

// ---- figures measured by the test suites, when present ----
import { readFileSync } from "node:fs";
for (const f of ["build/x509-bench.json", "build/tls-bench.json", "build/wasm2c-bench.json"]) {
  if (!existsSync(f)) continue;
  for (const r of JSON.parse(readFileSync(f, "utf8")) as Row[]) add(r.name, r.value, r.unit);
}

// ---- V8: full TLS 1.3 handshakes per second, the module beside Node's TLS client ----
// One run, same local Node tls server (TLS 1.3, P-256 leaf signed by a P-256
// root, X25519): the release module in V8 (worker thread, HostSocket over
// real sockets: host/node/worker-engine.ts) validating the chain of two, and
// node:tls (OpenSSL) with the same root. ~2 s each.
{
  const tls = await import("node:tls");
  const { workerEngine } = await import("../host/node/worker-engine.ts");
  const { TlsDriver } = await import("../tests/lib/tls.ts");
  const { makePki } = await import("../tests/peers/pki.ts");
  const pki = makePki("p256");
  const leaf = pki.leaf("ec", "p256");
  const srv = tls.createServer({ cert: readFileSync(leaf.cert), key: readFileSync(leaf.key), minVersion: "TLSv1.3" }, (s) => s.end());
  srv.on("tlsClientError", () => {});
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  const MS = 2000;
  const rate = async (one: () => Promise<void>): Promise<number> => {
    await one();   // warm-up
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < MS && n < 2000) { await one(); n++; }
    return n / ((performance.now() - t0) / 1000);
  };
  const e = await workerEngine({});
  try {
    const d = await new TlsDriver(e).init();
    await d.call("x509_anchors_clear");
    const rc = await d.call("x509_anchor_add", await d.put(pki.caDer), pki.caDer.length);
    if (rc !== 0) throw new Error(`x509_anchor_add ${rc}`);
    const host = Buffer.from("localhost");
    const ours = await rate(async () => {
      if (await d.configure({ sni: "localhost" }) !== 0) throw new Error("tls_configure");
      const h = await d.put(host);
      const r = await d.call("tls_socket_connect", h, host.length, port, d.io, 10000);
      if (r !== 0) throw new Error(`tls_socket_connect ${r}`);
      await d.call("tls_socket_close");
    });
    const ca = pki.caPem;
    const node = await rate(() => new Promise<void>((res, rej) => {
      const c = tls.connect({ host: "127.0.0.1", port, servername: "localhost", ca, minVersion: "TLSv1.3" }, () => { c.destroy(); res(); });
      c.once("error", rej);
    }));
    add("V8 TLS 1.3 full handshakes: module (worker, HostSocket)", Math.round(ours * 10) / 10, "handshakes/s");
    add("V8 TLS 1.3 full handshakes: node:tls client", Math.round(node * 10) / 10, "handshakes/s");
    add("V8 TLS 1.3 full handshakes: module / node:tls", Math.round((ours / node) * 1000) / 1000, "ratio");
  } finally { await e.close(); srv.close(); }
}

// ---- both engines side by side: every instruction count measured on both ----
{
  const key = (n: string) => n.replace(/\bwasm[32]c?\b/, "ENGINE");
  const pairs = new Map<string, { wasm3?: number; wasm2c?: number }>();
  for (const r of rows) {
    if (r.unit !== "instructions") continue;
    const e = /\bwasm2c\b/.test(r.name) ? "wasm2c" : /\bwasm3\b/.test(r.name) ? "wasm3" : undefined;
    if (!e) continue;
    const k = key(r.name);
    pairs.set(k, { ...pairs.get(k), [e]: r.value });
  }
  console.log("\nBoth engines, emulated Cortex-M4 instructions (QEMU icount); seconds at 25 M/s on the micro:bit");
  const num = (n: number) => n.toLocaleString("en-US");
  const sec = (n: number) => (n / 25e6).toFixed(n >= 25e5 ? 1 : 3);
  console.log(`${"".padEnd(56)} ${"wasm3".padStart(13)} ${"s".padStart(6)} ${"wasm2c".padStart(12)} ${"s".padStart(6)} ${"ratio".padStart(6)}`);
  for (const [k, v] of pairs) {
    if (v.wasm3 === undefined || v.wasm2c === undefined) continue;
    const name = k.replace(" (ENGINE, QEMU)", "").replace(" (ENGINE)", "").replace("; QEMU)", ")").trim();
    console.log(`${name.slice(0, 56).padEnd(56)} ${num(v.wasm3).padStart(13)} ${sec(v.wasm3).padStart(6)} ${num(v.wasm2c).padStart(12)} ${sec(v.wasm2c).padStart(6)} ${(v.wasm3 / v.wasm2c).toFixed(1).padStart(6)}`);
    rows.push({ name: `${name}: wasm3 / wasm2c`, value: Math.round((v.wasm3 / v.wasm2c) * 10) / 10, unit: "ratio" });
  }
}

writeFileSync("build/bench.json", JSON.stringify(rows, null, 2) + "\n");
console.log("written: build/bench.json");
