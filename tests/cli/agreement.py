#!/usr/bin/env python3
"""agreement.py CHENGYU NETWORK... - the same network's numbers agree
character for character across formats, for weak-links (JSON, CSV,
Markdown), cascade (JSON, CSV, text, xlsx), resilience (JSON, CSV;
structure JSON and text), centrality (JSON, CSV, table, xlsx) and info
(JSON, text).

JSON is read with every number kept as its text, so the comparison is of
characters, not of parsed values.  A real in a format for people must be
the JSON's text; an amount of money must be the JSON's value through the
money rule of docs/cli.md (three significant digits and a unit, written
out again here from that description); a share its percentage.  A
workbook holds numbers, not text: its numeric cell must be the JSON's
value as libxlsxwriter writes a report's numbers, with 16 significant
digits (Excel itself shows 15).
"""
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import openpyxl

BIN, NETWORKS = sys.argv[1], sys.argv[2:]
WORK = tempfile.mkdtemp()
failures = []


def fail(message):
    failures.append(message)
    if len(failures) <= 40:
        print("FAIL:", message, file=sys.stderr)


def run(*args):
    p = subprocess.run([BIN, *args], capture_output=True, timeout=1200)
    if p.returncode != 0 or b"Sanitizer" in p.stderr or b"runtime error:" in p.stderr:
        fail(f"{' '.join(args)}: exit {p.returncode}: {p.stderr[:600]!r}")
    return p.stdout.decode("utf-8")


def tokens(text):
    """JSON with every number as its text."""
    return json.loads(text, parse_float=str, parse_int=str)


def csv_rows(text):
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = rows[0]
    return [dict(zip(header, r)) for r in rows[1:]]


def unguard(cell):
    return cell[1:] if cell.startswith("'") else cell


def money(token):
    """docs/cli.md, 'Money and shares for people'."""
    value = float(token)
    if value != value or value in (float("inf"), float("-inf")):
        return "n/a"
    m = abs(value)
    if m < 0.005:
        return "\u00a50"
    units = [(1, ""), (1e3, " k"), (1e6, " m"), (1e9, " bn"), (1e12, " tn")]
    k = 0
    while k < 4 and m >= units[k + 1][0]:
        k += 1
    while True:
        digits = "%.3g" % (m / units[k][0])
        if float(digits) < 1000:
            break
        if k == 4:
            digits = "%.0f" % (m / units[k][0])
            break
        k += 1
    return ("-" if value < 0 else "") + "\u00a5" + digits + units[k][1]


def same(what, got, want):
    if got != want:
        fail(f"{what}: {got!r} != {want!r}")


def md_table(md, heading):
    """The rows of the first pipe table after `heading`, cells unescaped."""
    lines = md.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith(heading))
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([re.sub(r"\\(.)", r"\1", c.strip()) for c in cells])
        elif rows:
            break
    return rows[2:]  # header and alignment rows


