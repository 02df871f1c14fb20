/*
 * test_resilience.c - attack curves.
 *
 * - the hand-made union-find / Newman-Ziff curve against brute force
 *   (igraph_connected_components on every induced subgraph);
 * - hand-checked curves on graphs/resilience-*.json (graphs/README.md);
 * - the incremental output metric against a cascade from scratch per step;
 * - the exact adaptive attacks against naive recomputation;
 * - percolation theory on Erdos-Renyi graphs and the Albert-Jeong-Barabasi
 *   fragility of scale-free graphs to targeted attack.
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
#include "betweenness_internal.h"
#include "helpers.h"

/* Run a curve that must succeed. */
static void run_params(const cy_network *net, const cy_resilience_params *params,
                       cy_resilience_curve *curve)
{
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_resilience_run(net, params, curve, &err), CY_OK);
    cy_error_destroy(&err);
}

static void run_curve(const cy_network *net, cy_attack attack, size_t steps,
                      double threshold, cy_resilience_curve *curve)
{
    cy_resilience_params params;
    cy_resilience_params_init(&params);
    params.attack = attack;
    params.steps = steps;
    params.threshold = threshold;
    run_params(net, &params, curve);
}

/* Assert the order (ids) and the lcc after 0..N removals. */
static void assert_curve(const cy_network *net, const cy_resilience_curve *c,
                         const char *const *order, const double *lcc, double r)
{
    size_t n = cy_network_enterprise_count(net);
    assert_int_equal(c->point_count, n + 1);
    for (size_t k = 0; k < n; k++)
        assert_string_equal(cy_enterprise_id(net, c->order[k]), order[k]);
    for (size_t k = 0; k <= n; k++) {
        assert_int_equal(c->points[k].removed, k);
        assert_close(c->points[k].lcc, lcc[k], 1e-12);
        assert_close(c->points[k].lcc_fraction, lcc[k] / (double)n, 1e-12);
    }
    assert_close(c->r_index, r, 1e-12);
}

/* ---- union-find against brute force ------------------------------------- */

/* Largest component of the subgraph induced by the vertices not in
 * order[0..k), by igraph from scratch. */
static size_t brute_lcc(const igraph_t *g, const size_t *order, size_t k)
{
    size_t n = (size_t)igraph_vcount(g), best = 0;
    igraph_vector_int_t keep, membership, sizes;
    igraph_t sub;
    igraph_integer_t count;
    unsigned char *removed = calloc(n, 1);

    for (size_t q = 0; q < k; q++)
        removed[order[q]] = 1;
    assert_int_equal(igraph_vector_int_init(&keep, 0), 0);
    for (size_t v = 0; v < n; v++)
        if (!removed[v])
            assert_int_equal(igraph_vector_int_push_back(&keep, (igraph_integer_t)v), 0);
    assert_int_equal(igraph_induced_subgraph(g, &sub, igraph_vss_vector(&keep),
                                             IGRAPH_SUBGRAPH_AUTO), 0);
    assert_int_equal(igraph_vector_int_init(&membership, 0), 0);
    assert_int_equal(igraph_vector_int_init(&sizes, 0), 0);
    assert_int_equal(igraph_connected_components(&sub, &membership, &sizes, &count,
                                                 IGRAPH_WEAK), 0);
    for (igraph_integer_t c = 0; c < count; c++)
        if ((size_t)VECTOR(sizes)[c] > best)
            best = (size_t)VECTOR(sizes)[c];
    igraph_vector_int_destroy(&membership);
    igraph_vector_int_destroy(&sizes);
    igraph_vector_int_destroy(&keep);
    igraph_destroy(&sub);
    free(removed);
    return best;
}

static void test_newman_ziff_vs_brute_force(void **state)
{
    static const struct { igraph_integer_t n, m; } cases[] = {
        {1, 0}, {2, 1}, {50, 30}, {200, 150}, {200, 200}, {300, 600}};
    (void)state;
    cy_library_init();
    igraph_rng_seed(igraph_rng_default(), 20240601);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        igraph_t g;
        cy_i_adjacency adj;
        cy_i_dsu dsu;
        cy_error err;
        size_t n = (size_t)cases[c].n;
        size_t *order = malloc(n * sizeof *order), *lcc = malloc((n + 1) * sizeof *lcc);
        unsigned char *present = malloc(n);

        assert_int_equal(igraph_erdos_renyi_game_gnm(&g, cases[c].n, (igraph_real_t)cases[c].m,
                                                     IGRAPH_UNDIRECTED, IGRAPH_NO_LOOPS), 0);
        cy_error_init(&err);
        assert_int_equal(cy_i_adjacency_init(&adj, &g, &err), CY_OK);
        assert_true(cy_i_dsu_init(&dsu, n));
        /* A scrambled order: v -> (v * 7 + 3) mod n is a permutation when
         * gcd(7, n) = 1, true for every n above. */
        for (size_t v = 0; v < n; v++)
            order[v] = (v * 7 + 3) % n;
        cy_i_lcc_curve(&adj, order, &dsu, present, lcc);
        for (size_t k = 0; k <= n; k++)
            assert_int_equal(lcc[k], brute_lcc(&g, order, k));
        cy_i_dsu_destroy(&dsu);
        cy_i_adjacency_destroy(&adj);
        cy_error_destroy(&err);
        igraph_destroy(&g);
        free(order);
        free(lcc);
        free(present);
    }
}

