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
    "        --csv-raw         CSV cells as they are, without the guard against",
    "                          spreadsheet formulas (docs/cli.md, \"CSV\")",
    "    -o, --output OUT      write to OUT atomically instead of standard output",
    "    -h, --help            show this help",
    NULL};

/* Above this many enterprises the exact adaptive betweenness attack gets a
 * note about its cost: one betweenness computation per removal, O(N^2 E)
 * in all, minutes for the regional preset (docs/analyses.md). */
#define ADAPTIVE_BETWEENNESS_NOTE 500


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
                     const char *format, int csv_raw, const char *output_path,
                     const char *plot_path)
{
    cy_network *net = NULL;
    cy_resilience_curve curve = {0};
    cy_write_options options;
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
    cy_write_options_init(&options, strcmp(format, "json") == 0 ? CY_FORMAT_JSON
                                                                : CY_FORMAT_CSV);
    options.csv_raw = csv_raw;
    code = cli_output_end(&out, cli_write(cy_resilience_write(&curve, &options, out.stream,
                                                              &err), &err));
cleanup:
    cy_resilience_curve_destroy(&curve);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

/* ---- structure ------------------------------------------------------------ */

/* The --structure mode.  Returns the exit code. */
static int run_structure(const char *input, double threshold, const char *format,
                         const char *output_path)
{
    cy_network *net = NULL;
    cy_structure structure = {0};
    cy_single_failures singles = {0};
    cy_write_options options;
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
    cy_write_options_init(&options, strcmp(format, "json") == 0 ? CY_FORMAT_JSON
                                                                : CY_FORMAT_TEXT);
    code = cli_output_end(&out, cli_write(cy_structure_write(net, &structure, &singles,
                                                             threshold, &options,
                                                             out.stream, &err), &err));
cleanup:
    cy_structure_destroy(&structure);
    cy_single_failures_destroy(&singles);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

int cmd_resilience(int argc, char **argv)
{
    enum { OPT_FORMAT = 256, OPT_TRIALS, OPT_SEED, OPT_STEPS, OPT_RECOMPUTE, OPT_PLOT,
           OPT_CSV_RAW };
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
        {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = NULL, *output_path = NULL, *plot_path = NULL;
    cy_resilience_params params;
    cy_plot_format plot_format;
    unsigned long long value;
    int structure = 0, curve_option = 0, trials_given = 0, csv_raw = 0, c;

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
        case OPT_CSV_RAW: csv_raw = 1; break;
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
    if (trials_given && params.attack != CY_ATTACK_RANDOM && params.trials > 1)
        cli_error("note: the %s attack is deterministic; --trials is ignored",
                  cy_attack_name(params.attack));
    return run_curve(argv[optind], &params, format, csv_raw, output_path, plot_path);
}
