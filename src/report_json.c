/*
 * report_json.c - the weak-link report as JSON.
 *
 * The top-level keys are exactly the section names of issue 6, in a fixed
 * order.  The document is streamed: each list element is built as a small
 * Jansson value and dumped on its own line (JSON_PRESERVE_ORDER,
 * JSON_REAL_PRECISION(17)), so a national-scale report never holds a
 * million Jansson objects at once.  Numbers that are undefined (a share of
 * zero volume) are null.
 */
#include "report_internal.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#define ROW_FLAGS (JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17) | JSON_ENCODE_ANY)

/*
 * Output is gathered in a buffer and written in large blocks: Jansson's
 * json_dumpf calls fwrite once per token, which on a national report is
 * millions of locked stdio calls.
 */
#define JSON_BUFFER 65536

typedef struct {
    FILE *out;
    const cy_network *net;
    int io_failed;
    int oom;
    size_t items;   /* elements written in the current list */
    size_t used;
    char buffer[JSON_BUFFER];
} json_writer;

static void flush(json_writer *w)
{
    if (w->used && fwrite(w->buffer, 1, w->used, w->out) != w->used)
        w->io_failed = 1;
    w->used = 0;
}

/* json_dump_callback sink, and the one way bytes reach the output. */
static int emit(const char *bytes, size_t size, void *data)
{
    json_writer *w = data;
    if (size > JSON_BUFFER - w->used) {
        flush(w);
        if (size > JSON_BUFFER) {
            if (fwrite(bytes, 1, size, w->out) != size)
                w->io_failed = 1;
            return w->io_failed ? -1 : 0;
        }
    }
    memcpy(w->buffer + w->used, bytes, size);
    w->used += size;
    return w->io_failed ? -1 : 0;
}

static json_t *jnum(double value)
{
    return isfinite(value) ? json_real(value) : json_null();
}

static json_t *jcount(size_t value)
{
    return json_integer((json_int_t)value);
}

/* A string or null (CY_WL_NONE ids come through as NULL). */
static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static void put(json_writer *w, const char *text)
{
    emit(text, strlen(text), w);
}

/* Dump `value` (consumed); a NULL value means an allocation failed. */
static void dump_flags(json_writer *w, json_t *value, size_t flags)
{
    if (!value) {
        w->oom = 1;
        return;
    }
    /* json_dump_callback fails either because emit() refused bytes (a
     * write error, already recorded in io_failed) or because Jansson could
     * not allocate what it needed to encode the value. */
    if (json_dump_callback(value, emit, w, flags) != 0 && !w->io_failed)
        w->oom = 1;
    json_decref(value);
}

static void dump(json_writer *w, json_t *value)
{
    dump_flags(w, value, ROW_FLAGS);
}

static void list_begin(json_writer *w, const char *key)
{
    put(w, "  \"");
    put(w, key);
    put(w, "\": [");
    w->items = 0;
}

static void list_item(json_writer *w, json_t *value)
{
    put(w, w->items++ ? ",\n    " : "\n    ");
    dump(w, value);
}

static void list_end(json_writer *w, int last)
{
    put(w, w->items ? "\n  ]" : "]");
    put(w, last ? "\n" : ",\n");
}

static json_t *id_array(const cy_network *net, const size_t *ids, size_t count)
{
    json_t *array = json_array();
    for (size_t i = 0; array && i < count; i++)
        if (json_array_append_new(array, json_string(net->enterprises[ids[i]].id))) {
            json_decref(array);
            return NULL;
        }
    return array;
}

/* An impact list; kind CY_GROUP_KIND_COUNT means enterprises. */
static void write_impacts(json_writer *w, const char *key, const char *id_key,
                          cy_group_kind kind, const cy_impact *rows, size_t count,
                          size_t top)
{
    const cy_network *net = w->net;
    size_t shown = cy_r_limit(count, top);
    list_begin(w, key);
    for (size_t i = 0; i < shown; i++) {
        const char *id = kind == CY_GROUP_KIND_COUNT ? net->enterprises[rows[i].index].id
                                                     : net->groups[kind][rows[i].index].id;
        list_item(w, json_pack("{s:s, s:o, s:o}", id_key, id, "failed_count",
                               jcount(rows[i].failed_count), "output_value_lost",
                               jnum(rows[i].output_value_lost)));
    }
    list_end(w, 0);
}

