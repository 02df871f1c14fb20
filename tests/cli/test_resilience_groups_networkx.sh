#!/usr/bin/env bash
# `chengyu resilience --by park|region` against NetworkX on the regional
# preset: after each row, the groups named by the removed_ids so far are
# taken out of the undirected simple firm graph (nx.Graph) and the largest
# connected component must equal the row's lcc, the members removed its
# enterprises_removed.  The demand order is checked against the final
# demand of each group recomputed here from the file (docs/analyses.md:
# final_demand, else output_value minus outgoing volumes floored at 0).
# Usage: test_resilience_groups_networkx.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

/usr/bin/python3 - "$bin" "$tmp" <<'PY'
import json, subprocess, sys
import networkx as nx

bin, tmp = sys.argv[1], sys.argv[2]
failures = 0

def fail(message):
    global failures
    failures += 1
    print("FAIL", message, file=sys.stderr)

gen = subprocess.run([bin, "generate", "--preset", "regional", "--seed", "3",
                      "-o", f"{tmp}/regional.json"], capture_output=True, text=True)
if gen.returncode != 0:
    print(gen.stderr, file=sys.stderr)
    sys.exit(1)
net = json.load(open(f"{tmp}/regional.json"))
parks = {p["id"]: p for p in net.get("parks", [])}
g = nx.Graph()
g.add_nodes_from(e["id"] for e in net["enterprises"])
g.add_edges_from((l["from"], l["to"]) for l in net["links"])
out_volume = {}
for l in net["links"]:
    out_volume[l["from"]] = out_volume.get(l["from"], 0) + l.get("volume", 0)

def final_demand(e):
    if "final_demand" in e:
        return e["final_demand"]
    if "output_value" in e:
        return max(0.0, e["output_value"] - out_volume.get(e["id"], 0))
    return 0.0

def group_of(e, by):
    if by == "park":
        return e.get("park")
    return e.get("region") or parks.get(e.get("park"), {}).get("region")

for by in ("park", "region"):
    members = {}
    for e in net["enterprises"]:
        if group_of(e, by) is not None:
            members.setdefault(group_of(e, by), []).append(e)
    for args in (["--attack", "demand"], ["--trials", "1", "--seed", "1"],
                 ["--trials", "1", "--seed", "2"]):
        label = f"--by {by} {' '.join(args)}"
        run = subprocess.run([bin, "resilience", "--by", by, "--format", "json", *args,
                              f"{tmp}/regional.json"], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"{label}: exit {run.returncode}: {run.stderr[:300]}")
            continue
        d = json.loads(run.stdout)
        h = g.copy()
        removed, order = 0, []
        for row in d["curve"]:
            for gid in row["removed_ids"]:
                order.append(gid)
                for e in members.get(gid, []):
                    h.remove_node(e["id"])
                    removed += 1
            want = max((len(c) for c in nx.connected_components(h)), default=0)
            if row["lcc"] != want or row["enterprises_removed"] != removed:
                fail(f"{label}: row {row['removed']}: lcc {row['lcc']} want {want}, "
                     f"removed {row['enterprises_removed']} want {removed}")
        every = [x["id"] for x in net.get("parks" if by == "park" else "regions", [])]
        if sorted(order) != sorted(every):
            fail(f"{label}: not every {by} removed: {order}")
        if args[1] == "demand":
            fd = [sum(final_demand(e) for e in members.get(gid, [])) for gid in order]
            if any(a < b - 1e-6 * max(1.0, abs(a)) for a, b in zip(fd, fd[1:])):
                fail(f"{label}: not by final demand: {list(zip(order, fd))}")
        print(f"ok {label}: {len(d['curve'])} rows")
sys.exit(1 if failures else 0)
PY
