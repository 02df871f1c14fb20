/*
 * stress.c - `chengyu stress`: time to survive and impact over the
 * recovery time of disruptions (firms, a park, a region; one or every
 * one), ranked.  The data is read once into LP units (stress_internal.h);
 * the programs themselves are built and solved in stress_lp.c.
 */
#include "stress_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* TTS within this relative distance of H counts as the whole horizon, and
 * TTS < TTR is read with the same margin, so that rounding in the solver
 * never flips either. */
#define DAYS_RELATIVE 1e-9

void cy_stress_options_init(cy_stress_options *options)
{
    memset(options, 0, sizeof *options);
    options->days = CY_STRESS_DAYS;
    options->horizon = CY_STRESS_HORIZON;
}

/* ---- checks ----------------------------------------------------------- */

/* out_i >= delivered + fd_i, up to the rounding of the sum of volumes (the
 * loader allows the same for the capacity). */
static int output_covers(double out, double needed)
{
    return out >= needed - 1e-9 * needed;
}

static void check_links(const cy_network *net, cy_error *err)
{
    for (size_t j = 0; j < net->link_count && !err->limit_reached; j++) {
        char at[64];
        if (net->links[j].has_volume)
            continue;
        snprintf(at, sizeof at, "$.links[%zu]", j);
        cy_error_add(err, CY_SEV_ERROR, at,
                     "link from \"%s\" to \"%s\" (part \"%s\") has no volume: the stress "
                     "test needs the yuan per year of every link",
                     net->enterprises[net->links[j].from].id,
                     net->enterprises[net->links[j].to].id,
                     cy_part_name(net, net->links[j].part));
    }
}

static void check_outputs(const cy_network *net, cy_error *err)
{
    for (size_t i = 0; i < net->enterprise_count && !err->limit_reached; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        char at[64], out[32], links[32], fd[32];
        if (output_covers(e->output, e->out_volume + e->final_demand))
            continue;
        snprintf(at, sizeof at, "$.enterprises[%zu].output_value", i);
        cy_i_real_text(out, e->output);
        cy_i_real_text(links, e->out_volume);
        cy_i_real_text(fd, e->final_demand);
        cy_error_add(err, CY_SEV_ERROR, at,
                     "enterprise \"%s\": output %s is less than what it delivers "
                     "(links %s + final demand %s)", e->id, out, links, fd);
    }
}

cy_status cy_stress_check(const cy_network *net, cy_error *err)
{
    size_t before = err->error_count, first = err->count;

    check_links(net, err);
    check_outputs(net, err);
    /* At the workbook's cells when the network came from one. */
    cy_i_network_translate(net, err, first);
    return err->error_count > before ? CY_EINPUT : CY_OK;
}

/* ---- the data in LP units -------------------------------------------- */

void cy_i_stress_data_destroy(cy_i_stress_data *d)
{
    cy_free(d->out);
    cy_free(d->cap);
    cy_free(d->fd);
    cy_free(d->inventory);
    cy_free(d->recovery);
    cy_free(d->group_offset);
    cy_free(d->group_first);
    cy_free(d->group_volume);
    cy_free(d->link_group);
    memset(d, 0, sizeof *d);
}

/* The smallest power of two at least as large as every figure (1 for an
 * empty network), so that dividing by it is exact. */
static double lp_scale(const cy_i_stress_data *d)
{
    double largest = 0.0;
    int exponent;
    for (size_t i = 0; i < d->n; i++)
        largest = fmax(largest, fmax(d->out[i], d->cap[i]));
    if (largest <= 0)
        return 1.0;
    frexp(largest, &exponent);
    return ldexp(1.0, exponent);
}

/* One group per (customer, part) run of in_links with a positive volume. */
static void data_groups(cy_i_stress_data *d)
{
    const cy_network *net = d->net;
    size_t g = 0;

    for (size_t e = 0; e < d->m; e++)
        d->link_group[e] = SIZE_MAX;
    for (size_t i = 0; i < d->n; i++) {
        size_t k = net->in_offset[i], end = net->in_offset[i + 1];
        d->group_offset[i] = g;
        while (k < end) {
            size_t first = k, part = net->links[net->in_links[k]].part;
            double volume = 0.0;
            for (; k < end && net->links[net->in_links[k]].part == part; k++)
                volume += net->links[net->in_links[k]].volume;
            if (volume <= 0)
                continue;
            d->group_first[g] = first;
            d->group_volume[g] = volume / d->scale;
            for (size_t q = first; q < k; q++)
                d->link_group[net->in_links[q]] = g;
            g++;
        }
        /* The next group starts where this customer's links end, which
         * also closes group g - 1 (a group's links are contiguous). */
        d->group_first[g] = end;
    }
    d->group_offset[d->n] = g;
    d->group_count = g;
}

