/*
 * test_generate.c - cy_generate: determinism, the calibration of the
 * presets, the invariants that make the output load without a warning, and
 * the failure paths (bad parameters, a full disk, every allocation failing).
 *
 * The output is parsed with Jansson directly, so that the checks do not
 * depend on the loader they are meant to feed; the loader is then run on it
 * as well, to prove the "zero warnings" promise end to end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"
#include "chengyu_test.h"
#include "helpers.h"

/* The bytes of generate(CY_PRESET_REGIONAL, seed 42, 3 OEMs, 60 others),
 * with the stress-test fields and without them (--no-stress-fields: the
 * file of every seed before those fields existed). */
#define PINNED_SIZE 62697
#define PINNED_FNV1A UINT64_C(0x35837ededd3ab491)
#define PINNED_PLAIN_SIZE 59498
#define PINNED_PLAIN_FNV1A UINT64_C(0xab148d4258df09bc)

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

typedef struct {
    char *data;
    size_t size;
    cy_status status;
    size_t errors;
} generated;

/* Run cy_generate into memory.  The buffer is always allocated (possibly
 * empty); release it with free(). */
static generated generate_with(cy_preset preset, uint64_t seed, long oems, long suppliers,
                               int omit_stress_fields)
{
    generated g = {NULL, 0, CY_OK, 0};
    cy_generate_params params = {preset, seed, oems, suppliers, omit_stress_fields};
    cy_error err;
    FILE *stream = open_memstream(&g.data, &g.size);
    assert_non_null(stream);
    cy_error_init(&err);
    g.status = cy_generate(&params, stream, &err);
    g.errors = err.error_count;
    cy_error_destroy(&err);
    assert_int_equal(fclose(stream), 0);
    return g;
}

/* generate_with and the stress-test fields (the default). */
static generated generate(cy_preset preset, uint64_t seed, long oems, long suppliers)
{
    return generate_with(preset, seed, oems, suppliers, 0);
}

static json_t *parse(const generated *g)
{
    json_error_t error;
    json_t *root = json_loadb(g->data, g->size, JSON_REJECT_DUPLICATES, &error);
    if (root == NULL)
        fail_msg("generated JSON does not parse: %d:%d: %s", error.line, error.column,
                 error.text);
    return root;
}

/* "a|b|c" into a fresh buffer. */
static char *join3(const char *a, const char *b, const char *c)
{
    size_t size = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
    char *key = malloc(size);
    assert_non_null(key);
    if (c)
        snprintf(key, size, "%s|%s|%s", a, b, c);
    else
        snprintf(key, size, "%s|%s", a, b);
    return key;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int contains(char **sorted, size_t count, const char *key)
{
    return bsearch(&key, sorted, count, sizeof *sorted, compare_strings) != NULL;
}

static void free_strings(char **strings, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(strings[i]);
    free(strings);
}

static const char *string_member(json_t *object, const char *key)
{
    json_t *value = json_object_get(object, key);
    assert_true(json_is_string(value));
    return json_string_value(value);
}

static int has_cluster(json_t *enterprise, const char *cluster)
{
    size_t i;
    json_t *value;
    json_array_foreach(json_object_get(enterprise, "clusters"), i, value)
        if (strcmp(json_string_value(value), cluster) == 0)
            return 1;
    return 0;
}

/*
 * The stress-test fields of enterprise e of kind `kind` (generate_stress.c):
 * integers, capacity from the output to the kind's spare above it, days of
 * stock and, when given, days to recover in the kind's ranges.  Counts
 * the firms that give recovery_days in *recovering.
 */
static void check_stress_fields(json_t *e, const char *kind, size_t *recovering)
{
    /* Per mille of spare capacity, inventory days, recovery days. */
    int material = strcmp(kind, "material") == 0, oem = strcmp(kind, "oem") == 0;
    json_int_t spare_lo = oem ? 0 : material ? 100 : 50, spare_hi = oem ? 150 : 300;
    json_int_t stock_lo = oem ? 0 : material ? 5 : 2, stock_hi = oem ? 5 : material ? 14 : 10;
    json_int_t rec_lo = oem ? 10 : material ? 20 : 5, rec_hi = oem ? 45 : material ? 90 : 60;
    json_t *output = json_object_get(e, "output_value");
    json_t *capacity = json_object_get(e, "capacity");
    json_t *stock = json_object_get(e, "inventory_days");
    json_t *recovery = json_object_get(e, "recovery_days");

    assert_true(json_is_integer(capacity) && json_is_integer(stock));
    json_int_t out = json_integer_value(output), cap = json_integer_value(capacity);
    /* capacity = output + floor(output * spare / 1000) */
    assert_true(cap >= out + out / 1000 * spare_lo);
    assert_true(cap <= out + (out / 1000 + 1) * spare_hi);
    assert_in_range(json_integer_value(stock), stock_lo, stock_hi);
    if (recovery != NULL) {
        assert_true(json_is_integer(recovery));
        assert_in_range(json_integer_value(recovery), rec_lo, rec_hi);
        ++*recovering;
    }
}

/* Records whose first member is a string key, sortable with
 * compare_strings. */
typedef struct {
    const char *id;
    int tier;
} id_tier;

typedef struct {
    char *key;
    double share;
} need_share;

static const id_tier *find_tier(const id_tier *sorted, size_t count, const char *id)
{
    return bsearch(&id, sorted, count, sizeof *sorted, compare_strings);
}

/* FNV-1a, to pin the exact bytes of one small network. */
static uint64_t fnv1a(const char *data, size_t size)
{
    uint64_t hash = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < size; i++) {
        hash ^= (unsigned char)data[i];
        hash *= UINT64_C(0x100000001b3);
    }
    return hash;
}

