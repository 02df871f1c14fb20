/*
 * scenario_mitigate.c - a scenario's mitigations applied to a copy of the
 * network's JSON document (add an enterprise or a link, remove a link,
 * change a link's share or volume, an enterprise's capacity, inventory,
 * recovery, output or final demand, move an enterprise to another park),
 * then the copy loaded by the loader, so that a mitigation can never make
 * an invalid network: the loader's every rule runs on the result, and its
 * diagnostics are reported at the scenario's path.
 */
#include "scenario_internal.h"

#include <string.h>

/* Which mitigation added or last changed each record of the copy, to
 * report the loader's diagnostics about a record at that mitigation.
 * Records are known by their Jansson value, which stays the same while
 * a removed link shifts the indexes of those after it. */
typedef struct {
    json_t **record;  /* the records touched, in order */
    size_t *owner;    /* the mitigation that touched record[k] */
    size_t count;     /* at most one per mitigation */
    size_t current;   /* the mitigation being applied */
} owners;

/* Note that the mitigation being applied added or changed `rec`. */
static void touch(owners *o, json_t *rec)
{
    if (!rec)
        return;
    o->record[o->count] = rec;
    o->owner[o->count++] = o->current;
}

static json_t *doc_array(json_t *doc, const char *key)
{
    json_t *a = json_object_get(doc, key);
    if (!json_is_array(a)) {
        a = json_array();
        json_object_set_new(doc, key, a);
    }
    return a;
}

/* The index of the record of `array` whose "id" (or from/to/part) is
 * given; -1 when none. */
static long find_enterprise(json_t *enterprises, const char *id)
{
    size_t k;
    json_t *e;
    json_array_foreach(enterprises, k, e) {
        const char *v = json_string_value(json_object_get(e, "id"));
        if (v && strcmp(v, id) == 0)
            return (long)k;
    }
    return -1;
}

static long find_link(json_t *links, const char *from, const char *to, const char *part)
{
    size_t k;
    json_t *l;
    json_array_foreach(links, k, l) {
        const char *f = json_string_value(json_object_get(l, "from"));
        const char *t = json_string_value(json_object_get(l, "to"));
        const char *p = json_string_value(json_object_get(l, "part"));
        if (f && t && p && !strcmp(f, from) && !strcmp(t, to) && !strcmp(p, part))
            return (long)k;
    }
    return -1;
}

/* "unknown enterprise" with the nearest id of the base network. */
static void unknown_enterprise(cy_sc_ctx *ctx, const char *at, const char *id)
{
    const char *near = cy_network_nearest_id(ctx->base, id, 1, 0);
    if (near)
        cy_sc_error(ctx, at, "unknown enterprise \"%s\" (did you mean \"%s\"?)", id, near);
    else
        cy_sc_error(ctx, at, "unknown enterprise \"%s\"", id);
}

static const char *string_field(cy_sc_ctx *ctx, json_t *m, const char *path, const char *key)
{
    json_t *v = cy_sc_get(ctx, m, path, key, JSON_STRING, 1);
    return v ? json_string_value(v) : NULL;
}

/* Copy the numeric fields `keys` present in m into rec (at least one). */
static void set_numbers(cy_sc_ctx *ctx, json_t *m, const char *path, json_t *rec,
                        const char *const *keys)
{
    size_t given = 0;
    for (size_t k = 0; keys[k]; k++) {
        json_t *v = cy_sc_get(ctx, m, path, keys[k], JSON_REAL, 0);
        if (v && rec)
            json_object_set(rec, keys[k], v);
        given += v != NULL;
    }
    if (!given && !json_object_get(m, keys[0]))
        cy_sc_error(ctx, path, "nothing to change: give one of \"%s\"%s", keys[0],
                    keys[1] ? " and the like (docs/scenarios.md)" : "");
}

