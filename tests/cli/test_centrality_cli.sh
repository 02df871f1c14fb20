#!/usr/bin/env bash
# The `chengyu centrality` command: output formats and their defaults,
# --top, --by, exit codes, usage errors, atomic -o, write errors.
# Expected values are the hand-checked ones of graphs/README.md.
# usage: test_centrality_cli.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
set -o pipefail
graphs=$src/graphs
work=$tmp

# expect_exit CODE DESCRIPTION -- COMMAND...: run, keep stdout/stderr in
# $work/out and $work/err, check the exit status.
expect_exit() {
  local want=$1 what=$2
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit $got, want $want ($(head -c 300 "$work/err"))"
  fi
}

contains() { # FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(basename "$1"): $(head -c 300 "$1")"
}

# --- help and usage errors (exit 2) -------------------------------------
expect_exit 0 "--help" -- "$bin" centrality --help
contains "$work/out" "usage: chengyu centrality" "--help"
contains "$work/out" "--approx K" "--help lists options"

expect_exit 2 "unknown measure" -- "$bin" centrality -m degree,foo "$graphs/star.json"
contains "$work/err" "chengyu: centrality: --measure: unknown measure 'foo'" "unknown measure message"
expect_exit 2 "measure twice" -- "$bin" centrality -m hub,hub "$graphs/star.json"
contains "$work/err" "given twice" "measure twice message"
expect_exit 2 "bad --by" -- "$bin" centrality --by town "$graphs/star.json"
contains "$work/err" "--by expects one of park cluster region; got 'town'" "bad --by message"
expect_exit 2 "--top 0" -- "$bin" centrality --top 0 "$graphs/star.json"
expect_exit 2 "--top junk" -- "$bin" centrality --top 3x "$graphs/star.json"
expect_exit 2 "--approx negative" -- "$bin" centrality --approx -5 "$graphs/star.json"
expect_exit 2 "--seed junk" -- "$bin" centrality --seed x "$graphs/star.json"
expect_exit 2 "bad format" -- "$bin" centrality --format xml "$graphs/star.json"
contains "$work/err" "--format expects one of table csv json xlsx; got 'xml'" "bad format message"
expect_exit 2 "unknown option" -- "$bin" centrality --frobnicate "$graphs/star.json"
expect_exit 2 "no FILE" -- "$bin" centrality
expect_exit 2 "two FILEs" -- "$bin" centrality "$graphs/star.json" "$graphs/path5.json"

# --- bad input (exit 1) ---------------------------------------------------
expect_exit 1 "missing file" -- "$bin" centrality "$work/nope.json"
contains "$work/err" "chengyu: " "missing file message"
printf '{"format": "chengyu/1", "name": "x", "enterprises": [], "links": [' >"$work/cut.json"
expect_exit 1 "truncated file" -- "$bin" centrality "$work/cut.json"

# --- CSV (the default when standard output is not a terminal) ------------
expect_exit 0 "star default" -- "$bin" centrality "$graphs/star.json"
contains "$work/out" "id,name,kind,degree,betweenness,pagerank" "default csv header"
contains "$work/out" "h,hub,supplier,5,6.0,0.2701350675337669" "star hub row"
[ "$(wc -l <"$work/out")" -eq 7 ] || fail "star csv: want 7 lines, got $(wc -l <"$work/out")"
[ ! -s "$work/err" ] || fail "star: stderr not silent: $(cat "$work/err")"
# Rows stay in file order without --top.
[ "$(sed -n 2p "$work/out" | cut -d, -f1)" = h ] || fail "file order: first row not h"
[ "$(sed -n 3p "$work/out" | cut -d, -f1)" = s1 ] || fail "file order: second row not s1"

# --- --top: descending on the first measure, ties by id ------------------
expect_exit 0 "karate top" -- "$bin" centrality -u -m betweenness,degree --top 3 "$graphs/karate.json"
expected='id,name,kind,betweenness,degree
1,member 1,supplier,231.0714285714286,16
34,member 34,supplier,160.5515873015873,17
33,member 33,supplier,76.69047619047619,12'
[ "$(cat "$work/out")" = "$expected" ] || fail "karate --top 3: $(cat "$work/out")"
expect_exit 0 "star top ties" -- "$bin" centrality -m degree --top 4 "$graphs/star.json"
[ "$(cut -d, -f1 "$work/out" | tr '\n' ' ')" = "id h c1 c2 c3 " ] || fail "ties by id: $(cut -d, -f1 "$work/out" | tr '\n' ' ')"

# --- --by ----------------------------------------------------------------
expect_exit 0 "by park" -- "$bin" centrality --by park -m strength,betweenness,degree "$graphs/groups.json"
contains "$work/out" "p2,Park two,park,25.0,1.0,2" "park p2"
contains "$work/out" "p4,Empty park,park,0.0,0.0,0" "empty park"
expect_exit 0 "by cluster undirected" -- "$bin" centrality --by cluster -u -m degree,strength "$graphs/groups.json"
contains "$work/out" "c1,Cluster one,cluster,1,30.0" "cluster c1"

