/*
 * weaklinks_time.c - the time section of the weak-link report: how long
 * the network survives the loss of each of the first register firms (TTS),
 * how long that firm takes to recover (TTR), what the loss costs over that
 * time and whether the network is exposed (TTS < TTR).  The figures are
 * those of `chengyu stress --fail FIRM` (the stress module, stress.c and
 * stress_lp.c, through cy_stress_firms); nothing is solved here.  The
 * section is computed apart from cy_weaklinks_compute because it depends
 * on how far the register is read (--top) and costs one or two linear
 * programs per firm: the other users of the report (diff, scenarios,
 * export) do not pay for it.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* The section as it was before, released (rows and reason). */
static void time_reset(cy_wl_time *t)
{
    cy_free(t->rows);
    cy_free(t->reason);
    memset(t, 0, sizeof *t);
}

/*
 * "<JSON path>: <message>" of the first error `stress` met, cy_malloc'd
 * into t->reason; 0 on OOM (also when recording that error ran out of
 * memory, so nothing says what it was).
 */
static int keep_reason(cy_wl_time *t, const cy_error *stress_err)
{
    const cy_diag *first = NULL;
    size_t size;

    for (size_t k = 0; k < stress_err->count && !first; k++)
        if (stress_err->items[k].severity == CY_SEV_ERROR)
            first = &stress_err->items[k];
    if (!first)
        return 0;
    size = strlen(first->message) + (first->path ? strlen(first->path) + 2 : 0) + 1;
    if (!(t->reason = cy_malloc(size)))
        return 0;
    snprintf(t->reason, size, "%s%s%s", first->path ? first->path : "",
             first->path ? ": " : "", first->message);
    return 1;
}

/*
 * Mark the rows of the first t->count register firms solved unless their
 * downstream cone has more than t->max_cone firms (0: no limit), and put
 * the solved ones' firms in `firms` (*solved of them).  The cone, the firm
 * and every firm it reaches along links with a volume, is where the
 * disruption can stop deliveries; the programs' reduction (docs/analyses.md
 * "Reduction") starts from its first ring and on these networks usually
 * grows through most of it, so its size predicts the programs' size (a
 * predictor, not a bound).  It is counted up to max_cone + 1 firms
 * (cy_i_cone_count).  Rows not solved get their TTR (what the firm's
 * recovery takes does not need a program).  0 when out of memory.
 */
static int choose_firms(const cy_network *net, const cy_weaklinks *report, cy_wl_time *t,
                        size_t *firms, size_t *solved)
{
    size_t n = net->enterprise_count, max = t->max_cone;
    size_t cap = max < n ? max + 1 : n + 1; /* a cone has at most n firms */
    size_t *mark = max ? cy_malloc((n + 1) * sizeof *mark) : NULL;
    size_t *queue = max ? cy_malloc(cap * sizeof *queue) : NULL;

    if (max && (!mark || !queue)) {
        cy_free(mark);
        cy_free(queue);
        return 0;
    }
    for (size_t v = 0; max && v < n; v++)
        mark[v] = SIZE_MAX;
    *solved = 0;
    for (size_t k = 0; k < t->count; k++) {
        cy_wl_time_row *row = &t->rows[k];
        double recovery;
        row->enterprise = report->register_rows[k].enterprise;
        row->solved = !max || cy_i_cone_count(net, &row->enterprise, 1, cap, 1, mark, k,
                                              queue) <= max;
        if (row->solved) {
            firms[(*solved)++] = row->enterprise;
            continue;
        }
        recovery = cy_enterprise_recovery_days(net, row->enterprise);
        row->ttr_days = recovery > 0 ? recovery : t->default_ttr_days;
        t->unsolved++;
    }
    cy_free(mark);
    cy_free(queue);
    return 1;
}

/* The figures of the disruptions (in the order of the solved register
 * firms). */
