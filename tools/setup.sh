#!/usr/bin/env bash
# Installs what the build and the tests need, idempotently: Debian packages,
# npm packages (npm ci) and the wasm3 sources (PyPI sdist, sha256-pinned).
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS="gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm
      openssl gnutls-bin haproxy wabt iproute2 golang-go"
missing=""
for p in $PKGS; do
  # A toolchain already on PATH (Go) counts as present.
  [ "$p" = golang-go ] && command -v go >/dev/null && continue
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
tools/fetch-wasm3.sh build/wasm3
