// The exchange area through which a host (the tests, the CLI) passes inputs
// and reads outputs. It doubles as scratch for the test-facing exports.
// RAM: IO_SIZE bytes of linear memory.
export const IO_SIZE: i32 = 4096;
export const IO: usize = memory.data(IO_SIZE);

// True when [p, p + n) lies inside linear memory: exports taking pointers
// from a host check this first, so a bad pointer is an error, not a trap.
export function inMemory(p: usize, n: usize): bool {
  let top = <usize>memory.size() << 16;
  // wasm3 traps past the module's budget (lowMemoryLimit) although
  // memory.size() still says one page: the budget is the top.
  if (ASC_LOW_MEMORY_LIMIT) top = min<usize>(top, <usize>ASC_LOW_MEMORY_LIMIT);
  return p != 0 && n <= top && p <= top - n;
}
