// The ESP8266 driver and the sockets in the release module against the
// simulated ESP8266 (host/node/esp8266-sim.ts) in both AT dialects, with real
// loopback TCP servers behind it: V8 (on a worker thread, worker-engine.ts),
// wasm3 on the native board (modem UART over loopback TCP) and, for the happy
// path, wasm3 on the emulated Cortex-M4 (modem on QEMU's second UART).
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { Rig, echoServer, httpServer, SSID, PSK } from "./lib/esp8266-rig.ts";
import { rng, ENGINES } from "./lib/util.ts";
import { Esp8266Sim, type Dialect, type SimOptions } from "../host/node/esp8266-sim.ts";
import { workerEngine } from "../host/node/worker-engine.ts";

// Error codes (assembly/esp8266/errors.ts, assembly/net/errors.ts).
const E = {
  AT_TIMEOUT: -256, AT_ERROR: -257, AT_REBOOTED: -259, AT_BUSY: -260, NOT_READY: -263, NOT_JOINED: -264,
  JOIN_TIMEOUT: -265, JOIN_PASSWORD: -266, JOIN_NO_AP: -267, JOIN_FAILED: -268, DNS: -269, CONNECT: -270,
  ALREADY_CONNECTED: -271, LINK_LOST: -274, SEND_FAIL: -275,
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
        const r = await rig({ time: () => 1646823092 });
        try {
          assert.equal(await r.call("wifi_time"), 0, "no time before a join");
          assert.equal(await r.init(), 0);
          assert.equal(await r.call("wifi_dialect"), dialect === "nonos" ? 1 : 2);
          assert.equal(await r.join(), 0);
          assert.equal((await r.call("wifi_ip")) >>> 0, (192 << 24 | 168 << 16 | 4 << 8 | 2) >>> 0);
          assert.equal(await r.call("wifi_time"), 1646823092, "asctime with a one-digit day");
          assert.equal(await r.join(), 0, "a second join while joined (WIFI DISCONNECT first)");
          assert.equal(await r.call("wifi_level"), 2);
          const join = r.sim.commands.find((c) => c.includes("CWJAP"))!;
          assert.equal(join, `${dialect === "nonos" ? "AT+CWJAP_CUR" : "AT+CWJAP"}="${SSID}","correct horse\\, \\"battery\\""`);
          const s = await r.open("echo.test", 7);
          assert.ok(s >= 0, `open ${s}`);
          const data = Buffer.from(rng(9000, 1));
          assert.equal(await r.write(s, data), data.length);
          const sends = r.sim.commands.filter((c) => c.startsWith("AT+CIPSEND="));
          assert.ok(sends.every((c) => Number(c.split(",")[1]) <= 2048));
          const got = await r.read(s, data.length);
          assert.equal(got.data.length, data.length, `status ${got.status}`);
          assert.ok(got.data.equals(data), "echoed bytes");
          assert.equal(await r.call("socket_close", s), 0);
          assert.equal(await r.call("socket_state", s), 0);
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 10), E.SOCK_NOT_OPEN);
          await new Promise((res) => setTimeout(res, 50));
          assert.equal(r.sim.linkCount(), 0);
        } finally { await r.close(); }
      });

      test("throughput of an HTTP download at 115200 baud", async (t) => {
        const r = await rig({ baud: 115200 });
        try {
          await r.up();
          const s = await r.open("files.test", 80);
          const t0 = performance.now();
          await r.write(s, request("/file"));
          const got = await r.read(s, 1 << 20, 5000);
          const ms = performance.now() - t0;
          assert.equal(got.status, E.SOCK_CLOSED);
          assert.ok(splitHttp(got.data).body.equals(body));
          const rate = Math.round((body.length * 1000) / ms);
          t.diagnostic(`${body.length} payload bytes in ${Math.round(ms)} ms: ${rate} B/s (UART limit 11520 B/s)`);
          console.log(`# throughput ${engineName} ${dialect}: ${rate} B/s`);
          assert.ok(rate > 5000, `${rate} B/s`);
        } finally { await r.close(); }
      });

      test("throughput of an upload at 115200 baud", async (t) => {
        const r = await rig({ baud: 115200 });
        const sink = await new Promise<{ port: number; got: Promise<number>; close: () => void }>((res) => {
          let n = 0, done!: (v: number) => void;
          const got = new Promise<number>((d) => { done = d; });
          const srv = net.createServer((c) => { c.on("data", (d) => { n += d.length; if (n >= 20000) done(n); }); });
          srv.listen(0, "127.0.0.1", () => res({ port: (srv.address() as net.AddressInfo).port, got, close: () => srv.close() }));
        });
        try {
          await r.up();
          const s = await r.open("127.0.0.1", sink.port);
          const data = Buffer.from(rng(20000, 20));
          const t0 = performance.now();
          assert.equal(await r.write(s, data), data.length);
          assert.equal(await sink.got, data.length);
          const ms = performance.now() - t0;
          const rate = Math.round((data.length * 1000) / ms);
          t.diagnostic(`${data.length} bytes sent in ${Math.round(ms)} ms: ${rate} B/s`);
          console.log(`# upload ${engineName} ${dialect}: ${rate} B/s`);
          assert.ok(rate > 5000 && rate <= 11600, `${rate} B/s`);
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); sink.close(); }
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
          assert.equal(r.sim.maxHeld, 5760, "the module's passive buffer filled, never beyond");
          assert.equal(await r.call("socket_state", s), 2);
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); }
      });

      // Echoes n bytes through a fresh socket; the driver must be up.
      async function echoOk(r: Rig, n = 3000): Promise<void> {
        const s = await r.open("echo.test", 7);
        assert.ok(s >= 0, `open ${s}`);
        const data = Buffer.from(rng(n, n));
        assert.equal(await r.write(s, data), n);
        const got = await r.read(s, n);
        assert.ok(got.data.equals(data), `echo ${got.data.length}/${n}, status ${got.status}`);
        assert.equal(await r.call("socket_close", s), 0);
      }

      test("fault: wrong password, missing AP, then the right one", async () => {
        const r = await rig();
        try {
          assert.equal(await r.join(), E.NOT_READY, "join before init");
          assert.equal(await r.init(), 0);
          assert.equal(await r.join(SSID, "wrong"), E.JOIN_PASSWORD);
          assert.equal(await r.join("no-such-ap", PSK), E.JOIN_NO_AP);
          assert.equal(await r.open("echo.test", 7), E.NOT_JOINED);
          assert.equal(await r.join(), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: join timeout and connection failure are named", async () => {
        const r = await rig();
        try {
          assert.equal(await r.init(), 0);
          r.sim.faults.joinFail = 1;
          assert.equal(await r.join(), E.JOIN_TIMEOUT);
          r.sim.faults.joinFail = 4;
          assert.equal(await r.join(), E.JOIN_FAILED);
          assert.equal(await r.join(), 0);
        } finally { await r.close(); }
      });

      test("fault: ALREADY CONNECTED on open is closed and retried once", async () => {
        const r = await rig();
        try {
          await r.up();
          r.sim.faults.alreadyConnected = 1;
          await echoOk(r, 200);
          r.sim.faults.alreadyConnected = 2;
          assert.equal(await r.open("echo.test", 7), E.ALREADY_CONNECTED);
          await echoOk(r, 200);
        } finally { await r.close(); }
      });

      test("fault: a reboot noticed before the next command fails that command", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          r.sim.reboot();
          await new Promise((res) => setTimeout(res, 100));
          assert.equal(await r.write(s, Buffer.from("x")), E.AT_REBOOTED);
          assert.equal(await r.call("socket_close", s), 0);
          await r.up();
          await echoOk(r, 200);
        } finally { await r.close(); }
      });

      test("fault: a garbled +IPD is recovered with AT+CIPRECVLEN?", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          r.sim.faults.loseIpd = 1;
          const data = Buffer.from(rng(700, 70));
          assert.equal(await r.write(s, data), data.length);
          const got = await r.read(s, data.length, 400);
          assert.ok(got.data.equals(data), `got ${got.data.length}, status ${got.status}`);
          assert.ok(r.sim.commands.includes("AT+CIPRECVLEN?"));
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 200), 0, "then a plain timeout");
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); }
      });

      test("passive receive when +IPD announces every segment", async () => {
        const r = await rig({ ipd: "each" });
        try {
          await r.up();
          await echoOk(r, 9000);
          const s = await r.open("files.test", 80);
          await r.write(s, request("/file"));
          const got = await r.read(s, 1 << 20, 3000, 1000);
          assert.equal(got.status, E.SOCK_CLOSED);
          assert.ok(splitHttp(got.data).body.equals(body));
          assert.equal(await r.call("socket_close", s), 0);
        } finally { await r.close(); }
      });

      test("fault: DNS failure and a non-loopback address, then a good open", async () => {
        const r = await rig();
        try {
          await r.up();
          assert.equal(await r.open("nowhere.test", 80), E.DNS);
          assert.equal(await r.open("10.1.2.3", 80), E.CONNECT);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: SEND FAIL sticks to the socket; a new socket works", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          r.sim.faults.sendFail = 1;
          assert.equal(await r.write(s, Buffer.from("hello")), E.SEND_FAIL);
          assert.equal(await r.call("socket_state", s), 3);
          assert.equal(await r.call("socket_error", s), E.SEND_FAIL);
          assert.equal(await r.call("socket_write", s, r.io + 512, 4), E.SEND_FAIL, "the first error sticks");
          assert.equal(await r.call("socket_close", s), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: busy p... is retried; endless busy is a named error", async () => {
        const r = await rig();
        try {
          await r.up();
          r.sim.faults.busy = 3;
          await echoOk(r, 500);
          r.sim.faults.busy = 100;
          assert.equal(await r.open("echo.test", 7), E.AT_BUSY);
          r.sim.faults.busy = 0;
          await echoOk(r, 500);
        } finally { await r.close(); }
      });

      test("fault: garbage before every reply and between them", async () => {
        const r = await rig();
        try {
          r.sim.faults.garbage = 1000;
          await r.up();
          r.sim.garbage(200);
          await echoOk(r, 5000);
          r.sim.garbage(300);
          assert.equal(await r.call("wifi_ip") >>> 0, (192 << 24 | 168 << 16 | 4 << 8 | 2) >>> 0);
        } finally { await r.close(); }
      });

      test("fault: reboot mid-command, then re-init, re-join, re-open", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          r.sim.faults.rebootOn = "AT+CIPSEND";
          assert.equal(await r.write(s, Buffer.from("lost")), E.AT_REBOOTED);
          assert.equal(await r.call("wifi_level"), 0);
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 10), E.AT_REBOOTED, "the error sticks");
          assert.equal(await r.call("socket_close", s), 0);
          assert.equal(await r.open("echo.test", 7), E.NOT_JOINED);
          await r.up();
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: reboot while a socket waits for data", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          setTimeout(() => r.sim.reboot(), 200);
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 3000), E.AT_REBOOTED);
          assert.equal(await r.call("socket_close", s), 0);
          await r.up();
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: WIFI DISCONNECT closes the links and needs a re-join", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          setTimeout(() => r.sim.wifiDrop(), 100);
          assert.equal(await r.call("socket_read", s, r.io + 512, 16, 3000), E.SOCK_CLOSED);
          await r.call("socket_read", s, r.io + 512, 16, 100);
          assert.equal(await r.call("socket_close", s), 0);
          assert.equal(await r.open("echo.test", 7), E.NOT_JOINED);
          assert.equal(await r.join(), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: byte-at-a-time delivery", async () => {
        const r = await rig();
        try {
          r.sim.faults.byteAtATime = true;
          await r.up();
          await echoOk(r, 300);
        } finally { await r.close(); }
      });

      test("fault: link dropped mid-transfer", async () => {
        const r = await rig();
        try {
          await r.up();
          const s = await r.open("files.test", 80);
          r.sim.faults.dropAfter = 12000;
          assert.equal(await r.write(s, request("/file")), request("/file").length);
          const got = await r.read(s, 1 << 20, 5000);
          assert.equal(got.status, E.SOCK_CLOSED);
          assert.ok(got.data.length < body.length, `only part of the response (${got.data.length})`);
          assert.equal(await r.call("socket_close", s), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test("fault: a silent modem times out; it is used again once it answers", async () => {
        const r = await rig();
        try {
          r.sim.faults.mute = true;
          const t0 = Date.now();
          assert.equal(await r.init(), E.AT_TIMEOUT);
          assert.ok(Date.now() - t0 < 5000, "within the command timeout");
          r.sim.faults.mute = false;
          await r.up();
          await echoOk(r, 500);
        } finally { await r.close(); }
      });

      test("fault: a truncated reply times out; the next command recovers", async () => {
        const r = await rig();
        try {
          assert.equal(await r.init(), 0);
          r.sim.faults.truncateOn = dialect === "nonos" ? "AT+CIPSTA_CUR?" : "AT+CIPSTA?";
          assert.equal(await r.join(), E.AT_TIMEOUT);
          assert.equal(await r.join(), 0);
          await echoOk(r, 500);
        } finally { await r.close(); }
      });
    });
  }
}

