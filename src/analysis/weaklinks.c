/*
 * weaklinks.c - the weak-link report model behind `chengyu weak-links`:
 * the order in which its sections are built, and its release.
 *
 * One pass per section over the model's adjacency indexes: single-sourced
 * (customer, part) pairs, supply concentration per part, local supply of
 * OEMs and clusters, cross-region flows and second-source recommendations
 * are computed in the weaklinks_*.c files (weaklinks_internal.h lists
 * them); the cascade impacts, chokepoints, articulation points and bridges
 * come from the resilience module (cascade.c, structure.c) and are only
 * ranked and cross-referenced here.  The formulas are documented in
 * docs/analyses.md ("Weak links").  The writers live in src/report.
 */
#include "weaklinks_internal.h"

#include <string.h>

const char *cy_weak_type_name(cy_weak_type type)
{
    switch (type) {
    case CY_WEAK_SINGLE_SOURCE: return "single_source";
    case CY_WEAK_CHOKEPOINT: return "chokepoint";
    case CY_WEAK_ARTICULATION_POINT: return "articulation_point";
    case CY_WEAK_BRIDGE: return "bridge";
    default: return "unknown";
    }
}

/* ---- the report ------------------------------------------------------ */

void cy_weaklinks_free(cy_weaklinks *report)
{
    if (!report)
        return;
    cy_free(report->register_rows);
    cy_free(report->single_source);
    for (size_t i = 0; i < report->chokepoint_count; i++)
        cy_free(report->chokepoints[i].enterprises);
    cy_free(report->chokepoints);
    cy_free(report->articulation_points);
    cy_free(report->bridges);
    cy_free(report->bridge_impact);
    cy_free(report->cascade_impact);
    cy_free(report->park_impact);
    cy_free(report->region_impact);
    cy_free(report->concentration);
    cy_free(report->region_zone);
    cy_free(report->region_inside);
    cy_free(report->region_order);
    cy_free(report->local_oem);
    cy_free(report->local_cluster);
    cy_free(report->multi_tier_share);
    cy_free(report->region_flows);
    cy_free(report->outside);
    cy_free(report->outside_cut);
    cy_free(report->region_final_demand);
    cy_free(report->region_dependence);
    for (size_t i = 0; i < report->recommendation_count; i++)
        cy_free(report->recommendations[i].customers);
    cy_free(report->recommendations);
    cy_free(report->weak_links);
    cy_free(report->firm_impact);
    cy_free(report->chokepoint_of_ids);
    cy_free(report->outside_firms);
    cy_free(report->candidates);
    cy_free(report->time.rows);
    cy_free(report->time.reason);
    cy_free(report);
}

/* The supplier's entry of firm_impact: a weak link's supplier is always a
 * firm (a chokepoint's or articulation point's is the firm itself). */
const cy_wl_impact *cy_wl_link_impact(const cy_weaklinks *report,
                                      const cy_wl_weak_link *link)
{
    return &report->firm_impact[link->supplier];
}

/* The same formula, and so the same bits, as the ranking used. */
double cy_wl_link_severity(const cy_weaklinks *report, const cy_wl_weak_link *link)
{
    return cy_i_wl_severity(report, report->firm_impact[link->supplier].final_demand_lost);
}

/* The report's totals and the build's per-firm arrays; 0 on OOM. */
static int build_init(cy_i_wl_build *b, const cy_network *net, double threshold)
{
    size_t n = net->enterprise_count;
    b->report = cy_calloc(1, sizeof *b->report);
    if (!b->report)
        return 0;
    b->report->threshold = threshold;
    for (size_t i = 0; i < n; i++) {
        b->report->output_value_total += net->enterprises[i].output_value;
        b->report->demand_node_count += (size_t)cy_enterprise_is_demand_node(net, i);
    }
    b->report->final_demand_total = cy_network_final_demand_total(net);
    b->report->single_part = cy_network_single_part(net);
    b->impact = cy_calloc(n + 1, sizeof *b->impact);
    b->bridges = cy_calloc(n + 1, sizeof *b->bridges);
    b->articulation = cy_calloc(n + 1, 1);
    b->stops = cy_calloc(n + 1, sizeof *b->stops);
    return b->impact && b->bridges && b->articulation && b->stops &&
           cy_i_wl_ranks_init(net, &b->ranks);
}

/* The structure into the build, for cy_i_wl_structure to take. */
static cy_status structure_work(void *arg, cy_error *err)
{
    cy_i_wl_build *b = arg;
    return cy_structure_compute(b->net, &b->structure, err);
}

void cy_i_wl_structure_start(cy_i_wl_build *b)
{
    cy_i_beside_init(&b->structure_job, structure_work, b);
    cy_i_beside_start(&b->structure_job, 1);
}

cy_status cy_i_wl_structure(cy_i_wl_build *b, cy_structure *out)
{
    cy_status status = cy_i_beside_finish(&b->structure_job, b->err);
    *out = b->structure;
    memset(&b->structure, 0, sizeof b->structure);
    return status;
}

