#!/usr/bin/env bash
# chengyu scenarios end to end on graphs/scenarios-network.json with
# graphs/scenarios-example.json (answers in graphs/README.md, "Scenario
# examples"): every format, the weak links a mitigation removes and
# creates, bad scenario files (exit 1, JSON paths, nothing written).
# Usage: test_scenarios.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
graphs=$src/graphs
net=$graphs/scenarios-network.json
sc=$graphs/scenarios-example.json

expect_exit 0 "$bin" scenarios --format json "$net" "$sc"
check_json "$tmp/out" '[s["name"] for s in d["scenarios"]] == ["second cell source","chip-b lost","两江 flood","chip-a at 40%"]'
check_json "$tmp/out" 'd["baseline"]["final_demand_total"] == 400 and d["baseline"]["register_count"] == 3'
check_json "$tmp/out" 'd["scenarios"][0]["failed"] == ["cell"] and d["scenarios"][0]["final_demand_lost"] == 0'
check_json "$tmp/out" 'd["scenarios"][0]["weak_links"] == {"register_removed": ["cell"], "register_added": [], "single_source_removed": [{"customer": "pack", "part": "cell", "supplier": "cell"}], "single_source_added": [], "chokepoints_removed": [{"demand_node": "oem", "firm": "cell"}], "chokepoints_added": []}'
check_json "$tmp/out" 'd["scenarios"][0]["vs_baseline"]["register_count"] == -1 and d["scenarios"][0]["days"] == 30'
check_json "$tmp/out" 'd["scenarios"][1]["weak_links"]["chokepoints_added"] == [{"demand_node": "oem", "firm": "chip-a"}] and d["scenarios"][1]["weak_links"]["register_added"] == ["chip-a"]'
check_json "$tmp/out" 'd["scenarios"][1]["failed"] == ["chip-a","oem"] and d["scenarios"][1]["final_demand_lost_fraction"] == 0.25'
check_json "$tmp/out" 'd["scenarios"][2]["failed"] == ["cell","chip-a","pack","oem"] and d["scenarios"][2]["weak_links"] is None'
check_json "$tmp/out" 'd["scenarios"][3]["model"] == "fractional" and abs(d["scenarios"][3]["final_demand_lost"] - 30) < 1e-9'
check_json "$tmp/out" '[t["id"] for t in d["scenarios"][0]["top"]] == ["seat","pack"]'
# No volumes in this network: no stress figures, whatever the days.
check_json "$tmp/out" '[s["stress"] for s in d["scenarios"]] == [None] * 4'

# The workbook: openpyxl reads the CSV's rows (numbers as numbers), the
# weak links one per row, then "about"; -f xlsx to a terminal is refused.
expect_exit 0 "$bin" scenarios --format csv -o "$tmp/cmp.csv" "$net" "$sc"
expect_exit 0 "$bin" scenarios -o "$tmp/cmp.xlsx" "$net" "$sc"
/usr/bin/python3 - "$tmp/cmp.xlsx" "$tmp/cmp.csv" <<'PY' || fail "scenarios workbook"
import csv, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["scenarios", "weak links", "about"], wb.sheetnames
rows = list(wb["scenarios"].iter_rows(values_only=True))
want = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
head = [h.split(" ")[0] for h in rows[0]]
for got, exp in zip(rows[1:], want[1:]):
    got = dict(zip(head, got))
    for key, value in zip(want[0], exp):
        cell = got.get(key)
        if value == "":
            assert cell is None, (key, cell)
        elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
            assert abs(cell - float(value)) <= 1e-9 * max(1, abs(cell)), (key, cell, value)
        else:
            assert str(cell) == value, (key, cell, value)
changes = [r for r in wb["weak links"].iter_rows(values_only=True)][1:]
assert ("chip-b lost", "chokepoint", "created", "oem", None, "chip-a") in changes, changes
assert ("second cell source", "single-source pair", "removed", "pack", "cell", "cell") in changes, changes
PY


