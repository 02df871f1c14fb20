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
#include "chengyu_test.h"

#include <jansson.h>

/* Total output value of graphs/weaklinks.json:
 * 1000 + 500 + 100 + 80 + 60 + 20 + 30 + 10 + 40 + 5 + 0 + 0 + 0. */
#define TOTAL 1845.0

/* cmocka 1.1's assert_float_equal compares floats; this compares doubles. */
#define assert_close(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

typedef struct {
    cy_network *net;
    cy_weaklinks *report;
} fixture;

static cy_network *load_file(const char *name)
{
    char path[1024];
    cy_network *net = NULL;
    cy_error err;
    snprintf(path, sizeof path, "%s/graphs/%s", CY_SOURCE_DIR, name);
    cy_error_init(&err);
    if (cy_network_load(path, NULL, &net, &err) != CY_OK)
        fail_msg("cannot load %s", path);
    cy_error_destroy(&err);
    return net;
}

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

static cy_weaklinks *compute(const cy_network *net, double threshold)
{
    cy_weaklinks_options options = {threshold};
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
    f->net = load_file("weaklinks.json");
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
 * cell1 fails bat1 and bat2, so oem1 (no battery left) and oem2: 1710;
 * wafer1 -> chip1 -> oem1: 1070; chip1 -> oem1: 1060; bat1 -> oem2 (oem1
 * keeps bat2): 600; seat1 -> oem2: 520.  The 1710 tie goes to the larger
 * volume (bat1 buys 90 of cell, bat2 20).  oem1's battery has two
 * suppliers, so it is not listed. */
static void test_single_source(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *enterprise, *part, *supplier;
        double volume, at_risk;
    } want[] = {{"bat1", "cell", "cell1", 90, 1710},  {"bat2", "cell", "cell1", 20, 1710},
                {"chip1", "wafer", "wafer1", 40, 1070}, {"oem1", "chip", "chip1", 200, 1060},
                {"oem2", "battery", "bat1", 150, 600},  {"oem2", "seat", "seat1", 50, 520}};
    assert_int_equal(f->report->single_source_count, 6);
    assert_int_equal(f->report->unsupplied_count, 0);
    for (size_t i = 0; i < 6; i++) {
        const cy_wl_single_source *s = &f->report->single_source[i];
        assert_string_equal(eid(f->net, s->enterprise), want[i].enterprise);
        assert_string_equal(cy_part_name(f->net, s->part), want[i].part);
        assert_string_equal(eid(f->net, s->supplier), want[i].supplier);
        assert_true(s->volume == want[i].volume);
        assert_true(s->output_at_risk == want[i].at_risk);
    }
}

/* oem1 stops when chip1, wafer1 (through chip1) or cell1 (both battery
 * makers) fails, not when bat1 or bat2 alone fails; oem2 stops with bat1,
 * cell1 (through bat1) or seat1. */
static void test_chokepoints(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    assert_int_equal(r->chokepoint_count, 2);
    assert_string_equal(eid(f->net, r->chokepoints[0].oem), "oem1");
    assert_int_equal(r->chokepoints[0].count, 3);
    assert_string_equal(eid(f->net, r->chokepoints[0].enterprises[0]), "cell1");
    assert_string_equal(eid(f->net, r->chokepoints[0].enterprises[1]), "chip1");
    assert_string_equal(eid(f->net, r->chokepoints[0].enterprises[2]), "wafer1");
    assert_string_equal(eid(f->net, r->chokepoints[1].oem), "oem2");
    assert_int_equal(r->chokepoints[1].count, 3);
    assert_string_equal(eid(f->net, r->chokepoints[1].enterprises[0]), "bat1");
    assert_string_equal(eid(f->net, r->chokepoints[1].enterprises[1]), "cell1");
    assert_string_equal(eid(f->net, r->chokepoints[1].enterprises[2]), "seat1");
    assert_int_equal(r->chokepoint_pair_count, 6);
    assert_int_equal(r->chokepoint_firm_count, 5);
    assert_int_equal(r->oems_with_chokepoints, 2);
}

/* The undirected firm graph has one cycle oem1-bat1-cell1-bat2-oem1; the
 * other four edges hang off it, so they are the bridges and their inner
 * ends the articulation points. */
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
}

