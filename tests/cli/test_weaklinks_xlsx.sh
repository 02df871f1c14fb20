#!/usr/bin/env bash
# weak-links --format xlsx, read back with openpyxl (Debian's
# python3-openpyxl, independent of libxlsxwriter): the register is the
# first sheet and the about sheet the last; every sheet has a frozen header
# row and an autofilter; counts, yuan and fractions are numeric cells with
# their number formats; the register's and cascade_impact's values equal
# the JSON report's; each id column is followed by the firm's name_zh from
# the file; hostile names come back as the same text; the workbook is
# refused on a terminal and written atomically.
# Usage: test_weaklinks_xlsx.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
data=$src/data/chengdu-chongqing.json

expect_exit 0 "$bin" weak-links -f json -o "$tmp/report.json" "$data"
expect_exit 0 "$bin" weak-links -o "$tmp/report.xlsx" "$data"   # the extension picks xlsx
expect_exit 0 "$bin" weak-links -f xlsx -o - "$data"              # a pipe is no terminal
cmp -s "$tmp/out" "$tmp/report.xlsx" || true                      # (zip time stamps may differ)
head -c 2 "$tmp/out" | grep -q PK || fail "xlsx on a pipe is not a zip"

/usr/bin/python3 - "$data" "$tmp/report.json" "$tmp/report.xlsx" <<'PY' || fail "workbook differs from the JSON report"
import json, math, sys
import openpyxl
net = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
wb = openpyxl.load_workbook(sys.argv[3])
zh = {e["id"]: e.get("name_zh") for e in net["enterprises"]}
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
check(wb.sheetnames[0] == "register", "first sheet %s" % wb.sheetnames[0])
check(wb.sheetnames[-1] == "about", "last sheet %s" % wb.sheetnames[-1])
for name in ("cascade_impact", "single_source", "recommendations", "outside_chokepoints"):
    check(name in wb.sheetnames, "no sheet " + name)
for ws in wb.worksheets[:-1]:
    check(ws.freeze_panes == "A2", "%s: header not frozen (%s)" % (ws.title, ws.freeze_panes))
    check(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), "%s: no autofilter" % ws.title)
ws = wb["register"]
header = [c.value for c in ws[1]]
check(header[:3] == ["#", "firm", "name_zh 中文名称"], "register header %s" % header)
col = {h: k for k, h in enumerate(header)}
rows = list(ws.iter_rows(min_row=2, values_only=True))
check(len(rows) == len(rep["register"]), "register rows %d, JSON %d" % (len(rows), len(rep["register"])))
def close(a, b):
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, rel_tol=1e-12))
for k, (row, want) in enumerate(zip(rows, rep["register"])):
    got = (row[col["#"]], row[col["firm"]], row[col["name_zh 中文名称"]],
           row[col["final demand lost"]], row[col["share"]],
           row[col["demand nodes failed"]], row[col["firms failed"]])
    exp = (k + 1, want["id"], zh[want["id"]], want["final_demand_lost"],
           want["final_demand_lost_fraction"], want["demand_nodes_failed"], want["failed_count"])
    if not all(close(float(a), float(b)) if isinstance(b, (int, float)) and not isinstance(b, bool)
               else a == b for a, b in zip(got, exp)):
        problems.append("register row %d: %s, want %s" % (k + 1, got, exp))
        break
    for v in got[3:]:
        if not isinstance(v, (int, float)):
            problems.append("register row %d: %r is not a number" % (k + 1, v))
cells = ws[2]
fmt = {header[k]: cells[k].number_format for k in range(len(header))}
check(fmt["final demand lost"] == "#,##0", "yuan format %s" % fmt["final demand lost"])
check(fmt["share"] == "0.0%", "percent format %s" % fmt["share"])
check(fmt["firms failed"] == "#,##0", "count format %s" % fmt["firms failed"])
ws = wb["cascade_impact"]
header = [c.value for c in ws[1]]
rows = list(ws.iter_rows(min_row=2, values_only=True))
check(len(rows) == len(rep["cascade_impact"]), "cascade_impact rows")
lost = header.index("final demand lost")
for row, want in zip(rows, rep["cascade_impact"]):
    if row[1] != want["id"] or not close(float(row[lost]), float(want["final_demand_lost"])):
        problems.append("cascade_impact %s: %s" % (want["id"], row))
        break
about = [r[0] for r in wb["about"].iter_rows(min_row=2, values_only=True)]
check(any("Demand rule" in (a or "") for a in about), "about lacks the demand rule")
for p in problems[:10]:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# Hostile names and ids: the cells give back the same text.
/usr/bin/python3 - "$tmp/hostile.json" <<'PY'
import json, sys
ids = ["=cmd|' /C calc'!A0", "a\u0001b", "_x0041_", "<b>&amp;"]
net = {"format": "chengyu/1", "name": "hostile",
       "enterprises": [{"id": i, "name_zh": "名" + i, "kind": "supplier"} for i in ids] +
                      [{"id": "car", "kind": "oem", "final_demand": 100}],
       "links": [{"from": ids[k], "to": ids[k + 1], "part": "p%d" % k} for k in range(3)] +
                [{"from": ids[3], "to": "car", "part": "q"}]}
json.dump(net, open(sys.argv[1], "w"))
PY
expect_exit 0 "$bin" weak-links -f xlsx -o "$tmp/hostile.xlsx" "$tmp/hostile.json"
/usr/bin/python3 - "$tmp/hostile.xlsx" <<'PY' || fail "hostile ids do not come back as text"
import re, sys, openpyxl
# OOXML escapes a character XML cannot carry as _xHHHH_ (and a literal
# "_x" as _x005F_x); Excel decodes them, this openpyxl does not.
def ooxml(s):
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), s) if s else s
ws = openpyxl.load_workbook(sys.argv[1])["register"]
got = {ooxml(r[1]): ooxml(r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}
want = ["=cmd|' /C calc'!A0", "a\u0001b", "_x0041_", "<b>&amp;"]
ok = all(got.get(i) == "名" + i for i in want)
types = {c.data_type for row in ws.iter_rows(min_row=2) for c in row[1:3]}
if not ok or "f" in types:
    print("got", got, types, file=sys.stderr)
    sys.exit(1)
PY

# A failed run leaves an existing workbook as it was.
cp "$tmp/report.xlsx" "$tmp/before.xlsx"
echo '{"format":"chengyu/1","name":"bad","enterprises":[{"id":"a"}],"links":[]}' >"$tmp/bad.json"
expect_exit 1 "$bin" weak-links -o "$tmp/report.xlsx" "$tmp/bad.json"
cmp -s "$tmp/report.xlsx" "$tmp/before.xlsx" || fail "a failed run changed the workbook"
# Binary to a terminal is refused (usage error), as for centrality.
if command -v script >/dev/null; then
  script -qfec "'$bin' weak-links -f xlsx '$data'" /dev/null >"$tmp/tty" 2>&1
  grep -q -- "--format xlsx needs -o FILE.xlsx" "$tmp/tty" || fail "xlsx to a terminal not refused: $(head -c 200 "$tmp/tty")"
fi
finish
