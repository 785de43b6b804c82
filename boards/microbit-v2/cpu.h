/* The few Cortex-M4 instructions the board code needs, in one place so that
 * sim/regsim.c can build the HAL on the host against its register model
 * (MICROBIT_SIM) and supply its own versions. */
#ifndef MICROBIT_CPU_H
#define MICROBIT_CPU_H
#include <stdint.h>

#ifdef MICROBIT_SIM
uint32_t cpu_irq_save(void);
void cpu_irq_restore(uint32_t primask);
void cpu_wfi(void);
void cpu_dsb(void);
int  cpu_in_handler(void);
#else
/* Masks interrupts; returns the previous PRIMASK for cpu_irq_restore. */
static inline uint32_t cpu_irq_save(void) {
    uint32_t m;
    __asm volatile("mrs %0, primask\n cpsid i" : "=r"(m) :: "memory");
    return m;
}
static inline void cpu_irq_restore(uint32_t m) { __asm volatile("msr primask, %0" :: "r"(m) : "memory"); }
static inline void cpu_wfi(void) { __asm volatile("wfi"); }
static inline void cpu_dsb(void) { __asm volatile("dsb" ::: "memory"); }
/* In an exception handler (IPSR != 0), where lower-priority interrupts
 * cannot preempt and so cannot end a WFI. */
static inline int cpu_in_handler(void) {
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr != 0;
}
#endif
#endif
