#!/usr/bin/env python3
"""bench/make_scenarios.py NETWORK COUNT OUT - COUNT chengyu-scenarios/1
scenarios for a generated network, deterministic (seeded): a third firm
failures (one to three firms), a third park failures mixed with a degraded
firm (capacity 0.2-0.8), a third mitigations (a second source for a
single-sourced part: a new firm and its link; a link removed; a share
changed) with a shock.  Every scenario has 7-30 days."""
import json
import random
import sys


def main():
    network, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(network, encoding="utf-8") as f:
        net = json.load(f)
    rng = random.Random(20)
    firms = [e["id"] for e in net["enterprises"]]
    parks = [p["id"] for p in net.get("parks", [])]
    links = net["links"]
    by_pair = {}
    for link in links:
        by_pair.setdefault((link["to"], link["part"]), []).append(link)
    single = [ls[0] for ls in by_pair.values() if len(ls) == 1]
    scenarios = []
    for k in range(count):
        days = rng.randint(7, 30)
        sc = {"name": f"scenario {k + 1:02d}"}
        if k % 3 == 0:
            sc["shocks"] = [{"firms": rng.sample(firms, rng.randint(1, 3)), "days": days}]
        elif k % 3 == 1:
            sc["shocks"] = [{"parks": [rng.choice(parks)], "days": days},
                            {"firms": [rng.choice(firms)],
                             "capacity_left": round(rng.uniform(0.2, 0.8), 2)}]
        else:
            link = rng.choice(single)
            new = f"backup-{k + 1:02d}"
            sc["shocks"] = [{"firms": [link["from"]], "days": days}]
            sc["mitigations"] = [
                {"action": "add_enterprise",
                 "enterprise": {"id": new, "kind": "supplier", "produces": [link["part"]],
                                "source": "illustrative"}},
                {"action": "add_link", "link": {"from": new, "to": link["to"],
                                                "part": link["part"]}},
            ]
            other = rng.choice(links)
            if len(by_pair[(other["to"], other["part"])]) > 1 and other is not link:
                sc["mitigations"].append({"action": "remove_link", "from": other["from"],
                                          "to": other["to"], "part": other["part"]})
        scenarios.append(sc)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"format": "chengyu-scenarios/1",
                   "description": f"{count} generated scenarios (bench/make_scenarios.py)",
                   "scenarios": scenarios}, f, ensure_ascii=False, indent=1)


main()
