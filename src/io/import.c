/*
 * import.c - spreadsheet tables -> the chengyu/1 document the JSON would
 * be.  Each sheet (or CSV file) is read row by row; its first row names
 * the columns (chengyu/1 keys or their Chinese aliases, import_columns.c),
 * every later row that holds anything becomes one record.  The importer
 * checks only what belongs to the tables (headers, numbers, booleans, a
 * location's two halves); every rule of the format is left to the loader,
 * whose JSON paths import_places.c turns back into sheets and cells.
 */
#include "import_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <strings.h>
#include <sys/stat.h>

#define NO_HEADER (-1)   /* a column whose header cell is empty */
#define BAD_HEADER (-2)  /* a column whose header was reported */

/*
 * The document is written as text while the rows are read: a record is a
 * small Jansson object for as long as its row is read, then one line of
 * text.  A whole-document tree of a million links would take about 1.4 GB
 * (the loader's DOM of the national preset); the text takes a tenth.
 */
typedef struct {
    FILE *out;             /* open_memstream over text/size */
    char *text;
    size_t size;
    json_t *top;           /* name, description, currency, meta (the network sheet) */
    const char *path;
    int started;
} doc_text;

typedef struct {
    cy_import_places *places;
    cy_error *err;
    doc_text *dt;
    cy_sheet_kind sheet;
    cy_i_sheet_places *at;
    int in_array;              /* the sheet's array has been opened */
    size_t written;            /* records written to it */
    int have_header;
    long *field_of_column;     /* per column: a cy_columns index, NO/BAD_HEADER */
    size_t column_count;
    unsigned char *told;       /* per column: "no header" already reported */
    size_t network_rows;
    int oom;
} sheet_reader;

/* ---- messages ----------------------------------------------------------- */

static void cell_error(sheet_reader *r, uint32_t row, long column, long field,
                       const char *fmt, const char *arg)
{
    char place[700];
    cy_i_cell_place(r->places, r->sheet, row, column, field, place, sizeof place);
    cy_sheet_diag(r->err, CY_SEV_ERROR, place, fmt, arg);
}

static void cell_warning(sheet_reader *r, uint32_t row, long column, long field,
                         const char *fmt, const char *arg)
{
    char place[700];
    cy_i_cell_place(r->places, r->sheet, row, column, field, place, sizeof place);
    cy_sheet_diag(r->err, CY_SEV_WARNING, place, fmt, arg);
}

/* A user string quoted for a message: at most 60 bytes, cut on a UTF-8
 * boundary. */
