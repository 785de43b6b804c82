# The telemetry app's device module and the demo boards (included by the Makefile).
#   assembly/app/config.gen.ts  from $(APP_CONFIG) (tools/gen-config.ts; not committed)
#   build/device.wasm           assembly/app/device.ts: the app alone, no test exports
#   build/demo/native-board     the native board with the device module's memory budget
#   build/demo/firmware.elf     QEMU mps2-an386 firmware embedding build/device.wasm,
#                               RAM $(DEMO_RAM) (128K as on the micro:bit; larger only to measure)
# APP_LINEAR: the device module's linear memory budget (lowMemoryLimit), the
# release budget by default (24 KB: the app's texts are one ASCII blob to fit).
APP_CONFIG ?= config/device.json
APP_LINEAR ?= $(LINEAR_MEMORY)
DEMO_RAM   ?= 128K
# PROFILE=device|full (Makefile): asc --use PROFILE_FULL=0|1 (assembly/config.ts).
# build/.profile changes when PROFILE does, so the modules are rebuilt.
PROFILE_FULL := $(if $(filter full,$(PROFILE)),1,0)
$(shell mkdir -p build; [ "$$(cat build/.profile 2>/dev/null)" = "$(PROFILE)" ] || echo $(PROFILE) > build/.profile)
# The app makes its station and socket objects at start (net/api.ts: `new`,
# the stub runtime's bump allocator, after the static data): asc's static
# check leaves APP_OBJECTS bytes of the linear memory for them.
APP_OBJECTS := 128
APP_STATIC := $(shell echo $$(( $(APP_LINEAR) - $(APP_OBJECTS) )))
APP_ASC    := assembly/app/device.ts --target release --lowMemoryLimit $(APP_STATIC) --use PROFILE_FULL=$(PROFILE_FULL)

.PHONY: app-config device
app-config:
	@CONFIG=$(APP_CONFIG) $(TSX) tools/gen-config.ts
assembly/app/config.gen.ts: app-config
device: build/device.wasm build/device-names.wasm
build/device.wasm: $(AS_SRCS) assembly/app/config.gen.ts asconfig.json build/.profile | $(STAMP)
	$(ASC) $(APP_ASC) --outFile $@ --textFile build/device.wat
build/device-names.wasm: $(AS_SRCS) assembly/app/config.gen.ts asconfig.json build/.profile | $(STAMP)
	$(ASC) $(APP_ASC) --debug --outFile $@ --textFile build/device-names.wat

