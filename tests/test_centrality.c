/*
 * test_centrality.c - every centrality measure against values computed by
 * hand or taken from the literature, on the small networks in graphs/
 * (graphs/README.md derives each expected value).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <igraph/igraph.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "chengyu.h"
#include "chengyu_test.h"
#include "internal.h"
#include "betweenness_internal.h"
#include "writer.h"
#include "helpers.h"

/* ---- fixtures --------------------------------------------------------- */

enum { PATH5, STAR, CYCLE, HITS, DIAMOND, GROUPS, KARATE, GRAPH_COUNT };
static const char *const graph_files[GRAPH_COUNT] = {
    "path5.json", "star.json", "cycle.json", "hits.json",
    "diamond.json", "groups.json", "karate.json"};

typedef struct {
    cy_network *net[GRAPH_COUNT];
} fixture;

static int setup_graphs(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    for (int g = 0; g < GRAPH_COUNT; g++) {
        char path[1024];
        cy_error err;
        cy_error_init(&err);
        snprintf(path, sizeof path, "%s/graphs/%s", CY_SOURCE_DIR, graph_files[g]);
        if (cy_network_load(path, NULL, &f->net[g], &err) != CY_OK) {
            fprintf(stderr, "cannot load %s\n", path);
            cy_error_destroy(&err);
            return -1;
        }
        cy_error_destroy(&err);
    }
    *state = f;
    return 0;
}

static int teardown_graphs(void **state)
{
    fixture *f = *state;
    for (int g = 0; g < GRAPH_COUNT; g++)
        cy_network_free(f->net[g]);
    free(f);
    return 0;
}

static cy_network *net_of(void **state, int g)
{
    return ((fixture *)*state)->net[g];
}

/* ---- helpers ------------------------------------------------------------ */

/* What to compute; every field left out means the default. */
typedef struct {
    const char *measures;
    int undirected, weighted, normalized;
    const char *by;  /* NULL (firms), "park", "cluster" or "region" */
    int exact;       /* approx_sources = 0 */
    long approx;     /* approx_sources = K when > 0, else automatic */
    uint64_t seed;
} run_spec;

#define SPEC(...) ((run_spec){__VA_ARGS__})

static cy_centrality_result *compute(const cy_network *net, run_spec spec,
                                     cy_error *err)
{
    cy_centrality_options o;
    cy_centrality_result *r = NULL;
    cy_centrality_options_init(&o);
    if (spec.measures)
        assert_int_equal(cy_measure_list_parse(spec.measures, o.measures,
                                               &o.measure_count, err), CY_OK);
    o.undirected = spec.undirected;
    o.weighted = spec.weighted;
    o.normalized = spec.normalized;
    if (spec.by) {
        size_t kind;
        for (kind = 0; kind < CY_GROUP_KIND_COUNT; kind++) {
            if (strcmp(cy_group_kind_name((cy_group_kind)kind), spec.by) == 0)
                break;
        }
        assert_true(kind < CY_GROUP_KIND_COUNT);
        o.group_kind = (int)kind;
    }
    o.approx_sources = spec.exact ? 0 : spec.approx > 0 ? spec.approx : -1;
    o.seed = spec.seed;
    assert_int_equal(cy_centrality_compute(net, &o, &r, err), CY_OK);
    assert_non_null(r);
    return r;
}

/* The value of `measure` in the row with id `id`. */
static double value(const cy_centrality_result *r, const char *id,
                    const char *measure)
{
    size_t k, i;
    for (k = 0; k < cy_centrality_measure_count(r); k++) {
        if (strcmp(cy_measure_name(cy_centrality_measure(r, k)), measure) == 0)
            break;
    }
    if (k == cy_centrality_measure_count(r))
        fail_msg("measure %s was not computed", measure);
    for (i = 0; i < cy_centrality_row_count(r); i++) {
        if (strcmp(cy_centrality_row_id(r, i), id) == 0)
            return cy_centrality_value(r, i, k);
    }
    fail_msg("no row %s", id);
    return NAN;
}

static void expect_near(double got, double want, double tolerance,
                        const char *what)
{
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    if (!(fabs(got - want) <= tolerance * scale))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

#define EXPECT(r, id, measure, want) \
    expect_near(value((r), (id), (measure)), (want), 1e-9, id " " measure)

static int has_warning(const cy_error *err, const char *needle)
{
    for (size_t i = 0; i < err->count; i++) {
        if (err->items[i].severity == CY_SEV_WARNING &&
            strstr(err->items[i].message, needle))
            return 1;
    }
    return 0;
}

/* Write `r` in `format` with default options. */
static cy_status write_format(const cy_centrality_result *r, cy_format format,
                              FILE *stream, cy_error *err)
{
    cy_write_options options;
    cy_write_options_init(&options, format);
    return cy_centrality_write(r, &options, stream, err);
}

static char *write_to_string(const cy_centrality_result *r, cy_format format)
{
    char *text = NULL;
    size_t size = 0;
    cy_error err;
    FILE *stream = open_memstream(&text, &size);
    assert_non_null(stream);
    cy_error_init(&err);
    assert_int_equal(write_format(r, format, stream, &err), CY_OK);
    cy_error_destroy(&err);
    assert_int_equal(fclose(stream), 0);
    return text;
}

static cy_network *load_text(const char *json)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    if (cy_network_load_buffer(json, strlen(json), "test", &net, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("inline network does not load");
    }
    cy_error_destroy(&err);
    return net;
}

#define ALL_MEASURES "degree,in_degree,out_degree,strength,betweenness,closeness," \
                     "harmonic,pagerank,eigenvector,hub,authority,coreness"

/* ---- parsing ------------------------------------------------------------- */

static void test_measure_list_parse(void **state)
{
    cy_measure m[CY_MEASURE_COUNT];
    size_t count;
    cy_error err;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_measure_list_parse(ALL_MEASURES, m, &count, &err), CY_OK);
    assert_int_equal(count, CY_MEASURE_COUNT);
    for (size_t k = 0; k < count; k++)
        assert_int_equal(m[k], (cy_measure)k);
    assert_int_equal(cy_measure_list_parse("pagerank,degree", m, &count, &err), CY_OK);
    assert_int_equal(count, 2);
    assert_int_equal(m[0], CY_MEASURE_PAGERANK);
    assert_int_equal(m[1], CY_MEASURE_DEGREE);
    assert_string_equal(cy_measure_name(CY_MEASURE_IN_DEGREE), "in_degree");

    assert_int_equal(cy_measure_list_parse("degree,pagerankk", m, &count, &err), CY_EUSAGE);
    assert_non_null(strstr(err.items[err.count - 1].message, "'pagerankk'"));
    assert_int_equal(cy_measure_list_parse("degree,,hub", m, &count, &err), CY_EUSAGE);
    assert_int_equal(cy_measure_list_parse("", m, &count, &err), CY_EUSAGE);
    assert_int_equal(cy_measure_list_parse("hub,authority,hub", m, &count, &err), CY_EUSAGE);
    assert_non_null(strstr(err.items[err.count - 1].message, "twice"));
    assert_int_equal(cy_measure_list_parse("Degree", m, &count, &err), CY_EUSAGE);
    cy_error_destroy(&err);
}

/* ---- path a -> b -> c -> d -> e ------------------------------------------ */

static void test_path_directed(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    r = compute(net_of(state, PATH5), SPEC(.measures = ALL_MEASURES), &err);

    /* Degrees: the ends have one neighbour, the inner vertices two. */
    EXPECT(r, "a", "degree", 1); EXPECT(r, "c", "degree", 2);
    EXPECT(r, "a", "in_degree", 0); EXPECT(r, "e", "in_degree", 1);
    EXPECT(r, "a", "out_degree", 1); EXPECT(r, "e", "out_degree", 0);
    EXPECT(r, "c", "strength", 2);  /* volume 1 in, 1 out */
    /* Betweenness: b lies on a->c, a->d, a->e; c on a->d, a->e, b->d, b->e. */
    EXPECT(r, "a", "betweenness", 0); EXPECT(r, "b", "betweenness", 3);
    EXPECT(r, "c", "betweenness", 4); EXPECT(r, "d", "betweenness", 3);
    EXPECT(r, "e", "betweenness", 0);
    /* Closeness over incoming distances, (r / sum d) (r / (n - 1)):
     * b: 1/1 * 1/4; c: 2/3 * 2/4; d: 3/6 * 3/4; e: 4/10 * 4/4; a: reached by
     * nobody -> 0. */
    EXPECT(r, "a", "closeness", 0); EXPECT(r, "b", "closeness", 0.25);
    EXPECT(r, "c", "closeness", 1.0 / 3); EXPECT(r, "d", "closeness", 0.375);
    EXPECT(r, "e", "closeness", 0.4);
    /* Harmonic: sum of 1/d over the vertices upstream. */
    EXPECT(r, "b", "harmonic", 1); EXPECT(r, "c", "harmonic", 1.5);
    EXPECT(r, "d", "harmonic", 11.0 / 6); EXPECT(r, "e", "harmonic", 25.0 / 12);
    /* PageRank by hand: e is dangling, so every vertex gets the same
     * u = (0.15 + 0.85 p_e) / 5 and then p_b = u + 0.85 p_a = 1.85 u,
     * p_c = u + 0.85 p_b = 2.5725 u, p_d = 3.186625 u, p_e = 3.70863125 u;
     * the sum is 12.31775625 u = 1. */
    {
        double u = 1 / 12.31775625;
        EXPECT(r, "a", "pagerank", u);
        EXPECT(r, "b", "pagerank", 1.85 * u);
        EXPECT(r, "c", "pagerank", 2.5725 * u);
        EXPECT(r, "d", "pagerank", 3.186625 * u);
        EXPECT(r, "e", "pagerank", 3.70863125 * u);
    }
    /* Acyclic: the adjacency matrix is nilpotent, eigenvector is 0. */
    EXPECT(r, "c", "eigenvector", 0);
    assert_true(has_warning(&err, "no cycle"));
    EXPECT(r, "c", "coreness", 1);
    assert_int_equal(cy_centrality_graph_info(r)->vertices, 5);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 4);
    assert_true(cy_centrality_graph_info(r)->directed);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

static void test_path_undirected(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    r = compute(net_of(state, PATH5), SPEC(.measures = ALL_MEASURES, .undirected = 1), &err);
    /* Each unordered pair counted once: the same 3, 4, 3. */
    EXPECT(r, "b", "betweenness", 3); EXPECT(r, "c", "betweenness", 4);
    EXPECT(r, "b", "in_degree", 2); /* = degree in the undirected view */
    /* c: distances 2, 1, 1, 2 -> 4/6; b: 1, 1, 2, 3 -> 4/7; a: 1+2+3+4 -> 4/10. */
    EXPECT(r, "c", "closeness", 4.0 / 6); EXPECT(r, "b", "closeness", 4.0 / 7);
    EXPECT(r, "a", "closeness", 0.4);
    EXPECT(r, "c", "harmonic", 3); EXPECT(r, "a", "harmonic", 25.0 / 12);
    /* The path's adjacency eigenvector is (1, sqrt 3, 2, sqrt 3, 1) / sqrt 12
     * for eigenvalue sqrt 3. */
    EXPECT(r, "a", "eigenvector", 1 / sqrt(12)); EXPECT(r, "b", "eigenvector", 0.5);
    EXPECT(r, "c", "eigenvector", 2 / sqrt(12));
    assert_false(cy_centrality_graph_info(r)->directed);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 4);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- star s1, s2 -> h -> c1, c2, c3 ------------------------------------ */

