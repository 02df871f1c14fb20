#!/usr/bin/env python3
"""hostile.py CHENGYU WORKDIR - one network whose ids, names and parts are
hostile (control characters, ESC and OSC sequences, bidi overrides,
=HYPERLINK(...), \\", backslash-newline, trailing backslashes, <script>)
through every command and every format, each output checked for what its
reader needs:

- a format for people (text, table, Markdown) and every message on
  standard error: valid UTF-8 with no raw control byte, C1 control, bidi
  override or line separator, and no line forged by an id's newline;
- CSV: read back with the csv module, no cell a spreadsheet would run as
  a formula (text starting with = + - @ TAB CR; a cell starting with - must
  be a number); with --csv-raw the exact strings;
- JSON: the exact strings;
- GraphML read back by NetworkX and DOT by cgraph (ctypes on libcgraph):
  the exact strings;
- HTML and SVG: no <script> from the file (only the page's own script and
  its figures' JSON data, free of <, > and &), no event-handler attribute,
  no javascript: URL, no raw bidi override or control character;
- xlsx (centrality, cascade --each, export), read with openpyxl: no formula
  cell, the exact strings once Excel's _xHHHH_ escapes are decoded; the
  exported workbook and a CSV folder imported back (chengyu import, and
  info on the workbook) give the exact strings, surrounding spaces trimmed
  as docs/spreadsheets.md says.
"""
import csv
import ctypes
import ctypes.util
import io
import json
import os
import re
import subprocess
import sys

import networkx as nx
import openpyxl

BIN, WORK = sys.argv[1], sys.argv[2]
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, file=sys.stderr)


# ---- the network ----------------------------------------------------------

NEWLINE = "oem\nforged: line"
FORMULA = '=HYPERLINK("http://evil.example/?x","click")'
ESC = "sup\x1b[31mred\x1b]0;title\x07"
BIDI = "bidi\u202egnp.exe\u2066x\u2069"
QUOTE = 'back\\"slash'
CONTINUATION = "cont\\\nline"
TRAILING = "trail\\"
SCRIPT = "<script>alert(1)</script>"
MINUS, PLUS, AT = "-2+3", "+cmd", "@SUM(A1)"
TAB, CR = "\tTab", "\rCR\r\n"
C1 = "c1\u0085\u009bnext"
SEPARATOR = "line\u2028sep"
ENTITY = "&#x202E;amp &lt;b&gt;"
CHIP, SEAT, ORE = "chip\n=1+1", "<b>seat</b>", "-ore\\"
REGION, PARK, CLUSTER = "cq\u202e", "p<script>", "c\\"

# The suppliers of raw material, each with a hostile id and name.
RAW = [MINUS, PLUS, AT, TAB, CR, C1, SEPARATOR, ENTITY]


def firm(fid, name, kind, produces, requires=None, **extra):
    record = {"id": fid, "name": name, "kind": kind, "produces": produces,
              "source": ENTITY, **extra}
    if requires is not None:
        record["requires"] = requires
    return record


ENTERPRISES = [
    firm(NEWLINE, SCRIPT, "oem", ["car"], [CHIP, SEAT], tier=0,
         output_value=5e11, park=PARK, clusters=[CLUSTER],
         name_zh="\u957f\u5b89\u202e\u6c7d\u8f66"),
    firm(FORMULA, BIDI, "oem", ["car"], [CHIP], tier=0, output_value=2.5e11,
         region=REGION),
    firm(ESC, QUOTE, "supplier", [CHIP], [ORE], tier=1, output_value=3e10, park=PARK),
    firm(QUOTE, CONTINUATION, "supplier", [CHIP], [ORE], tier=1, output_value=1.25e10),
    firm(CONTINUATION, TRAILING, "supplier", [SEAT], [ORE], tier=1, output_value=7e9,
         region=REGION),
    firm(TRAILING, C1, "material", [ORE], [ORE], tier=2, output_value=1e9),
] + [firm(fid, FORMULA + fid, "material", [ORE], [], tier=3, output_value=1e6 * (k + 1))
     for k, fid in enumerate(RAW)]

