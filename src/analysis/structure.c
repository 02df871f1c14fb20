/*
 * structure.c - structural weak points of the firm graph: articulation
 * points and bridges of its undirected simple view, both from igraph.
 *
 * Directions are dropped and the two directions of a mutual pair merged
 * into one edge, so that a bridge means what a planner (and NetworkX's
 * nx.bridges on the undirected Graph) means by it: the only connection
 * between two parts of the network.  Kept as a multigraph, a mutual pair
 * would be two parallel edges and never a bridge.
 *
 * igraph_articulation_points and igraph_bridges read a directed graph as
 * undirected (igraph 0.10: "It will be treated as undirected"; both walk
 * its IGRAPH_ALL incidence lists).  The firm graph has one edge per
 * (supplier, customer) pair, so without a mutual pair (net->firm_has_mutual,
 * found at load) its undirected view is already simple and both run on it
 * directly, with no copy; only a network with a mutual pair pays for an
 * undirected, collapsed copy.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void cy_structure_destroy(cy_structure *structure)
{
    if (!structure)
        return;
    cy_free(structure->articulation_points);
    cy_free(structure->bridges);
    memset(structure, 0, sizeof *structure);
}

/* qsort has no context argument; see cascade.c. */
static _Thread_local const cy_network *sort_net;

static int point_cmp(const void *a, const void *b)
{
    return strcmp(sort_net->enterprises[*(const size_t *)a].id,
                  sort_net->enterprises[*(const size_t *)b].id);
}

static int bridge_cmp(const void *a, const void *b)
{
    const cy_bridge *x = a, *y = b;
    int c = strcmp(sort_net->enterprises[x->from].id,
                   sort_net->enterprises[y->from].id);
    return c ? c : strcmp(sort_net->enterprises[x->to].id,
                          sort_net->enterprises[y->to].id);
}

/*
 * Orient an edge {a, b} of the collapsed copy as a supply link: a -> b if
 * the firm graph has it, else b -> a; a mutual pair keeps the lower index
 * first (a < b as igraph returns undirected edges).
 */
static cy_status orient(const cy_network *net, igraph_integer_t a,
                        igraph_integer_t b, cy_bridge *bridge, cy_error *err)
{
    igraph_integer_t eid = -1;
    igraph_error_t rc = igraph_get_eid(&net->firm_graph, &eid, a, b,
                                       IGRAPH_DIRECTED, /* error = */ 0);
    if (rc)
        return cy_i_igraph_status(rc, err, "bridges");
    bridge->from = (size_t)(eid >= 0 ? a : b);
    bridge->to = (size_t)(eid >= 0 ? b : a);
    return CY_OK;
}

/*
 * The graph igraph analyses is the firm graph itself when no two firms
 * supply each other, else `undirected`, its collapsed copy.  A bridge of
 * the firm graph is an edge id there, so its ends are already a supply
 * link; a bridge of the copy is oriented back onto the firm graph.
 */
cy_status cy_structure_compute(const cy_network *net, cy_structure *out,
                               cy_error *err)
{
    igraph_t undirected;
    const igraph_t *graph = &net->firm_graph;
    igraph_vector_int_t points, bridges;
    igraph_error_t rc;
    cy_status status = CY_OK;
    int have_graph = 0, have_points = 0, have_bridges = 0;
    size_t count;

    cy_library_init();
    memset(out, 0, sizeof *out);
    if (net->firm_has_mutual) {
        if ((rc = igraph_copy(&undirected, &net->firm_graph)))
            goto igraph_fail;
        have_graph = 1;
        if ((rc = igraph_to_undirected(&undirected,
                                       IGRAPH_TO_UNDIRECTED_COLLAPSE, NULL)))
            goto igraph_fail;
        graph = &undirected;
    }
    if ((rc = igraph_vector_int_init(&points, 0)))
        goto igraph_fail;
    have_points = 1;
    if ((rc = igraph_vector_int_init(&bridges, 0)))
        goto igraph_fail;
    have_bridges = 1;
    if ((rc = igraph_articulation_points(graph, &points)))
        goto igraph_fail;
    if ((rc = igraph_bridges(graph, &bridges)))
        goto igraph_fail;

    count = (size_t)igraph_vector_int_size(&points);
    out->articulation_points = cy_malloc(count * sizeof *out->articulation_points);
    if (!out->articulation_points)
        goto oom;
    for (size_t k = 0; k < count; k++)
        out->articulation_points[k] = (size_t)VECTOR(points)[k];
    out->articulation_point_count = count;

    count = (size_t)igraph_vector_int_size(&bridges);
    out->bridges = cy_malloc(count * sizeof *out->bridges);
    if (!out->bridges)
        goto oom;
    for (size_t k = 0; k < count; k++) {
        igraph_integer_t a, b;
        if ((rc = igraph_edge(graph, VECTOR(bridges)[k], &a, &b)))
            goto igraph_fail;
        if (graph == &net->firm_graph) {
            out->bridges[k].from = (size_t)a;
            out->bridges[k].to = (size_t)b;
        } else if ((status = orient(net, a, b, &out->bridges[k], err)) != CY_OK) {
            goto fail;
        }
    }
    out->bridge_count = count;

    sort_net = net;
    qsort(out->articulation_points, out->articulation_point_count,
          sizeof *out->articulation_points, point_cmp);
    qsort(out->bridges, out->bridge_count, sizeof *out->bridges, bridge_cmp);
    goto cleanup;

oom:
    status = CY_ENOMEM;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    goto fail;
igraph_fail:
    status = cy_i_igraph_status(rc, err, "articulation points and bridges");
fail:
    cy_structure_destroy(out);
cleanup:
    if (have_bridges)
        igraph_vector_int_destroy(&bridges);
    if (have_points)
        igraph_vector_int_destroy(&points);
    if (have_graph)
        igraph_destroy(&undirected);
    return status;
}
