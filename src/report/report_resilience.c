/*
 * report_resilience.c - a robustness curve as CSV or JSON, and the
 * structural weak points (articulation points, bridges, chokepoints) as
 * text lines or JSON.
 */
#include "writer.h"

#include <math.h>

/* ---- curves --------------------------------------------------------------- */

/*
 * Columns exactly removed,removed_fraction,lcc,lcc_fraction,output_fraction
 * and lcc_fraction_sd when there was more than one trial.  With one trial
 * lcc is a count, as in the JSON; output_fraction is empty when not
 * measured.
 */
static void curve_csv(FILE *out, const cy_resilience_curve *c, int raw)
{
    int sd = c->trials > 1;
    cy_r_csv csv;

    cy_r_csv_init(&csv, out, raw);
    cy_r_csv_header(&csv, sd ? "removed,removed_fraction,lcc,lcc_fraction,output_fraction,"
                               "lcc_fraction_sd"
                             : "removed,removed_fraction,lcc,lcc_fraction,output_fraction");
    for (size_t k = 0; k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        cy_r_csv_count(&csv, p->removed);
        cy_r_csv_real(&csv, p->removed_fraction);
        if (sd)
            cy_r_csv_real(&csv, p->lcc);
        else
            cy_r_csv_count(&csv, (size_t)p->lcc);
        cy_r_csv_real(&csv, p->lcc_fraction);
        cy_r_csv_real(&csv, p->output_fraction);
        if (sd)
            cy_r_csv_real(&csv, p->lcc_fraction_sd);
        cy_r_csv_row_end(&csv);
    }
}

/* {"attack", "metric", "trials", "r_index", "critical_fraction", "curve"};
 * undefined reals (not measured, an empty network) are null. */
static cy_status curve_json(FILE *out, const cy_resilience_curve *c, cy_error *err)
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
    cy_r_json_key(w, "curve");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        cy_r_json_member_count(w, "removed", p->removed);
        cy_r_json_member_real(w, "removed_fraction", p->removed_fraction);
        /* One trial: the component size is a count; more: a mean. */
        if (c->trials > 1)
            cy_r_json_member_real(w, "lcc", p->lcc);
        else
            cy_r_json_member_count(w, "lcc", (size_t)p->lcc);
        cy_r_json_member_real(w, "lcc_fraction", p->lcc_fraction);
        cy_r_json_member_real(w, "output_fraction", p->output_fraction);
        if (c->trials > 1)
            cy_r_json_member_real(w, "lcc_fraction_sd", p->lcc_fraction_sd);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "curve", err);
}

cy_status cy_resilience_write(const cy_resilience_curve *curve,
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
        return curve_json(out, curve, err);
    curve_csv(out, curve, options.csv_raw);
    return cy_r_stream_status(out, "curve", err);
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

    fprintf(out, "articulation points (%zu):", s->articulation_point_count);
    for (size_t k = 0; k < s->articulation_point_count; k++) {
        fputs(k ? ", " : " ", out);
        text_id(out, net, s->articulation_points[k]);
    }
    fprintf(out, "\nbridges (%zu):", s->bridge_count);
    for (size_t k = 0; k < s->bridge_count; k++) {
        fputs(k ? ", " : " ", out);
        text_id(out, net, s->bridges[k].from);
        fputs(" -> ", out);
        text_id(out, net, s->bridges[k].to);
    }
    cy_i_real_spell(number, threshold);
    fprintf(out, "\nchokepoints (threshold %s), per OEM (%zu):\n", number,
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
        fprintf(out, "%s\n", cp->count ? "" : " none");
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
