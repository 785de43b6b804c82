/* A host-side model of the nRF52833 registers the micro:bit HAL touches, and
 * scenarios that run the real boards/microbit-v2/hal_microbit.c against it.
 * It checks the HAL's logic (ring indices, interrupt flows, time arithmetic,
 * task/event sequences, which pins move) against the behaviour described in
 * the nRF52833 Product Specification as modelled here. It is not the chip:
 * timing, the exact RX FIFO depth and anything the model leaves out are only
 * tested on hardware.
 *
 * The model: every REG32 access goes through sim_reg(), which advances a
 * simulated clock (ns_per_access), runs the peripherals (tasks written
 * since the last access, RTC ticks, bytes arriving on the UART lines at their
 * scheduled times) and, when interrupts are unmasked and no handler runs,
 * calls the handlers whose events are pending, as the NVIC would between two
 * instructions. cpu_wfi() jumps the clock to the next event.
 *
 * Build (tests/microbit.test.ts does this): a non-PIE executable, so that
 * RAM addresses fit the 32-bit EasyDMA pointer registers:
 *   cc -no-pie -DMICROBIT_SIM -Iboards/microbit-v2 -Ihost/wasm3 \
 *      boards/microbit-v2/hal_microbit.c boards/microbit-v2/sim/regsim.c
 * Run: regsim [SCENARIO]; one line per scenario, "ok NAME" or "FAIL NAME: why";
 * each scenario runs in its own process (fresh HAL state). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <setjmp.h>
#include <unistd.h>
#include <sys/wait.h>
#include "hal.h"
#include "board.h"
#include "nrf52833.h"
#include "cpu.h"

void UARTE0_UART0_IRQHandler(void);
void RTC1_IRQHandler(void);
void UARTE1_IRQHandler(void);

/* ---- what the HAL links against in the firmware ---- */
uint32_t _sdata, _ebss;
uint8_t _heap_start[4096], _heap_end[1];
const uint8_t wasm_module[8] = { 0, 'a', 's', 'm', 1, 0, 0, 0 }, wasm_module_end[1];
uint32_t stack_peak_bytes(void) { return 0; }
int board_run(const uint8_t *w, uint32_t n) { (void)w; (void)n; return 0; }
void console_puts(const char *s) { hal_console_write((const uint8_t *)s, strlen(s)); }
size_t fmt_u64(char *dst, uint64_t v) { return (size_t)sprintf(dst, "%llu", (unsigned long long)v); }

/* ---- failures ---- */
static jmp_buf scenario_exit;
#define EXIT_RESET 2
#define EXIT_HALT 3
static const char *current;
static void fail(const char *fmt, ...) {
    va_list ap; va_start(ap, fmt);
    printf("FAIL %s: ", current);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    _exit(1);
}
#define CHECK(c, ...) do { if (!(c)) fail(__VA_ARGS__); } while (0)

/* ---- memory ---- */
static uint32_t periph[0x30][1024];   /* 0x40000000 + n * 0x1000 */
static uint32_t gpio_page[1024];      /* P0 at 0x50000000, P1 at 0x50000300 */
static uint32_t ficr[1024], uicr[1024], scs[1024];   /* scs: 0xE000E000 */

static volatile uint32_t *locate(uint32_t a) {
    if (a & 3) fail("unaligned register access 0x%08x", a);
    uint32_t page = a & ~0xFFFu, off = (a & 0xFFFu) >> 2;
    if (page >= 0x40000000u && page < 0x40030000u) return &periph[(page - 0x40000000u) >> 12][off];
    if (page == 0x50000000u) return &gpio_page[off];
    if (page == NRF_FICR_BASE) return &ficr[off];
    if (page == NRF_UICR_BASE) return &uicr[off];
    if (page == 0xE000E000u) return &scs[off];
    fail("access to unmodelled address 0x%08x", a);
    return NULL;
}
#define R(a) (*locate(a))

/* ---- time ---- */
static uint64_t ns_per_access = 20;   /* a register access every ~1.3 CPU cycles at 64 MHz */
static uint64_t now_ns, halt_after_ns = UINT64_MAX;
static int rtc_running;
static uint64_t rtc_start_ns, rtc_offset_ticks, rtc_last_ticks;
static uint64_t rtc_ticks_at(uint64_t ns) { return rtc_offset_ticks + (ns - rtc_start_ns) * 32768u / 1000000000u; }
static uint64_t ns_of_tick(uint64_t t) { return rtc_start_ns + ((t - rtc_offset_ticks) * 1000000000u + 32767u) / 32768u; }

/* ---- the UART lines ---- */
#define FIFO_DEPTH 4
#define LINE_MAX 20000
typedef struct {
    uint32_t base;
    int active; uint32_t ptr, max, count;
    uint8_t fifo[FIFO_DEPTH]; int fifo_n;
    uint8_t line[LINE_MAX]; uint64_t line_t[LINE_MAX]; int line_n, line_pos;
    uint8_t tx[LINE_MAX]; int tx_n, tx_blocked, tx_pending;
    int error_kills_rx;   /* model the worst reading of the spec: an error ends the transfer silently */
    uint32_t inten, lost;
} suart_t;
static suart_t su[2] = { { .base = NRF_UARTE0_BASE }, { .base = NRF_UARTE1_BASE } };
#define MODEM (&su[0])
#define CONSOLE (&su[1])
static uint32_t rtc_inten, nvic_enabled[2];
static int primask, in_isr;
static uint8_t led_seen[5];
static uint32_t gpio_in[2] = { 0xFFFFFFFFu, 0xFFFFFFFFu };   /* pulled up */
static int uicr_wen_violation, nvmc_wen_seen, uicr_locked;
/* The ESP8266's EN (P0.10) and RST (P0.09): every OUTSET/OUTCLR/DIRSET/
 * DIRCLR that names them, in order, and the level the ESP sees (an input
 * pin counts as high: the module pulls both up). */
