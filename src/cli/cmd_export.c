/*
 * cmd_export.c - chengyu export --format graphml|csv|dot|xlsx
 *                 [--with weak-links,centrality] [-o OUT] FILE
 */
#include "cli.h"
#include "chengyu_render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "OUT" + suffix, with a trailing ".csv" of OUT dropped; NULL on OOM. */
static char *csv_path(const char *base, const char *suffix)
{
    size_t len = strlen(base);
    char *path;
    if (len > 4 && strcmp(base + len - 4, ".csv") == 0)
        len -= 4;
    path = cy_malloc(len + strlen(suffix) + 1);
    if (path) {
        memcpy(path, base, len);
        strcpy(path + len, suffix);
    }
    return path;
}

/*
 * The pace of each format for the estimate before it starts: seconds per
 * firm and link after the load, 1.5 times what the national preset took
 * (docs/performance.md, "The estimates before a run").  DOT goes through
 * cgraph in an isolated process that reports no progress: its estimate is
 * shown until it ends.
 */
#define EXPORT_SECONDS_CSV 3.5e-6
#define EXPORT_SECONDS_GRAPHML 1.3e-5
#define EXPORT_SECONDS_DOT 7.5e-5
#define EXPORT_SECONDS_XLSX 1.4e-4

/* The outputs a --max-seconds stop must abort (cli_progress_on_stop). */
typedef struct {
    cli_output *outputs[2];
    int open[2];
} open_outputs;

static void abort_outputs(void *data)
{
    open_outputs *o = data;
    for (int k = 0; k < 2; k++)
        if (o->open[k])
            cli_output_end(o->outputs[k], 0);
}

/* Both tables are written in full to their temporary files first, then
 * committed together: a failure keeps both old files. */
static int export_csv(const cy_network *net, const char *input, const cli_common *common,
                      cli_progress *progress, cy_error *err)
{
    const char *base = common->output;
    cy_write_options options;
    char *nodes_path = csv_path(base, ".nodes.csv");
    char *edges_path = csv_path(base, ".edges.csv");
    cli_output nodes, edges;
    open_outputs stop = {{&nodes, &edges}, {0, 0}};
    int have_nodes = 0, have_edges = 0, code = CY_EXIT_FAILURE, ok;

    if (!nodes_path || !edges_path) {
        cli_error("out of memory");
        goto cleanup;
    }
    {
        const char *paths[] = {nodes_path, edges_path};
        if ((code = cli_outputs_distinct(paths, NULL, 2)) != CY_EXIT_OK)
            goto cleanup;
        code = CY_EXIT_FAILURE;
    }
    if (!(have_nodes = cli_output_begin(&nodes, nodes_path, input)) ||
        !(have_edges = cli_output_begin(&edges, edges_path, input)))
        goto cleanup;
    stop.open[0] = stop.open[1] = 1;
    cli_progress_on_stop(progress, abort_outputs, &stop);
    cli_write_options(common, CY_FORMAT_CSV, &options);
    ok = cy_export_csv_run(net, &options, cli_progress_update, progress, nodes.stream,
                           edges.stream, err) == CY_OK;
    cli_progress_clear(progress);
    if (!ok || !common->quiet)
        cli_report(err);
    have_nodes = have_edges = 0;
    {
        cli_output *both[] = {&nodes, &edges};
        code = cli_outputs_end(both, 2, ok);
    }
cleanup:
    if (have_nodes)
        cli_output_end(&nodes, 0);
    if (have_edges)
        cli_output_end(&edges, 0);
    cy_free(nodes_path);
    cy_free(edges_path);
    return code;
}

typedef struct {
    cli_common common;
    const char *with;
    double threshold, max_seconds;
} export_args;

/* ---- --with: analysis results as GraphML node attributes ------------- */

enum { WITH_WEAK_LINKS = 1, WITH_CENTRALITY = 2 };

/* The register's columns, in the order they are written. */
enum {
    A_RANK, A_FINAL_DEMAND_LOST, A_FRACTION, A_FAILED, A_DEMAND_NODES,
    A_SINGLE_SOURCE, A_CHOKEPOINT_OF, A_ARTICULATION, A_BRIDGES, A_REGISTER_COUNT
};
static const char *const register_names[A_REGISTER_COUNT] = {
    "register_rank", "final_demand_lost", "final_demand_lost_fraction", "failed_count",
    "demand_nodes_failed", "single_source_pairs", "chokepoint_of", "articulation_point",
    "bridges"};

