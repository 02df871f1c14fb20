#!/usr/bin/python3
"""igraph.py TASK FILE [-o OUT] - chengyu's analyses with python-igraph.

One whole process per task, timed by bench/run; see common.py.  python-igraph
0.10.2 (Debian 12) has no betweenness from a subset of sources, so
betweenness_approx is not available here.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# This file is called igraph.py: keep it from importing itself.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
import igraph as ig  # noqa: E402

sys.path.append(HERE)
import common  # noqa: E402


def build(net):
    g = ig.Graph(n=net.n, edges=net.edges, directed=True)
    g.es["volume"] = net.volumes
    return g


def structure(net, g):
    u = g.as_undirected(mode="collapse")
    return common.structure_result(
        net, u.articulation_points(), (u.es[e].tuple for e in u.bridges()))


def task_resilience(kind):
    def run(net, g, args):
        n = net.n
        u = g.as_undirected(mode="collapse")
        adj = u.get_adjlist()
        neighbours = adj.__getitem__
        if kind == "random":
            curves = [common.lcc_reverse_percolation(n, order, neighbours)
                      for order in common.random_orders(n, args.trials,
                                                        args.seed)]
            return common.curve_summary(n, common.mean_curves(curves))
        if kind == "degree":
            order = common.degree_order(u.degree())
        else:
            order = common.adaptive_degree_order(adj)
        return common.curve_summary(
            n, common.lcc_reverse_percolation(n, order, neighbours))
    return run


TASKS = {
    "load": lambda net, g, a: {"n": g.vcount(), "m": g.ecount()},
    "info": lambda net, g, a: common.info_result(
        net, list(g.connected_components(mode="weak").sizes()),
        g.degree(mode="all")),
    "degree": lambda net, g, a: {"degree": g.degree(mode="all")},
    "pagerank": lambda net, g, a: {"pagerank": g.pagerank(
        damping=0.85, directed=True, implementation="prpack")},
    "betweenness": lambda net, g, a: {"betweenness": g.betweenness(
        directed=True)},
    "harmonic": lambda net, g, a: {"harmonic": g.harmonic_centrality(
        mode="in", normalized=False)},
    "coreness": lambda net, g, a: {"coreness": g.coreness(mode="all")},
    **common.shared_tasks(task_resilience, structure),
}

if __name__ == "__main__":
    sys.exit(common.main("python-igraph", ig.__version__, build, TASKS))
