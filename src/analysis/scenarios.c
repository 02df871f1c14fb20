/*
 * scenarios.c - every scenario of a scenario file run against the network:
 * its combined shock (cy_cascade_run_shock) on the network its mitigations
 * made, and, for a scenario with mitigations, the weak-link report of that
 * network compared with the baseline's (the network as given): which
 * register rows, single-source pairs and chokepoints it removed and which
 * it created.  The two networks have different indices, so weak links are
 * matched by their ids.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void change_destroy(cy_sc_change *c)
{
    cy_free(c->removed);
    cy_free(c->added);
}

void cy_scenarios_result_destroy(cy_scenarios_result *result)
{
    if (!result)
        return;
    for (size_t k = 0; k < result->count; k++) {
        cy_scenario_outcome *o = &result->items[k];
        cy_cascade_result_destroy(&o->cascade);
        cy_weaklinks_free(o->weaklinks);
        change_destroy(&o->register_rows);
        change_destroy(&o->single_source);
        change_destroy(&o->chokepoints);
        cy_free(o->stress_missing);
    }
    cy_free(result->items);
    cy_weaklinks_free(result->baseline);
    cy_free(result->demand_of);
    memset(result, 0, sizeof *result);
}

/* One weak link with the ids it is matched by. */
typedef struct {
    const char *id[3];
    cy_sc_item item;
} keyed;

static int keyed_cmp(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (int k = 0; k < 3; k++) {
        int c = strcmp(x->id[k], y->id[k]);
        if (c)
            return c;
    }
    return 0;
}

enum { KIND_REGISTER, KIND_SINGLE, KIND_CHOKE };

/* The weak links of one kind of `r` as keyed entries (sorted); NULL on
 * OOM.  *count gets how many. */
static keyed *weak_keys(const cy_network *net, const cy_weaklinks *r, int kind,
                        size_t *count)
{
    size_t n = 0, k = 0;
    keyed *out;

    if (kind == KIND_REGISTER)
        n = r->register_count;
    else if (kind == KIND_SINGLE)
        n = r->single_source_count;
    else
        for (size_t q = 0; q < r->chokepoint_count; q++)
            n += r->chokepoints[q].count;
    if (!(out = cy_malloc((n + 1) * sizeof *out)))
        return NULL;
    if (kind == KIND_REGISTER) {
        for (; k < n; k++)
            out[k] = (keyed){{cy_enterprise_id(net, r->register_rows[k].enterprise), "", ""},
                             {r->register_rows[k].enterprise, 0, 0}};
    } else if (kind == KIND_SINGLE) {
        for (; k < n; k++) {
            const cy_wl_single_source *s = &r->single_source[k];
            out[k] = (keyed){{cy_enterprise_id(net, s->enterprise),
                              cy_enterprise_id(net, s->supplier), cy_part_name(net, s->part)},
                             {s->enterprise, s->supplier, s->part}};
        }
    } else {
        for (size_t q = 0; q < r->chokepoint_count; q++)
            for (size_t e = 0; e < r->chokepoints[q].count; e++, k++) {
                size_t node = r->chokepoints[q].oem, firm = r->chokepoints[q].enterprises[e];
                out[k] = (keyed){{cy_enterprise_id(net, node), cy_enterprise_id(net, firm), ""},
                                 {node, firm, 0}};
            }
    }
    qsort(out, n, sizeof *out, keyed_cmp);
    *count = n;
    return out;
}

/* Merge the sorted keys of the baseline (a) and the scenario (b). */
static int diff_keys(const keyed *a, size_t na, const keyed *b, size_t nb, cy_sc_change *c)
{
    size_t i = 0, j = 0;
    c->removed = cy_malloc((na + 1) * sizeof *c->removed);
    c->added = cy_malloc((nb + 1) * sizeof *c->added);
    if (!c->removed || !c->added)
        return 0;
    while (i < na || j < nb) {
        int cmp = i == na ? 1 : j == nb ? -1 : keyed_cmp(&a[i], &b[j]);
        if (cmp < 0)
            c->removed[c->removed_count++] = a[i++].item;
        else if (cmp > 0)
            c->added[c->added_count++] = b[j++].item;
        else
            i++, j++;
    }
    return 1;
}

