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
#include <stdlib.h>
#include <string.h>

/* What the per-firm losses are: one optimal solution's.  The linear
 * program fixes the total loss, not who bears it when firms compete for
 * a scarce part, and a reader quoting one firm's loss must know that
 * (review 16: seres lost 9.5 bn with two other automakers and 2.6 bn
 * alone).  Every format but CSV says it. */
#define SPLIT_NOTE \
    N_("largest losses: the final demand each firm loses in one optimal solution; the " \
       "impact (their total) is unique, its split between firms that compete for a scarce " \
       "part may not be")

/* The --demand-of firms' ids, the first DEMAND_OF_SHOWN joined by ", "
 * and "and N more", as text for the caller's writer to escape: each cut
 * at DEMAND_OF_COLUMNS on a character's boundary with "…" (cy_i_safe_text;
 * a byte cut would leave a broken UTF-8 sequence, which a workbook's XML
 * refuses). */
#define DEMAND_OF_SHOWN 8
/* After the --demand-of firms, in the table and in Markdown (analyst17:
 * "cd-auto-c lasts 52 days" was the firm served alone; with the three
 * automakers counted together it was 11.9). */
#define SERVED_NOTE                                                                      \
    N_("the other firms' outside sales may be given up to serve them: a firm counted "   \
       "alone may last longer than with every firm that matters counted together")
#define DEMAND_OF_COLUMNS 40
#define DEMAND_OF_PIECE (DEMAND_OF_COLUMNS * 4 + 8)
#define DEMAND_OF_TEXT (DEMAND_OF_SHOWN * (DEMAND_OF_PIECE + 4) + 48)
static void demand_of_ids(const cy_network *net, const cy_stress_result *r, char *buf,
                          size_t size)
{
    char piece[DEMAND_OF_PIECE];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->demand_of_count && k < DEMAND_OF_SHOWN && used < size; k++) {
        cy_i_safe_text(piece, sizeof piece, cy_enterprise_id(net, r->demand_of[k]),
                       DEMAND_OF_COLUMNS);
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? _(", ") : "", piece);
    }
    if (r->demand_of_count > DEMAND_OF_SHOWN && used < size)
        snprintf(buf + used, size - used, _(" and %zu more"),
                 r->demand_of_count - DEMAND_OF_SHOWN);
}



/* The entries of a disruption's loss list a writer shows. */
static size_t losses_shown(const cy_stress_disruption *d, size_t top)
{
    return cy_r_limit(d->lost_count, top);
}

static const char *kind_name(int kind)
{
    return kind == CY_STRESS_FIRMS ? "firms" : cy_group_kind_name((cy_group_kind)kind);
}

/* The kind of a disruption for people (kind_name is the JSON's and CSV's). */
static const char *kind_text(int kind)
{
    return kind == CY_STRESS_FIRMS ? _("firms") : _(cy_group_kind_name((cy_group_kind)kind));
}

/* ---- JSON ----------------------------------------------------------------- */

void cy_r_json_stress_figures(cy_r_json *w, int survives, double tts_days, double ttr_days,
                              double impact, double impact_fraction, int exposed)
{
    cy_r_json_key(w, "tts_days");
    if (survives)
        cy_r_json_null(w);
    else
        cy_r_json_real(w, tts_days);
    cy_r_json_member_real(w, "ttr_days", ttr_days);
    cy_r_json_member_real(w, "impact", impact);
    cy_r_json_member_real(w, "impact_fraction", impact_fraction);
    cy_r_json_key(w, "exposed");
    cy_r_json_bool(w, exposed);
}

