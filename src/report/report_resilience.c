/*
 * report_resilience.c - a robustness curve as CSV or JSON, and the
 * structural weak points (articulation points, bridges, chokepoints) as
 * text lines or JSON.
 */
#include "writer.h"

#include <math.h>

/* ---- curves --------------------------------------------------------------- */

/* The id of removal unit u: an enterprise or a park or region. */
static const char *unit_id(const cy_network *net, const cy_resilience_curve *c, size_t u)
{
    switch (c->by) {
    case CY_BY_PARK: return cy_group_id(net, CY_GROUP_PARK, u);
    case CY_BY_REGION: return cy_group_id(net, CY_GROUP_REGION, u);
    case CY_BY_ENTERPRISE: break;
    }
    return cy_enterprise_id(net, u);
}

/* The units removed between point k - 1 and point k (none at k = 0). */
static void removed_span(const cy_resilience_curve *c, size_t k, size_t *from, size_t *to)
{
    *from = k ? c->points[k - 1].removed : 0;
    *to = c->points[k].removed;
}

/* A count with one trial, a mean with more; NaN (not measured) empty. */
static void csv_count_or_mean(cy_r_csv *csv, double value, size_t trials)
{
    if (trials == 1 && !isnan(value))
        cy_r_csv_count(csv, (size_t)value);
    else
        cy_r_csv_real(csv, value);
}

static void json_count_or_mean(cy_r_json *w, const char *key, double value, size_t trials)
{
    if (trials == 1 && !isnan(value))
        cy_r_json_member_count(w, key, (size_t)value);
    else
        cy_r_json_member_real(w, key, value);
}

/* The removed ids of point k in one cell, ';'-joined and escaped.  0 on
 * OOM. */
static int csv_removed_ids(cy_r_csv *csv, const cy_network *net,
                           const cy_resilience_curve *c, size_t k)
{
    cy_r_buf cell;
    size_t from, to;
    int ok;

    cy_r_buf_init(&cell);
    removed_span(c, k, &from, &to);
    for (size_t q = from; q < to; q++)
        cy_r_buf_list_item(&cell, unit_id(net, c, c->order[q]), q == from);
    ok = cy_r_buf_str(&cell) != NULL;
    cy_r_csv_text(csv, ok ? cell.data : NULL);
    cy_r_buf_free(&cell);
    return ok;
}

#define CURVE_COLUMNS "removed,removed_fraction,lcc,lcc_fraction,output_fraction"
#define IMPACT_COLUMNS "final_demand_lost,final_demand_lost_fraction,demand_nodes_failed," \
                       "failed_count"

/*
 * Columns removed,removed_fraction,lcc,lcc_fraction,output_fraction, then
 * lcc_fraction_sd when there was more than one trial (the columns of
 * earlier versions, in their places), then the impact columns,
 * enterprises_removed for a curve by group, and removed_ids.  With one
 * trial lcc and the counts are whole numbers, as in the JSON; a value not
 * measured is empty.
 */
static cy_status curve_csv(FILE *out, const cy_network *net, const cy_resilience_curve *c,
                           int raw, cy_error *err)
{
    int sd = c->trials > 1, groups = c->by != CY_BY_ENTERPRISE;
    cy_r_csv csv;

    cy_r_csv_init(&csv, out, raw);
    cy_r_csv_header(&csv, sd ? (groups ? CURVE_COLUMNS ",lcc_fraction_sd," IMPACT_COLUMNS
                                         ",enterprises_removed,removed_ids"
                                       : CURVE_COLUMNS ",lcc_fraction_sd," IMPACT_COLUMNS
                                         ",removed_ids")
                             : (groups ? CURVE_COLUMNS "," IMPACT_COLUMNS
                                         ",enterprises_removed,removed_ids"
                                       : CURVE_COLUMNS "," IMPACT_COLUMNS ",removed_ids"));
    for (size_t k = 0; k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        cy_r_csv_count(&csv, p->removed);
        cy_r_csv_real(&csv, p->removed_fraction);
        csv_count_or_mean(&csv, p->lcc, c->trials);
        cy_r_csv_real(&csv, p->lcc_fraction);
        cy_r_csv_real(&csv, p->output_fraction);
        if (sd)
            cy_r_csv_real(&csv, p->lcc_fraction_sd);
        cy_r_csv_real(&csv, p->final_demand_lost);
        cy_r_csv_real(&csv, p->final_demand_lost_fraction);
        csv_count_or_mean(&csv, p->demand_nodes_failed, c->trials);
        csv_count_or_mean(&csv, p->failed_count, c->trials);
        if (groups)
            csv_count_or_mean(&csv, p->enterprises_removed, c->trials);
        if (!csv_removed_ids(&csv, net, c, k)) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the curve");
            return CY_ENOMEM;
        }
        cy_r_csv_row_end(&csv);
    }
    return cy_r_stream_status(out, "curve", err);
}

/* One point: the keys of earlier versions first, then the impact, the
 * members removed (by group) and the removed ids. */
