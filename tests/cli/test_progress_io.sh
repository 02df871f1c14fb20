#!/usr/bin/env bash
# Progress of the readers and writers: generate, import, export (every
# format) and diff show a bar on a terminal (a pty through script(1)),
# nothing on a pipe, and --max-seconds refuses a run estimated to take
# longer (exit 1, no output file).  The networks are small (the regional
# preset), so CHENGYU_PROGRESS_DELAY=0 makes the bar appear at once and the
# limits used are below every estimate.
# Usage: test_progress_io.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

net=$tmp/regional.json
expect_exit 0 "$bin" generate --preset regional --seed 1 -q -o "$net"
# The links of a second version: every volume doubled.
/usr/bin/python3 - "$net" "$tmp/regional2.json" <<'PY' || fail "could not make the second version"
import json, sys
d = json.load(open(sys.argv[1]))
for l in d["links"][:200]:
    l["volume"] *= 2
json.dump(d, open(sys.argv[2], "w"))
PY

# on_tty NAME CMD: run CMD on a pty with the bar at once; the pty's
# output in $tmp/tty.
on_tty() {
  CHENGYU_PROGRESS_DELAY=0 script -qfec "$1" /dev/null >"$tmp/tty" 2>&1
}
# bar_shown STEPS: a bar of one of the steps (an extended regex) was drawn.
bar_shown() {
  grep -Eq $'\r''chengyu: ('"$1"') \[#* *\] +[0-9]+%' "$tmp/tty"
}
# quiet_pipe WHAT: nothing on standard error of the last expect_exit.
quiet_pipe() {
  [ ! -s "$tmp/err" ] || fail "$1: pipe: printed: $(cat -A "$tmp/err" | head -c 300)"
}
# refused WHAT REGEX FILE: exit 1 was checked; the message matches and
# FILE was not written.
refused() {
  grep -Eq "$2" "$tmp/err" || fail "$1 --max-seconds: $(cat "$tmp/err")"
  [ ! -e "$3" ] || fail "$1 --max-seconds left $3"
}

# ---- generate: the model, then the records
on_tty "'$bin' generate --preset regional -o '$tmp/g1.json'"
bar_shown 'building the network|writing enterprises|writing links' ||
  fail "generate: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
CHENGYU_PROGRESS_DELAY=0 expect_exit 0 "$bin" generate --preset regional -o "$tmp/g2.json"
quiet_pipe generate
cmp -s "$tmp/g1.json" "$net" && cmp -s "$tmp/g2.json" "$net" ||
  fail "generate: the output changed with the progress"
rm -f "$tmp/g1.json" "$tmp/g2.json"
# The national preset's 200,000 firms, estimated before anything is built.
expect_exit 1 "$bin" generate --preset national --max-seconds 1 -o "$tmp/g3.json"
refused generate '^chengyu: generate: 200000 firms: about [0-9]+ s in all \(estimated before it starts\), more than --max-seconds 1: stopped$' \
  "$tmp/g3.json"
# An estimate under a second says so (was "about 1 s" for the 0.03 s of
# the dense preset's 800 firms).
expect_exit 1 "$bin" generate --preset dense --max-seconds 0.000001 -o "$tmp/g3.json"
refused generate '^chengyu: generate: 800 firms: under 1 s in all \(estimated before it starts\), more than --max-seconds 1e-06: stopped$' \
  "$tmp/g3.json"
expect_exit 0 "$bin" generate --preset regional --max-seconds 1000 -o "$tmp/g4.json"
cmp -s "$tmp/g4.json" "$net" || fail "generate --max-seconds 1000: another file"
rm -f "$tmp/g4.json"
expect_exit 2 "$bin" generate --preset regional --max-seconds -1

