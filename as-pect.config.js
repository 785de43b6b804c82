// as-pect: unit specs in tests/spec, compiled as debug builds (asconfig "debug"
// options are not inherited: device flags live only in the release target).
export default {
  entries: ["tests/spec/**/*.spec.ts"],
  include: ["tests/spec/**/*.include.ts"],
  disclude: [/node_modules/],
  async instantiate(memory, createImports, instantiate, binary) {
    const noop = () => 0;
    const env = {
      memory,
      uart_write: (_p, n) => n, uart_read: noop, millis: () => Date.now() | 0, sleep_ms: noop,
      wall_clock: () => BigInt(Math.floor(Date.now() / 1000)), random_bytes: noop,
      temperature: () => 21500, log: noop,
      tcp_open: () => -1, tcp_write: () => -1, tcp_read: () => -1, tcp_close: noop,
    };
    return instantiate(binary, createImports({ env }));
  },
  outputBinary: false,
};
