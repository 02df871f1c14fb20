/*
 * cmd_resilience.c - chengyu resilience FILE [--attack A] [--metric M]
 *                    [--trials N] [--seed N] [--steps N] [--threshold T]
 *                    [--recompute every|steps] [--format csv|json]
 *                    [--plot FILE.svg|FILE.png] [-o FILE]
 *                    chengyu resilience FILE --structure [--format text|json]
 */
#include "cli.h"
#include "plot.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const resilience_usage[] = {
    "usage: chengyu resilience [--attack A] [--metric lcc|output|both] [--trials N]",
    "                          [--seed N] [--steps N] [--threshold T]",
    "                          [--recompute every|steps] [--format csv|json]",
    "                          [--plot FILE.svg|FILE.png] [-o OUT] FILE",
    "       chengyu resilience --structure [--threshold T] [--format text|json]",
    "                          [-o OUT] FILE",
    "",
    "Remove enterprises in an attack's order and record, at --steps evenly",
    "spaced removed fractions, the largest weakly connected component of the",
    "remaining firm graph and the share of the OEMs' output value still",
    "produced under the cascade rule; with the robustness R (Schneider et",
    "al. 2011) and the critical fraction (largest component <= 5%).",
    "With --structure: articulation points and bridges of the undirected",
    "firm graph, and each OEM's chokepoints (the enterprises whose failure",
    "alone stops it under the cascade rule).",
    "",
    "    -a, --attack A        random (default), degree, betweenness, pagerank,",
    "                          adaptive-degree or adaptive-betweenness",
    "    -m, --metric M        lcc, output or both (default)",
    "        --trials N        random attack: trials to average (default 10)",
    "        --seed N          random attack: seed (default 1)",
    "        --steps N         checkpoints (default 100: removed 0, 1%, ..., 100%)",
    "    -t, --threshold T     cascade threshold in [0, 1] (default 0)",
    "        --recompute WHEN  adaptive attacks: after every removal (default,",
    "                          exact) or only at the checkpoints (steps: faster,",
    "                          approximate)",
    "        --plot PLOT       also draw the curve(s) to PLOT (.svg or .png)",
    "    -S, --structure       weak points instead of a curve",
    "        --format F        csv (default) or json; text or json with --structure",
    "    -o, --output OUT      write to OUT atomically instead of standard output",
    "    -h, --help            show this help",
    NULL};

/* Above this many enterprises the exact adaptive betweenness attack gets a
 * note about its cost (one betweenness computation per removal, about
 * N^2 E in all): measured 0.9 s at 258 firms, 52 s at 920, 233 s for the
 * regional preset's 1,645. */
#define ADAPTIVE_BETWEENNESS_NOTE 500


/* ---- curves --------------------------------------------------------------- */

/* A double for CSV in the shortest %g form that reads back to the same
 * value (0.2, not 0.20000000000000001); "" for NaN (not measured). */
static void csv_number(FILE *out, double value)
{
    char text[32];
    if (isnan(value))
        return;
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, value);
        if (strtod(text, NULL) == value)
            break;
    }
    fputs(text, out);
}

/* Columns exactly removed,removed_fraction,lcc,lcc_fraction,output_fraction
 * and lcc_fraction_sd when there was more than one trial. */
static void curve_csv(FILE *out, const cy_resilience_curve *c)
{
    int sd = c->trials > 1;
    fprintf(out, "removed,removed_fraction,lcc,lcc_fraction,output_fraction%s\n",
            sd ? ",lcc_fraction_sd" : "");
    for (size_t k = 0; k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        fprintf(out, "%zu,", p->removed);
        csv_number(out, p->removed_fraction);
        fputc(',', out);
        csv_number(out, p->lcc);
        fputc(',', out);
        csv_number(out, p->lcc_fraction);
        fputc(',', out);
        csv_number(out, p->output_fraction);
        if (sd) {
            fputc(',', out);
            csv_number(out, p->lcc_fraction_sd);
        }
        fputc('\n', out);
    }
}

static json_t *real_or_null(double value)
{
    return isnan(value) ? json_null() : json_real(value);
}

