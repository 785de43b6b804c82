# wasm3 configured for the device (../shared/notes/FIELD-NOTES.md section 1),
# shared by every board so that host tests run the interpreter the device runs.
WASM3_DIR     := build/wasm3
WASM3_FILES   := m3_bind m3_code m3_compile m3_core m3_emit m3_env m3_exec m3_function m3_info m3_module m3_parse
WASM3_SRCS    := $(patsubst %,$(WASM3_DIR)/%.c,$(WASM3_FILES))
# The sources appear when setup has fetched them.
$(WASM3_SRCS): | $(STAMP)
	@test -f $@
LINEAR_MEMORY := $(shell node -p 'require("./asconfig.json").targets.release.lowMemoryLimit')
# Knobs measured on mps2 with the telemetry demo at 1 MB (make demo DEMO_RAM=1024K,
# total RAM need, allocator of heap.c): code pages of 1024 B 215,056 B,
# 2048 B + d_m3MaxDuplicateFunctionImpl=2 210,304 B, 4096 B 212,080 B (the
# last, partly used page costs more than the saved page headers).
# d_m3MaxDuplicateFunctionImpl: export names kept per function; 2, not 1,
# because release.wasm exports one function twice (io_size, x509_cert_max); a
# third alias would not be found by m3_FindFunction. 4 B less per M3Function.
# WASM_STACK_BYTES: the demo's TLS handshake reaches 3,448 B of the 4,096
# (stats wasm_stack), so it stays.
WASM3_DEFS    := -Dd_m3CodePageAlignSize=2048 -Dd_m3MaxFunctionStackHeight=256 -Dd_m3MaxDuplicateFunctionImpl=2 \
                 -Dd_m3VerboseErrorMessages=0 -Dd_m3HasFloat=0 \
                 -DLINEAR_MEMORY_LIMIT=$(LINEAR_MEMORY) -DWASM_STACK_BYTES=4096
WASM3_CFLAGS  := $(WASM3_DEFS) -I$(WASM3_DIR) -Ihost/wasm3
# Only the interpreter's own allocations go through the counting allocator.
WASM3_ONLY    := -include host/wasm3/heap.h -Wno-unused-parameter -Wno-unused-function \
                 -Wno-unused-variable -Wno-unused-but-set-variable

# $(call wasm3_objs,OUTDIR,CC,CFLAGS): one object per wasm3 source, per board.
define wasm3_objs
$(1)/wasm3/%.o: $(WASM3_DIR)/%.c host/wasm3/heap.h host/wasm3/wasm3.mk | $(STAMP)
	@mkdir -p $$(dir $$@)
	$(2) $(3) $(WASM3_CFLAGS) $(WASM3_ONLY) -c $$< -o $$@
endef
wasm3_obj_list = $(patsubst $(WASM3_DIR)/%.c,$(1)/wasm3/%.o,$(WASM3_SRCS))
HOST_SRCS     := host/wasm3/embed.c host/wasm3/rpc.c host/wasm3/main.c host/wasm3/heap.c host/wasm3/console.c host/wasm3/flush.c
