/* Cortex-M4 startup for mps2-an386: vector table, .data/.bss setup, stack
 * painting (for the high-water figure), FPU enable, SysTick handler. */
#include <stdint.h>
#include <string.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _stack_top, _stack_bottom;
extern int main(void);
extern void SysTick_Handler(void);
extern void Uart_Rx_Handler(void);
void Reset_Handler(void);
void Fault_Handler(void);

/* 16 system vectors, then IRQ 0 (UART0 RX) .. IRQ 3 (UART1 TX) of the AN386
 * interrupt map: only the RX interrupts are enabled, to wake a wfi. */
__attribute__((section(".vectors"), used))
static void (*const vectors[20])(void) = {
    (void (*)(void))&_stack_top, Reset_Handler,
    Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
    0, 0, 0, 0, Fault_Handler, Fault_Handler, 0, Fault_Handler, SysTick_Handler,
    Uart_Rx_Handler, Fault_Handler, Uart_Rx_Handler, Fault_Handler,
};

#define STACK_PAINT 0xA5A5A5A5u

void Reset_Handler(void) {
    uint32_t *s = &_sidata, *d = &_sdata;
    while (d < &_edata) *d++ = *s++;
    for (d = &_sbss; d < &_ebss; d++) *d = 0;
    /* Paint the stack below the current frame. */
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    for (d = &_stack_bottom; (uint32_t)d < sp - 64; d++) *d = STACK_PAINT;
    /* CP10 and CP11 full access: the FPU is on, as on the nRF52833. */
    *(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
    __asm volatile("dsb; isb");
    main();
    for (;;) {}
}

uint32_t stack_peak_bytes(void) {
    const uint32_t *p = &_stack_bottom;
    while (p < &_stack_top && *p == STACK_PAINT) p++;
    return (uint32_t)((const uint8_t *)&_stack_top - (const uint8_t *)p);
}
