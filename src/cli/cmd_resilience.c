/*
 * cmd_resilience.c - chengyu resilience [--attack A] [--by park|region]
 *                    [--metric M] [--trials N] [--seed N] [--steps N] [--threshold T]
 *                    [--recompute every|steps] [--format csv|json]
 *                    [--plot FILE.svg|FILE.png] [-o OUT] FILE
 *                    chengyu resilience --structure [--format table|json] FILE
 */
#include "cli.h"
#include "plot.h"

#include <stdlib.h>
#include <string.h>

/* Above this many enterprises the exact adaptive betweenness attack gets a
 * note about its cost: one betweenness computation per removal, O(N^2 E)
 * in all, a minute for the regional preset on one thread (docs/analyses.md). */
#define ADAPTIVE_BETWEENNESS_NOTE 500

/* ---- curves --------------------------------------------------------------- */

/* Draw the curve in the format of `plot_path`'s extension into *data (of
 * *size bytes, cy_free it).  Returns 1, or 0 after printing the error. */
static int draw_plot(const char *plot_path, const cy_network *net,
                     const cy_resilience_curve *curve, unsigned char **data, size_t *size)
{
    cy_plot_options options = {NULL, NULL, NULL, 0, 0};
    cy_plot_format format;
    char title[128];
    cy_error err;
    int ok;

    if (curve->by == CY_BY_ENTERPRISE)
        snprintf(title, sizeof title, "Robustness under the %s attack",
                 cy_attack_name(curve->attack));
    else
        snprintf(title, sizeof title, "Robustness when whole %ss fail (%s order)",
                 cy_resilience_by_name(curve->by), cy_attack_name(curve->attack));
    options.title = title;
    options.network = cy_network_name(net);
    cy_error_init(&err);
    ok = cy_plot_format_from_path(plot_path, &format) &&
         cy_plot_resilience(curve, 1, &options, format, data, size, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    cy_error_destroy(&err);
    cy_plot_shutdown(); /* the only plot of this process */
    return ok;
}

/* The curve mode: the plot and the report are committed together, so that
 * a failure of either keeps both earlier files.  Returns the exit code. */
static int run_curve(const char *input, const cy_resilience_params *params,
                     const cli_common *common, const char *plot_path)
{
    cy_network *net = NULL;
    cy_resilience_curve curve = {0};
    cy_write_options options;
    cy_error err;
    cli_output out, plot_out;
    cy_status status;
    unsigned char *plot = NULL;
    size_t plot_size = 0;
    int code = CY_EXIT_FAILURE, have_plot = 0;

    cy_error_init(&err);
    if (!cli_progress_check_load(params->progress_data, input) || !cli_load(input, &net, 1))
        goto cleanup;
    if (params->attack == CY_ATTACK_ADAPTIVE_BETWEENNESS && !params->recompute_at_steps &&
        cy_network_enterprise_count(net) > ADAPTIVE_BETWEENNESS_NOTE)
        cli_error("note: exact adaptive-betweenness recomputes betweenness after each of "
                  "%zu removals; '--recompute steps' is much faster",
                  cy_network_enterprise_count(net));
    status = cy_resilience_run(net, params, &curve, &err);
    cli_progress_clear(params->progress_data);
    if (status != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if ((params->metric & CY_METRIC_OUTPUT) && !curve.has_output)
        cli_error("note: the network has no demand node: output_fraction is empty");
    if (plot_path) {
        if (!draw_plot(plot_path, net, &curve, &plot, &plot_size) ||
            !cli_output_begin(&plot_out, plot_path, input))
            goto cleanup;
        have_plot = 1;
        /* A failure (memory) sets the stream's error flag: the commit
         * reports it. */
        fwrite(plot, 1, plot_size, plot_out.stream);
    }
    if (!cli_output_begin(&out, common->output, input))
        goto cleanup;
    cli_write_options(common, CY_FORMAT_CSV, &options);
    {
        int ok = cli_write(cy_resilience_write(net, &curve, &options, out.stream, &err), &err);
        cli_output *both[] = {&out, &plot_out};
        have_plot = 0;
        code = cli_outputs_end(both, plot_path ? 2 : 1, ok);
    }
cleanup:
    if (have_plot)
        cli_output_end(&plot_out, 0);
    cy_free(plot);
    cy_resilience_curve_destroy(&curve);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

/* ---- structure ------------------------------------------------------------ */

/* The --structure mode.  Returns the exit code. */
static int run_structure(const char *input, double threshold, double max_seconds,
                         const cli_common *common)
{
    cli_progress progress;
    cy_network *net = NULL;
    cy_structure structure = {0};
    cy_single_failure_options sf_options;
    cy_single_failures singles = {0};
    cy_write_options options;
    cy_error err;
    cli_output out;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    cy_single_failure_options_init(&sf_options);
    sf_options.threshold = threshold; /* chokepoints only: no rounds */
    cli_progress_init(&progress, "resilience", common->quiet, max_seconds);
    sf_options.progress = cli_progress_update;
    sf_options.progress_data = &progress;
    if (!cli_progress_check_load(&progress, input) || !cli_load(input, &net, 1))
        goto cleanup;
    if (cy_structure_compute(net, &structure, &err) != CY_OK ||
        cy_single_failures_run(net, &sf_options, &singles, &err) != CY_OK) {
        cli_progress_clear(&progress);
        cli_report(&err);
        goto cleanup;
    }
    cli_progress_clear(&progress);
    if (!cli_output_begin(&out, common->output, input))
        goto cleanup;
    cli_write_options(common, CY_FORMAT_TEXT, &options);
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

typedef struct {
    cli_common common;
    int attack, metric, recompute, structure, by;
    size_t trials, steps;
    uint64_t seed;
    double threshold;
    const char *plot;
    double max_seconds;
} resilience_args;

enum { RECOMPUTE_EVERY = 0, RECOMPUTE_STEPS = 1, UNSET = -1 };

static void init_resilience(void *args_)
{
    resilience_args *args = args_;
    args->attack = args->metric = args->recompute = args->by = UNSET;
    args->seed = (uint64_t)-1; /* given or not is told by this marker */
}

/* Whether any option that only shapes a curve was given. */
static int curve_option_given(const resilience_args *args)
{
    return args->attack != UNSET || args->metric != UNSET || args->recompute != UNSET ||
           args->by != UNSET ||
           args->trials || args->steps || args->seed != (uint64_t)-1 || args->plot;
}

/* The library's parameters from the args; returns -1 or a usage error's
 * exit code. */
static int curve_params(const resilience_args *args, cy_resilience_params *params)
{
    cy_plot_format plot_format;
    cy_resilience_params_init(params);
    if (args->attack != UNSET)
        params->attack = (cy_attack)args->attack;
    if (args->metric != UNSET)
        params->metric = (cy_metric)args->metric;
    if (args->by != UNSET)
        params->by = (cy_resilience_by)args->by;
    if (params->by != CY_BY_ENTERPRISE) {
        const char *by = cy_resilience_by_name(params->by);
        if (params->attack != CY_ATTACK_RANDOM && params->attack != CY_ATTACK_DEMAND)
            return cli_usage(&cli_spec_resilience,
                             "--by %s removes groups in random or demand order, not %s", by,
                             cy_attack_name(params->attack));
        if (args->steps)
            return cli_usage(&cli_spec_resilience,
                             "--steps does not apply with --by %s: one row per %s", by, by);
        if (args->recompute != UNSET)
            return cli_usage(&cli_spec_resilience, "--recompute does not apply with --by %s",
                             by);
    }
    if (args->trials)
        params->trials = args->trials;
    if (args->steps)
        params->steps = args->steps;
    if (args->seed != (uint64_t)-1)
        params->seed = args->seed;
    params->threshold = args->threshold;
    params->recompute_at_steps = args->recompute == RECOMPUTE_STEPS;
    if (args->plot && !cy_plot_format_from_path(args->plot, &plot_format))
        return cli_usage(&cli_spec_resilience,
                         "--plot '%s': the name must end in .svg or .png",
                         cli_echo(args->plot));
    return -1;
}

static int run_resilience(void *args_, int count, char **operands)
{
    resilience_args *args = args_;
    cy_resilience_params params;
    cli_progress progress;
    int format = args->common.format, code;
    (void)count;

    if (args->structure) {
        if (curve_option_given(args))
            return cli_usage(&cli_spec_resilience, "--structure takes no curve options");
        if (format == CLI_FORMAT_CSV)
            return cli_usage(&cli_spec_resilience, "--structure writes table or json, not csv");
        return run_structure(operands[0], args->threshold, args->max_seconds,
                             &args->common);
    }
    if (format == CLI_FORMAT_TABLE)
        return cli_usage(&cli_spec_resilience, "the curve is written as csv or json, not table");
    if ((code = curve_params(args, &params)) >= 0)
        return code;
    {
        const char *paths[] = {args->plot, args->common.output};
        const char *labels[] = {"--plot", "-o"};
        if ((code = cli_outputs_distinct(paths, labels, 2)) != CY_EXIT_OK)
            return code;
    }
    if (args->trials && params.attack != CY_ATTACK_RANDOM && params.trials > 1 &&
        !args->common.quiet)
        cli_error("note: the %s attack is deterministic; --trials is ignored",
                  cy_attack_name(params.attack));
    cli_progress_init(&progress, "resilience", args->common.quiet, args->max_seconds);
    params.progress = cli_progress_update;
    params.progress_data = &progress;
    return run_curve(operands[0], &params, &args->common, args->plot);
}

static const cli_choice attacks[] = {
    {"random", CY_ATTACK_RANDOM, "random order (default)"},
    {"degree", CY_ATTACK_DEGREE, "highest degree first"},
    {"betweenness", CY_ATTACK_BETWEENNESS, "highest betweenness first"},
    {"pagerank", CY_ATTACK_PAGERANK, "highest PageRank first"},
    {"adaptive-degree", CY_ATTACK_ADAPTIVE_DEGREE, "degree, recomputed"},
    {"adaptive-betweenness", CY_ATTACK_ADAPTIVE_BETWEENNESS, "betweenness, recomputed"},
    {"demand", CY_ATTACK_DEMAND, "largest final demand first"},
    {NULL, 0, NULL}};

static const cli_choice bys[] = {
    {"enterprise", CY_BY_ENTERPRISE, "one enterprise at a time (default)"},
    {"park", CY_BY_PARK, "whole parks"},
    {"region", CY_BY_REGION, "whole regions"},
    {NULL, 0, NULL}};

static const cli_choice metrics[] = {
    {"lcc", CY_METRIC_LCC, "the largest component"},
    {"output", CY_METRIC_OUTPUT, "the final demand served"},
    {"both", CY_METRIC_BOTH, "both (default)"},
    {NULL, 0, NULL}};

static const cli_choice recompute_whens[] = {
    {"every", RECOMPUTE_EVERY, "after every removal (exact)"},
    {"steps", RECOMPUTE_STEPS, "at the checkpoints only"},
    {NULL, 0, NULL}};

static const char *const resilience_synopsis[] = {
    "[--attack A] [--by enterprise|park|region] [--metric lcc|output|both]",
    "        [--trials N] [--seed N]",
    "        [--steps N] [--threshold T] [--recompute every|steps] [--max-seconds S]",
    "        [--format csv|json] [--plot FILE.svg|FILE.png] [-o OUT] FILE",
    "--structure [--threshold T] [--format table|json] [-o OUT] FILE", NULL};

static const cli_option resilience_options[] = {
    CLI_OPT_CHOICE('a', "attack", resilience_args, attack, "A", attacks,
                   "random (default), degree, betweenness, pagerank,\n"
                   "adaptive-degree, adaptive-betweenness or demand\n"
                   "(largest final demand first); with --by park|region\n"
                   "random or demand"),
    CLI_OPT_CHOICE(0, "by", resilience_args, by, "UNIT", bys,
                   "remove one enterprise (default), or whole parks or\n"
                   "regions, at a time: one row per group removed"),
    CLI_OPT_CHOICE(0, "metric", resilience_args, metric, "M", metrics,
                   "lcc, output or both (default)"),
    CLI_OPT_SIZE(0, "trials", resilience_args, trials, "N", 1, 1000000,
                 "random attack: trials to average (default 10)"),
    CLI_OPT_U64('s', "seed", resilience_args, seed, "N", "random attack: seed (default 1)"),
    CLI_OPT_SIZE(0, "steps", resilience_args, steps, "N", 1, 100000000,
                 "checkpoints (default 100: removed 0, 1%, ..., 100%)"),
    CLI_OPT_THRESHOLD(resilience_args, threshold),
    CLI_OPT_CHOICE(0, "recompute", resilience_args, recompute, "WHEN", recompute_whens,
                   "adaptive attacks: after every removal (every, the\n"
                   "default, exact) or only at the checkpoints (steps:\n"
                   "faster, approximate)"),
    CLI_OPT_FILE(0, "plot", resilience_args, plot, "PLOT",
                 "also draw the curve(s) to PLOT (.svg or .png)"),
    CLI_OPT_MAX_SECONDS(resilience_args, max_seconds),
    CLI_OPT_FLAG('S', "structure", resilience_args, structure,
                 "weak points instead of a curve"),
    CLI_OPT_FORMAT(resilience_args, cli_formats_table_csv_json,
                   "csv (default) or json; table (alias text) or json\n"
                   "with --structure"),
    CLI_OPT_OUTPUT(resilience_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(resilience_args),
    CLI_OPT_THREADS(resilience_args),
    CLI_OPT_LANG(resilience_args),
    CLI_OPT_CSV_RAW(resilience_args),
    CLI_OPT_END};

const cli_spec cli_spec_resilience = {
    "resilience", "robustness curves under attack; structural weak points",
    resilience_synopsis,
    "Remove enterprises in an attack's order and record, at --steps evenly "
    "spaced removed fractions, the largest weakly connected component of the "
    "remaining firm graph and the share of the network's final demand still "
    "served under the cascade rule, with the final demand lost, the demand "
    "nodes and firms failed and the ids removed at each row; with the "
    "robustness R (Schneider et al. 2011) and the critical fraction (largest "
    "component <= 5%).  With --by park or --by region whole parks or regions "
    "are removed, in random order (--trials) or largest final demand first "
    "(--attack demand), one row per group.\n\n"
    "With --structure: articulation points and bridges of the undirected "
    "firm graph, and each OEM's chokepoints (the enterprises whose failure "
    "alone stops it under the cascade rule).",
    resilience_options, sizeof(resilience_args), init_resilience, "FILE", 1, 1,
    run_resilience};
