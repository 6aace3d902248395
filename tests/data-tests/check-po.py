#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the translation setup of Leeway.

    check-po.py SOURCE_ROOT

- every file named in po/POTFILES.in exists, and none is named twice;
- every file with translatable strings is named in po/POTFILES.in: C
  sources using _(), N_(), C_(), NC_(), Q_() or ngettext, .ui files with
  translatable="yes", and the desktop, metainfo and schema files in data/;
- every language in po/LINGUAS has a .po file, and every .po file is listed;
- every .po file passes `msgfmt --check --check-accelerators`
  (needs msgfmt, Debian package gettext; without it this part is skipped
  with a message, the rest still runs);
- against the strings of the sources as they are now (xgettext over
  POTFILES.in with meson's 'glib' preset, then msgmerge), at least
  95% of the messages of zh_CN are translated (neither fuzzy nor empty):
  a new string in the code counts against the translation until it is
  translated (`ninja -C <builddir> leeway-update-po`).
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Languages that must stay (nearly) complete, and how complete.
REQUIRED_COVERAGE = {"zh_CN": 95.0}

# meson's i18n.gettext(preset: 'glib') xgettext arguments.
XGETTEXT_GLIB_PRESET = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3",
    "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
    "--flag=NC_:2:pass-c-format", "--flag=g_dngettext:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
    "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format",
    "--flag=g_log:3:c-format", "--flag=g_print:1:c-format",
    "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format",
    "--flag=g_snprintf:3:c-format",
]

C_MARKER = re.compile(r"(?<![A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2)\s*\(")

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


def translatable_files(root):
    """Files of the source tree that hold strings to translate."""
    found = []
    for path in sorted(glob.glob(os.path.join(root, "src", "*.[ch]"))):
        with open(path, encoding="utf-8") as f:
            if C_MARKER.search(f.read()):
                found.append(path)
    for path in sorted(glob.glob(os.path.join(root, "data", "**", "*.ui"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            if 'translatable="yes"' in f.read():
                found.append(path)
    for pattern in ("*.desktop.in", "*.metainfo.xml.in", "*.gschema.xml"):
        found.extend(sorted(glob.glob(os.path.join(root, "data", pattern))))
    return [os.path.relpath(path, root) for path in found]


def statistics(msgfmt, path):
    """(translated, fuzzy, untranslated) as msgfmt --statistics counts them."""
    proc = subprocess.run([msgfmt, "--statistics", "-o", os.devnull, path],
                          capture_output=True, text=True)
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", proc.stderr):
        counts[kind] = int(number)
    return counts["translated"], counts["fuzzy"], counts["untranslated"]


def check_coverage(root, po, langs):
    tools = {name: shutil.which(name) for name in ("xgettext", "msgmerge", "msgfmt")}
    if None in tools.values():
        missing = " ".join(name for name, path in tools.items() if path is None)
        print(f"note: {missing} not installed (Debian package: gettext); coverage not checked")
        return

    with tempfile.TemporaryDirectory(prefix="check-po-") as tmp:
        pot = os.path.join(tmp, "current.pot")
        proc = subprocess.run([tools["xgettext"], *XGETTEXT_GLIB_PRESET,
                               "--package-name=leeway",
                               "--files-from", os.path.join(po, "POTFILES.in"),
                               "--directory", root, "--output", pot],
                              capture_output=True, text=True)
        if proc.returncode != 0 or not os.path.isfile(pot):
            fail(f"xgettext could not extract the strings: {proc.stderr.strip()}")
            return
        total = sum(statistics(tools["msgfmt"], pot))
        print(f"the sources hold {total} messages")

        for lang in langs:
            path = os.path.join(po, f"{lang}.po")
            if not os.path.isfile(path):
                continue
            merged = os.path.join(tmp, f"{lang}.po")
            proc = subprocess.run([tools["msgmerge"], "--quiet", "--output-file", merged,
                                   path, pot], capture_output=True, text=True)
            if proc.returncode != 0:
                fail(f"msgmerge po/{lang}.po failed: {proc.stderr.strip()}")
                continue
            translated, fuzzy, untranslated = statistics(tools["msgfmt"], merged)
            count = translated + fuzzy + untranslated
            percent = 100.0 * translated / count if count else 100.0
            print(f"{lang}: {translated} of {count} messages of the current sources "
                  f"translated ({percent:.1f}%), {fuzzy} fuzzy, {untranslated} untranslated")
            wanted = REQUIRED_COVERAGE.get(lang)
            if wanted is not None and percent < wanted:
                fail(f"po/{lang}.po translates {percent:.1f}% of the current messages, "
                     f"below {wanted:.0f}%: run `ninja -C <builddir> leeway-update-po` "
                     f"and translate the new ones")

    for lang in REQUIRED_COVERAGE:
        if lang not in langs:
            fail(f"{lang} must be translated, but it is not in po/LINGUAS")


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

    for name in translatable_files(root):
        if name not in seen:
            fail(f"{name} has translatable strings but is not in po/POTFILES.in")

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

    check_coverage(root, po, langs)

    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("ok: translation files are consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