# With stress data (graphs/stress-partial.json, answers in graphs/README.md):
# the days of a scenario are the recovery time of the stress programs.
cat >"$tmp/days.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "cell-a at 50% for 60 days", "shocks": [{"firms": ["cell-a"], "capacity_left": 0.5, "days": 60}]},
 {"name": "cell-a at 50% for 20 days", "shocks": [{"firms": ["cell-a"], "capacity_left": 0.5, "days": 20}]},
 {"name": "cell-a fails for 30 days", "shocks": [{"firms": ["cell-a"], "days": 30}]},
 {"name": "cell-a fails", "shocks": [{"firms": ["cell-a"]}]}]}
JSON
expect_exit 0 "$bin" scenarios --format json "$graphs/stress-partial.json" "$tmp/days.json"
check_json "$tmp/out" 'abs(d["scenarios"][0]["stress"]["tts_days"] - 30) < 1e-6 and abs(d["scenarios"][0]["stress"]["impact"] - 1.2e6) < 1e-3 and abs(d["scenarios"][0]["stress"]["impact_fraction"] - 0.05) < 1e-9 and d["scenarios"][0]["stress"]["exposed"] is True and d["scenarios"][0]["stress"]["ttr_days"] == 60'
check_json "$tmp/out" 'abs(d["scenarios"][1]["stress"]["impact"]) < 1e-3 and d["scenarios"][1]["stress"]["exposed"] is False'
check_json "$tmp/out" 'abs(d["scenarios"][2]["stress"]["tts_days"] - 7.5) < 1e-6 and abs(d["scenarios"][2]["stress"]["impact"] - 3.6e6) < 1e-3 and abs(d["scenarios"][2]["stress"]["impact_fraction"] - 0.3) < 1e-9'
check_json "$tmp/out" 'd["scenarios"][3]["stress"] is None'
expect_exit 0 "$bin" scenarios "$graphs/stress-partial.json" "$tmp/days.json"
grep -q '^  time to survive: 30 days; over the 60 days, after stock: ¥1.2 m lost (5.0% of the final demand counted over them), exposed$' "$tmp/out" || fail "table stress line: $(cat "$tmp/out")"
# The cascade's rate and the stress line's loss are two answers: the first
# says so where the second follows, and not where it does not (cell-a
# fails, no days).
[ "$(grep -c 'before any stock (the cascade); the time figures below reallocate what is left and count stock$' "$tmp/out")" -eq 3 ] &&
  grep -q 'before any stock (the cascade)$' "$tmp/out" || fail "rate and time figures: $(cat "$tmp/out")"
expect_exit 0 "$bin" scenarios --format csv "$graphs/stress-partial.json" "$tmp/days.json"
# 7.5 days by hand; the time to survive is given to a billionth of a day.
grep -q ',7.5,3600000.0,0.3,true,,,$' "$tmp/out" || fail "csv stress columns: $(cat "$tmp/out")"

expect_exit 0 "$bin" scenarios --format csv "$net" "$sc"
head -1 "$tmp/out" | grep -qx 'scenario,model,mitigations,days,failed_count,demand_nodes_failed,final_demand_lost,final_demand_lost_fraction,top_firm,top_firm_final_demand_lost,register_removed,register_added,single_source_removed,single_source_added,chokepoints_removed,chokepoints_added,tts_days,impact,impact_fraction,exposed,demand_of,final_demand_lost_without_mitigations,impact_without_mitigations' ||
  fail "csv header: $(head -1 "$tmp/out")"
grep -qx 'second cell source,threshold,2,30.0,1,0,0.0,0.0,seat,300.0,1,0,1,0,1,0,,,,,,100.0,' "$tmp/out" || fail "csv row: $(sed -n 2p "$tmp/out")"
expect_exit 0 "$bin" scenarios --format md "$net" "$sc"
grep -q '^- chokepoints created (1): oem stopped by chip-a$' "$tmp/out" || fail "md: $(cat "$tmp/out")"
expect_exit 0 "$bin" scenarios -o "$tmp/report.html" "$net" "$sc"
grep -q '<h2>两江 flood</h2>' "$tmp/report.html" || fail "html by extension"
expect_exit 0 "$bin" scenarios --top 1 "$net" "$sc"
grep -q "register's top firms: seat (¥300)$" "$tmp/out" || fail "table --top 1: $(cat "$tmp/out")"

