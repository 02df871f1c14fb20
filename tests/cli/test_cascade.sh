#!/usr/bin/env bash
# chengyu cascade and resilience --structure, end to end: JSON keys and
# values on the hand-checked graphs (answers in graphs/README.md), exit
# codes for unknown ids and bad options, atomic -o.
# Usage: test_cascade.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
graphs=$src/graphs

# The exact key set and values docs/cli.md lists, plus the gaps report.
expect_exit 0 "$bin" cascade --fail chip,cell-b,cell-a --format json "$graphs/cascade-battery.json"
check_json "$tmp/out" 'list(d) == ["initial","failed","rounds","failed_count","output_value_lost","output_value_total","model","final_demand_lost","final_demand_total","final_demand_lost_fraction","demand_nodes_failed","reduced","output_fraction","by_park","by_region","gaps"]'
check_json "$tmp/out" 'd["model"] == "threshold" and d["reduced"] == [] and d["output_fraction"] == {"lithium": 1, "cell-a": 0, "cell-b": 0, "pack": 0, "chip": 0, "chip2": 1, "oem-x": 0, "oem-y": 0}'
check_json "$tmp/out" 'd["initial"] == ["chip","cell-b","cell-a"] and d["failed"] == ["chip","cell-b","cell-a","pack","oem-x","oem-y"]'
check_json "$tmp/out" 'd["rounds"] == 2 and d["failed_count"] == 6 and d["output_value_lost"] == 260 and d["output_value_total"] == 300'
check_json "$tmp/out" '{k: (v["failed_count"], v["output_value_lost"]) for k, v in d["by_park"].items()} == {"tianfu": (3, 100), "liangjiang": (3, 160)}'
check_json "$tmp/out" 'd["by_region"]["chongqing"]["failed_count"] == 3 and d["gaps"] == []'

# Park and region failures.
expect_exit 0 "$bin" cascade --fail-park liangjiang --format json "$graphs/cascade-battery.json"
check_json "$tmp/out" 'd["failed"] == ["cell-b","pack","chip2","oem-x","oem-y"] and d["rounds"] == 1'
expect_exit 0 "$bin" cascade --fail-region chengdu --format json "$graphs/cascade-battery.json"
check_json "$tmp/out" 'd["failed"] == ["lithium","cell-a","chip","oem-y","oem-x"] and d["output_value_lost"] == 210'

# Threshold with shares, gaps reported and not counted.
expect_exit 0 "$bin" cascade --fail m1 --threshold 0.5 --format json "$graphs/cascade-shares.json"
check_json "$tmp/out" 'd["failed"] == ["m1","asm","oem"]'
# The seat's 0.8 given and a blank counted 1/2: 1.3, warned of once (the
# ecu's two blanks sum to 1, the motor's three shares are all given).
expect_exit 0 "$bin" validate "$graphs/cascade-shares.json"
[ "$(grep -c 'shares given on' "$tmp/err")" -eq 1 ] &&
  grep -qF 'warning: '"$graphs"'/cascade-shares.json: $.links[6]: part "seat" delivered to "asm": shares given on 1 of its 2 links (0.8 in all); a link without one counts 1/2, so the shares sum to 1.3: give every link its share, or none' "$tmp/err" ||
  fail "mixed shares warning: $(cat "$tmp/err")"
expect_exit 0 "$bin" cascade --fail x --format json "$graphs/cascade-gaps.json"
check_json "$tmp/out" 'd["failed"] == ["x"] and d["gaps"] == [{"enterprise":"body","part":"paint"},{"enterprise":"oem","part":"tyre"}]'
expect_exit 0 "$bin" cascade --fail x "$graphs/cascade-gaps.json"
grep -q 'pre-existing gaps, not counted (2): body requires "paint"; oem requires "tyre"' "$tmp/out" ||
  fail "text output lacks the gaps line"

