#!/usr/bin/env bash
# Spreadsheets in and out: workbooks written by openpyxl and CSV folders
# written by Python's csv module (UTF-8 and GB18030) import as the same
# network as the JSON; export --to xlsx and import give the JSON back;
# every kind of mistake is reported at its sheet and cell; hostile
# workbooks are refused with a clear message (never a crash: the suite also
# runs under ASan); the template imports as a valid network.
# Usage: test_sheets.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
py=/usr/bin/python3
write="$py $src/tests/cli/sheets_write.py"
compare="$py $src/tests/cli/sheets_compare.py"
curated=$src/data/chengdu-chongqing.json

if ! $py -c 'import openpyxl' 2>/dev/null; then
  echo "FAIL: python3-openpyxl is missing (bash scripts/deps.sh test)" >&2
  exit 1
fi

# same_network EXPECTED.json INPUT [import options]: import INPUT, compare.
same_network() {
  local expected=$1 input=$2; shift 2
  rm -f "$tmp/back.json"
  expect_exit 0 "$bin" import -q "$@" -o "$tmp/back.json" "$input"
  $compare "$expected" "$tmp/back.json" >"$tmp/cmp" 2>&1 ||
    fail "$input: not the same network as $expected: $(head -n 5 "$tmp/cmp")"
}

# ---- independent writers -> chengyu import -> the same network ----------
# Every variant on the curated dataset; the generated regional network
# (1,645 firms, 8,642 links) once as a workbook and once as CSV.
"$bin" generate --preset regional -o "$tmp/regional.json"
for variant in "" "--chinese" "--text-numbers --shuffle-columns" "--chinese --text-numbers"; do
  rm -rf "$tmp/t.xlsx" "$tmp/csv"
  # shellcheck disable=SC2086
  $write xlsx "$curated" "$tmp/t.xlsx" $variant || fail "openpyxl writer failed"
  same_network "$curated" "$tmp/t.xlsx"
  # shellcheck disable=SC2086
  $write csv "$curated" "$tmp/csv" $variant || fail "csv writer failed"
  same_network "$curated" "$tmp/csv"
done
rm -rf "$tmp/t.xlsx" "$tmp/csv"
$write xlsx "$tmp/regional.json" "$tmp/t.xlsx" --text-numbers --shuffle-columns
same_network "$tmp/regional.json" "$tmp/t.xlsx"
$write csv "$tmp/regional.json" "$tmp/csv" --chinese --encoding gb18030
same_network "$tmp/regional.json" "$tmp/csv"

# GB18030 (Excel's "CSV" on Chinese Windows): detected, converted, said.
rm -rf "$tmp/gb"
$write csv "$curated" "$tmp/gb" --chinese --encoding gb18030
same_network "$curated" "$tmp/gb"
expect_exit 0 "$bin" validate "$tmp/gb"
grep -q 'warning: .*gb/企业.csv: not UTF-8: read as GB18030' "$tmp/err" ||
  fail "no GB18030 note: $(head -n 2 "$tmp/err")"
same_network "$curated" "$tmp/gb" --encoding GB18030
expect_exit 0 "$bin" import --encoding GB18030 -o "$tmp/gb.json" "$tmp/gb"
grep -q 'GB18030' "$tmp/err" && fail "--encoding GB18030 still notes the detection"
expect_exit 1 "$bin" import --encoding utf-8 "$tmp/gb"
grep -q '/gb/.*\.csv:[0-9]*:[0-9]*: byte 0x[0-9a-f]* is not valid UTF-8' "$tmp/err" ||
  fail "--encoding utf-8 on GB18030: $(head -n 2 "$tmp/err")"
expect_exit 1 "$bin" import --encoding no-such-encoding "$tmp/gb"
grep -q 'unknown encoding "no-such-encoding"' "$tmp/err" || fail "unknown encoding: $(cat "$tmp/err")"

# ---- export --to xlsx -> import -> the same document ------------------------
# The fields of stress and final demand, a region outside the circle and the
# currency survive the round trip (they were once dropped without a word).
cat >"$tmp/fields.json" <<'JSON'
{"format":"chengyu/1","name":"n","currency":"EUR","regions":[{"id":"cq","inside":true},{"id":"far","inside":false}],
 "enterprises":[{"id":"car","kind":"oem","region":"cq","output_value":1000,"final_demand":900,"capacity":2000,"inventory_days":5,"recovery_days":30,"requires":["bat"]},
  {"id":"b1","kind":"supplier","region":"far","produces":["bat"],"capacity":500,"recovery_days":10}],
 "links":[{"from":"b1","to":"car","part":"bat","volume":100,"share":1}]}
