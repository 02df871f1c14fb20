#!/usr/bin/env bash
# test_bench_smoke.sh CHENGYU SOURCE_DIR - a tiny run of bench/run: the
# benchmarks are not run in CI, a tiny smoke run of the script is.
#
# Runs the whole pipeline (generate, measure, peers, agreement check, report)
# on a 63-firm generated network with one timed run and a few tasks, using
# the peers whose libraries are installed, then checks the report: every
# chengyu row measured, every peer result agreeing with chengyu's, the
# baselines present.  A second run with an impossible time limit checks that
# a command over the limit is reported as a timeout, not as a number.
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
set -o pipefail
chengyu=$bin
work=$tmp
fail=0
check() { # description command...
    local what=$1
    shift
    if "$@"; then
        echo "ok: $what"
    else
        echo "FAIL: $what"
        fail=1
        return 1
    fi
}

peers=""
for p in networkx igraph; do
    if /usr/bin/python3 -c "import $p" >/dev/null 2>&1; then peers="$peers,$p"; fi
done
peers=${peers#,}
[ -n "$peers" ] || peers=none
tasks=validate,info,pagerank,resilience_degree,structure,weak_links,baseline

bash "$src/bench/run" --chengyu "$chengyu" --tiny --runs 1 --timeout 60 \
    --peers "$peers" --tasks "$tasks" --out "$work/out" >"$work/log" 2>&1
status=$?
check "bench/run exits 0 (got $status)" test "$status" -eq 0 || cat "$work/log"
results=$work/out/RESULTS.md
check "RESULTS.md written" test -s "$results"
check "RESULTS.md has the tiny preset" grep -q '^## tiny' "$results"
check "machine and versions recorded" grep -q 'Jansson 2\.' "$results"
# Each measured chengyu task has a time and a peak memory in its row.
for label in 'validate (peers' '| info |' 'baseline: Jansson' 'baseline: cat'; do
    check "row '$label' measured" grep -F "$label" "$results" -q
    row=$(grep -F "$label" "$results" | head -1)
    check "row '$label' has time and memory" \
        grep -Eq '[0-9.]+ s · cpu [0-9.]+ s · [0-9]+ MB' <<<"$row"
done
# Commands missing from this build say so; those present were measured.
for task in pagerank resilience_degree structure weak_links; do
    f=$work/out/tiny/timing/$task.chengyu.json
    check "$task: a chengyu result file" test -s "$f"
    check "$task: measured or not available" /usr/bin/python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r["status"] in ("ok", "not available") else 1)' "$f"
done
if [ "$peers" != none ]; then
    check "peers timed" test -s "$work/out/tiny/timing/info.${peers%%,*}.json"
    check "agreement checked" test -s "$work/out/tiny/agreement.json"
    check "no peer disagrees with chengyu" /usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
bad = [r for r in rows if r["status"] == "DISAGREE"]
for r in bad:
    print("  %(task)s %(peer)s: %(detail)s" % r)
sys.exit(1 if bad or not rows else 0)' "$work/out/tiny/agreement.json"
fi

# A limit nobody can meet: reported as a timeout, and the run still succeeds.
bash "$src/bench/run" --chengyu "$chengyu" --tiny --runs 1 --timeout 0.000001 \
    --peers none --tasks validate --out "$work/out2" >"$work/log2" 2>&1
status=$?
check "bench/run with a tiny timeout exits 0 (got $status)" test "$status" -eq 0 || cat "$work/log2"
check "over the limit is reported as a timeout" \
    grep -q 'validate (peers.*| timeout (> 0 s)' "$work/out2/RESULTS.md"

# Bad options are usage errors.
bash "$src/bench/run" --runs 0 >/dev/null 2>&1
check "--runs 0 is a usage error" test $? -eq 2
bash "$src/bench/run" --presets nowhere >/dev/null 2>&1
check "an unknown preset is a usage error" test $? -eq 2

exit $fail
