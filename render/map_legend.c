/*
 * map_legend.c - the map's legend (an HTML-like label of the graph): title,
 * colours in use, node sizes, highlight marks, projection and scale.
 */
#include "map_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- legend ------------------------------------------------------------------- */

static void swatch(cy_r_buf *h, const char *color, const char *glyph, const char *text)
{
    cy_r_legend_glyph(h, color, glyph);
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    cy_r_buf_puts(h, "   ");
}

static void legend_text(cy_r_buf *h, const char *color, const char *glyph,
                        const char *text)
{
    cy_r_legend_line_begin(h);
    swatch(h, color, glyph, text);
    cy_r_legend_line_end(h);
}

static void legend_colors(map_builder *b, cy_r_buf *h)
{
    char hex[8];
    cy_r_legend_line_begin(h);
    cy_r_buf_puts(h, _("<B>colour:</B> "));
    if (b->plan->color_by == CY_COLOR_REGION) {
        cy_r_buf_puts(h, _("region   "));
        for (size_t r = 0; r < b->net->group_count[CY_GROUP_REGION]; r++) {
            const cy_i_group *g = &b->net->groups[CY_GROUP_REGION][r];
            if (r >= CY_R_CATEGORICAL_COUNT || !b->color_used[r])
                continue;
            cy_r_rgb_hex(cy_r_categorical(r), hex);
            swatch(h, hex, GLYPH_CIRCLE, g->name ? g->name : g->id);
        }
        if (b->color_used[CY_R_CATEGORICAL_COUNT]) {
            cy_r_rgb_hex(cy_r_categorical(CY_R_CATEGORICAL_COUNT), hex);
            swatch(h, hex, GLYPH_CIRCLE, _("other regions"));
        }
    } else {
        cy_r_buf_puts(h, _("kind   "));
        for (int q = 0; q < CY_KIND_COUNT; q++) {
            if (!b->color_used[q])
                continue;
            cy_r_rgb_hex(cy_r_kind_color((cy_kind)q), hex);
            swatch(h, hex, GLYPH_CIRCLE, _(cy_kind_name((cy_kind)q)));
        }
    }
    cy_r_legend_line_end(h);
}

static void legend_highlight(map_builder *b, cy_r_buf *h)
{
    const cy_r_highlight *hl = &b->hl;
    char text[256], lost[48], total[48];
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        snprintf(text, sizeof text, _("single-source link: the customer gets a part from "
                 "this supplier only (%zu in the network)"), hl->single_links_total);
        legend_text(h, RED, GLYPH_ARROW, text);
        cy_r_highlight_legend(hl, GLYPH_CIRCLE, h);
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE) {
        const cy_i_enterprise *e = &b->net->enterprises[b->plan->cascade_firm];
        cy_r_legend_line_begin(h);
        swatch(h, DARK_RED, GLYPH_CIRCLE, _("fails first: "));
        cy_r_buf_escaped(h, e->name ? e->name : e->id, CY_R_ESC_HTML);
        cy_r_legend_line_end(h);
        cy_r_amount(b->net, hl->demand_lost, lost, sizeof lost);
        cy_r_amount(b->net, hl->demand_total, total, sizeof total);
        snprintf(text, sizeof text, _("fails in the cascade: %zu firm%s, final demand %s of "
                 "%s lost"), hl->failed_count, hl->failed_count == 1 ? "" : "s", lost, total);
        legend_text(h, LIGHT_RED, GLYPH_CIRCLE, text);
    }
}

/* The legend lines after the title: what is drawn and what each mark means.
 * Only what the drawing has is explained. */
