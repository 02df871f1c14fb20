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
check_json "$tmp/report.json" 'list(d) == ["register","single_source","chokepoints","articulation_points","bridges","cascade_impact","park_impact","region_impact","concentration","local_supply","outside_chokepoints","region_dependence","cross_region","recommendations","summary"]'
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

# Markdown (default format), to a file.
expect_exit 0 "$bin" weak-links -o "$tmp/report.md" "$net"
grep -q '^## Single-source pairs (`single_source`)$' "$tmp/report.md" || fail "md: no single_source heading"
grep -q '^| oem2 | seat | seat1 | ¥50 | ¥500 | 1 | 2 |$' "$tmp/report.md" || fail "md: single-source row"
grep -q '^## Risk register' "$tmp/report.md" || fail "md: no register heading"
[ "$(grep -m1 -n '^|' "$tmp/report.md" | cut -d: -f1)" -gt "$(grep -n '^## Risk register' "$tmp/report.md" | cut -d: -f1)" ] ||
  fail "md: the register is not the first table"

# Usage errors exit 2; bad input exits 1 and leaves an existing output alone.
expect_exit 2 "$bin" weak-links --format xml "$net"
# The curated dataset shows dependence beyond the circle: demand nodes
# with outside chokepoints, each in a region the file marks inside: false.
expect_exit 0 "$bin" weak-links -f json -o "$tmp/report-curated.json" "$src/data/chengdu-chongqing.json"
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
