// ChaCha20 block function (RFC 8439 section 2.3), used by aead.ts.
//
// Timing promise: CONSTANT TIME (additions, rotations and XORs of 32-bit words
// only; nothing depends on the key or data but the values themselves).
//
// Implementation notes: the 16 state words live in locals through the 20
// rounds (a column and a diagonal round per loop turn, written out: a
// quarter-round function would need 4 results). The input is the 32-byte key
// and a 16-byte block "counter (u32 LE) || nonce (12 bytes)"; the output is
// 64 bytes of keystream. No static memory.

const C0: u32 = 0x61707865, C1: u32 = 0x3320646e, C2: u32 = 0x79622d32, C3: u32 = 0x6b206574;

export function chachaBlock(key: usize, ctrNonce: usize, out: usize): void {
  let x0 = C0, x1 = C1, x2 = C2, x3 = C3;
  let x4 = load<u32>(key), x5 = load<u32>(key, 4), x6 = load<u32>(key, 8), x7 = load<u32>(key, 12);
  let x8 = load<u32>(key, 16), x9 = load<u32>(key, 20), x10 = load<u32>(key, 24), x11 = load<u32>(key, 28);
  let x12 = load<u32>(ctrNonce), x13 = load<u32>(ctrNonce, 4), x14 = load<u32>(ctrNonce, 8), x15 = load<u32>(ctrNonce, 12);
  for (let i = 0; i < 10; i++) {
    // columns
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 16); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 12);
    x0 += x4; x12 = rotl<u32>(x12 ^ x0, 8); x8 += x12; x4 = rotl<u32>(x4 ^ x8, 7);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 16); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 12);
    x1 += x5; x13 = rotl<u32>(x13 ^ x1, 8); x9 += x13; x5 = rotl<u32>(x5 ^ x9, 7);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 16); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 12);
    x2 += x6; x14 = rotl<u32>(x14 ^ x2, 8); x10 += x14; x6 = rotl<u32>(x6 ^ x10, 7);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 16); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 12);
    x3 += x7; x15 = rotl<u32>(x15 ^ x3, 8); x11 += x15; x7 = rotl<u32>(x7 ^ x11, 7);
    // diagonals
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 16); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 12);
    x0 += x5; x15 = rotl<u32>(x15 ^ x0, 8); x10 += x15; x5 = rotl<u32>(x5 ^ x10, 7);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 16); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 12);
    x1 += x6; x12 = rotl<u32>(x12 ^ x1, 8); x11 += x12; x6 = rotl<u32>(x6 ^ x11, 7);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 16); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 12);
    x2 += x7; x13 = rotl<u32>(x13 ^ x2, 8); x8 += x13; x7 = rotl<u32>(x7 ^ x8, 7);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 16); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 12);
    x3 += x4; x14 = rotl<u32>(x14 ^ x3, 8); x9 += x14; x4 = rotl<u32>(x4 ^ x9, 7);
  }
  store<u32>(out, x0 + C0); store<u32>(out, x1 + C1, 4);
  store<u32>(out, x2 + C2, 8); store<u32>(out, x3 + C3, 12);
  store<u32>(out, x4 + load<u32>(key), 16); store<u32>(out, x5 + load<u32>(key, 4), 20);
  store<u32>(out, x6 + load<u32>(key, 8), 24); store<u32>(out, x7 + load<u32>(key, 12), 28);
  store<u32>(out, x8 + load<u32>(key, 16), 32); store<u32>(out, x9 + load<u32>(key, 20), 36);
  store<u32>(out, x10 + load<u32>(key, 24), 40); store<u32>(out, x11 + load<u32>(key, 28), 44);
  store<u32>(out, x12 + load<u32>(ctrNonce), 48); store<u32>(out, x13 + load<u32>(ctrNonce, 4), 52);
  store<u32>(out, x14 + load<u32>(ctrNonce, 8), 56); store<u32>(out, x15 + load<u32>(ctrNonce, 12), 60);
}