static void legend_body(map_builder *b, cy_r_buf *h)
{
    const cy_r_plan *plan = b->plan;
    char text[512], amount[48];
    int any_park = 0, demo = 0;
    for (size_t p = 0; p < b->net->group_count[CY_GROUP_PARK]; p++)
        if (b->park[p].placed) {
            any_park = 1;
            demo |= b->net->groups[CY_GROUP_PARK][p].demonstration;
        }
    cy_r_legend_line_begin(h);
    cy_r_buf_puts(h, "<FONT POINT-SIZE=\"13\" COLOR=\"#444444\">");
    snprintf(text, sizeof text, _("map view (%s projection): %zu %s at their location%s, "
             "%zu flow%s"), cy_projection_name(b->pr.projection), b->drawn_nodes,
             plan->aggregated ? _("parks") : _("enterprises"),
             plan->aggregated ? "" : _(" or around their park's"),
             b->drawn_edges, b->drawn_edges == 1 ? "" : "s");
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    cy_r_buf_puts(h, "</FONT>");
    cy_r_legend_line_end(h);
    if (plan->note[0] || (plan->aggregated && b->unplaced_nodes)) {
        cy_r_legend_line_begin(h);
        cy_r_buf_puts(h, "<FONT POINT-SIZE=\"12\" COLOR=\"#8a4b00\">");
        cy_r_buf_escaped(h, plan->note, CY_R_ESC_HTML);
        if (plan->aggregated && b->unplaced_nodes) {
            snprintf(text, sizeof text, _("%s%zu group%s without a location (firms in no "
                     "park, parks without one) not drawn."), plan->note[0] ? " " : "",
                     b->unplaced_nodes, b->unplaced_nodes == 1 ? "" : "s");
            cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
        }
        cy_r_buf_puts(h, "</FONT>");
        cy_r_legend_line_end(h);
    }
    legend_colors(b, h);
    if (any_park && !plan->aggregated)
        legend_text(h, PARK_BORDER, GLYPH_EMPTY_CIRCLE,
                    demo ? _("grey circles: parks, firms without a location of their own "
                           "spread inside (gold border and ★: demonstration "
                           "zone or park)")
                         : _("grey circles: parks, firms without a location of their own "
                           "spread inside"));
    if (b->park_moved > 1) {
        snprintf(text, sizeof text, _("park circles that overlapped are pushed apart (by "
                 "up to %.0f km)"), b->park_moved * cy_r_map_km_per_point(&b->pr));
        legend_text(h, PARK_BORDER, GLYPH_EMPTY_CIRCLE, text);
    }
    if (plan->size_by != CY_SIZE_NONE) {
        cy_r_amount(b->net, b->size_max, amount, sizeof amount);
        snprintf(text, sizeof text, _("size: output value (largest %s/yr)"), amount);
        legend_text(h, "#4d4d4d", GLYPH_EMPTY_CIRCLE, text);
    }
    if (b->drawn_edges) {
        cy_r_amount(b->net, b->edge_max, amount, sizeof amount);
        snprintf(text, sizeof text, _("supplier → customer, width by supply "
                 "volume (largest %s/yr)%s"), amount,
                 plan->hidden_volume > 0 ? _("; lighter flows not drawn") : "");
        legend_text(h, "#707070", GLYPH_ARROW, text);
    }
    if (b->opt->boundaries) {
        snprintf(text, sizeof text, _("outlines: the boundaries given (%zu ring%s)"),
                 cy_boundaries_ring_count(b->opt->boundaries),
                 cy_boundaries_ring_count(b->opt->boundaries) == 1 ? "" : "s");
        legend_text(h, OUTLINE_GREY, GLYPH_LINE, text);
    }
    legend_highlight(b, h);
}

/* The root label, made distinct from every plain string (see build.c). */
cy_status cy_r_map_legend_add(map_builder *b)
{
    cy_r_buf h;
    cy_r_buf_init(&h);
    cy_r_buf_puts(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                      "CELLPADDING=\"1\">");
    cy_r_legend_line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"24\"><B>");
    cy_r_buf_escaped(&h, b->plan->title, CY_R_ESC_HTML);
    cy_r_buf_puts(&h, "</B></FONT>");
    cy_r_legend_line_end(&h);
    legend_body(b, &h);
    cy_r_buf_puts(&h, "</TABLE>");
    if (!cy_r_set_html_label(b->g, &h))
        b->failed = 1;
    cy_r_buf_free(&h);
    return b->failed ? CY_ENOMEM : CY_OK;
}