static void test_star(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    double u = 0.15 / 1.49925;
    cy_error_init(&err);
    r = compute(net_of(state, STAR), SPEC(.measures = ALL_MEASURES), &err);
    /* Directed: h lies on the 2 x 3 supplier -> customer paths only. */
    EXPECT(r, "h", "betweenness", 6); EXPECT(r, "s1", "betweenness", 0);
    EXPECT(r, "h", "degree", 5); EXPECT(r, "h", "in_degree", 2);
    EXPECT(r, "h", "strength", 2 + 2 + 3 + 3 + 3);
    /* PageRank by hand: customers dangle; u = p_s = (0.15 + 0.85 D) / 6,
     * p_h = u + 0.85 (2u) = 2.7u, p_c = u + 0.85 p_h / 3 = 1.765u,
     * D = 3 p_c = 5.295u, so 6u = 0.15 + 4.50075u, u = 0.15 / 1.49925. */
    EXPECT(r, "s1", "pagerank", u); EXPECT(r, "h", "pagerank", 2.7 * u);
    EXPECT(r, "c2", "pagerank", 1.765 * u);
    /* HITS: A A^T has eigenvalue 3 on h (three customers) and 2 on the
     * s1/s2 block, so the hub vector is h alone; authorities are h's
     * customers, 1/3 each. */
    EXPECT(r, "h", "hub", 1); EXPECT(r, "s1", "hub", 0);
    EXPECT(r, "c1", "authority", 1.0 / 3); EXPECT(r, "h", "authority", 0);
    /* Closeness: h is reached by s1, s2 at 1 -> (2/2)(2/5); c: s1, s2 at 2,
     * h at 1 -> (3/5)(3/5). */
    EXPECT(r, "h", "closeness", 0.4); EXPECT(r, "c3", "closeness", 0.36);
    EXPECT(r, "h", "coreness", 1);
    cy_centrality_free(r);

    r = compute(net_of(state, STAR), SPEC(.measures = "betweenness,degree,closeness", .undirected = 1), &err);
    EXPECT(r, "h", "betweenness", 10); /* C(5, 2) leaf pairs */
    EXPECT(r, "h", "closeness", 1);
    EXPECT(r, "c1", "closeness", 5.0 / 9); /* 1 + 2 x 4 */
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

static void test_normalized(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    /* n = 6: directed betweenness / (5 x 4); undirected x 2 / (5 x 4);
     * degrees and harmonic / 5. */
    r = compute(net_of(state, STAR), SPEC(.measures = "betweenness,degree,in_degree,harmonic,coreness", .normalized = 1), &err);
    EXPECT(r, "h", "betweenness", 6.0 / 20);
    EXPECT(r, "h", "degree", 1); EXPECT(r, "h", "in_degree", 0.4);
    EXPECT(r, "c1", "harmonic", 2.0 / 5); /* 1 + 1/2 + 1/2, over 5 */
    EXPECT(r, "h", "coreness", 1);        /* never scaled */
    assert_false(cy_centrality_measure_is_integer(r, 1));
    assert_true(cy_centrality_measure_is_integer(r, 4));
    assert_true(cy_centrality_graph_info(r)->normalized);
    cy_centrality_free(r);
    r = compute(net_of(state, STAR), SPEC(.measures = "betweenness", .normalized = 1, .undirected = 1), &err);
    EXPECT(r, "h", "betweenness", 1);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- directed cycle of five --------------------------------------------- */

static void test_cycle(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    r = compute(net_of(state, CYCLE), SPEC(.measures = "betweenness,closeness,harmonic,pagerank,eigenvector,coreness,degree"), &err);
    for (const char *id = "abcde"; *id; id++) {
        char name[2] = {*id, 0};
        /* Ordered pairs at distance k have k - 1 inner vertices: the 5 x
         * (0 + 1 + 2 + 3) = 30 inner positions are shared by 5 vertices. */
        expect_near(value(r, name, "betweenness"), 6, 1e-9, "cycle betweenness");
        expect_near(value(r, name, "closeness"), 0.4, 1e-9, "cycle closeness");
        expect_near(value(r, name, "harmonic"), 25.0 / 12, 1e-9, "cycle harmonic");
        expect_near(value(r, name, "pagerank"), 0.2, 1e-9, "cycle pagerank");
        expect_near(value(r, name, "eigenvector"), 1 / sqrt(5), 1e-9, "cycle eigenvector");
        expect_near(value(r, name, "coreness"), 2, 0, "cycle coreness");
    }
    assert_false(has_warning(&err, "no cycle"));
    cy_centrality_free(r);
    /* Undirected C5: 5 pairs at distance 2, one inner vertex each. */
    r = compute(net_of(state, CYCLE), SPEC(.measures = "betweenness", .undirected = 1), &err);
    EXPECT(r, "c", "betweenness", 1);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- HITS ------------------------------------------------------------------ */

static void test_hits_golden_ratio(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    /* h1 -> a1, h1 -> a2, h2 -> a1: A A^T = [[2, 1], [1, 1]] with leading
     * eigenvalue (3 + sqrt 5) / 2 and eigenvector (1, (sqrt 5 - 1) / 2), so
     * the hubs sum to 1 as (1/phi, 1/phi^2); authorities A^T h likewise. */
    double phi = (1 + sqrt(5)) / 2;
    cy_error_init(&err);
    r = compute(net_of(state, HITS), SPEC(.measures = "hub,authority"), &err);
    EXPECT(r, "h1", "hub", 1 / phi); EXPECT(r, "h2", "hub", 1 / (phi * phi));
    EXPECT(r, "a1", "hub", 0);
    EXPECT(r, "a1", "authority", 1 / phi); EXPECT(r, "a2", "authority", 1 / (phi * phi));
    EXPECT(r, "h1", "authority", 0);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- Zachary's karate club -------------------------------------------------- */

static void test_karate(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    double total = 0;
    static const char *const four_core[] = {"1", "2", "3", "4", "8", "9", "14", "31", "33", "34"};
    size_t core_histogram[5] = {0};

    cy_error_init(&err);
    r = compute(net_of(state, KARATE), SPEC(.measures = "betweenness,degree,coreness,pagerank,closeness,eigenvector", .undirected = 1), &err);
    assert_int_equal(cy_centrality_graph_info(r)->vertices, 34);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 78);
    /* Betweenness of the club's leaders (Zachary 1977 network; values of
     * Brandes' algorithm as tabulated e.g. in Newman, "Networks", and
     * NetworkX's gallery): instructor 1 = 231.0714, president 34 =
     * 160.5516, 33 = 76.6905, 3 = 75.8508, 32 = 73.0095. */
    assert_true(fabs(value(r, "1", "betweenness") - 231.0714) < 5e-5);
    assert_true(fabs(value(r, "34", "betweenness") - 160.5516) < 5e-5);
    assert_true(fabs(value(r, "33", "betweenness") - 76.6905) < 5e-5);
    assert_true(fabs(value(r, "3", "betweenness") - 75.8508) < 5e-5);
    assert_true(fabs(value(r, "32", "betweenness") - 73.0095) < 5e-5);
    /* ... and to the last digit as NetworkX 2.8.8 computes them. */
    expect_near(value(r, "1", "betweenness"), 231.07142857142857, 1e-12, "1 exact");
    expect_near(value(r, "34", "betweenness"), 160.5515873015873, 1e-12, "34");
    expect_near(value(r, "33", "betweenness"), 76.69047619047619, 1e-12, "33");
    expect_near(value(r, "3", "betweenness"), 75.85079365079366, 1e-12, "3");
    expect_near(value(r, "32", "betweenness"), 73.00952380952381, 1e-12, "32");
    /* Summed betweenness = sum over pairs of (d - 1) = 561 (L - 1) with the
     * club's mean distance L = 2.4082 (= 1351 / 561): 1351 - 561 = 790. */
    for (size_t i = 0; i < cy_centrality_row_count(r); i++) {
        total += cy_centrality_value(r, i, 0);
        core_histogram[(size_t)cy_centrality_value(r, i, 2)]++;
    }
    expect_near(total, 790, 1e-12, "total betweenness");
    EXPECT(r, "34", "degree", 17); EXPECT(r, "1", "degree", 16);
    /* The 4-core is the ten members around the two leaders; the core
     * numbers split 1/11/12/10 over k = 1..4 (NetworkX core_number agrees). */
    for (size_t k = 0; k < sizeof four_core / sizeof *four_core; k++)
        expect_near(value(r, four_core[k], "coreness"), 4, 0, four_core[k]);
    assert_int_equal(core_histogram[1], 1);
    assert_int_equal(core_histogram[2], 11);
    assert_int_equal(core_histogram[3], 12);
    assert_int_equal(core_histogram[4], 10);
    /* Member 1 reaches the other 33 with distances summing to 58. */
    EXPECT(r, "1", "closeness", 33.0 / 58);
    /* PageRank and eigenvector as NetworkX 2.8.8 gives them (pure-Python
     * power iteration to 1e-15, resp. eigenvector_centrality at 1e-12). */
    expect_near(value(r, "34", "pagerank"), 0.10091918233261699, 1e-9, "pr 34");
    expect_near(value(r, "1", "pagerank"), 0.09699728538830416, 1e-9, "pr 1");
    expect_near(value(r, "34", "eigenvector"), 0.3733634702989749, 1e-9, "ev 34");
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- weights -------------------------------------------------------------- */

static void test_weighted_diamond(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    /* Unweighted, the direct s -> t edge is the only shortest path. */
    r = compute(net_of(state, DIAMOND), SPEC(.measures = "betweenness,strength,pagerank"), &err);
    EXPECT(r, "x", "betweenness", 0); EXPECT(r, "y", "betweenness", 0);
    EXPECT(r, "x", "strength", 8); EXPECT(r, "t", "strength", 5);
    assert_false(has_warning(&err, "volume 0"));
    cy_centrality_free(r);
    /* Weighted: s -> t has volume 0 and is absent from path lengths; s-x-t
     * has length 1/4 + 1/4 < s-y-t's 1 + 1, so x carries the pair. */
    r = compute(net_of(state, DIAMOND), SPEC(.measures = "betweenness,closeness,pagerank", .weighted = 1), &err);
    EXPECT(r, "x", "betweenness", 1); EXPECT(r, "y", "betweenness", 0);
    /* t is reached by s (0.5), x (0.25), y (1): (3 / 1.75) (3 / 3). */
    EXPECT(r, "t", "closeness", 3 / 1.75);
    /* Weighted PageRank: s sends 4/5 to x, 1/5 to y, 0 to t; t dangles.
     * u = p_s, p_x = u + 0.85 x 0.8 u = 1.68u, p_y = 1.17u,
     * p_t = u + 0.85 (p_x + p_y) = 3.4225u; total 7.2725u = 1. */
    EXPECT(r, "s", "pagerank", 1 / 7.2725); EXPECT(r, "x", "pagerank", 1.68 / 7.2725);
    EXPECT(r, "y", "pagerank", 1.17 / 7.2725); EXPECT(r, "t", "pagerank", 3.4225 / 7.2725);
    assert_true(has_warning(&err, "1 of 5 edges have volume 0"));
    assert_int_equal(cy_centrality_graph_info(r)->zero_volume_edges, 1);
    assert_true(cy_centrality_graph_info(r)->weighted);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/*
 * Volumes in yuan make lengths 1/volume of about 1e-9.  s-a-t (volumes 1e9,
 * 1e9: length 2e-9) is shorter than s-b-t (0.99e9 each: 2.0202e-9) by 1 %,
 * so a alone carries the pair.  igraph keeps distances as d + 1 and compares
 * within 1e-10 relative, which would call these a tie (0.5 each) without
 * chengyu's rescaling of the lengths to >= 1.
 */
static void test_weighted_tiny_lengths(void **state)
{
    cy_network *net = load_text(
        "{\"format\":\"chengyu/1\",\"name\":\"tiny\",\"enterprises\":["
        "{\"id\":\"s\",\"kind\":\"material\"},{\"id\":\"a\",\"kind\":\"supplier\"},"
        "{\"id\":\"b\",\"kind\":\"supplier\"},{\"id\":\"t\",\"kind\":\"oem\"}],\"links\":["
        "{\"from\":\"s\",\"to\":\"a\",\"part\":\"p\",\"volume\":1e9},"
        "{\"from\":\"a\",\"to\":\"t\",\"part\":\"q\",\"volume\":1e9},"
        "{\"from\":\"s\",\"to\":\"b\",\"part\":\"p\",\"volume\":0.99e9},"
        "{\"from\":\"b\",\"to\":\"t\",\"part\":\"q\",\"volume\":0.99e9}]}");
    cy_error err;
    cy_centrality_result *r;
    (void)state;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "betweenness,closeness,harmonic", .weighted = 1), &err);
    EXPECT(r, "a", "betweenness", 1);
    EXPECT(r, "b", "betweenness", 0);
    /* Lengths are restored to 1/volume for closeness and harmonic:
     * t is reached from a (1e-9), b (1/0.99e9) and s (2e-9). */
    {
        double da = 1e-9, db = 1 / 0.99e9, ds = 2e-9;
        expect_near(value(r, "t", "harmonic"), 1 / da + 1 / db + 1 / ds, 1e-12, "harmonic t");
        expect_near(value(r, "t", "closeness"), 3 / (da + db + ds), 1e-12, "closeness t");
    }
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * The spectral measures do not depend on the unit of the volumes: the same
 * network with every volume multiplied by 2^600, 2^-600 or 1e200 gives the
 * same PageRank, eigenvector, hub and authority scores, directed and
 * undirected, within 1e-12 (ARPACK starts from a random vector, so two
 * runs on one network agree to about 1e-15, not bit for bit).  HITS
 * iterates on A^T A, the squares
 * of the volumes: 1e200 overflowed and 2^-600 underflowed there, and
 * igraph's ARPACK gave up ("Could not build an Arnoldi factorization").
 */
static cy_network *scaled_ring(double factor)
{
    static const double base[] = {1, 3, 2, 5, 0.5};
    char json[1024];
    snprintf(json, sizeof json,
             "{\"format\":\"chengyu/1\",\"name\":\"ring\",\"enterprises\":["
             "{\"id\":\"a\",\"kind\":\"supplier\"},{\"id\":\"b\",\"kind\":\"supplier\"},"
             "{\"id\":\"c\",\"kind\":\"supplier\"},{\"id\":\"d\",\"kind\":\"oem\"}],\"links\":["
             "{\"from\":\"a\",\"to\":\"b\",\"part\":\"p\",\"volume\":%.17g},"
             "{\"from\":\"b\",\"to\":\"c\",\"part\":\"q\",\"volume\":%.17g},"
             "{\"from\":\"c\",\"to\":\"a\",\"part\":\"r\",\"volume\":%.17g},"
             "{\"from\":\"a\",\"to\":\"c\",\"part\":\"q\",\"volume\":%.17g},"
             "{\"from\":\"c\",\"to\":\"d\",\"part\":\"s\",\"volume\":%.17g}]}",
             base[0] * factor, base[1] * factor, base[2] * factor,
             base[3] * factor, base[4] * factor);
    return load_text(json);
}

static void test_spectral_huge_volumes(void **state)
{
    static const char *ids[] = {"a", "b", "c", "d"};
    static const char *measures[] = {"pagerank", "eigenvector", "hub", "authority"};
    const double factors[] = {ldexp(1, 600), ldexp(1, -600), 1e200};
    cy_network *reference = scaled_ring(1);
    (void)state;

    for (int undirected = 0; undirected < 2; undirected++) {
        cy_error err;
        cy_centrality_result *want;
        cy_error_init(&err);
        want = compute(reference, SPEC(.measures = "pagerank,eigenvector,hub,authority",
                                       .weighted = 1, .undirected = undirected), &err);
        for (size_t f = 0; f < 3; f++) {
            cy_network *net = scaled_ring(factors[f]);
            cy_centrality_result *got = compute(
                net, SPEC(.measures = "pagerank,eigenvector,hub,authority",
                          .weighted = 1, .undirected = undirected), &err);
            for (size_t m = 0; m < 4; m++) {
                for (size_t i = 0; i < 4; i++) {
                    double w = value(want, ids[i], measures[m]);
                    double g = value(got, ids[i], measures[m]);
                    expect_near(g, w, 1e-12, measures[m]);
                }
            }
            cy_centrality_free(got);
            cy_network_free(net);
        }
        /* The reference itself: hub and authority are not all zero. */
        assert_true(value(want, "a", "hub") > 0.1 && value(want, "c", "authority") > 0.1);
        cy_centrality_free(want);
        cy_error_destroy(&err);
    }
    cy_network_free(reference);
}

/*
 * igraph's ARPACK wrappers fail with an empty reason; the message must
 * still say what gave up and why (it read "hub failed:  (Could not build
 * an Arnoldi factorization)").  The error is raised through igraph's own
 * igraph_error, as its ARPACK wrapper does, with the handler that
 * cy_library_init installs.
 */
static void test_arpack_failure_reason(void **state)
{
    cy_error err;
    char *line;
    (void)state;

    cy_library_init();
    cy_error_init(&err);
    igraph_error("", __FILE__, __LINE__, IGRAPH_ARPACK_NOFACT);
    assert_int_equal(cy_i_igraph_status(IGRAPH_ARPACK_NOFACT, &err, "hub"),
                     CY_EINTERNAL);
    line = cy_error_format(&err, 0);
    assert_string_equal(line, "hub failed: igraph's eigenvalue solver (ARPACK) "
                              "gave up: Could not build an Arnoldi factorization");
    cy_free(line);
    cy_error_clear(&err);
    igraph_error("bad vertex", __FILE__, __LINE__, IGRAPH_EINVVID);
    assert_int_equal(cy_i_igraph_status(IGRAPH_EINVVID, &err, "degree"),
                     CY_EINTERNAL);
    line = cy_error_format(&err, 0);
    assert_string_equal(line, "degree failed: bad vertex (Invalid vertex ID)");
    cy_free(line);
    cy_error_destroy(&err);
}

/* ---- groups ----------------------------------------------------------------- */

static void test_firm_graph_merges_parallel_links(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    /* f2 -> f3 has two links (volumes 7 and 3): one firm edge of volume 10. */
    r = compute(net_of(state, GROUPS), SPEC(.measures = "in_degree,strength,degree"), &err);
    EXPECT(r, "f3", "in_degree", 2);   /* distinct suppliers f1, f2 */
    EXPECT(r, "f3", "strength", 19);   /* 5 + 10 in, 4 out */
    EXPECT(r, "f2", "strength", 20);
    EXPECT(r, "f3", "degree", 3);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

static void test_group_contraction(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_error_init(&err);
    /* Parks: f1 -> f3 and f2 -> f3 give p1 -> p2 (5 + 10), f3 -> f5 and
     * f4 -> f5 give p2 -> p3 (4 + 6); f1 -> f2 stays inside p1, f6 has no
     * park; p4 has no member and stays isolated. */
    r = compute(net_of(state, GROUPS), SPEC(.measures = "degree,strength,betweenness,pagerank,in_degree", .by = "park"), &err);
    assert_int_equal(cy_centrality_row_count(r), 4);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 2);
    assert_string_equal(cy_centrality_graph_info(r)->view, "park");
    assert_string_equal(cy_centrality_row_kind(r, 0), "park");
    assert_string_equal(cy_centrality_row_name(r, 3), "Empty park");
    EXPECT(r, "p1", "strength", 15); EXPECT(r, "p2", "strength", 25);
    EXPECT(r, "p3", "strength", 10); EXPECT(r, "p4", "strength", 0);
    EXPECT(r, "p2", "degree", 2); EXPECT(r, "p4", "degree", 0);
    EXPECT(r, "p2", "betweenness", 1);
    EXPECT(r, "p2", "in_degree", 1);
    /* p3 and p4 dangle: u = (0.15 + 0.85 (p3 + p4)) / 4 = p1 = p4,
     * p2 = 1.85u, p3 = 2.5725u, total 6.4225u. */
    EXPECT(r, "p4", "pagerank", 1 / 6.4225); EXPECT(r, "p3", "pagerank", 2.5725 / 6.4225);
    cy_centrality_free(r);

    /* Clusters: f2 is in c1 and c2 and counts for both: c1 -> c2 from
     * f1->f2 (10), f1->f3 (5), f2->f3 (10), f5->f6 (1); c2 -> c1 from
     * f3->f5 (4); c1->c1 and c2->c2 pairs are dropped. */
    r = compute(net_of(state, GROUPS), SPEC(.measures = "degree,strength,out_degree", .by = "cluster"), &err);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 2);
    EXPECT(r, "c1", "strength", 30); EXPECT(r, "c2", "strength", 30);
    EXPECT(r, "c1", "degree", 2); EXPECT(r, "c1", "out_degree", 1);
    cy_centrality_free(r);
    r = compute(net_of(state, GROUPS), SPEC(.measures = "degree,strength", .by = "cluster", .undirected = 1), &err);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 1);
    EXPECT(r, "c1", "degree", 1); EXPECT(r, "c2", "strength", 30);
    cy_centrality_free(r);

    /* Regions: only f3 (r1) -> f5 (r2) crosses, volume 4. */
    r = compute(net_of(state, GROUPS), SPEC(.measures = "strength,in_degree", .by = "region"), &err);
    assert_int_equal(cy_centrality_graph_info(r)->edges, 1);
    EXPECT(r, "r1", "strength", 4); EXPECT(r, "r2", "in_degree", 1);
    assert_string_equal(cy_centrality_row_kind(r, 1), "region");
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- --top ----------------------------------------------------------------- */

static void test_top_order(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    static const char *const order[] = {"c", "b", "d", "a", "e"};
    cy_error_init(&err);

    /* Degree on the star: h (5), then the five leaves tied at 1, by id. */
    r = compute(net_of(state, STAR), SPEC(.measures = "degree,betweenness"), &err);
    assert_string_equal(cy_centrality_row_id(r, 0), "h"); /* file order */
    assert_string_equal(cy_centrality_row_id(r, 1), "s1");
    assert_int_equal(cy_centrality_keep_top(r, 3, &err), CY_OK);
    assert_int_equal(cy_centrality_row_count(r), 3);
    assert_string_equal(cy_centrality_row_id(r, 0), "h");
    assert_string_equal(cy_centrality_row_id(r, 1), "c1");
    assert_string_equal(cy_centrality_row_id(r, 2), "c2");
    expect_near(cy_centrality_value(r, 0, 1), 6, 0, "values follow their rows");
    cy_centrality_free(r);

    /* Betweenness on the path: c (4), b and d (3, by id), a and e (0). */
    r = compute(net_of(state, PATH5), SPEC(.measures = "betweenness"), &err);
    assert_int_equal(cy_centrality_keep_top(r, 0, &err), CY_OK);
    assert_int_equal(cy_centrality_row_count(r), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(cy_centrality_row_id(r, i), order[i]);
    assert_int_equal(cy_centrality_keep_top(r, 99, &err), CY_OK);
    assert_int_equal(cy_centrality_row_count(r), 5);
    assert_int_equal(cy_centrality_row_index(r, 0), 2);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- sampled betweenness ------------------------------------------------------ */

static void test_approx_k_equal_n_is_exact(void **state)
{
    cy_error err;
    cy_centrality_result *exact, *sampled;
    cy_error_init(&err);
    exact = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .exact = 1), &err);
    assert_int_equal(cy_centrality_graph_info(exact)->betweenness_sources, 0);
    for (long k = 34; k <= 100; k += 66) {
        sampled = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .approx = k, .seed = 7), &err);
        assert_int_equal(cy_centrality_graph_info(sampled)->betweenness_sources, 0);
        for (size_t i = 0; i < 34; i++)
            expect_near(cy_centrality_value(sampled, i, 0),
                        cy_centrality_value(exact, i, 0), 1e-12, "K >= n");
        cy_centrality_free(sampled);
    }
    cy_centrality_free(exact);
    cy_error_destroy(&err);
}

/*
 * With K = 1 the estimate is n x delta_s(v) for the one sampled source s:
 * it must equal n times one of the 34 single-source dependency vectors.
 */
static void test_approx_scaling(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    igraph_t g;
    igraph_vector_t dep;
    igraph_vector_int_t edges;
    const cy_network *net = net_of(state, KARATE);
    int matches = 0;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "betweenness", .undirected = 1, .approx = 1, .seed = 3), &err);
    assert_int_equal(cy_centrality_graph_info(r)->betweenness_sources, 1);
    assert_int_equal(igraph_vector_int_init(&edges, 0), IGRAPH_SUCCESS);
    for (size_t j = 0; j < cy_network_link_count(net); j++) {
        assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)cy_link_from(net, j)), 0);
        assert_int_equal(igraph_vector_int_push_back(&edges, (igraph_integer_t)cy_link_to(net, j)), 0);
    }
    assert_int_equal(igraph_create(&g, &edges, 34, IGRAPH_UNDIRECTED), IGRAPH_SUCCESS);
    assert_int_equal(igraph_vector_init(&dep, 0), IGRAPH_SUCCESS);
    for (igraph_integer_t s = 0; s < 34; s++) {
        int same = 1;
        assert_int_equal(igraph_betweenness_subset(&g, &dep, igraph_vss_all(), 0,
                                                   igraph_vss_1(s), igraph_vss_all(), NULL),
                         IGRAPH_SUCCESS);
        for (size_t v = 0; v < 34; v++)
            same &= fabs(cy_centrality_value(r, v, 0) - 34 * VECTOR(dep)[v]) < 1e-9;
        matches += same;
    }
    assert_true(matches >= 1);
    igraph_vector_destroy(&dep);
    igraph_vector_int_destroy(&edges);
    igraph_destroy(&g);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/*
 * Same seed, same sample; different seeds, different samples; and the
 * estimator is unbiased: over 400 seeds with K = 4 the mean estimate of
 * member 1's betweenness lies within 4 standard errors of 231.0714 (the
 * seeds are fixed, so this is deterministic, not a flaky check).
 */
