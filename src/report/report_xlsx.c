/*
 * report_xlsx.c - analysis results as .xlsx workbooks, for the people who
 * read them in Excel: one sheet per table, the Chinese name next to every
 * enterprise id, amounts in yuan with thousands separators, fractions as
 * percentages (the cells hold the exact values; only the display rounds).
 * The sheets are written by cy_workbook (src/io/xlsx_write.c).
 */
#include "report_internal.h"

#include <math.h>
#include <string.h>

cy_status cy_r_xlsx_about_sheet(cy_workbook *wb, const cy_network *net, const char *title,
                                const char *const *lines, cy_error *err)
{
    static const cy_xlsx_column columns[] = {{"chengyu", CY_XLSX_TEXT, 110}};
    cy_status status = cy_workbook_sheet(wb, "about", columns, 1, err);
    if (status != CY_OK)
        return status;
    cy_workbook_text(wb, title);
    cy_workbook_row_end(wb);
    cy_workbook_text(wb, cy_network_name(net));
    cy_workbook_row_end(wb);
    for (size_t k = 0; lines && lines[k]; k++) {
        cy_workbook_text(wb, _(lines[k]));
        cy_workbook_row_end(wb);
    }
    return CY_OK;
}

cy_status cy_r_xlsx_sheet(cy_workbook *wb, const char *name, const cy_xlsx_column *columns,
                          cy_xlsx_column *shown, size_t count, cy_error *err)
{
    for (size_t c = 0; c < count; c++) {
        shown[c] = columns[c];
        shown[c].header = _(columns[c].header);
    }
    return cy_workbook_sheet(wb, name, shown, count, err);
}

/* ---- centrality ------------------------------------------------------------ */

static cy_xlsx_format measure_format(const cy_centrality_result *r, size_t k)
{
    if (cy_centrality_measure(r, k) == CY_MEASURE_STRENGTH)
        return CY_XLSX_YUAN;
    return cy_centrality_measure_is_integer(r, k) ? CY_XLSX_INTEGER : CY_XLSX_NUMBER;
}

cy_status cy_centrality_write_xlsx(const cy_network *net, const cy_centrality_result *r,
                                   FILE *out, cy_error *err)
{
    cy_xlsx_column columns[5 + CY_MEASURE_COUNT] = {
        {"rank", CY_XLSX_INTEGER, 6}, {"id", CY_XLSX_TEXT, 20},
        {"name_zh 中文名称", CY_XLSX_TEXT, 20}, {"name 名称", CY_XLSX_TEXT, 36},
        {"kind 类型", CY_XLSX_TEXT, 10}};
    size_t measures = cy_centrality_measure_count(r), n = 5;
    int firms = strcmp(cy_centrality_graph_info(r)->view, "firm") == 0;
    cy_workbook *wb;
    cy_status status;

    for (size_t k = 0; k < measures && k < CY_MEASURE_COUNT; k++) {
        columns[n].header = cy_measure_name(cy_centrality_measure(r, k));
        columns[n].format = measure_format(r, k);
        columns[n++].width = 14;
    }
    if ((status = cy_workbook_new(&wb, err)) != CY_OK)
        return status;
    status = cy_workbook_sheet(wb, "centrality", columns, n, err);
    for (size_t i = 0; status == CY_OK && i < cy_centrality_row_count(r); i++) {
        size_t index = cy_centrality_row_index(r, i);
        cy_workbook_number(wb, (double)(i + 1));
        cy_workbook_text(wb, cy_centrality_row_id(r, i));
        cy_workbook_text(wb, firms ? cy_enterprise_name_zh(net, index) : NULL);
        cy_workbook_text(wb, cy_centrality_row_name(r, i));
        cy_workbook_text(wb, cy_centrality_row_kind(r, i));
        for (size_t k = 0; k < measures; k++) {
            double v = cy_centrality_value(r, i, k);
            if (isfinite(v))
                cy_workbook_number(wb, v);
            else
                cy_workbook_blank(wb);
        }
        cy_workbook_row_end(wb);
    }
    if (status != CY_OK) {
        cy_workbook_free(wb);
        return status;
    }
    return cy_workbook_write(wb, out, err);
}

/* ---- cascade --each -------------------------------------------------------------- */

static double total_output(const cy_network *net)
{
    double total = 0;
    for (size_t i = 0; i < cy_network_enterprise_count(net); i++)
        total += cy_enterprise_output_value(net, i);
    return total;
}

/* Two cells: `amount`, and its share of `total` (blank when there is no
 * total). */
