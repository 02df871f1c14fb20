/*
 * cmd_centrality.c - chengyu centrality [--measure LIST] [--weighted]
 *     [--undirected] [--normalized] [--approx K] [--seed N]
 *     [--by park|cluster|region] [--top N] [--format table|csv|json] [-o OUT]
 *     FILE
 */
#include "cli.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

/* ---- the command ---------------------------------------------------------- */

typedef struct {
    cli_common common;
    const char *measures;
    int weighted, undirected, normalized;
    size_t approx;
    int approx_given;
    uint64_t seed;
    int by;
    size_t top;
    double max_seconds;
} centrality_args;

static void init_centrality(void *args_)
{
    centrality_args *args = args_;
    args->approx = (size_t)-1; /* not given: the library's automatic rule */
    args->seed = 1;
    args->by = -1;
}

static const cli_choice centrality_formats[] = {
    {"table", CLI_FORMAT_TABLE, "aligned columns for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "RFC 4180"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook, Chinese names next to ids"},
    {NULL, 0, NULL}};

/* The cli format asked for: the option, OUT's extension, or a table for a
 * person at a terminal, else CSV. */
static int chosen_format(const centrality_args *args)
{
    int f = args->common.format;
    if (f == CLI_FORMAT_NONE && args->common.output && strcmp(args->common.output, "-") != 0)
        f = cli_format_from_path(&cli_spec_centrality, args->common.output, CLI_FORMAT_CSV);
    if (f == CLI_FORMAT_NONE)
        f = isatty(STDOUT_FILENO) ? CLI_FORMAT_TABLE : CLI_FORMAT_CSV;
    return f;
}

/* The library's format for the cli format chosen (xlsx has its own
 * writer). */
static cy_format pick_format(const centrality_args *args)
{
    int f = chosen_format(args);
    return f == CLI_FORMAT_TABLE ? CY_FORMAT_TEXT
         : f == CLI_FORMAT_JSON  ? CY_FORMAT_JSON
                                 : CY_FORMAT_CSV;
}

/* Fill the library's options from the parsed args; returns -1, or the exit
 * code of a usage error (an unknown measure). */
static int centrality_options_from(const centrality_args *args, cy_centrality_options *opts)
{
    cy_error err;
    cy_status status;
    int code = -1;

    cy_centrality_options_init(opts);
    opts->weighted = args->weighted;
    opts->undirected = args->undirected;
    opts->normalized = args->normalized;
    if (args->approx != (size_t)-1)
        opts->approx_sources = (long)args->approx;
    opts->seed = args->seed;
    if (args->by >= 0)
        opts->group_kind = (cy_group_kind)args->by;
    if (!args->measures)
        return -1;
    cy_error_init(&err);
    status = cy_measure_list_parse(args->measures, opts->measures, &opts->measure_count, &err);
    if (status != CY_OK) {
        char *line = err.count ? cy_error_format(&err, 0) : NULL;
        code = cli_usage(&cli_spec_centrality, "--measure: %s",
                         line ? line : cy_status_string(status));
        cy_free(line);
    }
    cy_error_destroy(&err);
    return code;
}

