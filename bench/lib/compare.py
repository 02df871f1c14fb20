#!/usr/bin/python3
"""compare.py DIR - check the peers' results against chengyu's, per task.

DIR is one preset's output directory of bench/run:
  DIR/chengyu/<task>.{csv,json}   what the timed chengyu run wrote
  DIR/<peer>/<task>.json          what the timed peer run wrote (common.py)
Writes DIR/agreement.json: a list of
  {"task", "peer", "status": "agree"|"DISAGREE"|"estimate"|"missing", "detail"}
and prints one line per check.  Only where the definitions match:
  - degree, coreness, info counts: equal;
  - pagerank, betweenness (exact), harmonic: 1e-6 relative;
  - the degree and adaptive-degree attack curves (deterministic orders):
    largest component at every checkpoint equal, R-index to 1e-9 relative,
    critical fraction equal;
  - random attack: different generators, so statistical only: the largest
    mean-curve difference in lcc_fraction must be <= 0.02 and |dR| <= 0.01;
  - sampled betweenness: different samples, so each estimate's relative
    L1 error against the exact values (when the exact run exists) is
    reported ("estimate"), not judged;
  - structure and the weak-link sections a peer computes: same sets, cascade
    impacts equal (output value lost to 1e-9 relative).
"""
import csv
import json
import math
import os
import sys

REL = 1e-6
PEERS = ("networkx", "igraph", "graphtool")
# Random attacks: two means of T trials each differ by about
# sd * sqrt(2 / T); allow five of those (chengyu reports the sd per row),
# plus one firm's worth of discreteness, and never less than 0.02.
TOL_RANDOM_LCC = 0.02
TOL_RANDOM_SIGMAS = 5.0
TOL_RANDOM_R = 0.01


def read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def chengyu_column(out_dir, task, column):
    """{id: float} from a chengyu centrality CSV."""
    path = os.path.join(out_dir, "chengyu", task + ".csv")
    try:
        with open(path, newline="") as f:
            return {row["id"]: float(row[column]) for row in csv.DictReader(f)}
    except (OSError, KeyError, ValueError):
        return None


def close(a, b, rel):
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b)) or \
        abs(a - b) <= 1e-300


def compare_values(ref, ids, values, rel):
    """ref {id: x}, ids/values from a peer.  Returns (ok, detail)."""
    if ids is None or values is None or len(ids) != len(values):
        return False, "no per-enterprise values"
    if set(ids) != set(ref):
        return False, "different enterprise sets"
    worst, worst_id, bad = 0.0, None, 0
    for i, v in zip(ids, values):
        a, b = ref[i], float(v)
        d = abs(a - b) / max(abs(a), abs(b)) if a != b else 0.0
        if d > worst:
            worst, worst_id = d, i
        if not close(a, b, rel):
            bad += 1
    if bad:
        return False, (f"{bad} of {len(ids)} values differ by more than "
                       f"{rel:g} relative (worst {worst:.3g} at {worst_id})")
    return True, f"{len(ids)} values, max relative difference {worst:.2g}"


def check_measure(out_dir, peer_doc, task, column, rel):
    ref = chengyu_column(out_dir, task, column)
    if ref is None:
        return "missing", "no chengyu result"
    res = peer_doc["result"]
    ok, detail = compare_values(ref, peer_doc.get("ids"), res.get(column), rel)
    return ("agree" if ok else "DISAGREE"), detail


def check_info(out_dir, peer_doc):
    ref = read_json(os.path.join(out_dir, "chengyu", "info.json"))
    if ref is None:
        return "missing", "no chengyu result"
    p = peer_doc["result"]
    pairs = {"enterprises": ref["enterprises"], "links": ref["links"],
             "firm_edges": ref["firm_edges"], "components": ref["components"],
             "largest_component": ref["largest_component"],
             "degree_min": ref["degree"]["min"],
             "degree_median": ref["degree"]["median"],
             "degree_max": ref["degree"]["max"]}
    bad = [f"{k} {v} vs {p.get(k)}" for k, v in pairs.items()
           if float(v) != float(p.get(k, math.nan))]
    if bad:
        return "DISAGREE", "; ".join(bad)
    return "agree", "counts, components, degree min/median/max equal"


def chengyu_curve(out_dir, task):
    doc = read_json(os.path.join(out_dir, "chengyu", task + ".json"))
    if doc is None:
        return None
    return {"removed": [int(r["removed"]) for r in doc["curve"]],
            "lcc": [float(r["lcc"]) for r in doc["curve"]],
            "sd": [float(r.get("lcc_fraction_sd") or 0.0) for r in doc["curve"]],
            "trials": int(doc.get("trials", 1)),
            "r_index": doc["r_index"],
            "critical_fraction": doc["critical_fraction"]}


