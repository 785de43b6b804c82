// Poly1305 (RFC 8439 section 2.5) for the ChaCha20-Poly1305 AEAD.
//
// Timing promise: CONSTANT TIME. Limb products are i64 multiplications (no
// data-dependent timing in wasm3 or on the Cortex-M4); the final reduction
// selects h or h - p with a mask, not a branch.
//
// Implementation notes: 26-bit limbs. A state is POLY_STATE bytes: r as five
// u32 limbs (0), s as 16 bytes (20), the accumulator h as five u32 limbs (36).
// Every block the AEAD feeds is a full 16-byte block (the AEAD pads with
// zeros), so the 2^128 bit is always set. No static memory.

export const POLY_STATE: i32 = 56;
const M26: u32 = 0x3ffffff;

// Clamps r from key[0..16], keeps s = key[16..32], zeroes h.
export function polyInit(st: usize, key: usize): void {
  const t0 = load<u32>(key), t1 = load<u32>(key, 4), t2 = load<u32>(key, 8), t3 = load<u32>(key, 12);
  store<u32>(st, t0 & 0x3ffffff);
  store<u32>(st, ((t0 >>> 26) | (t1 << 6)) & 0x3ffff03, 4);
  store<u32>(st, ((t1 >>> 20) | (t2 << 12)) & 0x3ffc0ff, 8);
  store<u32>(st, ((t2 >>> 14) | (t3 << 18)) & 0x3f03fff, 12);
  store<u32>(st, (t3 >>> 8) & 0x00fffff, 16);
  memory.copy(st + 20, key + 16, 16);
  memory.fill(st + 36, 0, 20);
}

// h = (h + block + 2^128) * r mod 2^130 - 5.
export function polyBlock(st: usize, m: usize): void {
  const r0 = <u64>load<u32>(st), r1 = <u64>load<u32>(st, 4), r2 = <u64>load<u32>(st, 8);
  const r3 = <u64>load<u32>(st, 12), r4 = <u64>load<u32>(st, 16);
  const s1 = r1 * 5, s2 = r2 * 5, s3 = r3 * 5, s4 = r4 * 5;
  const t0 = load<u32>(m), t1 = load<u32>(m, 4), t2 = load<u32>(m, 8), t3 = load<u32>(m, 12);
  const h0 = <u64>(load<u32>(st, 36) + (t0 & M26));
  const h1 = <u64>(load<u32>(st, 40) + (((t0 >>> 26) | (t1 << 6)) & M26));
  const h2 = <u64>(load<u32>(st, 44) + (((t1 >>> 20) | (t2 << 12)) & M26));
  const h3 = <u64>(load<u32>(st, 48) + (((t2 >>> 14) | (t3 << 18)) & M26));
  const h4 = <u64>(load<u32>(st, 52) + ((t3 >>> 8) | (1 << 24)));
  let d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
  let d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
  let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
  let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
  let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;
  d1 += d0 >> 26; d2 += d1 >> 26; d3 += d2 >> 26; d4 += d3 >> 26;
  let c = <u32>(d4 >> 26) * 5 + (<u32>d0 & M26);
  store<u32>(st, c & M26, 36);
  store<u32>(st, (<u32>d1 & M26) + (c >>> 26), 40);
  store<u32>(st, <u32>d2 & M26, 44);
  store<u32>(st, <u32>d3 & M26, 48);
  store<u32>(st, <u32>d4 & M26, 52);
}

// tag = (h mod p) + s mod 2^128, 16 bytes little-endian at out.
export function polyFinal(st: usize, out: usize): void {
  let h0 = load<u32>(st, 36), h1 = load<u32>(st, 40), h2 = load<u32>(st, 44);
  let h3 = load<u32>(st, 48), h4 = load<u32>(st, 52);
  // full carry (h1 may hold 27 bits)
  h2 += h1 >>> 26; h1 &= M26;
  h3 += h2 >>> 26; h2 &= M26;
  h4 += h3 >>> 26; h3 &= M26;
  h0 += (h4 >>> 26) * 5; h4 &= M26;
  h1 += h0 >>> 26; h0 &= M26;
  // g = h + 5 - 2^130; keep g when it does not borrow
  let g0 = h0 + 5, g1 = h1 + (g0 >>> 26), g2 = h2 + (g1 >>> 26), g3 = h3 + (g2 >>> 26);
  let g4 = h4 + (g3 >>> 26) - (1 << 26);
  const useG = (g4 >>> 31) - 1;  // all ones when g4 >= 0
  h0 = (h0 & ~useG) | (g0 & M26 & useG);
  h1 = (h1 & ~useG) | (g1 & M26 & useG);
  h2 = (h2 & ~useG) | (g2 & M26 & useG);
  h3 = (h3 & ~useG) | (g3 & M26 & useG);
  h4 = (h4 & ~useG) | (g4 & useG);
  // h + s mod 2^128, added up limb by limb (exact even if h1 = 2^26)
  let f: u64 = <u64>h0 + (<u64>h1 << 26) + <u64>load<u32>(st, 20);
  store<u32>(out, <u32>f);
  f = (f >> 32) + (<u64>h2 << 20) + <u64>load<u32>(st, 24);
  store<u32>(out, <u32>f, 4);
  f = (f >> 32) + (<u64>h3 << 14) + <u64>load<u32>(st, 28);
  store<u32>(out, <u32>f, 8);
  f = (f >> 32) + (<u64>h4 << 8) + <u64>load<u32>(st, 32);
  store<u32>(out, <u32>f, 12);
}
