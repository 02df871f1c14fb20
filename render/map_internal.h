/*
 * map_internal.h - what the files of the map view share (render/map*.c):
 * map_plan.c checks the options and picks the drawn firms, map_place.c
 * projects and places firms and park circles, map_draw.c makes the nodes
 * and edges, map_background.c the outlines and scale bar, map_legend.c the
 * legend, map.c runs the steps in order.  Not installed.
 *
 * Node names are synthetic as in build.c: "f12" = enterprise 12, "n3" =
 * node 3 of an aggregated plan, "p4" = park 4's label.
 */
#ifndef CHENGYU_MAP_INTERNAL_H
#define CHENGYU_MAP_INTERNAL_H

#include "render_internal.h"

#include <math.h>
#include <stdio.h>

#define EDGE_GREY "#70707099"
#define OUTLINE_GREY "#8c8c8c"
#define PARK_FILL "#eeeeee99"
#define PARK_BORDER "#9a9a9a"
#define GOLD "#b8860b"

#define GLYPH_SQUARE "\xE2\x96\xA0"
#define GLYPH_CIRCLE "\xE2\x97\x8F"
#define GLYPH_EMPTY_CIRCLE "\xE2\x97\x8B"
#define GLYPH_ARROW "\xE2\x94\x81\xE2\x94\x81\xE2\x96\xB6"
#define GLYPH_STAR "\xE2\x98\x85"
#define GLYPH_RIGHT "\xE2\x86\x92"
#define GLYPH_LINE "\xE2\x94\x80\xE2\x94\x80"

/* The projected extent is scaled into this many points. */
#define MAP_SIZE 1400.0
#define MARGIN 40.0
/* Firm discs: diameter from 9 to 30 pt by output. */
#define FIRM_MIN 9.0
#define FIRM_RANGE 21.0
/* Park discs of an aggregated map: diameter from 20 to 110 pt by output. */
#define PARK_MIN 20.0
#define PARK_RANGE 90.0
/* Room between two park circles pushed apart. */
#define PARK_GAP 6.0
#define RELAX_ROUNDS 300
/* Outline vertices closer than this (points) to the last kept one are
 * dropped: they would not show. */
#define OUTLINE_RESOLUTION 0.75
#define EARTH_KM 6371.0088
#define MERCATOR_MAX_LAT 85.05112878
#define UNPLACED_LISTED 8

#define MAP_PI 3.14159265358979323846

typedef struct {
    cy_projection projection;
    double cos_mid;                 /* equirectangular: cos(mid latitude) */
    double mid_lat;
    double xmin, ymin, scale;       /* projected -> points */
    double ox, oy;                  /* offset in points */
} projector;

typedef struct {
    double x, y, r;
    int placed;
} disc;

typedef struct {
    const cy_network *net;
    const cy_r_plan *plan;
    const cy_render_options *opt;
    cy_r_highlight hl;
    Agraph_t *g;
    Agnode_t **agnodes;
    int failed;
    projector pr;
    disc *node;          /* per plan node */
    disc *park;          /* per park: its circle (placed when located) */
    double park_moved;   /* largest move of a park circle, points */
    double size_max, edge_max;
    size_t drawn_nodes, drawn_edges, unplaced_nodes;
    size_t color_used[CY_R_CATEGORICAL_COUNT + 1];
} map_builder;

typedef struct {
    double xmin, xmax, ymin, ymax;
    int any;
} extent;

static inline void extent_add(extent *e, double x, double y)
{
    if (!e->any) {
        e->xmin = e->xmax = x;
        e->ymin = e->ymax = y;
        e->any = 1;
        return;
    }
    e->xmin = fmin(e->xmin, x);
    e->xmax = fmax(e->xmax, x);
    e->ymin = fmin(e->ymin, y);
    e->ymax = fmax(e->ymax, y);
}

static inline int park_located(const cy_network *net, long p)
{
    return p >= 0 && net->groups[CY_GROUP_PARK][p].has_location;
}

static inline void set_pos(map_builder *b, void *obj, double x, double y)
{
    char text[64];
    snprintf(text, sizeof text, "%.2f,%.2f!", x, y);
    set(b, obj, "pos", text, "");
}

static inline const char *park_name(const cy_network *net, long p)
{
    const cy_i_group *park = &net->groups[CY_GROUP_PARK][p];
    return park->name ? park->name : park->id;
}

static inline double node_value(const map_builder *b, size_t k)
{
    return b->plan->size_by == CY_SIZE_NONE ? 0 : b->plan->nodes[k].output;
}

static inline double diameter(const map_builder *b, size_t k)
{
    double s = b->size_max > 0 ? sqrt(fmax(node_value(b, k), 0) / b->size_max) : 0;
    return b->plan->aggregated ? PARK_MIN + PARK_RANGE * s : FIRM_MIN + FIRM_RANGE * s;
}

/* map_place.c.  Projected position in points of a longitude and latitude;
 * kilometres on the ground per point at the mid latitude; the projection
 * that fits every located thing into MAP_SIZE; every plan node and park
 * circle placed (CY_ENOMEM). */
void cy_r_map_project(const projector *pr, double lon, double lat, double *x, double *y);
double cy_r_map_km_per_point(const projector *pr);
void cy_r_map_projector_make(map_builder *b);
cy_status cy_r_map_place(map_builder *b);
/* The extent of every located thing, projected but not scaled. */
void cy_r_map_located_extent(const map_builder *b, extent *e);

/* map_draw.c.  Park names above their circles, the firm or park nodes at
 * their places, the drawn flows.  b->failed or CY_ENOMEM when Graphviz is
 * out of memory. */
void cy_r_map_park_labels_add(map_builder *b);
cy_status cy_r_map_nodes_add(map_builder *b);
cy_status cy_r_map_edges_add(map_builder *b);

/* map_background.c: the graph's _background (park circles, outlines,
 * scale bar).  map_legend.c: the legend as the graph's label. */
cy_status cy_r_map_background_add(map_builder *b);
cy_status cy_r_map_legend_add(map_builder *b);

#endif /* CHENGYU_MAP_INTERNAL_H */
