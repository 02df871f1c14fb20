#!/usr/bin/env bash
# The same network's numbers agree character for character across the
# formats of weak-links, cascade, resilience, centrality and info
# (tests/cli/agreement.py), on the hand-checked weak-link graph, the
# curated dataset and the regional preset.
# Usage: test_agreement.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
"$bin" generate --preset regional --no-stress-fields -o "$tmp/regional.json" || { echo "FAIL: generate" >&2; exit 1; }
/usr/bin/python3 "$src/tests/cli/agreement.py" "$bin" "$src/graphs/weaklinks.json" \
  "$src/data/chengdu-chongqing.json" "$tmp/regional.json"
