/*
 * test_threads.c - the thread count and the parallel loop (threads.c).
 *
 * The loop's promise is that nothing observable depends on the thread
 * count: every slot gets its item's value, a failure is always the lowest
 * failing item's, and progress is reported from the calling thread only.
 * Each case runs with 1, 2 and 7 threads.  Also cy_i_beside, serial work
 * on a helper thread: where it runs, its status and its messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

#define ITEMS 20000

static const size_t thread_counts[] = {1, 2, 7};

typedef struct {
    uint64_t slots[ITEMS];
    pthread_t ran_on[ITEMS];
    size_t fail_a, fail_b;     /* items that fail (ITEMS: none) */
    size_t states_made, states_freed;
    pthread_mutex_t lock;
    int fail_first_init;       /* the calling thread's worker_init fails */
    size_t progress_calls;
    size_t zero_reports;       /* reports of 0% */
    size_t full_reports;       /* reports of 100% */
    double last_percent;
    pthread_t caller;
    int progress_elsewhere;    /* progress seen on another thread */
    int nested;                /* items run a loop of their own */
    atomic_int left_item;      /* a nested loop found itself outside an item */
} fixture;

/* A value that costs a little to compute, so that threads interleave. */
static uint64_t value_of(size_t k)
{
    uint64_t x = k * 0x9E3779B97F4A7C15ull;
    for (int r = 0; r < 50; r++)
        x ^= (x << 13) ^ (x >> 7) ^ (x << 17);
    return x;
}

static cy_status make_state(void *ctx, void **state, cy_error *err)
{
    fixture *f = ctx;
    int first = pthread_equal(pthread_self(), f->caller);
    if (first && f->fail_first_init) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "no state for the first worker");
        *state = NULL;
        return CY_ENOMEM;
    }
    *state = cy_malloc(sizeof(uint64_t));
    if (!*state)
        return CY_ENOMEM;
    pthread_mutex_lock(&f->lock);
    f->states_made++;
    pthread_mutex_unlock(&f->lock);
    return CY_OK;
}

static void free_state(void *ctx, void *state)
{
    fixture *f = ctx;
    if (!state)
        return;
    pthread_mutex_lock(&f->lock);
    f->states_freed++;
    pthread_mutex_unlock(&f->lock);
    cy_free(state);
}

static cy_status inner_item(void *ctx, void *state, size_t k, cy_error *err)
{
    uint64_t *sum = ctx;
    (void)state;
    (void)err;
    *sum += value_of(k); /* unsynchronised: safe only on one thread */
    return CY_OK;
}

/* The sum of value_of over 0..n-1 by a loop inside an item. */
static uint64_t nested_sum(size_t n)
{
    uint64_t sum = 0;
    cy_i_par_job job = {0};
    cy_error err;
    job.count = n;
    job.threads = 7;
    job.ctx = &sum;
    job.item = inner_item;
    cy_error_init(&err);
    assert_int_equal(cy_i_par_run(&job, &err), CY_OK);
    cy_error_destroy(&err);
    return sum;
}

static cy_status item(void *ctx, void *state, size_t k, cy_error *err)
{
    fixture *f = ctx;
    *(uint64_t *)state += 1;
    f->ran_on[k] = pthread_self();
    if (k == f->fail_b) /* slow: other workers meet fail_a meanwhile */
        usleep(100000);
    if (k == f->fail_a || k == f->fail_b) {
        cy_error_add(err, CY_SEV_ERROR, "$.items", "item %zu failed", k);
        return CY_EINPUT;
    }
    if (f->nested) {
        /* Two loops in a row, both on this item's thread: still inside
         * the item after the first ended (its own items clear nothing of
         * this one's).  Recorded, not asserted: this may be a worker. */
        uint64_t first = nested_sum(k % 50);
        if (!cy_i_par_inside_item())
            atomic_store(&f->left_item, 1);
        f->slots[k] = nested_sum(k % 50);
        if (f->slots[k] != first)
            f->slots[k] = 0;
    } else {
        f->slots[k] = value_of(k);
    }
    return CY_OK;
}

