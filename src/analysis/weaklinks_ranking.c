/*
 * weaklinks_ranking.c - the sections taken from the resilience module
 * (single failures, chokepoints, park and region failures, articulation
 * points, bridges), which of the structural weak points matter, and the
 * ranking of every weak link.
 */
#include "weaklinks_internal.h"

#include <stdint.h>
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
static void seed_bridge_loss(const cy_network *net, cy_i_cascade *c, size_t a, size_t b)
{
    for (int dir = 0; dir < 2; dir++) {
        size_t from = dir ? b : a, to = dir ? a : b;
        for (size_t k = net->out_offset[from]; k < net->out_offset[from + 1]; k++) {
            size_t j = net->out_links[k];
            if (net->links[j].to == to && cy_i_wl_link_critical(c, j))
                cy_i_cascade_seed(c, to);
        }
    }
}

/*
 * Losing every link between each bridge's two firms is failing the
 * customers those links were critical to: their suppliers keep running.
 * `single[v]` is what v failing alone stops: a loss that stops one firm
 * first is that firm's failure, already known, so no cascade runs for it.
 * Every link of a chain is a bridge whose loss stops the customer; one
 * cascade per bridge would be quadratic there.  Only a mutual pair whose
 * links are critical both ways (two firms seeded) is cascaded.
 */
static void bridge_losses(const cy_network *net, cy_i_cascade *c, const cy_bridge *bridges,
                          size_t count, const cy_wl_impact *single, cy_wl_impact *impacts)
{
    for (size_t i = 0; i < count; i++) {
        cy_wl_impact *x = &impacts[i];
        seed_bridge_loss(net, c, bridges[i].from, bridges[i].to);
        if (c->order_count == 1) {
            *x = single[c->order[0]];
            cy_i_cascade_reset(c);
            continue;
        }
        cy_i_cascade_propagate(c);
        x->failed_count = c->order_count;
        x->demand_nodes_failed = c->demand_failed;
        x->final_demand_lost = c->final_demand_lost;
        x->output_value_lost = c->output_lost;
        cy_i_cascade_reset(c);
    }
}

/* What each enterprise failing alone stops, indexed by enterprise. */
static cy_status single_impacts(const cy_network *net, double threshold, cy_wl_impact **out,
                                cy_error *err)
{
    cy_single_failure_options options;
    cy_single_failures sf;
    cy_status status;

    memset(&sf, 0, sizeof sf);
    cy_single_failure_options_init(&options);
    options.threshold = threshold;
    *out = cy_calloc(net->enterprise_count + 1, sizeof **out);
    if (!*out) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if ((status = cy_single_failures_run(net, &options, &sf, err)) != CY_OK)
        return status;
    for (size_t i = 0; i < sf.impact_count; i++) {
        cy_wl_impact *to = &(*out)[sf.impacts[i].index];
        to->failed_count = sf.impacts[i].failed_count;
        to->demand_nodes_failed = sf.impacts[i].demand_nodes_failed;
        to->final_demand_lost = sf.impacts[i].final_demand_lost;
        to->output_value_lost = sf.impacts[i].output_value_lost;
    }
    cy_single_failures_destroy(&sf);
    return CY_OK;
}

