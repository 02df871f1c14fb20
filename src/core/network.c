/*
 * network.c - the model: records, the id index, adjacency indexes and the
 * igraph graphs built from them, and the public accessors.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* ---- library set-up -------------------------------------------------- */

static char igraph_last_error[512];
static int library_ready;

/*
 * igraph's default handler aborts the process.  This one keeps the message
 * for cy_igraph_last_error() and then does what igraph_error_handler_ignore
 * does (frees igraph's temporaries), so the failing call returns its code.
 */
static void cy_i_igraph_error_handler(const char *reason, const char *file,
                                      int line, igraph_error_t igraph_errno)
{
    /* igraph's ARPACK wrappers give an empty reason: the code says it. */
    if (reason && *reason)
        snprintf(igraph_last_error, sizeof igraph_last_error, "%s (%s)",
                 reason, igraph_strerror(igraph_errno));
    else
        snprintf(igraph_last_error, sizeof igraph_last_error, "%s",
                 igraph_strerror(igraph_errno));
    igraph_error_handler_ignore(reason, file, line, igraph_errno);
}

/* igraph warnings are advisory (e.g. "graph is not strongly connected");
 * library code must not print, so they are dropped. */
static void cy_i_igraph_warning_handler(const char *reason, const char *file,
                                        int line)
{
    (void)reason;
    (void)file;
    (void)line;
}

void cy_library_init(void)
{
    if (library_ready)
        return;
    igraph_set_error_handler(cy_i_igraph_error_handler);
    igraph_set_warning_handler(cy_i_igraph_warning_handler);
    json_set_alloc_funcs(cy_i_json_malloc, cy_i_json_free);
    library_ready = 1;
}

const char *cy_igraph_last_error(void)
{
    return igraph_last_error;
}

cy_status cy_i_igraph_status(igraph_error_t code, cy_error *err,
                             const char *what)
{
    if (code == IGRAPH_ENOMEM) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory in %s", what);
        return CY_ENOMEM;
    }
    if (code >= IGRAPH_ARPACK_PROD && code <= IGRAPH_ARPACK_UNKNOWN)
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s failed: igraph's eigenvalue solver (ARPACK) gave up: %s",
                     what, igraph_last_error[0] ? igraph_last_error
                                                : igraph_strerror(code));
    else
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s failed: %s", what,
                     igraph_last_error[0] ? igraph_last_error
                                          : igraph_strerror(code));
    return CY_EINTERNAL;
}

int cy_i_grow(void **array, size_t *cap, size_t need, size_t size)
{
    size_t new_cap;
    void *grown;
    if (need <= *cap)
        return 1;
    new_cap = *cap ? *cap : 8;
    while (new_cap < need) {
        if (new_cap > SIZE_MAX / 2 / size)
            return 0;
        new_cap *= 2;
    }
    grown = cy_realloc(*array, new_cap * size);
    if (!grown)
        return 0;
    *array = grown;
    *cap = new_cap;
    return 1;
}

/* ---- string table ---------------------------------------------------- */

/*
 * The id table hashes strings that come from the input file, so the hash
 * must be keyed: with a fixed function (FNV-1a before) anyone can compute
 * 100,000 ids that share a slot and turn every insertion into a walk over
 * all earlier ones (a 14 MB file took 16 s, a larger one hours).  This is
 * SipHash-1-3 (Aumasson and Bernstein 2012; the variant Rust and Python
 * use for their tables) with a random 128-bit key drawn once per process.
 * Indices are given in insertion order, so nothing observable depends on
 * the key.
 */
static uint64_t strtab_key[2];
static int strtab_key_ready;

static void strtab_key_init(void)
{
    uint64_t key[2] = {0, 0};
    if (strtab_key_ready)
        return;
    if (getrandom(key, sizeof key, GRND_NONBLOCK) != (ssize_t)sizeof key) {
        /* No entropy yet (early boot) or no getrandom: mix what varies. */
        key[0] = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
        key[1] = (uint64_t)(uintptr_t)&key ^ (uint64_t)clock();
    }
    strtab_key[0] = key[0];
    strtab_key[1] = key[1];
    strtab_key_ready = 1;
}

#define SIP_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIP_ROUND(v0, v1, v2, v3)                                            \
    do {                                                                     \
        v0 += v1; v1 = SIP_ROTL(v1, 13); v1 ^= v0; v0 = SIP_ROTL(v0, 32);    \
        v2 += v3; v3 = SIP_ROTL(v3, 16); v3 ^= v2;                           \
        v0 += v3; v3 = SIP_ROTL(v3, 21); v3 ^= v0;                           \
        v2 += v1; v1 = SIP_ROTL(v1, 17); v1 ^= v2; v2 = SIP_ROTL(v2, 32);    \
    } while (0)

