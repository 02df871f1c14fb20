#!/usr/bin/env bash
# bench/render_dense.sh - every render view and layout, and the HTML
# weak-link report (its network figure), on a dense, unlayered network:
# the dense preset (800 firms, about 2,900 links, no tiers or parks, many
# mutual supplier-customer pairs; a 2,025-firm network without tiers or
# any group with --preset notier2025).  The target: each command under
# 10 s on the project's 2-core machine, and no figure dropped.
#
# Each command is run N times (--runs, default 3); the median wall time and
# the median user+system CPU time are printed (on a shared machine the CPU
# time is the steadier figure), with the load average before the run, and a
# line "OVER" for a median wall time above 10 s or a failed run.  The
# drawing's note (stderr) goes to OUT/NAME.err.
#
# usage: bench/render_dense.sh [--runs N] [--chengyu BIN] [--out DIR]
#                              [--preset dense|notier2025]
# Builds chengyu in Release in build/bench-render-dense unless --chengyu
# is given.
# Presets are generated with --no-stress-fields: the same networks as the
# measurements before session 7 (no capacity, stock or recovery times).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=3
bin=""
preset=dense
out=$here/bench/out/render_dense
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    *) echo "usage: bench/render_dense.sh [--runs N] [--chengyu BIN] [--out DIR] [--preset P]" >&2
       exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-render-dense" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-render-dense" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-render-dense/chengyu
fi
mkdir -p "$out"
file=$out/$preset.json
case $preset in
  dense) [ -s "$file" ] || "$bin" generate --preset dense --no-stress-fields -q -o "$file" ;;
  notier2025)
    # The regional model with 2,025 firms, its tiers, parks, clusters and
    # regions taken out: nothing to group the firms by.
    if [ ! -s "$file" ]; then
      "$bin" generate --preset regional --oems 45 --suppliers 1980 --no-stress-fields -q -o "$out/r2025.json"
      /usr/bin/python3 - "$out/r2025.json" "$file" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["enterprises"]:
    for k in ("tier", "park", "clusters", "region"):
        e.pop(k, None)
for k in ("parks", "clusters", "regions"):
    d.pop(k, None)
json.dump(d, open(sys.argv[2], "w"))
PY
    fi ;;
  *) echo "unknown --preset $preset (dense or notier2025)" >&2; exit 2 ;;
esac

export CHENGYU_THREADS=1
echo "chengyu: $bin ($("$bin" --version 2>&1 | head -1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), CHENGYU_THREADS=1"
echo "network: $file ($("$bin" info "$file" | sed -n 2,3p | tr '\n' ' '))"
printf '%-44s %9s %9s %6s  %s\n' "command" "wall s" "cpu s" "load" "drawn"

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# measure NAME ARGS...: runs `chengyu ARGS` $runs times.
measure() {
  local name=$1 load walls="" cpus="" ok=1
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  for _ in $(seq "$runs"); do
    if ! /usr/bin/time -f "%e %U %S" -o "$out/$name.time" "$bin" "$@" 2>"$out/$name.err"; then
      ok=0
    fi
    read -r w u s < <(tail -n 1 "$out/$name.time") || true
    walls="$walls$w"$'\n'
    cpus="$cpus$(echo "$u + $s" | bc -l)"$'\n'
  done
  local wall cpu drawn
  wall=$(printf '%s' "$walls" | median)
  cpu=$(printf '%s' "$cpus" | median)
  drawn=$(grep -o 'drawn with [a-z]*\|drawing the [a-z]* view\|drawing the [a-z0-9 ]* firms' "$out/$name.err" | head -1 || true)
  printf '%-44s %9.2f %9.2f %6s  %s\n' "$name" "$wall" "$cpu" "$load" "$drawn"
  if [ "$ok" -eq 0 ] || [ "$(echo "$wall > 10" | bc -l)" -eq 1 ]; then
    echo "OVER: $name ($(head -c 300 "$out/$name.err"))"
  fi
}

for view in full tiers clusters parks regions map; do
  for fmt in svg png dot; do
    measure "render --view $view .$fmt" render --view "$view" -o "$out/$view.$fmt" "$file"
  done
done
focus=$("$bin" centrality -f csv -n 1 "$file" 2>/dev/null | sed -n 2p | cut -d, -f1)
measure "render --focus (top degree) .svg" render --focus "$focus" -o "$out/ego.svg" "$file"
for layout in dot sfdp neato fdp circo; do
  measure "render --layout $layout .svg" render --layout "$layout" -o "$out/layout-$layout.svg" "$file"
done
measure "render --highlight weak-links .svg" render --highlight weak-links -o "$out/weak.svg" "$file"
measure "render --highlight weak-links .png" render --highlight weak-links -o "$out/weak.png" "$file"
measure "weak-links -f html" weak-links -f html -o "$out/report.html" "$file"
grep -q 'without the figure' "$out/weak-links -f html.err" && echo "OVER: the report dropped a figure"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
