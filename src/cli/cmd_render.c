/*
 * cmd_render.c - chengyu render -o OUT.(svg|png|pdf|dot) [--view V]
 *                [--focus ID] [--depth N] [--layout L] [--color-by C]
 *                [--size-by S] [--highlight weak-links|cascade:ID] [--top N]
 *                [--max-nodes N] [--title TEXT] [--timeout SECONDS]
 *                [--memory-limit MB] [--projection P] [--boundaries GEOJSON]
 *                FILE
 */
#include "cli.h"
#include "chengyu_render.h"

#include <string.h>

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

typedef struct {
    cli_common common;
    int view, color_by, size_by, projection;
    const char *focus, *layout, *highlight, *title, *boundaries;
    size_t depth, max_nodes, memory_limit, top;
    double timeout, max_seconds;
} render_args;

enum { UNSET = -1 };

static void init_render(void *args_)
{
    render_args *args = args_;
    cy_render_options defaults;
    cy_render_options_init(&defaults);
    args->view = args->color_by = args->size_by = UNSET;
    args->depth = defaults.depth;
    args->max_nodes = defaults.max_nodes;
    args->top = defaults.top;
    args->memory_limit = defaults.memory_limit_mb;
    args->timeout = defaults.timeout_seconds;
}

/* The library's options from the args; returns -1 or a usage error's code. */
static int render_options_from(const render_args *args, cy_render_options *options)
{
    cy_render_options_init(options);
    if (args->view != UNSET)
        options->view = (cy_view)args->view;
    else if (args->focus)
        options->view = CY_VIEW_EGO; /* --focus implies the ego view */
    if (args->color_by != UNSET)
        options->color_by = (cy_color_by)args->color_by;
    if (args->size_by != UNSET)
        options->size_by = (cy_size_by)args->size_by;
    options->focus = args->focus;
    options->depth = args->depth;
    if (args->layout)
        options->layout = args->layout;
    options->max_nodes = args->max_nodes;
    options->top = args->top;
    options->title = args->title;
    options->timeout_seconds = args->timeout;
    options->memory_limit_mb = args->memory_limit;
    options->projection = (cy_projection)args->projection;
    if (args->boundaries && options->view != CY_VIEW_MAP)
        return cli_usage(&cli_spec_render, "--boundaries applies to --view map");
    if (args->highlight && !parse_highlight(args->highlight, options))
        return cli_usage(&cli_spec_render, "unknown --highlight '%s' (weak-links, "
                         "cascade:ID or none)", cli_echo(args->highlight));
    return -1;
}

/* The Graphviz format from -f or OUT's extension; returns -1 or a usage
 * error's exit code. */
static int render_format(const render_args *args, cy_render_format *format)
{
    const char *out = args->common.output;
    switch (args->common.format) {
    case CLI_FORMAT_SVG: *format = CY_RENDER_SVG; return -1;
    case CLI_FORMAT_PNG: *format = CY_RENDER_PNG; return -1;
    case CLI_FORMAT_PDF: *format = CY_RENDER_PDF; return -1;
    case CLI_FORMAT_DOT: *format = CY_RENDER_DOT; return -1;
    case CLI_FORMAT_HTML: *format = CY_RENDER_HTML; return -1;
    default: break;
    }
    if (!out)
        return cli_usage(&cli_spec_render, "-o OUT is required (OUT.svg, OUT.png, OUT.pdf, "
                         "OUT.dot or OUT.html; -o - with --format for standard output)");
    if (strcmp(out, "-") == 0)
        return cli_usage(&cli_spec_render, "writing to standard output needs --format");
    if (!cy_render_format_from_path(out, format))
        return cli_usage(&cli_spec_render, "cannot tell the format from '%s' (use .svg, "
                         ".png, .pdf or .dot, or --format)", cli_echo(out));
    return -1;
}

/* An id the file does not have is bad input (exit 1), like elsewhere. */
static int check_ids(const cy_network *net, const cy_render_options *options)
{
    size_t index;
    if (options->view == CY_VIEW_EGO && options->focus &&
        !cy_network_find_enterprise(net, options->focus, &index)) {
        cli_error("render: --focus: no enterprise has the id '%s'%s", cli_echo(options->focus),
                  cli_did_you_mean(cy_network_suggest_enterprise(net, options->focus)));
        return 0;
    }
    if (options->highlight == CY_HIGHLIGHT_CASCADE && options->cascade_id &&
        *options->cascade_id &&
        !cy_network_find_enterprise(net, options->cascade_id, &index)) {
        cli_error("render: --highlight cascade: no enterprise has the id '%s'%s",
                  cli_echo(options->cascade_id),
                  cli_did_you_mean(cy_network_suggest_enterprise(net, options->cascade_id)));
        return 0;
    }
    return 1;
}

/* What the CLI watches while Graphviz runs: the estimate of the layout
 * against --timeout (a warning) and --max-seconds (a stop). */
typedef struct {
    cli_progress progress;
    double timeout;
    int stopped;
    char what[96];
} layout_watch;

