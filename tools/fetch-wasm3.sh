#!/usr/bin/env bash
# Fetches the wasm3 v0.5.0 engine sources from the PyPI sdist pywasm3==0.5.0,
# checks its sha256 and unpacks the engine into build/wasm3 (never committed).
set -euo pipefail
SHA256=5a47c8a39f7f6ae71b3316b2e5d86c9d0db6e771a65f09a86e4d4aa3a19aefcc
dest=${1:-build/wasm3}
[ -f "$dest/.ok" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: pywasm3==0.5.0 -d "$tmp"
echo "$SHA256  $tmp/pywasm3-0.5.0.tar.gz" | sha256sum -c --quiet
tar -xzf "$tmp/pywasm3-0.5.0.tar.gz" -C "$tmp"
mkdir -p "$dest"
cp "$tmp"/pywasm3-0.5.0/wasm3/*.c "$tmp"/pywasm3-0.5.0/wasm3/*.h "$dest"/
cp "$tmp"/pywasm3-0.5.0/LICENSE "$dest"/LICENSE
touch "$dest/.ok"
echo "wasm3 v0.5.0 sources in $dest (sha256 verified)"
