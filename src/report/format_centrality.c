/*
 * format_centrality.c - the table, CSV and JSON writers of a centrality
 * result.  Writers only format: the rows, their order and their values
 * come from the result as they are.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Widest id or name cell in a table, in terminal columns. */
#define TABLE_TEXT_MAX 40
#define NUMBER_SIZE 40

/* ---- numbers ------------------------------------------------------------ */

/*
 * The shortest of %.15g, %.16g, %.17g that reads back as the same double,
 * so CSV is exact without the noise of 0.10000000000000001.  Integer
 * measures print without a decimal point; non-finite values as "".
 */
static void format_exact(char buf[NUMBER_SIZE], double value, int integer)
{
    if (!isfinite(value)) {
        buf[0] = '\0';
        return;
    }
    if (integer) {
        snprintf(buf, NUMBER_SIZE, "%.0f", value);
        return;
    }
    cy_i_real_text(buf, value);
}

/* Six significant digits for people. */
static void format_short(char buf[NUMBER_SIZE], double value, int integer)
{
    if (!isfinite(value))
        snprintf(buf, NUMBER_SIZE, "%s", isnan(value) ? "nan" : "inf");
    else if (integer)
        snprintf(buf, NUMBER_SIZE, "%.0f", value);
    else
        snprintf(buf, NUMBER_SIZE, "%.6g", value);
}

/* ---- table ---------------------------------------------------------------- */

/*
 * Decode one UTF-8 sequence at s; returns its length (>= 1) and sets *cp,
 * or -1 in *cp for an invalid byte (consumed alone).
 */
static size_t utf8_next(const unsigned char *s, long *cp)
{
    size_t len;
    long c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, c = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, c = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, c = s[0] & 0x07;
    else {
        *cp = -1;
        return 1;
    }
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80) {
            *cp = -1;
            return 1;
        }
        c = (c << 6) | (s[k] & 0x3f);
    }
    *cp = c;
    return len;
}

/*
 * Terminal columns of a code point: 2 for East Asian wide and full-width
 * characters (the Chinese names of this domain), 0 for combining marks,
 * 1 otherwise.  A compact table of the main blocks, not full Unicode
 * East_Asian_Width; close enough to keep columns aligned.
 */
static int codepoint_width(long c)
{
    if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x200b && c <= 0x200f) ||
        (c >= 0xfe00 && c <= 0xfe0f))
        return 0;
    if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
        (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
        (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
        (c >= 0x20000 && c <= 0x3fffd))
        return 2;
    return 1;
}

/* Control characters (C0, DEL, C1) and invalid bytes print as '?', so a
 * hostile name can never drive the terminal. */
static int is_unprintable(long c)
{
    return c < 0 || c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/*
 * Write `text` cut to at most `max` columns ("…" marks a cut) and padded
 * with spaces to `pad` columns.  Returns the columns written (before
 * padding); with stream NULL only measures.
 */
static size_t table_text(FILE *stream, const char *text, size_t max, size_t pad)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t total = 0, used = 0, i = 0;
    long c;

    /* Does the whole text fit? */
    while (s[i]) {
        i += utf8_next(s + i, &c);
        total += is_unprintable(c) ? 1 : (size_t)codepoint_width(c);
    }
    i = 0;
    while (s[i]) {
        size_t len = utf8_next(s + i, &c);
        size_t w = is_unprintable(c) ? 1 : (size_t)codepoint_width(c);
        if (total > max && used + w > max - 1)
            break;
        if (stream) {
            if (is_unprintable(c))
                fputc('?', stream);
            else
                fwrite(s + i, 1, len, stream);
        }
        used += w;
        i += len;
    }
    if (total > max) {
        if (stream)
            fputs("\xe2\x80\xa6", stream); /* U+2026 HORIZONTAL ELLIPSIS */
        used++;
    }
    if (stream) {
        for (size_t k = used; k < pad; k++)
            fputc(' ', stream);
    }
    return used;
}

