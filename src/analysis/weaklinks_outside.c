/*
 * weaklinks_outside.c - dependence beyond the circle, through every tier
 * (docs/analyses.md, "outside_chokepoints, multi-tier share,
 * region_dependence"):
 *
 * - the multi-tier circle share of every firm: walking upstream from it,
 *   one supplier link at a time with probability proportional to volume,
 *   the chance of reaching a firm without inbound volume without ever
 *   passing a firm outside the circle;
 * - the outside cut: every firm in a region outside the circle failing at
 *   once, one cascade;
 * - the outside chokepoints of each demand node: the firms outside the
 *   circle in its chokepoint list;
 * - region_dependence: every region failing as a whole, and the final
 *   demand lost in each region.
 */
#include "weaklinks_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sweeps of the fixed-point iteration inside one supply cycle, and the
 * change below which it has converged. */
#define CYCLE_SWEEPS 10000
#define CYCLE_TOLERANCE 1e-14

/* 1 when firm i is in a region outside the circle (a firm without a
 * region is unknown, not outside). */
static int firm_outside(const cy_i_wl_build *b, size_t i)
{
    long r = cy_i_enterprise_region(b->net, i);
    return r >= 0 && !b->report->region_inside[r];
}

/* 1 when firm i is in a region inside the circle. */
static int firm_inside(const cy_i_wl_build *b, size_t i)
{
    long r = cy_i_enterprise_region(b->net, i);
    return r >= 0 && b->report->region_inside[r];
}

/* lambda_i: the local content of what i sells (0 outside or unknown, 1 for
 * an inside firm without inbound volume, else its share). */
static double sold_share(const cy_i_wl_build *b, const double *inbound, size_t i)
{
    if (!firm_inside(b, i))
        return 0.0;
    return inbound[i] > 0.0 ? b->report->multi_tier_share[i] : 1.0;
}

/* One update of firm j's share from its suppliers' current values;
 * returns the change. */
static double update_share(const cy_i_wl_build *b, const double *inbound, size_t j)
{
    const cy_network *net = b->net;
    double sum = 0.0, old = b->report->multi_tier_share[j];
    if (!(inbound[j] > 0.0))
        return 0.0;
    for (size_t k = net->in_offset[j]; k < net->in_offset[j + 1]; k++) {
        const cy_i_link *l = &net->links[net->in_links[k]];
        sum += (l->volume / inbound[j]) * sold_share(b, inbound, l->from);
    }
    b->report->multi_tier_share[j] = sum > 1.0 ? 1.0 : sum;
    return fabs(b->report->multi_tier_share[j] - old);
}

/* The strongly connected components of the firm graph in topological
 * order (suppliers first): members[offset[c] .. offset[c + 1]). */
typedef struct {
    size_t count;
    size_t *offset;
    size_t *members;
} component_order;

static void component_order_destroy(component_order *o)
{
    cy_free(o->offset);
    cy_free(o->members);
}

/*
 * The components in topological order.  The condensation's edges are
 * visited through each component's members' outgoing links, so the whole
 * order costs O(n + m) plus igraph's strong components.
 */
