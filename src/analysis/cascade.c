/*
 * cascade.c - disruption cascades under the bill-of-materials rule: one
 * cascade (enterprises, a park, a region), every enterprise failing alone
 * with the chokepoints of each demand node, and every group failing as a
 * whole.
 *
 * The rule and its edge cases are stated once, in chengyu.h above
 * CY_CASCADE_EPSILON, and with formulas in docs/analyses.md.  The engine
 * below keeps, for every (customer, required part) pair, how many of its
 * suppliers and how much of its share have been lost; a failed enterprise
 * pushes its loss along its outgoing links only, so a cascade costs the
 * links leaving the enterprises it fails, and resetting it costs the same
 * (an undo list), never a pass over the whole network.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the engine -------------------------------------------------------- */

long cy_i_enterprise_region(const cy_network *net, size_t i)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    if (e->region >= 0)
        return e->region;
    if (e->park >= 0)
        return net->groups[CY_GROUP_PARK][e->park].region;
    return -1;
}

static int threshold_ok(double threshold)
{
    return threshold >= 0.0 && threshold <= 1.0; /* false for NaN too */
}

void cy_i_cascade_destroy(cy_i_cascade *c)
{
    if (!c)
        return;
    if (!c->borrowed) {
        cy_free(c->pair_offset);
        cy_free(c->pair_suppliers);
        cy_free(c->pair_share);
        cy_free(c->link_pair);
        cy_free(c->link_share);
    }
    cy_free(c->lost_count);
    cy_free(c->lost_share);
    cy_free(c->touched);
    cy_free(c->failed);
    cy_free(c->order);
    cy_free(c->order_round);
    memset(c, 0, sizeof *c);
}

/*
 * Match each customer's sorted `requires` against its incoming links, which
 * are sorted by (part, supplier): one merge per customer.  Links of a part
 * the customer does not require (possible when `requires` is explicit) get
 * no pair and so can never make it fail.
 */
static void cascade_index_pairs(cy_i_cascade *c)
{
    const cy_network *net = c->net;
    size_t pair = 0;

    for (size_t v = 0; v < net->enterprise_count; v++) {
        const cy_i_enterprise *e = &net->enterprises[v];
        size_t k = net->in_offset[v], end = net->in_offset[v + 1];
        c->pair_offset[v] = pair;
        for (size_t r = 0; r < e->requires_count; r++, pair++) {
            size_t part = e->requires[r], first;
            while (k < end && net->links[net->in_links[k]].part < part)
                c->link_pair[net->in_links[k++]] = CY_I_NO_PAIR;
            first = k;
            while (k < end && net->links[net->in_links[k]].part == part)
                c->link_pair[net->in_links[k++]] = pair;
            c->pair_suppliers[pair] = k - first;
            c->pair_share[pair] = 0.0;
            for (size_t q = first; q < k; q++) {
                const cy_i_link *l = &net->links[net->in_links[q]];
                double share = l->share >= 0.0 ? l->share
                                                : 1.0 / (double)(k - first);
                c->link_share[net->in_links[q]] = share;
                c->pair_share[pair] += share;
            }
        }
        while (k < end)
            c->link_pair[net->in_links[k++]] = CY_I_NO_PAIR;
    }
    c->pair_offset[net->enterprise_count] = pair;
}

/* The scratch state of an engine (counters, failed flags, order), all
 * clear; 0 on OOM. */
static int cascade_scratch(cy_i_cascade *c)
{
    size_t n = c->net->enterprise_count, pairs = c->pair_count;
    c->lost_count = cy_calloc(pairs + 1, sizeof *c->lost_count);
    c->lost_share = cy_calloc(pairs + 1, sizeof *c->lost_share);
    c->touched = cy_malloc((pairs + 1) * sizeof *c->touched);
    c->failed = cy_calloc(n + 1, sizeof *c->failed);
    c->order = cy_malloc((n + 1) * sizeof *c->order);
    c->order_round = cy_malloc((n + 1) * sizeof *c->order_round);
    return c->lost_count && c->lost_share && c->touched && c->failed && c->order &&
           c->order_round;
}

