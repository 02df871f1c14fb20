#!/usr/bin/env bash
# MPI (docs/scaling.md): under mpirun every process computes a share of
# the per-firm work and process 0 writes exactly the file one process
# writes.  Each command runs once alone and under `mpirun -np 3` (one
# thread per process) and `-np 2` (two threads per process); the files
# must be the same bytes (cmp), and CHENGYU_MPI_VERBOSE must show that the
# loops were spread (a build that silently ran everything on every
# process would pass the cmp alone).  Also: only process 0 prints, every
# process leaves with the same status on bad input, --max-seconds stops
# the whole run without a hang and without a file, and a stop on another
# process is said by process 0 in that process's words.
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
# Closeness and harmonic: one loop of searches for both (betweenness_bfs.c).
same closeness-harmonic 1 centrality -m closeness,harmonic -f json "$f"
# Weighted betweenness: forked workers under each process, its own exchange.
same betweenness-weighted 0 centrality -m betweenness --weighted -f csv "$f"

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
  # MPI started with MPI_Init (MPI_THREAD_SINGLE): refused on every
  # process alike, exit 1, no hang.
  timeout 300 "$mpiexec" --allow-run-as-root --oversubscribe -np 2 "$unit" --mpi-init \
    >"$tmp/unit" 2>&1 || fail "test_dist --mpi-init under mpirun -np 2: $(grep -m3 'test_dist' "$tmp/unit")"
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

# The launcher's variables of a job that has ended (a shell that kept them,
# a process started later): a plain run, not an MPI start that aborts.
"$mpiexec" --allow-run-as-root --oversubscribe -np 2 sh -c \
  'env | grep -E "^(OMPI|PMIX)_" | grep -v "^OMPI_ARGV=\|^OMPI_COMMAND=" >"$0.$OMPI_COMM_WORLD_RANK"' \
  "$tmp/env" || fail "mpirun sh -c env failed"
"$bin" info "$f" >"$tmp/info.one" 2>/dev/null || fail "info alone failed"
(
  while IFS= read -r line; do export "${line?}"; done <"$tmp/env.1"
  timeout 60 "$bin" info "$f" >"$tmp/info.stale" 2>"$tmp/err"
) || fail "the variables of an ended job: exit $?: $(head -5 "$tmp/err")"
cmp -s "$tmp/info.one" "$tmp/info.stale" || fail "the variables of an ended job: other output"
grep -q "^chengyu: note: the MPI variables in the environment are those of a job that has ended" \
  "$tmp/err" || fail "the variables of an ended job: no note: $(head -3 "$tmp/err")"
# A lone variable: a plain run, without a word.
PMI_RANK=1 OMPI_COMM_WORLD_SIZE=2 "$bin" info "$f" >"$tmp/info.lone" 2>"$tmp/err" ||
  fail "a lone MPI variable: exit $?"
cmp -s "$tmp/info.one" "$tmp/info.lone" && [ ! -s "$tmp/err" ] ||
  fail "a lone MPI variable: other output or a message: $(head -3 "$tmp/err")"
# CHENGYU_MPI=0 under mpirun: every process runs alone (no MPI line).
mpi 2 -x CHENGYU_MPI=0 "$bin" cascade --each park -f csv -q -o "$tmp/park.off" "$f" \
  >/dev/null 2>"$tmp/err" || fail "CHENGYU_MPI=0 under mpirun: $(head -3 "$tmp/err")"
grep -q "MPI:" "$tmp/err" && fail "CHENGYU_MPI=0 under mpirun: MPI started"
cmp -s "$tmp/park.off" "$tmp/cascade-park.one" || fail "CHENGYU_MPI=0 under mpirun: other output"

# Process 1 alone fails (a usage error) while process 0 writes to
# standard output, which cannot be taken back: process 0 still says why,
# in process 1's words, once, and the run exits 2.
timeout 300 "$mpiexec" --allow-run-as-root --oversubscribe \
  -np 1 "$bin" info "$f" : -np 1 "$bin" info --no-such-option "$f" \
  >"$tmp/out" 2>"$tmp/err"
code=$?
[ "$code" -eq 2 ] || fail "usage error on process 1 alone: exit $code, want 2"
[ "$(grep -c "^chengyu: info: unknown option '--no-such-option'$" "$tmp/err")" -eq 1 ] ||
  fail "usage error on process 1 alone: want its message once: $(head -3 "$tmp/err")"

# --max-seconds met on processes other than 0 only (an MPMD launch gives
# process 0 no limit): the stop is said once, by process 0, in the words
# of the process that stopped (its own error output goes to /dev/null);
# every process exits 1 (mpirun: 1); no file.
CHENGYU_MPI_VERBOSE=1 timeout 300 "$mpiexec" --allow-run-as-root --oversubscribe \
  -x CHENGYU_MPI_VERBOSE \
  -np 1 "$bin" stress --each enterprise --threads 1 -f json -o "$tmp/late1.json" \
  "$tmp/stress.json" : \
  -np 2 "$bin" stress --each enterprise --max-seconds 0.05 --threads 1 -f json \
  -o "$tmp/late1.json" "$tmp/stress.json" >"$tmp/out" 2>"$tmp/err"
code=$?
[ "$code" -eq 1 ] || fail "--max-seconds on processes 1 and 2: exit $code, want 1: $(head -3 "$tmp/err")"
[ "$(grep -c '^chengyu: stress: disruptions: .*more than --max-seconds 0.05: stopped$' "$tmp/err")" -eq 1 ] ||
  fail "--max-seconds on processes 1 and 2: want the stop said once: $(head -5 "$tmp/err")"
grep -q 'process [0-9]* of the MPI run stopped' "$tmp/err" &&
  fail "--max-seconds on processes 1 and 2: a generic line instead of the stop: $(head -3 "$tmp/err")"
[ -e "$tmp/late1.json" ] && fail "--max-seconds on processes 1 and 2: an output file was written"

finish
