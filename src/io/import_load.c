/*
 * import_load.c - an imported document through the loader: the same
 * validation as the JSON file, with every diagnostic moved to its place in
 * the spreadsheet; and records written as chengyu/1 JSON text.
 */
#include "import_internal.h"

#include <string.h>

/* ---- writing a document ----------------------------------------------------- */

static void put_string(FILE *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t start = 0;
    fputc('"', out);
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        const char *esc = NULL;
        char u[7];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        fwrite(s + start, 1, k - start, out);
        start = k + 1;
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\t': esc = "\\t"; break;
        case '\r': esc = "\\r"; break;
        default:
            memcpy(u, "\\u00", 4);
            u[4] = hex[c >> 4];
            u[5] = hex[c & 15];
            u[6] = '\0';
            esc = u;
        }
        fputs(esc, out);
    }
    fwrite(s + start, 1, n - start, out);
    fputc('"', out);
}


/* ", "key": value" (without the comma for the first member). */
static void put_member(FILE *out, int *first, const char *key, const json_t *value)
{
    fputs(*first ? "" : ", ", out);
    *first = 0;
    put_string(out, key, strlen(key));
    fputs(": ", out);
    cy_i_put_value(out, value);
}

void cy_i_put_value(FILE *out, const json_t *v)
{
    char text[40];
    const char *key;
    json_t *item;
    size_t k;
    int first = 1;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        fputc('{', out);
        json_object_foreach((json_t *)v, key, item)
            put_member(out, &first, key, item);
        fputc('}', out);
        break;
    case JSON_ARRAY:
        fputc('[', out);
        json_array_foreach(v, k, item) {
            fputs(k ? ", " : "", out);
            cy_i_put_value(out, item);
        }
        fputc(']', out);
        break;
    case JSON_STRING:
        put_string(out, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        /* The one spelling of every output: a real stays a real ("3.0"). */
        cy_i_real_spell(text, json_real_value(v));
        fputs(text, out);
        break;
    case JSON_TRUE: fputs("true", out); break;
    case JSON_FALSE: fputs("false", out); break;
    case JSON_NULL: fputs("null", out); break;
    }
}

/* A record's keys in the order of docs/format.md (the column table's). */
void cy_i_put_record(FILE *out, const json_t *record)
{
    const char *key;
    json_t *value;
    int first = 1;
    fputc('{', out);
    for (size_t f = 0; f < cy_column_count; f++) {
        const char *k = cy_columns[f].key;
        if (cy_columns[f].type == CY_COL_LATITUDE)
            continue;
        if (cy_columns[f].type == CY_COL_LONGITUDE)
            k = "location";
        if ((value = json_object_get(record, k)))
            put_member(out, &first, k, value);
    }
    /* Keys outside the table (none in a valid document): kept all the same. */
    json_object_foreach((json_t *)record, key, value) {
        long f = cy_i_column_find(key, strlen(key));
        if (!((f >= 0 && strcmp(cy_columns[f].key, key) == 0) || strcmp(key, "location") == 0))
            put_member(out, &first, key, value);
    }
    fputc('}', out);
}

/*
 * The shares of an import's work, in percent, from the national preset's
 * workbook (docs/performance.md, "The estimates before a run"): reading
 * the tables, then checking the document with the loader (it reports no
 * progress of its own here, so the bar waits at IMPORT_SHARE_READ
 * meanwhile), then writing the JSON.
 */
#define IMPORT_SHARE_READ 83.0
#define IMPORT_SHARE_CHECK 15.0
/* The JSON is written in pieces of this size, one report each. */
#define IMPORT_WRITE_PIECE ((size_t)4 << 20)

/* Write the document's text to `json` with the progress of the writing. */
static int write_text(const char *text, size_t size, const cy_i_progress *p, FILE *json)
{
    const double from = IMPORT_SHARE_READ + IMPORT_SHARE_CHECK;
    for (size_t at = 0; at < size; at += IMPORT_WRITE_PIECE) {
        size_t n = size - at < IMPORT_WRITE_PIECE ? size - at : IMPORT_WRITE_PIECE;
        cy_i_progress_at(p, "writing JSON", from + (100.0 - from) * (double)at / (double)size);
        if (fwrite(text + at, 1, n, json) != n)
            return 0;
    }
    return 1;
}

cy_status cy_import_load(const char *path, const cy_import_options *options,
                         cy_network **out, size_t *enterprise_count, size_t *link_count,
                         FILE *json, cy_error *err)
{
    return cy_import_load_run(path, options, NULL, NULL, out, enterprise_count, link_count,
                              json, err);
}

/* cy_import_translate and cy_import_places_free as a network's origin. */
static void origin_translate(const void *origin, cy_error *err, size_t first)
{
    cy_import_translate(origin, err, first);
}

static void origin_free(void *origin)
{
    cy_import_places_free(origin);
}

cy_status cy_import_load_run(const char *path, const cy_import_options *options,
                             cy_progress_fn progress, void *progress_data, cy_network **out,
                             size_t *enterprise_count, size_t *link_count, FILE *json,
                             cy_error *err)
{
    cy_i_progress p = {progress, progress_data};
    cy_sheet_progress reading = {&p, NULL, 0.0, IMPORT_SHARE_READ};
    cy_import_places *places;
    char *text;
    size_t size, first;
    const char *saved = err->file;
    cy_network *net = NULL;
    cy_status status = cy_i_import_text(path, options, progress ? &reading : NULL, &text,
                                        &size, &places, err);
    if (out)
        *out = NULL;
    if (status != CY_OK)
        return status;
    /* The loader takes the document as the JSON text it would be, and its
     * streaming pass keeps only one record's tree at a time. */
    first = err->count;
    cy_i_progress_at(&p, "checking the network", IMPORT_SHARE_READ);
    status = cy_network_load_buffer(text, size, places->label, &net, err);
    err->file = saved;
    cy_import_translate(places, err, first);
    if (status == CY_OK) {
        if (enterprise_count)
            *enterprise_count = cy_network_enterprise_count(net);
        if (link_count)
            *link_count = cy_network_link_count(net);
        if (json && !write_text(text, size, &p, json)) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write the JSON document");
            status = CY_EIO;
        }
    }
    if (status == CY_OK)
        cy_i_progress_at(&p, json ? "writing JSON" : "checking the network", 100.0);
    free(text);
    if (status == CY_OK && out) {
        /* Later diagnostics (the stress data's) name cells too. */
        cy_i_network_set_origin(net, places, origin_translate, origin_free);
        *out = net;
    } else {
        cy_import_places_free(places);
        cy_network_free(net);
    }
    return status;
}

cy_status cy_network_load_any(const char *path, const cy_import_options *options,
                              cy_network **out, size_t *enterprise_count,
                              size_t *link_count, cy_error *err)
{
    cy_load_options load = {.max_input_bytes = options ? options->max_input_bytes : 0};
    if (!cy_import_is_spreadsheet(path)) {
        if (out)
            return cy_network_load(path, &load, out, err);
        return cy_network_check(path, &load, enterprise_count, link_count, err);
    }
    return cy_import_load(path, options, out, enterprise_count, link_count, NULL, err);
}
