/*
 * load_stream.c - the streaming pass: a valid chengyu/1 file whose
 * sections come in dependency order is read a record at a time (each
 * parsed by Jansson into the record arena, validated into the model and
 * dropped), and anything else is handed to the DOM path in load_rules.c,
 * which alone defines what a file means and writes the diagnostics.
 */
#include "load_internal.h"

#include <limits.h>
#include <string.h>

/* ---- streaming load -------------------------------------------------- */

/*
 * Jansson has no event (SAX) interface: json_loadb builds the whole
 * document, about nine times the size of the text (1.6 GB for the 182 MB
 * national preset), and the loader then reads that DOM again from main
 * memory.  But json_loadb with JSON_DISABLE_EOF_CHECK parses one value and
 * says where it stopped (json_error_t.position), so a file can be read a
 * record at a time: the cursor below steps over the punctuation between
 * values (whitespace and , : [ ] { }) and Jansson parses every key and
 * every value.  Each enterprise and link is validated into the model and
 * freed at once, while it is still in cache.
 *
 * The DOM path (cy_l_load_document, load_rules.c) defines what a file
 * means; the streaming path is taken only where it gives the same model:
 *  - the sections come in dependency order: "regions", "clusters" and
 *    "parks" before "enterprises", "enterprises" before "links", and
 *    with clusters or parks there are declared regions (see
 *    begin_enterprises);
 *  - the file is valid.
 * At the first sign of anything else (a syntax error, a duplicate
 * top-level key, a problem in any field, a section out of order, a "meta"
 * nested within two levels of the parser's depth limit, which the DOM
 * parse would refuse) the streaming pass gives up: its diagnostics were
 * kept aside and are dropped, and the DOM path loads the text again from
 * the start, so a rejected file gets exactly the DOM path's messages, in
 * its order, with its line and column numbers.  Only running out of
 * memory is final.
 */

#define STREAM_FLAGS (JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY)

typedef struct {
    const char *data;
    size_t size, pos;
    unsigned long failures; /* cy_i_alloc_failures() when the pass began */
} text_cursor;

/* Skip JSON whitespace; the next byte, or -1 at the end of the text. */
static int peek(text_cursor *c)
{
    while (c->pos < c->size) {
        char ch = c->data[c->pos];
        if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t')
            return (unsigned char)ch;
        c->pos++;
    }
    return -1;
}

/* Consume `ch` if it is the next byte after whitespace. */
static int accept(text_cursor *c, char ch)
{
    if (peek(c) != (unsigned char)ch)
        return 0;
    c->pos++;
    return 1;
}

/*
 * Parse the value at the cursor with Jansson and step over it.  NULL on a
 * syntax error (the DOM path will report it).  The length passed is capped
 * at INT_MAX because json_error_t.position is an int: a single value that
 * long fails here and is left to the DOM path.
 */
static json_t *next_value(text_cursor *c)
{
    json_error_t jerr;
    size_t left = c->size - c->pos;
    json_t *v = json_loadb(c->data + c->pos, left > INT_MAX ? INT_MAX : left,
                           STREAM_FLAGS, &jerr);
    if (v)
        c->pos += (size_t)jerr.position;
    return v;
}

/*
 * Whether an allocation failed since the pass began.  Jansson does not
 * always say so (see parse_document), so the counter decides.
 */
static int ran_out(const text_cursor *c)
{
    return cy_i_alloc_failures() != c->failures;
}

/*
 * Whether Jansson passed its memory budget (cy_i_json_budget_set) while
 * reading the value at `path`; if so, the path is kept for the message.
 * The DOM path would hold at least as much, so this is final.
 */
static int too_large(loader *L, const char *path)
{
    if (!cy_i_json_budget_exceeded())
        return 0;
    snprintf(L->too_large_at, sizeof L->too_large_at, "%s", path);
    return 1;
}

/*
 * Whether `v` nests deeper than `budget` levels of arrays and objects.
 * Recursion is bounded by the parser's own depth limit.
 */
