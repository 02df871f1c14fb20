/*
 * xlsx_read.h - streaming readers of spreadsheet tables: .xlsx workbooks
 * (libzip + expat, one row at a time, never a sheet's DOM) and CSV files
 * (RFC 4180, UTF-8 or GB18030/GBK through iconv).  Internal to libchengyu:
 * the importer (import.c) turns their rows into a chengyu/1 document.
 */
#ifndef CHENGYU_XLSX_READ_H
#define CHENGYU_XLSX_READ_H

#include "chengyu.h"
#include "io_progress.h"

#include <stdint.h>

/* Excel's own limits: columns A..XFD, rows 1..1048576. */
#define CY_SHEET_MAX_COLUMNS 16384u
#define CY_SHEET_MAX_ROWS 1048576u
/* The longest cell text kept, in bytes (Excel: 32767 UTF-16 units). */
#define CY_SHEET_MAX_CELL_BYTES (128u * 1024u)

typedef enum {
    CY_CELL_STRING = 0, /* text: shared, inline or a formula's string result */
    CY_CELL_NUMBER,     /* a numeric cell (dates are numbers too) */
    CY_CELL_BOOL,       /* "0" or "1" */
    CY_CELL_ERROR,      /* an error value such as "#N/A" */
    CY_CELL_DATE        /* a number its cell's format shows as a date or a time
                           (xlsx): text "2024-07-01", "07:00" or
                           "2024-07-01 07:00" */
} cy_cell_type;

typedef struct {
    uint32_t column;    /* 0-based: A = 0 */
    uint32_t line;      /* CSV: the line the field starts on; xlsx: the row */
    cy_cell_type type;
    const char *text;   /* NUL-terminated UTF-8, valid until the callback returns */
    size_t length;
} cy_sheet_cell;

/*
 * Called once per row that has at least one cell, in order.  `row` is the
 * 1-based row (xlsx) or record number (CSV, header = 1); cells are sorted
 * by column, without duplicates.  Returns 0 to go on, non-zero to stop
 * (the reader then returns CY_EINPUT without adding a diagnostic).
 */
typedef int (*cy_sheet_row_fn)(void *ctx, uint32_t row,
                               const cy_sheet_cell *cells, size_t count);

/* "A", "Z", "AA", ... for a 0-based column; `out` has room for 8 bytes. */
void cy_sheet_column_name(uint32_t column, char out[8]);

/*
 * Record a diagnostic whose place is already spelled out in full
 * ("book.xlsx:links!C12 (column \"part\")", "links.csv:12:3"): err->file
 * is not attached, so the place is printed as given, then the message.
 */
void cy_sheet_diag(cy_error *err, cy_severity severity, const char *place,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * The progress of reading one table: step `what` runs from `from` to
 * from + span percent of the whole run as the table's bytes are read.
 */
typedef struct {
    const cy_i_progress *progress;
    const char *what;
    double from, span;
} cy_sheet_progress;

/* ---- xlsx ------------------------------------------------------------- */

typedef struct cy_xlsx cy_xlsx;

/*
 * Open a workbook: the zip directory, the sheet list and the shared
 * strings.  Everything decompressed from the workbook, by this call and by
 * every cy_xlsx_read_sheet after it, counts against `max_bytes` (the same
 * limit as a JSON input): a zip bomb is refused when it passes it.  XML
 * with a document type declaration (and so any entity) is refused.
 * Diagnostics carry `label` (the file name as the user gave it).
 * Time complexity: O(size of the workbook and shared-strings parts).
 */
cy_status cy_xlsx_open(const char *path, const char *label, size_t max_bytes,
                       cy_xlsx **out, cy_error *err);
void cy_xlsx_close(cy_xlsx *book);

size_t cy_xlsx_sheet_count(const cy_xlsx *book);
const char *cy_xlsx_sheet_name(const cy_xlsx *book, size_t sheet);
/* Whether Excel hides sheet `sheet` (state "hidden" or "veryHidden"): an
 * analyst does not see it, so no table is read from it.
 * Time complexity: O(1). */
int cy_xlsx_sheet_hidden(const cy_xlsx *book, size_t sheet);

/*
 * A date serial (days since 1899-12-30, Excel's 1900 system with its
 * fictional 1900-02-29 as serial 60; since 1904-01-01 with `date1904`)
 * as text: "2024-07-01", "07:00" (under a day: a time), "2024-07-01
 * 07:00", seconds when there are any.  `text` is the serial as written;
 * `out` has room for 40 bytes.  0 when the text is not a serial from
 * 0 to 2958465 (9999-12-31).  Time complexity: O(1).
 */
int cy_sheet_date_text(const char *text, int date1904, char out[40]);
/* The uncompressed size of sheet `sheet`'s XML, 0 when unknown (for the
 * share of the reading each sheet takes).  Time complexity: O(1). */
size_t cy_xlsx_sheet_bytes(const cy_xlsx *book, size_t sheet);

/*
 * Stream sheet `sheet` row by row to `fn`.  Memory: one row's cells.
 * Time complexity: O(size of the sheet's XML).
 */
cy_status cy_xlsx_read_sheet(cy_xlsx *book, size_t sheet, cy_sheet_row_fn fn,
                             void *ctx, cy_error *err);

/* Report the reading of the sheets read after this call by `sp` (NULL:
 * stop reporting), by the share of each sheet's uncompressed bytes read.
 * `sp` must live until then.  Time complexity: O(1). */
void cy_xlsx_set_progress(cy_xlsx *book, const cy_sheet_progress *sp);

/* ---- CSV -------------------------------------------------------------- */

/*
 * Read a CSV file (at most `max_bytes`) and give its records to `fn`.
 * `encoding` NULL detects: a UTF-8 byte-order mark is skipped, a UTF-16
 * one converts from UTF-16, valid UTF-8 is read as is, and anything else
 * that converts cleanly from GB18030 (a superset of GBK and GB2312, what
 * Excel writes on Chinese Windows) is converted, with a warning saying so;
 * otherwise the first invalid byte is reported.  Any other `encoding` is
 * an iconv name the whole file is converted from.  Fields are separated
 * by commas, or by tabs when the first line has tabs and no comma.
 * Time complexity: O(file size).
 */
cy_status cy_csv_read(const char *path, const char *label,
                      const char *encoding, size_t max_bytes,
                      cy_sheet_row_fn fn, void *ctx, cy_error *err);
/* cy_csv_read reporting its progress by `sp` (may be NULL), by the share
 * of the file's bytes read, every few thousand records. */
cy_status cy_csv_read_progress(const char *path, const char *label,
                               const char *encoding, size_t max_bytes,
                               cy_sheet_row_fn fn, void *ctx,
                               const cy_sheet_progress *sp, cy_error *err);

#endif /* CHENGYU_XLSX_READ_H */
