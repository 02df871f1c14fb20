#!/usr/bin/env bash
# The chengyu command as a user meets it: exit codes 0/1/2, --help and
# --version, the "chengyu: " prefix on errors, validate's ok line, info's
# JSON, atomic -o, a full standard output, and validate on the curated
# dataset and on the regional and province presets of generate.
#
# Usage: bash test_cli_basic.sh PATH/TO/chengyu SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2" chengyu-cli
good=$src/tests/fixtures/good
bad=$src/tests/fixtures/bad
checks=0

# run ARGS...: run the command (60 s at most), keeping stdout, stderr and
# the exit status in $tmp/out, $tmp/err and $rc.
run() {
  timeout 60 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect_rc CODE WHAT
expect_rc() {
  checks=$((checks + 1))
  if [ "$rc" -ne "$1" ]; then
    fail "$2: exit status $rc, expected $1"
    sed 's/^/    stderr: /' "$tmp/err" | head -5 >&2
  fi
}

# expect_file FILE TEXT WHAT: FILE holds exactly TEXT (plus a final newline).
expect_file() {
  checks=$((checks + 1))
  if [ "$(cat "$1")" != "$2" ]; then
    fail "$3: got"
    sed 's/^/    /' "$1" | head -10 >&2
    echo "  expected" >&2
    printf '%s\n' "$2" | sed 's/^/    /' >&2
  fi
}

# expect_empty FILE WHAT
expect_empty() {
  checks=$((checks + 1))
  if [ -s "$1" ]; then
    fail "$2: expected nothing, got"
    sed 's/^/    /' "$1" | head -5 >&2
  fi
}

# expect_grep PATTERN FILE WHAT: an extended regex matches a line of FILE.
expect_grep() {
  checks=$((checks + 1))
  grep -Eq -- "$1" "$2" || fail "$3: no line matches /$1/ in $(head -c 300 "$2")"
}

# every_line_prefixed FILE WHAT: every line of FILE starts "chengyu: ".
every_line_prefixed() {
  checks=$((checks + 1))
  if grep -v '^chengyu: ' "$1" | grep -q .; then
    fail "$2: lines without the 'chengyu: ' prefix:"
    grep -v '^chengyu: ' "$1" | head -3 >&2
  fi
}

# only_files DIR EXPECTED WHAT: the entries of DIR (sorted, space-joined).
only_files() {
  local got
  checks=$((checks + 1))
  got=$(cd "$1" && ls -A | sort | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$2" ] || fail "$3: directory holds '$got', expected '$2'"
}

# ---- help, version, usage errors (exit 2) ---------------------------------

run --help
expect_rc 0 "--help"
expect_grep '^usage: chengyu ' "$tmp/out" "--help prints the usage"
expect_grep '^   validate ' "$tmp/out" "--help lists validate"
expect_grep '^   info ' "$tmp/out" "--help lists info"
expect_grep '^   generate ' "$tmp/out" "--help lists generate"
expect_empty "$tmp/err" "--help writes nothing to stderr"

run
expect_rc 2 "no command"
expect_grep '^usage: chengyu ' "$tmp/err" "no command prints the usage to stderr"
expect_empty "$tmp/out" "no command writes nothing to stdout"

run --version
expect_rc 0 "--version"
expect_grep '^chengyu [0-9]+\.[0-9]+\.[0-9]+ \(format chengyu/1\)$' "$tmp/out" "--version"

for cmd in validate info generate; do
  run "$cmd" --help
  expect_rc 0 "$cmd --help"
  expect_grep "^usage: chengyu $cmd " "$tmp/out" "$cmd --help prints its usage"
  expect_empty "$tmp/err" "$cmd --help writes nothing to stderr"
done

run frobnicate "$good/supply.json"
expect_rc 2 "unknown command"
expect_file "$tmp/err" "chengyu: 'frobnicate' is not a chengyu command; see 'chengyu --help'" \
  "unknown command message"

run validate --frobnicate "$good/supply.json"
expect_rc 2 "unknown option of validate"
expect_grep "^chengyu: validate: unknown option '--frobnicate'$" "$tmp/err" "unknown option message"
expect_grep '^usage: chengyu validate ' "$tmp/err" "unknown option shows the usage"

# The nearest name within two edits, for a command, an option and a value.
run infoo "$good/supply.json"
expect_rc 2 "misspelled command"
expect_file "$tmp/err" "chengyu: 'infoo' is not a chengyu command (did you mean 'info'?); see 'chengyu --help'" \
  "misspelled command suggests the nearest"
run weak-links --treshold=0.1 "$good/supply.json"
expect_rc 2 "misspelled option"
expect_grep "^chengyu: weak-links: unknown option '--treshold' [(]did you mean '--threshold'[?][)]$" "$tmp/err" \
  "misspelled option suggests the nearest"
run cascade --each enterprize "$good/supply.json"
expect_rc 2 "misspelled value"
expect_grep "^chengyu: cascade: --each expects one of enterprise park region; got 'enterprize' [(]did you mean 'enterprise'[?][)]$" \
  "$tmp/err" "misspelled value suggests the nearest"
run centrality -m degre "$good/supply.json"
expect_rc 2 "misspelled measure"
expect_grep "unknown measure 'degre' [(]did you mean 'degree'[?][)]" "$tmp/err" "misspelled measure suggests the nearest"

run info --format yaml "$good/supply.json"
expect_rc 2 "info --format yaml"
expect_grep "^chengyu: info: --format expects one of table json; got 'yaml'$" "$tmp/err" "bad --format message"

run info --format
expect_rc 2 "info --format without a value"

run validate
expect_rc 2 "validate without FILE"
expect_grep '^chengyu: validate: expected one FILE$' "$tmp/err" "missing FILE message"

run validate "$good/supply.json" "$good/empty.json"
expect_rc 2 "validate with two FILEs"

run generate
expect_rc 2 "generate without --preset"
expect_grep '^chengyu: generate: --preset is required$' "$tmp/err" "generate without --preset"

run generate --preset continental
expect_rc 2 "generate --preset continental"
expect_grep "^chengyu: generate: --preset expects one of regional province national xl dense; got 'continental'$" "$tmp/err" "unknown preset"

run generate --preset regional --seed -3
expect_rc 2 "generate --seed -3"

# ---- validate --------------------------------------------------------------

run validate "$good/supply.json"
expect_rc 0 "validate supply.json"
expect_file "$tmp/out" "ok: 8 enterprises, 9 links" "validate prints the ok line"
expect_empty "$tmp/err" "validate of a clean file writes nothing to stderr"

run validate "$good/empty.json"
expect_rc 0 "validate an empty network"
expect_file "$tmp/out" "ok: 0 enterprises, 0 links" "empty network ok line"

run validate "$good/warnings.json"
expect_rc 0 "validate with warnings"
expect_file "$tmp/out" "ok: 3 enterprises, 1 links" "ok line with warnings"
expect_file "$tmp/err" "chengyu: warning: $good/warnings.json: \$.enterprises[0].requires[1]: no supplier of part \"y\" for \"a\"
chengyu: warning: $good/warnings.json: \$.enterprises[2]: enterprise \"lonely\" has no links" \
  "the two warnings"

run validate --quiet "$good/warnings.json"
expect_rc 0 "validate --quiet"
expect_empty "$tmp/err" "--quiet hides warnings"

run validate "$bad/self_link.json"
expect_rc 1 "validate a bad file"
expect_file "$tmp/err" "chengyu: $bad/self_link.json: \$.links[0].to: link from \"a\" to itself" \
  "a bad file's error"
expect_empty "$tmp/out" "no ok line for a bad file"

run validate "$bad/not_json.json"
expect_rc 1 "validate a file that is not JSON"
expect_file "$tmp/err" "chengyu: $bad/not_json.json:4:15: '}' expected near '\"enterprises\"'" \
  "parse error with line and column"

run validate "$bad/wrong_kind_reference.json"
expect_rc 1 "validate with several errors"
every_line_prefixed "$tmp/err" "several errors"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/err")" -eq 7 ] || fail "wrong_kind_reference.json: expected 7 error lines"

# 80 errors: 50 are printed, then the loader says it stopped.
run validate "$bad/too_many_errors.json"
expect_rc 1 "validate with 80 errors"
every_line_prefixed "$tmp/err" "80 errors"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/err")" -eq 51 ] || fail "80 errors: expected 50 errors and one more line, got $(wc -l <"$tmp/err")"
checks=$((checks + 1))
[ "$(tail -n 1 "$tmp/err")" = "chengyu: stopped after 50 errors" ] ||
  fail "80 errors: last line is '$(tail -n 1 "$tmp/err")'"