static void test_approx_seeded_unbiased(void **state)
{
    cy_error err;
    cy_centrality_result *a, *b;
    double sum = 0, sum_sq = 0, mean, sd;
    int differ = 0;
    const int runs = 400;

    cy_error_init(&err);
    a = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .approx = 4, .seed = 11), &err);
    b = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .approx = 4, .seed = 11), &err);
    for (size_t i = 0; i < 34; i++)
        assert_true(cy_centrality_value(a, i, 0) == cy_centrality_value(b, i, 0));
    assert_int_equal(cy_centrality_graph_info(a)->betweenness_sources, 4);
    assert_int_equal(cy_centrality_graph_info(a)->seed, 11);
    cy_centrality_free(b);
    b = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .approx = 4, .seed = 12), &err);
    for (size_t i = 0; i < 34; i++)
        differ |= cy_centrality_value(a, i, 0) != cy_centrality_value(b, i, 0);
    assert_true(differ);
    cy_centrality_free(a);
    cy_centrality_free(b);

    for (int s = 0; s < runs; s++) {
        double x;
        a = compute(net_of(state, KARATE), SPEC(.measures = "betweenness", .undirected = 1, .approx = 4, .seed = (uint64_t)s), &err);
        x = value(a, "1", "betweenness");
        sum += x;
        sum_sq += x * x;
        cy_centrality_free(a);
    }
    mean = sum / runs;
    sd = sqrt((sum_sq - runs * mean * mean) / (runs - 1));
    if (fabs(mean - 231.07142857142857) > 4 * sd / sqrt(runs))
        fail_msg("mean of sampled estimates %g, sd %g, exact 231.07", mean, sd);
    cy_error_destroy(&err);
}

