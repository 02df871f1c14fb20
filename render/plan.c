/*
 * plan.c - what a diagram shows: option checks, the choice of view when the
 * network is too big for the one asked for, and the nodes and edges of the
 * view with their totals.
 *
 * Planning is linear in the network and runs in the caller's process; it
 * must stay cheap because only the layout and drawing that follow run under
 * the timeout.  The one superlinear case, the clusters view of firms that
 * belong to many clusters, is refused above a fixed amount of work.
 */
#include "render_internal.h"

#include <stdlib.h>
#include <string.h>

/* The clusters view adds every link to |clusters(from)| x |clusters(to)|
 * cluster pairs; above this many additions it is refused. */
#define CLUSTER_PAIR_WORK_LIMIT 200000000.0

/* Aggregated views draw at most max(MIN_DRAWN_EDGES, EDGES_PER_NODE x
 * nodes) edges, the heaviest; firm views at most FIRM_EDGES_PER_MAX_NODE x
 * max_nodes.  More would be ink, not information. */
#define MIN_DRAWN_EDGES 24
/* Above this many firms a firm view gets a note pointing to group views:
 * dot stacks hundreds of firms per tier column. */
#define FIRMS_READABLE 500
#define EDGES_PER_NODE 2
#define FIRM_EDGES_PER_MAX_NODE 8

static const char *const layouts[] = {"dot", "sfdp", "neato", "fdp", "circo"};

/* Group views draw at most this many groups: min(max_nodes, max(200,
 * max_nodes / 10)) -- 200 for the default 2,000.  dot lays out 200 groups
 * with labelled flows in seconds; 2,000 it cannot in a minute, and no one
 * could read them. */
#define GROUP_NODES_FLOOR 200

static size_t group_limit(size_t max_nodes)
{
    size_t limit = max_nodes / 10 > GROUP_NODES_FLOOR ? max_nodes / 10 : GROUP_NODES_FLOOR;
    return limit < max_nodes ? limit : max_nodes;
}

void cy_r_plan_destroy(cy_r_plan *plan)
{
    cy_free(plan->nodes);
    cy_free(plan->edges);
    cy_free(plan->firm_node);
    cy_free(plan->group_node);
    cy_free(plan->outside_node);
    memset(plan, 0, sizeof *plan);
}

static cy_status oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while planning the diagram");
    return CY_ENOMEM;
}

static int grouping_valid_color(cy_r_grouping grouping, cy_color_by c)
{
    if (c == CY_COLOR_TIER)
        return grouping == CY_R_BY_TIER;
    if (c == CY_COLOR_REGION)
        return grouping != CY_R_BY_TIER;
    return 1;
}

static cy_color_by default_color(const cy_r_plan *plan)
{
    if (!plan->aggregated)
        return CY_COLOR_KIND;
    switch (plan->grouping) {
    case CY_R_BY_PARK: return CY_COLOR_REGION;
    case CY_R_BY_TIER: return CY_COLOR_TIER;
    default: return CY_COLOR_SECTOR; /* regions: their own name is the label */
    }
}

static const char *grouping_plural(cy_r_grouping grouping)
{
    switch (grouping) {
    case CY_R_BY_REGION: return "regions";
    case CY_R_BY_CLUSTER: return "clusters";
    case CY_R_BY_PARK: return "parks";
    default: return "tiers";
    }
}

/* ---- firm views ------------------------------------------------------- */

/* Firms within `depth` hops of the focus, up and down; fills `mark` (1 =
 * drawn) and returns their number, or (size_t)-1 after an igraph error. */