#define EN_PIN 10
#define RST_PIN 9
typedef struct { uint64_t t; uint32_t reg; int pin; } pin_event_t;
static pin_event_t pin_events[64];
static int pin_event_n;
static int esp_level[2] = { 1, 1 };          /* [0] RST, [1] EN */
static int esp_lows[2];                      /* times driven low */
static uint64_t esp_low_since[2], esp_low_ns[2];
static uint32_t uicr_shadow[1024];

extern char __data_start[], end[];   /* the executable's RAM: .data .. .bss */
static void check_ram(uint32_t p, uint32_t n, const char *what) {
    uintptr_t lo = (uintptr_t)__data_start, hi = (uintptr_t)end;
    if (p < lo || p + n > hi) fail("%s: EasyDMA pointer 0x%08x outside RAM", what, p);
}

/* A framing error on the line (a byte at the wrong baud rate). */
static void rx_framing_error(suart_t *u) {
    R(u->base + UARTE_ERRORSRC) |= 4;
    R(u->base + UARTE_EVENTS_ERROR) = 1;
    if (u->error_kills_rx) u->active = 0;
}

static void rx_byte(suart_t *u, uint8_t b) {
    uint32_t base = u->base;
    if (u->active && u->count < u->max) {
        *(uint8_t *)(uintptr_t)(u->ptr + u->count++) = b;
        if (u->count == u->max) {
            R(base + UARTE_RXD_AMOUNT) = u->count;
            R(base + UARTE_EVENTS_ENDRX) = 1;
            u->active = 0;
        }
    } else if (u->fifo_n < FIFO_DEPTH) u->fifo[u->fifo_n++] = b;
    else {
        u->lost++;
        R(base + UARTE_ERRORSRC) |= 1;   /* OVERRUN */
        R(base + UARTE_EVENTS_ERROR) = 1;
    }
}

static void uart_step(suart_t *u) {
    uint32_t b = u->base;
    u->inten |= R(b + UARTE_INTENSET); R(b + UARTE_INTENSET) = 0;
    u->inten &= ~R(b + UARTE_INTENCLR); R(b + UARTE_INTENCLR) = 0;
    if (R(b + UARTE_TASKS_STARTRX)) {
        R(b + UARTE_TASKS_STARTRX) = 0;
        if (R(b + UARTE_ENABLE) != UARTE_ENABLE_ENABLED) fail("STARTRX while the UARTE is disabled");
        u->ptr = R(b + UARTE_RXD_PTR); u->max = R(b + UARTE_RXD_MAXCNT); u->count = 0;
        check_ram(u->ptr, u->max, "RXD");
        u->active = u->max > 0;
        R(b + UARTE_EVENTS_RXSTARTED) = 1;
        int n = u->fifo_n; uint8_t tmp[FIFO_DEPTH];
        memcpy(tmp, u->fifo, (size_t)n); u->fifo_n = 0;
        for (int i = 0; i < n; i++) rx_byte(u, tmp[i]);
    }
    if (R(b + UARTE_TASKS_STOPRX)) {
        R(b + UARTE_TASKS_STOPRX) = 0;
        if (u->active) { R(b + UARTE_RXD_AMOUNT) = u->count; R(b + UARTE_EVENTS_ENDRX) = 1; u->active = 0; }
        R(b + UARTE_EVENTS_RXTO) = 1;
    }
    if (R(b + UARTE_TASKS_STARTTX)) {
        R(b + UARTE_TASKS_STARTTX) = 0;
        uint32_t p = R(b + UARTE_TXD_PTR), n = R(b + UARTE_TXD_MAXCNT);
        check_ram(p, n, "TXD");
        R(b + UARTE_EVENTS_TXSTARTED) = 1;
        if (u->tx_blocked) { u->tx_pending = 1; R(b + UARTE_TXD_AMOUNT) = 0; }
        else {
            if (u->tx_n + (int)n > LINE_MAX) fail("tx log full");
            memcpy(u->tx + u->tx_n, (const void *)(uintptr_t)p, n);
            u->tx_n += (int)n;
            R(b + UARTE_TXD_AMOUNT) = n;
            R(b + UARTE_EVENTS_ENDTX) = 1;
        }
    }
    if (R(b + UARTE_TASKS_STOPTX)) {
        R(b + UARTE_TASKS_STOPTX) = 0;
        u->tx_pending = 0;
        R(b + UARTE_EVENTS_TXSTOPPED) = 1;
    }
    while (u->line_pos < u->line_n && u->line_t[u->line_pos] <= now_ns)
        rx_byte(u, u->line[u->line_pos++]);
}
static int uart_pending(suart_t *u) {
    static const uint32_t ev[] = { UARTE_EVENTS_ENDRX, UARTE_EVENTS_ENDTX, UARTE_EVENTS_ERROR, UARTE_EVENTS_RXTO };
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
        if (R(u->base + ev[i]) && (u->inten >> ((ev[i] - 0x100u) / 4u) & 1u)) return 1;
    return 0;
}

static void rtc_step(void) {
    uint32_t b = NRF_RTC1_BASE;
    rtc_inten |= R(b + RTC_INTENSET); R(b + RTC_INTENSET) = 0;
    rtc_inten &= ~R(b + RTC_INTENCLR); R(b + RTC_INTENCLR) = 0;
    if (R(b + RTC_TASKS_CLEAR)) { R(b + RTC_TASKS_CLEAR) = 0; rtc_start_ns = now_ns; rtc_last_ticks = rtc_offset_ticks; }
    if (R(b + RTC_TASKS_STOP)) { R(b + RTC_TASKS_STOP) = 0; rtc_running = 0; }
    if (R(b + RTC_TASKS_START)) {
        R(b + RTC_TASKS_START) = 0;
        if (R(NRF_CLOCK_BASE + CLOCK_LFCLKSTAT) == 0) fail("RTC started without the LFCLK");
        if (!rtc_running) { rtc_running = 1; rtc_start_ns = now_ns; rtc_last_ticks = rtc_offset_ticks; }
    }
    if (!rtc_running) return;
    uint64_t t = rtc_ticks_at(now_ns), prev = rtc_last_ticks;
    if (t == prev) return;
    if ((prev >> 24) != (t >> 24)) R(b + RTC_EVENTS_OVRFLW) = 1;
    uint32_t cc = R(b + RTC_CC0) & 0xFFFFFFu;
    uint64_t first = (cc - (uint32_t)(prev + 1)) & 0xFFFFFFu;
    if (prev + 1 + first <= t) R(b + RTC_EVENTS_COMPARE0) = 1;
    R(b + RTC_COUNTER) = (uint32_t)t & 0xFFFFFFu;
    rtc_last_ticks = t;
}
static int rtc_pending(void) {
    uint32_t b = NRF_RTC1_BASE;
    return (R(b + RTC_EVENTS_OVRFLW) && (rtc_inten & RTC_INT_OVRFLW)) ||
           (R(b + RTC_EVENTS_COMPARE0) && (rtc_inten & RTC_INT_COMPARE0));
}

