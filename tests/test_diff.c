/*
 * test_diff.c - comparing two versions of a network.
 *
 * - the hand-checked pair graphs/diff-before.json / diff-after.json (one
 *   link moved, a firm moved into a new park, the OEM's final demand
 *   raised; graphs/README.md);
 * - every field of every kind of record, on a pair built here;
 * - a network against itself has no difference, and swapping the two
 *   versions swaps added and removed;
 * - allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "helpers.h"

static void compute(const cy_network *a, const cy_network *b, cy_diff *d)
{
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_diff_compute(a, b, 0.0, d, &err), CY_OK);
    cy_error_destroy(&err);
}

/* The id of record k (the supplier of a link). */
static const char *id_of(const cy_network *a, const cy_network *b, const cy_diff_record *r)
{
    const cy_network *net = r->new_index != CY_DIFF_NONE ? b : a;
    size_t i = r->new_index != CY_DIFF_NONE ? r->new_index : r->old_index;
    switch (r->kind) {
    case CY_DIFF_LINK: return net->enterprises[net->links[i].from].id;
    case CY_DIFF_PART: return net->parts.strings[i];
    case CY_DIFF_ENTERPRISE:
    case CY_DIFF_REGISTER: return net->enterprises[i].id;
    default: return net->groups[r->kind][i].id;
    }
}

/*
 * graphs/README.md, "diff-before.json and diff-after.json": the cell link
 * moves from cell-a to cell-b; cell-b gets park p2 (new); oem's final
 * demand 100 -> 120.  Register: cell-b new (0 -> 120, 0 -> 3 failed),
 * cell-a resolved (100 -> 0, 3 -> 0), pack changed (100 -> 120, 2 -> 2):
 * ranked by |change| 120, 100, 20.
 */
static void test_link_moved(void **state)
{
    cy_network *a = load_graph("diff-before.json"), *b = load_graph("diff-after.json");
    static const struct {
        cy_diff_kind kind;
        cy_diff_change change;
        const char *id;
    } want[] = {{CY_DIFF_PARK, CY_DIFF_ADDED, "p2"},
                {CY_DIFF_ENTERPRISE, CY_DIFF_CHANGED, "cell-b"},
                {CY_DIFF_ENTERPRISE, CY_DIFF_CHANGED, "oem"},
                {CY_DIFF_LINK, CY_DIFF_ADDED, "cell-b"},
                {CY_DIFF_LINK, CY_DIFF_REMOVED, "cell-a"},
                {CY_DIFF_REGISTER, CY_DIFF_ADDED, "cell-b"},
                {CY_DIFF_REGISTER, CY_DIFF_REMOVED, "cell-a"},
                {CY_DIFF_REGISTER, CY_DIFF_CHANGED, "pack"}};
    static const double lost[][2] = {{0, 120}, {100, 0}, {100, 120}};
    static const size_t failed[][2] = {{0, 3}, {3, 0}, {2, 2}};
    cy_diff d;
    (void)state;

    compute(a, b, &d);
    assert_int_equal(d.record_count, 8);
    for (size_t k = 0; k < 8; k++) {
        assert_int_equal(d.records[k].kind, want[k].kind);
        assert_int_equal(d.records[k].change, want[k].change);
        assert_string_equal(id_of(a, b, &d.records[k]), want[k].id);
    }
    /* The moved link: removed from cell-a, added from cell-b, both to pack. */
    assert_string_equal(b->enterprises[b->links[d.records[3].new_index].to].id, "pack");
    assert_int_equal(d.records[3].old_index, CY_DIFF_NONE);
    assert_int_equal(d.records[4].new_index, CY_DIFF_NONE);
    /* cell-b: park absent -> p2; oem: final_demand 100 -> 120. */
    assert_int_equal(d.records[1].field_count, 1);
    assert_string_equal(d.fields[d.records[1].field_first].name, "park");
    assert_int_equal(d.fields[d.records[1].field_first].old_value.type, CY_DV_ABSENT);
    assert_string_equal(d.fields[d.records[1].field_first].new_value.text, "p2");
    assert_string_equal(d.fields[d.records[2].field_first].name, "final_demand");
    assert_close(d.fields[d.records[2].field_first].old_value.number, 100, 0);
    assert_close(d.fields[d.records[2].field_first].new_value.number, 120, 0);
    for (size_t k = 0; k < 3; k++) {
        const cy_diff_record *r = &d.records[5 + k];
        assert_close(r->old_final_demand_lost, lost[k][0], 0);
        assert_close(r->new_final_demand_lost, lost[k][1], 0);
        assert_close(r->delta_final_demand, lost[k][1] - lost[k][0], 0);
        assert_int_equal(r->old_failed_count, failed[k][0]);
        assert_int_equal(r->new_failed_count, failed[k][1]);
    }
    assert_int_equal(d.count[CY_DIFF_LINK][CY_DIFF_ADDED], 1);
    assert_int_equal(d.count[CY_DIFF_LINK][CY_DIFF_REMOVED], 1);
    assert_int_equal(d.count[CY_DIFF_REGISTER][CY_DIFF_CHANGED], 1);
    assert_close(d.old_final_demand_total, 100, 0);
    assert_close(d.new_final_demand_total, 120, 0);
    cy_diff_destroy(&d);
    cy_network_free(a);
    cy_network_free(b);
}