static void write_table(const cy_centrality_result *r, FILE *stream,
                        size_t *widths)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    char buf[NUMBER_SIZE];
    static const char *const heads[3] = {"id", "name", "kind"};

    /* Column widths: headers, then every cell. */
    for (size_t k = 0; k < 3; k++)
        widths[k] = strlen(heads[k]);
    for (size_t k = 0; k < mc; k++)
        widths[3 + k] = strlen(cy_measure_name(cy_centrality_measure(r, k)));
    for (size_t i = 0; i < rows; i++) {
        const char *text[3] = {cy_centrality_row_id(r, i),
                               cy_centrality_row_name(r, i),
                               cy_centrality_row_kind(r, i)};
        for (size_t k = 0; k < 3; k++) {
            size_t w = table_text(NULL, text[k], TABLE_TEXT_MAX, 0);
            if (w > widths[k])
                widths[k] = w;
        }
        for (size_t k = 0; k < mc; k++) {
            format_short(buf, cy_centrality_value(r, i, k),
                         cy_centrality_measure_is_integer(r, k));
            if (strlen(buf) > widths[3 + k])
                widths[3 + k] = strlen(buf);
        }
    }

    for (size_t k = 0; k < 3; k++) {
        table_text(stream, heads[k], TABLE_TEXT_MAX, widths[k]);
        fputs("  ", stream);
    }
    for (size_t k = 0; k < mc; k++)
        fprintf(stream, "%s%*s", k ? "  " : "", (int)widths[3 + k],
                cy_measure_name(cy_centrality_measure(r, k)));
    fputc('\n', stream);
    for (size_t i = 0; i < rows; i++) {
        const char *text[3] = {cy_centrality_row_id(r, i),
                               cy_centrality_row_name(r, i),
                               cy_centrality_row_kind(r, i)};
        for (size_t k = 0; k < 3; k++) {
            table_text(stream, text[k], TABLE_TEXT_MAX, widths[k]);
            fputs("  ", stream);
        }
        for (size_t k = 0; k < mc; k++) {
            format_short(buf, cy_centrality_value(r, i, k),
                         cy_centrality_measure_is_integer(r, k));
            fprintf(stream, "%s%*s", k ? "  " : "", (int)widths[3 + k], buf);
        }
        fputc('\n', stream);
    }
}

/* ---- CSV ------------------------------------------------------------------ */

/* RFC 4180: a field with a comma, a quote or a line break is quoted, with
 * quotes doubled; anything else is written as it is. */
static void csv_field(FILE *stream, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, stream);
        return;
    }
    fputc('"', stream);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', stream);
        fputc(*p, stream);
    }
    fputc('"', stream);
}

static void write_csv(const cy_centrality_result *r, FILE *stream)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    char buf[NUMBER_SIZE];

    fputs("id,name,kind", stream);
    for (size_t k = 0; k < mc; k++)
        fprintf(stream, ",%s", cy_measure_name(cy_centrality_measure(r, k)));
    fputc('\n', stream);
    for (size_t i = 0; i < rows; i++) {
        csv_field(stream, cy_centrality_row_id(r, i));
        fputc(',', stream);
        csv_field(stream, cy_centrality_row_name(r, i));
        fputc(',', stream);
        csv_field(stream, cy_centrality_row_kind(r, i));
        for (size_t k = 0; k < mc; k++) {
            format_exact(buf, cy_centrality_value(r, i, k),
                         cy_centrality_measure_is_integer(r, k));
            fputc(',', stream);
            fputs(buf, stream);
        }
        fputc('\n', stream);
    }
}

/* ---- JSON ------------------------------------------------------------------ */

#define JSON_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

static json_t *json_number(double value, int integer)
{
    if (!isfinite(value))
        return json_null();
    if (integer)
        return json_integer((json_int_t)value);
    return json_real(value);
}

