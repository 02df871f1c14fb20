/*
 * xlsx_write.c - tables to .xlsx sheets with libxlsxwriter: a frozen header
 * row, an autofilter, column widths and number formats (yuan with
 * thousands separators, percentages).  libxlsxwriter writes to a file
 * name, so the workbook is built in a private temporary file and copied to
 * the caller's stream (an atomic output file, or standard output).  That
 * file has no name: it is made unnamed in $TMPDIR and given to
 * libxlsxwriter as /proc/self/fd/N, so that nothing is left behind however
 * the process ends (a reader gone, a signal, SIGKILL).  Only without
 * /proc is it named, and then removed by the output layer's signal
 * handlers and at exit.  libxlsxwriter's own temporary files (one per
 * sheet and part, in the same directory) are unlinked as soon as made.
 *
 * Text: libxlsxwriter escapes &, < and >, but XML 1.0 cannot hold the
 * other C0 control characters at all; they are written as Excel's
 * _xHHHH_ escapes (and a literal "_xHHHH_" as "_x005F_xHHHH_"), which
 * Excel, LibreOffice, openpyxl and chengyu's reader decode.  A cell
 * holds at most 32,767 characters: a longer text (a hostile name, the
 * ids of a chokepoint's thousands of customers) is cut in a report with
 * a note in the cell saying so, and fails a data workbook, which must
 * give back what it was given, naming the sheet and cell.
 */
/* pread, off_t, O_CLOEXEC. */
#define _GNU_SOURCE
#include "internal.h"
#include "xlsx_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct cy_workbook {
    lxw_workbook *book;
    lxw_worksheet *sheet;
    char path[4096];        /* what libxlsxwriter writes: /proc/self/fd/N,
                               or the named file */
    int fd;                 /* the temporary file, read back at the end */
    int named;              /* no /proc: `path` is a name in $TMPDIR */
    int slot;               /* its slot in the signal handlers' table */
    lxw_format *header, *formats[CY_XLSX_FORMAT_COUNT];
    const cy_xlsx_column *columns;
    size_t column_count;
    lxw_row_t row;
    lxw_col_t col;
    lxw_error failed;       /* the first libxlsxwriter error */
    int oom;
    int data;               /* a data workbook: numbers that %.16G would
                               change go as text; not fitted to a page */
    char name[128];         /* the current table's sheet name, as given */
    unsigned part;          /* its sheet: 1, then 2, 3, ... past the rows */
    int too_tall;           /* a data table passed the rows of a sheet */
    /* A data workbook's first text too long for a cell: where, how long. */
    char long_sheet[160], long_cell[24];
    size_t long_chars, long_written;
    char *text;             /* scratch for escaped text */
    size_t text_cap;
};

/* The most a cell holds: Excel's 32,767 characters, counted in UTF-16
 * units (a character beyond the Basic Multilingual Plane is 2), which is
 * never less than libxlsxwriter's own count (LXW_STR_MAX, code points). */
#define EXCEL_CELL_CHARS 32767

static const char *const number_formats[CY_XLSX_FORMAT_COUNT] = {
    NULL, "#,##0", NULL, "#,##0", "0.0%", NULL};

/* The rows of a sheet, header included: Excel's 1,048,576 (a test hook
 * lowers it: cy_i_workbook_row_limit). */
static lxw_row_t row_limit = LXW_ROW_MAX;

void cy_i_workbook_row_limit(uint32_t rows)
{
    row_limit = rows >= 2 && rows < LXW_ROW_MAX ? (lxw_row_t)rows : LXW_ROW_MAX;
}

static cy_status fail_status(cy_workbook *wb, cy_error *err, const char *what)
{
    if (wb->oom) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the workbook");
        return CY_ENOMEM;
    }
    if (wb->long_chars) {
        char escaped_note[96] = "";
        if (wb->long_written != wb->long_chars)
            snprintf(escaped_note, sizeof escaped_note,
                     " (%zu once its control characters are written as _xHHHH_)",
                     wb->long_written);
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "sheet \"%s\", cell %s: a text of %zu characters%s, more than the "
                     "32,767 an Excel cell holds: write this table as JSON or CSV instead",
                     wb->long_sheet, wb->long_cell, wb->long_chars, escaped_note);
        return CY_EIO;
    }
    if (wb->too_tall) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "sheet \"%s\" would have more than %lu rows, the most a worksheet "
                     "holds: write this table as JSON or CSV instead",
                     wb->name, (unsigned long)row_limit);
        return CY_EIO;
    }
    cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write the workbook (%s): %s", what,
                 lxw_strerror(wb->failed));
    return CY_EIO;
}

