/* The board interface: everything the wasm3 embedding needs from a board.
 * One implementation per folder in boards/. All waits take a timeout. */
#ifndef HAL_H
#define HAL_H
#include <stdint.h>
#include <stddef.h>

void     hal_init(int argc, char **argv);
/* Board mode from its command line: "rpc" (test shell) or "main" (the app). */
const char *hal_mode(void);

/* Console: the log, and the RPC shell's input and output. */
void     hal_console_write(const uint8_t *p, size_t n);
/* Reads up to n bytes; returns the count, 0 on timeout, -1 when closed. */
int      hal_console_read(uint8_t *p, size_t n, uint32_t timeout_ms);

/* The modem UART (ESP8266). Same contract as the console. */
int      hal_modem_write(const uint8_t *p, size_t n);
int      hal_modem_read(uint8_t *p, size_t n, uint32_t timeout_ms);
/* Pulses the modem's reset line (EN high, RST low ~10 ms, then released) and
 * drops what the modem sent before the pulse; returns 0. Boards without the
 * line return -1 (the driver then resets the modem with AT+RST). */
int      hal_modem_reset(void);

uint32_t hal_millis(void);
void     hal_sleep_ms(uint32_t ms);
/* Instructions executed so far where the board can count them (QEMU icount),
 * else 0. */
uint64_t hal_instructions(void);
/* Optional: instructions spent working (hal_instructions less the time
 * asleep waiting for a byte or a timer), when the board was asked to trace
 * the app's steps ("steps" on its command line); 0 otherwise. */
uint64_t hal_busy_instructions(void) __attribute__((weak));
/* Seconds since 1970, 0 when unknown. */
uint64_t hal_wall_clock(void);
void     hal_random(uint8_t *p, size_t n);
/* The state indicator (micro:bit: the LED matrix): 0 off, 1 joining WiFi,
 * 2 TLS handshake, 3 reading accepted, 4 error. Boards without one ignore it. */
void     hal_indicate(int state);
/* 1 when the user's button (micro:bit: A) was pressed since the last call. */
int      hal_button_pressed(void);
/* Milli-degrees Celsius. */
int32_t  hal_temperature_mc(void);
/* Deepest C stack use so far, in bytes (stack painting). */
size_t   hal_stack_peak(void);
/* Firmware RAM outside the heap and stack (data + bss), 0 where unknown. */
size_t   hal_static_ram(void);
void     hal_exit(int status) __attribute__((noreturn));
/* Optional: bytes the C heap has taken from the board (sbrk high-water),
 * allocator overhead included. Boards without it leave it undefined. */
size_t   hal_heap_high_water(void) __attribute__((weak));

/* Test support: reads n bytes at offset of a host file (semihosting on QEMU),
 * so that large test inputs need not cross the console. Returns the count. */
int      hal_host_file_read(const char *path, uint32_t offset, uint8_t *p, size_t n);

/* Host TCP for HostSocket. Boards without it return -1. */
int      hal_tcp_open(const char *host, int port);
int      hal_tcp_write(int h, const uint8_t *p, size_t n);
int      hal_tcp_read(int h, uint8_t *p, size_t n, uint32_t timeout_ms);
void     hal_tcp_close(int h);
#endif
