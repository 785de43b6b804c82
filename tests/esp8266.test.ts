// The ESP8266 driver and the sockets in the release module against the
// simulated ESP8266 (host/node/esp8266-sim.ts) in both AT dialects, with real
// loopback TCP servers behind it: V8 (on a worker thread, worker-engine.ts),
// wasm3 on the native board (modem UART over loopback TCP) and, for the happy
// path, wasm3 on the emulated Cortex-M4 (modem on QEMU's second UART).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import { Rig, echoServer, httpServer, SSID, PSK } from "./lib/esp8266-rig.ts";
import { rng, ENGINES } from "./lib/util.ts";
import type { Dialect } from "../host/node/esp8266-sim.ts";

// Error codes (assembly/esp8266/errors.ts, assembly/net/errors.ts).
const E = {
  AT_TIMEOUT: -256, AT_ERROR: -257, AT_REBOOTED: -259, AT_BUSY: -260, NOT_READY: -263, NOT_JOINED: -264,
  JOIN_PASSWORD: -266, JOIN_NO_AP: -267, DNS: -269, CONNECT: -270, LINK_LOST: -274, SEND_FAIL: -275,
  SOCK_CLOSED: -320, SOCK_NOT_OPEN: -321, SOCK_HOST_OPEN: -323,
};
const DIALECTS: Dialect[] = ["nonos", "at2"];
const FULL = ENGINES.filter((e) => e === "v8" || e === "wasm3-native");

function request(path: string): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: files.test\r\nConnection: close\r\n\r\n`);
}
function splitHttp(raw: Buffer): { head: string; body: Buffer } {
  const i = raw.indexOf("\r\n\r\n");
  return { head: raw.subarray(0, i).toString("latin1"), body: raw.subarray(i + 4) };
}

for (const engineName of FULL) {
  for (const dialect of DIALECTS) {
    describe(`esp8266 ${dialect} on ${engineName}`, () => {
      let echo: Awaited<ReturnType<typeof echoServer>>;
      let web: Awaited<ReturnType<typeof httpServer>>;
      const body = Buffer.from(rng(30000, 5));
      before(async () => { echo = await echoServer(); web = await httpServer(body); });
      after(async () => { await echo.close(); await web.close(); });

      async function rig(o: Record<string, unknown> = {}): Promise<Rig> {
        return Rig.open(engineName, { dialect, hosts: { "echo.test": echo.port, "files.test": web.port }, ...o });
      }

      test("init, join, time, open, send (split at 2048), passive receive, close", async () => {
        const r = await rig({ time: () => 1700000000 });
        try {
          assert.equal(await r.call("wifi_time"), 0, "no time before a join");
          assert.equal(await r.init(), 0);
          assert.equal(await r.call("wifi_dialect"), dialect === "nonos" ? 1 : 2);
          assert.equal(await r.join(), 0);
          assert.equal((await r.call("wifi_ip")) >>> 0, (192 << 24 | 168 << 16 | 4 << 8 | 2) >>> 0);
          assert.equal(await r.call("wifi_time"), 1700000000);
          const join = r.sim.commands.find((c) => c.includes("CWJAP"))!;
          assert.equal(join, `${dialect === "nonos" ? "AT+CWJAP_CUR" : "AT+CWJAP"}="${SSID}","correct horse\\, \\"battery\\""`);
          const s = await r.open("echo.test", 7);
          assert.ok(s >= 0, `open ${s}`);
          const data = Buffer.from(rng(9000, 1));
          assert.equal(await r.write(s, data), data.length);
          const sends = r.sim.commands.filter((c) => c.startsWith("AT+CIPSEND="));
          assert.ok(sends.every((c) => Number(c.split(",")[1]) <= 2048));
          const got = await r.read(s, data.length);
          assert.equal(got.data.length, data.length);
          assert.ok(got.data.equals(data), "echoed bytes");
          assert.equal(await r.call("socket_close", s), 0);
          assert.equal(await r.call("socket_state", s), 0);
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 10), E.SOCK_NOT_OPEN);
          await new Promise((res) => setTimeout(res, 50));
          assert.equal(r.sim.linkCount(), 0);
        } finally { await r.close(); }
      });

      test("HTTP GET through the modem to a local server, then end of stream", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("files.test", 80);
          assert.ok(s >= 0);
          assert.equal(await r.write(s, request("/file")), request("/file").length);
          const got = await r.read(s, 1 << 20, 5000);
          assert.equal(got.status, E.SOCK_CLOSED, "the server closed: end of stream after the data");
          const { head, body: b } = splitHttp(got.data);
          assert.match(head, /^HTTP\/1\.1 200 OK/);
          assert.ok(b.equals(body), `body ${b.length} bytes`);
          assert.equal(await r.call("socket_state", s), 2);
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); }
      });
    });
  }
}

for (const engineName of FULL) {
  describe(`HostSocket on ${engineName}`, () => {
    test("echo through the board's own TCP", async () => {
      const echo = await echoServer();
      const r = await Rig.open(engineName, {});
      try {
        const s = await r.open("127.0.0.1", echo.port, "host_socket_open");
        assert.ok(s >= 0, `open ${s}`);
        const data = Buffer.from(rng(6000, 3));
        assert.equal(await r.write(s, data), data.length);
        const got = await r.read(s, data.length);
        assert.ok(got.data.equals(data));
        assert.equal(await r.call("socket_read", s, r.io + 512, 64, 100), 0, "timeout reads 0");
        await echo.close();
        assert.equal(await r.call("socket_read", s, r.io + 512, 64, 2000), E.SOCK_CLOSED);
        assert.equal(await r.call("socket_error", s), E.SOCK_CLOSED);
        assert.equal(await r.call("socket_close", s), 0);
        assert.equal(await r.open("127.0.0.1", 1, "host_socket_open"), E.SOCK_HOST_OPEN);
      } finally { await r.close(); }
    });
  });
}
