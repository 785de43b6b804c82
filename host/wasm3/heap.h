/* Counting allocator for wasm3's heap (code pages, runtime, linear memory).
 * Force-included (-include) into the wasm3 sources only, so the figures are
 * exactly what the interpreter takes from the board's heap. */
#ifndef HEAP_H
#define HEAP_H
#include <stdlib.h>
#include <stddef.h>

void *heap_calloc(size_t n, size_t size);
void *heap_realloc(void *p, size_t size);
void  heap_free(void *p);
size_t heap_now(void);
size_t heap_peak(void);
void   heap_reset_peak(void);

#ifndef HEAP_IMPL
#define calloc  heap_calloc
#define realloc heap_realloc
#define free    heap_free
#define malloc(n) heap_calloc(1, (n))
#endif
#endif