cy_status cy_i_stress_data_init(cy_i_stress_data *d, const cy_network *net,
                                cy_error *err)
{
    size_t n = net->enterprise_count, m = net->link_count;

    memset(d, 0, sizeof *d);
    d->net = net;
    d->n = n;
    d->m = m;
    d->out = cy_malloc((n + 1) * sizeof *d->out);
    d->cap = cy_malloc((n + 1) * sizeof *d->cap);
    d->fd = cy_malloc((n + 1) * sizeof *d->fd);
    d->inventory = cy_malloc((n + 1) * sizeof *d->inventory);
    d->recovery = cy_malloc((n + 1) * sizeof *d->recovery);
    d->group_offset = cy_malloc((n + 1) * sizeof *d->group_offset);
    d->group_first = cy_malloc((m + 1) * sizeof *d->group_first);
    d->group_volume = cy_malloc((m + 1) * sizeof *d->group_volume);
    d->link_group = cy_malloc((m + 1) * sizeof *d->link_group);
    if (!d->out || !d->cap || !d->fd || !d->inventory || !d->recovery ||
        !d->group_offset || !d->group_first || !d->group_volume || !d->link_group) {
        cy_i_stress_data_destroy(d);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        d->out[i] = cy_enterprise_output(net, i);
        d->cap[i] = cy_enterprise_capacity(net, i);
        d->fd[i] = cy_enterprise_final_demand(net, i);
        d->inventory[i] = cy_enterprise_inventory_days(net, i);
        d->recovery[i] = fmax(cy_enterprise_recovery_days(net, i), 0.0);
    }
    d->scale = lp_scale(d);
    for (size_t i = 0; i < n; i++) {
        d->out[i] /= d->scale;
        d->cap[i] /= d->scale;
        d->fd[i] /= d->scale;
        d->total_fd += d->fd[i];
    }
    data_groups(d);
    return CY_OK;
}

/* ---- one disruption ---------------------------------------------------- */

/* What every disruption of one run shares. */
typedef struct {
    const cy_network *net;
    cy_stress_options options;
    cy_i_stress_data data;
    cy_i_stress_solver *solver;
    cy_i_stress_solution solution;
} stress_run;

/* The error of a demand_of whose firms have no final demand: their ids
 * (the first few), so that the user sees which firms were meant. */
#define NO_DEMAND_SHOWN 5
static void no_demand(const cy_network *net, const cy_stress_options *options, cy_error *err)
{
    char ids[NO_DEMAND_SHOWN * (CY_I_ECHO_SIZE + 4) + 16], echo[CY_I_ECHO_SIZE];
    size_t used = 0;

    ids[0] = '\0';
    for (size_t k = 0; k < options->demand_of_count && k < NO_DEMAND_SHOWN; k++)
        used += (size_t)snprintf(ids + used, sizeof ids - used, "%s\"%s\"", k ? ", " : "",
                                 cy_i_echo(echo, cy_enterprise_id(net, options->demand_of[k])));
    if (options->demand_of_count > NO_DEMAND_SHOWN)
        snprintf(ids + used, sizeof ids - used, " and %zu more",
                 options->demand_of_count - NO_DEMAND_SHOWN);
    cy_error_add(err, CY_SEV_ERROR, NULL,
                 "demand_of: %s %s no final demand (final_demand, or output_value less "
                 "deliveries): there is nothing to serve", ids,
                 options->demand_of_count == 1 ? "has" : "have");
}

/* options->demand_of: every other firm's final demand set to 0 and the
 * total recomputed (as the sum in index order, like the data's). */
static cy_status keep_demand_of(const cy_network *net, cy_i_stress_data *d,
                                const cy_stress_options *options, cy_error *err)
{
    unsigned char *kept = cy_calloc(d->n + 1, 1);
    if (!kept) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < options->demand_of_count; k++) {
        if (options->demand_of[k] >= d->n) {
            cy_free(kept);
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "demand_of: enterprise index %zu is out of range", options->demand_of[k]);
            return CY_EUSAGE;
        }
        kept[options->demand_of[k]] = 1;
    }
    d->total_fd = 0.0;
    for (size_t i = 0; i < d->n; i++) {
        if (!kept[i])
            d->fd[i] = 0.0;
        d->total_fd += d->fd[i];
    }
    cy_free(kept);
    if (!(d->total_fd > 0)) {
        no_demand(net, options, err);
        return CY_EINPUT;
    }
    return CY_OK;
}

