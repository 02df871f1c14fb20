#!/usr/bin/env bash
# chengyu stress end to end: the JSON keys and the hand-checked answers of
# graphs/stress-*.json (worked out in graphs/README.md), CSV, the plot,
# bad values and bad input (exit codes, JSON paths), atomic -o; then the
# independent reference (stress_reference.py: the same programs built
# with numpy and solved by scipy's HiGHS on the whole network) for every
# single failure of a generated network of 50 firms and samples of 500 and
# 2,000 (every failure of all three with CHENGYU_STRESS_FULL=1), to 1e-6
# relative.
# Usage: test_stress.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
graphs=$src/graphs
py=/usr/bin/python3

# The keys of the issue, in order, and the chain's answers: 10 days of
# stock, 20 days to recover, half the demand over them lost.
expect_exit 0 "$bin" stress --fail engine-maker -f json "$graphs/stress-chain.json"
check_json "$tmp/out" 'list(d) == ["horizon_days", "disruptions", "final_demand_total", "skipped", "lost_by_firm_note"] and d["horizon_days"] == 365'
check_json "$tmp/out" 'list(d["disruptions"][0]) == ["failed","tts_days","ttr_days","impact","impact_fraction","exposed","lost_by_firm"]'
check_json "$tmp/out" 'abs(d["disruptions"][0]["tts_days"] - 10) < 1e-9 and d["disruptions"][0]["ttr_days"] == 20'
check_json "$tmp/out" 'abs(d["disruptions"][0]["impact"] - 2e6) < 1e-3 and abs(d["disruptions"][0]["impact_fraction"] - 0.5) < 1e-12'
check_json "$tmp/out" 'd["disruptions"][0]["exposed"] is True and d["disruptions"][0]["failed"] == ["engine-maker"]'
check_json "$tmp/out" '[x["id"] for x in d["disruptions"][0]["lost_by_firm"]] == ["carmaker"]'
# --ttr overrides the failed firm's recovery_days: 30 of 40 days lost;
# --days cannot (the firm gives 20) and says so; not both.
expect_exit 0 "$bin" stress --fail engine-maker --ttr 40 -f json "$graphs/stress-chain.json"
check_json "$tmp/out" 'd["disruptions"][0]["ttr_days"] == 40 and abs(d["disruptions"][0]["impact"] - 6e6) < 1e-3 and abs(d["disruptions"][0]["impact_fraction"] - 0.75) < 1e-12'
expect_exit 0 "$bin" stress --fail engine-maker --days 40 -f json "$graphs/stress-chain.json"
check_json "$tmp/out" 'd["disruptions"][0]["ttr_days"] == 20'
grep -qF "chengyu: warning: --days 40 not used: the failed firms give recovery_days (time to recover 20 days); --ttr 40 sets it whatever they say" "$tmp/err" || fail "--days unused: $(cat "$tmp/err")"
# --demand-of counts only the listed firms' final demand: the same answers
# as a file in which every other firm says "final_demand": 0.
$py - "$src/data/chengdu-chongqing.json" "$tmp/oems.json" <<'PY' || fail "cannot write oems.json"
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["enterprises"]:
    if e["id"] not in ("changan", "seres", "cd-car-oem"):
        e["final_demand"] = 0
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 0 "$bin" stress --fail cd-chip-a --demand-of changan,seres --demand-of cd-car-oem -f json "$src/data/chengdu-chongqing.json"
cp "$tmp/out" "$tmp/demand-of.json"
expect_exit 0 "$bin" stress --fail cd-chip-a -f json "$tmp/oems.json"
$py - "$tmp/demand-of.json" "$tmp/out" <<'PY' || fail "--demand-of differs from final_demand 0 elsewhere"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
close = lambda x, y: x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))
assert a["demand_of"] == ["changan", "seres", "cd-car-oem"] and "demand_of" not in b, (a.get("demand_of"), list(b))
assert close(a["final_demand_total"], b["final_demand_total"]), (a["final_demand_total"], b["final_demand_total"])
x, y = a["disruptions"][0], b["disruptions"][0]
for k in ("tts_days", "ttr_days", "impact", "impact_fraction"):
    assert close(x[k], y[k]), (k, x[k], y[k])
