/*
 * cmd_stress.c - chengyu stress FILE (--fail ID ... [--fail-park P]
 *                [--fail-region R] [--degrade ID=FRACTION]
 *                | --each enterprise|park|region)
 *                [--days T | --ttr T] [--demand-of IDS] [--horizon H] [--top N]
 *                [--threads N]
 *                [--max-seconds S]
 *                [--format table|csv|json|md|xlsx] [-o OUT] [--plot FILE.svg|png]
 */
#include "cli.h"
#include "plot.h"

#include <math.h>
#include <string.h>

/* No --each. */
#define EACH_NONE (-2)

typedef struct {
    cli_common common;
    cli_strings fail, fail_park, fail_region, degrade, demand_of;
    int each;
    double days, horizon;
    double ttr; /* 0: not given */
    size_t top;
    const char *plot;
    int whole;
    double max_seconds;
} stress_args;

static void init_stress(void *args_)
{
    stress_args *args = args_;
    args->each = EACH_NONE;
    args->days = 0; /* not given: CY_STRESS_DAYS */
    args->horizon = CY_STRESS_HORIZON;
}

/* Whether the result goes out as a workbook: -f xlsx, or -o FILE.xlsx. */
static int wants_xlsx(const stress_args *args)
{
    int f = args->common.format;
    if (f == CLI_FORMAT_NONE && args->common.output && strcmp(args->common.output, "-") != 0)
        f = cli_format_from_path(&cli_spec_stress, args->common.output, CLI_FORMAT_NONE);
    return f == CLI_FORMAT_XLSX;
}

/* The checks the option table cannot express; returns -1 or the usage
 * error's exit code. */
static int check_stress_args(const stress_args *args)
{
    int named = args->fail.count || args->fail_park.count || args->fail_region.count ||
                args->degrade.count;
    cy_plot_format plot_format;
    int code;

    if (named == (args->each != EACH_NONE))
        return cli_usage(&cli_spec_stress, "give --fail, --fail-park, --fail-region or "
                                           "--degrade (one disruption), or --each");
    if ((code = cli_shock_check_degrade(&cli_spec_stress, &args->degrade)) >= 0)
        return code;
    if (args->days > 0 && args->ttr > 0)
        return cli_usage(&cli_spec_stress, "give --days or --ttr, not both: --ttr sets every "
                                           "disruption's time to recover, --days only where no "
                                           "failed firm gives recovery_days");
    if (wants_xlsx(args) && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_stress, "--format xlsx needs -o FILE.xlsx");
    if (args->plot && !cy_plot_format_from_path(args->plot, &plot_format))
        return cli_usage(&cli_spec_stress,
                         "--plot '%s': the name must end in .svg or .png", cli_echo(args->plot));
    {
        /* Committed together, two outputs onto one file would leave only
         * the second. */
        const char *paths[] = {args->plot, args->common.output};
        const char *labels[] = {"--plot", "-o"};
        if ((code = cli_outputs_distinct(paths, labels, 2)) != CY_EXIT_OK)
            return code;
    }
    return -1;
}

/*
 * Warn when --days was given and no disruption used it: the failed firms
 * of every one give recovery_days, which win (a disruption whose
 * recovery_days equal --days is taken as having used it).  An analyst who
 * asked "what if it is down for two weeks" learns that --ttr asks that.
 */
static void days_unused(const stress_args *args, const cy_stress_result *result)
{
    for (size_t k = 0; k < result->count; k++)
        if (result->disruptions[k].ttr_days == args->days)
            return;
    if (args->days > 0 && result->count > 0)
        cli_error("warning: --days %g not used: the failed firms give recovery_days "
                  "(time to recover %g days%s); --ttr %g sets it whatever they say",
                  args->days, result->disruptions[0].ttr_days,
                  result->count > 1 ? " for the first" : "", args->days);
}

/* Resolve the named disruption and run it.  Returns 1, or 0 after
 * printing (*usage set for a usage error). */