typedef struct {
    cy_export_attribute attributes[A_REGISTER_COUNT + CY_MEASURE_COUNT];
    double *values;   /* n per attribute */
    size_t count, n;
} with_columns;

/* Parse "weak-links,centrality" into WITH_* bits; 0 after a usage error. */
static int parse_with(const char *list, int *bits)
{
    const char *p = list;
    *bits = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 10 && strncmp(p, "weak-links", len) == 0)
            *bits |= WITH_WEAK_LINKS;
        else if (len == 10 && strncmp(p, "centrality", len) == 0)
            *bits |= WITH_CENTRALITY;
        else
            return cli_usage(&cli_spec_export, "--with: unknown analysis '%.*s' "
                             "(weak-links, centrality)", (int)len, p), 0;
        p += len + (p[len] == ',');
    }
    return *bits != 0 || (cli_usage(&cli_spec_export, "--with needs weak-links, "
                                    "centrality or both"), 0);
}

/* The next attribute's column, named `name`. */
static double *add_column(with_columns *c, const char *name)
{
    double *values = c->values + c->count * c->n;
    c->attributes[c->count].name = name;
    c->attributes[c->count].values = values;
    c->count++;
    return values;
}

/*
 * The register's impact and roles per firm.  A firm outside the register
 * fails no other firm, so its own failure stops just itself: its impact
 * is its own final demand, one failed firm, and itself as a demand node
 * when it is one; its roles are all 0 and its rank 0.
 */
static void register_columns(const cy_network *net, const cy_weaklinks *rep, with_columns *c)
{
    double *col[A_REGISTER_COUNT], total = rep->final_demand_total;
    for (int a = 0; a < A_REGISTER_COUNT; a++)
        col[a] = add_column(c, register_names[a]);
    for (size_t i = 0; i < c->n; i++) {
        double own = cy_enterprise_final_demand(net, i);
        for (int a = 0; a < A_REGISTER_COUNT; a++)
            col[a][i] = 0;
        col[A_FINAL_DEMAND_LOST][i] = own;
        col[A_FRACTION][i] = total > 0 ? own / total : NAN;
        col[A_FAILED][i] = 1;
        col[A_DEMAND_NODES][i] = cy_enterprise_is_demand_node(net, i);
    }
    for (size_t r = 0; r < rep->register_count; r++) {
        const cy_wl_register_row *row = &rep->register_rows[r];
        size_t i = row->enterprise;
        col[A_RANK][i] = (double)(r + 1);
        col[A_FINAL_DEMAND_LOST][i] = row->impact.final_demand_lost;
        col[A_FRACTION][i] = total > 0 ? row->impact.final_demand_lost / total : NAN;
        col[A_FAILED][i] = (double)row->impact.failed_count;
        col[A_DEMAND_NODES][i] = (double)row->impact.demand_nodes_failed;
        col[A_SINGLE_SOURCE][i] = (double)row->single_source_pairs;
        col[A_CHOKEPOINT_OF][i] = (double)row->chokepoint_of_count;
        col[A_ARTICULATION][i] = row->articulation_point;
        col[A_BRIDGES][i] = (double)row->bridges;
    }
}

static int add_weak_links(const cy_network *net, double threshold, cli_progress *progress,
                          with_columns *c)
{
    cy_weaklinks_options options = {threshold, cli_progress_update, progress};
    cy_weaklinks *report = NULL;
    cy_error err;
    int ok;

    cy_error_init(&err);
    ok = cy_weaklinks_compute(net, &options, &report, &err) == CY_OK;
    cli_progress_clear(progress);
    if (ok)
        register_columns(net, report, c);
    else
        cli_report(&err);
    cy_weaklinks_free(report);
    cy_error_destroy(&err);
    return ok;
}

