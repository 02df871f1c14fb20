#!/usr/bin/env bash
# chengyu resilience (curves), end to end: exact CSV columns and JSON keys,
# hand-checked values (graphs/README.md, "Attack curves"), determinism of
# the random attack, exit codes, atomic -o, and --plot output files.
# Usage: test_resilience.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
graphs=$src/graphs

two=$graphs/resilience-two-oems.json

# CSV: exact header; one trial (deterministic attack) has no sd column.
# output_fraction is the final demand still served (graphs/README.md: every
# firm sells outside, total 115): 1, 70/115, 10/115, 10/115, 5/115, 0.
expect_exit 0 "$bin" resilience --attack degree --steps 5 "$two"
[ "$(cut -d, -f1-4 "$tmp/out")" = "removed,removed_fraction,lcc,lcc_fraction
0,0.0,5,1.0
1,0.2,2,0.4
2,0.4,2,0.4
3,0.6,1,0.2
4,0.8,1,0.2
5,1.0,0,0.0" ] || fail "degree csv: $(cat "$tmp/out")"
/usr/bin/python3 - "$tmp/out" <<'PY' || fail "degree csv output_fraction: $(cat "$tmp/out")"
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0][4] == "output_fraction", rows[0]
want = [1, 70 / 115, 10 / 115, 10 / 115, 5 / 115, 0]
got = [float(r[4]) for r in rows[1:]]
assert len(got) == 6 and all(abs(g - w) < 1e-12 for g, w in zip(got, want)), got
PY

# Random: mean over trials plus lcc_fraction_sd; 101 rows by default.
expect_exit 0 "$bin" resilience --trials 3 "$graphs/cascade-battery.json"
[ "$(head -1 "$tmp/out")" = "removed,removed_fraction,lcc,lcc_fraction,output_fraction,lcc_fraction_sd,final_demand_lost,final_demand_lost_fraction,demand_nodes_failed,failed_count,removed_ids" ] ||
  fail "random csv header: $(head -1 "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 10 ] || fail "8 firms, 100 steps: expected 9 rows + header"
expect_exit 0 "$bin" resilience --trials 1 "$graphs/cascade-battery.json"
[ "$(head -1 "$tmp/out")" = "removed,removed_fraction,lcc,lcc_fraction,output_fraction,final_demand_lost,final_demand_lost_fraction,demand_nodes_failed,failed_count,removed_ids" ] ||
  fail "one trial must not have the sd column"

