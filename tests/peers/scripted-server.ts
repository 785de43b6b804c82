// A scripted TLS 1.3 server for adversarial tests: it answers the engine's
// ClientHello with a ServerHello and an encrypted flight built here (x25519,
// TLS_AES_128_GCM_SHA256, ECDSA P-256), every message open to mutation.
// node:crypto does the server's cryptography; nothing here is shared with
// the module.
import { createHash, createHmac, createCipheriv, createDecipheriv, generateKeyPairSync, diffieHellman, createPublicKey, createPrivateKey, sign, randomBytes, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

const u8 = (...xs: number[]) => Buffer.from(xs);
const u16 = (n: number) => u8(n >> 8, n & 255);
const u24 = (n: number) => u8(n >> 16, (n >> 8) & 255, n & 255);
export const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
export const vec8 = (b: Buffer) => Buffer.concat([u8(b.length), b]);
export const msg = (type: number, body: Buffer) => Buffer.concat([u8(type), u24(body.length), body]);
export const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);
const sha = (b: Buffer) => createHash("sha256").update(b).digest();
const hmac = (k: Buffer, b: Buffer) => createHmac("sha256", k).update(b).digest();
function expandLabel(secret: Buffer, label: string, ctx: Buffer, len: number): Buffer {
  const info = Buffer.concat([u16(len), vec8(Buffer.from("tls13 " + label)), vec8(ctx)]);
  return hmac(secret, Buffer.concat([info, u8(1)])).subarray(0, len);
}

export interface Flight {
  sh?: Buffer; ee?: Buffer; cert?: Buffer; cv?: Buffer; fin?: Buffer;
  extra?: Buffer[];                 // more handshake messages in the encrypted flight
  order?: Array<"ee" | "cert" | "cv" | "fin">;
}

export class ScriptedServer {
  readonly key: KeyObject; readonly certDer: Buffer; readonly certKey: KeyObject;
  th = Buffer.alloc(0);
  shs = Buffer.alloc(0); chs = Buffer.alloc(0); hsSecret = Buffer.alloc(0);
  seq = 0; private rkey = Buffer.alloc(0); private riv = Buffer.alloc(0);
  sid = Buffer.alloc(0); clientShare = Buffer.alloc(0);
  constructor(certPem: string, keyPem: string) {
    this.key = generateKeyPairSync("x25519").privateKey;
    this.certDer = Buffer.from(new X509Certificate(readFileSync(certPem)).raw);
    this.certKey = createPrivateKey(readFileSync(keyPem));
  }
  get pub(): Buffer { return Buffer.from(createPublicKey(this.key).export({ format: "jwk" }).x!, "base64url"); }

  // Takes the client's first flight (records); remembers the ClientHello.
  clientHello(records: Uint8Array): Buffer {
    const m = Buffer.from(records).subarray(5);
    const len = (m[1] << 16) | (m[2] << 8) | m[3];
    const ch = m.subarray(0, 4 + len);
    this.sid = Buffer.from(ch.subarray(39, 39 + ch[38]));
    const i = ch.indexOf(Buffer.from("001d0020", "hex"));
    this.clientShare = Buffer.from(ch.subarray(i + 4, i + 36));
    this.th = Buffer.from(ch);
    return ch;
  }

  serverHello(mut: { version?: number; random?: Buffer; sid?: Buffer; suite?: number; exts?: Buffer } = {}): Buffer {
    const exts = mut.exts ?? Buffer.concat([ext(0x2b, u16(0x0304)), ext(0x33, Buffer.concat([u16(0x1d), vec16(this.pub)]))]);
    return msg(2, Buffer.concat([u16(mut.version ?? 0x0303), mut.random ?? randomBytes(32), vec8(mut.sid ?? this.sid), u16(mut.suite ?? 0x1301), u8(0), vec16(exts)]));
  }