static cy_status run_init(stress_run *run, const cy_network *net,
                          const cy_stress_options *options, cy_error *err)
{
    cy_status status;

    memset(run, 0, sizeof *run);
    run->net = net;
    if (options)
        run->options = *options;
    else
        cy_stress_options_init(&run->options);
    /* !(x > 0) also refuses NaN. */
    if (!(run->options.days > 0) || !(run->options.horizon > 0) ||
        !isfinite(run->options.days) || !isfinite(run->options.horizon)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "days and horizon must be positive numbers of days (got %g and %g)",
                     run->options.days, run->options.horizon);
        return CY_EUSAGE;
    }
    for (size_t k = 0; k < run->options.degrade_count; k++) {
        const cy_degrade *g = &run->options.degrade[k];
        if (g->enterprise >= net->enterprise_count ||
            !(g->capacity_left >= 0.0 && g->capacity_left <= 1.0)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "degraded enterprise %zu: capacity left %g is not in [0, 1] "
                         "(or the index is out of range)", g->enterprise, g->capacity_left);
            return CY_EUSAGE;
        }
    }
    status = cy_stress_check(net, err);
    if (status == CY_OK)
        status = cy_i_stress_data_init(&run->data, net, err);
    if (status == CY_OK && run->options.demand_of)
        status = keep_demand_of(net, &run->data, &run->options, err);
    if (status == CY_OK && !(run->solver = cy_i_stress_solver_new(&run->data))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    return status;
}

static void run_destroy(stress_run *run)
{
    cy_i_stress_solver_free(run->solver);
    cy_i_stress_data_destroy(&run->data);
    cy_free(run->solution.lost);
    memset(run, 0, sizeof *run);
}

/* "a", "b", "c" and 4 more: the disruption named in an error. */
static void describe(const cy_network *net, const cy_stress_disruption *dis,
                     char *text, size_t size)
{
    size_t used = 0, shown = dis->failed_count < 5 ? dis->failed_count : 5;

    text[0] = '\0';
    if (dis->kind != CY_STRESS_FIRMS) {
        snprintf(text, size, "%s \"%s\"", cy_group_kind_name((cy_group_kind)dis->kind),
                 cy_group_id(net, (cy_group_kind)dis->kind, dis->group));
        return;
    }
    for (size_t k = 0; k < shown && used < size; k++)
        used += (size_t)snprintf(text + used, size - used, "%s\"%s\"", k ? ", " : "",
                                 cy_enterprise_id(net, dis->failed[k]));
    if (dis->failed_count > shown && used < size)
        snprintf(text + used, size - used, " and %zu more", dis->failed_count - shown);
}

static cy_status solve(stress_run *run, cy_stress_disruption *dis,
                       cy_i_stress_mode mode, double t, cy_error *err)
{
    cy_status status = cy_i_stress_solve(run->solver, mode, t, &run->solution, err);
    if (status == CY_EINTERNAL) {
        char names[400];
        describe(run->net, dis, names, sizeof names);
        cy_error_add(err, CY_SEV_ERROR, NULL, "disruption of %s: %s: %s", names,
                     mode == CY_I_STRESS_TTS ? "time to survive" : "impact",
                     cy_i_stress_solver_reason(run->solver));
    }
    if (status == CY_OK && run->solution.lp_enterprises > dis->lp_enterprises)
        dis->lp_enterprises = run->solution.lp_enterprises;
    return status;
}

static int loss_order(const void *a, const void *b);

/* The losses of the impact solution plus the failed firms' own final
 * demand, in yuan, largest first. */
static cy_status keep_losses(stress_run *run, cy_stress_disruption *dis,
                             double w, cy_error *err)
{
    const cy_i_stress_data *d = &run->data;
    size_t count = run->solution.lost_count;

    dis->lost = cy_malloc((count + dis->failed_count + 1) * sizeof *dis->lost);
    if (!dis->lost) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < count; k++) {
        size_t r = run->solution.lost[k].enterprise;
        dis->lost[k].enterprise = r;
        dis->lost[k].id = run->net->enterprises[r].id;
        dis->lost[k].lost = run->solution.lost[k].lost * d->scale;
    }
    for (size_t k = 0; k < dis->failed_count; k++) {
        size_t f = dis->failed[k];
        if (d->fd[f] > 0) {
            dis->lost[count].enterprise = f;
            dis->lost[count].id = run->net->enterprises[f].id;
            dis->lost[count++].lost = d->fd[f] * w * d->scale;
        }
    }
    dis->lost_count = count;
    qsort(dis->lost, count, sizeof *dis->lost, loss_order);
    return CY_OK;
}

