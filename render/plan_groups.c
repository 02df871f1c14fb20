/*
 * plan_groups.c - the nodes and edges of an aggregated view: one node per
 * park, cluster, region or tier (the firms in none, and the smallest groups
 * beyond the limit, merged), and the flows between them summed in a hash
 * table of node pairs.
 */
#include "plan_internal.h"

#include <stdlib.h>
#include <string.h>

/* The clusters view adds every link to |clusters(from)| x |clusters(to)|
 * cluster pairs; above this many additions it is refused. */
#define CLUSTER_PAIR_WORK_LIMIT 200000000.0

/* ---- aggregated views ------------------------------------------------- */

static size_t group_slots(const cy_network *net, cy_r_grouping grouping,
                          size_t *tier_count)
{
    if (grouping == CY_R_BY_TIER) {
        int max = -1;
        for (size_t i = 0; i < net->enterprise_count; i++)
            if (net->enterprises[i].tier > max)
                max = net->enterprises[i].tier;
        *tier_count = (size_t)(max + 1);
        return *tier_count + 1; /* the last slot: no tier */
    }
    *tier_count = 0;
    return net->group_count[grouping];
}

size_t cy_r_plan_firm_nodes(const cy_r_plan *plan, const cy_network *net,
                            size_t i, long *out, size_t max)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    size_t count = 0;
    long node;

    if (max == 0)
        return 0;
    if (!plan->aggregated) {
        if (plan->firm_node[i] < 0)
            return 0;
        out[0] = plan->firm_node[i];
        return 1;
    }
    switch (plan->grouping) {
    case CY_R_BY_TIER:
        node = plan->group_node[e->tier >= 0 ? (size_t)e->tier
                                             : plan->group_slots - 1];
        break;
    case CY_R_BY_PARK:
        node = e->park >= 0 ? plan->group_node[e->park]
                            : plan->outside_node[e->region + 1];
        break;
    case CY_R_BY_REGION:
        node = e->region >= 0 ? plan->group_node[e->region]
                              : plan->outside_node[0];
        break;
    default: /* clusters: each of the firm's clusters, duplicates removed
              * (several small clusters may be merged into "other") */
        if (e->cluster_count == 0) {
            out[0] = plan->outside_node[0];
            return 1;
        }
        for (size_t k = 0; k < e->cluster_count; k++) {
            long c = plan->group_node[e->clusters[k]];
            int seen = 0;
            for (size_t q = 0; q < count; q++)
                seen |= out[q] == c;
            if (!seen && count < max)
                out[count++] = c;
        }
        return count;
    }
    out[0] = node;
    return 1;
}

typedef struct {
    cy_r_node_kind kind;
    long index;
    size_t members;
    double output;
    int keep;
} candidate;

