/*
 * scenario_sheet.c - scenarios kept in a spreadsheet: a `scenarios` sheet
 * (or 情景) of an .xlsx workbook, or a scenarios.csv table, read into the
 * chengyu-scenarios/1 document the JSON file would be.  One row per shock
 * or mitigation; the rows of a scenario share its name (a blank name
 * continues the scenario above, as merged cells read).  The checker in
 * scenario.c then runs on the document exactly as on a JSON file, and the
 * JSON paths of its diagnostics are turned back into cells here, so an
 * analyst is told "book.xlsx:scenarios!D7 (column "firms")", not
 * "$.scenarios[2].shocks[0].firms[1]".
 */
#include "scenario_internal.h"
#include "import_internal.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The scenario sheet's own columns; any column of the enterprises or
 * links sheet may follow (the record of add_enterprise or add_link, or
 * the keys of the other mitigations). */
typedef enum {
    SC_SCENARIO = 0,
    SC_DESCRIPTION,
    SC_ACTION,
    SC_FIRMS,
    SC_PARKS,
    SC_REGIONS,
    SC_CAPACITY_LEFT,
    SC_DAYS,
    SC_NOTE,
    SC_OWN_COUNT
} sc_column;

static const struct {
    const char *key, *aliases;
    cy_column_type type;
    const char *zh, *en; /* what the template says of it */
} OWN[SC_OWN_COUNT] = {
    {"scenario", "情景|情景名称", CY_COL_TEXT, "情景名称；留空表示沿用上一行的情景",
     "the scenario's name; blank: the scenario of the row above"},
    {"description", "情景说明|说明|描述", CY_COL_TEXT, "情景说明（每个情景填一次）",
     "the scenario's description (once per scenario)"},
    {"action", "动作|措施", CY_COL_WORD,
     "留空或“冲击”：本行是冲击；否则为应对措施：新增企业、新增供应关系、删除供应关系、修改供应关系、修改企业、迁移企业",
     "empty or shock: the row is a shock; else a mitigation: add_enterprise, add_link, "
     "remove_link, set_link, set_enterprise, move_enterprise"},
    {"firms", "冲击企业|停产企业", CY_COL_LIST, "受冲击企业的编号，多个用 ; 或 、 分隔",
     "ids of the enterprises hit, separated by ; or 、"},
    {"parks", "冲击园区", CY_COL_LIST, "受冲击园区的编号（园区内全部企业）",
     "ids of the parks hit (every enterprise in them)"},
    {"regions", "冲击地区", CY_COL_LIST, "受冲击地区的编号（地区内全部企业）",
     "ids of the regions hit (every enterprise in them)"},
    {"capacity_left", "剩余产能", CY_COL_SHARE, "受冲击企业保留的产能比例，0 到 1 或百分数（不填为 0，即停产）",
     "the fraction of capacity the firms hit keep, 0 to 1 or a percentage (empty: 0, they stop)"},
    {"days", "持续天数|天数", CY_COL_NUMBER, "冲击持续天数", "how many days the shock lasts"},
    {"note", "备注", CY_COL_TEXT, "备注", "free text"},
};

/* The action column's Chinese words. */
static const char *const ACTION_ALIASES[][2] = {
    {"冲击", "shock"},           {"新增企业", "add_enterprise"},
    {"新增供应关系", "add_link"}, {"删除供应关系", "remove_link"},
    {"修改供应关系", "set_link"}, {"修改企业", "set_enterprise"},
    {"迁移企业", "move_enterprise"}};

#define COLUMN_NONE (-1)  /* a header already reported */
#define COLUMN_EMPTY (-2) /* an empty header: its column must stay empty */
#define RECORD_BASE 100  /* column kinds >= this are cy_columns[k - RECORD_BASE] */

/* Where one object or key of the document came from. */
typedef struct {
    char *path;       /* "$.scenarios[0].shocks[1].firms" */
    size_t length;    /* strlen(path) */
    uint32_t row;
    long column;      /* -1: the whole row */
} sc_place;

struct cy_sc_places {
    char *label;      /* "book.xlsx:scenarios" or "dir/scenarios.csv" */
    int csv;
    char **headers;   /* per sheet column: the header as written, or NULL */
    size_t columns;
    sc_place *items;
    size_t count, cap;
};