static double recovery_time(const stress_run *run, const cy_stress_disruption *dis)
{
    double longest = 0.0;
    if (run->options.days_fixed)
        return run->options.days;
    for (size_t k = 0; k < dis->failed_count; k++)
        longest = fmax(longest, run->data.recovery[dis->failed[k]]);
    for (size_t k = 0; k < dis->degraded_count; k++)
        longest = fmax(longest, run->data.recovery[dis->degraded[k].enterprise]);
    return longest > 0 ? longest : run->options.days;
}

static cy_status evaluate_tts(stress_run *run, cy_stress_disruption *dis, double w,
                              cy_error *err);

/* Solve both programs of `dis`, whose failed firms are set. */
static cy_status evaluate(stress_run *run, cy_stress_disruption *dis, cy_error *err)
{
    double w;
    cy_status status;

    dis->ttr_days = recovery_time(run, dis);
    w = dis->ttr_days / 365.0;
    cy_i_stress_degrade(run->solver, dis->degraded, dis->degraded_count);
    cy_i_stress_begin(run->solver, dis->failed, dis->failed_count,
                      run->options.whole_network);
    status = solve(run, dis, CY_I_STRESS_IMPACT, dis->ttr_days, err);
    if (status == CY_OK)
        status = evaluate_tts(run, dis, w, err);
    cy_i_stress_end(run->solver);
    return status;
}

/*
 * A time to survive to a billionth of a day.  The TTS program is solved
 * warm after the impact program, whose T changes the simplex's path, so
 * the same TTS came out as 14.549999999999999 for one T and
 * 14.550000000000002 for another, which people then read as 14.5 and 14.6
 * days.  Snapped, both are the double nearest 14.55.
 */
static double snap_days(double days)
{
    return fabs(days) < 1e6 ? round(days * 1e9) / 1e9 : days;
}

/* The impact's figures and the time to survive, once the impact program
 * has been solved. */
static cy_status evaluate_tts(stress_run *run, cy_stress_disruption *dis, double w,
                              cy_error *err)
{
    const cy_i_stress_data *d = &run->data;
    double horizon = run->options.horizon, failed_fd = 0.0;
    cy_status status;

    for (size_t k = 0; k < dis->failed_count; k++)
        failed_fd += d->fd[dis->failed[k]];
    dis->impact = (run->solution.value + failed_fd * w) * d->scale;
    dis->impact_fraction = d->total_fd > 0 ? dis->impact / (d->total_fd * w * d->scale) : 0.0;
    status = keep_losses(run, dis, w, err);
    if (status == CY_OK)
        status = solve(run, dis, CY_I_STRESS_TTS, horizon, err);
    if (status != CY_OK)
        return status;
    dis->tts_days = snap_days(run->solution.value);
    /* With demand_of, the TTS program counts the firms not failed: a listed
     * firm that fails itself stops serving its demand at once. */
    for (size_t k = 0; run->options.demand_of && k < dis->failed_count; k++)
        if (d->fd[dis->failed[k]] > 0)
            dis->tts_days = 0.0;
    dis->survives = dis->tts_days >= horizon * (1 - DAYS_RELATIVE);
    if (dis->survives)
        dis->tts_days = horizon;
    dis->exposed = !dis->survives && dis->tts_days < dis->ttr_days * (1 - DAYS_RELATIVE);
    return CY_OK;
}

/* ---- results --------------------------------------------------------- */

void cy_stress_result_destroy(cy_stress_result *result)
{
    if (!result)
        return;
    for (size_t k = 0; k < result->count; k++) {
        cy_free(result->disruptions[k].failed);
        cy_free(result->disruptions[k].lost);
        cy_free(result->disruptions[k].degraded);
    }
    cy_free(result->disruptions);
    cy_free(result->skipped);
    cy_free(result->demand_of);
    memset(result, 0, sizeof *result);
}

static const char *disruption_id(const cy_network *net, const cy_stress_disruption *dis)
{
    if (dis->kind != CY_STRESS_FIRMS)
        return cy_group_id(net, (cy_group_kind)dis->kind, dis->group);
    if (dis->failed_count)
        return cy_enterprise_id(net, dis->failed[0]);
    return dis->degraded_count ? cy_enterprise_id(net, dis->degraded[0].enterprise) : "";
}

/* Ids are unique, so both orders are total. */
static int loss_order(const void *a, const void *b)
{
    const cy_stress_loss *x = a, *y = b;
    if (x->lost != y->lost)
        return x->lost > y->lost ? -1 : 1;
    return strcmp(x->id, y->id);
}

