/*
 * load.c - Jansson -> validated cy_network: every rule of chengyu/1.
 *
 * The loader never stops at the first problem: it records each one with its
 * JSON path and goes on until the error list is full (CY_MAX_ERRORS), so a
 * user fixing a file sees everything at once.  Records with problems are
 * still appended (with their bad fields left unset), which keeps the
 * positions of later records equal to their positions in the file.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CY_ID_MAX_BYTES 256
#define CY_TIER_MAX 1000
#define PATH_SIZE 512
#define SHOW_SIZE 128
#define NUMBER_SIZE 32
#define NO_INDEX ((size_t)-1)
/* Ids up to this long (with the NUL) are cached by get_enterprise_ref. */
#define LAST_REF_SIZE 32

typedef struct {
    cy_network *net;
    cy_error *err;
    int regions_declared;
    int oom;
    size_t owners_cap;
    /* Duplicate detection in produces/requires/clusters (see mark_seen). */
    size_t *part_mark, *cluster_mark;
    size_t part_mark_cap, cluster_mark_cap;
    size_t mark_round;
    size_t group_cap[CY_GROUP_KIND_COUNT];
    /* The last id each of a link's "from" and "to" resolved to, and the
     * last source string interned: see get_enterprise_ref. */
    char last_ref[2][LAST_REF_SIZE];
    size_t last_ref_length[2]; /* 0: none */
    size_t last_ref_index[2];
    const char *last_source;
    /* The fields of the object check_keys saw last (see field()). */
    json_t *fields_of;
    const char *const *fields_keys;
    json_t *fields[16];
    double output_total, volume_total; /* see add_to_total */
    cy_i_arena *arena; /* records of the streaming load (see stream_records) */
    int check_only;    /* cy_network_check: no graphs are built */
} loader;

static const char *const TOP_KEYS[] = {"format", "name", "description",
    "regions", "clusters", "parks", "enterprises", "links", "meta", NULL};
static const char *const REGION_KEYS[] = {"id", "name", "source", "meta", NULL};
static const char *const CLUSTER_KEYS[] = {"id", "name", "sector", "region",
    "source", "meta", NULL};
static const char *const PARK_KEYS[] = {"id", "name", "region",
    "demonstration", "location", "source", "meta", NULL};
static const char *const ENTERPRISE_KEYS[] = {"id", "name", "name_zh", "uscc",
    "kind", "tier", "region", "park", "clusters", "output_value", "produces",
    "requires", "location", "source", "meta", NULL};
static const char *const LINK_KEYS[] = {"from", "to", "part", "volume",
    "share", "source", "meta", NULL};

/* ---- message helpers ------------------------------------------------- */

/*
 * Quote a user string for a message: at most ~80 bytes (cut on a UTF-8
 * boundary, "..." appended), with '"' and '\' escaped.  Control bytes are
 * left for cy_error_format to neutralise.
 */
static const char *show(const char *s, char buf[SHOW_SIZE])
{
    size_t out = 0, i = 0;
    buf[out++] = '"';
    while (s[i] && out < 84) {
        if (s[i] == '"' || s[i] == '\\')
            buf[out++] = '\\';
        buf[out++] = s[i++];
    }
    if (s[i]) {
        /* Step back to the start of a UTF-8 sequence before cutting. */
        while (out > 1 && ((unsigned char)buf[out - 1] & 0xc0) == 0x80)
            out--;
        if (out > 1 && (unsigned char)buf[out - 1] >= 0xc0)
            out--;
        memcpy(buf + out, "...", 3);
        out += 3;
    }
    buf[out++] = '"';
    buf[out] = '\0';
    return buf;
}

/*
 * A number as the user would have written it: the shortest %g form that
 * reads back as the same double (29.6, not 29.600000000000001).
 */
static const char *show_number(double x, char buf[NUMBER_SIZE])
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, NUMBER_SIZE, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/*
 * Paths are built for every field read, so these avoid snprintf: a plain
 * copy is an order of magnitude cheaper on a million-link file.  Both
 * truncate rather than overflow (paths are at most a few dozen bytes).
 */
static void path_key(char out[PATH_SIZE], const char *base, const char *key)
{
    size_t base_len = strnlen(base, PATH_SIZE - 1);
    size_t key_len = strnlen(key, PATH_SIZE - 2 - base_len);
    memmove(out, base, base_len);
    out[base_len] = '.';
    memcpy(out + base_len + 1, key, key_len);
    out[base_len + 1 + key_len] = '\0';
}

static void path_index(char out[PATH_SIZE], const char *base, size_t index)
{
    char digits[24];
    size_t digit_count = 0, base_len = strnlen(base, PATH_SIZE - 26);
    do {
        digits[digit_count++] = (char)('0' + index % 10);
        index /= 10;
    } while (index);
    memmove(out, base, base_len);
    out[base_len] = '[';
    for (size_t k = 0; k < digit_count; k++)
        out[base_len + 1 + k] = digits[digit_count - 1 - k];
    out[base_len + 1 + digit_count] = ']';
    out[base_len + 2 + digit_count] = '\0';
}

/*
 * The path of an unknown key: $.a.key for plain keys, $.a["odd key"]
 * otherwise, with the key shortened like a shown value.
 */
static void path_unknown_key(char out[PATH_SIZE], const char *base,
                             const char *key)
{
    char shown[SHOW_SIZE];
    int plain = (key[0] != '\0');
    for (const char *p = key; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            plain = 0;
    }
    if (plain && strlen(key) <= 64)
        snprintf(out, PATH_SIZE, "%s.%s", base, key);
    else
        snprintf(out, PATH_SIZE, "%s[%s]", base, show(key, shown));
}

#define ERROR(L, path, ...) cy_error_add((L)->err, CY_SEV_ERROR, (path), __VA_ARGS__)
#define WARN(L, path, ...) cy_error_add((L)->err, CY_SEV_WARNING, (path), __VA_ARGS__)
#define FULL(L) ((L)->err->limit_reached || (L)->oom)

/* ---- field readers --------------------------------------------------- */

_Static_assert(sizeof ENTERPRISE_KEYS / sizeof *ENTERPRISE_KEYS <= 16 &&
               sizeof PARK_KEYS / sizeof *PARK_KEYS <= 16 &&
               sizeof CLUSTER_KEYS / sizeof *CLUSTER_KEYS <= 16 &&
               sizeof REGION_KEYS / sizeof *REGION_KEYS <= 16 &&
               sizeof LINK_KEYS / sizeof *LINK_KEYS <= 16 &&
               sizeof TOP_KEYS / sizeof *TOP_KEYS <= 16,
               "a key table is longer than loader.fields holds");

/*
 * The value of `key` in `obj`, or NULL.  check_keys has just walked the
 * keys of the object being read and kept each allowed key's value, so the
 * readers find their field in that small table instead of asking Jansson:
 * json_object_get hashes the key and walks a bucket of the (by then cold)
 * object, about 17 times per enterprise and 10 per link, a tenth of the
 * load of a million-link file.  The call sites pass the same string
 * literals as the key tables, which the compiler merges, so the pointer
 * test usually settles it.  Any other object is asked directly.
 */
static json_t *field(const loader *L, json_t *obj, const char *key)
{
    if (obj != L->fields_of)
        return json_object_get(obj, key);
    for (size_t k = 0; L->fields_keys[k]; k++) {
        if (L->fields_keys[k] == key ||
            (L->fields_keys[k][0] == key[0] && strcmp(L->fields_keys[k], key) == 0))
            return L->fields[k];
    }
    return NULL;
}

/*
 * Report keys outside `allowed` (in the object's order) and required keys
 * that are missing (in `required` order), keeping the value of each
 * allowed key for field().  Records usually list their keys in the order
 * of `allowed`, so the search for each key starts after the previous
 * match and mostly succeeds at once.
 */
static void check_keys(loader *L, json_t *obj, const char *path,
                       const char *const *allowed, const char *const *required)
{
    const char *key;
    json_t *value;
    char at[PATH_SIZE];
    size_t count = 0, hint = 0;

    while (allowed[count])
        count++;
    L->fields_of = obj;
    L->fields_keys = allowed;
    memset(L->fields, 0, sizeof L->fields);
    json_object_foreach(obj, key, value) {
        size_t k = hint, tries = 0;
        for (; tries < count; tries++, k = (k + 1 == count) ? 0 : k + 1) {
            if (allowed[k][0] == key[0] && strcmp(allowed[k], key) == 0)
                break;
        }
        if (tries == count) {
            path_unknown_key(at, path, key);
            ERROR(L, at, "unknown key");
            continue;
        }
        L->fields[k] = value;
        hint = (k + 1 == count) ? 0 : k + 1;
    }
    for (const char *const *r = required; *r; r++) {
        if (!field(L, obj, *r)) {
            char shown[SHOW_SIZE];
            ERROR(L, path, "missing required field %s", show(*r, shown));
        }
    }
}

