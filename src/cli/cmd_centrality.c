/*
 * cmd_centrality.c - chengyu centrality FILE [--measure LIST] [--weighted]
 *     [--undirected] [--normalized] [--approx K] [--seed N]
 *     [--by park|cluster|region] [--top N] [--format table|csv|json|xlsx] [-o OUT]
 */
#include "cli.h"

#include <getopt.h>
#include <limits.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const centrality_usage[] = {
    "usage: chengyu centrality [--measure LIST] [--weighted] [--undirected]",
    "                          [--normalized] [--approx K] [--seed N]",
    "                          [--by park|cluster|region] [--top N]",
    "                          [--format table|csv|json|xlsx] [-o OUT] FILE",
    "",
    "Centrality of every enterprise in the firm graph (supplier -> customer, one",
    "edge per pair, volumes summed), or of every park, cluster or region.",
    "",
    "    -m, --measure LIST  comma-separated, from degree, in_degree, out_degree,",
    "                        strength, betweenness, closeness, harmonic, pagerank,",
    "                        eigenvector, hub, authority, coreness",
    "                        (default degree,betweenness,pagerank)",
    "    -w, --weighted      use link volumes: weights for pagerank, eigenvector,",
    "                        hub, authority; lengths 1/volume for betweenness,",
    "                        closeness, harmonic",
    "    -u, --undirected    the undirected view (a mutual pair is one edge)",
    "    -n, --normalized    betweenness / ((n-1)(n-2)) (x2 undirected), harmonic",
    "                        and degrees / (n-1)",
    "        --approx K      betweenness from K sampled sources, scaled by n/K;",
    "                        0 = always exact (default: exact unless it would",
    "                        visit more than 5e8 edges, then 256 sources, with",
    "                        a note)",
    "        --seed N        seed of the sample (default 1)",
    "        --by KIND       rows are the parks, clusters or regions of the group",
    "                        graph (edges between groups, volumes summed)",
    "        --top N         the N rows highest on the first measure, descending,",
    "                        ties by id",
    "    -f, --format F      table (default on a terminal), csv (default otherwise,",
    "                        and for -o unless OUT ends in .json or .xlsx), json",
    "                        or xlsx (a workbook: Chinese names next to ids)",
    "    -o, --output OUT    write to OUT atomically instead of standard output",
    "    -h, --help          show this help",
    NULL};

/* ---- progress bar -------------------------------------------------------- */

/* Drawn only on a terminal and only once a computation has run for
 * PROGRESS_DELAY seconds, so quick runs print nothing. */
#define PROGRESS_DELAY 0.5
#define PROGRESS_WIDTH 30

typedef struct {
    struct timespec started;
    const char *measure;
    int last_percent;
    int drawn;
} progress_state;

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void progress_clear(progress_state *p)
{
    if (p->drawn) {
        fprintf(stderr, "\r%*s\r", PROGRESS_WIDTH + 40, "");
        fflush(stderr);
        p->drawn = 0;
    }
}

static void progress_draw(const char *measure, double percent, void *data)
{
    progress_state *p = data;
    int whole = (int)percent, filled;

    if (measure != p->measure) {
        progress_clear(p);
        p->measure = measure;
        p->last_percent = -1;
        clock_gettime(CLOCK_MONOTONIC, &p->started);
    }
    if (whole == p->last_percent || seconds_since(&p->started) < PROGRESS_DELAY)
        return;
    if (whole >= 100) {
        progress_clear(p);
        return;
    }
    p->last_percent = whole;
    filled = whole * PROGRESS_WIDTH / 100;
    fprintf(stderr, "\rchengyu: %-12s [%.*s%*s] %3d%%", measure, filled,
            "##############################", PROGRESS_WIDTH - filled, "", whole);
    fflush(stderr);
    p->drawn = 1;
}

/* ---- options -------------------------------------------------------------- */

/* The format when none is given: a table for a person at a terminal, else
 * CSV, or JSON for an output file named *.json. */
static cy_centrality_format default_format(const char *output_path)
{
    if (output_path && strcmp(output_path, "-") != 0) {
        size_t len = strlen(output_path);
        if (len >= 5 && strcmp(output_path + len - 5, ".json") == 0)
            return CY_CENTRALITY_JSON;
        return CY_CENTRALITY_CSV;
    }
    return isatty(STDOUT_FILENO) ? CY_CENTRALITY_TABLE : CY_CENTRALITY_CSV;
}