typedef struct {
    cy_sc_places *places;
    cy_error *err;
    json_t *scenarios;      /* the document's array */
    json_t *by_name;        /* scenario name -> its index */
    long *kind_of;          /* per sheet column: SC_*, RECORD_BASE + k, COLUMN_NONE */
    char **header_of;       /* = places->headers */
    size_t columns;
    int have_header;
    uint32_t header_row;
    char *current;          /* the scenario of the row above */
    size_t errors_before;
    int oom;
} sc_reader;

/* ---- places ---------------------------------------------------------------- */

static void spell_place(const cy_sc_places *p, uint32_t row, long column,
                        const char *header, char *out, size_t size)
{
    char name[8];
    size_t used;
    if (column < 0)
        used = (size_t)snprintf(out, size, p->csv ? "%s:%u" : "%s!%u:%u", p->label, row, row);
    else if (p->csv)
        used = (size_t)snprintf(out, size, "%s:%u:%ld", p->label, row, column + 1);
    else {
        cy_sheet_column_name((uint32_t)column, name);
        used = (size_t)snprintf(out, size, "%s!%s%u", p->label, name, row);
    }
    if (header && used < size)
        snprintf(out + used, size - used, " (column \"%.60s\")", header);
}

static int add_place(sc_reader *r, const char *path, uint32_t row, long column)
{
    cy_sc_places *p = r->places;
    sc_place *item;
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        sc_place *grown = cy_realloc(p->items, cap * sizeof *grown);
        if (!grown)
            return 0;
        p->items = grown;
        p->cap = cap;
    }
    item = &p->items[p->count];
    if (!(item->path = cy_strdup(path)))
        return 0;
    item->length = strlen(path);
    item->row = row;
    item->column = column;
    p->count++;
    return 1;
}

void cy_sc_places_free(cy_sc_places *places)
{
    if (!places)
        return;
    for (size_t k = 0; k < places->count; k++)
        cy_free(places->items[k].path);
    for (size_t c = 0; c < places->columns; c++)
        cy_free(places->headers[c]);
    cy_free(places->headers);
    cy_free(places->items);
    cy_free(places->label);
    cy_free(places);
}

/* The recorded place whose path is the longest prefix of `path` ending at
 * a step ('.', '[' or the end); NULL when none. */
static const sc_place *place_of(const cy_sc_places *p, const char *path)
{
    const sc_place *best = NULL;
    size_t best_n = 0, length = strlen(path);
    for (size_t k = 0; k < p->count; k++) {
        size_t n = p->items[k].length;
        if (n > best_n && n <= length && memcmp(path, p->items[k].path, n) == 0 &&
            (path[n] == '\0' || path[n] == '.' || path[n] == '['))
            best = &p->items[k], best_n = n;
    }
    return best;
}

/*
 * The checker speaks of JSON keys; a sheet's reader thinks in columns.
 * "missing key "from"" and "unknown key "id"" are said in those terms
 * (the place already names the row or the cell).  NULL: keep the message.
 */
static char *sheet_words(const char *message)
{
    static const char missing[] = "missing key \"", unknown[] = "unknown key \"";
    const char *key = NULL, *end;
    char *out;
    int is_missing = strncmp(message, missing, sizeof missing - 1) == 0;
    if (is_missing)
        key = message + sizeof missing - 1;
    else if (strncmp(message, unknown, sizeof unknown - 1) == 0)
        key = message + sizeof unknown - 1;
    if (!key || !(end = strchr(key, '"')) || !(out = cy_malloc(strlen(message) + 200)))
        return NULL;
    if (is_missing && (end - key == 10 && memcmp(key, "enterprise", 10) == 0))
        sprintf(out, "%s", "an add_enterprise row needs the new enterprise's columns (id, "
                "kind, and any other of the enterprises sheet)");
    else if (is_missing && (end - key == 4 && memcmp(key, "link", 4) == 0))
        sprintf(out, "%s", "an add_link row needs the new link's columns (from, to, part, "
                "and any other of the links sheet)");
    else if (is_missing)
        sprintf(out, "this row's action needs a value in column \"%.*s\"", (int)(end - key),
                key);
    else
        sprintf(out, "column \"%.*s\" does not apply to this row's action%s",
                (int)(end - key), key, end + 1);
    return out;
}

/* Turn the paths of diagnostics first..count into cells; ", entry K" for
 * an element of a list cell. */
