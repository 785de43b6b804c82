// AES-128 / AES-256, forward cipher only (GCM needs nothing else).
//
// Timing promise: CONSTANT TIME. No table is indexed by key or data and no
// branch or loop bound depends on them: the S-box is a boolean circuit (the
// 113-gate straight-line program of Boyar and Peralta, "A Very Compact S-Box
// for AES", 2011) evaluated on bit planes, and the key schedule runs its
// SubWord through the same circuit. Loop bounds depend only on the key size.
//
// Implementation notes (bitsliced, two blocks at a time):
// - The state of two blocks (32 bytes) is 8 u32 bit planes: plane j holds bit j
//   of every byte. Byte (row r, column c) of block b sits at bit r*8 + c*2 + b,
//   so one row is one byte lane of every plane: MixColumns' row rotation is a
//   32-bit rotation by 8, ShiftRows a rotation inside each byte lane.
// - To get there, word 2c+b is column c of block b loaded as a little-endian
//   u32 (byte r = row r) and `ortho` transposes the 8x8 bit matrix in each byte
//   lane of the 8 words (three rounds of delta swaps). The transpose is its own
//   inverse, so the same function converts back.
// - Round keys are stored already bitsliced (the same key bits for both
//   blocks): 32 bytes per round key, AES_RK_BYTES for AES-256's 15.
// - `rounds` keeps the 8 planes in locals from round 1 to the last: memory
//   traffic per round is the round key only (35% fewer wasm3 instructions
//   than a state in memory). Measured under wasm3 on QEMU's Cortex-M4: 80 K
//   instructions per 2-block AES-128 call, 106 K for AES-256.
// - Why two blocks in u32 and not four in u64 (BearSSL's ct64 idea): the same
//   rounds on i64 planes cost 79 K instructions for 4 blocks against 65 K for
//   2 (0.61x per block), but round keys would take 64 bytes each (960 B per
//   AES-256 context, two contexts in the TLS engine). Size first.
// - Static scratch: Q (32 B, the state planes), KW (32 B, the key schedule's
//   rolling window of Nk words). Both are wiped after use.

import { FULL } from "../config";

// The device profile (config.ts) has AES-128 only: 11 round keys.
export const AES_RK_BYTES: i32 = (FULL ? 15 : 11) * 32;

const Q: usize = memory.data(32);   // 32 B: state planes of the block pair
const KW: usize = memory.data(32);  // 32 B: key schedule window (Nk <= 8 words)

function swap(i: usize, j: usize, s: u32, m: u32): void {
  const a = load<u32>(Q + i), b = load<u32>(Q + j);
  const t = ((a >>> s) ^ b) & m;
  store<u32>(Q + j, b ^ t);
  store<u32>(Q + i, a ^ (t << s));
}

// Transposes the 8x8 bit matrix in each byte lane of the words Q[0..8]
// (see notes): delta swaps of bits 1, 2, then 4 apart between word pairs.
function ortho(): void {
  swap(0, 4, 1, 0x55555555); swap(8, 12, 1, 0x55555555);
  swap(16, 20, 1, 0x55555555); swap(24, 28, 1, 0x55555555);
  swap(0, 8, 2, 0x33333333); swap(4, 12, 2, 0x33333333);
  swap(16, 24, 2, 0x33333333); swap(20, 28, 2, 0x33333333);
  swap(0, 16, 4, 0x0f0f0f0f); swap(4, 20, 4, 0x0f0f0f0f);
  swap(8, 24, 4, 0x0f0f0f0f); swap(12, 28, 4, 0x0f0f0f0f);
}

// ShiftRows on one plane: row r (byte lane r) rotates right by 2r bits inside
// its lane, done as "lanes 1 and 3 by 2" then "lanes 2 and 3 by 4".
function shiftRows(x: u32): u32 {
  x = (x & 0x00ff00ff) | ((x >>> 2) & 0x3f003f00) | ((x << 6) & 0xc000c000);
  return (x & 0x0000ffff) | ((x >>> 4) & 0x0f0f0000) | ((x << 4) & 0xf0f00000);
}

function addRoundKey(rk: usize): void {
  for (let i: usize = 0; i < 32; i += 4) store<u32>(Q + i, load<u32>(Q + i) ^ load<u32>(rk + i));
}

// Rounds 1..nr on the planes in Q (round key 0 already added), the state in
// locals throughout. nr == 0: SubBytes only (for the key schedule).
// SubBytes is the Boyar-Peralta circuit with U0 = bit 7 (plane 7) ... U7 =
// bit 0, outputs S0 = bit 7 ... S7 = bit 0. MixColumns: out = 2(a ^ b) ^ b ^
// rot16(a ^ b) with b = a rotated one row; the doubling (xtime) moves plane 7
// into planes 0, 1, 3 and 4 (0x11b).
function rounds(rk: usize, nr: i32): void {
  let q0 = load<u32>(Q), q1 = load<u32>(Q, 4), q2 = load<u32>(Q, 8), q3 = load<u32>(Q, 12);
  let q4 = load<u32>(Q, 16), q5 = load<u32>(Q, 20), q6 = load<u32>(Q, 24), q7 = load<u32>(Q, 28);
  for (let r = 1; ; r++) {
    const u0 = q7, u1 = q6, u2 = q5, u3 = q4, u4 = q3, u5 = q2, u6 = q1, u7 = q0;
    // top linear layer
    const y14 = u3 ^ u5, y13 = u0 ^ u6, y9 = u0 ^ u3, y8 = u0 ^ u5;
    const t0 = u1 ^ u2, y1 = t0 ^ u7, y4 = y1 ^ u3, y12 = y13 ^ y14;
    const y2 = y1 ^ u0, y5 = y1 ^ u6, y3 = y5 ^ y8, t1 = u4 ^ y12;
    const y15 = t1 ^ u5, y20 = t1 ^ u1, y6 = y15 ^ u7, y10 = y15 ^ t0;
    const y11 = y20 ^ y9, y7 = u7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8;
    const y16 = t0 ^ y11, y21 = y13 ^ y16, y18 = u0 ^ y16;
    // nonlinear middle (inversion in GF(2^8) through GF(2^4))
    const t2 = y12 & y15, t3 = y3 & y6, t4 = t3 ^ t2, t5 = y4 & u7, t6 = t5 ^ t2;
    const t7 = y13 & y16, t8 = y5 & y1, t9 = t8 ^ t7, t10 = y2 & y7, t11 = t10 ^ t7;
    const t12 = y9 & y11, t13 = y14 & y17, t14 = t13 ^ t12, t15 = y8 & y10, t16 = t15 ^ t12;
    const t17 = t4 ^ y20, t18 = t6 ^ t16, t19 = t9 ^ t14, t20 = t11 ^ t16;
    const t21 = t17 ^ t14, t22 = t18 ^ y19, t23 = t19 ^ y21, t24 = t20 ^ y18;
    const t25 = t21 ^ t22, t26 = t21 & t23, t27 = t24 ^ t26, t28 = t25 & t27;
    const t29 = t28 ^ t22, t30 = t23 ^ t24, t31 = t22 ^ t26, t32 = t31 & t30;
    const t33 = t32 ^ t24, t34 = t23 ^ t33, t35 = t27 ^ t33, t36 = t24 & t35;
    const t37 = t36 ^ t34, t38 = t27 ^ t36, t39 = t29 & t38, t40 = t25 ^ t39;
    const t41 = t40 ^ t37, t42 = t29 ^ t33, t43 = t29 ^ t40, t44 = t33 ^ t37, t45 = t42 ^ t41;
    const z0 = t44 & y15, z1 = t37 & y6, z2 = t33 & u7, z3 = t43 & y16, z4 = t40 & y1;
    const z5 = t29 & y7, z6 = t42 & y11, z7 = t45 & y17, z8 = t41 & y10, z9 = t44 & y12;
    const z10 = t37 & y3, z11 = t33 & y4, z12 = t43 & y13, z13 = t40 & y5, z14 = t29 & y2;
    const z15 = t42 & y9, z16 = t45 & y14, z17 = t41 & y8;
    // bottom linear layer (with the affine constant 0x63 as NOTs)
    const tc1 = z15 ^ z16, tc2 = z10 ^ tc1, tc3 = z9 ^ tc2, tc4 = z0 ^ z2, tc5 = z1 ^ z0;
    const tc6 = z3 ^ z4, tc7 = z12 ^ tc4, tc8 = z7 ^ tc6, tc9 = z8 ^ tc7, tc10 = tc8 ^ tc9;
    const tc11 = tc6 ^ tc5, tc12 = z3 ^ z5, tc13 = z13 ^ tc1, tc14 = tc4 ^ tc12;
    const s3 = tc3 ^ tc11, tc16 = z6 ^ tc8, tc17 = z14 ^ tc10, tc18 = tc13 ^ tc14;
    const tc20 = z15 ^ tc16, tc21 = tc2 ^ z11, tc26 = tc17 ^ tc20;
    q7 = tc3 ^ tc16;        // S0
    q6 = ~(s3 ^ tc16);      // S1
    q5 = ~(tc26 ^ z17);     // S2
    q4 = s3;                // S3
    q3 = tc14 ^ s3;         // S4
    q2 = tc21 ^ tc17;       // S5
    q1 = ~(tc10 ^ tc18);    // S6
    q0 = ~(z12 ^ tc18);     // S7
    if (r > nr) break;
    q0 = shiftRows(q0); q1 = shiftRows(q1); q2 = shiftRows(q2); q3 = shiftRows(q3);
    q4 = shiftRows(q4); q5 = shiftRows(q5); q6 = shiftRows(q6); q7 = shiftRows(q7);
    if (r < nr) {
      const b0 = rotr<u32>(q0, 8), b1 = rotr<u32>(q1, 8), b2 = rotr<u32>(q2, 8), b3 = rotr<u32>(q3, 8);
      const b4 = rotr<u32>(q4, 8), b5 = rotr<u32>(q5, 8), b6 = rotr<u32>(q6, 8), b7 = rotr<u32>(q7, 8);
      const e0 = q0 ^ b0, e1 = q1 ^ b1, e2 = q2 ^ b2, e3 = q3 ^ b3;
      const e4 = q4 ^ b4, e5 = q5 ^ b5, e6 = q6 ^ b6, e7 = q7 ^ b7;
      q0 = e7 ^ b0 ^ rotr<u32>(e0, 16);
      q1 = e0 ^ e7 ^ b1 ^ rotr<u32>(e1, 16);
      q2 = e1 ^ b2 ^ rotr<u32>(e2, 16);
      q3 = e2 ^ e7 ^ b3 ^ rotr<u32>(e3, 16);
      q4 = e3 ^ e7 ^ b4 ^ rotr<u32>(e4, 16);
      q5 = e4 ^ b5 ^ rotr<u32>(e5, 16);
      q6 = e5 ^ b6 ^ rotr<u32>(e6, 16);
      q7 = e6 ^ b7 ^ rotr<u32>(e7, 16);
    }
    rk += 32;
    q0 ^= load<u32>(rk); q1 ^= load<u32>(rk, 4); q2 ^= load<u32>(rk, 8); q3 ^= load<u32>(rk, 12);
    q4 ^= load<u32>(rk, 16); q5 ^= load<u32>(rk, 20); q6 ^= load<u32>(rk, 24); q7 ^= load<u32>(rk, 28);
    if (r == nr) break;
  }
  store<u32>(Q, q0); store<u32>(Q, q1, 4); store<u32>(Q, q2, 8); store<u32>(Q, q3, 12);
  store<u32>(Q, q4, 16); store<u32>(Q, q5, 20); store<u32>(Q, q6, 24); store<u32>(Q, q7, 28);
}

