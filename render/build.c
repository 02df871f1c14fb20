/*
 * build.c - the cgraph graph of a plan: node colours and sizes from the
 * chosen categories or measures, highlights, clusters for parks and
 * regions, tier columns, layout attributes with effort limits, and a title
 * and legend as one HTML-like label on the root graph.
 *
 * Node names are synthetic ("f12" = enterprise 12, "n3" = node 3 of an
 * aggregated view): user strings only ever appear in escaped labels and
 * tooltips, never as names, so the SVG <title> of a node, the DOT id and
 * cgraph's string pool can never be driven by the input.
 *
 * This file holds Graphviz's diagnostics, the graph attributes and the
 * order of the steps; build_style.c, build_nodes.c, build_edges.c and
 * build_legend.c the steps (build_internal.h).
 */
#include "build_internal.h"

#include <string.h>

/* ---- Graphviz diagnostics -------------------------------------------- */

#define CAPTURE_LIMIT 65536
static cy_r_buf captured;
static agusererrf previous_errf;
static int capturing;

static int capture_message(char *message)
{
    if (captured.len < CAPTURE_LIMIT)
        cy_r_buf_puts(&captured, message);
    return 0;
}

void cy_r_capture_begin(void)
{
    cy_r_buf_free(&captured);
    previous_errf = agseterrf(capture_message);
    capturing = 1;
}

void cy_r_capture_end(cy_error *err, cy_severity severity)
{
    const char *text;
    if (!capturing)
        return;
    agseterrf(previous_errf);
    capturing = 0;
    text = cy_r_buf_str(&captured);
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        if (len > 0)
            cy_r_graphviz_line(err, severity, text, len);
        text += len + (end ? 1 : 0);
    }
    cy_r_buf_free(&captured);
}

void cy_r_graphviz_line(cy_error *err, cy_severity severity, const char *text, size_t len)
{
    static const char *const labels[] = {"Warning: ", "Error: "};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(labels[k]);
        if (len > n && strncmp(text, labels[k], n) == 0) {
            text += n;
            len -= n;
            break;
        }
    }
    cy_error_add(err, severity, NULL, "graphviz: %.*s", (int)len, text);
}

/* ---- attributes ------------------------------------------------------- */

int cy_r_set(void *obj, const char *name, const char *value, const char *def)
{
    return agsafeset(obj, (char *)name, (char *)value, (char *)def) == 0;
}

int cy_r_set_html_label(Agraph_t *g, cy_r_buf *h)
{
    char *html;
    int ok;
    /* An HTML string must not be a plain string Graphviz already holds;
     * trailing spaces after the table are ignored by the HTML parser. */
    while (!h->oom && agstrbind(g, h->data))
        cy_r_buf_puts(h, " ");
    if (h->oom || !(html = agstrdup_html(g, h->data)))
        return 0;
    ok = cy_r_set(g, "label", html, "");
    agstrfree(g, html);
    return ok;
}

/* Above this many nodes x drawn edges force-directed layouts draw straight
 * lines (the curated dataset's 102 firms and 315 pairs keep their curves). */
#define SPLINE_WORK 40000.0

