#!/usr/bin/env bash
# MPI (docs/scaling.md): under mpirun every process computes a share of
# the per-firm work and process 0 writes exactly the file one process
# writes.  Each command runs once alone and under `mpirun -np 3` (one
# thread per process) and `-np 2` (two threads per process); the files
# must be the same bytes (cmp), and CHENGYU_MPI_VERBOSE must show that the
# loops were spread (a build that silently ran everything on every
# process would pass the cmp alone).  Also: only process 0 prints, every
# process leaves with the same status on bad input, --max-seconds stops
# the whole run without a hang and without a file.
# Needs an MPI build (cmake -DCHENGYU_MPI=ON): CMake passes mpirun in
# CHENGYU_TEST_MPIEXEC; without it the test reports itself skipped (77).
# Usage: test_mpi.sh CHENGYU SOURCE_DIR
mpiexec=${CHENGYU_TEST_MPIEXEC:-}
if [ -z "$mpiexec" ]; then
  echo "skipped: not an MPI build (cmake -DCHENGYU_MPI=ON)"
  exit 77
fi
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
# Under ASan: Open MPI's components keep allocations until exit and are
# unloaded by then, so LeakSanitizer sees "<unknown module>" stacks that no
# suppression can name.  Leak checking is off for the processes mpirun
# starts (address and undefined-behaviour errors still abort); chengyu's
# own leaks are checked by the rest of the ASan suite and test_dist alone.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

mpi() {
  local np=$1
  shift
  CHENGYU_MPI_VERBOSE=1 timeout 300 "$mpiexec" --allow-run-as-root --oversubscribe \
    -np "$np" -x CHENGYU_MPI_VERBOSE "$@"
}

expect_exit 0 "$bin" generate --preset regional -q -o "$tmp/regional.json"
# A small network with the stress test's fields (its programs are slow
# in a Debug build).
expect_exit 0 "$bin" generate --preset regional --suppliers 120 -q -o "$tmp/small.json"
/usr/bin/python3 "$src/tests/cli/stress_fields.py" "$tmp/small.json" "$tmp/stress.json" \
  --seed 4 || fail "stress_fields.py failed"

# same NAME LOOPS ARGS...: ARGS (ending with the network) alone, then under
# mpirun -np 3 with one thread and -np 2 with two: the same file, and at
# least LOOPS loops spread over the processes.
same() {
  local name=$1 loops=$2 np threads spread
  shift 2
  if ! "$bin" "$@" --threads 1 -q -o "$tmp/$name.one" 2>"$tmp/err"; then
    fail "$name: exit $? alone: $(head -3 "$tmp/err")"
    return
  fi
  for np in 3 2; do
    threads=$((4 - np))
    if ! mpi "$np" "$bin" "$@" --threads "$threads" -q -o "$tmp/$name.$np" \
      >"$tmp/out" 2>"$tmp/err"; then
      fail "$name: exit $? under mpirun -np $np: $(head -5 "$tmp/err")"
      continue
    fi
    cmp -s "$tmp/$name.one" "$tmp/$name.$np" ||
      fail "$name: mpirun -np $np --threads $threads differs from one process"
    spread=$(sed -n "s/^chengyu: MPI: $np processes; \([0-9]*\) loops spread over them$/\1/p" \
      "$tmp/err")
    [ -n "$spread" ] && [ "$spread" -ge "$loops" ] ||
      fail "$name: mpirun -np $np: want at least $loops loops spread, got '${spread}': $(head -3 "$tmp/err")"
    [ -s "$tmp/out" ] && fail "$name: mpirun -np $np printed on standard output: $(head -c 200 "$tmp/out")"
  done
}

