/*
 * chengyu_network.h - the network model: kinds and groups, loading and checking a chengyu/1 file, and the read-only accessors every analysis and writer uses.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_NETWORK_H
#define CHENGYU_NETWORK_H

#include "chengyu_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* The network model                                                   */
/* ------------------------------------------------------------------ */

typedef struct cy_network cy_network;

typedef enum {
    CY_KIND_OEM = 0,
    CY_KIND_SUPPLIER,
    CY_KIND_MATERIAL,
    CY_KIND_SERVICE,
    CY_KIND_COUNT
} cy_kind;

/* "oem", "supplier", "material", "service". */
const char *cy_kind_name(cy_kind kind);

typedef enum {
    CY_GROUP_REGION = 0,
    CY_GROUP_CLUSTER,
    CY_GROUP_PARK,
    CY_GROUP_KIND_COUNT
} cy_group_kind;

/* "region", "cluster", "park". */
const char *cy_group_kind_name(cy_group_kind kind);

/* Load-time limits.  max_input_bytes = 0 means CY_DEFAULT_MAX_INPUT. */
#define CY_DEFAULT_MAX_INPUT ((size_t)2 << 30) /* 2 GiB */

typedef struct {
    size_t max_input_bytes;
    /* Called on the calling thread while a file is read a record at a
     * time, with "load" and the share of its text read (0 to 100), every
     * few thousand records (may be NULL; the same signature as
     * cy_progress_fn).  A file the loader reads whole (an invalid one, or
     * one whose sections are out of order) gets no calls. */
    void (*progress)(const char *measure, double percent, void *data);
    void *progress_data;
} cy_load_options;

/*
 * Load and fully validate a chengyu/1 file.  On success *out is a new
 * network and CY_OK is returned; warnings may have been added to err.  On
 * failure *out is NULL, err holds every problem found (up to its limit) and
 * the status says what kind of failure it was.  `path` must name a regular,
 * readable file no larger than the size limit; anything else (directory,
 * FIFO, device) is refused before it is read.  `options` may be NULL.
 * Time complexity: O(file size + n + m log m) for n enterprises, m links.
 */
cy_status cy_network_load(const char *path, const cy_load_options *options,
                          cy_network **out, cy_error *err);

/*
 * Check a chengyu/1 file exactly as cy_network_load does (same status, same
 * diagnostics in err, in the same order) without keeping the network: the
 * adjacency indexes the checks need are built, the analysis graphs are
 * not.  On CY_OK the file's counts are stored through `enterprise_count`
 * and `link_count` (either may be NULL); otherwise they are set to 0.
 * This is `chengyu validate`.
 * Time complexity: O(file size + n + m log m) for n enterprises, m links.
 */
cy_status cy_network_check(const char *path, const cy_load_options *options,
                           size_t *enterprise_count, size_t *link_count,
                           cy_error *err);

/*
 * Same as cy_network_load, from `size` bytes in memory (need not be NUL
 * terminated).  `name` labels diagnostics (may be NULL).
 */
cy_status cy_network_load_buffer(const char *data, size_t size,
                                 const char *name, cy_network **out,
                                 cy_error *err);

void cy_network_free(cy_network *net);

/* Accessors.  Indices are 0-based; all are O(1) unless stated. */
const char *cy_network_name(const cy_network *net);
const char *cy_network_description(const cy_network *net); /* may be NULL */
size_t cy_network_enterprise_count(const cy_network *net);
size_t cy_network_link_count(const cy_network *net);
size_t cy_network_part_count(const cy_network *net);
size_t cy_network_group_count(const cy_network *net, cy_group_kind kind);

