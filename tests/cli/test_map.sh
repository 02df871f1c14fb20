#!/usr/bin/env bash
# chengyu render --view map, end to end: the curated dataset's Chongqing
# parks and firms lie east of its Chengdu ones in the SVG (both
# projections), firms without a place are named in the note, a GeoJSON of
# two features is drawn under the network (outlines and names, escaped),
# and hostile GeoJSON (10^6 positions, deep nesting, wrong types, another
# geometry) is refused with its JSON path, exit 1 and no output file.
# Usage: test_map.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
data=$src/data/chengdu-chongqing.json

# svg_check SVG PYTHON: run PYTHON with `svg` (the ElementTree root), `net`
# (the dataset), `nodes` ({title: (x, y)} of every node, from its first
# ellipse or text) and `bg` (the polygons drawn before the first node).
svg_check() {
  /usr/bin/python3 - "$1" "$data" "$2" <<'PY' || fail "svg check failed: $2"
import json, sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
svg = ET.parse(sys.argv[1]).getroot()
net = json.load(open(sys.argv[2]))
graph = svg.find("s:g", ns)
nodes, bg, texts, seen_node = {}, [], [], False
for child in graph:
    cls = child.get("class")
    if cls == "node":
        seen_node = True
        title = child.find("s:title", ns).text
        e = child.find(".//s:ellipse", ns)
        t = child.find(".//s:text", ns)
        if e is not None:
            nodes[title] = (float(e.get("cx")), float(e.get("cy")))
        elif t is not None:
            nodes[title] = (float(t.get("x")), float(t.get("y")))
    elif not seen_node and child.tag.endswith("polygon") and child.get("fill") == "none":
        pts = [tuple(map(float, p.split(","))) for p in child.get("points").split()]
        bg.append((child.get("stroke"), child.get("stroke-dasharray"), pts))
    elif not seen_node and child.tag.endswith("text"):
        texts.append(child.text)
if not eval(sys.argv[3]):
    print("nodes:", sorted(nodes.items())[:20], "bg:", [(s, d, p[:3]) for s, d, p in bg],
          "texts:", texts, file=sys.stderr)
    sys.exit(1)
PY
}

# Parks p<k> (k = file order) by region; firms f<i> likewise.
east='min(nodes["p%d" % k][0] for k, p in enumerate(net["parks"]) if p.get("region") == "chongqing") > max(nodes["p%d" % k][0] for k, p in enumerate(net["parks"]) if p.get("region") == "chengdu")'
east_firms='min(nodes["f%d" % i][0] for i, e in enumerate(net["enterprises"]) if e.get("region") == "chongqing" and "f%d" % i in nodes) > max(nodes["f%d" % i][0] for i, e in enumerate(net["enterprises"]) if e.get("region") == "chengdu" and "f%d" % i in nodes)'
all_parks='all("p%d" % k in nodes for k, p in enumerate(net["parks"]) if p.get("location"))'

for projection in equirectangular mercator; do
  expect_exit 0 "$bin" render --view map --projection "$projection" \
    --highlight weak-links -o "$tmp/map-$projection.svg" "$data"
  xmllint --noout "$tmp/map-$projection.svg" 2>/dev/null || fail "map ($projection) is not well-formed"
  svg_check "$tmp/map-$projection.svg" "$all_parks and $east and $east_firms"
  # Wanzhou (108.4 E, 30.8 N) is north-east of the Science City (106.3 E,
  # 29.6 N): SVG y grows downwards.
  svg_check "$tmp/map-$projection.svg" 'nodes["p5"][0] > nodes["p1"][0] and nodes["p5"][1] < nodes["p1"][1]'
done
grep -q 'map view (mercator projection)' "$tmp/map-mercator.svg" || fail "the legend does not name the projection"
# Firms without a location of their own nor a park with one are listed.
grep -q '40 firms have no location and no park with one' "$tmp/err" || fail "no note on stderr: $(cat "$tmp/err")"
grep -q 'cq&#45;cv&#45;oem' "$tmp/map-mercator.svg" || fail "the note in the legend does not list the firms"
# Weak links are highlighted as in the other views: red single-source
# edges and red-bordered chokepoints.
grep -q 'stroke="#d7191c"' "$tmp/map-mercator.svg" || fail "no weak link highlighted on the map"

