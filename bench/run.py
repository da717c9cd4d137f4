#!/usr/bin/env python3
"""Time the bench/*.aio programs under aio and under CPython and print a comparison table.

Each program runs N times under each interpreter and the best wall time is kept. Startup is
measured as `-c pass`. Plain python3, no packages.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
DEFAULT_AIO = os.path.join(REPO_DIR, "build", "aio")
# Debian's python3 is built with PGO and LTO, a fairer reference than a local debug build.
DEFAULT_PYTHON = "/usr/bin/python3"
# Programs in bench/ that are not run unless named on the command line.
SKIP = set()
DEFAULT_RUNS = 3
STARTUP_RUNS = 20
RUN_TIMEOUT_SECONDS = 600


def best_time(argv, runs, cwd):
    """Best wall time of `runs` runs of argv in seconds, or None when a run fails."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        try:
            done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, timeout=RUN_TIMEOUT_SECONDS)
        except (OSError, subprocess.TimeoutExpired):
            return None
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            return None
        best = elapsed if best is None else min(best, elapsed)
    return best


def pick_python(requested):
    if os.path.exists(requested):
        return requested, None
    found = shutil.which("python3")
    if found is None:
        sys.exit("run.py: no python3 found")
    return found, f"note: {requested} not found, using {found} (may be slower than an optimized build)"


def bench_names(args):
    if args:
        return [os.path.basename(a)[:-len(".aio")] if a.endswith(".aio") else a for a in args]
    return sorted(f[:-len(".aio")] for f in os.listdir(BENCH_DIR)
                  if f.endswith(".aio") and f[:-len(".aio")] not in SKIP)


def fmt_seconds(t):
    return "failed" if t is None else f"{t:.3f}"


def fmt_ratio(a, p):
    return "-" if a is None or p is None or p == 0 else f"{a / p:.2f}"


def table_rows(aio, python, names, runs):
    rows = []
    a = best_time([aio, "-c", "pass"], STARTUP_RUNS, BENCH_DIR)
    p = best_time([python, "-c", "pass"], STARTUP_RUNS, BENCH_DIR)
    rows.append(("startup (-c pass)", a, p))
    for name in names:
        script = name + ".aio"
        a = best_time([aio, script], runs, BENCH_DIR)
        p = best_time([python, script], runs, BENCH_DIR)
        rows.append((name, a, p))
    return rows


def print_plain(rows):
    header = ("benchmark", "aio s", "python3 s", "aio/python3")
    lines = [header] + [(n, fmt_seconds(a), fmt_seconds(p), fmt_ratio(a, p)) for n, a, p in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]
        print("  ".join(cells))


def print_markdown(rows):
    print("| benchmark | aio s | python3 s | aio/python3 |")
    print("|---|---:|---:|---:|")
    for n, a, p in rows:
        print(f"| {n} | {fmt_seconds(a)} | {fmt_seconds(p)} | {fmt_ratio(a, p)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aio", default=DEFAULT_AIO, help="aio binary (default: build/aio)")
    parser.add_argument("--python", default=DEFAULT_PYTHON, help="reference CPython (default: /usr/bin/python3)")
    parser.add_argument("-n", "--runs", type=int, default=DEFAULT_RUNS, help="runs per program; the best is kept")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("names", nargs="*", help="programs in bench/ to run (default: all but the skip list)")
    args = parser.parse_args()
    python, note = pick_python(args.python)
    if note:
        print(note, file=sys.stderr)
    if not os.path.exists(args.aio):
        print(f"note: {args.aio} not found; its column will read 'failed'", file=sys.stderr)
    rows = table_rows(args.aio, python, bench_names(args.names), max(1, args.runs))
    if args.markdown:
        print_markdown(rows)
    else:
        print_plain(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
