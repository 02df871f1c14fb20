/*
 * weaklinks_local.c - the local_supply and cross_region sections: where
 * the inbound supply of each OEM and cluster comes from, and the volumes
 * that cross region and circle boundaries.
 */
#include "weaklinks_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * local_supply and cross_region.  Every region gets its circle zone; an
 * OEM's inbound supply is its incoming links, a cluster's the incoming
 * links of all its members (links between members included: they are
 * local supply too).  A supplier without a region is neither inside the
 * circle nor in the customer's region; its volume is also reported apart
 * (unknown_volume).  Cross-region flows: every link whose two ends have
 * different known regions, summed by (from region, to region) through a
 * sort of the region pairs, and by (from zone, to zone).
 */
/*
 * A region is in the circle unless the file marks it `inside: false` (the
 * loader's field, as for cy_enterprise_inside); its side of the circle
 * comes from its id or name (weaklinks_circle.c), CY_CIRCLE_OTHER when
 * they name no place of the circle.
 */
static cy_circle_zone region_zone(const cy_network *net, size_t g)
{
    const cy_i_group *region = &net->groups[CY_GROUP_REGION][g];
    cy_circle_zone zone;
    if (!cy_region_inside(net, g))
        return CY_CIRCLE_OUTSIDE;
    zone = cy_circle_zone_of(region->id, region->name);
    return zone == CY_CIRCLE_OUTSIDE ? CY_CIRCLE_OTHER : zone;
}

static void add_inbound(const cy_network *net, const cy_weaklinks *rep,
                        cy_wl_local_supply *row, const cy_i_link *l)
{
    long r = cy_i_enterprise_region(net, l->from);
    row->link_count++;
    row->inbound_volume += l->volume;
    if (r < 0) {
        row->unknown_volume += l->volume;
        return;
    }
    if (rep->region_inside[r])
        row->circle_volume += l->volume;
    if (row->region != CY_WL_NONE && (size_t)r == row->region)
        row->own_region_volume += l->volume;
}

/* A cross-region link's sort key, 16 bytes, as the keys are sorted with a
 * copy beside them (cy_i_sort): the region ranks are below the region
 * count, and regions are ids, whose table stops below 2^32 (network.c). */
typedef struct {
    size_t link;
    uint32_t from_rank, to_rank;
} flow_key;

/* The region pair of two cross-region links compared. */
static int flow_pair_cmp(const flow_key *x, const flow_key *y)
{
    int c = cy_i_wl_cmp_size(x->from_rank, y->from_rank);
    return c ? c : cy_i_wl_cmp_size(x->to_rank, y->to_rank);
}

/* By region pair, then link index: a total order (cy_i_sort's rule),
 * and each pair's volumes are summed in link order. */
static int flow_key_cmp(const void *a, const void *b)
{
    const flow_key *x = a, *y = b;
    int c = flow_pair_cmp(x, y);
    return c ? c : cy_i_wl_cmp_size(x->link, y->link);
}

typedef struct {
    cy_wl_region_flow row;
    size_t from_rank, to_rank;
} flow_sort;

static int flow_sort_cmp(const void *a, const void *b)
{
    const flow_sort *x = a, *y = b;
    int c = cy_i_wl_desc_double(x->row.volume, y->row.volume);
    if (!c)
        c = cy_i_wl_cmp_size(x->from_rank, y->from_rank);
    return c ? c : cy_i_wl_cmp_size(x->to_rank, y->to_rank);
}

