/*
 * report_cascade.c - one cascade as text lines, JSON or CSV (a row per firm
 * with its output fraction), and a ranked list
 * of failure impacts (cascade --each) as a table, CSV or JSON.
 */
#include "report_internal.h"
#include "writer.h"

#include <math.h>

static void text_id(FILE *out, const char *id)
{
    cy_r_term_text(out, id, CY_R_TEXT_COLUMNS, 0);
}

static void text_ids(FILE *out, const cy_network *net, const size_t *items,
                     size_t count)
{
    for (size_t k = 0; k < count; k++) {
        if (k)
            fputs(", ", out);
        text_id(out, cy_enterprise_id(net, items[k]));
    }
    fputc('\n', out);
}

static void text_group_losses(FILE *out, const cy_network *net, cy_group_kind kind,
                              const cy_group_loss *loss, const char *title)
{
    char amount[32];
    int any = 0;
    fprintf(out, _("%s:"), title);
    for (size_t g = 0; g < cy_network_group_count(net, kind); g++) {
        /* Under the fractional model a group loses without a failure. */
        if (!loss[g].failed_count && !(loss[g].final_demand_lost > 0))
            continue;
        fputs(any ? _(", ") : " ", out);
        text_id(out, cy_group_id(net, kind, g));
        fprintf(out, _(" %zu (%s)"), loss[g].failed_count,
                cy_r_amount(net, loss[g].final_demand_lost, amount, sizeof amount));
        any = 1;
    }
    fprintf(out, "%s\n", any ? "" : _(" none"));
}

/* The firms running below full output without failing, lowest first. */
static void text_reduced(FILE *out, const cy_network *net, const cy_cascade_result *r)
{
    char number[32];
    fprintf(out, _("reduced (%zu):"), r->reduced_count);
    for (size_t k = 0; k < r->reduced_count; k++) {
        fputs(k ? ", " : " ", out);
        text_id(out, cy_enterprise_id(net, r->reduced[k]));
        cy_i_real_spell(number, r->fraction[r->reduced[k]]);
        fprintf(out, " %s", number);
    }
    fprintf(out, "%s\n", r->reduced_count ? "" : _(" none"));
}

static void cascade_text(FILE *out, const cy_network *net,
                         const cy_cascade_result *r, double threshold)
{
    char number[32], lost[32], total[32], share[32];

    cy_i_real_spell(number, threshold);
    fprintf(out, _("model: %s\n"), cy_r_model_word(r->model));
    fprintf(out, _("threshold: %s\n"), number);
    fprintf(out, _("initial (%zu): "), r->initial_count);
    text_ids(out, net, r->initial, r->initial_count);
    for (size_t k = r->initial_count; k < r->failed_count;) {
        size_t end = k;
        while (end < r->failed_count && r->failed_round[end] == r->failed_round[k])
            end++;
        fprintf(out, _("round %zu (%zu): "), r->failed_round[k], end - k);
        text_ids(out, net, r->failed + k, end - k);
        k = end;
    }
    if (r->model == CY_CASCADE_FRACTIONAL)
        text_reduced(out, net, r);
    fprintf(out, _("failed: %zu enterprise%s in %zu round%s\n"), r->failed_count,
            r->failed_count == 1 ? "" : "s", r->rounds, r->rounds == 1 ? "" : "s");
    fprintf(out, _("output value lost: %s of %s (%s)\n"),
            cy_r_amount(net, r->output_value_lost, lost, sizeof lost),
            cy_r_amount(net, r->output_value_total, total, sizeof total),
            cy_r_percent(r->output_value_total > 0
                             ? r->output_value_lost / r->output_value_total : 0.0,
                         share, sizeof share));
    fprintf(out, _("final demand lost: %s of %s (%s); demand nodes failed: %zu\n"),
            cy_r_amount(net, r->final_demand_lost, lost, sizeof lost),
            cy_r_amount(net, r->final_demand_total, total, sizeof total),
            r->final_demand_total > 0
                ? cy_r_percent(r->final_demand_lost / r->final_demand_total, share,
                               sizeof share)
                : _("n/a"),
            r->demand_nodes_failed);
    /* Final demand, as the line above: gross output next to it read as
     * the same measure (review 16); JSON gives both. */
    text_group_losses(out, net, CY_GROUP_PARK, r->by_park,
                      _("by park (firms failed, final demand lost)"));
    text_group_losses(out, net, CY_GROUP_REGION, r->by_region,
                      _("by region (firms failed, final demand lost)"));
    fprintf(out, _("pre-existing gaps, not counted (%zu):"), r->gap_count);
    for (size_t k = 0; k < r->gap_count; k++) {
        fputs(k ? "; " : " ", out);
        text_id(out, cy_enterprise_id(net, r->gaps[k].enterprise));
        fputs(_(" requires \""), out);
        text_id(out, cy_part_name(net, r->gaps[k].part));
        fputc('"', out);
    }
    fprintf(out, "%s\n", r->gap_count ? "" : _(" none"));
}

