/*
 * test_weaklinks.c - the weak-link report on the hand-checked network
 * graphs/weaklinks.json (every expected value is derived by hand in
 * graphs/README.md, section "Weak-link report"; the comments repeat the
 * reasoning briefly), small in-memory networks for thresholds, missing
 * regions and hostile names, and the four writers.
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

#include "chengyu.h"
#include "helpers.h"
#include "chengyu_test.h"
#include "internal.h"

#include <jansson.h>

/* Total output value of graphs/weaklinks.json:
 * 1000 + 500 + 100 + 80 + 60 + 20 + 30 + 10 + 40 + 5 + 0 + 0 + 0. */
#define TOTAL 1845.0
/* Its final demand (output_value minus outgoing volumes, floored at 0):
 * oem1 1000, oem2 500, chip2 40, seat2 5; every other firm sells all it
 * makes inside the network (or has no output value). */
#define DEMAND 1545.0

typedef struct {
    cy_network *net;
    cy_weaklinks *report;
} fixture;

static cy_network *load_text(const char *text)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    if (cy_network_load_buffer(text, strlen(text), "test", &net, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("cannot load the test network");
    }
    cy_error_destroy(&err);
    return net;
}


/* Progress of the report: 0, then after each of its nine sections. */
static void test_progress(void **state)
{
    /* 0, then after each section by its weight (weaklinks.c); the single
     * failures of this small network report nothing in between. */
    static const double after[10] = {0, 5, 11, 49, 57, 59, 88, 96, 99, 100};
    cy_network *net = load_graph("weaklinks.json");
    progress_log log = {"weak links", {0}, 0, 0};
    cy_weaklinks_options options = {0.0, log_progress, &log};
    cy_weaklinks *report = NULL;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_weaklinks_compute(net, &options, &report, &err), CY_OK);
    assert_int_equal(log.count, 10);
    assert_false(log.other_name);
    for (size_t k = 0; k < 10; k++)
        assert_true(fabs(log.percent[k] - after[k]) < 1e-9);
    cy_weaklinks_free(report);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* On 12,000 firms the single failures report as they go (the share of
 * their trees of heirs, every 4,096 firms' worth): passed through inside
 * the resilience section, between 11 and 49 %, in order. */
static void test_progress_passes_single_failures(void **state)
{
    cy_network *net = random_dag(7, 1, 12000); /* one part: no recommendations */
    progress_log log = {"weak links", {0}, 0, 0};
    cy_weaklinks_options options = {0.0, log_progress, &log};
    cy_weaklinks *report = NULL;
    size_t inside = 0;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    /* One thread: with several, the reports inside the single failures
     * come only as the calling thread's own items end (timing). */
    cy_threads_set(1);
    assert_int_equal(cy_weaklinks_compute(net, &options, &report, &err), CY_OK);
    cy_threads_set(0);
    assert_true(log.count >= 11 && log.count <= 64);
    assert_false(log.other_name);
    assert_true(log.percent[0] == 0.0 && log.percent[log.count - 1] == 100.0);
    for (size_t k = 1; k < log.count; k++) {
        assert_true(log.percent[k] > log.percent[k - 1]);
        inside += log.percent[k] > 11.0 && log.percent[k] < 49.0;
    }
    assert_true(inside >= 1);
    assert_int_equal(inside, log.count - 10);
    cy_weaklinks_free(report);
    cy_error_destroy(&err);
    cy_network_free(net);
}

static cy_weaklinks *compute(const cy_network *net, double threshold)
{
    cy_weaklinks_options options = {.threshold = threshold};
    cy_weaklinks *report = NULL;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_weaklinks_compute(net, &options, &report, &err), CY_OK);
    cy_error_destroy(&err);
    assert_non_null(report);
    return report;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->net = load_graph("weaklinks.json");
    f->report = compute(f->net, 0.0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cy_weaklinks_free(f->report);
    cy_network_free(f->net);
    free(f);
    return 0;
}

static const char *eid(const cy_network *net, size_t i)
{
    return i == CY_WL_NONE ? "-" : cy_enterprise_id(net, i);
}

static const char *gid(const cy_network *net, cy_group_kind kind, size_t g)
{
    return g == CY_WL_NONE ? "-" : cy_group_id(net, kind, g);
}

/* Single-source pairs and output_at_risk = the cascade of the supplier:
 * cell1 fails bat1 and bat2, so oem1 (no battery left) and oem2: output
 * 1710, final demand 1500; wafer1 -> chip1 -> oem1: 1070 / 1000; chip1 ->
 * oem1: 1060 / 1000; bat1 -> oem2 (oem1 keeps bat2): 600 / 500; seat1 ->
 * oem2: 520 / 500.  Ranked by final demand lost, then demand nodes, then
 * firms failed (wafer1's 3 before chip1's 2), then volume (the 1500 tie:
 * bat1 buys 90 of cell, bat2 20; the 500 tie: battery 150 before seat 50).
 * oem1's battery has two suppliers, so it is not listed. */
static void test_single_source(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *enterprise, *part, *supplier;
        double volume, at_risk, demand;
        size_t failed;
    } want[] = {{"bat1", "cell", "cell1", 90, 1710, 1500, 5},
                {"bat2", "cell", "cell1", 20, 1710, 1500, 5},
                {"chip1", "wafer", "wafer1", 40, 1070, 1000, 3},
                {"oem1", "chip", "chip1", 200, 1060, 1000, 2},
                {"oem2", "battery", "bat1", 150, 600, 500, 2},
                {"oem2", "seat", "seat1", 50, 520, 500, 2}};
    assert_int_equal(f->report->single_source_count, 6);
    assert_int_equal(f->report->unsupplied_count, 0);
    for (size_t i = 0; i < 6; i++) {
        const cy_wl_single_source *s = &f->report->single_source[i];
        assert_string_equal(eid(f->net, s->enterprise), want[i].enterprise);
        assert_string_equal(cy_part_name(f->net, s->part), want[i].part);
        assert_string_equal(eid(f->net, s->supplier), want[i].supplier);
        assert_true(s->volume == want[i].volume);
        assert_true(s->output_at_risk == want[i].at_risk);
        assert_true(s->impact.final_demand_lost == want[i].demand);
        assert_int_equal(s->impact.failed_count, want[i].failed);
    }
    assert_true(f->report->final_demand_total == DEMAND);
    assert_int_equal(f->report->demand_node_count, 4);
}

/* The demand nodes are the firms with final demand: chip2, oem1, oem2,
 * seat2 (by id).  oem1 stops when chip1, wafer1 (through chip1) or cell1
 * (both battery makers) fails, not when bat1 or bat2 alone fails; oem2
 * stops with bat1, cell1 (through bat1) or seat1; chip2 and seat2 buy
 * nothing, so nothing stops them. */
static void test_chokepoints(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const char *const nodes[] = {"chip2", "oem1", "oem2", "seat2"};
    static const char *const firms[][3] = {
        {NULL}, {"cell1", "chip1", "wafer1"}, {"bat1", "cell1", "seat1"}, {NULL}};
    static const size_t counts[] = {0, 3, 3, 0};
    assert_int_equal(r->chokepoint_count, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(eid(f->net, r->chokepoints[i].oem), nodes[i]);
        assert_int_equal(r->chokepoints[i].count, counts[i]);
        for (size_t k = 0; k < counts[i]; k++)
            assert_string_equal(eid(f->net, r->chokepoints[i].enterprises[k]), firms[i][k]);
    }
    assert_int_equal(r->chokepoint_pair_count, 6);
    assert_int_equal(r->chokepoint_firm_count, 5);
    assert_int_equal(r->oems_with_chokepoints, 2);
}

/* The undirected firm graph has one cycle oem1-bat1-cell1-bat2-oem1; the
 * other four edges hang off it, so they are the bridges and their inner
 * ends the articulation points.  All four bridges carry a link the
 * customer cannot do without, so all are weak links; oem1 and oem2 stop
 * nothing when they fail, so of the articulation points only bat1 and
 * chip1 are. */
static void test_structure(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const char *const points[] = {"bat1", "chip1", "oem1", "oem2"};
    static const char *const bridges[][2] = {
        {"bat1", "oem2"}, {"chip1", "oem1"}, {"seat1", "oem2"}, {"wafer1", "chip1"}};
    assert_int_equal(r->articulation_point_count, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(eid(f->net, r->articulation_points[i]), points[i]);
    assert_int_equal(r->bridge_count, 4);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(eid(f->net, r->bridges[i].from), bridges[i][0]);
        assert_string_equal(eid(f->net, r->bridges[i].to), bridges[i][1]);
    }
    assert_int_equal(r->weak_articulation_count, 2);
    assert_int_equal(r->weak_bridge_count, 4);
    /* Losing a bridge stops its customer and what depends on it, not its
     * supplier: bat1 -> oem2 stops oem2 (500), chip1 -> oem1 oem1 (1000),
     * seat1 -> oem2 oem2, wafer1 -> chip1 chip1 and oem1 (2 firms). */
    {
        static const double lost[] = {500, 1000, 500, 1000};
        static const size_t failed[] = {1, 1, 1, 2};
        for (size_t i = 0; i < 4; i++) {
            assert_true(r->bridge_impact[i].final_demand_lost == lost[i]);
            assert_int_equal(r->bridge_impact[i].failed_count, failed[i]);
        }
    }
}

/* Impacts ranked by final demand lost, then demand nodes failed, then
 * firms failed, then id (bat2, seat3, seat4, seat5 stop nothing with
 * final demand).  Park tf (oem2, bat1, cell1, seat2) takes bat2 (no cell)
 * and then oem1 (no battery): 6 firms, final demand 500 + 5 + 1000, 3
 * demand nodes; lj (oem1, bat2, seat3): 1000; wsc (seat1, chip2, seat5)
 * stops oem2: 40 + 500.  Region chengdu = park tf; chongqing (oem1, bat2,
 * seat1, chip2, seat3, seat5) stops oem2: 1000 + 40 + 500; guangdong
 * (chip1, wafer1, seat4) stops oem1: 1000.  Output values are gross. */
static void test_impacts(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        const char *id;
        size_t failed, nodes;
        double demand, lost;
    } single[] = {{"cell1", 5, 2, 1500, 1710}, {"wafer1", 3, 1, 1000, 1070},
                  {"chip1", 2, 1, 1000, 1060}, {"oem1", 1, 1, 1000, 1000},
                  {"bat1", 2, 1, 500, 600},    {"seat1", 2, 1, 500, 520},
                  {"oem2", 1, 1, 500, 500},    {"chip2", 1, 1, 40, 40},
                  {"seat2", 1, 1, 5, 5},       {"bat2", 1, 0, 0, 80},
                  {"seat3", 1, 0, 0, 0},       {"seat4", 1, 0, 0, 0},
                  {"seat5", 1, 0, 0, 0}},
      parks[] = {{"tf", 6, 3, 1505, 1715}, {"lj", 3, 1, 1000, 1080}, {"wsc", 4, 2, 540, 560}},
      regions[] = {{"chongqing", 7, 3, 1540, 1640},
                   {"chengdu", 6, 3, 1505, 1715},
                   {"guangdong", 4, 1, 1000, 1070}};

    assert_int_equal(r->cascade_impact_count, 13);
    for (size_t i = 0; i < 13; i++) {
        const cy_impact *x = &r->cascade_impact[i];
        assert_string_equal(eid(f->net, x->index), single[i].id);
        assert_int_equal(x->failed_count, single[i].failed);
        assert_int_equal(x->demand_nodes_failed, single[i].nodes);
        assert_true(x->final_demand_lost == single[i].demand);
        assert_true(x->output_value_lost == single[i].lost);
    }
    assert_int_equal(r->park_impact_count, 3);
    assert_int_equal(r->region_impact_count, 3);
    for (size_t i = 0; i < 3; i++) {
        const cy_impact *p = &r->park_impact[i], *g = &r->region_impact[i];
        assert_string_equal(gid(f->net, CY_GROUP_PARK, p->index), parks[i].id);
        assert_int_equal(p->failed_count, parks[i].failed);
        assert_int_equal(p->demand_nodes_failed, parks[i].nodes);
        assert_true(p->final_demand_lost == parks[i].demand);
        assert_true(p->output_value_lost == parks[i].lost);
        assert_string_equal(gid(f->net, CY_GROUP_REGION, g->index), regions[i].id);
        assert_int_equal(g->failed_count, regions[i].failed);
        assert_true(g->final_demand_lost == regions[i].demand);
        assert_true(g->output_value_lost == regions[i].lost);
    }
    assert_true(r->output_value_total == TOTAL);
}

