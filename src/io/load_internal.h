/*
 * load_internal.h - what the files of the chengyu/1 loader share: the
 * loader's state, the message and path helpers, the field readers, the
 * record loaders and the two ways through a document.  Private to
 * libchengyu.
 *
 *   load.c         the entry points: reading the file, Jansson's parse of
 *                  the whole document, the choice between the two paths
 *   load_fields.c  quoting values for messages, JSON paths, reading one
 *                  field of a record with its type and range
 *   load_records.c ids and references, and each kind of record (region,
 *                  cluster, park, enterprise, link) into the model
 *   load_rules.c   the document from Jansson's DOM, and the rules over the
 *                  whole file (duplicate links, derived requires, warnings)
 *   load_links.c   the rules over all the links: duplicates, parts against
 *                  explicit requires, shares, a single part
 *   load_demand.c  the amounts derived once the links are in: output,
 *                  final demand, capacity, demand nodes
 *   load_stream.c  the streaming pass: a valid file in dependency order,
 *                  a record at a time
 *   load_scan.c    where a JSON value ends, without parsing it
 *   load_parallel.c the records of an array parsed ahead on other threads
 *                  for the streaming pass
 *   load_prepare.c each record parsed ahead checked alone on its thread,
 *                  and put into the model in file order
 */
#ifndef CHENGYU_LOAD_INTERNAL_H
#define CHENGYU_LOAD_INTERNAL_H

#include "internal.h"

#include <string.h>

#define CY_ID_MAX_BYTES 256
#define CY_TIER_MAX 1000
#define PATH_SIZE 512
#define SHOW_SIZE 128
#define NUMBER_SIZE 32
#define NO_INDEX ((size_t)-1)
/* Ids up to this long (with the NUL) are cached by get_enterprise_ref. */
#define LAST_REF_SIZE 32
/* The most keys an object accepts, with the NULL ending the key table. */
#define CY_L_MAX_KEYS 24

/* The batch slots a stopped pipeline leaves to the next one of the same
 * load (load_parallel.c; count 0: none). */
typedef struct cy_l_batch cy_l_batch;
typedef struct {
    cy_l_batch *slots;
    size_t count;
} cy_l_slots;

typedef struct {
    cy_network *net;
    cy_error *err;
    int regions_declared;
    int oom;
    size_t owners_cap;
    /* Duplicate detection in produces/requires/clusters (see cy_l_mark_seen). */
    size_t *part_mark, *cluster_mark;
    size_t part_mark_cap, cluster_mark_cap;
    size_t mark_round;
    size_t group_cap[CY_GROUP_KIND_COUNT];
    /* The last id each of a link's "from" and "to" resolved to, and the
     * last source string interned: see get_enterprise_ref. */
    char last_ref[2][LAST_REF_SIZE];
    size_t last_ref_length[2]; /* 0: none */
    size_t last_ref_index[2];
    const char *last_source;
    /* The record being validated when the pipeline parsed it (its ids'
     * tags are known), else NULL. */
    const struct cy_l_parsed *parsed;
    /* The fields of the object cy_l_check_keys saw last (see cy_l_field()). */
    json_t *fields_of;
    const char *const *fields_keys;
    json_t *fields[CY_L_MAX_KEYS];
    /* Sums over the file, kept finite (see cy_l_add_to_total). */
    double output_total, volume_total, final_demand_total, capacity_total;
    cy_i_arena *arena; /* records of the streaming load (see stream_records) */
    cy_i_arena own_arena; /* ... when parsed on this thread */
    /* Progress through the text of the streaming load (may be NULL). */
    cy_progress_fn progress;
    void *progress_data;
    size_t progress_records; /* records read since the load began */
    /* Where the streaming load passed Jansson's memory budget. */
    char too_large_at[PATH_SIZE];
    int check_only;    /* cy_network_check: no graphs are built */
    /* The enterprises' pipeline's slots, for the links' (see
     * cy_l_pipeline_stop); freed when the streaming pass ends. */
    cy_l_slots spare;
} loader;

