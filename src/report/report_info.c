/*
 * report_info.c - the `info` summary as text lines or JSON.
 */
#include "writer.h"

/* How many groups of one kind the text form lists before "... N more". */
#define TEXT_GROUP_LIMIT 25

static const char *const group_keys[CY_GROUP_KIND_COUNT] = {N_("regions"), N_("clusters"),
                                                            N_("parks")};

static void text_real(FILE *out, double value)
{
    char text[32];
    fputs(cy_i_real_spell(text, value) ? text : _("n/a"), out);
}

static void text_groups(FILE *out, const cy_network *net, const cy_info *info,
                        cy_group_kind kind)
{
    size_t count = info->group_count[kind];
    fprintf(out, "%s (%zu):", _(group_keys[kind]), count);
    for (size_t g = 0; g < count && g < TEXT_GROUP_LIMIT; g++) {
        fputs(g ? ", " : " ", out);
        cy_r_term_text(out, cy_group_id(net, kind, g), CY_R_TEXT_COLUMNS, 0);
        fprintf(out, " %zu", info->group_members[kind][g]);
    }
    if (count > TEXT_GROUP_LIMIT)
        fprintf(out, _(", ... %zu more"), count - TEXT_GROUP_LIMIT);
    fprintf(out, _("%s none %zu\n"), count ? ";" : "", info->ungrouped_count[kind]);
}

static void write_text(FILE *out, const cy_network *net, const cy_info *info)
{
    char amount[32];

    fputs(_("network: "), out);
    cy_r_term_text(out, cy_network_name(net), CY_R_TEXT_COLUMNS, 0);
    fprintf(out, _("\nenterprises: %zu ("), info->enterprise_count);
    for (int k = 0; k < CY_KIND_COUNT; k++)
        fprintf(out, "%s%s %zu", k ? ", " : "", _(cy_kind_name((cy_kind)k)),
                info->kind_count[k]);
    fprintf(out, ")\n");
    fprintf(out, _("links: %zu (firm edges %zu, distinct parts %zu)\n"),
            info->link_count, info->firm_edge_count, info->part_count);
    fputs(_("tiers:"), out);
    for (size_t t = 0; t <= info->tier_max; t++)
        fprintf(out, "%s %zu: %zu", t ? "," : "", t, info->tier_count[t]);
    fprintf(out, _("; none %zu\n"), info->untiered_count);
    text_groups(out, net, info, CY_GROUP_REGION);
    text_groups(out, net, info, CY_GROUP_PARK);
    text_groups(out, net, info, CY_GROUP_CLUSTER);
    fprintf(out, _("weakly connected components: %zu (largest %zu)\n"),
            info->component_count, info->largest_component);
    fputs(_("density: "), out);
    text_real(out, info->density);
    fprintf(out, _("\ndegree (firm graph, in + out): min %zu, median "), info->degree_min);
    text_real(out, info->degree_median);
    fprintf(out, _(", max %zu\n"), info->degree_max);
    fprintf(out, _("single-sourced (enterprise, part) pairs: %zu\n"),
            info->single_sourced_pairs);
    fprintf(out, _("required parts with no supplier: %zu\n"),
            info->unsupplied_requirements);
    fprintf(out, _("total output value: %s a year\n"),
            cy_r_amount(net, info->total_output_value, amount, sizeof amount));
}

/* Keys in the order of docs/cli.md; every object one member per line. */
static cy_status write_json(FILE *out, const cy_network *net, const cy_info *info,
                            cy_error *err)
{
    cy_r_json *w = cy_r_json_open(out, "summary", err);
    char key[32];

    if (!w)
        return CY_ENOMEM;
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_string(w, "name", cy_network_name(net));
    cy_r_json_member_count(w, "enterprises", info->enterprise_count);
    cy_r_json_member_count(w, "links", info->link_count);
    cy_r_json_member_count(w, "firm_edges", info->firm_edge_count);
    cy_r_json_member_count(w, "parts", info->part_count);
    cy_r_json_key(w, "kinds");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (int k = 0; k < CY_KIND_COUNT; k++)
        cy_r_json_member_count(w, cy_kind_name((cy_kind)k), info->kind_count[k]);
    cy_r_json_object_end(w);
    cy_r_json_key(w, "tiers");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    for (size_t t = 0; t <= info->tier_max; t++) {
        snprintf(key, sizeof key, "%zu", t);
        cy_r_json_member_count(w, key, info->tier_count[t]);
    }
    cy_r_json_member_count(w, "none", info->untiered_count);
    cy_r_json_object_end(w);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        cy_r_json_key(w, group_keys[k]);
        cy_r_json_object_begin(w, CY_R_JSON_LINES);
        for (size_t g = 0; g < info->group_count[k]; g++)
            cy_r_json_member_count(w, cy_group_id(net, (cy_group_kind)k, g),
                                   info->group_members[k][g]);
        cy_r_json_object_end(w);
    }
    cy_r_json_member_count(w, "components", info->component_count);
    cy_r_json_member_count(w, "largest_component", info->largest_component);
    cy_r_json_member_real(w, "density", info->density);
    cy_r_json_key(w, "degree");
    cy_r_json_object_begin(w, CY_R_JSON_LINES);
    cy_r_json_member_count(w, "min", info->degree_min);
    cy_r_json_member_real(w, "median", info->degree_median);
    cy_r_json_member_count(w, "max", info->degree_max);
    cy_r_json_object_end(w);
    cy_r_json_member_count(w, "single_sourced_pairs", info->single_sourced_pairs);
    cy_r_json_member_count(w, "unsupplied_requirements", info->unsupplied_requirements);
    cy_r_json_member_real(w, "output_value_total", info->total_output_value);
    cy_r_json_object_end(w);
    cy_r_json_raw(w, "\n");
    return cy_r_json_close(w, "summary", err);
}

cy_status cy_info_write(const cy_network *net, const cy_info *info,
                        const cy_write_options *given, FILE *out, cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "summary", &options, err);
    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON)
        return write_json(out, net, info, err);
    write_text(out, net, info);
    return cy_r_stream_status(out, "summary", err);
}
