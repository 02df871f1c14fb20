/*
 * load_rules.c - a parsed document (Jansson's DOM) into the model, in the
 * order that defines the diagnostics: the header, every id, the groups,
 * the enterprises, the links; then the rules over the whole file once the
 * indexes exist: duplicate links, the `requires` derived from the links,
 * and the warnings.
 */
#include "load_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the currency ------------------------------------------------------ */

/*
 * The active ISO 4217 codes (Debian's iso-codes 4.15.0, iso_4217.json),
 * sorted.  A code of the right shape that is not here is accepted with a
 * warning: the list grows (a new currency) faster than files change.
 */
static const char ISO_4217[][4] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN",
    "BAM", "BBD", "BDT", "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV",
    "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF",
    "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD",
    "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD",
    "HNL", "HRK", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
    "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL",
    "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
    "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR",
    "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
    "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS",
    "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD",
    "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST",
    "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XDR", "XOF",
    "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW",
    "ZWL",
};

static int iso_4217_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 3);
}

static int iso_4217_known(const char *code)
{
    return bsearch(code, ISO_4217, sizeof ISO_4217 / sizeof *ISO_4217,
                   sizeof *ISO_4217, iso_4217_cmp) != NULL;
}

/* The top-level "currency": three uppercase letters (ISO 4217's shape);
 * whether it is a known code is a warning (report_warnings). */
static void load_currency(loader *L, const char *code)
{
    char shown[SHOW_SIZE];
    int shaped = strlen(code) == 3;
    for (size_t k = 0; shaped && k < 3; k++)
        shaped = code[k] >= 'A' && code[k] <= 'Z';
    if (!shaped) {
        ERROR(L, "$.currency", "currency %s is not an ISO 4217 code (three "
              "uppercase letters, such as \"CNY\" for the renminbi)",
              cy_l_show(code, shown));
        return;
    }
    memcpy(L->net->currency, code, 4);
}

