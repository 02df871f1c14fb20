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
 * Node names are synthetic as in build.c: "f12" = enterprise 12, "n3" =
 * node 3 of an aggregated plan, "p4" = park 4's circle, "t4" its label.
 */
#include "render_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RED "#d7191c"
#define DARK_RED "#67000d"
#define LIGHT_RED "#fb6a4a"
#define EDGE_GREY "#70707099"
#define OUTLINE_GREY "#8c8c8c"
#define PARK_FILL "#eeeeee99"
#define PARK_BORDER "#9a9a9a"
#define GOLD "#b8860b"

#define GLYPH_SQUARE "\xE2\x96\xA0"
#define GLYPH_CIRCLE "\xE2\x97\x8F"
#define GLYPH_EMPTY_CIRCLE "\xE2\x97\x8B"
#define GLYPH_DOUBLE_CIRCLE "\xE2\x97\x8E"
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

static const double PI = 3.14159265358979323846;

static const char *const projection_names[CY_PROJECTION_COUNT] = {
    "equirectangular", "mercator"};

const char *cy_projection_name(cy_projection projection)
{
    return (unsigned)projection < CY_PROJECTION_COUNT ? projection_names[projection]
                                                       : NULL;
}

int cy_projection_parse(const char *name, cy_projection *out)
{
    for (int k = 0; name && k < CY_PROJECTION_COUNT; k++) {
        if (strcmp(name, projection_names[k]) == 0) {
            *out = (cy_projection)k;
            return 1;
        }
    }
    return 0;
}

/* ---- where a firm is ---------------------------------------------------- */

static int park_located(const cy_network *net, long p)
{
    return p >= 0 && net->groups[CY_GROUP_PARK][p].has_location;
}

static int firm_placeable(const cy_network *net, size_t i)
{
    return net->enterprises[i].has_location || park_located(net, net->enterprises[i].park);
}

/* "N firms have neither ...: a, b, c and K more." into the plan's note. */
static void note_unplaced(const cy_network *net, const unsigned char *mark,
                          size_t unplaced, cy_r_plan *plan)
{
    size_t used = strlen(plan->note), listed = 0;
    size_t room = sizeof plan->note - used;
    char *p = plan->note + used;
    int w = snprintf(p, room, "%s%zu firm%s ha%s no location and no park with one and "
                     "%s not drawn:", used ? " " : "", unplaced, unplaced == 1 ? "" : "s",
                     unplaced == 1 ? "s" : "ve", unplaced == 1 ? "is" : "are");
    for (size_t i = 0; w > 0 && (size_t)w < room && i < net->enterprise_count; i++) {
        if (mark[i] || listed == UNPLACED_LISTED)
            continue;
        w += snprintf(p + w, room - (size_t)w, "%s %.40s", listed ? "," : "",
                      net->enterprises[i].id);
        listed++;
    }
    if (w > 0 && (size_t)w < room)
        snprintf(p + w, room - (size_t)w, unplaced > listed ? " and %zu more." : ".",
                 unplaced - listed);
}

cy_status cy_r_map_plan(const cy_network *net, const cy_render_options *opt,
                        cy_r_plan *plan, unsigned char **mark, cy_error *err)
{
    size_t n = net->enterprise_count, unplaced = 0;
    *mark = NULL;
    if (opt->layout) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--layout does not apply to the map "
                     "view (positions come from the locations)");
        return CY_EUSAGE;
    }
    if (opt->color_by != CY_COLOR_AUTO && opt->color_by != CY_COLOR_KIND &&
        opt->color_by != CY_COLOR_REGION) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--color-by %s does not apply to the map "
                     "view (kind or region)", cy_color_by_name(opt->color_by));
        return CY_EUSAGE;
    }
    if (opt->size_by != CY_SIZE_AUTO && opt->size_by != CY_SIZE_OUTPUT &&
        opt->size_by != CY_SIZE_NONE) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--size-by %s does not apply to the map "
                     "view (output or none)", cy_size_by_name(opt->size_by));
        return CY_EUSAGE;
    }
    if ((unsigned)opt->projection >= CY_PROJECTION_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown projection %d", (int)opt->projection);
        return CY_EUSAGE;
    }
    if (n > plan->max_nodes) {
        char text[200];
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_PARK;
        snprintf(text, sizeof text, "%zu enterprises exceed --max-nodes %zu: one circle "
                 "per park, at the park's location.", n, plan->max_nodes);
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 "%s%s", plan->note[0] ? " " : "", text);
        return CY_OK;
    }
    if (!(*mark = cy_malloc(n ? n : 1))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        (*mark)[i] = (unsigned char)firm_placeable(net, i);
        unplaced += !(*mark)[i];
    }
    if (unplaced)
        note_unplaced(net, *mark, unplaced, plan);
    return CY_OK;
}

/* ---- projection --------------------------------------------------------- */

