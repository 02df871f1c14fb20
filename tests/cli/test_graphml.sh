#!/usr/bin/env bash
# `chengyu export --format graphml [--with weak-links,centrality]` read back
# by NetworkX (nx.read_graphml): the node names are the enterprise ids, the
# edges the links (with their multiplicity), `label` the name (or the id),
# and the --with attributes equal what `weak-links -f json` and
# `centrality -f json` report for every firm; a firm outside the register
# has rank 0 and its own failure only (failed_count 1); the numeric fields
# in GraphML and in the CSV table equal the JSON's (absent when it does not
# give them) and format.md's values in effect computed here; the node table
# without its *_in_effect columns reads back through `chengyu import` as
# the same firms.  Run on the curated dataset, the hand graphs with weak-link
# cases, a generated network without and one with stress fields, and
# tests/fixtures/good/export_fields.json; usage errors exit 2 and write
# nothing.
# Usage: test_graphml.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$bin" generate --preset regional --no-stress-fields --seed 7 -o "$tmp/gen.json" || fail "generate"
"$bin" generate --preset regional --seed 8 -o "$tmp/gen-stress.json" || fail "generate"

/usr/bin/python3 - "$bin" "$tmp" "$src/data/chengdu-chongqing.json" \
  "$src/graphs/weaklinks.json" "$src/graphs/weaklinks-novalues.json" \
  "$src/graphs/star.json" "$tmp/gen.json" "$tmp/gen-stress.json" \
  "$src/tests/fixtures/good/export_fields.json" <<'PY' || exit 1
import csv, json, math, os, shutil, subprocess, sys
from collections import Counter
import networkx as nx

bin, tmp, paths = sys.argv[1], sys.argv[2], sys.argv[3:]

def numeric_fields(net):
    """Each field as the JSON gives it (None when it does not), and
    format.md's values in effect computed here: output = output_value, else
    outgoing volumes + final demand; final demand = given, else
    output_value - outgoing volumes floored at 0 when output_value is given,
    else 0; capacity = given, else the output."""
    out = Counter()
    for l in net["links"]:
        out[l["from"]] += l.get("volume", 0)
    fields = {}
    for e in net["enterprises"]:
        ov = e.get("output_value")
        fd = e.get("final_demand")
        if fd is None:
            fd = max(0.0, ov - out[e["id"]]) if ov is not None else 0.0
        output = ov if ov is not None else out[e["id"]] + fd
        loc = e.get("location")
        fields[e["id"]] = {
            "output_value": ov, "final_demand": e.get("final_demand"),
            "capacity": e.get("capacity"), "inventory_days": e.get("inventory_days"),
            "recovery_days": e.get("recovery_days"),
            "longitude": loc[0] if loc else None, "latitude": loc[1] if loc else None,
            "output_in_effect": output, "final_demand_in_effect": fd,
            "capacity_in_effect": e.get("capacity", output)}
    return fields

def near(a, b):
    # Sums of volumes: the loader adds in file order too, so equal up to rounding.
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)

stress_checked = 0

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
    # The numeric fields in GraphML (a value not given is left out) and in
    # the CSV table (an empty cell).
    fields = numeric_fields(net)
    run("export", "-f", "csv", "-o", f"{tmp}/x{k}", path)
    rows = {r["id"]: r for r in csv.DictReader(open(f"{tmp}/x{k}.nodes.csv", newline=""))}
    for fid, want in fields.items():
        for key, value in want.items():
            assert near(value, g.nodes[fid].get(key)), (path, fid, key, value, g.nodes[fid].get(key))
            cell = rows[fid][key]
            assert near(value, float(cell) if cell != "" else None), (path, fid, key, value, cell)
        stress_checked += want["recovery_days"] is not None
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
assert stress_checked > 100, stress_checked  # the generated stress fields were compared

# The node table without the *_in_effect columns is a table `chengyu
# import` reads as the same firms: exported again, the same node table
# (a value the file does not give stays empty, so a network without stress
# data does not gain any).
for path in paths[-1:] + [p for p in paths if p.endswith("star.json")]:
    run("export", "-f", "csv", "-o", f"{tmp}/rt", path)
    folder = f"{tmp}/rt-folder"
    shutil.rmtree(folder, ignore_errors=True)
    os.mkdir(folder)
    with open(f"{tmp}/rt.nodes.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    keep = [c for c in rows[0] if not c.endswith("_in_effect")]
    with open(f"{folder}/enterprises.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keep, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    shutil.copy(f"{tmp}/rt.edges.csv", f"{folder}/links.csv")
    run("import", "-q", "-o", f"{tmp}/rt.json", folder)
    run("export", "-f", "csv", "-o", f"{tmp}/rt2", f"{tmp}/rt.json")
    first, second = (open(f"{tmp}/{n}.nodes.csv").read() for n in ("rt", "rt2"))
    assert first == second, path
    had = json.loads(run("weak-links", "-f", "json", path))["time"]["available"]
    has = json.loads(run("weak-links", "-f", "json", f"{tmp}/rt.json"))["time"]["available"]
    assert had == has, (path, had, has)
print("graphml: ok,", len(paths), "networks,", stress_checked, "recovery times")
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
