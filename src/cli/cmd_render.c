/*
 * cmd_render.c - chengyu render FILE -o OUT.(svg|png|pdf|dot) [--view V]
 *                [--focus ID] [--depth N] [--layout L] [--color-by C]
 *                [--size-by S] [--highlight weak-links|cascade:ID]
 *                [--max-nodes N] [--title TEXT] [--timeout SECONDS]
 *                [--memory-limit MB]
 */
#include "cli.h"
#include "chengyu_render.h"

#include <getopt.h>
#include <string.h>

static const char *const render_usage[] = {
    "usage: chengyu render [options] -o OUT.(svg|png|pdf|dot) FILE",
    "",
    "Draw the supply network with Graphviz.  The format follows from OUT's",
    "extension (--format overrides it; needed for -o -, standard output).",
    "",
    "    -o, --output OUT      write the diagram to OUT atomically",
    "    -F, --format F        svg, png, pdf or dot (the graph before layout)",
    "    -v, --view V          full (default): every firm, parks and regions as boxes;",
    "                          tiers: columns by tier, OEMs on the right;",
    "                          clusters, parks, regions: one node per group;",
    "                          ego: the firms around --focus",
    "        --focus ID        ego: the enterprise in the middle (implies --view ego)",
    "        --depth N         ego: supply hops up- and downstream (default 2)",
    "    -l, --layout L        dot (default), sfdp, neato, fdp or circo",
    "        --color-by C      sector, region, tier, kind, betweenness or pagerank",
    "                          (default: kind; parks: region; clusters and",
    "                          regions: sector; tiers above --max-nodes: tier)",
    "        --size-by S       output (default), betweenness, pagerank, degree, none",
    "        --highlight H     weak-links: single-source links, articulation",
    "                          points and chokepoints in red;",
    "                          cascade:ID: the firms that fail when ID fails",
    "        --max-nodes N     above N firms, full and tiers are drawn aggregated",
    "                          and ego at a smaller depth (default 2000); group",
    "                          views draw at most max(200, N/10) groups",
    "        --title TEXT      the title (default: the network's name)",
    "        --timeout SECONDS stop layout and drawing after SECONDS (default 60;",
    "                          0 = no limit)",
    "        --memory-limit MB memory for the layout process (default 4096; 0 = no limit)",
    "    -q, --quiet           do not print notes and Graphviz warnings",
    "    -h, --help            show this help",
    "",
    "Exit status: 0 drawn, 1 bad input, Graphviz failure or timeout, 2 usage error.",
    NULL};

/* Parse "weak-links" or "cascade:ID" into options. */
static int parse_highlight(const char *text, cy_render_options *options)
{
    if (strcmp(text, "weak-links") == 0) {
        options->highlight = CY_HIGHLIGHT_WEAK_LINKS;
        return 1;
    }
    if (strncmp(text, "cascade:", 8) == 0) {
        options->highlight = CY_HIGHLIGHT_CASCADE;
        options->cascade_id = text + 8;
        return 1;
    }
    if (strcmp(text, "none") == 0) {
        options->highlight = CY_HIGHLIGHT_NONE;
        return 1;
    }
    return 0;
}

