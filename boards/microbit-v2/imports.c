/* Optional module imports that only this board provides:
 *   env.led_state(state: i32): void   -- the LED matrix indicator (board.h:
 *                                         0 off, 1 joining, 2 handshaking,
 *                                         3 connected, 4 error)
 *   env.button_pressed(): i32          -- 1 when button A was pressed since
 *                                         the last call (send a reading now)
 * The shared embedding (host/wasm3/embed.c) links the common imports right
 * after m3_LoadModule; the board's link line wraps that call
 * (-Wl,--wrap=m3_LoadModule) so these are linked too without touching the
 * shared code. A module that does not import them loads as before. */
#include <stdint.h>
#include "wasm3.h"
#include "board.h"

m3ApiRawFunction(imp_led_state) {
    m3ApiGetArg(int32_t, state);
    board_indicate(state);
    m3ApiSuccess();
}

m3ApiRawFunction(imp_button_pressed) {
    m3ApiReturnType(int32_t);
    m3ApiReturn(board_button_a_pressed());
}

M3Result __real_m3_LoadModule(IM3Runtime runtime, IM3Module module);
M3Result __wrap_m3_LoadModule(IM3Runtime runtime, IM3Module module) {
    M3Result r = __real_m3_LoadModule(runtime, module);
    if (r) return r;
    r = m3_LinkRawFunction(module, "env", "led_state", "v(i)", imp_led_state);
    if (r && r != m3Err_functionLookupFailed) return r;
    r = m3_LinkRawFunction(module, "env", "button_pressed", "i()", imp_button_pressed);
    if (r && r != m3Err_functionLookupFailed) return r;
    return m3Err_none;
}