/*
 * The structural invariants every generated network must meet:
 *   - every record carries source "illustrative";
 *   - tiers: OEMs 0, suppliers 1-4, materials 5 without requires;
 *   - every link goes from tier t+1 to tier t, from != to, volume an
 *     integer >= 1, share in (0, 1];
 *   - no duplicate (from, to, part);
 *   - the shares of each (customer, part) sum to 1 within 1e-9, with 1 to
 *     max_suppliers suppliers;
 *   - every link's part is in the customer's requires, and every required
 *     part has a supplier;
 *   - every enterprise has at least one link.
 * Reports the number of (customer, part) needs with a single supplier.
 */
static void check_invariants(json_t *root, size_t max_suppliers, size_t *single_sourced)
{
    json_t *enterprises = json_object_get(root, "enterprises");
    json_t *links = json_object_get(root, "links");
    size_t n = json_array_size(enterprises), m = json_array_size(links);
    size_t i, k, recovering = 0;
    json_t *e, *l, *value;
    const char *group_arrays[] = {"regions", "clusters", "parks"};

    for (size_t g = 0; g < 3; g++)
        json_array_foreach(json_object_get(root, group_arrays[g]), i, value)
            assert_string_equal(string_member(value, "source"), "illustrative");

    /* Tier of each enterprise, by id; requires as "id|part". */
    id_tier *tiers = malloc((n + 1) * sizeof *tiers);
    char **required = NULL;
    size_t required_count = 0, required_cap = 0;
    assert_non_null(tiers);
    json_array_foreach(enterprises, i, e) {
        const char *id = string_member(e, "id");
        const char *kind = string_member(e, "kind");
        json_int_t tier = json_integer_value(json_object_get(e, "tier"));
        tiers[i].id = id;
        tiers[i].tier = (int)tier;
        assert_string_equal(string_member(e, "source"), "illustrative");
        assert_true(json_is_integer(json_object_get(e, "output_value")));
        assert_true(json_integer_value(json_object_get(e, "output_value")) > 0);
        assert_true(json_array_size(json_object_get(e, "produces")) >= 1);
        check_stress_fields(e, kind, &recovering);
        if (strcmp(kind, "oem") == 0)
            assert_int_equal(tier, 0);
        else if (strcmp(kind, "material") == 0)
            assert_int_equal(tier, 5);
        else {
            assert_string_equal(kind, "supplier");
            assert_true(tier >= 1 && tier <= 4);
        }
        json_t *requires = json_object_get(e, "requires");
        if (tier == 5) {
            assert_null(requires);
            continue;
        }
        assert_true(json_array_size(requires) >= 1);
        json_array_foreach(requires, k, value) {
            if (required_count == required_cap) {
                required_cap = required_cap ? 2 * required_cap : 1024;
                required = realloc(required, required_cap * sizeof *required);
                assert_non_null(required);
            }
            required[required_count++] = join3(id, json_string_value(value), NULL);
        }
    }
    /* recovery_days on half the firms (binomial: 45-55% of 400 or more). */
    if (n >= 400)
        assert_true(recovering * 100 >= n * 45 && recovering * 100 <= n * 55);
    qsort(tiers, n, sizeof *tiers, compare_strings); /* id is the first member */
    qsort(required, required_count, sizeof *required, compare_strings);
    for (size_t r = 1; r < required_count; r++)
        assert_true(strcmp(required[r - 1], required[r]) != 0);

    char **triples = malloc((m + 1) * sizeof *triples);
    char **needs = malloc((m + 1) * sizeof *needs);
    char **linked = malloc((2 * m + 1) * sizeof *linked);
    assert_non_null(triples);
    assert_non_null(needs);
    assert_non_null(linked);
    json_array_foreach(links, i, l) {
        const char *from = string_member(l, "from");
        const char *to = string_member(l, "to");
        const char *part = string_member(l, "part");
        json_t *volume = json_object_get(l, "volume");
        json_t *share = json_object_get(l, "share");
        assert_string_not_equal(from, to);
        assert_string_equal(string_member(l, "source"), "illustrative");
        assert_true(json_is_integer(volume));
        assert_true(json_integer_value(volume) >= 1);
        assert_true(json_is_number(share));
        assert_true(json_number_value(share) > 0 && json_number_value(share) <= 1);
        triples[i] = join3(from, to, part);
        needs[i] = join3(to, part, NULL);
        linked[2 * i] = strdup(from);
        linked[2 * i + 1] = strdup(to);
        assert_true(contains(required, required_count, needs[i]));

        /* Supplier one tier above its customer. */
        const id_tier *supplier = find_tier(tiers, n, from);
        const id_tier *customer = find_tier(tiers, n, to);
        assert_non_null(supplier);
        assert_non_null(customer);
        assert_int_equal(supplier->tier, customer->tier + 1);
    }

    qsort(triples, m, sizeof *triples, compare_strings);
    for (size_t j = 1; j < m; j++)
        if (strcmp(triples[j - 1], triples[j]) == 0)
            fail_msg("duplicate link %s", triples[j]);

    /* Shares per need: sort the need keys with their shares together. */
    need_share *pairs = malloc((m + 1) * sizeof *pairs);
    assert_non_null(pairs);
    json_array_foreach(links, i, l) {
        pairs[i].key = needs[i];
        pairs[i].share = json_number_value(json_object_get(l, "share"));
    }
    qsort(pairs, m, sizeof *pairs, compare_strings); /* key is the first member */
    size_t supplied = 0, singles = 0;
    for (size_t a = 0; a < m;) {
        size_t b = a;
        double sum = 0;
        while (b < m && strcmp(pairs[a].key, pairs[b].key) == 0)
            sum += pairs[b++].share;
        if (fabs(sum - 1.0) > 1e-9)
            fail_msg("shares of %s sum to %.12f", pairs[a].key, sum);
        /* 1-3 suppliers; a 4th only in tiny custom networks. */
        assert_true(b - a >= 1 && b - a <= max_suppliers);
        singles += b - a == 1;
        supplied++;
        a = b;
    }
    /* Every need has links and every link a need: same number of keys. */
    assert_int_equal(supplied, required_count);
    *single_sourced = singles;

    qsort(linked, 2 * m, sizeof *linked, compare_strings);
    json_array_foreach(enterprises, i, e)
        if (!contains(linked, 2 * m, string_member(e, "id")))
            fail_msg("enterprise %s has no link", string_member(e, "id"));

    free(pairs);
    free(tiers);
    free_strings(required, required_count);
    free_strings(triples, m);
    free_strings(needs, m);
    free_strings(linked, 2 * m);
}

