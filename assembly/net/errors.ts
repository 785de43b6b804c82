// Socket errors: -320 .. -383 (see ../errors.ts). Driver errors (-256..-319)
// and host errors pass through sockets unchanged; these are the socket's own.
export const ERR_SOCK_CLOSED: i32 = -320;    // the peer closed the connection (end of stream)
export const ERR_SOCK_NOT_OPEN: i32 = -321;  // the socket is not open (never opened, closed, failed)
export const ERR_SOCK_KIND: i32 = -322;      // unknown socket kind
export const ERR_SOCK_HOST_OPEN: i32 = -323; // the host could not open the connection (tcp_open < 0)
export const ERR_SOCK_HOST_IO: i32 = -324;   // the host connection failed while writing
export const ERR_SOCK_NO_SLOT: i32 = -325;   // no free socket slot (exports)
