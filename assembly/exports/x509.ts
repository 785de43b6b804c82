// X.509 exports for the host (tests, the limbo harness, the CLI). The TLS
// engine calls assembly/x509/chain.ts directly; these wrap it with pointer
// checks. Each returns 0 or a negative error code unless said otherwise.
import { inMemory } from "../io";
import { ERR_BAD_POINTER } from "../errors";
import {
  x509Begin, x509StartCert, x509Append, x509EndCert, x509EndChain, x509Flags, x509Configure,
  x509SetPin, x509SetInsecureNoValidation, x509LeafKeyType, x509LeafKey, x509LeafKeyLen,
  x509LeafExponent, x509LeafExponentLen, x509VerifyLeafSignature, x509LogSubjects, x509Defer, x509Pending, x509Work,
} from "../x509/chain";
import { anchorAdd, anchorsClear } from "../x509/anchors";
import { x509Alert } from "../x509/errors";
import { X509_CERT_MAX } from "../x509/config";

// host: the expected server name (text) or IP (text IPv4, or 4/16 raw bytes
// when isIp); it must stay in place until the leaf's x509_end_cert.
export function x509_begin(host: usize, len: i32, isIp: i32, now: i64): i32 {
  if (len < 0 || len > 255 || !inMemory(host, len)) return ERR_BAD_POINTER;
  return x509Begin(host, len, isIp != 0, now);
}
export function x509_start_cert(len: i32): i32 { return x509StartCert(len); }
export function x509_append(p: usize, n: i32): i32 {
  if (n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return x509Append(p, n);
}
export function x509_end_cert(): i32 { return x509EndCert(); }
export function x509_end_chain(): i32 { return x509EndChain(); }
// Deferred signature checks (chain.ts x509Defer): tests compare both ways.
export function x509_defer(on: i32): void { x509Defer(on != 0); }
export function x509_pending(): i32 { return x509Pending() ? 1 : 0; }
export function x509_work(): i32 { return x509Work(); }
export function x509_flags(): i32 { return x509Flags(); }
export function x509_alert(code: i32): i32 { return x509Alert(code); }
export function x509_cert_max(): i32 { return X509_CERT_MAX; }
// -1 keeps a default.
export function x509_configure(maxIntermediates: i32, rsaMinBits: i32): void { x509Configure(maxIntermediates, rsaMinBits); }
// spki: 32 bytes (SHA-256 of the SubjectPublicKeyInfo), or 0 for no pin.
export function x509_set_pin(spki: usize): i32 {
  if (spki != 0 && !inMemory(spki, 32)) return ERR_BAD_POINTER;
  x509SetPin(spki);
  return 0;
}
export function x509_set_insecure_no_validation(on: i32): void { x509SetInsecureNoValidation(on != 0); }
// bin/tls-client: log each certificate's subject ("X509 SUBJ <n> <hex DER>").
export function x509_log_subjects(on: i32): void { x509LogSubjects(on != 0); }
// Run-time trust anchors (DER certificate).
export function x509_anchor_add(p: usize, n: i32): i32 {
  if (n < 0 || !inMemory(p, n)) return ERR_BAD_POINTER;
  return anchorAdd(p, n);
}
export function x509_anchors_clear(): void { anchorsClear(); }
export function x509_leaf_key_type(): i32 { return x509LeafKeyType(); }
export function x509_leaf_key(): usize { return x509LeafKey(); }
export function x509_leaf_key_len(): i32 { return x509LeafKeyLen(); }
export function x509_leaf_exponent(): usize { return x509LeafExponent(); }
export function x509_leaf_exponent_len(): i32 { return x509LeafExponentLen(); }
export function x509_verify_leaf_signature(scheme: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32): i32 {
  if (msgLen < 0 || sigLen < 0 || !inMemory(msg, msgLen) || !inMemory(sig, sigLen)) return ERR_BAD_POINTER;
  return x509VerifyLeafSignature(scheme, msg, msgLen, sig, sigLen);
}
