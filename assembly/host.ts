// The module's imports: everything it needs from the board (host/wasm3/embed.c
// on wasm3, host/node/engine.ts in V8). Pointers are offsets in linear memory.

@external("env", "uart_write")
export declare function uartWrite(ptr: usize, len: i32): i32;
// Bytes read (0 on timeout, negative when the UART is gone).
@external("env", "uart_read")
export declare function uartRead(ptr: usize, len: i32, timeoutMs: i32): i32;
@external("env", "millis")
export declare function millis(): u32;
@external("env", "sleep_ms")
export declare function sleepMs(ms: i32): void;
// Seconds since 1970, 0 when the board does not know the time.
@external("env", "wall_clock")
export declare function wallClock(): i64;
@external("env", "random_bytes")
export declare function randomBytes(ptr: usize, len: i32): void;
// Milli-degrees Celsius.
// The state indicator (micro:bit: the LED matrix): LED_* below.
@external("env", "led_state")
export declare function ledState(state: i32): void;
export const LED_OFF = 0, LED_JOINING = 1, LED_HANDSHAKE = 2, LED_OK = 3, LED_ERROR = 4;
// 1 when the user's button (micro:bit: A) was pressed since the last call.
@external("env", "button_pressed")
export declare function buttonPressed(): i32;
@external("env", "temperature")
export declare function temperature(): i32;
@external("env", "log")
export declare function logWrite(ptr: usize, len: i32): void;
// Host TCP (HostSocket): boards without it answer -1.
@external("env", "tcp_open")
export declare function tcpOpen(host: usize, hostLen: i32, port: i32): i32;
@external("env", "tcp_write")
export declare function tcpWrite(handle: i32, ptr: usize, len: i32): i32;
@external("env", "tcp_read")
export declare function tcpRead(handle: i32, ptr: usize, len: i32, timeoutMs: i32): i32;
@external("env", "tcp_close")
export declare function tcpClose(handle: i32): void;
// Pulses the modem's reset line (RST low ~10 ms, EN high): 0, or -1 when the
// board has no line (the driver then resets with AT+RST).
@external("env", "modem_reset")
export declare function modemReset(): i32;