#define GP(port, off) gpio_page[((port ? 0x300u : 0) + (off)) >> 2]
/* Writes to OUTSET/OUTCLR/DIRSET/DIRCLR are applied at the next access and
 * read back as 0. DIR, DIRSET/DIRCLR and PIN_CNF[n].DIR are views of one
 * bit: PIN_CNF holds it here. Only one of the four may be written between
 * two accesses (each access is a step). */
static void gpio_step(void) {
    static const uint32_t regs[] = { GPIO_OUTSET, GPIO_OUTCLR, GPIO_DIRSET, GPIO_DIRCLR };
    for (int port = 0; port < 2; port++) {
        for (int k = 0; k < 4; k++) {
            uint32_t v = GP(port, regs[k]);
            if (!v) continue;
            GP(port, regs[k]) = 0;
            if (k == 0) GP(port, GPIO_OUT) |= v;
            if (k == 1) GP(port, GPIO_OUT) &= ~v;
            for (int n = 0; n < 32; n++) if (v >> n & 1u) {
                if (k == 2) GP(port, GPIO_PIN_CNF0 + 4u * n) |= GPIO_PIN_CNF_DIR_OUTPUT;
                if (k == 3) GP(port, GPIO_PIN_CNF0 + 4u * n) &= ~GPIO_PIN_CNF_DIR_OUTPUT;
                if (port == 0 && (n == EN_PIN || n == RST_PIN) && pin_event_n < 64)
                    pin_events[pin_event_n++] = (pin_event_t){ now_ns, regs[k], n };
            }
        }
        uint32_t dir = 0;
        for (int n = 0; n < 32; n++) dir |= (GP(port, GPIO_PIN_CNF0 + 4u * n) & GPIO_PIN_CNF_DIR_OUTPUT) << n;
        GP(port, GPIO_DIR) = dir;
        GP(port, GPIO_IN) = gpio_in[port];
    }
    for (int i = 0; i < 2; i++) {
        int n = i ? EN_PIN : RST_PIN;
        int level = !(GP(0, GPIO_DIR) >> n & 1u) || (GP(0, GPIO_OUT) >> n & 1u);
        if (level == esp_level[i]) continue;
        esp_level[i] = level;
        if (!level) { esp_lows[i]++; esp_low_since[i] = now_ns; }
        else esp_low_ns[i] = now_ns - esp_low_since[i];
    }
}

static void misc_step(void) {
    uint32_t c = NRF_CLOCK_BASE;
    if (R(c + CLOCK_TASKS_HFCLKSTART)) {
        R(c + CLOCK_TASKS_HFCLKSTART) = 0;
        if (R(c + CLOCK_HFCLKSTAT) == CLOCK_STAT_RUNNING_SRC1) fail("HFCLKSTART while the HFXO runs");
        R(c + CLOCK_EVENTS_HFCLKSTARTED) = 1; R(c + CLOCK_HFCLKSTAT) = CLOCK_STAT_RUNNING_SRC1;
    }
    static uint32_t lfsrc_seen = UINT32_MAX;
    if (lfsrc_seen != UINT32_MAX && R(c + CLOCK_LFCLKSRC) != lfsrc_seen && (R(c + CLOCK_LFCLKSTAT) & CLOCK_STAT_RUNNING))
        fail("LFCLKSRC changed while the LFCLK runs");
    lfsrc_seen = R(c + CLOCK_LFCLKSRC);
    if (R(c + CLOCK_TASKS_LFCLKSTOP)) { R(c + CLOCK_TASKS_LFCLKSTOP) = 0; R(c + CLOCK_LFCLKSTAT) = 0; }
    if (R(c + CLOCK_TASKS_LFCLKSTART)) {
        R(c + CLOCK_TASKS_LFCLKSTART) = 0;
        /* Modelled as "no new event": the HAL must not wait for one. */
        if (R(c + CLOCK_LFCLKSTAT) & CLOCK_STAT_RUNNING) fail("LFCLKSTART while the LFCLK runs");
        if (R(c + CLOCK_LFCLKSRC) == CLOCK_LFCLKSRC_LFSYNT && !(R(c + CLOCK_HFCLKSTAT) & 0x10000))
            fail("LFSYNT started before the HFCLK runs");
        R(c + CLOCK_EVENTS_LFCLKSTARTED) = 1; R(c + CLOCK_LFCLKSTAT) = 0x10000 | R(c + CLOCK_LFCLKSRC);
    }
    static uint32_t rng_started, temp_started, rng_seq;
    uint32_t r = NRF_RNG_BASE;
    if (R(r + RNG_TASKS_START)) { R(r + RNG_TASKS_START) = 0; rng_started = 1; }
    if (R(r + RNG_TASKS_STOP)) { R(r + RNG_TASKS_STOP) = 0; rng_started = 0; }
    if (rng_started && !R(r + RNG_EVENTS_VALRDY)) { R(r + RNG_VALUE) = (rng_seq++ * 37u + 11u) & 0xFFu; R(r + RNG_EVENTS_VALRDY) = 1; }
    uint32_t t = NRF_TEMP_BASE;
    if (R(t + TEMP_TASKS_START)) { R(t + TEMP_TASKS_START) = 0; temp_started = 1; R(t + TEMP_EVENTS_DATARDY) = 1; }
    if (R(t + TEMP_TASKS_STOP)) { R(t + TEMP_TASKS_STOP) = 0; temp_started = 0; }
    (void)temp_started;
    /* UICR: written only with NVMC write enable, bits only from 1 to 0. */
    for (uint32_t i = UICR_APPROTECT >> 2; i <= UICR_NFCPINS >> 2; i++) if (uicr[i] != uicr_shadow[i]) {
        if (R(NRF_NVMC_BASE + NVMC_CONFIG) != NVMC_CONFIG_WEN) uicr_wen_violation = 1;
        uicr[i] = uicr_shadow[i] = uicr_locked ? uicr_shadow[i] : uicr_shadow[i] & uicr[i];
    }
    if (R(NRF_NVMC_BASE + NVMC_CONFIG) == NVMC_CONFIG_WEN) nvmc_wen_seen = 1;
    R(NRF_NVMC_BASE + NVMC_READY) = 1;
    nvic_enabled[0] |= scs[(NVIC_ISER0 & 0xFFFu) >> 2]; scs[(NVIC_ISER0 & 0xFFFu) >> 2] = 0;
    nvic_enabled[1] |= scs[((NVIC_ISER0 + 4) & 0xFFFu) >> 2]; scs[((NVIC_ISER0 + 4) & 0xFFFu) >> 2] = 0;
    if (scs[(SCB_AIRCR & 0xFFFu) >> 2] == SCB_AIRCR_SYSRESETREQ) {
        scs[(SCB_AIRCR & 0xFFFu) >> 2] = 0;           /* the reset is taken once */
        longjmp(scenario_exit, EXIT_RESET);
    }
}