cy_status cy_i_cascade_init(cy_i_cascade *c, const cy_network *net,
                            double threshold, cy_error *err)
{
    size_t n = net->enterprise_count, m = net->link_count, pairs = 0;

    memset(c, 0, sizeof *c);
    if (!threshold_ok(threshold)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "threshold must be in [0, 1], got %g", threshold);
        return CY_EUSAGE;
    }
    c->net = net;
    c->threshold = threshold;
    for (size_t v = 0; v < n; v++)
        pairs += net->enterprises[v].requires_count;
    c->pair_count = pairs;
    /* +1 keeps every request non-zero, so NULL always means out of memory. */
    c->pair_offset = cy_malloc((n + 1) * sizeof *c->pair_offset);
    c->pair_suppliers = cy_malloc((pairs + 1) * sizeof *c->pair_suppliers);
    c->pair_share = cy_malloc((pairs + 1) * sizeof *c->pair_share);
    c->link_pair = cy_malloc((m + 1) * sizeof *c->link_pair);
    c->link_share = cy_calloc(m + 1, sizeof *c->link_share);
    if (!c->pair_offset || !c->pair_suppliers || !c->pair_share ||
        !c->link_pair || !c->link_share || !cascade_scratch(c)) {
        cy_i_cascade_destroy(c);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    cascade_index_pairs(c);
    return CY_OK;
}

cy_status cy_i_cascade_init_borrowed(cy_i_cascade *c, const cy_i_cascade *index,
                                     cy_error *err)
{
    memset(c, 0, sizeof *c);
    c->net = index->net;
    c->threshold = index->threshold;
    c->pair_count = index->pair_count;
    c->pair_offset = index->pair_offset;
    c->pair_suppliers = index->pair_suppliers;
    c->pair_share = index->pair_share;
    c->link_pair = index->link_pair;
    c->link_share = index->link_share;
    c->borrowed = 1;
    if (cascade_scratch(c))
        return CY_OK;
    cy_i_cascade_destroy(c);
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

cy_status cy_i_cascade_worker_make(const cy_i_cascade *index, void **state, cy_error *err)
{
    cy_i_cascade *c = cy_malloc(sizeof *c);
    cy_status status;
    *state = c;
    if (!c) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    status = cy_i_cascade_init_borrowed(c, index, err);
    if (status != CY_OK) {
        cy_free(c);
        *state = NULL;
    }
    return status;
}

void cy_i_cascade_worker_free(void *state)
{
    cy_i_cascade_destroy(state);
    cy_free(state);
}

void cy_i_cascade_fail(cy_i_cascade *c, size_t v, size_t round)
{
    const cy_i_enterprise *e = &c->net->enterprises[v];
    c->failed[v] = 1;
    c->order[c->order_count] = v;
    c->order_round[c->order_count++] = round;
    c->output_lost += e->output_value;
    c->final_demand_lost += cy_enterprise_final_demand(c->net, v);
    c->demand_failed += (size_t)cy_enterprise_is_demand_node(c->net, v);
    if (e->kind == CY_KIND_OEM) {
        c->oem_output_lost += e->output_value;
        c->oem_failed++;
    }
}

int cy_i_cascade_seed(cy_i_cascade *c, size_t v)
{
    if (c->failed[v])
        return 0;
    cy_i_cascade_fail(c, v, 0);
    return 1;
}

int cy_i_pair_stops(const cy_i_cascade *c, size_t p)
{
    if (c->lost_count[p] == c->pair_suppliers[p])
        return 1;
    return c->threshold > 0.0 &&
           c->pair_share[p] - c->lost_share[p] <
               c->threshold - CY_CASCADE_EPSILON;
}

/*
 * Breadth-first over `order`: an enterprise discovered while its supplier
 * of round r is processed fails in round r + 1.  Every enterprise of round
 * r is processed before any of round r + 1 (they are appended behind), and
 * a pair's counters only grow, so the rounds are exactly those of the
 * synchronous rule, and the loop ends because each enterprise enters
 * `order` at most once, cycles or not.
 */
void cy_i_cascade_propagate(cy_i_cascade *c)
{
    const cy_network *net = c->net;

    while (c->head < c->order_count) {
        size_t f = c->order[c->head], round = c->order_round[c->head];
        c->head++;
        for (size_t k = net->out_offset[f]; k < net->out_offset[f + 1]; k++) {
            size_t j = net->out_links[k], p = c->link_pair[j];
            size_t customer = net->links[j].to;
            if (p == CY_I_NO_PAIR || c->failed[customer])
                continue;
            if (c->lost_count[p]++ == 0)
                c->touched[c->touched_count++] = p;
            c->lost_share[p] += c->link_share[j];
            if (cy_i_pair_stops(c, p))
                cy_i_cascade_fail(c, customer, round + 1);
        }
    }
}

void cy_i_cascade_reset(cy_i_cascade *c)
{
    for (size_t k = 0; k < c->touched_count; k++) {
        c->lost_count[c->touched[k]] = 0;
        c->lost_share[c->touched[k]] = 0.0;
    }
    for (size_t k = 0; k < c->order_count; k++)
        c->failed[c->order[k]] = 0;
    c->touched_count = 0;
    c->order_count = 0;
    c->head = 0;
    c->output_lost = 0.0;
    c->oem_output_lost = 0.0;
    c->oem_failed = 0;
    c->final_demand_lost = 0.0;
    c->demand_failed = 0;
}

/* ---- one cascade ------------------------------------------------------- */

void cy_cascade_result_destroy(cy_cascade_result *result)
{
    if (!result)
        return;
    cy_free(result->initial);
    cy_free(result->failed);
    cy_free(result->failed_round);
    cy_free(result->by_park);
    cy_free(result->by_region);
    cy_free(result->gaps);
    cy_free(result->fraction);
    cy_free(result->reduced);
    memset(result, 0, sizeof *result);
}

const char *cy_cascade_model_name(int model)
{
    return model == CY_CASCADE_FRACTIONAL ? "fractional" : "threshold";
}

static int index_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : (x > y);
}