JSON
expect_exit 0 "$bin" export --format xlsx -o "$tmp/fields.xlsx" "$tmp/fields.json"
expect_exit 0 "$bin" import -o "$tmp/fields-back.json" "$tmp/fields.xlsx"
$py -c 'import json, sys; a, b = (json.load(open(f)) for f in sys.argv[1:]); sys.exit(a != b)' \
  "$tmp/fields.json" "$tmp/fields-back.json" ||
  fail "final_demand, capacity, inventory_days, recovery_days, inside or currency lost: $(cat "$tmp/fields-back.json")"
for net in "$curated" "$tmp/regional.json"; do
  expect_exit 0 "$bin" export --to xlsx -o "$tmp/e.xlsx" "$net"
  same_network "$net" "$tmp/e.xlsx"
done
expect_exit 0 "$bin" export --format xlsx -o "$tmp/e.xlsx" "$curated"
# openpyxl reads what libxlsxwriter wrote: the sheets, numbers as numbers.
$py - "$tmp/e.xlsx" "$curated" <<'PY' || fail "openpyxl check of the exported workbook"
import json, sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
doc = json.load(open(sys.argv[2]))
assert book.sheetnames[:6] == ["enterprises", "links", "parks", "clusters", "regions",
                               "network"], book.sheetnames
ws = book["links"]
header = [c.value for c in ws[1]]
assert header == ["from", "to", "part", "volume", "share", "source", "meta"], header
rows = list(ws.iter_rows(min_row=2, values_only=True))
assert len(rows) == len(doc["links"])
for row, link in zip(rows, doc["links"]):
    assert row[0] == link["from"] and row[2] == link["part"]
    assert isinstance(row[3], (int, float)) and row[3] == link.get("volume", row[3])
assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
PY
# Numbers that need 17 digits, control characters and Excel's own escape
# syntax in names, separators inside list entries: all come back unchanged.
cat >"$tmp/odd.json" <<'EOF'
{"format": "chengyu/1", "name": "odd \u0001 names",
 "enterprises": [
  {"id": "a\u0001b", "name": "_x0041_ literal", "kind": "oem", "requires": ["p;1", "q、2", "r\\s"],
   "output_value": 0.30000000000000004, "meta": {"k": [1, "two"]}},
  {"id": "s", "kind": "supplier", "produces": ["p;1"], "requires": [], "meta": "plain note"},
  {"id": "t", "kind": "supplier", "meta": "123"}],
 "links": [{"from": "s", "to": "a\u0001b", "part": "p;1", "share": 0.3333333333333333, "volume": 1e300},
           {"from": "t", "to": "a\u0001b", "part": "q、2"},
           {"from": "t", "to": "a\u0001b", "part": "r\\s"}]}
EOF
expect_exit 0 "$bin" export --to xlsx -o "$tmp/odd.xlsx" "$tmp/odd.json"
same_network "$tmp/odd.json" "$tmp/odd.xlsx"
# A workbook input and its JSON give the same info.
"$bin" info "$curated" >"$tmp/info.json.txt" 2>/dev/null
"$bin" info "$tmp/e.xlsx" >"$tmp/info.xlsx.txt" 2>/dev/null
cmp -s "$tmp/info.json.txt" "$tmp/info.xlsx.txt" || fail "info differs between JSON and xlsx"

# ---- analysis results as workbooks --------------------------------------------
expect_exit 0 "$bin" centrality --measure degree,strength,pagerank --format xlsx -o "$tmp/c.xlsx" "$curated"
expect_exit 0 "$bin" centrality --measure degree,strength,pagerank --format csv -o "$tmp/c.csv" "$curated"
expect_exit 0 "$bin" cascade --each enterprise --format xlsx -o "$tmp/each.xlsx" "$curated"
expect_exit 0 "$bin" cascade --each enterprise --format csv -o "$tmp/each.csv" "$curated"
expect_exit 0 "$bin" cascade --each park --format xlsx -o "$tmp/parks.xlsx" "$curated"
$py - "$tmp" "$curated" <<'PY' || fail "openpyxl check of the centrality and cascade workbooks"
import csv, json, sys, openpyxl
tmp, doc = sys.argv[1], json.load(open(sys.argv[2]))
zh = {e["id"]: e.get("name_zh") for e in doc["enterprises"]}
output = sum(e.get("output_value", 0) for e in doc["enterprises"])
book = openpyxl.load_workbook(tmp + "/c.xlsx")
ws = book.worksheets[0]
assert [c.value for c in ws[1]] == ["rank", "id", "name_zh 中文名称", "name 名称", "kind 类型",
                                    "degree", "strength", "pagerank"]
