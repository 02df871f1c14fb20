/*
 * cmd_info.c - chengyu info [--format table|json] [-o OUT] FILE
 */
#include "cli.h"

#include <jansson.h>
#include <string.h>

/* How many groups of one kind the text form lists before "... N more". */
#define TEXT_GROUP_LIMIT 25

static void print_groups(FILE *out, const cy_network *net, const cy_info *info,
                         cy_group_kind kind, const char *title)
{
    size_t count = info->group_count[kind];
    fprintf(out, "%s (%zu):", title, count);
    for (size_t g = 0; g < count && g < TEXT_GROUP_LIMIT; g++)
        fprintf(out, "%s %s %zu", g ? "," : "", cy_group_id(net, kind, g),
                info->group_members[kind][g]);
    if (count > TEXT_GROUP_LIMIT)
        fprintf(out, ", ... %zu more", count - TEXT_GROUP_LIMIT);
    fprintf(out, "%s none %zu\n", count ? ";" : "", info->ungrouped_count[kind]);
}

static void write_text(FILE *out, const cy_network *net, const cy_info *info)
{
    fprintf(out, "network: %s\n", cy_network_name(net));
    fprintf(out, "enterprises: %zu (", info->enterprise_count);
    for (int k = 0; k < CY_KIND_COUNT; k++)
        fprintf(out, "%s%s %zu", k ? ", " : "", cy_kind_name((cy_kind)k),
                info->kind_count[k]);
    fprintf(out, ")\n");
    fprintf(out, "links: %zu (firm edges %zu, distinct parts %zu)\n",
            info->link_count, info->firm_edge_count, info->part_count);
    fprintf(out, "tiers:");
    for (size_t t = 0; t <= info->tier_max; t++)
        fprintf(out, "%s %zu: %zu", t ? "," : "", t, info->tier_count[t]);
    fprintf(out, "; none %zu\n", info->untiered_count);
    print_groups(out, net, info, CY_GROUP_REGION, "regions");
    print_groups(out, net, info, CY_GROUP_PARK, "parks");
    print_groups(out, net, info, CY_GROUP_CLUSTER, "clusters");
    fprintf(out, "weakly connected components: %zu (largest %zu)\n",
            info->component_count, info->largest_component);
    fprintf(out, "density: %.6g\n", info->density);
    fprintf(out, "degree (firm graph, in + out): min %zu, median %g, max %zu\n",
            info->degree_min, info->degree_median, info->degree_max);
    fprintf(out, "single-sourced (enterprise, part) pairs: %zu\n",
            info->single_sourced_pairs);
    fprintf(out, "required parts with no supplier: %zu\n",
            info->unsupplied_requirements);
    fprintf(out, "total output value: %.6g yuan/year\n", info->total_output_value);
}