void cy_i_wl_structure_drop(cy_i_wl_build *b)
{
    if (cy_i_beside_join(&b->structure_job))
        cy_structure_destroy(&b->structure);
}

static void build_destroy(cy_i_wl_build *b)
{
    cy_i_wl_structure_drop(b);
    cy_weaklinks_free(b->report);
    cy_i_wl_ranks_destroy(&b->ranks);
    cy_free(b->impact);
    cy_free(b->bridges);
    cy_free(b->articulation);
    cy_free(b->stops);
    cy_free(b->impact_class);
    cy_free(b->killer_offset);
    cy_free(b->killers);
    cy_i_cascade_destroy(&b->engine);
}

/*
 * The part-level sections (single sourcing, concentration,
 * recommendations), skipped when every link carries one part: they would
 * list every firm and mean nothing.
 */
static cy_status part_sections(cy_i_wl_build *b, const cy_i_wl_part_index *parts)
{
    cy_status status;
    if (b->report->single_part)
        return CY_OK;
    if ((status = cy_i_wl_single_source(b)) != CY_OK)
        return status;
    return cy_i_wl_concentration(b, parts);
}

/*
 * Two of the sections' serial work (this and register_work below) run on
 * a helper thread (cy_i_beside) beside the sections that follow them,
 * when it reads nothing they write and they read nothing it writes, and
 * it never calls igraph; the results are the same wherever it runs.  Its
 * failure is a bare status, like every section's (the caller adds the
 * message).
 *
 * This one: work that needs only the resilience section (2) and the part
 * index, and that the sections after it read from section 4 on: the
 * single-source ranking (section 4 itself) and the candidate producers of every part
 * (read by the backups in section 5).  Both are serial sorts, so they run
 * beside section 3 (outside), which never reads single_source, the
 * producers or anything they write.
 */
typedef struct {
    cy_i_wl_build *b;
    const cy_i_wl_part_index *parts;
    cy_i_wl_producers producers;
    cy_i_beside job;
} ahead_job;

static cy_status ahead_work(void *arg, cy_error *err)
{
    ahead_job *a = arg;
    (void)err;
    cy_status status = cy_i_wl_rank_single_source(a->b);
    if (status != CY_OK || a->b->report->single_part)
        return status;
    return cy_i_wl_producers_init(a->b, a->parts, &a->producers) ? CY_OK : CY_ENOMEM;
}

/* Joined if it was started (a section failed), and its producers freed. */
static void ahead_destroy(ahead_job *a)
{
    cy_i_beside_join(&a->job);
    cy_i_wl_producers_destroy(&a->producers);
    a->producers.offset = a->producers.firms = NULL;
}

/*
 * The risk register (section 8) reads the recommendations, the impacts
 * and the per-firm roles, all final after section 5, and neither the weak
 * links nor their pointers to recommendations, which sections 6 and 7
 * make: it runs beside section 7.  Not beside section 6 too: its rows
 * would then be made while section 6 holds the single-source pairs' sort
 * keys and their sorted copy, as the weak-link rows, the report's largest
 * array, are made.
 */
static cy_status register_work(void *arg, cy_error *err)
{
    (void)err;
    return cy_i_wl_register(arg);
}

/* Recommendations, ranked, and their backups (`producers` from
 * ahead_work). */
static cy_status recommendation_sections(cy_i_wl_build *b, const cy_i_wl_producers *producers)
{
    size_t cap = 0;
    cy_status status;
    if (b->report->single_part)
        return CY_OK;
    if ((status = cy_i_wl_single_source_recommendations(b, &cap)) != CY_OK ||
        (status = cy_i_wl_chokepoint_recommendations(b, &cap)) != CY_OK)
        return status;
    if ((status = cy_i_wl_rank_recommendations(b)) != CY_OK)
        return status;
    return cy_i_wl_backups(b, producers);
}

/* The report's sections, in the order they must be computed. */
#define SECTION_COUNT 9

/*
 * Each section's share of the work, in percent, for the progress: its
 * share of a weak-links run on the province preset (Debug build).  The
 * resilience section (2) passes its single failures through
 * (cy_i_wl_inner_progress), which take about half of it there; its
 * bridges, all at once, are the rest.
 */
static const double section_weight[SECTION_COUNT] = {5, 6, 38, 8, 2, 29, 8, 3, 1};
#define CY_I_WL_INNER_SHARE 0.5

static void report_progress(const cy_i_wl_build *b, double percent)
{
    if (b->options && b->options->progress)
        b->options->progress("weak links", percent > 100.0 ? 100.0 : percent,
                             b->options->progress_data);
}

void cy_i_wl_inner_progress(const char *what, double percent, void *data)
{
    const cy_i_wl_build *b = data;
    (void)what;
    if (percent > 0.0 && percent < 100.0)
        report_progress(b, b->progress_at + b->progress_span * CY_I_WL_INNER_SHARE *
                                                percent / 100.0);
}