static int nests_deeper(json_t *v, int budget)
{
    size_t index;
    const char *key;
    json_t *item;
    if (!json_is_array(v) && !json_is_object(v))
        return 0;
    if (budget == 0)
        return 1;
    if (json_is_array(v)) {
        json_array_foreach(v, index, item)
            if (nests_deeper(item, budget - 1))
                return 1;
    } else {
        json_object_foreach(v, key, item)
            if (nests_deeper(item, budget - 1))
                return 1;
    }
    return 0;
}

/*
 * Declare the groups (read whole: they are few) and take the "regions"
 * decision, as cy_l_load_document does before any enterprise.  0 when the
 * streaming pass cannot go on: without declared regions, references
 * create implicit regions in the order they are met, and cy_l_load_document
 * meets those of clusters and parks before those of enterprises, which
 * the streaming pass (loading the groups last) would not.
 */
static int begin_enterprises(loader *L, json_t *root)
{
    json_t *regions = json_object_get(root, "regions");
    L->regions_declared = json_is_array(regions) && json_array_size(regions) > 0;
    if (!L->regions_declared &&
        (json_array_size(json_object_get(root, "clusters")) > 0 ||
         json_array_size(json_object_get(root, "parks")) > 0))
        return 0;
    cy_l_declare_groups(L, root, CY_GROUP_REGION, "regions");
    cy_l_declare_groups(L, root, CY_GROUP_CLUSTER, "clusters");
    cy_l_declare_groups(L, root, CY_GROUP_PARK, "parks");
    return L->err->error_count == 0;
}

/* cy_i_grow, with the new elements zeroed (cy_l_load_document callocs). */
static int grow_zeroed(void **array, size_t *cap, size_t need, size_t size)
{
    size_t old = *cap;
    if (!cy_i_grow(array, cap, need, size))
        return 0;
    memset((char *)*array + old * size, 0, (*cap - old) * size);
    return 1;
}

/*
 * The record array starts with room for one record per RECORD_TEXT_GUESS
 * bytes of the text left, at most RESERVE_BYTES, instead of doubling from
 * 8: every doubling copied the array into a fresh block whose pages were
 * then faulted in one by one, about a fifth of the province preset's
 * enterprise section on one thread (20,000 records of 256 bytes).  The
 * room is address space only: grow_for_record writes one spare record
 * ahead and fault_next faults in a bounded distance past it, so the pages
 * beyond are never touched, and fit_records gives the rest back once the
 * section is read.  It is an estimate, not a limit: the presets' records
 * take 119 to 330 bytes of text, a valid record as few as 23
 * (`{"id":"a","kind":"oem"}`), and an array that outgrows its room
 * doubles from there (from 32 MB, glibc's largest mmap threshold, by
 * moving pages with mremap, not by copying).  RESERVE_BYTES is what the
 * province preset's arrays take (5.1 and 6.7 MB): the enterprises' text
 * left includes the links', so an uncapped room would be far too large,
 * and under `ulimit -v` a room granted can leave a later allocation
 * refused (with 32 MB rooms that window was 9 MB wide on the province
 * preset); a room refused is no shortage, the array then grows from one
 * record.
 */
#define RECORD_TEXT_GUESS 64
#define RESERVE_BYTES ((size_t)8 << 20)

/* Element 0 allocated and zeroed, as grow_zeroed does, with the room
 * above when the allocator grants it (else growing as before; the caller
 * must not count the refusal as running out of memory). */
static int reserve_records(void **array, size_t *cap, size_t text_left, size_t size)
{
    size_t want = text_left / RECORD_TEXT_GUESS;
    if (want > RESERVE_BYTES / size)
        want = RESERVE_BYTES / size;
    if (want > 1 && cy_i_grow(array, cap, want, size)) {
        memset(*array, 0, size);
        return 1;
    }
    return grow_zeroed(array, cap, 1, size);
}

/*
 * The array cut to its `used` elements (the records and the spare) once
 * the section is read, so that the model does not keep the room's address
 * space: shrinking moves no byte (glibc splits the heap block, or shrinks
 * the mapping).  A refusal, which glibc never gives for a smaller size but
 * an injected failure may, leaves the array as it was and is no shortage.
 */