static int irq_enabled(int irq) { return nvic_enabled[irq >> 5] >> (irq & 31) & 1u; }
static void snapshot_leds(void) {
    static const uint8_t rows[5] = { 21, 22, 15, 24, 19 };
    static const uint8_t cols[5] = { 28, 11, 31, 32 + 5, 30 };
    for (int r = 0; r < 5; r++) {
        if (!(gpio_page[GPIO_OUT >> 2] >> rows[r] & 1u)) continue;
        for (int c = 0; c < 5; c++) {
            uint32_t port_out = gpio_page[((cols[c] >> 5 ? 0x300u : 0) + GPIO_OUT) >> 2];
            if (!(port_out >> (cols[c] & 31) & 1u)) led_seen[r] |= (uint8_t)(0x10 >> c);
        }
    }
}

static void run_irqs(void) {
    if (primask || in_isr) return;
    for (int storm = 0; storm < 1000; storm++) {
        void (*h)(void) = NULL;
        /* UARTs at priority 1 before RTC1 at priority 3. */
        if (irq_enabled(UARTE0_UART0_IRQn) && uart_pending(MODEM)) h = UARTE0_UART0_IRQHandler;
        else if (irq_enabled(UARTE1_IRQn) && uart_pending(CONSOLE)) h = UARTE1_IRQHandler;
        else if (irq_enabled(RTC1_IRQn) && rtc_pending()) h = RTC1_IRQHandler;
        if (!h) return;
        in_isr = 1; h(); in_isr = 0;
        if (h == RTC1_IRQHandler) snapshot_leds();
    }
    fail("interrupt storm: a handler leaves its event pending");
}

static void sim_step(void) {
    if (now_ns > halt_after_ns) longjmp(scenario_exit, EXIT_HALT);
    misc_step(); rtc_step(); gpio_step();
    uart_step(MODEM); uart_step(CONSOLE);
    run_irqs();
}

volatile uint32_t *sim_reg(uint32_t a) {
    now_ns += ns_per_access;
    sim_step();
    return locate(a);
}

uint32_t cpu_irq_save(void) { uint32_t m = (uint32_t)primask; primask = 1; return m; }
void cpu_irq_restore(uint32_t m) { primask = (int)m; sim_step(); }
void cpu_dsb(void) {}
int cpu_in_handler(void) { return in_isr; }
/* Sleep until the next event: the next RTC tick or the next byte on a line. */
void cpu_wfi(void) {
    if (in_isr) fail("wfi inside a handler");
    uint64_t next = now_ns + 1000000000u;
    if (rtc_running) next = ns_of_tick(rtc_ticks_at(now_ns) + 1);
    for (int i = 0; i < 2; i++)
        if (su[i].line_pos < su[i].line_n && su[i].line_t[su[i].line_pos] < next) next = su[i].line_t[su[i].line_pos];
    if (next > now_ns) now_ns = next;
    sim_step();
}

/* ---- helpers for scenarios ---- */
static uint64_t byte_ns = 86806;   /* 10 bits at 115200 baud */
static void line_send(suart_t *u, const uint8_t *p, int n, uint64_t start_ns) {
    for (int i = 0; i < n; i++) {
        if (u->line_n >= LINE_MAX) fail("line buffer full");
        u->line[u->line_n] = p[i];
        u->line_t[u->line_n++] = start_ns + (uint64_t)(i + 1) * byte_ns;
    }
}
static void advance_ms(uint32_t ms) {   /* the CPU busy elsewhere, interrupts on */
    uint64_t until = now_ns + (uint64_t)ms * 1000000u;
    while (now_ns < until) { now_ns += 1000; sim_step(); }
}
static int tx_contains(suart_t *u, const char *s) {
    return memmem(u->tx, (size_t)u->tx_n, s, strlen(s)) != NULL;
}
/* A boot after the first one: UICR.NFCPINS already cleared (P8/P9 GPIO). */
#define NFCPINS_ERASED 0xFFFFFFFFu
#define NFCPINS_GPIO   0xFFFFFFFEu
static void set_nfcpins(uint32_t v) { uicr[UICR_NFCPINS >> 2] = uicr_shadow[UICR_NFCPINS >> 2] = v; }
static void boot(void) {
    set_nfcpins(NFCPINS_GPIO);
    hal_init(0, NULL);
}
static uint8_t pattern_byte(int i) { return (uint8_t)(i * 131 + (i >> 8) * 7 + 1); }