/* The keys each object accepts (docs/format.md), NULL-terminated. */
extern const char *const cy_l_top_keys[];
extern const char *const cy_l_region_keys[];
extern const char *const cy_l_cluster_keys[];
extern const char *const cy_l_park_keys[];
extern const char *const cy_l_enterprise_keys[];
extern const char *const cy_l_link_keys[];

#define ERROR(L, path, ...) cy_error_add((L)->err, CY_SEV_ERROR, (path), __VA_ARGS__)
#define WARN(L, path, ...) cy_error_add((L)->err, CY_SEV_WARNING, (path), __VA_ARGS__)
#define FULL(L) ((L)->err->limit_reached || (L)->oom)

/* ---- messages and paths (load_fields.c) ------------------------------- */

/*
 * Quote a user string for a message: at most ~80 bytes (cut on a UTF-8
 * boundary, "..." appended), with '"' and '\' escaped.  Control bytes are
 * left for cy_error_format to neutralise.
 */
const char *cy_l_show(const char *s, char buf[SHOW_SIZE]);
/* A number as the user would have written it: the shortest %g form that
 * reads back as the same double (29.6, not 29.600000000000001; 90, not
 * 9e+01). */
const char *cy_l_show_number(double x, char buf[NUMBER_SIZE]);
/* The end of a message that suggests a name: "; did you mean \"x\"?", or
 * "" when `suggestion` is NULL.  Written into hint. */
const char *cy_l_did_you_mean(const char *suggestion, char hint[SHOW_SIZE + 32]);
/* "an object", "a string", "null", ...: the JSON type of v for a message. */
const char *cy_l_type_name(const json_t *v);

/*
 * Paths are built for every field read, so these avoid snprintf: a plain
 * copy is an order of magnitude cheaper on a million-link file.  Both
 * truncate rather than overflow (paths are at most a few dozen bytes).
 * Inline: they run once or twice per field of a million records.
 */
static inline void cy_l_path_key(char out[PATH_SIZE], const char *base,
                                 const char *key)
{
    size_t base_len = strnlen(base, PATH_SIZE - 1);
    size_t key_len = strnlen(key, PATH_SIZE - 2 - base_len);
    memmove(out, base, base_len);
    out[base_len] = '.';
    memcpy(out + base_len + 1, key, key_len);
    out[base_len + 1 + key_len] = '\0';
}

static inline void cy_l_path_index(char out[PATH_SIZE], const char *base,
                                   size_t index)
{
    char digits[24];
    size_t digit_count = 0, base_len = strnlen(base, PATH_SIZE - 26);
    do {
        digits[digit_count++] = (char)('0' + index % 10);
        index /= 10;
    } while (index);
    memmove(out, base, base_len);
    out[base_len] = '[';
    for (size_t k = 0; k < digit_count; k++)
        out[base_len + 1 + k] = digits[digit_count - 1 - k];
    out[base_len + 1 + digit_count] = ']';
    out[base_len + 2 + digit_count] = '\0';
}

/* ---- field readers (load_fields.c) ------------------------------------ */

/*
 * The value of `key` in `obj`, or NULL.  cy_l_check_keys has just walked
 * the keys of the object being read and kept each allowed key's value, so
 * the readers find their field in that small table instead of asking
 * Jansson: json_object_get hashes the key and walks a bucket of the (by
 * then cold) object, about 17 times per enterprise and 10 per link, a
 * tenth of the load of a million-link file.  The call sites pass the same
 * string literals as the key tables, which the compiler and the linker
 * merge, so the pointer test usually settles it.  Any other object is
 * asked directly.
 */
