/*
 * import_places.c - from a JSON path of an imported document back to the
 * user's sheet and cell: "$.links[12].part" is "book.xlsx:links!C14 (column
 * "part")" or "dir/links.csv:14:3 (column "part")".
 */
#include "import_internal.h"

#include <stdlib.h>
#include <string.h>

void cy_i_cell_place(const cy_import_places *places, cy_sheet_kind sheet,
                     uint32_t row, long column, long field, char *out, size_t size)
{
    const cy_i_sheet_places *at = &places->sheets[sheet];
    size_t used;
    char name[8];
    if (row == 0) {
        used = (size_t)snprintf(out, size, "%s", at->label);
    } else if (column < 0) {
        used = at->csv ? (size_t)snprintf(out, size, "%s:%u", at->label, row)
                       : (size_t)snprintf(out, size, "%s!%u:%u", at->label, row, row);
    } else if (at->csv) {
        used = (size_t)snprintf(out, size, "%s:%u:%ld", at->label, row, column + 1);
    } else {
        cy_sheet_column_name((uint32_t)column, name);
        used = (size_t)snprintf(out, size, "%s!%s%u", at->label, name, row);
    }
    if (field >= 0 && at->header_of && at->header_of[field] && used < size)
        snprintf(out + used, size - used, " (column \"%.60s\")", at->header_of[field]);
}

/* The field index of `key` (length n) in `sheet`, or -1; "location"
 * resolves to longitude, or latitude when `second`. */
static long field_of(cy_sheet_kind sheet, const char *key, size_t n, int second)
{
    if (n == 8 && memcmp(key, "location", 8) == 0) {
        key = second ? "latitude" : "longitude";
        n = strlen(key);
    }
    for (size_t f = 0; f < cy_column_count; f++)
        if ((cy_columns[f].sheets & CY_SHEET_BIT(sheet)) && strlen(cy_columns[f].key) == n &&
            memcmp(cy_columns[f].key, key, n) == 0)
            return (long)f;
    return -1;
}

/* Read "[digits]" at *p. */
static int read_index(const char **p, size_t *index)
{
    char *end;
    if (**p != '[' || (*p)[1] < '0' || (*p)[1] > '9')
        return 0;
    *index = strtoul(*p + 1, &end, 10);
    if (*end != ']')
        return 0;
    *p = end + 1;
    return 1;
}

/* Read ".key" at *p: the key's start and length. */
static int read_key(const char **p, const char **key, size_t *n)
{
    const char *q;
    if (**p != '.')
        return 0;
    q = ++*p;
    while (*q && *q != '.' && *q != '[')
        q++;
    *key = *p;
    *n = (size_t)(q - *p);
    *p = q;
    return *n > 0;
}

static int sheet_of(const char *key, size_t n)
{
    for (int s = CY_SHEET_REGIONS; s < CY_SHEET_COUNT; s++)
        if (strlen(cy_sheets[s].name) == n && memcmp(cy_sheets[s].name, key, n) == 0)
            return s;
    return -1;
}

/* A top-level key ("$.name"): its cell in the network sheet, or the input. */
static int top_place(const cy_import_places *places, const char *key, size_t n,
                     char *out, size_t size)
{
    const cy_i_sheet_places *net = &places->sheets[CY_SHEET_NETWORK];
    long f = field_of(CY_SHEET_NETWORK, key, n, 0);
    int s = sheet_of(key, n);
    if (s >= 0 && places->sheets[s].present) {
        cy_i_cell_place(places, (cy_sheet_kind)s, 0, -1, -1, out, size);
    } else if (f >= 0 && net->present && net->count > 0 && net->column_of[f] >= 0) {
        cy_i_cell_place(places, CY_SHEET_NETWORK, net->rows[0], net->column_of[f], f, out,
                        size);
    } else {
        snprintf(out, size, "%s", places->label);
    }
    return 1;
}

