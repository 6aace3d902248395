#!/usr/bin/python3
"""Runs the benchmarks and writes docs/PERFORMANCE.md from what they measure.

    python3 bench/report.py --build build-perf --output docs/PERFORMANCE.md

Runs, one after the other (about eight minutes):

1. bench/parse (mq_snapshot_parse() on 50..50,000-row responses, beside
   json-glib alone), three times a minute apart, and, when valgrind is
   installed, the instructions that the parse executes per row (callgrind),
   which separate the algorithm's scaling from the machine's memory
   hierarchy;
2. bench/cli_vs_mmx.py (`leeway --once --json`, mmx-cli 1.0.27 and
   the bare libsoup fetch, alternating, 40 runs each);
3. bench/applet.py (the applet in Xvfb on a private session bus: RSS,
   1,000 refreshes, an idle minute), under xvfb-run and dbus-run-session
   unless this already runs in a display and a session bus.

Then writes the report: every figure beside its target, pass or miss, the
command that reproduces it, and the machine. The soak test is too long to
run here; its verdict is read from docs/SOAK.md (bench/soak.py writes it).
"""
import argparse
import datetime
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

TARGET_ONCE_VS_BARE = 2.0      # --once within 2x the bare fetch's time and memory
TARGET_MMX_SPEEDUP = 15.0      # at least 15x faster than mmx-cli
TARGET_APPLET_RSS = 40.0       # MiB after start
TARGET_APPLET_GROWTH = 2.0     # MiB over 1,000 refreshes
TARGET_CPU_PER_REFRESH = 5.0   # ms
TARGET_IDLE_SWITCHES = 10      # per idle minute
TARGET_PARSE_5000 = 50.0       # ms
TARGET_HISTORY_VS_BARE = 1.3   # --once --json recording the history (issue 11)
TARGET_LINEAR = 2.0            # per-row time at 50,000 rows within 2x that at 50


CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ticks():
    """(busy, idle) ticks of all CPUs since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal, idle + iowait


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Contention:
    """How much CPU other processes took while a benchmark ran: all CPUs'
    busy time from /proc/stat less the benchmark's own (its waited-for
    processes), averaged over the wall time, in CPUs."""

    def __enter__(self):
        self.busy, _ = cpu_ticks()
        self.ours = children_cpu_s()
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc):
        wall = time.monotonic() - self.start
        busy = (cpu_ticks()[0] - self.busy) / CLK_TCK
        ours = children_cpu_s() - self.ours
        self.others = max(0.0, busy - ours) / wall if wall > 0 else 0.0
        return False


def wait_quiet(limit_s):
    """Waits (up to @limit_s) for a 5-second window in which the CPUs were
    at least 85% idle; TRUE when one came."""
    deadline = time.monotonic() + limit_s
    while True:
        busy0, idle0 = cpu_ticks()
        time.sleep(5)
        busy1, idle1 = cpu_ticks()
        total = (busy1 - busy0) + (idle1 - idle0)
        if total > 0 and (idle1 - idle0) / total >= 0.85:
            return True
        if time.monotonic() >= deadline:
            return False
        print("report: the machine is busy, waiting", file=sys.stderr, flush=True)


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    distro = ""
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    with open("/proc/meminfo") as f:
        mem_kib = int(f.readline().split()[1])
    versions = []
    for module in ("glib-2.0", "libsoup-3.0", "json-glib-1.0", "gtk+-3.0"):
        proc = subprocess.run(["pkg-config", "--modversion", module], capture_output=True,
                              text=True)
        if proc.returncode == 0:
            versions.append(f"{module} {proc.stdout.strip()}")
    caches = {}
    base = "/sys/devices/system/cpu/cpu0/cache"
    try:
        for index in sorted(os.listdir(base)):
            if not index.startswith("index"):
                continue
            read = lambda name: open(os.path.join(base, index, name)).read().strip()  # noqa: E731
            if read("type") in ("Data", "Unified"):
                caches[f"L{read('level')}"] = read("size")
    except OSError:
        pass
    node = shutil.which("node")
    if node:
        versions.append("node " + subprocess.run([node, "--version"], capture_output=True,
                                                 text=True).stdout.strip())
    return {
        "cpus": os.cpu_count(),
        "model": model,
        "kernel": platform.release(),
        "distro": distro,
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "versions": ", ".join(versions),
        "caches": caches,
    }


def run(argv, what, env=None):
    print(f"report: {what}: {' '.join(argv)}", file=sys.stderr, flush=True)
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"report: {what} failed ({proc.returncode})")
    return proc.stdout


def parse_table(text):
    """Rows of bench/parse's table: rows -> dict."""
    rows = {}
    pattern = re.compile(r"^\| (\d+) \| ([\d.]+) KiB \| ([\d.]+) ms \| ([\d.]+) ms \| "
                         r"([\d.]+) us \| ([\d.]+) ms \| ([\d.]+) ms \| (\d+)% \|$")
    for line in text.splitlines():
        m = pattern.match(line)
        if m:
            rows[int(m.group(1))] = {"kib": float(m.group(2)), "median_ms": float(m.group(3)),
                                     "fastest_ms": float(m.group(4)),
                                     "per_row_us": float(m.group(5)),
                                     "cpu_ms": float(m.group(6)),
                                     "json_glib_ms": float(m.group(7)),
                                     "json_glib_share": int(m.group(8))}
    return rows


