/*
 * weaklinks_backups.c - the candidate second sources of every
 * recommendation (docs/analyses.md, "recommendations"): the producers of
 * the part that do not already supply it to the customers, each with
 * survives, common_cause and independent read off the killer lists
 * (weaklinks_killers.c), independent first, then in the supplier's
 * region, then by id.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

void cy_i_wl_producers_destroy(cy_i_wl_producers *pr)
{
    cy_free(pr->offset);
    cy_free(pr->firms);
}

int cy_i_wl_producers_init(const cy_i_wl_build *b, const cy_i_wl_part_index *ix,
                           cy_i_wl_producers *pr)
{
    const cy_network *net = b->net;
    size_t parts = net->parts.count, total = net->link_count, *fill = NULL;
    cy_i_wl_ranked *tmp = NULL;
    int ok = 0;

    for (size_t i = 0; i < net->enterprise_count; i++)
        total += net->enterprises[i].produces_count;
    pr->offset = cy_calloc(parts + 1, sizeof *pr->offset);
    pr->firms = cy_calloc(total + 1, sizeof *pr->firms);
    fill = cy_calloc(parts + 1, sizeof *fill);
    tmp = cy_calloc(total + 1, sizeof *tmp);
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
 * Per-recommendation scratch: stamps mark the excluded firms and the
 * killers of the current supplier without clearing arrays between
 * recommendations; the four lists gather the first candidates of each
 * class in id order.
 */
typedef struct {
    size_t *excluded;         /* per firm: stamp of the last exclusion */
    size_t *killer_of_s;      /* per firm: stamp when in A(supplier) */
    size_t stamp;
    cy_wl_candidate found[4][CY_WL_MAX_BACKUPS]; /* independent same region,
                                                    independent other,
                                                    dependent same, other */
    size_t found_count[4];
} backup_scratch;

/* Exclude a firm; 1 when it was not excluded yet. */
static int exclude(backup_scratch *s, size_t firm)
{
    if (s->excluded[firm] == s->stamp)
        return 0;
    s->excluded[firm] = s->stamp;
    return 1;
}

/* 1 when `firm` is among the producers of `part` (binary search on the
 * id ranks the lists are sorted by). */
