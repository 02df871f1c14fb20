#!/usr/bin/env bash
# chengyu render and the weak-link report on a dense, unlayered network
# (the dense preset: 800 firms, no tiers, no parks, firms that supply each
# other): views of firms drawn with sfdp (dot's ranks would run hundreds
# deep), views the file has nothing for falling back to one it has, the
# report's overview figure by region, the first firms of the register
# drawn when nothing groups the firms, and hints that name only the views
# the file has.
# Usage: test_dense.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

dense=$tmp/dense.json
bare=$tmp/bare.json # the same without regions: no group of any kind
expect_exit 0 "$bin" generate --preset dense --no-stress-fields -o "$dense"
/usr/bin/python3 - "$dense" "$bare" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d.pop("regions", None)
for e in d["enterprises"]:
    e.pop("region", None)
json.dump(d, open(sys.argv[2], "w"))
PY

# The full view: every firm, with sfdp, and a note that says why.
expect_exit 0 "$bin" render -o "$tmp/full.dot" "$dense"
grep -q 'layout=sfdp' "$tmp/full.dot" || fail "the full view is not laid out with sfdp"
grep -q 'drawn with sfdp (force-directed) instead' "$tmp/err" || fail "no sfdp note: $(cat "$tmp/err")"
[ "$(grep -c '^[[:space:]]*f[0-9]*[[:space:]]*\[' "$tmp/full.dot")" -eq 800 ] || fail "the full view does not draw the 800 firms"
grep -q 'grey boxes: parks' "$tmp/full.dot" && fail "the legend explains parks the file does not have"
expect_exit 0 "$bin" render --view ego --focus firm-002 -o "$tmp/ego.dot" "$dense"
grep -q 'layout=sfdp' "$tmp/ego.dot" || fail "the ego view of the hub is not laid out with sfdp"
expect_exit 0 "$bin" render --layout circo -o "$tmp/circo.dot" "$dense"
grep -q 'layout=sfdp' "$tmp/circo.dot" || fail "circo on 800 firms was not replaced"
grep -q -- '--layout circo would take about' "$tmp/err" || fail "no circo note: $(cat "$tmp/err")"

# Views the file has nothing for fall back to one it has.
expect_exit 0 "$bin" render --view tiers -o "$tmp/tiers.dot" "$dense"
grep -q 'No firm has a tier: drawing the full view instead' "$tmp/err" || fail "no tiers note: $(cat "$tmp/err")"
grep -q 'tierhead' "$tmp/tiers.dot" && fail "the tiers view drew one column of firms without a tier"
for view in parks clusters; do
  expect_exit 0 "$bin" render --view "$view" -o "$tmp/$view.dot" "$dense"
  grep -q "The network has no $view: drawing the regions view instead" "$tmp/err" || fail "no $view note: $(cat "$tmp/err")"
  grep -q 'label="Chongqing' "$tmp/$view.dot" || fail "$view: no Chongqing node"
  grep -q 'outside' "$tmp/$view.dot" && fail "$view: a node of firms outside any $view"
done

# Drawn and laid out: the weak links marked, well-formed SVG.
expect_exit 0 "$bin" render --highlight weak-links -o "$tmp/weak.svg" "$dense"
grep -q '<svg' "$tmp/weak.svg" || fail "no SVG"
grep -q '#1, ' "$tmp/weak.svg" || fail "the first firm of the register is not marked"

# Nothing to group by and too many firms: the first firms of the risk
# register and their partners, not one box.
expect_exit 0 "$bin" render --max-nodes 100 --highlight weak-links -o "$tmp/first.dot" "$bare"
grep -q 'drawing the first 20 firms of the risk register and their direct partners' "$tmp/err" \
  || fail "no first-firms note: $(cat "$tmp/err")"
firms=$(grep -c '^[[:space:]]*f[0-9]*[[:space:]]*\[' "$tmp/first.dot")
[ "$firms" -gt 20 ] && [ "$firms" -le 100 ] || fail "the first-firms view draws $firms firms"

# Hints name only the views the file has.
# The regions view (the only overview the file has; Graphviz alone takes
# longer than 1 ms to start): nothing smaller to suggest.
expect_exit 1 "$bin" render --view regions --timeout 0.001 -o "$tmp/x.svg" "$dense"
grep -q 'did not finish within 0.001 s (--timeout); raise --timeout' "$tmp/err" \
  || fail "timeout hint of the regions view: $(cat "$tmp/err")"
grep -q -- '--view' "$tmp/err" && fail "a hint suggests a view: $(cat "$tmp/err")"
expect_exit 1 "$bin" render --layout sfdp --timeout 0.01 -o "$tmp/x.svg" "$bare"
grep -q 'did not finish within 0.01 s (--timeout); draw a smaller view (a lower --max-nodes) or raise --timeout' "$tmp/err" \
  || fail "timeout hint without groups: $(cat "$tmp/err")"