LINKS = [
    {"from": ESC, "to": NEWLINE, "part": CHIP, "volume": 2e9, "share": 0.7},
    {"from": QUOTE, "to": NEWLINE, "part": CHIP, "volume": 8e8, "share": 0.3},
    {"from": CONTINUATION, "to": NEWLINE, "part": SEAT, "volume": 5e8},
    {"from": ESC, "to": FORMULA, "part": CHIP, "volume": 1.5e9},
    {"from": TRAILING, "to": ESC, "part": ORE, "volume": 1e8},
    {"from": TRAILING, "to": QUOTE, "part": ORE, "volume": 5e7},
    {"from": TRAILING, "to": CONTINUATION, "part": ORE, "volume": 2e7},
] + [{"from": fid, "to": TRAILING, "part": ORE, "volume": 1e6 * (k + 1)}
     for k, fid in enumerate(RAW)]

NETWORK = {
    "format": "chengyu/1",
    "name": "hostile " + BIDI + "\n" + SCRIPT,
    "regions": [{"id": REGION, "name": FORMULA}],
    "parks": [{"id": PARK, "name": ESC, "region": REGION, "demonstration": True}],
    "clusters": [{"id": CLUSTER, "name": AT}],
    "enterprises": ENTERPRISES,
    "links": LINKS,
}
IDS = [e["id"] for e in ENTERPRISES]
NAMES = {e["id"]: e["name"] for e in ENTERPRISES}
PARTS = {CHIP, SEAT, ORE}

NET = os.path.join(WORK, "hostile.json")
with open(NET, "w", encoding="utf-8") as f:
    json.dump(NETWORK, f, ensure_ascii=False)

# A file with errors that quote hostile values: an unknown reference and an
# unknown key.
BAD = os.path.join(WORK, "bad.json")
with open(BAD, "w", encoding="utf-8") as f:
    bad = json.loads(json.dumps(NETWORK))
    bad["links"].append({"from": ESC + "\nforged: line", "to": NEWLINE, "part": CHIP})
    bad["enterprises"][0][BIDI + "\x1b[2J"] = 1
    json.dump(bad, f, ensure_ascii=False)

# ---- checks -----------------------------------------------------------------

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e"
                       "\u2066-\u2069\u2028\u2029]")


def check_people(what, data):
    """Text for people, or a message: no raw control, C1, bidi."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(f"{what}: not UTF-8 ({e})")
        return
    found = FORBIDDEN.search(text)
    if found:
        fail(f"{what}: raw U+{ord(found.group()):04X} at {found.start()}: "
             f"{text[max(0, found.start() - 40):found.start() + 20]!r}")
    for line in text.split("\n"):
        if line.startswith("forged:"):
            fail(f"{what}: a line forged by an id's newline: {line[:60]!r}")


def check_csv(what, data, raw=None):
    """Every row as wide as the header; no formula cell.  With raw (a
    column name and the set of its values), the output of --csv-raw: that
    column holds exactly those strings."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if not rows:
        fail(f"{what}: empty")
        return rows
    width = len(rows[0])
    for row in rows[1:]:
        if len(row) != width:
            fail(f"{what}: row of {len(row)} cells, header {width}: {row[:3]!r}")
        for cell in row if raw is None else []:
            if cell[:1] in ("=", "+", "@", "\t", "\r"):
                fail(f"{what}: formula cell {cell[:40]!r}")
            elif cell[:1] == "-":
                try:
                    float(cell)
                except ValueError:
                    fail(f"{what}: formula cell {cell[:40]!r}")
    if raw is not None:
        column, values = raw
        index = rows[0].index(column)
        got = {row[index] for row in rows[1:]}
        if got != values:
            fail(f"{what}: --csv-raw {column} {sorted(got - values)!r} "
                 f"instead of {sorted(values - got)!r}")
    return rows


