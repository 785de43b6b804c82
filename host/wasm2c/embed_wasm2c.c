/* The embedding for the wasm2c engine: the release module translated ahead
 * of time to C (build/<board>-wasm2c/module.c) and compiled into the
 * firmware, behind the same interface as the wasm3 embedding
 * (host/wasm3/embed.h), so that the test shell (rpc.c), main.c and every
 * board's HAL link against either engine unchanged.
 *
 * The imports are implemented here on the same HAL, with the same argument
 * checks as host/wasm3/embed.c (negative lengths answer -1 or do nothing,
 * a range outside linear memory or at offset 0 traps). They are written
 * again rather than shared: wasm3's are m3ApiRawFunction bodies that cannot
 * be called from here.
 *
 * Figures for the "s" line: the module's own (wasm, code, data, functions),
 * aot_text (flash taken by the translated code, from the object's size at
 * build time: W2C_TEXT_BYTES), linear memory, heap 0 (nothing is allocated),
 * stack peak and static RAM (which holds linear memory and the instance). */
#include <setjmp.h>
#include <string.h>
#include "wasm-rt.h"
#include "w2c_rt.h"
#include "w2c_exports.h"
#include "module.h"     /* the translated module: its import prototypes */
#include "hal.h"
#include "embed.h"

#ifndef W2C_TEXT_BYTES
#define W2C_TEXT_BYTES 0
#endif

/* wasm2c's import signature: the first argument is the import's instance. */
struct Z_env_instance_t;
typedef struct Z_env_instance_t env_t;

static int opened, rpc_active;

void embed_set_rpc(int on) { rpc_active = on; }

/* ---- imports ---- */
/* wasm3's m3ApiCheckMem: offset 0 and ranges past the end trap. */
static uint8_t *mem_range(uint32_t p, int32_t n) {
    wasm_rt_memory_t *m = w2c_memory();
    if (p == 0 || (uint64_t)p + (uint32_t)n > m->size) wasm_rt_trap(WASM_RT_TRAP_OOB);
    return m->data + p;
}

uint32_t Z_envZ_uart_write(env_t *e, uint32_t p, uint32_t n) {
    (void)e;
    if ((int32_t)n < 0) return (uint32_t)-1;
    return (uint32_t)hal_modem_write(mem_range(p, (int32_t)n), n);
}
uint32_t Z_envZ_uart_read(env_t *e, uint32_t p, uint32_t n, uint32_t timeout) {
    (void)e;
    if ((int32_t)n < 0 || (int32_t)timeout < 0) return (uint32_t)-1;
    return (uint32_t)hal_modem_read(mem_range(p, (int32_t)n), n, timeout);
}
uint32_t Z_envZ_modem_reset(env_t *e) { (void)e; return (uint32_t)hal_modem_reset(); }
uint32_t Z_envZ_millis(env_t *e) { (void)e; return hal_millis(); }
void Z_envZ_sleep_ms(env_t *e, uint32_t ms) { (void)e; if ((int32_t)ms > 0) hal_sleep_ms(ms); }
uint64_t Z_envZ_wall_clock(env_t *e) { (void)e; return hal_wall_clock(); }
void Z_envZ_random_bytes(env_t *e, uint32_t p, uint32_t n) {
    (void)e;
    if ((int32_t)n <= 0) return;
    hal_random(mem_range(p, (int32_t)n), n);
}
uint32_t Z_envZ_temperature(env_t *e) { (void)e; return (uint32_t)hal_temperature_mc(); }
void Z_envZ_led_state(env_t *e, uint32_t state) { (void)e; hal_indicate((int)state); }
uint32_t Z_envZ_button_pressed(env_t *e) { (void)e; return (uint32_t)hal_button_pressed(); }
void Z_envZ_log(env_t *e, uint32_t p, uint32_t n) {
    (void)e;
    if ((int32_t)n < 0) return;
    const uint8_t *s = mem_range(p, (int32_t)n);
    if (rpc_active) console_puts("# ");
    hal_console_write(s, n);
    console_puts("\n");
}
/* AssemblyScript strings: UTF-16, byte length at ptr - 4. Printed as ASCII. */
static void put_as_string(uint32_t ptr) {
    wasm_rt_memory_t *m = w2c_memory();
    if (ptr < 4 || ptr > m->size) return;
    uint32_t bytes; memcpy(&bytes, m->data + ptr - 4, 4);
    if (bytes > m->size - ptr) return;
    for (uint32_t i = 0; i + 1 < bytes; i += 2) hal_console_write(m->data + ptr + i, 1);
}
void Z_envZ_abort(env_t *e, uint32_t msg, uint32_t file, uint32_t line, uint32_t col) {
    (void)e; (void)col;
    char num[12];
    console_puts(rpc_active ? "# abort: " : "abort: ");
    put_as_string(msg);
    console_puts(" at ");
    put_as_string(file);
    console_puts(":"); fmt_u64(num, line); console_puts(num); console_puts("\n");
    w2c_trap_message("[trap] program called abort");
}
uint32_t Z_envZ_tcp_open(env_t *e, uint32_t host, uint32_t hostLen, uint32_t port) {
    (void)e;
    char name[128];
    if ((int32_t)hostLen <= 0 || hostLen >= sizeof name) return (uint32_t)-1;
    memcpy(name, mem_range(host, (int32_t)hostLen), hostLen); name[hostLen] = 0;
    return (uint32_t)hal_tcp_open(name, (int)port);
}
uint32_t Z_envZ_tcp_write(env_t *e, uint32_t h, uint32_t p, uint32_t n) {
    (void)e;
    if ((int32_t)n < 0) return (uint32_t)-1;
    return (uint32_t)hal_tcp_write((int)h, mem_range(p, (int32_t)n), n);
}
uint32_t Z_envZ_tcp_read(env_t *e, uint32_t h, uint32_t p, uint32_t n, uint32_t timeout) {
    (void)e;
    if ((int32_t)n < 0 || (int32_t)timeout < 0) return (uint32_t)-1;
    return (uint32_t)hal_tcp_read((int)h, mem_range(p, (int32_t)n), n, timeout);
}
void Z_envZ_tcp_close(env_t *e, uint32_t h) { (void)e; hal_tcp_close((int)h); }