typedef struct {
    cy_projection projection;
    double cos_mid;                 /* equirectangular: cos(mid latitude) */
    double mid_lat;
    double xmin, ymin, scale;       /* projected -> points */
    double ox, oy;                  /* offset in points */
} projector;

static void project_raw(const projector *pr, double lon, double lat, double *x, double *y)
{
    if (pr->projection == CY_PROJECTION_MERCATOR) {
        double phi = fmax(-MERCATOR_MAX_LAT, fmin(MERCATOR_MAX_LAT, lat)) * PI / 180;
        *x = lon * PI / 180;
        *y = log(tan(PI / 4 + phi / 2));
    } else {
        *x = lon * pr->cos_mid;
        *y = lat;
    }
}

static void project(const projector *pr, double lon, double lat, double *x, double *y)
{
    project_raw(pr, lon, lat, x, y);
    *x = (*x - pr->xmin) * pr->scale + pr->ox;
    *y = (*y - pr->ymin) * pr->scale + pr->oy;
}

/* Kilometres on the ground per point on the map at the mid latitude. */
static double km_per_point(const projector *pr)
{
    double km_per_unit = pr->projection == CY_PROJECTION_MERCATOR
                             ? EARTH_KM * cos(pr->mid_lat * PI / 180)
                             : EARTH_KM * PI / 180;
    return km_per_unit / pr->scale;
}

/* ---- the builder ---------------------------------------------------------- */

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

static void set(map_builder *b, void *obj, const char *name, const char *value,
                const char *def)
{
    if (!b->failed && !cy_r_set(obj, name, value, def))
        b->failed = 1;
}

static void setf(map_builder *b, void *obj, const char *name, const char *def,
                 const char *fmt, double value)
{
    char text[64];
    snprintf(text, sizeof text, fmt, value);
    set(b, obj, name, text, def);
}

static void set_pos(map_builder *b, void *obj, double x, double y)
{
    char text[64];
    snprintf(text, sizeof text, "%.2f,%.2f!", x, y);
    set(b, obj, "pos", text, "");
}

static void set_buf(map_builder *b, void *obj, const char *name, cy_r_buf *buf,
                    const char *def)
{
    const char *s = cy_r_buf_str(buf);
    if (!s)
        b->failed = 1;
    else
        set(b, obj, name, s, def);
    cy_r_buf_free(buf);
}

static const char *park_name(const cy_network *net, long p)
{
    const cy_i_group *park = &net->groups[CY_GROUP_PARK][p];
    return park->name ? park->name : park->id;
}

static double node_value(const map_builder *b, size_t k)
{
    return b->plan->size_by == CY_SIZE_NONE ? 0 : b->plan->nodes[k].output;
}

static double diameter(const map_builder *b, size_t k)
{
    double s = b->size_max > 0 ? sqrt(fmax(node_value(b, k), 0) / b->size_max) : 0;
    return b->plan->aggregated ? PARK_MIN + PARK_RANGE * s : FIRM_MIN + FIRM_RANGE * s;
}

/* The park a plan node is spread around (-1: none, it has its own place). */
static long node_park(const map_builder *b, size_t k)
{
    const cy_r_node *node = &b->plan->nodes[k];
    const cy_i_enterprise *e;
    if (node->kind != CY_R_NODE_FIRM)
        return -1;
    e = &b->net->enterprises[node->index];
    return e->has_location ? -1 : e->park;
}

/* Longitude and latitude of plan node k; 0 when it has none. */
static int node_lonlat(const map_builder *b, size_t k, double *lon, double *lat)
{
    const cy_r_node *node = &b->plan->nodes[k];
    const cy_network *net = b->net;
    long p = -1;
    if (node->kind == CY_R_NODE_FIRM) {
        const cy_i_enterprise *e = &net->enterprises[node->index];
        if (e->has_location) {
            *lon = e->lon;
            *lat = e->lat;
            return 1;
        }
        p = e->park;
    } else if (node->kind == CY_R_NODE_GROUP && b->plan->grouping == CY_R_BY_PARK) {
        p = node->index;
    }
    if (!park_located(net, p))
        return 0;
    *lon = net->groups[CY_GROUP_PARK][p].lon;
    *lat = net->groups[CY_GROUP_PARK][p].lat;
    return 1;
}

/* ---- positions ------------------------------------------------------------ */

typedef struct {
    double xmin, xmax, ymin, ymax;
    int any;
} extent;

static void extent_add(extent *e, double x, double y)
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

/* Visit every located thing: nodes, parks, outline points. */
typedef void (*lonlat_fn)(void *ctx, double lon, double lat);

