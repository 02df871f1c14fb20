/*
 * map_background.c - what lies under the map: park circles, the user's
 * boundaries and a scale bar, as xdot drawing operations in the graph's
 * _background, so that thousands of outline points cost no graph objects.
 */
#include "map_internal.h"

#include <stdlib.h>
#include <string.h>

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
        cy_r_map_project(&b->pr, lon[q], lat[q], &x, &y);
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
    double kmpp = cy_r_map_km_per_point(&b->pr), km = 1, len;
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

/* The bounding box of everything drawn, and invisible corner nodes so that
 * Graphviz's drawing covers the outlines too. */
cy_status cy_r_map_background_add(map_builder *b)
{
    extent e = {0, 0, 0, 0, 0};
    extent located;
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
    cy_r_map_located_extent(b, &located);
    if (located.any) {
        double x, y;
        x = (located.xmin - b->pr.xmin) * b->pr.scale;
        y = (located.ymin - b->pr.ymin) * b->pr.scale;
        extent_add(&e, x, y);
        extent_add(&e, (located.xmax - b->pr.xmin) * b->pr.scale,
                   (located.ymax - b->pr.ymin) * b->pr.scale);
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
