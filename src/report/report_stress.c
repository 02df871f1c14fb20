/*
 * report_stress.c - the stress tests (cy_stress_result) as an aligned
 * table for people, CSV (one row per disruption), JSON and Markdown, all
 * through the output layer (writer.h).  docs/cli.md ("stress") lists the
 * columns and keys.
 */
#include "report_internal.h"
#include "writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The entries of a disruption's loss list a writer shows. */
static size_t losses_shown(const cy_stress_disruption *d, size_t top)
{
    return cy_r_limit(d->lost_count, top);
}

static const char *kind_name(int kind)
{
    return kind == CY_STRESS_FIRMS ? "firms" : cy_group_kind_name((cy_group_kind)kind);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_disruption(cy_r_json *w, const cy_network *net,
                            const cy_stress_disruption *d, size_t top)
{
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_key(w, "failed");
    cy_r_json_ids(w, net, d->failed, d->failed_count, CY_R_JSON_INLINE);
    if (d->kind != CY_STRESS_FIRMS)
        cy_r_json_member_string(w, kind_name(d->kind), d->id);
    cy_r_json_key(w, "tts_days");
    if (d->survives)
        cy_r_json_null(w);
    else
        cy_r_json_real(w, d->tts_days);
    cy_r_json_member_real(w, "ttr_days", d->ttr_days);
    cy_r_json_member_real(w, "impact", d->impact);
    cy_r_json_member_real(w, "impact_fraction", d->impact_fraction);
    cy_r_json_key(w, "exposed");
    cy_r_json_bool(w, d->exposed);
    cy_r_json_key(w, "lost_by_firm");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < losses_shown(d, top); k++) {
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        cy_r_json_member_string(w, "id", d->lost[k].id);
        cy_r_json_member_real(w, "lost", d->lost[k].lost);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
}

static cy_status write_json(FILE *out, const cy_network *net, const cy_stress_result *r,
                            size_t top, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "stress test", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_real(w, "horizon_days", r->horizon_days);
    cy_r_json_key(w, "disruptions");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < cy_r_limit(r->count, top); k++)
        json_disruption(w, net, &r->disruptions[k], top);
    cy_r_json_array_end(w);
    cy_r_json_member_real(w, "final_demand_total", r->total_final_demand);
    cy_r_json_key(w, "skipped");
    cy_r_json_ids(w, net, r->skipped, r->skipped_count, CY_R_JSON_INLINE);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "stress test", err);
}

/* ---- CSV ------------------------------------------------------------------ */

/* The failed ids in one cell, separated by ';'.  NULL on OOM. */
static char *failed_cell(const cy_network *net, const cy_stress_disruption *d)
{
    cy_r_buf buf;
    cy_r_buf_init(&buf);
    for (size_t k = 0; k < d->failed_count; k++) {
        cy_r_buf_puts(&buf, k ? ";" : "");
        cy_r_buf_puts(&buf, net->enterprises[d->failed[k]].id);
    }
    return cy_r_buf_take(&buf);
}

static cy_status write_csv(FILE *out, const cy_network *net, const cy_stress_result *r,
                           const cy_write_options *options, cy_error *err)
{
    cy_r_csv csv;

    cy_r_csv_init(&csv, out, options->csv_raw);
    cy_r_csv_header(&csv, "rank,id,kind,failed_count,failed,tts_days,ttr_days,impact,"
                          "impact_fraction,exposed,largest_loss_id,largest_loss");
    for (size_t k = 0; k < cy_r_limit(r->count, options->top); k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        char *failed = failed_cell(net, d);
        if (!failed) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the stress test");
            return CY_ENOMEM;
        }
        cy_r_csv_count(&csv, k + 1);
        cy_r_csv_text(&csv, d->id);
        cy_r_csv_text(&csv, kind_name(d->kind));
        cy_r_csv_count(&csv, d->failed_count);
        cy_r_csv_text(&csv, failed);
        cy_free(failed);
        cy_r_csv_real(&csv, d->survives ? NAN : d->tts_days);
        cy_r_csv_real(&csv, d->ttr_days);
        cy_r_csv_real(&csv, d->impact);
        cy_r_csv_real(&csv, d->impact_fraction);
        cy_r_csv_number(&csv, d->exposed ? "true" : "false");
        cy_r_csv_text(&csv, d->lost_count ? d->lost[0].id : NULL);
        cy_r_csv_real(&csv, d->lost_count ? d->lost[0].lost : NAN);
        cy_r_csv_row_end(&csv);
    }
    return cy_r_stream_status(out, "stress test", err);
}

