/*
 * build_internal.h - what the files that build a diagram's cgraph graph
 * share (render/build*.c): the builder state, the colours of highlights,
 * and the steps cy_r_build runs in order (the attribute setters set, setf
 * and set_buf are render_internal.h's).  Not installed.
 */
#ifndef CHENGYU_BUILD_INTERNAL_H
#define CHENGYU_BUILD_INTERNAL_H

#include "render_internal.h"

#include <math.h>
#include <stdio.h>

#define EDGE_GREY "#707070"
#define NONE_FILL "#ffffff"

typedef struct {
    char color[8];
    char *label;   /* raw text, escaped when the legend is built */
    size_t count;
} legend_item;

typedef struct {
    const cy_network *net;
    const cy_r_plan *plan;
    cy_r_highlight hl;
    cy_error *err;
    Agraph_t *g;
    Agnode_t **agnodes;
    int failed;                  /* out of memory somewhere */

    /* colours and sizes, per plan node */
    char (*fill)[8];
    double *color_value, color_max;
    double *size_value, size_max;
    legend_item *legend;
    size_t legend_count;
    int sequential;              /* colour is a measure */
    double edge_max;             /* heaviest drawn edge */

    Agraph_t **region_sub, **park_sub;
} builder;

static inline const char *group_name(const cy_network *net, cy_group_kind kind, long g)
{
    return net->groups[kind][g].name ? net->groups[kind][g].name
                                     : net->groups[kind][g].id;
}

/* t in [0, 1] for a measure value: square root of the share of the
 * maximum, so that heavy-tailed measures still spread over the scale. */
static inline double scale(double value, double max)
{
    if (!(max > 0) || !(value > 0))
        return 0;
    return value >= max ? 1 : sqrt(value / max);
}

/* The steps of cy_r_build, in order; each returns CY_ENOMEM (or the
 * measure's status) on failure.
 *   build_style.c   the measures, fill colours and legend categories of
 *                   every plan node: O(n + m) plus the measure's cost
 *   build_nodes.c   the nodes, in park and region clusters or tier
 *                   columns: O(n log n)
 *   build_edges.c   the edges, widths, labels and tooltips: O(m log m)
 *   build_legend.c  the title and legend, one HTML-like label: O(legend) */
cy_status cy_r_build_style(builder *b);
cy_status cy_r_build_nodes(builder *b);
cy_status cy_r_build_edges(builder *b);
cy_status cy_r_build_legend(builder *b);

/* The name of an aggregated node (group, tier, "outside", "other"),
 * escaped for `mode` (build_nodes.c; edges' tooltips use it too). */
void cy_r_group_title(builder *b, const cy_r_node *node, cy_r_buf *buf,
                      cy_r_escape_mode mode);

#endif /* CHENGYU_BUILD_INTERNAL_H */