/* Impacts ranked by output lost, ties by id (seat3/4/5 all lose 0).  Park
 * tf (oem2, bat1, cell1, seat2) takes bat2 (no cell) and then oem1 (no
 * battery): 6 firms, 1715.  lj (oem1, bat2, seat3): 1080.  wsc (seat1,
 * chip2, seat5) stops oem2: 4 firms, 560.  Region chengdu = park tf;
 * chongqing (oem1, bat2, seat1, chip2, seat3, seat5) stops oem2: 7, 1640;
 * guangdong (chip1, wafer1, seat4) stops oem1: 4, 1070. */
static void test_impacts(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        const char *id;
        size_t failed;
        double lost;
    } single[] = {{"cell1", 5, 1710}, {"wafer1", 3, 1070}, {"chip1", 2, 1060},
                  {"oem1", 1, 1000},  {"bat1", 2, 600},    {"seat1", 2, 520},
                  {"oem2", 1, 500},   {"bat2", 1, 80},     {"chip2", 1, 40},
                  {"seat2", 1, 5},    {"seat3", 1, 0},     {"seat4", 1, 0},
                  {"seat5", 1, 0}},
      parks[] = {{"tf", 6, 1715}, {"lj", 3, 1080}, {"wsc", 4, 560}},
      regions[] = {{"chengdu", 6, 1715}, {"chongqing", 7, 1640}, {"guangdong", 4, 1070}};

    assert_int_equal(r->cascade_impact_count, 13);
    for (size_t i = 0; i < 13; i++) {
        assert_string_equal(eid(f->net, r->cascade_impact[i].index), single[i].id);
        assert_int_equal(r->cascade_impact[i].failed_count, single[i].failed);
        assert_true(r->cascade_impact[i].output_value_lost == single[i].lost);
    }
    assert_int_equal(r->park_impact_count, 3);
    assert_int_equal(r->region_impact_count, 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(gid(f->net, CY_GROUP_PARK, r->park_impact[i].index), parks[i].id);
        assert_int_equal(r->park_impact[i].failed_count, parks[i].failed);
        assert_true(r->park_impact[i].output_value_lost == parks[i].lost);
        assert_string_equal(gid(f->net, CY_GROUP_REGION, r->region_impact[i].index), regions[i].id);
        assert_int_equal(r->region_impact[i].failed_count, regions[i].failed);
        assert_true(r->region_impact[i].output_value_lost == regions[i].lost);
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

/* Recommendations, by severity: cell and wafer have one producer, so none
 * in the network; chip2 (listed in `produces`, no links) backs chip1; bat2
 * backs bat1.  seat1 (wsc, chongqing): seat2 (tf, chengdu) and seat4 (no
 * park, guangdong) are in another park and another region, by id; seat3
 * (lj, chongqing) only another park; seat5 (wsc, chongqing) neither.
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
        {CY_WEAK_CHOKEPOINT, "bat1", "battery", 1, {"bat2"}},
        {CY_WEAK_SINGLE_SOURCE, "oem2", "seat", 4, {"seat2", "seat4", "seat3", "seat5"}},
        {CY_WEAK_CHOKEPOINT, "seat1", "seat", 4, {"seat2", "seat4", "seat3", "seat5"}},
    };
    const cy_wl_recommendation *cell1 = &r->recommendations[2];
    assert_int_equal(r->recommendation_count, 11);
    for (size_t i = 0; i < 11; i++) {
        const cy_wl_recommendation *rec = &r->recommendations[i];
        assert_int_equal(rec->type, want[i].type);
        assert_string_equal(eid(f->net, rec->enterprise), want[i].enterprise);
        assert_string_equal(cy_part_name(f->net, rec->part), want[i].part);
        assert_int_equal(rec->backup_count, want[i].count);
        assert_int_equal(rec->backup_shown, want[i].count);
        for (size_t k = 0; k < want[i].count; k++)
            assert_string_equal(eid(f->net, rec->backups[k]), want[i].backups[k]);
    }
    assert_int_equal(cell1->customer_count, 2);
    assert_string_equal(eid(f->net, cell1->customers[0]), "bat1");
    assert_string_equal(eid(f->net, cell1->customers[1]), "bat2");
    assert_int_equal(cell1->oem_count, 2);
    assert_string_equal(eid(f->net, cell1->oems[0]), "oem1");
    assert_string_equal(eid(f->net, cell1->oems[1]), "oem2");
    assert_int_equal(r->recommendations[8].customer_count, 1);
    assert_string_equal(eid(f->net, r->recommendations[8].customers[0]), "oem2");
    assert_close(r->recommendations[0].severity, 100.0 * 1710 / TOTAL, 1e-12);
    assert_int_equal(r->no_backup_count, 5);
}

/* The severity ranking: 20 weak links (6 single-source pairs, 6 (OEM,
 * chokepoint) pairs, 4 articulation points, 4 bridges); ties broken by
 * type, then ids.  A bridge's severity is its supplying end's cascade. */
static void test_weak_links(void **state)
{
    fixture *f = *state;
    const cy_weaklinks *r = f->report;
    static const struct {
        cy_weak_type type;
        const char *enterprise;
        double lost;
    } want[] = {
        {CY_WEAK_SINGLE_SOURCE, "bat1", 1710}, {CY_WEAK_SINGLE_SOURCE, "bat2", 1710},
        {CY_WEAK_CHOKEPOINT, "cell1", 1710},   {CY_WEAK_CHOKEPOINT, "cell1", 1710},
        {CY_WEAK_SINGLE_SOURCE, "chip1", 1070}, {CY_WEAK_CHOKEPOINT, "wafer1", 1070},
        {CY_WEAK_BRIDGE, "chip1", 1070},       {CY_WEAK_SINGLE_SOURCE, "oem1", 1060},
        {CY_WEAK_CHOKEPOINT, "chip1", 1060},   {CY_WEAK_ARTICULATION_POINT, "chip1", 1060},
        {CY_WEAK_BRIDGE, "oem1", 1060},        {CY_WEAK_ARTICULATION_POINT, "oem1", 1000},
        {CY_WEAK_SINGLE_SOURCE, "oem2", 600},  {CY_WEAK_CHOKEPOINT, "bat1", 600},
        {CY_WEAK_ARTICULATION_POINT, "bat1", 600}, {CY_WEAK_BRIDGE, "oem2", 600},
        {CY_WEAK_SINGLE_SOURCE, "oem2", 520},  {CY_WEAK_CHOKEPOINT, "seat1", 520},
        {CY_WEAK_BRIDGE, "oem2", 520},         {CY_WEAK_ARTICULATION_POINT, "oem2", 500},
    };
    assert_int_equal(r->weak_link_count, 20);
    for (size_t i = 0; i < 20; i++) {
        const cy_wl_weak_link *w = &r->weak_links[i];
        assert_int_equal(w->type, want[i].type);
        assert_string_equal(eid(f->net, w->enterprise), want[i].enterprise);
        assert_true(w->output_at_risk == want[i].lost);
        assert_close(w->severity, 100.0 * want[i].lost / TOTAL, 1e-12);
    }
    /* the two cell1 chokepoint rows: oem1 before oem2 */
    assert_string_equal(eid(f->net, r->weak_links[2].oem), "oem1");
    assert_string_equal(eid(f->net, r->weak_links[3].oem), "oem2");
    /* bridge wafer1 -> chip1 carries 40; bridge bat1 -> oem2 150 */
    assert_string_equal(eid(f->net, r->weak_links[6].supplier), "wafer1");
    assert_true(r->weak_links[6].volume == 40);
    assert_true(r->weak_links[15].volume == 150);
    /* each single-source pair and chokepoint points at its recommendation */
    assert_int_equal(r->weak_links[0].recommendation, 0);
    assert_int_equal(r->weak_links[0].recommendation_count, 1);
    assert_int_equal(r->weak_links[2].recommendation, 2);
    assert_int_equal(r->weak_links[2].recommendation_count, 1);
    assert_int_equal(r->weak_links[9].recommendation_count, 0);
    assert_int_equal(r->weak_links[17].recommendation, 10);
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

/* Thresholds and shares: oem needs part p from s1 (share 0.7) and s2
 * (0.3).  With T = 0 neither failure stops it: no chokepoint, no single
 * source.  With T = 0.5, losing s1 leaves 0.3 < 0.5: s1 becomes oem's
 * chokepoint, and its critical link (s1 -> oem, p) gets a recommendation
 * whose only backup is s2 (the other producer) -- s3 produces q only.
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
    assert_int_equal(r5->recommendations[0].backup_count, 1);
    assert_string_equal(cy_enterprise_id(net, r5->recommendations[0].backups[0]), "s2");
    /* s1's cascade: s1 + oem = 13 of 15 */
    assert_close(r5->recommendations[0].severity, 100.0 * 13 / 15, 1e-12);
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
    assert_true(r->weak_links[0].severity == 0.0);
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
    cy_weaklinks_options options = {1.5};
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
        "single_source", "chokepoints", "articulation_points", "bridges",
        "cascade_impact", "park_impact", "region_impact", "concentration",
        "local_supply", "cross_region", "recommendations", "summary"};
    cy_status status;
    char *text = write_to_string(W_JSON, f->net, f->report, 0, NULL, 0, &status);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr), *v;
    const char *key;
    size_t k = 0;
    assert_int_equal(status, CY_OK);
    assert_non_null(doc);
    /* key order as written: scan the text */
    for (size_t i = 0; i < 12; i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\n  \"%s\":", keys[i]);
        assert_non_null(strstr(text, quoted));
        if (i)
            assert_true(strstr(text, quoted) > strstr(text, keys[i - 1]));
    }
    json_object_foreach(doc, key, v) k++;
    assert_int_equal(k, 12);
    v = json_array_get(json_object_get(doc, "single_source"), 0);
    assert_string_equal(json_string_value(json_object_get(v, "enterprise")), "bat1");
    assert_true(json_real_value(json_object_get(v, "output_at_risk")) == 1710);
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
    assert_int_equal(json_array_size(json_object_get(v, "weak_links")), 20);
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
    assert_int_equal(json_array_size(json_object_get(doc, "chokepoints")), 2);
    v = json_object_get(doc, "summary");
    assert_int_equal(json_integer_value(json_object_get(v, "single_source_pairs")), 6);
    assert_int_equal(json_array_size(json_object_get(v, "weak_links")), 2);
    json_decref(doc);
    free(text);
}

