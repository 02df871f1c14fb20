/*
 * load_links.c - the rules over the links as a whole, once every record is
 * read: no (from, to, part) twice, every link's part in its customer's
 * explicit `requires` (with the nearest listed part suggested), the shares
 * of one (customer, part) summing to at most 1, and the warning for a
 * network whose links all carry one part.  A file whose records are valid
 * is checked with the adjacency indexes built anyway; a file with other
 * errors gets the same checks, and the same messages in the same order,
 * from sorts of its own.
 */
#include "load_internal.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Shares of one (customer, part) may sum to this much more than 1: shares
 * written with a few decimals (0.33, 0.33, 0.34) or as thirds add up to 1
 * only within rounding.
 */
#define SHARE_EPSILON 1e-6
/* Links an error about one (customer, part) lists at most. */
#define SHARES_LISTED 8
/* Links a network needs before one part for all of them is a warning. */
#define SINGLE_PART_MIN_FIRMS 10

static int size_t_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : (x > y);
}

/* ---- duplicate links --------------------------------------------------- */

typedef struct {
    size_t from, to, part, link;
} link_triple;

static int link_triple_cmp(const void *a, const void *b)
{
    const link_triple *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    return x->link < y->link ? -1 : (x->link > y->link);
}

/* Report every link that repeats an earlier (from, to, part). */
static void check_duplicate_links(loader *L)
{
    cy_network *net = L->net;
    link_triple *t = cy_malloc((net->link_count + 1) * sizeof *t);
    size_t count = 0;
    if (!t) {
        L->oom = 1;
        return;
    }
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        if (l->from == NO_INDEX || l->to == NO_INDEX || l->part == NO_INDEX)
            continue;
        t[count].from = l->from;
        t[count].to = l->to;
        t[count].part = l->part;
        t[count].link = j;
        count++;
    }
    qsort(t, count, sizeof *t, link_triple_cmp);
    for (size_t k = 1; k < count && !FULL(L); k++) {
        if (t[k].from == t[k - 1].from && t[k].to == t[k - 1].to &&
            t[k].part == t[k - 1].part) {
            char at[PATH_SIZE], a[SHOW_SIZE], b[SHOW_SIZE], p[SHOW_SIZE];
            size_t first = k - 1;
            while (first > 0 && t[first - 1].from == t[k].from &&
                   t[first - 1].to == t[k].to && t[first - 1].part == t[k].part)
                first--;
            cy_l_path_index(at, "$.links", t[k].link);
            ERROR(L, at, "duplicate link %s -> %s for part %s (same as "
                         "$.links[%zu])",
                  cy_l_show(net->enterprises[t[k].from].id, a),
                  cy_l_show(net->enterprises[t[k].to].id, b),
                  cy_l_show(net->parts.strings[t[k].part], p), t[first].link);
        }
    }
    cy_free(t);
}

/*
 * Report duplicate links using net->out_links, which orders each supplier's
 * links by (customer, part, link index): a repeat sits right after the
 * first link with the same (customer, part).  Returns 1 if any was found.
 */
static int report_duplicates_from_index(loader *L)
{
    cy_network *net = L->net;
    int found = 0;
    for (size_t k = 1; k < net->link_count && !FULL(L); k++) {
        const cy_i_link *prev = &net->links[net->out_links[k - 1]];
        const cy_i_link *l = &net->links[net->out_links[k]];
        size_t first = k - 1;
        char at[PATH_SIZE], a[SHOW_SIZE], b[SHOW_SIZE], p[SHOW_SIZE];
        if (prev->from != l->from || prev->to != l->to || prev->part != l->part)
            continue;
        while (first > 0 && net->links[net->out_links[first - 1]].from == l->from &&
               net->links[net->out_links[first - 1]].to == l->to &&
               net->links[net->out_links[first - 1]].part == l->part)
            first--;
        cy_l_path_index(at, "$.links", net->out_links[k]);
        ERROR(L, at, "duplicate link %s -> %s for part %s (same as $.links[%zu])",
              cy_l_show(net->enterprises[l->from].id, a),
              cy_l_show(net->enterprises[l->to].id, b),
              cy_l_show(net->parts.strings[l->part], p), net->out_links[first]);
        found = 1;
    }
    return found;
}

/* ---- parts against explicit requires ----------------------------------- */

/*
 * Every link's part must be in its customer's `requires` when the customer
 * gives one: a part it does not list is most often a typo ("battery_pack"
 * for "battery-pack"), which would silently remove a dependency.  The
 * requires lists are still in file order (the warnings cite positions), so
 * each is copied and sorted for the lookups, and the suggestion is the
 * nearest listed part in file order.
 */
