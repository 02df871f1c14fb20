/*
 * plot.c - robustness curves drawn with cairo, to SVG or PNG in memory,
 * then written atomically.
 *
 * Everything is laid out in a logical coordinate system (default 800 x
 * 500); the PNG surface is twice as large and scaled by 2 so that text and
 * lines stay sharp.  Colours are the Okabe-Ito palette, which stays
 * distinguishable for colour-blind readers; the output curve is dashed so
 * that the two metrics differ without colour too.
 */
#include "plot_internal.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FONT_FAMILY "Noto Sans CJK SC"
#define PNG_SCALE 2.0

int cy_plot_format_from_path(const char *path, cy_plot_format *format)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return 0;
    if (strcasecmp(dot, ".svg") == 0)
        *format = CY_PLOT_SVG;
    else if (strcasecmp(dot, ".png") == 0)
        *format = CY_PLOT_PNG;
    else
        return 0;
    return 1;
}

/* ---- a growable byte buffer cairo writes into ------------------------------ */

typedef struct {
    unsigned char *data;
    size_t size, capacity;
    int oom;
} byte_buffer;

static cairo_status_t buffer_write(void *closure, const unsigned char *data,
                                   unsigned int length)
{
    byte_buffer *b = closure;
    if (b->size + length > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 16384;
        unsigned char *grown;
        while (cap < b->size + length)
            cap *= 2;
        grown = cy_realloc(b->data, cap);
        if (!grown) {
            b->oom = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->data = grown;
        b->capacity = cap;
    }
    memcpy(b->data + b->size, data, length);
    b->size += length;
    return CAIRO_STATUS_SUCCESS;
}

/* ---- layout ------------------------------------------------------------ */

static double to_x(const layout *l, double fraction)
{
    return l->left + fraction * (l->right - l->left);
}

static double to_y(const layout *l, double fraction)
{
    return l->bottom - fraction * (l->bottom - l->top);
}

static const double palette[][3] = {
    {0.000, 0.447, 0.698}, /* blue */
    {0.835, 0.369, 0.000}, /* vermillion */
    {0.000, 0.620, 0.451}, /* bluish green */
    {0.800, 0.475, 0.655}, /* reddish purple */
    {0.902, 0.624, 0.000}, /* orange */
    {0.337, 0.706, 0.914}, /* sky blue */
};
#define PALETTE_SIZE (sizeof palette / sizeof palette[0])

void cy_p_set_color(cairo_t *cr, size_t index, double alpha)
{
    const double *c = palette[index % PALETTE_SIZE];
    cairo_set_source_rgba(cr, c[0], c[1], c[2], alpha);
}

void cy_p_set_font(cairo_t *cr, double size, int bold)
{
    cairo_select_font_face(cr, FONT_FAMILY, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

/* Draw `text` with its anchor at (x, y): align 0 left, 0.5 centre, 1 right;
 * y is the baseline. */
void cy_p_draw_text(cairo_t *cr, const char *text, double x, double y,
                    double align)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    cairo_move_to(cr, x - align * ext.x_advance, y);
    cairo_show_text(cr, text);
}

double cy_p_text_width(cairo_t *cr, const char *text)
{
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text, &ext);
    return ext.x_advance;
}

/* Grid, ticks with labels every 0.1 on x and 0.2 on y, axis titles;
 * `removed` names what the x axis counts. */
static void draw_axes(cairo_t *cr, const layout *l, const char *removed)
{
    char label[16];

    cairo_set_line_width(cr, 1.0);
    for (int k = 0; k <= 10; k++) {
        double x = to_x(l, k / 10.0);
        cairo_set_source_rgb(cr, 0.90, 0.90, 0.90);
        cairo_move_to(cr, x, l->top);
        cairo_line_to(cr, x, l->bottom);
        cairo_stroke(cr);
    }
    for (int k = 0; k <= 10; k += 2) {
        double y = to_y(l, k / 10.0);
        cairo_move_to(cr, l->left, y);
        cairo_line_to(cr, l->right, y);
        cairo_stroke(cr);
    }
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(cr, 1.2);
    cairo_rectangle(cr, l->left, l->top, l->right - l->left, l->bottom - l->top);
    cairo_stroke(cr);

    cy_p_set_font(cr, 11, 0);
    for (int k = 0; k <= 10; k++) {
        double x = to_x(l, k / 10.0);
        cairo_move_to(cr, x, l->bottom);
        cairo_line_to(cr, x, l->bottom + 5);
        cairo_stroke(cr);
        snprintf(label, sizeof label, "%d%%", k * 10);
        cy_p_draw_text(cr, label, x, l->bottom + 18, 0.5);
    }
    for (int k = 0; k <= 10; k += 2) {
        double y = to_y(l, k / 10.0);
        cairo_move_to(cr, l->left - 5, y);
        cairo_line_to(cr, l->left, y);
        cairo_stroke(cr);
        snprintf(label, sizeof label, "%.1f", k / 10.0);
        cy_p_draw_text(cr, label, l->left - 8, y + 4, 1.0);
    }
    cy_p_set_font(cr, 13, 0);
    cy_p_draw_text(cr, removed, (l->left + l->right) / 2, l->bottom + 40, 0.5);
    cairo_save(cr);
    cairo_translate(cr, l->left - 44, (l->top + l->bottom) / 2);
    cairo_rotate(cr, -M_PI / 2);
    cy_p_draw_text(cr, _("fraction remaining"), 0, 0, 0.5);
    cairo_restore(cr);
}

/* Which value of a point a series draws. */
typedef enum { SERIES_LCC, SERIES_OUTPUT } series_kind;

static double point_value(const cy_curve_point *p, series_kind kind)
{
    return kind == SERIES_LCC ? p->lcc_fraction : p->output_fraction;
}

/* A polyline through the points, broken where a value is NaN. */
static void draw_series(cairo_t *cr, const layout *l, const cy_resilience_curve *c,
                        series_kind kind)
{
    int pen_down = 0;
    for (size_t k = 0; k < c->point_count; k++) {
        double v = point_value(&c->points[k], kind);
        if (isnan(v)) {
            pen_down = 0;
            continue;
        }
        if (pen_down)
            cairo_line_to(cr, to_x(l, c->points[k].removed_fraction), to_y(l, v));
        else
            cairo_move_to(cr, to_x(l, c->points[k].removed_fraction), to_y(l, v));
        pen_down = 1;
    }
    cairo_stroke(cr);
}

/* The band mean +- one standard deviation of the lcc fraction, clipped to
 * [0, 1]. */
static void draw_band(cairo_t *cr, const layout *l, const cy_resilience_curve *c)
{
    if (c->point_count == 0)
        return;
    for (size_t k = 0; k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        double hi = fmin(1.0, p->lcc_fraction + p->lcc_fraction_sd);
        if (k == 0)
            cairo_move_to(cr, to_x(l, p->removed_fraction), to_y(l, hi));
        else
            cairo_line_to(cr, to_x(l, p->removed_fraction), to_y(l, hi));
    }
    for (size_t k = c->point_count; k-- > 0;) {
        const cy_curve_point *p = &c->points[k];
        double lo = fmax(0.0, p->lcc_fraction - p->lcc_fraction_sd);
        cairo_line_to(cr, to_x(l, p->removed_fraction), to_y(l, lo));
    }
    cairo_close_path(cr);
    cairo_fill(cr);
}

typedef enum { SERIES_LCC_SAMPLE, SERIES_OUTPUT_SAMPLE, CRITICAL_SAMPLE } sample_kind;

typedef struct {
    size_t color;        /* palette index; ignored for CRITICAL_SAMPLE */
    sample_kind sample;
    char text[160];
} legend_entry;

void cy_p_legend_box(cairo_t *cr, const layout *l, double width, double height,
                     int at_left, double *x, double *y)
{
    *x = at_left ? l->left + 10 : l->right - 10 - width;
    *y = l->top + 10;
    cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
    cairo_rectangle(cr, *x, *y, width, height);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
}

/* The legend in the top right corner of the plot area, on white. */
static void draw_legend(cairo_t *cr, const layout *l, const legend_entry *entries,
                        size_t count)
{
    double widest = 0, row = 19, pad = 9, sample = 30, box_w, box_h, x, y;

    if (!count)
        return;
    cy_p_set_font(cr, 12, 0);
    for (size_t k = 0; k < count; k++)
        widest = fmax(widest, cy_p_text_width(cr, entries[k].text));
    box_w = pad + sample + 8 + widest + pad;
    box_h = pad + row * (double)count + pad - 5;
    cy_p_legend_box(cr, l, box_w, box_h, 0, &x, &y);
    for (size_t k = 0; k < count; k++) {
        double base = y + pad + row * (double)k + 10;
        static const double dash[] = {7.0, 4.0}, dots[] = {2.0, 3.0};
        if (entries[k].sample == CRITICAL_SAMPLE) {
            cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
            cairo_set_line_width(cr, 1.2);
            cairo_set_dash(cr, dots, 2, 0);
        } else {
            cy_p_set_color(cr, entries[k].color, 1.0);
            cairo_set_line_width(cr, 2.2);
            cairo_set_dash(cr, dash, entries[k].sample == SERIES_OUTPUT_SAMPLE ? 2 : 0, 0);
        }
        cairo_move_to(cr, x + pad, base - 4);
        cairo_line_to(cr, x + pad + sample, base - 4);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cy_p_draw_text(cr, entries[k].text, x + pad + sample + 8, base, 0.0);
    }
}

/*
 * Draw one line of text centred at (x, y) within max_width: at `size` if
 * it fits, else at a smaller size down to 10, else cut at a UTF-8
 * character boundary and ended with an ellipsis.
 */
static void draw_fitted(cairo_t *cr, const char *text, double x, double y,
                        double max_width, double size, int bold)
{
    char cut[512];
    size_t len;

    for (; size > 10.0; size -= 0.5) {
        cy_p_set_font(cr, size, bold);
        if (cy_p_text_width(cr, text) <= max_width)
            break;
    }
    cy_p_set_font(cr, size, bold);
    if (cy_p_text_width(cr, text) <= max_width) {
        cy_p_draw_text(cr, text, x, y, 0.5);
        return;
    }
    len = strlen(text);
    if (len > sizeof cut - 4)
        len = sizeof cut - 4;
    while (len > 0) {
        while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
            len--; /* never split a UTF-8 sequence */
        memcpy(cut, text, len);
        memcpy(cut + len, "\xE2\x80\xA6", 4); /* U+2026 and the NUL */
        if (cy_p_text_width(cr, cut) <= max_width)
            break;
        len--;
    }
    cy_p_draw_text(cr, cut, x, y, 0.5);
}

/* Title and subtitle, centred above the plot area. */
void cy_p_draw_titles(cairo_t *cr, const layout *l, const char *title,
                      const char *subtitle)
{
    cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
    draw_fitted(cr, title, l->width / 2, 28, l->width - 24, 17, 1);
    cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
    draw_fitted(cr, subtitle, l->width / 2, 47, l->width - 24, 12, 0);
}

static void default_subtitle(const cy_resilience_curve *curves, size_t count,
                             const char *network, char *out, size_t size)
{
    size_t used = (size_t)snprintf(out, size, _("%s%s%zu enterprises"),
                                   network ? network : "", network ? ": " : "",
                                   curves[0].enterprise_count);
    if (curves[0].by != CY_BY_ENTERPRISE && used < size)
        used += (size_t)snprintf(out + used, size - used, _(" in %zu %ss"),
                                 curves[0].unit_count, cy_resilience_by_name(curves[0].by));
    for (size_t k = 0; k < count && used < size; k++) {
        if (curves[k].attack == CY_ATTACK_RANDOM && curves[k].trials > 1) {
            snprintf(out + used, size - used,
                     _("; random: mean of %zu trials, band = one standard deviation"),
                     curves[k].trials);
            break;
        }
    }
}

/* Everything on one cairo context in logical coordinates. */
static void draw_plot(cairo_t *cr, const layout *l, const cy_resilience_curve *curves,
                      size_t count, const char *title, const char *subtitle,
                      legend_entry *entries)
{
    static const double dash[] = {7.0, 4.0}, dots[] = {2.0, 3.0};
    size_t entry_count = 0;

    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cy_p_draw_titles(cr, l, title, subtitle);
    draw_axes(cr, l, curves[0].by == CY_BY_PARK     ? _("parks removed")
                     : curves[0].by == CY_BY_REGION ? _("regions removed")
                                                    : _("enterprises removed"));

    cairo_save(cr);
    cairo_rectangle(cr, l->left, l->top - 2, l->right - l->left, l->bottom - l->top + 4);
    cairo_clip(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t k = 0; k < count; k++) {
        const cy_resilience_curve *c = &curves[k];
        const char *attack = _(cy_attack_name(c->attack));
        if ((c->metric & CY_METRIC_LCC) && c->trials > 1) {
            cy_p_set_color(cr, k, 0.18);
            draw_band(cr, l, c);
        }
        if (!isnan(c->critical_fraction) && (c->metric & CY_METRIC_LCC)) {
            cy_p_set_color(cr, k, 0.7);
            cairo_set_line_width(cr, 1.2);
            cairo_set_dash(cr, dots, 2, 0);
            cairo_move_to(cr, to_x(l, c->critical_fraction), l->top);
            cairo_line_to(cr, to_x(l, c->critical_fraction), l->bottom);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
        if (c->metric & CY_METRIC_LCC) {
            cy_p_set_color(cr, k, 1.0);
            cairo_set_line_width(cr, 2.4);
            draw_series(cr, l, c, SERIES_LCC);
            entries[entry_count].color = k;
            entries[entry_count].sample = SERIES_LCC_SAMPLE;
            if (isnan(c->critical_fraction))
                snprintf(entries[entry_count++].text, sizeof entries->text,
                         _("%s: largest component"), attack);
            else
                snprintf(entries[entry_count++].text, sizeof entries->text,
                         _("%s: largest component (R = %.3f, critical %.0f%%)"),
                         attack, c->r_index, 100.0 * c->critical_fraction);
        }
        if ((c->metric & CY_METRIC_OUTPUT) && c->has_output) {
            cy_p_set_color(cr, k, 1.0);
            cairo_set_line_width(cr, 2.4);
            cairo_set_dash(cr, dash, 2, 0);
            draw_series(cr, l, c, SERIES_OUTPUT);
            cairo_set_dash(cr, NULL, 0, 0);
            entries[entry_count].color = k;
            entries[entry_count].sample = SERIES_OUTPUT_SAMPLE;
            snprintf(entries[entry_count++].text, sizeof entries->text,
                     _("%s: final demand still served"), attack);
        }
    }
    cairo_restore(cr);
    for (size_t k = 0; k < count; k++) {
        if (!isnan(curves[k].critical_fraction) && (curves[k].metric & CY_METRIC_LCC)) {
            entries[entry_count].sample = CRITICAL_SAMPLE;
            snprintf(entries[entry_count++].text, sizeof entries->text,
                     _("critical fraction: largest component ≤ %g%%"),
                     100.0 * CY_CRITICAL_LCC_FRACTION);
            break;
        }
    }
    if (curves[0].enterprise_count == 0) {
        cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
        cy_p_set_font(cr, 14, 0);
        cy_p_draw_text(cr, _("no enterprises: nothing to remove"),
                  (l->left + l->right) / 2, (l->top + l->bottom) / 2, 0.5);
    }
    draw_legend(cr, l, entries, entry_count);
}

cy_status cy_p_render(cy_plot_format format, int width, int height,
                      void (*draw)(cairo_t *cr, const layout *l, void *closure),
                      void *closure, unsigned char **data, size_t *size,
                      cy_error *err)
{
    byte_buffer buffer = {NULL, 0, 0, 0};
    cairo_surface_t *surface;
    cairo_status_t cs;
    cairo_t *cr;
    layout l;

    l.width = width;
    l.height = height;
    l.left = 78;
    l.right = width - 22;
    l.top = 62;
    l.bottom = height - 56;
    if (format == CY_PLOT_SVG) {
        surface = cairo_svg_surface_create_for_stream(buffer_write, &buffer, width, height);
        /* Pixels, not cairo's default points: 800 x 500 on a web page is
         * what the HTML report lays out. */
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PX);
    } else
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(width * PNG_SCALE),
                                             (int)(height * PNG_SCALE));
    cr = cairo_create(surface);
    if (format == CY_PLOT_PNG)
        cairo_scale(cr, PNG_SCALE, PNG_SCALE);
    draw(cr, &l, closure);
    cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs == CAIRO_STATUS_SUCCESS && format == CY_PLOT_PNG)
        cs = cairo_surface_write_to_png_stream(surface, buffer_write, &buffer);
    cairo_surface_finish(surface); /* the SVG surface writes its end here */
    if (cs == CAIRO_STATUS_SUCCESS)
        cs = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (buffer.oom || cs != CAIRO_STATUS_SUCCESS) {
        cy_free(buffer.data);
        if (buffer.oom || cs == CAIRO_STATUS_NO_MEMORY) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
            return CY_ENOMEM;
        }
        cy_error_add(err, CY_SEV_ERROR, NULL, "plot: cairo failed: %s",
                     cairo_status_to_string(cs));
        return CY_EINTERNAL;
    }
    *data = buffer.data;
    *size = buffer.size;
    return CY_OK;
}

