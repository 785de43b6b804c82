# The wasm2c engine (issue 8): build/release.wasm translated ahead of time to C
# by Debian's wabt (wasm2c 1.0.32) and compiled into the firmware with our own
# runtime (host/wasm2c/wasm_rt_device.c). Boards select it with ENGINE=wasm2c
# and build into <board>-wasm2c folders, so both engines can coexist.
ifndef WASM2C_MK
WASM2C_MK := 1
ENGINE        ?= wasm3
WASM2C        ?= wasm2c
W2C_GEN       := build/wasm2c
# Depth limit of Wasm calls (the generated code counts them); the C stack
# each frame takes is measured by the boards' stack_peak.
W2C_MAX_DEPTH ?= 256
# The translated code is built for speed (flash is plentiful without wasm3 and
# the module bytes): -O2 after the board's flags. Measured on mps2-an386 with
# the module of 2026-11-25: -O2 111.8 KB firmware text, X25519 3.6 M
# instructions; -Os 92.4 KB, 5.4 M.
W2C_OPT       ?= -O2
W2C_DEFS      := -DLINEAR_MEMORY_LIMIT=$(LINEAR_MEMORY) -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0 \
                 -DWASM_RT_USE_STACK_DEPTH_COUNT=1 -DWASM_RT_MAX_CALL_STACK_DEPTH=$(W2C_MAX_DEPTH)
w2c_cflags     = $(W2C_DEFS) -I$(1) -Ihost/wasm2c -Ihost/wasm3
W2C_CFLAGS    := $(call w2c_cflags,$(W2C_GEN))
W2C_HOST_SRCS := host/wasm3/rpc.c host/wasm3/main.c host/wasm3/console.c host/wasm2c/embed_wasm2c.c host/wasm2c/wasm_rt_device.c
W2C_HDRS      := host/wasm2c/*.h host/wasm3/embed.h host/wasm3/hal.h

# $(call wasm2c_gen,GENDIR,WASM): one translation shared by every board:
# module.c/module.h (prefix Z_release_), the export table, wasm-rt.h next to
# them (cross compilers do not search /usr/include), and an empty file for the
# boards' wasm.S (no module bytes in flash: the code is the translation).
define wasm2c_gen
$(1)/module.c: $(2) host/wasm2c/static-memory.sed
	@mkdir -p $$(@D)
	$(WASM2C) $$< -n release -o $$@
	sed -i -f host/wasm2c/static-memory.sed $$@
	@test $$$$(grep -c "w2c_linear_memory\|> LINEAR_MEMORY_LIMIT" $$@) -eq 6 || { echo "static-memory.sed did not apply to this wasm2c's output"; rm -f $$@; exit 1; }
	cp /usr/include/wasm-rt.h $$(@D)/wasm-rt.h
	: > $$(@D)/empty.bin
$(1)/module.h $(1)/wasm-rt.h $(1)/empty.bin: $(1)/module.c
$(1)/exports.c: $(1)/module.c tools/gen-wasm2c-exports.mjs
	node tools/gen-wasm2c-exports.mjs $(1)/module.h $(2) $$@
endef
$(eval $(call wasm2c_gen,$(W2C_GEN),build/release.wasm))

# $(call wasm2c_objs,OUTDIR,CC,CFLAGS[,GENDIR]): the translated module and its
# export table compiled for one board (warnings off for generated code;
# NDEBUG drops its asserts).
define wasm2c_objs
$(1)/w2c/module.o: $(or $(4),$(W2C_GEN))/module.c host/wasm2c/wasm2c.mk
	@mkdir -p $$(dir $$@)
	$(2) $(3) $(W2C_OPT) $(call w2c_cflags,$(or $(4),$(W2C_GEN))) -DNDEBUG -w -c $$< -o $$@
$(1)/w2c/exports.o: $(or $(4),$(W2C_GEN))/exports.c host/wasm2c/w2c_exports.h
	@mkdir -p $$(dir $$@)
	$(2) $(3) $(W2C_OPT) $(call w2c_cflags,$(or $(4),$(W2C_GEN))) -DNDEBUG -w -c $$< -o $$@
endef
w2c_obj_list = $(1)/w2c/module.o $(1)/w2c/exports.o
# -DW2C_TEXT_BYTES: flash taken by the translated code (its object's text).
w2c_text = -DW2C_TEXT_BYTES=$$($(1) -B $(2)/w2c/module.o | awk 'NR==2{print $$1}')

# A tiny module for the runtime's trap paths, on the native board only
# (tests/wasm2c.test.ts): build/native-wasm2c-traps/board.
W2C_TRAPS_GEN := build/wasm2c-traps
$(W2C_TRAPS_GEN)/traps.wasm: host/wasm2c/traps.wat
	@mkdir -p $(@D)
	wat2wasm $< -o $@
$(eval $(call wasm2c_gen,$(W2C_TRAPS_GEN),$(W2C_TRAPS_GEN)/traps.wasm))
endif