assert x["exposed"] == y["exposed"] and [l["id"] for l in x["lost_by_firm"]] == [l["id"] for l in y["lost_by_firm"]]
assert all(close(l["lost"], m["lost"]) for l, m in zip(x["lost_by_firm"], y["lost_by_firm"]))
# the automakers last longer than the network's first shortfall
assert x["tts_days"] > 20, x["tts_days"]
PY
# A listed firm that fails itself stops serving its demand at once: TTS 0.
expect_exit 0 "$bin" stress --fail changan --demand-of changan --ttr 14 -f json "$src/data/chengdu-chongqing.json"
check_json "$tmp/out" 'd["disruptions"][0]["tts_days"] == 0 and d["disruptions"][0]["exposed"] is True'
# Listed firms without final demand: nothing to serve, refused.
expect_exit 1 "$bin" stress --fail engine-maker --demand-of engine-maker "$graphs/stress-chain.json"
grep -qxF "chengyu: $graphs/stress-chain.json: --demand-of: \"engine-maker\" has no final demand (final_demand, or output_value less deliveries): there is nothing to serve" "$tmp/err" ||
  fail "--demand-of without demand: $(cat "$tmp/err")"
# A firm named twice is one firm (the count and list of the report).
expect_exit 0 "$bin" stress --fail cd-chip-a --demand-of changan,seres,changan --demand-of seres "$src/data/chengdu-chongqing.json"
grep -qx 'final demand counted: only that of the --demand-of firms: changan, seres' "$tmp/out" ||
  fail "--demand-of named twice: $(head -3 "$tmp/out")"
grep -qx "the other firms' outside sales may be given up to serve them: a firm counted alone may last longer than with every firm that matters counted together" "$tmp/out" ||
  fail "--demand-of: the note on served firms: $(head -4 "$tmp/out")"
expect_exit 0 "$bin" stress --fail cd-chip-a --demand-of changan,seres,changan -f json "$src/data/chengdu-chongqing.json"
check_json "$tmp/out" 'd["demand_of"] == ["changan", "seres"] and d["lost_by_firm_note"].startswith("largest losses: the final demand each firm loses in one optimal solution")'
expect_exit 0 "$bin" stress --fail cd-chip-a --demand-of changan,seres -f csv "$src/data/chengdu-chongqing.json"
tail -1 "$tmp/out" | grep -q ',false,changan;seres$' || fail "csv survives and demand_of: $(cat "$tmp/out")"
# A data problem names the file.
expect_exit 1 "$bin" stress --fail cell "$graphs/scenarios-network.json"
grep -qF "chengyu: $graphs/scenarios-network.json: \$.links[0]: link from \"cell\" to \"pack\" (part \"cell\") has no volume" "$tmp/err" ||
  fail "stress data error without its file: $(cat "$tmp/err")"
# -q silences the unused --days warning; -o and --plot onto one file are refused.
expect_exit 0 "$bin" stress --fail engine-maker --days 40 -q -f json "$graphs/stress-chain.json"
[ -s "$tmp/err" ] && fail "-q: $(cat "$tmp/err")"
expect_exit 2 "$bin" stress --fail engine-maker -o "$tmp/same.svg" --plot "$tmp/same.svg" "$graphs/stress-chain.json"
[ -e "$tmp/same.svg" ] && fail "-o and --plot onto one file wrote it"
expect_exit 1 "$bin" stress --fail cd-chip-a --demand-of changn "$src/data/chengdu-chongqing.json"
grep -qF -- '--demand-of: unknown enterprise "changn"; did you mean "changan"?' "$tmp/err" || fail "--demand-of unknown: $(cat "$tmp/err")"
expect_exit 2 "$bin" stress --fail engine-maker --days 40 --ttr 40 "$graphs/stress-chain.json"
grep -qF "give --days or --ttr, not both" "$tmp/err" || fail "--days with --ttr: $(cat "$tmp/err")"

