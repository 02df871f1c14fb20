/*
 * test_loader.c - the chengyu/1 loader: every validation rule with a small
 * bad fixture (tests/fixtures/bad/RULE.json) and the exact diagnostics it
 * must produce, the file checks (not regular, too big), the warnings, and
 * the model built from a good file (tests/fixtures/good/supply.json), with
 * every expected value worked out by hand below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "load_internal.h"
#include "helpers.h"

#define BAD "tests/fixtures/bad/"
#define GOOD "tests/fixtures/good/"

/* ---- helpers ---------------------------------------------------------- */

/*
 * Expected diagnostics are written with "F" standing for the file name, so
 * "F: $.links[0].to: ..." is compared with "tests/fixtures/bad/X.json:
 * $.links[0].to: ...".  Returns the line with F replaced (cy_malloc).
 */
static char *expand(const char *expected, const char *file)
{
    const char *f = strstr(expected, "F");
    size_t need = strlen(expected) + strlen(file) + 1;
    char *out = malloc(need);
    assert_non_null(out);
    assert_non_null(f);
    snprintf(out, need, "%.*s%s%s", (int)(f - expected), expected, file, f + 1);
    return out;
}

/* Assert that err holds exactly `lines` (NULL-terminated), in order. */
static void assert_diagnostics(const cy_error *err, const char *file,
                               const char *const *lines)
{
    size_t n = 0;
    while (lines[n])
        n++;
    for (size_t i = 0; i < err->count && i < n; i++) {
        char *got = cy_error_format(err, i);
        char *want = expand(lines[i], file);
        assert_non_null(got);
        if (strcmp(got, want) != 0)
            print_error("diagnostic %zu:\n  got  %s\n  want %s\n", i, got, want);
        assert_string_equal(got, want);
        cy_free(got);
        free(want);
    }
    assert_int_equal(err->count, n);
}

static cy_status load(const char *path, const cy_load_options *options,
                      cy_network **net, cy_error *err)
{
    cy_error_init(err);
    return cy_network_load(path, options, net, err);
}

/* ---- the bad fixtures -------------------------------------------------- */

typedef struct {
    const char *fixture;      /* file name under tests/fixtures/bad/ */
    cy_status status;
    size_t error_count;       /* err.error_count: errors seen */
    const char *const *lines; /* every diagnostic, formatted, in order */
} bad_case;

#define LINES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define X10 "xxxxxxxxxx"

static bad_case bad_cases[] = {
    /* Parse errors: Jansson's FILE:LINE:COLUMN, the column being that of
     * the last character of the offending token (counted by hand). */
    {"not_json.json", CY_EINPUT, 1,
     LINES("F:4:15: '}' expected near '\"enterprises\"'")},
    {"duplicate_key.json", CY_EINPUT, 1,
     LINES("F:5:37: duplicate object key near '\"kind\"'")},
    {"nul_in_string.json", CY_EINPUT, 1,
     LINES("F:4:35: string contains a NUL character (\\u0000) near "
           "'\"a\\u0000b\"'")},
    /* Jansson's column is that of the last character it could decode: the
     * Latin-1 byte 0xe9 follows 25 characters that start at column 12. */
    {"invalid_utf8.json", CY_EINPUT, 1,
     LINES("F:3:36: invalid UTF-8: unable to decode byte 0xe9")},
    /* The document is level 1, so the 2048th '[' of line 2 is level 2049. */
    {"nesting_too_deep.json", CY_EINPUT, 1,
     LINES("F:2:2048: nesting deeper than 2048 levels (the parser's limit) "
           "near '['")},
    /* 1e400 overflows a double: the only way JSON spells "not finite". */
    {"number_not_finite.json", CY_EINPUT, 1,
     LINES("F:4:66: real number overflow near '1e400'")},

    {"top_level_not_object.json", CY_EINPUT, 1,
     LINES("F: $: expected a chengyu/1 object at the top level, got an array")},
    {"unsupported_format.json", CY_EINPUT, 1,
     LINES("F: $.format: unsupported format \"chengyu/2\" (expected "
           "\"chengyu/1\")")},

    /* Wrong types, one file per kind of field. */
    {"wrong_type_string.json", CY_EINPUT, 15,
     LINES("F: $.format: expected a string, got an integer",
           "F: $.name: expected a string, got an integer",
           "F: $.description: expected a string, got null",
           "F: $.regions[1].id: expected a string, got an integer",
           "F: $.regions[0].name: expected a string, got true",
           "F: $.regions[0].source: expected a string, got an integer",
           "F: $.clusters[0].sector: expected a string, got an object",
           "F: $.parks[0].name: expected a string, got a number",
           "F: $.enterprises[0].name: expected a string, got an array",
           "F: $.enterprises[0].name_zh: expected a string, got an integer",
           "F: $.enterprises[0].uscc: expected a string, got an integer",
           "F: $.enterprises[0].kind: expected a string, got null",
           "F: $.enterprises[0].source: expected a string, got false",
           "F: $.links[0].part: expected a string, got an integer",
           "F: $.links[0].source: expected a string, got an array")},
    {"wrong_type_reference.json", CY_EINPUT, 6,
     LINES("F: $.clusters[0].region: expected a string, got an integer",
           "F: $.parks[0].region: expected a string, got an array",
           "F: $.enterprises[0].region: expected a string, got an object",
           "F: $.enterprises[0].park: expected a string, got false",
           "F: $.links[0].from: expected a string, got an integer",
           "F: $.links[0].to: expected a string, got null")},
    {"wrong_type_number.json", CY_EINPUT, 4,
     LINES("F: $.enterprises[0].output_value: expected a number, got a string",
           "F: $.enterprises[1].output_value: expected a number, got null",
           "F: $.links[0].volume: expected a number, got true",
           "F: $.links[0].share: expected a number, got a string")},
    {"wrong_type_tier.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].tier: tier must be an integer, got a string",
           "F: $.enterprises[1].tier: tier must be an integer, got null")},
    {"wrong_type_boolean.json", CY_EINPUT, 2,
     LINES("F: $.parks[0].demonstration: expected true or false, got a string",
           "F: $.parks[1].demonstration: expected true or false, got an "
           "integer")},
    {"wrong_type_array.json", CY_EINPUT, 5,
     LINES("F: $.regions: expected an array, got an object",
           "F: $.clusters: expected an array, got a string",
           "F: $.parks: expected an array, got an integer",
           "F: $.enterprises: expected an array, got an object",
           "F: $.links: expected an array, got null")},
    {"wrong_type_record.json", CY_EINPUT, 5,
     LINES("F: $.regions[0]: expected a region object, got an integer",
           "F: $.clusters[0]: expected a cluster object, got a string",
           "F: $.parks[0]: expected a park object, got null",
           "F: $.enterprises[0]: expected an enterprise object, got an array",
           "F: $.links[0]: expected a link object, got true")},
    {"wrong_type_list.json", CY_EINPUT, 6,
     LINES("F: $.enterprises[0].clusters: expected an array of cluster ids, "
           "got a string",
           "F: $.enterprises[0].produces: expected an array of part names, "
           "got a string",
           "F: $.enterprises[0].requires[1]: expected a part name (a string), "
           "got an integer",
           "F: $.enterprises[1].clusters[1]: expected a cluster id, got an "
           "integer",
           "F: $.enterprises[1].produces[0]: expected a part name (a string), "
           "got null",
           "F: $.enterprises[1].requires: expected an array of part names, got "
           "an object")},
    {"wrong_type_location.json", CY_EINPUT, 4,
     LINES("F: $.parks[0].location: expected [longitude, latitude]",
           "F: $.parks[1].location: expected [longitude, latitude]",
           "F: $.enterprises[0].location: expected [longitude, latitude]",
           "F: $.enterprises[1].location: expected [longitude, latitude]")},

    /* Missing required fields: the top level and each kind of record. */
    {"missing_required_top.json", CY_EINPUT, 4,
     LINES("F: $: missing required field \"format\"",
           "F: $: missing required field \"name\"",
           "F: $: missing required field \"enterprises\"",
           "F: $: missing required field \"links\"")},
    {"missing_required_region.json", CY_EINPUT, 1,
     LINES("F: $.regions[1]: missing required field \"id\"")},
    {"missing_required_cluster.json", CY_EINPUT, 1,
     LINES("F: $.clusters[0]: missing required field \"id\"")},
    {"missing_required_park.json", CY_EINPUT, 1,
     LINES("F: $.parks[0]: missing required field \"id\"")},
    {"missing_required_enterprise.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0]: missing required field \"id\"",
           "F: $.enterprises[1]: missing required field \"kind\"")},
    {"missing_required_link.json", CY_EINPUT, 3,
     LINES("F: $.links[0]: missing required field \"from\"",
           "F: $.links[1]: missing required field \"to\"",
           "F: $.links[2]: missing required field \"part\"")},

    /* Unknown keys.  A key that is not a plain name is quoted, and a
     * terminal escape in it (ESC [ 2 J, "clear screen") is neutralised.
     * A key within two edits of an allowed one is suggested. */
    {"unknown_key_top.json", CY_EINPUT, 3,
     LINES("F: $.version: unknown key", "F: $[\"odd key\"]: unknown key",
           "F: $[\"\\x1B[2J\"]: unknown key")},
    {"unknown_key_region.json", CY_EINPUT, 1,
     LINES("F: $.regions[0].population: unknown key")},
    {"unknown_key_cluster.json", CY_EINPUT, 1,
     LINES("F: $.clusters[0].sectors: unknown key; did you mean \"sector\"?")},
    {"unknown_key_park.json", CY_EINPUT, 1,
     LINES("F: $.parks[0].demo: unknown key")},
    {"unknown_key_enterprise.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].Tier: unknown key; did you mean \"tier\"?",
           "F: $.enterprises[0].employees: unknown key")},
    {"unknown_key_link.json", CY_EINPUT, 1,
     LINES("F: $.links[0].weight: unknown key")},

    /* Ids: unique across regions, clusters, parks and enterprises. */
    {"duplicate_id.json", CY_EINPUT, 4,
     LINES("F: $.parks[1].id: duplicate id \"cq-auto\" (first defined at "
           "$.clusters[0].id)",
           "F: $.enterprises[1].id: duplicate id \"chongqing\" (first defined "
           "at $.regions[0].id)",
           "F: $.enterprises[2].id: duplicate id \"changan\" (first defined "
           "at $.enterprises[0].id)",
           "F: $.enterprises[3].id: duplicate id \"liangjiang\" (first "
           "defined at $.parks[0].id)")},
    {"empty_id.json", CY_EINPUT, 2,
     LINES("F: $.regions[0].id: id must not be empty",
           "F: $.enterprises[0].id: id must not be empty")},
    /* The 256-byte id of enterprise 0 is accepted; the 257-byte one is
     * shown cut to 83 bytes. */
    {"id_too_long.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[1].id: id \"" X10 X10 X10 X10 X10 X10 X10 X10
           "xxx...\" is 257 bytes long (at most 256)")},

    /* References. */
    {"unknown_reference_link.json", CY_EINPUT, 2,
     LINES("F: $.links[1].from: unknown enterprise \"ghost\"",
           "F: $.links[2].to: unknown enterprise \"xyz\"")},
    /* An empty id names no enterprise, also as the first link's "from"
     * (the loader's last-reference cache once matched it as enterprise
     * 0, and crashed without enterprises: found by the fuzzer). */
    {"empty_reference_link.json", CY_EINPUT, 2,
     LINES("F: $.links[0].from: unknown enterprise \"\"; did you mean \"a\"?",
           "F: $.links[2].to: unknown enterprise \"\"; did you mean \"a\"?")},
    {"unknown_reference_group.json", CY_EINPUT, 5,
     LINES("F: $.clusters[1].region: unknown region \"chengdu\"",
           "F: $.parks[1].region: unknown region \"sichuan\"",
           "F: $.enterprises[0].region: unknown region \"chengdu\"",
           "F: $.enterprises[0].park: unknown park \"nowhere\"",
           "F: $.enterprises[0].clusters[1]: unknown cluster \"cq-elec\"; did "
           "you mean \"cd-elec\"?")},
    /* No regions declared: region references are implicit regions and
     * never unknown, parks and clusters still must exist. */
    {"unknown_reference_no_regions.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].park: unknown park \"tianfu\"",
           "F: $.enterprises[0].clusters[0]: unknown cluster \"cd-elec\"")},
    /* Forward references too ("liangjiang" is defined after the cluster
     * that names it, "b" after the enterprise that names it). */
    {"wrong_kind_reference.json", CY_EINPUT, 7,
     LINES("F: $.clusters[0].region: \"liangjiang\" is a park, not a region",
           "F: $.parks[0].region: \"cq-auto\" is a cluster, not a region",
           "F: $.enterprises[0].region: \"b\" is an enterprise, not a region",
           "F: $.enterprises[0].park: \"cq-auto\" is a cluster, not a park",
           "F: $.enterprises[0].clusters[0]: \"liangjiang\" is a park, not a "
           "cluster",
           "F: $.links[0].from: \"chongqing\" is a region, not an enterprise",
           "F: $.links[1].to: \"cq-auto\" is a cluster, not an enterprise")},
    /* Without declared regions a region reference to an existing id of
     * another kind is still that mistake, not a new implicit region. */
    {"wrong_kind_reference_no_regions.json", CY_EINPUT, 3,
     LINES("F: $.clusters[0].region: \"liangjiang\" is a park, not a region",
           "F: $.parks[0].region: \"a\" is an enterprise, not a region",
           "F: $.enterprises[0].region: \"b\" is an enterprise, not a region")},

    /* Links. */
    {"self_link.json", CY_EINPUT, 1,
     LINES("F: $.links[0].to: link from \"a\" to itself")},
    /* Links 2 and 4 repeat link 0; link 1 (another part) and link 3 (the
     * other direction) are fine. */
    {"duplicate_link.json", CY_EINPUT, 2,
     LINES("F: $.links[2]: duplicate link \"b\" -> \"a\" for part \"x\" "
           "(same as $.links[0])",
           "F: $.links[4]: duplicate link \"b\" -> \"a\" for part \"x\" "
           "(same as $.links[0])")},

    /* Numbers out of range. */
    {"negative_output_value.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[0].output_value: must be >= 0, got -1")},
    {"negative_volume.json", CY_EINPUT, 1,
     LINES("F: $.links[0].volume: must be >= 0, got -0.5")},
    {"share_zero.json", CY_EINPUT, 1,
     LINES("F: $.links[0].share: must be in (0, 1], got 0")},
    {"share_over_one.json", CY_EINPUT, 1,
     LINES("F: $.links[0].share: must be in (0, 1], got 1.5")},
    {"tier_out_of_range.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].tier: tier must be in [0, 1000], got -1",
           "F: $.enterprises[1].tier: tier must be in [0, 1000], got 1001")},
    {"tier_not_integer.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[1].tier: tier must be an integer, got 1.5")},
    /* Latitude and longitude swapped; [180, -90] (enterprise 1) is on the
     * boundary and accepted. */
    {"location_out_of_range.json", CY_EINPUT, 2,
     LINES("F: $.parks[0].location: longitude must be in [-180, 180] and "
           "latitude in [-90, 90], got [29.6, 106.5]",
           "F: $.enterprises[0].location: longitude must be in [-180, 180] "
           "and latitude in [-90, 90], got [-181, 0]")},

    /* Names, parts, clusters, kinds. */
    {"empty_part_name.json", CY_EINPUT, 3,
     LINES("F: $.enterprises[0].requires[0]: part name must not be empty",
           "F: $.enterprises[1].produces[1]: part name must not be empty",
           "F: $.links[0].part: part name must not be empty")},
    {"duplicate_part.json", CY_EINPUT, 3,
     LINES("F: $.enterprises[0].requires[2]: duplicate part \"battery\" in "
           "requires",
           "F: $.enterprises[1].produces[1]: duplicate part \"battery\" in "
           "produces",
           "F: $.enterprises[1].produces[3]: duplicate part \"cell\" in "
           "produces")},
    {"duplicate_cluster.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[0].clusters[2]: duplicate cluster \"cq-auto\"")},
    {"bad_kind.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].kind: unknown kind \"OEM\" (expected \"oem\", "
           "\"supplier\", \"material\" or \"service\")",
           "F: $.enterprises[1].kind: unknown kind \"\" (expected \"oem\", "
           "\"supplier\", \"material\" or \"service\")")},

    /*
     * Unified social credit codes (GB 32100-2015).  The valid code
     * 91500108MA5U3B0R19 of tests/fixtures/good/supply.json was computed by
     * hand: character values in the alphabet 0123456789ABCDEFGHJKLMNPQRTUWXY
     * (A=10 ... M=21, R=25, U=27, B=11), weights 3^i mod 31 =
     * 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, so the sum over the
     * first 17 characters 9 1 5 0 0 1 0 8 M A 5 U 3 B 0 R 1 is
     *   9 + 3 + 45 + 0 + 0 + 26 + 0 + 136 + 21*20 + 10*29 + 5*25 + 27*13
     *   + 3*8 + 11*24 + 0 + 25*30 + 28 = 2471,
     * 2471 mod 31 = 22 (31 * 79 = 2449), check = 31 - 22 = 9 -> '9'.
     * Ending it in 8 instead is a wrong check character; I (not in the
     * alphabet) and lowercase letters are bad characters.
     */
    {"uscc_check_character.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[0].uscc: unified social credit code "
           "\"91500108MA5U3B0R18\" has a wrong check character")},
    {"uscc_bad_character.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].uscc: unified social credit code "
           "\"91500108MA5U3B0I19\" contains a character outside 0-9 and "
           "ABCDEFGHJKLMNPQRTUWXY",
           "F: $.enterprises[1].uscc: unified social credit code "
           "\"91500108ma5u3b0r19\" contains a character outside 0-9 and "
           "ABCDEFGHJKLMNPQRTUWXY")},
    /*
     * Stricter links: a part its customer's explicit requires does not list
     * is an error, with the nearest listed part within 2 edits (pack's
     * requires is explicitly empty); the shares of one (customer, part)
     * may not sum to more than 1 + 1e-6: (pack, cell) 0.8 + 0.6 and (pack,
     * seat) 0.5 + 0.7 (the link without a share is not counted) are
     * errors, (car, seat) 0.34 + 0.33 + 0.33 and (car, battery) 1 + 5e-7
     * are not.
     */
    {"link_part_not_required.json", CY_EINPUT, 4,
     LINES("F: $.links[0].part: \"car\" does not list part \"battery_pack\" in "
           "its requires; did you mean \"battery-pack\"?",
           "F: $.links[2].part: \"car\" does not list part \"engine\" in its "
           "requires",
           "F: $.links[3].part: \"pack\" does not list part \"cell\" in its "
           "requires",
           "F: $.links[4].part: \"car\" does not list part \"battery-cel\" in "
           "its requires; did you mean \"battery-cell\"?")},
    {"shares_over_one.json", CY_EINPUT, 2,
     LINES("F: $.links[0].share: the shares of part \"cell\" delivered to "
           "\"pack\" sum to 1.4, more than 1: $.links[0] (0.8), $.links[4] (0.6)",
           "F: $.links[7].share: the shares of part \"seat\" delivered to "
           "\"pack\" sum to 1.2, more than 1: $.links[7] (0.5), $.links[9] (0.7)")},
    /* The same rules in a file with other problems (no adjacency index). */
    {"link_rules_with_record_errors.json", CY_EINPUT, 5,
     LINES("F: $.enterprises[0].kind: unknown kind \"vehicle maker\" (expected "
           "\"oem\", \"supplier\", \"material\" or \"service\")",
           "F: $.links[3].to: unknown enterprise \"nobody\"",
           "F: $.links[4]: duplicate link \"seat-a\" -> \"car\" for part \"seat\" "
           "(same as $.links[0])",
           "F: $.links[2].part: \"car\" does not list part \"batery\" in its "
           "requires; did you mean \"battery\"?",
           "F: $.links[0].share: the shares of part \"seat\" delivered to \"car\" "
           "sum to 1.2, more than 1: $.links[0] (0.7), $.links[1] (0.4), "
           "$.links[4] (0.1)")},
    /* Unknown references name the nearest id of the right kind within 2
     * edits, counted in characters (重庆电 is one from 重庆电池). */
    {"did_you_mean.json", CY_EINPUT, 9,
     LINES("F: $.clusters[0].region: unknown region \"chongqin\"; did you mean "
           "\"chongqing\"?",
           "F: $.enterprises[0].park: unknown park \"liangjian\"; did you mean "
           "\"liangjiang\"?",
           "F: $.enterprises[0].clusters[0]: unknown cluster \"cq_auto\"; did "
           "you mean \"cq-auto\"?",
           "F: $.enterprises[0].clusters[1]: unknown cluster \"electronics\"",
           "F: $.enterprises[1].region: unknown region \"成都\"",
           "F: $.links[0].from: unknown enterprise \"battery_1\"; did you mean "
           "\"battery-1\"?",
           "F: $.links[1].from: unknown enterprise \"重庆电\"; did you mean "
           "\"重庆电池\"?",
           "F: $.links[1].to: unknown enterprise \"chang-an\"; did you mean "
           "\"changan\"?",
           "F: $.links[2].to: \"chengdu\" is a region, not an enterprise")},

    /* The stress and demand fields (docs/format.md): the currency is read
     * with the header, before the records; `inside` only on regions. */
    {"stress_fields.json", CY_EINPUT, 11,
     LINES("F: $.currency: currency \"rmb\" is not an ISO 4217 code (three "
           "uppercase letters, such as \"CNY\" for the renminbi)",
           "F: $.regions[0].inside: expected true or false, got a string",
           "F: $.regions[1].inside: expected true or false, got an integer",
           "F: $.enterprises[0].final_demand: must be >= 0, got -1",
           "F: $.enterprises[0].capacity: expected a number, got a string",
           "F: $.enterprises[0].inventory_days: must be >= 0, got -2",
           "F: $.enterprises[0].recovery_days: must be > 0, got 0",
           "F: $.enterprises[1].final_demand: expected a number, got null",
           "F: $.enterprises[1].capacity: must be >= 0, got -5",
           "F: $.enterprises[1].inventory_days: expected a number, got true",
           "F: $.enterprises[1].recovery_days: must be > 0, got -0.5")},
    {"currency.json", CY_EINPUT, 1,
     LINES("F: $.currency: currency \"Yuan\" is not an ISO 4217 code (three "
           "uppercase letters, such as \"CNY\" for the renminbi)")},
    /*
     * oem: output_value 100 > capacity 90.  maker has no output_value: its
     * output is its outgoing volumes 30 + 20 plus its final demand 10 = 60
     * > 59.  exact delivers 0.1 + 0.2, which sums to 0.30000000000000004 >
     * 0.3: within the tolerance, accepted.  enough delivers 60 but its
     * output is its output_value, 50 = its capacity.
     */
    {"capacity_below_output.json", CY_EINPUT, 2,
     LINES("F: $.enterprises[0].capacity: capacity 90 of \"oem\" is below its "
           "output_value 100",
           "F: $.enterprises[1].capacity: capacity 59 of \"maker\" is below its "
           "output 60 (the volumes of its outgoing links, 50, plus its final "
           "demand, 10)")},

    {"uscc_length.json", CY_EINPUT, 1,
     LINES("F: $.enterprises[0].uscc: unified social credit code "
           "\"91500108MA5U3B0R1\" must be 18 characters long")},
};

