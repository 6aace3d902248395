#!/bin/sh
# session.sh: the desktop of the e2e test, run by run-e2e.sh inside
# dbus-run-session with the environment it prepared.
#
# Starts Xvfb, xfce4-panel (status tray only; none with E2E_NO_PANEL=1) and
# dunst, waits until the StatusNotifierWatcher and the notification service
# are on the bus, then runs check-tray.py (or $E2E_CHECK), which starts
# the fake server and the applet and checks them. Every process started here is stopped on exit, whatever
# happened.

set -u

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
  for f in xvfb panel dunst; do
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

# The display: Xvfb picks a free display number and writes it to fd 3.
# 800x450 leaves room under the 48 px panel for the menu and, at the
# bottom right, dunst's notifications.
# E2E_SCREEN: another size (check-window.py: room for the main window).
Xvfb -displayfd 3 -screen 0 "${E2E_SCREEN:-800x450x24}" -nolisten tcp -noreset \
  3>"$E2E_TMP/display" >"$log_dir/xvfb.log" 2>&1 &
started $!
wait_until 20 file_not_empty "$E2E_TMP/display" || fail "Xvfb did not start"
DISPLAY=":$(head -n 1 "$E2E_TMP/display")"
export DISPLAY
wait_until 20 xdpyinfo >/dev/null 2>&1 || fail "display $DISPLAY does not answer"

# The tray host. Without a window manager the panel needs --disable-wm-check.
# E2E_NO_PANEL=1: a desktop that shows no tray icons at all (dunst only).
if [ "${E2E_NO_PANEL:-0}" != 1 ]; then
  xfce4-panel --disable-wm-check >"$log_dir/panel.log" 2>&1 &
  started $!
  wait_until 30 has_owner org.kde.StatusNotifierWatcher ||
    fail "xfce4-panel did not provide org.kde.StatusNotifierWatcher"
fi

# The notification daemon.
dunst -config "$E2E_TMP/dunstrc" >"$log_dir/dunst.log" 2>&1 &
started $!
wait_until 20 has_owner org.freedesktop.Notifications ||
  fail "dunst did not provide org.freedesktop.Notifications"

echo "# session bus $DBUS_SESSION_BUS_ADDRESS, display $DISPLAY"

/usr/bin/python3 "$E2E_SRC_DIR/${E2E_CHECK:-check-tray.py}"
status=$?
exit $status
