/*
 * report_sections.c - what the people-facing reports (Markdown, HTML)
 * show, section by section, written once against the cy_r_doc back-end
 * interface.  The section order and names follow the JSON keys; ranked
 * tables stop after d->top rows and say so.
 */
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void text(cy_r_doc *d, const char *s)
{
    d->ops->text(d, s ? s : "-");
}

static void textf(cy_r_doc *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void textf(cy_r_doc *d, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    d->ops->text(d, buf);
}

static void para(cy_r_doc *d, const char *s)
{
    text(d, s);
    d->ops->paragraph_end(d);
}

static void cell_text(cy_r_doc *d, const char *s)
{
    d->ops->cell_begin(d, NAN);
    text(d, s);
    d->ops->cell_end(d);
}

static void cell_count(cy_r_doc *d, size_t value)
{
    d->ops->cell_begin(d, (double)value);
    textf(d, "%zu", value);
    d->ops->cell_end(d);
}

static void cell_amount(cy_r_doc *d, double value)
{
    d->ops->cell_begin(d, value);
    text(d, cy_r_format_amount(value, d->scratch, sizeof d->scratch));
    d->ops->cell_end(d);
}

static void cell_percent(cy_r_doc *d, double share)
{
    d->ops->cell_begin(d, isnan(share) ? -1.0 : share);
    text(d, cy_r_percent(share, d->scratch, sizeof d->scratch));
    d->ops->cell_end(d);
}

/* A real in the one spelling of every format (cy_i_real_spell). */
static void cell_real(cy_r_doc *d, double value)
{
    d->ops->cell_begin(d, isnan(value) ? -1.0 : value);
    if (isnan(value))
        text(d, "n/a");
    else {
        cy_i_real_spell(d->scratch, value);
        text(d, d->scratch);
    }
    d->ops->cell_end(d);
}

static void cell_enterprise(cy_r_doc *d, size_t i)
{
    cell_text(d, cy_r_enterprise(d->net, i));
}

/* An id followed by its share: "liangjiang 62.5%". */
static void cell_with_share(cy_r_doc *d, const char *id, double share)
{
    d->ops->cell_begin(d, id ? share : -1.0);
    text(d, id);
    if (id) {
        text(d, " ");
        text(d, cy_r_percent(share, d->scratch, sizeof d->scratch));
    }
    d->ops->cell_end(d);
}

static void heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    d->ops->heading(d, level, anchor, title);
}

/* "Title (`key`)" as a level-2 heading anchored at the key. */
static void section(cy_r_doc *d, const char *key, const char *title)
{
    heading(d, 2, key, title);
}

static void shown_note(cy_r_doc *d, size_t shown, size_t count)
{
    if (shown < count) {
        textf(d, "Showing the first %zu of %zu (--top).", shown, count);
        d->ops->paragraph_end(d);
    }
}

static void none(cy_r_doc *d, const char *what)
{
    textf(d, "None: %s.", what);
    d->ops->paragraph_end(d);
}

void cy_r_write_intro(cy_r_doc *d, const cy_weaklinks *r)
{
    char threshold[32];
    cy_i_real_spell(threshold, r->threshold);
    textf(d, "%zu enterprises, %zu links, total output value %s a year; cascade threshold T = %s.",
          d->net->enterprise_count, d->net->link_count,
          cy_r_format_amount(r->output_value_total, d->scratch, sizeof d->scratch), threshold);
    if (d->top)
        textf(d, " Ranked lists show at most %zu entries.", d->top);
    d->ops->paragraph_end(d);
}

