#!/usr/bin/env bash
# Install what is missing, build (warnings are errors), and run every test
# suite: unit, integration, data, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh test

builddir=build-ci
if [ ! -d "$builddir" ]; then
  meson setup "$builddir" -Dwerror=true
else
  meson setup --reconfigure "$builddir" -Dwerror=true >/dev/null
fi
ninja -C "$builddir"

meson test -C "$builddir" --print-errorlogs --num-processes 2