static int run_centrality(void *args_, int count, char **operands)
{
    centrality_args *args = args_;
    const char *input = operands[0];
    cy_centrality_options opts;
    cy_write_options options;
    cy_network *net = NULL;
    cy_centrality_result *result = NULL;
    cli_progress progress;
    cy_error err;
    cli_output out;
    cy_status status;
    int code = CY_EXIT_FAILURE, xlsx = chosen_format(args) == CLI_FORMAT_XLSX;
    (void)count;

    if (xlsx && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_centrality, "--format xlsx needs -o FILE.xlsx");
    if ((code = centrality_options_from(args, &opts)) >= 0)
        return code;
    code = CY_EXIT_FAILURE;
    cli_progress_init(&progress, "centrality", args->common.quiet, args->max_seconds);
    opts.progress = cli_progress_update;
    opts.progress_data = &progress;
    cy_error_init(&err);
    if (!cli_progress_check_load(&progress, input) || !cli_load(input, &net, 1))
        goto cleanup;
    status = cy_centrality_compute(net, &opts, &result, &err);
    cli_progress_clear(&progress);
    if (status != CY_OK || !args->common.quiet)
        cli_report(&err);
    cy_error_clear(&err);
    if (status != CY_OK)
        goto cleanup;
    if (args->top && cy_centrality_keep_top(result, args->top, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, args->common.output, input))
        goto cleanup;
    cli_write_options(&args->common, pick_format(args), &options);
    options.format = pick_format(args);
    status = xlsx ? cy_centrality_write_xlsx(net, result, out.stream, &err)
                  : cy_centrality_write(result, &options, out.stream, &err);
    if (status != CY_OK)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_centrality_free(result);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice group_kinds[] = {
    {"park", CY_GROUP_PARK, "parks"},
    {"cluster", CY_GROUP_CLUSTER, "clusters"},
    {"region", CY_GROUP_REGION, "regions"},
    {NULL, 0, NULL}};

static const char *const centrality_synopsis[] = {
    "[--measure LIST] [--weighted] [--undirected] [--normalized]",
    "        [--approx K] [--seed N] [--by park|cluster|region] [--top N]",
    "        [--max-seconds S]",
    "        [--format table|csv|json|xlsx] [-o OUT] FILE", NULL};

static const cli_option centrality_options[] = {
    CLI_OPT_STRING('m', "measure", centrality_args, measures, "LIST",
                   "comma-separated, from degree, in_degree, out_degree,\n"
                   "strength, betweenness, closeness, harmonic, pagerank,\n"
                   "eigenvector, hub, authority, coreness\n"
                   "(default degree,betweenness,pagerank)"),
    CLI_OPT_FLAG('w', "weighted", centrality_args, weighted,
                 "use link volumes: weights for pagerank, eigenvector,\n"
                 "hub, authority; lengths 1/volume for betweenness,\n"
                 "closeness, harmonic"),
    CLI_OPT_FLAG('u', "undirected", centrality_args, undirected,
                 "the undirected view (a mutual pair is one edge)"),
    CLI_OPT_FLAG(0, "normalized", centrality_args, normalized,
                 "betweenness / ((n-1)(n-2)) (x2 undirected), harmonic\n"
                 "and degrees / (n-1)"),
    CLI_OPT_SIZE(0, "approx", centrality_args, approx, "K", 0, 1e18,
                 "betweenness from K sampled sources, scaled by n/K;\n"
                 "0 = always exact (default: exact unless it would\n"
                 "visit more than 5e8 edges, then 256 sources, with\n"
                 "a note)"),
    CLI_OPT_U64('s', "seed", centrality_args, seed, "N", "seed of the sample (default 1)"),
    CLI_OPT_CHOICE(0, "by", centrality_args, by, "KIND", group_kinds,
                   "rows are the parks, clusters or regions of the group\n"
                   "graph (edges between groups, volumes summed)"),
    CLI_OPT_TOP(centrality_args, top,
                "the N rows highest on the first measure, descending,\n"
                "ties by id"),
    CLI_OPT_MAX_SECONDS(centrality_args, max_seconds),
    CLI_OPT_FORMAT(centrality_args, centrality_formats,
                   "table (default on a terminal; alias text), csv\n"
                   "(default otherwise), json or xlsx; with -o, OUT's\n"
                   "extension (.csv, .json, .xlsx) picks the format"),
    CLI_OPT_OUTPUT(centrality_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(centrality_args),
    CLI_OPT_THREADS(centrality_args),
    CLI_OPT_LANG(centrality_args),
    CLI_OPT_CSV_RAW(centrality_args),
    CLI_OPT_END};

const cli_spec cli_spec_centrality = {
    "centrality", "centrality of firms, parks, clusters or regions",
    centrality_synopsis,
    "Centrality of every enterprise in the firm graph (supplier -> customer, "
    "one edge per pair, volumes summed), or of every park, cluster or region.",
    centrality_options, sizeof(centrality_args), init_centrality, "FILE", 1, 1,
    run_centrality};
