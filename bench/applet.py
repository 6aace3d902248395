#!/usr/bin/python3
"""Measures the tray applet: memory, CPU per refresh, and idle wake-ups.

Run inside a display and a session bus, e.g.

    xvfb-run -a dbus-run-session -- /usr/bin/python3 bench/applet.py --build build-ci

The applet runs against mq-fake-server on loopback with a refresh interval
of an hour, so nothing polls on its own during the measurements:

1. RSS once the first answer has been shown;
2. N refresh cycles ("Refresh now" through org.gtk.Actions, the same action
   the menu item activates), each answered with a different percentage so
   the icon is redrawn every time; CPU time (user + system, from
   /proc/PID/stat) per cycle, and RSS after them;
3. context switches of all the applet's threads over an idle minute.

Targets (issue 3): RSS under 40 MiB, growth under 2 MiB over 1,000 cycles,
CPU under 5 ms per cycle, under 10 context switches in the idle minute.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from gi.repository import Gio, GLib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
APP_ID = "io.github.leewayapp.Leeway"
APP_PATH = "/io/github/leewayapp/Leeway"
KEY = "sk-cp-BENCHMARK-KEY-not-a-real-one-0123456789"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def body_with_percent(template, percent):
    data = json.loads(template)
    row = data["model_remains"][0]
    row["current_interval_remaining_percent"] = percent
    row["current_interval_usage_count"] = row["current_interval_total_count"] * percent // 100
    return json.dumps(data)


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.005)
    raise SystemExit(f"timed out waiting for {what}")


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit("no VmRSS")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def context_switches(pid):
    """Voluntary + involuntary context switches, per thread id."""
    counts = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                counts[task] = sum(int(line.split()[1]) for line in f
                                   if "ctxt_switches" in line)
        except FileNotFoundError:
            pass
    return counts


def switches_between(before, after):
    """Switches of the threads alive at the end, plus one wake-up (at least)
    for every thread that ended in between (GLib's idle thread-pool workers
    exit on their own after a while)."""
    total = sum(count - before.get(task, 0) for task, count in after.items())
    ended = len(set(before) - set(after))
    return total + ended, ended


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--idle", type=int, default=60, help="seconds of idle measurement")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the figures to FILE (for bench/report.py)")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        raise SystemExit("run under a display and a session bus: "
                         "xvfb-run -a dbus-run-session -- /usr/bin/python3 bench/applet.py")

    tmp = tempfile.mkdtemp(prefix="mq-bench-")
    runtime = os.path.join(tmp, "runtime")
    os.mkdir(runtime, 0o700)
    template = open(os.path.join(ROOT, "tests", "data",
                                 "token-plan-plus-video-not-in-plan.json")).read()
    body_path = os.path.join(tmp, "body.json")
    with open(body_path, "w") as f:
        f.write(template)

    env = dict(os.environ,
               XDG_RUNTIME_DIR=runtime,
               XDG_CONFIG_HOME=os.path.join(tmp, "config"),
               XDG_DATA_HOME=os.path.join(tmp, "data"),
               XDG_CACHE_HOME=os.path.join(tmp, "cache"),
               GSETTINGS_BACKEND="memory",
               GSETTINGS_SCHEMA_DIR=os.path.join(args.build, "data"),
               SECRET_BACKEND="file",
               SECRET_FILE_TEST_PATH=os.path.join(tmp, "keyring"),
               SECRET_FILE_TEST_PASSWORD="bench",
               MINIMAX_API_KEY=KEY,
               GIO_USE_PROXY_RESOLVER="dummy",
               NO_AT_BRIDGE="1")
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(name, None)

    port_file = os.path.join(tmp, "url")
    control_file = os.path.join(tmp, "control")
    server = subprocess.Popen([os.path.join(args.build, "tests", "mq-fake-server"),
                               "--port-file", port_file, "--control-port-file", control_file,
                               "--fixture", body_path], env=env, stdout=subprocess.DEVNULL)
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

        applet = subprocess.Popen([os.path.join(args.build, "src", "leeway-applet"),
                                   "--base-url", base, "--interval", "3600"], env=env)
        wait_for(lambda: hits() >= 1, 20, "the first fetch")

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

        def refresh():
            bus.call_sync(APP_ID, APP_PATH, "org.gtk.Actions", "Activate",
                          GLib.Variant("(sava{sv})", ("refresh", [], {})),
                          None, Gio.DBusCallFlags.NONE, 5000, None)

        # Let the first answer be drawn before taking the start figure.
        time.sleep(1.0)
        rss_start = rss_kib(applet.pid)

        ticks_before = cpu_ticks(applet.pid)
        started = time.monotonic()
        for cycle in range(args.cycles):
            with open(body_path + ".tmp", "w") as f:
                f.write(body_with_percent(template, 30 + cycle % 60))
            os.replace(body_path + ".tmp", body_path)
            target = hits() + 1
            while True:
                refresh()
                try:
                    wait_for(lambda: hits() >= target, 0.5, "a refresh")
                    break
                except SystemExit:
                    continue  # the refresh joined one still in flight: ask again
        # Let the last answer be processed.
        time.sleep(0.5)
        elapsed = time.monotonic() - started
        ticks_after = cpu_ticks(applet.pid)
        rss_end = rss_kib(applet.pid)

        switches_before = context_switches(applet.pid)
        time.sleep(args.idle)
        switches_after = context_switches(applet.pid)
        if applet.poll() is not None:
            raise SystemExit("the applet exited during the measurement")
    finally:
        if applet is not None and applet.poll() is None:
            applet.send_signal(signal.SIGTERM)
            try:
                applet.wait(5)
            except subprocess.TimeoutExpired:
                applet.kill()
        server.send_signal(signal.SIGTERM)
        server.wait(5)
        shutil.rmtree(tmp, ignore_errors=True)

    cpu_ms = (ticks_after - ticks_before) * 1000.0 / CLK_TCK / args.cycles
    growth = (rss_end - rss_start) / 1024.0
    print(f"applet against loopback, {args.cycles} refresh cycles in {elapsed:.1f} s, "
          f"idle {args.idle} s")
    print()
    print("| measure | value | target |")
    print("| --- | ---: | ---: |")
    print(f"| RSS after start | {rss_start / 1024.0:.1f} MiB | < 40 MiB |")
    print(f"| RSS after {args.cycles} refresh cycles | {rss_end / 1024.0:.1f} MiB | < 40 MiB |")
    print(f"| RSS growth | {growth:+.2f} MiB | < 2 MiB |")
    print(f"| CPU per refresh cycle | {cpu_ms:.2f} ms | < 5 ms |")
    idle_switches, ended = switches_between(switches_before, switches_after)
    print(f"| context switches, idle {args.idle} s | {idle_switches}"
          f"{f' ({ended} threads ended)' if ended else ''} | < 10 |")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cycles": args.cycles, "idle_s": args.idle, "elapsed_s": elapsed,
                       "rss_start_mib": rss_start / 1024.0, "rss_end_mib": rss_end / 1024.0,
                       "rss_growth_mib": growth, "cpu_ms_per_cycle": cpu_ms,
                       "idle_switches": idle_switches, "threads_ended": ended}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
