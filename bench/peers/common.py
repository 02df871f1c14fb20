"""common.py - what the three peer scripts share.

Each peer (networkx.py, igraph.py, graphtool.py) is one whole process that
loads a chengyu/1 file with Python's json module, builds its library's
graph the way chengyu builds its firm graph (vertex i = enterprise i in file
order, one directed edge per (supplier, customer) pair in ascending order,
volumes of parallel links summed), runs ONE task and writes the result as
JSON, so that bench/run can time the whole process (like a `chengyu ...`
run) and bench/lib/compare.py can check the numbers against chengyu's.

The parts no graph library has are written here once, in plain Python, and
used by every peer with that peer's own graph for adjacency:
  - the attack orders and the largest-component curve bookkeeping
    (checkpoints, R-index, critical fraction: docs/analyses.md),
  - the bill-of-materials cascade of every single failure (T = 0), with the
    chokepoints of the demand nodes and park/region impacts derived from it.
Conventions follow docs/analyses.md so that results are comparable.
"""
import argparse
import heapq
import json
import random
import sys
import time

TASKS = (
    "load", "info", "degree", "pagerank", "betweenness", "betweenness_approx",
    "harmonic", "coreness", "resilience_random", "resilience_degree",
    "resilience_adaptive_degree", "structure", "cascade_each", "weak_links",
)

# chengyu's checkpoint count (--steps default) and critical level.
STEPS = 100
CRITICAL_LCC_FRACTION = 0.05


class Network:
    """The records of a chengyu/1 file, indexed as chengyu indexes them."""

    def __init__(self, doc):
        ents = doc["enterprises"]
        self.ids = [e["id"] for e in ents]
        self.n = len(ents)
        index = {eid: i for i, eid in enumerate(self.ids)}
        self.index = index
        self.kind = [e["kind"] for e in ents]
        self.output = [float(e.get("output_value", 0)) for e in ents]
        # Parks and regions (an enterprise without a region counts in its
        # park's region, as the cascade's by_region does).
        park_region = {p["id"]: p.get("region") for p in doc.get("parks", [])}
        self.park = [e.get("park") for e in ents]
        self.region = [e.get("region") or park_region.get(e.get("park"))
                       for e in ents]
        self.links = [(index[l["from"]], index[l["to"]], l["part"])
                      for l in doc["links"]]
        self.explicit_requires = [
            set(e["requires"]) if "requires" in e else None for e in ents]
        merged = {}
        sold = [0.0] * self.n
        for l, (s, t, _) in zip(doc["links"], self.links):
            merged[(s, t)] = merged.get((s, t), 0.0) + float(l.get("volume", 0))
            sold[s] += float(l.get("volume", 0))
        self.edges = sorted(merged)
        self.volumes = [merged[e] for e in self.edges]
        # Demand nodes (docs/analyses.md, "Final demand and demand nodes"):
        # firms with final demand, else the OEMs, else the firms that
        # supply nobody.
        final = [float(e["final_demand"]) if "final_demand" in e
                 else max(0.0, float(e["output_value"]) - sold[i]) if "output_value" in e
                 else 0.0 for i, e in enumerate(ents)]
        if any(x > 0 for x in final):
            self.demand = [x > 0 for x in final]
        elif "oem" in self.kind:
            self.demand = [k == "oem" for k in self.kind]
        else:
            has_customer = {s for s, _, _ in self.links}
            self.demand = [i not in has_customer for i in range(self.n)]


def load(path):
    with open(path, "rb") as f:
        return Network(json.load(f))


# ---- resilience bookkeeping ------------------------------------------------