/* ---- scenarios ---- */
static void s_boot(void) {
    ficr[FICR_CONFIGID_VAR1 >> 2] = 0x0D; ficr[FICR_CONFIGID_VAR2 >> 2] = 2;
    boot();
    CHECK(R(NRF_CLOCK_BASE + CLOCK_EVENTS_HFCLKSTARTED), "HFXO not started");
    CHECK(R(NRF_CLOCK_BASE + CLOCK_LFCLKSRC) == CLOCK_LFCLKSRC_LFSYNT, "LFCLK source");
    CHECK(rtc_running && R(NRF_RTC1_BASE + RTC_PRESCALER) == 0, "RTC1 at 32768 Hz");
    const struct { suart_t *u; uint32_t tx, rx; } want[] = { { MODEM, 1, 13 }, { CONSOLE, 6, 32 + 8 } };
    for (int i = 0; i < 2; i++) {
        uint32_t b = want[i].u->base;
        CHECK(R(b + UARTE_ENABLE) == 8 && R(b + UARTE_BAUDRATE) == 0x01D60000u, "UARTE %d enable/baud", i);
        CHECK(R(b + UARTE_PSEL_TXD) == want[i].tx && R(b + UARTE_PSEL_RXD) == want[i].rx, "UARTE %d pins", i);
        CHECK(R(b + UARTE_PSEL_CTS) == 0xFFFFFFFFu && R(b + UARTE_CONFIG) == 0, "UARTE %d flow control off", i);
        CHECK(want[i].u->active && want[i].u->max == 1, "UARTE %d receiving one byte per transfer", i);
    }
    CHECK(irq_enabled(2) && irq_enabled(17) && irq_enabled(40), "NVIC lines 2, 17, 40");
    CHECK((scs[(NVIC_IPR0 + 0) / 4 & 0x3FF] >> 16 & 0xFF) == 0x20, "UARTE0 priority 1");
    CHECK((scs[(NVIC_IPR0 + 16) / 4 & 0x3FF] >> 8 & 0xFF) == 0x60, "RTC1 priority 3");
    CHECK(!strcmp(hal_mode(), "main"), "mode %s", hal_mode());
    /* TX pins idle high, RX input. */
    CHECK(gpio_page[GPIO_OUT >> 2] >> 1 & 1u, "modem TX idles high");
    /* EN held high, RST released: outputs, never low; no flash write. */
    CHECK((GP(0, GPIO_DIR) >> EN_PIN & 1u) && (GP(0, GPIO_DIR) >> RST_PIN & 1u), "EN and RST are outputs");
    CHECK(esp_level[0] && esp_level[1] && !esp_lows[0] && !esp_lows[1], "EN/RST high, never low");
    CHECK(!nvmc_wen_seen && !tx_contains(CONSOLE, "NFC"), "NFCPINS already clear: no flash write");
}

static void s_boot_rpc(void) {
    gpio_in[0] &= ~(1u << 14);                       /* button A held */
    boot();
    CHECK(!strcmp(hal_mode(), "rpc"), "button A at reset selects the test shell");
}

/* The first boot on an erased UICR: NFCPINS bit 0 cleared through the NVMC,
 * then a reset, before EN/RST are touched; the boot after it writes nothing
 * and drives them. */
static void s_boot_frees_nfc_pins(void) {
    set_nfcpins(NFCPINS_ERASED);
    if (setjmp(scenario_exit) == EXIT_RESET) {
        CHECK(uicr[UICR_NFCPINS >> 2] == NFCPINS_GPIO, "NFCPINS 0x%08x", uicr[UICR_NFCPINS >> 2]);
        CHECK(!uicr_wen_violation, "UICR written without NVMC write enable");
        CHECK(R(NRF_NVMC_BASE + NVMC_CONFIG) == NVMC_CONFIG_REN, "NVMC back to read-only");
        CHECK(pin_event_n == 0, "EN/RST touched while they were NFC pins");
        CHECK(tx_contains(CONSOLE, "clearing UICR.NFCPINS"), "the one-time note on the console");
        nvmc_wen_seen = 0;
        CONSOLE->tx_n = 0;
        hal_init(0, NULL);                           /* the boot after the reset */
        CHECK(!nvmc_wen_seen, "the second boot wrote the flash again");
        CHECK(!tx_contains(CONSOLE, "NFC"), "no NFC note once the pins are free");
        CHECK(esp_level[1] && (GP(0, GPIO_DIR) >> EN_PIN & 1u), "EN driven high");
        return;
    }
    hal_init(0, NULL);
    fail("no reset after clearing NFCPINS");
}

/* hal_modem_reset: EN high (set, then output), RST low (set, then output),
 * 10 ms, RST high; what the modem sent before the pulse is dropped, what it
 * sends after arrives. */
static void s_modem_reset_pulse(void) {
    boot();
    line_send(MODEM, (const uint8_t *)"OK\r\nready\r\n", 11, now_ns);   /* the old life, unread */
    advance_ms(5);
    pin_event_n = 0;
    uint64_t t0 = now_ns;
    CHECK(hal_modem_reset() == 0, "a board with the line answers 0");
    advance_ms(1);
    static const struct { uint32_t reg; int pin; } want[] = {
        { GPIO_OUTSET, EN_PIN }, { GPIO_OUTCLR, RST_PIN }, { GPIO_DIRSET, EN_PIN }, { GPIO_DIRSET, RST_PIN },
        { GPIO_OUTSET, RST_PIN },
    };
    CHECK(pin_event_n == 5, "%d EN/RST register writes, want 5", pin_event_n);
    for (int i = 0; i < 5; i++)
        CHECK(pin_events[i].reg == want[i].reg && pin_events[i].pin == want[i].pin,
              "write %d: register 0x%x pin %d, want 0x%x pin %d", i, pin_events[i].reg, pin_events[i].pin, want[i].reg, want[i].pin);
    CHECK(esp_lows[0] == 1 && esp_level[0], "RST low once, then high");
    CHECK(esp_low_ns[0] >= 10000000u && esp_low_ns[0] < 12500000u, "RST low for %llu us", (unsigned long long)(esp_low_ns[0] / 1000));
    CHECK(esp_lows[1] == 0 && esp_level[1], "EN never low");
    CHECK(pin_events[4].t - t0 < 12500000u, "the pulse ends within 12.5 ms");
    line_send(MODEM, (const uint8_t *)"\r\nready\r\n", 9, now_ns);   /* the new life */
    uint8_t got[32];
    int n = 0, k;
    while (n < 9 && (k = hal_modem_read(got + n, sizeof got - (size_t)n, 50)) > 0) n += k;
    CHECK(n == 9 && !memcmp(got, "\r\nready\r\n", 9), "only the bytes after the pulse (%d)", n);
}