static void translate(const cy_sc_places *p, cy_error *err, size_t first)
{
    for (size_t i = first; i < err->count; i++) {
        cy_diag *d = &err->items[i];
        const sc_place *at;
        char place[800], *copy;
        size_t used, entry;
        if (!d->path || !(at = place_of(p, d->path)))
            continue;
        spell_place(p, at->row, at->column, at->column >= 0 ? p->headers[at->column] : NULL,
                    place, sizeof place);
        used = strlen(place);
        if (sscanf(d->path + strlen(at->path), "[%zu]", &entry) == 1 && used > 0 &&
            place[used - 1] == ')')
            snprintf(place + used - 1, sizeof place - used + 1, ", entry %zu)", entry + 1);
        if (!(copy = cy_strdup(place))) {
            err->oom = 1;
            return;
        }
        cy_free(d->path);
        d->path = copy;
        cy_free(d->file);
        d->file = NULL;
        if ((copy = sheet_words(d->message))) {
            cy_free(d->message);
            d->message = copy;
        }
    }
}

/* ---- the header ------------------------------------------------------------ */

static void cell_error(sc_reader *r, uint32_t row, long column, const char *fmt,
                       const char *arg)
{
    char place[800];
    const char *header = column >= 0 && (size_t)column < r->columns ? r->header_of[column]
                                                                     : NULL;
    spell_place(r->places, row, column, header, place, sizeof place);
    cy_sheet_diag(r->err, CY_SEV_ERROR, place, fmt, arg);
}

/* SC_* or RECORD_BASE + the cy_columns index of a header; -1 when none. */
static long header_kind(const char *text, size_t length)
{
    long f;
    for (int k = 0; k < SC_OWN_COUNT; k++)
        if (cy_i_header_is(OWN[k].key, OWN[k].aliases, text, length))
            return k;
    f = cy_i_column_find(text, length);
    if (f >= 0 && (cy_columns[f].sheets & (CY_SHEET_BIT(CY_SHEET_ENTERPRISES) |
                                           CY_SHEET_BIT(CY_SHEET_LINKS))))
        return RECORD_BASE + f;
    return -1;
}

static int read_header(sc_reader *r, uint32_t row, const cy_sheet_cell *cells, size_t count)
{
    size_t columns = cells[count - 1].column + 1;
    r->kind_of = cy_malloc(columns * sizeof *r->kind_of);
    r->header_of = r->places->headers = cy_calloc(columns, sizeof *r->header_of);
    if (!r->kind_of || !r->header_of)
        return 0;
    r->columns = r->places->columns = columns;
    r->header_row = row;
    for (size_t c = 0; c < columns; c++)
        r->kind_of[c] = COLUMN_EMPTY;
    for (size_t k = 0; k < count; k++) {
        const cy_sheet_cell *cell = &cells[k];
        long kind = header_kind(cell->text, cell->length);
        if (!(r->header_of[cell->column] = cy_strndup(cell->text, cell->length)))
            return 0;
        if (kind < 0 && cy_i_header_is("", NULL, cell->text, cell->length)) {
            /* Spaces only: as empty as an empty cell. */
            cy_free(r->header_of[cell->column]);
            r->header_of[cell->column] = NULL;
            continue;
        }
        if (kind < 0)
            cell_error(r, row, cell->column, "unknown column \"%.60s\" (a scenario sheet "
                       "has scenario, description, action, firms, parks, regions, "
                       "capacity_left, days, note, and the columns of the enterprises "
                       "and links sheets)", r->header_of[cell->column]);
        for (size_t j = 0; kind >= 0 && j < k; j++)
            if (r->kind_of[cells[j].column] == kind) {
                cell_error(r, row, cell->column, "column \"%.60s\" appears twice",
                           r->header_of[cell->column]);
                kind = COLUMN_NONE;
            }
        r->kind_of[cell->column] = kind;
    }
    r->have_header = 1;
    return 1;
}

/* ---- rows ------------------------------------------------------------------ */

static const char *kind_key(long kind)
{
    return kind < RECORD_BASE ? OWN[kind].key : cy_columns[kind - RECORD_BASE].key;
}

static cy_column_type kind_type(long kind)
{
    return kind < RECORD_BASE ? OWN[kind].type : cy_columns[kind - RECORD_BASE].type;
}

/* The scenario named `name` and its index, appended (with its place) when
 * new.  Names are found through a Jansson object used as a hash map, so a
 * sheet of a million one-row scenarios stays linear. */