# Bad scenario files: exit 1, the JSON path, nothing written.
cat >"$tmp/bad.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "a", "shocks": [{"firms": ["cel"], "capacity_left": 1.5, "days": -1}]},
 {"name": "b", "mitigations": [{"action": "add_link", "link": {"from": "cell", "to": "pack", "part": "cell"}}]}]}
JSON
echo previous >"$tmp/keep.json"
expect_exit 1 "$bin" scenarios -f json -o "$tmp/keep.json" "$net" "$tmp/bad.json"
[ "$(cat "$tmp/keep.json")" = previous ] || fail "-o clobbered by a bad scenario file"
grep -q 'bad.json: \$.scenarios\[0\].shocks\[0\].firms\[0\]: unknown enterprise "cel" (did you mean "cell"?)' "$tmp/err" || fail "unknown id: $(cat "$tmp/err")"
grep -q '\$.scenarios\[0\].shocks\[0\].capacity_left: "capacity_left" must be in \[0, 1\], got 1.5' "$tmp/err" || fail "fraction: $(cat "$tmp/err")"
grep -q '\$.scenarios\[0\].shocks\[0\].days: "days" must be in \[0, 1e+09\], got -1' "$tmp/err" || fail "days: $(cat "$tmp/err")"
grep -q '\$.scenarios\[1\].mitigations\[0\]: the network after the mitigations: ' "$tmp/err" || fail "invalid mitigation: $(cat "$tmp/err")"
expect_exit 1 "$bin" scenarios "$net" "$tmp/missing.json"
expect_exit 2 "$bin" scenarios "$net"
expect_exit 2 "$bin" scenarios --threshold 2 "$net" "$sc"
expect_exit 1 "$bin" scenarios --model threshold "$net" "$sc"
grep -q 'needs the fractional model' "$tmp/err" || fail "threshold model with a partial capacity: $(cat "$tmp/err")"
grep -qF "chengyu: $sc: \$.scenarios[3]: scenario \"chip-a at 40%\" leaves a capacity between 0 and 1" "$tmp/err" || fail "threshold model: no file name: $(cat "$tmp/err")"
printf 'scenario,firms,capacity_left\na,cell,\nb,chip-a,40%%\n' >"$tmp/partial.csv"
expect_exit 1 "$bin" scenarios --model threshold "$net" "$tmp/partial.csv"
grep -qF "partial.csv:3: scenario \"b\" leaves a capacity between 0 and 1" "$tmp/err" || fail "threshold model, sheet: $(cat "$tmp/err")"
# Days beyond stress --days' limit (1e9) are refused, not run into an
# overflowed impact of 0%.
echo '{"format": "chengyu-scenarios/1", "scenarios": [{"name": "a", "shocks": [{"firms": ["cell-a"], "days": 1e300}]}]}' >"$tmp/longdays.json"
expect_exit 1 "$bin" scenarios -f json "$graphs/stress-partial.json" "$tmp/longdays.json"
grep -qF 'longdays.json: $.scenarios[0].shocks[0].days: "days" must be in [0, 1e+09], got 1e+300' "$tmp/err" || fail "huge days: $(cat "$tmp/err")"
printf 'scenario,firms,days\na,cell-a,1e10\n' >"$tmp/longdays.csv"
expect_exit 1 "$bin" scenarios "$graphs/stress-partial.json" "$tmp/longdays.csv"
grep -qF 'longdays.csv:2:3 (column "days"): "days" must be in [0, 1e+09], got 1e+10' "$tmp/err" || fail "huge days, sheet: $(cat "$tmp/err")"
expect_exit 0 "$bin" scenarios -f json "$graphs/stress-partial.json" "$tmp/days.json"
# data/scenarios.schema.json: the example passes, the bad file's shapes fail.
/usr/bin/python3 - "$src/data/scenarios.schema.json" "$sc" "$tmp/bad.json" <<'PY' || fail "scenario schema"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
errors = list(v.iter_errors(json.load(open(sys.argv[2]))))
assert not errors, errors[0].message
assert not v.is_valid(json.load(open(sys.argv[3]))), "the bad file passes the schema"
PY