/* Build the JSON form; NULL on OOM.  Keys are documented in docs/cli.md. */
static json_t *info_json(const cy_network *net, const cy_info *info)
{
    json_t *root = json_object(), *kinds = json_object(), *tiers = json_object();
    json_t *groups[CY_GROUP_KIND_COUNT], *degree = json_object();
    int ok = root && kinds && tiers && degree;
    char key[32];

    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        ok &= (groups[k] = json_object()) != NULL;
    if (!ok)
        goto fail;
    ok &= !json_object_set_new(root, "name", json_string(cy_network_name(net)));
    ok &= !json_object_set_new(root, "enterprises", json_integer((json_int_t)info->enterprise_count));
    ok &= !json_object_set_new(root, "links", json_integer((json_int_t)info->link_count));
    ok &= !json_object_set_new(root, "firm_edges", json_integer((json_int_t)info->firm_edge_count));
    ok &= !json_object_set_new(root, "parts", json_integer((json_int_t)info->part_count));
    for (int k = 0; k < CY_KIND_COUNT; k++)
        ok &= !json_object_set_new(kinds, cy_kind_name((cy_kind)k),
                                   json_integer((json_int_t)info->kind_count[k]));
    ok &= !json_object_set(root, "kinds", kinds);
    for (size_t t = 0; t <= info->tier_max; t++) {
        snprintf(key, sizeof key, "%zu", t);
        ok &= !json_object_set_new(tiers, key, json_integer((json_int_t)info->tier_count[t]));
    }
    ok &= !json_object_set_new(tiers, "none", json_integer((json_int_t)info->untiered_count));
    ok &= !json_object_set(root, "tiers", tiers);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        static const char *const names[] = {"regions", "clusters", "parks"};
        for (size_t g = 0; g < info->group_count[k]; g++)
            ok &= !json_object_set_new(groups[k], cy_group_id(net, (cy_group_kind)k, g),
                                       json_integer((json_int_t)info->group_members[k][g]));
        ok &= !json_object_set(root, names[k], groups[k]);
    }
    ok &= !json_object_set_new(root, "components", json_integer((json_int_t)info->component_count));
    ok &= !json_object_set_new(root, "largest_component", json_integer((json_int_t)info->largest_component));
    ok &= !json_object_set_new(root, "density", json_real(info->density));
    ok &= !json_object_set_new(degree, "min", json_integer((json_int_t)info->degree_min));
    ok &= !json_object_set_new(degree, "median", json_real(info->degree_median));
    ok &= !json_object_set_new(degree, "max", json_integer((json_int_t)info->degree_max));
    ok &= !json_object_set(root, "degree", degree);
    ok &= !json_object_set_new(root, "single_sourced_pairs", json_integer((json_int_t)info->single_sourced_pairs));
    ok &= !json_object_set_new(root, "unsupplied_requirements", json_integer((json_int_t)info->unsupplied_requirements));
    ok &= !json_object_set_new(root, "output_value_total", json_real(info->total_output_value));
    if (!ok)
        goto fail;
    json_decref(kinds);
    json_decref(tiers);
    json_decref(degree);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        json_decref(groups[k]);
    return root;
fail:
    json_decref(root);
    json_decref(kinds);
    json_decref(tiers);
    json_decref(degree);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        json_decref(groups[k]);
    return NULL;
}

typedef struct {
    cli_common common;
} info_args;

static int run_info(void *args_, int count, char **operands)
{
    info_args *args = args_;
    const char *input = operands[0];
    cy_network *net = NULL;
    cy_info info;
    cy_error err;
    cli_output out;
    int ok = 0, have_info = 0, code = CY_EXIT_FAILURE;
    (void)count;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_info_compute(net, &info, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    have_info = 1;
    if (!cli_output_begin(&out, args->common.output, input))
        goto cleanup;
    if (args->common.format == CLI_FORMAT_JSON) {
        json_t *doc = info_json(net, &info);
        ok = doc && json_dumpf(doc, out.stream, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                                    JSON_REAL_PRECISION(17)) == 0;
        if (ok)
            fputc('\n', out.stream);
        else if (!doc)
            cli_error("out of memory");
        json_decref(doc);
    } else {
        write_text(out.stream, net, &info);
        ok = 1;
    }
    code = cli_output_end(&out, ok);
cleanup:
    if (have_info)
        cy_info_destroy(&info);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

static const char *const info_synopsis[] = {"[--format table|json] [-o OUT] FILE", NULL};

static const cli_option info_options[] = {
    CLI_OPT_FORMAT(info_args, cli_formats_table_json,
                   "table (default; alias text): lines for people; json"),
    CLI_OPT_OUTPUT(info_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(info_args),
    CLI_OPT_END};

const cli_spec cli_spec_info = {
    "info", "counts and summary statistics of a network", info_synopsis,
    "Summarise a network: counts by kind, tier, region, park and cluster; "
    "links, distinct parts, weakly connected components, density, degree "
    "min/median/max (firm graph, in + out), single-sourced (enterprise, part) "
    "pairs and required parts with no supplier.",
    info_options, sizeof(info_args), NULL, "FILE", 1, 1, run_info};
