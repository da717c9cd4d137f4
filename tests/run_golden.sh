#!/usr/bin/env bash
# Runs one golden script: its stdout must equal NAME.out and its exit status NAME.rc (0 when absent).
# Usage: run_golden.sh AIO SCRIPT [EXPECTED_DIR]; NAME.out, NAME.rc and PENDING are read from
# EXPECTED_DIR, the script's own folder when absent.
# A line "# aio-flags: ..." in the script passes those options to aio (e.g. --virtual-time).
# A script listed in tests/scripts/PENDING is reported as skipped (exit 77) until it passes.
set -u
aio=$1 script=$2
dir=$(dirname "$script") name=$(basename "$script" .aio)
expected_dir=${3:-$dir}
if grep -qx "$name" "$expected_dir/PENDING" 2>/dev/null; then echo "pending: $name"; exit 77; fi
flags=$(sed -n 's/^# aio-flags: //p' "$script" | head -1)
expected_rc=0; [ -f "$expected_dir/$name.rc" ] && expected_rc=$(cat "$expected_dir/$name.rc")
actual=$(cd "$dir" && timeout 50 "$aio" $flags "$name.aio" 2>/tmp/aio_golden_$$.err </dev/null; echo "rc=$?")
expected=$(cat "$expected_dir/$name.out"; echo "rc=$expected_rc")
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") | head -40
  echo "--- stderr:"; tail -5 /tmp/aio_golden_$$.err
  rm -f /tmp/aio_golden_$$.err; exit 1
fi
rm -f /tmp/aio_golden_$$.err