static int watch_layout(const char *layout, size_t nodes, size_t edges, double seconds,
                        const char *hint, void *data)
{
    layout_watch *w = data;
    char span[32];
    snprintf(w->what, sizeof w->what, "%s layout of %zu nodes, %zu edges", layout, nodes,
             edges);
    cli_progress_clear(&w->progress);
    if (w->timeout > 0.0 && seconds > w->timeout && !w->progress.quiet) {
        cli_progress_format_estimate(seconds, span, sizeof span);
        cli_error("warning: render: the %s should take %s, more than --timeout %g; %s",
                  w->what, span, w->timeout, hint);
    }
    if (!cli_progress_expect(&w->progress, w->what, seconds)) {
        w->stopped = 1;
        return 0;
    }
    return 1;
}

/* --boundaries: a file (the library reads it), or a pipe or FIFO read
 * here as the network input is (a FIFO without a writer given up after
 * 10 s), within the boundaries' own size limit. */
static cy_status load_boundaries(const char *path, cy_boundaries **out, cy_error *err)
{
    char *data = NULL;
    size_t size = 0;
    cy_status status;
    if (strcmp(path, "-") == 0 || !cli_is_stream(path))
        return cy_boundaries_load(path, out, err);
    status = cli_read_stream(path, CY_BOUNDARIES_MAX_BYTES, 0, &data, &size, err);
    err->file = path;
    if (status == CY_OK)
        status = cy_boundaries_parse(data, size, out, err);
    err->file = NULL;
    cy_free(data);
    return status;
}