# Rankings.
expect_exit 0 "$bin" cascade --each enterprise --format json "$graphs/cascade-battery.json"
check_json "$tmp/out" '[r["id"] for r in d] == ["pack","chip","oem-x","oem-y","chip2","lithium","cell-a","cell-b"]'
# pack stops both OEMs: final demand (output less deliveries) lost 5 + 100
# + 50 = 155 of the network's 216 (lithium 5, cells 10 + 10, pack 5,
# chips 12 + 24, OEMs 100 + 50); liangjiang also takes cell-b and chip2:
# 10 + 5 + 24 + 100 + 50 = 189 = 0.875 of 216.
check_json "$tmp/out" 'd[0] == {"id": "pack", "failed_count": 3, "output_value_lost": 190, "final_demand_lost": 155, "final_demand_lost_fraction": 155 / 216, "demand_nodes_failed": 3}'
expect_exit 0 "$bin" cascade --each park --top 1 --format csv "$graphs/cascade-battery.json"
[ "$(tr -d '\r' <"$tmp/out")" = "$(printf 'park,failed_count,output_value_lost,rounds,final_demand_lost,final_demand_lost_fraction,demand_nodes_failed\nliangjiang,5,240.0,1,189.0,0.875,5')" ] ||
  fail "--each park csv: $(cat "$tmp/out")"

# Structure.
expect_exit 0 "$bin" resilience --structure --format json "$graphs/structure.json"
check_json "$tmp/out" 'list(d) == ["articulation_points","bridges","chokepoints"]'
check_json "$tmp/out" 'd["articulation_points"] == ["a1","a2","b1","b3","hub"]'
check_json "$tmp/out" 'd["bridges"] == [["a1","hub"],["b3","m"],["hub","b1"],["l","a2"]]'
expect_exit 0 "$bin" resilience --structure --format json "$graphs/cascade-battery.json"
# One entry per demand node: every firm sells some of its output outside
# the network here (output_value above its deliveries); lithium stops cell-a.
check_json "$tmp/out" 'len(d["chokepoints"]) == 8 and [c for c in d["chokepoints"] if c["enterprises"]] == [{"oem":"cell-a","enterprises":["lithium"]},{"oem":"oem-x","enterprises":["chip","pack"]},{"oem":"oem-y","enterprises":["pack"]}]'

# Errors: unknown ids exit 1 and name the id; usage errors exit 2.
expect_exit 1 "$bin" cascade --fail chip,xyz "$graphs/cascade-battery.json"
grep -q 'unknown enterprise "xyz"' "$tmp/err" || fail "unknown id not named: $(cat "$tmp/err")"
expect_exit 1 "$bin" cascade --fail-park nowhere "$graphs/cascade-battery.json"
grep -q 'unknown park "nowhere"' "$tmp/err" || fail "unknown park not named"
expect_exit 1 "$bin" cascade --fail-region tianfu "$graphs/cascade-battery.json"
expect_exit 1 "$bin" cascade --fail tianfu "$graphs/cascade-battery.json"
grep -q 'is a park' "$tmp/err" || fail "park given to --fail not explained"
expect_exit 2 "$bin" cascade "$graphs/cascade-battery.json"
expect_exit 2 "$bin" cascade --fail chip --each park "$graphs/cascade-battery.json"
grep -q 'not both' "$tmp/err" || fail "a shock with --each: $(head -c 200 "$tmp/err")"
expect_exit 2 "$bin" cascade --each park --each region "$graphs/cascade-battery.json"
expect_exit 0 "$bin" cascade --fail chip --fail pack "$graphs/cascade-battery.json"
expect_exit 2 "$bin" cascade --fail chip --threshold 1.5 "$graphs/cascade-battery.json"
expect_exit 2 "$bin" cascade --fail chip --threshold nan "$graphs/cascade-battery.json"
expect_exit 2 "$bin" cascade --each firm "$graphs/cascade-battery.json"
# An empty id in the --fail list is a bad option value (docs/cli.md): exit 2.
for list in "" "," "chip," "chip,,pack" ",chip"; do
  expect_exit 2 "$bin" cascade --fail "$list" "$graphs/cascade-battery.json"
  grep -q "empty enterprise id in '$list'" "$tmp/err" || fail "--fail '$list': $(head -c 200 "$tmp/err")"
done
expect_exit 2 "$bin" resilience --structure --format csv "$graphs/structure.json"
expect_exit 1 "$bin" cascade --fail chip "$tmp/missing.json"

