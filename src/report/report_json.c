/*
 * report_json.c - the weak-link report as JSON, through the streaming
 * JSON writer (json.c): one top-level object whose keys are the report's
 * sections in a fixed order, each list element on its own line.  Numbers
 * that are undefined (a share of zero volume) are null.
 */
#include "report_internal.h"

#include <math.h>
#include <string.h>

typedef struct {
    cy_r_json *json;
    const cy_network *net;
    double total;   /* the network's final demand */
    cy_wl_shared_cache *shared; /* the backups' shared suppliers */
} json_writer;

/* Shorthands for the writer calls of this file. */
static void key(json_writer *w, const char *k)
{
    cy_r_json_key(w->json, k);
}

static void put_string(json_writer *w, const char *s)
{
    cy_r_json_string(w->json, s);
}

static void member_string(json_writer *w, const char *k, const char *s)
{
    cy_r_json_member_string(w->json, k, s);
}

static void member_real(json_writer *w, const char *k, double value)
{
    cy_r_json_member_real(w->json, k, value);
}

static void member_count(json_writer *w, const char *k, size_t value)
{
    cy_r_json_member_count(w->json, k, value);
}

/* `"key": [` of a list whose elements go one per line. */
static void list_begin(json_writer *w, const char *k)
{
    key(w, k);
    cy_r_json_array_begin(w->json, CY_R_JSON_LINES);
}

static void list_end(json_writer *w)
{
    cy_r_json_array_end(w->json);
}

static void row_begin(json_writer *w)
{
    cy_r_json_object_begin(w->json, CY_R_JSON_INLINE);
}

static void row_end(json_writer *w)
{
    cy_r_json_object_end(w->json);
}

/* Member `k`: the id of enterprise i, or null for CY_WL_NONE. */
static void member_firm(json_writer *w, const char *k, size_t i)
{
    key(w, k);
    if (i == CY_WL_NONE)
        cy_r_json_null(w->json);
    else
        cy_r_json_enterprise(w->json, w->net, i);
}

/* Enterprise ids on one line: ["a", "b"], or []. */
static void put_id_array(json_writer *w, const size_t *ids, size_t count)
{
    cy_r_json_ids(w->json, w->net, ids, count, CY_R_JSON_INLINE);
}

/* The impact of a failure: the final-demand keys every ranked row
 * carries (the fraction null when the network has no final demand). */
static void write_demand_impact(json_writer *w, double lost, size_t demand_nodes,
                                double total)
{
    member_real(w, "final_demand_lost", lost);
    member_real(w, "final_demand_lost_fraction", total > 0.0 ? lost / total : NAN);
    member_count(w, "demand_nodes_failed", demand_nodes);
}

static void write_wl_impact(json_writer *w, const cy_wl_impact *impact, double total)
{
    member_count(w, "failed_count", impact->failed_count);
    write_demand_impact(w, impact->final_demand_lost, impact->demand_nodes_failed, total);
    member_real(w, "output_value_lost", impact->output_value_lost);
}

/* One required (enterprise, part) pair with a single supplier. */
static void write_single_source(json_writer *w, const cy_wl_single_source *s)
{
    const cy_network *net = w->net;
    row_begin(w);
    member_firm(w, "enterprise", s->enterprise);
    member_string(w, "part", net->parts.strings[s->part]);
    member_firm(w, "supplier", s->supplier);
    member_real(w, "volume", s->volume);
    member_real(w, "output_at_risk", s->output_at_risk);
    member_count(w, "failed_count", s->impact.failed_count);
    write_demand_impact(w, s->impact.final_demand_lost, s->impact.demand_nodes_failed,
                        w->total);
    row_end(w);
}

/* An impact list; kind CY_GROUP_KIND_COUNT means enterprises, and
 * `id_key` is the key of the failing thing's id. */