# -o may not name the scenarios file (JSON, CSV, through a link, the
# scenarios.csv of a folder): refused before anything is written.
cp "$sc" "$tmp/own.json"
expect_exit 1 "$bin" scenarios -o "$tmp/own.json" "$net" "$tmp/own.json"
grep -qF "cannot write '$tmp/own.json': it is the input file" "$tmp/err" || fail "-o = scenarios: $(cat "$tmp/err")"
cmp -s "$sc" "$tmp/own.json" || fail "-o overwrote the scenarios file"
ln -s own.json "$tmp/own-link.json"
expect_exit 1 "$bin" scenarios -o "$tmp/own-link.json" "$net" "$tmp/own.json"
cmp -s "$sc" "$tmp/own.json" || fail "-o through a link overwrote the scenarios file"
printf 'scenario,firms\na,cell\n' >"$tmp/own.csv"
cp "$tmp/own.csv" "$tmp/own.csv.orig"
expect_exit 1 "$bin" scenarios -f csv -o "$tmp/own.csv" "$net" "$tmp/own.csv"
cmp -s "$tmp/own.csv.orig" "$tmp/own.csv" || fail "-o overwrote the scenarios CSV"
mkdir "$tmp/scdir"
cp "$tmp/own.csv.orig" "$tmp/scdir/scenarios.csv"
expect_exit 1 "$bin" scenarios -f csv -o "$tmp/scdir/scenarios.csv" "$net" "$tmp/scdir"
grep -qF "cannot write '$tmp/scdir/scenarios.csv': it is a table of the input folder '$tmp/scdir'" "$tmp/err" || fail "-o = the folder's scenarios.csv: $(cat "$tmp/err")"
cmp -s "$tmp/own.csv.orig" "$tmp/scdir/scenarios.csv" || fail "-o overwrote the folder's scenarios.csv"
expect_exit 0 "$bin" scenarios -f csv -o "$tmp/scdir/report.csv" "$net" "$tmp/scdir"

# The scenarios file is read as the network is: a FIFO nobody writes to is
# given up after 10 s (timeout would give 124), one with a writer is read;
# a device is refused before it is read, a read error is said as such,
# CHENGYU_MAX_INPUT_BYTES holds for it too (file, pipe and standard input).
mkfifo "$tmp/fifo.json"
expect_exit 1 timeout 60 "$bin" scenarios "$net" "$tmp/fifo.json"
grep -qF "chengyu: $tmp/fifo.json: named pipe with no data after 10 s (is anything writing to it?)" "$tmp/err" || fail "scenarios FIFO: $(cat "$tmp/err")"
(cat "$sc" >"$tmp/fifo.json" &)
expect_exit 0 timeout 60 "$bin" scenarios -f json "$net" "$tmp/fifo.json"
check_json "$tmp/out" 'len(d["scenarios"]) == 4'
expect_exit 0 "$bin" scenarios -f json "$net" <(cat "$sc")
check_json "$tmp/out" 'len(d["scenarios"]) == 4'
expect_exit 1 "$bin" scenarios "$net" /dev/zero
grep -qF 'chengyu: /dev/zero: not a regular file (it is a character device)' "$tmp/err" || fail "scenarios /dev/zero: $(cat "$tmp/err")"
if [ -r /proc/self/mem ]; then
  expect_exit 1 "$bin" scenarios "$net" /proc/self/mem
  grep -qF 'chengyu: /proc/self/mem: cannot read: ' "$tmp/err" || fail "scenarios /proc/self/mem: $(cat "$tmp/err")"
