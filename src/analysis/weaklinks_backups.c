/*
 * weaklinks_backups.c - the candidate second sources of every
 * recommendation: existing producers of the part, another park first,
 * then another region, then id (docs/analyses.md, "recommendations").
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * Producers of each part: enterprises that list it in `produces` or supply
 * it on an outgoing link, each part's list sorted by id and deduplicated:
 * producer[producer_offset[p] .. producer_offset[p+1]).
 */
typedef struct {
    size_t *offset;
    size_t *firms;
} wl_producers;

static void producers_destroy(wl_producers *pr)
{
    cy_free(pr->offset);
    cy_free(pr->firms);
}

static int producers_init(const cy_i_wl_build *b, const cy_i_wl_part_index *ix,
                          wl_producers *pr)
{
    const cy_network *net = b->net;
    size_t parts = net->parts.count, total = net->link_count, *fill = NULL;
    cy_i_wl_ranked *tmp = NULL;
    int ok = 0;

    for (size_t i = 0; i < net->enterprise_count; i++)
        total += net->enterprises[i].produces_count;
    pr->offset = cy_calloc(parts + 1, sizeof *pr->offset);
    pr->firms = cy_calloc(total, sizeof *pr->firms);
    fill = cy_calloc(parts + 1, sizeof *fill);
    tmp = cy_calloc(total, sizeof *tmp);
    if (!pr->offset || !pr->firms || !fill || !tmp)
        goto cleanup;
    for (size_t i = 0; i < net->enterprise_count; i++)
        for (size_t k = 0; k < net->enterprises[i].produces_count; k++)
            fill[net->enterprises[i].produces[k] + 1]++;
    for (size_t p = 0; p < parts; p++)
        fill[p + 1] += fill[p] + (ix->offset[p + 1] - ix->offset[p]);
    /* fill[p] is where part p's candidates start; gather them, then sort
     * each part's slice by id rank and drop repeats. */
    {
        size_t *cursor = cy_calloc(parts + 1, sizeof *cursor);
        if (!cursor)
            goto cleanup;
        memcpy(cursor, fill, (parts + 1) * sizeof *cursor);
        for (size_t i = 0; i < net->enterprise_count; i++)
            for (size_t k = 0; k < net->enterprises[i].produces_count; k++) {
                size_t slot = cursor[net->enterprises[i].produces[k]]++;
                tmp[slot].index = i;
                tmp[slot].rank = b->ranks.enterprise[i];
            }
        for (size_t p = 0; p < parts; p++)
            for (size_t k = ix->offset[p]; k < ix->offset[p + 1]; k++) {
                size_t s = net->links[ix->links[k]].from, slot = cursor[p]++;
                tmp[slot].index = s;
                tmp[slot].rank = b->ranks.enterprise[s];
            }
        cy_free(cursor);
    }
    for (size_t p = 0, out = 0; p < parts; p++) {
        size_t begin = fill[p], end = fill[p + 1];
        qsort(tmp + begin, end - begin, sizeof *tmp, cy_i_wl_ranked_cmp);
        pr->offset[p] = out;
        for (size_t k = begin; k < end; k++)
            if (k == begin || tmp[k].index != tmp[k - 1].index)
                pr->firms[out++] = tmp[k].index;
        pr->offset[p + 1] = out;
    }
    ok = 1;
cleanup:
    cy_free(fill);
    cy_free(tmp);
    return ok;
}

/*
 * Classes of a candidate relative to the current supplier, in order of
 * preference: another park first, then another region.  "Another" means
 * "not the supplier's": a firm outside any park is in another park than a
 * supplier in a park, and when the supplier has no park (region) every
 * candidate counts as being in another park (region) — a failure of that
 * park cannot reach the supplier either.
 */
static int candidate_class(const cy_network *net, size_t cand, long park, long region)
{
    int same_park = park >= 0 && net->enterprises[cand].park == park;
    int same_region = region >= 0 && cy_i_enterprise_region(net, cand) == region;
    return same_park * 2 + same_region;
}

/* What a recommendation asks for while the backups are looked up. */
typedef struct {
    size_t part;
    long park, region;        /* of the current supplier */
    size_t recommendation;    /* index into report->recommendations */
} backup_request;

