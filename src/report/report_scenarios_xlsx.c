/*
 * report_scenarios_xlsx.c - the comparison of scenarios (chengyu
 * scenarios) as a workbook for the analyst who keeps the supplier lists in
 * Excel: one row per scenario with the CSV's figures (numbers as numbers,
 * yuan and percentage formats), one row per weak link a mitigation
 * removed or created, and an "about" sheet.
 */
#include "writer.h"
#include "report_internal.h"

#include <math.h>

/* The network a scenario runs on, and the weak-link report that applies. */
static const cy_network *net_of(const cy_network *base, const cy_scenario *sc)
{
    return sc->net ? sc->net : base;
}

static const cy_weaklinks *wl_of(const cy_scenarios_result *r, size_t k)
{
    return r->items[k].weaklinks ? r->items[k].weaklinks : r->baseline;
}

/* A number cell, or blank when it is not one (days not given). */
static void number_or_blank(cy_workbook *wb, double x)
{
    if (isnan(x))
        cy_workbook_blank(wb);
    else
        cy_workbook_number(wb, x);
}

/* The six weak-link counts (removed, created per kind), blank without
 * mitigations. */
static void change_counts(cy_workbook *wb, const cy_scenario_outcome *o)
{
    const cy_sc_change *c[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
    for (int q = 0; q < 3; q++) {
        if (!o->weaklinks) {
            cy_workbook_blank(wb);
            cy_workbook_blank(wb);
            continue;
        }
        cy_workbook_number(wb, (double)c[q]->removed_count);
        cy_workbook_number(wb, (double)c[q]->added_count);
    }
}

/* tts_days (blank when it survives), survives, impact, impact_fraction,
 * exposed; all blank when the stress programs did not run. */
static void stress_cells(cy_workbook *wb, const cy_scenario_outcome *o)
{
    if (!o->stressed) {
        for (int q = 0; q < 5; q++)
            cy_workbook_blank(wb);
        return;
    }
    number_or_blank(wb, o->survives ? NAN : o->tts_days);
    cy_workbook_boolean(wb, o->survives);
    cy_workbook_number(wb, o->impact);
    cy_workbook_number(wb, o->impact_fraction);
    cy_workbook_boolean(wb, o->exposed);
}

static void scenario_row(cy_workbook *wb, const cy_network *base, const cy_scenario *sc,
                         const cy_scenarios_result *r, size_t k)
{
    const cy_scenario_outcome *o = &r->items[k];
    const cy_cascade_result *c = &o->cascade;
    const cy_weaklinks *wl = wl_of(r, k);
    cy_workbook_text(wb, sc->name);
    cy_workbook_text(wb, sc->description);
    cy_workbook_text(wb, cy_cascade_model_name(c->model));
    cy_workbook_number(wb, (double)sc->mitigation_count);
    number_or_blank(wb, sc->days);
    cy_workbook_number(wb, (double)c->failed_count);
    cy_workbook_number(wb, (double)c->demand_nodes_failed);
    cy_workbook_number(wb, c->final_demand_lost);
    number_or_blank(wb, cy_r_ratio(c->final_demand_lost, c->final_demand_total));
    cy_workbook_number(wb, c->output_value_lost);
    cy_workbook_text(wb, wl->register_count
                             ? cy_enterprise_id(net_of(base, sc), wl->register_rows[0].enterprise)
                             : NULL);
    number_or_blank(wb, wl->register_count ? wl->register_rows[0].impact.final_demand_lost
                                           : NAN);
    change_counts(wb, o);
    stress_cells(wb, o);
    number_or_blank(wb, o->compared ? o->without_final_demand_lost : NAN);
    number_or_blank(wb, o->without_stressed ? o->without_impact : NAN);
    cy_workbook_row_end(wb);
}

static cy_status scenarios_sheet(cy_workbook *wb, const cy_network *base,
                                 const cy_scenarios *set, const cy_scenarios_result *r,
                                 cy_error *err)
{
    static const cy_xlsx_column columns[] = {
        {"scenario 情景", CY_XLSX_TEXT, 26}, {"description 说明", CY_XLSX_TEXT, 30},
        {N_("model"), CY_XLSX_TEXT, 10}, {N_("mitigations"), CY_XLSX_INTEGER, 11},
        {"days 天数", CY_XLSX_NUMBER, 8}, {N_("failed_count"), CY_XLSX_INTEGER, 12},
        {N_("demand_nodes_failed"), CY_XLSX_INTEGER, 12},
        {N_("final_demand_lost"), CY_XLSX_YUAN, 18},
        {N_("final_demand_lost_fraction"), CY_XLSX_PERCENT, 12},
        {N_("output_value_lost"), CY_XLSX_YUAN, 18}, {N_("top_firm"), CY_XLSX_TEXT, 20},
        {N_("top_firm_final_demand_lost"), CY_XLSX_YUAN, 18},
        {N_("register_removed"), CY_XLSX_INTEGER, 10},
        {N_("register_added"), CY_XLSX_INTEGER, 10},
        {N_("single_source_removed"), CY_XLSX_INTEGER, 10},
        {N_("single_source_added"), CY_XLSX_INTEGER, 10},
        {N_("chokepoints_removed"), CY_XLSX_INTEGER, 10},
        {N_("chokepoints_added"), CY_XLSX_INTEGER, 10}, {N_("tts_days"), CY_XLSX_NUMBER, 10},
        {N_("survives"), CY_XLSX_BOOLEAN, 9}, {N_("impact"), CY_XLSX_YUAN, 18},
        {N_("impact_fraction"), CY_XLSX_PERCENT, 12}, {N_("exposed"), CY_XLSX_BOOLEAN, 9},
        {N_("final_demand_lost_without_mitigations"), CY_XLSX_YUAN, 18},
        {N_("impact_without_mitigations"), CY_XLSX_YUAN, 18}};
    cy_xlsx_column shown[sizeof columns / sizeof *columns];
    cy_status status = cy_r_xlsx_sheet(wb, "scenarios", columns, shown,
                                       sizeof shown / sizeof *shown, err);
    for (size_t k = 0; status == CY_OK && k < r->count; k++)
        scenario_row(wb, base, &set->items[k], r, k);
    return status;
}

/* One row per weak link of one kind a scenario removed or created. */
static void change_rows(cy_workbook *wb, const char *scenario, const char *kind,
                        const char *what, const cy_network *net, int q,
                        const cy_sc_item *items, size_t count)
{
    for (size_t k = 0; k < count; k++) {
        cy_workbook_text(wb, scenario);
        cy_workbook_text(wb, kind);
        cy_workbook_text(wb, what);
        cy_workbook_text(wb, cy_enterprise_id(net, items[k].a));
        cy_workbook_text(wb, q == 1 ? cy_part_name(net, items[k].part) : NULL);
        cy_workbook_text(wb, q ? cy_enterprise_id(net, items[k].b) : NULL);
        cy_workbook_row_end(wb);
    }
}

static cy_status changes_sheet(cy_workbook *wb, const cy_network *base,
                               const cy_scenarios *set, const cy_scenarios_result *r,
                               cy_error *err)
{
    static const cy_xlsx_column columns[] = {
        {"scenario 情景", CY_XLSX_TEXT, 26}, {N_("weak link"), CY_XLSX_TEXT, 18},
        {N_("change"), CY_XLSX_TEXT, 9}, {N_("firm (customer, demand node)"), CY_XLSX_TEXT, 24},
        {N_("part"), CY_XLSX_TEXT, 16}, {N_("supplier, chokepoint"), CY_XLSX_TEXT, 24}};
    static const char *const kinds[3] = {N_("register row"), N_("single-source pair"),
                                         N_("chokepoint")};
    cy_xlsx_column shown[sizeof columns / sizeof *columns];
    cy_status status = cy_r_xlsx_sheet(wb, "weak links", columns, shown,
                                       sizeof shown / sizeof *shown, err);
    for (size_t k = 0; status == CY_OK && k < r->count; k++) {
        const cy_scenario_outcome *o = &r->items[k];
        const cy_sc_change *c[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
        if (!o->weaklinks)
            continue;
        for (int q = 0; q < 3; q++) {
            change_rows(wb, set->items[k].name, _(kinds[q]), _("removed"), base, q,
                        c[q]->removed, c[q]->removed_count);
            change_rows(wb, set->items[k].name, _(kinds[q]), _("created"),
                        net_of(base, &set->items[k]), q, c[q]->added, c[q]->added_count);
        }
    }
    return status;
}

/* The about sheet's last line, with --demand-of: whose final demand the
 * stress columns count. */
static cy_status demand_of_note(cy_workbook *wb, const cy_network *base,
                                const cy_scenarios_result *r, cy_error *err)
{
    cy_r_buf line;
    cy_status status = CY_OK;
    cy_r_buf_init(&line);
    cy_r_buf_puts(&line, _("tts_days ... exposed count only the final demand of "));
    for (size_t q = 0; q < r->demand_of_count; q++) {
        cy_r_buf_puts(&line, q ? _(", ") : "");
        cy_r_buf_puts(&line, cy_enterprise_id(base, r->demand_of[q]));
    }
    cy_r_buf_puts(&line, _(" (--demand-of)"));
    if (cy_r_buf_str(&line)) {
        cy_workbook_text(wb, line.data);
        cy_workbook_row_end(wb);
    } else {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    cy_r_buf_free(&line);
    return status;
}

cy_status cy_scenarios_write_xlsx(const cy_network *base, const cy_scenarios *set,
                                  const cy_scenarios_result *result, FILE *out,
                                  cy_error *err)
{
    static const char *const notes[] = {
        N_("scenarios: one row per scenario of the file, in its order; the figures are those "
           "of the CSV and JSON (docs/scenarios.md, \"What scenarios computes\")"),
        N_("final_demand_lost: the final demand the scenario's cascade stops (yuan per year), "
           "its fraction of the scenario network's total; top_firm: the first row of the risk "
           "register of the scenario's network (after its mitigations)"),
        N_("register_removed ... chokepoints_added: the weak links the mitigations removed and "
           "created against the baseline (empty without mitigations; listed in \"weak "
           "links\")"),
        N_("tts_days ... exposed: the stress programs over the scenario's days, when it gives "
           "days and the network has a volume on every link (empty otherwise; tts_days empty "
           "when the network survives the horizon)"), NULL};
    cy_workbook *wb;
    cy_status status;

    if ((status = cy_workbook_new(&wb, err)) != CY_OK)
        return status;
    status = scenarios_sheet(wb, base, set, result, err);
    if (status == CY_OK)
        status = changes_sheet(wb, base, set, result, err);
    if (status == CY_OK)
        status = cy_r_xlsx_about_sheet(wb, base, _("chengyu scenarios: the comparison"),
                                       notes, err);
    if (status == CY_OK && result->demand_of_count)
        status = demand_of_note(wb, base, result, err);
    if (status != CY_OK) {
        cy_workbook_free(wb);
        return status;
    }
    return cy_workbook_write(wb, out, err);
}