rows = list(ws.iter_rows(min_row=2, values_only=True))
ref = list(csv.DictReader(open(tmp + "/c.csv", encoding="utf-8")))
assert len(rows) == len(ref) == len(doc["enterprises"])
for row, r in zip(rows, ref):
    assert row[1] == r["id"] and row[2] == zh[r["id"]], (row, r)
    for k, m in zip(range(5, 8), ["degree", "strength", "pagerank"]):
        assert isinstance(row[k], (int, float)), (m, row[k])
        assert abs(row[k] - float(r[m])) <= 1e-15 * max(1, abs(float(r[m]))), (m, row[k], r[m])
assert ws["G2"].number_format == "#,##0" and ws.freeze_panes == "A2" and ws.auto_filter.ref
book = openpyxl.load_workbook(tmp + "/each.xlsx")
assert book.sheetnames == ["enterprises", "about"]
ws = book["enterprises"]
rows = list(ws.iter_rows(min_row=2, values_only=True))
ref = list(csv.DictReader(open(tmp + "/each.csv", encoding="utf-8")))
assert len(rows) == len(ref)
head = [c.value for c in ws[1]]
assert head == ["rank", "id", "name_zh 中文名称", "name 名称", "final_demand_lost",
                "share_of_final_demand", "demand_nodes_failed", "failed_count",
                "output_value_lost", "share_of_output", "rounds"], head
for row, r in zip(rows, ref):
    assert row[1] == r["id"] and row[2] == zh[r["id"]] and row[7] == int(r["failed_count"])
    assert row[4] == float(r["final_demand_lost"]) and row[6] == int(r["demand_nodes_failed"])
    assert abs(row[5] - float(r["final_demand_lost_fraction"])) < 1e-15
    assert row[8] == float(r["output_value_lost"]) and row[10] == int(r["rounds"])
    assert abs(row[9] - float(r["output_value_lost"]) / output) < 1e-15
assert ws["F2"].number_format == "0.0%" and ws["E2"].number_format == "#,##0"
assert ws["J2"].number_format == "0.0%" and ws["I2"].number_format == "#,##0"
book = openpyxl.load_workbook(tmp + "/parks.xlsx")
ws = book["parks"]
members = {}
for e in doc["enterprises"]:
    if "park" in e:
        members[e["park"]] = members.get(e["park"], 0) + 1
for row in ws.iter_rows(min_row=2, values_only=True):
    assert row[3] == members.get(row[1], 0), row
PY
expect_exit 2 "$bin" cascade --fail changan --format xlsx -o "$tmp/x.xlsx" "$curated"

# ---- mistakes, each at its cell --------------------------------------------------
$py "$src/tests/cli/sheets_bad.py" "$tmp/bad" || fail "sheets_bad.py failed"
b=$tmp/bad
# expect_error NAME 'xlsx line' 'csv line': the first line of stderr of each.
expect_error() {
  expect_exit 1 "$bin" import -o "$tmp/never.json" "$b/$1.xlsx"
  grep -qxF "chengyu: $b/$1.xlsx$2" "$tmp/err" ||
    fail "$1.xlsx: want 'chengyu: $b/$1.xlsx$2', got: $(head -n 3 "$tmp/err")"
  expect_exit 1 "$bin" validate "$b/$1"
  grep -qxF "chengyu: $b/$1$3" "$tmp/err" ||
    fail "$1 (CSV): want 'chengyu: $b/$1$3', got: $(head -n 3 "$tmp/err")"
  [ -e "$tmp/never.json" ] && fail "$1: an output file was written"
}
expect_error unknown-kind \
  ':enterprises!C3 (column "kind"): unknown kind "suplier" (expected "oem", "supplier", "material" or "service")' \
  '/enterprises.csv:3:3 (column "kind"): unknown kind "suplier" (expected "oem", "supplier", "material" or "service")'
# A TRUE cell is named as Excel shows it, not as the "1" the file stores
# (Python's csv module writes it "True").
expect_error true-kind \
  ':enterprises!C3 (column "kind"): unknown kind "TRUE" (expected "oem", "supplier", "material" or "service")' \
  '/enterprises.csv:3:3 (column "kind"): unknown kind "True" (expected "oem", "supplier", "material" or "service")'
