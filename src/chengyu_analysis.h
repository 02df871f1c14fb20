/*
 * chengyu_analysis.h - the analyses: pure functions of a const cy_network that fill result structs (info, centrality, cascades, structure, resilience, weak links). None reads files or formats text.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_ANALYSIS_H
#define CHENGYU_ANALYSIS_H

#include "chengyu_network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* info                                                                */
/* ------------------------------------------------------------------ */

/* Counts and summary statistics of a network (chengyu info). */
typedef struct {
    size_t enterprise_count;
    size_t link_count;
    size_t firm_edge_count;          /* distinct (supplier, customer) pairs */
    size_t part_count;               /* distinct part names */
    size_t kind_count[CY_KIND_COUNT];
    size_t group_count[CY_GROUP_KIND_COUNT];
    size_t tier_max;                 /* highest tier given, 0 if none */
    size_t *tier_count;              /* tier_max + 1 entries */
    size_t untiered_count;           /* enterprises without a tier */
    size_t *group_members[CY_GROUP_KIND_COUNT]; /* enterprises per group */
    size_t ungrouped_count[CY_GROUP_KIND_COUNT]; /* enterprises in none */
    size_t component_count;          /* weakly connected components */
    size_t largest_component;        /* enterprises in the largest one */
    double density;                  /* firm edges / (n (n - 1)) */
    size_t degree_min, degree_max;   /* total degree in the firm graph */
    double degree_median;
    size_t single_sourced_pairs;     /* (enterprise, part) with 1 supplier */
    size_t unsupplied_requirements;  /* (enterprise, part) with 0 suppliers */
    double total_output_value;
} cy_info;

/*
 * Compute the summary of `net`.  Release with cy_info_destroy.
 * Time complexity: O(n log n + m).
 */
cy_status cy_info_compute(const cy_network *net, cy_info *info, cy_error *err);
void cy_info_destroy(cy_info *info);


/* --- centrality --------------------------------------------------- */

/*
 * Centrality measures on the firm graph (vertex = enterprise, one edge per
 * supplier -> customer pair, volumes of parallel links summed) or on a group
 * graph (--by park|cluster|region).  Every measure is computed by igraph;
 * the directed conventions follow NetworkX where it has the same measure
 * (see docs/analyses.md for each formula).
 */
typedef enum {
    CY_MEASURE_DEGREE = 0,   /* in + out edges (distinct neighbours counted per direction) */
    CY_MEASURE_IN_DEGREE,    /* distinct suppliers */
    CY_MEASURE_OUT_DEGREE,   /* distinct customers */
    CY_MEASURE_STRENGTH,     /* summed volume of incoming and outgoing links */
    CY_MEASURE_BETWEENNESS,  /* shortest-path count, igraph/NetworkX convention */
    CY_MEASURE_CLOSENESS,    /* incoming distances, Wasserman-Faust scaled */
    CY_MEASURE_HARMONIC,     /* sum of 1/d(u, v) over sources u */
    CY_MEASURE_PAGERANK,     /* damping 0.85, dangling mass spread uniformly */
    CY_MEASURE_EIGENVECTOR,  /* in-edge eigenvector, unit Euclidean norm */
    CY_MEASURE_HUB,          /* HITS hub score, sums to 1 */
    CY_MEASURE_AUTHORITY,    /* HITS authority score, sums to 1 */
    CY_MEASURE_CORENESS,     /* k-core number on in + out degree */
    CY_MEASURE_COUNT
} cy_measure;

/* The measure's name as used on the command line and in output headers
 * ("degree", "in_degree", ...).  Time complexity: O(1). */
const char *cy_measure_name(cy_measure measure);

/*
 * Parse a comma-separated list of measure names ("degree,pagerank") into
 * measures[] (room for CY_MEASURE_COUNT) and *count, in the order given.
 * An unknown name, an empty item or a name given twice is CY_EUSAGE with a
 * message naming it.  Time complexity: O(length of list).
 */
cy_status cy_measure_list_parse(const char *list, cy_measure *measures,
                                size_t *count, cy_error *err);

/* Betweenness is sampled automatically, from CY_CENTRALITY_AUTO_SOURCES
 * sources, when the exact computation would visit more edges than this
 * (tens of seconds on one core; docs/performance.md): estimated as the mean
 * number of vertices reached from 32 probe sources times the number of
 * edges. */
#define CY_CENTRALITY_EXACT_LIMIT 5e8
#define CY_CENTRALITY_AUTO_SOURCES 256

/* No grouping: one row per enterprise. */
#define CY_CENTRALITY_BY_FIRM (-1)

/*
 * Progress callback: `measure` names the step being computed (a measure,
 * an attack, "single failures"), `percent` runs from 0 to 100 for each
 * one.  Called from inside the computation (igraph's for centrality), so
 * it must return quickly.
 */
typedef void (*cy_progress_fn)(const char *measure, double percent,
                               void *data);

typedef struct {
    cy_measure measures[CY_MEASURE_COUNT]; /* in output column order */
    size_t measure_count;                  /* 0 = degree, betweenness, pagerank */
    int weighted;     /* volumes as weights; path lengths 1/volume */
    int undirected;   /* the undirected view (mutual pairs merged) */
    int normalized;   /* betweenness, harmonic and degrees scaled to [0, 1] */
    /* Betweenness sources: -1 automatic (exact up to an estimated cost of
     * CY_CENTRALITY_EXACT_LIMIT, then CY_CENTRALITY_AUTO_SOURCES sampled),
     * 0 always exact, K > 0 sample K sources (K >= vertices means all). */
    long approx_sources;
    uint64_t seed;    /* igraph's RNG seed for the sample */
    int group_kind;   /* CY_CENTRALITY_BY_FIRM or a cy_group_kind */
    cy_progress_fn progress; /* may be NULL */
    void *progress_data;
} cy_centrality_options;

/* Fill `options` with the defaults above.  Time complexity: O(1). */
void cy_centrality_options_init(cy_centrality_options *options);

/* What the measures were computed on. */
typedef struct {
    const char *view;         /* "firm", "region", "cluster" or "park" */
    size_t vertices;          /* of the analysed graph */
    size_t edges;             /* of the analysed graph (merged) */
    size_t enterprises;       /* of the network */
    size_t links;             /* of the network */
    int directed, weighted, normalized;
    size_t zero_volume_edges; /* weighted: edges ignored by path measures */
    size_t betweenness_sources; /* 0: exact; else sources sampled */
    int betweenness_auto;     /* 1 when sampling was chosen automatically */
    uint64_t seed;
} cy_centrality_graph;

typedef struct cy_centrality_result cy_centrality_result;

/*
 * Compute the chosen measures.  On success *out holds one row per
 * enterprise (or per group of options->group_kind, every group of that
 * kind, members or not) in index order, and CY_OK is returned; notes such
 * as automatic sampling, zero-volume edges or an acyclic graph with
 * directed eigenvector centrality are added to err as warnings.  The result
 * borrows id and name strings from `net`: free it before the network.
 * Installs options->progress as igraph's progress handler for the duration
 * of the call (not thread-safe).  CY_EUSAGE for bad options.
 * Time complexity: O(m log m) to build the analysed graph plus, per
 * measure, igraph's cost: degrees and strength O(n + m), coreness O(m),
 * PageRank, eigenvector, hub/authority O(m) per iteration, betweenness
 * O(n m) unweighted and O(n m + n^2 log n) weighted (O(K m ...) sampled,
 * plus 32 searches to estimate the exact cost when automatic), closeness
 * and harmonic the same as exact betweenness.
 */
cy_status cy_centrality_compute(const cy_network *net,
                                const cy_centrality_options *options,
                                cy_centrality_result **out, cy_error *err);

void cy_centrality_free(cy_centrality_result *result);

/* Accessors.  Rows are 0-based; values are indexed by the position of the
 * measure in options->measures.  All O(1). */
const cy_centrality_graph *cy_centrality_graph_info(const cy_centrality_result *result);
size_t cy_centrality_measure_count(const cy_centrality_result *result);
cy_measure cy_centrality_measure(const cy_centrality_result *result, size_t k);
size_t cy_centrality_row_count(const cy_centrality_result *result);
/* The enterprise (or group) index of row i. */
size_t cy_centrality_row_index(const cy_centrality_result *result, size_t i);
const char *cy_centrality_row_id(const cy_centrality_result *result, size_t i);
const char *cy_centrality_row_name(const cy_centrality_result *result, size_t i);
/* The enterprise kind ("oem", ...) or the group kind ("park", ...). */
const char *cy_centrality_row_kind(const cy_centrality_result *result, size_t i);
double cy_centrality_value(const cy_centrality_result *result, size_t i,
                           size_t k);
/* 1 when measure k's values are integers (degrees unnormalized, coreness). */
int cy_centrality_measure_is_integer(const cy_centrality_result *result,
                                     size_t k);

