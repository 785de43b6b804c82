/* wasm3 embedding. Configuration comes from -D flags (see host/wasm3/wasm3.mk):
 * 1 KB code pages, a small function stack height, terse errors, and
 * runtime->memoryLimit set to the module's linear-memory budget. */
#include <string.h>
#include "wasm3.h"
#include "m3_env.h"
#include "heap.h"
#include "hal.h"
#include "embed.h"

#ifndef LINEAR_MEMORY_LIMIT
#error "LINEAR_MEMORY_LIMIT must match lowMemoryLimit in asconfig.json"
#endif
#ifndef WASM_STACK_BYTES
#define WASM_STACK_BYTES 4096
#endif

static IM3Environment env;
static IM3Runtime rt;
static IM3Module mod;
static uint32_t wasm_len, code_len, data_len;


/* ---- section sizes, read from the module itself ---- */
static uint32_t leb(const uint8_t **p, const uint8_t *end) {
    uint32_t v = 0; int shift = 0;
    while (*p < end && shift < 35) {
        uint8_t b = *(*p)++;
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
        shift += 7;
    }
    return v;
}
static void measure_sections(const uint8_t *w, uint32_t len) {
    const uint8_t *p = w + 8, *end = w + len;
    code_len = data_len = 0;
    while (p < end) {
        uint8_t id = *p++;
        uint32_t size = leb(&p, end);
        if ((uint32_t)(end - p) < size) break;
        if (id == 10) code_len = size;
        if (id == 11) {            /* sum the segments' payloads */
            const uint8_t *q = p, *qe = p + size;
            uint32_t n = leb(&q, qe);
            while (n-- && q < qe) {
                uint32_t kind = leb(&q, qe);
                if (kind == 0) {   /* active, memory 0: i32.const k end */
                    while (q < qe && *q++ != 0x0b) {}
                } else if (kind == 2) {
                    leb(&q, qe);
                    while (q < qe && *q++ != 0x0b) {}
                }
                uint32_t bytes = leb(&q, qe);
                data_len += bytes; q += bytes;
            }
        }
        p += size;
    }
}

/* ---- imports ---- */
#define MEMCHECK(ptr, len) m3ApiCheckMem(ptr, len)