static void on_progress(const char *what, double percent, void *data)
{
    fixture *f = data;
    assert_string_equal(what, "items");
    if (!pthread_equal(pthread_self(), f->caller))
        f->progress_elsewhere = 1;
    assert_true(percent >= f->last_percent);
    f->last_percent = percent;
    f->progress_calls++;
    f->zero_reports += percent == 0.0;
    f->full_reports += percent == 100.0;
}

static fixture *fixture_new(void)
{
    static fixture f;
    memset(&f, 0, sizeof f);
    f.fail_a = f.fail_b = ITEMS;
    f.caller = pthread_self();
    pthread_mutex_init(&f.lock, NULL);
    return &f;
}

static cy_status run(fixture *f, size_t threads, cy_error *err)
{
    cy_i_par_job job = {0};
    job.count = ITEMS;
    job.threads = threads;
    job.ctx = f;
    job.worker_init = make_state;
    job.worker_destroy = free_state;
    job.item = item;
    job.progress = on_progress;
    job.what = "items";
    job.progress_data = f;
    return cy_i_par_run(&job, err);
}

/* Every slot holds its item's value, whatever the thread count; every
 * state made is freed; progress goes from 0 to 100 on the caller, reporting
 * each end once. */
static void test_every_slot(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof thread_counts / sizeof *thread_counts; c++) {
        fixture *f = fixture_new();
        cy_error err;
        cy_error_init(&err);
        assert_int_equal(run(f, thread_counts[c], &err), CY_OK);
        assert_int_equal(err.count, 0);
        for (size_t k = 0; k < ITEMS; k++)
            assert_true(f->slots[k] == value_of(k));
        assert_true(f->states_made >= 1 && f->states_made <= thread_counts[c]);
        assert_int_equal(f->states_made, f->states_freed);
        assert_false(f->progress_elsewhere);
        assert_true(f->progress_calls >= 2);
        assert_true(f->last_percent == 100.0);
        assert_int_equal(f->zero_reports, 1);
        assert_int_equal(f->full_reports, 1);
        cy_error_destroy(&err);
    }
}

/* Items 7,000 and 300 fail, 300 slowly, so that with several threads
 * another worker meets 7,000 first: the answer is always item 300's
 * message and status, and every item before it ran. */
static void test_lowest_failure(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof thread_counts / sizeof *thread_counts; c++) {
        fixture *f = fixture_new();
        cy_error err;
        f->fail_a = 7000;
        f->fail_b = 300;
        cy_error_init(&err);
        assert_int_equal(run(f, thread_counts[c], &err), CY_EINPUT);
        assert_int_equal(err.count, 1);
        assert_int_equal(err.error_count, 1);
        assert_string_equal(err.items[0].message, "item 300 failed");
        assert_string_equal(err.items[0].path, "$.items");
        for (size_t k = 0; k < 300; k++)
            assert_true(f->slots[k] == value_of(k));
        assert_int_equal(f->states_made, f->states_freed);
        cy_error_destroy(&err);
    }
}

/* Items are handed out in runs that grow while they are cheap: on one
 * thread, once item 5,000 fails none after it starts, even inside its
 * run, and every item before it ran. */
static void test_run_stops_at_failure(void **state)
{
    fixture *f = fixture_new();
    cy_error err;
    (void)state;
    f->fail_a = 5000;
    cy_error_init(&err);
    assert_int_equal(run(f, 1, &err), CY_EINPUT);
    assert_string_equal(err.items[0].message, "item 5000 failed");
    for (size_t k = 0; k < 5000; k++)
        assert_true(f->slots[k] == value_of(k));
    for (size_t k = 5001; k < ITEMS; k++)
        assert_true(f->slots[k] == 0 && pthread_equal(f->ran_on[k], (pthread_t)0));
    cy_error_destroy(&err);
}

/* The calling thread's state cannot be made: the loop fails with that
 * message and runs nothing. */
