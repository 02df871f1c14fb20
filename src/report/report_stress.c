/*
 * report_stress.c - the stress tests (cy_stress_result) as an aligned
 * table for people, CSV (one row per disruption), JSON and Markdown.
 * docs/cli.md ("stress") lists the columns and keys.  Ids come from files
 * other people send: the table replaces control bytes, CSV quotes (RFC
 * 4180), JSON escapes and Markdown goes through the weak-link report's
 * Markdown back end.
 */
#include "report_internal.h"

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

/* A JSON string as Jansson writes it: `"`, `\` and control bytes escaped. */
static void put_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04X", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* The shortest spelling that reads back as the same double. */
static void put_json_real(FILE *out, double value)
{
    char text[32];
    cy_i_real_text(text, value);
    fputs(text, out);
    if (!strpbrk(text, ".eE"))
        fputs(".0", out); /* a real stays a real for typed readers */
}

static void json_disruption(FILE *out, const cy_network *net,
                            const cy_stress_disruption *d, size_t top)
{
    fputs("    {\n      \"failed\": [", out);
    for (size_t k = 0; k < d->failed_count; k++) {
        fputs(k ? ", " : "", out);
        put_json_string(out, net->enterprises[d->failed[k]].id);
    }
    fputs("],\n", out);
    if (d->kind != CY_STRESS_FIRMS) {
        fprintf(out, "      \"%s\": ", kind_name(d->kind));
        put_json_string(out, d->id);
        fputs(",\n", out);
    }
    fputs("      \"tts_days\": ", out);
    if (d->survives)
        fputs("null", out);
    else
        put_json_real(out, d->tts_days);
    fputs(",\n      \"ttr_days\": ", out);
    put_json_real(out, d->ttr_days);
    fputs(",\n      \"impact\": ", out);
    put_json_real(out, d->impact);
    fputs(",\n      \"impact_fraction\": ", out);
    put_json_real(out, d->impact_fraction);
    fprintf(out, ",\n      \"exposed\": %s,\n      \"lost_by_firm\": [",
            d->exposed ? "true" : "false");
    for (size_t k = 0; k < losses_shown(d, top); k++) {
        fputs(k ? ",\n        {\"id\": " : "\n        {\"id\": ", out);
        put_json_string(out, d->lost[k].id);
        fputs(", \"lost\": ", out);
        put_json_real(out, d->lost[k].lost);
        fputc('}', out);
    }
    fputs(losses_shown(d, top) ? "\n      ]\n    }" : "]\n    }", out);
}

static void write_json(FILE *out, const cy_network *net, const cy_stress_result *r,
                       size_t top)
{
    size_t count = cy_r_limit(r->count, top);

    fputs("{\n  \"horizon_days\": ", out);
    put_json_real(out, r->horizon_days);
    fputs(",\n  \"disruptions\": [", out);
    for (size_t k = 0; k < count; k++) {
        fputs(k ? ",\n" : "\n", out);
        json_disruption(out, net, &r->disruptions[k], top);
    }
    fputs(count ? "\n  ],\n  \"final_demand_total\": " : "],\n  \"final_demand_total\": ", out);
    put_json_real(out, r->total_final_demand);
    fputs(",\n  \"skipped\": [", out);
    for (size_t k = 0; k < r->skipped_count; k++) {
        fputs(k ? ", " : "", out);
        put_json_string(out, net->enterprises[r->skipped[k]].id);
    }
    fputs("]\n}\n", out);
}

/* ---- CSV ------------------------------------------------------------------ */

