// Error codes: negative integers in one number space across the Wasm boundary
// (0 is success). Each area owns a range and defines its codes in its own file;
// one table (later: errors/names) maps every code to its name.
//   -1 .. -15     generic (this file)
//   -16 .. -63    crypto          (assembly/crypto/errors.ts)
//   -64 .. -127   X.509           (assembly/x509/errors.ts)
//   -128 .. -255  TLS; received alerts are -(512 + alert), sent ones -(768 + alert)
//   -256 .. -319  ESP8266 driver  (assembly/esp8266/errors.ts)
//   -320 .. -383  sockets         (assembly/net/errors.ts)
export const OK: i32 = 0;
export const ERR_BAD_POINTER: i32 = -1;   // a host passed memory outside linear memory
export const ERR_BAD_ARGUMENT: i32 = -2;  // a length or option out of range
export const ERR_TIMEOUT: i32 = -3;
export const ERR_NO_SPACE: i32 = -4;      // a static buffer is too small for the input
