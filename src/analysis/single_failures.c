/*
 * single_failures.c - every enterprise failing alone, in near-linear time
 * on chains, rings and trees, exactly under the cascade rule.
 *
 * Cascading one enterprise at a time costs the sum over enterprises of
 * their failure cones: quadratic on a chain, where each firm's failure
 * takes everything downstream with it.  This engine shares the work
 * between cones.  It rests on one property of the rule: a failure can
 * only add losses, so the set F(S) that fails when S fails is a closure
 * (monotone, and F(F(S)) = F(S)), and for every v in F(s), F(v) is a
 * subset of F(s).  Hence, from the engine's state after the cascade of v
 * (its counters and failed set), seeding s and propagating gives exactly
 * F(s), at the cost of the links leaving F(s) \ F(v) only.
 *
 * Which v?  The firms that fail in round 1 when s fails alone are known
 * from s's own links (the "direct" graph G1: s -> v when s's loss alone
 * stops one of v's parts).  Firms in one strongly connected component of
 * G1 fail with each other, so they share one failure set, computed once.
 * The components form a DAG; each component C gets as its heir the
 * successor D with the largest estimated cone (the members of D plus the
 * estimates of D's successors: exact on a tree, where this is the heavy
 * child of a heavy-path decomposition).  The heirs form a forest, walked
 * depth first from its roots (components that stop no one directly):
 * entering C seeds C on top of its heir's state and propagates; leaving C
 * undoes exactly what entering did, from an undo log that keeps each
 * counter's previous value (so no floating-point sum is ever subtracted).
 * The aggregates of F(C) (count, output value) are running sums saved at
 * each entry, and the demand nodes in F(C) are a stack, so reading them costs only
 * the length of the answer.
 *
 * Cost: O(n + m) for G1, its components and the forest, plus twice the
 * links leaving F(C) \ F(heir(C)) summed over components, plus the output
 * (the chokepoint lists).  A chain or a ring costs O(n + m); a tree
 * O((n + m) log n); a general network never more than the one-at-a-time
 * cascades it replaces.
 *
 * The trees of the forest are independent: they are walked in parallel
 * (cy_i_par_run, one item per tree; walk_all below says why the figures
 * do not depend on the thread count).  Networks have many small trees
 * (the national preset: 92,527 trees, the largest of 86 firms); a chain
 * is one tree and one thread.
 *
 * Rounds (the last round in which something fails) do not compose like
 * sets, and are computed only on request.  When s's required parts all go
 * to one customer v that s's loss alone stops, and s is not in F(v), then
 * the cascade of s is the cascade of v one round later: rounds(s) =
 * 1 + rounds(v), in O(1).  A component that is a cycle of such firms and
 * stops nothing else has rounds = its size - 1.  Any other firm gets its
 * own cascade, as before (O(its cone)).
 *
 * Nothing here is in igraph 0.10: its dominator tree covers the "every
 * supplier" rule of one part only, not a firm failing when any of its
 * parts fails nor share thresholds.  The test (tests/test_cascade.c)
 * checks every result against one cascade per firm on thousands of
 * generated networks.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NONE SIZE_MAX

/* One entry of the undo log: a pair's counters before a loss. */
typedef struct {
    size_t pair;
    size_t count;
    double share;
} undo_entry;

/* Where the state stood when a component was entered. */
typedef struct {
    size_t component;
    size_t next_child;   /* position in its children list */
    size_t order_count;
    size_t undo_count;
    size_t node_count;
    double output_lost, oem_output_lost, final_demand_lost;
    size_t oem_failed, demand_failed;
} frame;

typedef struct {
    const cy_network *net;
    cy_i_cascade c;          /* counters, failed flags, failure order */
    const cy_single_failure_options *options;
    cy_single_failures *out;
    /* G1 as CSR: the firms s's loss alone stops in round 1. */
    size_t *g1_offset, *g1_target;
    /* Components of G1: comp[v], members in CSR, in Tarjan's order (every
     * G1 edge between components goes to a smaller component id). */
    size_t *comp, *member_offset, *members, component_count;
    size_t *heir;            /* per component, NONE for a root */
    size_t *child_offset, *children;
    /* The undo log and the stack of failed demand nodes. */
    undo_entry *undo;
    size_t undo_count;
    size_t *nodes;
    size_t node_count;
    /* (node, enterprise) pairs: "enterprise alone stops the demand node". */
    size_t (*stops)[2];
    size_t stop_count, stop_capacity;
    /* Rounds: the single customer of each firm's required links (NONE if
     * none or several), and a second engine for the firms that need their
     * own cascade. */
    size_t *only_customer;
    cy_i_cascade fresh;
    int have_fresh;
    /* The roots of the forest of heirs, in increasing order: the items of
     * the parallel walk. */
    size_t *roots, root_count;
    /* An MPI run: the position in roots of each component's tree. */
    size_t *tree_pos;
    frame *stack;            /* a worker's: one frame per depth */
    int join_failed;         /* a worker's list could not be joined */
    cy_i_progress_relay relay; /* the caller's progress (progress_step) */
} engine;