static void write_impacts(json_writer *w, const char *list_key, const char *id_key,
                          cy_group_kind kind, const cy_impact *rows, size_t count,
                          size_t top)
{
    const cy_network *net = w->net;
    size_t shown = cy_r_limit(count, top);
    list_begin(w, list_key);
    for (size_t i = 0; i < shown; i++) {
        row_begin(w);
        key(w, id_key);
        if (kind == CY_GROUP_KIND_COUNT)
            cy_r_json_enterprise(w->json, net, rows[i].index);
        else
            put_string(w, net->groups[kind][rows[i].index].id);
        member_count(w, "failed_count", rows[i].failed_count);
        member_real(w, "output_value_lost", rows[i].output_value_lost);
        write_demand_impact(w, rows[i].final_demand_lost, rows[i].demand_nodes_failed,
                            w->total);
        row_end(w);
    }
    list_end(w);
}

/* How concentrated the supply of one part is; shares of parks and
 * regions name no group (null) when no supplier has one. */
static void write_concentration(json_writer *w, const cy_wl_concentration *c)
{
    const cy_network *net = w->net;
    row_begin(w);
    member_string(w, "part", net->parts.strings[c->part]);
    member_count(w, "suppliers", c->supplier_count);
    member_count(w, "links", c->link_count);
    member_real(w, "volume", c->volume);
    member_real(w, "hhi", c->hhi);
    member_firm(w, "top_supplier", c->top_supplier);
    member_real(w, "top_supplier_share", c->top_supplier_share);
    member_string(w, "top_park", cy_r_group(net, CY_GROUP_PARK, c->top_park));
    member_real(w, "top_park_share", c->top_park_share);
    member_string(w, "top_region", cy_r_group(net, CY_GROUP_REGION, c->top_region));
    member_real(w, "top_region_share", c->top_region_share);
    row_end(w);
}

/* Local supply of one OEM or cluster: `subject` is "oem" or "cluster"
 * and `id` its id.  The own-region share is null when it has no region. */
static void write_local_row(json_writer *w, const char *subject, const char *id,
                            const cy_wl_local_supply *row, const cy_weaklinks *rep)
{
    row_begin(w);
    member_string(w, subject, id);
    member_string(w, "region", cy_r_group(w->net, CY_GROUP_REGION, row->region));
    member_count(w, "links", row->link_count);
    member_real(w, "inbound_volume", row->inbound_volume);
    member_real(w, "circle_volume", row->circle_volume);
    member_real(w, "circle_share", cy_r_ratio(row->circle_volume, row->inbound_volume));
    member_real(w, "own_region_volume", row->own_region_volume);
    member_real(w, "own_region_share",
                row->region == CY_WL_NONE
                    ? NAN : cy_r_ratio(row->own_region_volume, row->inbound_volume));
    member_real(w, "unknown_region_volume", row->unknown_volume);
    if (rep) {
        member_real(w, "multi_tier_circle_share", rep->multi_tier_share[row->subject]);
        key(w, "survives_outside_cut");
        cy_r_json_bool(w->json, !rep->outside_cut[row->subject]);
    }
    row_end(w);
}

/* The demand nodes that fail in the outside cut. */
static size_t outside_cut_nodes(const cy_network *net, const cy_weaklinks *rep)
{
    size_t count = 0;
    for (size_t i = 0; i < net->enterprise_count; i++)
        count += rep->outside_cut[i] && cy_enterprise_is_demand_node(net, i);
    return count;
}

/* local_supply: the circle rule, the regions it puts in the circle (on
 * one line), then the OEM and cluster lists one row per line. */