def xlsx_rows(*args):
    """The first sheet of the workbook the command writes, as dicts; a
    header "name 名称" is keyed by its first word."""
    path = os.path.join(WORK, "out.xlsx")
    run(*args, "-o", path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [str(c.value).split(" ")[0] for c in ws[1]]
    rows = [dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    os.remove(path)
    return rows


def same_number(what, cell, token):
    """A workbook's number against the JSON's text (None: null)."""
    want = None if token is None else float("%.16g" % float(token))
    if cell != want:
        fail(f"{what}: {cell!r} != {token!r}")


def id_or_dash(value):
    return "-" if value is None else value


# ---- weak-links ----------------------------------------------------------------

def weak_links(net):
    doc = tokens(run("weak-links", "-f", "json", net))
    register_csv, ranked_csv = run("weak-links", "-f", "csv", net).split("\n\n")
    rows = csv_rows(ranked_csv)
    register = csv_rows(register_csv)
    same("weak-links csv register rows", len(register), len(doc["register"]))
    for g, r in zip(doc["register"], register):
        what = f"weak-links {net} register {g['id']}"
        same(what + " id", unguard(r["id"]), g["id"])
        same(what + " final_demand_lost", r["final_demand_lost"], g["final_demand_lost"])
        same(what + " failed_count", r["failed_count"], g["failed_count"])
    md = run("weak-links", "-f", "md", "--top", "0", net)
    ranked = doc["summary"]["weak_links"]
    same("weak-links csv rows", len(rows), len(ranked))
    for w, r in zip(ranked, rows):
        what = f"weak-links {net} rank {w['rank']}"
        same(what + " type", r["type"], w["type"])
        same(what + " rank", r["rank"], w["rank"])
        same(what + " severity", r["severity"], w["severity"])
        same(what + " output_at_risk", r["output_at_risk"], w["output_at_risk"])
        same(what + " failed_count", r["failed_count"], w["failed_count"])
        same(what + " final_demand_lost", r["final_demand_lost"], w["final_demand_lost"])
        same(what + " enterprise", unguard(r["enterprise"]), w["enterprise"] or "")
        same(what + " part", unguard(r["part"]), w["part"] or "")
        same(what + " oem", unguard(r["oem"]), w["oem"] or "")
        if w["type"] in ("single_source", "bridge"):
            same(what + " supplier", unguard(r["supplier"]), w["supplier"] or "")
            same(what + " volume", r["volume"], w["volume"])
    for g, cells in zip(doc["register"], md_table(md, "## Risk register")):
        same(f"weak-links md {net} register {g['id']}", cells[4], money(g["final_demand_lost"]))
    table = md_table(md, "### Weak links by impact")
    same("weak-links md rows", len(table), len(ranked))
    for w, cells in zip(ranked, table):
        what = f"weak-links md {net} rank {w['rank']}"
        same(what + " rank", cells[0], w["rank"])
        same(what + " type", cells[1], w["type"])
        same(what + " severity", cells[2], "%.1f" % float(w["severity"]))
        same(what + " final demand lost", cells[3], money(w["final_demand_lost"]))
        same(what + " failed", cells[5], w["failed_count"])
        same(what + " enterprise", cells[6], id_or_dash(w["enterprise"]))
    for s, cells in zip(doc["single_source"], md_table(md, "## Single-source pairs")):
        what = f"weak-links md {net} single_source {s['enterprise']}"
        same(what + " volume", cells[3], money(s["volume"]))
        same(what + " final demand lost", cells[4], money(s["final_demand_lost"]))
    for c, cells in zip(doc["concentration"], md_table(md, "## Concentration")):
        same(f"weak-links md {net} hhi of {c['part']}", cells[2], "%.3f" % (math.floor(float(c["hhi"]) * 1000.0 + 1e-9) / 1000.0))
        same(f"weak-links md {net} volume of {c['part']}", cells[3], money(c["volume"]))
    for k, (c, cells) in enumerate(zip(doc["recommendations"], md_table(md, "## Recommendations"))):
        same(f"weak-links md {net} recommendation {k + 1} final demand lost", cells[4],
             money(c["final_demand_lost"]))
    for c, cells in zip(doc["cascade_impact"], md_table(md, "## Single-failure impact")):
        same(f"weak-links md {net} impact of {c['id']}", cells[2], money(c["final_demand_lost"]))
        same(f"weak-links md {net} gross of {c['id']}", cells[6], money(c["output_value_lost"]))
    intro = md.split("\n")[2]
    if f"cascade threshold T = {doc['summary']['threshold']}." not in intro:
        fail(f"weak-links md {net}: threshold in the intro {intro!r}")


# ---- cascade -------------------------------------------------------------------------

def cascade(net):
    for kind, key in (("enterprise", "id"), ("park", "park"), ("region", "region")):
        doc = tokens(run("cascade", "--each", kind, "--format", "json", net))
        rows = csv_rows(run("cascade", "--each", kind, "--format", "csv", net))
        text = run("cascade", "--each", kind, "--format", "text", net).split("\n")[1:-1]
        same(f"cascade --each {kind} rows", (len(rows), len(text)), (len(doc), len(doc)))
        for k, (d, r, t) in enumerate(zip(doc, rows, text)):
            what = f"cascade --each {kind} {net} {d[key]}"
            same(what + " id", unguard(r[key]), d[key])
            same(what + " failed_count", r["failed_count"], d["failed_count"])
            same(what + " output_value_lost", r["output_value_lost"], d["output_value_lost"])
            for field in ("final_demand_lost", "final_demand_lost_fraction", "demand_nodes_failed"):
                same(what + " " + field, r[field], d[field] if d[field] is not None else "")
            # rank, id, final demand lost (one or two words), its share, demand
            # nodes failed, firms failed, gross output value lost, rounds.
            cells = t.split()
            s = next(i for i in range(2, len(cells)) if cells[i].endswith("%") or cells[i] == "n/a")
            share = ("n/a" if d["final_demand_lost_fraction"] is None
                     else "%.1f%%" % (100 * float(d["final_demand_lost_fraction"])))
            same(what + " text",
                 [cells[0], cells[1], " ".join(cells[2:s]), cells[s], cells[s + 1], cells[s + 2],
                  " ".join(cells[s + 3:-1]), cells[-1]],
                 [str(k + 1), d[key], money(d["final_demand_lost"]), share,
                  d["demand_nodes_failed"], d["failed_count"], money(d["output_value_lost"]),
                  r["rounds"]])
        sheet = xlsx_rows("cascade", "--each", kind, "--format", "xlsx", net)
        same(f"cascade --each {kind} xlsx rows", len(sheet), len(doc))
        for d, r, x in zip(doc, rows, sheet):
            what = f"cascade --each {kind} xlsx {net} {d[key]}"
            same(what + " id", x[key], d[key])
            same_number(what + " failed_count", x["failed_count"], d["failed_count"])
            same_number(what + " output_value_lost", x["output_value_lost"],
                        d["output_value_lost"])
            same_number(what + " final_demand_lost", x["final_demand_lost"],
                        d["final_demand_lost"])
            same_number(what + " share_of_final_demand", x["share_of_final_demand"],
                        d["final_demand_lost_fraction"])
            same_number(what + " demand_nodes_failed", x["demand_nodes_failed"],
                        d["demand_nodes_failed"])
            same_number(what + " rounds", x["rounds"], r["rounds"])
    first = tokens(run("cascade", "--each", "enterprise", "--format", "json", net))[0]["id"]
    doc = tokens(run("cascade", "--fail", first, "--format", "json", net))
    text = run("cascade", "--fail", first, "--format", "text", net)
    lines = dict(l.split(": ", 1) for l in text.split("\n") if ": " in l)
    share = 100 * float(doc["output_value_lost"]) / float(doc["output_value_total"])
    same(f"cascade --fail {first} output", lines["output value lost"],
         f"{money(doc['output_value_lost'])} of {money(doc['output_value_total'])} "
         f"({share:.1f}%)")
    same(f"cascade --fail {first} failed", lines["failed"].split()[0], doc["failed_count"])
    by_park = ", ".join(f"{p} {v['failed_count']} ({money(v['final_demand_lost'])})"
                        for p, v in doc["by_park"].items()) or "none"
    same(f"cascade --fail {first} by park", lines["by park (firms failed, final demand lost)"],
         by_park)


# ---- resilience --------------------------------------------------------------------

def resilience(net):
    for attack in ("random", "degree"):
        args = ("resilience", "--attack", attack, "--steps", "20", net)
        doc = tokens(run(*args[:-1], "--format", "json", net))
        rows = csv_rows(run(*args))
        same(f"resilience {attack} rows", len(rows), len(doc["curve"]))
        for p, r in zip(doc["curve"], rows):
            for column, value in r.items():
                want = p[column]
                if column == "removed_ids":  # one cell: ';'-joined, '\\' escapes
                    want = ";".join(i.replace("\\", "\\\\").replace(";", "\\;")
                                    for i in want)
                    value = unguard(value)
                same(f"resilience {attack} {net} removed {p['removed']} {column}",
                     value, "" if want is None else want)
    doc = json.loads(run("resilience", "--structure", "--format", "json", net))
    text = run("resilience", "--structure", net).split("\n")
    points = text[0].split(": ", 1)[1] if ": " in text[0] else ""
    same(f"resilience --structure {net} articulation points",
         points.split(", ") if points else [], doc["articulation_points"])


# ---- centrality -----------------------------------------------------------------------

MEASURES = "degree,strength,betweenness,closeness,harmonic,pagerank,eigenvector,hub,authority,coreness"


def centrality(net):
    for extra in ([], ["--weighted"], ["--by", "park"]):
        args = ["centrality", "-m", MEASURES, *extra, net]
        doc = tokens(run(*args[:-1], "-f", "json", net))
        rows = csv_rows(run(*args[:-1], "-f", "csv", net))
        table = run(*args[:-1], "-f", "table", net).split("\n")[1:-1]
        measures = MEASURES.split(",")
        for d, r, t in zip(doc["rows"], rows, table):
            cells = t.split()[-len(measures):]
            for m, cell in zip(measures, cells):
                want = d[m]
                what = f"centrality {' '.join(extra)} {net} {d['id']} {m}"
                same(what + " csv", r[m], "" if want is None else want)
                same(what + " table", cell, "n/a" if want is None else want)
        sheet = xlsx_rows(*args[:-1], "-f", "xlsx", net)
        same(f"centrality {' '.join(extra)} {net} xlsx rows", len(sheet), len(doc["rows"]))
        for d, x in zip(doc["rows"], sheet):
            same(f"centrality {' '.join(extra)} {net} xlsx id", x["id"], d["id"])
            for m in measures:
                same_number(f"centrality {' '.join(extra)} {net} {d['id']} {m} xlsx",
                            x[m], d[m])


# ---- info ------------------------------------------------------------------------------

def info(net):
    doc = tokens(run("info", "--format", "json", net))
    text = dict(l.split(": ", 1) for l in run("info", net).split("\n") if ": " in l)
    same(f"info {net} density", text["density"], doc["density"])
    same(f"info {net} degree", text["degree (firm graph, in + out)"],
         f"min {doc['degree']['min']}, median {doc['degree']['median']}, "
         f"max {doc['degree']['max']}")
    same(f"info {net} output", text["total output value"],
         f"{money(doc['output_value_total'])} a year")


for network in NETWORKS:
    weak_links(network)
    cascade(network)
    resilience(network)
    centrality(network)
    info(network)

os.rmdir(WORK)
if failures:
    print(f"{len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("ok")