# A terminal escape in a key never reaches the terminal.
run validate "$bad/unknown_key_top.json"
expect_rc 1 "validate a key with an escape sequence"
checks=$((checks + 1))
if LC_ALL=C grep -q $'\x1b' "$tmp/err"; then fail "an ESC byte reached stderr"; fi
expect_grep '^chengyu: .*: \$\["\\x1B\[2J"\]: unknown key$' "$tmp/err" "escape shown as \\x1B"

# Files that are not regular, readable files: exit 1, never a hang.
run validate "$tmp/does-not-exist.json"
expect_rc 1 "validate a missing file"
expect_file "$tmp/err" "chengyu: $tmp/does-not-exist.json: cannot open: No such file or directory" \
  "missing file message"

run validate "$tmp"
expect_rc 1 "validate a directory"
expect_file "$tmp/err" "chengyu: $tmp: not a regular file (it is a directory)" "directory message"

run validate /dev/null
expect_rc 1 "validate /dev/null"
expect_file "$tmp/err" "chengyu: /dev/null: not a regular file (it is a character device)" \
  "/dev/null message"

# A named pipe is read like standard input, but one nobody writes to must
# not hang: after 10 s without a byte it is an error.
mkfifo "$tmp/fifo.json"
run validate "$tmp/fifo.json"
expect_rc 1 "validate a FIFO nobody writes to (timeout would give 124)"
expect_file "$tmp/err" "chengyu: $tmp/fifo.json: named pipe with no data after 10 s (is anything writing to it?)" "FIFO message"
(cat "$good/supply.json" >"$tmp/fifo.json" &)
run validate "$tmp/fifo.json"
expect_rc 0 "validate a FIFO with a writer"
rm -f "$tmp/fifo.json"

