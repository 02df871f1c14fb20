/*
 * centrality.c - centrality measures on the firm graph or a group graph.
 *
 * Every measure is one igraph call; this file only chooses the graph view,
 * the weights and the conventions (which direction closeness looks, how
 * scores are scaled) so that the numbers agree with NetworkX where NetworkX
 * has the same measure.  The formulas are in docs/analyses.md.
 *
 * Views.  The default is net->firm_graph itself (directed, one edge per
 * supplier -> customer pair, volumes summed), used without a copy.  The
 * undirected view and the group graphs (--by) are built here from the firm
 * edges: edge endpoints mapped (to min/max, or to groups), sorted, parallel
 * edges merged with their volumes summed, and group self-loops dropped.
 */
#include "internal.h"
#include "betweenness_internal.h"

#include <math.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

static const char *const measure_names[CY_MEASURE_COUNT] = {
    "degree", "in_degree", "out_degree", "strength", "betweenness",
    "closeness", "harmonic", "pagerank", "eigenvector", "hub", "authority",
    "coreness"};

#define PAGERANK_DAMPING 0.85

const char *cy_measure_name(cy_measure measure)
{
    return (unsigned)measure < CY_MEASURE_COUNT ? measure_names[measure]
                                                 : "unknown";
}

/*
 * Items are separated by commas; surrounding spaces are not allowed (a
 * shell user writes "degree,pagerank").  Every problem is a CY_EUSAGE with
 * the offending item quoted, and *count is left at what was parsed.
 */
cy_status cy_measure_list_parse(const char *list, cy_measure *measures,
                                size_t *count, cy_error *err)
{
    const char *item = list;
    int seen[CY_MEASURE_COUNT] = {0};

    *count = 0;
    for (;;) {
        const char *end = strchr(item, ',');
        size_t len = end ? (size_t)(end - item) : strlen(item);
        int found = -1;

        if (len == 0) {
            char echo[CY_I_ECHO_SIZE];
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "empty measure name in '%s'", cy_i_echo(echo, list));
            return CY_EUSAGE;
        }
        for (int m = 0; m < CY_MEASURE_COUNT; m++) {
            if (strlen(measure_names[m]) == len &&
                memcmp(measure_names[m], item, len) == 0)
                found = m;
        }
        if (found < 0) {
            char word[65];
            cy_suggester near;
            const char *best;
            snprintf(word, sizeof word, "%.*s", (int)(len > 64 ? 64 : len), item);
            cy_suggester_init(&near, word, CY_SUGGEST_DISTANCE);
            for (int m = 0; m < CY_MEASURE_COUNT; m++)
                cy_suggester_offer(&near, measure_names[m]);
            best = cy_suggester_best(&near);
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "unknown measure '%s'%s%s%s (known: degree, in_degree, "
                         "out_degree, strength, betweenness, closeness, "
                         "harmonic, pagerank, eigenvector, hub, authority, "
                         "coreness)", word, best ? " (did you mean '" : "",
                         best ? best : "", best ? "'?)" : "");
            return CY_EUSAGE;
        }
        if (seen[found]) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "measure '%s' given twice",
                         measure_names[found]);
            return CY_EUSAGE;
        }
        seen[found] = 1;
        measures[(*count)++] = (cy_measure)found;
        if (!end)
            return CY_OK;
        item = end + 1;
    }
}

void cy_centrality_options_init(cy_centrality_options *options)
{
    memset(options, 0, sizeof *options);
    options->measures[0] = CY_MEASURE_DEGREE;
    options->measures[1] = CY_MEASURE_BETWEENNESS;
    options->measures[2] = CY_MEASURE_PAGERANK;
    options->measure_count = 3;
    options->approx_sources = -1;
    options->seed = 1;
    options->group_kind = CY_CENTRALITY_BY_FIRM;
}

/* ---- the result ------------------------------------------------------ */

struct cy_centrality_result {
    cy_centrality_graph graph;
    cy_measure measures[CY_MEASURE_COUNT];
    size_t measure_count;
    const cy_network *net;
    int group_kind;          /* CY_CENTRALITY_BY_FIRM or a cy_group_kind */
    size_t vertex_count;
    double *values;          /* vertex_count x measure_count, by vertex */
    /* Vertex of each row; NULL while the rows are the vertices in order
     * (until cy_centrality_keep_top sorts them), so that a plain
     * computation neither fills nor reads an identity array. */
    size_t *rows;
    size_t row_count;
};

static size_t row_vertex(const cy_centrality_result *result, size_t i)
{
    return result->rows ? result->rows[i] : i;
}

void cy_centrality_free(cy_centrality_result *result)
{
    if (!result)
        return;
    cy_free(result->values);
    cy_free(result->rows);
    cy_free(result);
}

const cy_centrality_graph *cy_centrality_graph_info(const cy_centrality_result *result)
{
    return &result->graph;
}

size_t cy_centrality_measure_count(const cy_centrality_result *result)
{
    return result->measure_count;
}

cy_measure cy_centrality_measure(const cy_centrality_result *result, size_t k)
{
    return result->measures[k];
}

size_t cy_centrality_row_count(const cy_centrality_result *result)
{
    return result->row_count;
}

size_t cy_centrality_row_index(const cy_centrality_result *result, size_t i)
{
    return row_vertex(result, i);
}

const char *cy_centrality_row_id(const cy_centrality_result *result, size_t i)
{
    size_t v = row_vertex(result, i);
    if (result->group_kind == CY_CENTRALITY_BY_FIRM)
        return result->net->enterprises[v].id;
    return result->net->groups[result->group_kind][v].id;
}

/* Groups may have no name; their id stands in, as for enterprises. */
const char *cy_centrality_row_name(const cy_centrality_result *result, size_t i)
{
    size_t v = row_vertex(result, i);
    const char *name;
    if (result->group_kind == CY_CENTRALITY_BY_FIRM)
        name = result->net->enterprises[v].name;
    else
        name = result->net->groups[result->group_kind][v].name;
    return name ? name : cy_centrality_row_id(result, i);
}

const char *cy_centrality_row_kind(const cy_centrality_result *result, size_t i)
{
    if (result->group_kind == CY_CENTRALITY_BY_FIRM)
        return cy_kind_name(result->net->enterprises[row_vertex(result, i)].kind);
    return cy_group_kind_name((cy_group_kind)result->group_kind);
}

double cy_centrality_value(const cy_centrality_result *result, size_t i,
                           size_t k)
{
    return result->values[row_vertex(result, i) * result->measure_count + k];
}

int cy_centrality_measure_is_integer(const cy_centrality_result *result,
                                     size_t k)
{
    switch (result->measures[k]) {
    case CY_MEASURE_DEGREE:
    case CY_MEASURE_IN_DEGREE:
    case CY_MEASURE_OUT_DEGREE:
        return !result->graph.normalized;
    case CY_MEASURE_CORENESS:
        return 1;
    default:
        return 0;
    }
}

typedef struct {
    double key;
    const char *id;
    size_t vertex;
} top_entry;

