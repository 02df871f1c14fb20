/*
 * report_weaklinks_xlsx.c - the weak-link report as an .xlsx workbook: the
 * same sections as Markdown and HTML (report_sections.c), rendered by a
 * cy_r_doc back end that turns each table into a sheet (the register
 * first) and the prose into a last sheet, "about".  Cells keep their
 * values: counts, yuan (thousands separators) and fractions (shown as
 * percentages) are numbers, and every enterprise id is followed by a
 * column with its Chinese name.  Sheets get a frozen header row, an
 * autofilter and column widths from cy_workbook (src/io/xlsx_write.c).
 *
 * A sheet's columns are known only from its first row (which columns hold
 * enterprises, which numbers), so that row is held until its end; later
 * rows go straight to the workbook.
 */
#include "report_internal.h"

#include <math.h>
#include <string.h>

#define NAME_ZH_HEADER "name_zh 中文名称"
#define MAX_COLUMNS 24

typedef struct {
    cy_r_cell_kind kind;
    double value;
    size_t firm;
    char *text;        /* cy_malloc'd; NULL when empty */
} held_cell;

typedef struct {
    cy_r_doc doc;                   /* first: the sections see a cy_r_doc */
    cy_workbook *wb;
    cy_status status;               /* the first failure */
    cy_error *err;
    const char *key;                /* the table being written */
    const char *columns;
    int sheet_open;                 /* its sheet exists */
    cy_xlsx_column sheet_columns[2 * MAX_COLUMNS]; /* the workbook keeps a */
    char headers[MAX_COLUMNS][64];                 /* pointer to them */
    cy_r_cell_kind column_kind[MAX_COLUMNS]; /* from the first row */
    size_t column;                  /* the current cell's column */
    held_cell first[MAX_COLUMNS];   /* the first row, until its end */
    size_t held;
    cy_r_cell_kind kind;            /* the current cell's */
    double value;
    size_t firm;
    cy_r_buf cell;                  /* the current cell's text */
    cy_r_buf line;                  /* the current line of prose */
    char **notes;                   /* the prose, line by line */
    size_t note_count, note_cap;
} xlsx_doc;

static void oom(xlsx_doc *x)
{
    if (x->status == CY_OK) {
        cy_error_add(x->err, CY_SEV_ERROR, NULL, "out of memory");
        x->status = CY_ENOMEM;
    }
}

/* ---- prose: the about sheet ---------------------------------------------- */

static void note_end(xlsx_doc *x)
{
    char *line;
    if (!x->line.len && !x->line.oom)
        return;
    if (!(line = cy_r_buf_take(&x->line)) ||
        !cy_i_grow((void **)&x->notes, &x->note_cap, x->note_count + 1, sizeof *x->notes)) {
        cy_free(line);
        oom(x);
        return;
    }
    x->notes[x->note_count++] = line;
}

static void x_text(cy_r_doc *d, const char *s)
{
    xlsx_doc *x = (xlsx_doc *)d;
    cy_r_buf_puts(x->key ? &x->cell : &x->line, s);
}

static void x_code(cy_r_doc *d, const char *s)
{
    x_text(d, s);
}

static void x_heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    xlsx_doc *x = (xlsx_doc *)d;
    (void)anchor;
    note_end(x);
    cy_r_buf_puts(&x->line, level <= 2 ? "== " : "-- ");
    cy_r_buf_puts(&x->line, title);
    note_end(x);
}

static void x_paragraph_end(cy_r_doc *d)
{
    note_end((xlsx_doc *)d);
}

static void x_item_begin(cy_r_doc *d)
{
    cy_r_buf_puts(&((xlsx_doc *)d)->line, "- ");
}

static void x_item_end(cy_r_doc *d)
{
    note_end((xlsx_doc *)d);
}

/* ---- tables: one sheet each ------------------------------------------------ */

static cy_xlsx_format column_format(cy_r_cell_kind kind)
{
    switch (kind) {
    case CY_R_CELL_COUNT: return CY_XLSX_INTEGER;
    case CY_R_CELL_AMOUNT: return CY_XLSX_YUAN;
    case CY_R_CELL_PERCENT: return CY_XLSX_PERCENT;
    case CY_R_CELL_REAL: return CY_XLSX_NUMBER;
    default: return CY_XLSX_TEXT;
    }
}

