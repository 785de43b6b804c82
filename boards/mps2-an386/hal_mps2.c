/* boards/mps2-an386: QEMU's Cortex-M4 board standing in for the micro:bit.
 * UART0 (-serial #0) is the console, UART1 (-serial #1, a loopback TCP socket)
 * the modem. SysTick gives milliseconds and, under -icount shift=0, counts
 * instructions (1 ns of virtual time each). Entropy, the command line and the
 * exit status go through semihosting. */
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include "hal.h"
#include "embed.h"

#define REG(a) (*(volatile uint32_t *)(a))
#define UART0 0x40004000u
#define UART1 0x40005000u
#define UART_DATA 0x0
#define UART_STATE 0x4
#define UART_CTRL 0x8
#define UART_INTSTATUS 0xC
#define UART_BAUDDIV 0x10
#define CTRL_TX_EN 1u
#define CTRL_RX_EN 2u
#define CTRL_RX_INT 8u
#define NVIC_ISER0 0xE000E100u
#define STATE_TX_FULL 1u
#define STATE_RX_FULL 2u

#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define SYSCLK_HZ 25000000u
#define TICKS_PER_MS (SYSCLK_HZ / 1000u)
#define NS_PER_TICK (1000000000u / SYSCLK_HZ)

extern uint32_t _sdata, _ebss, _heap_start, _heap_end;
extern const uint8_t wasm_module[], wasm_module_end[];
uint32_t stack_peak_bytes(void);
int board_run(const uint8_t *wasm, uint32_t len);

static volatile uint32_t ms;
void SysTick_Handler(void) { ms++; }