# Dual sourcing with spare capacity: survives the horizon (null), nothing lost.
expect_exit 0 "$bin" stress --fail cell-a -f json "$graphs/stress-dual.json"
check_json "$tmp/out" 'd["disruptions"][0]["tts_days"] is None and d["disruptions"][0]["impact"] == 0 and d["disruptions"][0]["exposed"] is False'
# --horizon shorter than the time to survive: null too.
expect_exit 0 "$bin" stress --fail cell-a --horizon 5 -f json "$graphs/stress-partial.json"
check_json "$tmp/out" 'd["horizon_days"] == 5 and d["disruptions"][0]["tts_days"] is None'
# Partial spare capacity: 7.5 days, 30% of the demand over --days 30.
expect_exit 0 "$bin" stress --fail cell-a -f json "$graphs/stress-partial.json"
check_json "$tmp/out" 'abs(d["disruptions"][0]["tts_days"] - 7.5) < 1e-9 and abs(d["disruptions"][0]["impact_fraction"] - 0.3) < 1e-12'
expect_exit 0 "$bin" stress --fail cell-a --days 7 -f json "$graphs/stress-partial.json"
check_json "$tmp/out" 'd["disruptions"][0]["ttr_days"] == 7 and abs(d["disruptions"][0]["impact"]) < 1e-6 and d["disruptions"][0]["exposed"] is False'

# A park as one disruption, every park ranked, --top.
expect_exit 0 "$bin" stress --fail-park park-east -f json "$graphs/stress-park.json"
check_json "$tmp/out" 'd["disruptions"][0]["failed"] == ["cell-a","cell-b"] and d["disruptions"][0]["park"] == "park-east"'
check_json "$tmp/out" 'abs(d["disruptions"][0]["tts_days"] - 20/3) < 1e-9 and abs(d["disruptions"][0]["impact"] - 4e6) < 1e-3'
check_json "$tmp/out" '[(x["id"], round(x["lost"])) for x in d["disruptions"][0]["lost_by_firm"]] == [("cell-c", 3000000), ("carmaker", 1000000)]'
expect_exit 0 "$bin" stress --each park --top 1 -f json "$graphs/stress-park.json"
check_json "$tmp/out" 'len(d["disruptions"]) == 1 and d["disruptions"][0]["park"] == "park-west"'
expect_exit 0 "$bin" stress --each enterprise -f json "$graphs/stress-park.json"
check_json "$tmp/out" '[x["failed"][0] for x in d["disruptions"]] == ["carmaker", "cell-c", "cell-a", "cell-b"]'
expect_exit 0 "$bin" stress --each enterprise -f csv "$graphs/stress-chain.json"
[ "$(head -1 "$tmp/out" | tr -d '\r')" = "rank,id,kind,failed_count,failed,tts_days,ttr_days,impact,impact_fraction,exposed,largest_loss_id,largest_loss,survives,demand_of" ] ||
  fail "csv header: $(head -1 "$tmp/out")"
grep -q '^2,engine-maker,firms,1,engine-maker,10.0,20.0,2000000.0,0.5,true,carmaker,2000000.0,false,$' "$tmp/out" ||
  fail "csv row: $(cat "$tmp/out")"
expect_exit 0 "$bin" stress --each enterprise "$graphs/stress-chain.json"
grep -q 'engine-maker' "$tmp/out" && grep -q 'survives' "$tmp/out" || fail "table: $(cat "$tmp/out")"