static double column_width(cy_r_cell_kind kind, size_t header_length)
{
    double w = kind == CY_R_CELL_FIRM ? 24 : kind == CY_R_CELL_AMOUNT ? 18
             : kind == CY_R_CELL_TEXT ? 28 : 12;
    return (double)header_length + 2 > w ? (double)header_length + 2 : w;
}

/* Create the sheet of the current table, its columns typed by the first
 * row: an enterprise column is followed by its Chinese name's. */
static void open_sheet(xlsx_doc *x)
{
    cy_xlsx_column *columns = x->sheet_columns;
    char (*headers)[64] = x->headers;
    const char *cursor = x->columns, *name;
    size_t length, c = 0, n = 0;
    int right;
    while (c < MAX_COLUMNS && cy_r_next_column(&cursor, &right, &name, &length)) {
        cy_r_cell_kind kind = c < x->held ? x->column_kind[c] : CY_R_CELL_TEXT;
        snprintf(headers[c], sizeof headers[c], "%.*s", (int)length, name);
        columns[n].header = headers[c];
        columns[n].format = column_format(kind);
        columns[n++].width = column_width(kind, length);
        if (kind == CY_R_CELL_FIRM) {
            columns[n].header = NAME_ZH_HEADER;
            columns[n].format = CY_XLSX_TEXT;
            columns[n++].width = 20;
        }
        c++;
    }
    if (x->status == CY_OK)
        x->status = cy_workbook_sheet(x->wb, x->key, columns, n, x->err);
    x->sheet_open = 1;
}

/* Write one cell of column c (and the Chinese name after an enterprise). */
static void put_cell(xlsx_doc *x, size_t c, cy_r_cell_kind kind, double value, size_t firm,
                     const char *text)
{
    cy_r_cell_kind column = c < MAX_COLUMNS ? x->column_kind[c] : CY_R_CELL_TEXT;
    if (x->status != CY_OK)
        return;
    if (kind != CY_R_CELL_TEXT && kind != CY_R_CELL_FIRM && kind != CY_R_CELL_REAL_WORDS &&
        column == kind) {
        if (isfinite(value))
            cy_workbook_number(x->wb, value);
        else
            cy_workbook_blank(x->wb);
    } else {
        cy_workbook_text(x->wb, text && *text && strcmp(text, "-") != 0 ? text : NULL);
    }
    if (column == CY_R_CELL_FIRM)
        cy_workbook_text(x->wb, kind == CY_R_CELL_FIRM
                                    ? cy_enterprise_name_zh(x->doc.net, firm) : NULL);
}

static void x_table_begin(cy_r_doc *d, const char *key, const char *columns)
{
    xlsx_doc *x = (xlsx_doc *)d;
    note_end(x);
    x->key = key;
    x->columns = columns;
    x->sheet_open = 0;
    x->held = 0;
    x->column = 0;
}

static void x_cell_begin(cy_r_doc *d, double sort_key)
{
    xlsx_doc *x = (xlsx_doc *)d;
    (void)sort_key;
    x->kind = d->cell_kind;
    x->value = d->cell_value;
    x->firm = d->cell_firm;
    d->cell_kind = CY_R_CELL_TEXT;
    cy_r_buf_free(&x->cell);
}

static void x_cell_end(cy_r_doc *d)
{
    xlsx_doc *x = (xlsx_doc *)d;
    const char *text = cy_r_buf_str(&x->cell);
    if (!text) {
        oom(x);
        return;
    }
    if (!x->sheet_open) {
        held_cell *h;
        if (x->held >= MAX_COLUMNS)
            return;
        h = &x->first[x->held];
        /* A first row's words in a number column leave it a number column. */
        x->column_kind[x->held++] = x->kind == CY_R_CELL_REAL_WORDS ? CY_R_CELL_REAL : x->kind;
        h->kind = x->kind;
        h->value = x->value;
        h->firm = x->firm;
        if (!(h->text = cy_r_buf_take(&x->cell)))
            oom(x);
    } else {
        put_cell(x, x->column++, x->kind, x->value, x->firm, text);
    }
}