static uint64_t strtab_hash(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t k0 = strtab_key[0], k1 = strtab_key[1];
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    uint64_t m, last = (uint64_t)len << 56;
    size_t i, tail = len & 7;

    for (i = 0; i + 8 <= len; i += 8) {
        m = 0;
        for (int b = 0; b < 8; b++)
            m |= (uint64_t)p[i + b] << (8 * b);
        v3 ^= m;
        SIP_ROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    for (size_t b = 0; b < tail; b++)
        last |= (uint64_t)p[i + b] << (8 * b);
    v3 ^= last;
    SIP_ROUND(v0, v1, v2, v3);
    v0 ^= last;
    v2 ^= 0xff;
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    SIP_ROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

void cy_i_strtab_init(cy_i_strtab *tab)
{
    strtab_key_init();
    memset(tab, 0, sizeof *tab);
}

void cy_i_strtab_destroy(cy_i_strtab *tab)
{
    for (size_t i = 0; i < tab->count; i++)
        cy_free(tab->strings[i]);
    cy_free(tab->strings);
    cy_free(tab->slots);
    memset(tab, 0, sizeof *tab);
}

/*
 * A slot holds the high 32 bits of the string's hash (the tag), the
 * string's index + 1, and the string itself when it is short (ids and
 * part names nearly always are), so that a lookup usually touches one
 * cache line: on a national file (1.3 million names in random order) the
 * slot array, the string pointers and the strings are each a cache miss,
 * and the three misses made the id lookups a sixth of the load.  Longer
 * strings are compared through `strings`.  The probe starts at the tag's
 * low bits, so growing the table re-places every slot from its tag alone:
 * a slot array of 2^k entries uses k of the 32 tag bits for the position
 * (tables are far below 2^32 slots) and the rest still filter compares.
 */
#define SLOT_START(tag, mask) ((size_t)(tag) & (mask))
#define SLOT_LONG (CY_I_SLOT_INLINE - 1) /* the long-string marker byte */

/* Whether `slot` holds the `len` bytes at `s` (tags already equal). */
static int slot_matches(const cy_i_strtab *tab, const cy_i_strslot *slot,
                        const char *s, size_t len)
{
    const char *candidate;
    if (len < CY_I_SLOT_INLINE)
        return slot->key[SLOT_LONG] == 0 && memcmp(slot->key, s, len) == 0 &&
               slot->key[len] == '\0';
    if (slot->key[SLOT_LONG] == 0)
        return 0;
    candidate = tab->strings[slot->index - 1];
    /* strncmp, not memcmp: the candidate may be shorter than `len`, and
     * strncmp stops at its NUL. */
    return strncmp(candidate, s, len) == 0 && candidate[len] == '\0';
}

uint32_t cy_i_strtab_tag(const char *s, size_t len)
{
    strtab_key_init();
    return (uint32_t)(strtab_hash(s, len) >> 32);
}

long cy_i_strtab_find(const cy_i_strtab *tab, const char *s, size_t len)
{
    if (!tab->slot_count)
        return -1;
    return cy_i_strtab_find_tagged(tab, s, len, cy_i_strtab_tag(s, len));
}

long cy_i_strtab_find_tagged(const cy_i_strtab *tab, const char *s, size_t len,
                             uint32_t tag)
{
    size_t mask, pos;
    if (!tab->slot_count)
        return -1;
    mask = tab->slot_count - 1;
    pos = SLOT_START(tag, mask);
    for (;;) {
        const cy_i_strslot *slot = &tab->slots[pos];
        if (!slot->index)
            return -1;
        if (slot->tag == tag && slot_matches(tab, slot, s, len))
            return (long)(slot->index - 1);
        pos = (pos + 1) & mask;
    }
}

void cy_i_strtab_prefetch(const cy_i_strtab *tab, uint32_t tag)
{
#if defined(__GNUC__)
    if (tab->slot_count)
        __builtin_prefetch(&tab->slots[SLOT_START(tag, tab->slot_count - 1)]);
#else
    (void)tab;
    (void)tag;
#endif
}

/* Put `slot` into the first free slot of its probe. */
static void strtab_place(cy_i_strslot *slots, size_t slot_count,
                         const cy_i_strslot *slot)
{
    size_t pos = SLOT_START(slot->tag, slot_count - 1);
    while (slots[pos].index)
        pos = (pos + 1) & (slot_count - 1);
    slots[pos] = *slot;
}

/* Rebuild the slot array with twice the room (load factor stays <= 1/2). */
static int strtab_rehash(cy_i_strtab *tab)
{
    size_t slot_count = tab->slot_count ? tab->slot_count * 2 : 64;
    cy_i_strslot *slots;
    if (slot_count > SIZE_MAX / sizeof *slots)
        return 0;
    slots = cy_calloc(slot_count, sizeof *slots);
    if (!slots)
        return 0;
    for (size_t i = 0; i < tab->slot_count; i++)
        if (tab->slots[i].index)
            strtab_place(slots, slot_count, &tab->slots[i]);
    cy_free(tab->slots);
    tab->slots = slots;
    tab->slot_count = slot_count;
    return 1;
}

long cy_i_strtab_intern(cy_i_strtab *tab, const char *s, size_t len,
                        int *inserted)
{
    return cy_i_strtab_intern_tagged(tab, s, len, cy_i_strtab_tag(s, len),
                                     inserted);
}

long cy_i_strtab_intern_tagged(cy_i_strtab *tab, const char *s, size_t len,
                               uint32_t tag, int *inserted)
{
    long found = cy_i_strtab_find_tagged(tab, s, len, tag);
    cy_i_strslot slot;
    char *copy;

    if (inserted)
        *inserted = 0;
    if (found >= 0)
        return found;
    if (tab->count >= UINT32_MAX - 1)
        return -1;
    if ((tab->count + 1) * 2 > tab->slot_count && !strtab_rehash(tab))
        return -1;
    if (!cy_i_grow((void **)&tab->strings, &tab->capacity, tab->count + 1,
                   sizeof *tab->strings))
        return -1;
    copy = cy_strndup(s, len);
    if (!copy)
        return -1;
    tab->strings[tab->count] = copy;
    memset(&slot, 0, sizeof slot);
    slot.tag = tag;
    slot.index = (uint32_t)(tab->count + 1);
    if (len < CY_I_SLOT_INLINE)
        memcpy(slot.key, s, len);
    else
        slot.key[SLOT_LONG] = 1;
    strtab_place(tab->slots, tab->slot_count, &slot);
    if (inserted)
        *inserted = 1;
    return (long)tab->count++;
}

int cy_i_strtab_view(const cy_i_strtab *tab, cy_i_strtab *view)
{
    memset(view, 0, sizeof *view);
    if (!tab->slot_count)
        return 1;
    view->slots = cy_malloc(tab->slot_count * sizeof *view->slots);
    view->strings = cy_malloc((tab->count ? tab->count : 1) * sizeof *view->strings);
    if (!view->slots || !view->strings) {
        cy_i_strtab_view_free(view);
        return 0;
    }
    memcpy(view->slots, tab->slots, tab->slot_count * sizeof *view->slots);
    if (tab->count)
        memcpy(view->strings, tab->strings, tab->count * sizeof *view->strings);
    view->slot_count = tab->slot_count;
    view->count = view->capacity = tab->count;
    return 1;
}

void cy_i_strtab_view_free(cy_i_strtab *view)
{
    /* The strings are the table's: only the view's own arrays go. */
    cy_free(view->slots);
    cy_free(view->strings);
    memset(view, 0, sizeof *view);
}

/* ---- life cycle ------------------------------------------------------ */

cy_network *cy_i_network_new(void)
{
    cy_network *net = cy_calloc(1, sizeof *net);
    if (!net)
        return NULL;
    cy_i_strtab_init(&net->ids);
    cy_i_strtab_init(&net->parts);
    cy_i_strtab_init(&net->sources);
    memcpy(net->currency, "CNY", 4);
    return net;
}

void cy_network_free(cy_network *net)
{
    if (!net)
        return;
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++) {
        for (size_t g = 0; g < net->group_count[k]; g++) {
            cy_free(net->groups[k][g].name);
            cy_free(net->groups[k][g].sector);
            json_decref(net->groups[k][g].meta);
        }
        cy_free(net->groups[k]);
    }
    for (size_t i = 0; i < net->enterprise_count; i++) {
        cy_i_enterprise *e = &net->enterprises[i];
        cy_free(e->name);
        cy_free(e->name_zh);
        cy_free(e->uscc);
        cy_free(e->clusters);
        cy_free(e->produces);
        cy_free(e->requires);
        json_decref(e->meta);
    }
    cy_free(net->enterprises);
    for (size_t j = 0; j < net->link_count; j++)
        json_decref(net->links[j].meta);
    cy_free(net->links);
    cy_free(net->owners);
    cy_i_strtab_destroy(&net->ids);
    cy_i_strtab_destroy(&net->parts);
    cy_i_strtab_destroy(&net->sources);
    cy_free(net->in_offset);
    cy_free(net->in_links);
    cy_free(net->out_offset);
    cy_free(net->out_links);
    cy_free(net->link_firm_edge);
    if (net->graphs_ready) {
        igraph_destroy(&net->firm_graph);
        igraph_vector_destroy(&net->firm_volume);
    }
    cy_free(net->name);
    cy_free(net->description);
    json_decref(net->meta);
    if (net->origin_free)
        net->origin_free(net->origin);
    cy_free(net);
}

void cy_i_network_set_origin(cy_network *net, void *origin,
                             void (*translate)(const void *origin, cy_error *err, size_t first),
                             void (*origin_free)(void *origin))
{
    net->origin = origin;
    net->origin_translate = translate;
    net->origin_free = origin_free;
}

void cy_i_network_translate(const cy_network *net, cy_error *err, size_t first)
{
    if (net->origin_translate)
        net->origin_translate(net->origin, err, first);
}

/* ---- building the indexes and graphs ---------------------------------- */

typedef struct {
    size_t key1, key2, link;
} link_sort_key;

static int link_sort_key_cmp(const void *a, const void *b)
{
    const link_sort_key *x = a, *y = b;
    if (x->key1 != y->key1)
        return x->key1 < y->key1 ? -1 : 1;
    if (x->key2 != y->key2)
        return x->key2 < y->key2 ? -1 : 1;
    return x->link < y->link ? -1 : (x->link > y->link);
}

static size_t link_field(const cy_i_link *l, int field)
{
    return field == 0 ? l->from : field == 1 ? l->to : l->part;
}

/*
 * Fill `offset` (n + 1 entries) and `order` (m entries) with a CSR index
 * of the links grouped by field `group` and sorted within a group by
 * fields `k1`, `k2` (0 from, 1 to, 2 part), then by link index.  A counting
 * sort places the groups in O(n + m); only the short runs inside a group
 * are compared, so a million links cost tens of milliseconds, not a global
 * comparison sort.  Returns 0 on OOM.
 */
static int build_csr(const cy_network *net, int group, int k1, int k2,
                     size_t *offset, size_t *order)
{
    size_t n = net->enterprise_count, m = net->link_count, longest = 0;
    size_t *cursor = cy_malloc((n + 1) * sizeof *cursor);
    link_sort_key *keys = NULL;

    if (!cursor)
        return 0;
    memset(offset, 0, (n + 1) * sizeof *offset);
    for (size_t j = 0; j < m; j++)
        offset[link_field(&net->links[j], group) + 1]++;
    for (size_t i = 0; i < n; i++) {
        if (offset[i + 1] > longest)
            longest = offset[i + 1];
        offset[i + 1] += offset[i];
    }
    memcpy(cursor, offset, (n + 1) * sizeof *cursor);
    for (size_t j = 0; j < m; j++)
        order[cursor[link_field(&net->links[j], group)]++] = j;
    cy_free(cursor);

    keys = cy_malloc((longest ? longest : 1) * sizeof *keys);
    if (!keys)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t begin = offset[i], count = offset[i + 1] - offset[i];
        if (count < 2)
            continue;
        for (size_t k = 0; k < count; k++) {
            const cy_i_link *l = &net->links[order[begin + k]];
            keys[k].key1 = link_field(l, k1);
            keys[k].key2 = link_field(l, k2);
            keys[k].link = order[begin + k];
        }
        qsort(keys, count, sizeof *keys, link_sort_key_cmp);
        for (size_t k = 0; k < count; k++)
            order[begin + k] = keys[k].link;
    }
    cy_free(keys);
    return 1;
}