/*
 * Read an optional string field.  Returns 1 and sets *out when present and
 * valid, 0 when absent, -1 after reporting a problem.  Strings with an
 * embedded NUL are refused (Jansson already refuses "\u0000" unless asked
 * not to; this guards the C-string view).
 */
static int get_string(loader *L, json_t *obj, const char *key,
                      const char *path, const char **out)
{
    json_t *v = field(L, obj, key);
    char at[PATH_SIZE];
    if (!v)
        return 0;
    path_key(at, path, key);
    if (!json_is_string(v)) {
        ERROR(L, at, "expected a string, got %s", type_name(v));
        return -1;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        ERROR(L, at, "string contains a NUL character");
        return -1;
    }
    *out = json_string_value(v);
    return 1;
}

/* A string that names something: non-empty, at most CY_ID_MAX_BYTES. */
static int check_name_like(loader *L, const char *at, const char *s,
                           const char *what)
{
    size_t len = strlen(s);
    if (len == 0) {
        ERROR(L, at, "%s must not be empty", what);
        return 0;
    }
    if (len > CY_ID_MAX_BYTES) {
        char shown[SHOW_SIZE];
        ERROR(L, at, "%s %s is %zu bytes long (at most %d)", what,
              show(s, shown), len, CY_ID_MAX_BYTES);
        return 0;
    }
    return 1;
}

static int get_name_like(loader *L, json_t *obj, const char *key,
                         const char *path, const char *what, const char **out)
{
    char at[PATH_SIZE];
    int got = get_string(L, obj, key, path, out);
    if (got <= 0)
        return got;
    path_key(at, path, key);
    return check_name_like(L, at, *out, what) ? 1 : -1;
}

/*
 * Read an optional number in [min, max] (min excluded when min_open).
 * Returns 1/0/-1 like get_string.
 */
static int get_number(loader *L, json_t *obj, const char *key,
                      const char *path, double min, int min_open, double max,
                      double *out)
{
    json_t *v = field(L, obj, key);
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE], c[NUMBER_SIZE];
    double x;
    if (!v)
        return 0;
    path_key(at, path, key);
    if (!json_is_number(v)) {
        ERROR(L, at, "expected a number, got %s", type_name(v));
        return -1;
    }
    x = json_number_value(v);
    if (!isfinite(x)) {
        ERROR(L, at, "number is not finite");
        return -1;
    }
    if (x < min || (min_open && x == min) || x > max) {
        if (min == 0 && !min_open && max == HUGE_VAL)
            ERROR(L, at, "must be >= 0, got %s", show_number(x, a));
        else
            ERROR(L, at, "must be in %s%s, %s], got %s", min_open ? "(" : "[",
                  show_number(min, a), show_number(max, b),
                  show_number(x, c));
        return -1;
    }
    *out = x;
    return 1;
}

/*
 * Each output_value and volume is finite, but analyses add them up (totals,
 * the value lost in a cascade, volumes per firm edge): refuse a file whose
 * sum over all records is not finite, once, at the record where it stops
 * being so.  Values are >= 0, so then every partial sum stays finite too.
 */
static void add_to_total(loader *L, double *total, double value,
                         const char *path, const char *key)
{
    char at[PATH_SIZE];
    if (!isfinite(*total))
        return;
    *total += value;
    if (!isfinite(*total)) {
        path_key(at, path, key);
        ERROR(L, at, "the %ss of the file sum to more than %g, the largest "
              "number: totals would be infinite", key, DBL_MAX);
    }
}

static int get_location(loader *L, json_t *obj, const char *path, double *lon,
                        double *lat)
{
    json_t *v = field(L, obj, "location");
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE];
    if (!v)
        return 0;
    path_key(at, path, "location");
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_number(json_array_get(v, 0)) ||
        !json_is_number(json_array_get(v, 1))) {
        ERROR(L, at, "expected [longitude, latitude]");
        return -1;
    }
    *lon = json_number_value(json_array_get(v, 0));
    *lat = json_number_value(json_array_get(v, 1));
    if (!(*lon >= -180 && *lon <= 180) || !(*lat >= -90 && *lat <= 90)) {
        ERROR(L, at, "longitude must be in [-180, 180] and latitude in "
                     "[-90, 90], got [%s, %s]", show_number(*lon, a),
              show_number(*lat, b));
        return -1;
    }
    return 1;
}

static const char *intern_source(loader *L, const char *s)
{
    long k;
    /* Most records of a file share one source ("illustrative"). */
    if (L->last_source && strcmp(s, L->last_source) == 0)
        return L->last_source;
    k = cy_i_strtab_intern(&L->net->sources, s, strlen(s), NULL);
    if (k < 0) {
        L->oom = 1;
        return NULL;
    }
    return L->last_source = L->net->sources.strings[k];
}

static char *dup_or_oom(loader *L, const char *s)
{
    char *copy = cy_strdup(s);
    if (!copy)
        L->oom = 1;
    return copy;
}

/*
 * Mark item k (a part or cluster index) as seen in the list being read.
 * Returns 1 when it was already seen in this list, 0 when new, -1 on OOM.
 * Each list starts a new round (++L->mark_round) so that marks never need
 * clearing: duplicates cost O(1) per item, not a scan of the list (a list
 * of 50,000 parts took 13 s with the scan).
 */
static int mark_seen(loader *L, size_t **marks, size_t *cap, size_t k)
{
    if (k >= *cap) {
        size_t old = *cap;
        if (!cy_i_grow((void **)marks, cap, k + 1, sizeof **marks)) {
            L->oom = 1;
            return -1;
        }
        memset(*marks + old, 0, (*cap - old) * sizeof **marks);
    }
    if ((*marks)[k] == L->mark_round)
        return 1;
    (*marks)[k] = L->mark_round;
    return 0;
}

/* ---- ids and references ----------------------------------------------- */

/*
 * Path of the place where id number `k` of the id table was defined.  Only
 * declared ids can be met again (implicit regions are created for ids that
 * are not in the table), so json_index is always a position in the file.
 */
static void owner_path(const loader *L, long k, char out[PATH_SIZE])
{
    static const char *const arrays[] = {"regions", "clusters", "parks",
                                         "enterprises"};
    const cy_i_owner *o = &L->net->owners[k];
    snprintf(out, PATH_SIZE, "$.%s[%zu].id", arrays[o->kind], o->json_index);
}

/*
 * Register a new id for a record.  Returns the id string owned by the table,
 * or NULL after reporting a duplicate (naming both places) or on OOM.
 */
static const char *register_id(loader *L, const char *id, const char *at,
                               cy_i_owner_kind kind, size_t index,
                               size_t json_index)
{
    int inserted;
    long k = cy_i_strtab_intern(&L->net->ids, id, strlen(id), &inserted);
    if (k < 0) {
        L->oom = 1;
        return NULL;
    }
    if (!inserted) {
        char shown[SHOW_SIZE], first[PATH_SIZE];
        owner_path(L, k, first);
        ERROR(L, at, "duplicate id %s (first defined at %s)", show(id, shown),
              first);
        return NULL;
    }
    if (!cy_i_grow((void **)&L->net->owners, &L->owners_cap,
                   L->net->ids.count, sizeof *L->net->owners)) {
        L->oom = 1;
        return NULL;
    }
    L->net->owners[k].kind = kind;
    L->net->owners[k].index = index;
    L->net->owners[k].json_index = json_index;
    return L->net->ids.strings[k];
}

/* Append a zeroed group of `kind`; returns its index or NO_INDEX on OOM. */
static size_t append_group(loader *L, cy_group_kind kind)
{
    cy_network *net = L->net;
    cy_i_group *g;
    if (!cy_i_grow((void **)&net->groups[kind], &L->group_cap[kind],
                   net->group_count[kind] + 1, sizeof *net->groups[kind])) {
        L->oom = 1;
        return NO_INDEX;
    }
    g = &net->groups[kind][net->group_count[kind]];
    memset(g, 0, sizeof *g);
    g->region = -1;
    return net->group_count[kind]++;
}