cy_status cy_i_wl_local_supply(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t n = net->enterprise_count, regions = net->group_count[CY_GROUP_REGION];
    size_t clusters = net->group_count[CY_GROUP_CLUSTER];
    size_t *order = NULL, *cluster_row = NULL, oems = 0;
    flow_key *keys = NULL;
    flow_sort *flows = NULL;
    size_t key_count = 0, flow_count = 0;
    cy_status status = CY_ENOMEM;

    rep->region_zone = cy_calloc(regions, sizeof *rep->region_zone);
    rep->region_inside = cy_calloc(regions, sizeof *rep->region_inside);
    order = cy_calloc(n > clusters ? n : clusters, sizeof *order);
    cluster_row = cy_calloc(clusters, sizeof *cluster_row);
    if (!rep->region_zone || !rep->region_inside || !order || !cluster_row)
        goto cleanup;
    for (size_t g = 0; g < regions; g++) {
        rep->region_zone[g] = region_zone(net, g);
        rep->region_inside[g] = rep->region_zone[g] != CY_CIRCLE_OUTSIDE;
    }

    for (size_t i = 0; i < n; i++)
        oems += net->enterprises[i].kind == CY_KIND_OEM;
    rep->local_oem = cy_calloc(oems, sizeof *rep->local_oem);
    rep->local_cluster = cy_calloc(clusters, sizeof *rep->local_cluster);
    if (!rep->local_oem || !rep->local_cluster || !cy_i_wl_order_by_rank(b->ranks.enterprise, n, order))
        goto cleanup;
    for (size_t k = 0; k < n; k++) {
        size_t o = order[k];
        const cy_i_enterprise *e = &net->enterprises[o];
        cy_wl_local_supply *row;
        if (e->kind != CY_KIND_OEM)
            continue;
        row = &rep->local_oem[rep->local_oem_count++];
        row->subject = o;
        row->region = cy_i_enterprise_region(net, o) >= 0
                          ? (size_t)cy_i_enterprise_region(net, o) : CY_WL_NONE;
        for (size_t j = net->in_offset[o]; j < net->in_offset[o + 1]; j++)
            add_inbound(net, rep, row, &net->links[net->in_links[j]]);
    }

    if (!cy_i_wl_order_by_rank(b->ranks.group[CY_GROUP_CLUSTER], clusters, order))
        goto cleanup;
    for (size_t k = 0; k < clusters; k++) {
        cy_wl_local_supply *row = &rep->local_cluster[k];
        long r = net->groups[CY_GROUP_CLUSTER][order[k]].region;
        row->subject = order[k];
        row->region = r >= 0 ? (size_t)r : CY_WL_NONE;
        cluster_row[order[k]] = k;
    }
    rep->local_cluster_count = clusters;
    for (size_t c = 0; c < n; c++) {
        const cy_i_enterprise *e = &net->enterprises[c];
        for (size_t m = 0; m < e->cluster_count; m++) {
            cy_wl_local_supply *row = &rep->local_cluster[cluster_row[e->clusters[m]]];
            for (size_t j = net->in_offset[c]; j < net->in_offset[c + 1]; j++)
                add_inbound(net, rep, row, &net->links[net->in_links[j]]);
        }
    }

    keys = cy_calloc(net->link_count, sizeof *keys);
    if (!keys)
        goto cleanup;
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        long from = cy_i_enterprise_region(net, l->from), to = cy_i_enterprise_region(net, l->to);
        if (from < 0 || to < 0 || from == to)
            continue;
        rep->cross_volume[rep->region_zone[from]][rep->region_zone[to]] += l->volume;
        rep->cross_links[rep->region_zone[from]][rep->region_zone[to]]++;
        keys[key_count].from_rank = (uint32_t)b->ranks.group[CY_GROUP_REGION][from];
        keys[key_count].to_rank = (uint32_t)b->ranks.group[CY_GROUP_REGION][to];
        keys[key_count].link = j;
        key_count++;
    }
    cy_i_sort(keys, key_count, sizeof *keys, flow_key_cmp);
    flows = cy_calloc(key_count, sizeof *flows);
    if (!flows)
        goto cleanup;
    for (size_t k = 0; k < key_count; k++) {
        const cy_i_link *l = &net->links[keys[k].link];
        if (k == 0 || flow_pair_cmp(&keys[k - 1], &keys[k]) != 0) {
            flow_sort *f = &flows[flow_count++];
            f->row.from_region = (size_t)cy_i_enterprise_region(net, l->from);
            f->row.to_region = (size_t)cy_i_enterprise_region(net, l->to);
            f->from_rank = keys[k].from_rank;
            f->to_rank = keys[k].to_rank;
        }
        flows[flow_count - 1].row.link_count++;
        flows[flow_count - 1].row.volume += l->volume;
    }
    qsort(flows, flow_count, sizeof *flows, flow_sort_cmp);
    rep->region_flows = cy_calloc(flow_count, sizeof *rep->region_flows);
    if (!rep->region_flows)
        goto cleanup;
    for (size_t k = 0; k < flow_count; k++)
        rep->region_flows[k] = flows[k].row;
    rep->region_flow_count = flow_count;
    status = CY_OK;
cleanup:
    cy_free(order);
    cy_free(cluster_row);
    cy_free(keys);
    cy_free(flows);
    return status;
}