static inline json_t *cy_l_field(const loader *L, json_t *obj, const char *key)
{
    if (obj != L->fields_of)
        return json_object_get(obj, key);
    for (size_t k = 0; L->fields_keys[k]; k++) {
        if (L->fields_keys[k] == key ||
            (L->fields_keys[k][0] == key[0] && strcmp(L->fields_keys[k], key) == 0))
            return L->fields[k];
    }
    return NULL;
}

/*
 * Report keys outside `allowed` (in the object's order) and required keys
 * that are missing (in `required` order), keeping the value of each
 * allowed key for cy_l_field().
 */
void cy_l_check_keys(loader *L, json_t *obj, const char *path,
                     const char *const *allowed, const char *const *required);
/*
 * Read an optional string field.  Returns 1 and sets *out when present and
 * valid, 0 when absent, -1 after reporting a problem.
 */
int cy_l_get_string(loader *L, json_t *obj, const char *key, const char *path,
                    const char **out);
/* A string that names something: non-empty, at most CY_ID_MAX_BYTES;
 * 0 after reporting a problem at `at`. */
int cy_l_check_name_like(loader *L, const char *at, const char *s,
                         const char *what);
/* cy_l_get_string, then cy_l_check_name_like; 1/0/-1. */
int cy_l_get_name_like(loader *L, json_t *obj, const char *key,
                       const char *path, const char *what, const char **out);
/* Read an optional number in [min, max] (min excluded when min_open);
 * 1/0/-1 like cy_l_get_string. */
int cy_l_get_number(loader *L, json_t *obj, const char *key, const char *path,
                    double min, int min_open, double max, double *out);
/* Add `value` (read from field `key` of the record at `path`) to a sum
 * over the file, refusing the file once the sum is not finite. */
void cy_l_add_to_total(loader *L, double *total, double value,
                       const char *path, const char *key);
/* An optional boolean; *out is left alone when absent; 1/0/-1. */
int cy_l_get_boolean(loader *L, json_t *obj, const char *key, const char *path,
                     int *out);
/* An optional "location": [longitude, latitude]; 1/0/-1. */
int cy_l_get_location(loader *L, json_t *obj, const char *path, double *lon,
                      double *lat);
/* The `source` string interned in the network; NULL on OOM (L->oom set). */
const char *cy_l_intern_source(loader *L, const char *s);
/* cy_strdup that sets L->oom on failure. */
char *cy_l_dup(loader *L, const char *s);
/*
 * Mark item k (a part or cluster index) as seen in the list being read
 * (each list starts with ++L->mark_round).  1 when already seen in this
 * list, 0 when new, -1 on OOM.
 */
int cy_l_mark_seen(loader *L, size_t **marks, size_t *cap, size_t k);

/* ---- records (load_records.c) ----------------------------------------- */

/* Read and register the id of record `rec` (if it is an object with a
 * valid id).  Returns the id owned by the id table, or NULL. */
const char *cy_l_declare_id(loader *L, json_t *rec, const char *path,
                            cy_i_owner_kind kind, size_t index,
                            size_t json_index);
/* First pass over a group array: one group per record, its id declared. */
void cy_l_declare_groups(loader *L, json_t *root, cy_group_kind kind,
                         const char *key);
/* Second pass over a group array: every other field, references resolved. */
void cy_l_load_groups(loader *L, json_t *root, cy_group_kind kind,
                      const char *key, const char *const *keys);
/* Every field of enterprise i but its id (declared before). */
void cy_l_load_enterprise(loader *L, json_t *rec, const char *path, size_t i);
/* Link j: its fields, its references resolved. */
void cy_l_load_link(loader *L, json_t *rec, const char *path, size_t j);
/* The named array of records of `root`, or NULL when absent or of the
 * wrong type (reported). */
json_t *cy_l_get_record_array(loader *L, json_t *root, const char *key);
/* The record's "meta" value, kept for the model (a new reference). */
json_t *cy_l_keep_meta(loader *L, json_t *obj);
/* Register `id` (a record's, read at `at`) in the id table: the string
 * owned by the table, or NULL after reporting a duplicate or on OOM. */