static cy_status compare(const cy_network *base, const cy_weaklinks *before,
                         const cy_network *net, const cy_weaklinks *after,
                         cy_scenario_outcome *o, cy_error *err)
{
    cy_sc_change *changes[3] = {&o->register_rows, &o->single_source, &o->chokepoints};
    for (int kind = 0; kind < 3; kind++) {
        size_t na = 0, nb = 0;
        keyed *a = weak_keys(base, before, kind, &na);
        keyed *b = a ? weak_keys(net, after, kind, &nb) : NULL;
        int ok = b && diff_keys(a, na, b, nb, changes[kind]);
        cy_free(a);
        cy_free(b);
        if (!ok) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
            return CY_ENOMEM;
        }
    }
    return CY_OK;
}

/*
 * Why `net` lacks what the stress programs need (cy_stress_check, asked
 * quietly): the check's first message, malloc'd, into *why; NULL when it
 * has it.  Only the message: its JSON path would point into a mitigated
 * copy the user never sees, and the message names the link or firm.
 * CY_ENOMEM when out of memory, else CY_OK.
 */
static cy_status stress_missing(const cy_network *net, char **why)
{
    cy_error quiet;
    cy_status status;

    *why = NULL;
    cy_error_init(&quiet);
    status = cy_stress_check(net, &quiet);
    if (status == CY_OK || status == CY_ENOMEM || !quiet.error_count) {
        cy_error_destroy(&quiet);
        return status == CY_ENOMEM ? CY_ENOMEM : CY_OK;
    }
    for (size_t k = 0; k < quiet.count && !*why; k++)
        if (quiet.items[k].severity == CY_SEV_ERROR)
            *why = cy_strdup(quiet.items[k].message);
    /* An error counted but not kept (past the error list's limit). */
    if (!*why)
        *why = cy_strdup("the stress check failed");
    if (!*why)
        status = CY_ENOMEM;
    cy_error_destroy(&quiet);
    return status == CY_ENOMEM ? CY_ENOMEM : CY_OK;
}

/* Whether scenario `sc` asks for the stress programs: days > 0 and a
 * shock that fails or degrades a firm. */
static int wants_stress(const cy_scenario *sc)
{
    return sc->days > 0 && (sc->fail_count || sc->degrade_count);
}

/*
 * The time to survive and the impact over the scenario's days
 * (cy_stress_run with T fixed to the days and the shock's failures and
 * capacities), when the scenario has days > 0, a shock and a network with
 * stress data; o->stressed says whether they ran.  A GLPK failure is
 * cy_stress_run's error, which names the disruption's first firm.
 */
/*
 * The firms of `given` (indices into `base`) as indices into `net`, found
 * by id: a scenario's network is its mitigated copy, reloaded, which
 * keeps every firm of the base (mitigations add firms, never remove one).
 * NULL with *status CY_ENOMEM when out of memory, or CY_EINTERNAL when a
 * firm is missing.
 */
static size_t *demand_of_in(const cy_network *base, const cy_network *net,
                            const size_t *given, size_t count, cy_status *status)
{
    size_t *mapped = cy_malloc((count + 1) * sizeof *mapped);
    *status = mapped ? CY_OK : CY_ENOMEM;
    for (size_t k = 0; mapped && k < count; k++)
        if (!cy_network_find_enterprise(net, cy_enterprise_id(base, given[k]), &mapped[k])) {
            cy_free(mapped);
            mapped = NULL;
            *status = CY_EINTERNAL;
        }
    return mapped;
}

