// HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label (RFC 8446 section 7.1).
// Implementation notes: Extract is one HMAC (an empty salt is HashLen zero
// bytes, as the RFC asks, because HMAC pads a short key with zeros).
// Expand runs HMAC(PRK, T(i-1) | info | i) through HMAC_SCRATCH, keeping T in
// HMAC_BLOCK (64 bytes), wiped before returning. Expand-Label streams
// HkdfLabel (length, "tls13 " + label, context) into the HMAC instead of
// building it in a buffer. `out` may overlap `prk` only when outLen <= hashLen
// (PRK is re-read for every block); info/label/context must not overlap out.
// Lengths are public; the PRK and outputs are secret and only copied.
import { hashLen } from "./hash";
import { HMAC_SCRATCH, HMAC_BLOCK, hmac, hmacInit, hmacUpdate, hmacFinal } from "./hmac";
import { ERR_UNKNOWN_HASH, ERR_HKDF_TOO_LONG, ERR_HKDF_LABEL_TOO_LONG } from "./errors";

// T(i) lives in hmac.ts's HMAC_BLOCK. RAM: 11 B (the counter byte, then
// HkdfLabel's fixed bytes: length (2), label length (1), "tls13 " (6),
// context length (1)).
const T: usize = HMAC_BLOCK;
const HDR: usize = memory.data<u8>([0, 0, 0, 0, 0x74, 0x6c, 0x73, 0x31, 0x33, 0x20, 0]);

// PRK = HMAC-Hash(salt, IKM); prkOut receives hashLen(alg) bytes.
export function hkdfExtract(alg: i32, salt: usize, saltLen: usize, ikm: usize, ikmLen: usize, prkOut: usize): i32 {
  if (!hashLen(alg)) return ERR_UNKNOWN_HASH;
  hmac(alg, salt, saltLen, ikm, ikmLen, prkOut);
  return 0;
}

// Info is (info, infoLen) when !tls, else HkdfLabel over (label, context).
function expand(alg: i32, prk: usize, prkLen: usize, tls: bool, label: usize, labelLen: usize,
                info: usize, infoLen: usize, out: usize, outLen: usize): i32 {
  const hl = hashLen(alg);
  if (!hl) return ERR_UNKNOWN_HASH;
  if (outLen > 255 * hl) return ERR_HKDF_TOO_LONG;
  const s = HMAC_SCRATCH;
  store<u8>(HDR, 1);                                   // block counter i
  for (let done: usize = 0; done < outLen; done += hl) {
    hmacInit(alg, s, prk, prkLen);
    if (done) hmacUpdate(s, T, hl);                    // T(i-1)
    if (tls) {
      hmacUpdate(s, HDR + 1, 9);                       // length, label length, "tls13 "
      hmacUpdate(s, label, labelLen);
      hmacUpdate(s, HDR + 10, 1);                      // context length
    }
    hmacUpdate(s, info, infoLen);                      // info, or the context
    hmacUpdate(s, HDR, 1);
    hmacFinal(s, T);
    memory.copy(out + done, T, min<usize>(hl, outLen - done));
    store<u8>(HDR, load<u8>(HDR) + 1);
  }
  memory.fill(T, 0, 64);
  return 0;
}

// OKM = T(1) | T(2) | ... truncated to outLen (at most 255 * hashLen).
export function hkdfExpand(alg: i32, prk: usize, prkLen: usize, info: usize, infoLen: usize,
                           out: usize, outLen: usize): i32 {
  return expand(alg, prk, prkLen, false, 0, 0, info, infoLen, out, outLen);
}

// HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446: `label`
// without its "tls13 " prefix (added here), `secret` hashLen(alg) bytes.
export function hkdfExpandLabel(alg: i32, secret: usize, label: usize, labelLen: usize,
                                context: usize, contextLen: usize, out: usize, outLen: usize): i32 {
  if (labelLen > 255 - 6 || contextLen > 255) return ERR_HKDF_LABEL_TOO_LONG;
  store<u8>(HDR, <u8>(outLen >> 8), 1);   // outLen <= 255 * 64 fits the uint16 (checked in expand)
  store<u8>(HDR, <u8>outLen, 2);
  store<u8>(HDR, <u8>(6 + labelLen), 3);
  store<u8>(HDR, <u8>contextLen, 10);
  return expand(alg, secret, hashLen(alg), true, label, labelLen, context, contextLen, out, outLen);
}