expect_error name-for-id \
  ':links!B2 (column "to"): unknown enterprise "Carmaker"; it is the name of enterprise "oem": give its id' \
  '/links.csv:2:2 (column "to"): unknown enterprise "Carmaker"; it is the name of enterprise "oem": give its id'
expect_error id-case ':links!A3 (column "from"): unknown enterprise "MAT"; did you mean "mat"?' \
  '/links.csv:3:1 (column "from"): unknown enterprise "MAT"; did you mean "mat"?'
expect_error missing-id ':enterprises!A4 (column "id"): missing required field "id"' \
  '/enterprises.csv:4:1 (column "id"): missing required field "id"'
# validate's JSON verdict: the workbook (or the folder's table) in "file",
# the sheet and cell (or line and column) in "path".
expect_exit 1 "$bin" validate -f json "$b/missing-id.xlsx"
check_json "$tmp/out" 'd["diagnostics"][0]["file"] == "'"$b"'/missing-id.xlsx" and d["diagnostics"][0]["path"] == "enterprises!A4 (column \"id\")"'
expect_exit 1 "$bin" validate -f json "$b/missing-id"
check_json "$tmp/out" 'd["diagnostics"][0]["file"] == "'"$b"'/missing-id/enterprises.csv" and d["diagnostics"][0]["path"] == "4:1 (column \"id\")"'
expect_error unknown-supplier ':links!A3 (column "from"): unknown enterprise "nobody"' \
  '/links.csv:3:1 (column "from"): unknown enterprise "nobody"'
expect_error bad-number \
  ':links!D2 (column "volume"): expected a number (such as 1234.5 or 1,234.5), got "12x4"' \
  '/links.csv:2:4 (column "volume"): expected a number (such as 1234.5 or 1,234.5), got "12x4"'
expect_error duplicate-id \
  ":enterprises!A4 (column \"id\"): duplicate id \"sup\" (first defined at $b/duplicate-id.xlsx:enterprises!A3 (column \"id\"))" \
  "/enterprises.csv:4:1 (column \"id\"): duplicate id \"sup\" (first defined at $b/duplicate-id/enterprises.csv:3:1 (column \"id\"))"
expect_error wrong-header ':enterprises!B1: unknown column "nmae" (did you mean "name"?)' \
  '/enterprises.csv:1:2: unknown column "nmae" (did you mean "name"?)'
expect_error missing-sheet \
  ': no sheet "links" (or "供应关系|链接"); the workbook has "enterprises", "link" (did you mean "link"?)' \
  ': no links.csv in this folder'
expect_error bad-grouping \
  ':links!E2 (column "share"): expected a number (such as 1234.5 or 1,234.5), got "1,5"' \
  '/links.csv:2:5 (column "share"): expected a number (such as 1234.5 or 1,234.5), got "1,5"'

# ---- table file names in any case (Windows does not tell case apart) ---------------
# bad-number's only mistake is links!D2; mend it and name the files as a
# Windows user might: the folder reads the same as with the usual names.
mkdir "$tmp/cases"
sed '2s/12x4/12/' "$b/bad-number/links.csv" > "$tmp/cases/LINKS.csv"
cp "$b/bad-number/enterprises.csv" "$tmp/cases/Enterprises.CSV"
mkdir "$tmp/usual"
cp "$tmp/cases/LINKS.csv" "$tmp/usual/links.csv"
cp "$b/bad-number/enterprises.csv" "$tmp/usual/enterprises.csv"
expect_exit 0 "$bin" import -q -o "$tmp/cases.json" "$tmp/cases"
expect_exit 0 "$bin" import -q -o "$tmp/usual.json" "$tmp/usual"
$py - "$tmp/cases.json" "$tmp/usual.json" <<'PY' || fail "file names in another case read differently"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("name"), b.pop("name")
assert a == b and len(a["links"]) > 0, (a, b)
PY
# Two files differing only in case: neither is guessed.
cp "$tmp/cases/LINKS.csv" "$tmp/cases/Links.csv"
expect_exit 1 "$bin" import -q -o "$tmp/never.json" "$tmp/cases"
grep -qF 'cases: two files hold the links: "LINKS.csv" and "Links.csv" (names differ only in case, or one is an alias): keep one' "$tmp/err" ||
  grep -qF 'cases: two files hold the links: "Links.csv" and "LINKS.csv" (names differ only in case, or one is an alias): keep one' "$tmp/err" ||
  fail "ambiguous case: $(cat "$tmp/err")"
