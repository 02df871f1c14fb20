/*
 * threads.c - the thread count of the library and its one parallel loop.
 *
 * chengyu's heavy work is a loop of independent pieces: one cascade per
 * firm, one linear program per disruption, one trial per random attack.
 * cy_i_par_run runs such a loop on cy_threads_get() threads.  The answers
 * never depend on the thread count, because each item writes only its own
 * result slot and the caller combines the slots in index order afterwards;
 * and a failure is reported as the failure of the lowest failing item,
 * which is the one a single thread would have met first.
 *
 * igraph as Debian builds it is not thread-safe (IGRAPH_THREAD_SAFE is 0:
 * its error stack and random generator are global), so an item must not
 * call igraph.
 */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 0: one thread per processor online. */
static size_t threads_wanted;
/* Set on a worker while it runs an item, so that a loop started inside an
 * item runs on that worker alone instead of multiplying the threads. */
static _Thread_local int inside_item;

void cy_threads_set(size_t count)
{
    threads_wanted = count > CY_MAX_THREADS ? CY_MAX_THREADS : count;
}

size_t cy_threads_get(void)
{
    long online;
    if (threads_wanted > 0)
        return threads_wanted;
    online = sysconf(_SC_NPROCESSORS_ONLN);
    if (online < 1)
        return 1;
    return online > CY_MAX_THREADS ? CY_MAX_THREADS : (size_t)online;
}

/* ---- the loop ---------------------------------------------------------- */

/*
 * Items are handed out a run at a time, each worker sizing its own runs:
 * one item at first, twice as many after a run that took less than
 * RUN_FAST_NS, half as many after one that took more than RUN_SLOW_NS.
 * The weak-link report's loops have hundreds of thousands of items of a
 * few microseconds each (a cascade, the backups of a recommendation), and
 * taking the lock once per item, the two threads handing its cache line
 * back and forth, cost a few percent of them; a loop of linear programs
 * (milliseconds to seconds each, handed out largest first) keeps taking
 * one item at a time, so that no thread is left with a run of heavy ones
 * at the end.
 */
#define RUN_FAST_NS 50000LL
#define RUN_SLOW_NS 1000000LL
#define RUN_MAX 256

/* What the workers of one run share, under `lock`; `stop` is also read
 * without it, before each item of a run. */
typedef struct {
    const cy_i_par_job *job;
    pthread_mutex_t lock;
    size_t next;      /* the next item to hand out */
    size_t done;      /* items finished */
    atomic_size_t stop; /* the lowest failing item so far, or job->count */
    size_t workers;   /* the workers started (a run is at most a
                         2 * workers-th of the items left) */
} par_queue;

/* One worker: its thread, its state and the messages of its lowest
 * failing item. */
typedef struct {
    par_queue *queue;
    pthread_t thread;
    void *state;
    cy_error err;     /* the messages of `failed_at` */
    cy_error scratch; /* the messages of the item being run */
    size_t failed_at; /* its lowest failing item, or job->count */
    cy_status status; /* that item's status */
    int reports;      /* the calling thread reports progress */
    int reported_all; /* it has reported 100% already */
} par_worker;

/* Hand out the next run of at most `want` items, [k, *end) (SIZE_MAX
 * when none is left or an earlier item failed); `finished` items were
 * finished since the last call, `failed_at` is the one that failed if one
 * did. */
static size_t take(par_queue *q, size_t finished, size_t failed_at, size_t want,
                   size_t *end, size_t *done)
{
    size_t k = SIZE_MAX, stop;

    pthread_mutex_lock(&q->lock);
    q->done += finished;
    stop = atomic_load(&q->stop);
    if (failed_at < stop)
        atomic_store(&q->stop, stop = failed_at);
    if (q->next < stop) {
        size_t fair = (stop - q->next) / (2 * q->workers);
        k = q->next;
        q->next += want < fair ? want : fair > 0 ? fair : 1;
        *end = q->next;
    }
    *done = q->done;
    pthread_mutex_unlock(&q->lock);
    return k;
}

/* Nanoseconds since `since` (CLOCK_MONOTONIC), in 64 bits: a run of a
 * few seconds overflows a 32-bit long. */
static long long elapsed_ns(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - since->tv_sec) * 1000000000LL +
           (now.tv_nsec - since->tv_nsec);
}

