#!/usr/bin/python3
"""check-accounts.py: several accounts on the panel (issue 12).

Run by session.sh (E2E_CHECK=check-accounts.py, xfce4-panel's tray, a tall
screen). Three accounts are stored with the command line (the keys on its
standard input, the keyring libsecret's file backend, the list in a
keyfile GSettings backend): two Token Plan accounts, the looser one first,
and a pay-as-you-go one. A loopback server answers per key
("Authorization: Bearer KEY"). Checked over D-Bus as the panel reads them:

  - the tray menu has a section header per account, with its plan, and a
    "Balance: $25.40" row for the pay-as-you-go account;
  - the icon (its file name, its title) follows the tighter account, not
    the first one;
  - a screenshot of the open menu (accounts-menu.png), checked by eye;
  - no key in any log.

Prints TAP-like lines and "N passed, M failed".
"""

import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_tray", os.path.join(HERE, "check-tray.py"))
tray = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tray)

report = tray.report
require = tray.require
wait_for = tray.wait_for

PATH_BALANCE = "/account/query_balance"
KEY_LOOSE = "sk-cp-E2E-TEAM-B-KEY-0123456789abcdef"
KEY_TIGHT = "sk-cp-E2E-TEAM-A-KEY-0123456789abcdef"
KEY_PAYG = "sk-api-E2E-SPARE-KEY-0123456789abcdef"
KEYS = (KEY_LOOSE, KEY_TIGHT, KEY_PAYG)
EM_DASH = "\u2014"


class KeyServer:
    """Answers the quota and balance endpoints per API key, on loopback."""

    def __init__(self, answers):
        self.answers = answers  # (path, key) -> bytes
        self.hits = {}
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?", 1)[0]
                key = self.headers.get("Authorization", "").removeprefix("Bearer ")
                owner.hits[(path, key)] = owner.hits.get((path, key), 0) + 1
                body = owner.answers.get((path, key))
                if body is None:
                    body = b'{"base_resp":{"status_code":2049,"status_msg":"invalid api key"}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def accounts_env():
    env = dict(os.environ)
    env["GSETTINGS_BACKEND"] = "keyfile"
    env["SECRET_FILE_TEST_PASSWORD"] = "e2e-password"
    env.pop("MINIMAX_API_KEY", None)
    return env


def add_account(cli, url, name, key, env):
    result = subprocess.run([cli, f"--add-account={name}", "--base-url", url],
                            input=key + "\n", capture_output=True, text=True, env=env,
                            timeout=60)
    with open(os.path.join(tray.OUT_DIR, f"add-{name}.log"), "w", encoding="utf-8") as f:
        f.write(result.stdout + result.stderr)
    require(result.returncode == 0, f"the command line stores the account “{name}”",
            result.stdout + result.stderr)
    require(not any(k in result.stdout + result.stderr for k in KEYS),
            f"adding “{name}” prints no key")


