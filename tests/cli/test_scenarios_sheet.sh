#!/usr/bin/env bash
# Scenarios kept in a spreadsheet (a "scenarios" sheet, a scenarios.csv)
# and networks that can only be read once (standard input) or are
# workbooks: openpyxl and Python's csv module write the scenarios of
# graphs/scenarios-example.json as rows, and `chengyu scenarios` must give
# byte for byte the JSON file's answer; mistakes are reported at their
# sheet and cell, with nothing written.
# Usage: test_scenarios_sheet.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
py=/usr/bin/python3
graphs=$src/graphs
net=$graphs/scenarios-network.json
sc=$graphs/scenarios-example.json

if ! $py -c 'import openpyxl' 2>/dev/null; then
  echo "FAIL: python3-openpyxl is missing (bash scripts/deps.sh test)" >&2
  exit 1
fi

# rows.py SCENARIOS.json OUT MODE: the scenarios as one row per shock or
# mitigation, written independently of chengyu (MODE xlsx: English
# headers; zh-xlsx: Chinese headers and actions; gb18030: a CSV folder in
# GB18030 with Chinese headers; into:BOOK: a scenarios sheet added to BOOK).
cat >"$tmp/rows.py" <<'PY'
import csv, json, sys, openpyxl
doc = json.load(open(sys.argv[1]))
out, mode = sys.argv[2], sys.argv[3]
cols = ["scenario", "description", "action", "firms", "parks", "regions",
        "capacity_left", "days", "id", "kind", "region", "produces", "from", "to", "part"]
zh = {"scenario": "情景", "description": "情景说明", "action": "动作", "firms": "冲击企业",
      "parks": "冲击园区", "regions": "冲击地区", "capacity_left": "剩余产能", "days": "持续天数",
      "id": "编号", "kind": "类型", "region": "地区", "produces": "产品", "from": "供应方",
      "to": "采购方", "part": "零部件"}
zh_action = {"add_enterprise": "新增企业", "add_link": "新增供应关系", "remove_link": "删除供应关系"}
rows = []
for s in doc["scenarios"]:
    first = True
    items = [("shock", x) for x in s.get("shocks", [])] + \
            [(m["action"], m) for m in s.get("mitigations", [])]
    for action, item in items:
        row = dict.fromkeys(cols)
        if first:  # later rows leave the name blank: they continue it
            row["scenario"] = s["name"]
            row["description"] = s.get("description")
        first = False
        if action == "shock":
            for k in ("firms", "parks", "regions"):
                if k in item:
                    row[k] = "; ".join(item[k])
            for k in ("capacity_left", "days"):
                row[k] = item.get(k)
        else:
            row["action"] = zh_action[action] if mode != "xlsx" else action
            record = item.get("enterprise") or item.get("link") or item
            for k, v in record.items():
                if k in cols and k != "action":
                    row[k] = "、".join(v) if isinstance(v, list) else v
        rows.append(row)
heads = [zh[c] for c in cols] if mode != "xlsx" else cols
table = [heads] + [[r[c] for c in cols] for r in rows]
if mode == "gb18030":
    with open(out, "w", encoding="gb18030", newline="") as f:
        csv.writer(f).writerows([["" if v is None else v for v in r] for r in table])
else:
    if mode.startswith("into:"):
        wb = openpyxl.load_workbook(mode[5:])
        ws = wb.create_sheet("情景")
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "scenarios" if mode == "xlsx" else "情景"
    for r in table:
        ws.append(r)
    wb.save(out)
PY

expect_exit 0 "$bin" scenarios --format json "$net" "$sc"
cp "$tmp/out" "$tmp/want.json"
check_json "$tmp/want.json" 'len(d["scenarios"]) == 4'

# same ARGS...: scenarios --format json ARGS gives want.json.
same() {
  expect_exit 0 "$bin" scenarios --format json "$@"
  cmp -s "$tmp/out" "$tmp/want.json" || fail "not the JSON file's answer: $*: $(diff "$tmp/out" "$tmp/want.json" | head -5)"
}

$py "$tmp/rows.py" "$sc" "$tmp/sc.xlsx" xlsx || fail "openpyxl writer failed"
same "$net" "$tmp/sc.xlsx"
$py "$tmp/rows.py" "$sc" "$tmp/sc-zh.xlsx" zh-xlsx || fail "openpyxl writer failed"
same "$net" "$tmp/sc-zh.xlsx"
mkdir "$tmp/folder"
$py "$tmp/rows.py" "$sc" "$tmp/folder/scenarios.csv" gb18030 || fail "csv writer failed"
same "$net" "$tmp/folder"
same "$net" "$tmp/folder/scenarios.csv"

