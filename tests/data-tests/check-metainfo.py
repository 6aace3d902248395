#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check what a software store shows from the metainfo.

    check-metainfo.py METAINFO SCREENSHOTS_DIR
    check-metainfo.py self-test METAINFO SCREENSHOTS_DIR

appstreamcli validates the format; this checks the content a store needs:
- screenshots: the default one is the main window; every image comes from
  the tag of the newest release (…/vX.Y.Z/data/screenshots/NAME.png), never
  a branch, names a file that exists in SCREENSHOTS_DIR with the width and
  height it states, and has a caption;
- releases: newest first, each with a date and notes;
- branding: a primary colour for the light and for the dark scheme;
- keywords MiniMax, quota, Token Plan and tray; a content rating; a
  launchable desktop file; the binary it provides.
self-test: the metainfo passes, and broken copies each fail their check.
"""

import copy
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REQUIRED_KEYWORDS = ["minimax", "quota", "token plan", "tray"]
IMAGE_URL = re.compile(
    r"https://raw\.githubusercontent\.com/[^/]+/[^/]+/(?P<ref>[^/]+)/data/screenshots/(?P<name>[\w.-]+\.png)")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def check(root, shots_dir):
    problems = []
    # Flathub: no vendor's name in the application's name (any language).
    for name in root.findall("name"):
        if "minimax" in (name.text or "").lower():
            problems.append(f"the name {name.text!r} carries the vendor's name")
    releases = root.findall("releases/release")
    if not releases:
        problems.append("no releases")
        newest = None
    else:
        newest = releases[0].get("version")
        versions = [tuple(int(x) for x in r.get("version", "0").split(".")) for r in releases]
        if versions != sorted(versions, reverse=True):
            problems.append("releases are not newest first")
        for release in releases:
            if not release.get("date"):
                problems.append(f"release {release.get('version')} has no date")
            if release.find("description") is None:
                problems.append(f"release {release.get('version')} has no notes")

    shots = root.findall("screenshots/screenshot")
    if not shots:
        problems.append("no screenshots")
    defaults = [s for s in shots if s.get("type") == "default"]
    if len(defaults) != 1:
        problems.append(f"{len(defaults)} default screenshots, expected one")
    for shot in shots:
        image = shot.find("image")
        url = image.text.strip() if image is not None and image.text else ""
        match = IMAGE_URL.fullmatch(url)
        if shot.find("caption") is None or not (shot.find("caption").text or "").strip():
            problems.append(f"screenshot {url} has no caption")
        if not match:
            problems.append(f"screenshot {url!r} is not a raw file of the repository")
            continue
        if newest is not None and match["ref"] != f"v{newest}":
            problems.append(f"screenshot {url} is from {match['ref']}, not the tag v{newest}")
        path = Path(shots_dir) / match["name"]
        if not path.is_file():
            problems.append(f"screenshot {match['name']} is not in {shots_dir}")
            continue
        size = png_size(path)
        stated = (image.get("width"), image.get("height"))
        if size is None or stated != (str(size[0]), str(size[1])):
            problems.append(f"screenshot {match['name']} is {size}, the metainfo says {stated}")
    if defaults and defaults[0].find("image") is not None and \
            not (defaults[0].find("image").text or "").strip().endswith("/window.png"):
        problems.append("the default screenshot is not the main window (window.png)")

    schemes = sorted(c.get("scheme_preference", "") for c in root.findall("branding/color")
                     if c.get("type") == "primary" and re.fullmatch(r"#[0-9a-fA-F]{6}", c.text or ""))
    if schemes != ["dark", "light"]:
        problems.append(f"branding: primary colours for {schemes}, expected light and dark")

    keywords = [(k.text or "").strip().lower() for k in root.findall("keywords/keyword")]
    for keyword in REQUIRED_KEYWORDS:
        if keyword not in keywords:
            problems.append(f"keyword {keyword!r} is missing")
    if root.find("content_rating") is None:
        problems.append("no content rating")
    launchable = root.find("launchable")
    if launchable is None or launchable.get("type") != "desktop-id" or \
            not (launchable.text or "").endswith(".desktop"):
        problems.append("no launchable desktop file")
    if not [b for b in root.findall("provides/binary") if (b.text or "").strip()]:
        problems.append("provides no binary")
    if root.find("developer/name") is None:
        problems.append("no developer block")
    return problems


def broken_variants(root):
    def variant(change):
        broken = copy.deepcopy(root)
        change(broken)
        return broken

    def branch_url(r):
        image = r.find("screenshots/screenshot/image")
        image.text = re.sub(r"/v\d+\.\d+\.\d+/", "/main/", image.text)

    def no_caption(r):
        # Every caption of the screenshot, the translated ones too.
        shot = r.find("screenshots/screenshot")
        for caption in shot.findall("caption"):
            shot.remove(caption)

    def wrong_size(r):
        r.find("screenshots/screenshot/image").set("height", "1")

    def missing_file(r):
        image = r.find("screenshots/screenshot/image")
        image.text = image.text.replace("window.png", "nowhere.png")

    def old_first(r):
        releases = r.find("releases")
        first = releases[0]
        releases.remove(first)
        releases.append(first)

    def no_dark(r):
        branding = r.find("branding")
        for color in list(branding):
            if color.get("scheme_preference") == "dark":
                branding.remove(color)

    def no_tray(r):
        keywords = r.find("keywords")
        for k in list(keywords):
            if (k.text or "").strip().lower() == "tray":
                keywords.remove(k)

    def no_binary(r):
        r.remove(r.find("provides"))

    def no_rating(r):
        r.remove(r.find("content_rating"))

    def vendor_name(r):
        r.find("name").text = "MiniMax Quota"

    return [
        ("a screenshot from a branch", "not the tag", variant(branch_url)),
        ("a screenshot without caption", "no caption", variant(no_caption)),
        ("a wrong screenshot size", "the metainfo says", variant(wrong_size)),
        ("a screenshot file missing", "is not in", variant(missing_file)),
        ("releases oldest first", "newest first", variant(old_first)),
        ("no dark brand colour", "branding", variant(no_dark)),
        ("no tray keyword", "'tray'", variant(no_tray)),
        ("no provided binary", "provides no binary", variant(no_binary)),
        ("no content rating", "content rating", variant(no_rating)),
        ("the vendor's name in the app's name", "vendor's name", variant(vendor_name)),
    ]


def main():
    args = sys.argv[1:]
    self_test = args[:1] == ["self-test"]
    if self_test:
        args = args[1:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root = ET.parse(args[0]).getroot()
    problems = check(root, args[1])
    if not self_test:
        for problem in problems:
            print(f"FAIL: {problem}")
        if problems:
            return 1
        print(f"ok: {args[0]}")
        return 0

    failed = bool(problems)
    print(("ok" if not problems else "not ok") + f" 1 - {args[0]} passes {problems or ''}")
    number = 1
    for number, (what, expected, broken) in enumerate(broken_variants(root), start=2):
        found = check(broken, args[1])
        hit = any(expected in p for p in found)
        failed |= not hit
        print(("ok" if hit else "not ok") + f" {number} - {what} fails: "
              + ("; ".join(p for p in found if expected in p) or f"got {found}"))
    print(f"1..{number}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