/* Descending by key, NaN after every number, then ascending by id. */
static int top_entry_cmp(const void *a, const void *b)
{
    const top_entry *x = a, *y = b;
    int x_nan = isnan(x->key), y_nan = isnan(y->key);
    if (x_nan != y_nan)
        return x_nan - y_nan;
    if (!x_nan && x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return strcmp(x->id, y->id);
}

/*
 * Ids are unique, so the order is total and the result does not depend on
 * qsort's instability.  With no measure there is nothing to rank by: the
 * rows keep their order and are only cut.  The sort needs a scratch array
 * of r entries (and, the first time, the rows array itself); if either
 * cannot be allocated the rows are left untouched.
 */
cy_status cy_centrality_keep_top(cy_centrality_result *result, size_t top,
                                 cy_error *err)
{
    size_t r = result->row_count;

    if (result->measure_count > 0 && r > 1) {
        top_entry *entries = cy_malloc(r * sizeof *entries);
        size_t *rows = result->rows ? result->rows : cy_malloc(r * sizeof *rows);
        if (!entries || !rows) {
            cy_free(entries);
            if (rows != result->rows)
                cy_free(rows);
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory sorting rows");
            return CY_ENOMEM;
        }
        for (size_t i = 0; i < r; i++) {
            entries[i].key = cy_centrality_value(result, i, 0);
            entries[i].id = cy_centrality_row_id(result, i);
            entries[i].vertex = row_vertex(result, i);
        }
        result->rows = rows;
        qsort(entries, r, sizeof *entries, top_entry_cmp);
        for (size_t i = 0; i < r; i++)
            result->rows[i] = entries[i].vertex;
        cy_free(entries);
    }
    if (top && top < r)
        result->row_count = top;
    return CY_OK;
}

/* ---- the analysed graph ---------------------------------------------- */

typedef struct {
    const igraph_t *graph;          /* the analysed graph */
    const igraph_vector_t *volume;  /* its edge volumes */
    int directed;
    /* Weighted path measures: the graph without zero-volume edges and the
     * lengths length_unit / volume of its edges (see build_path_graph). */
    const igraph_t *path_graph;
    const igraph_vector_t *length;
    double length_unit;  /* true length = stored length / length_unit */
    size_t zero_volume_edges;

    igraph_t own_graph, own_path_graph;
    igraph_vector_t own_volume, own_length;
    int has_graph, has_path_graph, has_volume, has_length;
} view;

static void view_destroy(view *v)
{
    if (v->has_graph)
        igraph_destroy(&v->own_graph);
    if (v->has_path_graph)
        igraph_destroy(&v->own_path_graph);
    if (v->has_volume)
        igraph_vector_destroy(&v->own_volume);
    if (v->has_length)
        igraph_vector_destroy(&v->own_length);
}

typedef struct {
    size_t from, to;
    double volume;
} triple;

static int triple_cmp(const void *a, const void *b)
{
    const triple *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return 0;
}

/*
 * The groups enterprise e belongs to, as a list.  Regions and parks are at
 * most one; `one` is the storage for that single index.
 */
static size_t groups_of(const cy_i_enterprise *e, int kind, size_t *one,
                        const size_t **list)
{
    long g;
    if (kind == CY_GROUP_CLUSTER) {
        *list = e->clusters;
        return e->cluster_count;
    }
    g = kind == CY_GROUP_REGION ? e->region : e->park;
    if (g < 0)
        return 0;
    *one = (size_t)g;
    *list = one;
    return 1;
}

/*
 * Build the undirected firm view or a group graph (directed or not) into
 * v->own_graph / v->own_volume.  Each firm edge u -> v contributes one
 * edge per (group of u, group of v) pair; pairs within one group are
 * dropped (flows inside a park do not connect it to anything), and
 * duplicates are merged with volumes summed.
 */
static cy_status build_contracted(const cy_network *net, int group_kind,
                                  int directed, view *v, cy_error *err)
{
    const igraph_t *firm = &net->firm_graph;
    size_t firm_edges = (size_t)igraph_ecount(firm);
    size_t vertices = group_kind == CY_CENTRALITY_BY_FIRM
                          ? net->enterprise_count
                          : net->group_count[group_kind];
    size_t count = 0, merged = 0;
    triple *triples = NULL;
    igraph_vector_int_t edges;
    igraph_error_t rc;
    cy_status status = CY_OK;

    /* Size the triple array exactly: a firm in several clusters multiplies
     * its edges. */
    for (size_t e = 0; e < firm_edges; e++) {
        size_t from = (size_t)IGRAPH_FROM(firm, e), to = (size_t)IGRAPH_TO(firm, e);
        if (group_kind == CY_CENTRALITY_BY_FIRM) {
            count++;
        } else {
            size_t one_a, one_b;
            const size_t *list_a, *list_b;
            size_t a = groups_of(&net->enterprises[from], group_kind, &one_a, &list_a);
            size_t b = groups_of(&net->enterprises[to], group_kind, &one_b, &list_b);
            if (b && a > (SIZE_MAX / sizeof(triple) - count) / b)
                goto oom;
            count += a * b;
        }
    }
    triples = cy_malloc((count ? count : 1) * sizeof *triples);
    if (!triples)
        goto oom;
    count = 0;
    for (size_t e = 0; e < firm_edges; e++) {
        size_t from = (size_t)IGRAPH_FROM(firm, e), to = (size_t)IGRAPH_TO(firm, e);
        double volume = VECTOR(net->firm_volume)[e];
        size_t one_a = from, one_b = to;
        const size_t *list_a = &one_a, *list_b = &one_b;
        size_t a = 1, b = 1;
        if (group_kind != CY_CENTRALITY_BY_FIRM) {
            a = groups_of(&net->enterprises[from], group_kind, &one_a, &list_a);
            b = groups_of(&net->enterprises[to], group_kind, &one_b, &list_b);
        }
        for (size_t i = 0; i < a; i++) {
            for (size_t j = 0; j < b; j++) {
                size_t x = list_a[i], y = list_b[j];
                if (x == y)
                    continue;
                if (!directed && x > y) {
                    size_t swap = x;
                    x = y;
                    y = swap;
                }
                triples[count].from = x;
                triples[count].to = y;
                triples[count].volume = volume;
                count++;
            }
        }
    }
    qsort(triples, count, sizeof *triples, triple_cmp);
    for (size_t k = 0; k < count; k++) {
        if (merged && triples[merged - 1].from == triples[k].from &&
            triples[merged - 1].to == triples[k].to)
            triples[merged - 1].volume += triples[k].volume;
        else
            triples[merged++] = triples[k];
    }

    if ((rc = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * merged)))) {
        cy_free(triples);
        return cy_i_igraph_status(rc, err, "building the analysed graph");
    }
    if ((rc = igraph_vector_init(&v->own_volume, (igraph_integer_t)merged)))
        goto igraph_fail;
    v->has_volume = 1;
    for (size_t k = 0; k < merged; k++) {
        VECTOR(edges)[2 * k] = (igraph_integer_t)triples[k].from;
        VECTOR(edges)[2 * k + 1] = (igraph_integer_t)triples[k].to;
        VECTOR(v->own_volume)[k] = triples[k].volume;
    }
    if ((rc = igraph_create(&v->own_graph, &edges, (igraph_integer_t)vertices,
                            directed ? IGRAPH_DIRECTED : IGRAPH_UNDIRECTED)))
        goto igraph_fail;
    v->has_graph = 1;
    v->graph = &v->own_graph;
    v->volume = &v->own_volume;
    goto cleanup;

igraph_fail:
    status = cy_i_igraph_status(rc, err, "building the analysed graph");
cleanup:
    igraph_vector_int_destroy(&edges);
    cy_free(triples);
    return status;
oom:
    cy_free(triples);
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory building the analysed graph");
    return CY_ENOMEM;
}

/*
 * Weighted path measures read a volume as the length 1/volume: a large
 * flow is a short, strong tie.  A zero volume would be an infinite length,
 * i.e. no path at all, and igraph rejects zero lengths, so such edges are
 * left out of the path graph.  Unweighted, the path graph is the graph.
 *
 * The lengths handed to igraph are 2^k / volume with 2^k >= the largest
 * volume, so every length is >= 1.  Why: igraph 0.10's weighted
 * betweenness keeps each distance as d + 1 and calls two paths equally
 * long when those agree within a relative 1e-10, so with raw lengths of
 * 1e-9 (volumes in yuan) paths that differ by 1e-10 would count as ties
 * and the digits of d would be lost in d + 1.  Scaling by a power of two
 * changes no shortest path and no rounding; closeness and harmonic are
 * multiplied back by 2^k (exactly) afterwards.
 */