/*
 * Automatic sampling follows the estimated cost of the exact computation.
 * An in-star of 30,000 firms (every firm supplies the hub h): directed, a
 * search from a firm reaches only h, the cost is about 2 x 29,999 edge
 * visits and betweenness stays exact; undirected, every search reaches
 * everything, 30,000 x 29,999 = 9e8 > 5e8, so 256 sources are sampled and
 * a warning says so.  The hub's exact undirected betweenness is C(29999, 2)
 * = 449,955,001; each sampled leaf contributes (n - 2) / 2 to it, so the
 * estimate is n (n - 2) / 2 = 449,970,000 (or 255/256 of that if h itself is
 * drawn): within 1 %.
 */
static void test_approx_automatic(void **state)
{
    enum { FIRMS = 30000 };
    size_t cap = (size_t)FIRMS * 80 + 256, len = 0;
    char *json = malloc(cap);
    cy_network *net;
    cy_error err;
    cy_centrality_result *r;
    (void)state;

    assert_non_null(json);
    len += (size_t)snprintf(json + len, cap - len,
                            "{\"format\":\"chengyu/1\",\"name\":\"in-star\",\"enterprises\":["
                            "{\"id\":\"h\",\"kind\":\"oem\"}");
    for (int i = 1; i < FIRMS; i++)
        len += (size_t)snprintf(json + len, cap - len, ",{\"id\":\"f%d\",\"kind\":\"supplier\"}", i);
    len += (size_t)snprintf(json + len, cap - len, "],\"links\":[");
    for (int i = 1; i < FIRMS; i++)
        len += (size_t)snprintf(json + len, cap - len, "%s{\"from\":\"f%d\",\"to\":\"h\",\"part\":\"p\"}",
                                i > 1 ? "," : "", i);
    snprintf(json + len, cap - len, "]}");
    net = load_text(json);
    free(json);

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "betweenness"), &err);
    assert_false(cy_centrality_graph_info(r)->betweenness_auto);
    assert_int_equal(cy_centrality_graph_info(r)->betweenness_sources, 0);
    assert_false(has_warning(&err, "estimated"));
    EXPECT(r, "h", "betweenness", 0); /* a sink lies on no path */
    cy_centrality_free(r);

    r = compute(net, SPEC(.measures = "betweenness", .undirected = 1, .seed = 5), &err);
    assert_true(cy_centrality_graph_info(r)->betweenness_auto);
    assert_int_equal(cy_centrality_graph_info(r)->betweenness_sources, CY_CENTRALITY_AUTO_SOURCES);
    assert_true(has_warning(&err, "betweenness estimated from 256 of 30000 sources (seed 5)"));
    expect_near(value(r, "h", "betweenness"), 449955001.0, 0.01, "sampled hub");
    EXPECT(r, "f7", "betweenness", 0);
    cy_centrality_free(r);

    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- edge cases ------------------------------------------------------------ */

static void test_empty_and_groupless(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    cy_network *net = load_text("{\"format\":\"chengyu/1\",\"name\":\"empty\",\"enterprises\":[],\"links\":[]}");
    char *text;
    (void)state;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = ALL_MEASURES), &err);
    assert_int_equal(cy_centrality_row_count(r), 0);
    text = write_to_string(r, CY_FORMAT_CSV);
    assert_string_equal(text, "id,name,kind,degree,in_degree,out_degree,strength,betweenness,"
                              "closeness,harmonic,pagerank,eigenvector,hub,authority,coreness\n");
    free(text);
    text = write_to_string(r, CY_FORMAT_JSON);
    assert_non_null(strstr(text, "\"rows\": []}"));
    free(text);
    cy_centrality_free(r);
    r = compute(net, SPEC(.measures = "degree", .by = "park"), &err);
    assert_int_equal(cy_centrality_row_count(r), 0);
    assert_true(has_warning(&err, "no parks"));
    cy_centrality_free(r);
    cy_network_free(net);

    /* Firms without edges: eigenvector, hub and authority are 0, closeness
     * 0 (nobody reaches them), PageRank uniform. */
    net = load_text("{\"format\":\"chengyu/1\",\"name\":\"two\",\"enterprises\":["
                    "{\"id\":\"a\",\"kind\":\"oem\"},{\"id\":\"b\",\"kind\":\"oem\"}],\"links\":[]}");
    r = compute(net, SPEC(.measures = "eigenvector,hub,authority,closeness,pagerank,betweenness"), &err);
    EXPECT(r, "a", "eigenvector", 0); EXPECT(r, "a", "hub", 0);
    EXPECT(r, "b", "authority", 0); EXPECT(r, "b", "closeness", 0);
    EXPECT(r, "b", "pagerank", 0.5); EXPECT(r, "a", "betweenness", 0);
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