/* The size of the next run after one of `run` items that took `ns`. */
static size_t next_run(size_t run, long long ns)
{
    if (ns < RUN_FAST_NS && run < RUN_MAX)
        return run * 2;
    if (ns > RUN_SLOW_NS && run > 1)
        return run / 2;
    return run;
}

static void report(const cy_i_par_job *job, size_t done)
{
    if (job->progress)
        job->progress(job->what ? job->what : "", job->count
                      ? 100.0 * (double)done / (double)job->count : 100.0,
                      job->progress_data);
}

/* Run item k; keep its messages if it is the worker's lowest failure. */
static size_t run_item(par_worker *w, size_t k)
{
    const cy_i_par_job *job = w->queue->job;
    int was_inside = inside_item;
    cy_status status;

    cy_error_clear(&w->scratch);
    inside_item = 1;
    status = job->item(job->ctx, w->state, k, &w->scratch);
    /* Restored, not cleared: a loop inside an item ends its own items
     * here too, and the item that started it is still running (a second
     * loop of that item must get one thread as well). */
    inside_item = was_inside;
    if (status == CY_OK || k >= w->failed_at)
        return w->queue->job->count;
    cy_error_clear(&w->err);
    cy_i_error_move(&w->err, &w->scratch);
    w->failed_at = k;
    w->status = status;
    return k;
}

/*
 * Run items k .. end - 1 while no earlier item failed (here or on another
 * worker); returns the one that failed, or job->count, and how many ran
 * in *ran.  The reporting worker reports progress after each item but
 * its run's last (reported once the next take has counted it): `done`,
 * the count at the take, plus its own since, so that on one thread there
 * is one report per item, as before runs.
 */
static size_t run_items(par_worker *w, size_t k, size_t end, size_t done, size_t *ran)
{
    size_t count = w->queue->job->count, failed = count;
    *ran = 0;
    for (; k < end && failed == count &&
           k < atomic_load_explicit(&w->queue->stop, memory_order_relaxed);
         k++) {
        if (*ran && w->reports)
            report(w->queue->job, done + *ran);
        failed = run_item(w, k);
        (*ran)++;
    }
    return failed;
}

static void *work(void *arg)
{
    par_worker *w = arg;
    par_queue *q = w->queue;
    size_t done, end = 0, run = 1, k = take(q, 0, q->job->count, run, &end, &done);

    while (k != SIZE_MAX) {
        struct timespec start;
        size_t ran, failed;
        clock_gettime(CLOCK_MONOTONIC, &start);
        failed = run_items(w, k, end, done, &ran);
        run = next_run(end - k, elapsed_ns(&start));
        k = take(q, ran, failed, run, &end, &done);
        if (w->reports) {
            report(q->job, done);
            w->reported_all = done == q->job->count;
        }
    }
    if (!w->reports && q->job->thread_end)
        q->job->thread_end(q->job->ctx);
    return NULL;
}

/* Make worker `w`'s state; a worker whose state cannot be made does not
 * run (the others take its share), except the first, whose failure is the
 * loop's. */
static cy_status worker_init(par_worker *w, par_queue *q, int first, cy_error *err)
{
    const cy_i_par_job *job = q->job;
    cy_status status = CY_OK;

    memset(w, 0, sizeof *w);
    w->queue = q;
    w->reports = first;
    w->failed_at = job->count;
    cy_error_init(&w->err);
    cy_error_init(&w->scratch);
    if (job->worker_init)
        status = job->worker_init(job->ctx, &w->state, first ? err : &w->scratch);
    return status;
}

static void worker_destroy(par_worker *w)
{
    const cy_i_par_job *job = w->queue->job;
    if (job->worker_destroy)
        job->worker_destroy(job->ctx, w->state);
    cy_error_destroy(&w->err);
    cy_error_destroy(&w->scratch);
}

/* How many workers run `job`: one inside an item or while allocation
 * failures are injected (so the Nth allocation is always the same one). */
static size_t worker_count(const cy_i_par_job *job)
{
    size_t wanted = job->threads ? job->threads : cy_threads_get();
    if (inside_item || cy_i_alloc_injecting())
        wanted = 1;
    if (wanted > CY_MAX_THREADS)
        wanted = CY_MAX_THREADS;
    if (wanted > job->count)
        wanted = job->count;
    return wanted > 0 ? wanted : 1;
}

