/*
 * test_cascade.c - the cascade rule on the hand-checked networks
 * graphs/cascade-*.json.  Every expected list below is derived by hand in
 * graphs/README.md (section "Cascade examples"); the comments repeat the
 * reasoning briefly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"
#include "chengyu_test.h"
#include "helpers.h"

#include <igraph/igraph.h>

static size_t id_index(const cy_network *net, const char *id)
{
    size_t index = 0;
    if (!cy_network_find_enterprise(net, id, &index))
        fail_msg("no enterprise %s", id);
    return index;
}

/* Run a cascade from a comma-separated list of ids ("" for none). */
static void run(const cy_network *net, const char *ids, double threshold,
                cy_cascade_result *result)
{
    size_t initial[64], count = 0;
    char buffer[512], *save = NULL;
    cy_error err;
    snprintf(buffer, sizeof buffer, "%s", ids);
    for (char *tok = strtok_r(buffer, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save))
        initial[count++] = id_index(net, tok);
    cy_error_init(&err);
    assert_int_equal(cy_cascade_run(net, initial, count, threshold, result, &err),
                     CY_OK);
    cy_error_destroy(&err);
}

/* Assert result->failed is exactly the ids in `expected` ("a,b,c"). */
static void assert_failed(const cy_network *net, const cy_cascade_result *r,
                          const char *expected)
{
    char got[1024] = "";
    size_t used = 0;
    for (size_t k = 0; k < r->failed_count; k++)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s",
                                 k ? "," : "", cy_enterprise_id(net, r->failed[k]));
    assert_string_equal(got, expected);
}

static size_t group(const cy_network *net, cy_group_kind kind, const char *id)
{
    size_t g = 0;
    if (!cy_network_find_group(net, kind, id, &g))
        fail_msg("no group %s", id);
    return g;
}

/* ---- cascade-battery.json ---------------------------------------------- */

static int setup_battery(void **state)
{
    *state = load_graph("cascade-battery.json");
    return 0;
}

static int teardown(void **state)
{
    cy_network_free(*state);
    return 0;
}

/* pack gets cells from cell-a and cell-b: losing one is absorbed. */
static void test_redundancy_absorbs(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    run(net, "cell-a", 0.0, &r);
    assert_failed(net, &r, "cell-a");
    assert_int_equal(r.rounds, 0);
    assert_int_equal(r.initial_count, 1);
    assert_close(r.output_value_lost, 20.0, 1e-12);
    assert_close(r.output_value_total, 300.0, 1e-12);
    cy_cascade_result_destroy(&r);
    /* lithium -> cell-a fails, pack still has cell-b. */
    run(net, "lithium", 0.0, &r);
    assert_failed(net, &r, "lithium,cell-a");
    assert_int_equal(r.rounds, 1);
    cy_cascade_result_destroy(&r);
}

/* oem-x still has its battery but loses its only chip source: AND of parts.
 * oem-y also buys chips from chip2 and survives. */
static void test_and_of_parts(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    run(net, "chip", 0.0, &r);
    assert_failed(net, &r, "chip,oem-x");
    assert_int_equal(r.rounds, 1);
    assert_int_equal(r.failed_round[1], 1);
    assert_close(r.output_value_lost, 130.0, 1e-12);
    cy_cascade_result_destroy(&r);
}

/*
 * Initial ids keep the order given; round 1 is {oem-x (via chip), pack (via
 * cell-a)} listed in file order (pack is enterprise 3, oem-x 6) although
 * oem-x is discovered first; oem-y falls in round 2 when pack's battery is
 * gone.
 */
static void test_failed_order(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    static const size_t rounds[] = {0, 0, 0, 1, 1, 2};
    size_t chengdu = group(net, CY_GROUP_REGION, "chengdu");
    size_t chongqing = group(net, CY_GROUP_REGION, "chongqing");
    size_t tianfu = group(net, CY_GROUP_PARK, "tianfu");
    size_t liangjiang = group(net, CY_GROUP_PARK, "liangjiang");

    run(net, "chip,cell-b,cell-a,chip", 0.0, &r);
    assert_int_equal(r.initial_count, 3); /* the repeated chip is ignored */
    assert_string_equal(cy_enterprise_id(net, r.initial[1]), "cell-b");
    assert_failed(net, &r, "chip,cell-b,cell-a,pack,oem-x,oem-y");
    for (size_t k = 0; k < 6; k++)
        assert_int_equal(r.failed_round[k], rounds[k]);
    assert_int_equal(r.rounds, 2);
    assert_close(r.output_value_lost, 260.0, 1e-12);
    /* chip, cell-a, oem-y are in Tianfu / Chengdu; the rest in Chongqing. */
    assert_int_equal(r.by_park[tianfu].failed_count, 3);
    assert_close(r.by_park[tianfu].output_value_lost, 100.0, 1e-12);
    assert_int_equal(r.by_park[liangjiang].failed_count, 3);
    assert_close(r.by_park[liangjiang].output_value_lost, 160.0, 1e-12);
    assert_int_equal(r.by_region[chengdu].failed_count, 3);
    assert_int_equal(r.by_region[chongqing].failed_count, 3);
    assert_close(r.by_region[chongqing].output_value_lost, 160.0, 1e-12);
    assert_int_equal(r.gap_count, 0);
    cy_cascade_result_destroy(&r);
}

/* Liangjiang: cell-b, pack, chip2, oem-x (file order); oem-y then loses its
 * battery.  The Chongqing region is the same set: chip2 names no region
 * but its park lies in Chongqing. */
static void test_park_and_region(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    cy_error err;
    cy_error_init(&err);

    assert_int_equal(cy_cascade_run_group(net, CY_GROUP_PARK,
                                          group(net, CY_GROUP_PARK, "liangjiang"),
                                          0.0, &r, &err), CY_OK);
    assert_failed(net, &r, "cell-b,pack,chip2,oem-x,oem-y");
    assert_int_equal(r.initial_count, 4);
    assert_int_equal(r.rounds, 1);
    assert_close(r.output_value_lost, 240.0, 1e-12);
    cy_cascade_result_destroy(&r);

    assert_int_equal(cy_cascade_run_group(net, CY_GROUP_REGION,
                                          group(net, CY_GROUP_REGION, "chongqing"),
                                          0.0, &r, &err), CY_OK);
    assert_failed(net, &r, "cell-b,pack,chip2,oem-x,oem-y");
    cy_cascade_result_destroy(&r);

    /* Chengdu: lithium, cell-a, chip, oem-y; oem-x loses its chip; pack
     * keeps cell-b. */
    assert_int_equal(cy_cascade_run_group(net, CY_GROUP_REGION,
                                          group(net, CY_GROUP_REGION, "chengdu"),
                                          0.0, &r, &err), CY_OK);
    assert_failed(net, &r, "lithium,cell-a,chip,oem-y,oem-x");
    assert_close(r.output_value_lost, 210.0, 1e-12);
    assert_int_equal(r.by_region[group(net, CY_GROUP_REGION, "chongqing")].failed_count, 1);
    cy_cascade_result_destroy(&r);
    cy_error_destroy(&err);
}

/* With T = 0.6 a supplier covering half (1/2 of two) is not enough. */
static void test_threshold_split(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    run(net, "cell-a", 0.6, &r);
    assert_failed(net, &r, "cell-a,pack,oem-x,oem-y");
    assert_close(r.output_value_lost, 210.0, 1e-12);
    cy_cascade_result_destroy(&r);
    run(net, "chip2", 0.6, &r);
    assert_failed(net, &r, "chip2,oem-y");
    cy_cascade_result_destroy(&r);
    run(net, "chip2", 0.5, &r); /* 0.5 left is not below 0.5 */
    assert_failed(net, &r, "chip2");
    cy_cascade_result_destroy(&r);
}

/* The chokepoint entry of the demand node `id`. */
static const cy_chokepoint *chokepoint_of(const cy_network *net, const cy_single_failures *sf,
                                          const char *id)
{
    for (size_t k = 0; k < sf->chokepoint_count; k++)
        if (strcmp(cy_enterprise_id(net, sf->chokepoints[k].oem), id) == 0)
            return &sf->chokepoints[k];
    fail_msg("no chokepoint entry for %s", id);
    return NULL;
}