fi
/usr/bin/python3 - "$sc" "$tmp/big.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["description"] = "x" * 5000
json.dump(d, open(sys.argv[2], "w"))
PY
size=$(wc -c <"$net")
limit=$((size + 100))
CHENGYU_MAX_INPUT_BYTES=$limit expect_exit 1 "$bin" scenarios "$net" "$tmp/big.json"
grep -qF "big.json: file is $(wc -c <"$tmp/big.json") bytes, over the input limit of $limit bytes (raise it with CHENGYU_MAX_INPUT_BYTES)" "$tmp/err" || fail "scenarios size limit: $(cat "$tmp/err")"
CHENGYU_MAX_INPUT_BYTES=$limit expect_exit 1 "$bin" scenarios "$net" - <"$tmp/big.json"
grep -qF "<stdin>: more than $limit bytes, over the input limit of $limit bytes" "$tmp/err" || fail "scenarios size limit, stdin: $(cat "$tmp/err")"
CHENGYU_MAX_INPUT_BYTES=$limit expect_exit 0 "$bin" scenarios "$net" - <"$sc"

# A scenario whose network cannot run the stress programs says why instead
# of leaving its time figures out: a link added without a volume, an output
# set below the deliveries (warned at the scenario; JSON stress_missing; a
# "not computed" line); a network without volumes: one warning for all.
cat >"$tmp/missing.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "cell-a out", "shocks": [{"firms": ["cell-a"], "days": 30}]},
 {"name": "third cell maker", "shocks": [{"firms": ["cell-a"], "days": 30}],
  "mitigations": [
   {"action": "add_enterprise", "enterprise": {"id": "cell-c", "kind": "supplier",
    "output_value": 10000000, "produces": ["cell"]}},
   {"action": "add_link", "link": {"from": "cell-c", "to": "carmaker", "part": "cell"}}]},
 {"name": "cell-b output cut", "shocks": [{"firms": ["cell-a"], "days": 30}],
  "mitigations": [{"action": "set_enterprise", "id": "cell-b", "output_value": 1000}]}]}
JSON
expect_exit 0 "$bin" scenarios -f json "$graphs/stress-partial.json" "$tmp/missing.json"
grep -qF "missing.json: \$.scenarios[1]: scenario \"third cell maker\": no time to survive or impact over its days: link from \"cell-c\" to \"carmaker\" (part \"cell\") has no volume" "$tmp/err" ||
  fail "no warning for a link added without a volume: $(cat "$tmp/err")"
grep -qF 'scenario "cell-b output cut": no time to survive or impact over its days: enterprise "cell-b": output 1000 is less than what it delivers' "$tmp/err" ||
  fail "no warning for an output cut below the deliveries: $(cat "$tmp/err")"
[ "$(grep -c warning "$tmp/err")" -eq 2 ] || fail "want 2 warnings: $(cat "$tmp/err")"
check_json "$tmp/out" '[s["stress_missing"] is None for s in d["scenarios"]] == [True, False, False] and d["scenarios"][0]["stress"]["tts_days"] == 7.5 and d["scenarios"][1]["stress"] is None and "has no volume" in d["scenarios"][1]["stress_missing"]'
expect_exit 0 "$bin" scenarios -f md "$graphs/stress-partial.json" "$tmp/missing.json"
grep -qF -- '- time to survive: not computed: enterprise "cell-b": output 1000 is less than what it delivers' "$tmp/out" ||
  fail "md: no 'not computed' line: $(cat "$tmp/out")"
expect_exit 0 "$bin" scenarios -q -f json "$graphs/stress-partial.json" "$tmp/missing.json"
[ ! -s "$tmp/err" ] || fail "-q printed: $(cat "$tmp/err")"
expect_exit 0 "$bin" scenarios "$net" "$sc"
[ "$(grep -c warning "$tmp/err")" -eq 1 ] &&
  grep -qF 'warning: 2 scenario(s) give days, but the network as given has no stress data (only mitigations that supply it give a time to survive): link from' "$tmp/err" ||
  fail "network without volumes: want one warning: $(cat "$tmp/err")"

