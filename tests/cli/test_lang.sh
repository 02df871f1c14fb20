#!/usr/bin/env bash
# --lang: Chinese reports of the curated dataset (headings, legends and
# amounts in 万元/亿元), English exactly as without the option, the
# language the locale asks for, machine formats unchanged, a missing
# catalog; all in CI conditions (LANG unset, no zh_CN locale installed).
#
# usage: test_lang.sh CHENGYU SOURCE_DIR   (run from the build dir)
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
data="$src/data/chengdu-chongqing.json"
# The environment of a CI runner: no locale variable at all.
unset LC_ALL LC_MESSAGES LANG LANGUAGE
run() { "$bin" "$@"; }

# ---- Chinese Markdown -------------------------------------------------------
run weak-links --lang zh -f md "$data" >"$tmp/zh.md" 2>"$tmp/err" ||
  fail "weak-links --lang zh -f md: exit $? ($(head -2 "$tmp/err"))"
for heading in "# 薄弱环节报告：" "## 风险清单：应优先保障的企业" "## 概要" "### 按影响排序的薄弱环节" \
               "## 单一来源" "## 瓶颈企业" "## 本地配套" "## 第二供应来源建议"; do
  grep -qF -- "$heading" "$tmp/zh.md" || fail "zh md lacks the heading '$heading'"
done
grep -qF "| # | 企业 | 地区 | 角色 | 损失的最终需求 |" "$tmp/zh.md" || fail "zh md register columns not Chinese"
grep -q "[0-9]亿元" "$tmp/zh.md" || fail "zh md has no amount in 亿元"
grep -qF "4723亿元" "$tmp/zh.md" || fail "zh md: total final demand is not 4723亿元"
grep -q "¥\| bn\b\| m |" "$tmp/zh.md" && fail "zh md still writes ¥ or English units: $(grep -m1 "¥\| bn\b" "$tmp/zh.md")"
# No heading keeps English words, once the JSON key in backquotes and the
# network's own name (data, not ours) are taken out.
name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$data")
# (Acronyms such as OEM and HHI are kept in Chinese text.)
grep '^#' "$tmp/zh.md" | sed "s/(\`[a-z_]*\`)//; s/$name//" | grep -E '[a-z]{3,}' >"$tmp/english" &&
  fail "zh md headings with English words: $(head -3 "$tmp/english")"
# Paragraphs too: no sentence of ours left in English (ids, part names,
# formula variables and JSON keys are data or code).
grep -qE "^(One row per firm|Impact is final demand|Per demand node|Required \(enterprise)" "$tmp/zh.md" &&
  fail "zh md has an English paragraph"
# A backup's suppliers shared with the current supplier, in Chinese in
# each of its three forms (all, some, the only one): cq-powersemi-a, the
# backup of cd-chip-a's power-management chips, shares 4 of its 6.
grep -qF "cq-powersemi-a（独立，但其 6 家供应商中有 4 家也供应现供应商：cd-osat-b, cq-osat-a, cq-silicon-b, sc-silicon-a）" "$tmp/zh.md" ||
  fail "zh md: cq-powersemi-a's shared suppliers not in Chinese: $(grep -o 'cq-powersemi-a（[^|]*' "$tmp/zh.md" | head -1)"
grep -qF "cq-chip-b（独立，但其全部 4 家供应商也供应现供应商：" "$tmp/zh.md" ||
  fail "zh md: cq-chip-b's shared suppliers not in Chinese"
grep -qF "cd-casting-b（独立，但其唯一供应商也供应现供应商：sc-aluminium-b）" "$tmp/zh.md" ||
  fail "zh md: cd-casting-b's shared supplier not in Chinese"
grep -qE "shares [0-9a-z]|of its [0-9]+ suppliers" "$tmp/zh.md" &&
  fail "zh md has an English shared-supplier note: $(grep -oE '[^|]*shares [^|]*' "$tmp/zh.md" | head -1)"
