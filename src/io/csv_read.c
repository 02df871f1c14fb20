/*
 * csv_read.c - CSV tables (RFC 4180: quoted fields may hold commas, quotes
 * doubled, line breaks) in UTF-8, GB18030/GBK or UTF-16, read whole (the
 * same size limit as a JSON input) and converted to UTF-8 with iconv.
 */
#include "xlsx_read.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Length of the valid UTF-8 prefix of data[0..size). */
static size_t utf8_valid_prefix(const unsigned char *data, size_t size)
{
    size_t i = 0;
    while (i < size) {
        unsigned char c = data[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
        else return i;
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= size || (data[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (data[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return size;
}

/* 1-based line and column (in bytes) of offset `at`. */
static void position(const char *data, size_t at, size_t *line, size_t *column)
{
    size_t l = 1, start = 0;
    for (size_t k = 0; k < at; k++) {
        if (data[k] == '\n') {
            l++;
            start = k + 1;
        }
    }
    *line = l;
    *column = at - start + 1;
}

/* Convert data[0..size) from `from` to UTF-8 into a new buffer; 0 on
 * failure with *bad the offset of the first byte that did not convert. */
static int convert(const char *from, const char *data, size_t size, char **out,
                   size_t *out_size, size_t *bad, int *unknown)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = size * 2 + 16, left_in = size, left_out;
    char *in = (char *)data, *buf, *dst;
    *unknown = 0;
    if (cd == (iconv_t)-1) {
        *unknown = 1;
        return 0;
    }
    if (!(buf = cy_malloc(cap + 1))) {
        iconv_close(cd);
        return -1;
    }
    dst = buf;
    left_out = cap;
    while (left_in > 0) {
        if (iconv(cd, &in, &left_in, &dst, &left_out) == (size_t)-1) {
            if (errno == E2BIG) {
                size_t used = (size_t)(dst - buf);
                char *grown = cy_realloc(buf, cap * 2 + 1);
                if (!grown) {
                    cy_free(buf);
                    iconv_close(cd);
                    return -1;
                }
                buf = grown;
                cap *= 2;
                dst = buf + used;
                left_out = cap - used;
                continue;
            }
            *bad = (size_t)(in - data);
            cy_free(buf);
            iconv_close(cd);
            return 0;
        }
    }
    iconv_close(cd);
    *out_size = (size_t)(dst - buf);
    buf[*out_size] = '\0';
    *out = buf;
    return 1;
}

static cy_status read_all(const char *path, const char *label, size_t max_bytes,
                          char **data, size_t *size, cy_error *err)
{
    FILE *f;
    struct stat st;
    size_t got;
    if (stat(path, &st) != 0) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "cannot read: %s", strerror(errno));
        return CY_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        /* errno is not stat's here: it may hold any earlier failure. */
        cy_sheet_diag(err, CY_SEV_ERROR, label, "cannot read: not a regular file");
        return CY_EIO;
    }
    if ((size_t)st.st_size > max_bytes) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "larger than the input limit of %zu bytes",
                      max_bytes);
        return CY_EINPUT;
    }
    if (!(f = fopen(path, "rb"))) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "cannot open: %s", strerror(errno));
        return CY_EIO;
    }
    if (!(*data = cy_malloc((size_t)st.st_size + 1))) {
        fclose(f);
        cy_sheet_diag(err, CY_SEV_ERROR, label, "out of memory");
        return CY_ENOMEM;
    }
    got = fread(*data, 1, (size_t)st.st_size, f);
    fclose(f);
    if (got != (size_t)st.st_size) {
        cy_free(*data);
        *data = NULL;
        cy_sheet_diag(err, CY_SEV_ERROR, label, "cannot read the whole file");
        return CY_EIO;
    }
    (*data)[got] = '\0';
    *size = got;
    return CY_OK;
}