const char *cy_l_register_id(loader *L, const char *id, const char *at,
                             cy_i_owner_kind kind, size_t index,
                             size_t json_index);
/* NULL when `code` is a valid unified social credit code, else why not. */
const char *cy_l_uscc_problem(const char *code);
/* The kind named `s`; 0 when it names none. */
int cy_l_parse_kind(const char *s, cy_kind *kind);

/* ---- the document (load_rules.c) -------------------------------------- */

/* The top-level fields that are not record arrays. */
void cy_l_load_header(loader *L, json_t *root);
/* Every record of a parsed document into L->net, then cy_l_finish_document. */
cy_status cy_l_load_document(loader *L, json_t *root);
/* Every record is in the model and none had a problem: build the indexes
 * (and graphs), then apply the rules over the whole file. */
cy_status cy_l_finish_document(loader *L);

/* ---- the links as a whole (load_links.c) ----------------------------- */

/*
 * Duplicate (from, to, part), parts not in an explicit `requires`, shares
 * of a (customer, part) summing to more than 1: reported, in that order.
 * `indexed`: the adjacency indexes are built (a file whose records are
 * valid); otherwise links with unresolved fields are skipped.
 */
void cy_l_check_links(loader *L, int indexed);
/* The warning (and net->single_part) for a network of 10 or more firms
 * whose links all carry one part. */
void cy_l_warn_single_part(loader *L);
/*
 * A warning for each (customer, part) whose links mix given shares and
 * none, when the 1/k of the ones without (analyses.md) makes the part's
 * shares sum to other than 1 (0.7 given and a blank taken as 1/2: 1.2),
 * at the first link without a share.  Needs the in_links index.
 * Time complexity: O(links).
 */
void cy_l_warn_mixed_shares(loader *L);

/* ---- derived amounts (load_demand.c) ---------------------------------- */

/*
 * Each firm's outgoing volume, output, final demand and capacity, the
 * demand nodes and the totals (format.md, "Derived values"), once every
 * record is in the model and the adjacency indexes are built.  A given
 * capacity below the firm's output is reported: CY_EINPUT.
 */
cy_status cy_l_derive_demand(loader *L);

/* ---- the streaming pass (load_stream.c) ------------------------------- */

typedef enum {
    CY_L_STREAM_LOADED,  /* every record is in the model, nothing was wrong */
    CY_L_STREAM_GIVE_UP, /* the DOM path must load the text */
    CY_L_STREAM_OOM,     /* out of memory: final */
    CY_L_STREAM_TOO_LARGE /* past Jansson's budget at L->too_large_at: final */
} cy_l_stream_result;

/* The streaming pass over `size` bytes of text into L->net. */
cy_l_stream_result cy_l_stream_document(loader *L, const char *data, size_t size);

/*
 * After the whole-document parse passed Jansson's budget `limit`, which
 * gives no position: parse the top-level values of the text one at a
 * time, and the elements of a top-level array one at a time, holding all
 * of them, until the budget is passed again, and write that value's JSON
 * path to `path`.  0 (path empty) where the text is not an object of
 * parsable values up to that point.
 */
int cy_l_locate_too_large(const char *data, size_t size, size_t limit,
                          char path[PATH_SIZE]);

/* ---- the structural scan (load_scan.c) -------------------------------- */

#define CY_L_SCAN_FAILED SIZE_MAX

/*
 * The position just past the JSON value that starts at data[pos] (no
 * whitespace before it), where json_loadb with JSON_DISABLE_EOF_CHECK
 * stops on valid text: after the closing bracket or quote, or before the
 * byte that ends a number or literal.  Brackets are balanced outside
 * strings and strings are stepped over, escapes included (a backslash
 * escapes the byte after it, outside strings too, where valid JSON has
 * none); nothing else is checked.  CY_L_SCAN_FAILED when the text ends first or starts with a
 * closing bracket or a separator.
 * Time complexity: O(length of the value).
 */