/* Final demand (output minus deliveries): lithium 5, cell-a 10, cell-b 10,
 * pack 5, chip 12, chip2 24, oem-x 100, oem-y 50: every firm is a demand
 * node.  pack stops both OEMs: 155; chip oem-x: 112; the order is that of
 * the output lost here too, cell-a and cell-b tying at 10 (by id). */
static void test_single_failures(void **state)
{
    cy_network *net = *state;
    cy_single_failures sf;
    cy_error err;
    static const char *const ranked[] = {"pack", "chip", "oem-x", "oem-y",
                                         "chip2", "lithium", "cell-a", "cell-b"};
    static const double lost[] = {190, 130, 100, 50, 30, 30, 20, 20};
    static const double demand[] = {155, 112, 100, 50, 24, 15, 10, 10};
    static const size_t count[] = {3, 2, 1, 1, 1, 2, 1, 1};
    const cy_chokepoint *x, *y;

    cy_error_init(&err);
    assert_int_equal(cy_single_failures_compute(net, 0.0, &sf, &err), CY_OK);
    assert_int_equal(sf.impact_count, 8);
    for (size_t k = 0; k < 8; k++) {
        assert_string_equal(cy_enterprise_id(net, sf.impacts[k].index), ranked[k]);
        assert_close(sf.impacts[k].output_value_lost, lost[k], 1e-12);
        assert_close(sf.impacts[k].final_demand_lost, demand[k], 1e-12);
        assert_int_equal(sf.impacts[k].failed_count, count[k]);
        assert_int_equal(sf.impacts[k].demand_nodes_failed, count[k]);
    }
    assert_int_equal(sf.impacts[0].rounds, 1);
    /* One entry per demand node, by id.  oem-x stops without chip or pack;
     * oem-y only without pack; cell-a without lithium. */
    assert_int_equal(sf.chokepoint_count, 8);
    assert_string_equal(cy_enterprise_id(net, sf.chokepoints[0].oem), "cell-a");
    x = chokepoint_of(net, &sf, "oem-x");
    y = chokepoint_of(net, &sf, "oem-y");
    assert_int_equal(x->count, 2);
    assert_string_equal(cy_enterprise_id(net, x->enterprises[0]), "chip");
    assert_string_equal(cy_enterprise_id(net, x->enterprises[1]), "pack");
    assert_int_equal(y->count, 1);
    assert_string_equal(cy_enterprise_id(net, y->enterprises[0]), "pack");
    assert_int_equal(chokepoint_of(net, &sf, "cell-a")->count, 1);
    assert_int_equal(chokepoint_of(net, &sf, "pack")->count, 0);
    cy_single_failures_destroy(&sf);
    cy_error_destroy(&err);
}

static void test_group_impacts(void **state)
{
    cy_network *net = *state;
    cy_impact *impacts;
    size_t count;
    cy_error err;
    cy_error_init(&err);

    assert_int_equal(cy_group_impacts_compute(net, CY_GROUP_PARK, 0.0, &impacts,
                                              &count, &err), CY_OK);
    assert_int_equal(count, 2);
    assert_string_equal(cy_group_id(net, CY_GROUP_PARK, impacts[0].index), "liangjiang");
    assert_close(impacts[0].output_value_lost, 240.0, 1e-12);
    assert_int_equal(impacts[0].failed_count, 5);
    assert_string_equal(cy_group_id(net, CY_GROUP_PARK, impacts[1].index), "tianfu");
    assert_close(impacts[1].output_value_lost, 210.0, 1e-12);
    cy_free(impacts);

    assert_int_equal(cy_group_impacts_compute(net, CY_GROUP_REGION, 0.0, &impacts,
                                              &count, &err), CY_OK);
    assert_int_equal(count, 2);
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, impacts[0].index), "chongqing");
    assert_close(impacts[0].output_value_lost, 240.0, 1e-12);
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, impacts[1].index), "chengdu");
    assert_int_equal(impacts[1].failed_count, 5);
    cy_free(impacts);
    cy_error_destroy(&err);
}

/* cy_group_impacts_run: the same ranking, and the share of groups done
 * reported under the kind's name, 0 first and 100 last (each group on
 * one thread; with more the calling thread reports as its groups end). */
static void test_group_impacts_progress(void **state)
{
    static const char *const names[] = {"park failures", "region failures"};
    cy_network *net = *state;
    cy_group_impact_options options;
    cy_impact *impacts;
    size_t count;
    cy_error err;
    cy_error_init(&err);
    for (int q = 0; q < 2; q++) {
        progress_log log = {names[q], {0}, 0, 0};
        cy_group_impact_options_init(&options);
        options.progress = log_progress;
        options.progress_data = &log;
        cy_threads_set(1);
        assert_int_equal(cy_group_impacts_run(net, q ? CY_GROUP_REGION : CY_GROUP_PARK,
                                              &options, &impacts, &count, &err), CY_OK);
        cy_threads_set(0);
        assert_int_equal(count, 2);
        assert_string_equal(cy_group_id(net, q ? CY_GROUP_REGION : CY_GROUP_PARK,
                                        impacts[0].index), q ? "chongqing" : "liangjiang");
        assert_close(impacts[0].output_value_lost, 240.0, 1e-12);
        assert_int_equal(log.count, 3);
        assert_false(log.other_name);
        assert_true(log.percent[0] == 0.0 && log.percent[1] == 50.0 &&
                    log.percent[2] == 100.0);
        cy_free(impacts);
    }
    cy_error_destroy(&err);
}

static void test_bad_arguments(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    cy_single_failures sf;
    size_t bad = 99;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_cascade_run(net, &bad, 1, 0.0, &r, &err), CY_EUSAGE);
    assert_int_equal(cy_cascade_run(net, NULL, 0, 1.5, &r, &err), CY_EUSAGE);
    assert_int_equal(cy_cascade_run(net, NULL, 0, -0.1, &r, &err), CY_EUSAGE);
    assert_int_equal(cy_single_failures_compute(net, NAN, &sf, &err), CY_EUSAGE);
    assert_int_equal(cy_cascade_run_group(net, CY_GROUP_PARK, 7, 0.0, &r, &err),
                     CY_EUSAGE);
    assert_true(err.error_count >= 5);
    /* An empty disruption is valid and fails nothing. */
    assert_int_equal(cy_cascade_run(net, NULL, 0, 0.0, &r, &err), CY_OK);
    assert_int_equal(r.failed_count, 0);
    assert_int_equal(r.rounds, 0);
    cy_cascade_result_destroy(&r);
    cy_error_destroy(&err);
}

/* ---- cascade-shares.json ------------------------------------------------ */

static int setup_shares(void **state)
{
    *state = load_graph("cascade-shares.json");
    return 0;
}

/* motor: m1 0.6, m2 0.3, m3 0.1; ecu: e1, e2 without share (1/2 each);
 * seat: s1 0.8, s2 without share (1/2, the part has 2 suppliers). */