[ ! -e "$tmp/never.json" ] || fail "an ambiguous folder wrote its output"
# A table and its alias (enterprises.csv and 企业.csv): neither is guessed.
mkdir -p "$tmp/alias"
cp "$tmp/usual/"*.csv "$tmp/alias/"
cp "$tmp/alias/enterprises.csv" "$tmp/alias/企业.csv"
expect_exit 1 "$bin" import -q -o "$tmp/never.json" "$tmp/alias"
grep -qF 'two files hold the enterprises: ' "$tmp/err" && grep -qF '"企业.csv"' "$tmp/err" ||
  fail "a table and its alias: $(cat "$tmp/err")"

# What is not a spreadsheet says why, as the other commands do.
expect_exit 1 "$bin" import "$tmp/no-such.xlsx"
grep -qF "no-such.xlsx: cannot open: No such file or directory" "$tmp/err" || fail "import missing: $(cat "$tmp/err")"
mkdir -p "$tmp/empty-folder"
expect_exit 1 "$bin" import "$tmp/empty-folder"
grep -qF "empty-folder: a folder without the tables of an import" "$tmp/err" || fail "import empty folder: $(cat "$tmp/err")"
expect_exit 1 "$bin" import /dev/null
grep -qF "/dev/null: not a regular file" "$tmp/err" || fail "import /dev/null: $(cat "$tmp/err")"

# ---- hostile workbooks: refused, exit 1, a clear message ---------------------------
# hostile NAME MESSAGE
hostile() {
  expect_exit 1 "$bin" validate "$b/$1.xlsx"
  grep -qF "$2" "$tmp/err" || fail "$1.xlsx: want '$2', got: $(head -n 3 "$tmp/err")"
}
hostile bomb "bomb.xlsx:enterprises: decompresses to more than 250 times its compressed size: refused as a zip bomb"
hostile wide "wide.xlsx:enterprises: a row has cells beyond column XFD, Excel's last"
hostile far "far.xlsx:enterprises: cell XFE1 is beyond column XFD, Excel's last"
hostile laughs "laughs.xlsx:xl/sharedStrings.xml: a document type declaration (DOCTYPE) is not allowed in a workbook"
hostile xxe "xxe.xlsx:xl/sharedStrings.xml: a document type declaration (DOCTYPE) is not allowed in a workbook"
hostile truncated "truncated.xlsx: not a readable .xlsx workbook (zip: "
hostile notxml "notxml.xlsx:enterprises: not valid XML: line 1, column 1: syntax error"
hostile badindex "badindex.xlsx:enterprises!A1: the cell points to a shared string that does not exist"
hostile formula "formula.xlsx:enterprises!C2: a formula with no stored result"
expect_exit 0 "$bin" import -q -o "$tmp/typedempty.json" "$b/typedempty.xlsx"
check_json "$tmp/typedempty.json" 'd["enterprises"] == [{"id": "solo", "kind": "oem"}]'
# The input limit counts what a workbook decompresses to.
CHENGYU_MAX_INPUT_BYTES=1000 "$bin" validate "$b/handmade.xlsx" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] && grep -qF "handmade.xlsx:enterprises: the workbook decompresses to more than the input limit of 1000 bytes" "$tmp/err" ||
  fail "input limit on a workbook: $(cat "$tmp/err")"
# The hand-built package: shared strings with rich-text runs and a phonetic
# run (ignored), inline strings.
expect_exit 0 "$bin" import -q -o "$tmp/hand.json" "$b/handmade.xlsx"
check_json "$tmp/hand.json" 'd["enterprises"] == [{"id": "solo", "kind": "oem"}] and d["links"] == [] and d["name"] == "handmade"'

# ---- texts longer than a cell holds ----------------------------------------------
# A report cuts a text past Excel's 32,767 characters and says so in the
# cell; export, whose workbook must give back what it was given, refuses
# it, naming the sheet and cell; neither leaves a file.  The name has
# 40,000 characters: 2 Chinese (3 bytes each, one character each), 5,000
# control characters (written as 7-character _x0001_ escapes, which the
# cut must not split) and 34,998 letters.
$py - "$curated" "$tmp/longname.json" <<'PY' || fail "writing the long-name network"
import json, sys
d = json.load(open(sys.argv[1]))
d["enterprises"][0]["name"] = "长安" + "\x01" * 5000 + "N" * 34998
json.dump(d, open(sys.argv[2], "w"))
PY
first=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["enterprises"][0]["id"])' "$curated")
rm -f "$tmp/long.xlsx"
expect_exit 1 "$bin" export -f xlsx -o "$tmp/long.xlsx" "$tmp/longname.json"
grep -qF 'sheet "enterprises", cell B2: a text of 40000 characters (70000 once its control characters are written as _xHHHH_), more than the 32,767 an Excel cell holds' "$tmp/err" ||
  fail "export of a 40,000-character name: $(cat "$tmp/err")"