/*
 * Resolve a reference to a group.  Returns the group index, or -1 after
 * reporting an unknown id or an id of the wrong kind.  With no declared
 * regions a region reference creates an implicit region (format.md).
 */
static long resolve_group(loader *L, const char *at, const char *id,
                          cy_group_kind kind)
{
    static const char *const owner_names[] = {"a region", "a cluster",
                                              "a park", "an enterprise"};
    char shown[SHOW_SIZE];
    long k = cy_i_strtab_find(&L->net->ids, id, strlen(id));
    size_t g;

    if (k >= 0) {
        const cy_i_owner *o = &L->net->owners[k];
        if ((int)o->kind == (int)kind)
            return (long)o->index;
        ERROR(L, at, "%s is %s, not a %s", show(id, shown),
              owner_names[o->kind], cy_group_kind_name(kind));
        return -1;
    }
    if (kind != CY_GROUP_REGION || L->regions_declared) {
        ERROR(L, at, "unknown %s %s", cy_group_kind_name(kind),
              show(id, shown));
        return -1;
    }
    if (!check_name_like(L, at, id, "region id"))
        return -1;
    g = append_group(L, CY_GROUP_REGION);
    if (g == NO_INDEX)
        return -1;
    /* Every id of the file was declared before references are resolved,
     * so this id is new and register_id can only fail on OOM. */
    L->net->groups[CY_GROUP_REGION][g].implicit = 1;
    L->net->groups[CY_GROUP_REGION][g].id =
        register_id(L, id, at, CY_I_OWNER_REGION, g, NO_INDEX);
    if (!L->net->groups[CY_GROUP_REGION][g].id)
        return -1;
    L->net->groups[CY_GROUP_REGION][g].name =
        dup_or_oom(L, L->net->groups[CY_GROUP_REGION][g].id);
    return (long)g;
}

static long get_group_ref(loader *L, json_t *obj, const char *path,
                          cy_group_kind kind)
{
    const char *id;
    char at[PATH_SIZE];
    if (get_string(L, obj, cy_group_kind_name(kind), path, &id) <= 0)
        return -1;
    path_key(at, path, cy_group_kind_name(kind));
    return resolve_group(L, at, id, kind);
}

/*
 * Read an optional array of part names (produces/requires) into part
 * indices, refusing duplicates.  Returns 1/0/-1 like get_string.
 */
static int get_part_list(loader *L, json_t *obj, const char *key,
                         const char *path, size_t **out, size_t *count)
{
    json_t *v = field(L, obj, key);
    char at[PATH_SIZE], item_at[PATH_SIZE];
    size_t size, index;
    json_t *item;
    int ok = 1;

    if (!v)
        return 0;
    path_key(at, path, key);
    if (!json_is_array(v)) {
        ERROR(L, at, "expected an array of part names, got %s", type_name(v));
        return -1;
    }
    size = json_array_size(v);
    *out = cy_malloc((size ? size : 1) * sizeof **out);
    if (!*out) {
        L->oom = 1;
        return -1;
    }
    *count = 0;
    L->mark_round++;
    json_array_foreach(v, index, item) {
        const char *name;
        long part;
        int dup;
        path_index(item_at, at, index);
        if (!json_is_string(item)) {
            ERROR(L, item_at, "expected a part name (a string), got %s",
                  type_name(item));
            ok = 0;
            continue;
        }
        name = json_string_value(item);
        if (strlen(name) != json_string_length(item)) {
            ERROR(L, item_at, "string contains a NUL character");
            ok = 0;
            continue;
        }
        if (!check_name_like(L, item_at, name, "part name")) {
            ok = 0;
            continue;
        }
        part = cy_i_strtab_intern(&L->net->parts, name, strlen(name), NULL);
        if (part < 0) {
            L->oom = 1;
            return -1;
        }
        dup = mark_seen(L, &L->part_mark, &L->part_mark_cap, (size_t)part);
        if (dup < 0)
            return -1;
        if (dup) {
            char shown[SHOW_SIZE];
            ERROR(L, item_at, "duplicate part %s in %s", show(name, shown),
                  key);
            ok = 0;
            continue;
        }
        (*out)[(*count)++] = (size_t)part;
    }
    return ok ? 1 : -1;
}

/*
 * Get a named array of records.  Returns the array, or NULL when absent or
 * of the wrong type (reported).
 */
static json_t *get_record_array(loader *L, json_t *root, const char *key)
{
    json_t *v = field(L, root, key);
    char at[PATH_SIZE];
    if (!v)
        return NULL; /* a missing required key is reported by check_keys */
    if (!json_is_array(v)) {
        path_key(at, "$", key);
        ERROR(L, at, "expected an array, got %s", type_name(v));
        return NULL;
    }
    return v;
}

/*
 * The record's "meta" value, kept for the model.  A record parsed into the
 * record arena (streaming load) is released with the arena, so its meta is
 * deep-copied out of it, with the arena set aside for the copy.
 */
static json_t *keep_meta(loader *L, json_t *obj)
{
    json_t *meta = field(L, obj, "meta"), *copy;
    if (!meta)
        return NULL;
    if (!cy_i_arena_in_use())
        return json_incref(meta);
    cy_i_arena_use(NULL);
    copy = json_deep_copy(meta);
    cy_i_arena_use(L->arena);
    if (!copy)
        L->oom = 1;
    return copy;
}

/* ---- records --------------------------------------------------------- */

/*
 * Read and register the id of record `rec` (if it is an object with a valid
 * id).  Returns the id owned by the id table, or NULL.
 */
static const char *declare_id(loader *L, json_t *rec, const char *path,
                              cy_i_owner_kind kind, size_t index,
                              size_t json_index)
{
    const char *id;
    char at[PATH_SIZE];
    if (!json_is_object(rec) ||
        get_name_like(L, rec, "id", path, "id", &id) <= 0)
        return NULL;
    path_key(at, path, "id");
    return register_id(L, id, at, kind, index, json_index);
}

/*
 * First pass over a group array: one group per record, so that group
 * indices are positions in the file, and its id registered.  Every id of
 * the file is declared before any reference is resolved, so a reference to
 * a record further down is found, and one to an id of the wrong kind is
 * reported as such (not as unknown, nor as a new implicit region).  A
 * wrongly typed array is reported by the second pass.
 */
static void declare_groups(loader *L, json_t *root, cy_group_kind kind,
                           const char *key)
{
    json_t *array = json_object_get(root, key), *rec;
    char path[PATH_SIZE], base[PATH_SIZE];
    size_t index;

    if (!json_is_array(array))
        return;
    path_key(base, "$", key);
    json_array_foreach(array, index, rec) {
        size_t g;
        if (FULL(L))
            return;
        g = append_group(L, kind);
        if (g == NO_INDEX)
            return;
        path_index(path, base, index);
        L->net->groups[kind][g].id =
            declare_id(L, rec, path, (cy_i_owner_kind)kind, g, index);
    }
}

/*
 * Read the fields every group has (name, source, meta; the id was read by
 * declare_groups) into group g of `kind`.  Returns 0 when the record is not
 * an object.
 */
static int load_group_common(loader *L, json_t *rec, const char *path,
                             cy_group_kind kind, size_t g,
                             const char *const *keys)
{
    static const char *const required[] = {"id", NULL};
    cy_i_group *group = &L->net->groups[kind][g];
    const char *name = NULL, *source = NULL;

    if (!json_is_object(rec)) {
        ERROR(L, path, "expected a %s object, got %s", cy_group_kind_name(kind),
              type_name(rec));
        return 0;
    }
    check_keys(L, rec, path, keys, required);
    if (get_string(L, rec, "name", path, &name) > 0 || (name = group->id))
        group->name = dup_or_oom(L, name);
    if (get_string(L, rec, "source", path, &source) > 0)
        group->source = intern_source(L, source);
    group->meta = keep_meta(L, rec);
    return 1;
}

