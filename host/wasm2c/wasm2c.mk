# The wasm2c engine (issue 8): build/release.wasm translated ahead of time to C
# by Debian's wabt (wasm2c 1.0.32) and compiled into the firmware with our own
# runtime (host/wasm2c/wasm_rt_device.c). Boards select it with ENGINE=wasm2c
# and build into <board>-wasm2c folders, so both engines can coexist.
ifndef WASM2C_MK
WASM2C_MK := 1
ENGINE        ?= wasm3
WASM2C        ?= wasm2c
W2C_GEN       := build/wasm2c
# Depth limit of Wasm calls (the generated code counts them): AssemblyScript
# code here nests a few dozen deep; the C stack is what really bounds it.
W2C_MAX_DEPTH ?= 256
W2C_DEFS      := -DLINEAR_MEMORY_LIMIT=$(LINEAR_MEMORY) -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 \
                 -DWASM_RT_USE_STACK_DEPTH_COUNT=1 -DWASM_RT_MAX_CALL_STACK_DEPTH=$(W2C_MAX_DEPTH)
W2C_CFLAGS    := $(W2C_DEFS) -I$(W2C_GEN) -Ihost/wasm2c -Ihost/wasm3
W2C_HOST_SRCS := host/wasm3/rpc.c host/wasm3/main.c host/wasm2c/embed_wasm2c.c host/wasm2c/wasm_rt_device.c
W2C_HDRS      := host/wasm2c/*.h host/wasm3/embed.h host/wasm3/hal.h

# One translation for every board: module.c/module.h (prefix Z_release_),
# the export table, wasm-rt.h next to them (cross compilers do not search
# /usr/include), and an empty file for the boards' wasm.S (no module bytes
# in flash: the code is the translation).
$(W2C_GEN)/module.c: build/release.wasm
	@mkdir -p $(@D)
	$(WASM2C) $< -n release -o $@
	cp /usr/include/wasm-rt.h $(@D)/wasm-rt.h
	: > $(@D)/empty.bin
$(W2C_GEN)/module.h $(W2C_GEN)/wasm-rt.h $(W2C_GEN)/empty.bin: $(W2C_GEN)/module.c
$(W2C_GEN)/exports.c: $(W2C_GEN)/module.c tools/gen-wasm2c-exports.mjs
	node tools/gen-wasm2c-exports.mjs $(W2C_GEN)/module.h build/release.wasm $@

# $(call wasm2c_objs,OUTDIR,CC,CFLAGS): the translated module and its export
# table compiled for one board (warnings off for generated code; NDEBUG drops
# its asserts).
define wasm2c_objs
$(1)/w2c/module.o: $(W2C_GEN)/module.c host/wasm2c/wasm2c.mk
	@mkdir -p $$(dir $$@)
	$(2) $(3) $(W2C_CFLAGS) -DNDEBUG -w -c $$< -o $$@
$(1)/w2c/exports.o: $(W2C_GEN)/exports.c host/wasm2c/w2c_exports.h
	@mkdir -p $$(dir $$@)
	$(2) $(3) $(W2C_CFLAGS) -DNDEBUG -w -c $$< -o $$@
endef
w2c_obj_list = $(1)/w2c/module.o $(1)/w2c/exports.o
# -DW2C_TEXT_BYTES: flash taken by the translated code (its object's text).
w2c_text = -DW2C_TEXT_BYTES=$$($(1) -B $(2)/w2c/module.o | awk 'NR==2{print $$1}')
endif