m3ApiRawFunction(imp_uart_write) {
    m3ApiReturnType(int32_t);
    m3ApiGetArgMem(const uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    if (n < 0) m3ApiReturn(-1);
    MEMCHECK(p, n);
    m3ApiReturn(hal_modem_write(p, (size_t)n));
}
m3ApiRawFunction(imp_uart_read) {
    m3ApiReturnType(int32_t);
    m3ApiGetArgMem(uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    m3ApiGetArg(int32_t, timeout);
    if (n < 0 || timeout < 0) m3ApiReturn(-1);
    MEMCHECK(p, n);
    m3ApiReturn(hal_modem_read(p, (size_t)n, (uint32_t)timeout));
}
m3ApiRawFunction(imp_modem_reset) {
    m3ApiReturnType(int32_t);
    m3ApiReturn(hal_modem_reset());
}
m3ApiRawFunction(imp_millis) {
    m3ApiReturnType(int32_t);
    m3ApiReturn((int32_t)hal_millis());
}
m3ApiRawFunction(imp_sleep_ms) {
    m3ApiGetArg(int32_t, ms);
    if (ms > 0) hal_sleep_ms((uint32_t)ms);
    m3ApiSuccess();
}
m3ApiRawFunction(imp_wall_clock) {
    m3ApiReturnType(int64_t);
    m3ApiReturn((int64_t)hal_wall_clock());
}
m3ApiRawFunction(imp_random_bytes) {
    m3ApiGetArgMem(uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    if (n <= 0) m3ApiSuccess();
    MEMCHECK(p, n);
    hal_random(p, (size_t)n);
    m3ApiSuccess();
}
m3ApiRawFunction(imp_temperature) {
    m3ApiReturnType(int32_t);
    m3ApiReturn(hal_temperature_mc());
}
static int rpc_active;
m3ApiRawFunction(imp_log) {
    m3ApiGetArgMem(const uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    if (n < 0) m3ApiSuccess();
    MEMCHECK(p, n);
    if (rpc_active) console_puts("# ");
    hal_console_write(p, (size_t)n);
    console_puts("\n");
    m3ApiSuccess();
}
/* AssemblyScript strings: UTF-16, byte length at ptr - 4. Printed as ASCII. */
static void put_as_string(const uint8_t *mem, uint32_t size, uint32_t ptr) {
    if (ptr < 4 || ptr > size) return;
    uint32_t bytes; memcpy(&bytes, mem + ptr - 4, 4);
    if (bytes > size - ptr) return;
    for (uint32_t i = 0; i + 1 < bytes; i += 2) {
        uint8_t c = mem[ptr + i];
        hal_console_write(&c, 1);
    }
}
m3ApiRawFunction(imp_abort) {
    m3ApiGetArg(uint32_t, msg);
    m3ApiGetArg(uint32_t, file);
    m3ApiGetArg(uint32_t, line);
    m3ApiGetArg(uint32_t, col);
    (void)col;
    uint32_t size = m3_GetMemorySize(runtime);
    char num[12];
    console_puts(rpc_active ? "# abort: " : "abort: ");
    put_as_string((const uint8_t *)_mem, size, msg);
    console_puts(" at ");
    put_as_string((const uint8_t *)_mem, size, file);
    console_puts(":"); fmt_u64(num, line); console_puts(num); console_puts("\n");
    m3ApiTrap(m3Err_trapAbort);
}
m3ApiRawFunction(imp_tcp_open) {
    m3ApiReturnType(int32_t);
    m3ApiGetArgMem(const char *, host);
    m3ApiGetArg(int32_t, hostLen);
    m3ApiGetArg(int32_t, port);
    char name[128];
    if (hostLen <= 0 || hostLen >= (int32_t)sizeof name) m3ApiReturn(-1);
    MEMCHECK(host, hostLen);
    memcpy(name, host, (size_t)hostLen); name[hostLen] = 0;
    m3ApiReturn(hal_tcp_open(name, port));
}
m3ApiRawFunction(imp_tcp_write) {
    m3ApiReturnType(int32_t);
    m3ApiGetArg(int32_t, h);
    m3ApiGetArgMem(const uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    if (n < 0) m3ApiReturn(-1);
    MEMCHECK(p, n);
    m3ApiReturn(hal_tcp_write(h, p, (size_t)n));
}
m3ApiRawFunction(imp_tcp_read) {
    m3ApiReturnType(int32_t);
    m3ApiGetArg(int32_t, h);
    m3ApiGetArgMem(uint8_t *, p);
    m3ApiGetArg(int32_t, n);
    m3ApiGetArg(int32_t, timeout);
    if (n < 0 || timeout < 0) m3ApiReturn(-1);
    MEMCHECK(p, n);
    m3ApiReturn(hal_tcp_read(h, p, (size_t)n, (uint32_t)timeout));
}
m3ApiRawFunction(imp_led_state) {
    m3ApiGetArg(int32_t, state);
    hal_indicate(state);
    m3ApiSuccess();
}
m3ApiRawFunction(imp_button_pressed) {
    m3ApiReturnType(int32_t);
    m3ApiReturn(hal_button_pressed());
}
m3ApiRawFunction(imp_tcp_close) {
    m3ApiGetArg(int32_t, h);
    hal_tcp_close(h);
    m3ApiSuccess();
}

static const struct { const char *name, *sig; M3RawCall fn; } imports[] = {
    { "uart_write",   "i(*i)",   imp_uart_write },
    { "uart_read",    "i(*ii)",  imp_uart_read },
    { "modem_reset",  "i()",     imp_modem_reset },
    { "millis",       "i()",     imp_millis },
    { "sleep_ms",     "v(i)",    imp_sleep_ms },
    { "wall_clock",   "I()",     imp_wall_clock },
    { "random_bytes", "v(*i)",   imp_random_bytes },
    { "temperature",  "i()",     imp_temperature },
    { "led_state",    "v(i)",    imp_led_state },
    { "button_pressed", "i()",   imp_button_pressed },
    { "log",          "v(*i)",   imp_log },
    { "abort",        "v(iiii)", imp_abort },
    { "tcp_open",     "i(*ii)",  imp_tcp_open },
    { "tcp_write",    "i(i*i)",  imp_tcp_write },
    { "tcp_read",     "i(i*ii)", imp_tcp_read },
    { "tcp_close",    "v(i)",    imp_tcp_close },
};

IM3Runtime embed_runtime(void) { return rt; }   /* for flush.c */

const char *embed_open(const uint8_t *wasm, uint32_t len) {
    M3Result r;
    wasm_len = len;
    measure_sections(wasm, len);
    env = m3_NewEnvironment();
    if (!env) return "no memory for the environment";
    rt = m3_NewRuntime(env, WASM_STACK_BYTES, NULL);
    if (!rt) return "no memory for the runtime";
    rt->memoryLimit = LINEAR_MEMORY_LIMIT;
    /* Paint the Wasm value stack so wasm_stack_peak() can find its high-water. */
    memset(rt->stack, 0xA5, WASM_STACK_BYTES);
    if ((r = m3_ParseModule(env, &mod, wasm, len))) return r;
    if ((r = m3_LoadModule(rt, mod))) return r;
    for (size_t i = 0; i < sizeof imports / sizeof imports[0]; i++) {
        r = m3_LinkRawFunction(mod, "env", imports[i].name, imports[i].sig, imports[i].fn);
        if (r && r != m3Err_functionLookupFailed) return r;
    }
#ifdef EMBED_COMPILE_ALL
    if ((r = m3_CompileModule(mod))) return r;
#endif
    return NULL;
}

uint8_t *embed_memory(uint32_t *size) {
    *size = m3_GetMemorySize(rt);
    return m3_GetMemory(rt, NULL, 0);
}

const char *embed_call(const char *name, int argc, const char **argv, char *out, size_t outlen) {
    IM3Function f;
    M3Result r = m3_FindFunction(&f, rt, name);
    out[0] = 0;
    if (r) return r;
    r = m3_CallArgv(f, (uint32_t)argc, argv);
    if (r) return r;
    if (m3_GetRetCount(f) == 0 || outlen < 22) return NULL;
    uint64_t v = 0;
    const void *ptrs[1] = { &v };
    if ((r = m3_GetResults(f, 1, ptrs))) return r;
    if (m3_GetRetType(f, 0) == c_m3Type_i32) fmt_i64(out, (int32_t)(uint32_t)v);
    else fmt_i64(out, (int64_t)v);
    return NULL;
}

/* Compiled code only grows between flushes: its high-water is the larger of
 * the amounts seen at each flush and now. */
static uint32_t compiled_peak;
void embed_note_compiled(uint32_t bytes) { if (bytes > compiled_peak) compiled_peak = bytes; }

void embed_stats(embed_stats_t *s) {
    memset(s, 0, sizeof *s);
    s->wasm_bytes = wasm_len;
    s->code_bytes = code_len;
    s->data_bytes = data_len;
    if (mod) {
        s->functions = mod->numFunctions - mod->numFuncImports;
        for (uint32_t i = mod->numFuncImports; i < mod->numFunctions; i++)
            if (mod->functions[i].compiled) s->compiled_functions++;
    }
    if (rt) {
        M3CodePage *lists[2] = { rt->pagesOpen, rt->pagesFull };
        for (int l = 0; l < 2; l++)
            for (M3CodePage *p = lists[l]; p; p = p->info.next) {
                s->code_pages++;
                s->compiled_bytes += sizeof(M3CodePageHeader) + p->info.numLines * sizeof(code_t);
            }
        if (rt->memory.mallocated) s->linear_bytes = rt->memory.mallocated->length;
    }
    embed_note_compiled(s->compiled_bytes);
    s->compiled_peak = compiled_peak;
    s->heap_now = heap_now();
    s->heap_peak = heap_peak();
    s->heap_high_water = hal_heap_high_water ? (uint32_t)hal_heap_high_water() : 0;
    s->stack_peak = hal_stack_peak();
    s->static_ram = hal_static_ram();
}

/* Deepest use of wasm3's value stack (WASM_STACK_BYTES), from the paint:
 * the stack grows up from rt->stack. */
static uint32_t wasm_stack_peak(void) {
    if (!rt || !rt->stack) return 0;
    const uint8_t *b = (const uint8_t *)rt->stack;
    uint32_t n = WASM_STACK_BYTES;
    while (n && b[n - 1] == 0xA5) n--;
    return n;
}

int embed_stats_line(char *buf, size_t len) {
    embed_stats_t s; embed_stats(&s);
    const fmt_pair_t kv[] = {
        {"wasm", s.wasm_bytes}, {"code", s.code_bytes}, {"data", s.data_bytes},
        {"functions", s.functions}, {"compiled_functions", s.compiled_functions},
        {"compiled", s.compiled_bytes}, {"compiled_peak", s.compiled_peak}, {"pages", s.code_pages},
        {"linear", s.linear_bytes}, {"heap", s.heap_now}, {"heap_peak", s.heap_peak}, {"heap_brk", s.heap_high_water},
        {"stack_peak", s.stack_peak}, {"static", s.static_ram}, {"wasm_stack", wasm_stack_peak()},
    };
    return (int)fmt_pairs(buf, len, kv, sizeof kv / sizeof kv[0]);
}

void embed_set_rpc(int on) { rpc_active = on; }