static void write_local_supply(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;

    key(w, "local_supply");
    cy_r_json_object_begin(w->json, CY_R_JSON_LINES);
    member_string(w, "circle_rule", CY_REPORT_CIRCLE_RULE);
    key(w, "circle_regions");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t g = 0; g < net->group_count[CY_GROUP_REGION]; g++)
        if (rep->region_inside[g])
            put_string(w, net->groups[CY_GROUP_REGION][g].id);
    cy_r_json_array_end(w->json);
    key(w, "outside_regions");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t g = 0; g < net->group_count[CY_GROUP_REGION]; g++)
        if (!rep->region_inside[g])
            put_string(w, net->groups[CY_GROUP_REGION][g].id);
    cy_r_json_array_end(w->json);
    key(w, "outside_cut");
    row_begin(w);
    member_count(w, "failed_count", rep->outside_cut_count);
    write_demand_impact(w, rep->outside_cut_final_demand_lost, outside_cut_nodes(net, rep),
                        w->total);
    row_end(w);
    list_begin(w, "oems");
    for (size_t i = 0; i < rep->local_oem_count; i++)
        write_local_row(w, "oem", net->enterprises[rep->local_oem[i].subject].id,
                        &rep->local_oem[i], rep);
    list_end(w);
    list_begin(w, "clusters");
    for (size_t i = 0; i < rep->local_cluster_count; i++)
        write_local_row(w, "cluster",
                        net->groups[CY_GROUP_CLUSTER][rep->local_cluster[i].subject].id,
                        &rep->local_cluster[i], NULL);
    list_end(w);
    cy_r_json_object_end(w->json);
}

/* The region of firm i, or NULL. */
static const char *firm_region(const cy_network *net, size_t i)
{
    long region = cy_i_enterprise_region(net, i);
    return region >= 0 ? net->groups[CY_GROUP_REGION][region].id : NULL;
}

/* outside_chokepoints: per demand node, the outside firms that alone stop
 * it, each with its impact, on one line. */
static void write_outside(json_writer *w, const cy_weaklinks *rep, size_t top)
{
    const cy_network *net = w->net;
    size_t shown = cy_r_limit(rep->outside_count, top);
    list_begin(w, "outside_chokepoints");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_outside *o = &rep->outside[i];
        row_begin(w);
        member_firm(w, "demand_node", o->node);
        member_string(w, "region", firm_region(net, o->node));
        member_real(w, "final_demand", o->final_demand);
        member_real(w, "multi_tier_circle_share", o->multi_tier_share);
        key(w, "survives_outside_cut");
        cy_r_json_bool(w->json, o->survives_outside_cut);
        key(w, "chokepoints");
        cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
        for (size_t k = 0; k < o->chokepoint_count; k++) {
            row_begin(w);
            member_firm(w, "id", o->chokepoints[k].firm);
            member_string(w, "region", firm_region(net, o->chokepoints[k].firm));
            write_wl_impact(w, &o->chokepoints[k].impact, w->total);
            row_end(w);
        }
        cy_r_json_array_end(w->json);
        row_end(w);
    }
    list_end(w);
}

/* region_dependence: the regions by id, their final demand, and the
 * matrix one row (failing region) per line. */
static void write_region_dependence(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;
    size_t regions = net->group_count[CY_GROUP_REGION];
    key(w, "region_dependence");
    cy_r_json_object_begin(w->json, CY_R_JSON_LINES);
    key(w, "regions");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t g = 0; g < regions; g++)
        put_string(w, net->groups[CY_GROUP_REGION][rep->region_order[g]].id);
    cy_r_json_array_end(w->json);
    key(w, "final_demand");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t g = 0; g < regions; g++)
        cy_r_json_real(w->json, rep->region_final_demand[rep->region_order[g]]);
    cy_r_json_array_end(w->json);
    list_begin(w, "matrix");
    for (size_t a = 0; a < regions; a++) {
        cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
        for (size_t b = 0; b < regions; b++)
            cy_r_json_real(w->json, rep->region_dependence[rep->region_order[a] * regions +
                                                           rep->region_order[b]]);
        cy_r_json_array_end(w->json);
    }
    list_end(w);
    cy_r_json_object_end(w->json);
}

/*
 * cross_region, on one line: the two pole-to-pole totals (Chengdu to
 * Chongqing and back), the same with the whole Sichuan side of the circle, and every
 * (from, to) region pair ranked by volume (the ranked part: --top applies).
 */