# Output values (volumes) that are each finite but sum beyond the largest
# double are refused by the loader, naming the record; before, the cascade
# JSON failed with "out of memory" (json_real(inf)) and the text said
# "inf of inf (-nan%)".
printf '%s' '{"format":"chengyu/1","name":"huge","enterprises":[{"id":"a","kind":"supplier","output_value":1e308},{"id":"b","kind":"oem","output_value":1e308}],"links":[{"from":"a","to":"b","part":"x"}]}' >"$tmp/huge.json"
expect_exit 1 "$bin" cascade --fail a --format json "$tmp/huge.json"
grep -q 'enterprises\[1\].output_value: the output_values of the file sum to more than' "$tmp/err" ||
  fail "overflowing output values: $(head -c 300 "$tmp/err")"
grep -q 'out of memory' "$tmp/err" && fail "overflow reported as out of memory"
printf '%s' '{"format":"chengyu/1","name":"huge","enterprises":[{"id":"a","kind":"supplier"},{"id":"b","kind":"oem"},{"id":"c","kind":"oem"}],"links":[{"from":"a","to":"b","part":"x","volume":1e308},{"from":"a","to":"c","part":"x","volume":1e308}]}' >"$tmp/huge.json"
expect_exit 1 "$bin" validate "$tmp/huge.json"
grep -q 'links\[1\].volume: the volumes of the file sum to more than' "$tmp/err" ||
  fail "overflowing volumes: $(head -c 300 "$tmp/err")"
# Large but summable: 8e307 + 8e307 is fine.
printf '%s' '{"format":"chengyu/1","name":"big","enterprises":[{"id":"a","kind":"supplier","output_value":8e307},{"id":"b","kind":"oem","output_value":8e307}],"links":[{"from":"a","to":"b","part":"x","volume":1e308}]}' >"$tmp/huge.json"
expect_exit 0 "$bin" cascade --fail a --format json "$tmp/huge.json"
check_json "$tmp/out" 'd["output_value_lost"] == 1.6e308 and d["failed"] == ["a", "b"]'
# The share is lost / total before it is scaled to a percentage.
expect_exit 0 "$bin" cascade --fail a "$tmp/huge.json"
grep -qF 'output value lost: ¥1.6e+308 of ¥1.6e+308 (100.0%)' "$tmp/out" ||
  fail "share near the largest double: $(grep 'output value lost' "$tmp/out")"
rm -f "$tmp/huge.json"

# Combined shocks (graphs/shock-combined.json, graphs/README.md): a park and
# a firm together stop what neither stops alone; mixed and repeated options.
expect_exit 0 "$bin" cascade --fail b --fail-park west-park --format json "$graphs/shock-combined.json"
check_json "$tmp/out" 'd["initial"] == ["b","a1","a2"] and d["failed"] == ["b","a1","a2","d","e","f"] and d["rounds"] == 2'
check_json "$tmp/out" 'd["final_demand_lost"] == 350 and d["final_demand_lost_fraction"] == 0.35 and d["demand_nodes_failed"] == 3'
expect_exit 0 "$bin" cascade --fail-park liangjiang --fail-park tianfu --format json "$graphs/cascade-battery.json"
check_json "$tmp/out" 'd["failed_count"] == 8'
expect_exit 0 "$bin" cascade --fail-park west-park --format json "$graphs/shock-combined.json"
check_json "$tmp/out" 'd["failed"] == ["a1","a2","e"]'
# Fractional: fab at 40% (answers in graphs/README.md).
expect_exit 0 "$bin" cascade --degrade fab=0.4 --model fractional --format json "$graphs/shock-fractional.json"
check_json "$tmp/out" 'd["model"] == "fractional" and d["failed"] == [] and d["final_demand_lost"] == 114 and d["final_demand_lost_fraction"] == 0.285'
check_json "$tmp/out" 'all(abs(d["output_fraction"][k] - v) < 1e-12 for k, v in {"fab": 0.4, "m": 0.64, "oem1": 0.64, "oem2": 0.4, "oem3": 0.82, "oem4": 1, "fab2": 1, "m2": 1}.items())'
check_json "$tmp/out" '[r["id"] for r in d["reduced"]] == ["fab","oem2","m","oem1","oem3"]'
expect_exit 0 "$bin" cascade --degrade fab=0.4 --threshold 0.5 --format json "$graphs/shock-fractional.json"
check_json "$tmp/out" 'd["model"] == "fractional" and d["failed"] == ["fab","m","oem2","oem1"] and d["final_demand_lost"] == 250 and d["reduced"] == [{"id": "oem3", "output_fraction": 0.5}]'
expect_exit 0 "$bin" cascade --degrade fab=0.4 --format csv "$graphs/shock-fractional.json"
grep -qx 'oem3,0.8200000000000001,0,,100.0,17.999999999999993' "$tmp/out" || grep -qx 'oem3,0.82,0,,100.0,18.0' "$tmp/out" ||
  fail "csv row of oem3: $(grep oem3 "$tmp/out")"
