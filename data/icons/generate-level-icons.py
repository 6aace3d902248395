#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the stepped symbolic status icons of Leeway.

The tray shows a rendered PNG with the exact percentage; these SVGs are the
fallback named icons: a ring filled clockwise from the top in proportion to
the quota left (0, 10, ... 100 percent), and three states without a number
(error, unknown, no key). All shapes are filled paths in the symbolic colour
#2e3436, so that GTK and the panels can recolour them.

    generate-level-icons.py [--output-dir DIR]   write the icons
    generate-level-icons.py --check [DIR]        exit 1 if DIR differs

The outputs are committed under hicolor/scalable/status; run this script again
after changing it, and commit both.
"""

import argparse
import math
import os
import sys

APP_ID = "io.github.leewayapp.Leeway"
COLOR = "#2e3436"
SIZE = 16
CX = CY = SIZE / 2
R_OUT = 7.5
R_IN = 5.0
TRACK_OPACITY = 0.35
STEPS = range(0, 101, 10)
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "hicolor", "scalable", "status")


def num(value):
    """Format a coordinate: at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def point(radius, fraction):
    """Point on a circle, `fraction` of a turn clockwise from twelve o'clock."""
    angle = 2 * math.pi * fraction
    return CX + radius * math.sin(angle), CY - radius * math.cos(angle)


def ring():
    """The whole annulus, drawn with the even-odd rule."""
    top_out, bottom_out = (CX, CY - R_OUT), (CX, CY + R_OUT)
    top_in, bottom_in = (CX, CY - R_IN), (CX, CY + R_IN)
    return (f"M {num(top_out[0])} {num(top_out[1])} "
            f"A {num(R_OUT)} {num(R_OUT)} 0 1 1 {num(bottom_out[0])} {num(bottom_out[1])} "
            f"A {num(R_OUT)} {num(R_OUT)} 0 1 1 {num(top_out[0])} {num(top_out[1])} Z "
            f"M {num(top_in[0])} {num(top_in[1])} "
            f"A {num(R_IN)} {num(R_IN)} 0 1 0 {num(bottom_in[0])} {num(bottom_in[1])} "
            f"A {num(R_IN)} {num(R_IN)} 0 1 0 {num(top_in[0])} {num(top_in[1])} Z")


def sector(start, end):
    """Annulus sector from `start` to `end` (fractions of a turn, end > start)."""
    large = 1 if end - start > 0.5 else 0
    o1, o2 = point(R_OUT, start), point(R_OUT, end)
    i2, i1 = point(R_IN, end), point(R_IN, start)
    return (f"M {num(o1[0])} {num(o1[1])} "
            f"A {num(R_OUT)} {num(R_OUT)} 0 {large} 1 {num(o2[0])} {num(o2[1])} "
            f"L {num(i2[0])} {num(i2[1])} "
            f"A {num(R_IN)} {num(R_IN)} 0 {large} 0 {num(i1[0])} {num(i1[1])} Z")


def path(d, opacity=None):
    extra = f' opacity="{opacity}"' if opacity is not None else ""
    return f'  <path d="{d}" fill="{COLOR}" fill-rule="evenodd"{extra}/>'


def svg(title, shapes):
    body = "\n".join(shapes)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
            f'viewBox="0 0 {SIZE} {SIZE}">\n'
            f'  <title>{title}</title>\n'
            f'{body}\n'
            f'</svg>\n')


def level_icon(percent):
    title = f"{percent}% of the quota left"
    if percent <= 0:
        return svg(title, [path(ring(), TRACK_OPACITY)])
    if percent >= 100:
        return svg(title, [path(ring())])
    filled = percent / 100
    return svg(title, [path(sector(filled, 1), TRACK_OPACITY),
                       path(sector(0, filled))])


def error_icon():
    # A dimmed ring with an exclamation mark inside.
    mark = "M 7 4 H 9 V 9 H 7 Z M 7 10 H 9 V 12 H 7 Z"
    return svg("The quota could not be read", [path(ring(), TRACK_OPACITY),
                                                path(mark)])


def unknown_icon():
    # A dashed ring: eight arcs, the first centred at twelve o'clock.
    dashes = [sector(i / 8 - 1 / 32, i / 8 + 1 / 32) for i in range(8)]
    return svg("The quota is not known yet", [path(" ".join(dashes))])


def nokey_icon():
    # A dimmed ring with a key inside: round bow, shaft, one bit.
    bow_r, bow_hole = 2.25, 1.0
    bx = 6.0
    bow = (f"M {num(bx - bow_r)} {num(CY)} "
           f"A {num(bow_r)} {num(bow_r)} 0 1 1 {num(bx + bow_r)} {num(CY)} "
           f"A {num(bow_r)} {num(bow_r)} 0 1 1 {num(bx - bow_r)} {num(CY)} Z "
           f"M {num(bx - bow_hole)} {num(CY)} "
           f"A {num(bow_hole)} {num(bow_hole)} 0 1 0 {num(bx + bow_hole)} {num(CY)} "
           f"A {num(bow_hole)} {num(bow_hole)} 0 1 0 {num(bx - bow_hole)} {num(CY)} Z")
    shaft = "M 8 7.25 H 11.75 V 10.25 H 10.25 V 8.75 H 8 Z"
    return svg("No API key", [path(ring(), TRACK_OPACITY), path(bow),
                              path(shaft)])


def icons():
    result = {}
    for percent in STEPS:
        result[f"{APP_ID}-level-{percent}-symbolic.svg"] = level_icon(percent)
    result[f"{APP_ID}-error-symbolic.svg"] = error_icon()
    result[f"{APP_ID}-unknown-symbolic.svg"] = unknown_icon()
    result[f"{APP_ID}-nokey-symbolic.svg"] = nokey_icon()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default=DEFAULT_DIR)
    parser.add_argument("--check", nargs="?", const=DEFAULT_DIR, metavar="DIR",
                        help="compare DIR with what this script generates")
    args = parser.parse_args()

    if args.check:
        stale = []
        for name, text in icons().items():
            target = os.path.join(args.check, name)
            try:
                with open(target, encoding="utf-8") as f:
                    if f.read() != text:
                        stale.append(name)
            except FileNotFoundError:
                stale.append(name)
        for name in stale:
            print(f"out of date or missing: {name}", file=sys.stderr)
        if stale:
            print("run data/icons/generate-level-icons.py and commit the output",
                  file=sys.stderr)
            return 1
        print(f"all {len(icons())} status icons match the generator")
        return 0

    os.makedirs(args.output_dir, exist_ok=True)
    for name, text in icons().items():
        with open(os.path.join(args.output_dir, name), "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
