/*
 * build_legend.c - the title and legend of a diagram: one HTML-like label
 * on the root graph saying what is drawn, any note, the colour, size and
 * edge keys, and the highlight key.
 */
#include "build_internal.h"

#include <string.h>

/* ---- legend ----------------------------------------------------------- */

/*
 * The legend is a list of left-aligned lines in one HTML-like table (nested
 * tables would be stretched to the title's width by Graphviz).  Colour
 * swatches are coloured glyphs: U+25A0 black square for fills, the line and
 * arrowhead U+2501 U+25B6 for edges, U+25A1 / U+25A3 for red outlines.
 */
#define GLYPH_SQUARE "\xE2\x96\xA0"
#define GLYPH_EMPTY_SQUARE "\xE2\x96\xA1"
#define GLYPH_ARROW "\xE2\x94\x81\xE2\x94\x81\xE2\x96\xB6"
#define GLYPH_STAR "\xE2\x98\x85"
#define GLYPH_RIGHT "\xE2\x86\x92"
#define LEGEND_PER_LINE 6

static const char *view_title(const cy_r_plan *plan)
{
    if (plan->aggregated && plan->grouping == CY_R_BY_TIER)
        return _("tiers view (one node per tier)");
    switch (plan->view) {
    case CY_VIEW_FULL: return _("full view");
    case CY_VIEW_TIERS: return _("tiers view");
    case CY_VIEW_CLUSTERS: return _("clusters view");
    case CY_VIEW_PARKS: return _("parks view");
    case CY_VIEW_REGIONS: return _("regions view");
    default: return _("ego view");
    }
}

static const char *measure_text(cy_size_by by, int aggregated)
{
    switch (by) {
    case CY_SIZE_OUTPUT: return _("output value");
    case CY_SIZE_BETWEENNESS: return aggregated ? _("betweenness (group graph, distance 1/volume)")
                                                : _("betweenness (firm graph)");
    case CY_SIZE_PAGERANK: return aggregated ? _("PageRank (group graph, weighted by volume)")
                                             : _("PageRank (firm graph, d = 0.85)");
    case CY_SIZE_DEGREE: return _("degree (distinct partners)");
    default: return "";
    }
}

/* A line of a swatch and escaped text. */
static void legend_line(cy_r_buf *h, const char *color, const char *symbol,
                        const char *text)
{
    cy_r_legend_line_begin(h);
    cy_r_legend_glyph(h, color, symbol);
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    cy_r_legend_line_end(h);
}

static void legend_categories(builder *b, cy_r_buf *h)
{
    for (size_t k = 0; k < b->legend_count; k++) {
        if (k % LEGEND_PER_LINE == 0) {
            if (k)
                cy_r_legend_line_end(h);
            cy_r_legend_line_begin(h);
            if (k == 0) { /* (an empty <B></B> is a syntax error) */
                cy_r_buf_puts(h, _("<B>colour:</B> "));
                cy_r_buf_escaped(h, _(cy_color_by_name(b->plan->color_by)), CY_R_ESC_HTML);
                cy_r_buf_puts(h, "   ");
            }
        }
        if (strcmp(b->legend[k].color, NONE_FILL) == 0)
            cy_r_legend_glyph(h, "#4d4d4d", GLYPH_EMPTY_SQUARE);
        else
            cy_r_legend_glyph(h, b->legend[k].color, GLYPH_SQUARE);
        cy_r_buf_escaped(h, b->legend[k].label, CY_R_ESC_HTML);
        cy_r_buf_printf(h, " (%zu)   ", b->legend[k].count);
    }
    if (b->legend_count)
        cy_r_legend_line_end(h);
}

static void legend_scale(builder *b, cy_r_buf *h)
{
    cy_r_legend_line_begin(h);
    cy_r_buf_puts(h, _("<B>colour:</B> "));
    cy_r_buf_escaped(h, measure_text(b->plan->color_by == CY_COLOR_BETWEENNESS
                                         ? CY_SIZE_BETWEENNESS : CY_SIZE_PAGERANK,
                                     b->plan->aggregated), CY_R_ESC_HTML);
    cy_r_buf_puts(h, "   ");
    for (int q = 0; q <= 4; q++) {
        double t = q / 4.0;
        char hex[8];
        cy_r_rgb_hex(cy_r_sequential(t), hex);
        cy_r_legend_glyph(h, hex, GLYPH_SQUARE);
        cy_r_buf_printf(h, "%.3g   ", b->color_max * t * t);
    }
    cy_r_legend_line_end(h);
}

static void legend_highlight(builder *b, cy_r_buf *h)
{
    const cy_r_highlight *hl = &b->hl;
    char text[256];
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        snprintf(text, sizeof text,
                 _("single-source link: the customer gets a part from this supplier "
                 "only (%zu drawn, %zu in the network)"), hl->single_links,
                 hl->single_links_total);
        legend_line(h, RED, GLYPH_ARROW, text);
        cy_r_highlight_legend(hl, GLYPH_SQUARE, h);
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE) {
        char lost[48], total[48];
        const cy_i_enterprise *e = &b->net->enterprises[b->plan->cascade_firm];
        cy_r_legend_line_begin(h);
        cy_r_legend_glyph(h, DARK_RED, GLYPH_SQUARE);
        cy_r_buf_puts(h, _("fails first: "));
        cy_r_buf_escaped(h, e->name ? e->name : e->id, CY_R_ESC_HTML);
        cy_r_legend_line_end(h);
        cy_r_amount(b->net, hl->demand_lost, lost, sizeof lost);
        cy_r_amount(b->net, hl->demand_total, total, sizeof total);
        snprintf(text, sizeof text, _("fails in the cascade: %zu firm%s in all, final "
                 "demand %s of %s lost%s"), hl->failed_count, hl->failed_count == 1 ? "" : "s",
                 lost, total, b->plan->aggregated ? _(" (dashed: part of the group fails)") : "");
        legend_line(h, LIGHT_RED, GLYPH_SQUARE, text);
    }
}

