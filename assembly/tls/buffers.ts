// The record buffers of the module's one TLS connection (TlsSocket and the
// exports share them). The input buffer holds one record of the negotiated
// size (larger handshake records stream through it); the output buffer holds
// our largest flight (ClientHello, or Certificate + CertificateVerify +
// Finished with a client certificate).
// RAM: none of their own. They are the upper 3 KB of the IO exchange area
// (io.ts), the module's one large scratch: on the device no host uses IO,
// and a host driving TLS through the exports keeps its own data in
// IO[0, TLS_HOST_SCRATCH). The module's 24 KB static budget has no room for
// separate buffers.
import { IO, IO_SIZE } from "../io";

export const TLS_HOST_SCRATCH: i32 = 1024;
export const TLS_IN_SIZE: i32 = 2048;
export const TLS_OUT_SIZE: i32 = IO_SIZE - TLS_HOST_SCRATCH - TLS_IN_SIZE;   // 1024
export const TLS_IN: usize = IO + <usize>TLS_HOST_SCRATCH;
export const TLS_OUT: usize = TLS_IN + <usize>TLS_IN_SIZE;