/* Enterprise i (0 <= i < enterprise_count). tier is -1 when not given. */
const char *cy_enterprise_id(const cy_network *net, size_t i);
const char *cy_enterprise_name(const cy_network *net, size_t i);
const char *cy_enterprise_name_zh(const cy_network *net, size_t i); /* or NULL */
const char *cy_enterprise_uscc(const cy_network *net, size_t i);    /* or NULL */
const char *cy_enterprise_source(const cy_network *net, size_t i);  /* or NULL */
cy_kind cy_enterprise_kind(const cy_network *net, size_t i);
int cy_enterprise_tier(const cy_network *net, size_t i);
double cy_enterprise_output_value(const cy_network *net, size_t i);
/* Group index (into cy_network_group_*) or -1 when not set. */
long cy_enterprise_region(const cy_network *net, size_t i);
long cy_enterprise_park(const cy_network *net, size_t i);
size_t cy_enterprise_cluster_count(const cy_network *net, size_t i);
size_t cy_enterprise_cluster(const cy_network *net, size_t i, size_t k);
/* Parts as part indices (see cy_part_name). */
size_t cy_enterprise_produces_count(const cy_network *net, size_t i);
size_t cy_enterprise_produces(const cy_network *net, size_t i, size_t k);
size_t cy_enterprise_requires_count(const cy_network *net, size_t i);
size_t cy_enterprise_requires(const cy_network *net, size_t i, size_t k);
/* 1 when `requires` was given in the file, 0 when derived from links. */
int cy_enterprise_requires_explicit(const cy_network *net, size_t i);
/* 1 and fills lon/lat when a location was given. */
int cy_enterprise_location(const cy_network *net, size_t i, double *lon,
                           double *lat);

/*
 * Output, final demand and the stress fields of enterprise i, all in the
 * network's currency per year except the days (docs/format.md).  The
 * derived values are computed once at load; every analysis uses these
 * accessors rather than recomputing them.
 *
 * cy_enterprise_output_value_given / cy_enterprise_final_demand_given: 1
 * when the file gave the field (cy_enterprise_output_value is 0 when not).
 * cy_enterprise_output: `output_value` if given, else the sum of the
 * volumes of i's outgoing links plus its final demand.
 * cy_enterprise_final_demand: sales to customers outside the network:
 * `final_demand` if given, else `output_value` minus the volumes of i's
 * outgoing links, floored at 0, if `output_value` is given, else 0.
 * cy_enterprise_capacity: `capacity` if given, else cy_enterprise_output
 * (the loader refuses a capacity below the output).
 * cy_enterprise_inventory_days: days of normal use of each input part the
 * firm holds; 0 when not given.
 * cy_enterprise_recovery_days: the firm's time to recover, > 0; -1 when
 * not given.
 * cy_enterprise_is_demand_node: 1 when i is a demand node under the
 * network's rule (cy_network_demand_rule).
 * cy_enterprise_inside: 1 when i's region (its own, else its park's) is
 * inside the Chengdu-Chongqing circle, or it has no region.
 * Time complexity: O(1) each.
 */
int cy_enterprise_output_value_given(const cy_network *net, size_t i);
double cy_enterprise_output(const cy_network *net, size_t i);
double cy_enterprise_final_demand(const cy_network *net, size_t i);
int cy_enterprise_final_demand_given(const cy_network *net, size_t i);
double cy_enterprise_capacity(const cy_network *net, size_t i);
int cy_enterprise_capacity_given(const cy_network *net, size_t i);
double cy_enterprise_inventory_days(const cy_network *net, size_t i);
double cy_enterprise_recovery_days(const cy_network *net, size_t i);
int cy_enterprise_is_demand_node(const cy_network *net, size_t i);
int cy_enterprise_inside(const cy_network *net, size_t i);

/*
 * Which firms are demand nodes (the ends of the supply chains whose sales
 * a disruption can stop):
 *  - CY_DEMAND_FINAL_DEMAND ("final_demand"): the firms whose final demand
 *    (cy_enterprise_final_demand) is > 0, when at least one has;
 *  - CY_DEMAND_OEM ("oem"): otherwise the firms of kind oem, when there
 *    is at least one;
 *  - CY_DEMAND_NO_CUSTOMER ("no_customer"): otherwise the firms with no
 *    customer in the network (no outgoing link); none in a ring.
 */
typedef enum {
    CY_DEMAND_FINAL_DEMAND = 0,
    CY_DEMAND_OEM,
    CY_DEMAND_NO_CUSTOMER
} cy_demand_rule;

/* "final_demand", "oem", "no_customer" (the JSON spelling). */
const char *cy_demand_rule_name(cy_demand_rule rule);

/*
 * The rule that chose the demand nodes, how many there are, and the
 * network's total final demand (the sum of cy_enterprise_final_demand,
 * finite: the loader refuses a file whose sum overflows).
 * Time complexity: O(1) each.
 */
cy_demand_rule cy_network_demand_rule(const cy_network *net);
size_t cy_network_demand_node_count(const cy_network *net);
double cy_network_final_demand_total(const cy_network *net);

