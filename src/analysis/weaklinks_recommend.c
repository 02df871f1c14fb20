/*
 * weaklinks_recommend.c - which second-source recommendations the report
 * makes (one per single-source pair, one per part a chokepoint supplies
 * critically), their order, and the link from each weak link to its own.
 */
#include "weaklinks_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A recommendation's sort keys, 24 bytes: the impact class of its
 * supplier and the id ranks of its firm and part are below the firm and
 * part counts, which cy_weaklinks_compute checked fit 32 bits (ids_fit). */
typedef struct {
    size_t row;                  /* its index in the list */
    uint32_t cls, enterprise, part;
    unsigned char type;
} recommendation_sort;

/* By impact class, type, firm, part; then the row's index, which never
 * decides (one recommendation per type, firm and part) but makes the
 * order total by construction, as cy_i_sort requires. */
static int recommendation_cmp(const void *a, const void *b)
{
    const recommendation_sort *x = a, *y = b;
    if (x->cls != y->cls)
        return x->cls < y->cls ? -1 : 1;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->enterprise != y->enterprise)
        return x->enterprise < y->enterprise ? -1 : 1;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return cy_i_wl_cmp_size(x->row, y->row);
}

/*
 * Order the recommendations like their weak links: the impact of the
 * supplier's failure (its impact class: a recommendation's impact is its
 * supplier's), then type, firm id, part name.  Sorted through small keys
 * (a recommendation is 128 bytes), then moved into place one cycle of the
 * permutation at a time: a sorted copy beside the list would be the peak
 * of a large report (docs/performance.md, "Memory"), and so would keys of
 * 40 bytes with cy_i_sort's copy of them.
 */
cy_status cy_i_wl_rank_recommendations(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    cy_wl_recommendation *list = rep->recommendations;
    size_t count = rep->recommendation_count;
    recommendation_sort *order = cy_calloc(count + 1, sizeof *order);
    if (!order)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const cy_wl_recommendation *r = &list[i];
        order[i].row = i;
        order[i].cls = (uint32_t)b->impact_class[r->supplier];
        order[i].type = (unsigned char)r->type;
        order[i].enterprise = (uint32_t)b->ranks.enterprise[r->enterprise];
        order[i].part = (uint32_t)b->ranks.part[r->part];
    }
    cy_i_sort(order, count, sizeof *order, recommendation_cmp);
    /* order[i].row: where the i-th in order comes from, i once placed. */
    for (size_t i = 0; i < count; i++) {
        cy_wl_recommendation held;
        size_t j = i;
        if (order[i].row == i)
            continue;
        held = list[i];
        for (;;) {
            size_t from = order[j].row;
            order[j].row = j;
            if (from == i) {
                list[j] = held;
                break;
            }
            list[j] = list[from];
            j = from;
        }
    }
    cy_free(order);
    return CY_OK;
}

/* A new recommendation of `type` to back up `supplier`'s `part`; NULL on
 * OOM. */
static cy_wl_recommendation *add_recommendation(cy_i_wl_build *b, size_t *cap,
                                                cy_weak_type type, size_t enterprise,
                                                size_t part, size_t supplier)
{
    cy_weaklinks *rep = b->report;
    cy_wl_recommendation *r;
    if (!cy_i_grow((void **)&rep->recommendations, cap, rep->recommendation_count + 1,
                   sizeof *rep->recommendations))
        return NULL;
    r = &rep->recommendations[rep->recommendation_count++];
    memset(r, 0, sizeof *r);
    r->type = type;
    r->enterprise = enterprise;
    r->part = part;
    r->supplier = supplier;
    r->impact = b->impact[supplier];
    r->severity = cy_i_wl_severity(rep, r->impact.final_demand_lost);
    return r;
}

/* One recommendation per single-source pair: back up (part, supplier). */
cy_status cy_i_wl_single_source_recommendations(cy_i_wl_build *b, size_t *cap)
{
    cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        if (!add_recommendation(b, cap, CY_WEAK_SINGLE_SOURCE, s->enterprise, s->part,
                                s->supplier))
            return CY_ENOMEM;
    }
    return CY_OK;
}

