/*
 * plan_cost.c - what a layout of the plan would cost, and the engine that
 * keeps it within bounds.
 *
 * dot's cost is not the size of the graph: it ranks the nodes, then turns
 * every edge that spans k ranks into a chain of k - 1 virtual nodes before
 * crossing minimisation.  A layered supply network (tiers) has short edges;
 * an unlayered transaction network, whose firms buy from each other in
 * cycles, gets ranks hundreds deep and tens of thousands of virtual nodes,
 * and dot then runs for minutes.  So the plan estimates dot's ranking the
 * way dot makes it (cycles broken by depth-first search, then longest-path
 * ranks, sources pulled next to their first customer) and counts the
 * virtual nodes; docs/rendering.md, "How long a layout takes".
 */
#include "plan_internal.h"

#include <string.h>

/* Above this estimate the default engine of a view of firms is sfdp, not
 * dot: the fit's seconds are those of a Debug build on a loaded machine,
 * so a quiet Release build stays well under 10 s. */
#define DOT_BUDGET_SECONDS 5.0
/* An engine the caller named gives way above this estimate (or --timeout,
 * when lower): circo on a first-firms view of two hundred firms already
 * runs longer (docs/rendering.md, "How long a layout takes"). */
#define NAMED_BUDGET_SECONDS 15.0

typedef struct {
    size_t *offset, *target; /* drawn out-edges per node (CSR) */
    long *rank;
} rank_work;

static void rank_work_free(rank_work *w)
{
    cy_free(w->offset);
    cy_free(w->target);
    cy_free(w->rank);
}

/* The drawn edges as out-lists, self-loops left out (dot draws them
 * without ranks). */
static int rank_work_make(const cy_r_plan *plan, rank_work *w)
{
    size_t n = plan->node_count, m = 0;
    memset(w, 0, sizeof *w);
    w->offset = cy_calloc(n + 1, sizeof *w->offset);
    w->target = cy_malloc((plan->edge_count ? plan->edge_count : 1) * sizeof *w->target);
    w->rank = cy_calloc(n ? n : 1, sizeof *w->rank);
    if (!w->offset || !w->target || !w->rank)
        return 0;
    for (size_t e = 0; e < plan->edge_count; e++)
        if (plan->edges[e].drawn && plan->edges[e].from != plan->edges[e].to)
            w->offset[plan->edges[e].from + 1]++;
    for (size_t v = 0; v < n; v++)
        w->offset[v + 1] += w->offset[v];
    for (size_t e = 0; e < plan->edge_count; e++) /* edges are in (from, to) order */
        if (plan->edges[e].drawn && plan->edges[e].from != plan->edges[e].to)
            w->target[m++] = plan->edges[e].to;
    return 1;
}

/*
 * Longest-path ranks of the graph with its back edges reversed, as dot
 * breaks cycles: an iterative depth-first search from every node in order
 * gives the finishing order, whose reverse is topological once the edges
 * to nodes finished later (back edges) are turned around.  A node's rank
 * is one more than the highest of its predecessors'; then every source
 * moves next to its nearest successor, as network simplex would.
 * Returns the virtual nodes dot would add: the sum over edges of their
 * span minus one; (size_t)-1 when out of memory.  O(n + m).
 */
static size_t virtual_nodes(const cy_r_plan *plan, rank_work *w)
{
    size_t n = plan->node_count, top = 0, done = 0, total = (size_t)-1;
    unsigned char *state = cy_calloc(n ? n : 1, 1); /* 0 new, 1 open, 2 finished, 3 ranked */
    size_t *stack = cy_malloc((n ? n : 1) * sizeof *stack);
    size_t *next = cy_malloc((n ? n : 1) * sizeof *next);
    size_t *order = cy_malloc((n ? n : 1) * sizeof *order);
    size_t *preds = cy_calloc(n ? n : 1, sizeof *preds);
    if (!state || !stack || !next || !order || !preds)
        goto cleanup;
    for (size_t root = 0; root < n; root++) {
        if (state[root])
            continue;
        stack[top++] = root;
        state[root] = 1;
        next[root] = w->offset[root];
        while (top) {
            size_t v = stack[top - 1];
            if (next[v] < w->offset[v + 1]) {
                size_t t = w->target[next[v]++];
                if (!state[t]) {
                    state[t] = 1;
                    next[t] = w->offset[t];
                    stack[top++] = t;
                }
                continue;
            }
            state[v] = 2;
            order[done++] = v;
            top--;
        }
    }
    for (size_t k = n; k-- > 0;) { /* topological order */
        size_t v = order[k];
        for (size_t q = w->offset[v]; q < w->offset[v + 1]; q++) /* reversed back edges */
            if (state[w->target[q]] == 3) {
                preds[v]++;
                if (w->rank[w->target[q]] + 1 > w->rank[v])
                    w->rank[v] = w->rank[w->target[q]] + 1;
            }
        state[v] = 3;
        for (size_t q = w->offset[v]; q < w->offset[v + 1]; q++) {
            size_t t = w->target[q];
            if (state[t] != 3) {
                preds[t]++;
                if (w->rank[v] + 1 > w->rank[t])
                    w->rank[t] = w->rank[v] + 1;
            }
        }
    }
    for (size_t k = 0; k < n; k++) { /* sources next to their nearest successor */
        size_t v = order[k];
        long nearest = -1;
        if (preds[v])
            continue;
        for (size_t q = w->offset[v]; q < w->offset[v + 1]; q++)
            if (nearest < 0 || w->rank[w->target[q]] < nearest)
                nearest = w->rank[w->target[q]];
        if (nearest > 0)
            w->rank[v] = nearest - 1;
    }
    total = 0;
    for (size_t v = 0; v < n; v++)
        for (size_t q = w->offset[v]; q < w->offset[v + 1]; q++) {
            long span = w->rank[w->target[q]] - w->rank[v];
            span = span < 0 ? -span : span;
            if (span > 1)
                total += (size_t)(span - 1);
        }
cleanup:
    cy_free(state);
    cy_free(stack);
    cy_free(next);
    cy_free(order);
    cy_free(preds);
    return total;
}

