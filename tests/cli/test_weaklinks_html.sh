#!/usr/bin/env bash
# The HTML weak-link report in a real browser: headless Chromium (Debian's
# `chromium`) loads the page of the curated dataset and of the hand-checked
# graphs/weaklinks.json offline, takes a screenshot and dumps the DOM it
# built.  Checks: the page is one file that asks for nothing over the
# network, the DOM holds the tables (and the diagrams when the report has
# figures), the table sorter ran without breaking the page, and the
# screenshot is a real, non-blank PNG.
# Usage: test_weaklinks_html.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "FAIL: chromium is not installed (scripts/deps.sh test installs it)" >&2
  exit 1
fi

chrome() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --disable-dev-shm-usage --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chrome.log"
}

for input in "$src/graphs/weaklinks.json" "$src/data/chengdu-chongqing.json"; do
  name=$(basename "$input" .json)
  page=$tmp/$name.html
  "$bin" weak-links --format html -o "$page" "$input" 2>"$tmp/err" || { fail "$name: exit $?: $(cat "$tmp/err")"; continue; }

  # Self-contained: no external scripts, styles, images or fonts.
  if grep -Eq '<(script|link|img|iframe)[^>]*(src|href)=' "$page"; then
    fail "$name: the page refers to an external resource"
  fi
  grep -q '<style>' "$page" || fail "$name: no inline style"

  chrome --dump-dom "file://$page" > "$tmp/$name.dom"
  [ -s "$tmp/$name.dom" ] || { fail "$name: chromium produced no DOM ($(tail -3 "$tmp/chrome.log"))"; continue; }
  for section in summary weak_links single_source chokepoints cascade_impact park_impact \
                 region_impact concentration local_supply_oems cross_region recommendations; do
    grep -q "<table class=\"sortable\" data-section=\"$section\"" "$tmp/$name.dom" ||
      fail "$name: DOM lacks the $section table"
  done
  grep -q '<h2 id="articulation_points">' "$tmp/$name.dom" || fail "$name: DOM lacks articulation points"
  # The build has the render module: the supply diagram with the weak
  # links highlighted and the robustness plot must be there, each an
  # inline SVG with drawn content (Graphviz nodes; cairo glyphs whose ids
  # were prefixed per figure).  The parks view is checked when present.
  grep -q '<figure id="figure-1"><figcaption>Supply network and its weak links' "$tmp/$name.dom" ||
    fail "$name: no weak-link diagram: $(cat "$tmp/err")"
  grep -q '<figcaption>Robustness under attack' "$tmp/$name.dom" ||
    fail "$name: no robustness plot: $(cat "$tmp/err")"
  figures=$(grep -o '<figure id="figure-' "$tmp/$name.dom" | wc -l)
  [ "$(grep -o '<svg' "$tmp/$name.dom" | wc -l)" -ge "$figures" ] || fail "$name: a figure has no SVG in the DOM"
  grep -Eq 'class="node[ "]' "$tmp/$name.dom" || fail "$name: the diagram has no Graphviz node"
  grep -Eq 'xlink:href="#f[0-9]+-glyph' "$tmp/$name.dom" || fail "$name: the plot's glyph references are not prefixed"
  /usr/bin/python3 - "$page" <<'PY' || fail "$name: no weak link drawn in red in the diagram"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
start = page.index('<figure id="figure-1"')
figure = page[start:page.index("</figure>", start)]
reds = [c for c in re.findall(r'stroke="#([0-9a-fA-F]{6})"', figure)
        if int(c[0:2], 16) > 0xb0 and int(c[2:4], 16) < 0x60 and int(c[4:6], 16) < 0x60]
assert len(reds) >= 3, len(reds)
PY
  rows=$(grep -o '<tr>' "$tmp/$name.dom" | wc -l)
  [ "$rows" -ge 20 ] || fail "$name: only $rows table rows in the DOM"

  chrome --screenshot="$tmp/$name.png" --window-size=1400,3000 "file://$page" >/dev/null
  /usr/bin/python3 - "$tmp/$name.png" <<'PY' || fail "$name: screenshot is not a non-blank 1400x3000 PNG"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1400, 3000), (width, height)
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + length]
    pos += 12 + length
pixels = zlib.decompress(idat)
assert len(set(pixels[::97])) > 16, "the screenshot is (nearly) blank"
assert len(data) > 40000, len(data)
PY
  if [ -n "${CHENGYU_KEEP_SCREENSHOTS:-}" ]; then
    cp "$tmp/$name.png" "$page" "$CHENGYU_KEEP_SCREENSHOTS/"
  fi
done

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "test_weaklinks_html.sh: all checks passed"