static cy_status order_components(const cy_i_wl_build *b, component_order *o)
{
    const cy_network *net = b->net;
    size_t n = net->enterprise_count, *by_comp = NULL, *comp_start = NULL, *indegree = NULL;
    size_t *queue = NULL, head = 0, tail = 0, placed = 0;
    igraph_vector_int_t member;
    igraph_integer_t count = 0;
    igraph_error_t rc;
    cy_status status = CY_ENOMEM;

    memset(o, 0, sizeof *o);
    if ((rc = igraph_vector_int_init(&member, 0)))
        return cy_i_igraph_status(rc, b->err, "strong components");
    if ((rc = igraph_connected_components(&net->firm_graph, &member, NULL, &count,
                                          IGRAPH_STRONG))) {
        igraph_vector_int_destroy(&member);
        return cy_i_igraph_status(rc, b->err, "strong components");
    }
    o->count = (size_t)count;
    by_comp = cy_malloc((n + 1) * sizeof *by_comp);
    comp_start = cy_calloc(o->count + 2, sizeof *comp_start);
    indegree = cy_calloc(o->count + 1, sizeof *indegree);
    queue = cy_malloc((o->count + 1) * sizeof *queue);
    o->offset = cy_calloc(o->count + 1, sizeof *o->offset);
    o->members = cy_malloc((n + 1) * sizeof *o->members);
    if (!by_comp || !comp_start || !indegree || !queue || !o->offset || !o->members)
        goto cleanup;
    /* Members grouped by component (a counting sort). */
    for (size_t v = 0; v < n; v++)
        comp_start[(size_t)VECTOR(member)[v] + 1]++;
    for (size_t c = 0; c < o->count; c++)
        comp_start[c + 1] += comp_start[c];
    for (size_t v = 0; v < n; v++)
        by_comp[comp_start[(size_t)VECTOR(member)[v]]++] = v;
    for (size_t c = o->count; c > 0; c--)
        comp_start[c] = comp_start[c - 1];
    comp_start[0] = 0;
    for (size_t j = 0; j < net->link_count; j++) {
        size_t a = (size_t)VECTOR(member)[net->links[j].from];
        size_t c = (size_t)VECTOR(member)[net->links[j].to];
        indegree[c] += a != c;
    }
    for (size_t c = 0; c < o->count; c++)
        if (!indegree[c])
            queue[tail++] = c;
    while (head < tail) {
        size_t c = queue[head++];
        o->offset[head - 1] = placed;
        for (size_t k = comp_start[c]; k < comp_start[c + 1]; k++) {
            size_t v = by_comp[k];
            o->members[placed++] = v;
            for (size_t e = net->out_offset[v]; e < net->out_offset[v + 1]; e++) {
                size_t d = (size_t)VECTOR(member)[net->links[net->out_links[e]].to];
                if (d != c && --indegree[d] == 0)
                    queue[tail++] = d;
            }
        }
    }
    o->offset[o->count] = placed;
    status = CY_OK;
cleanup:
    igraph_vector_int_destroy(&member);
    cy_free(by_comp);
    cy_free(comp_start);
    cy_free(indegree);
    cy_free(queue);
    if (status != CY_OK)
        component_order_destroy(o);
    return status;
}

/*
 * The multi-tier circle share of every firm, suppliers before customers.
 * A firm outside a supply cycle is computed once from its suppliers' final
 * values; the firms of a cycle start at 1 and are swept together until no
 * value changes by more than CYCLE_TOLERANCE (the largest fixed point:
 * value that circulates inside the circle for ever counts as local).
 */
static cy_status multi_tier_shares(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    size_t n = net->enterprise_count;
    double *inbound = cy_calloc(n + 1, sizeof *inbound);
    component_order o;
    cy_status status;

    b->report->multi_tier_share = cy_malloc((n + 1) * sizeof *b->report->multi_tier_share);
    if (!inbound || !b->report->multi_tier_share) {
        cy_free(inbound);
        return CY_ENOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        for (size_t k = net->in_offset[j]; k < net->in_offset[j + 1]; k++)
            inbound[j] += net->links[net->in_links[k]].volume;
        b->report->multi_tier_share[j] = inbound[j] > 0.0 ? 1.0 : NAN;
    }
    if ((status = order_components(b, &o)) != CY_OK) {
        cy_free(inbound);
        return status;
    }
    for (size_t c = 0; c < o.count; c++) {
        size_t begin = o.offset[c], end = o.offset[c + 1];
        for (size_t sweep = 0; sweep < (end - begin > 1 ? CYCLE_SWEEPS : 1); sweep++) {
            double change = 0.0;
            for (size_t k = begin; k < end; k++) {
                double d = update_share(b, inbound, o.members[k]);
                change = d > change ? d : change;
            }
            if (change <= CYCLE_TOLERANCE)
                break;
        }
    }
    component_order_destroy(&o);
    cy_free(inbound);
    return CY_OK;
}

/* Every firm outside the circle failing at once: which demand nodes
 * survive it, and the totals. */
static void outside_cut(cy_i_wl_build *b, unsigned char *failed)
{
    cy_i_cascade *c = &b->engine;
    for (size_t i = 0; i < b->net->enterprise_count; i++)
        if (firm_outside(b, i))
            cy_i_cascade_seed(c, i);
    cy_i_cascade_propagate(c);
    for (size_t k = 0; k < c->order_count; k++)
        failed[c->order[k]] = 1;
    b->report->outside_cut_count = c->order_count;
    b->report->outside_cut_final_demand_lost = c->final_demand_lost;
    cy_i_cascade_reset(c);
}

static _Thread_local const cy_i_wl_build *sort_build; /* qsort has no context */

