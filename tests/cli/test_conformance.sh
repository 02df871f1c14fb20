#!/usr/bin/env bash
# Conformance corpus: malformed JSON, hostile-but-valid networks, non-regular
# inputs and the input size limit, all through `chengyu validate` (and `info`
# for the valid networks).
#
#   bash tests/cli/test_conformance.sh CHENGYU_BINARY SOURCE_DIR
#
# For every case of tests/conformance/make_corpus.py (generated at test time
# into a temporary directory: some files are 10 MB and more) it asserts:
#   - the exit status (1 for a bad document, 0 for a valid one; a crash or a
#     sanitizer abort is neither);
#   - for a bad document: every stderr line starts with "chengyu: ", the
#     first one names the file and a position (FILE:LINE:COLUMN) or a JSON
#     path (FILE: $...), it contains the expected text, stdout is empty, and
#     no line is longer than 1,000 bytes (long values are shortened);
#   - for a valid one: stdout is exactly the expected `ok: ...` line;
#   - stderr contains no raw control byte other than the line feeds, no C1
#     control (UTF-8 C2 80..C2 9F), hence no terminal escape sequence, and no
#     sanitizer report;
#   - the run finishes within CHENGYU_TEST_HANG_SECONDS (default 300): a hang
#     guard, not a performance test (inputs here are at most ~30 MB; a
#     quadratic pass over 100,000 items is what it catches);
#   - for a valid one, peak memory (RSS) of validate stays within
#     40 x the file size + 32 MiB (measured 3-31x, see docs/reliability.md);
#     skipped under a sanitizer or a wrapper script (not an ELF binary),
#     which inflate memory, and without /usr/bin/time.
# To run it under valgrind, pass a wrapper script as the binary (see
# docs/testing.md).
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2" chengyu-conformance
hang=${CHENGYU_TEST_HANG_SECONDS:-300}
work=$tmp
fifo_writer=""
cleanup() {
  [ -n "$fifo_writer" ] && kill "$fifo_writer" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

checks=0
measure_memory=0
if [ -x /usr/bin/time ] && [ "$(head -c 4 "$bin" | od -An -c | tr -d ' ')" = '177ELF' ] &&
   ! ldd "$bin" 2>/dev/null | grep -qE 'lib(a|ub|l|t)san' &&
   ! nm "$bin" 2>/dev/null | grep -q '__asan_init'; then
  measure_memory=1
fi

# run NAME EXPECTED_EXIT ARGS...: runs chengyu with a hang guard, leaves
# $work/out and $work/err, sets $rc, and checks what every run must satisfy.
run() {
  local name=$1 expected=$2
  shift 2
  checks=$((checks + 1))
  timeout -k 10 "$hang" "$bin" "$@" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
    fail "$name: no answer within ${hang} s (hang)"
    return 1
  fi
  if grep -qE "Sanitizer|runtime error:|Invalid read|Invalid write|definitely lost" "$work/err"; then
    fail "$name: sanitizer or valgrind report:"
    head -n 30 "$work/err" >&2
  fi
  if [ "$rc" -ne "$expected" ]; then
    fail "$name: exit $rc, expected $expected"
    head -c 2000 "$work/err" >&2
  fi
  check_stderr_bytes "$name"
  return 0
}

# Control bytes other than LF, DEL, and C1 controls must never reach the
# terminal, whatever the input contained.
check_stderr_bytes() {
  local nul
  nul=$(tr -cd '\000' <"$work/err" | wc -c)
  if [ "$nul" -ne 0 ] ||
     LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$work/err" ||
     LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$work/err"; then
    fail "$1: stderr contains raw control bytes:"
    od -c "$work/err" | head -n 10 >&2
  fi
}

# Every stderr line is "chengyu: ..." and none is unboundedly long.
check_messages() {
  local name=$1
  if [ ! -s "$work/err" ]; then
    fail "$name: no message on stderr"
    return
  fi
  if LC_ALL=C grep -qv '^chengyu: ' "$work/err"; then
    fail "$name: a stderr line lacks the 'chengyu: ' prefix:"
    LC_ALL=C grep -v '^chengyu: ' "$work/err" | head -n 3 | cut -c1-200 >&2
  fi
  if [ "$(LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$work/err")" -gt 1000 ]; then
    fail "$name: a message line is longer than 1000 bytes (value not shortened)"
  fi
}

# ---- the generated corpus ---------------------------------------------------

if ! /usr/bin/python3 "$src/tests/conformance/make_corpus.py" "$work/corpus"; then
  echo "FAIL: could not generate the corpus" >&2
  exit 1
fi

while IFS=$'\t' read -r name expected where text; do
  file="$work/corpus/$name.json"
  run "$name" "$expected" validate "$file" || continue
  if [ "$expected" -eq 1 ]; then
    check_messages "$name"
    first=$(head -n 1 "$work/err")
    case $where in
      pos) pattern="^chengyu: $file:[0-9]+:[0-9]+: " ;;
      path) pattern="^chengyu: $file: \\\$" ;;
    esac
    if ! LC_ALL=C grep -qE "$pattern" <<<"$first"; then
      fail "$name: first message does not give the file and a $where: $(cut -c1-200 <<<"$first")"
    fi
    if ! LC_ALL=C grep -qF -- "$text" "$work/err"; then
      fail "$name: stderr lacks '$text': $(cut -c1-200 <<<"$first")"
    fi
    if [ -s "$work/out" ]; then
      fail "$name: a failed validation printed to stdout"
    fi
  else
    if [ "$(cat "$work/out")" != "$text" ]; then
      fail "$name: stdout '$(head -c 200 "$work/out")', expected '$text'"
    fi
    if [ "$measure_memory" -eq 1 ]; then
      size=$(stat -c %s "$file")
      peak_kib=$(/usr/bin/time -f %M "$bin" validate -q "$file" 2>&1 >/dev/null | tail -n 1)
      limit_kib=$(((40 * size + 32 * 1024 * 1024) / 1024))
      if [ "$peak_kib" -gt "$limit_kib" ]; then
        fail "$name: validate peaked at $peak_kib KiB for a $size-byte file (bound $limit_kib KiB)"
      fi
    fi
    # The whole summary must run on hostile valid networks too.
    run "$name (info)" 0 info --format json "$file" || continue
    if ! /usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$work/out" 2>/dev/null; then
      fail "$name (info): --format json output is not JSON"
    fi
  fi