[ ! -e "$tmp/long.xlsx" ] || fail "a refused export left $tmp/long.xlsx"
expect_exit 0 "$bin" centrality -m degree -f xlsx -o "$tmp/long.xlsx" "$tmp/longname.json"
$py - "$tmp/long.xlsx" "$first" <<'PY' || fail "openpyxl check of the cut name"
import re, sys, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
header = [str(c.value).split(" ")[0] for c in sheet[1]]
row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("id")] == sys.argv[2])
name = row[header.index("name")]
note = " ... [cut: 40000 characters in all, more than an Excel cell holds; the JSON output has the whole text]"
# openpyxl gives the _xHHHH_ escapes as they are stored.
assert name.endswith(note) and 32760 < len(name) <= 32767, (len(name), name[-200:])
kept = name[: -len(note)]
assert re.fullmatch(r"长安(_x0001_)+", kept), kept[-20:]
PY
# A literal "_xABCD_" is written "_x005F_xABCD_": whatever the cut, the
# kept text decodes (as Excel decodes it) to a start of the name.
for pre in 0 1 2 3 10; do
  $py - "$curated" "$tmp/underscore.json" "$pre" <<'PY' || fail "writing the underscore name"
import json, sys
d = json.load(open(sys.argv[1]))
d["enterprises"][0]["name"] = "N" * int(sys.argv[3]) + "_xABCD_" * 6000
json.dump(d, open(sys.argv[2], "w"))
PY
  expect_exit 0 "$bin" centrality -m degree -f xlsx -o "$tmp/long.xlsx" "$tmp/underscore.json"
  $py - "$tmp/long.xlsx" "$first" "$pre" <<'PY' || fail "cut of an escaped underscore, prefix $pre"
import re, sys, openpyxl
sheet = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
header = [str(c.value).split(" ")[0] for c in sheet[1]]
row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[header.index("id")] == sys.argv[2])
name = row[header.index("name")]
kept = name[: name.index(" ... [cut: ")]
shown = re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), kept)
want = "N" * int(sys.argv[3]) + "_xABCD_" * 6000
assert want.startswith(shown) and len(shown) > 4000, (len(shown), kept[-20:])
PY
done

# ---- dates and hidden sheets ---------------------------------------------------------
# Excel turns 7/1 typed into a days or yuan cell into a date, whose serial
# (45474) must not be read as a number; in a text column the date reads as
# Excel shows it.  A hidden sheet (last year's list under the table's
# name) is never read, and the message says why the table is missing.
$py - "$tmp" <<'PY' || fail "writing the date and hidden-sheet workbooks"
import datetime, sys, openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904
tmp = sys.argv[1]
def book(cell_format, value, column="output_value", epoch=None, hidden_links=False):
    wb = openpyxl.Workbook()
    if epoch:
        wb.epoch = epoch
    e = wb.active
    e.title = "enterprises"
    e.append(["id", "name", "kind", column])
    e.append(["oem", "Carmaker", "oem", 1000 if column == "source" else None])
    e.append(["sup", "Supplier", "supplier", value])
    e["D3"].number_format = cell_format
    # Numbers in formats that are not dates stay numbers.
    e["E1"], e["E2"], e["E3"] = "tier", 0, 1
    e["E3"].number_format = '[Red]"¥"#,##0;"(m/d)"0'
    l = wb.create_sheet("links" if not hidden_links else "links 2024")
    l.append(["from", "to", "part"])
    l.append(["sup", "oem", "seat"])
    if hidden_links:
        old = wb.create_sheet("供应关系")
        old.append(["from", "to", "part"])
        old.sheet_state = "hidden"
    return wb
book("m/d", datetime.datetime(2024, 7, 1)).save(tmp + "/date-custom.xlsx")
book("mm-dd-yy", datetime.datetime(2024, 7, 1)).save(tmp + "/date-builtin.xlsx")
book("h:mm", datetime.time(7, 0)).save(tmp + "/time.xlsx")
book("yyyy\"年\"m\"月\"d\"日\" h:mm", datetime.datetime(2024, 3, 15, 7, 30),
     column="source").save(tmp + "/date-text.xlsx")
