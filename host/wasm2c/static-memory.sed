# Applied to wasm2c's output (host/wasm2c/wasm2c.mk): the module's one linear
# memory is the runtime's static array w2c_linear_memory of exactly
# LINEAR_MEMORY_LIMIT bytes (wasm_rt_device.c checks this when the memory is
# set up), so the bounds checks compare with a constant and loads/stores
# address a constant base instead of reloading size and data from the
# instance on every access. Checks stay exactly as strict.
s|^\(#include "module.h"\)$|\1\nextern uint8_t w2c_linear_memory[];|
s|if (UNLIKELY(offset + (uint64_t)len > mem->size)) \\|if (UNLIKELY(offset + (uint64_t)len > LINEAR_MEMORY_LIMIT)) \\|
s|wasm_rt_memcpy(&result, &mem->data\[addr\], sizeof(t1));|wasm_rt_memcpy(\&result, \&w2c_linear_memory[addr], sizeof(t1));|
s|wasm_rt_memcpy(&mem->data\[addr\], &wrapped, sizeof(t1));|wasm_rt_memcpy(\&w2c_linear_memory[addr], \&wrapped, sizeof(t1));|
s|memset(mem->data + d, val, n);|memset(w2c_linear_memory + d, val, n);|
s|memmove(dest->data + dest_addr, src->data + src_addr, n);|memmove(w2c_linear_memory + dest_addr, w2c_linear_memory + src_addr, n);|
