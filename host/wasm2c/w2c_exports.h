/* The export table tools/gen-wasm2c-exports.mjs generates from the header
 * wasm2c writes for the release module (build/<board>-wasm2c/exports.c). */
#ifndef W2C_EXPORTS_H
#define W2C_EXPORTS_H
#include <stdint.h>
#include "wasm-rt.h"

typedef void (*w2c_fn_t)(void);
typedef struct {
    const char *name;
    w2c_fn_t fn;
    uint8_t sig;      /* index of its invoker in w2c_invoke */
    uint8_t argc;
    uint8_t ret;      /* 0 none, 1 i32, 2 i64 */
} w2c_export_t;

extern const w2c_export_t w2c_exports[];   /* sorted by name */
extern const uint32_t w2c_export_count;
extern const uint32_t w2c_module_bytes, w2c_module_fnv;
extern const uint32_t w2c_code_bytes, w2c_data_bytes, w2c_functions;

/* Initialises the module instance (globals, data segments, start function):
 * may trap, so call it under wasm_rt_set_unwind_target. */
void w2c_instantiate(void);
wasm_rt_memory_t *w2c_memory(void);
uint64_t w2c_invoke(uint8_t sig, w2c_fn_t fn, const uint64_t *args);
#endif
