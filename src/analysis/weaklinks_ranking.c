/*
 * weaklinks_ranking.c - the sections taken from the resilience module
 * (single failures, chokepoints, park and region failures, articulation
 * points, bridges) and the severity ranking of every weak link.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * The sections that come from the resilience module: every single failure
 * (cascade_impact, and the chokepoints of each OEM, which the same pass
 * finds), every park and region failing, articulation points and bridges.
 * Their arrays are moved into the report.  failed[i] and lost[i] get the
 * cascade of enterprise i, which output_at_risk and the severities use.
 */
cy_status cy_i_wl_resilience(cy_i_wl_build *b, size_t *failed, double *lost)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    cy_single_failure_options options;
    cy_single_failures sf;
    cy_structure structure;
    unsigned char *seen = NULL;
    cy_status status;

    memset(&sf, 0, sizeof sf);
    memset(&structure, 0, sizeof structure);
    cy_single_failure_options_init(&options);
    options.threshold = rep->threshold; /* the report shows no rounds */
    if ((status = cy_single_failures_run(net, &options, &sf, b->err)) != CY_OK)
        return status;
    rep->cascade_impact = sf.impacts;
    rep->cascade_impact_count = sf.impact_count;
    rep->chokepoints = sf.chokepoints;
    rep->chokepoint_count = sf.chokepoint_count;
    for (size_t i = 0; i < sf.impact_count; i++) {
        failed[sf.impacts[i].index] = sf.impacts[i].failed_count;
        lost[sf.impacts[i].index] = sf.impacts[i].output_value_lost;
    }

    seen = cy_calloc(net->enterprise_count, 1);
    if (!seen)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        const cy_chokepoint *c = &rep->chokepoints[i];
        rep->chokepoint_pair_count += c->count;
        rep->oems_with_chokepoints += c->count > 0;
        for (size_t k = 0; k < c->count; k++)
            if (!seen[c->enterprises[k]]) {
                seen[c->enterprises[k]] = 1;
                rep->chokepoint_firm_count++;
            }
    }
    cy_free(seen);

    if ((status = cy_group_impacts_compute(net, CY_GROUP_PARK, rep->threshold,
                                           &rep->park_impact, &rep->park_impact_count,
                                           b->err)) != CY_OK ||
        (status = cy_group_impacts_compute(net, CY_GROUP_REGION, rep->threshold,
                                           &rep->region_impact, &rep->region_impact_count,
                                           b->err)) != CY_OK ||
        (status = cy_structure_compute(net, &structure, b->err)) != CY_OK)
        return status;
    rep->articulation_points = structure.articulation_points;
    rep->articulation_point_count = structure.articulation_point_count;
    rep->bridges = structure.bridges;
    rep->bridge_count = structure.bridge_count;
    return CY_OK;
}

/* A part a chokepoint supplies to a customer that cannot do without it. */

typedef struct {
    cy_wl_weak_link row;
    size_t keys[4];   /* ranks: enterprise, supplier, part, oem */
} weak_link_sort;

static int weak_link_cmp(const void *a, const void *b)
{
    const weak_link_sort *x = a, *y = b;
    int c = cy_i_wl_desc_double(x->row.severity, y->row.severity);
    if (!c)
        c = cy_i_wl_cmp_size((size_t)x->row.type, (size_t)y->row.type);
    for (int k = 0; k < 4 && !c; k++)
        c = cy_i_wl_cmp_size(x->keys[k], y->keys[k]);
    return c;
}

static void weak_link_keys(const cy_i_wl_build *b, weak_link_sort *s)
{
    s->keys[0] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row.enterprise);
    s->keys[1] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row.supplier);
    s->keys[2] = cy_i_wl_rank_or_none(b->ranks.part, s->row.part);
    s->keys[3] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row.oem);
}

/*
 * The severity ranking of every weak link.  The output value a weak link
 * puts at risk is the cascade of the firm at its supplying end: the
 * supplier of a single-source pair, the chokepoint or articulation point
 * itself, the supplying end of a bridge.  severity = 100 * that / the
 * network's total output value (a percentage).
 */
cy_status cy_i_wl_rank_weak_links(cy_i_wl_build *b, const size_t *failed,
                                 const double *lost)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t total = rep->single_source_count + rep->chokepoint_pair_count +
                   rep->articulation_point_count + rep->bridge_count, k = 0;
    weak_link_sort *tmp = cy_calloc(total, sizeof *tmp);

    if (!tmp)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->single_source_count; i++, k++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_SINGLE_SOURCE;
        w->enterprise = s->enterprise;
        w->supplier = s->supplier;
        w->part = s->part;
        w->oem = CY_WL_NONE;
        w->volume = s->volume;
    }
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t j = 0; j < rep->chokepoints[i].count; j++, k++) {
            cy_wl_weak_link *w = &tmp[k].row;
            w->type = CY_WEAK_CHOKEPOINT;
            w->enterprise = w->supplier = rep->chokepoints[i].enterprises[j];
            w->part = CY_WL_NONE;
            w->oem = rep->chokepoints[i].oem;
        }
    for (size_t i = 0; i < rep->articulation_point_count; i++, k++) {
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_ARTICULATION_POINT;
        w->enterprise = w->supplier = rep->articulation_points[i];
        w->part = w->oem = CY_WL_NONE;
    }
    for (size_t i = 0; i < rep->bridge_count; i++, k++) {
        cy_wl_weak_link *w = &tmp[k].row;
        w->type = CY_WEAK_BRIDGE;
        w->enterprise = rep->bridges[i].to;
        w->supplier = rep->bridges[i].from;
        w->part = w->oem = CY_WL_NONE;
        /* The volume traded across the bridge, both directions. */
        for (int dir = 0; dir < 2; dir++) {
            igraph_integer_t eid = -1;
            igraph_error_t rc = igraph_get_eid(
                &net->firm_graph, &eid, (igraph_integer_t)(dir ? w->enterprise : w->supplier),
                (igraph_integer_t)(dir ? w->supplier : w->enterprise), IGRAPH_DIRECTED, 0);
            if (rc != IGRAPH_SUCCESS) {
                cy_free(tmp);
                return cy_i_igraph_status(rc, b->err, "bridge volume");
            }
            if (eid >= 0)
                w->volume += VECTOR(net->firm_volume)[eid];
        }
    }
    for (size_t i = 0; i < total; i++) {
        cy_wl_weak_link *w = &tmp[i].row;
        w->failed_count = failed[w->supplier];
        w->output_at_risk = lost[w->supplier];
        w->severity = cy_i_wl_severity(rep, w->output_at_risk);
        weak_link_keys(b, &tmp[i]);
    }
    qsort(tmp, total, sizeof *tmp, weak_link_cmp);
    rep->weak_links = cy_calloc(total, sizeof *rep->weak_links);
    if (!rep->weak_links) {
        cy_free(tmp);
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < total; i++)
        rep->weak_links[i] = tmp[i].row;
    rep->weak_link_count = total;
    cy_free(tmp);
    return CY_OK;
}
