/*
 * interactive.c - `render --format html`: the diagram's SVG in one HTML
 * page with pan and zoom, a search box and the supply cones of a clicked
 * firm (src/report/interactive.js), and a Content-Security-Policy that
 * lets the page load nothing from anywhere.
 *
 * The page's data says, per drawn node (keyed by its synthetic SVG title:
 * "f12" = enterprise 12, "n3" = node 3 of an aggregated view), its id,
 * names, a few lines for people and its direct suppliers and customers
 * among the drawn nodes (the plan's drawn edges).
 */
#include "render_internal.h"
#include "interactive.h"

#include <string.h>

static const char *group_text(const cy_network *net, const cy_r_plan *plan,
                              const cy_r_node *node, const char **id)
{
    static const char *const outside[] = {N_("no region"), N_("in no cluster"),
                                          N_("outside any park")};
    if (node->kind == CY_R_NODE_GROUP && plan->grouping != CY_R_BY_TIER) {
        const cy_i_group *g = &net->groups[plan->grouping][node->index];
        *id = g->id;
        return g->name ? g->name : g->id;
    }
    *id = node->kind == CY_R_NODE_OTHER ? "other" : "outside";
    if (node->kind == CY_R_NODE_OTHER)
        return _("other (merged)");
    if (node->kind == CY_R_NODE_TIER || plan->grouping == CY_R_BY_TIER)
        return "tier";
    return _(outside[plan->grouping == CY_R_BY_REGION ? 0
                     : plan->grouping == CY_R_BY_CLUSTER ? 1 : 2]);
}

static int add_line(json_t *lines, const char *fmt, const char *a, double v)
{
    char text[256];
    snprintf(text, sizeof text, fmt, a, v);
    return json_array_append_new(lines, json_string(text)) == 0;
}

/* One node's entry without its edges; NULL when out of memory. */
static json_t *node_entry(const cy_network *net, const cy_r_plan *plan, size_t k)
{
    const cy_r_node *node = &plan->nodes[k];
    json_t *entry = json_object(), *lines = json_array();
    char amount[48];
    int ok = entry && lines;
    if (ok && node->kind == CY_R_NODE_FIRM) {
        const cy_i_enterprise *e = &net->enterprises[node->index];
        ok = json_object_set_new(entry, "id", json_string(e->id)) == 0 &&
             json_object_set_new(entry, "name", json_string(e->name ? e->name : e->id)) == 0 &&
             (!e->name_zh || json_object_set_new(entry, "zh", json_string(e->name_zh)) == 0);
        ok = ok && add_line(lines, "%s", _(cy_kind_name(e->kind)), 0);
        if (ok && e->tier >= 0)
            ok = add_line(lines, _("%stier %.0f"), "", e->tier);
        if (ok && e->park >= 0)
            ok = add_line(lines, _("park: %s"), net->groups[CY_GROUP_PARK][e->park].name
                                                 ? net->groups[CY_GROUP_PARK][e->park].name
                                                 : net->groups[CY_GROUP_PARK][e->park].id, 0);
        cy_r_amount(net, e->output_value, amount, sizeof amount);
        ok = ok && add_line(lines, _("output: %s/yr"), amount, 0);
    } else if (ok) {
        const char *id, *name = group_text(net, plan, node, &id);
        char tier[32];
        if (node->kind == CY_R_NODE_TIER) {
            snprintf(tier, sizeof tier, _("tier %ld"), node->index);
            name = id = tier;
        }
        ok = json_object_set_new(entry, "id", json_string(id)) == 0 &&
             json_object_set_new(entry, "name", json_string(name)) == 0;
        cy_r_amount(net, node->output, amount, sizeof amount);
        {
            char text[128];
            snprintf(text, sizeof text, _("%zu firm%s, output %s/yr"), node->members,
                     node->members == 1 ? "" : "s", amount);
            ok = ok && json_array_append_new(lines, json_string(text)) == 0;
        }
    }
    if (ok && json_object_set_new(entry, "lines", lines) == 0)
        return entry;
    if (!ok)
        json_decref(lines);
    json_decref(entry);
    return NULL;
}

static void node_title(const cy_r_plan *plan, size_t k, char *out, size_t size)
{
    if (plan->nodes[k].kind == CY_R_NODE_FIRM)
        snprintf(out, size, "f%ld", plan->nodes[k].index);
    else
        snprintf(out, size, "n%zu", k);
}

/* Append `title` to entry[key] (an array made on first use). */
static int link_to(json_t *entry, const char *key, const char *title)
{
    json_t *list = json_object_get(entry, key);
    if (!list) {
        if (!(list = json_array()) || json_object_set_new(entry, key, list) != 0)
            return 0;
    }
    return json_array_append_new(list, json_string(title)) == 0;
}