static const char *quoted(const char *s, size_t length, char out[80])
{
    size_t n = length < 60 ? length : 60;
    while (n < length && n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    snprintf(out, 80, "\"%.*s%s\"", (int)n, s, n < length ? "..." : "");
    return out;
}

/* Levenshtein distance of two short byte strings, capped at 99. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[64], prev, cur;
    if (la > 60 || lb > 60)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev + ((a[i - 1] | 32) != (b[j - 1] | 32));
            cur = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            prev = row[j];
            row[j] = cur < sub ? cur : sub;
        }
    }
    return row[lb];
}

/* The key of this sheet nearest to `name`, or NULL when none is close. */
static const char *nearest_key(cy_sheet_kind sheet, const char *name, size_t length)
{
    const char *best = NULL;
    size_t best_d = length / 2 + 1;
    for (size_t k = 0; k < cy_column_count; k++) {
        size_t d;
        if (!(cy_columns[k].sheets & CY_SHEET_BIT(sheet)))
            continue;
        d = distance(cy_columns[k].key, strlen(cy_columns[k].key), name, length);
        if (d < best_d) {
            best_d = d;
            best = cy_columns[k].key;
        }
    }
    return best;
}

/* ---- the header row ------------------------------------------------------- */

/*
 * The column a header names with a unit after it ("产值（万元）", "volume
 * (CNY)"), or -1.  A header carries no unit: renamed without it, values in
 * 万元 would silently be read as yuan, so the message says which unit.
 */
static long column_with_unit(const char *text, size_t length, size_t *name_length)
{
    const char *open = memchr(text, '(', length), *wide = NULL;
    size_t n;
    long f;
    for (size_t k = 0; k + 3 <= length && !wide; k++)
        if (memcmp(text + k, "\xef\xbc\x88", 3) == 0) /* （ */
            wide = text + k;
    if (wide && (!open || wide < open))
        open = wide;
    if (!open)
        return -1;
    n = (size_t)(open - text);
    while (n > 0 && text[n - 1] == ' ')
        n--;
    *name_length = n;
    f = n ? cy_i_column_find(text, n) : -1;
    /* A unit belongs to a number: "名称 (English)" is no unit. */
    return f >= 0 && (cy_columns[f].type == CY_COL_NUMBER || cy_columns[f].type == CY_COL_INTEGER ||
                      cy_columns[f].type == CY_COL_SHARE)
               ? f
               : -1;
}

static int header_cell(sheet_reader *r, uint32_t row, const cy_sheet_cell *cell)
{
    long f = cy_i_column_find(cell->text, cell->length);
    char shown[80], message[400], name[80];
    const char *near;
    size_t name_length = 0;
    long unit = f < 0 ? column_with_unit(cell->text, cell->length, &name_length) : -1;
    if (unit >= 0) {
        quoted(cell->text, name_length, name);
        snprintf(message, sizeof message, "unknown column %s: a header carries no unit; "
                 "name it %s (%s) and give the values in that unit",
                 quoted(cell->text, cell->length, shown), name, cy_columns[unit].en);
        cell_error(r, row, cell->column, -1, "%s", message);
        return BAD_HEADER;
    }
    if (f < 0) {
        near = nearest_key(r->sheet, cell->text, cell->length);
        snprintf(message, sizeof message, "unknown column %s%s%s%s",
                 quoted(cell->text, cell->length, shown), near ? " (did you mean \"" : "",
                 near ? near : "", near ? "\"?)" : "");
        cell_error(r, row, cell->column, -1, "%s", message);
        return BAD_HEADER;
    }
    if (!(cy_columns[f].sheets & CY_SHEET_BIT(r->sheet))) {
        snprintf(message, sizeof message, "column \"%s\" does not belong in the %s sheet",
                 cy_columns[f].key, cy_sheets[r->sheet].name);
        cell_error(r, row, cell->column, -1, "%s", message);
        return BAD_HEADER;
    }
    if (r->at->column_of[f] >= 0) {
        char first[8];
        cy_sheet_column_name((uint32_t)r->at->column_of[f], first);
        snprintf(message, sizeof message, "column \"%s\" appears twice (first in column %s)",
                 cy_columns[f].key, first);
        cell_error(r, row, cell->column, -1, "%s", message);
        return BAD_HEADER;
    }
    r->at->column_of[f] = cell->column;
    if (!(r->at->header_of[f] = cy_strndup(cell->text, cell->length)))
        r->oom = 1;
    return (int)f;
}

/*
 * A header row of one cell that names no column: a title above the header
 * (a merged "重庆园区重点企业名单（单位：元）", the usual layout of a report
 * table), or the column names in one cell ("id;name;kind": a CSV saved
 * with semicolons).  Said once, with the sheet's required columns as the
 * example, instead of an error for every cell below.
 */
static void one_cell_header(sheet_reader *r, uint32_t row, const cy_sheet_cell *cell)
{
    char shown[80], required[120] = "", message[400];
    size_t used = 0;
    for (size_t f = 0; f < cy_column_count && used < sizeof required - 24; f++)
        if (cy_columns[f].required & CY_SHEET_BIT(r->sheet))
            used += (size_t)snprintf(required + used, sizeof required - used, "%s%s",
                                     used ? ", " : "", cy_columns[f].key);
    quoted(cell->text, cell->length, shown);
    if (memchr(cell->text, ';', cell->length) || memchr(cell->text, '\t', cell->length))
        snprintf(message, sizeof message, "the header is one cell, %s: its names are "
                 "separated by \";\" or a tab, and each column needs its own (a CSV file "
                 "separates them with \",\")", shown);
    else
        snprintf(message, sizeof message, "%s is not a column name: the first row of a sheet "
                 "is its header (%s, ...); delete the title above it", shown,
                 required[0] ? required : "id");
    cell_error(r, row, cell->column, -1, "%s", message);
}

static int read_header(sheet_reader *r, uint32_t row, const cy_sheet_cell *cells,
                       size_t count)
{
    size_t columns = cells[count - 1].column + 1;
    r->have_header = 1;
    r->at->header_row = row;
    r->field_of_column = cy_malloc(columns * sizeof *r->field_of_column);
    r->told = cy_calloc(columns, 1);
    if (!r->field_of_column || !r->told) {
        r->oom = 1;
        return 1;
    }
    r->column_count = columns;
    /* One cell, not a column: a title above the header (a merged
     * "重庆园区重点企业名单（单位：元）"), the usual layout of a report
     * table.  Said once, instead of an error for every cell below. */
    if (count == 1 && cy_i_column_find(cells[0].text, cells[0].length) < 0 &&
        column_with_unit(cells[0].text, cells[0].length, &(size_t){0}) < 0 &&
        !nearest_key(r->sheet, cells[0].text, cells[0].length)) {
        one_cell_header(r, row, &cells[0]);
        return 1;
    }
    for (size_t c = 0; c < columns; c++)
        r->field_of_column[c] = NO_HEADER;
    for (size_t k = 0; k < count && !r->oom; k++)
        r->field_of_column[cells[k].column] = header_cell(r, row, &cells[k]);
    for (size_t f = 0; f < cy_column_count; f++) {
        char message[200];
        if ((cy_columns[f].required & CY_SHEET_BIT(r->sheet)) && r->at->column_of[f] < 0) {
            snprintf(message, sizeof message, "no column \"%s\" (or %s) in the header row",
                     cy_columns[f].key, cy_columns[f].aliases);
            cell_error(r, row, -1, -1, "%s", message);
        }
    }
    return r->oom || r->err->limit_reached;
}

/* ---- cell values -------------------------------------------------------------- */

static int is_space_only(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] != ' ' && s[k] != '\t' && s[k] != '\r' && s[k] != '\n')
            return 0;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\r' || (*s)[0] == '\n')) {
        (*s)++;
        (*n)--;
    }
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r' ||
                  (*s)[*n - 1] == '\n'))
        (*n)--;
    if (*n >= 3 && memcmp(*s, "\xe3\x80\x80", 3) == 0) {
        *s += 3;
        *n -= 3;
        trim(s, n);
    } else if (*n >= 3 && memcmp(*s + *n - 3, "\xe3\x80\x80", 3) == 0) {
        *n -= 3;
        trim(s, n);
    }
}

/* Thousands separators in the integer part: "1,234,567" (also the
 * full-width comma).  Copies the digits to out; 0 when the groups are not
 * of three. */
static int strip_grouping(const char *s, size_t n, char *out, size_t *out_n)
{
    size_t k = 0, o = 0, group = 0, groups = 0;
    int in_integer = 1;
    for (; k < n; k++) {
        size_t comma = (s[k] == ',') ? 1 :
                       (n - k >= 3 && memcmp(s + k, "\xef\xbc\x8c", 3) == 0) ? 3 : 0;
        if (comma && in_integer) {
            if ((groups == 0 && (group == 0 || group > 3)) || (groups > 0 && group != 3))
                return 0;
            groups++;
            group = 0;
            k += comma - 1;
            continue;
        }
        if (s[k] == '.' || s[k] == 'e' || s[k] == 'E') {
            if (groups > 0 && in_integer && group != 3)
                return 0;
            in_integer = 0;
        } else if (in_integer && s[k] >= '0' && s[k] <= '9') {
            group++;
        }
        if (o >= 63)
            return 0;
        out[o++] = s[k];
    }
    if (groups > 0 && in_integer && group != 3)
        return 0;
    out[o] = '\0';
    *out_n = o;
    return 1;
}