done <"$work/corpus/manifest.tsv"

# ---- the fuzzer's seeds and regressions -------------------------------------
# Every seed must be answered with 0 or 1 and a clean message; every input
# that once crashed the fuzz target (regress-*) is named here as a test.

for file in "$src"/tests/fuzz/corpus/*; do
  name="fuzz corpus $(basename "$file")"
  checks=$((checks + 1))
  timeout -k 10 "$hang" "$bin" validate "$file" >"$work/out" 2>"$work/err"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    fail "$name: exit $rc (crash, abort or hang)"
    head -c 2000 "$work/err" >&2
  fi
  if grep -qE "Sanitizer|runtime error:" "$work/err"; then
    fail "$name: sanitizer report"
    head -n 30 "$work/err" >&2
  fi
  check_stderr_bytes "$name"
  if [ "$rc" -eq 1 ]; then
    check_messages "$name"
  fi
done

# ---- inputs that are not regular files ---------------------------------------

mkdir "$work/dir.json"
run "directory" 1 validate "$work/dir.json" && check_messages directory
grep -qF "$work/dir.json: not a regular file (it is a directory)" "$work/err" ||
  fail "directory: unclear message: $(head -n 1 "$work/err")"

# A named pipe is read like standard input, but one with no writer, or a
# writer that sends nothing, must not block: 10 s without a byte is an error.
mkfifo "$work/fifo.json"
run "fifo without writer" 1 validate "$work/fifo.json" && check_messages fifo
grep -qF "named pipe with no data after 10 s" "$work/err" ||
  fail "fifo: unclear message: $(head -n 1 "$work/err")"
# ... and one with a writer that never finishes must not be read either.
sleep 600 >"$work/fifo.json" &
fifo_writer=$!
run "fifo with a silent writer" 1 validate "$work/fifo.json" && check_messages fifo-writer
grep -qF "named pipe with no data after 10 s" "$work/err" ||
  fail "fifo with writer: unclear message: $(head -n 1 "$work/err")"
kill "$fifo_writer" 2>/dev/null
wait "$fifo_writer" 2>/dev/null
fifo_writer=""

for dev in /dev/zero /dev/null /dev/urandom; do
  [ -c "$dev" ] || continue
  run "$dev" 1 validate "$dev" && check_messages "$dev"
  grep -qF "$dev: not a regular file (it is a character device)" "$work/err" ||
    fail "$dev: unclear message: $(head -n 1 "$work/err")"
done

ln -s /dev/zero "$work/link-to-zero.json"
run "symlink to /dev/zero" 1 validate "$work/link-to-zero.json" && check_messages symlink
grep -qF "not a regular file (it is a character device)" "$work/err" ||
  fail "symlink to /dev/zero: unclear message: $(head -n 1 "$work/err")"

/usr/bin/python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$work/socket.json"
run "socket" 1 validate "$work/socket.json" && check_messages socket
grep -qF "not a regular file (it is a socket)" "$work/err" ||
  fail "socket: unclear message: $(head -n 1 "$work/err")"

run "missing file" 1 validate "$work/no-such-file.json" && check_messages missing
grep -qF "$work/no-such-file.json: cannot open: No such file or directory" "$work/err" ||
  fail "missing file: unclear message: $(head -n 1 "$work/err")"

# ---- memory: Jansson's budget ---------------------------------------------------
# An empty object costs Jansson over 200 bytes for its 3 bytes of text, so a
# file of a million `{}` used to take 77 times its size (`[{}]` in a record's
# meta 114 times).  Each of these must be read within the bound above or
# refused as too large at the JSON path of the record or top-level value,
# also when the file is read as a whole document (an invalid or
# out-of-order file).

mkdir "$work/mem"
/usr/bin/python3 - "$src/data/chengdu-chongqing.json" "$work/mem" <<'PY'
import json, sys
base = json.load(open(sys.argv[1]))
def write(name, doc):
    with open(f"{sys.argv[2]}/{name}.json", "w") as f:
        json.dump(doc, f, separators=(",", ":"), ensure_ascii=False)
def copy():
    return json.loads(json.dumps(base))
many = 1000000
for shape, value in (("objects", {}), ("arrays", []), ("array-objects", [{}])):
    doc = copy(); doc["meta"] = {"x": [value] * many}
    write(f"top-meta-{shape}", doc)
doc = copy(); doc["enterprises"][0]["meta"] = {"a": {"b": [[{}]] * many}}
write("enterprise-meta-deep", doc)
doc = copy(); doc["enterprises"][3]["meta"] = [{}] * many
write("enterprise-meta-array-objects", doc)
doc = copy(); doc["links"][0]["meta"] = {"x": [[]] * many}
write("link-meta-arrays", doc)
doc = copy(); doc["enterprises"][0]["kind"] = "nonsense"
doc["enterprises"][1]["meta"] = {"x": [{}] * many}
write("invalid-enterprise-meta-objects", doc)
doc = copy(); doc["enterprises"][1]["meta"] = [{}] * many
doc = {k: doc[k] for k in ["links"] + [k for k in doc if k != "links"]}
write("unordered-enterprise-meta-objects", doc)
doc = copy(); doc["meta"] = {"x": [{}] * 20000}
write("small-top-meta-objects", doc)
PY
for file in "$work"/mem/*.json; do
  name="memory $(basename "$file" .json)"
  case $name in
    *small-*) expected=0 ;;
    *) expected=1 ;;
  esac
  run "$name" "$expected" validate "$file" || continue
  if [ "$expected" -eq 1 ]; then
    check_messages "$name"
    case $name in
      *top-meta-*) pattern="^chengyu: $file: \\\$\\.meta: too large to read" ;;
      *enterprise-*) pattern="^chengyu: $file: \\\$\\.enterprises\\[[013]\\]: too large to read" ;;
      *link-*) pattern="^chengyu: $file: \\\$\\.links\\[0\\]: too large to read" ;;
    esac
    LC_ALL=C grep -qE "$pattern" "$work/err" ||
      fail "$name: expected /$pattern/, got: $(head -n 1 "$work/err" | cut -c1-200)"
  fi
  if [ "$measure_memory" -eq 1 ]; then
    size=$(stat -c %s "$file")
    peak_kib=$(/usr/bin/time -f %M "$bin" validate -q "$file" 2>&1 >/dev/null | tail -n 1)
    limit_kib=$(((40 * size + 32 * 1024 * 1024) / 1024))
    echo "$name: $size bytes, peak $peak_kib KiB (bound $limit_kib KiB)"
    if [ "$peak_kib" -gt "$limit_kib" ]; then
      fail "$name: validate peaked at $peak_kib KiB for a $size-byte file (bound $limit_kib KiB)"
    fi
  fi
done
rm -rf "$work/mem"

# ---- the input size limit -----------------------------------------------------

good="$work/corpus/unicode-forms.json"
size=$(wc -c <"$good")
CHENGYU_MAX_INPUT_BYTES=$size run "limit = size" 0 validate "$good"
CHENGYU_MAX_INPUT_BYTES=$((size - 1)) run "limit = size - 1" 1 validate "$good" &&
  check_messages "limit"
grep -qF "file is $size bytes, over the input limit of $((size - 1)) bytes" "$work/err" ||
  fail "limit: unclear message: $(head -n 1 "$work/err")"
for bad_limit in abc 0 -5 "" 1e9 18446744073709551616; do
  CHENGYU_MAX_INPUT_BYTES=$bad_limit run "CHENGYU_MAX_INPUT_BYTES='$bad_limit'" 1 validate "$good" &&
    check_messages "bad limit"
  grep -qF "CHENGYU_MAX_INPUT_BYTES: expected a positive number of bytes" "$work/err" ||
    fail "CHENGYU_MAX_INPUT_BYTES='$bad_limit': unclear message: $(head -n 1 "$work/err")"
done
# The default limit (2 GiB, CY_DEFAULT_MAX_INPUT) refuses a larger file
# before reading it: a sparse file costs no disk space and, if it were read,
# would take 2 GiB of memory, so a pass here also shows it was not read.
if truncate -s $((2 * 1024 * 1024 * 1024 + 1)) "$work/huge.json" 2>/dev/null; then
  run "default limit" 1 validate "$work/huge.json" && check_messages "default limit"
  grep -qF "file is 2147483649 bytes, over the input limit of 2147483648 bytes" "$work/err" ||
    fail "default limit: unclear message: $(head -n 1 "$work/err")"
  rm -f "$work/huge.json"
fi

echo "conformance: $checks runs, $failures failures"
[ "$failures" -eq 0 ]