static json_t *scenario_named(sc_reader *r, const char *name, uint32_t row, long column,
                              size_t *index)
{
    json_t *known = json_object_get(r->by_name, name), *sc;
    char path[64];
    if (known) {
        *index = (size_t)json_integer_value(known);
        return json_array_get(r->scenarios, *index);
    }
    *index = json_array_size(r->scenarios);
    if (!(sc = json_object()) || json_array_append_new(r->scenarios, sc) != 0 ||
        json_object_set_new(sc, "name", json_string(name)) != 0 ||
        json_object_set_new(r->by_name, name, json_integer((json_int_t)*index)) != 0)
        return NULL;
    snprintf(path, sizeof path, "$.scenarios[%zu]", *index);
    if (!add_place(r, path, row, -1))
        return NULL;
    snprintf(path, sizeof path, "$.scenarios[%zu].name", *index);
    return add_place(r, path, row, column) ? sc : NULL;
}

/* The value of a non-empty cell, or NULL (absent, reported, or OOM). */
static json_t *value_of(sc_reader *r, uint32_t row, const cy_sheet_cell *cell, long kind)
{
    const char *problem;
    int absent;
    char shown[80];
    json_t *v = cy_i_cell_value(cell, kind_type(kind), &problem, &absent);
    if (v || absent)
        return v;
    if (!problem) {
        r->oom = 1;
        return NULL;
    }
    snprintf(shown, sizeof shown, "\"%.60s\"", cell->text);
    cell_error(r, row, cell->column, problem, shown);
    return NULL;
}

/* One non-empty cell of a row: its column kind and value. */
typedef struct {
    long kind, column;
    json_t *value;
} sc_cell;

/* The action a row's cell names, its Chinese word translated. */
static const char *action_word(const char *a)
{
    for (size_t k = 0; k < sizeof ACTION_ALIASES / sizeof *ACTION_ALIASES; k++)
        if (strcmp(a, ACTION_ALIASES[k][0]) == 0)
            return ACTION_ALIASES[k][1];
    return a;
}

/* Which object a column's value goes into: the enterprise or link record
 * of add_enterprise / add_link for their sheet's columns, else (NULL) the
 * row's shock or mitigation itself. */
static const char *record_key(const char *action, long kind)
{
    unsigned sheets;
    if (kind < RECORD_BASE)
        return NULL;
    sheets = cy_columns[kind - RECORD_BASE].sheets;
    if (strcmp(action, "add_enterprise") == 0 && (sheets & CY_SHEET_BIT(CY_SHEET_ENTERPRISES)))
        return "enterprise";
    if (strcmp(action, "add_link") == 0 && (sheets & CY_SHEET_BIT(CY_SHEET_LINKS)))
        return "link";
    return NULL;
}

/* The object `in` of item (created with its place when new), or item. */
static json_t *target_of(sc_reader *r, json_t *item, const char *base, const char *in,
                         uint32_t row)
{
    json_t *t;
    char path[200];
    if (!in)
        return item;
    if ((t = json_object_get(item, in)))
        return t;
    snprintf(path, sizeof path, "%s.%s", base, in);
    if (!(t = json_object()) || json_object_set_new(item, in, t) != 0 ||
        !add_place(r, path, row, -1))
        return NULL;
    return t;
}

/* Put cell c into the row's item at `base` (its JSON path). */
static int put(sc_reader *r, json_t *item, const char *base, const char *action,
               const sc_cell *c, uint32_t row)
{
    const char *in = record_key(action, c->kind), *key = kind_key(c->kind);
    cy_column_type type = kind_type(c->kind);
    json_t *target = target_of(r, item, base, in, row), *loc;
    char path[240];
    if (!target)
        return 0;
    /* A location is two columns in a sheet and one array in the format. */
    if (type == CY_COL_LONGITUDE || type == CY_COL_LATITUDE) {
        key = "location";
        if (!(loc = json_object_get(target, key)) &&
            json_object_set_new(target, key, loc = json_pack("[nn]")) != 0)
            return 0;
        if (json_array_set(loc, type == CY_COL_LATITUDE, c->value) != 0)
            return 0;
    } else if (json_object_set(target, key, c->value) != 0) {
        return 0;
    }
    snprintf(path, sizeof path, in ? "%s.%s.%s" : "%s.%s%s", base, in ? in : "", key);
    return add_place(r, path, row, c->column);
}