static void remove_or_set_link(cy_sc_ctx *ctx, json_t *doc, json_t *m, const char *path,
                               int remove, owners *o)
{
    static const char *const numbers[] = {"share", "volume", NULL};
    const char *from = string_field(ctx, m, path, "from");
    const char *to = string_field(ctx, m, path, "to");
    const char *part = string_field(ctx, m, path, "part");
    json_t *links = doc_array(doc, "links");
    long k;
    size_t index;

    if (!from || !to || !part)
        return;
    if ((k = find_link(links, from, to, part)) < 0) {
        char at[CY_SC_PATH];
        const char *bad = !cy_network_find_enterprise(ctx->base, from, &index) ? "from"
                          : !cy_network_find_enterprise(ctx->base, to, &index) ? "to" : NULL;
        snprintf(at, sizeof at, "%s.%s", path, bad ? bad : "part");
        if (bad)
            unknown_enterprise(ctx, at, json_string_value(json_object_get(m, bad)));
        else
            cy_sc_error(ctx, at, "no link from \"%s\" to \"%s\" for part \"%s\"", from, to,
                        part);
        return;
    }
    if (remove) {
        json_array_remove(links, (size_t)k);
    } else {
        set_numbers(ctx, m, path, json_array_get(links, (size_t)k), numbers);
        touch(o, json_array_get(links, (size_t)k));
    }
}

static void set_enterprise(cy_sc_ctx *ctx, json_t *doc, json_t *m, const char *path,
                           owners *o)
{
    static const char *const numbers[] = {"capacity", "inventory_days", "recovery_days",
                                           "output_value", "final_demand", NULL};
    const char *id = string_field(ctx, m, path, "id");
    json_t *enterprises = doc_array(doc, "enterprises");
    long k;
    char at[CY_SC_PATH];

    if (!id)
        return;
    snprintf(at, sizeof at, "%s.id", path);
    if ((k = find_enterprise(enterprises, id)) < 0) {
        unknown_enterprise(ctx, at, id);
        return;
    }
    set_numbers(ctx, m, path, json_array_get(enterprises, (size_t)k), numbers);
    touch(o, json_array_get(enterprises, (size_t)k));
}

static void move_enterprise(cy_sc_ctx *ctx, json_t *doc, json_t *m, const char *path,
                            owners *o)
{
    const char *id = string_field(ctx, m, path, "id");
    const char *park = string_field(ctx, m, path, "park");
    json_t *enterprises = doc_array(doc, "enterprises");
    char at[CY_SC_PATH];
    size_t g;
    long k;

    if (!id || !park)
        return;
    snprintf(at, sizeof at, "%s.id", path);
    if ((k = find_enterprise(enterprises, id)) < 0) {
        unknown_enterprise(ctx, at, id);
        return;
    }
    if (!cy_network_find_group(ctx->base, CY_GROUP_PARK, park, &g)) {
        const char *near = cy_network_nearest_id(ctx->base, park, 0, 1u << CY_GROUP_PARK);
        snprintf(at, sizeof at, "%s.park", path);
        if (near)
            cy_sc_error(ctx, at, "unknown park \"%s\" (did you mean \"%s\"?)", park, near);
        else
            cy_sc_error(ctx, at, "unknown park \"%s\"", park);
        return;
    }
    json_object_set_new(json_array_get(enterprises, (size_t)k), "park", json_string(park));
    touch(o, json_array_get(enterprises, (size_t)k));
}

/* Append the record m[key] to the document's `array`, noting its owner. */
static void add_record(cy_sc_ctx *ctx, json_t *doc, json_t *m, const char *path,
                       const char *key, const char *array, owners *o)
{
    json_t *rec = cy_sc_get(ctx, m, path, key, JSON_OBJECT, 1);
    if (!rec)
        return;
    json_array_append(doc_array(doc, array), rec);
    touch(o, rec);
}

static const char *const actions[] = {"add_enterprise", "add_link", "remove_link",
                                      "set_link", "set_enterprise", "move_enterprise",
                                      NULL};

