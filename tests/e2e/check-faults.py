#!/usr/bin/python3
"""check-faults.py: the applet through every fault of the fake server, and
where its secrets and files go (meson test --suite e2e, test e2e-faults).

Runs inside the private desktop session of run-e2e.sh and session.sh
(session bus, Xvfb, xfce4-panel's status tray, dunst), chosen there with
E2E_CHECK=check-faults.py. Reuses the pieces of check-tray.py (reporting,
processes, D-Bus helpers, screenshots).

The real applet, with G_MESSAGES_DEBUG=all, umask 000 and folders of its
own (HOME, XDG_*), is pointed at mq-fake-server. For each fault (half a
body, 50 MB chunked and with Content-Length, a redirect to another host,
invalid UTF-8, 10,000-deep nesting, 429 with Retry-After, header lines
without end, a gzip bomb, a stall after the headers, good and bad answers
in turn), "Refresh now" is clicked
through the menu (com.canonical.dbusmenu Event, as the panel does) and:

  - the applet is still running;
  - the icon still shows the last good value (63);
  - the title and the menu's status line mark the data stale and name the
    cause;
  - the icon turns to its stale form;
  - after the good answer comes back the stale mark is gone.

Then the hostile and oversized answers of issue 9, each followed by the
good answer again: 200 models in the plan at 10% (at most 4 notifications,
counted as Notify calls and in dunst); names with terminal escapes, a
newline forging "Text models 100%" and bidi overrides (no C0/C1 control,
no U+202A-202E/2066-2069 and no forged line in any menu label, the title
or a notification); 20,000 rows (a bounded menu, the applet's RSS within
+25 MiB of its baseline, under 1 s of CPU); end_time null with
remains_time 1 s (at most 1 + 1 requests in 30 s); a refresh storm of
20 clicks a second for 60 s (at most one request per 5 s); and, last,
429 with Retry-After 3600 (20 clicks send nothing, the menu says "Rate
limited until HH:MM"). The figures are printed as "# ..." lines.

Then: the redirect target was never asked; the key is nowhere in the
applet's debug output, the tray item's properties, the whole menu layout,
the notifications, or what the screen shows (see screen_text()); every
file the applet wrote under its runtime folder is 0600 in 0700 folders.

Prints TAP-like lines and ends with "N passed, M failed".
"""

import importlib.util
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("check_tray", os.path.join(HERE, "check-tray.py"))
tray = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tray)

report = tray.report
require = tray.require
wait_for = tray.wait_for

APP_ID = tray.APP_ID
PATH_CURRENT = tray.PATH_CURRENT
TMP = tray.TMP
OUT_DIR = tray.OUT_DIR

# A made-up key, different from check-tray's; none of it may show anywhere.
API_KEY = "sk-cp-FAULTS-E2E-KEY-fedcba9876543210"
SECRET_PART = API_KEY[6:]

# The fault, the words the menu's status line and the title use for the
# cause (mq-view.c), and how long the failing fetch may take.
FAULTS = [
    ("half-body", "Offline", 10),
    ("huge", "Unreadable answer", 10),
    ("huge-length", "Unreadable answer", 10),
    ("redirect", "MiniMax server error", 10),
    ("invalid-utf8", "Unreadable answer", 10),
    ("deep-nesting", "Unreadable answer", 10),
    # Short, so that the check can wait for its end (below).
    ("rate-limited=8", "Rate limited", 10),
    ("huge-headers", "Offline", 10),
    ("gzip-bomb", "Unreadable answer", 10),
    # The applet's I/O timeout (10 s) ends a stall, before its 30 s total.
    ("stall", "MiniMax did not answer in time", 20),
]


class FaultServer(tray.FakeServer):
    """mq-fake-server with its control port, plus the fault routes."""

    def fault(self, mode):
        query = urllib.parse.urlencode({"path": PATH_CURRENT, "mode": mode})
        self._request("/fault?" + query, method="POST")

    def held(self):
        for line in self._request("/faults").splitlines():
            if line.startswith("held "):
                return int(line.split()[1])
        return 0

    def streamed(self):
        for line in self._request("/faults").splitlines():
            name, _, count = line.rpartition(" ")
            if name == PATH_CURRENT:
                return int(count)
        return 0


class OtherHost(tray.Process):
    """A second fake server: the redirect target, which must see nothing."""

    def __init__(self, executable):
        self.url_file = os.path.join(TMP, "other-url")
        self.hits_file = os.path.join(TMP, "other-hits")
        super().__init__("other-host", [executable, "--port-file", self.url_file,
                                        "--hits-file", self.hits_file,
                                        "--route", f"{PATH_CURRENT}=200:"])
        if not wait_for(lambda: os.path.getsize(self.url_file) > 0, 10):
            self.stop()
            raise tray.Abort("the second fake server did not start:\n" + self.log_text())
        with open(self.url_file, encoding="utf-8") as f:
            self.url = f.read().strip()

    def total_hits(self):
        """After stop(): every request it received."""
        with open(self.hits_file, encoding="utf-8") as f:
            for line in f:
                if line.startswith("* "):
                    return int(line.split()[1])
        return -1