/* The default measures (degree, betweenness, pagerank), one column each. */
static int add_centrality(const cy_network *net, cli_progress *progress, with_columns *c)
{
    cy_centrality_options options;
    cy_centrality_result *result = NULL;
    cy_error err;
    int ok;

    cy_centrality_options_init(&options);
    options.progress = cli_progress_update;
    options.progress_data = progress;
    cy_error_init(&err);
    ok = cy_centrality_compute(net, &options, &result, &err) == CY_OK;
    cli_progress_clear(progress);
    if (!ok)
        cli_report(&err);
    for (size_t k = 0; ok && k < cy_centrality_measure_count(result); k++) {
        double *col = add_column(c, cy_measure_name(cy_centrality_measure(result, k)));
        for (size_t r = 0; r < cy_centrality_row_count(result); r++)
            col[cy_centrality_row_index(result, r)] = cy_centrality_value(result, r, k);
    }
    cy_centrality_free(result);
    cy_error_destroy(&err);
    return ok;
}

/* Compute what `bits` asks for into c (with_free it); 0 after printing
 * the error. */
static int with_compute(const cy_network *net, int bits, double threshold,
                        cli_progress *progress, with_columns *c)
{
    size_t slots = A_REGISTER_COUNT + CY_MEASURE_COUNT;
    c->count = 0;
    c->n = cy_network_enterprise_count(net);
    if (!(c->values = cy_calloc(slots * (c->n ? c->n : 1), sizeof *c->values))) {
        cli_error("out of memory");
        return 0;
    }
    if ((bits & WITH_WEAK_LINKS) && !add_weak_links(net, threshold, progress, c))
        return 0;
    return !(bits & WITH_CENTRALITY) || add_centrality(net, progress, c);
}

/* The writing's estimate before it starts: 0 after the --max-seconds
 * refusal.  DOT's estimate stays on a terminal while cgraph runs. */
static int check_estimate(cli_progress *progress, const cy_network *net, int format)
{
    double size = (double)(cy_network_enterprise_count(net) + cy_network_link_count(net));
    double rate = format == CLI_FORMAT_CSV       ? EXPORT_SECONDS_CSV
                  : format == CLI_FORMAT_GRAPHML ? EXPORT_SECONDS_GRAPHML
                  : format == CLI_FORMAT_XLSX    ? EXPORT_SECONDS_XLSX
                                                 : EXPORT_SECONDS_DOT;
    char what[96];
    snprintf(what, sizeof what, "writing %s of %zu firms, %zu links",
             format == CLI_FORMAT_CSV       ? "CSV"
             : format == CLI_FORMAT_GRAPHML ? "GraphML"
             : format == CLI_FORMAT_XLSX    ? "the workbook"
                                            : "DOT",
             cy_network_enterprise_count(net), cy_network_link_count(net));
    if (format == CLI_FORMAT_DOT) {
        /* cli_progress_expect keeps the name it is given until cleared. */
        static char dot_what[96];
        memcpy(dot_what, what, sizeof dot_what);
        return cli_progress_expect(progress, dot_what, size * rate);
    }
    cli_progress_steps(progress);
    return cli_progress_check(progress, what, size * rate);
}