static void test_first_state_fails(void **state)
{
    fixture *f = fixture_new();
    cy_error err;
    (void)state;
    f->fail_first_init = 1;
    cy_error_init(&err);
    assert_int_equal(run(f, 2, &err), CY_ENOMEM);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.items[0].message, "no state for the first worker");
    for (size_t k = 0; k < ITEMS; k++)
        assert_true(f->slots[k] == 0);
    assert_int_equal(f->states_made, f->states_freed);
    cy_error_destroy(&err);
}

/* A loop inside an item runs on that item's thread, with the right sums,
 * and so does a second loop of the same item. */
static void test_nested(void **state)
{
    fixture *f = fixture_new();
    cy_error err;
    (void)state;
    f->nested = 1;
    cy_error_init(&err);
    assert_int_equal(run(f, 2, &err), CY_OK);
    assert_int_equal(atomic_load(&f->left_item), 0);
    for (size_t k = 0; k < ITEMS; k++) {
        uint64_t want = 0;
        for (size_t j = 0; j < k % 50; j++)
            want += value_of(j);
        assert_true(f->slots[k] == want);
    }
    cy_error_destroy(&err);
}

/* While allocation failures are injected everything runs on the calling
 * thread, so that the Nth allocation is the same one every time; and a
 * worker's failed state is the loop's failure, cleanly. */
static void test_injection_single_thread(void **state)
{
    fixture *f = fixture_new();
    cy_error err;
    (void)state;
    cy_alloc_fail_after(1000000, 0);
    cy_error_init(&err);
    assert_int_equal(run(f, 7, &err), CY_OK);
    for (size_t k = 0; k < ITEMS; k++)
        assert_true(pthread_equal(f->ran_on[k], f->caller));
    assert_int_equal(f->states_made, 1);
    cy_error_destroy(&err);

    f = fixture_new();
    cy_alloc_fail_after(0, 1);
    cy_error_init(&err);
    assert_int_equal(run(f, 7, &err), CY_ENOMEM);
    cy_alloc_fail_after(-1, 0);
    assert_int_equal(f->states_made, 0);
    cy_error_destroy(&err);
}

/* Item 0 waits (at most 10 s) for item 1 to finish: only a second thread
 * can run item 1 meanwhile, so the loop is not silently serial. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int one_done, zero_saw_one;
} rendezvous;

static cy_status wait_item(void *ctx, void *state, size_t k, cy_error *err)
{
    rendezvous *r = ctx;
    struct timespec until;
    (void)state;
    (void)err;
    pthread_mutex_lock(&r->lock);
    if (k == 1) {
        r->one_done = 1;
        pthread_cond_broadcast(&r->cond);
    } else {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 10;
        while (!r->one_done &&
               pthread_cond_timedwait(&r->cond, &r->lock, &until) == 0)
            ;
        r->zero_saw_one = r->one_done;
    }
    pthread_mutex_unlock(&r->lock);
    return CY_OK;
}

static void test_really_parallel(void **state)
{
    rendezvous r = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    cy_i_par_job job = {0};
    cy_error err;
    (void)state;
    job.count = 2;
    job.threads = 2;
    job.ctx = &r;
    job.item = wait_item;
    cy_error_init(&err);
    assert_int_equal(cy_i_par_run(&job, &err), CY_OK);
    assert_true(r.zero_saw_one);
    cy_error_destroy(&err);
}

static void test_thread_count(void **state)
{
    (void)state;
    cy_threads_set(3);
    assert_int_equal(cy_threads_get(), 3);
    cy_threads_set(1000);
    assert_int_equal(cy_threads_get(), CY_MAX_THREADS);
    cy_threads_set(0);
    assert_true(cy_threads_get() >= 1 && cy_threads_get() <= CY_MAX_THREADS);
}

/* An empty loop succeeds and reports its end. */
static void test_empty(void **state)
{
    fixture *f = fixture_new();
    cy_i_par_job job = {0};
    cy_error err;
    (void)state;
    job.ctx = f;
    job.item = item;
    job.progress = on_progress;
    job.what = "items";
    job.progress_data = f;
    cy_error_init(&err);
    assert_int_equal(cy_i_par_run(&job, &err), CY_OK);
    assert_true(f->last_percent == 100.0);
    cy_error_destroy(&err);
}

