#!/usr/bin/python3
"""Measures the tray applet with a hostile 20,000-row answer (issue 9.5).

Run inside a display and a session bus, e.g.

    xvfb-run -a dbus-run-session -- /usr/bin/python3 bench/many_rows.py --build build-ci

Each run starts the applet against mq-fake-server on loopback (refresh
interval an hour, so nothing polls on its own), takes its RSS once the
first, ordinary answer is shown, serves a 20,000-row answer (3.8 MB, under
the client's 4 MiB cap) and refreshes through org.gtk.Actions ("Refresh
now"), then serves the ordinary answer again. It reads RSS (/proc/PID/status)
and CPU time (utime + stime) once the applet is idle and has handed memory
back (two seconds after a big answer), with the big answer held and after.

Two ways, alternately in one loop so that machine noise falls on both:
"as shipped", and "slice caches kept", the applet with G_SLICE set to an
empty value, which mq-heap.c leaves alone: GLib 2.74's slice allocator then
keeps json-glib's freed nodes, as before mq-heap.c. (The snapshot's cap of
256 models applies to both.)

Target: RSS within +25 MiB of the start, held and after; < 1 s of CPU.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from gi.repository import Gio, GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from applet import APP_ID, APP_PATH, CLK_TCK, KEY, ROOT, cpu_ticks, rss_kib, wait_for  # noqa: E402

PATH = "/v1/api/openplatform/coding_plan/remains"
ROWS = 20000
TRIM_WAIT_S = 3
WAYS = {"as shipped": {}, "slice caches kept": {"G_SLICE": ""}}


def cpu_s(pid):
    return cpu_ticks(pid) / CLK_TCK


def idle_cpu_s(pid):
    """CPU time once the applet has used none for a second."""
    last = cpu_s(pid)
    for _ in range(120):
        time.sleep(1.0)
        now = cpu_s(pid)
        if now == last:
            return now
        last = now
    return last


def bodies(tmp):
    with open(os.path.join(ROOT, "tests", "data", "token-plan-plus-video-not-in-plan.json")) as f:
        data = json.load(f)
    now = int(time.time() * 1000)
    for row in data["model_remains"]:
        row["start_time"] = now - 3600 * 1000
        row["end_time"] = now + 4 * 3600 * 1000
        row.pop("remains_time", None)
    good = os.path.join(tmp, "good.json")
    with open(good, "w") as f:
        json.dump(data, f)
    text = data["model_remains"][0]
    short = {k: text[k] for k in ("start_time", "end_time", "current_interval_total_count")}
    rows = [text] + [dict(short, model_name=f"model-{i:05d}", current_interval_usage_count=945,
                          current_interval_remaining_percent=63) for i in range(1, ROWS)]
    big = os.path.join(tmp, "rows.json")
    with open(big, "w") as f:
        json.dump(dict(data, model_remains=rows), f, separators=(",", ":"))
    return good, big


def one_run(args, tmp, extra_env, good, big):
    runtime = tempfile.mkdtemp(prefix="run-", dir=tmp)
    os.chmod(runtime, 0o700)
    env = dict(os.environ,
               XDG_RUNTIME_DIR=runtime,
               XDG_CONFIG_HOME=os.path.join(runtime, "config"),
               XDG_DATA_HOME=os.path.join(runtime, "data"),
               XDG_CACHE_HOME=os.path.join(runtime, "cache"),
               XDG_STATE_HOME=os.path.join(runtime, "state"),
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(args.build, "data"),
               SECRET_BACKEND="file",
               SECRET_FILE_TEST_PATH=os.path.join(runtime, "keyring"),
               SECRET_FILE_TEST_PASSWORD="bench",
               MINIMAX_API_KEY=KEY,
               GIO_USE_PROXY_RESOLVER="dummy",
               NO_AT_BRIDGE="1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                 "G_SLICE"):
        env.pop(name, None)
    port_file = os.path.join(runtime, "url")
    control_file = os.path.join(runtime, "control")
    server = subprocess.Popen([os.path.join(args.build, "tests", "mq-fake-server"),
                               "--port-file", port_file, "--control-port-file", control_file,
                               "--route", f"{PATH}=200:@{good}"],
                              env=env, stdout=subprocess.DEVNULL)
    applet = None
    try:
        wait_for(lambda: os.path.exists(port_file) and open(port_file).read().strip(), 10,
                 "the fake server")
        base = open(port_file).read().strip()
        control = open(control_file).read().strip()

        def hits():
            with urllib.request.urlopen(control + "/hits", timeout=5) as answer:
                for line in answer.read().decode().splitlines():
                    if line.startswith("* "):
                        return int(line.split()[1])
            return 0

        def serve(path):
            query = urllib.parse.urlencode({"path": PATH, "answer": "200:@" + path})
            request = urllib.request.Request(control + "/route?" + query, method="POST")
            urllib.request.urlopen(request, timeout=5).read()

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

        def refresh_to(path):
            serve(path)
            target = hits() + 1
            # "Refresh now" sends at most one request per 5 s: ask until
            # one goes out.
            deadline = time.monotonic() + 30
            while hits() < target and time.monotonic() < deadline:
                bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                              GLib.Variant("(sava{sv})", ("refresh", [], {})),
                              None, Gio.DBusCallFlags.NONE, 30000, None)
                time.sleep(0.5)
            if hits() < target:
                raise SystemExit("the refresh sent no request")

        applet = subprocess.Popen([os.path.join(args.build, "src", "leeway-applet"),
                                   "--base-url", base, "--interval", "3600"],
                                  env=dict(env, **extra_env),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: hits() >= 1, 30, "the first fetch")
        cpu0 = idle_cpu_s(applet.pid)
        time.sleep(TRIM_WAIT_S)
        rss0 = rss_kib(applet.pid)

        refresh_to(big)
        cpu1 = idle_cpu_s(applet.pid)
        time.sleep(TRIM_WAIT_S)
        rss1 = rss_kib(applet.pid)

        refresh_to(good)
        cpu2 = idle_cpu_s(applet.pid)
        time.sleep(TRIM_WAIT_S)
        rss2 = rss_kib(applet.pid)
        if applet.poll() is not None:
            raise SystemExit("the applet exited")
        return {"start": rss0 / 1024, "held": (rss1 - rss0) / 1024, "after": (rss2 - rss0) / 1024,
                "cpu_in": cpu1 - cpu0, "cpu_back": cpu2 - cpu1}
    finally:
        if applet is not None and applet.poll() is None:
            applet.send_signal(signal.SIGTERM)
            try:
                applet.wait(10)
            except subprocess.TimeoutExpired:
                applet.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default="build", help="meson build directory")
    parser.add_argument("--runs", type=int, default=3, help="runs of each way")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("run under a display and a session bus: "
                         "xvfb-run -a dbus-run-session -- /usr/bin/python3 bench/many_rows.py")

    tmp = tempfile.mkdtemp(prefix="mq-rows-")
    try:
        good, big = bodies(tmp)
        size = os.path.getsize(big)
        results = {way: [] for way in WAYS}
        for run in range(args.runs):
            for way, extra in WAYS.items():
                figures = one_run(args, tmp, extra, good, big)
                results[way].append(figures)
                print(f"run {run + 1} {way}: start {figures['start']:.1f} MiB, "
                      f"held {figures['held']:+.1f} MiB, after {figures['after']:+.1f} MiB, "
                      f"CPU {figures['cpu_in']:.2f} s in, {figures['cpu_back']:.2f} s back", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n20,000 rows ({size:,} bytes), "
          f"medians of {args.runs} runs each, alternated:\n")
    print("| way | RSS at start | held | after the ordinary answer | CPU to take it in | CPU back |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for way, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"| {way} | {med['start']:.1f} MiB | {med['held']:+.1f} MiB | {med['after']:+.1f} MiB "
              f"| {med['cpu_in']:.2f} s | {med['cpu_back']:.2f} s |")


if __name__ == "__main__":
    main()
