// Small shared test utilities.
import { createHash } from "node:crypto";

// Deterministic pseudo-random bytes (SHA-256 in counter mode) so that a
// failing case can be reproduced from its seed.
export function rng(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let off = 0, ctr = 0; off < n; ctr++, off += 32) {
    const block = createHash("sha256").update(`${seed}:${ctr}`).digest();
    out.set(block.subarray(0, Math.min(32, n - off)), off);
  }
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ""), "hex"));

// Engines a suite runs on: ENGINES=v8,wasm3-native,wasm3-qemu (default all).
export const ENGINES = (process.env.ENGINES ?? "v8,wasm3-native,wasm3-qemu").split(",").filter(Boolean);