def open_menu_shot(props_before_shot):
    """Clicks the icon on the panel and takes accounts-menu.png."""
    shot = os.path.join(tray.OUT_DIR, "accounts-panel.png")
    menu_shot = os.path.join(tray.OUT_DIR, "accounts-menu.png")
    empty = os.path.join(tray.TMP, "accounts-empty-strip.png")
    tray.panel_strip(os.path.join(tray.OUT_DIR, "accounts-empty.png"), empty)

    def drawn():
        tray.screenshot(shot)
        return tray.changed_pixels(empty, tray.panel_strip(shot, os.path.join(
            tray.TMP, "accounts-strip.png"))) > 200
    if not report.check(wait_for(drawn, 15, interval=0.5), "the panel draws the icon",
                        f"see {shot}"):
        return
    box = tray.changed_box(empty, os.path.join(tray.TMP, "accounts-strip.png"))
    if not report.check(box is not None, "the icon's place on the panel is found", box):
        return
    width, height = tray.screen_size(shot)
    below = f"{width}x{height - tray.PANEL_HEIGHT}+0+{tray.PANEL_HEIGHT}"
    pointer = tray.Pointer()
    try:
        pointer.click(box[0] + box[2] // 2, box[1] + box[3] // 2)

        def menu_drawn():
            tray.screenshot(menu_shot)
            return tray.region_changed(shot, menu_shot, below) > 5000
        opened = wait_for(menu_drawn, 10, interval=0.5)
        if opened:
            time.sleep(1.0)  # fully drawn
            tray.screenshot(menu_shot)
        report.check(opened, "clicking the icon opens the menu of every account",
                     f"see {menu_shot}")
        report.note(f"screenshot: {menu_shot}")
        pointer.key(tray.XK_ESCAPE)
    finally:
        pointer.close()


def checks(server, applet):
    item = wait_for(lambda: tray.find_item(applet.pid), 30)
    require(item is not None, "the applet's item is registered with the watcher")

    def settled():
        props = tray.item_props(item)
        rows = tray.menu_rows(item, props)
        labels = [r["label"].strip() for r in rows]
        if any(l.startswith("Balance: ") for l in labels) and \
                any(l.startswith("team-a " + EM_DASH) for l in labels) and \
                tray.icon_percent(props) is not None:
            return props, rows
        return None
    got = wait_for(settled, 40, interval=0.5)
    props = tray.item_props(item)
    rows = tray.menu_rows(item, props)
    if got:
        props, rows = got
    # Rows of a section are indented with spaces.
    labels = [r["label"].strip() for r in rows]
    detail = tray.describe(props, rows)

    headers = [l for l in labels if l == "team-b" or l.startswith("team-b " + EM_DASH) or
               l.startswith("team-a " + EM_DASH) or l.startswith("spare " + EM_DASH)]
    report.check(len(headers) == 3, "the menu has a section header per account", detail)
    report.check(any(l.startswith("team-a " + EM_DASH) and "plan" in l for l in labels),
                 "a Token Plan section header names its plan", detail)
    report.check(f"spare {EM_DASH} pay-as-you-go" in labels,
                 "the pay-as-you-go section says so", detail)
    report.check("Balance: $25.40" in labels, "the pay-as-you-go account shows its balance",
                 detail)
    order = [h.split(" ")[0] for h in headers]
    report.check(order == ["team-b", "team-a", "spare"],
                 "the sections follow the stored order (team-b first)", detail)

    # The icon follows the tighter account (team-a, 15%), not the first.
    report.check(tray.icon_percent(props) == 15, "the icon follows the tighter account (15%)",
                 detail)
    report.check("team-a" in (props.get("Title") or "") or
                 any(l.startswith("team-a: ") for l in labels),
                 "the tray's header names the account the icon shows", detail)
    report.check(server.hits.get((tray.PATH_CURRENT, KEY_LOOSE), 0) >= 1 and
                 server.hits.get((tray.PATH_CURRENT, KEY_TIGHT), 0) >= 1 and
                 server.hits.get((PATH_BALANCE, KEY_PAYG), 0) >= 1,
                 "every account is fetched with its own key", repr(server.hits))

    open_menu_shot(props)


def run():
    fixtures = tray.write_fixtures()
    require(tray.name_has_owner(tray.WATCHER), "xfce4-panel provides org.kde.StatusNotifierWatcher")

    pointer = tray.Pointer()
    pointer.paint_desktop(0x2E5E86)
    pointer.close()
    tray.screenshot(os.path.join(tray.OUT_DIR, "accounts-empty.png"))

    def read(path):
        with open(path, "rb") as f:
            return f.read()
    answers = {
        (tray.PATH_CURRENT, KEY_LOOSE): read(fixtures[tray.GOOD_FIXTURE]),
        (tray.PATH_CURRENT, KEY_TIGHT): read(fixtures[tray.LOW_FIXTURE]),
        (PATH_BALANCE, KEY_PAYG): read(os.path.join(tray.DATA_DIR, "balance-strings.json")),
    }
    server = KeyServer(answers)
    env = accounts_env()
    cli = os.path.join(os.path.dirname(os.environ["E2E_APPLET"]), "leeway")
    require(os.access(cli, os.X_OK), "the command line is built beside the applet", cli)

    add_account(cli, server.url, "team-b", KEY_LOOSE, env)
    add_account(cli, server.url, "team-a", KEY_TIGHT, env)
    add_account(cli, server.url, "spare", KEY_PAYG, env)

    applet = tray.Process("applet-accounts", [os.environ["E2E_APPLET"], "--base-url", server.url,
                                              "--interval", "3600"], env=env)
    try:
        checks(server, applet)
    finally:
        alive = applet.alive()
        applet.stop()
        server.stop()
        report.check(alive, "the applet is still running at the end")
        logs = applet.log_text()
        report.check(not any(k in logs or k[7:] in logs for k in KEYS),
                     "no key appears in the applet's log")
        if report.failed:
            report.note("--- applet-accounts.log ---\n" + logs[-4000:])


def main():
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