static void test_threshold_shares(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    static const struct {
        const char *fail;
        double threshold;
        const char *failed;
    } cases[] = {
        {"m1", 0.0, "m1"},                       /* 0.4 left, T = 0 */
        {"m1,m2,m3", 0.0, "m1,m2,m3,asm,oem"},   /* nothing left */
        {"m1", 0.5, "m1,asm,oem"},               /* 0.4 < 0.5 */
        {"m2", 0.5, "m2"},                       /* 0.7 >= 0.5 */
        {"m2,m3", 0.5, "m2,m3"},                 /* 0.6 >= 0.5 */
        {"e1", 0.5, "e1"},                       /* 0.5 is not below 0.5 */
        {"e1", 0.6, "e1,asm,oem"},               /* 0.5 < 0.6 */
        /* The motor shares sum to 0.9999999999999999 in doubles, so what is
         * left after a loss falls just short of the exact value; only
         * CY_CASCADE_EPSILON keeps these firms alive (0.4 - 0.3999999999999999
         * and 0.9 - 0.8999999999999999 are about 1e-16). */
        {"m1", 0.4, "m1"},                       /* 1 - 0.6 = 0.4 */
        {"m3", 0.9, "m3"},                       /* 1 - 0.1 = 0.9 */
        {"m1", 0.41, "m1,asm,oem"},              /* 0.4 < 0.41 */
        {"m2", 0.7, "m2"},                       /* 1 - 0.3 = 0.7 */
        {"m2,m3", 0.7, "m2,m3,asm,oem"},         /* 0.6 < 0.7 */
        {"s1", 0.0, "s1"},                       /* s2 still delivers */
        {"s1", 0.6, "s1,asm,oem"},               /* 1/2 left < 0.6 */
        {"s2", 0.6, "s2"},                       /* 0.8 left */
        {"s2", 0.9, "s2,asm,oem"},               /* 0.8 < 0.9 */
        {"s2", 1.0, "s2,asm,oem"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        run(net, cases[k].fail, cases[k].threshold, &r);
        assert_failed(net, &r, cases[k].failed);
        cy_cascade_result_destroy(&r);
    }
    run(net, "m1", 0.5, &r);
    assert_int_equal(r.rounds, 2);
    assert_close(r.output_value_lost, 111.0, 1e-12);
    assert_close(r.output_value_total, 117.0, 1e-12);
    cy_cascade_result_destroy(&r);
}

/* ---- cascade-cycle.json ------------------------------------------------- */

static int setup_cycle(void **state)
{
    *state = load_graph("cascade-cycle.json");
    return 0;
}

/* a gets p from x or c; a -> b -> c -> a is a cycle; c -> d; e <-> f. */
static void test_cycles(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    cy_single_failures sf;
    cy_error err;

    run(net, "x", 0.0, &r); /* a keeps c, which the cycle keeps alive */
    assert_failed(net, &r, "x");
    cy_cascade_result_destroy(&r);
    run(net, "b", 0.0, &r); /* c, then d; a keeps x */
    assert_failed(net, &r, "b,c,d");
    assert_int_equal(r.rounds, 2);
    cy_cascade_result_destroy(&r);
    run(net, "x,b", 0.0, &r); /* round 1: c; round 2: a (lost x and c), d */
    assert_failed(net, &r, "x,b,c,a,d");
    assert_int_equal(r.rounds, 2);
    assert_close(r.output_value_lost, 31.0, 1e-12);
    cy_cascade_result_destroy(&r);
    run(net, "a", 0.0, &r); /* around the cycle back to a, which stops it */
    assert_failed(net, &r, "a,b,c,d");
    assert_int_equal(r.rounds, 3);
    cy_cascade_result_destroy(&r);
    run(net, "e", 0.0, &r); /* a two-firm cycle */
    assert_failed(net, &r, "e,f");
    assert_int_equal(r.rounds, 1);
    cy_cascade_result_destroy(&r);

    cy_error_init(&err);
    assert_int_equal(cy_single_failures_compute(net, 0.0, &sf, &err), CY_OK);
    /* e and f each take both down (96, tie by id), a 30, b 28, c 24, d 16,
     * x 1 (the cycle survives). */
    assert_string_equal(cy_enterprise_id(net, sf.impacts[0].index), "e");
    assert_string_equal(cy_enterprise_id(net, sf.impacts[1].index), "f");
    assert_close(sf.impacts[1].output_value_lost, 96.0, 1e-12);
    assert_string_equal(cy_enterprise_id(net, sf.impacts[2].index), "a");
    assert_string_equal(cy_enterprise_id(net, sf.impacts[6].index), "x");
    /* Every firm sells its output (no volumes): all are demand nodes.  d
     * stops with a, b or c; not with x. */
    assert_int_equal(sf.chokepoint_count, 7);
    assert_int_equal(chokepoint_of(net, &sf, "d")->count, 3);
    assert_string_equal(cy_enterprise_id(net, chokepoint_of(net, &sf, "d")->enterprises[0]), "a");
    assert_string_equal(cy_enterprise_id(net, chokepoint_of(net, &sf, "d")->enterprises[2]), "c");
    cy_single_failures_destroy(&sf);
    cy_error_destroy(&err);
}

/* ---- cascade-gaps.json -------------------------------------------------- */

static int setup_gaps(void **state)
{
    *state = load_graph("cascade-gaps.json");
    return 0;
}

/* body requires frame (s1, x) and paint (nobody); oem requires
 * body-in-white (body) and tyre (nobody); printer supplies nobody in the
 * network (a link of a part oem does not require is refused by the
 * loader). */
static void test_gaps(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;
    cy_single_failures sf;
    cy_error err;

    run(net, "x", 0.0, &r); /* the paint gap does not make body fail */
    assert_failed(net, &r, "x");
    assert_int_equal(r.gap_count, 2);
    assert_string_equal(cy_enterprise_id(net, r.gaps[0].enterprise), "body");
    assert_string_equal(cy_part_name(net, r.gaps[0].part), "paint");
    assert_string_equal(cy_enterprise_id(net, r.gaps[1].enterprise), "oem");
    assert_string_equal(cy_part_name(net, r.gaps[1].part), "tyre");
    cy_cascade_result_destroy(&r);
    run(net, "printer", 0.0, &r); /* no customer: fails alone */
    assert_failed(net, &r, "printer");
    cy_cascade_result_destroy(&r);
    run(net, "s1,x", 0.0, &r);
    assert_failed(net, &r, "s1,x,body,oem");
    assert_close(r.output_value_lost, 23.0, 1e-12);
    cy_cascade_result_destroy(&r);
    run(net, "x", 0.6, &r); /* half the frames left < 0.6 */
    assert_failed(net, &r, "x,body,oem");
    cy_cascade_result_destroy(&r);

    cy_error_init(&err);
    assert_int_equal(cy_single_failures_compute(net, 0.0, &sf, &err), CY_OK);
    assert_string_equal(cy_enterprise_id(net, sf.impacts[0].index), "body");
    assert_close(sf.impacts[0].output_value_lost, 20.0, 1e-12);
    assert_string_equal(cy_enterprise_id(net, sf.impacts[4].index), "s1");
    assert_int_equal(chokepoint_of(net, &sf, "oem")->count, 1);
    assert_string_equal(cy_enterprise_id(net, chokepoint_of(net, &sf, "oem")->enterprises[0]),
                        "body");
    cy_single_failures_destroy(&sf);
    cy_error_destroy(&err);
}

/* ---- chokepoints against dominator trees --------------------------------- */

/*
 * The pure-reachability chokepoints of `oem`, from igraph's dominator tree:
 * in the reversed supply graph (customer -> supplier) plus a sink t that
 * every firm without suppliers points to, the firms on every path from the
 * OEM to t are exactly those whose loss cuts the OEM off from all raw
 * sources.  Writes a 0/1 mark per firm.
 */
static void dominator_chokepoints(const cy_network *net, size_t oem,
                                  unsigned char *mark)
{
    size_t n = cy_network_enterprise_count(net), m = cy_network_link_count(net);
    igraph_vector_int_t edges, dom, leftout;
    igraph_t reversed;
    unsigned char *has_supplier = calloc(n, 1);

    assert_int_equal(igraph_vector_int_init(&edges, 0), IGRAPH_SUCCESS);
    for (size_t j = 0; j < m; j++) {
        assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)cy_link_to(net, j)), 0);
        assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)cy_link_from(net, j)), 0);
        has_supplier[cy_link_to(net, j)] = 1;
    }
    for (size_t v = 0; v < n; v++) {
        if (!has_supplier[v]) {
            assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)v), 0);
            assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)n), 0);
        }
    }
    assert_int_equal(igraph_create(&reversed, &edges, (igraph_integer_t)n + 1, IGRAPH_DIRECTED), 0);
    assert_int_equal(igraph_vector_int_init(&dom, 0), 0);
    assert_int_equal(igraph_vector_int_init(&leftout, 0), 0);
    assert_int_equal(igraph_dominator_tree(&reversed, (igraph_integer_t)oem, &dom, NULL,
                                           &leftout, IGRAPH_OUT), IGRAPH_SUCCESS);
    memset(mark, 0, n);
    for (igraph_integer_t v = VECTOR(dom)[n]; v >= 0 && (size_t)v != oem;
         v = VECTOR(dom)[v])
        mark[v] = 1;
    igraph_vector_int_destroy(&dom);
    igraph_vector_int_destroy(&leftout);
    igraph_destroy(&reversed);
    igraph_vector_int_destroy(&edges);
    free(has_supplier);
}

