#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the translation setup of MiniMax Quota.

    check-po.py SOURCE_ROOT

- every file named in po/POTFILES.in exists, and none is named twice;
- every language in po/LINGUAS has a .po file, and every .po file is listed;
- every .po file passes `msgfmt --check --check-accelerators`
  (needs msgfmt, Debian package gettext; without it this part is skipped
  with a message, the rest still runs).
"""

import glob
import os
import shutil
import subprocess
import sys

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}")


def entries(path):
    result = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                result.append((number, line))
    return result


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = sys.argv[1]
    po = os.path.join(root, "po")

    seen = set()
    potfiles = entries(os.path.join(po, "POTFILES.in"))
    for number, name in potfiles:
        if name in seen:
            fail(f"POTFILES.in:{number}: {name} is listed twice")
        seen.add(name)
        if not os.path.isfile(os.path.join(root, name)):
            fail(f"POTFILES.in:{number}: {name} does not exist")
    print(f"checked {len(potfiles)} POTFILES.in entries")

    langs = []
    for _, line in entries(os.path.join(po, "LINGUAS")):
        langs.extend(line.split())
    for lang in langs:
        if not os.path.isfile(os.path.join(po, f"{lang}.po")):
            fail(f"LINGUAS lists {lang}, but po/{lang}.po does not exist")
    for path in sorted(glob.glob(os.path.join(po, "*.po"))):
        lang = os.path.basename(path)[:-3]
        if lang not in langs:
            fail(f"po/{lang}.po exists but {lang} is not in LINGUAS")
    print(f"languages: {' '.join(langs) if langs else '(none yet)'}")

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        print("note: msgfmt is not installed (Debian package: gettext); .po files not checked")
    else:
        for lang in langs:
            path = os.path.join(po, f"{lang}.po")
            if not os.path.isfile(path):
                continue
            proc = subprocess.run([msgfmt, "--check", "--check-accelerators=_",
                                   "--statistics", "-o", os.devnull, path],
                                  capture_output=True, text=True)
            print(f"{lang}: {proc.stderr.strip()}")
            if proc.returncode != 0:
                fail(f"po/{lang}.po does not pass msgfmt --check")

    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("ok: translation files are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