static cy_status build_path_graph(view *v, int weighted, cy_error *err)
{
    igraph_integer_t m = igraph_ecount(v->graph), kept = 0;
    igraph_vector_int_t edges;
    igraph_error_t rc;
    double largest = 0;
    int exponent;

    v->path_graph = v->graph;
    v->length = NULL;
    v->length_unit = 1;
    if (!weighted)
        return CY_OK;
    for (igraph_integer_t e = 0; e < m; e++) {
        double volume = VECTOR(*v->volume)[e];
        v->zero_volume_edges += !(volume > 0);
        if (volume > largest)
            largest = volume;
    }
    if (largest > 0) {
        frexp(largest, &exponent); /* largest < 2^exponent */
        v->length_unit = ldexp(1.0, exponent);
    }
    if ((rc = igraph_vector_init(&v->own_length, m - (igraph_integer_t)v->zero_volume_edges)))
        return cy_i_igraph_status(rc, err, "path lengths");
    v->has_length = 1;
    v->length = &v->own_length;
    if (v->zero_volume_edges == 0) {
        for (igraph_integer_t e = 0; e < m; e++)
            VECTOR(v->own_length)[e] = v->length_unit / VECTOR(*v->volume)[e];
        return CY_OK;
    }
    if ((rc = igraph_vector_int_init(&edges, 2 * (m - (igraph_integer_t)v->zero_volume_edges))))
        return cy_i_igraph_status(rc, err, "path lengths");
    for (igraph_integer_t e = 0; e < m; e++) {
        double volume = VECTOR(*v->volume)[e];
        if (!(volume > 0))
            continue;
        VECTOR(edges)[2 * kept] = IGRAPH_FROM(v->graph, e);
        VECTOR(edges)[2 * kept + 1] = IGRAPH_TO(v->graph, e);
        VECTOR(v->own_length)[kept] = v->length_unit / volume;
        kept++;
    }
    rc = igraph_create(&v->own_path_graph, &edges, igraph_vcount(v->graph),
                       igraph_is_directed(v->graph));
    igraph_vector_int_destroy(&edges);
    if (rc)
        return cy_i_igraph_status(rc, err, "path lengths");
    v->has_path_graph = 1;
    v->path_graph = &v->own_path_graph;
    return CY_OK;
}

static int needs_paths(const cy_centrality_options *o)
{
    for (size_t k = 0; k < o->measure_count; k++) {
        if (o->measures[k] == CY_MEASURE_BETWEENNESS ||
            o->measures[k] == CY_MEASURE_CLOSENESS ||
            o->measures[k] == CY_MEASURE_HARMONIC)
            return 1;
    }
    return 0;
}

static cy_status build_view(const cy_network *net,
                            const cy_centrality_options *o, view *v,
                            cy_error *err)
{
    cy_status status;
    memset(v, 0, sizeof *v);
    v->directed = !o->undirected;
    if (o->group_kind == CY_CENTRALITY_BY_FIRM && !o->undirected) {
        v->graph = &net->firm_graph;
        v->volume = &net->firm_volume;
    } else if ((status = build_contracted(net, o->group_kind, !o->undirected,
                                          v, err)) != CY_OK) {
        return status;
    }
    if (needs_paths(o))
        return build_path_graph(v, o->weighted, err);
    return CY_OK;
}

/* ---- progress ---------------------------------------------------------- */

/* igraph's progress handler is global; these hold the caller's callback
 * while cy_centrality_compute runs. */
static cy_progress_fn progress_fn;
static void *progress_data;
static const char *progress_measure;
/* Set while betweenness runs in chunks: it reports the share of chunks
 * done instead of igraph's share of each chunk. */
static int progress_chunked;

static igraph_error_t progress_trampoline(const char *message,
                                          igraph_real_t percent, void *data)
{
    (void)message;
    (void)data;
    if (progress_fn && !progress_chunked)
        progress_fn(progress_measure, percent, progress_data);
    return IGRAPH_SUCCESS;
}

static void progress_report(double percent)
{
    if (progress_fn)
        progress_fn(progress_measure, percent, progress_data);
}

/* ---- the measures ------------------------------------------------------ */

typedef struct {
    const cy_network *net;
    const cy_centrality_options *o;
    view *v;
    cy_centrality_result *r;
    cy_error *err;
    igraph_vector_t vec, vec2;
    igraph_vector_int_t ivec;
    /* HITS gives both scores in one call; keep the second for later. */
    int have_hits;
    igraph_vector_t hub, authority;
    /* The volumes scaled for the spectral measures (spectral_weights). */
    int have_spectral;
    igraph_vector_t spectral;
    /* One search per vertex gives closeness and harmonic both (walk_reach):
     * kept for the second when both are asked for. */
    cy_i_bfs_reach *reach;
} compute_ctx;

/*
 * The edge weights of the spectral measures (eigenvector, hub, authority,
 * PageRank): NULL unweighted, else the volumes divided by 2^k, the power
 * of two just above the largest, so that every weight lies in [0, 1).
 * Each of these measures is invariant under scaling the weights (it is an
 * eigenvector normalised afterwards, or a random walk that divides by
 * each vertex's out-strength), and a power of two scales every product
 * and sum exactly, so the scores are the same; but ARPACK iterates on the
 * matrix itself (HITS on A^T A, the squares of the volumes), and volumes
 * of 1e200 or more overflowed there ("Could not build an Arnoldi
 * factorization").
 */
static igraph_error_t spectral_weights(compute_ctx *c,
                                       const igraph_vector_t **weights)
{
    const igraph_vector_t *volume = c->v->volume;
    igraph_integer_t m = igraph_vector_size(volume);
    double largest = 0, scale = 1;
    igraph_error_t rc;
    int exponent;

    *weights = NULL;
    if (!c->o->weighted)
        return IGRAPH_SUCCESS;
    if (!c->have_spectral) {
        for (igraph_integer_t e = 0; e < m; e++)
            largest = VECTOR(*volume)[e] > largest ? VECTOR(*volume)[e] : largest;
        if (largest > 0) {
            frexp(largest, &exponent); /* largest < 2^exponent */
            scale = ldexp(1.0, -exponent);
        }
        if ((rc = igraph_vector_init_copy(&c->spectral, volume)))
            return rc;
        c->have_spectral = 1;
        igraph_vector_scale(&c->spectral, scale);
    }
    *weights = &c->spectral;
    return IGRAPH_SUCCESS;
}

/* Store column k from a real or an integer vector. */
static void store_real(compute_ctx *c, size_t k, const igraph_vector_t *x)
{
    size_t n = c->r->vertex_count, mc = c->r->measure_count;
    for (size_t i = 0; i < n; i++)
        c->r->values[i * mc + k] = VECTOR(*x)[i];
}

static void store_int(compute_ctx *c, size_t k, const igraph_vector_int_t *x)
{
    size_t n = c->r->vertex_count, mc = c->r->measure_count;
    for (size_t i = 0; i < n; i++)
        c->r->values[i * mc + k] = (double)VECTOR(*x)[i];
}

static void scale_column(compute_ctx *c, size_t k, double factor)
{
    size_t n = c->r->vertex_count, mc = c->r->measure_count;
    for (size_t i = 0; i < n; i++)
        c->r->values[i * mc + k] *= factor;
}

/*
 * Betweenness is a sum over sources of their dependencies, and the
 * sources are cut into BETWEENNESS_CHUNKS chunks (consecutive runs of the
 * source list) whose sums are computed one by one; the chunks are then
 * added in chunk order.  Unweighted, a chunk's sum is the walk's
 * (betweenness_bfs.c: igraph_betweenness_subset's bits, on any number of
 * threads sharing one walk; walk_betweenness below).  Weighted, it is
 * igraph_betweenness_subset's, and with several threads the chunks are
 * computed by that many processes, not threads: igraph as Debian builds
 * it is not thread-safe (its error stack and random generator are
 * global), while a forked process has its own copy of both.  The calling
 * process forks K - 1 workers and computes chunks itself; every process
 * claims the next chunk from a counter in a shared anonymous mapping, the
 * costliest chunks first (chunk_costs), and writes its sum into the
 * chunk's slot of the same mapping; the caller then waits for the workers
 * and adds the slots in chunk order.  Which process computed a chunk does
 * not change its sum, and the chunks and the order of the final sum are
 * the same for every thread count, so the scores are too.  Claiming
 * instead of a fixed share matters because the cost of a chunk varies
 * 30-fold on a tiered network (province: the last 3 of 32 chunks are over
 * half the work).  One process (the chunks in index order, into one
 * buffer) with one thread and while allocation failures are injected; a
 * worker that cannot be forked leaves its chunks to the others.
 */
#define BETWEENNESS_CHUNKS 32
/* Sources per chunk whose reach estimates the chunk's cost (at most). */
#define CHUNK_PROBES 4

