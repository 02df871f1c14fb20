/*
 * weaklinks_ranking.c - the sections taken from the resilience module
 * (single failures, chokepoints, park and region failures, articulation
 * points, bridges), which of the structural weak points matter, and the
 * ranking of every weak link.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

int cy_i_wl_link_critical(const cy_i_cascade *engine, size_t j)
{
    size_t pair = engine->link_pair[j];
    if (pair == CY_I_NO_PAIR)
        return 0;
    return engine->pair_suppliers[pair] == 1 ||
           (engine->threshold > 0.0 &&
            engine->pair_share[pair] - engine->link_share[j] <
                engine->threshold - CY_CASCADE_EPSILON);
}

/* Distinct chokepoint firms and the pair counts of the summary. */
static cy_status count_chokepoints(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    unsigned char *seen = cy_calloc(b->net->enterprise_count + 1, 1);
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
    return CY_OK;
}

/*
 * Invert the chokepoint lists: per firm, the demand nodes it alone stops
 * (CSR in b->stops and report->chokepoint_of_ids), in node id order
 * because the lists come by node id.
 */
static cy_status build_stops(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t n = b->net->enterprise_count, *fill = cy_calloc(n + 1, sizeof *fill);

    rep->chokepoint_of_ids = cy_calloc(rep->chokepoint_pair_count + 1,
                                       sizeof *rep->chokepoint_of_ids);
    if (!fill || !rep->chokepoint_of_ids) {
        cy_free(fill);
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            b->stops[rep->chokepoints[i].enterprises[k] + 1]++;
    for (size_t v = 0; v < n; v++)
        b->stops[v + 1] += b->stops[v];
    memcpy(fill, b->stops, (n + 1) * sizeof *fill);
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            rep->chokepoint_of_ids[fill[rep->chokepoints[i].enterprises[k]]++] =
                rep->chokepoints[i].oem;
    cy_free(fill);
    return CY_OK;
}

/* Seed, in the engine, the customers that a critical link between a and c
 * (either way) would stop. */
static void seed_bridge_loss(cy_i_wl_build *b, size_t a, size_t c)
{
    const cy_network *net = b->net;
    for (int dir = 0; dir < 2; dir++) {
        size_t from = dir ? c : a, to = dir ? a : c;
        for (size_t k = net->out_offset[from]; k < net->out_offset[from + 1]; k++) {
            size_t j = net->out_links[k];
            if (net->links[j].to == to && cy_i_wl_link_critical(&b->engine, j))
                cy_i_cascade_seed(&b->engine, to);
        }
    }
}

/*
 * Which structural weak points are weak links: an articulation point
 * whose failure fails a firm besides itself, a bridge whose loss fails a
 * firm.  The lists themselves stay complete.  b->bridges[i] counts the
 * weak-link bridges i is the supplying end of, and report->bridge_impact
 * gets what each bridge's loss stops: the customers whose only source of
 * a part runs across it (or, T > 0, whose other sources fall below T),
 * and their cascade.  Losing a set of links fails exactly what failing
 * those customers does, since the links' suppliers keep running.
 */
static cy_status mark_weak_structure(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    cy_i_cascade *c = &b->engine;
    for (size_t i = 0; i < rep->articulation_point_count; i++)
        rep->weak_articulation_count +=
            b->impact[rep->articulation_points[i]].failed_count > 1;
    rep->bridge_impact = cy_calloc(rep->bridge_count + 1, sizeof *rep->bridge_impact);
    if (!rep->bridge_impact)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->bridge_count; i++) {
        cy_wl_impact *x = &rep->bridge_impact[i];
        seed_bridge_loss(b, rep->bridges[i].from, rep->bridges[i].to);
        cy_i_cascade_propagate(c);
        x->failed_count = c->order_count;
        x->demand_nodes_failed = c->demand_failed;
        x->final_demand_lost = c->final_demand_lost;
        x->output_value_lost = c->output_lost;
        cy_i_cascade_reset(c);
        if (x->failed_count) {
            b->bridges[rep->bridges[i].from]++;
            rep->weak_bridge_count++;
        }
    }
    return CY_OK;
}

/*
 * The sections that come from the resilience module: every single failure
 * (cascade_impact, and the chokepoints of each demand node, which the same
 * pass finds), every park and region failing, articulation points and
 * bridges.  Their arrays are moved into the report; b->impact[i] gets the
 * cascade of enterprise i, which every ranking uses.
 */
cy_status cy_i_wl_resilience(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    cy_single_failures sf;
    cy_structure structure;
    cy_status status;

    memset(&sf, 0, sizeof sf);
    memset(&structure, 0, sizeof structure);
    if ((status = cy_single_failures_compute(net, rep->threshold, &sf, b->err)) != CY_OK)
        return status;
    rep->cascade_impact = sf.impacts;
    rep->cascade_impact_count = sf.impact_count;
    rep->chokepoints = sf.chokepoints;
    rep->chokepoint_count = sf.chokepoint_count;
    for (size_t i = 0; i < sf.impact_count; i++) {
        cy_wl_impact *to = &b->impact[sf.impacts[i].index];
        to->failed_count = sf.impacts[i].failed_count;
        to->demand_nodes_failed = sf.impacts[i].demand_nodes_failed;
        to->final_demand_lost = sf.impacts[i].final_demand_lost;
        to->output_value_lost = sf.impacts[i].output_value_lost;
    }
    if ((status = count_chokepoints(b)) != CY_OK ||
        (status = build_stops(b)) != CY_OK)
        return status;
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
    return mark_weak_structure(b);
}

