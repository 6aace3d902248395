#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the icons of Leeway: structure, colours, and real rendering.

    check-icons.py ICON_DIR     (the hicolor directory under data/icons)

- every icon is well-formed SVG with the expected size and viewBox;
- symbolic icons use filled shapes in #2e3436 only (no strokes, no other
  colours), so that GTK and the panels can recolour them;
- every icon renders with rsvg-convert to a 48x48 PNG that is not blank;
- the stepped level icons cover strictly more opaque pixels as the level
  rises, level-0 has no fully opaque pixel and level-100 is a whole ring.

Exit 77 only when rsvg-convert is not installed (Debian: librsvg2-bin).
"""

import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib

APP_ID = "io.github.leewayapp.Leeway"
SVG_NS = "{http://www.w3.org/2000/svg}"
SYMBOLIC_COLOR = "#2e3436"
RENDER = 48
LEVELS = list(range(0, 101, 10))
STATES = ["error", "unknown", "nokey"]

failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}")


def read_png_alpha(path):
    """Return the alpha channel of an 8-bit RGBA PNG as a list of rows."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = header
    if depth != 8 or color_type != 6 or interlace != 0:
        raise ValueError(f"unexpected PNG format {depth}/{color_type}/{interlace}")
    raw = zlib.decompress(idat)
    bpp, stride = 4, width * 4
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        filt = raw[start]
        line = bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            upleft = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filt == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([line[x * 4 + 3] for x in range(width)])
        prev = line
    return width, height, rows


def render(svg, tmp):
    png = os.path.join(tmp, os.path.basename(svg) + ".png")
    proc = subprocess.run(["rsvg-convert", "--width", str(RENDER),
                           "--height", str(RENDER), "--output", png, svg],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail(f"{svg}: rsvg-convert failed: {proc.stderr.strip()}")
        return None
    try:
        width, height, alpha = read_png_alpha(png)
    except (ValueError, zlib.error, struct.error, TypeError) as e:
        fail(f"{svg}: rendered PNG unreadable: {e}")
        return None
    if (width, height) != (RENDER, RENDER):
        fail(f"{svg}: rendered {width}x{height}, expected {RENDER}x{RENDER}")
        return None
    coverage = sum(1 for row in alpha for a in row if a > 0)
    opaque = sum(1 for row in alpha for a in row if a == 255)
    if coverage < RENDER * RENDER // 20:
        fail(f"{svg}: renders nearly blank ({coverage} visible pixels)")
    return opaque


def check_structure(svg, size, symbolic):
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        fail(f"{svg}: not well-formed XML: {e}")
        return
    if root.tag != SVG_NS + "svg":
        fail(f"{svg}: root element is {root.tag}, not svg")
        return
    if root.get("viewBox") != f"0 0 {size} {size}":
        fail(f"{svg}: viewBox {root.get('viewBox')!r}, expected '0 0 {size} {size}'")
    if root.get("width") != str(size) or root.get("height") != str(size):
        fail(f"{svg}: width/height are not {size}")
    if not symbolic:
        return
    for el in root.iter():
        if el.get("stroke") not in (None, "none"):
            fail(f"{svg}: symbolic icon has a stroke on <{el.tag[len(SVG_NS):]}>")
        fill = el.get("fill")
        if el.tag in (SVG_NS + "path", SVG_NS + "circle", SVG_NS + "rect") \
                and fill != SYMBOLIC_COLOR:
            fail(f"{svg}: symbolic shape filled with {fill!r}, not {SYMBOLIC_COLOR}")
        if el.get("style") is not None:
            fail(f"{svg}: inline style attribute in a symbolic icon")
    with open(svg, encoding="utf-8") as f:
        colors = set(re.findall(r"#[0-9a-fA-F]{6}\b", f.read()))
    if colors - {SYMBOLIC_COLOR}:
        fail(f"{svg}: colours other than {SYMBOLIC_COLOR}: {sorted(colors)}")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    hicolor = sys.argv[1]
    if shutil.which("rsvg-convert") is None:
        print("SKIP: rsvg-convert is not installed (Debian package: librsvg2-bin)")
        return 77

    app = os.path.join(hicolor, "scalable", "apps", f"{APP_ID}.svg")
    app_symbolic = os.path.join(hicolor, "symbolic", "apps", f"{APP_ID}-symbolic.svg")
    status = os.path.join(hicolor, "scalable", "status")
    levels = {n: os.path.join(status, f"{APP_ID}-level-{n}-symbolic.svg") for n in LEVELS}
    states = [os.path.join(status, f"{APP_ID}-{s}-symbolic.svg") for s in STATES]

    expected = [app, app_symbolic] + list(levels.values()) + states
    for path in expected:
        if not os.path.isfile(path):
            fail(f"missing icon {path}")
    extra = set(os.listdir(status)) - {os.path.basename(p) for p in list(levels.values()) + states}
    for name in sorted(extra):
        fail(f"unexpected file in {status}: {name} (add it to this check)")
    if failures:
        return 1

    check_structure(app, 128, symbolic=False)
    for path in [app_symbolic] + list(levels.values()) + states:
        check_structure(path, 16, symbolic=True)

    with tempfile.TemporaryDirectory() as tmp:
        render(app, tmp)
        render(app_symbolic, tmp)
        for path in states:
            render(path, tmp)
        opaque = {n: render(levels[n], tmp) for n in LEVELS}

    if None not in opaque.values():
        print("opaque pixels by level: " +
              ", ".join(f"{n}%={opaque[n]}" for n in LEVELS))
        if opaque[0] != 0:
            fail(f"level-0 has {opaque[0]} fully opaque pixels, expected none")
        for low, high in zip(LEVELS, LEVELS[1:]):
            if opaque[high] <= opaque[low]:
                fail(f"level-{high} is not fuller than level-{low} "
                     f"({opaque[high]} <= {opaque[low]} opaque pixels)")
        # A ring from radius 5 to 7.5 of 16 covers pi*(7.5^2-5^2)/256 = 38% of
        # the canvas; accept antialiasing losses at the edges.
        ring = 3.14159 * (7.5 ** 2 - 5 ** 2) / 256 * RENDER * RENDER
        if not 0.75 * ring <= opaque[100] <= 1.05 * ring:
            fail(f"level-100 covers {opaque[100]} opaque pixels, a full ring is about {ring:.0f}")

    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print(f"ok: {len(expected)} icons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