/* The dependencies from sources src[first .. last) into out[0 .. n). */
static igraph_error_t chunk_dependencies(const view *v, const igraph_integer_t *src,
                                         size_t first, size_t last, double *out)
{
    const igraph_t *g = v->path_graph;
    igraph_vector_int_t ids;
    igraph_vector_t result;
    igraph_error_t rc;

    memset(&ids, 0, sizeof ids); /* the view's argument is declared const */
    igraph_vector_int_view(&ids, src + first, (igraph_integer_t)(last - first));
    if ((rc = igraph_vector_init(&result, 0)))
        return rc;
    rc = igraph_betweenness_subset(g, &result, igraph_vss_all(), v->directed,
                                   igraph_vss_vector(&ids), igraph_vss_all(), v->length);
    if (!rc)
        memcpy(out, VECTOR(result), (size_t)igraph_vcount(g) * sizeof *out);
    igraph_vector_destroy(&result);
    return rc;
}

/*
 * The estimated cost of each of the `chunks` chunks of src[0 .. count),
 * into cost[0 .. chunks): the sources of the chunk times the mean number
 * of vertices reached (the source included, so at least 1) from p of
 * them, evenly spaced.  A search from a source costs about the edges among
 * the vertices it reaches, and on a supply network that reach ranges from
 * a handful (a final assembler) to most of the network (a raw-material
 * supplier).  p is CHUNK_PROBES, fewer when the sources are few: at most
 * one probe per PROBE_SPACING sources, so that the probes (a BFS each,
 * cheaper than a source's shortest paths and dependencies) stay a few
 * percent of the work; with none, a chunk costs its number of sources
 * (a sample's chunks are alike anyway).  igraph_neighborhood_size, no
 * RNG: the same estimate in every process.  Only the order in which
 * chunks are claimed and the progress shares depend on it, never a score.
 */
#define PROBE_SPACING 16
static igraph_error_t chunk_costs(const view *v, const igraph_integer_t *src, size_t count,
                                  size_t chunks, unsigned long long *cost)
{
    const igraph_t *g = v->path_graph;
    size_t p = count / chunks / PROBE_SPACING, first, last, k = 0;
    igraph_vector_int_t probes, reached;
    igraph_error_t rc;

    if (p > CHUNK_PROBES)
        p = CHUNK_PROBES;
    if (p == 0) {
        for (size_t j = 0; j < chunks; j++) {
            cy_i_bfs_chunk_range(count, chunks, j, &first, &last);
            cost[j] = last - first;
        }
        return IGRAPH_SUCCESS;
    }
    if ((rc = igraph_vector_int_init(&probes, (igraph_integer_t)(chunks * p))))
        return rc;
    if ((rc = igraph_vector_int_init(&reached, 0))) {
        igraph_vector_int_destroy(&probes);
        return rc;
    }
    /* Every chunk has at least count / chunks >= p sources. */
    for (size_t j = 0; j < chunks; j++) {
        cy_i_bfs_chunk_range(count, chunks, j, &first, &last);
        for (size_t i = 0; i < p; i++)
            VECTOR(probes)[k++] = src[first + (last - first) * (2 * i + 1) / (2 * p)];
    }
    rc = igraph_neighborhood_size(g, &reached, igraph_vss_vector(&probes), igraph_vcount(g),
                                  v->directed ? IGRAPH_OUT : IGRAPH_ALL, 0);
    k = 0;
    for (size_t j = 0; j < chunks && !rc; j++) {
        unsigned long long sum = 0;
        cy_i_bfs_chunk_range(count, chunks, j, &first, &last);
        for (size_t i = 0; i < p; i++)
            sum += (unsigned long long)VECTOR(reached)[k++];
        cost[j] = sum * (last - first) / p;
    }
    igraph_vector_int_destroy(&probes);
    igraph_vector_int_destroy(&reached);
    return rc;
}

/* What the processes computing one process's chunks share, at the head of
 * the shared mapping (the slots follow it). */
typedef struct {
    atomic_size_t next;  /* the next position of chunk_plan.order to claim */
    atomic_ullong done;  /* the estimated cost of the chunks computed */
    atomic_int failed;   /* a process failed: the others claim no more */
} chunk_board;
#define BOARD_BYTES 64 /* keeps the slots after it 8-byte aligned */
_Static_assert(sizeof(chunk_board) <= BOARD_BYTES, "the board fits its space");

/* The chunks one process (with its workers) computes, and where. */
typedef struct {
    const view *v;
    const igraph_integer_t *src;
    size_t count, chunks, n;
    size_t order[BETWEENNESS_CHUNKS]; /* its chunks, costliest first */
    size_t mine;                      /* how many */
    unsigned long long cost[BETWEENNESS_CHUNKS], total; /* chunk j's; all of its chunks' */
    chunk_board *board;
    double *slots; /* chunk j's sum at slots + j * n */
} chunk_plan;

/* The progress of a stage of `chunks` chunks of which `done` of `total`
 * estimated cost is computed: short of 100 until the measure has ended. */
static double chunk_share(unsigned long long done, unsigned long long total, size_t chunks)
{
    double part = total ? (double)done / (double)total : 1.0;
    return 100.0 * part * (double)chunks / (double)(chunks + 1);
}

/* The plan of the chunks base, base + stride, ... of `chunks`, costliest
 * first (ties: lower index first); its board and slots are set later.
 * Without an estimate (igraph out of memory) every source costs 1: the
 * estimate orders the work and measures progress, nothing else, and a
 * process of an MPI run must reach the exchange whatever happens here. */
static void plan_chunks(const view *v, const igraph_integer_t *src, size_t count,
                        size_t chunks, size_t base, size_t stride, chunk_plan *p)
{
    size_t first, last;

    memset(p, 0, sizeof *p);
    p->v = v;
    p->src = src;
    p->count = count;
    p->chunks = chunks;
    p->n = (size_t)igraph_vcount(v->path_graph);
    if (chunk_costs(v, src, count, chunks, p->cost)) {
        for (size_t j = 0; j < chunks; j++) {
            cy_i_bfs_chunk_range(count, chunks, j, &first, &last);
            p->cost[j] = last - first;
        }
    }
    for (size_t j = base; j < chunks; j += stride) {
        size_t at = p->mine++;
        /* Insertion: at most BETWEENNESS_CHUNKS entries. */
        while (at > 0 && p->cost[p->order[at - 1]] < p->cost[j]) {
            p->order[at] = p->order[at - 1];
            at--;
        }
        p->order[at] = j;
        p->total += p->cost[j];
    }
}

/* Claim chunks from the board until none is left or a process failed;
 * the calling process (`report`) reports progress after each. */
static igraph_error_t claim_chunks(chunk_plan *p, int report)
{
    size_t t, first, last;
    unsigned long long done;
    igraph_error_t rc = IGRAPH_SUCCESS;

    while (!atomic_load(&p->board->failed) &&
           (t = atomic_fetch_add(&p->board->next, 1)) < p->mine) {
        size_t j = p->order[t];
        cy_i_bfs_chunk_range(p->count, p->chunks, j, &first, &last);
        if ((rc = chunk_dependencies(p->v, p->src, first, last, p->slots + j * p->n))) {
            atomic_store(&p->board->failed, 1);
            break;
        }
        done = atomic_fetch_add(&p->board->done, p->cost[j]) + p->cost[j];
        if (report)
            progress_report(chunk_share(done, p->total, p->chunks));
    }
    return rc;
}

/* The workers alive, for stop_workers: the caller's progress callback may
 * end the process (chengyu's --max-seconds calls exit()), and a worker
 * must not outlive it. */
static pid_t live_worker[CY_MAX_THREADS];
static size_t live_workers;
static pid_t live_owner;

/* At exit of the process that forked them: kill and reap the workers. */
static void stop_workers(void)
{
    if (getpid() != live_owner)
        return;
    for (size_t w = 0; w < live_workers; w++) {
        if (live_worker[w] <= 0)
            continue;
        kill(live_worker[w], SIGKILL);
        while (waitpid(live_worker[w], NULL, 0) < 0 && errno == EINTR)
            ;
        live_worker[w] = 0;
    }
    live_workers = 0;
}

/* The plan's chunks on `processes` processes: this one and processes - 1
 * forked workers (fewer if fork fails), all claiming from the board. */
