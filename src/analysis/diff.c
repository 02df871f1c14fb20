/*
 * diff.c - what changed between two versions of a network: records added,
 * removed or with changed fields, matched by id, and the risk register's
 * rows resolved, new or with a changed impact.
 *
 * Fields are compared through one table per kind of record: each entry
 * names the field as docs/format.md spells it and reads its value from
 * one network, so the old and new values compare and print alike.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Marked for translation: the reports show them to people through _(). */
static const char *const kind_names[CY_DIFF_KIND_COUNT] = {
    N_("regions"), N_("clusters"), N_("parks"), N_("enterprises"), N_("parts"), N_("links"),
    N_("register")};

const char *cy_diff_kind_name(cy_diff_kind kind)
{
    return (unsigned)kind < CY_DIFF_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *cy_diff_change_name(cy_diff_kind kind, cy_diff_change change)
{
    static const char *const records[] = {N_("added"), N_("removed"), N_("changed")};
    static const char *const rows[] = {N_("new"), N_("resolved"), N_("changed")};
    if ((unsigned)change > CY_DIFF_CHANGED)
        return "unknown";
    return kind == CY_DIFF_REGISTER ? rows[change] : records[change];
}

/* ---- values ------------------------------------------------------------- */

/* The diff being built; `oom` is set by the first failed allocation and
 * everything after it is skipped. */
typedef struct {
    cy_diff *d;
    size_t record_cap, field_cap;
    int oom;
    const cy_network *old_net, *new_net;
} builder;

static cy_diff_value value_number(double x)
{
    cy_diff_value v = {CY_DV_NUMBER, x, NULL};
    return v;
}

static cy_diff_value value_bool(int flag)
{
    cy_diff_value v = {CY_DV_BOOL, flag ? 1.0 : 0.0, NULL};
    return v;
}

static cy_diff_value value_absent(void)
{
    cy_diff_value v = {CY_DV_ABSENT, 0.0, NULL};
    return v;
}

/* A copy of `s` (absent for NULL). */
static cy_diff_value value_text(builder *b, const char *s)
{
    cy_diff_value v = {CY_DV_TEXT, 0.0, NULL};
    size_t len;
    if (!s)
        return value_absent();
    len = strlen(s);
    v.text = cy_malloc(len + 1);
    if (!v.text) {
        b->oom = 1;
        return value_absent();
    }
    memcpy(v.text, s, len + 1);
    return v;
}

static void value_free(cy_diff_value *v)
{
    cy_free(v->text);
    v->text = NULL;
}

static int value_equal(const cy_diff_value *a, const cy_diff_value *b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == CY_DV_TEXT)
        return strcmp(a->text, b->text) == 0;
    return a->type == CY_DV_ABSENT || a->number == b->number;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The strings items[0..count) sorted and joined with ';', each ';' or '\'
 * escaped by a backslash; absent for an empty list. */
static cy_diff_value value_list(builder *b, const char **items, size_t count)
{
    cy_diff_value v = {CY_DV_TEXT, 0.0, NULL};
    size_t len = 0, at = 0;

    if (count == 0)
        return value_absent();
    qsort(items, count, sizeof *items, by_string);
    for (size_t k = 0; k < count; k++)
        len += 2 * strlen(items[k]) + 1;
    if (!(v.text = cy_malloc(len + 1))) {
        b->oom = 1;
        return value_absent();
    }
    for (size_t k = 0; k < count; k++) {
        if (k)
            v.text[at++] = ';';
        for (const char *s = items[k]; *s; s++) {
            if (*s == ';' || *s == '\\')
                v.text[at++] = '\\';
            v.text[at++] = *s;
        }
    }
    v.text[at] = '\0';
    return v;
}

/* ---- fields of each kind -------------------------------------------------- */

typedef cy_diff_value (*field_get)(builder *b, const cy_network *net, int kind, size_t i);

typedef struct {
    const char *name;
    field_get get;
} field_spec;

static const cy_i_enterprise *firm(const cy_network *net, size_t i)
{
    return &net->enterprises[i];
}

static const char *group_id_or_null(const cy_network *net, cy_group_kind kind, long g)
{
    return g >= 0 ? net->groups[kind][g].id : NULL;
}

static cy_diff_value e_name(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, firm(net, i)->name);
}

static cy_diff_value e_name_zh(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, firm(net, i)->name_zh);
}

static cy_diff_value e_uscc(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, firm(net, i)->uscc);
}

static cy_diff_value e_kind(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, cy_kind_name(firm(net, i)->kind));
}