head -1 "$tmp/out" | grep -qx 'id,output_fraction,failed,round,final_demand,final_demand_lost' || fail "csv header: $(head -1 "$tmp/out")"
expect_exit 0 "$bin" cascade --degrade fab=0.4 "$graphs/shock-fractional.json"
grep -q '^reduced (5): fab 0.4, oem2 0.4, m 0.64' "$tmp/out" || fail "text reduced line: $(grep reduced "$tmp/out")"
# A park degraded as a whole; capacity 0 is a failure.
expect_exit 0 "$bin" cascade --degrade west-park=0 --format json "$graphs/shock-combined.json"
check_json "$tmp/out" 'd["failed"] == ["a1","a2","e"] and d["model"] == "threshold"'
expect_exit 0 "$bin" cascade --degrade west-park=0.5 --format json "$graphs/shock-combined.json"
check_json "$tmp/out" 'd["output_fraction"]["a1"] == 0.5 and d["output_fraction"]["d"] == 0.75 and d["output_fraction"]["e"] == 0.5'
# Bad shocks.
expect_exit 2 "$bin" cascade --degrade fab=1.5 "$graphs/shock-fractional.json"
expect_exit 2 "$bin" cascade --degrade fab=-0.1 "$graphs/shock-fractional.json"
expect_exit 2 "$bin" cascade --degrade fab "$graphs/shock-fractional.json"
expect_exit 2 "$bin" cascade --degrade fab=0.4x "$graphs/shock-fractional.json"
expect_exit 2 "$bin" cascade --degrade fab=0.4 --model threshold "$graphs/shock-fractional.json"
grep -q 'needs --model fractional' "$tmp/err" || fail "threshold with a partial capacity: $(head -c 200 "$tmp/err")"
expect_exit 2 "$bin" cascade --each park --model fractional "$graphs/shock-fractional.json"
expect_exit 1 "$bin" cascade --degrade fba=0.4 "$graphs/shock-fractional.json"
grep -q 'unknown enterprise, park or region "fba" (did you mean "fab"?)' "$tmp/err" || fail "degrade unknown id: $(cat "$tmp/err")"
expect_exit 1 "$bin" cascade --fail-park west-prk "$graphs/shock-combined.json"
grep -q 'unknown park "west-prk" (did you mean "west-park"?)' "$tmp/err" || fail "park suggestion: $(cat "$tmp/err")"

# -o is atomic: a failed run leaves the old file byte-identical.
echo "previous" >"$tmp/keep.json"
expect_exit 1 "$bin" cascade --fail xyz --format json -o "$tmp/keep.json" "$graphs/cascade-battery.json"
[ "$(cat "$tmp/keep.json")" = "previous" ] || fail "-o clobbered on failure"
expect_exit 0 "$bin" cascade --fail chip --format json -o "$tmp/keep.json" "$graphs/cascade-battery.json"
check_json "$tmp/keep.json" 'd["failed"] == ["chip","oem-x"]'
[ -z "$(ls "$tmp" | grep -v -e '^out$' -e '^err$' -e '^keep.json$')" ] || fail "temporary files left: $(ls "$tmp")"

finish
