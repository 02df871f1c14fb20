/*
 * render_internal.h - what the files of render/ share.  Not installed.
 *
 *   escape.c   the Graphviz escapers every user string goes through (the
 *              string buffer, amounts and the other escapers are the
 *              output layer's: src/report/writer.h)
 *   palette.c  categorical and sequential colours
 *   plan.c     option checks and the view plan: which nodes and edges a
 *              diagram has (cheap, runs in the caller's process);
 *              plan_firms.c views of firms, plan_groups.c aggregated views
 *              (plan_internal.h)
 *   build.c    the cgraph graph of a plan (build_internal.h): graph
 *              attributes and the steps in order, build_style.c (measures,
 *              colours), build_nodes.c, build_edges.c, build_legend.c
 *   isolate.c  running a job in a child process with limits
 *   ids.c      deterministic cgraph object IDs
 *   map.c      the map view: runs map_plan.c (options, drawn firms),
 *              map_place.c (projection, positions), map_draw.c (nodes,
 *              edges), map_background.c (outlines, scale bar) and
 *              map_legend.c behind map_internal.h
 *   geojson.c  boundaries for the map view, read from GeoJSON
 *   interactive.c  render --format html: the SVG in an interactive page
 *   render.c   cy_render: plan, then build + layout + draw as a job
 *   export.c   GraphML, CSV, DOT
 */
#ifndef CHENGYU_RENDER_INTERNAL_H
#define CHENGYU_RENDER_INTERNAL_H

#include "chengyu_render.h"
#include "writer.h"

#include <graphviz/cgraph.h>
#include <stdio.h>

/* The font family of every diagram: has Latin and CJK glyphs (Debian
 * fonts-noto-cjk, installed by scripts/deps.sh). */
#define CY_R_FONT "Noto Sans CJK SC"

/* The reds of highlights: weak links and their borders, the first firm of
 * a cascade, the others that fail. */
#define RED "#d7191c"
#define DARK_RED "#67000d"
#define LIGHT_RED "#fb6a4a"

/* ---- escape.c --------------------------------------------------------- */

/*
 * Append `s` escaped for one kind of Graphviz string:
 *   LABEL    a plain label (escString + HTML entities): '\' doubled, '&' as
 *            &amp;, a newline as the \n line break, a leading '<' as \<
 *            (so no plain string ever equals an HTML-like one);
 *   TOOLTIP  tooltips and other attributes Graphviz passes to SVG as they
 *            are: XML entities for & < > " ' and newline, '\' quadrupled
 *            (Graphviz unescapes tooltips twice);
 *   HTML     text inside an HTML-like label: & < > " ' as entities, '\'
 *            doubled (HTML text still expands \N), newline as <BR/>.
 * In every mode a tab becomes a space, "\r\n" and a lone CR one newline,
 * and the other hostile code points (controls, which XML cannot carry,
 * and bidirectional overrides: cy_i_codepoint_hostile) are drawn as their
 * visible escape ("\x1B", "\u202E").
 */
typedef enum { CY_R_ESC_LABEL, CY_R_ESC_TOOLTIP, CY_R_ESC_HTML } cy_r_escape_mode;
void cy_r_buf_escaped(cy_r_buf *buf, const char *s, cy_r_escape_mode mode);

/* ---- palette.c -------------------------------------------------------- */

typedef struct {
    unsigned char r, g, b;
} cy_r_rgb;

#define CY_R_CATEGORICAL_COUNT 12
/* Categorical colour k (ColorBrewer Set3, light enough for black text);
 * k >= CY_R_CATEGORICAL_COUNT gives the grey used for "other". */
cy_r_rgb cy_r_categorical(size_t k);
/* Sequential colour for t in [0, 1] (ColorBrewer YlGnBu, interpolated). */
cy_r_rgb cy_r_sequential(double t);
/* Red for t in [0, 1]: ColorBrewer Reds from its third class (light red,
 * still visibly red) to its darkest, interpolated; darker as t grows. */
cy_r_rgb cy_r_reds(double t);
/* A fixed colour per enterprise kind. */
cy_r_rgb cy_r_kind_color(cy_kind kind);
/* "#rrggbb" into out (8 bytes). */
void cy_r_rgb_hex(cy_r_rgb c, char out[8]);
/* 1 when black text would be hard to read on c. */
int cy_r_is_dark(cy_r_rgb c);

/* ---- plan.c ----------------------------------------------------------- */

typedef enum {
    CY_R_NODE_FIRM = 0,  /* index = enterprise */
    CY_R_NODE_GROUP,     /* index = group of plan->grouping */
    CY_R_NODE_TIER,      /* index = tier */
    CY_R_NODE_OUTSIDE,   /* the firms in no group; index = their region or -1 */
    CY_R_NODE_OTHER      /* small groups merged when there are too many */
} cy_r_node_kind;