/* battery: bat1 sells 300 + 150, bat2 100 of 550, so HHI =
 * (450^2 + 100^2) / 550^2 = 212500 / 302500; park tf and region chengdu
 * hold bat1's 450/550.  Every other part has one supplier (HHI 1); they
 * come first, by volume: chip 200, cell 110, seat 50, wafer 40.  chip1 and
 * wafer1 are in no park. */
static void test_concentration(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const char *const order[] = {"chip", "cell", "seat", "wafer", "battery"};
    const cy_wl_concentration *battery = &r->concentration[4];
    assert_int_equal(r->concentration_count, 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(cy_part_name(f->net, r->concentration[i].part), order[i]);
    for (size_t i = 0; i < 4; i++) {
        assert_true(r->concentration[i].hhi == 1.0);
        assert_int_equal(r->concentration[i].supplier_count, 1);
        assert_true(r->concentration[i].top_region_share == 1.0);
    }
    assert_true(r->concentration[0].volume == 200);
    assert_int_equal(r->concentration[0].top_park, CY_WL_NONE);
    assert_string_equal(gid(f->net, CY_GROUP_REGION, r->concentration[0].top_region), "guangdong");
    assert_string_equal(gid(f->net, CY_GROUP_PARK, r->concentration[1].top_park), "tf");
    assert_int_equal(r->concentration[1].link_count, 2);
    assert_close(battery->hhi, 212500.0 / 302500.0, 1e-15);
    assert_int_equal(battery->supplier_count, 2);
    assert_int_equal(battery->link_count, 3);
    assert_true(battery->volume == 550);
    assert_string_equal(eid(f->net, battery->top_supplier), "bat1");
    assert_close(battery->top_supplier_share, 450.0 / 550.0, 1e-15);
    assert_string_equal(gid(f->net, CY_GROUP_PARK, battery->top_park), "tf");
    assert_close(battery->top_park_share, 450.0 / 550.0, 1e-15);
    assert_string_equal(gid(f->net, CY_GROUP_REGION, battery->top_region), "chengdu");
    assert_int_equal(r->concentrated_part_count, 5);
}

/* oem1 (chongqing) buys bat1 300 (chengdu), bat2 100 (chongqing), chip1
 * 200 (guangdong, outside the circle): circle 400/600, own region 100/600.
 * oem2 (chengdu): bat1 150 (chengdu) + seat1 50 (chongqing): 200/200 in the
 * circle, 150/200 own region.  Cluster cq-auto = oem1 + seat1 (which buys
 * nothing): the same as oem1. */
static void test_local_supply(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    const cy_wl_local_supply *o1 = &r->local_oem[0], *o2 = &r->local_oem[1];
    const cy_wl_local_supply *cl = &r->local_cluster[0];
    assert_int_equal(r->local_oem_count, 2);
    assert_string_equal(eid(f->net, o1->subject), "oem1");
    assert_string_equal(gid(f->net, CY_GROUP_REGION, o1->region), "chongqing");
    assert_int_equal(o1->link_count, 3);
    assert_true(o1->inbound_volume == 600 && o1->circle_volume == 400);
    assert_true(o1->own_region_volume == 100 && o1->unknown_volume == 0);
    assert_string_equal(eid(f->net, o2->subject), "oem2");
    assert_true(o2->inbound_volume == 200 && o2->circle_volume == 200);
    assert_true(o2->own_region_volume == 150);
    assert_int_equal(r->local_cluster_count, 1);
    assert_string_equal(gid(f->net, CY_GROUP_CLUSTER, cl->subject), "cq-auto");
    assert_true(cl->inbound_volume == 600 && cl->circle_volume == 400 &&
                cl->own_region_volume == 100);
    assert_int_equal(r->region_zone[0], CY_CIRCLE_CHONGQING);
    assert_int_equal(r->region_zone[1], CY_CIRCLE_CHENGDU);
    assert_int_equal(r->region_zone[2], CY_CIRCLE_OUTSIDE);
}

/* Links between regions: bat1 -> oem1 300 and cell1 -> bat2 20 (Chengdu to
 * Chongqing), chip1 -> oem1 200 (Guangdong to Chongqing), seat1 -> oem2 50
 * (Chongqing to Chengdu).  The other four stay inside one region. */
static void test_cross_region(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    assert_true(r->cross_volume[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING] == 320);
    assert_int_equal(r->cross_links[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING], 2);
    assert_true(r->cross_volume[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU] == 50);
    assert_int_equal(r->cross_links[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU], 1);
    assert_true(r->cross_volume[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHONGQING] == 200);
    assert_int_equal(r->region_flow_count, 3);
    assert_string_equal(gid(f->net, CY_GROUP_REGION, r->region_flows[0].from_region), "chengdu");
    assert_string_equal(gid(f->net, CY_GROUP_REGION, r->region_flows[0].to_region), "chongqing");
    assert_true(r->region_flows[0].volume == 320);
    assert_string_equal(gid(f->net, CY_GROUP_REGION, r->region_flows[1].from_region), "guangdong");
    assert_true(r->region_flows[1].volume == 200);
    assert_string_equal(gid(f->net, CY_GROUP_REGION, r->region_flows[2].from_region), "chongqing");
    assert_true(r->region_flows[2].volume == 50);
}

/* Recommendations, ranked like their suppliers' failures: cell and wafer
 * have one producer, so none in the network; chip2 (listed in `produces`,
 * no links) backs chip1; bat2 backs bat1 but is not independent: cell1's
 * failure stops both (common cause), so "none independent".  seat1
 * (wsc, chongqing): every other seat maker is independent, and the two in
 * its region (seat3, seat5) come first, then seat2 and seat4 by id.
 * Chokepoint cell1 is critical for bat1 and bat2 (their only cell) and
 * stops both OEMs; chokepoint bat1 only for oem2 (oem1 has bat2). */
static void test_recommendations(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        cy_weak_type type;
        const char *enterprise, *part;
        size_t count;
        const char *backups[4];
    } want[] = {
        {CY_WEAK_SINGLE_SOURCE, "bat1", "cell", 0, {NULL}},
        {CY_WEAK_SINGLE_SOURCE, "bat2", "cell", 0, {NULL}},
        {CY_WEAK_CHOKEPOINT, "cell1", "cell", 0, {NULL}},
        {CY_WEAK_SINGLE_SOURCE, "chip1", "wafer", 0, {NULL}},
        {CY_WEAK_CHOKEPOINT, "wafer1", "wafer", 0, {NULL}},
        {CY_WEAK_SINGLE_SOURCE, "oem1", "chip", 1, {"chip2"}},
        {CY_WEAK_CHOKEPOINT, "chip1", "chip", 1, {"chip2"}},
        {CY_WEAK_SINGLE_SOURCE, "oem2", "battery", 1, {"bat2"}},
        {CY_WEAK_SINGLE_SOURCE, "oem2", "seat", 4, {"seat3", "seat5", "seat2", "seat4"}},
        {CY_WEAK_CHOKEPOINT, "bat1", "battery", 1, {"bat2"}},
        {CY_WEAK_CHOKEPOINT, "seat1", "seat", 4, {"seat3", "seat5", "seat2", "seat4"}},
    };
    const cy_wl_recommendation *cell1 = &r->recommendations[2];
    const cy_wl_candidate *bat2 = &r->recommendations[7].backups[0];
    assert_int_equal(r->recommendation_count, 11);
    for (size_t i = 0; i < 11; i++) {
        const cy_wl_recommendation *rec = &r->recommendations[i];
        assert_int_equal(rec->type, want[i].type);
        assert_string_equal(eid(f->net, rec->enterprise), want[i].enterprise);
        assert_string_equal(cy_part_name(f->net, rec->part), want[i].part);
        assert_int_equal(rec->backup_count, want[i].count);
        assert_int_equal(rec->backup_shown, want[i].count);
        for (size_t k = 0; k < want[i].count; k++)
            assert_string_equal(eid(f->net, rec->backups[k].firm), want[i].backups[k]);
    }
    assert_true(bat2->survives && !bat2->independent);
    assert_int_equal(bat2->common_cause_count, 1);
    assert_string_equal(eid(f->net, bat2->common_cause[0]), "cell1");
    assert_true(r->recommendations[8].backups[0].independent);
    assert_true(r->recommendations[8].backups[0].same_region);
    assert_false(r->recommendations[8].backups[2].same_region);
    assert_int_equal(cell1->customer_count, 2);
    assert_string_equal(eid(f->net, cell1->customers[0]), "bat1");
    assert_string_equal(eid(f->net, cell1->customers[1]), "bat2");
    assert_int_equal(cell1->oem_count, 2);
    assert_string_equal(eid(f->net, cell1->oems[0]), "oem1");
    assert_string_equal(eid(f->net, cell1->oems[1]), "oem2");
    assert_int_equal(r->recommendations[9].customer_count, 1);
    assert_string_equal(eid(f->net, r->recommendations[9].customers[0]), "oem2");
    assert_close(r->recommendations[0].severity, 100.0 * 1500 / DEMAND, 1e-12);
    assert_int_equal(r->no_backup_count, 5);
    assert_int_equal(r->no_independent_count, 2);
}

/* The ranking: 18 weak links (6 single-source pairs, 6 (demand node,
 * chokepoint) pairs, the 2 articulation points and 4 bridges that fail a
 * firm); ranked by the supplying firm's final demand lost, demand nodes,
 * firms failed, then type, then ids.  A bridge's impact is its supplying
 * end's cascade. */