# --- weighted note on zero volumes ------------------------------------------
expect_exit 0 "weighted diamond" -- "$bin" centrality -w -m betweenness "$graphs/diamond.json"
contains "$work/out" "x,x,supplier,1" "weighted betweenness of x"
contains "$work/err" "chengyu: warning: 1 of 5 edges have volume 0" "zero-volume warning"

# --- JSON -------------------------------------------------------------------
expect_exit 0 "json" -- "$bin" centrality -f json -m degree,pagerank --approx 2 --seed 4 "$graphs/path5.json"
/usr/bin/python3 - "$work/out" <<'PY' || fail "json document"
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["graph", "measures", "rows"], list(doc)
g = doc["graph"]
assert g["view"] == "firm" and g["vertices"] == 5 and g["edges"] == 4, g
assert g["directed"] is True and g["weighted"] is False and g["seed"] == 4, g
assert g["betweenness_sources"] is None, g  # no betweenness asked for
assert doc["measures"] == ["degree", "pagerank"]
rows = doc["rows"]
assert [r["id"] for r in rows] == list("abcde")
assert list(rows[0]) == ["id", "name", "kind", "degree", "pagerank"], list(rows[0])
assert rows[2]["degree"] == 2 and isinstance(rows[2]["degree"], int)
assert abs(rows[0]["pagerank"] - 1 / 12.31775625) < 1e-12
PY

# --- -o: format from the extension, atomic, existing file kept on failure ---
expect_exit 0 "-o json" -- "$bin" centrality -o "$work/c.json" "$graphs/cycle.json"
/usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$work/c.json" || fail "-o x.json is not JSON"
expect_exit 0 "-o csv" -- "$bin" centrality -o "$work/c.csv" "$graphs/cycle.json"
contains "$work/c.csv" "id,name,kind,degree,betweenness,pagerank" "-o x.csv"
[ ! -s "$work/out" ] || fail "-o: standard output not empty"
cp "$work/c.csv" "$work/before.csv"
expect_exit 1 "-o failed run" -- "$bin" centrality -o "$work/c.csv" "$work/cut.json"
cmp -s "$work/c.csv" "$work/before.csv" || fail "failed run changed the existing output"
[ "$(ls "$work" | grep -c '^c\.csv.')" -eq 0 ] || fail "temporary file left behind: $(ls "$work")"
expect_exit 1 "-o missing dir" -- "$bin" centrality -o "$work/no/dir/c.csv" "$graphs/cycle.json"
expect_exit 1 "-o over input" -- "$bin" centrality -o "$graphs/cycle.json" "$graphs/cycle.json"

# --- standard output full ------------------------------------------------------
if [ -c /dev/full ]; then  # the device only: a redirect would create a file
  "$bin" centrality "$graphs/karate.json" >/dev/full 2>"$work/err"
  [ $? -eq 1 ] || fail "stdout to /dev/full: want exit 1"
  contains "$work/err" "chengyu: " "/dev/full message"
fi

# --- volumes of 1e200 and more ------------------------------------------------------
# HITS iterates on the squares of the weights: the spectral measures get the
# volumes divided by a power of two, and give what unit volumes give.
printf '%s' '{"format":"chengyu/1","name":"big","enterprises":[{"id":"a","kind":"supplier"},{"id":"b","kind":"supplier"},{"id":"c","kind":"supplier"},{"id":"d","kind":"oem"}],"links":[{"from":"a","to":"b","part":"p","volume":1e200},{"from":"b","to":"c","part":"q","volume":3e200},{"from":"a","to":"c","part":"q","volume":2e200},{"from":"c","to":"d","part":"r","volume":5e200}]}' >"$work/big.json"
sed 's/e200//g' "$work/big.json" >"$work/unit.json"
for m in hub authority pagerank; do
  for view in "" --undirected; do
    expect_exit 0 "--weighted -m $m $view, volumes 1e200" -- "$bin" centrality --weighted -m "$m" $view -f json "$work/big.json"
    mv "$work/out" "$work/big.out"
    expect_exit 0 "--weighted -m $m $view, unit volumes" -- "$bin" centrality --weighted -m "$m" $view -f json "$work/unit.json"
    /usr/bin/python3 - "$work/big.out" "$work/out" "$m" <<'PY' || fail "--weighted -m $m $view: 1e200 volumes give other scores"
import json, sys
big, unit, m = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
rows = lambda d: {r["id"]: r[m] for r in d["rows"]}
b, u = rows(big), rows(unit)
assert b.keys() == u.keys() and max(u.values()) > 0.1
assert all(abs(b[k] - u[k]) <= 1e-12 for k in b), (b, u)
PY
  done
done

# --- table --------------------------------------------------------------------
expect_exit 0 "table" -- "$bin" centrality -f table -m degree,pagerank "$graphs/star.json"
contains "$work/out" "id  name  kind      degree             pagerank" "table header"
contains "$work/out" "h   hub   supplier       5   0.2701350675337669" "table row"

if [ "$failures" -ne 0 ]; then
  echo "test_centrality_cli: $failures failure(s)" >&2
  exit 1
fi
echo "test_centrality_cli: ok"