/* The grammar of a plain decimal number: [+-]d+[.d*][(e|E)[+-]d+], or
 * [+-].d+...; strtod alone would also take hex, "inf" and "nan". */
static int plain_number(const char *s, int *integral)
{
    const char *p = s;
    int digits = 0;
    *integral = 1;
    if (*p == '+' || *p == '-')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.') {
        *integral = 0;
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        *integral = 0;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* A number from a cell; `integral` says the text was a plain integer. */
static int parse_number(const char *s, size_t n, int percent, double *value,
                        int *integral)
{
    char digits[64];
    size_t dn;
    int is_percent = 0;
    trim(&s, &n);
    if (percent && n > 0 && s[n - 1] == '%') {
        n--;
        is_percent = 1;
    } else if (percent && n >= 3 && memcmp(s + n - 3, "\xef\xbc\x85", 3) == 0) {
        n -= 3;
        is_percent = 1;
    }
    trim(&s, &n);
    if (!strip_grouping(s, n, digits, &dn) || !plain_number(digits, integral))
        return 0;
    *value = strtod(digits, NULL);
    if (!isfinite(*value))
        return 0;
    if (is_percent) {
        *value /= 100;
        *integral = 0;
    }
    return 1;
}

static json_t *number_value(const cy_sheet_cell *cell, cy_column_type type,
                            const char **problem)
{
    double x;
    int integral;
    if (cell->type == CY_CELL_BOOL) {
        *problem = "expected a number, got a true/false cell";
        return NULL;
    }
    /* Excel turns 7/1 or 3-4 typed into a cell into a date, whose serial
     * (45474) would be read as 45,474 days or yuan without a word. */
    if (cell->type == CY_CELL_DATE) {
        *problem = "expected a number, got a date or time cell %s (Excel turned what was "
                   "typed into a date): format the cell as a number and type the value again";
        return NULL;
    }
    if (!parse_number(cell->text, cell->length, type == CY_COL_SHARE, &x, &integral)) {
        *problem = type == CY_COL_INTEGER ? "expected a whole number, got %s"
                                          : "expected a number (such as 1234.5 or 1,234.5), got %s";
        return NULL;
    }
    /* Excel has no integer type: a tier of 1.0 is the whole number 1. */
    if (type == CY_COL_INTEGER && x == floor(x) && fabs(x) < 9007199254740992.0)
        integral = 1;
    if (integral && fabs(x) < 9007199254740992.0)
        return json_integer((json_int_t)x);
    return json_real(x);
}

static json_t *boolean_value(const cy_sheet_cell *cell, const char **problem)
{
    static const char *const yes[] = {"1", "true", "yes", "y", "是", "√", NULL};
    static const char *const no[] = {"0", "false", "no", "n", "否", "×", NULL};
    const char *s = cell->text;
    size_t n = cell->length;
    trim(&s, &n);
    for (size_t k = 0; yes[k]; k++) {
        if (strlen(yes[k]) == n && strncasecmp(yes[k], s, n) == 0)
            return json_true();
        if (strlen(no[k]) == n && strncasecmp(no[k], s, n) == 0)
            return json_false();
    }
    *problem = "expected true or false (是/否), got %s";
    return NULL;
}

/* Length of a list separator at s ("；" and "、" are 3 bytes), or 0. */
static size_t separator_at(const char *s, size_t left)
{
    if (*s == ';')
        return 1;
    if (left >= 3 && (memcmp(s, "\xef\xbc\x9b", 3) == 0 || memcmp(s, "\xe3\x80\x81", 3) == 0))
        return 3;
    return 0;
}

/* Append one element (escapes already removed, then trimmed) unless empty. */
static int list_push(json_t *array, const char *s, size_t n)
{
    trim(&s, &n);
    if (n == 0)
        return 1;
    return json_array_append_new(array, json_stringn(s, n)) == 0;
}

/* "a; b、c" -> ["a", "b", "c"]; "\;" keeps a separator inside an element. */
static json_t *list_value(const cy_sheet_cell *cell)
{
    json_t *array = json_array();
    char *buf = cy_malloc(cell->length + 1);
    size_t n = 0;
    int ok = array && buf;
    const char *s = cell->text, *end = cell->text + cell->length;
    while (ok && s < end) {
        size_t sep = separator_at(s, (size_t)(end - s));
        if (*s == '\\' && s + 1 < end) {
            size_t take = separator_at(s + 1, (size_t)(end - s - 1));
            take = take ? take : 1;
            memcpy(buf + n, s + 1, take);
            n += take;
            s += 1 + take;
        } else if (sep) {
            ok = list_push(array, buf, n);
            n = 0;
            s += sep;
        } else {
            buf[n++] = *s++;
        }
    }
    if (ok)
        ok = list_push(array, buf, n);
    cy_free(buf);
    if (!ok) {
        json_decref(array);
        return NULL;
    }
    return array;
}

/*
 * A TRUE/FALSE cell under a column of text is the word Excel shows, not
 * the "1" or "0" the file stores: an analyst looking for "unknown kind
 * \"1\"" finds no 1 in the sheet.  Under a JSON column it is the JSON
 * true or false.  Number and yes/no columns read the cell as it is.
 */
static int text_column(cy_column_type type)
{
    return type == CY_COL_WORD || type == CY_COL_KIND || type == CY_COL_TEXT ||
           type == CY_COL_LIST;
}

json_t *cy_i_cell_value(const cy_sheet_cell *given, cy_column_type type,
                        const char **problem, int *absent)
{
    cy_sheet_cell word;
    const cy_sheet_cell *cell = given;
    int yes = given->length > 0 && given->text[0] == '1';
    if (given->type == CY_CELL_BOOL && type == CY_COL_JSON) {
        *problem = NULL;
        *absent = 0;
        return yes ? json_true() : json_false();
    }
    if (given->type == CY_CELL_BOOL && text_column(type)) {
        word = *given;
        word.text = yes ? "TRUE" : "FALSE";
        word.length = strlen(word.text);
        word.type = CY_CELL_STRING;
        cell = &word;
    }
    const char *s = cell->text;
    size_t n = cell->length;
    json_t *v;
    *problem = NULL;
    *absent = 0;
    if (cell->type == CY_CELL_ERROR) {
        *problem = "the cell holds the error value %s";
        return NULL;
    }
    {
        const char *t = s;
        size_t tn = n;
        trim(&t, &tn);
        if (tn == 0) {
            *absent = 1;
            return NULL;
        }
    }
    switch (type) {
    case CY_COL_WORD:
        trim(&s, &n);
        return json_stringn(s, n);
    case CY_COL_KIND: {
        const char *kind;
        trim(&s, &n);
        kind = cy_i_kind_alias(s, n);
        return kind ? json_string(kind) : json_stringn(s, n);
    }
    case CY_COL_TEXT:
        return json_stringn(s, n);
    case CY_COL_INTEGER:
    case CY_COL_NUMBER:
    case CY_COL_SHARE:
    case CY_COL_LONGITUDE:
    case CY_COL_LATITUDE:
        return number_value(cell, type, problem);
    case CY_COL_BOOLEAN:
        return boolean_value(cell, problem);
    case CY_COL_LIST:
        trim(&s, &n);
        return (n == 2 && memcmp(s, "[]", 2) == 0) ? json_array() : list_value(cell);
    case CY_COL_JSON:
        v = json_loadb(s, n, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
        return v ? v : json_stringn(s, n);
    }
    return NULL;
}

/* ---- records ----------------------------------------------------------------- */

/*
 * A list typed with commas ("cell,bms") is one entry: the error it leads
 * to names the links that want "cell", not this cell.  A warning here
 * says why (the first such entry of the cell).
 */
static void comma_entries(sheet_reader *r, uint32_t row, const cy_sheet_cell *cell,
                          size_t f, const json_t *list)
{
    size_t k;
    json_t *entry;
    char shown[80];
    json_array_foreach(list, k, entry) {
        const char *s = json_string_value(entry);
        if (s && (strchr(s, ',') || strstr(s, "\xef\xbc\x8c"))) {
            cell_warning(r, row, cell->column, (long)f,
                         "the entry %s holds a comma, and lists are separated by \";\", "
                         "\"；\" or \"、\": it is one entry",
                         quoted(s, strlen(s), shown));
            return;
        }
    }
}

/* Set key f of obj from its cell; 0 after reporting a problem. */
static int set_field(sheet_reader *r, json_t *obj, uint32_t row,
                     const cy_sheet_cell *cell, size_t f, double location[2],
                     const cy_sheet_cell *location_cell[2])
{
    const char *problem;
    int absent;
    char shown[80];
    json_t *v = cy_i_cell_value(cell, cy_columns[f].type, &problem, &absent);
    if (absent)
        return 1;
    if (!v) {
        if (!problem)
            r->oom = 1;
        else
            cell_error(r, row, cell->column, (long)f, problem,
                       quoted(cell->text, cell->length, shown));
        return 0;
    }
    if (cy_columns[f].type == CY_COL_LONGITUDE || cy_columns[f].type == CY_COL_LATITUDE) {
        int k = cy_columns[f].type == CY_COL_LATITUDE;
        location[k] = json_number_value(v);
        location_cell[k] = cell;
        json_decref(v);
        return 1;
    }
    if (cy_columns[f].type == CY_COL_LIST)
        comma_entries(r, row, cell, f, v);
    if (json_object_set_new(obj, cy_columns[f].key, v) != 0)
        r->oom = 1;
    return 1;
}

static void set_location(sheet_reader *r, json_t *obj, uint32_t row,
                         const double location[2], const cy_sheet_cell *cells[2])
{
    json_t *pair;
    if (!cells[0] && !cells[1])
        return;
    if (!cells[0] || !cells[1]) {
        int have = cells[0] ? 0 : 1;
        long f = cy_i_column_find(have ? "latitude" : "longitude", have ? 8 : 9);
        cell_error(r, row, cells[have]->column, f, "%s",
                   have ? "a latitude without a longitude" : "a longitude without a latitude");
        return;
    }
    pair = json_pack("[ff]", location[0], location[1]);
    if (!pair || json_object_set_new(obj, "location", pair) != 0)
        r->oom = 1;
}

/* The cell of each field in this row (cells are in column order). */
static int cells_by_field(sheet_reader *r, uint32_t row, const cy_sheet_cell *cells,
                          size_t count, const cy_sheet_cell **by_field)
{
    int any = 0;
    for (size_t k = 0; k < count; k++) {
        const cy_sheet_cell *cell = &cells[k];
        long f = cell->column < r->column_count ? r->field_of_column[cell->column] : NO_HEADER;
        if (is_space_only(cell->text, cell->length))
            continue;
        any = 1;
        if (f >= 0) {
            by_field[f] = cell;
        } else if (f == NO_HEADER && !(cell->column < r->column_count && r->told[cell->column])) {
            cell_error(r, row, cell->column, -1, "%s",
                       "a value in a column with no header (give the column a name, "
                       "or clear it)");
            if (cell->column < r->column_count)
                r->told[cell->column] = 1;
        }
    }
    return any;
}

static int push_row(sheet_reader *r, uint32_t row)
{
    cy_i_sheet_places *at = r->at;
    if (at->count == at->cap) {
        size_t cap = at->cap ? at->cap * 2 : 256;
        uint32_t *rows = cy_realloc(at->rows, cap * sizeof *rows);
        if (!rows)
            return 0;
        at->rows = rows;
        at->cap = cap;
    }
    at->rows[at->count++] = row;
    return 1;
}

static int read_record(sheet_reader *r, uint32_t row, const cy_sheet_cell *cells,
                       size_t count)
{
    const cy_sheet_cell *by_field[CY_COLUMN_MAX] = {0}, *location_cell[2] = {NULL, NULL};
    double location[2] = {0, 0};
    json_t *obj;
    if (!cells_by_field(r, row, cells, count, by_field))
        return 0;
    if (r->sheet == CY_SHEET_NETWORK && r->network_rows++ > 0) {
        cell_error(r, row, -1, -1, "%s", "the network sheet holds one row under its header");
        return r->err->limit_reached;
    }
    obj = r->sheet == CY_SHEET_NETWORK ? json_incref(r->dt->top) : json_object();
    if (!obj || !push_row(r, row)) {
        json_decref(obj);
        r->oom = 1;
        return 1;
    }
    for (size_t f = 0; f < cy_column_count && !r->oom; f++)
        if (by_field[f])
            set_field(r, obj, row, by_field[f], f, location, location_cell);
    set_location(r, obj, row, location, location_cell);
    if (r->in_array) {
        fputs(r->written++ ? ",\n    " : "\n    ", r->dt->out);
        cy_i_put_record(r->dt->out, obj);
    }
    json_decref(obj);
    return r->oom || r->err->limit_reached;
}

static int on_row(void *ctx, uint32_t row, const cy_sheet_cell *cells, size_t count)
{
    sheet_reader *r = ctx;
    if (!r->have_header)
        return read_header(r, row, cells, count);
    return read_record(r, row, cells, count);
}

_Static_assert(sizeof(((cy_column_info *)0)->sheets) * 8 >= CY_SHEET_COUNT,
               "a column's sheet bits fit");

/* ---- sheets and files ---------------------------------------------------------- */

static int places_sheet_init(cy_i_sheet_places *at, const char *label, int csv)
{
    memset(at, 0, sizeof *at);
    at->csv = csv;
    at->present = 1;
    at->label = cy_strdup(label);
    at->column_of = cy_malloc(cy_column_count * sizeof *at->column_of);
    at->header_of = cy_calloc(cy_column_count, sizeof *at->header_of);
    if (!at->label || !at->column_of || !at->header_of)
        return 0;
    for (size_t f = 0; f < cy_column_count; f++)
        at->column_of[f] = -1;
    return 1;
}

void cy_import_places_free(cy_import_places *places)
{
    if (!places)
        return;
    for (int s = 0; s < CY_SHEET_COUNT; s++) {
        cy_i_sheet_places *at = &places->sheets[s];
        cy_free(at->label);
        cy_free(at->rows);
        cy_free(at->column_of);
        for (size_t f = 0; at->header_of && f < cy_column_count; f++)
            cy_free(at->header_of[f]);
        cy_free(at->header_of);
    }
    cy_free(places->label);
    cy_free(places);
}

static int default_name(json_t *top, const char *path);

/* The top of the document, once: format, then the network sheet's fields. */
static int write_top(doc_text *dt)
{
    static const char *const keys[] = {"name", "description", "currency", "meta"};
    if (dt->started)
        return 1;
    dt->started = 1;
    if (!default_name(dt->top, dt->path))
        return 0;
    fputs("{\n  \"format\": \"" CY_FORMAT "\"", dt->out);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        json_t *v = json_object_get(dt->top, keys[k]);
        if (v) {
            fprintf(dt->out, ",\n  \"%s\": ", keys[k]);
            cy_i_put_value(dt->out, v);
        }
    }
    return 1;
}

/* Open the sheet's array in the document; 0 on OOM. */
static int sheet_array(sheet_reader *r)
{
    if (r->sheet == CY_SHEET_NETWORK)
        return 1;
    if (!write_top(r->dt))
        return 0;
    fprintf(r->dt->out, ",\n  \"%s\": [", cy_sheets[r->sheet].name);
    r->in_array = 1;
    return 1;
}

/* Begin reading sheet `sheet` labelled `label`; 0 on OOM. */
static int reader_begin(sheet_reader *r, cy_import_places *places, doc_text *dt,
                        cy_sheet_kind sheet, const char *label, int csv, cy_error *err)
{
    memset(r, 0, sizeof *r);
    r->places = places;
    r->err = err;
    r->dt = dt;
    r->sheet = sheet;
    r->at = &places->sheets[sheet];
    return places_sheet_init(r->at, label, csv) && sheet_array(r);
}

static cy_status reader_end(sheet_reader *r, cy_status status)
{
    if (r->in_array)
        fputs(r->written ? "\n  ]" : "]", r->dt->out);
    cy_free(r->field_of_column);
    cy_free(r->told);
    if (r->oom) {
        cy_sheet_diag(r->err, CY_SEV_ERROR, r->at->label, "out of memory");
        return CY_ENOMEM;
    }
    return status;
}

/* ---- xlsx ------------------------------------------------------------------ */

/* The first hidden sheet named for table `sheet`, or -1. */
static long hidden_holder(const cy_xlsx *book, int sheet)
{
    for (size_t k = 0; k < cy_xlsx_sheet_count(book); k++)
        if (cy_xlsx_sheet_hidden(book, k) &&
            cy_i_sheet_find(cy_xlsx_sheet_name(book, k)) == sheet)
            return (long)k;
    return -1;
}

/*
 * No visible sheet holds table `sheet`: the message lists the sheets (the
 * hidden ones said so) and the nearest name; a hidden sheet that would
 * hold it is named with how to read it (an analyst keeps last year's
 * list there, under the table's name, and renames the current one).
 */
static void missing_sheet(const cy_xlsx *book, cy_sheet_kind sheet, const char *label,
                          cy_error *err)
{
    char names[400] = "", hidden[160] = "";
    size_t used = 0;
    long holder = hidden_holder(book, sheet);
    for (size_t k = 0; k < cy_xlsx_sheet_count(book) && used < sizeof names - 90; k++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s\"%.60s\"%s",
                                 k ? ", " : "", cy_xlsx_sheet_name(book, k),
                                 cy_xlsx_sheet_hidden(book, k) ? " (hidden)" : "");
    const char *near = NULL, *want = cy_sheets[sheet].name;
    size_t best = strlen(want) / 2 + 1;
    for (size_t k = 0; k < cy_xlsx_sheet_count(book); k++) {
        const char *name = cy_xlsx_sheet_name(book, k);
        size_t d = distance(want, strlen(want), name, strlen(name));
        if (!cy_xlsx_sheet_hidden(book, k) && d < best) {
            best = d;
            near = name;
        }
    }
    if (holder >= 0)
        snprintf(hidden, sizeof hidden, "; sheet \"%.60s\" is hidden, and hidden sheets are "
                 "not read: unhide it to read it", cy_xlsx_sheet_name(book, (size_t)holder));
    cy_sheet_diag(err, CY_SEV_ERROR, label,
                  "no sheet \"%s\" (or \"%s\"); the workbook has %s%s%.60s%s%s", want,
                  cy_sheets[sheet].aliases, used ? names : "no sheets",
                  near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "",
                  hidden);
}

/* An optional table (parks, regions, the network's name) only a hidden
 * sheet holds: it is not read, and every reference to its records would
 * be an error with no word why. */
static void hidden_table(const cy_xlsx *book, int sheet, const char *label, cy_error *err)
{
    long holder = hidden_holder(book, sheet);
    if (holder >= 0)
        cy_sheet_diag(err, CY_SEV_WARNING, label, "sheet \"%.60s\" is hidden, and hidden "
                      "sheets are not read (unhide it to read its %s)",
                      cy_xlsx_sheet_name(book, (size_t)holder), cy_sheets[sheet].name);
}

/* Which sheet of the book holds each kind, or -1. */
static cy_status match_sheets(const cy_xlsx *book, const char *label, long which[],
                              cy_error *err)
{
    cy_status status = CY_OK;
    for (int s = 0; s < CY_SHEET_COUNT; s++)
        which[s] = -1;
    for (size_t k = 0; k < cy_xlsx_sheet_count(book); k++) {
        int s = cy_i_sheet_find(cy_xlsx_sheet_name(book, k));
        /* Out of the analyst's sight: old data, never read (missing_sheet
         * names it when nothing else holds the table). */
        if (s < 0 || cy_xlsx_sheet_hidden(book, k))
            continue;
        if (which[s] >= 0) {
            cy_sheet_diag(err, CY_SEV_ERROR, label, "two sheets hold the %s: \"%.60s\" "
                          "and \"%.60s\"", cy_sheets[s].name,
                          cy_xlsx_sheet_name(book, (size_t)which[s]),
                          cy_xlsx_sheet_name(book, k));
            status = CY_EINPUT;
        }
        which[s] = (long)k;
    }
    for (int s = 0; s < CY_SHEET_COUNT; s++) {
        if (which[s] < 0 && cy_sheets[s].required) {
            missing_sheet(book, (cy_sheet_kind)s, label, err);
            status = CY_EINPUT;
        } else if (which[s] < 0) {
            hidden_table(book, s, label, err);
        }
    }
    return status;
}

/* ---- progress ------------------------------------------------------------- */

static const char *const reading_sheet[CY_SHEET_COUNT] = {
    "reading sheet network", "reading sheet regions", "reading sheet clusters",
    "reading sheet parks", "reading sheet enterprises", "reading sheet links"};
static const char *const reading_csv[CY_SHEET_COUNT] = {
    "reading network.csv", "reading regions.csv", "reading clusters.csv",
    "reading parks.csv", "reading enterprises.csv", "reading links.csv"};

/*
 * Share the reading's span of the whole run (`whole`) among the tables by
 * their sizes: at[s] is table s's own part (sizes[s] 0 for a missing one);
 * tables of unknown size share the span equally.
 */
static void share_reading(const cy_sheet_progress *whole, const size_t sizes[],
                          const char *const names[], cy_sheet_progress at[])
{
    double total = 0, from = whole ? whole->from : 0;
    for (int s = 0; s < CY_SHEET_COUNT; s++)
        total += (double)sizes[s];
    for (int s = 0; s < CY_SHEET_COUNT; s++) {
        at[s].progress = whole ? whole->progress : NULL;
        at[s].what = names[s];
        at[s].from = from;
        at[s].span = whole && total > 0 ? whole->span * (double)sizes[s] / total : 0;
        from += at[s].span;
    }
}

/* ---- xlsx (reading) --------------------------------------------------------- */

static cy_status import_xlsx(const char *path, size_t max_bytes, doc_text *doc,
                             cy_import_places *places, const cy_sheet_progress *sp,
                             cy_error *err)
{
    cy_xlsx *book;
    long which[CY_SHEET_COUNT];
    size_t sizes[CY_SHEET_COUNT] = {0};
    cy_sheet_progress at[CY_SHEET_COUNT];
    cy_status status = cy_xlsx_open(path, places->label, max_bytes, &book, err);
    if (status != CY_OK)
        return status;
    status = match_sheets(book, places->label, which, err);
    for (int s = 0; s < CY_SHEET_COUNT; s++)
        sizes[s] = which[s] >= 0 ? cy_xlsx_sheet_bytes(book, (size_t)which[s]) : 0;
    share_reading(sp, sizes, reading_sheet, at);
    for (int s = 0; s < CY_SHEET_COUNT && status == CY_OK; s++) {
        sheet_reader r;
        char label[600];
        if (which[s] < 0)
            continue;
        if (sp) {
            cy_i_progress_at(at[s].progress, at[s].what, at[s].from);
            cy_xlsx_set_progress(book, &at[s]);
        }
        snprintf(label, sizeof label, "%s:%s", places->label,
                 cy_xlsx_sheet_name(book, (size_t)which[s]));
        if (!reader_begin(&r, places, doc, (cy_sheet_kind)s, label, 0, err)) {
            r.oom = 1;
            status = reader_end(&r, CY_ENOMEM);
            break;
        }
        /* Problems in rows do not stop the reading (on_row goes on until
         * the error list is full); a broken sheet does. */
        status = reader_end(&r, cy_xlsx_read_sheet(book, (size_t)which[s], on_row, &r, err));
    }
    cy_xlsx_close(book);
    return status;
}

/* ---- CSV folders ------------------------------------------------------------ */

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = cy_malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    if (a && dir[a - 1] == '/')
        a--;
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* Whether directory entry `entry` is "N.csv" for one of the '|'-separated
 * `names`, ignoring ASCII case ("Enterprises.CSV", as Windows users save
 * them; Windows does not tell case apart). */
static int names_table(const char *entry, const char *names)
{
    while (names && *names) {
        const char *bar = strchr(names, '|');
        size_t n = bar ? (size_t)(bar - names) : strlen(names);
        if (n && strncasecmp(entry, names, n) == 0 && strcasecmp(entry + n, ".csv") == 0)
            return 1;
        names = bar ? bar + 1 : NULL;
    }
    return 0;
}

int cy_i_table_file(const char *dir, const char *names, char **path, char *both,
                    size_t both_size)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char *at;
    int count = 0, oom = 0;

    *path = NULL;
    if (!d)
        return 0;
    while (!oom && (entry = readdir(d)) != NULL) {
        if (!names_table(entry->d_name, names))
            continue;
        if (!(at = join_path(dir, entry->d_name))) {
            oom = 1;
            break;
        }
        if (!is_file(at)) { /* a dangling link */
            cy_free(at);
            continue;
        }
        if (++count == 1) {
            *path = at;
            continue;
        }
        if (count == 2)
            snprintf(both, both_size, "\"%.80s\" and \"%.80s\"", strrchr(*path, '/') + 1,
                     entry->d_name);
        cy_free(at);
    }
    closedir(d);
    if (oom || count != 1) {
        cy_free(*path);
        *path = NULL;
    }
    return oom ? -1 : count > 1 ? 2 : count;
}

