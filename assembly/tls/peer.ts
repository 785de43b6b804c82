// The server's certificate chain and its CertificateVerify signature: the
// engine's one seam to the streaming X.509 validator (assembly/x509).
// The chain is pushed entry by entry as the Certificate message streams in;
// the validator checks names, validity, issuers and keeps the leaf key, with
// which CertificateVerify is checked. Insecure mode (tests only) is the
// validator's own, explicit and logged; CertificateVerify is still checked.
import {
  x509Begin, x509StartCert, x509Append, x509EndCert, x509EndChain, x509SetInsecureNoValidation,
  x509VerifyLeafSignature, x509Defer, x509Pending, x509Work,
} from "../x509/chain";

// True when the name is an IPv4 literal (digits and dots): it is then
// matched against IP SANs and never sent as SNI (RFC 6066 section 3).
export function isIpLiteral(p: usize, n: i32): bool {
  if (n == 0) return false;
  for (let i = 0; i < n; i++) {
    const c = load<u8>(p + <usize>i);
    if (c != 46 && (c < 48 || c > 57)) return false;
  }
  return true;
}

// steps: the validator defers its trust-anchor signature check to peerWork()
// (the engine pauses for it: tlsWork).
export function peerBegin(host: usize, hostLen: i32, now: i64, insecure: bool, steps: bool): i32 {
  x509SetInsecureNoValidation(insecure);
  x509Defer(steps);
  return x509Begin(host, hostLen, isIpLiteral(host, hostLen), now);
}
export function peerStartCert(len: i32): i32 { return x509StartCert(len); }
export function peerAppend(p: usize, n: i32): i32 { return x509Append(p, n); }
export function peerEndCert(): i32 { return x509EndCert(); }
export function peerEndChain(): i32 { return x509EndChain(); }
export function peerPending(): bool { return x509Pending(); }
export function peerWork(): void { x509Work(); }   // (a failure sticks: peerEndChain reports it)
export function peerVerify(scheme: i32, p: usize, n: i32, sig: usize, sigLen: i32): i32 {
  return x509VerifyLeafSignature(scheme, p, n, sig, sigLen);
}
