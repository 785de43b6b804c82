// Multi-precision arithmetic modulo an odd modulus, in Montgomery form.
// The one big-number layer under P-256, P-384 and RSA (256 .. 4096 bits).
//
// Implementation notes:
// - A number is `n` u32 limbs, least significant first, in linear memory
//   (so byte i of the number is byte i of the buffer: Wasm is little-endian).
//   Lengths are parameters: one code path serves every size.
// - Products are u32 x u32 -> u64 (i64.mul: inline and cheap under wasm3).
//   wasm3 spends most of its time dispatching, so the hot loop is shaped for
//   few Wasm operations: montMul keeps its accumulator, a copy of a and the
//   modulus in one workspace at fixed distances, so a single pointer with
//   constant load offsets walks all three, two limbs per iteration.
// - A modulus is described by a context of bnCtxSize(n) bytes of caller
//   memory:  +0 n (u32, even) | +4 m0 = -m^-1 mod 2^32 | +8 m | +8+4n R^2 mod m
//   with R = 2^(32n). bnUse(ctx) makes it the current modulus of the mod* and
//   mont* functions (it copies m into the workspace; module globals, no
//   pointer passing in the hot path). n must be even (pad m with a zero limb).
// - Values handed to mod*/mont* are fully reduced (< m) and so are their
//   results; outputs may alias inputs.
// - Everything here is constant time in the values (fixed loops, masks, no
//   data-dependent branch or index) except what is named ...Vartime or says
//   "public": bnCtxInit (the modulus is public), montPow (the exponent is
//   public: RSA's e, or m - 2 for inversion) and montInvVartime (binary
//   extended Euclid, for public values: ECDSA verification).
// - Costs under wasm3 (QEMU Cortex-M4 instructions, 256 bits): montMul
//   27.8K, modAdd 4.3K, modSub 3.9K, montInvVartime 2.6M, montInv 8.3M.
// - BN_ARENA is scratch shared by the callers (EC and RSA never run at the
//   same time); each caller documents its layout.

export const BN_MAX_LIMBS: i32 = 128; // 4096 bits

// Bytes of a context for an n-limb modulus: 8 + 8n (4096 bits: 1032 B).
export function bnCtxSize(n: i32): i32 { return 8 + 8 * n; }

// Shared scratch for ecp.ts / ecdsa.ts / rsa.ts (never used at the same time).
// RSA-4096 needs the most (rsa.ts lays it out). RAM: 2336 bytes.
export const BN_ARENA_SIZE: i32 = 2336;
export const BN_ARENA: usize = memory.data(BN_ARENA_SIZE);

// montMul's workspace: a dummy word, the accumulator t (n + 1 limbs), the
// copy of a, the modulus; at fixed offsets from a pointer p = WS + 4j:
// t[j-1] at p, t[j] at p + 4, a[j] at p + WA, m[j] at p + WM.
// RAM: 4 + 516 + 512 + 512 = 1544 bytes.
const WA: usize = 4 + 4 * (BN_MAX_LIMBS + 1);
const WM: usize = WA + 4 * BN_MAX_LIMBS;
const WS: usize = memory.data(<i32>WM + 4 * BN_MAX_LIMBS);

// The current modulus (bnUse).
let gN: i32 = 0;      // limbs
let gM0: u32 = 0;     // -m^-1 mod 2^32
let gR2: usize = 0;   // R^2 mod m
const gM: usize = WS + WM;   // the modulus (copied in by bnUse)
const gT: usize = WS + 4;    // the accumulator; also modAdd's scratch

export function bnUse(ctx: usize): void {
  const n = load<u32>(ctx);
  gN = <i32>n;
  gM0 = load<u32>(ctx, 4);
  memory.copy(gM, ctx + 8, n << 2);
  gR2 = ctx + 8 + (n << 2);
}

// Zeroes the workspace (what montMul and modAdd leave of secret operands).
export function bnWipe(): void { memory.fill(WS, 0, WM); }

// The current modulus' limbs and R^2 (for conversions into Montgomery form).
export function bnModulus(): usize { return gM; }
export function bnR2(): usize { return gR2; }