/* cy_i_sort's rows: a key with many repeats and a unique tie-break, so
 * that the order is total (as cy_i_sort requires) but the merges meet
 * equal first keys all the time. */
typedef struct {
    uint32_t key;
    uint64_t unique;
    char pad[12];
} sort_row;

static int sort_row_cmp(const void *a, const void *b)
{
    const sort_row *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->unique < y->unique ? -1 : x->unique > y->unique;
}

/* cy_i_sort gives qsort's bytes on 1, 2, 3 and 7 threads, for arrays
 * below, at and above the size where it starts using threads, and for
 * arrays already sorted or reversed. */
static void test_sort_matches_qsort(void **state)
{
    static const size_t sizes[] = {0, 1, 2, 1000, 65535, 65536, 200003};
    static const size_t threads[] = {1, 2, 3, 7};
    (void)state;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        size_t n = sizes[s];
        sort_row *input = cy_calloc(n + 1, sizeof *input);
        sort_row *want = cy_calloc(n + 1, sizeof *want), *got = cy_calloc(n + 1, sizeof *got);
        assert_true(input && want && got);
        for (int shape = 0; shape < 3; shape++) {
            for (size_t k = 0; k < n; k++) {
                uint64_t v = value_of(k);
                input[k].key = shape == 0 ? (uint32_t)(v % 97)
                                          : (uint32_t)(shape == 1 ? k : n - k);
                input[k].unique = v;
                memset(input[k].pad, (int)(v & 0x7f), sizeof input[k].pad);
            }
            memcpy(want, input, n * sizeof *want);
            if (n > 1)
                qsort(want, n, sizeof *want, sort_row_cmp);
            for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
                memcpy(got, input, n * sizeof *got);
                cy_threads_set(threads[t]);
                cy_i_sort(got, n, sizeof *got, sort_row_cmp);
                assert_memory_equal(got, want, n * sizeof *got);
            }
        }
        cy_free(input);
        cy_free(want);
        cy_free(got);
    }
    cy_threads_set(0);
}

/* ---- cy_i_beside -------------------------------------------------- */

/* The work of a beside job: it notes its thread, adds two messages and
 * returns `status`; with `wait`, it first waits (at most 10 s) until the
 * caller has signalled, which only a second thread lets the caller do. */
typedef struct {
    pthread_t ran_on;
    cy_status status;
    int wait;
    int runs; /* how many times the work ran */
    rendezvous r;
} beside_fixture;

static cy_status beside_work(void *arg, cy_error *err)
{
    beside_fixture *b = arg;
    b->ran_on = pthread_self();
    b->runs++;
    if (b->wait) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 10;
        pthread_mutex_lock(&b->r.lock);
        while (!b->r.one_done)
            if (pthread_cond_timedwait(&b->r.cond, &b->r.lock, &until) != 0)
                break;
        b->r.zero_saw_one = b->r.one_done;
        pthread_mutex_unlock(&b->r.lock);
    }
    cy_error_add(err, CY_SEV_WARNING, "$.a", "first");
    cy_error_add(err, CY_SEV_ERROR, "$.b", "second");
    return b->status;
}

static void beside_signal(beside_fixture *b)
{
    pthread_mutex_lock(&b->r.lock);
    b->r.one_done = 1;
    pthread_cond_signal(&b->r.cond);
    pthread_mutex_unlock(&b->r.lock);
}

/* The messages of one run of beside_work, after `before` others. */
static void assert_beside_messages(const cy_error *err, size_t before)
{
    assert_int_equal(err->count, before + 2);
    assert_string_equal(err->items[before].message, "first");
    assert_string_equal(err->items[before].path, "$.a");
    assert_int_equal(err->items[before].severity, CY_SEV_WARNING);
    assert_string_equal(err->items[before + 1].message, "second");
}