/*
 * On a DAG with one part per customer the cascade rule (T = 0) is pure
 * reachability, so the chokepoints must equal the dominators exactly; with
 * several parts per customer the AND of parts only adds chokepoints, so
 * the dominators must be a subset, and on these networks a strict one.
 */
static void test_chokepoints_vs_dominators(void **state)
{
    (void)state;
    for (int parts = 1; parts <= 3; parts += 2) {
        cy_network *net = random_dag(parts == 1 ? 7u : 11u, parts, 600);
        size_t n = cy_network_enterprise_count(net), total = 0, extra = 0;
        unsigned char *dominated = malloc(n), *choke = malloc(n);
        cy_single_failures sf;
        cy_error err;

        cy_error_init(&err);
        assert_int_equal(cy_single_failures_compute(net, 0.0, &sf, &err), CY_OK);
        /* every firm of these networks sells some of its output outside */
        assert_int_equal(sf.chokepoint_count, n);
        for (size_t k = 0; k < sf.chokepoint_count; k++) {
            const cy_chokepoint *cp = &sf.chokepoints[k];
            dominator_chokepoints(net, cp->oem, dominated);
            memset(choke, 0, n);
            for (size_t q = 0; q < cp->count; q++)
                choke[cp->enterprises[q]] = 1;
            for (size_t v = 0; v < n; v++) {
                if (parts == 1)
                    assert_int_equal(choke[v], dominated[v]);
                else
                    assert_true(choke[v] >= dominated[v]);
                total += dominated[v];
                extra += choke[v] && !dominated[v];
            }
        }
        assert_true(total > 0); /* the comparison is not vacuous */
        if (parts > 1)
            assert_true(extra > 0);
        else
            assert_int_equal(extra, 0);
        cy_single_failures_destroy(&sf);
        cy_error_destroy(&err);
        free(dominated);
        free(choke);
        cy_network_free(net);
    }
}

/* ---- all single failures against one cascade per firm ------------------- */

/*
 * Generated networks of several shapes.  Firm i has output value
 * 2^(i mod 50): in a network of up to 50 firms the output a cascade loses
 * is the bit mask of its failed set, and exact, so equal outputs mean
 * equal failed sets.
 */
enum { SHAPE_RANDOM, SHAPE_CHAIN, SHAPE_RING, SHAPE_DIAMONDS, SHAPE_TREE,
       SHAPE_COUNT };
static const char *const shape_names[SHAPE_COUNT] = {"random", "chain", "ring",
                                                     "diamonds", "tree"};

typedef struct {
    uint64_t state;
} lcg;

static unsigned lcg_next(lcg *g)
{
    g->state = g->state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(g->state >> 33);
}

static unsigned lcg_below(lcg *g, unsigned bound)
{
    return bound ? lcg_next(g) % bound : 0;
}

typedef struct {
    json_t *links;
    lcg *g;
} link_builder;

/* Suppliers from[0 .. k) of part `part` to `to`; with probability 1/2
 * every link of the pair gets an explicit share, the shares summing to
 * between 0.5 and 1. */
static void add_pair(link_builder *b, size_t to, const char *part,
                     const size_t *from, size_t k)
{
    double weights[4], total = 0, scale;
    int shares = lcg_below(b->g, 2) == 0;
    for (size_t q = 0; q < k; q++)
        total += weights[q] = 1 + lcg_below(b->g, 9);
    scale = (50 + lcg_below(b->g, 51)) / 100.0 / total;
    for (size_t q = 0; q < k; q++) {
        char f[32], t[32];
        json_t *link;
        snprintf(f, sizeof f, "f%zu", from[q]);
        snprintf(t, sizeof t, "f%zu", to);
        link = json_pack("{s:s, s:s, s:s}", "from", f, "to", t, "part", part);
        if (shares)
            json_object_set_new(link, "share", json_real(weights[q] * scale));
        json_array_append_new(b->links, link);
    }
}

/* k distinct suppliers of `to`, none equal to it, drawn from [lo, hi). */
static size_t draw_suppliers(lcg *g, size_t to, size_t lo, size_t hi,
                             size_t k, size_t *from)
{
    size_t got = 0;
    for (size_t attempt = 0; attempt < 20 && got < k && hi > lo; attempt++) {
        size_t f = lo + lcg_below(g, (unsigned)(hi - lo));
        int dup = f == to;
        for (size_t q = 0; q < got; q++)
            dup |= from[q] == f;
        if (!dup)
            from[got++] = f;
    }
    return got;
}

static void shape_links(link_builder *b, int shape, size_t n)
{
    lcg *g = b->g;
    size_t from[4];
    char part[48];

    for (size_t i = 0; i < n; i++) {
        size_t k;
        switch (shape) {
        case SHAPE_RANDOM:
            /* 0-3 required parts, each from 1-3 suppliers anywhere. */
            for (unsigned r = 0, parts = lcg_below(g, 4); r < parts; r++) {
                snprintf(part, sizeof part, "p%zu-%u", i, r);
                if ((k = draw_suppliers(g, i, 0, n, 1 + lcg_below(g, 3), from)))
                    add_pair(b, i, part, from, k);
            }
            break;
        case SHAPE_CHAIN:
        case SHAPE_RING:
            /* i-1 -> i, sometimes a second supplier of the part (i-2) or
             * a second part from anywhere; the ring closes n-1 -> 0. */
            if (i == 0 && (shape == SHAPE_CHAIN || n == 1))
                break;
            from[0] = i ? i - 1 : n - 1;
            k = 1;
            if (i >= 2 && lcg_below(g, 5) == 0)
                from[k++] = i - 2;
            snprintf(part, sizeof part, "c%zu", i);
            add_pair(b, i, part, from, k);
            if (lcg_below(g, 8) == 0 && (k = draw_suppliers(g, i, 0, n, 1, from))) {
                snprintf(part, sizeof part, "x%zu", i);
                add_pair(b, i, part, from, k);
            }
            break;
        case SHAPE_DIAMONDS:
            /* x -> a, x -> b, then a and b -> the next x: one part from
             * both (redundancy) or two parts (both needed). */
            if (i % 3 == 1 || i % 3 == 2) {
                from[0] = i - i % 3;
                snprintf(part, sizeof part, "d%zu", i);
                add_pair(b, i, part, from, 1);
            } else if (i >= 3) {
                from[0] = i - 2;
                from[1] = i - 1;
                snprintf(part, sizeof part, "d%zu", i);
                if (lcg_below(g, 2)) {
                    add_pair(b, i, part, from, 2);
                } else {
                    add_pair(b, i, part, from, 1);
                    snprintf(part, sizeof part, "e%zu", i);
                    add_pair(b, i, part, from + 1, 1);
                }
            }
            break;
        case SHAPE_TREE:
            /* One supplier each, earlier in the file: an out-tree. */
            if (i > 0) {
                from[0] = lcg_below(g, (unsigned)i);
                snprintf(part, sizeof part, "t%zu", i);
                add_pair(b, i, part, from, 1);
            }
            break;
        }
    }
}

static cy_network *generated_network(unsigned seed, int shape, size_t n)
{
    lcg g = {seed * 2654435761u + (unsigned)shape};
    json_t *root, *ents;
    link_builder b;
    cy_network *net = NULL;
    cy_error err;
    char *text;

    cy_library_init();
    root = json_object();
    ents = json_array();
    b.links = json_array();
    b.g = &g;
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "f%zu", i);
        json_array_append_new(ents, json_pack("{s:s, s:s, s:f}", "id", id, "kind",
                                              lcg_below(&g, 10) < 3 ? "oem" : "supplier",
                                              "output_value", ldexp(1.0, (int)(i % 50))));
    }
    shape_links(&b, shape, n);
    json_object_set_new(root, "format", json_string("chengyu/1"));
    json_object_set_new(root, "name", json_string(shape_names[shape]));
    json_object_set_new(root, "enterprises", ents);
    json_object_set_new(root, "links", b.links);
    text = json_dumps(root, 0);
    json_decref(root);
    assert_non_null(text);
    cy_error_init(&err);
    if (cy_network_load_buffer(text, strlen(text), "generated", &net, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("generated %s network %u does not load", shape_names[shape], seed);
    }
    cy_error_destroy(&err);
    cy_free(text);
    return net;
}

