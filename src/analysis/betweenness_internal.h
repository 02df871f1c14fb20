/*
 * betweenness_internal.h - unweighted betweenness, closeness and harmonic
 * centrality on threads (betweenness_bfs.c), for centrality.c and the
 * attacks of resilience.c.
 *
 * igraph as Debian builds it is not thread-safe (IGRAPH_THREAD_SAFE is 0:
 * its error and "finally" stacks are global), so its betweenness cannot
 * run on several threads of one process; centrality.c forked worker
 * processes for it, and every heap page either process then wrote was
 * copied (docs/performance.md).  This is Brandes' algorithm for the
 * unweighted case only, written to give the same bits as
 * igraph_betweenness_subset (0.10) with every vertex a target: the same
 * breadth-first order (neighbours in increasing id, parallel edges
 * counted, self-loops left out), the same sums in the same order.  Tests
 * compare it with igraph bit for bit and with a brute-force count of
 * shortest paths (tests/test_centrality.c).  Weighted betweenness stays
 * with igraph: its ties within a relative 1e-10 follow the order of
 * igraph's own heap.
 */
#ifndef CHENGYU_BETWEENNESS_INTERNAL_H
#define CHENGYU_BETWEENNESS_INTERNAL_H

#include "internal.h"

#include <stdatomic.h>
#include <stdint.h>

/* The largest vertex count the search handles (its ids are 32-bit). */
#define CY_I_BFS_MAX_VERTICES ((size_t)UINT32_MAX - 1)

/* The graph as the search walks it: for every vertex its neighbours along
 * paths (out-neighbours, or all on an undirected walk) and the vertices
 * it is a neighbour of, each list sorted by id.  Read-only once built:
 * any number of threads walk it at once. */
typedef struct {
    size_t n;
    size_t *next_at; /* n + 1 offsets into next */
    uint32_t *next;
    size_t *prev_at; /* the same for the reverse direction */
    uint32_t *prev;  /* == next on an undirected walk */
    int halve;       /* undirected: each path is counted from both ends */
} cy_i_bfs_graph;

/* One thread's scratch: all zero between sources. */
typedef struct {
    uint32_t *dist;  /* distance from the source + 1; 0: not reached */
    uint32_t *order; /* the vertices in the order the search reached them */
    double *paths;   /* shortest paths from the source */
    double *dep;     /* the source's dependency on the vertex */
} cy_i_bfs_work;

/*
 * Build the walk of `graph`: along edges (`directed`, on a directed
 * graph) or both ways, as igraph_betweenness_subset(directed) does.
 * 0 when memory runs out (or the graph has more than
 * CY_I_BFS_MAX_VERTICES vertices); `g` is then empty.
 * Time complexity: O(|V| + |E|) (two counting sorts).
 */
int cy_i_bfs_graph_init(cy_i_bfs_graph *g, const igraph_t *graph, int directed);

/* Free what cy_i_bfs_graph_init made (an empty graph too).
 * Time complexity: O(1). */
void cy_i_bfs_graph_destroy(cy_i_bfs_graph *g);

/* A thread's scratch for a graph of n vertices; 0 when memory runs out
 * (w is then empty).  Time complexity: O(n). */
int cy_i_bfs_work_init(cy_i_bfs_work *w, size_t n);

/* Free a scratch made by cy_i_bfs_work_init (an empty one too) and
 * leave it empty.  Time complexity: O(1). */
void cy_i_bfs_work_destroy(cy_i_bfs_work *w);

/*
 * out[0 .. n) = the sum over sources src[0 .. count) of their
 * dependencies, halved on an undirected walk: exactly what
 * igraph_betweenness_subset returns for those sources and every vertex
 * as target.  Every src[k] must be below g->n (unchecked: the callers
 * make the lists), `w` a scratch of at least g->n vertices as
 * cy_i_bfs_work_init leaves it, `out` room for g->n values.  Reads `g`
 * only; writes `w` (left zero again) and `out`.
 * Time complexity: O(count * (|V| + |E|)) at worst, the vertices and
 * edges each source reaches.
 */
void cy_i_bfs_dependencies(const cy_i_bfs_graph *g, cy_i_bfs_work *w,
                           const igraph_integer_t *src, size_t count, double *out);

/* Chunk j of `count` sources cut into `chunks`: [*first, *last) =
 * [count j / chunks, count (j + 1) / chunks).  The one definition of the
 * chunks: the one-thread path and every loop of chunks must cut the same
 * ones for their sums to have the same bits.  Time complexity: O(1). */
void cy_i_bfs_chunk_range(size_t count, size_t chunks, size_t j, size_t *first,
                          size_t *last);

/*
 * The sum over sources src[0 .. count) as `chunks` chunks (consecutive
 * runs of the list, cut by cy_i_bfs_chunk_range)
 * computed on the threads of a cy_i_par_run loop that
 * cy_i_bfs_chunks_job sets up: item k is chunk order[k] (order NULL:
 * chunk k), its sum in slots + k * n.  The chunks, and the order in
 * which cy_i_bfs_chunks_add adds them, do not depend on the thread
 * count, so neither do the bits.  With `cost` (per chunk), `done` is the
 * cost of the chunks finished so far, for progress.
 */
