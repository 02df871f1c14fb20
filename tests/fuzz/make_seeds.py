#!/usr/bin/python3
"""Write the generated part of the fuzz seed corpus (tests/fuzz/corpus/gen-*).

Deterministic: the same files on every run.  The seeds are small on purpose
(a few KB), so that libFuzzer mutates them quickly; they cover every field
of chengyu/1 and every family of loader error at least once.

    /usr/bin/python3 tests/fuzz/make_seeds.py tests/fuzz/corpus
"""
import json
import random
import sys
from pathlib import Path

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def uscc(body17):
    """Append the GB 32100-2015 check character to a 17-character body."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    return body17 + USCC_ALPHABET[(31 - total % 31) % 31]


def dump(doc):
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def full_featured():
    """Every optional field once, a park location, meta everywhere."""
    return {
        "format": "chengyu/1", "name": "seed: all fields", "description": "d",
        "currency": "CNY", "meta": {"k": [1, 2.5, None, True]},
        "regions": [{"id": "cq", "name": "Chongqing", "source": "s", "meta": {}},
                    {"id": "cd", "name": "Chengdu", "inside": True},
                    {"id": "sz", "name": "Shenzhen", "inside": False}],
        "clusters": [{"id": "auto", "name": "A", "sector": "automotive", "region": "cq"},
                     {"id": "elec", "sector": "electronics", "region": "cd"}],
        "parks": [{"id": "lj", "name": "Liangjiang", "region": "cq", "demonstration": True,
                   "location": [106.6, 29.7]},
                  {"id": "tf", "region": "cd", "demonstration": False}],
        "enterprises": [
            {"id": "oem", "name": "OEM", "name_zh": "长安汽车", "uscc": uscc("91500000202805720"),
             "kind": "oem", "tier": 0, "region": "cq", "park": "lj", "clusters": ["auto"],
             "output_value": 1.2e11, "final_demand": 1.1e11, "capacity": 1.5e11,
             "inventory_days": 7, "recovery_days": 30,
             "produces": ["vehicle"], "requires": ["battery", "chip"],
             "location": [106.5, 29.5], "source": "003.txt", "meta": {"x": 1}},
            {"id": "bat", "kind": "supplier", "tier": 1, "region": "cd", "park": "tf",
             "clusters": ["elec", "auto"], "output_value": 3e9, "produces": ["battery"],
             "requires": ["lithium", "chip"]},
            {"id": "chip", "kind": "supplier", "tier": 1, "region": "cd", "produces": ["chip"]},
            {"id": "chip2", "kind": "supplier", "tier": 2, "region": "sz", "produces": ["chip"],
             "capacity": 1e9, "inventory_days": 0},
            {"id": "li", "kind": "material", "tier": 3, "produces": ["lithium"]},
            {"id": "svc", "kind": "service"},
        ],
        "links": [
            {"from": "bat", "to": "oem", "part": "battery", "volume": 3.2e9, "share": 0.6,
             "source": "illustrative", "meta": None},
            {"from": "chip", "to": "oem", "part": "chip", "volume": 1e8, "share": 1},
            {"from": "chip2", "to": "oem", "part": "chip", "volume": 0},
            {"from": "li", "to": "bat", "part": "lithium"},
            {"from": "chip", "to": "bat", "part": "chip"},
        ],
    }


def generated(seed, firms, links_per_firm, implicit_regions):
    """A random multi-tier network: tier t firms supply tier t-1 firms."""
    rnd = random.Random(seed)
    regions = ["cq", "cd", "wz"]
    doc = {"format": "chengyu/1", "name": "seed: generated %d" % seed,
           "enterprises": [], "links": []}
    if not implicit_regions:
        doc["regions"] = [{"id": r} for r in regions]
        doc["parks"] = [{"id": "p%d" % k, "region": rnd.choice(regions)} for k in range(3)]
        doc["clusters"] = [{"id": "c%d" % k} for k in range(2)]
    tiers = {}
    for i in range(firms):
        tier = 0 if i < 2 else rnd.randint(1, 3)
        kind = "oem" if tier == 0 else ("material" if tier == 3 else "supplier")
        e = {"id": "f%d" % i, "kind": kind, "tier": tier, "region": rnd.choice(regions),
             "output_value": rnd.randint(0, 10**9),
             "produces": ["part%d" % (i % 7)]}
        if not implicit_regions and rnd.random() < 0.5:
            e["park"] = "p%d" % rnd.randrange(3)
            e["clusters"] = ["c%d" % rnd.randrange(2)]
        tiers[i] = tier
        doc["enterprises"].append(e)
    by_tier = {}
    for i, t in tiers.items():
        by_tier.setdefault(t, []).append(i)
    seen = set()
    for i in range(firms):
        for _ in range(links_per_firm):
            if not by_tier.get(tiers[i] + 1):
                break
            j = rnd.choice(by_tier[tiers[i] + 1])
            part = "part%d" % (j % 7)
            if (j, i, part) in seen:
                continue
            seen.add((j, i, part))
            link = {"from": "f%d" % j, "to": "f%d" % i, "part": part,
                    "volume": round(rnd.random() * 1e6, 2)}
            if rnd.random() < 0.3:
                link["share"] = round(rnd.uniform(0.05, 1), 3)
            doc["links"].append(link)
    return doc


def bad_documents():
    """One document per family of loader error (each exits 1)."""
    base = {"format": "chengyu/1", "name": "bad",
            "enterprises": [{"id": "a", "kind": "oem"}, {"id": "b", "kind": "supplier"}],
            "links": [{"from": "b", "to": "a", "part": "p"}]}

    def variant(**changes):
        doc = json.loads(json.dumps(base))
        doc.update(changes)
        return doc

    ents = base["enterprises"]
    return {
        "bad-format": variant(format="chengyu/2"),
        "bad-unknown-key": variant(colour="red"),
        "bad-dup-id": variant(enterprises=ents + [{"id": "a", "kind": "oem"}]),
        "bad-unknown-ref": variant(links=[{"from": "zz", "to": "a", "part": "p"}]),
        "bad-self-link": variant(links=[{"from": "a", "to": "a", "part": "p"}]),
        "bad-dup-link": variant(links=base["links"] * 2),
        "bad-kind": variant(enterprises=[{"id": "a", "kind": "bank"}]),
        "bad-tier": variant(enterprises=[{"id": "a", "kind": "oem", "tier": -1},
                                         {"id": "b", "kind": "oem", "tier": 1.5}]),
        "bad-uscc": variant(enterprises=[{"id": "a", "kind": "oem", "uscc": "91500000202805720X"}]),
        "bad-share": variant(links=[{"from": "b", "to": "a", "part": "p", "share": 0}]),
        "bad-volume": variant(links=[{"from": "b", "to": "a", "part": "p", "volume": -1}]),
        "bad-types": variant(name=3, enterprises={}, links="x"),
        "bad-location": variant(parks=[{"id": "k", "location": [200, 0]}]),
        "bad-park-ref": variant(enterprises=[{"id": "a", "kind": "oem", "park": "b"}, ents[1]]),
        "bad-empty-id": variant(enterprises=[{"id": "", "kind": "oem"}]),
        "bad-long-id": variant(enterprises=[{"id": "x" * 300, "kind": "oem"}]),
        "bad-dup-parts": variant(enterprises=[{"id": "a", "kind": "oem", "requires": ["p", "p"]}]),
        "bad-region-undeclared": variant(regions=[{"id": "r"}],
                                         enterprises=[{"id": "a", "kind": "oem", "region": "q"}]),
        "bad-cluster-as-region": variant(clusters=[{"id": "c", "region": "c"}]),
        "bad-toplevel-array": [],
    }


def curated_subset(path, count):
    """The first `count` enterprises of the curated dataset and their links."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    keep = doc["enterprises"][:count]
    ids = {e["id"] for e in keep}
    doc["enterprises"] = keep
    doc["links"] = [l for l in doc["links"] if l["from"] in ids and l["to"] in ids]
    doc["meta"] = {"note": "subset of data/chengdu-chongqing.json"}
    return doc


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus")
    out.mkdir(parents=True, exist_ok=True)
    files = {"gen-empty": {"format": "chengyu/1", "name": "empty", "enterprises": [], "links": []},
             "gen-all-fields": full_featured(),
             "gen-random-1": generated(1, 12, 3, False),
             "gen-random-2": generated(2, 20, 2, True),
             "gen-random-3": generated(3, 8, 4, False)}
    files.update({"gen-" + k: v for k, v in bad_documents().items()})
    curated = Path(__file__).resolve().parents[2] / "data" / "chengdu-chongqing.json"
    files["gen-curated-subset"] = curated_subset(curated, 30)
    for name, doc in files.items():
        (out / (name + ".json")).write_text(dump(doc) + "\n", encoding="utf-8")
    # Syntax-level seeds: what Jansson itself must refuse.
    raw = {
        "gen-syntax-truncated": dump(full_featured())[:200].encode(),
        "gen-syntax-trailing-comma": b'{"format":"chengyu/1","name":"x","enterprises":[],"links":[],}',
        "gen-syntax-bom": b'\xef\xbb\xbf{"format":"chengyu/1","name":"x","enterprises":[],"links":[]}',
        "gen-syntax-escapes": b'{"format":"chengyu/1","name":"\\u001b[31m\\ud834\\udd1e\\u00e9","enterprises":[],"links":[]}',
        "gen-syntax-numbers": b'{"a":[1e400,-0,18446744073709551616,1.5e-400,0.1]}',
        "gen-syntax-dup-key": b'{"name":"x","name":"y"}',
    }
    for name, data in raw.items():
        (out / (name + ".json")).write_bytes(data)


if __name__ == "__main__":
    main()