#define BAD_CASE_COUNT (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad_fixture(void **state)
{
    const bad_case *c = *state;
    char path[256];
    cy_network *net = (cy_network *)&net; /* must be reset to NULL */
    cy_error err;
    cy_status status;

    snprintf(path, sizeof path, BAD "%s", c->fixture);
    status = load(path, NULL, &net, &err);
    assert_int_equal(status, c->status);
    assert_null(net);
    assert_diagnostics(&err, path, c->lines);
    assert_int_equal(err.error_count, c->error_count);
    assert_int_equal(err.warning_count, 0);
    assert_false(err.limit_reached);
    cy_error_destroy(&err);
}

/*
 * 80 enterprises with a bad kind: 50 errors are stored, and the 51st, which
 * is counted but not stored, stops the loader (limit_reached) and makes
 * error_count > count, which is how a caller knows there were more.
 */
static void test_error_limit(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    char want[160];
    (void)state;

    assert_int_equal(load(BAD "too_many_errors.json", NULL, &net, &err),
                     CY_EINPUT);
    assert_null(net);
    assert_int_equal(err.count, CY_MAX_ERRORS);
    assert_int_equal(err.error_count, CY_MAX_ERRORS + 1);
    assert_true(err.limit_reached);
    for (size_t i = 0; i < err.count; i++) {
        char *got = cy_error_format(&err, i);
        snprintf(want, sizeof want,
                 BAD "too_many_errors.json: $.enterprises[%zu].kind: unknown "
                     "kind \"factory\" (expected \"oem\", \"supplier\", "
                     "\"material\" or \"service\")", i);
        assert_string_equal(got, want);
        cy_free(got);
    }
    cy_error_destroy(&err);
}

/* ---- files that are not regular, readable, small enough --------------- */

static void expect_single(cy_status want_status, cy_status status,
                          cy_network *net, cy_error *err, const char *line)
{
    char *got;
    assert_int_equal(status, want_status);
    assert_null(net);
    assert_int_equal(err->count, 1);
    assert_int_equal(err->error_count, 1);
    got = cy_error_format(err, 0);
    assert_string_equal(got, line);
    cy_free(got);
    cy_error_destroy(err);
}

static void test_directory(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    expect_single(CY_EINPUT, load("tests/fixtures", NULL, &net, &err), net,
                  &err, "tests/fixtures: not a regular file (it is a directory)");
}

static void test_dev_null(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    expect_single(CY_EINPUT, load("/dev/null", NULL, &net, &err), net, &err,
                  "/dev/null: not a regular file (it is a character device)");
}

/* A FIFO with no writer: opening it for reading would block forever unless
 * the loader opens it non-blocking.  alarm() turns a hang into a failure. */