/* {"<group id>": {"failed_count": n, "output_value_lost": x}} for the
 * groups with at least one failure, in group order. */
static void json_group_losses(cy_r_json *w, const cy_network *net, cy_group_kind kind,
                              const cy_group_loss *loss)
{
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (size_t g = 0; g < cy_network_group_count(net, kind); g++) {
        if (!loss[g].failed_count && !(loss[g].output_value_lost > 0.0) &&
            !(loss[g].final_demand_lost > 0.0))
            continue;
        cy_r_json_key(w, cy_group_id(net, kind, g));
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        cy_r_json_member_count(w, "failed_count", loss[g].failed_count);
        cy_r_json_member_real(w, "output_value_lost", loss[g].output_value_lost);
        cy_r_json_member_real(w, "final_demand_lost", loss[g].final_demand_lost);
        cy_r_json_member_count(w, "demand_nodes_failed", loss[g].demand_nodes_failed);
        cy_r_json_object_end(w);
    }
    cy_r_json_object_end(w);
}

static cy_status cascade_json(FILE *out, const cy_network *net,
                              const cy_cascade_result *r, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "cascade", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_key(w, "initial");
    cy_r_json_ids(w, net, r->initial, r->initial_count, CY_R_JSON_LINES);
    cy_r_json_key(w, "failed");
    cy_r_json_ids(w, net, r->failed, r->failed_count, CY_R_JSON_LINES);
    cy_r_json_member_count(w, "rounds", r->rounds);
    cy_r_json_member_count(w, "failed_count", r->failed_count);
    cy_r_json_member_real(w, "output_value_lost", r->output_value_lost);
    cy_r_json_member_real(w, "output_value_total", r->output_value_total);
    cy_r_json_member_string(w, "model", cy_cascade_model_name(r->model));
    cy_r_json_member_real(w, "final_demand_lost", r->final_demand_lost);
    cy_r_json_member_real(w, "final_demand_total", r->final_demand_total);
    cy_r_json_member_real(w, "final_demand_lost_fraction",
                          r->final_demand_total > 0.0
                              ? r->final_demand_lost / r->final_demand_total : NAN);
    cy_r_json_member_count(w, "demand_nodes_failed", r->demand_nodes_failed);
    cy_r_json_key(w, "reduced");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < r->reduced_count; k++) {
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        cy_r_json_member_string(w, "id", cy_enterprise_id(net, r->reduced[k]));
        cy_r_json_member_real(w, "output_fraction", r->fraction[r->reduced[k]]);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_key(w, "output_fraction");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (size_t v = 0; v < cy_network_enterprise_count(net); v++)
        cy_r_json_member_real(w, cy_enterprise_id(net, v), r->fraction[v]);
    cy_r_json_object_end(w);
    cy_r_json_key(w, "by_park");
    json_group_losses(w, net, CY_GROUP_PARK, r->by_park);
    cy_r_json_key(w, "by_region");
    json_group_losses(w, net, CY_GROUP_REGION, r->by_region);
    cy_r_json_key(w, "gaps");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < r->gap_count; k++) {
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        cy_r_json_member_string(w, "enterprise", cy_enterprise_id(net, r->gaps[k].enterprise));
        cy_r_json_member_string(w, "part", cy_part_name(net, r->gaps[k].part));
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "cascade", err);
}

