#!/usr/bin/python3
"""Check `chengyu centrality` against NetworkX and python-igraph.

usage: centrality_reference.py CHENGYU WORKDIR [NETWORK.json ...]

Writes synthetic chengyu/1 networks of several sizes into WORKDIR (seeded,
so every run checks the same graphs), adds the NETWORK.json files given
(e.g. from `chengyu generate`), runs chengyu on each with several option
sets and compares every value with the reference libraries to 1e-6
relative.  The graphs have what real supply networks have: tiers, heavy
tailed supplier popularity, several links between one pair (different
parts), mutual pairs and cycles, zero volumes, firms in several clusters,
firms in no park and isolated firms.

Conventions compared (docs/analyses.md):
  degree = in + out; in_degree, out_degree; strength = summed volume in+out
  betweenness: nx.betweenness_centrality(normalized=False), igraph betweenness
  pagerank: damping 0.85, dangling nodes uniform (NetworkX's pure-Python
    power iteration to 1e-15, igraph PRPACK)
  coreness: nx.core_number (in + out degree), igraph coreness(mode="all")
  closeness: nx.closeness_centrality (incoming distances, wf_improved)
  harmonic: nx.harmonic_centrality (incoming distances)
  --weighted: volume as PageRank weight, length 1/volume for paths
    (exact fractions on the NetworkX side), zero-volume edges left out of
    path lengths
  --undirected: one edge per unordered pair, volumes summed
  --by park: one vertex per park, an edge per ordered park pair with a
    firm edge between them (volumes summed), pairs inside a park dropped
"""
import csv
from fractions import Fraction
import io
import json
import os
import random
import subprocess
import sys

import igraph
import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

REL = 1e-6
failures = []
checked = 0


def fail(msg):
    failures.append(msg)
    if len(failures) <= 30:
        print("MISMATCH " + msg, file=sys.stderr)


def close(a, b):
    return abs(a - b) <= REL * max(abs(a), abs(b), 1e-12)


# ---- synthetic networks ----------------------------------------------------

