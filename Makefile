# make demo | test | size | bench | flash   (BOARD=mps2-an386|native|microbit-v2)
BOARD   ?= mps2-an386
PROFILE ?= device
export PROFILE

NODE    := node
TSX     := node --import tsx
ASC     := npx asc
STAMP   := build/.setup

.PHONY: all setup wasm native mps2 microbit test demo size bench flash clean anchors
all: wasm native mps2 microbit

setup: $(STAMP)
$(STAMP): tools/setup.sh package-lock.json
	tools/setup.sh
	@mkdir -p build && touch $@

include host/wasm3/wasm3.mk

# ---- the module ---------------------------------------------------------
AS_SRCS := $(shell find assembly -name '*.ts' -not -path '*/__tests__/*')
wasm: build/release.wasm build/release-names.wasm
# The release module carries the test API and every feature, so it is always
# built with the full profile (PROFILE_FULL=1) whatever PROFILE says; the
# device module (build/device.wasm, tools/app.mk) is what the device runs and
# follows PROFILE.
build/release.wasm: $(AS_SRCS) asconfig.json | $(STAMP)
	$(ASC) assembly/index.ts --target release --use PROFILE_FULL=1
# The same optimised code with a name section, for the per-component report.
build/release-names.wasm: $(AS_SRCS) asconfig.json | $(STAMP)
	$(ASC) assembly/index.ts --target release --use PROFILE_FULL=1 --debug --outFile $@ --textFile build/release-names.wat

# X.509 trust anchors compiled into the module: every PEM in $(ANCHORS)
# (default anchors/*.pem) -> assembly/x509/anchors.gen.ts (small and
# deterministic, committed), regenerated before asc when a PEM changes.
ANCHORS ?= $(sort $(wildcard anchors/*.pem))
assembly/x509/anchors.gen.ts: $(ANCHORS) tools/gen-anchors.ts
	$(TSX) tools/gen-anchors.ts --out $@ $(ANCHORS)
anchors:
	$(TSX) tools/gen-anchors.ts --out assembly/x509/anchors.gen.ts $(ANCHORS)

# ---- boards ---------------------------------------------------------------
include boards/native/board.mk
include boards/mps2-an386/board.mk
include boards/microbit-v2/board.mk
include tools/app.mk

# ---- user commands ------------------------------------------------------
# Everything the tests run: the release module on both engines and every
# board, the app's device module, the demo and gateway builds.
test: setup
	$(MAKE) app-config
	$(MAKE) all build/device.wasm build/demo/native-board gateway native-wasm2c-traps
	$(MAKE) DEMO_RAM=1024K build/demo/firmware-1024K.elf
	$(MAKE) DEMO_RAM=128K build/demo/firmware-128K.elf
	$(MAKE) ENGINE=wasm2c native mps2 demo-wasm2c-firmware
	$(MAKE) microbit-app && $(MAKE) ENGINE=wasm2c microbit-app
	$(TSX) tests/run.ts

demo: setup
	$(MAKE) app-config
ifeq ($(BOARD),native)
	$(MAKE) build/device.wasm build/demo/native-board
else ifeq ($(ENGINE),wasm2c)
	$(MAKE) build/device.wasm demo-wasm2c-firmware
else
	$(MAKE) build/device.wasm build/demo/firmware-$(DEMO_RAM).elf
endif
	$(TSX) tools/demo.ts --board $(BOARD) --ram $(DEMO_RAM) --engine $(or $(ENGINE),wasm3) $(if $(filter native,$(BOARD)),,--icount)

size: setup all
	$(MAKE) app-config
	$(MAKE) build/device.wasm build/device-names.wasm size-builds
	$(MAKE) ENGINE=wasm2c mps2 microbit
	$(TSX) tools/size.ts

# The handshake and chain-validation counts come from their icount tests.
bench: setup all
	$(MAKE) ENGINE=wasm2c mps2
	ENGINES=wasm3-qemu $(TSX) --test --test-name-pattern=instruction tests/tls-icount.test.ts tests/x509.test.ts
	$(TSX) tools/bench.ts

# The telemetry app (config/device.json) on the micro:bit, under wasm3 or
# (ENGINE=wasm2c) compiled ahead of time.
flash: setup
	$(MAKE) app-config
	$(MAKE) build/device.wasm build/microbit-v2-app$(MB_APP_SUFFIX)/firmware.hex
	tools/flash.sh build/microbit-v2-app$(MB_APP_SUFFIX)/firmware.hex

clean:
	rm -rf build/release.* build/debug.* build/native build/mps2-an386 build/microbit-v2