static void load_groups(loader *L, json_t *root, cy_group_kind kind,
                        const char *key, const char *const *keys)
{
    json_t *array = get_record_array(L, root, key);
    char path[PATH_SIZE], base[PATH_SIZE];
    size_t index;
    json_t *rec;

    if (!array)
        return;
    path_key(base, "$", key);
    json_array_foreach(array, index, rec) {
        size_t g = index; /* declare_groups made group i from record i */
        cy_i_group *group;
        int got;
        if (FULL(L) || g >= L->net->group_count[kind])
            return;
        path_index(path, base, index);
        if (!load_group_common(L, rec, path, kind, g, keys))
            continue;
        group = &L->net->groups[kind][g];
        if (kind != CY_GROUP_REGION)
            group->region = get_group_ref(L, rec, path, CY_GROUP_REGION);
        if (kind == CY_GROUP_CLUSTER) {
            const char *sector;
            if (get_string(L, rec, "sector", path, &sector) > 0)
                group->sector = dup_or_oom(L, sector);
        }
        if (kind == CY_GROUP_PARK) {
            json_t *demo = field(L, rec, "demonstration");
            char at[PATH_SIZE];
            if (demo && !json_is_boolean(demo)) {
                path_key(at, path, "demonstration");
                ERROR(L, at, "expected true or false, got %s", type_name(demo));
            } else {
                group->demonstration = json_is_true(demo);
            }
            got = get_location(L, rec, path, &group->lon, &group->lat);
            group->has_location = (got > 0);
        }
    }
}

/*
 * Verify the check character of an 18-character unified social credit code
 * (GB 32100-2015): characters from a 31-symbol alphabet, weights 3^i mod 31,
 * check = (31 - sum mod 31) mod 31.  Returns NULL when valid, else a reason.
 */
static const char *uscc_problem(const char *code)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25,
                                    13, 8, 24, 10, 30, 28};
    int sum = 0, value[18];
    if (strlen(code) != 18)
        return "must be 18 characters long";
    for (int i = 0; i < 18; i++) {
        const char *hit = code[i] ? strchr(alphabet, code[i]) : NULL;
        if (!hit)
            return "contains a character outside 0-9 and "
                   "ABCDEFGHJKLMNPQRTUWXY";
        value[i] = (int)(hit - alphabet);
    }
    for (int i = 0; i < 17; i++)
        sum += value[i] * weights[i];
    if ((31 - sum % 31) % 31 != value[17])
        return "has a wrong check character";
    return NULL;
}

static int parse_kind(const char *s, cy_kind *kind)
{
    for (int k = 0; k < CY_KIND_COUNT; k++) {
        if (strcmp(s, cy_kind_name((cy_kind)k)) == 0) {
            *kind = (cy_kind)k;
            return 1;
        }
    }
    return 0;
}

static void load_enterprise(loader *L, json_t *rec, const char *path,
                            size_t i)
{
    static const char *const required[] = {"id", "kind", NULL};
    cy_i_enterprise *e = &L->net->enterprises[i];
    const char *s = NULL;
    char at[PATH_SIZE], shown[SHOW_SIZE];
    json_t *v;

    if (!json_is_object(rec)) {
        ERROR(L, path, "expected an enterprise object, got %s", type_name(rec));
        return;
    }
    check_keys(L, rec, path, ENTERPRISE_KEYS, required);
    /* The id was read and registered by the first pass (load_document). */
    if (get_string(L, rec, "name", path, &s) > 0 || (s = e->id))
        e->name = dup_or_oom(L, s);
    if (get_string(L, rec, "name_zh", path, &s) > 0)
        e->name_zh = dup_or_oom(L, s);
    if (get_string(L, rec, "uscc", path, &s) > 0) {
        const char *problem = uscc_problem(s);
        path_key(at, path, "uscc");
        if (problem)
            ERROR(L, at, "unified social credit code %s %s", show(s, shown),
                  problem);
        else
            e->uscc = dup_or_oom(L, s);
    }
    if (get_string(L, rec, "kind", path, &s) > 0 && !parse_kind(s, &e->kind)) {
        path_key(at, path, "kind");
        ERROR(L, at, "unknown kind %s (expected \"oem\", \"supplier\", "
                     "\"material\" or \"service\")", show(s, shown));
    }
    if ((v = field(L, rec, "tier"))) {
        path_key(at, path, "tier");
        if (!json_is_integer(v))
            ERROR(L, at, "tier must be an integer, got %s", type_name(v));
        else if (json_integer_value(v) < 0 ||
                 json_integer_value(v) > CY_TIER_MAX)
            ERROR(L, at, "tier must be in [0, %d], got %" JSON_INTEGER_FORMAT,
                  CY_TIER_MAX, json_integer_value(v));
        else
            e->tier = (int)json_integer_value(v);
    }
    e->region = get_group_ref(L, rec, path, CY_GROUP_REGION);
    e->park = get_group_ref(L, rec, path, CY_GROUP_PARK);
    if ((v = field(L, rec, "clusters"))) {
        path_key(at, path, "clusters");
        if (!json_is_array(v)) {
            ERROR(L, at, "expected an array of cluster ids, got %s",
                  type_name(v));
        } else {
            size_t k;
            json_t *item;
            e->clusters = cy_malloc((json_array_size(v) + 1) *
                                    sizeof *e->clusters);
            if (!e->clusters) {
                L->oom = 1;
                return;
            }
            L->mark_round++;
            json_array_foreach(v, k, item) {
                char item_at[PATH_SIZE];
                long c;
                int dup;
                path_index(item_at, at, k);
                if (!json_is_string(item)) {
                    ERROR(L, item_at, "expected a cluster id, got %s",
                          type_name(item));
                    continue;
                }
                c = resolve_group(L, item_at, json_string_value(item),
                                  CY_GROUP_CLUSTER);
                if (c < 0)
                    continue;
                dup = mark_seen(L, &L->cluster_mark, &L->cluster_mark_cap,
                                (size_t)c);
                if (dup < 0)
                    return;
                if (dup)
                    ERROR(L, item_at, "duplicate cluster %s",
                          show(json_string_value(item), shown));
                else
                    e->clusters[e->cluster_count++] = (size_t)c;
            }
        }
    }
    if (get_number(L, rec, "output_value", path, 0, 0, HUGE_VAL,
                   &e->output_value) > 0)
        add_to_total(L, &L->output_total, e->output_value, path, "output_value");
    get_part_list(L, rec, "produces", path, &e->produces, &e->produces_count);
    if (get_part_list(L, rec, "requires", path, &e->requires,
                      &e->requires_count) != 0)
        e->requires_explicit = 1;
    e->has_location = get_location(L, rec, path, &e->lon, &e->lat) > 0;
    if (get_string(L, rec, "source", path, &s) > 0)
        e->source = intern_source(L, s);
    e->meta = keep_meta(L, rec);
}

/*
 * Resolve the enterprise id in field `key` ("from" or "to") of a link.
 * Files usually list the links of one customer (or one supplier) together,
 * so the id is often the one the previous link had in the same field: a
 * compare with the loader's copy of that one then replaces a hash-table
 * probe that misses the cache.
 */
static size_t get_enterprise_ref(loader *L, json_t *rec, const char *path,
                                 const char *key)
{
    const char *id;
    char at[PATH_SIZE], shown[SHOW_SIZE];
    int which = (key[0] == 't');
    size_t length;
    long k;
    if (get_string(L, rec, key, path, &id) <= 0)
        return NO_INDEX;
    length = strlen(id);
    /* A copy, not a pointer into the id table: comparing with the
     * table's string was itself a cache miss per link. */
    if (length == L->last_ref_length[which] &&
        memcmp(id, L->last_ref[which], length) == 0)
        return L->last_ref_index[which];
    path_key(at, path, key);
    k = cy_i_strtab_find(&L->net->ids, id, length);
    if (k < 0) {
        ERROR(L, at, "unknown enterprise %s", show(id, shown));
        return NO_INDEX;
    }
    if (L->net->owners[k].kind != CY_I_OWNER_ENTERPRISE) {
        ERROR(L, at, "%s is a %s, not an enterprise", show(id, shown),
              cy_group_kind_name((cy_group_kind)L->net->owners[k].kind));
        return NO_INDEX;
    }
    if (length > 0 && length < LAST_REF_SIZE) {
        memcpy(L->last_ref[which], id, length);
        L->last_ref_length[which] = length;
        L->last_ref_index[which] = L->net->owners[k].index;
    }
    return L->net->owners[k].index;
}

