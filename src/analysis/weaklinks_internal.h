/*
 * weaklinks_internal.h - what the files of the weak-link report share
 * while cy_weaklinks_compute (weaklinks.c) builds it: the id ranks every
 * ordering uses, the build context, and one entry point per section.
 *
 *   weaklinks.c               entry point, the order of the sections, free
 *   weaklinks_order.c         id ranks and the comparisons every sort uses
 *   weaklinks_circle.c        which regions are in the Chengdu-Chongqing circle
 *   weaklinks_sourcing.c      single_source and the per-part link index
 *   weaklinks_concentration.c concentration (HHI, largest supplier/park/region)
 *   weaklinks_local.c         local_supply and cross_region
 *   weaklinks_ranking.c       the resilience sections and the weak-link ranking
 *   weaklinks_outside.c       dependence beyond the circle: outside chokepoints,
 *                             the multi-tier share, region_dependence
 *   weaklinks_recommend.c     which recommendations, their order and links
 *   weaklinks_killers.c       who stops whom: the killer list of each firm
 *   weaklinks_backups.c       the candidate second sources of each one
 *   weaklinks_register.c      the risk register, one row per firm
 *   weaklinks_time.c          the time section (cy_weaklinks_time, public: run
 *                             apart, after the report, by its caller)
 *
 * Private to libchengyu.
 */
#ifndef CHENGYU_WEAKLINKS_INTERNAL_H
#define CHENGYU_WEAKLINKS_INTERNAL_H

#include "internal.h"

#include <pthread.h>

/* ---- ordering (weaklinks_order.c) ---------------------------------------- */

/* Ranks of enterprises, parts and groups by id (by name for parts): the
 * position of each in ascending byte order, so sorts compare integers. */
typedef struct {
    size_t *enterprise;
    size_t *part;
    size_t *group[CY_GROUP_KIND_COUNT];
} cy_i_wl_ranks;

/* 0 on OOM (nothing to destroy then).  Time complexity: O(k log k) for k
 * enterprises, parts and groups. */
int cy_i_wl_ranks_init(const cy_network *net, cy_i_wl_ranks *r);
void cy_i_wl_ranks_destroy(cy_i_wl_ranks *r);

/* -1, 0, 1 as a < b, a == b, a > b.  Time complexity: O(1). */
int cy_i_wl_cmp_size(size_t a, size_t b);
/* Descending by a double, NaN last.  Time complexity: O(1). */
int cy_i_wl_desc_double(double a, double b);

/* An index with the rank it sorts by. */
typedef struct {
    size_t rank;
    size_t index;
} cy_i_wl_ranked;

/* qsort comparator of cy_i_wl_ranked, ascending by rank. */
int cy_i_wl_ranked_cmp(const void *a, const void *b);

/* Fill out[0..count) with 0..count-1 ordered by rank; 0 on OOM.
 * Time complexity: O(count log count). */
int cy_i_wl_order_by_rank(const size_t *rank, size_t count, size_t *out);

/* 1 when the ascending array holds value.  Time complexity: O(log count). */
int cy_i_wl_sorted_contains(const size_t *array, size_t count, size_t value);

/* The rank of an index field that may be CY_WL_NONE (which sorts first).
 * Time complexity: O(1). */
size_t cy_i_wl_rank_or_none(const size_t *rank, size_t index);

/* 100 * final demand lost / the network's final demand, 0 when that is 0.
 * Time complexity: O(1). */
double cy_i_wl_severity(const cy_weaklinks *rep, double final_demand_lost);

/* The ranking every list starts with: final demand lost, then demand
 * nodes failed, then firms failed, all descending.  Time complexity: O(1). */
int cy_i_wl_impact_cmp(const cy_wl_impact *a, const cy_wl_impact *b);

/* ---- the build ------------------------------------------------------------ */

/*
 * Everything the sections share while the report is built.  impact[i] is
 * what enterprise i's failure stops; killers[killer_offset[x] ..
 * killer_offset[x + 1]) are the firms whose single failure fails x, x
 * included, by id (weaklinks_killers.c); bridges[i] counts the weak-link
 * bridges i is the supplying end of, articulation[i] says whether i is a
 * weak-link articulation point; report->chokepoint_of_ids[stops[i] ..
 * stops[i + 1]) the demand nodes i alone stops, by id.  `engine` is the
 * cascade index at the
 * report's threshold (its scratch state is reset after every use).
 */
typedef struct {
    const cy_network *net;
    cy_weaklinks *report;
    cy_i_wl_ranks ranks;
    cy_error *err;
    cy_wl_impact *impact;
    size_t *killer_offset;
    size_t *killers;
    size_t *bridges;
    unsigned char *articulation; /* a weak-link articulation point */
    size_t *stops;
    /* impact_class[i]: the dense rank of b->impact[i] in the order of
     * cy_i_wl_impact_cmp (0 first), set with the impacts by
     * cy_i_wl_resilience: the later sorts by impact compare it instead. */
    size_t *impact_class;
    cy_i_cascade engine;
    /* The caller's progress (may be NULL) and where the running section
     * lies in it: from `progress_at` percent, `progress_span` wide. */
    const cy_weaklinks_options *options;
    double progress_at, progress_span;
    /* Articulation points and bridges, computed ahead on a helper thread
     * while the first sections run (cy_i_wl_structure_start), into
     * `structure` until cy_i_wl_structure takes it. */
    cy_i_beside structure_job;
    cy_structure structure;
} cy_i_wl_build;

