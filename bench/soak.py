#!/usr/bin/python3
"""Soaks the tray applet: refreshes at 1 Hz for 10 minutes against a server
that cycles through good, failing and slow answers, and fails on growth.

Not a CI test: it takes as long as it says. Run inside a display and a
session bus, e.g.

    xvfb-run -a -s "-screen 0 800x600x24" dbus-run-session -- \\
        /usr/bin/python3 bench/soak.py --build build-perf --output docs/SOAK.md

What runs (all on this machine, in temporary directories):

- a loopback HTTP server in this script, answering the remains endpoint in
  80-second cycles of eight 10-second phases: good (63%), HTTP 500, slow
  (2 s delay, then good), HTTP 429 with Retry-After, a broken answer (in
  turn an HTML page, a body cut short, a dropped connection, invalid JSON),
  and good with a new percentage on every answer (crossing the low and
  critical thresholds, so alerts fire and re-arm), then (issue 9) 200
  models in the plan all at 10%, and a 20,000-row answer of about 2.5 MB;
- xfce4-panel's status tray (a real StatusNotifierWatcher and host) and
  dunst (notifications), when installed, so the applet takes the same paths
  as on a desktop: icon files, dbusmenu updates, GNotifications;
- the applet, `leeway-applet --base-url URL --interval 3600`,
  asked to refresh once a second, in turn through
  org.gtk.Actions.Activate("refresh") (the menu's "Refresh now") and
  io.github.leewayapp.Leeway.Quota1.Refresh() on the session bus: both run the
  same MqPoller -> MqClient fetch as the timer. The applet's floor (one
  asked-for request per 5 s, none inside a Retry-After) turns about one in
  five into a request: the soak is also a refresh storm.

Every 10 seconds it samples the applet's VmRSS, RssAnon, open file
descriptors, threads, CPU time (utime + stime) and the icon files in its
runtime directory. Windows are whole cycles of answers (every kind once),
so that like is compared with like: the second cycle, once the applet has
seen each kind of answer for the first time, and the last. It fails
(exit 1) when the applet dies, when RSS grows more than 2 MiB from the
second cycle's median to the last cycle's, when descriptors, threads or
icon files grow (the last cycle's lowest count above the second cycle's
highest), when the last cycle costs more than twice the CPU of the
second, when the applet logs a GLib critical, or when
it no longer shows the answer it was given last. It prints a markdown
report (and writes it to --output).
"""
import argparse
import datetime
import http.server
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import gi

