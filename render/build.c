/*
 * build.c - the cgraph graph of a plan: node colours and sizes from the
 * chosen categories or measures, highlights, clusters for parks and
 * regions, tier columns, layout attributes with effort limits, and a title
 * and legend as one HTML-like label on the root graph.
 *
 * Node names are synthetic ("f12" = enterprise 12, "n3" = node 3 of an
 * aggregated view): user strings only ever appear in escaped labels and
 * tooltips, never as names, so the SVG <title> of a node, the DOT id and
 * cgraph's string pool can never be driven by the input.
 */
#include "render_internal.h"

#include <graphviz/gvc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RED "#d7191c"
#define DARK_RED "#67000d"
#define LIGHT_RED "#fb6a4a"
#define EDGE_GREY "#707070"
#define NONE_FILL "#ffffff"

/* Edge labels in aggregated views: the heaviest this many edges. */
#define EDGE_LABEL_LIMIT 20
/* Parts listed in an edge tooltip before "and N more". */
#define TOOLTIP_PARTS 12
/* Categories listed in a legend before the rest become "other". */
#define LEGEND_CATEGORIES (CY_R_CATEGORICAL_COUNT)

/* ---- Graphviz diagnostics -------------------------------------------- */

#define CAPTURE_LIMIT 65536
static cy_r_buf captured;
static agusererrf previous_errf;
static int capturing;

static int capture_message(char *message)
{
    if (captured.len < CAPTURE_LIMIT)
        cy_r_buf_puts(&captured, message);
    return 0;
}

void cy_r_capture_begin(void)
{
    cy_r_buf_free(&captured);
    previous_errf = agseterrf(capture_message);
    capturing = 1;
}

void cy_r_capture_end(cy_error *err, cy_severity severity)
{
    const char *text;
    if (!capturing)
        return;
    agseterrf(previous_errf);
    capturing = 0;
    text = cy_r_buf_str(&captured);
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        if (len > 0)
            cy_error_add(err, severity, NULL, "graphviz: %.*s", (int)len, text);
        text += len + (end ? 1 : 0);
    }
    cy_r_buf_free(&captured);
}

/* ---- small helpers --------------------------------------------------- */

int cy_r_set(void *obj, const char *name, const char *value, const char *def)
{
    return agsafeset(obj, (char *)name, (char *)value, (char *)def) == 0;
}

typedef struct {
    char color[8];
    char *label;   /* raw text, escaped when the legend is built */
    size_t count;
} legend_item;

typedef struct {
    const cy_network *net;
    const cy_r_plan *plan;
    cy_r_highlight hl;
    cy_error *err;
    Agraph_t *g;
    Agnode_t **agnodes;
    int failed;                  /* out of memory somewhere */

    /* colours and sizes, per plan node */
    char (*fill)[8];
    double *color_value, color_max;
    double *size_value, size_max;
    legend_item *legend;
    size_t legend_count;
    int sequential;              /* colour is a measure */
    double edge_max;             /* heaviest drawn edge */

    Agraph_t **region_sub, **park_sub;
} builder;

static const char *group_name(const cy_network *net, cy_group_kind kind, long g)
{
    return net->groups[kind][g].name ? net->groups[kind][g].name
                                     : net->groups[kind][g].id;
}

static void set(builder *b, void *obj, const char *name, const char *value,
                const char *def)
{
    if (!b->failed && !cy_r_set(obj, name, value, def))
        b->failed = 1;
}

static void setf(builder *b, void *obj, const char *name, const char *def,
                 const char *fmt, double value)
{
    char text[64];
    snprintf(text, sizeof text, fmt, value);
    set(b, obj, name, text, def);
}

/* Set an attribute to a buffer's content (escaped already) and reset it. */
static void set_buf(builder *b, void *obj, const char *name, cy_r_buf *buf,
                    const char *def)
{
    const char *s = cy_r_buf_str(buf);
    if (!s)
        b->failed = 1;
    else
        set(b, obj, name, s, def);
    cy_r_buf_free(buf);
}

/* ---- measures --------------------------------------------------------- */

static cy_status igraph_fail(builder *b, igraph_error_t rc, const char *what)
{
    return cy_i_igraph_status(rc, b->err, what);
}

/*
 * One measure per firm of a firm view, from the centrality module on the
 * whole firm graph (so a firm's value does not depend on what else is
 * drawn, and equals what `chengyu centrality` prints; betweenness is sampled
 * automatically when the exact one would be too costly, with a warning).
 */
static cy_status firm_measure(builder *b, cy_size_by what, double *out)
{
    cy_centrality_options options;
    cy_centrality_result *result = NULL;
    cy_status status;

    cy_centrality_options_init(&options);
    options.measures[0] = what == CY_SIZE_BETWEENNESS ? CY_MEASURE_BETWEENNESS
                          : what == CY_SIZE_PAGERANK  ? CY_MEASURE_PAGERANK
                                                      : CY_MEASURE_DEGREE;
    options.measure_count = 1;
    status = cy_centrality_compute(b->net, &options, &result, b->err);
    if (status != CY_OK)
        return status;
    /* One row per enterprise, in index order. */
    for (size_t k = 0; k < b->plan->node_count; k++)
        out[k] = cy_centrality_value(result, (size_t)b->plan->nodes[k].index, 0);
    cy_centrality_free(result);
    return CY_OK;
}

/*
 * One measure per node of a group view, on the graph of the view's nodes
 * (the "outside" and "other" nodes included, which the centrality
 * module's group graphs do not have) with every aggregated flow: igraph
 * directly, weighted when all flows have a volume -- PageRank by volume,
 * betweenness with distance 1/volume (the centrality module's --weighted
 * convention).  Degree counts the nodes a node trades with, in plus out.
 */