/* {"attack", "metric", "trials", "r_index", "critical_fraction", "curve"}. */
static json_t *curve_json(const cy_resilience_curve *c)
{
    json_t *root = json_object(), *points = json_array();
    int ok = root && points;

    for (size_t k = 0; ok && k < c->point_count; k++) {
        const cy_curve_point *p = &c->points[k];
        json_t *row = json_object();
        ok = row != NULL;
        ok = ok && !json_object_set_new(row, "removed", json_integer((json_int_t)p->removed));
        ok = ok && !json_object_set_new(row, "removed_fraction", json_real(p->removed_fraction));
        /* One trial: the component size is a count; more: a mean. */
        ok = ok && !json_object_set_new(row, "lcc", c->trials > 1 ? json_real(p->lcc)
                                                      : json_integer((json_int_t)p->lcc));
        ok = ok && !json_object_set_new(row, "lcc_fraction", json_real(p->lcc_fraction));
        ok = ok && !json_object_set_new(row, "output_fraction", real_or_null(p->output_fraction));
        if (c->trials > 1)
            ok = ok && !json_object_set_new(row, "lcc_fraction_sd", json_real(p->lcc_fraction_sd));
        if (!ok || json_array_append_new(points, row)) {
            if (ok)
                row = NULL; /* json_array_append_new consumed it */
            json_decref(row);
            ok = 0;
        }
    }
    ok = ok && !json_object_set_new(root, "attack", json_string(cy_attack_name(c->attack)));
    ok = ok && !json_object_set_new(root, "metric", json_string(cy_metric_name(c->metric)));
    ok = ok && !json_object_set_new(root, "trials", json_integer((json_int_t)c->trials));
    ok = ok && !json_object_set_new(root, "r_index", json_real(c->r_index));
    ok = ok && !json_object_set_new(root, "critical_fraction", real_or_null(c->critical_fraction));
    ok = ok && !json_object_set(root, "curve", points);
    json_decref(points);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

/* Draw the curve to `plot_path` atomically.  Returns 1, or 0 after
 * printing the error. */
static int write_plot(const char *plot_path, const char *input, const cy_network *net,
                      const cy_resilience_curve *curve)
{
    cy_plot_options options = {NULL, NULL, NULL, 0, 0};
    char title[128];
    cy_error err;
    int ok;

    snprintf(title, sizeof title, "Robustness under the %s attack",
             cy_attack_name(curve->attack));
    options.title = title;
    options.network = cy_network_name(net);
    cy_error_init(&err);
    ok = cy_plot_resilience_file(plot_path, input, curve, 1, &options, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    cy_error_destroy(&err);
    cy_plot_shutdown(); /* the only plot of this process */
    return ok;
}

/* The curve mode.  Returns the exit code. */
static int run_curve(const char *input, const cy_resilience_params *params,
                     const char *format, const char *output_path,
                     const char *plot_path)
{
    cy_network *net = NULL;
    cy_resilience_curve curve = {0};
    cy_error err;
    cli_output out;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (params->attack == CY_ATTACK_ADAPTIVE_BETWEENNESS && !params->recompute_at_steps &&
        cy_network_enterprise_count(net) > ADAPTIVE_BETWEENNESS_NOTE)
        cli_error("note: exact adaptive-betweenness recomputes betweenness after each of "
                  "%zu removals; '--recompute steps' is much faster",
                  cy_network_enterprise_count(net));
    if (cy_resilience_run(net, params, &curve, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if ((params->metric & CY_METRIC_OUTPUT) && !curve.has_output)
        cli_error("note: the network has no OEM: output_fraction is empty");
    if (plot_path && !write_plot(plot_path, input, net, &curve))
        goto cleanup;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    if (strcmp(format, "json") == 0) {
        code = cli_output_end(&out, cli_write_json(out.stream, curve_json(&curve)));
    } else {
        curve_csv(out.stream, &curve);
        code = cli_output_end(&out, 1);
    }
cleanup:
    cy_resilience_curve_destroy(&curve);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

/* ---- structure ------------------------------------------------------------ */

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
                                   "enterprises", cli_json_ids(net, cp->enterprises, cp->count)));
    }
    ok = ok && !json_object_set_new(root, "articulation_points",
                                    cli_json_ids(net, s->articulation_points,
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
    cy_single_failure_options options;
    cy_single_failures singles = {0};
    cy_error err;
    cli_output out;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    cy_single_failure_options_init(&options);
    options.threshold = threshold; /* chokepoints only: no rounds */
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_structure_compute(net, &structure, &err) != CY_OK ||
        cy_single_failures_run(net, &options, &singles, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    if (strcmp(format, "json") == 0) {
        code = cli_output_end(&out, cli_write_json(out.stream, structure_json(net, &structure, &singles)));
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
    enum { OPT_FORMAT = 256, OPT_TRIALS, OPT_SEED, OPT_STEPS, OPT_RECOMPUTE, OPT_PLOT };
    static const struct option options[] = {
        {"attack", required_argument, NULL, 'a'},
        {"metric", required_argument, NULL, 'm'},
        {"trials", required_argument, NULL, OPT_TRIALS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"steps", required_argument, NULL, OPT_STEPS},
        {"threshold", required_argument, NULL, 't'},
        {"recompute", required_argument, NULL, OPT_RECOMPUTE},
        {"structure", no_argument, NULL, 'S'},
        {"plot", required_argument, NULL, OPT_PLOT},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = NULL, *output_path = NULL, *plot_path = NULL;
    cy_resilience_params params;
    cy_plot_format plot_format;
    unsigned long long value;
    int structure = 0, curve_option = 0, trials_given = 0, c;

    cy_resilience_params_init(&params);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "a:m:t:So:h", options, NULL)) != -1) {
        curve_option |= (c == 'a' || c == 'm' || c == OPT_TRIALS || c == OPT_SEED ||
                         c == OPT_STEPS || c == OPT_RECOMPUTE || c == OPT_PLOT);
        switch (c) {
        case 'a':
            if (!cy_attack_parse(optarg, &params.attack))
                return cli_usage_error(resilience_usage,
                                       "resilience: unknown attack '%s'", optarg);
            break;
        case 'm':
            if (!cy_metric_parse(optarg, &params.metric))
                return cli_usage_error(resilience_usage,
                                       "resilience: --metric expects lcc, output or both, got '%s'",
                                       optarg);
            break;
        case OPT_TRIALS:
            if (!cli_parse_ulong(optarg, 1000000, &value) || value == 0)
                return cli_usage_error(resilience_usage,
                                       "resilience: --trials expects an integer in [1, 1000000], got '%s'",
                                       optarg);
            params.trials = (size_t)value;
            trials_given = 1;
            break;
        case OPT_SEED:
            if (!cli_parse_ulong(optarg, UINT64_MAX, &value))
                return cli_usage_error(resilience_usage,
                                       "resilience: --seed expects a non-negative integer, got '%s'",
                                       optarg);
            params.seed = value;
            break;
        case OPT_STEPS:
            if (!cli_parse_ulong(optarg, 100000000, &value) || value == 0)
                return cli_usage_error(resilience_usage,
                                       "resilience: --steps expects an integer in [1, 100000000], got '%s'",
                                       optarg);
            params.steps = (size_t)value;
            break;
        case 't':
            if (!cli_parse_double(optarg, &params.threshold) || params.threshold < 0.0 ||
                params.threshold > 1.0)
                return cli_usage_error(resilience_usage,
                                       "resilience: --threshold expects a number in [0, 1], got '%s'",
                                       optarg);
            break;
        case OPT_RECOMPUTE:
            if (strcmp(optarg, "every") != 0 && strcmp(optarg, "steps") != 0)
                return cli_usage_error(resilience_usage,
                                       "resilience: --recompute expects every or steps, got '%s'",
                                       optarg);
            params.recompute_at_steps = strcmp(optarg, "steps") == 0;
            break;
        case OPT_PLOT:
            if (!cy_plot_format_from_path(optarg, &plot_format))
                return cli_usage_error(resilience_usage,
                                       "resilience: --plot '%s': the name must end in .svg or .png",
                                       optarg);
            plot_path = optarg;
            break;
        case 'S': structure = 1; break;
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
    if (structure) {
        if (curve_option)
            return cli_usage_error(resilience_usage,
                                   "resilience: --structure takes no curve options");
        if (!format)
            format = "text";
        if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
            return cli_usage_error(resilience_usage,
                                   "resilience: --structure writes text or json, not '%s'",
                                   format);
        return run_structure(argv[optind], params.threshold, format, output_path);
    }
    if (!format)
        format = "csv";
    if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error(resilience_usage,
                               "resilience: unknown format '%s' (csv or json)", format);
    {
        const char *paths[] = {plot_path, output_path};
        const char *labels[] = {"--plot", "-o"};
        int code = cli_outputs_distinct(paths, labels, 2);
        if (code != CY_EXIT_OK)
            return code;
    }
    if (trials_given && params.attack != CY_ATTACK_RANDOM && params.trials > 1)
        cli_error("note: the %s attack is deterministic; --trials is ignored",
                  cy_attack_name(params.attack));
    return run_curve(argv[optind], &params, format, output_path, plot_path);
}
