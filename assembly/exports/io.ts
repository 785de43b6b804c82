import { IO, IO_SIZE } from "../io";

export function io_buffer(): usize { return IO; }
export function io_size(): i32 { return IO_SIZE; }

// End of the static data (data segments and memory.data buffers): the module's
// fixed linear-memory footprint, reported by `make size`.
export function static_end(): usize { return __heap_base; }
