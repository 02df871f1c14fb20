#!/usr/bin/env bash
# chengyu weak-links, end to end: the four formats on the hand-checked
# graphs/weaklinks.json (answers in graphs/README.md), exit codes for bad
# options and bad input, atomic -o.
# Usage: test_weaklinks.sh CHENGYU SOURCE_DIR
set -u
bin=$1
src=$2
net=$src/graphs/weaklinks.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

expect_exit() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "exit $got (want $want): $*: $(head -c 300 "$tmp/err")"
}

check_json() {
  /usr/bin/python3 - "$1" "$2" <<'PY' || fail "json check failed: $2"
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("got:", json.dumps(d)[:800], file=sys.stderr)
    sys.exit(1)
PY
}

# JSON: exactly the keys docs/cli.md lists, in order, and the hand-checked values.
expect_exit 0 "$bin" weak-links --format json "$net"
cp "$tmp/out" "$tmp/report.json"
check_json "$tmp/report.json" 'list(d) == ["single_source","chokepoints","articulation_points","bridges","cascade_impact","park_impact","region_impact","concentration","local_supply","cross_region","recommendations","summary"]'
check_json "$tmp/report.json" '[(s["enterprise"], s["part"], s["supplier"], s["output_at_risk"]) for s in d["single_source"]] == [("bat1","cell","cell1",1710),("bat2","cell","cell1",1710),("chip1","wafer","wafer1",1070),("oem1","chip","chip1",1060),("oem2","battery","bat1",600),("oem2","seat","seat1",520)]'
check_json "$tmp/report.json" 'd["chokepoints"] == [{"oem":"oem1","enterprises":["cell1","chip1","wafer1"]},{"oem":"oem2","enterprises":["bat1","cell1","seat1"]}]'
check_json "$tmp/report.json" 'd["articulation_points"] == ["bat1","chip1","oem1","oem2"] and d["bridges"] == [["bat1","oem2"],["chip1","oem1"],["seat1","oem2"],["wafer1","chip1"]]'
check_json "$tmp/report.json" 'd["cascade_impact"][0] == {"id":"cell1","failed_count":5,"output_value_lost":1710} and len(d["cascade_impact"]) == 13'
check_json "$tmp/report.json" '[(p["park"], p["failed_count"], p["output_value_lost"]) for p in d["park_impact"]] == [("tf",6,1715),("lj",3,1080),("wsc",4,560)]'
check_json "$tmp/report.json" '[(r["region"], r["output_value_lost"]) for r in d["region_impact"]] == [("chengdu",1715),("chongqing",1640),("guangdong",1070)]'
check_json "$tmp/report.json" 'abs(d["concentration"][4]["hhi"] - 212500/302500) < 1e-15 and d["concentration"][4]["part"] == "battery"'
check_json "$tmp/report.json" 'd["cross_region"]["chengdu_to_chongqing"] == 320 and d["cross_region"]["chongqing_to_chengdu"] == 50'
check_json "$tmp/report.json" 'd["local_supply"]["circle_regions"] == ["chongqing","chengdu"] and d["local_supply"]["oems"][1]["own_region_share"] == 0.75'
check_json "$tmp/report.json" '[b["id"] for b in d["recommendations"][9]["backups"]] == ["seat2","seat4","seat3","seat5"]'
check_json "$tmp/report.json" 'd["recommendations"][0]["note"] == "none in the network" and d["summary"]["weak_link_count"] == 20'

# --top keeps the ranked lists short, the rest whole; the threshold is used.
expect_exit 0 "$bin" weak-links --format json --top 1 --threshold 0.5 "$net"
check_json "$tmp/out" 'len(d["single_source"]) == 1 and len(d["cascade_impact"]) == 1 and len(d["bridges"]) == 4 and d["summary"]["threshold"] == 0.5 and d["summary"]["single_source_pairs"] == 6'

# CSV: header + 20 rows, LF line ends.
expect_exit 0 "$bin" weak-links --format csv "$net"
[ "$(grep -c '' "$tmp/out")" -eq 21 ] || fail "csv: want 21 lines, got $(grep -c '' "$tmp/out")"
! grep -q $'\r' "$tmp/out" || fail "csv: a CR in the output"
head -1 "$tmp/out" | grep -q '^type,rank,severity,output_at_risk,failed_count,enterprise,' || fail "csv header"
/usr/bin/python3 - "$tmp/out" <<'PY' || fail "csv does not parse into 20 typed rows"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 20, len(rows)
assert {r["type"] for r in rows} == {"single_source", "chokepoint", "articulation_point", "bridge"}
assert rows[0]["enterprise"] == "bat1" and rows[0]["backups"] == "none in the network"
PY

# Markdown (default format), to a file.
expect_exit 0 "$bin" weak-links -o "$tmp/report.md" "$net"
grep -q '^## Single-source pairs (`single_source`)$' "$tmp/report.md" || fail "md: no single_source heading"
grep -q '^| oem2 | seat | seat1 | ¥50 | ¥520 |$' "$tmp/report.md" || fail "md: single-source row"

# Usage errors exit 2; bad input exits 1 and leaves an existing output alone.
expect_exit 2 "$bin" weak-links --format xml "$net"
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
