/*
 * report_scenarios.c - the comparison of scenarios (chengyu scenarios) as
 * a table, CSV, JSON, Markdown or HTML: per scenario what fails, the final
 * demand lost, the register's top firms after its mitigations, the change
 * from the baseline, and the weak links its mitigations removed and
 * created.  Every id goes through the output layer's escaper of its
 * format.
 */
#include "writer.h"
#include "report_internal.h"

#include <math.h>

/* The network a scenario runs on, and the weak-link report that applies. */
static const cy_network *sc_net(const cy_network *base, const cy_scenario *sc)
{
    return sc->net ? sc->net : base;
}

static const cy_weaklinks *sc_wl(const cy_scenarios_result *r, size_t k)
{
    return r->items[k].weaklinks ? r->items[k].weaklinks : r->baseline;
}

static size_t choke_pairs(const cy_weaklinks *w)
{
    size_t n = 0;
    for (size_t q = 0; q < w->chokepoint_count; q++)
        n += w->chokepoints[q].count;
    return n;
}

static double ratio(double part, double whole)
{
    return whole > 0.0 ? part / whole : NAN;
}

static size_t top_count(const cy_weaklinks *w, size_t top)
{
    return top < w->register_count ? top : w->register_count;
}

/* ---- JSON -------------------------------------------------------------- */

static void json_top(cy_r_json *w, const cy_network *net, const cy_weaklinks *wl, size_t top)
{
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < top_count(wl, top); k++) {
        const cy_wl_register_row *row = &wl->register_rows[k];
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        cy_r_json_member_string(w, "id", cy_enterprise_id(net, row->enterprise));
        cy_r_json_member_real(w, "final_demand_lost", row->impact.final_demand_lost);
        cy_r_json_member_count(w, "failed_count", row->impact.failed_count);
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
}

static void json_items(cy_r_json *w, const cy_network *net, int kind, const cy_sc_item *items,
                       size_t count)
{
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < count; k++) {
        const cy_sc_item *it = &items[k];
        if (kind == 0) {
            cy_r_json_string(w, cy_enterprise_id(net, it->a));
            continue;
        }
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        if (kind == 1) {
            cy_r_json_member_string(w, "customer", cy_enterprise_id(net, it->a));
            cy_r_json_member_string(w, "part", cy_part_name(net, it->part));
            cy_r_json_member_string(w, "supplier", cy_enterprise_id(net, it->b));
        } else {
            cy_r_json_member_string(w, "demand_node", cy_enterprise_id(net, it->a));
            cy_r_json_member_string(w, "firm", cy_enterprise_id(net, it->b));
        }
        cy_r_json_object_end(w);
    }
    cy_r_json_array_end(w);
}