/* Count enterprise v, which lost `lost` of its output (1: failed), in a
 * group's loss. */
static void group_loss_add(cy_group_loss *loss, const cy_network *net, size_t v,
                           double lost)
{
    int failed = lost >= 1.0;
    loss->failed_count += (size_t)failed;
    loss->output_value_lost += net->enterprises[v].output_value * lost;
    loss->final_demand_lost += cy_enterprise_final_demand(net, v) * lost;
    loss->demand_nodes_failed +=
        (size_t)(failed && cy_enterprise_is_demand_node(net, v));
}

static void group_losses_add(cy_cascade_result *result, const cy_network *net,
                             size_t v, double lost)
{
    long park = net->enterprises[v].park, region = cy_i_enterprise_region(net, v);
    if (park >= 0)
        group_loss_add(&result->by_park[park], net, v, lost);
    if (region >= 0)
        group_loss_add(&result->by_region[region], net, v, lost);
}

static _Thread_local const double *sort_fraction; /* qsort has no context (see below) */

static int reduced_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_fraction[x] != sort_fraction[y])
        return sort_fraction[x] < sort_fraction[y] ? -1 : 1;
    return x < y ? -1 : (x > y);
}

/*
 * The losses of a fractional run: every enterprise loses 1 - f of its
 * output and final demand, in index order; `reduced` lists those with
 * 0 < f < 1.
 */
static void collect_fractions(const cy_network *net, cy_cascade_result *result)
{
    const double *f = result->fraction;

    result->output_value_lost = 0.0;
    result->final_demand_lost = 0.0;
    for (size_t v = 0; v < net->enterprise_count; v++) {
        double lost = 1.0 - f[v];
        if (lost <= 0.0)
            continue;
        result->output_value_lost += net->enterprises[v].output_value * lost;
        result->final_demand_lost += cy_enterprise_final_demand(net, v) * lost;
        group_losses_add(result, net, v, lost);
        if (f[v] > 0.0)
            result->reduced[result->reduced_count++] = v;
    }
    sort_fraction = f;
    qsort(result->reduced, result->reduced_count, sizeof *result->reduced,
          reduced_cmp);
}

/* Copy the engine's state after a propagation into `result`; `fraction`
 * (n entries, taken over) holds a fractional run's fractions, or NULL for
 * a threshold run. */