static void json_disruption(cy_r_json *w, const cy_network *net,
                            const cy_stress_disruption *d, size_t top)
{
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_key(w, "failed");
    cy_r_json_ids(w, net, d->failed, d->failed_count, CY_R_JSON_INLINE);
    if (d->kind != CY_STRESS_FIRMS)
        cy_r_json_member_string(w, kind_name(d->kind), d->id);
    if (d->degraded_count) {
        cy_r_json_key(w, "degraded");
        cy_r_json_array_begin(w, CY_R_JSON_LINES);
        for (size_t k = 0; k < d->degraded_count; k++) {
            cy_r_json_object_begin(w, CY_R_JSON_INLINE);
            cy_r_json_member_string(w, "id", net->enterprises[d->degraded[k].enterprise].id);
            cy_r_json_member_real(w, "capacity_left", d->degraded[k].capacity_left);
            cy_r_json_object_end(w);
        }
        cy_r_json_array_end(w);
    }
    cy_r_json_stress_figures(w, d->survives, d->tts_days, d->ttr_days, d->impact,
                             d->impact_fraction, d->exposed);
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
    if (r->demand_of) {
        cy_r_json_key(w, "demand_of");
        cy_r_json_ids(w, net, r->demand_of, r->demand_of_count, CY_R_JSON_INLINE);
    }
    cy_r_json_member_string(w, "lost_by_firm_note", SPLIT_NOTE);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "stress test", err);
}

/* ---- CSV ------------------------------------------------------------------ */

/* The failed ids in one cell, a list of cy_r_buf_list_item.  NULL on OOM. */
static char *failed_cell(const cy_network *net, const cy_stress_disruption *d)
{
    cy_r_buf buf;
    cy_r_buf_init(&buf);
    cy_r_buf_ids(&buf, net, d->failed, d->failed_count);
    return cy_r_buf_take(&buf);
}

static cy_status write_csv(FILE *out, const cy_network *net, const cy_stress_result *r,
                           const cy_write_options *options, cy_error *err)
{
    cy_r_csv csv;

    cy_r_csv_init(&csv, out, options->csv_raw);
    cy_r_buf ids;

    /* survives and demand_of after the 0.2.0 columns: an empty tts_days
     * then says which of its two meanings it has, and the rows say whose
     * final demand impact counts (every id, ';'-separated as `failed`). */
    cy_r_buf_init(&ids);
    cy_r_buf_ids(&ids, net, r->demand_of, r->demand_of_count);
    if (!cy_r_buf_str(&ids)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the stress test");
        return CY_ENOMEM;
    }
    cy_r_csv_header(&csv, "rank,id,kind,failed_count,failed,tts_days,ttr_days,impact,"
                          "impact_fraction,exposed,largest_loss_id,largest_loss,survives,"
                          "demand_of");
    for (size_t k = 0; k < cy_r_limit(r->count, options->top); k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        char *failed = failed_cell(net, d);
        if (!failed) {
            cy_r_buf_free(&ids);
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
        cy_r_csv_number(&csv, d->survives ? "true" : "false");
        if (r->demand_of)
            cy_r_csv_text(&csv, ids.data);
        else
            cy_r_csv_empty(&csv);
        cy_r_csv_row_end(&csv);
    }
    cy_r_buf_free(&ids);
    return cy_r_stream_status(out, "stress test", err);
}

/* ---- table and Markdown ------------------------------------------------- */

static const char *tts_text(const cy_stress_disruption *d, char *buf, size_t size)
{
    if (d->survives) {
        snprintf(buf, size, "%s", _("survives"));
        return buf;
    }
    return cy_r_days(d->tts_days, buf, size);
}

/* An id for the terminal (escaped, cut), padded to `width` columns. */
static void table_id(FILE *out, const char *id, size_t width)
{
    cy_r_term_text(out, id, width ? width : CY_R_TEXT_COLUMNS, width);
}

/* A firm for people: its id, and its Chinese name after it in Chinese. */
static void doc_firm(cy_r_doc *d, const char *id, size_t i)
{
    const char *zh = cy_language_get() == CY_LANG_ZH ? cy_enterprise_name_zh(d->net, i) : NULL;
    d->ops->text(d, id);
    if (zh) {
        d->ops->text(d, " ");
        d->ops->text(d, zh);
    }
}


static void write_intro(cy_r_doc *d, const cy_stress_result *r, size_t shown)
{
    char total[32], line[512];
    d->ops->text(d, _("Time to survive (TTS): how long the rest of the network keeps serving "
                      "all its final demand with its stock and spare capacity; "));
    d->ops->text(d, _("time to recover (TTR): the longest recovery_days of the failed firms, "
                      "else --days (--ttr: the same for every disruption); impact: the final "
                      "demand lost over the TTR at the best "
                      "reallocation (docs/analyses.md)."));
    d->ops->paragraph_end(d);
    snprintf(line, sizeof line,
             r->demand_of ? _("Horizon %g days; final demand counted %s/year; %zu of %zu "
                              "disruptions shown")
                          : _("Horizon %g days; final demand of the network %s/year; %zu of "
                              "%zu disruptions shown"),
             r->horizon_days, cy_r_amount(d->net, r->total_final_demand, total, sizeof total),
             shown, r->count);
    d->ops->text(d, line);
    if (r->demand_of) {
        d->ops->text(d, _("; the --demand-of firms: "));
        demand_of_ids(d->net, r, line, sizeof line);
        d->ops->text(d, line);
        d->ops->text(d, _(" ("));
        d->ops->text(d, _(SERVED_NOTE));
        d->ops->text(d, _(")"));
    }
    if (r->skipped_count)
        snprintf(line, sizeof line,
                 _("; %zu firms with no customer and no final demand skipped (their failure "
                   "loses nothing)."),
                 r->skipped_count);
    else
        snprintf(line, sizeof line, "%s", _("."));
    d->ops->text(d, line);
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
        d->ops->text(d, k ? _(", ") : "");
        doc_firm(d, dis->lost[k].id, dis->lost[k].enterprise);
        snprintf(d->scratch, sizeof d->scratch, _(" (%s)"),
                 cy_r_amount(d->net, dis->lost[k].lost, amount, sizeof amount));
        d->ops->text(d, d->scratch);
    }
    d->ops->cell_end(d);
}

