/*
 * test_structure.c - articulation points and bridges on the hand-checked
 * graphs/structure.json (a mutual pair: the copy-and-collapse path) and
 * graphs/structure-oneway.json (none: igraph runs on the firm graph
 * itself), answers explained in graphs/README.md; then both paths against
 * a reference on random networks.  The comparison with NetworkX on
 * generated networks is tests/cli/test_structure_networkx.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "helpers.h"

/* Compute the structure of graphs/NAME and compare it with the expected
 * ids: points sorted by id, bridges as (from, to) sorted by from id. */
static void check_graph(const char *name, int has_mutual,
                        const char *const *points, size_t point_count,
                        const char *const (*bridges)[2], size_t bridge_count)
{
    cy_network *net = load_graph(name);
    cy_structure s;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(net->firm_has_mutual, has_mutual);
    assert_int_equal(cy_structure_compute(net, &s, &err), CY_OK);
    assert_int_equal(s.articulation_point_count, point_count);
    for (size_t k = 0; k < point_count; k++)
        assert_string_equal(cy_enterprise_id(net, s.articulation_points[k]), points[k]);
    assert_int_equal(s.bridge_count, bridge_count);
    for (size_t k = 0; k < bridge_count; k++) {
        assert_string_equal(cy_enterprise_id(net, s.bridges[k].from), bridges[k][0]);
        assert_string_equal(cy_enterprise_id(net, s.bridges[k].to), bridges[k][1]);
    }
    cy_structure_destroy(&s);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* b3 ⇄ m is a mutual pair: one bridge once merged, from the lower index. */
static void test_mutual_pair_collapsed(void **state)
{
    static const char *const points[] = {"a1", "a2", "b1", "b3", "hub"};
    static const char *const bridges[][2] = {
        {"a1", "hub"}, {"b3", "m"}, {"hub", "b1"}, {"l", "a2"}};
    (void)state;
    check_graph("structure.json", 1, points, 5, bridges, 4);
}

/* Only m -> b3: the same sets, each bridge in its supply direction. */
static void test_no_mutual_pair_direct(void **state)
{
    static const char *const points[] = {"a1", "a2", "b1", "b3", "hub"};
    static const char *const bridges[][2] = {
        {"a1", "hub"}, {"hub", "b1"}, {"l", "a2"}, {"m", "b3"}};
    (void)state;
    check_graph("structure-oneway.json", 0, points, 5, bridges, 4);
}

/* An empty network has no weak points (and must not trip igraph). */
static void test_empty(void **state)
{
    static const char text[] =
        "{\"format\": \"chengyu/1\", \"name\": \"empty\", \"enterprises\": [], \"links\": []}";
    cy_network *net = NULL;
    cy_structure s;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, sizeof text - 1, "empty", &net, &err), CY_OK);
    assert_int_equal(net->firm_has_mutual, 0);
    assert_int_equal(cy_structure_compute(net, &s, &err), CY_OK);
    assert_int_equal(s.articulation_point_count, 0);
    assert_int_equal(s.bridge_count, 0);
    cy_structure_destroy(&s);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * A random network of n firms: a random forest (each firm but the first
 * linked to an earlier one with probability 0.9, in a random direction),
 * `extra` random links (cycles) and `mutual` pairs linked both ways, with
 * one to three parts per pair.  With mutual = 0 an extra link whose
 * reverse exists is skipped, so no two firms supply each other.  Firm ids
 * are a permutation of the index, so id order is not index order.
 */
static cy_network *random_network(unsigned seed, size_t n, size_t extra,
                                  size_t mutual)
{
    uint64_t state = seed;
    unsigned char *linked = calloc(n * n, 1);
    json_t *ents = json_array(), *links = json_array();
    char from_id[32], to_id[32], part[48];

    assert_non_null(linked);
#define NEXT() (state = state * 6364136223846793005ULL + 1442695040888963407ULL, \
                (size_t)(state >> 33))
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "firm-%zu", i * 7919 % n);
        json_array_append_new(ents, json_pack("{s:s, s:s}", "id", id, "kind", "supplier"));
    }
    for (size_t k = 0; k < n + extra + mutual; k++) {
        size_t a, b, parts = 1 + NEXT() % 3;
        if (k < n) { /* the forest */
            if (k == 0 || NEXT() % 10 == 0)
                continue;
            a = k;
            b = NEXT() % k;
            if (NEXT() % 2) {
                size_t t = a;
                a = b;
                b = t;
            }
        } else {
            a = NEXT() % n;
            b = (a + 1 + NEXT() % (n - 1)) % n;
        }
        if (k < n + extra && !mutual && linked[b * n + a])
            continue;
        for (int dir = 0; dir < (k >= n + extra ? 2 : 1); dir++) {
            size_t from = dir ? b : a, to = dir ? a : b;
            linked[from * n + to] = 1;
            snprintf(from_id, sizeof from_id, "firm-%zu", from * 7919 % n);
            snprintf(to_id, sizeof to_id, "firm-%zu", to * 7919 % n);
            for (size_t p = 0; p < parts; p++) {
                snprintf(part, sizeof part, "p%zu-%zu", k, p);
                json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "from", from_id,
                                                       "to", to_id, "part", part));
            }
        }
    }