/* ---- whole-file rules -------------------------------------------------- */

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
 * The warnings of chengyu/1 (format.md).  `requires` arrays are sorted here
 * (after the messages, which cite positions in the file's order).
 */
static void report_warnings(loader *L)
{
    cy_network *net = L->net;
    char at[PATH_SIZE], a[SHOW_SIZE], p[SHOW_SIZE];

    if (!iso_4217_known(net->currency))
        WARN(L, "$.currency", "%s is not an ISO 4217 currency code known to "
             "chengyu%s", cy_l_show(net->currency, a),
             strcmp(net->currency, "RMB") == 0 ? " (the renminbi is \"CNY\")" : "");
    cy_l_warn_single_part(L);
    cy_l_warn_mixed_shares(L);

    for (size_t c = 0; c < net->enterprise_count; c++) {
        cy_i_enterprise *e = &net->enterprises[c];
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        if (begin == end && net->out_offset[c] == net->out_offset[c + 1]) {
            cy_l_path_index(at, "$.enterprises", c);
            WARN(L, at, "enterprise %s has no links", cy_l_show(e->id, a));
        }
        if (!e->requires_explicit)
            continue;
        for (size_t r = 0; r < e->requires_count; r++) {
            if (!cy_i_part_suppliers(net, c, e->requires[r], NULL)) {
                snprintf(at, sizeof at, "$.enterprises[%zu].requires[%zu]", c, r);
                WARN(L, at, "no supplier of part %s for %s",
                     cy_l_show(net->parts.strings[e->requires[r]], p), cy_l_show(e->id, a));
            }
        }
        qsort(e->requires, e->requires_count, sizeof *e->requires, size_t_cmp);
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
void cy_l_load_header(loader *L, json_t *root)
{
    static const char *const required[] = {"format", "name", "enterprises",
                                           "links", NULL};
    cy_network *net = L->net;
    const char *s;
    char shown[SHOW_SIZE];

    cy_l_check_keys(L, root, "$", cy_l_top_keys, required);
    if (cy_l_get_string(L, root, "format", "$", &s) > 0 && strcmp(s, CY_FORMAT) != 0)
        ERROR(L, "$.format", "unsupported format %s (expected \"%s\")",
              cy_l_show(s, shown), CY_FORMAT);
    if (cy_l_get_string(L, root, "name", "$", &s) > 0)
        net->name = cy_l_dup(L, s);
    if (cy_l_get_string(L, root, "description", "$", &s) > 0)
        net->description = cy_l_dup(L, s);
    if (cy_l_get_string(L, root, "currency", "$", &s) > 0)
        load_currency(L, s);
    net->meta = cy_l_keep_meta(L, root);
}

/*
 * The rules that need the indexes (duplicate links, derived requires, the
 * derived amounts and the capacity check, warnings); they never read the
 * firm graph, which may still be in the making beside them.
 */
static cy_status apply_indexed_rules(loader *L, size_t errors_before)
{
    cy_status status;
    cy_l_check_links(L, 1);
    if (L->oom)
        return CY_ENOMEM;
    if (L->err->error_count > errors_before)
        return CY_EINPUT;
    if (derive_requires(L) != CY_OK)
        return CY_ENOMEM;
    if ((status = cy_l_derive_demand(L)) != CY_OK)
        return status;
    report_warnings(L);
    return L->oom ? CY_ENOMEM : CY_OK;
}

/* apply_indexed_rules as a cy_i_beside job.  The rules write L->err and
 * L->oom themselves, which the calling thread leaves alone until it has
 * joined: their messages land where and as they would on one thread (the
 * job's own cy_error stays empty). */
typedef struct {
    loader *L;
    size_t errors_before;
} rules_job;

static cy_status rules_work(void *arg, cy_error *unused)
{
    rules_job *job = arg;
    (void)unused;
    return apply_indexed_rules(job->L, job->errors_before);
}

/*
 * Every record is in the model and no record had a problem: build the
 * indexes, then the rules that need them and the graph half
 * (cy_i_network_build_graphs).  With threads allowed and a large network,
 * the rules run on a helper while this thread builds the firm graph: a
 * quarter of a second of a national load's serial tail on two threads.
 * The graph stays on this thread because it allocates most (the edge list,
 * igraph's vectors and its sort): here it reuses what the load freed (the
 * text), where a helper's fresh malloc arena faulted in every page (16,000
 * page faults on a national load, about 0.1 s).  Its messages (only out of
 * memory) go after the rules', as on one thread, where a document that
 * fails the rules gets no graph at all; with a helper, a graph built
 * beside failing rules is only freed with the network.
 */
cy_status cy_l_finish_document(loader *L)
{
    rules_job job = {L, L->err->error_count};
    cy_i_beside rules;
    cy_error graph_err;
    cy_status status, graph_status;

    if ((status = cy_i_network_build_indexes(L->net, L->err)) != CY_OK)
        return status;
    cy_i_beside_init(&rules, rules_work, &job);
    if (L->check_only ||
        !cy_i_beside_start(&rules, L->net->link_count >= CY_I_PARALLEL_GRAPH_MIN_LINKS)) {
        if ((status = apply_indexed_rules(L, job.errors_before)) != CY_OK || L->check_only)
            return status;
        return cy_i_network_build_graphs(L->net, L->err);
    }
    cy_error_init(&graph_err);
    graph_status = cy_i_network_build_graphs(L->net, &graph_err);
    status = cy_i_beside_finish(&rules, NULL);
    if (status == CY_OK) {
        cy_i_error_move(L->err, &graph_err);
        status = graph_status;
    }
    cy_error_destroy(&graph_err);
    return status;
}

cy_status cy_l_load_document(loader *L, json_t *root)
{
    cy_network *net = L->net;
    size_t errors_before = L->err->error_count;
    json_t *array, *rec, *regions;
    char path[PATH_SIZE];
    size_t index;

    if (!json_is_object(root)) {
        ERROR(L, "$", "expected a chengyu/1 object at the top level, got %s",
              cy_l_type_name(root));
        return CY_EINPUT;
    }
    cy_l_load_header(L, root);

    /* First pass: declare every record and its id (see cy_l_declare_groups). */
    cy_l_declare_groups(L, root, CY_GROUP_REGION, "regions");
    cy_l_declare_groups(L, root, CY_GROUP_CLUSTER, "clusters");
    cy_l_declare_groups(L, root, CY_GROUP_PARK, "parks");
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
            cy_l_path_index(path, "$.enterprises", index);
            e->id = cy_l_declare_id(L, rec, path, CY_I_OWNER_ENTERPRISE, index,
                               index);
        }
    }

    /* Second pass: every other field, resolving references. */
    regions = json_object_get(root, "regions");
    L->regions_declared = json_is_array(regions) && json_array_size(regions) > 0;
    cy_l_load_groups(L, root, CY_GROUP_REGION, "regions", cy_l_region_keys);
    cy_l_load_groups(L, root, CY_GROUP_CLUSTER, "clusters", cy_l_cluster_keys);
    cy_l_load_groups(L, root, CY_GROUP_PARK, "parks", cy_l_park_keys);
    if ((array = cy_l_get_record_array(L, root, "enterprises"))) {
        json_array_foreach(array, index, rec) {
            if (FULL(L) || index >= net->enterprise_count)
                break;
            cy_l_path_index(path, "$.enterprises", index);
            cy_l_load_enterprise(L, rec, path, index);
            release_record(array, index);
            L->fields_of = NULL; /* cy_l_field() must not see a freed object */
        }
    }
    if ((array = cy_l_get_record_array(L, root, "links")) && !FULL(L)) {
        net->links = cy_calloc(json_array_size(array) + 1, sizeof *net->links);
        if (!net->links)
            return CY_ENOMEM;
        json_array_foreach(array, index, rec) {
            if (FULL(L))
                break;
            net->link_count++;
            cy_l_path_index(path, "$.links", index);
            cy_l_load_link(L, rec, path, index);
            release_record(array, index);
            L->fields_of = NULL; /* cy_l_field() must not see a freed object */
        }
    }
    /* A file that is otherwise valid gets its links checked with the
     * adjacency index that is built anyway; only a file with other errors
     * pays for separate sorts. */
    if (!FULL(L) && L->err->error_count > errors_before)
        cy_l_check_links(L, 0);
    if (L->oom)
        return CY_ENOMEM;
    if (L->err->error_count > errors_before)
        return CY_EINPUT;
    return cy_l_finish_document(L);
}
