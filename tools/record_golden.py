#!/usr/bin/env python3
"""Record the expected output of the golden scripts and the examples by running them under CPython.

For each tests/scripts/NAME.aio (or each NAME given), runs `python3 NAME.aio` inside
tests/scripts with stdin at /dev/null, writes NAME.out, and writes NAME.rc only when the
exit status is non-zero (a stale NAME.rc is removed otherwise). With --examples the same is
done for examples/NAME.aio, whose NAME.out and NAME.rc go to tests/examples. With no NAME and
no --examples, both folders are recorded.
"""
import argparse
import os
import subprocess
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


class Suite:
    """A folder of .aio sources and the folder their expected output is written to."""

    def __init__(self, source_dir, expected_dir):
        self.source_dir = os.path.join(ROOT, source_dir)
        self.expected_dir = os.path.join(ROOT, expected_dir)


SCRIPTS = Suite("tests/scripts", "tests/scripts")
EXAMPLES = Suite("examples", "tests/examples")

# Scripts CPython cannot run (they use U+00A0 as whitespace, which aio accepts): their .out is
# written by hand as the output with the no-break spaces read as plain spaces.
HAND_WRITTEN = {
    "lex_nbsp_indent",
    "lex_nbsp_space",
    "lex_nbsp_mixed",
    # Python 3.7 APIs that 3.11 removed (@asyncio.coroutine, base_futures.InvalidStateError, loop=):
    # their .out is what Python 3.7 prints.
    "async_coroutine_decorator",
    "async_base_futures",
    "async_loop_kwarg",
}

RUN_TIMEOUT_SECONDS = 120


def script_names(suite, args):
    if args:
        return [os.path.basename(a)[:-len(".aio")] if a.endswith(".aio") else os.path.basename(a)
                for a in args]
    return sorted(f[:-len(".aio")] for f in os.listdir(suite.source_dir) if f.endswith(".aio"))


def record(python, suite, name):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with open(os.devnull, "rb") as devnull:
        done = subprocess.run([python, name + ".aio"], cwd=suite.source_dir, stdin=devnull,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=RUN_TIMEOUT_SECONDS)
    os.makedirs(suite.expected_dir, exist_ok=True)
    with open(os.path.join(suite.expected_dir, name + ".out"), "wb") as f:
        f.write(done.stdout)
    rc_path = os.path.join(suite.expected_dir, name + ".rc")
    if done.returncode != 0:
        with open(rc_path, "w") as f:
            f.write("%d\n" % done.returncode)
    elif os.path.exists(rc_path):
        os.remove(rc_path)
    return done.returncode


def record_suite(python, suite, names):
    for name in script_names(suite, names):
        if suite is SCRIPTS and name in HAND_WRITTEN:
            print("hand-written, kept: %s" % name)
            continue
        if not os.path.exists(os.path.join(suite.source_dir, name + ".aio")):
            print("no such script: %s" % name, file=sys.stderr)
            return 2
        rc = record(python, suite, name)
        print("%s%s" % (name, "" if rc == 0 else "  (rc %d)" % rc))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3", help="interpreter to record with")
    parser.add_argument("--examples", action="store_true",
                        help="record examples/NAME.aio into tests/examples, not tests/scripts")
    parser.add_argument("names", nargs="*",
                        help="script names (default: all *.aio, of both folders if no --examples)")
    args = parser.parse_args()
    if args.examples:
        suites = [EXAMPLES]
    elif args.names:
        suites = [SCRIPTS]
    else:
        suites = [SCRIPTS, EXAMPLES]
    for suite in suites:
        rc = record_suite(args.python, suite, args.names)
        if rc != 0:
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