static void load_link(loader *L, json_t *rec, const char *path, size_t j)
{
    static const char *const required[] = {"from", "to", "part", NULL};
    cy_i_link *l = &L->net->links[j];
    const char *part = NULL, *source;
    char at[PATH_SIZE];

    l->from = l->to = l->part = NO_INDEX;
    l->share = -1;
    if (!json_is_object(rec)) {
        ERROR(L, path, "expected a link object, got %s", type_name(rec));
        return;
    }
    check_keys(L, rec, path, LINK_KEYS, required);
    l->from = get_enterprise_ref(L, rec, path, "from");
    l->to = get_enterprise_ref(L, rec, path, "to");
    if (l->from != NO_INDEX && l->from == l->to) {
        char shown[SHOW_SIZE];
        path_key(at, path, "to");
        ERROR(L, at, "link from %s to itself", show(L->net->enterprises[l->from].id, shown));
        l->to = NO_INDEX;
    }
    if (get_name_like(L, rec, "part", path, "part name", &part) > 0) {
        long k = cy_i_strtab_intern(&L->net->parts, part, strlen(part), NULL);
        if (k < 0)
            L->oom = 1;
        else
            l->part = (size_t)k;
    }
    if (get_number(L, rec, "volume", path, 0, 0, HUGE_VAL, &l->volume) > 0)
        add_to_total(L, &L->volume_total, l->volume, path, "volume");
    get_number(L, rec, "share", path, 0, 1, 1, &l->share);
    if (get_string(L, rec, "source", path, &source) > 0)
        l->source = intern_source(L, source);
    l->meta = keep_meta(L, rec);
}

/* ---- whole-file rules -------------------------------------------------- */

typedef struct {
    size_t from, to, part, link;
} link_triple;

static int link_triple_cmp(const void *a, const void *b)
{
    const link_triple *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    return x->link < y->link ? -1 : (x->link > y->link);
}

/* Report every link that repeats an earlier (from, to, part). */
static void check_duplicate_links(loader *L)
{
    cy_network *net = L->net;
    link_triple *t = cy_malloc((net->link_count + 1) * sizeof *t);
    size_t count = 0;
    if (!t) {
        L->oom = 1;
        return;
    }
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        if (l->from == NO_INDEX || l->to == NO_INDEX || l->part == NO_INDEX)
            continue;
        t[count].from = l->from;
        t[count].to = l->to;
        t[count].part = l->part;
        t[count].link = j;
        count++;
    }
    qsort(t, count, sizeof *t, link_triple_cmp);
    for (size_t k = 1; k < count && !FULL(L); k++) {
        if (t[k].from == t[k - 1].from && t[k].to == t[k - 1].to &&
            t[k].part == t[k - 1].part) {
            char at[PATH_SIZE], a[SHOW_SIZE], b[SHOW_SIZE], p[SHOW_SIZE];
            size_t first = k - 1;
            while (first > 0 && t[first - 1].from == t[k].from &&
                   t[first - 1].to == t[k].to && t[first - 1].part == t[k].part)
                first--;
            path_index(at, "$.links", t[k].link);
            ERROR(L, at, "duplicate link %s -> %s for part %s (same as "
                         "$.links[%zu])",
                  show(net->enterprises[t[k].from].id, a),
                  show(net->enterprises[t[k].to].id, b),
                  show(net->parts.strings[t[k].part], p), t[first].link);
        }
    }
    cy_free(t);
}

/*
 * Report duplicate links using net->out_links, which orders each supplier's
 * links by (customer, part, link index): a repeat sits right after the
 * first link with the same (customer, part).  Returns 1 if any was found.
 */
static int report_duplicates_from_index(loader *L)
{
    cy_network *net = L->net;
    int found = 0;
    for (size_t k = 1; k < net->link_count && !FULL(L); k++) {
        const cy_i_link *prev = &net->links[net->out_links[k - 1]];
        const cy_i_link *l = &net->links[net->out_links[k]];
        size_t first = k - 1;
        char at[PATH_SIZE], a[SHOW_SIZE], b[SHOW_SIZE], p[SHOW_SIZE];
        if (prev->from != l->from || prev->to != l->to || prev->part != l->part)
            continue;
        while (first > 0 && net->links[net->out_links[first - 1]].from == l->from &&
               net->links[net->out_links[first - 1]].to == l->to &&
               net->links[net->out_links[first - 1]].part == l->part)
            first--;
        path_index(at, "$.links", net->out_links[k]);
        ERROR(L, at, "duplicate link %s -> %s for part %s (same as $.links[%zu])",
              show(net->enterprises[l->from].id, a),
              show(net->enterprises[l->to].id, b),
              show(net->parts.strings[l->part], p), net->out_links[first]);
        found = 1;
    }
    return found;
}

/*
 * Give every enterprise without an explicit `requires` the distinct parts
 * of its incoming links (in_links is sorted by part within a customer).
 */
static cy_status derive_requires(loader *L)
{
    cy_network *net = L->net;
    for (size_t c = 0; c < net->enterprise_count; c++) {
        cy_i_enterprise *e = &net->enterprises[c];
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        if (e->requires_explicit)
            continue;
        cy_free(e->requires);
        e->requires = cy_malloc((end - begin + 1) * sizeof *e->requires);
        if (!e->requires)
            return CY_ENOMEM;
        e->requires_count = 0;
        for (size_t k = begin; k < end; k++) {
            size_t part = net->links[net->in_links[k]].part;
            if (!e->requires_count || e->requires[e->requires_count - 1] != part)
                e->requires[e->requires_count++] = part;
        }
    }
    return CY_OK;
}

static int size_t_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : (x > y);
}

/*
 * The three warnings of chengyu/1.  `requires` arrays are sorted here (after
 * the messages, which cite positions in the file's order).
 */
static void report_warnings(loader *L)
{
    cy_network *net = L->net;
    char at[PATH_SIZE], a[SHOW_SIZE], p[SHOW_SIZE];

    for (size_t c = 0; c < net->enterprise_count; c++) {
        cy_i_enterprise *e = &net->enterprises[c];
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        if (begin == end && net->out_offset[c] == net->out_offset[c + 1]) {
            path_index(at, "$.enterprises", c);
            WARN(L, at, "enterprise %s has no links", show(e->id, a));
        }
        if (!e->requires_explicit)
            continue;
        for (size_t r = 0; r < e->requires_count; r++) {
            if (!cy_i_part_suppliers(net, c, e->requires[r], NULL)) {
                snprintf(at, sizeof at, "$.enterprises[%zu].requires[%zu]", c, r);
                WARN(L, at, "no supplier of part %s for %s",
                     show(net->parts.strings[e->requires[r]], p), show(e->id, a));
            }
        }
        qsort(e->requires, e->requires_count, sizeof *e->requires, size_t_cmp);
    }
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        const cy_i_enterprise *e = &net->enterprises[l->to];
        if (e->requires_explicit &&
            !bsearch(&l->part, e->requires, e->requires_count,
                     sizeof *e->requires, size_t_cmp)) {
            snprintf(at, sizeof at, "$.links[%zu].part", j);
            WARN(L, at, "%s does not list part %s in its requires",
                 show(e->id, a), show(net->parts.strings[l->part], p));
        }
    }
}

/* ---- the document ------------------------------------------------------ */

/*
 * Free a record of the DOM as soon as it has been copied into the model
 * (its `meta`, if any, is kept alive by its own reference).  Freeing while
 * the record is still in cache is several times cheaper than one big
 * json_decref at the end, and the DOM shrinks while the model grows, which
 * keeps the peak memory near the size of the DOM alone.
 */
static void release_record(json_t *array, size_t index)
{
    /* json_null() is a static singleton: the replacement cannot fail for
     * lack of memory, and the old element's reference is dropped. */
    json_array_set_new(array, index, json_null());
}

/*
 * The top-level fields that are not record arrays: the keys themselves
 * (unknown and missing ones), format, name, description and meta.
 */
static void load_header(loader *L, json_t *root)
{
    static const char *const required[] = {"format", "name", "enterprises",
                                           "links", NULL};
    cy_network *net = L->net;
    const char *s;
    char shown[SHOW_SIZE];

    check_keys(L, root, "$", TOP_KEYS, required);
    if (get_string(L, root, "format", "$", &s) > 0 && strcmp(s, CY_FORMAT) != 0)
        ERROR(L, "$.format", "unsupported format %s (expected \"%s\")",
              show(s, shown), CY_FORMAT);
    if (get_string(L, root, "name", "$", &s) > 0)
        net->name = dup_or_oom(L, s);
    if (get_string(L, root, "description", "$", &s) > 0)
        net->description = dup_or_oom(L, s);
    net->meta = keep_meta(L, root);
}