/*
 * Sort the rows by the first measure, highest first, ties by id (byte
 * order), NaN last, and keep the first `top` (0 = keep all).  CY_ENOMEM
 * (rows untouched) when the sort's scratch array cannot be allocated.
 * Time complexity: O(r log r) for r rows.
 */
cy_status cy_centrality_keep_top(cy_centrality_result *result, size_t top,
                                 cy_error *err);

/* --- resilience, cascade, structure ------------------------------- */

/*
 * The cascade rule (docs/analyses.md, "Disruption cascades").  Every
 * enterprise c requires a set of parts (its `requires`); the suppliers of
 * (c, p) are its incoming links of part p.  Link j covers share s_j of the
 * need (the file's `share`, or 1/k for the k suppliers of the part when the
 * file gives none).  c fails when, for some required part p, a supplier of
 * (c, p) has failed and either no supplier of (c, p) survives or the
 * surviving shares sum to less than the threshold T (minus
 * CY_CASCADE_EPSILON, which absorbs rounding such as 1/3 + 1/3 + 1/3).
 * With T = 0 a firm fails only when a part loses every supplier.  Failures
 * spread round by round until nothing changes.  A required part without any
 * supplier in the input is a pre-existing gap: it never makes anything fail
 * and is reported separately.  Thresholds must lie in [0, 1].
 */
#define CY_CASCADE_EPSILON 1e-9

/* Enterprises of one group that failed: how many, their output value
 * (gross), their final demand and how many were demand nodes. */
typedef struct {
    size_t failed_count;
    double output_value_lost;
    double final_demand_lost;
    size_t demand_nodes_failed;
} cy_group_loss;

/* A pre-existing gap: `enterprise` requires `part`, nobody supplies it. */
typedef struct {
    size_t enterprise;
    size_t part;
} cy_gap;

/*
 * The result of one cascade.  `failed` lists every failed enterprise
 * (indices) in failure order: the initial ones first, in the order given,
 * then round 1, round 2, ..., each round in index (file) order;
 * failed_round[k] is the round of failed[k] (0 for the initial ones) and
 * `rounds` the last round in which something failed (0 when the disruption
 * spread nowhere).  Output values are the `output_value`s of the failed
 * enterprises (all kinds) against the total of all enterprises: gross,
 * a chain's value counted at every tier.  final_demand_lost sums the final
 * demand (cy_enterprise_final_demand) of the failed enterprises, each yuan
 * of sales to outside the network counted once, against the network's
 * total; demand_nodes_failed counts the failed demand nodes.  by_park and
 * by_region have one entry per park / region (cy_network_group_count); an
 * enterprise without a region counts in the region of its park.  `gaps`
 * lists every pre-existing gap of the network, by enterprise then part.
 */
typedef struct {
    size_t *initial;
    size_t initial_count;
    size_t *failed;
    size_t *failed_round;
    size_t failed_count;
    size_t rounds;
    double output_value_lost;
    double output_value_total;
    double final_demand_lost;
    double final_demand_total;
    size_t demand_nodes_failed;
    cy_group_loss *by_park;
    cy_group_loss *by_region;
    cy_gap *gaps;
    size_t gap_count;
    /* What every run fills (cy_cascade_run_shock and the older entry
     * points alike): the model used, fraction[v] the output fraction of
     * every enterprise v (1 untouched, 0 failed, in between only under
     * the fractional model), and `reduced` the enterprises running below
     * 1 without failing, by fraction ascending, then index. */
    int model;          /* a cy_cascade_model */
    double *fraction;   /* one per enterprise */
    size_t *reduced;
    size_t reduced_count;
} cy_cascade_result;

/*
 * The two cascade models (docs/analyses.md, "Partial capacity: the
 * fractional model").  THRESHOLD is the rule above: a firm runs or stops.
 * FRACTIONAL gives every firm an output fraction f in [0, 1]: 1 at the
 * start, the capacity left for a degraded firm, 0 for a failed one; a
 * customer's supply of a required part p is
 *     supply(c, p) = 1                               when no supplier of
 *                                                     (c, p) runs below 1,
 *     supply(c, p) = min(1, sum over j of s_j f_from(j))  otherwise,
 * f_c = min(capacity left of c, min over its parts of supply(c, p)), and
 * c fails (f_c = 0) when f_c < T - CY_CASCADE_EPSILON or f_c <= 0.  The
 * fractions only fall, from 1, so they reach the greatest fixed point
 * wherever no firm falls more than CY_CASCADE_MAX_PASSES times (below); on
 * a cycle that feeds itself partly they stop above it.  At T = 0
 * both models fail exactly the same firms for the same full failures; at
 * T > 0 the fractional one can fail more (a reduced firm passes its
 * reduction on).
 */
typedef enum {
    CY_CASCADE_THRESHOLD = 0,
    CY_CASCADE_FRACTIONAL = 1
} cy_cascade_model;

/* One degraded enterprise: the fraction of its capacity left, in [0, 1]. */
typedef struct {
    size_t enterprise;
    double capacity_left;
} cy_degrade;

/*
 * A combined shock: enterprises failing (`fail`, any mix of firms and the
 * members of parks and regions, which the caller expands; duplicates
 * count once) and enterprises degraded to a capacity left (the smallest
 * counts when one is given twice).  Capacity 0 is a failure, 1 nothing.
 */
typedef struct {
    int model;                 /* a cy_cascade_model */
    double threshold;          /* T in [0, 1] */
    const size_t *fail;
    size_t fail_count;
    const cy_degrade *degrade;
    size_t degrade_count;
} cy_shock;

/*
 * Run a combined shock.  The initial enterprises are the failing ones in
 * the order given, then the degraded ones whose capacity left is 0 or
 * below T.  CY_EUSAGE for an index out of range, a threshold or capacity
 * outside [0, 1], an unknown model, or (THRESHOLD model) a capacity
 * strictly between 0 and 1, which a run-or-stop model cannot express.
 * Release with cy_cascade_result_destroy.
 * Time complexity: THRESHOLD as cy_cascade_run.  FRACTIONAL: O(n + m) to
 * index, then O(links leaving a firm) each time that firm's fraction
 * falls (at most once per round); a firm passes on at most
 * CY_CASCADE_MAX_PASSES partial falls and one failure, so never more than
 * O(n + 65 m) in all (docs/analyses.md).
 */
cy_status cy_cascade_run_shock(const cy_network *net, const cy_shock *shock,
                               cy_cascade_result *result, cy_error *err);

/* Falls of a firm's fraction smaller than this are not passed on, nor
 * partial falls after a firm has passed on CY_CASCADE_MAX_PASSES of them:
 * what bounds the work on a supply cycle that feeds itself partly, whose
 * fractions only approach their fixed point geometrically (there the
 * fractions reported are upper bounds of it; on an acyclic network they
 * are exact). */
#define CY_CASCADE_TOLERANCE 1e-12
#define CY_CASCADE_MAX_PASSES 64

/* The name of a model ("threshold", "fractional"). */
const char *cy_cascade_model_name(int model);

/*
 * Cascade from the enterprises initial[0 .. count) (indices; duplicates are
 * ignored after the first; count may be 0).  CY_EUSAGE for an index out of
 * range or a threshold outside [0, 1].  Release with
 * cy_cascade_result_destroy.
 * Time complexity: O(n + m) to index the network, then O(the links leaving
 * the failed enterprises).
 */
cy_status cy_cascade_run(const cy_network *net, const size_t *initial,
                         size_t count, double threshold,
                         cy_cascade_result *result, cy_error *err);

/*
 * Cascade from every member of group `group` of `kind` failing at once (a
 * flood, a power cut): a park's enterprises, a region's (including those
 * whose park lies in it and who name no region), a cluster's.  The initial
 * enterprises are the members in index order.
 * Time complexity: as cy_cascade_run.
 */
cy_status cy_cascade_run_group(const cy_network *net, cy_group_kind kind,
                               size_t group, double threshold,
                               cy_cascade_result *result, cy_error *err);

/* Free what a cascade result holds (NULL-safe).  Time complexity: O(1). */
void cy_cascade_result_destroy(cy_cascade_result *result);

/* What one failure (an enterprise, or a whole group) destroys. */
typedef struct {
    size_t index;            /* enterprise or group index */
    size_t failed_count;     /* including the initial enterprises */
    size_t rounds;
    double output_value_lost;    /* gross: every failed firm's output */
    double final_demand_lost;    /* each yuan of final sales once */
    size_t demand_nodes_failed;
} cy_impact;

/*
 * The chokepoints of one demand node (cy_enterprise_is_demand_node; the
 * field keeps its old name, `oem`: under the "oem" rule the demand nodes
 * are the OEMs): the enterprises whose single failure makes it fail under
 * the cascade rule (the node itself excluded), sorted by id.
 */
typedef struct {
    size_t oem;
    size_t *enterprises;
    size_t count;
} cy_chokepoint;

