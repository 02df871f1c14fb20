/*
 * load_parallel.c - the records of an "enterprises" or "links" array
 * parsed ahead on other threads for the streaming pass (load_stream.c),
 * each also checked alone right after its parse (load_prepare.c); the
 * calling thread still puts every record into the model itself, in file
 * order.  The other threads also fault in the pages of the model's record
 * array ahead of it (cy_l_pipeline_prefault).
 *
 * The array is cut into batches of about BATCH_BYTES of text by the
 * structural scan (load_scan.c).  A thread takes the next batch (the scan
 * of a batch is done under the lock, so batches follow each other), and
 * parses its records with Jansson into the batch's own arena.  The calling
 * thread takes the records in order; when the batch it needs is not ready
 * it parses a later one itself rather than wait.  At most `slot_count`
 * batches exist at once, so the memory in flight is bounded whatever the
 * size of the file.
 *
 * Whatever the pipeline hands over is exactly what the streaming pass
 * would have parsed itself: the record starts where its cursor is, Jansson
 * stopped where the scan said the record ends, and the record's charge to
 * Jansson's budget is computed as for a record parsed alone (see
 * cy_i_arena).  Anything else (a cut the scan got wrong, a syntax error,
 * a record past the budget, memory running out on a thread) is left to
 * the streaming pass, which parses that record itself: answers and
 * diagnostics do not depend on the thread count.
 */
#include "load_internal.h"

#include <limits.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#define STREAM_FLAGS (JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY)
/*
 * Text per batch: a national file is cut into about 11,000 batches.  Small
 * batches keep the memory the slots' arenas touch small (a batch takes
 * about ten times its text in Jansson's structures): with 256 KB batches
 * the six slots of two threads faulted in and zeroed 15-24 MB before
 * reusing it, and the enterprise phase of a province load did 35% more
 * work on two threads than on one; with 16 KB they touch about 1 MB, and
 * the two-thread phase does the one-thread phase's work (measurements:
 * docs/performance.md, "Smaller batches").  A batch costs a lock round and
 * a scan under the lock, a few microseconds.
 */
#define BATCH_BYTES ((size_t)16 * 1024)
/* Arrays shorter than this are read by the streaming pass alone: a
 * thread's start costs more than it saves. */
#define PIPELINE_MIN_BYTES ((size_t)512 * 1024)
/*
 * A batch whose records take more of Jansson's memory is cut short (its
 * other records are parsed by the streaming pass), and so is one at a
 * record that alone would: ordinary records take about ten times their
 * text, hostile ones of many empty objects seventy.  The cap is also at
 * most an eighth of the budget over all batches in flight, so that the
 * threads add at most half the budget to the memory of a load (the
 * blocks of an arena are at most twice what it carves, and the last
 * record may double a batch).
 */
#define BATCH_BYTES_MAX ((size_t)8 << 20)
/* Batches in flight per parsing thread (the calling thread's included). */
#define SLOTS_PER_THREAD 3
/*
 * The first block of a batch's arena, when the batch's cap allows it (else
 * the 64 KB of a record's arena): about what a batch of BATCH_BYTES takes
 * in Jansson's structures (ten times its text), rounded up.  Grown from
 * 64 KB, a slot's arena went through doubling blocks on its first
 * batches, each faulted in and then dropped (an arena keeps only its last
 * block).  Only address space is added: pages are faulted in as the
 * records are carved, and then reused batch after batch.
 */
#define BATCH_ARENA_BYTES ((size_t)256 * 1024)

typedef enum { BATCH_FREE, BATCH_PARSING, BATCH_READY } batch_state;

typedef struct cy_l_batch {
    batch_state state;
    cy_l_parsed *records; /* the records the scan found */
    size_t scanned, cap;
    size_t parsed;        /* records[0 .. parsed) were parsed */
    size_t scan_end;      /* where the last scanned record ends */
    cy_i_arena arena;
    cy_l_prep_pool pool;  /* the lists of its prepared records */
} batch;

struct cy_l_pipeline {
    const char *data;
    size_t size;
    size_t batch_cap;     /* see BATCH_BYTES_MAX */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t frontier;      /* where the next batch starts */
    int scan_over;        /* the scan reached the array's end (or gave up) */
    int stopping;
    size_t next_seq;      /* the next batch to scan */
    size_t taken_seq;     /* the batch the records are taken from */
    size_t taken_index;   /* the next record in it */
    batch *current;       /* that batch once ready (the caller's alone) */
    size_t slot_count;
    batch *slots;         /* batch k in slots[k % slot_count] */
    size_t thread_count;
    int links;            /* an array of links (else of enterprises) */
    cy_l_prep_ctx prep;   /* what the records are checked against */
    /* A range of the validating thread's record array for a parsing
     * thread to fault in (cy_l_pipeline_prefault); length 0: none. */
    char *fault_at;
    size_t fault_length;
    pthread_t threads[CY_MAX_THREADS];
};