static cy_diff_value e_tier(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->tier >= 0 ? value_number(firm(net, i)->tier) : value_absent();
}

static cy_diff_value e_region(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, group_id_or_null(net, CY_GROUP_REGION, firm(net, i)->region));
}

static cy_diff_value e_park(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, group_id_or_null(net, CY_GROUP_PARK, firm(net, i)->park));
}

/* A list field through a scratch array of strings. */
static cy_diff_value list_of(builder *b, size_t count, const char *(*name)(const cy_network *,
                                                                          const cy_i_enterprise *,
                                                                          size_t),
                             const cy_network *net, const cy_i_enterprise *e)
{
    const char **items = cy_malloc((count + 1) * sizeof *items);
    cy_diff_value v;
    if (!items) {
        b->oom = 1;
        return value_absent();
    }
    for (size_t k = 0; k < count; k++)
        items[k] = name(net, e, k);
    v = value_list(b, items, count);
    cy_free(items);
    return v;
}

static const char *cluster_at(const cy_network *net, const cy_i_enterprise *e, size_t k)
{
    return net->groups[CY_GROUP_CLUSTER][e->clusters[k]].id;
}

static const char *produces_at(const cy_network *net, const cy_i_enterprise *e, size_t k)
{
    return net->parts.strings[e->produces[k]];
}

static const char *requires_at(const cy_network *net, const cy_i_enterprise *e, size_t k)
{
    return net->parts.strings[e->requires[k]];
}

static cy_diff_value e_clusters(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return list_of(b, firm(net, i)->cluster_count, cluster_at, net, firm(net, i));
}

static cy_diff_value e_produces(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return list_of(b, firm(net, i)->produces_count, produces_at, net, firm(net, i));
}

/* Only an explicit `requires` is a field of the file; the implicit one
 * follows from the links, whose changes are listed as links. */
static cy_diff_value e_requires(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    if (!firm(net, i)->requires_explicit)
        return value_absent();
    return list_of(b, firm(net, i)->requires_count, requires_at, net, firm(net, i));
}

static cy_diff_value e_output_value(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->has_output_value ? value_number(firm(net, i)->output_value)
                                          : value_absent();
}

static cy_diff_value e_final_demand(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->has_final_demand ? value_number(firm(net, i)->final_demand_given)
                                          : value_absent();
}

static cy_diff_value e_capacity(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->has_capacity ? value_number(firm(net, i)->capacity_given)
                                      : value_absent();
}

static cy_diff_value e_inventory_days(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->has_inventory_days ? value_number(firm(net, i)->inventory_days)
                                            : value_absent();
}

static cy_diff_value e_recovery_days(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return firm(net, i)->recovery_days >= 0 ? value_number(firm(net, i)->recovery_days)
                                            : value_absent();
}

/* A location as "lon,lat", each number in the one spelling of every
 * format; absent when not given. */
static cy_diff_value location(builder *b, int has, double lon, double lat)
{
    char text[72];
    size_t len;
    if (!has)
        return value_absent();
    len = cy_i_real_spell(text, lon);
    text[len++] = ',';
    cy_i_real_spell(text + len, lat);
    return value_text(b, text);
}

static cy_diff_value e_location(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return location(b, firm(net, i)->has_location, firm(net, i)->lon, firm(net, i)->lat);
}

static cy_diff_value e_source(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, firm(net, i)->source);
}

static const field_spec enterprise_fields[] = {
    {"name", e_name}, {"name_zh", e_name_zh}, {"uscc", e_uscc}, {"kind", e_kind},
    {"tier", e_tier}, {"region", e_region}, {"park", e_park}, {"clusters", e_clusters},
    {"produces", e_produces}, {"requires", e_requires}, {"output_value", e_output_value},
    {"final_demand", e_final_demand}, {"capacity", e_capacity},
    {"inventory_days", e_inventory_days}, {"recovery_days", e_recovery_days},
    {"location", e_location}, {"source", e_source}, {NULL, NULL}};

static cy_diff_value l_volume(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return net->links[i].has_volume ? value_number(net->links[i].volume) : value_absent();
}

static cy_diff_value l_share(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    (void)b;
    return net->links[i].share >= 0 ? value_number(net->links[i].share) : value_absent();
}

static cy_diff_value l_source(builder *b, const cy_network *net, int kind, size_t i)
{
    (void)kind;
    return value_text(b, net->links[i].source);
}