int cy_i_place_of(const cy_import_places *places, const char *path, char *out,
                  size_t size)
{
    const char *p = path, *key;
    size_t n, record, entry = 0;
    const cy_i_sheet_places *at;
    int s, has_entry;
    long f = -1;

    if (strncmp(p, "$", 1) != 0)
        return 0;
    p++;
    if (!*p) {
        snprintf(out, size, "%s", places->label);
        return 1;
    }
    if (!read_key(&p, &key, &n))
        return 0;
    if (!*p)
        return top_place(places, key, n, out, size);
    if ((s = sheet_of(key, n)) < 0 || !places->sheets[s].present)
        return 0;
    at = &places->sheets[s];
    if (!read_index(&p, &record) || record >= at->count)
        return 0;
    if (*p && read_key(&p, &key, &n)) {
        has_entry = read_index(&p, &entry);
        f = field_of((cy_sheet_kind)s, key, n, has_entry && entry == 1);
        if (f < 0 || at->column_of[f] < 0)
            f = -1;
        if (f >= 0 && has_entry && cy_columns[f].type == CY_COL_LIST) {
            size_t used;
            cy_i_cell_place(places, (cy_sheet_kind)s, at->rows[record], at->column_of[f],
                            f, out, size);
            used = strlen(out);
            if (used > 0 && out[used - 1] == ')')
                snprintf(out + used - 1, size - used + 1, ", entry %zu)", entry + 1);
            return 1;
        }
    }
    cy_i_cell_place(places, (cy_sheet_kind)s, at->rows[record],
                    f >= 0 ? at->column_of[f] : -1, f, out, size);
    return 1;
}

/* The field named in "missing required field "kind"": its column. */
static long missing_field(const cy_import_places *places, const char *path,
                          const char *message)
{
    static const char prefix[] = "missing required field \"";
    const char *key, *end, *p = path + 1;
    size_t n;
    int s;
    if (strncmp(message, prefix, sizeof prefix - 1) != 0 || !read_key(&p, &key, &n) ||
        (s = sheet_of(key, n)) < 0)
        return -1;
    key = message + sizeof prefix - 1;
    if (!(end = strchr(key, '"')))
        return -1;
    (void)places;
    return field_of((cy_sheet_kind)s, key, (size_t)(end - key), 0);
}

/* A path token inside a message: "$" followed by path characters. */
static size_t path_token(const char *s)
{
    size_t n = 1;
    while (s[n] == '.' || s[n] == '[' || s[n] == ']' || s[n] == '_' ||
           (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
           (s[n] >= '0' && s[n] <= '9'))
        n++;
    while (n > 1 && (s[n - 1] == '.'))
        n--;
    return n;
}

/* The message with every JSON path in it replaced by its place. */
static char *translate_message(const cy_import_places *places, const char *message)
{
    size_t cap = strlen(message) * 2 + 64, used = 0;
    char *out = cy_malloc(cap), path[512], place[700];
    const char *s = message;
    if (!out)
        return NULL;
    while (*s) {
        size_t n = (*s == '$' && (s[1] == '.' || s[1] == '[')) ? path_token(s) : 0, add;
        const char *piece = s;
        if (n > 1 && n < sizeof path) {
            memcpy(path, s, n);
            path[n] = '\0';
            if (cy_i_place_of(places, path, place, sizeof place)) {
                piece = place;
                add = strlen(place);
            } else {
                add = n;
            }
        } else {
            n = add = 1;
        }
        if (used + add + 1 > cap) {
            char *grown = cy_realloc(out, (cap = (used + add + 1) * 2));
            if (!grown) {
                cy_free(out);
                return NULL;
            }
            out = grown;
        }
        memcpy(out + used, piece, add);
        used += add;
        s += n;
    }
    out[used] = '\0';
    return out;
}

static void translate_one(const cy_import_places *places, cy_diag *d, int *oom)
{
    char place[700], *message, *copy;
    long f;
    if (d->path && cy_i_place_of(places, d->path, place, sizeof place)) {
        f = missing_field(places, d->path, d->message);
        if (f >= 0) {
            const char *p = d->path + 1, *key;
            size_t n, record;
            int s;
            read_key(&p, &key, &n);
            s = sheet_of(key, n);
            if (read_index(&p, &record) && !*p && places->sheets[s].column_of[f] >= 0)
                cy_i_cell_place(places, (cy_sheet_kind)s, places->sheets[s].rows[record],
                                places->sheets[s].column_of[f], f, place, sizeof place);
        }
        if (!(copy = cy_strdup(place))) {
            *oom = 1;
            return;
        }
        cy_free(d->path);
        d->path = copy;
        cy_free(d->file);
        d->file = NULL;
    }
    if ((message = translate_message(places, d->message))) {
        cy_free(d->message);
        d->message = message;
    } else {
        *oom = 1;
    }
}

void cy_import_translate(const cy_import_places *places, cy_error *err, size_t first)
{
    int oom = 0;
    for (size_t i = first; i < err->count; i++)
        translate_one(places, &err->items[i], &oom);
    if (oom)
        err->oom = 1;
}