CHENGYU_MAX_INPUT_BYTES=72 run validate "$good/empty.json"
expect_rc 1 "a file over CHENGYU_MAX_INPUT_BYTES"
expect_file "$tmp/err" "chengyu: $good/empty.json: file is 73 bytes, over the input limit of 72 bytes (raise it with CHENGYU_MAX_INPUT_BYTES)" \
  "size limit message"
CHENGYU_MAX_INPUT_BYTES=73 run validate "$good/empty.json"
expect_rc 0 "a file at CHENGYU_MAX_INPUT_BYTES"
CHENGYU_MAX_INPUT_BYTES=lots run validate "$good/empty.json"
expect_rc 1 "a bad CHENGYU_MAX_INPUT_BYTES"
expect_grep "^chengyu: CHENGYU_MAX_INPUT_BYTES: expected a positive number of bytes, got 'lots'$" \
  "$tmp/err" "bad CHENGYU_MAX_INPUT_BYTES message"

# ---- info ------------------------------------------------------------------

run info "$good/supply.json"
expect_rc 0 "info text"
expect_grep '^enterprises: 8 \(oem 2, supplier 4, material 1, service 1\)$' "$tmp/out" "info text: kinds"
expect_grep '^degree \(firm graph, in \+ out\): min 1, median 1.5, max 5$' "$tmp/out" "info text: degree"

