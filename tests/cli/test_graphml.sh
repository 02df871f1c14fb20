#!/usr/bin/env bash
# `chengyu export --format graphml [--with weak-links,centrality]` read back
# by NetworkX (nx.read_graphml): the node names are the enterprise ids, the
# edges the links (with their multiplicity), `label` the name (or the id),
# and the --with attributes equal what `weak-links -f json` and
# `centrality -f json` report for every firm; a firm outside the register
# has rank 0 and its own failure only (failed_count 1).  Run on the curated
# dataset, the hand graphs with weak-link cases and a generated network;
# usage errors exit 2 and write nothing.
# Usage: test_graphml.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" generate --preset regional --no-stress-fields --seed 7 -o "$tmp/gen.json" || fail "generate"

/usr/bin/python3 - "$bin" "$tmp" "$src/data/chengdu-chongqing.json" \
  "$src/graphs/weaklinks.json" "$src/graphs/weaklinks-novalues.json" \
  "$src/graphs/star.json" "$tmp/gen.json" <<'PY' || exit 1
import json, math, subprocess, sys
from collections import Counter
import networkx as nx

bin, tmp, paths = sys.argv[1], sys.argv[2], sys.argv[3:]

def run(*args):
    return subprocess.run([bin, *args], check=True, capture_output=True).stdout

def close(a, b):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)

for k, path in enumerate(paths):
    net = json.load(open(path))
    out = f"{tmp}/x{k}.graphml"
    run("export", "-f", "graphml", "--with", "weak-links,centrality", "-o", out, path)
    g = nx.read_graphml(out)
    ids = [e["id"] for e in net["enterprises"]]
    assert set(g.nodes) == set(ids) and len(g) == len(ids), path
    want = Counter((l["from"], l["to"]) for l in net["links"])
    got = Counter((u, v) for u, v, *_ in g.edges)
    assert got == want, (path, got - want, want - got)
    for e in net["enterprises"]:
        assert g.nodes[e["id"]]["label"] == (e.get("name") or e["id"]), e["id"]
    wl = json.loads(run("weak-links", "-f", "json", path))
    register = {r["id"]: (i + 1, r) for i, r in enumerate(wl["register"])}
    for fid in ids:
        d = g.nodes[fid]
        if fid in register:
            rank, r = register[fid]
            assert d["register_rank"] == rank, (fid, d["register_rank"], rank)
            for key in ("failed_count", "demand_nodes_failed", "final_demand_lost",
                        "final_demand_lost_fraction"):
                # An undefined value (no final demand at all: the fraction
                # is null in JSON) is left out of the node's data.
                assert close(r[key], d.get(key)), (path, fid, key, r[key], d.get(key))
            roles = r["roles"]
            assert d["single_source_pairs"] == roles["single_source_pairs"], fid
            assert d["chokepoint_of"] == len(roles["chokepoint_of"]), fid
            assert d["articulation_point"] == (1 if roles["articulation_point"] else 0), fid
            assert d["bridges"] == roles["bridges"], fid
        else:
            assert d["register_rank"] == 0 and d["failed_count"] == 1, (fid, d)
            assert d["single_source_pairs"] == 0 and d["chokepoint_of"] == 0, (fid, d)
    assert len(register) > 0, path
    cen = json.loads(run("centrality", "-f", "json", path))
    for row in cen["rows"]:
        for m in cen["measures"]:
            assert close(row[m], g.nodes[row["id"]][m]), (path, row["id"], m)
print("graphml: ok,", len(paths), "networks")
PY

# Usage errors: nothing written.
out="$tmp/never.graphml"
"$bin" export -f graphml --with pagerank -o "$out" "$src/graphs/star.json" 2>"$tmp/err"
[ $? -eq 2 ] || fail "--with pagerank: want exit 2"
grep -q "unknown analysis 'pagerank'" "$tmp/err" || fail "--with pagerank: message"
"$bin" export -f csv --with weak-links -o "$tmp/never" "$src/graphs/star.json" 2>/dev/null
[ $? -eq 2 ] || fail "--with with csv: want exit 2"
[ ! -e "$out" ] && [ ! -e "$tmp/never.nodes.csv" ] || fail "a usage error wrote a file"
echo "ok"