static void write_cross_region(json_writer *w, const cy_weaklinks *rep, size_t top)
{
    const cy_network *net = w->net;
    const double (*v)[CY_CIRCLE_ZONE_COUNT] = rep->cross_volume;
    const size_t (*l)[CY_CIRCLE_ZONE_COUNT] = rep->cross_links;
    size_t shown = cy_r_limit(rep->region_flow_count, top);

    key(w, "cross_region");
    row_begin(w);
    member_real(w, "chengdu_to_chongqing", v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]);
    member_real(w, "chongqing_to_chengdu", v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]);
    member_count(w, "chengdu_to_chongqing_links", l[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING]);
    member_count(w, "chongqing_to_chengdu_links", l[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU]);
    member_real(w, "sichuan_to_chongqing", v[CY_CIRCLE_CHENGDU][CY_CIRCLE_CHONGQING] +
                                               v[CY_CIRCLE_SICHUAN][CY_CIRCLE_CHONGQING]);
    member_real(w, "chongqing_to_sichuan", v[CY_CIRCLE_CHONGQING][CY_CIRCLE_CHENGDU] +
                                               v[CY_CIRCLE_CHONGQING][CY_CIRCLE_SICHUAN]);
    member_real(w, "into_circle", v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHONGQING] +
                                      v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_CHENGDU] +
                                      v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_SICHUAN] +
                                      v[CY_CIRCLE_OUTSIDE][CY_CIRCLE_OTHER]);
    member_real(w, "out_of_circle", v[CY_CIRCLE_CHONGQING][CY_CIRCLE_OUTSIDE] +
                                        v[CY_CIRCLE_CHENGDU][CY_CIRCLE_OUTSIDE] +
                                        v[CY_CIRCLE_SICHUAN][CY_CIRCLE_OUTSIDE] +
                                        v[CY_CIRCLE_OTHER][CY_CIRCLE_OUTSIDE]);
    member_count(w, "flow_count", rep->region_flow_count);
    key(w, "flows");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t k = 0; k < shown; k++) {
        const cy_wl_region_flow *f = &rep->region_flows[k];
        row_begin(w);
        member_string(w, "from", net->groups[CY_GROUP_REGION][f->from_region].id);
        member_string(w, "to", net->groups[CY_GROUP_REGION][f->to_region].id);
        member_count(w, "links", f->link_count);
        member_real(w, "volume", f->volume);
        row_end(w);
    }
    cy_r_json_array_end(w->json);
    row_end(w);
}

/* A backup: its id and where it is (the order's two keys compare these
 * with the current supplier's park and region). */
static void write_backup(json_writer *w, const cy_wl_recommendation *r,
                         const cy_wl_candidate *b)
{
    const cy_network *net = w->net;
    size_t common_cause[CY_WL_MAX_COMMON_CAUSE]; /* the ids, widened */
    const cy_i_enterprise *c = &net->enterprises[b->firm];
    cy_r_shared shared;
    row_begin(w);
    member_firm(w, "id", b->firm);
    member_string(w, "park", c->park >= 0 ? net->groups[CY_GROUP_PARK][c->park].id : NULL);
    member_string(w, "region", firm_region(net, b->firm));
    key(w, "survives");
    cy_r_json_bool(w->json, b->survives);
    key(w, "common_cause");
    for (size_t k = 0; k < b->common_cause_shown; k++)
        common_cause[k] = b->common_cause[k];
    put_id_array(w, common_cause, b->common_cause_shown);
    member_count(w, "common_cause_count", b->common_cause_count);
    key(w, "independent");
    cy_r_json_bool(w->json, b->independent);
    key(w, "same_park");
    cy_r_json_bool(w->json, cy_r_same_park(net, r, b) >= 0);
    cy_r_shared_suppliers(w->shared, r, b, &shared);
    member_count(w, "supplier_count", shared.of);
    key(w, "shared_suppliers");
    put_id_array(w, shared.first, shared.count < CY_WL_MAX_SHARED ? shared.count
                                                                  : CY_WL_MAX_SHARED);
    member_count(w, "shared_supplier_count", shared.count);
    row_end(w);
}

/* A second-source recommendation, its backups on the same line; a single
 * source's customers are its one enterprise. */
