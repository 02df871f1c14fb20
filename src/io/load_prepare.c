/*
 * load_prepare.c - the records parsed ahead (load_parallel.c) checked
 * alone on the thread that parsed them, then put into the model by the
 * validating thread in file order.
 *
 * With several threads, the thread that validates every record in file
 * order was the load's bottleneck: it read each field of each record,
 * looked each link's "from", "to" and "part" up in tables of 200,000 ids
 * and 100,000 parts (a cache miss each), and grew the model.  What a
 * record alone decides does not depend on the records before it: its
 * keys, the types and ranges of its fields, a link's endpoints (every id
 * is declared before the first link), a firm's region, park and clusters
 * (every group is declared before the first enterprise).  So the parsing
 * thread checks that much right after parsing the record, with the same
 * field readers, and keeps the results beside it; the validating thread
 * then only does what depends on the order of the file: registering the
 * firm's id (a duplicate), interning part names and sources (their
 * indices are their order of first appearance), the sums over the file,
 * and copying the strings the model keeps.
 *
 * The check is conservative, never different: a record is "ok" only when
 * cy_l_load_enterprise or cy_l_load_link would read it without any
 * diagnostic and to the same fields.  Anything else (a problem, a "meta"
 * to copy, a reference or part that the context's tables do not hold, a
 * list too long to check for duplicates cheaply) leaves the record to the
 * validating thread, which reads it as with one thread.  Diagnostics
 * never come from here: the streaming pass gives up at the first one, and
 * the DOM path writes them all (load_stream.c).
 */
#include "load_internal.h"

#include <math.h>
#include <string.h>

/* Longest "produces", "requires" or "clusters" list checked here for
 * duplicates (pairwise: a national firm lists about five parts); a longer
 * one is left to the validating thread's marks. */
#define PREP_LIST_MAX 64

/* The path the parsing thread's readers are given: their messages are
 * counted, never shown. */
#define PREP_PATH "$"

int cy_l_prep_ctx_init(cy_l_prep_ctx *ctx, const cy_network *net, int links)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->links = links != 0;
    ctx->net = net;
    if (links)
        return cy_i_strtab_view(&net->parts, &ctx->parts);
    /* The id table holds the groups' ids alone as the enterprises begin. */
    if (!cy_i_strtab_view(&net->ids, &ctx->groups))
        return 0;
    ctx->group_owners = cy_malloc((net->ids.count ? net->ids.count : 1) *
                                  sizeof *ctx->group_owners);
    if (!ctx->group_owners) {
        cy_i_strtab_view_free(&ctx->groups);
        return 0;
    }
    if (net->ids.count)
        memcpy(ctx->group_owners, net->owners,
               net->ids.count * sizeof *ctx->group_owners);
    return 1;
}

void cy_l_prep_ctx_free(cy_l_prep_ctx *ctx)
{
    cy_i_strtab_view_free(&ctx->groups);
    cy_i_strtab_view_free(&ctx->parts);
    cy_free(ctx->group_owners);
    memset(ctx, 0, sizeof *ctx);
}

void cy_l_prep_begin(cy_l_prep_state *st)
{
    memset(st, 0, sizeof *st);
    cy_error_init(&st->err);
    /* Every diagnostic is counted and none is kept: a problem only means
     * "not ok", and storing it would allocate on this thread. */
    st->err.max_errors = 0;
    st->err.max_warnings = 0;
    st->W.err = &st->err;
}

void cy_l_prep_end(cy_l_prep_state *st)
{
    cy_error_destroy(&st->err);
}

/* ---- on the parsing thread -------------------------------------------- */

/* The group of `kind` that `id` names in the context, or -1 (unknown
 * there, or of another kind: the validating thread then resolves it, and
 * reports or makes an implicit region). */
static long find_group(const cy_l_prep_ctx *ctx, const char *id,
                       cy_group_kind kind)
{
    size_t length = strlen(id);
    long k = cy_i_strtab_find_tagged(&ctx->groups, id, length,
                                     cy_i_strtab_tag(id, length));
    if (k < 0 || (int)ctx->group_owners[k].kind != (int)kind)
        return -1;
    return (long)ctx->group_owners[k].index;
}