def check_curve(out_dir, peer_doc, task):
    ref = chengyu_curve(out_dir, task)
    if ref is None:
        return "missing", "no chengyu result"
    p = peer_doc["result"]
    if ref["removed"] != p["removed"]:
        return "DISAGREE", "different checkpoints"
    n = peer_doc["result"]["lcc"][0] or 1
    if task == "resilience_random":
        scale = TOL_RANDOM_SIGMAS * math.sqrt(2.0 / max(ref["trials"], 1))
        worst, worst_excess = 0.0, -1.0
        for a, b, sd in zip(ref["lcc"], p["lcc"], ref["sd"]):
            d = abs(a - b) / n
            tol = max(TOL_RANDOM_LCC, scale * sd + 1.0 / n)
            worst = max(worst, d)
            worst_excess = max(worst_excess, d - tol)
        dr = abs(ref["r_index"] - p["r_index"])
        ok = worst_excess <= 0 and dr <= TOL_RANDOM_R
        return ("agree" if ok else "DISAGREE"), (
            f"statistical (other generator): max |d lcc_fraction| {worst:.4f} "
            f"(each within max(0.02, 5 sd sqrt(2/trials) + 1/n)), |dR| "
            f"{dr:.4f} (<= {TOL_RANDOM_R})")
    bad = sum(1 for a, b in zip(ref["lcc"], p["lcc"]) if a != b)
    r_ok = close(ref["r_index"], p["r_index"], 1e-9)
    c_ok = ref["critical_fraction"] == p["critical_fraction"] or (
        ref["critical_fraction"] is not None and
        p["critical_fraction"] is not None and
        close(ref["critical_fraction"], p["critical_fraction"], 1e-12))
    if bad or not r_ok or not c_ok:
        return "DISAGREE", (f"{bad} checkpoints differ; R {ref['r_index']} vs "
                            f"{p['r_index']}; critical "
                            f"{ref['critical_fraction']} vs "
                            f"{p['critical_fraction']}")
    return "agree", (f"lcc equal at {len(ref['lcc'])} checkpoints, R = "
                     f"{ref['r_index']:.6f}, critical fraction "
                     f"{ref['critical_fraction']}")


def norm_bridges(bridges):
    return sorted(sorted(b) for b in bridges)


def structure_diff(ref, p):
    bad = []
    if sorted(ref["articulation_points"]) != p["articulation_points"]:
        bad.append(f"articulation points {len(ref['articulation_points'])} vs "
                   f"{len(p['articulation_points'])}")
    if norm_bridges(ref["bridges"]) != p["bridges"]:
        bad.append(f"bridges {len(ref['bridges'])} vs {len(p['bridges'])}")
    return bad


def check_structure(out_dir, peer_doc):
    ref = read_json(os.path.join(out_dir, "chengyu", "structure.json"))
    if ref is None:
        return "missing", "no chengyu result"
    p = peer_doc["result"]
    bad = structure_diff(ref, p)
    if bad:
        return "DISAGREE", "; ".join(bad)
    return "agree", (f"{len(p['articulation_points'])} articulation points, "
                     f"{len(p['bridges'])} bridges")


def impacts_diff(ref_rows, ids, counts, losses):
    """ref_rows [{id, failed_count, output_value_lost}] vs per-index lists."""
    ref = {r["id"]: (int(r["failed_count"]), float(r["output_value_lost"]))
           for r in ref_rows}
    if set(ref) != set(ids):
        return [f"{len(ref)} vs {len(ids)} enterprises"]
    bad = [i for i, c, v in zip(ids, counts, losses)
           if ref[i][0] != c or not close(ref[i][1], v, 1e-9)]
    return [f"{len(bad)} enterprises differ (first {bad[0]})"] if bad else []