static void write_recommendation(json_writer *w, const cy_wl_recommendation *r)
{
    const cy_network *net = w->net;
    row_begin(w);
    member_string(w, "type", cy_weak_type_name(r->type));
    member_firm(w, "enterprise", r->enterprise);
    member_string(w, "part", net->parts.strings[r->part]);
    member_firm(w, "supplier", r->supplier);
    key(w, "customers");
    if (r->type == CY_WEAK_SINGLE_SOURCE)
        put_id_array(w, &r->enterprise, 1);
    else
        put_id_array(w, r->customers, r->customer_count);
    key(w, "oems");
    put_id_array(w, r->oems, r->oem_count);
    member_real(w, "severity", r->severity);
    member_count(w, "backup_count", r->backup_count);
    key(w, "backups");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t k = 0; k < r->backup_shown; k++)
        write_backup(w, r, &r->backups[k]);
    cy_r_json_array_end(w->json);
    member_string(w, "note", cy_r_backup_note(r));
    write_wl_impact(w, &r->impact, w->total);
    row_end(w);
}

/* The summary's counts, one key per line; its weak_links list follows. */
static void write_summary_counts(json_writer *w, const cy_weaklinks *rep)
{
    const cy_network *net = w->net;
    key(w, "summary");
    cy_r_json_object_begin(w->json, CY_R_JSON_LINES);
    member_string(w, "network", net->name);
    member_count(w, "enterprises", net->enterprise_count);
    member_count(w, "links", net->link_count);
    member_real(w, "threshold", rep->threshold);
    member_real(w, "output_value_total", rep->output_value_total);
    member_count(w, "single_source_pairs", rep->single_source_count);
    member_count(w, "unsupplied_requirements", rep->unsupplied_count);
    member_count(w, "chokepoint_pairs", rep->chokepoint_pair_count);
    member_count(w, "chokepoint_firms", rep->chokepoint_firm_count);
    member_count(w, "oems_with_chokepoints", rep->oems_with_chokepoints);
    member_count(w, "articulation_points", rep->articulation_point_count);
    member_count(w, "bridges", rep->bridge_count);
    member_count(w, "concentrated_parts", rep->concentrated_part_count);
    member_count(w, "recommendations", rep->recommendation_count);
    member_count(w, "recommendations_without_backup", rep->no_backup_count);
    member_count(w, "recommendations_without_independent_backup", rep->no_independent_count);
    member_count(w, "weak_articulation_points", rep->weak_articulation_count);
    member_count(w, "weak_bridges", rep->weak_bridge_count);
    member_count(w, "register_firms", rep->register_count);
    member_count(w, "outside_chokepoint_nodes", rep->outside_count);
    member_string(w, "demand_rule", cy_demand_rule_name(cy_network_demand_rule(net)));
    member_string(w, "demand_rule_text", cy_r_demand_rule_text(cy_network_demand_rule(net)));
    member_count(w, "demand_nodes", rep->demand_node_count);
    member_real(w, "final_demand_total", rep->final_demand_total);
    key(w, "single_part");
    cy_r_json_bool(w->json, rep->single_part);
    member_string(w, "part_level_note", rep->single_part ? CY_REPORT_SINGLE_PART : NULL);
    member_count(w, "weak_link_count", rep->weak_link_count);
    member_real(w, "max_severity", rep->weak_link_count ? cy_wl_link_severity(rep, &rep->weak_links[0]) : 0.0);
    member_string(w, "severity_formula", CY_REPORT_SEVERITY_FORMULA);
}

/* One weak link of the ranking; `rank` counts from 1.  Ids a type does
 * not have (a bridge's part, ...) are null; the impact figures are its
 * supplier's (cy_wl_link_impact). */