typedef struct {
    const cy_wl_weak_link *row;
    size_t keys[4];   /* ranks: enterprise, supplier, part, oem */
} weak_link_sort;

static int weak_link_cmp(const void *a, const void *b)
{
    const weak_link_sort *x = a, *y = b;
    int c = cy_i_wl_impact_cmp(&x->row->impact, &y->row->impact);
    if (!c)
        c = cy_i_wl_cmp_size((size_t)x->row->type, (size_t)y->row->type);
    for (int k = 0; k < 4 && !c; k++)
        c = cy_i_wl_cmp_size(x->keys[k], y->keys[k]);
    return c;
}

static void weak_link_keys(const cy_i_wl_build *b, weak_link_sort *s)
{
    s->keys[0] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row->enterprise);
    s->keys[1] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row->supplier);
    s->keys[2] = cy_i_wl_rank_or_none(b->ranks.part, s->row->part);
    s->keys[3] = cy_i_wl_rank_or_none(b->ranks.enterprise, s->row->oem);
}

/* The volume traded across a bridge, both directions. */
static cy_status bridge_volume(const cy_i_wl_build *b, cy_wl_weak_link *w)
{
    const cy_network *net = b->net;
    for (int dir = 0; dir < 2; dir++) {
        igraph_integer_t eid = -1;
        igraph_error_t rc = igraph_get_eid(
            &net->firm_graph, &eid, (igraph_integer_t)(dir ? w->enterprise : w->supplier),
            (igraph_integer_t)(dir ? w->supplier : w->enterprise), IGRAPH_DIRECTED, 0);
        if (rc != IGRAPH_SUCCESS)
            return cy_i_igraph_status(rc, b->err, "bridge volume");
        if (eid >= 0)
            w->volume += VECTOR(net->firm_volume)[eid];
    }
    return CY_OK;
}

/* A weak link of `type` whose supplying firm is `supplier`. */
static cy_wl_weak_link *add_link(cy_wl_weak_link *rows, size_t *count, cy_weak_type type,
                                 size_t enterprise, size_t supplier)
{
    cy_wl_weak_link *w = &rows[(*count)++];
    w->type = type;
    w->enterprise = enterprise;
    w->supplier = supplier;
    w->part = w->oem = CY_WL_NONE;
    return w;
}

/* Every weak link, unranked: single-source pairs, (demand node,
 * chokepoint) pairs, and the articulation points and bridges that fail
 * a firm. */
static cy_status collect_weak_links(cy_i_wl_build *b, cy_wl_weak_link *rows, size_t *count)
{
    cy_weaklinks *rep = b->report;
    cy_status status;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        cy_wl_weak_link *w = add_link(rows, count, CY_WEAK_SINGLE_SOURCE, s->enterprise,
                                      s->supplier);
        w->part = s->part;
        w->volume = s->volume;
    }
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        for (size_t j = 0; j < rep->chokepoints[i].count; j++) {
            size_t firm = rep->chokepoints[i].enterprises[j];
            add_link(rows, count, CY_WEAK_CHOKEPOINT, firm, firm)->oem =
                rep->chokepoints[i].oem;
        }
    for (size_t i = 0; i < rep->articulation_point_count; i++) {
        size_t firm = rep->articulation_points[i];
        if (b->impact[firm].failed_count > 1)
            add_link(rows, count, CY_WEAK_ARTICULATION_POINT, firm, firm);
    }
    for (size_t i = 0; i < rep->bridge_count; i++) {
        const cy_bridge *br = &rep->bridges[i];
        if (!rep->bridge_impact[i].failed_count)
            continue;
        status = bridge_volume(b, add_link(rows, count, CY_WEAK_BRIDGE, br->to, br->from));
        if (status != CY_OK)
            return status;
    }
    return CY_OK;
}

/*
 * The ranking of every weak link.  What a weak link puts at risk is the
 * cascade of the firm at its supplying end: the supplier of a
 * single-source pair, the chokepoint or articulation point itself, the
 * supplying end of a bridge.  Ranked by that impact (final demand lost,
 * demand nodes failed, firms failed), then type, then ids; severity =
 * 100 * final demand lost / the network's final demand.  Rows are sorted
 * through pointers, so the sort moves 40 bytes a row, not the rows.
 */
cy_status cy_i_wl_rank_weak_links(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t cap = rep->single_source_count + rep->chokepoint_pair_count +
                 rep->weak_articulation_count + rep->weak_bridge_count, count = 0;
    cy_wl_weak_link *rows = cy_calloc(cap + 1, sizeof *rows);
    weak_link_sort *order = cy_calloc(cap + 1, sizeof *order);
    cy_status status = CY_ENOMEM;

    if (!rows || !order)
        goto cleanup;
    if ((status = collect_weak_links(b, rows, &count)) != CY_OK)
        goto cleanup;
    for (size_t i = 0; i < count; i++) {
        cy_wl_weak_link *w = &rows[i];
        w->impact = b->impact[w->supplier];
        w->failed_count = w->impact.failed_count;
        w->output_at_risk = w->impact.output_value_lost;
        w->severity = cy_i_wl_severity(rep, w->impact.final_demand_lost);
        order[i].row = w;
        weak_link_keys(b, &order[i]);
    }
    qsort(order, count, sizeof *order, weak_link_cmp);
    status = CY_ENOMEM;
    rep->weak_links = cy_calloc(count + 1, sizeof *rep->weak_links);
    if (!rep->weak_links)
        goto cleanup;
    for (size_t i = 0; i < count; i++)
        rep->weak_links[i] = *order[i].row;
    rep->weak_link_count = count;
    status = CY_OK;
cleanup:
    cy_free(rows);
    cy_free(order);
    return status;
}
