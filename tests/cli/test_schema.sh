#!/usr/bin/env bash
# data/schema.json against the loader: every network the project ships that
# `chengyu validate` accepts (the good fixtures, graphs/, the curated
# dataset, a generated regional network) must pass the schema (format.md:
# "a file that passes chengyu validate also passes the schema"), and the
# bad fixtures whose problem is one of shape (types, ranges, patterns) must
# fail it.  Uses python3-jsonschema (Debian).
#
#   bash tests/cli/test_schema.sh CHENGYU_BINARY SOURCE_DIR
. "$2/tests/cli/helpers.sh"
cli_setup "$1" "$2" chengyu-schema

"$bin" generate --preset regional -o "$tmp/regional.json" ||
  fail "generate --preset regional failed"
valid=()
for f in "$src"/tests/fixtures/good/*.json "$src"/graphs/*.json \
         "$src/data/chengdu-chongqing.json" "$tmp/regional.json"; do
  if "$bin" validate -q "$f" >/dev/null 2>&1; then
    valid+=("$f")
  fi
done
[ "${#valid[@]}" -ge 10 ] || fail "only ${#valid[@]} valid networks found"

# Shape problems the schema can see (one file may hold several).
shape_bad=(stress_fields currency negative_output_value negative_volume
           share_zero share_over_one tier_out_of_range wrong_type_number
           wrong_type_boolean unknown_key_enterprise bad_kind)

/usr/bin/python3 - "$src/data/schema.json" "${valid[@]}" -- \
  "${shape_bad[@]/#/$src/tests/fixtures/bad/}" <<'PY' || fail "schema check"
import json, sys
import jsonschema

schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
split = sys.argv.index("--")
good, bad = sys.argv[2:split], sys.argv[split + 1:]
failed = 0
for path in good:
    errors = list(validator.iter_errors(json.load(open(path))))
    if errors:
        failed += 1
        print("%s: valid for chengyu, not for the schema: %s at %s"
              % (path, errors[0].message[:200], list(errors[0].absolute_path)),
              file=sys.stderr)
for path in bad:
    path += ".json"
    if validator.is_valid(json.load(open(path))):
        failed += 1
        print("%s: refused by chengyu, passes the schema" % path, file=sys.stderr)
print("schema: %d valid networks, %d shape errors checked" % (len(good), len(bad)))
sys.exit(1 if failed else 0)
PY
finish