/* Append the row's shock (empty action) or mitigation to scenario `index`. */
static int add_item(sc_reader *r, json_t *sc, size_t index, const sc_cell *cells,
                    size_t count, const char *action, uint32_t row)
{
    int shock = strcmp(action, "shock") == 0;
    const char *list = shock ? "shocks" : "mitigations";
    json_t *array = json_object_get(sc, list), *item;
    char base[120];

    /* The _new setters release their value when they fail. */
    if (!array && json_object_set_new(sc, list, array = json_array()) != 0)
        return 0;
    if (json_array_append_new(array, item = json_object()) != 0)
        return 0;
    snprintf(base, sizeof base, "$.scenarios[%zu].%s[%zu]", index, list,
             json_array_size(array) - 1);
    if (!add_place(r, base, row, -1) ||
        (!shock && json_object_set_new(item, "action", json_string(action)) != 0))
        return 0;
    for (size_t k = 0; k < count; k++) {
        char at[160];
        if (cells[k].kind == SC_SCENARIO || cells[k].kind == SC_DESCRIPTION)
            continue;
        if (cells[k].kind == SC_ACTION) {
            snprintf(at, sizeof at, "%s.action", base);
            if (!add_place(r, at, row, cells[k].column))
                return 0;
        } else if (!put(r, item, base, action, &cells[k], row)) {
            return 0;
        }
    }
    return 1;
}

/* The scenario of this row: its name cell, or the row above's. */
static json_t *row_scenario(sc_reader *r, const sc_cell *cells, size_t count, uint32_t row,
                            size_t *index)
{
    const sc_cell *name = NULL;
    json_t *sc;
    for (size_t k = 0; k < count; k++)
        if (cells[k].kind == SC_SCENARIO)
            name = &cells[k];
    if (name && (!r->current || strcmp(r->current, json_string_value(name->value)) != 0) &&
        json_object_get(r->by_name, json_string_value(name->value))) {
        /* In a file a name is given once; in a sheet, once per block. */
        cell_error(r, row, name->column, "scenario \"%.80s\" has rows above, with other "
                   "scenarios' rows between: keep a scenario's rows together (or give this "
                   "one another name)", json_string_value(name->value));
        return NULL;
    }
    if (name) {
        cy_free(r->current);
        if (!(r->current = cy_strdup(json_string_value(name->value)))) {
            r->oom = 1;
            return NULL;
        }
    } else if (!r->current) {
        cell_error(r, row, -1, "%s", "the row names no scenario (column \"scenario\" or "
                   "情景; a blank cell continues the scenario of the row above)");
        return NULL;
    }
    sc = scenario_named(r, r->current, row, name ? name->column : -1, index);
    if (!sc)
        r->oom = 1;
    return sc;
}

/* A description cell: the scenario's, given once. */
static int set_description(sc_reader *r, json_t *sc, size_t index, const sc_cell *c,
                           uint32_t row)
{
    json_t *had = json_object_get(sc, "description");
    char path[64];
    if (had) {
        if (!json_equal(had, c->value))
            cell_error(r, row, c->column, "%s", "a second, different description of the "
                       "same scenario (give it once, or the same text)");
        return 1;
    }
    snprintf(path, sizeof path, "$.scenarios[%zu].description", index);
    return json_object_set(sc, "description", c->value) == 0 &&
           add_place(r, path, row, c->column);
}

/* A value under no header would be lost without a word: reported. */
static void stray_value(sc_reader *r, uint32_t row, const cy_sheet_cell *cell)
{
    if (cy_i_header_is("", NULL, cell->text, cell->length))
        return;
    cell_error(r, row, (long)cell->column, "%s", "a value in a column with no header "
               "(name the column in the first row, or clear the cell)");
}

static int read_row(sc_reader *r, uint32_t row, const cy_sheet_cell *cells, size_t count,
                    sc_cell *kept)
{
    size_t n = 0, index;
    const char *action = "shock";
    int others = 0;
    json_t *sc;
    for (size_t k = 0; k < count; k++) {
        long kind = cells[k].column < r->columns ? r->kind_of[cells[k].column] : COLUMN_EMPTY;
        json_t *v;
        if (kind == COLUMN_EMPTY) {
            stray_value(r, row, &cells[k]);
            continue;
        }
        if (kind == COLUMN_NONE || !(v = value_of(r, row, &cells[k], kind)))
            continue;
        kept[n++] = (sc_cell){kind, (long)cells[k].column, v};
        if (kind == SC_ACTION)
            action = action_word(json_string_value(v));
        others |= kind != SC_SCENARIO && kind != SC_DESCRIPTION;
    }
    if (n == 0 || r->oom)
        return n;
    if (!(sc = row_scenario(r, kept, n, row, &index)))
        return n;
    for (size_t k = 0; k < n; k++)
        if (kept[k].kind == SC_DESCRIPTION && !set_description(r, sc, index, &kept[k], row))
            r->oom = 1;
    if (others && !r->oom && !add_item(r, sc, index, kept, n, action, row))
        r->oom = 1;
    return n;
}