static int run_named(const cy_network *net, const char *input, const stress_args *args,
                     const cy_stress_options *options, cy_stress_result *result,
                     int *usage)
{
    cli_shock_args given = {&args->fail, &args->fail_park, &args->fail_region,
                            &args->degrade};
    cli_shock shock;
    cy_stress_options with_degraded = *options;
    int kind = CY_STRESS_FIRMS, ok, built;
    size_t group = 0;
    cy_error err;

    memset(&shock, 0, sizeof shock);
    built = cli_shock_build(&cli_spec_stress, net, input, &given, &shock);
    ok = built > 0;
    *usage = built < 0;
    with_degraded.degrade = shock.degrade;
    with_degraded.degrade_count = shock.degrade_count;
    /* One park or one region alone is labelled as that group. */
    if (ok && !args->fail.count && !args->degrade.count &&
        args->fail_park.count + args->fail_region.count == 1) {
        kind = args->fail_park.count ? CY_GROUP_PARK : CY_GROUP_REGION;
        cy_network_find_group(net, (cy_group_kind)kind,
                              kind == CY_GROUP_PARK ? args->fail_park.items[0]
                                                    : args->fail_region.items[0],
                              &group);
    }
    cy_error_init(&err);
    if (ok && cy_stress_run(net, &with_degraded, shock.fail.items, shock.fail.count, kind,
                            group, result, &err) != CY_OK) {
        cli_report(&err);
        ok = 0;
    }
    cy_error_destroy(&err);
    cli_shock_destroy(&shock);
    return ok;
}

/* Draw the TTS-versus-TTR chart in the format of `plot_path`'s extension
 * into *data (of *size bytes, cy_free it).  Returns 1, or 0 after printing
 * the error. */
