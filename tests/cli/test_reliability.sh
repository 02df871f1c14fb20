#!/usr/bin/env bash
# Regression tests of a hostile review's findings, command by command:
# a reader that goes away (SIGPIPE), .xlsx names and workbooks on a
# terminal, outputs that would sum past the largest double, the error
# count of `validate -f json`, and a CSV table that is not a file.
# Usage: test_reliability.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
good=$src/data/chengdu-chongqing.json

# ---- SIGPIPE: `chengyu ... | head -1` ends quietly with exit 1 -------------------
expect_exit 0 "$bin" generate --preset regional --no-stress-fields --seed 1 -q -o "$tmp/regional.json"
for what in "export -f graphml" "weak-links -f json"; do
  "$bin" $what "$tmp/regional.json" 2>"$tmp/err" | head -c 100 >/dev/null
  rc=${PIPESTATUS[0]}
  [ "$rc" -eq 1 ] || fail "$what | head: exit $rc (want 1)"
  [ ! -s "$tmp/err" ] || fail "$what | head: printed $(head -c 300 "$tmp/err")"
  # The same through -o /dev/stdout, written at the commit.
  (cd "$tmp" && "$bin" $what regional.json -o /dev/stdout 2>"$tmp/err" | head -c 100 >/dev/null
   exit "${PIPESTATUS[0]}")
  rc=$?
  [ "$rc" -eq 1 ] || fail "$what -o /dev/stdout | head: exit $rc (want 1)"
  [ ! -s "$tmp/err" ] || fail "$what -o /dev/stdout | head: printed $(head -c 300 "$tmp/err")"
done
[ "$(ls -A "$tmp")" = "$(printf 'err\nout\nregional.json')" ] || fail "files left: $(ls -A "$tmp")"
# A whole report read to its end is unaffected.
"$bin" export -f graphml "$tmp/regional.json" | cat >/dev/null
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "export | cat: exit ${PIPESTATUS[0]}"

# ---- a .xlsx name is a workbook; a workbook never goes to a terminal -------------
for case in "info -f json" "info" "weak-links -f json" "export -f csv" "cascade --each enterprise -f csv" \
            "centrality -m degree -f json" "import"; do
  expect_exit 2 "$bin" $case "$good" -o "$tmp/out.xlsx"
  grep -q "^chengyu: .*: -o '$tmp/out.xlsx': the name ends in .xlsx but the output is .*, not a workbook" "$tmp/err" ||
    fail "$case -o out.xlsx: $(head -c 300 "$tmp/err")"
  [ ! -e "$tmp/out.xlsx" ] || fail "$case -o out.xlsx: a file was written"
done
grep -q "(--format xlsx writes one)" "$tmp/err" && fail "import offers no xlsx: $(cat "$tmp/err")"
expect_exit 2 "$bin" export -f csv "$good" -o "$tmp/out.xlsx"
grep -q "the output is csv, not a workbook (--format xlsx writes one)" "$tmp/err" ||
  fail "export -f csv -o out.xlsx: $(cat "$tmp/err")"
expect_exit 2 "$bin" export -f csv "$good" -o "$tmp/OUT.XLSX"
grep -q "OUT.XLSX': the name ends in .xlsx but the output is csv, not a workbook" "$tmp/err" ||
  fail "export -f csv -o OUT.XLSX: $(cat "$tmp/err")"
for case in "export" "export -f xlsx" "cascade --each enterprise" "weak-links"; do
  expect_exit 0 "$bin" $case "$good" -o "$tmp/out.xlsx"
  [ "$(head -c 2 "$tmp/out.xlsx")" = PK ] || fail "$case -o out.xlsx: not a zip"
  rm -f "$tmp/out.xlsx"
done
script -qfec "'$bin' import --template -" /dev/null >"$tmp/tty" 2>&1
grep -q "chengyu: import: --template -: a workbook is not for a terminal" "$tmp/tty" ||
  fail "import --template - on a terminal: $(head -c 300 "$tmp/tty" | cat -A)"
! grep -q "PK" "$tmp/tty" || fail "import --template - wrote the workbook to a terminal"
"$bin" import --template - >"$tmp/template.xlsx" 2>"$tmp/err" || fail "import --template - to a file: $(cat "$tmp/err")"
[ "$(head -c 2 "$tmp/template.xlsx")" = PK ] || fail "import --template - to a file: not a zip"