static void write_summary(cy_r_doc *d, const cy_weaklinks *r)
{
    static const char *const labels[] = {
        "single-source (enterprise, part) pairs",
        "required parts with no supplier (pre-existing gaps)",
        "(OEM, chokepoint) pairs",
        "distinct chokepoint firms",
        "OEMs with at least one chokepoint",
        "articulation points",
        "bridges",
        "highly concentrated parts (HHI >= 0.25)",
        "recommendations",
        "recommendations with no backup in the network",
        "weak links ranked",
    };
    size_t values[] = {r->single_source_count, r->unsupplied_count,
                       r->chokepoint_pair_count, r->chokepoint_firm_count,
                       r->oems_with_chokepoints, r->articulation_point_count,
                       r->bridge_count, r->concentrated_part_count,
                       r->recommendation_count, r->no_backup_count,
                       r->weak_link_count};
    size_t shown = cy_r_limit(r->weak_link_count, d->top);

    section(d, "summary", "Summary");
    d->ops->table_begin(d, "summary", "l:measure|r:count");
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        cell_text(d, labels[i]);
        cell_count(d, values[i]);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    textf(d, "Severity: %s.", CY_REPORT_SEVERITY_FORMULA);
    d->ops->paragraph_end(d);

    heading(d, 3, "weak_links", "Weak links by severity");
    if (!shown) {
        none(d, "no weak link found");
        return;
    }
    d->ops->table_begin(d, "weak_links",
                        "r:#|l:type|r:severity|r:output at risk|r:firms failed|"
                        "l:enterprise|l:part|l:supplier|l:OEM");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_weak_link *l = &r->weak_links[i];
        cell_count(d, i + 1);
        cell_text(d, cy_weak_type_name(l->type));
        cell_real(d, l->severity);
        cell_amount(d, l->output_at_risk);
        cell_count(d, l->failed_count);
        cell_enterprise(d, l->enterprise);
        cell_text(d, cy_r_part(d->net, l->part));
        cell_enterprise(d, l->type == CY_WEAK_SINGLE_SOURCE || l->type == CY_WEAK_BRIDGE
                               ? l->supplier : CY_WL_NONE);
        cell_enterprise(d, l->oem);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->weak_link_count);
}

static void write_single_source(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->single_source_count, d->top);
    section(d, "single_source", "Single-source pairs");
    para(d, "Required (enterprise, part) pairs with exactly one supplier, ranked by the "
            "output value lost if that supplier fails.");
    if (!shown) {
        none(d, "every required part has two or more suppliers, or none");
        return;
    }
    d->ops->table_begin(d, "single_source",
                        "l:enterprise|l:part|l:supplier|r:volume|r:output at risk");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_single_source *s = &r->single_source[i];
        cell_enterprise(d, s->enterprise);
        cell_text(d, cy_r_part(d->net, s->part));
        cell_enterprise(d, s->supplier);
        cell_amount(d, s->volume);
        cell_amount(d, s->output_at_risk);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->single_source_count);
}

static void write_structure(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_network *net = d->net;
    char threshold[32];
    cy_i_real_spell(threshold, r->threshold);
    section(d, "chokepoints", "Chokepoints");
    textf(d, "Per OEM, the firms whose failure alone stops it under the cascade rule "
             "(threshold %s).", threshold);
    d->ops->paragraph_end(d);
    if (!r->chokepoint_count) {
        none(d, "the network has no OEM");
    } else {
        d->ops->table_begin(d, "chokepoints", "l:OEM|r:count|l:chokepoints");
        for (size_t i = 0; i < r->chokepoint_count; i++) {
            const cy_chokepoint *c = &r->chokepoints[i];
            cell_enterprise(d, c->oem);
            cell_count(d, c->count);
            d->ops->cell_begin(d, NAN);
            if (!c->count)
                text(d, "none");
            for (size_t k = 0; k < c->count; k++) {
                if (k)
                    text(d, ", ");
                text(d, net->enterprises[c->enterprises[k]].id);
            }
            d->ops->cell_end(d);
            d->ops->row_end(d);
        }
        d->ops->table_end(d);
    }

    section(d, "articulation_points", "Articulation points");
    para(d, "Firms whose removal disconnects the undirected firm graph.");
    if (!r->articulation_point_count)
        none(d, "no articulation point");
    for (size_t i = 0; i < r->articulation_point_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[r->articulation_points[i]];
        d->ops->item_begin(d);
        text(d, e->id);
        if (strcmp(e->name, e->id) != 0) {
            text(d, " (");
            text(d, e->name);
            text(d, ")");
        }
        d->ops->item_end(d);
    }
    if (r->articulation_point_count)
        d->ops->paragraph_end(d);

    section(d, "bridges", "Bridges");
    para(d, "Supplier-customer connections whose removal disconnects the undirected firm graph.");
    if (!r->bridge_count) {
        none(d, "no bridge");
        return;
    }
    d->ops->table_begin(d, "bridges", "l:from|l:to");
    for (size_t i = 0; i < r->bridge_count; i++) {
        cell_enterprise(d, r->bridges[i].from);
        cell_enterprise(d, r->bridges[i].to);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

static void write_impacts(cy_r_doc *d, const char *key, const char *title,
                          const char *columns, const cy_impact *rows,
                          size_t count, int group, cy_group_kind kind,
                          double total)
{
    size_t shown = cy_r_limit(count, d->top);
    section(d, key, title);
    if (!shown) {
        none(d, group ? "the network declares none" : "the network is empty");
        return;
    }
    d->ops->table_begin(d, key, columns);
    for (size_t i = 0; i < shown; i++) {
        cell_count(d, i + 1);
        cell_text(d, group ? cy_r_group(d->net, kind, rows[i].index)
                           : cy_r_enterprise(d->net, rows[i].index));
        cell_count(d, rows[i].failed_count);
        cell_amount(d, rows[i].output_value_lost);
        cell_percent(d, cy_r_ratio(rows[i].output_value_lost, total));
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, count);
}

static void write_concentration(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->concentration_count, d->top);
    section(d, "concentration", "Concentration");
    para(d, "Per part: HHI = sum of the squared volume shares of its suppliers (0..1; "
            "1 = one supplier; 0.25 or more = highly concentrated), and the largest "
            "share of its supply in one supplier, one park and one region.");
    if (!shown) {
        none(d, "no part is supplied on a link");
        return;
    }
    d->ops->table_begin(d, "concentration",
                        "l:part|r:suppliers|r:HHI|r:volume|l:largest supplier|"
                        "l:largest park|l:largest region");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_concentration *c = &r->concentration[i];
        cell_text(d, cy_r_part(d->net, c->part));
        cell_count(d, c->supplier_count);
        cell_real(d, c->hhi);
        cell_amount(d, c->volume);
        cell_with_share(d, cy_r_enterprise(d->net, c->top_supplier), c->top_supplier_share);
        cell_with_share(d, cy_r_group(d->net, CY_GROUP_PARK, c->top_park), c->top_park_share);
        cell_with_share(d, cy_r_group(d->net, CY_GROUP_REGION, c->top_region), c->top_region_share);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->concentration_count);
}