/* Start the workers after the first; returns how many run in all. */
static size_t start_workers(par_worker *workers, size_t count, par_queue *q)
{
    size_t started = 1;
    for (size_t t = 1; t < count; t++) {
        if (worker_init(&workers[t], q, 0, NULL) != CY_OK) {
            worker_destroy(&workers[t]);
            break;
        }
        if (pthread_create(&workers[t].thread, NULL, work, &workers[t]) != 0) {
            worker_destroy(&workers[t]);
            break;
        }
        started = t + 1;
    }
    return started;
}

/* The status and messages of the lowest failing item of all workers. */
static cy_status lowest_failure(par_worker *workers, size_t started, cy_error *err)
{
    par_worker *first = NULL;
    for (size_t t = 0; t < started; t++)
        if (workers[t].failed_at < workers[0].queue->job->count &&
            (!first || workers[t].failed_at < first->failed_at))
            first = &workers[t];
    if (!first)
        return CY_OK;
    cy_i_error_move(err, &first->err);
    return first->status;
}

int cy_i_par_inside_item(void)
{
    return inside_item;
}

int cy_i_par_can_overlap(void)
{
    return cy_threads_get() >= 2 && !cy_i_alloc_injecting() && !inside_item;
}

void cy_i_beside_init(cy_i_beside *job, cy_status (*work)(void *arg, cy_error *err),
                      void *arg)
{
    memset(job, 0, sizeof *job);
    job->work = work;
    job->arg = arg;
    job->status = CY_OK;
}

/* The helper thread's body: the work, with the job's own messages. */
static void *beside_main(void *arg)
{
    cy_i_beside *job = arg;
    job->status = job->work(job->arg, &job->err);
    return NULL;
}

int cy_i_beside_start(cy_i_beside *job, int worth)
{
    if (!worth || job->running || job->done || !cy_i_par_can_overlap())
        return 0;
    cy_error_init(&job->err);
    job->running = pthread_create(&job->thread, NULL, beside_main, job) == 0;
    if (!job->running)
        cy_error_destroy(&job->err);
    return job->running;
}

cy_status cy_i_beside_finish(cy_i_beside *job, cy_error *err)
{
    if (job->running) {
        pthread_join(job->thread, NULL);
        job->running = 0;
        if (err)
            cy_i_error_move(err, &job->err);
        cy_error_destroy(&job->err);
    } else if (!job->done) {
        job->status = job->work(job->arg, err);
    }
    job->done = 1;
    return job->status;
}

int cy_i_beside_join(cy_i_beside *job)
{
    if (!job->running)
        return 0;
    pthread_join(job->thread, NULL);
    job->running = 0;
    job->done = 1;
    cy_error_destroy(&job->err);
    return 1;
}

cy_status cy_i_par_run(const cy_i_par_job *job, cy_error *err)
{
    par_queue q = {job, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0};
    par_worker workers[CY_MAX_THREADS];
    size_t count = worker_count(job), started;
    cy_status status;

    atomic_init(&q.stop, job->count);
    q.workers = count;

    if ((job->slot_size || job->pack) && cy_i_dist_active())
        return cy_i_dist_run(job, err);
    report(job, 0); /* the clock of the estimate starts */
    status = worker_init(&workers[0], &q, 1, err);
    if (status != CY_OK) {
        worker_destroy(&workers[0]);
        pthread_mutex_destroy(&q.lock);
        return status;
    }
    started = start_workers(workers, count, &q);
    work(&workers[0]);
    for (size_t t = 1; t < started; t++)
        pthread_join(workers[t].thread, NULL);
    status = lowest_failure(workers, started, err);
    /* The caller's last item may have been the last to end: 100% once. */
    if (status == CY_OK && !workers[0].reported_all)
        report(job, job->count);
    for (size_t t = 0; t < started; t++)
        worker_destroy(&workers[t]);
    /* After the workers are gone: their worker_destroy may have joined
     * their lists, which the conclusion checks. */
    if (status == CY_OK && job->after)
        status = job->after(job->ctx, err);
    pthread_mutex_destroy(&q.lock);
    return status;
}