# A scenario with mitigations is also run without them, under the same
# shock (graphs/README.md): the second cell source saves the 100 of final
# demand cell's failure stops; removing chip-b's link adds 100.  On the
# shipped dataset the run without mitigations is exactly `cascade --fail`
# and `stress --fail --ttr` of the same firm.
expect_exit 0 "$bin" scenarios -f json "$net" "$sc"
check_json "$tmp/out" '[s["without_mitigations"] for s in d["scenarios"]] == [{"failed_count": 3, "final_demand_lost": 100.0, "stress": None}, {"failed_count": 1, "final_demand_lost": 0.0, "stress": None}, None, None]'
expect_exit 0 "$bin" scenarios -f md "$net" "$sc"
grep -qxF -- '- without the mitigations: the same shock: failed firms 3, final demand lost ¥100 a year; the mitigations save ¥100 a year' "$tmp/out" ||
  fail "md: no comparison line: $(grep without "$tmp/out")"
grep -qF 'failed firms 1, final demand lost ¥0 a year; the mitigations add ¥100 a year to the loss' "$tmp/out" ||
  fail "md: a mitigation that adds to the loss: $(grep without "$tmp/out")"
# The shocks are resolved again on the network as given: cell moved out of
# the flooded 两江新区 is in it there (cell, pack and oem fail: 100 saved,
# as `cascade --fail-park 两江新区`); a shock naming only a firm the
# mitigations add has nothing to compare; a --demand-of firm whose final
# demand only a mitigation gives leaves the comparison without stress
# figures, and the run goes on.
cat >"$tmp/move.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "move cell", "shocks": [{"parks": ["两江新区"]}],
  "mitigations": [{"action": "move_enterprise", "id": "cell", "park": "天府新区"}]},
 {"name": "only the new firm", "shocks": [{"firms": ["cell-2"]}],
  "mitigations": [{"action": "add_enterprise", "enterprise": {"id": "cell-2", "kind": "supplier",
    "produces": ["cell"]}},
   {"action": "add_link", "link": {"from": "cell-2", "to": "pack", "part": "cell"}}]}]}
JSON
expect_exit 0 "$bin" scenarios -f json "$net" "$tmp/move.json"
check_json "$tmp/out" '[s["without_mitigations"] for s in d["scenarios"]] == [{"failed_count": 4, "final_demand_lost": 100.0, "stress": None}, None] and d["scenarios"][0]["final_demand_lost"] == 0'
cat >"$tmp/sells.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "cell-b sells outside", "shocks": [{"firms": ["cell-a"], "days": 30}],
  "mitigations": [{"action": "set_enterprise", "id": "cell-b", "final_demand": 1000000,
   "output_value": 30200000}]}]}
JSON
expect_exit 0 "$bin" scenarios --demand-of cell-b -f json "$graphs/stress-partial.json" "$tmp/sells.json"
check_json "$tmp/out" 'd["scenarios"][0]["stress"] is not None and d["scenarios"][0]["without_mitigations"]["stress"] is None'
cat >"$tmp/source.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "radar chips from Chongqing too", "shocks": [{"firms": ["cd-chip-a"], "days": 30}],
  "mitigations": [
   {"action": "add_enterprise", "enterprise": {"id": "new-fab", "kind": "supplier",
    "region": "chongqing", "output_value": 2000000000, "produces": ["radar-chip"],
    "source": "illustrative"}},
   {"action": "add_link", "link": {"from": "new-fab", "to": "cd-radar-a", "part": "radar-chip",
    "volume": 100000000, "source": "illustrative"}}]}]}