build/demo/native-board: tools/app.mk $(call wasm3_obj_list,build/native) $(HOST_SRCS) boards/native/hal_native.c host/wasm3/*.h
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) $(WASM3_CFLAGS) -ULINEAR_MEMORY_LIMIT -DLINEAR_MEMORY_LIMIT=$(APP_LINEAR) \
	  $(call wasm3_obj_list,build/native) $(HOST_SRCS) boards/native/hal_native.c -o $@ -lpthread

build/demo/link-$(DEMO_RAM).ld: boards/mps2-an386/link.ld
	@mkdir -p $(dir $@)
	sed 's/LENGTH = 128K/LENGTH = $(DEMO_RAM)/' $< > $@
build/demo/firmware-$(DEMO_RAM).elf: $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) host/wasm3/*.h boards/mps2-an386/*.c \
             boards/mps2-an386/wasm.S build/demo/link-$(DEMO_RAM).ld build/device.wasm tools/app.mk
	$(ARM_CC) $(ARM_CFLAGS) $(WASM3_CFLAGS) -ULINEAR_MEMORY_LIMIT -DLINEAR_MEMORY_LIMIT=$(APP_LINEAR) $(ARM_LDFLAGS) \
	  -Tbuild/demo/link-$(DEMO_RAM).ld -DWASM_FILE='"build/device.wasm"' \
	  $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $@
	$(ARM_SIZE) $@

# The gateway build: the same app posting plain HTTP (gateway/haproxy.cfg
# forwards it over TLS). config.gen.ts is generated for it, then restored.
.PHONY: gateway
gateway: build/device-plain.wasm
build/device-plain.wasm: $(AS_SRCS) $(APP_CONFIG) tools/gen-config.ts asconfig.json build/.profile | $(STAMP)
	@CONFIG=$(APP_CONFIG) TRANSPORT=plain $(TSX) tools/gen-config.ts
	$(ASC) $(APP_ASC) --outFile $@ --textFile build/device-plain.wat; s=$$?; CONFIG=$(APP_CONFIG) $(TSX) tools/gen-config.ts; exit $$s

# ---- the app on the micro:bit: what `make BOARD=microbit-v2 flash` puts on the device ----
#   build/microbit-v2-app/firmware.{elf,hex}          the telemetry app over TLS (wasm3)
#   build/microbit-v2-gateway/firmware.{elf,hex}      the gateway build: plain HTTP, no TLS (wasm3)
#   build/microbit-v2-app-wasm2c, -gateway-wasm2c     the same two ahead of time (ENGINE=wasm2c)
# make size compares the TLS build with the gateway build.
define mb_app_fw
$(1)/firmware.elf: $(call wasm3_obj_list,$(MB_DIR)) $(HOST_SRCS) host/wasm3/*.h $(MB_SRCS) \
                   boards/microbit-v2/*.h boards/microbit-v2/link.ld $(2) $(MB_DIR)/options
	@mkdir -p $$(@D)
	$(MB_CC) $(MB_CFLAGS) $(WASM3_CFLAGS) -ULINEAR_MEMORY_LIMIT -DLINEAR_MEMORY_LIMIT=$(APP_LINEAR) $(MB_OPTS) \
	  $(MB_LDFLAGS) -Tboards/microbit-v2/link.ld -Iboards/microbit-v2 -DWASM_FILE='"$(2)"' \
	  $(call wasm3_obj_list,$(MB_DIR)) $(HOST_SRCS) $(MB_SRCS) -o $$@
$(1)/firmware.hex: $(1)/firmware.elf
	$(MB_OBJCOPY) -O ihex --set-start=0 $$< $$@
endef
# (DIR, GENDIR): the translation in GENDIR compiled for the micro:bit.
define mb_app_fw_w2c
$(eval $(call wasm2c_objs,$(1),$(MB_CC),$(MB_CFLAGS),$(2)))
$(1)/firmware.elf: $(call w2c_obj_list,$(1)) $(W2C_HOST_SRCS) $(W2C_HDRS) $(MB_W2C_SRCS) \
                   boards/microbit-v2/*.h boards/microbit-v2/link.ld $(2)/empty.bin $(MB_DIR)/options
	@mkdir -p $$(@D)
	$(MB_CC) $(MB_CFLAGS) $(call w2c_cflags,$(2)) $$(call w2c_text,$(MB_SIZE),$(1)) $(MB_OPTS) \
	  --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections -nostartfiles -Tboards/microbit-v2/link.ld \
	  -Iboards/microbit-v2 -DWASM_FILE='"$(2)/empty.bin"' \
	  $(call w2c_obj_list,$(1)) $(W2C_HOST_SRCS) $(MB_W2C_SRCS) -o $$@
$(1)/firmware.hex: $(1)/firmware.elf
	$(MB_OBJCOPY) -O ihex --set-start=0 $$< $$@
endef
$(eval $(call mb_app_fw,build/microbit-v2-app,build/device.wasm))
$(eval $(call mb_app_fw,build/microbit-v2-gateway,build/device-plain.wasm))
$(eval $(call wasm2c_gen,build/gateway-wasm2c/gen,build/device-plain.wasm))
$(eval $(call mb_app_fw_w2c,build/microbit-v2-app-wasm2c,$(MPS2_W2C_DEMO)/gen))
$(eval $(call mb_app_fw_w2c,build/microbit-v2-gateway-wasm2c,build/gateway-wasm2c/gen))
MB_APP_SUFFIX := $(if $(filter wasm2c,$(ENGINE)),-wasm2c)
.PHONY: microbit-app
microbit-app: build/microbit-v2-app$(MB_APP_SUFFIX)/firmware.hex build/microbit-v2-gateway$(MB_APP_SUFFIX)/firmware.hex

# ---- both profiles side by side, whatever PROFILE says (make size) ----
#   build/size/<profile>/device.wasm, device-names.wasm   the app's module
#   build/size/<profile>/firmware-1024K.elf                wasm3 demo firmware (1 MB: measures the need)
#   build/size/<profile>/wasm2c/firmware.elf               wasm2c demo firmware (128 KB)
SIZE_PROFILES := device full
define size_profile
build/size/$(1)/device.wasm: $(AS_SRCS) assembly/app/config.gen.ts asconfig.json | $(STAMP)
	@mkdir -p $$(@D)
	$(ASC) assembly/app/device.ts --target release --lowMemoryLimit $(APP_STATIC) --use PROFILE_FULL=$(2) --outFile $$@
build/size/$(1)/device-names.wasm: $(AS_SRCS) assembly/app/config.gen.ts asconfig.json | $(STAMP)
	@mkdir -p $$(@D)
	$(ASC) assembly/app/device.ts --target release --lowMemoryLimit $(APP_STATIC) --use PROFILE_FULL=$(2) --debug --outFile $$@
build/size/$(1)/firmware-1024K.elf: $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) host/wasm3/*.h boards/mps2-an386/*.c \
             boards/mps2-an386/wasm.S build/demo/link-1024K.ld build/size/$(1)/device.wasm
	$(ARM_CC) $(ARM_CFLAGS) $(WASM3_CFLAGS) -ULINEAR_MEMORY_LIMIT -DLINEAR_MEMORY_LIMIT=$(APP_LINEAR) $(ARM_LDFLAGS) \
	  -Tbuild/demo/link-1024K.ld -DWASM_FILE='"build/size/$(1)/device.wasm"' \
	  $(call wasm3_obj_list,$(MPS2_DIR)) $(HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $$@
$(eval $(call wasm2c_gen,build/size/$(1)/wasm2c/gen,build/size/$(1)/device.wasm))
$(eval $(call wasm2c_objs,build/size/$(1)/wasm2c,$(ARM_CC),$(ARM_CFLAGS),build/size/$(1)/wasm2c/gen))
build/size/$(1)/wasm2c/firmware.elf: $(call w2c_obj_list,build/size/$(1)/wasm2c) $(W2C_HOST_SRCS) $(W2C_HDRS) \
             boards/mps2-an386/*.c boards/mps2-an386/wasm.S boards/mps2-an386/link.ld
	$(ARM_CC) $(ARM_CFLAGS) $(call w2c_cflags,build/size/$(1)/wasm2c/gen) $$(call w2c_text,$(ARM_SIZE),build/size/$(1)/wasm2c) $(ARM_LDFLAGS) \
	  -Tboards/mps2-an386/link.ld -DWASM_FILE='"build/size/$(1)/wasm2c/gen/empty.bin"' \
	  $(call w2c_obj_list,build/size/$(1)/wasm2c) $(W2C_HOST_SRCS) boards/mps2-an386/startup.c \
	  boards/mps2-an386/hal_mps2.c boards/mps2-an386/wasm.S -o $$@
endef
$(eval $(call size_profile,device,0))
$(eval $(call size_profile,full,1))
ifneq ($(DEMO_RAM),1024K)
build/demo/link-1024K.ld: boards/mps2-an386/link.ld
	@mkdir -p $(dir $@)
	sed 's/LENGTH = 128K/LENGTH = 1024K/' $< > $@
endif
.PHONY: size-builds
size-builds: build/device-plain.wasm build/microbit-v2-app/firmware.elf build/microbit-v2-gateway/firmware.elf \
             build/microbit-v2-app-wasm2c/firmware.elf build/microbit-v2-gateway-wasm2c/firmware.elf \
             $(foreach p,$(SIZE_PROFILES),build/size/$(p)/device-names.wasm build/size/$(p)/firmware-1024K.elf build/size/$(p)/wasm2c/firmware.elf)