static void each_lonlat(const map_builder *b, lonlat_fn fn, void *ctx)
{
    const cy_network *net = b->net;
    const cy_boundaries *bd = b->opt->boundaries;
    double lon, lat;
    for (size_t k = 0; k < b->plan->node_count; k++)
        if (node_lonlat(b, k, &lon, &lat))
            fn(ctx, lon, lat);
    for (size_t p = 0; p < net->group_count[CY_GROUP_PARK]; p++)
        if (park_located(net, (long)p))
            fn(ctx, net->groups[CY_GROUP_PARK][p].lon, net->groups[CY_GROUP_PARK][p].lat);
    for (size_t r = 0; r < cy_boundaries_ring_count(bd); r++) {
        const double *x, *y;
        const char *name;
        int hole;
        size_t count = cy_r_boundaries_ring(bd, r, &x, &y, &hole, &name);
        for (size_t q = 0; q < count; q++)
            fn(ctx, x[q], y[q]);
    }
}

typedef struct {
    double lat_min, lat_max;
    int any;
} lat_range;

static void add_lat(void *ctx, double lon, double lat)
{
    lat_range *r = ctx;
    (void)lon;
    if (!r->any || lat < r->lat_min)
        r->lat_min = lat;
    if (!r->any || lat > r->lat_max)
        r->lat_max = lat;
    r->any = 1;
}

typedef struct {
    const projector *pr;
    extent e;
} extent_ctx;

static void add_projected(void *ctx, double lon, double lat)
{
    extent_ctx *c = ctx;
    double x, y;
    project_raw(c->pr, lon, lat, &x, &y);
    extent_add(&c->e, x, y);
}

/* The projection and the scale that fits everything into MAP_SIZE. */
static void make_projector(map_builder *b)
{
    lat_range lr = {0, 0, 0};
    extent_ctx ec;
    double dx, dy, min_span;
    each_lonlat(b, add_lat, &lr);
    b->pr.projection = b->opt->projection;
    b->pr.mid_lat = lr.any ? (lr.lat_min + lr.lat_max) / 2 : 0;
    b->pr.cos_mid = cos(b->pr.mid_lat * PI / 180);
    memset(&ec, 0, sizeof ec);
    ec.pr = &b->pr;
    each_lonlat(b, add_projected, &ec);
    /* A map of one place still shows some 50 km around it. */
    min_span = b->pr.projection == CY_PROJECTION_MERCATOR ? 0.5 * PI / 180 : 0.5;
    dx = ec.e.any ? fmax(ec.e.xmax - ec.e.xmin, min_span) : min_span;
    dy = ec.e.any ? fmax(ec.e.ymax - ec.e.ymin, min_span) : min_span;
    b->pr.scale = fmin(MAP_SIZE / dx, MAP_SIZE / dy);
    b->pr.xmin = ec.e.any ? ec.e.xmin - (dx - (ec.e.xmax - ec.e.xmin)) / 2 : 0;
    b->pr.ymin = ec.e.any ? ec.e.ymin - (dy - (ec.e.ymax - ec.e.ymin)) / 2 : 0;
    b->pr.ox = b->pr.oy = 0;
}

typedef struct {
    size_t node;
    double value;
} ranked;

static int ranked_cmp(const void *a, const void *c)
{
    const ranked *x = a, *y = c;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return x->node < y->node ? -1 : x->node > y->node;
}

/*
 * Spread the firms of park p on a sunflower (Vogel) spiral around its
 * centre, biggest first: point j at radius c·sqrt(j + 0.5), angle j × the
 * golden angle.  Neighbours on it are about 1.8 c apart, so c follows the
 * largest disc.  Sets the park circle's radius.
 */
static cy_status spread_park(map_builder *b, long p, ranked *members, size_t count)
{
    disc *park = &b->park[p];
    double dmax = 0, c, golden = PI * (3 - sqrt(5.0)), outer = 0;
    for (size_t j = 0; j < count; j++)
        dmax = fmax(dmax, diameter(b, members[j].node));
    qsort(members, count, sizeof *members, ranked_cmp);
    c = (dmax + 4) / 1.75;
    for (size_t j = 0; j < count; j++) {
        double radius = count == 1 ? 0 : c * sqrt((double)j + 0.5);
        disc *d = &b->node[members[j].node];
        d->x = park->x + radius * cos((double)j * golden);
        d->y = park->y + radius * sin((double)j * golden);
        d->placed = 1;
        outer = fmax(outer, radius);
    }
    park->r = outer + dmax / 2 + 8;
    return CY_OK;
}

/*
 * Push overlapping park circles apart (equal shares, along the line between
 * their centres), then move each park's spread firms with it.  Real
 * locations of firms are never moved.
 */