/* Load with the real loader; it must accept the file without a warning. */
static void check_loads_clean(const generated *g, size_t enterprises, size_t links)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    cy_status status = cy_network_load_buffer(g->data, g->size, "generated", &net, &err);
    for (size_t i = 0; i < err.count; i++) {
        char *line = cy_error_format(&err, i);
        print_error("%s\n", line ? line : "(out of memory)");
        cy_free(line);
    }
    assert_int_equal(status, CY_OK);
    assert_int_equal(err.error_count, 0);
    assert_int_equal(err.warning_count, 0);
    assert_int_equal(cy_network_enterprise_count(net), enterprises);
    assert_int_equal(cy_network_link_count(net), links);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/* ------------------------------------------------------------------ */
/* Determinism                                                         */
/* ------------------------------------------------------------------ */

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    generated a = generate(CY_PRESET_REGIONAL, 7, 0, 0);
    generated b = generate(CY_PRESET_REGIONAL, 7, 0, 0);
    assert_int_equal(a.status, CY_OK);
    assert_int_equal(b.status, CY_OK);
    assert_true(a.size > 100000);
    assert_int_equal(a.size, b.size);
    assert_memory_equal(a.data, b.data, a.size);
    free(a.data);
    free(b.data);

    /* Also through a real file, with custom counts. */
    cy_generate_params params = {CY_PRESET_PROVINCE, 99, 3, 200, 0};
    FILE *file = tmpfile();
    assert_non_null(file);
    assert_int_equal(cy_generate(&params, file, NULL), CY_OK);
    long size = ftell(file);
    assert_true(size > 0);
    char *from_file = malloc((size_t)size);
    assert_non_null(from_file);
    rewind(file);
    assert_int_equal(fread(from_file, 1, (size_t)size, file), (size_t)size);
    fclose(file);
    generated c = generate(CY_PRESET_PROVINCE, 99, 3, 200);
    assert_int_equal(c.size, (size_t)size);
    assert_memory_equal(c.data, from_file, c.size);
    free(c.data);
    free(from_file);

    generated d1 = generate(CY_PRESET_DENSE, 3, 0, 0);
    generated d2 = generate(CY_PRESET_DENSE, 3, 0, 0);
    assert_int_equal(d1.status, CY_OK);
    assert_int_equal(d1.size, d2.size);
    assert_memory_equal(d1.data, d2.data, d1.size);
    free(d1.data);
    free(d2.data);
}

/* The regional preset's 1,645 firms are fewer than the 4,096 between two
 * reports: the start, the eight phases of the model (at their per mille
 * of the building's 30%), one report per writing step (35% each), the
 * end. */