static int run_export(void *args_, int count, char **operands)
{
    export_args *args = args_;
    const char *input = operands[0], *output_path = args->common.output;
    int format = args->common.format, quiet = args->common.quiet;
    int code = CY_EXIT_FAILURE, with = 0;
    with_columns columns = {{{NULL, NULL}}, NULL, 0, 0};
    cy_network *net = NULL;
    cli_progress progress;
    open_outputs stop;
    cy_status status;
    cli_output out;
    cy_error err;
    (void)count;

    if (format == CLI_FORMAT_NONE)
        return cli_usage(&cli_spec_export, "--format is required (graphml, csv, dot or xlsx)");
    if (format == CLI_FORMAT_XLSX && cli_binary_to_terminal(output_path))
        return cli_usage(&cli_spec_export, "--format xlsx needs -o FILE.xlsx");
    if (format == CLI_FORMAT_CSV && (!output_path || strcmp(output_path, "-") == 0))
        return cli_usage(&cli_spec_export, "--format csv needs -o OUT (writes "
                         "OUT.nodes.csv and OUT.edges.csv)");
    if (args->with && format != CLI_FORMAT_GRAPHML)
        return cli_usage(&cli_spec_export, "--with needs --format graphml");
    if (args->with && !parse_with(args->with, &with))
        return CY_EXIT_USAGE;
    cy_error_init(&err);
    cli_progress_init(&progress, "export", quiet, args->max_seconds);
    if (!cli_progress_check_load(&progress, input) || !cli_load(input, &net, 1))
        goto cleanup;
    if (with && !with_compute(net, with, args->threshold, &progress, &columns))
        goto cleanup;
    if (!check_estimate(&progress, net, format))
        goto cleanup;
    if (format == CLI_FORMAT_CSV) {
        code = export_csv(net, input, &args->common, &progress, &err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    stop = (open_outputs){{&out, NULL}, {1, 0}};
    cli_progress_on_stop(&progress, abort_outputs, &stop);
    if (format == CLI_FORMAT_XLSX) {
        cy_import_options import;
        /* The workbook is written from the document: the network was
         * only needed to validate it, and need not sit beside it. */
        cy_network_free(net);
        net = NULL;
        status = cli_import_options(&import)
                     ? cy_export_xlsx_run(input, &import, cli_progress_update, &progress,
                                          out.stream, &err)
                     : CY_EUSAGE;
    } else {
        status = format == CLI_FORMAT_GRAPHML
                     ? cy_export_graphml_run(net, columns.attributes, columns.count,
                                             cli_progress_update, &progress, out.stream, &err)
                     : cy_export_dot(net, NULL, out.stream, &err);
    }
    cli_progress_clear(&progress);
    if (status != CY_OK || !quiet)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_free(columns.values);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice export_formats[] = {
    {"graphml", CLI_FORMAT_GRAPHML, "GraphML"},
    {"csv", CLI_FORMAT_CSV, "two tables"},
    {"dot", CLI_FORMAT_DOT, "Graphviz DOT"},
    {"gv", CLI_FORMAT_DOT, NULL},
    {"xlsx", CLI_FORMAT_XLSX, "a workbook that 'chengyu import' reads back"},
    {NULL, 0, NULL}};

static const char *const export_synopsis[] = {
    "--format graphml|csv|dot|xlsx [--max-seconds S] [-o OUT] FILE",
    "--format graphml --with weak-links,centrality [--threshold T] [-o OUT] FILE", NULL};

static const cli_option export_options[] = {
    CLI_OPT_FORMAT(export_args, export_formats,
                   "graphml, csv, dot or xlsx (default: from OUT's\n"
                   "extension)"),
    {0, "to", CLI_CHOICE, offsetof(export_args, common.format), "F", "", export_formats,
     0, 0, CLI_HIDDEN},
    CLI_OPT_OUTPUT(export_args,
                   "write to OUT atomically (default: standard output;\n"
                   "csv needs it: OUT.nodes.csv and OUT.edges.csv, a\n"
                   "trailing .csv in OUT is dropped first)"),
    CLI_OPT_STRING(0, "with", export_args, with, "LIST",
                   "graphml: add analysis results as node attributes:\n"
                   "weak-links (the register's rank, impact and roles),\n"
                   "centrality (degree, betweenness, pagerank), or both"),
    CLI_OPT_THRESHOLD(export_args, threshold),
    CLI_OPT_MAX_SECONDS(export_args, max_seconds),
    CLI_OPT_QUIET(export_args),
    CLI_OPT_THREADS(export_args),
    CLI_OPT_CSV_RAW(export_args),
    CLI_OPT_END};

const cli_spec cli_spec_export = {
    "export", "write the network as GraphML, CSV, DOT or an .xlsx workbook", export_synopsis,
    "Write the network for other tools.  graphml: igraph's GraphML writer, "
    "nodes named by the enterprise ids, every field an attribute and "
    "'label' the name (Gephi, Cytoscape, yEd, NetworkX); csv: two tables "
    "OUT.nodes.csv and OUT.edges.csv; dot: Graphviz DOT through cgraph, parks "
    "and regions as clusters; xlsx: a workbook, one sheet per record kind and "
    "one column per key, that 'chengyu import' reads back.  List fields are "
    "joined with ';' ('\\;' and "
    "'\\\\' escape).  --to is an older name of --format.",
    export_options, sizeof(export_args), NULL, "FILE", 1, 1, run_export};