static const field_spec link_fields[] = {
    {"volume", l_volume}, {"share", l_share}, {"source", l_source}, {NULL, NULL}};

/* Groups: `kind` says which array (regions, clusters, parks). */
static const cy_i_group *group(const cy_network *net, int kind, size_t g)
{
    return &net->groups[kind][g];
}

static cy_diff_value g_name(builder *b, const cy_network *net, int kind, size_t g)
{
    return value_text(b, group(net, kind, g)->name);
}

static cy_diff_value g_region(builder *b, const cy_network *net, int kind, size_t g)
{
    return value_text(b, group_id_or_null(net, CY_GROUP_REGION, group(net, kind, g)->region));
}

static cy_diff_value g_source(builder *b, const cy_network *net, int kind, size_t g)
{
    return value_text(b, group(net, kind, g)->source);
}

static cy_diff_value g_location(builder *b, const cy_network *net, int kind, size_t g)
{
    const cy_i_group *x = group(net, kind, g);
    return location(b, x->has_location, x->lon, x->lat);
}

static cy_diff_value g_inside(builder *b, const cy_network *net, int kind, size_t g)
{
    (void)b;
    return value_bool(group(net, kind, g)->inside);
}

static cy_diff_value g_sector(builder *b, const cy_network *net, int kind, size_t g)
{
    return value_text(b, group(net, kind, g)->sector);
}

static cy_diff_value g_demonstration(builder *b, const cy_network *net, int kind, size_t g)
{
    (void)b;
    return value_bool(group(net, kind, g)->demonstration);
}

static const field_spec region_fields[] = {
    {"name", g_name}, {"inside", g_inside}, {"location", g_location},
    {"source", g_source}, {NULL, NULL}};
static const field_spec cluster_fields[] = {
    {"name", g_name}, {"region", g_region}, {"sector", g_sector}, {"source", g_source},
    {NULL, NULL}};
static const field_spec park_fields[] = {
    {"name", g_name}, {"region", g_region}, {"demonstration", g_demonstration},
    {"location", g_location}, {"source", g_source}, {NULL, NULL}};

/* ---- records -------------------------------------------------------------- */