/*
 * How the JSON writer spells values.  Reals: integral ones as "90.0",
 * others the shortest of 15, 16, 17 significant digits that reads back as
 * the same double: severity 100 * 1710 / 1845 = 92.682926829268292...
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
    assert_non_null(strstr(text, "\"volume\": 90.0, \"output_at_risk\": 1710.0}"));
    assert_non_null(strstr(text, "\"severity\": 92.6829268292683, "));
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

/* CSV: a header, one row per weak link, RFC 4180 quoting, LF line ends,
 * reals in the one spelling of every format. */
static void test_csv(void **state)
{
    fixture *f = *state;
    cy_status status;
    char *text = write_to_string(W_CSV, f->net, f->report, 0, NULL, 0, &status);
    cy_network *net;
    cy_weaklinks *r;
    assert_int_equal(status, CY_OK);
    assert_int_equal(count_of(text, "\n"), 21);
    assert_null(strchr(text, '\r'));
    assert_true(strncmp(text, "type,rank,severity,output_at_risk,failed_count,enterprise,", 58) == 0);
    assert_non_null(strstr(text, "\nsingle_source,1,92.6829268292683,1710.0,5,bat1,bat1,cell1,cell1,cell,,90.0,none in the network\n"));
    assert_non_null(strstr(text, ",seat2;seat4;seat3;seat5\n"));
    assert_non_null(strstr(text, "\nchokepoint,18,"));
    free(text);
    text = write_to_string(W_CSV, f->net, f->report, 3, NULL, 0, &status);
    assert_int_equal(count_of(text, "\n"), 4);
    free(text);

    net = load_text(hostile);
    r = compute(net, 0.0);
    text = write_to_string(W_CSV, net, r, 0, NULL, 0, &status);
    /* the customer's name has a comma and quotes; the part too */
    assert_non_null(strstr(text, ",o|1,\"OEM, \"\"one\"\"\",s<script>,\"line\nbreak\",\"p,\"\"q\"\"\","));
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
    assert_non_null(strstr(text, "## Recommendations (`recommendations`)"));
    assert_non_null(strstr(text, "| oem2 | seat | seat1 | \xC2\xA5" "50 | \xC2\xA5" "520 |"));
    assert_non_null(strstr(text, "| 17 | single_source | 28.18428184281843 | \xC2\xA5" "520 | 2 |"));
    assert_non_null(strstr(text, "| seat2, seat4, seat3, seat5 | 4 |"));
    assert_non_null(strstr(text, "| battery | 2 | 0.7024793388429753 | \xC2\xA5" "550 | bat1 81.8% | tf 81.8% | chengdu 81.8% |"));
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

/* HTML: one page, every string escaped, figures inlined with their ids
 * prefixed, a figure without <svg> refused. */
static void test_html(void **state)
{
    fixture *f = *state;
    static const char svg[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"
        "<defs><g id=\"glyph0\"/></defs><use xlink:href=\"#glyph0\"/>"
        "<rect style=\"clip-path:url(#clip1)\"/></svg>\n";
    cy_report_figure figures[2] = {{"Diagram", "weak links in red", svg, sizeof svg - 1},
                                   {"Plot", NULL, svg, sizeof svg - 1}};
    cy_report_figure bad = {"Bad", NULL, "<html>no</html>", 15};
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
    assert_int_equal(count_of(text, "<table class=\"sortable\""), 14);
    assert_non_null(strstr(text, "data-section=\"recommendations\""));
    assert_null(strstr(text, "src=\"http"));
    assert_null(strstr(text, "href=\"http"));
    assert_null(strstr(text, "<link"));
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
    assert_int_equal(count_of(text, "<script>"), 1); /* the sorter only */
    free(text);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/*
 * Output values near the largest double: a and b hold 8e307 each (the
 * total, 1.6e308 + 1e300, is finite and accepted).  100 x 1.6e308 is
 * infinite, so a severity computed as 100 x lost / total came out inf
 * (JSON null, an empty CSV cell) and the ranking lost its order; as
 * 100 x (lost / total) it is the share it should be.
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
    double total = 1.6e308 + 1e300;
    cy_status status;
    char *json;
    (void)state;

    assert_close(r->output_value_total, total, 1e293);
    assert_string_equal(eid(net, r->weak_links[0].supplier), "a");
    assert_close(r->weak_links[0].severity, 100.0 * (1.6e308 / total), 1e-12);
    for (size_t k = 0; k < r->weak_link_count; k++) {
        assert_true(isfinite(r->weak_links[k].severity));
        assert_true(k == 0 || r->weak_links[k].severity <= r->weak_links[k - 1].severity);
    }
    /* a's three weak links (single source, chokepoint, bridge), then c's
     * three, then b as an articulation point. */
    assert_int_equal(r->weak_link_count, 7);
    assert_string_equal(eid(net, r->weak_links[2].supplier), "a");
    assert_string_equal(eid(net, r->weak_links[3].supplier), "c");
    assert_close(r->weak_links[3].severity, 100.0 * ((8e307 + 1e300) / total), 1e-12);
    assert_close(r->weak_links[6].severity, 100.0 * (8e307 / total), 1e-12);
    json = write_to_string(W_JSON, net, r, 0, NULL, 0, &status);
    assert_int_equal(status, CY_OK);
    assert_null(strstr(json, "\"severity\": null"));
    free(json);
    cy_weaklinks_free(r);
    cy_network_free(net);
}

/* Every allocation of the report (and of its writers) may fail: each
 * failure must give CY_ENOMEM and leak nothing (ASan checks the leaks). */
static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    cy_weaklinks_options options = {0.0};
    long n;
    for (n = 0;; n++) {
        cy_weaklinks *report = NULL;
        cy_error err;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_weaklinks_compute(f->net, &options, &report, &err);
        cy_alloc_fail_after(-1, 0);
        cy_error_destroy(&err);
        if (status == CY_OK) {
            cy_weaklinks_free(report);
            break;
        }
        assert_int_equal(status, CY_ENOMEM);
        assert_null(report);
    }
    assert_true(n > 20);
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
        cmocka_unit_test(test_circle_zone),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_missing_data),
        cmocka_unit_test(test_severity_near_the_largest_double),
        cmocka_unit_test(test_bad_threshold),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_json_spelling),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_md),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_allocation_failures),
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
