#!/usr/bin/env bash
# bench/stress.sh - chengyu stress --each enterprise on a preset, next to
# the pyomo-free peer tests/cli/stress_reference.py (the same programs with
# numpy and scipy's HiGHS, whole network, one pair of LPs per firm) on the
# same file, with wall and CPU time (GNU time) and a check that the two
# agree (tests/cli/stress_compare.py, 1e-6 relative).
#
# usage: bench/stress.sh [--preset regional] [--plain | --generated]
#                        [--no-peer] [--peer-sample K] [--threads N]
#                        [--chengyu BIN] [--out DIR]
# The file is the preset with the stress fields of tests/cli/stress_fields.py
# (capacity 0-30% above the output, 0-14 days of stock, recovery_days on
# half the firms; the figures of bench/RESULTS.md); --generated keeps the
# generator's own synthetic fields (ranges by kind, docs/cli.md
# "generate"); --plain is the preset without any (generate
# --no-stress-fields: no spare capacity, no stock).  Builds chengyu in Release in build/bench-stress
# unless --chengyu is given.  The issue's target: regional in under 60 s.
# --threads N is chengyu's (default: one per processor); --peer-sample K
# runs the peer on K firms drawn with seed 1 instead of every firm (the
# province takes the peer hours), and the comparison covers those K.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=regional
fields=script
peer=1
peer_sample=0
threads=0
bin=""
out=$here/bench/out/stress
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --plain) fields=none; shift ;;
    --generated) fields=generator; shift ;;
    --no-peer) peer=0; shift ;;
    --peer-sample) peer_sample=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/stress.sh [--preset P] [--plain | --generated] [--no-peer] [--peer-sample K] [--threads N] [--chengyu BIN] [--out DIR]" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-stress" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-stress" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-stress/chengyu
fi
mkdir -p "$out"
if [ "$fields" = generator ]; then
  "$bin" generate --preset "$preset" -o "$out/$preset.json"
else
  "$bin" generate --preset "$preset" --no-stress-fields -o "$out/$preset-generated.json"
  if [ "$fields" = none ]; then
    cp "$out/$preset-generated.json" "$out/$preset.json"
  else
    /usr/bin/python3 "$here/tests/cli/stress_fields.py" "$out/$preset-generated.json" "$out/$preset.json"
  fi
fi
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) processors; --threads $threads"
/usr/bin/time -f "chengyu stress --each enterprise --threads $threads ($preset): %e s wall, %U s user + %S s system, %M KB" \
  "$bin" stress --each enterprise --threads "$threads" -f json -q -o "$out/$preset-chengyu.json" "$out/$preset.json"
if [ "$peer" = 1 ]; then
  sample=()
  if [ "$peer_sample" -gt 0 ]; then sample=(--sample "$peer_sample" --seed 1); fi
  /usr/bin/time -f "stress_reference.py --each-enterprise ${sample[*]} ($preset): %e s wall, %U s user + %S s system, %M KB" \
    env OMP_NUM_THREADS=1 /usr/bin/python3 "$here/tests/cli/stress_reference.py" "$out/$preset.json" \
    --each-enterprise "${sample[@]}" >"$out/$preset-reference.json"
  /usr/bin/python3 "$here/tests/cli/stress_compare.py" "$out/$preset-chengyu.json" "$out/$preset-reference.json"
fi
