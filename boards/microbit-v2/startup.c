/* nRF52833 startup for the micro:bit v2: the vector table (16 Cortex-M4
 * exceptions + the nRF52833's 48 interrupt lines), .data/.bss set-up, stack
 * painting (for the high-water figure), FPU enable, and the debug-port
 * unlock that newer nRF52833 silicon needs. The board's HAL provides the
 * three interrupt handlers it uses (UARTE0, RTC1, UARTE1); every other line
 * lands in Fault_Handler, which reports and exits. */
#include <stdint.h>
#include "nrf52833.h"

#include "../cortex-m/crt.c"   /* crt_init, _sbrk, stack high-water */
extern int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void UARTE0_UART0_IRQHandler(void);
void RTC1_IRQHandler(void);
void UARTE1_IRQHandler(void);

#define F Fault_Handler
__attribute__((section(".vectors"), used))
static void (*const vectors[16 + NRF_IRQ_COUNT])(void) = {
    /* Cortex-M4 exceptions */
    (void (*)(void))&_stack_top, Reset_Handler,
    F /* NMI */, F /* HardFault */, F /* MemManage */, F /* BusFault */, F /* UsageFault */,
    0, 0, 0, 0, F /* SVCall */, F /* DebugMon */, 0, F /* PendSV */, F /* SysTick */,
    /* nRF52833 interrupts 0..47 */
    F,                          /*  0 POWER_CLOCK */
    F,                          /*  1 RADIO */
    UARTE0_UART0_IRQHandler,    /*  2 UARTE0: the ESP8266 */
    F, F, F, F, F,              /*  3 SPIM0.., 4 SPIM1.., 5 NFCT, 6 GPIOTE, 7 SAADC */
    F, F, F, F, F, F,           /*  8 TIMER0, 9 TIMER1, 10 TIMER2, 11 RTC0, 12 TEMP, 13 RNG */
    F, F, F,                    /* 14 ECB, 15 CCM_AAR, 16 WDT */
    RTC1_IRQHandler,            /* 17 RTC1: milliseconds, LED scan, button */
    F, F,                       /* 18 QDEC, 19 COMP_LPCOMP */
    F, F, F, F, F, F,           /* 20..25 SWI0_EGU0 .. SWI5_EGU5 */
    F, F, F, F, F, F,           /* 26 TIMER3, 27 TIMER4, 28 PWM0, 29 PDM, 30, 31 reserved */
    F, F, F, F, F, F, F, F,     /* 32 MWU, 33 PWM1, 34 PWM2, 35 SPIM2, 36 RTC2, 37 I2S, 38 FPU, 39 USBD */
    UARTE1_IRQHandler,          /* 40 UARTE1: the USB serial (console) */
    F, F, F, F, F, F, F,        /* 41..44 reserved, 45 PWM3, 46 reserved, 47 SPIM3 */
};
#undef F


/* Newer nRF52833 revisions (FICR CONFIGID var1 0x0D, var2 >= 1) lock the
 * debug port at every reset unless firmware opens the software branch, and
 * a locked chip can only be reflashed after a mass erase. Keep it open, as
 * the micro:bit's own runtime does; lock the chip through UICR.APPROTECT
 * when the device holds real credentials (see README.md). */
static void open_debug_port(void) {
    if (REG32(NRF_FICR_BASE + FICR_CONFIGID_VAR1) == 0x0Du &&
        REG32(NRF_FICR_BASE + FICR_CONFIGID_VAR2) >= 1u &&
        REG32(NRF_FICR_BASE + FICR_CONFIGID_VAR2) != 0xFFFFFFFFu)
        REG32(NRF_APPROTECT_BASE + APPROTECT_DISABLE) = APPROTECT_DISABLE_SWDISABLE;
}

void Reset_Handler(void) {
    crt_init();
    open_debug_port();
    main();
    for (;;) {}
}