# ---- outputs that would sum past the largest double --------------------------------
# s sells 1e308 outside and ships 1e308: its output (no output_value) is
# their sum, infinite.  In inf-sum, s sells 1e308 outside and t ships
# 1e308 to a: each output, and each total of the file, is finite, but the
# outputs sum to 2e308, so a cascade failing both would lose infinity.
cat >"$tmp/inf-one.json" <<'JSON'
{"format": "chengyu/1", "name": "one", "enterprises": [
 {"id": "s", "kind": "supplier", "produces": ["p"], "final_demand": 1e308},
 {"id": "a", "kind": "oem"}],
 "links": [{"from": "s", "to": "a", "part": "p", "volume": 1e308}]}
JSON
cat >"$tmp/inf-sum.json" <<'JSON'
{"format": "chengyu/1", "name": "sum", "enterprises": [
 {"id": "s", "kind": "oem", "final_demand": 1e308},
 {"id": "t", "kind": "supplier", "produces": ["q"]},
 {"id": "a", "kind": "oem"}],
 "links": [{"from": "t", "to": "a", "part": "q", "volume": 1e308}]}
JSON
expect_exit 1 "$bin" validate "$tmp/inf-one.json"
grep -qF "chengyu: $tmp/inf-one.json: \$.enterprises[0]: the output of \"s\" (the volumes of its outgoing links, 1e+308, plus its final demand, 1e+308) is more than 1.79769e+308, the largest number" "$tmp/err" ||
  fail "inf-one: $(cat "$tmp/err")"
for cmd in "info" "cascade --fail s"; do
  expect_exit 1 "$bin" $cmd "$tmp/inf-one.json"
done
expect_exit 1 "$bin" validate "$tmp/inf-sum.json"
grep -qF "chengyu: $tmp/inf-sum.json: \$.enterprises[1]: the outputs of the firms up to \"t\" sum to more than 1.79769e+308, the largest number: totals would be infinite" "$tmp/err" ||
  fail "inf-sum: $(cat "$tmp/err")"
# Half of each is accepted: the outputs sum to 1e308 (render sums the
# outputs of a group of firms, stress the output each firm must keep up).
sed 's/1e308/5e307/g' "$tmp/inf-sum.json" >"$tmp/half.json"
expect_exit 0 "$bin" validate "$tmp/half.json"

# ---- validate -f json: the error count and whether it is complete ------------------
/usr/bin/python3 - "$tmp/many.json" "$tmp/three.json" <<'PY'
import json, sys
def doc(bad):
    ents = [{"id": "e%d" % i, "kind": "nonsense" if i < bad else "oem"} for i in range(80)]
    return {"format": "chengyu/1", "name": "errors", "enterprises": ents, "links": []}
json.dump(doc(80), open(sys.argv[1], "w"))
json.dump(doc(3), open(sys.argv[2], "w"))
PY
expect_exit 1 "$bin" validate -f json "$tmp/many.json" -o "$tmp/many-verdict.json"
check_json "$tmp/many-verdict.json" 'd["error_count"] == 51 and d["error_count_complete"] is False and len(d["diagnostics"]) == 50'
expect_exit 1 "$bin" validate -f json "$tmp/three.json" -o "$tmp/three-verdict.json"
check_json "$tmp/three-verdict.json" 'd["error_count"] == 3 and d["error_count_complete"] is True and len(d["diagnostics"]) == 3'
expect_exit 0 "$bin" validate -f json "$good" -o "$tmp/good-verdict.json"
check_json "$tmp/good-verdict.json" 'd["error_count"] == 0 and d["error_count_complete"] is True'

# ---- a CSV table that is not a file: the reason, not a stale errno -----------------
mkdir -p "$tmp/tables/links.csv"
printf 'id,kind\nm,material\n' >"$tmp/tables/enterprises.csv"
expect_exit 1 "$bin" validate "$tmp/tables"
grep -qF "links.csv: cannot read: not a regular file" "$tmp/err" || fail "links.csv a folder: $(cat "$tmp/err")"
grep -q "No such file\|Success" "$tmp/err" && fail "links.csv a folder: a stale reason: $(cat "$tmp/err")"

finish