static int backup_request_cmp(const void *a, const void *b)
{
    const backup_request *x = a, *y = b;
    if (x->part != y->part)
        return x->part < y->part ? -1 : 1;
    if (x->park != y->park)
        return x->park < y->park ? -1 : 1;
    if (x->region != y->region)
        return x->region < y->region ? -1 : 1;
    return cy_i_wl_cmp_size(x->recommendation, y->recommendation);
}

/* 1 when `firm` is among the producers of `part` (binary search on the
 * id ranks the lists are sorted by). */
static size_t producer_listed(const cy_i_wl_build *b, const wl_producers *pr,
                              size_t part, size_t firm)
{
    size_t lo = pr->offset[part], hi = pr->offset[part + 1];
    size_t want = b->ranks.enterprise[firm];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, rank = b->ranks.enterprise[pr->firms[mid]];
        if (rank < want)
            lo = mid + 1;
        else if (rank > want)
            hi = mid;
        else
            return 1;
    }
    return 0;
}

/* Per class, the first KEEP producers in id order: enough for
 * CY_WL_MAX_BACKUPS after excluding the supplier and the customer. */
#define BACKUP_KEEP (CY_WL_MAX_BACKUPS + 2)

/*
 * Fill the backups of every recommendation.  Requests are grouped by
 * (part, supplier park, supplier region), the only things the order
 * depends on besides the two excluded firms, and each group scans the
 * part's producers in id order once, stopping as soon as the best class
 * holds BACKUP_KEEP firms (nothing later can enter the first
 * CY_WL_MAX_BACKUPS).  backup_count = producers - excluded, exactly.
 */
static cy_status fill_backups(cy_i_wl_build *b, const wl_producers *pr)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t count = rep->recommendation_count;
    backup_request *req = cy_calloc(count, sizeof *req);
    size_t keep[4][BACKUP_KEEP], kept[4];

    if (!req)
        return CY_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        const cy_i_enterprise *s = &net->enterprises[rep->recommendations[i].supplier];
        req[i].part = rep->recommendations[i].part;
        req[i].park = s->park;
        req[i].region = cy_i_enterprise_region(net, rep->recommendations[i].supplier);
        req[i].recommendation = i;
    }
    qsort(req, count, sizeof *req, backup_request_cmp);
    for (size_t g = 0; g < count;) {
        size_t end = g + 1, p = req[g].part;
        while (end < count && req[end].part == p && req[end].park == req[g].park &&
               req[end].region == req[g].region)
            end++;
        memset(kept, 0, sizeof kept);
        for (size_t k = pr->offset[p]; k < pr->offset[p + 1]; k++) {
            size_t firm = pr->firms[k];
            int cls = candidate_class(net, firm, req[g].park, req[g].region);
            if (kept[cls] < BACKUP_KEEP)
                keep[cls][kept[cls]++] = firm;
            if (kept[0] == BACKUP_KEEP)
                break;
        }
        for (size_t r = g; r < end; r++) {
            cy_wl_recommendation *rec = &rep->recommendations[req[r].recommendation];
            size_t producers = pr->offset[p + 1] - pr->offset[p];
            size_t customer = rec->type == CY_WEAK_SINGLE_SOURCE ? rec->enterprise : CY_WL_NONE;
            producers -= producer_listed(b, pr, p, rec->supplier);
            if (customer != CY_WL_NONE)
                producers -= producer_listed(b, pr, p, customer);
            rec->backup_count = producers;
            rec->backup_shown = 0;
            for (int cls = 0; cls < 4; cls++)
                for (size_t k = 0; k < kept[cls] && rec->backup_shown < CY_WL_MAX_BACKUPS; k++)
                    if (keep[cls][k] != rec->supplier && keep[cls][k] != customer)
                        rec->backups[rec->backup_shown++] = keep[cls][k];
        }
        g = end;
    }
    cy_free(req);
    return CY_OK;
}

cy_status cy_i_wl_backups(cy_i_wl_build *b, const cy_i_wl_part_index *ix)
{
    wl_producers producers = {NULL, NULL};
    cy_status status = CY_ENOMEM;
    if (producers_init(b, ix, &producers))
        status = fill_backups(b, &producers);
    producers_destroy(&producers);
    return status;
}