/* Room for one more record; NULL on OOM. */
static cy_diff_record *new_record(builder *b, cy_diff_kind kind, cy_diff_change change,
                                  size_t old_index, size_t new_index)
{
    cy_diff_record *r;
    if (b->oom || !cy_i_grow((void **)&b->d->records, &b->record_cap,
                             b->d->record_count + 1, sizeof *b->d->records)) {
        b->oom = 1;
        return NULL;
    }
    r = &b->d->records[b->d->record_count++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->change = change;
    r->old_index = old_index;
    r->new_index = new_index;
    r->field_first = b->d->field_count;
    return r;
}

/* Compare every field of `specs` between old record i and new record j
 * (of `kind`) and keep those that differ.  Returns how many were kept. */
static size_t compare_fields(builder *b, int kind, const field_spec *specs, size_t i,
                             size_t j)
{
    size_t kept = 0;
    for (const field_spec *f = specs; f->name && !b->oom; f++) {
        cy_diff_value a = f->get(b, b->old_net, kind, i), c = f->get(b, b->new_net, kind, j);
        int differ = !b->oom && !value_equal(&a, &c);
        if (differ && !cy_i_grow((void **)&b->d->fields, &b->field_cap,
                                 b->d->field_count + 1, sizeof *b->d->fields)) {
            b->oom = 1;
            differ = 0;
        }
        if (!differ) {
            value_free(&a);
            value_free(&c);
            continue;
        }
        b->d->fields[b->d->field_count].name = f->name;
        b->d->fields[b->d->field_count].old_value = a;
        b->d->fields[b->d->field_count].new_value = c;
        b->d->field_count++;
        kept++;
    }
    return kept;
}

/* A matched pair: a changed record when any field differs. */
static void compare_pair(builder *b, cy_diff_kind kind, const field_spec *specs, size_t i,
                         size_t j)
{
    size_t first = b->d->field_count, kept = compare_fields(b, (int)kind, specs, i, j);
    cy_diff_record *r;
    if (!kept || !(r = new_record(b, kind, CY_DIFF_CHANGED, i, j)))
        return;
    r->field_first = first;
    r->field_count = kept;
}

static size_t named_count(const cy_network *net, cy_diff_kind kind)
{
    if (kind == CY_DIFF_ENTERPRISE)
        return net->enterprise_count;
    if (kind == CY_DIFF_PART)
        return net->parts.count;
    return net->group_count[kind];
}

static const char *named_id(const cy_network *net, cy_diff_kind kind, size_t i)
{
    if (kind == CY_DIFF_ENTERPRISE)
        return net->enterprises[i].id;
    if (kind == CY_DIFF_PART)
        return net->parts.strings[i];
    return net->groups[kind][i].id;
}

static int named_find(const cy_network *net, cy_diff_kind kind, const char *id, size_t *index)
{
    if (kind == CY_DIFF_ENTERPRISE)
        return cy_network_find_enterprise(net, id, index);
    if (kind == CY_DIFF_PART)
        return cy_network_find_part(net, id, index);
    return cy_network_find_group(net, (cy_group_kind)kind, id, index);
}

/* Records of one kind matched by id: removed, changed, then added. */
static void compare_named(builder *b, cy_diff_kind kind, const field_spec *specs)
{
    size_t n_old = named_count(b->old_net, kind), n_new = named_count(b->new_net, kind), j;

    for (size_t i = 0; i < n_old && !b->oom; i++) {
        if (!named_find(b->new_net, kind, named_id(b->old_net, kind, i), &j))
            new_record(b, kind, CY_DIFF_REMOVED, i, CY_DIFF_NONE);
        else if (specs)
            compare_pair(b, kind, specs, i, j);
    }
    for (size_t k = 0; k < n_new && !b->oom; k++)
        if (!named_find(b->old_net, kind, named_id(b->new_net, kind, k), &j))
            new_record(b, kind, CY_DIFF_ADDED, CY_DIFF_NONE, k);
}

/* The link (from, to, part) of `from_net` in `to_net`: its index, or
 * CY_DIFF_NONE.  Scans the outgoing links of the supplier. */
static size_t find_link(const cy_network *from_net, size_t l, const cy_network *to_net)
{
    const cy_i_link *link = &from_net->links[l];
    size_t from, to, part;
    if (!cy_network_find_enterprise(to_net, from_net->enterprises[link->from].id, &from) ||
        !cy_network_find_enterprise(to_net, from_net->enterprises[link->to].id, &to) ||
        !cy_network_find_part(to_net, from_net->parts.strings[link->part], &part))
        return CY_DIFF_NONE;
    for (size_t q = to_net->out_offset[from]; q < to_net->out_offset[from + 1]; q++) {
        size_t k = to_net->out_links[q];
        if (to_net->links[k].to == to && to_net->links[k].part == part)
            return k;
    }
    return CY_DIFF_NONE;
}

static void compare_links(builder *b)
{
    for (size_t l = 0; l < b->old_net->link_count && !b->oom; l++) {
        size_t k = find_link(b->old_net, l, b->new_net);
        if (k == CY_DIFF_NONE)
            new_record(b, CY_DIFF_LINK, CY_DIFF_REMOVED, l, CY_DIFF_NONE);
        else
            compare_pair(b, CY_DIFF_LINK, link_fields, l, k);
    }
    for (size_t k = 0; k < b->new_net->link_count && !b->oom; k++)
        if (find_link(b->new_net, k, b->old_net) == CY_DIFF_NONE)
            new_record(b, CY_DIFF_LINK, CY_DIFF_ADDED, CY_DIFF_NONE, k);
}

/* ---- the register ------------------------------------------------------- */

/* The register row of each enterprise of `net` (NULL where it has none),
 * so that rows are matched in O(1). */
static const cy_wl_register_row **rows_by_firm(builder *b, const cy_network *net,
                                              const cy_weaklinks *report)
{
    const cy_wl_register_row **rows = cy_calloc(net->enterprise_count + 1, sizeof *rows);
    if (!rows) {
        b->oom = 1;
        return NULL;
    }
    for (size_t k = 0; k < report->register_count; k++)
        rows[report->register_rows[k].enterprise] = &report->register_rows[k];
    return rows;
}

/* The row of the firm named `id` in the other network, NULL if none;
 * *index its index there (CY_DIFF_NONE when the firm does not exist). */
static const cy_wl_register_row *row_of(const cy_network *net,
                                        const cy_wl_register_row *const *rows,
                                        const char *id, size_t *index)
{
    if (!cy_network_find_enterprise(net, id, index)) {
        *index = CY_DIFF_NONE;
        return NULL;
    }
    return rows[*index];
}

static void set_impacts(cy_diff_record *r, const cy_wl_register_row *old_row,
                        const cy_wl_register_row *new_row)
{
    r->old_final_demand_lost = old_row ? old_row->impact.final_demand_lost : 0.0;
    r->old_failed_count = old_row ? old_row->impact.failed_count : 0;
    r->new_final_demand_lost = new_row ? new_row->impact.final_demand_lost : 0.0;
    r->new_failed_count = new_row ? new_row->impact.failed_count : 0;
    r->delta_final_demand = r->new_final_demand_lost - r->old_final_demand_lost;
}

/*
 * Register rows: every old row is resolved (its firm has no row in the
 * new register, whether or not the firm still exists) or compared; every
 * new row without an old one is new.
 */
static void compare_registers(builder *b, const cy_weaklinks *old_wl, const cy_weaklinks *new_wl)
{
    const cy_wl_register_row **old_rows = rows_by_firm(b, b->old_net, old_wl);
    const cy_wl_register_row **new_rows = rows_by_firm(b, b->new_net, new_wl);
    size_t i, j;

    for (size_t k = 0; k < old_wl->register_count && !b->oom; k++) {
        const cy_wl_register_row *o = &old_wl->register_rows[k], *n;
        cy_diff_record *r;
        n = row_of(b->new_net, new_rows, b->old_net->enterprises[o->enterprise].id, &j);
        if (n && n->impact.final_demand_lost == o->impact.final_demand_lost &&
            n->impact.failed_count == o->impact.failed_count)
            continue;
        r = new_record(b, CY_DIFF_REGISTER, n ? CY_DIFF_CHANGED : CY_DIFF_REMOVED,
                       o->enterprise, n ? j : CY_DIFF_NONE);
        if (r)
            set_impacts(r, o, n);
    }
    for (size_t k = 0; k < new_wl->register_count && !b->oom; k++) {
        const cy_wl_register_row *n = &new_wl->register_rows[k];
        cy_diff_record *r;
        if (row_of(b->old_net, old_rows, b->new_net->enterprises[n->enterprise].id, &i))
            continue;
        r = new_record(b, CY_DIFF_REGISTER, CY_DIFF_ADDED, i, n->enterprise);
        if (r)
            set_impacts(r, NULL, n);
    }
    cy_free(old_rows);
    cy_free(new_rows);
}

/* ---- order ------------------------------------------------------------------ */

static _Thread_local const builder *sort_builder; /* qsort has no context argument */

/* The id a record sorts by: its own, or a link's from, to and part. */
static const char *record_key(const cy_diff_record *r, int part)
{
    const cy_network *net = r->old_index != CY_DIFF_NONE ? sort_builder->old_net
                                                         : sort_builder->new_net;
    size_t i = r->old_index != CY_DIFF_NONE ? r->old_index : r->new_index;
    if (r->kind == CY_DIFF_LINK) {
        const cy_i_link *l = &net->links[i];
        return part == 0 ? net->enterprises[l->from].id
               : part == 1 ? net->enterprises[l->to].id
                           : net->parts.strings[l->part];
    }
    if (r->kind == CY_DIFF_REGISTER) {
        net = r->new_index != CY_DIFF_NONE ? sort_builder->new_net : sort_builder->old_net;
        i = r->new_index != CY_DIFF_NONE ? r->new_index : r->old_index;
        return net->enterprises[i].id;
    }
    return named_id(net, r->kind, i);
}

static int by_size_of_change(const cy_diff_record *x, const cy_diff_record *y)
{
    double dx = fabs(x->delta_final_demand), dy = fabs(y->delta_final_demand);
    size_t fx = x->new_failed_count > x->old_failed_count ? x->new_failed_count - x->old_failed_count
                                                          : x->old_failed_count - x->new_failed_count;
    size_t fy = y->new_failed_count > y->old_failed_count ? y->new_failed_count - y->old_failed_count
                                                          : y->old_failed_count - y->new_failed_count;
    if (dx != dy)
        return dx > dy ? -1 : 1;
    if (fx != fy)
        return fx > fy ? -1 : 1;
    return 0;
}

static int record_order(const void *a, const void *b)
{
    const cy_diff_record *x = a, *y = b;
    int c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->kind == CY_DIFF_REGISTER) {
        if ((c = by_size_of_change(x, y)) != 0)
            return c;
    } else if (x->change != y->change) {
        return x->change < y->change ? -1 : 1;
    }
    for (int part = 0; part < (x->kind == CY_DIFF_LINK ? 3 : 1); part++)
        if ((c = strcmp(record_key(x, part), record_key(y, part))) != 0)
            return c;
    return 0;
}