/* Biggest first: members, then output, then the canonical order. */
static int candidate_size_cmp(const void *a, const void *b)
{
    const candidate *x = *(const candidate *const *)a;
    const candidate *y = *(const candidate *const *)b;
    if (x->members != y->members)
        return x->members > y->members ? -1 : 1;
    if (x->output != y->output)
        return x->output > y->output ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/*
 * The nodes of an aggregated view: every group of the grouping (tiers: only
 * those with firms), then one node for the firms in none (per region in the
 * parks view), then "other" when more than max_nodes would remain.
 */
cy_status cy_r_group_nodes_make(const cy_network *net, cy_r_plan *plan,
                                cy_error *err)
{
    size_t n = net->enterprise_count, tier_count, slots;
    size_t regions = net->group_count[CY_GROUP_REGION];
    size_t outside_slots = plan->grouping == CY_R_BY_PARK ? regions + 1 : 1;
    size_t cand_count = 0, kept = 0;
    candidate *cand = NULL, **order = NULL;
    size_t *members = NULL;
    double *output = NULL;
    cy_status status = CY_ENOMEM;

    slots = group_slots(net, plan->grouping, &tier_count);
    plan->group_slots = slots;
    plan->group_node = cy_malloc((slots ? slots : 1) * sizeof *plan->group_node);
    plan->outside_node = cy_malloc(outside_slots * sizeof *plan->outside_node);
    members = cy_calloc(slots + outside_slots, sizeof *members);
    output = cy_calloc(slots + outside_slots, sizeof *output);
    cand = cy_calloc(slots + outside_slots, sizeof *cand);
    order = cy_calloc(slots + outside_slots, sizeof *order);
    if (!plan->group_node || !plan->outside_node || !members || !output ||
        !cand || !order)
        goto cleanup;

    /* Members per slot: group slots first, then outside slots. */
    for (size_t i = 0; i < n; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        size_t slot;
        switch (plan->grouping) {
        case CY_R_BY_TIER:
            slot = e->tier >= 0 ? (size_t)e->tier : tier_count;
            break;
        case CY_R_BY_PARK:
            slot = e->park >= 0 ? (size_t)e->park : slots + (size_t)(e->region + 1);
            break;
        case CY_R_BY_REGION:
            slot = e->region >= 0 ? (size_t)e->region : slots;
            break;
        default:
            for (size_t k = 0; k < e->cluster_count; k++) {
                members[e->clusters[k]]++;
                output[e->clusters[k]] += e->output_value;
            }
            if (e->cluster_count)
                continue;
            slot = slots;
            break;
        }
        members[slot]++;
        output[slot] += e->output_value;
    }
    for (size_t s = 0; s < slots + outside_slots; s++) {
        int is_group = s < slots;
        /* Declared groups are drawn even when empty (a park with no firms
         * in the file is still a park); tiers and "none" only with firms. */
        if (members[s] == 0 && (!is_group || plan->grouping == CY_R_BY_TIER))
            continue;
        if (plan->grouping == CY_R_BY_TIER && s == tier_count) {
            cand[cand_count].kind = CY_R_NODE_OUTSIDE;
            cand[cand_count].index = -1;
        } else if (is_group) {
            cand[cand_count].kind = plan->grouping == CY_R_BY_TIER
                                        ? CY_R_NODE_TIER : CY_R_NODE_GROUP;
            cand[cand_count].index = (long)s;
        } else {
            cand[cand_count].kind = CY_R_NODE_OUTSIDE;
            cand[cand_count].index = (long)(s - slots) - 1;
        }
        cand[cand_count].members = members[s];
        cand[cand_count].output = output[s];
        cand[cand_count].keep = 1;
        order[cand_count] = &cand[cand_count];
        cand_count++;
    }
    if (cand_count > cy_r_group_limit(plan->max_nodes)) {
        size_t limit = cy_r_group_limit(plan->max_nodes);
        size_t room = limit > 1 ? limit - 1 : 0;
        qsort(order, cand_count, sizeof *order, candidate_size_cmp);
        for (size_t k = room; k < cand_count; k++)
            order[k]->keep = 0;
        snprintf(plan->note + strlen(plan->note),
                 sizeof plan->note - strlen(plan->note),
                 _("%s%zu %s are more than %zu: the %zu smallest are "
                 "merged into one node \"other\"."),
                 plan->note[0] ? " " : "", cand_count,
                 cy_r_grouping_plural(plan->grouping), limit, cand_count - room);
    }

    plan->nodes = cy_calloc(cand_count + 1, sizeof *plan->nodes);
    if (!plan->nodes)
        goto cleanup;
    for (size_t s = 0; s < slots; s++)
        plan->group_node[s] = -1;
    for (size_t s = 0; s < outside_slots; s++)
        plan->outside_node[s] = -1;
    plan->other_node = -1;
    for (size_t k = 0; k < cand_count; k++) {
        long node;
        if (!cand[k].keep) {
            if (plan->other_node < 0) {
                plan->other_node = (long)cand_count; /* placed last below */
            }
            node = plan->other_node;
        } else {
            node = (long)kept++;
            plan->nodes[node].kind = cand[k].kind;
            plan->nodes[node].index = cand[k].index;
        }
        if (cand[k].kind == CY_R_NODE_OUTSIDE) {
            if (plan->grouping == CY_R_BY_TIER)
                plan->group_node[tier_count] = node;
            else
                plan->outside_node[cand[k].index + 1] = node;
        } else {
            plan->group_node[cand[k].index] = node;
        }
    }
    if (plan->other_node >= 0) {
        /* Renumber "other" to come right after the kept nodes. */
        long other = (long)kept;
        for (size_t s = 0; s < slots; s++)
            if (plan->group_node[s] == plan->other_node)
                plan->group_node[s] = other;
        for (size_t s = 0; s < outside_slots; s++)
            if (plan->outside_node[s] == plan->other_node)
                plan->outside_node[s] = other;
        plan->other_node = other;
        plan->nodes[other].kind = CY_R_NODE_OTHER;
        plan->nodes[other].index = -1;
        kept++;
    }
    plan->node_count = kept;
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM)
        cy_r_plan_oom(err);
    cy_free(members);
    cy_free(output);
    cy_free(cand);
    cy_free(order);
    return status;
}

/* Accumulating (from, to) -> volume in an open-addressing table: distinct
 * pairs are at most nodes^2, whatever the number of links. */
typedef struct {
    uint64_t key; /* (from << 32 | to) + 1, 0 = empty */
    size_t edge;
} pair_slot;

typedef struct {
    pair_slot *slots;
    size_t mask, used;
} pair_table;

