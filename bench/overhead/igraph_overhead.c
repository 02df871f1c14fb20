/*
 * igraph_overhead.c - what chengyu's model costs on top of igraph.
 *
 * The target (docs/performance.md): each igraph-backed measure costs no more
 * than 1.2x the bare igraph call on the same graph.  This program loads a network with
 * libchengyu, then for each igraph-backed analysis times, alternately and
 * `--repeat` times each (more for calls under 50 ms, up to 100 or about
 * 0.5 s), (a) the bare igraph call(s) on net->firm_graph and
 * (b) the chengyu library call that computes the same thing
 * (cy_centrality_compute with that one measure, cy_structure_compute), and
 * prints the median CPU time of each and the ratio b / a.  Loading is not
 * timed.  The two sides compute the same numbers; the program checks that
 * they agree (the first repetition) so that it cannot time different work.
 *
 * usage: igraph_overhead [--repeat N] [--exact-limit X] [--json] FILE
 *   --exact-limit X  run exact betweenness and harmonic only when
 *                    vertices x edges <= X (default 5e9)
 *   --json           one JSON object per analysis and line (JSON Lines),
 *                    printed as soon as it is measured
 * Exit 0 when every measure ran and agreed, 1 otherwise, 2 on usage errors.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>

#include "harness.h"

#define APPROX_SOURCES 256
#define APPROX_SEED 1

typedef struct {
    const char *name;
    cy_measure measure;   /* CY_MEASURE_COUNT: structure */
    long approx;          /* chengyu's approx_sources (0 = exact) */
    int needs_exact;      /* skipped above --exact-limit */
} analysis;

static const analysis ANALYSES[] = {
    {"degree", CY_MEASURE_DEGREE, 0, 0},
    {"pagerank", CY_MEASURE_PAGERANK, 0, 0},
    {"coreness", CY_MEASURE_CORENESS, 0, 0},
    {"betweenness --approx 256", CY_MEASURE_BETWEENNESS, APPROX_SOURCES, 0},
    {"betweenness (exact)", CY_MEASURE_BETWEENNESS, 0, 1},
    {"harmonic", CY_MEASURE_HARMONIC, 0, 1},
    {"structure (articulation points, bridges)", CY_MEASURE_COUNT, 0, 0},
};

/*
 * The bare igraph call for an analysis, on the firm graph, result in `out`
 * (one value per vertex; for the structure, out[0] = articulation points
 * + bridges found).  Returns the igraph error code.
 */
static igraph_error_t bare_call(const cy_network *net, const analysis *a,
                                igraph_vector_t *out)
{
    const igraph_t *g = &net->firm_graph;
    igraph_vector_int_t ivec, sample;
    igraph_error_t rc;
    igraph_real_t value;

    switch (a->measure) {
    case CY_MEASURE_DEGREE:
    case CY_MEASURE_CORENESS:
        if ((rc = igraph_vector_int_init(&ivec, 0)))
            return rc;
        rc = a->measure == CY_MEASURE_DEGREE
                 ? igraph_degree(g, &ivec, igraph_vss_all(), IGRAPH_ALL,
                                 IGRAPH_LOOPS)
                 : igraph_coreness(g, &ivec, IGRAPH_ALL);
        if (!rc)
            rc = igraph_vector_resize(out, igraph_vector_int_size(&ivec));
        for (igraph_integer_t i = 0; !rc && i < igraph_vector_int_size(&ivec); i++)
            VECTOR(*out)[i] = (igraph_real_t)VECTOR(ivec)[i];
        igraph_vector_int_destroy(&ivec);
        return rc;
    case CY_MEASURE_PAGERANK:
        return igraph_pagerank(g, IGRAPH_PAGERANK_ALGO_PRPACK, out, &value,
                               igraph_vss_all(), 1, 0.85, NULL, NULL);
    case CY_MEASURE_HARMONIC:
        return igraph_harmonic_centrality(g, out, igraph_vss_all(), IGRAPH_IN,
                                          NULL, 0);
    case CY_MEASURE_BETWEENNESS:
        if (!a->approx)
            return igraph_betweenness(g, out, igraph_vss_all(), 1, NULL);
        if ((rc = igraph_vector_int_init(&sample, 0)))
            return rc;
        rc = igraph_rng_seed(igraph_rng_default(), APPROX_SEED);
        if (!rc)
            rc = igraph_random_sample(&sample, 0, igraph_vcount(g) - 1,
                                      a->approx);
        if (!rc)
            rc = igraph_betweenness_subset(g, out, igraph_vss_all(), 1,
                                           igraph_vss_vector(&sample),
                                           igraph_vss_all(), NULL);
        if (!rc)
            igraph_vector_scale(out, (double)igraph_vcount(g) / (double)a->approx);
        igraph_vector_int_destroy(&sample);
        return rc;
    default: {
        /* igraph ignores directions here; a mutual pair is two parallel
         * edges for it, which chengyu collapses first (see structure.c):
         * with a mutual pair this bare call is a floor, not the same
         * answer, without one it is the same answer (and checked). */
        igraph_vector_int_t points, bridges;
        if ((rc = igraph_vector_int_init(&points, 0)))
            return rc;
        if ((rc = igraph_vector_int_init(&bridges, 0))) {
            igraph_vector_int_destroy(&points);
            return rc;
        }
        rc = igraph_articulation_points(g, &points);
        if (!rc)
            rc = igraph_bridges(g, &bridges);
        if (!rc)
            rc = igraph_vector_resize(out, 1);
        if (!rc)
            VECTOR(*out)[0] = (igraph_real_t)(igraph_vector_int_size(&points) +
                                              igraph_vector_int_size(&bridges));
        igraph_vector_int_destroy(&points);
        igraph_vector_int_destroy(&bridges);
        return rc;
    }
    }
}

