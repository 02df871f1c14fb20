/*
 * weaklinks_concentration.c - the concentration section: per part, the
 * Herfindahl-Hirschman index of its suppliers' volumes and the largest
 * share in one supplier, one park and one region.
 */
#include "weaklinks_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * concentration: links bucketed by part (a counting sort, O(m + parts)),
 * then per part the volume of each supplier, park and region accumulated in
 * scratch arrays that are reset through a touched list, so a part costs
 * O(its links).  Shares are of the part's total link volume (0..1); when
 * that total is 0 the shares are undefined and reported as NaN.
 */
typedef struct {
    double *volume;     /* per key */
    size_t *touched;    /* keys with volume set */
    size_t touched_count;
    unsigned char *seen;
} wl_accumulator;

static int accumulator_init(wl_accumulator *a, size_t keys)
{
    a->volume = cy_calloc(keys, sizeof *a->volume);
    a->touched = cy_calloc(keys, sizeof *a->touched);
    a->seen = cy_calloc(keys, 1);
    a->touched_count = 0;
    return a->volume && a->touched && a->seen;
}

static void accumulator_destroy(wl_accumulator *a)
{
    cy_free(a->volume);
    cy_free(a->touched);
    cy_free(a->seen);
}

static void accumulator_add(wl_accumulator *a, size_t key, double volume)
{
    if (!a->seen[key]) {
        a->seen[key] = 1;
        a->touched[a->touched_count++] = key;
    }
    a->volume[key] += volume;
}

/*
 * The key with the largest volume (ties: smallest rank) and its share of
 * `total`; resets the accumulator.  *best = CY_WL_NONE when nothing was
 * added.
 */
static void accumulator_take_max(wl_accumulator *a, const size_t *rank,
                                 double total, size_t *best, double *share,
                                 double *hhi)
{
    size_t top = CY_WL_NONE;
    double sum_squares = 0.0;
    for (size_t t = 0; t < a->touched_count; t++) {
        size_t key = a->touched[t];
        double v = a->volume[key];
        if (top == CY_WL_NONE || v > a->volume[top] ||
            (v == a->volume[top] && rank[key] < rank[top]))
            top = key;
        if (total > 0) {
            double s = v / total;
            sum_squares += s * s;
        }
    }
    *best = top;
    *share = top == CY_WL_NONE ? 0.0 : (total > 0 ? a->volume[top] / total : NAN);
    if (hhi)
        *hhi = total > 0 ? sum_squares : NAN;
    for (size_t t = 0; t < a->touched_count; t++) {
        a->volume[a->touched[t]] = 0.0;
        a->seen[a->touched[t]] = 0;
    }
    a->touched_count = 0;
}

typedef struct {
    cy_wl_concentration row;
    size_t part_rank;
} concentration_sort;

static int concentration_cmp(const void *a, const void *b)
{
    const concentration_sort *x = a, *y = b;
    int c = cy_i_wl_desc_double(x->row.hhi, y->row.hhi);
    if (!c)
        c = cy_i_wl_desc_double(x->row.volume, y->row.volume);
    return c ? c : cy_i_wl_cmp_size(x->part_rank, y->part_rank);
}

cy_status cy_i_wl_concentration(cy_i_wl_build *b, const cy_i_wl_part_index *ix)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    wl_accumulator by_supplier, by_park, by_region;
    concentration_sort *rows = NULL;
    size_t count = 0;
    cy_status status = CY_ENOMEM;
    int ok = accumulator_init(&by_supplier, net->enterprise_count);
    ok &= accumulator_init(&by_park, net->group_count[CY_GROUP_PARK]);
    ok &= accumulator_init(&by_region, net->group_count[CY_GROUP_REGION]);
    if (!ok)
        goto cleanup;
    rows = cy_calloc(net->parts.count, sizeof *rows);
    if (!rows)
        goto cleanup;
    for (size_t p = 0; p < net->parts.count; p++) {
        concentration_sort *r = &rows[count];
        size_t begin = ix->offset[p], end = ix->offset[p + 1];
        double total = 0.0;
        if (begin == end)
            continue;
        for (size_t k = begin; k < end; k++) {
            const cy_i_link *l = &net->links[ix->links[k]];
            const cy_i_enterprise *s = &net->enterprises[l->from];
            total += l->volume;
            accumulator_add(&by_supplier, l->from, l->volume);
            if (s->park >= 0)
                accumulator_add(&by_park, (size_t)s->park, l->volume);
            if (cy_i_enterprise_region(net, l->from) >= 0)
                accumulator_add(&by_region, (size_t)cy_i_enterprise_region(net, l->from),
                                l->volume);
        }
        r->row.part = p;
        r->part_rank = b->ranks.part[p];
        r->row.link_count = end - begin;
        r->row.volume = total;
        r->row.supplier_count = by_supplier.touched_count;
        accumulator_take_max(&by_supplier, b->ranks.enterprise, total,
                             &r->row.top_supplier, &r->row.top_supplier_share,
                             &r->row.hhi);
        accumulator_take_max(&by_park, b->ranks.group[CY_GROUP_PARK], total,
                             &r->row.top_park, &r->row.top_park_share, NULL);
        accumulator_take_max(&by_region, b->ranks.group[CY_GROUP_REGION], total,
                             &r->row.top_region, &r->row.top_region_share, NULL);
        if (r->row.hhi >= CY_WL_HHI_HIGH)
            rep->concentrated_part_count++;
        count++;
    }
    qsort(rows, count, sizeof *rows, concentration_cmp);
    rep->concentration = cy_calloc(count, sizeof *rep->concentration);
    if (!rep->concentration)
        goto cleanup;
    for (size_t i = 0; i < count; i++)
        rep->concentration[i] = rows[i].row;
    rep->concentration_count = count;
    status = CY_OK;
cleanup:
    cy_free(rows);
    accumulator_destroy(&by_supplier);
    accumulator_destroy(&by_park);
    accumulator_destroy(&by_region);
    return status;
}