static json_t *local_row(const cy_network *net, const char *key, const char *id,
                         const cy_wl_local_supply *row)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", key, id,
                     "region", jstr(cy_r_group(net, CY_GROUP_REGION, row->region)),
                     "links", jcount(row->link_count),
                     "inbound_volume", jnum(row->inbound_volume),
                     "circle_volume", jnum(row->circle_volume),
                     "circle_share", jnum(cy_r_ratio(row->circle_volume, row->inbound_volume)),
                     "own_region_volume", jnum(row->own_region_volume),
                     "own_region_share",
                     row->region == CY_WL_NONE
                         ? json_null()
                         : jnum(cy_r_ratio(row->own_region_volume, row->inbound_volume)),
                     "unknown_region_volume", jnum(row->unknown_volume));
}

/* A backup: its id and where it is (the order's two keys compare these
 * with the current supplier's park and region). */
static json_t *backup_row(const cy_network *net, size_t firm)
{
    const cy_i_enterprise *c = &net->enterprises[firm];
    long region = cy_i_enterprise_region(net, firm);
    return json_pack("{s:s, s:o, s:o}", "id", c->id,
                     "park", jstr(c->park >= 0 ? net->groups[CY_GROUP_PARK][c->park].id : NULL),
                     "region", jstr(region >= 0 ? net->groups[CY_GROUP_REGION][region].id : NULL));
}

static json_t *recommendation_row(const cy_network *net, const cy_wl_recommendation *r)
{
    json_t *backups = json_array();
    for (size_t k = 0; backups && k < r->backup_shown; k++)
        if (json_array_append_new(backups, backup_row(net, r->backups[k]))) {
            json_decref(backups);
            backups = NULL;
        }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "type", cy_weak_type_name(r->type),
                     "enterprise", net->enterprises[r->enterprise].id,
                     "part", net->parts.strings[r->part],
                     "supplier", net->enterprises[r->supplier].id,
                     "customers", r->type == CY_WEAK_SINGLE_SOURCE
                                      ? id_array(net, &r->enterprise, 1)
                                      : id_array(net, r->customers, r->customer_count),
                     "oems", id_array(net, r->oems, r->oem_count),
                     "severity", jnum(r->severity),
                     "backup_count", jcount(r->backup_count),
                     "backups", backups,
                     "note", r->backup_count ? json_null() : json_string(CY_REPORT_NO_BACKUP));
}

static json_t *weak_link_row(const cy_network *net, size_t rank, const cy_wl_weak_link *w)
{
    return json_pack("{s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                     "rank", jcount(rank), "type", cy_weak_type_name(w->type),
                     "enterprise", jstr(cy_r_enterprise(net, w->enterprise)),
                     "supplier", jstr(cy_r_enterprise(net, w->supplier)),
                     "part", jstr(cy_r_part(net, w->part)),
                     "oem", jstr(cy_r_enterprise(net, w->oem)),
                     "volume", jnum(w->volume),
                     "failed_count", jcount(w->failed_count),
                     "output_at_risk", jnum(w->output_at_risk),
                     "severity", jnum(w->severity));
}

static void write_local_supply(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;
    json_t *circle = json_array();
    for (size_t g = 0; circle && g < net->group_count[CY_GROUP_REGION]; g++)
        if (rep->region_zone[g] != CY_CIRCLE_OUTSIDE &&
            json_array_append_new(circle, json_string(net->groups[CY_GROUP_REGION][g].id))) {
            json_decref(circle);
            circle = NULL;
        }
    put(w, "  \"local_supply\": {\n    \"circle_rule\": ");
    dump(w, json_string(CY_REPORT_CIRCLE_RULE));
    put(w, ",\n    \"circle_regions\": ");
    dump(w, circle);
    put(w, ",\n    \"oems\": [");
    for (size_t i = 0; i < rep->local_oem_count; i++) {
        put(w, i ? ",\n      " : "\n      ");
        dump(w, local_row(net, "oem", net->enterprises[rep->local_oem[i].subject].id,
                          &rep->local_oem[i]));
    }
    put(w, rep->local_oem_count ? "\n    ],\n    \"clusters\": [" : "],\n    \"clusters\": [");
    for (size_t i = 0; i < rep->local_cluster_count; i++) {
        put(w, i ? ",\n      " : "\n      ");
        dump(w, local_row(net, "cluster",
                          net->groups[CY_GROUP_CLUSTER][rep->local_cluster[i].subject].id,
                          &rep->local_cluster[i]));
    }
    put(w, rep->local_cluster_count ? "\n    ]\n  },\n" : "]\n  },\n");
}