static int producer_listed(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
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

/*
 * Exclude the supplier, the customers and every current supplier of the
 * part to a customer; returns how many of them produce the part, so that
 * backup_count = producers - that, exactly.
 */
static size_t exclude_current(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
                              const cy_wl_recommendation *r, backup_scratch *s)
{
    const cy_network *net = b->net;
    const size_t *customers = r->type == CY_WEAK_SINGLE_SOURCE ? &r->enterprise : r->customers;
    size_t count = r->type == CY_WEAK_SINGLE_SOURCE ? 1 : r->customer_count, listed = 0;

    if (exclude(s, r->supplier))
        listed += (size_t)producer_listed(b, pr, r->part, r->supplier);
    for (size_t c = 0; c < count; c++) {
        size_t first = 0, suppliers = cy_i_part_suppliers(net, customers[c], r->part, &first);
        if (exclude(s, customers[c]))
            listed += (size_t)producer_listed(b, pr, r->part, customers[c]);
        for (size_t k = first; k < first + suppliers; k++) {
            size_t firm = net->links[net->in_links[k]].from;
            if (exclude(s, firm))
                listed += (size_t)producer_listed(b, pr, r->part, firm);
        }
    }
    return listed;
}

/* survives, common_cause and independent of candidate `firm` against the
 * supplier whose killers carry the current stamp. */
static void evaluate(const cy_i_wl_build *b, const backup_scratch *s, size_t supplier,
                     size_t firm, cy_wl_candidate *cand)
{
    memset(cand, 0, sizeof *cand);
    cand->firm = (uint32_t)firm; /* cy_weaklinks_compute checked ids fit */
    cand->survives = 1;
    for (size_t k = b->killer_offset[firm]; k < b->killer_offset[firm + 1]; k++) {
        size_t f = b->killers[k];
        if (s->killer_of_s[f] != s->stamp)
            continue;
        if (f == supplier)
            cand->survives = 0;
        if (cand->common_cause_shown < CY_WL_MAX_COMMON_CAUSE)
            cand->common_cause[cand->common_cause_shown++] = (uint32_t)f;
        cand->common_cause_count++;
    }
    cand->independent = cand->survives && cand->common_cause_count == 0;
}

/*
 * One pass over the part's producers in id order, keeping those in the
 * supplier's region (`same` = 1) or the others: each non-excluded one is
 * evaluated and kept in its class while there is room; the pass stops
 * once `want` independent ones are found (nothing later can be shown).
 */
static void scan(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
                 const cy_wl_recommendation *r, backup_scratch *s, int same, size_t want)
{
    const cy_network *net = b->net;
    long region = cy_i_enterprise_region(net, r->supplier);
    for (size_t k = pr->offset[r->part]; k < pr->offset[r->part + 1]; k++) {
        size_t firm = pr->firms[k], cls;
        cy_wl_candidate cand;
        if (s->excluded[firm] == s->stamp ||
            (region >= 0 && cy_i_enterprise_region(net, firm) == region) != same)
            continue;
        evaluate(b, s, r->supplier, firm, &cand);
        cand.same_region = (unsigned char)same;
        cls = (cand.independent ? 0 : 2) + (same ? 0 : 1);
        if (s->found_count[cls] < CY_WL_MAX_BACKUPS)
            s->found[cls][s->found_count[cls]++] = cand;
        if (s->found_count[same ? 0 : 1] == want)
            return;
    }
}

/* How many candidates a recommendation has. */
static void count_backups(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
                          cy_wl_recommendation *r, backup_scratch *s)
{
    size_t excluded = exclude_current(b, pr, r, s);
    r->backup_count = pr->offset[r->part + 1] - pr->offset[r->part] - excluded;
    r->backup_shown = 0;
}

/* How many backups a recommendation shows: the first CY_WL_MAX_BACKUPS
 * of its candidates.  The scans of fill_backups either evaluate every
 * candidate, each kept while its class has room, or stop at
 * CY_WL_MAX_BACKUPS independent ones, so they always find this many. */
static size_t shown_backups(const cy_wl_recommendation *r)
{
    return r->backup_count < CY_WL_MAX_BACKUPS ? r->backup_count : CY_WL_MAX_BACKUPS;
}

/* The backups of one recommendation (its candidates are counted; its
 * shown_backups slots are r->backups). */
static void fill_backups(const cy_i_wl_build *b, const cy_i_wl_producers *pr,
                         cy_wl_recommendation *r, backup_scratch *s)
{
    size_t room = shown_backups(r);
    if (!room)
        return;
    exclude_current(b, pr, r, s);
    for (size_t k = b->killer_offset[r->supplier]; k < b->killer_offset[r->supplier + 1]; k++)
        s->killer_of_s[b->killers[k]] = s->stamp;
    memset(s->found_count, 0, sizeof s->found_count);
    scan(b, pr, r, s, 1, CY_WL_MAX_BACKUPS);
    if (s->found_count[0] < CY_WL_MAX_BACKUPS)
        scan(b, pr, r, s, 0, CY_WL_MAX_BACKUPS - s->found_count[0]);
    for (int cls = 0; cls < 4; cls++)
        for (size_t k = 0; k < s->found_count[cls] && r->backup_shown < room; k++)
            r->backups[r->backup_shown++] = s->found[cls][k];
}

/* The two passes over the recommendations as parallel loops: each worker
 * has its own scratch, item i writes recommendation i only.  Stamps stay
 * distinct within a worker: i + 1 while counting, count + i + 1 while
 * filling. */
typedef struct {
    const cy_i_wl_build *b;
    const cy_i_wl_producers *pr;
    cy_weaklinks *rep;
} backup_job;

static cy_status scratch_make(void *ctx, void **state, cy_error *err)
{
    const backup_job *job = ctx;
    size_t n = job->b->net->enterprise_count;
    backup_scratch *s = cy_calloc(1, sizeof *s);

    (void)err; /* weaklinks.c names the failure */
    *state = s;
    if (!s || !(s->excluded = cy_calloc(n + 1, sizeof *s->excluded)) ||
        !(s->killer_of_s = cy_calloc(n + 1, sizeof *s->killer_of_s)))
        return CY_ENOMEM;
    return CY_OK;
}

static void scratch_free(void *ctx, void *state)
{
    backup_scratch *s = state;
    (void)ctx;
    if (s) {
        cy_free(s->excluded);
        cy_free(s->killer_of_s);
    }
    cy_free(s);
}

static cy_status count_item(void *ctx, void *state, size_t i, cy_error *err)
{
    const backup_job *job = ctx;
    backup_scratch *s = state;
    cy_wl_recommendation *r = &job->rep->recommendations[i];

    (void)err;
    s->stamp = i + 1;
    count_backups(job->b, job->pr, r, s);
    return CY_OK;
}

static cy_status fill_item(void *ctx, void *state, size_t i, cy_error *err)
{
    const backup_job *job = ctx;
    backup_scratch *s = state;

    (void)err;
    s->stamp = job->rep->recommendation_count + i + 1;
    fill_backups(job->b, job->pr, &job->rep->recommendations[i], s);
    return CY_OK;
}

/* Run one pass over the recommendations on the library's threads. */
static cy_status each_recommendation(backup_job *job,
                                     cy_status (*item)(void *, void *, size_t, cy_error *),
                                     cy_error *err)
{
    cy_i_par_job par = {0};
    par.count = job->rep->recommendation_count;
    par.ctx = job;
    par.worker_init = scratch_make;
    par.worker_destroy = scratch_free;
    par.item = item;
    return cy_i_par_run(&par, err);
}

/* The candidate slots, packed: each recommendation gets as many as it
 * shows (most show fewer than CY_WL_MAX_BACKUPS). */
static cy_status place_backups(cy_weaklinks *rep)
{
    size_t total = 0;
    for (size_t i = 0; i < rep->recommendation_count; i++)
        total += shown_backups(&rep->recommendations[i]);
    rep->candidates = cy_calloc(total + 1, sizeof *rep->candidates);
    if (!rep->candidates)
        return CY_ENOMEM;
    total = 0;
    for (size_t i = 0; i < rep->recommendation_count; i++) {
        cy_wl_recommendation *r = &rep->recommendations[i];
        r->backups = rep->candidates + total;
        total += shown_backups(r);
        rep->no_backup_count += r->backup_count == 0;
    }
    return CY_OK;
}

cy_status cy_i_wl_backups(cy_i_wl_build *b, const cy_i_wl_producers *pr)
{
    cy_weaklinks *rep = b->report;
    backup_job job = {b, pr, rep};
    cy_status status;

    /* Count first: only the suppliers and producers of recommendations
     * that have candidates need killer lists. */
    if ((status = each_recommendation(&job, count_item, b->err)) != CY_OK ||
        (status = place_backups(rep)) != CY_OK)
        return status;
    if ((status = cy_i_wl_killers(b, pr)) != CY_OK ||
        (status = each_recommendation(&job, fill_item, b->err)) != CY_OK)
        return status;
    for (size_t i = 0; i < rep->recommendation_count; i++) {
        const cy_wl_recommendation *r = &rep->recommendations[i];
        rep->no_independent_count += r->backup_shown > 0 && !r->backups[0].independent;
    }
    return CY_OK;
}

/* ---- the suppliers a backup shares with the current supplier --------- */

/* Pairs remembered; a direct-mapped table: a pair asked again while its
 * slot has not been taken by another is answered from it. */
#define SHARED_SLOTS 4096

typedef struct {
    size_t a, b;              /* the pair (a = SIZE_MAX: empty slot) */
    size_t count, of, shown;
    uint32_t first[CY_WL_MAX_SHARED]; /* ids fit: the id table's bound */
} shared_slot;

struct cy_wl_shared_cache {
    const cy_network *net;
    uint32_t *of_a;           /* per firm: stamp_a when it supplies current_a */
    uint32_t *seen;           /* per firm: stamp_b once counted for the pair */
    uint32_t stamp_a, stamp_b;
    size_t current_a;         /* SIZE_MAX: none marked */
    shared_slot slots[SHARED_SLOTS];
};

cy_wl_shared_cache *cy_wl_shared_cache_new(const cy_network *net)
{
    size_t n = net->enterprise_count;
    cy_wl_shared_cache *c = cy_calloc(1, sizeof *c);
    if (!c || !(c->of_a = cy_calloc(n + 1, sizeof *c->of_a)) ||
        !(c->seen = cy_calloc(n + 1, sizeof *c->seen))) {
        cy_wl_shared_cache_free(c);
        return NULL;
    }
    c->net = net;
    c->current_a = SIZE_MAX;
    for (size_t k = 0; k < SHARED_SLOTS; k++)
        c->slots[k].a = SIZE_MAX;
    return c;
}

void cy_wl_shared_cache_free(cy_wl_shared_cache *cache)
{
    if (!cache)
        return;
    cy_free(cache->of_a);
    cy_free(cache->seen);
    cy_free(cache);
}

/* The next stamp of a mark array; at the wrap the array is cleared, so a
 * stale mark can never equal a current stamp. */
static uint32_t next_stamp(uint32_t *stamp, uint32_t *marks, size_t n)
{
    if (++*stamp == 0) {
        memset(marks, 0, (n + 1) * sizeof *marks);
        *stamp = 1;
    }
    return *stamp;
}

/* Mark the suppliers of `a` (unless they are marked already). */
static void mark_suppliers(cy_wl_shared_cache *c, size_t a)
{
    const cy_network *net = c->net;
    uint32_t stamp;
    if (c->current_a == a)
        return;
    stamp = next_stamp(&c->stamp_a, c->of_a, net->enterprise_count);
    for (size_t k = net->in_offset[a]; k < net->in_offset[a + 1]; k++)
        c->of_a[net->links[net->in_links[k]].from] = stamp;
    c->current_a = a;
}

/* Keep `firm` among the first CY_WL_MAX_SHARED of `slot` by id. */
static void keep_first(const cy_network *net, shared_slot *slot, size_t firm)
{
    size_t at = slot->shown;
    const char *id = net->enterprises[firm].id;
    if (at == CY_WL_MAX_SHARED &&
        strcmp(net->enterprises[slot->first[at - 1]].id, id) < 0)
        return;
    if (at < CY_WL_MAX_SHARED)
        slot->shown++;
    else
        at--;
    for (; at > 0 && strcmp(net->enterprises[slot->first[at - 1]].id, id) > 0; at--)
        slot->first[at] = slot->first[at - 1];
    slot->first[at] = (uint32_t)firm;
}

/* Fill `slot` for the pair (a, b). */
static void compute_shared(cy_wl_shared_cache *c, size_t a, size_t b, shared_slot *slot)
{
    const cy_network *net = c->net;
    uint32_t stamp;
    mark_suppliers(c, a);
    stamp = next_stamp(&c->stamp_b, c->seen, net->enterprise_count);
    slot->a = a;
    slot->b = b;
    slot->count = slot->of = slot->shown = 0;
    for (size_t k = net->in_offset[b]; k < net->in_offset[b + 1]; k++) {
        size_t f = net->links[net->in_links[k]].from;
        if (c->seen[f] == stamp)
            continue;
        c->seen[f] = stamp;
        slot->of++;
        if (c->of_a[f] == c->stamp_a && f != a && f != b) {
            slot->count++;
            keep_first(net, slot, f);
        }
    }
}

void cy_wl_shared_suppliers(cy_wl_shared_cache *cache, size_t a, size_t b, size_t *first,
                            size_t max, size_t *shared, size_t *b_suppliers)
{
    uint64_t h = ((uint64_t)a * 0x9E3779B97F4A7C15u) ^ ((uint64_t)b * 0xC2B2AE3D27D4EB4Fu);
    shared_slot *slot = &cache->slots[(h >> 40) % SHARED_SLOTS];
    if (slot->a != a || slot->b != b)
        compute_shared(cache, a, b, slot);
    for (size_t k = 0; k < max && k < slot->shown; k++)
        first[k] = slot->first[k];
    *shared = slot->count;
    *b_suppliers = slot->of;
}
