import { IO, IO_SIZE } from "../io";

export function io_buffer(): usize { return IO; }
export function io_size(): i32 { return IO_SIZE; }
