#!/usr/bin/env bash
# Output paths that are not plain files, end to end (docs/reliability.md,
# "No clobbered output"): links to descriptors, made in a scratch folder as
# /dev/stdout is made (never the real /dev), links to regular files, a FIFO
# nobody reads, names of 248-255 bytes, two outputs of one run naming one
# file, a full disk under a writer that gives up, SIGKILL in the middle of
# a large write, and Graphviz's message about a picture too large.
# Usage: test_output_paths.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
mounts=()
cleanup() {
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

good=$src/data/chengdu-chongqing.json
"$bin" info "$good" >"$tmp/expected.txt" 2>/dev/null
"$bin" info --format json "$good" >"$tmp/expected.json" 2>/dev/null

no_temp() { # NAME DIR: no temporary file of the writer is left in DIR
  local left
  left=$(find "$2" -maxdepth 1 -name '.*.??????' 2>/dev/null)
  [ -z "$left" ] || fail "$1: temporary files left behind: $left"
}

is_link_to() { # NAME LINK TARGET
  [ -L "$2" ] && [ "$(readlink "$2")" = "$3" ] ||
    fail "$1: $2 is no longer a link to $3 (it is $(stat -c %F "$2" 2>&1))"
}

# ---- links to descriptors ----------------------------------------------------
# fakedev/stdout is a link to /proc/self/fd/1 like /dev/stdout; the output
# must reach whatever descriptor 1 is (a file here, then a pipe), and the
# link must stay a link.

mkdir "$tmp/fakedev"
ln -s /proc/self/fd/1 "$tmp/fakedev/stdout"
ln -s /proc/self/fd/2 "$tmp/fakedev/stderr"
ln -s /proc/self/fd "$tmp/fakedev/fd"
"$bin" info "$good" -o "$tmp/fakedev/stdout" >"$tmp/captured.txt" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || fail "-o fakedev/stdout: exit $rc: $(head -c 300 "$tmp/err")"
cmp -s "$tmp/captured.txt" "$tmp/expected.txt" || fail "-o fakedev/stdout: standard output did not get the report"
is_link_to "-o fakedev/stdout" "$tmp/fakedev/stdout" /proc/self/fd/1
"$bin" info "$good" -o "$tmp/fakedev/stdout" 2>/dev/null | cat >"$tmp/piped.txt"
cmp -s "$tmp/piped.txt" "$tmp/expected.txt" || fail "-o fakedev/stdout into a pipe: the pipe did not get the report"
"$bin" info "$good" -o "$tmp/fakedev/stderr" 2>"$tmp/captured-err.txt" >/dev/null
# (after the loader's warnings)
tail -n "$(wc -l <"$tmp/expected.txt")" "$tmp/captured-err.txt" | cmp -s - "$tmp/expected.txt" ||
  fail "-o fakedev/stderr: standard error did not get the report"
is_link_to "-o fakedev/stderr" "$tmp/fakedev/stderr" /proc/self/fd/2
"$bin" info "$good" -o "$tmp/fakedev/fd/1" >"$tmp/captured-fd.txt" 2>/dev/null
cmp -s "$tmp/captured-fd.txt" "$tmp/expected.txt" || fail "-o fakedev/fd/1: standard output did not get the report"
is_link_to "-o fakedev/fd/1" "$tmp/fakedev/fd" /proc/self/fd
# A descriptor that is not open is refused.
expect_exit 1 "$bin" info "$good" -o "$tmp/fakedev/fd/9"
grep -qF "cannot write '$tmp/fakedev/fd/9': descriptor 9 is not open" "$tmp/err" ||
  fail "-o fakedev/fd/9: $(head -c 300 "$tmp/err")"
[ "$(ls "$tmp/fakedev")" = "$(printf 'fd\nstderr\nstdout')" ] || fail "fakedev holds $(ls "$tmp/fakedev")"

# ---- a link to a regular file ------------------------------------------------
# The file the last link names is replaced in its own directory; the links
# stay.

mkdir "$tmp/runs" "$tmp/links"
printf 'old\n' >"$tmp/runs/2024.json"
ln -s ../runs/2024.json "$tmp/links/current.json"
ln -s current.json "$tmp/links/latest.json"
expect_exit 0 "$bin" info --format json "$good" -o "$tmp/links/latest.json"
cmp -s "$tmp/runs/2024.json" "$tmp/expected.json" || fail "-o link: the linked file was not replaced"
is_link_to "-o link" "$tmp/links/latest.json" current.json
is_link_to "-o link" "$tmp/links/current.json" ../runs/2024.json
no_temp "-o link" "$tmp/links"
no_temp "-o link" "$tmp/runs"

# ---- a FIFO nobody reads ---------------------------------------------------------

mkfifo "$tmp/fifo"
start=$(date +%s)
timeout 60 "$bin" info "$good" -o "$tmp/fifo" >"$tmp/out" 2>"$tmp/err"
rc=$?
took=$(($(date +%s) - start))
[ "$rc" -eq 1 ] || fail "-o FIFO without a reader: exit $rc after ${took}s (124: still blocked after 60 s)"
grep -qF "cannot write '$tmp/fifo': no process opened the FIFO for reading within 10000 ms" "$tmp/err" ||
  fail "-o FIFO without a reader: $(head -c 300 "$tmp/err")"
[ -p "$tmp/fifo" ] || fail "-o FIFO without a reader: the FIFO was replaced"

# ---- names of 248 to 255 bytes ----------------------------------------------------

mkdir "$tmp/long"
for len in 248 251 255; do
  name=$(head -c "$len" /dev/zero | tr '\0' n)
  expect_exit 0 "$bin" info --format json "$good" -o "$tmp/long/$name"
  cmp -s "$tmp/long/$name" "$tmp/expected.json" || fail "-o a $len-byte name: not written"
  expect_exit 0 "$bin" generate --preset regional --no-stress-fields -o "$tmp/long/$name"
  [ "$(stat -c %s "$tmp/long/$name")" -gt 1000000 ] || fail "-o a $len-byte name: generate wrote nothing"
  rm -f "$tmp/long/$name"
done
no_temp "long names" "$tmp/long"

# ---- two outputs of one run naming one file ----------------------------------------

mkdir "$tmp/two"
expect_exit 2 "$bin" resilience "$good" --plot "$tmp/two/p.svg" -o "$tmp/two/p.svg"
grep -qF -- "--plot '$tmp/two/p.svg' and -o '$tmp/two/p.svg' are the same file" "$tmp/err" ||
  fail "--plot X -o X: $(head -c 300 "$tmp/err")"
[ -e "$tmp/two/p.svg" ] && fail "--plot X -o X: something was written"
printf 'precious\n' >"$tmp/two/kept.png"
ln -s kept.png "$tmp/two/alias.png"
ln "$tmp/two/kept.png" "$tmp/two/hard.png"
for other in "$tmp/two/alias.png" "$tmp/two/hard.png" "$tmp/two/./kept.png"; do
  expect_exit 2 "$bin" resilience "$good" --plot "$tmp/two/kept.png" -o "$other"
  grep -qF "are the same file" "$tmp/err" || fail "--plot X -o $other: $(head -c 300 "$tmp/err")"
done
[ "$(cat "$tmp/two/kept.png")" = precious ] || fail "--plot X -o alias: the file was modified"
expect_exit 0 "$bin" resilience "$good" --plot "$tmp/two/p.svg" -o "$tmp/two/p.csv"

# ---- a full disk under a writer that gives up ----------------------------------------
# Past 4 MB the output goes to disk while it is written; when the disk
# fills, the GraphML writer stops with its own message, and the system's
# reason must follow.

full="$tmp/full"
mkdir "$full"
if mount -t tmpfs -o size=64k tmpfs "$full" 2>/dev/null; then
  mounts+=("$full")
  "$bin" generate --preset province --no-stress-fields -o "$tmp/province.json" 2>/dev/null
  expect_exit 1 "$bin" export "$tmp/province.json" --to graphml -o "$full/out.graphml"
  grep -qF "cannot write '$full/out.graphml': No space left on device" "$tmp/err" ||
    fail "export to a full disk: $(head -c 300 "$tmp/err")"
  [ -z "$(ls -A "$full")" ] || fail "export to a full disk: left $(ls -A "$full")"
else
  echo "note: full-disk case skipped (no mount rights)"
fi

# ---- SIGKILL in the middle of a large write ----------------------------------------
# The temporary file has no name while it is written (O_TMPFILE): killed
# then, the process leaves nothing.  We wait until the file being written
# exists (by name in the directory, or as an open "(deleted)" descriptor).

mkdir "$tmp/kill"
printf 'precious\n' >"$tmp/kill/out.json"
"$bin" generate --preset national --no-stress-fields -o "$tmp/kill/out.json" 2>/dev/null &
pid=$!
seen=0
for _ in $(seq 1 60000); do
  if compgen -G "$tmp/kill/.out.json.??????" >/dev/null ||
     ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF "$tmp/kill/"; then
    seen=1
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.01
done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$seen" -eq 1 ] || echo "note: SIGKILL case: the file being written was never observed"
[ "$(ls -A "$tmp/kill")" = out.json ] || fail "SIGKILL while writing: left $(ls -A "$tmp/kill")"
[ "$(cat "$tmp/kill/out.json")" = precious ] || fail "SIGKILL while writing: out.json modified"

# ---- an output that is a table of the input folder ----------------------------------
# A folder of CSV tables is the input: -o naming one of its tables (directly,
# by another path or through a link) would overwrite what was read.

mkdir "$tmp/tables"
printf 'id,kind\nm,material\no,oem\n' >"$tmp/tables/enterprises.csv"
printf 'from,to,part\nm,o,steel\n' >"$tmp/tables/links.csv"
cp "$tmp/tables/enterprises.csv" "$tmp/enterprises.keep"
cp "$tmp/tables/links.csv" "$tmp/links.keep"
ln -s tables/links.csv "$tmp/links-link.csv"
for case in "export -f graphml -o $tmp/tables/enterprises.csv" "info -o $tmp/tables/links.csv" \
            "info -o $tmp/tables/../tables/./links.csv" "info -f json -o $tmp/links-link.csv" \
            "weak-links -f csv -o $tmp/tables/links.csv"; do
  expect_exit 1 "$bin" $case "$tmp/tables"
  grep -q "^chengyu: cannot write '.*\.csv': it is a table of the input folder '$tmp/tables'$" "$tmp/err" ||
    fail "$case: $(head -c 300 "$tmp/err")"
done
cmp -s "$tmp/tables/enterprises.csv" "$tmp/enterprises.keep" || fail "enterprises.csv changed"
cmp -s "$tmp/tables/links.csv" "$tmp/links.keep" || fail "links.csv changed"
[ "$(ls -A "$tmp/tables")" = "$(printf 'enterprises.csv\nlinks.csv')" ] ||
  fail "the input folder holds $(ls -A "$tmp/tables")"
# Any other file in the folder is no input (export -f csv writes OUT.nodes.csv
# and OUT.edges.csv, never a table's name).
expect_exit 0 "$bin" export -f csv -o "$tmp/tables/enterprises.csv" "$tmp/tables"
cmp -s "$tmp/tables/enterprises.csv" "$tmp/enterprises.keep" || fail "export -f csv: enterprises.csv changed"
rm -f "$tmp/tables/enterprises.nodes.csv" "$tmp/tables/enterprises.edges.csv"
expect_exit 0 "$bin" info "$tmp/tables" -o "$tmp/tables/report.txt"
grep -q '^enterprises: 2 ' "$tmp/tables/report.txt" || fail "report in the folder: $(cat "$tmp/tables/report.txt")"

# ---- Graphviz names the view ----------------------------------------------------------
# A 700-firm chain is taller than cairo's 32767-pixel bitmaps.

/usr/bin/python3 - "$tmp/chain.json" <<'PY'
import json, sys
n = 700
ents = [{"id": "f%d" % i, "kind": "material" if i == 0 else "oem" if i == n - 1 else "supplier"}
        for i in range(n)]
links = [{"from": "f%d" % i, "to": "f%d" % (i + 1), "part": "p%d" % (i + 1)} for i in range(n - 1)]
json.dump({"format": "chengyu/1", "name": "chain", "enterprises": ents, "links": links},
          open(sys.argv[1], "w"))
PY
expect_exit 0 "$bin" render "$tmp/chain.json" -o "$tmp/chain.png"
grep -qF "chengyu: warning: graphviz: full view: graph is too large for cairo-renderer bitmaps" "$tmp/err" ||
  fail "render a tall PNG: $(head -c 300 "$tmp/err")"
grep -qF "(null)" "$tmp/err" && fail "render a tall PNG: '(null)' in $(head -c 300 "$tmp/err")"

finish