/*
 * The root label: title, a line saying what is drawn, any note, colour key,
 * size and edge keys, highlight key.  Built last, after every other string,
 * and made distinct from every plain string in the graph (cgraph pools
 * strings by content, HTML or not), so it can never turn a plain string
 * into markup or be turned into one.
 */
cy_status cy_r_build_legend(builder *b)
{
    const cy_r_plan *plan = b->plan;
    cy_r_buf h;
    char text[512], amount[48];

    cy_r_buf_init(&h);
    cy_r_buf_puts(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                      "CELLPADDING=\"1\">");
    cy_r_legend_line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"24\"><B>");
    cy_r_buf_escaped(&h, plan->title, CY_R_ESC_HTML);
    cy_r_buf_puts(&h, "</B></FONT>");
    cy_r_legend_line_end(&h);
    cy_r_legend_line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"13\" COLOR=\"#444444\">");
    if (plan->aggregated)
        snprintf(text, sizeof text, _("%s: %zu enterprises in %zu nodes, %zu of %zu flows drawn"),
                 view_title(plan), plan->firm_count, plan->node_count,
                 plan->drawn_edge_count, plan->edge_count);
    else if (plan->view == CY_VIEW_EGO)
        snprintf(text, sizeof text, _("ego view: %zu enterprises within %zu supply hop%s "
                 "up- and downstream of "), plan->node_count, plan->depth,
                 plan->depth == 1 ? "" : "s");
    else
        snprintf(text, sizeof text, _("%s: %zu enterprises, %zu supplier-customer pairs"),
                 view_title(plan), plan->node_count, plan->drawn_edge_count);
    cy_r_buf_escaped(&h, text, CY_R_ESC_HTML);
    if (plan->view == CY_VIEW_EGO) {
        const cy_i_enterprise *e = &b->net->enterprises[plan->focus];
        cy_r_buf_escaped(&h, e->name ? e->name : e->id, CY_R_ESC_HTML);
    }
    cy_r_buf_puts(&h, "</FONT>");
    cy_r_legend_line_end(&h);
    if (plan->note[0]) {
        cy_r_legend_line_begin(&h);
        cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"12\" COLOR=\"#8a4b00\">");
        cy_r_buf_escaped(&h, plan->note, CY_R_ESC_HTML);
        cy_r_buf_puts(&h, "</FONT>");
        cy_r_legend_line_end(&h);
    }
    if (b->sequential)
        legend_scale(b, &h);
    else
        legend_categories(b, &h);
    /* (neato, sfdp and circo ignore clusters) */
    if (plan->view == CY_VIEW_FULL && !plan->aggregated &&
        (strcmp(plan->layout, "dot") == 0 || strcmp(plan->layout, "fdp") == 0)) {
        if (b->net->group_count[CY_GROUP_PARK])
            legend_line(&h, "#9a9a9a", GLYPH_EMPTY_SQUARE,
                        _("grey boxes: parks (gold border and ★: demonstration "
                        "zone or park), inside dashed regions"));
        else if (b->net->group_count[CY_GROUP_REGION])
            legend_line(&h, "#9a9a9a", GLYPH_EMPTY_SQUARE, _("dashed boxes: regions"));
    }
    if (plan->aggregated && plan->grouping == CY_R_BY_PARK)
        legend_line(&h, "#b8860b", GLYPH_EMPTY_SQUARE,
                    _("gold border and ★: demonstration zone or park; dashed: "
                    "the firms in no park, by region"));
    if (plan->size_by != CY_SIZE_NONE) {
        cy_r_amount(b->net, b->size_max, amount, sizeof amount);
        if (plan->size_by == CY_SIZE_OUTPUT)
            snprintf(text, sizeof text, _("node size: output value (largest %s/yr)"), amount);
        else
            snprintf(text, sizeof text, _("node size: %s (largest %.3g)"),
                     measure_text(plan->size_by, plan->aggregated), b->size_max);
        legend_line(&h, "#4d4d4d", GLYPH_EMPTY_SQUARE, text);
    }
    cy_r_amount(b->net, b->edge_max, amount, sizeof amount);
    snprintf(text, sizeof text, _("supplier → customer, width by supply "
             "volume (largest %s/yr)%s"), amount,
             plan->hidden_volume > 0 ? _("; lighter flows not drawn") : "");
    legend_line(&h, EDGE_GREY, GLYPH_ARROW, text);
    legend_highlight(b, &h);
    cy_r_buf_puts(&h, "</TABLE>");
    if (!cy_r_set_html_label(b->g, &h))
        b->failed = 1;
    cy_r_buf_free(&h);
    return b->failed ? CY_ENOMEM : CY_OK;
}
