/*
 * plan_firms.c - the nodes and edges of a view of firms: which firms an ego
 * view draws, then one node per drawn firm and one edge per supplier-
 * customer pair among them.
 */
#include "plan_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- firm views ------------------------------------------------------- */

/* Firms within `depth` hops of the focus, up and down; fills `mark` (1 =
 * drawn) and returns their number, or (size_t)-1 after an igraph error. */
size_t cy_r_ego_select(const cy_network *net, size_t focus, size_t depth,
                       unsigned char *mark, cy_error *err)
{
    static const igraph_neimode_t modes[] = {IGRAPH_IN, IGRAPH_OUT};
    igraph_vector_int_list_t hoods;
    igraph_error_t rc;
    size_t count = 0;

    memset(mark, 0, net->enterprise_count);
    if ((rc = igraph_vector_int_list_init(&hoods, 0))) {
        cy_i_igraph_status(rc, err, "ego neighbourhood");
        return (size_t)-1;
    }
    for (size_t k = 0; k < 2; k++) {
        igraph_vector_int_t *hood;
        rc = igraph_neighborhood(&net->firm_graph, &hoods,
                                 igraph_vss_1((igraph_integer_t)focus),
                                 (igraph_integer_t)depth, modes[k], 0);
        if (rc) {
            cy_i_igraph_status(rc, err, "ego neighbourhood");
            igraph_vector_int_list_destroy(&hoods);
            return (size_t)-1;
        }
        hood = igraph_vector_int_list_get_ptr(&hoods, 0);
        for (igraph_integer_t v = 0; v < igraph_vector_int_size(hood); v++) {
            size_t i = (size_t)VECTOR(*hood)[v];
            if (!mark[i]) {
                mark[i] = 1;
                count++;
            }
        }
    }
    igraph_vector_int_list_destroy(&hoods);
    return count;
}

typedef struct {
    size_t firm;
    double volume;
} neighbour;

static int neighbour_cmp(const void *a, const void *b)
{
    const neighbour *x = a, *y = b;
    if (x->volume != y->volume)
        return x->volume > y->volume ? -1 : 1;
    return x->firm < y->firm ? -1 : (x->firm > y->firm);
}

/* Depth 1 is still too big: keep the focus and its `keep` direct partners
 * with the most volume (either direction, summed). */
cy_status cy_r_ego_trim(const cy_network *net, size_t focus, size_t keep,
                        unsigned char *mark, size_t *count, cy_error *err)
{
    size_t n = 0;
    neighbour *list = cy_calloc(*count ? *count : 1, sizeof *list);
    double *volume = cy_calloc(net->enterprise_count, sizeof *volume);
    if (!list || !volume) {
        cy_free(list);
        cy_free(volume);
        return cy_r_plan_oom(err);
    }
    for (size_t k = net->in_offset[focus]; k < net->in_offset[focus + 1]; k++) {
        const cy_i_link *l = &net->links[net->in_links[k]];
        volume[l->from] += l->volume;
    }
    for (size_t k = net->out_offset[focus]; k < net->out_offset[focus + 1]; k++) {
        const cy_i_link *l = &net->links[net->out_links[k]];
        volume[l->to] += l->volume;
    }
    for (size_t i = 0; i < net->enterprise_count; i++) {
        if (mark[i] && i != focus) {
            list[n].firm = i;
            list[n].volume = volume[i];
            n++;
        }
    }
    qsort(list, n, sizeof *list, neighbour_cmp);
    for (size_t k = keep; k < n; k++)
        mark[list[k].firm] = 0;
    *count = 1 + (keep < n ? keep : n);
    cy_free(list);
    cy_free(volume);
    return CY_OK;
}

cy_status cy_r_firm_nodes_make(const cy_network *net, cy_r_plan *plan,
                               const unsigned char *mark)
{
    size_t n = net->enterprise_count;
    plan->firm_node = cy_malloc((n ? n : 1) * sizeof *plan->firm_node);
    plan->nodes = cy_calloc(n ? n : 1, sizeof *plan->nodes);
    if (!plan->firm_node || !plan->nodes)
        return CY_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        cy_r_node *node;
        if (mark && !mark[i]) {
            plan->firm_node[i] = -1;
            continue;
        }
        plan->firm_node[i] = (long)plan->node_count;
        node = &plan->nodes[plan->node_count++];
        node->kind = CY_R_NODE_FIRM;
        node->index = (long)i;
        node->members = 1;
        node->output = e->output_value;
        node->kind_count[e->kind] = 1;
    }
    plan->firm_count = plan->node_count;
    return CY_OK;
}

