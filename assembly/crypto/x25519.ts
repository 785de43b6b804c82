// X25519 (RFC 7748): Diffie-Hellman on the Montgomery form of Curve25519.
// Implementation notes: the Montgomery ladder over scalar bits 254..0 with
// constant-time swaps (the swap bit is the XOR of consecutive scalar bits),
// one field inversion at the end. The scalar is clamped in a private copy;
// the peer's u is read modulo 2^255 (bit 255 ignored) and used as it is even
// when it is >= p (RFC 7748 section 5). An all-zero shared secret (a peer
// point of small order) is returned as ERR_X25519_ZERO, the check TLS 1.3
// requires (RFC 8446 section 7.4.2). Every scratch byte is wiped before return.
// RAM: 9 field elements (360 B) + scalar copy (32 B), in the shared FE_POOL.
import {
  FE, feAdd, feSub, feMul, feSq, feMulSmall, feCopy, feSet, feCswap, feFromBytes, feToBytes,
  feInvert, feWipe, FE_POOL,
} from "./fe25519";
import { ERR_X25519_ZERO } from "./errors";

export const X25519_LEN: i32 = 32;

const SCRATCH: usize = FE_POOL;
const SCRATCH_SIZE: usize = 9 * FE + 32;
const X1: usize = SCRATCH, X2: usize = SCRATCH + FE, Z2: usize = SCRATCH + 2 * FE;
const X3: usize = SCRATCH + 3 * FE, Z3: usize = SCRATCH + 4 * FE;
const TA: usize = SCRATCH + 5 * FE, TB: usize = SCRATCH + 6 * FE;
const TC: usize = SCRATCH + 7 * FE, TD: usize = SCRATCH + 8 * FE;
const K: usize = SCRATCH + 9 * FE;

// One ladder step: (X2:Z2) <- 2(X2:Z2), (X3:Z3) <- (X2:Z2) + (X3:Z3), with
// X1 the difference of the two points.
function ladderStep(): void {
  feAdd(TA, X2, Z2);
  feSub(TB, X2, Z2);
  feAdd(TC, X3, Z3);
  feSub(TD, X3, Z3);
  feMul(TD, TD, TA);      // DA
  feMul(TC, TC, TB);      // CB
  feSq(TA, TA);           // AA
  feSq(TB, TB);           // BB
  feAdd(X3, TD, TC);
  feSq(X3, X3);           // (DA + CB)^2
  feSub(Z3, TD, TC);
  feSq(Z3, Z3);
  feMul(Z3, Z3, X1);      // x1 (DA - CB)^2
  feMul(X2, TA, TB);      // AA BB
  feSub(TB, TA, TB);      // E = AA - BB
  feMulSmall(TC, TB, 121665);
  feAdd(TC, TC, TA);
  feMul(Z2, TB, TC);      // E (AA + a24 E)
}

// out = clamp(scalar) * X1, with X1 already set.
function ladder(out: usize, scalar: usize): i32 {
  memory.copy(K, scalar, 32);
  store<u8>(K, load<u8>(K) & 248);
  store<u8>(K, (load<u8>(K, 31) & 127) | 64, 31);
  feSet(X2, 1);
  feSet(Z2, 0);
  feCopy(X3, X1);
  feSet(Z3, 1);
  let swap = 0;
  for (let t = 254; t >= 0; t--) {
    const bit = (<i32>load<u8>(K + (t >> 3)) >> (t & 7)) & 1;
    swap ^= bit;
    feCswap(X2, X3, swap);
    feCswap(Z2, Z3, swap);
    swap = bit;
    ladderStep();
  }
  feCswap(X2, X3, swap);
  feCswap(Z2, Z3, swap);
  feInvert(Z2, Z2);
  feMul(X2, X2, Z2);
  feToBytes(out, X2);
  memory.fill(SCRATCH, 0, SCRATCH_SIZE);
  feWipe();
  let acc: u32 = 0;
  for (let i: usize = 0; i < 32; i += 4) acc |= load<u32>(out + i);
  return acc ? 0 : ERR_X25519_ZERO;
}

// out = X25519(scalar, u): the shared secret from our scalar and their u.
// Returns 0, or ERR_X25519_ZERO when the result is all zeros.
export function x25519(out: usize, scalar: usize, u: usize): i32 {
  feFromBytes(X1, u);
  return ladder(out, scalar);
}

// out = X25519(scalar, 9): our public key.
export function x25519Base(out: usize, scalar: usize): i32 {
  feSet(X1, 9);
  return ladder(out, scalar);
}
