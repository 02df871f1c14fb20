/*
 * cmd_resilience.c - chengyu resilience [--attack A] [--metric M]
 *                    [--trials N] [--seed N] [--steps N] [--threshold T]
 *                    [--recompute every|steps] [--format csv|json]
 *                    [--plot FILE.svg|FILE.png] [-o OUT] FILE
 *                    chengyu resilience --structure [--format table|json] FILE
 */
#include "cli.h"
#include "plot.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    cy_status status;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
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

typedef struct {
    cli_common common;
    int attack, metric, recompute, structure;
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
    args->attack = args->metric = args->recompute = UNSET;
    args->seed = (uint64_t)-1; /* given or not is told by this marker */
}

/* Whether any option that only shapes a curve was given. */
static int curve_option_given(const resilience_args *args)
{
    return args->attack != UNSET || args->metric != UNSET || args->recompute != UNSET ||
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
                         "--plot '%s': the name must end in .svg or .png", args->plot);
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
        return run_structure(operands[0], args->threshold,
                             cli_format_name(format ? format : CLI_FORMAT_TABLE),
                             args->common.output);
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
    return run_curve(operands[0], &params, cli_format_name(format ? format : CLI_FORMAT_CSV),
                     args->common.output, args->plot);
}

static const cli_choice attacks[] = {
    {"random", CY_ATTACK_RANDOM, "random order (default)"},
    {"degree", CY_ATTACK_DEGREE, "highest degree first"},
    {"betweenness", CY_ATTACK_BETWEENNESS, "highest betweenness first"},
    {"pagerank", CY_ATTACK_PAGERANK, "highest PageRank first"},
    {"adaptive-degree", CY_ATTACK_ADAPTIVE_DEGREE, "degree, recomputed"},
    {"adaptive-betweenness", CY_ATTACK_ADAPTIVE_BETWEENNESS, "betweenness, recomputed"},
    {NULL, 0, NULL}};

static const cli_choice metrics[] = {
    {"lcc", CY_METRIC_LCC, "the largest component"},
    {"output", CY_METRIC_OUTPUT, "the OEM output"},
    {"both", CY_METRIC_BOTH, "both (default)"},
    {NULL, 0, NULL}};

static const cli_choice recompute_whens[] = {
    {"every", RECOMPUTE_EVERY, "after every removal (exact)"},
    {"steps", RECOMPUTE_STEPS, "at the checkpoints only"},
    {NULL, 0, NULL}};

static const char *const resilience_synopsis[] = {
    "[--attack A] [--metric lcc|output|both] [--trials N] [--seed N]",
    "        [--steps N] [--threshold T] [--recompute every|steps] [--max-seconds S]",
    "        [--format csv|json] [--plot FILE.svg|FILE.png] [-o OUT] FILE",
    "--structure [--threshold T] [--format table|json] [-o OUT] FILE", NULL};

static const cli_option resilience_options[] = {
    CLI_OPT_CHOICE('a', "attack", resilience_args, attack, "A", attacks,
                   "random (default), degree, betweenness, pagerank,\n"
                   "adaptive-degree or adaptive-betweenness"),
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
    CLI_OPT_CSV_RAW(resilience_args),
    CLI_OPT_END};

const cli_spec cli_spec_resilience = {
    "resilience", "robustness curves under attack; structural weak points",
    resilience_synopsis,
    "Remove enterprises in an attack's order and record, at --steps evenly "
    "spaced removed fractions, the largest weakly connected component of the "
    "remaining firm graph and the share of the OEMs' output value still "
    "produced under the cascade rule; with the robustness R (Schneider et "
    "al. 2011) and the critical fraction (largest component <= 5%).\n\n"
    "With --structure: articulation points and bridges of the undirected "
    "firm graph, and each OEM's chokepoints (the enterprises whose failure "
    "alone stops it under the cascade rule).",
    resilience_options, sizeof(resilience_args), init_resilience, "FILE", 1, 1,
    run_resilience};