/* One edge per firm edge between drawn firms, in (supplier, customer) order:
 * the out-links of each supplier are sorted by customer, so a run of links
 * to one customer is one firm edge. */
cy_status cy_r_firm_edges_make(const cy_network *net, cy_r_plan *plan)
{
    size_t cap = 0;
    for (size_t s = 0; s < net->enterprise_count; s++) {
        if (plan->firm_node[s] < 0)
            continue;
        for (size_t k = net->out_offset[s]; k < net->out_offset[s + 1]; k++) {
            const cy_i_link *l = &net->links[net->out_links[k]];
            size_t fe = net->link_firm_edge[net->out_links[k]];
            cy_r_edge *edge;
            if (plan->firm_node[l->to] < 0)
                continue;
            if (plan->edge_count &&
                plan->edges[plan->edge_count - 1].firm_edge == (long)fe) {
                plan->edges[plan->edge_count - 1].links++;
                continue;
            }
            if (!cy_i_grow((void **)&plan->edges, &cap, plan->edge_count + 1,
                           sizeof *plan->edges))
                return CY_ENOMEM;
            edge = &plan->edges[plan->edge_count++];
            edge->from = (size_t)plan->firm_node[s];
            edge->to = (size_t)plan->firm_node[l->to];
            edge->volume = VECTOR(net->firm_volume)[fe];
            edge->links = 1;
            edge->firm_edge = (long)fe;
            edge->first_link = k;
            edge->drawn = 1;
        }
    }
    plan->firm_edges_total = plan->edge_count;
    return CY_OK;
}

/* The firms ranked first: the register's order when there is one, else
 * output (then file order).  Fills `rank` with up to `want` firms and
 * returns their number, (size_t)-1 when out of memory. */
static size_t first_firms(const cy_network *net, const cy_weaklinks *wl, size_t want,
                          size_t *rank)
{
    size_t n = net->enterprise_count, count = 0;
    neighbour *all;
    for (size_t k = 0; wl && k < wl->register_count && count < want; k++)
        rank[count++] = wl->register_rows[k].enterprise;
    if (count)
        return count;
    if (!(all = cy_calloc(n ? n : 1, sizeof *all)))
        return (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        all[i].firm = i;
        all[i].volume = net->enterprises[i].output_value;
    }
    qsort(all, n, sizeof *all, neighbour_cmp);
    for (; count < want && count < n; count++)
        rank[count] = all[count].firm;
    cy_free(all);
    return count;
}

size_t cy_r_first_select(const cy_network *net, const cy_weaklinks *wl, size_t want,
                         size_t cap, unsigned char *mark, size_t *drawn, cy_error *err)
{
    size_t n = net->enterprise_count, count = 0, quota;
    size_t *rank = cy_malloc((want ? want : 1) * sizeof *rank);
    unsigned char *hood = cy_malloc(n ? n : 1);
    size_t firsts = (size_t)-1;

    if (!rank || !hood) {
        cy_r_plan_oom(err);
        goto cleanup;
    }
    if ((firsts = first_firms(net, wl, want < cap ? want : cap, rank)) == (size_t)-1) {
        cy_r_plan_oom(err);
        goto cleanup;
    }
    memset(mark, 0, n);
    for (size_t k = 0; k < firsts; k++)
        mark[rank[k]] = 1;
    count = firsts;
    quota = firsts ? (cap - firsts) / firsts : 0;
    for (size_t k = 0; k < firsts && quota; k++) {
        size_t partners = cy_r_ego_select(net, rank[k], 1, hood, err);
        if (partners == (size_t)-1 ||
            cy_r_ego_trim(net, rank[k], quota, hood, &partners, err) != CY_OK) {
            firsts = (size_t)-1;
            goto cleanup;
        }
        for (size_t i = 0; i < n; i++)
            if (hood[i] && !mark[i]) {
                mark[i] = 1;
                count++;
            }
    }
    *drawn = count;
cleanup:
    cy_free(rank);
    cy_free(hood);
    return firsts;
}
