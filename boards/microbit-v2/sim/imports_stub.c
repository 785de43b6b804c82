/* Stand-ins for the board functions behind imports.c, so that
 * tests/microbit.test.ts can link imports.c into the native wasm3 board
 * (with -Wl,--wrap=m3_LoadModule, as on the device) and check that a module's
 * env.led_state / env.button_pressed calls reach the board. */
#include <stdio.h>
void board_indicate(int state) { printf("board_indicate %d\n", state); }
int board_button_a_pressed(void) { puts("board_button_a_pressed"); return 7; }
