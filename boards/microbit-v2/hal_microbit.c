/* boards/microbit-v2: the HAL (host/wasm3/hal.h) on the BBC micro:bit v2.
 *
 * Clocks: the 64 MHz CPU runs from the 32 MHz crystal (HFXO, started at
 * boot, also keeps the UART baud rates exact). The micro:bit has no 32 kHz
 * crystal (P0.00/P0.01 are routed to the edge connector), so the LFCLK is
 * synthesised from the HFXO (LFSYNT): crystal accuracy without LFRC
 * calibration, at the cost of keeping the HFXO on, which the UARTs need
 * anyway.
 *
 * Time: RTC1 counts the 32768 Hz LFCLK (24 bits, overflow counted in its
 * interrupt); milliseconds = ticks * 1000 / 32768. Its compare channel 0
 * interrupts about every millisecond to scan one LED row, sample button A
 * and wake the CPU from WFI.
 *
 * UARTs: UARTE1 is the console (log and test shell) on the USB serial of
 * the interface chip (nRF TX P0.06, RX P1.08); UARTE0 is the ESP8266 on the
 * edge connector (RX P0.13 = P15, TX P0.01 = P14, optional CTS P0.03 = P1 /
 * RTS P0.04 = P2 with MICROBIT_MODEM_HWFC=1). Both 115200 8N1.
 * Reception: EasyDMA writes each byte straight into a ring buffer in RAM
 * (RXD.MAXCNT = 1, RXD.PTR = the next free slot); the ENDRX interrupt
 * advances the head and restarts the receiver at the next slot. Between
 * ENDRX and the restart the UARTE keeps receiving into its own RX FIFO, so
 * the interrupt may be late by a few byte times (87 us each at 115200)
 * without a loss, whatever wasm3 is computing. When a ring is full the
 * receiver is left stopped (with HWFC the UARTE then deasserts RTS) and the
 * reader restarts it once it has taken bytes.
 * Transmission: blocking, through a small RAM buffer (EasyDMA cannot read
 * flash, and console strings live there).
 *
 * ESP8266 EN (edge P8, P0.10) and RST (edge P9, P0.09): these are the NFC
 * antenna pins until UICR.NFCPINS bit 0 is cleared and the chip reset, so
 * the first boot on an erased UICR does that once (later boots find the bit
 * clear and write nothing). Then EN is held high and RST released (high);
 * hal_modem_reset pulses RST low for 10 ms when the driver resets the modem.
 *
 * Every register address comes from nrf52833.h. */
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include "hal.h"
#include "embed.h"
#include "board.h"
#include "nrf52833.h"
#include "cpu.h"

#ifndef MICROBIT_MODEM_HWFC
#define MICROBIT_MODEM_HWFC 0
#endif
/* After a failed run (hal_exit with a non-zero status) the board restarts
 * after this many milliseconds; 0 keeps it halted with the error shown. */
#ifndef MICROBIT_RESTART_DELAY_MS
#define MICROBIT_RESTART_DELAY_MS 10000
#endif

/* RAM: 1024 + 256 bytes of receive rings, 2 x 64 bytes of transmit buffers. */
#define MODEM_RX_RING   1024u   /* powers of two */
#define CONSOLE_RX_RING 256u
#define TX_CHUNK        64u
#define TX_TIMEOUT_MS   2000u   /* a stuck CTS must not hang the board */

/* ---- pins: bit 5 = port, bits 0-4 = pin, as the PSEL registers take them ---- */
#define PIN(port, n)    ((uint32_t)(port) << 5 | (uint32_t)(n))
#define CONSOLE_TX      PIN(0, 6)
#define CONSOLE_RX      PIN(1, 8)
#define MODEM_TX        PIN(0, 1)    /* edge P14 -> ESP8266 RX */
#define MODEM_RX        PIN(0, 13)   /* edge P15 <- ESP8266 TX */
#define MODEM_CTS       PIN(0, 3)    /* edge P1  <- ESP8266 RTS (GPIO15) */
#define MODEM_RTS       PIN(0, 4)    /* edge P2  -> ESP8266 CTS (GPIO13) */
#define ESP_EN          PIN(0, 10)   /* edge P8, NFC2 */
#define ESP_RST         PIN(0, 9)    /* edge P9, NFC1 */
#define BUTTON_A        PIN(0, 14)
static const uint8_t led_rows[5] = { PIN(0, 21), PIN(0, 22), PIN(0, 15), PIN(0, 24), PIN(0, 19) };
static const uint8_t led_cols[5] = { PIN(0, 28), PIN(0, 11), PIN(0, 31), PIN(1, 5), PIN(0, 30) };