static void json_changes(cy_r_json *w, const cy_network *base, const cy_network *net,
                         const cy_scenario_outcome *o)
{
    const cy_sc_change *c[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
    static const char *const names[3][2] = {{"register_removed", "register_added"},
                                            {"single_source_removed", "single_source_added"},
                                            {"chokepoints_removed", "chokepoints_added"}};
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (int kind = 0; kind < 3; kind++) {
        cy_r_json_key(w, names[kind][0]);
        json_items(w, base, kind, c[kind]->removed, c[kind]->removed_count);
        cy_r_json_key(w, names[kind][1]);
        json_items(w, net, kind, c[kind]->added, c[kind]->added_count);
    }
    cy_r_json_object_end(w);
}

/* The stress programs over the scenario's days, or null when they did
 * not run. */
static void json_stress(cy_r_json *w, const cy_scenario_outcome *o)
{
    if (!o->stressed) {
        cy_r_json_null(w);
        return;
    }
    cy_r_json_object_begin(w, CY_R_JSON_INLINE);
    cy_r_json_key(w, "survives");
    cy_r_json_bool(w, o->survives);
    cy_r_json_stress_figures(w, o->survives, o->tts_days, o->ttr_days, o->impact,
                             o->impact_fraction, o->exposed);
    cy_r_json_object_end(w);
}

/* The same shock without the mitigations (cy_scenario_outcome.compared),
 * or null. */
static void json_without(cy_r_json *w, const cy_scenario_outcome *o)
{
    if (!o->compared) {
        cy_r_json_null(w);
        return;
    }
    cy_r_json_object_begin(w, CY_R_JSON_INLINE);
    cy_r_json_member_count(w, "failed_count", o->without_failed_count);
    cy_r_json_member_real(w, "final_demand_lost", o->without_final_demand_lost);
    cy_r_json_key(w, "stress");
    if (o->without_stressed) {
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        cy_r_json_key(w, "survives");
        cy_r_json_bool(w, o->without_survives);
        cy_r_json_key(w, "tts_days");
        if (o->without_survives)
            cy_r_json_null(w);
        else
            cy_r_json_real(w, o->without_tts_days);
        cy_r_json_member_real(w, "impact", o->without_impact);
        cy_r_json_object_end(w);
    } else {
        cy_r_json_null(w);
    }
    cy_r_json_object_end(w);
}

static void json_scenario(cy_r_json *w, const cy_network *base, const cy_scenario *sc,
                          const cy_scenarios_result *r, size_t k, size_t top)
{
    const cy_scenario_outcome *o = &r->items[k];
    const cy_cascade_result *c = &o->cascade;
    const cy_network *net = sc_net(base, sc);
    const cy_weaklinks *wl = sc_wl(r, k), *b = r->baseline;

    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_string(w, "name", sc->name);
    cy_r_json_member_string(w, "description", sc->description);
    cy_r_json_member_string(w, "model", cy_cascade_model_name(c->model));
    cy_r_json_member_real(w, "days", sc->days);
    cy_r_json_member_count(w, "mitigations", sc->mitigation_count);
    cy_r_json_key(w, "initial");
    cy_r_json_ids(w, net, c->initial, c->initial_count, CY_R_JSON_INLINE);
    cy_r_json_key(w, "failed");
    cy_r_json_ids(w, net, c->failed, c->failed_count, CY_R_JSON_INLINE);
    cy_r_json_member_count(w, "failed_count", c->failed_count);
    cy_r_json_member_count(w, "demand_nodes_failed", c->demand_nodes_failed);
    cy_r_json_member_real(w, "final_demand_lost", c->final_demand_lost);
    cy_r_json_member_real(w, "final_demand_total", c->final_demand_total);
    cy_r_json_member_real(w, "final_demand_lost_fraction",
                          ratio(c->final_demand_lost, c->final_demand_total));
    cy_r_json_member_real(w, "output_value_lost", c->output_value_lost);
    cy_r_json_member_count(w, "reduced_count", c->reduced_count);
    cy_r_json_key(w, "top");
    json_top(w, net, wl, top);
    cy_r_json_key(w, "vs_baseline");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_real(w, "final_demand_lost", c->final_demand_lost);
    cy_r_json_member_real(w, "final_demand_total",
                          c->final_demand_total - b->final_demand_total);
    cy_r_json_key(w, "register_count");
    cy_r_json_integer(w, (long long)wl->register_count - (long long)b->register_count);
    cy_r_json_key(w, "single_source_count");
    cy_r_json_integer(w, (long long)wl->single_source_count - (long long)b->single_source_count);
    cy_r_json_key(w, "chokepoint_pairs");
    cy_r_json_integer(w, (long long)choke_pairs(wl) - (long long)choke_pairs(b));
    cy_r_json_object_end(w);
    cy_r_json_key(w, "stress");
    json_stress(w, &r->items[k]);
    cy_r_json_member_string(w, "stress_missing", r->items[k].stress_missing);
    cy_r_json_key(w, "without_mitigations");
    json_without(w, &r->items[k]);
    cy_r_json_key(w, "weak_links");
    if (o->weaklinks)
        json_changes(w, base, net, o);
    else
        cy_r_json_null(w);
    cy_r_json_object_end(w);
}

static cy_status scenarios_json(FILE *out, const cy_network *base, const cy_scenarios *set,
                                const cy_scenarios_result *r, size_t top, cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "scenarios", err);
    const cy_weaklinks *b = r->baseline;

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_real(w, "threshold", r->count ? r->items[0].threshold : b->threshold);
    cy_r_json_key(w, "demand_of");
    if (r->demand_of_count)
        cy_r_json_ids(w, base, r->demand_of, r->demand_of_count, CY_R_JSON_INLINE);
    else
        cy_r_json_null(w);
    cy_r_json_key(w, "baseline");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_real(w, "final_demand_total", b->final_demand_total);
    cy_r_json_member_count(w, "register_count", b->register_count);
    cy_r_json_member_count(w, "single_source_count", b->single_source_count);
    cy_r_json_member_count(w, "chokepoint_pairs", choke_pairs(b));
    cy_r_json_key(w, "top");
    json_top(w, base, b, top);
    cy_r_json_object_end(w);
    cy_r_json_key(w, "scenarios");
    cy_r_json_array_begin(w, CY_R_JSON_LINES);
    for (size_t k = 0; k < r->count; k++)
        json_scenario(w, base, &set->items[k], r, k, top);
    cy_r_json_array_end(w);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "scenarios", err);
}