static void release_held(xlsx_doc *x)
{
    for (size_t c = 0; c < x->held; c++) {
        cy_free(x->first[c].text);
        x->first[c].text = NULL;
    }
}

static void x_row_end(cy_r_doc *d)
{
    xlsx_doc *x = (xlsx_doc *)d;
    if (!x->sheet_open) {
        open_sheet(x);
        for (size_t c = 0; c < x->held; c++)
            put_cell(x, c, x->first[c].kind, x->first[c].value, x->first[c].firm,
                     x->first[c].text);
        release_held(x);
    }
    if (x->status == CY_OK)
        cy_workbook_row_end(x->wb);
    x->column = 0;
}

static void x_table_end(cy_r_doc *d)
{
    xlsx_doc *x = (xlsx_doc *)d;
    if (!x->sheet_open) /* no row: the header alone */
        open_sheet(x);
    x->key = NULL;
}

static const cy_r_ops xlsx_ops = {
    x_heading, x_text, x_code, x_paragraph_end, x_table_begin,
    x_cell_begin, x_cell_end, x_row_end, x_table_end, x_item_begin,
    x_item_end,
};

/* Write `line` as rows of at most ABOUT_WIDTH characters (code points),
 * broken at spaces where there is one: a long paragraph in one cell would
 * run far past the printed page (a sheet is printed one page wide, so it
 * would shrink the whole page to fit). */
#define ABOUT_WIDTH 110
static void about_line(xlsx_doc *x, char *line)
{
    while (*line) {
        size_t chars = 0, cut = 0, end = 0;
        char saved;
        while (line[end] && chars < ABOUT_WIDTH) {
            if (line[end] == ' ')
                cut = end;
            end++;
            while (((unsigned char)line[end] & 0xc0) == 0x80)
                end++;
            chars++;
        }
        if (line[end] && cut > 0)
            end = cut;
        saved = line[end];
        line[end] = '\0';
        cy_workbook_text(x->wb, line);
        cy_workbook_row_end(x->wb);
        line[end] = saved;
        line += end;
        while (*line == ' ')
            line++;
    }
}

/* The last sheet: what the workbook is, then the report's prose. */
static void about_sheet(xlsx_doc *x)
{
    static const cy_xlsx_column column[] = {{"chengyu weak-links", CY_XLSX_TEXT, 120}};
    if (x->status != CY_OK ||
        (x->status = cy_workbook_sheet(x->wb, "about", column, 1, x->err)) != CY_OK)
        return;
    cy_workbook_text(x->wb, _("Weak-link report (chengyu weak-links): one sheet per section, "
                              "the risk register first; amounts in yuan per year"));
    cy_workbook_row_end(x->wb);
    cy_workbook_text(x->wb, cy_network_name(x->doc.net));
    cy_workbook_row_end(x->wb);
    for (size_t k = 0; k < x->note_count; k++)
        about_line(x, x->notes[k]);
}

cy_status cy_weaklinks_write_xlsx(const cy_network *net, const cy_weaklinks *report,
                                  FILE *out, cy_error *err)
{
    xlsx_doc x;
    cy_status status;
    memset(&x, 0, sizeof x);
    x.doc.ops = &xlsx_ops;
    x.doc.out = out;
    x.doc.net = net;
    x.err = err;
    cy_r_buf_init(&x.cell);
    cy_r_buf_init(&x.line);
    if ((status = cy_workbook_new(&x.wb, err)) != CY_OK)
        return status;
    cy_r_write_intro(&x.doc, report);
    cy_r_write_sections(&x.doc, report);
    if (x.doc.oom)
        oom(&x);
    note_end(&x);
    about_sheet(&x);
    release_held(&x);
    cy_r_buf_free(&x.cell);
    cy_r_buf_free(&x.line);
    for (size_t k = 0; k < x.note_count; k++)
        cy_free(x.notes[k]);
    cy_free(x.notes);
    if (x.status != CY_OK) {
        cy_workbook_free(x.wb);
        return x.status;
    }
    return cy_workbook_write(x.wb, out, err);
}