/* The chengyu call for an analysis; values into `out` like bare_call. */
static cy_status chengyu_call(const cy_network *net, const analysis *a,
                              igraph_vector_t *out, cy_error *err)
{
    cy_status status;
    if (a->measure == CY_MEASURE_COUNT) {
        cy_structure st;
        if ((status = cy_structure_compute(net, &st, err)) != CY_OK)
            return status;
        if (igraph_vector_resize(out, 1) == IGRAPH_SUCCESS)
            VECTOR(*out)[0] = (igraph_real_t)(st.articulation_point_count +
                                              st.bridge_count);
        cy_structure_destroy(&st);
        return CY_OK;
    } else {
        cy_centrality_options o;
        cy_centrality_result *r = NULL;
        size_t rows;
        cy_centrality_options_init(&o);
        o.measures[0] = a->measure;
        o.measure_count = 1;
        o.approx_sources = a->approx;
        o.seed = APPROX_SEED;
        if ((status = cy_centrality_compute(net, &o, &r, err)) != CY_OK)
            return status;
        rows = cy_centrality_row_count(r);
        if (igraph_vector_resize(out, (igraph_integer_t)rows) == IGRAPH_SUCCESS)
            for (size_t i = 0; i < rows; i++)
                VECTOR(*out)[i] = cy_centrality_value(r, i, 0);
        cy_centrality_free(r);
        return CY_OK;
    }
}

/* 1 when two value vectors agree to 1e-9 relative. */
static int same_values(const igraph_vector_t *x, const igraph_vector_t *y)
{
    if (igraph_vector_size(x) != igraph_vector_size(y))
        return 0;
    for (igraph_integer_t i = 0; i < igraph_vector_size(x); i++) {
        double a = VECTOR(*x)[i], b = VECTOR(*y)[i];
        if (a != b && fabs(a - b) > 1e-9 * fmax(fabs(a), fabs(b)))
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    harness_args args;
    int failures = 0, status;
    double cells;
    cy_network *net = NULL;
    cy_error err;
    igraph_vector_t bare_values, our_values;

    if ((status = harness_start(argc, argv, "igraph_overhead", &args, &net, &cells)))
        return status;
    cy_error_init(&err);
    if (igraph_vector_init(&bare_values, 0) || igraph_vector_init(&our_values, 0)) {
        fprintf(stderr, "igraph_overhead: out of memory\n");
        return 1;
    }
    for (size_t k = 0; k < sizeof ANALYSES / sizeof ANALYSES[0]; k++) {
        const analysis *a = &ANALYSES[k];
        double bare[HARNESS_MAX_REPEAT], ours[HARNESS_MAX_REPEAT], b, c;
        int ok = 1, runs = args.repeat;
        const char *note = "";
        if (harness_skipped(&args, a->needs_exact, cells, "analysis", a->name, 42))
            continue;
        for (int r = 0; r < runs && ok; r++) {
            double t0 = harness_cpu_now(), t1, t2;
            ok = bare_call(net, a, &bare_values) == IGRAPH_SUCCESS;
            t1 = harness_cpu_now();
            ok = ok && chengyu_call(net, a, &our_values, &err) == CY_OK;
            t2 = harness_cpu_now();
            bare[r] = t1 - t0;
            ours[r] = t2 - t1;
            if (r == 0)
                runs = harness_runs(t2 - t0, args.repeat);
            if (ok && r == 0 &&
                (a->measure != CY_MEASURE_COUNT || !net->firm_has_mutual) &&
                !same_values(&bare_values, &our_values)) {
                note = "values differ";
                ok = 0;
            }
        }
        if (!ok) {
            failures++;
            if (!*note)
                note = "a call failed";
            if (args.json)
                printf("{\"analysis\": \"%s\", \"status\": \"failed\", "
                       "\"note\": \"%s\"}\n", a->name, note);
            else
                printf("%-42s FAILED: %s\n", a->name, note);
            continue;
        }
        b = harness_median(bare, runs);
        c = harness_median(ours, runs);
        if (args.json)
            printf("{\"analysis\": \"%s\", \"status\": \"ok\", "
                   "\"bare_cpu\": %.6f, \"chengyu_cpu\": %.6f, "
                   "\"ratio\": %.4f, \"repeat\": %d}\n",
                   a->name, b, c, b > 0 ? c / b : 0.0, runs);
        else
            printf("%-42s bare %.6f s  chengyu %.6f s  ratio %.3f (%d runs)\n",
                   a->name, b, c, b > 0 ? c / b : 0.0, runs);
        fflush(stdout);
    }
    igraph_vector_destroy(&bare_values);
    igraph_vector_destroy(&our_values);
    cy_network_free(net);
    cy_error_destroy(&err);
    return failures ? 1 : 0;
}