/* The file of `sheet`'s table in `dir` (cy_i_table_file over its name and
 * aliases). */
static int csv_file(const char *dir, cy_sheet_kind sheet, char **path, char *both,
                    size_t both_size)
{
    char names[256];
    snprintf(names, sizeof names, "%s|%s", cy_sheets[sheet].name,
             cy_sheets[sheet].aliases ? cy_sheets[sheet].aliases : "");
    return cy_i_table_file(dir, names, path, both, both_size);
}

/* The size of each table of the folder, 0 for a missing one. */
static void csv_sizes(const char *dir, size_t sizes[])
{
    struct stat st;
    for (int s = 0; s < CY_SHEET_COUNT; s++) {
        char *path, both[200];
        csv_file(dir, (cy_sheet_kind)s, &path, both, sizeof both);
        sizes[s] = path && stat(path, &st) == 0 ? (size_t)st.st_size : 0;
        cy_free(path);
    }
}

static cy_status import_csv(const char *dir, const cy_import_options *options,
                            size_t max_bytes, doc_text *doc, cy_import_places *places,
                            const cy_sheet_progress *sp, cy_error *err)
{
    cy_status status = CY_OK;
    size_t sizes[CY_SHEET_COUNT] = {0};
    cy_sheet_progress at[CY_SHEET_COUNT];
    if (sp)
        csv_sizes(dir, sizes);
    share_reading(sp, sizes, reading_csv, at);
    for (int s = 0; s < CY_SHEET_COUNT && status != CY_ENOMEM; s++) {
        char *path, both[200];
        int found = csv_file(dir, (cy_sheet_kind)s, &path, both, sizeof both);
        sheet_reader r;
        cy_status read;
        if (found == 2) {
            /* Which one was meant is not ours to guess: the directory's
             * order would decide. */
            cy_sheet_diag(err, CY_SEV_ERROR, places->label, "two files hold the %s: %s "
                          "(names differ only in case, or one is an alias): keep one",
                          cy_sheets[s].name, both);
            status = status == CY_ENOMEM ? status : CY_EINPUT;
            continue;
        }
        if (!path) {
            if (found < 0 || cy_sheets[s].required)
                cy_sheet_diag(err, CY_SEV_ERROR, places->label, found < 0 ? "out of memory" :
                              "no %s.csv in this folder", cy_sheets[s].name);
            status = found < 0 ? CY_ENOMEM : cy_sheets[s].required ? CY_EINPUT : status;
            continue;
        }
        if (!reader_begin(&r, places, doc, (cy_sheet_kind)s, path, 1, err)) {
            r.oom = 1;
            status = reader_end(&r, CY_ENOMEM);
        } else {
            read = reader_end(&r, cy_csv_read_progress(path, path,
                                                       options ? options->encoding : NULL,
                                                       max_bytes, on_row, &r,
                                                       sp ? &at[s] : NULL, err));
            if (read != CY_OK && read != CY_EINPUT)
                status = read;
            else if (read == CY_EINPUT && status == CY_OK)
                status = CY_EINPUT;
        }
        cy_free(path);
    }
    return status;
}