# Every message of the sources has its Chinese entry (a msgid that
# differs from the source's by one letter is silently English).
if command -v msgcmp >/dev/null; then
  msgcmp "$src/po/zh_CN.po" "$src/po/chengyu.pot" 2>"$tmp/msgcmp" ||
    fail "po/zh_CN.po lacks messages of po/chengyu.pot: $(head -3 "$tmp/msgcmp")"
fi

# ---- Chinese HTML -----------------------------------------------------------
run weak-links --lang zh -f html -o "$tmp/zh.html" "$data" 2>"$tmp/err" ||
  fail "weak-links --lang zh -f html: exit $? ($(head -2 "$tmp/err"))"
grep -q '<html lang="zh-CN">' "$tmp/zh.html" || fail "zh html is not lang=zh-CN"
python3 - "$tmp/zh.html" >"$tmp/html-check" 2>&1 <<'EOF' || fail "zh html: $(cat "$tmp/html-check")"
import re, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.h = []; self.nav = []; self.cap = []; self.svg_text = []
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag in ('h1', 'h2', 'h3'): self.h.append('')
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
    def handle_data(self, data):
        if any(t in ('h1', 'h2', 'h3') for t in self.stack) and 'code' not in self.stack:
            self.h[-1] += data
        if 'nav' in self.stack and data.strip(): self.nav.append(data)
        if 'figcaption' in self.stack: self.cap.append(data)
        if 'svg' in self.stack and 'text' in self.stack: self.svg_text.append(data)
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
problems = []
cjk = re.compile('[\u4e00-\u9fff]')
name = 'Chengdu-Chongqing automotive and electronics supply network (curated, partly illustrative)'
for h in p.h:
    t = h.replace(name, '').strip()
    if not cjk.search(t) or re.search('[a-z]{3,}', t):
        problems.append('heading %r' % h)
if len(p.h) < 15: problems.append('only %d headings' % len(p.h))
for n in p.nav:
    if not cjk.search(n): problems.append('nav link %r' % n)
caps = ''.join(p.cap)
for want in ('供应网络及其薄弱环节', '园区', '受攻击时的稳健性'):
    if want not in caps: problems.append('no figure caption %r' % want)
legend = ' '.join(p.svg_text)
for want in ('单一来源链接', '损失的最终需求', '供应商 → 客户'):
    if want not in legend: problems.append('no legend text %r in the figures' % want)
if not re.search(r'[0-9.]+亿元', legend): problems.append('no 亿元 amount in the figures')
body = open(sys.argv[1], encoding='utf-8').read()
if not re.search(r'>[0-9.]+亿元<', body): problems.append('no 亿元 table cell')
if problems: print('; '.join(problems[:6])); sys.exit(1)
EOF

# ---- English: exactly the output without --lang ------------------------------
for args in "weak-links -f md" "weak-links -f html" "info" "cascade --each park" \
            "render --view parks -f svg" "render -f html" "stress --each enterprise -n 5" \
            "stress --each park -f md" "stress --each enterprise -f md -n 5" "diff -f html $data"; do
  # shellcheck disable=SC2086
  run $args "$data" >"$tmp/plain" 2>/dev/null
  # shellcheck disable=SC2086
  run $args --lang en "$data" >"$tmp/en" 2>/dev/null
  # shellcheck disable=SC2086
  env LANG=zh_CN.UTF-8 "$bin" $args --lang en "$data" >"$tmp/en-zh-locale" 2>/dev/null
  cmp -s "$tmp/plain" "$tmp/en" || fail "$args: --lang en differs from no --lang"
  cmp -s "$tmp/plain" "$tmp/en-zh-locale" || fail "$args: --lang en under LANG=zh_CN differs"
  grep -q "亿元\|万元" "$tmp/plain" && fail "$args: English output has Chinese units"
done