  // Handshake keys after `sh` (the server's real key share).
  keys(sh: Buffer): void {
    this.th = Buffer.concat([this.th, sh]);
    const shared = diffieHellman({ privateKey: this.key, publicKey: createPublicKey({ key: { kty: "OKP", crv: "X25519", x: this.clientShare.toString("base64url") }, format: "jwk" }) });
    const early = hmac(Buffer.alloc(32), Buffer.alloc(32));
    const derived = expandLabel(early, "derived", sha(Buffer.alloc(0)), 32);
    this.hsSecret = hmac(derived, shared);
    this.chs = expandLabel(this.hsSecret, "c hs traffic", sha(this.th), 32);
    this.shs = expandLabel(this.hsSecret, "s hs traffic", sha(this.th), 32);
    this.rkey = expandLabel(this.shs, "key", Buffer.alloc(0), 16);
    this.riv = expandLabel(this.shs, "iv", Buffer.alloc(0), 12);
    this.seq = 0;
  }
  apKeys(): void {
    const derived = expandLabel(this.hsSecret, "derived", sha(Buffer.alloc(0)), 32);
    const master = hmac(derived, Buffer.alloc(32));
    const sap = expandLabel(master, "s ap traffic", sha(this.th), 32);
    this.rkey = expandLabel(sap, "key", Buffer.alloc(0), 16);
    this.riv = expandLabel(sap, "iv", Buffer.alloc(0), 12);
    this.seq = 0;
  }

  add(m: Buffer): Buffer { this.th = Buffer.concat([this.th, m]); return m; }
  ee(exts = Buffer.alloc(0)): Buffer { return msg(8, vec16(exts)); }
  certificate(ctx = Buffer.alloc(0), entries?: Buffer): Buffer {
    const list = entries ?? Buffer.concat([u24(this.certDer.length), this.certDer, u16(0)]);
    return msg(11, Buffer.concat([vec8(ctx), u24(list.length), list]));
  }
  certVerify(scheme = 0x0403, corrupt = false): Buffer {
    const content = Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from("TLS 1.3, server CertificateVerify"), u8(0), sha(this.th)]);
    const sig = sign("sha256", content, this.certKey);
    if (corrupt) sig[sig.length - 3] ^= 1;
    return msg(15, Buffer.concat([u16(scheme), vec16(sig)]));
  }
  finished(corrupt = false): Buffer {
    const v = hmac(expandLabel(this.shs, "finished", Buffer.alloc(0), 32), sha(this.th));
    if (corrupt) v[0] ^= 1;
    return msg(20, v);
  }

  // The usual flight: EE, Certificate, CertificateVerify, Finished, each
  // replaceable; transcript kept in step.
  flight(f: Flight = {}): Buffer {
    const parts: Buffer[] = [];
    for (const k of f.order ?? ["ee", "cert", "cv", "fin"]) {
      const m = k === "ee" ? (f.ee ?? this.ee()) : k === "cert" ? (f.cert ?? this.certificate())
        : k === "cv" ? (f.cv ?? this.certVerify()) : (f.fin ?? this.finished());
      parts.push(this.add(m));
    }
    for (const m of f.extra ?? []) parts.push(this.add(m));
    return Buffer.concat(parts);
  }

  // One protected record: content, inner type, padding zeros; `tamper` flips a tag bit.
  record(content: Buffer, type = 22, pad = 0, tamper = false): Buffer {
    const inner = Buffer.concat([content, u8(type), Buffer.alloc(pad)]);
    const nonce = Buffer.from(this.riv);
    for (let i = 0; i < 8; i++) nonce[11 - i] ^= Number((BigInt(this.seq) >> BigInt(8 * i)) & 255n);
    this.seq++;
    const hdr = Buffer.concat([u8(23, 3, 3), u16(inner.length + 16)]);
    const c = createCipheriv("aes-128-gcm", this.rkey, nonce);
    c.setAAD(hdr);
    const ct = Buffer.concat([c.update(inner), c.final()]);
    const tag = c.getAuthTag();
    if (tamper) tag[0] ^= 1;
    return Buffer.concat([hdr, ct, tag]);
  }
}

export const plainRecord = (type: number, body: Buffer) => Buffer.concat([u8(type, 3, 3), u16(body.length), body]);
export { u8, u16, u24 };
