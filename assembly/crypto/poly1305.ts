// Poly1305 (RFC 8439 section 2.5) for the ChaCha20-Poly1305 AEAD.
//
// Timing promise: CONSTANT TIME. Limb products are i64 multiplications (no
// data-dependent timing in wasm3 or on the Cortex-M4); the final reduction
// adds a masked constant, not a branch.
//
// Implementation notes: 26-bit limbs. A state is POLY_STATE bytes: r as five
// u32 limbs (0), s as 16 bytes (20), the accumulator h as five u32 limbs (36).
// Every block the AEAD feeds is a full 16-byte block (the AEAD pads with
// zeros), so the 2^128 bit is always set. No static memory. The final
// reduction adds 5 and takes bit 130 as "h >= p": (h - p) mod 2^128 is then
// (h + 5) mod 2^128, so h or h - p is chosen by adding 5 & -bit.

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

// tag = (h mod p) + s mod 2^128, 16 bytes little-endian at out. Loops over
// the limbs in memory: fixed trip counts, smaller than written out.
export function polyFinal(st: usize, out: usize): void {
  const h = st + 36;
  // full carry: limbs to 26 bits (the 2^130 overflow folds back as * 5)
  for (let k = 0; k < 2; k++) {
    for (let i: usize = 0; i < 20; i += 4) {
      const v = load<u32>(h + i), c = v >>> 26;
      store<u32>(h + i, v & M26);
      if (i < 16) store<u32>(h + i + 4, load<u32>(h + i + 4) + c);
      else store<u32>(h, load<u32>(h) + c * 5);
    }
  }
  // carry out of h + 5 at bit 130: 1 exactly when h >= p
  let c: u32 = 5;
  for (let i: usize = 0; i < 20; i += 4) {
    c += load<u32>(h + i);
    c = c >>> 26;
  }
  // c = 1 (bit 130 of h + 5) selects h - p, i.e. the low 130 bits of h + 5
  c = 5 & -c;
  // h + s (+ 5 when reducing) mod 2^128, limb by limb
  let f: u64 = <u64>load<u32>(h) + (<u64>load<u32>(h, 4) << 26) + <u64>load<u32>(st, 20) + <u64>c;
  store<u32>(out, <u32>f);
  f = (f >> 32) + (<u64>load<u32>(h, 8) << 20) + <u64>load<u32>(st, 24);
  store<u32>(out, <u32>f, 4);
  f = (f >> 32) + (<u64>load<u32>(h, 12) << 14) + <u64>load<u32>(st, 28);
  store<u32>(out, <u32>f, 8);
  f = (f >> 32) + (<u64>load<u32>(h, 16) << 8) + <u64>load<u32>(st, 32);
  store<u32>(out, <u32>f, 12);
}
