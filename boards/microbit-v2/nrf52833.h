/* nRF52833 registers used by the micro:bit v2 board, named as in Nordic's
 * nRF52833 Product Specification (peripheral instance base addresses, then
 * register offsets per peripheral, then bit fields). Every address this
 * board touches is defined here and nowhere else; tests/microbit.test.ts
 * checks these values against a table taken from the specification.
 * Plain #defines with hex literals only, so the test can parse them. */
#ifndef NRF52833_H
#define NRF52833_H
#include <stdint.h>

#ifdef MICROBIT_SIM   /* host build against sim/regsim.c's register model */
volatile uint32_t *sim_reg(uint32_t addr);
#define REG32(addr) (*sim_reg((uint32_t)(addr)))
#else
#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
#endif

/* ---- memory map ---- */
#define NRF_FLASH_BASE          0x00000000u
#define NRF_FLASH_SIZE          0x00080000u   /* 512 KB, 4 KB pages */
#define NRF_RAM_BASE            0x20000000u
#define NRF_RAM_SIZE            0x00020000u   /* 128 KB */
#define NRF_FICR_BASE           0x10000000u
#define NRF_UICR_BASE           0x10001000u

/* ---- peripheral instances (base address; IRQ number) ---- */
#define NRF_CLOCK_BASE          0x40000000u   /* IRQ 0, shared with POWER */
#define NRF_POWER_BASE          0x40000000u
#define NRF_APPROTECT_BASE      0x40000000u
#define NRF_UARTE0_BASE         0x40002000u   /* IRQ 2 */
#define NRF_TIMER0_BASE         0x40008000u   /* IRQ 8 */
#define NRF_RTC0_BASE           0x4000B000u   /* IRQ 11 */
#define NRF_TEMP_BASE           0x4000C000u   /* IRQ 12 */
#define NRF_RNG_BASE            0x4000D000u   /* IRQ 13 */
#define NRF_RTC1_BASE           0x40011000u   /* IRQ 17 */
#define NRF_NVMC_BASE           0x4001E000u
#define NRF_UARTE1_BASE         0x40028000u   /* IRQ 40 */
#define NRF_P0_BASE             0x50000000u
#define NRF_P1_BASE             0x50000300u

#define UARTE0_UART0_IRQn       2
#define RTC1_IRQn               17
#define UARTE1_IRQn             40
#define NRF_IRQ_COUNT           48

/* ---- FICR / UICR ---- */
#define FICR_INFO_PART          0x100u        /* 0x52833 */
#define FICR_INFO_VARIANT       0x104u
#define FICR_CONFIGID_VAR1      0x130u        /* 0x0D on nRF52833 */
#define FICR_CONFIGID_VAR2      0x134u        /* silicon revision */
#define UICR_APPROTECT          0x208u
#define UICR_NFCPINS            0x20Cu        /* bit 0 PROTECT: 1 = NFC (erased), 0 = GPIO */
#define UICR_NFCPINS_PROTECT_NFC 0x00000001u

/* ---- CLOCK ---- */
#define CLOCK_TASKS_HFCLKSTART      0x000u
#define CLOCK_TASKS_HFCLKSTOP       0x004u
#define CLOCK_TASKS_LFCLKSTART      0x008u
#define CLOCK_TASKS_LFCLKSTOP       0x00Cu
#define CLOCK_EVENTS_HFCLKSTARTED   0x100u
#define CLOCK_EVENTS_LFCLKSTARTED   0x104u
#define CLOCK_HFCLKSTAT             0x40Cu
#define CLOCK_LFCLKSTAT             0x418u
#define CLOCK_LFCLKSRC              0x518u
#define CLOCK_LFCLKSRC_LFRC         0x0u
#define CLOCK_LFCLKSRC_LFXO         0x1u
#define CLOCK_LFCLKSRC_LFSYNT       0x2u
#define CLOCK_STAT_SRC_MASK         0x3u          /* HFCLKSTAT/LFCLKSTAT: SRC bits */
#define CLOCK_STAT_RUNNING          0x10000u      /* STATE bit 16 */
#define CLOCK_STAT_RUNNING_SRC1     0x10001u      /* HFCLKSTAT: running from HFXO */

/* ---- POWER / APPROTECT ---- */
#define POWER_RESETREAS             0x400u
#define APPROTECT_FORCEPROTECT      0x550u
#define APPROTECT_DISABLE           0x558u
#define APPROTECT_DISABLE_SWDISABLE 0x5Au