/* ---- table and Markdown ------------------------------------------------- */

/* Days for people: "12.3", "0", "survives" for a TTS beyond the horizon. */
static const char *days_text(double days, char *buf, size_t size)
{
    snprintf(buf, size, "%.3g", days);
    return buf;
}

static const char *tts_text(const cy_stress_disruption *d, char *buf, size_t size)
{
    if (d->survives) {
        snprintf(buf, size, "survives");
        return buf;
    }
    return days_text(d->tts_days, buf, size);
}

/* An id for the terminal (escaped, cut), padded to `width` columns. */
static void table_id(FILE *out, const char *id, size_t width)
{
    cy_r_term_text(out, id, width ? width : CY_R_TEXT_COLUMNS, width);
}

static void write_intro(cy_r_doc *d, const cy_stress_result *r, size_t shown)
{
    char total[32];
    d->ops->text(d, "Time to survive (TTS): how long the rest of the network keeps serving "
                    "all its final demand with its stock and spare capacity; ");
    d->ops->text(d, "time to recover (TTR): the longest recovery_days of the failed firms, "
                    "else --days; impact: the final demand lost over the TTR at the best "
                    "reallocation (docs/analyses.md).");
    d->ops->paragraph_end(d);
    snprintf(d->scratch, sizeof d->scratch, "Horizon %g days; ", r->horizon_days);
    d->ops->text(d, d->scratch);
    d->ops->text(d, "final demand of the network ");
    d->ops->text(d, cy_r_amount(d->net, r->total_final_demand, total, sizeof total));
    d->ops->text(d, "/year; ");
    snprintf(d->scratch, sizeof d->scratch, "%zu of %zu disruptions shown", shown, r->count);
    d->ops->text(d, d->scratch);
    if (r->skipped_count) {
        snprintf(d->scratch, sizeof d->scratch, "; %zu", r->skipped_count);
        d->ops->text(d, d->scratch);
        d->ops->text(d, " firms with no customer and no final demand skipped "
                        "(their failure loses nothing)");
    }
    d->ops->text(d, ".");
    d->ops->paragraph_end(d);
}

static void md_cell(cy_r_doc *d, const char *text, double sort_key)
{
    d->ops->cell_begin(d, sort_key);
    d->ops->text(d, text);
    d->ops->cell_end(d);
}

static void md_losses(cy_r_doc *d, const cy_stress_disruption *dis, size_t limit)
{
    char amount[32];
    d->ops->cell_begin(d, NAN);
    for (size_t k = 0; k < cy_r_limit(dis->lost_count, limit); k++) {
        d->ops->text(d, k ? ", " : "");
        d->ops->text(d, dis->lost[k].id);
        d->ops->text(d, " (");
        d->ops->text(d, cy_r_amount(d->net, dis->lost[k].lost, amount, sizeof amount));
        d->ops->text(d, ")");
    }
    d->ops->cell_end(d);
}

