#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifests.

    check-flatpak-manifest.py dev MANIFEST       the development manifest
    check-flatpak-manifest.py flathub MANIFEST   the one for Flathub
    check-flatpak-manifest.py self-test MANIFEST a Flathub manifest, then
        broken copies of it, each of which must fail its one check

flatpak-builder --show-manifest must parse it; then:
- id, command and runtime are the project's; the runtime is GNOME's;
- finish-args are exactly the allowed set, nothing broader;
- libportal: one pinned module built with the GTK 3 backend only while the
  runtime (< 51) has no libportal-gtk3, none once it has (>= 51);
- CMake modules install into lib (-DCMAKE_INSTALL_LIBDIR=lib), not lib64;
- every module but the app's cleans up after itself;
- every archive or file source is pinned with a https URL and a sha256,
  every git source with a commit;
- the last module builds the project with meson: from the working tree
  (type: dir) in the development manifest, from a git tag and commit (never
  a dir) in the Flathub one.

Exit 77 only when flatpak-builder is not installed (Debian: flatpak-builder).
"""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

KINDS = {
    "dev": {"id": "io.github.leewayapp.Leeway", "command": "leeway",
            "module": "leeway"},
    "flathub": {"id": "io.github.leewayapp.Leeway", "command": "leeway",
                "module": "leeway", "git": "https://github.com/leewayapp/leeway.git"},
}
ALLOWED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--talk-name=org.kde.StatusNotifierWatcher",
]
REQUIRED_MODULES = ["libdbusmenu", "ayatana-ido", "libayatana-indicator",
                    "libayatana-appindicator"]
# The first GNOME runtime that ships libportal-gtk3.
RUNTIME_WITH_LIBPORTAL_GTK3 = 51
# The oldest GNOME runtime still supported (GNOME 49 is past its end of life).
OLDEST_RUNTIME = 50
LIBPORTAL_OPTS = [
    "-Dbackend-gtk3=enabled", "-Dbackend-gtk4=disabled", "-Dbackend-qt5=disabled",
    "-Dbackend-qt6=disabled", "-Ddocs=false", "-Dtests=false",
    "-Dintrospection=false", "-Dvapi=false",
]


def walk_modules(modules, found, problems):
    for module in modules:
        if isinstance(module, str):
            problems.append(f"module included from a separate file ({module}): inline it so it is checked")
            continue
        found.append(module)
        walk_modules(module.get("modules", []), found, problems)


def check(manifest, kind):
    """The problems of a parsed manifest (a list of strings, empty when fine)."""
    want = KINDS[kind]
    problems = []

    for key, value in (("id", want["id"]), ("command", want["command"]),
                       ("runtime", "org.gnome.Platform"), ("sdk", "org.gnome.Sdk")):
        if manifest.get(key) != value:
            problems.append(f"{key} is {manifest.get(key)!r}, expected {value!r}")
    version = str(manifest.get("runtime-version", ""))
    runtime = int(version) if re.fullmatch(r"\d+", version) else None
    if runtime is None:
        problems.append(f"runtime-version {version!r} is not a GNOME release number")
    elif runtime < OLDEST_RUNTIME:
        problems.append(f"runtime-version {runtime} is past its end of life (use {OLDEST_RUNTIME} or later)")

    finish_args = manifest.get("finish-args", [])
    if sorted(finish_args) != sorted(ALLOWED_FINISH_ARGS) or \
            len(finish_args) != len(set(finish_args)):
        extra = sorted(set(finish_args) - set(ALLOWED_FINISH_ARGS))
        missing = sorted(set(ALLOWED_FINISH_ARGS) - set(finish_args))
        problems.append(f"finish-args differ from the allowed set: extra {extra}, missing {missing}")

    modules = []
    walk_modules(manifest.get("modules", []), modules, problems)
    names = [m.get("name") for m in modules]
    for name in REQUIRED_MODULES:
        if name not in names:
            problems.append(f"module {name} is missing")

    portals = [m for m in modules if m.get("name") == "libportal"]
    if runtime is not None and runtime < RUNTIME_WITH_LIBPORTAL_GTK3:
        if len(portals) != 1:
            problems.append(f"runtime {runtime} has no libportal-gtk3: build exactly one "
                            f"libportal module (found {len(portals)})")
        elif sorted(portals[0].get("config-opts", [])) != sorted(LIBPORTAL_OPTS):
            problems.append("libportal must be built with the GTK 3 backend only: "
                            + " ".join(LIBPORTAL_OPTS))
    elif runtime is not None and portals:
        problems.append(f"runtime {runtime} ships libportal-gtk3: drop the libportal module")

    app = modules[-1] if modules else {}
    for module in modules:
        name = module.get("name")
        if module.get("buildsystem") in ("cmake", "cmake-ninja") and \
                "-DCMAKE_INSTALL_LIBDIR=lib" not in module.get("config-opts", []):
            problems.append(f"{name}: a CMake module without -DCMAKE_INSTALL_LIBDIR=lib "
                            "installs into lib64 on some flatpak-builders")
        if module is not app and not module.get("cleanup"):
            problems.append(f"{name}: no cleanup")
        for source in module.get("sources", []):
            if isinstance(source, str):
                problems.append(f"{name}: sources from a separate file ({source})")
                continue
            source_kind = source.get("type")
            if source_kind in ("archive", "file") and "url" in source:
                if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
                    problems.append(f"{name}: {source['url']} has no sha256")
                if not source["url"].startswith("https://"):
                    problems.append(f"{name}: {source['url']} is not https")
            elif source_kind == "git":
                if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")) or \
                        set(source.get("commit", "")) == {"0"}:
                    problems.append(f"{name}: git source without a pinned commit")
                if not source.get("url", "").startswith("https://"):
                    problems.append(f"{name}: git source {source.get('url')!r} is not https")
            elif source_kind == "dir" and kind == "flathub":
                problems.append(f"{name}: a dir source (Flathub builds from a tag or an archive)")

    if app.get("name") != want["module"] or app.get("buildsystem") != "meson":
        problems.append(f"the last module must be {want['module']}, built with meson")
    else:
        sources = [s for s in app.get("sources", []) if isinstance(s, dict)]
        if kind == "dev":
            if not any(s.get("type") == "dir" and s.get("path") == ".." for s in sources):
                problems.append(f"{want['module']} must build from the source tree (type: dir, path: ..)")
        elif not any(s.get("type") == "git" and s.get("url") == want["git"] and
                     re.fullmatch(r"v\d+\.\d+\.\d+", s.get("tag", "")) for s in sources):
            problems.append(f"{want['module']} must build from a release tag (vX.Y.Z) of {want['git']}")
    return problems


def show_manifest(path):
    proc = subprocess.run(["flatpak-builder", "--show-manifest", path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr)
        return None
    return json.loads(proc.stdout)


def module(manifest, name):
    return next(m for m in manifest["modules"] if m.get("name") == name)


def broken_variants(good):
    """(what is broken, the check that must say so, a broken manifest)."""
    def variant(change):
        broken = copy.deepcopy(good)
        change(broken)
        return broken

    def dir_source(m):
        m["modules"][-1]["sources"] = [{"type": "dir", "path": "../.."}]

    def unpinned_commit(m):
        m["modules"][-1]["sources"][0]["commit"] = "0" * 40

    def no_tag(m):
        del m["modules"][-1]["sources"][0]["tag"]

    def no_libportal(m):
        m["modules"] = [x for x in m["modules"] if x.get("name") != "libportal"]

    def two_libportals(m):
        m["modules"].insert(0, copy.deepcopy(module(m, "libportal")))

    def libportal_gtk4(m):
        opts = module(m, "libportal")["config-opts"]
        opts[opts.index("-Dbackend-gtk4=disabled")] = "-Dbackend-gtk4=enabled"

    def runtime_51_with_libportal(m):
        m["runtime-version"] = "51"

    def old_runtime(m):
        m["runtime-version"] = "49"

    def broad(arg):
        return lambda m: m["finish-args"].append(arg)

    def no_libdir(m):
        opts = module(m, "ayatana-ido")["config-opts"]
        opts.remove("-DCMAKE_INSTALL_LIBDIR=lib")

    def no_cleanup(m):
        del module(m, "libayatana-indicator")["cleanup"]

    def no_sha256(m):
        del module(m, "libportal")["sources"][0]["sha256"]

    return [
        ("a dir source", "a dir source", variant(dir_source)),
        ("an all-zero commit", "without a pinned commit", variant(unpinned_commit)),
        ("no release tag", "release tag", variant(no_tag)),
        ("libportal missing on runtime < 51", "exactly one libportal", variant(no_libportal)),
        ("libportal twice", "exactly one libportal", variant(two_libportals)),
        ("libportal with GTK 4", "GTK 3 backend only", variant(libportal_gtk4)),
        ("libportal on runtime 51", "drop the libportal module", variant(runtime_51_with_libportal)),
        ("GNOME 49", "end of life", variant(old_runtime)),
        ("--filesystem=home", "finish-args", variant(broad("--filesystem=home"))),
        ("--socket=session-bus", "finish-args", variant(broad("--socket=session-bus"))),
        ("org.freedesktop.secrets", "finish-args",
         variant(broad("--talk-name=org.freedesktop.secrets"))),
        ("--device=all", "finish-args", variant(broad("--device=all"))),
        ("a CMake module without LIBDIR", "CMAKE_INSTALL_LIBDIR", variant(no_libdir)),
        ("a module without cleanup", "no cleanup", variant(no_cleanup)),
        ("an archive without sha256", "has no sha256", variant(no_sha256)),
    ]


def self_test(path):
    """Each broken copy, written out and parsed again by flatpak-builder,
    must fail with its own message; the untouched manifest must pass."""
    good = show_manifest(path)
    if good is None:
        print(f"FAIL: flatpak-builder --show-manifest {path} failed")
        return 1
    failed = 0
    problems = check(good, "flathub")
    print(("ok" if not problems else "not ok") + f" 1 - {path} passes")
    failed += bool(problems)
    with tempfile.TemporaryDirectory() as tmp:
        for number, (what, expected, broken) in enumerate(broken_variants(good), start=2):
            broken_path = os.path.join(tmp, f"broken-{number}.json")
            with open(broken_path, "w") as f:
                json.dump(broken, f)
            parsed = show_manifest(broken_path)
            problems = check(parsed, "flathub") if parsed is not None else ["unparsable"]
            hit = any(expected in p for p in problems)
            print(("ok" if hit else "not ok") + f" {number} - {what} fails: "
                  + ("; ".join(p for p in problems if expected in p) or f"got {problems}"))
            failed += not hit
        print(f"1..{number}")
    return 1 if failed else 0


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("dev", "flathub", "self-test"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, path = sys.argv[1], sys.argv[2]
    if shutil.which("flatpak-builder") is None:
        print("SKIP: flatpak-builder is not installed (Debian package: flatpak-builder)")
        return 77
    if kind == "self-test":
        return self_test(path)

    manifest = show_manifest(path)
    if manifest is None:
        print(f"FAIL: flatpak-builder --show-manifest {path} failed")
        return 1
    problems = check(manifest, kind)
    for problem in problems:
        print(f"FAIL: {problem}")
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print("ok: finish-args are exactly: " + " ".join(ALLOWED_FINISH_ARGS))
    print(f"ok: {path} ({len(manifest.get('modules', []))} top-level modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