static void amount_and_share(cy_workbook *wb, double amount, double total)
{
    cy_workbook_number(wb, amount);
    if (total > 0)
        cy_workbook_number(wb, amount / total);
    else
        cy_workbook_blank(wb);
}

cy_status cy_impacts_write_xlsx(const cy_network *net, int kind, const cy_impact *impacts,
                                size_t count, FILE *out, cy_error *err)
{
    static const char *const notes[] = {
        N_("each row: what fails downstream when this enterprise (or every firm of the park "
           "or region) fails alone, under the cascade rule of docs/analyses.md"),
        N_("final_demand_lost: the final demand (sales outside the network, yuan per year, "
           "each yuan once) of the failed enterprises, by which the rows are ranked; "
           "share_of_final_demand: that as a fraction of the network's final demand; "
           "demand_nodes_failed: the failed enterprises that have final demand"),
        N_("output_value_lost (gross): the output value (yuan per year) of every failed "
           "enterprise, a chain's value counted at every tier; share_of_output: that as a "
           "fraction of the network's total output value"),
        NULL};
    int firms = kind < 0;
    cy_xlsx_column columns[] = {
        {N_("rank"), CY_XLSX_INTEGER, 6},
        {firms ? N_("id") : kind == CY_GROUP_PARK ? N_("park") : N_("region"), CY_XLSX_TEXT, 22},
        {firms ? "name_zh 中文名称" : "name 名称", CY_XLSX_TEXT, firms ? 20 : 36},
        {firms ? "name 名称" : "members 企业数", firms ? CY_XLSX_TEXT : CY_XLSX_INTEGER,
         firms ? 36 : 10},
        {N_("final_demand_lost"), CY_XLSX_YUAN, 20},
        {N_("share_of_final_demand"), CY_XLSX_PERCENT, 14},
        {N_("demand_nodes_failed"), CY_XLSX_INTEGER, 12},
        {N_("failed_count"), CY_XLSX_INTEGER, 12}, {N_("output_value_lost"), CY_XLSX_YUAN, 20},
        {N_("share_of_output"), CY_XLSX_PERCENT, 14}, {N_("rounds"), CY_XLSX_INTEGER, 8}};
    cy_xlsx_column shown[sizeof columns / sizeof *columns];
    double total = total_output(net), demand = cy_network_final_demand_total(net);
    size_t *members = NULL;
    cy_workbook *wb;
    cy_status status;

    if (!firms && !(members = cy_calloc(cy_network_group_count(net, (cy_group_kind)kind) + 1,
                                        sizeof *members))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; members && i < cy_network_enterprise_count(net); i++) {
        long g = kind == CY_GROUP_PARK ? cy_enterprise_park(net, i) : cy_enterprise_region(net, i);
        if (g >= 0)
            members[g]++;
    }
    if ((status = cy_workbook_new(&wb, err)) != CY_OK) {
        cy_free(members);
        return status;
    }
    status = cy_r_xlsx_sheet(wb, firms ? "enterprises" : kind == CY_GROUP_PARK ? "parks"
                                                                               : "regions",
                             columns, shown, sizeof columns / sizeof *columns, err);
    for (size_t k = 0; status == CY_OK && k < count; k++) {
        size_t i = impacts[k].index;
        cy_workbook_number(wb, (double)(k + 1));
        if (firms) {
            cy_workbook_text(wb, cy_enterprise_id(net, i));
            cy_workbook_text(wb, cy_enterprise_name_zh(net, i));
            cy_workbook_text(wb, cy_enterprise_name(net, i));
        } else {
            cy_workbook_text(wb, cy_group_id(net, (cy_group_kind)kind, i));
            cy_workbook_text(wb, cy_group_name(net, (cy_group_kind)kind, i));
            cy_workbook_number(wb, (double)members[i]);
        }
        amount_and_share(wb, impacts[k].final_demand_lost, demand);
        cy_workbook_number(wb, (double)impacts[k].demand_nodes_failed);
        cy_workbook_number(wb, (double)impacts[k].failed_count);
        amount_and_share(wb, impacts[k].output_value_lost, total);
        cy_workbook_number(wb, (double)impacts[k].rounds);
        cy_workbook_row_end(wb);
    }
    cy_free(members);
    if (status == CY_OK)
        status = cy_r_xlsx_about_sheet(wb, net, _("chengyu cascade --each: single failures, "
                                                  "ranked by final demand lost"), notes, err);
    if (status != CY_OK) {
        cy_workbook_free(wb);
        return status;
    }
    return cy_workbook_write(wb, out, err);
}
