// AEAD for TLS 1.3 record protection: AES-128-GCM, AES-256-GCM and
// ChaCha20-Poly1305 (RFC 8439), behind one incremental interface.
//
//   aeadInit(suite, ctx, key)      key schedule (once per traffic key)
//   aeadStart(ctx, nonce12)        per record
//   aeadAad(ctx, p, n)             all AAD before any data (TLS: 5 bytes)
//   aeadEncrypt / aeadDecrypt(ctx, p, n)   in place, any chunk sizes
//   aeadTag(ctx, out16)  /  aeadCheckTag(ctx, tag16)
//   aeadSeal / aeadOpen            one-shot helpers over the same context
//
// Timing promise: constant time in the key, nonce, data and tag (see aes.ts,
// gcm.ts, chacha20.ts, poly1305.ts); aeadCheckTag ORs all byte differences
// and tests once. Lengths and call order are public.
//
// Implementation notes:
// - A context is AEAD_CTX bytes of caller memory; nothing is allocated.
//   Layout: suite, phase, keystream position, MAC buffer fill, AAD and data
//   lengths, a 16-byte MAC buffer, up to 64 bytes of keystream, the counter
//   block, the MAC state (GCM: H, E(J0), GHASH accumulator; Poly1305: r, s,
//   h) and the key (AES: bitsliced round keys; ChaCha20: the raw key).
// - Both MACs take 16-byte blocks over AAD || pad || data || pad || lengths,
//   so buffering, padding and the keystream (consumed byte by byte, refilled
//   32 bytes at a time for AES, 64 for ChaCha20) are shared: chunked input
//   gives exactly what whole input gives.
// - GCM: E(J0) and the keystream of counter 2 come from the same two-block
//   AES call at aeadStart. ChaCha20: block 0 gives the Poly1305 key, data
//   starts at counter 1.
// - The caller releases decrypted plaintext only after aeadCheckTag (aeadOpen
//   wipes it on a bad tag).
// - Static scratch: TAG (16 B) for aeadCheckTag, wiped after use.

import { aesKeySchedule, AES_RK_BYTES } from "./aes";
import { ghashBlock, gcmHashKey, gcmCounterBlocks } from "./gcm";
import { chachaBlock } from "./chacha20";
import { polyInit, polyBlock, polyFinal } from "./poly1305";
import { FULL } from "../config";
import { ERR_AEAD_TAG, ERR_AEAD_SUITE, ERR_AEAD_STATE, ERR_AEAD_TOO_LONG } from "./errors";

export const AEAD_AES128GCM: i32 = 1;
export const AEAD_AES256GCM: i32 = 2;
export const AEAD_CHACHA20POLY1305: i32 = 3;
export const AEAD_NONCE: i32 = 12;
export const AEAD_TAG: i32 = 16;

// Context layout (byte offsets)
const SUITE: usize = 0;     // u32
const PHASE: usize = 4;     // u32, PH_*
const KSPOS: usize = 8;     // u32, keystream bytes used (ksLen = empty)
const FILL: usize = 12;     // u32, bytes in BUF
const AADLEN: usize = 16;   // u64
const DATALEN: usize = 24;  // u64
const BUF: usize = 32;      // 16 B, partial MAC block
const KS: usize = 48;       // 64 B, keystream
const CTR: usize = 112;     // 16 B: GCM J (nonce || u32 BE); ChaCha20 u32 LE || nonce
const MAC: usize = 128;     // 56 B: GCM H (16) E(J0) (16) Y (16); Poly1305 state (56)
const KEY: usize = 184;     // GCM round keys (AES_RK_BYTES); ChaCha20 key (32)
export const AEAD_CTX: i32 = <i32>KEY + AES_RK_BYTES;  // 664 (device profile: 536)

const PH_KEYED: u32 = 1, PH_AAD: u32 = 2, PH_DATA: u32 = 3, PH_DONE: u32 = 4;
// Per nonce: GCM allows 2^36 - 32 bytes of data; ChaCha20-Poly1305 more.
const MAX_DATA: u64 = (<u64>1 << 36) - 32;

const TAG: usize = memory.data(16);  // 16 B: computed tag for aeadCheckTag

// The device profile (config.ts) has AES-128-GCM only.
export function aeadKeyLen(suite: i32): i32 {
  if (!FULL) return suite == AEAD_AES128GCM ? 16 : 0;
  return suite == AEAD_AES128GCM ? 16 : suite == AEAD_AES256GCM || suite == AEAD_CHACHA20POLY1305 ? 32 : 0;
}

