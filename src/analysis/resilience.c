/*
 * resilience.c - robustness curves: enterprises removed in an attack's
 * order, the largest connected component and the final demand still
 * served measured along the way.
 *
 * Two ideas keep it fast.  The largest component depends only on the set
 * removed, so every order (random, fixed or adaptive) is turned into a
 * curve by Newman and Ziff's reverse percolation: add the firms back from
 * the last removed to the first and merge components with union-find, one
 * pass of O((N + E) alpha(N)) for all N + 1 removal counts (M. E. J. Newman
 * and R. M. Ziff, Phys. Rev. Lett. 85, 4104, 2000).  And cascade failures
 * are monotone in the removed set, so the output metric runs the cascade
 * engine of cascade.c incrementally along the order: each link is pushed
 * at most once per trial, O(m) in total.
 */
#include "internal.h"
#include "betweenness_internal.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- names and parameters ---------------------------------------------- */

/* Marked for the catalog: plots show them translated. */
static const char *const attack_names[CY_ATTACK_COUNT] = {
    N_("random"), N_("degree"), N_("betweenness"), N_("pagerank"), N_("adaptive-degree"),
    N_("adaptive-betweenness"), N_("demand")};

const char *cy_attack_name(cy_attack attack)
{
    return (unsigned)attack < CY_ATTACK_COUNT ? attack_names[attack] : "unknown";
}

int cy_attack_parse(const char *name, cy_attack *attack)
{
    for (int a = 0; a < CY_ATTACK_COUNT; a++) {
        if (strcmp(name, attack_names[a]) == 0) {
            *attack = (cy_attack)a;
            return 1;
        }
    }
    return 0;
}

static const char *const by_names[] = {"enterprise", "park", "region"};

const char *cy_resilience_by_name(cy_resilience_by by)
{
    return (unsigned)by <= CY_BY_REGION ? by_names[by] : "unknown";
}

int cy_resilience_by_parse(const char *name, cy_resilience_by *by)
{
    for (int b = 0; b <= CY_BY_REGION; b++) {
        if (strcmp(name, by_names[b]) == 0) {
            *by = (cy_resilience_by)b;
            return 1;
        }
    }
    return 0;
}

const char *cy_metric_name(cy_metric metric)
{
    switch (metric) {
    case CY_METRIC_LCC: return "lcc";
    case CY_METRIC_OUTPUT: return "output";
    case CY_METRIC_BOTH: return "both";
    }
    return "unknown";
}

int cy_metric_parse(const char *name, cy_metric *metric)
{
    static const cy_metric metrics[] = {CY_METRIC_LCC, CY_METRIC_OUTPUT,
                                        CY_METRIC_BOTH};
    for (size_t k = 0; k < sizeof metrics / sizeof metrics[0]; k++) {
        if (strcmp(name, cy_metric_name(metrics[k])) == 0) {
            *metric = metrics[k];
            return 1;
        }
    }
    return 0;
}

void cy_resilience_params_init(cy_resilience_params *params)
{
    memset(params, 0, sizeof *params);
    params->attack = CY_ATTACK_RANDOM;
    params->metric = CY_METRIC_BOTH;
    params->trials = CY_RESILIENCE_DEFAULT_TRIALS;
    params->seed = 1;
    params->steps = CY_RESILIENCE_DEFAULT_STEPS;
}

void cy_resilience_curve_destroy(cy_resilience_curve *curve)
{
    if (!curve)
        return;
    cy_free(curve->points);
    cy_free(curve->order);
    memset(curve, 0, sizeof *curve);
}

/* ---- union-find -------------------------------------------------------- */

int cy_i_dsu_init(cy_i_dsu *dsu, size_t n)
{
    dsu->parent = cy_malloc((n + 1) * sizeof *dsu->parent);
    dsu->size = cy_malloc((n + 1) * sizeof *dsu->size);
    if (!dsu->parent || !dsu->size) {
        cy_i_dsu_destroy(dsu);
        return 0;
    }
    return 1;
}

void cy_i_dsu_destroy(cy_i_dsu *dsu)
{
    cy_free(dsu->parent);
    cy_free(dsu->size);
    dsu->parent = dsu->size = NULL;
}

void cy_i_dsu_make(cy_i_dsu *dsu, size_t v)
{
    dsu->parent[v] = v;
    dsu->size[v] = 1;
}

size_t cy_i_dsu_find(cy_i_dsu *dsu, size_t v)
{
    while (dsu->parent[v] != v) {
        dsu->parent[v] = dsu->parent[dsu->parent[v]]; /* path halving */
        v = dsu->parent[v];
    }
    return v;
}

size_t cy_i_dsu_unite(cy_i_dsu *dsu, size_t a, size_t b)
{
    a = cy_i_dsu_find(dsu, a);
    b = cy_i_dsu_find(dsu, b);
    if (a == b)
        return dsu->size[a];
    if (dsu->size[a] < dsu->size[b]) {
        size_t t = a;
        a = b;
        b = t;
    }
    dsu->parent[b] = a;
    dsu->size[a] += dsu->size[b];
    return dsu->size[a];
}

/* ---- adjacency and the Newman-Ziff curve -------------------------------- */