static void test_union_find(void **state)
{
    cy_i_dsu dsu;
    (void)state;
    assert_true(cy_i_dsu_init(&dsu, 6));
    for (size_t v = 0; v < 6; v++)
        cy_i_dsu_make(&dsu, v);
    assert_int_equal(cy_i_dsu_unite(&dsu, 0, 1), 2);
    assert_int_equal(cy_i_dsu_unite(&dsu, 2, 3), 2);
    assert_int_equal(cy_i_dsu_unite(&dsu, 1, 3), 4);
    assert_int_equal(cy_i_dsu_unite(&dsu, 0, 2), 4); /* already together */
    assert_int_equal(cy_i_dsu_find(&dsu, 0), cy_i_dsu_find(&dsu, 3));
    assert_true(cy_i_dsu_find(&dsu, 4) != cy_i_dsu_find(&dsu, 0));
    assert_int_equal(cy_i_dsu_find(&dsu, 5), 5);
    cy_i_dsu_destroy(&dsu);
}

/* ---- hand-checked curves ------------------------------------------------- */

static void test_path_attacks(void **state)
{
    cy_network *net = load_graph("resilience-path.json");
    cy_resilience_curve c;
    (void)state;

    run_curve(net, CY_ATTACK_DEGREE, 100, 0.0, &c); /* steps > N: every removal */
    assert_curve(net, &c, (const char *const[]){"b", "c", "d", "a", "e"},
                 (const double[]){5, 3, 2, 1, 1, 0}, 0.28);
    assert_close(c.critical_fraction, 1.0, 1e-12);
    assert_true(c.has_output);
    /* No volumes: each firm's final demand is its output value (110 in
     * all).  Removing b stops c, d and e: 109 lost, 1 of 110 still sold. */
    assert_close(c.points[0].output_fraction, 1.0, 1e-12);
    assert_close(c.points[1].output_fraction, 1.0 / 110, 1e-12);
    assert_close(c.points[1].final_demand_lost, 109, 1e-12);
    assert_close(c.points[1].final_demand_lost_fraction, 109.0 / 110, 1e-12);
    assert_close(c.points[1].demand_nodes_failed, 4, 0);
    assert_close(c.points[1].failed_count, 4, 0);
    assert_close(c.points[5].output_fraction, 0.0, 1e-12);
    assert_int_equal(c.trials, 1);
    assert_close(c.points[2].lcc_fraction_sd, 0.0, 0);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_ADAPTIVE_DEGREE, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"b", "d", "a", "c", "e"},
                 (const double[]){5, 3, 1, 1, 1, 0}, 0.24);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_BETWEENNESS, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"c", "b", "d", "a", "e"},
                 (const double[]){5, 2, 2, 1, 1, 0}, 0.24);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_ADAPTIVE_BETWEENNESS, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"c", "a", "b", "d", "e"},
                 (const double[]){5, 2, 2, 2, 1, 0}, 0.28);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_PAGERANK, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"e", "d", "c", "b", "a"},
                 (const double[]){5, 4, 3, 2, 1, 0}, 0.40);
    assert_close(c.points[1].output_fraction, 10.0 / 110, 1e-12); /* e alone */
    cy_resilience_curve_destroy(&c);
    cy_network_free(net);
}

/*
 * No volumes: the final demand of each firm is its output value, 115 in
 * all.  Degree order s1, o1, o2, s2, s3: s1 stops o2 (its only c), o1
 * keeps s2: 45 lost; then o1 (60 more), o2 (already down), s2, s3.
 * Adaptive degree s1, s2, s3, o1, o2: s2 then takes o1's last a.
 */
static void test_two_oems_output(void **state)
{
    cy_network *net = load_graph("resilience-two-oems.json");
    cy_resilience_curve c;
    static const double lcc[] = {5, 2, 2, 1, 1, 0};
    static const double lost_degree[] = {0, 45, 105, 105, 110, 115};
    static const double lost_adaptive[] = {0, 45, 110, 115, 115, 115};
    static const double failed_degree[] = {0, 2, 3, 3, 4, 5};
    (void)state;

    run_curve(net, CY_ATTACK_DEGREE, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"s1", "o1", "o2", "s2", "s3"}, lcc,
                 (0.4 + 0.4 + 0.2 + 0.2) / 5);
    for (size_t k = 0; k <= 5; k++) {
        assert_close(c.points[k].output_fraction, (115 - lost_degree[k]) / 115, 1e-12);
        assert_close(c.points[k].final_demand_lost, lost_degree[k], 1e-12);
        assert_close(c.points[k].failed_count, failed_degree[k], 0);
    }
    assert_close(c.final_demand_total, 115, 0);
    assert_int_equal(c.demand_node_count, 5);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_ADAPTIVE_DEGREE, 5, 0.0, &c);
    assert_curve(net, &c, (const char *const[]){"s1", "s2", "s3", "o1", "o2"}, lcc,
                 (0.4 + 0.4 + 0.2 + 0.2) / 5);
    for (size_t k = 0; k <= 5; k++)
        assert_close(c.points[k].output_fraction, (115 - lost_adaptive[k]) / 115, 1e-12);
    cy_resilience_curve_destroy(&c);

    run_curve(net, CY_ATTACK_DEGREE, 5, 0.6, &c); /* half of part a is too little */
    assert_close(c.points[1].output_fraction, 10.0 / 115, 1e-12);
    cy_resilience_curve_destroy(&c);

    /* Two steps on five firms: removed round(0), round(2.5) = 3, 5; the
     * fraction is the nominal checkpoint 1/2, not 3/5. */
    run_curve(net, CY_ATTACK_DEGREE, 2, 0.0, &c);
    assert_int_equal(c.point_count, 3);
    assert_int_equal(c.points[1].removed, 3);
    assert_close(c.points[1].removed_fraction, 0.5, 1e-12);
    assert_close(c.points[1].lcc, 1.0, 1e-12);
    cy_resilience_curve_destroy(&c);
    cy_network_free(net);
}