static cy_network *load_text(const char *text)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "inline", &net, &err), CY_OK);
    cy_error_destroy(&err);
    return net;
}

static const char before_text[] =
    "{\"format\": \"chengyu/1\", \"name\": \"a\","
    " \"regions\": [{\"id\": \"r\", \"name\": \"R\", \"inside\": true},"
    "              {\"id\": \"gone\", \"name\": \"G\"}],"
    " \"clusters\": [{\"id\": \"c\", \"name\": \"C\", \"sector\": \"auto\"}],"
    " \"parks\": [{\"id\": \"p\", \"name\": \"P\", \"region\": \"r\"}],"
    " \"enterprises\": ["
    "  {\"id\": \"s\", \"kind\": \"supplier\", \"produces\": [\"x\", \"y\"], \"tier\": 2,"
    "   \"clusters\": [\"c\"], \"output_value\": 5, \"location\": [104, 30]},"
    "  {\"id\": \"o\", \"name\": \"OEM\", \"kind\": \"oem\", \"requires\": [\"x\"],"
    "   \"source\": \"illustrative\"}],"
    " \"links\": [{\"from\": \"s\", \"to\": \"o\", \"part\": \"x\", \"volume\": 2, \"share\": 1}]}";

static const char after_text[] =
    "{\"format\": \"chengyu/1\", \"name\": \"b\","
    " \"regions\": [{\"id\": \"r\", \"name\": \"R\", \"inside\": false}],"
    " \"clusters\": [{\"id\": \"c\", \"name\": \"C\", \"sector\": \"battery\"}],"
    " \"parks\": [{\"id\": \"p\", \"name\": \"P\", \"region\": \"r\", \"demonstration\": true}],"
    " \"enterprises\": ["
    "  {\"id\": \"s\", \"kind\": \"material\", \"produces\": [\"y\", \"x\", \"z;w\"], \"tier\": 2,"
    "   \"output_value\": 5, \"location\": [104.5, 30]},"
    "  {\"id\": \"o\", \"name\": \"OEM\", \"kind\": \"oem\", \"requires\": [\"x\"],"
    "   \"source\": \"illustrative\"}],"
    " \"links\": [{\"from\": \"s\", \"to\": \"o\", \"part\": \"x\", \"volume\": 3}]}";

/* The fields of record r: "name:old>new" joined with spaces, numbers
 * with %g, absent as "-". */
