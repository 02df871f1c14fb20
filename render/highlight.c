/*
 * highlight.c - the data behind --highlight: single-source links,
 * articulation points and chokepoints (weak-links), and the firms that fail
 * in a cascade.  Structure and cascade come from the resilience module; this
 * file only maps its answers onto the nodes and edges of a plan.
 */
#include "render_internal.h"

#include <stdlib.h>
#include <string.h>

void cy_r_highlight_destroy(cy_r_highlight *hl)
{
    cy_free(hl->edge_single);
    cy_free(hl->node_flags);
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

cy_status cy_r_highlight_compute(const cy_network *net, const cy_r_plan *plan,
                                 cy_r_highlight *hl, cy_error *err)
{
    memset(hl, 0, sizeof *hl);
    hl->initial_node = -1;
    switch (plan->highlight) {
    case CY_HIGHLIGHT_WEAK_LINKS:
        return single_sources(net, plan, hl, err);
    case CY_HIGHLIGHT_CASCADE:
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "--highlight cascade: the cascade module is not built in");
        return CY_EUSAGE;
    default:
        return CY_OK;
    }
}
