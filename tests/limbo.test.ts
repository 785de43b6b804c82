// x509-limbo (C2SP, 2023-12-02) through the module's streaming validator.
// Every case is reported as PASS (our verdict equals the expected one),
// FAIL (it does not) or SKIP (with the reason); a case expected to FAIL that
// we accept is a FALSE ACCEPT and fails the suite. Report lines go to
// build/limbo-<engine>.txt.
// Harness rules: the trusted certificates become run-time anchors; the
// untrusted intermediates are ordered leaf-first on the host (x509-validator
// orderChain: what a correct server sends; the validator itself needs that
// order); validation_time pins the clock (null: now); max_chain_depth sets
// the intermediate limit; the peer name is a DNS name or an IP.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { openEngine, ROOT, type Engine, type EngineName } from "../host/node/engine.ts";
import { ENGINES } from "./lib/util.ts";
import { vectorFile } from "./lib/vectors.ts";
import { X509Driver, pemToDer, ipBytes, orderChain, errName } from "./x509-validator.ts";

interface LimboCase {
  id: string; features: string[] | null; description: string; validation_kind: string;
  trusted_certs: string[]; untrusted_intermediates: string[]; peer_certificate: string;
  validation_time: string | null; signature_algorithms: string[] | null; key_usage: string[] | null;
  extended_key_usage: string[] | null; expected_result: "SUCCESS" | "FAILURE";
  expected_peer_name: { kind: string; value: string } | null; max_chain_depth: number | null;
}

// Features this validator does not implement: such cases are skipped.
const UNIMPLEMENTED: Record<string, string> = {
  "name-constraint-dn": "directoryName name constraints are not implemented (refused as unsupported)",
  "pedantic-serial-number": "serial number contents (zero, negative, length) are not checked",
  "pedantic-webpki-eku": "CABF EKU profile (EKU required/forbidden by position) is not enforced",
  "pedantic-public-suffix-wildcard": "the public suffix list is not consulted",
  "pedantic-webpki": "CABF algorithm profile beyond what the crypto supports is not enforced",
  "rfc5280-incompatible-with-webpki": "the webpki reading is followed where RFC 5280 and webpki disagree",
  "pedantic-rfc5280": "pedantic RFC 5280 checks (cross-signed root AKI) are not made",
};
// Cases skipped individually, with why.
const SKIP_CASES: Record<string, string> = {
  "pathlen::validation-ignores-pathlen-in-leaf":
    "by design: the leaf is a CA (cA=TRUE, webpki::ee-basicconstraints-ca) whose keyUsage lacks digitalSignature, " +
    "which RFC 8446 4.4.2.2 requires of a TLS 1.3 server key; rejected (LEAF_IS_CA)",
};

const file = vectorFile("x509-limbo/limbo-2023-12-02.json");
const cases: LimboCase[] = file ? JSON.parse(readFileSync(file, "utf8")).testcases : [];

const limboEngines = ENGINES.filter((e) => e !== "wasm3-qemu");

for (const name of limboEngines) {
  describe(`x509-limbo on ${name}`, { skip: cases.length === 0 && "limbo vectors not found" }, () => {
    let engine: Engine, x: X509Driver;
    before(async () => { engine = await openEngine(name as EngineName); x = await new X509Driver(engine).init(); });
    after(() => engine.close());

    test(`${cases.length} cases: zero false accepts`, async () => {
      const lines: string[] = [];
      let pass = 0, fail = 0, skip = 0;
      const falseAccepts: string[] = [];
      for (const c of cases) {
        const reason = skipReason(c);
        if (reason) { skip++; lines.push(`SKIP  ${c.id}: ${reason}`); continue; }
        const r = await runCase(x, c);
        const got = r.code === 0 ? "SUCCESS" : "FAILURE";
        const detail = r.code === 0 ? "accepted" : `rejected: ${errName(r.code)} at ${r.step}`;
        if (got === c.expected_result) { pass++; lines.push(`PASS  ${c.id} (${detail})`); }
        else {
          fail++;
          lines.push(`FAIL  ${c.id}: expected ${c.expected_result}, ${detail}`);
          if (got === "SUCCESS") falseAccepts.push(c.id);
        }
      }
      const summary = `limbo on ${name}: ${pass} passed, ${fail} failed, ${skip} skipped, ${falseAccepts.length} false accepts`;
      mkdirSync(path.join(ROOT, "build"), { recursive: true });
      writeFileSync(path.join(ROOT, "build", `limbo-${name}.txt`), [...lines, summary, ""].join("\n"));
      console.log(summary);
      for (const l of lines) if (!l.startsWith("PASS")) console.log("  " + l);
      assert.deepEqual(falseAccepts, [], "cases expected to FAIL were accepted");
      assert.equal(pass + fail + skip, cases.length);
    });

    // The TLS socket runs the validator in steps (x509Defer: signature checks
    // after the parse, in x509Work): every case must end exactly the same way.
    test("deferred signature checks (steps): the same result for every case", async () => {
      const differ: string[] = [];
      let pending = 0;
      for (const c of cases) {
        if (skipReason(c)) continue;
        const direct = await runCase(x, c);
        await x.setDeferred(true);
        const deferred = await runCase(x, c);
        await x.setDeferred(false);
        if (deferred.code !== direct.code || deferred.flags !== direct.flags) differ.push(`${c.id}: ${errName(direct.code)} vs ${errName(deferred.code)}`);
        if (deferred.code === 0 && c.untrusted_intermediates.length) pending++;
      }
      assert.deepEqual(differ, []);
      assert.ok(pending > 0, "cases with intermediates were validated deferred");
    });
  });
}

function skipReason(c: LimboCase): string | undefined {
  if (SKIP_CASES[c.id]) return SKIP_CASES[c.id];
  if (c.validation_kind !== "SERVER") return `validation kind ${c.validation_kind} (only SERVER)`;
  for (const f of c.features ?? []) if (UNIMPLEMENTED[f]) return `${f}: ${UNIMPLEMENTED[f]}`;
  if (!c.expected_peer_name) return "no expected peer name (a TLS client always has one)";
  if (c.signature_algorithms) return "signature_algorithms restriction not supported by the harness";
  return undefined;
}

async function runCase(x: X509Driver, c: LimboCase) {
  await x.clearAnchors();
  const trusted = c.trusted_certs.flatMap(pemToDer);
  for (const der of trusted) await x.addAnchor(der);   // an unusable root simply is no anchor
  await x.configure(c.max_chain_depth ?? -1, -1);
  const peer = pemToDer(c.peer_certificate)[0];
  const pool = c.untrusted_intermediates.flatMap(pemToDer);
  const { chain } = orderChain(peer, pool, trusted);
  const now = c.validation_time ? BigInt(Math.floor(Date.parse(c.validation_time) / 1000)) : BigInt(Math.floor(Date.now() / 1000));
  const pn = c.expected_peer_name!;
  const host = pn.kind === "IP" ? ipBytes(pn.value) : pn.value;
  const r = await x.validate(chain, host, now);
  await x.configure(-1, -1);
  return r;
}
