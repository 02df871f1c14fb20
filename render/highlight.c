/*
 * highlight.c - the data behind --highlight and the marks it draws:
 * single-source links and the first --top firms of the risk register
 * (weak-links), the firms that fail in a cascade.  The register comes from
 * cy_weaklinks_compute, cascades from cy_cascade_run; this file only maps
 * their answers onto the nodes and edges of a plan, for the diagrams
 * (build*.c) and the map (map*.c) alike.
 */
#include "render_internal.h"

#include <stdlib.h>
#include <string.h>

void cy_r_highlight_destroy(cy_r_highlight *hl)
{
    cy_free(hl->edge_single);
    cy_free(hl->node_top);
    cy_free(hl->node_rank);
    cy_free(hl->node_lost);
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

/* Mark firm i, the register's rank-th (1 = first), on every node it is
 * drawn in. */
static void mark_firm(const cy_network *net, const cy_r_plan *plan, cy_r_highlight *hl,
                      size_t i, size_t rank, double lost, long *buf, size_t max_k)
{
    size_t k = cy_r_plan_firm_nodes(plan, net, i, buf, max_k);
    for (size_t q = 0; q < k; q++) {
        size_t node = (size_t)buf[q];
        if (!hl->node_top[node]++ || rank < hl->node_rank[node])
            hl->node_rank[node] = rank;
        if (hl->node_top[node] == 1 || lost > hl->node_lost[node])
            hl->node_lost[node] = lost;
    }
}

/* The first plan->top firms of the risk register (the caller's, else
 * cy_weaklinks_compute with threshold 0: the same register as
 * `weak-links`), per drawn node, with the range of their final demand
 * lost for the grade. */
static cy_status top_firms(const cy_network *net, const cy_r_plan *plan,
                           cy_r_highlight *hl, cy_error *err)
{
    size_t max_k = max_firm_nodes(net), nodes = plan->node_count ? plan->node_count : 1;
    long *buf = cy_malloc(max_k * sizeof *buf);
    cy_weaklinks *computed = NULL;
    const cy_weaklinks *report = plan->weaklinks;
    cy_status status = CY_ENOMEM;

    hl->node_top = cy_calloc(nodes, sizeof *hl->node_top);
    hl->node_rank = cy_calloc(nodes, sizeof *hl->node_rank);
    hl->node_lost = cy_calloc(nodes, sizeof *hl->node_lost);
    if (!buf || !hl->node_top || !hl->node_rank || !hl->node_lost) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    if (!report && (status = cy_weaklinks_compute(net, NULL, &computed, err)) != CY_OK)
        goto cleanup;
    if (!report)
        report = computed;
    status = CY_OK;
    hl->register_count = report->register_count;
    hl->final_demand_total = report->final_demand_total;
    hl->top_count = plan->top && plan->top < report->register_count ? plan->top
                                                                    : report->register_count;
    for (size_t r = 0; r < hl->top_count; r++) {
        const cy_wl_register_row *row = &report->register_rows[r];
        double lost = row->impact.final_demand_lost;
        if (r == 0 || lost > hl->lost_max)
            hl->lost_max = lost;
        if (r == 0 || lost < hl->lost_min)
            hl->lost_min = lost;
        mark_firm(net, plan, hl, row->enterprise, r + 1, lost, buf, max_k);
    }
cleanup:
    cy_weaklinks_free(computed);
    cy_free(buf);
    return status;
}

cy_r_rgb cy_r_highlight_grade(const cy_r_highlight *hl, double lost)
{
    double span = hl->lost_max - hl->lost_min;
    return cy_r_reds(span > 0 ? (lost - hl->lost_min) / span : 1);
}

void cy_r_highlight_node(int *failed, const cy_r_plan *plan, const cy_r_highlight *hl,
                         Agnode_t *n, size_t k, int label_inside)
{
    if (plan->highlight == CY_HIGHLIGHT_WEAK_LINKS && hl->node_top && hl->node_top[k]) {
        char hex[8];
        cy_r_rgb rgb = cy_r_highlight_grade(hl, hl->node_lost[k]);
        cy_r_rgb_hex(rgb, hex);
        cy_r_attr(failed, n, "fillcolor", hex, "#ffffff");
        if (label_inside)
            cy_r_attr(failed, n, "fontcolor", cy_r_is_dark(rgb) ? "#ffffff" : "#000000",
                      "#000000");
        cy_r_attr(failed, n, "color", RED, "#4d4d4d");
        cy_r_attr(failed, n, "penwidth", "3", "1");
    } else if (plan->highlight == CY_HIGHLIGHT_CASCADE && hl->node_failed &&
               hl->node_failed[k]) {
        int initial = (long)k == hl->initial_node && !plan->aggregated;
        double share = (double)hl->node_failed[k] /
                       (double)(plan->nodes[k].members ? plan->nodes[k].members : 1);
        cy_r_attr(failed, n, "fillcolor", initial ? DARK_RED : LIGHT_RED, "#ffffff");
        if (label_inside)
            cy_r_attr(failed, n, "fontcolor", initial ? "#ffffff" : "#000000", "#000000");
        cy_r_attr(failed, n, "color", DARK_RED, "#4d4d4d");
        cy_r_attr(failed, n, "penwidth", initial ? "3" : "2", "1");
        if (plan->aggregated && share < 1) /* partly failed groups */
            cy_r_attr(failed, n, "style", "rounded,filled,dashed", "rounded,filled");
    }
}

void cy_r_highlight_label(const cy_r_plan *plan, const cy_r_highlight *hl, size_t k,
                          cy_r_buf *buf)
{
    char lost[48];
    if (plan->highlight != CY_HIGHLIGHT_WEAK_LINKS || !hl->node_top || !hl->node_top[k])
        return;
    cy_r_amount(hl->net, hl->node_lost[k], lost, sizeof lost);
    if (plan->nodes[k].kind == CY_R_NODE_FIRM)
        cy_r_buf_printf(buf, _("\\n#%zu, %s lost"), hl->node_rank[k], lost);
    else
        cy_r_buf_printf(buf, _("\\n%zu of the top %zu weak firms, first #%zu (%s lost)"),
                        hl->node_top[k], hl->top_count, hl->node_rank[k], lost);
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
    /* Final demand, as every other headline of a cascade: gross output
     * counts a chain at every tier (review 16). */
    hl->demand_lost = result.final_demand_lost;
    hl->demand_total = result.final_demand_total;
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
    hl->net = net;
    switch (plan->highlight) {
    case CY_HIGHLIGHT_WEAK_LINKS:
        if ((status = single_sources(net, plan, hl, err)) != CY_OK)
            return status;
        return top_firms(net, plan, hl, err);
    case CY_HIGHLIGHT_CASCADE:
        return cascade(net, plan, hl, err);
    default:
        return CY_OK;
    }
}

void cy_r_highlight_legend(const cy_r_highlight *hl, const char *glyph, cy_r_buf *h)
{
    char text[320], amount[48], hex[8];
    cy_r_legend_line_begin(h);
    cy_r_rgb_hex(cy_r_reds(1), hex);
    cy_r_legend_glyph(h, hex, glyph);
    if (!hl->top_count) {
        cy_r_buf_puts(h, _("no firm's failure stops another firm: no firm is marked"));
        cy_r_legend_line_end(h);
        return;
    }
    snprintf(text, sizeof text, _("filled red, #rank: the %s%zu firm%s of the risk register "
             "(weak-links) whose failure stops the most final demand%s"),
             hl->top_count < hl->register_count ? _("first ") : "", hl->top_count,
             hl->top_count == 1 ? "" : "s",
             hl->top_count < hl->register_count ? _("; the others are not marked") : "");
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    if (hl->top_count < hl->register_count)
        cy_r_buf_printf(h, _(" (%zu in the register)"), hl->register_count);
    cy_r_legend_line_end(h);
    cy_r_legend_line_begin(h);
    cy_r_buf_puts(h, _("<B>final demand lost:</B>   "));
    for (int q = 0; q <= 4; q++) {
        double lost = hl->lost_min + (hl->lost_max - hl->lost_min) * q / 4.0;
        if (q > 0 && !(hl->lost_max > hl->lost_min))
            break;
        cy_r_rgb_hex(cy_r_highlight_grade(hl, lost), hex);
        cy_r_legend_glyph(h, hex, glyph);
        cy_r_amount(hl->net, lost, amount, sizeof amount);
        cy_r_buf_escaped(h, amount, CY_R_ESC_HTML);
        cy_r_buf_puts(h, "   ");
    }
    cy_r_legend_line_end(h);
}
