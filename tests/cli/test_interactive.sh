#!/usr/bin/env bash
# The interactive pages of `chengyu render --format html` and of the
# weak-link report (`weak-links --format html`), driven by headless
# Chromium: opened at #focus=ID, the DOM it leaves (--dump-dom) must mark
# exactly the firm's upstream cone (its suppliers at every tier) and its
# downstream cone (customers at every tier), computed here with NetworkX
# from the links of the file and, for the curated dataset, from the edges
# the SVG draws; the firm's panel must be shown, in the report with the
# firm's row of the risk register.  The browser's console must
# stay silent (no script error, no Content-Security-Policy violation) and
# its network log must hold no request made by the page.  Hostile names stay
# text: nothing they carry becomes an element.
# Usage: test_interactive.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL: chromium is not installed (bash scripts/deps.sh test)" >&2; exit 1; }

# open_page HTML FRAGMENT NAME: load file://HTML#FRAGMENT headless; the DOM
# after the scripts ran goes to $tmp/NAME.dom, the console to NAME.err, the
# network log to NAME.net.
open_page() {
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --enable-logging=stderr --v=0 \
    --user-data-dir="$tmp/profile-$3" --log-net-log="$tmp/$3.net" \
    --dump-dom "file://$1#$2" >"$tmp/$3.dom" 2>"$tmp/$3.err" ||
    fail "chromium could not open $1#$2"
  if grep -q 'CONSOLE' "$tmp/$3.err"; then
    fail "$3: the page logged to the console: $(grep 'CONSOLE' "$tmp/$3.err" | head -3)"
  fi
  /usr/bin/python3 - "$tmp/$3.net" <<'PY' || fail "$3: the page made network requests"
import json, sys
log = json.load(open(sys.argv[1]))
names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
bad = set()
for e in log["events"]:
    p = e.get("params", {})
    # The page's own requests carry its (file://) isolation key; Chromium's
    # background traffic does not.
    if names.get(e["type"]) == "URL_REQUEST_START_JOB" and \
            str(p.get("network_isolation_key", "")).startswith("file://") and \
            not str(p.get("url", "")).startswith(("file:", "data:")):
        bad.add(p["url"])
if bad:
    print("requests:", sorted(bad), file=sys.stderr)
    sys.exit(1)
PY
}