static void relax_parks(map_builder *b, const double *x0, const double *y0)
{
    size_t parks = b->net->group_count[CY_GROUP_PARK];
    for (int round = 0; round < RELAX_ROUNDS; round++) {
        int moved = 0;
        for (size_t p = 0; p < parks; p++) {
            for (size_t q = p + 1; q < parks; q++) {
                disc *a = &b->park[p], *c = &b->park[q];
                double dx = c->x - a->x, dy = c->y - a->y, d = hypot(dx, dy);
                double need = a->r + c->r + PARK_GAP;
                if (!a->placed || !c->placed || d >= need)
                    continue;
                if (d < 1e-9) { /* same place: split along x, stably */
                    dx = 1;
                    dy = 0;
                    d = 1;
                    need += 1;
                }
                a->x -= dx / d * (need - d) / 2;
                a->y -= dy / d * (need - d) / 2;
                c->x += dx / d * (need - d) / 2;
                c->y += dy / d * (need - d) / 2;
                moved = 1;
            }
        }
        if (!moved)
            break;
    }
    for (size_t p = 0; p < parks; p++)
        if (b->park[p].placed)
            b->park_moved = fmax(b->park_moved,
                                 hypot(b->park[p].x - x0[p], b->park[p].y - y0[p]));
    for (size_t k = 0; k < b->plan->node_count; k++) {
        long p = node_park(b, k);
        if (p >= 0 && b->node[k].placed) {
            b->node[k].x += b->park[p].x - x0[p];
            b->node[k].y += b->park[p].y - y0[p];
        }
    }
}

/* Place every plan node and park circle. */
static cy_status place(map_builder *b)
{
    const cy_network *net = b->net;
    size_t parks = net->group_count[CY_GROUP_PARK], nodes = b->plan->node_count;
    ranked *members = cy_malloc((nodes ? nodes : 1) * sizeof *members);
    double *x0 = cy_malloc((parks ? parks : 1) * sizeof *x0);
    double *y0 = cy_malloc((parks ? parks : 1) * sizeof *y0);
    cy_status status = CY_ENOMEM;
    if (!members || !x0 || !y0)
        goto cleanup;
    for (size_t p = 0; p < parks; p++) {
        const cy_i_group *g = &net->groups[CY_GROUP_PARK][p];
        if (!g->has_location)
            continue;
        project(&b->pr, g->lon, g->lat, &b->park[p].x, &b->park[p].y);
        b->park[p].placed = 1;
        b->park[p].r = 8;
    }
    for (size_t k = 0; k < nodes; k++) {
        double lon, lat;
        b->node[k].r = diameter(b, k) / 2;
        if (node_park(b, k) < 0 && node_lonlat(b, k, &lon, &lat)) {
            project(&b->pr, lon, lat, &b->node[k].x, &b->node[k].y);
            b->node[k].placed = 1;
        }
    }
    if (!b->plan->aggregated) {
        for (size_t p = 0; p < parks; p++) {
            size_t count = 0;
            for (size_t k = 0; k < nodes; k++)
                if (node_park(b, k) == (long)p)
                    members[count++] = (ranked){k, node_value(b, k)};
            if (count && b->park[p].placed)
                spread_park(b, (long)p, members, count);
        }
        for (size_t p = 0; p < parks; p++) {
            x0[p] = b->park[p].x;
            y0[p] = b->park[p].y;
        }
        relax_parks(b, x0, y0);
    }
    status = CY_OK;
cleanup:
    cy_free(members);
    cy_free(x0);
    cy_free(y0);
    return status;
}

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
    cy_r_buf_printf(buf, "&#10;%s", cy_kind_name(e->kind));
    if (e->tier >= 0)
        cy_r_buf_printf(buf, ", tier %d", e->tier);
    if (e->park >= 0) {
        cy_r_buf_puts(buf, "&#10;park: ");
        cy_r_buf_escaped(buf, park_name(net, e->park), CY_R_ESC_TOOLTIP);
    }
    cy_r_buf_printf(buf, "&#10;%s", e->has_location ? "at its own location"
                                                     : "placed at its park's location");
    cy_r_format_amount(e->output_value, amount, sizeof amount);
    cy_r_buf_printf(buf, "&#10;output: %s/yr", amount);
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

static void highlight_node(map_builder *b, Agnode_t *n, size_t k)
{
    const cy_r_highlight *hl = &b->hl;
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        int choke = hl->node_chokepoint && hl->node_chokepoint[k];
        int art = hl->node_articulation && hl->node_articulation[k];
        if (choke || art) {
            set(b, n, "color", RED, "#4d4d4d");
            set(b, n, "penwidth", "2.5", "1");
        }
        if (choke)
            set(b, n, "peripheries", "2", "1");
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE && hl->node_failed &&
               hl->node_failed[k]) {
        int initial = (long)k == hl->initial_node && !b->plan->aggregated;
        set(b, n, "fillcolor", initial ? DARK_RED : LIGHT_RED, "#ffffff");
        set(b, n, "color", DARK_RED, "#4d4d4d");
        set(b, n, "penwidth", initial ? "3" : "2", "1");
    }
}

/* Park circles go into the background (xdot ellipses), so that they do not
 * keep the firms' labels away; each park's name is a node above its circle
 * ("p" + park index), which also carries the tooltip. */
