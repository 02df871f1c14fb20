/*
 * render.c - cy_render: check and plan in the caller's process, then build,
 * lay out and draw as one bounded job (isolate.c), and hand the result to
 * the caller's stream only when it is complete.
 */
#include "render_internal.h"

#include <graphviz/gvc.h>
#include <graphviz/gvcommon.h>
#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>

static const char *const view_names[CY_VIEW_COUNT] = {
    "full", "tiers", "clusters", "parks", "regions", "ego", "map"};
static const char *const format_names[CY_RENDER_FORMAT_COUNT] = {
    "svg", "png", "pdf", "dot", "html"};
/* Marked for the catalog: legends show them translated. */
static const char *const color_names[CY_COLOR_COUNT] = {
    "auto", N_("sector"), N_("region"), N_("tier"), N_("kind"), N_("betweenness"),
    N_("pagerank")};
static const char *const size_names[CY_SIZE_COUNT] = {
    "auto", "output", "betweenness", "pagerank", "degree", "none"};

/* Graphviz output formats: cairo for PNG and PDF (pango lays out the CJK
 * text), Graphviz's own SVG writer (text sized by pango too). */
static const char *const gv_formats[CY_RENDER_FORMAT_COUNT] = {
    "svg", "png:cairo", "pdf:cairo", NULL, "svg"};

void cy_render_options_init(cy_render_options *options)
{
    memset(options, 0, sizeof *options);
    options->view = CY_VIEW_FULL;
    options->depth = CY_RENDER_DEFAULT_DEPTH;
    options->color_by = CY_COLOR_AUTO;
    options->size_by = CY_SIZE_AUTO;
    options->highlight = CY_HIGHLIGHT_NONE;
    options->max_nodes = CY_RENDER_DEFAULT_MAX_NODES;
    options->top = CY_RENDER_DEFAULT_TOP;
    options->timeout_seconds = CY_RENDER_DEFAULT_TIMEOUT;
    options->memory_limit_mb = CY_RENDER_DEFAULT_MEMORY_MB;
    options->isolate = 1;
}

#define NAME_OF(table, value, count) \
    ((unsigned)(value) < (count) ? (table)[value] : NULL)

const char *cy_view_name(cy_view view)
{
    return NAME_OF(view_names, view, CY_VIEW_COUNT);
}

const char *cy_render_format_name(cy_render_format format)
{
    return NAME_OF(format_names, format, CY_RENDER_FORMAT_COUNT);
}

const char *cy_color_by_name(cy_color_by color_by)
{
    return NAME_OF(color_names, color_by, CY_COLOR_COUNT);
}

const char *cy_size_by_name(cy_size_by size_by)
{
    return NAME_OF(size_names, size_by, CY_SIZE_COUNT);
}

static int parse_name(const char *const *table, size_t count, const char *name,
                      int *out)
{
    for (size_t k = 0; name && k < count; k++) {
        if (strcmp(name, table[k]) == 0) {
            *out = (int)k;
            return 1;
        }
    }
    return 0;
}

int cy_view_parse(const char *name, cy_view *out)
{
    int v;
    if (!parse_name(view_names, CY_VIEW_COUNT, name, &v))
        return 0;
    *out = (cy_view)v;
    return 1;
}

int cy_render_format_parse(const char *name, cy_render_format *out)
{
    int v;
    if (name && strcmp(name, "gv") == 0)
        name = "dot";
    if (name && strcmp(name, "htm") == 0)
        name = "html";
    if (!parse_name(format_names, CY_RENDER_FORMAT_COUNT, name, &v))
        return 0;
    *out = (cy_render_format)v;
    return 1;
}

int cy_render_format_from_path(const char *path, cy_render_format *out)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    const char *slash = path ? strrchr(path, '/') : NULL;
    char ext[8];
    size_t len;
    if (!dot || (slash && dot < slash))
        return 0;
    len = strlen(dot + 1);
    if (len == 0 || len >= sizeof ext)
        return 0;
    for (size_t k = 0; k <= len; k++)
        ext[k] = (char)((dot[1 + k] >= 'A' && dot[1 + k] <= 'Z') ? dot[1 + k] + 32
                                                                 : dot[1 + k]);
    return cy_render_format_parse(ext, out);
}

