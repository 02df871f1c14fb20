/*
 * cmd_weaklinks.c - chengyu weak-links [--format md|csv|json|html|xlsx]
 *                   [--top N] [--threshold T] [--time-firms N]
 *                   [--time-max-cone N] [-o OUT] FILE
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The default --top of the formats meant to be read by people. */
#define READABLE_TOP 50

#include "chengyu_render.h"
#include "plot.h"

/* The figures of the HTML report; their bytes are owned here. */
#define FIGURE_MAX 3

typedef struct {
    cy_report_figure figures[FIGURE_MAX];
    char *bytes[FIGURE_MAX];        /* from open_memstream: free() */
    json_t *data[FIGURE_MAX];       /* interactive figures' data */
    unsigned char *plot;            /* from cy_plot_resilience: cy_free() */
    char captions[FIGURE_MAX][768];
    size_t count;
} report_figures;

static void figures_destroy(report_figures *f)
{
    for (size_t i = 0; i < FIGURE_MAX; i++) {
        free(f->bytes[i]);
        json_decref(f->data[i]);
    }
    cy_free(f->plot);
}

/* The data that makes diagram k interactive (pan, zoom, search, the
 * cones and register row of a clicked firm); without it (a warning) the
 * diagram is a picture. */
static void add_diagram_data(report_figures *f, size_t k, const cy_network *net,
                             const cy_render_options *options)
{
    cy_error err;
    cy_error_init(&err);
    if (cy_render_page_data(net, options, &f->data[k], &err) != CY_OK) {
        cli_report(&err);
        cli_error("warning: the figure '%s' is not interactive", options->title);
    }
    f->figures[k].data = f->data[k];
    cy_error_destroy(&err);
}

/* A diagram from the render module as SVG in memory; 0 (and a warning)
 * when it cannot be drawn: the report is still written without it. */
static int add_diagram(report_figures *f, const cy_network *net, const cy_weaklinks *report,
                       cy_view view, size_t top, const char *title, const char *caption)
{
    cy_render_options options;
    cy_render_info info;
    cy_error err;
    size_t size = 0, k = f->count;
    FILE *mem = open_memstream(&f->bytes[k], &size);
    cy_status status;

    if (!mem) {
        cli_error("warning: %s: out of memory; the report has no such figure", title);
        return 0;
    }
    cy_render_options_init(&options);
    options.view = view;
    options.highlight = view == CY_VIEW_FULL ? CY_HIGHLIGHT_WEAK_LINKS : CY_HIGHLIGHT_NONE;
    options.top = top;
    options.weaklinks = report;
    options.title = title;
    cy_error_init(&err);
    status = cy_render(net, &options, CY_RENDER_SVG, mem, &info, &err);
    if (fclose(mem) != 0 && status == CY_OK)
        status = CY_EIO;
    if (status != CY_OK) {
        cli_report(&err);
        cli_error("warning: the report is written without the figure '%s'", title);
        cy_error_destroy(&err);
        free(f->bytes[k]);
        f->bytes[k] = NULL;
        return 0;
    }
    cy_error_destroy(&err);
    add_diagram_data(f, k, net, &options);
    snprintf(f->captions[k], sizeof f->captions[k], "%s%s%s", caption,
             info.note[0] ? " " : "", info.note);
    f->figures[k].title = title;
    f->figures[k].caption = f->captions[k];
    f->figures[k].svg = f->bytes[k];
    f->figures[k].svg_size = size;
    f->count++;
    return 1;
}

/* The overview figure: parks, else regions, else clusters, the first the
 * network has; none when it has none of them. */
static void add_group_diagram(report_figures *f, const cy_network *net,
                              const cy_weaklinks *report)
{
    if (cy_render_view_exists(net, CY_VIEW_PARKS))
        add_diagram(f, net, report, CY_VIEW_PARKS, 0, _("Parks"),
                    _("One node per park; edge width by the supply volume between parks."));
    else if (cy_render_view_exists(net, CY_VIEW_REGIONS))
        add_diagram(f, net, report, CY_VIEW_REGIONS, 0, _("Regions"),
                    _("The network has no parks: one node per region; edge width by the "
                      "supply volume between regions."));
    else if (cy_render_view_exists(net, CY_VIEW_CLUSTERS))
        add_diagram(f, net, report, CY_VIEW_CLUSTERS, 0, _("Clusters"),
                    _("The network has no parks or regions: one node per cluster; edge "
                      "width by the supply volume between clusters."));
}

/* The robustness curves of a random (10 trials) and a degree attack, with
 * the report's cascade threshold, plotted by render/plot.c. */
