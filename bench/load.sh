#!/usr/bin/env bash
# bench/load.sh - the load on threads: `chengyu validate` and `chengyu info`
# on a preset with --threads 1 and 2 (and more with --threads LIST), each
# timed RUNS times with GNU time (wall, user, system, peak memory), the
# medians and the ratio 1 thread / N threads, and a cmp of the info
# outputs (the answers must not depend on the thread count).
#
# usage: bench/load.sh [--preset national] [--runs 5] [--threads 1,2]
#                      [--chengyu BIN] [--out DIR]
# Builds chengyu in Release in build/bench-load unless --chengyu is given.
# The issue's target (issue 22): national validate at least 1.5x faster
# with 2 threads than with 1.  Measure on a quiet machine: the load
# average is printed before and after, and a run on a busy machine says
# nothing about the speed-up (the second thread gets no processor).
# Presets are generated with --no-stress-fields: the same networks as the
# measurements before session 7 (no capacity, stock or recovery times).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=national
runs=5
threads=1,2
bin=""
out=$here/bench/out/load
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/load.sh [--preset P] [--runs N] [--threads LIST] [--chengyu BIN] [--out DIR]" >&2
       exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-load" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-load" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-load/chengyu
fi
mkdir -p "$out"
file=$out/$preset.json
[ -s "$file" ] || "$bin" generate --preset "$preset" --no-stress-fields -q -o "$file"
echo "file: $file ($(stat -c %s "$file") bytes); $(nproc) processors online"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# median of the numbers on standard input
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A wall
for command in validate info; do
  for t in ${threads//,/ }; do
    : >"$out/times"
    for ((r = 0; r < runs; r++)); do
      /usr/bin/time -o "$out/time" -f "%e %U %S %M" \
        "$bin" "$command" --threads "$t" -q -f json "$file" >"$out/$command.$t.json"
      cat "$out/time" >>"$out/times"
    done
    w=$(cut -d' ' -f1 "$out/times" | median)
    u=$(cut -d' ' -f2 "$out/times" | median)
    s=$(cut -d' ' -f3 "$out/times" | median)
    m=$(cut -d' ' -f4 "$out/times" | median)
    wall[$command.$t]=$w
    printf "chengyu %s --threads %s (%s): median of %d: %s s wall, %s s user + %s s system, %s KB\n" \
      "$command" "$t" "$preset" "$runs" "$w" "$u" "$s" "$m"
    if [ "$t" != 1 ] && [ -n "${wall[$command.1]:-}" ]; then
      awk -v a="${wall[$command.1]}" -v b="$w" -v c="$command" -v t="$t" \
        'BEGIN {printf "  %s: 1 thread / %s threads = %.2fx\n", c, t, (b > 0 ? a / b : 0)}'
      cmp -s "$out/$command.1.json" "$out/$command.$t.json" ||
        { echo "  $command: the output with $t threads differs from one thread's" >&2; exit 1; }
    fi
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
