/*
 * plot_stress.c - the chart of the stress tests of Simchi-Levi et al.:
 * one point per disruption at (time to recover, time to survive), the
 * diagonal TTS = TTR, the exposed disruptions (below it: they run out
 * before they recover) in vermillion and labelled, the largest first.
 * Drawn with cairo like the robustness plot (plot.c).
 */
#include "plot_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Exposed disruptions labelled with their id, the largest impacts first. */
#define MAX_LABELS 12

typedef struct {
    const cy_stress_result *result;
    const char *title, *subtitle;
    double top;           /* the axes run from 0 to `top` days */
    double step;          /* between ticks */
    double largest;       /* the largest impact, for the marker areas */
} stress_plot;

/* 1, 2 or 5 times a power of ten, giving at most 10 ticks up to `top`. */
static double tick_step(double top)
{
    double unit = pow(10.0, floor(log10(top / 10.0)));
    static const double mult[] = {1, 2, 5, 10};
    for (size_t k = 0; k < sizeof mult / sizeof mult[0]; k++)
        if (top / (unit * mult[k]) <= 10.0)
            return unit * mult[k];
    return unit * 10.0;
}

static double to_x(const layout *l, const stress_plot *p, double days)
{
    return l->left + fmin(days, p->top) / p->top * (l->right - l->left);
}

static double to_y(const layout *l, const stress_plot *p, double days)
{
    return l->bottom - fmin(days, p->top) / p->top * (l->bottom - l->top);
}

/* The exposed area under the diagonal, the grid, the frame, ticks and axis
 * titles. */
static void draw_axes(cairo_t *cr, const layout *l, const stress_plot *p)
{
    char label[32];

    cairo_set_source_rgba(cr, 0.835, 0.369, 0.0, 0.07);
    cairo_move_to(cr, l->left, l->bottom);
    cairo_line_to(cr, l->right, l->bottom);
    cairo_line_to(cr, l->right, l->top);
    cairo_close_path(cr);
    cairo_fill(cr);
    cairo_set_line_width(cr, 1.0);
    cy_p_set_font(cr, 11, 0);
    for (double v = 0; v <= p->top * (1 + 1e-9); v += p->step) {
        double x = to_x(l, p, v), y = to_y(l, p, v);
        cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
        cairo_move_to(cr, x, l->top);
        cairo_line_to(cr, x, l->bottom);
        cairo_move_to(cr, l->left, y);
        cairo_line_to(cr, l->right, y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        snprintf(label, sizeof label, "%g", v);
        cy_p_draw_text(cr, label, x, l->bottom + 18, 0.5);
        cy_p_draw_text(cr, label, l->left - 8, y + 4, 1.0);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.2);
    cairo_rectangle(cr, l->left, l->top, l->right - l->left, l->bottom - l->top);
    cairo_stroke(cr);
    cy_p_set_font(cr, 13, 0);
    cy_p_draw_text(cr, _("time to recover, TTR (days)"), (l->left + l->right) / 2,
                   l->bottom + 40, 0.5);
    cairo_save(cr);
    cairo_translate(cr, l->left - 44, (l->top + l->bottom) / 2);
    cairo_rotate(cr, -M_PI / 2);
    cy_p_draw_text(cr, _("time to survive, TTS (days)"), 0, 0, 0.5);
    cairo_restore(cr);
}

static void draw_diagonal(cairo_t *cr, const layout *l, const stress_plot *p)
{
    static const double dash[] = {7.0, 4.0};
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    cairo_set_line_width(cr, 1.4);
    cairo_set_dash(cr, dash, 2, 0);
    cairo_move_to(cr, to_x(l, p, 0), to_y(l, p, 0));
    cairo_line_to(cr, to_x(l, p, p->top), to_y(l, p, p->top));
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    cy_p_set_font(cr, 11, 0);
    cy_p_draw_text(cr, "TTS = TTR", to_x(l, p, p->top * 0.62) + 6,
                   to_y(l, p, p->top * 0.62) + 4, 0.0);
}

/* Marker area in proportion to the impact (radius 2.5 to 10). */
static double radius(const stress_plot *p, double impact)
{
    return p->largest > 0 ? 2.5 + 7.5 * sqrt(fmax(impact, 0) / p->largest) : 3.5;
}

/* A circle at (x, y), or, for a disruption that survives the horizon, an
 * open triangle pointing up at the top of the chart. */
static void draw_marker(cairo_t *cr, double x, double y, double r, int survives,
                        int exposed)
{
    cy_p_set_color(cr, exposed ? 1 : 0, survives ? 1.0 : 0.55);
    cairo_set_line_width(cr, 1.2);
    cairo_new_path(cr); /* text leaves a current point */
    if (survives) {
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r, y + r * 0.8);
        cairo_line_to(cr, x - r, y + r * 0.8);
        cairo_close_path(cr);
        cairo_stroke(cr);
        return;
    }
    cairo_arc(cr, x, y, r, 0, 2 * M_PI);
    cairo_fill_preserve(cr);
    cy_p_set_color(cr, exposed ? 1 : 0, 1.0);
    cairo_stroke(cr);
}