def private_home():
    """Folders of the applet's own: everything under them was written by
    the applet (or the libraries it loads), nothing by the panel or dunst."""
    root = os.path.join(TMP, "applet-home")
    dirs = {
        "HOME": os.path.join(root, "home"),
        "XDG_CONFIG_HOME": os.path.join(root, "config"),
        "XDG_DATA_HOME": os.path.join(root, "data"),
        "XDG_CACHE_HOME": os.path.join(root, "cache"),
        "XDG_STATE_HOME": os.path.join(root, "state"),
        "XDG_RUNTIME_DIR": os.path.join(root, "runtime"),
    }
    for name, path in dirs.items():
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)
    return root, dirs


def start_applet(applet_path, url, dirs):
    env = dict(os.environ)
    env.update(dirs)
    env["MINIMAX_API_KEY"] = API_KEY
    env["G_MESSAGES_DEBUG"] = "all"
    # Files the applet does not make private on purpose would come out
    # world-readable and writable.
    old = os.umask(0)
    try:
        return tray.Process("applet-faults", [applet_path, "--base-url", url,
                                              "--interval", "3600"], env=env)
    finally:
        os.umask(old)


# --------------------------------------------------------------------------
# What the tray shows


def state(item):
    props = tray.item_props(item)
    rows = tray.menu_rows(item, props)
    status = [r["label"] for r in rows
              if "showing data from" in r["label"] or " · data from " in r["label"]
              or r["label"].startswith("Updated ")]
    return props, rows, (status[0] if status else "")


def full_layout(item, props):
    """The whole menu as the host gets it: every property of every entry."""
    return tray.call(item[0], props["Menu"], tray.MENU_IFACE, "GetLayout",
                     tray.GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))")


# The applet sends at most one request per 5 s for "Refresh now" (issue
# 9.6): each click that must fetch waits for that.
MANUAL_GAP_S = 6.0
last_manual = [0.0]


def click_refresh(server, item):
    time.sleep(max(0.0, last_manual[0] + MANUAL_GAP_S - time.monotonic()))
    last_manual[0] = time.monotonic()
    props = tray.item_props(item)
    rows = tray.menu_rows(item, props)
    refresh = [r for r in rows if re.match(r"refresh", r["label"], re.I)]
    if not refresh:
        raise tray.Abort("no \"Refresh now\" in the menu:\n" + tray.describe(props, rows))
    before = server.hits()
    tray.click(item, props, refresh[0]["id"])
    return wait_for(lambda: server.hits() > before, 10)


# The item's properties and its menu are read with two calls; the applet
# may update between them, so a wait ends only when both agree.


def stale_status(status, cause):
    """The status line of stale data: "Offline — showing data from 14:02",
    or for a 429 "Rate limited until 15:40 · data from 14:02" (issue 9)."""
    return (status.startswith(cause + " — showing data from")
            or re.match(re.escape(cause) + r" until \d{1,2}:\d{2} · data from ", status))


def stale_title(title, cause):
    return cause in title and ("showing data from" in title or " · data from " in title)


def wait_stale(item, cause, timeout):
    def shown():
        props, rows, status = state(item)
        if (stale_status(status, cause)
                and cause in props.get("Title", "")
                and props.get("IconName", "").endswith("-stale")):
            return props, rows, status
        return None
    return wait_for(shown, timeout)


def wait_fresh(item, timeout=10):
    def shown():
        props, rows, status = state(item)
        if (status.startswith("Updated ") and "refreshing" not in status
                and not stale_title(props.get("Title", ""), "")
                and not props.get("IconName", "").endswith("-stale")):
            return props, rows, status
        return None
    return wait_for(shown, timeout)


def check_fresh(applet, item, what):
    fresh = wait_fresh(item)
    props, rows, status = fresh or state(item)
    report.check(fresh is not None and applet.alive(),
                 f"{what}: the good answer clears the stale mark (\"{status}\")",
                 tray.describe(props, rows))
    title = props.get("Title", "")
    report.check(tray.icon_percent(props) == 63 and "63%" in title
                 and not stale_title(title, "")
                 and not props.get("IconName", "").endswith("-stale"),
                 f"{what}: title and icon are fresh again", tray.describe(props, rows))