# PNG and PDF through cairo, DOT with the fixed positions and layout nop2.
expect_exit 0 "$bin" render --view map -o "$tmp/map.png" "$data"
[ "$(head -c 4 "$tmp/map.png" | od -An -tx1 | tr -d ' \n')" = "89504e47" ] || fail "map.png is not a PNG"
expect_exit 0 "$bin" render --view map -o "$tmp/map.dot" "$data"
grep -q 'layout=nop2' "$tmp/map.dot" || fail "map.dot does not say layout=nop2"
grep -q 'pos="[0-9.-]*,[0-9.-]*!"' "$tmp/map.dot" || fail "map.dot has no pinned positions"

# Two features: a Polygon and a MultiPolygon with a hole, one name hostile.
cat >"$tmp/two.geojson" <<'EOF'
{"type": "FeatureCollection", "features": [
 {"type": "Feature", "properties": {"name": "Chengdu 成都"},
  "geometry": {"type": "Polygon", "coordinates": [[[103.0, 30.1], [104.9, 30.1], [104.9, 31.4], [103.0, 31.4], [103.0, 30.1]]]}},
 {"type": "Feature", "properties": {"name": "Chongqing </text><script>alert(1)</script>"},
  "geometry": {"type": "MultiPolygon", "coordinates": [[[[105.3, 28.2], [110.2, 28.2], [110.2, 32.2], [105.3, 32.2], [105.3, 28.2]],
                                                       [[106.0, 29.0], [106.2, 29.0], [106.2, 29.2], [106.0, 29.0]]]]}},
 {"type": "Feature", "properties": {}, "geometry": null}]}
EOF
expect_exit 0 "$bin" render --view map --boundaries "$tmp/two.geojson" -o "$tmp/two.svg" "$data"
xmllint --noout "$tmp/two.svg" 2>/dev/null || fail "two.svg is not well-formed"
# Two outer rings (solid) and one hole (dashed); Chengdu's ring is west of
# Chongqing's, and the curated Chengdu parks lie inside Chengdu's ring.
svg_check "$tmp/two.svg" 'len([b for b in bg if b[0] == "#8c8c8c" and b[1] is None]) == 2 and len([b for b in bg if b[0] == "#8c8c8c" and b[1] is not None]) == 1'
svg_check "$tmp/two.svg" 'max(x for x, y in bg[0][2]) < min(x for x, y in bg[1][2])'
svg_check "$tmp/two.svg" 'all(min(x for x, y in bg[0][2]) < nodes["p%d" % k][0] < max(x for x, y in bg[0][2]) for k, p in enumerate(net["parks"]) if p.get("region") == "chengdu")'
svg_check "$tmp/two.svg" '"Chengdu 成都" in texts and "Chongqing </text><script>alert(1)</script>" in texts'
grep -q '<script' "$tmp/two.svg" && fail "a feature name reached the SVG as markup"
grep -q 'outlines: the boundaries given (3 rings)' "$tmp/two.svg" || fail "the legend does not mention the outlines"

