/*
 * scenario.c - chengyu-scenarios/1 files (docs/scenarios.md): named
 * scenarios, each a combined shock and a list of mitigations, checked key
 * by key with JSON paths, ids resolved against the network the scenario
 * runs on (the mitigated copy, so a shock may hit a firm a mitigation
 * added), with the nearest id for an unknown one.  The mitigations
 * themselves are applied in scenario_mitigate.c.
 */
#include "scenario_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FORMAT_NAME "chengyu-scenarios/1"

/* The longest shock a scenario may give: the limit of `chengyu stress
 * --days` (beyond it the stress figures overflow). */
#define MAX_DAYS 1e9

void cy_scenarios_destroy(cy_scenarios *s)
{
    if (!s)
        return;
    for (size_t k = 0; k < s->count; k++) {
        cy_scenario *sc = &s->items[k];
        cy_free(sc->name);
        cy_free(sc->description);
        cy_free(sc->path);
        cy_free(sc->place);
        cy_network_free(sc->net);
        cy_free(sc->fail);
        cy_free(sc->degrade);
        cy_free(sc->base_fail);
        cy_free(sc->base_degrade);
    }
    cy_free(s->items);
    cy_free(s->description);
    memset(s, 0, sizeof *s);
}

char *cy_sc_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = cy_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

void cy_sc_error(cy_sc_ctx *ctx, const char *path, const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    cy_error_add(ctx->err, CY_SEV_ERROR, path, "%s", message);
    ctx->failed = 1;
}

/* Report every key of `obj` not in `allowed` (NULL-terminated), with the
 * nearest allowed one. */
void cy_sc_check_keys(cy_sc_ctx *ctx, json_t *obj, const char *path,
                      const char *const *allowed)
{
    const char *key;
    json_t *value;

    json_object_foreach(obj, key, value) {
        cy_suggester s;
        int known = 0;
        char at[CY_SC_PATH];
        cy_suggester_init(&s, key, CY_SUGGEST_DISTANCE);
        for (size_t k = 0; allowed[k]; k++) {
            known |= strcmp(key, allowed[k]) == 0;
            cy_suggester_offer(&s, allowed[k]);
        }
        if (known)
            continue;
        snprintf(at, sizeof at, "%s.%s", path, key);
        if (cy_suggester_best(&s))
            cy_sc_error(ctx, at, "unknown key \"%s\" (did you mean \"%s\"?)", key,
                        cy_suggester_best(&s));
        else
            cy_sc_error(ctx, at, "unknown key \"%s\"", key);
        (void)value;
    }
}

/* obj[key] when it has type `want` (JSON_REAL: any number); NULL, after
 * reporting, when it has another; NULL silently when absent unless
 * `required`. */
json_t *cy_sc_get(cy_sc_ctx *ctx, json_t *obj, const char *path, const char *key,
                  json_type want, int required)
{
    json_t *v = json_object_get(obj, key);
    char at[CY_SC_PATH];
    int ok;

    snprintf(at, sizeof at, "%s.%s", path, key);
    if (!v) {
        if (required)
            cy_sc_error(ctx, path, "missing key \"%s\"", key);
        return NULL;
    }
    ok = want == JSON_REAL ? json_is_number(v) : json_typeof(v) == want;
    if (!ok) {
        cy_sc_error(ctx, at, "\"%s\" must be %s, got %s", key,
                    want == JSON_REAL ? "a number" : want == JSON_STRING ? "a string"
                    : want == JSON_ARRAY ? "an array" : "an object",
                    cy_l_type_name(v));
        return NULL;
    }
    return v;
}

/* A number of obj in [lo, hi] (hi = INFINITY: no upper bound); `fallback`
 * when absent or wrong (reported). */
double cy_sc_number(cy_sc_ctx *ctx, json_t *obj, const char *path, const char *key,
                    double lo, double hi, double fallback)
{
    json_t *v = cy_sc_get(ctx, obj, path, key, JSON_REAL, 0);
    char at[CY_SC_PATH];
    double x;

    if (!v)
        return fallback;
    x = json_number_value(v);
    if (x >= lo && x <= hi)
        return x;
    snprintf(at, sizeof at, "%s.%s", path, key);
    if (isinf(hi))
        cy_sc_error(ctx, at, "\"%s\" must be %g or more, got %g", key, lo, x);
    else
        cy_sc_error(ctx, at, "\"%s\" must be in [%g, %g], got %g", key, lo, hi, x);
    return fallback;
}

/* ---- shocks ------------------------------------------------------------- */

