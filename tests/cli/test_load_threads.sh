#!/usr/bin/env bash
# The load on several threads gives the answers of one thread, byte for
# byte: `validate -f json` and `info -f json` (and, where names matter,
# `centrality -f csv`) with --threads 1, 2 and 7 are compared with cmp, on
# valid files (the regional preset, the curated dataset, every hand-made
# network) and invalid ones (a bad record in the middle of "links", a
# duplicate id, a syntax error late in the file, links before
# enterprises), and on a file whose ids, names and metas are full of
# brackets, escaped quotes and backslashes and escaped unicode, which a
# scan that did not respect strings would cut in the wrong places.
# Files above half a megabyte are parsed ahead on the other threads
# (src/io/load_parallel.c); the presets here are 1.5 MB.
# Usage: test_load_threads.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

net=$tmp/regional.json
expect_exit 0 "$bin" generate --preset regional --seed 1 -q -o "$net"

# The derived files, each from the regional preset.
/usr/bin/python3 - "$net" "$tmp" <<'PY' || fail "could not write the derived files"
import json, sys
base, out = sys.argv[1], sys.argv[2]
doc = json.load(open(base))

def write(name, d, text=None):
    with open(f"{out}/{name}.json", "w") as f:
        f.write(text if text is not None else json.dumps(d, indent=1))

def fresh():
    return json.load(open(base))

# A bad field in the middle of the links.
d = fresh(); d["links"][len(d["links"]) // 2]["volume"] = "a lot"
write("bad-link-middle", d)
# An unknown enterprise late in the links, and a self-link before it.
d = fresh(); n = len(d["links"])
d["links"][n - 40]["to"] = d["links"][n - 40]["from"]
d["links"][n - 3]["from"] = "nobody-" + d["links"][n - 3]["from"]
write("bad-links-late", d)
# A duplicate id: the last enterprise takes the id of one in the middle.
d = fresh(); e = d["enterprises"]; e[-1]["id"] = e[len(e) // 2]["id"]
write("duplicate-id", d)
# A syntax error late in the file: a comma dropped between two links.
d = fresh(); text = json.dumps(d, indent=1)
cut = text.rindex("},", 0, len(text) - 2000)
write("syntax-late", None, text[:cut + 1] + text[cut + 2:])
# Links before enterprises (the streaming pass hands over to the DOM path).
d = fresh(); order = ["links"] + [k for k in d if k != "links"]
write("links-first", {k: d[k] for k in order})

# Hostile strings: every id, name and a meta per record full of what a
# naive scan would take for structure.
noise = ' {[ "quoted" ]} \\ \\" \\\\" }], {"x": [ \u4e2d\u6587 \U0001F600 \u00e9 '
def rename(i):
    return i + noise
d = fresh()
for e in d["enterprises"]:
    e["id"] = rename(e["id"])
    e["name"] = e.get("name", "") + noise
    e["meta"] = {"note": "}],[{\"", "deep": [[{"]": "{"}], "\\"], "u": "\u2028\u0000"[:1]}
for l in d["links"]:
    l["from"] = rename(l["from"])
    l["to"] = rename(l["to"])
    l["meta"] = ["\"}", {"{": "]\\"}]
write("hostile-strings", None, json.dumps(d, ensure_ascii=True))
write("hostile-strings-utf8", None, json.dumps(d, ensure_ascii=False, separators=(",", ":")))
# The same, invalid: one link's share out of range near the end.
d["links"][-5]["share"] = 2
write("hostile-strings-invalid", None, json.dumps(d, ensure_ascii=True))
PY

# compare NAME CMD...: run CMD with --threads 1, 2 and 7; the outputs
# (stdout, stderr and exit status) must be the same.
compare() {
  local name=$1; shift
  local t
  for t in 1 2 7; do
    "$bin" "$@" --threads "$t" >"$tmp/out.$t" 2>"$tmp/err.$t"
    echo "exit $?" >>"$tmp/err.$t"
  done
  for t in 2 7; do
    cmp -s "$tmp/out.1" "$tmp/out.$t" || fail "$name: $* --threads $t: stdout differs from one thread"
    cmp -s "$tmp/err.1" "$tmp/err.$t" || fail "$name: $* --threads $t: stderr differs from one thread"
  done
}

files=("$net" "$src"/data/chengdu-chongqing.json "$src"/graphs/*.json)
for f in "${files[@]}"; do
  name=$(basename "$f")
  compare "$name" validate -f json "$f"
  case $name in
    scenarios-example.json) ;; # scenarios, not a network: refused alike
    *) grep -q '"ok": true' "$tmp/out.1" || fail "$name: not valid: $(head -c 300 "$tmp/out.1")" ;;
  esac
  compare "$name" info -f json "$f"
done

for name in bad-link-middle bad-links-late duplicate-id syntax-late hostile-strings-invalid; do
  f=$tmp/$name.json
  compare "$name" validate -f json "$f"
  grep -q '"ok": false' "$tmp/out.1" || fail "$name: not refused: $(head -c 300 "$tmp/out.1")"
  compare "$name" info -f json "$f"
  grep -q '^exit 1$' "$tmp/err.1" || fail "$name: info did not exit 1"
done
# What each invalid file is refused for (the DOM path's diagnostics).
"$bin" validate "$tmp/bad-link-middle.json" 2>"$tmp/err" >/dev/null
grep -q '\$\.links\[4321\]\.volume: ' "$tmp/err" || fail "bad-link-middle: $(head -c 300 "$tmp/err")"
"$bin" validate "$tmp/duplicate-id.json" 2>"$tmp/err" >/dev/null
grep -q '\$\.enterprises\[1644\]\.id: duplicate id .* (first defined at \$\.enterprises\[822\]\.id)' "$tmp/err" ||
  fail "duplicate-id: $(head -c 300 "$tmp/err")"
"$bin" validate "$tmp/syntax-late.json" 2>"$tmp/err" >/dev/null
grep -q 'syntax-late\.json:[0-9]*:[0-9]*: ' "$tmp/err" || fail "syntax-late: $(head -c 300 "$tmp/err")"

for name in links-first hostile-strings hostile-strings-utf8; do
  f=$tmp/$name.json
  compare "$name" validate -f json "$f"
  grep -q '"ok": true' "$tmp/out.1" || fail "$name: not valid: $(head -c 300 "$tmp/out.1")"
  compare "$name" info -f json "$f"
  compare "$name" centrality -m degree -f csv "$f"
done
# The hostile names came through whole.
grep -qF '"oem-001 {[ ""quoted"" ]} \ \"" \\"" }], {""x"": [ 中文 😀 é ","Leading automaker' "$tmp/out.1" ||
  fail "hostile-strings: the names were not read whole: $(head -c 300 "$tmp/out.1")"
# And the hostile file means what the plain one means.
"$bin" info -f json --threads 2 "$net" >"$tmp/plain.json"
"$bin" info -f json --threads 2 "$tmp/hostile-strings.json" >"$tmp/hostile.json"
/usr/bin/python3 - "$tmp/plain.json" "$tmp/hostile.json" <<'PY' || fail "hostile-strings: info differs from the plain file's"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ("enterprises", "links", "parts"):
    assert a.get(k) == b.get(k), (k, a.get(k), b.get(k))
PY

finish
