// Build-time trust anchors: PEM certificates -> assembly/x509/anchors.gen.ts,
// packed records holding only what validation needs (layout: see
// assembly/x509/anchors.ts): SHA-256 of the subject Name, key type, key bytes
// (RSA n and e / EC point / Ed25519 key), pathLenConstraint, validity and the
// NameConstraints content. The output is deterministic (it depends only on
// the PEM contents, in the order given) and small, so it is committed.
//   node --import tsx tools/gen-anchors.ts [--out FILE] [PEM...]
// With no PEM file it writes an empty table. `make anchors ANCHORS="a.pem b.pem"`
// runs it; the Makefile regenerates the file when a listed PEM changes.
import { readFileSync, writeFileSync } from "node:fs";
import { createHash, X509Certificate } from "node:crypto";
import path from "node:path";

interface Tlv { tag: number; start: number; hdr: number; len: number; end: number }

function tlv(b: Uint8Array, p: number): Tlv {
  const tag = b[p];
  let len = b[p + 1], hdr = 2;
  if (len & 0x80) {
    const k = len & 0x7f;
    len = 0;
    for (let i = 0; i < k; i++) len = len * 256 + b[p + 2 + i];
    hdr += k;
  }
  if (p + hdr + len > b.length) throw new Error("DER runs past its end");
  return { tag, start: p, hdr, len, end: p + hdr + len };
}
const children = (b: Uint8Array, t: Tlv): Tlv[] => {
  const out: Tlv[] = [];
  for (let p = t.start + t.hdr; p < t.end; ) { const c = tlv(b, p); out.push(c); p = c.end; }
  return out;
};
const content = (b: Uint8Array, t: Tlv) => b.subarray(t.start + t.hdr, t.end);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unsigned = (b: Uint8Array) => { let i = 0; while (i < b.length - 1 && b[i] === 0) i++; return b.subarray(i); };

const OID_RSA = "2a864886f70d010101", OID_EC = "2a8648ce3d0201", OID_ED25519 = "2b6570";
const OID_P256 = "2a8648ce3d030107", OID_P384 = "2b81040022";
const KEY_RSA = 1, KEY_P256 = 2, KEY_P384 = 3, KEY_ED25519 = 4;

export function anchorRecord(der: Uint8Array): Uint8Array {
  const x = new X509Certificate(der);
  if (!x.ca) throw new Error(`${x.subject}: not a CA (basicConstraints cA)`);
  const cert = tlv(der, 0);
  const tbs = children(der, cert)[0];
  let f = children(der, tbs);
  if (f[0].tag === 0xa0) f = f.slice(1);            // version
  const [, , , validity, subject, spki, ...rest] = f;
  void validity;
  const [alg, bits] = children(der, spki);
  const algF = children(der, alg);
  const oid = hex(content(der, algF[0]));
  const key = content(der, bits).subarray(1);
  let type: number, k: Uint8Array, e = new Uint8Array(0);
  if (oid === OID_RSA) {
    const rsa = tlv(key, 0);
    const [n, ex] = children(key, rsa);
    type = KEY_RSA; k = unsigned(content(key, n)); e = unsigned(content(key, ex));
  } else if (oid === OID_EC) {
    const curve = hex(content(der, algF[1]));
    type = curve === OID_P256 ? KEY_P256 : curve === OID_P384 ? KEY_P384 : 0;
    k = key;
  } else if (oid === OID_ED25519) { type = KEY_ED25519; k = key; }
  else type = 0, k = key;
  if (!type) throw new Error(`${x.subject}: key type not supported`);
  // pathLenConstraint and NameConstraints from the extensions
  let pathLen = 255, nc = new Uint8Array(0);
  const exts = rest.find((t) => t.tag === 0xa3);
  if (exts) {
    for (const ext of children(der, children(der, exts)[0])) {
      const parts = children(der, ext);
      const id = hex(content(der, parts[0]));
      const val = content(der, parts[parts.length - 1]);
      if (id === "551d13") {
        const seq = children(val, tlv(val, 0));
        const pl = seq.find((t) => t.tag === 0x02);
        if (pl) pathLen = Math.min(255, Number(BigInt("0x" + hex(content(val, pl)))));
      } else if (id === "551d1e") {
        nc = content(val, tlv(val, 0));
      }
    }
  }
  const len = 60 + k.length + e.length + nc.length;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint16(0, len, true);
  out[2] = type;
  out[3] = pathLen;
  v.setUint16(4, k.length, true);
  v.setUint16(6, e.length, true);
  v.setUint16(8, nc.length, true);
  v.setBigInt64(12, BigInt(Math.floor(Date.parse(x.validFrom) / 1000)), true);
  v.setBigInt64(20, BigInt(Math.floor(Date.parse(x.validTo) / 1000)), true);
  out.set(createHash("sha256").update(der.subarray(subject.start, subject.end)).digest(), 28);
  out.set(k, 60);
  out.set(e, 60 + k.length);
  out.set(nc, 60 + k.length + e.length);
  return out;
}

function pemCerts(text: string): Uint8Array[] {
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  const out: Uint8Array[] = [];
  for (let m; (m = re.exec(text)); ) out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64")));
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  let out = "assembly/x509/anchors.gen.ts";
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") out = args[++i];
    else files.push(args[i]);
  }
  const records: Uint8Array[] = [];
  const names: string[] = [];
  for (const f of files) {
    for (const der of pemCerts(readFileSync(f, "utf8"))) {
      records.push(anchorRecord(der));
      names.push(`${path.basename(f)}: ${new X509Certificate(der).subject.replace(/\n/g, ", ")}`);
    }
  }
  const all = Buffer.concat(records);
  const lines = [
    `// Generated by tools/gen-anchors.ts from ${files.length ? files.map((f) => path.basename(f)).join(", ") : "no PEM files"}: do not edit.`,
    `// Trust anchors compiled into the module (layout: anchors.ts). RAM: ${all.length} bytes.`,
    ...names.map((n) => `//   ${n}`),
    `export const GEN_ANCHORS_LEN: usize = ${all.length};`,
  ];
  if (all.length === 0) lines.push("export const GEN_ANCHORS: usize = 0;");
  else {
    lines.push("export const GEN_ANCHORS: usize = memory.data<u8>([");
    for (let i = 0; i < all.length; i += 16) lines.push("  " + Array.from(all.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, "0")},`).join(" "));
    lines.push("]);");
  }
  writeFileSync(out, lines.join("\n") + "\n");
  console.log(`gen-anchors: ${records.length} anchor(s), ${all.length} bytes -> ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