static void draw_points(cairo_t *cr, const layout *l, const stress_plot *p)
{
    const cy_stress_result *r = p->result;
    /* Smallest impacts first, so that the large markers stay on top. */
    for (size_t k = r->count; k-- > 0;) {
        const cy_stress_disruption *d = &r->disruptions[k];
        double y = d->survives ? p->top : d->tts_days;
        draw_marker(cr, to_x(l, p, d->ttr_days), to_y(l, p, y), radius(p, d->impact),
                    d->survives, d->exposed);
    }
}

/* A placed label's box. */
typedef struct {
    double x0, y0, x1, y1;
} box;

static int overlaps(const box *placed, size_t count, const box *b)
{
    for (size_t k = 0; k < count; k++)
        if (b->x0 < placed[k].x1 && placed[k].x0 < b->x1 && b->y0 < placed[k].y1 &&
            placed[k].y0 < b->y1)
            return 1;
    return 0;
}

/* Lines tried above and below the marker's own before a label gives up. */
#define LABEL_SHIFTS 6

/* A thin grey line from the marker's edge towards the label's near side,
 * so that a label moved off its marker still points at it. */
static void draw_leader(cairo_t *cr, double mx, double my, double r, const box *b)
{
    double tx = b->x0 > mx ? b->x0 - 1 : b->x1 + 1, ty = (b->y0 + b->y1) / 2;
    double dx = tx - mx, dy = ty - my, length = hypot(dx, dy);
    if (length <= r + 2)
        return;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, mx + dx / length * (r + 1), my + dy / length * (r + 1));
    cairo_line_to(cr, tx, ty);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/*
 * Label `id` beside a marker at (mx, my) of radius r: on its line, right
 * of it (left at the chart's right edge), else a line further up or down
 * at a time, alternately (up first in the lower half of the chart, where
 * the markers crowd along the bottom), up to LABEL_SHIFTS lines each way,
 * until it overlaps no label placed before.  A label off the marker's
 * line gets a leader line to it.  Returns 0 when no place is free.
 */
static int place_label(cairo_t *cr, const layout *l, const char *id, double mx,
                       double my, double r, box *placed, size_t count)
{
    double w = cy_p_text_width(cr, id), h = 13;
    double first = my > (l->top + l->bottom) / 2 ? -1.0 : 1.0;
    for (int step = 0; step <= 2 * LABEL_SHIFTS; step++) {
        int shift = (step + 1) / 2;
        double direction = step % 2 ? first : -first;
        box b;
        b.x0 = mx + r + 3;
        if (b.x0 + w > l->right - 2)
            b.x0 = mx - r - 3 - w;
        b.x1 = b.x0 + w;
        b.y1 = my + 4 + direction * shift * h + 3;
        b.y0 = b.y1 - h;
        if (b.y0 < l->top || b.y1 > l->bottom || overlaps(placed, count, &b))
            continue;
        if (shift)
            draw_leader(cr, mx, my, r, &b);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cy_p_draw_text(cr, id, b.x0, b.y1 - 3, 0.0);
        placed[count] = b;
        return 1;
    }
    return 0;
}

/* How many labels were asked for and how many found a place. */
typedef struct {
    size_t wanted, placed;
} labels;

/* The ids of the MAX_LABELS exposed disruptions with the largest impact
 * (the result is ranked by impact) beside their markers; one with no free
 * place is left out, not replaced by a smaller one, so that the labels
 * are always among the largest. */
static labels draw_labels(cairo_t *cr, const layout *l, const stress_plot *p)
{
    const cy_stress_result *r = p->result;
    box placed[MAX_LABELS];
    labels got = {0, 0};

    cy_p_set_font(cr, 11, 0);
    for (size_t k = 0; k < r->count && got.wanted < MAX_LABELS; k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        if (!d->exposed)
            continue;
        got.wanted++;
        if (place_label(cr, l, d->id, to_x(l, p, d->ttr_days), to_y(l, p, d->tts_days),
                        radius(p, d->impact), placed, got.placed))
            got.placed++;
    }
    return got;
}

static size_t exposed_count(const cy_stress_result *r)
{
    size_t count = 0;
    for (size_t k = 0; k < r->count; k++)
        count += r->disruptions[k].exposed != 0;
    return count;
}

/* The three markers and what they mean, then what a marker's area is
 * (every marker's, circles' as triangles'). */