/*
 * Build the firm graph: one edge per distinct (supplier, customer) pair,
 * with the pair's volumes summed in link order.  The links are already
 * grouped by supplier and sorted by customer in out_links, so the pairs
 * are runs of equal neighbours: one pass counts them, a second writes the
 * edge list and the volumes into vectors of that size (an igraph
 * push_back per value was most of this step).  Only the firm graph is
 * built: the supply multigraph (an edge per link) that used to be built
 * beside it was read by nothing, and its igraph_create (igraph sorts
 * the edges by both endpoints) was a third of the load's serial tail on
 * two threads.
 */
static cy_status build_graphs(cy_network *net, cy_error *err)
{
    size_t m = net->link_count, n = net->enterprise_count, pairs = 0, e = 0;
    igraph_vector_int_t edges;
    igraph_error_t rc;
    cy_status status = CY_OK;
    int have_edges = 0, have_volume = 0;

    for (size_t k = 0; k < m; k++) {
        const cy_i_link *l = &net->links[net->out_links[k]];
        const cy_i_link *prev = k ? &net->links[net->out_links[k - 1]] : NULL;
        pairs += !prev || prev->from != l->from || prev->to != l->to;
    }
    if ((rc = igraph_vector_int_init(&edges, (igraph_integer_t)(2 * pairs))))
        goto igraph_fail;
    have_edges = 1;
    /* Zeroed by igraph: each pair's volumes are added to 0.0 in link
     * order, as before. */
    if ((rc = igraph_vector_init(&net->firm_volume, (igraph_integer_t)pairs)))
        goto igraph_fail;
    have_volume = 1;
    for (size_t k = 0; k < m; k++) {
        const cy_i_link *l = &net->links[net->out_links[k]];
        const cy_i_link *prev = k ? &net->links[net->out_links[k - 1]] : NULL;
        if (!prev || prev->from != l->from || prev->to != l->to) {
            VECTOR(edges)[2 * e] = (igraph_integer_t)l->from;
            VECTOR(edges)[2 * e + 1] = (igraph_integer_t)l->to;
            e++;
        }
        VECTOR(net->firm_volume)[e - 1] += l->volume;
        net->link_firm_edge[net->out_links[k]] = e - 1;
    }
    if ((rc = igraph_create(&net->firm_graph, &edges, (igraph_integer_t)n,
                            IGRAPH_DIRECTED)))
        goto igraph_fail;
    net->graphs_ready = 1;
    goto cleanup;

igraph_fail:
    status = cy_i_igraph_status(rc, err, "building the firm graph");
    if (have_volume)
        igraph_vector_destroy(&net->firm_volume);
cleanup:
    if (have_edges)
        igraph_vector_int_destroy(&edges);
    return status;
}

