/*
 * load_records.c - each kind of chengyu/1 record into the model: ids
 * declared and checked for uniqueness, references to groups and
 * enterprises resolved (implicit regions made), and the fields of
 * regions, clusters, parks, enterprises and links read and checked.  A
 * record with a problem is still appended, with its bad fields unset, so
 * later records keep their positions in the file.
 */
#include "load_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const cy_l_top_keys[] = {"format", "name", "description",
    "currency", "regions", "clusters", "parks", "enterprises", "links", "meta",
    NULL};
const char *const cy_l_region_keys[] = {"id", "name", "inside", "source",
    "meta", NULL};
const char *const cy_l_cluster_keys[] = {"id", "name", "sector", "region",
    "source", "meta", NULL};
const char *const cy_l_park_keys[] = {"id", "name", "region",
    "demonstration", "location", "source", "meta", NULL};
const char *const cy_l_enterprise_keys[] = {"id", "name", "name_zh", "uscc",
    "kind", "tier", "region", "park", "clusters", "output_value",
    "final_demand", "capacity", "inventory_days", "recovery_days", "produces",
    "requires", "location", "source", "meta", NULL};
const char *const cy_l_link_keys[] = {"from", "to", "part", "volume",
    "share", "source", "meta", NULL};

#define KEY_COUNT(keys) (sizeof keys / sizeof *keys)
_Static_assert(KEY_COUNT(cy_l_enterprise_keys) <= CY_L_MAX_KEYS &&
               KEY_COUNT(cy_l_park_keys) <= CY_L_MAX_KEYS &&
               KEY_COUNT(cy_l_cluster_keys) <= CY_L_MAX_KEYS &&
               KEY_COUNT(cy_l_region_keys) <= CY_L_MAX_KEYS &&
               KEY_COUNT(cy_l_link_keys) <= CY_L_MAX_KEYS &&
               KEY_COUNT(cy_l_top_keys) <= CY_L_MAX_KEYS,
               "a key table is longer than loader.fields holds");

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
 * or NULL after reporting a duplicate (naming both places) or on OOM.  The
 * id of a record parsed ahead comes with its tag (L->parsed).
 */
