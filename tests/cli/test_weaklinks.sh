#!/usr/bin/env bash
# chengyu weak-links, end to end: the four formats on the hand-checked
# graphs/weaklinks.json (answers in graphs/README.md), exit codes for bad
# options and bad input, atomic -o.
# Usage: test_weaklinks.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
net=$src/graphs/weaklinks.json

# JSON: exactly the keys docs/cli.md lists, in order, and the hand-checked values.
expect_exit 0 "$bin" weak-links --format json "$net"
cp "$tmp/out" "$tmp/report.json"
check_json "$tmp/report.json" 'list(d) == ["register","time","single_source","chokepoints","articulation_points","bridges","cascade_impact","park_impact","region_impact","concentration","local_supply","outside_chokepoints","region_dependence","cross_region","recommendations","summary"]'
check_json "$tmp/report.json" '[(r["id"], r["final_demand_lost"], r["demand_nodes_failed"], r["failed_count"]) for r in d["register"]] == [("cell1",1500,2,5),("wafer1",1000,1,3),("chip1",1000,1,2),("bat1",500,1,2),("seat1",500,1,2)]'
check_json "$tmp/report.json" 'd["register"][2]["fix"]["backups"][0]["id"] == "chip2" and d["register"][2]["fix"]["backups"][0]["independent"] is True and d["register"][3]["fix"]["backups"][0]["common_cause"] == ["cell1"] and d["register"][3]["fix"]["backups"][0]["independent"] is False'
check_json "$tmp/report.json" 'd["summary"]["demand_rule"] == "final_demand" and d["summary"]["final_demand_total"] == 1545 and d["summary"]["demand_nodes"] == 4'
check_json "$tmp/report.json" '[(o["demand_node"], [c["id"] for c in o["chokepoints"]]) for o in d["outside_chokepoints"]] == [("oem1", ["wafer1","chip1"])]'
check_json "$tmp/report.json" 'd["region_dependence"]["regions"] == ["chengdu","chongqing","guangdong"] and d["region_dependence"]["matrix"] == [[505,1000,0],[500,1040,0],[0,1000,0]]'
# Every key path of the 0.2.0 report is still there (new keys are added).
/usr/bin/python3 - "$src/tests/cli/weaklinks-keys-0.2.0.txt" "$tmp/report.json" <<'PY' || fail "a key of the 0.2.0 weak-link JSON is missing"
import json, sys
def paths(v, prefix, out):
    if isinstance(v, dict):
        for k, x in v.items():
            p = prefix + "." + k if prefix else k
            out.add(p)
            paths(x, p, out)
    elif isinstance(v, list):
        for x in v:
            paths(x, prefix + "[]", out)
    return out
have = paths(json.load(open(sys.argv[2])), "", set())
want = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
missing = [k for k in want if k not in have]
assert not missing, missing
PY
check_json "$tmp/report.json" '[(s["enterprise"], s["part"], s["supplier"], s["output_at_risk"]) for s in d["single_source"]] == [("bat1","cell","cell1",1710),("bat2","cell","cell1",1710),("chip1","wafer","wafer1",1070),("oem1","chip","chip1",1060),("oem2","battery","bat1",600),("oem2","seat","seat1",520)]'
check_json "$tmp/report.json" 'd["chokepoints"] == [{"oem":"chip2","enterprises":[]},{"oem":"oem1","enterprises":["cell1","chip1","wafer1"]},{"oem":"oem2","enterprises":["bat1","cell1","seat1"]},{"oem":"seat2","enterprises":[]}]'
check_json "$tmp/report.json" 'd["articulation_points"] == ["bat1","chip1","oem1","oem2"] and d["bridges"] == [["bat1","oem2"],["chip1","oem1"],["seat1","oem2"],["wafer1","chip1"]]'
check_json "$tmp/report.json" '[(c["id"], c["final_demand_lost"], c["failed_count"], c["output_value_lost"]) for c in d["cascade_impact"][:4]] == [("cell1",1500,5,1710),("wafer1",1000,3,1070),("chip1",1000,2,1060),("oem1",1000,1,1000)] and len(d["cascade_impact"]) == 13'
check_json "$tmp/report.json" '[(p["park"], p["failed_count"], p["output_value_lost"]) for p in d["park_impact"]] == [("tf",6,1715),("lj",3,1080),("wsc",4,560)]'
check_json "$tmp/report.json" '[(r["region"], r["final_demand_lost"], r["output_value_lost"]) for r in d["region_impact"]] == [("chongqing",1540,1640),("chengdu",1505,1715),("guangdong",1000,1070)]'
check_json "$tmp/report.json" 'abs(d["concentration"][4]["hhi"] - 212500/302500) < 1e-15 and d["concentration"][4]["part"] == "battery"'
check_json "$tmp/report.json" 'd["cross_region"]["chengdu_to_chongqing"] == 320 and d["cross_region"]["chongqing_to_chengdu"] == 50'
check_json "$tmp/report.json" 'd["local_supply"]["circle_regions"] == ["chongqing","chengdu"] and d["local_supply"]["oems"][1]["own_region_share"] == 0.75'
check_json "$tmp/report.json" '[b["id"] for b in d["recommendations"][8]["backups"]] == ["seat3","seat5","seat2","seat4"] and d["recommendations"][8]["part"] == "seat"'
check_json "$tmp/report.json" 'd["recommendations"][0]["note"] == "none in the network" and d["summary"]["weak_link_count"] == 18'