/* A field, quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
static void csv_field(FILE *out, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

static void csv_real(FILE *out, double value)
{
    char text[32];
    cy_i_real_text(text, value);
    fputs(text, out);
}

/* The failed ids in one field, separated by ';'. */
static void csv_failed(FILE *out, const cy_network *net, const cy_stress_disruption *d)
{
    int quote = 0;
    for (size_t k = 0; k < d->failed_count; k++)
        quote |= strpbrk(net->enterprises[d->failed[k]].id, ",\"\r\n;") != NULL;
    if (quote)
        fputc('"', out);
    for (size_t k = 0; k < d->failed_count; k++) {
        fputs(k ? ";" : "", out);
        for (const char *p = net->enterprises[d->failed[k]].id; *p; p++) {
            if (*p == '"')
                fputc('"', out);
            fputc(*p, out);
        }
    }
    if (quote)
        fputc('"', out);
}

static void write_csv(FILE *out, const cy_network *net, const cy_stress_result *r,
                      size_t top)
{
    fputs("rank,id,kind,failed_count,failed,tts_days,ttr_days,impact,"
          "impact_fraction,exposed,largest_loss_id,largest_loss\n", out);
    for (size_t k = 0; k < cy_r_limit(r->count, top); k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        fprintf(out, "%zu,", k + 1);
        csv_field(out, d->id);
        fprintf(out, ",%s,%zu,", kind_name(d->kind), d->failed_count);
        csv_failed(out, net, d);
        fputc(',', out);
        if (!d->survives)
            csv_real(out, d->tts_days);
        fputc(',', out);
        csv_real(out, d->ttr_days);
        fputc(',', out);
        csv_real(out, d->impact);
        fputc(',', out);
        csv_real(out, d->impact_fraction);
        fprintf(out, ",%s,", d->exposed ? "true" : "false");
        if (d->lost_count) {
            csv_field(out, d->lost[0].id);
            fputc(',', out);
            csv_real(out, d->lost[0].lost);
        } else {
            fputc(',', out);
        }
        fputc('\n', out);
    }
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

/* An id for the terminal: control bytes as '?'. */
static void table_id(FILE *out, const char *id, int width)
{
    int written = 0;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++, written++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
    for (; written < width; written++)
        fputc(' ', out);
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
    d->ops->text(d, cy_r_amount(r->total_final_demand, total, sizeof total));
    d->ops->text(d, " yuan/year; ");
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
        d->ops->text(d, cy_r_amount(dis->lost[k].lost, amount, sizeof amount));
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
        md_cell(d, cy_r_amount(dis->impact, buf, sizeof buf), dis->impact);
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
    fprintf(out, "stress test: horizon %g days; final demand %s yuan/year; %zu of %zu "
                 "disruptions shown\n",
            r->horizon_days, cy_r_amount(r->total_final_demand, amount, sizeof amount),
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
                cy_r_amount(d->impact, impact, sizeof impact),
                cy_r_percent(d->impact_fraction, share, sizeof share),
                d->exposed ? "yes" : "no");
        for (size_t q = 0; q < cy_r_limit(d->lost_count, 3); q++) {
            fputs(q ? ", " : "", out);
            table_id(out, d->lost[q].id, 0);
            fprintf(out, " (%s)", cy_r_amount(d->lost[q].lost, amount, sizeof amount));
        }
        fputc('\n', out);
    }
}

cy_status cy_stress_write(const cy_network *net, const cy_stress_result *result,
                          cy_stress_format format, size_t top, FILE *out,
                          cy_error *err)
{
    cy_r_doc doc;

    switch (format) {
    case CY_STRESS_JSON:
        write_json(out, net, result, top);
        break;
    case CY_STRESS_CSV:
        write_csv(out, net, result, top);
        break;
    case CY_STRESS_MD:
        cy_r_md_doc(&doc, out, net, top);
        doc.ops->heading(&doc, 1, NULL, "Stress test");
        doc.ops->text(&doc, "Network: ");
        doc.ops->text(&doc, net->name);
        doc.ops->paragraph_end(&doc);
        write_intro(&doc, result, cy_r_limit(result->count, top));
        write_md_table(&doc, result, top);
        break;
    default:
        write_table(out, net, result, top);
        break;
    }
    if (ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the stress report failed");
        return CY_EIO;
    }
    return CY_OK;
}