static size_t skip_space(const char *data, size_t size, size_t pos)
{
    while (pos < size && (data[pos] == ' ' || data[pos] == '\n' ||
                          data[pos] == '\r' || data[pos] == '\t'))
        pos++;
    return pos;
}

/* Append record [start, end) to the batch's list; 0 on OOM. */
static int add_record(batch *b, size_t start, size_t end)
{
    if (!cy_i_grow((void **)&b->records, &b->cap, b->scanned + 1, sizeof *b->records))
        return 0;
    b->records[b->scanned].start = start;
    b->records[b->scanned].end = end;
    b->records[b->scanned].value = NULL;
    b->records[b->scanned].arena = &b->arena;
    b->records[b->scanned].ref[0] = b->records[b->scanned].ref[1] = NULL;
    b->records[b->scanned].prep.ok = 0;
    b->records[b->scanned].pool = &b->pool;
    b->scanned++;
    return 1;
}

/*
 * Scan the next batch from the frontier into `b` (under the lock): the
 * records up to about BATCH_BYTES of text.  The scan stops for good at
 * the array's end, or at anything it cannot delimit (left to the
 * streaming pass).
 */
static void scan_batch(cy_l_pipeline *p, batch *b)
{
    size_t begin = p->frontier, pos = begin, end = begin;

    b->scanned = b->parsed = 0;
    b->pool.cluster_count = b->pool.part_count = 0;
    while (!p->scan_over) {
        size_t next;
        end = cy_l_scan_value(p->data, p->size, pos);
        if (end == CY_L_SCAN_FAILED || !add_record(b, pos, end)) {
            p->scan_over = 1;
            end = pos;
            break;
        }
        next = skip_space(p->data, p->size, end);
        if (next >= p->size || p->data[next] != ',') {
            p->scan_over = 1;
            break;
        }
        pos = skip_space(p->data, p->size, next + 1);
        if (pos - begin >= BATCH_BYTES)
            break;
    }
    b->scan_end = end;
    p->frontier = pos;
    b->state = BATCH_PARSING;
}

/*
 * The ids the validation of record `r` will look up, with their tags, so
 * that the calling thread, which validates every record, does not hash
 * them.  A link's endpoints are looked up by cy_l_prepare in the id table,
 * complete and read-only once the links begin; their probes start in
 * slots the cache rarely holds (1.3 million ids in random order on a
 * national file), so the slots are asked for now and cy_l_prepare runs
 * one record later (parse_batch), while the parse of the next record
 * hides the misses.
 */
static void tag_refs(const cy_l_pipeline *p, cy_l_parsed *r)
{
    static const char *const keys[2][2] = {{"id", NULL}, {"from", "to"}};
    for (int k = 0; k < 2; k++) {
        json_t *v = keys[p->links][k] ? json_object_get(r->value, keys[p->links][k])
                                      : NULL;
        r->ref[k] = json_is_string(v) ? json_string_value(v) : NULL;
        if (!r->ref[k])
            continue;
        r->tag[k] = cy_i_strtab_tag(r->ref[k], strlen(r->ref[k]));
        if (p->links)
            cy_i_strtab_prefetch(&p->prep.net->ids, r->tag[k]);
    }
}

/*
 * Parse the records of `b` into its arena (without the lock), stopping at
 * the first one Jansson refuses, that ends elsewhere than the scan said,
 * that passes the batch's cap, or while memory runs out, and once the
 * batch has taken its cap.  Each record parsed is also checked alone
 * (load_prepare.c), so that the validating thread has less to do; the
 * check of a record waits for the parse of the next (see tag_refs).
 */