def check_unguarded(what, rows, column, values):
    """Guarded cells give the value back after one leading apostrophe is
    dropped."""
    index = rows[0].index(column)
    got = {c[1:] if c.startswith("'") else c for c in (r[index] for r in rows[1:])}
    if got != values:
        fail(f"{what}: {column} after dropping one apostrophe: {sorted(got ^ values)!r}")


SCRIPT_TAG = re.compile(rb"<script", re.I)
HANDLER = re.compile(rb"<[^>]*\son[a-z]+\s*=", re.I)
# The JSON data of an interactive figure: nothing in it may be <, > or &
# (they are written as \u escapes), so no string can end the element.
DATA_SCRIPT = re.compile(rb'<script type="application/json" id="cy-data-[0-9]+">'
                         rb'([^<>&]*)</script>')


def check_markup(what, data, own_scripts=0, data_scripts=0):
    found = DATA_SCRIPT.findall(data)
    if len(found) != data_scripts:
        fail(f"{what}: {len(found)} clean JSON data elements, want {data_scripts}")
    for body in found:
        try:
            json.loads(body)
        except ValueError:
            fail(f"{what}: a JSON data element does not parse")
    data = DATA_SCRIPT.sub(b"", data)
    if len(SCRIPT_TAG.findall(data)) != own_scripts:
        fail(f"{what}: {len(SCRIPT_TAG.findall(data))} <script elements, "
             f"want {own_scripts}")
    if HANDLER.search(data):
        fail(f"{what}: an event-handler attribute: {HANDLER.search(data).group()[:80]!r}")
    if re.search(rb"javascript:", data, re.I):
        fail(f"{what}: a javascript: URL")
    if re.search(rb"<foreignObject", data, re.I):
        fail(f"{what}: a foreignObject")
    text = data.decode("utf-8")
    found = FORBIDDEN.search(text)
    if found:
        fail(f"{what}: raw U+{ord(found.group()):04X}")


def run(args, want=0, what=None):
    what = what or " ".join(a if len(a) < 30 else a[:27] + "..." for a in args)
    p = subprocess.run([BIN] + args, capture_output=True, timeout=600)
    if p.returncode != want:
        fail(f"{what}: exit {p.returncode}, want {want}: {p.stderr[:300]!r}")
    if b"Sanitizer" in p.stderr or b"runtime error:" in p.stderr:
        fail(f"{what}: a sanitizer report: {p.stderr[:600]!r}")
    check_people(what + " (stderr)", p.stderr)
    for line in p.stderr.split(b"\n"):
        if len(line) > 1000:
            fail(f"{what}: a message of {len(line)} bytes: echoed values are not cut")
    return p.stdout


def out(name):
    return os.path.join(WORK, name)


def read(name):
    with open(out(name), "rb") as f:
        return f.read()


# ---- cgraph through ctypes ----------------------------------------------------