/*
 * Every enterprise failing alone.  `impacts` has one entry per enterprise,
 * ranked by final_demand_lost, then demand_nodes_failed, then failed_count
 * (all descending), then id ascending; their `rounds` are filled only
 * when has_rounds is 1 (else 0).  `chokepoints` has one entry per
 * demand node, sorted by its id; a node nothing can stop alone has count 0.
 */
typedef struct {
    cy_impact *impacts;
    size_t impact_count;
    int has_rounds;
    cy_chokepoint *chokepoints;
    size_t chokepoint_count;
} cy_single_failures;

typedef struct {
    double threshold;  /* the cascade threshold T, 0 <= T <= 1 */
    int rounds;        /* also fill cy_impact.rounds (costlier, see below) */
    /* Called with "single failures" and the share of enterprises done:
     * 0 at the start, then now and then, 100 at the end; may be NULL. */
    cy_progress_fn progress;
    void *progress_data;
} cy_single_failure_options;

/* T = 0, no rounds, no progress.  Time complexity: O(1). */
void cy_single_failure_options_init(cy_single_failure_options *options);

/*
 * Compute all single-failure cascades, exactly as one cascade per
 * enterprise would (cy_cascade_run), but sharing the work between them:
 * if v fails when s fails, everything v's failure stops is stopped by s's
 * too, so s's cascade continues from v's instead of starting over (the
 * method is described in src/analysis/single_failures.c).  Release with
 * cy_single_failures_destroy.
 * Time complexity: O(n + m) to find, for each enterprise, the firms its
 * loss alone stops and the strongly connected groups of those, plus twice
 * the links leaving F(s) \ F(v) summed over groups, where F(s) is what s's
 * failure stops and v the firm it stops directly with the largest cone,
 * plus the size of the chokepoint lists, plus O(n log n) for the ranking.
 * That is O(n + m) on a chain or a ring, O((n + m) log n) on a tree, and
 * never more than O(n + m + the sum over s of the links leaving F(s)), the
 * cost of one cascade per enterprise.  Rounds add, for each enterprise
 * that does not pass all its required links to one customer stopped by
 * it alone (whose rounds are then that customer's plus one), the links
 * leaving F(s).
 */
cy_status cy_single_failures_run(const cy_network *net,
                                 const cy_single_failure_options *options,
                                 cy_single_failures *out, cy_error *err);

/*
 * cy_single_failures_run with threshold T and rounds.
 * Time complexity: as cy_single_failures_run with rounds.
 */
cy_status cy_single_failures_compute(const cy_network *net, double threshold,
                                     cy_single_failures *out, cy_error *err);
/* Time complexity: O(number of OEMs). */
void cy_single_failures_destroy(cy_single_failures *sf);

typedef struct {
    double threshold;  /* the cascade threshold T, 0 <= T <= 1 */
    /* Called with "park failures" (or "region failures", "cluster
     * failures") and the share of groups done: 0 at the start, then now
     * and then, 100 at the end; may be NULL. */
    cy_progress_fn progress;
    void *progress_data;
} cy_group_impact_options;

/* T = 0, no progress.  Time complexity: O(1). */
void cy_group_impact_options_init(cy_group_impact_options *options);

/*
 * Every group of `kind` failing as a whole, one cascade per group (groups
 * without members included, with zero impact).  *impacts (cy_free it) gets
 * cy_network_group_count(net, kind) entries ranked like the single
 * failures (final demand lost, demand nodes failed, firms failed), ties by
 * group id.
 * Time complexity: O(n + m + sum over groups of their cascades' links).
 */
cy_status cy_group_impacts_run(const cy_network *net, cy_group_kind kind,
                               const cy_group_impact_options *options,
                               cy_impact **impacts, size_t *count, cy_error *err);

/* cy_group_impacts_run with threshold T and no progress.
 * Time complexity: as cy_group_impacts_run. */
cy_status cy_group_impacts_compute(const cy_network *net, cy_group_kind kind,
                                   double threshold, cy_impact **impacts,
                                   size_t *count, cy_error *err);

/* A bridge of the undirected firm graph, oriented as a supply link runs
 * (from the supplier); when both directions exist, from the lower index. */
typedef struct {
    size_t from;
    size_t to;
} cy_bridge;

/*
 * Structural weak points of the undirected, simple view of the firm graph
 * (one edge per pair of firms that trade in either direction):
 * articulation points (firms whose removal disconnects their component),
 * sorted by id, and bridges (edges whose removal does), sorted by (from id,
 * to id).  The chokepoints of the OEMs come from cy_single_failures_compute.
 */
typedef struct {
    size_t *articulation_points;
    size_t articulation_point_count;
    cy_bridge *bridges;
    size_t bridge_count;
} cy_structure;

/*
 * Compute articulation points and bridges with igraph
 * (igraph_articulation_points, igraph_bridges).  Release with
 * cy_structure_destroy.
 * Time complexity: O(n + m) plus O(k log k) to sort k results.
 */
cy_status cy_structure_compute(const cy_network *net, cy_structure *out,
                               cy_error *err);
/* Time complexity: O(1). */
void cy_structure_destroy(cy_structure *structure);

/*
 * Robustness curves (docs/analyses.md, "Robustness under attack").
 * Enterprises are removed one by one in the attack's order; after each
 * removal the largest weakly connected component of the remaining firm
 * graph is measured (Newman-Ziff union-find, in reverse), and what the
 * cascade rule fails when every removed firm fails (incrementally along
 * the order): the share of the network's final demand still served, the
 * final demand lost, the demand nodes and the firms failed.
 *
 * Attack orders, ties broken by lower index: random (a uniform permutation
 * per trial from a seeded xoshiro256** stream); degree, betweenness (both
 * on the undirected simple firm graph) and pagerank (directed firm graph,
 * damping 0.85), computed once on the intact graph; adaptive-degree and
 * adaptive-betweenness recompute the measure on the remaining graph after
 * every removal (exact; recompute_at_steps = 1 recomputes only at the
 * checkpoints, an approximation for large graphs).
 */
typedef enum {
    CY_ATTACK_RANDOM = 0,
    CY_ATTACK_DEGREE,
    CY_ATTACK_BETWEENNESS,
    CY_ATTACK_PAGERANK,
    CY_ATTACK_ADAPTIVE_DEGREE,
    CY_ATTACK_ADAPTIVE_BETWEENNESS,
    CY_ATTACK_DEMAND,      /* largest final demand first (firms or groups) */
    CY_ATTACK_COUNT
} cy_attack;

/* "random", "degree", "betweenness", "pagerank", "adaptive-degree",
 * "adaptive-betweenness", "demand".  Time complexity: O(1). */
const char *cy_attack_name(cy_attack attack);
/* 1 and *attack set when `name` is one of the names above.
 * Time complexity: O(length of name). */
int cy_attack_parse(const char *name, cy_attack *attack);

typedef enum {
    CY_METRIC_LCC = 1,     /* the largest component only */
    CY_METRIC_OUTPUT = 2,  /* the final demand only (the component is still
                              measured: r_index needs it) */
    CY_METRIC_BOTH = 3
} cy_metric;

/* "lcc", "output", "both"; parse: 1 and *metric set for one of them.
 * Time complexity: O(1), O(length of name). */
const char *cy_metric_name(cy_metric metric);
int cy_metric_parse(const char *name, cy_metric *metric);

/*
 * What one removal takes away: an enterprise, or a whole park or region
 * (every member at once, as `cascade --fail-park` / `--fail-region`: a
 * firm without a region counts in its park's).  Groups are removed by the
 * random and demand attacks only.
 */
typedef enum {
    CY_BY_ENTERPRISE = 0,
    CY_BY_PARK,
    CY_BY_REGION
} cy_resilience_by;

/* "enterprise", "park", "region"; parse: 1 and *by set for one of them.
 * Time complexity: O(1), O(length of name). */
const char *cy_resilience_by_name(cy_resilience_by by);
int cy_resilience_by_parse(const char *name, cy_resilience_by *by);

#define CY_RESILIENCE_DEFAULT_STEPS 100
#define CY_RESILIENCE_DEFAULT_TRIALS 10
/* critical_fraction: the first removed fraction with lcc_fraction <= this. */
#define CY_CRITICAL_LCC_FRACTION 0.05

typedef struct {
    cy_attack attack;
    cy_metric metric;
    cy_resilience_by by;    /* enterprises (default), parks or regions */
    size_t trials;          /* random attack only (>= 1); others run once */
    uint64_t seed;
    size_t steps;           /* checkpoints: removed fraction k / steps;
                               by group: one point per group, steps unused */
    double threshold;       /* cascade threshold for the output metric */
    int recompute_at_steps; /* adaptive attacks: recompute at checkpoints only */
    /* Called with the attack's name and the share of the work done (0 to
     * 100): after each trial, each removal of an exact adaptive attack,
     * each checkpoint of a batched one; may be NULL. */
    cy_progress_fn progress;
    void *progress_data;
} cy_resilience_params;

