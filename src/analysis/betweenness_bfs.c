/*
 * betweenness_bfs.c - Brandes' betweenness for unweighted walks, and the
 * searches of unweighted closeness and harmonic centrality, with no igraph
 * call once the walk is built, so that threads can share it (see
 * betweenness_internal.h for why it is not igraph's, and what it matches).
 *
 * The walk is two compressed adjacency arrays, built by two stable
 * counting sorts (by neighbour, then by vertex) so that every list is in
 * increasing id, as igraph_adjlist_init gives it: the breadth-first order
 * decides the order of every floating-point sum, and with it the bits.
 * The dependencies go backwards as igraph's do (each vertex, in the
 * reverse of the order reached, hands (1 + its dependency) / its paths to
 * its parents), but the parents are found among the vertex's
 * predecessors by distance rather than kept in lists: each parent still
 * receives its shares in the same order, and no list grows in the search.
 */
#include "betweenness_internal.h"

#include <string.h>

/* The pair (vertex, neighbour) that edge e gives the walk, `flip`ped
 * for the reverse direction or the second half of an undirected edge. */
static void edge_pair(const igraph_t *graph, igraph_integer_t e, int flip, uint32_t *at,
                      uint32_t *to)
{
    uint32_t a = (uint32_t)IGRAPH_FROM(graph, e), b = (uint32_t)IGRAPH_TO(graph, e);
    *at = flip ? b : a;
    *to = flip ? a : b;
}

/* Counts into cursors: cursor[k] = the sum of count[0 .. k). */
static void prefix_sums(size_t *count, size_t n)
{
    size_t sum = 0;
    for (size_t k = 0; k < n; k++) {
        size_t here = count[k];
        count[k] = sum;
        sum += here;
    }
    count[n] = sum;
}

/*
 * Pass 1 of the sort: the pairs of every edge but a self-loop (one or,
 * `both` ways, two per edge; flipped when `flip`), stably by neighbour,
 * into at[] / to[].  `count` has n + 1 zeroed entries; returns the pairs.
 */
static size_t pairs_by_neighbour(const igraph_t *graph, int both, int flip, size_t *count,
                                 uint32_t *at, uint32_t *to)
{
    igraph_integer_t m = igraph_ecount(graph);
    size_t n = (size_t)igraph_vcount(graph);
    uint32_t a, b;
    size_t total;

    for (igraph_integer_t e = 0; e < m; e++) {
        edge_pair(graph, e, flip, &a, &b);
        if (a != b) {
            count[b]++;
            count[a] += both != 0;
        }
    }
    prefix_sums(count, n);
    total = count[n];
    for (igraph_integer_t e = 0; e < m; e++) {
        for (int half = 0; half <= both; half++) {
            edge_pair(graph, e, flip ^ half, &a, &b);
            if (a == b)
                continue;
            at[count[b]] = a;
            to[count[b]++] = b;
        }
    }
    return total;
}

/*
 * One direction of the walk: *list_at (n + 1 offsets) and *list, each
 * vertex's neighbours in increasing id.  0 when memory runs out.
 */
static int build_lists(const igraph_t *graph, int both, int flip, size_t **list_at,
                       uint32_t **list)
{
    size_t n = (size_t)igraph_vcount(graph), pairs, room;
    size_t *count = cy_calloc(n + 1, sizeof *count);
    uint32_t *at, *to;
    int ok = 0;

    room = (size_t)igraph_ecount(graph) * (both ? 2 : 1);
    at = cy_malloc((room + 1) * sizeof *at);
    to = cy_malloc((room + 1) * sizeof *to);
    *list_at = cy_calloc(n + 1, sizeof **list_at);
    *list = cy_malloc((room + 1) * sizeof **list);
    if (!count || !at || !to || !*list_at || !*list)
        goto cleanup;
    pairs = n > 0 ? pairs_by_neighbour(graph, both, flip, count, at, to) : 0;
    /* Pass 2: stably by vertex, so each list keeps the neighbours' order. */
    for (size_t k = 0; k < pairs; k++)
        (*list_at)[at[k]]++;
    prefix_sums(*list_at, n);
    memcpy(count, *list_at, (n + 1) * sizeof *count);
    for (size_t k = 0; k < pairs; k++)
        (*list)[count[at[k]]++] = to[k];
    ok = 1;
cleanup:
    if (!ok) {
        cy_free(*list_at);
        cy_free(*list);
        *list_at = NULL;
        *list = NULL;
    }
    cy_free(count);
    cy_free(at);
    cy_free(to);
    return ok;
}

