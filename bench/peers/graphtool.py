#!/usr/bin/python3
"""graphtool.py TASK FILE [-o OUT] - chengyu's analyses with graph-tool.

One whole process per task, timed by bench/run; see common.py.  graph-tool
runs its C++ loops with OpenMP on every core unless OMP_NUM_THREADS says
otherwise: bench/run records CPU time next to wall time for that reason.
"""
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore", category=RuntimeWarning)
import graph_tool as gt  # noqa: E402
import graph_tool.centrality as gc  # noqa: E402
import graph_tool.topology as gtt  # noqa: E402

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def build(net):
    g = gt.Graph(directed=True)
    g.add_vertex(net.n)
    if net.edges:
        g.add_edge_list(np.array(net.edges, dtype=np.int64))
    g.ep["volume"] = g.new_ep("double", vals=net.volumes)
    return g


def undirected_simple(net):
    """The undirected simple firm graph (a mutual pair is one edge)."""
    u = gt.Graph(directed=False)
    u.add_vertex(net.n)
    pairs = {(min(s, t), max(s, t)) for s, t in net.edges}
    if pairs:
        u.add_edge_list(np.array(sorted(pairs), dtype=np.int64))
    return u


def lcc_curve(u, n, order):
    """graph-tool's own Newman-Ziff: vertex_percolation takes the vertices
    in reverse removal order; sizes[i] is the largest component once
    order[n-1-i .. n-1] are back, i.e. after n-1-i removals."""
    if n == 0:
        return [0]
    sizes, _ = gtt.vertex_percolation(u, np.array(order[::-1], dtype=np.int64))
    return [int(sizes[n - 1 - q]) for q in range(n)] + [0]


def structure(net, g):
    u = undirected_simple(net)
    comp, art, hist = gtt.label_biconnected_components(u)
    arts = np.flatnonzero(art.a)
    comps = comp.a
    bridges = [(int(e.source()), int(e.target())) for e in u.edges()
               if hist[comps[u.edge_index[e]]] == 1]
    return common.structure_result(net, arts, bridges)


def task_resilience(kind):
    def run(net, g, args):
        n = net.n
        u = undirected_simple(net)
        if kind == "random":
            curves = [lcc_curve(u, n, order) for order in
                      common.random_orders(n, args.trials, args.seed)]
            return common.curve_summary(n, common.mean_curves(curves))
        if kind == "degree":
            order = common.degree_order(u.get_out_degrees(u.get_vertices()))
        else:
            order = common.adaptive_degree_order(
                [sorted(u.get_all_neighbors(v)) for v in range(n)])
        return common.curve_summary(n, lcc_curve(u, n, order))
    return run


def approx_betweenness(net, g, args):
    k = min(args.approx, net.n)
    pivots = np.array(common.sample_sources(net.n, k, args.seed),
                      dtype=np.int64)
    vb, _ = gc.betweenness(g, pivots=pivots, norm=False)
    # graph-tool sums over the pivots without rescaling: scale by n/k, as
    # chengyu does, to estimate the exact value.
    scale = net.n / k if k else 0.0
    return {"betweenness": [float(x) * scale for x in vb.a]}


TASKS = {
    "load": lambda net, g, a: {"n": g.num_vertices(), "m": g.num_edges()},
    "info": lambda net, g, a: common.info_result(
        net, [int(x) for x in gtt.label_components(g, directed=False)[1]],
        [int(x) for x in g.get_total_degrees(g.get_vertices())]),
    "degree": lambda net, g, a: {"degree": [
        int(x) for x in g.get_total_degrees(g.get_vertices())]},
    "pagerank": lambda net, g, a: {"pagerank": [
        float(x) for x in gc.pagerank(g, damping=0.85, epsilon=1e-13).a]},
    "betweenness": lambda net, g, a: {"betweenness": [
        float(x) for x in gc.betweenness(g, norm=False)[0].a]},
    "betweenness_approx": approx_betweenness,
    # closeness(harmonic=True) sums 1/d over distances FROM v; on the
    # reversed graph that is chengyu's (and NetworkX's) incoming harmonic.
    "harmonic": lambda net, g, a: {"harmonic": [float(x) for x in gc.closeness(
        gt.GraphView(g, reversed=True), harmonic=True, norm=False).a]},
    "coreness": lambda net, g, a: {"coreness": [
        int(x) for x in gtt.kcore_decomposition(g).a]},
    **common.shared_tasks(task_resilience, structure),
}

if __name__ == "__main__":
    sys.exit(common.main("graph-tool", gt.__version__.split()[0], build, TASKS))
