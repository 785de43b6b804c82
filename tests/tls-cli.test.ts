// bin/tls-client against openssl s_server: what it prints, including the
// certificate chain's subjects (the module logs each subject's DER as the
// X.509 parser reads it; the CLI decodes them). V8 and wasm3-native.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { ROOT } from "../host/node/engine.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer } from "./peers/servers.ts";

const run = promisify(execFile);
const CLI = path.join(ROOT, "bin/tls-client");
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  try { return { code: 0, out: (await run(CLI, args, { env: { ...process.env } })).stdout }; }
  catch (e) { const x = e as { code: number; stdout: string }; return { code: x.code, out: x.stdout }; }
}

const pki = makePki("p256");
const leaf = pki.leaf("cli", "p256", true);   // leaf <- Test Intermediate <- Test Root CA
const other = makePki("p256", "Other Root");

for (const [engine, name] of [["v8", "v8"], ["wasm3", "wasm3-native"]]) {
  test(`bin/tls-client on ${name}: the chain's subjects, validated and refused`, { skip: !ENGINES.includes(name) && `${name} not selected` }, async () => {
    const srv = await opensslServer(leaf.cert, leaf.key, ["-www", "-max_send_frag", "1024"], leaf.chain);
    try {
      const ok = await cli(["--engine", engine, "--ca", pki.file("ca.pem"), "--servername", "localhost", `127.0.0.1:${srv.port}`]);
      assert.equal(ok.code, 0, ok.out);
      assert.match(ok.out, /certificate chain: validated for localhost/);
      assert.match(ok.out, /^ {2}0 subject: CN=localhost$/m);
      assert.match(ok.out, /^ {2}1 subject: CN=Test Intermediate$/m);
      // An unknown root: it fails, and still says what the server sent.
      const bad = await cli(["--engine", engine, "--ca", other.file("ca.pem"), "--servername", "localhost", `127.0.0.1:${srv.port}`]);
      assert.equal(bad.code, 1, bad.out);
      assert.match(bad.out, /^FAILED: ERR_X509_/m);
      assert.match(bad.out, /^ {2}0 subject: CN=localhost$/m);
    } finally { await srv.stop(); }
  });
}