static int add_robustness_plot(report_figures *f, const cy_network *net, double threshold)
{
    static const cy_attack attacks[] = {CY_ATTACK_RANDOM, CY_ATTACK_DEGREE};
    cy_resilience_curve curves[2];
    size_t done = 0, size = 0, k = f->count;
    cy_plot_options options = {_("Robustness under attack"), NULL, NULL, 0, 0};
    cy_error err;
    int ok = 1;

    options.network = cy_network_name(net);
    cy_error_init(&err);
    for (; done < 2 && ok; done++) {
        cy_resilience_params params;
        cy_resilience_params_init(&params);
        params.attack = attacks[done];
        params.threshold = threshold;
        ok = cy_resilience_run(net, &params, &curves[done], &err) == CY_OK;
    }
    if (!ok)
        done--;
    ok = ok && cy_plot_resilience(curves, 2, &options, CY_PLOT_SVG, &f->plot, &size,
                                  &err) == CY_OK;
    for (size_t i = 0; i < done; i++)
        cy_resilience_curve_destroy(&curves[i]);
    if (!ok) {
        cli_report(&err);
        cli_error("warning: the report is written without the robustness plot");
        cy_error_destroy(&err);
        return 0;
    }
    cy_error_destroy(&err);
    snprintf(f->captions[k], sizeof f->captions[k],
             _("Largest connected share of the firm graph (solid) and final demand still "
             "served under the cascade rule, T = %g (dashed), as firms are removed at "
             "random (mean of 10 trials) or by degree, highest first."), threshold);
    f->figures[k].title = _("Robustness under attack");
    f->figures[k].caption = f->captions[k];
    f->figures[k].svg = (const char *)f->plot;
    f->figures[k].svg_size = size;
    f->count++;
    return 1;
}

/*
 * The HTML report: the figures come from the render module (the supply
 * diagram with the first diagram_top firms of the register marked, the
 * parks view, the robustness plot), rendered to SVG in memory, then the
 * page is written atomically.  A figure that cannot be drawn is left out
 * with a warning.  Returns the exit code.
 */
static int cli_weaklinks_html(const cy_network *net, const cy_weaklinks *report,
                              size_t top, size_t diagram_top, const char *output_path,
                              const char *input)
{
    char caption[256];
    cy_error err;
    cli_output out;
    cy_status status;
    const cy_report_figure *figures = NULL;
    size_t figure_count = 0;
    int code;
    report_figures f;
    memset(&f, 0, sizeof f);
    if (diagram_top && diagram_top < report->register_count)
        snprintf(caption, sizeof caption, _("The first %zu firms of the risk register (of %zu) "
                 "filled red, darker for more final demand lost, with their rank; "
                 "single-source links in red."), diagram_top, report->register_count);
    else
        snprintf(caption, sizeof caption, _("The %zu firms of the risk register filled red, "
                 "darker for more final demand lost, with their rank; single-source "
                 "links in red."), report->register_count);
    add_diagram(&f, net, report, CY_VIEW_FULL, diagram_top,
                _("Supply network and its weak links"), caption);
    add_group_diagram(&f, net, report);
    add_robustness_plot(&f, net, report->threshold);
    figures = f.figures;
    figure_count = f.count;

    cy_error_init(&err);
    if (!cli_output_begin(&out, output_path, input)) {
        code = CY_EXIT_FAILURE;
        goto cleanup;
    }
    status = cy_weaklinks_write_html(net, report, top, figures, figure_count, out.stream, &err);
    if (status != CY_OK)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_error_destroy(&err);
    figures_destroy(&f);
    cy_plot_shutdown(); /* the last cairo/fontconfig use of this process */
    return code;
}

/* The writing expected after the report, at the writers' pace: a full
 * report (no --top) takes about 6,900 bytes per firm in JSON, 1,900 in
 * CSV (the national and province presets); with --top (Markdown, HTML,
 * by default) a few hundred bytes per firm, whatever the format. */
static double write_estimate(const cy_network *net, int format, size_t top)
{
    double firms = (double)cy_network_enterprise_count(net);
    double per_firm = top ? 200.0 : format == CLI_FORMAT_CSV ? 1900.0 : 6900.0;
    return firms * per_firm / CLI_WRITE_BYTES_PER_SECOND;
}

typedef struct {
    cli_common common;
    size_t top;
    size_t time_firms, time_max_cone;
    double threshold, max_seconds;
} weaklinks_args;

static void init_weaklinks(void *args_)
{
    weaklinks_args *args = args_;
    args->top = (size_t)-1; /* not given */
    args->time_firms = CY_WL_TIME_FIRMS;
    args->time_max_cone = CY_WL_TIME_MAX_CONE;
}