function isChacha(ctx: usize): bool { return FULL && load<u32>(ctx + SUITE) == <u32>AEAD_CHACHA20POLY1305; }
function rounds(ctx: usize): i32 { return !FULL ? 10 : load<u32>(ctx + SUITE) == <u32>AEAD_AES128GCM ? 10 : 14; }
function ksLen(ctx: usize): u32 { return isChacha(ctx) ? 64 : 32; }

// The phase when the context is sane (so garbage cannot send a pointer
// astray), else 0.
function phase(ctx: usize): u32 {
  const s = load<u32>(ctx + SUITE), ph = load<u32>(ctx + PHASE);
  if (s < 1 || s > (FULL ? 3 : 1) || ph < PH_KEYED || ph > PH_DONE) return 0;
  if (load<u32>(ctx + KSPOS) > ksLen(ctx) || load<u32>(ctx + FILL) > 15) return 0;
  return ph;
}

export function aeadInit(suite: i32, ctx: usize, key: usize): i32 {
  const klen = aeadKeyLen(suite);
  if (klen == 0) return ERR_AEAD_SUITE;
  memory.fill(ctx, 0, AEAD_CTX);
  store<u32>(ctx + SUITE, suite);
  if (FULL && suite == AEAD_CHACHA20POLY1305) {
    memory.copy(ctx + KEY, key, 32);
  } else {
    const nr = aesKeySchedule(ctx + KEY, key, klen);
    gcmHashKey(ctx + KEY, nr, ctx + MAC, ctx + KS);
    memory.fill(ctx + KS, 0, 32);
  }
  store<u32>(ctx + PHASE, PH_KEYED);
  return 0;
}

export function aeadStart(ctx: usize, nonce: usize): i32 {
  if (phase(ctx) == 0) return ERR_AEAD_STATE;
  store<u64>(ctx + AADLEN, 0);
  store<u64>(ctx + DATALEN, 0);
  store<u32>(ctx + FILL, 0);
  if (isChacha(ctx)) {
    store<u32>(ctx + CTR, 0);
    memory.copy(ctx + CTR + 4, nonce, 12);
    chachaBlock(ctx + KEY, ctx + CTR, ctx + KS);
    store<u32>(ctx + CTR, 1);
    polyInit(ctx + MAC, ctx + KS);
    store<u32>(ctx + KSPOS, 64);
  } else {
    memory.copy(ctx + CTR, nonce, 12);
    store<u32>(ctx + CTR, bswap<u32>(1), 12);
    gcmCounterBlocks(ctx + KEY, rounds(ctx), ctx + CTR, ctx + KS);
    memory.copy(ctx + MAC + 16, ctx + KS, 16);  // E(J0) masks the tag
    memory.fill(ctx + MAC + 32, 0, 16);         // Y = 0
    store<u32>(ctx + KSPOS, 16);                // counter 2 is at KS + 16
  }
  store<u32>(ctx + PHASE, PH_AAD);
  return 0;
}

function macBlock(ctx: usize, block: usize): void {
  if (isChacha(ctx)) polyBlock(ctx + MAC, block);
  else ghashBlock(ctx + MAC + 32, ctx + MAC, block);
}

// Feeds n bytes to the MAC, 16-byte blocks at a time, keeping a partial block.
function macAbsorb(ctx: usize, p: usize, n: usize): void {
  let fill = <usize>load<u32>(ctx + FILL);
  if (fill) {
    const take = min<usize>(16 - fill, n);
    memory.copy(ctx + BUF + fill, p, take);
    fill += take; p += take; n -= take;
    if (fill < 16) { store<u32>(ctx + FILL, <u32>fill); return; }
    macBlock(ctx, ctx + BUF);
  }
  for (; n >= 16; n -= 16, p += 16) macBlock(ctx, p);
  memory.copy(ctx + BUF, p, n);
  store<u32>(ctx + FILL, <u32>n);
}

// Zero-pads and feeds a partial block (the end of the AAD or of the data).
function macPad(ctx: usize): void {
  const fill = <usize>load<u32>(ctx + FILL);
  if (fill) {
    memory.fill(ctx + BUF + fill, 0, 16 - fill);
    macBlock(ctx, ctx + BUF);
    store<u32>(ctx + FILL, 0);
  }
}

// XORs the next n keystream bytes into p.
function streamXor(ctx: usize, p: usize, n: usize): void {
  const len = <usize>ksLen(ctx);
  let pos = <usize>load<u32>(ctx + KSPOS);
  while (n) {
    if (pos == len) {
      if (isChacha(ctx)) {
        chachaBlock(ctx + KEY, ctx + CTR, ctx + KS);
        store<u32>(ctx + CTR, load<u32>(ctx + CTR) + 1);
      } else {
        gcmCounterBlocks(ctx + KEY, rounds(ctx), ctx + CTR, ctx + KS);
      }
      pos = 0;
    }
    let take = min<usize>(len - pos, n);
    const ks = ctx + KS + pos;
    n -= take; pos += take;
    let i: usize = 0;
    for (; i + 8 <= take; i += 8) store<u64>(p + i, load<u64>(p + i) ^ load<u64>(ks + i));
    for (; i < take; i++) store<u8>(p + i, load<u8>(p + i) ^ load<u8>(ks + i));
    p += take;
  }
  store<u32>(ctx + KSPOS, <u32>pos);
}

