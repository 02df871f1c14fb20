/*
 * plot_internal.h - what the cairo charts of render/ share (plot.c: the
 * robustness curves; plot_stress.c: time to survive against time to
 * recover): rendering to SVG or PNG in memory, the atomic file write, the
 * layout, fonts, colours and titles, so that every chart looks alike.
 */
#ifndef CHENGYU_PLOT_INTERNAL_H
#define CHENGYU_PLOT_INTERNAL_H

#include "plot.h"

#include <cairo.h>

/* Text for people in the language set (the plots use only the public
 * headers: cy_tr as in src/core/internal.h). */
#define _(s) cy_tr(s)

/* The logical page and the plot area inside it. */
typedef struct {
    double width, height;
    double left, right, top, bottom; /* the plot area */
} layout;

/*
 * Draw with `draw` on a width x height logical page (PNG at twice the
 * pixels) and return the SVG document or PNG file in *data (cy_free it).
 * CY_ENOMEM, CY_EINTERNAL when cairo fails.
 */
cy_status cy_p_render(cy_plot_format format, int width, int height,
                      void (*draw)(cairo_t *cr, const layout *l, void *closure),
                      void *closure, unsigned char **data, size_t *size,
                      cy_error *err);

/*
 * Render with `render` in the format of the extension of `path` (.svg or
 * .png, else CY_EUSAGE) and write the file atomically.
 */
cy_status cy_p_plot_file(const char *path, const char *input_path,
                         cy_status (*render)(void *closure, cy_plot_format format,
                                             unsigned char **data, size_t *size,
                                             cy_error *err),
                         void *closure, cy_error *err);

/* Write `data` to `path` atomically (cy_output). */
cy_status cy_p_write_file(const char *path, const char *input_path,
                          const unsigned char *data, size_t size, cy_error *err);

/* Default the size of `opts`; 0 (with the message in err) for a size or
 * format out of range. */
int cy_p_size_ok(cy_plot_options *opts, cy_plot_format format, cy_error *err);

/* Okabe-Ito colour `index` (0 blue, 1 vermillion, 2 bluish green, ...). */
void cy_p_set_color(cairo_t *cr, size_t index, double alpha);
void cy_p_set_font(cairo_t *cr, double size, int bold);
/* `text` anchored at (x, y): align 0 left, 0.5 centre, 1 right; y the
 * baseline. */
void cy_p_draw_text(cairo_t *cr, const char *text, double x, double y, double align);
double cy_p_text_width(cairo_t *cr, const char *text);
/* Title and subtitle above the plot area, shrunk or cut to fit. */
void cy_p_draw_titles(cairo_t *cr, const layout *l, const char *title,
                      const char *subtitle);
/* A legend box of width x height in the top right (or left) corner of
 * the plot area, on white; its top-left corner in *x, *y. */
void cy_p_legend_box(cairo_t *cr, const layout *l, double width, double height,
                     int at_left, double *x, double *y);

#endif /* CHENGYU_PLOT_INTERNAL_H */
