/*
 * weaklinks_recommend.c - which second-source recommendations the report
 * makes (one per single-source pair, one per part a chokepoint supplies
 * critically), their order, and the link from each weak link to its own.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    cy_wl_recommendation row;
    size_t keys[3];   /* ranks: type, enterprise, part */
} recommendation_sort;

static int recommendation_cmp(const void *a, const void *b)
{
    const recommendation_sort *x = a, *y = b;
    int c = cy_i_wl_desc_double(x->row.severity, y->row.severity);
    for (int k = 0; k < 3 && !c; k++)
        c = cy_i_wl_cmp_size(x->keys[k], y->keys[k]);
    return c;
}

/* Order the recommendations by severity, then type, firm id, part name. */
cy_status cy_i_wl_rank_recommendations(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    recommendation_sort *tmp = cy_calloc(count, sizeof *tmp);
    if (!tmp)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        tmp[i].row = rep->recommendations[i];
        tmp[i].keys[0] = (size_t)tmp[i].row.type;
        tmp[i].keys[1] = b->ranks.enterprise[tmp[i].row.enterprise];
        tmp[i].keys[2] = b->ranks.part[tmp[i].row.part];
    }
    qsort(tmp, count, sizeof *tmp, recommendation_cmp);
    for (size_t i = 0; i < count; i++)
        rep->recommendations[i] = tmp[i].row;
    cy_free(tmp);
    return CY_OK;
}

/* One recommendation per single-source pair: back up (part, supplier). */
cy_status cy_i_wl_single_source_recommendations(cy_i_wl_build *b, size_t *cap)
{
    cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        cy_wl_recommendation *r;
        if (!cy_i_grow((void **)&rep->recommendations, cap,
                       rep->recommendation_count + 1, sizeof *rep->recommendations))
            return CY_ENOMEM;
        r = &rep->recommendations[rep->recommendation_count++];
        memset(r, 0, sizeof *r);
        r->type = CY_WEAK_SINGLE_SOURCE;
        r->enterprise = s->enterprise;
        r->part = s->part;
        r->supplier = s->supplier;
        r->severity = cy_i_wl_severity(rep, s->output_at_risk);
    }
    return CY_OK;
}

typedef struct {
    size_t type, enterprise, part;
    size_t index;
} recommendation_key;

static int recommendation_key_cmp(const void *a, const void *b)
{
    const recommendation_key *x = a, *y = b;
    if (x->type != y->type)
        return x->type < y->type ? -1 : 1;
    if (x->enterprise != y->enterprise)
        return x->enterprise < y->enterprise ? -1 : 1;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    return cy_i_wl_cmp_size(x->index, y->index);
}

/*
 * Point each weak link at its recommendations: a single-source pair has
 * one (same customer and part), a chokepoint firm one per part it is
 * critical for, and those are consecutive in the ranked list because they
 * share its severity, type and firm.  Articulation points and bridges have
 * none.  O(R log R + W log R).
 */