static void graph_attributes(builder *b)
{
    const cy_r_plan *plan = b->plan;
    Agraph_t *g = b->g;
    int dot = strcmp(plan->layout, "dot") == 0;
    size_t nodes = plan->node_count;

    set(b, g, "layout", plan->layout, "");
    set(b, g, "fontname", CY_R_FONT, "");
    set(b, g, "labelloc", "t", "");
    set(b, g, "labeljust", "l", "");
    set(b, g, "bgcolor", "white", "");
    set(b, g, "pad", "0.3", "");
    set(b, g, "outputorder", "edgesfirst", "");
    if (dot) {
        set(b, g, "rankdir", "LR", "");
        set(b, g, "nodesep", plan->aggregated ? "0.4" : "0.12", "");
        set(b, g, "ranksep", plan->aggregated ? "0.9" : "0.9", "");
        /* Effort limits: network simplex at most 200 x nodes iterations per
         * phase, crossing minimisation shortened on big graphs. */
        set(b, g, "nslimit", "200", "");
        set(b, g, "nslimit1", "200", "");
        set(b, g, "mclimit", nodes > 300 ? "0.3" : "1", "");
        set(b, g, "searchsize", "30", "");
        /* Rank globally, not cluster by cluster: with clusters, dot 2.42's
         * old ranking is far slower, fails to route edges and drops some
         * ("lost edge"; docs/rendering.md, "Graphviz 2.42 quirks"). */
        set(b, g, "newrank", "true", "");
        set(b, g, "forcelabels", "false", "");
    } else {
        set(b, g, "start", "random1", "");
        set(b, g, "overlap", "prism", "");
        set(b, g, "sep", "+6", "");
        set(b, g, "maxiter", strcmp(plan->layout, "neato") == 0 ? "1000" : "500", "");
        /* Routing curved edges around the nodes costs about nodes x edges
         * (docs/rendering.md, "Large networks"): straight lines beyond. */
        set(b, g, "splines",
            nodes > 300 || (double)nodes * (double)plan->drawn_edge_count > SPLINE_WORK
                ? "false" : "true", "");
    }
}

/* ---- entry ------------------------------------------------------------ */

cy_status cy_r_build(const cy_network *net, const cy_r_plan *plan,
                     Agraph_t **out, cy_error *err)
{
    builder b;
    cy_status status;

    *out = NULL;
    memset(&b, 0, sizeof b);
    b.net = net;
    b.plan = plan;
    b.err = err;
    b.hl.initial_node = -1;
    if ((status = cy_r_highlight_compute(net, plan, &b.hl, err)) != CY_OK)
        goto cleanup;
    if ((status = cy_r_build_style(&b)) != CY_OK)
        goto cleanup;
    status = CY_ENOMEM;
    b.agnodes = cy_calloc(plan->node_count ? plan->node_count : 1, sizeof *b.agnodes);
    b.region_sub = cy_calloc(net->group_count[CY_GROUP_REGION] + 1, sizeof *b.region_sub);
    b.park_sub = cy_calloc(net->group_count[CY_GROUP_PARK] + 1, sizeof *b.park_sub);
    if (!b.agnodes || !b.region_sub || !b.park_sub)
        goto cleanup;
    b.g = cy_r_graph_open("chengyu");
    if (!b.g)
        goto cleanup;
    /* Defaults first, so agwrite prints them once at the top. */
    agattr(b.g, AGNODE, "fontname", CY_R_FONT);
    agattr(b.g, AGNODE, "shape", "box");
    agattr(b.g, AGNODE, "style", "rounded,filled");
    agattr(b.g, AGNODE, "fillcolor", NONE_FILL);
    agattr(b.g, AGNODE, "color", "#4d4d4d");
    agattr(b.g, AGNODE, "margin", "0.08,0.03");
    agattr(b.g, AGEDGE, "fontname", CY_R_FONT);
    agattr(b.g, AGEDGE, "fontsize", "10");
    agattr(b.g, AGEDGE, "color", EDGE_GREY);
    agattr(b.g, AGEDGE, "arrowsize", "0.6");
    graph_attributes(&b);
    if (b.failed)
        goto cleanup;
    if ((status = cy_r_build_nodes(&b)) != CY_OK || (status = cy_r_build_edges(&b)) != CY_OK ||
        (status = cy_r_build_legend(&b)) != CY_OK)
        goto cleanup;
    *out = b.g;
    b.g = NULL;
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM && err->error_count == 0)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while building the diagram");
    if (b.g)
        agclose(b.g);
    for (size_t k = 0; k < b.legend_count; k++)
        cy_free(b.legend[k].label);
    cy_free(b.legend);
    cy_free(b.fill);
    cy_free(b.size_value);
    cy_free(b.color_value);
    cy_free(b.agnodes);
    cy_free(b.region_sub);
    cy_free(b.park_sub);
    cy_r_highlight_destroy(&b.hl);
    return status;
}
