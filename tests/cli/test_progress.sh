#!/usr/bin/env bash
# Progress of long runs: a bar with the time left on a terminal (a pty
# through script(1)), nothing but a one-line estimate on a pipe, nothing
# with -q; --max-seconds stops a run estimated to take longer, before any
# output is written.  The long run is a random attack with 1,000,000
# trials on the regional preset (about an hour: every estimate is far
# above the limits used here, on any machine).
# Usage: test_progress.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

net=$tmp/regional.json
expect_exit 0 "$bin" generate --preset regional --no-stress-fields --seed 1 -q -o "$net"
long=(resilience --trials 1000000 "$net")

# --max-seconds: stopped with exit 1 within seconds, nothing written.
start=$SECONDS
expect_exit 1 "$bin" "${long[@]}" --max-seconds 3 -o "$tmp/curve.csv"
[ $((SECONDS - start)) -lt 60 ] || fail "--max-seconds 3 took $((SECONDS - start)) s"
grep -q '^chengyu: resilience: random: about .* in all (estimated after .*), more than --max-seconds 3: stopped$' "$tmp/err" ||
  fail "--max-seconds message: $(cat "$tmp/err")"
[ ! -e "$tmp/curve.csv" ] || fail "--max-seconds left an output file"
[ -z "$(ls -A "$tmp" | grep -v '^regional.json$\|^out$\|^err$')" ] || fail "stray files: $(ls -A "$tmp")"
# A limit above the estimate lets a short run finish.
expect_exit 0 "$bin" resilience --trials 20 --max-seconds 1000 "$net" -o "$tmp/curve.csv"
[ "$(wc -l <"$tmp/curve.csv")" -eq 102 ] || fail "short run with --max-seconds: $(wc -l <"$tmp/curve.csv") lines"
[ ! -s "$tmp/err" ] || fail "short run printed: $(cat "$tmp/err")"
expect_exit 2 "$bin" resilience --max-seconds -1 "$net"
expect_exit 0 "$bin" centrality --max-seconds 1000 -m degree "$net" -o "$tmp/c.csv"
expect_exit 2 "$bin" centrality --max-seconds x "$net"

# On a pipe, without a limit: the estimate once, no bar (no carriage return).
timeout 6 "$bin" "${long[@]}" -o "$tmp/curve2.csv" >"$tmp/out" 2>"$tmp/err"
[ "$(grep -c 'note: resilience: random: about .* in all (estimated after' "$tmp/err")" -eq 1 ] ||
  fail "pipe: the estimate once: $(cat "$tmp/err")"
! grep -q $'\r' "$tmp/err" || fail "pipe: a progress bar on a pipe"
[ ! -e "$tmp/curve2.csv" ] || fail "an interrupted run left its output"

# On a terminal: the bar, with the percentage and the time left.
timeout 6 script -qfec "'$bin' resilience --trials 1000000 '$net' -o '$tmp/curve3.csv'" /dev/null \
  >"$tmp/tty" 2>&1
grep -q $'\rchengyu: random \[ *#* *\] .*%, about .* left' "$tmp/tty" ||
  fail "terminal: no bar with the time left: $(head -c 400 "$tmp/tty" | cat -A)"
# -q: nothing at all, and still stopped by the limit.
script -qfec "'$bin' resilience -q --trials 1000000 --max-seconds 3 '$net' -o '$tmp/curve4.csv'" /dev/null \
  >"$tmp/tty" 2>&1
! grep -q $'\r''chengyu: random\|note:' "$tmp/tty" || fail "-q: progress printed: $(head -c 400 "$tmp/tty" | cat -A)"
grep -q 'more than --max-seconds 3: stopped' "$tmp/tty" || fail "-q: not stopped: $(cat -A "$tmp/tty")"
# A quick run on a terminal prints nothing.
script -qfec "'$bin' resilience --trials 2 '$net' -o '$tmp/curve5.csv'" /dev/null >"$tmp/tty" 2>&1
[ ! -s "$tmp/tty" ] || fail "quick run on a terminal printed: $(cat -A "$tmp/tty")"

# ---- every single failure: cascade --each, resilience --structure, weak-links
# A 20,000-firm chain takes well under a second, so CHENGYU_PROGRESS_DELAY=0
# lets the bar show at once; --max-seconds 0.001 is below any estimate.
chain=$tmp/chain.json
/usr/bin/python3 "$src/bench/shapes/make_shape.py" chain 20000 "$chain" ||
  fail "could not make the chain"