int cy_i_bfs_graph_init(cy_i_bfs_graph *g, const igraph_t *graph, int directed)
{
    int both = !(directed && igraph_is_directed(graph));

    memset(g, 0, sizeof *g);
    if ((size_t)igraph_vcount(graph) > CY_I_BFS_MAX_VERTICES)
        return 0;
    g->n = (size_t)igraph_vcount(graph);
    g->halve = both;
    if (!build_lists(graph, both, 0, &g->next_at, &g->next))
        return 0;
    if (both) {
        g->prev_at = g->next_at;
        g->prev = g->next;
        return 1;
    }
    if (build_lists(graph, 0, 1, &g->prev_at, &g->prev))
        return 1;
    cy_i_bfs_graph_destroy(g);
    return 0;
}

void cy_i_bfs_graph_destroy(cy_i_bfs_graph *g)
{
    if (g->prev != g->next) {
        cy_free(g->prev_at);
        cy_free(g->prev);
    }
    cy_free(g->next_at);
    cy_free(g->next);
    memset(g, 0, sizeof *g);
}

int cy_i_bfs_work_init(cy_i_bfs_work *w, size_t n)
{
    w->dist = cy_calloc(n + 1, sizeof *w->dist);
    w->order = cy_malloc((n + 1) * sizeof *w->order);
    w->paths = cy_calloc(n + 1, sizeof *w->paths);
    w->dep = cy_calloc(n + 1, sizeof *w->dep);
    if (w->dist && w->order && w->paths && w->dep)
        return 1;
    cy_i_bfs_work_destroy(w);
    return 0;
}

void cy_i_bfs_work_destroy(cy_i_bfs_work *w)
{
    cy_free(w->dist);
    cy_free(w->order);
    cy_free(w->paths);
    cy_free(w->dep);
    memset(w, 0, sizeof *w);
}

/* Breadth-first from s: distances + 1, path counts, and the order the
 * vertices were reached in; returns how many were. */
static size_t search(const cy_i_bfs_graph *g, cy_i_bfs_work *w, uint32_t s)
{
    uint32_t *dist = w->dist, *order = w->order;
    double *paths = w->paths;
    size_t head = 0, reached = 1;

    order[0] = s;
    dist[s] = 1;
    paths[s] = 1;
    while (head < reached) {
        uint32_t u = order[head++], du = dist[u] + 1;
        double pu = paths[u];
        for (size_t e = g->next_at[u]; e < g->next_at[u + 1]; e++) {
            uint32_t x = g->next[e];
            if (dist[x] == 0) {
                dist[x] = du;
                order[reached++] = x;
            }
            if (dist[x] == du)
                paths[x] += pu;
        }
    }
    return reached;
}

/*
 * The dependencies, backwards from the last vertex reached, into out;
 * the scratch is zeroed on the way.  A parent of x is a predecessor one
 * step nearer the source: not yet visited here (it was reached earlier),
 * while every vertex already visited has its distance reset to 0, which
 * no parent's is.
 */
static void accumulate(const cy_i_bfs_graph *g, cy_i_bfs_work *w, size_t reached, double *out)
{
    uint32_t *dist = w->dist, *order = w->order;
    double *paths = w->paths, *dep = w->dep;

    while (reached-- > 1) {
        uint32_t x = order[reached], near = dist[x] - 1;
        double share = (1 + dep[x]) / paths[x];
        for (size_t e = g->prev_at[x]; e < g->prev_at[x + 1]; e++) {
            uint32_t f = g->prev[e];
            if (dist[f] == near)
                dep[f] += paths[f] * share;
        }
        out[x] += dep[x];
        dist[x] = 0;
        paths[x] = 0;
        dep[x] = 0;
    }
    dist[order[0]] = 0; /* the source, which is no vertex's parent here */
    paths[order[0]] = 0;
    dep[order[0]] = 0;
}

void cy_i_bfs_dependencies(const cy_i_bfs_graph *g, cy_i_bfs_work *w,
                           const igraph_integer_t *src, size_t count, double *out)
{
    memset(out, 0, g->n * sizeof *out);
    for (size_t k = 0; k < count; k++)
        accumulate(g, w, search(g, w, (uint32_t)src[k]), out);
    if (g->halve)
        for (size_t i = 0; i < g->n; i++)
            out[i] *= 0.5;
}

/* ---- chunks on threads ---------------------------------------------------- */

/* The most workers a loop of chunks had since cy_i_bfs_workers_seen last
 * read it.  Atomic: loops started on different threads may count at once. */
static atomic_size_t workers_seen;

size_t cy_i_bfs_workers_seen(void)
{
    return atomic_exchange(&workers_seen, 0);
}