static size_t ego_select(const cy_network *net, size_t focus, size_t depth,
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
static cy_status ego_trim(const cy_network *net, size_t focus, size_t keep,
                          unsigned char *mark, size_t *count, cy_error *err)
{
    size_t n = 0;
    neighbour *list = cy_calloc(*count ? *count : 1, sizeof *list);
    double *volume = cy_calloc(net->enterprise_count, sizeof *volume);
    if (!list || !volume) {
        cy_free(list);
        cy_free(volume);
        return oom(err);
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

static cy_status plan_firm_nodes(const cy_network *net, cy_r_plan *plan,
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
static cy_status plan_firm_edges(const cy_network *net, cy_r_plan *plan)
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
static cy_status plan_group_nodes(const cy_network *net, cy_r_plan *plan,
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
    if (cand_count > group_limit(plan->max_nodes)) {
        size_t limit = group_limit(plan->max_nodes);
        size_t room = limit > 1 ? limit - 1 : 0;
        qsort(order, cand_count, sizeof *order, candidate_size_cmp);
        for (size_t k = room; k < cand_count; k++)
            order[k]->keep = 0;
        snprintf(plan->note + strlen(plan->note),
                 sizeof plan->note - strlen(plan->note),
                 "%s%zu %s are more than %zu: the %zu smallest are "
                 "merged into one node \"other\".",
                 plan->note[0] ? " " : "", cand_count,
                 grouping_plural(plan->grouping), limit, cand_count - room);
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
        oom(err);
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

static int edge_pair_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    return x->to < y->to ? -1 : (x->to > y->to);
}

static int edge_heavy_cmp(const void *a, const void *b)
{
    const cy_r_edge *x = *(const cy_r_edge *const *)a;
    const cy_r_edge *y = *(const cy_r_edge *const *)b;
    if (x->volume != y->volume)
        return x->volume > y->volume ? -1 : 1;
    return x < y ? -1 : (x > y); /* edges are in (from, to) order */
}

static cy_status plan_group_edges(const cy_network *net, cy_r_plan *plan,
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
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "the clusters view would add links to %.3g cluster "
                         "pairs (firms belong to too many clusters); draw "
                         "--view parks or regions instead", work);
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
        oom(err);
    cy_free(table.slots);
    cy_free(from_nodes);
    cy_free(to_nodes);
    return status;
}

/* Keep the heaviest edges when there are more than `limit`; the rest are
 * counted in hidden_volume and left undrawn.  The flows of "other" (many
 * small groups lumped together) are never drawn: at scale they would be
 * most of the picture and say nothing; its label keeps its totals. */
static cy_status plan_limit_edges(cy_r_plan *plan, size_t limit, cy_error *err)
{
    cy_r_edge **order;
    size_t candidates = 0, other_flows = 0;
    if (plan->edge_count)
        qsort(plan->edges, plan->edge_count, sizeof *plan->edges, edge_pair_cmp);
    order = cy_malloc((plan->edge_count ? plan->edge_count : 1) * sizeof *order);
    if (!order)
        return oom(err);
    for (size_t e = 0; e < plan->edge_count; e++) {
        cy_r_edge *edge = &plan->edges[e];
        if (plan->other_node >= 0 && (edge->from == (size_t)plan->other_node ||
                                      edge->to == (size_t)plan->other_node)) {
            edge->drawn = 0;
            plan->hidden_volume += edge->volume;
            other_flows++;
            continue;
        }
        edge->drawn = 1;
        order[candidates++] = edge;
    }
    plan->drawn_edge_count = candidates;
    if (candidates > limit) {
        qsort(order, candidates, sizeof *order, edge_heavy_cmp);
        for (size_t e = limit; e < candidates; e++) {
            order[e]->drawn = 0;
            plan->hidden_volume += order[e]->volume;
        }
        plan->drawn_edge_count = limit;
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 "%sOnly the %zu heaviest of %zu flows are drawn.",
                 plan->note[0] ? " " : "", limit, plan->edge_count);
    }
    if (other_flows)
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 "%sThe %zu flows of \"other\" are not drawn.",
                 plan->note[0] ? " " : "", other_flows);
    cy_free(order);
    return CY_OK;
}

/* ---- choosing the view ------------------------------------------------ */

static int valid_layout(const char *name)
{
    for (size_t k = 0; k < sizeof layouts / sizeof layouts[0]; k++)
        if (strcmp(name, layouts[k]) == 0)
            return 1;
    return 0;
}

/* The grouping FULL falls back to: the first of parks, regions, clusters
 * that the network has and that fits in a group view, else the first it
 * has, else tiers. */
static cy_r_grouping fallback_grouping(const cy_network *net, size_t max_nodes)
{
    static const cy_r_grouping order[] = {CY_R_BY_PARK, CY_R_BY_REGION,
                                          CY_R_BY_CLUSTER};
    for (size_t k = 0; k < 3; k++) {
        size_t count = net->group_count[order[k]];
        if (count > 0 && count < group_limit(max_nodes))
            return order[k];
    }
    for (size_t k = 0; k < 3; k++)
        if (net->group_count[order[k]] > 0)
            return order[k];
    return CY_R_BY_TIER;
}

static void note_append(cy_r_plan *plan, const char *text)
{
    size_t used = strlen(plan->note);
    snprintf(plan->note + used, sizeof plan->note - used, "%s%s",
             used ? " " : "", text);
}

cy_status cy_r_plan_make(const cy_network *net, const cy_render_options *opt,
                         cy_r_plan *plan, cy_error *err)
{
    size_t n = net->enterprise_count;
    unsigned char *mark = NULL;
    cy_status status;
    char text[256], echo[CY_I_ECHO_SIZE];

    memset(plan, 0, sizeof *plan);
    plan->other_node = -1;
    plan->requested = plan->view = opt->view;
    plan->max_nodes = opt->max_nodes ? opt->max_nodes : CY_RENDER_DEFAULT_MAX_NODES;
    plan->title = opt->title ? opt->title : net->name;
    plan->highlight = opt->highlight;

    if ((unsigned)opt->view >= CY_VIEW_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown view %d", (int)opt->view);
        return CY_EUSAGE;
    }
    if ((unsigned)opt->color_by >= CY_COLOR_COUNT ||
        (unsigned)opt->size_by >= CY_SIZE_COUNT ||
        (unsigned)opt->highlight > CY_HIGHLIGHT_CASCADE) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown colour, size or highlight option");
        return CY_EUSAGE;
    }
    if (opt->layout && !valid_layout(opt->layout)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "--layout: unknown layout '%s' (dot, sfdp, neato, fdp or circo)",
                     cy_i_echo(echo, opt->layout));
        return CY_EUSAGE;
    }
    if (opt->view == CY_VIEW_EGO) {
        if (!opt->focus) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "--view ego needs --focus ID");
            return CY_EUSAGE;
        }
        if (!cy_network_find_enterprise(net, opt->focus, &plan->focus)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--focus: no enterprise has the id '%s'", cy_i_echo(echo, opt->focus));
            return CY_EUSAGE;
        }
        if (opt->depth < 1) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "--depth must be at least 1");
            return CY_EUSAGE;
        }
        plan->depth = opt->depth;
    } else if (opt->focus) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "--focus applies to --view ego, not --view %s",
                     cy_view_name(opt->view));
        return CY_EUSAGE;
    }
    if (opt->highlight == CY_HIGHLIGHT_CASCADE) {
        if (!opt->cascade_id || !*opt->cascade_id) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--highlight cascade:ID needs an enterprise id");
            return CY_EUSAGE;
        }
        if (!cy_network_find_enterprise(net, opt->cascade_id, &plan->cascade_firm)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--highlight cascade: no enterprise has the id '%s'",
                         cy_i_echo(echo, opt->cascade_id));
            return CY_EUSAGE;
        }
    }

    switch (opt->view) {
    case CY_VIEW_FULL:
        if (n > plan->max_nodes) {
            plan->aggregated = 1;
            plan->grouping = fallback_grouping(net, plan->max_nodes);
            plan->view = plan->grouping == CY_R_BY_TIER ? CY_VIEW_TIERS
                         : plan->grouping == CY_R_BY_PARK ? CY_VIEW_PARKS
                         : plan->grouping == CY_R_BY_REGION ? CY_VIEW_REGIONS
                                                            : CY_VIEW_CLUSTERS;
            snprintf(text, sizeof text,
                     "%zu enterprises exceed --max-nodes %zu: drawing the "
                     "aggregated %s view instead of the full view.",
                     n, plan->max_nodes, grouping_plural(plan->grouping));
            note_append(plan, text);
        }
        break;
    case CY_VIEW_TIERS:
        if (n > plan->max_nodes) {
            plan->aggregated = 1;
            plan->grouping = CY_R_BY_TIER;
            snprintf(text, sizeof text,
                     "%zu enterprises exceed --max-nodes %zu: drawing one "
                     "node per tier.", n, plan->max_nodes);
            note_append(plan, text);
        }
        break;
    case CY_VIEW_CLUSTERS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_CLUSTER;
        break;
    case CY_VIEW_PARKS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_PARK;
        break;
    case CY_VIEW_REGIONS:
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_REGION;
        break;
    default:
        break;
    }

    /* Colour and size. */
    plan->color_by = opt->color_by;
    if (plan->aggregated && plan->color_by != CY_COLOR_AUTO &&
        !grouping_valid_color(plan->grouping, plan->color_by)) {
        if (plan->view == plan->requested && opt->view != CY_VIEW_TIERS) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "--color-by %s does not apply to the %s view",
                         cy_color_by_name(plan->color_by),
                         cy_view_name(plan->view));
            return CY_EUSAGE;
        }
        snprintf(text, sizeof text, "--color-by %s does not apply to %s, "
                 "which are coloured by their default.",
                 cy_color_by_name(plan->color_by), grouping_plural(plan->grouping));
        note_append(plan, text);
        plan->color_by = CY_COLOR_AUTO;
    }
    if (plan->color_by == CY_COLOR_AUTO)
        plan->color_by = default_color(plan);
    plan->size_by = opt->size_by == CY_SIZE_AUTO ? CY_SIZE_OUTPUT : opt->size_by;
    plan->layout = opt->layout ? opt->layout : "dot";

    if (plan->aggregated) {
        if ((status = plan_group_nodes(net, plan, err)) != CY_OK ||
            (status = plan_group_edges(net, plan, err)) != CY_OK)
            return status;
        {
            size_t limit = EDGES_PER_NODE * plan->node_count;
            if (limit < MIN_DRAWN_EDGES)
                limit = MIN_DRAWN_EDGES;
            return plan_limit_edges(plan, limit, err);
        }
    }

    if (opt->view == CY_VIEW_EGO) {
        size_t count;
        if (!(mark = cy_malloc(n ? n : 1)))
            return oom(err);
        for (;;) {
            count = ego_select(net, plan->focus, plan->depth, mark, err);
            if (count == (size_t)-1) {
                cy_free(mark);
                return CY_EINTERNAL;
            }
            if (count <= plan->max_nodes || plan->depth == 1)
                break;
            plan->depth--;
        }
        if (plan->depth < opt->depth) {
            snprintf(text, sizeof text,
                     "depth %zu around '%s' would draw more than --max-nodes "
                     "%zu firms: drawing depth %zu.", opt->depth, opt->focus,
                     plan->max_nodes, plan->depth);
            note_append(plan, text);
        }
        if (count > plan->max_nodes) {
            size_t partners = count - 1;
            if ((status = ego_trim(net, plan->focus, plan->max_nodes - 1, mark,
                                   &count, err)) != CY_OK) {
                cy_free(mark);
                return status;
            }
            snprintf(text, sizeof text,
                     "'%s' has %zu direct partners: drawing the %zu with the "
                     "most volume.", opt->focus, partners, count - 1);
            note_append(plan, text);
        }
    }
    status = plan_firm_nodes(net, plan, mark);
    if (status == CY_OK)
        status = plan_firm_edges(net, plan);
    cy_free(mark);
    if (status != CY_OK)
        return oom(err);
    if (plan->node_count > FIRMS_READABLE && opt->view != CY_VIEW_EGO) {
        snprintf(text, sizeof text, "%zu firms in one drawing make a poster, not a "
                 "picture: --view parks or regions gives the overview.",
                 plan->node_count);
        note_append(plan, text);
    }
    return plan_limit_edges(plan, FIRM_EDGES_PER_MAX_NODE * plan->max_nodes, err);
}
