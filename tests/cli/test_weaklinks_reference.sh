#!/usr/bin/env bash
# The weak-link report against an independent reference
# (tests/cli/weaklinks_reference.py, written from docs/analyses.md with
# NetworkX for articulation points and bridges): final demand and demand
# nodes, every single failure's final demand lost, demand nodes and firms
# failed, the chokepoints of every demand node, the register (members,
# roles, order), each backup's survives / common_cause / independent and
# the exclusion of current suppliers, the outside chokepoints, the
# multi-tier share and region_dependence.  On the hand-checked graphs, on
# random networks written by Python (with shares, thresholds 0 and 0.5,
# networks without values, without OEMs, with regions outside the circle)
# and on a generated preset.
# Usage: test_weaklinks_reference.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

/usr/bin/python3 - "$bin" "$src" "$tmp" <<'PY'
import csv, io, json, random, subprocess, sys
sys.path.insert(0, sys.argv[2] + "/tests/cli")
import weaklinks_reference as ref

bin, src, tmp = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0

def check(path, threshold, label):
    global failures
    run = subprocess.run([bin, "weak-links", "--format", "json", "--threshold", str(threshold),
                          path], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL {label}: exit {run.returncode}: {run.stderr[:300]}", file=sys.stderr)
        failures += 1
        return
    doc = json.load(open(path))
    problems = ref.check(doc, json.loads(run.stdout), threshold)
    problems += check_csv(doc, path, threshold)
    if problems:
        failures += 1
        for p in problems[:5]:
            print(f"FAIL {label} (T = {threshold}): {p}", file=sys.stderr)
    else:
        print(f"ok {label} (T = {threshold})")

def check_csv(doc, path, threshold):
    """The register's fix_backup_* columns of the CSV report, from the
    links alone: the fix's first backup against the firm of the row (its
    current supplier)."""
    run = subprocess.run([bin, "weak-links", "--format", "csv", "--csv-raw", "--threshold",
                          str(threshold), path], capture_output=True, text=True)
    if run.returncode != 0:
        return [f"csv: exit {run.returncode}"]
    suppliers_of, park = {}, {e["id"]: e.get("park") for e in doc["enterprises"]}
    for l in doc["links"]:
        suppliers_of.setdefault(l["to"], set()).add(l["from"])
    rows = list(csv.DictReader(io.StringIO(run.stdout.split("\n\n")[0] + "\n")))
    problems, backups = [], 0
    for r in rows:
        got = [r[k] for k in ("fix_backup_same_park", "fix_backup_supplier_count",
                              "fix_backup_shared_supplier_count", "fix_backup_shared_suppliers")]
        if not r["fix_backup"]:
            want = ["", "", "", ""]
        else:
            backups += 1
            a, b = r["id"], r["fix_backup"]
            mine = suppliers_of.get(b, set())
            shared = sorted((suppliers_of.get(a, set()) & mine) - {a, b})
            want = ["true" if park[a] is not None and park[b] == park[a] else "false",
                    str(len(mine)), str(len(shared)), ";".join(shared[:5])]
        if got != want:
            problems.append(f"csv register {r['id']}: {got}, want {want}")
    return problems

def random_network(seed, n, values, oems, shares):
    rng = random.Random(seed)
    # zone-b names no place of the circle but is inside (no `inside`
    # field); jiangsu and overseas are outside because the file says so
    regions = [{"id": "chongqing"}, {"id": "chengdu"}, {"id": "zone-b"},
               {"id": "jiangsu", "inside": False}, {"id": "overseas", "inside": False}]
    firms = []
    for i in range(n):
        e = {"id": "f%03d" % i, "kind": "oem" if oems and i % 7 == 6 else "supplier",
             "region": rng.choice(regions)["id"], "produces": ["p%d" % (i % 9)]}
        if values and rng.random() < 0.9:
            e["output_value"] = rng.randint(0, 400)
        if values and rng.random() < 0.1:
            e["final_demand"] = rng.randint(0, 100)
        firms.append(e)
    links = []
    for i in range(n):
        # suppliers come from lower indices: a DAG with some long chains
        for part in rng.sample(range(9), rng.randint(0, 3)):
            candidates = [j for j in range(i) if j % 9 == part]
            if not candidates:
                continue
            chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
            weights = [rng.randint(1, 5) for _ in chosen]
            for j, w in zip(chosen, weights):
                l = {"from": "f%03d" % j, "to": "f%03d" % i, "part": "p%d" % part}
                if values:
                    l["volume"] = rng.randint(1, 60)
                if shares:
                    l["share"] = w / sum(weights)
                links.append(l)
    return {"format": "chengyu/1", "name": "random %d" % seed, "regions": regions,
            "enterprises": firms, "links": links}

for name in ["weaklinks.json", "weaklinks-example.json", "weaklinks-example-backup.json",
             "weaklinks-novalues.json", "weaklinks-nooem.json", "weaklinks-current-source.json",
             "cascade-battery.json",
             "cascade-shares.json", "cascade-cycle.json"]:
    for t in (0, 0.5):
        check(f"{src}/graphs/{name}", t, name)

for seed in range(1, 13):
    doc = random_network(seed, 60, values=seed % 4 != 0, oems=seed % 3 != 0, shares=seed % 2 == 0)
    path = f"{tmp}/random{seed}.json"
    json.dump(doc, open(path, "w"))
    for t in (0, 0.5):
        check(path, t, f"random {seed}")

run = subprocess.run([bin, "generate", "--preset", "regional", "-o", f"{tmp}/regional.json"],
                     capture_output=True, text=True)
if run.returncode == 0:
    check(f"{tmp}/regional.json", 0, "regional preset")
else:
    print("FAIL: generate --preset regional", file=sys.stderr)
    failures += 1
sys.exit(1 if failures else 0)
PY