#define RTC             NRF_RTC1_BASE
#define SCAN_TICKS      33u          /* ~1 ms at 32768 Hz */

extern uint32_t _sdata, _ebss, _heap_start, _heap_end;
extern const uint8_t wasm_module[], wasm_module_end[];
uint32_t stack_peak_bytes(void);
int board_run(const uint8_t *wasm, uint32_t len);

/* ---- interrupts ---- */
static void nvic_enable(int irq, uint32_t priority) {
    /* One priority byte per line, 3 implemented bits at the top. */
    uint32_t word = NVIC_IPR0 + ((uint32_t)irq & ~3u), shift = 8u * ((uint32_t)irq & 3u);
    REG32(word) = (REG32(word) & ~(0xFFu << shift)) | (priority << 5) << shift;
    REG32(NVIC_ISER0 + 4u * ((uint32_t)irq >> 5)) = 1u << ((uint32_t)irq & 31u);
}
/* Clearing an event is a bus write that can land after the handler returns,
 * re-entering it: read it back first. */
static inline void event_clear(uint32_t addr) { REG32(addr) = 0; (void)REG32(addr); }

/* ---- GPIO ---- */
static uint32_t port_of(uint32_t pin) { return (pin >> 5) ? NRF_P1_BASE : NRF_P0_BASE; }
static void pin_write(uint32_t pin, int high) {
    REG32(port_of(pin) + (high ? GPIO_OUTSET : GPIO_OUTCLR)) = 1u << (pin & 31u);
}
static int pin_read(uint32_t pin) { return (int)((REG32(port_of(pin) + GPIO_IN) >> (pin & 31u)) & 1u); }
static void pin_output(uint32_t pin, int high) {
    pin_write(pin, high);   /* level first, so the pin never glitches */
    REG32(port_of(pin) + GPIO_PIN_CNF0 + 4u * (pin & 31u)) = GPIO_PIN_CNF_DIR_OUTPUT;
}
static void pin_input(uint32_t pin, uint32_t pull) {
    REG32(port_of(pin) + GPIO_PIN_CNF0 + 4u * (pin & 31u)) = pull;
}

/* ---- clocks and time ---- */
static volatile uint32_t rtc_overflows;

static void clocks_init(void) {
    uint32_t c = NRF_CLOCK_BASE;
    /* A soft reset (ours after an error, or a debugger's) may leave either
     * clock running: a task for a clock already started gives no event to
     * wait for, and LFCLKSRC may only change while the LFCLK is stopped. */
    if ((REG32(c + CLOCK_HFCLKSTAT) & CLOCK_STAT_RUNNING_SRC1) != CLOCK_STAT_RUNNING_SRC1) {
        event_clear(c + CLOCK_EVENTS_HFCLKSTARTED);
        REG32(c + CLOCK_TASKS_HFCLKSTART) = 1;
        /* Typically 0.3 ms; bounded so that a missing crystal leaves the
         * board on the internal oscillator instead of hanging it. */
        for (uint32_t i = 0; i < 2000000u && !REG32(c + CLOCK_EVENTS_HFCLKSTARTED); i++) {}
    }
    uint32_t lf = REG32(c + CLOCK_LFCLKSTAT);
    if ((lf & CLOCK_STAT_RUNNING) && (lf & CLOCK_STAT_SRC_MASK) != CLOCK_LFCLKSRC_LFSYNT) {
        REG32(c + CLOCK_TASKS_LFCLKSTOP) = 1;
        for (uint32_t i = 0; i < 2000000u && (REG32(c + CLOCK_LFCLKSTAT) & CLOCK_STAT_RUNNING); i++) {}
        lf = 0;
    }
    if (!(lf & CLOCK_STAT_RUNNING)) {
        REG32(c + CLOCK_LFCLKSRC) = CLOCK_LFCLKSRC_LFSYNT;
        event_clear(c + CLOCK_EVENTS_LFCLKSTARTED);
        REG32(c + CLOCK_TASKS_LFCLKSTART) = 1;
        while (!REG32(c + CLOCK_EVENTS_LFCLKSTARTED)) {}
    }

    REG32(RTC + RTC_TASKS_STOP) = 1;
    REG32(RTC + RTC_TASKS_CLEAR) = 1;
    REG32(RTC + RTC_PRESCALER) = 0;              /* 32768 Hz, 30.5 us per tick */
    REG32(RTC + RTC_CC0) = SCAN_TICKS;
    REG32(RTC + RTC_EVTENSET) = RTC_INT_OVRFLW | RTC_INT_COMPARE0;
    REG32(RTC + RTC_INTENSET) = RTC_INT_OVRFLW | RTC_INT_COMPARE0;
    nvic_enable(RTC1_IRQn, 3);                   /* below the UARTs */
    REG32(RTC + RTC_TASKS_START) = 1;
}

