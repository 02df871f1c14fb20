#!/usr/bin/env bash
# bench/sheets.sh - spreadsheets at scale: a preset written as an .xlsx
# workbook (chengyu export --format xlsx, libxlsxwriter), then read back
# (chengyu import: libzip + expat, streamed, validated by the loader), with
# wall time, CPU time and peak memory of each step (GNU time), and a check
# that the JSON that comes back is the same network.
#
# usage: bench/sheets.sh [--preset national] [--chengyu BIN] [--out DIR] [--realtime]
# --realtime runs each step under SCHED_FIFO (chrt -f 50, as root): on a
# machine other jobs share, the step then has one core to itself, so its
# wall time is that of an idle machine (chengyu is single-threaded here).
# Builds chengyu in Release in build/bench-sheets unless --chengyu is given.
# The issue's target: the national preset (~1.05 million link rows)
# imports in under 60 s and under 2 GB.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=national
bin=""
out=$here/bench/out/sheets
rt=()
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --realtime) rt=(chrt -f 50); shift ;;
    *) echo "usage: bench/sheets.sh [--preset P] [--chengyu BIN] [--out DIR] [--realtime]" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-sheets" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-sheets" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-sheets/chengyu
fi
mkdir -p "$out"
# step NAME CMD...: run CMD under GNU time, print one table row.
step() {
  local name=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time.txt" ${rt[@]+"${rt[@]}"} "$@" >/dev/null 2>"$out/$name.err" || {
    echo "$name failed:"; cat "$out/$name.err"; exit 1; }
  read -r wall user sys kb <"$out/time.txt"
  printf '| %s | %s s | %.1f s | %d MB |\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" $((kb / 1024))
}
echo "chengyu: $($bin --version); preset $preset; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)${rt[@]+; steps under ${rt[*]}}"
"$bin" generate --preset "$preset" -o "$out/$preset.json"
echo "| step | wall | CPU (user + system) | peak memory |"
echo "| --- | --- | --- | --- |"
step "validate $preset.json" "$bin" validate -q "$out/$preset.json"
step "export --format xlsx" "$bin" export --format xlsx -q -o "$out/$preset.xlsx" "$out/$preset.json"
step "import $preset.xlsx" "$bin" import -q -o "$out/$preset.back.json" "$out/$preset.xlsx"
step "validate $preset.xlsx" "$bin" validate -q "$out/$preset.xlsx"
echo
echo "workbook: $(du -m "$out/$preset.xlsx" | cut -f1) MB; links: $(/usr/bin/python3 -c "
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
print(sum(i.file_size for i in z.infolist()) // 2**20, 'MB of XML')" "$out/$preset.xlsx")"
/usr/bin/python3 "$here/tests/cli/sheets_compare.py" "$out/$preset.json" "$out/$preset.back.json"