/*
 * On two threads the work runs beside the caller (the caller signals
 * while it waits), its status and messages arrive at the finish after the
 * caller's own; not worth it, on one thread or under injection it runs at
 * the finish on the caller's thread, with the same status and messages;
 * a join drops a running job's messages and says it joined, and the work
 * never runs twice.
 */
static void test_beside(void **state)
{
    beside_fixture b = {0};
    cy_i_beside job;
    cy_error err;
    (void)state;
    pthread_mutex_init(&b.r.lock, NULL);
    pthread_cond_init(&b.r.cond, NULL);
    cy_error_init(&err);
    cy_threads_set(2);
    b.status = CY_EINPUT;
    b.wait = 1;
    cy_i_beside_init(&job, beside_work, &b);
    assert_int_equal(cy_i_beside_start(&job, 1), 1);
    assert_int_equal(cy_i_beside_start(&job, 1), 0); /* already started */
    cy_error_add(&err, CY_SEV_WARNING, NULL, "the caller's");
    beside_signal(&b);
    assert_int_equal(cy_i_beside_finish(&job, &err), CY_EINPUT);
    assert_int_equal(b.runs, 1);
    assert_true(b.r.zero_saw_one);
    assert_false(pthread_equal(b.ran_on, pthread_self()));
    assert_string_equal(err.items[0].message, "the caller's");
    assert_beside_messages(&err, 1);
    /* Done: a second finish neither runs it again nor adds messages. */
    assert_int_equal(cy_i_beside_finish(&job, &err), CY_EINPUT);
    assert_int_equal(err.count, 3);
    assert_int_equal(cy_i_beside_join(&job), 0);
    assert_int_equal(b.runs, 1);

    /* In place: not worth a thread, one thread, failures injected. */
    b.wait = 0;
    b.status = CY_OK;
    for (int how = 0; how < 3; how++) {
        cy_error_destroy(&err);
        cy_error_init(&err);
        cy_threads_set(how == 1 ? 1 : 2);
        if (how == 2)
            cy_alloc_fail_after(1000000, 0);
        b.runs = 0;
        cy_i_beside_init(&job, beside_work, &b);
        assert_int_equal(cy_i_beside_start(&job, how != 0), 0);
        assert_int_equal(cy_i_beside_join(&job), 0); /* nothing to wait for */
        assert_int_equal(b.runs, 0);                 /* nor run */
        assert_int_equal(cy_i_beside_finish(&job, &err), CY_OK);
        assert_int_equal(b.runs, 1);
        assert_true(pthread_equal(b.ran_on, pthread_self()));
        assert_beside_messages(&err, 0);
        cy_alloc_fail_after(-1, 0);
    }

    /* A join while it runs: it waits, and a finish after it neither runs
     * the work again nor brings the dropped messages. */
    cy_error_destroy(&err);
    cy_error_init(&err);
    cy_threads_set(2);
    b.wait = 1;
    b.r.one_done = 0;
    b.runs = 0;
    b.status = CY_EINPUT;
    cy_i_beside_init(&job, beside_work, &b);
    assert_int_equal(cy_i_beside_start(&job, 1), 1);
    beside_signal(&b);
    assert_int_equal(cy_i_beside_join(&job), 1);
    assert_int_equal(b.runs, 1);
    assert_int_equal(cy_i_beside_join(&job), 0);
    assert_int_equal(cy_i_beside_finish(&job, &err), CY_EINPUT);
    assert_int_equal(b.runs, 1);
    assert_int_equal(err.count, 0);
    cy_threads_set(0);
    cy_error_destroy(&err);
    pthread_mutex_destroy(&b.r.lock);
    pthread_cond_destroy(&b.r.cond);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_slot),
        cmocka_unit_test(test_lowest_failure),
        cmocka_unit_test(test_run_stops_at_failure),
        cmocka_unit_test(test_first_state_fails),
        cmocka_unit_test(test_nested),
        cmocka_unit_test(test_injection_single_thread),
        cmocka_unit_test(test_really_parallel),
        cmocka_unit_test(test_thread_count),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_sort_matches_qsort),
        cmocka_unit_test(test_beside),
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