static json_t *graph_json(const cy_centrality_result *r)
{
    const cy_centrality_graph *g = cy_centrality_graph_info(r);
    json_t *o = json_object();
    int ok = o != NULL;

    if (!ok)
        return NULL;
    ok &= !json_object_set_new(o, "view", json_string(g->view));
    ok &= !json_object_set_new(o, "vertices", json_integer((json_int_t)g->vertices));
    ok &= !json_object_set_new(o, "edges", json_integer((json_int_t)g->edges));
    ok &= !json_object_set_new(o, "enterprises", json_integer((json_int_t)g->enterprises));
    ok &= !json_object_set_new(o, "links", json_integer((json_int_t)g->links));
    ok &= !json_object_set_new(o, "directed", json_boolean(g->directed));
    ok &= !json_object_set_new(o, "weighted", json_boolean(g->weighted));
    ok &= !json_object_set_new(o, "normalized", json_boolean(g->normalized));
    ok &= !json_object_set_new(o, "zero_volume_edges",
                               json_integer((json_int_t)g->zero_volume_edges));
    ok &= !json_object_set_new(o, "betweenness_sources",
                               g->betweenness_sources
                                   ? json_integer((json_int_t)g->betweenness_sources)
                                   : json_null());
    ok &= !json_object_set_new(o, "seed", json_integer((json_int_t)g->seed));
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * The document is streamed: the graph object, the measure list and then
 * one row object at a time (one per line), each dumped by Jansson, so
 * memory stays at one row however many rows there are.
 */
static cy_status write_json(const cy_centrality_result *r, FILE *stream)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    json_t *graph = graph_json(r), *measures = json_array();
    int ok = graph && measures;

    for (size_t k = 0; ok && k < mc; k++)
        ok &= !json_array_append_new(
            measures, json_string(cy_measure_name(cy_centrality_measure(r, k))));
    if (ok) {
        fputs("{\"graph\": ", stream);
        ok &= json_dumpf(graph, stream, JSON_FLAGS) == 0;
        fputs(",\n \"measures\": ", stream);
        ok &= json_dumpf(measures, stream, JSON_FLAGS) == 0;
        fputs(",\n \"rows\": [", stream);
    }
    for (size_t i = 0; ok && i < rows; i++) {
        json_t *row = json_object();
        ok &= row != NULL;
        if (!ok)
            break;
        ok &= !json_object_set_new(row, "id", json_string(cy_centrality_row_id(r, i)));
        ok &= !json_object_set_new(row, "name", json_string(cy_centrality_row_name(r, i)));
        ok &= !json_object_set_new(row, "kind", json_string(cy_centrality_row_kind(r, i)));
        for (size_t k = 0; k < mc; k++)
            ok &= !json_object_set_new(
                row, cy_measure_name(cy_centrality_measure(r, k)),
                json_number(cy_centrality_value(r, i, k),
                            cy_centrality_measure_is_integer(r, k)));
        fputs(i ? ",\n  " : "\n  ", stream);
        ok &= ok && json_dumpf(row, stream, JSON_FLAGS) == 0;
        json_decref(row);
    }
    if (ok)
        fputs(rows ? "\n ]}\n" : "]}\n", stream);
    json_decref(graph);
    json_decref(measures);
    return ok ? CY_OK : CY_ENOMEM;
}

cy_status cy_centrality_write(const cy_centrality_result *result,
                              cy_centrality_format format, FILE *stream,
                              cy_error *err)
{
    cy_status status = CY_OK;

    switch (format) {
    case CY_CENTRALITY_TABLE: {
        size_t *widths = cy_malloc((3 + cy_centrality_measure_count(result)) *
                                   sizeof *widths);
        if (!widths) {
            status = CY_ENOMEM;
            break;
        }
        write_table(result, stream, widths);
        cy_free(widths);
        break;
    }
    case CY_CENTRALITY_CSV:
        write_csv(result, stream);
        break;
    case CY_CENTRALITY_JSON:
        status = write_json(result, stream);
        break;
    default:
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown centrality format %d",
                     (int)format);
        return CY_EUSAGE;
    }
    /* A failed json_dumpf is a write error when the stream says so. */
    if (ferror(stream)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "error writing centrality output");
        return CY_EIO;
    }
    if (status == CY_ENOMEM)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing centrality");
    return status;
}
