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

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_REPORT_H */