static int run_weaklinks(void *args_, int count, char **operands)
{
    weaklinks_args *args = args_;
    const char *input = operands[0];
    int format = args->common.format ? args->common.format : CLI_FORMAT_MD;
    size_t top = args->top;
    int code = CY_EXIT_FAILURE;
    cy_weaklinks_options wl_options = {args->threshold, cli_progress_update, NULL};
    cli_progress progress;
    cy_weaklinks *report = NULL;
    cy_network *net = NULL;
    cy_write_options options;
    cy_error err;
    cli_output out;
    cy_status status;
    (void)count;

    if (format == CLI_FORMAT_XLSX && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_weaklinks, "--format xlsx needs -o FILE.xlsx");
    if (top == (size_t)-1)
        top = format == CLI_FORMAT_MD || format == CLI_FORMAT_HTML ? READABLE_TOP : 0;
    cy_error_init(&err);
    cli_progress_init(&progress, "weak-links", args->common.quiet, args->max_seconds);
    if (!cli_progress_check_load(&progress, input) || !cli_load(input, &net, 1))
        goto cleanup;
    cli_progress_expect_write(&progress, write_estimate(net, format, top));
    wl_options.progress_data = &progress;
    status = cy_weaklinks_compute(net, &wl_options, &report, &err);
    /* The time section reads the register as far as the report shows it. */
    if (status == CY_OK && args->time_firms)
        status = cy_weaklinks_time(net, report, top, args->time_firms, args->time_max_cone, 0,
                                   cli_progress_update, &progress, &err);
    cli_progress_clear(&progress);
    if (status != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (format == CLI_FORMAT_HTML) {
        code = cli_weaklinks_html(net, report, top,
                                  args->top == (size_t)-1 ? CY_RENDER_DEFAULT_TOP : top,
                                  args->common.output, input);
        goto cleanup;
    }
    if (!cli_output_begin(&out, args->common.output, input))
        goto cleanup;
    cli_write_options(&args->common, CY_FORMAT_MD, &options);
    options.top = top;
    code = cli_output_end(&out, cli_write(format == CLI_FORMAT_XLSX
                                              ? cy_weaklinks_write_xlsx(net, report,
                                                                        out.stream, &err)
                                              : cy_weaklinks_write(net, report, &options,
                                                                   out.stream, &err),
                                          &err));
cleanup:
    cy_weaklinks_free(report);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice weaklinks_formats[] = {
    {"md", CLI_FORMAT_MD, "Markdown (default)"},
    {"table", CLI_FORMAT_MD, NULL},
    {"text", CLI_FORMAT_MD, NULL},
    {"csv", CLI_FORMAT_CSV, "RFC 4180, one table after another"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"html", CLI_FORMAT_HTML, "one self-contained page with diagrams"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook, one sheet per section, needs -o"},
    {NULL, 0, NULL}};

static const char *const weaklinks_synopsis[] = {
    "[--format md|csv|json|html|xlsx] [--top N] [--threshold T] [--time-firms N]",
    "        [--time-max-cone N] [--max-seconds S] [-o OUT] FILE", NULL};

static const cli_option weaklinks_options[] = {
    CLI_OPT_FORMAT(weaklinks_args, weaklinks_formats,
                   "md (default; the human format, alias table), csv, json,\n"
                   "html or xlsx (a workbook, -o FILE.xlsx); with -o,\n"
                   "OUT's extension picks the format"),
    CLI_OPT_SIZE('n', "top", weaklinks_args, top, "N", 0, 1e18,
                 "keep the N first entries of each ranked list\n"
                 "(0 = all; default all for json and csv, 50 for\n"
                 "md and html); html: the diagram marks the first\n"
                 "N firms of the register (default 20)"),
    CLI_OPT_THRESHOLD(weaklinks_args, threshold),
    CLI_OPT_SIZE(0, "time-firms", weaklinks_args, time_firms, "N", 0, 1e18,
                 "time figures for the first N register firms (default\n"
                 "10; 0 leaves the time section out): each is one or two\n"
                 "linear programs, the largest for the first firms"),
    CLI_OPT_SIZE(0, "time-max-cone", weaklinks_args, time_max_cone, "N", 0, 1e18,
                 "solve no time programs for a firm whose downstream\n"
                 "cone has more than N firms (default 2000; 0 = no\n"
                 "limit): its row says so; a cone of thousands of\n"
                 "firms takes GLPK minutes"),
    CLI_OPT_MAX_SECONDS(weaklinks_args, max_seconds),
    CLI_OPT_OUTPUT(weaklinks_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(weaklinks_args),
    CLI_OPT_THREADS(weaklinks_args),
    CLI_OPT_LANG(weaklinks_args),
    CLI_OPT_CSV_RAW(weaklinks_args),
    CLI_OPT_END};

const cli_spec cli_spec_weaklinks = {
    "weak-links", "report weak links: single sources, chokepoints, concentration, local supply",
    weaklinks_synopsis,
    "Report the weak links of a supply network: single-sourced parts, "
    "chokepoints of each OEM, articulation points and bridges, the cascade "
    "of every single failure and of each park and region failing, supply "
    "concentration (HHI), local supply and cross-region flows of the "
    "Chengdu-Chongqing circle, and second-source recommendations, ranked by "
    "a severity score (docs/analyses.md).",
    weaklinks_options, sizeof(weaklinks_args), init_weaklinks, "FILE", 1, 1,
    run_weaklinks};
