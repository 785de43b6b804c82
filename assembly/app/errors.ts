// Telemetry app errors (range -384..-399).
export const ERR_APP_HTTP_STATUS: i32 = -384;   // the server answered with a status other than 2xx
export const ERR_APP_BAD_RESPONSE: i32 = -385;  // no HTTP status line, or a header block larger than the buffer
export const ERR_APP_NO_RESPONSE: i32 = -386;   // the connection ended or stalled before a full response
export const ERR_APP_GAVE_UP: i32 = -387;       // too many failures in a row