cy_status cy_i_adjacency_init(cy_i_adjacency *adj, const igraph_t *graph,
                              cy_error *err)
{
    size_t n = (size_t)igraph_vcount(graph), e = (size_t)igraph_ecount(graph);
    size_t *fill;

    adj->n = n;
    adj->offset = cy_calloc(n + 2, sizeof *adj->offset);
    adj->neighbor = cy_malloc((2 * e + 1) * sizeof *adj->neighbor);
    fill = cy_malloc((n + 1) * sizeof *fill);
    if (!adj->offset || !adj->neighbor || !fill) {
        cy_free(fill);
        cy_i_adjacency_destroy(adj);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < e; k++) {
        adj->offset[(size_t)IGRAPH_FROM(graph, k) + 1]++;
        adj->offset[(size_t)IGRAPH_TO(graph, k) + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        adj->offset[v + 1] += adj->offset[v];
    memcpy(fill, adj->offset, n * sizeof *fill);
    for (size_t k = 0; k < e; k++) {
        size_t a = (size_t)IGRAPH_FROM(graph, k), b = (size_t)IGRAPH_TO(graph, k);
        adj->neighbor[fill[a]++] = b;
        adj->neighbor[fill[b]++] = a;
    }
    cy_free(fill);
    return CY_OK;
}

void cy_i_adjacency_destroy(cy_i_adjacency *adj)
{
    cy_free(adj->offset);
    cy_free(adj->neighbor);
    adj->offset = adj->neighbor = NULL;
}

void cy_i_lcc_curve(const cy_i_adjacency *adj, const size_t *order,
                    cy_i_dsu *dsu, unsigned char *present, size_t *lcc_after)
{
    size_t n = adj->n, best = 0;

    memset(present, 0, n);
    lcc_after[n] = 0;
    for (size_t k = n; k-- > 0;) {
        size_t v = order[k];
        cy_i_dsu_make(dsu, v);
        present[v] = 1;
        if (best < 1)
            best = 1;
        for (size_t q = adj->offset[v]; q < adj->offset[v + 1]; q++) {
            size_t w = adj->neighbor[q];
            if (present[w]) {
                size_t merged = cy_i_dsu_unite(dsu, v, w);
                if (merged > best)
                    best = merged;
            }
        }
        lcc_after[k] = best;
    }
}

/* ---- attack orders ------------------------------------------------------- */

typedef struct {
    const igraph_t *directed; /* PageRank reads directions */
    const cy_network *net;    /* NULL for a bare graph */
    igraph_t simple;          /* undirected, multi-edges merged */
    int have_simple;
    cy_i_adjacency adj;
    size_t n;
    const cy_resilience_params *params;
    size_t *checkpoint;       /* removed count of each checkpoint */
    size_t checkpoint_count;
} attack_ctx;

/* Tell the caller that `done` of `total` units of work are done. */
static void report_progress(const cy_resilience_params *params, size_t done,
                            size_t total)
{
    if (params->progress && total > 0)
        params->progress(cy_attack_name(params->attack),
                         100.0 * (double)done / (double)total,
                         params->progress_data);
}

/* qsort has no context argument; see cascade.c. */
static _Thread_local const double *sort_value;

/* Descending value, ties by lower index. */
static int by_value_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_value[x] != sort_value[y])
        return sort_value[x] > sort_value[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

static void sort_by_value(size_t *items, size_t count, const double *value)
{
    sort_value = value;
    qsort(items, count, sizeof *items, by_value_desc);
}

/* The number of present neighbours of every vertex in `verts`. */
static void degrees_among(const attack_ctx *ctx, const unsigned char *present,
                          const size_t *verts, size_t count, double *value)
{
    for (size_t i = 0; i < count; i++) {
        size_t v = verts[i], d = 0;
        for (size_t q = ctx->adj.offset[v]; q < ctx->adj.offset[v + 1]; q++)
            d += present[ctx->adj.neighbor[q]];
        value[v] = (double)d;
    }
}

/*
 * The betweenness of the undirected graph `sub` into value[verts[i]] for
 * each of its vertices i, on chengyu's walk (cy_i_bfs_betweenness: the
 * bits of igraph_betweenness, which it replaced, below 256 vertices; from
 * 256 in 32 fixed chunks on the threads).  The adaptive attack
 * recomputes it after every removal: this is the whole cost of
 * `--attack adaptive-betweenness`.
 */
static cy_status sub_betweenness(const igraph_t *sub, const size_t *verts, double *value,
                                 cy_error *err)
{
    size_t n = (size_t)igraph_vcount(sub);
    double *sum = cy_malloc((n + 1) * sizeof *sum);
    cy_status status;

    if (!sum) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in betweenness");
        return CY_ENOMEM;
    }
    if ((status = cy_i_bfs_betweenness(sub, 0, sum, err)) == CY_OK)
        for (size_t i = 0; i < n; i++)
            value[verts[i]] = sum[i];
    cy_free(sum);
    return status;
}

/*
 * Betweenness (undirected, as igraph_betweenness) of the subgraph induced by
 * verts[0..count), written to value[v] for each v in it.  `local` is an
 * n-entry scratch array of SIZE_MAX, restored before returning.
 */
static cy_status betweenness_among(const attack_ctx *ctx, const size_t *verts,
                                   size_t count, size_t *local, double *value,
                                   cy_error *err)
{
    igraph_vector_int_t edges;
    igraph_t sub;
    igraph_error_t rc;
    cy_status status = CY_OK;

    for (size_t i = 0; i < count; i++)
        local[verts[i]] = i;
    if ((rc = igraph_vector_int_init(&edges, 0))) {
        status = cy_i_igraph_status(rc, err, "betweenness");
        goto restore;
    }
    for (size_t i = 0; i < count && !rc; i++) {
        size_t v = verts[i];
        for (size_t q = ctx->adj.offset[v]; q < ctx->adj.offset[v + 1] && !rc; q++) {
            size_t w = local[ctx->adj.neighbor[q]];
            if (w != SIZE_MAX && i < w) {
                rc = igraph_vector_int_push_back(&edges, (igraph_integer_t)i);
                if (!rc)
                    rc = igraph_vector_int_push_back(&edges, (igraph_integer_t)w);
            }
        }
    }
    if (rc || (rc = igraph_create(&sub, &edges, (igraph_integer_t)count,
                                  IGRAPH_UNDIRECTED))) {
        status = cy_i_igraph_status(rc, err, "betweenness");
        igraph_vector_int_destroy(&edges);
        goto restore;
    }
    igraph_vector_int_destroy(&edges);
    status = sub_betweenness(&sub, verts, value, err);
    igraph_destroy(&sub);
restore:
    for (size_t i = 0; i < count; i++)
        local[verts[i]] = SIZE_MAX;
    return status;
}

/* PageRank of the directed graph (PRPACK, damping 0.85, dangling nodes
 * spread uniformly), as `chengyu centrality` computes it. */
static cy_status pagerank_all(const attack_ctx *ctx, double *value, cy_error *err)
{
    igraph_vector_t result;
    igraph_error_t rc;

    if ((rc = igraph_vector_init(&result, 0)))
        return cy_i_igraph_status(rc, err, "pagerank");
    rc = igraph_pagerank(ctx->directed, IGRAPH_PAGERANK_ALGO_PRPACK, &result,
                         NULL, igraph_vss_all(), IGRAPH_DIRECTED, 0.85, NULL,
                         NULL);
    if (!rc)
        for (size_t v = 0; v < ctx->n; v++)
            value[v] = VECTOR(result)[v];
    igraph_vector_destroy(&result);
    return rc ? cy_i_igraph_status(rc, err, "pagerank") : CY_OK;
}

/*
 * An indexed binary max-heap of vertices keyed by key[v], ties by lower
 * index, so that the adaptive attacks can change keys in O(log n).
 */
typedef struct {
    size_t *heap;   /* vertices */
    size_t *slot;   /* position of v in heap, SIZE_MAX when absent */
    size_t count;
    const double *key;
} vertex_heap;

static int heap_above(const vertex_heap *h, size_t a, size_t b)
{
    if (h->key[a] != h->key[b])
        return h->key[a] > h->key[b];
    return a < b;
}

static void heap_swap(vertex_heap *h, size_t i, size_t j)
{
    size_t t = h->heap[i];
    h->heap[i] = h->heap[j];
    h->heap[j] = t;
    h->slot[h->heap[i]] = i;
    h->slot[h->heap[j]] = j;
}

static void heap_sift_up(vertex_heap *h, size_t i)
{
    while (i > 0 && heap_above(h, h->heap[i], h->heap[(i - 1) / 2])) {
        heap_swap(h, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_sift_down(vertex_heap *h, size_t i)
{
    for (;;) {
        size_t best = i, l = 2 * i + 1, r = l + 1;
        if (l < h->count && heap_above(h, h->heap[l], h->heap[best]))
            best = l;
        if (r < h->count && heap_above(h, h->heap[r], h->heap[best]))
            best = r;
        if (best == i)
            return;
        heap_swap(h, i, best);
        i = best;
    }
}

/* Restore the heap after key[v] changed in either direction. */
static void heap_update(vertex_heap *h, size_t v)
{
    if (h->slot[v] == SIZE_MAX)
        return;
    heap_sift_up(h, h->slot[v]);
    heap_sift_down(h, h->slot[v]);
}

static size_t heap_pop(vertex_heap *h)
{
    size_t top = h->heap[0];
    heap_swap(h, 0, h->count - 1);
    h->count--;
    h->slot[top] = SIZE_MAX;
    if (h->count)
        heap_sift_down(h, 0);
    return top;
}

/*
 * The component(s) that held v, now that v is gone: every present vertex
 * reachable from v's neighbours.  Writes them to out (returns the count);
 * `seen` holds a stamp per vertex so nothing needs clearing.
 */
static size_t components_around(const attack_ctx *ctx, size_t v,
                                const unsigned char *present, size_t *seen,
                                size_t stamp, size_t *out)
{
    size_t count = 0;
    for (size_t q = ctx->adj.offset[v]; q < ctx->adj.offset[v + 1]; q++) {
        size_t start = ctx->adj.neighbor[q];
        if (!present[start] || seen[start] == stamp)
            continue;
        seen[start] = stamp;
        out[count++] = start;
        /* out doubles as the BFS queue: everything after `head` is new. */
        for (size_t head = count - 1; head < count; head++) {
            size_t u = out[head];
            for (size_t r = ctx->adj.offset[u]; r < ctx->adj.offset[u + 1]; r++) {
                size_t w = ctx->adj.neighbor[r];
                if (present[w] && seen[w] != stamp) {
                    seen[w] = stamp;
                    out[count++] = w;
                }
            }
        }
    }
    return count;
}

/*
 * The exact adaptive attacks: after each removal only the keys that can
 * change are recomputed: the neighbours' degrees, or the betweenness of
 * the component(s) the removed firm belonged to (betweenness depends only
 * on a vertex's own component).
 */
static cy_status order_adaptive_exact(const attack_ctx *ctx, int by_betweenness,
                                      size_t *order, cy_error *err)
{
    size_t n = ctx->n, *all = NULL, *seen = NULL, *local = NULL, *buffer = NULL;
    unsigned char *present = NULL;
    double *key = NULL, *fresh = NULL;
    vertex_heap h = {NULL, NULL, 0, NULL};
    cy_status status = CY_OK;

    key = cy_malloc((n + 1) * sizeof *key);
    all = cy_malloc((n + 1) * sizeof *all);
    present = cy_malloc(n + 1);
    h.heap = cy_malloc((n + 1) * sizeof *h.heap);
    h.slot = cy_malloc((n + 1) * sizeof *h.slot);
    if (by_betweenness) {
        seen = cy_calloc(n + 1, sizeof *seen);
        local = cy_malloc((n + 1) * sizeof *local);
        buffer = cy_malloc((n + 1) * sizeof *buffer);
        fresh = cy_malloc((n + 1) * sizeof *fresh);
    }
    if (!key || !all || !present || !h.heap || !h.slot ||
        (by_betweenness && (!seen || !local || !buffer || !fresh))) {
        status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    memset(present, 1, n);
    for (size_t v = 0; v < n; v++) {
        all[v] = v;
        if (local)
            local[v] = SIZE_MAX;
    }
    if (by_betweenness)
        status = betweenness_among(ctx, all, n, local, key, err);
    else
        degrees_among(ctx, present, all, n, key);
    if (status != CY_OK)
        goto cleanup;
    h.key = key;
    for (size_t v = 0; v < n; v++) {
        h.heap[v] = v;
        h.slot[v] = v;
    }
    h.count = n;
    for (size_t i = n / 2; i-- > 0;)
        heap_sift_down(&h, i);

    for (size_t k = 0; k < n; k++) {
        size_t v = heap_pop(&h);
        order[k] = v;
        present[v] = 0;
        if (!by_betweenness) {
            for (size_t q = ctx->adj.offset[v]; q < ctx->adj.offset[v + 1]; q++) {
                size_t w = ctx->adj.neighbor[q];
                if (present[w]) {
                    key[w] -= 1.0;
                    heap_update(&h, w);
                }
            }
            report_progress(ctx->params, k + 1, n);
            continue;
        }
        size_t count = components_around(ctx, v, present, seen, k + 1, buffer);
        if ((status = betweenness_among(ctx, buffer, count, local, fresh, err)) != CY_OK)
            goto cleanup;
        /* One key at a time: the heap is valid again after each update. */
        for (size_t i = 0; i < count; i++) {
            key[buffer[i]] = fresh[buffer[i]];
            heap_update(&h, buffer[i]);
        }
        report_progress(ctx->params, k + 1, n);
    }
cleanup:
    cy_free(key);
    cy_free(all);
    cy_free(present);
    cy_free(h.heap);
    cy_free(h.slot);
    cy_free(seen);
    cy_free(local);
    cy_free(buffer);
    cy_free(fresh);
    return status;
}

/*
 * The cheap variant of the adaptive attacks (recompute_at_steps): at each
 * checkpoint the measure is recomputed on the remaining graph and the next
 * batch removed in that order.  Between checkpoints it is a fixed-order
 * attack, so it approximates the exact one, closer with more steps.
 */
static cy_status order_adaptive_batched(const attack_ctx *ctx, int by_betweenness,
                                        size_t *order, cy_error *err)
{
    size_t n = ctx->n, *remaining = NULL, *local = NULL, removed = 0;
    unsigned char *present = NULL;
    double *value = NULL;
    cy_status status = CY_OK;

    remaining = cy_malloc((n + 1) * sizeof *remaining);
    local = cy_malloc((n + 1) * sizeof *local);
    present = cy_malloc(n + 1);
    value = cy_malloc((n + 1) * sizeof *value);
    if (!remaining || !local || !present || !value) {
        status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    memset(present, 1, n);
    for (size_t v = 0; v < n; v++) {
        remaining[v] = v;
        local[v] = SIZE_MAX;
    }
    for (size_t c = 1; c < ctx->checkpoint_count; c++) {
        size_t batch = ctx->checkpoint[c] - removed, left = n - removed;
        if (by_betweenness)
            status = betweenness_among(ctx, remaining, left, local, value, err);
        else
            degrees_among(ctx, present, remaining, left, value);
        if (status != CY_OK)
            goto cleanup;
        sort_by_value(remaining, left, value);
        for (size_t i = 0; i < batch; i++) {
            order[removed + i] = remaining[i];
            present[remaining[i]] = 0;
        }
        memmove(remaining, remaining + batch, (left - batch) * sizeof *remaining);
        removed += batch;
        report_progress(ctx->params, c, ctx->checkpoint_count - 1);
    }
cleanup:
    cy_free(remaining);
    cy_free(local);
    cy_free(present);
    cy_free(value);
    return status;
}

/* A uniform random permutation of order[0..count) (Fisher-Yates). */
static void shuffle(cy_i_rng *rng, size_t *order, size_t count)
{
    for (size_t v = count; v > 1; v--) {
        size_t j = (size_t)cy_i_rng_below(rng, v), t = order[v - 1];
        order[v - 1] = order[j];
        order[j] = t;
    }
}

/* The demand attack's keys of each unit: its final demand, its demand
 * nodes, its members (1 for an enterprise). */
typedef struct {
    double *demand, *nodes, *members;
} demand_keys;

static _Thread_local const demand_keys *sort_keys; /* qsort has no context argument */

/* Largest final demand first, then most demand nodes, then most members,
 * then the lower index (file order). */
static int by_demand_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const double *keys[] = {sort_keys->demand, sort_keys->nodes, sort_keys->members};
    for (size_t k = 0; k < 3; k++)
        if (keys[k][x] != keys[k][y])
            return keys[k][x] > keys[k][y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/*
 * The demand attack's order of `count` units: enterprises (offset NULL)
 * or the groups whose members are members[offset[g] .. offset[g + 1]).
 */
static cy_status order_by_demand(const cy_network *net, const size_t *offset,
                                 const size_t *members, size_t count, size_t *order,
                                 cy_error *err)
{
    demand_keys keys;
    double *all = cy_calloc(3 * count + 1, sizeof *all);

    if (!all) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    keys.demand = all;
    keys.nodes = all + count;
    keys.members = all + 2 * count;
    for (size_t u = 0; u < count; u++) {
        size_t from = offset ? offset[u] : u, to = offset ? offset[u + 1] : u + 1;
        for (size_t q = from; q < to; q++) {
            size_t v = offset ? members[q] : q;
            keys.demand[u] += cy_enterprise_final_demand(net, v);
            keys.nodes[u] += (double)cy_enterprise_is_demand_node(net, v);
        }
        keys.members[u] = (double)(to - from);
        order[u] = u;
    }
    sort_keys = &keys;
    qsort(order, count, sizeof *order, by_demand_desc);
    cy_free(all);
    return CY_OK;
}

/* The removal order of one trial of the attack. */
static cy_status attack_order(const attack_ctx *ctx, cy_i_rng *rng,
                              size_t *order, cy_error *err)
{
    size_t n = ctx->n;
    double *value = NULL;
    unsigned char *present = NULL;
    cy_status status = CY_OK;

    switch (ctx->params->attack) {
    case CY_ATTACK_RANDOM:
        for (size_t v = 0; v < n; v++)
            order[v] = v;
        shuffle(rng, order, n);
        return CY_OK;
    case CY_ATTACK_DEMAND:
        return order_by_demand(ctx->net, NULL, NULL, n, order, err);
    case CY_ATTACK_ADAPTIVE_DEGREE:
    case CY_ATTACK_ADAPTIVE_BETWEENNESS: {
        int by_betweenness = ctx->params->attack == CY_ATTACK_ADAPTIVE_BETWEENNESS;
        return ctx->params->recompute_at_steps
                   ? order_adaptive_batched(ctx, by_betweenness, order, err)
                   : order_adaptive_exact(ctx, by_betweenness, order, err);
    }
    default:
        break;
    }
    value = cy_malloc((n + 1) * sizeof *value);
    present = cy_malloc(n + 1);
    if (!value || !present) {
        cy_free(value);
        cy_free(present);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t v = 0; v < n; v++)
        order[v] = v;
    memset(present, 1, n);
    if (ctx->params->attack == CY_ATTACK_DEGREE) {
        degrees_among(ctx, present, order, n, value);
    } else if (ctx->params->attack == CY_ATTACK_PAGERANK) {
        status = pagerank_all(ctx, value, err);
    } else {
        size_t *local = cy_malloc((n + 1) * sizeof *local);
        if (!local) {
            status = CY_ENOMEM;
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        } else {
            for (size_t v = 0; v < n; v++)
                local[v] = SIZE_MAX;
            status = betweenness_among(ctx, order, n, local, value, err);
            cy_free(local);
        }
    }
    if (status == CY_OK)
        sort_by_value(order, n, value);
    cy_free(value);
    cy_free(present);
    return status;
}

/* ---- the curve ------------------------------------------------------------ */

/* Sums over trials, at every removal count and at the checkpoints. */
typedef struct {
    double *lcc_sum;        /* units + 1: largest component after Q removals */
    double *fraction_mean;  /* checkpoints: Welford running mean ... */
    double *fraction_m2;    /* ... and sum of squared deviations */
    double *output_sum;     /* checkpoints, the four impact sums: */
    double *demand_lost_sum;
    double *demand_failed_sum;
    double *failed_sum;
    double *removed_sum;    /* checkpoints: enterprises removed */
} curve_sums;

/*
 * What one removal takes: an enterprise (count N, boundary[q] = q) or a
 * group (count G; its members come out together, boundary[q] = the firms
 * in the first q groups of this trial's order).
 */
typedef struct {
    cy_resilience_by by;
    size_t count;
    size_t *offset, *members;   /* by group: the members of each group */
    size_t *unit_order;         /* by group: this trial's order of the groups */
    size_t *boundary;           /* count + 1 */
} removal_units;

/*
 * The share of the network's final demand still served: by value, or by
 * count of demand nodes when no firm has final demand.
 */
static double output_share(const cy_i_cascade *c, double demand_total, size_t demand_count)
{
    double share;
    if (demand_total > 0.0)
        share = 1.0 - c->final_demand_lost / demand_total;
    else
        share = (double)(demand_count - c->demand_failed) / (double)demand_count;
    return share < 0.0 ? 0.0 : share > 1.0 ? 1.0 : share;
}

static void sums_destroy(curve_sums *s)
{
    cy_free(s->lcc_sum);
    cy_free(s->fraction_mean);
    cy_free(s->fraction_m2);
    cy_free(s->output_sum);
    cy_free(s->demand_lost_sum);
    cy_free(s->demand_failed_sum);
    cy_free(s->failed_sum);
    cy_free(s->removed_sum);
}

/* 0 on OOM (sums_destroy frees what was made). */
static int sums_init(curve_sums *s, size_t units, size_t steps)
{
    s->lcc_sum = cy_calloc(units + 1, sizeof *s->lcc_sum);
    s->fraction_mean = cy_calloc(steps + 1, sizeof *s->fraction_mean);
    s->fraction_m2 = cy_calloc(steps + 1, sizeof *s->fraction_m2);
    s->output_sum = cy_calloc(steps + 1, sizeof *s->output_sum);
    s->demand_lost_sum = cy_calloc(steps + 1, sizeof *s->demand_lost_sum);
    s->demand_failed_sum = cy_calloc(steps + 1, sizeof *s->demand_failed_sum);
    s->failed_sum = cy_calloc(steps + 1, sizeof *s->failed_sum);
    s->removed_sum = cy_calloc(steps + 1, sizeof *s->removed_sum);
    return s->lcc_sum && s->fraction_mean && s->fraction_m2 && s->output_sum &&
           s->demand_lost_sum && s->demand_failed_sum && s->failed_sum && s->removed_sum;
}

static cy_status check_params(const cy_resilience_params *p, int have_net, cy_error *err)
{
    const char *problem = NULL;
    if ((unsigned)p->attack >= CY_ATTACK_COUNT)
        problem = "unknown attack";
    else if (p->metric != CY_METRIC_LCC && p->metric != CY_METRIC_OUTPUT &&
             p->metric != CY_METRIC_BOTH)
        problem = "unknown metric";
    else if ((unsigned)p->by > CY_BY_REGION)
        problem = "unknown removal unit";
    else if (p->by != CY_BY_ENTERPRISE && p->attack != CY_ATTACK_RANDOM &&
             p->attack != CY_ATTACK_DEMAND)
        problem = "parks and regions are removed by the random or demand attack only";
    else if (!have_net && (p->by != CY_BY_ENTERPRISE || p->attack == CY_ATTACK_DEMAND))
        problem = "groups and the demand attack need a network, not a bare graph";
    else if (p->trials == 0)
        problem = "trials must be at least 1";
    else if (p->steps == 0)
        problem = "steps must be at least 1";
    else if (!(p->threshold >= 0.0 && p->threshold <= 1.0))
        problem = "threshold must be in [0, 1]";
    if (!problem)
        return CY_OK;
    cy_error_add(err, CY_SEV_ERROR, NULL, "resilience: %s", problem);
    return CY_EUSAGE;
}

static cy_group_kind by_group_kind(cy_resilience_by by)
{
    return by == CY_BY_PARK ? CY_GROUP_PARK : CY_GROUP_REGION;
}

static void units_destroy(removal_units *u)
{
    cy_free(u->offset);
    cy_free(u->members);
    cy_free(u->unit_order);
    cy_free(u->boundary);
}

/* The units of `by` on `net` (n firms).  CY_EINPUT when the network has
 * no group of that kind. */
static cy_status units_init(removal_units *u, const cy_network *net, cy_resilience_by by,
                            size_t n, cy_error *err)
{
    memset(u, 0, sizeof *u);
    u->by = by;
    u->count = n;
    if (by != CY_BY_ENTERPRISE) {
        cy_group_kind kind = by_group_kind(by);
        u->count = cy_network_group_count(net, kind);
        if (u->count == 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "resilience by %s: the network has no %s", cy_group_kind_name(kind),
                         kind == CY_GROUP_PARK ? "parks" : "regions");
            return CY_EINPUT;
        }
        u->unit_order = cy_malloc(u->count * sizeof *u->unit_order);
        if (!u->unit_order || !cy_i_group_members(net, kind, &u->offset, &u->members))
            goto oom;
    }
    u->boundary = cy_malloc((u->count + 1) * sizeof *u->boundary);
    if (!u->boundary)
        goto oom;
    for (size_t q = 0; q <= u->count; q++)
        u->boundary[q] = q;
    return CY_OK;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

/*
 * One trial's removal order: of the units (into `unit_order`, u->count
 * entries) and of the firms (into `order`, all n of them: the members of
 * the removed groups in group order, then every firm of no group, which
 * is never removed but completes the permutation Newman-Ziff reads).
 * `placed` is n bytes of scratch.
 */
static cy_status trial_order(const attack_ctx *ctx, removal_units *u, cy_i_rng *rng,
                             size_t *order, unsigned char *placed, cy_error *err)
{
    size_t count = 0;
    cy_status status;

    if (u->by == CY_BY_ENTERPRISE)
        return attack_order(ctx, rng, order, err);
    if (ctx->params->attack == CY_ATTACK_DEMAND) {
        status = order_by_demand(ctx->net, u->offset, u->members, u->count, u->unit_order,
                                 err);
        if (status != CY_OK)
            return status;
    } else {
        for (size_t g = 0; g < u->count; g++)
            u->unit_order[g] = g;
        shuffle(rng, u->unit_order, u->count);
    }
    memset(placed, 0, ctx->n);
    for (size_t q = 0; q < u->count; q++) {
        size_t g = u->unit_order[q];
        for (size_t m = u->offset[g]; m < u->offset[g + 1]; m++) {
            order[count++] = u->members[m];
            placed[u->members[m]] = 1;
        }
        u->boundary[q + 1] = count;
    }
    for (size_t v = 0; v < ctx->n; v++)
        if (!placed[v])
            order[count++] = v;
    return CY_OK;
}

/* Everything attack_run builds once and frees at the end; `rng` holds
 * the generator of each trial of the running batch as it stands when the
 * trial starts. */
typedef struct {
    attack_ctx ctx;
    removal_units units;
    curve_sums sums;
    cy_i_cascade cascade;
    int have_cascade;
    cy_i_rng *rng;
} run_state;

static void run_state_destroy(run_state *r)
{
    if (r->have_cascade)
        cy_i_cascade_destroy(&r->cascade);
    if (r->ctx.have_simple)
        igraph_destroy(&r->ctx.simple);
    cy_i_adjacency_destroy(&r->ctx.adj);
    cy_free(r->ctx.checkpoint);
    cy_free(r->rng);
    units_destroy(&r->units);
    sums_destroy(&r->sums);
}

/* The undirected simple firm graph and its adjacency. */
static cy_status simple_graph(attack_ctx *ctx, const igraph_t *directed, cy_error *err)
{
    igraph_error_t rc;

    if ((rc = igraph_copy(&ctx->simple, directed)))
        return cy_i_igraph_status(rc, err, "resilience");
    ctx->have_simple = 1;
    if (igraph_is_directed(&ctx->simple))
        rc = igraph_to_undirected(&ctx->simple, IGRAPH_TO_UNDIRECTED_COLLAPSE, NULL);
    else
        rc = igraph_simplify(&ctx->simple, /* multiple = */ 1, /* loops = */ 1, NULL);
    if (rc)
        return cy_i_igraph_status(rc, err, "resilience");
    return cy_i_adjacency_init(&ctx->adj, &ctx->simple, err);
}

/*
 * The trials run as a parallel loop (random attacks; every other attack
 * has one trial and runs on the calling thread, as it may call igraph).
 * A trial reads the shared adjacency, cascade index and group lists and
 * writes into its worker's state: its own order, union-find, cascade
 * engine and copy of the units' order and boundaries.  What it measures
 * goes to two places: the largest component after each removal count is
 * an integer, summed per worker and then across workers (integer sums
 * are exact in any order); the figures at the checkpoints, which the
 * curve averages in floating point, go to the trial's slot of a batch and
 * are added in trial order, as one thread adds them.  The generator of
 * each trial is the sequence's state when the trial starts (trial_generators),
 * so every trial draws what it drew when the trials ran one after
 * another.  The curve is thus the same for every thread count.
 */
typedef struct {
    double *x, *removed, *output, *demand_lost, *demand_failed, *failed;
} trial_slot;

typedef struct {
    size_t *order, *lcc_after;
    unsigned char *present;
    cy_i_dsu dsu;
    cy_i_cascade cascade;
    int have_cascade;
    removal_units units;   /* offset and members are the run's */
    size_t *lcc_sum;       /* units + 1: this worker's integer sums */
} trial_worker;

typedef struct {
    run_state *r;
    cy_resilience_curve *curve;
    double demand_total;
    size_t demand_count;
    size_t first;          /* the batch's first trial */
    double *slots;         /* batch x 6 x (steps + 1) */
    size_t batch_count, trials;
    size_t reported;       /* trials reported done */
} trial_job;

/* Trial t's slot of the batch. */
static trial_slot slot_of(const trial_job *job, size_t t)
{
    size_t points = job->r->ctx.checkpoint_count;
    double *base = job->slots + (t - job->first) * 6 * points;
    trial_slot s = {base, base + points, base + 2 * points, base + 3 * points,
                    base + 4 * points, base + 5 * points};
    return s;
}

/* Fold a worker's integer sums into the run's (exact in any order), then
 * free it. */
static void trial_worker_free(void *ctx, void *state)
{
    trial_job *job = ctx;
    trial_worker *w = state;
    if (!w)
        return;
    if (w->lcc_sum)
        for (size_t q = 0; q <= w->units.count; q++)
            job->r->sums.lcc_sum[q] += (double)w->lcc_sum[q];
    if (w->have_cascade)
        cy_i_cascade_destroy(&w->cascade);
    cy_i_dsu_destroy(&w->dsu);
    cy_free(w->order);
    cy_free(w->lcc_after);
    cy_free(w->present);
    cy_free(w->units.unit_order);
    cy_free(w->units.boundary);
    cy_free(w->lcc_sum);
    cy_free(w);
}

static cy_status trial_worker_make(void *ctx, void **state, cy_error *err)
{
    trial_job *job = ctx;
    const run_state *r = job->r;
    size_t n = r->ctx.n, units = r->units.count;
    trial_worker *w = cy_calloc(1, sizeof *w);

    *state = w;
    if (!w)
        goto oom;
    w->units = r->units;
    w->units.unit_order = NULL;
    w->units.boundary = cy_malloc((units + 1) * sizeof *w->units.boundary);
    if (r->units.unit_order &&
        !(w->units.unit_order = cy_malloc(units * sizeof *w->units.unit_order)))
        goto oom;
    w->order = cy_malloc(n * sizeof *w->order);
    w->lcc_after = cy_malloc((n + 1) * sizeof *w->lcc_after);
    w->present = cy_malloc(n);
    w->lcc_sum = cy_calloc(units + 1, sizeof *w->lcc_sum);
    if (!w->units.boundary || !w->order || !w->lcc_after || !w->present || !w->lcc_sum ||
        !cy_i_dsu_init(&w->dsu, n))
        goto oom;
    for (size_t q = 0; q <= units; q++)
        w->units.boundary[q] = q;
    if (r->have_cascade) {
        cy_status status = cy_i_cascade_init_borrowed(&w->cascade, &r->cascade, err);
        if (status != CY_OK)
            return status;
        w->have_cascade = 1;
    }
    return CY_OK;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

/* One trial: its order, its component curve, its impacts at the
 * checkpoints, into its slot and its worker's sums. */
static cy_status trial_item(void *ctx, void *state, size_t k, cy_error *err)
{
    trial_job *job = ctx;
    trial_worker *w = state;
    const run_state *r = job->r;
    size_t t = job->first + k, steps = r->ctx.checkpoint_count - 1;
    const size_t *cut = w->units.boundary, *checkpoint = r->ctx.checkpoint;
    trial_slot slot = slot_of(job, t);
    cy_i_rng rng = r->rng[k];
    cy_status status = trial_order(&r->ctx, &w->units, &rng, w->order, w->present, err);

    if (status != CY_OK)
        return status;
    if (t == 0)
        memcpy(job->curve->order,
               w->units.by == CY_BY_ENTERPRISE ? w->order : w->units.unit_order,
               w->units.count * sizeof *job->curve->order);
    cy_i_lcc_curve(&r->ctx.adj, w->order, &w->dsu, w->present, w->lcc_after);
    for (size_t q = 0; q <= w->units.count; q++)
        w->lcc_sum[q] += w->lcc_after[cut[q]];
    for (size_t c = 0; c <= steps; c++) {
        slot.x[c] = (double)w->lcc_after[cut[checkpoint[c]]] / (double)r->ctx.n;
        slot.removed[c] = (double)cut[checkpoint[c]];
    }
    if (w->have_cascade) {
        /* Failures only grow with the removed set: seed the next firms
         * and let the cascade continue from where it stood. */
        size_t removed = 0;
        for (size_t c = 0; c <= steps; c++) {
            for (; removed < cut[checkpoint[c]]; removed++) {
                cy_i_cascade_seed(&w->cascade, w->order[removed]);
                cy_i_cascade_propagate(&w->cascade);
            }
            slot.output[c] = output_share(&w->cascade, job->demand_total, job->demand_count);
            slot.demand_lost[c] = w->cascade.final_demand_lost;
            slot.demand_failed[c] = (double)w->cascade.demand_failed;
            slot.failed[c] = (double)w->cascade.order_count;
        }
        cy_i_cascade_reset(&w->cascade);
    }
    return CY_OK;
}

/* Add trial t's slot to the sums, in trial order. */
static void trial_add(trial_job *job, size_t t)
{
    curve_sums *sums = &job->r->sums;
    size_t steps = job->r->ctx.checkpoint_count - 1;
    trial_slot slot = slot_of(job, t);

    for (size_t k = 0; k <= steps; k++) {
        double x = slot.x[k], delta = x - sums->fraction_mean[k];
        sums->fraction_mean[k] += delta / (double)(t + 1);
        sums->fraction_m2[k] += delta * (x - sums->fraction_mean[k]);
        sums->removed_sum[k] += slot.removed[k];
        if (job->r->have_cascade) {
            sums->output_sum[k] += slot.output[k];
            sums->demand_lost_sum[k] += slot.demand_lost[k];
            sums->demand_failed_sum[k] += slot.demand_failed[k];
            sums->failed_sum[k] += slot.failed[k];
        }
    }
}

/* The generators of trials first .. first + count - 1 into r->rng: the
 * sequence `seq` as it stands when each starts, advanced past exactly the
 * draws of its shuffle. */
static void trial_generators(run_state *r, cy_i_rng *seq, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        r->rng[k] = *seq;
        if (r->ctx.params->attack == CY_ATTACK_RANDOM)
            for (size_t v = r->units.count; v > 1; v--)
                (void)cy_i_rng_below(seq, v);
    }
}

/* Trials per batch: at most 256 (progress comes early), the slots of a
 * batch within about 16 MB. */
static size_t batch_size(const run_state *r, size_t trials)
{
    size_t per_trial = 6 * r->ctx.checkpoint_count * sizeof(double);
    size_t batch = ((size_t)16 << 20) / per_trial;
    if (batch < 1)
        batch = 1;
    if (batch > 256)
        batch = 256;
    return batch < trials ? batch : trials;
}

/* The progress of a batch as the share of all trials done. */
static void trials_progress(const char *what, double percent, void *data)
{
    trial_job *job = data;
    size_t done = job->first + (size_t)(percent / 100.0 * (double)job->batch_count + 0.5);
    (void)what;
    if (done <= job->reported)
        return;
    job->reported = done;
    report_progress(job->r->ctx.params, done, job->trials);
}

/*
 * The trial loop of a deterministic attack, run here on the calling
 * thread and not as an item of cy_i_par_run: inside an item every loop
 * gets one thread, and the attack's order starts loops of its own (the
 * betweenness chunks).  Such a loop has one trial, so no progress, and
 * neither `after` nor `thread_end`: what it omits of cy_i_par_run's one
 * thread (those, and keeping an item's messages only when it fails: the
 * trials add none on success) changes nothing.
 */
static cy_status run_here(const cy_i_par_job *par, cy_error *err)
{
    void *state = NULL;
    cy_status status = par->worker_init(par->ctx, &state, err);

    for (size_t k = 0; k < par->count && status == CY_OK; k++)
        status = par->item(par->ctx, state, k, err);
    par->worker_destroy(par->ctx, state);
    return status;
}

/* Run the trials batch by batch and fold them into the sums. */
static cy_status run_trials(run_state *r, cy_resilience_curve *curve, size_t trials,
                            double demand_total, size_t demand_count, cy_error *err)
{
    trial_job job;
    cy_i_par_job par = {0};
    size_t batch = batch_size(r, trials);
    cy_i_rng seq;
    cy_status status = CY_OK;

    job = (trial_job){.r = r, .curve = curve, .demand_total = demand_total,
                      .demand_count = demand_count, .trials = trials};
    job.slots = cy_malloc(batch * 6 * r->ctx.checkpoint_count * sizeof *job.slots);
    r->rng = cy_malloc(batch * sizeof *r->rng);
    if (!job.slots || !r->rng) {
        cy_free(job.slots);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    cy_i_rng_seed(&seq, r->ctx.params->seed, 0);
    par.threads = r->ctx.params->attack == CY_ATTACK_RANDOM ? 0 : 1;
    par.ctx = &job;
    par.worker_init = trial_worker_make;
    par.worker_destroy = trial_worker_free;
    par.item = trial_item;
    if (trials > 1) {
        par.progress = trials_progress;
        par.progress_data = &job;
    }
    for (job.first = 0; job.first < trials && status == CY_OK; job.first += par.count) {
        par.count = trials - job.first < batch ? trials - job.first : batch;
        job.batch_count = par.count;
        trial_generators(r, &seq, par.count);
        status = par.threads == 1 ? run_here(&par, err) : cy_i_par_run(&par, err);
        if (status != CY_OK)
            break;
        for (size_t t = job.first; t < job.first + par.count; t++)
            trial_add(&job, t);
    }
    cy_free(job.slots);
    return status;
}

/* The curve's points, R and critical fraction from the sums. */
static void finish_curve(const run_state *r, cy_resilience_curve *c, size_t trials,
                         double demand_total)
{
    size_t n = r->ctx.n, units = r->units.count, steps = r->ctx.checkpoint_count - 1;
    int measured = r->have_cascade;

    for (size_t k = 0; k <= steps; k++) {
        cy_curve_point *p = &c->points[k];
        p->removed = r->ctx.checkpoint[k];
        /* The nominal checkpoint k/steps (0, 0.01, ..., 1 by default), as
         * the curve is specified; `removed` is the whole number of units
         * nearest to it. */
        p->removed_fraction = (double)k / (double)steps;
        p->enterprises_removed = r->sums.removed_sum[k] / (double)trials;
        p->lcc = r->sums.lcc_sum[p->removed] / (double)trials;
        p->lcc_fraction = p->lcc / (double)n;
        p->lcc_fraction_sd = trials > 1 ? sqrt(r->sums.fraction_m2[k] / (double)(trials - 1))
                                        : 0.0;
        p->output_fraction = measured ? r->sums.output_sum[k] / (double)trials : NAN;
        p->final_demand_lost = measured ? r->sums.demand_lost_sum[k] / (double)trials : NAN;
        p->final_demand_lost_fraction =
            measured && demand_total > 0.0 ? p->final_demand_lost / demand_total : NAN;
        p->demand_nodes_failed =
            measured ? r->sums.demand_failed_sum[k] / (double)trials : NAN;
        p->failed_count = measured ? r->sums.failed_sum[k] / (double)trials : NAN;
    }
    c->r_index = 0.0;
    for (size_t q = 1; q <= units; q++)
        c->r_index += r->sums.lcc_sum[q] / (double)trials / (double)n;
    c->r_index /= (double)units;
    for (size_t q = 0; q <= units; q++) {
        if (r->sums.lcc_sum[q] / (double)trials / (double)n <= CY_CRITICAL_LCC_FRACTION) {
            c->critical_fraction = (double)q / (double)units;
            break;
        }
    }
}

/* Allocate the per-run arrays and the checkpoints.  0 on OOM. */
static int run_arrays(run_state *r, cy_resilience_curve *curve, size_t steps)
{
    size_t units = r->units.count;

    r->ctx.checkpoint_count = steps + 1;
    r->ctx.checkpoint = cy_malloc((steps + 1) * sizeof *r->ctx.checkpoint);
    curve->points = cy_calloc(steps + 1, sizeof *curve->points);
    curve->order = cy_malloc(units * sizeof *curve->order);
    if (!r->ctx.checkpoint || !curve->points || !curve->order ||
        !sums_init(&r->sums, units, steps))
        return 0;
    /* Round half up, exactly in integers: removed_k = round(k units / steps). */
    for (size_t k = 0; k <= steps; k++)
        r->ctx.checkpoint[k] = (size_t)((2 * (unsigned long long)k * units + steps) /
                                        (2 * (unsigned long long)steps));
    curve->point_count = steps + 1;
    return 1;
}

/*
 * Run the attack on `directed` (and, with a network, the output metric).
 * Everything the trials share (adjacency, cascade index, sums) is built
 * once; each trial costs its order plus O((N + E) alpha(N) + m).
 */
static cy_status attack_run(const igraph_t *directed, const cy_network *net,
                            const cy_resilience_params *params,
                            cy_resilience_curve *curve, cy_error *err)
{
    run_state r;
    size_t n = (size_t)igraph_vcount(directed), steps, demand_count = 0, trials;
    double demand_total = 0.0;
    int measure_output;
    cy_status status;

    cy_library_init();
    memset(curve, 0, sizeof *curve);
    memset(&r, 0, sizeof r);
    if ((status = check_params(params, net != NULL, err)) != CY_OK)
        return status;
    trials = params->attack == CY_ATTACK_RANDOM ? params->trials : 1;
    curve->attack = params->attack;
    curve->metric = params->metric;
    curve->by = params->by;
    curve->trials = trials;
    curve->enterprise_count = n;
    curve->critical_fraction = NAN;
    if (net) {
        for (size_t v = 0; v < n; v++)
            demand_count += (size_t)cy_enterprise_is_demand_node(net, v);
        demand_total = cy_network_final_demand_total(net);
        curve->final_demand_total = demand_total;
        curve->demand_node_count = demand_count;
    }
    measure_output = net && (params->metric & CY_METRIC_OUTPUT) && demand_count > 0;
    curve->has_output = measure_output;
    if ((status = units_init(&r.units, net, params->by, n, err)) != CY_OK)
        goto fail;
    curve->unit_count = r.units.count;
    if (n == 0) {
        status = CY_OK;
        goto cleanup;
    }
    /* By group, one point per group; by enterprise at most one per firm. */
    steps = params->by != CY_BY_ENTERPRISE || params->steps > r.units.count
                ? r.units.count : params->steps;
    r.ctx.directed = directed;
    r.ctx.net = net;
    r.ctx.params = params;
    r.ctx.n = n;
    if ((status = simple_graph(&r.ctx, directed, err)) != CY_OK)
        goto fail;
    if (measure_output) {
        if ((status = cy_i_cascade_init(&r.cascade, net, params->threshold, err)) != CY_OK)
            goto fail;
        r.have_cascade = 1;
    }
    if (!run_arrays(&r, curve, steps)) {
        status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto fail;
    }
    report_progress(params, 0, 1);
    if ((status = run_trials(&r, curve, trials, demand_total, demand_count, err)) != CY_OK)
        goto fail;
    finish_curve(&r, curve, trials, demand_total);
    status = CY_OK;
    goto cleanup;

fail:
    cy_resilience_curve_destroy(curve);
cleanup:
    run_state_destroy(&r);
    return status;
}

cy_status cy_resilience_run(const cy_network *net,
                            const cy_resilience_params *params,
                            cy_resilience_curve *curve, cy_error *err)
{
    return attack_run(&net->firm_graph, net, params, curve, err);
}

cy_status cy_i_attack_curve_graph(const igraph_t *graph,
                                  const cy_resilience_params *params,
                                  cy_resilience_curve *curve, cy_error *err)
{
    return attack_run(graph, NULL, params, curve, err);
}