static void fit_records(text_cursor *c, void **array, size_t cap, size_t used, size_t size)
{
    void *fitted;
    if (cap <= used)
        return;
    if ((fitted = cy_realloc(*array, used * size)) != NULL)
        *array = fitted;
    else
        c->failures++;
}

/*
 * Room for record `index` and one spare element after it, as
 * cy_l_load_document callocs one more than it fills, and that spare
 * zeroed.  Record `index` itself was zeroed as the spare of the record
 * before it (element 0 by reserve_records), so the array reads as calloc'd up
 * to index + 1, while the capacity beyond is never written: zeroing all
 * of it as the array doubled wrote 64 MB of zeros, never used, and
 * faulted their pages in, on the thread that validates the links of a
 * national file.
 */
static int grow_for_record(void **array, size_t *cap, size_t index, size_t size)
{
    if (!cy_i_grow(array, cap, index + 2, size))
        return 0;
    memset((char *)*array + (index + 1) * size, 0, size);
    return 1;
}

/* The share of the text read, every 4096 records (cheap next to them). */
static void report_progress(loader *L, const text_cursor *c)
{
    if (!L->progress || ++L->progress_records % 4096 != 0)
        return;
    L->progress("load", 100.0 * (double)c->pos / (double)c->size, L->progress_data);
}

/*
 * Validate record `index`, parsed into the active record arena (`rec` NULL
 * when Jansson refused it), into the model; a record parsed ahead and
 * found ok there (L->parsed->prep, load_prepare.c) is only put into it.
 * `cap` is the capacity of the record array being filled.  The record
 * itself is left in the arena for the caller to release.
 */
static cy_l_stream_result load_record(loader *L, const text_cursor *c, json_t *rec,
                                      int links, size_t index, size_t *cap,
                                      const char *path)
{
    cy_network *net = L->net;
    json_t *meta;

    if (too_large(L, path))
        return CY_L_STREAM_TOO_LARGE;
    if (ran_out(c))
        return CY_L_STREAM_OOM;
    if (!rec)
        return CY_L_STREAM_GIVE_UP;
    if (links ? !grow_for_record((void **)&net->links, cap, index, sizeof *net->links)
              : !grow_for_record((void **)&net->enterprises, cap, index,
                                 sizeof *net->enterprises))
        return CY_L_STREAM_OOM;
    if (L->parsed && L->parsed->prep.ok) {
        if (links)
            cy_l_apply_link(L, L->parsed, path, index);
        else
            cy_l_apply_enterprise(L, L->parsed, path, index);
        meta = NULL;
    } else if (links) {
        net->link_count++;
        cy_l_load_link(L, rec, path, index);
        meta = net->links[index].meta;
    } else {
        cy_i_enterprise *e = &net->enterprises[index];
        e->tier = -1;
        e->region = e->park = -1;
        net->enterprise_count++;
        e->id = cy_l_declare_id(L, rec, path, CY_I_OWNER_ENTERPRISE, index, index);
        cy_l_load_enterprise(L, rec, path, index);
        meta = e->meta;
    }
    L->fields_of = NULL; /* cy_l_field() must not see a released object */
    if (too_large(L, path)) /* the copy of its meta */
        return CY_L_STREAM_TOO_LARGE;
    if (L->oom || ran_out(c))
        return CY_L_STREAM_OOM;
    /* A record sits at depth 3 of the document, its meta at 4. */
    if (L->err->error_count || nests_deeper(meta, JSON_PARSER_MAX_DEPTH - 3))
        return CY_L_STREAM_GIVE_UP;
    return CY_L_STREAM_LOADED;
}

/*
 * Record `index` at the cursor: parsed ahead by the pipeline when it has
 * it (charged to this thread's budget as if parsed here, and validated
 * with its batch's arena active, so that its meta is copied out), else
 * parsed here into the record arena.
 */