/* Whether link j, lost alone, stops its customer's pair: pair_stops of
 * cascade.c after one loss, with the same arithmetic. */
static int stops_alone(const cy_i_cascade *c, size_t j)
{
    size_t p = c->link_pair[j];
    if (p == CY_I_NO_PAIR)
        return 0;
    if (c->pair_suppliers[p] == 1)
        return 1;
    /* lost_share would be 0.0 + link_share[j], that is link_share[j]. */
    return c->threshold > 0.0 &&
           c->pair_share[p] - c->link_share[j] < c->threshold - CY_CASCADE_EPSILON;
}

/* G1, and for the rounds each firm's only customer over required links. */
static int build_direct_graph(engine *e)
{
    const cy_network *net = e->net;
    size_t n = net->enterprise_count, edges = 0;

    e->g1_offset = cy_calloc(n + 1, sizeof *e->g1_offset);
    e->only_customer = cy_malloc((n + 1) * sizeof *e->only_customer);
    if (!e->g1_offset || !e->only_customer)
        return 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t s = 0; s < n; s++) {
            size_t customer = NONE, direct = 0;
            int several = 0;
            for (size_t k = net->out_offset[s]; k < net->out_offset[s + 1]; k++) {
                size_t j = net->out_links[k], to = net->links[j].to;
                if (e->c.link_pair[j] == CY_I_NO_PAIR)
                    continue;
                several |= customer != NONE && customer != to;
                customer = to;
                if (to != s && stops_alone(&e->c, j)) {
                    if (pass == 1)
                        e->g1_target[e->g1_offset[s] + direct] = to;
                    direct++;
                }
            }
            if (pass == 0) {
                e->g1_offset[s + 1] = direct;
                e->only_customer[s] =
                    !several && direct > 0 && customer != s ? customer : NONE;
            }
        }
        if (pass == 0) {
            for (size_t s = 0; s < n; s++)
                e->g1_offset[s + 1] += e->g1_offset[s];
            edges = e->g1_offset[n];
            if (!(e->g1_target = cy_malloc((edges + 1) * sizeof *e->g1_target)))
                return 0;
        }
    }
    return 1;
}

/*
 * Tarjan's strongly connected components of G1, without recursion (a
 * 200,000-firm chain is 200,000 deep).  comp[v] is numbered in the order
 * components complete, so each G1 edge leaving a component goes to one
 * with a smaller number.
 */