# Functions whose inclusive share of the parse's instructions the report
# shows: json-glib's (building the tree, and freeing it with the parser)
# and ours.
SPLIT_FUNCTIONS = ["json_parser_load_from_data", "g_object_unref", "mq_json_text_is_valid",
                   "read_window", "mq_model_interpret"]


def instruction_split(path):
    """Inclusive share (%) of each of SPLIT_FUNCTIONS in a callgrind file."""
    proc = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", path],
                          capture_output=True, text=True)
    shares = {}
    for line in proc.stdout.splitlines():
        m = re.match(r"^\s*[\d,]+ \(\s*([\d.]+)%\)\s+\S*?:(\w+)(?: \[|$)", line)
        if m and m.group(2) in SPLIT_FUNCTIONS:
            shares[m.group(2)] = max(shares.get(m.group(2), 0.0), float(m.group(1)))
    return shares


def instructions_per_row(parse_bin, sizes, split_at):
    """Instructions executed inside mq_snapshot_parse() per row, by callgrind
    (two parses per run: the warm-up and one timed), and where they go at
    @split_at rows."""
    result, split = {}, None
    for rows in sizes:
        with tempfile.NamedTemporaryFile(prefix="mq-callgrind-") as out:
            proc = subprocess.run(["valgrind", "--tool=callgrind",
                                   f"--callgrind-out-file={out.name}",
                                   "--toggle-collect=mq_snapshot_parse",
                                   parse_bin, "--rows", str(rows), "--runs", "1"],
                                  capture_output=True, text=True)
            m = re.search(r"Collected : (\d+)", proc.stderr)
            if proc.returncode != 0 or not m:
                return None, None
            result[rows] = int(m.group(1)) / (2 * rows)
            if rows == split_at and shutil.which("callgrind_annotate"):
                split = instruction_split(out.name)
    return result, split


def soak_summary(path):
    """(verdict, RSS line, date) from a report bench/soak.py wrote, or None."""
    try:
        text = open(path).read()
    except OSError:
        return None
    verdict = re.search(r"^## Verdict: (\w+)", text, re.M)
    rss = re.search(r"^\| RSS, median of the first minute → of the last \| ([^|]+) \|", text,
                    re.M)
    fds = re.search(r"^\| open file descriptors[^|]* \| ([^|]+) \|", text, re.M)
    threads = re.search(r"^\| threads[^|]* \| ([^|]+) \|", text, re.M)
    date = re.search(r"^- date: ([^;]+);", text, re.M)
    hwm = re.search(r"^Peak RSS over the whole run \(VmHWM\): ([\d.]+) MiB", text, re.M)
    tray = re.search(r"^- tray host: xfce4-panel", text, re.M)
    duration = re.search(r"^- ([\d.]+) minutes, (\d+) refreshes", text, re.M)
    if not verdict or not rss:
        return None
    return {"verdict": verdict.group(1), "rss": rss.group(1).strip(),
            "fds": fds.group(1).strip() if fds else "?",
            "threads": threads.group(1).strip() if threads else "?",
            "date": date.group(1) if date else "?",
            "hwm": hwm.group(1) if hwm else None,
            "tray": bool(tray),
            "minutes": duration.group(1) if duration else "?",
            "refreshes": duration.group(2) if duration else "?"}


def mark(ok):
    return "pass" if ok else "**miss**"