size_t cy_r_plan_dot_virtual(const cy_r_plan *plan)
{
    rank_work w;
    size_t total = (size_t)-1;
    if (rank_work_make(plan, &w))
        total = virtual_nodes(plan, &w);
    rank_work_free(&w);
    return total;
}

/* Seconds for `layout` on the plan: dot counts its virtual nodes too. */
static double plan_estimate(const cy_r_plan *plan, const char *layout, size_t virtual_count)
{
    size_t nodes = plan->node_count;
    if (strcmp(layout, "dot") == 0)
        nodes += virtual_count;
    return cy_render_layout_estimate(layout, nodes, plan->drawn_edge_count);
}

static void note_more(cy_r_plan *plan, const char *text)
{
    size_t used = strlen(plan->note);
    snprintf(plan->note + used, sizeof plan->note - used, "%s%s", used ? " " : "", text);
}

/* A layout's estimate for a note: "about 40 s", and "under 1 s" rather
 * than "about 0 s" (a limit under a second is the caller's --timeout). */
static void spell_seconds(double seconds, char *buf, size_t size)
{
    if (seconds < 1.0)
        snprintf(buf, size, "%s", _("under 1 s"));
    else
        snprintf(buf, size, _("about %.0f s"), seconds);
}

cy_status cy_r_plan_layout(cy_r_plan *plan, const cy_render_options *opt, cy_error *err)
{
    const char *asked = opt->layout ? opt->layout : "dot";
    size_t virtual_count = 0;
    double seconds, limit;
    char text[320], span[48];

    if (plan->view == CY_VIEW_MAP) {
        plan->layout = "nop2";
        plan->estimate = cy_render_layout_estimate("nop2", plan->node_count,
                                                   plan->drawn_edge_count);
        return CY_OK;
    }
    if (strcmp(asked, "dot") == 0 &&
        (virtual_count = cy_r_plan_dot_virtual(plan)) == (size_t)-1)
        return cy_r_plan_oom(err);
    plan->layout = asked;
    plan->estimate = seconds = plan_estimate(plan, asked, virtual_count);
    /* The default engine gives way above its budget; one the caller named
     * above a larger one, or --timeout when lower; with no timeout, never. */
    limit = DOT_BUDGET_SECONDS;
    if (opt->layout)
        limit = opt->timeout_seconds > 0 && opt->timeout_seconds < NAMED_BUDGET_SECONDS
                    ? opt->timeout_seconds
                    : opt->timeout_seconds > 0 ? NAMED_BUDGET_SECONDS : 0;
    if (limit <= 0 || seconds <= limit || strcmp(asked, "sfdp") == 0)
        return CY_OK;
    plan->layout = "sfdp";
    plan->estimate = plan_estimate(plan, "sfdp", 0);
    spell_seconds(seconds, span, sizeof span);
    if (strcmp(asked, "dot") == 0)
        snprintf(text, sizeof text,
                 _("The links of these firms run in cycles and across many ranks: dot's "
                   "layered drawing of %zu nodes and %zu edges would take %s, "
                   "so it is drawn with sfdp (force-directed) instead."),
                 plan->node_count, plan->drawn_edge_count, span);
    else
        snprintf(text, sizeof text,
                 _("--layout %s would take %s for %zu nodes and %zu edges, "
                   "more than %g s: drawn with sfdp (force-directed) instead "
                   "(--timeout 0 keeps it)."),
                 asked, span, plan->node_count, plan->drawn_edge_count, limit);
    note_more(plan, text);
    return CY_OK;
}