export function aeadAad(ctx: usize, p: usize, n: usize): i32 {
  if (phase(ctx) != PH_AAD) return ERR_AEAD_STATE;
  const len = load<u64>(ctx + AADLEN) + <u64>n;
  if (len > MAX_DATA) return ERR_AEAD_TOO_LONG;
  store<u64>(ctx + AADLEN, len);
  macAbsorb(ctx, p, n);
  return 0;
}

function crypt(ctx: usize, p: usize, n: usize, decrypt: bool): i32 {
  const ph = phase(ctx);
  if (ph != PH_AAD && ph != PH_DATA) return ERR_AEAD_STATE;
  const len = load<u64>(ctx + DATALEN) + <u64>n;
  if (len > MAX_DATA) return ERR_AEAD_TOO_LONG;
  if (ph == PH_AAD) {
    macPad(ctx);
    store<u32>(ctx + PHASE, PH_DATA);
  }
  store<u64>(ctx + DATALEN, len);
  if (decrypt) macAbsorb(ctx, p, n);  // the MAC covers the ciphertext
  streamXor(ctx, p, n);
  if (!decrypt) macAbsorb(ctx, p, n);
  return 0;
}

export function aeadEncrypt(ctx: usize, p: usize, n: usize): i32 { return crypt(ctx, p, n, false); }
export function aeadDecrypt(ctx: usize, p: usize, n: usize): i32 { return crypt(ctx, p, n, true); }

// Finishes the MAC and writes the 16-byte tag; a new aeadStart is needed next.
export function aeadTag(ctx: usize, out: usize): i32 {
  const ph = phase(ctx);
  if (ph != PH_AAD && ph != PH_DATA) return ERR_AEAD_STATE;
  macPad(ctx);
  const a = load<u64>(ctx + AADLEN), d = load<u64>(ctx + DATALEN);
  if (isChacha(ctx)) {
    store<u64>(ctx + BUF, a);
    store<u64>(ctx + BUF + 8, d);
    polyBlock(ctx + MAC, ctx + BUF);
    polyFinal(ctx + MAC, out);
  } else {
    store<u64>(ctx + BUF, bswap<u64>(a << 3));
    store<u64>(ctx + BUF + 8, bswap<u64>(d << 3));
    ghashBlock(ctx + MAC + 32, ctx + MAC, ctx + BUF);
    store<u64>(out, bswap<u64>(load<u64>(ctx + MAC + 32)) ^ load<u64>(ctx + MAC + 16));
    store<u64>(out + 8, bswap<u64>(load<u64>(ctx + MAC + 40)) ^ load<u64>(ctx + MAC + 24));
  }
  store<u32>(ctx + PHASE, PH_DONE);
  return 0;
}

// True when the tag matches (constant-time compare); false on a mismatch or
// a call out of order.
export function aeadCheckTag(ctx: usize, tag: usize): bool {
  const st = aeadTag(ctx, TAG);
  let diff: u64 = load<u64>(TAG) ^ load<u64>(tag);
  diff |= load<u64>(TAG, 8) ^ load<u64>(tag, 8);
  memory.fill(TAG, 0, 16);
  return st == 0 && diff == 0;
}

// One shot: encrypts p[0..n) in place and writes the tag.
export function aeadSeal(ctx: usize, nonce: usize, aad: usize, aadLen: usize, p: usize, n: usize, tag: usize): i32 {
  let st = aeadStart(ctx, nonce);
  if (st == 0) st = aeadAad(ctx, aad, aadLen);
  if (st == 0) st = aeadEncrypt(ctx, p, n);
  if (st == 0) st = aeadTag(ctx, tag);
  return st;
}

// One shot: decrypts p[0..n) in place; on a bad tag wipes p and returns
// ERR_AEAD_TAG.
export function aeadOpen(ctx: usize, nonce: usize, aad: usize, aadLen: usize, p: usize, n: usize, tag: usize): i32 {
  let st = aeadStart(ctx, nonce);
  if (st == 0) st = aeadAad(ctx, aad, aadLen);
  if (st == 0) st = aeadDecrypt(ctx, p, n);
  if (st == 0 && !aeadCheckTag(ctx, tag)) st = ERR_AEAD_TAG;
  if (st != 0) memory.fill(p, 0, n);
  return st;
}
