#!/usr/bin/env bash
# Install what is missing, build (warnings are errors), and run every test
# suite: unit, integration, data, e2e. Then the unit and integration suites
# again under AddressSanitizer and UndefinedBehaviorSanitizer, and each fuzz
# target for 60 s. MQ_SKIP_SANITIZERS=1 skips those two steps, for a quick
# local run only: CI never sets it.
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

# Meson setup, or reconfigure when the build dir is already set up.
setup () {
  local dir=$1
  shift
  if [ -d "$dir/meson-private" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

# Every run below adds its meson testlog.json; the fuzz runs and any build
# that failed add one line each to $extra, in the same JSON form.
runs=("build-ci, every suite=$builddir/meson-logs/testlog.json")
extra=$builddir/extra-results.json
: > "$extra"

if [ "${MQ_SKIP_SANITIZERS:-}" = 1 ]; then
  echo "MQ_SKIP_SANITIZERS=1: no sanitizer and no fuzz run"
else
  # The unit and integration suites under ASan and UBSan (gcc; its
  # "undefined" group lacks float-cast-overflow). A report aborts the test
  # that made it. Leaks inside system libraries only are suppressed, each
  # one explained in tests/sanitizers/lsan.supp; the slow unwinder gives
  # the whole stacks those entries need. G_SLICE=always-malloc lets ASan
  # see every GLib allocation. libproxy, which GIO may load to resolve
  # proxies, is C++ and throws exceptions that ASan cannot intercept in a C
  # program: the tests talk to loopback only, so GIO's direct resolver.
  # intercept_tls_get_addr=0: with glibc 2.36, LeakSanitizer crashes
  # ("Tracer caught signal 11") walking the dynamic TLS of libraries loaded
  # later, as GnuTLS is by GIO for the HTTPS tests.
  asandir=build-ci-asan
  if setup "$asandir" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
       -Dc_args=-fsanitize=float-cast-overflow &&
     ninja -C "$asandir"; then
    (
      export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:malloc_context_size=40:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:intercept_tls_get_addr=0
      export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
      export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
      export G_SLICE=always-malloc G_DEBUG=gc-friendly
      export GIO_USE_PROXY_RESOLVER=dummy
      # Tests in the suite 'timing' start the built programs (the command
      # line, the applet on Xvfb) and hold them to wall-clock bounds that a
      # sanitized build, several times slower, does not keep: they run in
      # the ordinary build above only.
      meson test -C "$asandir" --suite unit --suite integration --no-suite timing \
        --print-errorlogs --num-processes 2 --timeout-multiplier 3
    ) || status=1
    runs+=("build-ci-asan, unit and integration under ASan+UBSan=$asandir/meson-logs/testlog.json")
  else
    echo '{"name": "build-ci-asan: setup or build", "result": "FAIL"}' >> "$extra"
    status=1
  fi

  # Each libFuzzer target (clang) for 60 s on a copy of its seeds and every
  # fixture; a crash fails the run (fuzz/run-fuzzers.sh).
  fuzzdir=build-ci-fuzz
  if CC=clang setup "$fuzzdir" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false &&
     ninja -C "$fuzzdir" fuzz/fuzz-parse fuzz/fuzz-response; then
    fuzz/run-fuzzers.sh "$fuzzdir" 60 "$extra" || status=1
  else
    echo '{"name": "build-ci-fuzz: setup or build", "result": "FAIL"}' >> "$extra"
    status=1
  fi
fi
runs+=("fuzz runs and sanitizer builds=$extra")

# One line per run, then the closing line that any CI reader understands:
# every test program and every fuzz run, counted once.
python3 - "${runs[@]}" <<'PY'
import json, sys
total = [0, 0, 0]
for run in sys.argv[1:]:
    label, path = run.split("=", 1)
    counts = [0, 0, 0]
    try:
        with open(path) as log:
            for line in log:
                result = json.loads(line).get("result")
                if result in ("OK", "EXPECTEDFAIL"):
                    counts[0] += 1
                elif result == "SKIP":
                    counts[2] += 1
                else:
                    counts[1] += 1
    except FileNotFoundError:
        counts[1] += 1
    if sum(counts) == 0:
        continue
    total = [t + c for t, c in zip(total, counts)]
    print(f"  ({label}) {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped")
print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
PY
exit "$status"
