#!/usr/bin/env bash
# A workbook piped in (`chengyu CMD -` and a named pipe) is read like the
# file: the same info, validate and weak-links output as from the .xlsx
# path, errors placed at "<stdin>:SHEET!CELL (column ...)" for a workbook
# written by openpyxl with a bad number, and no temporary file left in
# TMPDIR.  Usage: test_stdin_workbook.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
fail() { echo "FAIL: $*" >&2; exit 1; }
export TMPDIR="$tmp/tmpdir"
mkdir "$TMPDIR"

book="$tmp/cc.xlsx"
"$bin" export -f xlsx -o "$book" "$src/data/chengdu-chongqing.json" || fail "export xlsx"
for cmd in "info" "validate" "weak-links -f json" "centrality -f csv"; do
  # shellcheck disable=SC2086
  "$bin" $cmd "$book" > "$tmp/file.out" 2>"$tmp/file.err" || fail "$cmd on the file"
  # shellcheck disable=SC2086
  "$bin" $cmd - < "$book" > "$tmp/pipe.out" 2>"$tmp/pipe.err" || fail "$cmd on stdin"
  # validate names its input; the rest must be byte for byte the same.
  if [ "$cmd" = validate ]; then
    grep -q "^ok: 102 enterprises, 318 links" "$tmp/pipe.out" || fail "validate -: $(cat "$tmp/pipe.out")"
  else
    cmp -s "$tmp/file.out" "$tmp/pipe.out" || fail "$cmd: stdin differs from the file"
  fi
done
# Through a named pipe too.
mkfifo "$tmp/fifo"
cat "$book" > "$tmp/fifo" &
"$bin" info "$tmp/fifo" > "$tmp/fifo.out" || fail "info on a named pipe"
wait
"$bin" info "$book" | cmp -s - "$tmp/fifo.out" || fail "named pipe differs from the file"

# A bad number in links!D3, written by an independent library.
/usr/bin/python3 - "$tmp/bad.xlsx" <<'PY' || fail "openpyxl"
import sys
from openpyxl import Workbook
wb = Workbook()
ws = wb.active
ws.title = "enterprises"
ws.append(["id", "name", "kind", "requires"])
ws.append(["oem", "OEM", "oem", "seat"])
ws.append(["s1", "Seat maker", "supplier", None])
ws.append(["s2", "Seat maker 2", "supplier", None])
links = wb.create_sheet("links")
links.append(["from", "to", "part", "volume"])
links.append(["s1", "oem", "seat", 10])
links.append(["s2", "oem", "seat", "lots"])
wb.save(sys.argv[1])
PY
"$bin" validate - < "$tmp/bad.xlsx" > /dev/null 2>"$tmp/err"
[ $? -eq 1 ] || fail "a bad workbook on stdin: want exit 1"
grep -q '<stdin>:links!D3 (column "volume")' "$tmp/err" || fail "place: $(cat "$tmp/err")"
"$bin" validate "$tmp/bad.xlsx" > /dev/null 2>"$tmp/err.file"
grep -q "bad.xlsx:links!D3 (column \"volume\")" "$tmp/err.file" || fail "file place: $(cat "$tmp/err.file")"
[ -z "$(ls -A "$TMPDIR")" ] || fail "left in TMPDIR: $(ls -A "$TMPDIR")"
echo ok
