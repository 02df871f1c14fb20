#!/usr/bin/env bash
# Articulation points and bridges of `chengyu resilience --structure` agree
# with NetworkX (nx.articulation_points, nx.bridges on the undirected simple
# graph) on random networks written by Python (sparse trees-with-extras,
# denser ones, mutual pairs, several parts per firm pair, isolated firms;
# with and without mutual pairs, so that both paths of structure.c run)
# and, when `chengyu generate` is available, on the regional preset.
# Usage: test_structure_networkx.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

/usr/bin/python3 - "$bin" "$tmp" <<'PY'
import json, random, subprocess, sys
import networkx as nx

bin, tmp = sys.argv[1], sys.argv[2]
failures = 0

def check(path, label):
    global failures
    net = json.load(open(path))
    ids = [e["id"] for e in net["enterprises"]]
    index = {v: i for i, v in enumerate(ids)}
    g = nx.Graph()
    g.add_nodes_from(ids)
    directed = set()
    for l in net["links"]:
        g.add_edge(l["from"], l["to"])
        directed.add((l["from"], l["to"]))
    run = subprocess.run([bin, "resilience", "--structure", "--format", "json", path],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL {label}: exit {run.returncode}: {run.stderr[:300]}", file=sys.stderr)
        failures += 1
        return
    d = json.loads(run.stdout)
    want_points = sorted(nx.articulation_points(g))
    want_bridges = sorted(tuple(sorted(b)) for b in nx.bridges(g))
    got_bridges = sorted(tuple(sorted(b)) for b in d["bridges"])
    ok = d["articulation_points"] == want_points and got_bridges == want_bridges
    # Orientation: a real supply direction; mutual pairs from the lower index.
    for a, b in d["bridges"]:
        if (a, b) not in directed or ((b, a) in directed and index[a] > index[b]):
            ok = False
    if d["bridges"] != sorted(d["bridges"], key=lambda p: (p[0].encode(), p[1].encode())):
        ok = False
    if not ok:
        print(f"FAIL {label}: points {len(d['articulation_points'])} vs {len(want_points)}, "
              f"bridges {len(got_bridges)} vs {len(want_bridges)}", file=sys.stderr)
        failures += 1
    else:
        mutual = sum(1 for a, b in directed if (b, a) in directed) // 2
        print(f"ok {label}: {len(ids)} firms, {mutual} mutual pairs, "
              f"{len(want_points)} articulation points, {len(want_bridges)} bridges")

def random_network(seed, n, extra, mutual, isolated):
    rng = random.Random(seed)
    links = {}
    # A random forest (many bridges) plus `extra` random edges (cycles).
    for v in range(1, n):
        if rng.random() < 0.9:
            u = rng.randrange(v)
            links[(u, v, "p%d" % rng.randrange(3))] = 1
    for _ in range(extra):
        u, v = rng.sample(range(n), 2)
        # Without mutual pairs asked for, none by chance either.
        if mutual == 0 and any((v, u, "p%d" % p) in links for p in range(3)):
            continue
        links[(u, v, "p%d" % rng.randrange(3))] = 1
    for _ in range(mutual):
        u, v = rng.sample(range(n), 2)
        links[(u, v, "m")] = 1
        links[(v, u, "m")] = 1
    ents = [{"id": "firm-%d" % (v * 7919 % (n + isolated)), "kind": "supplier"}
            for v in range(n + isolated)]
    return {"format": "chengyu/1", "name": "networkx check %d" % seed,
            "enterprises": ents,
            "links": [{"from": ents[u]["id"], "to": ents[v]["id"], "part": p}
                      for (u, v, p) in links]}

cases = [(1, 60, 5, 3, 2), (2, 300, 30, 10, 5), (3, 1000, 200, 40, 0),
         (4, 2000, 2500, 100, 10), (5, 500, 0, 0, 3), (6, 1500, 400, 0, 4)]
for seed, n, extra, mutual, isolated in cases:
    path = f"{tmp}/random-{seed}.json"
    json.dump(random_network(seed, n, extra, mutual, isolated), open(path, "w"))
    check(path, f"random seed {seed}")

gen = subprocess.run([bin, "generate", "--preset", "regional", "--seed", "3",
                      "-o", f"{tmp}/regional.json"], capture_output=True, text=True)
if gen.returncode == 0:
    check(f"{tmp}/regional.json", "generate --preset regional")
else:
    print("note: chengyu generate unavailable, preset not checked", file=sys.stderr)
sys.exit(1 if failures else 0)
PY