/* A curve by group (or by enterprise with the demand attack), one point
 * per unit. */
static void run_by(const cy_network *net, cy_resilience_by by, cy_attack attack,
                   uint64_t seed, cy_resilience_curve *curve)
{
    cy_resilience_params params;
    cy_resilience_params_init(&params);
    params.by = by;
    params.attack = attack;
    params.trials = 1;
    params.seed = seed;
    run_params(net, &params, curve);
}

/* Per point: lcc, final demand lost, demand nodes failed, failed count,
 * enterprises removed. */
static void assert_points(const cy_resilience_curve *c, const double (*want)[5], size_t count)
{
    assert_int_equal(c->point_count, count);
    for (size_t k = 0; k < count; k++) {
        const cy_curve_point *p = &c->points[k];
        assert_int_equal(p->removed, k);
        assert_close(p->removed_fraction, (double)k / (double)(count - 1), 1e-12);
        assert_close(p->lcc, want[k][0], 0);
        assert_close(p->lcc_fraction, want[k][0] / 8, 1e-12);
        assert_close(p->final_demand_lost, want[k][1], 1e-9);
        assert_close(p->final_demand_lost_fraction, want[k][1] / 125, 1e-12);
        assert_close(p->output_fraction, 1 - want[k][1] / 125, 1e-12);
        assert_close(p->demand_nodes_failed, want[k][2], 0);
        assert_close(p->failed_count, want[k][3], 0);
        assert_close(p->enterprises_removed, want[k][4], 0);
    }
}

/*
 * graphs/resilience-parks.json (graphs/README.md): parks by final demand
 * p-auto 65, p-pack 40, p-chip 10, p-empty 0; regions r-east 105, r-west
 * 15; the demand attack on firms orders the three 5-yuan demand nodes
 * (mine, seat, trader) by file order.
 */
static void test_groups_by_demand(void **state)
{
    cy_network *net = load_graph("resilience-parks.json");
    cy_resilience_curve c;
    static const double parks[][5] = {{8, 0, 0, 0, 0}, {6, 65, 2, 2, 2}, {3, 105, 3, 4, 4},
                                      {1, 115, 4, 6, 6}, {1, 115, 4, 6, 6}};
    static const double regions[][5] = {{8, 0, 0, 0, 0}, {3, 105, 3, 4, 4},
                                        {1, 120, 5, 7, 7}};
    static const char *const park_order[] = {"p-auto", "p-pack", "p-chip", "p-empty"};
    static const char *const firm_order[] = {"oem-a", "oem-b", "fab", "mine",
                                             "seat", "trader", "wafer", "cell"};
    (void)state;

    run_by(net, CY_BY_PARK, CY_ATTACK_DEMAND, 1, &c);
    assert_int_equal(c.by, CY_BY_PARK);
    assert_int_equal(c.unit_count, 4);
    for (size_t k = 0; k < 4; k++)
        assert_string_equal(cy_group_id(net, CY_GROUP_PARK, c.order[k]), park_order[k]);
    assert_points(&c, parks, 5);
    assert_close(c.r_index, (0.75 + 0.375 + 0.125 + 0.125) / 4, 1e-12);
    assert_true(isnan(c.critical_fraction)); /* lcc never falls to 5% */
    cy_resilience_curve_destroy(&c);

    run_by(net, CY_BY_REGION, CY_ATTACK_DEMAND, 1, &c);
    assert_int_equal(c.unit_count, 2);
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, c.order[0]), "r-east");
    assert_string_equal(cy_group_id(net, CY_GROUP_REGION, c.order[1]), "r-west");
    assert_points(&c, regions, 3);
    assert_close(c.r_index, (0.375 + 0.125) / 2, 1e-12);
    cy_resilience_curve_destroy(&c);

    run_by(net, CY_BY_ENTERPRISE, CY_ATTACK_DEMAND, 1, &c);
    for (size_t k = 0; k < 8; k++)
        assert_string_equal(cy_enterprise_id(net, c.order[k]), firm_order[k]);
    assert_close(c.points[1].final_demand_lost, 60, 0);
    cy_resilience_curve_destroy(&c);
    cy_network_free(net);
}

/* Whether enterprise v belongs to group g of the removal unit. */
static int member_of(const cy_network *net, cy_resilience_by by, size_t v, size_t g)
{
    if (by == CY_BY_PARK)
        return net->enterprises[v].park == (long)g;
    return cy_i_enterprise_region(net, v) == (long)g;
}

/*
 * Random group orders (one trial, many seeds) against brute force: for
 * the groups of the first k points, the firms removed, a cascade from
 * scratch (cy_cascade_run) and the largest component by igraph.
 */
static void check_groups_brute_force(const char *graph, cy_resilience_by by)
{
    cy_network *net = load_graph(graph);
    size_t n = cy_network_enterprise_count(net);
    size_t *firms = malloc(n * sizeof *firms);

    for (uint64_t seed = 1; seed <= 24; seed++) {
        cy_resilience_curve c;
        run_by(net, by, CY_ATTACK_RANDOM, seed, &c);
        for (size_t k = 0; k < c.point_count; k++) {
            size_t count = 0;
            cy_cascade_result r;
            cy_error err;
            for (size_t q = 0; q < k; q++)
                for (size_t v = 0; v < n; v++)
                    if (member_of(net, by, v, c.order[q]))
                        firms[count++] = v;
            cy_error_init(&err);
            assert_int_equal(cy_cascade_run(net, firms, count, 0.0, &r, &err), CY_OK);
            assert_close(c.points[k].final_demand_lost, r.final_demand_lost, 1e-9);
            assert_close(c.points[k].failed_count, (double)r.failed_count, 0);
            assert_close(c.points[k].demand_nodes_failed, (double)r.demand_nodes_failed, 0);
            assert_close(c.points[k].enterprises_removed, (double)count, 0);
            assert_close(c.points[k].lcc, (double)brute_lcc(&net->firm_graph, firms, count),
                         0);
            cy_cascade_result_destroy(&r);
            cy_error_destroy(&err);
        }
        cy_resilience_curve_destroy(&c);
    }
    free(firms);
    cy_network_free(net);
}

