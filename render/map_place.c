/*
 * map_place.c - where things go on the map: the projection (equirectangular
 * or Web Mercator) scaled to fit every located node, park and outline
 * point, firms at their own location or spread around their park's on a
 * sunflower spiral, and park circles pushed apart until they do not overlap.
 */
#include "map_internal.h"

#include <stdlib.h>
#include <string.h>

static void project_raw(const projector *pr, double lon, double lat, double *x, double *y)
{
    if (pr->projection == CY_PROJECTION_MERCATOR) {
        double phi = fmax(-MERCATOR_MAX_LAT, fmin(MERCATOR_MAX_LAT, lat)) * MAP_PI / 180;
        *x = lon * MAP_PI / 180;
        *y = log(tan(MAP_PI / 4 + phi / 2));
    } else {
        *x = lon * pr->cos_mid;
        *y = lat;
    }
}

void cy_r_map_project(const projector *pr, double lon, double lat, double *x, double *y)
{
    project_raw(pr, lon, lat, x, y);
    *x = (*x - pr->xmin) * pr->scale + pr->ox;
    *y = (*y - pr->ymin) * pr->scale + pr->oy;
}

/* Kilometres on the ground per point on the map at the mid latitude. */
double cy_r_map_km_per_point(const projector *pr)
{
    double km_per_unit = pr->projection == CY_PROJECTION_MERCATOR
                             ? EARTH_KM * cos(pr->mid_lat * MAP_PI / 180)
                             : EARTH_KM * MAP_PI / 180;
    return km_per_unit / pr->scale;
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

void cy_r_map_located_extent(const map_builder *b, extent *e)
{
    extent_ctx ec;
    memset(&ec, 0, sizeof ec);
    ec.pr = &b->pr;
    each_lonlat(b, add_projected, &ec);
    *e = ec.e;
}

/* The projection and the scale that fits everything into MAP_SIZE. */
void cy_r_map_projector_make(map_builder *b)
{
    lat_range lr = {0, 0, 0};
    extent_ctx ec;
    double dx, dy, min_span;
    each_lonlat(b, add_lat, &lr);
    b->pr.projection = b->opt->projection;
    b->pr.mid_lat = lr.any ? (lr.lat_min + lr.lat_max) / 2 : 0;
    b->pr.cos_mid = cos(b->pr.mid_lat * MAP_PI / 180);
    memset(&ec, 0, sizeof ec);
    ec.pr = &b->pr;
    each_lonlat(b, add_projected, &ec);
    /* A map of one place still shows some 50 km around it. */
    min_span = b->pr.projection == CY_PROJECTION_MERCATOR ? 0.5 * MAP_PI / 180 : 0.5;
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
    double dmax = 0, c, golden = MAP_PI * (3 - sqrt(5.0)), outer = 0;
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
cy_status cy_r_map_place(map_builder *b)
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
        cy_r_map_project(&b->pr, g->lon, g->lat, &b->park[p].x, &b->park[p].y);
        b->park[p].placed = 1;
        b->park[p].r = 8;
    }
    for (size_t k = 0; k < nodes; k++) {
        double lon, lat;
        b->node[k].r = diameter(b, k) / 2;
        if (node_park(b, k) < 0 && node_lonlat(b, k, &lon, &lat)) {
            cy_r_map_project(&b->pr, lon, lat, &b->node[k].x, &b->node[k].y);
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
