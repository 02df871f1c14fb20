/*
 * cascade_fraction.c - the fractional cascade model: every enterprise has
 * an output fraction, a degraded supplier passes its reduction on to its
 * customers in proportion to its share, and a customer whose fraction falls
 * below the threshold fails (chengyu_analysis.h above cy_cascade_model,
 * docs/analyses.md "Partial capacity: the fractional model").
 *
 * It reuses the threshold engine's index (pairs, effective shares, the
 * failure order and rounds) and adds a fraction per firm.  Fractions only
 * fall, so a customer's new fraction is the minimum of its old one and the
 * supply of the one pair that just changed: O(1) per link.  A firm is in
 * the queue at most once at a time; when it is taken out it passes on the
 * fall since it last passed one (`sent`), so no change is lost or counted
 * twice.  The queue is first in, first out and holds the rounds in
 * order, which makes the rounds those of the threshold engine: a firm
 * reduced while its supplier of round r is processed falls in round r + 1
 * and passes that fall on in round r + 1 (a firm that falls again in a
 * later round while it waits goes back to the end of the queue).
 */
#include "internal.h"

#include <string.h>

typedef struct {
    cy_i_cascade *c;
    double *f;              /* fraction now, n */
    double *sent;           /* fraction last passed on, n */
    unsigned char *queued;  /* n */
    size_t *due;            /* round of the firm's last fall, n */
    unsigned *passes;       /* partial falls passed on, n */
    size_t *queue, *queue_round; /* ring of n + 1 slots */
    size_t head, length, cap;
} fraction_state;

static void state_destroy(fraction_state *s)
{
    cy_free(s->sent);
    cy_free(s->queued);
    cy_free(s->due);
    cy_free(s->passes);
    cy_free(s->queue);
    cy_free(s->queue_round);
}

static int state_init(fraction_state *s, cy_i_cascade *c, double *fraction)
{
    size_t n = c->net->enterprise_count;

    memset(s, 0, sizeof *s);
    s->c = c;
    s->f = fraction;
    s->cap = n + 1;
    s->sent = cy_malloc((n + 1) * sizeof *s->sent);
    s->queued = cy_calloc(n + 1, sizeof *s->queued);
    s->due = cy_calloc(n + 1, sizeof *s->due);
    s->passes = cy_calloc(n + 1, sizeof *s->passes);
    s->queue = cy_malloc(s->cap * sizeof *s->queue);
    s->queue_round = cy_malloc(s->cap * sizeof *s->queue_round);
    if (!s->sent || !s->queued || !s->due || !s->passes || !s->queue || !s->queue_round) {
        state_destroy(s);
        return 0;
    }
    for (size_t v = 0; v < n; v++)
        s->f[v] = s->sent[v] = 1.0;
    return 1;
}

/* Queue v for round `round` unless it is already waiting. */
static void enqueue(fraction_state *s, size_t v, size_t round)
{
    size_t slot;
    if (s->queued[v])
        return;
    s->queued[v] = 1;
    slot = (s->head + s->length++) % s->cap;
    s->queue[slot] = v;
    s->queue_round[slot] = round;
}

/* Whether fraction x stops a firm: nothing left, or below the threshold. */
static int fraction_fails(const cy_i_cascade *c, double x)
{
    return x <= 0.0 ||
           (c->threshold > 0.0 && x < c->threshold - CY_CASCADE_EPSILON);
}

/* Lower v's fraction to x (a no-op unless lower), failing it in `round`
 * when x stops it, and queue it to pass the fall on. */
static void lower(fraction_state *s, size_t v, double x, size_t round)
{
    if (x >= s->f[v] || s->c->failed[v])
        return;
    s->f[v] = x;
    s->due[v] = round;
    if (fraction_fails(s->c, x)) {
        s->f[v] = 0.0;
        cy_i_cascade_fail(s->c, v, round);
    }
    enqueue(s, v, round);
}

/*
 * Pass v's fall from `before` to its fraction now along its outgoing
 * links.  A pair's lost share grows by share x fall, so a full failure
 * adds exactly the share, as in the threshold engine; the pair's supply
 * is its total share minus what it lost, capped at 1, or 0 when every
 * supplier has failed.
 */
static void pass_on(fraction_state *s, size_t v, double before, size_t round)
{
    cy_i_cascade *c = s->c;
    const cy_network *net = c->net;
    double fall = before - s->f[v];

    for (size_t k = net->out_offset[v]; k < net->out_offset[v + 1]; k++) {
        size_t j = net->out_links[k], p = c->link_pair[j];
        size_t customer = net->links[j].to;
        double supply;
        if (p == CY_I_NO_PAIR || c->failed[customer])
            continue;
        c->lost_share[p] += c->link_share[j] * fall;
        c->lost_count[p] += (size_t)(s->f[v] <= 0.0);
        supply = c->lost_count[p] == c->pair_suppliers[p]
                     ? 0.0 : c->pair_share[p] - c->lost_share[p];
        lower(s, customer, supply < 1.0 ? supply : 1.0, round + 1);
    }
}

static void propagate(fraction_state *s)
{
    while (s->length) {
        size_t v = s->queue[s->head], round = s->queue_round[s->head];
        double before = s->sent[v];
        s->head = (s->head + 1) % s->cap;
        s->length--;
        s->queued[v] = 0;
        /* Fallen again, in a later round, while waiting: the fall goes
         * out in that round, behind the entries of this one. */
        if (s->due[v] > round) {
            enqueue(s, v, s->due[v]);
            continue;
        }
        /* The first fall always goes out (a pair none of whose suppliers
         * fell keeps supply 1, so the first fall changes it in a jump);
         * later ones only when they exceed the tolerance and the firm has
         * not yet passed CY_CASCADE_MAX_PASSES partial falls, which bounds
         * a partly self-feeding cycle's geometric approach to its limit.
         * A failure always goes out. */
        if (before - s->f[v] <= 0.0 ||
            (before < 1.0 && s->f[v] > 0.0 &&
             (before - s->f[v] < CY_CASCADE_TOLERANCE ||
              s->passes[v] >= CY_CASCADE_MAX_PASSES)))
            continue;
        s->passes[v] += s->f[v] > 0.0;
        s->sent[v] = s->f[v];
        pass_on(s, v, before, round);
    }
}

size_t cy_i_fraction_run(cy_i_cascade *c, const cy_shock *shock, double *fraction)
{
    fraction_state s;
    size_t seeded;

    if (!state_init(&s, c, fraction))
        return SIZE_MAX;
    for (size_t k = 0; k < shock->fail_count; k++)
        lower(&s, shock->fail[k], 0.0, 0);
    for (size_t k = 0; k < shock->degrade_count; k++)
        lower(&s, shock->degrade[k].enterprise, shock->degrade[k].capacity_left, 0);
    seeded = c->order_count;
    propagate(&s);
    state_destroy(&s);
    return seeded;
}
