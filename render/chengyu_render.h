/*
 * chengyu_render.h - diagrams and exports of a chengyu network: the public
 * header of libchengyu_render (render/), the only part of chengyu that
 * links Graphviz.
 *
 * Diagrams are built with cgraph (agopen/agnode/agedge/agsafeset,
 * cluster_* subgraphs) and laid out and drawn with gvc (gvLayout,
 * gvRender) in-process: nothing shells out to `dot` and no DOT text is
 * assembled by hand.  Every user string (names, ids, part names) reaches
 * Graphviz only through the escapers in render/escape.c, so no name can
 * inject DOT, HTML-like labels or escape sequences such as \N.
 *
 * Bounded rendering: by default the heavy part of a render (measures,
 * building the graph, layout, drawing) runs in a forked child process with
 * a CPU-time limit and an address-space limit, while the parent enforces a
 * wall-clock timeout.  Graphviz exits the process when it runs out of
 * memory and can take very long on big graphs; in the child neither can
 * take the caller down.  The output reaches the caller's stream only after
 * the child succeeded, so a failed render writes nothing.
 *
 * Same conventions as chengyu.h: library calls never print, never exit,
 * return a cy_status and fill a cy_error.
 */
#ifndef CHENGYU_RENDER_H
#define CHENGYU_RENDER_H

#include "chengyu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Options                                                             */
/* ------------------------------------------------------------------ */

/*
 * What a diagram shows.
 *   FULL      every enterprise; regions and parks as nested Graphviz clusters.
 *   TIERS     every enterprise in columns by tier, left to right from the
 *             highest tier to the OEMs (tier 0) on the right.
 *   CLUSTERS, PARKS, REGIONS
 *             one node per group (plus nodes for the firms in none), edges
 *             between groups with width by total link volume, labels with
 *             totals.
 *   EGO       the firms within `depth` supply hops of `focus`, upstream
 *             and downstream.
 *   MAP       every firm at its location (longitude, latitude), or spread
 *             around its park's location; parks as labelled circles; with
 *             fixed positions (Graphviz's nop2 layout, as neato -n2).
 *             Above max_nodes, one circle per park at the park's location.
 */
typedef enum {
    CY_VIEW_FULL = 0,
    CY_VIEW_TIERS,
    CY_VIEW_CLUSTERS,
    CY_VIEW_PARKS,
    CY_VIEW_REGIONS,
    CY_VIEW_EGO,
    CY_VIEW_MAP,
    CY_VIEW_COUNT
} cy_view;

typedef enum {
    CY_RENDER_SVG = 0,
    CY_RENDER_PNG,
    CY_RENDER_PDF,
    CY_RENDER_DOT, /* the graph as built, before layout (cgraph agwrite) */
    CY_RENDER_HTML, /* the SVG in a page with pan, zoom, search and the
                       supply cones of a clicked firm; loads nothing */
    CY_RENDER_FORMAT_COUNT
} cy_render_format;

/* Node fill colour.  AUTO picks the view's default (kind for firm views,
 * region for parks, sector for clusters and regions, tier for tiers drawn
 * one node per tier). */
typedef enum {
    CY_COLOR_AUTO = 0,
    CY_COLOR_SECTOR,
    CY_COLOR_REGION,
    CY_COLOR_TIER,
    CY_COLOR_KIND,
    CY_COLOR_BETWEENNESS,
    CY_COLOR_PAGERANK,
    CY_COLOR_COUNT
} cy_color_by;

/* Node size.  AUTO = OUTPUT.  NONE draws every node at its label's size. */
typedef enum {
    CY_SIZE_AUTO = 0,
    CY_SIZE_OUTPUT,
    CY_SIZE_BETWEENNESS,
    CY_SIZE_PAGERANK,
    CY_SIZE_DEGREE,
    CY_SIZE_NONE,
    CY_SIZE_COUNT
} cy_size_by;

/* How the map view turns longitude and latitude into a plane.
 * EQUIRECTANGULAR: x = longitude × cos(mid latitude), y = latitude (true
 * distances along the mid latitude; fine for a region the size of a
 * province).  MERCATOR: Web Mercator (EPSG:3857), latitudes clamped to
 * ±85.05°, as in web maps. */
typedef enum {
    CY_PROJECTION_EQUIRECTANGULAR = 0,
    CY_PROJECTION_MERCATOR,
    CY_PROJECTION_COUNT
} cy_projection;

