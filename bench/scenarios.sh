#!/usr/bin/env bash
# bench/scenarios.sh - chengyu scenarios on a generated preset with N
# generated scenarios (bench/make_scenarios.py: firm failures, park
# failures with a degraded firm, mitigations with a second source), wall
# and CPU time (GNU time).  chengyu is single-threaded: one thread.
#
# usage: bench/scenarios.sh [--preset regional] [--count 20] [--chengyu BIN]
#                           [--out DIR]
# Builds chengyu in Release in build/bench-scenarios unless --chengyu is
# given.  The issue's target: regional with 20 scenarios in under 5 s.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=regional
count=20
bin=""
out=$here/bench/out/scenarios
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/scenarios.sh [--preset P] [--count N] [--chengyu BIN] [--out DIR]" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-scenarios" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-scenarios" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-scenarios/chengyu
fi
mkdir -p "$out"
"$bin" generate --preset "$preset" -o "$out/$preset.json"
python3 "$here/bench/make_scenarios.py" "$out/$preset.json" "$count" "$out/scenarios-$count.json"
echo "command: chengyu scenarios -f json -o $out/result.json $out/$preset.json $out/scenarios-$count.json (1 thread)"
/usr/bin/time -f "wall %e s, user %U s, system %S s, max RSS %M KB" \
  "$bin" scenarios -q -f json -o "$out/result.json" "$out/$preset.json" "$out/scenarios-$count.json"
python3 - "$out/result.json" "$count" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["scenarios"]) == int(sys.argv[2]), "a scenario is missing"
print(f'{len(d["scenarios"])} scenarios, '
      f'{sum(1 for s in d["scenarios"] if s["weak_links"] is not None)} with mitigations')
PY
