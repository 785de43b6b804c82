/* The release module, kept in flash for the module's whole life (wasm3
 * parses it in place; only compiled code and linear memory take RAM). */
    .section .rodata.wasm, "a"
    .balign 4
    .global wasm_module, wasm_module_end
wasm_module:
    .incbin WASM_FILE
wasm_module_end:
