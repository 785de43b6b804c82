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
// - Static scratch: Q (32 B, the state planes), KW (32 B, the key schedule's
//   rolling window of Nk words). Both are wiped after use.

export const AES_RK_BYTES: i32 = 15 * 32;

const Q: usize = memory.data(32);   // 32 B: state planes of the block pair
const KW: usize = memory.data(32);  // 32 B: key schedule window (Nk <= 8 words)

// Transposes the 8x8 bit matrix in each byte lane of Q[0..8] (see notes).
function ortho(): void {
  for (let s: usize = 1; s < 8; s <<= 1) {
    const m: u32 = s == 1 ? 0x55555555 : s == 2 ? 0x33333333 : 0x0f0f0f0f;
    for (let i: usize = 0; i < 8; i++) {
      if (i & s) continue;
      const pa = Q + (i << 2), pb = Q + ((i + s) << 2);
      const a = load<u32>(pa), b = load<u32>(pb);
      const t = ((a >>> <u32>s) ^ b) & m;
      store<u32>(pb, b ^ t);
      store<u32>(pa, a ^ (t << <u32>s));
    }
  }
}

// SubBytes on all 32 bytes of Q: the Boyar-Peralta circuit, U0 = bit 7
// (plane 7) ... U7 = bit 0; outputs S0 = bit 7 ... S7 = bit 0.
function subBytes(): void {
  const u0 = load<u32>(Q, 28), u1 = load<u32>(Q, 24), u2 = load<u32>(Q, 20), u3 = load<u32>(Q, 16);
  const u4 = load<u32>(Q, 12), u5 = load<u32>(Q, 8), u6 = load<u32>(Q, 4), u7 = load<u32>(Q);
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
  store<u32>(Q, tc3 ^ tc16, 28);         // S0
  store<u32>(Q, ~(s3 ^ tc16), 24);       // S1
  store<u32>(Q, ~(tc26 ^ z17), 20);      // S2
  store<u32>(Q, s3, 16);                 // S3
  store<u32>(Q, tc14 ^ s3, 12);          // S4
  store<u32>(Q, tc21 ^ tc17, 8);         // S5
  store<u32>(Q, ~(tc10 ^ tc18), 4);      // S6
  store<u32>(Q, ~(z12 ^ tc18));          // S7
}

// ShiftRows: row r (byte lane r) rotates right by 2r bits inside its lane.
function shiftRows(): void {
  for (let p = Q; p < Q + 32; p += 4) {
    const x = load<u32>(p);
    store<u32>(p, (x & 0x000000ff)
      | ((x >>> 2) & 0x00003f00) | ((x << 6) & 0x0000c000)
      | ((x >>> 4) & 0x000f0000) | ((x << 4) & 0x00f00000)
      | ((x >>> 6) & 0x03000000) | ((x << 2) & 0xfc000000));
  }
}

// MixColumns: out = 2(a ^ b) ^ b ^ rot16(a ^ b) with b = a rotated one row;
// the doubling (xtime) moves plane 7 into planes 0, 1, 3 and 4 (0x11b).
function mixColumns(): void {
  const e7 = load<u32>(Q, 28) ^ rotr<u32>(load<u32>(Q, 28), 8);
  let prev = e7;  // e of the plane below (plane -1 wraps to 7: xtime's shift)
  for (let i: usize = 0; i < 8; i++) {
    const a = load<u32>(Q + (i << 2));
    const b = rotr<u32>(a, 8);
    const e = a ^ b;
    let x2 = prev;
    if (i == 1 || i == 3 || i == 4) x2 ^= e7;  // public loop index only
    store<u32>(Q + (i << 2), x2 ^ b ^ rotr<u32>(e, 16));
    prev = e;
  }
}

function addRoundKey(rk: usize): void {
  for (let i: usize = 0; i < 32; i += 4) store<u32>(Q + i, load<u32>(Q + i) ^ load<u32>(rk + i));
}

// Encrypts the two blocks at src (32 bytes) into dst (may equal src).
// rk: AES_RK_BYTES of round keys from aesKeySchedule; nr: 10 or 14.
export function aesEncrypt2(rk: usize, nr: i32, src: usize, dst: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(Q + (i << 2), load<u32>(src + ((i & 1) << 4) + ((i >> 1) << 2)));
  ortho();
  addRoundKey(rk);
  for (let r = 1; r <= nr; r++) {
    subBytes();
    shiftRows();
    if (r < nr) mixColumns();
    addRoundKey(rk + (<usize>r << 5));
  }
  ortho();
  for (let i: usize = 0; i < 8; i++) store<u32>(dst + ((i & 1) << 4) + ((i >> 1) << 2), load<u32>(Q + (i << 2)));
  memory.fill(Q, 0, 32);
}

// SubWord through the circuit: w in column 0 of block 0, the rest ignored.
function subWord(w: u32): u32 {
  memory.fill(Q, 0, 32);
  store<u32>(Q, w);
  ortho();
  subBytes();
  ortho();
  return load<u32>(Q);
}

// Expands a 16- or 32-byte key into bitsliced round keys at rk
// (AES_RK_BYTES). Returns the number of rounds (10 or 14), 0 for another
// key length. Words are little-endian u32 of the key bytes, so RotWord is a
// rotation right by 8 and Rcon goes into the low byte.
export function aesKeySchedule(rk: usize, key: usize, keyLen: i32): i32 {
  if (keyLen != 16 && keyLen != 32) return 0;
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
      } else if (nk == 8 && (i & 7) == 4) {
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
