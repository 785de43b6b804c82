# boards/microbit-v2: the BBC micro:bit v2 (nRF52833, Cortex-M4F 64 MHz,
# 512 KB flash, 128 KB RAM) running the release module under wasm3 with the
# same interpreter configuration as every other board (host/wasm3/wasm3.mk).
#   make microbit                          build/microbit-v2/firmware.{elf,hex}
#   make microbit MICROBIT_MODEM_HWFC=1    RTS/CTS to the ESP8266 on P1/P2
#   make BOARD=microbit-v2 flash           tools/flash.sh (pyocd or the MICROBIT drive)
MB_DIR      := build/microbit-v2
MB_ELF      := $(MB_DIR)/firmware.elf
MB_HEX      := $(MB_DIR)/firmware.hex
MB_CC       := arm-none-eabi-gcc
MB_OBJCOPY  := arm-none-eabi-objcopy
MB_SIZE     := arm-none-eabi-size
MB_CFLAGS   := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -g \
               -std=gnu11 -ffunction-sections -fdata-sections -Wall -Wno-unused-parameter
MB_LDFLAGS  := --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -nostartfiles
MB_SRCS     := boards/microbit-v2/startup.c boards/microbit-v2/hal_microbit.c boards/microbit-v2/wasm.S
MICROBIT_MODEM_HWFC    ?= 0
MB_OPTS     := -DMICROBIT_MODEM_HWFC=$(MICROBIT_MODEM_HWFC)

$(eval $(call wasm3_objs,$(MB_DIR),$(MB_CC),$(MB_CFLAGS)))

.PHONY: microbit mb-options
include host/wasm2c/wasm2c.mk
ifneq ($(ENGINE),wasm2c)
microbit: $(MB_HEX)
endif

# Rebuild when the options change (the file is rewritten only then).
$(MB_DIR)/options: mb-options
	@mkdir -p $(@D)
	@echo '$(MB_OPTS)' | cmp -s - $@ || echo '$(MB_OPTS)' > $@

$(MB_ELF): $(call wasm3_obj_list,$(MB_DIR)) $(HOST_SRCS) host/wasm3/*.h $(MB_SRCS) \
           boards/microbit-v2/*.h boards/microbit-v2/link.ld build/release.wasm $(MB_DIR)/options
	@mkdir -p $(dir $@)
	$(MB_CC) $(MB_CFLAGS) $(WASM3_CFLAGS) $(MB_OPTS) $(MB_LDFLAGS) -Tboards/microbit-v2/link.ld \
	  -Iboards/microbit-v2 -DWASM_FILE='"build/release.wasm"' \
	  $(call wasm3_obj_list,$(MB_DIR)) $(HOST_SRCS) $(MB_SRCS) -o $@ -Wl,-Map=$(MB_DIR)/firmware.map
	$(MB_SIZE) $@

# Intel HEX at 0x0 (flash only: .bss is NOLOAD, .data is stored at its load
# address). No start-address record: the chip boots from the vector table, and
# DAPLink's parser wants data, address and EOF records only.
$(MB_HEX): $(MB_ELF)
	$(MB_OBJCOPY) -O ihex --set-start=0 $< $@

# ENGINE=wasm2c: the same module translated ahead of time (host/wasm2c), in
# build/microbit-v2-wasm2c/firmware.{elf,hex}; no heap, no wasm3, no module
# bytes in flash (the board's wasm.S gets an empty file).
MB_W2C_DIR  := build/microbit-v2-wasm2c
MB_W2C_ELF  := $(MB_W2C_DIR)/firmware.elf
MB_W2C_HEX  := $(MB_W2C_DIR)/firmware.hex
MB_W2C_SRCS := boards/microbit-v2/startup.c boards/microbit-v2/hal_microbit.c boards/microbit-v2/wasm.S
$(eval $(call wasm2c_objs,$(MB_W2C_DIR),$(MB_CC),$(MB_CFLAGS)))
$(MB_W2C_ELF): $(call w2c_obj_list,$(MB_W2C_DIR)) $(W2C_HOST_SRCS) $(W2C_HDRS) $(MB_W2C_SRCS) \
               boards/microbit-v2/*.h boards/microbit-v2/link.ld $(W2C_GEN)/empty.bin $(MB_DIR)/options
	@mkdir -p $(dir $@)
	$(MB_CC) $(MB_CFLAGS) $(W2C_CFLAGS) $(call w2c_text,$(MB_SIZE),$(MB_W2C_DIR)) $(MB_OPTS) \
	  --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -nostartfiles -Tboards/microbit-v2/link.ld \
	  -Iboards/microbit-v2 -DWASM_FILE='"$(W2C_GEN)/empty.bin"' \
	  $(call w2c_obj_list,$(MB_W2C_DIR)) $(W2C_HOST_SRCS) $(MB_W2C_SRCS) -o $@ -Wl,-Map=$(MB_W2C_DIR)/firmware.map
	$(MB_SIZE) $@
$(MB_W2C_HEX): $(MB_W2C_ELF)
	$(MB_OBJCOPY) -O ihex --set-start=0 $< $@
ifeq ($(ENGINE),wasm2c)
microbit: $(MB_W2C_HEX)
endif
