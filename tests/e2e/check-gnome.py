#!/usr/bin/python3
"""check-gnome.py: the e2e checks on GNOME Shell 43 with the AppIndicator
extension, run by session-gnome.sh.

Starts the fake MiniMax server and the applet as check-tray.py does (its
helpers are reused), then checks what a GNOME user sees:

  - the applet's item registers with the extension's watcher;
  - the item carries the headline percentage (title, icon), said once: the
    label beside the icon is empty (show-label is off by default);
  - the top bar draws it (screenshot before and after);
  - a click on it in the top bar opens the menu, which lists the models;
  - the API key appears nowhere.

Writes gnome.png (and gnome-menu.png) to E2E_OUT_DIR; with
E2E_UPDATE_SCREENSHOT=1 also the README's crop, data/screenshots/gnome.png.
Prints TAP-like lines and ends with "N passed, M failed".
"""

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys

_spec = importlib.util.spec_from_file_location(
    "check_tray", os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-tray.py"))
tray = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tray)

report = tray.report


def split_item(entry):
    """The extension's watcher lists items as "BUS@/OBJECT/PATH"; xfce4-panel
    as "BUS/OBJECT/PATH" (check-tray.py reads that form)."""
    if "@" in entry:
        bus, _, path = entry.partition("@")
        return bus, path
    return tray_split_item(entry)


tray_split_item = tray.split_item
tray.split_item = split_item
TOP_BAR_HEIGHT = 32  # GNOME Shell 43's panel at scale 1 (about 30 px)


# The right half of the top bar, where the extension puts the items (the
# clock in the middle changes by itself).
BAR_RIGHT = f"512x{TOP_BAR_HEIGHT}+512+0"


def top_bar(path, out):
    subprocess.run(["convert", path, "-crop", BAR_RIGHT, "+repage", out],
                   timeout=30, check=True)
    return out


def mean_brightness(path):
    result = subprocess.run(["convert", path, "-format", "%[fx:mean]", "info:"],
                            capture_output=True, text=True, timeout=30, check=True)
    return float(result.stdout.strip() or 0)


def run(applet_path, fake_server_path):
    fixtures = tray.write_fixtures()
    served = os.path.join(tray.TMP, "served.json")
    shutil.copyfile(fixtures[tray.GOOD_FIXTURE], served)

    tray.require(tray.name_has_owner(tray.WATCHER),
                 "the AppIndicator extension provides org.kde.StatusNotifierWatcher")

    # The shell's first frames can still be black: wait for the top bar.
    empty_shot = os.path.join(tray.OUT_DIR, "gnome-empty.png")

    def bar_painted():
        tray.screenshot(empty_shot)
        return mean_brightness(top_bar(empty_shot, os.path.join(tray.TMP, "bar-first.png"))) > 0.05

    tray.require(tray.wait_for(bar_painted, 30), "GNOME Shell draws its top bar",
                 f"screenshot: {empty_shot}")

    server = tray.FakeServer(fake_server_path, served)
    env = dict(os.environ)
    env["MINIMAX_API_KEY"] = tray.API_KEY
    applet = tray.Process("applet", [applet_path, "--base-url", server.url,
                                     "--interval", "3600"], env=env)
    try:
        checks(server, applet, empty_shot)
    finally:
        alive = applet.alive()
        applet.stop()
        server.stop()
        report.check(alive, "the applet is still running at the end")
        logs = applet.log_text() + server.log_text()
        report.check(tray.API_KEY not in logs and tray.API_KEY[6:] not in logs,
                     "the API key appears in no log")
        warnings = [line for line in applet.log_text().splitlines()
                    if re.search(r"CRITICAL|WARNING|ERROR", line)]
        report.check(not warnings, "the applet logs no warning or critical",
                     "\n".join(warnings[:20]))
        if report.failed:
            report.note("--- applet.log ---\n" + applet.log_text()[-4000:])