typedef struct {
    cy_r_node_kind kind;
    long index;
    size_t members;          /* firms represented */
    double output;           /* their summed output value */
    double inflow, outflow;  /* link volume into / out of the node */
    double internal;         /* link volume between its own members */
    size_t kind_count[CY_KIND_COUNT];
    double tier_sum;         /* sum of the members' tiers ... */
    size_t tiered;           /* ... over this many members with a tier */
} cy_r_node;

typedef struct {
    size_t from, to;         /* node indices */
    double volume;
    size_t links;
    long firm_edge;          /* firm views: the firm-graph edge, else -1 */
    size_t first_link;       /* firm views: its links are out_links[first_link
                                .. first_link + links) of the supplier */
    int drawn;               /* aggregated views draw the heaviest only */
} cy_r_edge;

/* How aggregated views group firms. */
typedef enum {
    CY_R_BY_REGION = CY_GROUP_REGION,
    CY_R_BY_CLUSTER = CY_GROUP_CLUSTER,
    CY_R_BY_PARK = CY_GROUP_PARK,
    CY_R_BY_TIER
} cy_r_grouping;

typedef struct {
    cy_view requested;       /* what the caller asked for */
    cy_view view;            /* what is drawn (TIERS may be aggregated) */
    int aggregated;          /* nodes are groups */
    cy_r_grouping grouping;  /* when aggregated */
    const char *layout;
    double estimate;         /* seconds the layout should take */
    cy_color_by color_by;    /* resolved, never AUTO */
    cy_size_by size_by;      /* resolved, never AUTO */
    cy_highlight highlight;
    size_t top;              /* WEAK_LINKS: register firms marked, 0 = all */
    const cy_weaklinks *weaklinks; /* WEAK_LINKS: the caller's register, or
                                      NULL (computed, threshold 0) */
    size_t cascade_firm;     /* CY_HIGHLIGHT_CASCADE */
    size_t focus, depth;     /* EGO */
    size_t max_nodes;
    const char *title;

    cy_r_node *nodes;
    size_t node_count;
    cy_r_edge *edges;        /* sorted by (from, to) */
    size_t edge_count, drawn_edge_count;
    double hidden_volume;    /* volume of edges not drawn */
    size_t firm_count;       /* enterprises represented */
    size_t firm_edges_total; /* firm views: firm edges among drawn firms */

    /* Where a firm is.  Firm views: firm_node[i] = node or -1.  Aggregated
     * views: group_node[g] (per group of the grouping, or per tier; tier
     * -1 at index tier_count), outside_node[r + 1] (r = region or -1). */
    long *firm_node;
    long *group_node;
    size_t group_slots;
    long *outside_node;
    long other_node;
    /* CY_HIGHLIGHT_WEAK_LINKS without the caller's register: the report,
     * computed by cy_render in the caller's process (with its progress)
     * before the job, owned here and lent as `weaklinks`. */
    cy_weaklinks *own_weaklinks;

    char note[512];
} cy_r_plan;

/*
 * Check options against `net` and work out what to draw.  Errors name the
 * option (CY_EUSAGE).  Release with cy_r_plan_destroy (also after failure).
 * Time complexity: O(n + m k^2 log(m k^2)), k = most clusters of one firm
 * (1 except in the clusters view).
 */
cy_status cy_r_plan_make(const cy_network *net, const cy_render_options *opt,
                         cy_r_plan *plan, cy_error *err);
void cy_r_plan_destroy(cy_r_plan *plan);

/* The nodes firm i belongs to (at most `max`); returns their number (0 when
 * the firm is not drawn). */
size_t cy_r_plan_firm_nodes(const cy_r_plan *plan, const cy_network *net,
                            size_t i, long *out, size_t max);

/* ---- highlight.c ------------------------------------------------------ */

typedef struct {
    /* weak links: single-source links per edge, and the first `top` firms
     * of the risk register (cy_weaklinks_compute, threshold 0) per node */
    size_t *edge_single;        /* per plan edge: single-source links on it */
    size_t single_links;        /* single-source links between drawn nodes */
    size_t single_links_total;  /* in the whole network */
    size_t *node_top;           /* per plan node: its members among the top */
    size_t *node_rank;          /* per plan node: best register rank (1 = first)
                                   of those members, 0 when none */
    double *node_lost;          /* per plan node: largest final_demand_lost
                                   of those members */
    size_t top_count;           /* firms marked: min(top, register size) */
    size_t register_count;      /* firms in the register */
    double lost_min, lost_max;  /* final_demand_lost of the marked firms */
    double final_demand_total;
    /* cascade */
    size_t *node_failed;        /* per plan node: members that fail */
    long initial_node;          /* node of the first failure, -1 if not drawn */
    size_t failed_count;        /* firms that fail, the initial one included */
    double demand_lost, demand_total; /* final demand, yuan a year */
    const cy_network *net;      /* whose currency the amounts are in */
} cy_r_highlight;