/* Defaults: random, both, by enterprise, CY_RESILIENCE_DEFAULT_TRIALS trials, seed 1,
 * CY_RESILIENCE_DEFAULT_STEPS steps, threshold 0, exact adaptive, no
 * progress.
 * Time complexity: O(1). */
void cy_resilience_params_init(cy_resilience_params *params);

/*
 * One checkpoint.  removed = round(k N / steps) enterprises out of N,
 * removed_fraction = k / steps (by group: removed = k groups out of G,
 * one point per group, removed_fraction = k / G, and
 * enterprises_removed the mean number of their members; by enterprise it
 * equals removed); lcc is the mean over trials of the
 * largest component's size, lcc_fraction = lcc / N, lcc_fraction_sd its
 * sample standard deviation over trials (0 for one trial);
 * output_fraction the mean share of the network's final demand still
 * served (by count of demand nodes when no firm has final demand), and
 * final_demand_lost (yuan), final_demand_lost_fraction (of the total; NaN
 * when it is 0), demand_nodes_failed and failed_count (removed firms
 * included) the means of the cascade's impact; all NaN when not measured
 * (metric lcc, or no demand node).  The ids removed since the previous
 * point are order[previous point's removed .. removed) of the curve.
 */
typedef struct {
    size_t removed;
    double removed_fraction;
    double enterprises_removed;
    double lcc;
    double lcc_fraction;
    double lcc_fraction_sd;
    double output_fraction;
    double final_demand_lost;
    double final_demand_lost_fraction;
    double demand_nodes_failed;
    double failed_count;
} cy_curve_point;

/*
 * A robustness curve.  point_count = min(steps, N) + 1 (0 for an empty
 * network).  r_index is Schneider et al.'s R = (1/N) sum_{Q=1..N} s(Q),
 * s(Q) the largest-component fraction after Q removals (mean over trials),
 * taken over every removal, not only the checkpoints; critical_fraction
 * the smallest Q / N with s(Q) <= CY_CRITICAL_LCC_FRACTION (NaN for an
 * empty network).  has_output says whether output_fraction was measured.
 * `order` is the removal order of the first trial: unit_count indices of
 * enterprises (by enterprise, unit_count = N) or of the parks or regions
 * (unit_count = G, every group of the network, members or not); by group
 * R and the critical fraction are taken over the G group removals, s(Q)
 * after Q groups.  final_demand_total and demand_node_count are the
 * network's, 0 for a bare graph.
 */
typedef struct {
    cy_attack attack;
    cy_metric metric;
    cy_resilience_by by;
    size_t trials;
    size_t enterprise_count;
    size_t unit_count;
    double r_index;
    double critical_fraction;
    int has_output;
    size_t point_count;
    cy_curve_point *points;
    size_t *order;
    double final_demand_total;
    size_t demand_node_count;
} cy_resilience_curve;

/*
 * Compute one attack curve on the firm graph.  CY_EUSAGE for steps or
 * trials of 0, an unknown attack or metric, or a threshold outside [0, 1].
 * Release with cy_resilience_curve_destroy.
 * Time complexity, N firms, E firm edges, m links, T trials: random
 * O(T (N + E) alpha(N) + T m); degree O(N log N + E + m); pagerank that of
 * igraph_pagerank plus the same; betweenness O(N E) (Brandes);
 * adaptive-degree O((N + E) log N + m); adaptive-betweenness
 * O(sum over removals of C E_C) for the component C (with E_C edges) that
 * held the removed firm: O(N^2 E) in the worst case, and O(steps N E) with
 * recompute_at_steps.
 */
cy_status cy_resilience_run(const cy_network *net,
                            const cy_resilience_params *params,
                            cy_resilience_curve *curve, cy_error *err);
/* Time complexity: O(1). */
void cy_resilience_curve_destroy(cy_resilience_curve *curve);

/* --- weak links --------------------------------------------------- */

/*
 * The weak-link report behind `chengyu weak-links`: the short boards of the
 * supply chain, one register row per firm, ranked by the final demand their
 * failure stops (each yuan of sales to outside the network counted once),
 * with second-source recommendations whose independence is checked, and
 * local-supply metrics through every tier.  Every formula is in
 * docs/analyses.md ("Weak links").  Enterprise, part and group fields are
 * indices into the network the report was computed from; CY_WL_NONE marks
 * a field that does not apply.
 *
 * The impact of a firm's failure is always the cascade it starts alone
 * (cy_single_failures_compute, the report's threshold): failed_count
 * (itself included), demand_nodes_failed, final_demand_lost and, gross,
 * output_value_lost.  Every ranked list orders by final_demand_lost, then
 * demand_nodes_failed, then failed_count (all descending), then its own
 * tie-breaks, ids last.
 */
#define CY_WL_NONE ((size_t)-1)
/* Backups listed per recommendation (all of them are counted). */
#define CY_WL_MAX_BACKUPS 5
/* Common causes listed per backup (all of them are counted). */
#define CY_WL_MAX_COMMON_CAUSE 5
/* HHI at or above which a part counts as highly concentrated (0..1 scale). */
#define CY_WL_HHI_HIGH 0.25

/* The kinds of weak link, in their tie-break order; names are the `type`
 * column of the CSV report. */
typedef enum {
    CY_WEAK_SINGLE_SOURCE = 0,
    CY_WEAK_CHOKEPOINT,
    CY_WEAK_ARTICULATION_POINT,
    CY_WEAK_BRIDGE,
    CY_WEAK_TYPE_COUNT
} cy_weak_type;

/* "single_source", "chokepoint", "articulation_point", "bridge". */
const char *cy_weak_type_name(cy_weak_type type);

/* What one firm's failure stops (its single-failure cascade). */
typedef struct {
    size_t failed_count;        /* the firm included */
    size_t demand_nodes_failed;
    double final_demand_lost;
    double output_value_lost;   /* gross */
} cy_wl_impact;

/* A required (enterprise, part) pair with exactly one supplier. */
typedef struct {
    size_t enterprise;      /* the customer */
    size_t part;
    size_t supplier;        /* its only supplier of the part */
    double volume;          /* volume of that one link */
    double output_at_risk;  /* output value lost when `supplier` fails */
    cy_wl_impact impact;    /* of `supplier`'s failure */
} cy_wl_single_source;

/* How concentrated the supply of one part is. */
typedef struct {
    size_t part;
    size_t supplier_count;  /* distinct suppliers on links */
    size_t link_count;
    double volume;          /* total volume of the part on all links */
    double hhi;             /* sum of squared supplier volume shares, 0..1;
                               NAN when volume is 0 */
    size_t top_supplier;    /* largest supplier (ties: smallest id) */
    double top_supplier_share;
    size_t top_park;        /* park with the largest share, or CY_WL_NONE */
    double top_park_share;
    size_t top_region;      /* region with the largest share, or CY_WL_NONE */
    double top_region_share;
} cy_wl_concentration;

/* Inbound supply of one OEM, demand node or cluster, split by where it
 * comes from. */
typedef struct {
    size_t subject;           /* enterprise index or cluster index */
    size_t region;            /* its own region, or CY_WL_NONE */
    size_t link_count;        /* inbound links */
    double inbound_volume;
    double circle_volume;     /* from suppliers in circle regions */
    double own_region_volume; /* from suppliers in `region` */
    double unknown_volume;    /* from suppliers with no region */
} cy_wl_local_supply;

/* Total supply volume from one region to another (distinct regions). */
typedef struct {
    size_t from_region, to_region;
    size_t link_count;
    double volume;
} cy_wl_region_flow;

/*
 * A candidate second source.  survives: it does not fail in the cascade
 * started by the current supplier's failure (the report's threshold);
 * common_cause: the firms whose single failure stops both the current
 * supplier and the candidate (the current supplier itself when the
 * candidate fails with it; the candidate itself when the supplier fails
 * with it): common_cause_count of them, the first common_cause_shown by id
 * listed; independent: survives and no common cause.  32 bytes, firm ids
 * 32-bit like a weak link's (a national report holds about a million).
 */
typedef struct {
    uint32_t firm;
    unsigned char same_region; /* in the current supplier's region */
    unsigned char survives;
    unsigned char independent;
    unsigned char common_cause_shown;    /* <= CY_WL_MAX_COMMON_CAUSE */
    uint32_t common_cause_count;
    uint32_t common_cause[CY_WL_MAX_COMMON_CAUSE];
} cy_wl_candidate;

/*
 * A second-source recommendation for one (part, current supplier) that a
 * weak link depends on.  Candidates are the producers of the part except
 * the supplier, the customers and every firm that already supplies the part
 * to one of the customers; backups[0 .. backup_shown) are the first of
 * them, independent first, then in the supplier's region, then by id;
 * backup_count counts all of them.  When backups[0] is not independent,
 * no candidate is.
 */
