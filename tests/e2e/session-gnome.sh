#!/bin/sh
# session-gnome.sh: the GNOME desktop of the e2e test, run by run-e2e.sh
# (E2E_SESSION=session-gnome.sh) inside dbus-run-session with the
# environment it prepared.
#
# Starts a private "system" bus (GNOME Shell asks it for logind, accounts
# and more; a session-type dbus-daemon answers that nothing is there), Xvfb,
# GNOME Shell 43 as the X11 compositor, enables the AppIndicator extension
# (Debian's gnome-shell-extension-appindicator: a StatusNotifierWatcher and
# host in the top bar), then runs E2E_CHECK (check-gnome.py). GNOME Shell is
# the notification daemon here too. Every process started here is stopped
# on exit.

set -u

fail_logs="system-bus xvfb gnome-shell"
. "$E2E_SRC_DIR/session-common.sh"

for tool in gnome-shell dbus-daemon; do
  command -v "$tool" >/dev/null 2>&1 ||
    fail "$tool is missing: apt-get install gnome-shell gnome-shell-extension-appindicator"
done
[ -d /usr/share/gnome-shell/extensions/ubuntu-appindicators@ubuntu.com ] ||
  fail "the AppIndicator extension is missing: apt-get install gnome-shell-extension-appindicator"

# A private bus in the role of the system bus.
sed 's|<type>session</type>|<type>system</type>|' /usr/share/dbus-1/session.conf \
  >"$E2E_TMP/system-bus.conf"
dbus-daemon --config-file="$E2E_TMP/system-bus.conf" --nofork --print-address=3 \
  3>"$E2E_TMP/system-bus-address" >"$log_dir/system-bus.log" 2>&1 &
started $!
wait_until 20 file_not_empty "$E2E_TMP/system-bus-address" || fail "the system bus did not start"
DBUS_SYSTEM_BUS_ADDRESS=$(head -n 1 "$E2E_TMP/system-bus-address")
export DBUS_SYSTEM_BUS_ADDRESS

# 1024x600: room under the top bar for the menu.
Xvfb -displayfd 3 -screen 0 1024x600x24 -nolisten tcp -noreset \
  3>"$E2E_TMP/display" >"$log_dir/xvfb.log" 2>&1 &
started $!
wait_until 20 file_not_empty "$E2E_TMP/display" || fail "Xvfb did not start"
DISPLAY=":$(head -n 1 "$E2E_TMP/display")"
export DISPLAY
wait_until 20 xdpyinfo >/dev/null 2>&1 || fail "display $DISPLAY does not answer"

export XDG_CURRENT_DESKTOP=GNOME
# GNOME Shell keeps its settings (the enabled extension) in a key file under
# the private XDG_CONFIG_HOME; the applet keeps the memory backend.
GSETTINGS_BACKEND=keyfile gnome-shell --x11 >"$log_dir/gnome-shell.log" 2>&1 &
started $!
wait_until 60 has_owner org.gnome.Shell || fail "GNOME Shell did not start"
wait_until 30 has_owner org.freedesktop.Notifications ||
  fail "GNOME Shell did not provide org.freedesktop.Notifications"

gdbus call --session --timeout 10 --dest org.gnome.Shell --object-path /org/gnome/Shell \
  --method org.gnome.Shell.Extensions.EnableExtension ubuntu-appindicators@ubuntu.com \
  >"$log_dir/enable-extension.log" 2>&1 || fail "EnableExtension failed"
wait_until 30 has_owner org.kde.StatusNotifierWatcher ||
  fail "the AppIndicator extension did not provide org.kde.StatusNotifierWatcher"

echo "# session bus $DBUS_SESSION_BUS_ADDRESS, display $DISPLAY, GNOME Shell"

/usr/bin/python3 "$E2E_SRC_DIR/${E2E_CHECK:-check-gnome.py}"
exit $?