static cy_status cascade_collect(const cy_i_cascade *c, size_t initial_count,
                                 double *fraction, cy_cascade_result *result,
                                 cy_error *err)
{
    const cy_network *net = c->net;
    size_t n = net->enterprise_count, gaps = 0;

    for (size_t p = 0; p < c->pair_count; p++)
        gaps += (c->pair_suppliers[p] == 0);
    result->initial = cy_malloc((initial_count + 1) * sizeof *result->initial);
    result->failed = cy_malloc((c->order_count + 1) * sizeof *result->failed);
    result->failed_round =
        cy_malloc((c->order_count + 1) * sizeof *result->failed_round);
    result->by_park = cy_calloc(net->group_count[CY_GROUP_PARK] + 1,
                                sizeof *result->by_park);
    result->by_region = cy_calloc(net->group_count[CY_GROUP_REGION] + 1,
                                  sizeof *result->by_region);
    result->gaps = cy_malloc((gaps + 1) * sizeof *result->gaps);
    result->fraction = fraction ? fraction : cy_malloc((n + 1) * sizeof *fraction);
    result->reduced = cy_malloc((n + 1) * sizeof *result->reduced);
    result->model = fraction ? CY_CASCADE_FRACTIONAL : CY_CASCADE_THRESHOLD;
    if (!result->initial || !result->failed || !result->failed_round ||
        !result->by_park || !result->by_region || !result->gaps ||
        !result->fraction || !result->reduced) {
        cy_cascade_result_destroy(result);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    memcpy(result->initial, c->order, initial_count * sizeof *c->order);
    result->initial_count = initial_count;
    memcpy(result->failed, c->order, c->order_count * sizeof *c->order);
    memcpy(result->failed_round, c->order_round,
           c->order_count * sizeof *c->order_round);
    result->failed_count = c->order_count;
    /* Rounds after the first are sorted by index: within a round the
     * discovery order is an accident of the adjacency order. */
    for (size_t k = initial_count; k < c->order_count;) {
        size_t end = k;
        while (end < c->order_count &&
               c->order_round[end] == c->order_round[k])
            end++;
        qsort(result->failed + k, end - k, sizeof *result->failed, index_cmp);
        k = end;
    }
    result->rounds = c->order_count ? c->order_round[c->order_count - 1] : 0;
    result->output_value_lost = c->output_lost;
    result->final_demand_lost = c->final_demand_lost;
    result->demand_nodes_failed = c->demand_failed;
    result->final_demand_total = cy_network_final_demand_total(net);
    for (size_t v = 0; v < n; v++)
        result->output_value_total += net->enterprises[v].output_value;
    if (fraction) {
        collect_fractions(net, result);
    } else {
        for (size_t v = 0; v < n; v++)
            result->fraction[v] = c->failed[v] ? 0.0 : 1.0;
        for (size_t k = 0; k < c->order_count; k++)
            group_losses_add(result, net, c->order[k], 1.0);
    }
    for (size_t v = 0; v < n; v++) {
        const cy_i_enterprise *e = &net->enterprises[v];
        for (size_t r = 0; r < e->requires_count; r++) {
            if (c->pair_suppliers[c->pair_offset[v] + r] == 0) {
                result->gaps[result->gap_count].enterprise = v;
                result->gaps[result->gap_count++].part = e->requires[r];
            }
        }
    }
    return CY_OK;
}

cy_status cy_cascade_run(const cy_network *net, const size_t *initial,
                         size_t count, double threshold,
                         cy_cascade_result *result, cy_error *err)
{
    cy_i_cascade c;
    size_t seeded = 0;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    for (size_t k = 0; k < count; k++) {
        if (initial[k] >= net->enterprise_count) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "enterprise index %zu out of range (%zu enterprises)",
                         initial[k], net->enterprise_count);
            return CY_EUSAGE;
        }
    }
    if ((status = cy_i_cascade_init(&c, net, threshold, err)) != CY_OK)
        return status;
    for (size_t k = 0; k < count; k++)
        seeded += (size_t)cy_i_cascade_seed(&c, initial[k]);
    cy_i_cascade_propagate(&c);
    status = cascade_collect(&c, seeded, NULL, result, err);
    cy_i_cascade_destroy(&c);
    return status;
}