static int run_render(void *args_, int count, char **operands)
{
    render_args *args = args_;
    const char *input = operands[0];
    const char *inputs[2] = {operands[0], args->boundaries};
    int quiet = args->common.quiet, code;
    cy_render_options options;
    cy_render_format format = CY_RENDER_SVG;
    cy_render_info info;
    layout_watch watch;
    cy_network *net = NULL;
    cy_boundaries *boundaries = NULL;
    cy_status status;
    cli_output out;
    cy_error err;
    (void)count;

    if ((code = render_options_from(args, &options)) >= 0 ||
        (code = render_format(args, &format)) >= 0)
        return code;
    if (args->boundaries && strcmp(args->boundaries, "-") == 0)
        return cli_usage(&cli_spec_render, "--boundaries takes a file, a pipe or a FIFO, "
                                           "not '-' (standard input)");
    code = CY_EXIT_FAILURE;
    cy_error_init(&err);
    if (args->boundaries) {
        status = load_boundaries(args->boundaries, &boundaries, &err);
        if (status != CY_OK) {
            cli_report(&err);
            goto cleanup;
        }
        err.file = NULL;
        options.boundaries = boundaries;
    }
    cli_progress_init(&watch.progress, "render", quiet, args->max_seconds);
    watch.timeout = args->timeout;
    watch.stopped = 0;
    options.progress = cli_progress_update;
    options.progress_data = &watch.progress;
    options.before_layout = watch_layout;
    options.before_layout_data = &watch;
    if (!cli_progress_check_load(&watch.progress, input) || !cli_load(input, &net, 1) ||
        !check_ids(net, &options) ||
        !cli_output_begin_inputs(&out, args->common.output, inputs, 2, 0))
        goto cleanup;
    status = cy_render(net, &options, format, out.stream, &info, &err);
    cli_progress_clear(&watch.progress);
    if (watch.stopped) {
        cli_output_end(&out, 0);
        goto cleanup;
    }
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
    cy_boundaries_free(boundaries);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice render_formats[] = {
    {"svg", CLI_FORMAT_SVG, "SVG"},
    {"png", CLI_FORMAT_PNG, "PNG"},
    {"pdf", CLI_FORMAT_PDF, "PDF"},
    {"dot", CLI_FORMAT_DOT, "the graph before layout"},
    {"gv", CLI_FORMAT_DOT, NULL},
    {"html", CLI_FORMAT_HTML, "the SVG in a page: pan, zoom, search, supply cones"},
    {NULL, 0, NULL}};

static const cli_choice views[] = {
    {"full", CY_VIEW_FULL, "every firm"}, {"tiers", CY_VIEW_TIERS, "columns by tier"},
    {"clusters", CY_VIEW_CLUSTERS, "one node per cluster"},
    {"parks", CY_VIEW_PARKS, "one node per park"},
    {"regions", CY_VIEW_REGIONS, "one node per region"},
    {"ego", CY_VIEW_EGO, "the firms around --focus"},
    {"map", CY_VIEW_MAP, "firms at their locations"},
    {NULL, 0, NULL}};

static const cli_choice projections[] = {
    {"equirectangular", CY_PROJECTION_EQUIRECTANGULAR, "x = longitude x cos(mid latitude)"},
    {"mercator", CY_PROJECTION_MERCATOR, "Web Mercator"},
    {NULL, 0, NULL}};

static const cli_choice colors[] = {
    {"auto", CY_COLOR_AUTO, "the view's default"}, {"sector", CY_COLOR_SECTOR, "sector"},
    {"region", CY_COLOR_REGION, "region"}, {"tier", CY_COLOR_TIER, "tier"},
    {"kind", CY_COLOR_KIND, "kind"}, {"betweenness", CY_COLOR_BETWEENNESS, "betweenness"},
    {"pagerank", CY_COLOR_PAGERANK, "PageRank"},
    {NULL, 0, NULL}};

static const cli_choice sizes[] = {
    {"auto", CY_SIZE_AUTO, "the view's default"}, {"output", CY_SIZE_OUTPUT, "output"},
    {"betweenness", CY_SIZE_BETWEENNESS, "betweenness"},
    {"pagerank", CY_SIZE_PAGERANK, "PageRank"}, {"degree", CY_SIZE_DEGREE, "degree"},
    {"none", CY_SIZE_NONE, "one size"},
    {NULL, 0, NULL}};

static const char *const render_synopsis[] = {
    "[options] -o OUT.(svg|png|pdf|dot) FILE", NULL};

static const cli_option render_options[] = {
    CLI_OPT_OUTPUT(render_args, "write the diagram to OUT atomically"),
    CLI_OPT_FORMAT(render_args, render_formats,
                   "svg, png, pdf, dot (the graph before layout) or html\n"
                   "(interactive); default: OUT's extension"),
    CLI_OPT_CHOICE('v', "view", render_args, view, "V", views,
                   "full (default): every firm, parks and regions as boxes;\n"
                   "tiers: columns by tier, OEMs on the right;\n"
                   "clusters, parks, regions: one node per group;\n"
                   "ego: the firms around --focus;\n"
                   "map: firms at their locations (or their park's)"),
    CLI_OPT_STRING(0, "focus", render_args, focus, "ID",
                   "ego: the enterprise in the middle (implies --view ego)"),
    CLI_OPT_SIZE(0, "depth", render_args, depth, "N", 1, 1000000,
                 "ego: supply hops up- and downstream (default 2)"),
    CLI_OPT_STRING('l', "layout", render_args, layout, "L",
                   "dot (default), sfdp, neato, fdp or circo"),
    CLI_OPT_CHOICE(0, "color-by", render_args, color_by, "C", colors,
                   "auto, sector, region, tier, kind, betweenness or\n"
                   "pagerank (default auto: kind; parks: region; clusters\n"
                   "and regions: sector; tiers above --max-nodes: tier)"),
    {0, "colour-by", CLI_CHOICE, offsetof(render_args, color_by), "C", "", colors, 0, 0,
     CLI_HIDDEN},
    CLI_OPT_CHOICE(0, "size-by", render_args, size_by, "S", sizes,
                   "auto, output (the default), betweenness, pagerank,\n"
                   "degree or none"),
    CLI_OPT_STRING(0, "highlight", render_args, highlight, "H",
                   "weak-links: the first --top firms of the risk\n"
                   "register filled red, graded by the final demand\n"
                   "their failure stops; single-source links red;\n"
                   "cascade:ID: the firms that fail when ID fails; none"),
    CLI_OPT_SIZE('n', "top", render_args, top, "N", 0, 1e18,
                 "--highlight weak-links: mark the first N firms of\n"
                 "the risk register (default 20; 0 = all of them)"),
    CLI_OPT_SIZE(0, "max-nodes", render_args, max_nodes, "N", 1, 100000000,
                 "above N firms, full and tiers are drawn aggregated\n"
                 "and ego at a smaller depth (default 2000); group\n"
                 "views draw at most max(200, N/10) groups"),
    CLI_OPT_STRING(0, "title", render_args, title, "TEXT",
                   "the title (default: the network's name)"),
    CLI_OPT_REAL(0, "timeout", render_args, timeout, "SECONDS", 0, 1e6,
                 "stop layout and drawing after SECONDS (default 60;\n"
                 "0 = no limit)"),
    CLI_OPT_MAX_SECONDS(render_args, max_seconds),
    CLI_OPT_SIZE(0, "memory-limit", render_args, memory_limit, "MB", 0, 1073741824.0,
                 "memory for the layout process (default 4096; 0 = no\n"
                 "limit)"),
    CLI_OPT_CHOICE(0, "projection", render_args, projection, "P", projections,
                   "map: equirectangular (default) or mercator"),
    CLI_OPT_STRING(0, "boundaries", render_args, boundaries, "GEOJSON",
                   "map: draw the outlines (Polygon, MultiPolygon) of\n"
                   "this GeoJSON file under the network"),
    CLI_OPT_QUIET(render_args),
    CLI_OPT_THREADS(render_args),
    CLI_OPT_LANG(render_args),
    CLI_OPT_END};

const cli_spec cli_spec_render = {
    "render", "draw the network with Graphviz (svg, png, pdf, dot)", render_synopsis,
    "Draw the supply network with Graphviz.  The format follows from OUT's "
    "extension (--format overrides it; needed for -o -, standard output).\n\n"
    "Exit status: 0 drawn, 1 bad input, Graphviz failure or timeout, 2 usage "
    "error.",
    render_options, sizeof(render_args), init_render, "FILE", 1, 1, run_render};