# --degrade: cell-a at half its capacity; the carmaker's 3 days of stock
# last 30 days, over 60 days 1.2 M (5%) is lost (graphs/README.md).
expect_exit 0 "$bin" stress --degrade cell-a=0.5 --days 60 -f json "$graphs/stress-partial.json"
check_json "$tmp/out" 'd["disruptions"][0]["failed"] == [] and d["disruptions"][0]["degraded"] == [{"id": "cell-a", "capacity_left": 0.5}]'
check_json "$tmp/out" 'abs(d["disruptions"][0]["tts_days"] - 30) < 1e-9 and abs(d["disruptions"][0]["impact"] - 1.2e6) < 1e-3 and d["disruptions"][0]["exposed"] is True'
# A park degraded to 0 is its failure; with a failed firm, one disruption.
expect_exit 0 "$bin" stress --degrade park-east=0 -f json "$graphs/stress-park.json"
check_json "$tmp/out" 'd["disruptions"][0]["failed"] == ["cell-a","cell-b"] and abs(d["disruptions"][0]["impact"] - 4e6) < 1e-3'
expect_exit 2 "$bin" stress --degrade cell-a=1.5 "$graphs/stress-partial.json"
grep -q 'capacity left must be a number in \[0, 1\]' "$tmp/err" || fail "--degrade 1.5: $(cat "$tmp/err")"
expect_exit 2 "$bin" stress --degrade cell-a=0.5 --each enterprise "$graphs/stress-partial.json"
expect_exit 1 "$bin" stress --degrade cell-q=0.5 "$graphs/stress-partial.json"
grep -q 'unknown enterprise, park or region "cell-q" (did you mean "cell-' "$tmp/err" || fail "--degrade unknown: $(cat "$tmp/err")"
# An unknown park names the nearest one.
expect_exit 1 "$bin" stress --fail-park park-eest "$graphs/stress-park.json"
grep -q 'unknown park "park-eest" (did you mean "park-east"?)' "$tmp/err" || fail "--fail-park suggestion: $(cat "$tmp/err")"

# A name where an id is wanted: the message names the id (names come from
# analysts' sheets), for firms (name or name_zh) and parks; a name two
# firms share gets the nearest id instead.
data=$src/data/chengdu-chongqing.json
expect_exit 1 "$bin" stress --fail 长安汽车 "$data"
grep -qF -- '--fail: unknown enterprise "长安汽车"; it is the name of enterprise "changan": give its id' "$tmp/err" ||
  fail "name_zh hint: $(cat "$tmp/err")"
expect_exit 1 "$bin" stress --fail cd-chip-a --demand-of "Chang'an Automobile" "$data"
grep -qF -- "--demand-of: unknown enterprise \"Chang'an Automobile\"; it is the name of enterprise \"changan\": give its id" "$tmp/err" ||
  fail "name hint: $(cat "$tmp/err")"
expect_exit 1 "$bin" stress --fail-park "Chengdu electronics park" "$data"
grep -qF -- '--fail-park: unknown park "Chengdu electronics park" (it is the name of park "chengdu-electronics-park": give its id)' "$tmp/err" ||
  fail "park name hint: $(cat "$tmp/err")"
cat >"$tmp/twins.json" <<'JSON'
{"format": "chengyu/1", "name": "twins", "enterprises": [
 {"id": "cell-1", "name": "Cell Co", "kind": "supplier", "source": "illustrative"},
 {"id": "cell-2", "name": "Cell Co", "kind": "supplier", "source": "illustrative"}],
 "links": [{"from": "cell-1", "to": "cell-2", "part": "x", "source": "illustrative"}]}
JSON
expect_exit 1 "$bin" cascade --fail "Cell Co" "$tmp/twins.json"
grep -qF -- '--fail: unknown enterprise "Cell Co"' "$tmp/err" && ! grep -q 'name of' "$tmp/err" ||
  fail "a shared name must not point at one firm: $(cat "$tmp/err")"
# A name with commas, which the list's commas cut: the hint comes from the
# longest run of items that is a name, alone or after an id.
cat >"$tmp/comma.json" <<'JSON'
{"format": "chengyu/1", "name": "comma", "enterprises": [
 {"id": "ca", "name": "Changan, Inc.", "kind": "oem", "source": "illustrative"},
 {"id": "cb", "name": "Changan", "kind": "supplier", "source": "illustrative"},
 {"id": "sup", "name": "Seat, Trim, and Foam Co", "kind": "supplier", "source": "illustrative"}],
 "links": [{"from": "sup", "to": "ca", "part": "seat", "source": "illustrative"}]}
JSON
expect_exit 1 "$bin" cascade --fail "Changan, Inc." "$tmp/comma.json"
grep -qF -- '--fail: unknown enterprise "Changan, Inc."; it is the name of enterprise "ca": give its id' "$tmp/err" ||
  fail "a name with a comma: $(cat "$tmp/err")"
expect_exit 1 "$bin" cascade --fail "ca,Seat, Trim, and Foam Co,cb" "$tmp/comma.json"
grep -qF -- '--fail: unknown enterprise "Seat, Trim, and Foam Co"; it is the name of enterprise "sup": give its id' "$tmp/err" ||
  fail "a name with commas inside a list: $(cat "$tmp/err")"