/* An optional reference to a group, as get_group_ref reads it: 1 with
 * *index set (-1 when absent), 0 when not ok. */
static int prep_group_ref(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                          json_t *rec, cy_group_kind kind, long *index)
{
    const char *id;
    int got = cy_l_get_string(&st->W, rec, cy_group_kind_name(kind), PREP_PATH, &id);
    *index = -1;
    if (got < 0)
        return 0;
    if (got == 0)
        return 1;
    *index = find_group(ctx, id, kind);
    return *index >= 0;
}

/* "clusters", as cy_l_load_enterprise reads it: 1 when ok (absent or
 * every item a distinct cluster of the context), the indices appended to
 * the pool. */
static int prep_clusters(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                         json_t *rec, cy_l_prep_firm *f, cy_l_prep_pool *pool)
{
    json_t *v = cy_l_field(&st->W, rec, "clusters"), *item;
    size_t k;

    if (!v)
        return 1;
    if (!json_is_array(v) || json_array_size(v) > PREP_LIST_MAX)
        return 0;
    f->has_clusters = 1;
    f->clusters = pool->cluster_count;
    json_array_foreach(v, k, item) {
        long c;
        if (!json_is_string(item) ||
            (c = find_group(ctx, json_string_value(item), CY_GROUP_CLUSTER)) < 0)
            return 0;
        for (size_t seen = f->clusters; seen < pool->cluster_count; seen++)
            if (pool->clusters[seen] == (size_t)c)
                return 0;
        if (!cy_i_grow((void **)&pool->clusters, &pool->cluster_cap,
                       pool->cluster_count + 1, sizeof *pool->clusters))
            return 0;
        pool->clusters[pool->cluster_count++] = (size_t)c;
    }
    f->cluster_count = pool->cluster_count - f->clusters;
    return 1;
}

/*
 * A list of part names ("produces", "requires"), as get_part_list reads
 * it: 1 when ok (absent, or distinct non-empty names without NUL of at
 * most CY_ID_MAX_BYTES), the names and their tags appended to the pool.
 * Two names are the same part exactly when their bytes are equal, so
 * duplicates are found without the part table.
 */
static int prep_parts(cy_l_prep_state *st, json_t *rec, const char *key,
                      int *present, size_t *first, size_t *count,
                      cy_l_prep_pool *pool)
{
    json_t *v = cy_l_field(&st->W, rec, key), *item;
    size_t k;

    if (!v)
        return 1;
    if (!json_is_array(v) || json_array_size(v) > PREP_LIST_MAX)
        return 0;
    *present = 1;
    *first = pool->part_count;
    json_array_foreach(v, k, item) {
        const char *name;
        size_t length;
        cy_l_part_ref *ref;
        if (!json_is_string(item))
            return 0;
        name = json_string_value(item);
        length = json_string_length(item);
        if (length == 0 || length > CY_ID_MAX_BYTES || strlen(name) != length)
            return 0;
        for (size_t seen = *first; seen < pool->part_count; seen++)
            if (pool->parts[seen].length == length &&
                memcmp(pool->parts[seen].name, name, length) == 0)
                return 0;
        if (!cy_i_grow((void **)&pool->parts, &pool->part_cap,
                       pool->part_count + 1, sizeof *pool->parts))
            return 0;
        ref = &pool->parts[pool->part_count++];
        ref->name = name;
        ref->length = length;
        ref->tag = cy_i_strtab_tag(name, length);
    }
    *count = pool->part_count - *first;
    return 1;
}

