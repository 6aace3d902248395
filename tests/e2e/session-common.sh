# session-common.sh: what both e2e desktops (session.sh, session-gnome.sh)
# share, sourced by them: the processes they start and stop, waiting on the
# bus and on files, and bailing out with the logs named in $fail_logs.

: "${E2E_TMP:?run this through run-e2e.sh}"
log_dir="$E2E_OUT_DIR"
pids=""

stop_all () {
  # One by one, newest first: the clients before the display they use.
  for pid in $pids; do
    kill -TERM "$pid" 2>/dev/null
    n=0
    while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 25 ]; do
      sleep 0.2
      n=$((n + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "e2e: pid $pid ignored SIGTERM, killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  pids=""
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started () {
  pids="$1 $pids"
}

fail () {
  echo "Bail out! $*"
  for f in $fail_logs; do
    if [ -s "$log_dir/$f.log" ]; then
      echo "# --- $f.log (last lines) ---"
      tail -n 20 "$log_dir/$f.log" | sed 's/^/# /'
    fi
  done
  exit 1
}

has_owner () {
  gdbus call --session --timeout 5 --dest org.freedesktop.DBus \
    --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner "$1" 2>/dev/null | grep -q true
}

# wait_until SECONDS COMMAND...: polls COMMAND every 200 ms.
wait_until () {
  limit=$(($1 * 5))
  shift
  n=0
  while ! "$@"; do
    n=$((n + 1))
    [ $n -ge $limit ] && return 1
    sleep 0.2
  done
  return 0
}

file_not_empty () {
  [ -s "$1" ]
}