def check_cascade(out_dir, peer_doc):
    path = os.path.join(out_dir, "chengyu", "cascade_each.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return "missing", "no chengyu result"
    p = peer_doc["result"]
    bad = impacts_diff(rows, peer_doc["ids"], p["failed_count"],
                       p["output_value_lost"])
    if bad:
        return "DISAGREE", "; ".join(bad)
    return "agree", f"failed_count and output_value_lost of {len(rows)} single failures"


def check_weak_links(out_dir, peer_doc):
    ref = read_json(os.path.join(out_dir, "chengyu", "weak_links.json"))
    if ref is None:
        return "missing", "no chengyu result"
    p = peer_doc["result"]
    bad = []
    ss = sorted([r["enterprise"], r["part"], r["supplier"]]
                for r in ref["single_source"])
    if ss != p["single_source"]:
        bad.append(f"single_source {len(ss)} vs {len(p['single_source'])}")
    bad += structure_diff(ref, p)
    bad += ["cascade_impact: " + x for x in impacts_diff(
        ref["cascade_impact"], peer_doc["ids"], p["failed_count"],
        p["output_value_lost"])]
    choke = {c["oem"]: sorted(c["enterprises"]) for c in ref["chokepoints"]
             if c["enterprises"]}
    if choke != p["chokepoints"]:
        bad.append(f"chokepoints of {len(choke)} vs {len(p['chokepoints'])} demand nodes")
    for key, name in (("park_impact", "park"), ("region_impact", "region")):
        r = {x[name]: (int(x["failed_count"]), float(x["output_value_lost"]))
             for x in ref[key] if x["failed_count"] > 0}
        q = {g: (int(c), float(v)) for g, (c, v) in p[key].items() if c > 0}
        if set(r) != set(q) or any(r[g][0] != q[g][0] or
                                   not close(r[g][1], q[g][1], 1e-9) for g in r):
            bad.append(f"{key} differs")
    if bad:
        return "DISAGREE", "; ".join(bad)
    return "agree", (f"{len(ss)} single sources, {len(choke)} demand nodes' chokepoints, "
                     f"{len(p['articulation_points'])} articulation points, "
                     f"{len(p['bridges'])} bridges, {len(peer_doc['ids'])} "
                     "cascade impacts, park and region impacts")


def estimate_error(exact, ids, values):
    num = sum(abs(float(v) - exact[i]) for i, v in zip(ids, values))
    den = sum(abs(x) for x in exact.values()) or 1.0
    return num / den


def check_approx(out_dir, peer_doc):
    exact = chengyu_column(out_dir, "betweenness", "betweenness")
    if exact is None:
        return "estimate", "no exact run to compare with (not feasible here)"
    err = estimate_error(exact, peer_doc["ids"],
                         peer_doc["result"]["betweenness"])
    return "estimate", f"relative L1 error against exact: {err:.3f}"


def chengyu_approx_row(out_dir):
    exact = chengyu_column(out_dir, "betweenness", "betweenness")
    approx = chengyu_column(out_dir, "betweenness_approx", "betweenness")
    if approx is None:
        return None
    if exact is None:
        return {"task": "betweenness_approx", "peer": "chengyu",
                "status": "estimate",
                "detail": "no exact run to compare with (not feasible here)"}
    ids = list(approx)
    err = estimate_error(exact, ids, [approx[i] for i in ids])
    return {"task": "betweenness_approx", "peer": "chengyu",
            "status": "estimate",
            "detail": f"relative L1 error against exact: {err:.3f}"}


CHECKS = {
    "info": check_info,
    "degree": lambda d, p: check_measure(d, p, "degree", "degree", 0.0),
    "pagerank": lambda d, p: check_measure(d, p, "pagerank", "pagerank", REL),
    "betweenness": lambda d, p: check_measure(d, p, "betweenness",
                                              "betweenness", REL),
    "betweenness_approx": check_approx,
    "harmonic": lambda d, p: check_measure(d, p, "harmonic", "harmonic", REL),
    "coreness": lambda d, p: check_measure(d, p, "coreness", "coreness", 0.0),
    "resilience_random": lambda d, p: check_curve(d, p, "resilience_random"),
    "resilience_degree": lambda d, p: check_curve(d, p, "resilience_degree"),
    "resilience_adaptive_degree": lambda d, p: check_curve(
        d, p, "resilience_adaptive_degree"),
    "structure": check_structure,
    "cascade_each": check_cascade,
    "weak_links": check_weak_links,
}


def main(out_dir):
    rows = []
    for task, check in CHECKS.items():
        for peer in PEERS:
            doc = read_json(os.path.join(out_dir, peer, task + ".json"))
            if doc is None:
                continue
            try:
                status, detail = check(out_dir, doc)
            except (KeyError, TypeError, ValueError, ZeroDivisionError) as e:
                status, detail = "DISAGREE", f"unreadable result: {e!r}"
            rows.append({"task": task, "peer": peer, "status": status,
                         "detail": detail})
    row = chengyu_approx_row(out_dir)
    if row:
        rows.append(row)
    with open(os.path.join(out_dir, "agreement.json"), "w") as f:
        json.dump(rows, f, indent=1)
    for r in rows:
        print(f"{r['task']:28} {r['peer']:10} {r['status']:9} {r['detail']}")
    return 1 if any(r["status"] == "DISAGREE" for r in rows) else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: compare.py PRESET_OUTPUT_DIR", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