/* The amounts, as load_amounts reads them (the sums stay for later). */
static int prep_amounts(cy_l_prep_state *st, json_t *rec, cy_l_prep_firm *f)
{
    loader *W = &st->W;
    int got;
    f->recovery_days = -1;
    if ((got = cy_l_get_number(W, rec, "output_value", PREP_PATH, 0, 0, HUGE_VAL,
                               &f->output_value)) < 0)
        return 0;
    f->has_output_value = got > 0;
    if ((got = cy_l_get_number(W, rec, "final_demand", PREP_PATH, 0, 0, HUGE_VAL,
                               &f->final_demand)) < 0)
        return 0;
    f->has_final_demand = got > 0;
    if ((got = cy_l_get_number(W, rec, "capacity", PREP_PATH, 0, 0, HUGE_VAL,
                               &f->capacity)) < 0)
        return 0;
    f->has_capacity = got > 0;
    if ((got = cy_l_get_number(W, rec, "inventory_days", PREP_PATH, 0, 0,
                               HUGE_VAL, &f->inventory_days)) < 0)
        return 0;
    f->has_inventory_days = got > 0;
    return cy_l_get_number(W, rec, "recovery_days", PREP_PATH, 0, 1, HUGE_VAL,
                           &f->recovery_days) >= 0;
}

/* An enterprise record, as cy_l_declare_id and cy_l_load_enterprise read
 * it; 1 when ok. */
static int prep_firm(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                     cy_l_parsed *r, cy_l_prep_pool *pool)
{
    static const char *const required[] = {"id", "kind", NULL};
    loader *W = &st->W;
    json_t *rec = r->value, *v;
    cy_l_prep_firm *f = &r->prep.u.firm;
    const char *s;
    int got;

    if (!json_is_object(rec))
        return 0;
    cy_l_check_keys(W, rec, PREP_PATH, cy_l_enterprise_keys, required);
    /* The id is registered by the validating thread with the tag that
     * load_parallel.c computed for r->ref[0], the same string. */
    if (W->err->error_count ||
        cy_l_get_name_like(W, rec, "id", PREP_PATH, "id", &s) <= 0 || s != r->ref[0])
        return 0;
    if ((got = cy_l_get_string(W, rec, "name", PREP_PATH, &f->name)) < 0)
        return 0;
    if (!got)
        f->name = NULL;
    if ((got = cy_l_get_string(W, rec, "name_zh", PREP_PATH, &f->name_zh)) < 0)
        return 0;
    if (!got)
        f->name_zh = NULL;
    if ((got = cy_l_get_string(W, rec, "uscc", PREP_PATH, &f->uscc)) < 0 ||
        (got > 0 && cy_l_uscc_problem(f->uscc)))
        return 0;
    if (!got)
        f->uscc = NULL;
    if (cy_l_get_string(W, rec, "kind", PREP_PATH, &s) <= 0 ||
        !cy_l_parse_kind(s, &f->kind))
        return 0;
    f->tier = -1;
    if ((v = cy_l_field(W, rec, "tier"))) {
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > CY_TIER_MAX)
            return 0;
        f->tier = (int)json_integer_value(v);
    }
    if (!prep_group_ref(ctx, st, rec, CY_GROUP_REGION, &f->region) ||
        !prep_group_ref(ctx, st, rec, CY_GROUP_PARK, &f->park) ||
        !prep_clusters(ctx, st, rec, f, pool) || !prep_amounts(st, rec, f) ||
        !prep_parts(st, rec, "produces", &f->has_produces, &f->produces,
                    &f->produces_count, pool) ||
        !prep_parts(st, rec, "requires", &f->has_requires, &f->requires,
                    &f->requires_count, pool))
        return 0;
    if ((got = cy_l_get_location(W, rec, PREP_PATH, &f->lon, &f->lat)) < 0)
        return 0;
    f->has_location = got > 0;
    if ((got = cy_l_get_string(W, rec, "source", PREP_PATH, &r->prep.source)) < 0)
        return 0;
    if (!got)
        r->prep.source = NULL;
    /* A meta is deep-copied by the validating thread, charged to its
     * budget and measured for depth there. */
    return !cy_l_field(W, rec, "meta") && W->err->error_count == 0;
}

/* Field `key` ("from" or "to", `which` 0 or 1) of a link: the enterprise
 * it names, or NO_INDEX when not ok.  The id table is complete and
 * read-only once the links begin. */
