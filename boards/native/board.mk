# boards/native: the release module under wasm3 in a Linux process.
NATIVE_BIN    := build/native/board
NATIVE_CFLAGS := -O2 -g -std=gnu11 -Wall -Wextra
$(eval $(call wasm3_objs,build/native,$(CC),$(NATIVE_CFLAGS)))
native: $(NATIVE_BIN)
$(NATIVE_BIN): $(call wasm3_obj_list,build/native) $(HOST_SRCS) boards/native/hal_native.c host/wasm3/*.h
	@mkdir -p $(dir $@)
	$(CC) $(NATIVE_CFLAGS) $(WASM3_CFLAGS) $(call wasm3_obj_list,build/native) \
	  $(HOST_SRCS) boards/native/hal_native.c -o $@ -lpthread
