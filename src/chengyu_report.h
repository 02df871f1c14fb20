/*
 * chengyu_report.h - the writers: result structs to text, CSV, JSON, Markdown and HTML.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_REPORT_H
#define CHENGYU_REPORT_H

#include "chengyu_analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CY_CENTRALITY_TABLE = 0, /* aligned columns for people */
    CY_CENTRALITY_CSV,       /* id,name,kind,<measure>... (RFC 4180) */
    CY_CENTRALITY_JSON       /* {"graph", "measures", "rows"} */
} cy_centrality_format;

/*
 * Write the rows to `stream` in a format (docs/cli.md lists the columns and
 * keys).  CY_EIO when the stream reports an error, CY_ENOMEM on OOM.
 * Time complexity: O(r x measures).
 */
cy_status cy_centrality_write(const cy_centrality_result *result,
                              cy_centrality_format format, FILE *stream,
                              cy_error *err);


/*
 * Writers.  `top` keeps the first `top` entries of each ranked list
 * (single_source, cascade_impact, park_impact, region_impact,
 * concentration, region flows, recommendations, the weak-link ranking);
 * 0 keeps all.  Counts in the summary always cover everything.  They
 * return CY_EIO when writing fails, CY_ENOMEM on OOM.
 * Time complexity: O(size of the report written).
 */
cy_status cy_weaklinks_write_json(const cy_network *net,
                                  const cy_weaklinks *report, size_t top,
                                  FILE *out, cy_error *err);
cy_status cy_weaklinks_write_md(const cy_network *net,
                                const cy_weaklinks *report, size_t top,
                                FILE *out, cy_error *err);
cy_status cy_weaklinks_write_csv(const cy_network *net,
                                 const cy_weaklinks *report, size_t top,
                                 FILE *out, cy_error *err);

/* A figure embedded in the HTML report: an SVG document in memory. */
typedef struct {
    const char *title;
    const char *caption;      /* may be NULL */
    const char *svg;          /* the SVG bytes (need not be NUL terminated) */
    size_t svg_size;
} cy_report_figure;

/*
 * One self-contained HTML page: inline CSS and a small inline script that
 * sorts tables, the figures' SVG inlined (XML prologue and DOCTYPE
 * dropped), every user string HTML-escaped, no reference to the network.
 * A figure whose bytes hold no <svg element is refused (CY_EUSAGE).
 * Time complexity: O(size of the report + figures).
 */
cy_status cy_weaklinks_write_html(const cy_network *net,
                                  const cy_weaklinks *report, size_t top,
                                  const cy_report_figure *figures,
                                  size_t figure_count, FILE *out,
                                  cy_error *err);

/* The stress tests (chengyu stress). */
typedef enum {
    CY_STRESS_TABLE = 0, /* aligned columns for people */
    CY_STRESS_CSV,       /* one row per disruption (RFC 4180) */
    CY_STRESS_JSON,      /* {"horizon_days", "final_demand_total", "disruptions", "skipped"} */
    CY_STRESS_MD         /* a Markdown page with the same table */
} cy_stress_format;

/*
 * Write the disruptions of `result` in its order (docs/cli.md lists the
 * columns and keys); `top` keeps the first `top` disruptions and, in each,
 * the first `top` firms of the losses (0 keeps all; the table and Markdown
 * show at most 3 losses per disruption unless `top` is given).  CY_EIO
 * when the stream reports an error.
 * Time complexity: O(size of the output).
 */
cy_status cy_stress_write(const cy_network *net, const cy_stress_result *result,
                          cy_stress_format format, size_t top, FILE *out,
                          cy_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_REPORT_H */