/* ---- the whole input ----------------------------------------------------------- */

int cy_import_folder_reads(const char *dir, const char *path)
{
    struct stat dir_st, out_st, st;
    int same = 0;
    if (stat(dir, &dir_st) != 0 || !S_ISDIR(dir_st.st_mode) || stat(path, &out_st) != 0)
        return 0;
    for (int s = 0; s < CY_SHEET_COUNT && !same; s++) {
        char *table, both[200];
        csv_file(dir, (cy_sheet_kind)s, &table, both, sizeof both);
        same = table && stat(table, &st) == 0 && st.st_dev == out_st.st_dev &&
               st.st_ino == out_st.st_ino;
        cy_free(table);
    }
    return same;
}

int cy_import_is_spreadsheet(const char *path)
{
    struct stat st;
    unsigned char magic[4];
    FILE *f;
    int zip;
    if (stat(path, &st) != 0)
        return 0;
    if (S_ISDIR(st.st_mode)) {
        /* A folder of tables holds at least one of them; any other folder
         * is left to the loader, which refuses it as not a file. */
        for (int s = 0; s < CY_SHEET_COUNT; s++) {
            char *table, both[200];
            int found = csv_file(path, (cy_sheet_kind)s, &table, both, sizeof both);
            cy_free(table);
            if (found != 0)
                return 1;
        }
        return 0;
    }
    if (!S_ISREG(st.st_mode) || !(f = fopen(path, "rb")))
        return 0;
    zip = fread(magic, 1, 4, f) == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
    fclose(f);
    return zip;
}

