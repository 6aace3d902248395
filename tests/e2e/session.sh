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

fail_logs="xvfb panel dunst"
. "$E2E_SRC_DIR/session-common.sh"

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