def history_and_bars(history, history_out, cmd_history, bar, bar_out, cmd_bar):
    """Summary rows and the report's section for bench/cli_history.py and
    bench/bar.py (their --json output and printed tables)."""
    programs = history["programs"]
    names = list(programs)
    floor = programs[names[0]]["median_ms"]
    off, fresh, full = (programs[n]["median_ms"] for n in names[1:4])
    applet, fetched = bar["ways"]["applet"], bar["ways"]["fetched"]
    ratio = fetched["median_ms"] / applet["median_ms"]
    rows = [
        ("`--once --json` recording the history", f"{fresh:.1f} ms empty, {full:.1f} ms with 30 days "
         f"(bare fetch {floor:.1f} ms: {fresh / floor:.2f}×, {full / floor:.2f}×; "
         f"without history {off / floor:.2f}×)",
         f"≤ {TARGET_HISTORY_VS_BARE:.1f}× the bare fetch",
         max(fresh, full) / floor <= TARGET_HISTORY_VS_BARE, cmd_history),
        ("`--waybar` from the applet vs. fetched (loopback)",
         f"{applet['median_ms']:.1f} ms vs. {fetched['median_ms']:.1f} ms ({ratio:.1f}×), "
         f"{applet['median_rss_mib']:.1f} vs. {fetched['median_rss_mib']:.1f} MiB; "
         f"requests from the applet way: {bar['requests'] - bar['runs']}",
         "no request; faster than a fetch",
         bar["wired"] and bar["requests"] == bar["runs"] and ratio > 1.0, cmd_bar),
    ]
    lines = [
        "## The command line's history and the bars",
        "",
        "`bench/cli_history.py` runs, alternately in one loop, the bare fetch, "
        "`leeway --once --json` with `LEEWAY_NO_HISTORY=1`, and the same "
        "recording into a history growing from empty and into one holding 30 days of "
        "3-minute polls (each in the window it fell in), against an answer whose windows "
        "are current.",
        "",
        "```",
        history_out.strip(),
        "```",
        "",
        "Every run opens the SQLite file (WAL, `synchronous=NORMAL`, a 200 ms busy "
        "timeout), records its samples in one transaction, and reads back the current "
        "windows' samples for the forecast. SQLite would checkpoint the WAL into the "
        "database and delete it on every close (the run is the only connection), then "
        "recreate it on the next run: four `fdatasync()`s per run, about 20 ms on this "
        "disk, 1.5× the bare fetch. The command line leaves the WAL in place "
        "(`SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE`, `SQLITE_FCNTL_PERSIST_WAL`): commits append "
        "without a sync and SQLite's automatic checkpoint folds the WAL back every 1000 "
        "pages; a power cut may lose the last samples, never the database. What is left "
        "is reading the week's samples of the weekly cap for its forecast.",
        "",
        "`bench/bar.py` runs `leeway --waybar` alternately with "
        "`tests/mq-bar-exporter` playing the applet on a private session bus (the line "
        "from the applet's `Report` over D-Bus) and on a second, empty bus (no applet: it "
        "fetches from `mq-fake-server` on loopback), and counts the server's requests.",
        "",
        "```",
        bar_out.strip(),
        "```",
        "",
        "On loopback a fetch costs little more than starting the process; against "
        "MiniMax's servers it adds a network round trip (and the TLS handshake) to the "
        "fetched way only, and the applet way makes no request at all.",
        "",
    ]
    return rows, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--runs", type=int, default=40, help="runs of each CLI")
    parser.add_argument("--cycles", type=int, default=1000, help="applet refresh cycles")
    parser.add_argument("--idle", type=int, default=60, help="seconds of applet idle")
    parser.add_argument("--parse-runs", type=int, default=21)
    parser.add_argument("--parse-rounds", type=int, default=3,
                        help="runs of bench/parse, a minute apart; the middle one is shown")
    parser.add_argument("--no-callgrind", action="store_true",
                        help="skip counting the parse's instructions with valgrind")
    parser.add_argument("--soak", default=os.path.join(ROOT, "docs", "SOAK.md"))
    parser.add_argument("--wait-quiet", type=int, default=0, metavar="SECONDS",
                        help="before each benchmark, wait up to SECONDS for the CPUs to be "
                             "at least 85%% idle (on a shared machine)")
    parser.add_argument("--output", help="write the report here (else standard output)")
    args = parser.parse_args()

    build = os.path.relpath(os.path.abspath(args.build), ROOT)
    parse_bin = os.path.join(ROOT, build, "bench", "parse")
    for path in (parse_bin, os.path.join(ROOT, build, "bench", "bare-fetch"),
                 os.path.join(ROOT, build, "src", "leeway"),
                 os.path.join(ROOT, build, "src", "leeway-applet")):
        if not os.access(path, os.X_OK):
            raise SystemExit(f"report: {path} is missing: meson setup {build} && "
                             f"ninja -C {build}")

    # The figures are of the source as it is now: build it first.
    run(["ninja", "-C", build], "build")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--",
                            "src", "meson.build", "meson_options.txt"], cwd=ROOT,
                           capture_output=True, text=True).stdout.split("\n")
    dirty = [line[3:] for line in dirty if line.strip()]

    started = datetime.datetime.now(datetime.timezone.utc)
    host = machine()
    others = {}
    quiet = {}
    tmp = tempfile.mkdtemp(prefix="mq-report-")
    try:
        # 1. parse
        cmd_parse = [os.path.join(build, "bench", "parse"), "--runs", str(args.parse_runs)]
        # Several rounds, a minute apart: on a shared virtual machine the
        # speed drifts between rounds more than within one. The report
        # shows the middle round (by its 5,000-row median) and the spread.
        rounds = []
        for index in range(args.parse_rounds):
            if index > 0:
                time.sleep(60)
            quiet.setdefault("parse", True)
            if args.wait_quiet:
                quiet["parse"] = wait_quiet(args.wait_quiet) and quiet["parse"]
            with Contention() as contention:
                out_text = run(cmd_parse, f"parse, round {index + 1} of {args.parse_rounds}")
            table = parse_table(out_text)
            if sorted(table) != [50, 500, 5000, 50000]:
                raise SystemExit("report: cannot read bench/parse's table:\n" + out_text)
            rounds.append((table[5000]["median_ms"], out_text, table, contention.others))
        rounds.sort(key=lambda r: r[0])
        _, parse_out, rows, others["parse"] = rounds[len(rounds) // 2]
        round_medians = sorted(r[0] for r in rounds)
        if not args.wait_quiet:
            quiet["parse"] = None
        instr, split = None, None
        if not args.no_callgrind and shutil.which("valgrind"):
            print("report: callgrind on bench/parse (a minute or two)", file=sys.stderr,
                  flush=True)
            instr, split = instructions_per_row(parse_bin, [500, 5000, 50000], 5000)

        # 2. the command line against mmx-cli and the floor
        cli_json = os.path.join(tmp, "cli.json")
        cmd_cli = ["python3", "bench/cli_vs_mmx.py", "--build", build, "--runs", str(args.runs)]
        quiet["cli"] = wait_quiet(args.wait_quiet) if args.wait_quiet else None
        with Contention() as contention:
            cli_out = run(cmd_cli + ["--json", cli_json], "cli_vs_mmx")
        others["cli"] = contention.others
        cli = json.load(open(cli_json))["programs"]

        # 2b. the history's cost, and the bars from the applet vs. fetched
        history_json = os.path.join(tmp, "history.json")
        cmd_history = ["python3", "bench/cli_history.py", "--build", build, "--runs", str(args.runs)]
        history_out = run(cmd_history + ["--json", history_json], "cli_history")
        history = json.load(open(history_json))
        bar_json = os.path.join(tmp, "bar.json")
        cmd_bar = ["python3", "bench/bar.py", "--build", build, "--runs", str(args.runs)]
        bar_out = run(cmd_bar + ["--json", bar_json], "bar")
        bar = json.load(open(bar_json))

        # 3. the applet
        applet_json = os.path.join(tmp, "applet.json")
        cmd_applet = ["/usr/bin/python3", "bench/applet.py", "--build", build,
                      "--cycles", str(args.cycles), "--idle", str(args.idle)]
        wrapper = ["xvfb-run", "-a", "dbus-run-session", "--"]
        in_session = os.environ.get("DISPLAY") and os.environ.get("DBUS_SESSION_BUS_ADDRESS")
        quiet["applet"] = wait_quiet(args.wait_quiet) if args.wait_quiet else None
        with Contention() as contention:
            applet_out = run(([] if in_session else wrapper) + cmd_applet
                             + ["--json", applet_json], "applet")
        others["applet"] = contention.others
        applet = json.load(open(applet_json))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # ------------------------------------------------------------ figures
    ours, mmx, bare = cli["ours"], cli["mmx"], cli["bare"]
    time_vs_bare = ours["median_ms"] / bare["median_ms"]
    rss_vs_bare = ours["median_rss_mib"] / bare["median_rss_mib"]
    speedup = mmx["median_ms"] / ours["median_ms"]
    mem_ratio = mmx["median_rss_mib"] / ours["median_rss_mib"]
    p5k = rows[5000]
    linear = rows[50000]["per_row_us"] / rows[50]["per_row_us"]

    sh = " ".join
    cmd_applet_line = 'xvfb-run -a dbus-run-session -- ' + sh(cmd_applet)
    cmd_soak = ('xvfb-run -a -s "-screen 0 800x600x24" dbus-run-session -- '
                f"/usr/bin/python3 bench/soak.py --build {build} --output docs/SOAK.md")

    summary = [
        ("`--once --json`: median wall", f"{ours['median_ms']:.1f} ms "
         f"(bare fetch {bare['median_ms']:.1f} ms: {time_vs_bare:.2f}×)",
         f"≤ {TARGET_ONCE_VS_BARE:.0f}× the bare fetch", time_vs_bare <= TARGET_ONCE_VS_BARE,
         sh(cmd_cli)),
        ("`--once --json`: median peak RSS", f"{ours['median_rss_mib']:.1f} MiB "
         f"(bare fetch {bare['median_rss_mib']:.1f} MiB: {rss_vs_bare:.2f}×)",
         f"≤ {TARGET_ONCE_VS_BARE:.0f}× the bare fetch", rss_vs_bare <= TARGET_ONCE_VS_BARE,
         sh(cmd_cli)),
        ("`--once --json` against mmx-cli 1.0.27", f"{speedup:.1f}× faster "
         f"({mmx['median_ms']:.1f} ms), {mem_ratio:.1f}× less memory "
         f"({mmx['median_rss_mib']:.1f} MiB)",
         f"≥ {TARGET_MMX_SPEEDUP:.0f}× faster", speedup >= TARGET_MMX_SPEEDUP, sh(cmd_cli)),
        ("applet: RSS after start", f"{applet['rss_start_mib']:.1f} MiB",
         f"< {TARGET_APPLET_RSS:.0f} MiB", applet["rss_start_mib"] < TARGET_APPLET_RSS,
         cmd_applet_line),
        (f"applet: RSS growth over {applet['cycles']:,} refreshes",
         f"{applet['rss_growth_mib']:+.2f} MiB (to {applet['rss_end_mib']:.1f} MiB)",
         f"< {TARGET_APPLET_GROWTH:.0f} MiB", applet["rss_growth_mib"] < TARGET_APPLET_GROWTH,
         cmd_applet_line),
        ("applet: CPU per refresh", f"{applet['cpu_ms_per_cycle']:.2f} ms",
         f"< {TARGET_CPU_PER_REFRESH:.0f} ms",
         applet["cpu_ms_per_cycle"] < TARGET_CPU_PER_REFRESH, cmd_applet_line),
        ("applet: wake-ups (context switches) per idle minute",
         f"{applet['idle_switches'] * 60.0 / applet['idle_s']:.0f}"
         + (f" ({applet['threads_ended']} of them a GLib pool thread ending)"
            if applet["threads_ended"] else ""),
         f"< {TARGET_IDLE_SWITCHES}",
         applet["idle_switches"] * 60.0 / applet["idle_s"] < TARGET_IDLE_SWITCHES,
         cmd_applet_line),
        (f"parse: 5,000-row response ({p5k['kib'] / 1024:.1f} MiB)", f"{p5k['median_ms']:.1f} ms",
         f"< {TARGET_PARSE_5000:.0f} ms", p5k["median_ms"] < TARGET_PARSE_5000, sh(cmd_parse)),
        ("parse: scaling, time per row 50 → 50,000 rows",
         f"{rows[50]['per_row_us']:.1f} → {rows[50000]['per_row_us']:.1f} µs ({linear:.2f}×)"
         + (f"; instructions per row {instr[500] / 1000:.0f}k → {instr[50000] / 1000:.0f}k"
            if instr else ""),
         f"linear: ≤ {TARGET_LINEAR:.0f}× over the 1,000× range", linear <= TARGET_LINEAR,
         sh(cmd_parse)),
    ]
    history_rows, history_lines = history_and_bars(history, history_out, sh(cmd_history),
                                                   bar, bar_out, sh(cmd_bar))
    summary[3:3] = history_rows
    soak = soak_summary(args.soak)
    if soak:
        summary.append((f"soak: {soak['minutes']} min at 1 refresh/s, good/500/slow/429/broken",
                        f"RSS {soak['rss']}; fds {soak['fds']}; threads {soak['threads']} "
                        f"([SOAK.md](SOAK.md), {soak['date']})",
                        "no growth", soak["verdict"] == "PASS", cmd_soak))

    # ------------------------------------------------------------ the report
    lines = []
    out = lines.append
    out("# Performance")
    out("")
    out("Produced by `bench/report.py` from what the benchmarks measured; do not edit by hand. "
        "Regenerate with")
    out("")
    out("```")
    out(f"meson setup {build} && ninja -C {build}     # the default build type (debugoptimized)")
    out(f"python3 bench/report.py --build {build} --output docs/PERFORMANCE.md")
    out("```")
    out("")
    out(f"- date: {started:%Y-%m-%d %H:%M} UTC; source: commit {commit}"
        + (f" with uncommitted changes to {', '.join(dirty)}" if dirty else ""))
    out(f"- machine: {host['cpus']} × {host['model']}"
        + (" (caches as reported: " + ", ".join(f"{k} {v}" for k, v in host["caches"].items())
           + ")" if host["caches"] else "")
        + f", {host['memory']} RAM, Linux {host['kernel']}, {host['distro']}")
    out(f"- libraries: {host['versions']}")
    out(f"- other work on this shared machine (CPU time of other processes, from /proc/stat, "
        f"averaged over each benchmark, of {host['cpus']} CPUs): {others['parse']:.2f} CPUs "
        f"during bench/parse, {others['cli']:.2f} during the CLI runs, {others['applet']:.2f} "
        f"during the applet runs"
        + (" (each benchmark waited for a quiet moment first"
           + ("" if all(quiet.values()) else ", but " + ", ".join(
               k for k, v in quiet.items() if not v) + " ran without one") + ")"
           if args.wait_quiet else ""))
    out("")
    out("## Summary")
    out("")
    out("| figure | measured | target | | reproduce |")
    out("| --- | --- | --- | --- | --- |")
    for name, measured, target, ok, command in summary:
        out(f"| {name} | {measured} | {target} | {mark(ok)} | `{command}` |")
    out("")
    missed = [s[0] for s in summary if not s[3]]
    out("All targets met." if not missed else
        "Missed: " + "; ".join(missed) + ". The causes, as measured, are below.")
    out("")

    out("## The command line: `leeway --once --json`")
    out("")
    out("`bench/cli_vs_mmx.py` serves a fixture on loopback and runs, alternately in one "
        "loop so that machine noise falls on all three alike: `leeway --once --json`; "
        "MiniMax's official CLI, `mmx quota show --output json` (mmx-cli 1.0.27 from npm, "
        "installed into bench/node_modules on first use); and `bench/bare-fetch`, one libsoup "
        "GET of the same URL parsed with json-glib and printed back, the floor (no keyring, "
        "no interpretation, no formatting). Wall time is measured around each process, peak "
        "RSS by GNU time.")
    out("")
    out("```")
    out(cli_out.strip())
    out("```")
    out("")
    spread = {k: (min(v["wall_ms"]), max(v["wall_ms"])) for k, v in cli.items()}
    out(f"Fastest and slowest runs: leeway {spread['ours'][0]:.1f}–{spread['ours'][1]:.1f} ms, "
        f"bare fetch {spread['bare'][0]:.1f}–{spread['bare'][1]:.1f} ms, "
        f"mmx-cli {spread['mmx'][0]:.1f}–{spread['mmx'][1]:.1f} ms.")
    out("")
    out("The command line never loads GTK: `leeway` links only GLib, libsoup, "
        "json-glib and libsecret, and starts the separate `leeway-applet` executable "
        "when run without `--once`. What it does beyond the floor is a keyring lookup "
        "(skipped here: the key comes from `MINIMAX_API_KEY`), the quota interpretation and "
        "the JSON rendering.")
    out("")

    lines.extend(history_lines)

    out("## The tray applet")
    out("")
    out("`bench/applet.py` runs the real applet against mq-fake-server on loopback in Xvfb, "
        "on a private session bus, with a refresh interval of an hour so that nothing polls "
        "by itself. It refreshes through `org.gtk.Actions.Activate(\"refresh\")`, the action "
        "of the menu's **Refresh now**, each answer with a new percentage so that the icon "
        "is redrawn every time, and reads the applet's RSS and CPU time (utime + stime) from "
        "/proc. The idle figure is every context switch of every applet thread over the idle "
        "period, counting a thread that ended as one more.")
    out("")
    out("```")
    out(applet_out.strip())
    out("```")
    out("")
    if soak and soak["hwm"] and soak["tray"]:
        out("This benchmark runs with no tray host, so the applet falls back to an XEmbed "
            "status icon that nothing shows. With a real one (xfce4-panel's status tray, in "
            f"the soak below) the applet's RSS peaked at {soak['hwm']} MiB over ten minutes "
            "of refreshes.")
        out("")
    out("GTK would map Mesa's OpenGL driver at start-up to choose visuals (with llvmpipe, "
        "about 50 MiB of libLLVM); the applet sets `GDK_GL=disable`, since it draws nothing "
        "with GL. Between polls it has no timers of its own.")
    out("")

    out("## Parsing")
    out("")
    out("`bench/parse` generates responses shaped like the endpoint's (every field of a "
        "row, models of every lane, limited, unlimited and not-in-plan windows; about 480 "
        "bytes a row) and times `mq_snapshot_parse()` on each, the median of "
        f"{args.parse_runs} runs after a warm-up: UTF-8 and nesting checks, json-glib's "
        "parser, and interpreting every row. \"CPU time\" is the parsing thread's "
        "(CLOCK_THREAD_CPUTIME_ID): close to the wall time, the parse was not preempted. "
        "\"json-glib alone\" times json-glib's parser building and freeing its tree of the "
        "same body: the part that is not ours.")
    out("")
    out("```")
    out(parse_out.strip())
    out("```")
    out("")
    if len(round_medians) > 1:
        out(f"bench/parse ran {len(round_medians)} times, a minute apart; the 5,000-row "
            "medians were " + ", ".join(f"{m:.1f}" for m in round_medians)
            + " ms, and the table above is the middle run. The spread between runs "
            "is this shared virtual machine's, not the code's: the instructions executed "
            "are the same every time.")
        out("")
    ours_5k = p5k["median_ms"] - p5k["json_glib_ms"]
    out(f"Of the {p5k['median_ms']:.1f} ms for 5,000 rows, json-glib building and freeing "
        f"its tree takes {p5k['json_glib_ms']:.1f} ms ({p5k['json_glib_share']}%); the "
        f"checks and the interpretation of 5,000 rows take the other {ours_5k:.1f} ms "
        f"({ours_5k * 1000 / 5000:.1f} µs a row). A real response has a handful of rows "
        f"and parses in well under a millisecond (50 rows: {rows[50]['median_ms']:.2f} ms).")
    out("")
    if instr:
        out(f"Scaling. The instructions executed per row (callgrind, inside "
            f"`mq_snapshot_parse()`) stay flat: {instr[500]:,.0f} at 500 rows, "
            f"{instr[5000]:,.0f} at 5,000, {instr[50000]:,.0f} at 50,000 "
            f"({instr[50000] / instr[500]:.2f}×): the work is linear in the rows. The wall "
            f"time per row changes "
            f"{rows[50000]['per_row_us'] / rows[500]['per_row_us']:.2f}× from 500 to 50,000 rows, "
            f"json-glib alone's {rows[50000]['json_glib_ms'] * 1000 / 50000 / (rows[500]['json_glib_ms'] * 1000 / 500):.2f}× "
            f"({rows[500]['json_glib_ms'] * 1000 / 500:.1f} → "
            f"{rows[50000]['json_glib_ms'] * 1000 / 50000:.1f} µs a row). Where it rises, the "
            f"same instructions wait longer on memory once the body and json-glib's tree outgrow "
            f"the CPU's caches (the body alone is {rows[5000]['kib'] / 1024:.1f} MiB at 5,000 "
            f"rows and {rows[50000]['kib'] / 1024:.0f} MiB at 50,000"
            + (f"; the L2 cache is {host['caches']['L2']}" if "L2" in host["caches"] else "")
            + "). This machine is a virtual one and exposes no cache-miss counters to "
            "`perf`; the flat instruction count is the measured evidence.")
        out("")
    missed_5k = p5k["median_ms"] >= TARGET_PARSE_5000
    narrow_5k = not missed_5k and p5k["median_ms"] >= 0.9 * TARGET_PARSE_5000
    if missed_5k:
        out(f"**The 5,000-row target is missed on this run** ({p5k['median_ms']:.1f} ms, "
            f"fastest run {p5k['fastest_ms']:.1f} ms). Cause, as measured: json-glib alone, "
            f"building and freeing its tree of this 2.3 MiB body, takes "
            f"{p5k['json_glib_ms']:.1f} ms, {p5k['json_glib_ms'] * 100 / TARGET_PARSE_5000:.0f}% "
            f"of the {TARGET_PARSE_5000:.0f} ms budget, before any of our code; our checks and "
            f"the interpretation of the rows add {ours_5k:.1f} ms. "
            + (f"The machine was otherwise idle ({others['parse']:.2f} CPUs of other work)"
               if others["parse"] < 0.1 else
               f"Other processes kept {others['parse']:.2f} of the {host['cpus']} CPUs busy "
               "meanwhile")
            + (f", and the parse's CPU time ({p5k['cpu_ms']:.1f} ms) is its wall time: "
               "nothing preempted it."
               if p5k["cpu_ms"] >= 0.97 * p5k["median_ms"] else
               f"; the parse's CPU time was {p5k['cpu_ms']:.1f} ms: it was preempted.")
            + (f" The {len(round_medians)} runs gave {round_medians[0]:.1f} to "
               f"{round_medians[-1]:.1f} ms." if len(round_medians) > 1 else "")
            + " A real response has a handful of rows and is far from this limit.")
    elif narrow_5k:
        out(f"**The 5,000-row target is met narrowly**: {p5k['median_ms']:.1f} ms, "
            f"{TARGET_PARSE_5000 - p5k['median_ms']:.1f} ms under the limit, on an otherwise "
            f"{'idle' if others['parse'] < 0.1 else 'busy'} machine ({others['parse']:.2f} CPUs "
            f"of other work). json-glib alone takes "
            f"{p5k['json_glib_ms'] * 100 / TARGET_PARSE_5000:.0f}% of the budget, which leaves "
            "little room: a slower machine, or this shared virtual one at a busier moment, "
            "misses it"
            + (f" (the {len(round_medians)} runs gave {round_medians[0]:.1f} to "
               f"{round_medians[-1]:.1f} ms)." if len(round_medians) > 1 else ".")
            )
    if (missed_5k or narrow_5k) and split and "json_parser_load_from_data" in split:
        json_share = split["json_parser_load_from_data"] + split.get("g_object_unref", 0.0)
        ours = [("checking that the body is one JSON text (mq_json_text_is_valid)",
                 split.get("mq_json_text_is_valid")),
                ("reading the rows' fields (read_window)", split.get("read_window")),
                ("interpreting them (mq_model_interpret)", split.get("mq_model_interpret"))]
        out("")
        out(f"Counted in instructions (callgrind, 5,000 rows): json-glib building its tree "
            f"{split['json_parser_load_from_data']:.1f}% and freeing it "
            f"{split.get('g_object_unref', 0.0):.1f}%, together {json_share:.1f}%; of "
            f"the other {100 - json_share:.1f}%, "
            + ", ".join(f"{what} {share:.1f}%" for what, share in ours if share is not None)
            + ", the rest the UTF-8 and nesting checks and building the snapshot. Meeting the "
            "target with room would take reading the rows without building json-glib's tree "
            "(a streaming reader), not trimming our own part.")
    if missed_5k or narrow_5k:
        out("")

    out("## Soak")
    out("")
    if soak:
        out(f"[SOAK.md](SOAK.md) (`bench/soak.py`, {soak['date']}): the applet refreshed "
            f"{soak['refreshes']} times, once a second for {soak['minutes']} minutes, while the "
            f"server cycled through good, HTTP 500, slow, HTTP 429, broken and changing "
            f"answers, with a real tray host and notification server. Verdict: "
            f"**{soak['verdict']}**; RSS {soak['rss']}, file descriptors {soak['fds']}, "
            f"threads {soak['threads']}. Reproduce with `{cmd_soak}` (ten minutes).")
    else:
        out(f"No soak report at {os.path.relpath(args.soak, ROOT)} yet: run `{cmd_soak}`.")
    out("")

    report = "\n".join(lines)
    if args.output:
        with open(args.output, "w") as f:
            f.write(report)
        print(f"report: wrote {args.output}", file=sys.stderr)
    else:
        print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
