/*
 * map.c - the map view: firms at their geographic location, or spread
 * around their park's location; parks as labelled circles; flows between
 * them; the user's boundaries underneath.
 *
 * Positions are computed here and handed to Graphviz as fixed `pos` (in
 * points) with the nop2 layout (neato -n2): Graphviz only routes the edges
 * as straight lines, places the firms' external labels where they fit and
 * draws.  The boundaries are drawn as the graph's `_background` (xdot
 * polygons), so thousands of outline points cost no graph objects.
 *
 * This file runs the steps in order; map_internal.h says which file does
 * what.  Node names are synthetic as in build.c: "f12" = enterprise 12,
 * "n3" = node 3 of an aggregated plan, "p4" = park 4's label.
 */
#include "map_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- entry -------------------------------------------------------------------- */

static void graph_defaults(map_builder *b)
{
    Agraph_t *g = b->g;
    agattr(g, AGNODE, "fontname", CY_R_FONT);
    agattr(g, AGNODE, "fontsize", "9");
    agattr(g, AGNODE, "shape", "circle");
    agattr(g, AGNODE, "fixedsize", "true");
    agattr(g, AGNODE, "label", "");
    agattr(g, AGNODE, "style", "filled");
    agattr(g, AGNODE, "fillcolor", "#ffffff");
    agattr(g, AGNODE, "color", "#4d4d4d");
    agattr(g, AGEDGE, "color", EDGE_GREY);
    agattr(g, AGEDGE, "arrowsize", "0.5");
    set(b, g, "layout", b->plan->layout, "");
    set(b, g, "fontname", CY_R_FONT, "");
    set(b, g, "labelloc", "t", "");
    set(b, g, "labeljust", "l", "");
    set(b, g, "bgcolor", "white", "");
    set(b, g, "pad", "0.3", "");
    set(b, g, "splines", "line", "");
    set(b, g, "outputorder", "edgesfirst", "");
    set(b, g, "forcelabels", "false", "");
    set(b, g, "notranslate", "true", "");
}

cy_status cy_r_build_map(const cy_network *net, const cy_r_plan *plan,
                         const cy_render_options *opt, Agraph_t **out, cy_error *err)
{
    map_builder b;
    size_t parks = net->group_count[CY_GROUP_PARK], nodes = plan->node_count;
    cy_status status;

    *out = NULL;
    memset(&b, 0, sizeof b);
    b.net = net;
    b.plan = plan;
    b.opt = opt;
    b.hl.initial_node = -1;
    if ((status = cy_r_highlight_compute(net, plan, &b.hl, err)) != CY_OK)
        goto cleanup;
    status = CY_ENOMEM;
    b.node = cy_calloc(nodes ? nodes : 1, sizeof *b.node);
    b.park = cy_calloc(parks ? parks : 1, sizeof *b.park);
    b.agnodes = cy_calloc(nodes ? nodes : 1, sizeof *b.agnodes);
    if (!b.node || !b.park || !b.agnodes || !(b.g = cy_r_graph_open("chengyu")))
        goto cleanup;
    for (size_t k = 0; k < nodes; k++)
        b.size_max = fmax(b.size_max, node_value(&b, k));
    cy_r_map_projector_make(&b);
    if ((status = cy_r_map_place(&b)) != CY_OK)
        goto cleanup;
    graph_defaults(&b);
    cy_r_map_park_labels_add(&b);
    status = CY_ENOMEM;
    if (b.failed || (status = cy_r_map_nodes_add(&b)) != CY_OK ||
        (status = cy_r_map_edges_add(&b)) != CY_OK ||
        (status = cy_r_map_background_add(&b)) != CY_OK ||
        (status = cy_r_map_legend_add(&b)) != CY_OK)
        goto cleanup;
    status = b.failed ? CY_ENOMEM : CY_OK;
    if (status == CY_OK) {
        *out = b.g;
        b.g = NULL;
    }
cleanup:
    if (status == CY_ENOMEM && err->error_count == 0)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while building the map");
    if (b.g)
        agclose(b.g);
    cy_free(b.node);
    cy_free(b.park);
    cy_free(b.agnodes);
    cy_r_highlight_destroy(&b.hl);
    return status;
}