/* The disruption's cell: its id (a lone firm's Chinese name after it in
 * Chinese), with its kind and size when it is not one firm. */
static void md_disruption(cy_r_doc *d, const cy_stress_disruption *dis)
{
    char buf[128];
    d->ops->cell_begin(d, NAN);
    if (dis->kind == CY_STRESS_FIRMS && dis->failed_count == 1)
        doc_firm(d, dis->id, dis->failed[0]);
    else
        d->ops->text(d, dis->id);
    if (dis->kind != CY_STRESS_FIRMS || dis->failed_count > 1) {
        snprintf(buf, sizeof buf, _(" (%s, %zu firms)"), kind_text(dis->kind),
                 dis->failed_count);
        d->ops->text(d, buf);
    }
    d->ops->cell_end(d);
}

static void write_md_table(cy_r_doc *d, const cy_stress_result *r, size_t top)
{
    char buf[48];
    d->ops->table_begin(d, "disruptions",
                        _("r:rank|l:disruption|r:tts_days|r:ttr_days|r:impact (yuan)|"
                          "r:impact %|l:exposed|l:largest losses"));
    for (size_t k = 0; k < cy_r_limit(r->count, top); k++) {
        const cy_stress_disruption *dis = &r->disruptions[k];
        snprintf(buf, sizeof buf, "%zu", k + 1);
        md_cell(d, buf, (double)k + 1);
        md_disruption(d, dis);
        md_cell(d, tts_text(dis, buf, sizeof buf), dis->survives ? INFINITY : dis->tts_days);
        md_cell(d, cy_r_days(dis->ttr_days, buf, sizeof buf), dis->ttr_days);
        md_cell(d, cy_r_amount(d->net, dis->impact, buf, sizeof buf), dis->impact);
        md_cell(d, cy_r_percent(dis->impact_fraction, buf, sizeof buf), dis->impact_fraction);
        md_cell(d, dis->exposed ? _("yes") : _("no"), NAN);
        md_losses(d, dis, top ? top : 3);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

/* The table's columns: header and least width (terminal columns, which a
 * Chinese header may widen); a negative width is left-aligned. */
typedef struct {
    const char *header;
    int width;
} table_column;

static const table_column table_columns[] = {
    {N_("rank"), 5}, {N_("disruption"), -24}, {N_("tts_days"), 9}, {N_("ttr_days"), 9},
    {N_("impact"), 12}, {N_("impact_%"), 9}, {N_("exposed"), 7}};
#define TABLE_COLUMNS (sizeof table_columns / sizeof *table_columns)

/* Each column's width: its least, or its translated header's. */
static void table_widths(size_t widths[TABLE_COLUMNS])
{
    for (size_t c = 0; c < TABLE_COLUMNS; c++) {
        size_t least = (size_t)abs(table_columns[c].width);
        size_t header = cy_r_term_text(NULL, _(table_columns[c].header), 0, 0);
        widths[c] = header > least ? header : least;
    }
}

/* Cell `c` of a table row, after the space between columns ("  " after
 * the rank): right-aligned, or left-aligned and padded.  Chinese text is
 * padded by terminal columns; English keeps the byte widths its table
 * always had (printf's, where the '¥' of an amount counts two). */
static void table_cell(FILE *out, const size_t widths[TABLE_COLUMNS], size_t c,
                       const char *text)
{
    int left = table_columns[c].width < 0;
    fputs(c == 0 ? "" : c == 1 ? "  " : " ", out);
    if (cy_language_get() == CY_LANG_EN)
        fprintf(out, left ? "%-*s" : "%*s", (int)widths[c], text);
    else if (left)
        cy_r_term_text(out, text, 0, widths[c]);
    else
        cy_r_term_right(out, text, widths[c]);
}

static void table_header(FILE *out, const size_t widths[TABLE_COLUMNS])
{
    for (size_t c = 0; c < TABLE_COLUMNS; c++)
        table_cell(out, widths, c, _(table_columns[c].header));
    fprintf(out, "  %s\n", _("largest losses"));
}

static void table_row(FILE *out, const cy_network *net, const size_t widths[TABLE_COLUMNS],
                      size_t rank, const cy_stress_disruption *d)
{
    char text[32], amount[32];
    snprintf(text, sizeof text, "%zu", rank);
    table_cell(out, widths, 0, text);
    fputs("  ", out);
    table_id(out, d->id, widths[1]);
    table_cell(out, widths, 2, tts_text(d, text, sizeof text));
    table_cell(out, widths, 3, cy_r_days(d->ttr_days, text, sizeof text));
    table_cell(out, widths, 4, cy_r_amount(net, d->impact, text, sizeof text));
    table_cell(out, widths, 5, cy_r_percent(d->impact_fraction, text, sizeof text));
    table_cell(out, widths, 6, d->exposed ? _("yes") : _("no"));
    fputs("  ", out);
    for (size_t q = 0; q < cy_r_limit(d->lost_count, 3); q++) {
        fputs(q ? _(", ") : "", out);
        table_id(out, d->lost[q].id, 0);
        fprintf(out, _(" (%s)"), cy_r_amount(net, d->lost[q].lost, amount, sizeof amount));
    }
    fputc('\n', out);
}

static void write_table(FILE *out, const cy_network *net, const cy_stress_result *r,
                        size_t top)
{
    char amount[32];
    size_t count = cy_r_limit(r->count, top), widths[TABLE_COLUMNS];

    fprintf(out, _("stress test: horizon %g days; final demand %s/year; %zu of %zu "
                   "disruptions shown\n"),
            r->horizon_days, cy_r_amount(net, r->total_final_demand, amount, sizeof amount),
            count, r->count);
    if (r->demand_of) {
        char ids[DEMAND_OF_TEXT];
        demand_of_ids(net, r, ids, sizeof ids);
        fputs(_("final demand counted: only that of the --demand-of firms: "), out);
        cy_r_term_text(out, ids, sizeof ids, 0);
        fputc('\n', out);
        fputs(_(SERVED_NOTE), out);
        fputc('\n', out);
    }
    if (r->skipped_count)
        fprintf(out, _("skipped: %zu firms with no customer and no final demand "
                       "(their failure loses nothing)\n"), r->skipped_count);
    table_widths(widths);
    table_header(out, widths);
    for (size_t k = 0; k < count; k++)
        table_row(out, net, widths, k + 1, &r->disruptions[k]);
    if (count)
        fprintf(out, "%s\n", _(SPLIT_NOTE));
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
        doc.ops->heading(&doc, 1, NULL, _("Stress test"));
        doc.ops->text(&doc, _("Network: "));
        doc.ops->text(&doc, net->name);
        doc.ops->paragraph_end(&doc);
        write_intro(&doc, result, cy_r_limit(result->count, options.top));
        write_md_table(&doc, result, options.top);
        if (result->count) {
            doc.ops->text(&doc, _(SPLIT_NOTE));
            doc.ops->text(&doc, ".");
            doc.ops->paragraph_end(&doc);
        }
        break;
    default:
        write_table(out, net, result, options.top);
        break;
    }
    return cy_r_stream_status(out, "stress test", err);
}

/* ---- xlsx ------------------------------------------------------------------ */

/* The disruption's id, names and kind: a firm's Chinese and English
 * names, a group's name (and no Chinese name). */
static void xlsx_disruption_names(cy_workbook *wb, const cy_network *net,
                                  const cy_stress_disruption *d)
{
    cy_workbook_text(wb, d->id);
    if (d->kind == CY_STRESS_FIRMS) {
        int one = d->failed_count == 1;
        cy_workbook_text(wb, one ? cy_enterprise_name_zh(net, d->failed[0]) : NULL);
        cy_workbook_text(wb, one ? cy_enterprise_name(net, d->failed[0]) : NULL);
    } else {
        cy_workbook_text(wb, NULL);
        cy_workbook_text(wb, cy_group_name(net, (cy_group_kind)d->kind, d->group));
    }
    cy_workbook_text(wb, kind_text(d->kind));
}

static cy_status xlsx_disruptions(cy_workbook *wb, const cy_network *net,
                                  const cy_stress_result *r, size_t top, cy_error *err)
{
    static const cy_xlsx_column columns[] = {
        {N_("rank"), CY_XLSX_INTEGER, 6}, {N_("id"), CY_XLSX_TEXT, 22},
        {"name_zh 中文名称", CY_XLSX_TEXT, 20}, {"name 名称", CY_XLSX_TEXT, 32},
        {"kind 类型", CY_XLSX_TEXT, 8}, {N_("failed_count"), CY_XLSX_INTEGER, 12},
        {N_("failed"), CY_XLSX_TEXT, 30}, {N_("tts_days"), CY_XLSX_NUMBER, 10},
        {N_("survives"), CY_XLSX_BOOLEAN, 9}, {N_("ttr_days"), CY_XLSX_NUMBER, 10},
        {N_("impact"), CY_XLSX_YUAN, 18}, {N_("impact_fraction"), CY_XLSX_PERCENT, 14},
        {N_("exposed"), CY_XLSX_BOOLEAN, 9}, {N_("largest_loss_id"), CY_XLSX_TEXT, 22},
        {N_("largest_loss"), CY_XLSX_YUAN, 18}};
    cy_xlsx_column shown[sizeof columns / sizeof *columns];
    cy_status status = cy_r_xlsx_sheet(wb, "disruptions", columns, shown,
                                       sizeof shown / sizeof *shown, err);

    for (size_t k = 0; status == CY_OK && k < cy_r_limit(r->count, top); k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        char *failed = failed_cell(net, d);
        if (!failed) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the stress test");
            return CY_ENOMEM;
        }
        cy_workbook_number(wb, (double)(k + 1));
        xlsx_disruption_names(wb, net, d);
        cy_workbook_number(wb, (double)d->failed_count);
        cy_workbook_text(wb, failed);
        cy_free(failed);
        if (d->survives)
            cy_workbook_blank(wb);
        else
            cy_workbook_number(wb, d->tts_days);
        cy_workbook_boolean(wb, d->survives);
        cy_workbook_number(wb, d->ttr_days);
        cy_workbook_number(wb, d->impact);
        cy_workbook_number(wb, d->impact_fraction);
        cy_workbook_boolean(wb, d->exposed);
        cy_workbook_text(wb, d->lost_count ? d->lost[0].id : NULL);
        if (d->lost_count)
            cy_workbook_number(wb, d->lost[0].lost);
        else
            cy_workbook_blank(wb);
        cy_workbook_row_end(wb);
    }
    return status;
}