typedef struct {
    cy_weak_type type;        /* single_source or chokepoint */
    size_t enterprise;        /* single_source: the customer;
                                 chokepoint: the chokepoint firm */
    size_t part;
    size_t supplier;          /* the current source (chokepoint: itself) */
    size_t *customers;        /* chokepoint: firms that need it for part */
    size_t customer_count;
    const size_t *oems;       /* chokepoint: the demand nodes it stops, by id
                                 (points into the report) */
    size_t oem_count;
    double severity;
    cy_wl_impact impact;      /* of the supplier's failure */
    size_t backup_count;
    size_t backup_shown;
    cy_wl_candidate *backups; /* backup_shown of them (points into the
                                 report) */
} cy_wl_recommendation;

/*
 * One weak link in the ranking: 40 bytes, since a national network has
 * millions of them (docs/performance.md, "Memory").  Firm and part ids are
 * 32-bit (the model's id tables hold fewer than UINT32_MAX - 1 of each;
 * cy_weaklinks_compute refuses a network with more, CY_EUSAGE).
 * CY_WL_NONE32 marks one that does not apply, and cy_wl_id widens an id
 * field to a size_t index (CY_WL_NONE for CY_WL_NONE32).  What the row
 * puts at risk is the failure of `supplier`: its impact is
 * report->firm_impact[supplier], not repeated here (cy_wl_link_impact,
 * cy_wl_link_severity).
 */
#define CY_WL_NONE32 UINT32_MAX
typedef struct {
    cy_weak_type type;
    uint32_t enterprise;      /* single_source: customer; chokepoint and
                                 articulation_point: the firm; bridge: to */
    uint32_t supplier;        /* single_source: supplier; bridge: from;
                                 otherwise = enterprise */
    uint32_t part;            /* single_source only, else CY_WL_NONE32 */
    uint32_t oem;             /* chokepoint only: the demand node it stops,
                                 else CY_WL_NONE32 */
    uint32_t recommendation_count;
    double volume;            /* single_source: link; bridge: firm edge */
    size_t recommendation;    /* first of its recommendations (they are
                                 consecutive), or CY_WL_NONE */
} cy_wl_weak_link;

/* A 32-bit id field of a weak link as an index: CY_WL_NONE for
 * CY_WL_NONE32.  Time complexity: O(1). */
static inline size_t cy_wl_id(uint32_t id)
{
    return id == CY_WL_NONE32 ? CY_WL_NONE : (size_t)id;
}

/*
 * One row of the risk register: a firm with at least one weak-link role or
 * whose failure fails at least one other firm.  chokepoint_of lists the
 * demand nodes it alone stops (by id; it points into the report);
 * articulation_point and bridges count only the weak-link ones (whose loss
 * fails a firm), bridges those it is the supplying end of.  fix is its best
 * recommendation (index into recommendations) or CY_WL_NONE.
 */
typedef struct {
    size_t enterprise;
    size_t single_source_pairs;
    const size_t *chokepoint_of;
    size_t chokepoint_of_count;
    int articulation_point;
    size_t bridges;
    cy_wl_impact impact;
    size_t fix;
} cy_wl_register_row;

/*
 * The time section of the weak-link report (cy_weaklinks_time): for each
 * of the first register firms, that firm failing alone under the stress
 * programs (cy_stress_firms, docs/analyses.md "Time to survive and time
 * to recover"): tts_days (meaningful only when survives is 0: survives =
 * the whole horizon is feasible, TTS null in JSON), ttr_days (the firm's
 * recovery_days, else CY_STRESS_DAYS), impact (yuan lost over ttr_days),
 * impact_fraction and exposed (TTS < TTR), as `stress` reports them.
 */
typedef struct {
    size_t enterprise;
    int survives;
    double tts_days;
    double ttr_days;
    double impact;
    double impact_fraction;
    int exposed;
    int solved;         /* 0: the firm's downstream cone has more than
                           cy_wl_time.max_cone firms and its programs were
                           not solved; only ttr_days is then set */
} cy_wl_time_row;

/* Why a report has no time figures. */
typedef enum {
    CY_WL_TIME_NOT_RUN = 0, /* cy_weaklinks_time was not called: no section */
    CY_WL_TIME_OK,          /* rows hold the figures */
    CY_WL_TIME_NO_DATA,     /* no firm gives capacity, inventory_days or
                               recovery_days */
    CY_WL_TIME_REFUSED      /* the stress programs cannot run: `reason` */
} cy_wl_time_state;

/* How many register firms get time figures unless told otherwise
 * (`weak-links --time-firms N`): each is one or two linear programs, and
 * the register's first firms are those with the largest cascades, whose
 * programs are the largest. */
#define CY_WL_TIME_FIRMS 10

/* The largest downstream cone (the firm and every firm it reaches along
 * links with a volume) whose programs `weak-links` has the time section
 * solve unless told otherwise (`--time-max-cone N`; cy_weaklinks_time's
 * max_cone, where 0 means no limit): GLPK's simplex needs seconds on a
 * program over 3,000 firms and minutes over 7,000 (docs/analyses.md,
 * "time"). */
#define CY_WL_TIME_MAX_CONE 2000

typedef struct {
    cy_wl_time_state state;
    /* CY_WL_TIME_REFUSED: the first problem, "<JSON path>: <message>"
     * as `stress` reports it (cy_malloc'd). */
    char *reason;
    double horizon_days;          /* H */
    double default_ttr_days;      /* T of a firm without recovery_days */
    size_t register_firms;        /* the register's rows */
    int capped;                   /* fewer rows than the register shows (limit) */
    size_t max_cone;              /* the cone limit applied, 0: none */
    size_t unsolved;              /* rows with solved = 0 */
    cy_wl_time_row *rows;         /* the first `count` register firms, in
                                     register order */
    size_t count;
} cy_wl_time;

/* A firm outside the circle whose single failure stops a demand node. */
typedef struct {
    size_t firm;
    cy_wl_impact impact;      /* of its failure */
} cy_wl_outside_firm;

/*
 * Dependence of one demand node beyond the circle: its outside
 * chokepoints (firms in regions outside the circle whose single failure
 * stops it, ranked like the register), its multi-tier circle share
 * (docs/analyses.md; NaN without inbound volume) and whether it survives
 * every outside firm failing at once.
 */
typedef struct {
    size_t node;
    double final_demand;
    double multi_tier_share;
    int survives_outside_cut;
    cy_wl_outside_firm *chokepoints;  /* points into the report */
    size_t chokepoint_count;
} cy_wl_outside;

/* Circle membership and the two poles of a region (see docs/analyses.md):
 * membership is the region's `inside` field (cy_region_inside), the side
 * comes from its id or name (cy_circle_zone_of). */
typedef enum {
    CY_CIRCLE_OUTSIDE = 0,
    CY_CIRCLE_CHONGQING,      /* Chongqing or one of its circle districts */
    CY_CIRCLE_CHENGDU,
    CY_CIRCLE_SICHUAN,        /* another Sichuan part of the circle */
    CY_CIRCLE_OTHER,          /* inside, but its id and name name no place
                                 of the circle (so neither side) */
    CY_CIRCLE_ZONE_COUNT
} cy_circle_zone;