static void write_local_rows(cy_r_doc *d, const char *key, const cy_wl_local_supply *rows,
                             size_t count, int clusters)
{
    d->ops->table_begin(d, key, clusters
        ? "l:cluster|l:region|r:links|r:inbound volume|r:from the circle|r:from own region|r:from firms with no region"
        : "l:OEM|l:region|r:links|r:inbound volume|r:from the circle|r:from own region|r:from firms with no region");
    for (size_t i = 0; i < count; i++) {
        const cy_wl_local_supply *s = &rows[i];
        cell_text(d, clusters ? cy_r_group(d->net, CY_GROUP_CLUSTER, s->subject)
                              : cy_r_enterprise(d->net, s->subject));
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, s->region));
        cell_count(d, s->link_count);
        cell_amount(d, s->inbound_volume);
        cell_percent(d, cy_r_ratio(s->circle_volume, s->inbound_volume));
        cell_percent(d, s->region == CY_WL_NONE ? NAN
                                                : cy_r_ratio(s->own_region_volume, s->inbound_volume));
        cell_percent(d, cy_r_ratio(s->unknown_volume, s->inbound_volume));
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
}

static void write_local_supply(cy_r_doc *d, const cy_weaklinks *r)
{
    const cy_network *net = d->net;
    size_t circle = 0;
    section(d, "local_supply", "Local supply");
    textf(d, "The local supporting rate: the share of inbound supply volume from suppliers "
             "inside the Chengdu-Chongqing circle and from the subject's own region "
             "(n/a when there is no inbound volume). Circle rule: %s.", CY_REPORT_CIRCLE_RULE);
    d->ops->paragraph_end(d);
    text(d, "Circle regions: ");
    for (size_t g = 0; g < net->group_count[CY_GROUP_REGION]; g++)
        if (r->region_zone[g] != CY_CIRCLE_OUTSIDE) {
            if (circle++)
                text(d, ", ");
            text(d, net->groups[CY_GROUP_REGION][g].id);
        }
    text(d, circle ? "." : "none.");
    d->ops->paragraph_end(d);
    heading(d, 3, "local_supply_oems", "OEMs");
    if (r->local_oem_count)
        write_local_rows(d, "local_supply_oems", r->local_oem, r->local_oem_count, 0);
    else
        none(d, "the network has no OEM");
    heading(d, 3, "local_supply_clusters", "Clusters");
    if (r->local_cluster_count)
        write_local_rows(d, "local_supply_clusters", r->local_cluster, r->local_cluster_count, 1);
    else
        none(d, "the network declares no cluster");
}

static void flow_row(cy_r_doc *d, const char *label, double volume, size_t links)
{
    cell_text(d, label);
    cell_amount(d, volume);
    cell_count(d, links);
    d->ops->row_end(d);
}