# ---- export: every format
formats=(csv graphml xlsx dot)
for f in "${formats[@]}"; do
  out=$tmp/ex.$f
  on_tty "'$bin' export -f $f '$net' -o '$out'"
  if [ "$f" = dot ]; then
    # cgraph reports nothing: the estimate made before it starts stays.
    grep -q $'\r''chengyu: writing DOT of 1645 firms, 8642 links: under 1 s (estimated before it starts)' "$tmp/tty" ||
      fail "export -f dot: terminal: no estimate: $(head -c 400 "$tmp/tty" | cat -A)"
  else
    bar_shown 'preparing attributes|reading the network|writing enterprises|writing links|writing sheet [a-z]+|packing the workbook' ||
      fail "export -f $f: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
  fi
  CHENGYU_PROGRESS_DELAY=0 expect_exit 0 "$bin" export -f $f "$net" -o "$tmp/pipe.$f"
  quiet_pipe "export -f $f"
  if [ "$f" = csv ]; then
    cmp -s "$tmp/ex.nodes.csv" "$tmp/pipe.nodes.csv" && cmp -s "$tmp/ex.edges.csv" "$tmp/pipe.edges.csv" ||
      fail "export -f csv: pipe and terminal outputs differ"
  elif [ "$f" != xlsx ]; then
    # (a workbook holds its time of writing)
    cmp -s "$out" "$tmp/pipe.$f" || fail "export -f $f: pipe and terminal outputs differ"
  fi
  rm -f "$tmp"/ex.* "$tmp"/pipe.*
  # Below the load's estimate (1.5 MB at 20 MB/s): stopped before loading.
  expect_exit 1 "$bin" export -f $f "$net" --max-seconds 0.001 -o "$out"
  refused "export -f $f" "^chengyu: export: loading .*regional.json: under 1 s for its $(size_text "$(stat -c %s "$net")") \\(at 20 MB/s\\), more than --max-seconds 0.001: stopped\$" "$out"
  [ -z "$(ls "$tmp" | grep '^ex\.')" ] || fail "export -f $f --max-seconds: left $(ls "$tmp")"
done
# Above the load's estimate and below the writing's: the workbook (about
# 1.4 s for 10,287 firms and links) and DOT (0.8 s) are refused after the
# load, before anything is written.
expect_exit 1 "$bin" export -f xlsx "$net" --max-seconds 0.3 -o "$tmp/ex.xlsx"
refused "export -f xlsx" '^chengyu: export: writing the workbook of 1645 firms, 8642 links: about [0-9]+ s in all \(estimated before it starts.*\), more than --max-seconds 0.3: stopped$' \
  "$tmp/ex.xlsx"
expect_exit 1 "$bin" export -f dot "$net" --max-seconds 0.3 -o "$tmp/ex.dot"
refused "export -f dot" '^chengyu: export: writing DOT of 1645 firms, 8642 links: (about [0-9]+ s|under 1 s) in all \(estimated before it starts.*\), more than --max-seconds 0.3: stopped$' \
  "$tmp/ex.dot"
expect_exit 0 "$bin" export -f graphml "$net" --max-seconds 1000 -o "$tmp/ex.graphml"
[ -s "$tmp/ex.graphml" ] && [ ! -s "$tmp/err" ] || fail "export --max-seconds 1000: $(cat "$tmp/err")"
# --with: the weak links' own bar comes first.
on_tty "'$bin' export -f graphml --with weak-links '$net' -o '$tmp/ex2.graphml'"
bar_shown 'weak links' || fail "export --with weak-links: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
bar_shown 'writing links' || fail "export --with weak-links: terminal: no writing bar: $(head -c 400 "$tmp/tty" | cat -A)"
rm -f "$tmp"/ex*