static void parse_batch(cy_l_pipeline *p, batch *b)
{
    unsigned long failures = cy_i_alloc_failures();
    cy_l_prep_state prep;

    cy_l_prep_begin(&prep);
    cy_i_json_budget_set(p->batch_cap);
    cy_i_arena_use(&b->arena);
    for (size_t k = 0; k < b->scanned && b->arena.carved <= p->batch_cap; k++) {
        cy_l_parsed *r = &b->records[k];
        size_t length = r->end - r->start;
        json_error_t jerr;
        cy_i_arena_next_record(&b->arena);
        r->value = length > INT_MAX ? NULL
                                    : json_loadb(p->data + r->start, length,
                                                 STREAM_FLAGS, &jerr);
        if (!r->value || (size_t)jerr.position != length ||
            cy_i_json_budget_exceeded() || cy_i_alloc_failures() != failures)
            break;
        r->charged = cy_i_arena_charged(&b->arena);
        tag_refs(p, r);
        if (k > 0)
            cy_l_prepare(&p->prep, &prep, &b->records[k - 1], &b->pool);
        b->parsed = k + 1;
    }
    if (b->parsed > 0)
        cy_l_prepare(&p->prep, &prep, &b->records[b->parsed - 1], &b->pool);
    cy_i_arena_next_record(&b->arena);
    cy_i_arena_use(NULL);
    cy_l_prep_end(&prep);
}

/* Take the next batch (lock held), parse it (lock released) and say it is
 * ready; 0 when there is no batch to take. */
static int take_batch(cy_l_pipeline *p)
{
    batch *b;
    if (p->stopping || p->scan_over || p->next_seq >= p->taken_seq + p->slot_count)
        return 0;
    b = &p->slots[p->next_seq++ % p->slot_count];
    scan_batch(p, b);
    pthread_mutex_unlock(&p->lock);
    parse_batch(p, b);
    pthread_mutex_lock(&p->lock);
    b->state = BATCH_READY;
    pthread_cond_broadcast(&p->changed);
    return 1;
}

/*
 * Fault in the range the validating thread asked for (lock held, released
 * meanwhile).  MADV_POPULATE_WRITE makes the pages present and writable
 * without changing a byte of them, so it is harmless even where the
 * array has moved since the request (realloc): it then faults in pages of
 * whatever lies there, or fails.
 */
static void prefault(cy_l_pipeline *p)
{
    char *at = p->fault_at;
    size_t length = p->fault_length;
    p->fault_length = 0;
    pthread_mutex_unlock(&p->lock);
#ifdef MADV_POPULATE_WRITE
    {
        long page = sysconf(_SC_PAGESIZE);
        if (page > 0) {
            uintptr_t start = (uintptr_t)at & ~((uintptr_t)page - 1);
            (void)madvise((void *)start, length + ((uintptr_t)at - start),
                          MADV_POPULATE_WRITE);
        }
    }
#else
    (void)at;
    (void)length;
#endif
    pthread_mutex_lock(&p->lock);
}

