/*
 * betweenness_fork.c - exact betweenness of a network's firm graph in
 * 32 chunks of sources (igraph_betweenness_subset) on P processes, the
 * way `chengyu centrality --approx 0` computes it (centrality.c: the
 * calling process and P - 1 forked workers claim chunks from a counter in
 * a shared mapping, the last chunks first), to measure what the fork
 * costs: after it, every heap page either process writes is copied on its
 * first write.  With BALLAST > 0, BALLAST blocks of 48 bytes are allocated
 * and every other one freed before the fork, so that igraph's small
 * vectors land on half-used pages all over the heap (a heavily broken-up
 * heap; a loaded network's is less so).
 *
 * usage: betweenness_fork PROCESSES FILE [BALLAST]
 * Prints the wall time of the chunks (the load is not timed), the minor
 * page faults of this process and its workers during them, and the sum of
 * the scores (the same for every PROCESSES and BALLAST).  Exit 0, 1 when
 * the file does not load or a call fails, 2 on usage errors.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNKS 32

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long minor_faults(void)
{
    struct rusage self, children;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    return self.ru_minflt + children.ru_minflt;
}

/* Claim chunks (last first) until none is left; sums into slots. */
static int claim(const igraph_t *g, atomic_int *next, double *slots)
{
    igraph_integer_t n = igraph_vcount(g);
    igraph_vector_t res;
    igraph_vector_int_t all, ids;
    int t, rc = 0;
    if (igraph_vector_init(&res, 0) || igraph_vector_int_init_range(&all, 0, n))
        return 1;
    while (!rc && (t = atomic_fetch_add(next, 1)) < CHUNKS) {
        int j = CHUNKS - 1 - t;
        igraph_integer_t first = n * j / CHUNKS, last = n * (j + 1) / CHUNKS;
        igraph_vector_int_view(&ids, VECTOR(all) + first, last - first);
        rc = igraph_betweenness_subset(g, &res, igraph_vss_all(), 1, igraph_vss_vector(&ids),
                                       igraph_vss_all(), NULL) != IGRAPH_SUCCESS;
        if (!rc)
            memcpy(slots + (size_t)j * (size_t)n, VECTOR(res), (size_t)n * sizeof *slots);
    }
    igraph_vector_destroy(&res);
    igraph_vector_int_destroy(&all);
    return rc;
}

int main(int argc, char **argv)
{
    int processes = argc >= 3 ? atoi(argv[1]) : 0, failed = 0, status;
    long ballast = argc >= 4 ? atol(argv[3]) : 0, faults;
    cy_network *net = NULL;
    cy_error err;
    size_t n, bytes;
    double start, sum = 0, *slots;
    atomic_int *next;
    void **blocks = NULL;

    if (argc < 3 || argc > 4 || processes < 1 || processes > 64 || ballast < 0) {
        fprintf(stderr, "usage: betweenness_fork PROCESSES FILE [BALLAST]\n");
        return 2;
    }
    cy_threads_set(1);
    cy_error_init(&err);
    if (cy_network_load(argv[2], NULL, &net, &err) != CY_OK) {
        fprintf(stderr, "betweenness_fork: cannot load %s\n", argv[2]);
        return 1;
    }
    if (ballast > 0 && (blocks = malloc((size_t)ballast * sizeof *blocks))) {
        for (long k = 0; k < ballast; k++)
            memset(blocks[k] = malloc(48), 1, 48);
        for (long k = 0; k < ballast; k += 2)
            free(blocks[k]);
    }
    n = (size_t)igraph_vcount(&net->firm_graph);
    bytes = 64 + CHUNKS * n * sizeof *slots;
    next = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (next == MAP_FAILED)
        return 1;
    atomic_init(next, 0);
    slots = (double *)((char *)next + 64);
    faults = minor_faults();
    start = now();
    fflush(NULL);
    for (int w = 1; w < processes; w++)
        if (fork() == 0)
            _exit(claim(&net->firm_graph, next, slots));
    failed = claim(&net->firm_graph, next, slots);
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    for (size_t k = 0; k < CHUNKS * n; k++)
        sum += slots[k];
    printf("processes %d, ballast %ld: %.3f s, %ld minor faults, sum %.17g\n", processes,
           ballast, now() - start, minor_faults() - faults, sum);
    munmap(next, bytes);
    for (long k = 1; blocks && k < ballast; k += 2)
        free(blocks[k]);
    free(blocks);
    cy_network_free(net);
    cy_error_destroy(&err);
    return failed;
}