grep -q -- '--view' "$tmp/err" && fail "a hint suggests a view the file does not have: $(cat "$tmp/err")"
[ -e "$tmp/x.svg" ] && fail "a timed-out render wrote its output"

# The warning before a layout estimated above --timeout gives the hint of
# the view drawn: for the regions view (also when parks were asked for and
# the file has none) no lower --max-nodes (it does not apply to groups) and
# no --view regions (the view drawn); for the firms, both.
for view in parks regions; do
  expect_exit 1 "$bin" render --view $view --timeout 0.0000001 -o "$tmp/x.svg" "$dense"
  grep -q '^chengyu: warning: render: the dot layout of 2 nodes, 2 edges should take under 1 s, more than --timeout 1e-07; raise --timeout$' "$tmp/err" ||
    fail "layout warning of the $view view: $(cat "$tmp/err")"
done
expect_exit 1 "$bin" render --timeout 0.0000001 -o "$tmp/x.svg" "$dense"
grep -q '^chengyu: warning: render: the sfdp layout of 800 nodes, .* more than --timeout 1e-07; draw a smaller view (--view regions, a lower --max-nodes) or raise --timeout$' "$tmp/err" ||
  fail "layout warning of the full view: $(cat "$tmp/err")"
[ -e "$tmp/x.svg" ] && fail "a timed-out render wrote its output"

# The weak-link report: the supply figure and, without parks, the regions.
expect_exit 0 "$bin" weak-links -f html -o "$tmp/report.html" "$dense"
grep -q 'without the figure' "$tmp/err" && fail "the report dropped a figure: $(cat "$tmp/err")"
[ "$(grep -c '<svg' "$tmp/report.html")" -ge 3 ] || fail "the report has fewer than 3 figures"
grep -q 'The network has no parks: one node per region' "$tmp/report.html" || fail "no regions figure"

# Over 255 firms on one tier are still one tier, not a grouping (a counter
# per tier once wrapped at 256 and counted tier 1 twice): the first firms
# are drawn, not one box "Tier 1, 700 firms".
/usr/bin/python3 - "$tmp/onetier.json" <<'PY'
import json, sys
e = [{"id": "f%03d" % i, "name": "F%d" % i, "kind": "supplier", "tier": 1,
      "output_value": 1000 + i} for i in range(700)]
l = [{"from": "f%03d" % i, "to": "f%03d" % (i + 1), "part": "p", "volume": 10}
     for i in range(699)]
json.dump({"format": "chengyu/1", "name": "one tier", "enterprises": e, "links": l},
          open(sys.argv[1], "w"))
PY
expect_exit 0 "$bin" render --max-nodes 300 -f dot -o "$tmp/onetier.dot" "$tmp/onetier.json"
grep -q '700 firms' "$tmp/onetier.dot" && fail "700 firms on one tier drawn as one box"
grep -q 'drawing the 20 biggest firms by output' "$tmp/err" || fail "one tier: $(cat "$tmp/err")"
# One firm drawn: a note in the singular (was "the 1 biggest firms ... (1
# firms)"), in English and Chinese.
expect_exit 0 "$bin" render --max-nodes 1 -f dot -o "$tmp/one.dot" "$tmp/onetier.json"
grep -q 'drawing 1 firm, the biggest by output, and its direct partners with the most volume (1 firm)\.$' "$tmp/err" ||
  fail "one firm: $(cat "$tmp/err")"
expect_exit 0 "$bin" render --max-nodes 1 --highlight weak-links -f dot -o "$tmp/one.dot" "$tmp/onetier.json"
grep -q 'drawing 1 firm, the first of the risk register, and its direct partners with the most volume (1 firm)\.$' "$tmp/err" ||
  fail "one firm of the register: $(cat "$tmp/err")"
expect_exit 0 "$bin" render --lang zh --max-nodes 1 -f dot -o "$tmp/one.dot" "$tmp/onetier.json"
grep -q '只画出产值最大的 1 家企业及其供货量最大的直接伙伴（共 1 家）' "$tmp/one.dot" ||
  fail "one firm, zh: $(grep -o '只画出[^"]*' "$tmp/one.dot")"
expect_exit 0 "$bin" render --max-nodes 2 -f dot -o "$tmp/one.dot" "$tmp/onetier.json"
grep -q 'drawing the 2 biggest firms by output and their direct partners with the most volume (2 firms)\.$' "$tmp/err" ||
  fail "two firms: $(cat "$tmp/err")"

finish
