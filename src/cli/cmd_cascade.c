/*
 * cmd_cascade.c - chengyu cascade: a combined shock (--fail, --fail-park,
 *                 --fail-region, --degrade, mixed and repeated) under the
 *                 threshold or fractional model, or --each
 *                 enterprise|park|region
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* ---- --each ------------------------------------------------------------ */

typedef enum { EACH_NONE = -1, EACH_ENTERPRISE = 3 } each_kind;

/* Every enterprise's (kind EACH_ENTERPRISE) or group's failure, with the
 * progress bar. */
static cy_status compute_each(const cy_network *net, int kind, double threshold,
                              cli_progress *progress, cy_single_failures *singles,
                              cy_impact **impacts, size_t *count, cy_error *err)
{
    cy_status status;
    if (kind == EACH_ENTERPRISE) {
        cy_single_failure_options sf_options;
        cy_single_failure_options_init(&sf_options);
        sf_options.threshold = threshold;
        sf_options.rounds = 1;
        sf_options.progress = cli_progress_update;
        sf_options.progress_data = progress;
        status = cy_single_failures_run(net, &sf_options, singles, err);
        *impacts = singles->impacts;
        *count = singles->impact_count;
    } else {
        cy_group_impact_options g_options;
        cy_group_impact_options_init(&g_options);
        g_options.threshold = threshold;
        g_options.progress = cli_progress_update;
        g_options.progress_data = progress;
        status = cy_group_impacts_run(net, (cy_group_kind)kind, &g_options, impacts, count,
                                      err);
    }
    cli_progress_clear(progress);
    return status;
}

/* Compute and write every enterprise's (or group's) failure.  Returns the
 * exit code. */
