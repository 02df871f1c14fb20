/*
 * plot.h - robustness plots drawn with cairo (part of libchengyu_render).
 *
 * The public header of render/'s charts (the robustness curves, the
 * stress tests); the rest of render/ (Graphviz diagrams) has its own.  Functions follow the
 * library rules of chengyu.h: they never print, return a cy_status and fill
 * a cy_error.
 */
#ifndef CHENGYU_PLOT_H
#define CHENGYU_PLOT_H

#include "chengyu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { CY_PLOT_SVG = 0, CY_PLOT_PNG } cy_plot_format;

/*
 * The format named by a file name's extension: ".svg" or ".png" (any
 * case).  Returns 1 and sets *format, or 0 for anything else.
 * Time complexity: O(length of path).
 */
int cy_plot_format_from_path(const char *path, cy_plot_format *format);

/* Optional settings; a NULL cy_plot_options or zero fields take defaults. */
typedef struct {
    const char *title;    /* default "Robustness under attack" */
    const char *subtitle; /* default: "NETWORK: N enterprises" (+ the trials
                             of a random attack) */
    const char *network;  /* the NETWORK of the default subtitle, or NULL */
    int width, height;    /* logical size, default 800 x 500; PNG pixels
                             are twice that (drawn at scale 2) */
} cy_plot_options;

#define CY_PLOT_DEFAULT_WIDTH 800
#define CY_PLOT_DEFAULT_HEIGHT 500

/*
 * Draw `count` robustness curves on one chart: per curve, the
 * largest-component fraction (solid; with a band of one standard deviation
 * for random attacks averaged over several trials) when its metric includes
 * lcc, and the share of final demand still served (dashed) when it
 * includes output and was measured; the x axis counts the curve's removal
 * units (enterprises, parks or regions: those of the first curve); a dotted vertical line at its critical fraction; axes from 0 to
 * 1 with ticks and grid, axis labels, a title, and a legend giving each
 * curve's attack, R and critical fraction.  The result is a complete SVG
 * document or PNG file in memory: *data (cy_free it) of *size bytes.
 * Text is set in "Noto Sans CJK SC" (falls back through fontconfig), so a
 * Chinese title renders as Chinese; a title or subtitle too wide for the
 * chart is set smaller, then shortened with an ellipsis.  Cairo's SVG uses ids such as "glyph0-1":
 * to put two plots in one HTML page, embed each as an <img> with a data:
 * URI rather than inline.  CY_EUSAGE for count 0 or a bad size;
 * CY_EINTERNAL when cairo fails; CY_ENOMEM.
 * Time complexity: O(total number of curve points).
 */
cy_status cy_plot_resilience(const cy_resilience_curve *curves, size_t count,
                             const cy_plot_options *options,
                             cy_plot_format format, unsigned char **data,
                             size_t *size, cy_error *err);

/*
 * Draw as cy_plot_resilience, in the format of the extension of `path`, and
 * write the file atomically (cy_output: a temporary file renamed into
 * place, never a half-written plot).  `input_path` (may be NULL) is refused
 * as an output.  CY_EUSAGE for an extension other than .svg / .png.
 * Time complexity: as cy_plot_resilience plus the write.
 */
cy_status cy_plot_resilience_file(const char *path, const char *input_path,
                                  const cy_resilience_curve *curves,
                                  size_t count, const cy_plot_options *options,
                                  cy_error *err);

/*
 * The chart of the stress tests (Simchi-Levi et al.): one point per
 * disruption of `result` at (ttr_days, tts_days), its area in proportion
 * to the impact; the diagonal TTS = TTR; exposed disruptions (TTS < TTR,
 * the shaded area below the diagonal) in vermillion, the 12 with the
 * largest impact labelled with their id; disruptions that survive the
 * horizon as open triangles along the top; a legend with the counts.  The
 * axes run from 0 past the largest TTR and finite TTS.  Title "Time to
 * survive against time to recover" unless options->title; the subtitle
 * names the network, the number of disruptions and the horizon.  As
 * cy_plot_resilience otherwise (formats, sizes, fonts, errors).
 * Time complexity: O(number of disruptions).
 */
cy_status cy_plot_stress(const cy_network *net, const cy_stress_result *result,
                         const cy_plot_options *options, cy_plot_format format,
                         unsigned char **data, size_t *size, cy_error *err);

/* Draw as cy_plot_stress and write `path` (.svg or .png) atomically. */
cy_status cy_plot_stress_file(const char *path, const char *input_path,
                              const cy_network *net, const cy_stress_result *result,
                              const cy_plot_options *options, cy_error *err);

/*
 * Release the process-wide caches of cairo and fontconfig
 * (cairo_debug_reset_static_data, FcFini), which otherwise stay allocated
 * until exit and show up in leak checkers.  Call once, at the end of the
 * process, after the last plot: no cairo or fontconfig use may follow.
 * Time complexity: O(size of the caches).
 */
void cy_plot_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_PLOT_H */
