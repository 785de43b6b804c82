// make bench: emulated Cortex-M4 instructions under wasm3 in QEMU
// (-icount shift=0,sleep=off: deterministic), Wasm code bytes per component,
// and V8 throughput of the same module beside @noble/* and node:crypto.
// Prints a table and writes build/bench.json as [{name, value, unit}].
import { writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { sha256 as nobleSha256, sha384 as nobleSha384 } from "@noble/hashes/sha2.js";
import { p256, p384 } from "@noble/curves/nist.js";
import { ed25519, x25519 as nobleX25519 } from "@noble/curves/ed25519.js";
import { generateKeyPairSync, sign as nodeSign } from "node:crypto";
import { ROOT, qemuBoard, V8Engine, type Engine } from "../host/node/engine.ts";
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
{
  // Each operation on a fresh board: the whole module's code does not fit the
  // 128 KB board once compiled (see make size), one primitive at a time does.
  let q: Engine = await qemuBoard({ icount: true });
  let m = await new Module(q).init();
  const fresh = async () => { await q.close(); q = await qemuBoard({ icount: true }); m = await new Module(q).init(); };
  const A = io, B = io + 1024, C = io + 2048, D = io + 3072;
  const put = (addr: number, b: Uint8Array) => q.write(addr, b);
  const fill = (n: number, v: number) => new Uint8Array(n).fill(v);

  // AEAD: ctx (664 B) at A, key/nonce at B, 1 KiB of data at C..
  for (const [suite, label] of [[1, "AES-128-GCM"], [3, "ChaCha20-Poly1305"]] as const) {
    await fresh();
    await put(B, fill(32, 9));
    await m.ok("aead_init", suite, A, B);
    await m.ok("aead_start", A, B + 32);
    await put(C, fill(1024, 1));
    const per = await steady(q, "aead_encrypt", A, C, 1024);
    add(`${label}: encrypt 1 KiB (wasm3, QEMU)`, per, "instructions");
  }

  await fresh();
  // X25519
  const sk = fill(32, 5), peer = nobleX25519.getPublicKey(fill(32, 6));
  await put(B, sk); await put(B + 32, peer);
  add("X25519: one scalar multiplication (wasm3, QEMU)", await steady(q, "x25519", C, B, B + 32), "instructions");

  await fresh();
  // P-256 ECDH, ECDSA verify and sign; P-384 verify
  const h256 = nobleSha256(new TextEncoder().encode("bench"));
  const k1 = p256.utils.randomSecretKey();
  const pub1 = p256.getPublicKey(k1, false);
  await put(B, k1); await put(B + 32, p256.getPublicKey(p256.utils.randomSecretKey(), false));
  add("P-256: ECDH (wasm3, QEMU)", await steady(q, "ecdh_p256", C, B, B + 32, 65), "instructions");
  await fresh();
  const sig1 = p256.sign(h256, k1, { prehash: false });
  await put(A, pub1); await put(A + 128, h256); await put(A + 192, sig1);
  add("P-256: ECDSA verify (wasm3, QEMU)", await steady(q, "ecdsa_verify", 1, A, 65, A + 128, 32, A + 192, 64), "instructions");
  await fresh();
  await put(B, k1); await put(A + 128, h256);
  add("P-256: ECDSA sign (wasm3, QEMU)", await steady(q, "ecdsa_sign_p256", C, B, A + 128), "instructions");
  await fresh();
  const h384 = nobleSha384(new TextEncoder().encode("bench"));
  const k3 = p384.utils.randomSecretKey();
  await put(A, p384.getPublicKey(k3, false)); await put(A + 128, h384); await put(A + 192, p384.sign(h384, k3, { prehash: false }));
  add("P-384: ECDSA verify (wasm3, QEMU)", await steady(q, "ecdsa_verify", 2, A, 97, A + 128, 48, A + 192, 96), "instructions");

  await fresh();
  // RSA-2048 PKCS#1 v1.5 verify (e = 65537)
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const n = Buffer.from(publicKey.export({ format: "jwk" }).n!, "base64url");
  const msg = Buffer.from("bench");
  await put(A, n); await put(A + 512, nobleSha256(msg)); await put(B + 512, nodeSign("sha256", msg, privateKey));
  add("RSA-2048: PKCS#1 v1.5 verify (wasm3, QEMU)", await steady(q, "rsa_verify_pkcs1", A, 256, 65537, 1, A + 512, B + 512, 256), "instructions");

  await fresh();
  // Ed25519 verify of a 64-byte message
  const ek = ed25519.utils.randomSecretKey();
  const emsg = fill(64, 3);
  await put(A, ed25519.getPublicKey(ek)); await put(A + 64, emsg); await put(A + 128, ed25519.sign(emsg, ek));
  add("Ed25519: verify, 64-byte message (wasm3, QEMU)", await steady(q, "ed25519_verify", A, A + 64, 64, A + 128, 64), "instructions");
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

writeFileSync("build/bench.json", JSON.stringify(rows, null, 2) + "\n");
console.log("written: build/bench.json");
