#!/bin/sh
# run-e2e.sh: the end-to-end test of the tray applet (meson test --suite e2e)
#
# usage: run-e2e.sh APPLET FAKE_SERVER SCHEMA_DIR OUT_DIR
#
#   APPLET       the built leeway-applet
#   FAKE_SERVER  the built tests/mq-fake-server
#   SCHEMA_DIR   the build directory holding gschemas.compiled (<build>/data)
#   OUT_DIR      where logs and the screenshot (panel.png) are written
#
# Everything runs in a private session: its own D-Bus session bus
# (dbus-run-session), an Xvfb display, xfce4-panel with only the status tray
# (a real StatusNotifierWatcher and host), dunst as the notification daemon,
# the fake MiniMax server on 127.0.0.1 and the applet. The checks talk to
# them over D-Bus (see check-tray.py). Nothing outside a temporary directory
# is touched, except OUT_DIR, and data/screenshots/panel.png in the source
# tree when E2E_UPDATE_SCREENSHOT=1.
#
# Environment: E2E_KEEP_TMP=1 keeps the temporary directory for inspection;
# E2E_SESSION picks the desktop (session.sh: xfce4-panel and dunst;
# session-gnome.sh: GNOME Shell with the AppIndicator extension) and
# E2E_CHECK the check script it runs.

set -eu

if [ $# -ne 4 ]; then
  echo "usage: $0 APPLET FAKE_SERVER SCHEMA_DIR OUT_DIR" >&2
  exit 2
fi

here=$(cd "$(dirname "$0")" && pwd)
applet=$(realpath "$1")
fake_server=$(realpath "$2")
schema_dir=$(realpath "$3")
mkdir -p "$4"
out_dir=$(realpath "$4")

missing=
for tool in dbus-run-session dbus-send Xvfb xfce4-panel dunst dunstctl gdbus import \
            convert compare identify xdpyinfo xdotool /usr/bin/python3; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if ! /usr/bin/python3 -c 'import gi; gi.require_version("Gio", "2.0")' 2>/dev/null; then
  missing="$missing python3-gi"
fi
if [ -n "$missing" ]; then
  echo "e2e: missing tools:$missing" >&2
  echo "e2e: apt-get install xvfb xauth dbus dbus-x11 xfce4-panel dunst imagemagick x11-utils xdotool python3-gi" >&2
  exit 1
fi
for f in "$applet" "$fake_server"; do
  if [ ! -x "$f" ]; then
    echo "e2e: $f is not an executable" >&2
    exit 1
  fi
done
if [ ! -f "$schema_dir/gschemas.compiled" ]; then
  echo "e2e: no gschemas.compiled in $schema_dir" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mq-e2e.XXXXXX")
cleanup () {
  if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then
    echo "e2e: kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A fresh home: the session bus, its activated services (xfconfd) and every
# program started below inherit these, so nothing reads the user's files.
mkdir -p "$tmp/home" "$tmp/config/xfce4/xfconf/xfce-perchannel-xml" \
         "$tmp/data" "$tmp/cache" "$tmp/secrets"
mkdir -m 0700 "$tmp/runtime"
cp "$here/xfce4-panel.xml" "$tmp/config/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml"
sed "s|@APP_ICON_DIR@|$(dirname "$(dirname "$here")")/data/icons/hicolor/scalable/apps|" \
  "$here/dunstrc" >"$tmp/dunstrc"

export HOME="$tmp/home"
export XDG_CONFIG_HOME="$tmp/config"
export XDG_DATA_HOME="$tmp/data"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"
export XDG_CURRENT_DESKTOP=XFCE
export XDG_SESSION_TYPE=x11
export GDK_BACKEND=x11
export NO_AT_BRIDGE=1
export GTK_A11Y=none
export LC_ALL=C.UTF-8
export LANGUAGE=C
export NO_COLOR=1
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$schema_dir"
export SECRET_BACKEND=file
export SECRET_FILE_TEST_PATH="$tmp/secrets/keyring.file"
export E2E_TMP="$tmp"
export E2E_APPLET="$applet"
export E2E_FAKE_SERVER="$fake_server"
export E2E_OUT_DIR="$out_dir"
export E2E_SRC_DIR="$here"
# Everything talks to 127.0.0.1: no proxy from the caller's environment.
unset DISPLAY XAUTHORITY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS SESSION_MANAGER \
      MINIMAX_API_KEY MINIMAX_REGION http_proxy https_proxy all_proxy \
      no_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY NO_PROXY 2>/dev/null || true

rm -f "$out_dir"/*.log "$out_dir"/panel*.png

status=0
dbus-run-session -- "$here/${E2E_SESSION:-session.sh}" || status=$?
exit $status