static void test_groups_random_vs_brute_force(void **state)
{
    (void)state;
    check_groups_brute_force("resilience-parks.json", CY_BY_PARK);
    check_groups_brute_force("resilience-parks.json", CY_BY_REGION);
    check_groups_brute_force("cascade-battery.json", CY_BY_PARK);
    check_groups_brute_force("groups.json", CY_BY_REGION);
}

/* The trials of a random group curve average their trials; other attacks
 * than random and demand, a bare graph and a network without parks are
 * refused. */
static void test_groups_params(void **state)
{
    cy_network *net = load_graph("resilience-parks.json");
    cy_network *no_parks = load_graph("resilience-path.json");
    cy_resilience_params params;
    cy_resilience_curve c;
    cy_resilience_by by;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    cy_resilience_params_init(&params);
    params.by = CY_BY_PARK;
    params.trials = 40;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_OK);
    assert_int_equal(c.trials, 40);
    /* Every order ends with every park gone: 115 lost, lcc 1. */
    assert_close(c.points[4].final_demand_lost, 115, 1e-9);
    assert_close(c.points[4].lcc_fraction_sd, 0, 0);
    assert_true(c.points[1].lcc_fraction_sd > 0);
    cy_resilience_curve_destroy(&c);
    params.attack = CY_ATTACK_DEGREE;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_EUSAGE);
    params.attack = CY_ATTACK_RANDOM;
    assert_int_equal(cy_resilience_run(no_parks, &params, &c, &err), CY_EINPUT);
    assert_true(strstr(err.items[err.count - 1].message, "has no parks") != NULL);
    params.by = (cy_resilience_by)7;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_EUSAGE);
    assert_true(cy_resilience_by_parse("region", &by));
    assert_int_equal(by, CY_BY_REGION);
    assert_false(cy_resilience_by_parse("cluster", &by));
    assert_string_equal(cy_resilience_by_name(CY_BY_PARK), "park");
    assert_string_equal(cy_attack_name(CY_ATTACK_DEMAND), "demand");
    cy_error_destroy(&err);
    cy_network_free(net);
    cy_network_free(no_parks);
}