/* The keys each action takes, in the order of `actions`. */
static const char *const *action_keys(size_t a)
{
    static const char *const add_enterprise[] = {"action", "enterprise", "note", NULL};
    static const char *const add_link[] = {"action", "link", "note", NULL};
    static const char *const link_key[] = {"action", "from", "to", "part", "note", NULL};
    static const char *const set_link[] = {"action", "from", "to", "part", "share",
                                           "volume", "note", NULL};
    static const char *const set_ent[] = {"action", "id", "capacity", "inventory_days",
                                          "recovery_days", "output_value", "final_demand",
                                          "note", NULL};
    static const char *const move[] = {"action", "id", "park", "note", NULL};
    static const char *const *const table[] = {add_enterprise, add_link, link_key,
                                               set_link, set_ent, move};
    return table[a];
}

static void apply(cy_sc_ctx *ctx, json_t *doc, json_t *m, const char *path, size_t index,
                  owners *o)
{
    json_t *action;
    size_t a = 0;

    o->current = index;
    if (!json_is_object(m)) {
        cy_sc_error(ctx, path, "a mitigation must be an object");
        return;
    }
    if (!(action = cy_sc_get(ctx, m, path, "action", JSON_STRING, 1)))
        return;
    while (actions[a] && strcmp(actions[a], json_string_value(action)) != 0)
        a++;
    if (!actions[a]) {
        char at[CY_SC_PATH];
        cy_suggester s;
        snprintf(at, sizeof at, "%s.action", path);
        cy_suggester_init(&s, json_string_value(action), CY_SUGGEST_DISTANCE);
        for (size_t q = 0; actions[q]; q++)
            cy_suggester_offer(&s, actions[q]);
        cy_sc_error(ctx, at, "unknown action \"%s\"%s%s%s", json_string_value(action),
                    cy_suggester_best(&s) ? " (did you mean \"" : "",
                    cy_suggester_best(&s) ? cy_suggester_best(&s) : "",
                    cy_suggester_best(&s) ? "\"?)" : "");
        return;
    }
    cy_sc_check_keys(ctx, m, path, action_keys(a));
    cy_sc_get(ctx, m, path, "note", JSON_STRING, 0);
    switch (a) {
    case 0:
        add_record(ctx, doc, m, path, "enterprise", "enterprises", o);
        break;
    case 1:
        add_record(ctx, doc, m, path, "link", "links", o);
        break;
    case 2:
    case 3:
        remove_or_set_link(ctx, doc, m, path, a == 2, o);
        break;
    case 4:
        set_enterprise(ctx, doc, m, path, o);
        break;
    default:
        move_enterprise(ctx, doc, m, path, o);
        break;
    }
}

/*
 * The scenario-file path of a loader diagnostic at `where` in the
 * mitigated document `doc`: the mitigation that added or last changed the
 * record it is about, else (a record no mitigation touched: a firm a
 * removed link left without a supplier, say) the scenario's mitigations
 * as a whole.
 */
static void owner_path(const owners *o, json_t *doc, const char *where, const char *path,
                       char out[CY_SC_PATH])
{
    json_t *rec = NULL;
    size_t index;
    snprintf(out, CY_SC_PATH, "%s.mitigations", path);
    if (!where)
        return;
    if (sscanf(where, "$.links[%zu]", &index) == 1)
        rec = json_array_get(json_object_get(doc, "links"), index);
    else if (sscanf(where, "$.enterprises[%zu]", &index) == 1)
        rec = json_array_get(json_object_get(doc, "enterprises"), index);
    for (size_t k = o->count; rec && k-- > 0;)
        if (o->record[k] == rec) {
            snprintf(out, CY_SC_PATH, "%s.mitigations[%zu]", path, o->owner[k]);
            return;
        }
}