/*
 * Every record is in the model and no record had a problem: build the
 * indexes and graphs, then apply the rules that need them (duplicate
 * links, derived requires, warnings).
 */
static cy_status finish_document(loader *L)
{
    cy_status status;
    if ((status = cy_i_network_build(L->net, !L->check_only, L->err)) != CY_OK)
        return status;
    if (report_duplicates_from_index(L))
        return CY_EINPUT;
    if (derive_requires(L) != CY_OK)
        return CY_ENOMEM;
    report_warnings(L);
    return L->oom ? CY_ENOMEM : CY_OK;
}

static cy_status load_document(loader *L, json_t *root)
{
    cy_network *net = L->net;
    size_t errors_before = L->err->error_count;
    json_t *array, *rec, *regions;
    char path[PATH_SIZE];
    size_t index;

    if (!json_is_object(root)) {
        ERROR(L, "$", "expected a chengyu/1 object at the top level, got %s",
              type_name(root));
        return CY_EINPUT;
    }
    load_header(L, root);

    /* First pass: declare every record and its id (see declare_groups). */
    declare_groups(L, root, CY_GROUP_REGION, "regions");
    declare_groups(L, root, CY_GROUP_CLUSTER, "clusters");
    declare_groups(L, root, CY_GROUP_PARK, "parks");
    array = json_object_get(root, "enterprises");
    if (json_is_array(array) && !FULL(L)) {
        net->enterprises = cy_calloc(json_array_size(array) + 1,
                                     sizeof *net->enterprises);
        if (!net->enterprises)
            return CY_ENOMEM;
        json_array_foreach(array, index, rec) {
            cy_i_enterprise *e = &net->enterprises[index];
            if (FULL(L))
                break;
            e->tier = -1;
            e->region = e->park = -1;
            net->enterprise_count++;
            path_index(path, "$.enterprises", index);
            e->id = declare_id(L, rec, path, CY_I_OWNER_ENTERPRISE, index,
                               index);
        }
    }

    /* Second pass: every other field, resolving references. */
    regions = json_object_get(root, "regions");
    L->regions_declared = json_is_array(regions) && json_array_size(regions) > 0;
    load_groups(L, root, CY_GROUP_REGION, "regions", REGION_KEYS);
    load_groups(L, root, CY_GROUP_CLUSTER, "clusters", CLUSTER_KEYS);
    load_groups(L, root, CY_GROUP_PARK, "parks", PARK_KEYS);
    if ((array = get_record_array(L, root, "enterprises"))) {
        json_array_foreach(array, index, rec) {
            if (FULL(L) || index >= net->enterprise_count)
                break;
            path_index(path, "$.enterprises", index);
            load_enterprise(L, rec, path, index);
            release_record(array, index);
            L->fields_of = NULL; /* field() must not see a freed object */
        }
    }
    if ((array = get_record_array(L, root, "links")) && !FULL(L)) {
        net->links = cy_calloc(json_array_size(array) + 1, sizeof *net->links);
        if (!net->links)
            return CY_ENOMEM;
        json_array_foreach(array, index, rec) {
            if (FULL(L))
                break;
            net->link_count++;
            path_index(path, "$.links", index);
            load_link(L, rec, path, index);
            release_record(array, index);
            L->fields_of = NULL; /* field() must not see a freed object */
        }
    }
    /* A file that is otherwise valid gets its duplicate links found in
     * the adjacency index that is built anyway; only a file with other
     * errors pays for a separate sort. */
    if (!FULL(L) && L->err->error_count > errors_before)
        check_duplicate_links(L);
    if (L->oom)
        return CY_ENOMEM;
    if (L->err->error_count > errors_before)
        return CY_EINPUT;
    return finish_document(L);
}

/*
 * Report a Jansson parse error as FILE:LINE:COLUMN: message.  Jansson's text
 * is kept, except where it would puzzle a user: a NUL character is named as
 * such (not by the flag JSON_ALLOW_NUL that the user never set), invalid
 * UTF-8 says so, and the depth limit gives its value.
 */
static void report_parse_error(cy_error *err, const json_error_t *jerr)
{
    const char *near = strstr(jerr->text, " near ");
    char message[JSON_ERROR_TEXT_LENGTH + 64];

    switch (json_error_code(jerr)) {
    case json_error_null_character:
        snprintf(message, sizeof message,
                 "string contains a NUL character (\\u0000)%s",
                 near ? near : "");
        break;
    case json_error_invalid_utf8:
        snprintf(message, sizeof message, "invalid UTF-8: %s", jerr->text);
        break;
    case json_error_stack_overflow:
        snprintf(message, sizeof message,
                 "nesting deeper than %d levels (the parser's limit)%s",
                 JSON_PARSER_MAX_DEPTH, near ? near : "");
        break;
    default:
        snprintf(message, sizeof message, "%s", jerr->text);
        break;
    }
    if (jerr->line > 0)
        cy_error_add_at(err, CY_SEV_ERROR, jerr->line, jerr->column, "%s",
                        message);
    else
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s", message);
}

/*
 * Parse `size` bytes with Jansson, reporting a syntax error with its line
 * and column.  Returns the document, or NULL with *status set.
 */
static json_t *parse_document(const char *data, size_t size, cy_error *err,
                              cy_status *status)
{
    json_error_t jerr;
    json_t *root;
    unsigned long failures;

    /* A UTF-8 byte order mark (some editors write one) is not allowed
     * (docs/format.md); Jansson's message would quote it invisibly. */
    if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        cy_error_add_at(err, CY_SEV_ERROR, 1, 1,
                        "the file starts with a UTF-8 byte order mark, which "
                        "chengyu/1 does not allow; remove it");
        *status = CY_EINPUT;
        return NULL;
    }
    failures = cy_i_alloc_failures();
    root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
    /* Jansson does not always say that it ran out of memory: some failed
     * allocations come back as syntax errors ("string or '}' expected"),
     * and a failed append to a string being lexed silently drops a
     * character ("Test supply nework").  So any allocation that failed
     * while parsing means out of memory, whatever Jansson returned. */
    if (cy_i_alloc_failures() != failures ||
        (!root && json_error_code(&jerr) == json_error_out_of_memory)) {
        json_decref(root);
        *status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return NULL;
    }
    if (!root) {
        *status = CY_EINPUT;
        report_parse_error(err, &jerr);
    }
    return root;
}

/* ---- streaming load -------------------------------------------------- */

/*
 * Jansson has no event (SAX) interface: json_loadb builds the whole
 * document, about nine times the size of the text (1.6 GB for the 182 MB
 * national preset), and the loader then reads that DOM again from main
 * memory.  But json_loadb with JSON_DISABLE_EOF_CHECK parses one value and
 * says where it stopped (json_error_t.position), so a file can be read a
 * record at a time: the cursor below steps over the punctuation between
 * values (whitespace and , : [ ] { }) and Jansson parses every key and
 * every value.  Each enterprise and link is validated into the model and
 * freed at once, while it is still in cache.
 *
 * The DOM path (load_document) defines what a file means; the streaming
 * path is taken only where it gives the same model:
 *  - the sections come in dependency order: "regions", "clusters" and
 *    "parks" before "enterprises", "enterprises" before "links", and
 *    with clusters or parks there are declared regions (see
 *    begin_enterprises);
 *  - the file is valid.
 * At the first sign of anything else (a syntax error, a duplicate
 * top-level key, a problem in any field, a section out of order, a "meta"
 * nested within two levels of the parser's depth limit, which the DOM
 * parse would refuse) the streaming pass gives up: its diagnostics were
 * kept aside and are dropped, and the DOM path loads the text again from
 * the start, so a rejected file gets exactly the DOM path's messages, in
 * its order, with its line and column numbers.  Only running out of
 * memory is final.
 */

#define STREAM_FLAGS (JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY)

typedef enum { STREAM_LOADED, STREAM_GIVE_UP, STREAM_OOM } stream_result;

typedef struct {
    const char *data;
    size_t size, pos;
    unsigned long failures; /* cy_i_alloc_failures() when the pass began */
} text_cursor;

/* Skip JSON whitespace; the next byte, or -1 at the end of the text. */
static int peek(text_cursor *c)
{
    while (c->pos < c->size) {
        char ch = c->data[c->pos];
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t')
            return (unsigned char)ch;
        c->pos++;
    }
    return -1;
}

