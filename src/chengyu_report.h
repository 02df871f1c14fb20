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

/* One cascade, run with `threshold`: TEXT, JSON, or CSV (one row per
 * enterprise in file order: output fraction, failed, round, final demand
 * and what of it was lost).  Time complexity: O(n + failed). */
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

/* A robustness curve of `net` (its ids name the removed firms or groups):
 * CSV or JSON. */
cy_status cy_resilience_write(const cy_network *net, const cy_resilience_curve *curve,
                              const cy_write_options *options, FILE *out,
                              cy_error *err);

/*
 * The comparison of two versions (cy_diff_compute on old_net, new_net):
 * MD (the default), HTML (one self-contained page), JSON or CSV; the
 * sections and keys are listed in docs/cli.md ("diff").
 */
cy_status cy_diff_write(const cy_network *old_net, const cy_network *new_net,
                        const cy_diff *diff, const cy_write_options *options, FILE *out,
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
 * concentration, region flows, recommendations, the weak-link ranking;
 * in MD also the chokepoint table, then led by the demand nodes with the
 * most final demand); counts in the summary always cover everything.
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

struct json_t;

/* A figure embedded in the HTML report: an SVG document in memory. */
typedef struct {
    const char *title;
    const char *caption;      /* may be NULL */
    const char *svg;          /* the SVG bytes (need not be NUL terminated) */
    size_t svg_size;
    const struct json_t *data; /* NULL: a picture; else the figure is
                                  interactive and this is its nodes' data
                                  (cy_render_page_data of the diagram) */
} cy_report_figure;

/*
 * One self-contained HTML page: inline CSS and one inline script (sortable
 * tables, the interactive figures), the figures' SVG inlined (XML prologue
 * and DOCTYPE dropped), every user string HTML-escaped, no reference to
 * the network; a Content-Security-Policy meta tag forbids every request
 * and every script but the page's own (by its SHA-256).  A figure with
 * `data` can be panned and zoomed, searched by firm id, name or Chinese
 * name, and a click on a firm (or #focus=ID in the address) marks its
 * upstream and downstream cones and shows its row of the risk register.
 * A figure whose bytes hold no <svg element is refused (CY_EUSAGE).
 * Time complexity: O(size of the report + figures + register).
 */
cy_status cy_weaklinks_write_html(const cy_network *net,
                                  const cy_weaklinks *report, size_t top,
                                  const cy_report_figure *figures,
                                  size_t figure_count, FILE *out,
                                  cy_error *err);

/*
 * The stress tests (chengyu stress): TEXT (an aligned table, the three
 * largest losses of each disruption), CSV (one row per disruption), JSON
 * {"horizon_days", "disruptions", "final_demand_total", "skipped"} or MD
 * (a Markdown page with the table), disruptions in the result's order;
 * options->top keeps the first `top` disruptions and, in each, the first
 * `top` firms of `lost_by_firm`.
 */
cy_status cy_stress_write(const cy_network *net, const cy_stress_result *result,
                          const cy_write_options *options, FILE *out,
                          cy_error *err);

/* ------------------------------------------------------------------ */
/* Spreadsheets: tables to .xlsx sheets                                */
/* ------------------------------------------------------------------ */

/* How a column's numbers are shown (the value stays exact). */
typedef enum {
    CY_XLSX_TEXT = 0,  /* text */
    CY_XLSX_INTEGER,   /* a count: 1,234 */
    CY_XLSX_NUMBER,    /* a measure: as it is */
    CY_XLSX_YUAN,      /* an amount in yuan: 1,234,567 */
    CY_XLSX_PERCENT,   /* a fraction shown as a percentage: 60.0% */
    CY_XLSX_BOOLEAN,   /* TRUE/FALSE */
    CY_XLSX_FORMAT_COUNT
} cy_xlsx_format;

typedef struct {
    const char *header;
    cy_xlsx_format format;
    double width;            /* in characters; <= 0: 12 */
} cy_xlsx_column;

/*
 * A workbook being written with libxlsxwriter, one sheet after another,
 * row by row (constant memory: one row is held at a time).  Every sheet
 * gets a bold, frozen header row, an autofilter over its rows, the column
 * widths and number formats of its columns.  Cells are written left to
 * right with cy_workbook_text/number/boolean/blank; cy_workbook_row_end
 * moves to the next row.  Text is escaped for XML (control characters as
 * _xHHHH_); numbers are numeric cells of 16 significant digits.  Printed,
 * a sheet is A4 landscape, one page wide, its header on every page.  A failure of any call is remembered and reported by
 * cy_workbook_write, which closes the workbook, copies its bytes to `out`
 * and frees it; cy_workbook_free abandons one instead.  Sheet names are
 * cut to Excel's 31 characters, []:*?/\ replaced by '_'.
 * Time complexity: O(cells written + their text).
 */