static igraph_error_t run_chunks(chunk_plan *p, size_t processes)
{
    static int stop_registered;
    pid_t parent = getpid();
    igraph_error_t rc;

    if (processes > 1 && !stop_registered)
        stop_registered = atexit(stop_workers) == 0;
    if (!stop_registered)
        processes = 1; /* a worker could outlive an exit() */
    fflush(NULL);      /* nothing buffered is written twice */
    live_owner = parent;
    live_workers = 0;
    for (size_t w = 1; w < processes; w++) {
        pid_t pid = fork();
        if (pid == 0) {
#ifdef __linux__
            /* Killed with its parent, whatever ends the parent. */
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
                _exit(1);
#endif
            progress_fn = NULL; /* the calling process reports */
            _exit(claim_chunks(p, 0) ? 1 : 0);
        }
        if (pid > 0)
            live_worker[live_workers++] = pid;
    }
    rc = claim_chunks(p, 1);
    for (size_t w = 0; w < live_workers; w++) {
        int status = 0;
        pid_t got;
        while ((got = waitpid(live_worker[w], &status, 0)) < 0 && errno == EINTR)
            ;
        live_worker[w] = 0;
        if (!rc && (got < 0 || !(WIFEXITED(status) && WEXITSTATUS(status) == 0)))
            rc = IGRAPH_FAILURE;
        /* The workers' last chunks may end well after this process's. */
        progress_report(chunk_share(atomic_load(&p->board->done), p->total, p->chunks));
    }
    live_workers = 0;
    /* A worker that ended early (killed) left chunks unclaimed or failed
     * one: its status says so above; a chunk left behind is an error too. */
    if (!rc && (atomic_load(&p->board->failed) || atomic_load(&p->board->next) < p->mine))
        rc = IGRAPH_FAILURE;
    return rc;
}

/* What the processes of an MPI run exchange: each computes the chunks
 * rank, rank + size, ... (on its threads), then receives the others'. */
typedef struct {
    double *slots;
    size_t chunks, n;
} shared_chunks;

static cy_status take_chunks(void *ctx, size_t rank, cy_i_unpack *in, cy_error *err)
{
    const shared_chunks *sc = ctx;
    (void)err;
    for (size_t j = rank; j < sc->chunks; j += cy_dist_size())
        cy_i_unpack_get(in, sc->slots + j * sc->n, sc->n * sizeof *sc->slots);
    return CY_OK;
}

/* This process's chunks (the plan's) into the slots, then the others'
 * (dist.c). */
static igraph_error_t spread_chunks(chunk_plan *p, size_t processes)
{
    size_t n = p->n, rank = cy_dist_rank(), size = cy_dist_size();
    shared_chunks sc = {p->slots, p->chunks, n};
    igraph_error_t rc = IGRAPH_SUCCESS;
    cy_i_pack out = {NULL, 0};
    unsigned char *packed = NULL;
    cy_error mine_err, err;
    cy_status status;

    if (p->mine > 0)
        rc = run_chunks(p, processes);
    cy_error_init(&mine_err);
    cy_error_init(&err);
    if (!rc && (packed = cy_malloc(p->mine * n * sizeof *p->slots + 1))) {
        out.at = packed;
        for (size_t j = rank; j < p->chunks; j += size)
            cy_i_pack_put(&out, p->slots + j * n, n * sizeof *p->slots);
    }
    if (rc || !packed)
        cy_error_add(&mine_err, CY_SEV_ERROR, NULL, rc ? "betweenness failed" : "out of memory");
    status = cy_i_dist_exchange(packed, out.size, rc || !packed ? CY_EINTERNAL : CY_OK, 0,
                                &mine_err, take_chunks, &sc, &err);
    cy_free(packed);
    cy_error_destroy(&mine_err);
    cy_error_destroy(&err);
    return status == CY_OK ? IGRAPH_SUCCESS : IGRAPH_FAILURE;
}

/*
 * vec += the plan's chunks one after the other, in chunk order, through
 * one buffer: on the walk when there is one (unweighted), else igraph.
 * The one-thread path: a slot per chunk would cost chunks * n doubles.
 */
static igraph_error_t serial_chunks(compute_ctx *c, const chunk_plan *plan,
                                    const cy_i_bfs_graph *walk)
{
    double *one = cy_malloc((plan->n + 1) * sizeof *one);
    cy_i_bfs_work work = {0};
    unsigned long long done = 0;
    size_t first, last;
    igraph_error_t rc = IGRAPH_SUCCESS;

    if (!one || (walk && !cy_i_bfs_work_init(&work, plan->n))) {
        cy_free(one);
        return IGRAPH_ENOMEM;
    }
    for (size_t j = 0; j < plan->chunks && !rc; j++) {
        cy_i_bfs_chunk_range(plan->count, plan->chunks, j, &first, &last);
        if (walk)
            cy_i_bfs_dependencies(walk, &work, plan->src + first, last - first, one);
        else
            rc = chunk_dependencies(plan->v, plan->src, first, last, one);
        for (size_t i = 0; i < plan->n && !rc; i++)
            VECTOR(c->vec)[i] += one[i];
        done += plan->cost[j];
        progress_report(chunk_share(done, plan->total, plan->chunks));
    }
    cy_i_bfs_work_destroy(&work);
    cy_free(one);
    return rc;
}

/* ---- unweighted: threads sharing one walk (betweenness_bfs.c) ---------- */

/* The loop of chunks and what its progress is measured against. */
typedef struct {
    cy_i_bfs_chunks chunks;
    unsigned long long total; /* the estimated cost of this process's chunks */
} walk_loop;

/* The estimated cost of the chunks finished, as chunk_share: the chunks
 * are handed out costliest first, and one costs up to 30 times another,
 * so the share of chunks would tell --max-seconds a far longer run. */
static void walk_progress(const char *what, double percent, void *data)
{
    walk_loop *loop = data;
    (void)what;
    (void)percent;
    progress_report(chunk_share(atomic_load(&loop->chunks.done), loop->total,
                                loop->chunks.chunks));
}

/*
 * vec += the plan's chunks computed on threads (and on the processes of
 * an MPI run, which cy_i_par_run spreads the items over), added in chunk
 * order.  On one process the chunks are handed out costliest first;
 * under MPI in chunk order, since slots travel by item and each process
 * estimated the costs alone (an estimate that failed on one process only
 * would otherwise mix up the slots).
 */
static igraph_error_t parallel_chunks(compute_ctx *c, const chunk_plan *plan,
                                      const cy_i_bfs_graph *walk)
{
    walk_loop loop = {.chunks = {.walk = walk, .src = plan->src, .count = plan->count,
                                 .chunks = plan->chunks, .cost = plan->cost}};
    int dist = cy_i_dist_active();
    cy_i_par_job par;
    cy_error err;
    cy_status status;

    loop.chunks.order = dist ? NULL : plan->order;
    for (size_t j = dist ? cy_dist_rank() : 0; j < plan->chunks; j += dist ? cy_dist_size() : 1)
        loop.total += plan->cost[j];
    if (!(loop.chunks.slots = cy_malloc(plan->chunks * plan->n * sizeof *loop.chunks.slots)))
        return IGRAPH_ENOMEM;
    cy_i_bfs_chunks_job(&loop.chunks, &par);
    par.progress = walk_progress;
    par.what = progress_measure;
    par.progress_data = &loop;
    par.slots = loop.chunks.slots;
    par.slot_size = plan->n * sizeof *loop.chunks.slots;
    cy_error_init(&err);
    status = cy_i_par_run(&par, &err);
    cy_error_destroy(&err);
    if (status == CY_OK)
        cy_i_bfs_chunks_add(&loop.chunks, VECTOR(c->vec));
    cy_free(loop.chunks.slots);
    return status == CY_OK ? IGRAPH_SUCCESS
                           : status == CY_ENOMEM ? IGRAPH_ENOMEM : IGRAPH_FAILURE;
}

/*
 * vec = the unweighted betweenness sum of src[0 .. count) in `chunks`
 * chunks, on a walk of the path graph that any number of threads share:
 * one thread (or while allocation failures are injected) adds the chunks
 * as it goes; more add their slots afterwards, in the same order.  The
 * plan covers every chunk on every process; an MPI run's share is
 * cy_i_par_run's.
 */