run info --format json "$good/supply.json"
expect_rc 0 "info --format json"
checks=$((checks + 1))
python3 -m json.tool "$tmp/out" >/dev/null || fail "info --format json is not JSON"
checks=$((checks + 1))
# Values worked out by hand in tests/test_info.c.
python3 - "$tmp/out" <<'EOF' || fail "info --format json values"
import json, sys
d = json.load(open(sys.argv[1]))
want = {"enterprises": 8, "links": 9, "firm_edges": 8, "parts": 7,
        "kinds": {"oem": 2, "supplier": 4, "material": 1, "service": 1},
        "tiers": {"0": 2, "1": 4, "2": 1, "none": 1},
        "regions": {"chongqing": 3, "sichuan": 3},
        "clusters": {"cq-auto": 3, "cd-elec": 1},
        "parks": {"liangjiang": 2, "tianfu": 1},
        "components": 1, "largest_component": 8,
        "degree": {"min": 1, "median": 1.5, "max": 5},
        "single_sourced_pairs": 7, "unsupplied_requirements": 0,
        "output_value_total": 158610000000.0}
for k, v in want.items():
    if d.get(k) != v:
        sys.exit("%s: %r != %r" % (k, d.get(k), v))
if abs(d["density"] - 1 / 7) > 1e-15:
    sys.exit("density %r" % d["density"])
EOF

# ---- -o: atomic output -----------------------------------------------------

mkdir "$tmp/outdir"
printf 'precious\n' >"$tmp/outdir/info.json"
cp "$tmp/outdir/info.json" "$tmp/precious.copy"

run info --format json -o "$tmp/outdir/info.json" "$bad/self_link.json"
expect_rc 1 "info -o on a bad file"
checks=$((checks + 1))
cmp -s "$tmp/outdir/info.json" "$tmp/precious.copy" || fail "a failed run changed the -o file"
only_files "$tmp/outdir" "info.json" "a failed run leaves no temporary file"

run info --format json -o "$tmp/outdir/info.json" "$good/supply.json"
expect_rc 0 "info -o"
expect_empty "$tmp/out" "info -o writes nothing to stdout"
checks=$((checks + 1))
python3 -m json.tool "$tmp/outdir/info.json" >/dev/null || fail "info -o did not write the JSON"
only_files "$tmp/outdir" "info.json" "a good run leaves only the output"

cp "$tmp/outdir/info.json" "$tmp/good.copy"
run info -o "$tmp/outdir/info.json" "$tmp/outdir/missing-input.json"
expect_rc 1 "info -o with a missing input"
checks=$((checks + 1))
cmp -s "$tmp/outdir/info.json" "$tmp/good.copy" || fail "a missing input changed the -o file"
only_files "$tmp/outdir" "info.json" "no temporary file after a missing input"

run info -o "$tmp/nowhere/info.txt" "$good/supply.json"
expect_rc 1 "info -o into a missing directory"
expect_file "$tmp/err" "chengyu: cannot write '$tmp/nowhere/info.txt': directory '$tmp/nowhere' does not exist" \
  "missing directory message"

run info -o "$tmp/outdir" "$good/supply.json"
expect_rc 1 "info -o a directory"
expect_file "$tmp/err" "chengyu: cannot write '$tmp/outdir': is a directory" "-o directory message"

cp "$good/supply.json" "$tmp/input.json"
run info -o "$tmp/input.json" "$tmp/input.json"
expect_rc 1 "info -o the input file"
expect_file "$tmp/err" "chengyu: cannot write '$tmp/input.json': it is the input file" \
  "-o input file message"
checks=$((checks + 1))
cmp -s "$tmp/input.json" "$good/supply.json" || fail "-o the input file changed it"

# ---- a full standard output ------------------------------------------------

timeout 60 "$bin" info "$good/supply.json" >/dev/full 2>"$tmp/err"
rc=$?
expect_rc 1 "info > /dev/full"
expect_file "$tmp/err" "chengyu: error writing to standard output: No space left on device" \
  "/dev/full message"

