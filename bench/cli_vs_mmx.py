#!/usr/bin/env python3
"""Times `leeway --once --json` beside MiniMax's official CLI.

One loopback HTTP server serves a fixture as the remains endpoint. The
programs run alternately in one loop (ours, mmx-cli, the bare libsoup
floor), so machine noise falls on all of them alike. Prints the median wall
time and the peak RSS of each, and the ratios.

    python3 bench/cli_vs_mmx.py --build build [--runs 40] [--json FILE]

mmx-cli@1.0.27 is installed from the npm registry into bench/node_modules
on first use (MiniMax's CLI: `mmx quota show --output json`).
"""
import argparse
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MMX_VERSION = "1.0.27"
KEY = "sk-cp-BENCHMARK-KEY-not-a-real-one-0123456789"


def serve(fixture_path):
    body = open(fixture_path, "rb").read()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            if self.path.split("?")[0] != "/v1/token_plan/remains":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def ensure_mmx():
    mmx = os.path.join(HERE, "node_modules", ".bin", "mmx")
    if not os.path.exists(mmx):
        subprocess.run(["npm", "install", "--prefix", HERE, "--no-save", "--no-audit",
                        "--no-fund", f"mmx-cli@{MMX_VERSION}"], check=True,
                       stdout=subprocess.DEVNULL)
    return mmx


def run_once(argv, env):
    """Wall time and peak RSS of one run.

    The peak RSS comes from GNU time, a small C program: a child forked
    from this Python process would report Python's own pages as its peak.
    GNU time's fork+exec costs the same for every contender.
    """
    with tempfile.NamedTemporaryFile("r") as rss_file:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + argv,
                              env=env, capture_output=True)
        elapsed = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"{argv[0]} failed ({proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace')}")
        peak_kib = int(rss_file.read().strip().splitlines()[-1])
    return elapsed, peak_kib / 1024.0, proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fixture", default=os.path.join(ROOT, "tests", "data",
                                                           "token-plan-plus-video-not-in-plan.json"))
    parser.add_argument("--json", metavar="FILE",
                        help="also write every run's figures to FILE (for bench/report.py)")
    args = parser.parse_args()

    server, base = serve(args.fixture)
    mmx = ensure_mmx()
    ours = os.path.join(args.build, "src", "leeway")
    bare = os.path.join(args.build, "bench", "bare-fetch")

    env = dict(os.environ, MINIMAX_API_KEY=KEY, MINIMAX_BASE_URL=base, NO_COLOR="1",
               LC_ALL="C.UTF-8",
               # --once records its history, as it does for a user: into a
               # folder of this run's own, never the user's
               XDG_STATE_HOME=tempfile.mkdtemp(prefix="mq-bench-cli-state-"))
    env.pop("LEEWAY_NO_HISTORY", None)
    contenders = {
        "leeway --once --json": [ours, "--once", "--json"],
        "mmx quota show (mmx-cli %s)" % MMX_VERSION:
            [mmx, "quota", "show", "--api-key", KEY, "--region", "global", "--output", "json"],
        "bare libsoup fetch (floor)": [bare, base + "/v1/token_plan/remains"],
    }

    # Check what each prints before timing anything.
    for name, argv in contenders.items():
        _, _, out = run_once(argv, env)
        json.loads(out)
    _, _, ours_out = run_once(contenders["leeway --once --json"], env)
    headline = json.loads(ours_out)["headline"]
    assert headline["remaining_percent"] == 63, headline

    times = {name: [] for name in contenders}
    rss = {name: [] for name in contenders}
    for _ in range(args.runs):
        for name, argv in contenders.items():
            elapsed, peak, _ = run_once(argv, env)
            times[name].append(elapsed * 1000.0)
            rss[name].append(peak)
    server.shutdown()

    ours_name, mmx_name, bare_name = list(contenders)
    med = {n: statistics.median(times[n]) for n in contenders}
    mem = {n: statistics.median(rss[n]) for n in contenders}

    print(f"{args.runs} alternating runs each, loopback server, fixture {os.path.basename(args.fixture)}")
    print()
    print("| program | median wall (ms) | median peak RSS (MiB) |")
    print("| --- | ---: | ---: |")
    for n in contenders:
        print(f"| {n} | {med[n]:.1f} | {mem[n]:.1f} |")
    print()
    print(f"mmx-cli / leeway: {med[mmx_name] / med[ours_name]:.1f}x the time, "
          f"{mem[mmx_name] / mem[ours_name]:.1f}x the memory")
    print(f"leeway / bare fetch: {med[ours_name] / med[bare_name]:.2f}x the time, "
          f"{mem[ours_name] / mem[bare_name]:.2f}x the memory")

    if args.json:
        keys = {ours_name: "ours", mmx_name: "mmx", bare_name: "bare"}
        with open(args.json, "w") as f:
            json.dump({"runs": args.runs, "fixture": os.path.basename(args.fixture),
                       "mmx_version": MMX_VERSION,
                       "programs": {keys[n]: {"name": n, "median_ms": med[n],
                                              "median_rss_mib": mem[n],
                                              "wall_ms": times[n], "peak_rss_mib": rss[n]}
                                    for n in contenders}}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
