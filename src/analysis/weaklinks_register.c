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
 * fix[f] = the best recommendation whose current supplier is f: the first
 * in the report's order with an independent backup, else the first with
 * any backup, else the first.
 */
static void best_fixes(const cy_weaklinks *rep, size_t *fix)
{
    for (size_t i = 0; i < rep->recommendation_count; i++) {
        size_t f = rep->recommendations[i].supplier;
        if (fix[f] == CY_WL_NONE ||
            fix_grade(&rep->recommendations[i]) > fix_grade(&rep->recommendations[fix[f]]))
            fix[f] = i;
    }
}

static const cy_i_wl_build *sort_build; /* qsort has no context */

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
    best_fixes(rep, fix);
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