/* One row per firm that loses, per disruption shown (at most `top` each). */
static cy_status xlsx_losses(cy_workbook *wb, const cy_network *net,
                             const cy_stress_result *r, size_t top, cy_error *err)
{
    static const cy_xlsx_column columns[] = {
        {N_("rank"), CY_XLSX_INTEGER, 6}, {N_("disruption"), CY_XLSX_TEXT, 22},
        {N_("id"), CY_XLSX_TEXT, 22}, {"name_zh 中文名称", CY_XLSX_TEXT, 20},
        {"name 名称", CY_XLSX_TEXT, 32}, {N_("lost"), CY_XLSX_YUAN, 18},
        {N_("share_of_impact"), CY_XLSX_PERCENT, 14}};
    cy_xlsx_column shown[sizeof columns / sizeof *columns];
    cy_status status = cy_r_xlsx_sheet(wb, "losses", columns, shown,
                                       sizeof shown / sizeof *shown, err);

    for (size_t k = 0; status == CY_OK && k < cy_r_limit(r->count, top); k++) {
        const cy_stress_disruption *d = &r->disruptions[k];
        for (size_t q = 0; q < losses_shown(d, top); q++) {
            size_t i = d->lost[q].enterprise;
            cy_workbook_number(wb, (double)(k + 1));
            cy_workbook_text(wb, d->id);
            cy_workbook_text(wb, d->lost[q].id);
            cy_workbook_text(wb, cy_enterprise_name_zh(net, i));
            cy_workbook_text(wb, cy_enterprise_name(net, i));
            cy_workbook_number(wb, d->lost[q].lost);
            if (d->impact > 0)
                cy_workbook_number(wb, d->lost[q].lost / d->impact);
            else
                cy_workbook_blank(wb);
            cy_workbook_row_end(wb);
        }
    }
    return status;
}