static int lists_push_fail(cy_scenario *sc, size_t *capacity, size_t v)
{
    if (sc->fail_count == *capacity) {
        size_t grown = *capacity ? 2 * *capacity : 8;
        size_t *items = cy_realloc(sc->fail, grown * sizeof *items);
        if (!items)
            return 0;
        sc->fail = items;
        *capacity = grown;
    }
    sc->fail[sc->fail_count++] = v;
    return 1;
}

static int lists_push_degrade(cy_scenario *sc, size_t *capacity, size_t v, double x)
{
    if (sc->degrade_count == *capacity) {
        size_t grown = *capacity ? 2 * *capacity : 8;
        cy_degrade *items = cy_realloc(sc->degrade, grown * sizeof *items);
        if (!items)
            return 0;
        sc->degrade = items;
        *capacity = grown;
    }
    sc->degrade[sc->degrade_count].enterprise = v;
    sc->degrade[sc->degrade_count++].capacity_left = x;
    return 1;
}

typedef struct {
    size_t fail_capacity, degrade_capacity;
} shock_capacity;

/* Add firm v at capacity x to the scenario's shock; 0 on OOM. */
static int shock_add(cy_sc_ctx *ctx, cy_scenario *sc, shock_capacity *cap, size_t v,
                     double x)
{
    int ok = x <= 0.0 ? lists_push_fail(sc, &cap->fail_capacity, v)
                      : lists_push_degrade(sc, &cap->degrade_capacity, v, x);
    if (!ok) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = 1;
        ctx->oom = 1;
    }
    return ok;
}

/* The ids of one list of a shock ("firms", "parks" or "regions"). */
static void shock_targets(cy_sc_ctx *ctx, const cy_network *net, json_t *shock,
                          const char *path, const char *key, int kind, double x,
                          cy_scenario *sc, shock_capacity *cap)
{
    json_t *list = cy_sc_get(ctx, shock, path, key, JSON_ARRAY, 0), *item;
    size_t k;

    json_array_foreach(list, k, item) {
        char at[CY_SC_PATH];
        const char *id = json_string_value(item);
        size_t index, *members = NULL, count = 0;
        snprintf(at, sizeof at, "%s.%s[%zu]", path, key, k);
        if (!id) {
            cy_sc_error(ctx, at, "an id must be a string, got %s", cy_l_type_name(item));
            continue;
        }
        if (kind < 0 ? cy_network_find_enterprise(net, id, &index)
                     : cy_network_find_group(net, (cy_group_kind)kind, id, &index)) {
            if (kind < 0) {
                shock_add(ctx, sc, cap, index, x);
                continue;
            }
            if (cy_stress_group_members(net, kind, index, &members, &count, ctx->err) != CY_OK) {
                ctx->failed = ctx->oom = 1;
                return;
            }
            for (size_t q = 0; q < count && !ctx->oom; q++)
                shock_add(ctx, sc, cap, members[q], x);
            cy_free(members);
            continue;
        }
        {
            const char *near = cy_network_nearest_id(net, id, kind < 0,
                                                     kind < 0 ? 0u : 1u << kind);
            const char *what = kind < 0 ? "enterprise" : cy_group_kind_name((cy_group_kind)kind);
            if (near)
                cy_sc_error(ctx, at, "unknown %s \"%s\" (did you mean \"%s\"?)", what, id, near);
            else
                cy_sc_error(ctx, at, "unknown %s \"%s\"", what, id);
        }
    }
}

static void parse_shock(cy_sc_ctx *ctx, const cy_network *net, json_t *shock,
                        const char *path, cy_scenario *sc, shock_capacity *cap)
{
    static const char *const keys[] = {"firms", "parks", "regions", "capacity_left",
                                       "days", "note", NULL};
    double x, days;
    size_t targets = 0;

    if (!json_is_object(shock)) {
        cy_sc_error(ctx, path, "a shock must be an object, got %s", cy_l_type_name(shock));
        return;
    }
    cy_sc_check_keys(ctx, shock, path, keys);
    cy_sc_get(ctx, shock, path, "note", JSON_STRING, 0);
    x = cy_sc_number(ctx, shock, path, "capacity_left", 0.0, 1.0, 0.0);
    days = cy_sc_number(ctx, shock, path, "days", 0.0, MAX_DAYS, NAN);
    if (!isnan(days) && (isnan(sc->days) || days > sc->days))
        sc->days = days;
    sc->partial |= x > 0.0 && x < 1.0;
    shock_targets(ctx, net, shock, path, "firms", -1, x, sc, cap);
    shock_targets(ctx, net, shock, path, "parks", CY_GROUP_PARK, x, sc, cap);
    shock_targets(ctx, net, shock, path, "regions", CY_GROUP_REGION, x, sc, cap);
    for (int q = 0; q < 3; q++) {
        json_t *list = json_object_get(shock, q == 0 ? "firms" : q == 1 ? "parks" : "regions");
        targets += json_is_array(list) ? json_array_size(list) : 0;
    }
    if (!targets)
        cy_sc_error(ctx, path, "a shock needs at least one id in \"firms\", \"parks\" "
                               "or \"regions\"");
}