timeout 60 "$bin" validate "$good/supply.json" >/dev/full 2>"$tmp/err"
rc=$?
expect_rc 1 "validate > /dev/full"
expect_grep '^chengyu: error writing to standard output' "$tmp/err" "validate /dev/full message"

timeout 60 "$bin" --help >/dev/full 2>"$tmp/err"
rc=$?
expect_rc 1 "--help > /dev/full"

# ---- the curated dataset and the generated presets -------------------------

run validate "$src/data/chengdu-chongqing.json"
expect_rc 0 "validate data/chengdu-chongqing.json"
expect_grep '^ok: [0-9]+ enterprises, [0-9]+ links$' "$tmp/out" "curated dataset ok line"
every_line_prefixed "$tmp/err" "curated dataset warnings"

run info --format json "$src/data/chengdu-chongqing.json"
expect_rc 0 "info on the curated dataset"

for preset in regional province; do
  run generate --preset "$preset" -o "$tmp/$preset.json"
  expect_rc 0 "generate --preset $preset"
  run validate "$tmp/$preset.json"
  expect_rc 0 "validate the $preset preset"
  expect_grep '^ok: [0-9]+ enterprises, [0-9]+ links$' "$tmp/out" "$preset ok line"
  every_line_prefixed "$tmp/err" "$preset warnings"
done
# The regional preset has 45 OEMs and 1,600 other firms (docs/cli.md).
run validate "$tmp/regional.json"
expect_grep '^ok: 1645 enterprises, [0-9]+ links$' "$tmp/out" "regional preset has 45 + 1600 firms"
# The dense preset: 800 firms, about 2,900 links; xl's groups with few firms
# (its million firms are for bench/).
run generate --preset dense -o "$tmp/dense.json"
expect_rc 0 "generate --preset dense"
run validate "$tmp/dense.json"
expect_rc 0 "validate the dense preset"
expect_grep '^ok: 800 enterprises, (2[7-9]|30)[0-9][0-9] links$' "$tmp/out" "dense preset size"
run generate --preset xl --oems 2 --suppliers 40 -o "$tmp/xl-small.json"
expect_rc 0 "generate --preset xl with small counts"
run validate "$tmp/xl-small.json"
expect_grep '^ok: 42 enterprises, [0-9]+ links$' "$tmp/out" "xl preset with small counts"
every_line_prefixed "$tmp/err" "xl warnings"

# Same seed, byte-identical file; to stdout as to -o.
run generate --preset regional --seed 7 -o "$tmp/a.json"
expect_rc 0 "generate --seed 7"
run generate --preset regional --seed 7
expect_rc 0 "generate --seed 7 to stdout"
checks=$((checks + 1))
cmp -s "$tmp/out" "$tmp/a.json" || fail "generate is not deterministic (or stdout differs from -o)"
run generate --preset regional --seed 8 -o "$tmp/b.json"
checks=$((checks + 1))
if cmp -s "$tmp/a.json" "$tmp/b.json"; then fail "seeds 7 and 8 gave the same file"; fi

# A failing generate leaves an existing -o file alone: --oems 0 is refused
# by the option parser, --suppliers 2 by the generator once the output is
# open (fewer than one firm per tier); both are bad option values (2).
printf 'precious\n' >"$tmp/outdir/gen.json"
run generate --preset regional --oems 0 -o "$tmp/outdir/gen.json"
expect_rc 2 "generate --oems 0"
expect_file "$tmp/outdir/gen.json" "precious" "a refused generate keeps the -o file"
run generate --preset regional --suppliers 2 -o "$tmp/outdir/gen.json"
expect_rc 2 "generate --suppliers 2"
expect_grep '^chengyu: supplier count 2 is out of range' "$tmp/err" "--suppliers 2 message"
expect_file "$tmp/outdir/gen.json" "precious" "a failed generate keeps the -o file"
only_files "$tmp/outdir" "gen.json info.json" "no temporary file after a failed generate"

echo "test_cli_basic: $checks checks, $failures failures"
[ "$failures" -eq 0 ]