static size_t prep_endpoint(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                            const cy_l_parsed *r, const char *key, int which)
{
    const cy_network *net = ctx->net;
    const char *id;
    size_t length;
    long k;

    if (cy_l_get_string(&st->W, r->value, key, PREP_PATH, &id) <= 0)
        return NO_INDEX;
    length = strlen(id);
    /* Files list the links of one customer together (get_enterprise_ref). */
    if (st->last[which] && length == st->last_length[which] &&
        memcmp(id, st->last[which], length) == 0)
        return st->last_index[which];
    k = cy_i_strtab_find_tagged(&net->ids, id, length,
                                r->ref[which] == id ? r->tag[which]
                                                    : cy_i_strtab_tag(id, length));
    if (k < 0 || net->owners[k].kind != CY_I_OWNER_ENTERPRISE)
        return NO_INDEX;
    /* The string lives in the batch's arena as long as the batch. */
    st->last[which] = id;
    st->last_length[which] = length;
    st->last_index[which] = net->owners[k].index;
    return net->owners[k].index;
}

/* A link record, as cy_l_load_link reads it; 1 when ok. */
static int prep_link(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                     cy_l_parsed *r)
{
    static const char *const required[] = {"from", "to", "part", NULL};
    loader *W = &st->W;
    json_t *rec = r->value;
    cy_l_prep_link *l = &r->prep.u.link;
    const char *part;
    long k;
    int got;

    if (!json_is_object(rec))
        return 0;
    cy_l_check_keys(W, rec, PREP_PATH, cy_l_link_keys, required);
    if (W->err->error_count)
        return 0;
    l->from = prep_endpoint(ctx, st, r, "from", 0);
    l->to = prep_endpoint(ctx, st, r, "to", 1);
    if (l->from == NO_INDEX || l->to == NO_INDEX || l->from == l->to)
        return 0;
    /* A part the view does not hold may be new: its index is its place
     * among the parts met in file order, the validating thread's. */
    if (cy_l_get_name_like(W, rec, "part", PREP_PATH, "part name", &part) <= 0 ||
        (k = cy_i_strtab_find_tagged(&ctx->parts, part, strlen(part),
                                     cy_i_strtab_tag(part, strlen(part)))) < 0)
        return 0;
    l->part = (size_t)k;
    l->volume = 0;
    if ((got = cy_l_get_number(W, rec, "volume", PREP_PATH, 0, 0, HUGE_VAL,
                               &l->volume)) < 0)
        return 0;
    l->has_volume = got > 0;
    l->share = -1;
    if (cy_l_get_number(W, rec, "share", PREP_PATH, 0, 1, 1, &l->share) < 0)
        return 0;
    if ((got = cy_l_get_string(W, rec, "source", PREP_PATH, &r->prep.source)) < 0)
        return 0;
    if (!got)
        r->prep.source = NULL;
    return !cy_l_field(W, rec, "meta") && W->err->error_count == 0;
}

void cy_l_prepare(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                  cy_l_parsed *r, cy_l_prep_pool *pool)
{
    size_t clusters = pool->cluster_count, parts = pool->part_count;

    memset(&r->prep, 0, sizeof r->prep);
    r->pool = pool;
    r->prep.ok = ctx->links ? prep_link(ctx, st, r) : prep_firm(ctx, st, r, pool);
    if (!r->prep.ok) {
        /* What a refused record added to the pool is not needed. */
        pool->cluster_count = clusters;
        pool->part_count = parts;
        cy_error_clear(&st->err);
    }
    st->W.fields_of = NULL;
}

/* ---- on the validating thread, in file order -------------------------- */

/* The part names pool->parts[first .. first + count) interned in order
 * into a new array (as get_part_list allocates it); NULL on OOM. */