/* {"nodes": {title: entry}} for the drawn nodes and edges of `plan`. */
static json_t *nodes_data(const cy_network *net, const cy_r_plan *plan)
{
    json_t *doc = json_object(), *nodes = json_object();
    char a[32], b[32];
    if (!doc || !nodes) {
        json_decref(doc);
        json_decref(nodes);
        return NULL;
    }
    if (json_object_set_new(doc, "nodes", nodes) != 0) { /* took nodes */
        json_decref(doc);
        return NULL;
    }
    for (size_t k = 0; k < plan->node_count; k++) {
        json_t *entry = node_entry(net, plan, k);
        node_title(plan, k, a, sizeof a);
        if (!entry || json_object_set_new(nodes, a, entry) != 0)
            goto fail;
    }
    for (size_t k = 0; k < plan->edge_count; k++) {
        const cy_r_edge *e = &plan->edges[k];
        if (!e->drawn || e->from == e->to)
            continue;
        node_title(plan, e->from, a, sizeof a);
        node_title(plan, e->to, b, sizeof b);
        if (!link_to(json_object_get(nodes, b), "up", a) ||
            !link_to(json_object_get(nodes, a), "down", b))
            goto fail;
    }
    return doc;
fail:
    json_decref(doc);
    return NULL;
}

/* The nodes' data and, in a language other than English, the page's
 * words (the search bar's and panel's; an English page uses the script's
 * own, which are the same words). */
static json_t *page_data(const cy_network *net, const cy_r_plan *plan)
{
    json_t *doc = nodes_data(net, plan);
    if (doc && cy_language_get() != CY_LANG_EN &&
        json_object_set_new(doc, "labels", cy_interactive_labels()) != 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/* How to use the page, in the language of the output: text between the
 * markup around it. */
static void write_legend(FILE *out)
{
    static const char *const parts[][3] = {
        {"<p class=\"cy-legend\">",
         N_("Click a firm or search for it: its suppliers at every tier turn "), ""},
        {"<span class=\"up\">", N_("blue"), "</span>"},
        {"", N_(", its customers at every tier "), ""},
        {"<span class=\"down\">", N_("red"), "</span>"},
        {"", N_(".  Scroll to zoom, drag to pan.  "), "<code>#focus=ID</code>"},
        {"", N_(" at the end of the address focuses a firm."), "</p>\n"}};
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
        fputs(parts[k][0], out);
        cy_r_html_text(out, _(parts[k][1]), 0);
        fputs(parts[k][2], out);
    }
}

cy_status cy_render_page_data(const cy_network *net, const cy_render_options *options,
                             json_t **data, cy_error *err)
{
    cy_render_options defaults;
    cy_r_plan plan;
    cy_status status;
    *data = NULL;
    cy_library_init();
    if (!options) {
        cy_render_options_init(&defaults);
        options = &defaults;
    }
    status = cy_r_plan_make(net, options, &plan, err);
    if (status == CY_OK && !(*data = nodes_data(net, &plan))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while making the figure's data");
        status = CY_ENOMEM;
    }
    cy_r_plan_destroy(&plan);
    return status;
}

cy_status cy_r_write_html(const cy_network *net, const cy_r_plan *plan, const char *svg,
                          size_t size, FILE *out, cy_error *err)
{
    const char *start = NULL;
    json_t *data;
    cy_status status;
    for (size_t k = 0; k + 4 <= size && !start; k++)
        if (memcmp(svg + k, "<svg", 4) == 0)
            start = svg + k;
    if (!start) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "graphviz wrote no <svg> element");
        return CY_EINTERNAL;
    }
    if (!(data = page_data(net, plan))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while writing the page");
        return CY_ENOMEM;
    }
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            cy_language_get() == CY_LANG_ZH ? "zh-CN" : "en");
    cy_interactive_csp(out);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>", out);
    cy_r_html_text(out, plan->title ? plan->title : "chengyu", 0);
    fputs("</title>\n<style>body{font-family:\"Noto Sans CJK SC\",sans-serif;margin:12px}"
          "</style>\n<style>", out);
    cy_interactive_style(out);
    fputs("</style>\n</head>\n<body>\n<div class=\"cy-net\" data-cy=\"0\">\n", out);
    fwrite(start, 1, size - (size_t)(start - svg), out);
    fputs("</div>\n", out);
    write_legend(out);
    status = cy_interactive_data(out, 0, data);
    json_decref(data);
    cy_interactive_script(out);
    fputs("</body>\n</html>\n", out);
    if (status != CY_OK)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while writing the page");
    return status;
}