/* workers_seen = max(workers_seen, count). */
static void saw_workers(size_t count)
{
    size_t seen = atomic_load(&workers_seen);
    while (count > seen && !atomic_compare_exchange_weak(&workers_seen, &seen, count))
        ;
}

void cy_i_bfs_chunk_range(size_t count, size_t chunks, size_t j, size_t *first,
                          size_t *last)
{
    *first = count * j / chunks;
    *last = count * (j + 1) / chunks;
}

/* The chunk item k computes. */
static size_t chunk_of(const cy_i_bfs_chunks *c, size_t k)
{
    return c->order ? c->order[k] : k;
}

/* A worker's scratch for a walk of n vertices, into *state. */
static cy_status new_work(size_t n, void **state, cy_error *err)
{
    cy_i_bfs_work *w = cy_malloc(sizeof *w);

    if (w && cy_i_bfs_work_init(w, n)) {
        *state = w;
        return CY_OK;
    }
    cy_free(w);
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

static cy_status chunk_worker_init(void *ctx, void **state, cy_error *err)
{
    cy_i_bfs_chunks *c = ctx;
    cy_status status = new_work(c->walk->n, state, err);

    if (status == CY_OK)
        saw_workers(++c->workers);
    return status;
}

static void chunk_worker_destroy(void *ctx, void *state)
{
    (void)ctx;
    if (state)
        cy_i_bfs_work_destroy(state);
    cy_free(state);
}

static cy_status chunk_item(void *ctx, void *state, size_t k, cy_error *err)
{
    cy_i_bfs_chunks *c = ctx;
    size_t j = chunk_of(c, k), first, last;

    (void)err;
    cy_i_bfs_chunk_range(c->count, c->chunks, j, &first, &last);
    cy_i_bfs_dependencies(c->walk, state, c->src + first, last - first,
                          c->slots + k * c->walk->n);
    if (c->cost)
        atomic_fetch_add(&c->done, c->cost[j]);
    return CY_OK;
}

void cy_i_bfs_chunks_job(cy_i_bfs_chunks *c, cy_i_par_job *par)
{
    memset(par, 0, sizeof *par);
    atomic_init(&c->done, 0);
    c->workers = 0;
    par->count = c->chunks;
    par->ctx = c;
    par->worker_init = chunk_worker_init;
    par->worker_destroy = chunk_worker_destroy;
    par->item = chunk_item;
}

void cy_i_bfs_chunks_add(const cy_i_bfs_chunks *c, double *out)
{
    size_t n = c->walk->n;
    for (size_t j = 0; j < c->chunks; j++) {
        size_t k = j;
        /* The item that computed chunk j (the inverse of order). */
        if (c->order)
            for (k = 0; c->order[k] != j; k++)
                ;
        for (size_t i = 0; i < n; i++)
            out[i] += c->slots[k * n + i];
    }
}

/* The chunked sum of cy_i_bfs_betweenness into out (zeroed first). */
static cy_status chunked_sum(const cy_i_bfs_graph *walk, const igraph_integer_t *src,
                             double *out, cy_error *err)
{
    cy_i_bfs_chunks c = {.walk = walk, .src = src, .count = walk->n, .chunks = CY_I_BFS_CHUNKS};
    cy_i_par_job par;
    cy_status status;

    if (!(c.slots = cy_malloc(CY_I_BFS_CHUNKS * walk->n * sizeof *c.slots))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in betweenness");
        return CY_ENOMEM;
    }
    cy_i_bfs_chunks_job(&c, &par);
    if ((status = cy_i_par_run(&par, err)) == CY_OK) {
        memset(out, 0, walk->n * sizeof *out);
        cy_i_bfs_chunks_add(&c, out);
    }
    cy_free(c.slots);
    return status;
}

cy_status cy_i_bfs_betweenness(const igraph_t *graph, int directed, double *out,
                               cy_error *err)
{
    size_t n = (size_t)igraph_vcount(graph);
    cy_i_bfs_graph walk;
    cy_i_bfs_work work = {0};
    igraph_integer_t *src = cy_malloc((n + 1) * sizeof *src);
    cy_status status = CY_OK;

    if (!src || !cy_i_bfs_graph_init(&walk, graph, directed)) {
        cy_free(src);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in betweenness");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        src[i] = (igraph_integer_t)i;
    if (n >= CY_I_BFS_CHUNKED_MIN) {
        status = chunked_sum(&walk, src, out, err);
    } else if (cy_i_bfs_work_init(&work, n)) {
        cy_i_bfs_dependencies(&walk, &work, src, n, out);
        cy_i_bfs_work_destroy(&work);
    } else {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in betweenness");
        status = CY_ENOMEM;
    }
    cy_i_bfs_graph_destroy(&walk);
    cy_free(src);
    return status;
}

/* ---- closeness and harmonic: the search toward each vertex -------------- */

/*
 * Breadth-first from v along g->prev (the vertices that reach v), into
 * *out, the sums taken in the order the vertices are reached, as igraph
 * adds them when it takes them off its queue; the scratch's distances are
 * left zero.
 */
static void reach_of(const cy_i_bfs_graph *g, cy_i_bfs_work *w, uint32_t v, cy_i_bfs_reach *out)
{
    uint32_t *dist = w->dist, *order = w->order;
    size_t head = 0, reached = 1;
    double distances = 0, inverses = 0;

    order[0] = v;
    dist[v] = 1;
    while (head < reached) {
        uint32_t u = order[head++], du = dist[u];
        distances += (double)(du - 1);
        if (u != v)
            inverses += 1.0 / (double)(du - 1);
        for (size_t e = g->prev_at[u]; e < g->prev_at[u + 1]; e++) {
            uint32_t x = g->prev[e];
            if (dist[x] == 0) {
                dist[x] = du + 1;
                order[reached++] = x;
            }
        }
    }
    for (size_t k = 0; k < reached; k++)
        dist[order[k]] = 0;
    out->distances = distances;
    out->inverses = inverses;
    out->reached = reached - 1;
}

/* Vertices per item of the loop: the items are handed out in increasing
 * order, and a search's cost varies from one vertex to the next by the
 * size of what reaches it, so many small items keep the threads even. */
#define REACH_ITEMS 256

/* The loop of cy_i_bfs_reach_all: item k is vertices [k per, (k + 1) per)
 * (fewer in the last), its answers at slots + k per. */
typedef struct {
    const cy_i_bfs_graph *walk;
    size_t per;
    cy_i_bfs_reach *slots;
} reach_loop;

static cy_status reach_worker_init(void *ctx, void **state, cy_error *err)
{
    return new_work(((reach_loop *)ctx)->walk->n, state, err);
}

static cy_status reach_item(void *ctx, void *state, size_t k, cy_error *err)
{
    reach_loop *r = ctx;
    size_t first = k * r->per, last = first + r->per;

    (void)err;
    if (last > r->walk->n)
        last = r->walk->n;
    for (size_t v = first; v < last; v++)
        reach_of(r->walk, state, (uint32_t)v, &r->slots[v]);
    return CY_OK;
}

/* The loop over the vertices of `walk`, into r->slots (items * per). */
static cy_status reach_loop_run(reach_loop *r, size_t items, cy_progress_fn progress,
                                void *progress_data, const char *what, cy_error *err)
{
    cy_i_par_job par;

    memset(&par, 0, sizeof par);
    par.count = items;
    par.threads = r->walk->n < CY_I_BFS_CHUNKED_MIN ? 1 : 0;
    par.ctx = r;
    par.worker_init = reach_worker_init;
    par.worker_destroy = chunk_worker_destroy;
    par.item = reach_item;
    par.progress = progress;
    par.progress_data = progress_data;
    par.what = what;
    par.slots = r->slots;
    par.slot_size = r->per * sizeof *r->slots;
    return cy_i_par_run(&par, err);
}

/* Vertices per item of the loop on n vertices (n >= 1). */
static size_t reach_per(size_t n)
{
    return (n + REACH_ITEMS - 1) / REACH_ITEMS;
}

size_t cy_i_bfs_reach_room(size_t n)
{
    size_t per;
    if (n == 0)
        return 0;
    per = reach_per(n);
    return (n + per - 1) / per * per;
}

cy_status cy_i_bfs_reach_all(const igraph_t *graph, int directed, cy_i_bfs_reach *out,
                             cy_progress_fn progress, void *progress_data,
                             const char *what, cy_error *err)
{
    size_t n = (size_t)igraph_vcount(graph), room = cy_i_bfs_reach_room(n);
    cy_i_bfs_graph walk;
    reach_loop r = {.walk = &walk, .slots = out};
    cy_status status;

    if (n == 0)
        return CY_OK;
    r.per = reach_per(n);
    /* The last item may run past n: its tail, which no search writes,
     * travels under MPI too (zeroed). */
    memset(out + n, 0, (room - n) * sizeof *out);
    if (!cy_i_bfs_graph_init(&walk, graph, directed)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in %s", what);
        return CY_ENOMEM;
    }
    status = reach_loop_run(&r, room / r.per, progress, progress_data, what, err);
    cy_i_bfs_graph_destroy(&walk);
    return status;
}
