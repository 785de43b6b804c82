// A throwaway test PKI made with the openssl CLI: a root CA and leaf
// certificates for "localhost" / 127.0.0.1, in a temporary folder.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { X509Certificate } from "node:crypto";

export interface Pki { dir: string; caPem: string; caDer: Uint8Array; file: (n: string) => string }
type KeyKind = "p256" | "p384" | "rsa2048" | "ed25519";

function keyArgs(k: KeyKind): string[] {
  if (k === "p256") return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
  if (k === "p384") return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384"];
  if (k === "ed25519") return ["-newkey", "ed25519"];
  return ["-newkey", "rsa:2048"];
}

const run = (dir: string, args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

// A CA (caKey) and, for each leaf name, a leaf of that key kind signed by it
// (with an intermediate when `intermediate` is set).
export function makePki(caKey: KeyKind = "p256", caName = "Test Root CA"): Pki & { leaf: (name: string, k: KeyKind, intermediate?: boolean, extraNames?: number) => { cert: string; key: string; chain: string } } {
  const dir = mkdtempSync(path.join(tmpdir(), "tls-pki-"));
  run(dir, ["req", "-x509", ...keyArgs(caKey), "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "30",
    "-subj", `/CN=${caName}`, "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  const caPem = readFileSync(path.join(dir, "ca.pem"), "utf8");
  const ext = "ext.cnf";
  writeFileSync(path.join(dir, ext), [
    "[leaf]", "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth,clientAuth",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "[inter]", "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign", "",
  ].join("\n"));
  const sign = (csr: string, out: string, caCert: string, caKeyF: string, sect: string) =>
    run(dir, ["x509", "-req", "-in", csr, "-CA", caCert, "-CAkey", caKeyF, "-CAcreateserial", "-out", out, "-days", "30", "-extfile", ext, "-extensions", sect]);
  return {
    dir, caPem, caDer: new Uint8Array(new X509Certificate(caPem).raw), file: (n) => path.join(dir, n),
    leaf(name, k, intermediate = false, extraNames = 0) {
      let issuer = "ca.pem", issuerKey = "ca.key", chain = "";
      if (intermediate) {
        run(dir, ["req", "-new", ...keyArgs(caKey), "-nodes", "-keyout", `${name}-int.key`, "-out", `${name}-int.csr`, "-subj", "/CN=Test Intermediate"]);
        sign(`${name}-int.csr`, `${name}-int.pem`, "ca.pem", "ca.key", "inter");
        issuer = `${name}-int.pem`; issuerKey = `${name}-int.key`; chain = path.join(dir, `${name}-int.pem`);
      }
      run(dir, ["req", "-new", ...keyArgs(k), "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", "/CN=localhost"]);
      let sect = "leaf";
      if (extraNames) {   // a large certificate: many more DNS names
        sect = `leaf_${name}`;
        const names = Array.from({ length: extraNames }, (_, i) => `DNS:host-${i}.example.test`).join(",");
        writeFileSync(path.join(dir, ext), readFileSync(path.join(dir, ext), "utf8") + `[${sect}]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,${names}\n`);
      }
      sign(`${name}.csr`, `${name}.pem`, issuer, issuerKey, sect);
      return { cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`), chain };
    },
  };
}
