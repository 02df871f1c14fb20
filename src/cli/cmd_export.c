/*
 * cmd_export.c - chengyu export FILE --to graphml|csv|dot [-o OUT]
 */
#include "cli.h"
#include "chengyu_render.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const export_usage[] = {
    "usage: chengyu export --to graphml|csv|dot [-o OUT] FILE",
    "",
    "Write the network for other tools.  graphml: igraph's GraphML writer, every",
    "attribute (Gephi, Cytoscape, yEd, NetworkX); csv: two tables OUT.nodes.csv",
    "and OUT.edges.csv; dot: Graphviz DOT through cgraph, parks and regions as",
    "clusters.  List fields are joined with ';' ('\\;' and '\\\\' escape).",
    "",
    "    -t, --to F        graphml, csv or dot (default: from OUT's extension)",
    "    -o, --output OUT  write to OUT atomically (default: standard output;",
    "                      csv needs it: OUT.nodes.csv and OUT.edges.csv, a",
    "                      trailing .csv in OUT is dropped first)",
    "    -q, --quiet       do not print warnings",
    "    -h, --help        show this help",
    NULL};

typedef enum { EXPORT_GRAPHML, EXPORT_CSV, EXPORT_DOT } export_format;

static int parse_format(const char *name, export_format *out)
{
    if (strcmp(name, "graphml") == 0)
        *out = EXPORT_GRAPHML;
    else if (strcmp(name, "csv") == 0)
        *out = EXPORT_CSV;
    else if (strcmp(name, "dot") == 0 || strcmp(name, "gv") == 0)
        *out = EXPORT_DOT;
    else
        return 0;
    return 1;
}

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
static int export_csv(const cy_network *net, const char *input, const char *base,
                      int quiet, cy_error *err)
{
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
    ok = cy_export_csv(net, nodes.stream, edges.stream, err) == CY_OK;
    if (!ok || !quiet)
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

int cmd_export(int argc, char **argv)
{
    static const struct option options[] = {
        {"to", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *to = NULL, *output_path = NULL, *input;
    export_format format = EXPORT_GRAPHML;
    cy_network *net = NULL;
    cy_status status;
    cli_output out;
    cy_error err;
    int c, quiet = 0, code = CY_EXIT_FAILURE;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "t:o:qh", options, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': output_path = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': return cli_help(export_usage);
        default:
            return cli_usage_error(export_usage, "export: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(export_usage, "export: expected one FILE");
    input = argv[optind];
    if (to) {
        if (!parse_format(to, &format))
            return cli_usage_error(export_usage, "export: unknown format '%s' (graphml, csv or dot)", to);
    } else {
        const char *ext = output_path ? strrchr(output_path, '.') : NULL;
        if (!ext || !parse_format(ext + 1, &format))
            return cli_usage_error(export_usage, "export: --to is required (graphml, csv or dot)");
    }
    if (format == EXPORT_CSV && (!output_path || strcmp(output_path, "-") == 0))
        return cli_usage_error(export_usage, "export: --to csv needs -o OUT (writes OUT.nodes.csv and OUT.edges.csv)");

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (format == EXPORT_CSV) {
        code = export_csv(net, input, output_path, quiet, &err);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    status = format == EXPORT_GRAPHML ? cy_export_graphml(net, out.stream, &err)
                                      : cy_export_dot(net, NULL, out.stream, &err);
    if (status != CY_OK || !quiet)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
