/*
 * build_nodes.c - the nodes of a diagram: labels and tooltips, fill and
 * size, highlight marks, park clusters inside region clusters (full view),
 * tier columns (tiers view), and the creation order dot's crossing
 * minimisation starts from.
 */
#include "build_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- nodes ------------------------------------------------------------ */

/* "Chang'an Automobile\n长安汽车" as an escaped plain label; in Chinese
 * "长安汽车" alone. */
static void firm_label(builder *b, size_t i, cy_r_buf *buf)
{
    const cy_i_enterprise *e = &b->net->enterprises[i];
    if (e->name_zh && cy_language_get() == CY_LANG_ZH) { /* the Chinese name alone */
        cy_r_buf_escaped(buf, e->name_zh, CY_R_ESC_LABEL);
        return;
    }
    cy_r_buf_escaped(buf, e->name ? e->name : e->id, CY_R_ESC_LABEL);
    if (e->name_zh && (!e->name || strcmp(e->name_zh, e->name) != 0)) {
        cy_r_buf_puts(buf, "\\n");
        cy_r_buf_escaped(buf, e->name_zh, CY_R_ESC_LABEL);
    }
}

static void firm_tooltip(builder *b, size_t i, cy_r_buf *buf)
{
    const cy_network *net = b->net;
    const cy_i_enterprise *e = &net->enterprises[i];
    char amount[48];
    cy_r_buf_escaped(buf, e->name ? e->name : e->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_puts(buf, "&#10;id: ");
    cy_r_buf_escaped(buf, e->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_printf(buf, "&#10;%s", _(cy_kind_name(e->kind)));
    if (e->tier >= 0)
        cy_r_buf_printf(buf, _(", tier %d"), e->tier);
    if (e->park >= 0) {
        cy_r_buf_puts(buf, _("&#10;park: "));
        cy_r_buf_escaped(buf, group_name(net, CY_GROUP_PARK, e->park), CY_R_ESC_TOOLTIP);
    }
    if (e->region >= 0) {
        cy_r_buf_puts(buf, _("&#10;region: "));
        cy_r_buf_escaped(buf, group_name(net, CY_GROUP_REGION, e->region), CY_R_ESC_TOOLTIP);
    }
    cy_r_amount(net, e->output_value, amount, sizeof amount);
    cy_r_buf_printf(buf, _("&#10;output: %s/yr"), amount);
}

void cy_r_group_title(builder *b, const cy_r_node *node, cy_r_buf *buf,
                      cy_r_escape_mode mode)
{
    const cy_network *net = b->net;
    const cy_r_plan *plan = b->plan;
    switch (node->kind) {
    case CY_R_NODE_GROUP:
        cy_r_buf_escaped(buf, group_name(net, (cy_group_kind)plan->grouping, node->index), mode);
        if (plan->grouping == CY_R_BY_PARK &&
            net->groups[CY_GROUP_PARK][node->index].demonstration)
            cy_r_buf_puts(buf, " \xE2\x98\x85"); /* U+2605 black star */
        break;
    case CY_R_NODE_TIER:
        if (node->index == 0)
            cy_r_buf_puts(buf, _("Tier 0 (finished products)"));
        else
            cy_r_buf_printf(buf, _("Tier %ld"), node->index);
        break;
    case CY_R_NODE_OUTSIDE:
        if (plan->grouping == CY_R_BY_PARK && node->index >= 0) {
            cy_r_buf_escaped(buf, group_name(net, CY_GROUP_REGION, node->index), mode);
            cy_r_buf_puts(buf, _(", outside parks"));
        } else {
            cy_r_buf_puts(buf, plan->grouping == CY_R_BY_PARK ? _("outside any park and region")
                               : plan->grouping == CY_R_BY_REGION ? _("no region")
                               : plan->grouping == CY_R_BY_CLUSTER ? _("in no cluster")
                                                                 : _("no tier"));
        }
        break;
    default:
        cy_r_buf_printf(buf, _("other %s"), plan->grouping == CY_R_BY_PARK ? _("parks")
                                         : plan->grouping == CY_R_BY_REGION ? _("regions")
                                         : plan->grouping == CY_R_BY_CLUSTER ? _("clusters")
                                                                           : _("tiers"));
        break;
    }
}

/* Aggregated node label: name, then members and output, then flows. */
static void group_label(builder *b, size_t k, cy_r_buf *buf)
{
    const cy_r_node *node = &b->plan->nodes[k];
    char out[48], in[48], flow[48], internal[48];
    cy_r_group_title(b, node, buf, CY_R_ESC_LABEL);
    cy_r_amount(b->net, node->output, out, sizeof out);
    cy_r_buf_printf(buf, _("\\n%zu firm%s, output %s"), node->members,
                    node->members == 1 ? "" : "s", out);
    if (b->plan->grouping == CY_R_BY_TIER) {
        int first = 1;
        cy_r_buf_puts(buf, "\\n");
        for (int q = 0; q < CY_KIND_COUNT; q++) {
            if (!node->kind_count[q])
                continue;
            cy_r_buf_printf(buf, "%s%zu %s", first ? "" : ", ", node->kind_count[q],
                            _(cy_kind_name((cy_kind)q)));
            first = 0;
        }
    }
    cy_r_amount(b->net, node->inflow, in, sizeof in);
    cy_r_amount(b->net, node->outflow, flow, sizeof flow);
    cy_r_buf_printf(buf, _("\\nin %s, out %s"), in, flow);
    if (node->internal > 0) {
        cy_r_amount(b->net, node->internal, internal, sizeof internal);
        cy_r_buf_printf(buf, _(", within %s"), internal);
    }
    cy_r_highlight_label(b->plan, &b->hl, k, buf);
    if (b->hl.node_failed && b->hl.node_failed[k])
        cy_r_buf_printf(buf, _("\\n%zu of %zu firm%s fail"), b->hl.node_failed[k],
                        node->members, node->members == 1 ? "" : "s");
}

/* Node size from the size measure: font 10-18 pt, box at least
 * 0.5-2.0 x 0.3-0.8 in (boxes still grow to fit their labels). */
static void size_node(builder *b, Agnode_t *n, size_t k, double base_font)
{
    double s = b->plan->size_by == CY_SIZE_NONE
                   ? 0 : scale(b->size_value[k], b->size_max);
    setf(b, n, "fontsize", "10", "%.1f", base_font + 8 * s);
    setf(b, n, "width", "0.5", "%.2f", 0.5 + 1.5 * s);
    setf(b, n, "height", "0.3", "%.2f", 0.3 + 0.5 * s);
}

static void fill_node(builder *b, Agnode_t *n, size_t k)
{
    cy_r_rgb rgb;
    unsigned r, g, bl;
    set(b, n, "fillcolor", b->fill[k], NONE_FILL);
    if (sscanf(b->fill[k], "#%2x%2x%2x", &r, &g, &bl) == 3) {
        rgb.r = (unsigned char)r;
        rgb.g = (unsigned char)g;
        rgb.b = (unsigned char)bl;
        if (cy_r_is_dark(rgb))
            set(b, n, "fontcolor", "#ffffff", "#000000");
    }
}

static Agraph_t *region_cluster(builder *b, long r)
{
    char name[48];
    cy_r_buf label;
    Agraph_t *sub;
    if (b->region_sub[r])
        return b->region_sub[r];
    snprintf(name, sizeof name, "cluster_r%ld", r);
    sub = agsubg(b->g, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    cy_r_buf_init(&label);
    cy_r_buf_escaped(&label, group_name(b->net, CY_GROUP_REGION, r), CY_R_ESC_LABEL);
    set_buf(b, sub, "label", &label, "");
    set(b, sub, "style", "rounded,dashed", "");
    set(b, sub, "color", "#7a7a7a", "");
    set(b, sub, "fontsize", "18", "");
    set(b, sub, "labeljust", "l", "");
    b->region_sub[r] = sub;
    return sub;
}

static Agraph_t *park_cluster(builder *b, long p)
{
    const cy_i_group *park = &b->net->groups[CY_GROUP_PARK][p];
    char name[48];
    cy_r_buf label;
    Agraph_t *parent, *sub;
    if (b->park_sub[p])
        return b->park_sub[p];
    parent = park->region >= 0 ? region_cluster(b, park->region) : b->g;
    snprintf(name, sizeof name, "cluster_p%ld", p);
    sub = agsubg(parent, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    cy_r_buf_init(&label);
    cy_r_buf_escaped(&label, group_name(b->net, CY_GROUP_PARK, p), CY_R_ESC_LABEL);
    if (park->demonstration)
        cy_r_buf_puts(&label, " \xE2\x98\x85"); /* U+2605 black star */
    set_buf(b, sub, "label", &label, "");
    set(b, sub, "style", "rounded,filled", "");
    set(b, sub, "fillcolor", "#f4f4f4", "");
    set(b, sub, "color", park->demonstration ? "#b8860b" : "#9a9a9a", "");
    set(b, sub, "penwidth", park->demonstration ? "2.5" : "1", "");
    set(b, sub, "fontsize", "13", "");
    set(b, sub, "labeljust", "l", "");
    b->park_sub[p] = sub;
    return sub;
}

/* Where a node goes: the full view nests firms in park clusters inside
 * region clusters.  Aggregated views use no clusters: regions are told by
 * colour, and Graphviz 2.42's dot crashes freeing layouts that have edge
 * labels across clusters. */
static Agraph_t *node_parent(builder *b, size_t k)
{
    const cy_r_node *node = &b->plan->nodes[k];
    if (b->plan->view == CY_VIEW_FULL && node->kind == CY_R_NODE_FIRM) {
        const cy_i_enterprise *e = &b->net->enterprises[node->index];
        if (e->park >= 0)
            return park_cluster(b, e->park);
        if (e->region >= 0)
            return region_cluster(b, e->region);
    }
    return b->g;
}

/* The order nodes are created in.  dot's crossing minimisation starts from
 * it, and with clusters it must already list each cluster's firms together
 * (as a DOT file read back does), or dot spends several times longer and
 * fails to route edges.  So: full view by (region, park, firm), tiers view
 * by (tier, firm), others as planned. */
typedef struct {
    long k1, k2;
    size_t node;
} node_key;

static int node_key_cmp(const void *a, const void *b)
{
    const node_key *x = a, *y = b;
    if (x->k1 != y->k1)
        return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return x->node < y->node ? -1 : (x->node > y->node);
}

static size_t *creation_order(builder *b)
{
    const cy_r_plan *plan = b->plan;
    node_key *keys = cy_calloc(plan->node_count + 1, sizeof *keys);
    size_t *order = cy_calloc(plan->node_count + 1, sizeof *order);
    if (!keys || !order) {
        cy_free(keys);
        cy_free(order);
        return NULL;
    }
    for (size_t k = 0; k < plan->node_count; k++) {
        const cy_r_node *node = &plan->nodes[k];
        keys[k].node = k;
        if (node->kind != CY_R_NODE_FIRM)
            continue;
        const cy_i_enterprise *e = &b->net->enterprises[node->index];
        if (plan->view == CY_VIEW_FULL) {
            keys[k].k1 = (e->park >= 0 ? b->net->groups[CY_GROUP_PARK][e->park].region
                                       : e->region) + 1;
            keys[k].k2 = e->park + 1;
        } else if (plan->view == CY_VIEW_TIERS) {
            keys[k].k1 = e->tier;
        }
    }
    qsort(keys, plan->node_count, sizeof *keys, node_key_cmp);
    for (size_t k = 0; k < plan->node_count; k++)
        order[k] = keys[k].node;
    cy_free(keys);
    return order;
}

/* The tiers view: one rank per tier with a heading node, the headings
 * chained by invisible edges so columns run from the highest tier (left)
 * to the OEMs at tier 0 (right), firms without a tier leftmost. */
static Agraph_t *tier_rank(builder *b, int tier, Agraph_t **ranks, Agnode_t **heads,
                           int max_tier)
{
    size_t slot = tier >= 0 ? (size_t)tier : (size_t)max_tier + 1;
    char name[48];
    Agraph_t *sub;
    Agnode_t *head;
    if (ranks[slot])
        return ranks[slot];
    if (tier >= 0)
        snprintf(name, sizeof name, "tier_%d", tier);
    else
        snprintf(name, sizeof name, "tier_none");
    sub = agsubg(b->g, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    set(b, sub, "rank", "same", "");
    snprintf(name, sizeof name, tier >= 0 ? "tierhead_%d" : "tierhead_none", tier);
    head = agnode(sub, name, 1);
    if (!head) {
        b->failed = 1;
        return sub;
    }
    if (tier == 0)
        snprintf(name, sizeof name, _("Tier 0\\nfinished products"));
    else if (tier > 0)
        snprintf(name, sizeof name, _("Tier %d"), tier);
    else
        snprintf(name, sizeof name, _("no tier"));
    set(b, head, "label", name, "\\N");
    set(b, head, "shape", "plaintext", "box");
    set(b, head, "style", "", "rounded,filled");
    set(b, head, "fontsize", "16", "10");
    ranks[slot] = sub;
    heads[slot] = head;
    return sub;
}

static void chain_tier_heads(builder *b, Agnode_t **heads, int max_tier)
{
    Agnode_t *prev = heads[max_tier + 1];
    for (int t = max_tier; t >= 0; t--) {
        Agedge_t *e;
        if (!heads[t])
            continue;
        if (prev) {
            e = agedge(b->g, prev, heads[t], NULL, 1);
            if (!e) {
                b->failed = 1;
                return;
            }
            set(b, e, "style", "invis", "");
            set(b, e, "weight", "100", "1");
        }
        prev = heads[t];
    }
}

cy_status cy_r_build_nodes(builder *b)
{
    const cy_r_plan *plan = b->plan;
    int tiers = plan->view == CY_VIEW_TIERS && !plan->aggregated;
    int max_tier = -1;
    Agraph_t **ranks = NULL;
    Agnode_t **heads = NULL;
    size_t *order = creation_order(b);

    if (!order)
        return CY_ENOMEM;
    if (tiers) {
        for (size_t i = 0; i < b->net->enterprise_count; i++)
            if (b->net->enterprises[i].tier > max_tier)
                max_tier = b->net->enterprises[i].tier;
        ranks = cy_calloc((size_t)max_tier + 2, sizeof *ranks);
        heads = cy_calloc((size_t)max_tier + 2, sizeof *heads);
        if (!ranks || !heads) {
            cy_free(ranks);
            cy_free(heads);
            cy_free(order);
            return CY_ENOMEM;
        }
    }
    for (size_t q = 0; q < plan->node_count && !b->failed; q++) {
        size_t k = order[q];
        const cy_r_node *node = &plan->nodes[k];
        char name[48];
        cy_r_buf label, tooltip;
        Agraph_t *parent;
        Agnode_t *n;

        if (node->kind == CY_R_NODE_FIRM) {
            snprintf(name, sizeof name, "f%ld", node->index);
            parent = tiers ? tier_rank(b, b->net->enterprises[node->index].tier,
                                       ranks, heads, max_tier)
                           : node_parent(b, k);
        } else {
            snprintf(name, sizeof name, "n%zu", k);
            parent = node_parent(b, k);
        }
        if (b->failed || !(n = agnode(parent, name, 1))) {
            b->failed = 1;
            break;
        }
        b->agnodes[k] = n;
        cy_r_buf_init(&label);
        cy_r_buf_init(&tooltip);
        if (node->kind == CY_R_NODE_FIRM) {
            firm_label(b, (size_t)node->index, &label);
            cy_r_highlight_label(plan, &b->hl, k, &label);
            firm_tooltip(b, (size_t)node->index, &tooltip);
        } else {
            group_label(b, k, &label);
            cy_r_group_title(b, node, &tooltip, CY_R_ESC_TOOLTIP);
        }
        set_buf(b, n, "label", &label, "\\N");
        set_buf(b, n, "tooltip", &tooltip, "");
        fill_node(b, n, k);
        size_node(b, n, k, node->kind == CY_R_NODE_FIRM ? 10 : 12);
        if (node->kind == CY_R_NODE_OUTSIDE || node->kind == CY_R_NODE_OTHER)
            set(b, n, "style", "rounded,filled,dashed", "rounded,filled");
        if (node->kind == CY_R_NODE_GROUP && plan->grouping == CY_R_BY_PARK &&
            b->net->groups[CY_GROUP_PARK][node->index].demonstration) {
            set(b, n, "color", "#b8860b", "#4d4d4d");
            set(b, n, "penwidth", "2.5", "1");
        }
        if (plan->view == CY_VIEW_EGO && node->kind == CY_R_NODE_FIRM &&
            (size_t)node->index == plan->focus) {
            set(b, n, "peripheries", "2", "1");
            set(b, n, "penwidth", "2", "1");
        }
        cy_r_highlight_node(&b->failed, plan, &b->hl, n, k, 1);
    }
    if (tiers && !b->failed)
        chain_tier_heads(b, heads, max_tier);
    cy_free(ranks);
    cy_free(heads);
    cy_free(order);
    return b->failed ? CY_ENOMEM : CY_OK;
}