/*
 * The stress programs' messages (`from`, emptied) into `err`, each said to
 * be the scenario's: "scenario \"NAME\": ..." at the message's own path,
 * else at the scenario's place.  A --demand-of whose firms have no final
 * demand left in a scenario's network, or a GLPK failure, is otherwise a
 * message without a scenario.
 */
static void name_scenario(cy_error *err, cy_error *from, const cy_scenario *sc)
{
    cy_i_error_move_within(err, from, sc->place ? sc->place : sc->path, "scenario", sc->name);
    cy_error_destroy(from);
}

/*
 * A scenario that asks for the stress programs on a network that cannot
 * run them gets the reason in its outcome, and a warning at its place
 * when the network as given could run them (a mitigation took that
 * away: a link added without a volume, an output set below the
 * deliveries); when the network as given cannot, cy_scenarios_run warned
 * once for all.  Otherwise the figures would just be missing, and a
 * mitigation would seem to have ended the exposure.
 */
static cy_status note_missing(const cy_scenario *sc, int base_has_data,
                              cy_scenario_outcome *o, char *why, cy_error *err)
{
    o->stress_missing = why;
    if (base_has_data)
        cy_error_add(err, CY_SEV_WARNING, sc->place ? sc->place : sc->path,
                     "scenario \"%s\": no time to survive or impact over its days: %s",
                     sc->name, why);
    return CY_OK;
}

static cy_status stress_one(const cy_network *base, const cy_network *net,
                            const cy_scenario *sc, const cy_scenarios_options *given,
                            int base_has_data, cy_scenario_outcome *o, cy_error *err)
{
    cy_stress_options options;
    cy_stress_result result;
    const cy_stress_disruption *d;
    size_t *demand_of = NULL;
    cy_error scratch;
    char *why;
    cy_status status;

    if (!wants_stress(sc))
        return CY_OK;
    if ((status = stress_missing(net, &why)) != CY_OK) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return status;
    }
    if (why)
        return note_missing(sc, base_has_data, o, why, err);
    cy_stress_options_init(&options);
    if (given->demand_of_count) {
        demand_of = demand_of_in(base, net, given->demand_of, given->demand_of_count, &status);
        if (!demand_of) {
            cy_error_add(err, CY_SEV_ERROR, sc->place ? sc->place : sc->path,
                         status == CY_ENOMEM ? "out of memory"
                                             : "scenario \"%s\": a firm of demand_of is "
                                               "missing from its network", sc->name);
            return status;
        }
        options.demand_of = demand_of;
        options.demand_of_count = given->demand_of_count;
    }
    options.days = sc->days;
    options.days_fixed = 1;
    options.horizon = sc->days > CY_STRESS_HORIZON ? sc->days : CY_STRESS_HORIZON;
    options.degrade = sc->degrade;
    options.degrade_count = sc->degrade_count;
    memset(&result, 0, sizeof result);
    cy_error_init(&scratch);
    status = cy_stress_run(net, &options, sc->fail, sc->fail_count, CY_STRESS_FIRMS, 0,
                           &result, &scratch);
    name_scenario(err, &scratch, sc);
    if (status == CY_OK && result.count == 1) {
        d = &result.disruptions[0];
        o->stressed = 1;
        o->survives = d->survives;
        o->tts_days = d->tts_days;
        o->ttr_days = d->ttr_days;
        o->impact = d->impact;
        o->impact_fraction = d->impact_fraction;
        o->exposed = d->exposed;
    }
    cy_stress_result_destroy(&result);
    cy_free(demand_of);
    return status;
}

/*
 * Scenario `sc` (with mitigations) run again on the network as given: the
 * same shocks resolved there (cy_scenario.base_fail, base_degrade), model
 * and days, no mitigation (compared, without_*).  Nothing is compared
 * when the shocks name only firms the mitigations add.  The stress
 * programs may find nothing to serve there (a --demand-of firm whose
 * final demand a mitigation gives): the comparison then has no stress
 * figures, and the scenario still runs.  Only running out of memory fails.
 */