#undef NEXT
    free(linked);
    return load_json_doc(json_pack("{s:s, s:s, s:o, s:o}", "format", "chengyu/1",
                                   "name", "random structure", "enterprises", ents,
                                   "links", links),
                         "random structure");
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * The reference: igraph on an undirected, collapsed copy of the firm graph
 * (what cy_structure_compute always did before the direct path), points
 * as sorted indices and bridges as sorted lower * n + higher keys.
 */
static void reference(const cy_network *net, size_t *points, size_t *point_count,
                      size_t *bridges, size_t *bridge_count)
{
    igraph_t g;
    igraph_vector_int_t p, b;
    size_t n = net->enterprise_count;

    assert_int_equal(igraph_copy(&g, &net->firm_graph), IGRAPH_SUCCESS);
    assert_int_equal(igraph_to_undirected(&g, IGRAPH_TO_UNDIRECTED_COLLAPSE, NULL),
                     IGRAPH_SUCCESS);
    assert_int_equal(igraph_vector_int_init(&p, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_vector_int_init(&b, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_articulation_points(&g, &p), IGRAPH_SUCCESS);
    assert_int_equal(igraph_bridges(&g, &b), IGRAPH_SUCCESS);
    *point_count = (size_t)igraph_vector_int_size(&p);
    for (size_t k = 0; k < *point_count; k++)
        points[k] = (size_t)VECTOR(p)[k];
    *bridge_count = (size_t)igraph_vector_int_size(&b);
    for (size_t k = 0; k < *bridge_count; k++) {
        igraph_integer_t x, y;
        assert_int_equal(igraph_edge(&g, VECTOR(b)[k], &x, &y), IGRAPH_SUCCESS);
        bridges[k] = (size_t)(x < y ? x * (igraph_integer_t)n + y
                                    : y * (igraph_integer_t)n + x);
    }
    qsort(points, *point_count, sizeof *points, size_cmp);
    qsort(bridges, *bridge_count, sizeof *bridges, size_cmp);
    igraph_vector_int_destroy(&p);
    igraph_vector_int_destroy(&b);
    igraph_destroy(&g);
}

/*
 * On random networks with and without mutual pairs: the load-time flag
 * equals igraph_has_mutual, and cy_structure_compute (direct or collapsed,
 * whichever the flag picks) finds the reference's sets, each bridge
 * oriented along a supply link (from the lower index for a mutual pair).
 */
static void test_random_against_reference(void **state)
{
    static const struct { unsigned seed; size_t n, extra, mutual; } cases[] = {
        {1, 60, 5, 0},    {2, 60, 5, 3},     {3, 300, 40, 0}, {4, 300, 40, 10},
        {5, 1000, 200, 0}, {6, 1000, 200, 1}, {7, 500, 0, 0},  {8, 200, 400, 0},
    };
    (void)state;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        size_t n = cases[c].n;
        cy_network *net = random_network(cases[c].seed, n, cases[c].extra, cases[c].mutual);
        size_t *points = calloc(n, sizeof *points), *bridges = calloc(n, sizeof *bridges);
        size_t *got = calloc(n, sizeof *got);
        size_t point_count, bridge_count;
        igraph_bool_t has_mutual;
        cy_structure s;
        cy_error err;

        assert_true(points && bridges && got);
        assert_int_equal(igraph_has_mutual(&net->firm_graph, &has_mutual, 0), IGRAPH_SUCCESS);
        assert_int_equal(net->firm_has_mutual, has_mutual ? 1 : 0);
        assert_int_equal(net->firm_has_mutual, cases[c].mutual > 0);
        reference(net, points, &point_count, bridges, &bridge_count);

        cy_error_init(&err);
        assert_int_equal(cy_structure_compute(net, &s, &err), CY_OK);
        assert_int_equal(s.articulation_point_count, point_count);
        memcpy(got, s.articulation_points, point_count * sizeof *got);
        qsort(got, point_count, sizeof *got, size_cmp);
        for (size_t k = 0; k < point_count; k++)
            assert_int_equal(got[k], points[k]);
        assert_int_equal(s.bridge_count, bridge_count);
        for (size_t k = 0; k < bridge_count; k++) {
            size_t from = s.bridges[k].from, to = s.bridges[k].to;
            igraph_integer_t forward, backward;
            assert_int_equal(igraph_get_eid(&net->firm_graph, &forward, (igraph_integer_t)from,
                                            (igraph_integer_t)to, IGRAPH_DIRECTED, 0),
                             IGRAPH_SUCCESS);
            assert_int_equal(igraph_get_eid(&net->firm_graph, &backward, (igraph_integer_t)to,
                                            (igraph_integer_t)from, IGRAPH_DIRECTED, 0),
                             IGRAPH_SUCCESS);
            assert_true(forward >= 0);
            if (backward >= 0)
                assert_true(from < to);
            got[k] = from < to ? from * n + to : to * n + from;
        }
        qsort(got, bridge_count, sizeof *got, size_cmp);
        for (size_t k = 0; k < bridge_count; k++)
            assert_int_equal(got[k], bridges[k]);
        /* Not vacuous: each case has bridges and articulation points. */
        assert_true(bridge_count > 0 && point_count > 0);
        cy_structure_destroy(&s);
        cy_error_destroy(&err);
        free(points);
        free(bridges);
        free(got);
        cy_network_free(net);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutual_pair_collapsed),
        cmocka_unit_test(test_no_mutual_pair_direct),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