static igraph_error_t walk_betweenness(compute_ctx *c, const igraph_integer_t *src,
                                       size_t count, size_t chunks)
{
    cy_i_bfs_graph walk;
    chunk_plan plan;
    igraph_error_t rc;

    if (!cy_i_bfs_graph_init(&walk, c->v->path_graph, c->v->directed))
        return IGRAPH_ENOMEM;
    plan_chunks(c->v, src, count, chunks, 0, 1, &plan);
    if (!cy_i_dist_active() && (cy_i_alloc_injecting() || cy_threads_get() < 2))
        rc = serial_chunks(c, &plan, &walk);
    else
        rc = parallel_chunks(c, &plan, &walk);
    cy_i_bfs_graph_destroy(&walk);
    return rc;
}

/* vec = the sum over chunks, in chunk order, of the dependencies from
 * the sources src[0 .. count). */
static igraph_error_t chunked_betweenness(compute_ctx *c, const igraph_integer_t *src,
                                          size_t count)
{
    size_t n = (size_t)igraph_vcount(c->v->path_graph);
    size_t chunks = count < BETWEENNESS_CHUNKS ? count : BETWEENNESS_CHUNKS;
    size_t rank = cy_dist_rank(), size = cy_dist_size(), processes = cy_threads_get(), bytes;
    int dist = cy_i_dist_active();
    chunk_plan plan;
    void *shared;
    igraph_error_t rc;

    if ((rc = igraph_vector_resize(&c->vec, (igraph_integer_t)n)))
        return rc;
    igraph_vector_null(&c->vec);
    if (chunks == 0)
        return IGRAPH_SUCCESS;
    if (!c->v->length)
        return walk_betweenness(c, src, count, chunks);
    plan_chunks(c->v, src, count, chunks, dist ? rank : 0, dist ? size : 1, &plan);
    if (processes > plan.mine)
        processes = plan.mine;
    if (!dist && (cy_i_alloc_injecting() || processes < 2))
        return serial_chunks(c, &plan, NULL);
    bytes = BOARD_BYTES + chunks * n * sizeof *plan.slots;
    shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return IGRAPH_ENOMEM;
    plan.board = shared;
    plan.slots = (double *)((unsigned char *)shared + BOARD_BYTES);
    atomic_init(&plan.board->next, 0);
    atomic_init(&plan.board->done, 0);
    atomic_init(&plan.board->failed, 0);
    /* Processes share the board only where its atomics need no lock. */
    if (!atomic_is_lock_free(&plan.board->next) || !atomic_is_lock_free(&plan.board->done) ||
        !atomic_is_lock_free(&plan.board->failed))
        processes = 1;
    rc = dist ? spread_chunks(&plan, processes) : run_chunks(&plan, processes);
    for (size_t j = 0; j < chunks && !rc; j++)
        for (size_t i = 0; i < n; i++)
            VECTOR(c->vec)[i] += plan.slots[j * n + i];
    munmap(shared, bytes);
    return rc;
}

/*
 * Betweenness, exact or from a uniform sample S of K sources drawn with
 * igraph's RNG seeded by options->seed.  The sampled sum over s in S of
 * the dependencies delta_s(v), times n / K, is an unbiased estimate of
 * the exact sum over all sources (each source is in S with probability
 * K / n).  igraph_betweenness_subset counts paths from S to every target
 * with the same halving as igraph_betweenness on undirected graphs, so the
 * scaling is the same for both views.  Exact is the sum over all n
 * sources, chunked like a sample (chunked_betweenness).
 */
static igraph_error_t compute_betweenness(compute_ctx *c, size_t k)
{
    const igraph_t *g = c->v->path_graph;
    size_t n = (size_t)igraph_vcount(g);
    size_t sources = c->r->graph.betweenness_sources;
    igraph_vector_int_t sample;
    igraph_error_t rc;

    if ((rc = igraph_vector_int_init(&sample, 0)))
        return rc;
    if (sources == 0) {
        rc = igraph_vector_int_range(&sample, 0, (igraph_integer_t)n);
    } else {
        rc = igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)c->o->seed);
        if (!rc)
            rc = igraph_random_sample(&sample, 0, (igraph_integer_t)n - 1,
                                      (igraph_integer_t)sources);
    }
    progress_chunked = 1;
    if (!rc)
        rc = chunked_betweenness(c, VECTOR(sample), (size_t)igraph_vector_int_size(&sample));
    igraph_vector_int_destroy(&sample);
    progress_chunked = 0;
    if (rc)
        return rc;
    if (sources > 0)
        igraph_vector_scale(&c->vec, (double)n / (double)sources);
    store_real(c, k, &c->vec);
    if (c->o->normalized && n > 2)
        scale_column(c, k, (c->v->directed ? 1.0 : 2.0) /
                               ((double)(n - 1) * (double)(n - 2)));
    return IGRAPH_SUCCESS;
}

/* The share of vertices searched, as progress (the walk's loop reports it
 * on the calling thread). */
static void reach_progress(const char *what, double percent, void *data)
{
    (void)what;
    (void)data;
    progress_report(percent);
}

/* c->reach = the searches toward every vertex of the path graph, made
 * once for closeness and harmonic. */
static igraph_error_t reach_once(compute_ctx *c)
{
    const igraph_t *g = c->v->path_graph;
    size_t n = (size_t)igraph_vcount(g);
    cy_i_bfs_reach *reach;
    cy_error err;
    cy_status status;

    if (c->reach)
        return IGRAPH_SUCCESS;
    if (!(reach = cy_malloc((cy_i_bfs_reach_room(n) + 1) * sizeof *reach)))
        return IGRAPH_ENOMEM;
    cy_error_init(&err);
    status = cy_i_bfs_reach_all(g, 1, reach, reach_progress, NULL, progress_measure, &err);
    cy_error_destroy(&err);
    if (status != CY_OK) {
        cy_free(reach);
        return status == CY_ENOMEM ? IGRAPH_ENOMEM : IGRAPH_FAILURE;
    }
    c->reach = reach;
    return IGRAPH_SUCCESS;
}

/*
 * Unweighted closeness (`closeness`) or harmonic centrality into c->vec
 * (and the counts reached into c->ivec): the IN-mode searches of
 * igraph_closeness and igraph_harmonic_centrality, normalized as
 * compute_measure asks them, with their bits, on the walk's threads
 * (cy_i_bfs_reach_all), where igraph, not thread-safe in Debian's build,
 * would search from one vertex after another.
 */
static igraph_error_t walk_reach(compute_ctx *c, int closeness)
{
    size_t n = (size_t)igraph_vcount(c->v->path_graph);
    const cy_i_bfs_reach *reach;
    igraph_error_t rc = reach_once(c);

    if (!rc)
        rc = igraph_vector_resize(&c->vec, (igraph_integer_t)n);
    reach = c->reach;
    if (!rc && closeness)
        rc = igraph_vector_int_resize(&c->ivec, (igraph_integer_t)n);
    for (size_t i = 0; i < n && !rc; i++) {
        if (!closeness) {
            VECTOR(c->vec)[i] = reach[i].inverses;
            continue;
        }
        VECTOR(c->ivec)[i] = (igraph_integer_t)reach[i].reached;
        VECTOR(c->vec)[i] = reach[i].distances == 0
                                ? IGRAPH_NAN
                                : (double)reach[i].reached / reach[i].distances;
    }
    /* igraph_harmonic_centrality's normalization, the same product. */
    if (!rc && !closeness && c->o->normalized && n > 1)
        igraph_vector_scale(&c->vec, 1.0 / (double)(n - 1));
    return rc;
}

/*
 * Closeness as NetworkX defines it (closeness_centrality, wf_improved):
 * distances *to* v (incoming paths on a directed graph), over the r
 * vertices that reach v: C(v) = (r / sum of d(u, v)) * (r / (n - 1)).
 * igraph's normalized closeness is the first factor; a vertex nothing
 * reaches (igraph: NaN) gets 0.
 */
