#!/usr/bin/env python3
"""Times `leeway --once --json` with history recording beside the bare fetch.

    python3 bench/cli_history.py --build build [--runs 40] [--json FILE]

Issue 11: recording every `--once` run in the SQLite history (open, WAL,
one transaction, the forecast queries) must keep the command within 1.3x
the bare libsoup fetch (bench/bare-fetch.c). One loopback HTTP server
serves an answer whose windows are current (a 5-hour window an hour
old, a week three days old); four contenders run alternately in one loop, so machine
noise falls on all alike:

  - the bare fetch (the floor);
  - `leeway --once --json` with LEEWAY_NO_HISTORY=1;
  - `leeway --once --json` recording into a history that grows
    with every run (a private XDG_STATE_HOME, created by the first run);
  - the same into a history pre-filled with 30 days of 3-minute samples of
    the fixture's models (a long-used install), built once beforehand.

Prints the median wall time and peak RSS of each and the ratios to the
bare fetch. Peak RSS comes from GNU time (see bench/cli_vs_mmx.py).
"""
import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_vs_mmx import KEY, ROOT, run_once, serve  # noqa: E402


HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS
# The windows of the served answer, around the time the bench starts: a
# 5-hour window one hour old, a weekly cap three days old.
NOW_MS = int(time.time() * 1000)
INTERVAL_START = NOW_MS - HOUR_MS
WEEKLY_START = NOW_MS - 3 * DAY_MS


def current_body():
    """The fixture's shape (general in plan, video not) with windows that
    are current, as a real answer's are."""
    return json.dumps({"model_remains": [
        {"model_name": "general", "start_time": INTERVAL_START, "end_time": INTERVAL_START + 5 * HOUR_MS,
         "current_interval_total_count": 1500, "current_interval_usage_count": 945,
         "weekly_start_time": WEEKLY_START, "weekly_end_time": WEEKLY_START + 7 * DAY_MS,
         "current_weekly_total_count": 15000, "current_weekly_usage_count": 14400},
        {"model_name": "video", "start_time": INTERVAL_START, "end_time": INTERVAL_START + DAY_MS,
         "current_interval_total_count": 0, "current_interval_usage_count": 0,
         "current_weekly_total_count": 0, "current_weekly_usage_count": 0}],
        "base_resp": {"status_code": 0, "status_msg": "success"}})


def prefill(cli, env, days):
    """One real run creates the schema and the series; then `days` of
    3-minute polls are added before it, each in the 5-hour window or week
    it fell in, the remaining count falling within each window (no two
    polls alike: nothing collapses, the worst case for the size)."""
    run_once([cli, "--once", "--json"], env)
    path = os.path.join(env["XDG_STATE_HOME"], "leeway", "history.db")
    db = sqlite3.connect(path)
    series = dict(db.execute("SELECT window_kind, id FROM series WHERE model = 'general'"))
    step = 3 * 60 * 1000
    rows = []
    for n in range(1, days * 24 * 20 + 1):
        t = NOW_MS - n * step
        for kind, origin, length in (("interval", INTERVAL_START, 5 * HOUR_MS),
                                     ("weekly", WEEKLY_START, 7 * DAY_MS)):
            start = origin + ((t - origin) // length) * length
            used = (t - start) / length
            total = 1500 if kind == "interval" else 15000
            remaining = int(total * (1 - used))
            rows.append((series[kind], t, t, 1, 100.0 * remaining / total, remaining, total,
                         start, start + length))
    db.executemany("INSERT INTO samples (series, time_ms, last_seen_ms, polls, remaining_percent,"
                   " remaining_count, total_count, window_start_ms, window_end_ms)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()
    return path, len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--json", metavar="FILE", help="also write every run's figures to FILE")
    args = parser.parse_args()

    ours = os.path.join(args.build, "src", "leeway")
    bare = os.path.join(args.build, "bench", "bare-fetch")

    with tempfile.TemporaryDirectory(prefix="mq-bench-history-") as tmp:
        body_path = os.path.join(tmp, "remains.json")
        with open(body_path, "w") as f:
            f.write(current_body())
        server, base = serve(body_path)
        env = dict(os.environ, MINIMAX_API_KEY=KEY, MINIMAX_BASE_URL=base, NO_COLOR="1",
                   LC_ALL="C.UTF-8")
        for name in ("MINIMAX_CN_API_KEY", "LEEWAY_NO_HISTORY"):
            env.pop(name, None)
        off_env = dict(env, LEEWAY_NO_HISTORY="1", XDG_STATE_HOME=os.path.join(tmp, "none"))
        fresh_env = dict(env, XDG_STATE_HOME=os.path.join(tmp, "fresh"))
        full_env = dict(env, XDG_STATE_HOME=os.path.join(tmp, "full"))
        full_path, full_rows = prefill(ours, full_env, 30)

        contenders = {
            "bare libsoup fetch (floor)": ([bare, base + "/v1/token_plan/remains"], env),
            "--once --json, LEEWAY_NO_HISTORY=1": ([ours, "--once", "--json"], off_env),
            "--once --json, recording (history growing from empty)": ([ours, "--once", "--json"], fresh_env),
            f"--once --json, recording (30 days in the history, {full_rows} rows)":
                ([ours, "--once", "--json"], full_env),
        }
        for name, (argv, e) in contenders.items():
            json.loads(run_once(argv, e)[2])

        times = {n: [] for n in contenders}
        rss = {n: [] for n in contenders}
        for _ in range(args.runs):
            for name, (argv, e) in contenders.items():
                elapsed, peak, _ = run_once(argv, e)
                times[name].append(elapsed * 1000.0)
                rss[name].append(peak)
        server.shutdown()
        size_kib = os.path.getsize(full_path) / 1024.0

    med = {n: statistics.median(times[n]) for n in contenders}
    mem = {n: statistics.median(rss[n]) for n in contenders}
    floor = list(contenders)[0]
    print(f"{args.runs} alternating runs each, loopback server, an answer with current windows")
    print()
    print("| program | median wall (ms) | × bare fetch | median peak RSS (MiB) |")
    print("| --- | ---: | ---: | ---: |")
    for n in contenders:
        print(f"| {n} | {med[n]:.1f} | {med[n] / med[floor]:.2f} | {mem[n]:.1f} |")
    print()
    print(f"30-day history file: {size_kib:.0f} KiB")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"runs": args.runs,
                       "programs": {n: {"median_ms": med[n], "median_rss_mib": mem[n],
                                        "wall_ms": times[n], "peak_rss_mib": rss[n]}
                                    for n in contenders}}, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