g="$src/graphs"
for args in "stress --each park $g/stress-park.json" "diff $g/diff-before.json $g/diff-after.json" \
            "scenarios $g/scenarios-network.json $g/scenarios-example.json" \
            "scenarios -f md $g/scenarios-network.json $g/scenarios-example.json" \
            "scenarios -f html $g/scenarios-network.json $g/scenarios-example.json"; do
  # shellcheck disable=SC2086
  run $args >"$tmp/plain" 2>/dev/null
  # shellcheck disable=SC2086
  env LANG=zh_CN.UTF-8 "$bin" $args --lang en >"$tmp/en-zh-locale" 2>/dev/null
  cmp -s "$tmp/plain" "$tmp/en-zh-locale" || fail "$args: --lang en under LANG=zh_CN differs"
  grep -q "亿元\|万元\|[0-9]元" "$tmp/plain" && fail "$args: English output has Chinese units"
done

# ---- the locale's language ------------------------------------------------------
env LANG=zh_CN.UTF-8 "$bin" weak-links -f md "$data" >"$tmp/env.md" 2>/dev/null
cmp -s "$tmp/env.md" "$tmp/zh.md" || fail "LANG=zh_CN.UTF-8 does not give the zh report"
env LC_MESSAGES=zh_CN.UTF-8 LANG=en_US.UTF-8 "$bin" info "$data" | grep -q "亿元" ||
  fail "LC_MESSAGES=zh_CN does not give Chinese"
env LC_ALL=C LANG=zh_CN.UTF-8 "$bin" weak-links -f md "$data" >"$tmp/c.md" 2>/dev/null
grep -q "^# Weak-link report" "$tmp/c.md" || fail "LC_ALL=C does not win over LANG=zh_CN"

# ---- machine formats do not change ------------------------------------------------
for fmt in json csv; do
  run weak-links -f $fmt "$data" >"$tmp/en.$fmt" 2>/dev/null
  run weak-links --lang zh -f $fmt "$data" >"$tmp/zh.$fmt" 2>/dev/null
  cmp -s "$tmp/en.$fmt" "$tmp/zh.$fmt" || fail "weak-links -f $fmt changes with --lang zh"
done
run render -f dot "$data" >"$tmp/en.dot" 2>/dev/null
run render --lang zh -f dot "$data" >"$tmp/zh.dot" 2>/dev/null
[ -s "$tmp/zh.dot" ] || fail "render --lang zh -f dot wrote nothing"