static cy_status xlsx_skipped(cy_workbook *wb, const cy_network *net,
                              const cy_stress_result *r, cy_error *err)
{
    static const cy_xlsx_column columns[] = {
        {N_("id"), CY_XLSX_TEXT, 22}, {"name_zh 中文名称", CY_XLSX_TEXT, 20},
        {"name 名称", CY_XLSX_TEXT, 32}};
    cy_xlsx_column shown[3];
    cy_status status = CY_OK;

    if (r->skipped_count)
        status = cy_r_xlsx_sheet(wb, "skipped", columns, shown, 3, err);
    for (size_t k = 0; status == CY_OK && k < r->skipped_count; k++) {
        cy_workbook_text(wb, cy_enterprise_id(net, r->skipped[k]));
        cy_workbook_text(wb, cy_enterprise_name_zh(net, r->skipped[k]));
        cy_workbook_text(wb, cy_enterprise_name(net, r->skipped[k]));
        cy_workbook_row_end(wb);
    }
    return status;
}

cy_status cy_stress_write_xlsx(const cy_network *net, const cy_stress_result *result,
                               size_t top, FILE *out, cy_error *err)
{
    static const char *const notes[] = {
        N_("disruptions: one row per disruption, ranked by impact (ties by id); tts_days "
           "(time to survive) is empty and survives TRUE when the network serves all its "
           "final demand for the whole horizon"),
        N_("ttr_days: the longest recovery_days of the failed firms, else --days (--ttr: the "
           "same for every disruption); impact: the final demand lost over the ttr_days at the best reallocation (yuan), "
           "impact_fraction its share of the network's final demand over that time; exposed: "
           "tts_days < ttr_days"),
        N_("losses: the final demand each firm loses in one optimal solution (the failed "
           "firms' own included), largest first; the total is unique, its split between firms "
           "that compete for a scarce part may not be"),
        N_("skipped: firms with no customer and no final demand (their failure loses "
           "nothing)"),
        N_("the linear programs are written out in docs/analyses.md (chengyu stress)"), NULL};
    char title[DEMAND_OF_TEXT + 256];
    size_t used;
    cy_workbook *wb;
    cy_status status;

    if ((status = cy_workbook_new(&wb, err)) != CY_OK)
        return status;
    status = xlsx_disruptions(wb, net, result, top, err);
    if (status == CY_OK)
        status = xlsx_losses(wb, net, result, top, err);
    if (status == CY_OK)
        status = xlsx_skipped(wb, net, result, err);
    used = (size_t)snprintf(title, sizeof title,
                            _("chengyu stress: time to survive and impact, horizon %g days"),
                            result->horizon_days);
    if (result->demand_of && used < sizeof title) {
        char ids[DEMAND_OF_TEXT];
        demand_of_ids(net, result, ids, sizeof ids);
        snprintf(title + used, sizeof title - used, "%s%s",
                 _("; final demand counted: only that of the --demand-of firms: "), ids);
    }
    if (status == CY_OK)
        status = cy_r_xlsx_about_sheet(wb, net, title, notes, err);
    if (status != CY_OK) {
        cy_workbook_free(wb);
        return status;
    }
    return cy_workbook_write(wb, out, err);
}
