# boards/mps2-an386: the firmware for QEMU's Cortex-M4 board, 128 KB of RAM.
MPS2_DIR    := build/mps2-an386
MPS2_ELF    := $(MPS2_DIR)/firmware.elf
MPS2_BENCH_ELF := $(MPS2_DIR)/firmware-bench.elf
ARM_CC      := arm-none-eabi-gcc
ARM_SIZE    := arm-none-eabi-size
ARM_CFLAGS  := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -g \
               -std=gnu11 -ffunction-sections -fdata-sections -Wall -Wno-unused-parameter
ARM_LDFLAGS := --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -nostartfiles
$(eval $(call wasm3_objs,$(MPS2_DIR),$(ARM_CC),$(ARM_CFLAGS)))
include host/wasm2c/wasm2c.mk
ifneq ($(ENGINE),wasm2c)
mps2: $(MPS2_ELF) $(MPS2_BENCH_ELF)
endif
$(MPS2_ELF): $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) host/wasm3/*.h boards/mps2-an386/*.c \
             boards/mps2-an386/wasm.S boards/mps2-an386/link.ld build/release.wasm
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) $(WASM3_CFLAGS) $(ARM_LDFLAGS) -Tboards/mps2-an386/link.ld \
	  -DWASM_FILE='"build/release.wasm"' \
	  $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@ -Wl,-Map=$(MPS2_DIR)/firmware.map
	$(ARM_SIZE) $@

# The benchmark build: the same firmware with 1 MB of RAM, so that a whole
# module's compiled code fits at once. Benchmarks count instructions, which
# the RAM size does not change; RAM is measured on the 128 KB build above
# (make size, make demo), never on this one.
$(MPS2_DIR)/link-bench.ld: boards/mps2-an386/link.ld
	@mkdir -p $(dir $@)
	sed 's/LENGTH = 128K/LENGTH = 1024K/' $< > $@
$(MPS2_BENCH_ELF): $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) host/wasm3/*.h boards/mps2-an386/*.c \
             boards/mps2-an386/wasm.S $(MPS2_DIR)/link-bench.ld build/release.wasm
	$(ARM_CC) $(ARM_CFLAGS) $(WASM3_CFLAGS) $(ARM_LDFLAGS) -T$(MPS2_DIR)/link-bench.ld \
	  -DWASM_FILE='"build/release.wasm"' \
	  $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@

# ENGINE=wasm2c: the same module translated ahead of time (host/wasm2c); no
# heap is used, linear memory is a static array (in .bss).
MPS2_W2C_DIR := build/mps2-an386-wasm2c
MPS2_W2C_ELF := $(MPS2_W2C_DIR)/firmware.elf
$(eval $(call wasm2c_objs,$(MPS2_W2C_DIR),$(ARM_CC),$(ARM_CFLAGS)))
$(MPS2_W2C_ELF): $(call w2c_obj_list,$(MPS2_W2C_DIR)) $(W2C_HOST_SRCS) $(W2C_HDRS) boards/mps2-an386/*.c \
                 boards/mps2-an386/wasm.S boards/mps2-an386/link.ld $(W2C_GEN)/empty.bin
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) $(W2C_CFLAGS) $(call w2c_text,$(ARM_SIZE),$(MPS2_W2C_DIR)) $(ARM_LDFLAGS) \
	  -Tboards/mps2-an386/link.ld -DWASM_FILE='"$(W2C_GEN)/empty.bin"' \
	  $(call w2c_obj_list,$(MPS2_W2C_DIR)) $(W2C_HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@ -Wl,-Map=$(MPS2_W2C_DIR)/firmware.map
	$(ARM_SIZE) $@
ifeq ($(ENGINE),wasm2c)
mps2: $(MPS2_W2C_ELF)
endif
# The telemetry demo (build/device.wasm, tools/app.mk) under wasm2c on the
# 128 KB board: build/demo-wasm2c/firmware.elf, run by
# runDemo({ board: "mps2-an386", firmware }) from tools/demo.ts. The app's
# linear memory budget must be the release one (static-memory.sed bakes it in).
MPS2_W2C_DEMO := build/demo-wasm2c
$(eval $(call wasm2c_gen,$(MPS2_W2C_DEMO)/gen,build/device.wasm))
$(eval $(call wasm2c_objs,$(MPS2_W2C_DEMO),$(ARM_CC),$(ARM_CFLAGS),$(MPS2_W2C_DEMO)/gen))
.PHONY: demo-wasm2c-firmware
demo-wasm2c-firmware: $(MPS2_W2C_DEMO)/firmware.elf
$(MPS2_W2C_DEMO)/firmware.elf: $(call w2c_obj_list,$(MPS2_W2C_DEMO)) $(W2C_HOST_SRCS) $(W2C_HDRS) boards/mps2-an386/*.c \
                               boards/mps2-an386/wasm.S boards/mps2-an386/link.ld
	$(if $(filter-out $(LINEAR_MEMORY),$(APP_LINEAR)),$(error wasm2c demo: APP_LINEAR must be $(LINEAR_MEMORY)))
	$(ARM_CC) $(ARM_CFLAGS) $(call w2c_cflags,$(MPS2_W2C_DEMO)/gen) $(call w2c_text,$(ARM_SIZE),$(MPS2_W2C_DEMO)) $(ARM_LDFLAGS) \
	  -Tboards/mps2-an386/link.ld -DWASM_FILE='"$(MPS2_W2C_DEMO)/gen/empty.bin"' \
	  $(call w2c_obj_list,$(MPS2_W2C_DEMO)) $(W2C_HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@ -Wl,-Map=$(MPS2_W2C_DEMO)/firmware.map
	$(ARM_SIZE) $@