/* What one cascade per firm gives: the oracle. */
typedef struct {
    size_t *count, *rounds, *nodes;
    double *lost, *demand;
    unsigned char *stops;  /* stops[o * n + s]: s alone stops demand node o */
} oracle;

static void oracle_compute(const cy_network *net, double threshold, oracle *o)
{
    size_t n = cy_network_enterprise_count(net);
    cy_error err;
    o->count = calloc(n + 1, sizeof *o->count);
    o->rounds = calloc(n + 1, sizeof *o->rounds);
    o->lost = calloc(n + 1, sizeof *o->lost);
    o->nodes = calloc(n + 1, sizeof *o->nodes);
    o->demand = calloc(n + 1, sizeof *o->demand);
    o->stops = calloc(n * n + 1, 1);
    cy_error_init(&err);
    for (size_t s = 0; s < n; s++) {
        cy_cascade_result r;
        assert_int_equal(cy_cascade_run(net, &s, 1, threshold, &r, &err), CY_OK);
        o->count[s] = r.failed_count;
        o->rounds[s] = r.rounds;
        o->lost[s] = r.output_value_lost;
        o->nodes[s] = r.demand_nodes_failed;
        o->demand[s] = r.final_demand_lost;
        for (size_t k = 1; k < r.failed_count; k++) {
            if (cy_enterprise_is_demand_node(net, r.failed[k]))
                o->stops[r.failed[k] * n + s] = 1;
        }
        cy_cascade_result_destroy(&r);
    }
    cy_error_destroy(&err);
}

static void oracle_free(oracle *o)
{
    free(o->count);
    free(o->rounds);
    free(o->lost);
    free(o->nodes);
    free(o->demand);
    free(o->stops);
}

/* The ranking of chengyu_analysis.h: final demand lost, demand nodes
 * failed, firms failed (descending), then id. */
static int ranked_before(const cy_network *net, const cy_impact *a,
                         const cy_impact *b)
{
    if (a->final_demand_lost != b->final_demand_lost)
        return a->final_demand_lost > b->final_demand_lost;
    if (a->demand_nodes_failed != b->demand_nodes_failed)
        return a->demand_nodes_failed > b->demand_nodes_failed;
    if (a->failed_count != b->failed_count)
        return a->failed_count > b->failed_count;
    return strcmp(cy_enterprise_id(net, a->index), cy_enterprise_id(net, b->index)) < 0;
}

/* Everything cy_single_failures_run reports, against the oracle:
 * counts, outputs (exactly when `exact`), rounds, the ranking and every
 * chokepoint list.  Returns the number of OEM-enterprise stops seen. */
static size_t check_against_oracle(const cy_network *net, double threshold,
                                   const oracle *o, int rounds, int exact,
                                   const char *what)
{
    size_t n = cy_network_enterprise_count(net), oems = 0, stops = 0;
    unsigned char *seen = calloc(n + 1, 1);
    cy_single_failure_options options;
    cy_single_failures sf;
    cy_error err;

    cy_single_failure_options_init(&options);
    options.threshold = threshold;
    options.rounds = rounds;
    cy_error_init(&err);
    assert_int_equal(cy_single_failures_run(net, &options, &sf, &err), CY_OK);
    assert_int_equal(sf.impact_count, n);
    assert_int_equal(sf.has_rounds, rounds);
    for (size_t k = 0; k < n; k++) {
        const cy_impact *impact = &sf.impacts[k];
        size_t s = impact->index;
        assert_true(s < n && !seen[s]);
        seen[s] = 1;
        if (impact->failed_count != o->count[s] ||
            impact->demand_nodes_failed != o->nodes[s] ||
            (exact ? impact->output_value_lost != o->lost[s] ||
                         impact->final_demand_lost != o->demand[s]
                   : fabs(impact->output_value_lost - o->lost[s]) >
                             1e-9 * fabs(o->lost[s]) ||
                         fabs(impact->final_demand_lost - o->demand[s]) >
                             1e-9 * fabs(o->demand[s])) ||
            impact->rounds != (rounds ? o->rounds[s] : 0))
            fail_msg("%s, T = %g, firm %s: %zu failed, %.17g lost, %zu rounds; "
                     "one cascade gives %zu, %.17g, %zu", what, threshold,
                     cy_enterprise_id(net, s), impact->failed_count,
                     impact->output_value_lost, impact->rounds, o->count[s],
                     o->lost[s], o->rounds[s]);
        if (k > 0)
            assert_true(ranked_before(net, &sf.impacts[k - 1], impact));
    }
    for (size_t v = 0; v < n; v++)
        oems += (size_t)cy_enterprise_is_demand_node(net, v);
    assert_int_equal(sf.chokepoint_count, oems);
    for (size_t k = 0; k < sf.chokepoint_count; k++) {
        const cy_chokepoint *cp = &sf.chokepoints[k];
        size_t want = 0;
        for (size_t s = 0; s < n; s++)
            want += o->stops[cp->oem * n + s];
        assert_int_equal(cp->count, want);
        for (size_t q = 0; q < cp->count; q++) {
            assert_true(o->stops[cp->oem * n + cp->enterprises[q]]);
            assert_true(q == 0 || strcmp(cy_enterprise_id(net, cp->enterprises[q - 1]),
                                         cy_enterprise_id(net, cp->enterprises[q])) < 0);
        }
        assert_true(k == 0 || strcmp(cy_enterprise_id(net, sf.chokepoints[k - 1].oem),
                                     cy_enterprise_id(net, cp->oem)) < 0);
        stops += cp->count;
    }
    cy_single_failures_destroy(&sf);
    cy_error_destroy(&err);
    free(seen);
    return stops;
}

/*
 * 1,000 generated networks (200 of each shape, 1 to 50 firms) at
 * thresholds 0, 0.3, 0.5 and 1: every firm's failed count, failed set
 * (the output lost, a bit mask), rounds, the ranking and every chokepoint
 * list equal what one cascade per firm gives, with and without rounds.
 */
static void test_single_failures_vs_one_cascade_each(void **state)
{
    static const double thresholds[] = {0.0, 0.3, 0.5, 1.0};
    size_t networks = 0, firms = 0, spread = 0, stops = 0;
    (void)state;

    for (int shape = 0; shape < SHAPE_COUNT; shape++) {
        for (unsigned seed = 0; seed < 200; seed++) {
            size_t n = 1 + seed % 50;
            cy_network *net = generated_network(seed, shape, n);
            char what[64];
            snprintf(what, sizeof what, "%s network %u", shape_names[shape], seed);
            for (size_t t = 0; t < 4; t++) {
                oracle o;
                oracle_compute(net, thresholds[t], &o);
                stops += check_against_oracle(net, thresholds[t], &o, 1, 1, what);
                check_against_oracle(net, thresholds[t], &o, 0, 1, what);
                for (size_t s = 0; s < n; s++)
                    spread += o.count[s] > 1;
                oracle_free(&o);
            }
            networks++;
            firms += n;
            cy_network_free(net);
        }
    }
    assert_int_equal(networks, 1000);
    /* Not vacuous: many cascades spread, many OEMs have chokepoints. */
    assert_true(spread > firms);
    assert_true(stops > firms);
}

/*
 * Long shapes, where the cones are long: a 1,200-firm chain and ring, a
 * tree and diamonds, random networks of 800 firms; output values 2^(i mod
 * 50), so sums are compared within 1e-9.
 */
static void test_single_failures_long_shapes(void **state)
{
    static const double thresholds[] = {0.0, 0.5};
    (void)state;
    for (int shape = 0; shape < SHAPE_COUNT; shape++) {
        size_t n = shape == SHAPE_RANDOM ? 800 : 1200;
        cy_network *net = generated_network(7, shape, n);
        for (size_t t = 0; t < 2; t++) {
            oracle o;
            oracle_compute(net, thresholds[t], &o);
            check_against_oracle(net, thresholds[t], &o, 1, 0, shape_names[shape]);
            oracle_free(&o);
        }
        cy_network_free(net);
    }
}


/*
 * Progress of all single failures on a random 10,000-firm network: 0
 * before any work (cli_progress starts its clock there), then the share
 * of the trees of heirs done, each report at least 4,096 firms' worth of
 * the network (40.96 points) above the one before, then 100.
 */