# check_cones NAME DATA FOCUS_ID MODE: in $tmp/NAME.dom, the nodes marked
# cy-up / cy-down / cy-focus must be the NetworkX ancestors / descendants of
# FOCUS_ID.  MODE "links": the graph is DATA's links; "svg": the edges drawn.
check_cones() {
  /usr/bin/python3 - "$tmp/$1.dom" "$2" "$3" "$4" <<'PY' || fail "$1: cones of $3 wrong"
import json, sys
from html.parser import HTMLParser
import networkx as nx
dom, data, focus, mode = sys.argv[1:5]
net = json.load(open(data))
ids = [e["id"] for e in net["enterprises"]]

class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.nodes, self.edges, self.panel = [], {}, [], []
        self.in_title = self.in_panel = None
        self.panel_depth = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "g":
            kind = "node" if "node" in cls else "edge" if "edge" in cls else None
            self.stack.append([kind, set(cls), None] if kind else None)
        if tag == "title" and self.stack and self.stack[-1] is not None:
            self.in_title = self.stack[-1]
        if tag == "div" and self.in_panel:
            self.panel_depth += 1
        if tag == "div" and "cy-panel" in cls:
            self.in_panel = "hidden" not in a
            self.panel_depth = 1
    def handle_endtag(self, tag):
        if tag == "div" and self.in_panel is not None:
            self.panel_depth -= 1
            if self.panel_depth == 0:
                self.in_panel = None
        if tag == "title":
            self.in_title = None
        if tag == "g" and self.stack:
            top = self.stack.pop()
            if top is not None and top[0] == "node":
                self.nodes[top[2]] = top[1]
            elif top is not None:
                self.edges.append((top[2], top[1]))
    def handle_data(self, text):
        if self.in_title is not None:
            self.in_title[2] = (self.in_title[2] or "") + text
        if self.in_panel:
            self.panel.append(text)

page = Page()
page.feed(open(dom, encoding="utf-8").read())
firm = {t: ids[int(t[1:])] for t in page.nodes if t and t.startswith("f")}
g = nx.DiGraph()
g.add_nodes_from(firm.values())
if mode == "links":
    g.add_edges_from((l["from"], l["to"]) for l in net["links"])
else:
    for title, _ in page.edges:
        a, b = title.split("->")
        if a in firm and b in firm:
            g.add_edge(firm[a], firm[b])
want_up, want_down = nx.ancestors(g, focus), nx.descendants(g, focus)
got = {k: {firm[t] for t, c in page.nodes.items() if t in firm and k in c}
       for k in ("cy-up", "cy-down", "cy-focus")}
ok = True
for k, want in (("cy-up", want_up), ("cy-down", want_down), ("cy-focus", {focus})):
    if got[k] != want:
        print(k, "got", sorted(got[k]), "want", sorted(want), file=sys.stderr)
        ok = False
if not want_up or not want_down:
    print("the focus needs both cones to test anything", file=sys.stderr)
    ok = False
panel = " ".join(page.panel)
if focus not in panel:
    print("panel does not show the firm:", panel[:300], file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
}

# Static promises of the file: one page, a CSP that allows only its own
# script (by hash), nothing that loads from outside.
check_static() {
  /usr/bin/python3 - "$1" <<'PY' || fail "$1: static checks"
import base64, hashlib, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', html)
ok = bool(csp) and "default-src 'none'" in csp.group(1) and "connect-src 'none'" in csp.group(1)
scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
for s in scripts:
    h = base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()
    if "'sha256-%s'" % h not in csp.group(1):
        print("script not allowed by the CSP hash", file=sys.stderr)
        ok = False
if not scripts:
    ok = False
for m in re.finditer(r'(?:src|href)\s*=\s*"([^"#][^"]*)"', html):
    print("refers outside:", m.group(1), file=sys.stderr)
    ok = False
sys.exit(0 if ok else 1)
PY
}

# 1. A small network: the cones against the file's links.
small=$src/graphs/render-small.json
expect_exit 0 "$bin" render -o "$tmp/small.html" "$small"
check_static "$tmp/small.html"
open_page "$tmp/small.html" "focus=s1" small
check_cones small "$small" s1 links

# 2. The curated dataset, through -f html on standard output: the cones
#    against the edges drawn.
data=$src/data/chengdu-chongqing.json
expect_exit 0 "$bin" render -f html -o - "$data"
cp "$tmp/out" "$tmp/curated.html"
check_static "$tmp/curated.html"
focus=$(/usr/bin/python3 - "$data" <<'PY'
import json, sys
import networkx as nx
net = json.load(open(sys.argv[1]))
g = nx.DiGraph((l["from"], l["to"]) for l in net["links"])
# a tier-1 supplier with both cones: the first in the file
print(next(e["id"] for e in net["enterprises"]
           if e["id"] in g and nx.ancestors(g, e["id"]) and nx.descendants(g, e["id"])))
PY
)
open_page "$tmp/curated.html" "focus=$focus" curated
check_cones curated "$data" "$focus" svg

# 3. Hostile names: a name that closes the script element, U+2028 and an
#    event handler stay text in the data and in the panel.
/usr/bin/python3 - "$small" "$tmp/hostile.json" <<'PY'
import json, sys
net = json.load(open(sys.argv[1]))
net["enterprises"][0]["name"] = "</script><img src=x onerror=alert(1)>\u2028<!--"
net["enterprises"][0]["name_zh"] = "\"'&amp;<b>粗</b>"
json.dump(net, open(sys.argv[2], "w"), ensure_ascii=False)
PY
hostile_id=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["enterprises"][0]["id"])' "$small")
expect_exit 0 "$bin" render -o "$tmp/hostile.html" "$tmp/hostile.json"
check_static "$tmp/hostile.html"
grep -q '<img src=x' "$tmp/hostile.html" && fail "a hostile name became markup"
open_page "$tmp/hostile.html" "focus=$hostile_id" hostile
grep -q '<img src="x"' "$tmp/hostile.dom" && fail "a hostile name became an element"
grep -q '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;' "$tmp/hostile.dom" ||
  fail "the hostile name is not shown as text in the panel"