static cy_status group_measure(builder *b, cy_size_by what, double *out)
{
    const cy_r_plan *plan = b->plan;
    igraph_t view;
    igraph_vector_t res, weights;
    igraph_vector_int_t edges, degree;
    igraph_error_t rc;
    int have_view = 0, have_weights = 0, have_degree = 0, positive = plan->edge_count > 0;

    if ((rc = igraph_vector_init(&res, 0)))
        return igraph_fail(b, rc, "measure");
    if ((rc = igraph_vector_int_init(&edges, 2 * (igraph_integer_t)plan->edge_count)))
        goto done;
    for (size_t e = 0; e < plan->edge_count; e++) {
        VECTOR(edges)[2 * e] = (igraph_integer_t)plan->edges[e].from;
        VECTOR(edges)[2 * e + 1] = (igraph_integer_t)plan->edges[e].to;
        positive &= plan->edges[e].volume > 0;
    }
    rc = igraph_create(&view, &edges, (igraph_integer_t)plan->node_count, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    if (rc)
        goto done;
    have_view = 1;
    if (positive && what != CY_SIZE_DEGREE) {
        if ((rc = igraph_vector_init(&weights, (igraph_integer_t)plan->edge_count)))
            goto done;
        have_weights = 1;
        for (size_t e = 0; e < plan->edge_count; e++)
            VECTOR(weights)[e] = what == CY_SIZE_BETWEENNESS ? 1.0 / plan->edges[e].volume
                                                             : plan->edges[e].volume;
    }
    if (what == CY_SIZE_BETWEENNESS) {
        rc = igraph_betweenness(&view, &res, igraph_vss_all(), IGRAPH_DIRECTED,
                                have_weights ? &weights : NULL);
    } else if (what == CY_SIZE_PAGERANK) {
        rc = igraph_pagerank(&view, IGRAPH_PAGERANK_ALGO_PRPACK, &res, NULL,
                             igraph_vss_all(), IGRAPH_DIRECTED, 0.85,
                             have_weights ? &weights : NULL, NULL);
    } else if (!(rc = igraph_vector_int_init(&degree, 0))) {
        have_degree = 1;
        rc = igraph_degree(&view, &degree, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS);
        for (igraph_integer_t v = 0; !rc && v < igraph_vector_int_size(&degree); v++)
            out[v] = (double)VECTOR(degree)[v];
    }
    if (!rc && what != CY_SIZE_DEGREE)
        for (size_t k = 0; k < plan->node_count; k++)
            out[k] = VECTOR(res)[k];
done:
    if (have_degree)
        igraph_vector_int_destroy(&degree);
    if (have_weights)
        igraph_vector_destroy(&weights);
    if (have_view)
        igraph_destroy(&view);
    igraph_vector_destroy(&res);
    if (rc)
        return igraph_fail(b, rc, what == CY_SIZE_BETWEENNESS ? "betweenness"
                                  : what == CY_SIZE_PAGERANK  ? "pagerank"
                                                              : "degree");
    return CY_OK;
}

/* The value of `what` for every plan node. */
static cy_status node_measure(builder *b, cy_size_by what, double *out)
{
    if (what == CY_SIZE_OUTPUT) {
        for (size_t k = 0; k < b->plan->node_count; k++)
            out[k] = b->plan->nodes[k].output;
        return CY_OK;
    }
    return b->plan->aggregated ? group_measure(b, what, out) : firm_measure(b, what, out);
}

static double max_of(const double *v, size_t n)
{
    double m = 0;
    for (size_t k = 0; k < n; k++)
        if (v[k] > m)
            m = v[k];
    return m;
}

/* ---- categories ------------------------------------------------------- */

/* A category per node: key 0 is "none"; legend order is by count. */
typedef struct {
    size_t key;
    size_t count;
    char *label;
} category;

static int category_cmp(const void *a, const void *b)
{
    const category *x = a, *y = b;
    if ((x->key == 0) != (y->key == 0))
        return x->key == 0 ? 1 : -1; /* "none" last */
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->key < y->key ? -1 : (x->key > y->key);
}

/* The sector of a firm: that of its first cluster that has one; as a key
 * into `sectors` + 1, 0 when none. */
static size_t firm_sector(const cy_network *net, size_t i, const cy_i_strtab *sectors)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    for (size_t k = 0; k < e->cluster_count; k++) {
        const char *s = net->groups[CY_GROUP_CLUSTER][e->clusters[k]].sector;
        if (s)
            return (size_t)cy_i_strtab_find(sectors, s, strlen(s)) + 1;
    }
    return 0;
}

/* For each node, the category key under plan->color_by. */
static cy_status node_categories(builder *b, size_t *key, size_t *key_count,
                                 cy_i_strtab *sectors)
{
    const cy_network *net = b->net;
    const cy_r_plan *plan = b->plan;
    size_t nodes = plan->node_count;

    switch (plan->color_by) {
    case CY_COLOR_KIND:
        *key_count = CY_KIND_COUNT + 1;
        for (size_t k = 0; k < nodes; k++) {
            size_t best = 0;
            for (size_t q = 1; q < CY_KIND_COUNT; q++)
                if (plan->nodes[k].kind_count[q] > plan->nodes[k].kind_count[best])
                    best = q;
            key[k] = plan->nodes[k].members ? best + 1 : 0;
        }
        return CY_OK;
    case CY_COLOR_TIER: {
        int max = -1;
        for (size_t i = 0; i < net->enterprise_count; i++)
            if (net->enterprises[i].tier > max)
                max = net->enterprises[i].tier;
        *key_count = (size_t)(max + 2);
        for (size_t k = 0; k < nodes; k++) {
            const cy_r_node *node = &plan->nodes[k];
            if (node->kind == CY_R_NODE_FIRM)
                key[k] = (size_t)(net->enterprises[node->index].tier + 1);
            else if (node->kind == CY_R_NODE_TIER)
                key[k] = (size_t)node->index + 1;
            else
                key[k] = 0;
        }
        return CY_OK;
    }
    case CY_COLOR_REGION:
        *key_count = net->group_count[CY_GROUP_REGION] + 1;
        for (size_t k = 0; k < nodes; k++) {
            const cy_r_node *node = &plan->nodes[k];
            long r = -1;
            if (node->kind == CY_R_NODE_FIRM)
                r = net->enterprises[node->index].region;
            else if (node->kind == CY_R_NODE_OUTSIDE && plan->grouping == CY_R_BY_PARK)
                r = node->index;
            else if (node->kind == CY_R_NODE_GROUP)
                r = plan->grouping == CY_R_BY_REGION
                        ? node->index
                        : net->groups[plan->grouping][node->index].region;
            key[k] = (size_t)(r + 1);
        }
        return CY_OK;
    default: /* sector */
        for (size_t g = 0; g < net->group_count[CY_GROUP_CLUSTER]; g++) {
            const char *s = net->groups[CY_GROUP_CLUSTER][g].sector;
            int inserted;
            if (s && cy_i_strtab_intern(sectors, s, strlen(s), &inserted) < 0)
                return CY_ENOMEM;
        }
        *key_count = sectors->count + 1;
        if (!plan->aggregated) {
            for (size_t k = 0; k < nodes; k++)
                key[k] = firm_sector(net, (size_t)plan->nodes[k].index, sectors);
            return CY_OK;
        }
        {
            /* Groups: the sector with the most member output (members when
             * no output is given); the clusters view: the cluster's own. */
            size_t width = *key_count, max_k = 1;
            double *score = cy_calloc(nodes * width, sizeof *score);
            size_t *count = cy_calloc(nodes * width, sizeof *count);
            long *at;
            for (size_t i = 0; i < net->enterprise_count; i++)
                if (net->enterprises[i].cluster_count > max_k)
                    max_k = net->enterprises[i].cluster_count;
            at = cy_malloc(max_k * sizeof *at);
            if (!score || !count || !at) {
                cy_free(score);
                cy_free(count);
                cy_free(at);
                return CY_ENOMEM;
            }
            for (size_t i = 0; i < net->enterprise_count; i++) {
                size_t s = firm_sector(net, i, sectors);
                size_t m = cy_r_plan_firm_nodes(plan, net, i, at, max_k);
                for (size_t q = 0; q < m; q++) {
                    score[(size_t)at[q] * width + s] += net->enterprises[i].output_value;
                    count[(size_t)at[q] * width + s]++;
                }
            }
            for (size_t k = 0; k < nodes; k++) {
                const cy_r_node *node = &plan->nodes[k];
                size_t best = 0;
                if (plan->grouping == CY_R_BY_CLUSTER && node->kind == CY_R_NODE_GROUP) {
                    const char *s = net->groups[CY_GROUP_CLUSTER][node->index].sector;
                    key[k] = s ? (size_t)cy_i_strtab_find(sectors, s, strlen(s)) + 1 : 0;
                    continue;
                }
                for (size_t s = 1; s < width; s++) {
                    const double *row = score + k * width;
                    const size_t *crow = count + k * width;
                    if (row[s] > row[best] ||
                        (row[s] == row[best] && crow[s] > crow[best]))
                        best = s;
                }
                key[k] = count[k * width + best] ? best : 0;
            }
            cy_free(score);
            cy_free(count);
            cy_free(at);
        }
        return CY_OK;
    }
}

static char *category_label(builder *b, size_t key, const cy_i_strtab *sectors)
{
    const cy_network *net = b->net;
    cy_r_buf buf;
    cy_r_buf_init(&buf);
    if (key == 0) {
        cy_r_buf_puts(&buf, b->plan->color_by == CY_COLOR_TIER ? "no tier"
                            : b->plan->color_by == CY_COLOR_REGION ? "no region"
                                                                   : "no sector");
        return cy_r_buf_take(&buf);
    }
    switch (b->plan->color_by) {
    case CY_COLOR_KIND:
        cy_r_buf_puts(&buf, cy_kind_name((cy_kind)(key - 1)));
        break;
    case CY_COLOR_TIER:
        if (key == 1)
            cy_r_buf_puts(&buf, "tier 0 (finished products)");
        else
            cy_r_buf_printf(&buf, "tier %zu", key - 1);
        break;
    case CY_COLOR_REGION:
        cy_r_buf_puts(&buf, group_name(net, CY_GROUP_REGION, (long)key - 1));
        break;
    default:
        cy_r_buf_puts(&buf, sectors->strings[key - 1]);
        break;
    }
    return cy_r_buf_take(&buf);
}