// ---- plain n-limb arithmetic ---------------------------------------------

// out = a + b; returns the carry (0/1).
export function bnAdd(out: usize, a: usize, b: usize, n: i32): u32 {
  let c: u64 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) {
    c += <u64>load<u32>(a + o) + <u64>load<u32>(b + o);
    store<u32>(out + o, <u32>c);
    c >>= 32;
  }
  return <u32>c;
}

// out = a - b; returns the borrow (0/1). The u64 difference wraps, so its
// top bit is the borrow.
export function bnSub(out: usize, a: usize, b: usize, n: i32): u32 {
  let br: u64 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) {
    const d = <u64>load<u32>(a + o) - <u64>load<u32>(b + o) - br;
    store<u32>(out + o, <u32>d);
    br = d >> 63;
  }
  return <u32>br;
}

// 1 when a < b, else 0 (the borrow of a - b, nothing stored).
export function bnLt(a: usize, b: usize, n: i32): u32 {
  let br: u64 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) {
    br = (<u64>load<u32>(a + o) - <u64>load<u32>(b + o) - br) >> 63;
  }
  return <u32>br;
}

// 1 when a == 0, else 0.
export function bnIsZero(a: usize, n: i32): u32 {
  let acc: u32 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) acc |= load<u32>(a + o);
  return <u32>((<u64>acc - 1) >> 63);
}

// 1 when a == b, else 0.
export function bnEq(a: usize, b: usize, n: i32): u32 {
  let acc: u32 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) acc |= load<u32>(a + o) ^ load<u32>(b + o);
  return <u32>((<u64>acc - 1) >> 63);
}

// out = ctl ? a : b, with ctl 0 or 1.
export function bnSelect(out: usize, a: usize, b: usize, n: i32, ctl: u32): void {
  const mask = 0 - ctl;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) {
    const y = load<u32>(b + o);
    store<u32>(out + o, y ^ (mask & (load<u32>(a + o) ^ y)));
  }
}

// out = w (a one-limb value).
export function bnSetWord(out: usize, w: u32, n: i32): void {
  memory.fill(out, 0, <usize>n << 2);
  store<u32>(out, w);
}

// Bit length of a (0 for zero). Public inputs only.
export function bnBitLenVartime(a: usize, n: i32): i32 {
  for (let i = n - 1; i >= 0; i--) {
    const w = load<u32>(a + (<usize>i << 2));
    if (w) return (i << 5) + 32 - <i32>clz(w);
  }
  return 0;
}

// Big-endian bytes [src, src + len) into n limbs. False when the value does
// not fit (a nonzero byte beyond 4n); out is then the low 4n bytes.
export function bnFromBytes(out: usize, n: i32, src: usize, len: i32): bool {
  const cap = n << 2;
  memory.fill(out, 0, <usize>cap);
  let extra: u32 = 0;
  for (let i = 0; i < len; i++) {
    const b = load<u8>(src + <usize>(len - 1 - i));
    if (i < cap) store<u8>(out + <usize>i, b); else extra |= b;
  }
  return extra == 0;
}

// The low len bytes of n-limb a, big-endian, into dst (zeros above 4n).
export function bnToBytes(dst: usize, len: i32, a: usize, n: i32): void {
  const cap = n << 2;
  for (let i = 0; i < len; i++) {
    store<u8>(dst + <usize>(len - 1 - i), i < cap ? load<u8>(a + <usize>i) : 0);
  }
}

// ---- the modulus context ---------------------------------------------------