/* ---- one scenario ------------------------------------------------------- */

/*
 * The shocks of a scenario with mitigations resolved once more, on the
 * network as given (cy_scenario.base_fail, base_degrade), for the run
 * without the mitigations: a park's or region's members are its members
 * there, and ids the network as given lacks (firms the mitigations add)
 * are left out quietly; every problem of the shocks was reported by their
 * resolution on the scenario's network.
 */
static void parse_base_shocks(cy_sc_ctx *ctx, json_t *shocks, const char *path,
                              cy_scenario *sc)
{
    cy_sc_ctx quiet = *ctx;
    cy_scenario plain;
    shock_capacity cap = {0, 0};
    cy_error scratch;
    json_t *shock;
    size_t k;

    memset(&plain, 0, sizeof plain);
    plain.days = NAN;
    cy_error_init(&scratch);
    quiet.err = &scratch;
    json_array_foreach(shocks, k, shock) {
        char at[CY_SC_PATH / 2];
        snprintf(at, sizeof at, "%s.shocks[%zu]", path, k);
        parse_shock(&quiet, ctx->base, shock, at, &plain, &cap);
        if (quiet.oom)
            break;
    }
    cy_error_destroy(&scratch);
    if (quiet.oom) {
        cy_free(plain.fail);
        cy_free(plain.degrade);
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        return;
    }
    sc->base_fail = plain.fail;
    sc->base_fail_count = plain.fail_count;
    sc->base_degrade = plain.degrade;
    sc->base_degrade_count = plain.degrade_count;
}

static void parse_scenario(cy_sc_ctx *ctx, json_t *obj, size_t index, cy_scenario *sc)
{
    static const char *const keys[] = {"name", "description", "shocks", "mitigations",
                                       NULL};
    char path[64];
    json_t *name, *description, *shocks, *mitigations, *shock;
    shock_capacity cap = {0, 0};
    const cy_network *net;
    size_t k;

    snprintf(path, sizeof path, "$.scenarios[%zu]", index);
    sc->days = NAN;
    if (!(sc->path = cy_sc_strdup(path)))
        goto oom;
    if (!json_is_object(obj)) {
        cy_sc_error(ctx, path, "a scenario must be an object, got %s", cy_l_type_name(obj));
        return;
    }
    cy_sc_check_keys(ctx, obj, path, keys);
    name = cy_sc_get(ctx, obj, path, "name", JSON_STRING, 1);
    description = cy_sc_get(ctx, obj, path, "description", JSON_STRING, 0);
    shocks = cy_sc_get(ctx, obj, path, "shocks", JSON_ARRAY, 0);
    mitigations = cy_sc_get(ctx, obj, path, "mitigations", JSON_ARRAY, 0);
    if (name && json_string_length(name) == 0) {
        char at[CY_SC_PATH];
        snprintf(at, sizeof at, "%s.name", path);
        cy_sc_error(ctx, at, "a scenario's name must not be empty");
    }
    if ((name && !(sc->name = cy_sc_strdup(json_string_value(name)))) ||
        (description && !(sc->description = cy_sc_strdup(json_string_value(description)))))
        goto oom;
    if (mitigations && json_array_size(mitigations)) {
        sc->mitigation_count = json_array_size(mitigations);
        sc->net = cy_sc_mitigate(ctx, mitigations, path);
        if (ctx->oom)
            return;
    }
    if (sc->mitigation_count && !sc->net)
        return; /* its errors are reported; the shock cannot be resolved */
    net = sc->net ? sc->net : ctx->base;
    json_array_foreach(shocks, k, shock) {
        char at[CY_SC_PATH / 2]; /* room for the keys appended below it */
        snprintf(at, sizeof at, "%s.shocks[%zu]", path, k);
        parse_shock(ctx, net, shock, at, sc, &cap);
        if (ctx->oom)
            return;
    }
    if (sc->net && shocks)
        parse_base_shocks(ctx, shocks, path, sc);
    return;
oom:
    cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
    ctx->failed = ctx->oom = 1;
}

