// Host-side driver of the module's streaming X.509 validator (shared by
// tests/x509.test.ts and tests/limbo.test.ts): installs run-time anchors and
// pushes a chain certificate by certificate, in chunks, through the IO buffer.
import { X509Certificate } from "node:crypto";
import type { Engine } from "../host/node/engine.ts";

export const X509_ERRORS: Record<number, string> = {
  0: "OK", [-1]: "BAD_POINTER", [-2]: "BAD_ARGUMENT",
  [-64]: "MALFORMED", [-65]: "CERT_TOO_LARGE", [-66]: "EXPIRED", [-67]: "NOT_YET_VALID",
  [-68]: "UNKNOWN_ISSUER", [-69]: "BAD_SIGNATURE", [-70]: "NAME_MISMATCH", [-71]: "NOT_CA",
  [-72]: "PATH_LEN", [-73]: "KEY_USAGE", [-74]: "EKU", [-75]: "UNSUPPORTED_ALGORITHM",
  [-76]: "KEY_TOO_SMALL", [-77]: "CRITICAL_EXTENSION", [-78]: "CHAIN_TOO_LONG", [-79]: "EMPTY_CHAIN",
  [-80]: "STATE", [-81]: "LENGTH", [-82]: "VERSION", [-83]: "SIG_ALG_MISMATCH",
  [-84]: "DUPLICATE_EXTENSION", [-85]: "BAD_EXTENSION", [-86]: "EMPTY_NAME", [-87]: "NAME_CONSTRAINTS",
  [-88]: "UNSUPPORTED_NC", [-89]: "PIN_MISMATCH", [-90]: "NO_SAN", [-91]: "LEAF_IS_CA",
  [-92]: "ANCHOR_STORE_FULL", [-93]: "BAD_ANCHOR", [-94]: "NO_LEAF_KEY", [-95]: "SCHEME",
  [-96]: "BAD_HOST", [-97]: "CV_SIGNATURE", [-98]: "BAD_SAN", [-99]: "MISSING_KEY_ID",
};
export const errName = (c: number): string => X509_ERRORS[c] ?? String(c);
export const ERR = Object.fromEntries(Object.entries(X509_ERRORS).map(([k, v]) => [v, Number(k)])) as Record<string, number>;

export function pemToDer(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m; (m = re.exec(pem)); ) out.push(new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ""), "base64")));
  return out;
}

// IPv4 / IPv6 text to bytes.
export function ipBytes(s: string): Uint8Array {
  if (s.includes(".") && !s.includes(":")) return new Uint8Array(s.split(".").map(Number));
  const [head, tail] = s.includes("::") ? s.split("::") : [s, undefined];
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[2 * i] = v >> 8; out[2 * i + 1] = v & 255; });
  return out;
}

export interface ChainResult { code: number; step: string; flags: number; instructions: number }

export class X509Driver {
  private io = 0;
  private ioSize = 0;
  deferred = false;   // set with setDeferred(): the validator stops before signature checks
  constructor(readonly engine: Engine) {}
  async setDeferred(on: boolean): Promise<void> { this.deferred = on; await this.engine.call("x509_defer", on ? 1 : 0); }

  async init(): Promise<this> {
    this.io = Number((await this.engine.call("io_buffer")).value);
    this.ioSize = Number((await this.engine.call("io_size")).value);
    return this;
  }

  private async call(fn: string, ...args: (number | bigint)[]): Promise<{ v: number; n: number }> {
    const r = await this.engine.call(fn, ...args);
    return { v: Number(r.value ?? 0), n: r.instructions };
  }

  async clearAnchors(): Promise<void> { await this.call("x509_anchors_clear"); }

  async addAnchor(der: Uint8Array): Promise<number> {
    if (der.length > this.ioSize) return ERR.CERT_TOO_LARGE;
    await this.engine.write(this.io, der);
    return (await this.call("x509_anchor_add", this.io, der.length)).v;
  }

  async configure(maxIntermediates = -1, rsaMinBits = -1): Promise<void> {
    await this.call("x509_configure", maxIntermediates, rsaMinBits);
  }

