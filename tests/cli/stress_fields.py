#!/usr/bin/python3
"""Give a chengyu/1 network the fields of the stress test, so that the
time to survive and the impact have something to work on: every firm a
capacity 0 to 30% above its output, 0 to 14 days of stock, and every other
firm a recovery time of 5 to 90 days; drawn with Python's own random from
--seed (the same file for the same seed).  Figures already in the file
(chengyu generate writes its own) are removed first, so the output
depends only on the network and the seed.

Usage: stress_fields.py IN OUT [--seed S]
"""
import argparse
import json
import random


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    doc = json.load(open(a.src))
    rng = random.Random(a.seed)
    delivered = {}
    for link in doc["links"]:
        delivered[link["from"]] = delivered.get(link["from"], 0.0) + link.get("volume", 0.0)
    for e in doc["enterprises"]:
        out = e.get("output_value", delivered.get(e["id"], 0.0) + e.get("final_demand", 0.0))
        for key in ("capacity", "inventory_days", "recovery_days"):
            e.pop(key, None)
        e["capacity"] = round(out * (1 + 0.3 * rng.random()))
        if e["capacity"] < out:
            e["capacity"] = out
        e["inventory_days"] = rng.randrange(15)
        if rng.random() < 0.5:
            e["recovery_days"] = rng.randrange(5, 91)
    json.dump(doc, open(a.dst, "w"), ensure_ascii=False)


if __name__ == "__main__":
    main()