/* ---- semihosting ---- */
static int semihost(int op, void *arg) {
    register int r0 __asm("r0") = op;
    register void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
#define SYS_OPEN 0x01
#define SYS_READ 0x06
#define SYS_CLOSE 0x02
#define SYS_SEEK 0x0A
#define SYS_GET_CMDLINE 0x15
#define SYS_EXIT_EXTENDED 0x20

static char cmdline[96];
static const char *mode = "main";
static int trace_steps;      /* "steps" on the command line */
static uint64_t idle_ns;     /* virtual time asleep in wfi (with -icount shift=0: 1 ns = 1 instruction) */
static uint64_t pinned_time;
static int urandom = -1;

static void uart_init(uint32_t base) {
    REG(base + UART_BAUDDIV) = 16;
    /* TX and RX enabled (nothing arrives without RX), and the RX interrupt,
     * whose only job is to end a wfi as soon as a byte is there. */
    REG(base + UART_CTRL) = CTRL_TX_EN | CTRL_RX_EN | CTRL_RX_INT;
}

/* The byte stays in DATA for the reader; the handler only acknowledges. */
void Uart_Rx_Handler(void) {
    REG(UART0 + UART_INTSTATUS) = 2;
    REG(UART1 + UART_INTSTATUS) = 2;
}

static uint64_t parse_u64(const char *s) {
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

void hal_init(int argc, char **argv) {
    (void)argc; (void)argv;
    uart_init(UART0);
    uart_init(UART1);
    REG(NVIC_ISER0) = (1u << 0) | (1u << 2);   /* UART0 RX, UART1 RX */
    REG(SYST_RVR) = TICKS_PER_MS - 1;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;           /* processor clock, interrupt, enable */
    struct { char *buf; int len; } cl = { cmdline, sizeof cmdline - 1 };
    if (semihost(SYS_GET_CMDLINE, &cl) == 0) {
        cmdline[cl.len < (int)sizeof cmdline ? cl.len : (int)sizeof cmdline - 1] = 0;
        /* Words: "rpc" selects the test shell; "time=SECONDS" pins the clock. */
        for (char *w = cmdline; *w;) {
            while (*w == ' ') w++;
            char *e = w;
            while (*e && *e != ' ') e++;
            if (e - w == 3 && !strncmp(w, "rpc", 3)) mode = "rpc";
            if (!strncmp(w, "time=", 5)) pinned_time = parse_u64(w + 5);
            if (e - w == 5 && !strncmp(w, "steps", 5)) trace_steps = 1;
            w = e;
        }
    }
    static const char path[] = "/dev/urandom";
    struct { const char *name; int mode; int len; } op = { path, 1, sizeof path - 1 };
    urandom = semihost(SYS_OPEN, &op);
}
const char *hal_mode(void) { return mode; }

static void uart_write(uint32_t base, const uint8_t *p, size_t n) {
    while (n--) {
        while (REG(base + UART_STATE) & STATE_TX_FULL) {}
        REG(base + UART_DATA) = *p++;
    }
}
static int uart_read(uint32_t base, uint8_t *p, size_t n, uint32_t timeout_ms) {
    uint32_t start = ms;
    size_t got = 0;
    while (got == 0) {
        while (got < n && (REG(base + UART_STATE) & STATE_RX_FULL)) p[got++] = (uint8_t)REG(base + UART_DATA);
        if (got || ms - start >= timeout_ms) break;
        /* Sleep until a byte (RX interrupt) or the next tick. Checking again
         * with interrupts masked closes the race between the test and the wfi. */
        __asm volatile("cpsid i");
        uint64_t t0 = hal_instructions();
        if (!(REG(base + UART_STATE) & STATE_RX_FULL)) __asm volatile("wfi");
        __asm volatile("cpsie i");
        idle_ns += hal_instructions() - t0;
    }
    return (int)got;
}

void hal_console_write(const uint8_t *p, size_t n) { uart_write(UART0, p, n); }
int hal_console_read(uint8_t *p, size_t n, uint32_t t) { return uart_read(UART0, p, n, t); }
int hal_modem_write(const uint8_t *p, size_t n) { uart_write(UART1, p, n); return (int)n; }
int hal_modem_read(uint8_t *p, size_t n, uint32_t t) { return uart_read(UART1, p, n, t); }
/* The modem is QEMU's second UART: no reset line (the driver sends AT+RST). */
int hal_modem_reset(void) { return -1; }

uint32_t hal_millis(void) { return ms; }
void hal_sleep_ms(uint32_t t) {
    uint64_t t0 = hal_instructions();
    uint32_t s = ms;
    while (ms - s < t) __asm volatile("wfi");
    idle_ns += hal_instructions() - t0;
}
uint64_t hal_busy_instructions(void) { return trace_steps ? hal_instructions() - idle_ns : 0; }
uint64_t hal_instructions(void) {
    uint32_t m1, v, m2;
    do { m1 = ms; v = REG(SYST_CVR); m2 = ms; } while (m1 != m2);
    return (uint64_t)m1 * 1000000u + (uint64_t)(TICKS_PER_MS - 1 - v) * NS_PER_TICK;
}
uint64_t hal_wall_clock(void) { return pinned_time; }
void hal_random(uint8_t *p, size_t n) {
    struct { int h; uint8_t *buf; int len; } op = { urandom, p, (int)n };
    if (urandom < 0 || semihost(SYS_READ, &op) != 0) {
        console_puts("fatal: no entropy from the host\n");
        hal_exit(4);
    }
}
int32_t hal_temperature_mc(void) { return 21500; }
void hal_indicate(int state) { (void)state; }     /* no LEDs */
int hal_button_pressed(void) { return 0; }        /* no button */
size_t hal_stack_peak(void) { return stack_peak_bytes(); }
size_t hal_static_ram(void) { return (size_t)((uint8_t *)&_ebss - (uint8_t *)&_sdata); }
void hal_exit(int status) {
    uint32_t block[2] = { 0x20026u, (uint32_t)status };   /* ADP_Stopped_ApplicationExit */
    for (;;) semihost(SYS_EXIT_EXTENDED, block);
}
int hal_host_file_read(const char *path, uint32_t offset, uint8_t *p, size_t n) {
    struct { const char *name; int mode; int len; } op = { path, 1, (int)strlen(path) };
    int h = semihost(SYS_OPEN, &op);
    if (h < 0) return -1;
    int seek[2] = { h, (int)offset }, got = -1;
    struct { int h; uint8_t *buf; int len; } rd = { h, p, (int)n };
    if (semihost(SYS_SEEK, seek) == 0) got = (int)n - semihost(SYS_READ, &rd);
    semihost(SYS_CLOSE, &h);
    return got;
}

/* newlib's heap (_sbrk), the stack figure and the host-TCP stubs: boards/cortex-m/crt.c. */

void Fault_Handler(void) {
    console_puts("fatal: CPU fault\n");
    hal_exit(99);
}

int main(void) {
    hal_init(0, 0);
    int status = board_run(wasm_module, (uint32_t)(wasm_module_end - wasm_module));
    hal_exit(status);
}