static void test_fifo(void **state)
{
    char dir[] = "/tmp/chengyu-test-XXXXXX", fifo[64], want[128];
    cy_network *net = NULL;
    cy_error err;
    cy_status status;
    (void)state;

    assert_non_null(mkdtemp(dir));
    snprintf(fifo, sizeof fifo, "%s/input.json", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    alarm(10);
    status = load(fifo, NULL, &net, &err);
    alarm(0);
    snprintf(want, sizeof want, "%s: not a regular file (it is a FIFO)", fifo);
    expect_single(CY_EINPUT, status, net, &err, want);
    unlink(fifo);
    rmdir(dir);
}

static void test_missing_file(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    expect_single(CY_EIO, load(GOOD "no-such-file.json", NULL, &net, &err),
                  net, &err,
                  GOOD "no-such-file.json: cannot open: No such file or "
                       "directory");
}

/* good/empty.json is 73 bytes: refused with a limit of 72, read with 73. */
static void test_size_limit(void **state)
{
    cy_load_options options = {.max_input_bytes = 72};
    cy_network *net = NULL;
    cy_error err;
    struct stat st;
    (void)state;

    assert_int_equal(stat(GOOD "empty.json", &st), 0);
    assert_int_equal(st.st_size, 73);
    expect_single(CY_EINPUT, load(GOOD "empty.json", &options, &net, &err),
                  net, &err,
                  GOOD "empty.json: file is 73 bytes, over the input limit of "
                       "72 bytes (raise it with CHENGYU_MAX_INPUT_BYTES)");
    options.max_input_bytes = 73;
    assert_int_equal(load(GOOD "empty.json", &options, &net, &err), CY_OK);
    assert_non_null(net);
    assert_int_equal(err.count, 0);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/* ---- buffers ------------------------------------------------------------ */

static cy_status load_text(const char *text, const char *name,
                           cy_network **net, cy_error *err)
{
    cy_error_init(err);
    return cy_network_load_buffer(text, strlen(text), name, net, err);
}

/* Without a file name a parse error keeps its position: line 2, column 19
 * (the last character of the token chengyu, columns 13-19). */
static void test_buffer_without_name(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    char *line;
    (void)state;

    assert_int_equal(load_text("{\n  \"format\": chengyu}", NULL, &net, &err),
                     CY_EINPUT);
    assert_int_equal(err.count, 1);
    line = cy_error_format(&err, 0);
    assert_string_equal(line, "2:19: invalid token near 'chengyu'");
    cy_free(line);
    cy_error_destroy(&err);
}

/* A UTF-8 byte order mark is refused (docs/format.md) with a message that
 * says what it is, not Jansson's "'[' or '{' expected near '<BOM>'". */
static void test_byte_order_mark(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    char *line;
    (void)state;
    assert_int_equal(load_text("\xef\xbb\xbf{\"format\": \"chengyu/1\", \"name\": "
                               "\"bom\", \"enterprises\": [], \"links\": []}",
                               "bom.json", &net, &err),
                     CY_EINPUT);
    assert_null(net);
    assert_int_equal(err.count, 1);
    line = cy_error_format(&err, 0);
    assert_string_equal(line, "bom.json:1:1: the file starts with a UTF-8 byte "
                              "order mark, which chengyu/1 does not allow; "
                              "remove it");
    cy_free(line);
    cy_error_destroy(&err);
}

/* A document whose "meta" holds `arrays` nested arrays (malloc'd). */
static char *nested_document(size_t arrays)
{
    const char *head = "{\"format\": \"chengyu/1\", \"name\": \"deep\", "
                       "\"enterprises\": [], \"links\": [], \"meta\": {\"a\": ";
    size_t h = strlen(head);
    char *text = malloc(h + 2 * arrays + 3);
    assert_non_null(text);
    memcpy(text, head, h);
    memset(text + h, '[', arrays);
    memset(text + h + arrays, ']', arrays);
    strcpy(text + h + 2 * arrays, "}}");
    return text;
}

/*
 * The document (level 1), meta (2) and 2046 arrays make 2048 levels, the
 * parser's limit: accepted.  One array more is refused.
 */
static void test_nesting_at_limit(void **state)
{
    char *text = nested_document(2046);
    cy_network *net = NULL;
    cy_error err;
    (void)state;

    assert_int_equal(load_text(text, "deep", &net, &err), CY_OK);
    cy_network_free(net);
    cy_error_destroy(&err);
    free(text);

    text = nested_document(2047);
    assert_int_equal(load_text(text, "deep", &net, &err), CY_EINPUT);
    assert_null(net);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.items[0].message,
                        "nesting deeper than 2048 levels (the parser's limit) "
                        "near '['");
    free(text);
    cy_error_destroy(&err);
}

/* ---- good files --------------------------------------------------------- */

/* An empty network is valid and has empty graphs. */
static void test_empty_network(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;

    assert_int_equal(load(GOOD "empty.json", NULL, &net, &err), CY_OK);
    assert_int_equal(err.count, 0);
    assert_int_equal(err.error_count + err.warning_count, 0);
    assert_string_equal(cy_network_name(net), "empty");
    assert_null(cy_network_description(net));
    assert_int_equal(cy_network_enterprise_count(net), 0);
    assert_int_equal(cy_network_link_count(net), 0);
    assert_int_equal(cy_network_part_count(net), 0);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        assert_int_equal(cy_network_group_count(net, (cy_group_kind)k), 0);
    assert_int_equal(igraph_vcount(&net->firm_graph), 0);
    assert_int_equal(igraph_ecount(&net->firm_graph), 0);
    assert_false(cy_network_find_enterprise(net, "a", NULL));
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * good/warnings.json: enterprise a requires x and y but only x is supplied
 * (by b), and "lonely" has no links.  Warnings are reported per
 * enterprise; the file is valid.  (A link of a part its customer does not
 * list, once a warning, is an error: link_part_not_required.json.)
 */
static void test_warnings(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;

    assert_int_equal(load(GOOD "warnings.json", NULL, &net, &err), CY_OK);
    assert_non_null(net);
    assert_int_equal(err.error_count, 0);
    assert_int_equal(err.warning_count, 2);
    assert_diagnostics(&err, GOOD "warnings.json",
                       LINES("warning: F: $.enterprises[0].requires[1]: no "
                             "supplier of part \"y\" for \"a\"",
                             "warning: F: $.enterprises[2]: enterprise "
                             "\"lonely\" has no links"));
    assert_false(cy_network_single_part(net));
    for (size_t i = 0; i < err.count; i++)
        assert_int_equal(err.items[i].severity, CY_SEV_WARNING);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/* The supply.json fixture, loaded once for the model tests. */
static int setup_supply(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    cy_status status = load(GOOD "supply.json", NULL, &net, &err);
    /* No warnings: every firm has a link, every explicit requirement is
     * supplied, and every link's part is in the customer's requires. */
    if (status != CY_OK || err.count != 0) {
        cy_error_destroy(&err);
        cy_network_free(net);
        return -1;
    }
    cy_error_destroy(&err);
    *state = net;
    return 0;
}

static int teardown_supply(void **state)
{
    cy_network_free(*state);
    return 0;
}

/* Enterprise indices in file order. */
enum { CHANGAN, CATL, CHIPCO, SEATCO, LITHIUM, LOGISTICS, SERES, FUDI, FIRMS };

/*
 * Part indices are given in order of first appearance: changan produces
 * vehicle (0) and requires seat (1), battery (2), chip (3), cell (4),
 * logistics (5); lithium produces lithium (6).  Every other part name
 * repeats one of these.
 */
enum { VEHICLE, SEAT, BATTERY, CHIP, CELL, LOGISTICS_PART, LITHIUM_PART, PARTS };

static void test_accessors(void **state)
{
    const cy_network *net = *state;
    static const char *const ids[FIRMS] = {"changan", "catl", "chipco",
        "seatco", "lithium", "logistics", "seres", "fudi"};
    static const cy_kind kinds[FIRMS] = {CY_KIND_OEM, CY_KIND_SUPPLIER,
        CY_KIND_SUPPLIER, CY_KIND_SUPPLIER, CY_KIND_MATERIAL, CY_KIND_SERVICE,
        CY_KIND_OEM, CY_KIND_SUPPLIER};
    static const int tiers[FIRMS] = {0, 1, 1, 1, 2, -1, 0, 1};
    static const double outputs[FIRMS] = {1.2e11, 5e9, 1.5e9, 4e8, 2e8, 1e7,
                                          3e10, 1.5e9};
    /* regions: chongqing 0, sichuan 1; parks: liangjiang 0, tianfu 1 */
    static const long regions[FIRMS] = {0, 1, 1, -1, 1, -1, 0, 0};
    static const long parks[FIRMS] = {0, -1, 1, -1, -1, -1, 0, -1};
    static const char *const part_names[PARTS] = {"vehicle", "seat",
        "battery", "chip", "cell", "logistics", "lithium"};
    double lon, lat;

    assert_string_equal(cy_network_name(net), "Test supply network");
    assert_non_null(strstr(cy_network_description(net), "Eight firms"));
    assert_int_equal(cy_network_enterprise_count(net), FIRMS);
    assert_int_equal(cy_network_link_count(net), 9);
    assert_int_equal(cy_network_part_count(net), PARTS);
    for (size_t p = 0; p < PARTS; p++)
        assert_string_equal(cy_part_name(net, p), part_names[p]);
    for (size_t i = 0; i < FIRMS; i++) {
        assert_string_equal(cy_enterprise_id(net, i), ids[i]);
        assert_int_equal(cy_enterprise_kind(net, i), kinds[i]);
        assert_int_equal(cy_enterprise_tier(net, i), tiers[i]);
        assert_true(cy_enterprise_output_value(net, i) == outputs[i]);
        assert_int_equal(cy_enterprise_region(net, i), regions[i]);
        assert_int_equal(cy_enterprise_park(net, i), parks[i]);
    }

    /* Names: given, or the id; the optional strings. */
    assert_string_equal(cy_enterprise_name(net, CHANGAN), "Chang'an Automobile");
    assert_string_equal(cy_enterprise_name(net, SEATCO), "seatco");
    assert_string_equal(cy_enterprise_name_zh(net, CHANGAN), "长安汽车");
    assert_null(cy_enterprise_name_zh(net, CATL));
    assert_string_equal(cy_enterprise_uscc(net, CHANGAN), "91500108MA5U3B0R19");
    assert_null(cy_enterprise_uscc(net, CATL));
    assert_string_equal(cy_enterprise_source(net, CHANGAN),
                        "003_1df0ad61f894f5af.txt");
    assert_string_equal(cy_enterprise_source(net, CATL), "illustrative");
    assert_null(cy_enterprise_source(net, CHIPCO));
    assert_true(cy_enterprise_location(net, CHANGAN, &lon, &lat));
    assert_true(lon == 106.55 && lat == 29.57);
    assert_false(cy_enterprise_location(net, CATL, &lon, &lat));

    /* Clusters (cq-auto 0, cd-elec 1), in the order given. */
    assert_int_equal(cy_enterprise_cluster_count(net, CHANGAN), 1);
    assert_int_equal(cy_enterprise_cluster(net, CHANGAN, 0), 0);
    assert_int_equal(cy_enterprise_cluster_count(net, CHIPCO), 2);
    assert_int_equal(cy_enterprise_cluster(net, CHIPCO, 0), 1);
    assert_int_equal(cy_enterprise_cluster(net, CHIPCO, 1), 0);
    assert_int_equal(cy_enterprise_cluster_count(net, CATL), 0);

    /* Produces, in file order. */
    assert_int_equal(cy_enterprise_produces_count(net, CATL), 2);
    assert_int_equal(cy_enterprise_produces(net, CATL, 0), BATTERY);
    assert_int_equal(cy_enterprise_produces(net, CATL, 1), CELL);
    assert_int_equal(cy_enterprise_produces_count(net, LOGISTICS), 1);
    assert_int_equal(cy_enterprise_produces(net, LOGISTICS, 0), LOGISTICS_PART);

    /* Explicit requires, sorted by part index: seat battery chip cell
     * logistics were given in that order, which is 1 2 3 4 5. */
    assert_true(cy_enterprise_requires_explicit(net, CHANGAN));
    assert_int_equal(cy_enterprise_requires_count(net, CHANGAN), 5);
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(cy_enterprise_requires(net, CHANGAN, k), SEAT + k);
    /* Derived requires: the distinct parts of the incoming links.  seres
     * gets battery (catl) and chip (chipco); catl gets lithium; a firm with
     * no incoming links requires nothing. */
    assert_false(cy_enterprise_requires_explicit(net, SERES));
    assert_int_equal(cy_enterprise_requires_count(net, SERES), 2);
    assert_int_equal(cy_enterprise_requires(net, SERES, 0), BATTERY);
    assert_int_equal(cy_enterprise_requires(net, SERES, 1), CHIP);
    assert_false(cy_enterprise_requires_explicit(net, CATL));
    assert_int_equal(cy_enterprise_requires_count(net, CATL), 1);
    assert_int_equal(cy_enterprise_requires(net, CATL, 0), LITHIUM_PART);
    assert_int_equal(cy_enterprise_requires_count(net, FUDI), 0);

    /* Links in file order; share -1 when not given. */
    {
        static const size_t from[9] = {CATL, CATL, SEATCO, CHIPCO, LITHIUM,
                                       FUDI, LOGISTICS, CHIPCO, CATL};
        static const size_t to[9] = {SERES, CHANGAN, CHANGAN, CHANGAN, CATL,
                                     CHANGAN, CHANGAN, SERES, CHANGAN};
        static const size_t part[9] = {BATTERY, CELL, SEAT, CHIP, LITHIUM_PART,
                                       BATTERY, LOGISTICS_PART, CHIP, BATTERY};
        static const double volume[9] = {1e9, 5e8, 4e8, 1e9, 2e8, 1.5e9, 1e7,
                                         2e8, 3e9};
        static const double share[9] = {-1, -1, 0.25, -1, 1, 0.4, -1, -1, 0.6};
        for (size_t j = 0; j < 9; j++) {
            assert_int_equal(cy_link_from(net, j), from[j]);
            assert_int_equal(cy_link_to(net, j), to[j]);
            assert_int_equal(cy_link_part(net, j), part[j]);
            assert_true(cy_link_volume(net, j) == volume[j]);
            assert_true(cy_link_share(net, j) == share[j]);
        }
    }
}

static void test_groups(void **state)
{
    const cy_network *net = *state;

    assert_int_equal(cy_network_group_count(net, CY_GROUP_REGION), 2);
    assert_int_equal(cy_network_group_count(net, CY_GROUP_CLUSTER), 2);
    assert_int_equal(cy_network_group_count(net, CY_GROUP_PARK), 2);
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, 0), "chongqing");
    assert_string_equal(cy_group_name(net, CY_GROUP_REGION, 0), "Chongqing");
    assert_null(cy_group_source(net, CY_GROUP_REGION, 0));
    assert_string_equal(cy_group_source(net, CY_GROUP_REGION, 1), "illustrative");
    assert_int_equal(cy_group_region(net, CY_GROUP_REGION, 0), -1);
    assert_string_equal(cy_group_id(net, CY_GROUP_CLUSTER, 1), "cd-elec");
    assert_string_equal(cy_group_sector(net, 0), "automotive");
    assert_string_equal(cy_group_sector(net, 1), "electronics");
    assert_int_equal(cy_group_region(net, CY_GROUP_CLUSTER, 0), 0);
    assert_int_equal(cy_group_region(net, CY_GROUP_CLUSTER, 1), 1);
    assert_string_equal(cy_group_name(net, CY_GROUP_PARK, 0), "Liangjiang New Area");
    assert_int_equal(cy_group_region(net, CY_GROUP_PARK, 1), 1);
    assert_true(cy_group_demonstration(net, 0));
    assert_false(cy_group_demonstration(net, 1)); /* default false */
    assert_true(net->groups[CY_GROUP_PARK][0].has_location);
    assert_true(net->groups[CY_GROUP_PARK][0].lon == 106.5);
    assert_false(net->groups[CY_GROUP_PARK][1].has_location);

    /* "meta" is kept as given, whatever keys it has ("format", "id", ...). */
    assert_string_equal(json_string_value(json_object_get(net->meta, "format")),
                        "not checked here");
    assert_int_equal(json_integer_value(json_object_get(
                         net->groups[CY_GROUP_CLUSTER][0].meta, "id")), 5);
    assert_string_equal(json_string_value(json_object_get(
                            net->enterprises[CHANGAN].meta, "unknown")),
                        "keys are free here");
    assert_string_equal(json_string_value(json_object_get(net->links[4].meta,
                                                          "contract")), "x");
    assert_null(net->links[0].meta);
}

/*
 * good/demand.json, worked out by hand (format.md, "Derived values"):
 *   firm  output_value  final_demand  outgoing volume  -> final demand  output
 *   car   1000          -             0                   1000 - 0 = 1000  1000
 *   pack  300           -             250 (battery)       300 - 250 = 50   300
 *   cell  100           -             120 (cell)          100 - 120 -> 0   100
 *   chip  -             40            60 (chip)           40 (given)       60 + 40 = 100
 *   lith  -             -             20 (lithium)        0                20 + 0 = 20
 * Total final demand 1090; car, pack and chip have some, so the rule is
 * final_demand and they are the demand nodes.  Capacity: car 1200 and chip
 * 100 (= its output, accepted) as given, the others their output.  Stock:
 * car 10 days, chip 0 (given), the others 0.  Recovery: car 30, lith 5.5,
 * the others absent (-1).  Regions: cq inside (default), sz outside, cd
 * inside (given); lith has no region and counts as inside.
 */
static void test_demand(void **state)
{
    enum { CAR, PACK, CELL, CHIP, LITH, COUNT };
    static const double final_demand[COUNT] = {1000, 50, 0, 40, 0};
    static const double output[COUNT] = {1000, 300, 100, 100, 20};
    static const double capacity[COUNT] = {1200, 300, 100, 100, 20};
    static const double inventory[COUNT] = {10, 0, 0, 0, 0};
    static const double recovery[COUNT] = {30, -1, -1, -1, 5.5};
    static const int demand_node[COUNT] = {1, 1, 0, 1, 0};
    static const int output_given[COUNT] = {1, 1, 1, 0, 0};
    static const int final_given[COUNT] = {0, 0, 0, 1, 0};
    static const int capacity_given[COUNT] = {1, 0, 0, 1, 0};
    static const int inside[COUNT] = {1, 1, 1, 0, 1};
    cy_network *net = NULL;
    cy_error err;
    (void)state;

    assert_int_equal(load(GOOD "demand.json", NULL, &net, &err), CY_OK);
    assert_int_equal(err.count, 0);
    assert_int_equal(cy_network_enterprise_count(net), COUNT);
    for (size_t i = 0; i < COUNT; i++) {
        assert_true(cy_enterprise_final_demand(net, i) == final_demand[i]);
        assert_true(cy_enterprise_output(net, i) == output[i]);
        assert_true(cy_enterprise_capacity(net, i) == capacity[i]);
        assert_true(cy_enterprise_inventory_days(net, i) == inventory[i]);
        assert_true(cy_enterprise_recovery_days(net, i) == recovery[i]);
        assert_int_equal(cy_enterprise_is_demand_node(net, i), demand_node[i]);
        assert_int_equal(cy_enterprise_output_value_given(net, i), output_given[i]);
        assert_int_equal(cy_enterprise_final_demand_given(net, i), final_given[i]);
        assert_int_equal(cy_enterprise_capacity_given(net, i), capacity_given[i]);
        assert_int_equal(cy_enterprise_inside(net, i), inside[i]);
    }
    assert_int_equal(cy_network_demand_rule(net), CY_DEMAND_FINAL_DEMAND);
    assert_string_equal(cy_demand_rule_name(cy_network_demand_rule(net)),
                        "final_demand");
    assert_int_equal(cy_network_demand_node_count(net), 3);
    assert_true(cy_network_final_demand_total(net) == 1090);
    assert_true(cy_network_has_stress_data(net));
    assert_string_equal(cy_network_currency(net), "CNY");
    assert_true(cy_region_inside(net, 0));
    assert_false(cy_region_inside(net, 1));
    assert_true(cy_region_inside(net, 2));
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * No firm has final demand (part-co's output_value 5 is all delivered, 5
 * + 1 > 5 floors at 0): the rule is oem, and both OEMs are demand nodes.
 * Without OEMs either, the firms with no outgoing link (z) are.  Neither
 * file has stress data; the first says its currency.
 */
static void test_demand_rules(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;

    assert_int_equal(load(GOOD "demand_oem.json", NULL, &net, &err), CY_OK);
    assert_int_equal(cy_network_demand_rule(net), CY_DEMAND_OEM);
    assert_string_equal(cy_demand_rule_name(CY_DEMAND_OEM), "oem");
    assert_int_equal(cy_network_demand_node_count(net), 2);
    assert_true(cy_enterprise_is_demand_node(net, 0));
    assert_false(cy_enterprise_is_demand_node(net, 1));
    assert_true(cy_enterprise_is_demand_node(net, 2));
    assert_true(cy_enterprise_final_demand(net, 1) == 0);
    assert_true(cy_enterprise_output(net, 1) == 5);
    assert_true(cy_network_final_demand_total(net) == 0);
    assert_false(cy_network_has_stress_data(net));
    assert_string_equal(cy_network_currency(net), "USD");
    cy_network_free(net);
    cy_error_destroy(&err);

    assert_int_equal(load(GOOD "demand_no_customer.json", NULL, &net, &err), CY_OK);
    assert_int_equal(cy_network_demand_rule(net), CY_DEMAND_NO_CUSTOMER);
    assert_string_equal(cy_demand_rule_name(CY_DEMAND_NO_CUSTOMER), "no_customer");
    assert_int_equal(cy_network_demand_node_count(net), 1);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(cy_enterprise_is_demand_node(net, i), i == 2);
    /* x: output_value 10, all delivered: no final demand; y: no volumes. */
    assert_true(cy_enterprise_final_demand(net, 0) == 0);
    assert_true(cy_enterprise_output(net, 0) == 10);
    assert_true(cy_enterprise_output(net, 1) == 0);
    cy_network_free(net);
    cy_error_destroy(&err);

    /* An empty network has no demand node under the last rule. */
    assert_int_equal(load(GOOD "empty.json", NULL, &net, &err), CY_OK);
    assert_int_equal(cy_network_demand_rule(net), CY_DEMAND_NO_CUSTOMER);
    assert_int_equal(cy_network_demand_node_count(net), 0);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * The rules over the links give the same messages, in the same order,
 * whether the records are valid (checked with the adjacency index) or not
 * (checked with sorts of their own): link_rules_with_record_errors.json
 * with its two record problems mended ends with the same three lines.
 */
static void test_link_rules_both_ways(void **state)
{
    size_t size;
    char *text = read_text_file(BAD "link_rules_with_record_errors.json", &size);
    char *mended = malloc(size + 16), *at;
    cy_network *net = NULL;
    cy_error with_errors, without;
    (void)state;

    assert_non_null(mended);
    strcpy(mended, text);
    at = strstr(mended, "\"vehicle maker\"");
    memcpy(at, "\"oem\"", 5);
    memmove(at + 5, at + 15, strlen(at + 15) + 1);
    at = strstr(mended, "\"nobody\"");
    memcpy(at, "\"car\"", 5);
    memmove(at + 5, at + 8, strlen(at + 8) + 1);
    assert_int_equal(load_text(text, "doc", &net, &with_errors), CY_EINPUT);
    assert_int_equal(load_text(mended, "doc", &net, &without), CY_EINPUT);
    assert_int_equal(with_errors.count, 5);
    assert_int_equal(without.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char *x = cy_error_format(&with_errors, i + 2), *y = cy_error_format(&without, i);
        assert_string_equal(x, y);
        cy_free(x);
        cy_free(y);
    }
    cy_error_destroy(&with_errors);
    cy_error_destroy(&without);
    free(text);
    free(mended);
}

/*
 * Ten firms whose links all carry "goods": valid, with a warning and the
 * flag; nine such firms are too few to say.
 */
static void test_single_part(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    char *text, *nine, *cut;
    size_t size;
    (void)state;

    assert_int_equal(load(GOOD "single_part.json", NULL, &net, &err), CY_OK);
    assert_true(cy_network_single_part(net));
    assert_diagnostics(&err, GOOD "single_part.json", LINES(
        "warning: F: $.links: all 10 links carry the same part, \"goods\": "
        "part-level results (single sourcing, concentration, recommendations) "
        "are not meaningful for this network"));
    cy_network_free(net);
    cy_error_destroy(&err);

    /* Without f9 (its record and its two links). */
    text = read_text_file(GOOD "single_part.json", &size);
    nine = malloc(size + 1);
    assert_non_null(nine);
    strcpy(nine, text);
    cut = strstr(nine, ", {\"id\": \"f9\"");
    assert_non_null(cut);
    memmove(cut, strchr(cut + 1, '}') + 1, strlen(strchr(cut + 1, '}') + 1) + 1);
    cut = strstr(nine, ",\n    {\"from\": \"f9\"");
    assert_non_null(cut);
    strcpy(cut, "\n  ]\n}\n");
    assert_int_equal(load_text(nine, "nine", &net, &err), CY_OK);
    assert_int_equal(cy_network_enterprise_count(net), 9);
    assert_int_equal(cy_network_link_count(net), 8);
    assert_false(cy_network_single_part(net));
    assert_int_equal(err.count, 0);
    cy_network_free(net);
    cy_error_destroy(&err);
    free(text);
    free(nine);
}

/*
 * A currency of the right shape that ISO 4217 does not have is accepted
 * with a warning; "RMB", the usual mistake, names the right code.
 */
static void test_currency_warning(void **state)
{
    static const char *const codes[] = {"RMB", "XYZ", "EUR"};
    static const char *const warnings[] = {
        "warning: doc: $.currency: \"RMB\" is not an ISO 4217 currency code "
        "known to chengyu (the renminbi is \"CNY\")",
        "warning: doc: $.currency: \"XYZ\" is not an ISO 4217 currency code "
        "known to chengyu",
        NULL};
    (void)state;

    for (size_t k = 0; k < 3; k++) {
        char text[160];
        cy_network *net = NULL;
        cy_error err;
        snprintf(text, sizeof text, "{\"format\": \"chengyu/1\", \"name\": "
                 "\"n\", \"currency\": \"%s\", \"enterprises\": [], "
                 "\"links\": []}", codes[k]);
        assert_int_equal(load_text(text, "doc", &net, &err), CY_OK);
        assert_string_equal(cy_network_currency(net), codes[k]);
        if (warnings[k]) {
            char *line;
            assert_int_equal(err.count, 1);
            line = cy_error_format(&err, 0);
            assert_string_equal(line, warnings[k]);
            cy_free(line);
        } else {
            assert_int_equal(err.count, 0);
        }
        cy_network_free(net);
        cy_error_destroy(&err);
    }
}

/* Every id maps back to its index; a lookup never crosses kinds. */
static void test_lookups(void **state)
{
    const cy_network *net = *state;
    size_t index = 99;

    for (size_t i = 0; i < FIRMS; i++) {
        assert_true(cy_network_find_enterprise(net, cy_enterprise_id(net, i),
                                               &index));
        assert_int_equal(index, i);
    }
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        for (size_t g = 0; g < cy_network_group_count(net, (cy_group_kind)k); g++) {
            const char *id = cy_group_id(net, (cy_group_kind)k, g);
            assert_true(cy_network_find_group(net, (cy_group_kind)k, id, &index));
            assert_int_equal(index, g);
            assert_false(cy_network_find_enterprise(net, id, NULL));
            assert_false(cy_network_find_group(net, (cy_group_kind)((k + 1) % 3),
                                               id, NULL));
        }
    }
    assert_false(cy_network_find_group(net, CY_GROUP_PARK, "changan", NULL));
    assert_false(cy_network_find_enterprise(net, "changa", NULL));
    assert_false(cy_network_find_enterprise(net, "changann", NULL));
    assert_false(cy_network_find_enterprise(net, "", NULL));
    for (size_t p = 0; p < PARTS; p++) {
        assert_true(cy_network_find_part(net, cy_part_name(net, p), &index));
        assert_int_equal(index, p);
    }
    assert_false(cy_network_find_part(net, "changan", NULL));
    /* Ids are not part names, nor the other way round. */
    assert_false(cy_network_find_enterprise(net, "battery", NULL));
    /* "logistics" is both an enterprise and a part: two namespaces. */
    assert_true(cy_network_find_enterprise(net, "logistics", &index));
    assert_int_equal(index, LOGISTICS);
    assert_true(cy_network_find_part(net, "logistics", &index));
    assert_int_equal(index, LOGISTICS_PART);
}

/*
 * The firm graph has one edge per (supplier, customer) pair, ascending:
 *   (catl, changan)   links 1 + 8: 5e8 + 3e9 = 3.5e9
 *   (catl, seres)     link 0: 1e9
 *   (chipco, changan) link 3: 1e9
 *   (chipco, seres)   link 7: 2e8
 *   (seatco, changan) link 2: 4e8
 *   (lithium, catl)   link 4: 2e8
 *   (logistics, changan) link 6: 1e7
 *   (fudi, changan)   link 5: 1.5e9
 * so 8 edges for 9 links.
 */
static void test_firm_graph(void **state)
{
    const cy_network *net = *state;
    static const size_t from[8] = {CATL, CATL, CHIPCO, CHIPCO, SEATCO,
                                   LITHIUM, LOGISTICS, FUDI};
    static const size_t to[8] = {CHANGAN, SERES, CHANGAN, SERES, CHANGAN,
                                 CATL, CHANGAN, CHANGAN};
    static const double volume[8] = {3.5e9, 1e9, 1e9, 2e8, 4e8, 2e8, 1e7,
                                     1.5e9};
    static const size_t link_edge[9] = {1, 0, 4, 2, 5, 7, 6, 3, 0};
    igraph_integer_t a, b;

    assert_true(igraph_is_directed(&net->firm_graph));
    assert_int_equal(igraph_vcount(&net->firm_graph), FIRMS);
    assert_int_equal(igraph_ecount(&net->firm_graph), 8);
    assert_int_equal(igraph_vector_size(&net->firm_volume), 8);
    for (igraph_integer_t e = 0; e < 8; e++) {
        assert_int_equal(igraph_edge(&net->firm_graph, e, &a, &b), IGRAPH_SUCCESS);
        assert_int_equal(a, from[e]);
        assert_int_equal(b, to[e]);
        assert_true(VECTOR(net->firm_volume)[e] == volume[e]);
    }
    for (size_t j = 0; j < 9; j++)
        assert_int_equal(net->link_firm_edge[j], link_edge[j]);
}

/*
 * Incoming links per customer sorted by (part, supplier).  changan's links
 * are 1 (cell 4, catl 1), 2 (seat 1, seatco 3), 3 (chip 3, chipco 2),
 * 5 (battery 2, fudi 7), 6 (logistics 5, logistics 5), 8 (battery 2,
 * catl 1): by part then supplier 2, 8, 5, 3, 1, 6 (battery from catl
 * before fudi although fudi's link comes first in the file).  catl: 4;
 * seres: 0 (battery), 7 (chip).
 * Outgoing links per supplier sorted by (customer, part): catl has 0
 * (seres 6, battery 2), 1 (changan 0, cell 4), 8 (changan 0, battery 2):
 * 8, 1, 0; chipco 3, 7; seatco 2; lithium 4; logistics 6; fudi 5.
 */
static void test_adjacency(void **state)
{
    const cy_network *net = *state;
    static const size_t in_offset[FIRMS + 1] = {0, 6, 7, 7, 7, 7, 7, 9, 9};
    static const size_t in_links[9] = {2, 8, 5, 3, 1, 6, 4, 0, 7};
    static const size_t out_offset[FIRMS + 1] = {0, 0, 3, 5, 6, 7, 8, 8, 9};
    static const size_t out_links[9] = {8, 1, 0, 3, 7, 2, 4, 6, 5};
    size_t first;

    for (size_t i = 0; i <= FIRMS; i++) {
        assert_int_equal(net->in_offset[i], in_offset[i]);
        assert_int_equal(net->out_offset[i], out_offset[i]);
    }
    for (size_t k = 0; k < 9; k++) {
        assert_int_equal(net->in_links[k], in_links[k]);
        assert_int_equal(net->out_links[k], out_links[k]);
    }
    /* cy_i_part_suppliers: changan gets battery from 2 suppliers, at
     * in_links[1..3); seat from 1; vehicle from none. */
    assert_int_equal(cy_i_part_suppliers(net, CHANGAN, BATTERY, &first), 2);
    assert_int_equal(first, 1);
    assert_int_equal(cy_i_part_suppliers(net, CHANGAN, SEAT, &first), 1);
    assert_int_equal(first, 0);
    assert_int_equal(cy_i_part_suppliers(net, CHANGAN, LOGISTICS_PART, &first), 1);
    assert_int_equal(first, 5);
    assert_int_equal(cy_i_part_suppliers(net, CHANGAN, VEHICLE, NULL), 0);
    assert_int_equal(cy_i_part_suppliers(net, SERES, CHIP, &first), 1);
    assert_int_equal(first, 8);
    assert_int_equal(cy_i_part_suppliers(net, FUDI, BATTERY, NULL), 0);
}

/*
 * No regions declared: chongqing (cluster cq-auto), chengdu (park tianfu)
 * and mianyang (enterprise c) become regions in order of first reference,
 * named after their ids.
 */
static void test_implicit_regions(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    size_t g;
    (void)state;

    assert_int_equal(load(GOOD "implicit_regions.json", NULL, &net, &err), CY_OK);
    assert_int_equal(err.count, 0);
    assert_int_equal(cy_network_group_count(net, CY_GROUP_REGION), 3);
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, 0), "chongqing");
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, 1), "chengdu");
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, 2), "mianyang");
    assert_string_equal(cy_group_name(net, CY_GROUP_REGION, 2), "mianyang");
    assert_true(net->groups[CY_GROUP_REGION][0].implicit);
    assert_int_equal(cy_group_region(net, CY_GROUP_CLUSTER, 0), 0);
    assert_int_equal(cy_group_region(net, CY_GROUP_PARK, 0), 1);
    assert_int_equal(cy_enterprise_region(net, 0), 0);
    assert_int_equal(cy_enterprise_region(net, 1), 1);
    assert_int_equal(cy_enterprise_region(net, 2), 2);
    assert_true(cy_network_find_group(net, CY_GROUP_REGION, "mianyang", &g));
    assert_int_equal(g, 2);
    assert_false(cy_network_find_enterprise(net, "mianyang", NULL));
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * Make allocation k of loading `path` fail, for every k up to the number a
 * normal load makes.  Each run must end in CY_ENOMEM, or in the normal
 * status with err.oom set (the failed allocation was a diagnostic being
 * recorded, which is dropped); never a crash, and a network only on
 * CY_OK.  A run that ends in the normal status with nothing dropped hid
 * its failure (only the streaming pass's room and shrink may,
 * test_streaming_room_refused): it must give the normal answer, the same
 * diagnostics and network.  Leaks are caught by the ASan and valgrind runs
 * of this test.
 */
