/*
 * plan.c - what a diagram shows: option checks, the choice of view when the
 * network is too big for the one asked for, and the nodes and edges of the
 * view with their totals.
 *
 * Planning is linear in the network and runs in the caller's process; it
 * must stay cheap because only the layout and drawing that follow run under
 * the timeout.  The one superlinear case, the clusters view of firms that
 * belong to many clusters, is refused above a fixed amount of work.
 */
#include "plan_internal.h"

#include <stdlib.h>
#include <string.h>

/* Aggregated views draw at most max(MIN_DRAWN_EDGES, EDGES_PER_NODE x
 * nodes) edges, the heaviest; firm views at most FIRM_EDGES_PER_MAX_NODE x
 * max_nodes.  More would be ink, not information. */
#define MIN_DRAWN_EDGES 24
/* Above this many firms a firm view gets a note pointing to group views:
 * dot stacks hundreds of firms per tier column. */
#define FIRMS_READABLE 500
#define EDGES_PER_NODE 2
#define FIRM_EDGES_PER_MAX_NODE 8

static const char *const layouts[] = {"dot", "sfdp", "neato", "fdp", "circo"};

/* Group views draw at most this many groups: min(max_nodes, max(200,
 * max_nodes / 10)) -- 200 for the default 2,000.  dot lays out 200 groups
 * with labelled flows in seconds; 2,000 it cannot in a minute, and no one
 * could read them. */
#define GROUP_NODES_FLOOR 200

size_t cy_r_group_limit(size_t max_nodes)
{
    size_t limit = max_nodes / 10 > GROUP_NODES_FLOOR ? max_nodes / 10 : GROUP_NODES_FLOOR;
    return limit < max_nodes ? limit : max_nodes;
}

void cy_r_plan_destroy(cy_r_plan *plan)
{
    cy_free(plan->nodes);
    cy_free(plan->edges);
    cy_free(plan->firm_node);
    cy_free(plan->group_node);
    cy_free(plan->outside_node);
    cy_weaklinks_free(plan->own_weaklinks);
    memset(plan, 0, sizeof *plan);
}

cy_status cy_r_plan_oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while planning the diagram");
    return CY_ENOMEM;
}

static int grouping_valid_color(cy_r_grouping grouping, cy_color_by c)
{
    if (c == CY_COLOR_TIER)
        return grouping == CY_R_BY_TIER;
    if (c == CY_COLOR_REGION)
        return grouping != CY_R_BY_TIER;
    return 1;
}

static cy_color_by default_color(const cy_r_plan *plan)
{
    if (!plan->aggregated)
        return CY_COLOR_KIND;
    switch (plan->grouping) {
    case CY_R_BY_PARK: return CY_COLOR_REGION;
    case CY_R_BY_TIER: return CY_COLOR_TIER;
    default: return CY_COLOR_SECTOR; /* regions: their own name is the label */
    }
}

const char *cy_r_grouping_plural(cy_r_grouping grouping)
{
    switch (grouping) {
    case CY_R_BY_REGION: return "regions";
    case CY_R_BY_CLUSTER: return "clusters";
    case CY_R_BY_PARK: return "parks";
    default: return "tiers";
    }
}

/* ---- the edges drawn -------------------------------------------------- */

static int edge_pair_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : (x->to > y->to);
}

static int edge_heavy_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = *(const cy_r_edge *const *)a;
    const cy_r_edge *y = *(const cy_r_edge *const *)b;
    if (x->volume != y->volume)
        return x->volume > y->volume ? -1 : 1;
    return x < y ? -1 : (x > y); /* edges are in (from, to) order */
}

/* Keep the heaviest edges when there are more than `limit`; the rest are
 * counted in hidden_volume and left undrawn.  The flows of "other" (many
 * small groups lumped together) are never drawn: at scale they would be
 * most of the picture and say nothing; its label keeps its totals. */