static int disruption_order(const void *a, const void *b)
{
    const cy_stress_disruption *x = a, *y = b;
    if (x->impact != y->impact)
        return x->impact > y->impact ? -1 : 1;
    return strcmp(x->id, y->id);
}

static cy_status result_init(cy_stress_result *result, const stress_run *run,
                             size_t capacity, cy_error *err)
{
    memset(result, 0, sizeof *result);
    result->horizon_days = run->options.horizon;
    result->total_final_demand = run->data.total_fd * run->data.scale;
    result->disruptions = cy_calloc(capacity + 1, sizeof *result->disruptions);
    if (result->disruptions && run->options.demand_of) {
        result->demand_of = cy_malloc((run->options.demand_of_count + 1) *
                                      sizeof *result->demand_of);
        if (result->demand_of) {
            result->demand_of_count = run->options.demand_of_count;
            memcpy(result->demand_of, run->options.demand_of,
                   result->demand_of_count * sizeof *result->demand_of);
        }
    }
    if (!result->disruptions || (run->options.demand_of && !result->demand_of)) {
        cy_free(result->disruptions);
        result->disruptions = NULL;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    return CY_OK;
}

/* The smallest capacity left given for enterprise i (2 when none). */
static double capacity_left(const cy_stress_options *options, size_t i)
{
    double x = 2.0;
    for (size_t k = 0; k < options->degrade_count; k++)
        if (options->degrade[k].enterprise == i)
            x = fmin(x, options->degrade[k].capacity_left);
    return x;
}

/*
 * The options' degraded firms into `dis`: capacity 0 is a failure (added
 * to dis->failed), a failed firm stays failed, a firm given twice keeps
 * its smallest capacity.  `seen` marks the failed firms and is left
 * marking the degraded ones too (the caller clears the failed ones).
 * O(d^2) for d degraded firms, which come from a command line.
 */
static cy_status add_degraded(stress_run *run, cy_stress_disruption *dis,
                              unsigned char *seen)
{
    size_t count = run->options.degrade_count;

    if (count == 0)
        return CY_OK;
    dis->degraded = cy_malloc(count * sizeof *dis->degraded);
    if (!dis->degraded)
        return CY_ENOMEM;
    for (size_t k = 0; k < count; k++) {
        size_t i = run->options.degrade[k].enterprise;
        double x = capacity_left(&run->options, i);
        if (seen[i])
            continue;
        seen[i] = 1;
        if (x <= 0.0)
            dis->failed[dis->failed_count++] = i;
        else
            dis->degraded[dis->degraded_count++] = (cy_degrade){i, x};
    }
    for (size_t k = 0; k < dis->degraded_count; k++)
        seen[dis->degraded[k].enterprise] = 0;
    return CY_OK;
}

/* Append a disruption of the given firms (duplicates dropped), unsolved. */
static cy_status add_disruption(stress_run *run, cy_stress_result *result,
                                const size_t *failed, size_t count, int kind,
                                size_t group, unsigned char *seen, cy_error *err)
{
    cy_stress_disruption *dis = &result->disruptions[result->count++];

    dis->kind = kind;
    dis->group = group;
    dis->failed = cy_malloc((count + run->options.degrade_count + 1) * sizeof *dis->failed);
    if (!dis->failed) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < count; k++) {
        if (!seen[failed[k]]) {
            seen[failed[k]] = 1;
            dis->failed[dis->failed_count++] = failed[k];
        }
    }
    if (add_degraded(run, dis, seen) != CY_OK) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t k = 0; k < dis->failed_count; k++)
        seen[dis->failed[k]] = 0;
    dis->id = disruption_id(run->net, dis);
    return CY_OK;
}

static void finish(stress_run *run, cy_stress_result *result, cy_status status)
{
    if (status == CY_OK)
        qsort(result->disruptions, result->count, sizeof *result->disruptions,
              disruption_order);
    else
        cy_stress_result_destroy(result);
    run_destroy(run);
}

/* Whether every index of firms[0 .. count) names an enterprise of `net`;
 * the first that does not is reported. */
static int indices_valid(const cy_network *net, const size_t *firms, size_t count,
                         cy_error *err)
{
    for (size_t k = 0; k < count; k++) {
        if (firms[k] >= net->enterprise_count) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "enterprise index %zu out of range",
                         firms[k]);
            return 0;
        }
    }
    return 1;
}