static void test_bad_options(void **state)
{
    cy_centrality_options o;
    /* Any non-NULL value: a failed call must reset *out to NULL. */
    cy_centrality_result *r = (cy_centrality_result *)&o;
    cy_error err;

    cy_error_init(&err);
    cy_centrality_options_init(&o);
    o.group_kind = 7;
    assert_int_equal(cy_centrality_compute(net_of(state, STAR), &o, &r, &err), CY_EUSAGE);
    assert_null(r);
    cy_centrality_options_init(&o);
    o.measures[0] = (cy_measure)99;
    assert_int_equal(cy_centrality_compute(net_of(state, STAR), &o, &r, &err), CY_EUSAGE);
    /* NULL options and no measures both mean the defaults. */
    assert_int_equal(cy_centrality_compute(net_of(state, STAR), NULL, &r, &err), CY_OK);
    assert_int_equal(cy_centrality_measure_count(r), 3);
    assert_int_equal(cy_centrality_measure(r, 1), CY_MEASURE_BETWEENNESS);
    cy_centrality_free(r);
    cy_centrality_options_init(&o);
    o.measure_count = 0;
    o.undirected = 1;
    assert_int_equal(cy_centrality_compute(net_of(state, STAR), &o, &r, &err), CY_OK);
    assert_int_equal(cy_centrality_measure_count(r), 3);
    EXPECT(r, "h", "betweenness", 10);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- writers ---------------------------------------------------------------- */

static const char *const awkward_json =
    "{\"format\":\"chengyu/1\",\"name\":\"awkward\",\"enterprises\":["
    "{\"id\":\"q\",\"name\":\"Quote \\\"A\\\", B\\nline\",\"kind\":\"supplier\"},"
    "{\"id\":\"cn\",\"name\":\"\\u957f\\u5b89\\u6c7d\\u8f66\",\"kind\":\"oem\"},"
    "{\"id\":\"esc\",\"name\":\"bell\\u0007\\u001b[31mred\",\"kind\":\"material\"}],"
    "\"links\":[{\"from\":\"q\",\"to\":\"cn\",\"part\":\"p\",\"volume\":0.1},"
    "{\"from\":\"esc\",\"to\":\"q\",\"part\":\"p\",\"volume\":2}]}";

static void test_write_csv(void **state)
{
    cy_network *net = load_text(awkward_json);
    cy_error err;
    cy_centrality_result *r;
    char *text;
    (void)state;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "degree,strength,pagerank"), &err);
    text = write_to_string(r, CY_FORMAT_CSV);
    /* RFC 4180 quoting; integers without a decimal point; reals in the
     * shortest form that reads back exactly (2 + 0.1 rounds to the double
     * nearest 2.1, printed "2.1"). */
    assert_non_null(strstr(text, "id,name,kind,degree,strength,pagerank\n"));
    assert_non_null(strstr(text, "\nq,\"Quote \"\"A\"\", B\nline\",supplier,2,2.1,"));
    assert_non_null(strstr(text, "\ncn,\xe9\x95\xbf\xe5\xae\x89\xe6\xb1\xbd\xe8\xbd\xa6,oem,1,0.1,"));
    /* Every value parses back to the same double. */
    {
        const char *line = strstr(text, "\ncn,");
        const char *last = strchr(line + 1, '\n');
        const char *comma = last;
        while (*(comma - 1) != ',')
            comma--;
        assert_true(strtod(comma, NULL) == value(r, "cn", "pagerank"));
    }
    free(text);
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/*
 * The writers spell the measures ahead of the writing, a window of
 * 16,384 rows at a time on the library's threads (report_centrality.c).
 * A path of 40,000 firms crosses the window twice; every value in the
 * CSV must be the one spelled here, one by one, from the result; the
 * CSV, JSON and table must be the same bytes on 1 and 3 threads and
 * when the window's memory cannot be had (its allocation fails: each
 * value is then spelled as it is reached).
 */
static void test_write_many_rows(void **state)
{
    enum { FIRMS = 40000 };
    static const cy_format formats[3] = {CY_FORMAT_CSV, CY_FORMAT_JSON, CY_FORMAT_TEXT};
    /* The window's allocation: the table's comes after its widths'. */
    static const long window_alloc[3] = {0, 0, 1};
    cy_r_buf json;
    cy_network *net;
    cy_centrality_result *r;
    cy_error err;
    (void)state;

    cy_r_buf_init(&json);
    cy_r_buf_puts(&json, "{\"format\": \"chengyu/1\", \"name\": \"path\", \"enterprises\": [");
    for (int i = 0; i < FIRMS; i++)
        cy_r_buf_printf(&json, "%s{\"id\": \"f%d\", \"kind\": \"%s\"}", i ? ", " : "", i,
                        i == FIRMS - 1 ? "oem" : "supplier");
    cy_r_buf_puts(&json, "], \"links\": [");
    for (int i = 0; i + 1 < FIRMS; i++)
        cy_r_buf_printf(&json, "%s{\"from\": \"f%d\", \"to\": \"f%d\", \"part\": \"p\", "
                        "\"volume\": %d}", i ? ", " : "", i, i + 1, 1 + i % 7);
    cy_r_buf_puts(&json, "]}");
    assert_false(json.oom);
    net = load_text(json.data);
    cy_r_buf_free(&json);
    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "degree,pagerank,strength"), &err);
    assert_int_equal(cy_centrality_row_count(r), FIRMS);
    for (int f = 0; f < 3; f++) {
        char *one, *other;
        cy_threads_set(1);
        one = write_to_string(r, formats[f]);
        cy_threads_set(3);
        other = write_to_string(r, formats[f]);
        assert_string_equal(one, other);
        free(other);
        cy_alloc_fail_after(window_alloc[f], 0);
        other = write_to_string(r, formats[f]);
        cy_alloc_fail_after(-1, 0);
        assert_string_equal(one, other);
        free(other);
        if (formats[f] == CY_FORMAT_CSV) {
            const char *line = strchr(one, '\n') + 1;
            for (size_t i = 0; i < FIRMS; i++) {
                char want[160], real[40], real2[40];
                cy_i_real_spell(real, cy_centrality_value(r, i, 1));
                cy_i_real_spell(real2, cy_centrality_value(r, i, 2));
                snprintf(want, sizeof want, "%s,%s,%s,%.0f,%s,%s\n", cy_centrality_row_id(r, i),
                         cy_centrality_row_name(r, i), cy_centrality_row_kind(r, i),
                         cy_centrality_value(r, i, 0), real, real2);
                assert_memory_equal(line, want, strlen(want));
                line += strlen(want);
            }
            assert_int_equal(*line, '\0');
        }
        free(one);
    }
    cy_threads_set(0);
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

static void test_write_json(void **state)
{
    cy_network *net = load_text(awkward_json);
    cy_error err;
    cy_centrality_result *r;
    json_t *doc, *rows, *row, *graph;
    json_error_t jerr;
    char *text;
    (void)state;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "degree,betweenness,pagerank", .approx = 2, .seed = 9), &err);
    assert_int_equal(cy_centrality_keep_top(r, 2, &err), CY_OK);
    text = write_to_string(r, CY_FORMAT_JSON);
    doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        fail_msg("output is not JSON: %s\n%s", jerr.text, text);
    graph = json_object_get(doc, "graph");
    assert_string_equal(json_string_value(json_object_get(graph, "view")), "firm");
    assert_int_equal(json_integer_value(json_object_get(graph, "vertices")), 3);
    assert_int_equal(json_integer_value(json_object_get(graph, "edges")), 2);
    assert_int_equal(json_integer_value(json_object_get(graph, "betweenness_sources")), 2);
    assert_int_equal(json_integer_value(json_object_get(graph, "seed")), 9);
    assert_true(json_is_true(json_object_get(graph, "directed")));
    assert_int_equal(json_array_size(json_object_get(doc, "measures")), 3);
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "measures"), 2)), "pagerank");
    rows = json_object_get(doc, "rows");
    assert_int_equal(json_array_size(rows), 2);
    row = json_array_get(rows, 0);
    /* --top 2 by degree: q (2), then cn and esc tie at 1 -> "cn". */
    assert_string_equal(json_string_value(json_object_get(row, "id")), "q");
    assert_string_equal(json_string_value(json_object_get(row, "name")), "Quote \"A\", B\nline");
    assert_string_equal(json_string_value(json_object_get(row, "kind")), "supplier");
    assert_true(json_is_integer(json_object_get(row, "degree")));
    assert_int_equal(json_integer_value(json_object_get(row, "degree")), 2);
    assert_true(json_is_real(json_object_get(row, "pagerank")));
    assert_true(json_real_value(json_object_get(row, "pagerank")) == value(r, "q", "pagerank"));
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "name")),
                        "\xe9\x95\xbf\xe5\xae\x89\xe6\xb1\xbd\xe8\xbd\xa6");
    json_decref(doc);
    free(text);
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

static void test_write_table(void **state)
{
    cy_network *net = load_text(awkward_json);
    cy_error err;
    cy_centrality_result *r;
    char *text;
    (void)state;

    cy_error_init(&err);
    r = compute(net, SPEC(.measures = "degree,strength"), &err);
    text = write_to_string(r, CY_FORMAT_TEXT);
    /* Columns line up in terminal cells: the four Chinese characters are 8
     * cells wide; control characters are shown as visible escapes, which
     * take their own width; reals in the one spelling of every format. */
    assert_string_equal(text,
        "id   name                 kind      degree  strength\n"
        "q    Quote \"A\", B\\nline   supplier       2       2.1\n"
        "cn   \xe9\x95\xbf\xe5\xae\x89\xe6\xb1\xbd\xe8\xbd\xa6             oem            1       0.1\n"
        "esc  bell\\x07\\x1B[31mred  material       1       2.0\n");
    free(text);
    cy_centrality_free(r);
    cy_network_free(net);

    /* A name longer than 40 cells is cut with an ellipsis. */
    net = load_text("{\"format\":\"chengyu/1\",\"name\":\"long\",\"enterprises\":["
                    "{\"id\":\"x\",\"name\":\"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\",\"kind\":\"oem\"}],\"links\":[]}");
    r = compute(net, SPEC(.measures = "degree"), &err);
    text = write_to_string(r, CY_FORMAT_TEXT);
    assert_non_null(strstr(text, "x   abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM\xe2\x80\xa6  oem"));
    free(text);
    cy_centrality_free(r);
    cy_network_free(net);
    cy_error_destroy(&err);
}

static void test_write_error(void **state)
{
    cy_error err;
    cy_centrality_result *r;
    struct stat st;
    FILE *full;
    (void)state;
    /* Only the real device: "w" on a missing /dev/full would create a
     * regular file there. */
    if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode) ||
        !(full = fopen("/dev/full", "r+")))
        skip();
    cy_error_init(&err);
    r = compute(net_of(state, KARATE), SPEC(.measures = "degree"), &err);
    setvbuf(full, NULL, _IONBF, 0);
    assert_int_equal(write_format(r, CY_FORMAT_CSV, full, &err), CY_EIO);
    fclose(full);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- progress and allocation failure ------------------------------------------- */

