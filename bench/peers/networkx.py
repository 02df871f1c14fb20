#!/usr/bin/python3
"""networkx.py TASK FILE [-o OUT] - chengyu's analyses with NetworkX.

One whole process per task, timed by bench/run; see common.py for the tasks,
the graph built (chengyu's firm graph) and the output.  Run with Debian's
/usr/bin/python3 and python3-networkx.
"""
import itertools
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This file is called networkx.py: keep it from importing itself.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import networkx as nx  # noqa: E402

sys.path.append(HERE)
import common  # noqa: E402


def build(net):
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n))
    g.add_weighted_edges_from(
        ((s, t, w) for (s, t), w in zip(net.edges, net.volumes)),
        weight="volume")
    return g


def in_order(net, mapping):
    return [mapping[v] for v in range(net.n)]


def lcc_curve(g, n, order):
    """Newman-Ziff with NetworkX's own union-find."""
    uf = nx.utils.UnionFind()
    present = [False] * n
    lcc = [0] * (n + 1)
    best = 0
    for q in range(n - 1, -1, -1):
        v = order[q]
        present[v] = True
        uf[v]
        best = max(best, 1)
        for u in itertools.chain(g.succ[v], g.pred[v]):
            if present[u]:
                uf.union(u, v)
                size = uf.weights[uf[v]]
                if size > best:
                    best = size
        lcc[q] = best
    return lcc


def structure(net, g):
    u = g.to_undirected()
    return common.structure_result(net, nx.articulation_points(u),
                                   nx.bridges(u))


def task_resilience(kind):
    def run(net, g, args):
        n = net.n
        if kind == "random":
            curves = [lcc_curve(g, n, order) for order in
                      common.random_orders(n, args.trials, args.seed)]
            return common.curve_summary(n, common.mean_curves(curves))
        u = g.to_undirected()
        if kind == "degree":
            order = common.degree_order([u.degree(v) for v in range(n)])
        else:
            order = common.adaptive_degree_order(
                [sorted(u[v]) for v in range(n)])
        return common.curve_summary(n, lcc_curve(g, n, order))
    return run


TASKS = {
    "load": lambda net, g, a: {"n": g.number_of_nodes(),
                               "m": g.number_of_edges()},
    "info": lambda net, g, a: common.info_result(
        net, [len(c) for c in nx.weakly_connected_components(g)],
        [d for _, d in g.degree()]),
    "degree": lambda net, g, a: {"degree": in_order(net, dict(g.degree()))},
    # Power iteration; the tolerance is tightened from NetworkX's 1e-6 so
    # that every value is good to 1e-6 relative (chengyu solves exactly).
    "pagerank": lambda net, g, a: {"pagerank": in_order(
        net, nx.pagerank(g, alpha=0.85, tol=1e-13, max_iter=10000))},
    "betweenness": lambda net, g, a: {"betweenness": in_order(
        net, nx.betweenness_centrality(g, normalized=False))},
    # NetworkX does not rescale sampled directed unnormalized values by
    # n/k: do it here, as chengyu does, to estimate the exact value.
    "betweenness_approx": lambda net, g, a: {"betweenness": [
        x * net.n / min(a.approx, net.n) for x in in_order(
            net, nx.betweenness_centrality(g, k=min(a.approx, net.n),
                                           normalized=False, seed=a.seed))]},
    "harmonic": lambda net, g, a: {"harmonic": in_order(
        net, nx.harmonic_centrality(g))},
    "coreness": lambda net, g, a: {"coreness": in_order(
        net, nx.core_number(g))},
    **common.shared_tasks(task_resilience, structure),
}

if __name__ == "__main__":
    sys.exit(common.main("networkx", nx.__version__, build, TASKS))
