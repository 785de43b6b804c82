/* Firmware entry shared by the boards: open the module, then run the app
 * (export "main") or the test shell, and report the figures. */
#include <string.h>
#include "hal.h"
#include "embed.h"

int board_run(const uint8_t *wasm, uint32_t len) {
    const char *err = embed_open(wasm, len);
    if (err) {
        console_puts("error: cannot load the module: "); console_puts(err); console_puts("\n");
        return 2;
    }
    if (strcmp(hal_mode(), "rpc") == 0) return rpc_loop();
    char out[24], line[320];
    err = embed_call("main", 0, NULL, out, sizeof out);
    embed_stats_line(line, sizeof line);
    console_puts("stats: "); console_puts(line); console_puts("\n");
    if (err) { console_puts("error: "); console_puts(err); console_puts("\n"); return 3; }
    console_puts("exit: "); console_puts(out[0] ? out : "0"); console_puts("\n");
    return out[0] && strcmp(out, "0") ? 1 : 0;
}