/* The measures in the order they were reported, and the last percentage
 * each one reported. */
typedef struct {
    int calls, measures;
    char order[8][16];
    double last[8];
} measure_log;

static void record_progress(const char *measure, double percent, void *data)
{
    measure_log *log = data;
    log->calls++;
    assert_true(percent >= 0 && percent <= 100);
    if (log->measures == 0 || strcmp(log->order[log->measures - 1], measure) != 0) {
        assert_true(log->measures < 8);
        assert_true(percent == 0); /* every measure starts at 0 */
        snprintf(log->order[log->measures++], sizeof log->order[0], "%s", measure);
    }
    log->last[log->measures - 1] = percent;
}

static void test_progress_callback(void **state)
{
    cy_centrality_options o;
    cy_centrality_result *r;
    cy_error err;
    measure_log log;

    memset(&log, 0, sizeof log);
    cy_error_init(&err);
    cy_centrality_options_init(&o);
    assert_int_equal(cy_measure_list_parse("pagerank,betweenness", o.measures, &o.measure_count, &err), CY_OK);
    o.progress = record_progress;
    o.progress_data = &log;
    assert_int_equal(cy_centrality_compute(net_of(state, KARATE), &o, &r, &err), CY_OK);
    assert_int_equal(log.measures, 2);
    assert_true(log.last[0] == 100 && log.last[1] == 100);
    assert_string_equal(log.order[0], "pagerank");
    assert_string_equal(log.order[1], "betweenness");
    /* Betweenness reports after its chunks too. */
    assert_true(log.calls > 4);
    cy_centrality_free(r);
    cy_error_destroy(&err);
}

/* ---- betweenness on several processes ------------------------------------ */

/*
 * On threads betweenness reports the estimated cost of the chunks
 * finished, as on one thread, not the share of chunks: the chunks are
 * handed out costliest first and one can cost 30 times another, and the
 * share of chunks (k of 32, scaled by 32/33: always 100 k / 33) would
 * tell --max-seconds a far longer run.  On a random layered network of
 * 3,000 firms the costs come from probe searches (reach times sources),
 * so a cost share falls on that grid only by accident; the calling
 * thread reports after its first run of chunks (the chunks take
 * milliseconds: the other thread cannot take them all first), so some
 * report must be off the grid.  And the shares never decrease.
 */
static void test_progress_threads_by_cost(void **state)
{
    cy_centrality_options o;
    cy_centrality_result *r;
    cy_network *net = random_dag(3u, 1, 3000);
    cy_error err;
    progress_log log = {.name = "betweenness"};
    int off_grid = 0;

    (void)state;
    cy_error_init(&err);
    cy_centrality_options_init(&o);
    assert_int_equal(cy_measure_list_parse("betweenness", o.measures, &o.measure_count, &err),
                     CY_OK);
    o.approx_sources = 0;
    o.progress = log_progress;
    o.progress_data = &log;
    cy_threads_set(2);
    assert_int_equal(cy_centrality_compute(net, &o, &r, &err), CY_OK);
    cy_threads_set(0);
    assert_false(log.other_name);
    /* At most a report per chunk and a few more: all of them kept. */
    assert_true(log.count >= 3 && log.count <= 64);
    for (size_t k = 0; k < log.count; k++) {
        double grid = log.percent[k] * 33 / 100;
        if (k > 0)
            assert_true(log.percent[k] >= log.percent[k - 1]);
        if (log.percent[k] > 0 && log.percent[k] < 100 && fabs(grid - round(grid)) > 1e-6)
            off_grid = 1;
    }
    if (!off_grid)
        fail_msg("every betweenness report of %zu was a share of chunks (100 k / 33)", log.count);
    cy_centrality_free(r);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- the walk's betweenness (betweenness_bfs.c) ------------------------- */

/* A small deterministic generator, so that the random graphs below are
 * the same on every machine. */
static unsigned walk_rand(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* A random graph of n vertices and m edges, self-loops and parallel
 * edges included (they are what the walk must count like igraph). */
static void random_multigraph(igraph_t *g, int n, int m, int directed, unsigned *seed)
{
    igraph_vector_int_t edges;
    assert_int_equal(igraph_vector_int_init(&edges, 2 * m), IGRAPH_SUCCESS);
    for (int e = 0; e < 2 * m; e++)
        VECTOR(edges)[e] = (igraph_integer_t)(walk_rand(seed) % (unsigned)n);
    assert_int_equal(igraph_create(g, &edges, n, directed), IGRAPH_SUCCESS);
    igraph_vector_int_destroy(&edges);
}

/* The walk's sums for `count` sources, twice over one scratch (which must
 * come back zero), against igraph_betweenness_subset: the same bits. */
static void check_walk_against_igraph(const igraph_t *g, int directed,
                                      const igraph_integer_t *src, size_t count, int round)
{
    size_t n = (size_t)igraph_vcount(g);
    cy_i_bfs_graph walk;
    cy_i_bfs_work work;
    igraph_vector_int_t sources;
    igraph_vector_t expected;
    double *out = calloc(n + 1, sizeof *out), *again = calloc(n + 1, sizeof *again);

    assert_non_null(out);
    assert_non_null(again);
    assert_true(cy_i_bfs_graph_init(&walk, g, directed));
    assert_true(cy_i_bfs_work_init(&work, n));
    cy_i_bfs_dependencies(&walk, &work, src, count, out);
    cy_i_bfs_dependencies(&walk, &work, src, count, again);
    igraph_vector_int_view(&sources, src, (igraph_integer_t)count);
    assert_int_equal(igraph_vector_init(&expected, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_betweenness_subset(g, &expected, igraph_vss_all(), directed,
                                               igraph_vss_vector(&sources), igraph_vss_all(),
                                               NULL),
                     IGRAPH_SUCCESS);
    for (size_t i = 0; i < n; i++) {
        double want = VECTOR(expected)[i];
        if (memcmp(&out[i], &want, sizeof want) != 0 || memcmp(&again[i], &want, sizeof want) != 0)
            fail_msg("round %d, vertex %zu: walk %.17g then %.17g, igraph %.17g", round, i,
                     out[i], again[i], want);
    }
    igraph_vector_destroy(&expected);
    cy_i_bfs_work_destroy(&work);
    cy_i_bfs_graph_destroy(&walk);
    free(out);
    free(again);
}

/*
 * 200 random multigraphs (1-40 vertices, up to 4 edges per vertex, loops
 * and parallel edges), directed and undirected, walked along and both
 * ways, from every vertex and from random source lists (repeats
 * included): the walk gives igraph's bits.
 */
static void test_walk_matches_igraph(void **state)
{
    unsigned seed = 20261207u;
    (void)state;
    for (int round = 0; round < 200; round++) {
        int n = 1 + (int)(walk_rand(&seed) % 40), m = (int)(walk_rand(&seed) % (unsigned)(4 * n + 1));
        int graph_directed = round % 3 != 0, walk_directed = round % 2 == 0;
        igraph_integer_t src[64];
        size_t count = 0;
        igraph_t g;

        random_multigraph(&g, n, m, graph_directed, &seed);
        if (round % 4 == 1) {
            count = 1 + walk_rand(&seed) % 64;
            for (size_t k = 0; k < count; k++)
                src[k] = (igraph_integer_t)(walk_rand(&seed) % (unsigned)n);
        } else {
            for (int v = 0; v < n; v++)
                src[count++] = v;
        }
        check_walk_against_igraph(&g, walk_directed, src, count, round);
        igraph_destroy(&g);
    }
}

/*
 * Brute force, independent of Brandes: on small random multigraphs the
 * distances d and shortest-path counts s (parallel edges multiply them)
 * come from the edge counts A level by level,
 *   s(a, b) = sum over u with d(a, u) = d(a, b) - 1 of s(a, u) A[u][b],
 * and the betweenness of v is the sum over sources a and targets b, both
 * other than v and each other, with d(a, v) + d(v, b) = d(a, b), of
 * s(a, v) s(v, b) / s(a, b); halved when the walk goes both ways.
 */
#define BRUTE_MAX 9
static void brute_betweenness(const igraph_t *g, int both, double *score)
{
    int n = (int)igraph_vcount(g), d[BRUTE_MAX][BRUTE_MAX];
    double a[BRUTE_MAX][BRUTE_MAX] = {{0}}, s[BRUTE_MAX][BRUTE_MAX] = {{0}};

    for (igraph_integer_t e = 0; e < igraph_ecount(g); e++) {
        int u = (int)IGRAPH_FROM(g, e), v = (int)IGRAPH_TO(g, e);
        if (u == v)
            continue;
        a[u][v] += 1;
        if (both)
            a[v][u] += 1;
    }
    for (int x = 0; x < n; x++) {
        for (int y = 0; y < n; y++)
            d[x][y] = x == y ? 0 : -1;
        s[x][x] = 1;
        for (int level = 1; level < n; level++)
            for (int y = 0; y < n; y++) {
                double paths = 0;
                if (d[x][y] >= 0)
                    continue;
                for (int u = 0; u < n; u++)
                    if (d[x][u] == level - 1)
                        paths += s[x][u] * a[u][y];
                if (paths > 0) {
                    d[x][y] = level;
                    s[x][y] = paths;
                }
            }
    }
    for (int v = 0; v < n; v++) {
        score[v] = 0;
        for (int x = 0; x < n; x++)
            for (int y = 0; y < n; y++)
                if (x != v && y != v && x != y && d[x][v] > 0 && d[v][y] > 0 &&
                    d[x][y] == d[x][v] + d[v][y])
                    score[v] += s[x][v] * s[v][y] / s[x][y];
        if (both)
            score[v] /= 2;
    }
}

static void test_walk_matches_brute_force(void **state)
{
    unsigned seed = 7u;
    (void)state;
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)(walk_rand(&seed) % BRUTE_MAX), m = (int)(walk_rand(&seed) % (unsigned)(3 * n + 1));
        int graph_directed = round % 3 != 0, walk_directed = round % 2 == 0;
        int both = !(graph_directed && walk_directed);
        igraph_integer_t src[BRUTE_MAX];
        double want[BRUTE_MAX], got[BRUTE_MAX];
        cy_i_bfs_graph walk;
        cy_i_bfs_work work;
        igraph_t g;

        random_multigraph(&g, n, m, graph_directed, &seed);
        for (int v = 0; v < n; v++)
            src[v] = v;
        brute_betweenness(&g, both, want);
        assert_true(cy_i_bfs_graph_init(&walk, &g, walk_directed));
        assert_true(cy_i_bfs_work_init(&work, (size_t)n));
        cy_i_bfs_dependencies(&walk, &work, src, (size_t)n, got);
        for (int v = 0; v < n; v++)
            if (fabs(got[v] - want[v]) > 1e-9 * (1 + fabs(want[v])))
                fail_msg("round %d, vertex %d: walk %.17g, brute force %.17g", round, v,
                         got[v], want[v]);
        cy_i_bfs_work_destroy(&work);
        cy_i_bfs_graph_destroy(&walk);
        igraph_destroy(&g);
    }
}

/*
 * cy_i_bfs_betweenness, the attacks' betweenness: below 256 vertices one
 * pass with igraph_betweenness's bits; from 256 the 32 chunks really run
 * on 2 and 7 threads (the loop's workers are counted) and give the same
 * bits as on one, within 1e-12 of igraph's one-pass sum.  Random
 * multigraphs, directed graphs walked both ways and along their edges.
 */
static void test_walk_betweenness_threads(void **state)
{
    static const size_t threads[] = {1, 2, 7};
    static const int sizes[] = {60, 255, 256, 700};
    unsigned seed = 99u;
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        for (int directed = 0; directed < 2; directed++) {
            int n = sizes[s];
            igraph_t g;
            igraph_vector_t expected;
            double *got[3];
            cy_error err;

            cy_error_init(&err);
            random_multigraph(&g, n, 2 * n, 1, &seed);
            assert_int_equal(igraph_vector_init(&expected, 0), IGRAPH_SUCCESS);
            assert_int_equal(igraph_betweenness(&g, &expected, igraph_vss_all(), directed, NULL),
                             IGRAPH_SUCCESS);
            for (size_t t = 0; t < 3; t++) {
                got[t] = calloc((size_t)n, sizeof *got[t]);
                assert_non_null(got[t]);
                cy_threads_set(threads[t]);
                (void)cy_i_bfs_workers_seen();
                assert_int_equal(cy_i_bfs_betweenness(&g, directed, got[t], &err), CY_OK);
                assert_int_equal(cy_i_bfs_workers_seen(),
                                 n >= CY_I_BFS_CHUNKED_MIN ? threads[t] : 0);
            }
            cy_threads_set(0);
            for (int v = 0; v < n; v++) {
                double want = VECTOR(expected)[v];
                if (n < CY_I_BFS_CHUNKED_MIN ? memcmp(&got[0][v], &want, sizeof want) != 0
                                             : fabs(got[0][v] - want) > 1e-12 * (1 + want))
                    fail_msg("n %d, directed %d, vertex %d: walk %.17g, igraph %.17g", n,
                             directed, v, got[0][v], want);
                for (size_t t = 1; t < 3; t++)
                    if (memcmp(&got[0][v], &got[t][v], sizeof want) != 0)
                        fail_msg("n %d, vertex %d: %zu threads %.17g, one %.17g", n, v,
                                 threads[t], got[t][v], got[0][v]);
            }
            for (size_t t = 0; t < 3; t++)
                free(got[t]);
            igraph_vector_destroy(&expected);
            igraph_destroy(&g);
            cy_error_destroy(&err);
        }
    }
}

