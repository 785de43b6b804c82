// Session tickets and resumption against openssl s_server -www (which says
// "Reused" on a resumed session): the first connection stores the ticket in
// caller storage, the second offers it (pre_shared_key with its binder).
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { TlsDriver, errorName, openEngine } from "./lib/tls.ts";
import { ENGINES } from "./lib/util.ts";
import { makePki } from "./peers/pki.ts";
import { opensslServer } from "./peers/servers.ts";
import { fetch } from "./tls-openssl-lib.ts";

const pki = makePki("p256");
const ec = pki.leaf("ec", "p256");
const GET = "GET / HTTP/1.0\r\n\r\n";

for (const name of ENGINES.filter((e) => e !== "wasm3-qemu")) {
  describe(`resumption vs openssl s_server on ${name}`, () => {
    const cases: Array<{ name: string; server: string[]; cfg: object; suite?: number; resumed: boolean }> = [
      { name: "ticket from the first connection resumes the second (psk_dhe_ke)", server: [], cfg: {}, resumed: true },
      { name: "SHA-384 suite ticket", server: ["-ciphersuites", "TLS_AES_256_GCM_SHA384"], cfg: {}, suite: 0x1302, resumed: true },
      { name: "psk_ke offered too (the server still picks psk_dhe_ke)", server: [], cfg: { pskKe: true }, resumed: true },
      { name: "psk_ke only on the server: resumption without a key share", server: ["-allow_no_dhe_kex"], cfg: { pskKe: true }, resumed: true },
      { name: "resumption after a HelloRetryRequest (server P-256, our share x25519)", server: ["-groups", "P-256"], cfg: {}, resumed: true },
      { name: "server without tickets: full handshakes", server: ["-num_tickets", "0"], cfg: {}, resumed: false },
      { name: "server refusing resumption (-no_ticket... stateful cache off): full handshake", server: ["-no_cache", "-no_ticket"], cfg: {}, resumed: false },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const srv = await opensslServer(ec.cert, ec.key, ["-www", "-max_send_frag", "1024", ...c.server]);
        const e = await openEngine(name);
        try {
          const d = await new TlsDriver(e).init();
          await d.clearTicket();
          const first = await fetch(d, srv.port, { ticket: true, ...c.cfg }, GET, pki.caDer);
          assert.equal(first.rc, 0, errorName(first.rc));
          assert.equal(first.resumed, 0);
          const second = await fetch(d, srv.port, { ticket: true, ...c.cfg }, GET, pki.caDer);
          assert.equal(second.rc, 0, `${errorName(second.rc)}\n${srv.output().slice(-300)}`);
          assert.equal(second.resumed, c.resumed ? 1 : 0);
          assert.match(second.body, c.resumed ? /Reused, TLSv1.3/ : /New, TLSv1.3/);
          if (c.suite) assert.equal(second.suite, c.suite);
          if (c.resumed) {   // and once more, from the ticket of the resumed connection
            const third = await fetch(d, srv.port, { ticket: true, ...c.cfg }, GET, pki.caDer);
            assert.equal(third.resumed, 1);
          }
        } finally { await e.close(); await srv.stop(); }
      });
    }
  });
}