typedef struct {
    double threshold;             /* the cascade threshold T used */
    double output_value_total;    /* sum of every enterprise's output_value */
    double final_demand_total;    /* the network's final demand */
    size_t demand_node_count;
    int single_part;              /* part-level sections not computed */

    cy_wl_register_row *register_rows;   /* ranked (see above), then id */
    size_t register_count;
    cy_wl_single_source *single_source;  /* ranked, then volume desc,
                                            enterprise id, part */
    size_t single_source_count;
    size_t unsupplied_count;      /* required parts with no supplier */
    cy_chokepoint *chokepoints;          /* one per demand node, by id */
    size_t chokepoint_count;
    size_t *articulation_points;         /* by id, every one */
    size_t articulation_point_count;
    cy_bridge *bridges;                  /* by (from id, to id), every one */
    size_t bridge_count;
    size_t weak_articulation_count;      /* those that fail another firm */
    size_t weak_bridge_count;            /* those whose loss fails a firm */
    cy_wl_impact *bridge_impact;         /* per bridge: what losing every
                                            link between its two firms
                                            stops (the firms themselves
                                            keep running) */
    cy_impact *cascade_impact;           /* ranked, then id */
    size_t cascade_impact_count;
    cy_impact *park_impact;              /* likewise */
    size_t park_impact_count;
    cy_impact *region_impact;            /* likewise */
    size_t region_impact_count;
    cy_wl_concentration *concentration;  /* by hhi desc, volume desc, name */
    size_t concentration_count;
    cy_circle_zone *region_zone;         /* per region */
    unsigned char *region_inside;        /* per region: in the circle (its
                                            `inside` field) */
    cy_wl_local_supply *local_oem;       /* every OEM, by id */
    size_t local_oem_count;
    cy_wl_local_supply *local_cluster;   /* every cluster, by id */
    size_t local_cluster_count;
    double *multi_tier_share;            /* per enterprise, NaN: no inbound */
    double cross_volume[CY_CIRCLE_ZONE_COUNT][CY_CIRCLE_ZONE_COUNT];
    size_t cross_links[CY_CIRCLE_ZONE_COUNT][CY_CIRCLE_ZONE_COUNT];
                                         /* [from zone][to zone] */
    cy_wl_region_flow *region_flows;     /* by volume desc, ids */
    size_t region_flow_count;
    cy_wl_outside *outside;              /* demand nodes with an outside
                                            chokepoint, by final demand
                                            desc, id */
    size_t outside_count;
    unsigned char *outside_cut;          /* per enterprise: 1 when it fails
                                            with every firm outside the
                                            circle (the outside cut) */
    size_t outside_cut_count;            /* firms failed in the cut */
    double outside_cut_final_demand_lost;
    double *region_final_demand;         /* per region */
    double *region_dependence;           /* [failing region * R + region]:
                                            final demand lost */
    size_t *region_order;                /* the regions by id */
    cy_wl_recommendation *recommendations; /* ranked (the impact of their
                                              supplier), then type, firm
                                              id, part */
    size_t recommendation_count;
    cy_wl_weak_link *weak_links;         /* ranked, then type, ids */
    size_t weak_link_count;
    cy_wl_impact *firm_impact;           /* per enterprise: what its
                                            failure alone stops */
    cy_wl_time time;                     /* state CY_WL_TIME_NOT_RUN unless
                                            cy_weaklinks_time filled it */

    /* Summary counts. */
    size_t chokepoint_pair_count;   /* (demand node, chokepoint) pairs */
    size_t chokepoint_firm_count;   /* distinct chokepoint firms */
    size_t oems_with_chokepoints;   /* demand nodes with one */
    size_t concentrated_part_count; /* hhi >= CY_WL_HHI_HIGH */
    size_t no_backup_count;         /* recommendations with no backup */
    size_t no_independent_count;    /* with backups, none independent */

    /* Owned storage the rows point into: per firm, the demand nodes it
     * stops (chokepoint_of, oems). */
    size_t *chokepoint_of_ids;
    cy_wl_outside_firm *outside_firms;
    cy_wl_candidate *candidates;         /* the backups of every
                                            recommendation, back to back */
} cy_weaklinks;

typedef struct {
    double threshold;   /* the cascade threshold T, 0 <= T <= 1 */
    /* Called with "weak links" and the share of the work done: 0 at the
     * start, after each section (weighted by its usual cost,
     * weaklinks.c) and within the single failures as they go, 100 at the
     * end, never decreasing; may be NULL. */
    cy_progress_fn progress;
    void *progress_data;
} cy_weaklinks_options;

/*
 * Compute the whole weak-link report of `net`.  `options` may be NULL
 * (T = 0).  On success *out is a new report (cy_weaklinks_free).  An empty
 * network gives an empty report.  CY_EUSAGE for T outside [0, 1].
 * Time complexity: O(n log n + m log m) plus the resilience analyses it
 * uses (the all-single-failure cascade, articulation points, bridges,
 * chokepoints, one cascade per park and two per region, one for every
 * outside firm failing), O(sum of the killer lists' sizes) to test
 * backups for independence (the chokepoint lists of the demand nodes, one
 * more pass of single failures only when a supplier or candidate is not a
 * demand node), plus O(sum over recommendations of the producers of its
 * part) to order the backups.
 */
/*
 * What losing each bridge of `structure` stops: every link between its two
 * firms, both ways, is gone (the two firms keep running), so the customers
 * that had no other source of a part across it (or, T > 0, whose other
 * sources fall below T) fail, and their cascade follows.  *impacts
 * (cy_free it) gets structure->bridge_count entries, in the structure's
 * order; a bridge whose loss stops nothing has failed_count 0.  CY_EUSAGE
 * for T outside [0, 1].
 * Time complexity: that of cy_single_failures_run (a loss that stops one
 * firm first is that firm's single failure) plus, for each bridge between a
 * mutual pair whose links are critical both ways, the links leaving the
 * firms its loss fails.
 */
cy_status cy_bridge_impacts_compute(const cy_network *net, const cy_structure *structure,
                                    double threshold, cy_wl_impact **impacts,
                                    cy_error *err);

cy_status cy_weaklinks_compute(const cy_network *net,
                               const cy_weaklinks_options *options,
                               cy_weaklinks **out, cy_error *err);
void cy_weaklinks_free(cy_weaklinks *report);

/*
 * The direct suppliers that firm `b` (a candidate second source) shares
 * with firm `a` (the current supplier): the distinct firms other than a
 * and b with a link into both, whatever the parts.  A backup can be
 * independent (no single failure stops both) and still buy from the same
 * firms as the supplier, whose failures can then stop both together
 * (docs/analyses.md, "recommendations").  Writes the first
 * min(max, CY_WL_MAX_SHARED, *shared) of them by id (byte order) into
 * first[], the count of all of them into *shared, and the distinct
 * suppliers of b into *b_suppliers.
 *
 * A report asks for every backup it shows, and many recommendations have
 * the same supplier and backups (each customer of a hub supplier has its
 * own), so the answers go through a cache: the last supplier's suppliers
 * stay marked, and recent pairs are remembered.  One cache per writer, on
 * one thread; cy_wl_shared_cache_new returns NULL when out of memory.
 * Time complexity: O(n) to make the cache; a pair asked recently O(1),
 * else O(da + db) with da, db the links into a (when a changed) and b.
 */
#define CY_WL_MAX_SHARED 5
typedef struct cy_wl_shared_cache cy_wl_shared_cache;
cy_wl_shared_cache *cy_wl_shared_cache_new(const cy_network *net);
void cy_wl_shared_cache_free(cy_wl_shared_cache *cache);
void cy_wl_shared_suppliers(cy_wl_shared_cache *cache, size_t a, size_t b, size_t *first,
                            size_t max, size_t *shared, size_t *b_suppliers);

/* What a weak link puts at risk: the impact of its supplying firm's
 * failure (report->firm_impact[link->supplier]).  Time complexity: O(1). */
const cy_wl_impact *cy_wl_link_impact(const cy_weaklinks *report,
                                      const cy_wl_weak_link *link);
/* A weak link's severity: 100 * the final demand its supplier's failure
 * stops / the network's final demand, 0 when that is 0.  Time
 * complexity: O(1). */
double cy_wl_link_severity(const cy_weaklinks *report, const cy_wl_weak_link *link);

/*
 * The report's time section (report->time): the first register firms,
 * each failing alone, through the stress programs (cy_stress_firms, on
 * `threads` threads, 0 for cy_threads_get(); the figures do not depend
 * on it), reporting ("disruptions", percent) to `progress` (may be NULL)
 * like cy_stress_each.  `top` cuts the register as the writers do (its
 * first `top` rows, 0: uncut); of those at most `limit` get figures (0:
 * CY_WL_TIME_FIRMS), and `capped` is set when that leaves some out.  A
 * firm whose downstream cone has more than `max_cone` firms (0: no limit)
 * keeps its row with solved = 0 and no program is solved for it.  A network without stress data
 * (cy_network_has_stress_data) gets state CY_WL_TIME_NO_DATA, one the
 * stress check refuses, or whose programs GLPK cannot solve,
 * CY_WL_TIME_REFUSED with the first problem in `reason`: both are CY_OK,
 * the rest of the report stands.  CY_ENOMEM (the section is then empty,
 * CY_WL_TIME_NOT_RUN).  Replaces a section computed before.
 * Time complexity: O(limit x max_cone) for the cones, then two linear
 * programs per solved firm (cy_stress_run).
 */
cy_status cy_weaklinks_time(const cy_network *net, cy_weaklinks *report, size_t top,
                            size_t limit, size_t max_cone, size_t threads,
                            cy_progress_fn progress, void *progress_data, cy_error *err);

/*
 * The side of the circle a region id/name pair names (name may be NULL):
 * Chongqing, Chengdu, other Sichuan, or CY_CIRCLE_OUTSIDE when it names no
 * place of the circle; the places are listed in docs/analyses.md.  The
 * weak-link report takes circle membership from the region's `inside`
 * field and only the side from here (CY_CIRCLE_OTHER for an inside region
 * that names no place).  Time complexity: O(length of id + name).
 */
cy_circle_zone cy_circle_zone_of(const char *id, const char *name);

/* --- diff: two versions of a network -------------------------------- */