/*
 * Whether two firms supply each other, whatever the parts: for each firm v,
 * mark its customers, look for a marked firm among its suppliers, unmark.
 * O(n + m), one byte per firm, stopping at the first mutual pair.
 * igraph_has_mutual answers the same, but it first builds a lazy adjacency
 * list of the whole graph (several times slower on the national preset,
 * docs/performance.md), and structure.c needs the answer on every run.
 * Returns 0 on OOM.
 */
static int find_mutual_pair(cy_network *net)
{
    size_t n = net->enterprise_count;
    unsigned char *customer = cy_calloc(n ? n : 1, 1);

    if (!customer)
        return 0;
    net->firm_has_mutual = 0;
    for (size_t v = 0; v < n && !net->firm_has_mutual; v++) {
        size_t out_begin = net->out_offset[v], out_end = net->out_offset[v + 1];
        for (size_t k = out_begin; k < out_end; k++)
            customer[net->links[net->out_links[k]].to] = 1;
        for (size_t k = net->in_offset[v]; k < net->in_offset[v + 1]; k++) {
            if (customer[net->links[net->in_links[k]].from]) {
                net->firm_has_mutual = 1;
                break;
            }
        }
        for (size_t k = out_begin; k < out_end; k++)
            customer[net->links[net->out_links[k]].to] = 0;
    }
    cy_free(customer);
    return 1;
}