/* Consume `ch` if it is the next byte after whitespace. */
static int accept(text_cursor *c, char ch)
{
    if (peek(c) != (unsigned char)ch)
        return 0;
    c->pos++;
    return 1;
}

/*
 * Parse the value at the cursor with Jansson and step over it.  NULL on a
 * syntax error (the DOM path will report it).  The length passed is capped
 * at INT_MAX because json_error_t.position is an int: a single value that
 * long fails here and is left to the DOM path.
 */
static json_t *next_value(text_cursor *c)
{
    json_error_t jerr;
    size_t left = c->size - c->pos;
    json_t *v = json_loadb(c->data + c->pos, left > INT_MAX ? INT_MAX : left,
                           STREAM_FLAGS, &jerr);
    if (v)
        c->pos += (size_t)jerr.position;
    return v;
}

/*
 * Whether an allocation failed since the pass began.  Jansson does not
 * always say so (see parse_document), so the counter decides.
 */
static int ran_out(const text_cursor *c)
{
    return cy_i_alloc_failures() != c->failures;
}

/*
 * Whether `v` nests deeper than `budget` levels of arrays and objects.
 * Recursion is bounded by the parser's own depth limit.
 */
static int nests_deeper(json_t *v, int budget)
{
    size_t index;
    const char *key;
    json_t *item;
    if (!json_is_array(v) && !json_is_object(v))
        return 0;
    if (budget == 0)
        return 1;
    if (json_is_array(v)) {
        json_array_foreach(v, index, item)
            if (nests_deeper(item, budget - 1))
                return 1;
    } else {
        json_object_foreach(v, key, item)
            if (nests_deeper(item, budget - 1))
                return 1;
    }
    return 0;
}

/*
 * Declare the groups (read whole: they are few) and take the "regions"
 * decision, as load_document does before any enterprise.  0 when the
 * streaming pass cannot go on: without declared regions, references
 * create implicit regions in the order they are met, and load_document
 * meets those of clusters and parks before those of enterprises, which
 * the streaming pass (loading the groups last) would not.
 */
static int begin_enterprises(loader *L, json_t *root)
{
    json_t *regions = json_object_get(root, "regions");
    L->regions_declared = json_is_array(regions) && json_array_size(regions) > 0;
    if (!L->regions_declared &&
        (json_array_size(json_object_get(root, "clusters")) > 0 ||
         json_array_size(json_object_get(root, "parks")) > 0))
        return 0;
    declare_groups(L, root, CY_GROUP_REGION, "regions");
    declare_groups(L, root, CY_GROUP_CLUSTER, "clusters");
    declare_groups(L, root, CY_GROUP_PARK, "parks");
    return L->err->error_count == 0;
}

/* cy_i_grow, with the new elements zeroed (load_document callocs). */
static int grow_zeroed(void **array, size_t *cap, size_t need, size_t size)
{
    size_t old = *cap;
    if (!cy_i_grow(array, cap, need, size))
        return 0;
    memset((char *)*array + old * size, 0, (*cap - old) * size);
    return 1;
}

/*
 * Parse record `index` at the cursor into the record arena, which must be
 * in use, and validate it into the model.  `cap` is the capacity of the
 * record array being filled.  The record itself is left in the arena for
 * the caller to release.
 */
static stream_result stream_record(loader *L, text_cursor *c, int links,
                                   size_t index, size_t *cap)
{
    cy_network *net = L->net;
    char path[PATH_SIZE];
    json_t *rec = next_value(c), *meta;

    if (ran_out(c))
        return STREAM_OOM;
    if (!rec)
        return STREAM_GIVE_UP;
    /* One spare element, as load_document allocates. */
    if (links ? !grow_zeroed((void **)&net->links, cap, index + 2, sizeof *net->links)
              : !grow_zeroed((void **)&net->enterprises, cap, index + 2,
                             sizeof *net->enterprises))
        return STREAM_OOM;
    if (links) {
        net->link_count++;
        path_index(path, "$.links", index);
        load_link(L, rec, path, index);
        meta = net->links[index].meta;
    } else {
        cy_i_enterprise *e = &net->enterprises[index];
        e->tier = -1;
        e->region = e->park = -1;
        net->enterprise_count++;
        path_index(path, "$.enterprises", index);
        e->id = declare_id(L, rec, path, CY_I_OWNER_ENTERPRISE, index, index);
        load_enterprise(L, rec, path, index);
        meta = e->meta;
    }
    L->fields_of = NULL; /* field() must not see a released object */
    if (L->oom || ran_out(c))
        return STREAM_OOM;
    /* A record sits at depth 3 of the document, its meta at 4. */
    if (L->err->error_count || nests_deeper(meta, JSON_PARSER_MAX_DEPTH - 3))
        return STREAM_GIVE_UP;
    return STREAM_LOADED;
}

/*
 * Read the array of enterprise (or, with `links`, link) records at the
 * cursor, one record at a time, into the model.  Each record is parsed
 * into the record arena and released with it as soon as it is in the
 * model: Jansson allocates a block per value, and a national file has
 * tens of millions of them.  malloc and free of those blocks were a sixth
 * of the load; carved from one cached block and dropped at once, they
 * cost a few pointer bumps.
 */
static stream_result stream_records(loader *L, text_cursor *c, int links)
{
    cy_network *net = L->net;
    size_t cap = 0, index = 0;
    stream_result result;

    if (!accept(c, '['))
        return STREAM_GIVE_UP;
    /* Allocated even when empty, as load_document does. */
    if (links ? !grow_zeroed((void **)&net->links, &cap, 1, sizeof *net->links)
              : !grow_zeroed((void **)&net->enterprises, &cap, 1, sizeof *net->enterprises))
        return STREAM_OOM;
    if (accept(c, ']'))
        return STREAM_LOADED;
    do {
        cy_i_arena_use(L->arena);
        result = stream_record(L, c, links, index, &cap);
        cy_i_arena_end(L->arena);
        if (result != STREAM_LOADED)
            return result;
        index++;
    } while (accept(c, ','));
    return accept(c, ']') ? STREAM_LOADED : STREAM_GIVE_UP;
}

static int is_group_key(const char *key)
{
    return strcmp(key, "regions") == 0 || strcmp(key, "clusters") == 0 ||
           strcmp(key, "parks") == 0;
}

/*
 * The top-level object: small values are kept in `root`, the record
 * arrays are streamed into the model and stand in `root` as empty arrays
 * (for load_header's key checks).
 */
static stream_result stream_top(loader *L, text_cursor *c, json_t *root)
{
    int enterprises_read = 0, links_read = 0;
    stream_result result;

    /* A byte order mark is refused by parse_document, with its message. */
    if (c->size >= 3 && memcmp(c->data, "\xef\xbb\xbf", 3) == 0)
        return STREAM_GIVE_UP;
    if (!accept(c, '{'))
        return STREAM_GIVE_UP;
    if (!accept(c, '}')) {
        do {
            json_t *name, *value = NULL;
            const char *key;
            if (peek(c) != '"')
                return STREAM_GIVE_UP;
            name = next_value(c);
            if (ran_out(c)) {
                json_decref(name);
                return STREAM_OOM;
            }
            key = json_string_value(name);
            if (!key || !accept(c, ':') || json_object_get(root, key)) {
                json_decref(name);
                return STREAM_GIVE_UP;
            }
            if (strcmp(key, "enterprises") == 0) {
                result = links_read || !begin_enterprises(L, root)
                             ? STREAM_GIVE_UP
                             : stream_records(L, c, 0);
                enterprises_read = 1;
            } else if (strcmp(key, "links") == 0) {
                result = enterprises_read ? stream_records(L, c, 1) : STREAM_GIVE_UP;
                links_read = 1;
            } else if (is_group_key(key) && enterprises_read) {
                result = STREAM_GIVE_UP;
            } else {
                value = next_value(c);
                result = ran_out(c) ? STREAM_OOM : !value ? STREAM_GIVE_UP
                         /* The value sits at depth 2 of the document. */
                         : nests_deeper(value, JSON_PARSER_MAX_DEPTH - 1) ? STREAM_GIVE_UP
                                                                          : STREAM_LOADED;
            }
            if (result == STREAM_LOADED && !value && !(value = json_array()))
                result = STREAM_OOM;
            if (result == STREAM_LOADED && json_object_set_new(root, key, value)) {
                value = NULL; /* json_object_set_new consumed it */
                result = STREAM_OOM;
            } else if (result != STREAM_LOADED) {
                json_decref(value);
            }
            json_decref(name);
            if (result != STREAM_LOADED)
                return result;
        } while (accept(c, ','));
        if (!accept(c, '}'))
            return STREAM_GIVE_UP;
    }
    if (peek(c) != -1 || !links_read)
        return STREAM_GIVE_UP;
    return STREAM_LOADED;
}