static void test_metric_and_params(void **state)
{
    cy_network *net = load_graph("resilience-two-oems.json");
    cy_resilience_params params;
    cy_resilience_curve c;
    cy_error err;
    cy_attack attack;
    cy_metric metric;
    (void)state;

    cy_error_init(&err);
    cy_resilience_params_init(&params);
    params.metric = CY_METRIC_LCC;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_OK);
    assert_false(c.has_output);
    assert_true(isnan(c.points[0].output_fraction));
    assert_int_equal(c.trials, CY_RESILIENCE_DEFAULT_TRIALS);
    cy_resilience_curve_destroy(&c);
    params.steps = 0;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_EUSAGE);
    params.steps = 10;
    params.trials = 0;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_EUSAGE);
    params.trials = 1;
    params.threshold = 2;
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_EUSAGE);
    assert_true(cy_attack_parse("adaptive-betweenness", &attack));
    assert_int_equal(attack, CY_ATTACK_ADAPTIVE_BETWEENNESS);
    assert_false(cy_attack_parse("closeness", &attack));
    assert_true(cy_metric_parse("output", &metric));
    assert_int_equal(metric, CY_METRIC_OUTPUT);
    assert_string_equal(cy_attack_name(CY_ATTACK_PAGERANK), "pagerank");
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* The same seed gives the same curve; another seed another order. */
static void test_random_deterministic(void **state)
{
    cy_network *net = random_dag(5, 2, 400);
    cy_resilience_params params;
    cy_resilience_curve a, b;
    cy_error err;
    size_t n = cy_network_enterprise_count(net);
    (void)state;

    cy_error_init(&err);
    cy_resilience_params_init(&params);
    params.trials = 4;
    params.seed = 99;
    assert_int_equal(cy_resilience_run(net, &params, &a, &err), CY_OK);
    assert_int_equal(cy_resilience_run(net, &params, &b, &err), CY_OK);
    assert_memory_equal(a.order, b.order, n * sizeof *a.order);
    for (size_t k = 0; k < a.point_count; k++) {
        assert_close(a.points[k].lcc, b.points[k].lcc, 0);
        assert_close(a.points[k].output_fraction, b.points[k].output_fraction, 0);
        assert_true(a.points[k].lcc_fraction_sd >= 0);
    }
    assert_true(a.points[50].lcc_fraction_sd > 0); /* four different trials */
    cy_resilience_curve_destroy(&b);
    params.seed = 100;
    assert_int_equal(cy_resilience_run(net, &params, &b, &err), CY_OK);
    assert_true(memcmp(a.order, b.order, n * sizeof *a.order) != 0);
    cy_resilience_curve_destroy(&a);
    cy_resilience_curve_destroy(&b);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- the incremental output metric against cascades from scratch -------- */

static void test_output_incremental_vs_scratch(void **state)
{
    cy_network *net = random_dag(13, 3, 300);
    size_t n = cy_network_enterprise_count(net);
    cy_error err;
    (void)state;

    cy_error_init(&err);
    for (int attack = 0; attack < CY_ATTACK_COUNT; attack++) {
        for (int t = 0; t < 2; t++) {
            double threshold = t ? 0.5 : 0.0;
            cy_resilience_curve c;
            cy_resilience_params params;
            cy_resilience_params_init(&params);
            params.attack = (cy_attack)attack;
            params.trials = 1;
            params.steps = n;
            params.threshold = threshold;
            assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_OK);
            for (size_t k = 0; k <= n; k += 7) {
                cy_cascade_result r;
                assert_int_equal(cy_cascade_run(net, c.order, k, threshold, &r, &err), CY_OK);
                assert_true(r.final_demand_total > 0);
                assert_close(c.points[k].output_fraction,
                             1.0 - r.final_demand_lost / r.final_demand_total, 1e-9);
                assert_close(c.points[k].final_demand_lost, r.final_demand_lost, 1e-6);
                assert_close(c.points[k].demand_nodes_failed, (double)r.demand_nodes_failed, 0);
                assert_close(c.points[k].failed_count, (double)r.failed_count, 0);
                cy_cascade_result_destroy(&r);
            }
            cy_resilience_curve_destroy(&c);
        }
    }
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- exact adaptive attacks against naive recomputation ------------------ */

/* Degree (distinct neighbours) and betweenness of every remaining vertex of
 * the undirected simple graph g, recomputed from scratch. */
static void naive_measures(const igraph_t *g, const unsigned char *removed,
                           double *degree, double *betweenness)
{
    size_t n = (size_t)igraph_vcount(g);
    igraph_vector_int_t keep, invmap;
    igraph_vector_t bc;
    igraph_t sub;

    assert_int_equal(igraph_vector_int_init(&keep, 0), 0);
    for (size_t v = 0; v < n; v++)
        if (!removed[v])
            assert_int_equal(igraph_vector_int_push_back(&keep, (igraph_integer_t)v), 0);
    assert_int_equal(igraph_vector_int_init(&invmap, 0), 0);
    assert_int_equal(igraph_induced_subgraph_map(g, &sub, igraph_vss_vector(&keep),
                                                 IGRAPH_SUBGRAPH_CREATE_FROM_SCRATCH,
                                                 NULL, &invmap), 0);
    assert_int_equal(igraph_vector_init(&bc, 0), 0);
    assert_int_equal(igraph_betweenness(&sub, &bc, igraph_vss_all(), IGRAPH_UNDIRECTED, NULL), 0);
    for (igraph_integer_t i = 0; i < igraph_vcount(&sub); i++) {
        size_t v = (size_t)VECTOR(invmap)[i];
        igraph_integer_t d;
        assert_int_equal(igraph_degree_1(&sub, &d, i, IGRAPH_ALL, IGRAPH_NO_LOOPS), 0);
        degree[v] = (double)d;
        betweenness[v] = VECTOR(bc)[i];
    }
    igraph_vector_destroy(&bc);
    igraph_vector_int_destroy(&invmap);
    igraph_vector_int_destroy(&keep);
    igraph_destroy(&sub);
}

/*
 * At every step the exact adaptive order must remove a vertex whose
 * measure, recomputed from scratch on what remains, is the maximum: for
 * degree (integers) the very vertex (max, lowest index); for betweenness up
 * to rounding (values from different subgraph numberings can differ in the
 * last bits, so ties may legitimately resolve differently).
 */
static void test_adaptive_vs_naive(void **state)
{
    (void)state;
    cy_library_init();
    igraph_rng_seed(igraph_rng_default(), 7);
    for (int by_betweenness = 0; by_betweenness < 2; by_betweenness++) {
        igraph_t g;
        cy_resilience_params params;
        cy_resilience_curve c;
        cy_error err;
        size_t n = 120;
        unsigned char *removed = calloc(n, 1);
        double *degree = calloc(n, sizeof *degree), *bc = calloc(n, sizeof *bc);

        assert_int_equal(igraph_erdos_renyi_game_gnm(&g, (igraph_integer_t)n, 180,
                                                     IGRAPH_UNDIRECTED, IGRAPH_NO_LOOPS), 0);
        cy_resilience_params_init(&params);
        params.attack = by_betweenness ? CY_ATTACK_ADAPTIVE_BETWEENNESS
                                       : CY_ATTACK_ADAPTIVE_DEGREE;
        cy_error_init(&err);
        assert_int_equal(cy_i_attack_curve_graph(&g, &params, &c, &err), CY_OK);
        for (size_t k = 0; k < n; k++) {
            size_t best = SIZE_MAX;
            const double *value = by_betweenness ? bc : degree;
            naive_measures(&g, removed, degree, bc);
            for (size_t v = 0; v < n; v++)
                if (!removed[v] && (best == SIZE_MAX || value[v] > value[best]))
                    best = v;
            if (by_betweenness && !(value[c.order[k]] >= value[best] - 1e-9 * (1 + value[best])))
                fail_msg("step %zu: removed %zu with betweenness %.17g, but %zu has %.17g",
                         k, c.order[k], value[c.order[k]], best, value[best]);
            else
                assert_int_equal(c.order[k], best);
            assert_false(removed[c.order[k]]);
            removed[c.order[k]] = 1;
        }
        cy_resilience_curve_destroy(&c);
        cy_error_destroy(&err);
        igraph_destroy(&g);
        free(removed);
        free(degree);
        free(bc);
    }
}

/*
 * From 256 vertices a component's betweenness is summed in 32 fixed
 * chunks of sources on threads (cy_i_bfs_betweenness): on a G(400, 600)
 * the exact adaptive betweenness attack still removes a vertex of maximum
 * betweenness at every step (recomputed from scratch by igraph, up to
 * rounding), the chunks run on as many threads as asked, and 1, 2 and 7
 * threads give the same order and the same curve, bit for bit (the
 * scores themselves: test_walk_betweenness_threads in test_centrality.c).
 */
static void test_adaptive_betweenness_threads(void **state)
{
    static const size_t threads[] = {1, 2, 7};
    size_t n = 400;
    igraph_t g;
    cy_resilience_params params;
    cy_resilience_curve c[3];
    cy_error err;
    unsigned char *removed = calloc(n, 1);
    double *degree = calloc(n, sizeof *degree), *bc = calloc(n, sizeof *bc);
    (void)state;

    cy_library_init();
    igraph_rng_seed(igraph_rng_default(), 11);
    assert_int_equal(igraph_erdos_renyi_game_gnm(&g, (igraph_integer_t)n, 600,
                                                 IGRAPH_UNDIRECTED, IGRAPH_NO_LOOPS), 0);
    cy_resilience_params_init(&params);
    params.attack = CY_ATTACK_ADAPTIVE_BETWEENNESS;
    cy_error_init(&err);
    for (size_t t = 0; t < 3; t++) {
        cy_threads_set(threads[t]);
        (void)cy_i_bfs_workers_seen();
        assert_int_equal(cy_i_attack_curve_graph(&g, &params, &c[t], &err), CY_OK);
        /* The chunks ran on that many threads (not inside a loop's item). */
        assert_int_equal(cy_i_bfs_workers_seen(), threads[t]);
    }
    cy_threads_set(0);
    for (size_t k = 0; k < n; k++) {
        size_t best = SIZE_MAX;
        naive_measures(&g, removed, degree, bc);
        for (size_t v = 0; v < n; v++)
            if (!removed[v] && (best == SIZE_MAX || bc[v] > bc[best]))
                best = v;
        if (!(bc[c[0].order[k]] >= bc[best] - 1e-9 * (1 + bc[best])))
            fail_msg("step %zu: removed %zu with betweenness %.17g, but %zu has %.17g", k,
                     c[0].order[k], bc[c[0].order[k]], best, bc[best]);
        assert_false(removed[c[0].order[k]]);
        removed[c[0].order[k]] = 1;
    }
    for (size_t t = 1; t < 3; t++) {
        assert_memory_equal(c[0].order, c[t].order, n * sizeof *c[0].order);
        assert_int_equal(c[0].point_count, c[t].point_count);
        assert_memory_equal(c[0].points, c[t].points, c[0].point_count * sizeof *c[0].points);
    }
    for (size_t t = 0; t < 3; t++)
        cy_resilience_curve_destroy(&c[t]);
    cy_error_destroy(&err);
    igraph_destroy(&g);
    free(removed);
    free(degree);
    free(bc);
}

/* recompute_at_steps with steps = N recomputes before every removal: the
 * same greedy order as the exact adaptive degree attack. */
static void test_adaptive_batched(void **state)
{
    cy_network *net = random_dag(21, 2, 200);
    cy_resilience_params params;
    cy_resilience_curve exact, batched;
    cy_error err;
    size_t n = cy_network_enterprise_count(net);
    (void)state;

    cy_error_init(&err);
    cy_resilience_params_init(&params);
    params.attack = CY_ATTACK_ADAPTIVE_DEGREE;
    params.steps = n;
    assert_int_equal(cy_resilience_run(net, &params, &exact, &err), CY_OK);
    params.recompute_at_steps = 1;
    assert_int_equal(cy_resilience_run(net, &params, &batched, &err), CY_OK);
    assert_memory_equal(exact.order, batched.order, n * sizeof *exact.order);
    cy_resilience_curve_destroy(&batched);
    /* Ten batches of 20: the order must still be a permutation. */
    params.steps = 10;
    assert_int_equal(cy_resilience_run(net, &params, &batched, &err), CY_OK);
    {
        unsigned char *seen = calloc(n, 1);
        for (size_t k = 0; k < n; k++) {
            assert_false(seen[batched.order[k]]);
            seen[batched.order[k]] = 1;
        }
        free(seen);
    }
    cy_resilience_curve_destroy(&batched);
    cy_resilience_curve_destroy(&exact);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- percolation theory --------------------------------------------------- */

/*
 * Erdos-Renyi G(n, m), n = 10,000, <k> = 2m/n = 4.  Removing a random
 * fraction f of the vertices leaves an Erdos-Renyi graph of mean degree
 * c = 4 (1 - f), whose giant component holds the fraction S of its
 * vertices with S = 1 - exp(-c S) (Erdos and Renyi 1960; e.g. Newman,
 * Networks, 2nd ed., section 11.5), so lcc_fraction = (1 - f) S.  It
 * vanishes at c = 1, f = 1 - 1/<k> = 0.75.  Values: f = 0.5 -> 0.3984,
 * f = 0.6 -> 0.2568, f = 0.72 -> 0.0578, f = 0.73 -> 0.0390; so the
 * fraction first falls to 0.05 at f ~ 0.724 in the limit, a little later
 * at n = 10,000 (finite-size clusters of order n^(2/3)).  Tolerances: 0.02
 * on the curve (the spread over 10 trials is about 0.005) and 0.05 around
 * 0.75 for critical_fraction.
 */
static void test_erdos_renyi_percolation(void **state)
{
    igraph_t g;
    cy_resilience_params params;
    cy_resilience_curve c;
    cy_error err;
    (void)state;

    cy_library_init();
    igraph_rng_seed(igraph_rng_default(), 1960);
    assert_int_equal(igraph_erdos_renyi_game_gnm(&g, 10000, 20000, IGRAPH_UNDIRECTED,
                                                 IGRAPH_NO_LOOPS), 0);
    cy_resilience_params_init(&params);
    params.trials = 10;
    params.seed = 4;
    cy_error_init(&err);
    assert_int_equal(cy_i_attack_curve_graph(&g, &params, &c, &err), CY_OK);
    assert_int_equal(c.point_count, 101);
    assert_close(c.points[50].removed_fraction, 0.5, 1e-12);
    assert_close(c.points[50].lcc_fraction, 0.3984, 0.02);
    assert_close(c.points[60].lcc_fraction, 0.2568, 0.02);
    assert_true(c.points[40].lcc_fraction > 0.4);
    for (size_t k = 80; k <= 100; k++)
        assert_true(c.points[k].lcc_fraction < 0.05);
    assert_true(c.points[0].lcc_fraction > 0.97); /* S(4) = 0.9802 */
    assert_close(c.critical_fraction, 0.75, 0.05);
    assert_close(c.critical_fraction, 0.724, 0.015);
    /* R = integral over f of (1 - f) S(4 (1 - f)) = 0.4031 (midpoint rule,
     * 2,000 intervals). */
    assert_close(c.r_index, 0.4031, 0.01);
    cy_resilience_curve_destroy(&c);
    cy_error_destroy(&err);
    igraph_destroy(&g);
}

/*
 * Albert, Jeong and Barabasi, "Error and attack tolerance of complex
 * networks", Nature 406, 378 (2000): a scale-free network stays connected
 * under random failure of most of its nodes but falls apart when the
 * highest-degree nodes are attacked; for their scale-free graph with
 * <k> = 4 the attack threshold was f_c ~ 0.18.  Here a Barabasi-Albert
 * graph, n = 10,000, m = 2 (<k> = 4): random removal must take about 3/4
 * of the nodes (0.76 with this seed) to bring the largest component down
 * to 5%, the degree attack about 0.19 and its adaptive form less.  Asserted
 * with margins: random above 0.7, degree below half of random, adaptive no
 * later than degree, R of the attack under half that of random failure,
 * and at 20% removed the attacked graph is in pieces (< 0.1) while the
 * randomly thinned one keeps most of its nodes together (> 0.7).
 */
static void test_barabasi_albert_attack(void **state)
{
    igraph_t g;
    cy_resilience_params params;
    cy_resilience_curve random, degree, adaptive;
    cy_error err;
    (void)state;

    cy_library_init();
    igraph_rng_seed(igraph_rng_default(), 2000);
    assert_int_equal(igraph_barabasi_game(&g, 10000, 1.0, 2, NULL, 0, 1.0, IGRAPH_UNDIRECTED,
                                          IGRAPH_BARABASI_PSUMTREE, NULL), 0);
    cy_resilience_params_init(&params);
    params.trials = 5;
    cy_error_init(&err);
    assert_int_equal(cy_i_attack_curve_graph(&g, &params, &random, &err), CY_OK);
    params.attack = CY_ATTACK_DEGREE;
    assert_int_equal(cy_i_attack_curve_graph(&g, &params, &degree, &err), CY_OK);
    params.attack = CY_ATTACK_ADAPTIVE_DEGREE;
    assert_int_equal(cy_i_attack_curve_graph(&g, &params, &adaptive, &err), CY_OK);

    assert_true(random.critical_fraction > 0.7);
    assert_true(degree.critical_fraction < 0.5 * random.critical_fraction);
    assert_true(adaptive.critical_fraction <= degree.critical_fraction);
    assert_true(degree.r_index < 0.5 * random.r_index);
    assert_true(degree.critical_fraction < 0.25);
    assert_true(random.points[20].lcc_fraction > 0.7);
    assert_true(degree.points[20].lcc_fraction < 0.1);
    cy_resilience_curve_destroy(&random);
    cy_resilience_curve_destroy(&degree);
    cy_resilience_curve_destroy(&adaptive);
    cy_error_destroy(&err);
    igraph_destroy(&g);
}

static void test_empty_network(void **state)
{
    static const char text[] =
        "{\"format\": \"chengyu/1\", \"name\": \"empty\", \"enterprises\": [], \"links\": []}";
    cy_network *net = NULL;
    cy_resilience_params params;
    cy_resilience_curve c;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, sizeof text - 1, "empty", &net, &err), CY_OK);
    cy_resilience_params_init(&params);
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_OK);
    assert_int_equal(c.point_count, 0);
    assert_true(isnan(c.critical_fraction));
    assert_close(c.r_index, 0.0, 0);
    cy_resilience_curve_destroy(&c);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * Allocation-failure injection over every entry point of the cascade,
 * structure and resilience modules: make the Nth allocation fail, for
 * every N until a run needs no more, and require a clean CY_ENOMEM (no
 * crash; the sanitizer build checks for leaks).
 */