/*
 * Start cy_structure_compute on a helper thread when that can save time
 * and changes nothing else: more than one thread allowed, no allocation
 * failure being injected (the Nth allocation must stay the same one), not
 * inside a parallel item.  Otherwise, or when the thread cannot start,
 * nothing happens and cy_i_wl_structure computes it in place.  igraph is
 * not thread-safe: until cy_i_wl_structure, the calling thread must not
 * call igraph (the sections before the bridges do not).
 */
void cy_i_wl_structure_start(cy_i_wl_build *b);
/* The structure: the helper's (joined; its messages moved to b->err) or
 * computed now.  *out is the caller's to destroy.  Time complexity: that
 * of cy_structure_compute when computed here, else the wait. */
cy_status cy_i_wl_structure(cy_i_wl_build *b, cy_structure *out);
/* Join the helper if it still runs and drop its result (error paths). */
void cy_i_wl_structure_drop(cy_i_wl_build *b);

/* A cy_progress_fn for a stage inside a section (data: the build): its
 * percent, scaled into the first CY_I_WL_INNER_SHARE of the section.
 * Time complexity: O(1) plus the caller's callback. */
void cy_i_wl_inner_progress(const char *what, double percent, void *data);

/* 1 when losing link j alone stops its customer under the cascade rule:
 * the customer requires its part and has no other supplier of it, or
 * T > 0 and the others' shares sum below T.  Time complexity: O(1). */
int cy_i_wl_link_critical(const cy_i_cascade *engine, size_t j);

/* Links bucketed by part: links[offset[p] .. offset[p + 1]) are the link
 * indices of part p, in index order. */
typedef struct {
    size_t *offset;
    size_t *links;
} cy_i_wl_part_index;

/* 0 on OOM; destroy it either way.  Time complexity: O(m + parts). */
int cy_i_wl_part_index_init(const cy_network *net, cy_i_wl_part_index *ix);
void cy_i_wl_part_index_destroy(cy_i_wl_part_index *ix);

/*
 * The sections, in the order weaklinks.c calls them.  Each returns CY_OK,
 * CY_ENOMEM, or what the resilience module returned; what it built is in
 * the report either way (cy_weaklinks_free releases it).
 */
cy_status cy_i_wl_single_source(cy_i_wl_build *b);
cy_status cy_i_wl_concentration(cy_i_wl_build *b, const cy_i_wl_part_index *ix);
cy_status cy_i_wl_local_supply(cy_i_wl_build *b);
/* Fills b->impact and b->bridges too. */
cy_status cy_i_wl_resilience(cy_i_wl_build *b);
cy_status cy_i_wl_outside(cy_i_wl_build *b);
cy_status cy_i_wl_rank_single_source(cy_i_wl_build *b);
/* Append to report->recommendations (capacity *cap). */
cy_status cy_i_wl_single_source_recommendations(cy_i_wl_build *b, size_t *cap);
cy_status cy_i_wl_chokepoint_recommendations(cy_i_wl_build *b, size_t *cap);
/* Forward: the producers of each part, below. */
typedef struct cy_i_wl_producers cy_i_wl_producers;
/* The killer lists of the current suppliers and candidates of the
 * recommendations with candidates (their backup_count is set). */
cy_status cy_i_wl_killers(cy_i_wl_build *b, const cy_i_wl_producers *pr);
/* Count, then (with cy_i_wl_killers) choose the backups. */
cy_status cy_i_wl_backups(cy_i_wl_build *b, const cy_i_wl_producers *pr);
cy_status cy_i_wl_rank_recommendations(cy_i_wl_build *b);
cy_status cy_i_wl_rank_weak_links(cy_i_wl_build *b);
cy_status cy_i_wl_link_recommendations(cy_i_wl_build *b);
cy_status cy_i_wl_register(cy_i_wl_build *b);

/*
 * The producers of each part: firms that list it in `produces` or supply
 * it on a link, each part's list sorted by id and without repeats:
 * firms[offset[p] .. offset[p + 1]).  0 on OOM; destroy it either way.
 * Time complexity: O(m + sum of produces + k log k per part of k).
 */
struct cy_i_wl_producers {
    size_t *offset;
    size_t *firms;
};

int cy_i_wl_producers_init(const cy_i_wl_build *b, const cy_i_wl_part_index *ix,
                           cy_i_wl_producers *pr);
void cy_i_wl_producers_destroy(cy_i_wl_producers *pr);

#endif /* CHENGYU_WEAKLINKS_INTERNAL_H */