# Standard input cannot be the boundaries (usage error).
expect_exit 2 "$bin" render --view map --boundaries - -o "$tmp/bad.svg" "$data"
# Hostile boundaries: refused, exit 1, no output file, the JSON path named.
refuse() { # refuse NAME EXPECTED-MESSAGE
  rm -f "$tmp/bad.svg"
  expect_exit 1 timeout 60 "$bin" render --view map --boundaries "$tmp/$1" -o "$tmp/bad.svg" "$data"
  grep -F -- "$2" "$tmp/err" | grep -qF -- "$tmp/$1" ||
    fail "$1: expected '$2' after the file's name in: $(head -c 400 "$tmp/err")"
  [ -e "$tmp/bad.svg" ] && fail "$1: an output file was written"
  ls "$tmp" | grep -q '^\.bad\|bad.svg.tmp' && fail "$1: a temporary file was left"
}
/usr/bin/python3 - "$tmp/huge.geojson" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"type": "Polygon", "coordinates": [[')
    f.write(",".join("[104.%06d,30.5]" % (k % 1000000) for k in range(1000000)))
    f.write(',[104.0,30.5]]]}')
PY
refuse huge.geojson '$.coordinates[0][200000]: more than 200000 positions in the boundaries'
/usr/bin/python3 -c 'import sys; open(sys.argv[1], "w").write("[" * 100000 + "]" * 100000)' "$tmp/deep.geojson"
refuse deep.geojson 'nesting deeper than the parser'"'"'s limit'
echo '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "x"}}]}' >"$tmp/type1.geojson"
refuse type1.geojson '$.features[0].geometry.coordinates: expected a Polygon'"'"'s rings (a non-empty array), found a string'
echo '{"type": "Polygon", "coordinates": [[[104, 30], [105, 30], [105, "31"], [104, 30]]]}' >"$tmp/type2.geojson"
refuse type2.geojson '$.coordinates[0][2]: expected a position [longitude, latitude], found another array'
echo '{"type": "Polygon", "coordinates": [[[104, 30], [105, 30], [104, 30]]]}' >"$tmp/short.geojson"
refuse short.geojson '$.coordinates[0]: a linear ring needs at least 4 positions'
echo '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [104, 30]}}' >"$tmp/point.geojson"
refuse point.geojson '$.geometry.type: unsupported geometry type "Point" (Polygon or MultiPolygon)'
echo '{"type": "Polygon", "coordinates": [[[104, 30], [105, 30], [185, 31], [104, 30]]]}' >"$tmp/range.geojson"
refuse range.geojson '$.coordinates[0][2]: position out of range'
echo '[1, 2]' >"$tmp/array.geojson"
refuse array.geojson '$: expected a GeoJSON object with a "type", found an array'
printf '{"type": "Polygon", "coordinates": [[[104, 30], [105' >"$tmp/cut.geojson"
refuse cut.geojson 'boundaries: '
refuse missing.geojson "cannot open"
# -o may not name the boundaries file: refused, the GeoJSON kept.
cp "$tmp/two.geojson" "$tmp/own.svg"
expect_exit 1 "$bin" render --view map -q --boundaries "$tmp/own.svg" -o "$tmp/own.svg" "$data"
grep -qF "cannot write '$tmp/own.svg': it is the input file" "$tmp/err" || fail "-o = boundaries: $(cat "$tmp/err")"
cmp -s "$tmp/two.geojson" "$tmp/own.svg" || fail "-o overwrote the boundaries"
# Read as the network is: a device refused before it is read, a FIFO
# nobody writes to given up after 10 s (timeout would give 124), a pipe read.
rm -f "$tmp/bad.svg"
expect_exit 1 "$bin" render --view map --boundaries /dev/zero -o "$tmp/bad.svg" "$data"
grep -qF 'chengyu: /dev/zero: not a regular file (it is a character device)' "$tmp/err" || fail "boundaries /dev/zero: $(cat "$tmp/err")"
mkfifo "$tmp/fifo.geojson"
refuse fifo.geojson "chengyu: $tmp/fifo.geojson: named pipe with no data after 10 s (is anything writing to it?)"
expect_exit 0 "$bin" render --view map -q --boundaries <(cat "$tmp/two.geojson") -o "$tmp/piped.svg" "$data"
grep -q 'outlines: the boundaries given (3 rings)' "$tmp/piped.svg" || fail "boundaries through a pipe not drawn"

# Options that do not apply.
expect_exit 2 "$bin" render --boundaries "$tmp/two.geojson" -o "$tmp/x.svg" "$data"
grep -q -- '--boundaries applies to --view map' "$tmp/err" || fail "no usage message for --boundaries without the map view"
expect_exit 2 "$bin" render --view map --layout neato -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --view map --color-by betweenness -o "$tmp/x.svg" "$data"
expect_exit 2 "$bin" render --view map --projection lambert -o "$tmp/x.svg" "$data"

# Above --max-nodes: one circle per park at its location.
expect_exit 0 "$bin" render --view map --max-nodes 50 -o "$tmp/parks.svg" "$data"
grep -q 'one circle per park' "$tmp/parks.svg" || fail "the aggregated map does not say so"
svg_check "$tmp/parks.svg" 'sum(1 for t in nodes if t.startswith("n")) == sum(1 for p in net["parks"] if p.get("location"))'

finish