/*
 * The state only the sections up to the recommendations (0-5) read: the
 * cascade index, the killer lists and the part index.  It goes before the
 * weak-link rows, the report's largest array, are made, and the freed
 * memory is handed back to the system, so that the peak of a large
 * network does not hold both (docs/performance.md, "Memory").
 */
#define LAST_SECTION_WITH_SCRATCH 5

static void release_scratch(cy_i_wl_build *b, cy_i_wl_part_index *parts)
{
    cy_i_cascade_destroy(&b->engine);
    cy_free(b->killer_offset);
    cy_free(b->killers);
    b->killer_offset = b->killers = NULL;
    cy_i_wl_part_index_destroy(parts);
    parts->offset = parts->links = NULL;
    cy_i_mem_release();
}

/*
 * Section k.  Section 4's work (and the producers section 5 reads) is
 * started before section 3 and collected here (ahead_job above); section
 * 8's before section 7 (register_work).
 */
static cy_status run_section(cy_i_wl_build *b, const cy_i_wl_part_index *parts,
                             ahead_job *ahead, cy_i_beside *reg, int k)
{
    cy_status status;
    switch (k) {
    case 0: return part_sections(b, parts);
    case 1: return cy_i_wl_local_supply(b);
    case 2: return cy_i_wl_resilience(b);
    case 3:
        cy_i_beside_start(&ahead->job, 1);
        return cy_i_wl_outside(b);
    case 4: return cy_i_beside_finish(&ahead->job, b->err);
    case 5:
        status = recommendation_sections(b, &ahead->producers);
        ahead_destroy(ahead);
        return status;
    case 6: return cy_i_wl_rank_weak_links(b);
    case 7:
        cy_i_beside_start(reg, 1);
        return cy_i_wl_link_recommendations(b);
    default: return cy_i_beside_finish(reg, b->err);
    }
}

static int fail_after_section = -1;

void cy_i_wl_fail_after_section(int k)
{
    fail_after_section = k;
}

/*
 * The weak links and backups hold 32-bit firm and part ids: the model's
 * id tables stop below CY_WL_NONE32 - 1 entries (network.c), so this only
 * guards a network built some other way.
 */
static int ids_fit(const cy_network *net)
{
    return net->enterprise_count < CY_WL_NONE32 && cy_network_part_count(net) < CY_WL_NONE32;
}

cy_status cy_weaklinks_compute(const cy_network *net,
                               const cy_weaklinks_options *options,
                               cy_weaklinks **out, cy_error *err)
{
    double threshold = options ? options->threshold : 0.0;
    cy_i_wl_build b;
    cy_i_wl_part_index parts = {NULL, NULL};
    ahead_job ahead;
    cy_i_beside reg;
    cy_status status = CY_ENOMEM;

    cy_library_init();
    *out = NULL;
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "threshold %g is outside [0, 1]", threshold);
        return CY_EUSAGE;
    }
    if (!ids_fit(net)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "too many firms or parts for the weak-link report (at most %lu)",
                     (unsigned long)CY_WL_NONE32 - 1);
        return CY_EUSAGE;
    }
    memset(&b, 0, sizeof b);
    memset(&ahead, 0, sizeof ahead);
    ahead.b = &b;
    ahead.parts = &parts;
    cy_i_beside_init(&ahead.job, ahead_work, &ahead);
    cy_i_beside_init(&reg, register_work, &b);
    b.net = net;
    b.err = err;
    /* igraph's part (the bridges, needed by section 2) runs beside the
     * set-up (the id ranks sort every id) and the sections before it,
     * which are serial and never call igraph. */
    cy_i_wl_structure_start(&b);
    if (!build_init(&b, net, threshold) || !cy_i_wl_part_index_init(net, &parts))
        goto fail;
    if ((status = cy_i_cascade_init(&b.engine, net, threshold, err)) != CY_OK)
        goto fail;
    b.options = options;
    report_progress(&b, 0.0);
    for (int k = 0; k < SECTION_COUNT; k++) {
        b.progress_span = section_weight[k];
        status = run_section(&b, &parts, &ahead, &reg, k);
        if (status == CY_OK && k == fail_after_section)
            status = CY_ENOMEM; /* tests: a failure while helpers run */
        if (status != CY_OK)
            goto fail;
        if (k == LAST_SECTION_WITH_SCRATCH)
            release_scratch(&b, &parts);
        b.progress_at += section_weight[k];
        report_progress(&b, b.progress_at);
    }
    /* The per-firm impacts every weak link refers to (by its supplier)
     * become the report's. */
    b.report->firm_impact = b.impact;
    b.impact = NULL;
    *out = b.report;
    b.report = NULL;
    status = CY_OK;
fail:
    if (status == CY_ENOMEM)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in the weak-link report");
    ahead_destroy(&ahead);
    cy_i_beside_join(&reg);
    build_destroy(&b);
    cy_i_wl_part_index_destroy(&parts);
    return status;
}