f=$tmp/regional.json
# Single failures, park failures, region failures.
same weaklinks-json 3 weak-links -f json "$f"
same weaklinks-md 3 weak-links -f md "$f"
# The weak-links time section: its disruptions are spread too (4 loops).
same weaklinks-time 4 weak-links -f json "$tmp/stress.json"
same cascade-enterprise 1 cascade --each enterprise -f json "$f"
same cascade-park 1 cascade --each park -f csv "$f"
same stress-enterprise 1 stress --each enterprise -f json "$tmp/stress.json"
same stress-park 1 stress --each park -f csv "$tmp/stress.json"
same betweenness-exact 1 centrality -m betweenness -f csv "$f"
same betweenness-sampled 1 centrality -m betweenness --approx 300 --seed 5 -f json "$f"

# More processes than items (the regional preset's regions): some
# processes compute nothing and still take part.
"$bin" cascade --each region -f json --threads 1 -q -o "$tmp/region.one" "$f" ||
  fail "cascade --each region failed"
regions=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["regions"]))' "$f")
np=$((regions + 2))
mpi "$np" "$bin" cascade --each region -f json --threads 1 -q -o "$tmp/region.mpi" "$f" \
  >/dev/null 2>"$tmp/err" || fail "cascade --each region under mpirun -np $np: $(head -3 "$tmp/err")"
cmp -s "$tmp/region.one" "$tmp/region.mpi" ||
  fail "cascade --each region: mpirun -np $np ($regions regions) differs from one process"

# The loop itself across processes (tests/test_dist.c under mpirun):
# slots, pack/unpack, and the lowest failing item reported everywhere.
unit=$(dirname "$bin")/test_dist
if [ -x "$unit" ]; then
  for np in 2 3; do
    timeout 300 "$mpiexec" --allow-run-as-root --oversubscribe -np "$np" "$unit" \
      >"$tmp/unit" 2>&1 || fail "test_dist under mpirun -np $np: $(grep -m3 -i 'fail\|error' "$tmp/unit")"
  done
else
  fail "no $unit: build the test_dist target too"
fi

# Standard output: one copy, from process 0.
"$bin" cascade --each park -f csv "$f" >"$tmp/park.one" 2>/dev/null ||
  fail "cascade --each park to standard output failed"
mpi 3 "$bin" cascade --each park -f csv "$f" >"$tmp/park.mpi" 2>/dev/null ||
  fail "cascade --each park under mpirun to standard output failed"
cmp -s "$tmp/park.one" "$tmp/park.mpi" || fail "standard output under mpirun differs"

# Bad input: process 0 alone reports it (once), the run exits 1.
printf '{"format": "chengyu/1", "enterprises": [{"id": "a", "name": "A", "kindd": "oem"}], "links": []}' \
  >"$tmp/bad.json"
expect_exit 1 mpi 3 "$bin" weak-links -o "$tmp/bad.out" "$tmp/bad.json"
[ "$(grep -c 'did you mean "kind"' "$tmp/err")" -eq 1 ] ||
  fail "bad input: want the error once: $(head -5 "$tmp/err")"
[ -e "$tmp/bad.out" ] && fail "bad input: an output file was written"
# A usage error: exit 2.
expect_exit 2 mpi 2 "$bin" weak-links --no-such-option "$f"
# Standard input reaches process 0 only: a stream input is refused
# with a message (exit 1), not loaded by one process and missing on the others.
expect_exit 1 mpi 2 "$bin" info - <"$f"
grep -q "cannot be read by every process" "$tmp/err" ||
  fail "stdin under mpirun: want the refusal: $(head -3 "$tmp/err")"

# --max-seconds stops every process (no hang: timeout 300 would say 124),
# exit 1, no file.
expect_exit 1 mpi 3 "$bin" stress --each enterprise --max-seconds 0.05 --threads 1 -f json \
  -o "$tmp/late.json" "$tmp/stress.json"
grep -q 'max-seconds' "$tmp/err" || fail "--max-seconds: no message: $(head -3 "$tmp/err")"
[ -e "$tmp/late.json" ] && fail "--max-seconds: an output file was written"

finish