cy_status cy_stress_run(const cy_network *net, const cy_stress_options *options,
                        const size_t *failed, size_t count, int kind,
                        size_t group, cy_stress_result *result, cy_error *err)
{
    stress_run run;
    unsigned char *seen = NULL;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    if (!indices_valid(net, failed, count, err))
        return CY_EUSAGE;
    status = run_init(&run, net, options, err);
    if (status == CY_OK)
        status = result_init(result, &run, 1, err);
    if (status == CY_OK && !(seen = cy_calloc(net->enterprise_count + 1, 1))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    if (status == CY_OK)
        status = add_disruption(&run, result, failed, count, kind, group, seen, err);
    if (status == CY_OK)
        status = evaluate(&run, &result->disruptions[0], err);
    cy_free(seen);
    finish(&run, result, status);
    return status;
}

/* ---- groups and --each -------------------------------------------------- */

static long member_of(const cy_network *net, int kind, size_t i)
{
    return kind == CY_GROUP_PARK ? net->enterprises[i].park : cy_i_enterprise_region(net, i);
}

cy_status cy_stress_group_members(const cy_network *net, int kind, size_t group,
                                  size_t **members, size_t *count, cy_error *err)
{
    size_t n = net->enterprise_count, found = 0;

    *members = NULL;
    *count = 0;
    if ((kind != CY_GROUP_PARK && kind != CY_GROUP_REGION) ||
        group >= net->group_count[kind]) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "no such park or region (kind %d, index %zu)",
                     kind, group);
        return CY_EUSAGE;
    }
    *members = cy_malloc((n + 1) * sizeof **members);
    if (!*members) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (member_of(net, kind, i) == (long)group)
            (*members)[found++] = i;
    *count = found;
    return CY_OK;
}

/* A firm with no customer in the network and no final demand: its failure
 * takes nothing from anyone. */
static int loses_nothing(const stress_run *run, size_t i)
{
    const cy_network *net = run->net;
    return net->out_offset[i + 1] == net->out_offset[i] && run->data.fd[i] <= 0;
}

/* ---- solving the disruptions of --each on several threads ------------ */

/* What the workers of solve_all share: position k of the loop solves
 * disruption order[k]. */
typedef struct {
    const stress_run *run;
    cy_stress_result *result;
    const size_t *order;
} each_job;

/* What a cone count stops at: past it a disruption is simply "large", and
 * the estimate of a national run stays linear in the firms. */
#define CONE_CAP 65536

/* qsort has no context argument: the cone sizes of the run being sorted,
 * one copy per thread. */
static _Thread_local const size_t *sort_cones;

/* Larger cone first; equal cones in disruption order (a total order, so the
 * hand-out order is the same on every process of an MPI run). */