/* Re-encode `*data` as UTF-8 from `from`; reports and returns 0 on failure. */
static cy_status reencode(const char *label, const char *from, char **data,
                          size_t *size, cy_error *err)
{
    char *out = NULL, place[600];
    size_t out_size = 0, bad = 0, line, column;
    int unknown, rc = convert(from, *data, *size, &out, &out_size, &bad, &unknown);
    if (rc < 0) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "out of memory");
        return CY_ENOMEM;
    }
    if (rc == 0 && unknown) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "unknown encoding \"%.60s\"", from);
        return CY_EUSAGE;
    }
    if (rc == 0) {
        position(*data, bad, &line, &column);
        snprintf(place, sizeof place, "%s:%zu:%zu", label, line, column);
        cy_sheet_diag(err, CY_SEV_ERROR, place, "byte 0x%02x is not valid %s",
                      (unsigned char)(*data)[bad], from);
        return CY_EINPUT;
    }
    cy_free(*data);
    *data = out;
    *size = out_size;
    return CY_OK;
}

/* Decide the encoding, convert, and strip a byte-order mark. */
static cy_status to_utf8(const char *label, const char *encoding, char **data,
                         size_t *size, cy_error *err)
{
    const unsigned char *u = (const unsigned char *)*data;
    size_t valid;
    cy_status status;
    if (!encoding && *size >= 2 &&
        ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff)))
        encoding = "UTF-16";
    if (encoding && strcasecmp(encoding, "utf-8") != 0 && strcasecmp(encoding, "utf8") != 0) {
        if ((status = reencode(label, encoding, data, size, err)) != CY_OK)
            return status;
    } else if ((valid = utf8_valid_prefix(u, *size)) < *size) {
        size_t line, column;
        char place[600];
        if (encoding) {
            position(*data, valid, &line, &column);
            snprintf(place, sizeof place, "%s:%zu:%zu", label, line, column);
            cy_sheet_diag(err, CY_SEV_ERROR, place, "byte 0x%02x is not valid UTF-8",
                          u[valid]);
            return CY_EINPUT;
        }
        if ((status = reencode(label, "GB18030", data, size, err)) != CY_OK) {
            if (status == CY_EINPUT)
                cy_sheet_diag(err, CY_SEV_ERROR, label, "neither UTF-8 nor GB18030: "
                              "save it as \"CSV UTF-8\", or give --encoding");
            return status;
        }
        cy_sheet_diag(err, CY_SEV_WARNING, label, "not UTF-8: read as GB18030 "
                      "(what Excel writes on Chinese Windows); --encoding chooses another");
    }
    if (*size >= 3 && memcmp(*data, "\xef\xbb\xbf", 3) == 0) {
        memmove(*data, *data + 3, *size - 3 + 1);
        *size -= 3;
    }
    return CY_OK;
}

/* ---- records ----------------------------------------------------------- */

typedef struct {
    cy_sheet_cell *cells;
    size_t count, cap;
} cell_list;

static int push_cell(cell_list *list, uint32_t column, uint32_t line, char *text,
                     size_t length)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 16;
        cy_sheet_cell *cells = cy_realloc(list->cells, cap * sizeof *cells);
        if (!cells)
            return 0;
        list->cells = cells;
        list->cap = cap;
    }
    text[length] = '\0';
    list->cells[list->count++] = (cy_sheet_cell){column, line, CY_CELL_STRING, text, length};
    return 1;
}

/*
 * Split data (NUL-terminated, modified in place: quotes removed, fields
 * terminated) into records.  Empty fields are left out, as empty cells are.
 */