# --top keeps the ranked lists short, the rest whole; the threshold is used.
expect_exit 0 "$bin" weak-links --format json --top 1 --threshold 0.5 "$net"
check_json "$tmp/out" 'len(d["single_source"]) == 1 and len(d["cascade_impact"]) == 1 and len(d["bridges"]) == 4 and d["summary"]["threshold"] == 0.5 and d["summary"]["single_source_pairs"] == 6'

# CSV: the register (header + 5 rows), an empty line, the weak links
# (header + 18 rows), LF line ends.
expect_exit 0 "$bin" weak-links --format csv "$net"
[ "$(grep -c '' "$tmp/out")" -eq 26 ] || fail "csv: want 26 lines, got $(grep -c '' "$tmp/out")"
! grep -q $'\r' "$tmp/out" || fail "csv: a CR in the output"
head -1 "$tmp/out" | grep -q '^register_rank,id,name,region,' || fail "csv header"
/usr/bin/python3 - "$tmp/out" <<'PY' || fail "csv does not parse into 5 register rows and 18 typed rows"
import csv, io, sys
register, links = open(sys.argv[1], newline="").read().split("\n\n")
reg = list(csv.DictReader(io.StringIO(register + "\n")))
assert [r["id"] for r in reg] == ["cell1", "wafer1", "chip1", "bat1", "seat1"], reg
assert reg[0]["final_demand_lost"] == "1500.0" and reg[2]["fix_backup"] == "chip2"
rows = list(csv.DictReader(io.StringIO(links)))
assert len(rows) == 18, len(rows)
assert {r["type"] for r in rows} == {"single_source", "chokepoint", "articulation_point", "bridge"}
assert rows[0]["enterprise"] == "bat1" and rows[0]["backups"] == "none in the network"
assert rows[0]["final_demand_lost"] == "1500.0" and rows[0]["demand_nodes_failed"] == "2"
PY

# A chokepoint whose only other producer already supplies its customers
# (graphs/README.md): the fix names the customers, and the firm that could
# supply more instead of "none in the network".
expect_exit 0 "$bin" weak-links -t 0.5 --time-firms 0 "$src/graphs/weaklinks-current-source.json"
grep -qF '| 1 | fab-x | - | stops car | ¥1 k | 100.0% | 1 | 4 | second source of mcu for the customers of fab-x (ecu-1, ecu-2): no new producer, but fab-y already supplies it to some of the customers of fab-x, does not fail with it and could supply more |' "$tmp/out" ||
  fail "chokepoint fix with a current source: $(grep 'fab-x' "$tmp/out" | head -3)"
grep -qF '| chokepoint fab-x | mcu | fab-x | ¥1 k | no new producer, but fab-y already supplies it to some of the customers of fab-x, does not fail with it and could supply more | 0 |' "$tmp/out" ||
  fail "recommendation with a current source: $(grep 'chokepoint fab-x' "$tmp/out")"