static cy_status run_everything(const cy_network *net, cy_error *err)
{
    static const size_t initial[] = {3, 4};
    cy_cascade_result r;
    cy_single_failures sf;
    cy_structure st;
    cy_impact *impacts;
    size_t count;
    cy_status status;

    if ((status = cy_cascade_run(net, initial, 2, 0.0, &r, err)) != CY_OK)
        return status;
    cy_cascade_result_destroy(&r);
    if ((status = cy_cascade_run_group(net, CY_GROUP_PARK, 0, 0.0, &r, err)) != CY_OK)
        return status;
    cy_cascade_result_destroy(&r);
    if ((status = cy_single_failures_compute(net, 0.0, &sf, err)) != CY_OK)
        return status;
    cy_single_failures_destroy(&sf);
    if ((status = cy_group_impacts_compute(net, CY_GROUP_REGION, 0.0, &impacts, &count,
                                           err)) != CY_OK)
        return status;
    cy_free(impacts);
    if ((status = cy_structure_compute(net, &st, err)) != CY_OK)
        return status;
    cy_structure_destroy(&st);
    for (int a = 0; a < CY_ATTACK_COUNT; a++) {
        for (int batched = 0; batched < 2; batched++) {
            cy_resilience_params params;
            cy_resilience_curve c;
            cy_resilience_params_init(&params);
            params.attack = (cy_attack)a;
            params.trials = 2;
            params.steps = 4;
            params.recompute_at_steps = batched;
            if ((status = cy_resilience_run(net, &params, &c, err)) != CY_OK)
                return status;
            cy_resilience_curve_destroy(&c);
        }
    }
    for (int by = CY_BY_PARK; by <= CY_BY_REGION; by++) {
        for (int demand = 0; demand < 2; demand++) {
            cy_resilience_params params;
            cy_resilience_curve c;
            cy_resilience_params_init(&params);
            params.by = (cy_resilience_by)by;
            params.attack = demand ? CY_ATTACK_DEMAND : CY_ATTACK_RANDOM;
            params.trials = 2;
            if ((status = cy_resilience_run(net, &params, &c, err)) != CY_OK)
                return status;
            cy_resilience_curve_destroy(&c);
        }
    }
    return CY_OK;
}

