#!/usr/bin/env bash
# Runs every fuzz target for a bounded time; fails if any of them crashes.
#
#   fuzz/run-fuzzers.sh BUILDDIR SECONDS [RESULTS]
#
# BUILDDIR is a build configured with -Dfuzzing=true (see fuzz/meson.build)
# in which the targets are built. Each target starts from a temporary copy
# of fuzz/corpus/<target>, every fixture in tests/data and the inputs in
# tests/data/fuzz-regressions/<target>: nothing is written into the source
# tree. The targets run side by side (one per core). Logs and crash inputs
# go to BUILDDIR/fuzz-logs and BUILDDIR/fuzz-artifacts; a crash input is also
# printed in base64, so that it can be taken from a CI log into
# tests/data/fuzz-regressions/<target>/ (test-fuzz-regressions replays it).
# With RESULTS, one JSON line per target is appended to that file:
# {"name": ..., "result": "OK" or "FAIL"}, as in meson's testlog.json.
set -euo pipefail
cd "$(dirname "$0")/.."

builddir=${1:?usage: fuzz/run-fuzzers.sh BUILDDIR SECONDS [RESULTS]}
seconds=${2:?usage: fuzz/run-fuzzers.sh BUILDDIR SECONDS [RESULTS]}
results=${3:-/dev/null}
targets=(fuzz-parse fuzz-response)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:malloc_context_size=30:intercept_tls_get_addr=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
# GSlice's magazines would hide leaked JSON nodes, lists and hash tables.
export G_SLICE=always-malloc G_DEBUG=gc-friendly

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$builddir/fuzz-logs"

declare -A pids
for target in "${targets[@]}"; do
  corpus=$work/$target
  artifacts=$builddir/fuzz-artifacts/$target
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/*
  for seeds in fuzz/corpus/"$target" tests/data tests/data/fuzz-regressions/"$target"; do
    if [ -d "$seeds" ]; then
      find "$seeds" -maxdepth 1 -type f -exec cp {} "$corpus"/ \;
    fi
  done

  # -timeout: one input taking over 10 s is a hang; the outer timeout only
  # guards against the fuzzer itself getting stuck.
  timeout --kill-after=10 $((seconds + 120)) \
    "$builddir/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/remains.dict -artifact_prefix="$artifacts/" -print_final_stats=1 \
      "$corpus" > "$builddir/fuzz-logs/$target.log" 2>&1 &
  pids[$target]=$!
done

status=0
for target in "${targets[@]}"; do
  log=$builddir/fuzz-logs/$target.log
  rc=0
  wait "${pids[$target]}" || rc=$?

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([^ ]*\) .*/\1/p' <<<"$last")

  if [ "$rc" -eq 0 ]; then
    echo "$target: OK, ${seconds} s, ${execs:-?} runs (${speed:-?}/s), coverage ${cov:-?} edges, corpus ${corp:-?}"
    echo "{\"name\": \"$target\", \"result\": \"OK\"}" >> "$results"
  else
    status=1
    echo "$target: FAILED (exit status $rc); the end of $log:"
    tail -n 60 "$log"
    for crash in "$builddir/fuzz-artifacts/$target"/*; do
      [ -f "$crash" ] || continue
      echo "--- $crash, in base64 (add it to tests/data/fuzz-regressions/$target/):"
      base64 "$crash"
    done
    echo "{\"name\": \"$target\", \"result\": \"FAIL\"}" >> "$results"
  fi
done

exit "$status"
