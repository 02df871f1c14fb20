#!/usr/bin/env bash
# bench/report_html.sh - the HTML weak-link report of a preset as a reader
# gets it: the time to write it (`chengyu weak-links -f html`), the file's
# size, and the time headless Chromium takes to open it.  The target of
# the issue: the national preset's report stays under 20 MB, opens within
# 10 s, and its network figure is the aggregated view with a note.
#
# Opening is measured twice, each as the median of N runs:
#   browser: the wall time of `chromium --headless --dump-dom` on the page
#            (start, parse, lay out, run the script, serialise the DOM)
#            minus the same for an empty page (the browser's own start);
#   in-page: a copy of the page without its Content-Security-Policy and
#            with a probe script that writes performance.now() at the end of
#            the load event (after the page's script ran) into the DOM.
# The figure's caption (the aggregation note) is printed.
#
# usage: bench/report_html.sh [--preset national] [--runs N] [--chengyu BIN]
#                             [--out DIR]
# Builds chengyu in Release in build/bench-report-html unless --chengyu is
# given.
# Presets are generated with --no-stress-fields: the same networks as the
# measurements before session 7 (no capacity, stock or recovery times).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
preset=national
runs=3
bin=""
out=$here/bench/out/report_html
while [ $# -gt 0 ]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --chengyu) bin=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: bench/report_html.sh [--preset P] [--runs N] [--chengyu BIN] [--out DIR]" >&2
       exit 2 ;;
  esac
done
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chromium is not installed (bash scripts/deps.sh test)" >&2; exit 1; }
if [ -z "$bin" ]; then
  cmake -S "$here" -B "$here/build/bench-report-html" -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_TESTING=OFF >/dev/null
  cmake --build "$here/build/bench-report-html" -j2 --target chengyu_cli >/dev/null
  bin=$here/build/bench-report-html/chengyu
fi
mkdir -p "$out"
file=$out/$preset.json
page=$out/$preset.html
[ -s "$file" ] || "$bin" generate --preset "$preset" --no-stress-fields -q -o "$file"

echo "chengyu: $bin ($("$bin" --version 2>&1 | head -1))"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %M" -o "$out/write.txt" "$bin" weak-links -f html -q -o "$page" "$file"
read -r write_s write_kb <"$out/write.txt"
size=$(stat -c %s "$page")
printf '%s: written in %.1f s (peak %.0f MB), %s bytes (%.1f MB)\n' "$preset" "$write_s" \
  "$(echo "$write_kb / 1024" | bc -l)" "$size" "$(echo "$size / 1048576" | bc -l)"
echo "  command: $bin weak-links -f html -q -o OUT $file"

# The probe copy and an empty page.
/usr/bin/python3 - "$page" "$out/probe.html" "$out/empty.html" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", html, count=1)
probe = ("<script>window.addEventListener('load', function () { setTimeout(function () {"
         "var p = document.createElement('p'); p.id = 'cy-probe';"
         "p.textContent = String(performance.now()); document.body.appendChild(p);"
         "}, 0); });</script>\n")
open(sys.argv[2], "w", encoding="utf-8").write(html.replace("</body>", probe + "</body>", 1))
open(sys.argv[3], "w").write("<!DOCTYPE html>\n<title>empty</title>\n")
PY

# open URL: the seconds `chromium --dump-dom URL` takes; the DOM to $out/dom.
open_s() {
  local start end
  start=$(date +%s.%N)
  timeout 300 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$out/profile" --dump-dom "$1" >"$out/dom" 2>/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

: >"$out/empty.runs"; : >"$out/page.runs"; : >"$out/probe.runs"
open_s "file://$out/empty.html" >/dev/null # warm-up
for ((k = 0; k < runs; k++)); do
  open_s "file://$out/empty.html" >>"$out/empty.runs"
  open_s "file://$page" >>"$out/page.runs"
  nodes=$(grep -o 'cy-node' "$out/dom" | wc -l)
  open_s "file://$out/probe.html" >/dev/null
  grep -o '<p id="cy-probe">[0-9.]*' "$out/dom" | sed 's/.*>//' >>"$out/probe.runs"
done
empty=$(median <"$out/empty.runs")
full=$(median <"$out/page.runs")
inpage=$(median <"$out/probe.runs")
printf '%s: opened in %.1f s by the browser (%.1f s, less %.1f s for an empty page), ' \
  "$preset" "$(echo "$full - $empty" | bc -l)" "$full" "$empty"
printf 'load event done %.2f s after navigation (in-page), %d runs; %s interactive nodes\n' \
  "$(echo "$inpage / 1000" | bc -l)" "$runs" "$nodes"
/usr/bin/python3 - "$page" <<'PY'
import html, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
for m in re.finditer(r'<figcaption>(.*?)</figcaption>', page):
    print("  figure:", html.unescape(re.sub(r"<[^>]+>", " ", m.group(1))))
PY