cy_status cy_p_write_file(const char *path, const char *input_path,
                          const unsigned char *data, size_t size, cy_error *err)
{
    cy_output *out = NULL;
    cy_status status = cy_output_open(path, input_path, &out, err);

    if (status != CY_OK)
        return status;
    if (fwrite(data, 1, size, cy_output_stream(out)) != size) {
        cy_output_abort(out);
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: write failed", path);
        return CY_EIO;
    }
    return cy_output_commit(out, err);
}

/* What draw_plot needs, through cy_p_render's closure. */
typedef struct {
    const cy_resilience_curve *curves;
    size_t count;
    const char *title, *subtitle;
    legend_entry *entries;
} resilience_plot;

static void draw_resilience(cairo_t *cr, const layout *l, void *closure)
{
    resilience_plot *p = closure;
    draw_plot(cr, l, p->curves, p->count, p->title, p->subtitle, p->entries);
}

cy_status cy_plot_resilience(const cy_resilience_curve *curves, size_t count,
                             const cy_plot_options *options,
                             cy_plot_format format, unsigned char **data,
                             size_t *size, cy_error *err)
{
    cy_plot_options opts = {NULL, NULL, NULL, 0, 0};
    resilience_plot plot;
    cy_status status;
    char subtitle[768];

    *data = NULL;
    *size = 0;
    if (options)
        opts = *options;
    if (count == 0 || !cy_p_size_ok(&opts, format, err)) {
        if (count == 0)
            cy_error_add(err, CY_SEV_ERROR, NULL, "plot: need at least one curve");
        return CY_EUSAGE;
    }
    if (!opts.title)
        opts.title = _("Robustness under attack");
    if (!opts.subtitle) {
        default_subtitle(curves, count, opts.network, subtitle, sizeof subtitle);
        opts.subtitle = subtitle;
    }
    plot.curves = curves;
    plot.count = count;
    plot.title = opts.title;
    plot.subtitle = opts.subtitle;
    plot.entries = cy_calloc(2 * count + 1, sizeof *plot.entries);
    if (!plot.entries) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    status = cy_p_render(format, opts.width, opts.height, draw_resilience, &plot, data,
                         size, err);
    cy_free(plot.entries);
    return status;
}