static void test_allocation_failures(void **state)
{
    cy_network *net = load_graph("cascade-battery.json");
    long n;
    (void)state;
    for (n = 0;; n++) {
        cy_error err;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = run_everything(net, &err);
        cy_alloc_fail_after(-1, 0);
        cy_error_destroy(&err);
        if (status == CY_OK)
            break;
        if (status != CY_ENOMEM)
            fail_msg("allocation %ld failed: status %d, not CY_ENOMEM", n, (int)status);
    }
    assert_true(n > 50); /* the loop really went through the allocations */
    cy_network_free(net);
}


/* What the curve writers are given, for write_under_alloc_failures. */
typedef struct {
    const cy_network *net;
    const cy_resilience_curve *curve;
    cy_write_options options;
} curve_write;

static cy_status write_curve(FILE *out, const void *data, cy_error *err)
{
    const curve_write *w = data;
    return cy_resilience_write(w->net, w->curve, &w->options, out, err);
}

/* The curve writers under allocation failure (the removed-ids cell of the
 * CSV is built in memory): CY_ENOMEM or a complete write, never a crash. */
static void test_write_allocation_failures(void **state)
{
    cy_network *net = load_graph("resilience-parks.json");
    cy_resilience_curve c;
    curve_write w;
    (void)state;
    run_by(net, CY_BY_PARK, CY_ATTACK_DEMAND, 1, &c);
    w.net = net;
    w.curve = &c;
    for (int format = 0; format < 2; format++) {
        cy_write_options_init(&w.options, format ? CY_FORMAT_JSON : CY_FORMAT_CSV);
        assert_true(write_under_alloc_failures(write_curve, &w) >= 1);
    }
    cy_resilience_curve_destroy(&c);
    cy_network_free(net);
}

