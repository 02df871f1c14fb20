/*
 * test_info.c - cy_info_compute on small networks whose every figure is
 * worked out by hand in the comments (the fixtures are in
 * tests/fixtures/good/; the loader tests check the models themselves).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "chengyu.h"
#include "chengyu_test.h"

#define GOOD "tests/fixtures/good/"

/* |a - b| <= 1e-15: the densities below are one division off exact. */
#define assert_close(a, b) assert_true(fabs((a) - (b)) <= 1e-15)

static cy_network *load_good(const char *path)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_network_load(path, NULL, &net, &err), CY_OK);
    assert_int_equal(err.error_count, 0);
    cy_error_destroy(&err);
    return net;
}

static int setup_supply(void **state)
{
    *state = load_good(GOOD "supply.json");
    return 0;
}

static int teardown_network(void **state)
{
    cy_network_free(*state);
    return 0;
}

/*
 * supply.json: 8 firms, in file order changan (oem, tier 0, chongqing,
 * park liangjiang, cluster cq-auto), catl (supplier, 1, sichuan), chipco
 * (supplier, 1, sichuan, park tianfu, clusters cd-elec and cq-auto), seatco
 * (supplier, 1, no region), lithium (material, 2, sichuan), logistics
 * (service, no tier, no region), seres (oem, 0, chongqing, liangjiang,
 * cq-auto), fudi (supplier, 1, chongqing).  9 links, 7 part names.
 */
static void test_supply_counts(void **state)
{
    const cy_network *net = *state;
    cy_info info;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    assert_int_equal(err.count, 0);

    assert_int_equal(info.enterprise_count, 8);
    assert_int_equal(info.link_count, 9);
    /* catl -> changan carries two links (cell, battery): 9 - 1 = 8. */
    assert_int_equal(info.firm_edge_count, 8);
    /* vehicle seat battery chip cell logistics lithium */
    assert_int_equal(info.part_count, 7);

    /* oem: changan seres; supplier: catl chipco seatco fudi. */
    assert_int_equal(info.kind_count[CY_KIND_OEM], 2);
    assert_int_equal(info.kind_count[CY_KIND_SUPPLIER], 4);
    assert_int_equal(info.kind_count[CY_KIND_MATERIAL], 1);
    assert_int_equal(info.kind_count[CY_KIND_SERVICE], 1);

    /* tier 0: changan seres; 1: catl chipco seatco fudi; 2: lithium;
     * none: logistics. */
    assert_int_equal(info.tier_max, 2);
    assert_int_equal(info.tier_count[0], 2);
    assert_int_equal(info.tier_count[1], 4);
    assert_int_equal(info.tier_count[2], 1);
    assert_int_equal(info.untiered_count, 1);

    /* Regions chongqing (0): changan seres fudi; sichuan (1): catl chipco
     * lithium; none: seatco logistics. */
    assert_int_equal(info.group_count[CY_GROUP_REGION], 2);
    assert_int_equal(info.group_members[CY_GROUP_REGION][0], 3);
    assert_int_equal(info.group_members[CY_GROUP_REGION][1], 3);
    assert_int_equal(info.ungrouped_count[CY_GROUP_REGION], 2);
    /* Clusters cq-auto (0): changan chipco seres; cd-elec (1): chipco (a
     * firm in two clusters counts in both); in none: the other 5. */
    assert_int_equal(info.group_count[CY_GROUP_CLUSTER], 2);
    assert_int_equal(info.group_members[CY_GROUP_CLUSTER][0], 3);
    assert_int_equal(info.group_members[CY_GROUP_CLUSTER][1], 1);
    assert_int_equal(info.ungrouped_count[CY_GROUP_CLUSTER], 5);
    /* Parks liangjiang (0): changan seres; tianfu (1): chipco; none: 5. */
    assert_int_equal(info.group_count[CY_GROUP_PARK], 2);
    assert_int_equal(info.group_members[CY_GROUP_PARK][0], 2);
    assert_int_equal(info.group_members[CY_GROUP_PARK][1], 1);
    assert_int_equal(info.ungrouped_count[CY_GROUP_PARK], 5);

    /* 1,200 + 50 + 15 + 4 + 2 + 0.1 + 300 + 15 hundred million yuan:
     * 158,610,000,000, exact in doubles (integers below 2^53). */
    assert_true(info.total_output_value == 158610000000.0);
    cy_info_destroy(&info);
    cy_error_destroy(&err);
}

