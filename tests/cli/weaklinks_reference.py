"""weaklinks_reference.py - an independent reference for the weak-link
report, written from docs/analyses.md alone: final demand and demand nodes,
every single-failure cascade (a plain fixed-point loop, no shared code with
chengyu), the register and its order, the backups' survives / common_cause /
independent, the outside chokepoints, the multi-tier circle share and
region_dependence.  Articulation points and bridges come from NetworkX.

Used by tests/cli/test_weaklinks_reference.sh:
    python3 weaklinks_reference.py NETWORK.json REPORT.json THRESHOLD
exits 0 when REPORT.json (chengyu weak-links --format json) agrees.
"""
import json
import math
import sys

import networkx as nx

EPS = 1e-9


class Network:
    def __init__(self, doc):
        self.ids = [e["id"] for e in doc["enterprises"]]
        self.index = {i: k for k, i in enumerate(self.ids)}
        self.firms = doc["enterprises"]
        self.links = doc.get("links", [])
        self.n = len(self.ids)
        regions = doc.get("regions", [])
        self.region_ids = [r["id"] for r in regions]
        self.outside_regions = [r["id"] for r in regions if r.get("inside") is False]
        park_region = {p["id"]: p.get("region") for p in doc.get("parks", [])}
        self.region = []
        for e in self.firms:
            r = e.get("region") or park_region.get(e.get("park"))
            self.region.append(r)
        self.inbound = [[] for _ in range(self.n)]
        self.outbound = [[] for _ in range(self.n)]
        for j, l in enumerate(self.links):
            self.inbound[self.index[l["to"]]].append(j)
            self.outbound[self.index[l["from"]]].append(j)
        # requires: explicit, else the parts of the incoming links
        self.requires = []
        for v, e in enumerate(self.firms):
            if "requires" in e:
                self.requires.append(set(e["requires"]))
            else:
                self.requires.append({self.links[j]["part"] for j in self.inbound[v]})
        self.final_demand = []
        for v, e in enumerate(self.firms):
            if "final_demand" in e:
                fd = float(e["final_demand"])
            elif "output_value" in e:
                out = sum(float(self.links[j].get("volume", 0)) for j in self.outbound[v])
                fd = max(0.0, float(e["output_value"]) - out)
            else:
                fd = 0.0
            self.final_demand.append(fd)
        if any(fd > 0 for fd in self.final_demand):
            self.rule = "final_demand"
            self.demand = [fd > 0 for fd in self.final_demand]
        elif any(e["kind"] == "oem" for e in self.firms):
            self.rule = "oem"
            self.demand = [e["kind"] == "oem" for e in self.firms]
        else:
            self.rule = "no_customer"
            self.demand = [not self.outbound[v] for v in range(self.n)]

    def shares(self, v, part):
        """The links of (v, part) with their effective shares."""
        js = [j for j in self.inbound[v] if self.links[j]["part"] == part]
        k = len(js)
        return [(j, self.links[j]["share"] if "share" in self.links[j] else 1.0 / k)
                for j in js]


def fails(net, v, failed, removed, threshold):
    """The rule for one firm, from scratch: some required part has lost a
    supplier (failed, or its link removed) and then has none left, or with
    T > 0 covers less than T."""
    for part in net.requires[v]:
        links = net.shares(v, part)
        if not links:
            continue  # a pre-existing gap never fails anything
        lost = [s for j, s in links
                if net.index[net.links[j]["from"]] in failed or j in removed]
        if not lost:
            continue
        covered = sum(s for _, s in links) - sum(lost)
        if len(lost) == len(links) or (threshold > 0 and covered < threshold - EPS):
            return True
    return False


def cascade(net, seeds, threshold, removed_links=()):
    """The failed set: a worklist over the customers of what failed (or
    lost a link), each tested with the whole rule, to the fixed point."""
    failed = set(seeds)
    removed = set(removed_links)
    work = [net.index[net.links[j]["to"]] for j in removed]
    for f in failed:
        work.extend(net.index[net.links[j]["to"]] for j in net.outbound[f])
    while work:
        v = work.pop()
        if v in failed or not fails(net, v, failed, removed, threshold):
            continue
        failed.add(v)
        work.extend(net.index[net.links[j]["to"]] for j in net.outbound[v])
    return failed


def impact(net, failed):
    return (sum(net.final_demand[v] for v in failed),
            sum(1 for v in failed if net.demand[v]), len(failed))