static void keep_rows(cy_wl_time *t, const cy_stress_result *result)
{
    size_t k = 0;
    for (size_t i = 0; i < t->count && k < result->count; i++) {
        const cy_stress_disruption *dis = &result->disruptions[k];
        cy_wl_time_row *row = &t->rows[i];
        if (!row->solved)
            continue;
        k++;
        row->enterprise = dis->failed[0];
        row->survives = dis->survives;
        row->tts_days = dis->tts_days;
        row->ttr_days = dis->ttr_days;
        row->impact = dis->impact;
        row->impact_fraction = dis->impact_fraction;
        row->exposed = dis->exposed;
    }
}

/*
 * Solve the disruptions of the first `count` register firms (those whose
 * cone is small enough: choose_firms).  A network
 * the stress check refuses (CY_EINPUT) or whose programs GLPK cannot
 * solve (CY_EINTERNAL) leaves the section CY_WL_TIME_REFUSED with the
 * first problem as its reason, and CY_OK: the report stands without the
 * figures.  CY_ENOMEM otherwise.
 */
static cy_status time_solve(const cy_network *net, cy_weaklinks *report, size_t count,
                            const cy_stress_options *base, size_t *firms, cy_error *err)
{
    cy_wl_time *t = &report->time;
    cy_stress_options options;
    cy_stress_result result;
    cy_error stress_err;
    cy_status status;
    size_t solved;

    options = *base;
    t->horizon_days = options.horizon;
    t->default_ttr_days = options.days;
    t->count = count;
    if (!choose_firms(net, report, t, firms, &solved))
        return CY_ENOMEM;
    /* Called even when no firm is solved: the stress check of the file
     * decides whether the section is available, whatever the limit. */
    /* stress's diagnostics are the section's reason, not the caller's
     * errors: the report is still written. */
    cy_error_init(&stress_err);
    status = cy_stress_firms(net, &options, firms, solved, &result, &stress_err);
    /* A diagnostic that could not be recorded would make a later one the
     * reason: out of memory instead (cy_error's contract). */
    if (stress_err.oom && status != CY_OK)
        status = CY_ENOMEM;
    if (status == CY_OK) {
        t->state = CY_WL_TIME_OK;
        keep_rows(t, &result);
        cy_stress_result_destroy(&result);
    } else if (status == CY_EINPUT || status == CY_EINTERNAL) {
        t->state = CY_WL_TIME_REFUSED;
        status = keep_reason(t, &stress_err) ? CY_OK : CY_ENOMEM;
    } else if (status != CY_ENOMEM) {
        /* CY_EUSAGE cannot happen (default options, register indices):
         * pass on what stress said. */
        for (size_t k = 0; k < stress_err.count; k++)
            cy_error_add(err, stress_err.items[k].severity, stress_err.items[k].path, "%s",
                         stress_err.items[k].message);
    }
    cy_error_destroy(&stress_err);
    return status;
}

cy_status cy_weaklinks_time(const cy_network *net, cy_weaklinks *report, size_t top,
                            size_t limit, size_t max_cone, size_t threads,
                            cy_progress_fn progress, void *progress_data, cy_error *err)
{
    cy_stress_options options;
    cy_wl_time *t = &report->time;
    size_t count = report->register_count, *firms = NULL;
    cy_status status = CY_OK;

    cy_library_init();
    time_reset(t);
    t->register_firms = report->register_count;
    t->horizon_days = CY_STRESS_HORIZON;
    t->default_ttr_days = CY_STRESS_DAYS;
    if (!cy_network_has_stress_data(net)) {
        t->state = CY_WL_TIME_NO_DATA;
        return CY_OK;
    }
    if (top && top < count)
        count = top;
    if (!limit)
        limit = CY_WL_TIME_FIRMS;
    if (count > limit) {
        count = limit;
        t->capped = 1;
    }
    t->max_cone = max_cone;
    firms = cy_malloc((count + 1) * sizeof *firms);
    t->rows = cy_calloc(count + 1, sizeof *t->rows);
    if (!firms || !t->rows)
        status = CY_ENOMEM;
    else {
        cy_stress_options_init(&options);
        options.threads = threads;
        options.progress = progress;
        options.progress_data = progress_data;
        status = time_solve(net, report, count, &options, firms, err);
    }
    cy_free(firms);
    if (status == CY_ENOMEM) {
        time_reset(t);
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in the weak-link time section");
    }
    return status;
}
