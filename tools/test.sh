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

status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?

# One closing line that any CI reader understands.
python3 - "$builddir/meson-logs/testlog.json" <<'PY'
import json, sys
passed = failed = skipped = 0
with open(sys.argv[1]) as log:
    for line in log:
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
