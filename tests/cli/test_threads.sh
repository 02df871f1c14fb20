#!/usr/bin/env bash
# The same bytes for every thread count: the commands whose per-firm work
# runs in parallel (weak-links in three formats, cascade --each
# enterprise|park|region, random-attack trials of resilience, exact,
# sampled and weighted betweenness, the betweenness attacks) run with
# --threads 1, 2 and 7 on the regional preset and on a province-shaped
# network of about 5,000 firms, and every file must equal the one-thread
# file (cmp).  CHENGYU_THREADS must give what --threads gives.
# Usage: test_threads.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

expect_exit 0 "$bin" generate --preset regional --no-stress-fields -q -o "$tmp/regional.json"
expect_exit 0 "$bin" generate --preset province --no-stress-fields --suppliers 5000 -q -o "$tmp/province.json"

# same NAME ARGS...: the command with ARGS on 1, 2 and 7 threads writes the
# same file (-o OUT is added; ARGS end with the network).
same() {
  local name=$1 t
  shift
  for t in 1 2 7; do
    if ! "$bin" "$@" --threads "$t" -q -o "$tmp/$name.$t.out" 2>"$tmp/err"; then
      fail "$name: exit $? with --threads $t: $(head -3 "$tmp/err")"
      return
    fi
  done
  for t in 2 7; do
    cmp -s "$tmp/$name.1.out" "$tmp/$name.$t.out" ||
      fail "$name: --threads $t differs from --threads 1"
  done
}

for net in regional province; do
  f=$tmp/$net.json
  same "$net-weaklinks-json" weak-links -f json "$f"
  same "$net-weaklinks-md" weak-links -f md "$f"
  same "$net-weaklinks-csv" weak-links -f csv "$f"
  same "$net-weaklinks-json-t05" weak-links -f json -t 0.5 "$f"
  for each in enterprise park region; do
    same "$net-cascade-$each" cascade --each "$each" -f json "$f"
  done
  same "$net-resilience-random" resilience --trials 9 --seed 7 -f json "$f"
  same "$net-resilience-park" resilience --by park --trials 5 --seed 3 -f csv "$f"
done
same "regional-betweenness" centrality -m betweenness -f csv "$tmp/regional.json"
same "regional-betweenness-sampled" centrality -m betweenness --approx 300 --seed 5 -f csv \
  "$tmp/regional.json"
same "province-betweenness" centrality -m betweenness --approx 0 -f csv "$tmp/province.json"
same "province-betweenness-sampled" centrality -m betweenness --approx 200 --seed 2 -f csv \
  "$tmp/province.json"
# Closeness and harmonic: searches on threads, unweighted (igraph weighted).
same "province-closeness-harmonic" centrality -m closeness,harmonic --normalized -f csv \
  "$tmp/province.json"
same "regional-closeness-weighted" centrality -m closeness,harmonic --weighted -f csv \
  "$tmp/regional.json"
# Weighted betweenness runs in forked workers, the attacks' on threads.
same "regional-betweenness-weighted" centrality -m betweenness --weighted -f csv \
  "$tmp/regional.json"
same "regional-resilience-betweenness" resilience --attack betweenness -f json "$tmp/regional.json"
same "regional-resilience-adaptive" resilience --attack adaptive-betweenness --recompute steps \
  --steps 12 -f json "$tmp/regional.json"

# The environment variable gives what the option gives.
CHENGYU_THREADS=2 "$bin" weak-links -f json -q -o "$tmp/env.out" "$tmp/regional.json" ||
  fail "CHENGYU_THREADS=2 weak-links failed"
cmp -s "$tmp/env.out" "$tmp/regional-weaklinks-json.1.out" ||
  fail "CHENGYU_THREADS=2 differs from --threads 1"

# The outputs are not empty (a command that wrote nothing would compare
# equal): the register and the trials are there.
check_json "$tmp/regional-weaklinks-json.1.out" 'len(d["register"]) > 100'
check_json "$tmp/regional-resilience-random.1.out" 'len(d["curve"]) > 10 and d["trials"] == 9'
finish