  async setPin(spkiSha256: Uint8Array | null): Promise<void> {
    if (!spkiSha256) { await this.call("x509_set_pin", 0); return; }
    await this.engine.write(this.io, spkiSha256);
    await this.call("x509_set_pin", this.io);
  }

  // Validates chain (leaf first) for host (DNS text, or IP given as bytes).
  // chunk: bytes per x509_append. Returns the first non-zero status and the
  // step that produced it, with the instructions counted over all calls.
  async validate(chain: Uint8Array[], host: string | Uint8Array, nowSeconds: bigint, chunk = 1500): Promise<ChainResult> {
    const hostAt = this.io + this.ioSize - 256;
    const cap = this.ioSize - 256;
    const hostBytes = typeof host === "string" ? new Uint8Array(Buffer.from(host, "latin1")) : host;
    await this.engine.write(hostAt, hostBytes);
    let total = 0;
    const step = async (name: string, fn: string, ...args: (number | bigint)[]): Promise<number> => {
      const r = await this.call(fn, ...args);
      total += r.n;
      return r.v;
    };
    const done = async (code: number, s: string): Promise<ChainResult> => {
      const flags = (await this.call("x509_flags")).v;
      return { code, step: s, flags, instructions: total };
    };
    let c = await step("begin", "x509_begin", hostAt, hostBytes.length, typeof host === "string" ? 0 : 1, nowSeconds);
    if (c) return done(c, "begin");
    for (let i = 0; i < chain.length; i++) {
      const der = chain[i];
      if ((c = await step("start", "x509_start_cert", der.length))) return done(c, `start ${i}`);
      for (let off = 0; off < der.length; ) {
        const n = Math.min(chunk, cap, der.length - off);
        await this.engine.write(this.io, der.subarray(off, off + n));
        if ((c = await step("append", "x509_append", this.io, n))) return done(c, `append ${i}`);
        off += n;
      }
      if ((c = await step("end", "x509_end_cert"))) return done(c, `cert ${i}`);
      // Deferred checks (x509_defer 1): done here as the TLS engine's tlsWork would.
      if (this.deferred && (await this.call("x509_pending")).v && (c = await step("work", "x509_work"))) return done(c, `cert ${i}`);
    }
    c = await step("chain", "x509_end_chain");
    return done(c, c ? "chain" : "ok");
  }
}

// Orders untrusted intermediates leaf-first, as a server should send them
// (one-pass streaming needs that order): a depth-first search over
// issuer/subject name matches (signatures checked with node:crypto only to
// pick among candidates) for a path ending under a trusted certificate.
// When there is none, the certificates go leaf first, then name matches
// greedily, then the rest as given: the validator must reject those.
export function orderChain(peer: Uint8Array, pool: Uint8Array[], trusted: Uint8Array[]): { chain: Uint8Array[]; found: boolean } {
  const parse = (d: Uint8Array) => { try { return new X509Certificate(d); } catch { return null; } };
  const P = pool.map(parse), T = trusted.map(parse);
  const leaf = parse(peer);
  const signs = (issuer: X509Certificate, c: X509Certificate) => {
    try { return issuer.subject === c.issuer && c.verify(issuer.publicKey); } catch { return false; }
  };
  const used = new Set<number>();
  const dfs = (c: X509Certificate, path: number[]): number[] | null => {
    if (T.some((t) => t && signs(t, c))) return path;
    for (let i = 0; i < P.length; i++) {
      const p = P[i];
      if (!p || used.has(i) || !signs(p, c)) continue;
      used.add(i);
      const r = dfs(p, [...path, i]);
      used.delete(i);
      if (r) return r;
    }
    return null;
  };
  const path = leaf ? dfs(leaf, []) : null;
  if (path) return { chain: [peer, ...path.map((i) => pool[i])], found: true };
  const chain = [peer];
  const left = pool.map((_, i) => i);
  let cur = leaf;
  while (cur) {
    const k = left.findIndex((i) => P[i] && P[i]!.subject === cur!.issuer);
    if (k < 0) break;
    const [i] = left.splice(k, 1);
    chain.push(pool[i]);
    cur = P[i];
  }
  for (const i of left) chain.push(pool[i]);
  return { chain, found: false };
}