# A current source that fails with the chokepoint (fab-y needs wafers only
# fab-x makes) is no way out: the note is not given.
/usr/bin/python3 - "$src/graphs/weaklinks-current-source.json" "$tmp/report-cs2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["enterprises"]:
    if e["id"] == "fab-x":
        e["produces"].append("wafer")
    if e["id"] == "fab-y":
        e["requires"] = ["wafer"]
d["links"].append({"from": "fab-x", "to": "fab-y", "part": "wafer", "source": "illustrative"})
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 0 "$bin" weak-links -t 0.5 --time-firms 0 "$tmp/report-cs2.json"
grep -qF '| chokepoint fab-x | mcu | fab-x | ¥1 k | none in the network | 0 |' "$tmp/out" && ! grep -q 'could supply more' "$tmp/out" ||
  fail "a current source that fails with the chokepoint: $(grep 'chokepoint fab-x' "$tmp/out")"
expect_exit 0 "$bin" weak-links -t 0.5 -f json "$src/graphs/weaklinks-current-source.json"
check_json "$tmp/out" 'd["register"][0]["fix"]["note"] == "none in the network" and d["register"][0]["fix"]["customers"] == ["ecu-1", "ecu-2"]'

# Markdown (default format), to a file.
expect_exit 0 "$bin" weak-links -o "$tmp/report.md" "$net"
grep -q '^## Single-source pairs (`single_source`)$' "$tmp/report.md" || fail "md: no single_source heading"
grep -q '^| oem2 | seat | seat1 | ¥50 | ¥500 | 1 | 2 |$' "$tmp/report.md" || fail "md: single-source row"
grep -q '^## Risk register' "$tmp/report.md" || fail "md: no register heading"
grep -qF 'Roles: sole supplier of a pair = the only supplier of a part a customer requires; stops = the demand nodes its failure alone stops; articulation point = ' "$tmp/report.md" ||
  fail "md: the register does not say what its roles mean"
[ "$(grep -m1 -n '^|' "$tmp/report.md" | cut -d: -f1)" -gt "$(grep -n '^## Risk register' "$tmp/report.md" | cut -d: -f1)" ] ||
  fail "md: the register is not the first table"

# The time section (docs/analyses.md, "Time to survive and time to
# recover", the worked example): at T = 0.7 either cell maker's loss stops
# the carmaker, so both are in the register; each failing alone leaves
# the carmaker 7.5 days of stock, ¥3.6 M lost over the default 30 days,
# exposed.  The figures are stress's own.
stress=$src/graphs/stress-partial.json
expect_exit 0 "$bin" weak-links -f json --threshold 0.7 -o "$tmp/report-time.json" "$stress"
check_json "$tmp/report-time.json" 'list(d)[:2] == ["register","time"] and d["time"]["available"] is True and d["time"]["horizon_days"] == 365 and d["time"]["default_ttr_days"] == 30 and d["time"]["firms_shown"] == 2 and d["time"]["register_firms"] == 2 and d["time"]["capped"] is False and d["time"]["max_cone"] == 2000 and d["time"]["unsolved"] == 0'
check_json "$tmp/report-time.json" '[f["id"] for f in d["time"]["firms"]] == [r["id"] for r in d["register"]] == ["cell-a","cell-b"]'
check_json "$tmp/report-time.json" 'all(abs(f["tts_days"] - 7.5) < 1e-9 and f["ttr_days"] == 30 and abs(f["impact"] - 3.6e6) < 1e-3 and abs(f["impact_fraction"] - 0.3) < 1e-12 and f["exposed"] is True and f["solved"] is True and list(f) == ["id","solved","tts_days","ttr_days","impact","impact_fraction","exposed"] for f in d["time"]["firms"])'
expect_exit 0 "$bin" stress --fail cell-a -f json "$stress"
/usr/bin/python3 - "$tmp/out" "$tmp/report-time.json" <<'PY' || fail "time section: not stress's figures for cell-a"
import json, sys
s = json.load(open(sys.argv[1]))["disruptions"][0]
t = json.load(open(sys.argv[2]))["time"]["firms"][0]
assert all(s[k] == t[k] for k in ("tts_days", "ttr_days", "impact", "impact_fraction", "exposed")), (s, t)
PY
# by_impact: the solved firms by their impact over the recovery, largest
# first, ties in register order; checked against the firms' own figures on
# a network where they differ (cell-b given 5 days of recovery).
check_json "$tmp/report-time.json" 'd["time"]["by_impact"] == ["cell-a", "cell-b"]'
/usr/bin/python3 - "$stress" "$tmp/report-recovery.json" <<'PY' || fail "writing the recovery variant"
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["enterprises"]:
    if e["id"] == "cell-b":
        e["recovery_days"] = 5
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 0 "$bin" weak-links -f json --threshold 0.7 "$tmp/report-recovery.json"
/usr/bin/python3 - "$tmp/out" <<'PY' || fail "by_impact is not the order of the impacts: $(cat "$tmp/out" | head -c 600)"
import json, sys
t = json.load(open(sys.argv[1]))["time"]
firms = [f for f in t["firms"] if f["solved"]]
want = [f["id"] for f in sorted(firms, key=lambda f: -f["impact"])]
assert t["by_impact"] == want and want == ["cell-a", "cell-b"], (t["by_impact"], want)
assert firms[0]["impact"] > firms[1]["impact"], firms
PY
expect_exit 0 "$bin" weak-links --threshold 0.7 -f md "$tmp/report-recovery.json"
grep -qF 'By the final demand lost over the recovery (with stock), the first of these: cell-a (¥3.6 m over 30 days), cell-b (' "$tmp/out" &&
  grep -qF "over 5 days); the register's order is that of a failure that lasts a year." "$tmp/out" ||
  fail "md: the time leaders line: $(grep -A2 'By the final' "$tmp/out")"