static cy_status split_records(char *data, size_t size, const char *label, char sep,
                               cy_sheet_row_fn fn, void *ctx, const cy_sheet_progress *sp,
                               cy_error *err)
{
    cell_list list = {0};
    size_t i = 0, line = 1, records = 0;
    char end = '\0';
    cy_status status = CY_OK;
    char place[600];

    while (i < size && status == CY_OK) {
        uint32_t column = 0;
        size_t record_line = line;
        list.count = 0;
        if (sp && records++ % CY_I_PROGRESS_EVERY == 0)
            cy_i_progress_at(sp->progress, sp->what,
                             sp->from + sp->span * (double)i / (double)size);
        for (;;) {
            size_t field_line = line, start = i, out = i;
            if (data[i] == '"') {
                i++;
                for (;;) {
                    if (i >= size) {
                        snprintf(place, sizeof place, "%s:%zu:%u", label, field_line,
                                 column + 1);
                        cy_sheet_diag(err, CY_SEV_ERROR, place,
                                      "a quoted field is not closed");
                        status = CY_EINPUT;
                        goto done;
                    }
                    if (data[i] == '"' && data[i + 1] == '"') {
                        data[out++] = '"';
                        i += 2;
                    } else if (data[i] == '"') {
                        i++;
                        break;
                    } else {
                        if (data[i] == '\n')
                            line++;
                        data[out++] = data[i++];
                    }
                }
                /* Text after the closing quote is kept, as Excel does. */
            }
            while (i < size && data[i] != sep && data[i] != '\n' && data[i] != '\r')
                data[out++] = data[i++];
            end = i < size ? data[i] : '\0';
            if (column >= CY_SHEET_MAX_COLUMNS) {
                snprintf(place, sizeof place, "%s:%zu", label, record_line);
                cy_sheet_diag(err, CY_SEV_ERROR, place, "more than %u fields in a record",
                              CY_SHEET_MAX_COLUMNS);
                status = CY_EINPUT;
                goto done;
            }
            /* push_cell ends the text with a NUL at out <= i: `end` keeps
             * the byte it may overwrite. */
            if (out > start &&
                !push_cell(&list, column, (uint32_t)field_line, data + start, out - start)) {
                cy_sheet_diag(err, CY_SEV_ERROR, label, "out of memory");
                status = CY_ENOMEM;
                goto done;
            }
            column++;
            if (end == sep && i < size) {
                i++;
                continue;
            }
            break;
        }
        if (i < size && end == '\r') {
            i++;
            if (i < size && data[i] == '\n')
                i++;
            line++;
        } else if (i < size && end == '\n') {
            i++;
            line++;
        }
        if (list.count > 0 && fn(ctx, (uint32_t)(record_line > UINT32_MAX ? UINT32_MAX : record_line),
                                 list.cells, list.count) != 0)
            status = CY_EINPUT;
    }
done:
    cy_free(list.cells);
    return status;
}

cy_status cy_csv_read(const char *path, const char *label, const char *encoding,
                      size_t max_bytes, cy_sheet_row_fn fn, void *ctx, cy_error *err)
{
    return cy_csv_read_progress(path, label, encoding, max_bytes, fn, ctx, NULL, err);
}

cy_status cy_csv_read_progress(const char *path, const char *label, const char *encoding,
                               size_t max_bytes, cy_sheet_row_fn fn, void *ctx,
                               const cy_sheet_progress *sp, cy_error *err)
{
    char *data = NULL, sep = ',';
    size_t size = 0;
    cy_status status = read_all(path, label, max_bytes, &data, &size, err);
    if (status == CY_OK)
        status = to_utf8(label, encoding, &data, &size, err);
    if (status == CY_OK && memchr(data, '\0', size)) {
        cy_sheet_diag(err, CY_SEV_ERROR, label, "the file holds a NUL byte: not a text table");
        status = CY_EINPUT;
    }
    if (status == CY_OK) {
        const char *nl = memchr(data, '\n', size);
        size_t first = nl ? (size_t)(nl - data) : size;
        if (memchr(data, '\t', first) && !memchr(data, ',', first))
            sep = '\t';
        status = split_records(data, size, label, sep, fn, ctx, sp, err);
    }
    cy_free(data);
    return status;
}