singles=("cascade --each enterprise" "resilience --structure" "weak-links")
stages=("single failures" "single failures" "weak links")
commands=(cascade resilience weak-links)
for k in 0 1 2; do
  what=${singles[$k]}
  # On a terminal: the bar (the percentage; the time left once estimated).
  CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' $what '$chain' -o '$tmp/single.out'" /dev/null \
    >"$tmp/tty" 2>&1
  grep -q $'\rchengyu: '"${stages[$k]}"' \[#* *\] .*%' "$tmp/tty" ||
    fail "$what: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
  [ -s "$tmp/single.out" ] || fail "$what: terminal: no output"
  # On a pipe: nothing at all.
  CHENGYU_PROGRESS_DELAY=0 "$bin" $what "$chain" -o "$tmp/single2.out" >"$tmp/out" 2>"$tmp/err"
  [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] || fail "$what: pipe: printed: $(cat -A "$tmp/err" | head -c 300)"
  cmp -s "$tmp/single.out" "$tmp/single2.out" || fail "$what: pipe and terminal outputs differ"
  # --max-seconds below the estimate of loading the file (3.9 MB at
  # 20 MB/s): exit 1 before it is loaded, nothing written.
  rm -f "$tmp/single.out"
  expect_exit 1 "$bin" $what "$chain" --max-seconds 0.001 -o "$tmp/single.out"
  grep -q "^chengyu: ${commands[$k]}: loading .*chain.json: under 1 s for its $(size_text "$(stat -c %s "$chain")") (at 20 MB/s), more than --max-seconds 0.001: stopped$" "$tmp/err" ||
    fail "$what --max-seconds: $(cat "$tmp/err")"
  [ ! -e "$tmp/single.out" ] || fail "$what --max-seconds wrote its output"
  rm -f "$tmp/single2.out"
  # ... and above it, the same report.
  expect_exit 0 "$bin" $what "$chain" --max-seconds 1000 -o "$tmp/single3.out"
  [ -s "$tmp/single3.out" ] && [ ! -s "$tmp/err" ] || fail "$what --max-seconds 1000: $(cat "$tmp/err")"
  rm -f "$tmp/single3.out"
done
[ -z "$(ls -A "$tmp" | grep -v '^regional.json$\|^chain.json$\|^out$\|^err$\|^tty$\|^curve\|^c.csv$')" ] ||
  fail "stray files: $(ls -A "$tmp")"
expect_exit 2 "$bin" cascade --fail c0 --max-seconds 5 "$chain"
grep -q "max-seconds needs --each" "$tmp/err" || fail "cascade --fail --max-seconds: $(cat "$tmp/err")"

# The writing is part of the estimate: the full JSON report of 20,000
# firms is about 140 MB (6,900 bytes a firm at 25 MB/s: 5.5 s), over a
# limit of 2 s that the computation alone stays under.
expect_exit 1 "$bin" weak-links "$chain" -f json --max-seconds 2 -o "$tmp/wl.json"
grep -q "^chengyu: weak-links: weak links: about .* in all (estimated after .*about 6 s to write), more than --max-seconds 2: stopped$" "$tmp/err" ||
  fail "weak-links -f json --max-seconds 2: $(cat "$tmp/err")"
[ ! -e "$tmp/wl.json" ] || fail "weak-links --max-seconds 2 wrote its output"

# A step named as its command is named once (was "stress: stress: about").
expect_exit 1 "$bin" stress --each enterprise "$tmp/regional.json" --max-seconds 0.001 -o "$tmp/st.csv"
grep -Eq "^chengyu: stress: disruptions: (about .*|under 1 s) in all \\(estimated after .*\\), more than --max-seconds 0.001: stopped$" "$tmp/err" ||
  fail "stress --max-seconds: $(cat "$tmp/err")"
[ ! -e "$tmp/st.csv" ] || fail "stress --max-seconds wrote its output"