// Completes a context whose modulus the caller stored at ctx + 8 (n limbs,
// n even, m odd and > 1): m0 and R^2 mod m. Makes it current. Public modulus
// only.
export function bnCtxInit(ctx: usize, n: i32): void {
  store<u32>(ctx, <u32>n);
  const m0 = load<u32>(ctx, 8);
  // Newton's iteration for m0^-1 mod 2^32: correct to 3 bits at the start
  // (m0 * m0 = 1 mod 8 for odd m0), the precision doubles each step.
  let x = m0;
  x *= 2 - m0 * x; x *= 2 - m0 * x; x *= 2 - m0 * x; x *= 2 - m0 * x;
  store<u32>(ctx, 0 - x, 4);
  bnUse(ctx);
  // R^2 mod m: start from 2^(L-1) < m; doublings reach R * 2^n mod m, and
  // five Montgomery squarings of R * 2^n give R * 2^(32n) = R^2. (Five: a
  // doubling costs about 1/50 of a squaring at 2048 bits, so 32n = n * 2^5
  // beats 2^11 squarings of R * 2.)
  const r2 = gR2;
  const top = bnBitLenVartime(gM, n) - 1;
  memory.fill(r2, 0, <usize>n << 2);
  store<u32>(r2 + ((<usize>top >> 5) << 2), <u32>1 << (<u32>top & 31));
  for (let d = (n << 5) - top + n; d > 0; d--) modAdd(r2, r2, r2);
  for (let j = 0; j < 5; j++) montMul(r2, r2, r2);
}

// ---- arithmetic modulo the current modulus ---------------------------------

// modAdd / modSub / montMul's last step work on X (the a-copy region) and Y
// (the accumulator region), walked like montMul's loop: X[j] at p + WA,
// Y[j] at p + 4, m[j] at p + WM for p = WS + 4j. Loops take two limbs per
// iteration (n is even).

// X += m when mask is all ones (the sum wraps to the right value); out = X.
function finish(out: usize, mask: u32): void {
  const nb = <usize>gN << 2, end = WS + nb;
  let c: u64 = 0, p = WS;
  do {
    c += <u64>load<u32>(p, WA) + <u64>(load<u32>(p, WM) & mask);
    store<u32>(p, <u32>c, WA);
    c >>= 32;
    c += <u64>load<u32>(p, WA + 4) + <u64>(load<u32>(p, WM + 4) & mask);
    store<u32>(p, <u32>c, WA + 4);
    c >>= 32;
    p += 8;
  } while (p < end);
  memory.copy(out, WS + WA, nb);
}

// out = a + b mod m: X = a + b - m in one signed pass, m back if negative.
export function modAdd(out: usize, a: usize, b: usize): void {
  const nb = <usize>gN << 2, end = WS + nb;
  memory.copy(WS + WA, a, nb);
  memory.copy(WS + 4, b, nb);
  let c: i64 = 0, p = WS;
  do {
    c += <i64>load<u32>(p, WA) + <i64>load<u32>(p, 4) - <i64>load<u32>(p, WM);
    store<u32>(p, <u32>c, WA);
    c >>= 32;
    c += <i64>load<u32>(p, WA + 4) + <i64>load<u32>(p, 8) - <i64>load<u32>(p, WM + 4);
    store<u32>(p, <u32>c, WA + 4);
    c >>= 32;
    p += 8;
  } while (p < end);
  finish(out, <u32>c);
}

// out = a - b mod m.
export function modSub(out: usize, a: usize, b: usize): void {
  const nb = <usize>gN << 2, end = WS + nb;
  memory.copy(WS + WA, a, nb);
  memory.copy(WS + 4, b, nb);
  let c: i64 = 0, p = WS;
  do {
    c += <i64>load<u32>(p, WA) - <i64>load<u32>(p, 4);
    store<u32>(p, <u32>c, WA);
    c >>= 32;
    c += <i64>load<u32>(p, WA + 4) - <i64>load<u32>(p, 8);
    store<u32>(p, <u32>c, WA + 4);
    c >>= 32;
    p += 8;
  } while (p < end);
  finish(out, <u32>c);
}

// out = a / 2 mod m: a + (m when a is odd), shifted right by one bit with
// the carry coming in at the top. Constant time.
export function modHalve(out: usize, a: usize): void {
  const nb = <usize>gN << 2, end = WS + nb;
  memory.copy(WS + WA, a, nb);
  const mask = 0 - (load<u32>(WS, WA) & 1);
  let c: u64 = 0, p = WS;
  do {
    c += <u64>load<u32>(p, WA) + <u64>(load<u32>(p, WM) & mask);
    store<u32>(p, <u32>c, WA);
    c >>= 32;
    p += 4;
  } while (p < end);
  for (p = WS; p < end - 4; p += 4) {
    store<u32>(p, (load<u32>(p, WA) >> 1) | (load<u32>(p, WA + 4) << 31), WA);
  }
  store<u32>(p, (load<u32>(p, WA) >> 1) | (<u32>c << 31), WA);   // the carry comes in on top
  memory.copy(out, WS + WA, nb);
}

