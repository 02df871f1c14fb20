#!/usr/bin/env bash
# Huge pages for glibc's heap (src/cli/hugepages.c): on a file of 32 MB or
# more, on a kernel in "madvise" mode with glibc 2.35 or later, chengyu
# executes itself once more with GLIBC_TUNABLES=glibc.malloc.hugetlb=1,
# and otherwise not.  The number of times the program starts is counted by
# the dynamic loader itself (LD_DEBUG=statistics prints its statistics
# once per program start), not by chengyu.  The answers, the exit status
# and the messages are the same either way.
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2" hugepages

# starts ENV... -- CMD...: how many times the program started.
starts() {
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  env "${envs[@]}" LD_DEBUG=statistics LD_DEBUG_OUTPUT="$tmp/ld" "$@" >/dev/null 2>&1
  cat "$tmp"/ld.* | grep -c "total startup time in dynamic loader"
  rm -f "$tmp"/ld.*
}

# What this machine allows: "madvise" mode, glibc 2.35+, no sanitizer
# (whose allocator replaces glibc's: chengyu then never re-executes).
able=1
grep -q '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || able=0
glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
awk -v v="${glibc:-0}" 'BEGIN { split(v, p, "."); exit !(p[1] > 2 || (p[1] == 2 && p[2] >= 35)) }' ||
  able=0
ldd "$bin" 2>/dev/null | grep -q -e libasan -e libubsan && able=0
[ "$able" -eq 1 ] || echo "note: this machine or build does not re-execute; checking the one-start cases"

# The curated dataset, and the same document followed by 32 MB of blank
# lines (JSON's whitespace): a big input with the same answers.
small=$src/data/chengdu-chongqing.json
cp "$small" "$tmp/big.json"
head -c $((32 * 1024 * 1024)) /dev/zero | tr '\0' '\n' >>"$tmp/big.json"

# Re-executed once on the big file, not on the small one; not when the
# user says CHENGYU_HUGE_PAGES=0 or has set the tunable either way.
n=$(starts -- "$bin" validate -q "$tmp/big.json")
[ "$n" -eq $((1 + able)) ] || fail "big file: $n program starts (want $((1 + able)))"
n=$(starts -- "$bin" validate -q "$small")
[ "$n" -eq 1 ] || fail "small file: $n program starts (want 1)"
n=$(starts CHENGYU_HUGE_PAGES=0 -- "$bin" validate -q "$tmp/big.json")
[ "$n" -eq 1 ] || fail "CHENGYU_HUGE_PAGES=0: $n program starts (want 1)"
n=$(starts GLIBC_TUNABLES=glibc.malloc.hugetlb=0 -- "$bin" validate -q "$tmp/big.json")
[ "$n" -eq 1 ] || fail "GLIBC_TUNABLES with the tunable: $n program starts (want 1)"
# Another tunable is kept and the huge-page one added: one more start.
n=$(starts GLIBC_TUNABLES=glibc.malloc.arena_max=2 -- "$bin" validate -q "$tmp/big.json")
[ "$n" -eq $((1 + able)) ] || fail "another tunable: $n program starts (want $((1 + able)))"
# An option's value (--name=FILE) counts as an argument too.
n=$(starts -- "$bin" info --format=json -o "$tmp/x.json" -q "--scenario=$tmp/big.json")
[ "$n" -eq $((1 + able)) ] || fail "--name=FILE: $n program starts (want $((1 + able)))"

# Started by naming the dynamic loader, /proc/self/exe is the loader: no
# second start (it would load the command's name as a program), and the
# run succeeds.
interp=$(readelf -l "$bin" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
if [ -n "$interp" ] && [ -x "$interp" ]; then
  n=$(starts -- "$interp" "$bin" validate -q "$tmp/big.json")
  [ "$n" -eq 1 ] || fail "through the loader: $n program starts (want 1)"
  expect_exit 0 "$interp" "$bin" validate -q "$tmp/big.json"
fi

# The same answers, files and exit status with and without the second start.
"$bin" info -f json -q -o "$tmp/small.json" "$small" || fail "info on the dataset"
"$bin" info -f json -q -o "$tmp/big-out.json" "$tmp/big.json" || fail "info on the big file"
CHENGYU_HUGE_PAGES=0 "$bin" info -f json -q -o "$tmp/big-plain.json" "$tmp/big.json" ||
  fail "info on the big file, CHENGYU_HUGE_PAGES=0"
cmp -s "$tmp/big-out.json" "$tmp/big-plain.json" || fail "info differs with huge pages"
# info names its file: the rest is the same as the small file's.
sed "s|$tmp/big.json|FILE|" "$tmp/big-out.json" >"$tmp/a"
sed "s|$small|FILE|" "$tmp/small.json" >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "info on the padded file differs from the dataset's"

# A bad big file: exit 1 and its error said once (by the second program).
sed '0,/"id": "/s//"id": 17, "x": "/' "$small" >"$tmp/bad.json"
head -c $((32 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >>"$tmp/bad.json"
expect_exit 1 "$bin" validate "$tmp/bad.json"
lines=$(grep -c . "$tmp/err")
grep -q 'id' "$tmp/err" || fail "bad big file: no error naming the field: $(head -c 300 "$tmp/err")"
CHENGYU_HUGE_PAGES=0 "$bin" validate "$tmp/bad.json" >/dev/null 2>"$tmp/err0"
cmp -s "$tmp/err" "$tmp/err0" || fail "bad big file: messages differ ($lines lines)"

finish