/* Outlines read from GeoJSON for the map view (see cy_boundaries_load). */
typedef struct cy_boundaries cy_boundaries;

typedef enum {
    CY_HIGHLIGHT_NONE = 0,
    CY_HIGHLIGHT_WEAK_LINKS, /* the first `top` firms of the risk register
                                (cy_weaklinks_compute, threshold 0) filled
                                red, graded by the final demand their
                                failure stops; single-source links red */
    CY_HIGHLIGHT_CASCADE     /* the firms that fail when cascade_id fails */
} cy_highlight;

/* Defaults, documented in docs/rendering.md. */
#define CY_RENDER_DEFAULT_MAX_NODES 2000
#define CY_RENDER_DEFAULT_DEPTH 2
#define CY_RENDER_DEFAULT_TOP 20             /* weak-link firms marked */
#define CY_RENDER_DEFAULT_TIMEOUT 60.0       /* seconds */
#define CY_RENDER_DEFAULT_MEMORY_MB 4096     /* address space of the child */

typedef struct {
    cy_view view;
    const char *focus;          /* EGO: the enterprise id in the middle */
    size_t depth;               /* EGO: supply hops each way (>= 1) */
    const char *layout;         /* dot|sfdp|neato|fdp|circo; NULL = view default */
    cy_color_by color_by;
    cy_size_by size_by;
    cy_highlight highlight;
    const char *cascade_id;     /* CY_HIGHLIGHT_CASCADE: who fails first */
    size_t top;                 /* CY_HIGHLIGHT_WEAK_LINKS: mark the first
                                   `top` firms of the risk register (0 =
                                   every firm of it) */
    const cy_weaklinks *weaklinks; /* CY_HIGHLIGHT_WEAK_LINKS: the register
                                   to mark, computed by the caller for
                                   this network (any threshold); NULL =
                                   cy_weaklinks_compute with threshold 0 */
    size_t max_nodes;           /* above it FULL/TIERS aggregate; 0 = default */
    const char *title;          /* NULL = the network's name */
    double timeout_seconds;     /* wall clock for the child; 0 = no limit */
    size_t memory_limit_mb;     /* child's extra address space; 0 = no limit */
    int isolate;                /* 1: run in a forked child process
                                   (default; in a multi-threaded caller the
                                   child inherits other threads' locks held,
                                   so use 0 there); 0: in-process, no timeout
                                   or memory limit, and Graphviz's font caches
                                   stay allocated in the caller */
    cy_projection projection;   /* MAP: the projection */
    const cy_boundaries *boundaries; /* MAP: outlines to draw, or NULL */
    /* The weak-link report of CY_HIGHLIGHT_WEAK_LINKS reports its
     * progress here ("weak links", cy_weaklinks_options); may be NULL. */
    cy_progress_fn progress;
    void *progress_data;
    /* Called once the drawing is planned, before Graphviz lays it out
     * (not for DOT, which has no layout), in the caller's process, with
     * the engine, the nodes and edges to draw, the layout's estimated
     * seconds (cy_render_layout_estimate) and what would make it shorter
     * for the view drawn ("draw a smaller view (--view regions, a lower
     * --max-nodes) or raise --timeout", or "raise --timeout" alone; the
     * hint of the timeout's error); returning 0 stops the render before
     * the layout: CY_EINTERNAL, nothing written.  May be NULL. */
    int (*before_layout)(const char *layout, size_t nodes, size_t edges, double seconds,
                         const char *hint, void *data);
    void *before_layout_data;
} cy_render_options;

/*
 * Fill `options` with the defaults: FULL view, depth 2, the view's layout,
 * AUTO colour and size, no highlight (top 20 when weak links are asked
 * for), max_nodes 2,000, timeout 60 s,
 * memory 4096 MB, isolate 1.
 * Time complexity: O(1).
 */
void cy_render_options_init(cy_render_options *options);

/* Names used on the command line: "full", "svg", "sector", "output", ...
 * Each returns NULL for an out-of-range value.  Time complexity: O(1). */
const char *cy_view_name(cy_view view);
const char *cy_render_format_name(cy_render_format format);
const char *cy_color_by_name(cy_color_by color_by);
const char *cy_size_by_name(cy_size_by size_by);
const char *cy_projection_name(cy_projection projection);