static void point_json(cy_r_json *w, const cy_network *net, const cy_resilience_curve *c,
                       size_t k)
{
    const cy_curve_point *p = &c->points[k];
    size_t from, to;

    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_count(w, "removed", p->removed);
    cy_r_json_member_real(w, "removed_fraction", p->removed_fraction);
    json_count_or_mean(w, "lcc", p->lcc, c->trials);
    cy_r_json_member_real(w, "lcc_fraction", p->lcc_fraction);
    cy_r_json_member_real(w, "output_fraction", p->output_fraction);
    if (c->trials > 1)
        cy_r_json_member_real(w, "lcc_fraction_sd", p->lcc_fraction_sd);
    cy_r_json_member_real(w, "final_demand_lost", p->final_demand_lost);
    cy_r_json_member_real(w, "final_demand_lost_fraction", p->final_demand_lost_fraction);
    json_count_or_mean(w, "demand_nodes_failed", p->demand_nodes_failed, c->trials);
    json_count_or_mean(w, "failed_count", p->failed_count, c->trials);
    if (c->by != CY_BY_ENTERPRISE)
        json_count_or_mean(w, "enterprises_removed", p->enterprises_removed, c->trials);
    cy_r_json_key(w, "removed_ids");
    cy_r_json_array_begin(w, CY_R_JSON_INLINE);
    removed_span(c, k, &from, &to);
    for (size_t q = from; q < to; q++)
        cy_r_json_string(w, unit_id(net, c, c->order[q]));
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
}

/* {"attack", "metric", "trials", "r_index", "critical_fraction", "by",
 *  "demand_rule", "final_demand_total", "removed_ids_trial", "curve"};
 * undefined reals (not measured, an empty network) are null. */
static cy_status curve_json(FILE *out, const cy_network *net, const cy_resilience_curve *c,
                            cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "curve", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_string(w, "attack", cy_attack_name(c->attack));
    cy_r_json_member_string(w, "metric", cy_metric_name(c->metric));
    cy_r_json_member_count(w, "trials", c->trials);
    cy_r_json_member_real(w, "r_index", c->r_index);
    cy_r_json_member_real(w, "critical_fraction", c->critical_fraction);
    cy_r_json_member_string(w, "by", cy_resilience_by_name(c->by));
    cy_r_json_member_string(w, "demand_rule",
                            cy_demand_rule_name(cy_network_demand_rule(net)));
    cy_r_json_member_real(w, "final_demand_total", c->final_demand_total);
    /* removed_ids name one trial's removals: the first. */
    cy_r_json_member_count(w, "removed_ids_trial", 1);
    cy_r_json_key(w, "curve");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < c->point_count; k++)
        point_json(w, net, c, k);
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "curve", err);
}

cy_status cy_resilience_write(const cy_network *net, const cy_resilience_curve *curve,
                              const cy_write_options *given, FILE *out,
                              cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "robustness curve", &options, err);
    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON)
        return curve_json(out, net, curve, err);
    return curve_csv(out, net, curve, options.csv_raw, err);
}

/* ---- structure ------------------------------------------------------------ */

/* {"articulation_points": [...], "bridges": [[from, to]...],
 *  "chokepoints": [{"oem", "enterprises"}...]} */
static cy_status structure_json(FILE *out, const cy_network *net, const cy_structure *s,
                                const cy_single_failures *sf, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "structure", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_key(w, "articulation_points");
    cy_r_json_ids(w, net, s->articulation_points, s->articulation_point_count,
                  CY_R_JSON_LINES);
    cy_r_json_key(w, "bridges");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < s->bridge_count; k++) {
        cy_r_json_array_begin(w, CY_R_JSON_LINES);
        cy_r_json_string(w, cy_enterprise_id(net, s->bridges[k].from));
        cy_r_json_string(w, cy_enterprise_id(net, s->bridges[k].to));
        cy_r_json_array_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_key(w, "chokepoints");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < sf->chokepoint_count; k++) {
        const cy_chokepoint *cp = &sf->chokepoints[k];
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        cy_r_json_member_string(w, "oem", cy_enterprise_id(net, cp->oem));
        cy_r_json_key(w, "enterprises");
        cy_r_json_ids(w, net, cp->enterprises, cp->count, CY_R_JSON_LINES);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "structure", err);
}

static void text_id(FILE *out, const cy_network *net, size_t i)
{
    cy_r_term_text(out, cy_enterprise_id(net, i), CY_R_TEXT_COLUMNS, 0);
}

static void structure_text(FILE *out, const cy_network *net, const cy_structure *s,
                           const cy_single_failures *sf, double threshold)
{
    char number[32];

    fprintf(out, _("articulation points (%zu):"), s->articulation_point_count);
    for (size_t k = 0; k < s->articulation_point_count; k++) {
        fputs(k ? ", " : " ", out);
        text_id(out, net, s->articulation_points[k]);
    }
    fprintf(out, _("\nbridges (%zu):"), s->bridge_count);
    for (size_t k = 0; k < s->bridge_count; k++) {
        fputs(k ? ", " : " ", out);
        text_id(out, net, s->bridges[k].from);
        fputs(" -> ", out);
        text_id(out, net, s->bridges[k].to);
    }
    cy_i_real_spell(number, threshold);
    fprintf(out, _("\nchokepoints (threshold %s), per OEM (%zu):\n"), number,
            sf->chokepoint_count);
    for (size_t k = 0; k < sf->chokepoint_count; k++) {
        const cy_chokepoint *cp = &sf->chokepoints[k];
        fputs("  ", out);
        text_id(out, net, cp->oem);
        fprintf(out, " (%zu):", cp->count);
        for (size_t q = 0; q < cp->count; q++) {
            fputs(q ? ", " : " ", out);
            text_id(out, net, cp->enterprises[q]);
        }
        fprintf(out, "%s\n", cp->count ? "" : _(" none"));
    }
}

cy_status cy_structure_write(const cy_network *net, const cy_structure *structure,
                             const cy_single_failures *singles, double threshold,
                             const cy_write_options *given, FILE *out,
                             cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "structure", &options, err);
    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON)
        return structure_json(out, net, structure, singles, err);
    structure_text(out, net, structure, singles, threshold);
    return cy_r_stream_status(out, "structure", err);
}
