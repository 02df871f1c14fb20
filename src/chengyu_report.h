/*
 * chengyu_report.h - the writers: result structs to text, CSV, JSON, Markdown
 * and HTML, all through one output layer (src/report/writer.h).
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_REPORT_H
#define CHENGYU_REPORT_H

#include "chengyu_analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* What every writer shares                                            */
/* ------------------------------------------------------------------ */

/*
 * A user string made safe to echo on a terminal or in a log line: control
 * characters (C0, DEL, C1), bidirectional embeddings, overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069), line and paragraph separators
 * and invalid UTF-8 bytes replaced by visible escapes ("\n", "\x1B",
 * "\u202E", "\xFF"), cut to `max_columns` terminal columns with "…"
 * (0: no limit).  Writes at most size - 1 bytes and a NUL into `out` (a
 * longer result is cut there, with "…"); `out` needs at least 4 bytes.
 * Returns out.  NULL text is taken as "".
 * Time complexity: O(length of text).
 */
const char *cy_terminal_text(const char *text, size_t max_columns, char *out,
                             size_t size);

/* ------------------------------------------------------------------ */
/* Writers of each analysis                                            */
/* ------------------------------------------------------------------ */

/*
 * Every writer below writes one result in options->format (NULL options:
 * the writer's first format, top 0, guarded CSV) to `out`; docs/cli.md
 * lists the lines, columns and keys of each.  CY_EUSAGE (and nothing
 * written) for a format the writer does not have, CY_EIO when the stream
 * reports an error, CY_ENOMEM on OOM.
 * Time complexity: O(size of the output) unless said otherwise.
 */

/*
 * The verdict of a check (chengyu validate) of `file`: TEXT, the line "ok:
 * N enterprises, M links" (nothing when not ok: the problems are the
 * caller's to print), or JSON {"file", "ok", "enterprises", "links",
 * "error_count", "warning_count", "diagnostics": [{"severity", "file",
 * "path", "line", "column", "message"}]} with every stored diagnostic of
 * `diagnostics` (warnings left out when `quiet`); enterprises and links
 * null when not ok, file, path, line and column null when not known.
 * Bytes of a string that are not UTF-8 are written as U+FFFD.
 */
cy_status cy_validation_write(const char *file, int ok, size_t enterprises, size_t links,
                              const cy_error *diagnostics, int quiet,
                              const cy_write_options *options, FILE *out,
                              cy_error *err);

/* The `info` summary: TEXT or JSON. */
cy_status cy_info_write(const cy_network *net, const cy_info *info,
                        const cy_write_options *options, FILE *out,
                        cy_error *err);

/* Centrality rows: TEXT (an aligned table, ids and names cut at 40
 * columns), CSV (id,name,kind,<measure>...) or JSON ({"graph",
 * "measures", "rows"}).  Time complexity: O(rows x measures). */
cy_status cy_centrality_write(const cy_centrality_result *result,
                              const cy_write_options *options, FILE *out,
                              cy_error *err);

/* One cascade, run with `threshold`: TEXT or JSON. */
cy_status cy_cascade_write(const cy_network *net, const cy_cascade_result *result,
                           double threshold, const cy_write_options *options,
                           FILE *out, cy_error *err);

/*
 * A ranked list of failure impacts (cascade --each): of enterprises (kind
 * CY_GROUP_KIND_COUNT) or of the groups of `kind`; options->top keeps the
 * first rows.  TEXT, CSV or JSON.
 */
cy_status cy_impacts_write(const cy_network *net, cy_group_kind kind,
                           const cy_impact *impacts, size_t count,
                           const cy_write_options *options, FILE *out,
                           cy_error *err);

/* A robustness curve: CSV or JSON. */
cy_status cy_resilience_write(const cy_resilience_curve *curve,
                              const cy_write_options *options, FILE *out,
                              cy_error *err);

/* Articulation points, bridges and the chokepoints of each OEM, computed
 * with `threshold`: TEXT or JSON. */
cy_status cy_structure_write(const cy_network *net, const cy_structure *structure,
                             const cy_single_failures *singles, double threshold,
                             const cy_write_options *options, FILE *out,
                             cy_error *err);

/*
 * The weak-link report: MD, CSV or JSON (HTML, with figures, is
 * cy_weaklinks_write_html).  options->top keeps the first entries of each
 * ranked list (single_source, cascade_impact, park_impact, region_impact,
 * concentration, region flows, recommendations, the weak-link ranking);
 * counts in the summary always cover everything.
 */
cy_status cy_weaklinks_write(const cy_network *net, const cy_weaklinks *report,
                             const cy_write_options *options, FILE *out,
                             cy_error *err);

/* cy_weaklinks_write in one format with `top` and default options. */
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

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_REPORT_H */