static void check_link_parts(loader *L)
{
    cy_network *net = L->net;
    size_t *offset = cy_malloc((net->enterprise_count + 1) * sizeof *offset);
    size_t *sorted = NULL, total = 0;

    if (!offset)
        goto oom;
    for (size_t c = 0; c < net->enterprise_count; c++) {
        offset[c] = total;
        if (net->enterprises[c].requires_explicit)
            total += net->enterprises[c].requires_count;
    }
    offset[net->enterprise_count] = total;
    if (!(sorted = cy_malloc((total + 1) * sizeof *sorted)))
        goto oom;
    for (size_t c = 0; c < net->enterprise_count; c++) {
        const cy_i_enterprise *e = &net->enterprises[c];
        /* `requires: []` has no array to copy (memcpy from NULL is UB). */
        if (!e->requires_explicit || e->requires_count == 0)
            continue;
        memcpy(sorted + offset[c], e->requires, e->requires_count * sizeof *sorted);
        qsort(sorted + offset[c], e->requires_count, sizeof *sorted, size_t_cmp);
    }
    for (size_t j = 0; j < net->link_count && !FULL(L); j++) {
        const cy_i_link *l = &net->links[j];
        const cy_i_enterprise *e;
        char at[PATH_SIZE], a[SHOW_SIZE], p[SHOW_SIZE], hint[SHOW_SIZE + 32];
        cy_suggester s;
        if (l->to == NO_INDEX || l->part == NO_INDEX)
            continue;
        e = &net->enterprises[l->to];
        if (!e->requires_explicit ||
            bsearch(&l->part, sorted + offset[l->to], e->requires_count,
                    sizeof *sorted, size_t_cmp))
            continue;
        cy_suggester_init(&s, net->parts.strings[l->part], CY_SUGGEST_DISTANCE);
        for (size_t r = 0; r < e->requires_count; r++)
            cy_suggester_offer(&s, net->parts.strings[e->requires[r]]);
        cy_l_path_index(at, "$.links", j);
        cy_l_path_key(at, at, "part");
        ERROR(L, at, "%s does not list part %s in its requires%s",
              cy_l_show(e->id, a), cy_l_show(net->parts.strings[l->part], p),
              cy_l_did_you_mean(cy_suggester_best(&s), hint));
    }
    cy_free(offset);
    cy_free(sorted);
    return;
oom:
    cy_free(offset);
    L->oom = 1;
}

/* ---- shares ------------------------------------------------------------ */

/*
 * One (customer, part) whose links links[0..count) (in any order) carry
 * shares: report it when they sum to more than 1, citing each link in file
 * order.  `links` is scratch the function may reorder.
 */
static void check_share_group(loader *L, size_t *links, size_t count)
{
    cy_network *net = L->net;
    const cy_i_link *first;
    char at[PATH_SIZE], a[SHOW_SIZE], p[SHOW_SIZE], list[SHARES_LISTED * 48 + 32];
    size_t used = 0;
    double sum = 0;

    for (size_t k = 0; k < count; k++)
        sum += net->links[links[k]].share;
    if (sum <= 1 + SHARE_EPSILON)
        return;
    qsort(links, count, sizeof *links, size_t_cmp);
    for (size_t k = 0; k < count && k < SHARES_LISTED; k++) {
        char number[NUMBER_SIZE];
        used += (size_t)snprintf(list + used, sizeof list - used, "%s$.links[%zu] (%s)",
                                 k ? ", " : "", links[k],
                                 cy_l_show_number(net->links[links[k]].share, number));
    }
    if (count > SHARES_LISTED)
        snprintf(list + used, sizeof list - used, " and %zu more",
                 count - SHARES_LISTED);
    first = &net->links[links[0]];
    cy_l_path_index(at, "$.links", links[0]);
    cy_l_path_key(at, at, "share");
    ERROR(L, at, "the shares of part %s delivered to %s sum to %.6g, more than "
          "1: %s", cy_l_show(net->parts.strings[first->part], p),
          cy_l_show(net->enterprises[first->to].id, a), sum, list);
}

/* The groups in the order of in_links: by customer, then part. */
static void check_shares_indexed(loader *L, size_t *scratch)
{
    cy_network *net = L->net;
    for (size_t k = 0; k < net->link_count && !FULL(L);) {
        const cy_i_link *l = &net->links[net->in_links[k]];
        size_t count = 0;
        for (; k < net->link_count; k++) {
            const cy_i_link *next = &net->links[net->in_links[k]];
            if (next->to != l->to || next->part != l->part)
                break;
            if (next->share >= 0)
                scratch[count++] = net->in_links[k];
        }
        check_share_group(L, scratch, count);
    }
}