// Encrypts the two blocks at src (32 bytes) into dst (may equal src).
// rk: AES_RK_BYTES of round keys from aesKeySchedule; nr: 10 or 14.
export function aesEncrypt2(rk: usize, nr: i32, src: usize, dst: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(Q + (i << 2), load<u32>(src + ((i & 1) << 4) + ((i >> 1) << 2)));
  ortho();
  addRoundKey(rk);
  rounds(rk, nr);
  ortho();
  for (let i: usize = 0; i < 8; i++) store<u32>(dst + ((i & 1) << 4) + ((i >> 1) << 2), load<u32>(Q + (i << 2)));
  memory.fill(Q, 0, 32);
}

// SubWord through the circuit: w in column 0 of block 0, the rest ignored.
function subWord(w: u32): u32 {
  memory.fill(Q, 0, 32);
  store<u32>(Q, w);
  ortho();
  rounds(0, 0);
  ortho();
  return load<u32>(Q);
}

// Expands a 16- or 32-byte key into bitsliced round keys at rk
// (AES_RK_BYTES). Returns the number of rounds (10 or 14), 0 for another
// key length. Words are little-endian u32 of the key bytes, so RotWord is a
// rotation right by 8 and Rcon goes into the low byte.
export function aesKeySchedule(rk: usize, key: usize, keyLen: i32): i32 {
  if (keyLen != 16 && (!FULL || keyLen != 32)) return 0;
  const nk = <usize>(keyLen >> 2);
  const nr = keyLen == 16 ? 10 : 14;
  const total = <usize>(nr + 1) << 2;
  memory.copy(KW, key, keyLen);
  let rcon: u32 = 1;
  for (let i: usize = 0; i < total; i++) {
    let w: u32;
    if (i < nk) {
      w = load<u32>(KW + (i << 2));
    } else {
      w = load<u32>(KW + (((i - 1) & (nk - 1)) << 2));
      if ((i & (nk - 1)) == 0) {
        w = subWord(rotr<u32>(w, 8)) ^ rcon;
        rcon = (rcon << 1) ^ (0x11b & -(rcon >> 7));  // public constant
      } else if (FULL && nk == 8 && (i & 7) == 4) {
        w = subWord(w);
      }
      w ^= load<u32>(KW + ((i & (nk - 1)) << 2));
      store<u32>(KW + ((i & (nk - 1)) << 2), w);
    }
    // round key i >> 2, column i & 3: the same column for both blocks
    const rki = rk + ((i >> 2) << 5);
    store<u32>(rki + ((i & 3) << 3), w);
    store<u32>(rki + ((i & 3) << 3) + 4, w);
    if ((i & 3) == 3) {
      memory.copy(Q, rki, 32);
      ortho();
      memory.copy(rki, Q, 32);
    }
  }
  memory.fill(Q, 0, 32);
  memory.fill(KW, 0, 32);
  return nr;
}