/*
 * The streaming pass over `size` bytes of text into L->net (see above).
 * STREAM_LOADED: every record is in the model and nothing was wrong, the
 * model is ready for finish_document.
 */
static stream_result stream_document(loader *L, const char *data, size_t size)
{
    text_cursor c = {data, size, 0, cy_i_alloc_failures()};
    json_t *root = json_object();
    cy_i_arena arena = {NULL};
    stream_result result;

    if (!root)
        return STREAM_OOM;
    L->arena = &arena;
    result = stream_top(L, &c, root);
    cy_i_arena_destroy(&arena);
    L->arena = NULL;
    if (result == STREAM_LOADED) {
        load_header(L, root);
        load_groups(L, root, CY_GROUP_REGION, "regions", REGION_KEYS);
        load_groups(L, root, CY_GROUP_CLUSTER, "clusters", CLUSTER_KEYS);
        load_groups(L, root, CY_GROUP_PARK, "parks", PARK_KEYS);
        L->fields_of = NULL;
        if (L->oom || ran_out(&c))
            result = STREAM_OOM;
        else if (L->err->error_count)
            result = STREAM_GIVE_UP;
    }
    json_decref(root);
    return result;
}

/*
 * The end of every load: report running out of memory, release the
 * loader's scratch, and hand over the network on success.
 */
static cy_status end_load(loader *L, cy_status status, cy_network **out)
{
    if (status == CY_ENOMEM)
        cy_error_add(L->err, CY_SEV_ERROR, NULL, "out of memory");
    cy_free(L->part_mark);
    cy_free(L->cluster_mark);
    if (status == CY_OK)
        *out = L->net;
    else
        cy_network_free(L->net);
    return status;
}

/* Validate a parsed document into a network; consumes `root`. */
static cy_status load_root(json_t *root, int check_only, cy_network **out,
                           cy_error *err)
{
    loader L;
    cy_status status;

    memset(&L, 0, sizeof L);
    L.err = err;
    L.check_only = check_only;
    L.net = cy_i_network_new();
    if (!L.net) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        json_decref(root);
        return CY_ENOMEM;
    }
    status = load_document(&L, root);
    json_decref(root);
    return end_load(&L, status, out);
}

/*
 * Load `size` bytes of text: the streaming pass, then the DOM path if the
 * streaming pass gave up (see "streaming load").  `owned`, when not NULL,
 * holds the text's allocation and is freed as soon as the text has been
 * read, before the model's indexes and graphs are built, so that the text
 * and those never coexist.
 */
static cy_status load_text(const char *data, size_t size, char **owned,
                           int check_only, cy_network **out, cy_error *err)
{
    loader L;
    cy_error kept_aside;
    stream_result result;
    cy_status status = CY_OK;
    json_t *root;

    memset(&L, 0, sizeof L);
    L.check_only = check_only;
    L.net = cy_i_network_new();
    if (!L.net) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto release_text;
    }
    cy_error_init(&kept_aside);
    L.err = &kept_aside;
    result = stream_document(&L, data, size);
    cy_error_destroy(&kept_aside);
    L.err = err;
    if (result == STREAM_LOADED) {
        if (owned) {
            cy_free(*owned);
            *owned = NULL;
        }
        L.net->streamed = 1;
        return end_load(&L, finish_document(&L), out);
    }
    if (result == STREAM_OOM)
        return end_load(&L, CY_ENOMEM, out);
    end_load(&L, CY_EINPUT, out); /* only releases: nothing was reported */

    root = parse_document(data, size, err, &status);
    /* The text is not needed once parsed: free it before the model is
     * built, so the two never coexist. */
    if (owned) {
        cy_free(*owned);
        *owned = NULL;
    }
    return root ? load_root(root, check_only, out, err) : status;

release_text:
    if (owned) {
        cy_free(*owned);
        *owned = NULL;
    }
    return CY_ENOMEM;
}

cy_status cy_network_load_buffer(const char *data, size_t size,
                                 const char *name, cy_network **out,
                                 cy_error *err)
{
    const char *saved_file = err->file;
    cy_status status;

    cy_library_init();
    *out = NULL;
    if (name)
        err->file = name;
    status = load_text(data, size, NULL, 0, out, err);
    err->file = saved_file;
    return status;
}

static const char *file_type_name(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

/*
 * Read a whole regular file.  The file is opened non-blocking so that a
 * FIFO cannot stall us before fstat says what it is; only regular files
 * are read, and never more than `limit` bytes.
 */
static cy_status read_input(const char *path, size_t limit, char **data,
                            size_t *size, cy_error *err)
{
    struct stat st;
    int fd;
    char *buf = NULL;
    size_t used = 0, cap;
    cy_status status = CY_EIO;

    *data = NULL;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int open_errno = errno;
        /* A socket cannot be opened at all (ENXIO): say what it is rather
         * than "No such device or address". */
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "not a regular file (it is %s)",
                         file_type_name(st.st_mode));
            return CY_EINPUT;
        }
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot open: %s",
                     strerror(open_errno));
        return CY_EIO;
    }
    if (fstat(fd, &st) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot stat: %s", strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "not a regular file (it is %s)", file_type_name(st.st_mode));
        status = CY_EINPUT;
        goto cleanup;
    }
    if ((uint64_t)st.st_size > (uint64_t)limit) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "file is %lld bytes, over the input limit of %zu bytes "
                     "(raise it with CHENGYU_MAX_INPUT_BYTES)",
                     (long long)st.st_size, limit);
        status = CY_EINPUT;
        goto cleanup;
    }
    /* The size may change while we read; read to EOF within the limit. */
    cap = (size_t)st.st_size + 1;
    buf = cy_malloc(cap);
    if (!buf) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the file");
        status = CY_ENOMEM;
        goto cleanup;
    }
    for (;;) {
        ssize_t got;
        if (used == cap) {
            if (cap > limit) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "file grew over the input limit of %zu bytes "
                             "while being read", limit);
                status = CY_EINPUT;
                goto cleanup;
            }
            if (!cy_i_grow((void **)&buf, &cap, cap + 1, 1)) {
                status = CY_ENOMEM;
                cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the file");
                goto cleanup;
            }
        }
        got = read(fd, buf + used, cap - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "cannot read: %s", strerror(errno));
            goto cleanup;
        }
        if (got == 0)
            break;
        used += (size_t)got;
    }
    *data = buf;
    *size = used;
    buf = NULL;
    status = CY_OK;
cleanup:
    cy_free(buf);
    close(fd);
    return status;
}

/* cy_network_load, or with `check_only` the load behind cy_network_check. */
static cy_status load_file(const char *path, const cy_load_options *options,
                           int check_only, cy_network **out, cy_error *err)
{
    const char *saved_file = err->file;
    size_t limit = options && options->max_input_bytes
                       ? options->max_input_bytes
                       : CY_DEFAULT_MAX_INPUT;
    char *data = NULL;
    size_t size = 0;
    cy_status status;

    cy_library_init();
    *out = NULL;
    err->file = path;
    status = read_input(path, limit, &data, &size, err);
    if (status == CY_OK)
        status = load_text(data, size, &data, check_only, out, err);
    cy_free(data);
    err->file = saved_file;
    return status;
}

cy_status cy_network_load(const char *path, const cy_load_options *options,
                          cy_network **out, cy_error *err)
{
    return load_file(path, options, 0, out, err);
}

cy_status cy_network_check(const char *path, const cy_load_options *options,
                           size_t *enterprise_count, size_t *link_count,
                           cy_error *err)
{
    cy_network *net = NULL;
    cy_status status = load_file(path, options, 1, &net, err);
    if (enterprise_count)
        *enterprise_count = net ? net->enterprise_count : 0;
    if (link_count)
        *link_count = net ? net->link_count : 0;
    cy_network_free(net);
    return status;
}