static json_t *flow_row(const cy_network *net, const cy_wl_region_flow *f)
{
    return json_pack("{s:s, s:s, s:o, s:o}",
                     "from", net->groups[CY_GROUP_REGION][f->from_region].id,
                     "to", net->groups[CY_GROUP_REGION][f->to_region].id,
                     "links", jcount(f->link_count), "volume", jnum(f->volume));
}

/*
 * cross_region: the two pole-to-pole totals the issue asks for, the same
 * with the whole Sichuan side of the circle, and every (from, to) region
 * pair ranked by volume (the ranked part: --top applies).  Small: at most
 * one entry per pair of regions, so it is built in memory.
 */
static void write_cross_region(json_writer *w, const cy_weaklinks *rep, size_t top)
{
    const cy_network *net = w->net;
    const double (*v)[4] = rep->cross_volume;
    const size_t (*l)[4] = rep->cross_links;
    size_t shown = cy_r_limit(rep->region_flow_count, top);
    json_t *flows = json_array();

    for (size_t k = 0; flows && k < shown; k++)
        if (json_array_append_new(flows, flow_row(net, &rep->region_flows[k]))) {
            json_decref(flows);
            flows = NULL;
        }
    put(w, "  \"cross_region\": ");
    dump(w, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
                      "chengdu_to_chongqing", jnum(v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]),
                      "chongqing_to_chengdu", jnum(v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]),
                      "chengdu_to_chongqing_links", jcount(l[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]),
                      "chongqing_to_chengdu_links", jcount(l[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]),
                      "sichuan_to_chongqing",
                      jnum(v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING] + v[CY_CIRCLE_SICHUAN][CY_CIRCLE_CHONGQING]),
                      "chongqing_to_sichuan",
                      jnum(v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU] + v[CY_CIRCLE_CHONGQING][CY_CIRCLE_SICHUAN]),
                      "into_circle", jnum(v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHONGQING] +
                                          v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHENGDU] +
                                          v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_SICHUAN]),
                      "out_of_circle", jnum(v[CY_CIRCLE_CHONGQING][CY_CIRCLE_OUTSIDE] +
                                            v[CY_CIRCLE_CHENGDU][CY_CIRCLE_OUTSIDE] +
                                            v[CY_CIRCLE_SICHUAN][CY_CIRCLE_OUTSIDE]),
                      "flow_count", jcount(rep->region_flow_count),
                      "flows", flows));
    put(w, ",\n");
}

static json_t *summary_object(const cy_network *net, const cy_weaklinks *rep)
{
    return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s}",
                     "network", net->name,
                     "enterprises", jcount(net->enterprise_count),
                     "links", jcount(net->link_count),
                     "threshold", jnum(rep->threshold),
                     "output_value_total", jnum(rep->output_value_total),
                     "single_source_pairs", jcount(rep->single_source_count),
                     "unsupplied_requirements", jcount(rep->unsupplied_count),
                     "chokepoint_pairs", jcount(rep->chokepoint_pair_count),
                     "chokepoint_firms", jcount(rep->chokepoint_firm_count),
                     "oems_with_chokepoints", jcount(rep->oems_with_chokepoints),
                     "articulation_points", jcount(rep->articulation_point_count),
                     "bridges", jcount(rep->bridge_count),
                     "concentrated_parts", jcount(rep->concentrated_part_count),
                     "recommendations", jcount(rep->recommendation_count),
                     "recommendations_without_backup", jcount(rep->no_backup_count),
                     "weak_link_count", jcount(rep->weak_link_count),
                     "max_severity", jnum(rep->weak_link_count ? rep->weak_links[0].severity : 0.0),
                     "severity_formula", CY_REPORT_SEVERITY_FORMULA);
}