/* ---- CSV --------------------------------------------------------------- */

/* tts_days (empty: survives the horizon), impact, impact_fraction,
 * exposed; all empty when the stress programs did not run. */
static void csv_stress(cy_r_csv *csv, const cy_scenario_outcome *o)
{
    if (!o->stressed) {
        for (int q = 0; q < 4; q++)
            cy_r_csv_empty(csv);
        return;
    }
    if (o->survives)
        cy_r_csv_empty(csv);
    else
        cy_r_csv_real(csv, o->tts_days);
    cy_r_csv_real(csv, o->impact);
    cy_r_csv_real(csv, o->impact_fraction);
    cy_r_csv_text(csv, o->exposed ? "true" : "false");
}

/*
 * One row per scenario.  The last column repeats the --demand-of firms
 * (ids joined by ';', empty without) on every row: tts_days and impact
 * count only their final demand, and a CSV has no other place to say so.
 * The cell is made before the first byte, so running out of memory
 * writes nothing.
 */
static cy_status scenarios_csv(FILE *out, const cy_network *base, const cy_scenarios *set,
                               const cy_scenarios_result *r, size_t top, int raw,
                               cy_error *err)
{
    cy_r_csv csv;
    cy_r_buf demand_of;

    cy_r_buf_init(&demand_of);
    cy_r_buf_ids(&demand_of, base, r->demand_of, r->demand_of_count);
    if (!cy_r_buf_str(&demand_of)) {
        cy_r_buf_free(&demand_of);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the scenario comparison");
        return CY_ENOMEM;
    }
    cy_r_csv_init(&csv, out, raw);
    cy_r_csv_header(&csv, "scenario,model,mitigations,days,failed_count,demand_nodes_failed,"
                          "final_demand_lost,final_demand_lost_fraction,top_firm,"
                          "top_firm_final_demand_lost,register_removed,register_added,"
                          "single_source_removed,single_source_added,chokepoints_removed,"
                          "chokepoints_added,tts_days,impact,impact_fraction,exposed,"
                          "demand_of,final_demand_lost_without_mitigations,"
                          "impact_without_mitigations");
    for (size_t k = 0; k < r->count; k++) {
        const cy_scenario_outcome *o = &r->items[k];
        const cy_weaklinks *wl = sc_wl(r, k);
        const cy_sc_change *c[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
        cy_r_csv_text(&csv, set->items[k].name);
        cy_r_csv_text(&csv, cy_cascade_model_name(o->cascade.model));
        cy_r_csv_count(&csv, set->items[k].mitigation_count);
        if (isnan(set->items[k].days))
            cy_r_csv_empty(&csv);
        else
            cy_r_csv_real(&csv, set->items[k].days);
        cy_r_csv_count(&csv, o->cascade.failed_count);
        cy_r_csv_count(&csv, o->cascade.demand_nodes_failed);
        cy_r_csv_real(&csv, o->cascade.final_demand_lost);
        cy_r_csv_real(&csv, ratio(o->cascade.final_demand_lost, o->cascade.final_demand_total));
        if (top_count(wl, top)) {
            cy_r_csv_text(&csv, cy_enterprise_id(sc_net(base, &set->items[k]),
                                                 wl->register_rows[0].enterprise));
            cy_r_csv_real(&csv, wl->register_rows[0].impact.final_demand_lost);
        } else {
            cy_r_csv_empty(&csv);
            cy_r_csv_empty(&csv);
        }
        for (int q = 0; q < 3; q++) {
            if (!o->weaklinks) {
                cy_r_csv_empty(&csv);
                cy_r_csv_empty(&csv);
                continue;
            }
            cy_r_csv_count(&csv, c[q]->removed_count);
            cy_r_csv_count(&csv, c[q]->added_count);
        }
        csv_stress(&csv, o);
        if (r->demand_of_count)
            cy_r_csv_text(&csv, demand_of.data);
        else
            cy_r_csv_empty(&csv);
        cy_r_csv_real(&csv, o->compared ? o->without_final_demand_lost : NAN);
        cy_r_csv_real(&csv, o->without_stressed ? o->without_impact : NAN);
        cy_r_csv_row_end(&csv);
    }
    cy_r_buf_free(&demand_of);
    return CY_OK;
}

/* ---- documents for people: table, Markdown, HTML ---------------------- */

typedef enum { DOC_TEXT, DOC_MD, DOC_HTML } doc_kind;

static void doc_text(FILE *out, doc_kind kind, const char *s)
{
    if (kind == DOC_MD)
        cy_r_md_text(out, s);
    else if (kind == DOC_HTML)
        cy_r_html_text(out, s, 0);
    else
        cy_r_term_text(out, s, CY_R_TEXT_COLUMNS, 0);
}

static void doc_heading(FILE *out, doc_kind kind, int level, const char *s)
{
    if (kind == DOC_HTML) {
        fprintf(out, "<h%d>", level);
        doc_text(out, kind, s);
        fprintf(out, "</h%d>\n", level);
    } else if (kind == DOC_MD) {
        fprintf(out, "\n%.*s ", level, "####");
        doc_text(out, kind, s);
        fputs("\n\n", out);
    } else {
        fputs(level == 1 ? "" : "\n", out);
        doc_text(out, kind, s);
        fputs("\n", out);
    }
}

/* One "label: value" line (a list item in Markdown and HTML). */
static void doc_line_begin(FILE *out, doc_kind kind, const char *label)
{
    fputs(kind == DOC_HTML ? "<li>" : kind == DOC_MD ? "- " : "  ", out);
    fprintf(out, _("%s: "), label);
}

static void doc_line_end(FILE *out, doc_kind kind)
{
    fputs(kind == DOC_HTML ? "</li>\n" : "\n", out);
}

static void doc_list_begin(FILE *out, doc_kind kind)
{
    if (kind == DOC_HTML)
        fputs("<ul>\n", out);
}

static void doc_list_end(FILE *out, doc_kind kind)
{
    if (kind == DOC_HTML)
        fputs("</ul>\n", out);
}

static void doc_items(FILE *out, doc_kind kind, const cy_network *net, int what,
                      const cy_sc_item *items, size_t count)
{
    if (!count)
        fputs(_("none"), out);
    for (size_t k = 0; k < count; k++) {
        fputs(k ? _("; ") : "", out);
        doc_text(out, kind, cy_enterprise_id(net, items[k].a));
        if (what == 0)
            continue;
        fputs(what == 1 ? _(" buys ") : _(" stopped by "), out);
        if (what == 1) {
            doc_text(out, kind, cy_part_name(net, items[k].part));
            fputs(_(" only from "), out);
        }
        doc_text(out, kind, cy_enterprise_id(net, items[k].b));
    }
}

/* A firm: its id, and in Chinese its Chinese name after it. */
static void doc_firm(FILE *out, doc_kind kind, const cy_network *net, size_t i)
{
    const char *zh = cy_language_get() == CY_LANG_ZH ? cy_enterprise_name_zh(net, i) : NULL;
    doc_text(out, kind, cy_enterprise_id(net, i));
    if (zh) {
        fputc(' ', out);
        doc_text(out, kind, zh);
    }
}

static void doc_changes(FILE *out, doc_kind kind, const cy_network *base,
                        const cy_network *net, const cy_scenario_outcome *o)
{
    const cy_sc_change *c[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
    static const char *const labels[3][2] = {
        {N_("register rows removed (%zu)"), N_("register rows created (%zu)")},
        {N_("single-source pairs removed (%zu)"), N_("single-source pairs created (%zu)")},
        {N_("chokepoints removed (%zu)"), N_("chokepoints created (%zu)")}};
    for (int q = 0; q < 3; q++) {
        char label[96];
        snprintf(label, sizeof label, _(labels[q][0]), c[q]->removed_count);
        doc_line_begin(out, kind, label);
        doc_items(out, kind, base, q, c[q]->removed, c[q]->removed_count);
        doc_line_end(out, kind);
        snprintf(label, sizeof label, _(labels[q][1]), c[q]->added_count);
        doc_line_begin(out, kind, label);
        doc_items(out, kind, net, q, c[q]->added, c[q]->added_count);
        doc_line_end(out, kind);
    }
}

/* "time to survive: 30 days; over the 60 days: ¥1.2 m lost (5.0%),
 * exposed". */
static void doc_stress(FILE *out, doc_kind kind, const cy_network *net,
                       const cy_scenario_outcome *o)
{
    char a[32], p[32], t[32];
    doc_line_begin(out, kind, _("time to survive"));
    if (o->survives)
        fputs(_("beyond the horizon"), out);
    else
        fprintf(out, _("%s days"), cy_r_days(o->tts_days, t, sizeof t));
    fprintf(out, _("; over the %s days, after stock: %s lost (%s of the final demand "
                   "counted over them)"), cy_r_days(o->ttr_days, t, sizeof t),
            cy_r_amount(net, o->impact, a, sizeof a),
            cy_r_percent(o->impact_fraction, p, sizeof p));
    fputs(o->exposed ? _(", exposed") : "", out);
    doc_line_end(out, kind);
}

/* "; the mitigations save ¥100 a year" (or "add ¥100 a year to the
 * loss", "save nothing": equal up to rounding) for a loss of `without`
 * against `with`; `unit` follows the amount. */
static void doc_saving(FILE *out, const cy_network *net, double without, double with,
                       const char *unit)
{
    char a[32];
    double diff = without - with;
    if (fabs(diff) <= 1e-9 * fmax(1.0, fmax(fabs(without), fabs(with))))
        fputs(_("; the mitigations save nothing"), out);
    else if (diff > 0)
        fprintf(out, _("; the mitigations save %s%s"), cy_r_amount(net, diff, a, sizeof a), unit);
    else
        fprintf(out, _("; the mitigations add %s%s to the loss"),
                cy_r_amount(net, -diff, a, sizeof a), unit);
}

/* Firms added by the mitigations named in the comparison's note. */
#define ADDED_SHOWN 3

/* The firms with final demand of the scenario's network that the
 * network as given lacks (the mitigations added them): how many, the
 * first ADDED_SHOWN in out[].  O(firms) id lookups. */
static size_t added_firms(const cy_network *base, const cy_network *net, size_t *out)
{
    size_t count = 0, at;
    for (size_t i = 0; i < cy_network_enterprise_count(net); i++)
        if (cy_enterprise_final_demand(net, i) > 0 &&
            !cy_network_find_enterprise(base, cy_enterprise_id(net, i), &at) &&
            count++ < ADDED_SHOWN)
            out[count - 1] = i;
    return count;
}

/*
 * The same shock on the network as given (cy_scenario_outcome.compared):
 * what the mitigations change under the shock they are meant for, which
 * the weak links they remove do not say (review 16: a second source in
 * the supplier's own park removed four chokepoints and saved nothing in
 * the park's flood).
 */
static void doc_without(FILE *out, doc_kind kind, const cy_network *base,
                        const cy_network *net, const cy_scenario_outcome *o)
{
    char a[32], t[32];
    size_t added[ADDED_SHOWN], count;
    if (!o->compared)
        return;
    doc_line_begin(out, kind, _("without the mitigations"));
    fprintf(out, _("the same shock: failed firms %zu, final demand lost %s a year"),
            o->without_failed_count,
            cy_r_amount(net, o->without_final_demand_lost, a, sizeof a));
    doc_saving(out, net, o->without_final_demand_lost, o->cascade.final_demand_lost,
               _(" a year"));
    if (o->without_stressed) {
        fprintf(out, _("; over the %s days, after stock: %s lost"),
                cy_r_days(o->ttr_days, t, sizeof t), cy_r_amount(net, o->without_impact, a, sizeof a));
        doc_saving(out, net, o->without_impact, o->impact, "");
    }
    /* A firm the mitigations add may have final demand of its own (its
     * output less its deliveries, when the file gives no final_demand),
     * which the scenario's figures count and lose when it fails. */
    if ((count = added_firms(base, net, added)) > 0) {
        fputs(_("; the scenario's figures also count the final demand of the firms its "
                "mitigations add: "), out);
        for (size_t q = 0; q < count && q < ADDED_SHOWN; q++) {
            fputs(q ? _(", ") : "", out);
            doc_firm(out, kind, net, added[q]);
        }
        if (count > ADDED_SHOWN)
            fprintf(out, _(" and %zu more"), count - ADDED_SHOWN);
    }
    doc_line_end(out, kind);
}

static void doc_scenario(FILE *out, doc_kind kind, const cy_network *base,
                         const cy_scenario *sc, const cy_scenarios_result *r, size_t k,
                         size_t top)
{
    const cy_scenario_outcome *o = &r->items[k];
    const cy_cascade_result *c = &o->cascade;
    const cy_network *net = sc_net(base, sc);
    const cy_weaklinks *wl = sc_wl(r, k);
    char a[32], b[32], p[32];

    doc_heading(out, kind, 2, sc->name);
    doc_list_begin(out, kind);
    if (sc->description) {
        doc_line_begin(out, kind, _("description"));
        doc_text(out, kind, sc->description);
        doc_line_end(out, kind);
    }
    doc_line_begin(out, kind, _("model"));
    fprintf(out, _("%s; mitigations: %zu"), cy_r_model_word(c->model),
            sc->mitigation_count);
    doc_line_end(out, kind);
    doc_line_begin(out, kind, _("failed firms"));
    fprintf(out, _("%zu (demand nodes %zu); running reduced: %zu"), c->failed_count,
            c->demand_nodes_failed, c->reduced_count);
    doc_line_end(out, kind);
    doc_line_begin(out, kind, _("final demand lost"));
    /* A rate, not the event's cost: the stress line below gives that
     * (review 16 read "a year, while the shock lasts" as the total). */
    fprintf(out, _("%s a year of the network's %s a year (%s): the rate while the shock "
                   "lasts, before any stock (the cascade)"),
            cy_r_amount(net, c->final_demand_lost, a, sizeof a),
            cy_r_amount(net, c->final_demand_total, b, sizeof b),
            cy_r_percent(ratio(c->final_demand_lost, c->final_demand_total), p, sizeof p));
    /* analyst17 read this rate and the stress line's loss, 14 times apart,
     * as two answers to one question. */
    if (o->stressed)
        fputs(r->demand_of_count
                  ? _("; the time figures below reallocate what is left, count stock and "
                      "only the --demand-of firms' final demand")
                  : _("; the time figures below reallocate what is left and count stock"),
              out);
    doc_line_end(out, kind);
    if (o->stressed) {
        doc_stress(out, kind, net, o);
    } else if (o->stress_missing) {
        doc_line_begin(out, kind, _("time to survive"));
        fputs(_("not computed: "), out);
        doc_text(out, kind, o->stress_missing);
        doc_line_end(out, kind);
    }
    doc_without(out, kind, base, net, o);
    doc_line_begin(out, kind, _("register's top firms"));
    for (size_t q = 0; q < top_count(wl, top); q++) {
        fputs(q ? _(", ") : "", out);
        doc_firm(out, kind, net, wl->register_rows[q].enterprise);
        fprintf(out, _(" (%s)"), cy_r_amount(net, wl->register_rows[q].impact.final_demand_lost,
                                             a, sizeof a));
    }
    fputs(top_count(wl, top) ? "" : _("none"), out);
    doc_line_end(out, kind);
    if (o->weaklinks)
        doc_changes(out, kind, base, net, o);
    doc_list_end(out, kind);
}

static void scenarios_doc(FILE *out, doc_kind kind, const cy_network *base,
                          const cy_scenarios *set, const cy_scenarios_result *r, size_t top)
{
    const cy_weaklinks *b = r->baseline;
    cy_r_doc page;
    char a[32];

    /* The HTML page has the head, style, policy and footer of every
     * chengyu page; its heading names the network. */
    if (kind == DOC_HTML) {
        cy_r_html_page_begin(&page, out, base, top, _("Scenarios: "), cy_network_name(base));
        fputs("</p></header>\n", out);
    } else {
        doc_heading(out, kind, 1, _("Scenarios"));
    }
    doc_list_begin(out, kind);
    doc_line_begin(out, kind, _("baseline"));
    fprintf(out, _("final demand %s; %zu register rows, %zu single-source pairs, "
                   "%zu chokepoint pairs"),
            cy_r_amount(base, b->final_demand_total, a, sizeof a), b->register_count,
            b->single_source_count, choke_pairs(b));
    doc_line_end(out, kind);
    if (r->demand_of_count) {
        doc_line_begin(out, kind, _("time to survive and impact"));
        fputs(_("only the final demand of "), out);
        for (size_t q = 0; q < r->demand_of_count; q++) {
            fputs(q ? _(", ") : "", out);
            doc_firm(out, kind, base, r->demand_of[q]);
        }
        fputs(_(" is counted (--demand-of; the other firms' outside sales may be given up to "
                "serve them)"), out);
        doc_line_end(out, kind);
    }
    doc_list_end(out, kind);
    for (size_t k = 0; k < r->count; k++)
        doc_scenario(out, kind, base, &set->items[k], r, k, top);
    if (kind == DOC_HTML) {
        fputs("<p>", out);
        cy_r_html_page_end(&page);
    }
}

cy_status cy_scenarios_write(const cy_network *base, const cy_scenarios *set,
                             const cy_scenarios_result *result,
                             const cy_write_options *given, FILE *out, cy_error *err)
{
    cy_write_options options;
    size_t top;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON) |
                                               CY_R_FORMAT(CY_FORMAT_MD) |
                                               CY_R_FORMAT(CY_FORMAT_HTML),
                                    "scenario comparison", &options, err);
    if (status != CY_OK)
        return status;
    top = options.top ? options.top : 5;
    if (options.format == CY_FORMAT_JSON)
        return scenarios_json(out, base, set, result, top, err);
    if (options.format == CY_FORMAT_CSV) {
        if ((status = scenarios_csv(out, base, set, result, top, options.csv_raw, err)))
            return status;
    } else {
        scenarios_doc(out, options.format == CY_FORMAT_MD     ? DOC_MD
                           : options.format == CY_FORMAT_HTML ? DOC_HTML
                                                              : DOC_TEXT,
                      base, set, result, top);
    }
    return cy_r_stream_status(out, "scenario comparison", err);
}