expect_exit 0 "$bin" weak-links --threshold 0.7 --time-firms 0 -f json "$stress"
check_json "$tmp/out" '"time" not in d and len(d["register"]) == 2'
expect_exit 0 "$bin" weak-links --threshold 0.7 --time-firms 0 "$stress"
! grep -q 'Time to survive' "$tmp/out" || fail "md: --time-firms 0 still has the time section"
expect_exit 0 "$bin" weak-links --threshold 0.7 --time-firms 1 -f json "$stress"
check_json "$tmp/out" 'd["time"]["capped"] is True and d["time"]["firms_shown"] == 1 and d["time"]["register_firms"] == 2 and d["time"]["firms"][0]["id"] == "cell-a"'
expect_exit 2 "$bin" weak-links --time-firms -1 "$stress"
expect_exit 0 "$bin" weak-links --threshold 0.7 --top 1 -f json "$stress"
check_json "$tmp/out" 'd["time"]["firms_shown"] == 1 and d["time"]["register_firms"] == 2 and [f["id"] for f in d["time"]["firms"]] == ["cell-a"]'
expect_exit 0 "$bin" weak-links --threshold 0.7 -o "$tmp/report-time.md" "$stress"
grep -q '^## Time to survive and recover (`time`)$' "$tmp/report-time.md" || fail "md: no time heading"
grep -q '^| 1 | cell-a | 7.5 | 30 | ¥3.6 m | 30.0% | yes |$' "$tmp/report-time.md" || fail "md: the time row of cell-a"
grep -qF 'exposed means TTS \< TTR' "$tmp/report-time.md" || fail "md: the time section does not say what exposed means"
[ "$(grep -n '^## Time to survive' "$tmp/report-time.md" | cut -d: -f1)" -gt "$(grep -n '^## Risk register' "$tmp/report-time.md" | cut -d: -f1)" ] ||
  fail "md: the time section is not after the register"
# With spare capacity enough at cell-b the carmaker survives the horizon:
# TTS null, no loss, not exposed; said in words in Markdown.
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["enterprises"][1]["capacity"] = 80000000
json.dump(d, open(sys.argv[2], "w"))' "$stress" "$tmp/spare.json"
expect_exit 0 "$bin" weak-links -f json --threshold 0.7 "$tmp/spare.json"
check_json "$tmp/out" '[(f["id"], f["tts_days"], f["impact"], f["exposed"]) for f in d["time"]["firms"]][0] == ("cell-a", None, 0, False)'
expect_exit 0 "$bin" weak-links --threshold 0.7 "$tmp/spare.json"
grep -q '^| 1 | cell-a | survives the horizon | 30 | ¥0 | 0.0% | no |$' "$tmp/out" || fail "md: a firm whose loss the network survives"
# A file without stress data says so plainly (JSON and Markdown).
expect_exit 0 "$bin" weak-links -f json "$net"
check_json "$tmp/out" 'd["time"] == {"available": False, "reason": "the file gives no capacity, inventory_days or recovery_days on any firm (docs/format.md, enterprises, says how to add them)"}'
grep -q '^No time figures: the file gives no capacity, inventory_days or recovery_days on any firm' "$tmp/report.md" ||
  fail "md: no plain sentence for a file without stress data"