# The plot: SVG with its labels, PNG by extension.
expect_exit 0 "$bin" stress --each enterprise --plot "$tmp/p.svg" -q "$graphs/stress-partial.json"
grep -q '<svg' "$tmp/p.svg" || fail "plot is not SVG"
expect_exit 0 "$bin" stress --each enterprise --plot "$tmp/p.png" -q "$graphs/stress-partial.json"
[ "$(head -c 4 "$tmp/p.png" | od -An -c | tr -d ' ')" = '211PNG' ] || fail "plot is not PNG"
expect_exit 2 "$bin" stress --each enterprise --plot "$tmp/p.pdf" "$graphs/stress-partial.json"

# Bad values: usage errors (exit 2).
expect_exit 2 "$bin" stress --fail cell-a --days 0 "$graphs/stress-partial.json"
grep -q -- '--days' "$tmp/err" || fail "--days 0 not named"
expect_exit 2 "$bin" stress --fail cell-a --horizon -1 "$graphs/stress-partial.json"
grep -q -- '--horizon' "$tmp/err" || fail "--horizon -1 not named"
expect_exit 2 "$bin" stress "$graphs/stress-partial.json"
expect_exit 2 "$bin" stress --fail cell-a --each park "$graphs/stress-partial.json"
expect_exit 2 "$bin" stress --each firm "$graphs/stress-partial.json"
expect_exit 1 "$bin" stress --fail cell-z "$graphs/stress-partial.json"
grep -q 'unknown enterprise "cell-z"' "$tmp/err" || fail "unknown id: $(cat "$tmp/err")"
expect_exit 1 "$bin" stress --fail park-east "$graphs/stress-park.json"
grep -q 'use --fail-park' "$tmp/err" || fail "park given to --fail"