/*
 * Parse a name back (exact, lowercase).  Return 1 and set *out on success,
 * 0 for an unknown name.  cy_render_format_from_path looks at the
 * extension of `path` (.svg .png .pdf .dot .gv .html .htm,
 * case-insensitive).
 * Time complexity: O(length of the name).
 */
int cy_view_parse(const char *name, cy_view *out);
int cy_render_format_parse(const char *name, cy_render_format *out);
int cy_render_format_from_path(const char *path, cy_render_format *out);
int cy_color_by_parse(const char *name, cy_color_by *out);
int cy_size_by_parse(const char *name, cy_size_by *out);
int cy_projection_parse(const char *name, cy_projection *out);

/*
 * Whether `net` has what `view` shows: FULL and EGO an enterprise; TIERS a
 * firm with a tier; CLUSTERS, PARKS, REGIONS a group of that kind; MAP a
 * firm with a location or in a park with one.  A view that does not exist
 * is still drawn (cy_render falls back to one that does, with a note) but
 * is never suggested.
 * Time complexity: O(n) for TIERS and MAP, O(1) otherwise.
 */
int cy_render_view_exists(const cy_network *net, cy_view view);

/*
 * The overview views that exist for `net` other than `drawn`, for hints:
 * "--view parks, regions or clusters" (in that order), "--view regions",
 * or "" when none does; written into buf (size bytes, 48 suffice), which
 * is returned.
 * Time complexity: O(1).
 */
const char *cy_render_view_hint(const cy_network *net, cy_view drawn, char *buf,
                                size_t size);

/* ------------------------------------------------------------------ */
/* Boundaries for the map view                                         */
/* ------------------------------------------------------------------ */

/* Limits on a boundaries file: it comes from elsewhere. */
#define CY_BOUNDARIES_MAX_BYTES (64 << 20)
#define CY_BOUNDARIES_MAX_POINTS 200000
#define CY_BOUNDARIES_MAX_RINGS 20000

/*
 * Read GeoJSON outlines: a FeatureCollection, a Feature or a bare
 * geometry, whose geometries are Polygon or MultiPolygon (a Feature's
 * geometry may be null); a feature's `properties.name`, when a string,
 * labels it.  Positions are [longitude, latitude, ...] in degrees.
 * Refused with CY_EINPUT and an error naming the JSON path ("$.features[2]
 * .geometry.coordinates[0][5]"): a file over CY_BOUNDARIES_MAX_BYTES,
 * nesting beyond Jansson's limit, more than CY_BOUNDARIES_MAX_POINTS
 * positions or CY_BOUNDARIES_MAX_RINGS rings or features, another geometry
 * type, a value of the wrong type, a ring of fewer than 4 positions, a
 * position out of range.  cy_boundaries_load reads `path` (CY_EIO when it
 * cannot); cy_boundaries_parse reads `size` bytes in memory.  Free with
 * cy_boundaries_free (NULL is fine).
 * Time complexity: O(size of the file).
 */
cy_status cy_boundaries_load(const char *path, cy_boundaries **out, cy_error *err);
cy_status cy_boundaries_parse(const char *data, size_t size, cy_boundaries **out,
                              cy_error *err);
void cy_boundaries_free(cy_boundaries *boundaries);
/* Rings (outer and holes) and positions read.  Time complexity: O(1). */
size_t cy_boundaries_ring_count(const cy_boundaries *boundaries);
size_t cy_boundaries_point_count(const cy_boundaries *boundaries);

/* ------------------------------------------------------------------ */
/* Rendering                                                           */
/* ------------------------------------------------------------------ */

/* What a render actually drew. */
typedef struct {
    cy_view view;               /* may differ from the one asked for */
    const char *layout;         /* the Graphviz engine used */
    size_t node_count;          /* drawn nodes (firms or groups) */
    size_t edge_count;          /* drawn edges */
    size_t firm_count;          /* enterprises represented */
    size_t depth;               /* EGO: the depth drawn */
    int aggregated;             /* 1 when firms were replaced by groups */
    char note[512];             /* why the drawing differs from the request
                                   ("" when it does not), one sentence */
} cy_render_info;