static void assert_same_network(const cy_network *a, const cy_network *b);

/* The diagnostics of err, one line each (to compare two runs). */
static char *diagnostics_text(const cy_error *err)
{
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    assert_non_null(out);
    for (size_t k = 0; k < err->count; k++)
        fprintf(out, "%d %s %d:%d %s\n", (int)err->items[k].severity,
                err->items[k].path ? err->items[k].path : "-", err->items[k].line,
                err->items[k].column, err->items[k].message);
    assert_int_equal(fclose(out), 0);
    return text;
}

static void check_allocation_failures_of(const char *path, cy_status normal,
                                         int check_only)
{
    long total, absorbed = 0;
    cy_network *net = NULL, *expected = NULL;
    cy_error err;
    size_t enterprise_count, link_count, expected_enterprises = 0, expected_links = 0;
    char *expected_text;

    cy_library_init();
    cy_alloc_fail_after(-1, 0);
    cy_error_init(&err);
    assert_int_equal(check_only ? cy_network_check(path, NULL, &expected_enterprises,
                                                   &expected_links, &err)
                                : cy_network_load(path, NULL, &expected, &err),
                     normal);
    total = cy_alloc_count();
    expected_text = diagnostics_text(&err);
    cy_error_destroy(&err);
    assert_true(total > 5);

    for (long k = 0; k < total; k++) {
        cy_status status;
        cy_error_init(&err);
        net = NULL;
        cy_alloc_fail_after(k, 0);
        status = check_only ? cy_network_check(path, NULL, &enterprise_count,
                                               &link_count, &err)
                            : cy_network_load(path, NULL, &net, &err);
        cy_alloc_fail_after(-1, 0);
        if (status != CY_ENOMEM && status != normal)
            print_error("%s: allocation %ld of %ld failed: status %d, oom %d\n",
                        path, k, total, (int)status, err.oom);
        assert_true(status == CY_ENOMEM || status == normal);
        if (status == normal && !err.oom) {
            char *text = diagnostics_text(&err);
            absorbed++;
            assert_string_equal(text, expected_text);
            free(text);
            if (status == CY_OK && !check_only)
                assert_same_network(net, expected);
            if (status == CY_OK && check_only) {
                assert_int_equal(enterprise_count, expected_enterprises);
                assert_int_equal(link_count, expected_links);
            }
        }
        if (status == CY_OK)
            cy_network_free(net);
        else
            assert_null(net);
        if (check_only && status != CY_OK) {
            assert_int_equal(enterprise_count, 0);
            assert_int_equal(link_count, 0);
        }
        cy_error_destroy(&err);
    }
    assert_true(absorbed <= 4);
    cy_network_free(expected);
    free(expected_text);
}

