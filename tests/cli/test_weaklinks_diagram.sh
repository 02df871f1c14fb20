#!/usr/bin/env bash
# The weak-link diagram (render --highlight weak-links, the figure of
# weak-links --format html): the firms marked are exactly the register's
# first --top ids (default 20), each with its rank, graded by
# final_demand_lost (tests/cli/weaklinks_diagram.py reads the DOT); the
# legend says how many are marked; ids and names that are hostile to DOT,
# HTML-like labels and SVG are escaped (the SVG parses as XML, the DOT
# keeps every mark).
# Usage: test_weaklinks_diagram.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
check=$src/tests/cli/weaklinks_diagram.py
data=$src/data/chengdu-chongqing.json

expect_exit 0 "$bin" weak-links -f json -o "$tmp/register.json" "$data"
for n in default 7 0; do
  if [ "$n" = default ]; then
    expect_exit 0 "$bin" render --highlight weak-links -f dot -o "$tmp/d.dot" "$data"
    want=20
  else
    expect_exit 0 "$bin" render --highlight weak-links --top "$n" -f dot -o "$tmp/d.dot" "$data"
    want=$n
  fi
  /usr/bin/python3 "$check" "$data" "$tmp/d.dot" "$tmp/register.json" "$want" ||
    fail "curated dataset, --top $n: the marks differ from the register"
done
# The legend says so.
expect_exit 0 "$bin" render --highlight weak-links -n 7 -f dot -o "$tmp/d.dot" "$data"
grep -q 'the first 7 firms of the risk register (weak-links) whose failure stops the most final demand; the others are not marked (72 in the register)' "$tmp/d.dot" ||
  fail "legend does not say that only the first 7 of 72 are marked"
# A bad --top is a usage error.
expect_exit 2 "$bin" render --highlight weak-links --top -1 -f dot -o "$tmp/x.dot" "$data"

# Hostile ids and names: a chain of suppliers whose ids and names carry
# quotes, backslashes, HTML-like markup, DOT syntax, a newline and a
# bidirectional override.
/usr/bin/python3 - "$tmp/hostile.json" <<'PY'
import json, sys
ids = ['a"b', 'c\\', '<b>x</b>', 'd];e [f', 'g\\"h', "line\nbreak", "\u202etxt", "oem &amp;"]
net = {"format": "chengyu/1", "name": "hostile <i>diagram</i> \\N",
       "enterprises": [{"id": i, "name": i + " \\G &lt;", "kind": "supplier",
                        "output_value": 10 * (k + 1)} for k, i in enumerate(ids)],
       "links": [{"from": ids[k], "to": ids[k + 1], "part": f"p{k}", "volume": 1}
                 for k in range(len(ids) - 1)]}
net["enterprises"][-1]["kind"] = "oem"
net["enterprises"][-1]["final_demand"] = 500
net["enterprises"][3]["final_demand"] = 40
json.dump(net, open(sys.argv[1], "w"))
PY
expect_exit 0 "$bin" weak-links -f json -o "$tmp/hregister.json" "$tmp/hostile.json"
expect_exit 0 "$bin" render --highlight weak-links -n 5 -f dot -o "$tmp/h.dot" "$tmp/hostile.json"
/usr/bin/python3 "$check" "$tmp/hostile.json" "$tmp/h.dot" "$tmp/hregister.json" 5 ||
  fail "hostile ids: the marks differ from the register"
expect_exit 0 "$bin" render --highlight weak-links -n 5 -f svg -o "$tmp/h.svg" "$tmp/hostile.json"
/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$tmp/h.svg" ||
  fail "hostile ids: the SVG is not well-formed XML"
grep -q '<b>x</b>' "$tmp/h.svg" && fail "hostile ids: markup reached the SVG unescaped"

finish
