#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Leeway needs, only those that
# are missing. Non-interactive; as root, or through sudo.
#   tools/deps.sh build   packages to build and run the applet
#   tools/deps.sh test    ... plus everything the test suites use
set -euo pipefail

build_packages=(
  meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libglib2.0-bin libgtk-3-dev libayatana-appindicator3-dev
  libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libportal-gtk3-dev libsqlite3-dev
  gettext desktop-file-utils appstream
)

test_packages=(
  xvfb xauth dbus dbus-x11 xfce4-panel dunst imagemagick x11-utils
  python3 python3-gi gir1.2-glib-2.0 flatpak-builder librsvg2-bin
  clang libclang-rt-14-dev time locales
  gnome-shell gnome-shell-extension-appindicator gjs xdotool
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

# The i18n test runs the command line under LANG=zh_CN.UTF-8: generate
# that locale (package locales) when it is missing.
need_locale=false
if [ "${1:-build}" = "test" ] && ! locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
  need_locale=true
fi

if [ ${#missing[@]} -eq 0 ] && [ "$need_locale" = false ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo -n)
else
  echo "deps: need root or sudo to install: ${missing[*]:-(nothing)}; generate zh_CN.UTF-8: $need_locale" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$need_locale" = true ]; then
  echo "Generating the zh_CN.UTF-8 locale"
  if grep -q '^# *zh_CN\.UTF-8 UTF-8' /etc/locale.gen; then
    "${sudo[@]}" sed -i 's/^# *\(zh_CN\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  elif ! grep -q '^zh_CN\.UTF-8 UTF-8' /etc/locale.gen; then
    echo 'zh_CN.UTF-8 UTF-8' | "${sudo[@]}" tee -a /etc/locale.gen >/dev/null
  fi
  "${sudo[@]}" locale-gen
fi