book("yyyy-mm-dd", datetime.datetime(2024, 3, 15), column="source",
     epoch=CALENDAR_MAC_1904).save(tmp + "/date-1904.xlsx")
book("0", 500, hidden_links=True).save(tmp + "/hidden.xlsx")
wb = openpyxl.Workbook()
wb.active.title = "notes"
sc = wb.create_sheet("情景")
sc.append(["scenario", "action", "target"])
sc.append(["chip flood", "fail", "cd-chip-a"])
sc.sheet_state = "hidden"
wb.save(tmp + "/hidden-scenarios.xlsx")
# Stress data checked after the load: an output below the deliveries.
wb = openpyxl.Workbook()
e = wb.active
e.title = "企业"
e.append(["编号", "名称", "类型", "产值"])
e.append(["oem", "Carmaker", "oem", 1000])
e.append([])
e.append(["sup", "Supplier", "supplier", 100])
l = wb.create_sheet("供应关系")
l.append(["供应方", "采购方", "零部件", "金额"])
l.append(["sup", "oem", "seat", 500])
wb.save(tmp + "/stress-data.xlsx")
# A list typed with commas.
e.append(["sup2", "Foam maker", "supplier", 50])
e["E1"], e["E2"] = "需求", "seat,foam"
l.append(["sup2", "oem", "foam", 20])
wb.save(tmp + "/comma-list.xlsx")
# A title above the header; a unit in a header; a notes column.
def small(first_rows, header, links_header=("from", "to", "part")):
    wb = openpyxl.Workbook()
    e = wb.active
    e.title = "enterprises"
    for r in first_rows:
        e.append(r)
    e.append(header)
    e.append(["oem", "Carmaker", "oem", "kept: 1 plant"][:len(header)])
    e.append(["sup", "Supplier", "supplier", 42][:len(header)])
    l = wb.create_sheet("links")
    l.append(list(links_header))
    l.append(["sup", "oem", "seat"])
    return wb
small([["Key suppliers, Liangjiang 2024 (yuan)"]], ["id", "name", "kind"]).save(tmp + "/title.xlsx")
small([], ["id", "name", "kind", "output_value (10k yuan)"]).save(tmp + "/unit.xlsx")
small([], ["id", "name", "kind", "Notes"]).save(tmp + "/notes.xlsx")
PY
for f in date-custom date-builtin; do
  expect_exit 1 "$bin" validate "$tmp/$f.xlsx"
  grep -qF "$f.xlsx:enterprises!D3 (column \"output_value\"): expected a number, got a date or time cell \"2024-07-01\" (Excel turned what was typed into a date)" "$tmp/err" ||
    fail "$f: $(cat "$tmp/err")"
done
expect_exit 1 "$bin" validate "$tmp/time.xlsx"
grep -qF 'got a date or time cell "07:00"' "$tmp/err" || fail "time cell: $(cat "$tmp/err")"
expect_exit 0 "$bin" import -q -o "$tmp/date-text.json" "$tmp/date-text.xlsx"
check_json "$tmp/date-text.json" 'd["enterprises"][1]["source"] == "2024-03-15 07:30" and d["enterprises"][1]["tier"] == 1'
expect_exit 0 "$bin" import -q -o "$tmp/date-1904.json" "$tmp/date-1904.xlsx"
check_json "$tmp/date-1904.json" 'd["enterprises"][1]["source"] == "2024-03-15"'
expect_exit 1 "$bin" validate "$tmp/hidden.xlsx"
grep -qF 'hidden.xlsx: no sheet "links" (or "供应关系|链接"); the workbook has "enterprises", "links 2024", "供应关系" (hidden); sheet "供应关系" is hidden, and hidden sheets are not read: unhide it to read it' "$tmp/err" ||
  fail "hidden links sheet: $(cat "$tmp/err")"
# The stress data's problems, found after the load, at their cells too
# (the row after an empty one: 企业!D4, not $.enterprises[1]).
expect_exit 1 "$bin" stress --fail sup "$tmp/stress-data.xlsx"
grep -qF 'stress-data.xlsx:企业!D4 (column "产值"): enterprise "sup": output 100 is less than what it delivers' "$tmp/err" ||
  fail "stress data at its cell: $(cat "$tmp/err")"
expect_exit 1 "$bin" validate "$tmp/comma-list.xlsx"
grep -qxF "chengyu: warning: $tmp/comma-list.xlsx:企业!E2 (column \"需求\"): the entry \"seat,foam\" holds a comma, and lists are separated by \";\", \"；\" or \"、\": it is one entry" "$tmp/err" ||
  fail "a list typed with commas: $(cat "$tmp/err")"