size_t cy_l_scan_value(const char *data, size_t size, size_t pos);

/* ---- records checked ahead (load_prepare.c) --------------------------- */

/*
 * A part name of a prepared enterprise's "produces" or "requires": the
 * string (in the batch's arena), its length and its id-table tag.
 */
typedef struct {
    const char *name;
    size_t length;
    uint32_t tag;
} cy_l_part_ref;

/* The lists of one batch's prepared enterprises (their clusters and part
 * names), which the records refer to by position. */
typedef struct {
    size_t *clusters;
    size_t cluster_count, cluster_cap;
    cy_l_part_ref *parts;
    size_t part_count, part_cap;
} cy_l_prep_pool;

/* A link's fields, checked: what cy_l_load_link would store, but the
 * source, which is still the record's string. */
typedef struct {
    size_t from, to, part;
    double volume, share;
    int has_volume;
} cy_l_prep_link;

/* An enterprise's fields, checked: strings are the record's (NULL when
 * absent), clusters and parts are positions in the batch's pool. */
typedef struct {
    const char *name, *name_zh, *uscc;
    cy_kind kind;
    int tier;
    long region, park;
    int has_clusters, has_produces, has_requires;
    size_t clusters, cluster_count;
    size_t produces, produces_count, requires, requires_count;
    double output_value, final_demand, capacity, inventory_days, recovery_days;
    int has_output_value, has_final_demand, has_capacity, has_inventory_days;
    int has_location;
    double lon, lat;
} cy_l_prep_firm;

/* `ok`: the record is valid as far as it alone can tell, and the fields
 * below hold all of it; otherwise the validating thread reads the record
 * itself. */
typedef struct {
    int ok;
    const char *source;
    union {
        cy_l_prep_link link;
        cy_l_prep_firm firm;
    } u;
} cy_l_prepared;

/*
 * What the parsing threads check records against, read-only while they
 * run.  Enterprises: a view of the id table as the enterprises begin (the
 * groups' ids alone) and what each names; the validating thread inserts
 * the enterprises' ids into the table meanwhile.  Links: the network's id
 * table and owners themselves (nothing inserts ids once the links begin)
 * and a view of the part table as the links begin (a link may still add
 * a part).
 */
typedef struct {
    int links;
    const cy_network *net;
    cy_i_strtab groups;
    cy_i_owner *group_owners;
    cy_i_strtab parts;
} cy_l_prep_ctx;

/* One parsing thread's scratch: a loader whose diagnostics are counted,
 * never stored, and the last "from" and "to" it resolved. */
typedef struct {
    loader W;
    cy_error err;
    const char *last[2];
    size_t last_length[2], last_index[2];
} cy_l_prep_state;

/* The context for an "enterprises" (links 0) or "links" array of `net`,
 * made on the validating thread before the parsing threads start; 0 on
 * OOM.  cy_l_prep_ctx_free releases it. */
int cy_l_prep_ctx_init(cy_l_prep_ctx *ctx, const cy_network *net, int links);
void cy_l_prep_ctx_free(cy_l_prep_ctx *ctx);
/* A parsing thread's scratch, before and after a batch. */
void cy_l_prep_begin(cy_l_prep_state *st);
void cy_l_prep_end(cy_l_prep_state *st);
/*
 * Check parsed record `r` alone, on the thread that parsed it: set
 * r->prep (ok or not), adding its lists to `pool`.  It is ok only when
 * cy_l_load_enterprise or cy_l_load_link would read it without a
 * diagnostic and without anything only the validating thread may do (a
 * "meta" to copy, an id or part not in the context's tables).
 * Time complexity: O(length of the record) expected.
 */
