#!/usr/bin/python3
"""Times `leeway --once --json` when the keyring does not answer
(issue 9.1): the key comes from MINIMAX_API_KEY, the answer from
mq-fake-server on loopback, and the session bus is a private dbus-daemon
on which tests/secret-service-mock.py owns org.freedesktop.secrets and
never replies ("silent"), or holds the key's item in a locked collection
whose unlock prompt never completes ("locked"); "none" is the same bus with
no Secret Service at all.

    /usr/bin/python3 bench/cli_keyring.py --build build [--runs 5]

Prints, for each case, every run's wall time, the median and the exit
status, as a markdown table.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KEY = "sk-cp-BENCH-KEYRING-not-a-real-one-0123456789"
PATH_CURRENT = "/v1/token_plan/remains"
FIXTURE = os.path.join(ROOT, "tests", "data", "token-plan-plus-video-not-in-plan.json")


def wait_file(path, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            with open(path, encoding="utf-8") as f:
                return f.read().strip()
        time.sleep(0.05)
    raise SystemExit(f"cli_keyring: {path} never appeared")


def run_case(cli, url, mode, runs, tmp):
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    address = bus.stdout.readline().strip()
    mock = None
    try:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("MINIMAX_", "SECRET_")) and k.lower() not in
               ("http_proxy", "https_proxy", "all_proxy")}
        env.update(DBUS_SESSION_BUS_ADDRESS=address, MINIMAX_API_KEY=KEY,
                   HOME=os.path.join(tmp, "home"), XDG_DATA_HOME=os.path.join(tmp, "data"),
                   XDG_STATE_HOME=os.path.join(tmp, "state"),
                   XDG_CACHE_HOME=os.path.join(tmp, "cache"), GIO_USE_PROXY_RESOLVER="dummy",
                   LC_ALL="C.UTF-8")
        if mode != "none":
            mock = subprocess.Popen(["/usr/bin/python3",
                                     os.path.join(ROOT, "tests", "secret-service-mock.py"),
                                     mode, os.path.join(tmp, f"mock-{mode}.log")],
                                    env=env, stdout=subprocess.PIPE, text=True)
            if mock.stdout.readline().strip() != "ready":
                raise SystemExit("cli_keyring: the Secret Service mock did not start")
        times, codes = [], []
        for _ in range(runs):
            began = time.monotonic()
            done = subprocess.run([cli, "--once", "--json", "--base-url", url], env=env,
                                  capture_output=True, text=True, timeout=120)
            times.append(time.monotonic() - began)
            codes.append(done.returncode)
            if done.returncode != 0:
                print(f"cli_keyring: {mode}: exit {done.returncode}: {done.stderr.strip()}",
                      file=sys.stderr)
        return times, codes
    finally:
        if mock is not None:
            mock.kill()
            mock.wait()
        bus.kill()
        bus.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cli = os.path.join(args.build, "src", "leeway")
    fake = os.path.join(args.build, "tests", "mq-fake-server")
    with tempfile.TemporaryDirectory(prefix="mq-cli-keyring-") as tmp:
        os.makedirs(os.path.join(tmp, "home"))
        port_file = os.path.join(tmp, "url")
        server = subprocess.Popen([fake, "--port-file", port_file,
                                   "--route", f"{PATH_CURRENT}=200:@{FIXTURE}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = wait_file(port_file)
            print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            print("")
            print("| keyring | runs (s) | median (s) | exit |")
            print("| --- | --- | ---: | --- |")
            for mode in ("none", "silent", "locked"):
                times, codes = run_case(cli, url, mode, args.runs, tmp)
                print(f"| {mode} | {', '.join(f'{t:.2f}' for t in times)} "
                      f"| {statistics.median(times):.2f} | {sorted(set(codes))} |", flush=True)
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
