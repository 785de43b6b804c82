/* Cortex-M4 startup for mps2-an386: the vector table; RAM set-up, stack
 * painting and FPU enable are boards/cortex-m/crt.c's. */
#include <stdint.h>
#include <string.h>

#include "../cortex-m/crt.c"   /* crt_init, _sbrk, stack high-water */
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


void Reset_Handler(void) {
    crt_init();
    main();
    for (;;) {}
}