void cy_l_prepare(const cy_l_prep_ctx *ctx, cy_l_prep_state *st,
                  struct cy_l_parsed *r, cy_l_prep_pool *pool);
/*
 * Prepared record `r` (r->prep.ok) into enterprise i or link j of L->net,
 * on the validating thread, in file order: the model then holds what
 * cy_l_declare_id and cy_l_load_enterprise, or cy_l_load_link, would have
 * put there, with the same sums, table insertions and diagnostics (a
 * duplicate id).  The enterprise's and link's counts are incremented.
 */
void cy_l_apply_enterprise(loader *L, const struct cy_l_parsed *r,
                           const char *path, size_t i);
void cy_l_apply_link(loader *L, const struct cy_l_parsed *r, const char *path,
                     size_t j);

/* ---- records parsed ahead (load_parallel.c) --------------------------- */

typedef struct cy_l_pipeline cy_l_pipeline;

/* A record parsed by the pipeline: its value (in `arena`), where its text
 * ends, and what it is charged to Jansson's budget (cy_i_arena_charged).
 * `ref` are the strings the validation will look up in the id table (an
 * enterprise's "id"; a link's "from" and "to"; NULL where the field is
 * missing or not a string) and `tag` their cy_i_strtab_tag, computed on
 * the thread that parsed the record. */
typedef struct cy_l_parsed {
    size_t start, end, charged;
    json_t *value;
    cy_i_arena *arena;
    const char *ref[2];
    uint32_t tag[2];
    /* The record's fields checked on the thread that parsed it (see
     * load_prepare.c), and the batch's lists they refer to. */
    cy_l_prepared prep;
    const cy_l_prep_pool *pool;
} cy_l_parsed;

/*
 * Start parsing the records of the array whose first record starts at
 * data[pos] on cy_threads_get() - 1 other threads (none while allocation
 * failures are injected: the calling thread then parses the batches
 * itself), with at most an eighth of `limit`, Jansson's budget of the
 * load, in flight.  Each record parsed is checked alone against `net`
 * as it is now (cy_l_prepare; links: an array of links, else of
 * enterprises).  NULL with one thread, for less than half a megabyte of
 * text, or out of memory: the caller then parses every record.  The
 * slots in `spare`, if a pipeline of the same load left them and they are
 * as many as needed, are taken over (and `spare` emptied): their arenas'
 * blocks, record lists and pools are already faulted in.
 */
cy_l_pipeline *cy_l_pipeline_start(const char *data, size_t size, size_t pos,
                                   size_t limit, const cy_network *net,
                                   int links, cy_l_slots *spare);
/*
 * The record whose text starts at data[pos], parsed, or NULL when the
 * caller must parse it itself (the pipeline did not parse it: the scan
 * was cut short, Jansson failed or passed the budget there, or the
 * records are done).  Records must be asked for in file order; the value
 * returned stays valid until the next call.  Waits for (or helps with)
 * the parsing of the batch that holds it.
 */
const cy_l_parsed *cy_l_pipeline_take(cy_l_pipeline *p, size_t pos);
/*
 * Have one of the other threads fault in the `length` bytes at `at` (the
 * part of the caller's record array it will write next), so that the
 * page faults of the growing model are not taken by the validating
 * thread; a later request replaces one not yet served.  The bytes are
 * not changed.  No-op without other threads.
 */
void cy_l_pipeline_prefault(cy_l_pipeline *p, void *at, size_t length);
/* Stop the threads and free everything the pipeline holds (NULL: no-op),
 * except its batch slots when `spare` (not NULL) is empty: they are
 * emptied and left there for the next pipeline (a file's links after its
 * enterprises). */
void cy_l_pipeline_stop(cy_l_pipeline *p, cy_l_slots *spare);
/* Free the slots left in `spare` and empty it. */
void cy_l_slots_free(cy_l_slots *spare);

#endif /* CHENGYU_LOAD_INTERNAL_H */
