#!/usr/bin/env python3
"""Write a long chain or ring of firms as chengyu/1, for the single-failure
timings of bench/shapes/run (bench/README.md, "Long chains and rings").

    make_shape.py chain|ring N OUT.json

chain: f0 (material) -> f1 -> ... -> f(N-1) (an OEM); each firm requires one
part, made only by the firm before it, so every firm's failure stops all
that follow it: the cones sum to N(N-1)/2, the worst case of one cascade per
firm.  ring: the same with f(N-1) -> f0 closing the loop (f0 a supplier,
f(N-1) the OEM), so every firm's failure stops all N.  Output values are 1,
volumes 1; every record says it is illustrative.
"""
import json
import sys


def shape(kind, n):
    if kind not in ("chain", "ring") or n < 2:
        raise SystemExit("usage: make_shape.py chain|ring N OUT.json (N >= 2)")
    firms = []
    for i in range(n):
        role = "oem" if i == n - 1 else ("material" if i == 0 and kind == "chain" else "supplier")
        firms.append({"id": "f%d" % i, "kind": role, "output_value": 1,
                      "source": "illustrative"})
    links = [{"from": "f%d" % (i - 1), "to": "f%d" % i, "part": "p%d" % i,
              "volume": 1, "source": "illustrative"} for i in range(1, n)]
    if kind == "ring":
        links.append({"from": "f%d" % (n - 1), "to": "f0", "part": "p0",
                      "volume": 1, "source": "illustrative"})
    return {"format": "chengyu/1", "name": "%s of %d firms" % (kind, n),
            "description": "synthetic shape for bench/shapes", "enterprises": firms,
            "links": links}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    with open(sys.argv[3], "w") as out:
        json.dump(shape(sys.argv[1], int(sys.argv[2])), out, separators=(",", ":"))
        out.write("\n")
