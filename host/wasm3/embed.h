/* The wasm3 embedding shared by every board: load the module, bind the host
 * imports to the HAL, call exports, and measure what the interpreter holds. */
#ifndef EMBED_H
#define EMBED_H
#include <stdint.h>
#include <stddef.h>

typedef struct {
    uint32_t wasm_bytes;        /* the module file */
    uint32_t code_bytes;        /* its code section */
    uint32_t data_bytes;        /* its data segments' payload */
    uint32_t functions;         /* functions defined by the module */
    uint32_t compiled_functions;
    uint32_t compiled_bytes;    /* wasm3 code pages, as allocated */
    uint32_t compiled_peak;     /* their high-water across embed_flush_code calls */
    uint32_t code_pages;
    uint32_t linear_bytes;      /* linear memory actually allocated */
    uint32_t heap_now;
    uint32_t heap_peak;         /* everything wasm3 took from the heap */
    uint32_t heap_high_water;   /* the board's heap break, allocator overhead included */
    uint32_t stack_peak;        /* C stack high-water */
    uint32_t static_ram;        /* firmware data + bss */
} embed_stats_t;

/* Returns NULL on success or a message. */
const char *embed_open(const uint8_t *wasm, uint32_t len);
/* Calls an export with decimal arguments; *out gets the decimal result
 * ("" when the function returns nothing). Returns NULL or the trap. */
const char *embed_call(const char *name, int argc, const char **argv, char *out, size_t outlen);
uint8_t *embed_memory(uint32_t *size);
void embed_stats(embed_stats_t *s);
/* Prints "key=value" pairs for embed_stats on one line into buf. */
int  embed_stats_line(char *buf, size_t len);
/* Frees every compiled function and import stub (flush.c); the next calls
 * recompile lazily. Only between calls. Returns the bytes released. Weak:
 * the wasm2c builds have no compiled code and no flush.c (it is NULL there). */
uint32_t embed_flush_code(void) __attribute__((weak));
/* For flush.c: the runtime; records an amount of compiled code for compiled_peak. */
struct M3Runtime *embed_runtime(void);
void embed_note_compiled(uint32_t bytes);
/* Runs the line-oriented test shell on the console until 'q' or EOF. */
int  rpc_loop(void);
void embed_set_rpc(int on);
/* Small formatting helpers (no printf on the device). */
size_t fmt_u64(char *dst, uint64_t v);
/* "k=v k=v ..." into buf (NUL-terminated, cut at len); returns its length. */
typedef struct { const char *k; uint32_t v; } fmt_pair_t;
size_t fmt_pairs(char *buf, size_t len, const fmt_pair_t *kv, size_t count);
size_t fmt_i64(char *dst, int64_t v);
void   console_puts(const char *s);
#endif