static void spell(const cy_diff *d, const cy_diff_record *r, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t f = 0; f < r->field_count; f++) {
        const cy_diff_field *field = &d->fields[r->field_first + f];
        const cy_diff_value *v[2] = {&field->old_value, &field->new_value};
        used += (size_t)snprintf(out + used, size - used, "%s%s:", f ? " " : "", field->name);
        for (int k = 0; k < 2; k++) {
            if (v[k]->type == CY_DV_TEXT)
                used += (size_t)snprintf(out + used, size - used, "%s", v[k]->text);
            else if (v[k]->type == CY_DV_ABSENT)
                used += (size_t)snprintf(out + used, size - used, "-");
            else
                used += (size_t)snprintf(out + used, size - used, "%g", v[k]->number);
            if (k == 0)
                used += (size_t)snprintf(out + used, size - used, ">");
        }
    }
}

/* Every kind of field: booleans, lists (sorted, escaped), numbers, text. */
static void test_every_field(void **state)
{
    cy_network *a = load_text(before_text), *b = load_text(after_text);
    char text[512];
    cy_diff d;
    (void)state;

    compute(a, b, &d);
    /* regions: gone removed, r changed; cluster; park; s; part z;w added;
     * the link changed. */
    assert_int_equal(d.count[CY_DIFF_REGION][CY_DIFF_REMOVED], 1);
    assert_int_equal(d.count[CY_DIFF_PART][CY_DIFF_ADDED], 1);
    for (size_t k = 0; k < d.record_count; k++) {
        const cy_diff_record *r = &d.records[k];
        const char *id = id_of(a, b, r);
        if (r->change != CY_DIFF_CHANGED || r->kind == CY_DIFF_REGISTER)
            continue;
        spell(&d, r, text, sizeof text);
        if (r->kind == CY_DIFF_REGION)
            assert_string_equal(text, "inside:1>0");
        else if (r->kind == CY_DIFF_CLUSTER)
            assert_string_equal(text, "sector:auto>battery");
        else if (r->kind == CY_DIFF_PARK)
            assert_string_equal(text, "demonstration:0>1");
        else if (r->kind == CY_DIFF_LINK)
            assert_string_equal(text, "volume:2>3 share:1>-");
        else if (strcmp(id, "s") == 0)
            assert_string_equal(text, "kind:supplier>material clusters:c>- "
                                      "produces:x;y>x;y;z\\;w location:104.0,30.0>104.5,30.0");
        else
            fail_msg("unexpected change of %s: %s", id, text);
    }
    cy_diff_destroy(&d);
    cy_network_free(a);
    cy_network_free(b);
}

/* A network against itself: nothing; the two ways round: added and
 * removed (new and resolved) swap, changed stays. */
static void test_properties(void **state)
{
    static const char *const graphs[][2] = {
        {"cascade-battery.json", "weaklinks-example.json"},
        {"diff-before.json", "diff-after.json"},
        {"weaklinks-example.json", "weaklinks-example-backup.json"},
        {"groups.json", "stress-park.json"}};
    (void)state;
    for (size_t g = 0; g < sizeof graphs / sizeof graphs[0]; g++) {
        cy_network *a = load_graph(graphs[g][0]), *b = load_graph(graphs[g][1]);
        cy_diff same, ab, ba;
        compute(a, a, &same);
        assert_int_equal(same.record_count, 0);
        compute(a, b, &ab);
        compute(b, a, &ba);
        assert_int_equal(ab.record_count, ba.record_count);
        for (int kind = 0; kind < CY_DIFF_KIND_COUNT; kind++) {
            assert_int_equal(ab.count[kind][CY_DIFF_ADDED], ba.count[kind][CY_DIFF_REMOVED]);
            assert_int_equal(ab.count[kind][CY_DIFF_REMOVED], ba.count[kind][CY_DIFF_ADDED]);
            assert_int_equal(ab.count[kind][CY_DIFF_CHANGED], ba.count[kind][CY_DIFF_CHANGED]);
        }
        assert_true(ab.record_count > 0);
        cy_diff_destroy(&same);
        cy_diff_destroy(&ab);
        cy_diff_destroy(&ba);
        cy_network_free(a);
        cy_network_free(b);
    }
}