def rank_key(net, imp, v):
    return (-imp[0], -imp[1], -imp[2], net.ids[v])


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def multi_tier(net, inside):
    """share_j = sum over links i -> j of v_ij / V_j * local_i, local_i = 0
    off the circle, 1 for an inside firm that buys nothing, else share_i;
    by value iteration from 1 (the largest solution), to convergence."""
    volume_in = [sum(float(net.links[j].get("volume", 0)) for j in net.inbound[v])
                 for v in range(net.n)]
    share = [1.0 if volume_in[v] > 0 else None for v in range(net.n)]
    for _ in range(100000):
        change = 0.0
        for v in range(net.n):
            if not volume_in[v] > 0:
                continue
            s = 0.0
            for j in net.inbound[v]:
                u = net.index[net.links[j]["from"]]
                local = 0.0 if not inside[u] else (1.0 if not volume_in[u] > 0 else share[u])
                s += float(net.links[j].get("volume", 0)) / volume_in[v] * local
            change = max(change, abs(s - share[v]))
            share[v] = s
        if change < 1e-15:
            break
    return share


def check(doc, report, threshold):
    net = Network(doc)
    problems = []
    cas = [cascade(net, [v], threshold) for v in range(net.n)]
    imp = [impact(net, c) for c in cas]
    total = sum(net.final_demand)

    # summary: rule and totals
    s = report["summary"]
    if s["demand_rule"] != net.rule:
        problems.append("demand rule %s, want %s" % (s["demand_rule"], net.rule))
    if not close(s["final_demand_total"], total):
        problems.append("final demand total %s, want %s" % (s["final_demand_total"], total))

    # cascade_impact: every firm, in the ranking's order
    want = sorted(range(net.n), key=lambda v: rank_key(net, imp[v], v))
    got = [r["id"] for r in report["cascade_impact"]]
    if got != [net.ids[v] for v in want][:len(got)]:
        problems.append("cascade_impact order differs: %s" % got[:8])
    for r in report["cascade_impact"]:
        v = net.index[r["id"]]
        if not (close(r["final_demand_lost"], imp[v][0]) and
                r["demand_nodes_failed"] == imp[v][1] and r["failed_count"] == imp[v][2]):
            problems.append("impact of %s: %s, want %s" % (r["id"], r, imp[v]))
            break

    # chokepoints per demand node
    stops = {v: sorted(net.ids[u] for u in cas[v] if u != v and net.demand[u])
             for v in range(net.n)}
    want_choke = [{"oem": net.ids[d], "enterprises": sorted(net.ids[v] for v in range(net.n)
                                                            if v != d and d in cas[v])}
                  for d in sorted((d for d in range(net.n) if net.demand[d]),
                                  key=lambda d: net.ids[d])]
    got_choke = [{"oem": c["oem"], "enterprises": c["enterprises"]} for c in report["chokepoints"]]
    if got_choke != want_choke:
        problems.append("chokepoints differ")

    # structure from NetworkX, and which of it matters
    g = nx.Graph()
    g.add_nodes_from(range(net.n))
    for l in net.links:
        g.add_edge(net.index[l["from"]], net.index[l["to"]])
    aps = set(nx.articulation_points(g))
    weak_ap = {v for v in aps if imp[v][2] > 1}
    weak_bridges = {}
    for a, b in nx.bridges(g):
        js = [j for j in range(len(net.links))
              if {net.index[net.links[j]["from"]], net.index[net.links[j]["to"]]} == {a, b}]
        if len(cascade(net, [], threshold, js)) > 0:
            # oriented as the supply runs; both ways: from the lower index
            ab = any(net.index[net.links[j]["from"]] == a for j in js)
            ba = any(net.index[net.links[j]["from"]] == b for j in js)
            frm = min(a, b) if ab and ba else (a if ab else b)
            weak_bridges[frm] = weak_bridges.get(frm, 0) + 1

    # single-source pairs
    pairs = {}
    for v in range(net.n):
        for part in net.requires[v]:
            links = net.shares(v, part)
            if len(links) == 1:
                s_ = net.index[net.links[links[0][0]]["from"]]
                pairs[s_] = pairs.get(s_, 0) + 1

    # the register: members, roles and order
    members = [v for v in range(net.n)
               if pairs.get(v) or stops[v] or v in weak_ap or weak_bridges.get(v) or imp[v][2] > 1]
    members.sort(key=lambda v: rank_key(net, imp[v], v))
    got_reg = report["register"]
    if [r["id"] for r in got_reg] != [net.ids[v] for v in members][:len(got_reg)]:
        problems.append("register order %s, want %s" %
                        ([r["id"] for r in got_reg][:8], [net.ids[v] for v in members][:8]))
    for r in got_reg:
        v = net.index[r["id"]]
        roles = r["roles"]
        ok = (roles["single_source_pairs"] == pairs.get(v, 0) and
              roles["chokepoint_of"] == stops[v] and
              roles["articulation_point"] == (v in weak_ap) and
              roles["bridges"] == weak_bridges.get(v, 0) and
              close(r["final_demand_lost"], imp[v][0]) and
              r["demand_nodes_failed"] == imp[v][1] and r["failed_count"] == imp[v][2] and
              close(r["final_demand_lost_fraction"], imp[v][0] / total if total > 0 else None))
        if not ok:
            problems.append("register row %s: %s" % (r["id"], json.dumps(r)[:300]))
            break

    # beyond the circle: outside chokepoints, the multi-tier share,
    # region_dependence (the regions marked inside: false in the file are
    # outside, whatever their names; the report must list the same)
    outside_regions = set(net.outside_regions)
    if sorted(report["local_supply"]["outside_regions"]) != sorted(outside_regions):
        problems.append("outside_regions %s, want %s" % (
            report["local_supply"]["outside_regions"], sorted(outside_regions)))
    outside = [net.region[v] in outside_regions for v in range(net.n)]
    inside = [net.region[v] is not None and not outside[v] for v in range(net.n)]
    want_out = []
    for d in range(net.n):
        if not net.demand[d]:
            continue
        chokes = [v for v in range(net.n) if v != d and d in cas[v] and outside[v]]
        if chokes:
            want_out.append((d, sorted(chokes, key=lambda v: rank_key(net, imp[v], v))))
    want_out.sort(key=lambda x: (-net.final_demand[x[0]], net.ids[x[0]]))
    got_out = report["outside_chokepoints"]
    if [(r["demand_node"], [c["id"] for c in r["chokepoints"]]) for r in got_out] != \
            [(net.ids[d], [net.ids[v] for v in cs]) for d, cs in want_out][:len(got_out)]:
        problems.append("outside_chokepoints differ")
    share = multi_tier(net, inside)
    for r in got_out:
        if not close(r["multi_tier_circle_share"], share[net.index[r["demand_node"]]]):
            problems.append("multi-tier share of %s: %s, want %s" %
                            (r["demand_node"], r["multi_tier_circle_share"],
                             share[net.index[r["demand_node"]]]))
            break
    dep = report["region_dependence"]
    for a, ra in enumerate(dep["regions"]):
        failed = cascade(net, [v for v in range(net.n) if net.region[v] == ra], threshold)
        for b_, rb in enumerate(dep["regions"]):
            lost = sum(net.final_demand[v] for v in failed if net.region[v] == rb)
            if not close(dep["matrix"][a][b_], lost):
                problems.append("region_dependence %s -> %s: %s, want %s" %
                                (ra, rb, dep["matrix"][a][b_], lost))
                break

    # backups: survives, common_cause, independent, same_park, and the
    # direct suppliers shared with the current supplier
    killers = [set() for _ in range(net.n)]
    for f in range(net.n):
        for x in cas[f]:
            killers[x].add(f)
    suppliers_of = {}
    for l in net.links:
        suppliers_of.setdefault(l["to"], set()).add(l["from"])
    for rec in report["recommendations"]:
        sup = net.index[rec["supplier"]]
        for b in rec["backups"]:
            c = net.index[b["id"]]
            common = sorted(net.ids[f] for f in killers[sup] & killers[c])
            survives = c not in cas[sup]
            park = net.firms[sup].get("park")
            same_park = park is not None and net.firms[c].get("park") == park
            mine = suppliers_of.get(b["id"], set())
            shared = sorted((suppliers_of.get(rec["supplier"], set()) & mine) -
                            {b["id"], rec["supplier"]})
            if (b["survives"] != survives or b["common_cause"] != common[:5] or
                    b["independent"] != (survives and not common) or
                    b["same_park"] != same_park or b["supplier_count"] != len(mine) or
                    b["shared_suppliers"] != shared[:5] or
                    b["shared_supplier_count"] != len(shared)):
                problems.append("backup %s of %s: %s, want survives %s common %s shared %s of %d" %
                                (b["id"], rec["supplier"], b, survives, common[:5], shared[:5],
                                 len(mine)))
                return problems
            current = {l["from"] for l in net.links
                       if l["part"] == rec["part"] and l["to"] in rec["customers"]}
            if b["id"] in current or b["id"] == rec["supplier"]:
                problems.append("backup %s already supplies %s" % (b["id"], rec["part"]))
                return problems
    return problems


def main():
    doc = json.load(open(sys.argv[1]))
    report = json.load(open(sys.argv[2]))
    problems = check(doc, report, float(sys.argv[3]))
    for p in problems[:10]:
        print(p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