# Stress data the programs cannot use (a link without volume): the
# section says why, at its JSON path; the rest of the report stands, exit 0.
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
del d["links"][1]["volume"]
json.dump(d, open(sys.argv[2], "w"))' "$stress" "$tmp/novolume.json"
expect_exit 0 "$bin" weak-links -f json --threshold 0.7 "$tmp/novolume.json"
check_json "$tmp/out" 'd["time"]["available"] is False and d["time"]["reason"].startswith("$.links[1]: link from \"cell-b\" to \"carmaker\" (part \"cell\") has no volume") and len(d["register"]) == 2'
expect_exit 0 "$bin" weak-links --threshold 0.7 "$tmp/novolume.json"
grep -q '^No time figures: the stress test cannot run on this file: \$\.links\\\[1\\\]: link from' "$tmp/out" ||
  fail "md: no reason for stress data the programs cannot use"
# A register longer than the time section's 10 firms (the default): the
# first 10, said so; the same bytes on one thread and on two; --time-firms
# chooses the count, --top cuts it further.
"$bin" generate --preset regional --oems 4 --suppliers 200 -q -o "$tmp/small.json" || fail "generate"
/usr/bin/python3 "$src/tests/cli/stress_fields.py" "$tmp/small.json" "$tmp/small-stress.json" || fail "stress_fields.py"
expect_exit 0 "$bin" weak-links -f json --threads 1 -o "$tmp/report-t1.json" "$tmp/small-stress.json"
expect_exit 0 "$bin" weak-links -f json --threads 2 -o "$tmp/report-t2.json" "$tmp/small-stress.json"
cmp -s "$tmp/report-t1.json" "$tmp/report-t2.json" || fail "time section: JSON differs between 1 and 2 threads"
check_json "$tmp/report-t1.json" 'd["time"]["capped"] is True and d["time"]["firms_shown"] == len(d["time"]["firms"]) == 10 and d["time"]["register_firms"] == len(d["register"]) > 50 and [f["id"] for f in d["time"]["firms"]] == [r["id"] for r in d["register"][:10]]'
expect_exit 0 "$bin" weak-links -f json --time-firms 50 --threads 2 -o "$tmp/report-t50.json" "$tmp/small-stress.json"
check_json "$tmp/report-t50.json" 'd["time"]["capped"] is True and len(d["time"]["firms"]) == 50 and [f["id"] for f in d["time"]["firms"]] == [r["id"] for r in d["register"][:50]]'
/usr/bin/python3 - "$tmp/report-t1.json" "$tmp/report-t50.json" <<'PY' || fail "time section: the first 10 firms differ with --time-firms 50"
import json, sys
a, b = (json.load(open(p))["time"]["firms"] for p in sys.argv[1:3])
assert a == b[:10], (a, b[:10])
PY
expect_exit 0 "$bin" weak-links -f json --top 3 -o "$tmp/report-top3.json" "$tmp/small-stress.json"
check_json "$tmp/report-top3.json" 'd["time"]["capped"] is False and len(d["time"]["firms"]) == 3 == len(d["register"])'
expect_exit 0 "$bin" weak-links --top 0 --threads 1 -o "$tmp/report-t1.md" "$tmp/small-stress.json"
expect_exit 0 "$bin" weak-links --top 0 --threads 2 -o "$tmp/report-t2.md" "$tmp/small-stress.json"
cmp -s "$tmp/report-t1.md" "$tmp/report-t2.md" || fail "time section: Markdown differs between 1 and 2 threads"
grep -q "^Only the first 10 of the register's [0-9]* firms" "$tmp/report-t1.md" || fail "md: the cap of the time section is not said"
rm -f "$tmp"/report-t[12].* "$tmp"/report-t50.json "$tmp"/report-top3.json "$tmp"/small*.json "$tmp/spare.json" "$tmp/novolume.json"

