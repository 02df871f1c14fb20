/*
 * internal.h - definitions shared by the modules of libchengyu.  Not
 * installed, not part of the API: analyses may read these structures
 * directly; the CLI and the outside world use the accessors in chengyu.h.
 */
#ifndef CHENGYU_INTERNAL_H
#define CHENGYU_INTERNAL_H

#include "chengyu.h"

#include <igraph/igraph.h>
#include <jansson.h>

/* ---- interned strings ------------------------------------------------ */

/*
 * A string table: each distinct string gets a dense index (0, 1, ...) in
 * order of first insertion, and lookups are O(length) expected (open
 * addressing, FNV-1a).  Strings are copied and owned by the table.
 */
typedef struct {
    char **strings;
    size_t count;
    size_t capacity;      /* of strings */
    uint64_t *slots;      /* hash tag << 32 | (index + 1), 0 = empty */
    size_t slot_count;    /* power of two */
} cy_i_strtab;

void cy_i_strtab_init(cy_i_strtab *tab);
void cy_i_strtab_destroy(cy_i_strtab *tab);
/* Index of s, or -1. */
long cy_i_strtab_find(const cy_i_strtab *tab, const char *s, size_t len);
/* Index of s, inserting it if new; *inserted says which.  -1 on OOM. */
long cy_i_strtab_intern(cy_i_strtab *tab, const char *s, size_t len,
                        int *inserted);

/* ---- the model ------------------------------------------------------- */

typedef struct {
    const char *id;       /* owned by net->ids */
    char *name;
    const char *source;   /* owned by net->sources, may be NULL */
    long region;          /* region index or -1 */
    char *sector;         /* clusters only, may be NULL */
    int demonstration;    /* parks only */
    int has_location;
    double lon, lat;
    int implicit;         /* a region created by reference, not declared */
    json_t *meta;         /* kept, never interpreted; may be NULL */
} cy_i_group;

typedef struct {
    const char *id;       /* owned by net->ids */
    char *name;
    char *name_zh;
    char *uscc;
    const char *source;   /* owned by net->sources, may be NULL */
    cy_kind kind;
    int tier;             /* -1 when not given */
    long region, park;    /* group indices or -1 */
    size_t *clusters;
    size_t cluster_count;
    size_t *produces;     /* part indices */
    size_t produces_count;
    size_t *requires;     /* part indices, sorted ascending */
    size_t requires_count;
    int requires_explicit;
    double output_value;
    int has_location;
    double lon, lat;
    json_t *meta;
} cy_i_enterprise;

typedef struct {
    size_t from, to, part;
    double volume;
    double share;         /* -1 when not given */
    const char *source;   /* owned by net->sources, may be NULL */
    json_t *meta;
} cy_i_link;

/* Which kind of record an id names. */
typedef enum {
    CY_I_OWNER_REGION = CY_GROUP_REGION,
    CY_I_OWNER_CLUSTER = CY_GROUP_CLUSTER,
    CY_I_OWNER_PARK = CY_GROUP_PARK,
    CY_I_OWNER_ENTERPRISE
} cy_i_owner_kind;

typedef struct {
    cy_i_owner_kind kind;
    size_t index;         /* into the groups/enterprises array */
    size_t json_index;    /* position in the file's array (for messages) */
} cy_i_owner;

struct cy_network {
    char *name;
    char *description;
    json_t *meta;

    cy_i_strtab ids;      /* every id; owners[k] says what id k names */
    cy_i_owner *owners;
    cy_i_strtab parts;    /* part names, index = part index */
    cy_i_strtab sources;  /* interned `source` strings */

    cy_i_group *groups[CY_GROUP_KIND_COUNT];
    size_t group_count[CY_GROUP_KIND_COUNT];

    cy_i_enterprise *enterprises;
    size_t enterprise_count;
    cy_i_link *links;
    size_t link_count;

    /*
     * Incoming links of each customer, sorted by (part, supplier):
     * in_links[in_offset[c] .. in_offset[c+1]) are link indices.  Outgoing
     * links of each supplier, sorted by (customer, part), likewise.
     */
    size_t *in_offset, *in_links;
    size_t *out_offset, *out_links;

    /*
     * The firm graph: vertex i = enterprise i, one directed edge per
     * distinct (supplier, customer) pair, in ascending (supplier, customer)
     * order; firm_volume[e] is the summed volume of its links and
     * link_firm_edge[j] the firm edge that link j belongs to.
     */
    igraph_t firm_graph;
    igraph_vector_t firm_volume;
    size_t *link_firm_edge;
    /* The supply multigraph: edge j = link j, supplier -> customer. */
    igraph_t supply_graph;
    int graphs_ready;
};

/* Allocate an empty network (all counts zero). NULL on OOM. */
cy_network *cy_i_network_new(void);

/*
 * Build the adjacency indexes and both igraph graphs from the records.
 * Called once by the loader after validation.
 */
cy_status cy_i_network_build(cy_network *net, cy_error *err);

/*
 * Report an igraph failure code as a diagnostic and map it to a status
 * (IGRAPH_ENOMEM -> CY_ENOMEM, anything else -> CY_EINTERNAL).
 */
cy_status cy_i_igraph_status(igraph_error_t code, cy_error *err,
                             const char *what);

/*
 * How many allocations through cy_malloc/cy_calloc/cy_realloc have returned
 * NULL so far (injected or real).  Jansson reports most of its allocation
 * failures during parsing as syntax errors ("invalid token"), or with an
 * empty message; comparing this count before and after json_loadb tells
 * the loader the failure was memory, not the file.
 */
unsigned long cy_i_alloc_failures(void);

/* Exactly-sized helpers for growing arrays: double `*cap` until it holds
 * `need` elements of `size` bytes.  Returns 0 on OOM (the array is intact). */
int cy_i_grow(void **array, size_t *cap, size_t need, size_t size);

#endif /* CHENGYU_INTERNAL_H */
