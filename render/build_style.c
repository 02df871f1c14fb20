/*
 * build_style.c - the style of every node of a diagram: the measures that
 * size or colour it (the centrality module for firms, igraph on the group
 * graph for groups), and fill colours from categories (kind, tier, region,
 * sector) with the legend entries they need.
 */
#include "build_internal.h"

#include <stdlib.h>
#include <string.h>

/* Categories listed in a legend before the rest become "other". */
#define LEGEND_CATEGORIES (CY_R_CATEGORICAL_COUNT)

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
        cy_r_buf_puts(&buf, b->plan->color_by == CY_COLOR_TIER ? _("no tier")
                            : b->plan->color_by == CY_COLOR_REGION ? _("no region")
                                                                   : _("no sector"));
        return cy_r_buf_take(&buf);
    }
    switch (b->plan->color_by) {
    case CY_COLOR_KIND:
        cy_r_buf_puts(&buf, _(cy_kind_name((cy_kind)(key - 1))));
        break;
    case CY_COLOR_TIER:
        if (key == 1)
            cy_r_buf_puts(&buf, _("tier 0 (finished products)"));
        else
            cy_r_buf_printf(&buf, _("tier %zu"), key - 1);
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

cy_status cy_r_build_style(builder *b)
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
