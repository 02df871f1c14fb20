#!/usr/bin/env bash
# bench/weaklinks.sh - the whole weak-link report (`chengyu weak-links -f
# json`: register, backups with their independence checks, outside
# chokepoints, region dependence, every section) on generated presets:
# median wall time, mean CPU time (GNU time, user + system), peak resident
# memory, and the most threads the process had (read from /proc while it
# runs).  The targets of the issue: regional under 0.25 s, national under
# 15 s.  The presets are generated with --no-stress-fields, as the issue's
# measurements were: the report's time section (one or two linear programs
# for each of the register's first 10 firms, docs/analyses.md "time") then
# has no figures to work on; bench/RESULTS.md gives its cost separately.
#
# usage: bench/weaklinks.sh [--presets regional,national] [--runs N] [--realtime]
#                           [--chengyu BIN] [--out DIR]
# Builds chengyu in Release in build/bench-weaklinks unless --chengyu is
# given.  Each preset gets one warm-up run, then N timed runs (default 3).
# --realtime runs chengyu under SCHED_FIFO (chrt -f 50, as root): on a
# machine other jobs share, it then has a core to itself, so its wall time
# is the one an idle machine gives (the report is single-threaded).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
presets=regional,national
runs=3
bin=""
out=$here/bench/out/weaklinks
rt=()
while [ $# -gt 0 ]; do
  case $1 in
    --presets) presets=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --realtime) rt=(chrt -f 50); shift ;;
    *) echo "usage: bench/weaklinks.sh [--presets LIST] [--runs N] [--chengyu BIN] [--out DIR] [--realtime]" >&2
       exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-weaklinks" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-weaklinks" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-weaklinks/chengyu
fi
mkdir -p "$out"

# run_once FILE: one timed run; prints "wall cpu kb threads".
run_once() {
  local file=$1 pid threads=0 t
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" ${rt[@]+"${rt[@]}"} \
    "$bin" weak-links -f json -q -o "$out/report.json" "$file" &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    # the child of GNU time is chengyu (or chrt, which execs it)
    for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do
      t=$(awk '/^Threads:/ {print $2}' /proc/"$c"/status 2>/dev/null || echo 0)
      [ "${t:-0}" -gt "$threads" ] && threads=$t
    done
    sleep 0.02
  done
  wait "$pid"
  awk -v th="$threads" '{printf "%s %.3f %s %s\n", $1, $2 + $3, $4, th}' "$out/time.txt"
}

echo "chengyu: $bin ($("$bin" --version 2>&1 | head -1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for preset in ${presets//,/ }; do
  file=$out/$preset.json
  [ -s "$file" ] || "$bin" generate --preset "$preset" --no-stress-fields -q -o "$file"
  echo "load average before $preset: $(cut -d' ' -f1-3 /proc/loadavg)${rt[@]+; under ${rt[*]}}"
  run_once "$file" >/dev/null   # warm-up
  : >"$out/$preset.runs"
  for ((k = 0; k < runs; k++)); do
    run_once "$file" >>"$out/$preset.runs"
  done
  sort -n "$out/$preset.runs" | awk -v p="$preset" -v n="$runs" -v cmd="$bin weak-links -f json -q -o OUT $file" '
    { wall[NR] = $1; cpu += $2; if ($3 > kb) kb = $3; if ($4 > th) th = $4 }
    END {
      med = (n % 2) ? wall[(n + 1) / 2] : (wall[n / 2] + wall[n / 2 + 1]) / 2
      printf "%s: median wall %.3f s, mean CPU %.3f s, peak %.0f MB, %d thread(s), %d runs\n",
             p, med, cpu / n, kb / 1024, th, n
      printf "  command: %s\n", cmd
    }'
done