# ---- other commands and formats --------------------------------------------------
run render --lang zh -f svg "$data" >"$tmp/zh.svg" 2>/dev/null || fail "render --lang zh -f svg"
grep -q "单一来源链接\|供应商 → 客户" "$tmp/zh.svg" || fail "render --lang zh: legend not Chinese"
# Tooltips (firm view and map): a firm's kind and a link's volume in
# Chinese, not "oem", "supplier" or "/yr".
run render --lang zh --view map -f svg "$data" >"$tmp/zh-map.svg" 2>/dev/null || fail "render --lang zh --view map"
for svg in zh.svg zh-map.svg; do
  grep -q 'title="[^"]*&#10;主机厂，第 0 级' "$tmp/$svg" || fail "$svg: no OEM tooltip in Chinese"
  grep -q 'title="[^"]*&#10;供应商，第 1 级' "$tmp/$svg" || fail "$svg: no supplier tooltip in Chinese"
  if grep -Eo 'title="[^"]*&#10;(oem|supplier|material|service)(,|，|&#10;|")[^"]*"' "$tmp/$svg" | head -1 | grep -q .; then
    fail "$svg: a kind in English: $(grep -Eo 'title="[^"]*&#10;(oem|supplier|material|service)(,|，|&#10;|")[^"]*"' "$tmp/$svg" | head -1)"
  fi
  if grep -q 'title="[^"]*/yr"' "$tmp/$svg"; then
    fail "$svg: a tooltip in English: $(grep -o 'title="[^"]*/yr"' "$tmp/$svg" | head -1)"
  fi
done
run weak-links --lang zh -f xlsx -o "$tmp/zh.xlsx" "$data" 2>/dev/null || fail "weak-links --lang zh -f xlsx"
python3 - "$tmp/zh.xlsx" >"$tmp/xlsx-check" 2>&1 <<'EOF' || fail "zh xlsx: $(cat "$tmp/xlsx-check")"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
strings = z.read('xl/sharedStrings.xml').decode('utf-8') if 'xl/sharedStrings.xml' in z.namelist() else ''
text = strings + ''.join(z.read(n).decode('utf-8') for n in z.namelist()
                         if n.startswith('xl/worksheets/'))
for want in ('损失的最终需求', '停产企业', '薄弱环节报告'):
    if want not in text: print('no %r in the workbook' % want); sys.exit(1)
EOF

# ---- stress, diff, scenarios: Chinese text and units -----------------------------
# Hand-checked figures of graphs/README.md: stress-partial (carmaker alone
# loses ¥12 m of final demand over 30 days, cell-a survives 7.5 days and
# loses ¥3.6 m), stress-park (park-east: 2 firms, 6.67 days, ¥4 m),
# diff-before -> diff-after (cell-b's row new at ¥120, pack +¥20), the
# scenarios of test_scenarios.sh.
# english_words FILE LABEL KEEP...: headings and table header rows of a
# Markdown file with English words left, once the JSON keys in
# backquotes and the KEEP strings (names from the files) are taken out.
english_words() {
  python3 - "$@" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read().split('\n')
keep = sys.argv[3:]
bad = []
for k, line in enumerate(text):
    header_row = line.startswith('|') and k + 1 < len(text) and text[k + 1].startswith('|--')
    if not (line.startswith('#') or header_row):
        continue
    t = re.sub(r'\(`[a-z_]*`\)', '', line)
    for word in keep:
        t = t.replace(word, '')
    if re.search('[A-Za-z]{3,}', t):
        bad.append(line)
if bad:
    print('%s: English left in %r' % (sys.argv[2], bad[:3]))
    sys.exit(1)
EOF
}

run stress --lang zh --each enterprise -f md "$g/stress-partial.json" >"$tmp/st.md" 2>"$tmp/err" ||
  fail "stress --lang zh -f md: exit $? ($(head -2 "$tmp/err"))"
grep -qx "# 压力测试" "$tmp/st.md" || fail "zh stress md: no heading 压力测试"
grep -qF "| 排名 | 中断情景 | 存活时间（天） | 恢复时间（天） | 损失 | 损失占比 | 暴露 | 损失最大的企业 |" "$tmp/st.md" ||
  fail "zh stress md: table header not Chinese: $(grep -m1 '^| ' "$tmp/st.md")"
grep -qF "| 1 | carmaker | 撑过全程 | 30 | 1200万元 | 100.0% | 否 | carmaker（1200万元） |" "$tmp/st.md" ||
  fail "zh stress md: carmaker's row: $(grep -m1 '^| 1 ' "$tmp/st.md")"
grep -qF "| 2 | cell-a | 7.5 | 30 | 360万元 | 30.0% | 是 |" "$tmp/st.md" || fail "zh stress md: cell-a's row"
grep -qF "时间范围 365 天；网络最终需求 1.46亿元/年；显示 3 / 3 个中断情景。" "$tmp/st.md" ||
  fail "zh stress md: the horizon line"
grep -qE "Time to survive|Horizon|disruptions shown|survives|¥| yes | no " "$tmp/st.md" &&
  fail "zh stress md: English left: $(grep -m1 -E "Time to survive|Horizon|disruptions shown|survives|¥| yes | no " "$tmp/st.md")"
english_words "$tmp/st.md" "zh stress md" "stress test: partial spare capacity at the second source" >"$tmp/check" ||
  fail "$(cat "$tmp/check")"
run stress --lang zh --each park -f md "$g/stress-park.json" >"$tmp/st-park.md" 2>/dev/null
grep -qF "| 2 | park-east（园区，2 家企业） | 6.67 | 30 | 400万元 | 26.7% | 是 |" "$tmp/st-park.md" ||
  fail "zh stress md: park-east's row: $(grep -m1 '^| 2 ' "$tmp/st-park.md")"
run stress --lang zh --each enterprise -n 2 -f md "$data" >"$tmp/st-cq.md" 2>/dev/null
grep -qF "changan 长安汽车（" "$tmp/st-cq.md" || fail "zh stress md: no Chinese name after a firm's id"
grep -q "[0-9]亿元 |" "$tmp/st-cq.md" || fail "zh stress md: curated impacts not in 亿元"

# The table: Chinese header, and the columns still line up (terminal
# columns: a Chinese character takes two).
run stress --lang zh --each enterprise "$g/stress-partial.json" >"$tmp/st.txt" 2>/dev/null
python3 - "$tmp/st.txt" >"$tmp/check" 2>&1 <<'EOF' || fail "zh stress table: $(cat "$tmp/check")"
import sys, unicodedata
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
def right_edge(line, word):
    return cols(line[:line.index(word) + len(word)])
head, rows = lines[1], lines[2:5]
problems = []
if not lines[0].startswith('压力测试：时间范围 365 天；最终需求 1.46亿元/年'):
    problems.append('first line %r' % lines[0])
for word in ('排名', '中断情景', '存活时间（天）', '恢复时间（天）', '损失', '损失占比', '暴露', '损失最大的企业'):
    if word not in head: problems.append('header lacks %s' % word)
# Right-aligned columns end where their header ends.
for header, cell in (('恢复时间（天）', ' 30'), ('损失', '万元'), ('损失占比', '%')):
    for row in rows:
        if right_edge(head, header) != right_edge(row, cell):
            problems.append('%s not aligned in %r' % (header, row))
if problems: print('; '.join(problems[:4])); sys.exit(1)
EOF

run stress --lang zh --each enterprise -o "$tmp/st.xlsx" "$g/stress-partial.json" 2>/dev/null ||
  fail "stress --lang zh -o xlsx"
run stress --each enterprise -o "$tmp/st-en.xlsx" "$g/stress-partial.json" 2>/dev/null
run scenarios --lang zh -o "$tmp/sc.xlsx" "$g/scenarios-network.json" "$g/scenarios-example.json" 2>/dev/null ||
  fail "scenarios --lang zh -o xlsx"
/usr/bin/python3 - "$tmp/st.xlsx" "$tmp/st-en.xlsx" "$tmp/sc.xlsx" >"$tmp/check" 2>&1 <<'EOF' || fail "zh xlsx: $(cat "$tmp/check")"
import re, sys, openpyxl
cjk = re.compile('[\u4e00-\u9fff]')
problems = []
def sheet(path, name):
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]
zh, en, sc = sheet(sys.argv[1], 'disruptions'), sheet(sys.argv[2], 'disruptions'), sheet(sys.argv[3], 'scenarios')
for title, head in (('stress', zh[0]), ('scenarios', sc[0]), ('losses', sheet(sys.argv[1], 'losses')[0]),
                    ('weak links', sheet(sys.argv[3], 'weak links')[0])):
    for h in head:
        if not cjk.search(h): problems.append('%s header %r' % (title, h))
for want in ('存活时间（天）', '恢复时间（天）', '损失', '暴露', '撑过全程'):
    if want not in zh[0]: problems.append('stress header lacks %r' % want)
if zh[1][zh[0].index('kind 类型')] != '企业': problems.append('kind cell %r' % zh[1][4])
# Numbers stay numbers, the same as the English workbook's.
if [r[len(r) - 5:] for r in zh[1:]] != [r[len(r) - 5:] for r in en[1:]]: problems.append('cells differ from en')
if en[0][:2] != ['rank', 'id'] or 'tts_days' not in en[0]: problems.append('English headers changed: %r' % en[0][:8])
about = sheet(sys.argv[1], 'about')
if not cjk.search(about[1][0]) or not all(cjk.search(r[0]) for r in about[3:]): problems.append('stress about sheet %r' % about[1:4])
changes = sheet(sys.argv[3], 'weak links')
if not any(r[1] == '风险清单行' and r[2] == '移除' for r in changes[1:]): problems.append('weak links sheet cells %r' % changes[1:3])
if problems: print('; '.join(problems[:5])); sys.exit(1)
EOF

run diff --lang zh "$g/diff-before.json" "$g/diff-after.json" >"$tmp/diff.md" 2>"$tmp/err" ||
  fail "diff --lang zh: exit $? ($(head -2 "$tmp/err"))"
for want in "# 变更：diff test: after" "## 概要 (\`summary\`)" "## 薄弱环节：风险清单 (\`register\`)" \
            "## 企业 (\`enterprises\`)" "## 供应链接 (\`links\`)" "## 园区 (\`parks\`)" \
            "| 记录 | 新增（新出现） | 移除（已消除） | 变更 |" "| 供应链接 | 1 | 1 | 0 |" \
            "| 新出现 | cell-b | cell-b | 0元 | 120元 | +120元 | 0 | 3 |" \
            "| 变更 | pack | pack | 100元 | 120元 | +20元 | 2 | 2 |" "| 新增 | cell-b | pack | cell |" \
            "| 变更 | oem | final_demand | 100元 | 120元 |" "最终需求总额：之前 100元，之后 120元" "没有变化。"; do
  grep -qF -- "$want" "$tmp/diff.md" || fail "zh diff md lacks '$want'"
done
grep -qE "No change|record differences|Total final demand|¥" "$tmp/diff.md" && fail "zh diff md: English left"
english_words "$tmp/diff.md" "zh diff md" "diff test: after" >"$tmp/check" || fail "$(cat "$tmp/check")"
run diff --lang zh -f html -o "$tmp/diff.html" "$g/diff-before.json" "$g/diff-after.json" 2>/dev/null
python3 - "$tmp/diff.html" >"$tmp/check" 2>&1 <<'EOF' || fail "zh diff html: $(cat "$tmp/check")"
import re, sys
from html.parser import HTMLParser
body = open(sys.argv[1], encoding='utf-8').read()
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.h = []; self.th = []
    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag in ('h1', 'h2'): self.h.append('')
        if tag == 'th': self.th.append('')
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
    def handle_data(self, data):
        if any(t in ('h1', 'h2') for t in self.stack) and 'code' not in self.stack: self.h[-1] += data
        if 'th' in self.stack: self.th[-1] += data
p = P(); p.feed(body)
bad = [h for h in p.h + p.th if re.search('[A-Za-z]{3,}', h.replace('diff test: after', ''))]
problems = ['English left in %r' % bad[:3]] if bad else []
if '<html lang="zh-CN">' not in body: problems.append('not lang=zh-CN')
if '>+120元<' not in body: problems.append('no +120元 cell')
if problems: print('; '.join(problems)); sys.exit(1)
EOF

sc_net="$g/scenarios-network.json"
sc_file="$g/scenarios-example.json"
cat >"$tmp/days.json" <<'JSON'
{"format": "chengyu-scenarios/1", "scenarios": [
 {"name": "cell-a at 50% for 60 days", "shocks": [{"firms": ["cell-a"], "capacity_left": 0.5, "days": 60}]}]}
JSON
run scenarios --lang zh "$sc_net" "$sc_file" >"$tmp/sc.txt" 2>"$tmp/err" ||
  fail "scenarios --lang zh: exit $? ($(head -2 "$tmp/err"))"
for want in "情景比较" "  基准：最终需求 400元；风险清单 3 行，单一来源 3 对，（需求节点，瓶颈企业）3 对" \
            "  模型：阈值模型（threshold）；缓解措施：2 项" "  停产企业：2 家（其中需求节点 1 家）；减产运行：0 家" \
            "  损失的最终需求：每年 100元 / 网络每年 400元（25.0%）：冲击持续期间的速率，未计库存（级联）" "  风险清单前列企业：seat（300元）、pack（100元）" \
            "  移除的风险清单行（1）：cell" "  新增的风险清单行（0）：无" \
            "  移除的单一来源（1）：pack 采购的 cell 仅来自 cell" "  新增的瓶颈企业（1）：oem 受制于 chip-a"; do
  grep -qxF -- "$want" "$tmp/sc.txt" || fail "zh scenarios lacks the line '$want'"
done
grep -qE "^  [a-z' -]+( \([0-9]+\))?: " "$tmp/sc.txt" &&
  fail "zh scenarios: an English label left: $(grep -m1 -E "^  [a-z' -]+( \([0-9]+\))?: " "$tmp/sc.txt")"
run scenarios --lang zh -f md "$g/stress-partial.json" "$tmp/days.json" >"$tmp/sc-days.md" 2>/dev/null
grep -qxF -- "- 存活时间：30 天；60 天内（计入库存后）损失 120万元（占计入的最终需求的 5.0%），暴露" "$tmp/sc-days.md" ||
  fail "zh scenarios md: stress line $(grep -m1 "存活\|time to" "$tmp/sc-days.md")"
run scenarios --lang zh -f html -o "$tmp/sc.html" "$sc_net" "$sc_file" 2>/dev/null
grep -q '<html lang="zh-CN">' "$tmp/sc.html" || fail "zh scenarios html is not lang=zh-CN"
grep -q "<h1>情景比较：" "$tmp/sc.html" || fail "zh scenarios html: no Chinese title"
grep -q "<li>基准：最终需求 400元" "$tmp/sc.html" || fail "zh scenarios html: baseline line"
grep -q "Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-" "$tmp/sc.html" ||
  fail "zh scenarios html: not the shared page head (policy)"
run scenarios -f html -o "$tmp/sc-en.html" "$sc_net" "$sc_file" 2>/dev/null
grep -q '<html lang="en">' "$tmp/sc-en.html" || fail "en scenarios html is not lang=en"

# cascade --fail: the per-group lines in Chinese punctuation and words.
run cascade --lang zh --fail cq-battery-a "$data" >"$tmp/cascade.txt" 2>/dev/null
grep -qxF "按园区（停产企业数，损失的最终需求）： western-science-city 1 家（34.6亿元）" "$tmp/cascade.txt" ||
  fail "zh cascade --fail: park line $(grep -m1 "^按园区" "$tmp/cascade.txt")"

# cascade --each: the ranked table and its workbook with Chinese headers.
run cascade --lang zh --each park -n 2 "$data" >"$tmp/each.txt" 2>/dev/null
python3 - "$tmp/each.txt" >"$tmp/check" 2>&1 <<'EOF' || fail "zh cascade --each: $(cat "$tmp/check")"
import sys, unicodedata
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
head = lines[0]
if head.split() != ['排名', '园区', '损失的最终需求', '占比', '停产需求节点数', '停产企业数',
                    '损失的产值（总值）', '轮数']: print('header %r' % head); sys.exit(1)
# western-science-city: final demand 4268亿元 (90.4%), 33 demand nodes and
# firms, output 5363亿元, 2 rounds; right-aligned under the header.
row = lines[1]
for word, cell in (('损失的最终需求', '4268亿元'), ('占比', '90.4%'), ('停产需求节点数', '33'),
                   ('损失的产值（总值）', '5363亿元'), ('轮数', ' 2')):
    if cols(head[:head.index(word) + len(word)]) != cols(row[:row.index(cell) + len(cell)]):
        print('%s not aligned: %r' % (word, row)); sys.exit(1)
EOF
run cascade --lang zh --each enterprise -o "$tmp/each.xlsx" "$data" 2>/dev/null
/usr/bin/python3 - "$tmp/each.xlsx" >"$tmp/check" 2>&1 <<'EOF' || fail "zh cascade --each xlsx: $(cat "$tmp/check")"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
head = next(wb['enterprises'].iter_rows(values_only=True))
if list(head) != ['排名', '编号', 'name_zh 中文名称', 'name 名称', '损失的最终需求', '占最终需求比例',
                  '停产需求节点数', '停产企业数', '损失的产值', '占总产值比例', '轮数']:
    print('headers %r' % (head,)); sys.exit(1)
about = [r[0] for r in wb['about'].iter_rows(values_only=True)]
if not about[1].startswith('chengyu cascade --each：') or not about[3].startswith('每行：'):
    print('about %r' % about[1:4]); sys.exit(1)
EOF

# ---- the interactive pages' own words ---------------------------------------------
run weak-links --lang zh -f html -o "$tmp/wl.html" "$g/weaklinks.json" 2>/dev/null
run render --lang zh -f html -o "$tmp/render.html" "$g/weaklinks.json" 2>/dev/null
run render -f html -o "$tmp/render-en.html" "$g/weaklinks.json" 2>/dev/null
python3 - "$tmp/wl.html" "$tmp/render.html" "$tmp/render-en.html" >"$tmp/check" 2>&1 <<'EOF' || fail "zh interactive: $(cat "$tmp/check")"
import json, re, sys
from html.parser import HTMLParser
want = {"search": "查找企业：id、名称或中文名称", "notfound": "没有匹配的企业",
        "upstream": "上游（各级供应商）", "downstream": "下游（各级客户）", "register": "风险清单",
        "norow": "不在风险清单中：其停产不会使其他企业停产", "fit": "全图", "clear": "清除"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.stack = []; self.data = []; self.legend = ''
    def handle_starttag(self, tag, attrs):
        self.stack.append((tag, dict(attrs)))
        if tag == 'script' and dict(attrs).get('type') == 'application/json': self.data.append('')
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag: pass
    def handle_data(self, d):
        if self.stack and self.stack[-1][0] == 'script' and self.stack[-1][1].get('type') == 'application/json':
            self.data[-1] += d
        if any(t == 'p' and a.get('class') == 'cy-legend' for t, a in self.stack): self.legend += d
problems = []
for path in sys.argv[1:3]:
    p = P(); p.feed(open(path, encoding='utf-8').read())
    docs = [json.loads(d) for d in p.data]
    if not docs: problems.append('%s: no figure data' % path)
    for doc in docs:
        if doc.get('labels') != want: problems.append('%s: labels %r' % (path, doc.get('labels')))
    if not re.search('[\u4e00-\u9fff]', p.legend) or re.search('[A-Za-z]{4,}', p.legend.replace('#focus=ID', '')):
        problems.append('%s: legend %r' % (path, p.legend[:80]))
    lines = [l for doc in docs for n in doc['nodes'].values() for l in n.get('lines', [])]
    if 'oem' in lines or 'supplier' in lines: problems.append('%s: English kind in the panel' % path)
    if '主机厂' not in lines: problems.append('%s: no 主机厂 in the panel' % path)
p = P(); p.feed(open(sys.argv[3], encoding='utf-8').read())
if not p.legend.startswith('Click a firm or search for it') or any('labels' in json.loads(d) for d in p.data):
    problems.append('English render page changed')
if problems: print('; '.join(problems[:4])); sys.exit(1)
EOF

# ---- no catalog -----------------------------------------------------------------
CHENGYU_LOCALEDIR=/nonexistent run info --lang zh "$data" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 1 ] || fail "--lang zh without a catalog does not exit 1"
grep -q "chengyu.mo" "$tmp/err" || fail "no catalog: message '$(head -1 "$tmp/err")'"
[ -s "$tmp/out" ] && fail "--lang zh without a catalog wrote output"
env CHENGYU_LOCALEDIR=/nonexistent LANG=zh_CN.UTF-8 "$bin" info "$data" >"$tmp/out" 2>"$tmp/err" ||
  fail "a zh locale without a catalog is not a warning"
grep -q "writing English" "$tmp/err" || fail "no warning when the locale's catalog is missing"
grep -q "¥" "$tmp/out" || fail "the fallback is not English"
run info --lang fr "$data" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--lang fr is not a usage error"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)" >&2; exit 1; }
echo "lang: all checks passed"