/* Both the full load and the check, which stops before the graphs. */
static void check_allocation_failures(const char *path, cy_status normal)
{
    check_allocation_failures_of(path, normal, 0);
    check_allocation_failures_of(path, normal, 1);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    check_allocation_failures(GOOD "supply.json", CY_OK);
    check_allocation_failures(GOOD "warnings.json", CY_OK);
    check_allocation_failures(GOOD "implicit_regions.json", CY_OK);
    check_allocation_failures(GOOD "demand.json", CY_OK);
    check_allocation_failures(BAD "capacity_below_output.json", CY_EINPUT);
    check_allocation_failures(BAD "link_part_not_required.json", CY_EINPUT);
    check_allocation_failures(BAD "shares_over_one.json", CY_EINPUT);
    check_allocation_failures(BAD "did_you_mean.json", CY_EINPUT);
    check_allocation_failures(BAD "wrong_kind_reference.json", CY_EINPUT);
    check_allocation_failures(BAD "duplicate_link.json", CY_EINPUT);
    check_allocation_failures(BAD "not_json.json", CY_EINPUT);
}

/* ---- the curated dataset ------------------------------------------------ */

/* data/chengdu-chongqing.json loads without errors (warnings are allowed:
 * it has required parts with no supplier in the dataset). */
static void test_curated_dataset(void **state)
{
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    assert_int_equal(load("data/chengdu-chongqing.json", NULL, &net, &err), CY_OK);
    assert_int_equal(err.error_count, 0);
    assert_true(cy_network_enterprise_count(net) > 0);
    assert_true(cy_network_link_count(net) > 0);
    cy_network_free(net);
    cy_error_destroy(&err);
}

static int group_setup(void **state)
{
    (void)state;
    /* Fixture paths are relative to the source tree, whatever the cwd. */
    return chdir(CY_SOURCE_DIR) == 0 ? 0 : -1;
}

/* ---- the streaming pass against the DOM path ----------------------------- */

/*
 * load.c reads a file in dependency order a record at a time and leaves
 * anything else to the DOM path, which defines what a file means.  These
 * tests load the same document both ways (its top-level keys reordered so
 * that "links" comes first, which the streaming pass never takes) and
 * require the two models, every field of every record, the id and part
 * tables, the indexes, the graphs and the warnings, to be identical.
 */

static void assert_same_string(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_same_json(json_t *a, json_t *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_true(json_equal(a, b));
}

static void assert_same_sizes(const size_t *a, const size_t *b, size_t count)
{
    for (size_t i = 0; i < count; i++)
        assert_int_equal(a[i], b[i]);
}

static void assert_same_strtab(const cy_i_strtab *a, const cy_i_strtab *b)
{
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        assert_string_equal(a->strings[i], b->strings[i]);
}

/* Every field of the two models is equal (doubles bit for bit). */
static void assert_same_network(const cy_network *a, const cy_network *b)
{
    assert_same_string(a->name, b->name);
    assert_same_string(a->description, b->description);
    assert_string_equal(a->currency, b->currency);
    assert_int_equal(a->demand_rule, b->demand_rule);
    assert_int_equal(a->demand_node_count, b->demand_node_count);
    assert_memory_equal(&a->final_demand_total, &b->final_demand_total,
                        sizeof a->final_demand_total);
    assert_int_equal(a->has_stress_data, b->has_stress_data);
    assert_same_json(a->meta, b->meta);
    assert_same_strtab(&a->ids, &b->ids);
    for (size_t k = 0; k < a->ids.count; k++) {
        assert_int_equal(a->owners[k].kind, b->owners[k].kind);
        assert_int_equal(a->owners[k].index, b->owners[k].index);
        assert_int_equal(a->owners[k].json_index, b->owners[k].json_index);
    }
    assert_same_strtab(&a->parts, &b->parts);
    for (int kind = 0; kind < CY_GROUP_KIND_COUNT; kind++) {
        assert_int_equal(a->group_count[kind], b->group_count[kind]);
        for (size_t g = 0; g < a->group_count[kind]; g++) {
            const cy_i_group *x = &a->groups[kind][g], *y = &b->groups[kind][g];
            assert_string_equal(x->id, y->id);
            assert_same_string(x->name, y->name);
            assert_same_string(x->source, y->source);
            assert_int_equal(x->region, y->region);
            assert_same_string(x->sector, y->sector);
            assert_int_equal(x->demonstration, y->demonstration);
            assert_int_equal(x->has_location, y->has_location);
            assert_memory_equal(&x->lon, &y->lon, sizeof x->lon);
            assert_memory_equal(&x->lat, &y->lat, sizeof x->lat);
            assert_int_equal(x->implicit, y->implicit);
            assert_int_equal(x->inside, y->inside);
            assert_same_json(x->meta, y->meta);
        }
    }
    assert_int_equal(a->enterprise_count, b->enterprise_count);
    for (size_t i = 0; i < a->enterprise_count; i++) {
        const cy_i_enterprise *x = &a->enterprises[i], *y = &b->enterprises[i];
        assert_string_equal(x->id, y->id);
        assert_same_string(x->name, y->name);
        assert_same_string(x->name_zh, y->name_zh);
        assert_same_string(x->uscc, y->uscc);
        assert_same_string(x->source, y->source);
        assert_int_equal(x->kind, y->kind);
        assert_int_equal(x->tier, y->tier);
        assert_int_equal(x->region, y->region);
        assert_int_equal(x->park, y->park);
        assert_int_equal(x->cluster_count, y->cluster_count);
        assert_same_sizes(x->clusters, y->clusters, x->cluster_count);
        assert_int_equal(x->produces_count, y->produces_count);
        assert_same_sizes(x->produces, y->produces, x->produces_count);
        assert_int_equal(x->requires_count, y->requires_count);
        assert_same_sizes(x->requires, y->requires, x->requires_count);
        assert_int_equal(x->requires_explicit, y->requires_explicit);
        assert_memory_equal(&x->output_value, &y->output_value, sizeof x->output_value);
        assert_int_equal(x->has_output_value, y->has_output_value);
        assert_int_equal(x->has_final_demand, y->has_final_demand);
        assert_int_equal(x->has_capacity, y->has_capacity);
        assert_int_equal(x->has_inventory_days, y->has_inventory_days);
        assert_memory_equal(&x->inventory_days, &y->inventory_days, sizeof x->inventory_days);
        assert_memory_equal(&x->recovery_days, &y->recovery_days, sizeof x->recovery_days);
        assert_memory_equal(&x->out_volume, &y->out_volume, sizeof x->out_volume);
        assert_memory_equal(&x->output, &y->output, sizeof x->output);
        assert_memory_equal(&x->final_demand, &y->final_demand, sizeof x->final_demand);
        assert_memory_equal(&x->capacity, &y->capacity, sizeof x->capacity);
        assert_int_equal(x->demand_node, y->demand_node);
        assert_int_equal(x->has_location, y->has_location);
        assert_memory_equal(&x->lon, &y->lon, sizeof x->lon);
        assert_memory_equal(&x->lat, &y->lat, sizeof x->lat);
        assert_same_json(x->meta, y->meta);
    }
    assert_int_equal(a->link_count, b->link_count);
    for (size_t j = 0; j < a->link_count; j++) {
        const cy_i_link *x = &a->links[j], *y = &b->links[j];
        assert_int_equal(x->from, y->from);
        assert_int_equal(x->to, y->to);
        assert_int_equal(x->part, y->part);
        assert_memory_equal(&x->volume, &y->volume, sizeof x->volume);
        assert_memory_equal(&x->share, &y->share, sizeof x->share);
        assert_same_string(x->source, y->source);
        assert_same_json(x->meta, y->meta);
    }
    assert_same_sizes(a->in_offset, b->in_offset, a->enterprise_count + 1);
    assert_same_sizes(a->in_links, b->in_links, a->link_count);
    assert_same_sizes(a->out_offset, b->out_offset, a->enterprise_count + 1);
    assert_same_sizes(a->out_links, b->out_links, a->link_count);
    assert_same_sizes(a->link_firm_edge, b->link_firm_edge, a->link_count);
    assert_int_equal(igraph_ecount(&a->firm_graph), igraph_ecount(&b->firm_graph));
    assert_true(igraph_vector_all_e(&a->firm_volume, &b->firm_volume));
}

/* The same diagnostics, formatted, in the same order. */
static void assert_same_diagnostics(const cy_error *a, const cy_error *b)
{
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->error_count, b->error_count);
    assert_int_equal(a->warning_count, b->warning_count);
    for (size_t i = 0; i < a->count; i++) {
        char *x = cy_error_format(a, i), *y = cy_error_format(b, i);
        assert_non_null(x);
        assert_non_null(y);
        assert_string_equal(x, y);
        cy_free(x);
        cy_free(y);
    }
}

/* `doc`'s members with `first` moved to the front (a new object). */
static json_t *reordered(json_t *doc, const char *const *first)
{
    json_t *out = json_object(), *value;
    const char *key;
    assert_non_null(out);
    for (const char *const *k = first; *k; k++)
        if ((value = json_object_get(doc, *k)))
            assert_int_equal(json_object_set(out, *k, value), 0);
    json_object_foreach(doc, key, value)
        if (!json_object_get(out, key))
            assert_int_equal(json_object_set(out, key, value), 0);
    return out;
}

/* Load `size` bytes named `name`; the status, the network, the diagnostics. */
static cy_status load_bytes(const char *text, size_t size, const char *name,
                            cy_network **net, cy_error *err)
{
    cy_error_init(err);
    return cy_network_load_buffer(text, size, name, net, err);
}

/*
 * Load `text` as is, reindented and with "links" first; all three must
 * agree.  `streamed`: whether the text as is must take the streaming pass.
 */
static void check_both_ways(const char *text, size_t size, int streamed)
{
    static const char *const links_first[] = {"links", "enterprises", NULL};
    json_error_t jerr;
    json_t *doc = json_loadb(text, size, 0, &jerr), *moved;
    char *indented, *dom;
    cy_network *as_is = NULL, *reindented = NULL, *by_dom = NULL;
    cy_error err_as_is, err_reindented, err_dom;
    cy_status status;

    assert_non_null(doc);
    indented = json_dumps(doc, JSON_INDENT(3) | JSON_REAL_PRECISION(17));
    moved = reordered(doc, links_first);
    dom = json_dumps(moved, JSON_COMPACT | JSON_REAL_PRECISION(17));
    assert_non_null(indented);
    assert_non_null(dom);

    status = load_bytes(text, size, "doc", &as_is, &err_as_is);
    assert_int_equal(load_bytes(indented, strlen(indented), "doc", &reindented,
                                &err_reindented), status);
    assert_int_equal(load_bytes(dom, strlen(dom), "doc", &by_dom, &err_dom), status);
    assert_same_diagnostics(&err_as_is, &err_dom);
    /* Reindenting moves lines: positions of parse errors may differ, but
     * no valid document has any. */
    if (status == CY_OK) {
        assert_int_equal(as_is->streamed, streamed);
        assert_int_equal(reindented->streamed, streamed);
        assert_int_equal(by_dom->streamed, 0);
        assert_same_network(as_is, by_dom);
        assert_same_network(reindented, by_dom);
        assert_same_diagnostics(&err_reindented, &err_dom);
    }
    cy_network_free(as_is);
    cy_network_free(reindented);
    cy_network_free(by_dom);
    cy_error_destroy(&err_as_is);
    cy_error_destroy(&err_reindented);
    cy_error_destroy(&err_dom);
    json_decref(doc);
    json_decref(moved);
    free(indented);
    free(dom);
}

static void check_file_both_ways(const char *path, int streamed)
{
    size_t size;
    char *text = read_text_file(path, &size);
    check_both_ways(text, size, streamed);
    free(text);
}

/*
 * Valid files the project ships, and a generated regional network (1,645
 * firms).  All take the streaming pass but implicit_regions.json, whose
 * parks refer to regions it does not declare.
 */
static void test_streaming_matches_dom(void **state)
{
    static const struct {
        const char *path;
        int streamed;
    } files[] = {
        {"data/chengdu-chongqing.json", 1},
        {GOOD "supply.json", 1},
        {GOOD "warnings.json", 1},
        {GOOD "empty.json", 1},
        {GOOD "implicit_regions.json", 0},
        {GOOD "demand.json", 1},
        {GOOD "demand_oem.json", 1},
        {GOOD "demand_no_customer.json", 1},
        {"graphs/weaklinks.json", 1},
        {"graphs/groups.json", 1},
        {"graphs/cascade-battery.json", 1},
        {"graphs/karate.json", 1},
        {"graphs/cascade-shares.json", 1},
    };
    cy_generate_params params = {CY_PRESET_REGIONAL, 1, 0, 0, 0};
    char *generated = NULL;
    size_t generated_size = 0;
    FILE *out;
    cy_error err;
    (void)state;

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        check_file_both_ways(files[i].path, files[i].streamed);

    out = open_memstream(&generated, &generated_size);
    assert_non_null(out);
    cy_error_init(&err);
    assert_int_equal(cy_generate(&params, out, &err), CY_OK);
    assert_int_equal(fclose(out), 0);
    cy_error_destroy(&err);
    check_both_ways(generated, generated_size, 1);
    free(generated);
}

/*
 * The streaming pass starts each record array with room estimated from
 * the text left, at most 32 MB (load_stream.c, reserve_records): 131,072
 * enterprises of 256 bytes.  140,000 short enterprises outgrow it, and the
 * array, grown past the room, holds what the DOM path loads, on one
 * thread and on two.
 */