cy_status cy_bridge_impacts_compute(const cy_network *net, const cy_structure *structure,
                                    double threshold, cy_wl_impact **impacts,
                                    cy_error *err)
{
    cy_i_cascade c;
    cy_wl_impact *single = NULL;
    cy_status status;

    cy_library_init();
    *impacts = NULL;
    if ((status = cy_i_cascade_init(&c, net, threshold, err)) != CY_OK)
        return status;
    if ((status = single_impacts(net, threshold, &single, err)) == CY_OK &&
        !(*impacts = cy_calloc(structure->bridge_count + 1, sizeof **impacts))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    if (status == CY_OK)
        bridge_losses(net, &c, structure->bridges, structure->bridge_count, single, *impacts);
    cy_free(single);
    cy_i_cascade_destroy(&c);
    return status;
}

/*
 * Which structural weak points are weak links: an articulation point
 * whose failure fails a firm besides itself, a bridge whose loss fails a
 * firm (report->bridge_impact).  The lists themselves stay complete.
 * b->bridges[i] counts the weak-link bridges i is the supplying end of.
 */
static cy_status mark_weak_structure(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    for (size_t i = 0; i < rep->articulation_point_count; i++) {
        size_t firm = rep->articulation_points[i];
        b->articulation[firm] = b->impact[firm].failed_count > 1;
        rep->weak_articulation_count += b->articulation[firm];
    }
    rep->bridge_impact = cy_calloc(rep->bridge_count + 1, sizeof *rep->bridge_impact);
    if (!rep->bridge_impact)
        return CY_ENOMEM;
    bridge_losses(b->net, &b->engine, rep->bridges, rep->bridge_count, b->impact,
                  rep->bridge_impact);
    for (size_t i = 0; i < rep->bridge_count; i++)
        if (rep->bridge_impact[i].failed_count) {
            b->bridges[rep->bridges[i].from]++;
            rep->weak_bridge_count++;
        }
    return CY_OK;
}

typedef struct {
    const cy_wl_impact *impact;
    size_t index;
} impact_ref;

static int impact_ref_cmp(const void *a, const void *b)
{
    const impact_ref *x = a, *y = b;
    int c = cy_i_wl_impact_cmp(x->impact, y->impact);
    return c ? c : cy_i_wl_cmp_size(x->index, y->index);
}

/*
 * b->impact_class.  cascade_impact lists every firm ranked by impact, so
 * one walk numbers the classes.  Should that order ever disagree with
 * cy_i_wl_impact_cmp (a NaN, which the single failures' comparator does
 * not order), the firms are sorted by it instead, so the classes always
 * follow cy_i_wl_impact_cmp.
 */
static cy_status impact_classes(cy_i_wl_build *b)
{
    const cy_weaklinks *rep = b->report;
    size_t n = rep->cascade_impact_count, current = 0;
    size_t *cls = cy_calloc(b->net->enterprise_count + 1, sizeof *cls);
    impact_ref *refs = NULL;
    int ordered = n == b->net->enterprise_count;

    if (!cls)
        return CY_ENOMEM;
    b->impact_class = cls;
    for (size_t k = 1; k < n && ordered; k++)
        ordered = cy_i_wl_impact_cmp(&b->impact[rep->cascade_impact[k - 1].index],
                                     &b->impact[rep->cascade_impact[k].index]) <= 0;
    if (ordered) {
        for (size_t k = 0; k < n; k++) {
            size_t v = rep->cascade_impact[k].index;
            if (k && cy_i_wl_impact_cmp(&b->impact[rep->cascade_impact[k - 1].index],
                                        &b->impact[v]) != 0)
                current++;
            cls[v] = current;
        }
        return CY_OK;
    }
    n = b->net->enterprise_count;
    if (!(refs = cy_calloc(n + 1, sizeof *refs)))
        return CY_ENOMEM;
    for (size_t v = 0; v < n; v++)
        refs[v] = (impact_ref){&b->impact[v], v};
    qsort(refs, n, sizeof *refs, impact_ref_cmp);
    for (size_t k = 0; k < n; k++) {
        if (k && cy_i_wl_impact_cmp(refs[k - 1].impact, refs[k].impact) != 0)
            current++;
        cls[refs[k].index] = current;
    }
    cy_free(refs);
    return CY_OK;
}

/*
 * The sections that come from the resilience module: every single failure
 * (cascade_impact, and the chokepoints of each demand node, which the same
 * pass finds), every park failing, articulation points and bridges.  Their arrays are moved into the report; b->impact[i] gets the
 * cascade of enterprise i, which every ranking uses.
 */
cy_status cy_i_wl_resilience(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    cy_single_failure_options options;
    cy_group_impact_options park_options;
    cy_single_failures sf;
    cy_structure structure;
    cy_status status;

    memset(&sf, 0, sizeof sf);
    memset(&structure, 0, sizeof structure);
    cy_single_failure_options_init(&options);
    options.threshold = rep->threshold; /* the report shows no rounds */
    options.progress = cy_i_wl_inner_progress;
    options.progress_data = b;
    if ((status = cy_i_single_failures_ranked(net, &options, b->ranks.enterprise,
                                              &b->engine, &sf, b->err)) != CY_OK)
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
    if ((status = impact_classes(b)) != CY_OK ||
        (status = count_chokepoints(b)) != CY_OK ||
        (status = build_stops(b)) != CY_OK)
        return status;
    /* Regions fail in weaklinks_outside.c, with region_dependence. */
    cy_group_impact_options_init(&park_options);
    park_options.threshold = rep->threshold;
    if ((status = cy_i_group_impacts_indexed(net, CY_GROUP_PARK, &park_options, &b->engine,
                                             &rep->park_impact, &rep->park_impact_count,
                                             b->err)) != CY_OK ||
        (status = cy_i_wl_structure(b, &structure)) != CY_OK)
        return status;
    rep->articulation_points = structure.articulation_points;
    rep->articulation_point_count = structure.articulation_point_count;
    rep->bridges = structure.bridges;
    rep->bridge_count = structure.bridge_count;
    return mark_weak_structure(b);
}

/*
 * The ranking of every weak link.  What a weak link puts at risk is the
 * cascade of the firm at its supplying end: the supplier of a
 * single-source pair, the chokepoint or articulation point itself, the
 * supplying end of a bridge.  Ranked by that impact (final demand lost,
 * demand nodes failed, firms failed), then type (single source,
 * chokepoint, articulation point, bridge), then enterprise id, supplier
 * id, part name or demand node id; severity = 100 * final demand lost /
 * the network's final demand.
 *
 * A national network has millions of weak links, nearly all (demand node,
 * chokepoint) pairs, so they are not sorted: cascade_impact already lists
 * the firms by impact, then id, and each firm's demand nodes come by id,
 * so walking the firms in that order, one impact class at a time, gives
 * the chokepoint and articulation-point rows in order; only the
 * single-source pairs and the bridges are sorted, and merged in by class.
 */

/* A sorted single-source pair or bridge: its supplier's impact class,
 * then the id ranks that order it within the class and type; 24 bytes
 * (classes and ranks are below the firm and part counts, which
 * cy_weaklinks_compute checked fit 32 bits), as the rows are sorted with
 * a copy beside them (cy_i_sort) while the weak-link rows are made. */
typedef struct {
    size_t item;
    uint32_t cls, keys[3];
} ranked_item;

/* By impact class, then the keys; then the item's index, which never
 * decides (a single-source pair is one per customer and part, a bridge
 * one per pair of firms) but makes the order total by construction, as
 * cy_i_sort requires. */
static int ranked_item_cmp(const void *a, const void *b)
{
    const ranked_item *x = a, *y = b;
    int c = cy_i_wl_cmp_size(x->cls, y->cls);
    for (int k = 0; k < 3 && !c; k++)
        c = cy_i_wl_cmp_size(x->keys[k], y->keys[k]);
    return c ? c : cy_i_wl_cmp_size(x->item, y->item);
}


/* The single-source pairs (ss) and weak bridges (br), each sorted. */
static cy_status sort_items(const cy_i_wl_build *b, const size_t *cls, ranked_item **ss,
                            ranked_item **br, size_t *br_count)
{
    const cy_weaklinks *rep = b->report;
    *ss = cy_calloc(rep->single_source_count + 1, sizeof **ss);
    *br = cy_calloc(rep->bridge_count + 1, sizeof **br);
    if (!*ss || !*br)
        return CY_ENOMEM;
    for (size_t i = 0; i < rep->single_source_count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        ranked_item *x = &(*ss)[i];
        x->cls = (uint32_t)cls[s->supplier];
        x->keys[0] = (uint32_t)b->ranks.enterprise[s->enterprise];
        x->keys[1] = (uint32_t)b->ranks.enterprise[s->supplier];
        x->keys[2] = (uint32_t)b->ranks.part[s->part];
        x->item = i;
    }
    *br_count = 0;
    for (size_t i = 0; i < rep->bridge_count; i++) {
        ranked_item *x = &(*br)[*br_count];
        if (!rep->bridge_impact[i].failed_count)
            continue;
        x->cls = (uint32_t)cls[rep->bridges[i].from];
        x->keys[0] = (uint32_t)b->ranks.enterprise[rep->bridges[i].to];
        x->keys[1] = (uint32_t)b->ranks.enterprise[rep->bridges[i].from];
        x->item = i;
        (*br_count)++;
    }
    cy_i_sort(*ss, rep->single_source_count, sizeof **ss, ranked_item_cmp);
    cy_i_sort(*br, *br_count, sizeof **br, ranked_item_cmp);
    return CY_OK;
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

/* The next row: its type and ids (each below CY_WL_NONE32, which
 * cy_weaklinks_compute checked: ids_fit); what it puts at risk is its
 * supplier's entry of report->firm_impact, not copied. */
static cy_wl_weak_link *next_row(const cy_i_wl_build *b, cy_weak_type type,
                                 size_t enterprise, size_t supplier)
{
    cy_weaklinks *rep = b->report;
    cy_wl_weak_link *w = &rep->weak_links[rep->weak_link_count++];
    w->type = type;
    w->enterprise = (uint32_t)enterprise;
    w->supplier = (uint32_t)supplier;
    w->part = w->oem = CY_WL_NONE32;
    w->recommendation = CY_WL_NONE;
    return w;
}

/* The rows of impact class c: cascade_impact[begin .. end) are its firms,
 * in id order; the cursors *s and *r into ss and br advance past it. */
static cy_status emit_class(const cy_i_wl_build *b, size_t c, const ranked_item *ss,
                            size_t *s, const ranked_item *br, size_t br_count, size_t *r,
                            size_t begin, size_t end)
{
    const cy_weaklinks *rep = b->report;
    cy_status status = CY_OK;
    for (; *s < rep->single_source_count && ss[*s].cls == c; (*s)++) {
        const cy_wl_single_source *x = &rep->single_source[ss[*s].item];
        cy_wl_weak_link *w = next_row(b, CY_WEAK_SINGLE_SOURCE, x->enterprise, x->supplier);
        w->part = (uint32_t)x->part;
        w->volume = x->volume;
    }
    for (size_t k = begin; k < end; k++) {
        size_t firm = rep->cascade_impact[k].index;
        for (size_t q = b->stops[firm]; q < b->stops[firm + 1]; q++)
            next_row(b, CY_WEAK_CHOKEPOINT, firm, firm)->oem =
                (uint32_t)rep->chokepoint_of_ids[q];
    }
    for (size_t k = begin; k < end; k++) {
        size_t firm = rep->cascade_impact[k].index;
        if (b->articulation[firm])
            next_row(b, CY_WEAK_ARTICULATION_POINT, firm, firm);
    }
    for (; *r < br_count && br[*r].cls == c && status == CY_OK; (*r)++) {
        const cy_bridge *x = &rep->bridges[br[*r].item];
        status = bridge_volume(b, next_row(b, CY_WEAK_BRIDGE, x->to, x->from));
    }
    return status;
}

cy_status cy_i_wl_rank_weak_links(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t cap = rep->single_source_count + rep->chokepoint_pair_count +
                 rep->weak_articulation_count + rep->weak_bridge_count;
    const size_t *cls = b->impact_class;
    size_t br_count = 0, s = 0, r = 0;
    ranked_item *ss = NULL, *br = NULL;
    cy_status status = CY_ENOMEM;

    rep->weak_links = cy_calloc(cap + 1, sizeof *rep->weak_links);
    if (!rep->weak_links ||
        (status = sort_items(b, cls, &ss, &br, &br_count)) != CY_OK)
        goto cleanup;
    for (size_t k = 0; k < rep->cascade_impact_count && status == CY_OK;) {
        size_t c = cls[rep->cascade_impact[k].index], end = k;
        while (end < rep->cascade_impact_count && cls[rep->cascade_impact[end].index] == c)
            end++;
        status = emit_class(b, c, ss, &s, br, br_count, &r, k, end);
        k = end;
    }
cleanup:
    cy_free(ss);
    cy_free(br);
    return status;
}
