#!/usr/bin/env bash
# bench/mpi.sh - processes against threads (issue 22's target: regional
# `stress --each enterprise` with `mpirun -np 2`, one thread per process,
# within 1.2x of one process with 2 threads).  Whole runs, Release with
# -DCHENGYU_MPI=ON, GNU time around the process or around mpirun (whose
# children are the ranks, so user and system CPU include them); N runs per
# way, alternated (threads, mpirun, threads, ...), median wall and mean
# user + system CPU, the load average before each run, the outputs
# compared with cmp (they must be the same bytes), and the ratio
# wall(mpirun) / wall(threads).
#
# usage: bench/mpi.sh [--runs N] [--np K] [--preset P] [--chengyu BIN] [--out DIR]
# The network is the preset with the stress fields of
# tests/cli/stress_fields.py (as bench/stress.sh).  Builds chengyu in
# build/bench-mpi unless --chengyu (an MPI build) is given.  On a machine
# other jobs share, wall times mean little: read the load average.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=3
np=2
preset=regional
bin=""
out=$here/bench/out/mpi
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --np) np=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/mpi.sh [--runs N] [--np K] [--preset P] [--chengyu BIN] [--out DIR]" >&2
       exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-mpi" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF -DCHENGYU_MPI=ON >/dev/null
  cmake --build "$here/build/bench-mpi" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-mpi/chengyu
fi
mkdir -p "$out"
net=$out/$preset.json
if [ ! -s "$net" ]; then
  "$bin" generate --preset "$preset" -q -o "$out/$preset-generated.json"
  /usr/bin/python3 "$here/tests/cli/stress_fields.py" "$out/$preset-generated.json" "$net"
fi
cmd=(stress --each enterprise -f json -q)
echo "$(nproc) processors; $runs runs each; $preset stress --each enterprise"
: >"$out/times"
for ((r = 1; r <= runs; r++)); do
  for way in threads mpi; do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    if [ "$way" = threads ]; then
      /usr/bin/time -o "$out/t" -f "%e %U %S %M" \
        "$bin" "${cmd[@]}" --threads "$np" -o "$out/threads.json" "$net"
    else
      /usr/bin/time -o "$out/t" -f "%e %U %S %M" \
        mpirun --allow-run-as-root --oversubscribe -np "$np" \
        "$bin" "${cmd[@]}" --threads 1 -o "$out/mpi.json" "$net"
    fi
    read -r wall user sys kb <"$out/t"
    echo "$way $wall $user $sys $kb $load" >>"$out/times"
    echo "run $r $way: $wall s wall, $user s user + $sys s system, $kb KB (mpirun: its own peak), load $load"
  done
  cmp "$out/threads.json" "$out/mpi.json" || { echo "FAIL: mpirun's file differs" >&2; exit 1; }
done
/usr/bin/python3 - "$out/times" "$np" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
np = sys.argv[2]
med = {}
for way in ("threads", "mpi"):
    r = [x for x in rows if x[0] == way]
    med[way] = statistics.median(float(x[1]) for x in r)
    cpu = statistics.mean(float(x[2]) + float(x[3]) for x in r)
    label = f"--threads {np}" if way == "threads" else f"mpirun -np {np} --threads 1"
    print(f"{label}: median {med[way]:.2f} s wall, mean {cpu:.2f} s CPU (user + system)")
print(f"ratio wall(mpirun) / wall(threads): {med['mpi'] / med['threads']:.2f} (target: at most 1.2)")
PY
