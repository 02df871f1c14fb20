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

/* Link j (0 <= j < link_count), in file order. */
size_t cy_link_from(const cy_network *net, size_t j);
size_t cy_link_to(const cy_network *net, size_t j);
size_t cy_link_part(const cy_network *net, size_t j);
double cy_link_volume(const cy_network *net, size_t j);
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

/*
 * Look an id up.  Returns 1 and sets *index when `id` names an enterprise
 * (cy_network_find_enterprise) or a group of that kind (cy_network_find_group).
 * Time complexity: O(length of id), expected.
 */
int cy_network_find_enterprise(const cy_network *net, const char *id,
                               size_t *index);
int cy_network_find_group(const cy_network *net, cy_group_kind kind,
                          const char *id, size_t *index);
int cy_network_find_part(const cy_network *net, const char *name,
                         size_t *index);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_NETWORK_H */