/* Two scenarios with one name would be two columns nobody can tell apart. */
/* Duplicate names, found through a Jansson object used as a hash map
 * (name -> index of its first scenario): linear in the scenarios. */
static void check_names(cy_sc_ctx *ctx, const cy_scenarios *out)
{
    json_t *seen = json_object(), *first;
    if (!seen) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        return;
    }
    for (size_t a = 0; a < out->count; a++) {
        const char *name = out->items[a].name;
        char at[CY_SC_PATH];
        if (!name)
            continue;
        if (!(first = json_object_get(seen, name))) {
            if (json_object_set_new(seen, name, json_integer((json_int_t)a)) != 0) {
                cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
                ctx->failed = ctx->oom = 1;
                break;
            }
            continue;
        }
        snprintf(at, sizeof at, "%s.name", out->items[a].path);
        cy_sc_error(ctx, at, "duplicate scenario name \"%s\" (first at %s)", name,
                    out->items[json_integer_value(first)].path);
    }
    json_decref(seen);
}

static void parse_document(cy_sc_ctx *ctx, json_t *root, cy_scenarios *out)
{
    static const char *const keys[] = {"format", "description", "scenarios", NULL};
    json_t *format, *description, *list, *item;
    size_t k;

    if (!json_is_object(root)) {
        cy_sc_error(ctx, "$", "a scenario file must be an object, got %s", cy_l_type_name(root));
        return;
    }
    cy_sc_check_keys(ctx, root, "$", keys);
    format = cy_sc_get(ctx, root, "$", "format", JSON_STRING, 1);
    if (format && strcmp(json_string_value(format), FORMAT_NAME) != 0)
        cy_sc_error(ctx, "$.format", "\"format\" must be \"" FORMAT_NAME "\", got \"%s\"",
                    json_string_value(format));
    description = cy_sc_get(ctx, root, "$", "description", JSON_STRING, 0);
    if (description && !(out->description = cy_sc_strdup(json_string_value(description)))) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        return;
    }
    list = cy_sc_get(ctx, root, "$", "scenarios", JSON_ARRAY, 1);
    if (list && json_array_size(list) == 0)
        cy_sc_error(ctx, "$.scenarios", "no scenario");
    if (!list || ctx->failed)
        return;
    out->items = cy_calloc(json_array_size(list) + 1, sizeof *out->items);
    if (!out->items) {
        cy_error_add(ctx->err, CY_SEV_ERROR, NULL, "out of memory");
        ctx->failed = ctx->oom = 1;
        return;
    }
    json_array_foreach(list, k, item) {
        out->count++;
        parse_scenario(ctx, item, k, &out->items[k]);
        if (ctx->oom || ctx->err->limit_reached)
            return;
    }
    check_names(ctx, out);
}