static void test_streaming_outgrows_room(void **state)
{
    enum { FIRMS = 140000 };
    size_t cap = (size_t)FIRMS * 48 + 256, size;
    char *text = malloc(cap), *p = text;
    (void)state;
    assert_non_null(text);
    p += sprintf(p, "{\"format\": \"chengyu/1\", \"name\": \"n\", \"enterprises\": [");
    for (size_t i = 0; i < FIRMS; i++)
        p += sprintf(p, "%s{\"id\":\"e%06zu\",\"kind\":\"%s\"}", i ? "," : "", i,
                     i == 1 ? "oem" : "supplier");
    p += sprintf(p, "], \"links\": [{\"from\": \"e000000\", \"to\": \"e000001\", "
                    "\"part\": \"p\"}]}");
    size = (size_t)(p - text);
    assert_true(size < cap);
    assert_true(sizeof(cy_i_enterprise) * FIRMS > (size_t)32 << 20);
    for (size_t threads = 1; threads <= 2; threads++) {
        cy_threads_set(threads);
        check_both_ways(text, size, 1);
    }
    cy_threads_set(0);
    free(text);
}

/*
 * The streaming pass's room for each record array (reserve_records) and
 * its shrink once the array is read (fit_records) may be refused without
 * harm: with each allocation of a streamed load failing in turn, exactly
 * those four failures still load, into the network a load without
 * failures gives; every other failure is "out of memory".
 */
static void test_streaming_room_refused(void **state)
{
    cy_network *normal = NULL;
    cy_error err;
    long total, absorbed = 0;
    (void)state;

    cy_library_init();
    cy_threads_set(1);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(load(GOOD "supply.json", NULL, &normal, &err), CY_OK);
    cy_error_destroy(&err);
    assert_int_equal(normal->streamed, 1);
    total = cy_alloc_count();
    for (long k = 0; k < total; k++) {
        cy_network *net = NULL;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(k, 0);
        status = cy_network_load(GOOD "supply.json", NULL, &net, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK && !err.oom) {
            absorbed++;
            assert_same_network(net, normal);
        } else {
            assert_true(status == CY_ENOMEM || err.oom);
        }
        cy_network_free(net);
        cy_error_destroy(&err);
    }
    cy_threads_set(0);
    cy_network_free(normal);
    assert_int_equal(absorbed, 4);
}

/*
 * A document with `count` copies of `unit` (with commas) as the value `x`
 * of the meta in one place: "top" (the file's meta), "record" (enterprise
 * b's, after an invalid enterprise a when `invalid`), or "late" (b's, with
 * the links before the enterprises: read as a whole document).
 */
static char *meta_document(const char *where, const char *unit, size_t count,
                           int invalid)
{
    size_t unit_length = strlen(unit), size = count * (unit_length + 1) + 512;
    char *text = malloc(size), *p = text, *meta;
    const char *links = "\"links\": [{\"from\": \"a\", \"to\": \"b\", \"part\": \"p\"}]";
    assert_non_null(text);
    meta = malloc(count * (unit_length + 1) + 16);
    assert_non_null(meta);
    {
        char *m = meta;
        m += sprintf(m, "{\"x\": [");
        for (size_t i = 0; i < count; i++) {
            memcpy(m, unit, unit_length);
            m += unit_length;
            *m++ = i + 1 < count ? ',' : ']';
        }
        sprintf(m, "}");
    }
    int top = strcmp(where, "top") == 0, late = strcmp(where, "late") == 0;
    p += sprintf(p, "{\"format\": \"chengyu/1\", \"name\": \"n\", %s%s%s",
                 late ? links : "", late ? ", " : "", top ? "\"meta\": " : "");
    if (top)
        p += sprintf(p, "%s, ", meta);
    p += sprintf(p, "\"enterprises\": [{\"id\": \"a\", \"kind\": \"%s\", "
                    "\"produces\": [\"p\"]}, {\"id\": \"b\", \"kind\": \"oem\"%s",
                 invalid ? "nonsense" : "supplier", top ? "" : ", \"meta\": ");
    if (!top)
        p += sprintf(p, "%s", meta);
    sprintf(p, "}]%s%s}", late ? "" : ", ", late ? "" : links);
    free(meta);
    return text;
}

/*
 * Jansson's trees cost many times their text; the loader refuses a file
 * whose values pass 24 bytes per byte of text + 16 MiB, naming the value
 * (a top-level value or a record), on the streaming path, on the
 * whole-document path (an invalid file, a file with its links first) and
 * when a record's meta is copied out of the record arena.  The same
 * shapes, a tenth as many, load.
 */
static void test_json_budget(void **state)
{
    static const struct {
        const char *where, *unit;
        int invalid;
        const char *path;
    } cases[] = {
        {"top", "{}", 0, "$.meta"},
        {"top", "[]", 0, "$.meta"},
        {"top", "[{}]", 0, "$.meta"},
        {"record", "{}", 0, "$.enterprises[1]"},
        {"record", "[[]]", 0, "$.enterprises[1]"},
        {"record", "{}", 1, "$.enterprises[1]"},
        {"late", "{}", 0, "$.enterprises[1]"},
    };
    (void)state;
    cy_library_init();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (size_t count = 10000; count <= 400000; count *= 40) {
            char *text = meta_document(cases[i].where, cases[i].unit, count,
                                       cases[i].invalid);
            size_t size = strlen(text);
            char expected[256];
            cy_network *net = NULL;
            cy_error err;
            cy_status status = load_bytes(text, size, "doc", &net, &err);
            if (count > 10000) {
                snprintf(expected, sizeof expected,
                         "too large to read: its JSON values need more than "
                         "%zu MiB of memory (24 bytes per byte of the file, "
                         "plus 16 MiB)", (size * 24 + ((size_t)16 << 20)) >> 20);
                assert_int_equal(status, CY_EINPUT);
                assert_int_equal(err.error_count, 1);
                assert_string_equal(err.items[0].path, cases[i].path);
                assert_string_equal(err.items[0].message, expected);
            } else {
                assert_int_equal(status, cases[i].invalid ? CY_EINPUT : CY_OK);
                assert_true(cases[i].invalid ||
                            json_array_size(json_object_get(
                                strcmp(cases[i].where, "top") == 0
                                    ? net->meta : net->enterprises[1].meta,
                                "x")) == count);
            }
            cy_network_free(net);
            cy_error_destroy(&err);
            free(text);
        }
    }
}

/*
 * Allocation failures while a file is refused as too large: every run
 * ends as out of memory or as too large, never anything else, and frees
 * what it took (the ASan run).  Forty of the allocations, transient and
 * persistent failures in turn, as the file makes hundreds of thousands.
 */
static void test_json_budget_allocation_failures(void **state)
{
    char *text = meta_document("late", "{}", 200000, 0);
    size_t size = strlen(text);
    long total;
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    cy_library_init();
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(load_bytes(text, size, "doc", &net, &err), CY_EINPUT);
    total = cy_alloc_count();
    cy_error_destroy(&err);
    for (long k = 0; k < total; k += total / 40 + 1) {
        cy_status status;
        cy_alloc_fail_after(k, k % 2);
        status = load_bytes(text, size, "doc", &net, &err);
        cy_alloc_fail_after(-1, 0);
        assert_null(net);
        assert_true(status == CY_ENOMEM ||
                    (status == CY_EINPUT && (err.oom || strstr(err.items[0].message,
                                                                "too large to read"))));
        cy_error_destroy(&err);
    }
    free(text);
}

/*
 * Documents the streaming pass starts on and must hand over to the DOM
 * path, which alone decides: an invalid field in a record (reported with
 * the DOM path's message, once), a syntax error in a record (its line and
 * column in the whole file), a duplicate top-level key, a group section
 * after the enterprises (valid, loaded by the DOM path), trailing text, a
 * rule broken in a link.  The expected lines are what chengyu printed for
 * these documents before the streaming pass existed.
 */
static void test_streaming_gives_up(void **state)
{
    static const char *const documents[] = {
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\"}, {\"id\": \"b\", \"kind\": \"x\"}],\n"
        " \"links\": []}",
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\"},\n {\"id\": \"b\" \"kind\": \"oem\"}],\n"
        " \"links\": []}",
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [], \"links\": [], \"name\": \"again\"}",
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\", \"park\": \"p\"}],\n"
        " \"parks\": [{\"id\": \"p\", \"region\": \"r\"}], \"links\": []}",
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [], \"links\": []} x",
        "{\"format\": \"chengyu/1\", \"name\": \"n\", \"regions\": [{\"id\": \"r\"}],\n"
        " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\"}], \"links\": [\n"
        " {\"from\": \"a\", \"to\": \"a\", \"part\": \"p\"}]}",
    };
    static const cy_status expected[] = {CY_EINPUT, CY_EINPUT, CY_EINPUT,
                                         CY_OK, CY_EINPUT, CY_EINPUT};
    static const char *const first_line[] = {
        "doc: $.enterprises[1].kind: unknown kind \"x\" (expected \"oem\", "
        "\"supplier\", \"material\" or \"service\")",
        "doc:3:18: '}' expected near '\"kind\"'",
        "doc:2:39: duplicate object key near '\"name\"'",
        NULL,
        "doc:2:34: end of file expected near 'x'",
        "doc: $.links[0].to: link from \"a\" to itself",
    };
    (void)state;

    for (size_t i = 0; i < sizeof documents / sizeof documents[0]; i++) {
        cy_network *net = NULL;
        cy_error err;
        assert_int_equal(load_text(documents[i], "doc", &net, &err), expected[i]);
        if (first_line[i]) {
            char *line = cy_error_format(&err, 0);
            assert_non_null(line);
            assert_string_equal(line, first_line[i]);
            assert_int_equal(err.error_count, 1);
            cy_free(line);
        } else {
            assert_int_equal(net->streamed, 0);
            check_both_ways(documents[i], strlen(documents[i]), 0);
        }
        cy_network_free(net);
        cy_error_destroy(&err);
    }
}

/*
 * A record's "meta" nested to the DOM parse's limit: the record is at
 * depth 3 of the document, so 2045 arrays make 2048 levels (accepted, and
 * streamed) and 2046 are refused, as by the DOM path, although Jansson
 * alone would take them in a record parsed on its own.
 */
static void test_streaming_nesting(void **state)
{
    static const char head[] = "{\"format\": \"chengyu/1\", \"name\": \"deep\", "
                               "\"regions\": [{\"id\": \"r\"}], \"enterprises\": "
                               "[{\"id\": \"a\", \"kind\": \"oem\", \"meta\": ";
    static const char tail[] = "}], \"links\": []}";
    (void)state;

    for (size_t arrays = 2045; arrays <= 2047; arrays++) {
        size_t h = strlen(head), t = strlen(tail);
        char *text = malloc(h + 2 * arrays + t + 1);
        cy_network *net = NULL;
        cy_error err;
        assert_non_null(text);
        memcpy(text, head, h);
        memset(text + h, '[', arrays);
        memset(text + h + arrays, ']', arrays);
        memcpy(text + h + 2 * arrays, tail, t + 1);
        if (arrays == 2045) {
            assert_int_equal(load_text(text, "deep", &net, &err), CY_OK);
            assert_int_equal(net->streamed, 1);
        } else {
            assert_int_equal(load_text(text, "deep", &net, &err), CY_EINPUT);
            assert_int_equal(err.count, 1);
            assert_string_equal(err.items[0].message,
                                "nesting deeper than 2048 levels (the parser's "
                                "limit) near '['");
        }
        cy_network_free(net);
        cy_error_destroy(&err);
        free(text);
    }
}

/* ---- cy_network_check ---------------------------------------------------- */

/*
 * `path` checked and loaded: the same status, the same diagnostics in the
 * same order, and the counts of the loaded network (0 and 0 on failure).
 */
static void check_like_load(const char *path)
{
    cy_network *net = NULL;
    cy_error load_err, check_err;
    size_t enterprise_count = 99, link_count = 99;
    cy_status loaded, checked;

    cy_error_init(&load_err);
    cy_error_init(&check_err);
    loaded = cy_network_load(path, NULL, &net, &load_err);
    checked = cy_network_check(path, NULL, &enterprise_count, &link_count,
                               &check_err);
    if (checked != loaded)
        print_error("%s: check %d, load %d\n", path, (int)checked, (int)loaded);
    assert_int_equal(checked, loaded);
    assert_same_diagnostics(&check_err, &load_err);
    assert_int_equal(enterprise_count, net ? cy_network_enterprise_count(net) : 0);
    assert_int_equal(link_count, net ? cy_network_link_count(net) : 0);
    cy_network_free(net);
    cy_error_destroy(&load_err);
    cy_error_destroy(&check_err);
}