/* ---- entry points -------------------------------------------------------------- */

void cy_diff_destroy(cy_diff *diff)
{
    if (!diff)
        return;
    for (size_t k = 0; k < diff->field_count; k++) {
        value_free(&diff->fields[k].old_value);
        value_free(&diff->fields[k].new_value);
    }
    cy_free(diff->fields);
    cy_free(diff->records);
    memset(diff, 0, sizeof *diff);
}

/* Every record kind, in the order of cy_diff_kind. */
static void compare_records(builder *b)
{
    static const field_spec *const group_specs[] = {region_fields, cluster_fields,
                                                    park_fields};
    for (int kind = CY_DIFF_REGION; kind <= CY_DIFF_PARK; kind++)
        compare_named(b, (cy_diff_kind)kind, group_specs[kind]);
    compare_named(b, CY_DIFF_ENTERPRISE, enterprise_fields);
    compare_named(b, CY_DIFF_PART, NULL);
    compare_links(b);
}

/*
 * The progress of a comparison: the two weak-link reports take
 * DIFF_SHARE_REGISTERS percent, shared by the networks' sizes (firms plus
 * links), the record comparison the rest.  Each report's own percentages
 * are mapped onto its part, under the step "weak links (old)" or
 * "weak links (new)".
 */
#define DIFF_SHARE_REGISTERS 90.0