/* cy_i_bfs_betweenness or cy_i_bfs_reach_all on g into out. */
typedef cy_status (*walk_run)(const igraph_t *g, void *out, cy_error *err);

/* Every allocation of `run` failing in turn: CY_ENOMEM with its message,
 * until it succeeds; returns how many allocations it took. */
static long fail_each_allocation(walk_run run, const igraph_t *g, void *out)
{
    long k;
    for (k = 0;; k++) {
        cy_error err;
        cy_status status;
        cy_error_init(&err);
        cy_alloc_fail_after(k, 0);
        status = run(g, out, &err);
        cy_alloc_fail_after(-1, 0);
        if (status != CY_OK) {
            assert_int_equal(status, CY_ENOMEM);
            /* Recording the message may itself have run out (err.oom). */
            assert_true(err.oom || (err.count > 0 &&
                                    strstr(err.items[err.count - 1].message, "out of memory")));
        }
        cy_error_destroy(&err);
        if (status == CY_OK)
            return k;
    }
}

static cy_status run_betweenness(const igraph_t *g, void *out, cy_error *err)
{
    return cy_i_bfs_betweenness(g, 0, out, err);
}

/* Every allocation of cy_i_bfs_betweenness failing in turn, on a graph
 * that takes the chunked path. */
static void test_walk_betweenness_allocation_failures(void **state)
{
    unsigned seed = 5u;
    igraph_t g;
    double out[300];
    (void)state;

    random_multigraph(&g, 300, 600, 0, &seed);
    /* src, 2 x 5 of the walk, slots, scratch */
    assert_true(fail_each_allocation(run_betweenness, &g, out) >= 8);
    igraph_destroy(&g);
}

/* cy_i_bfs_reach_all on `threads` threads into a fresh array. */
static cy_i_bfs_reach *reach_on(const igraph_t *g, size_t threads)
{
    size_t n = (size_t)igraph_vcount(g);
    cy_i_bfs_reach *out = calloc(cy_i_bfs_reach_room(n) + 1, sizeof *out);
    cy_error err;

    assert_non_null(out);
    cy_error_init(&err);
    cy_threads_set(threads);
    assert_int_equal(cy_i_bfs_reach_all(g, 1, out, NULL, NULL, "closeness", &err), CY_OK);
    cy_threads_set(0);
    cy_error_destroy(&err);
    return out;
}

/* Two doubles with the same bits (NaN included). */
static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

/*
 * The searches of closeness and harmonic centrality against igraph's own
 * (IN mode, unweighted, 0.10): on random multigraphs with loops and
 * parallel edges, directed and undirected, below and above the threaded
 * size, on 1, 2 and 7 threads, the normalized closeness reached /
 * distances (NaN for a vertex nothing reaches), the counts reached and
 * the harmonic sums have igraph's bits.
 */
static void test_reach_matches_igraph(void **state)
{
    static const size_t threads[] = {1, 2, 7};
    unsigned seed = 41u;
    (void)state;
    for (int round = 0; round < 120; round++) {
        int n = round % 20 == 19 ? 300 + (int)(walk_rand(&seed) % 500)
                                 : 1 + (int)(walk_rand(&seed) % 40);
        int m = (int)(walk_rand(&seed) % (unsigned)(3 * n + 1));
        igraph_vector_t closeness, harmonic;
        igraph_vector_int_t reached;
        igraph_t g;

        random_multigraph(&g, n, m, round % 3 != 0, &seed);
        assert_int_equal(igraph_vector_init(&closeness, 0), IGRAPH_SUCCESS);
        assert_int_equal(igraph_vector_init(&harmonic, 0), IGRAPH_SUCCESS);
        assert_int_equal(igraph_vector_int_init(&reached, 0), IGRAPH_SUCCESS);
        assert_int_equal(igraph_closeness(&g, &closeness, &reached, NULL, igraph_vss_all(),
                                          IGRAPH_IN, NULL, 1),
                         IGRAPH_SUCCESS);
        assert_int_equal(igraph_harmonic_centrality(&g, &harmonic, igraph_vss_all(),
                                                    IGRAPH_IN, NULL, 0),
                         IGRAPH_SUCCESS);
        for (size_t t = 0; t < 3; t++) {
            cy_i_bfs_reach *got = reach_on(&g, threads[t]);
            for (int v = 0; v < n; v++) {
                double c = got[v].distances == 0 ? IGRAPH_NAN
                                                 : (double)got[v].reached / got[v].distances;
                if (!same_bits(c, VECTOR(closeness)[v]) ||
                    !same_bits(got[v].inverses, VECTOR(harmonic)[v]) ||
                    (igraph_integer_t)got[v].reached != VECTOR(reached)[v])
                    fail_msg("round %d, %zu threads, vertex %d: closeness %.17g harmonic "
                             "%.17g reached %zu; igraph %.17g %.17g %ld",
                             round, threads[t], v, c, got[v].inverses, got[v].reached,
                             VECTOR(closeness)[v], VECTOR(harmonic)[v],
                             (long)VECTOR(reached)[v]);
            }
            free(got);
        }
        igraph_vector_destroy(&closeness);
        igraph_vector_destroy(&harmonic);
        igraph_vector_int_destroy(&reached);
        igraph_destroy(&g);
    }
}

/*
 * The same searches against distances found without a search: on small
 * random multigraphs, d(u, v) is the least k with (A^k)[u][v] > 0 (A the
 * edge counts, both ways on an undirected graph), and the reach of v is
 * the count of u != v at a finite distance, the sum of those distances
 * and of their inverses.
 */
static void test_reach_matches_brute_force(void **state)
{
    unsigned seed = 1207u;
    (void)state;
    for (int round = 0; round < 300; round++) {
        int n = 1 + (int)(walk_rand(&seed) % BRUTE_MAX), m = (int)(walk_rand(&seed) % (unsigned)(3 * n + 1));
        int directed = round % 3 != 0;
        int a[BRUTE_MAX][BRUTE_MAX] = {{0}}, d[BRUTE_MAX][BRUTE_MAX];
        cy_i_bfs_reach *got;
        igraph_t g;

        random_multigraph(&g, n, m, directed, &seed);
        for (igraph_integer_t e = 0; e < igraph_ecount(&g); e++) {
            int u = (int)IGRAPH_FROM(&g, e), v = (int)IGRAPH_TO(&g, e);
            a[u][v] = 1;
            if (!directed)
                a[v][u] = 1;
        }
        for (int u = 0; u < n; u++)
            for (int v = 0; v < n; v++)
                d[u][v] = u == v ? 0 : a[u][v] ? 1 : -1;
        /* Relax through every intermediate vertex (Floyd and Warshall). */
        for (int k = 0; k < n; k++)
            for (int u = 0; u < n; u++)
                for (int v = 0; v < n; v++)
                    if (d[u][k] >= 0 && d[k][v] >= 0 &&
                        (d[u][v] < 0 || d[u][k] + d[k][v] < d[u][v]))
                        d[u][v] = d[u][k] + d[k][v];
        got = reach_on(&g, 1);
        for (int v = 0; v < n; v++) {
            size_t count = 0;
            double sum = 0, inverses = 0;
            for (int u = 0; u < n; u++)
                if (u != v && d[u][v] > 0) {
                    count++;
                    sum += d[u][v];
                    inverses += 1.0 / d[u][v];
                }
            if (got[v].reached != count || got[v].distances != sum ||
                fabs(got[v].inverses - inverses) > 1e-12 * (1 + inverses))
                fail_msg("round %d, vertex %d: reached %zu, sum %.17g, inverses %.17g; "
                         "brute force %zu %.17g %.17g",
                         round, v, got[v].reached, got[v].distances, got[v].inverses, count,
                         sum, inverses);
        }
        free(got);
        igraph_destroy(&g);
    }
}

/* Closeness and harmonic of `net` (firms, directed, unweighted) from
 * cy_centrality_compute against igraph's calls on the firm graph with
 * centrality.c's conventions applied, bit for bit. */