int cy_p_size_ok(cy_plot_options *opts, cy_plot_format format, cy_error *err)
{
    if (!opts->width)
        opts->width = CY_PLOT_DEFAULT_WIDTH;
    if (!opts->height)
        opts->height = CY_PLOT_DEFAULT_HEIGHT;
    if (opts->width < 320 || opts->height < 240 || opts->width > 8000 ||
        opts->height > 8000 || (format != CY_PLOT_SVG && format != CY_PLOT_PNG)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "plot: need a size from 320 x 240 to 8000 x 8000 and svg or png");
        return 0;
    }
    return 1;
}

cy_status cy_p_plot_file(const char *path, const char *input_path,
                         cy_status (*render)(void *closure, cy_plot_format format,
                                             unsigned char **data, size_t *size,
                                             cy_error *err),
                         void *closure, cy_error *err)
{
    cy_plot_format format;
    unsigned char *data = NULL;
    size_t size = 0;
    cy_status status;

    if (!cy_plot_format_from_path(path, &format)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: a plot must end in .svg or .png", path);
        return CY_EUSAGE;
    }
    status = render(closure, format, &data, &size, err);
    if (status == CY_OK)
        status = cy_p_write_file(path, input_path, data, size, err);
    cy_free(data);
    return status;
}

/* cy_plot_resilience's arguments, for cy_p_plot_file. */
typedef struct {
    const cy_resilience_curve *curves;
    size_t count;
    const cy_plot_options *options;
} resilience_file;

static cy_status render_resilience(void *closure, cy_plot_format format,
                                   unsigned char **data, size_t *size, cy_error *err)
{
    resilience_file *f = closure;
    return cy_plot_resilience(f->curves, f->count, f->options, format, data, size, err);
}

cy_status cy_plot_resilience_file(const char *path, const char *input_path,
                                  const cy_resilience_curve *curves,
                                  size_t count, const cy_plot_options *options,
                                  cy_error *err)
{
    resilience_file f = {curves, count, options};
    return cy_p_plot_file(path, input_path, render_resilience, &f, err);
}

void cy_plot_shutdown(void)
{
    cairo_debug_reset_static_data();
    FcFini();
}
