/*
 * sort.c - qsort on the library's threads (cy_i_sort).
 *
 * The weak-link report ranks hundreds of thousands of rows at a time (the
 * recommendations, the single-source pairs) on the calling thread while
 * the other threads wait: on the national preset those sorts were a tenth
 * of a second of serial time each.  Here the array is cut into one part
 * per thread, each part is sorted by qsort in a parallel loop, and the
 * sorted parts are merged pairwise, the merges of a round also in
 * parallel, through a scratch copy of the array.  C and igraph have no
 * parallel sort (igraph's vector sorts are qsort underneath), hence this
 * one; tests/test_threads.c checks it against qsort.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Shorter arrays are sorted by qsort alone: below this, a sort takes a
 * few milliseconds and the threads' start would eat the gain. */
#define SORT_PARALLEL_MIN ((size_t)65536)

/* The threshold in force (tests lower it); atomic because the library's
 * threads may sort while a test sets it. */
static atomic_size_t parallel_min = SORT_PARALLEL_MIN;

size_t cy_i_sort_parallel_min(void)
{
    return atomic_load(&parallel_min);
}

void cy_i_sort_set_parallel_min(size_t count)
{
    atomic_store(&parallel_min, count ? count : SORT_PARALLEL_MIN);
}

typedef struct {
    char *base;
    size_t count, size, parts;
    int (*cmp)(const void *, const void *);
    /* A merge round: runs of `width` sorted parts in `from`, merged two
     * by two into `to`. */
    const char *from;
    char *to;
    size_t width;
} sort_job;

/* Where part p starts (part `parts` is the end). */
static size_t part_start(const sort_job *j, size_t p)
{
    if (p >= j->parts)
        return j->count;
    return (size_t)((unsigned long long)j->count * p / j->parts);
}

/* Item p of the first loop: part p sorted in place by qsort. */
static cy_status sort_part(void *ctx, void *state, size_t p, cy_error *err)
{
    const sort_job *j = ctx;
    size_t begin = part_start(j, p), end = part_start(j, p + 1);
    (void)state;
    (void)err;
    qsort(j->base + begin * j->size, end - begin, j->size, j->cmp);
    return CY_OK;
}

/* Merge item m of a round: the sorted runs [lo, mid) and [mid, hi) of
 * `from` into the same place of `to`, the left one first among equals. */
static cy_status merge_pair(void *ctx, void *state, size_t m, cy_error *err)
{
    const sort_job *j = ctx;
    size_t first = m * 2 * j->width, size = j->size;
    size_t lo = part_start(j, first), mid = part_start(j, first + j->width);
    size_t hi = part_start(j, first + 2 * j->width), a = lo, b = mid, out = lo;
    (void)state;
    (void)err;
    while (a < mid && b < hi) {
        size_t take = j->cmp(j->from + b * size, j->from + a * size) < 0 ? b++ : a++;
        memcpy(j->to + out++ * size, j->from + take * size, size);
    }
    memcpy(j->to + out * size, j->from + a * size, (mid - a) * size);
    out += mid - a;
    memcpy(j->to + out * size, j->from + b * size, (hi - b) * size);
    return CY_OK;
}

/* Run `item` over `count` items on the library's threads; the items
 * cannot fail, so neither can the loop. */
static void run(sort_job *j, size_t count,
                cy_status (*item)(void *, void *, size_t, cy_error *))
{
    cy_i_par_job par;
    cy_error scratch;
    memset(&par, 0, sizeof par);
    par.count = count;
    par.ctx = j;
    par.item = item;
    cy_error_init(&scratch);
    (void)cy_i_par_run(&par, &scratch);
    cy_error_destroy(&scratch);
}

void cy_i_sort(void *base, size_t count, size_t size,
               int (*cmp)(const void *, const void *))
{
    sort_job j;
    char *scratch;

    if (count < cy_i_sort_parallel_min() || count < 2 || size == 0 ||
        !cy_i_par_can_overlap() || count > SIZE_MAX / size ||
        !(scratch = cy_malloc(count * size))) {
        if (count > 1)
            qsort(base, count, size, cmp);
        return;
    }
    memset(&j, 0, sizeof j);
    j.base = base;
    j.count = count;
    j.size = size;
    j.parts = cy_threads_get();
    j.cmp = cmp;
    run(&j, j.parts, sort_part);
    j.from = base;
    j.to = scratch;
    for (j.width = 1; j.width < j.parts; j.width *= 2) {
        const char *from = j.from;
        run(&j, (j.parts + 2 * j.width - 1) / (2 * j.width), merge_pair);
        j.from = j.to;
        j.to = (char *)from;
    }
    if (j.from != base)
        memcpy(base, j.from, count * size);
    cy_free(scratch);
}