/* The network's name when the tables give none: the file or folder name
 * without its directory and extension. */
static int default_name(json_t *doc, const char *path)
{
    const char *base, *dot;
    size_t n = strlen(path);
    char *copy;
    int rc;
    if (json_object_get(doc, "name"))
        return 1;
    while (n > 1 && path[n - 1] == '/')
        n--;
    base = path;
    for (size_t k = 0; k + 1 < n; k++)
        if (path[k] == '/')
            base = path + k + 1;
    n -= (size_t)(base - path);
    dot = memchr(base, '.', n);
    if (dot && dot != base && strncasecmp(dot, ".xlsx", 5) == 0)
        n = (size_t)(dot - base);
    if (!(copy = cy_strndup(base, n)))
        return 0;
    rc = json_object_set_new(doc, "name", json_string(copy));
    cy_free(copy);
    return rc == 0;
}

cy_status cy_i_import_text(const char *path, const cy_import_options *options,
                          const cy_sheet_progress *sp, char **text, size_t *size,
                          cy_import_places **places_out, cy_error *err)
{
    size_t max_bytes = options && options->max_input_bytes ? options->max_input_bytes
                                                           : CY_DEFAULT_MAX_INPUT;
    size_t errors_before = err->error_count;
    const char *name = options && options->label ? options->label : path;
    cy_import_places *places = cy_calloc(1, sizeof *places);
    doc_text dt = {0};
    struct stat st;
    cy_status status = CY_OK;

    cy_library_init();
    *text = NULL;
    *places_out = NULL;
    dt.path = name;
    dt.top = json_object();
    dt.out = open_memstream(&dt.text, &dt.size);
    if (!places || !dt.top || !dt.out || !(places->label = cy_strdup(name))) {
        status = CY_ENOMEM;
        cy_sheet_diag(err, CY_SEV_ERROR, name, "out of memory");
        goto cleanup;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        status = import_csv(path, options, max_bytes, &dt, places, sp, err);
    else
        status = import_xlsx(path, max_bytes, &dt, places, sp, err);
    if (status == CY_OK && err->error_count > errors_before)
        status = CY_EINPUT;
    if (status == CY_OK && !write_top(&dt)) {
        status = CY_ENOMEM;
        cy_sheet_diag(err, CY_SEV_ERROR, name, "out of memory");
    }
    if (status == CY_OK)
        fputs("\n}\n", dt.out);
cleanup:
    json_decref(dt.top);
    if (dt.out && (fclose(dt.out) != 0 || !dt.text) && status == CY_OK) {
        status = CY_ENOMEM;
        cy_sheet_diag(err, CY_SEV_ERROR, name, "out of memory");
    }
    if (status != CY_OK) {
        free(dt.text);
        cy_import_places_free(places);
        return status;
    }
    *text = dt.text;
    *size = dt.size;
    *places_out = places;
    return CY_OK;
}

cy_status cy_import_document(const char *path, const cy_import_options *options,
                             json_t **doc, cy_import_places **places, cy_error *err)
{
    return cy_i_import_document(path, options, NULL, doc, places, err);
}

cy_status cy_i_import_document(const char *path, const cy_import_options *options,
                               const cy_sheet_progress *sp, json_t **doc,
                               cy_import_places **places, cy_error *err)
{
    json_error_t jerr;
    char *text;
    size_t size;
    cy_status status = cy_i_import_text(path, options, sp, &text, &size, places, err);
    *doc = NULL;
    if (status != CY_OK)
        return status;
    *doc = json_loadb(text, size, 0, &jerr);
    free(text);
    if (!*doc) {
        /* The text is chengyu's own, so only memory can fail here. */
        cy_import_places_free(*places);
        *places = NULL;
        cy_sheet_diag(err, CY_SEV_ERROR, path, "out of memory");
        return CY_ENOMEM;
    }
    return CY_OK;
}