static void test_single_failures_progress(void **state)
{
    cy_network *net = generated_network(3, SHAPE_RANDOM, 10000);
    cy_single_failure_options options;
    cy_single_failures sf;
    progress_log log = {"single failures", {0}, 0, 0};
    cy_error err;
    (void)state;
    cy_single_failure_options_init(&options);
    options.progress = log_progress;
    options.progress_data = &log;
    cy_error_init(&err);
    /* The spacing of the reports is one thread's: with several, the
     * calling thread reports only as its own items end, so how many
     * reports there are depends on the timing. */
    cy_threads_set(1);
    assert_int_equal(cy_single_failures_run(net, &options, &sf, &err), CY_OK);
    cy_threads_set(0);
    assert_true(log.count >= 3 && log.count <= 4);
    assert_false(log.other_name);
    assert_true(log.percent[0] == 0.0 && log.percent[log.count - 1] == 100.0);
    for (size_t k = 1; k + 1 < log.count; k++)
        assert_true(log.percent[k] - log.percent[k - 1] >= 40.96 - 1e-9 &&
                    log.percent[k] < 100.0);
    cy_single_failures_destroy(&sf);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/*
 * Every allocation of the engine made to fail, alone and with all after
 * it, on a random network whose rounds need the second engine: each run
 * ends with CY_ENOMEM and "out of memory" or equals the clean run; the
 * sanitized build checks that nothing leaks.
 */
static void test_single_failures_out_of_memory(void **state)
{
    cy_network *net = generated_network(14, SHAPE_RANDOM, 40);
    cy_single_failures clean, sf;
    cy_error err;
    long total;
    (void)state;

    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_single_failures_compute(net, 0.3, &clean, &err), CY_OK);
    total = cy_alloc_count();
    assert_true(total > 10);
    for (int persistent = 0; persistent < 2; persistent++) {
        for (long n = 0; n < total; n++) {
            cy_status status;
            cy_error_destroy(&err);
            cy_error_init(&err);
            cy_alloc_fail_after(n, persistent);
            status = cy_single_failures_compute(net, 0.3, &sf, &err);
            cy_alloc_fail_after(-1, 0);
            if (status == CY_OK) {
                assert_int_equal(sf.impact_count, clean.impact_count);
                assert_memory_equal(sf.impacts, clean.impacts,
                                    clean.impact_count * sizeof *clean.impacts);
                cy_single_failures_destroy(&sf);
                continue;
            }
            assert_int_equal(status, CY_ENOMEM);
            assert_true(err.oom || (err.count > 0 &&
                                    strstr(err.items[0].message, "out of memory")));
            assert_null(sf.impacts);
            assert_null(sf.chokepoints);
        }
    }
    cy_single_failures_destroy(&clean);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- combined and partial shocks (graphs/shock-*.json) ----------------- */

/* Run a shock: `fail` ids ("a,b"), `degrade` "id=x;id=x", on `model`. */
static cy_status run_shock(const cy_network *net, const char *fail, const char *degrade,
                           int model, double threshold, cy_cascade_result *r)
{
    size_t initial[64], count = 0;
    cy_degrade d[64];
    size_t degrades = 0;
    char buffer[512], *save = NULL;
    cy_shock shock;
    cy_error err;
    cy_status status;

    snprintf(buffer, sizeof buffer, "%s", fail);
    for (char *tok = strtok_r(buffer, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        initial[count++] = id_index(net, tok);
    snprintf(buffer, sizeof buffer, "%s", degrade);
    save = NULL;
    for (char *tok = strtok_r(buffer, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        char *eq = strchr(tok, '=');
        *eq = '\0';
        d[degrades].enterprise = id_index(net, tok);
        d[degrades++].capacity_left = strtod(eq + 1, NULL);
    }
    shock.model = model;
    shock.threshold = threshold;
    shock.fail = initial;
    shock.fail_count = count;
    shock.degrade = d;
    shock.degrade_count = degrades;
    cy_error_init(&err);
    status = cy_cascade_run_shock(net, &shock, r, &err);
    cy_error_destroy(&err);
    return status;
}

static double fraction_of(const cy_network *net, const cy_cascade_result *r, const char *id)
{
    return r->fraction[id_index(net, id)];
}

/*
 * graphs/shock-combined.json (graphs/README.md): west-park (a1, a2) and b.
 * Alone, the park stops e (its only cell, a2) and b stops nothing (d keeps
 * a1's half of its motors, g keeps h's seats); together d loses both motor
 * suppliers (round 1) and f its only drive (round 2).  Final demand lost
 * d 100 + e 50 + f 200 = 350 of 1,000.
 */
static void test_shock_park_and_firm(void **state)
{
    cy_network *net = *state;
    size_t park = group(net, CY_GROUP_PARK, "west-park");
    size_t members[2] = {id_index(net, "a1"), id_index(net, "a2")};
    size_t fail[3] = {id_index(net, "b"), members[0], members[1]};
    cy_shock shock = {CY_CASCADE_THRESHOLD, 0.0, fail, 3, NULL, 0};
    cy_cascade_result r;
    cy_error err;

    assert_int_equal(run_shock(net, "", "a1=0;a2=0", CY_CASCADE_THRESHOLD, 0.0, &r), CY_OK);
    assert_failed(net, &r, "a1,a2,e");
    assert_close(r.final_demand_lost, 50.0, 0);
    cy_cascade_result_destroy(&r);
    assert_int_equal(run_shock(net, "b", "", CY_CASCADE_THRESHOLD, 0.0, &r), CY_OK);
    assert_failed(net, &r, "b");
    cy_cascade_result_destroy(&r);

    cy_error_init(&err);
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_OK);
    assert_failed(net, &r, "b,a1,a2,d,e,f");
    assert_int_equal(r.initial_count, 3);
    assert_int_equal(r.failed_round[3], 1);
    assert_int_equal(r.failed_round[5], 2);
    assert_int_equal(r.rounds, 2);
    assert_close(r.final_demand_lost, 350.0, 0);
    assert_close(r.final_demand_total, 1000.0, 0);
    assert_int_equal(r.demand_nodes_failed, 3);
    assert_int_equal(r.by_park[park].failed_count, 2);
    assert_int_equal(r.reduced_count, 0);
    assert_close(fraction_of(net, &r, "g"), 1.0, 0);
    assert_close(fraction_of(net, &r, "f"), 0.0, 0);
    cy_cascade_result_destroy(&r);

    /* Fractional, T = 0: the same failures, and g runs at h's 0.6 of its
     * seats: 350 + 650 x 0.4 = 610 lost. */
    shock.model = CY_CASCADE_FRACTIONAL;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_OK);
    assert_failed(net, &r, "b,a1,a2,d,e,f");
    assert_int_equal(r.model, CY_CASCADE_FRACTIONAL);
    assert_int_equal(r.reduced_count, 1);
    assert_string_equal(cy_enterprise_id(net, r.reduced[0]), "g");
    assert_close(fraction_of(net, &r, "g"), 0.6, 1e-15);
    assert_close(r.final_demand_lost, 610.0, 1e-12);
    assert_int_equal(r.demand_nodes_failed, 3);
    cy_cascade_result_destroy(&r);
    cy_error_destroy(&err);
}

/*
 * graphs/shock-fractional.json: fab keeps 40%.  T = 0: m gets
 * 0.6 x 0.4 + 0.4 x 1 = 0.64 of its chips, oem1 (all from m) 0.64, oem2
 * (all from fab) 0.4, oem3 half from m: 0.5 x 0.64 + 0.5 = 0.82; nothing
 * fails; lost 100 x (0.36 + 0.6 + 0.18) = 114 of 400.  T = 0.5: fab
 * itself is below 0.5 and fails; m keeps fab2's 0.4 < 0.5 and fails with
 * oem2 (round 1), oem1 in round 2; oem3 keeps m2's 0.5, not below T:
 * lost 100 + 100 + 100 x 0.5 = 250.
 */
static void test_shock_fractional(void **state)
{
    cy_network *net = *state;
    cy_cascade_result r;

    assert_int_equal(run_shock(net, "", "fab=0.4", CY_CASCADE_FRACTIONAL, 0.0, &r), CY_OK);
    assert_int_equal(r.failed_count, 0);
    assert_close(fraction_of(net, &r, "fab"), 0.4, 0);
    assert_close(fraction_of(net, &r, "m"), 0.64, 1e-15);
    assert_close(fraction_of(net, &r, "oem1"), 0.64, 1e-15);
    assert_close(fraction_of(net, &r, "oem2"), 0.4, 0);
    assert_close(fraction_of(net, &r, "oem3"), 0.82, 1e-15);
    assert_close(fraction_of(net, &r, "oem4"), 1.0, 0);
    assert_close(fraction_of(net, &r, "fab2"), 1.0, 0);
    assert_close(r.final_demand_lost, 114.0, 1e-12);
    assert_int_equal(r.reduced_count, 5);
    /* lowest first, ties by index: fab (0) before oem2 (5) */
    assert_string_equal(cy_enterprise_id(net, r.reduced[0]), "fab");
    assert_string_equal(cy_enterprise_id(net, r.reduced[1]), "oem2");
    assert_string_equal(cy_enterprise_id(net, r.reduced[4]), "oem3");
    cy_cascade_result_destroy(&r);

    assert_int_equal(run_shock(net, "", "fab=0.4", CY_CASCADE_FRACTIONAL, 0.5, &r), CY_OK);
    assert_failed(net, &r, "fab,m,oem2,oem1");
    assert_int_equal(r.initial_count, 1);
    assert_int_equal(r.failed_round[1], 1);
    assert_int_equal(r.failed_round[3], 2);
    assert_close(fraction_of(net, &r, "oem3"), 0.5, 0);
    assert_close(r.final_demand_lost, 250.0, 0);
    assert_int_equal(r.demand_nodes_failed, 2);
    cy_cascade_result_destroy(&r);

    /* Capacity 0 is a failure in either model; 1 is nothing. */
    assert_int_equal(run_shock(net, "", "fab=0;m2=1", CY_CASCADE_THRESHOLD, 0.0, &r), CY_OK);
    assert_failed(net, &r, "fab,oem2");
    cy_cascade_result_destroy(&r);
}

static void test_shock_bad_arguments(void **state)
{
    cy_network *net = *state;
    size_t bad = 99, fab = id_index(net, "fab");
    cy_degrade d = {fab, 0.4};
    cy_shock shock = {CY_CASCADE_THRESHOLD, 0.0, NULL, 0, &d, 1};
    cy_cascade_result r;
    cy_error err;

    cy_error_init(&err);
    /* partial capacity under the run-or-stop model */
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    assert_non_null(strstr(err.items[0].message, "fractional model"));
    shock.model = CY_CASCADE_FRACTIONAL;
    d.capacity_left = 1.5;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    d.capacity_left = NAN;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    d.capacity_left = -0.1;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    d.capacity_left = 0.4;
    d.enterprise = 99;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    d.enterprise = fab;
    shock.fail = &bad;
    shock.fail_count = 1;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    shock.fail_count = 0;
    shock.threshold = 1.5;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    shock.threshold = 0.0;
    shock.model = 7;
    assert_int_equal(cy_cascade_run_shock(net, &shock, &r, &err), CY_EUSAGE);
    assert_null(r.fraction);
    cy_error_destroy(&err);
}

/*
 * The fractional rule computed the slow, obvious way: every firm
 * recomputed from all its suppliers' fractions, round after round (Jacobi),
 * from 1 (capacity left for degraded firms), until nothing moves by more
 * than 1e-15 - the greatest fixed point, as the engine's.  Fractions never
 * rise, and a firm below T or at 0 stays failed.
 */
static const cy_network *ref_net;

static int ref_link_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    size_t tx = cy_link_to(ref_net, x), ty = cy_link_to(ref_net, y);
    if (tx != ty)
        return tx < ty ? -1 : 1;
    tx = cy_link_part(ref_net, x);
    ty = cy_link_part(ref_net, y);
    return tx < ty ? -1 : tx > ty;
}

/* The supply of (c, part) under fractions f: 1 when no supplier is below
 * 1, else min(1, sum of share x fraction), 0 when every supplier is at 0;
 * -1 when the part has no supplier.  links[lo .. hi) are c's, sorted. */
static double ref_supply(const cy_network *net, const size_t *links, size_t lo, size_t hi,
                         size_t part, const double *f)
{
    size_t k = 0, alive = 0;
    double sum = 0.0;
    int reduced = 0;
    for (size_t q = lo; q < hi; q++)
        k += cy_link_part(net, links[q]) == part;
    for (size_t q = lo; q < hi; q++) {
        size_t j = links[q];
        double share, g;
        if (cy_link_part(net, j) != part)
            continue;
        share = cy_link_share(net, j) >= 0 ? cy_link_share(net, j) : 1.0 / (double)k;
        g = f[cy_link_from(net, j)];
        reduced |= g < 1.0;
        alive += g > 0.0;
        sum += share * g;
    }
    if (!k || !reduced)
        return -1.0;
    return alive ? (sum < 1.0 ? sum : 1.0) : 0.0;
}

static double *reference_fractions(const cy_network *net, const cy_degrade *d,
                                   size_t dn, double threshold)
{
    size_t n = cy_network_enterprise_count(net), m = cy_network_link_count(net);
    double *f = malloc((n + 1) * sizeof *f), *next = malloc((n + 1) * sizeof *next);
    size_t *links = malloc((m + 1) * sizeof *links), *first = calloc(n + 2, sizeof *first);
    assert_true(f && next && links && first);
    for (size_t j = 0; j < m; j++)
        links[j] = j;
    ref_net = net;
    qsort(links, m, sizeof *links, ref_link_cmp);
    for (size_t j = 0; j < m; j++)
        first[cy_link_to(net, j) + 1]++;
    for (size_t v = 0; v < n; v++)
        first[v + 1] += first[v];
    for (size_t v = 0; v < n; v++)
        f[v] = 1.0;
    for (size_t k = 0; k < dn; k++)
        if (d[k].capacity_left < f[d[k].enterprise])
            f[d[k].enterprise] = d[k].capacity_left;
    for (size_t v = 0; v < n; v++)
        if (f[v] <= 0.0 || (threshold > 0 && f[v] < threshold - CY_CASCADE_EPSILON))
            f[v] = 0.0;
    for (int iteration = 0; iteration < 1000000; iteration++) {
        double moved = 0.0;
        for (size_t c = 0; c < n; c++) {
            double x = f[c];
            for (size_t r = 0; r < cy_enterprise_requires_count(net, c); r++) {
                double supply = ref_supply(net, links, first[c], first[c + 1],
                                           cy_enterprise_requires(net, c, r), f);
                if (supply >= 0.0 && supply < x)
                    x = supply;
            }
            if (x <= 0.0 || (threshold > 0 && x < threshold - CY_CASCADE_EPSILON))
                x = 0.0;
            next[c] = x;
            moved = fmax(moved, f[c] - x);
        }
        memcpy(f, next, n * sizeof *f);
        if (moved <= 1e-15)
            break;
    }
    free(next);
    free(links);
    free(first);
    return f;
}

/* A random shock on net: up to 3 failures and up to 3 degradations (one
 * in three at 0); `zero`: every degradation at 0. */
static size_t random_shock(lcg *g, const cy_network *net, int zero, size_t *fail,
                           size_t *fail_count, cy_degrade *d)
{
    size_t n = cy_network_enterprise_count(net), dn = lcg_below(g, 4);
    *fail_count = lcg_below(g, 4);
    for (size_t k = 0; k < *fail_count; k++)
        fail[k] = lcg_below(g, (unsigned)n);
    for (size_t k = 0; k < dn; k++) {
        d[k].enterprise = lcg_below(g, (unsigned)n);
        d[k].capacity_left = zero || lcg_below(g, 3) == 0 ? 0.0 : lcg_below(g, 101) / 100.0;
    }
    return dn;
}

/* Failure order, rounds and demand nodes of two runs are the same. */
static void assert_same_failures(const cy_cascade_result *a, const cy_cascade_result *b)
{
    assert_int_equal(a->failed_count, b->failed_count);
    assert_int_equal(a->initial_count, b->initial_count);
    assert_memory_equal(a->failed, b->failed, a->failed_count * sizeof *a->failed);
    assert_memory_equal(a->failed_round, b->failed_round,
                        a->failed_count * sizeof *a->failed_round);
    assert_int_equal(a->rounds, b->rounds);
    assert_int_equal(a->demand_nodes_failed, b->demand_nodes_failed);
}

/* The networks of the property tests: the shapes of this file (rings are
 * cycles) and the generator's dense preset (mutual pairs) and a small
 * regional one. */
static cy_network *property_network(unsigned seed, int which)
{
    cy_generate_params params = {CY_PRESET_REGIONAL, seed, 0, 0, 0};
    cy_network *net = NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *stream;
    cy_error err;

    if (which < SHAPE_COUNT)
        return generated_network(seed, which, 2 + seed % 40);
    if (which == SHAPE_COUNT) {
        params.oem_count = 2;
        params.supplier_count = 60;
    } else {
        params.preset = CY_PRESET_DENSE;
    }
    stream = open_memstream(&text, &size);
    assert_non_null(stream);
    cy_error_init(&err);
    assert_int_equal(cy_generate(&params, stream, &err), CY_OK);
    assert_int_equal(fclose(stream), 0);
    assert_int_equal(cy_network_load_buffer(text, size, "generated", &net, &err), CY_OK);
    cy_error_destroy(&err);
    free(text);
    return net;
}

/*
 * With every shock a full failure (capacity 0), the fractional model fails
 * exactly the threshold model's firms, in the same order and rounds, at
 * T = 0; at T > 0 it fails a superset (a reduced firm passes its reduction
 * on), and exactly the same set whenever no firm ends reduced.  Both
 * against the shapes of this file, the generator's regional and dense
 * presets; and every fraction against the obvious fixed-point iteration
 * (reference_fractions) under random partial shocks.
 */
static void test_fractional_properties(void **state)
{
    static const double thresholds[] = {0.0, 0.3, 0.5, 1.0};
    size_t runs = 0, reduced_runs = 0, strict_superset = 0, spread = 0;
    (void)state;

    for (int which = 0; which < SHAPE_COUNT + 2; which++) {
        unsigned seeds = which < SHAPE_COUNT ? 60 : 3;
        for (unsigned seed = 0; seed < seeds; seed++) {
            cy_network *net = property_network(seed, which);
            lcg g = {seed * 7919u + (unsigned)which};
            size_t n = cy_network_enterprise_count(net);
            for (int trial = 0; trial < 4; trial++) {
                size_t fail[4], fail_count;
                cy_degrade d[4];
                size_t dn = random_shock(&g, net, 1, fail, &fail_count, d);
                double t = thresholds[trial];
                cy_shock shock = {CY_CASCADE_THRESHOLD, t, fail, fail_count, d, dn};
                cy_cascade_result a, b;
                cy_error err;
                cy_error_init(&err);
                assert_int_equal(cy_cascade_run_shock(net, &shock, &a, &err), CY_OK);
                shock.model = CY_CASCADE_FRACTIONAL;
                assert_int_equal(cy_cascade_run_shock(net, &shock, &b, &err), CY_OK);
                spread += a.failed_count > a.initial_count;
                if (t == 0.0) {
                    assert_same_failures(&a, &b);
                } else {
                    size_t extra = 0;
                    for (size_t v = 0; v < n; v++) {
                        if (a.fraction[v] == 0.0)
                            assert_true(b.fraction[v] == 0.0);
                        extra += b.fraction[v] == 0.0 && a.fraction[v] > 0.0;
                    }
                    strict_superset += extra > 0;
                }
                reduced_runs += b.reduced_count > 0;
                cy_cascade_result_destroy(&a);
                cy_cascade_result_destroy(&b);

                /* partial shocks against the reference, where the
                 * engine is exact: acyclic networks */
                if (which != SHAPE_DIAMONDS && which != SHAPE_TREE && which != SHAPE_COUNT) {
                    cy_error_destroy(&err);
                    runs++;
                    continue;
                }
                dn = random_shock(&g, net, 0, fail, &fail_count, d);
                shock.fail_count = fail_count;
                shock.degrade_count = dn;
                assert_int_equal(cy_cascade_run_shock(net, &shock, &b, &err), CY_OK);
                {
                    size_t all = fail_count + dn;
                    cy_degrade both[8];
                    double *want;
                    for (size_t k = 0; k < fail_count; k++) {
                        both[k].enterprise = fail[k];
                        both[k].capacity_left = 0.0;
                    }
                    memcpy(both + fail_count, d, dn * sizeof *d);
                    want = reference_fractions(net, both, all, t);
                    for (size_t v = 0; v < n; v++)
                        assert_close(b.fraction[v], want[v], 1e-9);
                    free(want);
                }
                cy_cascade_result_destroy(&b);
                cy_error_destroy(&err);
                runs++;
            }
            cy_network_free(net);
        }
    }
    /* Not vacuous: cascades spread, reductions occur, T > 0 fails more. */
    assert_true(spread > runs / 10);
    assert_true(reduced_runs > runs / 10);
    assert_true(strict_superset > 0);
}

/* Every allocation of a fractional run made to fail, alone and with all
 * after it: CY_ENOMEM and nothing held, or the clean run's fractions. */
static void test_shock_out_of_memory(void **state)
{
    cy_network *net = generated_network(3, SHAPE_RING, 30);
    size_t fail[1] = {4};
    cy_degrade d[2] = {{9, 0.5}, {17, 0.25}};
    cy_shock shock = {CY_CASCADE_FRACTIONAL, 0.2, fail, 1, d, 2};
    cy_cascade_result clean, r;
    cy_error err;
    long total;
    (void)state;

    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_cascade_run_shock(net, &shock, &clean, &err), CY_OK);
    total = cy_alloc_count();
    assert_true(total > 10);
    for (int persistent = 0; persistent < 2; persistent++) {
        for (long k = 0; k < total; k++) {
            cy_status status;
            cy_error_destroy(&err);
            cy_error_init(&err);
            cy_alloc_fail_after(k, persistent);
            status = cy_cascade_run_shock(net, &shock, &r, &err);
            cy_alloc_fail_after(-1, 0);
            if (status == CY_OK) {
                assert_memory_equal(r.fraction, clean.fraction, 30 * sizeof *r.fraction);
                cy_cascade_result_destroy(&r);
                continue;
            }
            assert_int_equal(status, CY_ENOMEM);
            assert_null(r.fraction);
            assert_null(r.failed);
        }
    }
    {
        /* the CSV writer's one allocation */
        cy_write_options options;
        FILE *sink = tmpfile();
        assert_non_null(sink);
        cy_write_options_init(&options, CY_FORMAT_CSV);
        cy_alloc_fail_after(0, 0);
        assert_int_equal(cy_cascade_write(net, &clean, 0.2, &options, sink, &err), CY_ENOMEM);
        cy_alloc_fail_after(-1, 0);
        assert_int_equal(cy_cascade_write(net, &clean, 0.2, &options, sink, &err), CY_OK);
        assert_true(ftell(sink) > 0);
        fclose(sink);
    }
    cy_cascade_result_destroy(&clean);
    cy_error_destroy(&err);
    cy_network_free(net);
}

