/* Each block carries an 8-byte header with its size; live and peak bytes
 * include the headers, so the peak is what the interpreter really holds. */
#define HEAP_IMPL
#include "heap.h"
#include <string.h>
#include <stdint.h>

#define HDR 8u
static size_t live, peak;

static void account(size_t add, size_t sub) {
    live = live + add - sub;
    if (live > peak) peak = live;
}

void *heap_calloc(size_t n, size_t size) {
    size_t bytes = n * size;
    if (size && bytes / size != n) return NULL;
    uint8_t *b = (uint8_t *)calloc(1, bytes + HDR);
    if (!b) return NULL;
    *(size_t *)b = bytes;
    account(bytes + HDR, 0);
    return b + HDR;
}

void heap_free(void *p) {
    if (!p) return;
    uint8_t *b = (uint8_t *)p - HDR;
    account(0, *(size_t *)b + HDR);
    free(b);
}

void *heap_realloc(void *p, size_t size) {
    if (!p) return heap_calloc(1, size);
    uint8_t *b = (uint8_t *)p - HDR;
    size_t old = *(size_t *)b;
    uint8_t *nb = (uint8_t *)realloc(b, size + HDR);
    if (!nb) return NULL;
    *(size_t *)nb = size;
    account(size + HDR, old + HDR);
    return nb + HDR;
}

size_t heap_now(void) { return live; }
size_t heap_peak(void) { return peak; }
void heap_reset_peak(void) { peak = live; }
