#!/usr/bin/python3
"""check-window.py: the main window in the e2e session (issue 14).

Run by session.sh (E2E_CHECK=check-window.py) on a larger screen. Two
desktops, as run-e2e.sh is asked:

  - with xfce4-panel's tray: a launch with no options opens the window and
    the icon is in the tray; Ctrl+W closes the window and the item stays
    registered (the applet runs on); "Open Leeway" in the tray menu
    (dbusmenu Event "clicked") shows the window again; Ctrl+Q quits;
    screenshots of the window, light and dark (window-light.png,
    window-dark.png);
  - with no tray host (E2E_NO_PANEL=1, dunst still running): a launch opens
    the window, the "no tray icons" notice comes exactly once; closing the
    window leaves the applet running and says how to reopen it; a second
    launch shows the window again; an applet started as on login
    (--background) opens the window itself once no host shows up.

The screenshots stay in the output folder (data/screenshots/window*.png,
1024x768 for the metainfo, are made apart). Prints TAP-like lines and
"N passed, M failed".
"""

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_tray", os.path.join(HERE, "check-tray.py"))
tray = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tray)

report = tray.report
require = tray.require
wait_for = tray.wait_for
TITLE = "Leeway"
NO_HOST_TITLE = "Your desktop shows no tray icons"
BACKGROUND_TITLE = "Leeway is still running"


def xdotool(*args):
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=20)
    return result.stdout.split() if result.returncode == 0 else []


def visible_windows():
    """The applet's visible top-level windows named TITLE (X window ids)."""
    return xdotool("search", "--onlyvisible", "--name", f"^{TITLE}$")


