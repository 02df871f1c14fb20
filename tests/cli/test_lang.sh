#!/usr/bin/env bash
# --lang: Chinese reports of the curated dataset (headings, legends and
# amounts in 万元/亿元), English exactly as without the option, the
# language the locale asks for, machine formats unchanged, a missing
# catalog; all in CI conditions (LANG unset, no zh_CN locale installed).
#
# usage: test_lang.sh CHENGYU SOURCE_DIR   (run from the build dir)
set -u
bin=$1
src=$2
data="$src/data/chengdu-chongqing.json"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
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
        if 'nav' in self.stack: self.nav.append(data)
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
            "render --view parks -f svg"; do
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