static uint64_t rtc_ticks(void) {
    uint32_t m = cpu_irq_save();
    uint32_t ovf = rtc_overflows;
    uint32_t c = REG32(RTC + RTC_COUNTER);
    /* An overflow the handler has not counted yet (we may run with
     * interrupts masked): the counter has wrapped, so it reads low. */
    if (REG32(RTC + RTC_EVENTS_OVRFLW) && c < 0x800000u) ovf++;
    cpu_irq_restore(m);
    return (uint64_t)ovf << 24 | c;
}

uint32_t hal_millis(void) { return (uint32_t)((rtc_ticks() * 125u) >> 12); }   /* * 1000 / 32768 */
void hal_sleep_ms(uint32_t ms) {
    uint32_t start = hal_millis();
    /* The 1 ms scan tick wakes a WFI; inside a fault or interrupt handler
     * it cannot preempt, so spin there. */
    int spin = cpu_in_handler();
    while (hal_millis() - start < ms)
        if (!spin) cpu_wfi();
}
/* The nRF52833 has cycle counters (DWT) but nothing counts instructions. */
uint64_t hal_instructions(void) { return 0; }
/* No calendar: the app takes the time from SNTP. */
uint64_t hal_wall_clock(void) { return 0; }

/* ---- LED matrix and button A, driven from the RTC1 compare interrupt ---- */
/* One byte per row, bit 4 = leftmost column, so the literals read as drawn. */
static const uint8_t patterns[BOARD_STATE_COUNT][5] = {
    [BOARD_STATE_OFF]         = { 0 },
    [BOARD_STATE_JOINING]     = { 0x04, 0x0A, 0x11, 0x0A, 0x04 },   /* ..#.. .#.#. #...# .#.#. ..#.. */
    [BOARD_STATE_HANDSHAKING] = { 0x0E, 0x0A, 0x1F, 0x1B, 0x1F },   /* .###. .#.#. ##### ##.## ##### */
    [BOARD_STATE_CONNECTED]   = { 0x00, 0x01, 0x02, 0x14, 0x08 },   /* ..... ....# ...#. #.#.. .#... */
    [BOARD_STATE_ERROR]       = { 0x11, 0x0A, 0x04, 0x0A, 0x11 },   /* #...# .#.#. ..#.. .#.#. #...# */
};
static volatile uint8_t led_state;
static uint8_t scan_row;
static uint16_t scan_count;
static uint8_t button_level, button_count;
static volatile uint8_t button_latched;

static void leds_init(void) {
    for (int i = 0; i < 5; i++) {
        pin_output(led_rows[i], 0);   /* rows high = on */
        pin_output(led_cols[i], 1);   /* columns low = on */
    }
    pin_input(BUTTON_A, GPIO_PIN_CNF_PULLUP);   /* the board has a pull-up too */
}

static void scan_step(void) {
    uint8_t state = led_state;
    pin_write(led_rows[scan_row], 0);
    for (int c = 0; c < 5; c++) pin_write(led_cols[c], 1);
    scan_row = (uint8_t)((scan_row + 1) % 5);
    scan_count++;
    /* Busy states blink at ~2 Hz (512 scan ticks per period). */
    int blank = (state == BOARD_STATE_JOINING || state == BOARD_STATE_HANDSHAKING) && (scan_count & 0x100);
    uint8_t bits = (state < BOARD_STATE_COUNT && !blank) ? patterns[state][scan_row] : 0;
    if (bits) {
        for (int c = 0; c < 5; c++)
            if (bits & (0x10 >> c)) pin_write(led_cols[c], 0);
        pin_write(led_rows[scan_row], 1);
    }
    /* Button A, debounced over 4 ticks; a press latches until read. */
    uint8_t down = !pin_read(BUTTON_A);
    if (down == button_level) button_count = 0;
    else if (++button_count >= 4) {
        button_level = down; button_count = 0;
        if (down) button_latched = 1;
    }
}