static cy_l_stream_result stream_record(loader *L, text_cursor *c, cy_l_pipeline *ahead,
                                        int links, size_t index, size_t *cap)
{
    const cy_l_parsed *parsed = cy_l_pipeline_take(ahead, c->pos);
    char path[PATH_SIZE];
    cy_l_stream_result result;

    cy_l_path_index(path, links ? "$.links" : "$.enterprises", index);
    if (!parsed) {
        cy_i_arena_use(L->arena);
        result = load_record(L, c, next_value(c), links, index, cap, path);
        cy_i_arena_end(L->arena);
        return result;
    }
    c->pos = parsed->end;
    if (!cy_i_json_budget_charge(parsed->charged))
        return too_large(L, path) ? CY_L_STREAM_TOO_LARGE : CY_L_STREAM_OOM;
    L->arena = parsed->arena;
    L->parsed = parsed;
    cy_i_arena_use(L->arena);
    result = load_record(L, c, parsed->value, links, index, cap, path);
    cy_i_arena_use(NULL);
    L->parsed = NULL;
    L->arena = &L->own_arena;
    cy_i_json_budget_credit(parsed->charged);
    return result;
}

/* The record array's bytes faulted in ahead of the validating thread
 * (cy_l_pipeline_prefault): about this much past the last record. */
#define FAULT_AHEAD ((size_t)8 << 20)

/* How far the record array was faulted in ahead: its address then (a
 * realloc may move it) and the bytes from its start. */
typedef struct {
    void *base;
    size_t done;
} fault_ahead;

/* The least the faulting runs ahead, so that a short array does not ask
 * for a few pages at every record. */
#define FAULT_AHEAD_MIN ((size_t)1 << 20)

/*
 * Ask the pipeline to fault in the next part of the record array once the
 * records written (`used` bytes) come within half of the distance ahead
 * of what was asked for, up to its capacity (`cap` bytes).  The distance
 * is as much as was written, between FAULT_AHEAD_MIN and FAULT_AHEAD: the
 * capacity is reserved from the text (reserve_records), far beyond what a
 * short array fills, and what is faulted in is memory the process holds
 * (a doubling array had bounded it the same way).  Records of a national
 * file fill 110 MB of fresh pages, each zeroed at its first write: a
 * tenth of the validating thread's time before.
 */
static void fault_next(cy_l_pipeline *ahead, fault_ahead *f, void *array,
                       size_t used, size_t cap)
{
    size_t end, distance = used < FAULT_AHEAD_MIN ? FAULT_AHEAD_MIN
                           : used > FAULT_AHEAD   ? FAULT_AHEAD
                                                  : used;
    if (array != f->base) {
        f->base = array; /* moved: what it held came along */
        f->done = used;
    }
    if (f->done >= cap || f->done > used + distance / 2)
        return;
    end = cap - used > distance ? used + distance : cap;
    if (end > f->done)
        cy_l_pipeline_prefault(ahead, (char *)array + f->done, end - f->done);
    f->done = end;
}

/*
 * Read the array of enterprise (or, with `links`, link) records at the
 * cursor, one record at a time, into the model.  Each record is parsed
 * into the record arena and released with it as soon as it is in the
 * model: Jansson allocates a block per value, and a national file has
 * tens of millions of them.  malloc and free of those blocks were a sixth
 * of the load; carved from one cached block and dropped at once, they
 * cost a few pointer bumps.  With more than one thread, the records are
 * parsed ahead on the others (load_parallel.c) and validated here, in
 * file order.
 */