JSON
expect_exit 0 "$bin" scenarios -f json "$src/data/chengdu-chongqing.json" "$tmp/source.json"
cp "$tmp/out" "$tmp/source.out"
expect_exit 0 "$bin" cascade --fail cd-chip-a -f json "$src/data/chengdu-chongqing.json"
cp "$tmp/out" "$tmp/cascade.out"
expect_exit 0 "$bin" stress --fail cd-chip-a --ttr 30 -f json "$src/data/chengdu-chongqing.json"
/usr/bin/python3 - "$tmp/source.out" "$tmp/cascade.out" "$tmp/out" <<'PY' || fail "without the mitigations differs from cascade and stress of the same firm"
import json, sys
sc, ca, st = (json.load(open(p)) for p in sys.argv[1:])
w = sc["scenarios"][0]["without_mitigations"]
d = st["disruptions"][0]
assert w["failed_count"] == ca["failed_count"] == 8, (w, ca["failed_count"])
assert w["final_demand_lost"] == ca["final_demand_lost"], (w, ca["final_demand_lost"])
assert w["stress"]["tts_days"] == d["tts_days"] and abs(w["stress"]["impact"] - d["impact"]) <= 1e-6 * d["impact"], (w, d)
# the second source keeps the radar maker and those after it running
assert sc["scenarios"][0]["final_demand_lost"] < w["final_demand_lost"], sc["scenarios"][0]
PY
expect_exit 0 "$bin" scenarios "$src/data/chengdu-chongqing.json" "$tmp/source.json"
grep -qF "the scenario's figures also count the final demand of the firms its mitigations add: new-fab" "$tmp/out" ||
  fail "the added firm's final demand is not said: $(grep without "$tmp/out")"

# --demand-of: a scenario's stress figures are those of chengyu stress with
# the same failure, --ttr its days and the same --demand-of (the shipped
# dataset: the automakers last 22.4 days when the MCU designer fails, where the
# network's first shortage, the radar maker's, comes at 14.55); with a
# mitigation that adds a firm, the listed firms are found by id in the
# scenario's network.
data=$src/data/chengdu-chongqing.json
cat >"$tmp/chip.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "MCU designer out", "shocks": [{"firms": ["cd-chip-a"], "days": 90}]},
 {"name": "MCU designer out, a new firm", "shocks": [{"firms": ["cd-chip-a"], "days": 90}],
  "mitigations": [{"action": "add_enterprise", "enterprise": {"id": "aa-new", "kind": "supplier",
   "region": "chengdu", "produces": ["mcu-chip"], "source": "illustrative"}}]}]}
JSON
expect_exit 0 "$bin" stress --fail cd-chip-a --ttr 90 --demand-of changan,seres,cd-car-oem -f json "$data"
cp "$tmp/out" "$tmp/stress.json"
expect_exit 0 "$bin" scenarios --demand-of changan,seres --demand-of cd-car-oem -f json "$data" "$tmp/chip.json"
/usr/bin/python3 - "$tmp/stress.json" "$tmp/out" <<'PY' || fail "scenarios --demand-of differs from stress --demand-of"
import json, sys
st = json.load(open(sys.argv[1]))["disruptions"][0]
sc = json.load(open(sys.argv[2]))
assert sc["demand_of"] == ["changan", "seres", "cd-car-oem"], sc["demand_of"]
assert abs(st["tts_days"] - 22.384615385) < 1e-9, st["tts_days"]
for s in sc["scenarios"]:
    got = s["stress"]
    for k in ("tts_days", "impact", "impact_fraction"):
        assert abs(got[k] - st[k]) <= 1e-9 * max(1.0, abs(st[k])), (s["name"], k, got[k], st[k])
    assert got["exposed"] is True and got["ttr_days"] == 90
PY
expect_exit 0 "$bin" scenarios -f json "$data" "$tmp/chip.json"
check_json "$tmp/out" 'd["demand_of"] is None and abs(d["scenarios"][0]["stress"]["tts_days"] - 14.55) < 1e-9'
expect_exit 0 "$bin" scenarios --demand-of changan,seres --demand-of cd-car-oem -f csv "$data" "$tmp/chip.json"
/usr/bin/python3 - "$tmp/stress.json" "$tmp/out" <<'PY' || fail "scenarios csv with --demand-of: $(cat "$tmp/out")"
import csv, json, sys
want = json.load(open(sys.argv[1]))["disruptions"][0]["tts_days"]
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(rows) == 2 and all(r["demand_of"] == "changan;seres;cd-car-oem" for r in rows), rows
assert all(abs(float(r["tts_days"]) - want) < 1e-9 for r in rows), (rows, want)
PY
expect_exit 0 "$bin" scenarios --demand-of changan,seres "$data" "$tmp/chip.json"
grep -qF "time to survive and impact: only the final demand of changan, seres is counted (--demand-of; the other firms' outside sales may be given up to serve them)" "$tmp/out" ||
  fail "scenarios --demand-of line: $(cat "$tmp/out")"
