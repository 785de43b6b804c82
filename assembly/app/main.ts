// The board's workload until the telemetry app exists: SHA-256 over known
// inputs, logged so that the host can check each digest against @noble/hashes.
import { IO } from "../io";
import * as log from "../log";
import { millis } from "../host";
import { sha256Init, sha256Update, sha256Final } from "../crypto/sha256";

const CTX = IO;            // 104 bytes
const OUT = IO + 128;      // 32 bytes
const DATA = IO + 256;     // 1 KiB of input at a time

// Digest of n bytes where byte i is (i * 7 + 3) & 255, fed 1 KiB at a time.
function digestPattern(n: i32): void {
  sha256Init(CTX);
  let done = 0;
  while (done < n) {
    const chunk = min(1024, n - done);
    for (let i = 0; i < chunk; i++) store<u8>(DATA + i, ((done + i) * 7 + 3) & 255);
    sha256Update(CTX, DATA, chunk);
    done += chunk;
  }
  sha256Final(CTX, OUT);
  log.str("sha256 pattern ");
  log.int(n);
  log.str(" ");
  log.hex(OUT, 32);
  log.end();
}

export function main(): i32 {
  log.say("board: SHA-256 workload");
  const t0 = millis();
  digestPattern(0);
  digestPattern(3);
  digestPattern(55);
  digestPattern(56);
  digestPattern(64);
  digestPattern(65);
  digestPattern(1000);
  digestPattern(1 << 20);
  log.str("sha256 done in ");
  log.int(<i64>(millis() - t0));
  log.str(" ms");
  log.end();
  return 0;
}