static void test_progress(void **state)
{
    static const char *const steps[] = {
        "building the network", "building the network", "building the network",
        "building the network", "building the network", "building the network",
        "building the network", "building the network", "building the network",
        "writing enterprises", "writing links", "writing links"};
    static const double at[] = {0, 3.0, 3.66, 4.83, 19.77, 21.45, 23.04, 26.13, 30,
                                30, 65, 100};
    cy_generate_params params = {CY_PRESET_REGIONAL, 7, 0, 0, 0};
    generated plain = generate(CY_PRESET_REGIONAL, 7, 0, 0);
    step_log log = {{0}, {0}, 0};
    char *data = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&data, &size);
    (void)state;
    assert_non_null(f);
    assert_int_equal(cy_generate_run(&params, log_step, &log, f, NULL), CY_OK);
    fclose(f);
    assert_int_equal(log.count, 12);
    for (size_t k = 0; k < 12; k++) {
        assert_string_equal(log.what[k], steps[k]);
        assert_true(fabs(log.percent[k] - at[k]) < 1e-9);
    }
    assert_int_equal(size, plain.size);
    assert_memory_equal(data, plain.data, size);
    free(data);
    free(plain.data);

    /* The province preset: a report every 4,096 firms of each step. */
    params.preset = CY_PRESET_PROVINCE;
    log.count = 0;
    f = open_memstream(&data, &size);
    assert_non_null(f);
    assert_int_equal(cy_generate_run(&params, log_step, &log, f, NULL), CY_OK);
    fclose(f);
    free(data);
    assert_int_equal(cy_generate_firm_count(&params), 20000);
    assert_int_equal(log.count, 2 + 8 + 2 * 5);
    check_steps(&log, "writing enterprises");
    assert_int_equal(cy_generate_firm_count(&(cy_generate_params){CY_PRESET_NATIONAL, 1, 0, 0, 0}),
                     200000);
    assert_int_equal(cy_generate_firm_count(&(cy_generate_params){CY_PRESET_REGIONAL, 1, 45, 0, 0}),
                     1645);
    assert_int_equal(cy_generate_firm_count(&(cy_generate_params){CY_PRESET_REGIONAL, 1, 0, 2, 0}),
                     0);
}

static void test_different_seed_different_bytes(void **state)
{
    (void)state;
    generated a = generate(CY_PRESET_REGIONAL, 1, 0, 0);
    generated b = generate(CY_PRESET_REGIONAL, 2, 0, 0);
    assert_int_equal(a.status, CY_OK);
    assert_int_equal(b.status, CY_OK);
    assert_true(a.size != b.size || memcmp(a.data, b.data, a.size) != 0);
    free(a.data);
    free(b.data);
}

/*
 * The exact bytes of one small network, pinned: the generator uses only
 * integer arithmetic for its draws, so this hash must be the same on every
 * machine.  If the model changes on purpose, update the constant (and say
 * so in the commit: every seed then gives a different network).
 */
static void test_pinned_bytes(void **state)
{
    (void)state;
    generated g = generate(CY_PRESET_REGIONAL, 42, 3, 60);
    assert_int_equal(g.status, CY_OK);
    print_message("pinned network: %zu bytes, fnv1a %016llx\n", g.size,
                  (unsigned long long)fnv1a(g.data, g.size));
    assert_int_equal(g.size, PINNED_SIZE);
    assert_true(fnv1a(g.data, g.size) == PINNED_FNV1A);
    free(g.data);

    g = generate_with(CY_PRESET_REGIONAL, 42, 3, 60, 1);
    assert_int_equal(g.status, CY_OK);
    assert_int_equal(g.size, PINNED_PLAIN_SIZE);
    assert_true(fnv1a(g.data, g.size) == PINNED_PLAIN_FNV1A);
    free(g.data);
}

/*
 * Remove the stress-test fields from generated text in place: every
 * ,"capacity":N ,"inventory_days":N ,"recovery_days":N (integers, so a
 * value ends at the next ',').  Returns the new size.
 */
static size_t strip_stress_fields(char *text, size_t size)
{
    static const char *const keys[] = {",\"capacity\":", ",\"inventory_days\":",
                                       ",\"recovery_days\":"};
    size_t in = 0, out = 0;
    while (in < size) {
        size_t k = 0;
        while (k < 3 && (size - in < strlen(keys[k]) ||
                         memcmp(text + in, keys[k], strlen(keys[k])) != 0))
            k++;
        if (k < 3) {
            in += strlen(keys[k]);
            while (in < size && text[in] != ',')
                in++;
            continue;
        }
        text[out++] = text[in++];
    }
    return out;
}

/* The stress-test fields come from their own random stream: without them
 * every other byte is the same, on both models and with custom counts. */