/* The row callback: the header, then one shock or mitigation per row. */
static int on_row(void *ctx, uint32_t row, const cy_sheet_cell *cells, size_t count)
{
    sc_reader *r = ctx;
    sc_cell *kept;
    size_t n;
    if (!r->have_header) {
        if (!read_header(r, row, cells, count))
            r->oom = 1;
        return r->oom;
    }
    if (!(kept = cy_malloc((count ? count : 1) * sizeof *kept))) {
        r->oom = 1;
        return 1;
    }
    n = read_row(r, row, cells, count, kept);
    for (size_t k = 0; k < n; k++)
        json_decref(kept[k].value);
    cy_free(kept);
    return r->oom || r->err->limit_reached;
}

/* ---- whole inputs --------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The scenario table of a folder: scenarios.csv or 情景.csv, any ASCII
 * case (cy_i_table_file: 1 with *path, 0 none, 2 several, -1 OOM). */
static int csv_in(const char *dir, char **path, char *both, size_t both_size)
{
    return cy_i_table_file(dir, "scenarios|情景", path, both, both_size);
}

static int is_zip(const char *path)
{
    unsigned char magic[4];
    FILE *f = fopen(path, "rb");
    int zip = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "PK\x03\x04", 4) == 0;
    if (f)
        fclose(f);
    return zip;
}

int cy_scenarios_folder_reads(const char *dir, const char *path)
{
    struct stat out_st, st;
    int same;
    char *table, both[200];
    if (!is_dir(dir) || stat(path, &out_st) != 0 || csv_in(dir, &table, both, sizeof both) != 1)
        return 0;
    same = stat(table, &st) == 0 && st.st_dev == out_st.st_dev && st.st_ino == out_st.st_ino;
    cy_free(table);
    return same;
}

int cy_sc_is_sheet(const char *path)
{
    struct stat st;
    size_t n = strlen(path);
    /* Only files that can be opened twice: a pipe is JSON, read once. */
    if (stat(path, &st) != 0 || (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)))
        return 0;
    if (S_ISDIR(st.st_mode))
        return 1;
    return is_zip(path) || (n > 4 && strcasecmp(path + n - 4, ".csv") == 0);
}

/* Whether sheet k of `book` is named "scenarios" or "情景" (any case, as
 * a header). */
static int is_scenario_sheet(cy_xlsx *book, size_t k)
{
    const char *name = cy_xlsx_sheet_name(book, k);
    return cy_i_header_is("scenarios", "情景", name, strlen(name));
}

/* The same, and visible: a hidden sheet is out of the analyst's sight and
 * is not read (as the network's tables). */
static int visible_scenario_sheet(cy_xlsx *book, size_t k)
{
    return !cy_xlsx_sheet_hidden(book, k) && is_scenario_sheet(book, k);
}

/* The scenario sheet of a workbook: "scenarios" or "情景", only one. */
static cy_status read_xlsx(sc_reader *r, const char *path, const char *label, size_t max,
                           cy_error *err)
{
    cy_xlsx *book;
    cy_status status = cy_xlsx_open(path, label, max, &book, err);
    size_t k, count;
    if (status != CY_OK)
        return status;
    count = cy_xlsx_sheet_count(book);
    for (k = 0; k < count; k++)
        if (visible_scenario_sheet(book, k))
            break;
    for (size_t other = k + 1; k < count && other < count; other++)
        if (visible_scenario_sheet(book, other)) {
            /* As the network's importer: sheet order must not decide. */
            cy_sheet_diag(err, CY_SEV_ERROR, label, "two sheets hold the scenarios: \"%.60s\" "
                          "and \"%.60s\": keep one", cy_xlsx_sheet_name(book, k),
                          cy_xlsx_sheet_name(book, other));
            cy_xlsx_close(book);
            return CY_EINPUT;
        }
    if (k == count) {
        size_t hidden = 0;
        while (hidden < count && !is_scenario_sheet(book, hidden))
            hidden++;
        if (hidden < count)
            cy_sheet_diag(err, CY_SEV_ERROR, label, "no sheet \"scenarios\" (or \"情景\"): "
                          "sheet \"%.60s\" is hidden, and hidden sheets are not read: "
                          "unhide it", cy_xlsx_sheet_name(book, hidden));
        else
            cy_sheet_diag(err, CY_SEV_ERROR, label, "no sheet \"scenarios\" (or \"情景\"): a "
                          "workbook of scenarios has one row per shock or mitigation there "
                          "(docs/scenarios.md)");
        status = CY_EINPUT;
    } else {
        size_t n = strlen(label) + strlen(cy_xlsx_sheet_name(book, k)) + 2;
        if (!(r->places->label = cy_malloc(n)))
            status = CY_ENOMEM;
        else {
            snprintf(r->places->label, n, "%s:%s", label, cy_xlsx_sheet_name(book, k));
            status = cy_xlsx_read_sheet(book, k, on_row, r, err);
        }
    }
    cy_xlsx_close(book);
    return status;
}

