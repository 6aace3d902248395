#!/usr/bin/env python3
"""Times a bar's line answered by the running applet over D-Bus beside a fetch.

    python3 bench/bar.py --build build [--runs 40] [--json FILE]

Everything is private: a dbus-daemon of its own is the session bus, on
which build/tests/mq-bar-exporter plays the applet (io.github.leewayapp.
Quota1 with a fixture's report), and build/tests/mq-fake-server serves the
same fixture on loopback as the remains endpoint. The two ways run
alternately in one loop, so machine noise falls on both alike; it prints
the median wall time and peak RSS of each, side by side, and the ratios.

  - Once `leeway --waybar` exists (its --help lists it), both ways
    are that command: with the exporter on the bus ("from the applet"), and
    with a second, empty bus ("fetched": it finds no applet and fetches).
    The fake server's hit count checks that the applet way made no request
    and the fetched way one per run.
  - Before that, "from the applet" is build/tests/mq-bar-probe
    --format=waybar (the same client code and formatting, linked with the
    command line's core library only) and "fetched" is
    `leeway --once --json`.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KEY = "sk-cp-BENCHMARK-KEY-not-a-real-one-0123456789"


def run_once(argv, env):
    """Wall time, peak RSS (MiB) and stdout of one run.

    The peak RSS comes from GNU time: a child forked from this Python
    process would report Python's own pages as its peak.
    """
    with tempfile.NamedTemporaryFile("r") as rss_file:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + argv,
                              env=env, capture_output=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace')}")
        peak_kib = int(rss_file.read().strip().splitlines()[-1])
    return elapsed, peak_kib / 1024.0, proc.stdout


def read_line_file(path, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                text = f.read().strip()
            if text:
                return text.splitlines()[0]
        time.sleep(0.02)
    raise SystemExit(f"{what} did not start")


def start_bus(tmp, name):
    address_file = os.path.join(tmp, name + ".address")
    with open(address_file, "w") as out:
        proc = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                stdout=out, stderr=subprocess.DEVNULL)
    return proc, read_line_file(address_file, "dbus-daemon")


def start_exporter(build, fixture, env):
    proc = subprocess.Popen([os.path.join(build, "tests", "mq-bar-exporter"), "--serve", fixture],
                            env=env, stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "ready":
        raise SystemExit("mq-bar-exporter did not own the applet's name")
    return proc


def hits(control_base):
    with urllib.request.urlopen(control_base + "/hits", timeout=5) as reply:
        for line in reply.read().decode().splitlines():
            if line.startswith("* "):
                return int(line.split()[1])
    return 0


def has_waybar_option(cli):
    proc = subprocess.run([cli, "--help-all"], capture_output=True, text=True)
    return "--waybar" in proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fixture", default=os.path.join(ROOT, "tests", "data",
                                                           "token-plan-plus-video-not-in-plan.json"))
    parser.add_argument("--json", metavar="FILE", help="also write every run's figures to FILE")
    args = parser.parse_args()

    build = os.path.abspath(args.build)
    fixture = os.path.abspath(args.fixture)
    cli = os.path.join(build, "src", "leeway")
    procs = []
    with tempfile.TemporaryDirectory(prefix="mq-bench-bar-") as tmp:
        try:
            url_file = os.path.join(tmp, "url")
            control_file = os.path.join(tmp, "control")
            server = subprocess.Popen([os.path.join(build, "tests", "mq-fake-server"),
                                       "--port-file", url_file,
                                       "--control-port-file", control_file,
                                       "--fixture", fixture],
                                      stdout=subprocess.DEVNULL)
            procs.append(server)
            base = read_line_file(url_file, "mq-fake-server")
            control = read_line_file(control_file, "mq-fake-server's control port")

            applet_bus, applet_address = start_bus(tmp, "applet")
            procs.append(applet_bus)
            empty_bus, empty_address = start_bus(tmp, "empty")
            procs.append(empty_bus)

            common = dict(os.environ, MINIMAX_API_KEY=KEY, MINIMAX_BASE_URL=base,
                          NO_COLOR="1", LC_ALL="C.UTF-8",
                          # the fetched way records its history, as it
                          # does for a user: in a folder of the run's own
                          XDG_STATE_HOME=os.path.join(tmp, "state"))
            common.pop("MINIMAX_CN_API_KEY", None)
            common.pop("LEEWAY_NO_HISTORY", None)
            applet_env = dict(common, DBUS_SESSION_BUS_ADDRESS=applet_address)
            empty_env = dict(common, DBUS_SESSION_BUS_ADDRESS=empty_address)
            procs.append(start_exporter(build, fixture, applet_env))

            wired = has_waybar_option(cli)
            if wired:
                contenders = {
                    "leeway --waybar, from the applet": ([cli, "--waybar"], applet_env),
                    "leeway --waybar, fetched": ([cli, "--waybar"], empty_env),
                }
            else:
                contenders = {
                    "mq-bar-probe --format=waybar, from the applet":
                        ([os.path.join(build, "tests", "mq-bar-probe"), "--format=waybar"], applet_env),
                    "leeway --once --json, fetched": ([cli, "--once", "--json"], empty_env),
                }
            applet_name, fetched_name = list(contenders)

            # Check what each prints, and what each asks the server.
            before = hits(control)
            _, _, out = run_once(*contenders[applet_name])
            line = json.loads(out)
            assert line["text"] == "63%" and line["percentage"] == 63, line
            assert hits(control) == before, "the applet way made a request"
            _, _, out = run_once(*contenders[fetched_name])
            doc = json.loads(out)
            if wired:
                assert doc["text"] == "63%", doc
            else:
                assert doc["headline"]["remaining_percent"] == 63, doc["headline"]
            assert hits(control) == before + 1, "the fetched way did not make one request"

            times = {name: [] for name in contenders}
            rss = {name: [] for name in contenders}
            before = hits(control)
            for _ in range(args.runs):
                for name, (argv, env) in contenders.items():
                    elapsed, peak, _ = run_once(argv, env)
                    times[name].append(elapsed * 1000.0)
                    rss[name].append(peak)
            requests = hits(control) - before
        finally:
            for proc in reversed(procs):
                proc.terminate()
                proc.wait(timeout=10)

    med = {n: statistics.median(times[n]) for n in contenders}
    mem = {n: statistics.median(rss[n]) for n in contenders}

    print(f"{args.runs} alternating runs each, private session bus, loopback server, "
          f"fixture {os.path.basename(fixture)}")
    if not wired:
        print("(leeway has no --waybar yet: the applet way is mq-bar-probe, "
              "the fetched way --once --json)")
    print()
    print("| way | median wall (ms) | median peak RSS (MiB) |")
    print("| --- | ---: | ---: |")
    for n in contenders:
        print(f"| {n} | {med[n]:.1f} | {mem[n]:.1f} |")
    print()
    print(f"fetched / from the applet: {med[fetched_name] / med[applet_name]:.1f}x the time, "
          f"{mem[fetched_name] / mem[applet_name]:.2f}x the memory")
    print(f"requests to the server during the timed runs: {requests} "
          f"(the fetched way: {args.runs})")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"runs": args.runs, "fixture": os.path.basename(fixture),
                       "wired": wired, "requests": requests,
                       "ways": {key: {"name": n, "median_ms": med[n], "median_rss_mib": mem[n],
                                      "wall_ms": times[n], "peak_rss_mib": rss[n]}
                                for key, n in (("applet", applet_name), ("fetched", fetched_name))}},
                      f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
