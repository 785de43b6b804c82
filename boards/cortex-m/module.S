/* The module's bytes in flash for the module's whole life (wasm3 parses them
 * in place: only compiled code and linear memory take RAM). WASM_FILE comes
 * from the link line; the wasm2c builds give an empty file (the module is
 * the translated code). Included by each board's wasm.S. */
    .section .rodata.wasm, "a"
    .balign 4
    .global wasm_module, wasm_module_end
wasm_module:
    .incbin WASM_FILE
wasm_module_end:
