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
    cy_free(report->single_source);
    for (size_t i = 0; i < report->chokepoint_count; i++)
        cy_free(report->chokepoints[i].enterprises);
    cy_free(report->chokepoints);
    cy_free(report->articulation_points);
    cy_free(report->bridges);
    cy_free(report->cascade_impact);
    cy_free(report->park_impact);
    cy_free(report->region_impact);
    cy_free(report->concentration);
    cy_free(report->region_zone);
    cy_free(report->local_oem);
    cy_free(report->local_cluster);
    cy_free(report->region_flows);
    for (size_t i = 0; i < report->recommendation_count; i++) {
        cy_free(report->recommendations[i].customers);
        cy_free(report->recommendations[i].oems);
    }
    cy_free(report->recommendations);
    cy_free(report->weak_links);
    cy_free(report);
}

cy_status cy_weaklinks_compute(const cy_network *net,
                               const cy_weaklinks_options *options,
                               cy_weaklinks **out, cy_error *err)
{
    double threshold = options ? options->threshold : 0.0;
    size_t n = net->enterprise_count, rec_cap = 0;
    cy_i_wl_build b;
    cy_i_wl_part_index parts = {NULL, NULL};
    size_t *failed = NULL;
    double *lost = NULL;
    cy_status status = CY_ENOMEM;
    int have_ranks = 0;

    cy_library_init();
    *out = NULL;
    if (!(threshold >= 0.0 && threshold <= 1.0)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "threshold %g is outside [0, 1]", threshold);
        return CY_EUSAGE;
    }
    memset(&b, 0, sizeof b);
    b.net = net;
    b.err = err;
    b.report = cy_calloc(1, sizeof *b.report);
    if (!b.report)
        goto fail;
    b.report->threshold = threshold;
    for (size_t i = 0; i < n; i++)
        b.report->output_value_total += net->enterprises[i].output_value;
    if (!cy_i_wl_ranks_init(net, &b.ranks))
        goto fail;
    have_ranks = 1;
    failed = cy_calloc(n, sizeof *failed);
    lost = cy_calloc(n, sizeof *lost);
    if (!failed || !lost || !cy_i_wl_part_index_init(net, &parts))
        goto fail;

    if ((status = cy_i_wl_single_source(&b)) != CY_OK ||
        (status = cy_i_wl_concentration(&b, &parts)) != CY_OK ||
        (status = cy_i_wl_local_supply(&b)) != CY_OK ||
        (status = cy_i_wl_resilience(&b, failed, lost)) != CY_OK ||
        (status = cy_i_wl_rank_single_source(&b, lost)) != CY_OK ||
        (status = cy_i_wl_single_source_recommendations(&b, &rec_cap)) != CY_OK ||
        (status = cy_i_wl_chokepoint_recommendations(&b, lost, &rec_cap)) != CY_OK ||
        (status = cy_i_wl_backups(&b, &parts)) != CY_OK ||
        (status = cy_i_wl_rank_recommendations(&b)) != CY_OK ||
        (status = cy_i_wl_rank_weak_links(&b, failed, lost)) != CY_OK ||
        (status = cy_i_wl_link_recommendations(&b)) != CY_OK)
        goto fail;
    for (size_t i = 0; i < b.report->recommendation_count; i++)
        b.report->no_backup_count += b.report->recommendations[i].backup_count == 0;

    *out = b.report;
    b.report = NULL;
    status = CY_OK;
fail:
    if (status == CY_ENOMEM)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in the weak-link report");
    cy_weaklinks_free(b.report);
    if (have_ranks)
        cy_i_wl_ranks_destroy(&b.ranks);
    cy_i_wl_part_index_destroy(&parts);
    cy_free(failed);
    cy_free(lost);
    return status;
}
