/* The micro:bit's optional imports (boards/microbit-v2/imports.c does the
 * same for wasm3) for the wasm2c engine: env.led_state(state) and
 * env.button_pressed(). Linked into the micro:bit's ENGINE=wasm2c build; a
 * module that does not import them leaves them to --gc-sections. */
#include <stdint.h>
#include "board.h"

struct Z_env_instance_t;
void Z_envZ_led_state(struct Z_env_instance_t *e, uint32_t state) { (void)e; board_indicate((int)state); }
uint32_t Z_envZ_button_pressed(struct Z_env_instance_t *e) { (void)e; return (uint32_t)board_button_a_pressed(); }