void RTC1_IRQHandler(void) {
    if (REG32(RTC + RTC_EVENTS_OVRFLW)) {
        event_clear(RTC + RTC_EVENTS_OVRFLW);
        rtc_overflows++;
    }
    if (REG32(RTC + RTC_EVENTS_COMPARE0)) {
        event_clear(RTC + RTC_EVENTS_COMPARE0);
        /* From the counter, not the last compare value: a late interrupt
         * must not push the next one 512 s away. */
        REG32(RTC + RTC_CC0) = (REG32(RTC + RTC_COUNTER) + SCAN_TICKS) & 0xFFFFFFu;
        scan_step();
    }
}

void hal_indicate(int state) { board_indicate(state); }
int hal_button_pressed(void) { return board_button_a_pressed(); }
void board_indicate(int state) {
    if (state >= 0 && state < BOARD_STATE_COUNT) led_state = (uint8_t)state;
}
int board_button_a(void) { return button_level; }
int board_button_a_pressed(void) {
    uint32_t m = cpu_irq_save();
    int p = button_latched;
    button_latched = 0;
    cpu_irq_restore(m);
    return p;
}

/* ---- UARTE ---- */
typedef struct {
    uint32_t base;
    uint8_t *ring;
    uint32_t mask;
    volatile uint32_t head;      /* bytes received (written by the handler) */
    volatile uint32_t tail;      /* bytes taken by the reader */
    volatile uint32_t stalled;   /* ring full: the receiver waits for the reader */
    volatile uint32_t errors;
    uint32_t errors_seen;        /* errors count at the last receiver restart */
    uint8_t tx[TX_CHUNK];
} uart_t;

static uint8_t modem_ring[MODEM_RX_RING], console_ring[CONSOLE_RX_RING];
static uart_t modem = { .base = NRF_UARTE0_BASE, .ring = modem_ring, .mask = MODEM_RX_RING - 1 };
static uart_t console = { .base = NRF_UARTE1_BASE, .ring = console_ring, .mask = CONSOLE_RX_RING - 1 };

static void uart_rx_start(uart_t *u) {
    REG32(u->base + UARTE_RXD_PTR) = (uint32_t)(uintptr_t)&u->ring[u->head & u->mask];
    REG32(u->base + UARTE_RXD_MAXCNT) = 1;
    REG32(u->base + UARTE_TASKS_STARTRX) = 1;
}

static void uart_irq(uart_t *u) {
    uint32_t b = u->base;
    if (REG32(b + UARTE_EVENTS_ERROR)) {
        event_clear(b + UARTE_EVENTS_ERROR);
        uint32_t src = REG32(b + UARTE_ERRORSRC);
        REG32(b + UARTE_ERRORSRC) = src;          /* write 1 to clear */
        u->errors++;
    }
    if (REG32(b + UARTE_EVENTS_ENDRX)) {
        event_clear(b + UARTE_EVENTS_ENDRX);
        u->head += REG32(b + UARTE_RXD_AMOUNT);   /* 1, or 0 after a stop */
        if (u->head - u->tail <= u->mask) uart_rx_start(u);
        else u->stalled = 1;
    }
}
void UARTE0_UART0_IRQHandler(void) { uart_irq(&modem); }
void UARTE1_IRQHandler(void) { uart_irq(&console); }

static void uart_init(uart_t *u, int irq, uint32_t tx, uint32_t rx, uint32_t cts, uint32_t rts) {
    uint32_t b = u->base;
    /* Idle levels while the UARTE is off, as the specification asks. */
    pin_output(tx, 1);
    pin_input(rx, 0);
    REG32(b + UARTE_PSEL_TXD) = tx;
    REG32(b + UARTE_PSEL_RXD) = rx;
    if (cts != UARTE_PSEL_DISCONNECTED) {
        pin_input(cts, 0);
        pin_output(rts, 1);
        REG32(b + UARTE_PSEL_CTS) = cts;
        REG32(b + UARTE_PSEL_RTS) = rts;
        REG32(b + UARTE_CONFIG) = UARTE_CONFIG_HWFC;
    } else {
        REG32(b + UARTE_PSEL_CTS) = UARTE_PSEL_DISCONNECTED;
        REG32(b + UARTE_PSEL_RTS) = UARTE_PSEL_DISCONNECTED;
        REG32(b + UARTE_CONFIG) = 0;              /* 8N1, no flow control */
    }
    REG32(b + UARTE_BAUDRATE) = UARTE_BAUDRATE_115200;
    REG32(b + UARTE_ENABLE) = UARTE_ENABLE_ENABLED;
    REG32(b + UARTE_INTENSET) = UARTE_INT_ENDRX | UARTE_INT_ERROR;
    nvic_enable(irq, 1);
    uart_rx_start(u);
}