/* One row per enterprise, in file order: its output fraction, whether
 * it failed and in which round, the final demand it lost. */
static cy_status cascade_csv(FILE *out, const cy_network *net,
                             const cy_cascade_result *r, int raw, cy_error *err)
{
    size_t n = cy_network_enterprise_count(net);
    size_t *round = cy_malloc((n + 1) * sizeof *round);
    cy_r_csv csv;

    if (!round) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the cascade");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < r->failed_count; k++)
        round[r->failed[k]] = r->failed_round[k];
    cy_r_csv_init(&csv, out, raw);
    cy_r_csv_header(&csv, "id,output_fraction,failed,round,final_demand,"
                          "final_demand_lost");
    for (size_t v = 0; v < n; v++) {
        double fd = cy_enterprise_final_demand(net, v), f = r->fraction[v];
        cy_r_csv_text(&csv, cy_enterprise_id(net, v));
        cy_r_csv_real(&csv, f);
        cy_r_csv_count(&csv, f <= 0.0);
        if (f <= 0.0)
            cy_r_csv_count(&csv, round[v]);
        else
            cy_r_csv_empty(&csv);
        cy_r_csv_real(&csv, fd);
        cy_r_csv_real(&csv, fd * (1.0 - f));
        cy_r_csv_row_end(&csv);
    }
    cy_free(round);
    return CY_OK;
}

cy_status cy_cascade_write(const cy_network *net, const cy_cascade_result *result,
                           double threshold, const cy_write_options *given,
                           FILE *out, cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "cascade", &options, err);
    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON)
        return cascade_json(out, net, result, err);
    if (options.format == CY_FORMAT_CSV &&
        (status = cascade_csv(out, net, result, options.csv_raw, err)) != CY_OK)
        return status;
    if (options.format == CY_FORMAT_TEXT)
        cascade_text(out, net, result, threshold);
    return cy_r_stream_status(out, "cascade", err);
}

/* ---- impacts (--each) ------------------------------------------------- */

/* The id of what failed, and the name of its column or key. */
static const char *impact_id(const cy_network *net, cy_group_kind kind, size_t index)
{
    return kind == CY_GROUP_KIND_COUNT ? cy_enterprise_id(net, index)
                                       : cy_group_id(net, kind, index);
}

static const char *impact_key(cy_group_kind kind)
{
    return kind == CY_GROUP_KIND_COUNT ? N_("id") : cy_group_kind_name(kind);
}

/* The share of the network's final demand a failure loses; NaN when the
 * network has none (JSON null, an empty CSV cell, "n/a"). */
static double lost_fraction(const cy_network *net, const cy_impact *impact)
{
    double total = cy_network_final_demand_total(net);
    return total > 0 ? impact->final_demand_lost / total : NAN;
}

static cy_status impacts_json(FILE *out, const cy_network *net, cy_group_kind kind,
                              const cy_impact *impacts, size_t count, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "impacts", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < count; k++) {
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        cy_r_json_member_string(w, impact_key(kind), impact_id(net, kind, impacts[k].index));
        cy_r_json_member_count(w, "failed_count", impacts[k].failed_count);
        cy_r_json_member_real(w, "output_value_lost", impacts[k].output_value_lost);
        cy_r_json_member_real(w, "final_demand_lost", impacts[k].final_demand_lost);
        cy_r_json_member_real(w, "final_demand_lost_fraction",
                              lost_fraction(net, &impacts[k]));
        cy_r_json_member_count(w, "demand_nodes_failed", impacts[k].demand_nodes_failed);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "impacts", err);
}