static void *parse_thread(void *arg)
{
    cy_l_pipeline *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping && !p->scan_over) {
        if (p->fault_length)
            prefault(p);
        else if (!take_batch(p))
            pthread_cond_wait(&p->changed, &p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* take_batch on the calling thread, whose own budget must not change. */
static int help(cy_l_pipeline *p)
{
    cy_i_json_budget_state saved;
    int took;
    cy_i_json_budget_save(&saved);
    took = take_batch(p);
    cy_i_json_budget_restore(&saved);
    return took;
}

/*
 * The threads to start besides the calling one.  While allocation
 * failures are injected none is: the calling thread then parses every
 * batch itself, so the Nth allocation is always the same one and the
 * injection still reaches this file.
 */
static size_t parsing_threads(void)
{
    return cy_i_alloc_injecting() ? 0 : cy_threads_get() - 1;
}

/* Free `count` slots: their arenas, record lists, pools, and the array. */
static void free_slots(batch *slots, size_t count)
{
    for (size_t k = 0; slots && k < count; k++) {
        cy_i_arena_destroy(&slots[k].arena);
        cy_free(slots[k].records);
        cy_free(slots[k].pool.clusters);
        cy_free(slots[k].pool.parts);
    }
    cy_free(slots);
}

void cy_l_slots_free(cy_l_slots *spare)
{
    free_slots(spare->slots, spare->count);
    spare->slots = NULL;
    spare->count = 0;
}

cy_l_pipeline *cy_l_pipeline_start(const char *data, size_t size, size_t pos,
                                   size_t limit, const cy_network *net,
                                   int links, cy_l_slots *spare)
{
    size_t threads = parsing_threads();
    cy_l_pipeline *p;

    if (cy_threads_get() < 2 || size - pos < PIPELINE_MIN_BYTES ||
        !(p = cy_calloc(1, sizeof *p)))
        return NULL;
    p->data = data;
    p->size = size;
    p->frontier = pos;
    p->links = links != 0;
    p->slot_count = SLOTS_PER_THREAD * (threads + 1);
    p->batch_cap = limit / (8 * p->slot_count);
    if (p->batch_cap > BATCH_BYTES_MAX)
        p->batch_cap = BATCH_BYTES_MAX;
    /*
     * The slots the enterprises' pipeline left (cy_l_pipeline_stop), when
     * as many: their arenas keep a block and their record lists and pools
     * their capacity, so the links' batches do not fault in the memory of
     * every slot again (province, `validate` on two threads: 11,000 ->
     * 7,000 page faults, against 6,600 on one thread).  Only memory is
     * reused: every batch is scanned, parsed and charged to the budget as
     * in fresh slots.
     */
    if (spare->slots && spare->count == p->slot_count) {
        p->slots = spare->slots;
        spare->slots = NULL;
        spare->count = 0;
    } else {
        p->slots = cy_calloc(p->slot_count, sizeof *p->slots);
    }
    if (!p->slots || !cy_l_prep_ctx_init(&p->prep, net, links))
        goto fail;
    for (size_t k = 0; k < p->slot_count; k++)
        p->slots[k].arena.first_bytes = p->batch_cap >= BATCH_ARENA_BYTES ? BATCH_ARENA_BYTES : 0;
    if (pthread_mutex_init(&p->lock, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&p->changed, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        goto fail;
    }
    /* A thread that cannot be started leaves its share to the others. */
    for (size_t t = 0; t < threads; t++) {
        if (pthread_create(&p->threads[p->thread_count], NULL, parse_thread, p) == 0)
            p->thread_count++;
    }
    return p;
fail:
    cy_l_prep_ctx_free(&p->prep);
    free_slots(p->slots, p->slot_count);
    cy_free(p);
    return NULL;
}

/* Free batch `b`'s records for its next use (its arena keeps one block). */
static void release_batch(batch *b)
{
    cy_i_arena_end(&b->arena);
    b->scanned = b->parsed = 0;
    b->state = BATCH_FREE;
}

/* The batch the records are taken from, once ready (lock held); NULL when
 * the scan has no batch left for it. */
static batch *current_batch(cy_l_pipeline *p)
{
    batch *b = &p->slots[p->taken_seq % p->slot_count];
    if (p->taken_seq >= p->next_seq && !help(p))
        return NULL;
    while (b->state != BATCH_READY)
        if (!help(p))
            pthread_cond_wait(&p->changed, &p->lock);
    return b;
}

/* Stop the other threads early: the streaming pass needs no more help. */
static void give_up(cy_l_pipeline *p)
{
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* The batch the records are taken from, waited for; NULL when none is
 * left.  Once ready, a batch is the calling thread's alone, so the records
 * of `current` are taken without the lock. */
static batch *ready_batch(cy_l_pipeline *p)
{
    if (!p->current) {
        pthread_mutex_lock(&p->lock);
        p->current = p->stopping ? NULL : current_batch(p);
        pthread_mutex_unlock(&p->lock);
    }
    return p->current;
}

const cy_l_parsed *cy_l_pipeline_take(cy_l_pipeline *p, size_t pos)
{
    batch *b;

    while (p && (b = ready_batch(p)) != NULL) {
        if (p->taken_index < b->parsed) {
            if (b->records[p->taken_index].start == pos)
                return &b->records[p->taken_index++];
            give_up(p); /* out of step with the streaming pass */
            p->current = NULL;
            return NULL;
        }
        if (pos < b->scan_end) /* a record of the batch left unparsed */
            return NULL;
        pthread_mutex_lock(&p->lock);
        release_batch(b);
        p->taken_seq++;
        p->taken_index = 0;
        p->current = NULL;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
    return NULL;
}

void cy_l_pipeline_prefault(cy_l_pipeline *p, void *at, size_t length)
{
    if (!p || !p->thread_count || !length)
        return;
    pthread_mutex_lock(&p->lock);
    p->fault_at = at;
    p->fault_length = length;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void cy_l_pipeline_stop(cy_l_pipeline *p, cy_l_slots *spare)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    for (size_t t = 0; t < p->thread_count; t++)
        pthread_join(p->threads[t], NULL);
    if (!spare->slots) {
        /* Emptied for the next pipeline: a batch still ready (the
         * streaming pass stopped early; none is being parsed once the
         * threads have ended) is released as if taken. */
        for (size_t k = 0; k < p->slot_count; k++)
            if (p->slots[k].state != BATCH_FREE)
                release_batch(&p->slots[k]);
        spare->slots = p->slots;
        spare->count = p->slot_count;
    } else {
        free_slots(p->slots, p->slot_count);
    }
    cy_l_prep_ctx_free(&p->prep);
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    cy_free(p);
}