/*
 * What changed between an old and a new version of a network
 * (docs/analyses.md, "Comparing two versions"): records added, removed,
 * or with changed fields, matched by id (links by (from, to, part), parts
 * by name), and the risk register's rows resolved (a firm in the old
 * register and not in the new), new, or with a changed impact
 * (final_demand_lost or failed_count), ranked by the size of the change.
 */
typedef enum {
    CY_DIFF_REGION = CY_GROUP_REGION,
    CY_DIFF_CLUSTER = CY_GROUP_CLUSTER,
    CY_DIFF_PARK = CY_GROUP_PARK,
    CY_DIFF_ENTERPRISE,
    CY_DIFF_PART,
    CY_DIFF_LINK,
    CY_DIFF_REGISTER,
    CY_DIFF_KIND_COUNT
} cy_diff_kind;

/* "regions", "clusters", "parks", "enterprises", "parts", "links",
 * "register".  Time complexity: O(1). */
const char *cy_diff_kind_name(cy_diff_kind kind);

/* For records: added, removed, changed.  For register rows: new,
 * resolved, changed. */
typedef enum { CY_DIFF_ADDED = 0, CY_DIFF_REMOVED, CY_DIFF_CHANGED } cy_diff_change;

/* "added", "removed", "changed"; for the register "new", "resolved",
 * "changed".  Time complexity: O(1). */
const char *cy_diff_change_name(cy_diff_kind kind, cy_diff_change change);

typedef enum { CY_DV_ABSENT = 0, CY_DV_NUMBER, CY_DV_TEXT, CY_DV_BOOL } cy_diff_value_type;

/* A field's value in one version: absent (not given), a number, a
 * boolean, or text (an id, a name; a list is its sorted elements joined
 * with ';', a ';' or '\' inside one escaped by a backslash). */
typedef struct {
    cy_diff_value_type type;
    double number;        /* CY_DV_NUMBER; CY_DV_BOOL: 0 or 1 */
    char *text;           /* CY_DV_TEXT, owned by the diff */
} cy_diff_value;

typedef struct {
    const char *name;     /* the field as docs/format.md spells it */
    cy_diff_value old_value, new_value;
} cy_diff_field;

#define CY_DIFF_NONE ((size_t)-1)

/*
 * One difference.  old_index / new_index: the record in each network
 * (enterprise, group, part or link index; the enterprise for a register
 * row), CY_DIFF_NONE where it does not exist.  A changed record's fields
 * are fields[field_first .. field_first + field_count).  Register rows:
 * old_* / new_* are the impacts (0 where the firm is not in that
 * register), delta_final_demand = new - old final_demand_lost.
 */
typedef struct {
    cy_diff_kind kind;
    cy_diff_change change;
    size_t old_index, new_index;
    size_t field_first, field_count;
    double old_final_demand_lost, new_final_demand_lost, delta_final_demand;
    size_t old_failed_count, new_failed_count;
} cy_diff_record;

/*
 * The whole comparison.  records: by kind (the order of cy_diff_kind),
 * then added, removed, changed, then id (links by from, to, part); the
 * register rows ranked by |delta_final_demand| descending, then
 * |new - old failed_count| descending, then id.  count[kind][change]
 * counts them.  The final demand totals are the networks'.
 */
typedef struct {
    cy_diff_record *records;
    size_t record_count;
    cy_diff_field *fields;
    size_t field_count;
    size_t count[CY_DIFF_KIND_COUNT][3];
    double threshold;
    double old_final_demand_total, new_final_demand_total;
} cy_diff;

/*
 * Compare `old_net` with `new_net`; the registers are computed with the
 * cascade threshold `threshold` (cy_weaklinks_compute).  Release with
 * cy_diff_destroy.  CY_EUSAGE for a threshold outside [0, 1]; CY_ENOMEM.
 * Time complexity: O((n + m) log(n + m)) for the records (n firms and
 * groups, m links of both networks) plus two weak-link reports.
 */
cy_status cy_diff_compute(const cy_network *old_net, const cy_network *new_net,
                          double threshold, cy_diff *out, cy_error *err);
/*
 * cy_diff_compute with progress (`progress` may be NULL): the share of the
 * whole comparison, in the steps "weak links (old)" and "weak links (new)"
 * (each report's own progress, weighted by the networks' sizes) and
 * "comparing records"; 100 once done.
 * Time complexity: that of cy_diff_compute.
 */
cy_status cy_diff_run(const cy_network *old_net, const cy_network *new_net, double threshold,
                      cy_progress_fn progress, void *progress_data, cy_diff *out,
                      cy_error *err);
/* Time complexity: O(number of fields). */
void cy_diff_destroy(cy_diff *diff);

/* --- stress: time to survive, time to recover ---------------------- */

/*
 * The stress tests of Simchi-Levi et al. on the bill of materials
 * (docs/analyses.md, "Time to survive and time to recover"): for a
 * disruption (a set F of failed firms), the time to survive TTS(F), the
 * longest window of t days in [0, H] in which the rest of the network can
 * still serve all its final demand, using the stock and the spare capacity
 * it has; and the impact over the recovery time T: the final demand that
 * cannot be served in the T days, at the best reallocation.  Both are
 * linear programs solved with GLPK.  They need `volume` on every link; a
 * firm's capacity defaults to its output, its inventory to 0 days.
 */
#define CY_STRESS_DAYS 30.0     /* T when no failed firm has recovery_days */
#define CY_STRESS_HORIZON 365.0 /* H */
/* A disruption of firms given one by one, not a whole group. */
#define CY_STRESS_FIRMS (-1)
#define CY_STRESS_MAX_THREADS CY_MAX_THREADS

typedef struct {
    double days;          /* T when no failed firm gives recovery_days; > 0 */
    double horizon;       /* H in days; > 0 */
    /* 1: solve every program on the whole network instead of the reduced
     * one (the same answers, slower; for checking the reduction). */
    int whole_network;
    /* cy_stress_each: threads solving disruptions at once, 0 for
     * cy_threads_get() (at most CY_MAX_THREADS); the answers do not depend
     * on it. */
    size_t threads;
    /* cy_stress_run: firms left at a fraction of their capacity
     * (docs/analyses.md: their capacity_i becomes capacity_left x
     * capacity_i; 0 is a failure; the smallest counts when a firm is given
     * twice, a failure wins).  cy_stress_each refuses them. */
    const cy_degrade *degrade;
    size_t degrade_count;
    /* 1: T is `days` whatever the failed firms' recovery_days say (a
     * scenario that lasts that long). */
    int days_fixed;
    /* NULL: every firm's final demand counts.  Else only these firms'
     * (enterprise indices; the automakers, say): the others' final demand
     * is taken as 0, as if the file said "final_demand": 0 for them, so
     * their outside sales may be given up to serve the listed firms, the
     * time to survive is how long the listed firms keep serving theirs,
     * and the impact and total count theirs alone. */
    const size_t *demand_of;
    size_t demand_of_count;
    cy_progress_fn progress; /* cy_stress_each: ("disruptions", percent) at the
                              * start and after each disruption, from the
                              * calling thread; may be NULL */
    void *progress_data;
} cy_stress_options;

/* Fill `options` with the defaults above.  Time complexity: O(1). */
void cy_stress_options_init(cy_stress_options *options);

/* One firm's final demand lost over the recovery time, yuan.  `id` is
 * borrowed from the network. */
typedef struct {
    size_t enterprise;
    const char *id;
    double lost;
} cy_stress_loss;

/*
 * One disruption.  `kind` is CY_STRESS_FIRMS for firms named one by one
 * (`failed` in the order given) or CY_GROUP_PARK / CY_GROUP_REGION for a
 * whole group (`group`; `failed` its members in index order).  tts_days is
 * meaningful only when `survives` is 0 (survives: the whole horizon is
 * feasible, TTS null).  ttr_days is T; impact the final demand lost over
 * T (yuan) and impact_fraction its share of the network's final demand
 * over T (0 when the network has none); exposed = TTS < TTR.  `lost` lists
 * every firm with a loss, largest first, ties by id: one optimal
 * allocation (the total is unique; when firms compete for the same scarce
 * part, how the loss splits between them may not be).  lp_enterprises is
 * the number of firms in the largest program solved.  `id` (borrowed from
 * the network) names the disruption in the ranking: the group's id, or the
 * first failed firm's ("" when none failed).
 */
typedef struct {
    int kind;
    size_t group;
    const char *id;
    size_t *failed;
    size_t failed_count;
    int survives;
    double tts_days;
    double ttr_days;
    double impact;
    double impact_fraction;
    int exposed;
    cy_stress_loss *lost;
    size_t lost_count;
    size_t lp_enterprises;
    /* The degraded firms (capacity_left in (0, 1]), in the order given. */
    cy_degrade *degraded;
    size_t degraded_count;
} cy_stress_disruption;

