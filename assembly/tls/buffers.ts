// The record buffers of the module's one TLS connection (TlsSocket and the
// exports share them). The input buffer holds one record of the negotiated
// size (larger handshake records stream through it); the output buffer holds
// our largest flight (ClientHello, or Certificate + CertificateVerify +
// Finished with a client certificate).
// RAM: TLS_IN_SIZE + TLS_OUT_SIZE bytes.
export const TLS_IN_SIZE: i32 = 2048;
export const TLS_OUT_SIZE: i32 = 1024;
export const TLS_IN: usize = memory.data(TLS_IN_SIZE);
export const TLS_OUT: usize = memory.data(TLS_OUT_SIZE);