static int pair_table_grow(pair_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 1024;
    pair_slot *slots = cy_calloc(cap, sizeof *slots);
    if (!slots)
        return 0;
    for (size_t k = 0; t->slots && k <= t->mask; k++) {
        if (t->slots[k].key) {
            size_t h = (size_t)(t->slots[k].key * 0x9E3779B97F4A7C15ULL) & (cap - 1);
            while (slots[h].key)
                h = (h + 1) & (cap - 1);
            slots[h] = t->slots[k];
        }
    }
    cy_free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
    return 1;
}

static int add_flow(cy_r_plan *plan, pair_table *t, size_t *cap, long a, long b,
                    double volume)
{
    uint64_t key = (((uint64_t)a << 32) | (uint64_t)b) + 1;
    size_t h;
    cy_r_edge *edge;
    if ((t->used + 1) * 2 > (t->slots ? t->mask + 1 : 0) && !pair_table_grow(t))
        return 0;
    h = (size_t)(key * 0x9E3779B97F4A7C15ULL) & t->mask;
    while (t->slots[h].key && t->slots[h].key != key)
        h = (h + 1) & t->mask;
    if (t->slots[h].key) {
        edge = &plan->edges[t->slots[h].edge];
        edge->volume += volume;
        edge->links++;
        return 1;
    }
    if (!cy_i_grow((void **)&plan->edges, cap, plan->edge_count + 1,
                   sizeof *plan->edges))
        return 0;
    t->slots[h].key = key;
    t->slots[h].edge = plan->edge_count;
    t->used++;
    edge = &plan->edges[plan->edge_count++];
    edge->from = (size_t)a;
    edge->to = (size_t)b;
    edge->volume = volume;
    edge->links = 1;
    edge->firm_edge = -1;
    return 1;
}


cy_status cy_r_group_edges_make(const cy_network *net, cy_r_plan *plan,
                                cy_error *err)
{
    size_t max_k = 1, cap = 0;
    long *from_nodes = NULL, *to_nodes = NULL;
    pair_table table = {NULL, 0, 0};
    cy_status status = CY_ENOMEM;

    if (plan->grouping == CY_R_BY_CLUSTER) {
        double work = 0;
        for (size_t j = 0; j < net->link_count; j++) {
            const cy_i_link *l = &net->links[j];
            size_t a = net->enterprises[l->from].cluster_count;
            size_t b = net->enterprises[l->to].cluster_count;
            work += (double)(a ? a : 1) * (double)(b ? b : 1);
        }
        if (work > CLUSTER_PAIR_WORK_LIMIT) {
            char views[64];
            cy_render_view_hint(net, CY_VIEW_CLUSTERS, views, sizeof views);
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "the clusters view would add links to %.3g cluster "
                         "pairs (firms belong to too many clusters)%s%s%s", work,
                         views[0] ? "; draw " : "", views, views[0] ? " instead" : "");
            return CY_EUSAGE;
        }
        for (size_t i = 0; i < net->enterprise_count; i++)
            if (net->enterprises[i].cluster_count > max_k)
                max_k = net->enterprises[i].cluster_count;
    }
    from_nodes = cy_malloc(max_k * sizeof *from_nodes);
    to_nodes = cy_malloc(max_k * sizeof *to_nodes);
    if (!from_nodes || !to_nodes)
        goto cleanup;

    for (size_t i = 0; i < net->enterprise_count; i++) {
        size_t k = cy_r_plan_firm_nodes(plan, net, i, from_nodes, max_k);
        for (size_t q = 0; q < k; q++) {
            cy_r_node *node = &plan->nodes[from_nodes[q]];
            node->members++;
            node->output += net->enterprises[i].output_value;
            node->kind_count[net->enterprises[i].kind]++;
            if (net->enterprises[i].tier >= 0) {
                node->tier_sum += net->enterprises[i].tier;
                node->tiered++;
            }
        }
    }
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        size_t a_count = cy_r_plan_firm_nodes(plan, net, l->from, from_nodes, max_k);
        size_t b_count = cy_r_plan_firm_nodes(plan, net, l->to, to_nodes, max_k);
        for (size_t p = 0; p < a_count; p++) {
            for (size_t q = 0; q < b_count; q++) {
                long a = from_nodes[p], b = to_nodes[q];
                if (a == b) {
                    plan->nodes[a].internal += l->volume;
                    continue;
                }
                plan->nodes[a].outflow += l->volume;
                plan->nodes[b].inflow += l->volume;
                if (!add_flow(plan, &table, &cap, a, b, l->volume))
                    goto cleanup;
            }
        }
    }
    plan->firm_count = net->enterprise_count;
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM)
        cy_r_plan_oom(err);
    cy_free(table.slots);
    cy_free(from_nodes);
    cy_free(to_nodes);
    return status;
}
