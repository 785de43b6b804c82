/* Firmware entry shared by the boards: open the module, then run the app
 * (export "main") or the test shell, and report the figures. */
#include <string.h>
#include <stdlib.h>
#include "hal.h"
#include "embed.h"

/* The app in steps, when the module exports them ("step": 1 more, 0 done,
 * < 0 the error it gave up with): between two steps no Wasm frame is
 * active, so wasm3's compiled code can be given back and the next step
 * recompiles only what it uses. The RAM the app needs is then the largest
 * single step's code, not all of it. FLUSH_ABOVE: flush after a step that
 * left more than this many bytes compiled (0: after every step; a large
 * value: never). Modules without "step" run "main" in one call. */
#ifndef FLUSH_ABOVE
#define FLUSH_ABOVE 0
#endif
static const char *run_steps(char *out, size_t outlen) {
    uint64_t busy = hal_busy_instructions ? hal_busy_instructions() : 0;
    for (;;) {
        const char *err = embed_call("step", 0, NULL, out, outlen);
        if (err) return err;
        embed_stats_t s;
        embed_stats(&s);
        if (busy) {   /* the board traces steps: the instructions this one worked, what it compiled */
            char b[24];
            uint64_t now = hal_busy_instructions();
            console_puts("step: "); fmt_u64(b, now - busy); console_puts(b);
            console_puts(" compiled "); fmt_u64(b, s.compiled_bytes); console_puts(b); console_puts("\n");
            busy = now;
        }
        if (atoi(out) <= 0) return NULL;
        if (embed_flush_code && s.compiled_bytes > FLUSH_ABOVE) embed_flush_code();
    }
}

int board_run(const uint8_t *wasm, uint32_t len) {
    const char *err = embed_open(wasm, len);
    if (err) {
        console_puts("error: cannot load the module: "); console_puts(err); console_puts("\n");
        return 2;
    }
    if (strcmp(hal_mode(), "rpc") == 0) return rpc_loop();
    char out[24], line[320];
    err = run_steps(out, sizeof out);
    if (err && !strcmp(err, "function lookup failed")) err = embed_call("main", 0, NULL, out, sizeof out);
    embed_stats_line(line, sizeof line);
    console_puts("stats: "); console_puts(line); console_puts("\n");
    if (err) { console_puts("error: "); console_puts(err); console_puts("\n"); return 3; }
    console_puts("exit: "); console_puts(out[0] ? out : "0"); console_puts("\n");
    return out[0] && strcmp(out, "0") ? 1 : 0;
}