/* A UICR write that does not take: no reset (no reset loop), the note on
 * the console, EN/RST left alone, and no line for the driver. */
static void s_nfc_pins_write_fails(void) {
    set_nfcpins(NFCPINS_ERASED);
    uicr_locked = 1;
    hal_init(0, NULL);
    CHECK(nvmc_wen_seen && uicr[UICR_NFCPINS >> 2] == NFCPINS_ERASED, "the write was tried and did not take");
    CHECK(tx_contains(CONSOLE, "still NFC pins"), "the note on the console");
    CHECK(pin_event_n == 0, "EN/RST touched while they are NFC pins");
    CHECK(hal_modem_reset() == -1, "no line");
}

/* While P8/P9 are NFC pins the board has no line: -1, no pin touched. */
static void s_modem_reset_nfc_pins(void) {
    boot();
    set_nfcpins(NFCPINS_ERASED);                     /* as if the UICR write had not taken */
    pin_event_n = 0;
    CHECK(hal_modem_reset() == -1, "no line while P8/P9 are NFC pins");
    advance_ms(1);
    CHECK(pin_event_n == 0, "EN/RST touched");
}

/* After a soft reset: HFXO on, LFCLK running from the RC oscillator. */
static void s_boot_after_soft_reset(void) {
    R(NRF_CLOCK_BASE + CLOCK_HFCLKSTAT) = CLOCK_STAT_RUNNING_SRC1;
    R(NRF_CLOCK_BASE + CLOCK_LFCLKSRC) = CLOCK_LFCLKSRC_LFRC;
    R(NRF_CLOCK_BASE + CLOCK_LFCLKSTAT) = CLOCK_STAT_RUNNING | CLOCK_LFCLKSRC_LFRC;
    boot();
    CHECK((R(NRF_CLOCK_BASE + CLOCK_LFCLKSTAT) & 3) == CLOCK_LFCLKSRC_LFSYNT, "LFCLK switched to LFSYNT");
    uint32_t m0 = hal_millis();
    hal_sleep_ms(20);
    CHECK(hal_millis() - m0 >= 20, "time runs");
    /* Already on LFSYNT: nothing restarted. */
    R(NRF_CLOCK_BASE + CLOCK_EVENTS_LFCLKSTARTED) = 0;
    hal_init(0, NULL);
    CHECK(!R(NRF_CLOCK_BASE + CLOCK_EVENTS_LFCLKSTARTED), "the running LFSYNT was left alone");
}

static void s_millis(void) {
    boot();
    uint32_t m0 = hal_millis();
    advance_ms(1000);
    uint32_t d = hal_millis() - m0;
    CHECK(d >= 999 && d <= 1001, "1000 ms measured as %u", d);
    uint64_t t0 = now_ns;
    hal_sleep_ms(50);
    uint64_t slept = (now_ns - t0) / 1000000u;
    CHECK(slept >= 50 && slept <= 52, "hal_sleep_ms(50) took %llu ms", (unsigned long long)slept);
}

static void s_millis_overflow(void) {
    rtc_offset_ticks = 0xFFFFFFu - 32768u * 2;   /* 2 s before the 24-bit counter wraps */
    boot();
    uint32_t first = hal_millis(), prev = first;
    for (int i = 0; i < 4000; i++) {
        /* Half the reads with interrupts masked: the overflow is then seen
         * only as a pending event. */
        uint32_t m = (i & 1) ? cpu_irq_save() : 0;
        now_ns += 1000000u;
        uint32_t ms = hal_millis();
        if (i & 1) cpu_irq_restore(m);
        CHECK(ms - prev <= 2, "millis jumped from %u to %u", prev, ms);
        prev = ms;
    }
    CHECK(prev - first >= 3999 && prev - first <= 4001, "4 s measured as %u ms", prev - first);
    CHECK(rtc_ticks_at(now_ns) > 0x1000000u, "the counter wrapped");
}

static void s_modem_rx_stream(void) {
    boot();
    static uint8_t sent[6000], got[6000];
    for (int i = 0; i < 6000; i++) sent[i] = pattern_byte(i);
    line_send(MODEM, sent, 6000, now_ns);
    int n = 0, reads = 0;
    while (n < 6000) {
        int k = hal_modem_read(got + n, 1 + (reads * 37) % 200, 100);
        CHECK(k > 0, "read timed out after %d bytes", n);
        n += k; reads++;
        if (reads % 7 == 0) advance_ms(40);          /* wasm3 computing: 460 bytes arrive meanwhile */
    }
    CHECK(!memcmp(sent, got, 6000), "bytes differ");
    CHECK(MODEM->lost == 0 && board_uart_errors(1) == 0, "lost %u", MODEM->lost);
    CHECK(hal_modem_read(got, 10, 0) == 0, "a read of an empty ring with timeout 0 returns 0");
}