/* check_like_load on every .json file directly in `dir`; how many. */
static size_t check_directory_like_load(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    size_t count = 0;
    char path[1024];

    assert_non_null(d);
    while ((entry = readdir(d))) {
        size_t length = strlen(entry->d_name);
        if (length < 6 || strcmp(entry->d_name + length - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        check_like_load(path);
        count++;
    }
    closedir(d);
    return count;
}

/*
 * cy_network_check (chengyu validate) against cy_network_load on every
 * network the project ships, valid or not, and on a missing file and a
 * directory.  (The conformance corpus of hostile documents goes through
 * `chengyu validate`, hence cy_network_check, in tests/cli.)  The counts
 * of the curated dataset are known by hand as well.
 */
static void test_check_matches_load(void **state)
{
    size_t enterprise_count, link_count;
    cy_error err;
    (void)state;

    assert_true(check_directory_like_load("tests/fixtures/good") >= 4);
    assert_true(check_directory_like_load("tests/fixtures/bad") >= 10);
    assert_true(check_directory_like_load("graphs") >= 5);
    check_like_load("data/chengdu-chongqing.json");
    check_like_load("tests/fixtures/no-such-file.json");
    check_like_load("tests");

    cy_error_init(&err);
    assert_int_equal(cy_network_check("data/chengdu-chongqing.json", NULL,
                                      &enterprise_count, &link_count, &err), CY_OK);
    assert_int_equal(enterprise_count, 102);
    assert_int_equal(link_count, 318);
    cy_error_destroy(&err);
    /* Either count may be left out. */
    cy_error_init(&err);
    assert_int_equal(cy_network_check("graphs/karate.json", NULL, NULL, NULL, &err),
                     CY_OK);
    cy_error_destroy(&err);
}

/*
 * Records far larger than the record arena's first block (64 KB) and than
 * the block it keeps between records (1 MB): an enterprise whose meta holds
 * 200,000 numbers (about 10 MB of Jansson values, its array grown and
 * copied many times inside the arena), between ordinary records, and a
 * link whose meta holds a 100,000-character string (the parser's buffer
 * for it doubled many times inside the arena).  Streamed and DOM loads
 * must agree, and the big meta must survive its record (it is copied out
 * of the arena).
 */
static void test_streaming_large_records(void **state)
{
    const size_t numbers = 200000, note_length = 100000;
    size_t size = 0;
    char *text = NULL;
    FILE *out = open_memstream(&text, &size);
    cy_network *net = NULL;
    cy_error err;
    const json_t *meta;
    (void)state;

    assert_non_null(out);
    fputs("{\"format\": \"chengyu/1\", \"name\": \"large\", \"enterprises\": [\n"
          " {\"id\": \"a\", \"kind\": \"oem\"},\n"
          " {\"id\": \"b\", \"kind\": \"supplier\", \"meta\": {\"numbers\": [", out);
    for (size_t i = 0; i < numbers; i++)
        fprintf(out, "%s%zu", i ? "," : "", i * 7);
    fputs("]}},\n {\"id\": \"c\", \"kind\": \"supplier\"}],\n \"links\": [\n"
          " {\"from\": \"b\", \"to\": \"a\", \"part\": \"p\", \"meta\": {\"note\": \"", out);
    for (size_t i = 0; i < note_length; i++)
        fputc('n', out);
    fputs("\"}},\n {\"from\": \"c\", \"to\": \"a\", \"part\": \"q\"}]}\n", out);
    assert_int_equal(fclose(out), 0);

    check_both_ways(text, size, 1);

    assert_int_equal(load_bytes(text, size, "large", &net, &err), CY_OK);
    assert_int_equal(net->streamed, 1);
    meta = json_object_get(net->enterprises[1].meta, "numbers");
    assert_int_equal(json_array_size(meta), numbers);
    assert_int_equal(json_integer_value(json_array_get(meta, numbers - 1)),
                     (json_int_t)((numbers - 1) * 7));
    assert_int_equal(json_string_length(json_object_get(net->links[0].meta, "note")),
                     note_length);
    cy_network_free(net);
    cy_error_destroy(&err);
    free(text);
}

/* ---- the load on several threads --------------------------------------- */

/* Append to `text` (of `size` bytes) up to `count` random pieces of what a
 * scan must not take for structure; returns the new length. */
static size_t hostile_text(unsigned *seed, char *text, size_t size, size_t count)
{
    static const char *const pool[] = {"{", "}", "[", "]", "\"", ",", ":", "\\",
                                       " ", "\t", "\n", "a", "/", "u", "0",
                                       "\x01", "\xe4\xb8\xad"};
    size_t length = 0;
    for (size_t k = 0; k < count; k++) {
        const char *piece = pool[(size_t)rand_r(seed) % (sizeof pool / sizeof *pool)];
        if (length + strlen(piece) >= size)
            break;
        memcpy(text + length, piece, strlen(piece));
        length += strlen(piece);
    }
    text[length] = '\0';
    return length;
}

/* A random JSON value, `depth` levels at most: objects, arrays, strings
 * of hostile bytes (escaped as JSON requires), numbers and literals. */
static json_t *random_value(unsigned *seed, int depth)
{
    int kind = rand_r(seed) % (depth > 0 ? 7 : 5);
    switch (kind) {
    case 0: {
        char text[48];
        size_t length = hostile_text(seed, text, sizeof text, (size_t)rand_r(seed) % 16);
        return json_stringn(text, length);
    }
    case 1:
        return json_integer(rand_r(seed) % 2000 - 1000);
    case 2:
        return json_real((double)rand_r(seed) / 7.0e3);
    case 3:
        return rand_r(seed) % 2 ? json_true() : json_false();
    case 4:
        return json_null();
    case 5: {
        json_t *array = json_array();
        for (int k = rand_r(seed) % 4; k > 0; k--)
            json_array_append_new(array, random_value(seed, depth - 1));
        return array;
    }
    default: {
        json_t *object = json_object();
        for (int k = rand_r(seed) % 4; k > 0; k--) {
            char key[24];
            hostile_text(seed, key, sizeof key, 6);
            json_object_set_new(object, key, random_value(seed, depth - 1));
        }
        return object;
    }
    }
}

/*
 * The structural scan (load_scan.c) against Jansson: on 4,000 random
 * values written every way Jansson writes them (compact, indented, ASCII
 * only), put one after another in an array
 * with whitespace, every end the scan finds is where json_loadb stops.
 * Strings hold brackets, quotes, backslashes, runs of backslashes before
 * a quote, \u escapes and raw UTF-8.
 */
static void test_scan_matches_jansson(void **state)
{
    static const size_t flags[] = {JSON_COMPACT, JSON_INDENT(2), JSON_ENSURE_ASCII,
                                   JSON_COMPACT | JSON_ENSURE_ASCII};
    static const char *const handmade[] = {
        "\"\\\\\"", "\"a\\\\\\\"b\"", "\"}],{\\\"\"", "[\"]\", \"[\"]",
        "{\"\\\\\": \"\\\"\"}", "\"\\u005c\\u0022\"", "-0.5e-3", "true", "[[], {}]",
    };
    unsigned seed = 22;
    (void)state;
    for (size_t round = 0; round < 40; round++) {
        size_t size = 0, count = 0, starts[120];
        char *text = NULL;
        FILE *out = open_memstream(&text, &size);
        assert_non_null(out);
        fputs("[", out);
        for (size_t k = 0; k < 100 + sizeof handmade / sizeof *handmade; k++) {
            char *dumped;
            if (k >= 100) {
                dumped = strdup(handmade[k - 100]);
            } else {
                json_t *v = random_value(&seed, 4);
                dumped = json_dumps(v, flags[k % 4] | JSON_ENCODE_ANY);
                json_decref(v);
            }
            assert_non_null(dumped);
            fputs(k ? (k % 3 ? ",\n  " : " ,") : " ", out);
            fflush(out);
            starts[count++] = size;
            fputs(dumped, out);
            free(dumped);
        }
        fputs("\n]", out);
        assert_int_equal(fclose(out), 0);
        for (size_t k = 0; k < count; k++) {
            json_error_t jerr;
            json_t *v = json_loadb(text + starts[k], size - starts[k],
                                   JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &jerr);
            assert_non_null(v);
            json_decref(v);
            assert_int_equal(cy_l_scan_value(text, size, starts[k]),
                             starts[k] + (size_t)jerr.position);
        }
        free(text);
    }
    /* What the scan cannot delimit. */
    assert_int_equal(cy_l_scan_value("[1, 2", 5, 0), CY_L_SCAN_FAILED);
    assert_int_equal(cy_l_scan_value("\"abc\\\"", 6, 0), CY_L_SCAN_FAILED);
    assert_int_equal(cy_l_scan_value("]", 1, 0), CY_L_SCAN_FAILED);
    assert_int_equal(cy_l_scan_value(", 1", 3, 0), CY_L_SCAN_FAILED);
    assert_int_equal(cy_l_scan_value("12", 2, 2), CY_L_SCAN_FAILED);
}

/* The scan byte by byte, as its contract states it: a backslash escapes
 * the byte after it (inside strings and out), strings are stepped over,
 * brackets outside them balanced. */
static size_t scan_reference(const char *data, size_t size, size_t pos)
{
    size_t depth = 0;
    int in_string = 0, escaped = 0;
    const char *ends = ",]} \n\r\t";
    if (pos >= size || data[pos] == ']' || data[pos] == '}' ||
        (data[pos] && strchr(ends, data[pos])))
        return CY_L_SCAN_FAILED;
    if (data[pos] != '{' && data[pos] != '[' && data[pos] != '"') {
        while (pos < size && !(data[pos] && strchr(ends, data[pos])))
            pos++;
        return pos;
    }
    for (; pos < size; pos++) {
        char ch = data[pos];
        if (escaped) {
            escaped = 0;
        } else if (ch == '\\') {
            escaped = 1;
        } else if (in_string) {
            in_string = ch != '"';
            if (!in_string && depth == 0)
                return pos + 1;
        } else if (ch == '"') {
            in_string = 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0)
                return pos + 1;
        }
    }
    return CY_L_SCAN_FAILED;
}

/*
 * The scan on arbitrary bytes (not JSON): from every start, for the whole
 * text and for a few shorter ends, the same answer as the byte-by-byte
 * reference.  Texts of up to 300 bytes from an alphabet of the bytes that
 * matter and some that do not (UTF-8, NUL), some rounds heavy in
 * backslashes (runs of every length across the 64-byte blocks the scan
 * reads at once) and some in plain bytes, so that blocks, their ends and
 * the bytes after the last whole block all meet quotes, escapes and
 * brackets.
 */
static void test_scan_matches_brute_force(void **state)
{
    static const char alphabet[] = "\"\\[]{},: \n1a\xe4\x00";
    unsigned seed = 5;
    char text[300];
    (void)state;
    for (int round = 0; round < 400; round++) {
        size_t length = (size_t)(seed = seed * 1103515245u + 12345u) % (sizeof text + 1);
        unsigned mood = (seed >> 16) % 4; /* 0: mixed, 1: plain, 2: backslashes, 3: quotes */
        size_t sizes[4] = {length, length ? length - 1 : 0, length / 2, length * 3 / 4};
        for (size_t k = 0; k < length; k++) {
            unsigned r = (seed = seed * 1103515245u + 12345u) >> 8;
            text[k] = mood == 1 && r % 4 ? 'a'
                      : mood == 2 && r % 3 ? '\\'
                      : mood == 3 && r % 3 ? '"'
                                           : alphabet[(r >> 4) % (sizeof alphabet - 1)];
        }
        for (size_t z = 0; z < 4; z++)
            for (size_t pos = 0; pos <= sizes[z]; pos++)
                if (cy_l_scan_value(text, sizes[z], pos) != scan_reference(text, sizes[z], pos))
                    fail_msg("round %d, size %zu, pos %zu: scan %zu, reference %zu", round,
                             sizes[z], pos, cy_l_scan_value(text, sizes[z], pos),
                             scan_reference(text, sizes[z], pos));
    }
}

/*
 * A document of `firms` enterprises and a chain of links, each record
 * with a meta of hostile strings, `bad` (when not NULL) replacing the
 * "part" of link `bad_at`.  Over half a megabyte from 3,000 firms on, so
 * the records are parsed ahead with more than one thread.
 */
static char *threads_document(size_t firms, size_t bad_at, const char *bad,
                              size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    assert_non_null(out);
    fputs("{\"format\": \"chengyu/1\", \"name\": \"threads\", \"enterprises\": [", out);
    for (size_t i = 0; i < firms; i++)
        fprintf(out, "%s\n {\"id\": \"f%zu {[\\\"]}\\\\\", \"kind\": \"%s\", \"output_value\": %zu, "
                "\"meta\": {\"n\": \"}],[{\\\\\\\"\", \"a\": [%zu, {\"\\u007d\": []}]}}",
                i ? "," : "", i, i ? "supplier" : "oem", 1000 + i, i);
    fputs("],\n\"links\": [", out);
    for (size_t i = 1; i < firms; i++) {
        if (i == bad_at)
            fprintf(out, "%s\n {\"from\": \"f%zu {[\\\"]}\\\\\", \"to\": \"f%zu {[\\\"]}\\\\\", "
                    "\"part\": %s}", i > 1 ? "," : "", i, i - 1, bad);
        else
            fprintf(out, "%s\n {\"from\": \"f%zu {[\\\"]}\\\\\", \"to\": \"f%zu {[\\\"]}\\\\\", "
                    "\"part\": \"p%zu\", \"volume\": %zu, \"meta\": [\"]\", \"\\\\\"]}",
                    i > 1 ? "," : "", i, i - 1, i % 7, i);
    }
    fputs("]}\n", out);
    assert_int_equal(fclose(out), 0);
    return text;
}

/* Load `text` with `threads` threads: the status, the counts of errors and
 * warnings and every diagnostic kept (with its path) written into one
 * string, and the network (may be NULL). */
static char *load_with_threads(const char *text, size_t size, size_t threads,
                               cy_network **net)
{
    char *summary = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&summary, &length);
    cy_error err;
    cy_status status;
    cy_threads_set(threads);
    status = load_bytes(text, size, "doc", net, &err);
    cy_threads_set(0);
    fprintf(out, "status %d, %zu errors, %zu warnings\n", (int)status, err.error_count,
            err.warning_count);
    for (size_t k = 0; k < err.count; k++)
        fprintf(out, "%d %s %d:%d %s\n", (int)err.items[k].severity,
                err.items[k].path ? err.items[k].path : "-", err.items[k].line,
                err.items[k].column, err.items[k].message);
    cy_error_destroy(&err);
    assert_int_equal(fclose(out), 0);
    return summary;
}

/*
 * The same document with 1, 2 and 7 threads: the same status and
 * diagnostics, and for a valid one the same records with their metas; an
 * invalid link in the middle, a part of the wrong type late, and a syntax
 * error (a missing value) in the middle are refused alike.
 */
static void test_threads_same_load(void **state)
{
    static const struct {
        size_t at;
        const char *bad;
    } cases[] = {{0, NULL}, {2000, "7"}, {3900, "\"\""}, {1500, ""}};
    (void)state;
    cy_library_init();
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t size;
        char *text = threads_document(4000, cases[c].at, cases[c].bad, &size);
        cy_network *one = NULL;
        char *expected = load_with_threads(text, size, 1, &one);
        assert_true(size > 600000);
        assert_true(cases[c].bad ? one == NULL : one != NULL);
        for (size_t threads = 2; threads <= 7; threads += 5) {
            cy_network *net = NULL;
            char *got = load_with_threads(text, size, threads, &net);
            assert_string_equal(got, expected);
            if (one) {
                assert_int_equal(net->streamed, 1);
                assert_int_equal(net->enterprise_count, one->enterprise_count);
                assert_int_equal(net->link_count, one->link_count);
                for (size_t i = 0; i < one->enterprise_count; i++) {
                    assert_string_equal(net->enterprises[i].id, one->enterprises[i].id);
                    assert_true(json_equal(net->enterprises[i].meta, one->enterprises[i].meta));
                }
                for (size_t j = 0; j < one->link_count; j++) {
                    assert_int_equal(net->links[j].from, one->links[j].from);
                    assert_true(json_equal(net->links[j].meta, one->links[j].meta));
                }
                assert_string_equal(net->enterprises[3999].id, "f3999 {[\"]}\\");
            }
            cy_network_free(net);
            free(got);
        }
        cy_network_free(one);
        free(expected);
        free(text);
    }
}

/*
 * Records past Jansson's budget (test_json_budget's shapes, 1.2 MB) are
 * refused at the same record with any thread count: a record parsed on
 * another thread is charged as if parsed alone on the calling thread.
 */
static void test_threads_same_budget(void **state)
{
    static const char *const wheres[] = {"record", "late", "top"};
    (void)state;
    cy_library_init();
    for (size_t w = 0; w < sizeof wheres / sizeof *wheres; w++) {
        char *text = meta_document(wheres[w], "{}", 400000, 0);
        size_t size = strlen(text);
        cy_network *net = NULL;
        char *expected = load_with_threads(text, size, 1, &net);
        assert_null(net);
        assert_non_null(strstr(expected, "too large to read"));
        for (size_t threads = 2; threads <= 7; threads += 5) {
            char *got = load_with_threads(text, size, threads, &net);
            assert_null(net);
            assert_string_equal(got, expected);
            free(got);
        }
        free(expected);
        free(text);
    }
}

/*
 * A document of `firms` enterprises using every field of chengyu/1, for
 * the records checked on the parsing threads (src/io/load_prepare.c):
 * names, Chinese names, a USCC, tiers, regions, parks, clusters, every
 * amount, produces and requires (an empty one, and one too long to be
 * checked there), locations, sources; links with volumes, shares and
 * sources.  Some records carry a meta and one link a part no firm lists,
 * which the validating thread reads itself.  `variant` 1: no declared
 * regions, clusters or parks, the firms' regions made implicitly in file
 * order; 2: the last firm repeats the id of one in the middle.
 */
