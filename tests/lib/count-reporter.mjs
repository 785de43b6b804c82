// node:test reporter that writes the totals of leaf tests (suites excluded)
// as JSON, for tests/run.ts to add to the as-pect counts.
import { writeFileSync } from "node:fs";

export default async function* countReporter(source) {
  let passed = 0, failed = 0, skipped = 0;
  const failures = [];
  for await (const ev of source) {
    if (ev.type !== "test:pass" && ev.type !== "test:fail") continue;
    if (ev.data.details?.type === "suite") continue;
    if (ev.data.skip || ev.data.todo) { skipped++; continue; }
    if (ev.type === "test:pass") passed++;
    else { failed++; failures.push(`${ev.data.file ?? ""}: ${ev.data.name}`); }
  }
  writeFileSync(process.env.COUNT_FILE ?? "build/node-tests.json", JSON.stringify({ passed, failed, skipped, failures }));
  yield "";
}