static void test_weak_links(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        cy_weak_type type;
        const char *enterprise;
        double demand, lost;
    } want[] = {
        {CY_WEAK_SINGLE_SOURCE, "bat1", 1500, 1710}, {CY_WEAK_SINGLE_SOURCE, "bat2", 1500, 1710},
        {CY_WEAK_CHOKEPOINT, "cell1", 1500, 1710},   {CY_WEAK_CHOKEPOINT, "cell1", 1500, 1710},
        {CY_WEAK_SINGLE_SOURCE, "chip1", 1000, 1070}, {CY_WEAK_CHOKEPOINT, "wafer1", 1000, 1070},
        {CY_WEAK_BRIDGE, "chip1", 1000, 1070},       {CY_WEAK_SINGLE_SOURCE, "oem1", 1000, 1060},
        {CY_WEAK_CHOKEPOINT, "chip1", 1000, 1060},   {CY_WEAK_ARTICULATION_POINT, "chip1", 1000, 1060},
        {CY_WEAK_BRIDGE, "oem1", 1000, 1060},        {CY_WEAK_SINGLE_SOURCE, "oem2", 500, 600},
        {CY_WEAK_SINGLE_SOURCE, "oem2", 500, 520},   {CY_WEAK_CHOKEPOINT, "bat1", 500, 600},
        {CY_WEAK_CHOKEPOINT, "seat1", 500, 520},     {CY_WEAK_ARTICULATION_POINT, "bat1", 500, 600},
        {CY_WEAK_BRIDGE, "oem2", 500, 600},          {CY_WEAK_BRIDGE, "oem2", 500, 520},
    };
    assert_int_equal(r->weak_link_count, 18);
    for (size_t i = 0; i < 18; i++) {
        const cy_wl_weak_link *w = &r->weak_links[i];
        assert_int_equal(w->type, want[i].type);
        assert_string_equal(eid(f->net, w->enterprise), want[i].enterprise);
        assert_true(cy_wl_link_impact(r, w)->final_demand_lost == want[i].demand);
        assert_true(cy_wl_link_impact(r, w)->output_value_lost == want[i].lost);
        assert_true(cy_wl_link_impact(r, w) == &r->firm_impact[w->supplier]);
        assert_close(cy_wl_link_severity(r, w), 100.0 * want[i].demand / DEMAND, 1e-12);
    }
    /* the two cell1 chokepoint rows: oem1 before oem2 */
    assert_string_equal(eid(f->net, r->weak_links[2].oem), "oem1");
    assert_string_equal(eid(f->net, r->weak_links[3].oem), "oem2");
    /* bridge wafer1 -> chip1 carries 40; bridge bat1 -> oem2 150 */
    assert_string_equal(eid(f->net, r->weak_links[6].supplier), "wafer1");
    assert_true(r->weak_links[6].volume == 40);
    assert_true(r->weak_links[16].volume == 150);
    /* each single-source pair and chokepoint points at its recommendation */
    assert_int_equal(r->weak_links[0].recommendation, 0);
    assert_int_equal(r->weak_links[0].recommendation_count, 1);
    assert_int_equal(r->weak_links[2].recommendation, 2);
    assert_int_equal(r->weak_links[2].recommendation_count, 1);
    assert_int_equal(r->weak_links[9].recommendation_count, 0);
    assert_int_equal(r->weak_links[14].recommendation, 10);
    /* ids a type does not have: CY_WL_NONE32, widened to CY_WL_NONE */
    assert_int_equal(r->weak_links[2].part, CY_WL_NONE32);
    assert_int_equal(cy_wl_id(r->weak_links[2].part), CY_WL_NONE);
    assert_int_equal(cy_wl_id(r->weak_links[0].oem), CY_WL_NONE);
    /* the layouts a national report holds millions of stay small
     * (docs/performance.md, "Memory") */
    assert_true(sizeof(cy_wl_weak_link) <= 40);
    assert_true(sizeof(cy_wl_candidate) <= 32);
}

/* The register: one row per firm whose failure stops another (or with a
 * weak-link role), ranked like the impacts.  cell1: 2 single-source pairs
 * (bat1, bat2), stops oem1 and oem2; wafer1 and chip1 both stop oem1
 * (1000, 1 node) but wafer1 fails 3 firms, chip1 2; bat1 and seat1 tie
 * (500, 1, 2) and go by id.  The fix of bat1 is its single-source
 * recommendation (7): no candidate is independent, so the first one. */
static void test_register(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        const char *id;
        size_t pairs, stops, bridges;
        int articulation;
        double demand;
        size_t fix;
    } want[] = {{"cell1", 2, 2, 0, 0, 1500, 0}, {"wafer1", 1, 1, 1, 0, 1000, 3},
                {"chip1", 1, 1, 1, 1, 1000, 5}, {"bat1", 1, 1, 1, 1, 500, 7},
                {"seat1", 1, 1, 1, 0, 500, 8}};
    assert_int_equal(r->register_count, 5);
    for (size_t i = 0; i < 5; i++) {
        const cy_wl_register_row *row = &r->register_rows[i];
        assert_string_equal(eid(f->net, row->enterprise), want[i].id);
        assert_int_equal(row->single_source_pairs, want[i].pairs);
        assert_int_equal(row->chokepoint_of_count, want[i].stops);
        assert_int_equal(row->bridges, want[i].bridges);
        assert_int_equal(row->articulation_point, want[i].articulation);
        assert_true(row->impact.final_demand_lost == want[i].demand);
        assert_int_equal(row->fix, want[i].fix);
    }
    assert_string_equal(eid(f->net, r->register_rows[0].chokepoint_of[0]), "oem1");
    assert_string_equal(eid(f->net, r->register_rows[0].chokepoint_of[1]), "oem2");
}

/*
 * A firm's fix names its critical part.  s is the only supplier of x to
 * zeta (final demand 1000) and of y to alpha (10); y2 also makes y, so
 * alpha's y has an independent backup, while nobody else makes x.  Both
 * recommendations share s's impact (1010); the fix is the one whose
 * customer's failure stops more: zeta's x, with "none in the network" -
 * not alpha's y, although that one has a backup.
 */
