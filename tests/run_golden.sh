#!/usr/bin/env bash
# Runs one golden script: its stdout must equal NAME.out and its exit status NAME.rc (0 when absent).
# A line "# aio-flags: ..." in the script passes those options to aio (e.g. --virtual-time).
# A script listed in tests/scripts/PENDING is reported as skipped (exit 77) until it passes.
set -u
aio=$1 script=$2
dir=$(dirname "$script") name=$(basename "$script" .aio)
if grep -qx "$name" "$dir/PENDING" 2>/dev/null; then echo "pending: $name"; exit 77; fi
flags=$(sed -n 's/^# aio-flags: //p' "$script" | head -1)
expected_rc=0; [ -f "$dir/$name.rc" ] && expected_rc=$(cat "$dir/$name.rc")
actual=$(cd "$dir" && timeout 50 "$aio" $flags "$name.aio" 2>/tmp/aio_golden_$$.err </dev/null; echo "rc=$?")
expected=$(cat "$dir/$name.out"; echo "rc=$expected_rc")
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") | head -40
  echo "--- stderr:"; tail -5 /tmp/aio_golden_$$.err
  rm -f /tmp/aio_golden_$$.err; exit 1
fi
rm -f /tmp/aio_golden_$$.err
