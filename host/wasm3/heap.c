/* wasm3's allocator: our own, over memory taken from the board's sbrk (a
 * static pool on the native host), instead of newlib's malloc.
 *
 * Why: the boards link newlib-nano (--specs=nano.specs), whose realloc is
 * always malloc + copy + free, never in place. wasm3 grows its function table
 * one M3Function at a time (m3_module.c Module_AddFunction realloc's
 * numFunctions + 1 entries per function), so loading build/release.wasm
 * (440 functions) left a trail of freed ever-smaller copies below the table:
 * mps2, before any call: 70,483 B live, heap break 121,408 B (51 KB lost).
 * Here a block that is the last one of the arena grows in place, and a block
 * followed by a free block absorbs it, so the table grows without copying and
 * the break follows the live bytes: 70,616 B live, break 70,648 B (with the
 * wasm3.mk knobs). The firmware's main run (make size): heap 121,408 -> 77,432 B,
 * total RAM 124,672 -> 80,696 B of 128 KB. The telemetry demo's need (make
 * demo DEMO_RAM=1024K, compiled code dominates): 217,864 -> 210,304 B.
 *
 * Blocks: an 8-byte header {size of this block, size of the previous block}
 * (sizes include the header, multiples of 8, bit 0 of size = in use), then the
 * payload. Free blocks are in a doubly linked list (best fit) and are merged
 * with free neighbours; a free block never touches the arena top (it is given
 * back to the top instead). If sbrk returns memory that does not follow the
 * arena (someone else took some), a new arena starts there and the old one is
 * closed with an in-use fence header.
 *
 * live/peak count whole blocks with headers (what the interpreter holds);
 * heap_brk (hal_heap_high_water) reports the real break, which includes the
 * arena and its free holes. Build with -DHEAP_TRACE to print every call. */
#define HEAP_IMPL
#include "heap.h"
#include <string.h>
#include <stdint.h>
#ifdef HEAP_TRACE
#include <stdio.h>
#include "hal.h"
#define TRACE(...) do { char t_[80]; int n_ = snprintf(t_, sizeof t_, __VA_ARGS__); \
    hal_console_write((const uint8_t *)t_, n_ < (int)sizeof t_ ? (size_t)n_ : sizeof t_ - 1); } while (0)
#endif

typedef struct blk { uint32_t size, prev; } blk;       /* header: 8 bytes */
typedef struct fblk { blk h; struct fblk *next, *prevf; } fblk;
#define HDR      ((uint32_t)sizeof(blk))
#define USED     1u
#define SZ(b)    ((b)->size & ~USED)
#define MINBLK   ((uint32_t)((sizeof(fblk) + 7u) & ~7u))
#define NEXT(b)  ((blk *)((uint8_t *)(b) + SZ(b)))
#define PREV(b)  ((blk *)((uint8_t *)(b) - (b)->prev))

static uint8_t *top, *end;     /* current arena: blocks below top, room up to end */
static fblk *frees;
static size_t live, peak;

#if defined(__arm__) && !defined(__linux__)
extern void *_sbrk(ptrdiff_t inc);
static void *more(size_t n) { void *p = _sbrk((ptrdiff_t)n); return p == (void *)-1 ? NULL : p; }
#else
/* Native host: a lazily touched pool stands in for the board's RAM. */
static uint8_t pool[64u << 20] __attribute__((aligned(8)));
static size_t pool_used;
static void *more(size_t n) {
    if (n > sizeof pool - pool_used) return NULL;
    pool_used += n;
    return pool + pool_used - n;
}
#endif

static void account(size_t add, size_t sub) {
    live = live + add - sub;
    if (live > peak) peak = live;
}

static void unlink_free(fblk *f) {
    if (f->prevf) f->prevf->next = f->next; else frees = f->next;
    if (f->next) f->next->prevf = f->prevf;
}

static void link_free(fblk *f) {
    f->h.size &= ~USED;
    f->prevf = NULL;
    f->next = frees;
    if (frees) frees->prevf = f;
    frees = f;
}

/* Makes room for n more bytes at the top (keeping HDR spare for the header
 * of the top / a fence). */
static int grow(uint32_t n) {
    if (top && (size_t)(end - top) >= (size_t)n + HDR) return 1;
    size_t want = top ? (size_t)n + HDR - (size_t)(end - top) : (size_t)n + HDR + 8;
    want = (want + 7u) & ~(size_t)7u;
    uint8_t *p = (uint8_t *)more(want);
    if (!p) return 0;
    if (top) {
        if (p == end) { end += want; return 1; }
        /* Someone else moved the break: fence off this arena (its last
         * block never merges past it) and start a new one. */
        ((blk *)top)->size = USED;
        top = NULL;
        return grow(n);
    }
    top = (uint8_t *)(((uintptr_t)p + 7u) & ~(uintptr_t)7u);
    end = p + want;
    *(blk *)top = (blk){0, 0};               /* first block: no previous */
    return 1;
}