static int cone_desc(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (sort_cones[x] != sort_cones[y])
        return sort_cones[x] > sort_cones[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/*
 * The order in which the disruptions of `result` are handed out to the
 * threads and processes: the largest downstream cone first.  Why: a
 * disruption's programs grow with its cone, and a raw-material firm's take
 * seconds while most take milliseconds; handed out last (they come last in
 * a tiered file), one of them kept a thread busy while the other had
 * nothing left, and under MPI the fixed shares (every K-th item) of two
 * processes differed by a tenth of the work.  The answers do not depend on
 * the order: each disruption is solved alone into its own slot.
 * Time complexity: O(sum of the cones, each capped at CONE_CAP, + d log d)
 * for d disruptions.
 */
cy_status cy_i_stress_hand_out(const cy_network *net, const cy_stress_result *result,
                               size_t **order, cy_error *err)
{
    size_t n = net->enterprise_count, d = result->count;
    size_t *cones = cy_malloc((d + 1) * sizeof *cones);
    size_t *mark = cy_malloc((n + 1) * sizeof *mark);
    size_t *queue = cy_malloc((n + 1) * sizeof *queue);
    cy_status status = CY_ENOMEM;

    *order = cy_malloc((d + 1) * sizeof **order);
    if (!cones || !mark || !queue || !*order)
        goto cleanup;
    for (size_t v = 0; v < n; v++)
        mark[v] = SIZE_MAX;
    for (size_t k = 0; k < d; k++) {
        /* Along every link: the size its programs can grow to. */
        cones[k] = cy_i_cone_count(net, result->disruptions[k].failed,
                                   result->disruptions[k].failed_count, CONE_CAP, 0, mark,
                                   k, queue);
        (*order)[k] = k;
    }
    sort_cones = cones;
    if (d)
        qsort(*order, d, sizeof **order, cone_desc);
    status = CY_OK;
cleanup:
    if (status != CY_OK) {
        cy_free(*order);
        *order = NULL;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    }
    cy_free(cones);
    cy_free(mark);
    cy_free(queue);
    return status;
}

/* A worker's copy of the run: the shared data and options with its own
 * solver and solution. */
static cy_status each_worker_init(void *ctx, void **state, cy_error *err)
{
    const each_job *job = ctx;
    stress_run *run = cy_malloc(sizeof *run);

    *state = run;
    if (run) {
        *run = *job->run;
        run->solution = (cy_i_stress_solution){0};
        run->solver = cy_i_stress_solver_new(&run->data);
    }
    if (run && run->solver)
        return CY_OK;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

static void each_worker_destroy(void *ctx, void *state)
{
    stress_run *run = state;
    (void)ctx;
    if (!run)
        return;
    cy_i_stress_solver_free(run->solver);
    cy_free(run->solution.lost);
    cy_free(run);
}

static void each_thread_end(void *ctx)
{
    (void)ctx;
    cy_i_stress_thread_end();
}

static cy_status each_item(void *ctx, void *state, size_t k, cy_error *err)
{
    each_job *job = ctx;
    return evaluate(state, &job->result->disruptions[job->order[k]], err);
}

/* What solving the disruptions at loop positions first, first + step, ...
 * added to them, for the other processes of an MPI run (dist.c): their
 * figures and their losses. */
static void pack_solved(void *ctx, size_t first, size_t step, cy_i_pack *out)
{
    const each_job *job = ctx;
    for (size_t k = first; k < job->result->count; k += step) {
        const cy_stress_disruption *dis = &job->result->disruptions[job->order[k]];
        double days[4] = {dis->tts_days, dis->ttr_days, dis->impact, dis->impact_fraction};
        size_t counts[4] = {(size_t)dis->survives, (size_t)dis->exposed, dis->lost_count,
                            dis->lp_enterprises};
        cy_i_pack_put(out, days, sizeof days);
        cy_i_pack_put(out, counts, sizeof counts);
        for (size_t j = 0; j < dis->lost_count; j++) {
            cy_i_pack_put(out, &dis->lost[j].enterprise, sizeof dis->lost[j].enterprise);
            cy_i_pack_put(out, &dis->lost[j].lost, sizeof dis->lost[j].lost);
        }
    }
}

static cy_status unpack_one(const cy_network *net, cy_stress_disruption *dis,
                            cy_i_unpack *in, cy_error *err)
{
    double days[4];
    size_t counts[4];

    cy_i_unpack_get(in, days, sizeof days);
    cy_i_unpack_get(in, counts, sizeof counts);
    if (in->bad || counts[2] > (in->size - in->pos) / (sizeof(size_t) + sizeof(double))) {
        in->bad = 1;
        return CY_OK;
    }
    dis->tts_days = days[0], dis->ttr_days = days[1];
    dis->impact = days[2], dis->impact_fraction = days[3];
    dis->survives = (int)counts[0], dis->exposed = (int)counts[1];
    dis->lp_enterprises = counts[3];
    if (!(dis->lost = cy_malloc((counts[2] + 1) * sizeof *dis->lost))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t j = 0; j < counts[2]; j++) {
        cy_stress_loss *loss = &dis->lost[dis->lost_count++];
        cy_i_unpack_get(in, &loss->enterprise, sizeof loss->enterprise);
        cy_i_unpack_get(in, &loss->lost, sizeof loss->lost);
        if (in->bad || loss->enterprise >= net->enterprise_count) {
            in->bad = 1;
            return CY_OK;
        }
        loss->id = net->enterprises[loss->enterprise].id;
    }
    return CY_OK;
}

static cy_status unpack_solved(void *ctx, size_t first, size_t step, cy_i_unpack *in,
                               cy_error *err)
{
    each_job *job = ctx;
    cy_status status = CY_OK;
    for (size_t k = first; k < job->result->count && status == CY_OK && !in->bad; k += step)
        status = unpack_one(job->run->net, &job->result->disruptions[job->order[k]], in, err);
    return status;
}

/*
 * Solve every disruption of `result` (already listed) on the library's
 * threads (options.threads when set), and over the processes of an MPI
 * run, largest cone first (cy_i_stress_hand_out).  Each disruption is
 * solved alone, so the answers do not depend on the number of threads or
 * processes; a failure is that of the first failing disruption in the
 * hand-out order, whatever the count.
 */
static cy_status solve_all(stress_run *run, cy_stress_result *result, cy_error *err)
{
    each_job job = {run, result, NULL};
    size_t *order = NULL;
    cy_i_par_job par = {0};
    cy_status status;

    if ((status = cy_i_stress_hand_out(run->net, result, &order, err)) != CY_OK)
        return status;
    job.order = order;
    par.count = result->count;
    par.pack = pack_solved;
    par.unpack = unpack_solved;
    par.threads = run->options.threads;
    par.ctx = &job;
    par.worker_init = each_worker_init;
    par.worker_destroy = each_worker_destroy;
    par.thread_end = each_thread_end;
    par.item = each_item;
    par.progress = run->options.progress;
    par.what = "disruptions";
    par.progress_data = run->options.progress_data;
    status = cy_i_par_run(&par, err);
    cy_free(order);
    return status;
}

static cy_status each_enterprise(stress_run *run, cy_stress_result *result,
                                 unsigned char *seen, cy_error *err)
{
    size_t n = run->net->enterprise_count;
    cy_status status = CY_OK;

    result->skipped = cy_malloc((n + 1) * sizeof *result->skipped);
    if (!result->skipped) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n && status == CY_OK; i++) {
        if (loses_nothing(run, i))
            result->skipped[result->skipped_count++] = i;
        else
            status = add_disruption(run, result, &i, 1, CY_STRESS_FIRMS, 0, seen, err);
    }
    return status == CY_OK ? solve_all(run, result, err) : status;
}

static cy_status each_group(stress_run *run, cy_stress_result *result, int kind,
                            unsigned char *seen, cy_error *err)
{
    size_t groups = run->net->group_count[kind];
    cy_status status = CY_OK;

    for (size_t g = 0; g < groups && status == CY_OK; g++) {
        size_t *members = NULL, count = 0;
        status = cy_stress_group_members(run->net, kind, g, &members, &count, err);
        if (status == CY_OK)
            status = add_disruption(run, result, members, count, kind, g, seen, err);
        cy_free(members);
    }
    return status == CY_OK ? solve_all(run, result, err) : status;
}

/*
 * One disruption per firm of `firms`, each failing alone, listed in the
 * order given and solved by solve_all like those of --each (so on the
 * library's threads and over the processes of an MPI run).  The caller
 * has checked the indices; a firm given twice is solved twice.
 */
static cy_status each_listed(stress_run *run, cy_stress_result *result, const size_t *firms,
                             size_t count, unsigned char *seen, cy_error *err)
{
    cy_status status = CY_OK;
    for (size_t k = 0; k < count && status == CY_OK; k++)
        status = add_disruption(run, result, &firms[k], 1, CY_STRESS_FIRMS, 0, seen, err);
    return status == CY_OK ? solve_all(run, result, err) : status;
}

cy_status cy_stress_firms(const cy_network *net, const cy_stress_options *options,
                          const size_t *firms, size_t count, cy_stress_result *result,
                          cy_error *err)
{
    stress_run run;
    unsigned char *seen = NULL;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    if (!indices_valid(net, firms, count, err))
        return CY_EUSAGE;
    if (options && options->degrade_count > 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "stress firms: degraded firms belong to one disruption, not to every one");
        return CY_EUSAGE;
    }
    status = run_init(&run, net, options, err);
    if (status == CY_OK)
        status = result_init(result, &run, count, err);
    if (status == CY_OK && !(seen = cy_calloc(net->enterprise_count + 1, 1))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    if (status == CY_OK)
        status = each_listed(&run, result, firms, count, seen, err);
    cy_free(seen);
    /* Not finish(): the disruptions stay in the order of `firms`. */
    if (status != CY_OK)
        cy_stress_result_destroy(result);
    run_destroy(&run);
    return status;
}

cy_status cy_stress_each(const cy_network *net, const cy_stress_options *options,
                         int kind, cy_stress_result *result, cy_error *err)
{
    stress_run run;
    unsigned char *seen = NULL;
    size_t capacity;
    cy_status status;

    cy_library_init();
    memset(result, 0, sizeof *result);
    if (kind != CY_STRESS_FIRMS && kind != CY_GROUP_PARK && kind != CY_GROUP_REGION) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "stress each: unknown kind %d", kind);
        return CY_EUSAGE;
    }
    if (options && options->degrade_count > 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "stress each: degraded firms belong to one disruption, not to every one");
        return CY_EUSAGE;
    }
    capacity = kind == CY_STRESS_FIRMS ? net->enterprise_count : net->group_count[kind];
    status = run_init(&run, net, options, err);
    if (status == CY_OK)
        status = result_init(result, &run, capacity, err);
    if (status == CY_OK && !(seen = cy_calloc(net->enterprise_count + 1, 1))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    if (status == CY_OK)
        status = kind == CY_STRESS_FIRMS ? each_enterprise(&run, result, seen, err)
                                         : each_group(&run, result, kind, seen, err);
    cy_free(seen);
    finish(&run, result, status);
    return status;
}