# Bad input (exit 1, at its JSON path): negative days, a capacity below
# the output, a link without volume, a firm delivering more than its output.
edit() { # edit NAME PYTHON-STATEMENTS-ON-d: a copy of stress-partial.json
  "$py" - "$graphs/stress-partial.json" "$tmp/$1.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}
edit negdays 'd["enterprises"][2]["inventory_days"] = -3'
expect_exit 1 "$bin" stress --fail cell-a "$tmp/negdays.json"
grep -q 'enterprises\[2\].inventory_days' "$tmp/err" || fail "negative days: $(cat "$tmp/err")"
edit negrec 'd["enterprises"][0]["recovery_days"] = 0'
expect_exit 1 "$bin" stress --fail cell-a "$tmp/negrec.json"
grep -q 'enterprises\[0\].recovery_days' "$tmp/err" || fail "recovery 0: $(cat "$tmp/err")"
edit lowcap 'd["enterprises"][1]["capacity"] = 1000'
expect_exit 1 "$bin" stress --fail cell-a "$tmp/lowcap.json"
grep -q 'enterprises\[1\].capacity' "$tmp/err" || fail "low capacity: $(cat "$tmp/err")"
edit novol 'del d["links"][1]["volume"]'
expect_exit 1 "$bin" stress --fail cell-a "$tmp/novol.json"
grep -q '\$\.links\[1\]' "$tmp/err" && grep -q 'no volume' "$tmp/err" || fail "missing volume: $(cat "$tmp/err")"
edit lowout 'd["enterprises"][0]["output_value"] = 1000'
expect_exit 1 "$bin" stress --fail cell-b "$tmp/lowout.json"
grep -q 'enterprises\[0\].output_value' "$tmp/err" && grep -q '"cell-a": output 1000 is less than what it delivers' "$tmp/err" ||
  fail "output below deliveries: $(cat "$tmp/err")"

# --max-seconds: every failure of the regional preset (minutes) is
# stopped once estimated, exit 1, nothing written; a short run is not.
"$bin" generate --preset regional --seed 1 -q -o "$tmp/regional.json"
start=$SECONDS
expect_exit 1 "$bin" stress --each enterprise --max-seconds 1 -o "$tmp/long.json" "$tmp/regional.json"
[ $((SECONDS - start)) -lt 120 ] || fail "--max-seconds 1 took $((SECONDS - start)) s"
grep -q '^chengyu: stress: disruptions: about .* in all (estimated after .*), more than --max-seconds 1: stopped$' "$tmp/err" ||
  fail "--max-seconds message: $(cat "$tmp/err")"
[ ! -e "$tmp/long.json" ] || fail "--max-seconds left an output file"
expect_exit 0 "$bin" stress --each enterprise --max-seconds 1000 -f json "$graphs/stress-park.json"
check_json "$tmp/out" 'len(d["disruptions"]) == 4'
expect_exit 2 "$bin" stress --each enterprise --max-seconds -1 "$graphs/stress-park.json"
expect_exit 2 "$bin" stress --each enterprise --threads 65 "$graphs/stress-park.json"

# A failed run leaves -o untouched.
echo keep >"$tmp/keep.json"
expect_exit 1 "$bin" stress --fail cell-a -o "$tmp/keep.json" "$tmp/novol.json"
[ "$(cat "$tmp/keep.json")" = keep ] || fail "failed run clobbered -o"

# The independent reference.
if ! "$py" -c 'import scipy, numpy' 2>/dev/null; then
  fail "needs python3-scipy (bash scripts/deps.sh test)"
  finish
fi
make_network() { # make_network NAME OEMS SUPPLIERS SEED
  "$bin" generate --preset regional --seed "$4" --oems "$2" --suppliers "$3" -o "$tmp/$1-g.json"
  "$py" "$src/tests/cli/stress_fields.py" "$tmp/$1-g.json" "$tmp/$1.json" --seed "$4"
}
# compare NAME SAMPLE: every single failure (SAMPLE 0: chengyu's --each),
# or SAMPLE failures drawn by the reference, each run with --fail.
compare() {
  local name=$1 sample=$2 id
  if [ "$sample" = 0 ]; then
    "$py" "$src/tests/cli/stress_reference.py" "$tmp/$name.json" --each-enterprise >"$tmp/$name-r.json" ||
      fail "$name: reference failed"
    "$bin" stress --each enterprise -f json -q -o "$tmp/$name-c.json" "$tmp/$name.json" ||
      fail "$name: stress failed"
  else
    "$py" "$src/tests/cli/stress_reference.py" "$tmp/$name.json" --each-enterprise \
      --sample "$sample" --seed 7 >"$tmp/$name-r.json" || fail "$name: reference failed"
    mkdir -p "$tmp/$name-one"
    for id in $("$py" -c 'import json, sys
for x in json.load(open(sys.argv[1]))["disruptions"]: print(x["failed"][0])' "$tmp/$name-r.json"); do
      "$bin" stress --fail "$id" -f json -q -o "$tmp/$name-one/$id.json" "$tmp/$name.json" ||
        fail "$name: stress --fail $id failed"
    done
    "$py" - "$tmp/$name-one" >"$tmp/$name-c.json" <<'PY'
import glob, json, sys
ds = [json.load(open(p)) for p in sorted(glob.glob(sys.argv[1] + "/*.json"))]
print(json.dumps({"horizon_days": ds[0]["horizon_days"], "final_demand_total": ds[0]["final_demand_total"],
                  "skipped": [], "disruptions": [x for d in ds for x in d["disruptions"]]}))
PY
  fi
  "$py" "$src/tests/cli/stress_compare.py" "$tmp/$name-c.json" "$tmp/$name-r.json" || fail "$name: differs"
}
# Every failure of 50 firms; 40 of 500 and 25 of 2,000 (scipy needs about
# 0.1 s and 0.4 s per program there); every failure of all three with
# CHENGYU_STRESS_FULL=1 (half an hour or more).
full=${CHENGYU_STRESS_FULL:-0}
make_network n50 3 47 1
compare n50 0
# The same answers, byte for byte, on one thread and on three.
"$bin" stress --each enterprise -f json -q --threads 1 -o "$tmp/n50-t1.json" "$tmp/n50.json" &&
  "$bin" stress --each enterprise -f json -q --threads 3 -o "$tmp/n50-t3.json" "$tmp/n50.json" ||
  fail "n50: --threads failed"
cmp -s "$tmp/n50-t1.json" "$tmp/n50-t3.json" || fail "n50: --threads 1 and 3 differ"
cmp -s "$tmp/n50-t1.json" "$tmp/n50-c.json" || fail "n50: --threads 1 and the default differ"
# xlsx (-o's extension): the JSON's disruptions and losses, numbers as
# numbers with their formats, Chinese names next to ids, frozen headers and
# autofilters (read with openpyxl).
"$py" - "$tmp/n50.json" "$tmp/n50zh.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for e in d["enterprises"][::2]:
    e["name_zh"] = "企业" + e["id"] + "<&>"
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
PY
"$bin" stress --each enterprise -q -o "$tmp/n50zh.xlsx" "$tmp/n50zh.json" &&
  "$bin" stress --each enterprise -q -f json -o "$tmp/n50zh-j.json" "$tmp/n50zh.json" ||
  fail "n50: xlsx failed"
"$py" - "$tmp/n50zh.xlsx" "$tmp/n50zh-j.json" "$tmp/n50zh.json" <<'PY' || fail "n50: xlsx differs from json"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
j = json.load(open(sys.argv[2]))
zh = {e["id"]: e.get("name_zh") for e in json.load(open(sys.argv[3]))["enterprises"]}
assert wb.sheetnames == ["disruptions", "losses", "about"], wb.sheetnames
def close(a, b):
    return isinstance(a, (int, float)) and abs(a - b) <= 1e-12 * max(1.0, abs(b))
def sheet(name, formats):
    ws = wb[name]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:"), name
    rows = list(ws.iter_rows(values_only=True))
    col = {h.split(" ")[0]: k for k, h in enumerate(rows[0])}
    for key, fmt in formats.items():
        cell = ws.cell(row=2, column=col[key] + 1)
        assert cell.number_format == fmt, (name, key, cell.number_format)
        assert ws.column_dimensions[cell.column_letter].width >= 6, (name, key)
    return rows[1:], col
rows, c = sheet("disruptions", {"impact": "#,##0", "impact_fraction": "0.0%", "rank": "#,##0"})
assert len(rows) == len(j["disruptions"]) > 40
for r, d in zip(rows, j["disruptions"]):
    f = d["failed"][0]
    assert r[c["id"]] == f and r[c["failed"]] == f and r[c["name_zh"]] == zh[f], (r, f)
    assert r[c["kind"]] == "firms" and r[c["failed_count"]] == 1
    if d["tts_days"] is None:
        assert r[c["tts_days"]] is None and r[c["survives"]] is True
    else:
        assert close(r[c["tts_days"]], d["tts_days"]) and r[c["survives"]] is False
    assert close(r[c["ttr_days"]], d["ttr_days"])
    assert close(r[c["impact"]], d["impact"]) and close(r[c["impact_fraction"]], d["impact_fraction"])
    assert r[c["exposed"]] is d["exposed"]
    if d["lost_by_firm"]:
        assert r[c["largest_loss_id"]] == d["lost_by_firm"][0]["id"]
        assert close(r[c["largest_loss"]], d["lost_by_firm"][0]["lost"])
rows, c = sheet("losses", {"lost": "#,##0", "share_of_impact": "0.0%"})
expect = [(k + 1, d["failed"][0], x["id"], x["lost"], d["impact"])
          for k, d in enumerate(j["disruptions"]) for x in d["lost_by_firm"]]
assert len(rows) == len(expect) > 0
for r, (rank, dis, firm, lost, impact) in zip(rows, expect):
    assert r[c["rank"]] == rank and r[c["disruption"]] == dis and r[c["id"]] == firm
    assert r[c["name_zh"]] == zh[firm] and close(r[c["lost"]], lost)
    assert close(r[c["share_of_impact"]], lost / impact)
PY
expect_exit 2 script -qfec "'$bin' stress --each enterprise -f xlsx '$graphs/stress-park.json'" /dev/null
make_network n500 10 490 2
compare n500 "$([ "$full" = 1 ] && echo 0 || echo 40)"
make_network n2000 45 1955 4
compare n2000 "$([ "$full" = 1 ] && echo 0 || echo 25)"

finish
