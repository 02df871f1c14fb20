# helpers.sh - shared by the tests/cli/test_*.sh scripts (sourced, not run).
# Every script starts with
#   . "$2/tests/cli/helpers.sh"
#   cli_setup "$1" "$2"
failures=0

# cli_setup CHENGYU SOURCE_DIR [NAME]: the start of every test script:
# unset variables are errors; $bin is the binary (absolute when given as a
# path, for scripts that change directory), $src the source tree, $tmp a
# scratch directory ($TMPDIR/NAME.XXXXXX with NAME) removed on exit, also
# when a test left it read-only.  A script with more to undo sets its own
# EXIT trap afterwards, removing $tmp too.
cli_setup() {
  set -u
  case $1 in
  /*) bin=$1 ;;
  */*) bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ;;
  *) bin=$1 ;;
  esac
  src=$2
  if [ $# -ge 3 ]; then
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/$3.XXXXXX")
  else
    tmp=$(mktemp -d)
  fi
  trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
}

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect_exit CODE CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err)
# and check its exit status.
expect_exit() {
  local want=$1; shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "exit $got (want $want): $*: $(head -c 300 "$tmp/err")"
}

# check_json FILE PYTHON-EXPR: the expression over `d` (the parsed JSON)
# must hold.
check_json() {
  /usr/bin/python3 - "$1" "$2" <<'PY' || fail "json check failed: $2"
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print("got:", json.dumps(d)[:600], file=sys.stderr)
    sys.exit(1)
PY
}

# finish: the script's exit status.
finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
  fi
  echo "ok"
  exit 0
}

# size_text BYTES: a size as the progress messages write it ("640 bytes",
# "412 KB", "3.9 MB", "182 MB"; decimal units).
size_text() {
  echo "$1" | awk '{
    b = $1
    if (b < 999.5) printf "%d %s\n", b, (b == 1 ? "byte" : "bytes")
    else if (b < 999500) printf "%.0f KB\n", b / 1000
    else if (b < 9950000) printf "%.1f MB\n", b / 1e6
    else printf "%.0f MB\n", b / 1e6
  }'
}