# check_register NAME REPORT_JSON FOCUS_ID: the panel of $tmp/NAME.dom shows
# FOCUS_ID's row of the risk register, cell for cell as the page's register
# table shows it (the page was written with --top 0, so the table has every
# row), and its rank is the firm's place in the JSON register.
check_register() {
  /usr/bin/python3 - "$tmp/$1.dom" "$2" "$3" <<'PY' || fail "$1: register row of $3 wrong"
import json, sys
from html.parser import HTMLParser
dom, report, focus = sys.argv[1:4]
register = [r["id"] for r in json.load(open(report))["register"]]

class Page(HTMLParser):
    """The panel's [th, td] pairs and the register table's rows."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.where = None          # "panel" or "register" while inside
        self.depth = 0
        self.cell = None
        self.row, self.head, self.rows = [], [], []
        self.panels = []           # [shown, [[th, td], ...]] per figure
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if self.where is None and tag == "div" and "cy-panel" in cls:
            self.where, self.depth = "panel", 0
            self.panels.append(["hidden" not in a, []])
        elif self.where is None and tag == "table" and a.get("data-section") == "register":
            self.where, self.depth = "register", 0
        if self.where and tag == ("div" if self.where == "panel" else "table"):
            self.depth += 1
        if self.where and tag in ("th", "td"):
            self.cell = ""
    def handle_endtag(self, tag):
        if self.where and tag in ("th", "td") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        if self.where and tag == "tr":
            if self.where == "panel":
                self.panels[-1][1].append(self.row)
            elif not self.head:
                self.head = self.row
            else:
                self.rows.append(self.row)
            self.row = []
        if self.where and tag == ("div" if self.where == "panel" else "table"):
            self.depth -= 1
            if self.depth == 0:
                self.where = None
    def handle_data(self, text):
        if self.cell is not None:
            self.cell += text

page = Page()
page.feed(open(dom, encoding="utf-8").read())
want = [r for r in page.rows if len(r) > 1 and r[1] == focus]
shown = [rows for visible, rows in page.panels if visible]
ok = len(shown) == 1 and len(want) == 1
if not ok:
    print("panels shown:", shown, "register rows of the firm:", want, file=sys.stderr)
else:
    page.panel = shown[0]
    expected = [[h, c] for h, c in zip(page.head, want[0])]
    if page.panel != expected:
        print("panel:", page.panel, "\ntable:", expected, file=sys.stderr)
        ok = False
    if ["#", str(register.index(focus) + 1)] not in page.panel:
        print("rank is not", register.index(focus) + 1, file=sys.stderr)
        ok = False
sys.exit(0 if ok else 1)
PY
}

# 4. The weak-link report of the hand-checked graphs/weaklinks.json: the
#    diagram's cones of bat1 (suppliers cell1; customers oem1, oem2) and its
#    register row; then the same network with bat1 renamed to a hostile id.
wl=$src/graphs/weaklinks.json
expect_exit 0 "$bin" weak-links -f html --top 0 -o "$tmp/wl.html" "$wl"
expect_exit 0 "$bin" weak-links -f json -o "$tmp/wl.json" "$wl"
check_static "$tmp/wl.html"
open_page "$tmp/wl.html" "focus=bat1" wl
check_cones wl "$wl" bat1 svg
check_cones wl "$wl" bat1 links
check_register wl "$tmp/wl.json" bat1

hostile='</script><img src=x onerror=alert(1)>"'"'"'&amp;'
/usr/bin/python3 - "$wl" "$tmp/wl-hostile.json" "$hostile" <<'PY'
import json, sys
net = json.load(open(sys.argv[1]))
for e in net["enterprises"]:
    if e["id"] == "bat1":
        e["id"] = sys.argv[3]
        e["name"] = "<b>bold</b> & \"quoted\""
for l in net["links"]:
    for k in ("from", "to"):
        if l[k] == "bat1":
            l[k] = sys.argv[3]
json.dump(net, open(sys.argv[2], "w"))
PY
expect_exit 0 "$bin" weak-links -f html --top 0 -o "$tmp/wl-hostile.html" "$tmp/wl-hostile.json"
expect_exit 0 "$bin" weak-links -f json -o "$tmp/wl-hostile-report.json" "$tmp/wl-hostile.json"
check_static "$tmp/wl-hostile.html"
grep -q '<img src=x' "$tmp/wl-hostile.html" && fail "a hostile id became markup in the report"
grep -q '<b>bold' "$tmp/wl-hostile.html" && fail "a hostile name became markup in the report"
encoded=$(/usr/bin/python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$hostile")
open_page "$tmp/wl-hostile.html" "focus=$encoded" wl-hostile
grep -q '<img src="x"' "$tmp/wl-hostile.dom" && fail "a hostile id became an element"
grep -q '<b>bold' "$tmp/wl-hostile.dom" && fail "a hostile name became an element"
check_cones wl-hostile "$tmp/wl-hostile.json" "$hostile" links
check_register wl-hostile "$tmp/wl-hostile-report.json" "$hostile"

finish