# Usage errors exit 2; bad input exits 1 and leaves an existing output alone.
expect_exit 2 "$bin" weak-links --format xml "$net"
# The curated dataset shows dependence beyond the circle: demand nodes
# with outside chokepoints, each in a region the file marks inside: false.
expect_exit 0 "$bin" weak-links -f json -o "$tmp/report-curated.json" "$src/data/chengdu-chongqing.json"
# The backups cell escapes its own separators in ids (and part names).
sed 's/"chip2"/"chip2 | fake: x;y"/g' "$src/graphs/cascade-battery.json" >"$tmp/sep.json"
expect_exit 0 "$bin" weak-links -f csv "$tmp/sep.json"
grep -qF 'chip: chip2 \| fake\: x\;y,' "$tmp/out" || fail "csv backups cell: $(grep '^chokepoint,7' "$tmp/out")"
rm -f "$tmp/sep.json"
# A backup in the supplier's park is marked: cq-autosoft-a is seres' only
# other vehicle-software maker and shares cq-autosoft-b's park.
check_json "$tmp/report-curated.json" '[(b["id"], b["independent"], b["same_park"], b["park"]) for r in d["recommendations"] if r["supplier"] == "cq-autosoft-b" for b in r["backups"]][:1] == [("cq-autosoft-a", True, True, "cq-auto-software-park")] and any(b["same_park"] is False for r in d["recommendations"] for b in r["backups"])'
expect_exit 0 "$bin" weak-links -f md "$src/data/chengdu-chongqing.json"
grep -qF "cq-autosoft-a (independent, but in the supplier's park cq-auto-software-park)" "$tmp/out" ||
  fail "md: a backup in the supplier's park is not marked"
check_json "$tmp/report-curated.json" 'len(d["outside_chokepoints"]) >= 5 and all(c["region"] in ("shanghai", "qinghai", "overseas") for o in d["outside_chokepoints"] for c in o["chokepoints"]) and sorted(d["local_supply"]["outside_regions"]) == ["overseas", "qinghai", "shanghai"]'
# docs/cli.md names every key the JSON has (the old ones and the new).
/usr/bin/python3 - "$tmp/report-curated.json" "$src/docs/cli.md" <<'PY' || fail "docs/cli.md does not list every weak-link JSON key"
import json, sys
keys = set()
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            keys.add(k)
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(json.load(open(sys.argv[1])))
doc = open(sys.argv[2], encoding="utf-8").read()
start = doc.index("\n## weak-links")
end = doc.find("\n## ", start + 5)
section = doc[start:end if end > 0 else None]
missing = sorted(k for k in keys if '"%s"' % k not in section and "`%s`" % k not in section)
if missing:
    print("undocumented keys:", missing, file=sys.stderr)
    sys.exit(1)
PY

expect_exit 2 "$bin" weak-links --top -1 "$net"
expect_exit 2 "$bin" weak-links --threshold 1.5 "$net"
expect_exit 2 "$bin" weak-links --threshold nan "$net"
expect_exit 2 "$bin" weak-links
expect_exit 2 "$bin" weak-links --bogus "$net"
expect_exit 0 "$bin" weak-links --help
grep -q -- '--threshold' "$tmp/out" || fail "help lacks --threshold"
cp "$tmp/report.md" "$tmp/before.md"
echo '{"format":"chengyu/1","name":"bad","enterprises":[{"id":"a"}],"links":[]}' > "$tmp/bad.json"
expect_exit 1 "$bin" weak-links -o "$tmp/report.md" "$tmp/bad.json"
grep -q 'kind' "$tmp/err" || fail "bad input: no message naming the field"
cmp -s "$tmp/report.md" "$tmp/before.md" || fail "failed run changed the existing output"
expect_exit 1 "$bin" weak-links "$tmp/missing.json"
[ -z "$(ls "$tmp" | grep -v -e '^out$' -e '^err$' -e '^report' -e '^before.md$' -e '^bad.json$')" ] || fail "temporary files left: $(ls "$tmp")"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "test_weaklinks.sh: all checks passed"