static igraph_error_t compute_closeness(compute_ctx *c, size_t k)
{
    const igraph_t *g = c->v->path_graph;
    size_t n = (size_t)igraph_vcount(g);
    igraph_error_t rc = c->v->length ? igraph_closeness(g, &c->vec, &c->ivec, NULL,
                                                        igraph_vss_all(), IGRAPH_IN,
                                                        c->v->length, 1)
                                     : walk_reach(c, 1);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        double reached = (double)VECTOR(c->ivec)[i];
        VECTOR(c->vec)[i] = reached > 0
                                ? VECTOR(c->vec)[i] * c->v->length_unit *
                                      reached / (double)(n - 1)
                                : 0.0;
    }
    store_real(c, k, &c->vec);
    return IGRAPH_SUCCESS;
}

/* Scale a vector so that its entries sum to 1 (or its Euclidean norm is 1)
 * and turn -0 into 0.  An all-zero vector stays zero. */
static void normalize_vector(igraph_vector_t *x, int euclidean)
{
    igraph_integer_t n = igraph_vector_size(x);
    double total = 0;
    for (igraph_integer_t i = 0; i < n; i++)
        total += euclidean ? VECTOR(*x)[i] * VECTOR(*x)[i] : fabs(VECTOR(*x)[i]);
    if (euclidean)
        total = sqrt(total);
    for (igraph_integer_t i = 0; i < n; i++) {
        double value = total > 0 ? VECTOR(*x)[i] / total : 0.0;
        VECTOR(*x)[i] = value == 0 ? 0.0 : value;
    }
}

/*
 * Eigenvector centrality: igraph's, which on a directed graph sums over
 * in-neighbours (x_v proportional to the sum of x_u over u -> v), the same
 * as NetworkX; rescaled from igraph's max = 1 to NetworkX's unit Euclidean
 * norm.  An acyclic directed graph (most supply chains) has a nilpotent
 * adjacency matrix and no positive eigenvector: every score is 0, and the
 * caller is told so.  A graph without edges gives 0 everywhere as well.
 */
static igraph_error_t compute_eigenvector(compute_ctx *c, size_t k)
{
    const igraph_t *g = c->v->graph;
    const igraph_vector_t *weights;
    igraph_real_t value;
    igraph_error_t rc;

    if (igraph_ecount(g) == 0) {
        if ((rc = igraph_vector_resize(&c->vec, igraph_vcount(g))))
            return rc;
        igraph_vector_null(&c->vec);
    } else {
        if ((rc = spectral_weights(c, &weights)))
            return rc;
        rc = igraph_eigenvector_centrality(g, &c->vec, &value, c->v->directed,
                                           1, weights, NULL);
        if (rc)
            return rc;
        normalize_vector(&c->vec, 1);
        if (c->v->directed && igraph_vector_max(&c->vec) == 0)
            cy_error_add(c->err, CY_SEV_WARNING, NULL,
                         "eigenvector: the directed graph has no cycle, so every "
                         "score is 0; --undirected or hub/authority rank "
                         "acyclic supply chains");
    }
    store_real(c, k, &c->vec);
    return IGRAPH_SUCCESS;
}

/*
 * HITS hub and authority scores (igraph), scaled to sum to 1 as NetworkX's
 * hits() does.  A graph without edges gives 0 everywhere.
 */
static igraph_error_t compute_hits(compute_ctx *c)
{
    const igraph_t *g = c->v->graph;
    const igraph_vector_t *weights;
    igraph_real_t value;
    igraph_error_t rc;

    if (c->have_hits)
        return IGRAPH_SUCCESS;
    if ((rc = spectral_weights(c, &weights)))
        return rc;
    if ((rc = igraph_vector_init(&c->hub, igraph_vcount(g))))
        return rc;
    if ((rc = igraph_vector_init(&c->authority, igraph_vcount(g)))) {
        igraph_vector_destroy(&c->hub);
        return rc;
    }
    c->have_hits = 1;
    if (igraph_ecount(g) == 0)
        return IGRAPH_SUCCESS;
    rc = igraph_hub_and_authority_scores(g, &c->hub, &c->authority, &value, 1,
                                         weights, NULL);
    if (rc)
        return rc;
    normalize_vector(&c->hub, 0);
    normalize_vector(&c->authority, 0);
    return IGRAPH_SUCCESS;
}

static igraph_error_t compute_measure(compute_ctx *c, size_t k)
{
    const view *v = c->v;
    const cy_centrality_options *o = c->o;
    size_t n = c->r->vertex_count;
    const igraph_vector_t *weights;
    igraph_real_t value;
    igraph_error_t rc = IGRAPH_SUCCESS;
    cy_measure m = o->measures[k];

    switch (m) {
    case CY_MEASURE_DEGREE:
    case CY_MEASURE_IN_DEGREE:
    case CY_MEASURE_OUT_DEGREE: {
        igraph_neimode_t mode = m == CY_MEASURE_IN_DEGREE    ? IGRAPH_IN
                                : m == CY_MEASURE_OUT_DEGREE ? IGRAPH_OUT
                                                             : IGRAPH_ALL;
        if ((rc = igraph_degree(v->graph, &c->ivec, igraph_vss_all(), mode,
                                IGRAPH_LOOPS)))
            return rc;
        store_int(c, k, &c->ivec);
        if (o->normalized && n > 1)
            scale_column(c, k, 1.0 / (double)(n - 1));
        break;
    }
    case CY_MEASURE_STRENGTH:
        if ((rc = igraph_strength(v->graph, &c->vec, igraph_vss_all(),
                                  IGRAPH_ALL, IGRAPH_LOOPS, v->volume)))
            return rc;
        store_real(c, k, &c->vec);
        break;
    case CY_MEASURE_BETWEENNESS:
        return compute_betweenness(c, k);
    case CY_MEASURE_CLOSENESS:
        return compute_closeness(c, k);
    case CY_MEASURE_HARMONIC:
        /* Sum of 1/d(u, v) over the u that reach v (NetworkX's
         * harmonic_centrality); --normalized divides by n - 1. */
        rc = v->length ? igraph_harmonic_centrality(v->path_graph, &c->vec,
                                                    igraph_vss_all(), IGRAPH_IN,
                                                    v->length, o->normalized)
                       : walk_reach(c, 0);
        if (rc)
            return rc;
        igraph_vector_scale(&c->vec, v->length_unit);
        store_real(c, k, &c->vec);
        break;
    case CY_MEASURE_PAGERANK:
        /* PRPACK solves the linear system exactly; its dangling vertices
         * (no out-edge, or only zero-volume ones when weighted) jump
         * uniformly, as in NetworkX. */
        if ((rc = spectral_weights(c, &weights)) ||
            (rc = igraph_pagerank(v->graph, IGRAPH_PAGERANK_ALGO_PRPACK,
                                  &c->vec, &value, igraph_vss_all(),
                                  v->directed, PAGERANK_DAMPING, weights,
                                  NULL)))
            return rc;
        store_real(c, k, &c->vec);
        break;
    case CY_MEASURE_EIGENVECTOR:
        return compute_eigenvector(c, k);
    case CY_MEASURE_HUB:
    case CY_MEASURE_AUTHORITY:
        if ((rc = compute_hits(c)))
            return rc;
        store_real(c, k, m == CY_MEASURE_HUB ? &c->hub : &c->authority);
        break;
    case CY_MEASURE_CORENESS:
        /* Mode ALL counts in + out edges, as NetworkX's core_number does
         * on a DiGraph. */
        if ((rc = igraph_coreness(v->graph, &c->ivec, IGRAPH_ALL)))
            return rc;
        store_int(c, k, &c->ivec);
        break;
    case CY_MEASURE_COUNT:
        break;
    }
    return rc;
}

/* Sources probed to estimate the cost of exact betweenness. */
#define COST_PROBES 32

/*
 * The cost of exact betweenness is one search per source, each visiting
 * the edges reachable from it: n x m on a connected undirected graph, far
 * less on a tiered supply network, where a search from a firm only sees
 * its downstream cone.  So the cost is estimated as
 * (mean vertices reached from a probe source) x m, the probes being
 * COST_PROBES vertices evenly spaced through the vertex order (one BFS
 * each, deterministic, no RNG).
 */
