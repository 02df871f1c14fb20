#!/usr/bin/env bash
# One CLI convention: every command has -f/--format, -o/--output,
# -q/--quiet and --help; `chengyu help CMD` is CMD's help; input "-" and
# pipes; the man page and the bash completion document every command and
# option; `cmake --install` installs a usable library with pkg-config.
#
# usage: test_conventions.sh CHENGYU SOURCE_DIR   (run from the build dir)
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
data="$src/data/chengdu-chongqing.json"

commands=$("$bin" --help | awk '/^commands:/ {on=1; next} on && /^   [a-z]/ {print $1}')
[ -n "$commands" ] || fail "no command listed by --help"

# ---- every command: the shared options, and `help CMD` = `CMD --help` ----
for cmd in $commands; do
  "$bin" "$cmd" --help >"$tmp/h1" 2>"$tmp/e1" || fail "$cmd --help exits $?"
  "$bin" help "$cmd" >"$tmp/h2" 2>/dev/null || fail "help $cmd exits $?"
  cmp -s "$tmp/h1" "$tmp/h2" || fail "'help $cmd' differs from '$cmd --help'"
  [ -s "$tmp/e1" ] && fail "$cmd --help wrote to stderr"
  case $cmd in help|completion) continue;; esac
  for opt in "-f, --format" "-o, --output" "-q, --quiet" "-h, --help" "--threads"; do
    grep -qF -- "$opt" "$tmp/h1" || fail "$cmd --help lacks '$opt'"
  done
done

# The same short letter means the same long option in every command.
for cmd in $commands; do
  "$bin" "$cmd" --help | grep -oE '^    -[a-zA-Z], --[a-z-]+' | sed "s/^ */$cmd /"
done >"$tmp/letters"
awk '{split($2, a, ","); key=a[1]; if (key in seen && seen[key] != $3)
      print "short " key ": " seen[key] " in one command, " $3 " in another";
      seen[key]=$3}' "$tmp/letters" >"$tmp/clashes"
[ -s "$tmp/clashes" ] && fail "short option clashes: $(cat "$tmp/clashes")"

# Usage errors: exit 2 and the synopsis on stderr.
"$bin" cascade --each enterprise -f csv --top 2 "$data" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "cascade --each enterprise -f csv: exit $? ($(head -2 "$tmp/err"))"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || fail "cascade -f csv --top 2 did not write 3 lines"
"$bin" cascade --each nowhere "$data" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "a bad --each value is not a usage error"
grep -q "expects one of enterprise park region; got 'nowhere'" "$tmp/err" ||
  fail "bad choice message: $(head -1 "$tmp/err")"
"$bin" info --frobnicate "$data" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "an unknown option is not a usage error"
grep -q "^usage: chengyu info " "$tmp/err" || fail "usage error without the synopsis"
"$bin" weak-links --top >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- "--top needs a value" "$tmp/err" || fail "a missing value is not reported"

# -o names the format when -f is not given.
"$bin" resilience --attack degree -o "$tmp/curve.json" "$data" 2>/dev/null ||
  fail "resilience -o curve.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/curve.json" 2>/dev/null ||
  fail "-o curve.json did not write JSON"
"$bin" export --to graphml -o "$tmp/net.graphml" "$data" 2>/dev/null ||
  fail "export --to (an older name of --format) stopped working"

# ---- input from standard input and pipes --------------------------------
"$bin" generate --preset regional --no-stress-fields | "$bin" info - >"$tmp/piped" ||
  fail "generate | info - exits non-zero"
grep -q '^enterprises: 1645 ' "$tmp/piped" || fail "info - did not read the piped network"
"$bin" info -f json - <"$data" >"$tmp/stdin.json" || fail "info - < file"
"$bin" info -f json "$data" >"$tmp/file.json"
cmp -s "$tmp/stdin.json" "$tmp/file.json" || fail "info of stdin differs from info of the file"
"$bin" validate -q <(cat "$data") >"$tmp/out" || fail "validate <(cat FILE) (a pipe)"
grep -q '^ok: 102 enterprises' "$tmp/out" || fail "validate of a pipe: $(cat "$tmp/out")"
CHENGYU_MAX_INPUT_BYTES=1000 "$bin" info - <"$data" >/dev/null 2>"$tmp/err"
[ $? -eq 1 ] && grep -q "^chengyu: <stdin>: more than 1000 bytes, over the input limit of 1000 bytes" "$tmp/err" ||
  fail "the input limit does not apply to stdin: $(cat "$tmp/err")"
echo '{"format": "chengyu/1", "name": 3}' | "$bin" validate -f json - >"$tmp/v.json"
[ $? -eq 1 ] || fail "validate -f json of an invalid document does not exit 1"
python3 - "$tmp/v.json" <<'EOF' || fail "validate --format json: wrong document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["enterprises"] is None, d
assert d["error_count"] == len([x for x in d["diagnostics"] if x["severity"] == "error"]) > 0
assert any(x["path"] == "$.name" for x in d["diagnostics"]), d["diagnostics"]
assert all(set(x) == {"severity", "file", "path", "line", "column", "message"}
           for x in d["diagnostics"])
EOF