static int uart_write(uart_t *u, const uint8_t *p, size_t n) {
    uint32_t b = u->base;
    size_t done = 0;
    while (done < n) {
        uint32_t k = n - done < TX_CHUNK ? (uint32_t)(n - done) : TX_CHUNK;
        memcpy(u->tx, p + done, k);
        REG32(b + UARTE_TXD_PTR) = (uint32_t)(uintptr_t)u->tx;
        REG32(b + UARTE_TXD_MAXCNT) = k;
        REG32(b + UARTE_EVENTS_ENDTX) = 0;
        REG32(b + UARTE_TASKS_STARTTX) = 1;
        uint32_t start = hal_millis();
        while (!REG32(b + UARTE_EVENTS_ENDTX)) {
            if (hal_millis() - start > TX_TIMEOUT_MS) {   /* CTS held off too long */
                REG32(b + UARTE_EVENTS_TXSTOPPED) = 0;
                REG32(b + UARTE_TASKS_STOPTX) = 1;
                for (uint32_t i = 0; i < 100000u && !REG32(b + UARTE_EVENTS_TXSTOPPED); i++) {}
                done += REG32(b + UARTE_TXD_AMOUNT);
                return done ? (int)done : -1;
            }
        }
        REG32(b + UARTE_EVENTS_ENDTX) = 0;
        done += k;
    }
    return (int)done;
}

/* After line errors (the ESP8266's boot ROM talks at 74880 baud, a
 * disconnected wire floats) the specification does not promise that the
 * transfer in progress completes. A read that times out after new errors
 * therefore stops the receiver and starts it again: the ENDRX of a stopped
 * transfer is accounted here, so nothing received is dropped, and a
 * receiver that had stalled on the error runs again. */
static void uart_rx_recover(uart_t *u) {
    uint32_t b = u->base, m = cpu_irq_save();
    u->errors_seen = u->errors;
    event_clear(b + UARTE_EVENTS_RXTO);
    REG32(b + UARTE_TASKS_STOPRX) = 1;
    for (uint32_t i = 0; i < 100000u && !REG32(b + UARTE_EVENTS_RXTO); i++) {}
    event_clear(b + UARTE_EVENTS_RXTO);
    if (REG32(b + UARTE_EVENTS_ENDRX)) {
        event_clear(b + UARTE_EVENTS_ENDRX);
        u->head += REG32(b + UARTE_RXD_AMOUNT);
    }
    if (u->head - u->tail <= u->mask) { u->stalled = 0; uart_rx_start(u); }
    else u->stalled = 1;
    cpu_irq_restore(m);
}

static int uart_read(uart_t *u, uint8_t *p, size_t n, uint32_t timeout_ms) {
    uint32_t start = hal_millis();
    for (;;) {
        uint32_t avail = u->head - u->tail;
        if (avail && n) {
            uint32_t k = avail < n ? avail : (uint32_t)n;
            for (uint32_t i = 0; i < k; i++) p[i] = u->ring[(u->tail + i) & u->mask];
            u->tail += k;
            if (u->stalled) {                        /* room again: resume reception */
                uint32_t m = cpu_irq_save();
                u->stalled = 0;
                uart_rx_start(u);
                cpu_irq_restore(m);
            }
            return (int)k;
        }
        if (n == 0 || hal_millis() - start >= timeout_ms) {
            if (u->errors != u->errors_seen) uart_rx_recover(u);
            return 0;
        }
        cpu_wfi();   /* woken by ENDRX or the 1 ms tick */
    }
}

/* Drops every byte received so far (a reset modem's earlier output). */
static void uart_rx_discard(uart_t *u) {
    uint32_t m = cpu_irq_save();
    u->tail = u->head;
    if (u->stalled) { u->stalled = 0; uart_rx_start(u); }
    cpu_irq_restore(m);
}

