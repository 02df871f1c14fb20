/*
 * error.c - the diagnostics list (cy_error).  Never prints.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *cy_status_string(cy_status status)
{
    switch (status) {
    case CY_OK: return "ok";
    case CY_EINPUT: return "bad input";
    case CY_EIO: return "input/output error";
    case CY_ENOMEM: return "out of memory";
    case CY_EUSAGE: return "bad argument";
    case CY_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

void cy_error_init(cy_error *err)
{
    memset(err, 0, sizeof *err);
    err->max_errors = CY_MAX_ERRORS;
    err->max_warnings = CY_MAX_WARNINGS;
}

static void diag_free(cy_diag *d)
{
    cy_free(d->file);
    cy_free(d->path);
    cy_free(d->message);
}

void cy_error_clear(cy_error *err)
{
    for (size_t i = 0; i < err->count; i++)
        diag_free(&err->items[i]);
    err->count = 0;
    err->error_count = 0;
    err->warning_count = 0;
    err->limit_reached = 0;
    err->oom = 0;
}

void cy_error_destroy(cy_error *err)
{
    if (!err)
        return;
    cy_error_clear(err);
    cy_free(err->items);
    err->items = NULL;
    err->capacity = 0;
}

/*
 * Append one diagnostic whose message is already formatted.  Counts it even
 * when it is not stored (over the limit, or out of memory), so that callers
 * can say "and N more".
 */
static void error_append(cy_error *err, cy_severity severity, const char *path,
                         int line, int column, const char *fmt, va_list ap)
{
    cy_diag *d;
    va_list ap2;
    int len;

    if (severity == CY_SEV_ERROR) {
        err->error_count++;
        /* The limit is reached by the first error that is not stored, so
         * that error_count > the stored errors tells the reader that there
         * were more (a file with exactly max_errors errors is not cut). */
        if (err->error_count > err->max_errors) {
            err->limit_reached = 1;
            return;
        }
    } else {
        err->warning_count++;
        if (err->warning_count > err->max_warnings)
            return;
    }

    if (err->count == err->capacity) {
        size_t cap = err->capacity ? err->capacity * 2 : 8;
        cy_diag *items = cy_realloc(err->items, cap * sizeof *items);
        if (!items) {
            err->oom = 1;
            return;
        }
        err->items = items;
        err->capacity = cap;
    }
    d = &err->items[err->count];
    memset(d, 0, sizeof *d);
    d->severity = severity;
    d->line = line;
    d->column = column;

    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0) {
        err->oom = 1;
        return;
    }
    d->message = cy_malloc((size_t)len + 1);
    if (!d->message)
        goto oom;
    vsnprintf(d->message, (size_t)len + 1, fmt, ap);
    if (path && !(d->path = cy_strdup(path)))
        goto oom;
    if (err->file && !(d->file = cy_strdup(err->file)))
        goto oom;
    err->count++;
    return;
oom:
    diag_free(d);
    err->oom = 1;
}

void cy_error_add(cy_error *err, cy_severity severity, const char *path,
                  const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    error_append(err, severity, path, 0, 0, fmt, ap);
    va_end(ap);
}

void cy_error_add_at(cy_error *err, cy_severity severity, int line, int column,
                     const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    error_append(err, severity, NULL, line, column, fmt, ap);
    va_end(ap);
}

/*
 * Append `s` to buf at *used (room was counted by the caller: at most four
 * bytes per byte of s), every code point that could drive a terminal or
 * reorder the line shown as a visible escape (utf8.c).
 */
static void append_safe(char *buf, size_t *used, size_t size, const char *s)
{
    *used += cy_i_safe_text(buf + *used, size - *used, s, 0);
}

char *cy_error_format(const cy_error *err, size_t i)
{
    const cy_diag *d;
    char numbers[64] = "";
    size_t need, used = 0;
    char *line;

    if (!err || i >= err->count)
        return NULL;
    d = &err->items[i];
    if (d->line > 0)
        snprintf(numbers, sizeof numbers, ":%d:%d", d->line, d->column);
    /* A visible escape is at most four bytes per byte escaped. */
    need = 4 * ((d->file ? strlen(d->file) : 0) + strlen(numbers) +
                (d->path ? strlen(d->path) : 0) + strlen(d->message)) + 32;
    line = cy_malloc(need);
    if (!line)
        return NULL;
    line[0] = '\0';
    if (d->severity == CY_SEV_WARNING)
        append_safe(line, &used, need, "warning: ");
    if (d->file) {
        append_safe(line, &used, need, d->file);
        append_safe(line, &used, need, numbers);
        append_safe(line, &used, need, ": ");
    } else if (numbers[0]) {
        /* No file name (a buffer): keep the position, "LINE:COLUMN: ". */
        append_safe(line, &used, need, numbers + 1);
        append_safe(line, &used, need, ": ");
    }
    if (d->path) {
        append_safe(line, &used, need, d->path);
        append_safe(line, &used, need, ": ");
    }
    append_safe(line, &used, need, d->message);
    return line;
}

void cy_i_error_move(cy_error *dst, cy_error *src)
{
    cy_i_error_move_within(dst, src, NULL, NULL, NULL);
}

/* One moved message, with its subject when there is one. */
static void move_one(cy_error *dst, const cy_diag *d, const char *path, const char *kind,
                     const char *name)
{
    if (d->line > 0 && !kind)
        cy_error_add_at(dst, d->severity, d->line, d->column, "%s", d->message);
    else if (d->line > 0)
        cy_error_add_at(dst, d->severity, d->line, d->column, "%s \"%s\": %s", kind, name,
                        d->message);
    else if (!kind)
        cy_error_add(dst, d->severity, d->path ? d->path : path, "%s", d->message);
    else
        cy_error_add(dst, d->severity, d->path ? d->path : path, "%s \"%s\": %s", kind, name,
                     d->message);
}

void cy_i_error_move_within(cy_error *dst, cy_error *src, const char *path,
                            const char *kind, const char *name)
{
    size_t errors = 0;

    for (size_t k = 0; k < src->count; k++) {
        errors += src->items[k].severity == CY_SEV_ERROR;
        move_one(dst, &src->items[k], path, kind, name);
    }
    /* Those src counted without storing them. */
    dst->error_count += src->error_count - errors;
    dst->oom |= src->oom;
    cy_error_clear(src);
}
