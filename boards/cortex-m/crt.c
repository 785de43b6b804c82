/* The bare-metal C runtime shared by the Cortex-M4 boards (mps2-an386 and
 * microbit-v2), included by each board's startup.c: RAM set-up at reset
 * (.data copied, .bss zeroed, the stack painted for the high-water figure,
 * the FPU enabled: both are built for the hard-float ABI), the stack
 * high-water, newlib's heap (_sbrk, bounded by the stack's bottom; wasm3's
 * allocator, host/wasm3/heap.c, grows it), and the host-TCP imports, which a
 * bare-metal board does not have. The linker scripts define the symbols. */
#include <stdint.h>
#include <stddef.h>
#include <errno.h>
#include "hal.h"

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _stack_top, _stack_bottom, _heap_start, _heap_end;

#define STACK_PAINT 0xA5A5A5A5u
#define CRT_CPACR   (*(volatile uint32_t *)0xE000ED88u)   /* ARMv7-M: coprocessor access control */

static void crt_init(void) {
    uint32_t *s = &_sidata, *d = &_sdata;
    while (d < &_edata) *d++ = *s++;
    for (d = &_sbss; d < &_ebss; d++) *d = 0;
    /* Paint the stack below the current frame. */
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (d = &_stack_bottom; (uint32_t)d < sp - 64; d++) *d = STACK_PAINT;
    /* CPACR: CP10 and CP11 full access. */
    CRT_CPACR |= 0xFu << 20;
    __asm volatile("dsb; isb");
}

uint32_t stack_peak_bytes(void) {
    const uint32_t *p = &_stack_bottom;
    while (p < &_stack_top && *p == STACK_PAINT) p++;
    return (uint32_t)((const uint8_t *)&_stack_top - (const uint8_t *)p);
}

static uint8_t *brk = (uint8_t *)&_heap_start;
void *_sbrk(ptrdiff_t inc) {
    uint8_t *old = brk;
    if (inc > (uint8_t *)&_heap_end - brk) { errno = ENOMEM; return (void *)-1; }
    brk += inc;
    return old;
}
size_t hal_heap_high_water(void) { return (size_t)(brk - (uint8_t *)&_heap_start); }

int hal_tcp_open(const char *h, int port) { (void)h; (void)port; return -1; }
int hal_tcp_write(int h, const uint8_t *p, size_t n) { (void)h; (void)p; (void)n; return -1; }
int hal_tcp_read(int h, uint8_t *p, size_t n, uint32_t t) { (void)h; (void)p; (void)n; (void)t; return -1; }
void hal_tcp_close(int h) { (void)h; }