static void background_parks(map_builder *b, cy_r_buf *bg)
{
    const cy_network *net = b->net;
    for (size_t p = 0; p < net->group_count[CY_GROUP_PARK]; p++) {
        const disc *d = &b->park[p];
        if (!d->placed || b->plan->aggregated)
            continue;
        cy_r_buf_printf(bg, "C 9 -" PARK_FILL " c 7 -%s S 5 -solid S %d -setlinewidth(%d) "
                        "E %.2f %.2f %.2f %.2f ",
                        net->groups[CY_GROUP_PARK][p].demonstration ? GOLD : PARK_BORDER,
                        15, net->groups[CY_GROUP_PARK][p].demonstration ? 2 : 1,
                        d->x, d->y, d->r, d->r);
    }
}

static void add_park_labels(map_builder *b)
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
        cy_r_buf_printf(&buf, "&#10;park at %.4f, %.4f", net->groups[CY_GROUP_PARK][p].lon,
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
    cy_r_format_amount(node->output, amount, sizeof amount);
    cy_r_buf_printf(buf, "\\n%zu firm%s, %s", node->members,
                    node->members == 1 ? "" : "s", amount);
}

static cy_status add_nodes(map_builder *b)
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
            set_buf(b, n, "xlabel", &buf, "");
            firm_tooltip(b, (size_t)node->index, &buf);
        } else {
            group_label(b, k, &buf);
            set_buf(b, n, "xlabel", &buf, "");
            cy_r_buf_escaped(&buf, park_name(b->net, node->index), CY_R_ESC_TOOLTIP);
            if (b->net->groups[CY_GROUP_PARK][node->index].demonstration)
                set(b, n, "color", GOLD, "#4d4d4d");
        }
        set_buf(b, n, "tooltip", &buf, "");
        highlight_node(b, n, k);
    }
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- edges ------------------------------------------------------------------ */

static cy_status add_edges(map_builder *b)
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
        cy_r_format_amount(edge->volume, amount, sizeof amount);
        cy_r_buf_printf(&buf, "%zu link%s, %s/yr", edge->links,
                        edge->links == 1 ? "" : "s", amount);
        if (b->hl.edge_single && b->hl.edge_single[k])
            cy_r_buf_printf(&buf, "&#10;%zu single-source", b->hl.edge_single[k]);
        set_buf(b, e, "tooltip", &buf, "");
    }
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- background: outlines and scale bar ------------------------------------- */

/* xdot text: "T x y 0 width n -bytes" (the byte count makes any byte safe;
 * control characters go first, as in every other Graphviz string). */
