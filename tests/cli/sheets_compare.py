#!/usr/bin/env python3
"""Compare two chengyu/1 documents as networks: the same records in the same
order, the same fields, equal strings and lists, numbers equal as doubles
(an integer 3 and a real 3.0 are the same amount; a tier stays an integer),
meta equal as JSON.  Prints the first differences; exit 1 if any.

usage: sheets_compare.py EXPECTED.json ACTUAL.json
"""
import json
import sys

SECTIONS = ["regions", "clusters", "parks", "enterprises", "links"]


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        expected = json.load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        actual = json.load(f)
    problems = []
    for key in ["format", "name", "description", "meta"]:
        if not same(expected.get(key), actual.get(key)):
            problems.append(f"top-level {key}: {expected.get(key)!r} != {actual.get(key)!r}")
    for section in SECTIONS:
        e, a = expected.get(section, []), actual.get(section, [])
        if len(e) != len(a):
            problems.append(f"{section}: {len(e)} records != {len(a)}")
            continue
        for i, (x, y) in enumerate(zip(e, a)):
            if x.keys() != y.keys():
                problems.append(f"{section}[{i}]: keys {sorted(x)} != {sorted(y)}")
            for k in x.keys() & y.keys():
                if not same(x[k], y[k]):
                    problems.append(f"{section}[{i}].{k}: {x[k]!r} != {y[k]!r}")
                if k == "tier" and type(x[k]) is not type(y[k]):
                    problems.append(f"{section}[{i}].tier: {x[k]!r} != {y[k]!r}")
    for p in problems[:20]:
        print(p)
    if problems:
        print(f"{len(problems)} differences")
        return 1
    print("same network: " + ", ".join(f"{len(actual.get(s, []))} {s}" for s in SECTIONS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