/* The checks of a shock that need no engine; CY_OK or CY_EUSAGE. */
static cy_status shock_check(const cy_network *net, const cy_shock *shock,
                             cy_error *err)
{
    size_t n = net->enterprise_count;

    if (shock->model != CY_CASCADE_THRESHOLD && shock->model != CY_CASCADE_FRACTIONAL) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown cascade model %d", shock->model);
        return CY_EUSAGE;
    }
    for (size_t k = 0; k < shock->fail_count; k++) {
        if (shock->fail[k] >= n) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "enterprise index %zu out of range (%zu enterprises)",
                         shock->fail[k], n);
            return CY_EUSAGE;
        }
    }
    for (size_t k = 0; k < shock->degrade_count; k++) {
        const cy_degrade *d = &shock->degrade[k];
        if (d->enterprise >= n) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "enterprise index %zu out of range (%zu enterprises)",
                         d->enterprise, n);
            return CY_EUSAGE;
        }
        if (!(d->capacity_left >= 0.0 && d->capacity_left <= 1.0)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "capacity left of \"%s\" must be in [0, 1], got %g",
                         net->enterprises[d->enterprise].id, d->capacity_left);
            return CY_EUSAGE;
        }
        if (shock->model == CY_CASCADE_THRESHOLD && d->capacity_left > 0.0 &&
            d->capacity_left < 1.0) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "\"%s\" keeps %g of its capacity: partial capacity needs "
                         "the fractional model",
                         net->enterprises[d->enterprise].id, d->capacity_left);
            return CY_EUSAGE;
        }
    }
    return CY_OK;
}

/* A threshold run of a shock: its degradations are 0 or 1 (checked). */
static size_t threshold_seed(cy_i_cascade *c, const cy_shock *shock)
{
    size_t seeded = 0;
    for (size_t k = 0; k < shock->fail_count; k++)
        seeded += (size_t)cy_i_cascade_seed(c, shock->fail[k]);
    for (size_t k = 0; k < shock->degrade_count; k++) {
        if (shock->degrade[k].capacity_left <= 0.0)
            seeded += (size_t)cy_i_cascade_seed(c, shock->degrade[k].enterprise);
    }
    return seeded;
}

cy_status cy_cascade_run_shock(const cy_network *net, const cy_shock *shock,
                               cy_cascade_result *result, cy_error *err)
{
    cy_i_cascade c;
    double *fraction = NULL;
    size_t seeded;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    if ((status = shock_check(net, shock, err)) != CY_OK)
        return status;
    if ((status = cy_i_cascade_init(&c, net, shock->threshold, err)) != CY_OK)
        return status;
    if (shock->model == CY_CASCADE_FRACTIONAL) {
        fraction = cy_malloc((net->enterprise_count + 1) * sizeof *fraction);
        seeded = fraction ? cy_i_fraction_run(&c, shock, fraction) : SIZE_MAX;
        if (seeded == SIZE_MAX) {
            cy_free(fraction);
            cy_i_cascade_destroy(&c);
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
            return CY_ENOMEM;
        }
    } else {
        seeded = threshold_seed(&c, shock);
        cy_i_cascade_propagate(&c);
    }
    status = cascade_collect(&c, seeded, fraction, result, err);
    cy_i_cascade_destroy(&c);
    return status;
}