static int run_each(const cy_network *net, const char *input, int kind,
                    size_t top, cli_progress *progress, double threshold,
                    const cli_common *common)
{
    cy_single_failures singles = {0};
    cy_impact *impacts = NULL;
    size_t count = 0, rows;
    cy_write_options options;
    cy_error err;
    cli_output out;
    cy_status status;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    /* A row per enterprise or group, at most about 100 bytes (JSON). */
    rows = top ? top : cy_network_enterprise_count(net);
    cli_progress_expect_write(progress, 100.0 * (double)rows / CLI_WRITE_BYTES_PER_SECOND);
    status = compute_each(net, kind, threshold, progress, &singles, &impacts, &count, &err);
    if (status != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    cli_write_options(common, CY_FORMAT_TEXT, &options);
    options.top = top;
    if (!cli_output_begin(&out, common->output, input))
        goto cleanup;
    if (common->format == CLI_FORMAT_XLSX)
        status = cy_impacts_write_xlsx(net, kind == EACH_ENTERPRISE ? -1 : kind, impacts,
                                       top && top < count ? top : count, out.stream, &err);
    else
        status = cy_impacts_write(net, kind == EACH_ENTERPRISE ? CY_GROUP_KIND_COUNT
                                                               : (cy_group_kind)kind,
                                  impacts, count, &options, out.stream, &err);
    code = cli_output_end(&out, cli_write(status, &err));
cleanup:
    if (kind == EACH_ENTERPRISE)
        cy_single_failures_destroy(&singles);
    else
        cy_free(impacts);
    cy_error_destroy(&err);
    return code;
}

typedef struct {
    cli_common common;
    cli_strings fail, fail_park, fail_region, degrade;
    int each;
    int model;
    double threshold, max_seconds;
    size_t top;
} cascade_args;

#define MODEL_DEFAULT (-1)

static void init_cascade(void *args_)
{
    cascade_args *args = args_;
    args->each = EACH_NONE;
    args->model = MODEL_DEFAULT;
}

/* The checks the option table cannot express; returns -1 or the usage
 * error's exit code. */
static int check_cascade_args(const cascade_args *args)
{
    size_t shocks = args->fail.count + args->fail_park.count +
                    args->fail_region.count + args->degrade.count;
    int code;

    if ((shocks > 0) + (args->each != EACH_NONE) != 1)
        return cli_usage(&cli_spec_cascade,
                         "give a shock (--fail, --fail-park, --fail-region, --degrade; "
                         "each repeatable, mixed freely) or --each, not both");
    if ((code = cli_shock_check_degrade(&cli_spec_cascade, &args->degrade)) >= 0)
        return code;
    if (args->each != EACH_NONE && args->model == CY_CASCADE_FRACTIONAL)
        return cli_usage(&cli_spec_cascade, "--model fractional needs a shock, not --each");
    if (args->model == CY_CASCADE_THRESHOLD && cli_shock_degrade_partial(&args->degrade))
        return cli_usage(&cli_spec_cascade,
                         "--degrade with a capacity between 0 and 1 needs "
                         "--model fractional (the threshold model runs or stops a firm)");
    if (args->common.format == CLI_FORMAT_XLSX && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--format xlsx needs --each");
    if (args->common.format == CLI_FORMAT_XLSX && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_cascade, "--format xlsx needs -o FILE.xlsx");
    if (args->top && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--top needs --each");
    if (args->max_seconds > 0.0 && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--max-seconds needs --each");
    return -1;
}

/* Run the shock the args describe; returns 1, or 0 after printing (an
 * unknown id); *usage is set for a usage error. */
static int run_disruption(const cy_network *net, const char *input,
                          const cascade_args *args, cy_cascade_result *result,
                          int *usage)
{
    cli_shock_args given = {&args->fail, &args->fail_park, &args->fail_region,
                            &args->degrade};
    cli_shock lists;
    cy_shock shock;
    cy_error err;
    int ok = 0, built;

    memset(&lists, 0, sizeof lists);
    cy_error_init(&err);
    if ((built = cli_shock_build(&cli_spec_cascade, net, input, &given, &lists)) <= 0) {
        *usage = built < 0;
        goto cleanup;
    }
    shock.model = args->model != MODEL_DEFAULT ? args->model
                  : cli_shock_degrade_partial(&args->degrade) ? CY_CASCADE_FRACTIONAL
                                              : CY_CASCADE_THRESHOLD;
    shock.threshold = args->threshold;
    shock.fail = lists.fail.items;
    shock.fail_count = lists.fail.count;
    shock.degrade = lists.degrade;
    shock.degrade_count = lists.degrade_count;
    if (!(ok = cy_cascade_run_shock(net, &shock, result, &err) == CY_OK))
        cli_report(&err);
cleanup:
    cli_shock_destroy(&lists);
    cy_error_destroy(&err);
    return ok;
}

static int run_cascade(void *args_, int count, char **operands)
{
    cascade_args *args = args_;
    const char *input = operands[0];
    int code, usage = 0;
    cli_progress progress;
    cy_network *net = NULL;
    cy_cascade_result result;
    cy_write_options options;
    cy_error err;
    cli_output out;
    (void)count;

    if ((code = check_cascade_args(args)) >= 0)
        return code;
    code = CY_EXIT_FAILURE;
    cli_progress_init(&progress, "cascade", args->common.quiet, args->max_seconds);
    if (!cli_progress_check_load(&progress, input) ||
        !cli_load(input, &net, args->common.quiet))
        goto cleanup;
    if (args->each != EACH_NONE) {
        code = run_each(net, input, args->each, args->top, &progress, args->threshold,
                        &args->common);
        goto cleanup;
    }
    if (!run_disruption(net, input, args, &result, &usage)) {
        code = usage ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
        goto cleanup;
    }
    cli_write_options(&args->common, CY_FORMAT_TEXT, &options);
    cy_error_init(&err);
    if (cli_output_begin(&out, args->common.output, input))
        code = cli_output_end(&out, cli_write(cy_cascade_write(net, &result, args->threshold,
                                                               &options, out.stream, &err),
                                              &err));
    cy_error_destroy(&err);
    cy_cascade_result_destroy(&result);
cleanup:
    cy_network_free(net);
    return code;
}

static const cli_choice cascade_formats[] = {
    {"table", CLI_FORMAT_TABLE, "lines for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "RFC 4180 (with --each)"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook (with --each)"},
    {NULL, 0, NULL}};

static const cli_choice each_kinds[] = {
    {"enterprise", EACH_ENTERPRISE, "every enterprise alone"},
    {"park", CY_GROUP_PARK, "every park"},
    {"region", CY_GROUP_REGION, "every region"},
    {NULL, 0, NULL}};

static const cli_choice cascade_models[] = {
    {"threshold", CY_CASCADE_THRESHOLD, "a firm runs or stops (default)"},
    {"fractional", CY_CASCADE_FRACTIONAL,
     "every firm has an output fraction (default with a\n"
     "--degrade between 0 and 1)"},
    {NULL, 0, NULL}};

static const char *const cascade_synopsis[] = {
    "[--fail ID[,ID...]]... [--fail-park PARK]... [--fail-region REGION]...",
    "        [--degrade ID=FRACTION]... [--model threshold|fractional]",
    "        [--threshold T] [--format table|json|csv] [-o OUT] FILE",
    "--each enterprise|park|region [--threshold T] [--top N]",
    "        [--max-seconds S] [--format table|csv|json|xlsx] [-o OUT] FILE", NULL};

static const cli_option cascade_options[] = {
    CLI_OPT_STRINGS(0, "fail", cascade_args, fail, "IDS",
                    "enterprise ids, comma-separated (repeatable)"),
    CLI_OPT_STRINGS('P', "fail-park", cascade_args, fail_park, "PARK",
                    "every enterprise of a park (repeatable)"),
    CLI_OPT_STRINGS('R', "fail-region", cascade_args, fail_region, "REGION",
                    "every enterprise of a region, or of a park in it\n"
                    "(repeatable)"),
    CLI_OPT_STRINGS(0, "degrade", cascade_args, degrade, "ID=FRACTION",
                    "leave an enterprise, or every enterprise of a park or\n"
                    "region, FRACTION in [0, 1] of its capacity (repeatable)"),
    CLI_OPT_CHOICE_ONCE(0, "model", cascade_args, model, "MODEL", cascade_models,
                        "threshold or fractional (docs/analyses.md)"),
    CLI_OPT_CHOICE_ONCE('e', "each", cascade_args, each, "WHAT", each_kinds,
                   "every enterprise alone, every park or every region,\n"
                   "ranked by output value lost (ties by id)"),
    CLI_OPT_THRESHOLD(cascade_args, threshold),
    CLI_OPT_TOP(cascade_args, top, "with --each: only the first N rows"),
    CLI_OPT_MAX_SECONDS(cascade_args, max_seconds),
    CLI_OPT_FORMAT(cascade_args, cascade_formats,
                   "table (default; alias text), json or csv (a row per\n"
                   "firm with its output fraction); xlsx with --each"),
    CLI_OPT_OUTPUT(cascade_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(cascade_args),
    CLI_OPT_THREADS(cascade_args),
    CLI_OPT_LANG(cascade_args),
    CLI_OPT_CSV_RAW(cascade_args),
    CLI_OPT_END};

const cli_spec cli_spec_cascade = {
    "cascade", "follow a disruption (firms, a park, a region) downstream",
    cascade_synopsis,
    "Disrupt the network and follow the failures downstream.  An enterprise "
    "fails when, for some part it requires, the share covered by its "
    "surviving suppliers falls below T (T = 0: when no supplier of the part "
    "survives); a link without a share covers 1/k of a part with k suppliers.  "
    "Required parts that nobody supplies in the input are pre-existing gaps: "
    "reported, never counted as failures.\n\n"
    "Shocks combine: firms, parks and regions failing and firms, parks or "
    "regions degraded to a fraction of their capacity, all at once.  Under "
    "--model fractional every firm has an output fraction: the smallest, over "
    "the parts it requires, of the shares of its suppliers times their "
    "fractions (capped at 1); a firm whose fraction falls below T fails.  "
    "final_demand_lost counts each firm's final demand times the fraction "
    "of its output lost.",
    cascade_options, sizeof(cascade_args), init_cascade, "FILE", 1, 1, run_cascade};
