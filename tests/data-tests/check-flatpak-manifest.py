#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest of MiniMax Quota.

    check-flatpak-manifest.py MANIFEST

flatpak-builder --show-manifest must parse it; then:
- id, command and runtime are the project's;
- finish-args are exactly the allowed set, nothing broader;
- every archive or file source is pinned with a sha256, every git source
  with a commit;
- the last module builds this project with meson from the source tree.

Exit 77 only when flatpak-builder is not installed (Debian: flatpak-builder).
"""

import json
import re
import shutil
import subprocess
import sys

APP_ID = "io.github.minimaxquota.MiniMaxQuota"
ALLOWED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--talk-name=org.kde.StatusNotifierWatcher",
]
REQUIRED_MODULES = ["libdbusmenu", "ayatana-ido", "libayatana-indicator",
                    "libayatana-appindicator"]

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}")


def walk_modules(modules, found):
    for module in modules:
        if isinstance(module, str):
            fail(f"module included from a separate file ({module}): inline it so it is checked")
            continue
        found.append(module)
        walk_modules(module.get("modules", []), found)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    if shutil.which("flatpak-builder") is None:
        print("SKIP: flatpak-builder is not installed (Debian package: flatpak-builder)")
        return 77

    proc = subprocess.run(["flatpak-builder", "--show-manifest", path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr)
        fail(f"flatpak-builder --show-manifest {path} failed")
        return 1
    manifest = json.loads(proc.stdout)

    for key, want in (("id", APP_ID), ("command", "minimax-quota"),
                      ("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if manifest.get(key) != want:
            fail(f"{key} is {manifest.get(key)!r}, expected {want!r}")
    if not re.fullmatch(r"\d+", str(manifest.get("runtime-version", ""))):
        fail(f"runtime-version {manifest.get('runtime-version')!r} is not a GNOME release number")

    finish_args = manifest.get("finish-args", [])
    if sorted(finish_args) != sorted(ALLOWED_FINISH_ARGS) or \
            len(finish_args) != len(set(finish_args)):
        extra = sorted(set(finish_args) - set(ALLOWED_FINISH_ARGS))
        missing = sorted(set(ALLOWED_FINISH_ARGS) - set(finish_args))
        fail(f"finish-args differ from the allowed set: extra {extra}, missing {missing}")
    else:
        print("ok: finish-args are exactly: " + " ".join(ALLOWED_FINISH_ARGS))

    modules = []
    walk_modules(manifest.get("modules", []), modules)
    names = [m.get("name") for m in modules]
    for name in REQUIRED_MODULES:
        if name not in names:
            fail(f"module {name} is missing")

    for module in modules:
        for source in module.get("sources", []):
            if isinstance(source, str):
                fail(f"{module.get('name')}: sources from a separate file ({source})")
                continue
            kind = source.get("type")
            if kind in ("archive", "file") and "url" in source:
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    fail(f"{module.get('name')}: {source['url']} has no sha256")
                if not source["url"].startswith("https://"):
                    fail(f"{module.get('name')}: {source['url']} is not https")
            elif kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
                    fail(f"{module.get('name')}: git source without a pinned commit")

    app = modules[-1] if modules else {}
    if app.get("name") != "minimax-quota" or app.get("buildsystem") != "meson":
        fail("the last module must be minimax-quota, built with meson")
    elif not any(s.get("type") == "dir" and s.get("path") == ".."
                 for s in app.get("sources", []) if isinstance(s, dict)):
        fail("minimax-quota must build from the source tree (type: dir, path: ..)")

    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print(f"ok: {path} ({len(modules)} modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