/* scenarios.csv, the file or the one in a folder. */
static cy_status read_csv(sc_reader *r, const char *path, const char *label,
                          const cy_import_options *options, size_t max, cy_error *err)
{
    char *file = NULL, *shown = NULL, both[200];
    int found = is_dir(path) ? csv_in(path, &file, both, sizeof both)
                             : (file = cy_strdup(path)) != NULL ? 1 : -1;
    cy_status status;
    if (found == 0 || found == 2) {
        if (found == 0)
            cy_sheet_diag(err, CY_SEV_ERROR, label, "%s", "no scenarios.csv (or 情景.csv) in "
                          "this folder");
        else
            cy_sheet_diag(err, CY_SEV_ERROR, label, "two files hold the scenarios: %s (names "
                          "differ only in case, or one is 情景.csv): keep one", both);
        return CY_EINPUT;
    }
    if (!file)
        return CY_ENOMEM;
    shown = strcmp(file, path) == 0 ? cy_strdup(label)
                                    : cy_malloc(strlen(label) + strlen(strrchr(file, '/')) + 1);
    if (!shown) {
        cy_free(file);
        return CY_ENOMEM;
    }
    if (strcmp(file, path) != 0)
        sprintf(shown, "%s%s", label, strrchr(file, '/'));
    r->places->label = shown;
    r->places->csv = 1;
    status = cy_csv_read(file, shown, options ? options->encoding : NULL, max, on_row, r, err);
    cy_free(file);
    return status;
}

/* The document around the scenarios read. */
static json_t *document(sc_reader *r)
{
    return json_pack("{s:s, s:O}", "format", "chengyu-scenarios/1", "scenarios",
                     r->scenarios);
}

cy_status cy_sc_read_sheet(const char *path, const cy_import_options *options,
                           json_t **doc, cy_sc_places **places, cy_error *err)
{
    size_t max = options && options->max_input_bytes ? options->max_input_bytes
                                                     : CY_DEFAULT_MAX_INPUT;
    const char *label = options && options->label ? options->label : path;
    sc_reader r;
    cy_status status;

    memset(&r, 0, sizeof r);
    *doc = NULL;
    r.err = err;
    r.errors_before = err->error_count;
    r.places = *places = cy_calloc(1, sizeof **places);
    r.scenarios = json_array();
    r.by_name = json_object();
    if (!r.places || !r.scenarios || !r.by_name) {
        status = CY_ENOMEM;
        goto cleanup;
    }
    status = is_zip(path) ? read_xlsx(&r, path, label, max, err)
                          : read_csv(&r, path, label, options, max, err);
    if (r.oom)
        status = CY_ENOMEM;
    if (status == CY_OK && !r.have_header) {
        cy_sheet_diag(err, CY_SEV_ERROR, r.places->label, "%s", "the scenarios sheet is "
                      "empty (its first row names the columns: scenario, action, firms, ...)");
        status = CY_EINPUT;
    }
    if (status == CY_OK && err->error_count > r.errors_before)
        status = CY_EINPUT;
    if (status == CY_OK && (!add_place(&r, "$.scenarios", r.header_row, -1) || !(*doc = document(&r))))
        status = CY_ENOMEM;
cleanup:
    if (status == CY_ENOMEM)
        cy_sheet_diag(err, CY_SEV_ERROR, label, "%s", "out of memory");
    if (status != CY_OK) {
        cy_sc_places_free(*places);
        *places = NULL;
    }
    cy_free(r.kind_of);
    cy_free(r.current);
    json_decref(r.scenarios);
    json_decref(r.by_name);
    return status;
}

void cy_sc_translate(const cy_sc_places *places, cy_error *err, size_t first)
{
    translate(places, err, first);
}

char *cy_sc_place(const cy_sc_places *places, const char *path)
{
    const sc_place *at = place_of(places, path);
    char place[800];
    if (!at)
        return cy_strdup(places->label);
    spell_place(places, at->row, at->column,
                at->column >= 0 ? places->headers[at->column] : NULL, place, sizeof place);
    return cy_strdup(place);
}