expect_exit 1 "$bin" validate "$tmp/title.xlsx"
[ "$(wc -l <"$tmp/err")" -eq 1 ] &&
  grep -qxF "chengyu: $tmp/title.xlsx:enterprises!A1: \"Key suppliers, Liangjiang 2024 (yuan)\" is not a column name: the first row of a sheet is its header (id, kind, ...); delete the title above it" "$tmp/err" ||
  fail "a title above the header, said once: $(cat "$tmp/err")"
# The names in one cell (a CSV saved with semicolons): not a title.
mkdir -p "$tmp/semicolons"
printf 'id;name;kind\noem;Carmaker;oem\n' >"$tmp/semicolons/enterprises.csv"
printf 'from,to,part\n' >"$tmp/semicolons/links.csv"
expect_exit 1 "$bin" validate "$tmp/semicolons"
grep -qxF "chengyu: $tmp/semicolons/enterprises.csv:1:1: the header is one cell, \"id;name;kind\": its names are separated by \";\" or a tab, and each column needs its own (a CSV file separates them with \",\")" "$tmp/err" ||
  fail "a semicolon header: $(cat "$tmp/err")"
expect_exit 1 "$bin" validate "$tmp/unit.xlsx"
grep -qF 'enterprises!D1: unknown column "output_value (10k yuan)": a header carries no unit; name it "output_value" (output value (yuan per year)) and give the values in that unit' "$tmp/err" ||
  fail "a unit in a header: $(cat "$tmp/err")"
expect_exit 0 "$bin" import -q -o "$tmp/notes.json" "$tmp/notes.xlsx"
check_json "$tmp/notes.json" 'd["enterprises"][0]["meta"] == "kept: 1 plant" and d["enterprises"][1]["meta"] == 42'
# A hidden optional sheet: warned of, since its records' references fail.
$py - "$tmp/hidden.xlsx" "$tmp/hidden-parks.xlsx" <<'PY' || fail "writing the hidden parks workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb["links 2024"].title = "links"
p = wb.create_sheet("parks")
p.append(["id", "name"])
p.append(["p1", "Park one"])
p.sheet_state = "hidden"
wb.save(sys.argv[2])
PY
expect_exit 0 "$bin" validate "$tmp/hidden-parks.xlsx"
grep -qxF "chengyu: warning: $tmp/hidden-parks.xlsx: sheet \"parks\" is hidden, and hidden sheets are not read (unhide it to read its parks)" "$tmp/err" ||
  fail "hidden parks sheet: $(cat "$tmp/err")"
expect_exit 1 "$bin" scenarios "$curated" "$tmp/hidden-scenarios.xlsx"
grep -qF 'no sheet "scenarios" (or "情景"): sheet "情景" is hidden, and hidden sheets are not read: unhide it' "$tmp/err" ||
  fail "hidden scenario sheet: $(cat "$tmp/err")"

# ---- the template ------------------------------------------------------------------
expect_exit 0 "$bin" import --template "$tmp/template.xlsx"
$py - "$tmp/template.xlsx" <<'PY' || fail "openpyxl check of the template"
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
assert book.sheetnames == ["说明 README", "enterprises", "links", "parks", "clusters",
                           "regions", "network", "scenarios"], book.sheetnames
readme = [[c for c in row] for row in book["说明 README"].iter_rows(values_only=True)]
text = " ".join(str(c) for row in readme for c in row if c)
for word in ["类型", "kind", "统一社会信用代码", "供应方", "bill of materials"]:
    assert word in text, word
ents = book["enterprises"]
assert [c.value for c in ents[1]][:5] == ["id", "name", "name_zh", "uscc", "kind"]
assert ents.max_row == 3 and book["links"].max_row == 3
rules = ents.data_validations.dataValidation
assert any(r.type == "list" and "oem" in r.formula1 and "service" in r.formula1
           and str(r.sqref).startswith("E2") for r in rules), [(r.type, r.formula1, str(r.sqref)) for r in rules]
PY
expect_exit 0 "$bin" import -o "$tmp/template.json" "$tmp/template.xlsx"
check_json "$tmp/template.json" 'len(d["enterprises"]) == 2 and len(d["links"]) == 2 and d["parks"][0]["location"] == [106.55, 29.56] and d["links"][0]["share"] == 0.6'
expect_exit 2 "$bin" import --template "$tmp/x.xlsx" "$curated"

finish
