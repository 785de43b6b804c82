/* Gives wasm3's compiled code back to the heap between host->Wasm calls.
 *
 * wasm3 v0.5.0 compiles a function into code pages at its first call and
 * never frees it. With no Wasm frame active nothing runs from those pages, so
 * they can all go: the next call recompiles, lazily, what it uses
 * (m3_FindFunction compiles the export when `compiled` is NULL; op_Compile and
 * op_CallIndirect compile callees the same way). What points into the pages,
 * and what is done about it:
 *   - M3Function.compiled of every function with a body: set to NULL;
 *   - the imports' raw-call stubs (m3_bind.c LinkRawFunction writes 4 words,
 *     op_CallRawFunction, the C function, the M3Function, userdata, into a
 *     code page): saved, then written word for word into one fresh page
 *     (linking again by name cost ~80 K instructions per flush: every import
 *     name against every function, each signature parsed again; this ~12 K);
 *   - call sites (op_Call operands) live in the pages themselves: freed with them;
 *   - M3Function.constants (copied at every compile, so a recompile would leak
 *     the old copy): freed;
 *   - runtime->lastCalled (a function, not code, but m3_GetResults trusts it): cleared.
 * embed.c keeps no IM3Function across calls (embed_call looks the export up
 * each time), and nothing else caches code pointers (no backtraces, no code
 * page ref counting in this configuration).
 * The pages are freed, not parked in the environment's pagesReleased pool:
 * heap.c merges the holes and the next compile takes them back, so the peak
 * is the same and the RAM is free for anything else in between.
 * Call only between calls (never from an import). */
#include "wasm3.h"
#include "m3_env.h"
#include "m3_function.h"
#include "m3_code.h"
#include "embed.h"

static uint32_t pages_bytes(IM3CodePage p) {
    uint32_t n = 0;
    for (; p; p = p->info.next) n += sizeof(M3CodePageHeader) + p->info.numLines * sizeof(code_t);
    return n;
}

#define STUB_WORDS 4
#define MAX_STUBS  32      /* release.wasm imports 12 functions, device.wasm 14 */

uint32_t embed_flush_code(void) {
    IM3Runtime rt = embed_runtime();
    if (!rt || !rt->modules || rt->numActiveCodePages) return 0;   /* a compile in progress: not now */
    /* The stubs are saved on the stack, so that the old pages go before the
     * new one is taken: it lands where the code began, not above the hole
     * (taking it first left the heap break 1 KB higher after a few cycles). */
    code_t saved[MAX_STUBS][STUB_WORDS];
    uint32_t stubs = 0;
    for (IM3Module m = rt->modules; m; m = m->next)
        for (uint32_t i = 0; i < m->numFunctions; i++) {
            IM3Function f = &m->functions[i];
            if (f->wasm || !f->compiled) continue;
            if (stubs == MAX_STUBS) return 0;                  /* more imports than we can carry */
            for (int w = 0; w < STUB_WORDS; w++) saved[stubs][w] = f->compiled[w];
            stubs++;
        }
    uint32_t bytes = pages_bytes(rt->pagesOpen) + pages_bytes(rt->pagesFull);
    embed_note_compiled(bytes);
    FreeCodePages(&rt->pagesOpen);
    FreeCodePages(&rt->pagesFull);
    rt->numCodePages = 0;
    rt->lastCalled = NULL;
    IM3CodePage page = stubs ? AcquireCodePageWithCapacity(rt, stubs * STUB_WORDS) : NULL;
    uint32_t k = 0;
    for (IM3Module m = rt->modules; m; m = m->next) {
        for (uint32_t i = 0; i < m->numFunctions; i++) {
            IM3Function f = &m->functions[i];
            if (f->wasm) {              /* recompiled lazily */
                f->compiled = NULL;
                if (f->constants) m3_Free(f->constants);
                f->numConstantBytes = 0;
            } else if (f->compiled) {   /* an import: its stub again, same order */
                f->compiled = page ? GetPagePC(page) : NULL;
                if (page) for (int w = 0; w < STUB_WORDS; w++) EmitWord(page, saved[k][w]);
                k++;
            }
        }
    }
    /* Without the page (no memory) the imports stay unlinked: a later call
     * to one fails to compile ("function body is missing"), nothing crashes. */
    if (page) ReleaseCodePage(rt, page);
    return bytes;
}