/* ---- the template's sheet ------------------------------------------------- */

/* The template's scenario columns: the sheet's own, then those of the
 * enterprises and links sheets its example rows use. */
static const char *const TEMPLATE_COLUMNS[] = {
    "scenario", "description", "action", "firms", "parks", "regions", "capacity_left",
    "days", "id", "kind", "region", "produces", "from", "to", "part", "share", NULL};

/* Two scenarios on the template's example network: the battery maker
 * stops for 30 days, and the same with a second source of its battery
 * management systems: that single-source pair goes, but the carmaker
 * still stops, its power batteries having one supplier (what a
 * half-done second sourcing looks like). */
static const char *const TEMPLATE_ROWS[][16] = {
    {"电池厂停产 30 天", "示例电池停产 / the battery maker stops", NULL, "example-battery", NULL,
     NULL, NULL, "30"},
    {"第二家电池管理系统供应商", "同一冲击，电池管理系统另有一家供应商（动力电池仍只有一家供应商，整车厂仍停产） / the "
     "same, with a second supplier of battery management systems (power batteries are "
     "still single-sourced: the carmaker still stops)",
     "新增企业", NULL, NULL, NULL, NULL, NULL, "example-bms-2", "supplier", "chengdu",
     "battery-management"},
    {NULL, NULL, "新增供应关系", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     "example-bms-2", "example-carmaker", "battery-management", "0.5"},
    {NULL, NULL, "修改供应关系", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     "example-battery", "example-carmaker", "battery-management", "0.5"},
    {NULL, NULL, NULL, "example-battery", NULL, NULL, NULL, "30"},
};

/* What the template says of a column ("scenarios" sheet rows of the
 * explanation sheet): key, Chinese headers, Chinese and English text. */
static void template_column(cy_workbook *wb, const char *key)
{
    const char *aliases = "", *zh = "", *en = "";
    long f;
    for (int k = 0; k < SC_OWN_COUNT; k++)
        if (strcmp(OWN[k].key, key) == 0)
            aliases = OWN[k].aliases, zh = OWN[k].zh, en = OWN[k].en;
    if (!*zh && (f = cy_i_column_find(key, strlen(key))) >= 0) {
        aliases = cy_columns[f].aliases;
        zh = "新增企业、新增供应关系：新记录的这一列；其他措施：对应的值（见企业表、供应关系表）";
        en = "add_enterprise, add_link: this column of the new record; other mitigations: "
             "the value they change or name (as in the enterprises and links sheets)";
    }
    cy_workbook_text(wb, "scenarios");
    cy_workbook_text(wb, key);
    cy_workbook_text(wb, aliases);
    cy_workbook_text(wb, strcmp(key, "scenario") == 0 ? "yes / 是" : "");
    cy_workbook_text(wb, zh);
    cy_workbook_text(wb, en);
    cy_workbook_row_end(wb);
}

void cy_sc_template_readme(cy_workbook *wb)
{
    cy_workbook_text(wb, "scenarios");
    cy_workbook_blank(wb);
    cy_workbook_text(wb, "情景");
    cy_workbook_text(wb, "no / 否");
    cy_workbook_text(wb, "情景分析（chengyu scenarios 工作簿.xlsx 工作簿.xlsx）：每行一个冲击或应对措施");
    cy_workbook_text(wb, "what-if scenarios (chengyu scenarios book.xlsx book.xlsx): one row "
                         "per shock or mitigation");
    cy_workbook_row_end(wb);
    for (size_t k = 0; TEMPLATE_COLUMNS[k]; k++)
        template_column(wb, TEMPLATE_COLUMNS[k]);
}

cy_status cy_sc_template_sheet(cy_workbook *wb, cy_error *err)
{
    cy_xlsx_column columns[16];
    size_t n = 0;
    cy_status status;
    for (; TEMPLATE_COLUMNS[n]; n++) {
        columns[n].header = TEMPLATE_COLUMNS[n];
        columns[n].format = CY_XLSX_TEXT;
        columns[n].width = n < 3 ? 24 : 14;
    }
    if ((status = cy_workbook_sheet(wb, "scenarios", columns, n, err)) != CY_OK)
        return status;
    for (size_t r = 0; r < sizeof TEMPLATE_ROWS / sizeof *TEMPLATE_ROWS; r++) {
        for (size_t c = 0; c < n; c++)
            cy_workbook_text(wb, TEMPLATE_ROWS[r][c]);
        cy_workbook_row_end(wb);
    }
    return CY_OK;
}
