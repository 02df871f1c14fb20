#!/usr/bin/env bash
# The time section's cone limit (weak-links --time-max-cone N, default
# 2000): a register firm whose downstream cone (the firm and every firm it
# reaches along links with a volume) has more than N firms gets no
# program: "solved": false and its TTR only.  The cones are counted by
# NetworkX (descendants along the links with a volume), independently of
# chengyu's walk; the solved rows must carry exactly the figures of a run
# without a limit.
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2" wl-cone

"$bin" generate --preset regional -q -o "$tmp/net.json" || fail "generate regional"
run() { # run LIMIT OUT
  "$bin" weak-links -f json --time-firms 6 --time-max-cone "$1" -q -o "$2" "$tmp/net.json" ||
    fail "weak-links --time-max-cone $1"
}
run 0 "$tmp/all.json"
run 400 "$tmp/cut.json"
run 2000 "$tmp/default-limit.json"
"$bin" weak-links -f json --time-firms 6 -q -o "$tmp/default.json" "$tmp/net.json" ||
  fail "weak-links without --time-max-cone"
cmp -s "$tmp/default.json" "$tmp/default-limit.json" || fail "the default limit is not 2000"

/usr/bin/python3 - "$tmp/net.json" "$tmp/all.json" "$tmp/cut.json" <<'PY' || fail "cone limit"
import json, sys
import networkx as nx
net = json.load(open(sys.argv[1]))
every, cut = (json.load(open(p))["time"] for p in sys.argv[2:4])
g = nx.DiGraph()
g.add_nodes_from(e["id"] for e in net["enterprises"])
g.add_edges_from((l["from"], l["to"]) for l in net["links"] if l.get("volume", 0) > 0)
cone = {f["id"]: 1 + len(nx.descendants(g, f["id"])) for f in cut["firms"]}
bad = []
if every["max_cone"] != 0 or every["unsolved"] != 0 or cut["max_cone"] != 400:
    bad.append(("limits", every["max_cone"], every["unsolved"], cut["max_cone"]))
small = [i for i, c in cone.items() if c <= 400]
if not small or len(small) == len(cone):
    bad.append(("the regional preset no longer has cones on both sides of 400", cone))
if cut["unsolved"] != len(cone) - len(small):
    bad.append(("unsolved", cut["unsolved"], cone))
for a, b in zip(every["firms"], cut["firms"]):
    if a["id"] != b["id"] or not a["solved"]:
        bad.append(("order or unlimited row", a, b))
    elif b["solved"] != (cone[b["id"]] <= 400):
        bad.append(("solved flag", b, cone[b["id"]]))
    elif b["solved"] and a != b:
        bad.append(("figures differ", a, b))
    elif not b["solved"] and b != {"id": a["id"], "solved": False, "ttr_days": a["ttr_days"]}:
        bad.append(("unsolved row", a, b))
if bad:
    print(bad, file=sys.stderr)
    sys.exit(1)
PY

# Markdown: the unsolved rows say so, and a sentence counts them.
"$bin" weak-links -f md --time-firms 6 --time-max-cone 400 -q -o "$tmp/cut.md" "$tmp/net.json" ||
  fail "weak-links -f md"
n=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["time"]["unsolved"])' "$tmp/cut.json")
[ "$(grep -c 'not solved (cone too large)' "$tmp/cut.md")" -eq "$n" ] || fail "Markdown rows not solved"
grep -q "were not solved: their downstream cones have more than 400 firms" "$tmp/cut.md" ||
  [ "$n" -eq 1 ] || fail "Markdown sentence"

# The workbook: the TTS cell says so in words (a blank TTS means the network
# survives the horizon), the TTR stays a number.
"$bin" weak-links -f xlsx --time-firms 6 --time-max-cone 400 -q -o "$tmp/cut.xlsx" "$tmp/net.json" ||
  fail "weak-links -f xlsx"
/usr/bin/python3 - "$tmp/cut.xlsx" "$tmp/cut.json" <<'PY' || fail "workbook time sheet"
import json, sys, openpyxl
rows = list(openpyxl.load_workbook(sys.argv[1])["time"].iter_rows(min_row=2, values_only=True))
firms = json.load(open(sys.argv[2]))["time"]["firms"]
head = [c.value for c in next(openpyxl.load_workbook(sys.argv[1])["time"].iter_rows(max_row=1))]
tts, ttr = head.index("TTS (days)"), head.index("TTR (days)")
bad = [(r, f) for r, f in zip(rows, firms)
       if r[1] != f["id"] or (not f["solved"] and (r[tts] != "not solved (cone too large)" or r[ttr] != f["ttr_days"]))
       or (f["solved"] and isinstance(r[tts], str))]
if bad or len(rows) != len(firms):
    print(bad, len(rows), len(firms), file=sys.stderr)
    sys.exit(1)
PY

# A file the stress check refuses (a link without volume) has no figures
# whatever the limit, also when no row would be solved.
/usr/bin/python3 - "$tmp/net.json" "$tmp/novol.json" <<'PY' || fail "making the file"
import json, sys
d = json.load(open(sys.argv[1]))
del d["links"][3]["volume"]
json.dump(d, open(sys.argv[2], "w"))
PY
for limit in 1 0; do
  "$bin" weak-links -f json --time-firms 3 --time-max-cone $limit -q -o "$tmp/novol-$limit.json" \
    "$tmp/novol.json" || fail "weak-links on a link without volume, limit $limit"
  check_json "$tmp/novol-$limit.json" 'd["time"]["available"] is False and "links[3]" in d["time"]["reason"] and "volume" in d["time"]["reason"]'
done

# A bad value is a usage error.
expect_exit 2 "$bin" weak-links --time-max-cone -3 "$tmp/net.json"
finish