static igraph_error_t estimate_exact_cost(const view *v, double *cost)
{
    const igraph_t *g = v->path_graph;
    igraph_integer_t n = igraph_vcount(g), probes = n < COST_PROBES ? n : COST_PROBES;
    igraph_vector_int_t sources, reached;
    igraph_error_t rc;
    double total = 0;

    *cost = 0;
    if (n == 0)
        return IGRAPH_SUCCESS;
    if ((rc = igraph_vector_int_init(&sources, probes)))
        return rc;
    if ((rc = igraph_vector_int_init(&reached, 0))) {
        igraph_vector_int_destroy(&sources);
        return rc;
    }
    for (igraph_integer_t k = 0; k < probes; k++)
        VECTOR(sources)[k] = (igraph_integer_t)((double)k * (double)n / (double)probes);
    rc = igraph_neighborhood_size(g, &reached, igraph_vss_vector(&sources), n,
                                  v->directed ? IGRAPH_OUT : IGRAPH_ALL, 0);
    if (!rc) {
        for (igraph_integer_t k = 0; k < probes; k++)
            total += (double)VECTOR(reached)[k];
        *cost = total / (double)probes * (double)igraph_ecount(g);
    }
    igraph_vector_int_destroy(&sources);
    igraph_vector_int_destroy(&reached);
    return rc;
}

/* Decide how many betweenness sources to sample (0 = exact). */
static cy_status choose_sources(const cy_centrality_options *o, const view *v,
                                cy_centrality_graph *info, cy_error *err)
{
    size_t n = (size_t)igraph_vcount(v->path_graph);
    double cost;
    igraph_error_t rc;

    info->betweenness_sources = 0;
    if (o->approx_sources > 0) {
        if ((size_t)o->approx_sources < n)
            info->betweenness_sources = (size_t)o->approx_sources;
        return CY_OK;
    }
    if (o->approx_sources == 0 || n <= CY_CENTRALITY_AUTO_SOURCES)
        return CY_OK;
    if ((rc = estimate_exact_cost(v, &cost)))
        return cy_i_igraph_status(rc, err, "betweenness cost estimate");
    if (cost > CY_CENTRALITY_EXACT_LIMIT) {
        info->betweenness_sources = CY_CENTRALITY_AUTO_SOURCES;
        info->betweenness_auto = 1;
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "betweenness estimated from %d of %zu sources (seed %llu): "
                     "the exact computation would visit about %.2g edges, above "
                     "%.2g; --approx 0 forces it", CY_CENTRALITY_AUTO_SOURCES, n,
                     (unsigned long long)o->seed, cost, CY_CENTRALITY_EXACT_LIMIT);
    }
    return CY_OK;
}

static cy_status check_options(const cy_network *net,
                               const cy_centrality_options *o, cy_error *err)
{
    if (o->measure_count > CY_MEASURE_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "too many measures");
        return CY_EUSAGE;
    }
    for (size_t k = 0; k < o->measure_count; k++) {
        if ((unsigned)o->measures[k] >= CY_MEASURE_COUNT) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "unknown measure %d",
                         (int)o->measures[k]);
            return CY_EUSAGE;
        }
    }
    if (o->group_kind != CY_CENTRALITY_BY_FIRM &&
        (o->group_kind < 0 || o->group_kind >= CY_GROUP_KIND_COUNT)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown group kind %d",
                     o->group_kind);
        return CY_EUSAGE;
    }
    if (o->group_kind != CY_CENTRALITY_BY_FIRM && net->group_count[o->group_kind] == 0)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "the network has no %ss: no rows",
                     cy_group_kind_name((cy_group_kind)o->group_kind));
    return CY_OK;
}

/*
 * Build the view, decide on sampling, then run the measures in the order
 * asked, each into its column.  Everything is released on one path; on
 * failure *out stays NULL and err says which measure (or step) failed.
 * A network without vertices gives a result without rows.
 */
cy_status cy_centrality_compute(const cy_network *net,
                                const cy_centrality_options *options,
                                cy_centrality_result **out, cy_error *err)
{
    cy_centrality_options defaults;
    cy_centrality_result *r = NULL;
    compute_ctx c;
    view v;
    int have_view = 0, have_vectors = 0, handler_installed = 0;
    igraph_progress_handler_t *previous_handler = NULL;
    cy_status status;
    size_t n, mc;

    *out = NULL;
    cy_library_init();
    /* No options: all defaults; no measures: the default measures with
     * the caller's other settings. */
    cy_centrality_options_init(&defaults);
    if (options && options->measure_count == 0) {
        cy_centrality_options chosen = *options;
        memcpy(chosen.measures, defaults.measures, sizeof chosen.measures);
        chosen.measure_count = defaults.measure_count;
        defaults = chosen;
    }
    if (!options || options->measure_count == 0)
        options = &defaults;
    if ((status = check_options(net, options, err)) != CY_OK)
        return status;
    if ((status = build_view(net, options, &v, err)) != CY_OK) {
        view_destroy(&v);
        return status;
    }
    have_view = 1;

    n = (size_t)igraph_vcount(v.graph);
    mc = options->measure_count;
    r = cy_calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->net = net;
    r->group_kind = options->group_kind;
    r->measure_count = mc;
    memcpy(r->measures, options->measures, mc * sizeof *r->measures);
    r->vertex_count = n;
    /* Not zeroed: each measure below writes its whole column, and a result
     * whose measure failed is never returned. */
    r->values = cy_malloc((n * mc > 0 ? n * mc : 1) * sizeof *r->values);
    if (!r->values)
        goto oom;
    r->row_count = n;
    r->graph.view = options->group_kind == CY_CENTRALITY_BY_FIRM
                        ? "firm"
                        : cy_group_kind_name((cy_group_kind)options->group_kind);
    r->graph.vertices = n;
    r->graph.edges = (size_t)igraph_ecount(v.graph);
    r->graph.enterprises = net->enterprise_count;
    r->graph.links = net->link_count;
    r->graph.directed = v.directed;
    r->graph.weighted = options->weighted;
    r->graph.normalized = options->normalized;
    r->graph.zero_volume_edges = v.zero_volume_edges;
    r->graph.seed = options->seed;
    if (v.zero_volume_edges)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "%zu of %zu edges have volume 0: weighted betweenness, "
                     "closeness and harmonic treat them as absent (length "
                     "1/volume is infinite)", v.zero_volume_edges,
                     r->graph.edges);
    for (size_t k = 0; k < mc; k++) {
        if (options->measures[k] == CY_MEASURE_BETWEENNESS &&
            (status = choose_sources(options, &v, &r->graph, err)) != CY_OK)
            goto cleanup;
    }

    memset(&c, 0, sizeof c);
    c.net = net;
    c.o = options;
    c.v = &v;
    c.r = r;
    c.err = err;
    {
        igraph_error_t rc = igraph_vector_init(&c.vec, 0);
        if (rc) {
            status = cy_i_igraph_status(rc, err, "centrality");
            goto cleanup;
        }
        if ((rc = igraph_vector_int_init(&c.ivec, 0))) {
            igraph_vector_destroy(&c.vec);
            status = cy_i_igraph_status(rc, err, "centrality");
            goto cleanup;
        }
        have_vectors = 1;
    }

    progress_fn = options->progress;
    progress_data = options->progress_data;
    previous_handler = igraph_set_progress_handler(progress_trampoline);
    handler_installed = 1;
    for (size_t k = 0; k < mc; k++) {
        igraph_error_t rc;
        progress_measure = cy_measure_name(options->measures[k]);
        progress_report(0);
        rc = n ? compute_measure(&c, k) : IGRAPH_SUCCESS;
        if (rc) {
            status = cy_i_igraph_status(rc, err, progress_measure);
            goto cleanup;
        }
        progress_report(100);
    }
    *out = r;
    r = NULL;
    status = CY_OK;
    goto cleanup;

oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in centrality");
    status = CY_ENOMEM;
cleanup:
    if (handler_installed) {
        igraph_set_progress_handler(previous_handler);
        progress_fn = NULL;
    }
    if (have_vectors) {
        if (c.have_hits) {
            igraph_vector_destroy(&c.hub);
            igraph_vector_destroy(&c.authority);
        }
        if (c.have_spectral)
            igraph_vector_destroy(&c.spectral);
        cy_free(c.reach);
        igraph_vector_destroy(&c.vec);
        igraph_vector_int_destroy(&c.ivec);
    }
    if (have_view)
        view_destroy(&v);
    cy_centrality_free(r);
    return status;
}