/*
 * Draw `net` as `format` into `out`.  The whole diagram is produced first
 * (in a child process when options->isolate) and written to `out` in one
 * go only on success; on failure nothing is written.
 *
 * Returns CY_EUSAGE (with a message naming the option) for a focus or
 * cascade id that names no enterprise, an unknown layout, a colour or
 * size measure that does not apply to the view, an ego view without a
 * focus; CY_EINTERNAL when Graphviz fails, exceeds the timeout or the
 * memory limit (the message says which, and suggests only views that
 * exist for `net`); CY_EIO when writing `out` fails; CY_ENOMEM.  A FULL
 * view above max_nodes is drawn aggregated (parks, else regions, else
 * clusters, the first with at least 2 groups; else tiers when firms have
 * two or more), or else as the first firms of the risk register (by output
 * without a register) with their direct partners; a TIERS view above it
 * one node per tier, an EGO view at a smaller depth.  A view the network
 * has nothing for (cy_render_view_exists) falls back: tiers to full, a
 * group view to another group view that exists, else full.  A view of
 * firms whose dot layout would take too long (links in cycles: dot's
 * ranks run deep) is drawn with sfdp, an engine named by the caller only
 * when its layout would exceed 15 s or the timeout (never without a
 * timeout).  info->note says each.
 * `info` may be NULL.
 *
 * The DOT form is byte-identical for the same network and options: nodes
 * in file order, no time stamps, layouts seeded (start=random1).
 *
 * Time complexity: O(n + m log m) to plan and build for n enterprises and
 * m links; plus, when colour or size is a measure, cy_centrality_compute's
 * cost on the firm graph for firm views (betweenness O(n m), sampled
 * automatically on big graphs) or igraph's on the few hundred nodes of a
 * group view; plus cy_weaklinks_compute's (threshold 0) for weak-links; plus
 * Graphviz's layout, bounded by max_nodes, the effort limits in
 * docs/rendering.md and the timeout.
 */
cy_status cy_render(const cy_network *net, const cy_render_options *options,
                    cy_render_format format, FILE *out, cy_render_info *info,
                    cy_error *err);

/*
 * The seconds Graphviz's `layout` (dot, sfdp, neato, fdp, circo, nop2)
 * should take to lay out and draw `nodes` nodes and `edges` edges: a fit
 * of the presets' views measured on the project's machine
 * (docs/rendering.md, "How long a layout takes"), within a factor of
 * about 3 either way.
 * Time complexity: O(1).
 */
double cy_render_layout_estimate(const char *layout, size_t nodes, size_t edges);

/*
 * The data the interactive script of an HTML page (src/report/
 * interactive.js) needs for the diagram cy_render draws of `net` with
 * `options` (NULL: the defaults): a JSON object
 *   {"nodes": {TITLE: {"id", "name", "zh" (a firm's Chinese name, when it
 *                      has one), "lines": [text for people, ...],
 *                      "up": [TITLE, ...], "down": [TITLE, ...]}}}
 * with one entry per drawn node, keyed by the <title> Graphviz gives the
 * node in the SVG ("f12": enterprise 12 by file order, "n3": node 3 of an
 * aggregated view); "up" lists the node's direct suppliers among the drawn
 * nodes (the drawn edges into it), "down" its direct customers.  The
 * diagram is planned again (in the caller's process, no layout), so the
 * keys match the SVG cy_render writes with the same arguments.  *data is a
 * new reference (json_decref), NULL on failure.
 * Returns CY_EUSAGE for the options cy_render refuses, CY_ENOMEM.
 * Time complexity: cy_render's planning, O(n + m log m), plus O(nodes +
 * drawn edges).
 */
cy_status cy_render_page_data(const cy_network *net, const cy_render_options *options,
                              struct json_t **data, cy_error *err);

/* ------------------------------------------------------------------ */
/* Export (GraphML and CSV: chengyu_io.h)                              */
/* ------------------------------------------------------------------ */

/*
 * DOT through cgraph (agwrite): node name = enterprise id, one edge per
 * link (attributes part, volume, share), parks as cluster subgraphs named
 * "cluster_" + park id inside region clusters "cluster_" + region id (left
 * out, with a warning, when agwrite's per-cluster membership checks would
 * exceed 2e7), every record field as a node attribute, labels escaped as
 * in diagrams.
 * `options` supplies isolate, timeout and memory limit (NULL: isolated, no
 * timeout, the default memory limit).  CY_EINPUT, naming each, for strings
 * DOT cannot carry (ending in an odd number of backslashes).
 * Time complexity: O((n + m) log(n + m)) in cgraph, plus the size of the
 * strings.
 */
cy_status cy_export_dot(const cy_network *net, const cy_render_options *options,
                        FILE *out, cy_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_RENDER_H */