def check_stale(applet, item, what, cause, timeout):
    stale = wait_stale(item, cause, timeout)
    props, rows, status = stale or state(item)
    detail = tray.describe(props, rows)
    report.check(applet.alive(), f"{what}: the applet is still running")
    report.check(stale is not None,
                 f"{what}: the menu's status line says \"{cause} — showing data from …\" "
                 f"(a 429: \"{cause} until HH:MM · data from …\")", detail)
    report.check(tray.icon_percent(props) == 63,
                 f"{what}: the icon keeps the last good value (63)", detail)
    title = props.get("Title", "")
    report.check("63%" in title and stale_title(title, cause),
                 f"{what}: the title keeps 63% and names the cause", title)
    report.check(props.get("IconName", "").endswith("-stale"),
                 f"{what}: the icon is in its stale form", props.get("IconName"))
    report.check(any(r["label"].startswith("Text models") and "63%" in r["label"] for r in rows),
                 f"{what}: the menu keeps the model rows", detail)
    return props, rows


# --------------------------------------------------------------------------
# Screen, secrets, files


def open_menu_screenshot(empty_shot, path):
    """Clicks the icon on the panel (XTest), takes a screenshot with the
    menu open, closes it with Escape. True when the menu was seen."""
    shot = os.path.join(TMP, "faults-panel.png")
    tray.screenshot(shot)
    strip_empty = tray.panel_strip(empty_shot, os.path.join(TMP, "faults-strip-empty.png"))
    strip = tray.panel_strip(shot, os.path.join(TMP, "faults-strip.png"))
    box = tray.changed_box(strip_empty, strip)
    if box is None:
        return False
    width, height = tray.screen_size(shot)
    below_panel = f"{width}x{height - tray.PANEL_HEIGHT}+0+{tray.PANEL_HEIGHT}"
    pointer = tray.Pointer()
    try:
        pointer.click(box[0] + box[2] // 2, box[1] + box[3] // 2)

        def menu_drawn():
            tray.screenshot(path)
            return tray.region_changed(shot, path, below_panel) > 5000
        opened = wait_for(menu_drawn, 10, interval=0.5)
        pointer.key(tray.XK_ESCAPE)
        pointer.move(width // 2, height - 1)
        return bool(opened)
    finally:
        pointer.close()


def screen_text(props, layout, notifications):
    """What the screenshot can show, as text. No OCR is available here, so
    instead of reading the pixels this gathers every string the host and
    dunst are given to draw: the screen shows nothing else of ours. The
    panel draws the icon (a PNG of a number), the title (the tooltip) and,
    with the menu open, the dbusmenu labels; dunst draws the notifications'
    app name, summary and body."""
    labels = []

    def walk(node):
        _, properties, children = node
        labels.append(str(properties.get("label", "")))
        labels.append(str(properties.get("accessible-desc", "")))
        for child in children:
            walk(child)
    walk(layout[1])
    texts = labels + [props.get("Title", ""), props.get("IconAccessibleDesc", ""),
                      props.get("XAyatanaLabel", ""), json.dumps(props.get("ToolTip", ""))]
    for appname, summary, body in notifications:
        texts += [appname, summary, body]
    return "\n".join(texts)


def has_key(text):
    return SECRET_PART in text or API_KEY in text or "Bearer" in text


def walk_modes(root):
    """(path, mode, kind) of everything under root, root included."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [dirpath] + [os.path.join(dirpath, n) for n in filenames]:
            st = os.lstat(name)
            kind = "dir" if stat.S_ISDIR(st.st_mode) else (
                "file" if stat.S_ISREG(st.st_mode) else "other")
            found.append((name, stat.S_IMODE(st.st_mode), kind))
    return found


# --------------------------------------------------------------------------
# Hostile and oversized answers (issue 9): bodies made here, in the temp
# folder, and served with the control port's /route (200:@FILE).

# C0 and C1 controls (DEL included), and the bidi embeddings, overrides and
# isolates: none may reach a label, a title or a notification.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
UNSAFE_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORGED = "Text models 100%"

HOSTILE_NAMES = [
    "general\x1b]0;pwned title\x07\x1b[2J",
    "video\nText models 100%",
    "image\u202eten\u2066x\u2069\u200f\u061c\u0085\u009b",
]
MANY_LOW_MODELS = 200
MANY_ROWS = 20000
# The applet's RSS with a 20,000-row answer, held and after it, against
# the baseline before it. The snapshot keeps 256 models of it
# (MQ_SNAPSHOT_MAX_MODELS) and the parser's freed memory is handed back
# (mq-heap.c); measured +2 MiB either way (it was +225 MiB, then +131).
RSS_MARGIN_KIB = 25 * 1024
# The applet hands freed memory back two seconds after a big answer
# (mq-poller.c): RSS is read after this long, and then until it is within
# the margin, RSS_SETTLE_S at most.
RSS_TRIM_WAIT_S = 3
RSS_SETTLE_S = 8
# The menu of any answer: at most 12 models (24 rows with their sub-rows,
# mq-view.h), "N more models…", and the 10 or so rows of the headline,
# status and actions.
MENU_ROWS_LIMIT = 40
# Measured about 1 s; the bound leaves room for a loaded machine.
ROWS_CPU_LIMIT_S = 3.0
STORM_CLICKS_PER_S = 20
STORM_S = 60


def window_row(name, percent, template):
    row = dict(template)
    row["model_name"] = name
    row["current_interval_remaining_percent"] = percent
    row["current_interval_usage_count"] = row["current_interval_total_count"] * percent // 100
    return row


def write_body(fixtures, name, rows=None, edit=None):
    """The good fixture (times at now) with its rows replaced or edited;
    returns its path in the temp folder."""
    with open(fixtures[tray.GOOD_FIXTURE], encoding="utf-8") as f:
        data = json.load(f)
    if rows is not None:
        data["model_remains"] = rows(data["model_remains"][0])
    if edit is not None:
        edit(data)
    path = os.path.join(TMP, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
    return path


def hostile_rows(text):
    # The text lane stays clean at 40%; the hostile names are in the plan
    # and low, so that they reach notifications too.
    return [window_row("general", 40, text)] + [window_row(n, 10, text) for n in HOSTILE_NAMES]


def many_low_rows(text):
    return [window_row("general", 10, text)] + \
        [window_row(f"model-{i:03d}", 10, text) for i in range(1, MANY_LOW_MODELS)]


def many_rows(text):
    short = {k: text[k] for k in ("start_time", "end_time", "current_interval_total_count")}
    rows = [text]
    for i in range(1, MANY_ROWS):
        row = dict(short, model_name=f"model-{i:05d}",
                   current_interval_usage_count=945, current_interval_remaining_percent=63)
        rows.append(row)
    return rows


def no_end_time(data):
    for row in data["model_remains"]:
        row["end_time"] = None
        row["remains_time"] = 1000


def proc_rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def proc_cpu_s(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled_cpu(pid, quiet=1.0, timeout=60):
    """The applet's CPU time once it has used none for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    last = proc_cpu_s(pid)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = proc_cpu_s(pid)
        if now == last:
            return now
        last = now
    return last


def settled_rss(pid, baseline):
    """The applet's RSS once it has handed memory back (two seconds after a
    big answer): the lowest of three readings a second apart, so that a
    moment's work (a menu or a report being rebuilt) is not taken for memory
    kept; while that is over the margin, more readings, RSS_SETTLE_S at
    most."""
    time.sleep(RSS_TRIM_WAIT_S)
    readings = [proc_rss_kib(pid)]
    deadline = time.monotonic() + RSS_SETTLE_S
    while len(readings) < 3 or (min(readings) - baseline > RSS_MARGIN_KIB
                                and time.monotonic() < deadline):
        time.sleep(1.0)
        readings.append(proc_rss_kib(pid))
    return min(readings)


def layout_strings(layout):
    """Every label and accessible description in the menu layout."""
    found = []

    def walk(node):
        _, properties, children = node
        for key in ("label", "accessible-desc"):
            if key in properties:
                found.append(str(properties[key]))
        for child in children:
            walk(child)
    walk(layout[1])
    return found


def layout_entries(layout):
    count = [0]

    def walk(node):
        count[0] += 1
        for child in node[2]:
            walk(child)
    for child in layout[1][2]:
        walk(child)
    return count[0]


def forged_lines(texts):
    return [t for t in texts for line in t.split("\n") if line.strip().startswith(FORGED)]


def refresh_id(item):
    rows = tray.menu_rows(item, tray.item_props(item))
    return [r for r in rows if re.match(r"refresh", r["label"], re.I)][0]["id"]


def serve_and_refresh(server, item, path):
    server.answer("200:@" + path)
    return click_refresh(server, item)


def back_to_good(server, applet, item, fixtures, what):
    report.check(serve_and_refresh(server, item, fixtures[tray.GOOD_FIXTURE]),
                 f"{what}: \"Refresh now\" fetches the good answer")
    check_fresh(applet, item, what)


def hostile_checks(server, applet, item, fixtures, monitor):
    """(a) Names with terminal escapes, a newline and bidi overrides."""
    path = write_body(fixtures, "hostile-names-served.json", rows=hostile_rows)
    before_calls = monitor.count()
    report.check(serve_and_refresh(server, item, path), "hostile names: \"Refresh now\" fetches")
    shown = wait_for(lambda: (lambda p: p if "40%" in p.get("Title", "") else None)(
        tray.item_props(item)), 10)
    props = shown or tray.item_props(item)
    wait_for(lambda: monitor.count() >= before_calls + len(HOSTILE_NAMES), 10)
    time.sleep(1.0)
    layout = full_layout(item, props)
    labels = layout_strings(layout)
    calls = monitor.calls[before_calls:]
    sent = [str(c[3]) for c in calls] + [str(c[4]) for c in calls]
    dunst = [t for n in tray.dunst_notifications() for t in n[1:]]
    report.note("hostile names: menu:\n" + "\n".join(repr(label) for label in labels))
    report.note("hostile names: Notify summary/body: " + repr(sent))
    report.check(applet.alive(), "hostile names: the applet is still running")
    report.check(any(label.startswith("general") or "pwned" in label for label in labels)
                 and len(calls) >= 1,
                 "hostile names: the rows reach the menu and the notifications",
                 f"labels: {labels}\ncalls: {calls}")
    bad = [label for label in labels if UNSAFE.search(label)]
    report.check(not bad, "hostile names: no menu label has a C0/C1 control or a bidi override",
                 repr(bad))
    title = props.get("Title", "")
    report.check(not UNSAFE_BUT_NEWLINE.search(title) and not forged_lines([title]),
                 "hostile names: the item title has no control, bidi override or forged line",
                 repr(title))
    bad = [t for t in sent + dunst if UNSAFE_BUT_NEWLINE.search(t)]
    report.check(not bad, "hostile names: no notification summary or body (sent, and in "
                 "dunst's history) has a control or a bidi override", repr(bad))
    forged = forged_lines(labels + sent + dunst + [props.get("IconAccessibleDesc", "")])
    report.check(not forged, f"hostile names: no label or notification has a forged "
                 f"\"{FORGED}\" line", repr(forged))
    report.check(not any("\n" in label for label in labels),
                 "hostile names: no menu label spans two lines", repr(labels))
    back_to_good(server, applet, item, fixtures, "after hostile names")


def many_low_checks(server, applet, item, fixtures, monitor):
    """(b) 200 models in the plan at 10%: a handful of notifications."""
    path = write_body(fixtures, "many-low-served.json", rows=many_low_rows)
    before_calls = monitor.count()
    before_dunst = tray.dunst_count()
    report.check(serve_and_refresh(server, item, path), "200 low models: \"Refresh now\" fetches")
    wait_for(lambda: monitor.count() > before_calls, 10)
    # Then nothing more for a while: every notification of this refresh is in.
    wait_for(lambda: tray.stays(lambda n=monitor.count(): monitor.count() == n, 2), 20)
    calls = monitor.count() - before_calls
    shown = tray.dunst_count() - before_dunst
    report.note(f"notifications per refresh with {MANY_LOW_MODELS} models at 10%: "
                f"{calls} Notify calls, {shown} in dunst")
    report.check(1 <= calls <= 4, f"200 low models: 1 to 4 notifications from the refresh "
                 f"({calls} Notify calls)", repr(monitor.calls[before_calls:]))
    report.check(shown <= 4, f"200 low models: dunst got at most 4 ({shown})")
    report.check(applet.alive(), "200 low models: the applet is still running")
    back_to_good(server, applet, item, fixtures, "after 200 low models")


def many_rows_checks(server, applet, item, fixtures):
    """(c) 20,000 rows: a short menu, bounded RSS and CPU."""
    path = write_body(fixtures, "many-rows-served.json", rows=many_rows)
    size = os.path.getsize(path)
    pid = applet.pid
    cpu_before = settled_cpu(pid)
    rss_before = proc_rss_kib(pid)
    report.check(serve_and_refresh(server, item, path),
                 f"20,000 rows: \"Refresh now\" fetches ({size:,} bytes)")

    def more_row():
        rows = tray.menu_rows(item, tray.item_props(item))
        return rows if any(re.search(r"\d+ more models", r["label"]) for r in rows) else None
    rows = wait_for(more_row, 30)
    cpu_after = settled_cpu(pid)
    rss_after = settled_rss(pid, rss_before)
    props = tray.item_props(item)
    entries = layout_entries(full_layout(item, props))
    rows = rows or tray.menu_rows(item, props)
    report.note(f"rss 20,000 rows ({size:,} bytes): baseline {rss_before / 1024:.1f} MiB, "
                f"with the answer {rss_after / 1024:.1f} MiB "
                f"({(rss_after - rss_before) / 1024:+.1f} MiB)")
    report.note(f"cpu 20,000 rows: fetch, parse, view and menu {cpu_after - cpu_before:.2f} s; "
                f"menu: {len(rows)} visible rows, {entries} entries in the layout")
    report.check(rows is not None and any(re.search(r"\d+ more models", r["label"]) for r in rows),
                 "20,000 rows: the menu ends its models with \"N more models…\"",
                 tray.describe(props, rows))
    models = [r for r in rows if r["depth"] == 1 and re.search(r"\(5-hour\)|% left", r["label"])]
    report.check(len(rows) <= MENU_ROWS_LIMIT,
                 f"20,000 rows: the menu has at most {MENU_ROWS_LIMIT} rows ({len(rows)}, "
                 f"{len(models)} of them models)", tray.describe(props, rows))
    report.check(rss_after - rss_before <= RSS_MARGIN_KIB,
                 f"20,000 rows held: RSS within +{RSS_MARGIN_KIB // 1024} MiB of the baseline "
                 f"({(rss_after - rss_before) / 1024:+.1f} MiB)",
                 f"{rss_before} -> {rss_after} KiB")
    report.check(cpu_after - cpu_before < ROWS_CPU_LIMIT_S,
                 f"20,000 rows: under {ROWS_CPU_LIMIT_S:.0f} s of CPU to take it in "
                 f"({cpu_after - cpu_before:.2f} s)")
    report.check(applet.alive() and tray.icon_percent(props) == 63,
                 "20,000 rows: the applet runs and shows the text lane (63)",
                 tray.describe(props))
    cpu_before = cpu_after
    back_to_good(server, applet, item, fixtures, "after 20,000 rows")
    cpu_after = settled_cpu(pid)
    rss_back = settled_rss(pid, rss_before)
    report.note(f"rss after the good answer again: {rss_back / 1024:.1f} MiB "
                f"({(rss_back - rss_before) / 1024:+.1f} MiB from the baseline); "
                f"tearing the menu down {cpu_after - cpu_before:.2f} s of CPU")
    report.check(rss_back - rss_before <= RSS_MARGIN_KIB,
                 f"back to the good answer: RSS within +{RSS_MARGIN_KIB // 1024} MiB of the baseline "
                 f"({(rss_back - rss_before) / 1024:+.1f} MiB)",
                 f"{rss_before} -> {rss_back} KiB")
    report.check(cpu_after - cpu_before < ROWS_CPU_LIMIT_S,
                 f"back to the good answer: under {ROWS_CPU_LIMIT_S:.0f} s of CPU "
                 f"({cpu_after - cpu_before:.2f} s)")


RESET_WATCH_S = 30


def no_end_time_checks(server, applet, item, fixtures):
    """(d) end_time null and remains_time 1 s: no refresh every few seconds."""
    path = write_body(fixtures, "no-end-time-served.json", edit=no_end_time)
    report.check(serve_and_refresh(server, item, path), "end_time null: \"Refresh now\" fetches")
    start = server.hits()
    time.sleep(RESET_WATCH_S)
    made = server.hits() - start
    report.note(f"end_time null, remains_time 1 s: {made} requests in {RESET_WATCH_S} s "
                "without a click")
    report.check(made <= 2, f"end_time null: at most 1 + 1 requests in {RESET_WATCH_S} s ({made})")
    report.check(applet.alive(), "end_time null: the applet is still running")
    back_to_good(server, applet, item, fixtures, "after end_time null")


def storm_checks(server, applet, item):
    """A refresh storm: 20 clicks a second on "Refresh now" for 60 s."""
    props = tray.item_props(item)
    ident = refresh_id(item)
    time.sleep(max(0.0, last_manual[0] + MANUAL_GAP_S - time.monotonic()))
    before = server.hits()
    started = time.monotonic()
    clicks = 0
    while time.monotonic() - started < STORM_S:
        time.sleep(max(0.0, started + clicks / STORM_CLICKS_PER_S - time.monotonic()))
        tray.click(item, props, ident)
        clicks += 1
    elapsed = time.monotonic() - started
    time.sleep(1.0)
    made = server.hits() - before
    last_manual[0] = time.monotonic()
    per_minute = made * 60.0 / elapsed
    report.note(f"refresh storm: {clicks} clicks in {elapsed:.1f} s, {made} requests "
                f"({per_minute:.1f} per minute)")
    limit = int(elapsed // 5) + 2
    report.check(made <= limit, f"refresh storm: at most one request per 5 s ({made} for "
                 f"{clicks} clicks, limit {limit})")
    report.check(made >= 2, f"refresh storm: clicks still refresh ({made} requests)")
    report.check(applet.alive(), "refresh storm: the applet is still running")
    check_fresh(applet, item, "after the refresh storm")


def retry_after_checks(server, applet, item):
    """(e) 429 with Retry-After 3600, then 20 clicks: nothing sent. Last:
    the applet asks nothing more for an hour."""
    server.fault("rate-limited=3600")
    report.check(click_refresh(server, item), "Retry-After 3600: \"Refresh now\" fetches")
    stale = wait_stale(item, "Rate limited", 10)
    report.check(stale is not None, "Retry-After 3600: the menu says \"Rate limited\"")
    before = server.hits()
    ident = refresh_id(item)
    props = tray.item_props(item)
    for _ in range(20):
        tray.click(item, props, ident)
        time.sleep(0.1)
    quiet = tray.stays(lambda: server.hits() == before, 3)
    report.note(f"Retry-After 3600: {server.hits() - before} requests after 20 clicks")
    report.check(quiet, "Retry-After 3600: 20 clicks on \"Refresh now\" send no request",
                 f"hits before {before}, now {server.hits()}")
    rows = tray.menu_rows(item, tray.item_props(item))
    until = [r["label"] for r in rows if re.search(r"Rate limited until \d{1,2}:\d{2}", r["label"])]
    report.check(bool(until), "Retry-After 3600: the menu says \"Rate limited until HH:MM\"",
                 tray.describe(tray.item_props(item), rows))
    report.check(applet.alive(), "Retry-After 3600: the applet is still running")
    server.fault("none")


# --------------------------------------------------------------------------
# The test


def run(applet_path, fake_server_path):
    fixtures = tray.write_fixtures()
    served = os.path.join(TMP, "faults-served.json")
    with open(fixtures[tray.GOOD_FIXTURE], encoding="utf-8") as src, \
            open(served, "w", encoding="utf-8") as dst:
        dst.write(src.read())

    require(tray.name_has_owner(tray.WATCHER), "xfce4-panel provides the StatusNotifierWatcher")
    require(tray.name_has_owner("org.freedesktop.Notifications"), "dunst is on the bus")

    pointer = tray.Pointer()
    pointer.paint_desktop(0x2E5E86)
    pointer.close()
    empty_shot = os.path.join(OUT_DIR, "faults-panel-empty.png")
    tray.screenshot(empty_shot)

    server = FaultServer(fake_server_path, served)
    processes = [server]
    other = OtherHost(fake_server_path)
    processes.append(other)
    root, dirs = private_home()
    applet = start_applet(applet_path, server.url, dirs)
    processes.append(applet)
    started = time.monotonic()

    try:
        checks(server, other, applet, empty_shot, fixtures, dirs)
    finally:
        applet_alive = applet.alive()
        for process in reversed(processes):
            process.stop()
        report.check(applet_alive, "the applet is still running at the end")
        report.check(other.total_hits() == 0,
                     "the redirect target (another host) received no request",
                     f"hits: {other.total_hits()}")
        log = applet.log_text()
        report.check("mq-client-DEBUG" in log and "GLib-GIO-DEBUG" in log,
                     "the applet's log has the debug output (G_MESSAGES_DEBUG=all)",
                     log[-2000:])
        report.check(not has_key(log + server.log_text() + other.log_text()),
                     "the API key appears in no log, debug output included")
        warnings = [line for line in log.splitlines()
                    if re.search(r"(CRITICAL|WARNING) \*\*", line)]
        report.check(not warnings, "the applet logs no warning or critical",
                     "\n".join(warnings[:20]))
        files = walk_modes(dirs["XDG_RUNTIME_DIR"])
        icon_dir = os.path.join(dirs["XDG_RUNTIME_DIR"], "app", APP_ID)
        ours = [f for f in files if f[0].startswith(os.path.join(dirs["XDG_RUNTIME_DIR"], "app"))]
        report.check(any(f[2] == "file" and f[0].startswith(icon_dir) for f in ours),
                     "the applet wrote its icons under $XDG_RUNTIME_DIR/app/<app id>/",
                     "\n".join(f[0] for f in files))
        bad = [f"{path}: {kind} {mode:o}" for path, mode, kind in ours
               if (kind == "dir" and mode != 0o700) or (kind == "file" and mode != 0o600)
               or kind == "other"]
        report.check(not bad, "under umask 000 its files there are 0600 and its folders 0700",
                     "\n".join(bad))
        others = [f"{path}: {kind} {mode:o}" for path, mode, kind in walk_modes(root)
                  if not path.startswith(os.path.join(dirs["XDG_RUNTIME_DIR"], "app"))
                  and path not in dirs.values() and path != root]
        loose = [line for line in others if line.endswith(("666", "777", "664", "775"))]
        report.note("other files in the applet's own folders:\n" + ("\n".join(others) or "(none)"))
        report.check(not loose, "nothing else it wrote is writable by others", "\n".join(loose))
        report.note(f"applet run: {time.monotonic() - started:.1f} s")
        if report.failed:
            report.note("--- applet-faults.log (last lines) ---\n" + log[-4000:])


def checks(server, other, applet, empty_shot, fixtures, dirs):
    item = wait_for(lambda: tray.find_item(applet.pid) if applet.alive() else None, 20)
    require(item is not None, f"the applet's item ({APP_ID}) registers with the watcher",
            f"applet alive: {applet.alive()}")
    fresh = wait_for(lambda: (lambda p: p if tray.icon_percent(p) == 63 else None)(
        tray.item_props(item)), 20)
    require(fresh is not None, "the icon shows 63 from the first fetch",
            tray.describe(tray.item_props(item)))

    redirect_to = other.url + PATH_CURRENT
    stale_screen = ""
    for mode, cause, timeout in FAULTS:
        what = mode.split("=")[0]
        server.fault(f"redirect={redirect_to}" if mode == "redirect" else mode)
        report.check(click_refresh(server, item), f"{what}: \"Refresh now\" fetches again")
        if what == "stall":
            report.check(wait_for(lambda: server.held() == 1, 5),
                         "stall: the server holds the connection after the headers")
            props, rows, status = state(item)
            report.check(applet.alive() and tray.icon_percent(props) == 63
                         and "refreshing" in status,
                         "stall: meanwhile the applet answers, shows 63% and \"refreshing\"",
                         tray.describe(props, rows))
        props, rows = check_stale(applet, item, what, cause, timeout)
        if what == "stall":
            report.check(wait_for(lambda: server.held() == 0, 5),
                         "stall: the applet closed the stalled connection")
        if what == "huge":
            sent = server.streamed()
            report.note(f"huge: {sent} bytes streamed before the applet closed")
            report.check(0 < sent < 50_000_000, "huge: the applet did not take the 50 MB body",
                         sent)
        if what == "rate-limited":
            # The screenshot with the menu open, while an error line shows.
            menu_shot = os.path.join(OUT_DIR, "faults-menu.png")
            report.check(open_menu_screenshot(empty_shot, menu_shot),
                         "clicking the icon opens the menu (screenshot faults-menu.png)")
            stale_screen = screen_text(props, full_layout(item, props), [])
            report.note("the menu with an error line:\n" + tray.describe(props, rows))
            # Retry-After holds for "Refresh now" too: nothing until it ends.
            limited_at = time.monotonic()
            before = server.hits()
            tray.click(item, tray.item_props(item),
                       [r for r in rows if re.match(r"refresh", r["label"], re.I)][0]["id"])
            report.check(tray.stays(lambda: server.hits() == before, 2),
                         "rate-limited: \"Refresh now\" sends nothing before Retry-After ends",
                         f"hits before {before}, now {server.hits()}")
            time.sleep(max(0.0, limited_at + 8.5 - time.monotonic()))
        server.fault("none")
        report.check(click_refresh(server, item), f"{what}: \"Refresh now\" fetches the good answer")
        check_fresh(applet, item, what)

    # Good and bad in turn (bad: HTTP 500).
    server.fault("alternate")
    for turn in range(4):
        report.check(click_refresh(server, item), f"alternate {turn + 1}: \"Refresh now\" fetches")
        if turn % 2 == 0:
            check_fresh(applet, item, f"alternate {turn + 1} (good)")
        else:
            check_stale(applet, item, f"alternate {turn + 1} (bad)", "MiniMax server error", 10)
    server.fault("none")

    # Hostile and oversized answers (issue 9).
    monitor = tray.NotifyMonitor()
    try:
        many_low_checks(server, applet, item, fixtures, monitor)
        hostile_checks(server, applet, item, fixtures, monitor)
    finally:
        monitor.close()
    many_rows_checks(server, applet, item, fixtures)
    no_end_time_checks(server, applet, item, fixtures)
    storm_checks(server, applet, item)

    # A notification, so that the notifications checked below are not none.
    server.answer("200:@" + fixtures[tray.LOW_FIXTURE])
    click_refresh(server, item)
    report.check(wait_for(lambda: tray.dunst_count() >= 1, 10),
                 "falling to 15% shows a notification")

    props = tray.item_props(item)
    layout = full_layout(item, props)
    notifications = tray.dunst_notifications()
    report.note(f"notifications: {notifications}")
    report.check(not has_key(json.dumps(props, default=str)),
                 "no key in the tray item's properties (GetAll)")
    report.check(not has_key(str(layout)), "no key in the whole menu layout (GetLayout)")
    report.check(not has_key(json.dumps(notifications)), "no key in the notifications (dunst)")
    shown = screen_text(props, layout, notifications)
    report.check(not has_key(shown + stale_screen) and "15%" in shown
                 and " data from " in stale_screen,
                 "no key in anything the screen shows (labels, title, notifications)")

    # Last, as it leaves the applet rate-limited for an hour.
    retry_after_checks(server, applet, item)


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.monotonic()
    try:
        run(os.environ["E2E_APPLET"], os.environ["E2E_FAKE_SERVER"])
    except tray.Abort as error:
        report.note(f"stopped early: {error}")
    except Exception as error:  # report, then fail: never pass by accident
        report.check(False, f"the test ran to the end ({type(error).__name__})", repr(error))
    except SystemExit:
        report.check(False, "the test ran to the end (interrupted)")
        print(f"{report.passed} passed, {report.failed} failed", flush=True)
        raise
    report.note(f"check-faults: {time.monotonic() - started:.1f} s")
    print(f"{report.passed} passed, {report.failed} failed", flush=True)
    return 1 if report.failed or report.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