# The network as a workbook, piped in, or both; mitigations (the first two
# scenarios) need the network read a second time.
expect_exit 0 "$bin" export --format xlsx -o "$tmp/net.xlsx" "$net"
same "$tmp/net.xlsx" "$sc"
expect_exit 0 "$bin" scenarios --format json - "$sc" <"$net"
cmp -s "$tmp/out" "$tmp/want.json" || fail "JSON network on stdin"
expect_exit 0 "$bin" scenarios --format json - "$tmp/sc.xlsx" <"$tmp/net.xlsx"
cmp -s "$tmp/out" "$tmp/want.json" || fail "workbook network on stdin"
cat "$net" | "$bin" scenarios --format json - "$sc" >"$tmp/out" 2>"$tmp/err" || fail "pipe: $(cat "$tmp/err")"
cmp -s "$tmp/out" "$tmp/want.json" || fail "JSON network through a pipe"
# One workbook holding the network and its scenarios.
$py "$tmp/rows.py" "$sc" "$tmp/both.xlsx" "into:$tmp/net.xlsx" || fail "openpyxl writer failed"
same "$tmp/both.xlsx" "$tmp/both.xlsx"

# SCENARIOS read once: standard input, a pipe (a file that cannot be read
# twice is JSON); both operands on standard input is a usage error.
expect_exit 0 "$bin" scenarios --format json "$net" - <"$sc"
cmp -s "$tmp/out" "$tmp/want.json" || fail "scenarios on stdin"
cat "$sc" | "$bin" scenarios --format json "$net" /dev/stdin >"$tmp/out" 2>"$tmp/err" || fail "scenarios through a pipe: $(cat "$tmp/err")"
cmp -s "$tmp/out" "$tmp/want.json" || fail "scenarios through a pipe"
expect_exit 2 "$bin" scenarios - - <"$sc"

# The template's scenarios sheet runs on the template's own network: the
# battery maker stops the carmaker; a second BMS source removes that
# single-source pair, and the carmaker still stops (one power-battery
# supplier).
expect_exit 0 "$bin" import --template "$tmp/template.xlsx"
expect_exit 0 "$bin" scenarios --format json "$tmp/template.xlsx" "$tmp/template.xlsx"
check_json "$tmp/out" '[s["failed"] for s in d["scenarios"]] == [["example-battery", "example-carmaker"]] * 2 and d["scenarios"][0]["days"] == 30'
check_json "$tmp/out" 'd["scenarios"][0]["weak_links"] is None and d["scenarios"][1]["weak_links"]["single_source_removed"] == [{"customer": "example-carmaker", "part": "battery-management", "supplier": "example-battery"}] and d["scenarios"][1]["weak_links"]["register_removed"] == []'
$py - "$tmp/template.xlsx" <<'PY' || fail "template: the README sheet does not explain the scenarios sheet"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = [r for r in wb.worksheets[0].iter_rows(values_only=True) if r[0] == "scenarios"]
assert "scenarios" in wb.sheetnames and {r[1] for r in rows} >= {"scenario", "action", "firms", "days"}, rows
PY

# Mistakes, each at its cell; nothing written.
cat >"$tmp/bad.py" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "scenarios"
for r in [["scenario", "action", "firms", "capacity_left", "days", "id", "description"],
          ["a", None, "cell; cel", 1.5, -3, "x", "one"],
          [None, None, "seat", None, None, None, "one"],
          ["b", "move_enterprise", None, None, None, "seat"],
          ["c", "remove_lnk"]]:
    ws.append(r)
wb.save(sys.argv[1])
PY
$py "$tmp/bad.py" "$tmp/bad.xlsx"
expect_exit 1 "$bin" scenarios -o "$tmp/report.json" "$net" "$tmp/bad.xlsx"
[ -e "$tmp/report.json" ] && fail "a report was written for a bad sheet"
for want in \
  'bad.xlsx:scenarios!C2 (column "firms", entry 2): unknown enterprise "cel" (did you mean "cell"?)' \
  'bad.xlsx:scenarios!D2 (column "capacity_left"): "capacity_left" must be in [0, 1], got 1.5' \
  'bad.xlsx:scenarios!E2 (column "days"): "days" must be in [0, 1e+09], got -3' \
  'bad.xlsx:scenarios!F2 (column "id"): column "id" does not apply to this row'"'"'s action' \
  'bad.xlsx:scenarios!4:4: this row'"'"'s action needs a value in column "park"' \
  'bad.xlsx:scenarios!B5 (column "action"): unknown action "remove_lnk" (did you mean "remove_link"?)'; do
  grep -qF "$want" "$tmp/err" || fail "missing: $want; got: $(cat "$tmp/err")"
done

