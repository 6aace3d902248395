#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Pin the Flathub manifest to a release tag of this repository:
#
#   flatpak/flathub/pin-release.sh v0.2.0
#
# sets the app module's `tag:` to TAG and its `commit:` to the commit the
# tag points at (`git rev-parse TAG^{commit}`). Run it after tagging and
# before submitting the manifest to Flathub.
set -eu

if [ $# -ne 1 ]; then
  echo "usage: $0 TAG" >&2
  exit 2
fi
tag=$1
here=$(dirname "$0")
manifest="$here/io.github.leewayapp.Leeway.yml"
commit=$(git -C "$here" rev-parse --verify "$tag^{commit}")

sed -i -e "s|^\(        tag: \).*|\1$tag|" \
       -e "s|^\(        commit: \)[0-9a-f]\{40\}\$|\1$commit|" "$manifest"
grep -q "^        tag: $tag\$" "$manifest"
grep -q "^        commit: $commit\$" "$manifest"
echo "$manifest: $tag = $commit"