expect_exit 1 "$bin" scenarios --demand-of changn "$data" "$tmp/chip.json"
grep -qF -e '--demand-of: unknown enterprise "changn"; did you mean "changan"?' "$tmp/err" || fail "scenarios --demand-of typo: $(cat "$tmp/err")"
expect_exit 2 "$bin" scenarios --demand-of changan, "$data" "$tmp/chip.json"
# A mitigation that leaves the --demand-of firms no final demand: the
# stress programs' refusal names the scenario and where it is.
cat >"$tmp/none.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "MCU designer out", "shocks": [{"firms": ["cd-chip-a"], "days": 30}]},
 {"name": "seres sells nothing", "shocks": [{"firms": ["cd-chip-a"], "days": 30}],
  "mitigations": [{"action": "set_enterprise", "id": "seres", "final_demand": 0}]}]}
JSON
expect_exit 1 "$bin" scenarios --demand-of seres -o "$tmp/none.out" "$data" "$tmp/none.json"
grep -qF -e 'none.json: $.scenarios[1]: scenario "seres sells nothing": demand_of: "seres" has no final demand' "$tmp/err" ||
  fail "scenarios --demand-of without final demand: $(cat "$tmp/err")"
[ ! -e "$tmp/none.out" ] || fail "a failed scenarios run wrote its output"

# A mitigation that moves volume away from a firm whose final demand is
# derived (output value minus deliveries) raises its outside sales: said at
# the scenario, with the figures (fab: output 10, delivers 8 -> 5, so 2 ->
# 5), for the firm whose deliveries grow too (fab-2: 3 -> 0 of outside
# sales); not for a firm whose final demand is given (oem).
cat >"$tmp/derived.json" <<'JSON'
{"format": "chengyu/1", "name": "derived", "enterprises": [
 {"id": "fab", "kind": "supplier", "output_value": 10, "source": "illustrative"},
 {"id": "fab-2", "kind": "supplier", "output_value": 3, "source": "illustrative"},
 {"id": "oem", "kind": "oem", "output_value": 100, "final_demand": 100, "source": "illustrative"}],
 "links": [{"from": "fab", "to": "oem", "part": "chip", "volume": 8, "source": "illustrative"}]}
JSON
cat >"$tmp/derived-sc.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "second fab", "shocks": [{"firms": ["fab"], "days": 30}],
  "mitigations": [
   {"action": "add_link", "link": {"from": "fab-2", "to": "oem", "part": "chip", "volume": 3}},
   {"action": "set_link", "from": "fab", "to": "oem", "part": "chip", "volume": 5}]}]}
JSON
expect_exit 0 "$bin" scenarios -o "$tmp/derived.md" "$tmp/derived.json" "$tmp/derived-sc.json"
grep -qF 'derived-sc.json: $.scenarios[0]: scenario "second fab": the mitigations change what "fab" delivers in the network (8 -> 5 a year) and not its output value (10), so the final demand derived for it (output value minus deliveries) goes from 2 to 5 a year, counted as sales outside the network' "$tmp/err" &&
  grep -qF '"fab-2" delivers in the network (0 -> 3 a year) and not its output value (3), so the final demand derived for it (output value minus deliveries) goes from 3 to 0 a year' "$tmp/err" &&
  ! grep -q '"oem" delivers' "$tmp/err" || fail "derived final demand warning: $(cat "$tmp/err")"
expect_exit 0 "$bin" scenarios -q -o "$tmp/derived.md" "$tmp/derived.json" "$tmp/derived-sc.json"
[ ! -s "$tmp/err" ] || fail "-q printed: $(cat "$tmp/err")"
finish