/*
 * Point each weak link at its recommendations: a single-source pair has
 * one (same customer and part), a chokepoint firm one per part it is
 * critical for, and those are consecutive in the ranked list because they
 * share its severity, type and firm.  Articulation points and bridges have
 * none.  The recommendations are bucketed by firm, in list order (a
 * counting sort, no comparisons): a weak link scans its firm's bucket,
 * whose first match is its first recommendation.  O(n + R + W * b) for b
 * the recommendations of one firm (the parts it single-sources or supplies
 * critically, a few).
 */
cy_status cy_i_wl_link_recommendations(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count, n = b->net->enterprise_count;
    size_t *offset = cy_calloc(n + 2, sizeof *offset);
    size_t *bucket = cy_malloc((count + 1) * sizeof *bucket);
    cy_status status = CY_ENOMEM;

    if (!offset || !bucket)
        goto cleanup;
    for (size_t i = 0; i < count; i++)
        offset[rep->recommendations[i].enterprise + 2]++;
    for (size_t v = 0; v < n; v++)
        offset[v + 2] += offset[v + 1];
    for (size_t i = 0; i < count; i++)  /* offset[v + 1]: the fill of v */
        bucket[offset[rep->recommendations[i].enterprise + 1]++] = i;
    for (size_t i = 0; i < rep->weak_link_count; i++) {
        cy_wl_weak_link *w = &rep->weak_links[i];
        w->recommendation = CY_WL_NONE;
        w->recommendation_count = 0;
        if (w->type != CY_WEAK_SINGLE_SOURCE && w->type != CY_WEAK_CHOKEPOINT)
            continue;
        for (size_t k = offset[w->enterprise]; k < offset[w->enterprise + 1]; k++) {
            const cy_wl_recommendation *r = &rep->recommendations[bucket[k]];
            if (r->type != w->type ||
                (w->type == CY_WEAK_SINGLE_SOURCE && r->part != w->part))
                continue;
            if (w->recommendation == CY_WL_NONE)
                w->recommendation = bucket[k];
            w->recommendation_count++;
        }
    }
    status = CY_OK;
cleanup:
    cy_free(offset);
    cy_free(bucket);
    return status;
}

typedef struct {
    size_t part, customer_rank, customer;
} critical_supply;

static int critical_supply_cmp(const void *a, const void *b)
{
    const critical_supply *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return cy_i_wl_cmp_size(x->customer_rank, y->customer_rank);
}

/*
 * One recommendation per (chokepoint firm, part) where the part is one the
 * firm supplies critically: a customer would stop when this one link goes,
 * by the cascade rule (cy_i_wl_link_critical).  These are exactly the
 * links that carry the firm's failure into round 1 of its cascade, so a
 * second source for each of them is what would stop the demand nodes from
 * depending on it.
 */
cy_status cy_i_wl_chokepoint_recommendations(cy_i_wl_build *b, size_t *cap)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count;
    critical_supply *items = cy_calloc(net->link_count + 1, sizeof *items);
    cy_status status = CY_ENOMEM;

    if (!items)
        return CY_ENOMEM;
    for (size_t e = 0; e < n; e++) {
        size_t count = 0;
        if (b->stops[e] == b->stops[e + 1])
            continue;
        for (size_t k = net->out_offset[e]; k < net->out_offset[e + 1]; k++) {
            size_t j = net->out_links[k];
            if (!cy_i_wl_link_critical(&b->engine, j))
                continue;
            items[count].part = net->links[j].part;
            items[count].customer = net->links[j].to;
            items[count].customer_rank = b->ranks.enterprise[net->links[j].to];
            count++;
        }
        qsort(items, count, sizeof *items, critical_supply_cmp);
        for (size_t k = 0; k < count;) {
            size_t end = k + 1;
            cy_wl_recommendation *r;
            while (end < count && items[end].part == items[k].part)
                end++;
            r = add_recommendation(b, cap, CY_WEAK_CHOKEPOINT, e, items[k].part, e);
            if (!r || !(r->customers = cy_calloc(end - k, sizeof *r->customers)))
                goto cleanup;
            for (size_t c = k; c < end; c++)
                r->customers[r->customer_count++] = items[c].customer;
            r->oems = rep->chokepoint_of_ids + b->stops[e];
            r->oem_count = b->stops[e + 1] - b->stops[e];
            k = end;
        }
    }
    status = CY_OK;
cleanup:
    cy_free(items);
    return status;
}
