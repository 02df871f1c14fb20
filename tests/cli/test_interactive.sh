#!/usr/bin/env bash
# The interactive page of `chengyu render --format html`, driven by headless
# Chromium: opened at #focus=ID, the DOM it leaves (--dump-dom) must mark
# exactly the firm's upstream cone (its suppliers at every tier) and its
# downstream cone (customers at every tier), computed here with NetworkX
# from the links of the file and, for the curated dataset, from the edges
# the SVG draws; the firm's panel must be shown.  The browser's console must
# stay silent (no script error, no Content-Security-Policy violation) and
# its network log must hold no request made by the page.  Hostile names stay
# text: nothing they carry becomes an element.
# Usage: test_interactive.sh CHENGYU SOURCE_DIR
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/cli/helpers.sh"

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

finish
