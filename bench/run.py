#!/usr/bin/env python3
"""Time the bench/*.aio programs under aio and under CPython and print a comparison table.

Each program runs N times under each interpreter and the best time is kept: CPU time (user +
system of the child) by default, so that other work on a shared machine does not blur the
comparison; --wall times the wall clock instead. Startup is measured as `-c pass`. A program listed in MEASURES reports its own figure instead (a line
"LABEL: N" on stdout; the lowest of the runs is kept). Plain python3, no packages.
"""
import argparse
import os
import resource
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
# Programs whose result is a figure they print ("bytes per task: 608"), not their run time.
MEASURES = {"async_memory": "bytes per task"}
DEFAULT_RUNS = 3
STARTUP_RUNS = 20
RUN_TIMEOUT_SECONDS = 600


def printed_figure(stdout, label):
    """The number after "label:" in a program's output, or None."""
    for line in stdout.decode(errors="replace").splitlines():
        if line.startswith(label + ":"):
            return float(line.split(":", 1)[1])
    return None


def cpu_seconds():
    """User + system CPU time of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_time(argv, runs, cwd, label=None, wall=False):
    """Best time of `runs` runs of argv in seconds, CPU or wall (or the lowest figure printed
    after `label:`), or (None, why) when a run fails."""
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        cpu_start = cpu_seconds()
        try:
            done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=RUN_TIMEOUT_SECONDS)
        except OSError as e:
            return None, f"{argv[0]}: {e.strerror}"
        except subprocess.TimeoutExpired:
            return None, f"{' '.join(argv)}: timed out after {RUN_TIMEOUT_SECONDS} s"
        elapsed = time.perf_counter() - start if wall else cpu_seconds() - cpu_start
        if done.returncode != 0:
            lines = done.stderr.decode(errors="replace").strip().splitlines()
            return None, f"{' '.join(argv)}: exit code {done.returncode}" + (f": {lines[-1]}" if lines else "")
        if label:
            elapsed = printed_figure(done.stdout, label)
            if elapsed is None:
                return None, f"{' '.join(argv)}: printed no '{label}:' line"
        best = elapsed if best is None else min(best, elapsed)
    return best, None


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


def table_rows(aio, python, names, runs, wall):
    """(name, aio seconds, python seconds) rows; each failure is explained on stderr."""
    jobs = [("startup (-c pass)", ["-c", "pass"], STARTUP_RUNS, None)]
    jobs += [(name, [name + ".aio"], runs, MEASURES.get(name)) for name in names]
    rows = []
    for label, args, n, figure in jobs:
        if figure:
            label = f"{label} ({figure})"
        times = []
        for interpreter in (aio, python):
            t, why = best_time([interpreter] + args, n, BENCH_DIR, figure, wall)
            if why:
                print(f"{label}: {why}", file=sys.stderr)
            times.append(t)
        rows.append((label, *times))
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
    parser.add_argument("--wall", action="store_true",
                        help="time the wall clock instead of CPU time (fair only on an idle machine)")
    parser.add_argument("names", nargs="*", help="programs in bench/ to run (default: all but the skip list)")
    args = parser.parse_args()
    python, note = pick_python(args.python)
    if note:
        print(note, file=sys.stderr)
    if not os.path.exists(args.aio):
        sys.exit(f"run.py: {args.aio} not found: build it first (tools/build.sh), or pass --aio")
    aio = os.path.abspath(args.aio)
    rows = table_rows(aio, python, bench_names(args.names), max(1, args.runs), args.wall)
    if args.markdown:
        print_markdown(rows)
    else:
        print_plain(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
