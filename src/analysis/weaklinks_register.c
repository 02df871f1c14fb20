/*
 * weaklinks_register.c - the risk register: one row per firm that has a
 * weak-link role (sole supplier of a required part, chokepoint of a demand
 * node, an articulation point or the supplying end of a bridge whose loss
 * fails a firm) or whose failure fails at least one other firm, with what
 * its failure stops and its best recommendation.  Ranked like everything
 * else: final demand lost, demand nodes failed, firms failed, then id.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

/* How good a recommendation is as a firm's fix: 2 with an independent
 * backup, 1 with any backup, 0 with none. */
static int fix_grade(const cy_wl_recommendation *r)
{
    if (!r->backup_shown)
        return 0;
    return r->backups[0].independent ? 2 : 1;
}

/*
 * What a recommendation protects: the largest impact among the failures of
 * the firms that would stop for want of the part - the customer of a
 * single-source pair, the customers of a chokepoint's part.  Every
 * recommendation of one supplier shares the supplier's impact, so this is
 * what tells its critical parts from its minor ones.
 */
static const cy_wl_impact *stake(const cy_i_wl_build *b, const cy_wl_recommendation *r)
{
    const cy_wl_impact *best = NULL;
    if (r->type == CY_WEAK_SINGLE_SOURCE || !r->customer_count)
        return &b->impact[r->enterprise];
    for (size_t k = 0; k < r->customer_count; k++)
        if (!best || cy_i_wl_impact_cmp(&b->impact[r->customers[k]], best) < 0)
            best = &b->impact[r->customers[k]];
    return best;
}

/* 1 when recommendation i makes a better fix than j (same supplier). */
static int better_fix(const cy_i_wl_build *b, size_t i, size_t j)
{
    const cy_wl_recommendation *x = &b->report->recommendations[i];
    const cy_wl_recommendation *y = &b->report->recommendations[j];
    int c = cy_i_wl_impact_cmp(stake(b, x), stake(b, y));
    return c ? c < 0 : fix_grade(x) > fix_grade(y);
}

/*
 * fix[f] = the best recommendation whose current supplier is f: the one
 * with the largest stake (so a firm's critical part is named even when no
 * other firm makes it, rather than a minor part that happens to have a
 * backup); among equal stakes the first in the report's order with an
 * independent backup, else the first with any backup, else the first.
 */
static void best_fixes(const cy_i_wl_build *b, size_t *fix)
{
    const cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->recommendation_count; i++) {
        size_t f = rep->recommendations[i].supplier;
        if (fix[f] == CY_WL_NONE || better_fix(b, i, fix[f]))
            fix[f] = i;
    }
}

static _Thread_local const cy_i_wl_build *sort_build; /* qsort has no context */

static int register_cmp(const void *a, const void *b)
{
    const cy_wl_register_row *x = a, *y = b;
    int c = cy_i_wl_impact_cmp(&x->impact, &y->impact);
    return c ? c
             : cy_i_wl_cmp_size(sort_build->ranks.enterprise[x->enterprise],
                                sort_build->ranks.enterprise[y->enterprise]);
}

/* The single-source pairs each firm is the only supplier of. */
static void count_pairs(const cy_i_wl_build *b, size_t *pairs)
{
    const cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->single_source_count; i++)
        pairs[rep->single_source[i].supplier]++;
}

cy_status cy_i_wl_register(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t n = b->net->enterprise_count, count = 0;
    size_t *pairs = cy_calloc(n + 1, sizeof *pairs), *fix = cy_malloc((n + 1) * sizeof *fix);
    cy_status status = CY_ENOMEM;

    if (!pairs || !fix ||
        !(rep->register_rows = cy_calloc(n + 1, sizeof *rep->register_rows)))
        goto cleanup;
    for (size_t f = 0; f < n; f++)
        fix[f] = CY_WL_NONE;
    count_pairs(b, pairs);
    best_fixes(b, fix);
    for (size_t f = 0; f < n; f++) {
        cy_wl_register_row *row = &rep->register_rows[count];
        size_t stops = b->stops[f + 1] - b->stops[f];
        if (!pairs[f] && !stops && !b->articulation[f] && !b->bridges[f] &&
            b->impact[f].failed_count < 2)
            continue;
        row->enterprise = f;
        row->single_source_pairs = pairs[f];
        row->chokepoint_of = rep->chokepoint_of_ids + b->stops[f];
        row->chokepoint_of_count = stops;
        row->articulation_point = b->articulation[f];
        row->bridges = b->bridges[f];
        row->impact = b->impact[f];
        row->fix = fix[f];
        count++;
    }
    sort_build = b;
    qsort(rep->register_rows, count, sizeof *rep->register_rows, register_cmp);
    rep->register_count = count;
    status = CY_OK;
cleanup:
    cy_free(pairs);
    cy_free(fix);
    return status;
}