// out = a * b / R mod m (CIOS: multiply and reduce one limb of b at a time).
// With a, b < m the accumulator t stays < 2m, so one conditional
// subtraction at the end gives the reduced result. q is chosen from the low
// limb so that the limb shifted out (into the dummy word) is zero.
export function montMul(out: usize, a: usize, b: usize): void {
  const n = gN, m0 = gM0;
  const nb = <usize>n << 2;
  const end = WS + nb;
  memory.fill(WS + 4, 0, nb + 4);
  memory.copy(WS + WA, a, nb);
  for (let i: usize = 0; i < nb; i += 4) {
    const b32 = load<u32>(b + i);
    const bi = <u64>b32;
    const q32: u32 = (load<u32>(WS, 4) + load<u32>(WS, WA) * b32) * m0;
    const q = <u64>q32;
    let c1: u64 = 0, c2: u64 = 0;
    let p = WS;
    do {
      let x = <u64>load<u32>(p, 4) + <u64>load<u32>(p, WA) * bi + c1;
      let y = (x & 0xffffffff) + <u64>load<u32>(p, WM) * q + c2;
      c1 = x >> 32; c2 = y >> 32;
      store<u32>(p, <u32>y);
      x = <u64>load<u32>(p, 8) + <u64>load<u32>(p, WA + 4) * bi + c1;
      y = (x & 0xffffffff) + <u64>load<u32>(p, WM + 4) * q + c2;
      c1 = x >> 32; c2 = y >> 32;
      store<u32>(p, <u32>y, 4);
      p += 8;
    } while (p < end);
    const x = <u64>load<u32>(p, 4) + c1 + c2;  // p = end: t[n]
    store<u32>(p, <u32>x);
    store<u32>(p, <u32>(x >> 32), 4);
  }
  // X = t - m; keep it when t[n] is set or there was no borrow, else add m
  // back (t < 2m, so t - m < m in the first case).
  let c: i64 = 0, p = WS;
  do {
    c += <i64>load<u32>(p, 4) - <i64>load<u32>(p, WM);
    store<u32>(p, <u32>c, WA);
    c >>= 32;
    c += <i64>load<u32>(p, 8) - <i64>load<u32>(p, WM + 4);
    store<u32>(p, <u32>c, WA + 4);
    c >>= 32;
    p += 8;
  } while (p < end);
  // c is -1 on borrow; t[n] (0/1) cancels it: mask = all ones iff m goes back
  finish(out, <u32>(c + <i64>load<u32>(end, 4)));
}

// out = a^e in Montgomery form (a in Montgomery form, e: eN limbs, e >= 1).
// The exponent is public (RSA's e, or m - 2), the base may be secret: the
// sequence of operations depends on e only. With a table (16 x n limbs of
// scratch) a 4-bit fixed window is used, else square and multiply. out must
// not alias a.
export function montPow(out: usize, a: usize, e: usize, eN: i32, tab: usize): void {
  const nb = <usize>gN << 2;
  let i = bnBitLenVartime(e, eN);
  if (tab) {
    // tab[j] = a^j for j = 1..15
    memory.copy(tab + nb, a, nb);
    for (let j: usize = 2; j < 16; j++) montMul(tab + j * nb, tab + (j - 1) * nb, a);
    i = (i + 3) & ~3;
    let started = false;
    while (i > 0) {
      i -= 4;
      const d = (load<u32>(e + ((<usize>i >> 5) << 2)) >> (<u32>i & 31)) & 15;
      if (started) {
        montMul(out, out, out); montMul(out, out, out);
        montMul(out, out, out); montMul(out, out, out);
        if (d) montMul(out, out, tab + <usize>d * nb);
      } else if (d) {
        memory.copy(out, tab + <usize>d * nb, nb);
        started = true;
      }
    }
    return;
  }
  memory.copy(out, a, nb);
  while (--i > 0) {
    montMul(out, out, out);
    if ((load<u32>(e + ((<usize>(i - 1) >> 5) << 2)) >> (<u32>(i - 1) & 31)) & 1) montMul(out, out, a);
  }
}

