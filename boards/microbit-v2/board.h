/* micro:bit v2 board functions beyond host/wasm3/hal.h: the LED matrix as a
 * state indicator, button A, the ESP8266's EN/RST lines and the NFC pins
 * they share. The first two reach the module through hal_indicate and
 * hal_button_pressed (imports env.led_state, env.button_pressed). */
#ifndef MICROBIT_BOARD_H
#define MICROBIT_BOARD_H
#include <stdint.h>

/* Indicator states shown on the 5x5 LED matrix. Joining and handshaking
 * blink (the board is busy), connected and error stay lit. */
enum board_state {
    BOARD_STATE_OFF = 0,
    BOARD_STATE_JOINING = 1,      /* WiFi join in progress: a diamond */
    BOARD_STATE_HANDSHAKING = 2,  /* TLS handshake: a padlock */
    BOARD_STATE_CONNECTED = 3,    /* reading accepted: a tick */
    BOARD_STATE_ERROR = 4,        /* a cross */
    BOARD_STATE_COUNT
};
void board_indicate(int state);

/* Button A (P0.14, active low): its level now, and whether it was pressed
 * (debounced) since the last call. */
int  board_button_a(void);
int  board_button_a_pressed(void);

/* 1 when P0.09/P0.10 (edge P9/P8) work as GPIO, 0 while UICR.NFCPINS still
 * gives them to the NFC antenna (the erased default). */
int  board_nfc_pins_are_gpio(void);
/* Clears UICR.NFCPINS.PROTECT through the NVMC and resets the chip so that
 * P8/P9 become GPIO. Does nothing when they already are. One-way until the
 * UICR is erased (pyocd erase --mass or a DAPLink drag-and-drop of a hex
 * that erases it). Called at every boot (hal_init): it writes only the first
 * time. The ESP8266's EN (P8) and RST (P9) are then driven by hal_init (EN
 * high, RST released) and hal_modem_reset (host/wasm3/hal.h: RST pulsed). */
void board_free_nfc_pins(void);

/* UARTE error events (overrun, framing, break) counted by the RX handlers. */
uint32_t board_uart_errors(int modem);
#endif
