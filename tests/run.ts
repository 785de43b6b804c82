// The whole test run behind `make test`: as-pect unit specs, then every
// tests/*.test.ts (Node's test runner: V8, wasm3 on the native board, wasm3 on
// the emulated Cortex-M4, real peers). Ends with one line: N passed, N failed.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, mkdirSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../host/node/engine.ts";

process.chdir(ROOT);
mkdirSync("build", { recursive: true });
let passed = 0, failed = 0, skipped = 0;
const only = process.argv.slice(2);

// 1. as-pect
{
  const r = spawnSync("npx", ["asp", "--summary", "--no-logo"], { encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  const out = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, "");
  process.stdout.write(out);
  const m = /\[Tests\]:\s*(\d+)\s*\/\s*(\d+)/.exec(out);
  if (m && r.status === 0) { passed += +m[1]; failed += +m[2] - +m[1]; }
  else if (m) { passed += +m[1]; failed += Math.max(1, +m[2] - +m[1]); }
  else { failed += 1; console.log("as-pect did not report a summary"); }
}

// 2. node tests
{
  const files = readdirSync("tests").filter((f) => f.endsWith(".test.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort().map((f) => path.join("tests", f));
  const countFile = path.join("build", "node-tests.json");
  const r = spawnSync("node", [
    "--import", "tsx", "--test", "--test-concurrency=1",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=./tests/lib/count-reporter.mjs", "--test-reporter-destination=/dev/null",
    ...files,
  ], { stdio: "inherit", env: { ...process.env, COUNT_FILE: countFile } });
  try {
    const c = JSON.parse(readFileSync(countFile, "utf8"));
    passed += c.passed; failed += c.failed; skipped += c.skipped;
    if (c.failures.length) console.log("failed:\n  " + c.failures.join("\n  "));
  } catch {
    failed += 1;
    console.log(`node tests did not report (exit ${r.status})`);
  }
  if (r.status !== 0 && failed === 0) failed += 1;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