static cy_status add_legend(builder *b, const char *color, char *label, size_t count)
{
    legend_item *grown;
    if (!label)
        return CY_ENOMEM;
    grown = cy_realloc(b->legend, (b->legend_count + 1) * sizeof *grown);
    if (!grown) {
        cy_free(label);
        return CY_ENOMEM;
    }
    b->legend = grown;
    memcpy(b->legend[b->legend_count].color, color, 8);
    b->legend[b->legend_count].label = label;
    b->legend[b->legend_count].count = count;
    b->legend_count++;
    return CY_OK;
}

/* Fill colours from categories: kinds have fixed colours, tiers a
 * sequential scale (tier 0 darkest), regions and sectors the categorical
 * palette in order of frequency, the rest grey ("other"), none white. */
static cy_status colors_from_categories(builder *b)
{
    const cy_r_plan *plan = b->plan;
    size_t nodes = plan->node_count, key_count = 0, used = 0;
    size_t *key = cy_calloc(nodes ? nodes : 1, sizeof *key);
    category *cats = NULL;
    char (*key_color)[8] = NULL;
    cy_i_strtab sectors;
    cy_status status = CY_ENOMEM;
    size_t other_count = 0, other_cats = 0;

    cy_i_strtab_init(&sectors);
    if (!key || (status = node_categories(b, key, &key_count, &sectors)) != CY_OK)
        goto cleanup;
    status = CY_ENOMEM;
    cats = cy_calloc(key_count, sizeof *cats);
    key_color = cy_calloc(key_count, sizeof *key_color);
    if (!cats || !key_color)
        goto cleanup;
    for (size_t k = 0; k < key_count; k++)
        cats[k].key = k;
    for (size_t k = 0; k < nodes; k++)
        if (plan->nodes[k].kind != CY_R_NODE_OTHER)
            cats[key[k]].count++;
    qsort(cats, key_count, sizeof *cats, category_cmp);
    for (size_t c = 0; c < key_count; c++) {
        size_t k = cats[c].key;
        cy_r_rgb rgb;
        if (cats[c].count == 0)
            continue;
        if (k == 0) {
            memcpy(key_color[k], NONE_FILL, 8);
        } else if (plan->color_by == CY_COLOR_KIND) {
            cy_r_rgb_hex(cy_r_kind_color((cy_kind)(k - 1)), key_color[k]);
        } else if (plan->color_by == CY_COLOR_TIER) {
            double t = key_count > 2 ? (double)(k - 1) / (double)(key_count - 2) : 0;
            rgb = cy_r_sequential(0.85 - 0.7 * t);
            cy_r_rgb_hex(rgb, key_color[k]);
        } else if (used < LEGEND_CATEGORIES) {
            cy_r_rgb_hex(cy_r_categorical(used++), key_color[k]);
        } else {
            cy_r_rgb_hex(cy_r_categorical(CY_R_CATEGORICAL_COUNT), key_color[k]);
            other_count += cats[c].count;
            other_cats++;
            continue;
        }
        if (plan->color_by == CY_COLOR_TIER) /* tiers in tier order below */
            continue;
        if ((status = add_legend(b, key_color[k], category_label(b, k, &sectors),
                                 cats[c].count)) != CY_OK)
            goto cleanup;
    }
    if (plan->color_by == CY_COLOR_TIER) {
        for (size_t k = 1; k <= key_count; k++) {
            size_t kk = k % key_count; /* tiers ascending, "none" last */
            size_t count = 0;
            for (size_t c = 0; c < key_count; c++)
                if (cats[c].key == kk)
                    count = cats[c].count;
            if (count && (status = add_legend(b, key_color[kk],
                                              category_label(b, kk, &sectors),
                                              count)) != CY_OK)
                goto cleanup;
        }
    }
    if (other_cats) {
        cy_r_buf buf;
        char grey[8];
        cy_r_buf_init(&buf);
        cy_r_buf_printf(&buf, "%zu more", other_cats);
        cy_r_rgb_hex(cy_r_categorical(CY_R_CATEGORICAL_COUNT), grey);
        if ((status = add_legend(b, grey, cy_r_buf_take(&buf), other_count)) != CY_OK)
            goto cleanup;
    }
    for (size_t k = 0; k < nodes; k++) {
        if (plan->nodes[k].kind == CY_R_NODE_OTHER)
            cy_r_rgb_hex(cy_r_categorical(CY_R_CATEGORICAL_COUNT), b->fill[k]);
        else
            memcpy(b->fill[k], key_color[key[k]], 8);
    }
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM)
        cy_error_add(b->err, CY_SEV_ERROR, NULL, "out of memory");
    for (size_t c = 0; cats && c < key_count; c++)
        cy_free(cats[c].label);
    cy_free(cats);
    cy_free(key_color);
    cy_free(key);
    cy_i_strtab_destroy(&sectors);
    return status;
}

/* t in [0, 1] for a measure value: square root of the share of the
 * maximum, so that heavy-tailed measures still spread over the scale. */
static double scale(double value, double max)
{
    if (!(max > 0) || !(value > 0))
        return 0;
    return value >= max ? 1 : sqrt(value / max);
}