def window_shot(window, path):
    subprocess.run(["import", "-window", window, path], timeout=30, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def press(window, keys):
    """A real key press (XTest) in @window, focused first: no window manager
    gives it the focus."""
    xdotool("windowfocus", "--sync", window)
    time.sleep(0.2)
    xdotool("key", "--clearmodifiers", keys)


def start_applet(server, *options, env_extra=None, name="applet"):
    env = dict(os.environ)
    env["MINIMAX_API_KEY"] = tray.API_KEY
    env.update(env_extra or {})
    return tray.Process(name, [os.environ["E2E_APPLET"], "--base-url", server.url,
                               "--interval", "3600", *options], env=env, window=True)


def stop(applet):
    if applet.alive():
        applet.stop()


def shown_notices(title):
    return [n for n in tray.dunst_notifications() if n[1] == title]


def with_tray(server):
    applet = start_applet(server)
    try:
        item = wait_for(lambda: tray.find_item(applet.pid), 20)
        require(item is not None, "with a tray: the icon is in the tray")
        windows = wait_for(visible_windows, 20)
        require(bool(windows), "with a tray: a launch with no options opens the main window")
        window = windows[0]
        props = wait_for(lambda: (lambda p: p if "63%" in p.get("Title", "") else None)(
            tray.item_props(item)), 20) or tray.item_props(item)
        report.check("63%" in props.get("Title", ""), "the quota arrives", tray.describe(props))
        time.sleep(1.0)  # the chart and the gauge drawn
        light = window_shot(window, os.path.join(tray.OUT_DIR, "window-light.png"))
        report.note(f"screenshot: {light}")

        # Ctrl+W: closed (hidden), the applet runs on in the tray.
        press(window, "ctrl+w")
        report.check(wait_for(lambda: not visible_windows(), 10),
                     "Ctrl+W closes the window", visible_windows())
        time.sleep(1.0)
        report.check(applet.alive(), "closing the window keeps the applet running")
        report.check(tray.find_item(applet.pid) is not None,
                     "closing the window keeps the item in the tray")

        # "Open Leeway" in the tray menu shows it again.
        rows = tray.menu_rows(item, props)
        report.check(bool(rows) and rows[0]["label"] == "Open Leeway" and rows[0]["enabled"],
                     "the tray menu starts with an enabled “Open Leeway”",
                     tray.describe(props, rows))
        opener = [r for r in rows if r["label"] == "Open Leeway"]
        if opener:
            tray.click(item, props, opener[0]["id"])
        report.check(wait_for(visible_windows, 10), "“Open” in the tray menu shows the window again")

        # Ctrl+Q quits from the window.
        windows = visible_windows()
        if windows:
            press(windows[0], "ctrl+q")
        report.check(wait_for(lambda: not applet.alive(), 10), "Ctrl+Q quits the applet")
    finally:
        stop(applet)

    # Dark: the same window under the dark Adwaita variant.
    dark_applet = start_applet(server, env_extra={"GTK_THEME": "Adwaita:dark"}, name="applet-dark")
    try:
        windows = wait_for(visible_windows, 20)
        if report.check(bool(windows), "the dark window opens"):
            time.sleep(2.0)
            dark = window_shot(windows[0], os.path.join(tray.OUT_DIR, "window-dark.png"))
            report.note(f"screenshot: {dark}")
    finally:
        stop(dark_applet)


def without_tray(server, monitor):
    require(not tray.name_has_owner(tray.WATCHER), "no StatusNotifierWatcher on this desktop")
    applet = start_applet(server)
    try:
        windows = wait_for(visible_windows, 20)
        require(bool(windows), "without a tray: a launch opens the main window")
        # The applet waits MQ_INDICATOR_HOST_TIMEOUT_MS (5 s) for a host.
        report.check(wait_for(lambda: any(c[3] == NO_HOST_TITLE for c in monitor.calls), 15),
                     "the “no tray icons” notice is sent", monitor.calls)
        time.sleep(1.0)
        window_shot(windows[0], os.path.join(tray.OUT_DIR, "window-no-tray.png"))

        press(windows[0], "ctrl+w")
        report.check(wait_for(lambda: not visible_windows(), 10), "the window closes")
        report.check(wait_for(lambda: any(c[3] == BACKGROUND_TITLE for c in monitor.calls), 10),
                     "closing it says that the app is still running and how to reopen it",
                     monitor.calls)
        time.sleep(1.0)
        report.check(applet.alive(), "without a tray, closing the window keeps the applet running")

        # Launched again (the app grid): the running applet shows its window.
        again = tray.Process("applet-again", [os.environ["E2E_APPLET"]], window=True)
        again.proc.wait(timeout=20)
        report.check(again.proc.returncode == 0, "a second launch exits at once",
                     again.log_text())
        again.stop()
        report.check(wait_for(visible_windows, 10), "a second launch shows the window again")

        no_host = shown_notices(NO_HOST_TITLE)
        report.check(len(no_host) == 1, "dunst shows the “no tray icons” notice exactly once",
                     tray.dunst_notifications())
        report.check(sum(1 for c in monitor.calls if c[3] == BACKGROUND_TITLE) == 1,
                     "“still running” is said once", monitor.calls)
    finally:
        stop(applet)
    report.check(not visible_windows(), "the window goes with the applet")

    # Started as on login: the tray only, but with no tray the window is
    # the app.
    quiet = start_applet(server, "--background", name="applet-background")
    try:
        report.check(tray.stays(lambda: not visible_windows(), 3.0),
                     "--background opens no window at first")
        report.check(wait_for(visible_windows, 15),
                     "--background with no tray host opens the window once none shows up")
    finally:
        stop(quiet)


def run():
    fixtures = tray.write_fixtures()
    served = os.path.join(tray.TMP, "served.json")
    shutil.copyfile(fixtures[tray.GOOD_FIXTURE], served)
    require(tray.name_has_owner("org.freedesktop.Notifications"),
            "dunst provides org.freedesktop.Notifications")

    monitor = tray.NotifyMonitor()
    server = tray.FakeServer(os.environ["E2E_FAKE_SERVER"], served)
    try:
        if os.environ.get("E2E_NO_PANEL") == "1":
            without_tray(server, monitor)
        else:
            with_tray(server)
    finally:
        monitor.close()
        server.stop()
    logs = "".join(open(os.path.join(tray.OUT_DIR, f), encoding="utf-8", errors="replace").read()
                   for f in os.listdir(tray.OUT_DIR) if f.startswith("applet") and f.endswith(".log"))
    report.check(tray.API_KEY not in logs, "the API key appears in no log")


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    try:
        run()
    except tray.Abort as error:
        report.note(f"stopped early: {error}")
    except Exception as error:  # report, then fail: never pass by accident
        report.check(False, f"the test ran to the end ({type(error).__name__})", repr(error))
    print(f"{report.passed} passed, {report.failed} failed", flush=True)
    return 1 if report.failed or report.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
