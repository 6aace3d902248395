#!/usr/bin/env bash
# Install what is missing, build, and run the applet from the build tree.
# Extra arguments go to the applet, e.g. tools/run.sh --demo
set -euo pipefail
cd "$(dirname "$0")/.."

tools/deps.sh build
[ -d build ] || meson setup build
ninja -C build

# Run uninstalled: the schema is compiled into the build tree.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
export LEEWAY_LOCALEDIR="$PWD/build/po"
exec build/src/leeway "$@"
