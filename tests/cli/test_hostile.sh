#!/usr/bin/env bash
# One network with hostile ids, names and parts through every command and
# every format (tests/cli/hostile.py says what each output is checked for).
# Usage: test_hostile.sh CHENGYU SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2"
/usr/bin/python3 "$src/tests/cli/hostile.py" "$bin" "$tmp"
