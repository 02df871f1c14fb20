/*
 * build_edges.c - the edges of a diagram: width by volume, the heaviest
 * flows of aggregated views labelled, which edges may rank nodes, tooltips
 * with the parts, single-source links in red.
 */
#include "build_internal.h"

#include <stdlib.h>

/* Edge labels in aggregated views: the heaviest this many edges. */
#define EDGE_LABEL_LIMIT 20
/* Parts listed in an edge tooltip before "and N more". */
#define TOOLTIP_PARTS 12

/* ---- edges ------------------------------------------------------------ */

static void firm_edge_tooltip(builder *b, const cy_r_edge *edge, cy_r_buf *buf)
{
    const cy_network *net = b->net;
    size_t supplier = (size_t)b->plan->nodes[edge->from].index;
    size_t customer = (size_t)b->plan->nodes[edge->to].index;
    const cy_i_enterprise *s = &net->enterprises[supplier];
    const cy_i_enterprise *c = &net->enterprises[customer];
    char amount[48];
    cy_r_buf_escaped(buf, s->name ? s->name : s->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_puts(buf, " \xE2\x86\x92 "); /* U+2192 rightwards arrow */
    cy_r_buf_escaped(buf, c->name ? c->name : c->id, CY_R_ESC_TOOLTIP);
    for (size_t q = 0; q < edge->links && q < TOOLTIP_PARTS; q++) {
        const cy_i_link *l = &net->links[net->out_links[edge->first_link + q]];
        cy_r_buf_puts(buf, q ? ", " : "&#10;");
        cy_r_buf_escaped(buf, net->parts.strings[l->part], CY_R_ESC_TOOLTIP);
    }
    if (edge->links > TOOLTIP_PARTS)
        cy_r_buf_printf(buf, _(" and %zu more"), edge->links - TOOLTIP_PARTS);
    cy_r_amount(net, edge->volume, amount, sizeof amount);
    cy_r_buf_printf(buf, _("&#10;%s/yr"), amount);
}

static int heavy_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = *(const cy_r_edge *const *)a;
    const cy_r_edge *y = *(const cy_r_edge *const *)b;
    if (x->volume != y->volume)
        return x->volume > y->volume ? -1 : 1;
    return x < y ? -1 : (x > y);
}

cy_status cy_r_build_edges(builder *b)
{
    const cy_r_plan *plan = b->plan;
    unsigned char *labelled = NULL;

    b->edge_max = 0;
    for (size_t e = 0; e < plan->edge_count; e++)
        if (plan->edges[e].drawn && plan->edges[e].volume > b->edge_max)
            b->edge_max = plan->edges[e].volume;
    if (plan->aggregated && plan->edge_count) {
        /* Label the heaviest EDGE_LABEL_LIMIT drawn edges with volumes. */
        const cy_r_edge **order = cy_malloc(plan->edge_count * sizeof *order);
        size_t drawn = 0;
        labelled = cy_calloc(plan->edge_count, 1);
        if (!order || !labelled) {
            cy_free(order);
            cy_free(labelled);
            return CY_ENOMEM;
        }
        for (size_t e = 0; e < plan->edge_count; e++)
            if (plan->edges[e].drawn)
                order[drawn++] = &plan->edges[e];
        qsort(order, drawn, sizeof *order, heavy_cmp);
        for (size_t q = 0; q < drawn && q < EDGE_LABEL_LIMIT; q++)
            if (order[q]->volume > 0)
                labelled[order[q] - plan->edges] = 1;
        cy_free(order);
    }
    for (size_t e = 0; e < plan->edge_count && !b->failed; e++) {
        const cy_r_edge *edge = &plan->edges[e];
        double s = scale(edge->volume, b->edge_max);
        size_t single = b->hl.edge_single ? b->hl.edge_single[e] : 0;
        cy_r_buf tooltip;
        char amount[48];
        Agedge_t *ge;
        if (!edge->drawn)
            continue;
        ge = agedge(b->g, b->agnodes[edge->from], b->agnodes[edge->to], NULL, 1);
        if (!ge) {
            b->failed = 1;
            break;
        }
        cy_r_buf_init(&tooltip);
        if (plan->aggregated) {
            setf(b, ge, "penwidth", "1", "%.2f", 0.8 + 8.2 * s);
            setf(b, ge, "arrowsize", "0.6", "%.2f", 0.6 + 0.5 * s);
            cy_r_amount(b->net, edge->volume, amount, sizeof amount);
            /* Only flows from higher to lower mean tier (downstream) rank
             * the groups, so upstream sits left and OEMs right.  The
             * others may join nodes of one rank; dot 2.42 corrupts memory
             * on such flat edges when they carry a label, so their volume
             * goes into an external label, which Graphviz drops rather
             * than overlap (forcelabels=false). */
            {
                const cy_r_node *from = &plan->nodes[edge->from];
                const cy_r_node *to = &plan->nodes[edge->to];
                int downstream = !from->tiered || !to->tiered ||
                                 from->tier_sum / (double)from->tiered >=
                                     to->tier_sum / (double)to->tiered;
                if (!downstream)
                    set(b, ge, "constraint", "false", "true");
                if (labelled[e]) {
                    set(b, ge, downstream ? "label" : "xlabel", amount, "");
                    set(b, ge, "fontsize", "12", "10");
                }
            }
            cy_r_group_title(b, &plan->nodes[edge->from], &tooltip, CY_R_ESC_TOOLTIP);
            cy_r_buf_puts(&tooltip, " \xE2\x86\x92 ");
            cy_r_group_title(b, &plan->nodes[edge->to], &tooltip, CY_R_ESC_TOOLTIP);
            cy_r_buf_printf(&tooltip, _("&#10;%zu link%s, %s/yr"), edge->links,
                            edge->links == 1 ? "" : "s", amount);
            if (single)
                cy_r_buf_printf(&tooltip, _("&#10;%zu single-source"), single);
        } else {
            setf(b, ge, "penwidth", "1", "%.2f", 0.6 + 4.4 * s);
            if (plan->view == CY_VIEW_TIERS) {
                /* Tier columns: only edges from a higher to a lower tier
                 * may rank firms; the others would fight the columns. */
                int from_tier = b->net->enterprises[plan->nodes[edge->from].index].tier;
                int to_tier = b->net->enterprises[plan->nodes[edge->to].index].tier;
                if (from_tier < 0 || to_tier < 0 || from_tier <= to_tier)
                    set(b, ge, "constraint", "false", "true");
            }
            firm_edge_tooltip(b, edge, &tooltip);
            if (single)
                cy_r_buf_printf(&tooltip, _("&#10;single-source: %zu part%s"),
                                single, single == 1 ? "" : "s");
        }
        set_buf(b, ge, "tooltip", &tooltip, "");
        if (single) {
            set(b, ge, "color", RED, EDGE_GREY);
            if (0.6 + 4.4 * s < 2 && !plan->aggregated)
                set(b, ge, "penwidth", "2", "1");
        }
    }
    cy_free(labelled);
    return b->failed ? CY_ENOMEM : CY_OK;
}