gi.require_version("Gio", "2.0")
gi.require_version("GLib", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP_ID = "io.github.leewayapp.Leeway"
APP_PATH = "/io/github/leewayapp/Leeway"
KEY = "sk-cp-SOAK-KEY-not-a-real-one-0123456789abcdef"
PATH_CURRENT = "/v1/token_plan/remains"
WATCHER = "org.kde.StatusNotifierWatcher"
ITEM_IFACE = "org.kde.StatusNotifierItem"
PROPS_IFACE = "org.freedesktop.DBus.Properties"
CLK_TCK = os.sysconf("SC_CLK_TCK")

PHASES = ["good", "http 500", "slow", "http 429", "broken", "good, changing %",
          "200 models at 10%", "20,000 rows"]
BROKEN_KINDS = ["html page", "body cut short", "dropped connection", "invalid json"]
SLOW_DELAY_S = 2.0
MANY_LOW_MODELS = 200     # issue 9: one answer that could alert 400 times
MANY_ROWS = 20000         # issue 9: a 2-3 MB answer, under the client's 4 MiB cap
RETRY_AFTER_S = 5
RSS_GROWTH_LIMIT_MIB = 2.0


# ---------------------------------------------------------------- server

class Answers:
    """What the server answers now, and what it has answered so far."""

    def __init__(self, template):
        self.template = template
        self.lock = threading.Lock()
        self.phase = "good"
        self.broken_kind = BROKEN_KINDS[0]
        self.fixed_percent = 63
        self.changing_percent = 63
        self.last_good_percent = None
        self.counts = {}
        self.many_low = many_low_body(template)
        self.many_rows = many_rows_body(template)

    def body(self, percent):
        data = json.loads(self.template)
        row = data["model_remains"][0]
        row["current_interval_remaining_percent"] = percent
        # This endpoint's "usage" count is what remains (see docs/API.md).
        row["current_interval_usage_count"] = \
            row["current_interval_total_count"] * percent // 100
        return json.dumps(data).encode()

    def next(self):
        """(kind, percent) for one request, counted."""
        with self.lock:
            phase = self.phase
            percent = None
            if phase == "broken":
                kind = self.broken_kind
            else:
                kind = phase
            if phase in ("200 models at 10%", "20,000 rows"):
                percent = 10 if phase == "200 models at 10%" else 63
                self.last_good_percent = percent
                self.counts[kind] = self.counts.get(kind, 0) + 1
                return kind, None
            if phase in ("good", "slow"):
                percent = self.fixed_percent
            elif phase == "good, changing %":
                # Steps of 9 around 0..100: crosses 20% and 5% both ways.
                self.changing_percent = (self.changing_percent + 91) % 101
                percent = self.changing_percent
            if percent is not None:
                self.last_good_percent = percent
            self.counts[kind] = self.counts.get(kind, 0) + 1
            return kind, percent

    def total(self):
        with self.lock:
            return sum(self.counts.values())


def many_low_body(template):
    """The text lane and 199 more models in the plan, all at 10%."""
    data = json.loads(template)
    first = data["model_remains"][0]
    rows = []
    for i in range(MANY_LOW_MODELS):
        row = dict(first)
        if i > 0:
            row["model_name"] = f"model-{i:03d}"
        row["current_interval_remaining_percent"] = 10
        row["current_interval_usage_count"] = row["current_interval_total_count"] // 10
        rows.append(row)
    data["model_remains"] = rows
    return json.dumps(data).encode()


def many_rows_body(template):
    """The text lane at 63% and 19,999 short rows after it: about 2.5 MB."""
    data = json.loads(template)
    first = data["model_remains"][0]
    rows = [first]
    for i in range(1, MANY_ROWS):
        rows.append({"model_name": f"model-{i:05d}", "current_interval_total_count": 1500,
                     "current_interval_usage_count": 945,
                     "current_interval_remaining_percent": 63,
                     "start_time": first["start_time"], "end_time": first["end_time"]})
    data["model_remains"] = rows
    return json.dumps(data, separators=(",", ":")).encode()


def serve(answers):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def send_body(self, status, content_type, body, extra=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if self.path.split("?")[0] != PATH_CURRENT:
                self.send_body(404, "application/json", b'{"error":"not found"}')
                return
            kind, percent = answers.next()
            if kind == "slow":
                time.sleep(SLOW_DELAY_S)
            if kind == "200 models at 10%":
                self.send_body(200, "application/json", answers.many_low)
                return
            if kind == "20,000 rows":
                self.send_body(200, "application/json", answers.many_rows)
                return
            if percent is not None:
                self.send_body(200, "application/json", answers.body(percent))
            elif kind == "http 500":
                self.send_body(500, "application/json",
                               b'{"base_resp":{"status_code":1000,"status_msg":"internal"}}')
            elif kind == "http 429":
                self.send_body(429, "application/json", b'{"error":"rate limited"}',
                               [("Retry-After", str(RETRY_AFTER_S))])
            elif kind == "html page":
                self.send_body(403, "text/html; charset=UTF-8",
                               b"<!DOCTYPE html><html><head><title>Just a moment...</title>"
                               b"</head><body>Checking your browser</body></html>")
            elif kind == "body cut short":
                body = answers.body(50)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[:len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif kind == "dropped connection":
                self.close_connection = True
            elif kind == "invalid json":
                self.send_body(200, "application/json", b'{"model_remains":[{"model_name":')
            else:
                raise AssertionError(kind)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # The applet closing a kept-alive connection is no news.
            if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
                return
            super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


# ---------------------------------------------------------------- notifications

class NotifyMonitor:
    """Counts every org.freedesktop.Notifications.Notify call on the session
    bus (a monitor connection): a notification sent again under the same id
    replaces the first on screen, so dunst's count alone would miss it."""

    def __init__(self):
        self.count = 0
        self.summaries = []
        address = Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, None)
        self.connection = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        self.connection.add_filter(self._filter, None)
        rule = "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"
        self.connection.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                  "org.freedesktop.DBus.Monitoring", "BecomeMonitor",
                                  GLib.Variant("(asu)", ([rule], 0)), None,
                                  Gio.DBusCallFlags.NONE, 5000, None)

    def _filter(self, connection, message, incoming, user_data):
        kind = message.get_message_type()
        if not incoming or kind in (Gio.DBusMessageType.METHOD_RETURN,
                                    Gio.DBusMessageType.ERROR):
            return message  # BecomeMonitor and its reply
        if kind == Gio.DBusMessageType.METHOD_CALL and message.get_member() == "Notify":
            self.count += 1
            body = message.get_body()
            if body is not None and len(self.summaries) < 1000:
                self.summaries.append(body.unpack()[3])
        return None  # a monitor never answers what it sees

    def close(self):
        self.connection.close_sync(None)


# ---------------------------------------------------------------- /proc

def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, rest = line.partition(":")
            values[name] = rest.split()
    return values


def sample(pid, icon_dir):
    status = proc_status(pid)
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    try:
        icons = len([n for n in os.listdir(icon_dir) if n.endswith(".png")])
    except FileNotFoundError:
        icons = 0
    return {
        "rss_kib": int(status["VmRSS"][0]),
        "anon_kib": int(status["RssAnon"][0]),
        "hwm_kib": int(status["VmHWM"][0]),
        "threads": int(status["Threads"][0]),
        "fds": len(os.listdir(f"/proc/{pid}/fd")),
        "cpu_ticks": int(fields[11]) + int(fields[12]),
        "icons": icons,
    }


# ---------------------------------------------------------------- desktop

class Desktop:
    """xfce4-panel (status tray only) and dunst, started one by one and
    stopped newest first."""

    def __init__(self, bus, tmp, env, log_dir):
        self.bus = bus
        self.tmp = tmp
        self.env = env
        self.log_dir = log_dir
        self.procs = []

    def has_owner(self, name):
        return self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                  "org.freedesktop.DBus", "NameHasOwner",
                                  GLib.Variant("(s)", (name,)), GLib.VariantType("(b)"),
                                  Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]

    def start(self, name, argv, bus_name):
        log = open(os.path.join(self.log_dir, name + ".log"), "w")
        proc = subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.insert(0, proc)
        wait_for(lambda: self.has_owner(bus_name), 30, f"{name} on the session bus ({bus_name})")

    def start_all(self):
        conf = os.path.join(self.env["XDG_CONFIG_HOME"], "xfce4", "xfconf",
                            "xfce-perchannel-xml")
        os.makedirs(conf)
        shutil.copy(os.path.join(ROOT, "tests", "e2e", "xfce4-panel.xml"), conf)
        # xfconfd is started by the bus: give it our configuration directory.
        activation = {k: self.env[k] for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME",
                                               "XDG_CACHE_HOME")}
        self.bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                           "org.freedesktop.DBus", "UpdateActivationEnvironment",
                           GLib.Variant("(a{ss})", (activation,)), None,
                           Gio.DBusCallFlags.NONE, 5000, None)
        self.start("panel", ["xfce4-panel", "--disable-wm-check"], WATCHER)

        dunstrc = os.path.join(self.tmp, "dunstrc")
        with open(dunstrc, "w") as f:
            f.write("[global]\n    history_length = 100000\n    idle_threshold = 0\n"
                    "[urgency_low]\n    timeout = 5\n[urgency_normal]\n    timeout = 5\n"
                    "[urgency_critical]\n    timeout = 5\n")
        self.start("dunst", ["dunst", "-config", dunstrc], "org.freedesktop.Notifications")

    def notifications(self):
        """Notifications dunst has received (waiting, shown or in its history)."""
        try:
            text = subprocess.run(["dunstctl", "count"], env=self.env, capture_output=True,
                                  text=True, timeout=10).stdout
            return sum(int(line.rsplit(":", 1)[1]) for line in text.splitlines()
                       if ":" in line)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            return None

    def stop_all(self):
        for proc in self.procs:
            stop(proc)
        self.procs = []


