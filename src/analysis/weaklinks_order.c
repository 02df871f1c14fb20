/*
 * weaklinks_order.c - the orderings of the weak-link report.  Every list is
 * sorted by numbers first and ids last; ids are ranked once (their byte
 * order) so that the sorts compare integers, not strings.
 */
#include "weaklinks_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key;
    size_t index;
} keyed_index;

static int keyed_index_cmp(const void *a, const void *b)
{
    const keyed_index *x = a, *y = b;
    return strcmp(x->key, y->key);
}

/*
 * rank[i] = position of keys[i] in ascending byte order (ids are unique, so
 * ranks are a permutation).  Ranks let every later sort compare ids as
 * integers.  Returns NULL on OOM.
 */
static size_t *rank_by_key(const char *const *keys, size_t count)
{
    keyed_index *order = cy_calloc(count, sizeof *order);
    size_t *rank = cy_calloc(count, sizeof *rank);
    if (!order || !rank) {
        cy_free(order);
        cy_free(rank);
        return NULL;
    }
    for (size_t i = 0; i < count; i++) {
        order[i].key = keys[i];
        order[i].index = i;
    }
    qsort(order, count, sizeof *order, keyed_index_cmp);
    for (size_t r = 0; r < count; r++)
        rank[order[r].index] = r;
    cy_free(order);
    return rank;
}

void cy_i_wl_ranks_destroy(cy_i_wl_ranks *r)
{
    cy_free(r->enterprise);
    cy_free(r->part);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        cy_free(r->group[k]);
    memset(r, 0, sizeof *r);
}

int cy_i_wl_ranks_init(const cy_network *net, cy_i_wl_ranks *r)
{
    const char **keys;
    size_t most = net->enterprise_count;
    int ok = 1;

    memset(r, 0, sizeof *r);
    if (net->parts.count > most)
        most = net->parts.count;
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        if (net->group_count[k] > most)
            most = net->group_count[k];
    keys = cy_calloc(most, sizeof *keys);
    if (!keys)
        return 0;
    for (size_t i = 0; i < net->enterprise_count; i++)
        keys[i] = net->enterprises[i].id;
    ok &= (r->enterprise = rank_by_key(keys, net->enterprise_count)) != NULL;
    ok &= (r->part = rank_by_key((const char *const *)net->parts.strings,
                                 net->parts.count)) != NULL;
    for (int k = 0; k < CY_GROUP_KIND_COUNT && ok; k++) {
        for (size_t g = 0; g < net->group_count[k]; g++)
            keys[g] = net->groups[k][g].id;
        ok &= (r->group[k] = rank_by_key(keys, net->group_count[k])) != NULL;
    }
    cy_free(keys);
    if (!ok)
        cy_i_wl_ranks_destroy(r);
    return ok;
}

int cy_i_wl_cmp_size(size_t a, size_t b)
{
    return a < b ? -1 : (a > b);
}

int cy_i_wl_ranked_cmp(const void *a, const void *b)
{
    const cy_i_wl_ranked *x = a, *y = b;
    return cy_i_wl_cmp_size(x->rank, y->rank);
}

int cy_i_wl_order_by_rank(const size_t *rank, size_t count, size_t *out)
{
    cy_i_wl_ranked *tmp = cy_calloc(count, sizeof *tmp);
    if (!tmp)
        return 0;
    for (size_t i = 0; i < count; i++) {
        tmp[i].rank = rank[i];
        tmp[i].index = i;
    }
    qsort(tmp, count, sizeof *tmp, cy_i_wl_ranked_cmp);
    for (size_t i = 0; i < count; i++)
        out[i] = tmp[i].index;
    cy_free(tmp);
    return 1;
}

int cy_i_wl_desc_double(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) - isnan(b);
    return a > b ? -1 : (a < b);
}

int cy_i_wl_sorted_contains(const size_t *array, size_t count, size_t value)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (array[mid] < value)
            lo = mid + 1;
        else if (array[mid] > value)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

double cy_i_wl_severity(const cy_weaklinks *rep, double final_demand_lost)
{
    /* The fraction first: lost / total never overflows, 100 * lost may. */
    return rep->final_demand_total > 0
               ? 100.0 * (final_demand_lost / rep->final_demand_total)
               : 0.0;
}

int cy_i_wl_impact_cmp(const cy_wl_impact *a, const cy_wl_impact *b)
{
    int c = cy_i_wl_desc_double(a->final_demand_lost, b->final_demand_lost);
    if (!c)
        c = -cy_i_wl_cmp_size(a->demand_nodes_failed, b->demand_nodes_failed);
    if (!c)
        c = -cy_i_wl_cmp_size(a->failed_count, b->failed_count);
    return c;
}

size_t cy_i_wl_rank_or_none(const size_t *rank, size_t index)
{
    return index == CY_WL_NONE ? 0 : rank[index] + 1;
}
