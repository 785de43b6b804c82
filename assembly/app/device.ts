// The device module's entry: the telemetry app and nothing else (no test
// exports), so its static data fits the 24 KB budget. The release module
// (assembly/index.ts) keeps the test-facing exports and the SHA-256 board
// workload as its main.
export { main, step } from "./telemetry";
export { io_buffer } from "../exports/io";