typedef struct {
    size_t to, part, link;
} share_key;

static int share_key_cmp(const void *a, const void *b)
{
    const share_key *x = a, *y = b;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    if (x->part != y->part) return x->part < y->part ? -1 : 1;
    return x->link < y->link ? -1 : (x->link > y->link);
}

/* The same groups, in the same order, without the index: a sort of the
 * links that carry a share. */
static void check_shares_sorted(loader *L, size_t *scratch)
{
    cy_network *net = L->net;
    share_key *keys = cy_malloc((net->link_count + 1) * sizeof *keys);
    size_t count = 0;
    if (!keys) {
        L->oom = 1;
        return;
    }
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        if (l->to == NO_INDEX || l->part == NO_INDEX || l->share < 0)
            continue;
        keys[count].to = l->to;
        keys[count].part = l->part;
        keys[count++].link = j;
    }
    qsort(keys, count, sizeof *keys, share_key_cmp);
    for (size_t k = 0; k < count && !FULL(L);) {
        size_t group = 0, start = k;
        for (; k < count && keys[k].to == keys[start].to &&
               keys[k].part == keys[start].part; k++)
            scratch[group++] = keys[k].link;
        check_share_group(L, scratch, group);
    }
    cy_free(keys);
}

/* ---- all of them ------------------------------------------------------- */

void cy_l_check_links(loader *L, int indexed)
{
    size_t *scratch;
    if (FULL(L))
        return;
    if (indexed)
        report_duplicates_from_index(L);
    else
        check_duplicate_links(L);
    if (!FULL(L))
        check_link_parts(L);
    if (FULL(L))
        return;
    scratch = cy_malloc((L->net->link_count + 1) * sizeof *scratch);
    if (!scratch) {
        L->oom = 1;
        return;
    }
    if (indexed)
        check_shares_indexed(L, scratch);
    else
        check_shares_sorted(L, scratch);
    cy_free(scratch);
}

/* The (customer, part) group of in_links from `k`: its end, and how
 * many of its links give a share and their sum. */
static size_t share_run(const cy_network *net, size_t k, size_t *given, double *sum,
                        size_t *blank)
{
    const cy_i_link *l = &net->links[net->in_links[k]];
    size_t end = k;
    *given = 0;
    *sum = 0;
    *blank = SIZE_MAX;
    for (; end < net->link_count; end++) {
        const cy_i_link *next = &net->links[net->in_links[end]];
        if (next->to != l->to || next->part != l->part)
            break;
        if (next->share >= 0) {
            (*given)++;
            *sum += next->share;
        } else if (net->in_links[end] < *blank) {
            *blank = net->in_links[end];
        }
    }
    return end;
}

void cy_l_warn_mixed_shares(loader *L)
{
    cy_network *net = L->net;
    char at[PATH_SIZE], a[SHOW_SIZE], p[SHOW_SIZE];

    for (size_t k = 0, end; k < net->link_count; k = end) {
        const cy_i_link *l = &net->links[net->in_links[k]];
        size_t given, blank, count;
        double sum, total;
        end = share_run(net, k, &given, &sum, &blank);
        count = end - k;
        total = sum + (double)(count - given) / (double)count;
        if (given == 0 || given == count || fabs(total - 1) <= SHARE_EPSILON)
            continue;
        cy_l_path_index(at, "$.links", blank);
        WARN(L, at, "part %s delivered to %s: shares given on %zu of its %zu links (%.6g in "
             "all); a link without one counts 1/%zu, so the shares sum to %.6g: give every "
             "link its share, or none", cy_l_show(net->parts.strings[l->part], p),
             cy_l_show(net->enterprises[l->to].id, a), given, count, sum, count, total);
    }
}

void cy_l_warn_single_part(loader *L)
{
    cy_network *net = L->net;
    char p[SHOW_SIZE];
    net->single_part = 0;
    if (net->enterprise_count < SINGLE_PART_MIN_FIRMS || net->link_count == 0 ||
        net->parts.count == 0)
        return;
    for (size_t j = 1; j < net->link_count; j++)
        if (net->links[j].part != net->links[0].part)
            return;
    net->single_part = 1;
    WARN(L, "$.links", "all %zu links carry the same part, %s: part-level "
         "results (single sourcing, concentration, recommendations) are not "
         "meaningful for this network", net->link_count,
         cy_l_show(net->parts.strings[net->links[0].part], p));
}