/* The progress of one run: `want` calls, from 0 up to 100 in equal steps
 * (on one thread: with more, the calling thread reports only as the
 * trials it runs itself end). */
static void check_progress(const cy_network *net, cy_attack attack, size_t trials,
                           int at_steps, size_t want)
{
    cy_resilience_params params;
    cy_resilience_curve c;
    progress_log log = {cy_attack_name(attack), {0}, 0, 0};
    cy_error err;

    cy_resilience_params_init(&params);
    params.attack = attack;
    params.trials = trials;
    params.steps = 4;
    params.recompute_at_steps = at_steps;
    params.progress = log_progress;
    params.progress_data = &log;
    cy_error_init(&err);
    cy_threads_set(1);
    assert_int_equal(cy_resilience_run(net, &params, &c, &err), CY_OK);
    cy_threads_set(0);
    assert_int_equal(log.count, want);
    assert_false(log.other_name);
    for (size_t k = 0; k < want; k++)
        assert_close(log.percent[k], 100.0 * (double)k / (double)(want - 1), 1e-12);
    cy_resilience_curve_destroy(&c);
    cy_error_destroy(&err);
}

/* Progress: after each trial of a random attack, each removal of an exact
 * adaptive one (5 firms), each checkpoint of a batched one (4 steps). */
static void test_progress(void **state)
{
    cy_network *net = load_graph("resilience-path.json");
    (void)state;
    check_progress(net, CY_ATTACK_RANDOM, 7, 0, 8);
    check_progress(net, CY_ATTACK_ADAPTIVE_DEGREE, 1, 0, 6);
    check_progress(net, CY_ATTACK_ADAPTIVE_BETWEENNESS, 1, 0, 6);
    check_progress(net, CY_ATTACK_ADAPTIVE_BETWEENNESS, 1, 1, 5);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_union_find),
        cmocka_unit_test(test_newman_ziff_vs_brute_force),
        cmocka_unit_test(test_path_attacks),
        cmocka_unit_test(test_two_oems_output),
        cmocka_unit_test(test_metric_and_params),
        cmocka_unit_test(test_groups_by_demand),
        cmocka_unit_test(test_groups_random_vs_brute_force),
        cmocka_unit_test(test_groups_params),
        cmocka_unit_test(test_random_deterministic),
        cmocka_unit_test(test_output_incremental_vs_scratch),
        cmocka_unit_test(test_adaptive_vs_naive),
        cmocka_unit_test(test_adaptive_betweenness_threads),
        cmocka_unit_test(test_adaptive_batched),
        cmocka_unit_test(test_erdos_renyi_percolation),
        cmocka_unit_test(test_barabasi_albert_attack),
        cmocka_unit_test(test_empty_network),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_write_allocation_failures),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