static int setup_shock_combined(void **state)
{
    *state = load_graph("shock-combined.json");
    return 0;
}

static int setup_shock_fractional(void **state)
{
    *state = load_graph("shock-fractional.json");
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_redundancy_absorbs, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_and_of_parts, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_failed_order, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_park_and_region, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_threshold_split, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_single_failures, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_group_impacts, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_group_impacts_progress, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup_battery, teardown),
        cmocka_unit_test_setup_teardown(test_threshold_shares, setup_shares, teardown),
        cmocka_unit_test_setup_teardown(test_cycles, setup_cycle, teardown),
        cmocka_unit_test_setup_teardown(test_gaps, setup_gaps, teardown),
        cmocka_unit_test(test_chokepoints_vs_dominators),
        cmocka_unit_test(test_single_failures_vs_one_cascade_each),
        cmocka_unit_test(test_single_failures_long_shapes),
        cmocka_unit_test(test_single_failures_out_of_memory),
        cmocka_unit_test(test_single_failures_progress),
        cmocka_unit_test_setup_teardown(test_shock_park_and_firm, setup_shock_combined,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shock_fractional, setup_shock_fractional,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shock_bad_arguments, setup_shock_fractional,
                                        teardown),
        cmocka_unit_test(test_fractional_properties),
        cmocka_unit_test(test_shock_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