typedef struct cy_workbook cy_workbook;

cy_status cy_workbook_new(cy_workbook **out, cy_error *err);
cy_status cy_workbook_sheet(cy_workbook *wb, const char *name,
                            const cy_xlsx_column *columns, size_t count,
                            cy_error *err);
void cy_workbook_text(cy_workbook *wb, const char *text); /* NULL: blank */
void cy_workbook_number(cy_workbook *wb, double value);
void cy_workbook_boolean(cy_workbook *wb, int value);
void cy_workbook_blank(cy_workbook *wb);
void cy_workbook_row_end(cy_workbook *wb);
cy_status cy_workbook_write(cy_workbook *wb, FILE *out, cy_error *err);
void cy_workbook_free(cy_workbook *wb);

/*
 * Centrality as a workbook: one sheet, a row per enterprise (or group) in
 * the result's order: rank, id, Chinese name (firms), name, kind, then one
 * column per measure (strength in yuan, integer measures as counts).
 * Time complexity: O(rows x measures).
 */
cy_status cy_centrality_write_xlsx(const cy_network *net,
                                   const cy_centrality_result *result,
                                   FILE *out, cy_error *err);

/*
 * `cascade --each` as a workbook: the ranked impacts (kind -1: enterprises,
 * or CY_GROUP_PARK / CY_GROUP_REGION) with id, Chinese name and name (or
 * group name and member count), failed_count, output_value_lost (yuan),
 * share_of_output (a percentage of the network's total output value) and
 * rounds; then an "about" sheet.
 * Time complexity: O(count + n).
 */
cy_status cy_impacts_write_xlsx(const cy_network *net, int kind,
                                const cy_impact *impacts, size_t count,
                                FILE *out, cy_error *err);

/*
 * The weak-link report as a workbook: one sheet per table of the Markdown
 * report, in its order (the risk register first), every row (no --top),
 * then an "about" sheet with the report's prose (demand rule, circle rule,
 * notes).  Counts, amounts (yuan, thousands separators) and fractions
 * (percentages) are numeric cells holding the exact values; every
 * enterprise id column is followed by its Chinese name (name_zh).
 * Time complexity: that of the Markdown report, O(rows + their text).
 */
cy_status cy_weaklinks_write_xlsx(const cy_network *net, const cy_weaklinks *report,
                                  FILE *out, cy_error *err);

/*
 * The comparison of scenarios as a workbook: "scenarios" (one row per
 * scenario: the CSV's columns, amounts in yuan, fractions as percentages,
 * the stress figures when they ran), "weak links" (one row per register
 * row, single-source pair or chokepoint a scenario's mitigations removed
 * or created, by ids), then "about".
 * Time complexity: O(size of the result).
 */
cy_status cy_scenarios_write_xlsx(const cy_network *base, const cy_scenarios *set,
                                  const cy_scenarios_result *result, FILE *out,
                                  cy_error *err);

/*
 * The comparison of scenarios (chengyu scenarios, docs/scenarios.md):
 * TEXT, CSV (one row per scenario), JSON, MD or HTML.  options->top: the
 * register's top firms shown per scenario (0: 5).
 * Time complexity: O(size of the result).
 */
cy_status cy_scenarios_write(const cy_network *base, const cy_scenarios *set,
                             const cy_scenarios_result *result,
                             const cy_write_options *options, FILE *out,
                             cy_error *err);

/*
 * The stress tests as a workbook: "disruptions" (rank, id, Chinese name,
 * name, kind, failed_count, failed, tts_days (empty when the horizon
 * survives), survives, ttr_days, impact in yuan, impact_fraction as a
 * percentage, exposed, the largest loss), "losses" (one row per firm that
 * loses, per disruption, at most `top` each: its names, lost in yuan and
 * share of the disruption's impact), "skipped" when firms were skipped,
 * then "about".  `top` 0: every disruption and loss.
 * Time complexity: O(rows written + n).
 */
cy_status cy_stress_write_xlsx(const cy_network *net, const cy_stress_result *result,
                               size_t top, FILE *out, cy_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_REPORT_H */
