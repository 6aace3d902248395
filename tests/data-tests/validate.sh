#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Validate a data file with the tool its format defines.
#
#   validate.sh desktop FILE...     desktop-file-validate, hints included
#   validate.sh metainfo FILE...    appstreamcli validate --no-net
#   validate.sh gschema DIR         glib-compile-schemas --strict --dry-run
#
# Exit 0 on success, 1 on a finding, 77 (skipped) only when the tool itself is
# not installed; the message names the tool and its Debian package.

set -u

need () {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "SKIP: $1 is not installed (Debian package: $2)"
    exit 77
  fi
}

if [ $# -lt 2 ]; then
  echo "usage: $0 desktop|metainfo|gschema FILE..." >&2
  exit 2
fi

kind=$1
shift
status=0

case "$kind" in
  desktop)
    need desktop-file-validate desktop-file-utils
    for f in "$@"; do
      # desktop-file-validate exits 0 on hints and warnings: treat any output
      # as a finding, so that the files stay clean.
      out=$(desktop-file-validate "$f" 2>&1)
      rc=$?
      if [ $rc -ne 0 ] || [ -n "$out" ]; then
        printf '%s\n' "$out"
        echo "FAIL: $f"
        status=1
      elif grep -qi '^Name\(\[[^]]*\]\)\?=.*minimax' "$f"; then
        # Flathub: no vendor's name in the application's name.
        grep -i '^Name' "$f"
        echo "FAIL: $f: the vendor's name in Name"
        status=1
      else
        echo "ok: $f"
      fi
    done
    ;;

  metainfo)
    need appstreamcli appstream
    for f in "$@"; do
      # Errors and warnings fail; informational and pedantic notes are
      # printed for the record. (AppStream 0.16 reports <developer>, which
      # AppStream 1.0 requires, as an unknown tag: an info.)
      if appstreamcli validate --no-net --pedantic "$f"; then
        echo "ok: $f"
      else
        echo "FAIL: $f"
        status=1
      fi
    done
    ;;

  gschema)
    need glib-compile-schemas libglib2.0-bin
    for d in "$@"; do
      if glib-compile-schemas --strict --dry-run "$d"; then
        echo "ok: $d"
      else
        echo "FAIL: $d"
        status=1
      fi
    done
    ;;

  *)
    echo "unknown kind: $kind" >&2
    exit 2
    ;;
esac

exit $status