int cmd_render(int argc, char **argv)
{
    enum { OPT_FOCUS = 256, OPT_DEPTH, OPT_COLOR, OPT_SIZE, OPT_HIGHLIGHT,
           OPT_MAX_NODES, OPT_TITLE, OPT_TIMEOUT, OPT_MEMORY };
    static const struct option long_options[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'F'},
        {"view", required_argument, NULL, 'v'},
        {"focus", required_argument, NULL, OPT_FOCUS},
        {"depth", required_argument, NULL, OPT_DEPTH},
        {"layout", required_argument, NULL, 'l'},
        {"color-by", required_argument, NULL, OPT_COLOR},
        {"colour-by", required_argument, NULL, OPT_COLOR},
        {"size-by", required_argument, NULL, OPT_SIZE},
        {"highlight", required_argument, NULL, OPT_HIGHLIGHT},
        {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
        {"title", required_argument, NULL, OPT_TITLE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"memory-limit", required_argument, NULL, OPT_MEMORY},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cy_render_options options;
    cy_render_format format = CY_RENDER_SVG;
    cy_render_info info;
    const char *output_path = NULL, *format_name = NULL, *input;
    int c, quiet = 0, view_given = 0, code = CY_EXIT_FAILURE;
    unsigned long long value;
    cy_network *net = NULL;
    cy_status status;
    cli_output out;
    cy_error err;

    cy_render_options_init(&options);
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:F:v:l:qh", long_options, NULL)) != -1) {
        switch (c) {
        case 'o': output_path = optarg; break;
        case 'F': format_name = optarg; break;
        case 'v':
            if (!cy_view_parse(optarg, &options.view))
                return cli_usage_error(render_usage, "render: unknown view '%s'", optarg);
            view_given = 1;
            break;
        case OPT_FOCUS: options.focus = optarg; break;
        case OPT_DEPTH:
            if (!cli_parse_ulong(optarg, 1000000, &value) || value == 0)
                return cli_usage_error(render_usage, "render: --depth expects a positive integer, got '%s'", optarg);
            options.depth = (size_t)value;
            break;
        case 'l': options.layout = optarg; break;
        case OPT_COLOR:
            if (!cy_color_by_parse(optarg, &options.color_by))
                return cli_usage_error(render_usage, "render: unknown --color-by '%s'", optarg);
            break;
        case OPT_SIZE:
            if (!cy_size_by_parse(optarg, &options.size_by))
                return cli_usage_error(render_usage, "render: unknown --size-by '%s'", optarg);
            break;
        case OPT_HIGHLIGHT:
            if (!parse_highlight(optarg, &options))
                return cli_usage_error(render_usage, "render: unknown --highlight '%s' (weak-links or cascade:ID)", optarg);
            break;
        case OPT_MAX_NODES:
            if (!cli_parse_ulong(optarg, 100000000ULL, &value) || value == 0)
                return cli_usage_error(render_usage, "render: --max-nodes expects a positive integer, got '%s'", optarg);
            options.max_nodes = (size_t)value;
            break;
        case OPT_TITLE: options.title = optarg; break;
        case OPT_TIMEOUT: {
            double seconds;
            if (!cli_parse_double(optarg, &seconds) || seconds < 0 || seconds > 1e6)
                return cli_usage_error(render_usage, "render: --timeout expects seconds (0 = no limit), got '%s'", optarg);
            options.timeout_seconds = seconds;
            break;
        }
        case OPT_MEMORY:
            if (!cli_parse_ulong(optarg, 1ULL << 30, &value))
                return cli_usage_error(render_usage, "render: --memory-limit expects megabytes (0 = no limit), got '%s'", optarg);
            options.memory_limit_mb = (size_t)value;
            break;
        case 'q': quiet = 1; break;
        case 'h': return cli_help(render_usage);
        default:
            return cli_usage_error(render_usage, "render: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(render_usage, "render: expected one FILE");
    input = argv[optind];
    if (options.focus && !view_given)
        options.view = CY_VIEW_EGO;
    if (!output_path)
        return cli_usage_error(render_usage, "render: -o OUT is required (OUT.svg, OUT.png, OUT.pdf or OUT.dot; -o - with --format for standard output)");
    if (format_name) {
        if (!cy_render_format_parse(format_name, &format))
            return cli_usage_error(render_usage, "render: unknown format '%s' (svg, png, pdf or dot)", format_name);
    } else if (strcmp(output_path, "-") == 0) {
        return cli_usage_error(render_usage, "render: writing to standard output needs --format");
    } else if (!cy_render_format_from_path(output_path, &format)) {
        return cli_usage_error(render_usage, "render: cannot tell the format from '%s' (use .svg, .png, .pdf or .dot, or --format)", output_path);
    }

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    /* An id the file does not have is bad input (exit 1), like elsewhere. */
    {
        size_t index;
        if (options.view == CY_VIEW_EGO && options.focus &&
            !cy_network_find_enterprise(net, options.focus, &index)) {
            cli_error("render: --focus: no enterprise has the id '%s'", options.focus);
            goto cleanup;
        }
        if (options.highlight == CY_HIGHLIGHT_CASCADE && options.cascade_id &&
            *options.cascade_id &&
            !cy_network_find_enterprise(net, options.cascade_id, &index)) {
            cli_error("render: --highlight cascade: no enterprise has the id '%s'",
                      options.cascade_id);
            goto cleanup;
        }
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    status = cy_render(net, &options, format, out.stream, &info, &err);
    if (status != CY_OK || !quiet)
        cli_report(&err);
    if (status == CY_EUSAGE) {
        cli_output_end(&out, 0);
        code = CY_EXIT_USAGE;
        goto cleanup;
    }
    code = cli_output_end(&out, status == CY_OK);
    if (code == CY_EXIT_OK && !quiet && info.note[0])
        cli_error("note: %s", info.note);
cleanup:
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