static void test_stress_fields_leave_the_rest(void **state)
{
    (void)state;
    const long cases[][3] = {
        {CY_PRESET_REGIONAL, 0, 0}, {CY_PRESET_DENSE, 0, 0}, {CY_PRESET_NATIONAL, 5, 300}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        generated with = generate_with((cy_preset)cases[c][0], 11, cases[c][1], cases[c][2], 0);
        generated plain = generate_with((cy_preset)cases[c][0], 11, cases[c][1], cases[c][2], 1);
        assert_int_equal(with.status, CY_OK);
        assert_int_equal(plain.status, CY_OK);
        assert_true(with.size > plain.size);
        assert_null(strstr(plain.data, "\"capacity\""));
        assert_null(strstr(plain.data, "\"inventory_days\""));
        assert_null(strstr(plain.data, "\"recovery_days\""));
        size_t stripped = strip_stress_fields(with.data, with.size);
        assert_int_equal(stripped, plain.size);
        assert_memory_equal(with.data, plain.data, plain.size);
        free(with.data);
        free(plain.data);
    }
}

/* ------------------------------------------------------------------ */
/* Calibration of the presets                                          */
/* ------------------------------------------------------------------ */

static void test_regional_preset(void **state)
{
    (void)state;
    generated g = generate(CY_PRESET_REGIONAL, 1, 0, 0);
    assert_int_equal(g.status, CY_OK);
    json_t *root = parse(&g);
    size_t i;
    json_t *value;

    assert_string_equal(string_member(root, "format"), "chengyu/1");
    assert_non_null(strstr(string_member(root, "name"), "Synthetic"));
    assert_non_null(strstr(string_member(root, "description"), "illustrative"));

    /* 1,645 firms: 45 automakers, and 1,600 others of which 11 are the
     * smart-terminal makers (5 brands + 6 ODMs) of the 5+6+800 cluster. */
    json_t *enterprises = json_object_get(root, "enterprises");
    assert_int_equal(json_array_size(enterprises), 1645);
    size_t automakers = 0, terminal_makers = 0, suppliers = 0, materials = 0;
    json_int_t biggest_automaker = 0;
    json_array_foreach(enterprises, i, value) {
        const char *kind = string_member(value, "kind");
        if (strcmp(kind, "oem") == 0) {
            const char *product =
                json_string_value(json_array_get(json_object_get(value, "produces"), 0));
            if (strcmp(product, "vehicle") == 0) {
                json_int_t output = json_integer_value(json_object_get(value, "output_value"));
                automakers++;
                if (output > biggest_automaker)
                    biggest_automaker = output;
            } else {
                assert_string_equal(product, "smart-terminal");
                terminal_makers++;
            }
        } else if (strcmp(kind, "material") == 0) {
            materials++;
        } else {
            suppliers++;
        }
    }
    assert_int_equal(automakers, 45);
    assert_int_equal(terminal_makers, 11);
    assert_int_equal(terminal_makers + suppliers + materials, 1600);
    assert_true(materials > 0);

    json_t *regions = json_object_get(root, "regions");
    assert_int_equal(json_array_size(regions), 2);
    assert_string_equal(string_member(json_array_get(regions, 0), "id"), "chongqing");
    assert_string_equal(string_member(json_array_get(regions, 1), "id"), "chengdu");

    json_t *parks = json_object_get(root, "parks");
    assert_int_equal(json_array_size(parks), 20);
    json_array_foreach(parks, i, value) {
        assert_true(json_is_true(json_object_get(value, "demonstration")));
        const char *region = string_member(value, "region");
        assert_true(strcmp(region, "chongqing") == 0 || strcmp(region, "chengdu") == 0);
    }

    json_t *clusters = json_object_get(root, "clusters");
    const char *expected[][2] = {{"cq-auto", "automotive"},
                                 {"cq-smart-terminal", "electronics"},
                                 {"cd-auto", "automotive"},
                                 {"cd-electronics", "electronics"}};
    assert_int_equal(json_array_size(clusters), 4);
    for (size_t c = 0; c < 4; c++) {
        json_t *cluster = json_array_get(clusters, c);
        assert_string_equal(string_member(cluster, "id"), expected[c][0]);
        assert_string_equal(string_member(cluster, "sector"), expected[c][1]);
    }
    assert_non_null(strstr(string_member(json_array_get(clusters, 0), "name"), "1+10+1000"));
    assert_non_null(strstr(string_member(json_array_get(clusters, 1), "name"), "5+6+800"));

    /* 1+10+1000: the leading (largest) automaker, 10 more automakers and
     * 1,000 parts suppliers; 5+6+800 likewise. */
    size_t cq_auto_oems = 0, cq_auto_suppliers = 0;
    size_t cq_terminal_oems = 0, cq_terminal_suppliers = 0, in_park = 0;
    json_array_foreach(enterprises, i, value) {
        int oem = strcmp(string_member(value, "kind"), "oem") == 0;
        if (has_cluster(value, "cq-auto"))
            oem ? cq_auto_oems++ : cq_auto_suppliers++;
        if (has_cluster(value, "cq-smart-terminal"))
            oem ? cq_terminal_oems++ : cq_terminal_suppliers++;
        if (oem && (has_cluster(value, "cq-auto") || has_cluster(value, "cq-smart-terminal")))
            assert_string_equal(string_member(value, "region"), "chongqing");
        in_park += json_object_get(value, "park") != NULL;
    }
    assert_int_equal(cq_auto_oems, 11);
    assert_int_equal(cq_auto_suppliers, 1000);
    assert_int_equal(cq_terminal_oems, 11);
    assert_int_equal(cq_terminal_suppliers, 800);
    json_t *leader = json_array_get(enterprises, 0);
    assert_true(has_cluster(leader, "cq-auto"));
    assert_true(json_integer_value(json_object_get(leader, "output_value")) ==
                biggest_automaker);
    /* Most firms are in a park, not all. */
    assert_true(in_park > 1645 * 3 / 4 && in_park < 1645);

    /* About 8,700 links. */
    size_t links = json_array_size(json_object_get(root, "links"));
    assert_true(links >= 8700 * 9 / 10 && links <= 8700 * 11 / 10);

    size_t single_sourced = 0;
    check_invariants(root, 3, &single_sourced);
    /* Real single sourcing, but not everywhere. */
    assert_true(single_sourced > 500);
    assert_true(single_sourced < links / 2);

    check_loads_clean(&g, 1645, links);
    json_decref(root);
    free(g.data);
}

