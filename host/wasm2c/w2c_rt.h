/* Between the device runtime (wasm_rt_device.c) and the embedding. */
#ifndef W2C_RT_H
#define W2C_RT_H
#include <stdint.h>
/* Ends the current call with this message (a trap). */
void w2c_trap_message(const char *msg) __attribute__((noreturn));
/* The message of the last trap. */
const char *w2c_last_trap(void);
#endif
