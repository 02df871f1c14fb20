/*
 * cmd_export.c - chengyu export --format graphml|csv|dot [-o OUT] FILE
 */
#include "cli.h"
#include "chengyu_render.h"

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

/* Both tables are written in full to memory first; the second file is
 * committed only when the first was. */
static int export_csv(const cy_network *net, const char *input, const cli_common *common,
                      cy_error *err)
{
    const char *base = common->output;
    cy_write_options options;
    char *nodes_path = csv_path(base, ".nodes.csv");
    char *edges_path = csv_path(base, ".edges.csv");
    cli_output nodes, edges;
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
    cli_write_options(common, CY_FORMAT_CSV, &options);
    ok = cy_export_csv(net, &options, nodes.stream, edges.stream, err) == CY_OK;
    if (!ok || !common->quiet)
        cli_report(err);
    have_nodes = 0;
    if ((code = cli_output_end(&nodes, ok)) != CY_EXIT_OK)
        ok = 0;
    have_edges = 0;
    code = cli_output_end(&edges, ok);
    if (!ok)
        code = CY_EXIT_FAILURE;
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
} export_args;

static int run_export(void *args_, int count, char **operands)
{
    export_args *args = args_;
    const char *input = operands[0], *output_path = args->common.output;
    int format = args->common.format, quiet = args->common.quiet;
    int code = CY_EXIT_FAILURE;
    cy_network *net = NULL;
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
    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (format == CLI_FORMAT_CSV) {
        code = export_csv(net, input, &args->common, &err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    if (format == CLI_FORMAT_XLSX) {
        cy_import_options import;
        /* The workbook is written from the document: the network was
         * only needed to validate it, and need not sit beside it. */
        cy_network_free(net);
        net = NULL;
        status = cli_import_options(&import) ? cy_export_xlsx(input, &import, out.stream, &err)
                                             : CY_EUSAGE;
    } else {
        status = format == CLI_FORMAT_GRAPHML ? cy_export_graphml(net, out.stream, &err)
                                              : cy_export_dot(net, NULL, out.stream, &err);
    }
    if (status != CY_OK || !quiet)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
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
    "--format graphml|csv|dot|xlsx [-o OUT] FILE", NULL};

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
    CLI_OPT_QUIET(export_args),
    CLI_OPT_CSV_RAW(export_args),
    CLI_OPT_END};

const cli_spec cli_spec_export = {
    "export", "write the network as GraphML, CSV, DOT or an .xlsx workbook", export_synopsis,
    "Write the network for other tools.  graphml: igraph's GraphML writer, "
    "every attribute (Gephi, Cytoscape, yEd, NetworkX); csv: two tables "
    "OUT.nodes.csv and OUT.edges.csv; dot: Graphviz DOT through cgraph, parks "
    "and regions as clusters; xlsx: a workbook, one sheet per record kind and "
    "one column per key, that 'chengyu import' reads back.  List fields are "
    "joined with ';' ('\\;' and "
    "'\\\\' escape).  --to is an older name of --format.",
    export_options, sizeof(export_args), NULL, "FILE", 1, 1, run_export};
