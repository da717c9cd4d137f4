#!/usr/bin/env python3
"""Record the expected output of the golden scripts by running them under CPython.

For each tests/scripts/NAME.aio (or each NAME given), runs `python3 NAME.aio` inside
tests/scripts with stdin at /dev/null, writes NAME.out, and writes NAME.rc only when the
exit status is non-zero (a stale NAME.rc is removed otherwise).
"""
import argparse
import os
import subprocess
import sys

SCRIPTS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "scripts")

# Scripts CPython cannot run (they use U+00A0 as whitespace, which aio accepts): their .out is
# written by hand as the output with the no-break spaces read as plain spaces.
HAND_WRITTEN = {
    "lex_nbsp_indent",
    "lex_nbsp_space",
    "lex_nbsp_mixed",
}

RUN_TIMEOUT_SECONDS = 120


def script_names(args):
    if args:
        return [os.path.basename(a)[:-len(".aio")] if a.endswith(".aio") else os.path.basename(a)
                for a in args]
    return sorted(f[:-len(".aio")] for f in os.listdir(SCRIPTS_DIR) if f.endswith(".aio"))


def record(python, name):
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with open(os.devnull, "rb") as devnull:
        done = subprocess.run([python, name + ".aio"], cwd=SCRIPTS_DIR, stdin=devnull,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                              timeout=RUN_TIMEOUT_SECONDS)
    with open(os.path.join(SCRIPTS_DIR, name + ".out"), "wb") as f:
        f.write(done.stdout)
    rc_path = os.path.join(SCRIPTS_DIR, name + ".rc")
    if done.returncode != 0:
        with open(rc_path, "w") as f:
            f.write("%d\n" % done.returncode)
    elif os.path.exists(rc_path):
        os.remove(rc_path)
    return done.returncode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3", help="interpreter to record with")
    parser.add_argument("names", nargs="*", help="script names (default: all *.aio)")
    args = parser.parse_args()
    for name in script_names(args.names):
        if name in HAND_WRITTEN:
            print("hand-written, kept: %s" % name)
            continue
        if not os.path.exists(os.path.join(SCRIPTS_DIR, name + ".aio")):
            print("no such script: %s" % name, file=sys.stderr)
            return 2
        rc = record(args.python, name)
        print("%s%s" % (name, "" if rc == 0 else "  (rc %d)" % rc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