static char *prepared_document(size_t firms, int variant, size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    int groups = variant != 1;
    assert_non_null(out);
    fputs("{\"format\": \"chengyu/1\", \"name\": \"prepared\",\n", out);
    if (groups) {
        fputs("\"regions\": [{\"id\": \"r0\"}, {\"id\": \"r1\"}, {\"id\": \"r2\"}, "
              "{\"id\": \"r3\", \"inside\": false}],\n\"clusters\": [", out);
        for (int c = 0; c < 6; c++)
            fprintf(out, "%s{\"id\": \"c%d\", \"region\": \"r%d\"}", c ? ", " : "", c, c % 4);
        fputs("],\n\"parks\": [", out);
        for (int k = 0; k < 10; k++)
            fprintf(out, "%s{\"id\": \"p%d\", \"region\": \"r%d\", \"location\": [104.%d, 30.5]}",
                    k ? ", " : "", k, k % 4, k);
        fputs("],\n", out);
    }
    fputs("\"enterprises\": [", out);
    for (size_t i = 0; i < firms; i++) {
        fprintf(out, "%s\n {\"id\": \"f%zu\", \"kind\": \"%s\", \"tier\": %zu",
                i ? "," : "", variant == 2 && i + 1 == firms ? firms / 2 : i,
                i < 10 ? "oem" : "supplier", i % 5);
        if (i % 4 == 1)
            fprintf(out, ", \"name\": \"Firm %zu \\\"quoted\\\" \\u00e9\"", i);
        if (i % 4 == 2)
            fprintf(out, ", \"name_zh\": \"\xe4\xbc\x81\xe4\xb8\x9a%zu\"", i);
        if (i == 5)
            fputs(", \"uscc\": \"91500108MA5U3B0R19\"", out);
        fprintf(out, groups ? ", \"region\": \"r%zu\"" : ", \"region\": \"zone-%zu\"", i % 4);
        if (groups && i % 7 != 0)
            fprintf(out, ", \"park\": \"p%zu\"", i % 10);
        if (groups && i % 3 == 0)
            fprintf(out, ", \"clusters\": [\"c%zu\", \"c%zu\"]", i % 6, (i + 1) % 6);
        fprintf(out, ", \"output_value\": %zu.5", 1000 + i);
        if (i % 11 == 0)
            fputs(", \"final_demand\": 5", out);
        if (i % 13 == 0)
            fputs(", \"capacity\": 1e12", out);
        if (i % 2 == 0)
            fprintf(out, ", \"inventory_days\": %zu", i % 5);
        if (i % 4 == 0)
            fputs(", \"recovery_days\": 3.5", out);
        fprintf(out, ", \"produces\": [\"q%zu\"]", i);
        if (i % 97 == 0) {
            fputs(", \"requires\": []", out);
        } else if (i == 600) {
            fputs(", \"requires\": [\"q601\", \"q602\"", out);
            for (int k = 0; k < 70; k++)
                fprintf(out, ", \"x%d\"", k);
            fputc(']', out);
        } else if (i % 2 == 0) {
            fprintf(out, ", \"requires\": [\"q%zu\", \"q%zu\"]", i + 1, i + 2);
        }
        if (i % 5 == 0)
            fprintf(out, ", \"location\": [104.%04zu, 30.5]", i);
        fprintf(out, ", \"source\": \"s%zu\"", i % 3);
        if (i % 50 == 7)
            fprintf(out, ", \"meta\": {\"n\": %zu}", i);
        fputc('}', out);
    }
    fputs("],\n\"links\": [", out);
    for (size_t i = 0, j = 0; i + 2 < firms; i++) {
        if (i % 97 == 0)
            continue;
        for (size_t d = 1; d <= 2; d++, j++)
            fprintf(out, "%s\n {\"from\": \"f%zu\", \"to\": \"f%zu\", \"part\": \"q%zu\", "
                    "\"volume\": %zu.25, \"share\": 0.%zu, \"source\": \"s%zu\"%s}",
                    j ? "," : "", i + d, i, i + d, i, d + 3, j % 2,
                    j % 40 == 3 ? ", \"meta\": [1]" : "");
    }
    fputs(",\n {\"from\": \"f7\", \"to\": \"f3\", \"part\": \"brand-new\"}]}\n", out);
    assert_int_equal(fclose(out), 0);
    return text;
}

/*
 * The records checked on the parsing threads build the model one thread
 * builds, field for field (and the DOM path's), with the same
 * diagnostics: most records of a valid document go that way with 2 and 7
 * threads, none with one; the implicit regions, the metas, the long list
 * and the new part are read by the validating thread; a duplicate id is
 * reported alike.
 */
static void test_threads_prepared_records(void **state)
{
    (void)state;
    cy_library_init();
    for (int variant = 0; variant < 3; variant++) {
        size_t size;
        char *text = prepared_document(3000, variant, &size);
        cy_network *one = NULL;
        char *expected = load_with_threads(text, size, 1, &one);
        assert_true(size > 1000000);
        if (variant == 2) {
            assert_null(one);
            assert_non_null(strstr(expected, "duplicate id \"f1500\""));
        } else {
            assert_non_null(one);
            assert_int_equal(one->streamed, 1);
            assert_int_equal(one->prepared, 0);
            assert_int_equal(one->group_count[CY_GROUP_REGION], 4);
        }
        for (size_t threads = 2; threads <= 7; threads += 5) {
            cy_network *net = NULL;
            char *got = load_with_threads(text, size, threads, &net);
            assert_string_equal(got, expected);
            if (one) {
                size_t records = one->enterprise_count + one->link_count;
                assert_int_equal(net->streamed, 1);
                assert_same_network(net, one);
                /* Not all: the batches of a file this small stop at
                 * their share of Jansson's budget (load_parallel.c), and
                 * the validating thread reads the rest itself. */
                assert_true(net->prepared > records / 20);
                assert_true(net->prepared < records);
            }
            cy_network_free(net);
            free(got);
        }
        /* The DOM path declares every firm's id before it makes the
         * implicit regions, so variant 1's id table is in another order
         * there (nothing reads the table in order). */
        if (one && variant == 0) {
            cy_network *by_dom = NULL;
            cy_error err;
            json_error_t jerr;
            json_t *doc = json_loadb(text, size, 0, &jerr), *moved;
            char *dom;
            assert_non_null(doc);
            moved = reordered(doc, (const char *const[]){"links", NULL});
            dom = json_dumps(moved, JSON_COMPACT | JSON_REAL_PRECISION(17));
            assert_non_null(dom);
            assert_int_equal(load_bytes(dom, strlen(dom), "doc", &by_dom, &err), CY_OK);
            assert_int_equal(by_dom->streamed, 0);
            assert_same_network(one, by_dom);
            cy_network_free(by_dom);
            cy_error_destroy(&err);
            json_decref(doc);
            json_decref(moved);
            free(dom);
        }
        cy_network_free(one);
        free(expected);
        free(text);
    }
}

/*
 * A record longer than a batch may take (an id of 10 million bytes, which
 * the other threads refuse and the calling thread parses itself, its
 * error reported): the same diagnostics with 1, 2 and 7 threads.  Once
 * Jansson's request for the string's buffer was refused, a smaller later
 * request that succeeded made Jansson's lexer run past its buffer.
 */
static void test_threads_long_record(void **state)
{
    const size_t length = 10000000;
    char *text = malloc(length + 200);
    char *expected;
    size_t size;
    cy_network *net = NULL;
    (void)state;
    assert_non_null(text);
    size = (size_t)sprintf(text, "{\"format\": \"chengyu/1\", \"name\": \"n\", "
                                 "\"enterprises\": [{\"id\": \"");
    memset(text + size, 'x', length);
    size += length;
    size += (size_t)sprintf(text + size, "\", \"kind\": \"oem\"}, {\"id\": \"b\", "
                                         "\"kind\": \"supplier\"}], \"links\": []}");
    cy_library_init();
    expected = load_with_threads(text, size, 1, &net);
    assert_null(net);
    assert_non_null(strstr(expected, "$.enterprises[0].id"));
    for (size_t threads = 2; threads <= 7; threads += 5) {
        char *got = load_with_threads(text, size, threads, &net);
        assert_null(net);
        assert_string_equal(got, expected);
        free(got);
    }
    free(expected);
    free(text);
}

/*
 * Allocation failures while records are parsed ahead (the calling thread
 * parses the batches itself under injection): every run either loads the
 * network the run without failures loads or ends as out of memory, and
 * frees what it took (the ASan run).  Sixty of the allocations, transient
 * and persistent in turn.
 */
static void test_threads_allocation_failures(void **state)
{
    size_t size;
    char *text = threads_document(3000, 0, NULL, &size);
    cy_network *net = NULL;
    cy_error err;
    long total;
    (void)state;
    cy_library_init();
    cy_threads_set(2);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(load_bytes(text, size, "doc", &net, &err), CY_OK);
    total = cy_alloc_count();
    cy_network_free(net);
    cy_error_destroy(&err);
    for (long k = 0; k < total; k += total / 60 + 1) {
        cy_status status;
        cy_alloc_fail_after(k, k % 2);
        status = load_bytes(text, size, "doc", &net, &err);
        cy_alloc_fail_after(-1, 0);
        assert_true(status == CY_OK || status == CY_ENOMEM);
        if (status == CY_OK)
            assert_int_equal(net->link_count, 2999);
        else
            assert_null(net);
        cy_network_free(net);
        cy_error_destroy(&err);
    }
    cy_threads_set(0);
    free(text);
}

/*
 * A document of 2,000 firms and 70,000 links (past the 65,536 from which
 * the loader's rules run on a helper thread while the calling thread
 * builds the firm graph, load_rules.c): f1000..f1999 supply f0..f69; f5
 * lists its parts unsorted with two nobody supplies to it (warnings), f5
 * supplies f1005 (a mutual pair), f70..f999 have no links (more warnings
 * than the limit keeps, so the limit's count is compared too); with
 * `duplicate`, link 12,345 once more at the end (an error of the rules).
 */
static char *rules_document(int duplicate, size_t *size)
{
    char *text = NULL;
    FILE *out = open_memstream(&text, size);
    assert_non_null(out);
    fputs("{\"format\":\"chengyu/1\",\"name\":\"rules\",\"enterprises\":[", out);
    for (size_t i = 0; i < 2000; i++)
        fprintf(out, "%s{\"id\":\"f%zu\",\"kind\":\"%s\"%s}", i ? "," : "", i,
                i < 1000 ? "oem" : "supplier",
                i == 5 ? ",\"requires\":[\"p2\",\"p0\",\"zz\",\"q\",\"p1\"]" : "");
    fputs("],\"links\":[", out);
    for (size_t k = 0; k < 70000; k++)
        fprintf(out, "%s{\"from\":\"f%zu\",\"to\":\"f%zu\",\"part\":\"p%zu\"}", k ? "," : "",
                1000 + k % 1000, k / 1000, k % 3);
    fputs(",{\"from\":\"f5\",\"to\":\"f1005\",\"part\":\"q\"}", out);
    if (duplicate)
        fprintf(out, ",{\"from\":\"f%d\",\"to\":\"f%d\",\"part\":\"p%d\"}", 1000 + 12345 % 1000,
                12345 / 1000, 12345 % 3);
    fputs("]}\n", out);
    assert_int_equal(fclose(out), 0);
    return text;
}

/*
 * The rules beside the firm graph: the same status and diagnostics with
 * 1, 2 and 7 threads, the warnings and the duplicate's error included;
 * for the valid document the same derived fields (f5's requires sorted)
 * and a firm graph with its mutual pair.
 */
static void test_threads_rules_beside_graph(void **state)
{
    (void)state;
    cy_library_init();
    for (int duplicate = 0; duplicate < 2; duplicate++) {
        size_t size;
        char *text = rules_document(duplicate, &size);
        cy_network *one = NULL;
        char *expected = load_with_threads(text, size, 1, &one);
        if (duplicate) {
            assert_null(one);
            assert_non_null(strstr(expected, "$.links[70001]"));
        } else {
            assert_non_null(one);
            assert_non_null(strstr(expected, "enterprise \"f70\" has no links"));
            assert_non_null(strstr(expected, "no supplier of part \"zz\" for \"f5\""));
            assert_non_null(strstr(expected, "no supplier of part \"q\" for \"f5\""));
        }
        for (size_t threads = 2; threads <= 7; threads += 5) {
            cy_network *net = NULL;
            char *got = load_with_threads(text, size, threads, &net);
            assert_string_equal(got, expected);
            if (one) {
                const cy_i_enterprise *a = &one->enterprises[5], *b = &net->enterprises[5];
                assert_int_equal(net->graphs_ready, 1);
                assert_int_equal(net->firm_has_mutual, 1);
                assert_int_equal(one->firm_has_mutual, 1);
                assert_int_equal(igraph_ecount(&net->firm_graph), 70001);
                assert_int_equal(b->requires_count, a->requires_count);
                for (size_t r = 0; r < a->requires_count; r++)
                    assert_int_equal(b->requires[r], a->requires[r]);
                for (size_t r = 1; r < b->requires_count; r++)
                    assert_true(b->requires[r - 1] < b->requires[r]);
            } else {
                assert_null(net);
            }
            cy_network_free(net);
            free(got);
        }
        cy_network_free(one);
        free(expected);
        free(text);
    }
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_directory),
        cmocka_unit_test(test_dev_null),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_buffer_without_name),
        cmocka_unit_test(test_byte_order_mark),
        cmocka_unit_test(test_nesting_at_limit),
        cmocka_unit_test(test_empty_network),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test_setup_teardown(test_accessors, setup_supply, teardown_supply),
        cmocka_unit_test_setup_teardown(test_groups, setup_supply, teardown_supply),
        cmocka_unit_test_setup_teardown(test_lookups, setup_supply, teardown_supply),
        cmocka_unit_test_setup_teardown(test_firm_graph, setup_supply, teardown_supply),
        cmocka_unit_test_setup_teardown(test_adjacency, setup_supply, teardown_supply),
        cmocka_unit_test(test_implicit_regions),
        cmocka_unit_test(test_demand),
        cmocka_unit_test(test_demand_rules),
        cmocka_unit_test(test_currency_warning),
        cmocka_unit_test(test_single_part),
        cmocka_unit_test(test_link_rules_both_ways),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_curated_dataset),
        cmocka_unit_test(test_streaming_matches_dom),
        cmocka_unit_test(test_streaming_gives_up),
        cmocka_unit_test(test_streaming_nesting),
        cmocka_unit_test(test_streaming_large_records),
        cmocka_unit_test(test_streaming_outgrows_room),
        cmocka_unit_test(test_streaming_room_refused),
        cmocka_unit_test(test_json_budget),
        cmocka_unit_test(test_json_budget_allocation_failures),
        cmocka_unit_test(test_check_matches_load),
        cmocka_unit_test(test_scan_matches_jansson),
        cmocka_unit_test(test_scan_matches_brute_force),
        cmocka_unit_test(test_threads_same_load),
        cmocka_unit_test(test_threads_same_budget),
        cmocka_unit_test(test_threads_prepared_records),
        cmocka_unit_test(test_threads_long_record),
        cmocka_unit_test(test_threads_allocation_failures),
        cmocka_unit_test(test_threads_rules_beside_graph),
    };
    enum { FIXED = sizeof fixed / sizeof fixed[0] };
    struct CMUnitTest tests[BAD_CASE_COUNT + FIXED];
    char names[BAD_CASE_COUNT][96];

    /* One named test per bad fixture, then the others. */
    for (size_t i = 0; i < BAD_CASE_COUNT; i++) {
        snprintf(names[i], sizeof names[i], "bad/%s", bad_cases[i].fixture);
        tests[i].name = names[i];
        tests[i].test_func = test_bad_fixture;
        tests[i].setup_func = NULL;
        tests[i].teardown_func = NULL;
        tests[i].initial_state = &bad_cases[i];
    }
    for (size_t i = 0; i < FIXED; i++)
        tests[BAD_CASE_COUNT + i] = fixed[i];
    return _cmocka_run_group_tests("loader", tests, BAD_CASE_COUNT + FIXED,
                                   group_setup, NULL);
}