/*
 * A named temporary file of the workbook being written (no /proc), removed
 * at exit: a run that --max-seconds stops while it writes ends with
 * exit(), not through cy_workbook_free, and must leave no file behind (a
 * signal is the output layer's handlers').  One is tracked (the commands
 * write one workbook at a time); forgetting another is a no-op.
 */
static char live_temporary[4096];

static void remove_live_temporary(void)
{
    if (live_temporary[0])
        unlink(live_temporary);
}

static void keep_temporary(const char *path)
{
    static int registered;
    if (!registered)
        registered = atexit(remove_live_temporary) == 0;
    snprintf(live_temporary, sizeof live_temporary, "%s", path);
}

static void forget_temporary(const char *path)
{
    if (strcmp(live_temporary, path) == 0)
        live_temporary[0] = '\0';
}

/* Test hook: build the workbooks in a named file, as without /proc. */
static int proc_disabled;

void cy_i_workbook_test_named(int named)
{
    proc_disabled = named;
}

/*
 * The workbook's temporary file in `dir`: unnamed, reached through
 * /proc/self/fd/N when that names it; else named and registered for the
 * signal handlers and exit.  Returns 0, or -1 with errno set.
 */
static int make_temporary(cy_workbook *wb, const char *dir)
{
    struct stat by_fd, by_proc;

    wb->fd = cy_i_temporary_unnamed(dir, "chengyu-xlsx-");
    if (wb->fd < 0)
        return -1;
    snprintf(wb->path, sizeof wb->path, "/proc/self/fd/%d", wb->fd);
    if (!proc_disabled && fstat(wb->fd, &by_fd) == 0 && stat(wb->path, &by_proc) == 0 &&
        by_fd.st_dev == by_proc.st_dev && by_fd.st_ino == by_proc.st_ino)
        return 0;
    close(wb->fd);
    wb->fd = -1;
    if (snprintf(wb->path, sizeof wb->path, "%s/chengyu-xlsx-XXXXXX", dir) >=
        (int)sizeof wb->path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if ((wb->fd = cy_i_temporary_named(wb->path, &wb->slot)) < 0)
        return -1;
    wb->named = 1;
    keep_temporary(wb->path);
    return 0;
}

/* Remove (or just close) the temporary file. */
static void drop_temporary(cy_workbook *wb)
{
    if (wb->named) {
        unlink(wb->path);
        cy_i_temporary_forget(wb->slot);
        forget_temporary(wb->path);
        wb->named = 0;
        wb->slot = -1;
    }
    if (wb->fd >= 0)
        close(wb->fd);
    wb->fd = -1;
}

cy_status cy_workbook_new(cy_workbook **out, cy_error *err)
{
    const char *env = getenv("TMPDIR");
    const char *dir = env && *env ? env : "/tmp";
    lxw_workbook_options options = {0};
    cy_workbook *wb = cy_calloc(1, sizeof *wb);
    *out = NULL;
    if (!wb) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    wb->slot = -1;
    if (make_temporary(wb, dir) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot create a temporary file in %s: %s",
                     dir, strerror(errno));
        cy_free(wb);
        return CY_EIO;
    }
    /* Rows are written in order, so constant memory holds one row at a time
     * (strings are inline: no shared-string table grows with the sheet). */
    options.constant_memory = LXW_TRUE;
    options.tmpdir = (char *)dir;
    if (!(wb->book = workbook_new_opt(wb->path, &options))) {
        drop_temporary(wb);
        cy_free(wb);
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot start a workbook");
        return CY_ENOMEM;
    }
    wb->header = workbook_add_format(wb->book);
    format_set_bold(wb->header);
    format_set_bg_color(wb->header, 0xDDEBF7);
    format_set_bottom(wb->header, LXW_BORDER_THIN);
    for (int f = 0; f < CY_XLSX_FORMAT_COUNT; f++) {
        if (!number_formats[f])
            continue;
        wb->formats[f] = workbook_add_format(wb->book);
        format_set_num_format(wb->formats[f], number_formats[f]);
    }
    *out = wb;
    return CY_OK;
}