static void test_province_preset(void **state)
{
    (void)state;
    generated g = generate(CY_PRESET_PROVINCE, 1, 0, 0);
    assert_int_equal(g.status, CY_OK);
    json_t *root = parse(&g);
    size_t firms = json_array_size(json_object_get(root, "enterprises"));
    size_t links = json_array_size(json_object_get(root, "links"));
    assert_int_equal(firms, 20000);
    assert_true(links >= 90000 && links <= 110000);
    /* More regions than the two poles, more parks than the 20. */
    assert_true(json_array_size(json_object_get(root, "regions")) > 2);
    size_t parks = json_array_size(json_object_get(root, "parks"));
    assert_true(parks > 20);
    size_t demonstration = 0, i;
    json_t *park;
    json_array_foreach(json_object_get(root, "parks"), i, park)
        demonstration += json_is_true(json_object_get(park, "demonstration"));
    assert_int_equal(demonstration, 20);

    size_t single_sourced = 0;
    check_invariants(root, 3, &single_sourced);
    check_loads_clean(&g, firms, links);
    json_decref(root);
    free(g.data);
}

/* The xl preset is national five times over: its default counts are for
 * the benchmark (bench/); here its groups, with few firms. */
static void test_xl_preset(void **state)
{
    (void)state;
    generated g = generate(CY_PRESET_XL, 1, 4, 150);
    assert_int_equal(g.status, CY_OK);
    json_t *root = parse(&g);
    assert_string_equal(string_member(json_object_get(root, "meta"), "preset"), "xl");
    assert_int_equal(json_array_size(json_object_get(root, "regions")), 48);
    /* 20 demonstration parks and 10,000 general ones. */
    assert_int_equal(json_array_size(json_object_get(root, "parks")), 10020);
    size_t firms = json_array_size(json_object_get(root, "enterprises"));
    size_t links = json_array_size(json_object_get(root, "links"));
    assert_int_equal(firms, 154);
    size_t single_sourced = 0;
    check_invariants(root, 4, &single_sourced);
    check_loads_clean(&g, firms, links);
    json_decref(root);
    free(g.data);
}

/* "from|to" of every link of a dense network, sorted. */
static char **dense_pairs(json_t *links)
{
    size_t m = json_array_size(links), i;
    json_t *l;
    char **pairs = malloc((m + 1) * sizeof *pairs);
    assert_non_null(pairs);
    json_array_foreach(links, i, l)
        pairs[i] = join3(string_member(l, "from"), string_member(l, "to"), NULL);
    qsort(pairs, m, sizeof *pairs, compare_strings);
    return pairs;
}

/*
 * The dense preset: no tier, park or cluster, one part name, no loop or
 * duplicate pair, every firm linked, many mutual pairs (counted here and
 * compared with meta.mutual_pairs), a heavy-tailed degree when asked.
 */