/*
 * The disruptions of one run, sorted by impact descending, then by id (the
 * group's, or the first failed firm's).  `skipped` (cy_stress_each over
 * enterprises) lists the firms with no customer and no final demand, in
 * index order: their failure provably loses nothing (normal operation of
 * every other firm stays feasible), so no program is solved for them.
 */
typedef struct {
    double horizon_days;
    double total_final_demand;   /* yuan per year */
    cy_stress_disruption *disruptions;
    size_t count;
    size_t *skipped;
    size_t skipped_count;
    /* The options' demand_of (a copy, in the order given), or NULL and 0:
     * the final demand counted is then every firm's. */
    size_t *demand_of;
    size_t demand_of_count;
} cy_stress_result;

/*
 * Check that the network has what the programs need: a `volume` on every
 * link, and no firm delivering (its links plus its final demand) more than
 * its output (the loader already refuses a capacity below the output).
 * CY_EINPUT with one diagnostic per record (up to err's limit, 50 by
 * default, each at its JSON path) otherwise.
 * Time complexity: O(n + m).
 */
cy_status cy_stress_check(const cy_network *net, cy_error *err);

/*
 * One disruption: the firms failed[0 .. count) (duplicates ignored after
 * the first) labelled as `kind`/`group` (CY_STRESS_FIRMS and 0 for plain
 * firms).  Runs cy_stress_check first.  CY_EUSAGE for bad options or an
 * index out of range; CY_EINTERNAL, naming the disruption, when GLPK
 * fails.  Release with cy_stress_result_destroy.
 * Time complexity: two linear programs over the part of the network the
 * reduction keeps (at worst the whole network), each solved by the simplex
 * method; O(n + m) around them.
 */
cy_status cy_stress_run(const cy_network *net, const cy_stress_options *options,
                        const size_t *failed, size_t count, int kind,
                        size_t group, cy_stress_result *result, cy_error *err);

/*
 * Every single disruption of one kind: every enterprise alone
 * (CY_STRESS_FIRMS; firms with no customer and no final demand skipped),
 * or every park or region as a whole (CY_GROUP_PARK, CY_GROUP_REGION).
 * Time complexity: that of cy_stress_run per disruption.
 */
cy_status cy_stress_each(const cy_network *net, const cy_stress_options *options,
                         int kind, cy_stress_result *result, cy_error *err);

/*
 * One disruption per firm of firms[0 .. count): firms[k] failing alone is
 * result->disruptions[k] (the order given, not ranked; a firm given twice
 * is solved twice; none is skipped), solved on options->threads threads
 * like cy_stress_each and with the same answers as cy_stress_run of that
 * firm alone.  Runs cy_stress_check first (CY_EINPUT and its diagnostics
 * when the network lacks what the programs need).  CY_EUSAGE for bad
 * options, degraded firms or an index out of range; CY_EINTERNAL when
 * GLPK fails.  Release with cy_stress_result_destroy.
 * Time complexity: that of cy_stress_run per firm.
 */
cy_status cy_stress_firms(const cy_network *net, const cy_stress_options *options,
                          const size_t *firms, size_t count, cy_stress_result *result,
                          cy_error *err);

/*
 * The members of park or region `group` in index order (a region's
 * includes the firms of its parks that name no region), as
 * cy_cascade_run_group fails them.  *members is cy_malloc'd (free with
 * cy_free; may be NULL when the count is 0).  CY_ENOMEM, CY_EUSAGE.
 * Time complexity: O(n).
 */
cy_status cy_stress_group_members(const cy_network *net, int kind, size_t group,
                                  size_t **members, size_t *count,
                                  cy_error *err);

/* Free what a result holds (NULL-safe).  Time complexity: O(count). */
void cy_stress_result_destroy(cy_stress_result *result);

/* --- scenarios (chengyu scenarios) -------------------------------- */

/*
 * One scenario of a scenario file, resolved against the network it will
 * run on: `net` is the network with the scenario's mitigations applied (a
 * copy, owned), or NULL when it has none (it runs on the base network);
 * the shock's firms (park and region members expanded) as indices of that
 * network: `fail` those at capacity 0, `degrade` the others.  days is the
 * largest `days` of its shocks (NAN when none gives one); partial is 1
 * when some capacity left lies strictly between 0 and 1.
 */
typedef struct {
    char *name;
    char *description;        /* or NULL */
    char *path;               /* "$.scenarios[k]" */
    char *place;              /* for messages: "s.json: $.scenarios[k]", or the
                                 sheet's cell of its name ("s.csv:2:1 (column
                                 \"scenario\")"); NULL when not known */
    cy_network *net;
    size_t mitigation_count;
    size_t *fail;
    size_t fail_count;
    cy_degrade *degrade;
    size_t degrade_count;
    double days;
    int partial;
    /* With mitigations: the same shocks resolved on the network as given
     * (its own park and region members; firms the mitigations add are
     * not there), for the run without the mitigations; else NULL and 0. */
    size_t *base_fail;
    size_t base_fail_count;
    cy_degrade *base_degrade;
    size_t base_degrade_count;
} cy_scenario;

typedef struct {
    char *description;        /* the file's, or NULL */
    cy_scenario *items;
    size_t count;
} cy_scenarios;

/*
 * What a mitigation changed in one kind of weak link, against the
 * baseline (the network as given): `removed` are indices into the base
 * network, `added` into the scenario's network.  a, b, part: a register
 * row is (firm, -, -); a single-source pair (customer, supplier, part); a
 * chokepoint (demand node, firm, -).  Each list by ids.
 */
typedef struct {
    size_t a, b, part;
} cy_sc_item;

typedef struct {
    cy_sc_item *removed;
    size_t removed_count;
    cy_sc_item *added;
    size_t added_count;
} cy_sc_change;

/*
 * One scenario's outcome: its cascade on its network (the model: the
 * options' or, by default, fractional when a capacity lies strictly
 * between 0 and 1), the weak-link report of its network after the
 * mitigations (`weaklinks`, owned; NULL without mitigations: the
 * baseline's applies) and what the mitigations changed.
 */
typedef struct {
    cy_cascade_result cascade;
    double threshold;
    cy_weaklinks *weaklinks;
    cy_sc_change register_rows, single_source, chokepoints;
    /* The stress programs over the scenario's days (docs/scenarios.md):
     * run (stressed = 1) when the scenario gives days > 0, its shock
     * fails or degrades a firm, and its network has a volume on every
     * link; T = the days, the horizon max(365, days). */
    int stressed;
    int survives;            /* the horizon is feasible: no TTS */
    double tts_days;         /* when !survives */
    double ttr_days;         /* = the scenario's days */
    double impact;           /* final demand lost over the days, yuan */
    double impact_fraction;  /* of the network's final demand over them */
    int exposed;             /* TTS < the days */
    /* When the scenario gives days > 0 and a shock but its network fails
     * cy_stress_check (a link without a volume, an output below what the
     * firm delivers): that check's first message, owned; else NULL. */
    char *stress_missing;
    /* A scenario with mitigations and a shock: the same shocks on the
     * network as given (cy_scenario.base_fail, base_degrade: resolved
     * there), so that the mitigations are judged under the shock
     * they are meant for (compared = 1): its cascade's failed firms and
     * final demand lost, and its stress figures when both it and the
     * scenario have them (without_stressed). */
    int compared;
    size_t without_failed_count;
    double without_final_demand_lost;
    int without_stressed, without_survives;
    double without_tts_days, without_impact;
} cy_scenario_outcome;

typedef struct {
    double threshold;
    int model;          /* a cy_cascade_model, or -1: per scenario */
    /* The stress programs count only these firms' final demand
     * (cy_stress_options.demand_of), given as indices into the base
     * network and found by id in each scenario's network; NULL and 0:
     * every firm's. */
    const size_t *demand_of;
    size_t demand_of_count;
} cy_scenarios_options;

typedef struct {
    cy_weaklinks *baseline;        /* of the base network */
    cy_scenario_outcome *items;    /* one per scenario, in file order */
    size_t count;
    /* The options' demand_of (a copy, base network indices), or NULL
     * and 0. */
    size_t *demand_of;
    size_t demand_of_count;
} cy_scenarios_result;

/*
 * Run every scenario of `set` (loaded against `base`): its shock on its
 * network, its weak links when it has mitigations, compared with the
 * baseline's.  CY_EUSAGE for a threshold outside [0, 1], or a partial
 * capacity under an explicit threshold model (naming the scenario).
 * Time complexity: one weak-link report (cy_weaklinks_compute) for the
 * base network and one per scenario with mitigations, one cascade per
 * scenario, O(r log r) to compare r weak links; plus, for a scenario with
 * days on a network with volumes, cy_stress_run's two linear programs.
 */
cy_status cy_scenarios_run(const cy_network *base, const cy_scenarios *set,
                           const cy_scenarios_options *options,
                           cy_scenarios_result *out, cy_error *err);
void cy_scenarios_result_destroy(cy_scenarios_result *result);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_ANALYSIS_H */