cy_status cy_i_wl_link_recommendations(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    recommendation_key *keys = cy_calloc(count, sizeof *keys);
    if (!keys)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const cy_wl_recommendation *r = &rep->recommendations[i];
        keys[i].type = (size_t)r->type;
        keys[i].enterprise = r->enterprise;
        keys[i].part = r->type == CY_WEAK_SINGLE_SOURCE ? r->part : 0;
        keys[i].index = i;
    }
    qsort(keys, count, sizeof *keys, recommendation_key_cmp);
    for (size_t i = 0; i < rep->weak_link_count; i++) {
        cy_wl_weak_link *w = &rep->weak_links[i];
        recommendation_key want = {(size_t)w->type, w->enterprise,
                                   w->type == CY_WEAK_SINGLE_SOURCE ? w->part : 0, 0};
        size_t lo = 0, hi = count;
        w->recommendation = CY_WL_NONE;
        w->recommendation_count = 0;
        if (w->type != CY_WEAK_SINGLE_SOURCE && w->type != CY_WEAK_CHOKEPOINT)
            continue;
        while (lo < hi) {  /* first key >= want */
            size_t mid = lo + (hi - lo) / 2;
            if (recommendation_key_cmp(&keys[mid], &want) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < count && keys[k].type == want.type &&
                            keys[k].enterprise == want.enterprise &&
                            keys[k].part == want.part; k++) {
            if (w->recommendation == CY_WL_NONE || keys[k].index < w->recommendation)
                w->recommendation = keys[k].index;
            w->recommendation_count++;
        }
    }
    cy_free(keys);
    return CY_OK;
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
 * by the cascade rule (the pair has no other supplier, or T > 0 and the
 * other suppliers' shares sum below T).  These are exactly the links that
 * carry the firm's failure into round 1 of its cascade, so a second source
 * for each of them is what would stop the OEMs from depending on it.  The
 * cascade engine's pair index (cy_i_cascade) gives the effective shares.
 */
cy_status cy_i_wl_chokepoint_recommendations(cy_i_wl_build *b, const double *lost,
                                            size_t *cap)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count, *oem_offset = NULL, *oem_list = NULL, *fill = NULL;
    critical_supply *items = NULL;
    cy_i_cascade engine;
    cy_status status;

    if ((status = cy_i_cascade_init(&engine, net, rep->threshold, b->err)) != CY_OK)
        return status;
    status = CY_ENOMEM;
    /* The OEMs each firm is a chokepoint of, in OEM id order (CSR). */
    oem_offset = cy_calloc(n + 1, sizeof *oem_offset);
    fill = cy_calloc(n + 1, sizeof *fill);
    oem_list = cy_calloc(rep->chokepoint_pair_count, sizeof *oem_list);
    items = cy_calloc(n ? net->link_count : 0, sizeof *items);
    if (!oem_offset || !fill || !oem_list || !items)
        goto cleanup;
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            oem_offset[rep->chokepoints[i].enterprises[k] + 1]++;
    for (size_t v = 0; v < n; v++)
        oem_offset[v + 1] += oem_offset[v];
    memcpy(fill, oem_offset, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            oem_list[fill[rep->chokepoints[i].enterprises[k]]++] = rep->chokepoints[i].oem;

    for (size_t e = 0; e < n; e++) {
        size_t count = 0;
        if (oem_offset[e] == oem_offset[e + 1])
            continue;
        for (size_t k = net->out_offset[e]; k < net->out_offset[e + 1]; k++) {
            size_t j = net->out_links[k], pair = engine.link_pair[j];
            if (pair == CY_I_NO_PAIR)
                continue;
            if (engine.pair_suppliers[pair] == 1 ||
                (rep->threshold > 0.0 &&
                 engine.pair_share[pair] - engine.link_share[j] <
                     rep->threshold - CY_CASCADE_EPSILON)) {
                items[count].part = net->links[j].part;
                items[count].customer = net->links[j].to;
                items[count].customer_rank = b->ranks.enterprise[net->links[j].to];
                count++;
            }
        }
        qsort(items, count, sizeof *items, critical_supply_cmp);
        for (size_t k = 0; k < count;) {
            size_t end = k + 1;
            cy_wl_recommendation *r;
            while (end < count && items[end].part == items[k].part)
                end++;
            if (!cy_i_grow((void **)&rep->recommendations, cap,
                           rep->recommendation_count + 1, sizeof *rep->recommendations))
                goto cleanup;
            r = &rep->recommendations[rep->recommendation_count++];
            memset(r, 0, sizeof *r);
            r->type = CY_WEAK_CHOKEPOINT;
            r->enterprise = r->supplier = e;
            r->part = items[k].part;
            r->severity = cy_i_wl_severity(rep, lost[e]);
            r->customers = cy_calloc(end - k, sizeof *r->customers);
            r->oems = cy_calloc(oem_offset[e + 1] - oem_offset[e], sizeof *r->oems);
            if (!r->customers || !r->oems)
                goto cleanup;
            for (size_t c = k; c < end; c++)
                r->customers[r->customer_count++] = items[c].customer;
            r->oem_count = oem_offset[e + 1] - oem_offset[e];
            memcpy(r->oems, oem_list + oem_offset[e], r->oem_count * sizeof *r->oems);
            k = end;
        }
    }
    status = CY_OK;
cleanup:
    cy_i_cascade_destroy(&engine);
    cy_free(oem_offset);
    cy_free(fill);
    cy_free(oem_list);
    cy_free(items);
    return status;
}