static cy_l_stream_result stream_records(loader *L, text_cursor *c, int links)
{
    cy_network *net = L->net;
    size_t cap = 0, index = 0;
    cy_l_stream_result result = CY_L_STREAM_LOADED;
    cy_i_json_budget_state budget;
    cy_l_pipeline *ahead;
    fault_ahead faulted = {NULL, 0};
    size_t size = links ? sizeof *net->links : sizeof *net->enterprises;
    void **array = links ? (void **)&net->links : (void **)&net->enterprises;
    unsigned long failures;

    if (!accept(c, '['))
        return CY_L_STREAM_GIVE_UP;
    /* Allocated even when empty, as cy_l_load_document does.  No thread
     * but this one allocates here, so the failures counted meanwhile are a
     * refused room, which is no shortage: the array got one record. */
    failures = cy_i_alloc_failures();
    if (!reserve_records(array, &cap, c->size - c->pos, size))
        return CY_L_STREAM_OOM;
    c->failures += cy_i_alloc_failures() - failures;
    if (accept(c, ']')) {
        fit_records(c, array, cap, 1, size);
        return CY_L_STREAM_LOADED;
    }
    cy_i_json_budget_save(&budget);
    ahead = cy_l_pipeline_start(c->data, c->size, c->pos, budget.limit, net, links, &L->spare);
    do {
        peek(c);
        result = stream_record(L, c, ahead, links, index, &cap);
        if (result != CY_L_STREAM_LOADED)
            break;
        index++;
        if (ahead)
            fault_next(ahead, &faulted, links ? (void *)net->links : (void *)net->enterprises,
                       (index + 1) * size, cap * size);
        report_progress(L, c);
    } while (accept(c, ','));
    cy_l_pipeline_stop(ahead, &L->spare);
    if (result != CY_L_STREAM_LOADED)
        return result;
    fit_records(c, array, cap, index + 1, size);
    return accept(c, ']') ? CY_L_STREAM_LOADED : CY_L_STREAM_GIVE_UP;
}

static int is_group_key(const char *key)
{
    return strcmp(key, "regions") == 0 || strcmp(key, "clusters") == 0 ||
           strcmp(key, "parks") == 0;
}

/*
 * The top-level object: small values are kept in `root`, the record
 * arrays are streamed into the model and stand in `root` as empty arrays
 * (for cy_l_load_header's key checks).
 */
static cy_l_stream_result stream_top(loader *L, text_cursor *c, json_t *root)
{
    int enterprises_read = 0, links_read = 0;
    cy_l_stream_result result;

    /* A byte order mark is refused by parse_document, with its message. */
    if (c->size >= 3 && memcmp(c->data, "\xef\xbb\xbf", 3) == 0)
        return CY_L_STREAM_GIVE_UP;
    if (!accept(c, '{'))
        return CY_L_STREAM_GIVE_UP;
    if (!accept(c, '}')) {
        do {
            json_t *name, *value = NULL;
            const char *key;
            if (peek(c) != '"')
                return CY_L_STREAM_GIVE_UP;
            name = next_value(c);
            if (ran_out(c)) {
                json_decref(name);
                return CY_L_STREAM_OOM;
            }
            key = json_string_value(name);
            if (!key || !accept(c, ':') || json_object_get(root, key)) {
                json_decref(name);
                return CY_L_STREAM_GIVE_UP;
            }
            if (strcmp(key, "enterprises") == 0) {
                result = links_read || !begin_enterprises(L, root)
                             ? CY_L_STREAM_GIVE_UP
                             : stream_records(L, c, 0);
                enterprises_read = 1;
            } else if (strcmp(key, "links") == 0) {
                result = enterprises_read ? stream_records(L, c, 1) : CY_L_STREAM_GIVE_UP;
                links_read = 1;
            } else if (is_group_key(key) && enterprises_read) {
                result = CY_L_STREAM_GIVE_UP;
            } else {
                char path[PATH_SIZE];
                value = next_value(c);
                cy_l_path_key(path, "$", key);
                /* The value sits at depth 2 of the document. */
                result = too_large(L, path) ? CY_L_STREAM_TOO_LARGE
                         : ran_out(c)      ? CY_L_STREAM_OOM
                         : !value || nests_deeper(value, JSON_PARSER_MAX_DEPTH - 1)
                             ? CY_L_STREAM_GIVE_UP
                             : CY_L_STREAM_LOADED;
            }
            if (result == CY_L_STREAM_LOADED && !value && !(value = json_array()))
                result = CY_L_STREAM_OOM;
            if (result == CY_L_STREAM_LOADED && json_object_set_new(root, key, value)) {
                value = NULL; /* json_object_set_new consumed it */
                result = CY_L_STREAM_OOM;
            } else if (result != CY_L_STREAM_LOADED) {
                json_decref(value);
            }
            json_decref(name);
            if (result != CY_L_STREAM_LOADED)
                return result;
        } while (accept(c, ','));
        if (!accept(c, '}'))
            return CY_L_STREAM_GIVE_UP;
    }
    if (peek(c) != -1 || !links_read)
        return CY_L_STREAM_GIVE_UP;
    return CY_L_STREAM_LOADED;
}

