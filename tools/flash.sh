#!/usr/bin/env bash
# Flashes a micro:bit v2 with an Intel HEX (make BOARD=microbit-v2 flash).
#   1. A mounted MICROBIT drive (DAPLink): copy the hex onto it; DAPLink
#      programs the chip and remounts the drive, with FAIL.TXT on failure.
#   2. Otherwise pyocd (PyPI), from PATH or from a venv under build/ that is
#      created on first use: pyocd flash -t nrf52833 HEX.
# Environment: FLASH_METHOD=auto|drive|pyocd (default auto); MICROBIT_DRIVE=DIR
# (the drive's mount point, skips the search); FLASH_NO_INSTALL=1 (never pip
# install pyocd); PYOCD_VENV=DIR (default build/pyocd-venv); FLASH_WAIT_S=N
# (how long to watch the drive for FAIL.TXT, default 30).
set -euo pipefail
cd "$(dirname "$0")/.."

HEX=${1:-}
if [ -z "$HEX" ]; then echo "usage: tools/flash.sh FIRMWARE.hex" >&2; exit 2; fi
if [ ! -f "$HEX" ]; then echo "flash: $HEX not found (make microbit builds it)" >&2; exit 2; fi
METHOD=${FLASH_METHOD:-auto}
VENV=${PYOCD_VENV:-build/pyocd-venv}

find_drive() {
  if [ -n "${MICROBIT_DRIVE:-}" ]; then
    [ -d "$MICROBIT_DRIVE" ] && echo "$MICROBIT_DRIVE"
    return 0
  fi
  local d
  for d in /media/*/MICROBIT /media/MICROBIT /run/media/*/MICROBIT /run/media/*/*/MICROBIT /mnt/MICROBIT /Volumes/MICROBIT; do
    if [ -d "$d" ] && [ -w "$d" ]; then echo "$d"; return 0; fi
  done
  return 0
}

flash_drive() {
  local drive=$1 name
  name=$(basename "$HEX")
  echo "flash: copying $HEX onto $drive"
  rm -f "$drive/FAIL.TXT" 2>/dev/null || true
  cp "$HEX" "$drive/$name"
  sync
  # DAPLink programs the chip, then unmounts and remounts the drive; a
  # FAIL.TXT appears there when the image was rejected.
  local i
  for i in $(seq 1 "${FLASH_WAIT_S:-30}"); do
    sleep 1
    if [ -f "$drive/FAIL.TXT" ]; then
      echo "flash: DAPLink rejected the image: $(cat "$drive/FAIL.TXT")" >&2
      return 1
    fi
    [ -f "$drive/$name" ] || break   # the drive went away: programming started
  done
  echo "flash: done (the board restarts by itself; the log is on the USB serial at 115200)"
}

find_pyocd() {
  if [ -x "$VENV/bin/pyocd" ]; then echo "$VENV/bin/pyocd"; return 0; fi
  if command -v pyocd >/dev/null 2>&1; then command -v pyocd; return 0; fi
  return 0
}

install_pyocd() {
  echo "flash: installing pyocd into $VENV (once)" >&2
  python3 -m venv "$VENV" >&2 && "$VENV/bin/pip" install --quiet pyocd >&2 && echo "$VENV/bin/pyocd"
}

flash_pyocd() {
  local pyocd=$1
  echo "flash: $pyocd flash -t nrf52833 --no-wait $HEX"
  if ! "$pyocd" flash -t nrf52833 --no-wait "$HEX"; then
    cat >&2 <<'EOF'
flash: pyocd failed. Is the micro:bit connected by USB (a data cable)?
  pyocd list                        shows the probes pyocd can see
  pyocd erase --mass -t nrf52833    needed once after a MakeCode or MicroPython
                                    image (their SoftDevice and UICR settings)
EOF
    return 1
  fi
  echo "flash: done"
}

drive=""
if [ "$METHOD" != pyocd ]; then drive=$(find_drive); fi
if [ -n "$drive" ]; then flash_drive "$drive"; exit $?; fi
if [ "$METHOD" = drive ]; then
  echo "flash: no MICROBIT drive mounted (looked under /media/*/MICROBIT, /run/media/*/*/MICROBIT, /Volumes/MICROBIT; set MICROBIT_DRIVE=DIR)" >&2
  exit 3
fi

pyocd=$(find_pyocd)
if [ -z "$pyocd" ] && [ "${FLASH_NO_INSTALL:-0}" != 1 ]; then pyocd=$(install_pyocd || true); fi
if [ -z "$pyocd" ]; then
  cat >&2 <<'EOF'
flash: cannot flash: no MICROBIT drive is mounted and pyocd is not available.
  Either plug in the micro:bit and mount its MICROBIT drive (or set MICROBIT_DRIVE=DIR),
  or install pyocd (pip install pyocd) and connect the board by USB.
EOF
  exit 3
fi
flash_pyocd "$pyocd"