/* Links from which the two indexes are built on two threads: a thread's
 * start costs more than the indexes of a smaller network. */
#define PARALLEL_CSR_MIN_LINKS 65536

/* Index 0 of the loop below builds in_links, index 1 out_links. */
static cy_status build_csr_item(void *ctx, void *state, size_t index,
                                cy_error *err)
{
    cy_network *net = ctx;
    (void)state;
    (void)err;
    /* in: by customer, then part, then supplier; out: by supplier, then
     * customer, then part. */
    if (index == 0)
        return build_csr(net, 1, 2, 0, net->in_offset, net->in_links)
                   ? CY_OK : CY_ENOMEM;
    return build_csr(net, 0, 1, 2, net->out_offset, net->out_links)
               ? CY_OK : CY_ENOMEM;
}

/* The indexes (in_links, out_links), both at once on two threads for a
 * large network (a tenth of a second each on a national file). */
cy_status cy_i_network_build_indexes(cy_network *net, cy_error *err)
{
    size_t n = net->enterprise_count, m = net->link_count;
    cy_i_par_job job;
    cy_error scratch;
    cy_status built;

    net->in_offset = cy_malloc((n + 1) * sizeof *net->in_offset);
    net->out_offset = cy_malloc((n + 1) * sizeof *net->out_offset);
    net->in_links = cy_malloc((m ? m : 1) * sizeof *net->in_links);
    net->out_links = cy_malloc((m ? m : 1) * sizeof *net->out_links);
    if (!net->in_offset || !net->out_offset || !net->in_links ||
        !net->out_links)
        goto oom;
    memset(&job, 0, sizeof job);
    job.count = 2;
    job.threads = m >= PARALLEL_CSR_MIN_LINKS ? 0 : 1;
    job.ctx = net;
    job.item = build_csr_item;
    cy_error_init(&scratch);
    built = cy_i_par_run(&job, &scratch);
    cy_error_destroy(&scratch);
    if (built != CY_OK)
        goto oom;
    return CY_OK;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

cy_status cy_i_network_build_graphs(cy_network *net, cy_error *err)
{
    size_t m = net->link_count;
    if (!find_mutual_pair(net) ||
        !(net->link_firm_edge = cy_malloc((m ? m : 1) * sizeof *net->link_firm_edge))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    return build_graphs(net, err);
}

cy_status cy_i_network_build(cy_network *net, int with_graphs, cy_error *err)
{
    cy_status status = cy_i_network_build_indexes(net, err);
    if (status != CY_OK || !with_graphs)
        return status;
    return cy_i_network_build_graphs(net, err);
}

/* First position in in_links[lo, hi) whose link's part is >= part. */
static size_t in_links_lower_bound(const cy_network *net, size_t lo, size_t hi,
                                   size_t part)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (net->links[net->in_links[mid]].part < part)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t cy_i_cone_count(const cy_network *net, const size_t *roots, size_t root_count,
                       size_t cap, int volume_only, size_t *mark, size_t stamp,
                       size_t *queue)
{
    size_t tail = 0;

    for (size_t k = 0; k < root_count; k++)
        if (mark[roots[k]] != stamp) {
            mark[roots[k]] = stamp;
            queue[tail++] = roots[k];
        }
    for (size_t head = 0; head < tail && tail < cap; head++) {
        size_t v = queue[head];
        for (size_t q = net->out_offset[v]; q < net->out_offset[v + 1] && tail < cap; q++) {
            const cy_i_link *l = &net->links[net->out_links[q]];
            if ((!volume_only || l->volume > 0) && mark[l->to] != stamp) {
                mark[l->to] = stamp;
                queue[tail++] = l->to;
            }
        }
    }
    return tail < cap ? tail : cap;
}

size_t cy_i_part_suppliers(const cy_network *net, size_t c, size_t part,
                           size_t *first)
{
    size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
    size_t lo = in_links_lower_bound(net, begin, end, part);
    size_t hi = in_links_lower_bound(net, lo, end, part + 1);
    if (first)
        *first = lo;
    return hi - lo;
}

/* ---- accessors ------------------------------------------------------- */

const char *cy_kind_name(cy_kind kind)
{
    /* Marked for the catalog: legends show them translated. */
    static const char *const names[CY_KIND_COUNT] = {N_("oem"), N_("supplier"),
                                                     N_("material"), N_("service")};
    return (unsigned)kind < CY_KIND_COUNT ? names[kind] : "unknown";
}

const char *cy_group_kind_name(cy_group_kind kind)
{
    static const char *const names[CY_GROUP_KIND_COUNT] = {N_("region"), N_("cluster"),
                                                           N_("park")};
    return (unsigned)kind < CY_GROUP_KIND_COUNT ? names[kind] : "unknown";
}

const char *cy_network_name(const cy_network *net) { return net->name; }
const char *cy_network_description(const cy_network *net) { return net->description; }
size_t cy_network_enterprise_count(const cy_network *net) { return net->enterprise_count; }
size_t cy_network_link_count(const cy_network *net) { return net->link_count; }
size_t cy_network_part_count(const cy_network *net) { return net->parts.count; }

size_t cy_network_group_count(const cy_network *net, cy_group_kind kind)
{
    return (unsigned)kind < CY_GROUP_KIND_COUNT ? net->group_count[kind] : 0;
}

const char *cy_enterprise_id(const cy_network *net, size_t i) { return net->enterprises[i].id; }
const char *cy_enterprise_name(const cy_network *net, size_t i) { return net->enterprises[i].name; }
const char *cy_enterprise_name_zh(const cy_network *net, size_t i) { return net->enterprises[i].name_zh; }
const char *cy_enterprise_uscc(const cy_network *net, size_t i) { return net->enterprises[i].uscc; }
const char *cy_enterprise_source(const cy_network *net, size_t i) { return net->enterprises[i].source; }
cy_kind cy_enterprise_kind(const cy_network *net, size_t i) { return net->enterprises[i].kind; }
int cy_enterprise_tier(const cy_network *net, size_t i) { return net->enterprises[i].tier; }
double cy_enterprise_output_value(const cy_network *net, size_t i) { return net->enterprises[i].output_value; }
long cy_enterprise_region(const cy_network *net, size_t i) { return net->enterprises[i].region; }
long cy_enterprise_park(const cy_network *net, size_t i) { return net->enterprises[i].park; }
size_t cy_enterprise_cluster_count(const cy_network *net, size_t i) { return net->enterprises[i].cluster_count; }
size_t cy_enterprise_cluster(const cy_network *net, size_t i, size_t k) { return net->enterprises[i].clusters[k]; }
size_t cy_enterprise_produces_count(const cy_network *net, size_t i) { return net->enterprises[i].produces_count; }
size_t cy_enterprise_produces(const cy_network *net, size_t i, size_t k) { return net->enterprises[i].produces[k]; }
size_t cy_enterprise_requires_count(const cy_network *net, size_t i) { return net->enterprises[i].requires_count; }
size_t cy_enterprise_requires(const cy_network *net, size_t i, size_t k) { return net->enterprises[i].requires[k]; }
int cy_enterprise_requires_explicit(const cy_network *net, size_t i) { return net->enterprises[i].requires_explicit; }

int cy_enterprise_location(const cy_network *net, size_t i, double *lon, double *lat)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    if (!e->has_location)
        return 0;
    if (lon)
        *lon = e->lon;
    if (lat)
        *lat = e->lat;
    return 1;
}

int cy_enterprise_output_value_given(const cy_network *net, size_t i) { return net->enterprises[i].has_output_value; }
double cy_enterprise_output(const cy_network *net, size_t i) { return net->enterprises[i].output; }
double cy_enterprise_final_demand(const cy_network *net, size_t i) { return net->enterprises[i].final_demand; }
int cy_enterprise_final_demand_given(const cy_network *net, size_t i) { return net->enterprises[i].has_final_demand; }
double cy_enterprise_capacity(const cy_network *net, size_t i) { return net->enterprises[i].capacity; }
int cy_enterprise_capacity_given(const cy_network *net, size_t i) { return net->enterprises[i].has_capacity; }
double cy_enterprise_inventory_days(const cy_network *net, size_t i) { return net->enterprises[i].inventory_days; }
double cy_enterprise_recovery_days(const cy_network *net, size_t i) { return net->enterprises[i].recovery_days; }
int cy_enterprise_is_demand_node(const cy_network *net, size_t i) { return net->enterprises[i].demand_node; }

int cy_enterprise_inside(const cy_network *net, size_t i)
{
    long region = net->enterprises[i].region;
    if (region < 0 && net->enterprises[i].park >= 0)
        region = net->groups[CY_GROUP_PARK][net->enterprises[i].park].region;
    return region < 0 || net->groups[CY_GROUP_REGION][region].inside;
}

const char *cy_demand_rule_name(cy_demand_rule rule)
{
    static const char *const names[] = {"final_demand", "oem", "no_customer"};
    return (unsigned)rule < sizeof names / sizeof *names ? names[rule] : "unknown";
}

cy_demand_rule cy_network_demand_rule(const cy_network *net) { return net->demand_rule; }
size_t cy_network_demand_node_count(const cy_network *net) { return net->demand_node_count; }
double cy_network_final_demand_total(const cy_network *net) { return net->final_demand_total; }
int cy_network_has_stress_data(const cy_network *net) { return net->has_stress_data; }
int cy_network_single_part(const cy_network *net) { return net->single_part; }
const char *cy_network_currency(const cy_network *net) { return net->currency; }

size_t cy_link_from(const cy_network *net, size_t j) { return net->links[j].from; }
size_t cy_link_to(const cy_network *net, size_t j) { return net->links[j].to; }
size_t cy_link_part(const cy_network *net, size_t j) { return net->links[j].part; }
double cy_link_volume(const cy_network *net, size_t j) { return net->links[j].volume; }
double cy_link_share(const cy_network *net, size_t j) { return net->links[j].share; }
int cy_link_volume_given(const cy_network *net, size_t j) { return net->links[j].has_volume; }

const char *cy_part_name(const cy_network *net, size_t part) { return net->parts.strings[part]; }

const char *cy_group_id(const cy_network *net, cy_group_kind kind, size_t g) { return net->groups[kind][g].id; }
const char *cy_group_name(const cy_network *net, cy_group_kind kind, size_t g) { return net->groups[kind][g].name; }
const char *cy_group_source(const cy_network *net, cy_group_kind kind, size_t g) { return net->groups[kind][g].source; }
long cy_group_region(const cy_network *net, cy_group_kind kind, size_t g) { return net->groups[kind][g].region; }
const char *cy_group_sector(const cy_network *net, size_t cluster) { return net->groups[CY_GROUP_CLUSTER][cluster].sector; }
int cy_group_demonstration(const cy_network *net, size_t park) { return net->groups[CY_GROUP_PARK][park].demonstration; }
int cy_region_inside(const cy_network *net, size_t region) { return net->groups[CY_GROUP_REGION][region].inside; }

int cy_network_find_enterprise(const cy_network *net, const char *id, size_t *index)
{
    long k = cy_i_strtab_find(&net->ids, id, strlen(id));
    if (k < 0 || net->owners[k].kind != CY_I_OWNER_ENTERPRISE)
        return 0;
    if (index)
        *index = net->owners[k].index;
    return 1;
}

int cy_network_find_group(const cy_network *net, cy_group_kind kind, const char *id, size_t *index)
{
    long k = cy_i_strtab_find(&net->ids, id, strlen(id));
    if (k < 0 || (int)net->owners[k].kind != (int)kind)
        return 0;
    if (index)
        *index = net->owners[k].index;
    return 1;
}

const char *cy_network_suggest_enterprise(const cy_network *net, const char *word)
{
    cy_suggester s;
    cy_suggester_init(&s, word, CY_SUGGEST_DISTANCE);
    for (size_t i = 0; i < net->enterprise_count; i++)
        if (net->enterprises[i].id)
            cy_suggester_offer(&s, net->enterprises[i].id);
    return cy_suggester_best(&s);
}

const char *cy_network_suggest_group(const cy_network *net, cy_group_kind kind,
                                     const char *word)
{
    cy_suggester s;
    cy_suggester_init(&s, word, CY_SUGGEST_DISTANCE);
    for (size_t g = 0; g < net->group_count[kind]; g++)
        if (net->groups[kind][g].id && !net->groups[kind][g].implicit)
            cy_suggester_offer(&s, net->groups[kind][g].id);
    return cy_suggester_best(&s);
}

/* Record the match of a name: the first's id and kind, and whether a
 * second one made it ambiguous. */
static void name_match(const char *name, const char *text, const char *id, int kind,
                       const char **found, int *found_kind, int *ambiguous)
{
    if (!name || strcmp(name, text) != 0)
        return;
    if (*found)
        *ambiguous = 1;
    *found = id;
    *found_kind = kind;
}

const char *cy_network_named(const cy_network *net, const char *text, int enterprises,
                             unsigned group_kinds, int *kind)
{
    const char *found = NULL;
    int ambiguous = 0, found_kind = -1;
    for (size_t i = 0; enterprises && i < net->enterprise_count && !ambiguous; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        /* name and name_zh of one firm may be the same text: one match */
        name_match(e->name, text, e->id, -1, &found, &found_kind, &ambiguous);
        if (!(e->name && strcmp(e->name, text) == 0))
            name_match(e->name_zh, text, e->id, -1, &found, &found_kind, &ambiguous);
    }
    for (int k = 0; k < CY_GROUP_KIND_COUNT && !ambiguous; k++)
        for (size_t g = 0; (group_kinds & (1u << k)) && g < net->group_count[k] && !ambiguous;
             g++)
            name_match(net->groups[k][g].name, text, net->groups[k][g].id, k, &found,
                       &found_kind, &ambiguous);
    if (ambiguous || !found)
        return NULL;
    *kind = found_kind;
    return found;
}

int cy_network_find_part(const cy_network *net, const char *name, size_t *index)
{
    long k = cy_i_strtab_find(&net->parts, name, strlen(name));
    if (k < 0)
        return 0;
    if (index)
        *index = (size_t)k;
    return 1;
}
