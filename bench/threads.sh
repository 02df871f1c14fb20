#!/usr/bin/env bash
# bench/threads.sh - the per-firm work on 1 and 2 threads (issue 22's
# targets: national weak-links at least 1.6x faster with 2 threads,
# exact betweenness on province at least 1.8x): whole processes, Release,
# GNU time; for each case the median wall time and mean user CPU of N runs
# per thread count (alternated: 1, 2, 1, 2, ...), the load average before
# the case, and the ratio wall(1 thread) / wall(2 threads).  The outputs
# of the two counts are compared with cmp (they must be the same bytes).
#
# usage: bench/threads.sh [--runs N] [--chengyu BIN] [--out DIR] [--cases LIST]
# cases (default all): wl-json, wl-md (national weak-links -f json / -f md),
# btw (province exact betweenness, --approx 0), close (national closeness and
# harmonic), res (regional resilience, 2,000 random trials).  Builds chengyu in Release in build/bench-threads unless
# --chengyu is given.  On a machine other jobs share the wall times and
# the ratio mean little: read the load average printed with each case.
# Presets are generated with --no-stress-fields: the same networks as the
# measurements before session 7 (no capacity, stock or recovery times).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=3
bin=""
out=$here/bench/out/threads
cases=wl-json,wl-md,btw,close,res
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --cases) cases=$2; shift 2 ;;
    *) echo "usage: bench/threads.sh [--runs N] [--chengyu BIN] [--out DIR] [--cases LIST]" >&2
       exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-threads" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-threads" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-threads/chengyu
fi
mkdir -p "$out"
net() {
  [ -s "$out/$1.json" ] || "$bin" generate --preset "$1" --no-stress-fields -q -o "$out/$1.json"
  echo "$out/$1.json"
}

# bench NAME EXT CMD...: CMD (without --threads and -o) on 1 and 2 threads.
bench() {
  local name=$1 ext=$2 t k
  shift 2
  echo "$name: $* (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  : >"$out/$name.1.runs"
  : >"$out/$name.2.runs"
  for t in 1 2; do  # warm-up
    "$bin" "$@" --threads "$t" -q -o "$out/$name.$t.$ext"
  done
  cmp -s "$out/$name.1.$ext" "$out/$name.2.$ext" || echo "  OUTPUTS DIFFER"
  for ((k = 0; k < runs; k++)); do
    for t in 1 2; do
      /usr/bin/time -f "%e %U %S" -o "$out/time.txt" \
        "$bin" "$@" --threads "$t" -q -o "$out/$name.$t.$ext"
      cat "$out/time.txt" >>"$out/$name.$t.runs"
    done
  done
  for t in 1 2; do
    sort -n "$out/$name.$t.runs" | awk -v t="$t" -v n="$runs" '
      { wall[NR] = $1; user += $2; sys += $3 }
      END {
        med = (n % 2) ? wall[(n + 1) / 2] : (wall[n / 2] + wall[n / 2 + 1]) / 2
        printf "  %d thread(s): median wall %.2f s, mean user %.2f s, mean sys %.2f s\n",
               t, med, user / n, sys / n
        print med > "'"$out/$name"'.med." t
      }'
  done
  awk -v a="$(cat "$out/$name.med.1")" -v b="$(cat "$out/$name.med.2")" \
    'BEGIN { printf "  ratio 1 thread / 2 threads (wall): %.2fx\n", a / b }'
  echo "  load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}

echo "chengyu: $bin ($("$bin" --version 2>&1 | head -1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for c in ${cases//,/ }; do
  case $c in
    wl-json) bench national-weaklinks-json json weak-links -f json "$(net national)" ;;
    wl-md) bench national-weaklinks-md md weak-links -f md "$(net national)" ;;
    btw) bench province-betweenness csv centrality -m betweenness --approx 0 -f csv \
           "$(net province)" ;;
    close) bench national-closeness csv centrality -m closeness,harmonic -f csv \
             "$(net national)" ;;
    res) bench regional-resilience json resilience --trials 2000 --seed 1 -f json \
           "$(net regional)" ;;
    *) echo "unknown case $c" >&2; exit 2 ;;
  esac
done