static int outside_firm_cmp(const void *a, const void *b)
{
    const cy_wl_outside_firm *x = a, *y = b;
    int c = cy_i_wl_impact_cmp(&x->impact, &y->impact);
    return c ? c
             : cy_i_wl_cmp_size(sort_build->ranks.enterprise[x->firm],
                                sort_build->ranks.enterprise[y->firm]);
}

static int outside_cmp(const void *a, const void *b)
{
    const cy_wl_outside *x = a, *y = b;
    int c = cy_i_wl_desc_double(x->final_demand, y->final_demand);
    return c ? c
             : cy_i_wl_cmp_size(sort_build->ranks.enterprise[x->node],
                                sort_build->ranks.enterprise[y->node]);
}

/*
 * One row per demand node with at least one chokepoint outside the
 * circle: those chokepoints ranked like the register, the node's
 * multi-tier share and whether it survives the outside cut.  Rows by the
 * node's final demand, descending, then id.
 */
static cy_status outside_chokepoints(cy_i_wl_build *b, const unsigned char *cut_failed)
{
    cy_weaklinks *rep = b->report;
    size_t pairs = 0, rows = 0, used = 0;

    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        size_t here = 0;
        for (size_t k = 0; k < rep->chokepoints[i].count; k++)
            here += (size_t)firm_outside(b, rep->chokepoints[i].enterprises[k]);
        pairs += here;
        rows += here > 0;
    }
    rep->outside_firms = cy_calloc(pairs + 1, sizeof *rep->outside_firms);
    rep->outside = cy_calloc(rows + 1, sizeof *rep->outside);
    if (!rep->outside_firms || !rep->outside)
        return CY_ENOMEM;
    sort_build = b;
    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        const cy_chokepoint *cp = &rep->chokepoints[i];
        cy_wl_outside *row = &rep->outside[rep->outside_count];
        row->chokepoints = rep->outside_firms + used;
        for (size_t k = 0; k < cp->count; k++) {
            size_t firm = cp->enterprises[k];
            if (!firm_outside(b, firm))
                continue;
            row->chokepoints[row->chokepoint_count].firm = firm;
            row->chokepoints[row->chokepoint_count++].impact = b->impact[firm];
        }
        if (!row->chokepoint_count)
            continue;
        used += row->chokepoint_count;
        row->node = cp->oem;
        row->final_demand = cy_enterprise_final_demand(b->net, cp->oem);
        row->multi_tier_share = rep->multi_tier_share[cp->oem];
        row->survives_outside_cut = !cut_failed[cp->oem];
        qsort(row->chokepoints, row->chokepoint_count, sizeof *row->chokepoints,
              outside_firm_cmp);
        rep->outside_count++;
    }
    qsort(rep->outside, rep->outside_count, sizeof *rep->outside, outside_cmp);
    return CY_OK;
}

static int region_impact_cmp(const void *a, const void *b)
{
    const cy_impact *x = a, *y = b;
    cy_wl_impact p = {x->failed_count, x->demand_nodes_failed, x->final_demand_lost, 0};
    cy_wl_impact q = {y->failed_count, y->demand_nodes_failed, y->final_demand_lost, 0};
    int c = cy_i_wl_impact_cmp(&p, &q);
    return c ? c
             : cy_i_wl_cmp_size(sort_build->ranks.group[CY_GROUP_REGION][x->index],
                                sort_build->ranks.group[CY_GROUP_REGION][y->index]);
}

/* The region failures as a parallel loop: item g fails region g on its
 * worker's engine and writes region_impact[g] and row g of
 * region_dependence. */
typedef struct {
    const cy_i_wl_build *b;
    const size_t *offset, *members;
} region_job;

static cy_status region_worker_init(void *ctx, void **state, cy_error *err)
{
    const region_job *job = ctx;
    (void)err; /* weaklinks.c names the failure */
    return cy_i_cascade_worker_make(&job->b->engine, state, NULL);
}

static void region_worker_destroy(void *ctx, void *state)
{
    (void)ctx;
    cy_i_cascade_worker_free(state);
}