static void test_fix_names_critical_part(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"fix\",\"enterprises\":["
        "{\"id\":\"alpha\",\"kind\":\"oem\",\"output_value\":10},"
        "{\"id\":\"zeta\",\"kind\":\"oem\",\"output_value\":1000},"
        "{\"id\":\"s\",\"kind\":\"supplier\",\"produces\":[\"x\",\"y\"]},"
        "{\"id\":\"y2\",\"kind\":\"supplier\",\"produces\":[\"y\"]}],"
        "\"links\":[{\"from\":\"s\",\"to\":\"zeta\",\"part\":\"x\",\"volume\":1},"
        "{\"from\":\"s\",\"to\":\"alpha\",\"part\":\"y\",\"volume\":1}]}";
    cy_network *net = load_text(text);
    cy_weaklinks *r = compute(net, 0.0);
    const cy_wl_recommendation *fix;
    (void)state;
    assert_int_equal(r->register_count, 1);
    assert_string_equal(eid(net, r->register_rows[0].enterprise), "s");
    assert_true(r->register_rows[0].impact.final_demand_lost == 1010);
    assert_int_not_equal(r->register_rows[0].fix, CY_WL_NONE);
    fix = &r->recommendations[r->register_rows[0].fix];
    assert_string_equal(eid(net, fix->enterprise), "zeta");
    assert_string_equal(cy_part_name(net, fix->part), "x");
    assert_int_equal(fix->backup_count, 0);
    /* the minor part does have an independent backup */
    for (size_t i = 0; i < r->recommendation_count; i++)
        if (r->recommendations[i].type == CY_WEAK_SINGLE_SOURCE &&
            strcmp(eid(net, r->recommendations[i].enterprise), "alpha") == 0)
            assert_true(r->recommendations[i].backup_shown &&
                        r->recommendations[i].backups[0].independent);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* ---- the worked example of docs/analyses.md -------------------------- */

/* A register row as the tests spell it. */
typedef struct {
    const char *id;
    size_t pairs;
    const char *stops[4];
    int articulation;
    size_t bridges, failed, nodes;
    double demand;
} register_want;

static void check_register(const cy_network *net, const cy_weaklinks *r,
                           const register_want *want, size_t count)
{
    assert_int_equal(r->register_count, count);
    for (size_t i = 0; i < count; i++) {
        const cy_wl_register_row *row = &r->register_rows[i];
        size_t stops = 0;
        assert_string_equal(eid(net, row->enterprise), want[i].id);
        assert_int_equal(row->single_source_pairs, want[i].pairs);
        while (stops < 4 && want[i].stops[stops])
            stops++;
        assert_int_equal(row->chokepoint_of_count, stops);
        for (size_t k = 0; k < stops; k++)
            assert_string_equal(eid(net, row->chokepoint_of[k]), want[i].stops[k]);
        assert_int_equal(row->articulation_point, want[i].articulation);
        assert_int_equal(row->bridges, want[i].bridges);
        assert_int_equal(row->impact.failed_count, want[i].failed);
        assert_int_equal(row->impact.demand_nodes_failed, want[i].nodes);
        assert_true(row->impact.final_demand_lost == want[i].demand);
    }
}

static double register_total(const cy_weaklinks *r)
{
    double total = 0.0;
    for (size_t i = 0; i < r->register_count; i++)
        total += r->register_rows[i].impact.final_demand_lost;
    return total;
}

/* The id of the first backup of recommendation i, or "-". */
static const char *first_backup(const cy_network *net, const cy_weaklinks *r, size_t i)
{
    return r->recommendations[i].backup_shown ? eid(net, r->recommendations[i].backups[0].firm)
                                              : "-";
}

/*
 * graphs/weaklinks-example.json with T = 0 (graphs/README.md derives every
 * number).  Final demand: car 1000, mod1 300 - 270 = 30, mod2 40, mod3 100,
 * mod4 50, chip1 80 - 70 = 10, frame1 0, frame2 60: 1290, seven demand
 * nodes (not frame1).  frame1 stops car (1000); chip1 stops mod1, mod3 and,
 * through mod1, mod4 (10 + 30 + 100 + 50 = 190); mod1 stops mod4 (80).
 * car still has mod2 when mod1 fails.
 */
static void test_example_t0(void **state)
{
    cy_network *net = load_graph("weaklinks-example.json");
    cy_weaklinks *r = compute(net, 0.0);
    static const register_want want[] = {
        {"frame1", 1, {"car"}, 0, 1, 2, 1, 1000},
        {"chip1", 2, {"mod1", "mod3", "mod4"}, 1, 2, 4, 4, 190},
        {"mod1", 1, {"mod4"}, 1, 1, 2, 2, 80}};
    const cy_wl_candidate *frame2;
    (void)state;
    assert_true(r->final_demand_total == 1290);
    assert_int_equal(r->demand_node_count, 7);
    check_register(net, r, want, 3);
    /* frame: frame2 is the only other producer, it survives frame1's
     * failure and nothing stops both: independent. */
    assert_int_equal(r->recommendation_count, 7);
    assert_string_equal(first_backup(net, r, 0), "frame2");
    frame2 = &r->recommendations[0].backups[0];
    assert_true(frame2->survives && frame2->independent && !frame2->same_region);
    assert_int_equal(frame2->common_cause_count, 0);
    assert_int_equal(r->register_rows[0].fix, 0);
    /* chip and housing have no other producer */
    for (size_t i = 2; i < 7; i++)
        assert_int_equal(r->recommendations[i].backup_count, 0);
    /* dependence beyond the circle: chip1 (Jiangsu) is the outside
     * chokepoint of mod3, mod4 and mod1 (rows by final demand); car
     * buys 240 from mod1 (local share 0: its chip is from Jiangsu) and
     * 160 + 100 from firms that buy nothing: (160 + 100) / 500 */
    assert_int_equal(r->outside_count, 3);
    assert_string_equal(eid(net, r->outside[0].node), "mod3");
    assert_string_equal(eid(net, r->outside[1].node), "mod4");
    assert_string_equal(eid(net, r->outside[2].node), "mod1");
    assert_string_equal(eid(net, r->outside[0].chokepoints[0].firm), "chip1");
    assert_true(r->outside[0].chokepoints[0].impact.final_demand_lost == 190);
    assert_false(r->outside[0].survives_outside_cut);
    assert_close(r->multi_tier_share[0], 0.52, 1e-15);
    assert_true(r->multi_tier_share[1] == 0.0);
    assert_true(isnan(r->multi_tier_share[2]));
    assert_int_equal(r->outside_cut_count, 4);
    assert_true(r->outside_cut_final_demand_lost == 190);
    /* region_dependence: rows fail, columns lose (chongqing, chengdu,
     * jiangsu) */
    {
        static const double matrix[9] = {1080, 0, 0, 0, 200, 0, 80, 100, 10};
        for (size_t k = 0; k < 9; k++)
            assert_true(r->region_dependence[k] == matrix[k]);
    }
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/*
 * The same with T = 0.5: losing mod1 leaves car 0.4 of its modules, so
 * mod1 now stops car (30 + 1000 + 50 = 1080) and chip1 stops everything
 * but mod2, frame1 and frame2 (1190).  The recommendation for mod1's
 * modules never proposes mod2 (it already supplies car); of the other
 * producers mod4 fails with mod1 (survives = 0; common causes chip1 and
 * mod1) and mod3 shares chip1 with it: none is independent, and mod4
 * (mod1's region) comes first.
 */
static void test_example_t05(void **state)
{
    cy_network *net = load_graph("weaklinks-example.json");
    cy_weaklinks *r = compute(net, 0.5);
    static const register_want want[] = {
        {"chip1", 2, {"car", "mod1", "mod3", "mod4"}, 1, 2, 5, 5, 1190},
        {"mod1", 1, {"car", "mod4"}, 1, 2, 3, 3, 1080},
        {"frame1", 1, {"car"}, 0, 1, 2, 1, 1000}};
    const cy_wl_recommendation *rec = NULL;
    (void)state;
    check_register(net, r, want, 3);
    for (size_t i = 0; i < r->recommendation_count; i++)
        if (r->recommendations[i].type == CY_WEAK_CHOKEPOINT &&
            strcmp(cy_part_name(net, r->recommendations[i].part), "module") == 0)
            rec = &r->recommendations[i];
    assert_non_null(rec);
    assert_string_equal(eid(net, rec->supplier), "mod1");
    assert_int_equal(rec->backup_count, 2);
    assert_string_equal(eid(net, rec->backups[0].firm), "mod4");
    assert_false(rec->backups[0].survives);
    assert_false(rec->backups[0].independent);
    assert_true(rec->backups[0].same_region);
    assert_int_equal(rec->backups[0].common_cause_count, 2);
    assert_string_equal(eid(net, rec->backups[0].common_cause[0]), "chip1");
    assert_string_equal(eid(net, rec->backups[0].common_cause[1]), "mod1");
    assert_string_equal(eid(net, rec->backups[1].firm), "mod3");
    assert_true(rec->backups[1].survives);
    assert_false(rec->backups[1].independent);
    assert_int_equal(rec->backups[1].common_cause_count, 1);
    assert_string_equal(eid(net, rec->backups[1].common_cause[0]), "chip1");
    assert_int_equal(r->no_independent_count, 1);
    /* the bridge car-mod1 now matters: 2 weak bridges for mod1 */
    assert_int_equal(r->weak_bridge_count, 5);
    /* car is now an outside dependant too, first by final demand */
    assert_int_equal(r->outside_count, 4);
    assert_string_equal(eid(net, r->outside[0].node), "car");
    assert_true(r->outside[0].chokepoints[0].impact.final_demand_lost == 1190);
    assert_true(r->region_dependence[6] == 1080);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/*
 * Before and after: weaklinks-example-backup.json adds frame2 -> car.
 * frame1 no longer stops car, and frame2, now selling its 60 to car, has
 * no final demand left: the register keeps chip1 (190) and mod1 (80) and
 * its total falls from 1270 to 270, at T = 0 and at T = 0.5 (2270 ->
 * 1270: chip1 and mod1 still stop car through its modules).
 */
static void test_example_backup(void **state)
{
    cy_network *before = load_graph("weaklinks-example.json");
    cy_network *after = load_graph("weaklinks-example-backup.json");
    static const double thresholds[2] = {0.0, 0.5}, totals[2][2] = {{1270, 270}, {3270, 2270}};
    (void)state;
    for (int t = 0; t < 2; t++) {
        cy_weaklinks *b = compute(before, thresholds[t]), *a = compute(after, thresholds[t]);
        assert_true(register_total(b) == totals[t][0]);
        assert_true(register_total(a) == totals[t][1]);
        assert_int_equal(a->register_count, b->register_count - 1);
        cy_weaklinks_free(b);
        cy_weaklinks_free(a);
    }
    cy_network_free(before);
    cy_network_free(after);
}

/* Without any value the ranking still says who stops the most: by demand
 * nodes failed, then firms failed (neither list is alphabetical). */
static void test_rank_without_values(void **state)
{
    cy_network *novalues = load_graph("weaklinks-novalues.json");
    cy_network *nooem = load_graph("weaklinks-nooem.json");
    cy_weaklinks *a = compute(novalues, 0.0), *b = compute(nooem, 0.0);
    static const register_want want_a[] = {
        {"mid", 1, {"vehicle-a", "vehicle-b", "vehicle-c"}, 0, 1, 5, 3, 0},
        {"zeta", 3, {"vehicle-a", "vehicle-b", "vehicle-c"}, 1, 3, 4, 3, 0},
        {"alpha", 1, {"vehicle-a"}, 0, 1, 2, 1, 0}};
    static const register_want want_b[] = {
        {"yarn", 1, {"shop-a", "shop-b"}, 0, 1, 4, 2, 0},
        {"cloth", 2, {"shop-a", "shop-b"}, 1, 2, 3, 2, 0},
        {"button", 1, {"shop-a"}, 0, 1, 2, 1, 0}};
    (void)state;
    assert_int_equal(cy_network_demand_rule(novalues), CY_DEMAND_OEM);
    assert_int_equal(cy_network_demand_rule(nooem), CY_DEMAND_NO_CUSTOMER);
    check_register(novalues, a, want_a, 3);
    check_register(nooem, b, want_b, 3);
    assert_string_equal(eid(novalues, a->cascade_impact[0].index), "mid");
    assert_string_equal(eid(nooem, b->cascade_impact[0].index), "yarn");
    assert_string_equal(eid(novalues, a->weak_links[0].supplier), "mid");
    cy_weaklinks_free(a);
    cy_weaklinks_free(b);
    cy_network_free(novalues);
    cy_network_free(nooem);
}

/* xorshift64*, for the random networks below. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/*
 * A random layered network as chengyu/1 text: `n` firms in four tiers,
 * each firm of tier t > 0 buying 1-3 parts ("p<tier>-<k>", four per tier)
 * from 1-2 random firms of tier t - 1, with output values and volumes.
 * extra_from/extra_to/extra_part add one more link when extra_from >= 0.
 */
static char *random_network(uint64_t seed, size_t n, long extra_from, size_t extra_to,
                            const char *extra_part)
{
    size_t cap = 1 << 16, used = 0;
    char *text = malloc(cap);
    uint64_t s = seed;
    used += (size_t)snprintf(text + used, cap - used,
                             "{\"format\":\"chengyu/1\",\"name\":\"random\",\"enterprises\":[");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used,
                                 "%s{\"id\":\"f%zu\",\"kind\":\"%s\",\"output_value\":%u,"
                                 "\"produces\":[\"p%zu-%u\"]}",
                                 i ? "," : "", i, i % 4 == 3 ? "oem" : "supplier",
                                 (unsigned)(next_random(&s) % 100), i % 4,
                                 (unsigned)(i / 4 % 4));
    used += (size_t)snprintf(text + used, cap - used, "],\"links\":[");
    for (size_t i = 0, links = 0; i < n; i++) {
        if (i % 4 == 0)
            continue;
        for (unsigned part = 0, parts = 1 + next_random(&s) % 3; part < parts; part++) {
            size_t first = (next_random(&s) % (n / 4)) * 4 + i % 4 - 1;
            for (unsigned k = 0, sources = 1 + next_random(&s) % 2; k < sources; k++) {
                size_t from = (first + 4 * k) % n; /* distinct, same tier */
                used += (size_t)snprintf(text + used, cap - used,
                                         "%s{\"from\":\"f%zu\",\"to\":\"f%zu\",\"part\":\"q%zu-%u\","
                                         "\"volume\":%u}",
                                         links++ ? "," : "", from, i, i % 4, part,
                                         (unsigned)(next_random(&s) % 20));
            }
        }
    }
    if (extra_from >= 0)
        used += (size_t)snprintf(text + used, cap - used,
                                 ",{\"from\":\"f%ld\",\"to\":\"f%zu\",\"part\":\"%s\",\"volume\":5}",
                                 extra_from, extra_to, extra_part);
    snprintf(text + used, cap - used, "]}");
    return text;
}

/*
 * Adding a second source to a single-source pair, which removes that weak
 * link (T = 0; T = 0.5 with equal default shares), never raises the
 * register's total final demand lost: on 40 random networks, the first
 * single-source pair gets a link from another firm.
 */
static void test_backup_never_raises_loss(void **state)
{
    static const double thresholds[2] = {0.0, 0.5};
    size_t checked = 0;
    (void)state;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        char *text = random_network(seed * 7919, 40, -1, 0, NULL), *more;
        cy_network *before = load_text(text), *after;
        cy_weaklinks *r = compute(before, 0.0);
        const cy_wl_single_source *s;
        long backup;
        if (!r->single_source_count) {
            cy_weaklinks_free(r);
            cy_network_free(before);
            free(text);
            continue;
        }
        s = &r->single_source[0];
        backup = (long)((s->supplier + 4) % 40);
        more = random_network(seed * 7919, 40, backup, s->enterprise,
                              cy_part_name(before, s->part));
        cy_weaklinks_free(r);
        after = load_text(more);
        for (int t = 0; t < 2; t++) {
            cy_weaklinks *b = compute(before, thresholds[t]), *a = compute(after, thresholds[t]);
            assert_true(register_total(a) <= register_total(b));
            cy_weaklinks_free(b);
            cy_weaklinks_free(a);
        }
        checked++;
        cy_network_free(before);
        cy_network_free(after);
        free(text);
        free(more);
    }
    assert_true(checked >= 30);
}

/*
 * Every recommendation shows the first CY_WL_MAX_BACKUPS of its
 * candidates, all of them when it has fewer (the report packs the slots
 * on that count), and its backups are distinct firms none of which is the
 * current supplier: on the generator's regional network (hundreds of
 * recommendations with five or more candidates) at T = 0 and 0.5.
 */
static void test_backups_shown(void **state)
{
    cy_generate_params params = {CY_PRESET_REGIONAL, 3, 0, 0, 0};
    char *text = NULL;
    size_t size = 0, capped = 0;
    FILE *stream = open_memstream(&text, &size);
    cy_network *net = NULL;
    cy_error err;
    (void)state;
    assert_non_null(stream);
    cy_error_init(&err);
    assert_int_equal(cy_generate(&params, stream, &err), CY_OK);
    assert_int_equal(fclose(stream), 0);
    assert_int_equal(cy_network_load_buffer(text, size, "generated", &net, &err), CY_OK);
    cy_error_destroy(&err);
    free(text);
    for (int t = 0; t < 2; t++) {
        cy_weaklinks *r = compute(net, t ? 0.5 : 0.0);
        for (size_t i = 0; i < r->recommendation_count; i++) {
            const cy_wl_recommendation *rec = &r->recommendations[i];
            size_t want = rec->backup_count < CY_WL_MAX_BACKUPS ? rec->backup_count
                                                                : CY_WL_MAX_BACKUPS;
            assert_int_equal(rec->backup_shown, want);
            capped += rec->backup_count > CY_WL_MAX_BACKUPS;
            for (size_t k = 0; k < rec->backup_shown; k++) {
                assert_true(rec->backups[k].firm != rec->supplier);
                for (size_t q = 0; q < k; q++)
                    assert_true(rec->backups[q].firm != rec->backups[k].firm);
            }
        }
        cy_weaklinks_free(r);
    }
    assert_true(capped >= 100);
    cy_network_free(net);
}

/* cy_bridge_impacts_compute on its own gives what the report gives, and
 * fails cleanly when memory runs out. */
static void test_bridge_impacts(void **state)
{
    fixture *f = *state;
    cy_structure structure;
    cy_wl_impact *impacts = NULL;
    cy_error err;
    long n;
    cy_error_init(&err);
    assert_int_equal(cy_structure_compute(f->net, &structure, &err), CY_OK);
    assert_int_equal(cy_bridge_impacts_compute(f->net, &structure, 0.0, &impacts, &err), CY_OK);
    for (size_t i = 0; i < structure.bridge_count; i++) {
        assert_int_equal(impacts[i].failed_count, f->report->bridge_impact[i].failed_count);
        assert_true(impacts[i].final_demand_lost == f->report->bridge_impact[i].final_demand_lost);
    }
    cy_free(impacts);
    assert_int_equal(cy_bridge_impacts_compute(f->net, &structure, 2.0, &impacts, &err),
                     CY_EUSAGE);
    for (n = 0;; n++) {
        cy_status status;
        cy_alloc_fail_after(n, 0);
        status = cy_bridge_impacts_compute(f->net, &structure, 0.0, &impacts, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK)
            break;
        assert_int_equal(status, CY_ENOMEM);
        assert_null(impacts);
    }
    cy_free(impacts);
    cy_structure_destroy(&structure);
    cy_error_destroy(&err);
}

/* The circle rule of docs/analyses.md. */
static void test_circle_zone(void **state)
{
    (void)state;
    assert_int_equal(cy_circle_zone_of("chongqing", NULL), CY_CIRCLE_CHONGQING);
    assert_int_equal(cy_circle_zone_of("Chongqing-Wanzhou", NULL), CY_CIRCLE_CHONGQING);
    assert_int_equal(cy_circle_zone_of("yongchuan", NULL), CY_CIRCLE_CHONGQING);
    assert_int_equal(cy_circle_zone_of("chongqingx", NULL), CY_CIRCLE_OUTSIDE);
    assert_int_equal(cy_circle_zone_of("cd", "Chengdu High-tech Zone"), CY_CIRCLE_CHENGDU);
    assert_int_equal(cy_circle_zone_of("r1", "成都市"), CY_CIRCLE_CHENGDU);
    assert_int_equal(cy_circle_zone_of("r2", "重庆"), CY_CIRCLE_CHONGQING);
    assert_int_equal(cy_circle_zone_of("guang'an", NULL), CY_CIRCLE_SICHUAN);
    assert_int_equal(cy_circle_zone_of("Ya\xE2\x80\x99" "an", NULL), CY_CIRCLE_SICHUAN);
    assert_int_equal(cy_circle_zone_of("mianyang_high_tech", NULL), CY_CIRCLE_SICHUAN);
    assert_int_equal(cy_circle_zone_of("sichuan-other", NULL), CY_CIRCLE_SICHUAN);
    /* Sichuan cities outside the 2021 plan, and other provinces */
    assert_int_equal(cy_circle_zone_of("guangyuan", NULL), CY_CIRCLE_OUTSIDE);
    assert_int_equal(cy_circle_zone_of("panzhihua", "Panzhihua"), CY_CIRCLE_OUTSIDE);
    assert_int_equal(cy_circle_zone_of("guangdong", NULL), CY_CIRCLE_OUTSIDE);
    assert_int_equal(cy_circle_zone_of("", NULL), CY_CIRCLE_OUTSIDE);
}

/*
 * Circle membership is the region's `inside` field, not a list of names:
 * regions north and south (no field: inside, though they name no place of
 * the circle) and abroad (inside: false).  chipx (abroad) -> mod (north,
 * chip 3) -> car (south, module 10), seat (south) -> car (seat 5); car's
 * final demand 1000 is the only one.  Only chipx is outside: it is car's
 * one outside chokepoint (1000 lost), the outside cut fails chipx, mod and
 * car; car's one-tier circle share is 15/15, its multi-tier share
 * (10 x 0 + 5 x 1) / 15 = 1/3 (mod buys only from abroad, seat buys
 * nothing); north and south are on neither side (CY_CIRCLE_OTHER), so
 * chipx -> mod's 3 counts in into_circle.
 */
static void test_inside_field(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"inside\",\"regions\":["
        "{\"id\":\"north\"},{\"id\":\"south\",\"name\":\"Zone B\"},"
        "{\"id\":\"abroad\",\"inside\":false}],\"enterprises\":["
        "{\"id\":\"car\",\"kind\":\"oem\",\"region\":\"south\",\"final_demand\":1000},"
        "{\"id\":\"chipx\",\"kind\":\"supplier\",\"region\":\"abroad\",\"final_demand\":0},"
        "{\"id\":\"mod\",\"kind\":\"supplier\",\"region\":\"north\",\"final_demand\":0},"
        "{\"id\":\"seat\",\"kind\":\"supplier\",\"region\":\"south\",\"final_demand\":0}],"
        "\"links\":[{\"from\":\"chipx\",\"to\":\"mod\",\"part\":\"chip\",\"volume\":3},"
        "{\"from\":\"mod\",\"to\":\"car\",\"part\":\"module\",\"volume\":10},"
        "{\"from\":\"seat\",\"to\":\"car\",\"part\":\"seat\",\"volume\":5}]}";
    cy_network *net = load_text(text);
    cy_weaklinks *r = compute(net, 0.0);
    (void)state;
    assert_int_equal(r->region_inside[0], 1);
    assert_int_equal(r->region_inside[1], 1);
    assert_int_equal(r->region_inside[2], 0);
    assert_int_equal(r->region_zone[0], CY_CIRCLE_OTHER);
    assert_int_equal(r->region_zone[1], CY_CIRCLE_OTHER);
    assert_int_equal(r->region_zone[2], CY_CIRCLE_OUTSIDE);
    assert_int_equal(r->outside_count, 1);
    assert_string_equal(eid(net, r->outside[0].node), "car");
    assert_int_equal(r->outside[0].chokepoint_count, 1);
    assert_string_equal(eid(net, r->outside[0].chokepoints[0].firm), "chipx");
    assert_true(r->outside[0].chokepoints[0].impact.final_demand_lost == 1000);
    assert_close(r->outside[0].multi_tier_share, 1.0 / 3, 1e-12);
    assert_int_equal(r->outside_cut_count, 3);
    assert_true(r->outside_cut_final_demand_lost == 1000);
    assert_int_equal(r->local_oem_count, 1);
    assert_true(r->local_oem[0].circle_volume == 15 && r->local_oem[0].inbound_volume == 15);
    assert_true(r->cross_volume[CY_CIRCLE_OUTSIDE][CY_CIRCLE_OTHER] == 3);
    assert_true(r->cross_volume[CY_CIRCLE_OTHER][CY_CIRCLE_OTHER] == 10);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Thresholds and shares: oem needs part p from s1 (share 0.7) and s2
 * (0.3).  With T = 0 neither failure stops it: no chokepoint, no single
 * source.  With T = 0.5, losing s1 leaves 0.3 < 0.5: s1 becomes oem's
 * chokepoint, and its critical link (s1 -> oem, p) gets a recommendation
 * with no backup: s2, the only other producer, already supplies p to oem
 * (a current supplier is never proposed), and s3 produces q only.
 * Losing s2 leaves 0.7: no failure. */
static void test_threshold(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"shares\",\"enterprises\":["
        "{\"id\":\"oem\",\"kind\":\"oem\",\"output_value\":10},"
        "{\"id\":\"s1\",\"kind\":\"supplier\",\"output_value\":3},"
        "{\"id\":\"s2\",\"kind\":\"supplier\",\"output_value\":2},"
        "{\"id\":\"s3\",\"kind\":\"supplier\",\"produces\":[\"q\"]}],"
        "\"links\":[{\"from\":\"s1\",\"to\":\"oem\",\"part\":\"p\",\"volume\":7,\"share\":0.7},"
        "{\"from\":\"s2\",\"to\":\"oem\",\"part\":\"p\",\"volume\":3,\"share\":0.3}]}";
    cy_network *net = load_text(text);
    cy_weaklinks *r0 = compute(net, 0.0), *r5 = compute(net, 0.5);
    (void)state;
    assert_int_equal(r0->single_source_count, 0);
    assert_int_equal(r0->chokepoint_pair_count, 0);
    assert_int_equal(r0->recommendation_count, 0);
    assert_true(r0->threshold == 0.0);
    assert_int_equal(r5->single_source_count, 0);
    assert_int_equal(r5->chokepoint_pair_count, 1);
    assert_string_equal(cy_enterprise_id(net, r5->chokepoints[0].enterprises[0]), "s1");
    assert_int_equal(r5->recommendation_count, 1);
    assert_int_equal(r5->recommendations[0].type, CY_WEAK_CHOKEPOINT);
    assert_string_equal(cy_enterprise_id(net, r5->recommendations[0].supplier), "s1");
    assert_int_equal(r5->recommendations[0].backup_count, 0);
    /* s1's cascade stops oem: all the final demand (10; s1 and s2 deliver
     * more than their output value) */
    assert_close(r5->recommendations[0].severity, 100.0, 1e-12);
    assert_true(r5->recommendations[0].impact.output_value_lost == 13);
    /* HHI of p: 0.7^2 + 0.3^2 = 0.58 */
    assert_close(r5->concentration[0].hhi, 0.58, 1e-15);
    cy_weaklinks_free(r0);
    cy_weaklinks_free(r5);
    cy_network_free(net);
}

/* No regions, no parks, zero volumes: shares are undefined (NaN / null),
 * the supplier's volume counts as "no region", and the empty network gives
 * an empty report. */
static void test_missing_data(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"bare\",\"enterprises\":["
        "{\"id\":\"o\",\"kind\":\"oem\"},{\"id\":\"s\",\"kind\":\"supplier\"}],"
        "\"links\":[{\"from\":\"s\",\"to\":\"o\",\"part\":\"p\"}]}";
    static const char empty[] =
        "{\"format\":\"chengyu/1\",\"name\":\"empty\",\"enterprises\":[],\"links\":[]}";
    cy_network *net = load_text(text), *none = load_text(empty);
    cy_weaklinks *r = compute(net, 0.0), *e = compute(none, 0.0);
    (void)state;
    assert_int_equal(r->concentration_count, 1);
    assert_true(isnan(r->concentration[0].hhi));
    assert_int_equal(r->concentration[0].top_park, CY_WL_NONE);
    assert_int_equal(r->concentration[0].top_region, CY_WL_NONE);
    assert_int_equal(r->local_oem[0].region, CY_WL_NONE);
    assert_int_equal(r->local_oem[0].link_count, 1);
    assert_int_equal(r->single_source_count, 1);
    assert_int_equal(r->recommendations[0].backup_count, 0);
    /* total output 0: severities are 0, not NaN */
    assert_true(cy_wl_link_severity(r, &r->weak_links[0]) == 0.0);
    assert_int_equal(e->weak_link_count, 0);
    assert_int_equal(e->cascade_impact_count, 0);
    assert_int_equal(e->concentration_count, 0);
    cy_weaklinks_free(r);
    cy_weaklinks_free(e);
    cy_network_free(net);
    cy_network_free(none);
}

static void test_bad_threshold(void **state)
{
    fixture *f = *state;
    cy_weaklinks_options options = {.threshold = 1.5};
    cy_weaklinks *report = NULL;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_weaklinks_compute(f->net, &options, &report, &err), CY_EUSAGE);
    assert_null(report);
    assert_non_null(strstr(err.items[0].message, "threshold"));
    options.threshold = NAN;
    assert_int_equal(cy_weaklinks_compute(f->net, &options, &report, &err), CY_EUSAGE);
    cy_error_destroy(&err);
}

/* ---- writers ---------------------------------------------------------- */

typedef enum { W_JSON, W_MD, W_CSV, W_HTML } writer;

/* Run a writer into memory; returns a malloc'd NUL-terminated buffer. */
static char *write_to_string(writer which, const cy_network *net, const cy_weaklinks *r,
                             size_t top, const cy_report_figure *figures, size_t nfig,
                             cy_status *status)
{
    /* The stream's pointer and size live on the heap: GCC 12 at -O3
     * otherwise takes the returned text for a pointer into this frame
     * (-Wdangling-pointer false positive). */
    struct { char *buf; size_t size; } *mem = calloc(1, sizeof *mem);
    char *buf;
    FILE *out;
    cy_error err;
    assert_non_null(mem);
    out = open_memstream(&mem->buf, &mem->size);
    assert_non_null(out);
    cy_error_init(&err);
    switch (which) {
    case W_JSON: *status = cy_weaklinks_write_json(net, r, top, out, &err); break;
    case W_MD: *status = cy_weaklinks_write_md(net, r, top, out, &err); break;
    case W_CSV: *status = cy_weaklinks_write_csv(net, r, top, out, &err); break;
    default: *status = cy_weaklinks_write_html(net, r, top, figures, nfig, out, &err); break;
    }
    fclose(out);
    cy_error_destroy(&err);
    buf = mem->buf;
    free(mem);
    return buf;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The JSON report parses, has exactly the keys of docs/cli.md in order, and
 * carries the values above; --top cuts the ranked lists only. */
static void test_json(void **state)
{
    fixture *f = *state;
    static const char *const keys[] = {
        "register", "single_source", "chokepoints", "articulation_points", "bridges",
        "cascade_impact", "park_impact", "region_impact", "concentration",
        "local_supply", "outside_chokepoints", "region_dependence", "cross_region",
        "recommendations", "summary"};
    static const char *const registered[] = {"cell1", "wafer1", "chip1", "bat1", "seat1"};
    cy_status status;
    char *text = write_to_string(W_JSON, f->net, f->report, 0, NULL, 0, &status);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr), *v;
    const char *key;
    size_t k = 0;
    assert_int_equal(status, CY_OK);
    assert_non_null(doc);
    /* key order as written: scan the text */
    for (size_t i = 0; i < 15; i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\n  \"%s\":", keys[i]);
        assert_non_null(strstr(text, quoted));
        if (i)
            assert_true(strstr(text, quoted) > strstr(text, keys[i - 1]));
    }
    json_object_foreach(doc, key, v) k++;
    assert_int_equal(k, 15);
    /* graphs/README.md: the register is cell1, wafer1, chip1, bat1, seat1 */
    v = json_object_get(doc, "register");
    assert_int_equal(json_array_size(v), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(json_string_value(json_object_get(json_array_get(v, i), "id")),
                            registered[i]);
    v = json_array_get(v, 0);
    assert_true(json_real_value(json_object_get(v, "final_demand_lost")) == 1500);
    assert_int_equal(json_integer_value(json_object_get(v, "demand_nodes_failed")), 2);
    assert_int_equal(json_integer_value(json_object_get(v, "failed_count")), 5);
    v = json_array_get(json_object_get(doc, "single_source"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "enterprise")), "bat1");
    assert_true(json_real_value(json_object_get(v, "output_at_risk")) == 1710);
    assert_true(json_real_value(json_object_get(v, "final_demand_lost")) == 1500);
    v = json_object_get(doc, "cross_region");
    assert_true(json_real_value(json_object_get(v, "chengdu_to_chongqing")) == 320);
    assert_true(json_real_value(json_object_get(v, "chongqing_to_chengdu")) == 50);
    v = json_array_get(json_object_get(json_object_get(doc, "local_supply"), "oems"), 0);
    assert_close(json_real_value(json_object_get(v, "circle_share")), 400.0 / 600, 1e-15);
    v = json_array_get(json_object_get(doc, "recommendations"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "note")), "none in the network");
    v = json_array_get(json_object_get(doc, "bridges"), 3);
    assert_string_equal(json_string_value(json_array_get(v, 0)), "wafer1");
    v = json_object_get(doc, "summary");
    assert_int_equal(json_integer_value(json_object_get(v, "single_source_pairs")), 6);
    assert_true(json_real_value(json_object_get(v, "final_demand_total")) == 1545);
    assert_int_equal(json_integer_value(json_object_get(v, "demand_nodes")), 4);
    /* 6 pairs, 6 chokepoint pairs, 2 articulation points that stop a firm, 4 bridges */
    assert_int_equal(json_array_size(json_object_get(v, "weak_links")), 18);
    json_decref(doc);
    free(text);

    text = write_to_string(W_JSON, f->net, f->report, 2, NULL, 0, &status);
    doc = json_loads(text, 0, &jerr);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "single_source")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "cascade_impact")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "concentration")), 2);
    /* unranked sections are complete, counts cover everything */
    assert_int_equal(json_array_size(json_object_get(doc, "articulation_points")), 4);
    assert_int_equal(json_array_size(json_object_get(doc, "chokepoints")), 4); /* demand nodes */
    v = json_object_get(doc, "summary");
    assert_int_equal(json_integer_value(json_object_get(v, "single_source_pairs")), 6);
    assert_int_equal(json_array_size(json_object_get(v, "weak_links")), 2);
    json_decref(doc);
    free(text);
}

