#!/usr/bin/env bash
# Progress while a file loads: a bar with the share of the file read on a
# terminal (a pty through script(1); CHENGYU_PROGRESS_DELAY=0 shows it at
# once), nothing on a pipe and nothing with -q, and the same output either
# way.  The file is the regional preset (10,000 records: the loader
# reports every 4,096).
# Usage: test_load_progress.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"

net=$tmp/regional.json
expect_exit 0 "$bin" generate --preset regional --seed 1 -q -o "$net"

for threads in 1 2; do
  # On a terminal: the bar, then the output on a clean line.
  CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' validate --threads $threads '$net'" /dev/null \
    >"$tmp/tty" 2>&1
  grep -q $'\rchengyu: load \[#* *\] *[0-9]*%' "$tmp/tty" ||
    fail "terminal, $threads thread(s): no loading bar: $(head -c 400 "$tmp/tty" | cat -A)"
  grep -q $'\r *\rok: 1645 enterprises, 8642 links' "$tmp/tty" ||
    fail "terminal, $threads thread(s): the bar was not cleared: $(tail -c 300 "$tmp/tty" | cat -A)"
  CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' info -f json --threads $threads '$net' -o '$tmp/info.tty.json'" \
    /dev/null >"$tmp/tty" 2>&1
  grep -q $'\rchengyu: load \[' "$tmp/tty" || fail "info on a terminal: no loading bar: $(cat -A "$tmp/tty" | head -c 300)"
  # -q: nothing.
  CHENGYU_PROGRESS_DELAY=0 script -qfec "'$bin' info -q -f json --threads $threads '$net' -o '$tmp/info.q.json'" \
    /dev/null >"$tmp/tty" 2>&1
  [ ! -s "$tmp/tty" ] || fail "-q on a terminal printed: $(cat -A "$tmp/tty" | head -c 300)"
  # On a pipe: nothing on standard error, the same output.
  CHENGYU_PROGRESS_DELAY=0 "$bin" info -f json --threads "$threads" "$net" -o "$tmp/info.pipe.json" \
    >"$tmp/out" 2>"$tmp/err"
  [ ! -s "$tmp/err" ] && [ ! -s "$tmp/out" ] || fail "pipe: printed: $(cat -A "$tmp/err" | head -c 300)"
  cmp -s "$tmp/info.tty.json" "$tmp/info.pipe.json" || fail "terminal and pipe outputs differ"
  cmp -s "$tmp/info.q.json" "$tmp/info.pipe.json" || fail "-q and pipe outputs differ"
done
# Without CHENGYU_PROGRESS_DELAY, a load under 3 s shows nothing.
script -qfec "'$bin' info -f json '$net' -o '$tmp/info.quick.json'" /dev/null >"$tmp/tty" 2>&1
[ ! -s "$tmp/tty" ] || fail "quick load on a terminal printed: $(cat -A "$tmp/tty" | head -c 300)"

finish