static cy_status plan_limit_edges(cy_r_plan *plan, size_t limit, cy_error *err)
{
    cy_r_edge **order;
    size_t candidates = 0, other_flows = 0;
    if (plan->edge_count)
        qsort(plan->edges, plan->edge_count, sizeof *plan->edges, edge_pair_cmp);
    order = cy_malloc((plan->edge_count ? plan->edge_count : 1) * sizeof *order);
    if (!order)
        return cy_r_plan_oom(err);
    for (size_t e = 0; e < plan->edge_count; e++) {
        cy_r_edge *edge = &plan->edges[e];
        if (plan->other_node >= 0 && (edge->from == (size_t)plan->other_node ||
                                      edge->to == (size_t)plan->other_node)) {
            edge->drawn = 0;
            plan->hidden_volume += edge->volume;
            other_flows++;
            continue;
        }
        edge->drawn = 1;
        order[candidates++] = edge;
    }
    plan->drawn_edge_count = candidates;
    if (candidates > limit) {
        qsort(order, candidates, sizeof *order, edge_heavy_cmp);
        for (size_t e = limit; e < candidates; e++) {
            order[e]->drawn = 0;
            plan->hidden_volume += order[e]->volume;
        }
        plan->drawn_edge_count = limit;
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 _("%sOnly the %zu heaviest of %zu flows are drawn."),
                 plan->note[0] ? " " : "", limit, plan->edge_count);
    }
    if (other_flows)
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 _("%sThe %zu flows of \"other\" are not drawn."),
                 plan->note[0] ? " " : "", other_flows);
    cy_free(order);
    return CY_OK;
}

/* ---- choosing the view ------------------------------------------------ */

static int valid_layout(const char *name)
{
    for (size_t k = 0; k < sizeof layouts / sizeof layouts[0]; k++)
        if (strcmp(name, layouts[k]) == 0)
            return 1;
    return 0;
}

static void note_append(cy_r_plan *plan, const char *text)
{
    size_t used = strlen(plan->note);
    snprintf(plan->note + used, sizeof plan->note - used, "%s%s",
             used ? " " : "", text);
}

/* A grouping draws a useful overview of a network too big for one
 * picture from this many groups on: one box says nothing. */
#define MIN_OVERVIEW_GROUPS 2

static size_t distinct_tiers(const cy_network *net)
{
    size_t count = 0;
    unsigned char seen[256] = {0};
    for (size_t i = 0; i < net->enterprise_count; i++) {
        int t = net->enterprises[i].tier;
        if (t >= 0 && !seen[t < 255 ? t : 255]) {
            seen[t < 255 ? t : 255] = 1;
            count++;
        }
    }
    return count;
}

/* The grouping FULL falls back to: the first of parks, regions, clusters
 * with at least MIN_OVERVIEW_GROUPS groups that fits in a group view, else
 * the first with that many, else tiers when firms are on two or more;
 * -1 when none is useful (the first firms are drawn instead). */
static int fallback_grouping(const cy_network *net, size_t max_nodes)
{
    static const cy_r_grouping order[] = {CY_R_BY_PARK, CY_R_BY_REGION,
                                          CY_R_BY_CLUSTER};
    for (size_t k = 0; k < 3; k++) {
        size_t count = net->group_count[order[k]];
        if (count >= MIN_OVERVIEW_GROUPS && count < cy_r_group_limit(max_nodes))
            return (int)order[k];
    }
    for (size_t k = 0; k < 3; k++)
        if (net->group_count[order[k]] >= MIN_OVERVIEW_GROUPS)
            return (int)order[k];
    return distinct_tiers(net) >= 2 ? (int)CY_R_BY_TIER : -1;
}

/* A view the network has nothing for: tiers become the full view, a group
 * view the first other group view that exists (else the full view). */