def checkpoints(n, steps=STEPS):
    """removed counts of chengyu's curve rows: round(k n / steps), half up."""
    if n < steps:
        return list(range(n + 1))
    return [(2 * k * n + steps) // (2 * steps) for k in range(steps + 1)]


def curve_summary(n, lcc_by_removed):
    """lcc_by_removed[q] = largest component after q removals (q = 0..n),
    possibly a mean over trials.  Returns the curve at the checkpoints, the
    R-index and the critical fraction as chengyu defines them."""
    if n == 0:
        return {"removed": [0], "lcc": [0], "r_index": 0.0,
                "critical_fraction": None}
    s = [x / n for x in lcc_by_removed]
    critical = next((q / n for q in range(n + 1)
                     if s[q] <= CRITICAL_LCC_FRACTION), None)
    cps = checkpoints(n)
    return {"removed": cps, "lcc": [lcc_by_removed[q] for q in cps],
            "r_index": sum(s[1:]) / n, "critical_fraction": critical}


def lcc_reverse_percolation(n, order, neighbours):
    """Newman-Ziff with a plain array union-find: order = removal order of
    all n vertices; neighbours(v) iterates v's neighbours (either
    direction).  Returns lcc[q] for q = 0..n."""
    parent = list(range(n))
    size = [1] * n
    present = [False] * n
    lcc = [0] * (n + 1)
    best = 0

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for q in range(n - 1, -1, -1):
        v = order[q]
        present[v] = True
        best = max(best, 1)
        for u in neighbours(v):
            if present[u]:
                a, b = find(u), find(v)
                if a != b:
                    if size[a] < size[b]:
                        a, b = b, a
                    parent[b] = a
                    size[a] += size[b]
                    if size[a] > best:
                        best = size[a]
        lcc[q] = best
    return lcc


def random_orders(n, trials, seed):
    """One uniform permutation per trial (Python's Mersenne Twister: not
    chengyu's generator, so random curves agree only statistically)."""
    rng = random.Random(seed)
    for _ in range(trials):
        order = list(range(n))
        rng.shuffle(order)
        yield order


def degree_order(degree):
    """Highest degree first, ties by lower index (chengyu's static attack)."""
    return sorted(range(len(degree)), key=lambda v: (-degree[v], v))


def adaptive_degree_order(adjacency):
    """The vertex of highest degree in the remaining graph after every
    removal, ties by lower index; adjacency = list of neighbour lists of the
    undirected simple graph.  Lazy max-heap: O((n + m) log n)."""
    n = len(adjacency)
    degree = [len(a) for a in adjacency]
    heap = [(-degree[v], v) for v in range(n)]
    heapq.heapify(heap)
    removed = [False] * n
    order = []
    while heap:
        d, v = heapq.heappop(heap)
        if removed[v] or -d != degree[v]:
            continue
        removed[v] = True
        order.append(v)
        for u in adjacency[v]:
            if not removed[u]:
                degree[u] -= 1
                heapq.heappush(heap, (-degree[u], u))
    return order


def mean_curves(curves):
    t = len(curves)
    return [sum(c[q] for c in curves) / t for q in range(len(curves[0]))]


# ---- the bill-of-materials cascade (T = 0) ---------------------------------

class Cascade:
    """All single failures under chengyu's cascade rule with T = 0: a firm
    fails when some required part has lost every supplier; a required part
    with no supplier at all is a pre-existing gap and never fails it."""

    def __init__(self, net):
        n = net.n
        incoming = [dict() for _ in range(n)]  # customer -> part -> count
        for s, t, p in net.links:
            incoming[t][p] = incoming[t].get(p, 0) + 1
        # Required parts: explicit requires, else the parts of the in-links.
        self.need = []
        for c in range(n):
            req = net.explicit_requires[c]
            if req is None:
                req = incoming[c].keys()
            self.need.append({p: incoming[c][p] for p in req
                              if incoming[c].get(p, 0) > 0})
        # Out-links of each supplier that can fail their customer.
        self.out = [[] for _ in range(n)]
        for s, t, p in net.links:
            if p in self.need[t]:
                self.out[s].append((t, p))
        self.net = net

    def run(self, initial):
        """The failed set (a list, initial first) of a disruption."""
        failed = list(dict.fromkeys(initial))
        is_failed = set(failed)
        lost = {}
        need, out = self.need, self.out
        head = 0
        while head < len(failed):
            f = failed[head]
            head += 1
            for c, p in out[f]:
                if c in is_failed:
                    continue
                key = (c, p)
                k = lost.get(key, 0) + 1
                lost[key] = k
                if k == need[c][p]:
                    is_failed.add(c)
                    failed.append(c)
        return failed

    def each(self):
        """[(failed_count, output_value_lost)] per enterprise, and the
        chokepoints {demand node index: [enterprise indices]}."""
        net = self.net
        out = []
        choke = {}
        for x in range(net.n):
            failed = self.run([x])
            out.append((len(failed), sum(net.output[i] for i in failed)))
            for i in failed[1:]:
                if net.demand[i]:
                    choke.setdefault(i, []).append(x)
        return out, choke

    def groups(self, membership):
        """{group id: (failed_count, output_value_lost)} for each group of a
        membership list (None = no group) failing as a whole."""
        members = {}
        for i, g in enumerate(membership):
            if g is not None:
                members.setdefault(g, []).append(i)
        res = {}
        for g, ms in members.items():
            failed = self.run(ms)
            res[g] = (len(failed), sum(self.net.output[i] for i in failed))
        return res


def single_sources(net):
    """Every required (customer, part) with exactly one supplier."""
    by_pair = {}
    for s, t, p in net.links:
        by_pair.setdefault((t, p), []).append(s)
    result = []
    for (t, p), sups in by_pair.items():
        req = net.explicit_requires[t]
        if len(sups) == 1 and (req is None or p in req):
            result.append([net.ids[t], p, net.ids[sups[0]]])
    result.sort()
    return result


def cascade_each_result(net, cascade):
    each, choke = cascade.each()
    return {"failed_count": [c for c, _ in each],
            "output_value_lost": [v for _, v in each],
            "chokepoints": {net.ids[o]: sorted(net.ids[x] for x in xs)
                            for o, xs in choke.items()}}


def weak_links_result(net, structure):
    """The parts of chengyu's weak-link report that a peer can compute:
    single sources, articulation points, bridges, cascade impacts,
    chokepoints, park and region impacts (no concentration, local supply or
    recommendations)."""
    cascade = Cascade(net)
    res = {"single_source": single_sources(net)}
    res.update(structure)
    res.update(cascade_each_result(net, cascade))
    res["park_impact"] = {g: list(v) for g, v in cascade.groups(net.park).items()}
    res["region_impact"] = {g: list(v)
                            for g, v in cascade.groups(net.region).items()}
    return res


def shared_tasks(resilience, structure):
    """The task entries every peer builds the same way from its own attack
    curve (resilience(kind) -> task) and structure (structure(net, graph)
    -> structure_result) functions."""
    return {
        "resilience_random": resilience("random"),
        "resilience_degree": resilience("degree"),
        "resilience_adaptive_degree": resilience("adaptive"),
        "structure": lambda net, g, a: structure(net, g),
        "cascade_each": lambda net, g, a: cascade_each_result(net, Cascade(net)),
        "weak_links": lambda net, g, a: weak_links_result(net, structure(net, g)),
    }


def structure_result(net, articulation, bridges):
    """Articulation points (indices) and bridges (index pairs) as sorted ids
    and sorted unordered id pairs."""
    ids = net.ids
    return {"articulation_points": sorted(ids[v] for v in articulation),
            "bridges": sorted(sorted((ids[a], ids[b])) for a, b in bridges)}


def info_result(net, components, degree):
    """info-like counts: components = list of component sizes."""
    d = sorted(degree)
    n = len(d)
    median = 0.0
    if n:
        median = float(d[n // 2]) if n % 2 else (d[n // 2 - 1] + d[n // 2]) / 2
    return {"enterprises": net.n, "links": len(net.links),
            "firm_edges": len(net.edges), "components": len(components),
            "largest_component": max(components) if components else 0,
            "degree_min": d[0] if n else 0, "degree_median": median,
            "degree_max": d[-1] if n else 0}


def undirected_adjacency(n, edges):
    """Neighbour lists of the undirected simple view of a directed edge
    list (a mutual pair is one neighbour)."""
    adj = [set() for _ in range(n)]
    for s, t in edges:
        adj[s].add(t)
        adj[t].add(s)
    return [sorted(a) for a in adj]


def sample_sources(n, k, seed):
    """K distinct source vertices, seeded (not chengyu's sample)."""
    return sorted(random.Random(seed).sample(range(n), min(k, n)))


# ---- the command line ------------------------------------------------------

def main(name, version, build, tasks):
    """Run one task of a peer.  build(net) -> the library's graph;
    tasks[task](net, graph, args) -> JSON-able result.  `--tasks` lists the
    tasks this peer can run."""
    if sys.argv[1:] == ["--tasks"]:
        print(" ".join(t for t in TASKS if t in tasks))
        return 0
    ap = argparse.ArgumentParser(prog=name)
    ap.add_argument("task", choices=TASKS)
    ap.add_argument("file")
    ap.add_argument("-o", "--output", help="write the result JSON here")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--approx", type=int, default=256,
                    help="sources for betweenness_approx")
    ap.add_argument("--trials", type=int, default=10)
    args = ap.parse_args()
    if args.task not in tasks:
        print(f"{name}: task {args.task} is not available with this library",
              file=sys.stderr)
        return 3
    t0 = time.process_time()
    net = load(args.file)
    graph = build(net)
    t1 = time.process_time()
    result = tasks[args.task](net, graph, args)
    t2 = time.process_time()
    doc = {"peer": name, "version": version, "task": args.task,
           "file": args.file, "load_cpu": t1 - t0, "task_cpu": t2 - t1,
           "ids": net.ids, "result": result}
    if args.output:
        with open(args.output, "w") as f:
            json.dump(doc, f)
    return 0
