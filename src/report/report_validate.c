/*
 * report_validate.c - the verdict of `chengyu validate`: the "ok" line, or
 * the whole verdict with every diagnostic as JSON.
 */
#include "writer.h"

#include <string.h>

/* `s` for a JSON string: bytes that are not UTF-8 (a file name, a parser
 * message quoting broken input) become U+FFFD.  NULL on OOM. */
static char *utf8_only(const char *s, cy_r_buf *buf)
{
    long cp;
    cy_r_buf_init(buf);
    for (const char *p = s; *p;) {
        size_t length = cy_i_utf8_next(p, &cp);
        if (cp < 0)
            cy_r_buf_puts(buf, "\xEF\xBF\xBD");
        else
            cy_r_buf_putn(buf, p, length);
        p += length;
    }
    return (char *)cy_r_buf_str(buf);
}

static int member_text(cy_r_json *w, const char *key, const char *s)
{
    cy_r_buf buf;
    const char *safe = s ? utf8_only(s, &buf) : NULL;
    int ok = !s || safe;
    cy_r_json_key(w, key);
    cy_r_json_string(w, safe);
    if (s)
        cy_r_buf_free(&buf);
    return ok;
}

static void member_position(cy_r_json *w, const char *key, int value)
{
    cy_r_json_key(w, key);
    if (value > 0)
        cy_r_json_integer(w, value);
    else
        cy_r_json_null(w);
}

/*
 * A spreadsheet's problems carry their place whole in `path`, as messages
 * show it ("book.xlsx:links!C14 (column \"part\")", "dir/links.csv:14:3
 * (...)"), and no file.  The verdict gives the file (the workbook, or the
 * folder's table) in "file" and the rest (sheet and cell, or line and
 * column) in "path", as it gives a JSON file and its JSON path.  *file is
 * set to a copy in `buf` (NULL on OOM: the caller's ok is then 0).
 */
static void split_place(const cy_diag *d, const char *input, cy_r_buf *buf,
                        const char **file, const char **path)
{
    size_t n = input ? strlen(input) : 0;
    const char *colon;
    *file = d->file;
    *path = d->path;
    if (d->file || !d->path || d->path[0] == '$' || !n || strncmp(d->path, input, n) != 0 ||
        (d->path[n] != ':' && d->path[n] != '/' && d->path[n] != '\0'))
        return;
    colon = strchr(d->path + n, ':');
    cy_r_buf_putn(buf, d->path, colon ? (size_t)(colon - d->path) : strlen(d->path));
    *file = cy_r_buf_str(buf);
    *path = colon ? colon + 1 : NULL;
}

static int write_diagnostic(cy_r_json *w, const cy_diag *d, const char *input)
{
    int ok = 1;
    const char *file, *path;
    cy_r_buf buf;
    cy_r_buf_init(&buf);
    split_place(d, input, &buf, &file, &path);
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_string(w, "severity", d->severity == CY_SEV_ERROR ? "error" : "warning");
    ok &= !buf.oom;
    ok &= member_text(w, "file", file);
    ok &= member_text(w, "path", path);
    cy_r_buf_free(&buf);
    member_position(w, "line", d->line);
    member_position(w, "column", d->column);
    ok &= member_text(w, "message", d->message);
    cy_r_json_object_end(w);
    return ok;
}

static cy_status write_json(const char *file, int ok, size_t enterprises, size_t links,
                            const cy_error *diagnostics, int quiet, FILE *out,
                            cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "verdict", err);
    int complete;
    cy_status status;

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    complete = member_text(w, "file", file);
    cy_r_json_key(w, "ok");
    cy_r_json_bool(w, ok);
    cy_r_json_key(w, "enterprises");
    if (ok)
        cy_r_json_count(w, enterprises);
    else
        cy_r_json_null(w);
    cy_r_json_key(w, "links");
    if (ok)
        cy_r_json_count(w, links);
    else
        cy_r_json_null(w);
    cy_r_json_member_count(w, "error_count", diagnostics->error_count);
    cy_r_json_member_count(w, "warning_count", diagnostics->warning_count);
    /* The loader stops once CY_MAX_ERRORS errors are stored: the counts
     * are then only what was found so far. */
    cy_r_json_key(w, "error_count_complete");
    cy_r_json_bool(w, !diagnostics->limit_reached);
    cy_r_json_key(w, "diagnostics");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t i = 0; i < diagnostics->count; i++)
        if (!quiet || diagnostics->items[i].severity == CY_SEV_ERROR)
            complete &= write_diagnostic(w, &diagnostics->items[i], file);
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    status = cy_r_json_close(w, "verdict", err);
    if (status == CY_OK && !complete) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the verdict");
        status = CY_ENOMEM;
    }
    return status;
}

cy_status cy_validation_write(const char *file, int ok, size_t enterprises, size_t links,
                              const cy_error *diagnostics, int quiet,
                              const cy_write_options *given, FILE *out, cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "verdict", &options, err);
    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON)
        return write_json(file, ok, enterprises, links, diagnostics, quiet, out, err);
    if (ok)
        fprintf(out, "ok: %zu enterprises, %zu links\n", enterprises, links);
    return cy_r_stream_status(out, "verdict", err);
}