static void s_rx_interrupt_latency(void) {
    boot();
    static uint8_t sent[64], got[64];
    for (int i = 0; i < 64; i++) sent[i] = pattern_byte(i + 7);
    /* Interrupts masked for 4 byte times: the FIFO covers it. */
    line_send(MODEM, sent, 32, now_ns);
    uint32_t m = cpu_irq_save();
    uint64_t until = now_ns + 4 * byte_ns + byte_ns / 2;
    while (now_ns < until) { now_ns += 1000; sim_step(); }
    cpu_irq_restore(m);
    int n = 0;
    while (n < 32) { int k = hal_modem_read(got + n, 32 - n, 50); CHECK(k > 0, "timeout at %d", n); n += k; }
    CHECK(!memcmp(sent, got, 32) && MODEM->lost == 0, "loss with 4 byte times of latency");
    /* Masked for 8 byte times: more than the FIFO holds; the model loses
     * bytes and the HAL counts the error (the check above could fail). */
    line_send(MODEM, sent + 32, 32, now_ns);
    m = cpu_irq_save();
    until = now_ns + 8 * byte_ns + byte_ns / 2;
    while (now_ns < until) { now_ns += 1000; sim_step(); }
    cpu_irq_restore(m);
    advance_ms(10);
    CHECK(MODEM->lost > 0 && board_uart_errors(1) > 0, "8 byte times masked should overrun (lost %u)", MODEM->lost);
}

static void s_ring_full(void) {
    boot();
    static uint8_t sent[1500], got[1500];
    for (int i = 0; i < 1500; i++) sent[i] = pattern_byte(i + 3);
    line_send(MODEM, sent, 1500, now_ns);
    advance_ms(200);                                  /* nobody reads: the 1 KB ring fills */
    CHECK(!MODEM->active, "the receiver stops when the ring is full");
    int n = 0, k;
    while ((k = hal_modem_read(got + n, 100, 20)) > 0) n += k;
    /* 1024 in the ring + the FIFO; the rest overran (no flow control). */
    CHECK(n == 1024 + FIFO_DEPTH, "read %d bytes after the stall", n);
    CHECK(!memcmp(sent, got, (size_t)n), "the bytes kept are the first ones, in order");
    /* Reception resumed: new bytes arrive. */
    line_send(MODEM, (const uint8_t *)"OK\r\n", 4, now_ns);
    n = 0;
    while (n < 4) { k = hal_modem_read(got + n, 4 - n, 50); CHECK(k > 0, "no data after resuming"); n += k; }
    CHECK(!memcmp(got, "OK\r\n", 4), "data after resuming");
}

static void s_rx_recovers_after_error(void) {
    boot();
    MODEM->error_kills_rx = 1;
    uint8_t got[16];
    line_send(MODEM, (const uint8_t *)"ab", 2, now_ns);
    advance_ms(1);
    rx_framing_error(MODEM);                          /* boot ROM noise at 74880 baud */
    CHECK(hal_modem_read(got, 16, 5) == 2 && !memcmp(got, "ab", 2), "bytes before the error");
    CHECK(hal_modem_read(got, 16, 5) == 0, "nothing more");
    CHECK(board_uart_errors(1) == 1, "the error is counted");
    line_send(MODEM, (const uint8_t *)"ready\r\n", 7, now_ns);
    int n = 0, k;
    while (n < 7 && (k = hal_modem_read(got + n, 7 - n, 50)) > 0) n += k;
    CHECK(n == 7 && !memcmp(got, "ready\r\n", 7), "reception resumed after the error (%d bytes)", n);
    /* An error in the middle of a transfer that does complete loses nothing. */
    MODEM->error_kills_rx = 0;
    line_send(MODEM, (const uint8_t *)"OK\r\n", 4, now_ns);
    advance_ms(1);
    rx_framing_error(MODEM);
    n = 0;
    while (n < 4 && (k = hal_modem_read(got + n, 4 - n, 50)) > 0) n += k;
    CHECK(n == 4 && !memcmp(got, "OK\r\n", 4), "data around a harmless error");
    CHECK(hal_modem_read(got, 16, 5) == 0 && MODEM->active, "receiver running after the recovery");
}

static void s_tx(void) {
    boot();
    CONSOLE->tx_n = 0;
    static const char msg[] = "a string in flash, longer than one 64-byte EasyDMA chunk of the transmit buffer, "
                              "so that it takes three transfers";
    hal_console_write((const uint8_t *)msg, sizeof msg - 1);
    CHECK(CONSOLE->tx_n == (int)sizeof msg - 1 && !memcmp(CONSOLE->tx, msg, sizeof msg - 1), "console bytes");
    static uint8_t big[3000];
    for (int i = 0; i < 3000; i++) big[i] = pattern_byte(i);
    CHECK(hal_modem_write(big, 3000) == 3000, "modem write count");
    CHECK(MODEM->tx_n == 3000 && !memcmp(MODEM->tx, big, 3000), "modem bytes");
}

static void s_tx_timeout(void) {
    boot();
    MODEM->tx_blocked = 1;                            /* CTS held off */
    ns_per_access = 1000;                             /* 2 s of polling, in fewer steps */
    uint64_t t0 = now_ns;
    int r = hal_modem_write((const uint8_t *)"AT\r\n", 4);
    uint64_t ms = (now_ns - t0) / 1000000u;
    CHECK(r == -1, "a blocked write returns -1, got %d", r);
    CHECK(ms >= 2000 && ms <= 2100, "gave up after %llu ms", (unsigned long long)ms);
    CHECK(R(NRF_UARTE0_BASE + UARTE_EVENTS_TXSTOPPED), "STOPTX issued");
}

static void s_rng_temp(void) {
    boot();
    uint8_t b[40];
    hal_random(b, sizeof b);
    for (int i = 0; i < 40; i++) CHECK(b[i] == ((i * 37 + 11) & 0xFF), "RNG byte %d", i);
    CHECK(R(NRF_RNG_BASE + RNG_CONFIG) & RNG_CONFIG_DERCEN, "bias correction on");
    R(NRF_TEMP_BASE + TEMP_TEMP) = 93;                /* 23.25 degC */
    CHECK(hal_temperature_mc() == 23250, "93 quarters");
    R(NRF_TEMP_BASE + TEMP_TEMP) = (uint32_t)-10;     /* -2.5 degC */
    CHECK(hal_temperature_mc() == -2500, "-10 quarters");
}