int cy_color_by_parse(const char *name, cy_color_by *out)
{
    int v;
    if (!parse_name(color_names, CY_COLOR_COUNT, name, &v))
        return 0;
    *out = (cy_color_by)v;
    return 1;
}

int cy_size_by_parse(const char *name, cy_size_by *out)
{
    int v;
    if (!parse_name(size_names, CY_SIZE_COUNT, name, &v))
        return 0;
    *out = (cy_size_by)v;
    return 1;
}

/* ---- the job ---------------------------------------------------------- */

typedef struct {
    const cy_network *net;
    const cy_r_plan *plan;
    const cy_render_options *options;
    cy_render_format format;
} render_job;

/* The SVG, then the interactive page around it. */
static cy_status render_page(const render_job *job, GVC_t *gvc, Agraph_t *g, FILE *out,
                             cy_error *err)
{
    char *svg = NULL;
    unsigned int size = 0;
    cy_status status;
    if (gvRenderData(gvc, g, "svg", &svg, &size) != 0 || !svg) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "graphviz could not draw svg");
        return CY_EINTERNAL;
    }
    status = cy_r_write_html(job->net, job->plan, svg, size, out, err);
    gvFreeRenderData(svg);
    return status;
}

/* Build, then either write the graph (DOT) or lay it out and draw it. */
static cy_status render_run(void *ctx, FILE *out, cy_error *err)
{
    const render_job *job = ctx;
    Agraph_t *g = NULL;
    GVC_t *gvc = NULL;
    int laid_out = 0;
    char cmdname[32];
    cy_status status;

    cy_r_capture_begin();
    status = job->plan->view == CY_VIEW_MAP
                 ? cy_r_build_map(job->net, job->plan, job->options, &g, err)
                 : cy_r_build(job->net, job->plan, &g, err);
    if (status != CY_OK)
        goto cleanup;
    status = CY_EINTERNAL;
    if (job->format == CY_RENDER_DOT) {
        if (agwrite(g, out) != 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "writing DOT failed");
            status = CY_EIO;
            goto cleanup;
        }
        status = CY_OK;
        goto cleanup;
    }
    if (!(gvc = gvContext())) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot start Graphviz");
        goto cleanup;
    }
    /*
     * Graphviz's cairo renderer reports "CMDNAME: graph is too large for
     * cairo-renderer bitmaps. Scaling by S to fit", CMDNAME being what
     * gvParseArgs sets from argv[0]: without it, "(null)".  Name the view
     * instead.  GVC_t begins with its public GVCOMMON_t (gvcommon.h;
     * lib/gvc/gvcint.h); gvFreeContext does not free the name, which
     * outlives the context here.
     */
    snprintf(cmdname, sizeof cmdname, "%s view", cy_view_name(job->plan->view));
    ((GVCOMMON_t *)gvc)->cmdname = cmdname;
    if (gvLayout(gvc, g, job->plan->layout) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "graphviz layout '%s' failed",
                     job->plan->layout);
        goto cleanup;
    }
    laid_out = 1;
    if (job->format == CY_RENDER_HTML) {
        status = render_page(job, gvc, g, out, err);
        goto cleanup;
    }
    if (gvRender(gvc, g, gv_formats[job->format], out) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "graphviz could not draw %s",
                     format_names[job->format]);
        goto cleanup;
    }
    status = CY_OK;
cleanup:
    cy_r_capture_end(err, status == CY_OK ? CY_SEV_WARNING : CY_SEV_ERROR);
    if (laid_out)
        gvFreeLayout(gvc, g);
    if (g)
        agclose(g);
    if (gvc)
        gvFreeContext(gvc);
    return status;
}

/* Per layout engine: seconds = scale * (nodes + edges)^power, fitted on
 * the presets' views (docs/rendering.md). */
typedef struct {
    const char *layout;
    double scale, power;
} layout_cost;