void cy_workbook_free(cy_workbook *wb)
{
    if (!wb)
        return;
    if (wb->book) {
        /* Abandoned: libxlsxwriter has no discard, so it writes the file
         * that is then dropped. */
        workbook_close(wb->book);
    }
    drop_temporary(wb);
    cy_free(wb->text);
    cy_free(wb);
}

/* Remember the first error of a libxlsxwriter call. */
static void check(cy_workbook *wb, lxw_error rc)
{
    if (rc != LXW_NO_ERROR && wb->failed == LXW_NO_ERROR)
        wb->failed = rc;
}

/* `s` with control characters as _xHHHH_; NULL on OOM. */
static const char *escaped(cy_workbook *wb, const char *s)
{
    size_t need = 1, out = 0;
    const char *p;
    int plain = 1;
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        int control = c < 0x20 && c != '\t' && c != '\n';
        int literal = p[0] == '_' && p[1] == 'x';
        need += control ? 7 : literal ? 7 : 1;
        plain &= !control && !literal;
    }
    if (plain)
        return s;
    if (need > wb->text_cap) {
        char *grown = cy_realloc(wb->text, need);
        if (!grown) {
            wb->oom = 1;
            return NULL;
        }
        wb->text = grown;
        wb->text_cap = need;
    }
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\t' && c != '\n')
            out += (size_t)snprintf(wb->text + out, 8, "_x%04X_", c);
        else if (p[0] == '_' && p[1] == 'x')
            out += (size_t)snprintf(wb->text + out, 8, "_x005F_");
        else
            wb->text[out++] = (char)c;
    }
    wb->text[out] = '\0';
    return wb->text;
}

/* Whether an _xHHHH_ escape (as `escaped` writes them) starts at s.
 * Byte by byte in order, so that the NUL of a text ending in "_x" stops
 * the test before s[6]. */
static int escape_at(const char *s)
{
    if (s[0] != '_' || s[1] != 'x')
        return 0;
    for (int k = 2; k < 6; k++)
        if (!((s[k] >= '0' && s[k] <= '9') || (s[k] >= 'A' && s[k] <= 'F')))
            return 0;
    return s[6] == '_';
}

/* Excel's length of one character of UTF-8 starting at s: UTF-16 units
 * (2 beyond the Basic Multilingual Plane); its bytes in *bytes. */
static size_t units_at(const char *s, size_t *bytes)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = 1;
    while (s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
        n++;
    *bytes = n;
    return c >= 0xF0 ? 2 : 1;
}

/* Excel's length of `s`: UTF-16 units. */
static size_t excel_length(const char *s)
{
    size_t total = 0, bytes;
    for (; *s; s += bytes)
        total += units_at(s, &bytes);
    return total;
}

/*
 * The byte where the longest start of escaped text `s` of at most `units`
 * ends without splitting a character or an escape.  Read forward, token
 * by token: the escaper writes every "_x" of the text as "_x005F_x", so an
 * escape is never confused with what follows one ("_x005F_xABCD_" is the
 * escape of "_" and the letters "xABCD_").
 */
static size_t cut_point(const char *s, size_t units)
{
    size_t at = 0, used = 0;
    while (s[at]) {
        size_t bytes, width = escape_at(s + at) ? (bytes = 7) : units_at(s + at, &bytes);
        if (used + width > units)
            break;
        used += width;
        at += bytes;
    }
    return at;
}

/*
 * `s` (`given` escaped) when it fits in a cell.  A report's longer text
 * is cut, ending with a note that says so; a data workbook's is refused,
 * its place remembered for the error (and NULL returned).  NULL on OOM
 * too.  The limit applies to `s`, as libxlsxwriter applies it: a text of
 * many control characters (7 each, escaped) may pass it while `given`
 * does not, and the messages then say both.
 */