static int draw_plot(const char *plot_path, const cy_network *net,
                     const cy_stress_result *result, unsigned char **data, size_t *size)
{
    cy_plot_options options = {NULL, NULL, NULL, 0, 0};
    cy_plot_format format;
    cy_error err;
    int ok;

    options.network = cy_network_name(net);
    cy_error_init(&err);
    ok = cy_plot_format_from_path(plot_path, &format) &&
         cy_plot_stress(net, result, &options, format, data, size, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    cy_error_destroy(&err);
    cy_plot_shutdown(); /* the only plot of this process */
    return ok;
}

/* Write the result (and the plot), committed together: a failure of
 * either keeps both earlier files.  Returns the exit code. */
static int write_result(const cy_network *net, const char *input, const stress_args *args,
                        const cy_stress_result *result)
{
    cy_write_options options;
    cli_output out, plot_out;
    cy_error err;
    unsigned char *plot = NULL;
    size_t plot_size = 0;
    int ok;

    if (args->plot) {
        if (!draw_plot(args->plot, net, result, &plot, &plot_size))
            return CY_EXIT_FAILURE;
        if (!cli_output_begin(&plot_out, args->plot, input)) {
            cy_free(plot);
            return CY_EXIT_FAILURE;
        }
        /* A failure (memory) sets the stream's error flag: the commit
         * reports it. */
        fwrite(plot, 1, plot_size, plot_out.stream);
        cy_free(plot);
    }
    cli_write_options(&args->common, CY_FORMAT_TEXT, &options);
    options.top = args->top;
    if (!cli_output_begin(&out, args->common.output, input)) {
        if (args->plot)
            cli_output_end(&plot_out, 0);
        return CY_EXIT_FAILURE;
    }
    cy_error_init(&err);
    ok = cli_write(wants_xlsx(args)
                       ? cy_stress_write_xlsx(net, result, args->top, out.stream, &err)
                       : cy_stress_write(net, result, &options, out.stream, &err),
                   &err);
    cy_error_destroy(&err);
    {
        cli_output *both[] = {&out, &plot_out};
        return cli_outputs_end(both, args->plot ? 2 : 1, ok);
    }
}

/*
 * What the stress programs need, checked before they run so that the
 * messages name the file (a stop for --max-seconds from the programs
 * stays "stress: ..."): stress data (cy_stress_check, its diagnostics
 * with the file), and --demand-of firms with some final demand.  1, or 0
 * after printing the problem.
 */
static int data_ready(const cy_network *net, const char *input, const cli_index_list *demand_of)
{
    const char *name = strcmp(input, "-") == 0 ? "<stdin>" : input;
    double demand = 0.0;
    cy_error err;
    int ok;

    cy_error_init(&err);
    err.file = name;
    if (!(ok = cy_stress_check(net, &err) == CY_OK))
        cli_report(&err);
    cy_error_destroy(&err);
    for (size_t k = 0; ok && k < demand_of->count; k++)
        demand += fmax(cy_enterprise_final_demand(net, demand_of->items[k]), 0.0);
    if (ok && demand_of->count && !(demand > 0)) {
        cli_error("%s: --demand-of: \"%s\"%s %s no final demand (final_demand, or output_value "
                  "less deliveries): there is nothing to serve", name,
                  cli_echo(cy_enterprise_id(net, demand_of->items[0])),
                  demand_of->count > 1 ? " and the others" : "",
                  demand_of->count > 1 ? "have" : "has");
        ok = 0;
    }
    return ok;
}

static int run_stress(void *args_, int count, char **operands)
{
    stress_args *args = args_;
    const char *input = operands[0];
    cy_stress_options options;
    cy_stress_result result;
    cy_network *net = NULL;
    cli_progress progress;
    cli_index_list demand_of;
    cy_error err;
    int code, usage = 0, ok;
    (void)count;

    if ((code = check_stress_args(args)) >= 0)
        return code;
    code = CY_EXIT_FAILURE;
    cy_stress_options_init(&options);
    options.days = args->ttr > 0 ? args->ttr : args->days > 0 ? args->days : CY_STRESS_DAYS;
    options.days_fixed = args->ttr > 0;
    demand_of.items = NULL;
    demand_of.count = demand_of.capacity = 0;
    options.horizon = args->horizon;
    options.whole_network = args->whole;
    cli_progress_init(&progress, "stress", args->common.quiet, args->max_seconds);
    options.progress = cli_progress_update;
    options.progress_data = &progress;
    if (!cli_load(input, &net, args->common.quiet))
        return CY_EXIT_FAILURE;
    for (size_t k = 0; k < args->demand_of.count; k++) {
        int resolved = cli_resolve_ids(&cli_spec_stress, net, input, "--demand-of",
                                       args->demand_of.items[k], &demand_of);
        if (resolved <= 0) {
            cy_free(demand_of.items);
            cy_network_free(net);
            return resolved < 0 ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
        }
    }
    options.demand_of = demand_of.items;
    options.demand_of_count = demand_of.count;
    if (!data_ready(net, input, &demand_of)) {
        cy_free(demand_of.items);
        cy_network_free(net);
        return CY_EXIT_FAILURE;
    }
    cy_error_init(&err);
    if (args->each != EACH_NONE) {
        ok = cy_stress_each(net, &options, args->each, &result, &err) == CY_OK;
        cli_progress_clear(&progress);
        if (!ok)
            cli_report(&err);
    } else {
        ok = run_named(net, input, args, &options, &result, &usage);
    }
    cy_error_destroy(&err);
    if (ok) {
        if (!args->common.quiet)
            days_unused(args, &result);
        code = write_result(net, input, args, &result);
        cy_stress_result_destroy(&result);
    } else if (usage) {
        code = CY_EXIT_USAGE;
    }
    cy_free(demand_of.items);
    cy_network_free(net);
    return code;
}

static const cli_choice each_kinds[] = {
    {"enterprise", CY_STRESS_FIRMS, "every enterprise alone"},
    {"park", CY_GROUP_PARK, "every park as a whole"},
    {"region", CY_GROUP_REGION, "every region as a whole"},
    {NULL, 0, NULL}};

static const cli_choice stress_formats[] = {
    {"table", CLI_FORMAT_TABLE, "aligned columns for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "one row per disruption (RFC 4180)"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"md", CLI_FORMAT_MD, "Markdown"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook: disruptions, losses, Chinese names\n"
                              "next to ids (needs -o FILE.xlsx)"},
    {NULL, 0, NULL}};

static const char *const stress_synopsis[] = {
    "(--fail ID ... [--fail-park PARK] [--fail-region REGION]",
    "        [--degrade ID=FRACTION] | --each WHAT)",
    "        [--days T | --ttr T] [--demand-of IDS] [--horizon H] [--top N]",
    "        [--threads N]",
    "        [--max-seconds S]",
    "        [--format table|csv|json|md|xlsx]",
    "        [--plot FILE.svg|FILE.png] [-o OUT] FILE", NULL};

static const cli_option stress_options[] = {
    CLI_OPT_STRINGS(0, "fail", stress_args, fail, "IDS",
                    "failed enterprises, comma-separated (repeatable)"),
    CLI_OPT_STRINGS('P', "fail-park", stress_args, fail_park, "PARK",
                    "every enterprise of a park fails too (repeatable)"),
    CLI_OPT_STRINGS('R', "fail-region", stress_args, fail_region, "REGION",
                    "every enterprise of a region fails too (repeatable)"),
    CLI_OPT_STRINGS(0, "degrade", stress_args, degrade, "ID=FRACTION",
                    "leave an enterprise, or every enterprise of a park or\n"
                    "region, FRACTION in [0, 1] of its capacity (repeatable;\n"
                    "0 is a failure)"),
    CLI_OPT_CHOICE_ONCE('e', "each", stress_args, each, "WHAT", each_kinds,
                        "every enterprise alone, every park or every region,\n"
                        "ranked by impact (ties by id)"),
    CLI_OPT_POSITIVE(0, "days", stress_args, days, "T", 1e9,
                 "recovery time in days when no failed firm gives\n"
                 "recovery_days (default 30)"),
    CLI_OPT_STRINGS(0, "demand-of", stress_args, demand_of, "IDS",
                    "count only these firms' final demand (the automakers,\n"
                    "say; comma-separated, repeatable): the time to survive\n"
                    "is how long they keep serving theirs, the others' outside\n"
                    "sales being given up for them"),
    CLI_OPT_POSITIVE(0, "ttr", stress_args, ttr, "T", 1e9,
                 "every disruption lasts T days (its time to recover),\n"
                 "whatever the failed firms' recovery_days say"),
    CLI_OPT_POSITIVE(0, "horizon", stress_args, horizon, "H", 1e9,
                 "longest time to survive looked for, in days\n"
                 "(default 365)"),
    CLI_OPT_TOP(stress_args, top, "only the first N disruptions, and N firms of each\n"
                                  "disruption's losses"),
    CLI_OPT_FILE(0, "plot", stress_args, plot, "PLOT",
                 "also draw time to survive against time to recover\n"
                 "(.svg or .png)"),
    CLI_OPT_MAX_SECONDS(stress_args, max_seconds),
    {0, "whole-network", CLI_FLAG, offsetof(stress_args, whole), NULL,
     "solve every program on the whole network (slower;\nthe same answers)", NULL, 0, 0,
     CLI_HIDDEN},
    CLI_OPT_FORMAT(stress_args, stress_formats,
                   "table (default; alias text), csv, json, md or xlsx;\n"
                   "with -o, OUT's extension picks the format"),
    CLI_OPT_OUTPUT(stress_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(stress_args),
    CLI_OPT_THREADS(stress_args),
    CLI_OPT_LANG(stress_args),
    CLI_OPT_CSV_RAW(stress_args),
    CLI_OPT_END};

const cli_spec cli_spec_stress = {
    "stress", "time to survive and impact of disruptions (linear programs)",
    stress_synopsis,
    "Stress-test the network (Simchi-Levi et al.): for a disruption, the time "
    "to survive is how many days the rest of the network can keep serving all "
    "its final demand with its stock (inventory_days) and spare capacity "
    "(capacity), every supplier free to deliver more to the customers it has; "
    "the impact is the final demand lost over the time to recover (the "
    "longest recovery_days of the failed firms, else --days; --ttr sets it "
    "for every disruption) at the best "
    "reallocation.  Both are linear programs solved with GLPK; every link "
    "needs a volume.  A disruption is exposed when it survives less long "
    "than it takes to recover.  --fail, --fail-park, --fail-region and "
    "--degrade (a firm, park or region left at a fraction of its capacity) "
    "together make one disruption; --each runs every single one.",
    stress_options, sizeof(stress_args), init_stress, "FILE", 1, 1, run_stress};
