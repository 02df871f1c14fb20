#!/usr/bin/env bash
# chengyu render and export, end to end: every view and format of the
# curated dataset, well-formed SVG (xmllint), PNG and PDF signatures,
# byte-identical DOT, the aggregated fallback note, exit codes, atomic
# output (a failed run leaves the old file and no temporary file), the
# timeout, hostile names, GraphML read by NetworkX, CSV tables.
# Usage: test_render.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
data=$src/data/chengdu-chongqing.json
small=$src/graphs/render-small.json

have() { command -v "$1" >/dev/null 2>&1; }
signature() { head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'; }
check_svg() {
  if have xmllint; then
    xmllint --noout "$1" 2>"$tmp/xmllint" || fail "$1 is not well-formed XML: $(head -c 300 "$tmp/xmllint")"
  fi
  grep -q '<svg' "$1" || fail "$1 has no <svg>"
}

# Every view, as SVG.
for view in full tiers clusters parks regions; do
  expect_exit 0 "$bin" render --view "$view" -o "$tmp/$view.svg" "$data"
  check_svg "$tmp/$view.svg"
done
expect_exit 0 "$bin" render --focus changan --depth 1 -o "$tmp/ego.svg" "$data"
check_svg "$tmp/ego.svg"
grep -q 'ego view' "$tmp/ego.svg" || fail "ego view not named in its legend"
expect_exit 0 "$bin" render --highlight weak-links -o "$tmp/weak.svg" "$data"
check_svg "$tmp/weak.svg"
grep -q '#d7191c' "$tmp/weak.svg" || fail "weak links not drawn in red"
expect_exit 0 "$bin" render --highlight cascade:sc-battery-b --view parks -o "$tmp/cascade.svg" "$data"
check_svg "$tmp/cascade.svg"
expect_exit 0 "$bin" render --color-by pagerank --size-by betweenness --layout neato -o "$tmp/neato.svg" "$data"
check_svg "$tmp/neato.svg"

# Chinese names are in the drawing, in a font that has them.
grep -q '长安汽车' "$tmp/full.svg" || fail "Chinese name missing from the SVG"
grep -q 'font-family="Noto Sans CJK SC"' "$tmp/full.svg" || fail "CJK font not named"

# Formats from the extension; signatures.
expect_exit 0 "$bin" render -o "$tmp/full.png" "$data"
[ "$(signature "$tmp/full.png" 8)" = "89504e470d0a1a0a" ] || fail "PNG signature"
expect_exit 0 "$bin" render --view parks -o "$tmp/parks.pdf" "$data"
[ "$(head -c 5 "$tmp/parks.pdf")" = "%PDF-" ] || fail "PDF signature"
expect_exit 0 "$bin" render --format svg -o - "$small"
grep -q '<svg' "$tmp/out" || fail "--format svg -o - did not write SVG to standard output"

# DOT: the same bytes every time.
expect_exit 0 "$bin" render --highlight weak-links -o "$tmp/a.dot" "$data"
expect_exit 0 "$bin" render --highlight weak-links -o "$tmp/b.dot" "$data"
cmp -s "$tmp/a.dot" "$tmp/b.dot" || fail "DOT differs between two runs"
grep -q '^digraph chengyu {' "$tmp/a.dot" || fail "DOT does not start with the graph"
grep -q 'subgraph cluster_p' "$tmp/a.dot" || fail "parks are not clusters in the full view"

# Too many firms: the full view is drawn aggregated, and says so.
expect_exit 0 "$bin" render --max-nodes 20 -o "$tmp/agg.svg" "$data"
grep -q 'note: .*exceed --max-nodes 20: drawing the aggregated parks view' "$tmp/err" ||
  fail "no note about the aggregated view: $(cat "$tmp/err")"
expect_exit 0 "$bin" render --max-nodes 20 --quiet -o "$tmp/agg.svg" "$data"
[ -s "$tmp/err" ] && fail "--quiet still printed: $(cat "$tmp/err")"

# Usage errors exit 2, unknown ids and Graphviz failures 1.
expect_exit 2 "$bin" render "$data"
expect_exit 2 "$bin" render -o "$tmp/x.jpeg" "$data"
expect_exit 2 "$bin" render --view nope -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --view ego -o "$tmp/x.svg" "$data"
grep -q 'needs --focus' "$tmp/err" || fail "ego without focus: $(cat "$tmp/err")"
expect_exit 2 "$bin" render --view parks --color-by tier -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --timeout soon -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --highlight everything -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --layout twopi -o "$tmp/x.svg" "$data"
expect_exit 1 "$bin" render --focus nobody -o "$tmp/x.svg" "$data"
grep -q "chengyu: render: --focus: no enterprise has the id 'nobody'" "$tmp/err" || fail "unknown focus: $(cat "$tmp/err")"
expect_exit 1 "$bin" render --highlight cascade:nobody -o "$tmp/x.svg" "$data"
# A near miss is answered with the nearest id (within two edits).
expect_exit 1 "$bin" render --view ego --focus cq-powersemi -o "$tmp/x.svg" "$data"
grep -q "no enterprise has the id 'cq-powersemi'; did you mean \"cq-powersemi-a\"?" "$tmp/err" ||
  fail "no suggestion for --focus: $(cat "$tmp/err")"
expect_exit 1 "$bin" cascade --fail cd-chip-a,cq-powersemi "$data"
grep -q 'unknown enterprise "cq-powersemi"; did you mean "cq-powersemi-a"?' "$tmp/err" ||
  fail "no suggestion for --fail: $(cat "$tmp/err")"
expect_exit 1 "$bin" render -o "$tmp/x.svg" "$tmp/missing.json"
expect_exit 1 "$bin" render -o "$tmp/no/such/dir.svg" "$data"

# A failed run leaves an existing output byte-identical and no temporary
# file behind.
echo "precious" >"$tmp/keep.svg"
expect_exit 1 "$bin" render --highlight cascade:nobody -o "$tmp/keep.svg" "$data"
[ "$(cat "$tmp/keep.svg")" = "precious" ] || fail "a failed render clobbered its output"

# The timeout stops a long layout (the regional preset's 1,645 firms in
# one dot layout take seconds), with a clear message and nothing written.
expect_exit 0 "$bin" generate --preset regional --no-stress-fields -o "$tmp/regional.json"
expect_exit 1 "$bin" render --max-nodes 5000 --timeout 0.2 -o "$tmp/keep.svg" "$tmp/regional.json"
grep -q 'did not finish within 0.2 s (--timeout)' "$tmp/err" || fail "no timeout message: $(cat "$tmp/err")"
[ "$(cat "$tmp/keep.svg")" = "precious" ] || fail "a timed-out render clobbered its output"
ls -A "$tmp" | grep -q '^\.keep\.svg\.' && fail "temporary file left behind"
# The default view of the preset is drawn aggregated, within the timeout.
expect_exit 0 "$bin" render -o "$tmp/regional.svg" "$tmp/regional.json"
check_svg "$tmp/regional.svg"

# Hostile names render as written, in well-formed SVG.
cat >"$tmp/hostile.json" <<'EOF'
{"format": "chengyu/1", "name": "</TD></TR></TABLE> & \\N \"title\"",
 "enterprises": [
  {"id": "a\"b", "name": "Quote \" <b>bold</b> & amp; \\N \\\\ end\\", "kind": "oem"},
  {"id": "<x>", "name": "line one\nline two \u5409", "kind": "supplier"},
  {"id": "c", "name": "AT&amp;T &#65; R&D; --> <!--", "kind": "supplier"}],
 "links": [{"from": "<x>", "to": "a\"b", "part": "p\"&<>"}, {"from": "c", "to": "a\"b", "part": "q"}]}
EOF
for fmt in svg png dot; do
  expect_exit 0 "$bin" render -o "$tmp/hostile.$fmt" "$tmp/hostile.json"
done
check_svg "$tmp/hostile.svg"
grep -q 'Quote &quot; &lt;b&gt;bold&lt;/b&gt; &amp; amp; \\N \\\\ end\\<' "$tmp/hostile.svg" ||
  fail "hostile name not drawn as written"
grep -q 'AT&amp;amp;T &amp;#65; R&amp;D; &#45;&#45;&gt; &lt;!&#45;&#45;<' "$tmp/hostile.svg" ||
  fail "entity-like name not drawn as written"

# export: GraphML (read by NetworkX when it is installed), CSV, DOT.
expect_exit 0 "$bin" export --to graphml -o "$tmp/small.graphml" "$small"
if have xmllint; then xmllint --noout "$tmp/small.graphml" || fail "GraphML is not well-formed"; fi
if /usr/bin/python3 -c 'import networkx' 2>/dev/null; then
  /usr/bin/python3 - "$tmp/small.graphml" <<'PY' || fail "NetworkX does not read the GraphML back"
import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
assert g.is_directed() and g.number_of_nodes() == 7 and g.number_of_edges() == 8, g
ids = {d["id"]: d for _, d in g.nodes(data=True)}
assert ids["oem2"]["clusters"] == "auto;elec" and ids["x"]["tier"] == -1, ids
assert sorted(d["volume"] for _, _, d in g.edges(data=True)) == [2, 5, 10, 20, 25, 30, 40, 100]
PY
fi
expect_exit 0 "$bin" export --to graphml -o "$tmp/hostile.graphml" "$tmp/hostile.json"
if have xmllint; then xmllint --noout "$tmp/hostile.graphml" || fail "hostile GraphML is not well-formed"; fi
expect_exit 0 "$bin" export --to csv -o "$tmp/small.csv" "$small"
[ "$(wc -l <"$tmp/small.nodes.csv")" -eq 8 ] || fail "nodes.csv: want 8 lines"
[ "$(wc -l <"$tmp/small.edges.csv")" -eq 9 ] || fail "edges.csv: want 9 lines"
head -1 "$tmp/small.edges.csv" | grep -q '^from,to,part,volume,share,source' || fail "edges.csv header"
expect_exit 2 "$bin" export --to csv "$small"
expect_exit 2 "$bin" export --to xml -o "$tmp/x" "$small"
expect_exit 0 "$bin" export -o "$tmp/small.dot" "$small"  # format from the extension
grep -q 'subgraph cluster_cq' "$tmp/small.dot" || fail "DOT export has no region cluster"
expect_exit 0 "$bin" export --to dot -o "$tmp/small2.dot" "$small"
cmp -s "$tmp/small.dot" "$tmp/small2.dot" || fail "DOT export differs between runs"
expect_exit 0 "$bin" export --to dot "$data"
grep -q '"changan"\|changan' "$tmp/out" || fail "DOT export to standard output"

finish