static void check_reach_measures(const cy_network *net, int normalized, size_t threads)
{
    igraph_integer_t n = igraph_vcount(&net->firm_graph);
    igraph_vector_t closeness, harmonic;
    igraph_vector_int_t reached;
    cy_centrality_result *r;
    cy_error err;

    assert_int_equal(igraph_vector_init(&closeness, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_vector_init(&harmonic, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_vector_int_init(&reached, 0), IGRAPH_SUCCESS);
    assert_int_equal(igraph_closeness(&net->firm_graph, &closeness, &reached, NULL,
                                      igraph_vss_all(), IGRAPH_IN, NULL, 1),
                     IGRAPH_SUCCESS);
    assert_int_equal(igraph_harmonic_centrality(&net->firm_graph, &harmonic, igraph_vss_all(),
                                                IGRAPH_IN, NULL, normalized),
                     IGRAPH_SUCCESS);
    cy_error_init(&err);
    cy_threads_set(threads);
    r = compute(net, SPEC(.measures = "closeness,harmonic", .normalized = normalized), &err);
    cy_threads_set(0);
    for (igraph_integer_t v = 0; v < n; v++) {
        const char *id = net->enterprises[v].id;
        double k = (double)VECTOR(reached)[v];
        /* compute_closeness: igraph's normalized value times r / (n - 1). */
        double c = k > 0 ? VECTOR(closeness)[v] * 1.0 * k / (double)(n - 1) : 0.0;
        if (!same_bits(value(r, id, "closeness"), c) ||
            !same_bits(value(r, id, "harmonic"), VECTOR(harmonic)[v]))
            fail_msg("%s, normalized %d, %zu threads: closeness %.17g harmonic %.17g; "
                     "igraph %.17g %.17g", id, normalized, threads, value(r, id, "closeness"),
                     value(r, id, "harmonic"), c, VECTOR(harmonic)[v]);
    }
    cy_centrality_free(r);
    cy_error_destroy(&err);
    igraph_vector_destroy(&closeness);
    igraph_vector_destroy(&harmonic);
    igraph_vector_int_destroy(&reached);
}

/*
 * What `centrality -m closeness,harmonic` prints is igraph's closeness and
 * harmonic centrality with chengyu's conventions, to the last bit: on the
 * karate club (one thread's path) and the regional preset (1,645 firms, on
 * 1 and 2 threads), plain and --normalized.
 */
static void test_reach_measures_match_igraph(void **state)
{
    cy_generate_params params = {CY_PRESET_REGIONAL, 3, 0, 0, 0};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    cy_network *regional = NULL;
    cy_error err;

    assert_non_null(out);
    cy_error_init(&err);
    assert_int_equal(cy_generate(&params, out, &err), CY_OK);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(cy_network_load_buffer(text, size, "regional", &regional, &err), CY_OK);
    cy_error_destroy(&err);
    for (int normalized = 0; normalized < 2; normalized++) {
        check_reach_measures(net_of(state, KARATE), normalized, 1);
        check_reach_measures(regional, normalized, 1);
        check_reach_measures(regional, normalized, 2);
    }
    cy_network_free(regional);
    free(text);
}

static cy_status run_reach(const igraph_t *g, void *out, cy_error *err)
{
    return cy_i_bfs_reach_all(g, 1, out, NULL, NULL, "harmonic", err);
}

/* Every allocation of cy_i_bfs_reach_all failing in turn, on a graph that
 * takes the threaded path. */
static void test_reach_allocation_failures(void **state)
{
    unsigned seed = 6u;
    cy_i_bfs_reach out[400];
    igraph_t g;
    (void)state;

    random_multigraph(&g, 400, 900, 1, &seed);
    /* 2 x 5 of the walk, scratch */
    assert_true(fail_each_allocation(run_reach, &g, out) >= 8);
    igraph_destroy(&g);
}

/*
 * Betweenness on 1, 2 and 7 threads (unweighted: threads sharing one
 * walk; weighted: forked workers, centrality.c), each claiming chunks of
 * sources: the same bits, weighted on the diamond, directed on the group
 * network, undirected on the karate club (34 sources: 32 chunks of one
 * or two), exact and sampled.
 */
static void test_betweenness_processes(void **state)
{
    static const struct {
        int graph;
        run_spec spec;
    } cases[] = {
        {KARATE, {.measures = "betweenness", .undirected = 1, .exact = 1}},
        {KARATE, {.measures = "betweenness", .undirected = 1, .approx = 20, .seed = 3}},
        {DIAMOND, {.measures = "betweenness", .weighted = 1, .exact = 1}},
        {GROUPS, {.measures = "betweenness,degree", .exact = 1}},
    };
    static const size_t threads[] = {2, 7};

    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cy_error err;
        cy_centrality_result *one, *more;
        size_t rows;
        cy_error_init(&err);
        cy_threads_set(1);
        one = compute(net_of(state, cases[k].graph), cases[k].spec, &err);
        rows = cy_centrality_row_count(one);
        assert_true(rows > 0);
        for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
            cy_threads_set(threads[t]);
            more = compute(net_of(state, cases[k].graph), cases[k].spec, &err);
            assert_int_equal(cy_centrality_row_count(more), rows);
            for (size_t i = 0; i < rows; i++) {
                double a = cy_centrality_value(one, i, 0), b = cy_centrality_value(more, i, 0);
                if (memcmp(&a, &b, sizeof a) != 0)
                    fail_msg("case %zu, %zu threads, row %zu: %.17g, one thread %.17g", k,
                             threads[t], i, b, a);
            }
            cy_centrality_free(more);
        }
        cy_centrality_free(one);
        cy_error_destroy(&err);
    }
    cy_threads_set(0);
}

#ifdef __linux__
/* A progress callback that ends the process in the middle of betweenness,
 * as chengyu's --max-seconds does. */
static void exit_in_betweenness(const char *measure, double percent, void *data)
{
    (void)data;
    if (strcmp(measure, "betweenness") == 0 && percent > 0 && percent < 100)
        exit(3);
}

/*
 * A progress callback that exits while betweenness workers run must not
 * leave a worker behind, running or unreaped: weighted betweenness forks
 * worker processes, unweighted runs on threads (which end with the
 * process).  The test process becomes a subreaper, so that an orphaned
 * worker would become its child: after the computing child has exited,
 * it must have no child left at all.  Karate has no volumes, so weighted
 * it keeps no edge, but its 34 sources are chunked and forked all the same.
 */
static void betweenness_exit_case(void **state, int weighted)
{
    pid_t child, got;
    int status = 0;

    fflush(NULL);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        cy_centrality_options o;
        cy_centrality_result *r = NULL;
        cy_error err;
        cy_error_init(&err);
        cy_centrality_options_init(&o);
        if (cy_measure_list_parse("betweenness", o.measures, &o.measure_count, &err) != CY_OK)
            _exit(1);
        o.undirected = 1;
        o.weighted = weighted;
        o.approx_sources = 0;
        o.progress = exit_in_betweenness;
        cy_threads_set(7);
        cy_centrality_compute(net_of(state, KARATE), &o, &r, &err);
        _exit(0); /* the callback never ran */
    }
    while ((got = waitpid(child, &status, 0)) < 0 && errno == EINTR)
        ;
    assert_int_equal(got, child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    /* No worker left: no child, not even a zombie. */
    got = waitpid(-1, &status, WNOHANG);
    if (got != -1 || errno != ECHILD) {
        while (waitpid(-1, NULL, 0) > 0) /* reap before failing */
            ;
        prctl(PR_SET_CHILD_SUBREAPER, 0);
        fail_msg("a betweenness worker outlived its parent (weighted %d, waitpid: %d)",
                 weighted, (int)got);
    }
}

static void test_betweenness_exit_leaves_no_worker(void **state)
{
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    betweenness_exit_case(state, 1);
    betweenness_exit_case(state, 0);
    assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 0), 0);
}
#endif

/*
 * Make every allocation of compute + sort + JSON/CSV writing fail in turn:
 * each run must end in CY_OK or a clean CY_ENOMEM (ASan checks for leaks).
 */
static void test_allocation_failures(void **state)
{
    cy_centrality_options o;
    long n;
    int succeeded = 0;

    cy_centrality_options_init(&o);
    {
        cy_error err;
        cy_error_init(&err);
        assert_int_equal(cy_measure_list_parse("degree,betweenness,hub,strength", o.measures,
                                               &o.measure_count, &err), CY_OK);
        cy_error_destroy(&err);
    }
    o.group_kind = CY_GROUP_CLUSTER;
    o.undirected = 1;
    for (n = 0; n < 10000 && !succeeded; n++) {
        cy_centrality_result *r = NULL;
        cy_error err;
        cy_status status;
        char *text = NULL;
        size_t size = 0;
        FILE *stream = open_memstream(&text, &size);
        assert_non_null(stream);

        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_centrality_compute(net_of(state, GROUPS), &o, &r, &err);
        if (status == CY_OK)
            status = cy_centrality_keep_top(r, 1, &err);
        if (status == CY_OK)
            status = write_format(r, CY_FORMAT_JSON, stream, &err);
        if (status == CY_OK)
            status = write_format(r, CY_FORMAT_TEXT, stream, &err);
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK)
            succeeded = 1;
        else
            assert_int_equal(status, CY_ENOMEM);
        fclose(stream);
        free(text);
        cy_centrality_free(r);
        cy_error_destroy(&err);
    }
    assert_true(succeeded);
    assert_true(n > 5); /* the runs really did allocate */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measure_list_parse),
        cmocka_unit_test(test_path_directed),
        cmocka_unit_test(test_path_undirected),
        cmocka_unit_test(test_star),
        cmocka_unit_test(test_normalized),
        cmocka_unit_test(test_cycle),
        cmocka_unit_test(test_hits_golden_ratio),
        cmocka_unit_test(test_karate),
        cmocka_unit_test(test_weighted_diamond),
        cmocka_unit_test(test_weighted_tiny_lengths),
        cmocka_unit_test(test_spectral_huge_volumes),
        cmocka_unit_test(test_arpack_failure_reason),
        cmocka_unit_test(test_firm_graph_merges_parallel_links),
        cmocka_unit_test(test_group_contraction),
        cmocka_unit_test(test_top_order),
        cmocka_unit_test(test_approx_k_equal_n_is_exact),
        cmocka_unit_test(test_approx_scaling),
        cmocka_unit_test(test_approx_seeded_unbiased),
        cmocka_unit_test(test_approx_automatic),
        cmocka_unit_test(test_empty_and_groupless),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_write_csv),
        cmocka_unit_test(test_write_many_rows),
        cmocka_unit_test(test_write_json),
        cmocka_unit_test(test_write_table),
        cmocka_unit_test(test_write_error),
        cmocka_unit_test(test_progress_callback),
        cmocka_unit_test(test_progress_threads_by_cost),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_walk_matches_igraph),
        cmocka_unit_test(test_walk_matches_brute_force),
        cmocka_unit_test(test_walk_betweenness_threads),
        cmocka_unit_test(test_walk_betweenness_allocation_failures),
        cmocka_unit_test(test_reach_matches_igraph),
        cmocka_unit_test(test_reach_matches_brute_force),
        cmocka_unit_test(test_reach_allocation_failures),
        cmocka_unit_test(test_reach_measures_match_igraph),
        cmocka_unit_test(test_betweenness_processes),
#ifdef __linux__
        cmocka_unit_test(test_betweenness_exit_leaves_no_worker),
#endif
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, setup_graphs, teardown_graphs);
}
