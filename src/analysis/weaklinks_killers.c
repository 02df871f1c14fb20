/*
 * weaklinks_killers.c - who stops whom: for every firm x that a
 * recommendation needs (a current supplier, or a producer that could be a
 * candidate), its killer list A(x) = the firms whose single failure makes
 * x fail under the cascade rule, x itself included, by id.  survives and
 * common_cause of a candidate are read off these lists (weaklinks_backups.c):
 * b survives the failure of s when s is not in A(b), and the common causes
 * of s and b are A(s) ∩ A(b).
 *
 * A demand node's list is its chokepoint list, which the single-failure
 * pass already gave, plus itself.  Only when a needed firm is not a demand
 * node does this file run every single failure once more, recording the
 * needed firms each one fails: O(sum of the cascades' links), like the
 * single-failure pass.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

/* Mark the firms whose killer list a recommendation may read: the
 * supplier and the producers of the part, when it has candidates. */
static size_t mark_needed(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
                          unsigned char *need)
{
    const cy_weaklinks *rep = b->report;
    size_t outside_demand = 0;
    for (size_t r = 0; r < rep->recommendation_count; r++) {
        const cy_wl_recommendation *rec = &rep->recommendations[r];
        if (!rec->backup_count)
            continue;
        need[rec->supplier] = 1;
        for (size_t k = pr->offset[rec->part]; k < pr->offset[rec->part + 1]; k++)
            need[pr->firms[k]] = 1;
    }
    for (size_t x = 0; x < b->net->enterprise_count; x++)
        outside_demand += need[x] && !cy_enterprise_is_demand_node(b->net, x);
    return outside_demand;
}

typedef struct {
    size_t (*items)[2];   /* (victim, killer) */
    size_t count, cap;
} kill_list;

/* Every single failure again, keeping (x, f) for each needed x that is not
 * a demand node and fails when f fails. */
static cy_status record_other_killers(cy_i_wl_build *b, const unsigned char *need,
                                      kill_list *list)
{
    const cy_network *net = b->net;
    cy_i_cascade *c = &b->engine;
    for (size_t f = 0; f < net->enterprise_count; f++) {
        cy_i_cascade_seed(c, f);
        cy_i_cascade_propagate(c);
        for (size_t k = 0; k < c->order_count; k++) {
            size_t x = c->order[k];
            if (!need[x] || x == f || cy_enterprise_is_demand_node(net, x))
                continue;
            if (!cy_i_grow((void **)&list->items, &list->cap, list->count + 1,
                           sizeof *list->items)) {
                cy_i_cascade_reset(c);
                return CY_ENOMEM;
            }
            list->items[list->count][0] = x;
            list->items[list->count++][1] = f;
        }
        cy_i_cascade_reset(c);
    }
    return CY_OK;
}

static _Thread_local const size_t *sort_rank; /* qsort has no context */

static int by_rank(const void *a, const void *b)
{
    return cy_i_wl_cmp_size(sort_rank[*(const size_t *)a], sort_rank[*(const size_t *)b]);
}

/* The chokepoint entry of each demand node (report->chokepoints is by
 * node id), CY_WL_NONE for other firms. */
static size_t *chokepoint_slots(const cy_i_wl_build *b)
{
    const cy_weaklinks *rep = b->report;
    size_t n = b->net->enterprise_count, *slot = cy_malloc((n + 1) * sizeof *slot);
    if (!slot)
        return NULL;
    for (size_t x = 0; x < n; x++)
        slot[x] = CY_WL_NONE;
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        slot[rep->chokepoints[i].oem] = i;
    return slot;
}

/* A demand node's list: its chokepoints (by id) with x inserted at its
 * place; returns the next free position. */
static size_t insert_self(cy_i_wl_build *b, const cy_chokepoint *cp, size_t x, size_t at)
{
    const size_t *rank = b->ranks.enterprise;
    size_t k = 0;
    for (; k < cp->count && rank[cp->enterprises[k]] < rank[x]; k++)
        b->killers[at++] = cp->enterprises[k];
    b->killers[at++] = x;
    for (; k < cp->count; k++)
        b->killers[at++] = cp->enterprises[k];
    return at;
}

/* Lay the lists out as CSR: the chokepoints (or the recorded killers) of
 * x, then x itself, sorted by id. */
static cy_status build_lists(cy_i_wl_build *b, const kill_list *list, const size_t *slot)
{
    const cy_weaklinks *rep = b->report;
    size_t n = b->net->enterprise_count, *fill;

    for (size_t x = 0; x < n; x++)
        b->killer_offset[x + 1] =
            1 + (slot[x] != CY_WL_NONE ? rep->chokepoints[slot[x]].count : 0);
    for (size_t k = 0; k < list->count; k++)
        b->killer_offset[list->items[k][0] + 1]++;
    for (size_t x = 0; x < n; x++)
        b->killer_offset[x + 1] += b->killer_offset[x];
    b->killers = cy_malloc((b->killer_offset[n] + 1) * sizeof *b->killers);
    fill = cy_malloc((n + 1) * sizeof *fill);
    if (!b->killers || !fill) {
        cy_free(fill);
        return CY_ENOMEM;
    }
    memcpy(fill, b->killer_offset, n * sizeof *fill);
    for (size_t x = 0; x < n; x++)
        if (slot[x] != CY_WL_NONE)
            fill[x] = insert_self(b, &rep->chokepoints[slot[x]], x, fill[x]);
        else
            b->killers[fill[x]++] = x;
    for (size_t k = 0; k < list->count; k++)
        b->killers[fill[list->items[k][0]]++] = list->items[k][1];
    /* Only the recorded lists are out of order. */
    sort_rank = b->ranks.enterprise;
    for (size_t x = 0; x < n; x++)
        if (slot[x] == CY_WL_NONE && b->killer_offset[x + 1] - b->killer_offset[x] > 1)
            qsort(b->killers + b->killer_offset[x],
                  b->killer_offset[x + 1] - b->killer_offset[x], sizeof *b->killers, by_rank);
    cy_free(fill);
    return CY_OK;
}

cy_status cy_i_wl_killers(cy_i_wl_build *b, const cy_i_wl_producers *pr)
{
    size_t n = b->net->enterprise_count, *slot = NULL;
    unsigned char *need = cy_calloc(n + 1, 1);
    kill_list list = {NULL, 0, 0};
    cy_status status = CY_ENOMEM;

    b->killer_offset = cy_calloc(n + 1, sizeof *b->killer_offset);
    if (!need || !b->killer_offset || !(slot = chokepoint_slots(b)))
        goto cleanup;
    if (mark_needed(b, pr, need) > 0 &&
        (status = record_other_killers(b, need, &list)) != CY_OK)
        goto cleanup;
    status = build_lists(b, &list, slot);
cleanup:
    cy_free(need);
    cy_free(slot);
    cy_free(list.items);
    return status;
}