/* Compute what plan->highlight asks for (nothing for NONE); weak links
 * mark the first plan->top firms of the register (0 = all of them).
 * Time complexity: O(n + m) for single sources, plus cy_weaklinks_compute's
 * cost for weak links and the resilience module's for a cascade. */
cy_status cy_r_highlight_compute(const cy_network *net, const cy_r_plan *plan,
                                 cy_r_highlight *hl, cy_error *err);
void cy_r_highlight_destroy(cy_r_highlight *hl);

/* The fill of a marked weak-link node: Reds from light (final demand lost
 * lost_min or less) to dark (lost_max), monotone in `lost`.  O(1). */
cy_r_rgb cy_r_highlight_grade(const cy_r_highlight *hl, double lost);

/*
 * Mark node k of a diagram or map as plan->highlight asks: weak links fill
 * the register's top firms with their grade, red border; cascade fills the
 * failed firms red (the first one dark, groups partly failed dashed).
 * label_inside: the node's label is drawn on its fill (its font turns
 * white on dark fills), not beside it.  Sets *failed when Graphviz is out
 * of memory.  O(1).
 */
void cy_r_highlight_node(int *failed, const cy_r_plan *plan, const cy_r_highlight *hl,
                         Agnode_t *n, size_t k, int label_inside);

/* The legend lines of the weak-link marks of nodes: what the red fill
 * means (the first top_count of the register_count register firms, the
 * rest not marked) and the grade, five swatches of `glyph` from lost_min
 * to lost_max.  O(1). */
void cy_r_highlight_legend(const cy_r_highlight *hl, const char *glyph, cy_r_buf *h);

/* "#3, ¥1.2 bn" for a marked weak-link node (aggregated: "3 of the top
 * 20, first #3, ¥1.2 bn"), appended as a label line; nothing otherwise.
 * O(1). */
void cy_r_highlight_label(const cy_r_plan *plan, const cy_r_highlight *hl, size_t k,
                          cy_r_buf *buf);

/* ---- build.c ---------------------------------------------------------- */

/* Build the diagram of `plan` as a cgraph graph: measures, colours, sizes,
 * highlights, legend and title.  *out is closed with agclose. */
cy_status cy_r_build(const cy_network *net, const cy_r_plan *plan,
                     Agraph_t **out, cy_error *err);

/* ---- map*.c ----------------------------------------------------------- */

/*
 * The map view's part of the plan: checks the options that apply to it,
 * aggregates by park above max_nodes, and otherwise sets *mark (cy_malloc,
 * one byte per firm: 1 = drawn) to the firms that have a location or a
 * park with one, the others listed in plan->note.
 */
cy_status cy_r_map_plan(const cy_network *net, const cy_render_options *opt,
                        cy_r_plan *plan, unsigned char **mark, cy_error *err);

/* Build the map of `plan` as a cgraph graph with fixed positions (layout
 * nop2).  *out is closed with agclose. */
cy_status cy_r_build_map(const cy_network *net, const cy_r_plan *plan,
                         const cy_render_options *opt, Agraph_t **out, cy_error *err);

/* ---- interactive.c ------------------------------------------------------ */

/* The interactive page (CY_RENDER_HTML) around `size` bytes of Graphviz
 * SVG: the SVG element, the nodes' data, the embedded style and script. */
cy_status cy_r_write_html(const cy_network *net, const cy_r_plan *plan, const char *svg,
                          size_t size, FILE *out, cy_error *err);

/* ---- geojson.c -------------------------------------------------------- */

/* Ring r of the boundaries: its points (returned count), whether it is a
 * hole, and its feature's name (or NULL). */
size_t cy_r_boundaries_ring(const cy_boundaries *b, size_t r, const double **lon,
                            const double **lat, int *hole, const char **name);
/* The feature ring r belongs to. */
size_t cy_r_boundaries_feature(const cy_boundaries *b, size_t r);

/* ids.c: a new directed graph whose names map to IDs in order of first
 * use, so that agwrite's output depends only on how the graph was built.
 * NULL when out of memory.  Close with agclose. */
Agraph_t *cy_r_graph_open(const char *name);

/* Set `name` on a graph object, declaring it with default `def`; the value
 * is copied.  Returns 0 on failure (Graphviz is out of memory). */
int cy_r_set(void *obj, const char *name, const char *value, const char *def);
/* Set the graph's label to the HTML-like label in `h` (its text, without
 * the enclosing <>).  Returns 0 when out of memory.  O(length). */