void hal_console_write(const uint8_t *p, size_t n) { uart_write(&console, p, n); }
int hal_console_read(uint8_t *p, size_t n, uint32_t t) { return uart_read(&console, p, n, t); }
int hal_modem_write(const uint8_t *p, size_t n) { return uart_write(&modem, p, n); }
int hal_modem_read(uint8_t *p, size_t n, uint32_t t) { return uart_read(&modem, p, n, t); }
uint32_t board_uart_errors(int is_modem) { return is_modem ? modem.errors : console.errors; }

/* ---- RNG, TEMP ---- */
static int wait_event(uint32_t addr, uint32_t max_spins) {
    for (uint32_t i = 0; i < max_spins; i++) if (REG32(addr)) return 1;
    return 0;
}

/* The RNG's bias correction (DERCEN) makes each byte uniform; ~120 us per
 * byte. A generator that stops is fatal: never return weak bytes. */
void hal_random(uint8_t *p, size_t n) {
    REG32(NRF_RNG_BASE + RNG_CONFIG) = RNG_CONFIG_DERCEN;
    event_clear(NRF_RNG_BASE + RNG_EVENTS_VALRDY);
    REG32(NRF_RNG_BASE + RNG_TASKS_START) = 1;
    for (size_t i = 0; i < n; i++) {
        if (!wait_event(NRF_RNG_BASE + RNG_EVENTS_VALRDY, 1000000u)) {
            REG32(NRF_RNG_BASE + RNG_TASKS_STOP) = 1;
            console_puts("fatal: the RNG stopped\n");
            hal_exit(4);
        }
        p[i] = (uint8_t)REG32(NRF_RNG_BASE + RNG_VALUE);
        event_clear(NRF_RNG_BASE + RNG_EVENTS_VALRDY);
    }
    REG32(NRF_RNG_BASE + RNG_TASKS_STOP) = 1;
}

/* The die temperature (a few degrees above ambient while the CPU works),
 * in 0.25 degC steps. */
int32_t hal_temperature_mc(void) {
    event_clear(NRF_TEMP_BASE + TEMP_EVENTS_DATARDY);
    REG32(NRF_TEMP_BASE + TEMP_TASKS_START) = 1;
    int ok = wait_event(NRF_TEMP_BASE + TEMP_EVENTS_DATARDY, 100000u);
    int32_t quarters = (int32_t)REG32(NRF_TEMP_BASE + TEMP_TEMP);
    event_clear(NRF_TEMP_BASE + TEMP_EVENTS_DATARDY);
    REG32(NRF_TEMP_BASE + TEMP_TASKS_STOP) = 1;
    return ok ? quarters * 250 : INT32_MIN;
}

/* ---- NFC pins, ESP8266 EN/RST ---- */
static void system_reset(void) {
    cpu_dsb();
    REG32(SCB_AIRCR) = SCB_AIRCR_SYSRESETREQ;
    cpu_dsb();
    for (;;) cpu_wfi();
}

int board_nfc_pins_are_gpio(void) {
    return !(REG32(NRF_UICR_BASE + UICR_NFCPINS) & UICR_NFCPINS_PROTECT_NFC);
}

static void nvmc_wait(void) { while (!REG32(NRF_NVMC_BASE + NVMC_READY)) {} }

/* Once, on a chip whose UICR still gives P8/P9 to NFC: the flash write
 * happens only while the bit is set, so it is not repeated at every boot.
 * A write that did not take (the bit still reads set) is not followed by a
 * reset: the board would otherwise reset at every boot. */
void board_free_nfc_pins(void) {
    if (board_nfc_pins_are_gpio()) return;
    console_puts("board: clearing UICR.NFCPINS (P8/P9 become GPIO), resetting\n");
    REG32(NRF_NVMC_BASE + NVMC_CONFIG) = NVMC_CONFIG_WEN;
    nvmc_wait();
    /* Flash bits only go from 1 to 0: this clears PROTECT alone. */
    REG32(NRF_UICR_BASE + UICR_NFCPINS) = ~UICR_NFCPINS_PROTECT_NFC;
    nvmc_wait();
    REG32(NRF_NVMC_BASE + NVMC_CONFIG) = NVMC_CONFIG_REN;
    nvmc_wait();
    if (board_nfc_pins_are_gpio()) system_reset();   /* UICR is read at reset only */
}