static void write_md_table(cy_r_doc *d, const cy_stress_result *r, size_t top)
{
    char buf[48];
    d->ops->table_begin(d, "disruptions",
                        "r:rank|l:disruption|r:tts_days|r:ttr_days|r:impact (yuan)|"
                        "r:impact %|l:exposed|l:largest losses");
    for (size_t k = 0; k < cy_r_limit(r->count, top); k++) {
        const cy_stress_disruption *dis = &r->disruptions[k];
        snprintf(buf, sizeof buf, "%zu", k + 1);
        md_cell(d, buf, (double)k + 1);
        d->ops->cell_begin(d, NAN);
        d->ops->text(d, dis->id);
        if (dis->kind != CY_STRESS_FIRMS || dis->failed_count > 1) {
            snprintf(buf, sizeof buf, " (%s, %zu firms)", kind_name(dis->kind),
                     dis->failed_count);
            d->ops->text(d, buf);
        }
        d->ops->cell_end(d);
        md_cell(d, tts_text(dis, buf, sizeof buf), dis->survives ? INFINITY : dis->tts_days);
        md_cell(d, days_text(dis->ttr_days, buf, sizeof buf), dis->ttr_days);
        md_cell(d, cy_r_amount(d->net, dis->impact, buf, sizeof buf), dis->impact);
        md_cell(d, cy_r_percent(dis->impact_fraction, buf, sizeof buf), dis->impact_fraction);
        md_cell(d, dis->exposed ? "yes" : "no", NAN);
        md_losses(d, dis, top ? top : 3);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

static void write_table(FILE *out, const cy_network *net, const cy_stress_result *r,
                        size_t top)
{
    char tts[32], ttr[32], impact[32], share[32], amount[32];
    size_t count = cy_r_limit(r->count, top);

    (void)net;
    fprintf(out, "stress test: horizon %g days; final demand %s/year; %zu of %zu "
                 "disruptions shown\n",
            r->horizon_days, cy_r_amount(net, r->total_final_demand, amount, sizeof amount),
            count, r->count);
    if (r->skipped_count)
        fprintf(out, "skipped: %zu firms with no customer and no final demand "
                     "(their failure loses nothing)\n", r->skipped_count);
    fprintf(out, "%5s  %-24s %9s %9s %12s %9s %7s  %s\n", "rank", "disruption",
            "tts_days", "ttr_days", "impact", "impact_%", "exposed", "largest losses");
    for (size_t k = 0; k < count; k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        fprintf(out, "%5zu  ", k + 1);
        table_id(out, d->id, 24);
        fprintf(out, " %9s %9s %12s %9s %7s  ", tts_text(d, tts, sizeof tts),
                days_text(d->ttr_days, ttr, sizeof ttr),
                cy_r_amount(net, d->impact, impact, sizeof impact),
                cy_r_percent(d->impact_fraction, share, sizeof share),
                d->exposed ? "yes" : "no");
        for (size_t q = 0; q < cy_r_limit(d->lost_count, 3); q++) {
            fputs(q ? ", " : "", out);
            table_id(out, d->lost[q].id, 0);
            fprintf(out, " (%s)", cy_r_amount(net, d->lost[q].lost, amount, sizeof amount));
        }
        fputc('\n', out);
    }
}

cy_status cy_stress_write(const cy_network *net, const cy_stress_result *result,
                          const cy_write_options *given, FILE *out, cy_error *err)
{
    cy_write_options options;
    cy_r_doc doc;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON) |
                                               CY_R_FORMAT(CY_FORMAT_MD),
                                    "stress test", &options, err);
    if (status != CY_OK)
        return status;
    switch (options.format) {
    case CY_FORMAT_JSON:
        return write_json(out, net, result, options.top, err);
    case CY_FORMAT_CSV:
        return write_csv(out, net, result, &options, err);
    case CY_FORMAT_MD:
        cy_r_md_doc(&doc, out, net, options.top);
        doc.ops->heading(&doc, 1, NULL, "Stress test");
        doc.ops->text(&doc, "Network: ");
        doc.ops->text(&doc, net->name);
        doc.ops->paragraph_end(&doc);
        write_intro(&doc, result, cy_r_limit(result->count, options.top));
        write_md_table(&doc, result, options.top);
        break;
    default:
        write_table(out, net, result, options.top);
        break;
    }
    return cy_r_stream_status(out, "stress test", err);
}
