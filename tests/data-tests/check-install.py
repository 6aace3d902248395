#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Install the build into a temporary DESTDIR and check what lands there.

    check-install.py MESON BUILD_ROOT SOURCE_ROOT

Runs `MESON install -C BUILD_ROOT --destdir TMP --no-rebuild`, then checks:
- every file meson means to install (`meson introspect --installed`) exists;
- the files the desktop needs are among them: the command, the launcher,
  the AppStream metadata, the GSettings schema, the icons (application,
  symbolic, stepped status), the autostart template, and the translation of
  every language in po/LINGUAS;
- the pieces agree: the launcher's Exec and the metainfo's <binary> are the
  installed command, its Icon= is an installed icon, the metainfo's
  launchable is the installed launcher, and the installed schemas compile.
"""

import configparser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

APP_ID = "io.github.leewayapp.Leeway"
PROJECT = "leeway"
LEVELS = range(0, 101, 10)
STATES = ["error", "unknown", "nokey"]

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}")


def introspect(meson, build_root, what):
    out = subprocess.run([meson, "introspect", build_root, what],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def option_values(meson, build_root):
    return {o["name"]: o["value"] for o in introspect(meson, build_root, "--buildoptions")}


def linguas(source_root):
    path = os.path.join(source_root, "po", "LINGUAS")
    langs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0]
            langs.extend(line.split())
    return langs


def under(destdir, path):
    return os.path.join(destdir, path.lstrip("/"))


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    meson, build_root, source_root = sys.argv[1:]
    if not meson:
        print("SKIP: the meson command was not found when the build was configured")
        return 77

    opts = option_values(meson, build_root)
    prefix = opts["prefix"]

    def pdir(name):
        value = opts[name]
        return value if os.path.isabs(value) else os.path.join(prefix, value)

    bindir, datadir = pdir("bindir"), pdir("datadir")
    localedir = pdir("localedir")

    with tempfile.TemporaryDirectory(prefix="mq-install-") as destdir:
        proc = subprocess.run([meson, "install", "-C", build_root, "--destdir", destdir,
                               "--no-rebuild", "--quiet"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout)
            print(proc.stderr)
            fail("meson install failed")
            return 1

        # 1. Everything meson planned to install is there.
        planned = introspect(meson, build_root, "--installed")
        for source, target in sorted(planned.items()):
            if os.path.isdir(source):
                for root, _, files in os.walk(source):
                    for name in files:
                        rel = os.path.relpath(os.path.join(root, name), source)
                        if not os.path.isfile(under(destdir, os.path.join(target, rel))):
                            fail(f"not installed: {os.path.join(target, rel)}")
            elif not os.path.exists(under(destdir, target)):
                fail(f"not installed: {target}")
        print(f"checked {len(planned)} planned install entries")

        # 2. The files the desktop integration needs.
        icons = os.path.join(datadir, "icons", "hicolor")
        required = {
            "command": os.path.join(bindir, PROJECT),
            "launcher": os.path.join(datadir, "applications", f"{APP_ID}.desktop"),
            "AppStream metadata": os.path.join(datadir, "metainfo", f"{APP_ID}.metainfo.xml"),
            "GSettings schema": os.path.join(datadir, "glib-2.0", "schemas", f"{APP_ID}.gschema.xml"),
            "autostart template": os.path.join(datadir, PROJECT, f"{APP_ID}-autostart.desktop"),
            "application icon": os.path.join(icons, "scalable", "apps", f"{APP_ID}.svg"),
            "symbolic icon": os.path.join(icons, "symbolic", "apps", f"{APP_ID}-symbolic.svg"),
        }
        for n in LEVELS:
            required[f"status icon {n}%"] = os.path.join(
                icons, "scalable", "status", f"{APP_ID}-level-{n}-symbolic.svg")
        for state in STATES:
            required[f"status icon {state}"] = os.path.join(
                icons, "scalable", "status", f"{APP_ID}-{state}-symbolic.svg")
        for lang in linguas(source_root):
            required[f"translation {lang}"] = os.path.join(
                localedir, lang, "LC_MESSAGES", f"{PROJECT}.mo")
        for what, path in required.items():
            if not os.path.isfile(under(destdir, path)):
                fail(f"{what} not installed at {path}")
            elif not os.path.getsize(under(destdir, path)):
                fail(f"{what} installed empty at {path}")
        if os.path.isfile(under(destdir, required["command"])) and \
                not os.access(under(destdir, required["command"]), os.X_OK):
            fail(f"{required['command']} is not executable")
        print(f"checked {len(required)} required files")

        # 3. The pieces agree with each other.
        for key in ("launcher", "autostart template"):
            path = under(destdir, required[key])
            if not os.path.isfile(path):
                continue
            entry = configparser.ConfigParser(interpolation=None, strict=False)
            entry.optionxform = str
            entry.read(path, encoding="utf-8")
            group = entry["Desktop Entry"]
            exe = group.get("Exec", "").split()[0] if group.get("Exec") else ""
            if exe != PROJECT:
                fail(f"{key}: Exec runs {exe!r}, not {PROJECT}")
            icon = group.get("Icon", "")
            if not os.path.isfile(under(destdir, os.path.join(icons, "scalable", "apps", f"{icon}.svg"))):
                fail(f"{key}: Icon={icon} is not an installed application icon")

        metainfo = under(destdir, required["AppStream metadata"])
        if os.path.isfile(metainfo):
            root = ET.parse(metainfo).getroot()
            if root.findtext("id") != APP_ID:
                fail(f"metainfo id is {root.findtext('id')!r}")
            launchable = root.findtext("launchable[@type='desktop-id']")
            if launchable != os.path.basename(required["launcher"]):
                fail(f"metainfo launchable {launchable!r} is not the installed launcher")
            binary = root.findtext("provides/binary")
            if not os.path.isfile(under(destdir, os.path.join(bindir, binary or ""))):
                fail(f"metainfo provides binary {binary!r}, which is not installed in {bindir}")

        schemas = under(destdir, os.path.dirname(required["GSettings schema"]))
        compiler = shutil.which("glib-compile-schemas")
        if compiler and os.path.isdir(schemas):
            with tempfile.TemporaryDirectory() as target:
                proc = subprocess.run([compiler, "--strict", "--targetdir", target, schemas],
                                      capture_output=True, text=True)
                if proc.returncode != 0:
                    fail(f"installed schemas do not compile: {proc.stderr.strip()}")

    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("ok: meson install --destdir installs everything")
    return 0


if __name__ == "__main__":
    sys.exit(main())