static void write_weak_link(json_writer *w, const cy_weaklinks *rep, size_t rank,
                            const cy_wl_weak_link *l)
{
    const cy_network *net = w->net;
    const cy_wl_impact *impact = cy_wl_link_impact(rep, l);
    row_begin(w);
    member_count(w, "rank", rank);
    member_string(w, "type", cy_weak_type_name(l->type));
    member_firm(w, "enterprise", cy_wl_id(l->enterprise));
    member_firm(w, "supplier", cy_wl_id(l->supplier));
    member_string(w, "part", cy_r_part(net, cy_wl_id(l->part)));
    member_firm(w, "oem", cy_wl_id(l->oem));
    member_real(w, "volume", l->volume);
    member_count(w, "failed_count", impact->failed_count);
    member_real(w, "output_at_risk", impact->output_value_lost);
    member_real(w, "severity", cy_wl_link_severity(rep, l));
    write_demand_impact(w, impact->final_demand_lost, impact->demand_nodes_failed, w->total);
    row_end(w);
}

/* One row of the risk register; its fix is the recommendation object. */
static void write_register_row(json_writer *w, const cy_weaklinks *rep,
                               const cy_wl_register_row *row)
{
    const cy_network *net = w->net;
    row_begin(w);
    member_firm(w, "id", row->enterprise);
    member_string(w, "name", net->enterprises[row->enterprise].name);
    member_string(w, "region", firm_region(net, row->enterprise));
    key(w, "roles");
    row_begin(w);
    member_count(w, "single_source_pairs", row->single_source_pairs);
    key(w, "chokepoint_of");
    put_id_array(w, row->chokepoint_of, row->chokepoint_of_count);
    key(w, "articulation_point");
    cy_r_json_bool(w->json, row->articulation_point);
    member_count(w, "bridges", row->bridges);
    row_end(w);
    write_wl_impact(w, &row->impact, w->total);
    key(w, "fix");
    if (row->fix == CY_WL_NONE)
        cy_r_json_null(w->json);
    else
        write_recommendation(w, &rep->recommendations[row->fix]);
    row_end(w);
}

/* `by_impact`: the solved firms' ids by their impact over the recovery,
 * largest first (cy_r_time_next). */
static void write_time_by_impact(json_writer *w, const cy_wl_time *t)
{
    key(w, "by_impact");
    cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
    for (size_t at = cy_r_time_next(t, SIZE_MAX); at != SIZE_MAX; at = cy_r_time_next(t, at))
        cy_r_json_enterprise(w->json, w->net, t->rows[at].enterprise);
    cy_r_json_array_end(w->json);
}

/*
 * The time section: the first register firms' stress figures (the keys
 * of `stress -f json`'s disruptions), or available false and the reason.
 * Not written when cy_weaklinks_time did not run.
 */
static void write_time(json_writer *w, const cy_wl_time *t)
{
    if (t->state == CY_WL_TIME_NOT_RUN)
        return;
    key(w, "time");
    cy_r_json_object_begin(w->json, CY_R_JSON_LINES);
    key(w, "available");
    cy_r_json_bool(w->json, t->state == CY_WL_TIME_OK);
    if (t->state != CY_WL_TIME_OK) {
        member_string(w, "reason", t->state == CY_WL_TIME_NO_DATA ? CY_REPORT_TIME_NO_DATA
                                                                  : t->reason);
        cy_r_json_object_end(w->json);
        return;
    }
    member_real(w, "horizon_days", t->horizon_days);
    member_real(w, "default_ttr_days", t->default_ttr_days);
    member_count(w, "firms_shown", t->count);
    member_count(w, "register_firms", t->register_firms);
    key(w, "capped");
    cy_r_json_bool(w->json, t->capped);
    member_count(w, "max_cone", t->max_cone);
    member_count(w, "unsolved", t->unsolved);
    write_time_by_impact(w, t);
    list_begin(w, "firms");
    for (size_t k = 0; k < t->count; k++) {
        const cy_wl_time_row *row = &t->rows[k];
        row_begin(w);
        member_firm(w, "id", row->enterprise);
        key(w, "solved");
        cy_r_json_bool(w->json, row->solved);
        /* Not solved: the recovery time needs no program. */
        if (row->solved)
            cy_r_json_stress_figures(w->json, row->survives, row->tts_days, row->ttr_days,
                                     row->impact, row->impact_fraction, row->exposed);
        else
            member_real(w, "ttr_days", row->ttr_days);
        row_end(w);
    }
    list_end(w);
    cy_r_json_object_end(w->json);
}

