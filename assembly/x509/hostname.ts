// Host name and IP address matching (RFC 6125 for SAN dNSName, RFC 5280
// 4.2.1.10 for name constraints). Public data only.
// Implementation notes: comparisons are ASCII case-insensitive; names are
// LDH labels (underscore tolerated, it occurs in real certificates) of 1..63
// bytes, at most 253 bytes in all, no empty label. A SAN wildcard is "*." as
// the whole left-most label followed by at least two labels ("*.com" and
// "*.co" are refused; the public-suffix list is not consulted): it matches
// exactly one non-empty left-most label. No partial-label wildcards ("f*.x.y").

function lower(c: u32): u32 { return c - 65 < 26 ? c | 0x20 : c; }

// Case-insensitive equality of [a, a+n) and [b, b+n).
export function eqNoCase(a: usize, b: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) {
    if (lower(load<u8>(a + i)) != lower(load<u8>(b + i))) return false;
  }
  return true;
}

// True when [p, p+n) is a valid DNS name (no wildcard), optional "*." prefix
// when `wild`. Returns the number of labels, 0 if invalid.
export function dnsLabels(p: usize, n: usize, wild: bool): i32 {
  if (wild && n >= 2 && load<u8>(p) == 42 && load<u8>(p + 1) == 46) { p += 2; n -= 2; }
  else wild = false;
  if (n == 0 || n > 253) return 0;
  let labels = 1, len = 0;
  for (let i: usize = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c == 46) {
      if (len == 0) return 0;
      labels++;
      len = 0;
      continue;
    }
    const lc = lower(c);
    if (!(lc - 97 < 26 || c - 48 < 10 || c == 45 || c == 95)) return 0;
    if (++len > 63) return 0;
  }
  if (len == 0) return 0;
  return wild ? labels + 1 : labels;
}

// Does SAN dNSName [pat, pat+pn) match the host [h, h+hn) (already checked
// valid by the caller)?
export function dnsMatch(pat: usize, pn: usize, h: usize, hn: usize): bool {
  if (pn >= 2 && load<u8>(pat) == 42) {
    // wildcard: "*." + at least two labels, host = one label + "." + rest
    if (dnsLabels(pat, pn, true) < 3) return false;
    const rest = pn - 1;                        // ".example.com"
    if (hn <= rest) return false;
    const lab = hn - rest;                      // the host's first label
    for (let i: usize = 0; i < lab; i++) if (load<u8>(h + i) == 46) return false;
    return eqNoCase(pat + 1, h + lab, rest);
  }
  return pn == hn && dnsLabels(pat, pn, false) != 0 && eqNoCase(pat, h, hn);
}

// Name constraint on DNS names: `name` is within subtree `c` when it equals c
// or ends with "." + c (c = "" allows everything; a leading "." in c means
// subdomains only). A wildcard name "*.a.b" is treated as the label "*".
export function dnsWithin(name: usize, n: usize, c: usize, cn: usize): bool {
  if (cn == 0) return true;
  if (load<u8>(c) == 46) {
    return n > cn && eqNoCase(name + n - cn, c, cn);
  }
  if (n == cn) return eqNoCase(name, c, n);
  return n > cn && load<u8>(name + n - cn - 1) == 46 && eqNoCase(name + n - cn, c, cn);
}

// Name constraint on IP addresses: `ip` (4 or 16 bytes) within c = address
// followed by mask (8 or 32 bytes). Different families never match.
export function ipWithin(ip: usize, n: usize, c: usize, cn: usize): bool {
  if (cn != n << 1) return false;
  for (let i: usize = 0; i < n; i++) {
    const m = load<u8>(c + n + i);
    if ((load<u8>(ip + i) & m) != (load<u8>(c + i) & m)) return false;
  }
  return true;
}

// A constraint's mask must be a prefix mask (ones then zeros).
export function ipMaskValid(c: usize, cn: usize): bool {
  if (cn != 8 && cn != 32) return false;
  let zero = false;
  for (let i: usize = cn >> 1; i < cn; i++) {
    const m = <u32>load<u8>(c + i);
    if (zero) { if (m != 0) return false; continue; }
    if (m != 0xff) {
      const inv = ~m & 0xff;                    // 0..01..1 when m is 1..10..0
      if ((inv & (inv + 1)) != 0) return false;
      zero = true;
    }
  }
  return true;
}

// Parses a dotted-quad IPv4 address [p, p+n) into 4 bytes at out. False if
// it is not one.
export function parseIpv4(p: usize, n: usize, out: usize): bool {
  let part = 0, val = 0, digits = 0;
  for (let i: usize = 0; i <= n; i++) {
    const c = i < n ? <u32>load<u8>(p + i) : 46;
    if (c == 46) {
      if (digits == 0 || part > 3) return false;
      store<u8>(out + part++, val);
      val = 0; digits = 0;
    } else if (c - 48 < 10) {
      if (digits > 0 && val == 0) return false;   // no leading zeros
      val = val * 10 + <i32>(c - 48);
      if (val > 255 || ++digits > 3) return false;
    } else return false;
  }
  return part == 4;
}
