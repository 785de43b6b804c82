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
APP_ASC    := assembly/app/device.ts --target release --lowMemoryLimit $(APP_LINEAR) --use PROFILE_FULL=$(PROFILE_FULL)

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
