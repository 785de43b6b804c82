# boards/native: the release module under wasm3 in a Linux process.
NATIVE_BIN    := build/native/board
NATIVE_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra
$(eval $(call wasm3_objs,build/native,$(CC),$(NATIVE_CFLAGS)))
include host/wasm2c/wasm2c.mk
ifneq ($(ENGINE),wasm2c)
native: $(NATIVE_BIN)
endif
$(NATIVE_BIN): $(call wasm3_obj_list,build/native) $(HOST_SRCS) boards/native/hal_native.c host/wasm3/*.h
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) $(WASM3_CFLAGS) $(call wasm3_obj_list,build/native) \
	  $(HOST_SRCS) boards/native/hal_native.c -o $@ -lpthread

# ENGINE=wasm2c: the same module translated ahead of time (host/wasm2c).
NATIVE_W2C_DIR := build/native-wasm2c
NATIVE_W2C_BIN := $(NATIVE_W2C_DIR)/board
$(eval $(call wasm2c_objs,$(NATIVE_W2C_DIR),$(CC),$(NATIVE_CFLAGS)))
$(NATIVE_W2C_BIN): $(call w2c_obj_list,$(NATIVE_W2C_DIR)) $(W2C_HOST_SRCS) $(W2C_HDRS) boards/native/hal_native.c
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) $(W2C_CFLAGS) $(call w2c_text,size,$(NATIVE_W2C_DIR)) $(call w2c_obj_list,$(NATIVE_W2C_DIR)) \
	  $(W2C_HOST_SRCS) boards/native/hal_native.c -o $@ -lpthread
ifeq ($(ENGINE),wasm2c)
native: $(NATIVE_W2C_BIN)
endif
# The trap-path test module under the same embedding (tests/wasm2c.test.ts).
NATIVE_W2C_TRAPS := build/native-wasm2c-traps
$(eval $(call wasm2c_objs,$(NATIVE_W2C_TRAPS),$(CC),$(NATIVE_CFLAGS),$(W2C_TRAPS_GEN)))
.PHONY: native-wasm2c-traps
native-wasm2c-traps: $(NATIVE_W2C_TRAPS)/board
$(NATIVE_W2C_TRAPS)/board: $(call w2c_obj_list,$(NATIVE_W2C_TRAPS)) $(W2C_HOST_SRCS) $(W2C_HDRS) boards/native/hal_native.c
	$(CC) $(NATIVE_CFLAGS) $(call w2c_cflags,$(W2C_TRAPS_GEN)) $(call w2c_obj_list,$(NATIVE_W2C_TRAPS)) \
	  $(W2C_HOST_SRCS) boards/native/hal_native.c -o $@ -lpthread