def stop(proc):
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise SystemExit(f"soak: timed out waiting for {what}")


def item_label(bus, applet_pid):
    """The percentage the applet's registered StatusNotifierItem shows, as
    "42%": the start of its Title (the tooltip; the panel label,
    XAyatanaLabel, is empty unless the user turns it on)."""
    items = bus.call_sync(WATCHER, "/StatusNotifierWatcher", PROPS_IFACE, "Get",
                          GLib.Variant("(ss)", (WATCHER, "RegisteredStatusNotifierItems")),
                          GLib.VariantType("(v)"), Gio.DBusCallFlags.NONE, 5000,
                          None).unpack()[0]
    for entry in items:
        name, path = (entry.split("/", 1)[0], "/" + entry.split("/", 1)[1]) \
            if "/" in entry else (entry, "/StatusNotifierItem")
        try:
            pid = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                GLib.Variant("(s)", (name,)), GLib.VariantType("(u)"),
                                Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
            if pid != applet_pid:
                continue
            props = bus.call_sync(name, path, PROPS_IFACE, "GetAll",
                                  GLib.Variant("(s)", (ITEM_IFACE,)),
                                  GLib.VariantType("(a{sv})"), Gio.DBusCallFlags.NONE,
                                  5000, None).unpack()[0]
        except GLib.Error:
            continue
        if props.get("Id") == APP_ID:
            title = str(props.get("Title", ""))
            return title.split(" ", 1)[0] if title[:1].isdigit() else title
    return None