static void check_dense(json_t *root, size_t firms, size_t oems, size_t min_mutual,
                        int heavy_tail)
{
    json_t *enterprises = json_object_get(root, "enterprises");
    json_t *links = json_object_get(root, "links");
    size_t m = json_array_size(links), i, oem_count = 0, mutual = 0, recovering = 0;
    json_t *e, *l;

    assert_int_equal(json_array_size(enterprises), firms);
    assert_null(json_object_get(root, "parks"));
    assert_null(json_object_get(root, "clusters"));
    char **ids = malloc((firms + 1) * sizeof *ids);
    assert_non_null(ids);
    json_array_foreach(enterprises, i, e) {
        assert_null(json_object_get(e, "tier"));
        assert_null(json_object_get(e, "park"));
        assert_null(json_object_get(e, "clusters"));
        assert_null(json_object_get(e, "requires"));
        assert_string_equal(string_member(e, "source"), "illustrative");
        assert_true(json_integer_value(json_object_get(e, "output_value")) > 0);
        check_stress_fields(e, string_member(e, "kind"), &recovering);
        oem_count += strcmp(string_member(e, "kind"), "oem") == 0;
        ids[i] = strdup(string_member(e, "id"));
    }
    assert_int_equal(oem_count, oems);
    if (firms >= 400)
        assert_true(recovering * 100 >= firms * 45 && recovering * 100 <= firms * 55);
    qsort(ids, firms, sizeof *ids, compare_strings);

    size_t *degree = calloc(firms, sizeof *degree);
    assert_non_null(degree);
    json_array_foreach(links, i, l) {
        const char *ends[2] = {string_member(l, "from"), string_member(l, "to")};
        assert_string_not_equal(ends[0], ends[1]);
        assert_string_equal(string_member(l, "part"), "goods");
        assert_true(json_integer_value(json_object_get(l, "volume")) >= 1);
        for (int k = 0; k < 2; k++) {
            char **at = bsearch(&ends[k], ids, firms, sizeof *ids, compare_strings);
            assert_non_null(at);
            degree[at - ids]++;
        }
    }
    char **pairs = dense_pairs(links);
    for (size_t j = 1; j < m; j++)
        if (strcmp(pairs[j - 1], pairs[j]) == 0)
            fail_msg("duplicate link %s", pairs[j]);
    json_array_foreach(links, i, l) {
        char *reverse = join3(string_member(l, "to"), string_member(l, "from"), NULL);
        mutual += contains(pairs, m, reverse);
        free(reverse);
    }
    assert_int_equal(mutual % 2, 0);
    mutual /= 2;
    assert_true(mutual >= min_mutual);
    json_t *meta = json_object_get(root, "meta");
    assert_int_equal(json_integer_value(json_object_get(meta, "mutual_pairs")), mutual);
    assert_int_equal(json_integer_value(json_object_get(meta, "links")), m);

    size_t max_degree = 0;
    for (size_t f = 0; f < firms; f++) {
        if (degree[f] == 0)
            fail_msg("enterprise %s has no link", ids[f]);
        if (degree[f] > max_degree)
            max_degree = degree[f];
    }
    /* Heavy-tailed: the biggest hub trades with many times the mean. */
    if (heavy_tail)
        assert_true(max_degree >= 10 * (2 * m / firms));
    free(degree);
    free_strings(pairs, m);
    free_strings(ids, firms);
}

static void test_dense_preset(void **state)
{
    (void)state;
    generated g = generate(CY_PRESET_DENSE, 1, 0, 0);
    assert_int_equal(g.status, CY_OK);
    json_t *root = parse(&g);
    size_t links = json_array_size(json_object_get(root, "links"));
    assert_true(links >= 2700 && links <= 3100);
    /* At least 500 pairs both ways: a third of the links. */
    check_dense(root, 800, 40, 500, 1);
    assert_int_equal(json_array_size(json_object_get(root, "regions")), 2);

    /* The loader takes it; the one warning allowed is about the single
     * part name. */
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(g.data, g.size, "dense", &net, &err), CY_OK);
    assert_int_equal(err.error_count, 0);
    for (size_t i = 0; i < err.count; i++)
        assert_non_null(strstr(err.items[i].message, "part"));
    assert_int_equal(cy_network_enterprise_count(net), 800);
    assert_int_equal(cy_network_link_count(net), links);
    cy_network_free(net);
    cy_error_destroy(&err);
    json_decref(root);
    free(g.data);

    /* Small custom counts still link every firm. */
    g = generate(CY_PRESET_DENSE, 9, 1, 5);
    assert_int_equal(g.status, CY_OK);
    root = parse(&g);
    check_dense(root, 6, 1, 0, 0);
    json_decref(root);
    free(g.data);
}

/* Custom counts, down to the smallest network the generator accepts. */
static void test_custom_counts(void **state)
{
    (void)state;
    const long cases[][2] = {{1, 5}, {1, 6}, {2, 73}, {5, 40}, {60, 300}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        generated g = generate(CY_PRESET_NATIONAL, 3, cases[c][0], cases[c][1]);
        assert_int_equal(g.status, CY_OK);
        json_t *root = parse(&g);
        size_t firms = json_array_size(json_object_get(root, "enterprises"));
        size_t links = json_array_size(json_object_get(root, "links"));
        assert_int_equal(firms, (size_t)(cases[c][0] + cases[c][1]));
        size_t single_sourced = 0;
        check_invariants(root, 4, &single_sourced);
        check_loads_clean(&g, firms, links);
        json_decref(root);
        free(g.data);
    }
}

/* Extreme seeds are fine and recorded as text (a uint64 may not fit a JSON
 * integer in Jansson). */