# ---- import: a workbook and a CSV folder
expect_exit 0 "$bin" export -f xlsx "$net" -o "$tmp/book.xlsx"
# The same network as a folder of CSV tables, one per record kind.
/usr/bin/python3 - "$net" "$tmp/tables" <<'PY' || fail "could not write the tables"
import csv, json, os, sys
d = json.load(open(sys.argv[1]))
os.mkdir(sys.argv[2])
for kind in ("regions", "clusters", "parks", "enterprises", "links"):
    rows = d.get(kind, [])
    keys = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(os.path.join(sys.argv[2], kind + ".csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(keys)
        for r in rows:
            w.writerow([";".join(r[k]) if isinstance(r.get(k), list) else
                        "true" if r.get(k) is True else "false" if r.get(k) is False else
                        r.get(k, "") for k in keys])
PY
for input in book.xlsx tables; do
  case $input in
  book.xlsx) steps='reading sheet (enterprises|links)|checking the network|writing JSON' ;;
  *) steps='reading (enterprises|links)\.csv|checking the network|writing JSON' ;;
  esac
  on_tty "'$bin' import '$tmp/$input' -o '$tmp/im1.json'"
  bar_shown "$steps" || fail "import $input: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
  # Not -q: on a pipe stderr gets the summary line and nothing else.
  CHENGYU_PROGRESS_DELAY=0 expect_exit 0 "$bin" import "$tmp/$input" -o "$tmp/im2.json"
  grep -q ': 1645 enterprises, 8642 links written to ' "$tmp/err" || fail "import $input: no summary: $(cat "$tmp/err")"
  sed -i '/: 1645 enterprises, 8642 links written to /d' "$tmp/err"
  quiet_pipe "import $input"
  cmp -s "$tmp/im1.json" "$tmp/im2.json" || fail "import $input: pipe and terminal outputs differ"
  rm -f "$tmp/im1.json" "$tmp/im2.json"
  # The size read is the workbook's, or the tables' (well under 1 MB:
  # in KB, not "0 MB").
  size=$(size_text "$(cat "$tmp/$input" "$tmp/$input"/*.csv 2>/dev/null | wc -c)")
  case $size in *' KB') ;; *) fail "import $input: the test expects a size in KB, not $size" ;; esac
  expect_exit 1 "$bin" import "$tmp/$input" --max-seconds 0.001 -o "$tmp/im3.json"
  refused "import $input" "^chengyu: import: reading $size: under 1 s in all \\(estimated before it starts\\), more than --max-seconds 0.001: stopped\$" \
    "$tmp/im3.json"
done
expect_exit 0 "$bin" import -q "$tmp/book.xlsx" --max-seconds 1000 -o "$tmp/im4.json"
[ -s "$tmp/im4.json" ] || fail "import --max-seconds 1000 wrote nothing"

# ---- diff: the two registers
on_tty "'$bin' diff '$net' '$tmp/regional2.json' -o '$tmp/d1.md'"
bar_shown 'weak links \((old|new)\)|comparing records' ||
  fail "diff: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
CHENGYU_PROGRESS_DELAY=0 expect_exit 0 "$bin" diff "$net" "$tmp/regional2.json" -o "$tmp/d2.md"
quiet_pipe diff
cmp -s "$tmp/d1.md" "$tmp/d2.md" || fail "diff: pipe and terminal outputs differ"
grep -q 'volume' "$tmp/d2.md" || fail "diff: the changed volumes are missing"
rm -f "$tmp/d1.md" "$tmp/d2.md"
# The first file's loading alone (1.5 MB at 20 MB/s) is over the limit.
expect_exit 1 "$bin" diff "$net" "$tmp/regional2.json" --max-seconds 0.001 -o "$tmp/d3.md"
refused diff "^chengyu: diff: loading .*regional.json: under 1 s for its $(size_text "$(stat -c %s "$net")") \\(at 20 MB/s\\), more than --max-seconds 0.001: stopped\$" \
  "$tmp/d3.md"
# Each file alone is under the limit, the two together over it: the
# refusal names both and their sum (11.5 MB each at 20 MB/s: 0.58 s, 1.15 s
# together; was one file's time).
for k in 1 2; do
  { cat "$net"; head -c 10000000 /dev/zero | tr '\0' ' '; } >"$tmp/big$k.json"
done
both=$(size_text $(( $(stat -c %s "$tmp/big1.json") + $(stat -c %s "$tmp/big2.json") )))
expect_exit 1 "$bin" diff "$tmp/big1.json" "$tmp/big2.json" --max-seconds 0.8 -o "$tmp/d3.md"
refused "diff of two files" "^chengyu: diff: loading .*big1.json and .*big2.json: about 1 s for their $both \\(at 20 MB/s\\), more than --max-seconds 0.8: stopped\$" \
  "$tmp/d3.md"
rm -f "$tmp/big1.json" "$tmp/big2.json"
expect_exit 0 "$bin" diff "$net" "$tmp/regional2.json" --max-seconds 1000 -o "$tmp/d4.md"
[ -s "$tmp/d4.md" ] && [ ! -s "$tmp/err" ] || fail "diff --max-seconds 1000: $(cat "$tmp/err")"

finish
