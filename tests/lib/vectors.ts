// Test vectors live outside the repo: ../shared/vectors beside the checkout, or
// $VECTORS_DIR. A suite that needs them and cannot find them fails under CI
// and is skipped, visibly, elsewhere.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../../host/node/engine.ts";

export const VECTORS_DIR = process.env.VECTORS_DIR ?? path.resolve(ROOT, "../shared/vectors");

// Returns the file's path, or undefined (after saying why) when it is absent
// outside CI. Under CI=true an absent file throws.
export function vectorFile(rel: string): string | undefined {
  const p = path.join(VECTORS_DIR, rel);
  if (existsSync(p)) return p;
  const msg = `test vectors not found: ${p} (set VECTORS_DIR)`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`SKIP: ${msg}`);
  return undefined;
}

export interface WycheproofTest { tcId: number; comment: string; result: "valid" | "invalid" | "acceptable"; flags: string[]; [k: string]: unknown }
export interface WycheproofGroup { type?: string; tests: WycheproofTest[]; [k: string]: unknown }
export interface WycheproofFile { algorithm: string; numberOfTests: number; testGroups: WycheproofGroup[] }

export function wycheproof(name: string): WycheproofFile | undefined {
  const p = vectorFile(path.join("wycheproof", name));
  return p ? (JSON.parse(readFileSync(p, "utf8")) as WycheproofFile) : undefined;
}