/* ---- UARTE (both instances) ---- */
#define UARTE_TASKS_STARTRX     0x000u
#define UARTE_TASKS_STOPRX      0x004u
#define UARTE_TASKS_STARTTX     0x008u
#define UARTE_TASKS_STOPTX      0x00Cu
#define UARTE_TASKS_FLUSHRX     0x02Cu
#define UARTE_EVENTS_CTS        0x100u
#define UARTE_EVENTS_NCTS       0x104u
#define UARTE_EVENTS_RXDRDY     0x108u
#define UARTE_EVENTS_ENDRX      0x110u
#define UARTE_EVENTS_TXDRDY     0x11Cu
#define UARTE_EVENTS_ENDTX      0x120u
#define UARTE_EVENTS_ERROR      0x124u
#define UARTE_EVENTS_RXTO       0x144u
#define UARTE_EVENTS_RXSTARTED  0x14Cu
#define UARTE_EVENTS_TXSTARTED  0x150u
#define UARTE_EVENTS_TXSTOPPED  0x158u
#define UARTE_SHORTS            0x200u
#define UARTE_INTEN             0x300u
#define UARTE_INTENSET          0x304u
#define UARTE_INTENCLR          0x308u
#define UARTE_ERRORSRC          0x480u
#define UARTE_ENABLE            0x500u
#define UARTE_PSEL_RTS          0x508u
#define UARTE_PSEL_TXD          0x50Cu
#define UARTE_PSEL_CTS          0x510u
#define UARTE_PSEL_RXD          0x514u
#define UARTE_BAUDRATE          0x524u
#define UARTE_RXD_PTR           0x534u
#define UARTE_RXD_MAXCNT        0x538u
#define UARTE_RXD_AMOUNT        0x53Cu
#define UARTE_TXD_PTR           0x544u
#define UARTE_TXD_MAXCNT        0x548u
#define UARTE_TXD_AMOUNT        0x54Cu
#define UARTE_CONFIG            0x56Cu
#define UARTE_ENABLE_ENABLED    0x8u
#define UARTE_BAUDRATE_115200   0x01D60000u
#define UARTE_CONFIG_HWFC       0x1u
#define UARTE_PSEL_DISCONNECTED 0xFFFFFFFFu
/* INTEN bit = (event offset - 0x100) / 4 */
#define UARTE_INT_ENDRX         (1u << 4)
#define UARTE_INT_ENDTX         (1u << 8)
#define UARTE_INT_ERROR         (1u << 9)

/* ---- RTC (RTC0/1/2) ---- */
#define RTC_TASKS_START         0x000u
#define RTC_TASKS_STOP          0x004u
#define RTC_TASKS_CLEAR         0x008u
#define RTC_EVENTS_TICK         0x100u
#define RTC_EVENTS_OVRFLW       0x104u
#define RTC_EVENTS_COMPARE0     0x140u
#define RTC_INTENSET            0x304u
#define RTC_INTENCLR            0x308u
#define RTC_EVTENSET            0x344u
#define RTC_COUNTER             0x504u        /* 24 bits */
#define RTC_PRESCALER           0x508u        /* f = 32768 / (PRESCALER + 1) */
#define RTC_CC0                 0x540u
#define RTC_INT_OVRFLW          (1u << 1)
#define RTC_INT_COMPARE0        (1u << 16)

/* ---- TEMP ---- */
#define TEMP_TASKS_START        0x000u
#define TEMP_TASKS_STOP         0x004u
#define TEMP_EVENTS_DATARDY     0x100u
#define TEMP_TEMP               0x508u        /* signed, 0.25 degC units */

/* ---- RNG ---- */
#define RNG_TASKS_START         0x000u
#define RNG_TASKS_STOP          0x004u
#define RNG_EVENTS_VALRDY       0x100u
#define RNG_CONFIG              0x504u
#define RNG_CONFIG_DERCEN       0x1u          /* bias correction */
#define RNG_VALUE               0x508u        /* 8 bits */

/* ---- NVMC ---- */
#define NVMC_READY              0x400u
#define NVMC_CONFIG             0x504u
#define NVMC_CONFIG_REN         0x0u
#define NVMC_CONFIG_WEN         0x1u

/* ---- GPIO (P0, P1) ---- */
#define GPIO_OUT                0x504u
#define GPIO_OUTSET             0x508u
#define GPIO_OUTCLR             0x50Cu
#define GPIO_IN                 0x510u
#define GPIO_DIR                0x514u
#define GPIO_DIRSET             0x518u
#define GPIO_DIRCLR             0x51Cu
#define GPIO_PIN_CNF0           0x700u        /* PIN_CNF[n] at 0x700 + 4 n */
#define GPIO_PIN_CNF_DIR_OUTPUT 0x1u
#define GPIO_PIN_CNF_INPUT_DISCONNECT 0x2u
#define GPIO_PIN_CNF_PULLUP     0xCu          /* PULL = 3 at bits 2-3 */

/* ---- Cortex-M4 system control (ARMv7-M) ---- */
#define SCB_AIRCR               0xE000ED0Cu
#define SCB_AIRCR_SYSRESETREQ   0x05FA0004u   /* VECTKEY | SYSRESETREQ */
#define SCB_CPACR               0xE000ED88u
#define NVIC_ISER0              0xE000E100u
#define NVIC_ICER0              0xE000E180u
#define NVIC_IPR0               0xE000E400u

#endif
