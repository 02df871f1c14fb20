#!/usr/bin/env bash
# docs/architecture.md lists every file of the tree with its job, so that
# it cannot go stale: every source file (src/**, render/**), test
# (tests/*.c, tests/*.h, tests/cli, tests/conformance, tests/fuzz
# programs), script (scripts/) and benchmark program (bench/) must appear
# in it as `path`, and every such path it names must exist.
# Usage: test_architecture.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
/usr/bin/python3 - "$src" <<'PY'
import glob, os, re, sys

root = sys.argv[1]
os.chdir(root)
patterns = ["src/**/*", "render/**/*", "tests/*.c", "tests/*.h", "tests/cli/*",
            "tests/conformance/*.py", "tests/fuzz/*.c", "tests/fuzz/*.sh",
            "tests/fuzz/*.py", "tests/fuzz/CMakeLists.txt", "scripts/*",
            "bench/run", "bench/CMakeLists.txt", "bench/**/*.c", "bench/**/*.h",
            "bench/**/*.py"]
files = {f for p in patterns for f in glob.glob(p, recursive=True)
         if os.path.isfile(f) and "__pycache__" not in f}
doc = open("docs/architecture.md", encoding="utf-8").read()
named = {n for n in re.findall(r"`((?:src|render|tests|scripts|bench)/[^`\s]+)`", doc)
         if not re.search(r"[<{*]", n)}  # patterns, not paths
failures = 0
for f in sorted(files - named):
    print(f"FAIL: docs/architecture.md does not list {f}", file=sys.stderr)
    failures += 1
for f in sorted(n for n in named if not os.path.exists(n)):
    print(f"FAIL: docs/architecture.md names {f}, which does not exist", file=sys.stderr)
    failures += 1
if failures:
    sys.exit(1)
print(f"ok: {len(files)} files listed")
PY