static const char *fitted(cy_workbook *wb, const char *s, const char *given)
{
    char note[160];
    size_t written, chars, note_length, keep;
    char *text;

    /* Every cell passes here: a text of no more bytes than the limit has
     * no more UTF-16 units either, and needs no count. */
    if (strnlen(s, EXCEL_CELL_CHARS + 1) <= EXCEL_CELL_CHARS ||
        (written = excel_length(s)) <= EXCEL_CELL_CHARS)
        return s;
    /* What people are told is the length of the text they gave. */
    chars = excel_length(given);
    if (wb->data) {
        if (!wb->long_chars) {
            char column[8];
            cy_sheet_column_name((uint32_t)wb->col, column);
            snprintf(wb->long_sheet, sizeof wb->long_sheet, "%s", wb->name);
            snprintf(wb->long_cell, sizeof wb->long_cell, "%s%lu", column,
                     (unsigned long)wb->row + 1);
            wb->long_chars = chars;
            wb->long_written = written;
        }
        check(wb, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED);
        return NULL;
    }
    /* ASCII: its bytes are its characters. */
    note_length = (size_t)snprintf(note, sizeof note,
                                   " ... [cut: %zu characters in all%s, more than an "
                                   "Excel cell holds; the JSON output has the whole text]",
                                   chars > EXCEL_CELL_CHARS ? chars : written,
                                   chars > EXCEL_CELL_CHARS ? "" : " once escaped as _xHHHH_");
    keep = cut_point(s, EXCEL_CELL_CHARS - note_length);
    if (!(text = cy_malloc(keep + note_length + 1))) {
        wb->oom = 1;
        return NULL;
    }
    memcpy(text, s, keep);
    memcpy(text + keep, note, note_length + 1);
    return text;
}

/* Close the sheet: the autofilter spans its header and rows. */
static void sheet_finish(cy_workbook *wb)
{
    if (wb->sheet && wb->column_count)
        check(wb, worksheet_autofilter(wb->sheet, 0, 0, wb->row > 0 ? wb->row - 1 : 0,
                                       (lxw_col_t)(wb->column_count - 1)));
}

/* The first `chars` characters (code points) of `name`, with _ for each
 * of the characters []:*?/\ that Excel refuses: a sheet name Excel
 * accepts when chars <= 31.  `out` has room for 128 bytes (at most 123 are
 * written with the NUL). */
static void sheet_name(const char *name, size_t chars, char *out)
{
    size_t n = 0, taken = 0;
    for (const char *p = name; *p && n < 120 && taken < chars; taken++) {
        size_t len = 1;
        while (((unsigned char)p[len] & 0xc0) == 0x80)
            len++;
        if (len == 1 && strchr("[]:*?/\\", *p))
            out[n++] = '_';
        else
            memcpy(out + n, p, len), n += len;
        p += len;
    }
    out[n] = '\0';
}

/* The name of continuation sheet `part` (2, 3, ...) of table `name`:
 * "name (2)", the name cut so that the whole keeps to 31 characters
 * (`out`: sheet_name's 123 bytes and the suffix). */
static void part_name(const char *name, unsigned part, char out[160])
{
    char suffix[16];
    size_t keep = 31 - (size_t)snprintf(suffix, sizeof suffix, " (%u)", part);
    sheet_name(name, keep, out);
    memcpy(out + strlen(out), suffix, strlen(suffix) + 1);
}

/* A new sheet named `name` (made safe) with `columns` and its header row;
 * 0 when libxlsxwriter cannot add it (wb->failed says why; the current
 * sheet stays, so that later writes fail instead of touching NULL). */