static cy_view existing_view(const cy_network *net, cy_view view, cy_r_plan *plan)
{
    static const cy_view groups[] = {CY_VIEW_PARKS, CY_VIEW_REGIONS, CY_VIEW_CLUSTERS};
    cy_view instead = CY_VIEW_FULL;
    char text[200];
    if (view == CY_VIEW_EGO || view == CY_VIEW_MAP || view == CY_VIEW_FULL ||
        cy_render_view_exists(net, view))
        return view;
    for (size_t k = 0; view != CY_VIEW_TIERS && k < 3 && instead == CY_VIEW_FULL; k++)
        if (groups[k] != view && cy_render_view_exists(net, groups[k]))
            instead = groups[k];
    if (view == CY_VIEW_TIERS)
        snprintf(text, sizeof text, _("No firm has a tier: drawing the full view instead."));
    else
        snprintf(text, sizeof text, _("The network has no %s: drawing the %s view instead."),
                 cy_view_name(view), cy_view_name(instead));
    note_append(plan, text);
    return instead;
}

/* The full view of a network too big for one picture and without a useful
 * grouping: the first firms (of the register, else by output) and their
 * biggest partners, at most FIRMS_READABLE (and max_nodes) firms. */
static cy_status plan_first_firms(const cy_network *net, const cy_render_options *opt,
                                  cy_r_plan *plan, unsigned char **mark, cy_error *err)
{
    size_t n = net->enterprise_count, want, cap, drawn = 0, firsts;
    cy_weaklinks_options wl = {.progress = opt->progress,
                               .progress_data = opt->progress_data};
    cy_status status;
    char text[400], count[48];
    cap = plan->max_nodes < FIRMS_READABLE ? plan->max_nodes : FIRMS_READABLE;
    want = plan->highlight == CY_HIGHLIGHT_WEAK_LINKS && plan->top ? plan->top
                                                                    : CY_RENDER_DEFAULT_TOP;
    if (want > cap)
        want = cap;
    if (plan->highlight == CY_HIGHLIGHT_WEAK_LINKS && !plan->weaklinks) {
        if ((status = cy_weaklinks_compute(net, &wl, &plan->own_weaklinks, err)) != CY_OK)
            return status;
        plan->weaklinks = plan->own_weaklinks;
    }
    if (!(*mark = cy_malloc(n ? n : 1)))
        return cy_r_plan_oom(err);
    firsts = cy_r_first_select(net, plan->weaklinks, want, cap, *mark, &drawn, err);
    if (firsts == (size_t)-1)
        return err->oom || !err->error_count ? CY_ENOMEM : CY_EINTERNAL;
    snprintf(count, sizeof count, P_("%zu firm", "%zu firms", drawn), drawn);
    if (plan->weaklinks && plan->weaklinks->register_count)
        snprintf(text, sizeof text,
                 P_("%zu enterprises exceed --max-nodes %zu and have no parks, regions, "
                    "clusters or tiers to group them by: drawing %zu firm, the first of the "
                    "risk register, and its direct partners with the most volume (%s).",
                    "%zu enterprises exceed --max-nodes %zu and have no parks, regions, "
                    "clusters or tiers to group them by: drawing the first %zu firms of the "
                    "risk register and their direct partners with the most volume (%s).",
                    firsts), n, plan->max_nodes, firsts, count);
    else
        snprintf(text, sizeof text,
                 P_("%zu enterprises exceed --max-nodes %zu and have no parks, regions, "
                    "clusters or tiers to group them by: drawing %zu firm, the biggest by "
                    "output, and its direct partners with the most volume (%s).",
                    "%zu enterprises exceed --max-nodes %zu and have no parks, regions, "
                    "clusters or tiers to group them by: drawing the %zu biggest firms by "
                    "output and their direct partners with the most volume (%s).",
                    firsts), n, plan->max_nodes, firsts, count);
    note_append(plan, text);
    return CY_OK;
}