/*
 * How the JSON writer spells values.  Reals: integral ones as "90.0",
 * others the shortest of 15, 16, 17 significant digits that reads back as
 * the same double: severity 100 * 1500 / 1545 = 97.087378640776699...
 * needs 15, oem1's circle share 400 / 600 = 2/3 needs 16
 * (0.666666666666667 is another double).  Strings: escaped exactly as
 * Jansson escapes them (its json_dumps is the oracle here), control
 * characters as \u00XX with upper-case hex; '/', DEL and UTF-8 as is.
 */
static void test_json_spelling(void **state)
{
    fixture *f = *state;
    static const char odd[] =
        "{\"format\":\"chengyu/1\",\"name\":\"a\\\"b\\\\c/\\t\\n\\u0001\\u001f\\u007f\xe6\x88\x90\","
        "\"enterprises\":[{\"id\":\"o\",\"kind\":\"oem\",\"output_value\":3},"
        "{\"id\":\"s\",\"kind\":\"supplier\"}],"
        "\"links\":[{\"from\":\"s\",\"to\":\"o\",\"part\":\"p\",\"volume\":1}]}";
    cy_status status;
    char *text = write_to_string(W_JSON, f->net, f->report, 0, NULL, 0, &status);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr), *v;
    cy_network *net;
    cy_weaklinks *r;
    char *quoted;

    assert_int_equal(status, CY_OK);
    assert_non_null(doc);
    assert_non_null(strstr(text, "\"volume\": 90.0, \"output_at_risk\": 1710.0, \"failed_count\": 5, "));
    assert_non_null(strstr(text, "\"severity\": 97.0873786407767, "));
    assert_non_null(strstr(text, "\"circle_share\": 0.6666666666666666, "));
    assert_non_null(strstr(text, "\"output_value_total\": 1845.0,\n"));
    /* Shorter text, the very same double as the report's. */
    v = json_array_get(json_object_get(doc, "concentration"), 4);
    assert_string_equal(json_string_value(json_object_get(v, "part")), "battery");
    assert_true(json_real_value(json_object_get(v, "hhi")) == f->report->concentration[4].hhi);
    json_decref(doc);
    free(text);

    net = load_text(odd);
    r = compute(net, 0.0);
    text = write_to_string(W_JSON, net, r, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    assert_non_null(strstr(text, "\"network\": \"a\\\"b\\\\c/\\t\\n\\u0001\\u001F\x7f\xe6\x88\x90\",\n"));
    v = json_string(cy_network_name(net));
    quoted = json_dumps(v, JSON_ENCODE_ANY);
    assert_non_null(quoted);
    assert_non_null(strstr(text, quoted));
    free(quoted);
    json_decref(v);
    doc = json_loads(text, 0, &jerr);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "summary"), "network")),
                        cy_network_name(net));
    json_decref(doc);
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Hostile names: a comma, a quote, a pipe, a newline, markup. */
static const char hostile[] =
    "{\"format\":\"chengyu/1\",\"name\":\"<b>evil</b> & co\",\"enterprises\":["
    "{\"id\":\"o|1\",\"name\":\"OEM, \\\"one\\\"\",\"kind\":\"oem\",\"output_value\":5},"
    "{\"id\":\"s<script>\",\"name\":\"line\\nbreak\",\"kind\":\"supplier\"}],"
    "\"links\":[{\"from\":\"s<script>\",\"to\":\"o|1\",\"part\":\"p,\\\"q\\\"\",\"volume\":1}]}";