/* ---- the interface ---- */
static uint32_t fnv1a(const uint8_t *p, uint32_t n) {
    uint32_t h = 0x811c9dc5u;
    while (n--) { h ^= *p++; h *= 0x01000193u; }
    return h;
}

/* The module is compiled in: `wasm` is only compared with it when a board
 * passes one (the native board reads a file; the firmware passes none). */
const char *embed_open(const uint8_t *wasm, uint32_t len) {
    if (opened) return "already open";
    if (len && (len != w2c_module_bytes || fnv1a(wasm, len) != w2c_module_fnv))
        return "not the module translated by wasm2c into this build";
    jmp_buf jb;
    wasm_rt_init();
    wasm_rt_call_stack_depth = 0;
    if (setjmp(jb)) { wasm_rt_set_unwind_target(NULL); return w2c_last_trap(); }
    wasm_rt_set_unwind_target(&jb);
    w2c_instantiate();
    wasm_rt_set_unwind_target(NULL);
    opened = 1;
    return NULL;
}

uint8_t *embed_memory(uint32_t *size) {
    wasm_rt_memory_t *m = w2c_memory();
    *size = m->size;
    return m->data;
}

static int parse_arg(const char *s, uint64_t *v) {
    int neg = *s == '-';
    uint64_t x = 0;
    if (neg) s++;
    if (!*s) return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        x = x * 10 + (uint64_t)(*s - '0');
    }
    *v = neg ? (uint64_t)0 - x : x;
    return 0;
}

const char *embed_call(const char *name, int argc, const char **argv, char *out, size_t outlen) {
    out[0] = 0;
    if (!opened) return "module not open";
    uint32_t lo = 0, hi = w2c_export_count;      /* binary search by name */
    const w2c_export_t *f = NULL;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        int c = strcmp(name, w2c_exports[mid].name);
        if (!c) { f = &w2c_exports[mid]; break; }
        if (c < 0) hi = mid; else lo = mid + 1;
    }
    if (!f) return "function lookup failed";
    if (argc != f->argc) return "argument count mismatch";
    uint64_t args[16] = {0};
    for (int i = 0; i < argc && i < 16; i++)
        if (parse_arg(argv[i], &args[i])) return "bad argument";
    /* volatile: read after a longjmp */
    static jmp_buf jb;
    volatile uint64_t r = 0;
    wasm_rt_call_stack_depth = 0;
    if (setjmp(jb)) {
        wasm_rt_set_unwind_target(NULL);
        wasm_rt_call_stack_depth = 0;
        return w2c_last_trap();
    }
    wasm_rt_set_unwind_target(&jb);
    r = w2c_invoke(f->sig, f->fn, args);
    wasm_rt_set_unwind_target(NULL);
    if (f->ret == 0 || outlen < 22) return NULL;
    if (f->ret == 1) fmt_i64(out, (int32_t)(uint32_t)r);
    else fmt_i64(out, (int64_t)r);
    return NULL;
}

void embed_stats(embed_stats_t *s) {
    memset(s, 0, sizeof *s);
    s->wasm_bytes = w2c_module_bytes;
    s->code_bytes = w2c_code_bytes;
    s->data_bytes = w2c_data_bytes;
    s->functions = w2c_functions;
    s->compiled_functions = w2c_functions;   /* all of them, ahead of time */
    s->linear_bytes = opened ? w2c_memory()->size : 0;
    s->heap_high_water = hal_heap_high_water ? (uint32_t)hal_heap_high_water() : 0;
    s->stack_peak = hal_stack_peak();
    s->static_ram = hal_static_ram();
}

int embed_stats_line(char *buf, size_t len) {
    embed_stats_t s; embed_stats(&s);
    const fmt_pair_t kv[] = {
        {"wasm", s.wasm_bytes}, {"code", s.code_bytes}, {"data", s.data_bytes},
        {"functions", s.functions}, {"compiled_functions", s.compiled_functions},
        {"compiled", 0}, {"pages", 0}, {"aot_text", W2C_TEXT_BYTES},
        {"linear", s.linear_bytes}, {"heap", 0}, {"heap_peak", 0}, {"heap_brk", s.heap_high_water},
        {"stack_peak", s.stack_peak}, {"static", s.static_ram},
    };
    return (int)fmt_pairs(buf, len, kv, sizeof kv / sizeof kv[0]);
}