#define LEGEND_LINES 4
static void draw_legend(cairo_t *cr, const layout *l, const stress_plot *p, labels got)
{
    char lines[LEGEND_LINES][160];
    double widest = 0, x, y, pad = 9, row = 19;

    if (got.placed == got.wanted)
        snprintf(lines[0], sizeof lines[0],
                 _("exposed (TTS < TTR): %zu, the %zu largest impacts labelled"),
                 exposed_count(p->result), got.placed);
    else
        snprintf(lines[0], sizeof lines[0],
                 _("exposed (TTS < TTR): %zu, %zu of the %zu largest impacts labelled"),
                 exposed_count(p->result), got.placed, got.wanted);
    snprintf(lines[1], sizeof lines[1], _("not exposed"));
    snprintf(lines[2], sizeof lines[2], _("survives the %g-day horizon"),
             p->result->horizon_days);
    snprintf(lines[3], sizeof lines[3], _("marker area: impact over the time to recover"));
    cy_p_set_font(cr, 12, 0);
    for (size_t k = 0; k < LEGEND_LINES; k++)
        widest = fmax(widest, cy_p_text_width(cr, lines[k]));
    /* Top left: above the diagonal at short recovery times, where
     * disruptions are rare. */
    cy_p_legend_box(cr, l, pad + 20 + 8 + widest + pad, pad + LEGEND_LINES * row + pad - 5, 1,
                    &x, &y);
    for (size_t k = 0; k < LEGEND_LINES; k++) {
        double base = y + pad + row * (double)k + 10;
        if (k < 3)
            draw_marker(cr, x + pad + 10, base - 4, 5, k == 2, k == 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cy_p_draw_text(cr, lines[k], x + pad + 28, base, 0.0);
    }
}

static void draw_stress(cairo_t *cr, const layout *l, void *closure)
{
    stress_plot *p = closure;
    labels got;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cy_p_draw_titles(cr, l, p->title, p->subtitle);
    draw_axes(cr, l, p);
    cairo_save(cr);
    cairo_rectangle(cr, l->left - 12, l->top - 12, l->right - l->left + 24,
                    l->bottom - l->top + 24);
    cairo_clip(cr);
    draw_diagonal(cr, l, p);
    draw_points(cr, l, p);
    got = draw_labels(cr, l, p);
    cairo_restore(cr);
    if (p->result->count == 0) {
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        cy_p_set_font(cr, 14, 0);
        cy_p_draw_text(cr, _("no disruption"), (l->left + l->right) / 2,
                       (l->top + l->bottom) / 2, 0.5);
    }
    draw_legend(cr, l, p, got);
}

/* The axes' end: past every finite TTS and every TTR, with a margin. */
static void scale_axes(stress_plot *p)
{
    const cy_stress_result *r = p->result;
    double largest_days = 0;

    p->largest = 0;
    for (size_t k = 0; k < r->count; k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        largest_days = fmax(largest_days, d->ttr_days);
        if (!d->survives)
            largest_days = fmax(largest_days, d->tts_days);
        p->largest = fmax(p->largest, d->impact);
    }
    largest_days = fmax(largest_days * 1.1, 1.0);
    p->step = tick_step(largest_days);
    p->top = ceil(largest_days / p->step) * p->step;
}

cy_status cy_plot_stress(const cy_network *net, const cy_stress_result *result,
                         const cy_plot_options *options, cy_plot_format format,
                         unsigned char **data, size_t *size, cy_error *err)
{
    cy_plot_options opts = {NULL, NULL, NULL, 0, 0};
    stress_plot plot;
    char subtitle[768];

    *data = NULL;
    *size = 0;
    if (options)
        opts = *options;
    if (!cy_p_size_ok(&opts, format, err))
        return CY_EUSAGE;
    if (!opts.subtitle) {
        const char *name = opts.network ? opts.network : cy_network_name(net);
        int used = snprintf(subtitle, sizeof subtitle, _("%s: %zu disruption%s; horizon %g days"),
                            name, result->count, result->count == 1 ? "" : "s",
                            result->horizon_days);
        /* analyst17: the plot of the automakers' demand alone did not say
         * so, and read as the network's. */
        if (result->demand_of && used > 0 && (size_t)used < sizeof subtitle)
            snprintf(subtitle + used, sizeof subtitle - (size_t)used,
                     _("; final demand counted: only that of the --demand-of firms (%zu)"),
                     result->demand_of_count);
        opts.subtitle = subtitle;
    }
    plot.result = result;
    plot.title = opts.title ? opts.title : _("Time to survive against time to recover");
    plot.subtitle = opts.subtitle;
    scale_axes(&plot);
    return cy_p_render(format, opts.width, opts.height, draw_stress, &plot, data, size, err);
}

/* cy_plot_stress's arguments, for cy_p_plot_file. */
typedef struct {
    const cy_network *net;
    const cy_stress_result *result;
    const cy_plot_options *options;
} stress_file;

static cy_status render_stress(void *closure, cy_plot_format format,
                               unsigned char **data, size_t *size, cy_error *err)
{
    stress_file *f = closure;
    return cy_plot_stress(f->net, f->result, f->options, format, data, size, err);
}

cy_status cy_plot_stress_file(const char *path, const char *input_path,
                              const cy_network *net, const cy_stress_result *result,
                              const cy_plot_options *options, cy_error *err)
{
    stress_file f = {net, result, options};
    return cy_p_plot_file(path, input_path, render_stress, &f, err);
}
