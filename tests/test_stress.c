/*
 * test_stress.c - time to survive and impact (src/analysis/stress*.c) on
 * the hand-checked networks graphs/stress-*.json (answers worked out in
 * graphs/README.md, "Stress examples"), normal operation, the reduction
 * against the whole-network programs on generated networks, bad options,
 * GLPK failures and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"
#include "helpers.h"
#include "stress_internal.h"

/* Answers within 1e-9 relative (the programs' exact values are worked out
 * by hand; the solver's rounding is far below this). */
#define assert_rel(a, b) assert_close((a), (b), 1e-9 * fmax(1.0, fabs(b)))

static size_t firm(const cy_network *net, const char *id)
{
    size_t index = 0;
    if (!cy_network_find_enterprise(net, id, &index))
        fail_msg("no enterprise %s", id);
    return index;
}

/* One disruption of the firms in `ids` ("a,b"), with days T. */
static void run(const cy_network *net, const char *ids, double days, int whole,
                cy_stress_result *result)
{
    size_t failed[16], count = 0;
    char buffer[256], *save = NULL;
    cy_stress_options options;
    cy_error err;

    snprintf(buffer, sizeof buffer, "%s", ids);
    for (char *tok = strtok_r(buffer, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        failed[count++] = firm(net, tok);
    cy_stress_options_init(&options);
    options.days = days;
    options.whole_network = whole;
    cy_error_init(&err);
    if (cy_stress_run(net, &options, failed, count, CY_STRESS_FIRMS, 0, result, &err) != CY_OK)
        fail_msg("stress run failed: %s", err.count ? err.items[0].message : "?");
    cy_error_destroy(&err);
    assert_int_equal(result->count, 1);
}

/* The loss of firm `id` in a disruption (0 when not listed). */
static double lost(const cy_stress_disruption *d, const char *id)
{
    for (size_t k = 0; k < d->lost_count; k++)
        if (strcmp(d->lost[k].id, id) == 0)
            return d->lost[k].lost;
    return 0.0;
}

/* Both the reduced and the whole-network programs give the answer. */
static void check(const cy_network *net, const char *ids, double days, int survives,
                  double tts, double ttr, double impact, double fraction, int exposed)
{
    for (int whole = 0; whole < 2; whole++) {
        cy_stress_result r;
        const cy_stress_disruption *d;
        run(net, ids, days, whole, &r);
        d = &r.disruptions[0];
        assert_int_equal(d->survives, survives);
        if (!survives)
            assert_rel(d->tts_days, tts);
        assert_rel(d->ttr_days, ttr);
        assert_rel(d->impact, impact);
        assert_rel(d->impact_fraction, fraction);
        assert_int_equal(d->exposed, exposed);
        cy_stress_result_destroy(&r);
    }
}

/* A single-sourced chain, 10 days of stock at the carmaker: it survives
 * 10 days; over the supplier's 20 recovery days half the demand is lost
 * (stock covers the first 10). */
static void test_chain(void **state)
{
    cy_network *net = load_graph("stress-chain.json");
    cy_stress_result r;
    (void)state;
    check(net, "engine-maker", 30, 0, 10.0, 20.0, 2e6, 0.5, 1);
    run(net, "engine-maker", 30, 0, &r);
    assert_int_equal(r.disruptions[0].lost_count, 1);
    assert_rel(lost(&r.disruptions[0], "carmaker"), 2e6);
    cy_stress_result_destroy(&r);
    /* The carmaker itself: its own demand over --days, nobody else loses. */
    check(net, "carmaker", 30, 1, 0, 30.0, 6e6, 1.0, 0);
    check(net, "carmaker", 73, 1, 0, 73.0, 14.6e6, 1.0, 0);
    cy_network_free(net);
}

/* Dual sourcing: the spare capacity of cell-b covers the whole need. */
static void test_dual(void **state)
{
    cy_network *net = load_graph("stress-dual.json");
    cy_stress_result r;
    (void)state;
    check(net, "cell-a", 30, 1, 0, 30.0, 0.0, 0.0, 0);
    run(net, "cell-a", 30, 0, &r);
    assert_int_equal(r.disruptions[0].lost_count, 0);
    cy_stress_result_destroy(&r);
    /* cell-a has no spare capacity: half the need, no stock. */
    check(net, "cell-b", 30, 0, 0.0, 30.0, 6e6, 0.5, 1);
    cy_network_free(net);
}

/* The second source can give 60% of the need; 3 days of stock make up
 * the 40% shortfall for 7.5 days; over 30 days 30% of the demand is lost. */
static void test_partial(void **state)
{
    cy_network *net = load_graph("stress-partial.json");
    (void)state;
    check(net, "cell-a", 30, 0, 7.5, 30.0, 3.6e6, 0.3, 1);
    check(net, "cell-b", 30, 0, 7.5, 30.0, 3.6e6, 0.3, 1);
    /* A window shorter than the time to survive loses nothing. */
    check(net, "cell-a", 7, 0, 7.5, 7.0, 0.0, 0.0, 0);
    cy_network_free(net);
}

/* cell-a degraded to `left` of its capacity (twice when `again` >= 0, at
 * that fraction too), days T, reduced or whole network. */
static void run_degraded(const cy_network *net, double left, double again, double days,
                         int whole, cy_stress_result *r)
{
    cy_degrade degrade[2] = {{firm(net, "cell-a"), left}, {firm(net, "cell-a"), again}};
    cy_stress_options options;
    cy_error err;

    cy_stress_options_init(&options);
    options.days = days;
    options.whole_network = whole;
    options.degrade = degrade;
    options.degrade_count = again >= 0 ? 2 : 1;
    cy_error_init(&err);
    assert_int_equal(cy_stress_run(net, &options, NULL, 0, CY_STRESS_FIRMS, 0, r, &err), CY_OK);
    cy_error_destroy(&err);
    assert_int_equal(r->count, 1);
}

/* cell-a at half its capacity (21.9 M a year): the carmaker gets 0.06 +
 * 0.12 M of cells a day for the 0.2 M it needs; 0.6 M of stock covers the
 * 0.02 M a day for 30 days.  Over 60 days it makes 2 x (10.8 + 0.6) =
 * 22.8 M of its 24 M: 1.2 M lost, 5%; over 20 days nothing. */
static void test_degrade(void **state)
{
    cy_network *net = load_graph("stress-partial.json");
    cy_stress_options options;
    cy_stress_result r;
    cy_degrade bad = {0, 1.5};
    cy_error err;
    (void)state;

    for (int whole = 0; whole < 2; whole++) {
        run_degraded(net, 0.5, -1, 60, whole, &r);
        assert_int_equal(r.disruptions[0].failed_count, 0);
        assert_int_equal(r.disruptions[0].degraded_count, 1);
        assert_rel(r.disruptions[0].degraded[0].capacity_left, 0.5);
        assert_string_equal(r.disruptions[0].id, "cell-a");
        assert_false(r.disruptions[0].survives);
        assert_rel(r.disruptions[0].tts_days, 30.0);
        assert_rel(r.disruptions[0].impact, 1.2e6);
        assert_rel(r.disruptions[0].impact_fraction, 0.05);
        assert_true(r.disruptions[0].exposed);
        assert_rel(lost(&r.disruptions[0], "carmaker"), 1.2e6);
        cy_stress_result_destroy(&r);
        run_degraded(net, 0.8, 0.5, 20, whole, &r); /* the smaller counts */
        assert_rel(r.disruptions[0].tts_days, 30.0);
        assert_true(r.disruptions[0].impact == 0.0);
        assert_false(r.disruptions[0].exposed);
        cy_stress_result_destroy(&r);
        /* Capacity 0 is the failure of test_partial, 1 no disruption. */
        run_degraded(net, 0.0, -1, 30, whole, &r);
        assert_int_equal(r.disruptions[0].failed_count, 1);
        assert_int_equal(r.disruptions[0].degraded_count, 0);
        assert_rel(r.disruptions[0].tts_days, 7.5);
        assert_rel(r.disruptions[0].impact, 3.6e6);
        cy_stress_result_destroy(&r);
        run_degraded(net, 1.0, -1, 30, whole, &r);
        assert_true(r.disruptions[0].survives);
        assert_true(r.disruptions[0].impact == 0.0);
        cy_stress_result_destroy(&r);
    }
    cy_stress_options_init(&options);
    options.degrade = &bad;
    options.degrade_count = 1;
    cy_error_init(&err);
    assert_int_equal(cy_stress_run(net, &options, NULL, 0, CY_STRESS_FIRMS, 0, &r, &err),
                     CY_EUSAGE);
    bad.capacity_left = 0.5;
    assert_int_equal(cy_stress_each(net, &options, CY_STRESS_FIRMS, &r, &err), CY_EUSAGE);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* A park fails; the idle qualified source (a link of volume 0) gives all
 * its capacity to the carmaker, its own buyers lose instead. */
static void test_park(void **state)
{
    cy_network *net = load_graph("stress-park.json");
    cy_stress_options options;
    cy_stress_result r;
    cy_error err;
    size_t park, *members, count;
    (void)state;

    cy_error_init(&err);
    assert_true(cy_network_find_group(net, CY_GROUP_PARK, "park-east", &park));
    assert_int_equal(cy_stress_group_members(net, CY_GROUP_PARK, park, &members, &count, &err),
                     CY_OK);
    assert_int_equal(count, 2);
    cy_stress_options_init(&options);
    assert_int_equal(cy_stress_run(net, &options, members, count, CY_GROUP_PARK, park, &r, &err),
                     CY_OK);
    cy_free(members);
    assert_string_equal(r.disruptions[0].id, "park-east");
    assert_int_equal(r.disruptions[0].survives, 0);
    assert_rel(r.disruptions[0].tts_days, 20.0 / 3.0);
    assert_rel(r.disruptions[0].impact, 4e6);
    assert_rel(r.disruptions[0].impact_fraction, 4.0 / 15.0);
    assert_int_equal(r.disruptions[0].lost_count, 2);
    assert_string_equal(r.disruptions[0].lost[0].id, "cell-c");
    assert_rel(r.disruptions[0].lost[0].lost, 3e6);
    assert_rel(r.disruptions[0].lost[1].lost, 1e6);
    cy_stress_result_destroy(&r);
    /* Every park: park-west (everything with a demand) first. */
    assert_int_equal(cy_stress_each(net, &options, CY_GROUP_PARK, &r, &err), CY_OK);
    assert_int_equal(r.count, 2);
    assert_string_equal(r.disruptions[0].id, "park-west");
    assert_rel(r.disruptions[0].impact, 15e6);
    assert_int_equal(r.disruptions[0].survives, 1);
    assert_string_equal(r.disruptions[1].id, "park-east");
    cy_stress_result_destroy(&r);
    /* cell-c alone: its link carries nothing, the carmaker is untouched. */
    check(net, "cell-c", 30, 1, 0, 30.0, 3e6, 0.2, 0);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* Every enterprise: ranked by impact, then id; none skipped here. */
static void test_each(void **state)
{
    cy_network *net = load_graph("stress-chain.json");
    cy_stress_result r;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_stress_each(net, NULL, CY_STRESS_FIRMS, &r, &err), CY_OK);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.skipped_count, 0);
    assert_string_equal(r.disruptions[0].id, "carmaker");
    assert_string_equal(r.disruptions[1].id, "engine-maker");
    assert_rel(r.horizon_days, 365.0);
    assert_rel(r.total_final_demand, 73e6);
    cy_stress_result_destroy(&r);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* What the programs need and the loader does not refuse: a volume on
 * every link, an output covering what the firm delivers; every record
 * reported at its JSON path. */
static void test_check(void **state)
{
    static const char text[] =
        "{\"format\": \"chengyu/1\", \"name\": \"x\", \"enterprises\": ["
        "{\"id\": \"a\", \"kind\": \"supplier\", \"output_value\": 10, \"produces\": [\"p\"]},"
        "{\"id\": \"b\", \"kind\": \"supplier\", \"produces\": [\"p\"]},"
        "{\"id\": \"c\", \"kind\": \"oem\", \"output_value\": 100}],"
        "\"links\": [{\"from\": \"a\", \"to\": \"c\", \"part\": \"p\", \"volume\": 40},"
        "{\"from\": \"b\", \"to\": \"c\", \"part\": \"p\"}]}";
    cy_network *net = NULL;
    cy_stress_result r;
    cy_error err;
    size_t c = 2;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, sizeof text - 1, "x", &net, &err), CY_OK);
    assert_false(cy_link_volume_given(net, 1));
    assert_true(cy_link_volume_given(net, 0));
    cy_error_clear(&err);
    assert_int_equal(cy_stress_run(net, NULL, &c, 1, CY_STRESS_FIRMS, 0, &r, &err), CY_EINPUT);
    assert_int_equal(err.error_count, 2);
    assert_string_equal(err.items[0].path, "$.links[1]");
    assert_non_null(strstr(err.items[0].message, "no volume"));
    assert_string_equal(err.items[1].path, "$.enterprises[0].output_value");
    assert_non_null(strstr(err.items[1].message, "\"a\": output 10 is less than what it delivers"));
    assert_null(r.disruptions);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- generated networks ------------------------------------------------- */

static cy_network *generated(long oems, long suppliers, uint64_t seed)
{
    cy_generate_params params;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cy_network *net = NULL;
    cy_error err;

    assert_non_null(out);
    cy_error_init(&err);
    params.preset = CY_PRESET_REGIONAL;
    params.seed = seed;
    params.oem_count = oems;
    params.supplier_count = suppliers;
    /* Without the generator's stress fields: the figures of these tests
     * are set below (set_figures), AS_GENERATED meaning no spare capacity
     * and no stock. */
    params.omit_stress_fields = 1;
    assert_int_equal(cy_generate(&params, out, &err), CY_OK);
    fclose(out);
    assert_int_equal(cy_network_load_buffer(text, size, "generated", &net, &err), CY_OK);
    free(text);
    cy_error_destroy(&err);
    return net;
}

/* Normal operation (P = out, X = vol, S = fd) meets every constraint for
 * any window, and without a disruption nothing is lost for the whole
 * horizon. */
static void test_normal_operation(void **state)
{
    cy_network *net = generated(10, 490, 3);
    cy_i_stress_data data;
    cy_i_stress_solver *solver;
    cy_i_stress_solution sol = {0};
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_stress_check(net, &err), CY_OK);
    assert_int_equal(cy_i_stress_data_init(&data, net, &err), CY_OK);
    for (double t = 1; t <= 365; t *= 3)
        assert_true(cy_i_stress_normal_violation(&data, t) <= 1e-15);
    solver = cy_i_stress_solver_new(&data);
    assert_non_null(solver);
    for (int whole = 0; whole < 2; whole++) {
        cy_i_stress_begin(solver, NULL, 0, whole);
        assert_int_equal(cy_i_stress_solve(solver, CY_I_STRESS_IMPACT, 30, &sol, &err), CY_OK);
        assert_close(sol.value, 0.0, 1e-12);
        assert_int_equal(cy_i_stress_solve(solver, CY_I_STRESS_TTS, 365, &sol, &err), CY_OK);
        assert_rel(sol.value, 365.0);
        cy_i_stress_end(solver);
    }
    cy_free(sol.lost);
    cy_i_stress_solver_free(solver);
    cy_i_stress_data_destroy(&data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* A hash in [0, 1) of (i, k), for spare capacities and stocks that the
 * generator does not set. */
static double hash01(size_t i, unsigned k)
{
    uint64_t x = (uint64_t)i * 0x9E3779B97F4A7C15u + (uint64_t)k * 0xBF58476D1CE4E5B9u;
    x ^= x >> 31;
    x *= 0x94D049BB133111EBu;
    x ^= x >> 29;
    return (double)(x >> 11) / 9007199254740992.0;
}

/* The figures the programs are compared on: the generator's (no spare
 * capacity, no stock), capacities up to 30% above the output and 0 to 14
 * days of stock everywhere, stock on about half of the firms only, or
 * final demand on about a tenth of the firms only (with the fields). */
typedef enum { AS_GENERATED, FIELDS, SOME_STOCK, SPARSE_DEMAND } figures;

static void set_figures(cy_i_stress_data *data, figures kind)
{
    data->total_fd = 0.0;
    for (size_t i = 0; i < data->n; i++) {
        if (kind == FIELDS || kind == SPARSE_DEMAND) {
            data->cap[i] = data->out[i] * (1 + 0.3 * hash01(i, 1));
            data->inventory[i] = floor(15 * hash01(i, 2));
        }
        if (kind == SOME_STOCK && hash01(i, 3) < 0.5)
            data->inventory[i] = 1 + floor(14 * hash01(i, 2));
        if (kind == SPARSE_DEMAND && hash01(i, 4) >= 0.1)
            data->fd[i] = 0.0;
        data->total_fd += data->fd[i];
    }
}

/* How many impact and time-to-survive programs a shortcut answered. */
typedef struct {
    size_t impact, tts;
} shortcut_count;

/*
 * The reduced programs with their shortcuts give the whole network's
 * answers (1e-9 relative) for the failure of every firm, or every
 * `stride`-th.  Returns how many programs a shortcut answered (rounds 0),
 * so that a caller can check the shortcuts were taken.
 */
static shortcut_count compare_reduction(cy_network *net, size_t stride, figures kind)
{
    cy_i_stress_data data;
    cy_i_stress_solver *solver;
    cy_i_stress_solution sol = {0};
    cy_error err;
    shortcut_count shortcuts = {0, 0};

    cy_error_init(&err);
    assert_int_equal(cy_i_stress_data_init(&data, net, &err), CY_OK);
    set_figures(&data, kind);
    solver = cy_i_stress_solver_new(&data);
    assert_non_null(solver);
    for (size_t f = 0; f < data.n; f += stride) {
        double value[2][2];
        for (int whole = 0; whole < 2; whole++) {
            cy_i_stress_begin(solver, &f, 1, whole);
            assert_int_equal(cy_i_stress_solve(solver, CY_I_STRESS_IMPACT, 30, &sol, &err), CY_OK);
            value[whole][0] = sol.value;
            shortcuts.impact += sol.rounds == 0;
            assert_int_equal(cy_i_stress_solve(solver, CY_I_STRESS_TTS, 365, &sol, &err), CY_OK);
            value[whole][1] = sol.value;
            shortcuts.tts += sol.rounds == 0;
            assert_true(!whole || sol.rounds > 0);
            cy_i_stress_end(solver);
        }
        assert_close(value[0][0], value[1][0], 1e-9 * fmax(value[1][0], 1e-6));
        assert_close(value[0][1], value[1][1], 1e-9 * fmax(value[1][1], 1.0));
    }
    cy_free(sol.lost);
    cy_i_stress_solver_free(solver);
    cy_i_stress_data_destroy(&data);
    cy_error_destroy(&err);
    return shortcuts;
}

static void test_reduction_50(void **state)
{
    cy_network *net = generated(3, 47, 1);
    (void)state;
    compare_reduction(net, 1, FIELDS);
    cy_network_free(net);
}

static void test_reduction_500(void **state)
{
    cy_network *net = generated(10, 490, 2);
    (void)state;
    compare_reduction(net, 7, FIELDS);
    cy_network_free(net);
}

static void test_reduction_2000(void **state)
{
    cy_network *net = generated(45, 1955, 4);
    (void)state;
    compare_reduction(net, 97, FIELDS);
    cy_network_free(net);
}

/* The shortcuts against the whole network's programs: without stock the
 * time to survive follows the impact program (every program of the
 * generator's figures after an impact is a shortcut); with stock on half
 * of the firms some are; with final demand on a tenth of the firms some
 * failures have none downstream. */
static void test_shortcuts(void **state)
{
    cy_network *small = generated(3, 47, 1), *medium = generated(10, 490, 2);
    size_t n = cy_network_enterprise_count(small);
    (void)state;

    assert_int_equal(compare_reduction(small, 1, AS_GENERATED).tts, n);
    assert_int_equal(compare_reduction(medium, 23, AS_GENERATED).tts, (500 + 22) / 23);
    assert_true(compare_reduction(small, 1, SOME_STOCK).tts > 0);
    assert_true(compare_reduction(medium, 23, SOME_STOCK).tts > 0);
    assert_true(compare_reduction(small, 1, SPARSE_DEMAND).impact > 0);
    assert_true(compare_reduction(medium, 23, SPARSE_DEMAND).impact > 0);
    cy_network_free(small);
    cy_network_free(medium);
}

/* ---- threads -------------------------------------------------------------- */

static void record_progress(const char *what, double percent, void *data)
{
    double *last = data;
    assert_string_equal(what, "disruptions");
    assert_true(percent >= last[0]);
    if (last[1] == 0)
        last[2] = percent;
    last[0] = percent;
    last[1]++;
}

/* Every single disruption of `kind` with `threads` threads. */
static void each_with(const cy_network *net, int kind, size_t threads,
                      cy_stress_result *r)
{
    cy_stress_options options;
    cy_error err;
    double last[3] = {0.0, 0.0, -1.0};

    cy_stress_options_init(&options);
    options.threads = threads;
    options.progress = record_progress;
    options.progress_data = last;
    cy_error_init(&err);
    assert_int_equal(cy_stress_each(net, &options, kind, r, &err), CY_OK);
    cy_error_destroy(&err);
    assert_true(last[1] >= 2);
    assert_true(last[2] == 0.0); /* the start, so that estimates count it */
    assert_true(last[0] == 100.0);
}

/* The answers, their order and the losses do not depend on the number of
 * threads (each disruption is solved alone). */
static void test_threads(void **state)
{
    cy_network *net = generated(3, 47, 1);
    int kinds[2] = {CY_STRESS_FIRMS, CY_GROUP_PARK};
    (void)state;

    for (int k = 0; k < 2; k++) {
        cy_stress_result one, many;
        each_with(net, kinds[k], 1, &one);
        for (size_t threads = 2; threads <= 3; threads++) {
            each_with(net, kinds[k], threads, &many);
            assert_int_equal(many.count, one.count);
            assert_true(one.count > 0);
            for (size_t d = 0; d < one.count; d++) {
                const cy_stress_disruption *a = &one.disruptions[d], *b = &many.disruptions[d];
                assert_string_equal(a->id, b->id);
                assert_true(a->impact == b->impact && a->tts_days == b->tts_days);
                assert_int_equal(a->survives, b->survives);
                assert_int_equal(a->lost_count, b->lost_count);
                for (size_t q = 0; q < a->lost_count; q++)
                    assert_true(a->lost[q].enterprise == b->lost[q].enterprise &&
                                a->lost[q].lost == b->lost[q].lost);
            }
            cy_stress_result_destroy(&many);
        }
        cy_stress_result_destroy(&one);
    }
    cy_network_free(net);
}

/* The firms downstream of d, its own included, by brute force: a fixpoint
 * over the link list (no queue, no adjacency), for test_hand_out. */
static size_t cone_brute(const cy_network *net, const cy_stress_disruption *d,
                         unsigned char *in)
{
    size_t count = 0;
    int grew = 1;

    memset(in, 0, net->enterprise_count);
    for (size_t k = 0; k < d->failed_count; k++)
        in[d->failed[k]] = 1;
    while (grew) {
        grew = 0;
        for (size_t j = 0; j < net->link_count; j++)
            if (in[net->links[j].from] && !in[net->links[j].to])
                in[net->links[j].to] = grew = 1;
    }
    for (size_t v = 0; v < net->enterprise_count; v++)
        count += in[v];
    return count;
}

/* The hand-out order of --each: largest downstream cone first, equal cones
 * in disruption order; by hand on the chain (carmaker: itself; engine-maker:
 * itself and the carmaker), by brute-force cones on a generated network. */
static void test_hand_out(void **state)
{
    cy_network *chain = load_graph("stress-chain.json"), *net = generated(3, 47, 1);
    cy_stress_result r;
    size_t *order = NULL, *cones;
    unsigned char *in;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_stress_each(chain, NULL, CY_STRESS_FIRMS, &r, &err), CY_OK);
    assert_int_equal(cy_i_stress_hand_out(chain, &r, &order, &err), CY_OK);
    assert_string_equal(r.disruptions[order[0]].id, "engine-maker");
    assert_string_equal(r.disruptions[order[1]].id, "carmaker");
    cy_free(order);
    cy_stress_result_destroy(&r);

    each_with(net, CY_STRESS_FIRMS, 1, &r);
    assert_int_equal(cy_i_stress_hand_out(net, &r, &order, &err), CY_OK);
    cones = calloc(r.count, sizeof *cones);
    in = calloc(net->enterprise_count, 1);
    assert_true(cones && in && r.count > 2);
    for (size_t k = 0; k < r.count; k++)
        cones[k] = cone_brute(net, &r.disruptions[k], in);
    memset(in, 0, net->enterprise_count); /* now: disruptions seen */
    for (size_t k = 0; k < r.count; k++) {
        assert_true(order[k] < r.count && !in[order[k]]);
        in[order[k]] = 1;
        if (k > 0)
            assert_true(cones[order[k - 1]] > cones[order[k]] ||
                        (cones[order[k - 1]] == cones[order[k]] && order[k - 1] < order[k]));
    }
    /* Not every cone alike, or the order would say nothing. */
    assert_true(cones[order[0]] > cones[order[r.count - 1]]);
    free(cones);
    free(in);
    cy_free(order);
    cy_stress_result_destroy(&r);
    cy_error_destroy(&err);
    cy_network_free(net);
    cy_network_free(chain);
}

/*
 * cy_stress_firms (the weak-link report's time section): one disruption
 * per firm given, in the order given (a firm given twice solved twice),
 * each with the figures of cy_stress_run of that firm alone, on 1 or 2
 * threads; an index out of range or degraded firms are usage errors.
 */
static void test_firms(void **state)
{
    cy_network *net = generated(3, 47, 1);
    size_t n = cy_network_enterprise_count(net), firms[16], count = 0;
    cy_stress_options options;
    cy_degrade degraded = {0, 0.5};
    cy_error err;
    (void)state;

    for (size_t i = n; i-- > 0 && count < 14; i -= i >= 3 ? 3 : i)
        firms[count++] = i;
    firms[count++] = firms[0];
    cy_stress_options_init(&options);
    cy_error_init(&err);
    for (size_t threads = 1; threads <= 2; threads++) {
        cy_stress_result r;
        options.threads = threads;
        assert_int_equal(cy_stress_firms(net, &options, firms, count, &r, &err), CY_OK);
        assert_int_equal(r.count, count);
        for (size_t k = 0; k < count; k++) {
            cy_stress_result one;
            const cy_stress_disruption *a = &r.disruptions[k], *b;
            assert_int_equal(a->failed_count, 1);
            assert_int_equal(a->failed[0], firms[k]);
            assert_int_equal(cy_stress_run(net, &options, &firms[k], 1, CY_STRESS_FIRMS, 0,
                                           &one, &err), CY_OK);
            b = &one.disruptions[0];
            assert_int_equal(a->survives, b->survives);
            assert_int_equal(a->exposed, b->exposed);
            assert_rel(a->tts_days, b->tts_days);
            assert_rel(a->ttr_days, b->ttr_days);
            assert_rel(a->impact, b->impact);
            assert_rel(a->impact_fraction, b->impact_fraction);
            cy_stress_result_destroy(&one);
        }
        cy_stress_result_destroy(&r);
    }
    firms[0] = n;
    assert_int_equal(cy_stress_firms(net, &options, firms, count, &(cy_stress_result){0}, &err),
                     CY_EUSAGE);
    firms[0] = 0;
    options.degrade = &degraded;
    options.degrade_count = 1;
    assert_int_equal(cy_stress_firms(net, &options, firms, count, &(cy_stress_result){0}, &err),
                     CY_EUSAGE);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- bad options, GLPK failures, allocation failures ------------------- */

static void test_bad_options(void **state)
{
    cy_network *net = load_graph("stress-chain.json");
    cy_stress_options options;
    cy_stress_result r;
    cy_error err;
    size_t too_far = 2;
    (void)state;

    cy_error_init(&err);
    cy_stress_options_init(&options);
    options.days = 0;
    assert_int_equal(cy_stress_each(net, &options, CY_STRESS_FIRMS, &r, &err), CY_EUSAGE);
    options.days = 30;
    options.horizon = -1;
    assert_int_equal(cy_stress_each(net, &options, CY_STRESS_FIRMS, &r, &err), CY_EUSAGE);
    options.horizon = NAN;
    assert_int_equal(cy_stress_each(net, &options, CY_STRESS_FIRMS, &r, &err), CY_EUSAGE);
    cy_stress_options_init(&options);
    assert_int_equal(cy_stress_each(net, &options, CY_GROUP_CLUSTER, &r, &err), CY_EUSAGE);
    assert_int_equal(cy_stress_run(net, &options, &too_far, 1, CY_STRESS_FIRMS, 0, &r, &err),
                     CY_EUSAGE);
    assert_null(r.disruptions);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* A GLPK failure (here its memory limit) is an error naming the
 * disruption, never a crash; the next run works again. */
static void test_glpk_failure(void **state)
{
    cy_network *net = generated(10, 490, 2);
    cy_stress_result r;
    cy_error err;
    size_t f = firm(net, "mat-0001");
    (void)state;

    cy_error_init(&err);
    glp_mem_limit(1);
    assert_int_equal(cy_stress_run(net, NULL, &f, 1, CY_STRESS_FIRMS, 0, &r, &err), CY_EINTERNAL);
    assert_true(err.count > 0);
    assert_non_null(strstr(err.items[err.count - 1].message, "\"mat-0001\""));
    assert_non_null(strstr(err.items[err.count - 1].message, "glpk"));
    cy_error_clear(&err);
    assert_int_equal(cy_stress_run(net, NULL, &f, 1, CY_STRESS_FIRMS, 0, &r, &err), CY_OK);
    cy_stress_result_destroy(&r);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* Every allocation of cy_stress_each failing in turn, on `threads`
 * threads: out of memory, nothing kept, until the run gets through.  On
 * several threads which allocation is the Nth depends on their timing, so
 * only the outcome is checked. */
static void alloc_failures(const char *graph, size_t threads)
{
    cy_network *net = load_graph(graph);
    cy_stress_options options;
    long n;

    cy_stress_options_init(&options);
    options.threads = threads;
    for (n = 0;; n++) {
        cy_stress_result r;
        cy_error err;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_stress_each(net, &options, CY_STRESS_FIRMS, &r, &err);
        cy_alloc_fail_after(-1, 0);
        cy_error_destroy(&err);
        if (status == CY_OK) {
            assert_int_equal(r.count, 4);
            cy_stress_result_destroy(&r);
            break;
        }
        assert_int_equal(status, CY_ENOMEM);
        assert_null(r.disruptions);
    }
    assert_true(n > 20);
    cy_network_free(net);
}

static void test_alloc_failure(void **state)
{
    (void)state;
    alloc_failures("stress-park.json", 1);
    alloc_failures("stress-park.json", 2);
    alloc_failures("stress-park.json", 4);
}

/* The workbook writer: a zip (xlsx) of the park's disruptions, and out of
 * memory, with nothing kept, whenever one of its allocations fails (the
 * contents are checked against the JSON with openpyxl in
 * tests/cli/test_stress.sh). */
static void test_xlsx(void **state)
{
    cy_network *net = load_graph("stress-park.json");
    cy_stress_result r;
    cy_error err;
    long n;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_stress_each(net, NULL, CY_STRESS_FIRMS, &r, &err), CY_OK);
    for (n = 0;; n++) {
        char *bytes = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&bytes, &size);
        cy_status status;
        assert_non_null(out);
        cy_alloc_fail_after(n, 0);
        status = cy_stress_write_xlsx(net, &r, 0, out, &err);
        cy_alloc_fail_after(-1, 0);
        fclose(out);
        if (status == CY_OK) {
            assert_true(size > 1000 && memcmp(bytes, "PK\003\004", 4) == 0);
            free(bytes);
            break;
        }
        assert_int_equal(status, CY_ENOMEM);
        free(bytes);
        cy_error_clear(&err);
    }
    assert_true(n > 3);
    cy_stress_result_destroy(&r);
    cy_error_destroy(&err);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_dual),
        cmocka_unit_test(test_partial),
        cmocka_unit_test(test_degrade),
        cmocka_unit_test(test_park),
        cmocka_unit_test(test_each),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_normal_operation),
        cmocka_unit_test(test_reduction_50),
        cmocka_unit_test(test_reduction_500),
        cmocka_unit_test(test_reduction_2000),
        cmocka_unit_test(test_shortcuts),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_hand_out),
        cmocka_unit_test(test_firms),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_glpk_failure),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_xlsx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
