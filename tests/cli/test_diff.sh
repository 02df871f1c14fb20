#!/usr/bin/env bash
# chengyu diff, end to end on the hand-checked pair graphs/diff-before.json
# and diff-after.json (graphs/README.md: the cell link moved from cell-a to
# cell-b, cell-b moved into the new park p2, the OEM's final demand 100 ->
# 120): every format, the same answer from an xlsx workbook and a CSV
# folder, exit codes, atomic -o.
# Usage: test_diff.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
graphs=$src/graphs

before=$graphs/diff-before.json
after=$graphs/diff-after.json

# CSV: one row per changed field, record added or removed, two per
# register row; register first, ranked by the size of the change.
expect_exit 0 "$bin" diff -q --format csv "$before" "$after"
[ "$(cat "$tmp/out")" = "section,change,id,to,part,field,old,new
register,new,cell-b,,,final_demand_lost,0.0,120.0
register,new,cell-b,,,failed_count,0,3
register,resolved,cell-a,,,final_demand_lost,100.0,0.0
register,resolved,cell-a,,,failed_count,3,0
register,changed,pack,,,final_demand_lost,100.0,120.0
register,changed,pack,,,failed_count,2,2
enterprises,changed,cell-b,,,park,,p2
enterprises,changed,oem,,,final_demand,100.0,120.0
links,added,cell-b,pack,cell,,,
links,removed,cell-a,pack,cell,,,
parks,added,p2,,,,," ] || fail "csv: $(cat "$tmp/out")"
[ ! -s "$tmp/err" ] || fail "-q printed: $(cat "$tmp/err")"

# JSON keys and values.
expect_exit 0 "$bin" diff --format json "$before" "$after"
check_json "$tmp/out" 'list(d) == ["old","new","threshold","summary","register","enterprises","links","parts","parks","clusters","regions"]'
check_json "$tmp/out" 'd["old"]["final_demand_total"] == 100 and d["new"]["final_demand_total"] == 120 and d["threshold"] == 0'
check_json "$tmp/out" 'd["summary"]["links"] == {"added": 1, "removed": 1, "changed": 0} and d["summary"]["register"] == {"new": 1, "resolved": 1, "changed": 1}'
check_json "$tmp/out" '[(r["change"], r["id"], r["final_demand_lost_change"], r["old_failed_count"], r["new_failed_count"]) for r in d["register"]] == [("new", "cell-b", 120, 0, 3), ("resolved", "cell-a", -100, 3, 0), ("changed", "pack", 20, 2, 2)]'
check_json "$tmp/out" '[(l["change"], l["from"], l["to"], l["part"]) for l in d["links"]] == [("added", "cell-b", "pack", "cell"), ("removed", "cell-a", "pack", "cell")]'
check_json "$tmp/out" 'd["enterprises"][0]["fields"] == [{"field": "park", "old": None, "new": "p2"}] and d["enterprises"][1]["fields"] == [{"field": "final_demand", "old": 100, "new": 120}]'
check_json "$tmp/out" 'd["parks"] == [{"change": "added", "id": "p2"}] and d["parts"] == [] and d["regions"] == []'

# Markdown (the default) and HTML: the tables, money as amounts.
expect_exit 0 "$bin" diff "$before" "$after"
grep -qF '| new | cell-b | cell-b | ¥0 | ¥120 | +¥120 | 0 | 3 |' "$tmp/out" || fail "md register: $(cat "$tmp/out")"
grep -qF '| changed | oem | final_demand | ¥100 | ¥120 |' "$tmp/out" || fail "md enterprises"
grep -qF '| removed | cell-a | pack | cell |' "$tmp/out" || fail "md links"
expect_exit 0 "$bin" diff -o "$tmp/diff.html" "$before" "$after"
grep -qF '<td>resolved</td><td>cell-a</td>' "$tmp/diff.html" || fail "html register"
if command -v xmllint >/dev/null; then
  xmllint --html --noout "$tmp/diff.html" 2>"$tmp/xml" || fail "html: $(head -3 "$tmp/xml")"
fi

# A network against itself: no difference, exit 0 all the same.
expect_exit 0 "$bin" diff --format json "$before" "$before"
check_json "$tmp/out" 'all(v == {"added": 0, "removed": 0, "changed": 0} or v == {"new": 0, "resolved": 0, "changed": 0} for v in d["summary"].values())'

# The same versions as an xlsx workbook and a CSV folder: the same answer.
expect_exit 0 "$bin" export -q --format xlsx -o "$tmp/before.xlsx" "$before"
mkdir "$tmp/after"
cat >"$tmp/after/regions.csv" <<'CSV'
id,name
cd,Chengdu
cq,Chongqing
CSV
cat >"$tmp/after/parks.csv" <<'CSV'
id,name,region
p1,Cell park,cd
p2,Battery park,cq
CSV
cat >"$tmp/after/enterprises.csv" <<'CSV'
id,kind,region,park,produces,final_demand
cell-a,supplier,,p1,cell,0
cell-b,supplier,cq,p2,cell,0
pack,supplier,cq,,battery,0
oem,oem,cq,,,120
CSV
cat >"$tmp/after/links.csv" <<'CSV'
from,to,part,volume
cell-b,pack,cell,30
pack,oem,battery,50
CSV
expect_exit 0 "$bin" diff -q --format csv "$before" "$after"
cp "$tmp/out" "$tmp/json.csv"
expect_exit 0 "$bin" diff -q --format csv "$tmp/before.xlsx" "$tmp/after"
cmp -s "$tmp/out" "$tmp/json.csv" || fail "xlsx and CSV folder: $(diff "$tmp/json.csv" "$tmp/out")"

# Errors: a missing or bad file exits 1, usage 2, nothing written.
echo previous >"$tmp/keep.md"
expect_exit 1 "$bin" diff -o "$tmp/keep.md" "$before" "$tmp/missing.json"
[ "$(cat "$tmp/keep.md")" = previous ] || fail "-o clobbered on failure"
expect_exit 2 "$bin" diff "$before"
expect_exit 2 "$bin" diff - -
expect_exit 2 "$bin" diff --format xlsx "$before" "$after"
expect_exit 2 "$bin" diff --threshold 2 "$before" "$after"
cp "$after" "$tmp/new.json"
expect_exit 2 "$bin" diff -o "$tmp/new.json" "$before" "$tmp/new.json"
cmp -s "$after" "$tmp/new.json" || fail "-o NEW overwrote NEW"
expect_exit 1 "$bin" diff -o "$before" "$before" "$after"
expect_exit 0 "$bin" diff -o "$tmp/keep.md" "$before" "$after"
head -1 "$tmp/keep.md" | grep -q '^# Changes: diff test: after$' || fail "-o content: $(head -1 "$tmp/keep.md")"

finish