# ---------------------------------------------------------------- report

def machine():
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}, Linux {platform.release()}"


def source_state():
    """The commit, and the source files changed since, that the build is of."""
    def git(*argv):
        return subprocess.run(["git"] + list(argv), cwd=ROOT, capture_output=True,
                              text=True).stdout
    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no", "--",
                                      "src", "data", "meson.build").splitlines() if line.strip()]
    return f"commit {commit}" + (f" with uncommitted changes to {', '.join(dirty)}"
                                 if dirty else "")


def cycle_window(samples, cycle_s, which):
    """One cycle of answers (every kind once): the second, once the applet
    has seen each kind for the first time ("settled"), or the last."""
    if which == "first":
        return [s for s in samples if s["t"] <= cycle_s]
    if which == "settled":
        settled = [s for s in samples if cycle_s < s["t"] <= 2 * cycle_s]
        return settled or cycle_window(samples, cycle_s, "first")
    end = samples[-1]["t"]
    return [s for s in samples if s["t"] > end - cycle_s]


def verdict(samples, applet_alive, criticals, final_check, cycle_s):
    """[(check, measured, limit, ok)]"""
    checks = []
    first = cycle_window(samples, cycle_s, "first")
    settled, last = cycle_window(samples, cycle_s, "settled"), cycle_window(samples, cycle_s, "last")
    rss_warm = statistics.median(s["rss_kib"] for s in first) / 1024.0
    rss_first = statistics.median(s["rss_kib"] for s in settled) / 1024.0
    rss_last = statistics.median(s["rss_kib"] for s in last) / 1024.0
    growth = rss_last - rss_first
    checks.append(("RSS, median of the first cycle of answers (each kind seen for the first time)",
                   f"{rss_warm:.1f} MiB", "(shown)", True))
    checks.append(("RSS, median of the second cycle → of the last",
                   f"{rss_first:.1f} → {rss_last:.1f} MiB ({growth:+.2f} MiB)",
                   f"growth ≤ {RSS_GROWTH_LIMIT_MIB:.0f} MiB", growth <= RSS_GROWTH_LIMIT_MIB))
    anon_first = statistics.median(s["anon_kib"] for s in settled) / 1024.0
    anon_last = statistics.median(s["anon_kib"] for s in last) / 1024.0
    checks.append(("of which anonymous (heap)",
                   f"{anon_first:.1f} → {anon_last:.1f} MiB ({anon_last - anon_first:+.2f} MiB)",
                   "(shown, part of the above)", True))
    for key, label in (("fds", "open file descriptors"), ("threads", "threads"),
                       ("icons", "icon files in the runtime directory")):
        lo_first, hi_first = min(s[key] for s in settled), max(s[key] for s in settled)
        lo_last, hi_last = min(s[key] for s in last), max(s[key] for s in last)
        checks.append((f"{label}, range in the second cycle → in the last",
                       f"{lo_first}–{hi_first} → {lo_last}–{hi_last}",
                       "last cycle's lowest ≤ second cycle's highest", lo_last <= hi_first))
    cpu_first = sum(s["cpu_delta"] for s in settled) * 1000.0 / CLK_TCK
    cpu_last = sum(s["cpu_delta"] for s in last) * 1000.0 / CLK_TCK
    checks.append(("CPU time, second cycle → last cycle (the same answers)",
                   f"{cpu_first:.0f} → {cpu_last:.0f} ms",
                   "last ≤ 2 × second", cpu_last <= 2 * max(cpu_first, 1000.0 / CLK_TCK)))
    checks.append(("the applet ran to the end", "yes" if applet_alive else "no, it died",
                   "alive", applet_alive))
    checks.append(("GLib criticals in the applet's log", str(criticals), "0", criticals == 0))
    if final_check is not None:
        expected, shown = final_check
        checks.append(("percentage in the title after a last good answer", f"{shown!s} (served {expected})",
                       "the served percentage", shown == expected))
    return checks