static void xdot_text(cy_r_buf *bg, double x, double y, double size, const char *text)
{
    int changed;
    char *safe = cy_r_xml_safe(text, &changed);
    size_t len;
    if (!safe) {
        bg->oom = 1;
        return;
    }
    for (char *p = safe; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    len = strlen(safe);
    cy_r_buf_printf(bg, "F %.1f %zu -%s T %.2f %.2f 0 %.1f %zu -", size,
                    strlen(CY_R_FONT), CY_R_FONT, x, y, (double)len * size * 0.5, len);
    cy_r_buf_putn(bg, safe, len);
    cy_r_buf_puts(bg, " ");
    cy_free(safe);
}

/* Centroid of a projected ring (shoelace), the mean of its points when it
 * has no area. */
static void ring_centre(const double *x, const double *y, size_t n, double *cx,
                        double *cy, double *area)
{
    double a = 0, sx = 0, sy = 0, mx = 0, my = 0;
    for (size_t q = 0; q < n; q++) {
        size_t r = (q + 1) % n;
        double cross = x[q] * y[r] - x[r] * y[q];
        a += cross;
        sx += (x[q] + x[r]) * cross;
        sy += (y[q] + y[r]) * cross;
        mx += x[q] / (double)n;
        my += y[q] / (double)n;
    }
    *area = fabs(a / 2);
    if (fabs(a) < 1e-9) {
        *cx = mx;
        *cy = my;
    } else {
        *cx = sx / (3 * a);
        *cy = sy / (3 * a);
    }
}

/* One ring as an xdot polygon ("p n x y ..."), vertices closer than the
 * drawing's resolution dropped.  Returns the points kept. */
static size_t ring_polygon(map_builder *b, cy_r_buf *bg, size_t r, double *px,
                           double *py, double *label_area, double *lx, double *ly,
                           const char **label)
{
    const double *lon, *lat;
    const char *name;
    int hole;
    size_t count = cy_r_boundaries_ring(b->opt->boundaries, r, &lon, &lat, &hole, &name);
    size_t kept = 0;
    double cx, cy, area;
    for (size_t q = 0; q < count; q++) {
        double x, y;
        project(&b->pr, lon[q], lat[q], &x, &y);
        if (kept && hypot(x - px[kept - 1], y - py[kept - 1]) < OUTLINE_RESOLUTION)
            continue;
        px[kept] = x;
        py[kept] = y;
        kept++;
    }
    if (kept < 3)
        return kept;
    cy_r_buf_printf(bg, "S %d -%s p %zu", hole ? 6 : 5, hole ? "dashed" : "solid", kept);
    for (size_t q = 0; q < kept; q++)
        cy_r_buf_printf(bg, " %.2f %.2f", px[q], py[q]);
    cy_r_buf_puts(bg, " ");
    ring_centre(px, py, kept, &cx, &cy, &area);
    if (!hole && name && area > *label_area) {
        *label_area = area;
        *lx = cx;
        *ly = cy;
        *label = name;
    }
    return kept;
}

/* The outlines, each feature's name at the centre of its largest ring. */
static cy_status background_outlines(map_builder *b, cy_r_buf *bg)
{
    const cy_boundaries *bd = b->opt->boundaries;
    size_t rings = cy_boundaries_ring_count(bd), most = 0;
    double *px, *py;
    const char *label = NULL;
    double label_area = 0, lx = 0, ly = 0;
    size_t feature = (size_t)-1;
    for (size_t r = 0; r < rings; r++) {
        const double *lon, *lat;
        const char *name;
        int hole;
        size_t count = cy_r_boundaries_ring(bd, r, &lon, &lat, &hole, &name);
        most = count > most ? count : most;
    }
    px = cy_malloc((most ? most : 1) * sizeof *px);
    py = cy_malloc((most ? most : 1) * sizeof *py);
    if (!px || !py) {
        cy_free(px);
        cy_free(py);
        return CY_ENOMEM;
    }
    cy_r_buf_puts(bg, "c 7 -" OUTLINE_GREY " ");
    for (size_t r = 0; r < rings; r++) {
        size_t f = cy_r_boundaries_feature(bd, r);
        if (f != feature && label) { /* a new feature: label the last one */
            xdot_text(bg, lx, ly, 12, label);
            label = NULL;
            label_area = 0;
        }
        feature = f;
        ring_polygon(b, bg, r, px, py, &label_area, &lx, &ly, &label);
    }
    if (label)
        xdot_text(bg, lx, ly, 12, label);
    cy_free(px);
    cy_free(py);
    return bg->oom ? CY_ENOMEM : CY_OK;
}

/* A scale bar of a round length near 150 points, below the map. */
static void background_scale(map_builder *b, cy_r_buf *bg, double x, double y)
{
    static const double steps[] = {1, 2, 5};
    double kmpp = km_per_point(&b->pr), km = 1, len;
    char text[64];
    for (double decade = 0.1; decade < 1e5; decade *= 10)
        for (size_t k = 0; k < 3; k++)
            if (steps[k] * decade / kmpp <= 160)
                km = steps[k] * decade;
    len = km / kmpp;
    cy_r_buf_printf(bg, "c 7 -#333333 S 5 -solid S 15 -setlinewidth(1) L 2 %.2f %.2f %.2f %.2f "
                    "L 2 %.2f %.2f %.2f %.2f L 2 %.2f %.2f %.2f %.2f ",
                    x, y, x + len, y, x, y - 4, x, y + 4, x + len, y - 4, x + len, y + 4);
    snprintf(text, sizeof text, "%g km (at %.1f\xC2\xB0%c)", km, fabs(b->pr.mid_lat),
             b->pr.mid_lat >= 0 ? 'N' : 'S');
    cy_r_buf_printf(bg, "c 7 -#333333 ");
    xdot_text(bg, x, y - 16, 10, text);
}

/* The bounding box of everything drawn, and invisible corner nodes so that
 * Graphviz's drawing covers the outlines too. */
static cy_status add_background(map_builder *b)
{
    extent e = {0, 0, 0, 0, 0};
    extent_ctx ec;
    cy_r_buf bg;
    cy_status status;
    Agnode_t *lo = NULL, *hi = NULL;
    for (size_t k = 0; k < b->plan->node_count; k++)
        if (b->node[k].placed) {
            extent_add(&e, b->node[k].x - b->node[k].r - 60, b->node[k].y - b->node[k].r);
            extent_add(&e, b->node[k].x + b->node[k].r + 60, b->node[k].y + b->node[k].r);
        }
    for (size_t p = 0; p < b->net->group_count[CY_GROUP_PARK]; p++)
        if (b->park[p].placed) {
            extent_add(&e, b->park[p].x - b->park[p].r, b->park[p].y - b->park[p].r);
            extent_add(&e, b->park[p].x + b->park[p].r, b->park[p].y + b->park[p].r + 20);
        }
    memset(&ec, 0, sizeof ec);
    ec.pr = &b->pr;
    each_lonlat(b, add_projected, &ec);
    if (ec.e.any) {
        double x, y;
        x = (ec.e.xmin - b->pr.xmin) * b->pr.scale;
        y = (ec.e.ymin - b->pr.ymin) * b->pr.scale;
        extent_add(&e, x, y);
        extent_add(&e, (ec.e.xmax - b->pr.xmin) * b->pr.scale,
                   (ec.e.ymax - b->pr.ymin) * b->pr.scale);
    }
    if (!e.any)
        extent_add(&e, 0, 0);
    e.ymin -= 40; /* room for the scale bar */
    cy_r_buf_init(&bg);
    status = b->opt->boundaries ? background_outlines(b, &bg) : CY_OK;
    background_parks(b, &bg);
    if (status == CY_OK) {
        background_scale(b, &bg, e.xmin + MARGIN / 2, e.ymin + 12);
        if (!(lo = agnode(b->g, "corner0", 1)) || !(hi = agnode(b->g, "corner1", 1)))
            status = CY_ENOMEM;
    }
    if (status == CY_OK) {
        set(b, lo, "style", "invis", "");
        set(b, hi, "style", "invis", "");
        set(b, lo, "width", "0.01", "");
        set(b, hi, "width", "0.01", "");
        set_pos(b, lo, e.xmin - MARGIN / 2, e.ymin - MARGIN / 2);
        set_pos(b, hi, e.xmax + MARGIN / 2, e.ymax + MARGIN / 2);
        set_buf(b, b->g, "_background", &bg, "");
        status = b->failed ? CY_ENOMEM : CY_OK;
    }
    cy_r_buf_free(&bg);
    return status;
}

/* ---- legend ------------------------------------------------------------------- */

static void line_begin(cy_r_buf *h)
{
    cy_r_buf_puts(h, "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">");
}

static void line_end(cy_r_buf *h)
{
    cy_r_buf_puts(h, "</TD></TR>");
}

static void swatch(cy_r_buf *h, const char *color, const char *glyph, const char *text)
{
    cy_r_buf_printf(h, "<FONT COLOR=\"%s\" POINT-SIZE=\"16\">%s</FONT> ", color, glyph);
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    cy_r_buf_puts(h, "   ");
}

static void legend_text(cy_r_buf *h, const char *color, const char *glyph,
                        const char *text)
{
    line_begin(h);
    swatch(h, color, glyph, text);
    line_end(h);
}

static void legend_colors(map_builder *b, cy_r_buf *h)
{
    char hex[8];
    line_begin(h);
    cy_r_buf_puts(h, "<B>colour:</B> ");
    if (b->plan->color_by == CY_COLOR_REGION) {
        cy_r_buf_puts(h, "region   ");
        for (size_t r = 0; r < b->net->group_count[CY_GROUP_REGION]; r++) {
            const cy_i_group *g = &b->net->groups[CY_GROUP_REGION][r];
            if (r >= CY_R_CATEGORICAL_COUNT || !b->color_used[r])
                continue;
            cy_r_rgb_hex(cy_r_categorical(r), hex);
            swatch(h, hex, GLYPH_CIRCLE, g->name ? g->name : g->id);
        }
        if (b->color_used[CY_R_CATEGORICAL_COUNT]) {
            cy_r_rgb_hex(cy_r_categorical(CY_R_CATEGORICAL_COUNT), hex);
            swatch(h, hex, GLYPH_CIRCLE, "other regions");
        }
    } else {
        cy_r_buf_puts(h, "kind   ");
        for (int q = 0; q < CY_KIND_COUNT; q++) {
            if (!b->color_used[q])
                continue;
            cy_r_rgb_hex(cy_r_kind_color((cy_kind)q), hex);
            swatch(h, hex, GLYPH_CIRCLE, cy_kind_name((cy_kind)q));
        }
    }
    line_end(h);
}

static void legend_highlight(map_builder *b, cy_r_buf *h)
{
    const cy_r_highlight *hl = &b->hl;
    char text[256], lost[48], total[48];
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        snprintf(text, sizeof text, "single-source link: the customer gets a part from "
                 "this supplier only (%zu in the network)", hl->single_links_total);
        legend_text(h, RED, GLYPH_ARROW, text);
        snprintf(text, sizeof text, "red border: articulation point, its removal "
                 "disconnects the network (%zu)", hl->articulation_total);
        legend_text(h, RED, GLYPH_EMPTY_CIRCLE, text);
        snprintf(text, sizeof text, "double red border: chokepoint, its failure alone "
                 "stops an OEM (%zu)", hl->chokepoint_total);
        legend_text(h, RED, GLYPH_DOUBLE_CIRCLE, text);
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE) {
        const cy_i_enterprise *e = &b->net->enterprises[b->plan->cascade_firm];
        line_begin(h);
        swatch(h, DARK_RED, GLYPH_CIRCLE, "fails first: ");
        cy_r_buf_escaped(h, e->name ? e->name : e->id, CY_R_ESC_HTML);
        line_end(h);
        cy_r_format_amount(hl->output_lost, lost, sizeof lost);
        cy_r_format_amount(hl->output_total, total, sizeof total);
        snprintf(text, sizeof text, "fails in the cascade: %zu firm%s, output %s of %s "
                 "lost", hl->failed_count, hl->failed_count == 1 ? "" : "s", lost, total);
        legend_text(h, LIGHT_RED, GLYPH_CIRCLE, text);
    }
}

/* The legend lines after the title: what is drawn and what each mark means.
 * Only what the drawing has is explained. */
static void legend_body(map_builder *b, cy_r_buf *h)
{
    const cy_r_plan *plan = b->plan;
    char text[512], amount[48];
    int any_park = 0, demo = 0;
    for (size_t p = 0; p < b->net->group_count[CY_GROUP_PARK]; p++)
        if (b->park[p].placed) {
            any_park = 1;
            demo |= b->net->groups[CY_GROUP_PARK][p].demonstration;
        }
    line_begin(h);
    cy_r_buf_puts(h, "<FONT POINT-SIZE=\"13\" COLOR=\"#444444\">");
    snprintf(text, sizeof text, "map view (%s projection): %zu %s at their location%s, "
             "%zu flow%s", cy_projection_name(b->pr.projection), b->drawn_nodes,
             plan->aggregated ? "parks" : "enterprises",
             plan->aggregated ? "" : " or around their park's",
             b->drawn_edges, b->drawn_edges == 1 ? "" : "s");
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    cy_r_buf_puts(h, "</FONT>");
    line_end(h);
    if (plan->note[0] || (plan->aggregated && b->unplaced_nodes)) {
        line_begin(h);
        cy_r_buf_puts(h, "<FONT POINT-SIZE=\"12\" COLOR=\"#8a4b00\">");
        cy_r_buf_escaped(h, plan->note, CY_R_ESC_HTML);
        if (plan->aggregated && b->unplaced_nodes) {
            snprintf(text, sizeof text, "%s%zu group%s without a location (firms in no "
                     "park, parks without one) not drawn.", plan->note[0] ? " " : "",
                     b->unplaced_nodes, b->unplaced_nodes == 1 ? "" : "s");
            cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
        }
        cy_r_buf_puts(h, "</FONT>");
        line_end(h);
    }
    legend_colors(b, h);
    if (any_park && !plan->aggregated)
        legend_text(h, PARK_BORDER, GLYPH_EMPTY_CIRCLE,
                    demo ? "grey circles: parks, firms without a location of their own "
                           "spread inside (gold border and " GLYPH_STAR ": demonstration "
                           "zone or park)"
                         : "grey circles: parks, firms without a location of their own "
                           "spread inside");
    if (b->park_moved > 1) {
        snprintf(text, sizeof text, "park circles that overlapped are pushed apart (by "
                 "up to %.0f km)", b->park_moved * km_per_point(&b->pr));
        legend_text(h, PARK_BORDER, GLYPH_EMPTY_CIRCLE, text);
    }
    if (plan->size_by != CY_SIZE_NONE) {
        cy_r_format_amount(b->size_max, amount, sizeof amount);
        snprintf(text, sizeof text, "size: output value (largest %s/yr)", amount);
        legend_text(h, "#4d4d4d", GLYPH_EMPTY_CIRCLE, text);
    }
    if (b->drawn_edges) {
        cy_r_format_amount(b->edge_max, amount, sizeof amount);
        snprintf(text, sizeof text, "supplier " GLYPH_RIGHT " customer, width by supply "
                 "volume (largest %s/yr)%s", amount,
                 plan->hidden_volume > 0 ? "; lighter flows not drawn" : "");
        legend_text(h, "#707070", GLYPH_ARROW, text);
    }
    if (b->opt->boundaries) {
        snprintf(text, sizeof text, "outlines: the boundaries given (%zu ring%s)",
                 cy_boundaries_ring_count(b->opt->boundaries),
                 cy_boundaries_ring_count(b->opt->boundaries) == 1 ? "" : "s");
        legend_text(h, OUTLINE_GREY, GLYPH_LINE, text);
    }
    legend_highlight(b, h);
}

/* The root label, made distinct from every plain string (see build.c). */
static cy_status add_legend(map_builder *b)
{
    cy_r_buf h;
    char *html;
    cy_r_buf_init(&h);
    cy_r_buf_puts(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                      "CELLPADDING=\"1\">");
    line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"24\"><B>");
    cy_r_buf_escaped(&h, b->plan->title, CY_R_ESC_HTML);
    cy_r_buf_puts(&h, "</B></FONT>");
    line_end(&h);
    legend_body(b, &h);
    cy_r_buf_puts(&h, "</TABLE>");
    while (!h.oom && agstrbind(b->g, h.data))
        cy_r_buf_puts(&h, " ");
    if (h.oom || !(html = agstrdup_html(b->g, h.data))) {
        cy_r_buf_free(&h);
        return CY_ENOMEM;
    }
    set(b, b->g, "label", html, "");
    agstrfree(b->g, html);
    cy_r_buf_free(&h);
    return b->failed ? CY_ENOMEM : CY_OK;
}

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
    make_projector(&b);
    if ((status = place(&b)) != CY_OK)
        goto cleanup;
    graph_defaults(&b);
    add_park_labels(&b);
    status = CY_ENOMEM;
    if (b.failed || (status = add_nodes(&b)) != CY_OK || (status = add_edges(&b)) != CY_OK ||
        (status = add_background(&b)) != CY_OK || (status = add_legend(&b)) != CY_OK)
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
