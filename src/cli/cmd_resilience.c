/*
 * cmd_resilience.c - chengyu resilience FILE --structure [--format text|json]
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

static const char *const resilience_usage[] = {
    "usage: chengyu resilience --structure [--threshold T] [--format text|json]",
    "                          [-o OUT] FILE",
    "",
    "Structural weak points: articulation points and bridges of the",
    "undirected firm graph, and for every OEM its chokepoints (the",
    "enterprises whose failure alone stops it under the cascade rule).",
    "",
    "    -S, --structure       weak points instead of a curve",
    "    -t, --threshold T     cascade threshold in [0, 1] (default 0)",
    "        --format F        text (default) or json",
    "    -o, --output OUT      write to OUT atomically instead of standard output",
    "    -h, --help            show this help",
    NULL};

#define JSON_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))

static json_t *ids_json(const cy_network *net, const size_t *items, size_t count)
{
    json_t *array = json_array();
    for (size_t k = 0; array && k < count; k++) {
        if (json_array_append_new(array, json_string(cy_enterprise_id(net, items[k])))) {
            json_decref(array);
            return NULL;
        }
    }
    return array;
}

/* {"articulation_points": [...], "bridges": [[from, to]...],
 *  "chokepoints": [{"oem", "enterprises"}...]} */
static json_t *structure_json(const cy_network *net, const cy_structure *s,
                              const cy_single_failures *sf)
{
    json_t *root = json_object(), *bridges = json_array(), *chokepoints = json_array();
    int ok = root && bridges && chokepoints;

    for (size_t k = 0; ok && k < s->bridge_count; k++)
        ok = !json_array_append_new(
            bridges, json_pack("[s, s]", cy_enterprise_id(net, s->bridges[k].from),
                               cy_enterprise_id(net, s->bridges[k].to)));
    for (size_t k = 0; ok && k < sf->chokepoint_count; k++) {
        const cy_chokepoint *cp = &sf->chokepoints[k];
        ok = !json_array_append_new(
            chokepoints, json_pack("{s:s, s:o}", "oem", cy_enterprise_id(net, cp->oem),
                                   "enterprises", ids_json(net, cp->enterprises, cp->count)));
    }
    ok = ok && !json_object_set_new(root, "articulation_points",
                                    ids_json(net, s->articulation_points,
                                             s->articulation_point_count));
    ok = ok && !json_object_set(root, "bridges", bridges);
    ok = ok && !json_object_set(root, "chokepoints", chokepoints);
    json_decref(bridges);
    json_decref(chokepoints);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static void structure_text(FILE *out, const cy_network *net, const cy_structure *s,
                           const cy_single_failures *sf, double threshold)
{
    fprintf(out, "articulation points (%zu):", s->articulation_point_count);
    for (size_t k = 0; k < s->articulation_point_count; k++)
        fprintf(out, "%s %s", k ? "," : "", cy_enterprise_id(net, s->articulation_points[k]));
    fprintf(out, "\nbridges (%zu):", s->bridge_count);
    for (size_t k = 0; k < s->bridge_count; k++)
        fprintf(out, "%s %s -> %s", k ? "," : "", cy_enterprise_id(net, s->bridges[k].from),
                cy_enterprise_id(net, s->bridges[k].to));
    fprintf(out, "\nchokepoints (threshold %g), per OEM (%zu):\n", threshold,
            sf->chokepoint_count);
    for (size_t k = 0; k < sf->chokepoint_count; k++) {
        const cy_chokepoint *cp = &sf->chokepoints[k];
        fprintf(out, "  %s (%zu):", cy_enterprise_id(net, cp->oem), cp->count);
        for (size_t q = 0; q < cp->count; q++)
            fprintf(out, "%s %s", q ? "," : "", cy_enterprise_id(net, cp->enterprises[q]));
        fprintf(out, "%s\n", cp->count ? "" : " none");
    }
}

/* The --structure mode.  Returns the exit code. */
static int run_structure(const char *input, double threshold, const char *format,
                         const char *output_path)
{
    cy_network *net = NULL;
    cy_structure structure = {0};
    cy_single_failures singles = {0};
    cy_error err;
    cli_output out;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_structure_compute(net, &structure, &err) != CY_OK ||
        cy_single_failures_compute(net, threshold, &singles, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    if (strcmp(format, "json") == 0) {
        json_t *doc = structure_json(net, &structure, &singles);
        int ok = doc && json_dumpf(doc, out.stream, JSON_FLAGS) == 0;
        if (ok)
            fputc('\n', out.stream);
        else if (!doc)
            cli_error("out of memory");
        json_decref(doc);
        code = cli_output_end(&out, ok);
    } else {
        structure_text(out.stream, net, &structure, &singles, threshold);
        code = cli_output_end(&out, 1);
    }
cleanup:
    cy_structure_destroy(&structure);
    cy_single_failures_destroy(&singles);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

int cmd_resilience(int argc, char **argv)
{
    enum { OPT_FORMAT = 256 };
    static const struct option options[] = {
        {"structure", no_argument, NULL, 'S'},
        {"threshold", required_argument, NULL, 't'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = NULL, *output_path = NULL;
    double threshold = 0.0;
    int structure = 0, c;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "St:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'S': structure = 1; break;
        case 't':
            if (!cli_parse_double(optarg, &threshold) || threshold < 0.0 || threshold > 1.0)
                return cli_usage_error(resilience_usage,
                                       "resilience: --threshold expects a number in [0, 1], got '%s'",
                                       optarg);
            break;
        case OPT_FORMAT: format = optarg; break;
        case 'o': output_path = optarg; break;
        case 'h': return cli_help(resilience_usage);
        default:
            return cli_usage_error(resilience_usage,
                                   "resilience: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(resilience_usage, "resilience: expected one FILE");
    if (!structure)
        return cli_usage_error(resilience_usage, "resilience: give --structure");
    if (!format)
        format = "text";
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error(resilience_usage,
                               "resilience: --structure writes text or json, not '%s'", format);
    return run_structure(argv[optind], threshold, format, output_path);
}