static const layout_cost layout_costs[] = {
    {"dot", 3.4e-8, 2.0}, {"sfdp", 2.8e-4, 1.0}, {"neato", 7.4e-7, 2.0},
    {"fdp", 7.4e-7, 2.0}, {"circo", 4.2e-5, 2.0}, {"nop2", 1e-6, 1.0}};

double cy_render_layout_estimate(const char *layout, size_t nodes, size_t edges)
{
    double size = (double)nodes + (double)edges;
    for (size_t k = 0; layout && k < sizeof layout_costs / sizeof layout_costs[0]; k++)
        if (strcmp(layout, layout_costs[k].layout) == 0)
            return layout_costs[k].scale * pow(size, layout_costs[k].power);
    return layout_costs[0].scale * pow(size, layout_costs[0].power);
}

/* After a timeout, or before a layout estimated above it: the overview
 * views that exist for `net` besides the one drawn, a lower --max-nodes
 * for views of firms, a higher --timeout. */
static const char *timeout_hint(const cy_network *net, const cy_r_plan *plan, char *buf,
                                size_t size)
{
    char views[64];
    int firms = !plan->aggregated && plan->view != CY_VIEW_MAP;
    cy_render_view_hint(net, plan->view, views, sizeof views);
    if (views[0] || firms)
        snprintf(buf, size, "draw a smaller view (%s%s%s) or raise --timeout", views,
                 views[0] && firms ? ", " : "", firms ? "a lower --max-nodes" : "");
    else
        snprintf(buf, size, "raise --timeout");
    return buf;
}

/*
 * In the caller's process, before the bounded job: the weak-link report of
 * the highlight unless the caller gave one (the caller sees its progress;
 * it is not part of the layout's timeout), then the caller's look at the
 * layout's estimate.
 */
static cy_status before_job(const cy_network *net, const cy_render_options *options,
                            cy_render_format format, cy_r_plan *plan, cy_error *err)
{
    char hint[160];
    cy_weaklinks_options wl = {.progress = options->progress,
                               .progress_data = options->progress_data};
    cy_status status;
    if (plan->highlight == CY_HIGHLIGHT_WEAK_LINKS && !plan->weaklinks) {
        if ((status = cy_weaklinks_compute(net, &wl, &plan->own_weaklinks, err)) != CY_OK)
            return status;
        plan->weaklinks = plan->own_weaklinks;
    }
    if (format == CY_RENDER_DOT || !options->before_layout)
        return CY_OK;
    if (!options->before_layout(plan->layout, plan->node_count, plan->drawn_edge_count,
                                plan->estimate, timeout_hint(net, plan, hint, sizeof hint),
                                options->before_layout_data)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "stopped before the %s layout", plan->layout);
        return CY_EINTERNAL;
    }
    return CY_OK;
}

cy_status cy_render(const cy_network *net, const cy_render_options *options,
                    cy_render_format format, FILE *out, cy_render_info *info,
                    cy_error *err)
{
    char hint[160];
    cy_render_options defaults;
    cy_r_plan plan;
    render_job job;
    cy_status status;

    cy_library_init();
    if (!options) {
        cy_render_options_init(&defaults);
        options = &defaults;
    }
    if ((unsigned)format >= CY_RENDER_FORMAT_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown output format %d", (int)format);
        return CY_EUSAGE;
    }
    status = cy_r_plan_make(net, options, &plan, err);
    if (status == CY_OK)
        status = before_job(net, options, format, &plan, err);
    if (status == CY_OK) {
        job.net = net;
        job.plan = &plan;
        job.options = options;
        job.format = format;
        status = cy_r_run_into(render_run, &job, options, "render",
                               timeout_hint(net, &plan, hint, sizeof hint), out, err);
    }
    if (status == CY_OK && info) {
        memset(info, 0, sizeof *info);
        info->view = plan.view;
        info->layout = plan.layout;
        info->node_count = plan.node_count;
        info->edge_count = plan.drawn_edge_count;
        info->firm_count = plan.firm_count;
        info->depth = plan.depth;
        info->aggregated = plan.aggregated;
        snprintf(info->note, sizeof info->note, "%s", plan.note);
    }
    cy_r_plan_destroy(&plan);
    return status;
}