def render(args, samples, checks, answers, started_at, source, wall_s, desktop, warnings,
           refreshes, notifications, phase_notes, load, phase_latency, call_stats):
    ok = all(c[3] for c in checks)
    lines = []
    out = lines.append
    out("# Soak test of the tray applet")
    out("")
    out("Produced by `bench/soak.py`; do not edit by hand. Reproduce with")
    out("")
    out("```")
    build = os.path.relpath(os.path.abspath(args.build), ROOT)
    out(f"meson setup {build} && ninja -C {build}")
    out('xvfb-run -a -s "-screen 0 800x600x24" dbus-run-session -- \\')
    out(f"    /usr/bin/python3 bench/soak.py --build {build} --output docs/SOAK.md")
    out("```")
    out("")
    out(f"- date: {started_at:%Y-%m-%d %H:%M} UTC; source: {source}; "
        f"machine: {machine()}")
    out(f"- {wall_s / 60:.1f} minutes, {refreshes} refreshes asked for (one a second; "
        f"{call_stats['skipped']} seconds skipped while the applet's main loop did not "
        f"answer, {call_stats['unanswered']} calls unanswered after 60 s), "
        f"{answers.total()} requests answered, a sample every {args.sample:.0f} s")
    out(f"- machine load (1-minute load average) at the start → at the end: "
        f"{load[0]:.2f} → {load[1]:.2f} on {os.cpu_count()} cores (other work was running "
        "on the machine; CPU times below are the applet's own)")
    out("- the applet: `leeway-applet --base-url http://127.0.0.1:PORT "
        "--interval 3600` (a default build), its key from `MINIMAX_API_KEY`, "
        "GSettings in memory")
    if desktop:
        out("- tray host: xfce4-panel's status tray (StatusNotifierWatcher); "
            "notifications: dunst; display: Xvfb")
    else:
        out("- no tray host started (--no-desktop: the applet falls back to an XEmbed icon "
            "with no tray to show it; the bus may still activate a notification service); "
            "display: Xvfb")
    out("")
    out("## How the refreshes are driven")
    out("")
    out("The applet's `--interval` accepts 30 to 3600 seconds, and that limit stays. "
        "Instead of a test-only override in the applet, this script drives it from "
        "outside: once a second it asks for a refresh on the session bus, in turn through "
        f"`org.gtk.Actions.Activate(\"refresh\")` on `{APP_PATH}` at `{APP_ID}` (the "
        "action behind the menu's **Refresh now**) and through "
        "`io.github.leewayapp.Leeway.Quota1.Refresh()` on the same path. Both run "
        "`mq_poller_refresh()`, the same MqPoller → MqClient fetch, parse, view, icon, "
        "menu and alert path as a timed poll.")
    out("")
    out("Since issue 9 the applet sends at most one request the user asked for per 5 "
        "seconds (a refresh inside that keeps the answer just received, one while a fetch "
        "is in flight joins it) and none before a server's `Retry-After` has ended. A "
        "refresh a second is therefore itself a refresh storm: about one in five turns into "
        "a request, and the rest exercise the floor. No path lets a caller outside the "
        "applet bypass the floor (a second launch refreshes through the same floor; only a "
        "region or key change restarts the poller), and the soak does not add one: it "
        "measures the applet as shipped. The poller's own backoff timers after failures "
        "keep running as they would; the applet's interval is one hour, so every request "
        "here is one the script asked for or a backoff retry.")
    out("")
    out("## The server's answers")
    out("")
    out("A loopback HTTP/1.1 server (keep-alive) in the script answers the remains "
        f"endpoint in cycles of {len(PHASES)} {args.phase:.0f}-second phases, in this order "
        "(the broken answer changes from one cycle to the next):")
    out("")
    cycles = max(1, int(round(args.minutes * 60.0 / (args.phase * len(PHASES)))))

    def broken_in(kind):
        index = BROKEN_KINDS.index(kind)
        cycles_of_kind = [str(c + 1) for c in range(cycles) if c % len(BROKEN_KINDS) == index]
        return "broken (cycle " + ", ".join(cycles_of_kind) + ")" if cycles_of_kind \
            else "broken (not reached)"

    descriptions = {
        "good": ("good", "200, the fixture at 63%"),
        "http 500": ("http 500", "500 with a JSON error body"),
        "slow": ("slow", f"200 at 63% after {SLOW_DELAY_S:.0f} s (client timeout 30 s)"),
        "http 429": ("http 429", f"429 with `Retry-After: {RETRY_AFTER_S}`"),
        "html page": (broken_in("html page"), "403 with an HTML page (a Cloudflare check)"),
        "body cut short": (broken_in("body cut short"),
                           "200, full Content-Length, half the body, connection closed"),
        "dropped connection": (broken_in("dropped connection"), "connection closed without an answer"),
        "invalid json": (broken_in("invalid json"), "200 with a truncated JSON text"),
        "good, changing %": ("good, changing %",
                             "200 with a new percentage on every answer (steps of 9: "
                             "crosses 20% and 5% both ways, so alerts fire and re-arm)"),
        "200 models at 10%": ("200 models at 10%",
                              f"200 with {MANY_LOW_MODELS} rows in the plan, all at 10% "
                              f"({len(answers.many_low):,} bytes)"),
        "20,000 rows": ("20,000 rows",
                        f"200 with {MANY_ROWS:,} rows, the text lane at 63% first "
                        f"({len(answers.many_rows):,} bytes, under the 4 MiB cap)"),
    }
    notes_head = " | notifications" if phase_notes is not None else ""
    out("| phase | answer | requests | slowest refresh call (s)" + notes_head + " |")
    out("| --- | --- | ---: | ---:" + (" | ---:" if phase_notes is not None else "") + " |")
    for kind in ["good", "http 500", "slow", "http 429"] + BROKEN_KINDS + \
            ["good, changing %", "200 models at 10%", "20,000 rows"]:
        phase, text = descriptions[kind]
        notes = ""
        if phase_notes is not None:
            notes = " | " + (str(phase_notes.get(kind, 0)) if kind not in BROKEN_KINDS
                             else str(phase_notes.get("broken", 0)) + " (all broken phases)")
        slowest = phase_latency.get("broken" if kind in BROKEN_KINDS else kind)
        slowest = f"{slowest:.2f}" if slowest is not None else "–"
        out(f"| {phase} | {text} | {answers.counts.get(kind, 0)} | {slowest}{notes} |")
    out("")
    out("Slowest refresh call: the longest a refresh call on the session bus waited for "
        "its reply in that phase (for broken answers, over all broken phases). The reply "
        "comes from the applet's main loop, so this is how long the loop was busy.")
    if phase_notes is not None:
        many = answers.counts.get("200 models at 10%", 0)
        out("")
        out("Notifications: Notify calls on the session bus (a D-Bus monitor), counted "
            "per phase from its start to the start of the next. With 200 models at 10%: "
            f"{phase_notes.get('200 models at 10%', 0)} notifications for {many} answers"
            + (f", {phase_notes.get('200 models at 10%', 0) / many:.2f} per refresh "
               "(before issue 9: 400 from one refresh)" if many else "") + ".")
    out("")
    out("## Verdict: " + ("PASS" if ok else "FAIL"))
    out("")
    out("| check | measured | limit | |")
    out("| --- | --- | --- | --- |")
    for name, measured, limit, good in checks:
        out(f"| {name} | {measured} | {limit} | {'pass' if good else '**FAIL**'} |")
    hwm = max(s["hwm_kib"] for s in samples) / 1024.0
    out("")
    out(f"Peak RSS over the whole run (VmHWM): {hwm:.1f} MiB. "
        f"Warnings in the applet's log: {warnings}."
        + (f" Alert notifications received by dunst: {notifications}."
           if notifications is not None else ""))
    out("")
    out("## Samples")
    out("")
    out(f"t: seconds since the first answer was shown; phase: the phase of the "
        f"{args.sample:.0f} seconds just ended; CPU: user + system time the applet used in "
        f"those {args.sample:.0f} seconds (the kernel counts it in {1000 // CLK_TCK} ms ticks).")
    out("")
    out("| t (s) | phase | requests | RSS (MiB) | anon (MiB) | fds | threads | CPU (ms) "
        "| icon files | Notify calls so far |")
    out("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in samples:
        out(f"| {s['t']:.0f} | {s['phase']} | {s['requests']} | {s['rss_kib'] / 1024.0:.2f} "
            f"| {s['anon_kib'] / 1024.0:.2f} | {s['fds']} | {s['threads']} "
            f"| {s['cpu_delta'] * 1000.0 / CLK_TCK:.0f} | {s['icons']} | {s['notes']} |")
    out("")
    return "\n".join(lines), ok


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--phase", type=float, default=10.0,
                        help="seconds per server phase (eight make a cycle)")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--rate", type=float, default=1.0, help="refreshes per second")
    parser.add_argument("--no-desktop", action="store_true",
                        help="start no xfce4-panel tray host and no dunst")
    parser.add_argument("--output", help="also write the report to this file")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("soak: run under a display and a session bus: "
                         "xvfb-run -a dbus-run-session -- /usr/bin/python3 bench/soak.py")
    applet_path = os.path.join(args.build, "src", "leeway-applet")
    if not os.access(applet_path, os.X_OK):
        raise SystemExit(f"soak: no applet at {applet_path}; build it first")
    use_desktop = not args.no_desktop and shutil.which("xfce4-panel") and shutil.which("dunst")
    if not args.no_desktop and not use_desktop:
        print("soak: xfce4-panel or dunst not installed: running without a tray host",
              file=sys.stderr)

    tmp = tempfile.mkdtemp(prefix="mq-soak-")
    runtime = os.path.join(tmp, "runtime")
    os.mkdir(runtime, 0o700)
    icon_dir = os.path.join(runtime, "app", APP_ID)
    env = dict(os.environ,
               HOME=os.path.join(tmp, "home"),
               XDG_RUNTIME_DIR=runtime,
               XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               XDG_DATA_HOME=os.path.join(tmp, "data"),
               XDG_CACHE_HOME=os.path.join(tmp, "cache"),
               XDG_CURRENT_DESKTOP="XFCE",
               GDK_BACKEND="x11",
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(args.build, "data"),
               SECRET_BACKEND="file",
               SECRET_FILE_TEST_PATH=os.path.join(tmp, "keyring"),
               SECRET_FILE_TEST_PASSWORD="soak",
               MINIMAX_API_KEY=KEY,
               GIO_USE_PROXY_RESOLVER="dummy",
               LC_ALL="C.UTF-8",
               NO_AT_BRIDGE="1",
               GTK_A11Y="none")
    os.mkdir(env["HOME"])
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY", "MINIMAX_BASE_URL", "MINIMAX_REGION"):
        env.pop(name, None)

    template = open(os.path.join(ROOT, "tests", "data",
                                 "token-plan-plus-video-not-in-plan.json")).read()
    answers = Answers(template)
    server, base = serve(answers)
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    desktop = Desktop(bus, tmp, env, tmp)
    applet = None
    applet_log_path = os.path.join(tmp, "applet.log")
    samples = []
    refreshes = 0
    monitor = None
    phase_notes = {}
    phase_latency = {}
    call_stats = {"skipped": 0, "unanswered": 0}
    notes_at_switch = [0]
    final_check = None
    notifications = None
    started_at = datetime.datetime.now(datetime.timezone.utc)
    source = source_state()
    load = [os.getloadavg()[0], None]
    try:
        if use_desktop:
            desktop.start_all()
            monitor = NotifyMonitor()

        with open(applet_log_path, "w") as log:
            applet = subprocess.Popen([applet_path, "--base-url", base, "--interval", "3600"],
                                      env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_for(lambda: answers.total() >= 1, 20, "the applet's first fetch")
        time.sleep(1.0)

        def refresh(via_quota1=False):
            # The reply comes from the applet's main loop: its delay is how
            # long the loop was busy (a 2.5 MB answer is parsed there).
            began = time.monotonic()
            if via_quota1:
                bus.call_sync(APP_ID, APP_PATH, "io.github.leewayapp.Leeway.Quota1", "Refresh",
                              None, None, Gio.DBusCallFlags.NONE, 60000, None)
            else:
                bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                              GLib.Variant("(sava{sv})", ("refresh", [], {})),
                              None, Gio.DBusCallFlags.NONE, 60000, None)
            took = time.monotonic() - began
            phase_latency[answers.phase] = max(phase_latency.get(answers.phase, 0.0), took)

        duration = args.minutes * 60.0
        seconds = int(round(duration))
        per_phase = int(round(args.phase))
        per_sample = int(round(args.sample))
        last = sample(applet.pid, icon_dir)
        t0 = time.monotonic()
        done = threading.Event()
        failure = []

        def refresher():
            """Asks for a refresh every 1/rate s. The applet answers from its
            main loop: when that is busy a call waits, and the ticks it
            missed are skipped, not sent in a burst afterwards."""
            nonlocal refreshes
            tick = 0
            while not done.is_set():
                late = time.monotonic() - (t0 + tick / args.rate)
                if late < 0:
                    if done.wait(-late):
                        break
                elif late >= 1.0 / args.rate:
                    missed = int(late * args.rate)
                    call_stats["skipped"] += missed
                    tick += missed
                try:
                    refresh(via_quota1=tick % 2 == 1)
                    refreshes += 1
                except GLib.Error as error:
                    if applet.poll() is not None:
                        break
                    if error.matches(Gio.io_error_quark(), Gio.IOErrorEnum.TIMED_OUT):
                        call_stats["unanswered"] += 1
                    else:
                        failure.append(error)
                        break
                tick += 1

        thread = threading.Thread(target=refresher, daemon=True)
        for second in range(seconds + 1):
            time.sleep(max(0.0, t0 + second - time.monotonic()))
            if applet.poll() is not None or failure:
                break
            if second > 0 and second % per_sample == 0:
                now = sample(applet.pid, icon_dir)
                now.update(t=float(second), phase=answers.phase,
                           requests=answers.total(),
                           notes=monitor.count if monitor is not None else 0,
                           cpu_delta=now["cpu_ticks"] - last["cpu_ticks"])
                samples.append(now)
                last = now
                print(f"soak: t={now['t']:.0f}s {now['phase']:<18} req={now['requests']:<4} "
                      f"rss={now['rss_kib'] / 1024.0:.2f}MiB fds={now['fds']} "
                      f"threads={now['threads']} cpu={now['cpu_delta'] * 1000 // CLK_TCK}ms "
                      f"icons={now['icons']} notify={now['notes']} "
                      f"unanswered={call_stats['unanswered']}", file=sys.stderr,
                      flush=True)
            if second == seconds:
                break
            if second % per_phase == 0:
                index = second // per_phase
                if monitor is not None:
                    # Notifications of the phase that ends (the applet sends
                    # them from the main loop, a moment after the answer).
                    phase_notes[answers.phase] = phase_notes.get(answers.phase, 0) + \
                        monitor.count - notes_at_switch[0]
                    notes_at_switch[0] = monitor.count
                with answers.lock:
                    answers.phase = PHASES[index % len(PHASES)]
                    answers.broken_kind = BROKEN_KINDS[(index // len(PHASES)) % len(BROKEN_KINDS)]
            if second == 0:
                thread.start()
        done.set()
        thread.join(70)
        if failure:
            raise failure[0]
        wall_s = time.monotonic() - t0
        if monitor is not None:
            time.sleep(1.0)
            phase_notes[answers.phase] = phase_notes.get(answers.phase, 0) + \
                monitor.count - notes_at_switch[0]
            notes_at_switch[0] = monitor.count

        applet_alive = applet.poll() is None
        if applet_alive and use_desktop:
            # After all that, one more good answer must still reach the tray.
            with answers.lock:
                answers.phase = "good"
                answers.fixed_percent = 41 if answers.last_good_percent == 42 else 42
                expected = f"{answers.fixed_percent}%"
            # Past the applet's floor of one asked-for request per 5 s.
            time.sleep(6.0)
            refresh()
            try:
                shown = wait_for(lambda: (lambda label: label if label == expected else None)(
                    item_label(bus, applet.pid)), 120, "the last answer on the tray")
            except SystemExit:
                shown = item_label(bus, applet.pid)
            final_check = (expected, shown)
        if use_desktop:
            notifications = desktop.notifications()
    finally:
        if monitor is not None:
            monitor.close()
        if applet is not None:
            stop(applet)
        desktop.stop_all()
        server.shutdown()
        try:
            with open(applet_log_path, errors="replace") as f:
                log_text = f.read()
        except FileNotFoundError:
            log_text = ""
        shutil.rmtree(tmp, ignore_errors=True)

    load[1] = os.getloadavg()[0]
    criticals = log_text.count("-CRITICAL **")
    warnings = log_text.count("-WARNING **")

    if len(samples) < 2 * 60 / args.sample:
        print(log_text[-4000:], file=sys.stderr)
        raise SystemExit(f"soak: the applet stopped after {len(samples)} samples")

    checks = verdict(samples, applet_alive, criticals, final_check, args.phase * len(PHASES))
    many = answers.counts.get("200 models at 10%", 0)
    if phase_notes is not None and many:
        per = phase_notes.get("200 models at 10%", 0) / many
        checks.append(("notifications per answer with 200 models at 10%", f"{per:.2f}",
                       "≤ 4 (the headline, two more, one summary)", per <= 4))
    report, ok = render(args, samples, checks, answers, started_at, source, wall_s,
                        use_desktop, warnings, refreshes, notifications,
                        phase_notes if monitor is not None else None, load, phase_latency,
                        call_stats)
    print(report)
    if args.output:
        with open(args.output, "w") as f:
            f.write(report)
    if criticals or warnings:
        print("soak: the applet's log:\n" + log_text[-4000:], file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