/* Load the mitigated document; its errors reported at the scenario. */
static cy_network *load_mitigated(cy_sc_ctx *ctx, json_t *doc, const owners *o,
                                  const char *path)
{
    char *text = json_dumps(doc, JSON_COMPACT);
    cy_network *net = NULL;
    cy_error sub;
    cy_status status;

    if (!text) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        return NULL;
    }
    cy_error_init(&sub);
    status = cy_network_load_buffer(text, strlen(text), NULL, &net, &sub);
    cy_free(text);
    if (status == CY_ENOMEM || sub.oom) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
    } else if (status != CY_OK) {
        for (size_t k = 0; k < sub.count; k++) {
            char at[CY_SC_PATH];
            if (sub.items[k].severity != CY_SEV_ERROR)
                continue;
            owner_path(o, doc, sub.items[k].path, path, at);
            cy_sc_error(ctx, at, "the network after the mitigations: %s%s%s",
                        sub.items[k].path ? sub.items[k].path : "",
                        sub.items[k].path ? ": " : "", sub.items[k].message);
        }
        if (!ctx->failed)
            cy_sc_error(ctx, path, "the network after the mitigations does not load");
    }
    cy_error_destroy(&sub);
    return status == CY_OK ? net : NULL;
}

/*
 * The base network's document, read again from its file: a chengyu/1 JSON
 * file, or a workbook or CSV folder imported again (a stream was kept in
 * a memory file by the caller, so it too can be read twice).  0 after
 * reporting.
 */
static int read_network(cy_sc_ctx *ctx, const char *path)
{
    json_error_t jerr;
    cy_import_places *places = NULL;
    cy_error quiet;
    cy_status status;

    if (!cy_import_is_spreadsheet(ctx->network_path)) {
        ctx->network_doc = json_load_file(ctx->network_path, JSON_REJECT_DUPLICATES, &jerr);
        if (!ctx->network_doc)
            cy_sc_error(ctx, path, "cannot read the network \"%s\" again to apply the "
                                   "mitigations: %s", ctx->network_path, jerr.text);
        return ctx->network_doc != NULL;
    }
    /* It imported once already, so only memory can fail it here; its own
     * diagnostics (warnings) were shown by that first import. */
    cy_error_init(&quiet);
    status = cy_import_document(ctx->network_path, ctx->import, &ctx->network_doc, &places,
                                &quiet);
    cy_import_places_free(places);
    cy_error_destroy(&quiet);
    if (status != CY_OK) {
        cy_sc_error(ctx, path, "cannot read the network \"%s\" again to apply the "
                               "mitigations: %s", ctx->network_path, cy_status_string(status));
        ctx->oom |= status == CY_ENOMEM;
    }
    return status == CY_OK;
}

cy_network *cy_sc_mitigate(cy_sc_ctx *ctx, json_t *mitigations, const char *path)
{
    owners o;
    json_t *doc = NULL, *m;
    cy_network *net = NULL;
    size_t count = json_array_size(mitigations), k, errors = ctx->err->error_count;

    memset(&o, 0, sizeof o);
    if (!ctx->network_doc && !read_network(ctx, path))
        return NULL;
    doc = json_deep_copy(ctx->network_doc);
    o.record = cy_malloc((count + 1) * sizeof *o.record);
    o.owner = cy_malloc((count + 1) * sizeof *o.owner);
    if (!doc || !o.record || !o.owner) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        goto cleanup;
    }
    json_array_foreach(mitigations, k, m) {
        char at[CY_SC_PATH / 2]; /* room for the keys appended below it */
        snprintf(at, sizeof at, "%s.mitigations[%zu]", path, k);
        apply(ctx, doc, m, at, k, &o);
    }
    if (ctx->err->error_count == errors)
        net = load_mitigated(ctx, doc, &o, path);
cleanup:
    json_decref(doc);
    cy_free(o.record);
    cy_free(o.owner);
    return net;
}