static void test_extreme_seeds(void **state)
{
    (void)state;
    uint64_t seeds[] = {0, UINT64_MAX};
    for (size_t s = 0; s < 2; s++) {
        generated g = generate(CY_PRESET_REGIONAL, seeds[s], 2, 30);
        assert_int_equal(g.status, CY_OK);
        json_t *root = parse(&g);
        char expected[32];
        snprintf(expected, sizeof expected, "%llu", (unsigned long long)seeds[s]);
        assert_string_equal(string_member(json_object_get(root, "meta"), "seed"), expected);
        json_decref(root);
        free(g.data);
    }
}

/* ------------------------------------------------------------------ */
/* Failures                                                            */
/* ------------------------------------------------------------------ */

static void expect_usage(cy_preset preset, long oems, long suppliers)
{
    generated g = generate(preset, 1, oems, suppliers);
    assert_int_equal(g.status, CY_EUSAGE);
    assert_int_equal(g.errors, 1);
    assert_int_equal(g.size, 0); /* nothing written */
    free(g.data);
}

static void test_bad_params(void **state)
{
    (void)state;
    cy_error err;
    cy_error_init(&err);
    cy_generate_params params = {CY_PRESET_REGIONAL, 1, 0, 0, 0};
    assert_int_equal(cy_generate(NULL, stdout, &err), CY_EUSAGE);
    assert_int_equal(cy_generate(&params, NULL, &err), CY_EUSAGE);
    assert_int_equal(err.error_count, 2);
    assert_non_null(strstr(err.items[0].message, "output stream"));
    cy_error_destroy(&err);

    expect_usage((cy_preset)5, 0, 0);
    expect_usage((cy_preset)-1, 0, 0);
    expect_usage(CY_PRESET_REGIONAL, 5000001, 0);  /* too many OEMs */
    expect_usage(CY_PRESET_REGIONAL, 0, 4);        /* a supplier tier would be empty */
    expect_usage(CY_PRESET_REGIONAL, 0, 5000001);  /* too many suppliers */
    expect_usage(CY_PRESET_REGIONAL, 2500000, 2500001); /* total over 5,000,000 */

    /* The message names the value. */
    cy_error_init(&err);
    params.supplier_count = 3;
    assert_int_equal(cy_generate(&params, stdout, &err), CY_EUSAGE);
    assert_int_equal(err.count, 1);
    assert_non_null(strstr(err.items[0].message, "supplier count 3"));
    cy_error_destroy(&err);

    /* <= 0 means the preset's default, not an error. */
    generated g = generate(CY_PRESET_REGIONAL, 1, -5, -5);
    assert_int_equal(g.status, CY_OK);
    free(g.data);
}

static void test_write_failure(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (full == NULL)
        skip();
    cy_error err;
    cy_error_init(&err);
    cy_generate_params params = {CY_PRESET_REGIONAL, 1, 0, 0, 0};
    assert_int_equal(cy_generate(&params, full, &err), CY_EIO);
    assert_int_equal(err.error_count, 1);
    assert_non_null(strstr(err.items[0].message, "cannot write"));
    cy_error_destroy(&err);
    fclose(full);
}

/* Make each allocation of a small run fail in turn: every one must end in
 * CY_ENOMEM with an error (and, under the sanitizers, without a leak). */
static void every_allocation_failing(cy_generate_params params)
{
    char *data = NULL;
    size_t size = 0;

    cy_alloc_fail_after(-1, 0);
    FILE *stream = open_memstream(&data, &size);
    assert_non_null(stream);
    assert_int_equal(cy_generate(&params, stream, NULL), CY_OK);
    long allocations = cy_alloc_count();
    fclose(stream);
    free(data);
    assert_true(allocations > 10);

    for (long n = 0; n < allocations; n++) {
        cy_error err;
        cy_error_init(&err);
        data = NULL;
        stream = open_memstream(&data, &size);
        assert_non_null(stream);
        cy_alloc_fail_after(n, 0);
        cy_status status = cy_generate(&params, stream, &err);
        cy_alloc_fail_after(-1, 0);
        if (status != CY_ENOMEM)
            fail_msg("allocation %ld of %ld failing gave status %d", n, allocations,
                     (int)status);
        if (!(err.error_count == 1 || err.oom))
            fail_msg("allocation %ld: %zu errors, first: %s", n, err.error_count,
                     err.count ? err.items[0].message : "(none)");
        cy_error_destroy(&err);
        fclose(stream);
        free(data);
    }
}

static void test_every_allocation_failing(void **state)
{
    (void)state;
    every_allocation_failing((cy_generate_params){CY_PRESET_REGIONAL, 5, 2, 12, 0});
    every_allocation_failing((cy_generate_params){CY_PRESET_DENSE, 5, 2, 12, 0});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_different_seed_different_bytes),
        cmocka_unit_test(test_pinned_bytes),
        cmocka_unit_test(test_stress_fields_leave_the_rest),
        cmocka_unit_test(test_regional_preset),
        cmocka_unit_test(test_province_preset),
        cmocka_unit_test(test_xl_preset),
        cmocka_unit_test(test_dense_preset),
        cmocka_unit_test(test_custom_counts),
        cmocka_unit_test(test_extreme_seeds),
        cmocka_unit_test(test_bad_params),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_every_allocation_failing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