/*
 * 1 when any firm gives `inventory_days`, `capacity` or `recovery_days`:
 * the time-based analyses (stress) then have data of the file to work on.
 * Time complexity: O(1).
 */
int cy_network_has_stress_data(const cy_network *net);

/*
 * 1 when the network has 10 or more firms and all its links carry one part
 * name (the loader warns): part-level results (single sourcing,
 * concentration, backup recommendations) say nothing about such a
 * network, and reports should say so instead of listing every firm.
 * Time complexity: O(1).
 */
int cy_network_single_part(const cy_network *net);

/*
 * The currency of every amount in the file: its ISO 4217 code (three
 * uppercase letters), "CNY" when the file gives none.
 * Time complexity: O(1).
 */
const char *cy_network_currency(const cy_network *net);

/* Link j (0 <= j < link_count), in file order. */
size_t cy_link_from(const cy_network *net, size_t j);
size_t cy_link_to(const cy_network *net, size_t j);
size_t cy_link_part(const cy_network *net, size_t j);
double cy_link_volume(const cy_network *net, size_t j); /* 0 when not given */
/* 1 when the file gave the link's `volume`. */
int cy_link_volume_given(const cy_network *net, size_t j);
/* The share, or -1 when the file gave none. */
double cy_link_share(const cy_network *net, size_t j);

const char *cy_part_name(const cy_network *net, size_t part);

/* Group g of a kind. region is -1 when unset (clusters and parks). */
const char *cy_group_id(const cy_network *net, cy_group_kind kind, size_t g);
const char *cy_group_name(const cy_network *net, cy_group_kind kind, size_t g);
const char *cy_group_source(const cy_network *net, cy_group_kind kind, size_t g);
long cy_group_region(const cy_network *net, cy_group_kind kind, size_t g);
const char *cy_group_sector(const cy_network *net, size_t cluster); /* or NULL */
int cy_group_demonstration(const cy_network *net, size_t park);
/* 1 when region g is inside the Chengdu-Chongqing circle (`inside`,
 * default true; implicit regions are inside).  O(1). */
int cy_region_inside(const cy_network *net, size_t region);

/*
 * Look an id up.  Returns 1 and sets *index when `id` names an enterprise
 * (cy_network_find_enterprise) or a group of that kind (cy_network_find_group).
 * Time complexity: O(length of id), expected.
 */
int cy_network_find_enterprise(const cy_network *net, const char *id,
                               size_t *index);

/*
 * For "did you mean": the id nearest to `id` (at most CY_SUGGEST_DISTANCE
 * edits, src/core/suggest.c) among the enterprises, when `enterprises`,
 * and the groups of every kind k with bit (1u << k) set in `group_kinds`;
 * the first in that order among equals; NULL when none is near.
 * Time complexity: O(CY_SUGGEST_DISTANCE x id length) per candidate.
 */
const char *cy_network_nearest_id(const cy_network *net, const char *id,
                                  int enterprises, unsigned group_kinds);

/*
 * For "it is the name of": the id of the one record whose name is `text`
 * (an enterprise's `name` or `name_zh`, a group's `name`) among the
 * enterprises, when `enterprises`, and the groups of every kind k with bit
 * (1u << k) set in `group_kinds`; NULL when none has it or more than one
 * does (analysts type names where ids go).  *kind is set to -1 for an
 * enterprise, else to the group's kind.  Records without a name yet (a
 * network being loaded) are skipped.
 * Time complexity: O(records x length of text).
 */
const char *cy_network_named(const cy_network *net, const char *text, int enterprises,
                             unsigned group_kinds, int *kind);
int cy_network_find_group(const cy_network *net, cy_group_kind kind,
                          const char *id, size_t *index);

/*
 * "Did you mean": the enterprise id (cy_network_suggest_enterprise) or the
 * id of a group of `kind` (cy_network_suggest_group, implicit groups
 * left out) nearest to `word` within CY_SUGGEST_DISTANCE edits, the first
 * in file order among equals; NULL when none is that near.  For messages
 * about an unknown id, so a scan is fine.
 * Time complexity: O(count * CY_SUGGEST_DISTANCE * length of word).
 */
const char *cy_network_suggest_enterprise(const cy_network *net, const char *word);
const char *cy_network_suggest_group(const cy_network *net, cy_group_kind kind,
                                     const char *word);
int cy_network_find_part(const cy_network *net, const char *name,
                         size_t *index);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_NETWORK_H */