/* A JSON document in memory; a syntax error at its line and column. */
static cy_status parse_json(const char *data, size_t size, json_t **root, cy_error *err)
{
    json_error_t jerr;
    unsigned long failures = cy_i_alloc_failures();
    *root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
    /* Jansson may report a failed allocation as a syntax error. */
    if (cy_i_alloc_failures() != failures ||
        (!*root && json_error_code(&jerr) == json_error_out_of_memory)) {
        json_decref(*root);
        *root = NULL;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if (*root)
        return CY_OK;
    cy_error_add_at(err, CY_SEV_ERROR, jerr.line, jerr.column, "%s", jerr.text);
    return CY_EINPUT;
}

/* Standard input for Jansson, at most `left` more bytes: past them the
 * read fails and `over` says why. */
typedef struct {
    size_t left;
    int over;
} capped_input;

/* Jansson's read callback over standard input: at most in->left bytes,
 * then 0 at its end, or (size_t)-1 with in->over when more follows. */
static size_t read_capped(void *buffer, size_t length, void *data)
{
    capped_input *in = data;
    if (in->left == 0) {
        int ch = getc(stdin);
        if (ch == EOF)
            return 0;
        in->over = 1;
        return (size_t)-1;
    }
    if (length > in->left)
        length = in->left;
    length = fread(buffer, 1, length, stdin);
    in->left -= length;
    return length;
}

/*
 * A scenario document from standard input ("-"), within the input limit
 * as a file is: a library caller's stdin may be a pipe nobody bounds.
 */
static cy_status read_stdin(size_t limit, json_t **root, cy_error *err)
{
    capped_input in = {limit, 0};
    json_error_t jerr;

    *root = json_load_callback(read_capped, &in, JSON_REJECT_DUPLICATES, &jerr);
    /* Jansson takes a failed read for the end of the text, so a document
     * cut at the limit may still parse: the limit is checked first. */
    if (in.over) {
        json_decref(*root);
        *root = NULL;
        cy_error_add(err, CY_SEV_ERROR, NULL, "standard input is over the input limit of %zu "
                     "bytes%s", limit, CY_I_RAISE_LIMIT);
        return CY_EINPUT;
    }
    if (*root)
        return CY_OK;
    cy_error_add_at(err, CY_SEV_ERROR, jerr.line, jerr.column, "%s", jerr.text);
    return CY_EINPUT;
}

/* The scenario file as a document: `data` (size bytes) when not NULL,
 * else the file `path`: JSON read as the loader reads a network (a regular
 * file, or standard input for "-", within the input limit, a read error
 * said as such), or a spreadsheet (with places). */
static cy_status read_scenarios(const char *path, const char *data, size_t size,
                                const cy_import_options *import, json_t **root,
                                cy_sc_places **places, cy_error *err)
{
    cy_import_options own = {0, NULL, NULL};
    size_t limit = import && import->max_input_bytes ? import->max_input_bytes
                                                     : CY_DEFAULT_MAX_INPUT;
    char *text = NULL;
    cy_status status;

    *places = NULL;
    *root = NULL;
    if (data)
        return parse_json(data, size, root, err);
    if (import) {
        own = *import;
        own.label = NULL; /* the label is the network's, not this file's */
    }
    if (cy_sc_is_sheet(path))
        return cy_sc_read_sheet(path, &own, root, places, err);
    if (strcmp(path, "-") == 0)
        return read_stdin(limit, root, err);
    status = cy_i_read_input(path, limit, CY_I_RAISE_LIMIT, &text, &size, err);
    if (status == CY_OK)
        status = parse_json(text, size, root, err);
    cy_free(text);
    return status;
}

/* Each scenario's place for the messages of a run: its sheet cell, or the
 * file and its JSON path.  0 on OOM (reported). */
static int name_places(cy_scenarios *out, const cy_sc_places *places, const char *file)
{
    for (size_t k = 0; k < out->count; k++) {
        cy_scenario *sc = &out->items[k];
        if (places)
            sc->place = cy_sc_place(places, sc->path);
        else if ((sc->place = cy_malloc(strlen(file) + strlen(sc->path) + 3)))
            sprintf(sc->place, "%s: %s", file, sc->path);
        if (!sc->place)
            return 0;
    }
    return 1;
}

/* cy_scenarios_load (data NULL) or cy_scenarios_load_buffer (`path` the
 * name in messages). */
static cy_status load_scenarios(const char *path, const char *data, size_t size,
                                const cy_network *base, const char *network_path,
                                const cy_import_options *import, cy_scenarios *out,
                                cy_error *err)
{
    cy_sc_ctx ctx;
    cy_sc_places *places;
    json_t *root;
    const char *saved_file = err->file;
    size_t first = err->count;
    cy_status status;

    cy_library_init();
    memset(out, 0, sizeof *out);
    memset(&ctx, 0, sizeof ctx);
    ctx.base = base;
    ctx.err = err;
    ctx.network_path = network_path;
    ctx.import = import;
    err->file = strcmp(path, "-") == 0 ? "<stdin>" : path;
    status = read_scenarios(path, data, size, import, &root, &places, err);
    if (status == CY_OK)
        parse_document(&ctx, root, out);
    err->file = saved_file;
    if (status != CY_OK)
        return status;
    if (places)
        cy_sc_translate(places, err, first);
    if (!ctx.failed && !name_places(out, places, strcmp(path, "-") == 0 ? "<stdin>" : path)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        ctx.failed = ctx.oom = 1;
    }
    cy_sc_places_free(places);
    json_decref(root);
    json_decref(ctx.network_doc);
    if (!ctx.failed)
        return CY_OK;
    cy_scenarios_destroy(out);
    return ctx.oom ? CY_ENOMEM : CY_EINPUT;
}

cy_status cy_scenarios_load(const char *path, const cy_network *base,
                            const char *network_path, const cy_import_options *import,
                            cy_scenarios *out, cy_error *err)
{
    return load_scenarios(path, NULL, 0, base, network_path, import, out, err);
}

cy_status cy_scenarios_load_buffer(const char *data, size_t size, const char *name,
                                   const cy_network *base, const char *network_path,
                                   const cy_import_options *import, cy_scenarios *out,
                                   cy_error *err)
{
    return load_scenarios(name ? name : "<buffer>", data ? data : "", data ? size : 0, base,
                          network_path, import, out, err);
}