static cy_status region_item(void *ctx, void *state, size_t g, cy_error *err)
{
    const region_job *job = ctx;
    const cy_network *net = job->b->net;
    cy_weaklinks *rep = job->b->report;
    size_t regions = net->group_count[CY_GROUP_REGION];
    cy_i_cascade *c = state;

    (void)err;
    cy_i_cascade_group(c, job->members + job->offset[g], job->offset[g + 1] - job->offset[g],
                       g, &rep->region_impact[g]);
    for (size_t k = 0; k < c->order_count; k++) {
        long r = cy_i_enterprise_region(net, c->order[k]);
        if (r >= 0)
            rep->region_dependence[g * regions + (size_t)r] +=
                cy_enterprise_final_demand(net, c->order[k]);
    }
    cy_i_cascade_reset(c);
    return CY_OK;
}

/* Region g's impact and row of region_dependence, for the other
 * processes of an MPI run (dist.c). */
static void pack_regions(void *ctx, size_t first, size_t step, cy_i_pack *out)
{
    const region_job *job = ctx;
    const cy_weaklinks *rep = job->b->report;
    size_t regions = job->b->net->group_count[CY_GROUP_REGION];
    for (size_t g = first; g < regions; g += step) {
        cy_i_pack_put(out, &rep->region_impact[g], sizeof rep->region_impact[g]);
        cy_i_pack_put(out, &rep->region_dependence[g * regions],
                      regions * sizeof *rep->region_dependence);
    }
}

static cy_status unpack_regions(void *ctx, size_t first, size_t step, cy_i_unpack *in,
                                cy_error *err)
{
    const region_job *job = ctx;
    cy_weaklinks *rep = job->b->report;
    size_t regions = job->b->net->group_count[CY_GROUP_REGION];
    (void)err;
    for (size_t g = first; g < regions; g += step) {
        cy_i_unpack_get(in, &rep->region_impact[g], sizeof rep->region_impact[g]);
        cy_i_unpack_get(in, &rep->region_dependence[g * regions],
                        regions * sizeof *rep->region_dependence);
    }
    return CY_OK;
}

/*
 * Every region failing as a whole (the membership rule of the cascade's
 * by_region: a firm's region, else its park's), one cascade per region
 * (on the library's threads), gives two sections: region_impact (what
 * each failure stops, ranked like every impact, then region id; the same
 * as cy_group_impacts_compute) and region_dependence[g * R + r], the
 * final demand lost in region r when region g fails.
 */
static cy_status region_failures(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count, regions = net->group_count[CY_GROUP_REGION];
    size_t *offset = NULL, *members = NULL;
    cy_i_par_job par = {0};
    region_job job;
    cy_status status;

    rep->region_final_demand = cy_calloc(regions + 1, sizeof *rep->region_final_demand);
    rep->region_dependence = cy_calloc(regions * regions + 1, sizeof *rep->region_dependence);
    rep->region_impact = cy_calloc(regions + 1, sizeof *rep->region_impact);
    rep->region_order = cy_malloc((regions + 1) * sizeof *rep->region_order);
    if (!rep->region_final_demand || !rep->region_dependence || !rep->region_impact ||
        !rep->region_order || !cy_i_group_members(net, CY_GROUP_REGION, &offset, &members))
        return CY_ENOMEM;
    for (size_t g = 0; g < regions; g++)
        rep->region_order[b->ranks.group[CY_GROUP_REGION][g]] = g;
    for (size_t i = 0; i < n; i++) {
        long r = cy_i_enterprise_region(net, i);
        if (r >= 0)
            rep->region_final_demand[r] += cy_enterprise_final_demand(net, i);
    }
    job = (region_job){b, offset, members};
    par.count = regions;
    par.ctx = &job;
    par.worker_init = region_worker_init;
    par.worker_destroy = region_worker_destroy;
    par.item = region_item;
    par.pack = pack_regions;
    par.unpack = unpack_regions;
    status = cy_i_par_run(&par, b->err);
    cy_free(offset);
    cy_free(members);
    if (status != CY_OK)
        return status;
    rep->region_impact_count = regions;
    sort_build = b;
    qsort(rep->region_impact, regions, sizeof *rep->region_impact, region_impact_cmp);
    return CY_OK;
}

cy_status cy_i_wl_outside(cy_i_wl_build *b)
{
    cy_status status;
    b->report->outside_cut = cy_calloc(b->net->enterprise_count + 1, 1);
    if (!b->report->outside_cut)
        return CY_ENOMEM;
    if ((status = multi_tier_shares(b)) != CY_OK)
        return status;
    outside_cut(b, b->report->outside_cut);
    if ((status = outside_chokepoints(b, b->report->outside_cut)) != CY_OK)
        return status;
    return region_failures(b);
}