int cy_i_group_members(const cy_network *net, cy_group_kind kind,
                         size_t **offset_out, size_t **members_out)
{
    size_t groups = net->group_count[kind], n = net->enterprise_count;
    size_t total = 0, *offset, *members, *fill;

    for (size_t v = 0; v < n; v++)
        total += kind == CY_GROUP_CLUSTER ? net->enterprises[v].cluster_count
                 : kind == CY_GROUP_PARK  ? (net->enterprises[v].park >= 0)
                                          : (cy_i_enterprise_region(net, v) >= 0);
    offset = cy_calloc(groups + 2, sizeof *offset);
    members = cy_malloc((total + 1) * sizeof *members);
    fill = cy_malloc((groups + 1) * sizeof *fill);
    if (!offset || !members || !fill) {
        cy_free(offset);
        cy_free(members);
        cy_free(fill);
        return 0;
    }
    /* Two passes over the same membership test: count, then place. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t v = 0; v < n; v++) {
            const cy_i_enterprise *e = &net->enterprises[v];
            long single = kind == CY_GROUP_PARK ? e->park
                                                : cy_i_enterprise_region(net, v);
            size_t many = kind == CY_GROUP_CLUSTER ? e->cluster_count
                                                   : (single >= 0);
            for (size_t q = 0; q < many; q++) {
                size_t g = kind == CY_GROUP_CLUSTER ? e->clusters[q]
                                                    : (size_t)single;
                if (pass == 0)
                    offset[g + 1]++;
                else
                    members[fill[g]++] = v;
            }
        }
        if (pass == 0) {
            for (size_t g = 0; g < groups; g++)
                offset[g + 1] += offset[g];
            memcpy(fill, offset, groups * sizeof *fill);
        }
    }
    cy_free(fill);
    *offset_out = offset;
    *members_out = members;
    return 1;
}

cy_status cy_cascade_run_group(const cy_network *net, cy_group_kind kind,
                               size_t group, double threshold,
                               cy_cascade_result *result, cy_error *err)
{
    size_t *offset = NULL, *members = NULL;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    if ((unsigned)kind >= CY_GROUP_KIND_COUNT ||
        group >= net->group_count[kind]) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s index %zu out of range",
                     cy_group_kind_name(kind), group);
        return CY_EUSAGE;
    }
    if (!cy_i_group_members(net, kind, &offset, &members)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    status = cy_cascade_run(net, members + offset[group],
                            offset[group + 1] - offset[group], threshold,
                            result, err);
    cy_free(offset);
    cy_free(members);
    return status;
}

/* ---- all single failures, group failures ------------------------------ */

void cy_single_failures_destroy(cy_single_failures *sf)
{
    if (!sf)
        return;
    for (size_t k = 0; k < sf->chokepoint_count; k++)
        cy_free(sf->chokepoints[k].enterprises);
    cy_free(sf->chokepoints);
    cy_free(sf->impacts);
    memset(sf, 0, sizeof *sf);
}

/* qsort has no context argument; the comparators below read the network
 * (for ids) and the kind of the ranked objects from here, one copy per
 * thread, so that analyses may sort on several threads at once. */
static _Thread_local const cy_network *sort_net;
static _Thread_local int sort_group_kind = -1; /* -1: enterprises */
/* The id ranks of the ranked objects when the caller has them (NULL:
 * compare the ids): integers in the same order, no string walks. */
static _Thread_local const size_t *sort_rank;

/* Ids a and b (of the ranked kind) compared: by rank when known. */
static int id_cmp(size_t a, size_t b)
{
    if (sort_rank)
        return sort_rank[a] < sort_rank[b] ? -1 : sort_rank[a] > sort_rank[b];
    return strcmp(sort_group_kind < 0 ? sort_net->enterprises[a].id
                                      : sort_net->groups[sort_group_kind][a].id,
                  sort_group_kind < 0 ? sort_net->enterprises[b].id
                                      : sort_net->groups[sort_group_kind][b].id);
}

/* Final demand lost, then demand nodes failed, then firms failed, all
 * descending; then id.  Never by nothing: a network without any value
 * still ranks by what stops. */
static int impact_cmp(const void *a, const void *b)
{
    const cy_impact *x = a, *y = b;
    if (x->final_demand_lost != y->final_demand_lost)
        return x->final_demand_lost > y->final_demand_lost ? -1 : 1;
    if (x->demand_nodes_failed != y->demand_nodes_failed)
        return x->demand_nodes_failed > y->demand_nodes_failed ? -1 : 1;
    if (x->failed_count != y->failed_count)
        return x->failed_count > y->failed_count ? -1 : 1;
    return id_cmp(x->index, y->index);
}

/* Enterprises (sort_group_kind -1) by id. */
static int enterprise_id_cmp(const void *a, const void *b)
{
    return id_cmp(*(const size_t *)a, *(const size_t *)b);
}

void cy_i_rank_impacts(const cy_network *net, int group_kind, const size_t *rank,
                       cy_impact *impacts, size_t count)
{
    sort_net = net;
    sort_group_kind = group_kind;
    sort_rank = rank;
    qsort(impacts, count, sizeof *impacts, impact_cmp);
    sort_rank = NULL;
}

/*
 * The enterprises in ascending id order: from the ranks when the caller
 * has them (O(n)), else one sort by id.  NULL on OOM.
 */
static size_t *enterprises_by_id(const cy_network *net, const size_t *rank)
{
    size_t n = net->enterprise_count;
    size_t *order = cy_malloc((n + 1) * sizeof *order);

    if (!order)
        return NULL;
    if (rank) {
        for (size_t v = 0; v < n; v++)
            order[rank[v]] = v;
        return order;
    }
    for (size_t v = 0; v < n; v++)
        order[v] = v;
    sort_net = net;
    sort_group_kind = -1;
    sort_rank = NULL;
    qsort(order, n, sizeof *order, enterprise_id_cmp);
    return order;
}

/*
 * Turn the (node, enterprise) pairs into one sorted entry per demand node,
 * by id.  No comparison sort per node: the pairs are bucketed by
 * enterprise (a counting sort), and the enterprises walked once in id
 * order append themselves to the lists of the nodes they stop, so every
 * list comes out in id order in O(pairs + n).  A national weak-links run
 * has millions of pairs, and their per-node sorts were a serial quarter
 * second (docs/performance.md).  The demand nodes come in id order the
 * same way.
 */
cy_status cy_i_build_chokepoints(const cy_network *net, const size_t *rank,
                                 size_t (*stops)[2], size_t stop_count,
                                 cy_single_failures *out, cy_error *err)
{
    size_t n = net->enterprise_count, oems = 0, *slot = NULL, *order = NULL;
    size_t *by_firm = NULL, *node_slot = NULL;

    slot = cy_malloc((n + 1) * sizeof *slot);
    by_firm = cy_calloc(n + 2, sizeof *by_firm);
    node_slot = cy_malloc((stop_count + 1) * sizeof *node_slot);
    if (!slot || !by_firm || !node_slot || !(order = enterprises_by_id(net, rank)))
        goto oom;
    for (size_t v = 0; v < n; v++)
        oems += (size_t)cy_enterprise_is_demand_node(net, v);
    out->chokepoints = cy_calloc(oems + 1, sizeof *out->chokepoints);
    if (!out->chokepoints)
        goto oom;
    for (size_t k = 0; k < n; k++) {
        size_t v = order[k];
        if (cy_enterprise_is_demand_node(net, v)) {
            slot[v] = out->chokepoint_count;
            out->chokepoints[out->chokepoint_count++].oem = v;
        }
    }
    /* by_firm[e + 1] counts e's pairs, then by_firm[e] is where they start
     * in node_slot. */
    for (size_t k = 0; k < stop_count; k++) {
        out->chokepoints[slot[stops[k][0]]].count++;
        by_firm[stops[k][1] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        by_firm[v + 1] += by_firm[v];
    for (size_t k = 0; k < stop_count; k++)
        node_slot[by_firm[stops[k][1]]++] = slot[stops[k][0]];
    for (size_t k = 0; k < oems; k++) {
        out->chokepoints[k].enterprises = cy_malloc(
            (out->chokepoints[k].count + 1) * sizeof(size_t));
        if (!out->chokepoints[k].enterprises)
            goto oom;
        out->chokepoints[k].count = 0;
    }
    /* After the fill above by_firm[e] is where e's pairs end, by_firm[e - 1]
     * where they start. */
    for (size_t k = 0; k < n; k++) {
        size_t v = order[k];
        for (size_t q = v ? by_firm[v - 1] : 0; q < by_firm[v]; q++) {
            cy_chokepoint *cp = &out->chokepoints[node_slot[q]];
            cp->enterprises[cp->count++] = v;
        }
    }
    cy_free(slot);
    cy_free(by_firm);
    cy_free(node_slot);
    cy_free(order);
    return CY_OK;
oom:
    cy_free(slot);
    cy_free(by_firm);
    cy_free(node_slot);
    cy_free(order);
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

void cy_i_progress_relay_fn(const char *what, double percent, void *data)
{
    cy_i_progress_relay *r = data;
    if (!r->fn || (r->started && (percent == r->last ||
                                  (percent < 100.0 && percent - r->last < r->step))))
        return;
    r->started = 1;
    r->last = percent;
    r->fn(what, percent, r->data);
}

void cy_group_impact_options_init(cy_group_impact_options *options)
{
    memset(options, 0, sizeof *options);
}

void cy_i_cascade_group(cy_i_cascade *c, const size_t *members, size_t count,
                        size_t index, cy_impact *row)
{
    for (size_t k = 0; k < count; k++)
        cy_i_cascade_seed(c, members[k]);
    cy_i_cascade_propagate(c);
    row->index = index;
    row->failed_count = c->order_count;
    row->rounds = c->order_count ? c->order_round[c->order_count - 1] : 0;
    row->output_value_lost = c->output_lost;
    row->final_demand_lost = c->final_demand_lost;
    row->demand_nodes_failed = c->demand_failed;
}

/* The group failures of cy_group_impacts_run as a parallel loop: item g
 * fails group g's members on its worker's engine and writes impacts[g]. */
typedef struct {
    const cy_i_cascade *index;
    const size_t *offset, *members;
    cy_impact *impacts;
} group_job;

static cy_status group_worker_init(void *ctx, void **state, cy_error *err)
{
    const group_job *job = ctx;
    return cy_i_cascade_worker_make(job->index, state, err);
}

static void group_worker_destroy(void *ctx, void *state)
{
    (void)ctx;
    cy_i_cascade_worker_free(state);
}

static cy_status group_item(void *ctx, void *state, size_t g, cy_error *err)
{
    const group_job *job = ctx;
    cy_i_cascade *c = state;
    cy_impact *impact = &job->impacts[g];

    (void)err;
    cy_i_cascade_group(c, job->members + job->offset[g], job->offset[g + 1] - job->offset[g],
                       g, impact);
    cy_i_cascade_reset(c);
    return CY_OK;
}

cy_status cy_group_impacts_run(const cy_network *net, cy_group_kind kind,
                               const cy_group_impact_options *options,
                               cy_impact **impacts, size_t *count, cy_error *err)
{
    return cy_i_group_impacts_indexed(net, kind, options, NULL, impacts, count, err);
}

cy_status cy_i_group_impacts_indexed(const cy_network *net, cy_group_kind kind,
                                     const cy_group_impact_options *options,
                                     const cy_i_cascade *index, cy_impact **impacts,
                                     size_t *count, cy_error *err)
{
    static const char *const what[CY_GROUP_KIND_COUNT] = {
        [CY_GROUP_REGION] = "region failures", [CY_GROUP_CLUSTER] = "cluster failures",
        [CY_GROUP_PARK] = "park failures"};
    size_t groups, *offset = NULL, *members = NULL;
    cy_i_cascade c;
    cy_i_par_job par = {0};
    cy_i_progress_relay relay = {options->progress, options->progress_data, 0.1, 0.0, 0};
    group_job job;
    cy_status status;

    cy_library_init();
    *impacts = NULL;
    *count = 0;
    if ((unsigned)kind >= CY_GROUP_KIND_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown group kind %d", (int)kind);
        return CY_EUSAGE;
    }
    groups = net->group_count[kind];
    status = index ? cy_i_cascade_init_borrowed(&c, index, err)
                   : cy_i_cascade_init(&c, net, options->threshold, err);
    if (status != CY_OK)
        return status;
    *impacts = cy_calloc(groups + 1, sizeof **impacts);
    if (!*impacts || !cy_i_group_members(net, kind, &offset, &members)) {
        status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto cleanup;
    }
    job = (group_job){&c, offset, members, *impacts};
    par.count = groups;
    par.ctx = &job;
    par.worker_init = group_worker_init;
    par.worker_destroy = group_worker_destroy;
    par.item = group_item;
    par.slots = *impacts;
    par.slot_size = sizeof **impacts;
    par.progress = cy_i_progress_relay_fn;
    par.what = what[kind];
    par.progress_data = &relay;
    if ((status = cy_i_par_run(&par, err)) != CY_OK)
        goto cleanup;
    cy_i_rank_impacts(net, (int)kind, NULL, *impacts, groups);
    *count = groups;
cleanup:
    if (status != CY_OK) {
        cy_free(*impacts);
        *impacts = NULL;
    }
    cy_free(offset);
    cy_free(members);
    cy_i_cascade_destroy(&c);
    return status;
}

cy_status cy_group_impacts_compute(const cy_network *net, cy_group_kind kind,
                                   double threshold, cy_impact **impacts,
                                   size_t *count, cy_error *err)
{
    cy_group_impact_options options;
    cy_group_impact_options_init(&options);
    options.threshold = threshold;
    return cy_group_impacts_run(net, kind, &options, impacts, count, err);
}