# ---- cascade --each park and region: the bar, nothing on a pipe, the limit
gen=$tmp/regional.json
for kind in park region; do
  CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' cascade --each $kind '$gen' -o '$tmp/each.csv'" /dev/null \
    >"$tmp/tty" 2>&1
  grep -q $'\rchengyu: '"$kind"' failures \[#* *\] .*%' "$tmp/tty" ||
    fail "cascade --each $kind: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
  CHENGYU_PROGRESS_DELAY=0 "$bin" cascade --each $kind "$gen" -o "$tmp/each2.csv" >"$tmp/out" 2>"$tmp/err"
  [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] || fail "cascade --each $kind: pipe: printed: $(cat -A "$tmp/err" | head -c 300)"
  cmp -s "$tmp/each.csv" "$tmp/each2.csv" || fail "cascade --each $kind: pipe and terminal outputs differ"
  rm -f "$tmp/each.csv" "$tmp/each2.csv"
  expect_exit 1 "$bin" cascade --each $kind "$gen" --max-seconds 0.001 -o "$tmp/each.csv"
  grep -q "^chengyu: cascade: loading .*: under 1 s for its $(size_text "$(stat -c %s "$gen")") (at 20 MB/s), more than --max-seconds 0.001: stopped$" "$tmp/err" ||
    fail "cascade --each $kind --max-seconds 0.001: $(cat "$tmp/err")"
  [ ! -e "$tmp/each.csv" ] || fail "cascade --each $kind --max-seconds wrote its output"
  expect_exit 0 "$bin" cascade --each $kind "$gen" --max-seconds 1000 -o "$tmp/each.csv"
  [ -s "$tmp/each.csv" ] && [ ! -s "$tmp/err" ] || fail "cascade --each $kind --max-seconds 1000: $(cat "$tmp/err")"
  rm -f "$tmp/each.csv"
done

# ---- render: the weak links' bar; the layout estimated before it starts
# The chain's weak links, on a terminal (the diagram is aggregated).
CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' render --highlight weak-links '$chain' -f dot -o '$tmp/r.dot'" \
  /dev/null >"$tmp/tty" 2>&1
grep -q $'\rchengyu: weak links \[#* *\] .*%' "$tmp/tty" ||
  fail "render --highlight weak-links: terminal: no bar: $(head -c 400 "$tmp/tty" | cat -A)"
[ -s "$tmp/r.dot" ] || fail "render --highlight weak-links: no output"
CHENGYU_PROGRESS_DELAY=0 "$bin" render --highlight weak-links "$chain" -f dot -o "$tmp/r2.dot" >"$tmp/out" 2>"$tmp/err"
! grep -q $'\r' "$tmp/err" || fail "render: a bar on a pipe: $(cat -A "$tmp/err" | head -c 300)"
cmp -s "$tmp/r.dot" "$tmp/r2.dot" || fail "render: pipe and terminal outputs differ"
rm -f "$tmp/r.dot" "$tmp/r2.dot"
# The regional preset's full view, 1,645 firms and 8,597 links with dot:
# about 4 s by the documented fit (docs/rendering.md).
expect_exit 1 "$bin" render "$gen" --max-seconds 1 -o "$tmp/r.svg"
grep -q "^chengyu: render: dot layout of 1645 nodes, 8597 edges: about .* in all (estimated before it starts.*), more than --max-seconds 1: stopped$" "$tmp/err" ||
  fail "render --max-seconds 1: $(cat "$tmp/err")"
[ ! -e "$tmp/r.svg" ] || fail "render --max-seconds wrote its output"
expect_exit 1 "$bin" render "$gen" --timeout 0.5 -o "$tmp/r.svg"
grep -q "^chengyu: warning: render: the dot layout of 1645 nodes, 8597 edges should take about [0-9]* s, more than --timeout 0.5; draw a smaller view" "$tmp/err" ||
  fail "render --timeout 0.5: no warning: $(cat "$tmp/err")"
[ ! -e "$tmp/r.svg" ] || fail "render --timeout wrote its output"
CHENGYU_PROGRESS_DELAY=0 timeout 60 script -qfec "'$bin' render '$gen' -o '$tmp/r.svg'" /dev/null >"$tmp/tty" 2>&1
grep -q $'\rchengyu: dot layout of 1645 nodes, 8597 edges: about [0-9]* s (estimated before it starts)' "$tmp/tty" ||
  fail "render: terminal: no estimate of the layout: $(head -c 400 "$tmp/tty" | cat -A)"
rm -f "$tmp/r.svg"

finish
