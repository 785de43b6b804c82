// Reads a Wasm binary: section sizes, data bytes and, from the name section
// (a --debug build of the same optimised code), each function body's size,
// attributed to the source file it came from.
import { readFileSync } from "node:fs";

export interface WasmInfo {
  codeBytes: number; dataBytes: number; dataSegments: number; functions: number;
  bodies: { name: string; bytes: number }[];
}

function leb(b: Uint8Array, pos: { p: number }): number {
  let v = 0, shift = 0, byte;
  do { byte = b[pos.p++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return v;
}

export function wasmInfo(file: string): WasmInfo {
  const b = new Uint8Array(readFileSync(file));
  const info: WasmInfo = { codeBytes: 0, dataBytes: 0, dataSegments: 0, functions: 0, bodies: [] };
  const sizes: number[] = [];
  const names = new Map<number, string>();
  let imported = 0;
  const pos = { p: 8 };
  while (pos.p < b.length) {
    const id = b[pos.p++];
    const size = leb(b, pos);
    const end = pos.p + size;
    const q = { p: pos.p };
    if (id === 2) {                       // imports: count functions
      const n = leb(b, q);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < 2; k++) { const l = leb(b, q); q.p += l; }
        const kind = b[q.p++];
        if (kind === 0) { leb(b, q); imported++; }
        else if (kind === 1) { q.p++; const f = leb(b, q); leb(b, q); if (f & 1) leb(b, q); }
        else if (kind === 2) { const f = leb(b, q); leb(b, q); if (f & 1) leb(b, q); }
        else if (kind === 3) { q.p += 2; }
      }
    } else if (id === 10) {
      info.codeBytes = size;
      const n = leb(b, q);
      info.functions = n;
      for (let i = 0; i < n; i++) { const s = leb(b, q); sizes.push(s); q.p += s; }
    } else if (id === 11) {
      const n = leb(b, q);
      info.dataSegments = n;
      for (let i = 0; i < n; i++) {
        const kind = leb(b, q);
        if (kind === 2) leb(b, q);
        if (kind !== 1) { while (b[q.p++] !== 0x0b) { /* init expr */ } }
        const l = leb(b, q); info.dataBytes += l; q.p += l;
      }
    } else if (id === 0) {
      const nl = leb(b, q);
      const name = Buffer.from(b.subarray(q.p, q.p + nl)).toString(); q.p += nl;
      if (name === "name") {
        while (q.p < end) {
          const sub = b[q.p++]; const sl = leb(b, q); const se = q.p + sl;
          if (sub === 1) {
            const n = leb(b, q);
            for (let i = 0; i < n; i++) {
              const idx = leb(b, q); const l = leb(b, q);
              names.set(idx, Buffer.from(b.subarray(q.p, q.p + l)).toString()); q.p += l;
            }
          }
          q.p = se;
        }
      }
    }
    pos.p = end;
  }
  info.bodies = sizes.map((bytes, i) => ({ name: names.get(imported + i) ?? `func${imported + i}`, bytes }));
  return info;
}

// Component of a function from its internal name ("assembly/crypto/sha256/compress").
export function componentOf(name: string): string {
  const m = /^assembly\/([^/]+)(?:\/([^/]+))?/.exec(name);
  if (!m) return name.startsWith("~lib") ? "runtime (~lib)" : "other";
  const area = m[1];
  if (area === "crypto") return `crypto/${m[2]}`;
  const labels: Record<string, string> = {
    esp8266: "driver (esp8266)", net: "sockets (net)", tls: "tls", x509: "certificates (x509)",
    app: "app", exports: "exports (test/host API)", util: "util (reader)",
  };
  return labels[area] ?? `misc (${area})`;
}

export function byComponent(info: WasmInfo): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of info.bodies) m.set(componentOf(f.name), (m.get(componentOf(f.name)) ?? 0) + f.bytes);
  return new Map([...m].sort((a, b) => b[1] - a[1]));
}