static cy_status prepare_style(builder *b)
{
    const cy_r_plan *plan = b->plan;
    size_t nodes = plan->node_count;
    cy_status status;

    b->fill = cy_calloc(nodes ? nodes : 1, sizeof *b->fill);
    b->size_value = cy_calloc(nodes ? nodes : 1, sizeof *b->size_value);
    b->color_value = cy_calloc(nodes ? nodes : 1, sizeof *b->color_value);
    if (!b->fill || !b->size_value || !b->color_value) {
        cy_error_add(b->err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if (plan->size_by != CY_SIZE_NONE) {
        if ((status = node_measure(b, plan->size_by, b->size_value)) != CY_OK)
            return status;
        b->size_max = max_of(b->size_value, nodes);
    }
    if (plan->color_by == CY_COLOR_BETWEENNESS || plan->color_by == CY_COLOR_PAGERANK) {
        cy_size_by m = plan->color_by == CY_COLOR_BETWEENNESS ? CY_SIZE_BETWEENNESS
                                                              : CY_SIZE_PAGERANK;
        b->sequential = 1;
        if ((status = node_measure(b, m, b->color_value)) != CY_OK)
            return status;
        b->color_max = max_of(b->color_value, nodes);
        for (size_t k = 0; k < nodes; k++)
            cy_r_rgb_hex(cy_r_sequential(scale(b->color_value[k], b->color_max)),
                         b->fill[k]);
        return CY_OK;
    }
    return colors_from_categories(b);
}

/* ---- nodes ------------------------------------------------------------ */

/* "Chang'an Automobile\n长安汽车" as an escaped plain label. */
static void firm_label(builder *b, size_t i, cy_r_buf *buf)
{
    const cy_i_enterprise *e = &b->net->enterprises[i];
    cy_r_buf_escaped(buf, e->name ? e->name : e->id, CY_R_ESC_LABEL);
    if (e->name_zh && (!e->name || strcmp(e->name_zh, e->name) != 0)) {
        cy_r_buf_puts(buf, "\\n");
        cy_r_buf_escaped(buf, e->name_zh, CY_R_ESC_LABEL);
    }
}

static void firm_tooltip(builder *b, size_t i, cy_r_buf *buf)
{
    const cy_network *net = b->net;
    const cy_i_enterprise *e = &net->enterprises[i];
    char amount[48];
    cy_r_buf_escaped(buf, e->name ? e->name : e->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_puts(buf, "&#10;id: ");
    cy_r_buf_escaped(buf, e->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_printf(buf, "&#10;%s", cy_kind_name(e->kind));
    if (e->tier >= 0)
        cy_r_buf_printf(buf, ", tier %d", e->tier);
    if (e->park >= 0) {
        cy_r_buf_puts(buf, "&#10;park: ");
        cy_r_buf_escaped(buf, group_name(net, CY_GROUP_PARK, e->park), CY_R_ESC_TOOLTIP);
    }
    if (e->region >= 0) {
        cy_r_buf_puts(buf, "&#10;region: ");
        cy_r_buf_escaped(buf, group_name(net, CY_GROUP_REGION, e->region), CY_R_ESC_TOOLTIP);
    }
    cy_r_format_amount(e->output_value, amount, sizeof amount);
    cy_r_buf_printf(buf, "&#10;output: %s/yr", amount);
}

static void group_title(builder *b, const cy_r_node *node, cy_r_buf *buf,
                        cy_r_escape_mode mode)
{
    const cy_network *net = b->net;
    const cy_r_plan *plan = b->plan;
    switch (node->kind) {
    case CY_R_NODE_GROUP:
        cy_r_buf_escaped(buf, group_name(net, (cy_group_kind)plan->grouping, node->index), mode);
        if (plan->grouping == CY_R_BY_PARK &&
            net->groups[CY_GROUP_PARK][node->index].demonstration)
            cy_r_buf_puts(buf, " \xE2\x98\x85"); /* U+2605 black star */
        break;
    case CY_R_NODE_TIER:
        if (node->index == 0)
            cy_r_buf_puts(buf, "Tier 0 (finished products)");
        else
            cy_r_buf_printf(buf, "Tier %ld", node->index);
        break;
    case CY_R_NODE_OUTSIDE:
        if (plan->grouping == CY_R_BY_PARK && node->index >= 0) {
            cy_r_buf_escaped(buf, group_name(net, CY_GROUP_REGION, node->index), mode);
            cy_r_buf_puts(buf, ", outside parks");
        } else {
            cy_r_buf_puts(buf, plan->grouping == CY_R_BY_PARK ? "outside any park and region"
                               : plan->grouping == CY_R_BY_REGION ? "no region"
                               : plan->grouping == CY_R_BY_CLUSTER ? "in no cluster"
                                                                 : "no tier");
        }
        break;
    default:
        cy_r_buf_printf(buf, "other %s", plan->grouping == CY_R_BY_PARK ? "parks"
                                         : plan->grouping == CY_R_BY_REGION ? "regions"
                                         : plan->grouping == CY_R_BY_CLUSTER ? "clusters"
                                                                           : "tiers");
        break;
    }
}

/* Aggregated node label: name, then members and output, then flows. */
static void group_label(builder *b, size_t k, cy_r_buf *buf)
{
    const cy_r_node *node = &b->plan->nodes[k];
    char out[48], in[48], flow[48], internal[48];
    group_title(b, node, buf, CY_R_ESC_LABEL);
    cy_r_format_amount(node->output, out, sizeof out);
    cy_r_buf_printf(buf, "\\n%zu firm%s, output %s", node->members,
                    node->members == 1 ? "" : "s", out);
    if (b->plan->grouping == CY_R_BY_TIER) {
        int first = 1;
        cy_r_buf_puts(buf, "\\n");
        for (int q = 0; q < CY_KIND_COUNT; q++) {
            if (!node->kind_count[q])
                continue;
            cy_r_buf_printf(buf, "%s%zu %s", first ? "" : ", ", node->kind_count[q],
                            cy_kind_name((cy_kind)q));
            first = 0;
        }
    }
    cy_r_format_amount(node->inflow, in, sizeof in);
    cy_r_format_amount(node->outflow, flow, sizeof flow);
    cy_r_buf_printf(buf, "\\nin %s, out %s", in, flow);
    if (node->internal > 0) {
        cy_r_format_amount(node->internal, internal, sizeof internal);
        cy_r_buf_printf(buf, ", within %s", internal);
    }
    if (b->hl.node_chokepoint && (b->hl.node_chokepoint[k] || b->hl.node_articulation[k]))
        cy_r_buf_printf(buf, "\\n%zu chokepoint%s, %zu articulation point%s",
                        b->hl.node_chokepoint[k], b->hl.node_chokepoint[k] == 1 ? "" : "s",
                        b->hl.node_articulation[k], b->hl.node_articulation[k] == 1 ? "" : "s");
    if (b->hl.node_failed && b->hl.node_failed[k])
        cy_r_buf_printf(buf, "\\n%zu of %zu firm%s fail", b->hl.node_failed[k],
                        node->members, node->members == 1 ? "" : "s");
}

/* Node size from the size measure: font 10-18 pt, box at least
 * 0.5-2.0 x 0.3-0.8 in (boxes still grow to fit their labels). */
static void size_node(builder *b, Agnode_t *n, size_t k, double base_font)
{
    double s = b->plan->size_by == CY_SIZE_NONE
                   ? 0 : scale(b->size_value[k], b->size_max);
    setf(b, n, "fontsize", "10", "%.1f", base_font + 8 * s);
    setf(b, n, "width", "0.5", "%.2f", 0.5 + 1.5 * s);
    setf(b, n, "height", "0.3", "%.2f", 0.3 + 0.5 * s);
}

static void fill_node(builder *b, Agnode_t *n, size_t k)
{
    cy_r_rgb rgb;
    unsigned r, g, bl;
    set(b, n, "fillcolor", b->fill[k], NONE_FILL);
    if (sscanf(b->fill[k], "#%2x%2x%2x", &r, &g, &bl) == 3) {
        rgb.r = (unsigned char)r;
        rgb.g = (unsigned char)g;
        rgb.b = (unsigned char)bl;
        if (cy_r_is_dark(rgb))
            set(b, n, "fontcolor", "#ffffff", "#000000");
    }
}

/* Weak-link and cascade marks on node k. */
static void highlight_node(builder *b, Agnode_t *n, size_t k)
{
    const cy_r_highlight *hl = &b->hl;
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        int choke = hl->node_chokepoint && hl->node_chokepoint[k];
        int art = hl->node_articulation && hl->node_articulation[k];
        if (choke || art) {
            set(b, n, "color", RED, "#4d4d4d");
            set(b, n, "penwidth", "3", "1");
        }
        if (choke)
            set(b, n, "peripheries", "2", "1");
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE && hl->node_failed &&
               hl->node_failed[k]) {
        int initial = (long)k == hl->initial_node && !b->plan->aggregated;
        double share = (double)hl->node_failed[k] /
                       (double)(b->plan->nodes[k].members ? b->plan->nodes[k].members : 1);
        set(b, n, "fillcolor", initial ? DARK_RED : LIGHT_RED, NONE_FILL);
        set(b, n, "fontcolor", initial ? "#ffffff" : "#000000", "#000000");
        set(b, n, "color", DARK_RED, "#4d4d4d");
        set(b, n, "penwidth", initial ? "3" : "2", "1");
        if (b->plan->aggregated && share < 1) /* partly failed groups */
            set(b, n, "style", "rounded,filled,dashed", "rounded,filled");
    }
}

static Agraph_t *region_cluster(builder *b, long r)
{
    char name[48];
    cy_r_buf label;
    Agraph_t *sub;
    if (b->region_sub[r])
        return b->region_sub[r];
    snprintf(name, sizeof name, "cluster_r%ld", r);
    sub = agsubg(b->g, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    cy_r_buf_init(&label);
    cy_r_buf_escaped(&label, group_name(b->net, CY_GROUP_REGION, r), CY_R_ESC_LABEL);
    set_buf(b, sub, "label", &label, "");
    set(b, sub, "style", "rounded,dashed", "");
    set(b, sub, "color", "#7a7a7a", "");
    set(b, sub, "fontsize", "18", "");
    set(b, sub, "labeljust", "l", "");
    b->region_sub[r] = sub;
    return sub;
}

static Agraph_t *park_cluster(builder *b, long p)
{
    const cy_i_group *park = &b->net->groups[CY_GROUP_PARK][p];
    char name[48];
    cy_r_buf label;
    Agraph_t *parent, *sub;
    if (b->park_sub[p])
        return b->park_sub[p];
    parent = park->region >= 0 ? region_cluster(b, park->region) : b->g;
    snprintf(name, sizeof name, "cluster_p%ld", p);
    sub = agsubg(parent, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    cy_r_buf_init(&label);
    cy_r_buf_escaped(&label, group_name(b->net, CY_GROUP_PARK, p), CY_R_ESC_LABEL);
    if (park->demonstration)
        cy_r_buf_puts(&label, " \xE2\x98\x85"); /* U+2605 black star */
    set_buf(b, sub, "label", &label, "");
    set(b, sub, "style", "rounded,filled", "");
    set(b, sub, "fillcolor", "#f4f4f4", "");
    set(b, sub, "color", park->demonstration ? "#b8860b" : "#9a9a9a", "");
    set(b, sub, "penwidth", park->demonstration ? "2.5" : "1", "");
    set(b, sub, "fontsize", "13", "");
    set(b, sub, "labeljust", "l", "");
    b->park_sub[p] = sub;
    return sub;
}

/* Where a node goes: the full view nests firms in park clusters inside
 * region clusters.  Aggregated views use no clusters: regions are told by
 * colour, and Graphviz 2.42's dot crashes freeing layouts that have edge
 * labels across clusters. */
static Agraph_t *node_parent(builder *b, size_t k)
{
    const cy_r_node *node = &b->plan->nodes[k];
    if (b->plan->view == CY_VIEW_FULL && node->kind == CY_R_NODE_FIRM) {
        const cy_i_enterprise *e = &b->net->enterprises[node->index];
        if (e->park >= 0)
            return park_cluster(b, e->park);
        if (e->region >= 0)
            return region_cluster(b, e->region);
    }
    return b->g;
}

/* The order nodes are created in.  dot's crossing minimisation starts from
 * it, and with clusters it must already list each cluster's firms together
 * (as a DOT file read back does), or dot spends several times longer and
 * fails to route edges.  So: full view by (region, park, firm), tiers view
 * by (tier, firm), others as planned. */
typedef struct {
    long k1, k2;
    size_t node;
} node_key;

static int node_key_cmp(const void *a, const void *b)
{
    const node_key *x = a, *y = b;
    if (x->k1 != y->k1)
        return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return x->node < y->node ? -1 : (x->node > y->node);
}

static size_t *creation_order(builder *b)
{
    const cy_r_plan *plan = b->plan;
    node_key *keys = cy_calloc(plan->node_count + 1, sizeof *keys);
    size_t *order = cy_calloc(plan->node_count + 1, sizeof *order);
    if (!keys || !order) {
        cy_free(keys);
        cy_free(order);
        return NULL;
    }
    for (size_t k = 0; k < plan->node_count; k++) {
        const cy_r_node *node = &plan->nodes[k];
        keys[k].node = k;
        if (node->kind != CY_R_NODE_FIRM)
            continue;
        const cy_i_enterprise *e = &b->net->enterprises[node->index];
        if (plan->view == CY_VIEW_FULL) {
            keys[k].k1 = (e->park >= 0 ? b->net->groups[CY_GROUP_PARK][e->park].region
                                       : e->region) + 1;
            keys[k].k2 = e->park + 1;
        } else if (plan->view == CY_VIEW_TIERS) {
            keys[k].k1 = e->tier;
        }
    }
    qsort(keys, plan->node_count, sizeof *keys, node_key_cmp);
    for (size_t k = 0; k < plan->node_count; k++)
        order[k] = keys[k].node;
    cy_free(keys);
    return order;
}

/* The tiers view: one rank per tier with a heading node, the headings
 * chained by invisible edges so columns run from the highest tier (left)
 * to the OEMs at tier 0 (right), firms without a tier leftmost. */
static Agraph_t *tier_rank(builder *b, int tier, Agraph_t **ranks, Agnode_t **heads,
                           int max_tier)
{
    size_t slot = tier >= 0 ? (size_t)tier : (size_t)max_tier + 1;
    char name[48];
    Agraph_t *sub;
    Agnode_t *head;
    if (ranks[slot])
        return ranks[slot];
    if (tier >= 0)
        snprintf(name, sizeof name, "tier_%d", tier);
    else
        snprintf(name, sizeof name, "tier_none");
    sub = agsubg(b->g, name, 1);
    if (!sub) {
        b->failed = 1;
        return b->g;
    }
    set(b, sub, "rank", "same", "");
    snprintf(name, sizeof name, tier >= 0 ? "tierhead_%d" : "tierhead_none", tier);
    head = agnode(sub, name, 1);
    if (!head) {
        b->failed = 1;
        return sub;
    }
    if (tier == 0)
        snprintf(name, sizeof name, "Tier 0\\nfinished products");
    else if (tier > 0)
        snprintf(name, sizeof name, "Tier %d", tier);
    else
        snprintf(name, sizeof name, "no tier");
    set(b, head, "label", name, "\\N");
    set(b, head, "shape", "plaintext", "box");
    set(b, head, "style", "", "rounded,filled");
    set(b, head, "fontsize", "16", "10");
    ranks[slot] = sub;
    heads[slot] = head;
    return sub;
}

static void chain_tier_heads(builder *b, Agnode_t **heads, int max_tier)
{
    Agnode_t *prev = heads[max_tier + 1];
    for (int t = max_tier; t >= 0; t--) {
        Agedge_t *e;
        if (!heads[t])
            continue;
        if (prev) {
            e = agedge(b->g, prev, heads[t], NULL, 1);
            if (!e) {
                b->failed = 1;
                return;
            }
            set(b, e, "style", "invis", "");
            set(b, e, "weight", "100", "1");
        }
        prev = heads[t];
    }
}

static cy_status add_nodes(builder *b)
{
    const cy_r_plan *plan = b->plan;
    int tiers = plan->view == CY_VIEW_TIERS && !plan->aggregated;
    int max_tier = -1;
    Agraph_t **ranks = NULL;
    Agnode_t **heads = NULL;
    size_t *order = creation_order(b);

    if (!order)
        return CY_ENOMEM;
    if (tiers) {
        for (size_t i = 0; i < b->net->enterprise_count; i++)
            if (b->net->enterprises[i].tier > max_tier)
                max_tier = b->net->enterprises[i].tier;
        ranks = cy_calloc((size_t)max_tier + 2, sizeof *ranks);
        heads = cy_calloc((size_t)max_tier + 2, sizeof *heads);
        if (!ranks || !heads) {
            cy_free(ranks);
            cy_free(heads);
            cy_free(order);
            return CY_ENOMEM;
        }
    }
    for (size_t q = 0; q < plan->node_count && !b->failed; q++) {
        size_t k = order[q];
        const cy_r_node *node = &plan->nodes[k];
        char name[48];
        cy_r_buf label, tooltip;
        Agraph_t *parent;
        Agnode_t *n;

        if (node->kind == CY_R_NODE_FIRM) {
            snprintf(name, sizeof name, "f%ld", node->index);
            parent = tiers ? tier_rank(b, b->net->enterprises[node->index].tier,
                                       ranks, heads, max_tier)
                           : node_parent(b, k);
        } else {
            snprintf(name, sizeof name, "n%zu", k);
            parent = node_parent(b, k);
        }
        if (b->failed || !(n = agnode(parent, name, 1))) {
            b->failed = 1;
            break;
        }
        b->agnodes[k] = n;
        cy_r_buf_init(&label);
        cy_r_buf_init(&tooltip);
        if (node->kind == CY_R_NODE_FIRM) {
            firm_label(b, (size_t)node->index, &label);
            firm_tooltip(b, (size_t)node->index, &tooltip);
        } else {
            group_label(b, k, &label);
            group_title(b, node, &tooltip, CY_R_ESC_TOOLTIP);
        }
        set_buf(b, n, "label", &label, "\\N");
        set_buf(b, n, "tooltip", &tooltip, "");
        fill_node(b, n, k);
        size_node(b, n, k, node->kind == CY_R_NODE_FIRM ? 10 : 12);
        if (node->kind == CY_R_NODE_OUTSIDE || node->kind == CY_R_NODE_OTHER)
            set(b, n, "style", "rounded,filled,dashed", "rounded,filled");
        if (node->kind == CY_R_NODE_GROUP && plan->grouping == CY_R_BY_PARK &&
            b->net->groups[CY_GROUP_PARK][node->index].demonstration) {
            set(b, n, "color", "#b8860b", "#4d4d4d");
            set(b, n, "penwidth", "2.5", "1");
        }
        if (plan->view == CY_VIEW_EGO && node->kind == CY_R_NODE_FIRM &&
            (size_t)node->index == plan->focus) {
            set(b, n, "peripheries", "2", "1");
            set(b, n, "penwidth", "2", "1");
        }
        highlight_node(b, n, k);
    }
    if (tiers && !b->failed)
        chain_tier_heads(b, heads, max_tier);
    cy_free(ranks);
    cy_free(heads);
    cy_free(order);
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- edges ------------------------------------------------------------ */

static void firm_edge_tooltip(builder *b, const cy_r_edge *edge, cy_r_buf *buf)
{
    const cy_network *net = b->net;
    size_t supplier = (size_t)b->plan->nodes[edge->from].index;
    size_t customer = (size_t)b->plan->nodes[edge->to].index;
    const cy_i_enterprise *s = &net->enterprises[supplier];
    const cy_i_enterprise *c = &net->enterprises[customer];
    char amount[48];
    cy_r_buf_escaped(buf, s->name ? s->name : s->id, CY_R_ESC_TOOLTIP);
    cy_r_buf_puts(buf, " \xE2\x86\x92 "); /* U+2192 rightwards arrow */
    cy_r_buf_escaped(buf, c->name ? c->name : c->id, CY_R_ESC_TOOLTIP);
    for (size_t q = 0; q < edge->links && q < TOOLTIP_PARTS; q++) {
        const cy_i_link *l = &net->links[net->out_links[edge->first_link + q]];
        cy_r_buf_puts(buf, q ? ", " : "&#10;");
        cy_r_buf_escaped(buf, net->parts.strings[l->part], CY_R_ESC_TOOLTIP);
    }
    if (edge->links > TOOLTIP_PARTS)
        cy_r_buf_printf(buf, " and %zu more", edge->links - TOOLTIP_PARTS);
    cy_r_format_amount(edge->volume, amount, sizeof amount);
    cy_r_buf_printf(buf, "&#10;%s/yr", amount);
}

static int heavy_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = *(const cy_r_edge *const *)a;
    const cy_r_edge *y = *(const cy_r_edge *const *)b;
    if (x->volume != y->volume)
        return x->volume > y->volume ? -1 : 1;
    return x < y ? -1 : (x > y);
}

static cy_status add_edges(builder *b)
{
    const cy_r_plan *plan = b->plan;
    unsigned char *labelled = NULL;

    b->edge_max = 0;
    for (size_t e = 0; e < plan->edge_count; e++)
        if (plan->edges[e].drawn && plan->edges[e].volume > b->edge_max)
            b->edge_max = plan->edges[e].volume;
    if (plan->aggregated && plan->edge_count) {
        /* Label the heaviest EDGE_LABEL_LIMIT drawn edges with volumes. */
        const cy_r_edge **order = cy_malloc(plan->edge_count * sizeof *order);
        size_t drawn = 0;
        labelled = cy_calloc(plan->edge_count, 1);
        if (!order || !labelled) {
            cy_free(order);
            cy_free(labelled);
            return CY_ENOMEM;
        }
        for (size_t e = 0; e < plan->edge_count; e++)
            if (plan->edges[e].drawn)
                order[drawn++] = &plan->edges[e];
        qsort(order, drawn, sizeof *order, heavy_cmp);
        for (size_t q = 0; q < drawn && q < EDGE_LABEL_LIMIT; q++)
            if (order[q]->volume > 0)
                labelled[order[q] - plan->edges] = 1;
        cy_free(order);
    }
    for (size_t e = 0; e < plan->edge_count && !b->failed; e++) {
        const cy_r_edge *edge = &plan->edges[e];
        double s = scale(edge->volume, b->edge_max);
        size_t single = b->hl.edge_single ? b->hl.edge_single[e] : 0;
        cy_r_buf tooltip;
        char amount[48];
        Agedge_t *ge;
        if (!edge->drawn)
            continue;
        ge = agedge(b->g, b->agnodes[edge->from], b->agnodes[edge->to], NULL, 1);
        if (!ge) {
            b->failed = 1;
            break;
        }
        cy_r_buf_init(&tooltip);
        if (plan->aggregated) {
            setf(b, ge, "penwidth", "1", "%.2f", 0.8 + 8.2 * s);
            setf(b, ge, "arrowsize", "0.6", "%.2f", 0.6 + 0.5 * s);
            cy_r_format_amount(edge->volume, amount, sizeof amount);
            /* Only flows from higher to lower mean tier (downstream) rank
             * the groups, so upstream sits left and OEMs right.  The
             * others may join nodes of one rank; dot 2.42 corrupts memory
             * on such flat edges when they carry a label, so their volume
             * goes into an external label, which Graphviz drops rather
             * than overlap (forcelabels=false). */
            {
                const cy_r_node *from = &plan->nodes[edge->from];
                const cy_r_node *to = &plan->nodes[edge->to];
                int downstream = !from->tiered || !to->tiered ||
                                 from->tier_sum / (double)from->tiered >=
                                     to->tier_sum / (double)to->tiered;
                if (!downstream)
                    set(b, ge, "constraint", "false", "true");
                if (labelled[e]) {
                    set(b, ge, downstream ? "label" : "xlabel", amount, "");
                    set(b, ge, "fontsize", "12", "10");
                }
            }
            group_title(b, &plan->nodes[edge->from], &tooltip, CY_R_ESC_TOOLTIP);
            cy_r_buf_puts(&tooltip, " \xE2\x86\x92 ");
            group_title(b, &plan->nodes[edge->to], &tooltip, CY_R_ESC_TOOLTIP);
            cy_r_buf_printf(&tooltip, "&#10;%zu link%s, %s/yr", edge->links,
                            edge->links == 1 ? "" : "s", amount);
            if (single)
                cy_r_buf_printf(&tooltip, "&#10;%zu single-source", single);
        } else {
            setf(b, ge, "penwidth", "1", "%.2f", 0.6 + 4.4 * s);
            if (plan->view == CY_VIEW_TIERS) {
                /* Tier columns: only edges from a higher to a lower tier
                 * may rank firms; the others would fight the columns. */
                int from_tier = b->net->enterprises[plan->nodes[edge->from].index].tier;
                int to_tier = b->net->enterprises[plan->nodes[edge->to].index].tier;
                if (from_tier < 0 || to_tier < 0 || from_tier <= to_tier)
                    set(b, ge, "constraint", "false", "true");
            }
            firm_edge_tooltip(b, edge, &tooltip);
            if (single)
                cy_r_buf_printf(&tooltip, "&#10;single-source: %zu part%s",
                                single, single == 1 ? "" : "s");
        }
        set_buf(b, ge, "tooltip", &tooltip, "");
        if (single) {
            set(b, ge, "color", RED, EDGE_GREY);
            if (0.6 + 4.4 * s < 2 && !plan->aggregated)
                set(b, ge, "penwidth", "2", "1");
        }
    }
    cy_free(labelled);
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- legend ----------------------------------------------------------- */

/*
 * The legend is a list of left-aligned lines in one HTML-like table (nested
 * tables would be stretched to the title's width by Graphviz).  Colour
 * swatches are coloured glyphs: U+25A0 black square for fills, the line and
 * arrowhead U+2501 U+25B6 for edges, U+25A1 / U+25A3 for red outlines.
 */
#define GLYPH_SQUARE "\xE2\x96\xA0"
#define GLYPH_EMPTY_SQUARE "\xE2\x96\xA1"
#define GLYPH_DOUBLE_SQUARE "\xE2\x96\xA3"
#define GLYPH_ARROW "\xE2\x94\x81\xE2\x94\x81\xE2\x96\xB6"
#define GLYPH_STAR "\xE2\x98\x85"
#define GLYPH_RIGHT "\xE2\x86\x92"
#define LEGEND_PER_LINE 6

static const char *view_title(const cy_r_plan *plan)
{
    if (plan->aggregated && plan->grouping == CY_R_BY_TIER)
        return "tiers view (one node per tier)";
    switch (plan->view) {
    case CY_VIEW_FULL: return "full view";
    case CY_VIEW_TIERS: return "tiers view";
    case CY_VIEW_CLUSTERS: return "clusters view";
    case CY_VIEW_PARKS: return "parks view";
    case CY_VIEW_REGIONS: return "regions view";
    default: return "ego view";
    }
}

static const char *measure_text(cy_size_by by, int aggregated)
{
    switch (by) {
    case CY_SIZE_OUTPUT: return "output value";
    case CY_SIZE_BETWEENNESS: return aggregated ? "betweenness (group graph, distance 1/volume)"
                                                : "betweenness (firm graph)";
    case CY_SIZE_PAGERANK: return aggregated ? "PageRank (group graph, weighted by volume)"
                                             : "PageRank (firm graph, d = 0.85)";
    case CY_SIZE_DEGREE: return "degree (distinct partners)";
    default: return "";
    }
}

static void line_begin(cy_r_buf *h)
{
    cy_r_buf_puts(h, "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">");
}

static void line_end(cy_r_buf *h)
{
    cy_r_buf_puts(h, "</TD></TR>");
}

static void glyph(cy_r_buf *h, const char *color, const char *text)
{
    cy_r_buf_printf(h, "<FONT COLOR=\"%s\" POINT-SIZE=\"16\">%s</FONT> ", color, text);
}

/* A line of a swatch and escaped text. */
static void legend_line(cy_r_buf *h, const char *color, const char *symbol,
                        const char *text)
{
    line_begin(h);
    glyph(h, color, symbol);
    cy_r_buf_escaped(h, text, CY_R_ESC_HTML);
    line_end(h);
}

static void legend_categories(builder *b, cy_r_buf *h)
{
    for (size_t k = 0; k < b->legend_count; k++) {
        if (k % LEGEND_PER_LINE == 0) {
            if (k)
                line_end(h);
            line_begin(h);
            if (k == 0) { /* (an empty <B></B> is a syntax error) */
                cy_r_buf_puts(h, "<B>colour:</B> ");
                cy_r_buf_escaped(h, cy_color_by_name(b->plan->color_by), CY_R_ESC_HTML);
                cy_r_buf_puts(h, "   ");
            }
        }
        if (strcmp(b->legend[k].color, NONE_FILL) == 0)
            glyph(h, "#4d4d4d", GLYPH_EMPTY_SQUARE);
        else
            glyph(h, b->legend[k].color, GLYPH_SQUARE);
        cy_r_buf_escaped(h, b->legend[k].label, CY_R_ESC_HTML);
        cy_r_buf_printf(h, " (%zu)   ", b->legend[k].count);
    }
    if (b->legend_count)
        line_end(h);
}

static void legend_scale(builder *b, cy_r_buf *h)
{
    line_begin(h);
    cy_r_buf_puts(h, "<B>colour:</B> ");
    cy_r_buf_escaped(h, measure_text(b->plan->color_by == CY_COLOR_BETWEENNESS
                                         ? CY_SIZE_BETWEENNESS : CY_SIZE_PAGERANK,
                                     b->plan->aggregated), CY_R_ESC_HTML);
    cy_r_buf_puts(h, "   ");
    for (int q = 0; q <= 4; q++) {
        double t = q / 4.0;
        char hex[8];
        cy_r_rgb_hex(cy_r_sequential(t), hex);
        glyph(h, hex, GLYPH_SQUARE);
        cy_r_buf_printf(h, "%.3g   ", b->color_max * t * t);
    }
    line_end(h);
}

static void legend_highlight(builder *b, cy_r_buf *h)
{
    const cy_r_highlight *hl = &b->hl;
    char text[256];
    if (b->plan->highlight == CY_HIGHLIGHT_WEAK_LINKS) {
        snprintf(text, sizeof text,
                 "single-source link: the customer gets a part from this supplier "
                 "only (%zu drawn, %zu in the network)", hl->single_links,
                 hl->single_links_total);
        legend_line(h, RED, GLYPH_ARROW, text);
        if (hl->node_articulation) {
            snprintf(text, sizeof text, "articulation point: its removal disconnects "
                     "the network (%zu)", hl->articulation_total);
            legend_line(h, RED, GLYPH_EMPTY_SQUARE, text);
        }
        if (hl->node_chokepoint) {
            snprintf(text, sizeof text, "chokepoint (double red border): its failure "
                     "alone stops an OEM (%zu)", hl->chokepoint_total);
            legend_line(h, RED, GLYPH_DOUBLE_SQUARE, text);
        }
    } else if (b->plan->highlight == CY_HIGHLIGHT_CASCADE) {
        char lost[48], total[48];
        const cy_i_enterprise *e = &b->net->enterprises[b->plan->cascade_firm];
        line_begin(h);
        glyph(h, DARK_RED, GLYPH_SQUARE);
        cy_r_buf_puts(h, "fails first: ");
        cy_r_buf_escaped(h, e->name ? e->name : e->id, CY_R_ESC_HTML);
        line_end(h);
        cy_r_format_amount(hl->output_lost, lost, sizeof lost);
        cy_r_format_amount(hl->output_total, total, sizeof total);
        snprintf(text, sizeof text, "fails in the cascade: %zu firm%s in all, output "
                 "%s of %s lost%s", hl->failed_count, hl->failed_count == 1 ? "" : "s",
                 lost, total, b->plan->aggregated ? " (dashed: part of the group fails)" : "");
        legend_line(h, LIGHT_RED, GLYPH_SQUARE, text);
    }
}

/*
 * The root label: title, a line saying what is drawn, any note, colour key,
 * size and edge keys, highlight key.  Built last, after every other string,
 * and made distinct from every plain string in the graph (cgraph pools
 * strings by content, HTML or not), so it can never turn a plain string
 * into markup or be turned into one.
 */
static cy_status add_legend_label(builder *b)
{
    const cy_r_plan *plan = b->plan;
    cy_r_buf h;
    char text[512], amount[48];
    char *html;

    cy_r_buf_init(&h);
    cy_r_buf_puts(&h, "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                      "CELLPADDING=\"1\">");
    line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"24\"><B>");
    cy_r_buf_escaped(&h, plan->title, CY_R_ESC_HTML);
    cy_r_buf_puts(&h, "</B></FONT>");
    line_end(&h);
    line_begin(&h);
    cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"13\" COLOR=\"#444444\">");
    if (plan->aggregated)
        snprintf(text, sizeof text, "%s: %zu enterprises in %zu nodes, %zu of %zu flows drawn",
                 view_title(plan), plan->firm_count, plan->node_count,
                 plan->drawn_edge_count, plan->edge_count);
    else if (plan->view == CY_VIEW_EGO)
        snprintf(text, sizeof text, "ego view: %zu enterprises within %zu supply hop%s "
                 "up- and downstream of ", plan->node_count, plan->depth,
                 plan->depth == 1 ? "" : "s");
    else
        snprintf(text, sizeof text, "%s: %zu enterprises, %zu supplier-customer pairs",
                 view_title(plan), plan->node_count, plan->drawn_edge_count);
    cy_r_buf_escaped(&h, text, CY_R_ESC_HTML);
    if (plan->view == CY_VIEW_EGO) {
        const cy_i_enterprise *e = &b->net->enterprises[plan->focus];
        cy_r_buf_escaped(&h, e->name ? e->name : e->id, CY_R_ESC_HTML);
    }
    cy_r_buf_puts(&h, "</FONT>");
    line_end(&h);
    if (plan->note[0]) {
        line_begin(&h);
        cy_r_buf_puts(&h, "<FONT POINT-SIZE=\"12\" COLOR=\"#8a4b00\">");
        cy_r_buf_escaped(&h, plan->note, CY_R_ESC_HTML);
        cy_r_buf_puts(&h, "</FONT>");
        line_end(&h);
    }
    if (b->sequential)
        legend_scale(b, &h);
    else
        legend_categories(b, &h);
    /* (neato, sfdp and circo ignore clusters) */
    if (plan->view == CY_VIEW_FULL && !plan->aggregated &&
        (strcmp(plan->layout, "dot") == 0 || strcmp(plan->layout, "fdp") == 0))
        legend_line(&h, "#9a9a9a", GLYPH_EMPTY_SQUARE,
                    "grey boxes: parks (gold border and " GLYPH_STAR ": demonstration "
                    "zone or park), inside dashed regions");
    if (plan->aggregated && plan->grouping == CY_R_BY_PARK)
        legend_line(&h, "#b8860b", GLYPH_EMPTY_SQUARE,
                    "gold border and " GLYPH_STAR ": demonstration zone or park; dashed: "
                    "the firms in no park, by region");
    if (plan->size_by != CY_SIZE_NONE) {
        cy_r_format_amount(b->size_max, amount, sizeof amount);
        if (plan->size_by == CY_SIZE_OUTPUT)
            snprintf(text, sizeof text, "node size: output value (largest %s/yr)", amount);
        else
            snprintf(text, sizeof text, "node size: %s (largest %.3g)",
                     measure_text(plan->size_by, plan->aggregated), b->size_max);
        legend_line(&h, "#4d4d4d", GLYPH_EMPTY_SQUARE, text);
    }
    cy_r_format_amount(b->edge_max, amount, sizeof amount);
    snprintf(text, sizeof text, "supplier " GLYPH_RIGHT " customer, width by supply "
             "volume (largest %s/yr)%s", amount,
             plan->hidden_volume > 0 ? "; lighter flows not drawn" : "");
    legend_line(&h, EDGE_GREY, GLYPH_ARROW, text);
    legend_highlight(b, &h);
    cy_r_buf_puts(&h, "</TABLE>");
    if (h.oom) {
        cy_r_buf_free(&h);
        return CY_ENOMEM;
    }
    /* Trailing spaces after the table are ignored by the HTML parser. */
    while (agstrbind(b->g, h.data))
        cy_r_buf_puts(&h, " ");
    if (h.oom || !(html = agstrdup_html(b->g, h.data))) {
        cy_r_buf_free(&h);
        return CY_ENOMEM;
    }
    set(b, b->g, "label", html, "");
    agstrfree(b->g, html);
    cy_r_buf_free(&h);
    return b->failed ? CY_ENOMEM : CY_OK;
}

/* ---- graph attributes ------------------------------------------------- */

static void graph_attributes(builder *b)
{
    const cy_r_plan *plan = b->plan;
    Agraph_t *g = b->g;
    int dot = strcmp(plan->layout, "dot") == 0;
    size_t nodes = plan->node_count;

    set(b, g, "layout", plan->layout, "");
    set(b, g, "fontname", CY_R_FONT, "");
    set(b, g, "labelloc", "t", "");
    set(b, g, "labeljust", "l", "");
    set(b, g, "bgcolor", "white", "");
    set(b, g, "pad", "0.3", "");
    set(b, g, "outputorder", "edgesfirst", "");
    if (dot) {
        set(b, g, "rankdir", "LR", "");
        set(b, g, "nodesep", plan->aggregated ? "0.4" : "0.12", "");
        set(b, g, "ranksep", plan->aggregated ? "0.9" : "0.9", "");
        /* Effort limits: network simplex at most 200 x nodes iterations per
         * phase, crossing minimisation shortened on big graphs. */
        set(b, g, "nslimit", "200", "");
        set(b, g, "nslimit1", "200", "");
        set(b, g, "mclimit", nodes > 300 ? "0.3" : "1", "");
        set(b, g, "searchsize", "30", "");
        /* Rank globally, not cluster by cluster: with clusters, dot 2.42's
         * old ranking takes 10x longer on a 1,600-firm network, fails to
         * route edges and drops some ("lost edge"). */
        set(b, g, "newrank", "true", "");
        set(b, g, "forcelabels", "false", "");
    } else {
        set(b, g, "start", "random1", "");
        set(b, g, "overlap", "prism", "");
        set(b, g, "sep", "+6", "");
        set(b, g, "maxiter", strcmp(plan->layout, "neato") == 0 ? "1000" : "500", "");
        set(b, g, "splines", nodes > 300 ? "false" : "true", "");
    }
}

/* ---- entry ------------------------------------------------------------ */

cy_status cy_r_build(const cy_network *net, const cy_r_plan *plan,
                     Agraph_t **out, cy_error *err)
{
    builder b;
    cy_status status;

    *out = NULL;
    memset(&b, 0, sizeof b);
    b.net = net;
    b.plan = plan;
    b.err = err;
    b.hl.initial_node = -1;
    if ((status = cy_r_highlight_compute(net, plan, &b.hl, err)) != CY_OK)
        goto cleanup;
    if ((status = prepare_style(&b)) != CY_OK)
        goto cleanup;
    status = CY_ENOMEM;
    b.agnodes = cy_calloc(plan->node_count ? plan->node_count : 1, sizeof *b.agnodes);
    b.region_sub = cy_calloc(net->group_count[CY_GROUP_REGION] + 1, sizeof *b.region_sub);
    b.park_sub = cy_calloc(net->group_count[CY_GROUP_PARK] + 1, sizeof *b.park_sub);
    if (!b.agnodes || !b.region_sub || !b.park_sub)
        goto cleanup;
    b.g = cy_r_graph_open("chengyu");
    if (!b.g)
        goto cleanup;
    /* Defaults first, so agwrite prints them once at the top. */
    agattr(b.g, AGNODE, "fontname", CY_R_FONT);
    agattr(b.g, AGNODE, "shape", "box");
    agattr(b.g, AGNODE, "style", "rounded,filled");
    agattr(b.g, AGNODE, "fillcolor", NONE_FILL);
    agattr(b.g, AGNODE, "color", "#4d4d4d");
    agattr(b.g, AGNODE, "margin", "0.08,0.03");
    agattr(b.g, AGEDGE, "fontname", CY_R_FONT);
    agattr(b.g, AGEDGE, "fontsize", "10");
    agattr(b.g, AGEDGE, "color", EDGE_GREY);
    agattr(b.g, AGEDGE, "arrowsize", "0.6");
    graph_attributes(&b);
    if (b.failed)
        goto cleanup;
    if ((status = add_nodes(&b)) != CY_OK || (status = add_edges(&b)) != CY_OK ||
        (status = add_legend_label(&b)) != CY_OK)
        goto cleanup;
    *out = b.g;
    b.g = NULL;
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM && err->error_count == 0)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while building the diagram");
    if (b.g)
        agclose(b.g);
    for (size_t k = 0; k < b.legend_count; k++)
        cy_free(b.legend[k].label);
    cy_free(b.legend);
    cy_free(b.fill);
    cy_free(b.size_value);
    cy_free(b.color_value);
    cy_free(b.agnodes);
    cy_free(b.region_sub);
    cy_free(b.park_sub);
    cy_r_highlight_destroy(&b.hl);
    return status;
}