def cgraph():
    lib = ctypes.CDLL(ctypes.util.find_library("cgraph") or "libcgraph.so.6")
    for name, res, args in [
        ("agmemread", ctypes.c_void_p, [ctypes.c_char_p]),
        ("agfstnode", ctypes.c_void_p, [ctypes.c_void_p]),
        ("agnxtnode", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
        ("agfstout", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
        ("agnxtout", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
        ("agnameof", ctypes.c_char_p, [ctypes.c_void_p]),
        ("agget", ctypes.c_char_p, [ctypes.c_void_p, ctypes.c_char_p]),
        ("agclose", ctypes.c_int, [ctypes.c_void_p])]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


def check_dot(what, data):
    lib = cgraph()
    g = lib.agmemread(data)
    if not g:
        fail(f"{what}: cgraph cannot read it back")
        return
    names, parts = {}, set()
    n = lib.agfstnode(g)
    while n:
        node = lib.agnameof(n).decode("utf-8")
        names[node] = (lib.agget(n, b"name") or b"").decode("utf-8")
        e = lib.agfstout(g, n)
        while e:
            parts.add(lib.agget(e, b"part").decode("utf-8"))
            e = lib.agnxtout(g, e)
        n = lib.agnxtnode(g, n)
    lib.agclose(g)
    if set(names) != set(IDS):
        fail(f"{what}: ids read back {sorted(set(names) ^ set(IDS))!r}")
    for fid, name in names.items():
        if fid in NAMES and name != NAMES[fid]:
            fail(f"{what}: name of {fid!r} read back as {name!r}")
    if parts != PARTS:
        fail(f"{what}: parts read back {sorted(parts ^ PARTS)!r}")


def xml_form(s):
    """What GraphML can carry: XML 1.0 has no place for the controls below
    0x20 but tab, LF and CR, nor for DEL; the export writes them as
    U+FFFD (with a warning).  Everything else comes back exactly."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", s)


def check_graphml(what, path):
    g = nx.read_graphml(path)
    ids = {d["id"]: d for _, d in g.nodes(data=True)}
    want = {xml_form(i): xml_form(NAMES[i]) for i in IDS}
    if set(ids) != set(want):
        fail(f"{what}: ids read back {sorted(set(ids) ^ set(want))!r}")
    for fid, d in ids.items():
        if fid in want and d.get("name") != want[fid]:
            fail(f"{what}: name of {fid!r} read back as {d.get('name')!r}")
    parts = {d["part"] for _, _, d in g.edges(data=True)}
    if parts != PARTS:
        fail(f"{what}: parts read back {sorted(parts ^ PARTS)!r}")


# ---- workbooks ------------------------------------------------------------------

def excel_text(s):
    """A cell's text as Excel reads it: _xHHHH_ is the character U+HHHH
    (_x005F_ escapes the underscore of a literal "_xHHHH_").  openpyxl
    3.0 leaves these escapes as they are."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), s)


def check_xlsx(what, path, sheet, column, values):
    """No formula cell in any sheet; `column` of `sheet` holds exactly
    `values`."""
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    fail(f"{what}: formula cell {ws.title}!{cell.coordinate}: "
                         f"{str(cell.value)[:40]!r}")
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    index = header.index(column)
    got = {excel_text(r[index].value) for r in ws.iter_rows(min_row=2)
           if r[index].value is not None}
    if got != values:
        fail(f"{what}: {sheet}.{column} read back {sorted(got ^ values)!r}")


TRIMMED = {"id", "from", "to", "part", "region", "park", "kind"}


def trimmed(key, s):
    """The importer's trim of ids, references, kinds and parts: spaces,
    tabs, CR, LF and U+3000 around the cell; names keep theirs."""
    return s.strip(" \t\r\n\u3000") if key in TRIMMED else s


def check_imported(what, data, network):
    """chengyu import's JSON: every string of the network exactly, trimmed."""
    doc = json.loads(data)
    for section in ("enterprises", "links", "parks", "regions", "clusters"):
        for k, (want, got) in enumerate(zip(network.get(section, []), doc.get(section, []))):
            for key, value in want.items():
                if isinstance(value, str) and got.get(key) != trimmed(key, value):
                    fail(f"{what}: {section}[{k}].{key} {got.get(key)!r}, want {value!r}")
                elif isinstance(value, list) and got.get(key) != [trimmed("id", v)
                                                                  for v in value]:
                    fail(f"{what}: {section}[{k}].{key} {got.get(key)!r}, want {value!r}")
        if len(doc.get(section, [])) != len(network.get(section, [])):
            fail(f"{what}: {len(doc.get(section, []))} {section}")
    if doc.get("name") != network["name"]:
        fail(f"{what}: name {doc.get('name')!r}")


def write_csv_folder(folder, enterprises, links):
    os.makedirs(folder, exist_ok=True)
    for name, rows in (("enterprises", enterprises), ("links", links)):
        keys = list(dict.fromkeys(k for r in rows for k in r))
        with open(os.path.join(folder, name + ".csv"), "w", encoding="utf-8",
                  newline="") as f:
            w = csv.writer(f)
            w.writerow(keys)
            for r in rows:
                w.writerow([";".join(r[k]) if isinstance(r.get(k), list) else r.get(k, "")
                            for k in keys])


# ---- every command, every format ----------------------------------------------

run(["validate", NET], what="validate")
run(["validate", BAD], want=1, what="validate (errors)")
run(["info", BAD], want=1, what="info (errors)")
LONG = (ESC + BIDI + "\nforged: line") * 500
run(["cascade", "--fail", ESC + "x\nforged: line", NET], want=1, what="cascade unknown id")
run(["cascade", "--fail", LONG, NET], want=1, what="cascade long unknown id")
run(["cascade", "--fail-park", LONG, NET], want=1, what="cascade long unknown park")
run(["render", "--focus", BIDI + "\x1b[2J\nforged: line", "-o", out("x.svg"), NET], want=1,
    what="render unknown focus")
run(["render", "--focus", LONG, "-o", out("x.svg"), NET], want=1, what="render long focus")
run(["centrality", "-m", LONG, NET], want=2, what="centrality long measure")
run(["info", "--format", LONG, NET], want=2, what="info long format")
run([LONG], want=2, what="long command name")

check_people("info text", run(["info", NET]))
check_json_doc = json.loads(run(["info", "--format", "json", NET]))
if set(check_json_doc["parks"]) != {PARK} or check_json_doc["name"] != NETWORK["name"]:
    fail("info json: park ids or name not exact")

check_people("centrality table", run(["centrality", "-f", "table", NET]))
check_people("centrality table by park", run(["centrality", "-f", "table", "--by", "park", NET]))
rows = check_csv("centrality csv", run(["centrality", "-f", "csv", NET]))
check_unguarded("centrality csv", rows, "id", set(IDS))
check_csv("centrality csv raw", run(["centrality", "-f", "csv", "--csv-raw", NET]),
          ("id", set(IDS)))
doc = json.loads(run(["centrality", "-f", "json", NET]))
if {r["id"] for r in doc["rows"]} != set(IDS):
    fail("centrality json: ids not exact")

for fmt in ("text", "json"):
    for mode in (["--fail", ESC], ["--fail", FORMULA], ["--fail-park", PARK],
                 ["--fail-region", REGION]):
        data = run(["cascade"] + mode + ["--format", fmt, NET])
        if fmt == "text":
            check_people(f"cascade {mode[0]} text", data)
        else:
            doc = json.loads(data)
            if not set(doc["failed"]) <= set(IDS):
                fail(f"cascade {mode[0]} json: ids not exact")
# Combined and partial shocks: every firm's fraction keyed by its exact id,
# text made safe, CSV rows guarded (and exact with --csv-raw).
shock = ["--fail", ESC, "--fail-park", PARK, "--degrade", FORMULA + "=0.5",
         "--degrade", REGION + "=0.9"]
check_people("cascade shock text", run(["cascade"] + shock + ["--format", "text", NET]))
doc = json.loads(run(["cascade"] + shock + ["--format", "json", NET]))
if set(doc["output_fraction"]) != set(IDS) or doc["model"] != "fractional":
    fail("cascade shock json: output_fraction ids not exact")
rows = check_csv("cascade shock csv", run(["cascade"] + shock + ["--format", "csv", NET]))
check_unguarded("cascade shock csv", rows, "id", set(IDS))
check_csv("cascade shock csv raw", run(["cascade"] + shock + ["--format", "csv", "--csv-raw", NET]),
          ("id", set(IDS)))
# Scenarios: hostile ids in the scenario file and in the network, through
# every format; a mitigation that removes a hostile link (a weak link
# changes).
SCEN = os.path.join(WORK, "scenarios.json")
with open(SCEN, "w", encoding="utf-8") as f:
    json.dump({"format": "chengyu-scenarios/1", "scenarios": [
        {"name": ESC + FORMULA, "description": ENTITY,
         "shocks": [{"firms": [ESC, FORMULA]}, {"parks": [PARK], "capacity_left": 0.5},
                    {"regions": [REGION], "capacity_left": 0.9}]},
        {"name": "<b>mitigated</b>", "shocks": [{"firms": [RAW[0]]}],
         "mitigations": [{"action": "add_enterprise",
                          "enterprise": {"id": "new" + ESC, "kind": "supplier"}}]}]},
              f, ensure_ascii=False)
for fmt in ("text", "md", "html"):
    check_people(f"scenarios {fmt}", run(["scenarios", "-f", fmt, NET, SCEN]))
doc = json.loads(run(["scenarios", "-f", "json", NET, SCEN]))
if doc["scenarios"][0]["name"] != ESC + FORMULA or not set(doc["scenarios"][0]["failed"]) <= set(IDS):
    fail("scenarios json: names or ids not exact")
rows = check_csv("scenarios csv", run(["scenarios", "-f", "csv", NET, SCEN]))
check_unguarded("scenarios csv", rows, "scenario", {ESC + FORMULA, "<b>mitigated</b>"})
for kind in ("enterprise", "park", "region"):
    check_people(f"cascade --each {kind} text",
                 run(["cascade", "--each", kind, "--format", "text", NET]))
    check_csv(f"cascade --each {kind} csv",
              run(["cascade", "--each", kind, "--format", "csv", NET]))
    json.loads(run(["cascade", "--each", kind, "--format", "json", NET]))
rows = check_csv("cascade --each csv", run(["cascade", "--each", "enterprise", "--format",
                                            "csv", NET]))
check_unguarded("cascade --each csv", rows, "id", set(IDS))
check_csv("cascade --each csv raw", run(["cascade", "--each", "enterprise", "--format", "csv",
                                         "--csv-raw", NET]), ("id", set(IDS)))

for attack in ("random", "degree"):
    check_csv(f"resilience {attack} csv", run(["resilience", "--attack", attack, "--steps", "7",
                                               NET]))
    json.loads(run(["resilience", "--attack", attack, "--steps", "7", "--format", "json",
                    "--plot", out("curve.svg"), NET]))
    check_markup(f"resilience {attack} plot", read("curve.svg"))


def split_list(cell):
    """A ';'-joined list cell back into its elements ('\\' escapes the next
    character)."""
    items, item, escaped = [], "", False
    for ch in cell:
        if escaped:
            item, escaped = item + ch, False
        elif ch == "\\":
            escaped = True
        elif ch == ";":
            items, item = items + [item], ""
        else:
            item += ch
    return items + [item] if cell else []


# Every firm (group) removed exactly once: removed_ids of all rows, split
# back from the CSV cells (--csv-raw: exact; guarded: one apostrophe
# dropped) and read from the JSON arrays, are exactly the ids.
for by, want in (("enterprise", IDS), ("park", [PARK]), ("region", [REGION])):
    extra = [] if by == "enterprise" else ["--by", by]
    for raw in ([], ["--csv-raw"]):
        # One id (group) per row: with --csv-raw each cell is one escaped id.
        escaped = {i.replace("\\", "\\\\").replace(";", "\\;") for i in want} | {""}
        rows = check_csv(f"resilience --by {by} csv {raw}",
                         run(["resilience", "--attack", "degree" if not extra else "demand"]
                             + extra + raw + [NET]),
                         ("removed_ids", escaped) if raw else None)
        col = rows[0].index("removed_ids")
        got = []
        for r in rows[1:]:
            cell = r[col][1:] if not raw and r[col].startswith("'") else r[col]
            got += split_list(cell)
        if sorted(got) != sorted(want):
            fail(f"resilience --by {by} csv {raw}: removed_ids {got!r}")
    doc = json.loads(run(["resilience", "--attack", "degree" if not extra else "demand",
                          "--format", "json"] + extra + [NET]))
    got = [i for p in doc["curve"] for i in p["removed_ids"]]
    if sorted(got) != sorted(want):
        fail(f"resilience --by {by} json: removed_ids {got!r}")
check_people("resilience --structure text", run(["resilience", "--structure", NET]))
doc = json.loads(run(["resilience", "--structure", "--format", "json", NET]))
if not set(doc["articulation_points"]) <= set(IDS):
    fail("resilience --structure json: ids not exact")

check_people("weak-links md", run(["weak-links", NET]))
md = run(["weak-links", NET]).decode("utf-8")
if SCRIPT in md or "&#x202E;" in md:
    fail("weak-links md: markup or an entity from a name left as is")
# The weak-link CSV is two tables (the register, the weak links) separated
# by an empty line; each is checked on its own.
register, ranked = run(["weak-links", "-f", "csv", NET]).split(b"\n\n")
check_csv("weak-links csv register", register)
rows = check_csv("weak-links csv", ranked)
register, ranked = run(["weak-links", "-f", "csv", "--csv-raw", NET]).split(b"\n\n")
wl = json.loads(run(["weak-links", "-f", "json", NET]))
check_csv("weak-links csv raw register", register, ("id", {r["id"] for r in wl["register"]}))
check_csv("weak-links csv raw", ranked,
          ("enterprise", {r["enterprise"] for r in wl["summary"]["weak_links"]}))
doc = json.loads(run(["weak-links", "-f", "json", NET]))
if {r["id"] for r in doc["cascade_impact"]} != set(IDS):
    fail("weak-links json: cascade_impact ids not exact")
run(["weak-links", "-f", "html", "-o", out("report.html"), NET])
check_markup("weak-links html", read("report.html"), own_scripts=1, data_scripts=2)
if b"document.querySelectorAll('table.sortable')" not in read("report.html"):
    fail("weak-links html: its one script is not the table sorter")

# diff: the hostile network against a version with every firm renamed
# (its old name in the new name), the link ESC -> FORMULA removed and a
# hostile park added, hostile ids on both sides.
NET2 = out("hostile2.json")
second = json.loads(json.dumps(NETWORK))
for e in second["enterprises"]:
    e["name"] = e["name"] + SCRIPT + BIDI
second["links"] = [l for l in second["links"] if not (l["from"] == ESC and l["to"] == FORMULA)]
second["parks"].append({"id": FORMULA + PARK, "name": ESC, "region": REGION})
with open(NET2, "w", encoding="utf-8") as f:
    json.dump(second, f, ensure_ascii=False)
check_people("diff md", run(["diff", NET, NET2]))
run(["diff", "-f", "html", "-o", out("diff.html"), NET, NET2])
check_markup("diff html", read("diff.html"), own_scripts=1)
diff_rows = check_csv("diff csv", run(["diff", "-f", "csv", NET, NET2]))
check_unguarded("diff csv", [diff_rows[0]] + [r for r in diff_rows[1:] if r[0] == "enterprises"],
                "id", set(IDS))
check_csv("diff csv raw", run(["diff", "-f", "csv", "--csv-raw", NET, NET2]),
          ("id", set(IDS) | {ESC, FORMULA + PARK} |
           {r["id"] for r in json.loads(run(["diff", "-f", "json", NET, NET2]))["register"]}))
doc = json.loads(run(["diff", "-f", "json", NET, NET2]))
if {r["id"] for r in doc["enterprises"]} != set(IDS):
    fail("diff json: enterprise ids not exact")
if {(f["old"], f["new"]) for r in doc["enterprises"] for f in r["fields"]} != \
        {(n, n + SCRIPT + BIDI) for n in NAMES.values()}:
    fail("diff json: names not exact")
if doc["links"] != [{"change": "removed", "from": ESC, "to": FORMULA, "part": CHIP}]:
    fail(f"diff json: links {doc['links']!r}")
if doc["parks"] != [{"change": "added", "id": FORMULA + PARK}]:
    fail(f"diff json: parks {doc['parks']!r}")

views = [["--view", v] for v in ("full", "tiers", "clusters", "parks", "regions")]
views += [["--focus", ESC], ["--highlight", "weak-links"], ["--highlight", "cascade:" + ESC]]
for view in views:
    run(["render"] + view + ["-o", out("d.svg"), NET], what="render " + view[-1][:12])
    check_markup("render svg " + " ".join(view)[:30], read("d.svg"))
run(["render", "-o", out("d.dot"), NET], what="render dot")
run(["render", "-o", out("d.png"), NET], what="render png")

run(["export", "--to", "graphml", "-o", out("x.graphml"), NET])
check_graphml("export graphml", out("x.graphml"))
run(["export", "--to", "dot", "-o", out("x.dot"), NET])
check_dot("export dot", read("x.dot"))
run(["export", "--to", "csv", "-o", out("x"), NET])
rows = check_csv("export nodes csv", read("x.nodes.csv"))
check_unguarded("export nodes csv", rows, "id", set(IDS))
check_unguarded("export nodes csv", rows, "name", set(NAMES.values()))
rows = check_csv("export edges csv", read("x.edges.csv"))
check_unguarded("export edges csv", rows, "part", PARTS)
run(["export", "--to", "csv", "--csv-raw", "-o", out("raw"), NET])
check_csv("export nodes csv raw", read("raw.nodes.csv"), ("id", set(IDS)))

run(["centrality", "-f", "xlsx", "-o", out("c.xlsx"), NET])
check_xlsx("centrality xlsx", out("c.xlsx"), "centrality", "id", set(IDS))
run(["cascade", "--each", "enterprise", "-f", "xlsx", "-o", out("k.xlsx"), NET])
check_xlsx("cascade --each xlsx", out("k.xlsx"), "enterprises", "id", set(IDS))
run(["cascade", "--each", "park", "-f", "xlsx", "-o", out("kp.xlsx"), NET])
check_xlsx("cascade --each park xlsx", out("kp.xlsx"), "parks", "park", {PARK})
run(["export", "-f", "xlsx", "-o", out("e.xlsx"), NET])
check_xlsx("export xlsx", out("e.xlsx"), "enterprises", "id", set(IDS))
check_xlsx("export xlsx", out("e.xlsx"), "enterprises", "name", set(NAMES.values()))
check_xlsx("export xlsx", out("e.xlsx"), "links", "part", PARTS)
check_imported("import of the exported workbook", run(["import", out("e.xlsx")]), NETWORK)
check_people("info of the exported workbook", run(["info", out("e.xlsx")]))

# A CSV folder written by Python's csv module: the same strings come back;
# a reference to a hostile unknown id is reported without forging a line.
PLAIN = {"format": "chengyu/1", "name": NETWORK["name"], "enterprises": [
    {k: v for k, v in e.items() if k in ("id", "name", "kind", "produces", "requires") and v}
    for e in ENTERPRISES], "links": [{k: v for k, v in l.items() if k in ("from", "to", "part")}
                                    for l in LINKS]}
write_csv_folder(out("tables"), PLAIN["enterprises"], PLAIN["links"])
with open(os.path.join(out("tables"), "network.csv"), "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows([["name"], [NETWORK["name"]]])
check_imported("import of a CSV folder", run(["import", out("tables")]), PLAIN)
write_csv_folder(out("bad-tables"), PLAIN["enterprises"], PLAIN["links"] + [
    {"from": ESC + "\nforged: line" + BIDI, "to": NEWLINE, "part": CHIP}])
run(["import", out("bad-tables")], want=1, what="import of a CSV folder (errors)")
run(["validate", out("bad-tables")], want=1, what="validate of a CSV folder (errors)")
run(["import", "--encoding", LONG, out("tables")], want=1, what="import long encoding")

if failures:
    print(f"{len(failures)} failure(s)", file=sys.stderr)
    sys.exit(1)
print("ok")