typedef struct {
    cy_progress_fn fn;
    void *data;
    const char *what;
    double from, span;
} diff_progress;

static void diff_report(const char *what, double percent, void *data)
{
    const diff_progress *p = data;
    (void)what;
    p->fn(p->what, p->from + p->span * percent / 100.0, p->data);
}

static double network_size(const cy_network *net)
{
    return (double)(cy_network_enterprise_count(net) + cy_network_link_count(net));
}

/* The two registers, each with its share of the progress. */
static cy_status diff_registers(const cy_network *old_net, const cy_network *new_net,
                                double threshold, cy_progress_fn fn, void *data,
                                cy_weaklinks **old_wl, cy_weaklinks **new_wl, cy_error *err)
{
    double total = network_size(old_net) + network_size(new_net);
    double old_share = DIFF_SHARE_REGISTERS * (total > 0 ? network_size(old_net) / total : 0.5);
    diff_progress p = {fn, data, "weak links (old)", 0.0, old_share};
    cy_weaklinks_options options = {threshold, fn ? diff_report : NULL, &p};
    cy_status status = cy_weaklinks_compute(old_net, &options, old_wl, err);
    if (status != CY_OK)
        return status;
    p.what = "weak links (new)";
    p.from = old_share;
    p.span = DIFF_SHARE_REGISTERS - old_share;
    return cy_weaklinks_compute(new_net, &options, new_wl, err);
}

cy_status cy_diff_compute(const cy_network *old_net, const cy_network *new_net,
                          double threshold, cy_diff *out, cy_error *err)
{
    return cy_diff_run(old_net, new_net, threshold, NULL, NULL, out, err);
}

cy_status cy_diff_run(const cy_network *old_net, const cy_network *new_net, double threshold,
                      cy_progress_fn progress, void *progress_data, cy_diff *out,
                      cy_error *err)
{
    cy_weaklinks *old_wl = NULL, *new_wl = NULL;
    builder b = {out, 0, 0, 0, old_net, new_net};
    cy_status status;

    memset(out, 0, sizeof *out);
    out->threshold = threshold;
    out->old_final_demand_total = cy_network_final_demand_total(old_net);
    out->new_final_demand_total = cy_network_final_demand_total(new_net);
    if ((status = diff_registers(old_net, new_net, threshold, progress, progress_data,
                                 &old_wl, &new_wl, err)) != CY_OK)
        goto cleanup;
    if (progress)
        progress("comparing records", DIFF_SHARE_REGISTERS, progress_data);
    compare_records(&b);
    compare_registers(&b, old_wl, new_wl);
    if (b.oom) {
        status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    sort_builder = &b;
    if (out->record_count) /* qsort's array may not be NULL, even empty */
        qsort(out->records, out->record_count, sizeof *out->records, record_order);
    for (size_t k = 0; k < out->record_count; k++)
        out->count[out->records[k].kind][out->records[k].change]++;
    if (progress)
        progress("comparing records", 100.0, progress_data);
cleanup:
    cy_weaklinks_free(old_wl);
    cy_weaklinks_free(new_wl);
    if (status != CY_OK)
        cy_diff_destroy(out);
    return status;
}