// The board's modem reset line (env.modem_reset, hal_modem_reset on the
// micro:bit) on V8, wired to the simulator's RST pin: wifiInit pulses it
// instead of sending AT+RST, which also recovers a module whose firmware
// ignores every command; without the line that module is a named error
// within the command timeout, not a hang.
if (ENGINES.includes("v8")) {
  describe("esp8266 reset line (env.modem_reset) on v8", () => {
    let echo: Awaited<ReturnType<typeof echoServer>>;
    before(async () => { echo = await echoServer(); });
    after(async () => { await echo.close(); });

    async function rigWith(line: boolean, o: SimOptions = {}): Promise<Rig> {
      const sim = new Esp8266Sim({ aps: { [SSID]: PSK }, hosts: { "echo.test": echo.port }, trace: true, ...o });
      const engine = await workerEngine({
        uart: (send) => sim.attach(send),
        modemReset: line ? () => { sim.hardwareReset(); return 0; } : undefined,
      });
      const r = new Rig(engine, sim);
      r.io = Number((await engine.call("io_buffer")).value);
      return r;
    }
    // The boot after the last pulse: `ready` is sent after it, ATE0 after that.
    function readyAfterPulse(sim: Esp8266Sim): void {
      const pulse = sim.log.lastIndexOf("! hardware reset");
      assert.ok(pulse >= 0, "no pulse");
      const ready = sim.log.findIndex((l, i) => i > pulse && l.startsWith("< ") && l.includes("ready"));
      const ate0 = sim.log.findIndex((l, i) => i > pulse && l === "> ATE0");
      assert.ok(ready > pulse && ate0 > ready, `ready at ${ready}, ATE0 at ${ate0}, pulse at ${pulse}`);
    }
    async function echoOk(r: Rig): Promise<void> {
      const s = await r.open("echo.test", 7);
      assert.ok(s >= 0, `open ${s}`);
      const data = Buffer.from(rng(600, 6));
      assert.equal(await r.write(s, data), data.length);
      assert.ok((await r.read(s, data.length)).data.equals(data));
      assert.equal(await r.call("socket_close", s), 0);
    }

    for (const dialect of DIALECTS) {
      test(`${dialect}: with the line, init pulses it and sends no AT+RST`, async () => {
        const r = await rigWith(true, { dialect });
        try {
          assert.equal(await r.init(), 0);
          assert.equal(r.sim.hardwareResets, 1);
          assert.ok(!r.sim.commands.includes("AT+RST"), r.sim.commands.join(" "));
          readyAfterPulse(r.sim);
          assert.equal(await r.join(), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });

      test(`${dialect}: with the line, a wedged module is recovered by wifiInit`, async () => {
        const r = await rigWith(true, { dialect });
        try {
          await r.up();
          const s = await r.open("echo.test", 7);
          r.sim.faults.wedged = true;
          assert.equal(await r.write(s, Buffer.from("lost")), E.AT_TIMEOUT, "the wedge is real");
          const t0 = Date.now();
          assert.equal(await r.init(), 0);
          assert.ok(Date.now() - t0 < 3000, `init took ${Date.now() - t0} ms`);
          assert.equal(r.sim.hardwareResets, 2);
          assert.ok(!r.sim.faults.wedged);
          readyAfterPulse(r.sim);
          assert.equal(await r.call("socket_close", s), 0, "its link went with the reset");
          assert.equal(await r.join(), 0);
          await echoOk(r);
        } finally { await r.close(); }
      });
    }

    test("without the line, a wedged module is a named error within the timeout", async () => {
      const r = await rigWith(false);
      try {
        r.sim.faults.wedged = true;
        const t0 = Date.now();
        assert.equal(await r.init(), E.AT_TIMEOUT);
        assert.ok(Date.now() - t0 < 5000, `init took ${Date.now() - t0} ms`);
        assert.ok(r.sim.commands.includes("AT+RST"), "AT+RST is the fallback");
        assert.equal(r.sim.hardwareResets, 0);
        assert.equal(await r.init(), E.AT_TIMEOUT, "still wedged: AT+RST cannot help");
        r.sim.hardwareReset();                       // someone presses the module's reset button
        await new Promise((res) => setTimeout(res, 100));
        await r.up();
        await echoOk(r);
      } finally { await r.close(); }
    });
  });
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

// The emulated Cortex-M4: the modem is QEMU's second UART, connected to the
// simulator over loopback TCP. Happy path and a reboot, both dialects.
if (ENGINES.includes("wasm3-qemu")) {
  for (const dialect of DIALECTS) {
    describe(`esp8266 ${dialect} on wasm3-qemu`, () => {
      test("init, join, echo, HTTP, reboot and recovery", async () => {
        const echo = await echoServer();
        const body = Buffer.from(rng(8000, 9));
        const web = await httpServer(body);
        const r = await Rig.open("wasm3-qemu", { dialect, hosts: { "echo.test": echo.port, "files.test": web.port } });
        try {
          assert.equal(await r.init(), 0);
          assert.equal(await r.call("wifi_dialect"), dialect === "nonos" ? 1 : 2);
          assert.equal(await r.join(), 0);
          let s = await r.open("echo.test", 7);
          const data = Buffer.from(rng(3000, 2));
          assert.equal(await r.write(s, data), data.length);
          assert.ok((await r.read(s, data.length)).data.equals(data));
          assert.equal(await r.call("socket_close", s), 0);
          s = await r.open("files.test", 80);
          await r.write(s, request("/file"));
          const got = await r.read(s, 1 << 20, 5000);
          assert.equal(got.status, E.SOCK_CLOSED);
          assert.ok(splitHttp(got.data).body.equals(body));
          assert.equal(await r.call("socket_close", s), 0);
          s = await r.open("echo.test", 7);
          r.sim.faults.rebootOn = "AT+CIPSEND";
          assert.equal(await r.write(s, data), E.AT_REBOOTED);
          assert.equal(await r.call("socket_close", s), 0);
          await r.up();
          s = await r.open("echo.test", 7);
          assert.equal(await r.write(s, data), data.length);
          assert.ok((await r.read(s, data.length)).data.equals(data));
        } finally { await r.close(); await echo.close(); await web.close(); }
      });
    });
  }
}