static void s_leds_button(void) {
    boot();
    static const uint8_t cross[5] = { 0x11, 0x0A, 0x04, 0x0A, 0x11 }, tick[5] = { 0x00, 0x01, 0x02, 0x14, 0x08 };
    board_indicate(BOARD_STATE_ERROR);
    hal_sleep_ms(12);
    memset(led_seen, 0, 5);
    hal_sleep_ms(12);
    CHECK(!memcmp(led_seen, cross, 5), "error shows a cross (%02x %02x %02x %02x %02x)",
          led_seen[0], led_seen[1], led_seen[2], led_seen[3], led_seen[4]);
    board_indicate(BOARD_STATE_CONNECTED);
    hal_sleep_ms(12);
    memset(led_seen, 0, 5);
    hal_sleep_ms(12);
    CHECK(!memcmp(led_seen, tick, 5), "connected shows a tick");
    board_indicate(BOARD_STATE_OFF);
    hal_sleep_ms(12);
    memset(led_seen, 0, 5);
    hal_sleep_ms(12);
    CHECK(!(led_seen[0] | led_seen[1] | led_seen[2] | led_seen[3] | led_seen[4]), "off is dark");
    /* Button A: a 2 ms glitch is ignored, a 20 ms press counts once. */
    CHECK(!board_button_a_pressed(), "no press yet");
    gpio_in[0] &= ~(1u << 14); hal_sleep_ms(2); gpio_in[0] |= 1u << 14; hal_sleep_ms(20);
    CHECK(!board_button_a_pressed(), "a 2 ms glitch is not a press");
    gpio_in[0] &= ~(1u << 14); hal_sleep_ms(20);
    CHECK(board_button_a(), "held");
    gpio_in[0] |= 1u << 14; hal_sleep_ms(20);
    CHECK(board_button_a_pressed() == 1 && board_button_a_pressed() == 0, "one press, read once");
}

static void s_free_nfc_pins(void) {
    boot();
    board_free_nfc_pins();                           /* already clear: nothing written, no reset */
    CHECK(!nvmc_wen_seen, "NVMC write enabled with NFCPINS already clear");
    set_nfcpins(NFCPINS_ERASED);
    if (setjmp(scenario_exit) == EXIT_RESET) {
        CHECK(uicr[UICR_NFCPINS >> 2] == 0xFFFFFFFEu, "NFCPINS 0x%08x", uicr[UICR_NFCPINS >> 2]);
        CHECK(!uicr_wen_violation, "UICR written without NVMC write enable");
        CHECK(R(NRF_NVMC_BASE + NVMC_CONFIG) == NVMC_CONFIG_REN, "NVMC back to read-only");
        CHECK(board_nfc_pins_are_gpio(), "pins are GPIO now");
        return;
    }
    CHECK(!board_nfc_pins_are_gpio(), "erased UICR: NFC pins");
    board_free_nfc_pins();
    fail("no reset after writing the UICR");
}

static void s_exit(void) {
    boot();
    static const uint8_t cross[5] = { 0x11, 0x0A, 0x04, 0x0A, 0x11 };
    static uint64_t t0;
    t0 = now_ns;
    memset(led_seen, 0, 5);
    if (setjmp(scenario_exit) == EXIT_RESET) {
        uint64_t ms = (now_ns - t0) / 1000000u;
        CHECK(ms >= 10000 && ms < 10100, "restart after %llu ms", (unsigned long long)ms);
        CHECK(!memcmp(led_seen, cross, 5), "the cross shows while waiting");
        return;
    }
    hal_exit(3);
}

static void s_exit_ok_halts(void) {
    boot();
    halt_after_ns = now_ns + 15000000000ull;   /* past the 10 s restart delay */
    int r = setjmp(scenario_exit);
    if (r == EXIT_HALT) return;          /* still idling after 15 s: halted, no reset */
    if (r == EXIT_RESET) fail("exit 0 reset the board");
    hal_exit(0);
}

static const struct { const char *name; void (*fn)(void); } scenarios[] = {
    { "boot", s_boot },
    { "boot-rpc", s_boot_rpc },
    { "boot-frees-nfc-pins", s_boot_frees_nfc_pins },
    { "modem-reset-pulse", s_modem_reset_pulse },
    { "modem-reset-nfc-pins", s_modem_reset_nfc_pins },
    { "nfc-pins-write-fails", s_nfc_pins_write_fails },
    { "boot-after-soft-reset", s_boot_after_soft_reset },
    { "millis-sleep", s_millis },
    { "millis-overflow", s_millis_overflow },
    { "modem-rx-stream", s_modem_rx_stream },
    { "rx-interrupt-latency", s_rx_interrupt_latency },
    { "rx-ring-full", s_ring_full },
    { "rx-recovers-after-error", s_rx_recovers_after_error },
    { "tx", s_tx },
    { "tx-timeout", s_tx_timeout },
    { "rng-temp", s_rng_temp },
    { "leds-button", s_leds_button },
    { "free-nfc-pins", s_free_nfc_pins },
    { "exit-error-restarts", s_exit },
    { "exit-ok-halts", s_exit_ok_halts },
};

int main(int argc, char **argv) {
    int failed = 0;
    for (volatile size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        if (argc > 1 && strcmp(argv[1], scenarios[i].name)) continue;
        fflush(stdout);
        current = scenarios[i].name;
        pid_t pid = fork();
        if (pid == 0) {
            int r = setjmp(scenario_exit);
            if (r == 0) scenarios[i].fn();
            else if (r == EXIT_RESET) fail("unexpected reset");
            else if (r == EXIT_HALT) fail("unexpected halt");
            printf("ok %s\n", current);
            fflush(stdout);
            _exit(0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            failed++;
            if (!WIFEXITED(st)) printf("FAIL %s: crashed (signal %d)\n", current, WTERMSIG(st));
        }
    }
    return failed ? 1 : 0;
}