/* cy_diff_run: the two registers' steps, each weighted by its network's
 * size, then the comparison; the same records as cy_diff_compute. */
static void test_progress(void **state)
{
    cy_network *a = load_graph("diff-before.json"), *b = load_graph("diff-after.json");
    step_log log = {{0}, {0}, 0};
    cy_diff plain, with;
    size_t k = 0;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    compute(a, b, &plain);
    assert_int_equal(cy_diff_run(a, b, 0.0, log_step, &log, &with, &err), CY_OK);
    check_steps(&log, "weak links (new)");
    assert_string_equal(log.what[0], "weak links (old)");
    while (k < log.count && strcmp(log.what[k], "weak links (old)") == 0)
        k++;
    /* The old register ends where the new one begins. */
    assert_true(k < log.count && log.percent[k] == log.percent[k - 1]);
    assert_string_equal(log.what[log.count - 2], "comparing records");
    assert_true(log.percent[log.count - 2] == 90.0);
    assert_int_equal(with.record_count, plain.record_count);
    for (size_t r = 0; r < plain.record_count; r++)
        assert_true(with.records[r].kind == plain.records[r].kind &&
                    with.records[r].change == plain.records[r].change);
    cy_diff_destroy(&plain);
    cy_diff_destroy(&with);
    cy_error_destroy(&err);
    cy_network_free(a);
    cy_network_free(b);
}

static void test_bad_threshold(void **state)
{
    cy_network *a = load_graph("diff-before.json");
    cy_diff d;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_diff_compute(a, a, 1.5, &d, &err), CY_EUSAGE);
    assert_int_equal(d.record_count, 0);
    assert_string_equal(cy_diff_kind_name(CY_DIFF_LINK), "links");
    assert_string_equal(cy_diff_change_name(CY_DIFF_REGISTER, CY_DIFF_REMOVED), "resolved");
    assert_string_equal(cy_diff_change_name(CY_DIFF_PARK, CY_DIFF_REMOVED), "removed");
    cy_error_destroy(&err);
    cy_network_free(a);
}

/* What the writers are given, for write_under_alloc_failures. */
typedef struct {
    const cy_network *old_net, *new_net;
    const cy_diff *diff;
    cy_write_options options;
} diff_write;

static cy_status write_diff(FILE *out, const void *data, cy_error *err)
{
    const diff_write *w = data;
    return cy_diff_write(w->old_net, w->new_net, w->diff, &w->options, out, err);
}

/* Every allocation of cy_diff_compute and of its writers failing in turn:
 * CY_ENOMEM, never a crash (the sanitizer build checks for leaks). */
static void test_allocation_failures(void **state)
{
    cy_network *a = load_text(before_text), *b = load_text(after_text);
    static const cy_format formats[] = {CY_FORMAT_MD, CY_FORMAT_HTML, CY_FORMAT_JSON,
                                        CY_FORMAT_CSV};
    long n;
    (void)state;
    for (n = 0;; n++) {
        cy_diff d;
        cy_error err;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_diff_compute(a, b, 0.0, &d, &err);
        cy_alloc_fail_after(-1, 0);
        cy_error_destroy(&err);
        if (status == CY_OK) {
            cy_diff_destroy(&d);
            break;
        }
        assert_int_equal(status, CY_ENOMEM);
    }
    assert_true(n > 20);
    for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
        diff_write w = {a, b, NULL, {0}};
        cy_diff d;
        compute(a, b, &d);
        w.diff = &d;
        cy_write_options_init(&w.options, formats[f]);
        write_under_alloc_failures(write_diff, &w); /* md, html, csv allocate nothing */
        cy_diff_destroy(&d);
    }
    cy_network_free(a);
    cy_network_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_link_moved),
        cmocka_unit_test(test_every_field),
        cmocka_unit_test(test_properties),
        cmocka_unit_test(test_bad_threshold),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