# Table mistakes: an unknown column, a bad number, a first row without a
# scenario, a workbook without the sheet.
printf 'scenario,action,firms,days,bogus,description\n,,cell,x,1,\na,,cell,,,one\na,,seat,,,two\n' >"$tmp/t.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/t.csv"
grep -qF 't.csv:1:5 (column "bogus"): unknown column "bogus"' "$tmp/err" || fail "unknown column: $(cat "$tmp/err")"
grep -qF 't.csv:2:4 (column "days"): expected a number' "$tmp/err" || fail "bad number: $(cat "$tmp/err")"
grep -qF 't.csv:2: the row names no scenario' "$tmp/err" || fail "no scenario: $(cat "$tmp/err")"
grep -qF 't.csv:4:6 (column "description"): a second, different description of the same scenario' "$tmp/err" || fail "two descriptions: $(cat "$tmp/err")"
expect_exit 1 "$bin" scenarios "$net" "$tmp/net.xlsx"
grep -qF 'net.xlsx: no sheet "scenarios" (or "情景")' "$tmp/err" || fail "no sheet: $(cat "$tmp/err")"
# A value under no header, a scenario's rows split by another's, an
# add_enterprise row without the record, a folder without the table.
printf 'scenario,firms, ,days\na,cell,,5,stray\nb,seat\na,pack\nc,,,\n' >"$tmp/u.csv"
printf 'scenario,action\nd,add_enterprise\n' >>"$tmp/u.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/u.csv"
grep -qF 'u.csv:2:5: a value in a column with no header' "$tmp/err" || fail "stray value: $(cat "$tmp/err")"
grep -qF 'u.csv:4:1 (column "scenario"): scenario "a" has rows above, with other scenarios'"'"' rows between' "$tmp/err" || fail "split scenario: $(cat "$tmp/err")"
printf 'scenario,action\nd,add_enterprise\n' >"$tmp/v.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/v.csv"
grep -qF "v.csv:2: an add_enterprise row needs the new enterprise's columns" "$tmp/err" || fail "add_enterprise without columns: $(cat "$tmp/err")"
mkdir "$tmp/nothing"
expect_exit 1 "$bin" scenarios "$net" "$tmp/nothing"
grep -qF 'nothing: no scenarios.csv (or 情景.csv) in this folder' "$tmp/err" || fail "empty folder: $(cat "$tmp/err")"
# Two scenario tables in a folder, or two scenario sheets in a workbook:
# neither is guessed (the directory's or the sheets' order would decide).
mkdir "$tmp/two"
cp "$tmp/folder/scenarios.csv" "$tmp/two/Scenarios.csv"
cp "$tmp/folder/scenarios.csv" "$tmp/two/情景.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/two"
grep -qF 'two: two files hold the scenarios: ' "$tmp/err" && grep -qF '"Scenarios.csv"' "$tmp/err" &&
  grep -qF '"情景.csv"' "$tmp/err" || fail "two scenario tables: $(cat "$tmp/err")"
$py - "$tmp/sc.xlsx" "$tmp/two.xlsx" <<'PY'
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
book.copy_worksheet(book["scenarios"]).title = "情景"
book.save(sys.argv[2])
PY
expect_exit 1 "$bin" scenarios "$net" "$tmp/two.xlsx"
grep -qF 'two.xlsx: two sheets hold the scenarios: "scenarios" and "情景": keep one' "$tmp/err" ||
  fail "two scenario sheets: $(cat "$tmp/err")"
# A formula openpyxl wrote has no stored result (an empty <v>): refused
# at its cell, not read as empty.
$py - "$tmp/formula.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "scenarios"
ws.append(["scenario", "firms", "days"]); ws.append(["a", "cell", "=10+5"])
wb.save(sys.argv[1])
PY
expect_exit 1 "$bin" scenarios "$net" "$tmp/formula.xlsx"
grep -qF 'formula.xlsx:scenarios!C2: a formula with no stored result' "$tmp/err" || fail "formula: $(cat "$tmp/err")"
# The mitigated network's own problem: at the row of the mitigation that
# changed the record (row 4), not at the scenario's first row.
printf 'scenario,action,firms,id,capacity,from,to,part,share\nq2,,cell,,,,,,\n,remove_link,,,,chip-b,oem,chip,\n,set_link,,,,cell,pack,cell,2\n' >"$tmp/m.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/m.csv"
grep -qF 'm.csv:4: the network after the mitigations: $.links[0].share: must be in (0, 1], got 2' "$tmp/err" || fail "mitigation row: $(cat "$tmp/err")"
printf 'scenario,action,firms,id,capacity\nq3,,cell,,\n,set_enterprise,,cell,-5\n' >"$tmp/m2.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/m2.csv"
grep -qF 'm2.csv:3: the network after the mitigations: $.enterprises[0].capacity' "$tmp/err" || fail "set_enterprise row: $(cat "$tmp/err")"
printf '' >"$tmp/empty.csv"
expect_exit 1 "$bin" scenarios "$net" "$tmp/empty.csv"
grep -qF 'the scenarios sheet is empty' "$tmp/err" || fail "empty sheet: $(cat "$tmp/err")"

finish