int cmd_centrality(int argc, char **argv)
{
    enum { OPT_APPROX = 256, OPT_SEED, OPT_BY, OPT_TOP };
    static const struct option options[] = {
        {"measure", required_argument, NULL, 'm'},
        {"weighted", no_argument, NULL, 'w'},
        {"undirected", no_argument, NULL, 'u'},
        {"normalized", no_argument, NULL, 'n'},
        {"approx", required_argument, NULL, OPT_APPROX},
        {"seed", required_argument, NULL, OPT_SEED},
        {"by", required_argument, NULL, OPT_BY},
        {"top", required_argument, NULL, OPT_TOP},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cy_centrality_options opts;
    cy_centrality_format format = CY_CENTRALITY_CSV;
    int xlsx = 0;
    const char *format_name = NULL, *output_path = NULL, *measures = NULL,
               *by = NULL, *input;
    unsigned long long value, top = 0;
    cy_network *net = NULL;
    cy_centrality_result *result = NULL;
    progress_state progress = {{0, 0}, NULL, -1, 0};
    cy_error err;
    cli_output out;
    cy_status status;
    int c, code = CY_EXIT_FAILURE;

    cy_centrality_options_init(&opts);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "m:wunf:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'm': measures = optarg; break;
        case 'w': opts.weighted = 1; break;
        case 'u': opts.undirected = 1; break;
        case 'n': opts.normalized = 1; break;
        case OPT_APPROX:
            if (!cli_parse_ulong(optarg, (unsigned long long)LONG_MAX, &value))
                return cli_usage_error(centrality_usage, "centrality: --approx expects a number of sources (0 = exact), got '%s'", optarg);
            opts.approx_sources = (long)value;
            break;
        case OPT_SEED:
            if (!cli_parse_ulong(optarg, UINT64_MAX, &value))
                return cli_usage_error(centrality_usage, "centrality: --seed expects a non-negative integer, got '%s'", optarg);
            opts.seed = value;
            break;
        case OPT_BY: by = optarg; break;
        case OPT_TOP:
            if (!cli_parse_ulong(optarg, (unsigned long long)SIZE_MAX, &top) || top == 0)
                return cli_usage_error(centrality_usage, "centrality: --top expects a positive integer, got '%s'", optarg);
            break;
        case 'f': format_name = optarg; break;
        case 'o': output_path = optarg; break;
        case 'h': return cli_help(centrality_usage);
        default:
            return cli_usage_error(centrality_usage, "centrality: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(centrality_usage, "centrality: expected one FILE");
    input = argv[optind];
    if (measures) {
        cy_error_init(&err);
        status = cy_measure_list_parse(measures, opts.measures, &opts.measure_count, &err);
        if (status != CY_OK) {
            char *line = err.count ? cy_error_format(&err, 0) : NULL;
            code = cli_usage_error(centrality_usage, "centrality: --measure: %s",
                                   line ? line : cy_status_string(status));
            cy_free(line);
            cy_error_destroy(&err);
            return code;
        }
        cy_error_destroy(&err);
    }
    if (by) {
        if (strcmp(by, "park") == 0)
            opts.group_kind = CY_GROUP_PARK;
        else if (strcmp(by, "cluster") == 0)
            opts.group_kind = CY_GROUP_CLUSTER;
        else if (strcmp(by, "region") == 0)
            opts.group_kind = CY_GROUP_REGION;
        else
            return cli_usage_error(centrality_usage, "centrality: --by expects park, cluster or region, got '%s'", by);
    }
    if (!format_name) {
        size_t len = output_path ? strlen(output_path) : 0;
        format = default_format(output_path);
        xlsx = len >= 5 && strcmp(output_path + len - 5, ".xlsx") == 0;
    }
    else if (strcmp(format_name, "table") == 0)
        format = CY_CENTRALITY_TABLE;
    else if (strcmp(format_name, "csv") == 0)
        format = CY_CENTRALITY_CSV;
    else if (strcmp(format_name, "json") == 0)
        format = CY_CENTRALITY_JSON;
    else if (strcmp(format_name, "xlsx") == 0)
        xlsx = 1;
    else
        return cli_usage_error(centrality_usage, "centrality: unknown format '%s' (table, csv, json or xlsx)", format_name);
    if (xlsx && cli_binary_to_terminal(output_path))
        return cli_usage_error(centrality_usage, "centrality: --format xlsx needs -o FILE.xlsx");
    if (isatty(STDERR_FILENO)) {
        opts.progress = progress_draw;
        opts.progress_data = &progress;
    }

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    status = cy_centrality_compute(net, &opts, &result, &err);
    progress_clear(&progress);
    cli_report(&err);
    cy_error_clear(&err);
    if (status != CY_OK)
        goto cleanup;
    if (top && cy_centrality_keep_top(result, (size_t)top, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    status = xlsx ? cy_centrality_write_xlsx(net, result, out.stream, &err)
                  : cy_centrality_write(result, format, out.stream, &err);
    if (status != CY_OK)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_centrality_free(result);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