static void impacts_csv(FILE *out, const cy_network *net, cy_group_kind kind,
                        const cy_impact *impacts, size_t count, int raw)
{
    cy_r_csv csv;
    cy_r_csv_init(&csv, out, raw);
    fputs(impact_key(kind), out);
    cy_r_csv_header(&csv, ",failed_count,output_value_lost,rounds,final_demand_lost,"
                          "final_demand_lost_fraction,demand_nodes_failed");
    for (size_t k = 0; k < count; k++) {
        cy_r_csv_text(&csv, impact_id(net, kind, impacts[k].index));
        cy_r_csv_count(&csv, impacts[k].failed_count);
        cy_r_csv_real(&csv, impacts[k].output_value_lost);
        cy_r_csv_count(&csv, impacts[k].rounds);
        cy_r_csv_real(&csv, impacts[k].final_demand_lost);
        cy_r_csv_real(&csv, lost_fraction(net, &impacts[k]));
        cy_r_csv_count(&csv, impacts[k].demand_nodes_failed);
        cy_r_csv_row_end(&csv);
    }
}

/* Width of the id column of the table; longer ids push the row out. */
#define IMPACT_ID_WIDTH 24

/* A column's width: `least`, or its header's in terminal columns when a
 * translated header is wider. */
static size_t column_width(const char *header, size_t least)
{
    size_t width = cy_r_term_text(NULL, header, 0, 0);
    return width > least ? width : least;
}

static void impacts_text(FILE *out, const cy_network *net, cy_group_kind kind,
                         const cy_impact *impacts, size_t count)
{
    /* The rows are ranked by final demand lost: it comes first; the
     * gross output value, which counts a chain at every tier, last. */
    const char *head[] = {_("rank"), _(impact_key(kind)), _("final_demand_lost"), _("share"),
                          _("demand_nodes_failed"), _("failed_count"),
                          _("output_value_lost (gross)"), _("rounds")};
    size_t w[] = {column_width(head[0], 6), column_width(head[1], IMPACT_ID_WIDTH),
                  column_width(head[2], 18), column_width(head[3], 7),
                  column_width(head[4], 19), column_width(head[5], 12),
                  column_width(head[6], 18), column_width(head[7], 7)};
    char amount[32], share[32];

    cy_r_term_right(out, head[0], w[0]);
    fputs("  ", out);
    cy_r_term_text(out, head[1], 0, w[1]);
    for (size_t c = 2; c < 8; c++) {
        fputc(' ', out);
        cy_r_term_right(out, head[c], w[c]);
    }
    fputc('\n', out);
    for (size_t k = 0; k < count; k++) {
        double fraction = lost_fraction(net, &impacts[k]);
        fprintf(out, "%*zu  ", (int)w[0], k + 1);
        cy_r_term_text(out, impact_id(net, kind, impacts[k].index), CY_R_TEXT_COLUMNS, w[1]);
        fputc(' ', out);
        cy_r_term_right(out, cy_r_amount(net, impacts[k].final_demand_lost, amount,
                                                sizeof amount), w[2]);
        fputc(' ', out);
        cy_r_term_right(out, cy_r_percent(fraction, share, sizeof share), w[3]);
        fprintf(out, " %*zu %*zu ", (int)w[4], impacts[k].demand_nodes_failed, (int)w[5],
                impacts[k].failed_count);
        cy_r_term_right(out, cy_r_amount(net, impacts[k].output_value_lost, amount,
                                                sizeof amount), w[6]);
        fprintf(out, " %*zu\n", (int)w[7], impacts[k].rounds);
    }
}

cy_status cy_impacts_write(const cy_network *net, cy_group_kind kind,
                           const cy_impact *impacts, size_t count,
                           const cy_write_options *given, FILE *out,
                           cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "impact list", &options, err);
    if (status != CY_OK)
        return status;
    if (options.top && options.top < count)
        count = options.top;
    if (options.format == CY_FORMAT_JSON)
        return impacts_json(out, net, kind, impacts, count, err);
    if (options.format == CY_FORMAT_CSV)
        impacts_csv(out, net, kind, impacts, count, options.csv_raw);
    else
        impacts_text(out, net, kind, impacts, count);
    return cy_r_stream_status(out, "impact list", err);
}