/* EN and RST as outputs, each level set before its direction so that
 * neither glitches: EN high (the module runs), RST at `rst_high`. */
static void modem_lines(int rst_high) {
    uint32_t en = 1u << (ESP_EN & 31u), rst = 1u << (ESP_RST & 31u);
    REG32(port_of(ESP_EN) + GPIO_OUTSET) = en;
    REG32(port_of(ESP_RST) + (rst_high ? GPIO_OUTSET : GPIO_OUTCLR)) = rst;
    REG32(port_of(ESP_EN) + GPIO_DIRSET) = en;
    REG32(port_of(ESP_RST) + GPIO_DIRSET) = rst;
}

/* RST low for 10 ms, then released. The modem is silent while held in
 * reset, so what the ring holds then is its previous life's output (a late
 * `ready` among it would pass for the one after this reset): dropped. */
int hal_modem_reset(void) {
    if (!board_nfc_pins_are_gpio()) return -1;
    modem_lines(0);
    hal_sleep_ms(10 + 1);   /* at least 10 ms: millis moves in whole steps */
    uart_rx_discard(&modem);
    pin_write(ESP_RST, 1);
    return 0;
}

/* ---- the rest of hal.h ---- */
static const char *mode = "main";

void hal_init(int argc, char **argv) {
    (void)argc; (void)argv;
    clocks_init();
    leds_init();
    uart_init(&console, UARTE1_IRQn, CONSOLE_TX, CONSOLE_RX, UARTE_PSEL_DISCONNECTED, UARTE_PSEL_DISCONNECTED);
#if MICROBIT_MODEM_HWFC
    uart_init(&modem, UARTE0_UART0_IRQn, MODEM_TX, MODEM_RX, MODEM_CTS, MODEM_RTS);
#else
    uart_init(&modem, UARTE0_UART0_IRQn, MODEM_TX, MODEM_RX, UARTE_PSEL_DISCONNECTED, UARTE_PSEL_DISCONNECTED);
#endif
    cpu_irq_restore(0);   /* interrupts on (they are at reset; be explicit) */
    board_free_nfc_pins();   /* resets the chip the one time it writes */
    if (board_nfc_pins_are_gpio()) modem_lines(1);
    else console_puts("board: P8/P9 are still NFC pins (UICR.NFCPINS), ESP8266 EN/RST not driven\n");
    /* Button A held at reset: the test shell on the USB serial, as on the
     * emulated board, instead of the app. */
    hal_sleep_ms(5);
    if (!pin_read(BUTTON_A)) mode = "rpc";
    else board_indicate(BOARD_STATE_JOINING);   /* the app's first job; it may say better */
}
const char *hal_mode(void) { return mode; }

size_t hal_stack_peak(void) { return stack_peak_bytes(); }
size_t hal_static_ram(void) { return (size_t)((uint8_t *)&_ebss - (uint8_t *)&_sdata); }

/* Exit 0 halts quietly; a failure shows the cross and restarts the board
 * after MICROBIT_RESTART_DELAY_MS, so an unattended device recovers. */
void hal_exit(int status) {
    char num[12];
    uint32_t e0 = modem.errors, e1 = console.errors;
    if (e0 || e1) {
        console_puts("board: uart errors modem=");
        fmt_u64(num, e0); console_puts(num);
        console_puts(" console="); fmt_u64(num, e1); console_puts(num); console_puts("\n");
    }
    board_indicate(status ? BOARD_STATE_ERROR : BOARD_STATE_OFF);
    if (status && MICROBIT_RESTART_DELAY_MS) {
        hal_sleep_ms(MICROBIT_RESTART_DELAY_MS);
        system_reset();
    }
    for (;;) cpu_wfi();
}

int hal_host_file_read(const char *path, uint32_t offset, uint8_t *p, size_t n) {
    (void)path; (void)offset; (void)p; (void)n;
    return -1;   /* no host file system on the device */
}

/* newlib's heap (_sbrk), the stack figure and the host-TCP stubs: boards/cortex-m/crt.c. */

void Fault_Handler(void) {
    console_puts("fatal: CPU fault or unexpected interrupt\n");
    hal_exit(99);
}

#ifndef MICROBIT_SIM   /* the host model has its own main */
int main(void) {
    hal_init(0, 0);
    int status = board_run(wasm_module, (uint32_t)(wasm_module_end - wasm_module));
    hal_exit(status);
}
#endif