def checks(server, applet, empty_shot):
    def applet_item():
        if not applet.alive():
            raise tray.Abort(f"the applet exited with status {applet.proc.returncode}")
        return tray.find_item(applet.pid)

    item = tray.wait_for(applet_item, 30)
    tray.require(item is not None, f"the applet's item ({tray.APP_ID}) registers on GNOME Shell",
                 f"registered: {tray.registered_items()}")

    def showing_63():
        props = tray.item_props(item)
        return props if "63%" in props.get("Title", "") else None

    props = tray.wait_for(showing_63, 20) or tray.item_props(item)
    report.check("63%" in props.get("Title", ""), "the title carries 63%", tray.describe(props))
    report.check("63%" in props.get("IconAccessibleDesc", ""),
                 "the icon's accessible description carries 63%", tray.describe(props))
    report.check(tray.icon_percent(props) == 63, "the icon drawn carries 63", tray.describe(props))
    report.check(props.get("XAyatanaLabel", "") == "",
                 "no \"63%\" label beside the icon (the number is in the icon)",
                 tray.describe(props))
    icon = tray.icon_file(props)
    report.check(os.path.isfile(icon) and tray.png_size(icon) is not None,
                 "IconName is a PNG in IconThemePath", tray.describe(props))

    # ---- the top bar draws it ------------------------------------------
    shot = os.path.join(tray.OUT_DIR, "gnome.png")
    strip_empty = top_bar(empty_shot, os.path.join(tray.TMP, "bar-empty.png"))

    def bar_changed():
        tray.screenshot(shot)
        return tray.changed_box(strip_empty, top_bar(shot, os.path.join(tray.TMP, "bar.png")))

    box = tray.wait_for(bar_changed, 20)
    report.check(box is not None, "the top bar draws the item", f"screenshot: {shot}")
    # An icon alone, about as wide as the bar is high; "63%" beside it would
    # add some 30 px.
    report.check(box is not None and box[2] <= 2 * TOP_BAR_HEIGHT,
                 "the top bar shows the icon without a label", f"changed box {box}; see {shot}")

    # ---- the menu --------------------------------------------------------
    rows = tray.menu_rows(item, props)
    labels = [r["label"] for r in rows]
    report.check(any("63%" in label for label in labels), "the menu's headline carries 63%",
                 tray.describe(props, rows))
    report.check(any("not in your plan" in label.lower() for label in labels),
                 "the menu says a model is not in the plan", tray.describe(props, rows))
    report.check(any(label.startswith("Refresh") for label in labels),
                 "the menu offers Refresh", tray.describe(props, rows))

    if box is not None:
        x, y, w, h = box
        # The box is within the right half of the bar: the item's icon and label.
        pointer = tray.Pointer()
        try:
            pointer.click(512 + x + w // 2, TOP_BAR_HEIGHT // 2)
            menu_shot = os.path.join(tray.OUT_DIR, "gnome-menu.png")

            def menu_open():
                tray.screenshot(menu_shot)
                return tray.region_changed(shot, menu_shot, f"1024x400+0+{TOP_BAR_HEIGHT + 4}") > 2000

            opened = tray.wait_for(menu_open, 10)
            report.check(opened, "a click on the item opens its menu under the top bar",
                         f"screenshot: {menu_shot}")
            if opened:
                # The menu's width: what changed in a band below the top bar
                # and the login banner (issue 10: under ~420 px).
                band = "1024x400+0+150"
                crops = []
                for index, path in enumerate((shot, menu_shot)):
                    out = os.path.join(tray.TMP, f"menu-band-{index}.png")
                    subprocess.run(["convert", path, "-crop", band, "+repage", out],
                                   timeout=30, check=True)
                    crops.append(out)
                menu_box = tray.changed_box(*crops)
                report.note(f"menu box (in the band {band}): {menu_box}")
                report.check(menu_box is not None and menu_box[2] < 420,
                             "the menu is narrower than 420 px",
                             f"changed box {menu_box}; see {menu_shot}")
            if opened and os.environ.get("E2E_UPDATE_SCREENSHOT") == "1":
                target = os.path.join(tray.TOP_SRC_DIR, "data", "screenshots", "gnome.png")
                subprocess.run(["convert", menu_shot, "-crop", "560x420+464+0", "+repage",
                                target], timeout=30, check=True)
                report.note(f"updated {target}")
            pointer.key(tray.XK_ESCAPE)
        finally:
            pointer.close()

    # ---- Refresh from the menu fetches again ------------------------------
    before = server.hits()
    refresh = next((r for r in rows if r["label"].startswith("Refresh")), None)
    if refresh is not None:
        tray.click(item, props, refresh["id"])
        report.check(tray.wait_for(lambda: server.hits() > before, 15),
                     "Refresh now fetches again", f"hits {before} -> {server.hits()}")


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        run(os.environ["E2E_APPLET"], os.environ["E2E_FAKE_SERVER"])
    except tray.Abort as error:
        report.note(f"stopped early: {error}")
    except Exception as error:  # report, then fail: never pass by accident
        report.check(False, f"the test ran to the end ({type(error).__name__})", repr(error))
    print(f"{report.passed} passed, {report.failed} failed", flush=True)
    return 1 if report.failed or report.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