# The impact of each row and the ids removed at it (graphs/README.md): the
# degree order s1, o1, o2, s2, s3 loses 0, 45, 105, 105, 110, 115 of 115;
# every firm sells outside, so every failed firm is a demand node.
expect_exit 0 "$bin" resilience --attack degree --steps 5 "$two"
[ "$(cut -d, -f6-10 "$tmp/out")" = "final_demand_lost,final_demand_lost_fraction,demand_nodes_failed,failed_count,removed_ids
0.0,0.0,0,0,
45.0,0.391304347826087,2,2,s1
105.0,0.9130434782608695,3,3,o1
105.0,0.9130434782608695,3,3,o2
110.0,0.9565217391304348,4,4,s2
115.0,1.0,5,5,s3" ] || fail "degree csv impact and ids: $(cat "$tmp/out")"
# Two steps: removed 0, 3, 5; a row names every firm removed since the
# previous one.
expect_exit 0 "$bin" resilience --attack degree --steps 2 "$two"
[ "$(cut -d, -f1,10 "$tmp/out")" = "removed,removed_ids
0,
3,s1;o1;o2
5,s2;s3" ] || fail "two steps: $(cat "$tmp/out")"
# pagerank removes e first: the chain keeps a, b, c, d (fd 1+2+3+4 of 110).
expect_exit 0 "$bin" resilience --attack pagerank --steps 5 --format json "$graphs/resilience-path.json"
check_json "$tmp/out" '[p["removed_ids"] for p in d["curve"]] == [[], ["e"], ["d"], ["c"], ["b"], ["a"]]'
check_json "$tmp/out" 'd["curve"][1]["final_demand_lost"] == 100 and abs(d["curve"][1]["final_demand_lost_fraction"] - 100/110) < 1e-12 and d["curve"][1]["failed_count"] == 1 and d["curve"][1]["demand_nodes_failed"] == 1'
check_json "$tmp/out" 'd["by"] == "enterprise" and d["demand_rule"] == "final_demand" and d["final_demand_total"] == 110 and d["removed_ids_trial"] == 1'
# Not measured (--metric lcc): the impact is empty / null, the ids are not.
expect_exit 0 "$bin" resilience --attack degree --metric lcc --steps 5 --format json "$two"
check_json "$tmp/out" 'all(p["final_demand_lost"] is None and p["failed_count"] is None for p in d["curve"]) and d["curve"][1]["removed_ids"] == ["s1"]'
# Several trials: the means, and the ids of the first trial, which a run of
# --trials 1 with the same seed reproduces row by row.
expect_exit 0 "$bin" resilience --trials 4 --seed 11 --format json "$two"
cp "$tmp/out" "$tmp/four.json"
expect_exit 0 "$bin" resilience --trials 1 --seed 11 --format json "$two"
/usr/bin/python3 - "$tmp/four.json" "$tmp/out" <<'PY' || fail "removed_ids of several trials"
import json, sys
four, one = (json.load(open(p)) for p in sys.argv[1:])
assert [p["removed_ids"] for p in four["curve"]] == [p["removed_ids"] for p in one["curve"]]
assert sorted(i for p in one["curve"] for i in p["removed_ids"]) == ["o1", "o2", "s1", "s2", "s3"]
assert isinstance(one["curve"][2]["failed_count"], int)
assert isinstance(four["curve"][2]["failed_count"], float)
PY

# JSON keys and values.
expect_exit 0 "$bin" resilience --attack adaptive-degree --steps 5 --format json "$two"
check_json "$tmp/out" 'list(d) == ["attack","metric","trials","r_index","critical_fraction","by","demand_rule","final_demand_total","removed_ids_trial","curve"]'
check_json "$tmp/out" 'd["attack"] == "adaptive-degree" and d["metric"] == "both" and d["trials"] == 1'
check_json "$tmp/out" 'abs(d["r_index"] - 0.24) < 1e-12 and d["critical_fraction"] == 1'
check_json "$tmp/out" '[p["lcc"] for p in d["curve"]] == [5,2,2,1,1,0] and all(abs(p["output_fraction"] - w) < 1e-12 for p, w in zip(d["curve"], [1, 70/115, 5/115, 0, 0, 0]))'
check_json "$tmp/out" 'list(d["curve"][0]) == ["removed","removed_fraction","lcc","lcc_fraction","output_fraction","final_demand_lost","final_demand_lost_fraction","demand_nodes_failed","failed_count","removed_ids"]'
expect_exit 0 "$bin" resilience --metric lcc --trials 2 --format json "$two"
check_json "$tmp/out" 'all(p["output_fraction"] is None for p in d["curve"]) and "lcc_fraction_sd" in d["curve"][0] and d["trials"] == 2'
expect_exit 0 "$bin" resilience --attack pagerank --steps 5 --threshold 0.6 --format json "$graphs/resilience-path.json"
check_json "$tmp/out" '[p["lcc"] for p in d["curve"]] == [5,4,3,2,1,0] and abs(d["r_index"] - 0.4) < 1e-12'

# Determinism: same seed, same bytes; another seed, another curve.
"$bin" resilience --seed 7 --trials 5 "$graphs/cascade-battery.json" >"$tmp/a" 2>/dev/null
"$bin" resilience --seed 7 --trials 5 "$graphs/cascade-battery.json" >"$tmp/b" 2>/dev/null
"$bin" resilience --seed 8 --trials 5 "$graphs/cascade-battery.json" >"$tmp/c" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" || fail "same seed, different output"
cmp -s "$tmp/a" "$tmp/c" && fail "different seeds, same output"

# Every attack runs; recompute at steps too.
for attack in random degree betweenness pagerank adaptive-degree adaptive-betweenness; do
  expect_exit 0 "$bin" resilience --attack "$attack" --format json "$graphs/cascade-battery.json"
  check_json "$tmp/out" "d['attack'] == '$attack' and d['curve'][-1]['lcc'] == 0"
done
expect_exit 0 "$bin" resilience --attack adaptive-betweenness --recompute steps --steps 4 "$graphs/cascade-battery.json"

# The exact adaptive-betweenness attack warns about its cost above 500
# firms (it took 4 minutes on the 1,645-firm regional preset without a
# word).  Isolated firms keep the run itself instant.
/usr/bin/python3 - "$tmp" <<'PY'
import json, sys
for n in (500, 501):
    ents = [{"id": "f%d" % i, "kind": "supplier"} for i in range(n)]
    json.dump({"format": "chengyu/1", "name": "isolated", "enterprises": ents, "links": []},
              open("%s/isolated-%d.json" % (sys.argv[1], n), "w"))
PY
expect_exit 0 "$bin" resilience --attack adaptive-betweenness "$tmp/isolated-501.json"
grep -q "note: exact adaptive-betweenness recomputes betweenness after each of 501 removals" "$tmp/err" ||
  fail "no cost note for 501 firms: $(head -c 200 "$tmp/err")"
expect_exit 0 "$bin" resilience --attack adaptive-betweenness "$tmp/isolated-500.json"
! grep -q "note: exact adaptive" "$tmp/err" || fail "cost note for 500 firms"
expect_exit 0 "$bin" resilience --attack adaptive-betweenness --recompute steps "$tmp/isolated-501.json"
! grep -q "note: exact adaptive" "$tmp/err" || fail "cost note with --recompute steps"
rm -f "$tmp"/isolated-*.json

# --by park|region (graphs/README.md, resilience-parks.json): parks by
# final demand p-auto 65, p-pack 40, p-chip 10, p-empty 0.
parks=$graphs/resilience-parks.json
expect_exit 0 "$bin" resilience --by park --attack demand "$parks"
[ "$(cat "$tmp/out")" = "removed,removed_fraction,lcc,lcc_fraction,output_fraction,final_demand_lost,final_demand_lost_fraction,demand_nodes_failed,failed_count,enterprises_removed,removed_ids
0,0.0,8,1.0,1.0,0.0,0.0,0,0,0,
1,0.25,6,0.75,0.48,65.0,0.52,2,2,2,p-auto
2,0.5,3,0.375,0.16000000000000003,105.0,0.84,3,4,4,p-pack
3,0.75,1,0.125,0.07999999999999996,115.0,0.92,4,6,6,p-chip
4,1.0,1,0.125,0.07999999999999996,115.0,0.92,4,6,6,p-empty" ] ||
  fail "--by park --attack demand: $(cat "$tmp/out")"
expect_exit 0 "$bin" resilience --by region --attack demand --format json "$parks"
check_json "$tmp/out" 'd["by"] == "region" and [p["removed_ids"] for p in d["curve"]] == [[], ["r-east"], ["r-west"]]'
check_json "$tmp/out" '[p["lcc"] for p in d["curve"]] == [8, 3, 1] and [p["final_demand_lost"] for p in d["curve"]] == [0, 105, 120] and [p["enterprises_removed"] for p in d["curve"]] == [0, 4, 7]'
check_json "$tmp/out" 'abs(d["r_index"] - 0.25) < 1e-12 and d["critical_fraction"] is None'
# Random parks: the last row has every park gone whatever the order.
expect_exit 0 "$bin" resilience --by park --trials 5 --format json "$parks"
check_json "$tmp/out" 'd["trials"] == 5 and len(d["curve"]) == 5 and d["curve"][-1]["final_demand_lost"] == 115 and d["curve"][-1]["lcc"] == 1'
expect_exit 0 "$bin" resilience --by park --attack demand --plot "$tmp/parks.svg" "$parks"
grep -q '</svg>' "$tmp/parks.svg" || fail "--by park plot"
expect_exit 2 "$bin" resilience --by park --attack degree "$parks"
grep -q "random or demand order" "$tmp/err" || fail "--by park --attack degree: $(cat "$tmp/err")"
expect_exit 2 "$bin" resilience --by park --steps 4 "$parks"
expect_exit 2 "$bin" resilience --by cluster "$parks"
expect_exit 2 "$bin" resilience --structure --by park "$parks"
expect_exit 1 "$bin" resilience --by park "$two"
grep -q "has no parks" "$tmp/err" || fail "--by park without parks: $(cat "$tmp/err")"

# Errors.
expect_exit 2 "$bin" resilience --attack closeness "$two"
expect_exit 2 "$bin" resilience --metric flow "$two"
expect_exit 2 "$bin" resilience --steps 0 "$two"
# Above the limit the message must give the range, not "a positive integer".
expect_exit 2 "$bin" resilience --steps 100000001 "$two"
grep -q "steps expects an integer in \[1, 100000000\], got '100000001'" "$tmp/err" ||
  fail "--steps over the limit: $(head -c 200 "$tmp/err")"
expect_exit 0 "$bin" resilience --steps 100000000 "$two"
expect_exit 2 "$bin" resilience --trials -1 "$two"
expect_exit 2 "$bin" resilience --seed x "$two"
expect_exit 2 "$bin" resilience --threshold 1.01 "$two"
expect_exit 2 "$bin" resilience --recompute sometimes "$two"
expect_exit 2 "$bin" resilience --format text "$two"
expect_exit 2 "$bin" resilience --structure --attack degree "$two"
expect_exit 2 "$bin" resilience
expect_exit 1 "$bin" resilience "$tmp/missing.json"
echo '{"format": "chengyu/1", "name": "x", "enterprises": [], "links": [{}]}' >"$tmp/bad.json"
expect_exit 1 "$bin" resilience "$tmp/bad.json"

# Atomic -o.
echo previous >"$tmp/keep.csv"
expect_exit 1 "$bin" resilience -o "$tmp/keep.csv" "$tmp/bad.json"
[ "$(cat "$tmp/keep.csv")" = previous ] || fail "-o clobbered on failure"
expect_exit 0 "$bin" resilience --attack degree --steps 5 -o "$tmp/keep.csv" "$two"
[ "$(head -1 "$tmp/keep.csv" | cut -d, -f1-5)" = "removed,removed_fraction,lcc,lcc_fraction,output_fraction" ] || fail "-o content"

# --plot: a well-formed SVG, a PNG, the format from the extension.
expect_exit 0 "$bin" resilience --trials 3 --plot "$tmp/plot.svg" -o "$tmp/curve.csv" "$graphs/cascade-battery.json"
if command -v xmllint >/dev/null; then
  xmllint --noout "$tmp/plot.svg" 2>"$tmp/xml" || fail "plot.svg is not well-formed XML: $(head -3 "$tmp/xml")"
else
  grep -q '</svg>' "$tmp/plot.svg" || fail "plot.svg incomplete"
fi
[ "$(head -1 "$tmp/curve.csv" | cut -d, -f1-6)" = "removed,removed_fraction,lcc,lcc_fraction,output_fraction,lcc_fraction_sd" ] ||
  fail "-o with --plot"
expect_exit 0 "$bin" resilience --attack degree --plot "$tmp/plot.PNG" "$two"
[ "$(head -c 8 "$tmp/plot.PNG" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "plot.PNG is not a PNG"
expect_exit 2 "$bin" resilience --plot "$tmp/plot.pdf" "$two"
[ -e "$tmp/plot.pdf" ] && fail "a refused plot was written"
expect_exit 1 "$bin" resilience --plot "$tmp/no-such-dir/plot.svg" "$two"

finish