static int add_sheet(cy_workbook *wb, const char *name, const cy_xlsx_column *columns,
                     size_t count)
{
    char safe[128];
    lxw_worksheet *sheet;
    sheet_finish(wb);
    sheet_name(name, 31, safe);
    if (!(sheet = workbook_add_worksheet(wb->book, safe))) {
        check(wb, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return 0;
    }
    wb->sheet = sheet;
    wb->columns = columns;
    wb->column_count = count;
    wb->row = 0;
    wb->col = 0;
    for (size_t c = 0; c < count; c++) {
        check(wb, worksheet_set_column(wb->sheet, (lxw_col_t)c, (lxw_col_t)c,
                                       columns[c].width > 0 ? columns[c].width : 12,
                                       wb->formats[columns[c].format]));
        cy_workbook_text(wb, columns[c].header);
    }
    /* A report printed (or turned into a PDF): A4 landscape, one page
     * wide, the header row on every page. */
    worksheet_set_landscape(wb->sheet);
    worksheet_set_paper(wb->sheet, 9);
    if (!wb->data)
        worksheet_fit_to_pages(wb->sheet, 1, 0);
    if (count) {
        check(wb, worksheet_repeat_rows(wb->sheet, 0, 0));
        worksheet_freeze_panes(wb->sheet, 1, 0);
        cy_workbook_row_end(wb);
    }
    return 1;
}

cy_status cy_workbook_sheet(cy_workbook *wb, const char *name,
                            const cy_xlsx_column *columns, size_t count, cy_error *err)
{
    snprintf(wb->name, sizeof wb->name, "%s", name);
    wb->part = 1;
    return add_sheet(wb, name, columns, count) ? CY_OK : fail_status(wb, err, name);
}

/*
 * Before the first cell of a row: a report table longer than a sheet goes
 * on in a sheet "name (2)" with the same header (an analyst opens a
 * national report's 1.75 million weak links in two sheets instead of
 * getting no workbook); a data workbook, which import reads back by sheet
 * name, stops with an error instead.  The failure of a continuation sheet
 * is remembered like any libxlsxwriter error (wb->failed).
 */
static void make_room(cy_workbook *wb)
{
    char name[160];
    if (wb->col != 0 || wb->row < row_limit || !wb->sheet)
        return;
    if (wb->data || !wb->column_count) {
        wb->too_tall = 1;
        check(wb, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return;
    }
    part_name(wb->name, ++wb->part, name);
    (void)add_sheet(wb, name, wb->columns, wb->column_count);
}

void cy_workbook_text(cy_workbook *wb, const char *text)
{
    make_room(wb);
    const char *s = text ? escaped(wb, text) : NULL;
    const char *cell = s ? fitted(wb, s, text) : NULL;
    lxw_format *format = wb->row == 0 ? wb->header : NULL;
    if (cell && *cell)
        check(wb, worksheet_write_string(wb->sheet, wb->row, wb->col, cell, format));
    else if (format && !(s && *s))
        check(wb, worksheet_write_blank(wb->sheet, wb->row, wb->col, format));
    if (cell != s)
        cy_free((char *)cell);
    wb->col++;
}

void cy_workbook_number(cy_workbook *wb, double value)
{
    make_room(wb);
    char exact[40];
    lxw_format *format = wb->col < wb->column_count ?
                         wb->formats[wb->columns[wb->col].format] : NULL;
    /* libxlsxwriter spells numbers with "%.16G": in a workbook that must
     * give its numbers back exactly, a value that needs 17 digits is
     * written as exact text instead (reports keep numbers as numbers). */
    snprintf(exact, sizeof exact, "%.16G", value);
    if (wb->data && strtod(exact, NULL) != value) {
        cy_i_real_spell(exact, value);
        check(wb, worksheet_write_string(wb->sheet, wb->row, wb->col, exact, NULL));
    } else {
        check(wb, worksheet_write_number(wb->sheet, wb->row, wb->col, value, format));
    }
    wb->col++;
}

void cy_workbook_boolean(cy_workbook *wb, int value)
{
    make_room(wb);
    check(wb, worksheet_write_boolean(wb->sheet, wb->row, wb->col, value, NULL));
    wb->col++;
}

void cy_workbook_blank(cy_workbook *wb)
{
    make_room(wb);
    wb->col++;
}

void cy_workbook_row_end(cy_workbook *wb)
{
    wb->row++;
    wb->col = 0;
}

/* The workbook's bytes from its temporary file to `out`. */
static cy_status copy_to(cy_workbook *wb, FILE *out, cy_error *err)
{
    char buf[65536];
    off_t at = 0;
    ssize_t n;
    for (;;) {
        n = pread(wb->fd, buf, sizeof buf, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        at += n;
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write the workbook");
            return CY_EIO;
        }
    }
    if (n < 0 || at == 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot read back the workbook%s%s",
                     n < 0 ? ": " : "", n < 0 ? strerror(errno) : "");
        return CY_EIO;
    }
    return CY_OK;
}

cy_status cy_workbook_write(cy_workbook *wb, FILE *out, cy_error *err)
{
    cy_status status = CY_OK;
    lxw_error rc;
    sheet_finish(wb);
    rc = workbook_close(wb->book);
    wb->book = NULL;
    if (wb->failed == LXW_NO_ERROR && rc != LXW_NO_ERROR)
        wb->failed = rc;
    if (wb->failed != LXW_NO_ERROR || wb->oom)
        status = fail_status(wb, err, "closing");
    else
        status = copy_to(wb, out, err);
    drop_temporary(wb);
    cy_free(wb->text);
    cy_free(wb);
    return status;
}

void *cy_i_workbook_sheet(cy_workbook *wb)
{
    return wb->sheet;
}

void cy_i_workbook_data(cy_workbook *wb)
{
    wb->data = 1;
}