static void write_cross_region(cy_r_doc *d, const cy_weaklinks *r)
{
    const double (*v)[4] = r->cross_volume;
    const size_t (*l)[4] = r->cross_links;
    enum { CQ = CY_CIRCLE_CHONGQING, CD = CY_CIRCLE_CHENGDU, SC = CY_CIRCLE_SICHUAN };
    size_t shown = cy_r_limit(r->region_flow_count, d->top);

    section(d, "cross_region", "Cross-region flows");
    d->ops->table_begin(d, "cross_region", "l:flow|r:volume|r:links");
    flow_row(d, "Chengdu -> Chongqing", v[CD][CQ], l[CD][CQ]);
    flow_row(d, "Chongqing -> Chengdu", v[CQ][CD], l[CQ][CD]);
    flow_row(d, "Sichuan side of the circle -> Chongqing", v[CD][CQ] + v[SC][CQ], l[CD][CQ] + l[SC][CQ]);
    flow_row(d, "Chongqing -> Sichuan side of the circle", v[CQ][CD] + v[CQ][SC], l[CQ][CD] + l[CQ][SC]);
    d->ops->table_end(d);
    heading(d, 3, "region_flows", "Region pairs by volume");
    if (!shown) {
        none(d, "no link joins two different regions");
        return;
    }
    d->ops->table_begin(d, "region_flows", "l:from|l:to|r:volume|r:links");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_region_flow *f = &r->region_flows[i];
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, f->from_region));
        cell_text(d, cy_r_group(d->net, CY_GROUP_REGION, f->to_region));
        cell_amount(d, f->volume);
        cell_count(d, f->link_count);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->region_flow_count);
}

static void write_recommendations(cy_r_doc *d, const cy_weaklinks *r)
{
    size_t shown = cy_r_limit(r->recommendation_count, d->top);
    section(d, "recommendations", "Recommendations");
    textf(d, "Existing producers of the same part that could serve as a second source "
             "(not the current supplier, not the customer), in another park first, then "
             "another region, then by id; at most %d are listed.", CY_WL_MAX_BACKUPS);
    d->ops->paragraph_end(d);
    if (!shown) {
        none(d, "no single-source pair or chokepoint");
        return;
    }
    d->ops->table_begin(d, "recommendations",
                        "r:#|l:weak link|l:part|l:current supplier|r:severity|"
                        "l:second sources|r:producers");
    for (size_t i = 0; i < shown; i++) {
        const cy_wl_recommendation *rec = &r->recommendations[i];
        cell_count(d, i + 1);
        d->ops->cell_begin(d, NAN);
        text(d, rec->type == CY_WEAK_SINGLE_SOURCE ? "single source of " : "chokepoint ");
        text(d, d->net->enterprises[rec->enterprise].id);
        d->ops->cell_end(d);
        cell_text(d, cy_r_part(d->net, rec->part));
        cell_enterprise(d, rec->supplier);
        cell_real(d, rec->severity);
        d->ops->cell_begin(d, NAN);
        if (!rec->backup_count)
            text(d, CY_REPORT_NO_BACKUP);
        for (size_t k = 0; k < rec->backup_shown; k++) {
            if (k)
                text(d, ", ");
            text(d, d->net->enterprises[rec->backups[k]].id);
        }
        d->ops->cell_end(d);
        cell_count(d, rec->backup_count);
        d->ops->row_end(d);
    }
    d->ops->table_end(d);
    shown_note(d, shown, r->recommendation_count);
}

void cy_r_write_sections(cy_r_doc *d, const cy_weaklinks *r)
{
    write_summary(d, r);
    write_single_source(d, r);
    write_structure(d, r);
    write_impacts(d, "cascade_impact", "Single-failure impact",
                  "r:#|l:enterprise|r:firms failed|r:output value lost|r:share of total output",
                  r->cascade_impact, r->cascade_impact_count, 0, CY_GROUP_REGION,
                  r->output_value_total);
    write_impacts(d, "park_impact", "Park failure impact",
                  "r:#|l:park|r:firms failed|r:output value lost|r:share of total output",
                  r->park_impact, r->park_impact_count, 1, CY_GROUP_PARK, r->output_value_total);
    write_impacts(d, "region_impact", "Region failure impact",
                  "r:#|l:region|r:firms failed|r:output value lost|r:share of total output",
                  r->region_impact, r->region_impact_count, 1, CY_GROUP_REGION,
                  r->output_value_total);
    write_concentration(d, r);
    write_local_supply(d, r);
    write_cross_region(d, r);
    write_recommendations(d, r);
}