cy_status cy_r_plan_make(const cy_network *net, const cy_render_options *opt,
                         cy_r_plan *plan, cy_error *err)
{
    size_t n = net->enterprise_count;
    unsigned char *mark = NULL;
    cy_view view;
    cy_status status;
    char text[256], echo[CY_I_ECHO_SIZE];

    memset(plan, 0, sizeof *plan);
    plan->other_node = -1;
    plan->requested = plan->view = opt->view;
    plan->max_nodes = opt->max_nodes ? opt->max_nodes : CY_RENDER_DEFAULT_MAX_NODES;
    plan->title = opt->title ? opt->title : net->name;
    plan->highlight = opt->highlight;
    plan->top = opt->top;
    plan->weaklinks = opt->weaklinks;

    if ((unsigned)opt->view >= CY_VIEW_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown view %d", (int)opt->view);
        return CY_EUSAGE;
    }
    if ((unsigned)opt->color_by >= CY_COLOR_COUNT ||
        (unsigned)opt->size_by >= CY_SIZE_COUNT ||
        (unsigned)opt->highlight > CY_HIGHLIGHT_CASCADE) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown colour, size or highlight option");
        return CY_EUSAGE;
    }
    if (opt->layout && !valid_layout(opt->layout)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "--layout: unknown layout '%s' (dot, sfdp, neato, fdp or circo)",
                     cy_i_echo(echo, opt->layout));
        return CY_EUSAGE;
    }
    if (opt->view == CY_VIEW_EGO) {
        if (!opt->focus) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "--view ego needs --focus ID");
            return CY_EUSAGE;
        }
        if (!cy_network_find_enterprise(net, opt->focus, &plan->focus)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--focus: no enterprise has the id '%s'", cy_i_echo(echo, opt->focus));
            return CY_EUSAGE;
        }
        if (opt->depth < 1) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "--depth must be at least 1");
            return CY_EUSAGE;
        }
        plan->depth = opt->depth;
    } else if (opt->focus) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "--focus applies to --view ego, not --view %s",
                     cy_view_name(opt->view));
        return CY_EUSAGE;
    }
    if (opt->boundaries && opt->view != CY_VIEW_MAP) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--boundaries applies to --view map");
        return CY_EUSAGE;
    }
    if (opt->highlight == CY_HIGHLIGHT_CASCADE) {
        if (!opt->cascade_id || !*opt->cascade_id) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--highlight cascade:ID needs an enterprise id");
            return CY_EUSAGE;
        }
        if (!cy_network_find_enterprise(net, opt->cascade_id, &plan->cascade_firm)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--highlight cascade: no enterprise has the id '%s'",
                         cy_i_echo(echo, opt->cascade_id));
            return CY_EUSAGE;
        }
    }

    view = plan->view = existing_view(net, opt->view, plan);
    switch (view) {
    case CY_VIEW_FULL:
        if (n > plan->max_nodes && fallback_grouping(net, plan->max_nodes) < 0) {
            if ((status = plan_first_firms(net, opt, plan, &mark, err)) != CY_OK) {
                cy_free(mark);
                return status;
            }
        } else if (n > plan->max_nodes) {
            plan->aggregated = 1;
            plan->grouping = (cy_r_grouping)fallback_grouping(net, plan->max_nodes);
            plan->view = plan->grouping == CY_R_BY_TIER ? CY_VIEW_TIERS
                         : plan->grouping == CY_R_BY_PARK ? CY_VIEW_PARKS
                         : plan->grouping == CY_R_BY_REGION ? CY_VIEW_REGIONS
                                                            : CY_VIEW_CLUSTERS;
            snprintf(text, sizeof text,
                     _("%zu enterprises exceed --max-nodes %zu: drawing the "
                     "aggregated %s view instead of the full view."),
                     n, plan->max_nodes, cy_r_grouping_plural(plan->grouping));
            note_append(plan, text);
        }
        break;
    case CY_VIEW_TIERS:
        if (n > plan->max_nodes) {
            plan->aggregated = 1;
            plan->grouping = CY_R_BY_TIER;
            snprintf(text, sizeof text,
                     _("%zu enterprises exceed --max-nodes %zu: drawing one "
                     "node per tier."), n, plan->max_nodes);
            note_append(plan, text);
        }
        break;
    case CY_VIEW_CLUSTERS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_CLUSTER;
        break;
    case CY_VIEW_PARKS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_PARK;
        break;
    case CY_VIEW_REGIONS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_REGION;
        break;
    case CY_VIEW_MAP:
        if ((status = cy_r_map_plan(net, opt, plan, &mark, err)) != CY_OK)
            return status;
        break;
    default:
        break;
    }

    /* Colour and size. */
    plan->color_by = opt->color_by;
    if (plan->aggregated && plan->color_by != CY_COLOR_AUTO &&
        !grouping_valid_color(plan->grouping, plan->color_by)) {
        if (plan->view == plan->requested && opt->view != CY_VIEW_TIERS) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--color-by %s does not apply to the %s view",
                         cy_color_by_name(plan->color_by),
                         cy_view_name(plan->view));
            return CY_EUSAGE;
        }
        snprintf(text, sizeof text, _("--color-by %s does not apply to %s, "
                 "which are coloured by their default."),
                 cy_color_by_name(plan->color_by), cy_r_grouping_plural(plan->grouping));
        note_append(plan, text);
        plan->color_by = CY_COLOR_AUTO;
    }
    if (plan->color_by == CY_COLOR_AUTO)
        plan->color_by = default_color(plan);
    plan->size_by = opt->size_by == CY_SIZE_AUTO ? CY_SIZE_OUTPUT : opt->size_by;
    plan->layout = opt->view == CY_VIEW_MAP ? "nop2" : opt->layout ? opt->layout : "dot";

    if (plan->aggregated) {
        cy_free(mark);
        if ((status = cy_r_group_nodes_make(net, plan, err)) != CY_OK ||
            (status = cy_r_group_edges_make(net, plan, err)) != CY_OK)
            return status;
        {
            size_t limit = EDGES_PER_NODE * plan->node_count;
            if (limit < MIN_DRAWN_EDGES)
                limit = MIN_DRAWN_EDGES;
            if ((status = plan_limit_edges(plan, limit, err)) != CY_OK)
                return status;
            return cy_r_plan_layout(plan, opt, err);
        }
    }

    if (opt->view == CY_VIEW_EGO) {
        size_t count;
        if (!(mark = cy_malloc(n ? n : 1)))
            return cy_r_plan_oom(err);
        for (;;) {
            count = cy_r_ego_select(net, plan->focus, plan->depth, mark, err);
            if (count == (size_t)-1) {
                cy_free(mark);
                return CY_EINTERNAL;
            }
            if (count <= plan->max_nodes || plan->depth == 1)
                break;
            plan->depth--;
        }
        if (plan->depth < opt->depth) {
            snprintf(text, sizeof text,
                     _("depth %zu around '%s' would draw more than --max-nodes "
                     "%zu firms: drawing depth %zu."), opt->depth, opt->focus,
                     plan->max_nodes, plan->depth);
            note_append(plan, text);
        }
        if (count > plan->max_nodes) {
            size_t partners = count - 1;
            if ((status = cy_r_ego_trim(net, plan->focus, plan->max_nodes - 1, mark,
                                   &count, err)) != CY_OK) {
                cy_free(mark);
                return status;
            }
            snprintf(text, sizeof text,
                     _("'%s' has %zu direct partners: drawing the %zu with the "
                     "most volume."), opt->focus, partners, count - 1);
            note_append(plan, text);
        }
    }
    status = cy_r_firm_nodes_make(net, plan, mark);
    if (status == CY_OK)
        status = cy_r_firm_edges_make(net, plan);
    cy_free(mark);
    if (status != CY_OK)
        return cy_r_plan_oom(err);
    if (plan->node_count > FIRMS_READABLE && opt->view != CY_VIEW_EGO &&
        opt->view != CY_VIEW_MAP) {
        char views[64];
        if (*cy_render_view_hint(net, CY_VIEW_FULL, views, sizeof views))
            snprintf(text, sizeof text, _("%zu firms in one drawing make a poster, not a "
                     "picture: %s gives the overview."), plan->node_count, views);
        else
            snprintf(text, sizeof text, _("%zu firms in one drawing make a poster, not a "
                     "picture."), plan->node_count);
        note_append(plan, text);
    }
    if ((status = plan_limit_edges(plan, FIRM_EDGES_PER_MAX_NODE * plan->max_nodes, err)) !=
        CY_OK)
        return status;
    return cy_r_plan_layout(plan, opt, err);
}