const char *cy_l_register_id(loader *L, const char *id, const char *at,
                             cy_i_owner_kind kind, size_t index,
                             size_t json_index)
{
    int inserted;
    size_t length = strlen(id);
    long k = L->parsed && L->parsed->ref[0] == id
                 ? cy_i_strtab_intern_tagged(&L->net->ids, id, length,
                                             L->parsed->tag[0], &inserted)
                 : cy_i_strtab_intern(&L->net->ids, id, length, &inserted);
    if (k < 0) {
        L->oom = 1;
        return NULL;
    }
    if (!inserted) {
        char shown[SHOW_SIZE], first[PATH_SIZE];
        owner_path(L, k, first);
        ERROR(L, at, "duplicate id %s (first defined at %s)", cy_l_show(id, shown),
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
    g->inside = 1;
    return net->group_count[kind]++;
}

/* "; it is the name of <what> "id": give its id", or NULL without an id
 * (cy_network_named: analysts type names where ids go, "成都整车丙" in a
 * links sheet; records not read yet have no name). */
static const char *name_hint(const char *what, const char *id, char hint[SHOW_SIZE + 32])
{
    char shown[SHOW_SIZE];
    if (!id)
        return NULL;
    snprintf(hint, SHOW_SIZE + 32, "; it is the name of %s %s: give its id", what,
             cy_l_show(id, shown));
    return hint;
}

/*
 * The end of the message of an unknown reference: the record it is the
 * name of, else "did you mean" the nearest id of a group of `kind` (or,
 * below, of an enterprise) within CY_SUGGEST_DISTANCE; "" when there is
 * neither.  Runs only for a reference that is an error, so a scan of the
 * records is fine.
 */
static const char *suggest_group(const loader *L, const char *id,
                                 cy_group_kind kind, char hint[SHOW_SIZE + 32])
{
    int found;
    const char *named = name_hint(cy_group_kind_name(kind),
                                  cy_network_named(L->net, id, 0, 1u << kind, &found), hint);
    return named ? named : cy_l_did_you_mean(cy_network_suggest_group(L->net, kind, id), hint);
}

static const char *suggest_enterprise(const loader *L, const char *id,
                                      char hint[SHOW_SIZE + 32])
{
    int found;
    const char *named = name_hint("enterprise", cy_network_named(L->net, id, 1, 0, &found), hint);
    return named ? named : cy_l_did_you_mean(cy_network_suggest_enterprise(L->net, id), hint);
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
        ERROR(L, at, "%s is %s, not a %s", cy_l_show(id, shown),
              owner_names[o->kind], cy_group_kind_name(kind));
        return -1;
    }
    if (kind != CY_GROUP_REGION || L->regions_declared) {
        char hint[SHOW_SIZE + 32];
        ERROR(L, at, "unknown %s %s%s", cy_group_kind_name(kind),
              cy_l_show(id, shown), suggest_group(L, id, kind, hint));
        return -1;
    }
    if (!cy_l_check_name_like(L, at, id, "region id"))
        return -1;
    g = append_group(L, CY_GROUP_REGION);
    if (g == NO_INDEX)
        return -1;
    /* Every id of the file was declared before references are resolved,
     * so this id is new and cy_l_register_id can only fail on OOM. */
    L->net->groups[CY_GROUP_REGION][g].implicit = 1;
    L->net->groups[CY_GROUP_REGION][g].id =
        cy_l_register_id(L, id, at, CY_I_OWNER_REGION, g, NO_INDEX);
    if (!L->net->groups[CY_GROUP_REGION][g].id)
        return -1;
    L->net->groups[CY_GROUP_REGION][g].name =
        cy_l_dup(L, L->net->groups[CY_GROUP_REGION][g].id);
    return (long)g;
}

static long get_group_ref(loader *L, json_t *obj, const char *path,
                          cy_group_kind kind)
{
    const char *id;
    char at[PATH_SIZE];
    if (cy_l_get_string(L, obj, cy_group_kind_name(kind), path, &id) <= 0)
        return -1;
    cy_l_path_key(at, path, cy_group_kind_name(kind));
    return resolve_group(L, at, id, kind);
}

/*
 * Read an optional array of part names (produces/requires) into part
 * indices, refusing duplicates.  Returns 1/0/-1 like cy_l_get_string.
 */
static int get_part_list(loader *L, json_t *obj, const char *key,
                         const char *path, size_t **out, size_t *count)
{
    json_t *v = cy_l_field(L, obj, key);
    char at[PATH_SIZE], item_at[PATH_SIZE];
    size_t size, index;
    json_t *item;
    int ok = 1;

    if (!v)
        return 0;
    cy_l_path_key(at, path, key);
    if (!json_is_array(v)) {
        ERROR(L, at, "expected an array of part names, got %s", cy_l_type_name(v));
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
        cy_l_path_index(item_at, at, index);
        if (!json_is_string(item)) {
            ERROR(L, item_at, "expected a part name (a string), got %s",
                  cy_l_type_name(item));
            ok = 0;
            continue;
        }
        name = json_string_value(item);
        if (strlen(name) != json_string_length(item)) {
            ERROR(L, item_at, "string contains a NUL character");
            ok = 0;
            continue;
        }
        if (!cy_l_check_name_like(L, item_at, name, "part name")) {
            ok = 0;
            continue;
        }
        part = cy_i_strtab_intern(&L->net->parts, name, strlen(name), NULL);
        if (part < 0) {
            L->oom = 1;
            return -1;
        }
        dup = cy_l_mark_seen(L, &L->part_mark, &L->part_mark_cap, (size_t)part);
        if (dup < 0)
            return -1;
        if (dup) {
            char shown[SHOW_SIZE];
            ERROR(L, item_at, "duplicate part %s in %s", cy_l_show(name, shown),
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
json_t *cy_l_get_record_array(loader *L, json_t *root, const char *key)
{
    json_t *v = cy_l_field(L, root, key);
    char at[PATH_SIZE];
    if (!v)
        return NULL; /* a missing required key is reported by cy_l_check_keys */
    if (!json_is_array(v)) {
        cy_l_path_key(at, "$", key);
        ERROR(L, at, "expected an array, got %s", cy_l_type_name(v));
        return NULL;
    }
    return v;
}

/*
 * The record's "meta" value, kept for the model.  A record parsed into the
 * record arena (streaming load) is released with the arena, so its meta is
 * deep-copied out of it, with the arena set aside for the copy.
 */
json_t *cy_l_keep_meta(loader *L, json_t *obj)
{
    json_t *meta = cy_l_field(L, obj, "meta"), *copy;
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
const char *cy_l_declare_id(loader *L, json_t *rec, const char *path,
                            cy_i_owner_kind kind, size_t index,
                            size_t json_index)
{
    const char *id;
    char at[PATH_SIZE];
    if (!json_is_object(rec) ||
        cy_l_get_name_like(L, rec, "id", path, "id", &id) <= 0)
        return NULL;
    cy_l_path_key(at, path, "id");
    return cy_l_register_id(L, id, at, kind, index, json_index);
}

/*
 * First pass over a group array: one group per record, so that group
 * indices are positions in the file, and its id registered.  Every id of
 * the file is declared before any reference is resolved, so a reference to
 * a record further down is found, and one to an id of the wrong kind is
 * reported as such (not as unknown, nor as a new implicit region).  A
 * wrongly typed array is reported by the second pass.
 */
void cy_l_declare_groups(loader *L, json_t *root, cy_group_kind kind,
                         const char *key)
{
    json_t *array = json_object_get(root, key), *rec;
    char path[PATH_SIZE], base[PATH_SIZE];
    size_t index;

    if (!json_is_array(array))
        return;
    cy_l_path_key(base, "$", key);
    json_array_foreach(array, index, rec) {
        size_t g;
        if (FULL(L))
            return;
        g = append_group(L, kind);
        if (g == NO_INDEX)
            return;
        cy_l_path_index(path, base, index);
        L->net->groups[kind][g].id =
            cy_l_declare_id(L, rec, path, (cy_i_owner_kind)kind, g, index);
    }
}

/*
 * Read the fields every group has (name, source, meta; the id was read by
 * cy_l_declare_groups) into group g of `kind`.  Returns 0 when the record is not
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
              cy_l_type_name(rec));
        return 0;
    }
    cy_l_check_keys(L, rec, path, keys, required);
    if (cy_l_get_string(L, rec, "name", path, &name) > 0 || (name = group->id))
        group->name = cy_l_dup(L, name);
    if (cy_l_get_string(L, rec, "source", path, &source) > 0)
        group->source = cy_l_intern_source(L, source);
    group->meta = cy_l_keep_meta(L, rec);
    return 1;
}

void cy_l_load_groups(loader *L, json_t *root, cy_group_kind kind,
                      const char *key, const char *const *keys)
{
    json_t *array = cy_l_get_record_array(L, root, key);
    char path[PATH_SIZE], base[PATH_SIZE];
    size_t index;
    json_t *rec;

    if (!array)
        return;
    cy_l_path_key(base, "$", key);
    json_array_foreach(array, index, rec) {
        size_t g = index; /* cy_l_declare_groups made group i from record i */
        cy_i_group *group;
        int got;
        if (FULL(L) || g >= L->net->group_count[kind])
            return;
        cy_l_path_index(path, base, index);
        if (!load_group_common(L, rec, path, kind, g, keys))
            continue;
        group = &L->net->groups[kind][g];
        if (kind == CY_GROUP_REGION)
            cy_l_get_boolean(L, rec, "inside", path, &group->inside);
        else
            group->region = get_group_ref(L, rec, path, CY_GROUP_REGION);
        if (kind == CY_GROUP_CLUSTER) {
            const char *sector;
            if (cy_l_get_string(L, rec, "sector", path, &sector) > 0)
                group->sector = cy_l_dup(L, sector);
        }
        if (kind == CY_GROUP_PARK) {
            cy_l_get_boolean(L, rec, "demonstration", path, &group->demonstration);
            got = cy_l_get_location(L, rec, path, &group->lon, &group->lat);
            group->has_location = (got > 0);
        }
    }
}

/*
 * Verify the check character of an 18-character unified social credit code
 * (GB 32100-2015): characters from a 31-symbol alphabet, weights 3^i mod 31,
 * check = (31 - sum mod 31) mod 31.  Returns NULL when valid, else a reason.
 */
const char *cy_l_uscc_problem(const char *code)
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

/* The kind named `s` into *kind; 0 when it names none. */
int cy_l_parse_kind(const char *s, cy_kind *kind)
{
    for (int k = 0; k < CY_KIND_COUNT; k++) {
        if (strcmp(s, cy_kind_name((cy_kind)k)) == 0) {
            *kind = (cy_kind)k;
            return 1;
        }
    }
    return 0;
}

/*
 * The amounts of an enterprise: output and final demand (yuan per year,
 * >= 0, their sums over the file kept finite), capacity (>= 0 here; it is
 * checked against the firm's output once the links are known), days of
 * inventory (>= 0) and of recovery (> 0).
 */
static void load_amounts(loader *L, json_t *rec, const char *path,
                         cy_i_enterprise *e)
{
    e->recovery_days = -1;
    if (cy_l_get_number(L, rec, "output_value", path, 0, 0, HUGE_VAL,
                        &e->output_value) > 0) {
        e->has_output_value = 1;
        cy_l_add_to_total(L, &L->output_total, e->output_value, path,
                          "output_value");
    }
    if (cy_l_get_number(L, rec, "final_demand", path, 0, 0, HUGE_VAL,
                        &e->final_demand_given) > 0) {
        e->has_final_demand = 1;
        cy_l_add_to_total(L, &L->final_demand_total, e->final_demand_given,
                          path, "final_demand");
    }
    if (cy_l_get_number(L, rec, "capacity", path, 0, 0, HUGE_VAL,
                        &e->capacity_given) > 0) {
        e->has_capacity = 1;
        cy_l_add_to_total(L, &L->capacity_total, e->capacity_given, path,
                          "capacity");
    }
    e->has_inventory_days = cy_l_get_number(L, rec, "inventory_days", path, 0,
                                            0, HUGE_VAL, &e->inventory_days) > 0;
    cy_l_get_number(L, rec, "recovery_days", path, 0, 1, HUGE_VAL,
                    &e->recovery_days);
}

void cy_l_load_enterprise(loader *L, json_t *rec, const char *path,
                          size_t i)
{
    static const char *const required[] = {"id", "kind", NULL};
    cy_i_enterprise *e = &L->net->enterprises[i];
    const char *s = NULL;
    char at[PATH_SIZE], shown[SHOW_SIZE];
    json_t *v;

    if (!json_is_object(rec)) {
        ERROR(L, path, "expected an enterprise object, got %s", cy_l_type_name(rec));
        return;
    }
    cy_l_check_keys(L, rec, path, cy_l_enterprise_keys, required);
    /* The id was read and registered by the first pass (cy_l_load_document). */
    if (cy_l_get_string(L, rec, "name", path, &s) > 0 || (s = e->id))
        e->name = cy_l_dup(L, s);
    if (cy_l_get_string(L, rec, "name_zh", path, &s) > 0)
        e->name_zh = cy_l_dup(L, s);
    if (cy_l_get_string(L, rec, "uscc", path, &s) > 0) {
        const char *problem = cy_l_uscc_problem(s);
        cy_l_path_key(at, path, "uscc");
        if (problem)
            ERROR(L, at, "unified social credit code %s %s", cy_l_show(s, shown),
                  problem);
        else
            e->uscc = cy_l_dup(L, s);
    }
    if (cy_l_get_string(L, rec, "kind", path, &s) > 0 && !cy_l_parse_kind(s, &e->kind)) {
        cy_l_path_key(at, path, "kind");
        ERROR(L, at, "unknown kind %s (expected \"oem\", \"supplier\", "
                     "\"material\" or \"service\")", cy_l_show(s, shown));
    }
    if ((v = cy_l_field(L, rec, "tier"))) {
        cy_l_path_key(at, path, "tier");
        if (json_is_real(v)) {
            /* the value, as the range message shows it (1.5, 1e30) */
            char number[40];
            cy_i_real_spell(number, json_real_value(v));
            ERROR(L, at, "tier must be an integer, got %s", number);
        } else if (!json_is_integer(v)) {
            ERROR(L, at, "tier must be an integer, got %s", cy_l_type_name(v));
        } else if (json_integer_value(v) < 0 || json_integer_value(v) > CY_TIER_MAX) {
            ERROR(L, at, "tier must be in [0, %d], got %" JSON_INTEGER_FORMAT,
                  CY_TIER_MAX, json_integer_value(v));
        } else {
            e->tier = (int)json_integer_value(v);
        }
    }
    e->region = get_group_ref(L, rec, path, CY_GROUP_REGION);
    e->park = get_group_ref(L, rec, path, CY_GROUP_PARK);
    if ((v = cy_l_field(L, rec, "clusters"))) {
        cy_l_path_key(at, path, "clusters");
        if (!json_is_array(v)) {
            ERROR(L, at, "expected an array of cluster ids, got %s",
                  cy_l_type_name(v));
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
                cy_l_path_index(item_at, at, k);
                if (!json_is_string(item)) {
                    ERROR(L, item_at, "expected a cluster id, got %s",
                          cy_l_type_name(item));
                    continue;
                }
                c = resolve_group(L, item_at, json_string_value(item),
                                  CY_GROUP_CLUSTER);
                if (c < 0)
                    continue;
                dup = cy_l_mark_seen(L, &L->cluster_mark, &L->cluster_mark_cap,
                                (size_t)c);
                if (dup < 0)
                    return;
                if (dup)
                    ERROR(L, item_at, "duplicate cluster %s",
                          cy_l_show(json_string_value(item), shown));
                else
                    e->clusters[e->cluster_count++] = (size_t)c;
            }
        }
    }
    load_amounts(L, rec, path, e);
    get_part_list(L, rec, "produces", path, &e->produces, &e->produces_count);
    if (get_part_list(L, rec, "requires", path, &e->requires,
                      &e->requires_count) != 0)
        e->requires_explicit = 1;
    e->has_location = cy_l_get_location(L, rec, path, &e->lon, &e->lat) > 0;
    if (cy_l_get_string(L, rec, "source", path, &s) > 0)
        e->source = cy_l_intern_source(L, s);
    e->meta = cy_l_keep_meta(L, rec);
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
    if (cy_l_get_string(L, rec, key, path, &id) <= 0)
        return NO_INDEX;
    length = strlen(id);
    /* A copy, not a pointer into the id table: comparing with the
     * table's string was itself a cache miss per link.  Never for an empty
     * id: the copy starts empty (length 0) before any id is kept, and an
     * empty id is never kept, so "" would have matched it and named
     * enterprise 0 (or, without enterprises, none: a crash). */
    if (length > 0 && length == L->last_ref_length[which] &&
        memcmp(id, L->last_ref[which], length) == 0)
        return L->last_ref_index[which];
    cy_l_path_key(at, path, key);
    k = L->parsed && L->parsed->ref[which] == id
            ? cy_i_strtab_find_tagged(&L->net->ids, id, length, L->parsed->tag[which])
            : cy_i_strtab_find(&L->net->ids, id, length);
    if (k < 0) {
        char hint[SHOW_SIZE + 32];
        ERROR(L, at, "unknown enterprise %s%s", cy_l_show(id, shown),
              suggest_enterprise(L, id, hint));
        return NO_INDEX;
    }
    if (L->net->owners[k].kind != CY_I_OWNER_ENTERPRISE) {
        ERROR(L, at, "%s is a %s, not an enterprise", cy_l_show(id, shown),
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

void cy_l_load_link(loader *L, json_t *rec, const char *path, size_t j)
{
    static const char *const required[] = {"from", "to", "part", NULL};
    cy_i_link *l = &L->net->links[j];
    const char *part = NULL, *source;
    char at[PATH_SIZE];

    l->from = l->to = l->part = NO_INDEX;
    l->share = -1;
    if (!json_is_object(rec)) {
        ERROR(L, path, "expected a link object, got %s", cy_l_type_name(rec));
        return;
    }
    cy_l_check_keys(L, rec, path, cy_l_link_keys, required);
    l->from = get_enterprise_ref(L, rec, path, "from");
    l->to = get_enterprise_ref(L, rec, path, "to");
    if (l->from != NO_INDEX && l->from == l->to) {
        char shown[SHOW_SIZE];
        cy_l_path_key(at, path, "to");
        ERROR(L, at, "link from %s to itself",
              cy_l_show(L->net->enterprises[l->from].id, shown));
        l->to = NO_INDEX;
    }
    if (cy_l_get_name_like(L, rec, "part", path, "part name", &part) > 0) {
        long k = cy_i_strtab_intern(&L->net->parts, part, strlen(part), NULL);
        if (k < 0)
            L->oom = 1;
        else
            l->part = (size_t)k;
    }
    if (cy_l_get_number(L, rec, "volume", path, 0, 0, HUGE_VAL, &l->volume) > 0) {
        l->has_volume = 1;
        cy_l_add_to_total(L, &L->volume_total, l->volume, path, "volume");
    }
    cy_l_get_number(L, rec, "share", path, 0, 1, 1, &l->share);
    if (cy_l_get_string(L, rec, "source", path, &source) > 0)
        l->source = cy_l_intern_source(L, source);
    l->meta = cy_l_keep_meta(L, rec);
}