static cy_status run_without(const cy_network *base, const cy_scenario *sc,
                             const cy_scenarios_options *options, int base_has_data,
                             cy_scenario_outcome *o, cy_error *err)
{
    cy_scenario plain = *sc;
    cy_scenario_outcome alone;
    cy_cascade_result cascade;
    cy_shock shock = {o->cascade.model, options->threshold, sc->base_fail,
                      sc->base_fail_count, sc->base_degrade, sc->base_degrade_count};
    cy_error scratch;
    cy_status status;

    if (!sc->base_fail_count && !sc->base_degrade_count)
        return CY_OK;
    plain.net = NULL;
    plain.fail = sc->base_fail;
    plain.fail_count = sc->base_fail_count;
    plain.degrade = sc->base_degrade;
    plain.degrade_count = sc->base_degrade_count;
    if ((status = cy_cascade_run_shock(base, &shock, &cascade, err)) != CY_OK)
        return status;
    o->compared = 1;
    o->without_failed_count = cascade.failed_count;
    o->without_final_demand_lost = cascade.final_demand_lost;
    cy_cascade_result_destroy(&cascade);
    if (!o->stressed || !base_has_data)
        return CY_OK;
    memset(&alone, 0, sizeof alone);
    cy_error_init(&scratch);
    status = stress_one(base, base, &plain, options, base_has_data, &alone, &scratch);
    cy_error_destroy(&scratch);
    cy_free(alone.stress_missing);
    if (status == CY_ENOMEM) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return status;
    }
    if (status == CY_OK && alone.stressed) {
        o->without_stressed = 1;
        o->without_survives = alone.survives;
        o->without_tts_days = alone.tts_days;
        o->without_impact = alone.impact;
    }
    return CY_OK;
}

/*
 * A mitigation that moves volume away from a firm (a set_link to a lower
 * volume, a removed link) and leaves its output value as it was raises the
 * final demand derived for it (output value minus deliveries, format.md):
 * sales outside the network nobody made, which the scenario then counts
 * as lost or saved (analyst17: a second source's saving was understated by
 * half).  One warning per such firm, at the scenario; a firm whose final
 * demand is given, or whose output value a mitigation set, is as meant.
 */
static void warn_derived_demand(const cy_network *base, const cy_scenario *sc,
                                cy_error *err)
{
    const cy_network *net = sc->net;
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i], *was;
        char sent[2][32], output[32], fd[2][32];
        size_t b;
        if (e->has_final_demand || !e->has_output_value ||
            !cy_network_find_enterprise(base, e->id, &b))
            continue;
        was = &base->enterprises[b];
        if (was->has_final_demand || !was->has_output_value ||
            was->output_value != e->output_value ||
            fabs(e->final_demand - was->final_demand) <= 1e-9 * fmax(1.0, was->final_demand))
            continue;
        cy_i_real_text(sent[0], was->out_volume);
        cy_i_real_text(sent[1], e->out_volume);
        cy_i_real_text(output, e->output_value);
        cy_i_real_text(fd[0], was->final_demand);
        cy_i_real_text(fd[1], e->final_demand);
        cy_error_add(err, CY_SEV_WARNING, sc->place ? sc->place : sc->path,
                     "scenario \"%s\": the mitigations change what \"%s\" delivers in the "
                     "network (%s -> %s a year) and not its output value (%s), so the final "
                     "demand derived for it (output value minus deliveries) goes from %s to "
                     "%s a year, counted as sales outside the network: give it a final_demand "
                     "or output_value (set_enterprise) if those sales do not change",
                     sc->name, e->id, sent[0], sent[1], output, fd[0], fd[1]);
    }
}

