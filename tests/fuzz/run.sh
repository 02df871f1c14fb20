#!/usr/bin/env bash
# Run a libFuzzer target on a copy of the seed corpus for a bounded time.
#
#   bash tests/fuzz/run.sh BINARY SECONDS [WORKDIR]
#
# First replays every regression input (tests/fuzz/corpus/regress-*) one by
# one, by name; then fuzzes for SECONDS of wall time in one process
# (-timeout=10 per input, -rss_limit_mb=2048, leak detection on) with the
# JSON dictionary.  The seed corpus is never modified: the run works on a
# copy in WORKDIR (kept when given, else a temporary directory that is
# removed).  Crash, leak, timeout and OOM inputs are written to
# WORKDIR/artifacts/.  Exits non-zero on any of them.  Prints the CPU time
# the fuzzer used (/usr/bin/time, package `time`).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: bash tests/fuzz/run.sh BINARY SECONDS [WORKDIR]" >&2
  exit 2
fi
binary=$1
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
case $seconds in ''|*[!0-9]*) echo "run.sh: SECONDS must be a whole number" >&2; exit 2 ;; esac
[ -x "$binary" ] || { echo "run.sh: $binary is not an executable" >&2; exit 2; }

if [ $# -eq 3 ]; then
  work=$3
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/chengyu-fuzz.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/corpus" "$work/artifacts"
cp -n "$here"/corpus/* "$work/corpus/" 2>/dev/null || true

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Named regressions first: each input that once crashed must now pass.
for input in "$here"/corpus/regress-*; do
  [ -e "$input" ] || continue
  if ! "$binary" "$input" >"$work/regress.log" 2>&1; then
    cat "$work/regress.log" >&2
    echo "run.sh: regression $(basename "$input") FAILED" >&2
    exit 1
  fi
  echo "regression $(basename "$input"): ok"
done

status=0
start=$(date +%s)
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%U %S" -o "$work/cpu")
"${timer[@]}" "$binary" "$work/corpus" \
  -dict="$here/json.dict" \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -max_len=65536 \
  -detect_leaks=1 \
  -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" \
  >"$work/fuzz.log" 2>&1 || status=$?
end=$(date +%s)
# (the last line: /usr/bin/time puts "Command exited with ..." before it)
cpu=$(tail -n 1 "$work/cpu" 2>/dev/null |
      awk '{printf "user %.0f s + sys %.0f s = %.1f CPU-minutes", $1, $2, ($1 + $2) / 60}')
[ -n "$cpu" ] || cpu="CPU time unknown"
tail -n 25 "$work/fuzz.log"
echo "fuzz: $binary ran $((end - start)) s wall, $cpu"
if [ "$status" -ne 0 ] || ls "$work/artifacts/"* >/dev/null 2>&1; then
  echo "run.sh: the fuzzer found a problem (exit $status); inputs in $work/artifacts:" >&2
  ls -l "$work/artifacts" >&2
  grep -E "ERROR|SUMMARY|violated|Test unit written" "$work/fuzz.log" >&2 || true
  if [ $# -lt 3 ]; then
    # Keep the evidence even when the working directory is temporary.
    keep=$(mktemp -d "${TMPDIR:-/tmp}/chengyu-fuzz-artifacts.XXXXXX")
    cp "$work/artifacts/"* "$work/fuzz.log" "$keep/" 2>/dev/null || true
    echo "run.sh: artifacts and log copied to $keep" >&2
  fi
  exit 1
fi
echo "fuzz: no crash, leak or timeout"