/*
 * The firm graph of supply.json (undirected view): changan-catl,
 * changan-chipco, changan-seatco, changan-logistics, changan-fudi,
 * catl-seres, chipco-seres, lithium-catl.  Everything hangs off changan
 * or catl: one weak component of all 8 firms.
 * Density: 8 firm edges / (8 * 7) ordered pairs = 1/7.
 * Total degree (in + out) in the firm graph: changan 5 (in from catl,
 * chipco, seatco, logistics, fudi), catl 3 (out to changan, seres; in from
 * lithium), chipco 2, seres 2, seatco 1, lithium 1, logistics 1, fudi 1.
 * Sorted 1 1 1 1 2 2 3 5: min 1, max 5, median (1 + 2) / 2 = 1.5.
 */
static void test_supply_structure(void **state)
{
    const cy_network *net = *state;
    cy_info info;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    assert_int_equal(info.component_count, 1);
    assert_int_equal(info.largest_component, 8);
    assert_close(info.density, 1.0 / 7.0);
    assert_int_equal(info.degree_min, 1);
    assert_int_equal(info.degree_max, 5);
    assert_true(info.degree_median == 1.5);
    /*
     * Single sourcing, per (enterprise, required part):
     *   changan (explicit requires): seat <- seatco (1), battery <- fudi,
     *     catl (2), chip <- chipco (1), cell <- catl (1), logistics <-
     *     logistics (1): 4 single-sourced;
     *   catl (derived): lithium <- lithium (1): 1;
     *   seres (derived): battery <- catl (1), chip <- chipco (1): 2;
     *   the others require nothing.
     * 4 + 1 + 2 = 7 single-sourced pairs, 0 unsupplied.
     */
    assert_int_equal(info.single_sourced_pairs, 7);
    assert_int_equal(info.unsupplied_requirements, 0);
    cy_info_destroy(&info);
    cy_error_destroy(&err);
}

/*
 * warnings.json: a (oem, requires x and y), b and lonely (suppliers);
 * link b -> a for x.  One firm edge (b, a); lonely is alone:
 * components {a, b} and {lonely}, the largest of 2.  Density 1 / (3 * 2).
 * Degrees a 1, b 1, lonely 0: min 0, median 1 (the middle of 0 1 1),
 * max 1.  a's requirement x has one supplier (b), y none; b and lonely
 * derive empty requires.  Parts x, y (a's requires): 2.
 * No tiers and no groups: tier_max 0 with tier_count[0] = 0, every firm
 * untiered and ungrouped.
 */
static void test_warnings_network(void **state)
{
    cy_network *net = load_good(GOOD "warnings.json");
    cy_info info;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    assert_int_equal(info.enterprise_count, 3);
    assert_int_equal(info.link_count, 1);
    assert_int_equal(info.firm_edge_count, 1);
    assert_int_equal(info.part_count, 2);
    assert_int_equal(info.kind_count[CY_KIND_OEM], 1);
    assert_int_equal(info.kind_count[CY_KIND_SUPPLIER], 2);
    assert_int_equal(info.tier_max, 0);
    assert_int_equal(info.tier_count[0], 0);
    assert_int_equal(info.untiered_count, 3);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        assert_int_equal(info.group_count[k], 0);
        assert_int_equal(info.ungrouped_count[k], 3);
    }
    assert_int_equal(info.component_count, 2);
    assert_int_equal(info.largest_component, 2);
    assert_close(info.density, 1.0 / 6.0);
    assert_int_equal(info.degree_min, 0);
    assert_true(info.degree_median == 1.0);
    assert_int_equal(info.degree_max, 1);
    assert_int_equal(info.single_sourced_pairs, 1);
    assert_int_equal(info.unsupplied_requirements, 1);
    assert_true(info.total_output_value == 0.0);
    cy_info_destroy(&info);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/*
 * implicit_regions.json: a (oem), b and c (suppliers); b -> a for x,
 * c -> a for y.  Three implicit regions, one firm each (chongqing: a,
 * chengdu: b, mianyang: c); cluster cq-auto and park tianfu hold a.
 * One component of 3; density 2 / 6 = 1/3; degrees a 2, b 1, c 1 (median
 * 1); a derives requires x and y, each from one supplier: 2 single-sourced.
 */
