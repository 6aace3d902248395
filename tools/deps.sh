#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages MiniMax Quota needs, only those that
# are missing. Non-interactive; as root, or through sudo.
#   tools/deps.sh build   packages to build and run the applet
#   tools/deps.sh test    ... plus everything the test suites use
set -euo pipefail

build_packages=(
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libglib2.0-bin libgtk-3-dev libayatana-appindicator3-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libportal-gtk3-dev
  gettext desktop-file-utils appstream
)

test_packages=(
  xvfb xauth dbus dbus-x11 xfce4-panel dunst imagemagick x11-utils
  python3 python3-gi gir1.2-glib-2.0 flatpak-builder librsvg2-bin
  clang libclang-rt-14-dev time
)

packages=("${build_packages[@]}")
if [ "${1:-build}" = "test" ]; then
  packages+=("${test_packages[@]}")
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing+=("$p") ;;
  esac
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