/* Carves a block of `need` bytes at the top of the arena. */
static void heap_free_block(blk *b);

static blk *from_top(uint32_t need) {
    if (!grow(need)) return NULL;
    blk *b = (blk *)top;
    uint32_t prev = b->prev;                 /* stored by whoever set top */
    b->size = need | USED;
    b->prev = prev;
    top += need;
    ((blk *)top)->prev = need;               /* within the HDR spare */
    return b;
}

/* Shrinks used block b to `need`, freeing the rest if it is big enough. */
static void split(blk *b, uint32_t need) {
    uint32_t sz = SZ(b);
    if (sz - need < MINBLK) return;
    b->size = need | USED;
    blk *r = NEXT(b);
    r->size = (sz - need) | USED;
    r->prev = need;
    heap_free_block(r);
}

/* Frees block b: merged with free neighbours, or given back to the top. */
static void heap_free_block(blk *b) {
    b->size &= ~USED;
    blk *n = NEXT(b);
    if ((uint8_t *)n != top && !(n->size & USED)) {
        unlink_free((fblk *)n);
        b->size += n->size;
    }
    if (b->prev) {
        blk *p = PREV(b);
        if (!(p->size & USED)) {
            unlink_free((fblk *)p);
            p->size += b->size;
            b = p;
        }
    }
    n = NEXT(b);
    if ((uint8_t *)n == top) {
        top = (uint8_t *)b;                  /* b->prev stays: top's prev */
        return;
    }
    n->prev = b->size;
    link_free((fblk *)b);
}

static uint32_t need_for(size_t bytes) {
    if (bytes > 0x7fff0000u) return 0;
    uint32_t need = ((uint32_t)bytes + HDR + 7u) & ~7u;
    return need < MINBLK ? MINBLK : need;
}

static blk *alloc_block(uint32_t need) {
    fblk *best = NULL;
    for (fblk *f = frees; f; f = f->next)
        if (f->h.size >= need && (!best || f->h.size < best->h.size)) {
            best = f;
            if (f->h.size == need) break;
        }
    if (!best) return from_top(need);
    unlink_free(best);
    best->h.size |= USED;
    split(&best->h, need);
    return &best->h;
}

void *heap_calloc(size_t n, size_t size) {
    size_t bytes = n * size;
    if (size && bytes / size != n) return NULL;
    uint32_t need = need_for(bytes);
    if (!need) return NULL;
    blk *b = alloc_block(need);
    if (!b) return NULL;
    account(SZ(b), 0);
    memset(b + 1, 0, SZ(b) - HDR);
#ifdef HEAP_TRACE
    TRACE("heap: alloc %u -> %p live %u\n", (unsigned)bytes, (void *)(b + 1), (unsigned)live);
#endif
    return b + 1;
}

void heap_free(void *p) {
    if (!p) return;
    blk *b = (blk *)p - 1;
    account(0, SZ(b));
#ifdef HEAP_TRACE
    TRACE("heap: free %p (%u)\n", p, (unsigned)SZ(b));
#endif
    heap_free_block(b);
}

void *heap_realloc(void *p, size_t size) {
    if (!p) return heap_calloc(1, size);
    blk *b = (blk *)p - 1;
    uint32_t old = SZ(b), need = need_for(size);
    if (!need) return NULL;
#ifdef HEAP_TRACE
    TRACE("heap: realloc %p %u -> %u\n", p, (unsigned)(old - HDR), (unsigned)size);
#endif
    if (need <= old) {                       /* shrink in place */
        split(b, need);
        account(SZ(b), old);
        return p;
    }
    blk *n = NEXT(b);
    if ((uint8_t *)n == top) {               /* last block: grow the top */
        uint8_t *t = top;                    /* (unless grow starts a new arena) */
        if (grow(need - old) && top == t) {
            top += need - old;
            b->size = need | USED;
            ((blk *)top)->prev = need;
            account(need, old);
            return p;
        }
    } else if (!(n->size & USED) && old + n->size >= need) {
        unlink_free((fblk *)n);              /* absorb the free neighbour */
        b->size = (old + n->size) | USED;
        NEXT(b)->prev = SZ(b);
        if ((uint8_t *)NEXT(b) == top) ((blk *)top)->prev = SZ(b);
        split(b, need);
        account(SZ(b), old);
        return p;
    }
    void *q = heap_calloc(1, size);
    if (!q) return NULL;
    memcpy(q, p, old - HDR);
    heap_free(p);
    return q;
}

size_t heap_now(void) { return live; }
size_t heap_peak(void) { return peak; }
void heap_reset_peak(void) { peak = live; }
