"""weaklinks_diagram.py - checks the weak-link marks of a diagram written as
DOT by `chengyu render --highlight weak-links -f dot` against the register
of `chengyu weak-links -f json` (threshold 0, as the diagram): the marked
firms (red border) are exactly the register's first N ids, each labelled
with its rank, and the fill darkens (relative luminance never rises) as
final_demand_lost grows, equal losses in one colour.

Usage: weaklinks_diagram.py NETWORK.json DIAGRAM.dot REGISTER.json N
Exit 0 when every check holds, else 1 with the failures on stderr.
"""
import json
import re
import sys

RED = "#d7191c"


def dot_nodes(text):
    """{name: {attr: value}} for the node statements "fN [...]" of agwrite's
    output; values are quoted strings (\\" unescaped), HTML <...> or bare."""
    nodes = {}
    for m in re.finditer(r'(?m)^\s*(f\d+)\s*\[', text):
        i, attrs = m.end(), {}
        while True:
            while text[i] in " \t\r\n,":
                i += 1
            if text[i] == "]":
                break
            j = i
            while text[j] not in "=":
                j += 1
            name = text[i:j].strip()
            i = j + 1
            if text[i] == '"':
                i += 1
                value = []
                while text[i] != '"':
                    if text[i] == "\\" and text[i + 1] == '"':
                        value.append('"')
                        i += 2
                        continue
                    if text[i] == "\\" and text[i + 1] == "\n":
                        i += 2
                        continue
                    value.append(text[i])
                    i += 1
                i += 1
                attrs[name] = "".join(value)
            elif text[i] == "<":
                depth, j = 0, i
                while True:
                    depth += {"<": 1, ">": -1}.get(text[j], 0)
                    j += 1
                    if depth == 0:
                        break
                attrs[name] = text[i:j]
                i = j
            else:
                j = i
                while text[j] not in ",]\n":
                    j += 1
                attrs[name] = text[i:j].strip()
                i = j
        nodes[m.group(1)] = attrs
    return nodes


def luminance(hex_color):
    r, g, b = (int(hex_color[k:k + 2], 16) for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def main():
    net = json.load(open(sys.argv[1]))
    nodes = dot_nodes(open(sys.argv[2], encoding="utf-8").read())
    register = json.load(open(sys.argv[3]))["register"]
    n = int(sys.argv[4])
    top = register[:n] if n else register
    ids = [e["id"] for e in net["enterprises"]]
    problems = []
    marked = {}
    for name, attrs in nodes.items():
        if attrs.get("color") == RED:
            marked[ids[int(name[1:])]] = attrs
    want = [r["id"] for r in top]
    if set(marked) != set(want):
        problems.append(f"marked {sorted(marked)[:10]} != register's first {n} {want[:10]}")
    for rank, row in enumerate(top, 1):
        attrs = marked.get(row["id"])
        if attrs and f"\\n#{rank}, " not in attrs.get("label", ""):
            problems.append(f"{row['id']!r}: label {attrs.get('label')!r} lacks rank #{rank}")
    for a in top:
        for b in top:
            if a["id"] not in marked or b["id"] not in marked:
                continue
            fa, fb = marked[a["id"]]["fillcolor"], marked[b["id"]]["fillcolor"]
            if a["final_demand_lost"] > b["final_demand_lost"] and luminance(fa) > luminance(fb):
                problems.append(f"{a['id']!r} ({a['final_demand_lost']}, {fa}) drawn lighter "
                                f"than {b['id']!r} ({b['final_demand_lost']}, {fb})")
            if a["final_demand_lost"] == b["final_demand_lost"] and fa != fb:
                problems.append(f"{a['id']!r} and {b['id']!r}: same loss, fills {fa} {fb}")
    for p in problems[:10]:
        print("FAIL:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