// out = a^-1 in Montgomery form for a prime modulus (Fermat: a^(m-2));
// 0 for 0. exp: n limbs of scratch; tab: 16 x n limbs of scratch (or 0 for
// the slower square and multiply). out must not alias a.
export function montInv(out: usize, a: usize, exp: usize, tab: usize): void {
  const n = gN;
  bnSetWord(exp, 2, n);
  bnSub(exp, gM, exp, n);
  montPow(out, a, exp, n, tab);
}

// x >>= k (1 <= k <= 31) with the low k bits of `top` coming in on top.
function shrBits(x: usize, n: i32, k: u32, top: u32): void {
  const last = <usize>(n - 1) << 2;
  for (let o: usize = 0; o < last; o += 4) {
    store<u32>(x + o, (load<u32>(x + o) >> k) | (load<u32>(x + o, 4) << (32 - k)));
  }
  store<u32>(x + last, (load<u32>(x + last) >> k) | (top << (32 - k)));
}

// x = x / 2^k mod m (x < m, 1 <= k <= 31): x + c m with c = x m0 mod 2^k is
// a multiple of 2^k (m0 = -m^-1), and (x + c m) / 2^k < m.
function divPow2Mod(x: usize, n: i32, k: u32): void {
  const c = <u64>((load<u32>(x) * gM0) & ((<u32>1 << k) - 1));
  let t: u64 = 0;
  for (let o: usize = 0, e = <usize>n << 2; o < e; o += 4) {
    t += <u64>load<u32>(x + o) + c * <u64>load<u32>(gM + o);
    store<u32>(x + o, <u32>t);
    t >>= 32;
  }
  shrBits(x, n, k, <u32>t);
}

// 1 when x == 1.
function isOne(x: usize, n: i32): bool {
  return load<u32>(x) == 1 && bnIsZero(x + 4, n - 1) != 0;
}

// out = a^-1 in Montgomery form (a in Montgomery form; 0 for 0), by the
// binary extended Euclidean algorithm: far fewer operations than Fermat,
// but its running time depends on a. Public inputs only. scr: 4 n limbs.
export function montInvVartime(out: usize, a: usize, scr: usize): void {
  const n = gN, nb = <usize>n << 2;
  const u = scr, v = scr + nb, x1 = v + nb, x2 = x1 + nb;
  memory.copy(u, a, nb);
  memory.copy(v, gM, nb);
  bnSetWord(x1, 1, n);
  bnSetWord(x2, 0, n);
  if (bnIsZero(u, n)) { memory.fill(out, 0, nb); return; }
  // invariants: x1 a = u, x2 a = v (mod m)
  while (!isOne(u, n) && !isOne(v, n)) {
    // strip all trailing zeros at once (up to 31 bits per step)
    for (let k = ctz(load<u32>(u)); k; k = ctz(load<u32>(u))) {
      k = min(k, 31); shrBits(u, n, k, 0); divPow2Mod(x1, n, k);
    }
    for (let k = ctz(load<u32>(v)); k; k = ctz(load<u32>(v))) {
      k = min(k, 31); shrBits(v, n, k, 0); divPow2Mod(x2, n, k);
    }
    if (bnLt(u, v, n)) { bnSub(v, v, u, n); modSub(x2, x2, x1); }
    else { bnSub(u, u, v, n); modSub(x1, x1, x2); }
  }
  // (aR)^-1 = a^-1 R^-1; two multiplications by R^2 give a^-1 R
  montMul(out, isOne(u, n) ? x1 : x2, gR2);
  montMul(out, out, gR2);
}

// out = a * R mod m (into Montgomery form), a < m.
export function toMont(out: usize, a: usize): void { montMul(out, a, gR2); }

// out = a / R mod m (out of Montgomery form); one: n limbs of scratch.
export function fromMont(out: usize, a: usize, one: usize): void {
  bnSetWord(one, 1, gN);
  montMul(out, a, one);
}