/*
 * The streaming pass over `size` bytes of text into L->net (see above).
 * CY_L_STREAM_LOADED: every record is in the model and nothing was wrong, the
 * model is ready for cy_l_finish_document.
 */
cy_l_stream_result cy_l_stream_document(loader *L, const char *data, size_t size)
{
    text_cursor c = {data, size, 0, cy_i_alloc_failures()};
    json_t *root = json_object();
    cy_l_stream_result result;

    if (!root)
        return CY_L_STREAM_OOM;
    memset(&L->own_arena, 0, sizeof L->own_arena);
    L->arena = &L->own_arena;
    result = stream_top(L, &c, root);
    cy_i_arena_destroy(&L->own_arena);
    L->arena = NULL;
    if (result == CY_L_STREAM_LOADED) {
        cy_l_load_header(L, root);
        cy_l_load_groups(L, root, CY_GROUP_REGION, "regions", cy_l_region_keys);
        cy_l_load_groups(L, root, CY_GROUP_CLUSTER, "clusters", cy_l_cluster_keys);
        cy_l_load_groups(L, root, CY_GROUP_PARK, "parks", cy_l_park_keys);
        L->fields_of = NULL;
        if (L->oom || ran_out(&c))
            result = CY_L_STREAM_OOM;
        else if (L->err->error_count)
            result = CY_L_STREAM_GIVE_UP;
    }
    json_decref(root);
    return result;
}


/* ---- where the whole-document parse ran out of budget ---------------- */

/*
 * Parse the value at the cursor into `held` (kept, so that it stays
 * charged).  1 when the budget was passed (path set), 0 when parsed, -1
 * on a syntax error.
 */
static int hold_value(text_cursor *c, json_t *held, const char *path,
                      char out[PATH_SIZE])
{
    json_t *v = next_value(c);
    if (cy_i_json_budget_exceeded()) {
        json_decref(v);
        snprintf(out, PATH_SIZE, "%s", path);
        return 1;
    }
    if (!v || json_array_append_new(held, v))
        return -1;
    return 0;
}

/* The elements of the array at the cursor, one at a time (see above). */
static int hold_elements(text_cursor *c, json_t *held, const char *base,
                         char out[PATH_SIZE])
{
    char path[PATH_SIZE];
    size_t index = 0;
    int found;
    if (!accept(c, '[') || accept(c, ']'))
        return -1;
    do {
        cy_l_path_index(path, base, index++);
        if ((found = hold_value(c, held, path, out)) != 0)
            return found;
    } while (accept(c, ','));
    return accept(c, ']') ? 0 : -1;
}

int cy_l_locate_too_large(const char *data, size_t size, size_t limit,
                          char path[PATH_SIZE])
{
    text_cursor c = {data, size, 0, 0};
    json_t *held = json_array(), *name = NULL;
    int found = held && accept(&c, '{') ? 0 : -1;

    path[0] = '\0';
    cy_i_json_budget_set(limit);
    while (found == 0 && peek(&c) == '"') {
        char base[PATH_SIZE];
        name = next_value(&c);
        if (!json_is_string(name) || !accept(&c, ':'))
            break;
        cy_l_path_key(base, "$", json_string_value(name));
        found = peek(&c) == '[' ? hold_elements(&c, held, base, path)
                                : hold_value(&c, held, base, path);
        json_decref(name);
        name = NULL;
        if (found == 0 && !accept(&c, ','))
            break;
    }
    json_decref(name);
    json_decref(held);
    cy_i_json_budget_set(SIZE_MAX);
    return found == 1;
}