cy_status cy_weaklinks_write_json(const cy_network *net,
                                  const cy_weaklinks *rep, size_t top,
                                  FILE *out, cy_error *err)
{
    json_writer *w = cy_malloc(sizeof *w);
    size_t shown;
    cy_status status = CY_OK;

    if (!w) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the JSON report");
        return CY_ENOMEM;
    }
    memset(w, 0, offsetof(json_writer, buffer));
    w->out = out;
    w->net = net;
    put(w, "{\n");
    list_begin(w, "single_source");
    shown = cy_r_limit(rep->single_source_count, top);
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        list_item(w, json_pack("{s:s, s:s, s:s, s:o, s:o}",
                                "enterprise", net->enterprises[s->enterprise].id,
                                "part", net->parts.strings[s->part],
                                "supplier", net->enterprises[s->supplier].id,
                                "volume", jnum(s->volume),
                                "output_at_risk", jnum(s->output_at_risk)));
    }
    list_end(w, 0);

    list_begin(w, "chokepoints");
    for (size_t i = 0; i < rep->chokepoint_count; i++)
        list_item(w, json_pack("{s:s, s:o}", "oem", net->enterprises[rep->chokepoints[i].oem].id,
                                "enterprises", id_array(net, rep->chokepoints[i].enterprises,
                                                        rep->chokepoints[i].count)));
    list_end(w, 0);

    list_begin(w, "articulation_points");
    for (size_t i = 0; i < rep->articulation_point_count; i++)
        list_item(w, json_string(net->enterprises[rep->articulation_points[i]].id));
    list_end(w, 0);

    list_begin(w, "bridges");
    for (size_t i = 0; i < rep->bridge_count; i++)
        list_item(w, json_pack("[s, s]", net->enterprises[rep->bridges[i].from].id,
                                net->enterprises[rep->bridges[i].to].id));
    list_end(w, 0);

    write_impacts(w, "cascade_impact", "id", CY_GROUP_KIND_COUNT, rep->cascade_impact,
                  rep->cascade_impact_count, top);
    write_impacts(w, "park_impact", "park", CY_GROUP_PARK, rep->park_impact,
                  rep->park_impact_count, top);
    write_impacts(w, "region_impact", "region", CY_GROUP_REGION, rep->region_impact,
                  rep->region_impact_count, top);

    list_begin(w, "concentration");
    shown = cy_r_limit(rep->concentration_count, top);
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_concentration *c = &rep->concentration[i];
        list_item(w, json_pack("{s:s, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
                                "part", net->parts.strings[c->part],
                                "suppliers", jcount(c->supplier_count),
                                "links", jcount(c->link_count),
                                "volume", jnum(c->volume),
                                "hhi", jnum(c->hhi),
                                "top_supplier", net->enterprises[c->top_supplier].id,
                                "top_supplier_share", jnum(c->top_supplier_share),
                                "top_park", jstr(cy_r_group(net, CY_GROUP_PARK, c->top_park)),
                                "top_park_share", jnum(c->top_park_share),
                                "top_region", jstr(cy_r_group(net, CY_GROUP_REGION, c->top_region)),
                                "top_region_share", jnum(c->top_region_share)));
    }
    list_end(w, 0);

    write_local_supply(w, rep);
    write_cross_region(w, rep, top);

    list_begin(w, "recommendations");
    shown = cy_r_limit(rep->recommendation_count, top);
    for (size_t i = 0; i < shown; i++)
        list_item(w, recommendation_row(net, &rep->recommendations[i]));
    list_end(w, 0);

    /* The summary's counts, then its ranked weak links one per line. */
    put(w, "  \"summary\": {\n");
    {
        json_t *summary = summary_object(net, rep);
        const char *key;
        json_t *value;
        if (!summary)
            w->oom = 1;
        json_object_foreach(summary, key, value) {
            put(w, "    ");
            dump(w, json_string(key));
            put(w, ": ");
            dump(w, json_incref(value));
            put(w, ",\n");
        }
        json_decref(summary);
    }
    w->items = 0;
    put(w, "    \"weak_links\": [");
    shown = cy_r_limit(rep->weak_link_count, top);
    for (size_t i = 0; i < shown; i++) {
        put(w, i ? ",\n      " : "\n      ");
        dump(w, weak_link_row(net, i + 1, &rep->weak_links[i]));
    }
    put(w, shown ? "\n    ]\n  }\n}\n" : "]\n  }\n}\n");
    flush(w);

    if (w->oom) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the JSON report");
        status = CY_ENOMEM;
    } else if (w->io_failed || ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the JSON report failed");
        status = CY_EIO;
    }
    cy_free(w);
    return status;
}