int cy_r_set_html_label(Agraph_t *g, cy_r_buf *h);

/* ---- attribute setters of the builders (build*.c, map*.c) --------------- */

/* Set an attribute unless *failed, setting *failed when Graphviz is out of
 * memory (so later sets are skipped and the builder reports CY_ENOMEM). */
static inline void cy_r_attr(int *failed, void *obj, const char *name, const char *value,
                             const char *def)
{
    if (!*failed && !cy_r_set(obj, name, value, def))
        *failed = 1;
}

/* The same with `value` printed by `fmt`. */
static inline void cy_r_attrf(int *failed, void *obj, const char *name, const char *def,
                              const char *fmt, double value)
{
    char text[64];
    snprintf(text, sizeof text, fmt, value);
    cy_r_attr(failed, obj, name, text, def);
}

/* The same with a buffer's content (escaped already); the buffer is reset. */
static inline void cy_r_attr_buf(int *failed, void *obj, const char *name, cy_r_buf *buf,
                                 const char *def)
{
    const char *s = cy_r_buf_str(buf);
    if (!s)
        *failed = 1;
    else
        cy_r_attr(failed, obj, name, s, def);
    cy_r_buf_free(buf);
}

/* Legends are HTML-like tables of left-aligned lines (build_legend.c,
 * map_legend.c): a line's start and end, and a coloured glyph (a swatch)
 * followed by a space. */
static inline void cy_r_legend_line_begin(cy_r_buf *h)
{
    cy_r_buf_puts(h, "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">");
}

static inline void cy_r_legend_line_end(cy_r_buf *h)
{
    cy_r_buf_puts(h, "</TD></TR>");
}

static inline void cy_r_legend_glyph(cy_r_buf *h, const char *color, const char *glyph)
{
    cy_r_buf_printf(h, "<FONT COLOR=\"%s\" POINT-SIZE=\"16\">%s</FONT> ", color, glyph);
}

/* Shorthands for a builder `b` with an `int failed` member. */
#define set(b, obj, name, value, def) cy_r_attr(&(b)->failed, obj, name, value, def)
#define setf(b, obj, name, def, fmt, value) \
    cy_r_attrf(&(b)->failed, obj, name, def, fmt, value)
#define set_buf(b, obj, name, buf, def) cy_r_attr_buf(&(b)->failed, obj, name, buf, def)

/* Graphviz's diagnostics.  cy_r_capture_begin routes agerr's messages into
 * a buffer instead of stderr; cy_r_capture_end restores the default and
 * adds what was captured to `err` with `severity`. */
void cy_r_capture_begin(void);
void cy_r_capture_end(cy_error *err, cy_severity severity);

/* One line Graphviz said, as a diagnostic of `severity`: "graphviz: "
 * and the line without Graphviz's own "Warning: " or "Error: " (the
 * severity already says it, lowercase). */
void cy_r_graphviz_line(cy_error *err, cy_severity severity, const char *text, size_t len);

/* ---- isolate.c -------------------------------------------------------- */

/* A job writes its whole result to `out` and reports through `err`. */
typedef cy_status (*cy_r_job_fn)(void *ctx, FILE *out, cy_error *err);

typedef struct {
    int isolate;
    double timeout_seconds;  /* 0 = none */
    size_t memory_limit_mb;  /* 0 = none */
    const char *what;        /* "render", "export" (for messages) */
    const char *hint;        /* what to do after a timeout; NULL: "raise
                                --timeout" */
} cy_r_limits;

/*
 * Run `job` and collect what it writes into *data and *size (cy_malloc'd, NUL
 * terminated for convenience; cy_free it).  With limits->isolate it runs in
 * a forked child: CPU limit = timeout + 1 s, address space = current +
 * memory limit (not under AddressSanitizer, whose shadow memory needs the
 * whole address space), wall-clock timeout enforced by the parent with
 * SIGKILL.  The child's diagnostics come back into `err`.
 * Time complexity: the job's, plus O(size of the output).
 */
cy_status cy_r_run(cy_r_job_fn job, void *ctx, const cy_r_limits *limits,
                   char **data, size_t *size, cy_error *err);

/*
 * cy_r_run with the isolation, timeout and memory limit of `options` (and
 * `hint` in the timeout's message), then the whole output written to
 * `out` (only after the job succeeded).
 * CY_EUSAGE for a negative timeout; CY_EIO when writing fails.
 */
cy_status cy_r_run_into(cy_r_job_fn job, void *ctx, const cy_render_options *options,
                        const char *what, const char *hint, FILE *out, cy_error *err);

#endif /* CHENGYU_RENDER_INTERNAL_H */
