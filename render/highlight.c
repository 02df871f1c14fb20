/*
 * highlight.c - the data behind --highlight: single-source links,
 * articulation points and chokepoints (weak-links), and the firms that fail
 * in a cascade.  Structure, chokepoints and cascades come from the
 * resilience module (cy_structure_compute, cy_single_failures_compute,
 * cy_cascade_run); this file only maps their answers onto the nodes and
 * edges of a plan.
 */
#include "render_internal.h"

#include <stdlib.h>
#include <string.h>

void cy_r_highlight_destroy(cy_r_highlight *hl)
{
    cy_free(hl->edge_single);
    cy_free(hl->node_articulation);
    cy_free(hl->node_chokepoint);
    cy_free(hl->node_failed);
    memset(hl, 0, sizeof *hl);
    hl->initial_node = -1;
}

/* The plan edge from node a to node b, or -1 (edges are sorted). */
static long find_edge(const cy_r_plan *plan, size_t a, size_t b)
{
    size_t lo = 0, hi = plan->edge_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const cy_r_edge *e = &plan->edges[mid];
        if (e->from < a || (e->from == a && e->to < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < plan->edge_count && plan->edges[lo].from == a &&
        plan->edges[lo].to == b)
        return (long)lo;
    return -1;
}

/* Most nodes one firm can map to (clusters view: its clusters). */
static size_t max_firm_nodes(const cy_network *net)
{
    size_t k = 1;
    for (size_t i = 0; i < net->enterprise_count; i++)
        if (net->enterprises[i].cluster_count > k)
            k = net->enterprises[i].cluster_count;
    return k;
}

/*
 * Single-source links: link j is one when its customer gets j's part from
 * no other supplier.  in_links of a customer are sorted by (part, supplier),
 * so such a link is a run of length one.
 */
static cy_status single_sources(const cy_network *net, const cy_r_plan *plan,
                                cy_r_highlight *hl, cy_error *err)
{
    size_t max_k = max_firm_nodes(net);
    long *from_nodes = cy_malloc(max_k * sizeof *from_nodes);
    long *to_nodes = cy_malloc(max_k * sizeof *to_nodes);
    hl->edge_single = cy_calloc(plan->edge_count ? plan->edge_count : 1,
                                sizeof *hl->edge_single);
    if (!from_nodes || !to_nodes || !hl->edge_single) {
        cy_free(from_nodes);
        cy_free(to_nodes);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t c = 0; c < net->enterprise_count; c++) {
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        for (size_t k = begin; k < end; k++) {
            const cy_i_link *l = &net->links[net->in_links[k]];
            int counted = 0;
            size_t a_count, b_count;
            if ((k > begin && net->links[net->in_links[k - 1]].part == l->part) ||
                (k + 1 < end && net->links[net->in_links[k + 1]].part == l->part))
                continue;
            hl->single_links_total++;
            a_count = cy_r_plan_firm_nodes(plan, net, l->from, from_nodes, max_k);
            b_count = cy_r_plan_firm_nodes(plan, net, l->to, to_nodes, max_k);
            for (size_t p = 0; p < a_count; p++) {
                for (size_t q = 0; q < b_count; q++) {
                    long e;
                    if (from_nodes[p] == to_nodes[q])
                        continue;
                    e = find_edge(plan, (size_t)from_nodes[p], (size_t)to_nodes[q]);
                    if (e >= 0) {
                        hl->edge_single[e]++;
                        counted = 1;
                    }
                }
            }
            hl->single_links += (size_t)counted;
        }
    }
    cy_free(from_nodes);
    cy_free(to_nodes);
    return CY_OK;
}

/* Add one to every node firm i is drawn in. */
static void count_firm(const cy_network *net, const cy_r_plan *plan, size_t i,
                       size_t *per_node, long *buf, size_t max_k)
{
    size_t k = cy_r_plan_firm_nodes(plan, net, i, buf, max_k);
    for (size_t q = 0; q < k; q++)
        per_node[buf[q]]++;
}

/* Articulation points (cy_structure_compute) and the chokepoints of every
 * demand node (cy_single_failures_run, threshold 0), counted per drawn
 * node. */
static cy_status weak_points(const cy_network *net, const cy_r_plan *plan,
                             cy_r_highlight *hl, cy_error *err)
{
    size_t max_k = max_firm_nodes(net), nodes = plan->node_count ? plan->node_count : 1;
    long *buf = cy_malloc(max_k * sizeof *buf);
    unsigned char *choke = cy_calloc(net->enterprise_count + 1, 1);
    cy_structure structure;
    cy_single_failure_options options;
    cy_single_failures sf;
    int have_structure = 0, have_sf = 0;
    cy_status status = CY_ENOMEM;

    hl->node_articulation = cy_calloc(nodes, sizeof *hl->node_articulation);
    hl->node_chokepoint = cy_calloc(nodes, sizeof *hl->node_chokepoint);
    if (!buf || !choke || !hl->node_articulation || !hl->node_chokepoint) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    if ((status = cy_structure_compute(net, &structure, err)) != CY_OK)
        goto cleanup;
    have_structure = 1;
    cy_single_failure_options_init(&options); /* threshold 0, no rounds */
    if ((status = cy_single_failures_run(net, &options, &sf, err)) != CY_OK)
        goto cleanup;
    have_sf = 1;
    hl->articulation_total = structure.articulation_point_count;
    for (size_t k = 0; k < structure.articulation_point_count; k++)
        count_firm(net, plan, structure.articulation_points[k],
                   hl->node_articulation, buf, max_k);
    for (size_t c = 0; c < sf.chokepoint_count; c++) {
        for (size_t k = 0; k < sf.chokepoints[c].count; k++) {
            size_t firm = sf.chokepoints[c].enterprises[k];
            if (choke[firm])
                continue;
            choke[firm] = 1;
            hl->chokepoint_total++;
            count_firm(net, plan, firm, hl->node_chokepoint, buf, max_k);
        }
    }
    status = CY_OK;
cleanup:
    if (have_structure)
        cy_structure_destroy(&structure);
    if (have_sf)
        cy_single_failures_destroy(&sf);
    cy_free(buf);
    cy_free(choke);
    return status;
}

/* The firms that fail when plan->cascade_firm fails alone (threshold 0,
 * the resilience module's cascade rule), counted per drawn node. */
static cy_status cascade(const cy_network *net, const cy_r_plan *plan,
                         cy_r_highlight *hl, cy_error *err)
{
    size_t max_k = max_firm_nodes(net), nodes = plan->node_count ? plan->node_count : 1;
    long *buf = cy_malloc(max_k * sizeof *buf);
    cy_cascade_result result;
    cy_status status;

    hl->node_failed = cy_calloc(nodes, sizeof *hl->node_failed);
    if (!buf || !hl->node_failed) {
        cy_free(buf);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    status = cy_cascade_run(net, &plan->cascade_firm, 1, 0.0, &result, err);
    if (status != CY_OK) {
        cy_free(buf);
        return status;
    }
    for (size_t k = 0; k < result.failed_count; k++)
        count_firm(net, plan, result.failed[k], hl->node_failed, buf, max_k);
    if (cy_r_plan_firm_nodes(plan, net, plan->cascade_firm, buf, max_k) > 0)
        hl->initial_node = buf[0];
    hl->failed_count = result.failed_count;
    hl->output_lost = result.output_value_lost;
    hl->output_total = result.output_value_total;
    cy_cascade_result_destroy(&result);
    cy_free(buf);
    return CY_OK;
}

cy_status cy_r_highlight_compute(const cy_network *net, const cy_r_plan *plan,
                                 cy_r_highlight *hl, cy_error *err)
{
    cy_status status;
    memset(hl, 0, sizeof *hl);
    hl->initial_node = -1;
    switch (plan->highlight) {
    case CY_HIGHLIGHT_WEAK_LINKS:
        if ((status = single_sources(net, plan, hl, err)) != CY_OK)
            return status;
        return weak_points(net, plan, hl, err);
    case CY_HIGHLIGHT_CASCADE:
        return cascade(net, plan, hl, err);
    default:
        return CY_OK;
    }
}
