# boards/mps2-an386: the firmware for QEMU's Cortex-M4 board, 128 KB of RAM.
MPS2_DIR    := build/mps2-an386
MPS2_ELF    := $(MPS2_DIR)/firmware.elf
ARM_CC      := arm-none-eabi-gcc
ARM_SIZE    := arm-none-eabi-size
ARM_CFLAGS  := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -g \
               -std=gnu11 -ffunction-sections -fdata-sections -Wall -Wno-unused-parameter
ARM_LDFLAGS := --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -nostartfiles
$(eval $(call wasm3_objs,$(MPS2_DIR),$(ARM_CC),$(ARM_CFLAGS)))
mps2: $(MPS2_ELF)
$(MPS2_ELF): $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) host/wasm3/*.h boards/mps2-an386/*.c \
             boards/mps2-an386/wasm.S boards/mps2-an386/link.ld build/release.wasm
	@mkdir -p $(dir $@)
	$(ARM_CC) $(ARM_CFLAGS) $(WASM3_CFLAGS) $(ARM_LDFLAGS) -Tboards/mps2-an386/link.ld \
	  -DWASM_FILE='"build/release.wasm"' \
	  $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@ -Wl,-Map=$(MPS2_DIR)/firmware.map
	$(ARM_SIZE) $@