typedef struct {
    const cy_i_bfs_graph *walk;
    const igraph_integer_t *src;
    size_t count, chunks;
    const size_t *order;             /* a permutation of 0 .. chunks - 1, or NULL */
    double *slots;                   /* chunks * n doubles */
    const unsigned long long *cost;  /* may be NULL */
    atomic_ullong done;
    size_t workers;                  /* the loop's workers (set as they start) */
} cy_i_bfs_chunks;

/*
 * The loop's items, workers (one scratch each) and context: `par` is
 * zeroed then filled; the caller may add progress and, to spread it over
 * the processes of an MPI run, par->slots = c->slots with
 * par->slot_size = n doubles.  `c` must outlive the loop.
 * Time complexity: O(1); the loop's, O(count (|V| + |E|) / threads).
 */
void cy_i_bfs_chunks_job(cy_i_bfs_chunks *c, cy_i_par_job *par);

/* out[i] += the chunks' sums, in chunk order, for i in 0 .. n.
 * Time complexity: O(chunks n). */
void cy_i_bfs_chunks_add(const cy_i_bfs_chunks *c, double *out);

/* From this many vertices cy_i_bfs_betweenness cuts the sources into
 * CY_I_BFS_CHUNKS chunks on threads; below, one pass on the calling
 * thread (a search from each source then takes microseconds: a thread's
 * start would cost more than it saves). */
#define CY_I_BFS_CHUNKED_MIN 256
#define CY_I_BFS_CHUNKS 32

/*
 * The betweenness of every vertex of `graph` (every vertex a source and
 * a target), walked along edges (`directed`) or both ways, into
 * out[0 .. n): below CY_I_BFS_CHUNKED_MIN vertices in one pass, the bits
 * of igraph_betweenness; from it in CY_I_BFS_CHUNKS fixed chunks on the
 * threads (every process of an MPI run computes all of them), added in
 * chunk order, so that the bits depend on the graph alone, never on the
 * thread count (they may differ from a one-pass sum in the last place).
 * Memory: the walk, a scratch of 24 bytes a vertex per thread and, when
 * chunked, CY_I_BFS_CHUNKS n doubles of sums.  CY_ENOMEM with "out of
 * memory in betweenness" (a graph of more than CY_I_BFS_MAX_VERTICES
 * vertices could not be held anyway).
 * Time complexity: O(|V| (|V| + |E|) / threads).
 */
cy_status cy_i_bfs_betweenness(const igraph_t *graph, int directed, double *out,
                               cy_error *err);

/*
 * What the search toward one vertex v finds, walking the edges backwards
 * (from the vertices that reach v along paths: igraph's IN mode; both
 * ways on an undirected walk), in the order igraph_closeness and
 * igraph_harmonic_centrality (0.10, unweighted) reach them:
 * `distances` = the sum of d(u, v) and `inverses` = the sum of
 * 1 / d(u, v) over those u != v, each added in that order, and `reached`
 * the number of them (v excluded).  With these igraph's unweighted
 * closeness (normalized) is reached / distances, NaN when distances is 0,
 * and its harmonic centrality is inverses, bit for bit.
 */
typedef struct {
    double distances;
    double inverses;
    size_t reached;
} cy_i_bfs_reach;

/*
 * The entries `out` of cy_i_bfs_reach_all must have room for on a graph
 * of n vertices: n rounded up to whole items of its loop (at most
 * n / 256 + 1 more), since the loop's slots, which travel whole under MPI,
 * are written in place.  0 for n = 0.  Time complexity: O(1).
 */
size_t cy_i_bfs_reach_room(size_t n);

/*
 * out[v] = the reach of every vertex v of `graph` (the walk of
 * cy_i_bfs_graph_init(graph, directed)), `out` having
 * cy_i_bfs_reach_room(n) entries (those past n are zeroed): one breadth-first search per
 * vertex, on the threads of a cy_i_par_run loop from CY_I_BFS_CHUNKED_MIN
 * vertices (one thread below), spread over the processes of an MPI run.
 * Each vertex's answer is its own search's, so the bits never depend on
 * the thread or process count.  `progress` (may be NULL) gets `what` and
 * the share of vertices done, on the calling thread.  CY_ENOMEM ("out of
 * memory in WHAT") when memory runs out or the graph has more than
 * CY_I_BFS_MAX_VERTICES vertices.
 * Time complexity: O(|V| (|V| + |E|) / threads) at worst.
 */
cy_status cy_i_bfs_reach_all(const igraph_t *graph, int directed, cy_i_bfs_reach *out,
                             cy_progress_fn progress, void *progress_data,
                             const char *what, cy_error *err);

/* Test hook: the most workers any loop of chunks made since the last call
 * (which resets it): a loop confined to one thread (inside an item of
 * another loop, say) makes one.  Time complexity: O(1). */
size_t cy_i_bfs_workers_seen(void);

#endif