static void test_implicit_regions_network(void **state)
{
    cy_network *net = load_good(GOOD "implicit_regions.json");
    cy_info info;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    assert_int_equal(info.group_count[CY_GROUP_REGION], 3);
    for (size_t g = 0; g < 3; g++)
        assert_int_equal(info.group_members[CY_GROUP_REGION][g], 1);
    assert_int_equal(info.ungrouped_count[CY_GROUP_REGION], 0);
    assert_int_equal(info.group_members[CY_GROUP_CLUSTER][0], 1);
    assert_int_equal(info.ungrouped_count[CY_GROUP_CLUSTER], 2);
    assert_int_equal(info.group_members[CY_GROUP_PARK][0], 1);
    assert_int_equal(info.ungrouped_count[CY_GROUP_PARK], 2);
    assert_int_equal(info.component_count, 1);
    assert_int_equal(info.largest_component, 3);
    assert_close(info.density, 1.0 / 3.0);
    assert_int_equal(info.degree_min, 1);
    assert_true(info.degree_median == 1.0);
    assert_int_equal(info.degree_max, 2);
    assert_int_equal(info.single_sourced_pairs, 2);
    assert_int_equal(info.unsupplied_requirements, 0);
    cy_info_destroy(&info);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* The empty network: every count 0, no components, density 0. */
static void test_empty_network(void **state)
{
    cy_network *net = load_good(GOOD "empty.json");
    cy_info info;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    assert_int_equal(info.enterprise_count, 0);
    assert_int_equal(info.link_count, 0);
    assert_int_equal(info.firm_edge_count, 0);
    assert_int_equal(info.part_count, 0);
    assert_int_equal(info.tier_max, 0);
    assert_int_equal(info.tier_count[0], 0);
    assert_int_equal(info.untiered_count, 0);
    assert_int_equal(info.component_count, 0);
    assert_int_equal(info.largest_component, 0);
    assert_true(info.density == 0.0);
    assert_int_equal(info.degree_min, 0);
    assert_int_equal(info.degree_max, 0);
    assert_true(info.degree_median == 0.0);
    assert_int_equal(info.single_sourced_pairs, 0);
    assert_int_equal(info.unsupplied_requirements, 0);
    cy_info_destroy(&info);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* Each allocation of cy_info_compute failing in turn gives CY_ENOMEM and
 * leaves nothing to free (cy_info_destroy on the result is still safe). */
static void test_allocation_failures(void **state)
{
    const cy_network *net = *state;
    cy_info info;
    cy_error err;
    long total;

    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(cy_info_compute(net, &info, &err), CY_OK);
    total = cy_alloc_count();
    cy_info_destroy(&info);
    assert_true(total > 0);
    for (long k = 0; k < total; k++) {
        cy_error_clear(&err);
        cy_alloc_fail_after(k, 0);
        assert_int_equal(cy_info_compute(net, &info, &err), CY_ENOMEM);
        cy_alloc_fail_after(-1, 0);
        assert_null(info.tier_count);
        cy_info_destroy(&info);
    }
    cy_error_destroy(&err);
}

static int group_setup(void **state)
{
    (void)state;
    return chdir(CY_SOURCE_DIR) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_supply_counts, setup_supply,
                                        teardown_network),
        cmocka_unit_test_setup_teardown(test_supply_structure, setup_supply,
                                        teardown_network),
        cmocka_unit_test(test_warnings_network),
        cmocka_unit_test(test_implicit_regions_network),
        cmocka_unit_test(test_empty_network),
        cmocka_unit_test_setup_teardown(test_allocation_failures, setup_supply,
                                        teardown_network),
    };
    return cmocka_run_group_tests_name("info", tests, group_setup, NULL);
}