/* CSV: two tables separated by an empty line - the register (header, one
 * row per firm), then the weak links (header, one row each) - RFC 4180
 * quoting, LF line ends, reals in the one spelling of every format. */
static void test_csv(void **state)
{
    fixture *f = *state;
    cy_status status;
    char *text = write_to_string(W_CSV, f->net, f->report, 0, NULL, 0, &status);
    cy_network *net;
    cy_weaklinks *r;
    assert_int_equal(status, CY_OK);
    /* 1 + 5 register lines, the empty line, 1 + 18 weak links */
    assert_int_equal(count_of(text, "\n"), 26);
    assert_null(strchr(text, '\r'));
    assert_true(strncmp(text, "register_rank,id,name,region,single_source_pairs,chokepoint_of,", 63) == 0);
    assert_non_null(strstr(text, "\n1,cell1,cell1,chengdu,2,oem1;oem2,false,0,5,2,1500.0,0.970873786407767,1710.0,"));
    assert_non_null(strstr(text, "\n3,chip1,chip1,guangdong,1,oem1,true,1,2,1,1000.0,0.6472491909385113,1060.0,chip,oem1,chip2,true,,"));
    assert_non_null(strstr(text, "\n\ntype,rank,severity,output_at_risk,failed_count,enterprise,"));
    assert_non_null(strstr(text, "\nsingle_source,1,97.0873786407767,1710.0,5,bat1,bat1,cell1,cell1,cell,,90.0,none in the network,1500.0,0.970873786407767,2\n"));
    /* backups: independent, then seat1's region (chongqing), then by id */
    assert_non_null(strstr(text, ",seat3;seat5;seat2;seat4,500.0,0.32362459546925565,1\n"));
    assert_non_null(strstr(text, "\nbridge,18,"));
    free(text);
    text = write_to_string(W_CSV, f->net, f->report, 3, NULL, 0, &status);
    assert_int_equal(count_of(text, "\n"), 9);
    free(text);

    net = load_text(hostile);
    r = compute(net, 0.0);
    text = write_to_string(W_CSV, net, r, 0, NULL, 0, &status);
    /* the customer's name has a comma and quotes; the part too */
    assert_non_null(strstr(text, ",o|1,\"OEM, \"\"one\"\"\",s<script>,\"line\nbreak\",\"p,\"\"q\"\"\","));
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);

    /* A ';' or '\\' inside an id of chokepoint_of is escaped, so the list
     * splits back into the two customers (not three). */
    net = load_text("{\"format\":\"chengyu/1\",\"name\":\"t\",\"enterprises\":["
                    "{\"id\":\"a;b\",\"kind\":\"oem\",\"output_value\":5},"
                    "{\"id\":\"c\\\\d\",\"kind\":\"oem\",\"output_value\":5},"
                    "{\"id\":\"s\",\"kind\":\"supplier\"}],\"links\":["
                    "{\"from\":\"s\",\"to\":\"a;b\",\"part\":\"p\",\"volume\":1},"
                    "{\"from\":\"s\",\"to\":\"c\\\\d\",\"part\":\"p\",\"volume\":1}]}");
    r = compute(net, 0.0);
    text = write_to_string(W_CSV, net, r, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    assert_non_null(strstr(text, "\n1,s,s,,2,a\\;b;c\\\\d,"));
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Markdown: headed sections with their JSON keys; | escaped in cells. */
static void test_md(void **state)
{
    fixture *f = *state;
    cy_status status;
    char *text = write_to_string(W_MD, f->net, f->report, 0, NULL, 0, &status);
    cy_network *net;
    cy_weaklinks *r;
    assert_int_equal(status, CY_OK);
    assert_non_null(strstr(text, "## Single-source pairs (`single_source`)"));
    /* the register is the first table */
    assert_true(strstr(text, "## Risk register") < strstr(text, "\n|"));
    assert_non_null(strstr(text, "| 1 | cell1 | chengdu | sole supplier of 2 pairs; stops oem1, oem2 | \xC2\xA5" "1.5 k | 97.1% | 2 | 5 |"));
    assert_non_null(strstr(text, "## Recommendations (`recommendations`)"));
    assert_non_null(strstr(text, "| oem2 | seat | seat1 | \xC2\xA5" "50 | \xC2\xA5" "500 | 1 | 2 |"));
    assert_non_null(strstr(text, "| 13 | single_source | 32.4 | \xC2\xA5" "500 | 1 | 2 | oem2 | seat | seat1 | - |"));
    assert_non_null(strstr(text, "| seat3 (independent), seat5 (independent, but in the supplier's park wsc), seat2 (independent), seat4 (independent) | 4 |"));
    /* bat1 and bat2 both buy only from cell1 (graphs/weaklinks.json) */
    assert_non_null(strstr(text, "| bat2 (common cause: cell1; shares its only supplier with "
                                 "the supplier: cell1); none independent"));
    assert_non_null(strstr(text, "| battery | 2 | 0.702 | \xC2\xA5" "550 | bat1 81.8% | tf 81.8% | chengdu 81.8% |"));
    /* The circle rule whole (a 512-byte buffer once cut it mid-word). */
    assert_non_null(strstr(text, "the 14 other Sichuan circle cities, or Sichuan itself."));
    free(text);

    net = load_text(hostile);
    r = compute(net, 0.0);
    text = write_to_string(W_MD, net, r, 0, NULL, 0, &status);
    assert_non_null(strstr(text, "| o\\|1 | p,\"q\" | s\\<script\\> |"));
    assert_null(strstr(text, "<script>"));
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* The page's navigation links every section heading (<h2 id=...>) and
 * nothing else, in the order of the headings. */
static void check_nav(const char *page)
{
    const char *nav = strstr(page, "<nav>"), *nav_end = nav ? strstr(nav, "</nav>") : NULL;
    const char *link = nav, *h = page;
    size_t headings = 0;
    assert_non_null(nav_end);
    while ((h = strstr(h, "<h2 id=\"")) != NULL) {
        char want[96];
        const char *id = h + 8, *end = strchr(id, '"');
        assert_non_null(end);
        assert_true(end - id < 64);
        snprintf(want, sizeof want, "<a href=\"#%.*s\">", (int)(end - id), id);
        link = strstr(link, want);
        assert_non_null(link);
        assert_true(link < nav_end);
        headings++;
        h = end;
    }
    assert_int_equal(count_of(nav, "<a href=") - count_of(nav_end, "<a href="), headings);
    /* Whitespace between the links, so that the bar wraps on a narrow
     * window (17 links side by side once overflowed the page). */
    assert_true(!strstr(nav, "</a><a") || strstr(nav, "</a><a") > nav_end);
}

/* HTML: one page, every string escaped, figures inlined with their ids
 * prefixed, a figure without <svg> refused. */
static void test_html(void **state)
{
    fixture *f = *state;
    static const char svg[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
        "<defs><g id=\"glyph0\"/></defs><use xlink:href=\"#glyph0\"/>"
        "<rect style=\"clip-path:url(#clip1)\"/></svg>\n";
    cy_report_figure figures[2] = {{"Diagram", "weak links in red", svg, sizeof svg - 1, NULL},
                                   {"Plot", NULL, svg, sizeof svg - 1, NULL}};
    cy_report_figure bad = {"Bad", NULL, "<html>no</html>", 15, NULL};
    cy_status status;
    char *text = write_to_string(W_HTML, f->net, f->report, 0, figures, 2, &status);
    cy_network *net;
    cy_weaklinks *r;
    assert_int_equal(status, CY_OK);
    assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
    assert_int_equal(count_of(text, "<svg"), 2);
    assert_null(strstr(text, "<?xml"));
    assert_non_null(strstr(text, "id=\"f1-glyph0\""));
    assert_non_null(strstr(text, "xlink:href=\"#f2-glyph0\""));
    assert_non_null(strstr(text, "url(#f2-clip1)"));
    /* md's 14 tables, the register, outside chokepoints, region dependence */
    assert_int_equal(count_of(text, "<table class=\"sortable\""), 17);
    assert_non_null(strstr(text, "<table"));
    assert_true(strncmp(strstr(text, "<table"), "<table class=\"sortable\" data-section=\"register\">", 48) == 0);
    assert_non_null(strstr(text, "data-section=\"recommendations\""));
    assert_null(strstr(text, "src=\"http"));
    assert_null(strstr(text, "href=\"http"));
    assert_null(strstr(text, "<link"));
    check_nav(text);
    free(text);
    text = write_to_string(W_HTML, f->net, f->report, 0, &bad, 1, &status);
    assert_int_equal(status, CY_EUSAGE);
    free(text);

    net = load_text(hostile);
    r = compute(net, 0.0);
    text = write_to_string(W_HTML, net, r, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    assert_non_null(strstr(text, "<title>Weak-link report: &lt;b&gt;evil&lt;/b&gt; &amp; co</title>"));
    assert_non_null(strstr(text, "s&lt;script&gt;"));
    assert_int_equal(count_of(text, "<script>"), 1); /* the page's own only */
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/*
 * Values near the largest double: a and b hold 8e307 each, c 1e300 (the
 * totals are finite and accepted); the final demand is b's 8e307 and c's
 * 1e300.  100 x 8e307 is infinite, so a severity computed as 100 x lost /
 * total came out inf (JSON null, an empty CSV cell) and the ranking lost
 * its order; as 100 x (lost / total) it is the share it should be: c's
 * failure stops b and c (100%), a's stops a and b.
 */
static void test_severity_near_the_largest_double(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"huge\",\"enterprises\":["
        "{\"id\":\"a\",\"kind\":\"supplier\",\"output_value\":8e307},"
        "{\"id\":\"b\",\"kind\":\"oem\",\"output_value\":8e307},"
        "{\"id\":\"c\",\"kind\":\"supplier\",\"output_value\":1e300}],"
        "\"links\":[{\"from\":\"a\",\"to\":\"b\",\"part\":\"p\",\"volume\":8e307},"
        "{\"from\":\"c\",\"to\":\"b\",\"part\":\"q\",\"volume\":1}]}";
    cy_network *net = load_text(text);
    cy_weaklinks *r = compute(net, 0.0);
    double total = 8e307 + 1e300;
    int a_seen = 0;
    cy_status status;
    char *json;
    (void)state;

    assert_close(r->final_demand_total, total, 1e293);
    assert_true(r->weak_link_count > 0);
    assert_string_equal(eid(net, r->weak_links[0].supplier), "c");
    assert_close(cy_wl_link_severity(r, &r->weak_links[0]), 100.0, 1e-12);
    for (size_t k = 0; k < r->weak_link_count; k++) {
        const char *supplier = r->weak_links[k].supplier == CY_WL_NONE32
                                   ? "" : eid(net, r->weak_links[k].supplier);
        double severity = cy_wl_link_severity(r, &r->weak_links[k]);
        assert_true(isfinite(severity));
        assert_true(k == 0 || severity <= cy_wl_link_severity(r, &r->weak_links[k - 1]));
        if (strcmp(supplier, "a") == 0) {
            assert_close(severity, 100.0 * (8e307 / total), 1e-12);
            a_seen = 1;
        }
    }
    assert_true(a_seen);
    json = write_to_string(W_JSON, net, r, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    assert_null(strstr(json, "\"severity\": null"));
    free(json);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Every allocation of the report (and of its writers) may fail: each
 * failure must give CY_ENOMEM and leak nothing (ASan checks the leaks). */
/*
 * The workbook: every allocation of the xlsx writer failing in turn gives
 * CY_ENOMEM and writes nothing; the run that meets no failure writes a
 * zip.  (Its content is checked with openpyxl: tests/cli/test_weaklinks_xlsx.sh.)
 */
static void test_xlsx_allocation_failures(void **state)
{
    fixture *f = *state;
    long n;
    for (n = 0;; n++) {
        char *data = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&data, &size);
        cy_error err;
        cy_status status;
        long made;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_weaklinks_write_xlsx(f->net, f->report, out, &err);
        made = cy_alloc_count();
        cy_alloc_fail_after(-1, 0);
        fclose(out);
        cy_error_destroy(&err);
        if (status == CY_OK) {
            assert_true(size > 1000);
            assert_memory_equal(data, "PK", 2);
            free(data);
            if (made <= n)
                break;
            continue;
        }
        assert_int_equal(status, CY_ENOMEM);
        assert_int_equal(size, 0);
        free(data);
    }
    assert_true(n > 20);
}

/* Whether firm `f` has a link into firm `c` (any part). */
static int supplies(const cy_network *net, size_t f, size_t c)
{
    for (size_t k = 0; k < net->link_count; k++)
        if (net->links[k].from == f && net->links[k].to == c)
            return 1;
    return 0;
}

/* The definition, firm by firm: f (not a, not b) supplies both; b's
 * distinct suppliers; the shared ones sorted by id into want[]. */
static size_t shared_brute(const cy_network *net, size_t a, size_t b, size_t *want,
                           size_t *of)
{
    size_t count = 0;
    *of = 0;
    for (size_t f = 0; f < net->enterprise_count; f++) {
        *of += (size_t)supplies(net, f, b);
        if (f != a && f != b && supplies(net, f, a) && supplies(net, f, b)) {
            size_t at = count++;
            while (at > 0 && strcmp(net->enterprises[want[at - 1]].id,
                                    net->enterprises[f].id) > 0) {
                want[at] = want[at - 1];
                at--;
            }
            want[at] = f;
        }
    }
    return count;
}

/*
 * cy_wl_shared_suppliers against shared_brute: a hand-made pair (a
 * supplier linked twice, ids whose byte order is not their index order,
 * the candidate supplied by the supplier itself); then every pair of a
 * random network (firms buy from one to three of the sixty before them,
 * so neighbours share suppliers often) in two orders, a's row by row and
 * a changing at every call, twice over (the second pass answers from the
 * cache where the pair's slot survived: 25,600 pairs for 4,096 slots),
 * listing 0, 2 and 5 of them (with NULL for none); the cache's allocations
 * failing: NULL.
 */
static void check_pair(cy_wl_shared_cache *cache, const cy_network *net, size_t a, size_t b)
{
    size_t first[CY_WL_MAX_SHARED], want[512], want_of, shared = 99, of = 99;
    size_t max = (a + b) % 3 == 0 ? 0 : (a + b) % 3 == 1 ? 2 : 5;
    size_t count = shared_brute(net, a, b, want, &want_of);
    cy_wl_shared_suppliers(cache, a, b, max ? first : NULL, max, &shared, &of);
    assert_int_equal(shared, count);
    assert_int_equal(of, want_of);
    for (size_t k = 0; k < max && k < count; k++)
        assert_int_equal(first[k], want[k]);
}

static void test_shared_suppliers(void **state)
{
    cy_network *net = load_text(
        "{\"format\":\"chengyu/1\",\"name\":\"t\",\"enterprises\":["
        "{\"id\":\"a\",\"kind\":\"supplier\"},{\"id\":\"b\",\"kind\":\"oem\"},"
        "{\"id\":\"m\",\"kind\":\"material\"},{\"id\":\"c\",\"kind\":\"material\"},"
        "{\"id\":\"z\",\"kind\":\"material\"}],\"links\":["
        "{\"from\":\"m\",\"to\":\"a\",\"part\":\"p\"},{\"from\":\"m\",\"to\":\"a\",\"part\":\"q\"},"
        "{\"from\":\"m\",\"to\":\"b\",\"part\":\"p\"},{\"from\":\"c\",\"to\":\"a\",\"part\":\"r\"},"
        "{\"from\":\"c\",\"to\":\"b\",\"part\":\"r\"},{\"from\":\"z\",\"to\":\"b\",\"part\":\"s\"},"
        "{\"from\":\"a\",\"to\":\"b\",\"part\":\"t\"}]}");
    cy_wl_shared_cache *cache;
    size_t first[CY_WL_MAX_SHARED], shared = 99, of = 99;
    (void)state;
    cache = cy_wl_shared_cache_new(net);
    assert_non_null(cache);
    cy_wl_shared_suppliers(cache, 0, 1, first, 5, &shared, &of);
    assert_int_equal(shared, 2);
    assert_int_equal(of, 4); /* m, c, z and a itself */
    assert_string_equal(net->enterprises[first[0]].id, "c");
    assert_string_equal(net->enterprises[first[1]].id, "m");
    cy_wl_shared_suppliers(cache, 1, 0, first, 5, &shared, &of);
    assert_int_equal(shared, 2);
    assert_int_equal(of, 2);
    cy_wl_shared_cache_free(cache);
    for (long n = 0; n < 3; n++) {
        cy_alloc_fail_after(n, 0);
        cache = cy_wl_shared_cache_new(net);
        cy_alloc_fail_after(-1, 0);
        assert_null(cache);
    }
    cy_network_free(net);

    net = random_dag(13, 3, 160);
    cache = cy_wl_shared_cache_new(net);
    for (int pass = 0; pass < 2; pass++) {
        for (size_t a = 0; a < net->enterprise_count; a++)
            for (size_t b = 0; b < net->enterprise_count; b++)
                check_pair(cache, net, a, b);
        for (size_t b = 0; b < net->enterprise_count; b++)
            for (size_t a = 0; a < net->enterprise_count; a++)
                check_pair(cache, net, a, b);
    }
    cy_wl_shared_cache_free(cache);
    cy_network_free(net);
}

/*
 * The shared-supplier note of independent backups, in the backups cell
 * and the register's fix: s, b1 and b2 buy x from m1 and m2 (no single
 * failure stops two of them: all independent); b2 is also in s's park and
 * buys y from m3; b3 buys x from m2 and m3.  "both", "2 of its 3" after
 * the park, "1 of its 2".
 */
static void test_shared_suppliers_text(void **state)
{
    cy_network *net = load_text(
        "{\"format\":\"chengyu/1\",\"name\":\"t\",\"parks\":[{\"id\":\"P\",\"name\":\"P\"}],"
        "\"enterprises\":[{\"id\":\"cust\",\"kind\":\"oem\",\"output_value\":10},"
        "{\"id\":\"s\",\"kind\":\"supplier\",\"park\":\"P\",\"produces\":[\"p\"]},"
        "{\"id\":\"b1\",\"kind\":\"supplier\",\"produces\":[\"p\"]},"
        "{\"id\":\"b2\",\"kind\":\"supplier\",\"park\":\"P\",\"produces\":[\"p\"]},"
        "{\"id\":\"b3\",\"kind\":\"supplier\",\"produces\":[\"p\"]},"
        "{\"id\":\"m1\",\"kind\":\"material\"},{\"id\":\"m2\",\"kind\":\"material\"},"
        "{\"id\":\"m3\",\"kind\":\"material\"}],\"links\":["
        "{\"from\":\"s\",\"to\":\"cust\",\"part\":\"p\",\"volume\":1},"
        "{\"from\":\"m1\",\"to\":\"s\",\"part\":\"x\"},{\"from\":\"m2\",\"to\":\"s\",\"part\":\"x\"},"
        "{\"from\":\"m1\",\"to\":\"b1\",\"part\":\"x\"},{\"from\":\"m2\",\"to\":\"b1\",\"part\":\"x\"},"
        "{\"from\":\"m2\",\"to\":\"b2\",\"part\":\"x\"},{\"from\":\"m1\",\"to\":\"b2\",\"part\":\"x\"},"
        "{\"from\":\"m3\",\"to\":\"b2\",\"part\":\"y\"},"
        "{\"from\":\"m3\",\"to\":\"b3\",\"part\":\"x\"},{\"from\":\"m2\",\"to\":\"b3\",\"part\":\"x\"}]}");
    cy_weaklinks *r = compute(net, 0.0);
    cy_status status;
    char *text = write_to_string(W_MD, net, r, 0, NULL, 0, &status);
    (void)state;
    assert_int_equal(status, CY_OK);
    assert_non_null(strstr(text, "| b1 (independent, but shares both of its suppliers with the "
                                 "supplier: m1, m2), b2 (independent, but in the supplier's park P; "
                                 "shares 2 of its 3 suppliers with the supplier: m1, m2), b3 "
                                 "(independent, but shares 1 of its 2 suppliers with the supplier: "
                                 "m2) | 3 |"));
    assert_non_null(strstr(text, "| second source of p for cust: b1 (independent, but shares both "
                                 "of its suppliers with the supplier: m1, m2) |"));
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Every allocation of the JSON and Markdown writers failing in turn (the
 * backups' shared suppliers among them): CY_ENOMEM or the whole report,
 * never a report without them. */
static void test_writer_allocation_failures(void **state)
{
    fixture *f = *state;
    for (int which = W_JSON; which <= W_MD; which++) {
        cy_status status;
        char *whole = write_to_string((writer)which, f->net, f->report, 0, NULL, 0, &status);
        long n;
        assert_int_equal(status, CY_OK);
        for (n = 0;; n++) {
            char *text;
            long made;
            cy_alloc_fail_after(n, 0);
            text = write_to_string((writer)which, f->net, f->report, 0, NULL, 0, &status);
            made = cy_alloc_count();
            cy_alloc_fail_after(-1, 0);
            if (status == CY_OK)
                assert_string_equal(text, whole);
            else
                assert_int_equal(status, CY_ENOMEM);
            free(text);
            if (status == CY_OK && made <= n)
                break;
        }
        assert_true(n >= 3); /* the writer, its id spellings, the cache */
        free(whole);
    }
}

/* The report of `net` with allocation n failing: 1 when it succeeds (no
 * allocation n), 0 when it fails cleanly (CY_ENOMEM, no report). */
static int report_with_failure_at(const cy_network *net, long n)
{
    cy_weaklinks_options options = {.threshold = 0.0};
    cy_weaklinks *report = NULL;
    cy_error err;
    cy_status status;
    cy_error_init(&err);
    cy_alloc_fail_after(n, 0);
    status = cy_weaklinks_compute(net, &options, &report, &err);
    cy_alloc_fail_after(-1, 0);
    cy_error_destroy(&err);
    if (status == CY_OK) {
        cy_weaklinks_free(report);
        return 1;
    }
    assert_int_equal(status, CY_ENOMEM);
    assert_null(report);
    return 0;
}

static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    long n;
    for (n = 0; !report_with_failure_at(f->net, n); n++)
        ;
    assert_true(n > 20);
}

/* The report on `threads` threads as JSON (malloc'd). */
static char *report_json_on(const cy_network *net, size_t threads)
{
    cy_weaklinks_options options = {.threshold = 0.0};
    cy_weaklinks *report = NULL;
    cy_status status;
    cy_error err;
    char *text;
    cy_error_init(&err);
    cy_threads_set(threads);
    assert_int_equal(cy_weaklinks_compute(net, &options, &report, &err), CY_OK);
    cy_threads_set(0);
    text = write_to_string(W_JSON, net, report, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    cy_weaklinks_free(report);
    cy_error_destroy(&err);
    return text;
}

/*
 * A section failing while a helper thread still runs (the structure's
 * after sections 0 and 1, the single-source ranking's after 3, the risk
 * register's after 7): a clean CY_ENOMEM with its message and no report,
 * on one thread and on two (the sanitizer run checks that nothing
 * leaks); then the same report as before.
 */
static void test_section_fails_beside_helpers(void **state)
{
    cy_network *net = random_dag(11, 4, 600); /* several parts: every section */
    char *want = report_json_on(net, 1), *got;
    cy_weaklinks_options options = {.threshold = 0.0};
    (void)state;
    for (size_t threads = 1; threads <= 2; threads++) {
        for (int k = 0; k <= 8; k++) {
            cy_weaklinks *report = (cy_weaklinks *)&options; /* must become NULL */
            cy_error err;
            cy_error_init(&err);
            cy_threads_set(threads);
            cy_i_wl_fail_after_section(k);
            assert_int_equal(cy_weaklinks_compute(net, &options, &report, &err), CY_ENOMEM);
            cy_i_wl_fail_after_section(-1);
            cy_threads_set(0);
            assert_null(report);
            assert_int_equal(err.count, 1);
            assert_string_equal(err.items[0].message, "out of memory in the weak-link report");
            cy_error_destroy(&err);
        }
        got = report_json_on(net, threads);
        assert_string_equal(got, want);
        free(got);
    }
    free(want);
    cy_network_free(net);
}

/*
 * With two threads the articulation points and bridges are found on a
 * helper thread beside the first sections; with one, or while allocation
 * failures are injected, in place.  The report is the same either way,
 * and under injection on two threads every failure is still a clean
 * CY_ENOMEM at a fixed allocation (the helper does not run then).
 */
static void test_structure_helper_thread(void **state)
{
    cy_network *net = random_dag(11, 4, 600); /* several parts: every section */
    char *one = report_json_on(net, 1), *two = report_json_on(net, 2);
    long n, first_ok = -1;
    (void)state;
    assert_string_equal(one, two);
    free(two);
    two = report_json_on(net, 7);
    assert_string_equal(one, two);
    free(one);
    free(two);
    cy_threads_set(2);
    for (int pass = 0; pass < 2; pass++) {
        /* A sample of the allocations (n grows by an eighth each time):
         * the report makes many. */
        for (n = 0; !report_with_failure_at(net, n); n += 1 + n / 8)
            ;
        if (pass == 0)
            first_ok = n;
        else
            assert_int_equal(n, first_ok); /* the same allocations both times */
    }
    cy_threads_set(0);
    cy_network_free(net);
}

/*
 * The report's rankings on several threads (cy_i_sort) give the bytes of
 * qsort on one: the threshold from which cy_i_sort uses threads is
 * lowered to 2, so that this network's recommendations and single-source
 * pairs (hundreds, not the 65,536 of the default) are sorted in parts and
 * merged; the risk register then also runs beside section 7.
 */
static void test_threaded_sorts(void **state)
{
    cy_network *net = random_dag(11, 4, 600);
    char *one = report_json_on(net, 1), *other;
    static const size_t threads[] = {2, 3, 7};
    (void)state;
    cy_i_sort_set_parallel_min(2);
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        other = report_json_on(net, threads[t]);
        assert_string_equal(one, other);
        free(other);
    }
    cy_i_sort_set_parallel_min(0);
    assert_int_equal(cy_i_sort_parallel_min(), 65536);
    free(one);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_source),
        cmocka_unit_test(test_chokepoints),
        cmocka_unit_test(test_structure),
        cmocka_unit_test(test_impacts),
        cmocka_unit_test(test_concentration),
        cmocka_unit_test(test_local_supply),
        cmocka_unit_test(test_cross_region),
        cmocka_unit_test(test_recommendations),
        cmocka_unit_test(test_weak_links),
        cmocka_unit_test(test_register),
        cmocka_unit_test(test_fix_names_critical_part),
        cmocka_unit_test(test_bridge_impacts),
        cmocka_unit_test(test_example_t0),
        cmocka_unit_test(test_example_t05),
        cmocka_unit_test(test_example_backup),
        cmocka_unit_test(test_rank_without_values),
        cmocka_unit_test(test_backup_never_raises_loss),
        cmocka_unit_test(test_backups_shown),
        cmocka_unit_test(test_circle_zone),
        cmocka_unit_test(test_inside_field),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_severity_near_the_largest_double),
        cmocka_unit_test(test_bad_threshold),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_spelling),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_md),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_xlsx_allocation_failures),
        cmocka_unit_test(test_writer_allocation_failures),
        cmocka_unit_test(test_section_fails_beside_helpers),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_shared_suppliers),
        cmocka_unit_test(test_shared_suppliers_text),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_progress_passes_single_failures),
        cmocka_unit_test(test_structure_helper_thread),
        cmocka_unit_test(test_threaded_sorts),
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
