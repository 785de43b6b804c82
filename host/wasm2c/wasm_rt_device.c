/* The wasm2c runtime for the device (what wasm-rt.h of wabt 1.0.32 asks of
 * an embedder), in place of wabt's wasm-rt-impl.c, which maps guard pages and
 * installs signal handlers. Here:
 *  - one linear memory, a static array of LINEAR_MEMORY_LIMIT bytes (the
 *    module's lowMemoryLimit, like wasm3's runtime->memoryLimit): the
 *    generated code checks every access against memory.size = that many bytes
 *    (WASM_RT_MEMCHECK_SIGNAL_HANDLER=0), memory.size still says 1 page, and
 *    memory.grow fails; host/wasm2c/static-memory.sed makes the generated
 *    accessors use this array and this size as constants;
 *  - no malloc, no mmap, no signals;
 *  - traps longjmp to the unwind target the embedding set (embed_call), with
 *    wasm3's trap messages; the call depth is counted by the generated code
 *    (WASM_RT_USE_STACK_DEPTH_COUNT) against WASM_RT_MAX_CALL_STACK_DEPTH. */
#include <stdarg.h>
#include <string.h>
#include "wasm-rt.h"
#include "w2c_rt.h"
#include "hal.h"
#include "embed.h"

#ifndef LINEAR_MEMORY_LIMIT
#error "LINEAR_MEMORY_LIMIT must match lowMemoryLimit in asconfig.json"
#endif
#if !WASM_RT_USE_STACK_DEPTH_COUNT || WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "build with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 (explicit bounds checks, counted call depth)"
#endif

uint32_t wasm_rt_call_stack_depth;
/* The module's memory: static-memory.sed points the generated accessors here. */
uint8_t w2c_linear_memory[LINEAR_MEMORY_LIMIT] __attribute__((aligned(8)));
static int memory_taken, initialized;
static jmp_buf *unwind;
static const char *trap_message;

void wasm_rt_init(void) { initialized = 1; }
bool wasm_rt_is_initialized(void) { return initialized; }
void wasm_rt_free(void) { initialized = 0; }

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
    switch (trap) {
    case WASM_RT_TRAP_NONE: return "no trap";
    case WASM_RT_TRAP_OOB: return "[trap] out of bounds memory access";
    case WASM_RT_TRAP_INT_OVERFLOW: return "[trap] integer overflow";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "[trap] integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "[trap] invalid conversion to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "[trap] unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "[trap] indirect call type mismatch";
    case WASM_RT_TRAP_EXHAUSTION: return "[trap] stack overflow";
    default: return "[trap] unknown";
    }
}

void w2c_trap_message(const char *msg) {
    trap_message = msg;
    if (!unwind) {   /* a trap outside any call: nothing to return to */
        console_puts("fatal: "); console_puts(msg); console_puts("\n");
        hal_exit(4);
    }
    longjmp(*unwind, 1);
}
void wasm_rt_trap(wasm_rt_trap_t trap) { w2c_trap_message(wasm_rt_strerror(trap)); }
const char *w2c_last_trap(void) { return trap_message; }

WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void) { return unwind; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target) { unwind = target; }

/* Function types, for call_indirect: equal signatures get equal indices. */
#define MAX_TYPES 48
#define MAX_TYPE_LEN 16
static uint8_t types[MAX_TYPES][MAX_TYPE_LEN + 2];
static uint32_t ntypes;
uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
    uint8_t t[MAX_TYPE_LEN + 2] = { (uint8_t)params, (uint8_t)results };
    va_list ap;
    va_start(ap, results);
    for (uint32_t i = 0; i < params + results; i++) {
        int ty = va_arg(ap, int);
        if (i < MAX_TYPE_LEN) t[2 + i] = (uint8_t)(ty + 1);
    }
    va_end(ap);
    if (params + results > MAX_TYPE_LEN) w2c_trap_message("function type too long");
    for (uint32_t i = 0; i < ntypes; i++)
        if (!memcmp(types[i], t, sizeof t)) return i;
    if (ntypes == MAX_TYPES) w2c_trap_message("too many function types");
    memcpy(types[ntypes], t, sizeof t);
    return ntypes++;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *m, uint32_t initial_pages, uint32_t max_pages) {
    if (memory_taken) w2c_trap_message("one linear memory only");
    uint64_t bytes = (uint64_t)initial_pages * 65536u;
    memory_taken = 1;
    /* The generated accessors assume exactly LINEAR_MEMORY_LIMIT bytes. */
    if (bytes < LINEAR_MEMORY_LIMIT) w2c_trap_message("the module's memory is below the linear-memory budget");
    memset(w2c_linear_memory, 0, LINEAR_MEMORY_LIMIT);
    m->data = w2c_linear_memory;
    m->pages = initial_pages;
    m->max_pages = max_pages;
    m->size = LINEAR_MEMORY_LIMIT;
}
/* Growing past the static budget is impossible: memory.grow returns -1. */
uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *m, uint32_t pages) {
    return pages == 0 ? m->pages : 0xffffffffu;
}
void wasm_rt_free_memory(wasm_rt_memory_t *m) { memory_taken = 0; m->data = NULL; m->size = 0; }

/* One small static function table (AssemblyScript emits one for function
 * references: call_indirect). Its size is fixed by the module; elements are
 * set by the generated init code and checked by its CALL_INDIRECT (index and
 * type), which traps through the same path as every other trap. */
#ifndef W2C_TABLE_MAX
#define W2C_TABLE_MAX 4
#endif
static wasm_rt_funcref_t w2c_table[W2C_TABLE_MAX];
static int table_taken;
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *t, uint32_t n, uint32_t max) {
    if (table_taken) w2c_trap_message("one table only");
    if (n > W2C_TABLE_MAX) w2c_trap_message("function table larger than W2C_TABLE_MAX");
    table_taken = 1;
    memset(w2c_table, 0, sizeof w2c_table);
    t->data = n ? w2c_table : NULL; t->size = n; t->max_size = max;
}
void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *t) { table_taken = 0; t->data = NULL; t->size = 0; }
uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t *t, uint32_t d, wasm_rt_funcref_t v) {
    (void)t; (void)d; (void)v; return 0xffffffffu;
}
