/*
 * info.c - the summary behind `chengyu info`.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

void cy_info_destroy(cy_info *info)
{
    if (!info)
        return;
    cy_free(info->tier_count);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        cy_free(info->group_members[k]);
    memset(info, 0, sizeof *info);
}

static int size_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : (x > y);
}

/* Weakly connected components of the firm graph (igraph). */
static cy_status info_components(const cy_network *net, cy_info *info,
                                 cy_error *err)
{
    igraph_vector_int_t membership, sizes;
    igraph_integer_t count = 0;
    igraph_error_t rc;
    cy_status status = CY_OK;

    if ((rc = igraph_vector_int_init(&membership, 0)))
        return cy_i_igraph_status(rc, err, "connected components");
    if ((rc = igraph_vector_int_init(&sizes, 0))) {
        igraph_vector_int_destroy(&membership);
        return cy_i_igraph_status(rc, err, "connected components");
    }
    rc = igraph_connected_components(&net->firm_graph, &membership, &sizes,
                                     &count, IGRAPH_WEAK);
    if (rc) {
        status = cy_i_igraph_status(rc, err, "connected components");
    } else {
        info->component_count = (size_t)count;
        info->largest_component =
            count ? (size_t)igraph_vector_int_max(&sizes) : 0;
    }
    igraph_vector_int_destroy(&membership);
    igraph_vector_int_destroy(&sizes);
    return status;
}

cy_status cy_info_compute(const cy_network *net, cy_info *info, cy_error *err)
{
    size_t n = net->enterprise_count;
    size_t *degrees = NULL;
    cy_status status = CY_OK;

    cy_library_init();
    memset(info, 0, sizeof *info);
    info->enterprise_count = n;
    info->link_count = net->link_count;
    info->firm_edge_count = (size_t)igraph_ecount(&net->firm_graph);
    info->part_count = net->parts.count;

    for (size_t i = 0; i < n; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        info->kind_count[e->kind]++;
        if (e->tier > 0 && (size_t)e->tier > info->tier_max)
            info->tier_max = (size_t)e->tier;
        info->total_output_value += e->output_value;
    }
    info->tier_count = cy_calloc(info->tier_max + 1, sizeof *info->tier_count);
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        info->group_count[k] = net->group_count[k];
        info->group_members[k] =
            cy_calloc(net->group_count[k] + 1, sizeof *info->group_members[k]);
        if (!info->group_members[k])
            goto oom;
    }
    if (!info->tier_count)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        if (e->tier >= 0)
            info->tier_count[e->tier]++;
        else
            info->untiered_count++;
        if (e->region >= 0)
            info->group_members[CY_GROUP_REGION][e->region]++;
        else
            info->ungrouped_count[CY_GROUP_REGION]++;
        if (e->park >= 0)
            info->group_members[CY_GROUP_PARK][e->park]++;
        else
            info->ungrouped_count[CY_GROUP_PARK]++;
        for (size_t c = 0; c < e->cluster_count; c++)
            info->group_members[CY_GROUP_CLUSTER][e->clusters[c]]++;
        if (!e->cluster_count)
            info->ungrouped_count[CY_GROUP_CLUSTER]++;

        /* Suppliers per required part, by binary search in in_links (a
         * scan per part was O(requires x in-degree)). */
        for (size_t r = 0; r < e->requires_count; r++) {
            size_t suppliers = cy_i_part_suppliers(net, i, e->requires[r], NULL);
            if (suppliers == 0)
                info->unsupplied_requirements++;
            else if (suppliers == 1)
                info->single_sourced_pairs++;
        }
    }

    info->density = n > 1 ? (double)info->firm_edge_count /
                                ((double)n * (double)(n - 1))
                          : 0.0;
    if (n) {
        igraph_vector_int_t deg;
        igraph_error_t rc = igraph_vector_int_init(&deg, 0);
        if (rc) {
            status = cy_i_igraph_status(rc, err, "degree");
            goto fail;
        }
        rc = igraph_degree(&net->firm_graph, &deg, igraph_vss_all(),
                           IGRAPH_ALL, IGRAPH_LOOPS);
        if (rc) {
            igraph_vector_int_destroy(&deg);
            status = cy_i_igraph_status(rc, err, "degree");
            goto fail;
        }
        degrees = cy_malloc(n * sizeof *degrees);
        if (!degrees) {
            igraph_vector_int_destroy(&deg);
            goto oom;
        }
        for (size_t i = 0; i < n; i++)
            degrees[i] = (size_t)VECTOR(deg)[i];
        igraph_vector_int_destroy(&deg);
        qsort(degrees, n, sizeof *degrees, size_cmp);
        info->degree_min = degrees[0];
        info->degree_max = degrees[n - 1];
        info->degree_median = n % 2 ? (double)degrees[n / 2]
                                    : (degrees[n / 2 - 1] + degrees[n / 2]) / 2.0;
    }
    if ((status = info_components(net, info, err)) != CY_OK)
        goto fail;
    cy_free(degrees);
    return CY_OK;

oom:
    status = CY_ENOMEM;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
fail:
    cy_free(degrees);
    cy_info_destroy(info);
    return status;
}