cy_status cy_weaklinks_write_json(const cy_network *net,
                                  const cy_weaklinks *rep, size_t top,
                                  FILE *out, cy_error *err)
{
    json_writer writer = {cy_r_json_open(out, "JSON report", err), net,
                          rep->final_demand_total, NULL}, *w = &writer;
    cy_status status;
    size_t shown;

    if (!w->json)
        return CY_ENOMEM;
    /* Made before a byte is written: out of memory then writes nothing. */
    if (!(w->shared = cy_wl_shared_cache_new(net))) {
        cy_r_json_close(w->json, "JSON report", NULL);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    (void)cy_r_json_spell_ids(w->json, net); /* without it: the same bytes, slower */
    cy_r_json_object_begin(w->json, CY_R_JSON_LINES);
    list_begin(w, "register");
    shown = cy_r_limit(rep->register_count, top);
    for (size_t i = 0; i < shown; i++)
        write_register_row(w, rep, &rep->register_rows[i]);
    list_end(w);
    write_time(w, &rep->time);

    list_begin(w, "single_source");
    shown = cy_r_limit(rep->single_source_count, top);
    for (size_t i = 0; i < shown; i++)
        write_single_source(w, &rep->single_source[i]);
    list_end(w);

    list_begin(w, "chokepoints");
    for (size_t i = 0; i < rep->chokepoint_count; i++) {
        row_begin(w);
        member_firm(w, "oem", rep->chokepoints[i].oem);
        key(w, "enterprises");
        put_id_array(w, rep->chokepoints[i].enterprises, rep->chokepoints[i].count);
        row_end(w);
    }
    list_end(w);

    list_begin(w, "articulation_points");
    for (size_t i = 0; i < rep->articulation_point_count; i++)
        cy_r_json_enterprise(w->json, net, rep->articulation_points[i]);
    list_end(w);

    list_begin(w, "bridges");
    for (size_t i = 0; i < rep->bridge_count; i++) {
        cy_r_json_array_begin(w->json, CY_R_JSON_INLINE);
        cy_r_json_enterprise(w->json, net, rep->bridges[i].from);
        cy_r_json_enterprise(w->json, net, rep->bridges[i].to);
        cy_r_json_array_end(w->json);
    }
    list_end(w);

    write_impacts(w, "cascade_impact", "id", CY_GROUP_KIND_COUNT, rep->cascade_impact,
                  rep->cascade_impact_count, top);
    write_impacts(w, "park_impact", "park", CY_GROUP_PARK, rep->park_impact,
                  rep->park_impact_count, top);
    write_impacts(w, "region_impact", "region", CY_GROUP_REGION, rep->region_impact,
                  rep->region_impact_count, top);

    list_begin(w, "concentration");
    shown = cy_r_limit(rep->concentration_count, top);
    for (size_t i = 0; i < shown; i++)
        write_concentration(w, &rep->concentration[i]);
    list_end(w);

    write_local_supply(w, rep);
    write_outside(w, rep, top);
    write_region_dependence(w, rep);
    write_cross_region(w, rep, top);

    list_begin(w, "recommendations");
    shown = cy_r_limit(rep->recommendation_count, top);
    for (size_t i = 0; i < shown; i++)
        write_recommendation(w, &rep->recommendations[i]);
    list_end(w);

    /* The summary's counts, then its ranked weak links one per line. */
    write_summary_counts(w, rep);
    list_begin(w, "weak_links");
    shown = cy_r_limit(rep->weak_link_count, top);
    for (size_t i = 0; i < shown; i++)
        write_weak_link(w, rep, i + 1, &rep->weak_links[i]);
    list_end(w);
    cy_r_json_object_end(w->json);
    cy_r_json_object_end(w->json);
    cy_r_json_raw(w->json, "\n");
    status = cy_r_json_close(w->json, "JSON report", err);
    cy_wl_shared_cache_free(w->shared);
    return status;
}