static size_t *intern_parts(loader *L, const cy_l_prep_pool *pool, size_t first,
                            size_t count)
{
    size_t *out = cy_malloc((count ? count : 1) * sizeof *out);
    if (!out) {
        L->oom = 1;
        return NULL;
    }
    for (size_t k = 0; k < count; k++) {
        const cy_l_part_ref *ref = &pool->parts[first + k];
        long part = cy_i_strtab_intern_tagged(&L->net->parts, ref->name,
                                              ref->length, ref->tag, NULL);
        if (part < 0) {
            L->oom = 1;
            cy_free(out);
            return NULL;
        }
        out[k] = (size_t)part;
    }
    return out;
}

void cy_l_apply_enterprise(loader *L, const cy_l_parsed *r, const char *path,
                           size_t i)
{
    cy_network *net = L->net;
    cy_i_enterprise *e = &net->enterprises[i];
    const cy_l_prep_firm *f = &r->prep.u.firm;
    char at[PATH_SIZE];

    net->enterprise_count++;
    net->prepared++;
    e->tier = f->tier;
    e->region = f->region;
    e->park = f->park;
    e->kind = f->kind;
    cy_l_path_key(at, path, "id");
    /* A duplicate is reported here, as by cy_l_declare_id; the streaming
     * pass then gives up, so the rest of the record does not matter. */
    e->id = cy_l_register_id(L, r->ref[0], at, CY_I_OWNER_ENTERPRISE, i, i);
    if (!e->id)
        return;
    e->name = cy_l_dup(L, f->name ? f->name : e->id);
    if (f->name_zh)
        e->name_zh = cy_l_dup(L, f->name_zh);
    if (f->uscc)
        e->uscc = cy_l_dup(L, f->uscc);
    if (f->has_clusters) {
        e->clusters = cy_malloc((f->cluster_count + 1) * sizeof *e->clusters);
        if (!e->clusters) {
            L->oom = 1;
            return;
        }
        if (f->cluster_count)
            memcpy(e->clusters, r->pool->clusters + f->clusters,
                   f->cluster_count * sizeof *e->clusters);
        e->cluster_count = f->cluster_count;
    }
    /* The sums over the file in load_amounts' order. */
    e->recovery_days = f->recovery_days;
    if ((e->has_output_value = f->has_output_value)) {
        e->output_value = f->output_value;
        cy_l_add_to_total(L, &L->output_total, e->output_value, path,
                          "output_value");
    }
    if ((e->has_final_demand = f->has_final_demand)) {
        e->final_demand_given = f->final_demand;
        cy_l_add_to_total(L, &L->final_demand_total, e->final_demand_given,
                          path, "final_demand");
    }
    if ((e->has_capacity = f->has_capacity)) {
        e->capacity_given = f->capacity;
        cy_l_add_to_total(L, &L->capacity_total, e->capacity_given, path,
                          "capacity");
    }
    if ((e->has_inventory_days = f->has_inventory_days))
        e->inventory_days = f->inventory_days;
    /* Parts get their indices in order of first appearance: produces
     * before requires, as get_part_list reads them. */
    if (f->has_produces) {
        if (!(e->produces = intern_parts(L, r->pool, f->produces, f->produces_count)))
            return;
        e->produces_count = f->produces_count;
    }
    if (f->has_requires) {
        if (!(e->requires = intern_parts(L, r->pool, f->requires, f->requires_count)))
            return;
        e->requires_count = f->requires_count;
        e->requires_explicit = 1;
    }
    if ((e->has_location = f->has_location)) {
        e->lon = f->lon;
        e->lat = f->lat;
    }
    if (r->prep.source)
        e->source = cy_l_intern_source(L, r->prep.source);
}

void cy_l_apply_link(loader *L, const cy_l_parsed *r, const char *path,
                     size_t j)
{
    cy_i_link *l = &L->net->links[j];
    const cy_l_prep_link *p = &r->prep.u.link;

    L->net->link_count++;
    L->net->prepared++;
    l->from = p->from;
    l->to = p->to;
    l->part = p->part;
    l->share = p->share;
    if ((l->has_volume = p->has_volume)) {
        l->volume = p->volume;
        cy_l_add_to_total(L, &L->volume_total, l->volume, path, "volume");
    }
    if (r->prep.source)
        l->source = cy_l_intern_source(L, r->prep.source);
}