# ---- the man page documents every command and every option --------------
"$bin" help --man >"$tmp/chengyu.1" || fail "help --man"
MANWIDTH=200 man -l "$tmp/chengyu.1" 2>"$tmp/manerr" | col -b >"$tmp/man.txt"
[ -s "$tmp/manerr" ] && fail "man reports: $(head -3 "$tmp/manerr")"
for cmd in $commands; do
  grep -q "^   chengyu $cmd\$" "$tmp/man.txt" || fail "man page has no section for $cmd"
  for opt in $("$bin" "$cmd" --help | grep -oE '^    (-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
    grep -qE -- "(^| )$opt( |$)" "$tmp/man.txt" || fail "man page lacks $cmd $opt"
  done
done

# ---- bash completion ----------------------------------------------------
"$bin" completion bash >"$tmp/completion.bash" || fail "completion bash"
complete_words() { # the completions bash offers for the words "$@" (last = current)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _chengyu;
           printf "%s\n" "${COMPREPLY[@]}"' _ "$tmp/completion.bash" chengyu "$@"
}
[ "$(complete_words casc)" = cascade ] || fail "completion of 'casc'"
[ "$(complete_words cascade --thres)" = --threshold ] || fail "completion of 'cascade --thres'"
[ "$(complete_words cascade --thr | sort | tr '\n' ' ')" = "--threads --threshold " ] ||
  fail "completion of 'cascade --thr': $(complete_words cascade --thr)"

# ---- --threads and CHENGYU_THREADS ---------------------------------------
for bad in x -1 65 2x; do
  CHENGYU_THREADS=$bad "$bin" info "$data" >/dev/null 2>"$tmp/err"
  [ $? -eq 2 ] && grep -q "CHENGYU_THREADS='$bad': expected a number of threads from 0 to 64" "$tmp/err" ||
    fail "CHENGYU_THREADS=$bad: $(cat "$tmp/err")"
done
"$bin" info --threads 65 "$data" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--threads 65 is not a usage error"
CHENGYU_THREADS=x "$bin" info --threads 2 "$data" >/dev/null 2>&1 ||
  fail "--threads does not take precedence over CHENGYU_THREADS"
# --threads 0 defers to the variable (docs/cli.md), so a bad one is still
# refused; help, which runs no threads, reads none.
CHENGYU_THREADS=x "$bin" info --threads 0 "$data" >/dev/null 2>&1
[ $? -eq 2 ] || fail "--threads 0 ignores a bad CHENGYU_THREADS"
CHENGYU_THREADS=x "$bin" help info >/dev/null 2>&1 || fail "help refuses a bad CHENGYU_THREADS"
[ "$(complete_words cascade --each '' | tr '\n' ' ')" = "enterprise park region " ] ||
  fail "completion of --each values: $(complete_words cascade --each '')"
complete_words weak-links -f '' | grep -qx html || fail "completion of weak-links -f"
[ "$(complete_words help ren)" = render ] || fail "completion of 'help ren': $(complete_words help ren)"

# ---- install: binary, libraries, headers, pkg-config, man, completion ---
prefix="$tmp/prefix"
if cmake --install . --prefix "$prefix" >"$tmp/install.log" 2>&1; then
  for f in bin/chengyu include/chengyu.h include/chengyu_core.h include/chengyu_version.h \
           lib/libchengyu.a lib/pkgconfig/chengyu.pc share/man/man1/chengyu.1 \
           share/bash-completion/completions/chengyu; do
    [ -e "$prefix/$f" ] || fail "not installed: $f"
  done
  ls "$prefix"/lib/libchengyu.so* >/dev/null 2>&1 || fail "no shared libchengyu installed"
  # The soname carries CHENGYU_SOVERSION (CMakeLists.txt), bumped with every
  # public layout change: 1 since the weak-link rows shrank.
  soname=$(objdump -p "$prefix"/lib/libchengyu.so 2>/dev/null | awk '/SONAME/ {print $2}')
  [ "$soname" = "libchengyu.so.1" ] || fail "libchengyu's soname is '$soname', not libchengyu.so.1"
  [ -e "$prefix/include/chengyu_test.h" ] && fail "the test-only header is installed"
  cat >"$tmp/user.c" <<'EOF'
#include <chengyu.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    cy_network *net = NULL;
    cy_error err;
    (void)argc;
    cy_error_init(&err);
    if (cy_network_load(argv[1], NULL, &net, &err) != CY_OK)
        return 1;
    printf("%s %zu %zu\n", CY_VERSION, cy_network_enterprise_count(net),
           cy_network_link_count(net));
    cy_network_free(net);
    cy_error_destroy(&err);
    return 0;
}
EOF
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  # A sanitized build installs a sanitized library: its users need the runtime.
  san=""
  nm -D "$prefix"/lib/libchengyu.so 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
  if cc $san -o "$tmp/user" "$tmp/user.c" $(pkg-config --cflags --libs chengyu) 2>"$tmp/cc.log"; then
    LD_LIBRARY_PATH="$prefix/lib" "$tmp/user" "$data" >"$tmp/user.out" ||
      fail "the installed library does not load the dataset"
    [ "$(cut -d' ' -f2,3 "$tmp/user.out")" = "102 318" ] ||
      fail "installed library: $(cat "$tmp/user.out")"
    [ "$(cut -d' ' -f1 "$tmp/user.out")" = "$(pkg-config --modversion chengyu)" ] ||
      fail "CY_VERSION and chengyu.pc disagree"
  else
    fail "a program does not build with pkg-config chengyu: $(head -5 "$tmp/cc.log")"
  fi
  "$prefix/bin/chengyu" --version | grep -q "^chengyu $(pkg-config --modversion chengyu) " ||
    fail "--version disagrees with the installed version"
else
  fail "cmake --install failed: $(tail -3 "$tmp/install.log")"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "conventions: all checks passed"