def synthetic(n, seed, path):
    """A tiered supply network of n firms, deterministic for (n, seed)."""
    rnd = random.Random(seed)
    parks = ["park%d" % k for k in range(max(3, n // 40))]
    clusters = ["cl%d" % k for k in range(4)]
    regions = ["chongqing", "chengdu", "elsewhere"]
    firms = []
    for i in range(n):
        tier = min(4, int(rnd.random() * 5))
        kind = "oem" if tier == 0 else "material" if tier == 4 else "supplier"
        if rnd.random() < 0.04:
            kind = "service"
        f = {"id": "f%04d" % i, "name": "Firm %d, \"tier %d\"" % (i, tier),
             "kind": kind, "tier": tier, "region": rnd.choice(regions)}
        if rnd.random() < 0.9:
            f["park"] = rnd.choice(parks)
        cl = rnd.sample(clusters, rnd.choice([0, 1, 1, 2]))
        if cl:
            f["clusters"] = cl
        firms.append(f)
    by_tier = [[i for i, f in enumerate(firms) if f["tier"] == t] for t in range(5)]
    popularity = [1.0 + rnd.paretovariate(1.2) for _ in range(n)]
    links = set()

    def add(a, b):
        if a == b:
            return
        part = "part%d" % rnd.randrange(6)
        links.add((a, b, part))

    for i, f in enumerate(firms):
        t = f["tier"]
        if t == 4 or rnd.random() < 0.03:
            continue  # materials buy nothing; a few firms stand alone
        upstream = by_tier[t + 1] or by_tier[4]
        if not upstream:
            continue
        weights = [popularity[j] for j in upstream]
        for _ in range(rnd.randint(1, 4)):
            for j in rnd.choices(upstream, weights=weights, k=rnd.randint(1, 3)):
                add(j, i)
    # Cycles and mutual pairs: some customers also supply their suppliers,
    # and a few links jump across tiers in either direction.
    for (a, b, _) in sorted(links):
        if rnd.random() < 0.03:
            add(b, a)
    for _ in range(n // 20):
        add(rnd.randrange(n), rnd.randrange(n))
    out_links = []
    for (a, b, part) in sorted(links):
        volume = 0 if rnd.random() < 0.03 else rnd.randint(1, 999) * 10 ** rnd.randint(0, 7)
        out_links.append({"from": firms[a]["id"], "to": firms[b]["id"],
                          "part": part, "volume": volume})
    doc = {"format": "chengyu/1", "name": "synthetic %d/%d" % (n, seed),
           "regions": [{"id": r} for r in regions],
           "clusters": [{"id": c, "name": "Cluster " + c} for c in clusters],
           "parks": [{"id": p, "name": "Park " + p} for p in parks],
           "enterprises": firms, "links": out_links}
    with open(path, "w") as fh:
        json.dump(doc, fh)


# ---- the reference graphs ---------------------------------------------------

class Network:
    def __init__(self, path):
        with open(path) as fh:
            doc = json.load(fh)
        self.ids = [e["id"] for e in doc["enterprises"]]
        self.firms = doc["enterprises"]
        self.parks = [p["id"] for p in doc.get("parks", [])]
        volume = {}
        for link in doc["links"]:
            key = (link["from"], link["to"])
            volume[key] = volume.get(key, 0.0) + link.get("volume", 0)
        self.firm_edges = volume  # (supplier, customer) -> summed volume

    def view(self, by=None, undirected=False):
        """(vertex ids, {(a, b): volume}) of the analysed graph."""
        if by is None:
            vertices, edges = self.ids, dict(self.firm_edges)
        else:
            park_of = {f["id"]: f.get("park") for f in self.firms}
            vertices, edges = self.parks, {}
            for (a, b), vol in self.firm_edges.items():
                pa, pb = park_of[a], park_of[b]
                if pa is None or pb is None or pa == pb:
                    continue
                edges[(pa, pb)] = edges.get((pa, pb), 0.0) + vol
        if undirected:
            merged = {}
            for (a, b), vol in edges.items():
                key = (a, b) if a < b else (b, a)
                merged[key] = merged.get(key, 0.0) + vol
            edges = merged
        return vertices, edges


def nx_graph(vertices, edges, undirected, path_graph=False):
    g = nx.Graph() if undirected else nx.DiGraph()
    g.add_nodes_from(vertices)
    for (a, b), vol in edges.items():
        if path_graph and vol <= 0:
            continue
        # Path lengths 1/volume as exact fractions: NetworkX then finds
        # exactly the ties that exist in real arithmetic, which igraph finds
        # with its 1e-10 relative tolerance; with float lengths, sums that
        # differ only by rounding would break ties in NetworkX alone.
        g.add_edge(a, b, volume=vol,
                   length=(1 / Fraction(vol)) if vol > 0 else None)
    return g


def ig_graph(vertices, edges, undirected):
    index = {v: i for i, v in enumerate(vertices)}
    pairs = list(edges)
    g = igraph.Graph(n=len(vertices), edges=[(index[a], index[b]) for a, b in pairs],
                     directed=not undirected)
    g.es["volume"] = [edges[p] for p in pairs]
    return g


# ---- running chengyu --------------------------------------------------------

def run_chengyu(binary, path, args):
    proc = subprocess.run([binary, "centrality", "--format", "csv"] + args + [path],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        fail("%s %s: exit %d: %s" % (path, " ".join(args), proc.returncode, proc.stderr))
        return None, []
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    return {r["id"]: r for r in rows}, rows


def compare(label, rows, measure, reference, source):
    global checked
    if rows is None:
        return
    reference = {k: float(v) for k, v in reference.items()}
    if set(rows) != set(reference):
        fail("%s %s: rows %d vs %s %d" % (label, measure, len(rows), source, len(reference)))
        return
    for vid, want in reference.items():
        got = float(rows[vid][measure])
        checked += 1
        if not close(got, want):
            fail("%s %s %s: chengyu %.17g, %s %.17g" % (label, measure, vid, got, source, want))


# ---- the checks -------------------------------------------------------------

def run_view(binary, path, net, measures, undirected, options=(), by=None):
    """Run chengyu with the measures and options on one view; return the
    label for messages, chengyu's rows and the view's vertices and edges."""
    label = " ".join([os.path.basename(path)] + list(options) +
                     (["--undirected"] if undirected else []) +
                     (["--by", by] if by else []))
    args = ["--measure", measures, "--approx", "0"] + list(options)
    if undirected:
        args.append("--undirected")
    if by:
        args += ["--by", by]
    rows, _ = run_chengyu(binary, path, args)
    vertices, edges = net.view(by, undirected)
    return label, rows, vertices, edges


def check_plain(binary, path, net, undirected, by=None):
    label, rows, vertices, edges = run_view(
        binary, path, net,
        "degree,in_degree,out_degree,strength,betweenness,pagerank,coreness,closeness,harmonic",
        undirected, by=by)
    g = nx_graph(vertices, edges, undirected)
    ig = ig_graph(vertices, edges, undirected)

    if undirected:
        compare(label, rows, "degree", dict(g.degree()), "networkx")
        compare(label, rows, "in_degree", dict(g.degree()), "networkx")
    else:
        compare(label, rows, "degree", dict(g.degree()), "networkx")
        compare(label, rows, "in_degree", dict(g.in_degree()), "networkx")
        compare(label, rows, "out_degree", dict(g.out_degree()), "networkx")
    compare(label, rows, "strength", dict(g.degree(weight="volume")), "networkx")
    compare(label, rows, "betweenness", nx.betweenness_centrality(g, normalized=False), "networkx")
    compare(label, rows, "pagerank",
            _pagerank_python(g, alpha=0.85, weight=None, tol=1e-15, max_iter=100000), "networkx")
    compare(label, rows, "coreness", nx.core_number(g), "networkx")
    compare(label, rows, "closeness", nx.closeness_centrality(g), "networkx")
    compare(label, rows, "harmonic", nx.harmonic_centrality(g), "networkx")

    names = vertices
    compare(label, rows, "degree", dict(zip(names, ig.degree(mode="all"))), "igraph")
    if not undirected:
        compare(label, rows, "in_degree", dict(zip(names, ig.degree(mode="in"))), "igraph")
        compare(label, rows, "out_degree", dict(zip(names, ig.degree(mode="out"))), "igraph")
    compare(label, rows, "betweenness",
            dict(zip(names, ig.betweenness(directed=not undirected))), "igraph")
    compare(label, rows, "pagerank",
            dict(zip(names, ig.pagerank(directed=not undirected, damping=0.85,
                                        implementation="prpack"))), "igraph")
    compare(label, rows, "coreness", dict(zip(names, ig.coreness(mode="all"))), "igraph")


def check_normalized(binary, path, net, undirected):
    label, rows, vertices, edges = run_view(binary, path, net, "betweenness,degree,harmonic",
                                           undirected, ["--normalized"])
    g = nx_graph(vertices, edges, undirected)
    n = g.number_of_nodes()
    compare(label, rows, "betweenness", nx.betweenness_centrality(g, normalized=True), "networkx")
    compare(label, rows, "degree", nx.degree_centrality(g), "networkx")
    compare(label, rows, "harmonic",
            {v: h / (n - 1) for v, h in nx.harmonic_centrality(g).items()}, "networkx")


def check_weighted(binary, path, net, undirected):
    label, rows, vertices, edges = run_view(
        binary, path, net, "betweenness,pagerank,closeness,harmonic,strength",
        undirected, ["--weighted"])
    g = nx_graph(vertices, edges, undirected)
    paths = nx_graph(vertices, edges, undirected, path_graph=True)
    compare(label, rows, "betweenness",
            nx.betweenness_centrality(paths, normalized=False, weight="length"), "networkx")
    compare(label, rows, "closeness", nx.closeness_centrality(paths, distance="length"), "networkx")
    compare(label, rows, "harmonic", nx.harmonic_centrality(paths, distance="length"), "networkx")
    compare(label, rows, "pagerank",
            _pagerank_python(g, alpha=0.85, weight="volume", tol=1e-15, max_iter=100000),
            "networkx")
    compare(label, rows, "strength", dict(g.degree(weight="volume")), "networkx")
    ig = ig_graph(vertices, edges, undirected)
    compare(label, rows, "pagerank",
            dict(zip(vertices, ig.pagerank(directed=not undirected, damping=0.85,
                                           weights="volume", implementation="prpack"))),
            "igraph")


def check_top_and_sampling(binary, path, net):
    """--top N order, and --approx K with K = n equal to the exact values."""
    global checked
    label = os.path.basename(path)
    _, top = run_chengyu(binary, path, ["--measure", "betweenness,degree", "--top", "15"])
    exact, full = run_chengyu(binary, path, ["--measure", "betweenness,degree", "--approx", "0"])
    if exact is None or top is None:
        return
    want = sorted(full, key=lambda r: (-float(r["betweenness"]), r["id"]))[:15]
    if [r["id"] for r in top] != [r["id"] for r in want]:
        fail("%s --top 15: %s, want %s" % (label, [r["id"] for r in top], [r["id"] for r in want]))
    checked += 1
    sampled, _ = run_chengyu(binary, path, ["--measure", "betweenness",
                                            "--approx", str(len(net.ids)), "--seed", "3"])
    compare(label + " --approx n", sampled, "betweenness",
            {k: float(v["betweenness"]) for k, v in exact.items()}, "exact")


def main():
    binary, workdir = sys.argv[1], sys.argv[2]
    paths = []
    for n, seed in ((60, 1), (300, 2)):
        path = os.path.join(workdir, "synthetic-%d.json" % n)
        synthetic(n, seed, path)
        paths.append(path)
    paths += sys.argv[3:]
    for path in paths:
        net = Network(path)
        for undirected in (False, True):
            check_plain(binary, path, net, undirected)
            # The scaling and the weights do not depend on size: check
            # them where NetworkX is quick.
            if len(net.ids) <= 400:
                check_normalized(binary, path, net, undirected)
                check_weighted(binary, path, net, undirected)
        check_plain(binary, path, net, False, by="park")
        check_plain(binary, path, net, True, by="park")
        check_top_and_sampling(binary, path, net)
        print("%s: %d firms, %d firm edges checked" % (os.path.basename(path), len(net.ids),
                                                       len(net.firm_edges)))
    print("%d values compared, %d mismatches" % (checked, len(failures)))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