static cy_status run_one(const cy_network *base, const cy_weaklinks *baseline,
                         const cy_scenario *sc, const cy_scenarios_options *options,
                         int base_has_data, cy_scenario_outcome *o, cy_error *err)
{
    const cy_network *net = sc->net ? sc->net : base;
    cy_weaklinks_options wl = {.threshold = options->threshold};
    cy_shock shock;
    cy_status status;

    shock.model = options->model >= 0 ? options->model
                  : sc->partial      ? CY_CASCADE_FRACTIONAL
                                     : CY_CASCADE_THRESHOLD;
    shock.threshold = options->threshold;
    shock.fail = sc->fail;
    shock.fail_count = sc->fail_count;
    shock.degrade = sc->degrade;
    shock.degrade_count = sc->degrade_count;
    o->threshold = options->threshold;
    if (shock.model == CY_CASCADE_THRESHOLD && sc->partial) {
        cy_error_add(err, CY_SEV_ERROR, sc->place ? sc->place : sc->path,
                     "scenario \"%s\" leaves a capacity between 0 and 1: it needs the "
                     "fractional model", sc->name);
        return CY_EUSAGE;
    }
    if ((status = cy_cascade_run_shock(net, &shock, &o->cascade, err)) != CY_OK ||
        (status = stress_one(base, net, sc, options, base_has_data, o, err)) != CY_OK)
        return status;
    if (!sc->net)
        return CY_OK;
    warn_derived_demand(base, sc, err);
    if ((sc->fail_count || sc->degrade_count) &&
        (status = run_without(base, sc, options, base_has_data, o, err)) != CY_OK)
        return status;
    if ((status = cy_weaklinks_compute(net, &wl, &o->weaklinks, err)) != CY_OK)
        return status;
    return compare(base, baseline, net, o->weaklinks, o, err);
}

/*
 * One warning when a scenario asks for the stress programs and the
 * network as given cannot run them: every scenario on it would say the
 * same.  *has_data says whether it can.  CY_ENOMEM when out of memory.
 */
static cy_status warn_base(const cy_network *base, const cy_scenarios *set, int *has_data,
                           cy_error *err)
{
    size_t asking = 0;
    char *why;
    cy_status status = stress_missing(base, &why);

    if (status != CY_OK) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return status;
    }
    *has_data = why == NULL;
    for (size_t k = 0; why && k < set->count; k++)
        asking += wants_stress(&set->items[k]) != 0;
    if (asking)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "%zu scenario(s) give days, but the network as given has no stress "
                     "data (only mitigations that supply it give a time to survive): %s",
                     asking, why);
    cy_free(why);
    return CY_OK;
}

cy_status cy_scenarios_run(const cy_network *base, const cy_scenarios *set,
                           const cy_scenarios_options *options,
                           cy_scenarios_result *out, cy_error *err)
{
    cy_weaklinks_options wl = {.threshold = options->threshold};
    int base_has_data;
    cy_status status;

    cy_library_init();
    memset(out, 0, sizeof *out);
    if (!(options->threshold >= 0.0 && options->threshold <= 1.0)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "threshold must be in [0, 1], got %g",
                     options->threshold);
        return CY_EUSAGE;
    }
    if ((status = cy_weaklinks_compute(base, &wl, &out->baseline, err)) != CY_OK)
        return status;
    if (!(out->items = cy_calloc(set->count + 1, sizeof *out->items)) ||
        (options->demand_of_count &&
         !(out->demand_of = cy_malloc(options->demand_of_count * sizeof *out->demand_of)))) {
        cy_scenarios_result_destroy(out);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if (options->demand_of_count) {
        memcpy(out->demand_of, options->demand_of,
               options->demand_of_count * sizeof *out->demand_of);
        out->demand_of_count = options->demand_of_count;
    }
    if ((status = warn_base(base, set, &base_has_data, err)) != CY_OK) {
        cy_scenarios_result_destroy(out);
        return status;
    }
    for (size_t k = 0; k < set->count; k++) {
        out->count++;
        status = run_one(base, out->baseline, &set->items[k], options, base_has_data,
                         &out->items[k], err);
        if (status != CY_OK) {
            cy_scenarios_result_destroy(out);
            return status;
        }
    }
    return CY_OK;
}