static int find_components(engine *e)
{
    size_t n = e->net->enterprise_count, counter = 0, top = 0, call_top = 0;
    size_t *index = cy_malloc((n + 1) * sizeof *index);
    size_t *low = cy_malloc((n + 1) * sizeof *low);
    size_t *stack = cy_malloc((n + 1) * sizeof *stack);
    size_t *call = cy_malloc((n + 1) * sizeof *call);  /* vertex */
    size_t *edge = cy_malloc((n + 1) * sizeof *edge);  /* next edge */
    unsigned char *on_stack = cy_calloc(n + 1, 1);
    int ok = index && low && stack && call && edge && on_stack &&
             (e->comp = cy_malloc((n + 1) * sizeof *e->comp));

    for (size_t v = 0; ok && v < n; v++)
        index[v] = NONE;
    for (size_t root = 0; ok && root < n; root++) {
        if (index[root] != NONE)
            continue;
        call[call_top] = root;
        edge[call_top++] = e->g1_offset[root];
        index[root] = low[root] = counter++;
        stack[top++] = root;
        on_stack[root] = 1;
        while (call_top > 0) {
            size_t v = call[call_top - 1], k = edge[call_top - 1];
            if (k < e->g1_offset[v + 1]) {
                size_t w = e->g1_target[k];
                edge[call_top - 1] = k + 1;
                if (index[w] == NONE) {
                    index[w] = low[w] = counter++;
                    stack[top++] = w;
                    on_stack[w] = 1;
                    call[call_top] = w;
                    edge[call_top++] = e->g1_offset[w];
                } else if (on_stack[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            call_top--;
            if (call_top > 0 && low[v] < low[call[call_top - 1]])
                low[call[call_top - 1]] = low[v];
            if (low[v] == index[v]) {
                size_t w;
                do {
                    w = stack[--top];
                    on_stack[w] = 0;
                    e->comp[w] = e->component_count;
                } while (w != v);
                e->component_count++;
            }
        }
    }
    cy_free(index);
    cy_free(low);
    cy_free(stack);
    cy_free(call);
    cy_free(edge);
    cy_free(on_stack);
    return ok;
}

/* A CSR index of `count` items grouped by key[item] < groups. */
static int group_by(const size_t *key, size_t count, size_t groups,
                    size_t **offset_out, size_t **items_out)
{
    size_t *offset = cy_calloc(groups + 2, sizeof *offset);
    size_t *items = cy_malloc((count + 1) * sizeof *items);
    if (!offset || !items) {
        cy_free(offset);
        cy_free(items);
        return 0;
    }
    for (size_t i = 0; i < count; i++)
        if (key[i] != NONE)
            offset[key[i] + 2]++;
    for (size_t g = 0; g < groups; g++)
        offset[g + 2] += offset[g + 1];
    for (size_t i = 0; i < count; i++)
        if (key[i] != NONE)
            items[offset[key[i] + 1]++] = i;
    *offset_out = offset;
    *items_out = items;
    return 1;
}

/*
 * Each component's heir: the G1 successor with the largest estimate of
 * its cone, estimate(C) = |C| + the sum of its distinct successors'
 * estimates (exact on a tree; a DAG with shared successors counts them
 * more than once, which only steers the choice).  Then the forest of
 * heirs as children lists.
 */
static int choose_heirs(engine *e)
{
    size_t components = e->component_count;
    double *estimate = cy_calloc(components + 1, sizeof *estimate);
    size_t *seen = cy_malloc((components + 1) * sizeof *seen);
    int ok = estimate && seen &&
             (e->heir = cy_malloc((components + 1) * sizeof *e->heir)) &&
             group_by(e->comp, e->net->enterprise_count, components,
                      &e->member_offset, &e->members);

    for (size_t d = 0; ok && d < components; d++)
        seen[d] = NONE;
    /* Successors have smaller numbers: increasing order is bottom-up. */
    for (size_t cc = 0; ok && cc < components; cc++) {
        size_t best = NONE;
        estimate[cc] = (double)(e->member_offset[cc + 1] - e->member_offset[cc]);
        for (size_t q = e->member_offset[cc]; q < e->member_offset[cc + 1]; q++) {
            size_t v = e->members[q];
            for (size_t k = e->g1_offset[v]; k < e->g1_offset[v + 1]; k++) {
                size_t d = e->comp[e->g1_target[k]];
                if (d == cc || seen[d] == cc)
                    continue;
                seen[d] = cc;
                estimate[cc] += estimate[d];
                if (best == NONE || estimate[d] > estimate[best])
                    best = d;
            }
        }
        e->heir[cc] = best;
    }
    ok = ok && group_by(e->heir, components, components, &e->child_offset,
                        &e->children);
    cy_free(estimate);
    cy_free(seen);
    return ok;
}

/* Fail v (not failed yet): the cascade engine's own bookkeeping, plus the
 * stack of failed demand nodes. */
static void fail(engine *e, size_t v)
{
    cy_i_cascade_seed(&e->c, v);
    if (cy_enterprise_is_demand_node(e->net, v))
        e->nodes[e->node_count++] = v;
}

/*
 * cy_i_cascade_propagate with an undo log: each pair's counters are
 * logged before they change, so that leave() can put them back exactly.
 */
static void propagate_logged(engine *e)
{
    const cy_network *net = e->net;
    cy_i_cascade *c = &e->c;

    while (c->head < c->order_count) {
        size_t f = c->order[c->head++];
        for (size_t k = net->out_offset[f]; k < net->out_offset[f + 1]; k++) {
            size_t j = net->out_links[k], p = c->link_pair[j];
            size_t customer = net->links[j].to;
            if (p == CY_I_NO_PAIR || c->failed[customer])
                continue;
            e->undo[e->undo_count].pair = p;
            e->undo[e->undo_count].count = c->lost_count[p];
            e->undo[e->undo_count++].share = c->lost_share[p];
            c->lost_count[p]++;
            c->lost_share[p] += c->link_share[j];
            if (cy_i_pair_stops(c, p))
                fail(e, customer);
        }
    }
}

/* Undo everything since frame f was entered. */
static void leave(engine *e, const frame *f)
{
    cy_i_cascade *c = &e->c;
    while (e->undo_count > f->undo_count) {
        const undo_entry *u = &e->undo[--e->undo_count];
        c->lost_count[u->pair] = u->count;
        c->lost_share[u->pair] = u->share;
    }
    while (c->order_count > f->order_count)
        c->failed[c->order[--c->order_count]] = 0;
    c->head = c->order_count;
    c->output_lost = f->output_lost;
    c->oem_output_lost = f->oem_output_lost;
    c->oem_failed = f->oem_failed;
    c->final_demand_lost = f->final_demand_lost;
    c->demand_failed = f->demand_failed;
    e->node_count = f->node_count;
}

/* The rounds of s's own cascade, from the second engine. */
static cy_status rounds_alone(engine *e, size_t s, size_t *rounds,
                              cy_error *err)
{
    cy_status status;
    if (!e->have_fresh) {
        if ((status = cy_i_cascade_init_borrowed(&e->fresh, &e->c, err)) != CY_OK)
            return status;
        e->have_fresh = 1;
    }
    cy_i_cascade_seed(&e->fresh, s);
    cy_i_cascade_propagate(&e->fresh);
    *rounds = e->fresh.order_round[e->fresh.order_count - 1];
    cy_i_cascade_reset(&e->fresh);
    return CY_OK;
}

/*
 * The rounds of every member of component cc, whose failure set (size
 * `failed`) is in the engine; `absent` says whether the single member was
 * outside its heir's failure set before it was seeded.
 */
static cy_status component_rounds(engine *e, size_t cc, size_t failed,
                                  int absent, cy_error *err)
{
    size_t first = e->member_offset[cc], last = e->member_offset[cc + 1];
    size_t size = last - first;
    cy_impact *impacts = e->out->impacts;
    int cycle = size > 1 && failed == size;
    cy_status status;

    for (size_t q = first; cycle && q < last; q++) {
        size_t v = e->members[q], to = e->only_customer[v];
        cycle = to != NONE && e->comp[to] == cc;
    }
    for (size_t q = first; q < last; q++) {
        size_t s = e->members[q], to = e->only_customer[s];
        if (failed == 1)
            impacts[s].rounds = 0;
        else if (cycle)
            impacts[s].rounds = size - 1;
        else if (size == 1 && absent && to != NONE && e->heir[cc] == e->comp[to])
            impacts[s].rounds = impacts[to].rounds + 1;
        else if ((status = rounds_alone(e, s, &impacts[s].rounds, err)) != CY_OK)
            return status;
    }
    return CY_OK;
}

/* Record the results of component cc, whose failure set is in the
 * engine: the same figures for every member, and each failed demand node (but a
 * member itself) as stopped by each member. */
static cy_status record(engine *e, size_t cc, int absent, cy_error *err)
{
    const cy_i_cascade *c = &e->c;
    size_t first = e->member_offset[cc], last = e->member_offset[cc + 1];

    for (size_t q = first; q < last; q++) {
        size_t s = e->members[q];
        cy_impact *impact = &e->out->impacts[s];
        impact->index = s;
        impact->failed_count = c->order_count;
        impact->output_value_lost = c->output_lost;
        impact->final_demand_lost = c->final_demand_lost;
        impact->demand_nodes_failed = c->demand_failed;
        for (size_t k = 0; k < e->node_count; k++) {
            if (e->nodes[k] == s)
                continue;
            if (!cy_i_grow((void **)&e->stops, &e->stop_capacity,
                           e->stop_count + 1, sizeof *e->stops)) {
                cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
                return CY_ENOMEM;
            }
            e->stops[e->stop_count][0] = e->nodes[k];
            e->stops[e->stop_count++][1] = s;
        }
    }
    if (e->options->rounds)
        return component_rounds(e, cc, c->order_count, absent, err);
    return CY_OK;
}

/* Seed component cc on top of the current state (its heir's cascade),
 * propagate, record.  *absent: its one member had not failed yet. */
static cy_status enter(engine *e, size_t cc, cy_error *err)
{
    int absent = 1;
    for (size_t q = e->member_offset[cc]; q < e->member_offset[cc + 1]; q++) {
        size_t v = e->members[q];
        if (e->c.failed[v])
            absent = 0;
        else
            fail(e, v);
    }
    propagate_logged(e);
    return record(e, cc, absent, err);
}

/* Enter component cc: remember the state, then seed and propagate. */
static cy_status push(engine *e, frame *stack, size_t *depth, size_t cc,
                      cy_error *err)
{
    frame *f = &stack[(*depth)++];
    f->component = cc;
    f->next_child = e->child_offset[cc];
    f->order_count = e->c.order_count;
    f->undo_count = e->undo_count;
    f->node_count = e->node_count;
    f->output_lost = e->c.output_lost;
    f->oem_output_lost = e->c.oem_output_lost;
    f->oem_failed = e->c.oem_failed;
    f->final_demand_lost = e->c.final_demand_lost;
    f->demand_failed = e->c.demand_failed;
    return enter(e, cc, err);
}

/* Walk the tree of heirs below `root` depth first; the engine's state is
 * clear before and after. */
static cy_status walk(engine *e, size_t root, cy_error *err)
{
    size_t depth = 0;
    cy_status status = push(e, e->stack, &depth, root, err);

    while (depth > 0 && status == CY_OK) {
        frame *f = &e->stack[depth - 1];
        if (f->next_child < e->child_offset[f->component + 1]) {
            status = push(e, e->stack, &depth, e->children[f->next_child++], err);
        } else {
            leave(e, f);
            depth--;
        }
    }
    if (depth > 0)
        leave(e, &e->stack[0]);
    return status;
}

/* The roots of the forest, in increasing order.  0 on OOM. */
static int list_roots(engine *e)
{
    e->roots = cy_malloc((e->component_count + 1) * sizeof *e->roots);
    if (!e->roots)
        return 0;
    for (size_t cc = 0; cc < e->component_count; cc++)
        if (e->heir[cc] == NONE)
            e->roots[e->root_count++] = cc;
    return 1;
}

/*
 * walk_all: the walk as a parallel loop, one item per tree of heirs: a worker is a
 * copy of the engine that reads its forest and writes the impacts of the
 * tree's members (every firm is in one tree, and its rounds read only its
 * heirs', in the same tree), with its own cascade state, undo log, stack
 * and (demand node, enterprise) list; the lists are joined afterwards,
 * and their order does not matter (cy_i_build_chokepoints sorts them).
 * Replaying a tree from a clear state gives each counter exactly the
 * values the one-thread walk gives it, so the figures do not depend on
 * the thread count either.
 */
static cy_status walker_make(void *ctx, void **state, cy_error *err)
{
    const engine *main = ctx;
    size_t n = main->net->enterprise_count;
    engine *w = cy_malloc(sizeof *w);
    cy_status status;

    *state = w;
    if (!w) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    *w = *main;
    w->have_fresh = 0;
    w->join_failed = 0;
    w->stops = NULL;
    w->stop_count = w->stop_capacity = 0;
    w->undo = NULL;
    w->nodes = NULL;
    w->stack = NULL;
    if ((status = cy_i_cascade_init_borrowed(&w->c, &main->c, err)) != CY_OK) {
        memset(&w->c, 0, sizeof w->c);
        return status;
    }
    w->undo = cy_malloc((main->net->link_count + 1) * sizeof *w->undo);
    w->nodes = cy_malloc((n + 1) * sizeof *w->nodes);
    w->stack = cy_malloc((main->component_count + 1) * sizeof *w->stack);
    if (w->undo && w->nodes && w->stack)
        return CY_OK;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

/* Move a worker's (demand node, enterprise) list onto the main engine's
 * (join_failed on OOM). */
static void join_stops(engine *main, engine *w)
{
    if (!main->stops) {
        main->stops = w->stops;
        main->stop_count = w->stop_count;
        main->stop_capacity = w->stop_capacity;
        w->stops = NULL;
        return;
    }
    if (!cy_i_grow((void **)&main->stops, &main->stop_capacity,
                   main->stop_count + w->stop_count, sizeof *main->stops)) {
        main->join_failed = 1;
        return;
    }
    memcpy(main->stops + main->stop_count, w->stops, w->stop_count * sizeof *w->stops);
    main->stop_count += w->stop_count;
}

static void walker_free(void *ctx, void *state)
{
    engine *w = state;
    if (!w)
        return;
    if (w->stop_count)
        join_stops(ctx, w);
    cy_i_cascade_destroy(&w->c);
    if (w->have_fresh)
        cy_i_cascade_destroy(&w->fresh);
    cy_free(w->undo);
    cy_free(w->nodes);
    cy_free(w->stack);
    cy_free(w->stops);
    cy_free(w);
}

/* The loop's conclusion: every worker's list was joined (walker_free ran
 * for each).  Under MPI this runs before the exchange, so that a process
 * that could not join its lists fails the loop on every process instead
 * of sending the others a share without some of its chokepoints. */
static cy_status walkers_joined(void *ctx, cy_error *err)
{
    const engine *main = ctx;
    if (!main->join_failed)
        return CY_OK;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

static cy_status walker_item(void *ctx, void *state, size_t k, cy_error *err)
{
    const engine *main = ctx;
    return walk(state, main->roots[k], err);
}

/* The position in roots of each component's tree (tree_pos), for the
 * processes of an MPI run, which share the trees.  0 on OOM. */
static int find_tree_positions(engine *e)
{
    size_t *pos = cy_malloc((e->component_count + 1) * sizeof *pos);
    if (!(e->tree_pos = pos))
        return 0;
    for (size_t cc = 0; cc < e->component_count; cc++)
        pos[cc] = NONE;
    for (size_t k = 0; k < e->root_count; k++)
        pos[e->roots[k]] = k;
    for (size_t cc = 0; cc < e->component_count; cc++) {
        size_t top = cc;
        while (pos[top] == NONE)
            top = e->heir[top];
        for (size_t x = cc; pos[x] == NONE; x = e->heir[x])
            pos[x] = pos[top];
    }
    return 1;
}

/* The impacts of the firms of trees first, first + step, ... and the
 * (demand node, enterprise) pairs this process found, for the others. */
static void pack_trees(void *ctx, size_t first, size_t step, cy_i_pack *out)
{
    const engine *e = ctx;
    size_t count = e->stop_count;
    for (size_t v = 0; v < e->net->enterprise_count; v++)
        if (e->tree_pos[e->comp[v]] % step == first)
            cy_i_pack_put(out, &e->out->impacts[v], sizeof e->out->impacts[v]);
    cy_i_pack_put(out, &count, sizeof count);
    cy_i_pack_put(out, e->stops, count * sizeof *e->stops);
}

static cy_status unpack_trees(void *ctx, size_t first, size_t step, cy_i_unpack *in,
                              cy_error *err)
{
    engine *e = ctx;
    size_t count = 0;
    for (size_t v = 0; v < e->net->enterprise_count; v++)
        if (e->tree_pos[e->comp[v]] % step == first)
            cy_i_unpack_get(in, &e->out->impacts[v], sizeof e->out->impacts[v]);
    cy_i_unpack_get(in, &count, sizeof count);
    if (in->bad || count > (in->size - in->pos) / sizeof *e->stops) {
        in->bad = 1;
        return CY_OK;
    }
    if (!cy_i_grow((void **)&e->stops, &e->stop_capacity, e->stop_count + count,
                   sizeof *e->stops)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    cy_i_unpack_get(in, e->stops + e->stop_count, count * sizeof *e->stops);
    e->stop_count += count;
    return CY_OK;
}

/* Every tree of heirs, on the library's threads (and the processes of an
 * MPI run). */
static cy_status walk_all(engine *e, cy_error *err)
{
    cy_i_par_job par = {0};

    if (cy_i_dist_active()) {
        if (!find_tree_positions(e)) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
            return CY_ENOMEM;
        }
        par.pack = pack_trees;
        par.unpack = unpack_trees;
    }
    par.count = e->root_count;
    par.ctx = e;
    par.worker_init = walker_make;
    par.worker_destroy = walker_free;
    par.item = walker_item;
    par.after = walkers_joined;
    par.progress = cy_i_progress_relay_fn;
    par.what = "single failures";
    par.progress_data = &e->relay;
    return cy_i_par_run(&par, err);
}

static void engine_destroy(engine *e)
{
    cy_i_cascade_destroy(&e->c);
    cy_free(e->g1_offset);
    cy_free(e->g1_target);
    cy_free(e->comp);
    cy_free(e->member_offset);
    cy_free(e->members);
    cy_free(e->heir);
    cy_free(e->child_offset);
    cy_free(e->children);
    cy_free(e->stops);
    cy_free(e->only_customer);
    cy_free(e->roots);
    cy_free(e->tree_pos);
}

/* Report the share of trees done every 4,096 firms' worth of the
 * network, at most every 2 points: a small network reports only 0 and
 * 100. */
static double progress_step(size_t n)
{
    double step = n ? 100.0 * 4096.0 / (double)n : 100.0;
    return step < 2.0 ? 2.0 : step;
}

/* The chokepoint lists, beside the impact ranking (rank_and_list). */
typedef struct {
    const engine *e;
    const size_t *rank;
} chokepoint_job;

static cy_status chokepoints_work(void *arg, cy_error *err)
{
    const chokepoint_job *job = arg;
    return cy_i_build_chokepoints(job->e->net, job->rank, job->e->stops, job->e->stop_count,
                                  job->e->out, err);
}

/* Firms from which the two steps below run at once: a thread's
 * start costs more than the lists of a small network. */
#define PARALLEL_CHOKEPOINT_MIN_FIRMS 16384

/*
 * The walk's two serial conclusions, the impacts ranked and the chokepoint
 * lists: independent (one sorts out->impacts, the other reads the pairs
 * and fills out->chokepoints), so with two threads the lists are built on
 * a helper while this thread sorts; the same answers either way.  Not
 * under failure injection (its count of allocations must not depend on
 * thread timing) nor inside another parallel loop's item.
 */
static cy_status rank_and_list(engine *e, const size_t *rank, cy_error *err)
{
    const cy_network *net = e->net;
    chokepoint_job lists = {e, rank};
    cy_i_beside job;

    cy_i_beside_init(&job, chokepoints_work, &lists);
    cy_i_beside_start(&job, net->enterprise_count >= PARALLEL_CHOKEPOINT_MIN_FIRMS);
    cy_i_rank_impacts(net, -1, rank, e->out->impacts, net->enterprise_count);
    return cy_i_beside_finish(&job, err);
}

void cy_single_failure_options_init(cy_single_failure_options *options)
{
    memset(options, 0, sizeof *options);
}

cy_status cy_single_failures_run(const cy_network *net,
                                 const cy_single_failure_options *options,
                                 cy_single_failures *out, cy_error *err)
{
    return cy_i_single_failures_ranked(net, options, NULL, NULL, out, err);
}

cy_status cy_i_single_failures_ranked(const cy_network *net,
                                      const cy_single_failure_options *options,
                                      const size_t *rank, const cy_i_cascade *index,
                                      cy_single_failures *out, cy_error *err)
{
    size_t n = net->enterprise_count;
    engine e;
    cy_status status;

    cy_library_init();
    memset(out, 0, sizeof *out);
    memset(&e, 0, sizeof e);
    e.net = net;
    e.options = options;
    e.out = out;
    /* 0 first: the caller's clock starts here (cli_progress times a stage
     * from its first report). */
    e.relay = (cy_i_progress_relay){options->progress, options->progress_data,
                                    progress_step(n), 0.0, 0};
    cy_i_progress_relay_fn("single failures", 0.0, &e.relay);
    status = index ? cy_i_cascade_init_borrowed(&e.c, index, err)
                   : cy_i_cascade_init(&e.c, net, options->threshold, err);
    if (status != CY_OK)
        return status;
    out->impacts = cy_calloc(n + 1, sizeof *out->impacts);
    if (!out->impacts || !build_direct_graph(&e) || !find_components(&e) ||
        !choose_heirs(&e) || !list_roots(&e)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
        goto fail;
    }
    out->impact_count = n;
    out->has_rounds = options->rounds;
    if ((status = walk_all(&e, err)) != CY_OK)
        goto fail;
    if ((status = rank_and_list(&e, rank, err)) != CY_OK)
        goto fail;
    cy_i_progress_relay_fn("single failures", 100.0, &e.relay);
    engine_destroy(&e);
    return CY_OK;
fail:
    engine_destroy(&e);
    cy_single_failures_destroy(out);
    return status;
}

cy_status cy_single_failures_compute(const cy_network *net, double threshold,
                                     cy_single_failures *out, cy_error *err)
{
    cy_single_failure_options options;
    cy_single_failure_options_init(&options);
    options.threshold = threshold;
    options.rounds = 1;
    return cy_single_failures_run(net, &options, out, err);
}
