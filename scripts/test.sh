#!/usr/bin/env bash
# The whole test suite: install what is missing, then build and run every
# test twice, plain and under AddressSanitizer + UndefinedBehaviorSanitizer,
# then a short fuzz run of the loader.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test
jobs=$(nproc)

run_suite() {
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs" >/dev/null
  (cd "$dir" && ctest --output-on-failure -j"$jobs")
}

echo "== tests (plain)"
run_suite build/test -DCMAKE_BUILD_TYPE=Debug -DCHENGYU_WERROR=ON
echo "== tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  run_suite build/asan -DCMAKE_BUILD_TYPE=Debug -DCHENGYU_SANITIZE=ON -DCHENGYU_WERROR=ON
echo "== MPI (mpirun -np 3 against one process, docs/scaling.md)"
cmake -S . -B build/mpi -DCMAKE_BUILD_TYPE=Release -DCHENGYU_MPI=ON -DCHENGYU_WERROR=ON >/dev/null
cmake --build build/mpi -j"$jobs" --target chengyu_cli test_dist >/dev/null
(cd build/mpi && ctest --output-on-failure -R '^cli_test_mpi$')
if [ -f tests/fuzz/CMakeLists.txt ]; then
  echo "== fuzz (short run)"
  CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DCHENGYU_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
  cmake --build build/fuzz -j"$jobs" --target fuzz_load >/dev/null
  bash tests/fuzz/run.sh build/fuzz/fuzz_load "${CHENGYU_FUZZ_SECONDS:-60}"
fi
echo "== all tests passed"
