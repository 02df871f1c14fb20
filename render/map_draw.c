/*
 * map_draw.c - the map's cgraph objects: one fixed-position node per firm
 * (or per park when aggregated), coloured by kind or region and sized by
 * output, weak-link or cascade marks as in the other views; park names as
 * plaintext nodes above their circles; flows weighted by volume.
 */
#include "map_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- nodes ------------------------------------------------------------------ */

static void firm_tooltip(map_builder *b, size_t i, cy_r_buf *buf)
{
    const cy_network *net = b->net;
    const cy_i_enterprise *e = &net->enterprises[i];
    char amount[48];
    cy_r_buf_escaped(buf, e->name ? e->name : e->id, CY_R_ESC_TOOLTIP);
    if (e->name_zh) {
        cy_r_buf_puts(buf, " ");
        cy_r_buf_escaped(buf, e->name_zh, CY_R_ESC_TOOLTIP);
    }
    cy_r_buf_puts(buf, "&#10;id: ");
    cy_r_buf_escaped(buf, e->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_printf(buf, "&#10;%s", _(cy_kind_name(e->kind)));
    if (e->tier >= 0)
        cy_r_buf_printf(buf, _(", tier %d"), e->tier);
    if (e->park >= 0) {
        cy_r_buf_puts(buf, _("&#10;park: "));
        cy_r_buf_escaped(buf, park_name(net, e->park), CY_R_ESC_TOOLTIP);
    }
    cy_r_buf_printf(buf, "&#10;%s", e->has_location ? _("at its own location")
                                                     : _("placed at its park's location"));
    cy_r_amount(b->net, e->output_value, amount, sizeof amount);
    cy_r_buf_printf(buf, _("&#10;output: %s/yr"), amount);
}

/* A short external label: the Chinese name when there is one (shorter on
 * a map), else the name. */
static void firm_xlabel(map_builder *b, size_t i, cy_r_buf *buf)
{
    const cy_i_enterprise *e = &b->net->enterprises[i];
    cy_r_buf_escaped(buf, e->name_zh ? e->name_zh : e->name ? e->name : e->id,
                     CY_R_ESC_LABEL);
}

/* Colour key of a node: index into the categorical palette, or the kind. */
static cy_r_rgb node_color(map_builder *b, size_t k)
{
    const cy_r_node *node = &b->plan->nodes[k];
    const cy_network *net = b->net;
    if (b->plan->color_by == CY_COLOR_REGION) {
        long r = -1;
        if (node->kind == CY_R_NODE_FIRM)
            r = net->enterprises[node->index].region;
        else if (node->kind == CY_R_NODE_GROUP)
            r = net->groups[CY_GROUP_PARK][node->index].region;
        if (r < 0)
            return (cy_r_rgb){255, 255, 255};
        b->color_used[(size_t)r < CY_R_CATEGORICAL_COUNT ? (size_t)r
                                                         : CY_R_CATEGORICAL_COUNT] = 1;
        return cy_r_categorical((size_t)r);
    }
    {
        size_t best = 0;
        for (size_t q = 1; q < CY_KIND_COUNT; q++)
            if (node->kind_count[q] > node->kind_count[best])
                best = q;
        b->color_used[best] = 1;
        return cy_r_kind_color((cy_kind)best);
    }
}

void cy_r_map_park_labels_add(map_builder *b)
{
    const cy_network *net = b->net;
    cy_r_buf buf;
    char name[32];
    cy_r_buf_init(&buf);
    for (size_t p = 0; p < net->group_count[CY_GROUP_PARK] && !b->failed; p++) {
        const disc *d = &b->park[p];
        Agnode_t *label;
        if (!d->placed || b->plan->aggregated)
            continue;
        snprintf(name, sizeof name, "p%zu", p);
        if (!(label = agnode(b->g, name, 1))) {
            b->failed = 1;
            break;
        }
        set(b, label, "shape", "plaintext", "");
        set(b, label, "fixedsize", "false", "");
        set(b, label, "fontsize", "11", "");
        set(b, label, "peripheries", "0", "");
        set(b, label, "width", "0", "");
        set(b, label, "height", "0", "");
        set(b, label, "margin", "0.02", "");
        cy_r_buf_escaped(&buf, park_name(net, (long)p), CY_R_ESC_LABEL);
        if (net->groups[CY_GROUP_PARK][p].demonstration)
            cy_r_buf_puts(&buf, " " GLYPH_STAR);
        set_buf(b, label, "label", &buf, "");
        cy_r_buf_escaped(&buf, park_name(net, (long)p), CY_R_ESC_TOOLTIP);
        cy_r_buf_printf(&buf, _("&#10;park at %.4f, %.4f"), net->groups[CY_GROUP_PARK][p].lon,
                        net->groups[CY_GROUP_PARK][p].lat);
        set_buf(b, label, "tooltip", &buf, "");
        set_pos(b, label, d->x, d->y + d->r + 9);
    }
}

static void group_label(map_builder *b, size_t k, cy_r_buf *buf)
{
    const cy_r_node *node = &b->plan->nodes[k];
    char amount[48];
    cy_r_buf_escaped(buf, park_name(b->net, node->index), CY_R_ESC_LABEL);
    cy_r_amount(b->net, node->output, amount, sizeof amount);
    cy_r_buf_printf(buf, _("\\n%zu firm%s, %s"), node->members,
                    node->members == 1 ? "" : "s", amount);
}

cy_status cy_r_map_nodes_add(map_builder *b)
{
    const cy_r_plan *plan = b->plan;
    cy_r_buf buf;
    char name[32], hex[8];
    cy_r_buf_init(&buf);
    for (size_t k = 0; k < plan->node_count && !b->failed; k++) {
        const cy_r_node *node = &plan->nodes[k];
        Agnode_t *n;
        cy_r_rgb rgb;
        if (!b->node[k].placed) {
            b->unplaced_nodes++;
            continue;
        }
        if (node->kind == CY_R_NODE_FIRM)
            snprintf(name, sizeof name, "f%ld", node->index);
        else
            snprintf(name, sizeof name, "n%zu", k);
        if (!(n = agnode(b->g, name, 1)))
            return CY_ENOMEM;
        b->agnodes[k] = n;
        b->drawn_nodes++;
        setf(b, n, "width", "", "%.3f", 2 * b->node[k].r / 72);
        set_pos(b, n, b->node[k].x, b->node[k].y);
        rgb = node_color(b, k);
        cy_r_rgb_hex(rgb, hex);
        set(b, n, "fillcolor", hex, "#ffffff");
        if (node->kind == CY_R_NODE_FIRM) {
            firm_xlabel(b, (size_t)node->index, &buf);
            cy_r_highlight_label(plan, &b->hl, k, &buf);
            set_buf(b, n, "xlabel", &buf, "");
            firm_tooltip(b, (size_t)node->index, &buf);
        } else {
            group_label(b, k, &buf);
            cy_r_highlight_label(plan, &b->hl, k, &buf);
            set_buf(b, n, "xlabel", &buf, "");
            cy_r_buf_escaped(&buf, park_name(b->net, node->index), CY_R_ESC_TOOLTIP);
            if (b->net->groups[CY_GROUP_PARK][node->index].demonstration)
                set(b, n, "color", GOLD, "#4d4d4d");
        }
        set_buf(b, n, "tooltip", &buf, "");
        cy_r_highlight_node(&b->failed, plan, &b->hl, n, k, 0);
    }
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- edges ------------------------------------------------------------------ */

cy_status cy_r_map_edges_add(map_builder *b)
{
    const cy_r_plan *plan = b->plan;
    char amount[48];
    cy_r_buf buf;
    cy_r_buf_init(&buf);
    for (size_t k = 0; k < plan->edge_count; k++)
        if (plan->edges[k].drawn && b->agnodes[plan->edges[k].from] &&
            b->agnodes[plan->edges[k].to])
            b->edge_max = fmax(b->edge_max, plan->edges[k].volume);
    for (size_t k = 0; k < plan->edge_count && !b->failed; k++) {
        const cy_r_edge *edge = &plan->edges[k];
        Agnode_t *from = b->agnodes[edge->from], *to = b->agnodes[edge->to];
        double s;
        Agedge_t *e;
        if (!edge->drawn || !from || !to)
            continue;
        if (!(e = agedge(b->g, from, to, NULL, 1)))
            return CY_ENOMEM;
        b->drawn_edges++;
        s = b->edge_max > 0 ? sqrt(edge->volume / b->edge_max) : 0;
        setf(b, e, "penwidth", "1", "%.2f", 0.6 + 5.4 * s);
        if (b->hl.edge_single && b->hl.edge_single[k])
            set(b, e, "color", RED, EDGE_GREY);
        cy_r_amount(b->net, edge->volume, amount, sizeof amount);
        cy_r_buf_printf(&buf, _("%zu link%s, %s/yr"), edge->links,
                        edge->links == 1 ? "" : "s", amount);
        if (b->hl.edge_single && b->hl.edge_single[k])
            cy_r_buf_printf(&buf, _("&#10;%zu single-source"), b->hl.edge_single[k]);
        set_buf(b, e, "tooltip", &buf, "");
    }
    return b->failed ? CY_ENOMEM : CY_OK;
}
