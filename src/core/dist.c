/*
 * dist.c - the per-firm loops spread over the processes of an MPI run.
 *
 * Under `mpirun -np K chengyu ...` every process loads the network and
 * runs the same command.  A loop of cy_i_par_run that says how to move
 * its results (slots, or pack/unpack) becomes a collective: process r
 * runs items r, r + K, r + 2K, ... on its own threads (the round robin
 * spreads the costly items, the hubs, which sit anywhere in the order),
 * then every process receives every other's results and goes on with
 * all of them, exactly as one process that ran every item.  Each item
 * is computed alone whatever the share, so the answers are the same
 * bytes for every K.
 *
 * No process ever waits on one that left.  Every exchange starts with
 * the same small collective, a header from each process, which carries
 * either "in a loop" (with the loop's status) or "leaving" (with the exit
 * code and the line the process printed last; cy_dist_finish, also
 * reached from exit() through the command's atexit handler).  A failed
 * item is part of the exchanged data: every process then returns the
 * status and messages of the lowest failing item of all.  A process that
 * sees another leave fails its loop with that process's last words (so
 * that process 0 prints them: the others' errors go to /dev/null), and
 * from then on no process makes a collective call.  Committing an output
 * is an exchange without results (cy_i_dist_agree), so that process 0
 * writes nothing when another process stopped after the last loop.  The
 * one other collective of an exchange, after the headers, says whether
 * every process could allocate its receive buffer, so that an allocation
 * failure there is shared too.
 *
 * Without CHENGYU_MPI the file builds the same logic over one process
 * (cy_dist_attach refuses), so that it compiles and is tested everywhere.
 */
#include "internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef CHENGYU_MPI
#include <mpi.h>
#endif

/* The bytes of a process's last words in a header, the NUL included: the
 * longest stop message (two echoed paths of 80 columns) fits. */
#define LAST_WORDS 512

static size_t dist_rank, dist_size = 1;
/* The line this process printed last (cy_dist_last_words), sent as it
 * leaves; and the one another process sent (cy_dist_stop_reason).  Static:
 * a process that leaves because memory ran out must still send them. */
static char last_words[LAST_WORDS], heard[LAST_WORDS];
static int attached;
/* A process left while others ran a loop: no collective call any more. */
static int broken;
/* The exchanges made (cy_dist_exchanges). */
static size_t exchanges;

/* ---- packing ------------------------------------------------------------ */

void cy_i_pack_put(cy_i_pack *out, const void *data, size_t size)
{
    if (out->at && size)
        memcpy(out->at + out->size, data, size);
    out->size += size;
}

void cy_i_unpack_get(cy_i_unpack *in, void *data, size_t size)
{
    if (in->bad || size > in->size - in->pos) {
        in->bad = 1;
        memset(data, 0, size);
        return;
    }
    memcpy(data, in->at + in->pos, size);
    in->pos += size;
}

/* ---- the transport ------------------------------------------------------ */

/* One collective failed or could not be prepared: stop the whole run
 * rather than leave the other processes waiting in it. */
static void give_up(const char *what)
{
    fprintf(stderr, "chengyu: process %zu: %s: stopping every process\n", dist_rank, what);
#ifdef CHENGYU_MPI
    MPI_Abort(MPI_COMM_WORLD, 1);
#endif
    abort();
}

static void allgather(const void *mine, size_t size, void *all)
{
#ifdef CHENGYU_MPI
    if (dist_size > 1) {
        if (MPI_Allgather(mine, (int)size, MPI_BYTE, all, (int)size, MPI_BYTE,
                          MPI_COMM_WORLD) != MPI_SUCCESS)
            give_up("MPI_Allgather failed");
        return;
    }
#endif
    memcpy(all, mine, size);
}

static void allgatherv(const void *mine, int size, void *all, const int *sizes,
                       const int *displs)
{
#ifdef CHENGYU_MPI
    if (dist_size > 1) {
        if (MPI_Allgatherv(mine, size, MPI_BYTE, all, sizes, displs, MPI_BYTE,
                           MPI_COMM_WORLD) != MPI_SUCCESS)
            give_up("MPI_Allgatherv failed");
        return;
    }
#endif
    (void)sizes;
    memcpy((unsigned char *)all + displs[0], mine, (size_t)size);
}

static int allreduce_max(int value)
{
#ifdef CHENGYU_MPI
    int all = value;
    if (dist_size > 1) {
        if (MPI_Allreduce(&value, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
            give_up("MPI_Allreduce failed");
    }
    return all;
#else
    return value;
#endif
}

/* ---- attaching and leaving ---------------------------------------------- */

/* What refuses the thread support (cy_dist_attach), worst last. */
enum { THREADS_OK, THREADS_NOT_MAIN, THREADS_TOO_FEW };

cy_status cy_dist_attach(cy_error *err)
{
#ifdef CHENGYU_MPI
    int initialized = 0, finalized = 0, rank = 0, size = 1;
    int level = MPI_THREAD_SINGLE, on_main = 0, mine, worst = THREADS_OK;

    MPI_Initialized(&initialized);
    if (initialized)
        MPI_Finalized(&finalized);
    if (!initialized || finalized) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "MPI is not initialised");
        return CY_EUSAGE;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    /* The exchanges call MPI from the calling thread while the library's
     * threads compute, and the atexit path may call it too: the thread
     * that initialised MPI must be this one, at MPI_THREAD_FUNNELED at
     * least (MPI_Init gives MPI_THREAD_SINGLE, where no other thread may
     * even exist).  Every process must refuse alike, or those that went on
     * would wait in their first exchange for those that did not: agree on
     * the worst. */
    MPI_Query_thread(&level);
    MPI_Is_thread_main(&on_main);
    mine = level < MPI_THREAD_FUNNELED ? THREADS_TOO_FEW : !on_main ? THREADS_NOT_MAIN
                                                                    : THREADS_OK;
    if (MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD) != MPI_SUCCESS)
        worst = mine > THREADS_OK ? mine : THREADS_TOO_FEW;
    if (worst == THREADS_TOO_FEW) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "MPI gives %s thread support%s, and chengyu needs MPI_THREAD_FUNNELED "
                     "(its threads compute while the thread that started MPI exchanges "
                     "the results): start MPI with MPI_Init_thread(..., "
                     "MPI_THREAD_FUNNELED, ...), from an MPI library built with threads",
                     mine == THREADS_TOO_FEW ? "MPI_THREAD_SINGLE" : "less",
                     mine == THREADS_TOO_FEW ? "" : " on another process of the run");
        return CY_EUSAGE;
    }
    if (worst == THREADS_NOT_MAIN) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cy_dist_attach must be called on the thread that started MPI "
                     "(on %s)", mine == THREADS_NOT_MAIN ? "this process" : "another process");
        return CY_EUSAGE;
    }
    dist_rank = (size_t)rank;
    dist_size = size > 0 ? (size_t)size : 1;
    attached = 1;
    return CY_OK;
#else
    cy_error_add(err, CY_SEV_ERROR, NULL,
                 "chengyu was built without MPI (cmake -DCHENGYU_MPI=ON)");
    return CY_EUSAGE;
#endif
}

size_t cy_dist_rank(void)
{
    return dist_rank;
}

size_t cy_dist_size(void)
{
    return dist_size;
}

size_t cy_dist_exchanges(void)
{
    return exchanges;
}

int cy_i_dist_active(void)
{
    return attached && !broken && dist_size > 1 && !cy_i_par_inside_item() &&
           !cy_i_alloc_injecting();
}

enum { AT_LOOP = 1, AT_EXIT = 2 };

/* What every process says at the start of an exchange. */
typedef struct {
    uint64_t at;        /* AT_LOOP or AT_EXIT */
    uint64_t status;    /* the loop's */
    uint64_t failed_at; /* its lowest failing item (or item count) */
    uint64_t messages;  /* bytes of the packed messages */
    uint64_t data;      /* bytes of the packed results (0 after a failure) */
    uint64_t code;      /* AT_EXIT: the exit code */
    char said[LAST_WORDS]; /* AT_EXIT: its last words ("" for none) */
} header;

/* The headers of all processes, `mine` among them (malloc: the
 * collective must happen even when cy_malloc is being made to fail). */
static header *gather_headers(const header *mine)
{
    header *all = malloc(dist_size * sizeof *all);
    if (!all)
        give_up("out of memory");
    allgather(mine, sizeof *mine, all);
    return all;
}

void cy_dist_last_words(const char *line)
{
    size_t length = line ? strlen(line) : 0;
    if (length >= LAST_WORDS) {
        /* Cut at a character boundary: drop the continuation bytes of the
         * character that does not fit, then its first byte. */
        length = LAST_WORDS - 1;
        while (length > 0 && ((unsigned char)line[length] & 0xC0) == 0x80)
            length--;
    }
    memcpy(last_words, line ? line : "", length);
    last_words[length] = '\0';
}

const char *cy_dist_stop_reason(void)
{
    return heard[0] ? heard : NULL;
}

/* The process whose leaving the others report: the lowest rank that left
 * with the highest exit code and said something, else the lowest that
 * left with it; dist_size when none left. */
static size_t chief_leaver(const header *all)
{
    size_t best = dist_size;
    for (size_t q = 0; q < dist_size; q++) {
        if (all[q].at != AT_EXIT)
            continue;
        if (best == dist_size || all[q].code > all[best].code ||
            (all[q].code == all[best].code && !all[best].said[0] && all[q].said[0]))
            best = q;
    }
    return best;
}

/* all[q]'s last words, NUL-terminated whatever arrived. */
static const char *said_by(header *all, size_t q)
{
    all[q].said[LAST_WORDS - 1] = '\0';
    return all[q].said;
}

int cy_dist_finish(int code)
{
    header *mine, *all;
    size_t chief;
    int result = code;

    if (!attached || broken || dist_size < 2)
        return code;
    /* calloc: no stray bytes go out; malloc, not cy_malloc, as for the
     * headers (the collective must happen). */
    if (!(mine = calloc(1, sizeof *mine)))
        give_up("out of memory");
    mine->at = AT_EXIT;
    mine->code = (uint64_t)(code < 0 ? 1 : code);
    memcpy(mine->said, last_words, sizeof last_words);
    all = gather_headers(mine);
    for (size_t q = 0; q < dist_size; q++) {
        int c = all[q].at == AT_EXIT ? (int)all[q].code : 1;
        if (c > result)
            result = c;
    }
    /* Another process made the run fail where this one did not: what it
     * said is why (process 0 prints it: the others' errors go nowhere). */
    chief = chief_leaver(all);
    if (result > code && chief < dist_size && chief != dist_rank &&
        (int)all[chief].code == result) {
        if (said_by(all, chief)[0])
            snprintf(heard, sizeof heard, "%s", all[chief].said);
        else
            snprintf(heard, sizeof heard, "process %zu of the MPI run exited with status %d",
                     chief, result);
    }
    free(mine);
    free(all);
    broken = 1;
    return result;
}

/* ---- messages ----------------------------------------------------------- */

static void pack_string(cy_i_pack *out, const char *s)
{
    uint32_t length = s ? (uint32_t)strlen(s) + 1 : 0;
    cy_i_pack_put(out, &length, sizeof length);
    cy_i_pack_put(out, s, length);
}

/* A string of the buffer, in place (NULL for none). */
static const char *unpack_string(cy_i_unpack *in)
{
    uint32_t length = 0;
    const char *s;
    cy_i_unpack_get(in, &length, sizeof length);
    if (in->bad || length == 0)
        return NULL;
    if (length > in->size - in->pos || in->at[in->pos + length - 1] != '\0') {
        in->bad = 1;
        return NULL;
    }
    s = (const char *)in->at + in->pos;
    in->pos += length;
    return s;
}

/* e's diagnostics as cy_i_error_move passes them on. */
static void pack_messages(const cy_error *e, cy_i_pack *out)
{
    uint64_t count = e->count, unstored = e->error_count, oom = (uint64_t)e->oom;
    cy_i_pack_put(out, &count, sizeof count);
    for (size_t k = 0; k < e->count; k++) {
        const cy_diag *d = &e->items[k];
        int32_t fields[3] = {(int32_t)d->severity, d->line, d->column};
        unstored -= d->severity == CY_SEV_ERROR;
        cy_i_pack_put(out, fields, sizeof fields);
        pack_string(out, d->path);
        pack_string(out, d->message);
    }
    cy_i_pack_put(out, &unstored, sizeof unstored);
    cy_i_pack_put(out, &oom, sizeof oom);
}

static void unpack_messages(cy_i_unpack *in, cy_error *err)
{
    uint64_t count = 0, unstored = 0, oom = 0;
    cy_i_unpack_get(in, &count, sizeof count);
    for (uint64_t k = 0; k < count && !in->bad; k++) {
        int32_t fields[3];
        const char *path, *message;
        cy_i_unpack_get(in, fields, sizeof fields);
        path = unpack_string(in);
        message = unpack_string(in);
        if (in->bad)
            break;
        if (fields[1] > 0)
            cy_error_add_at(err, (cy_severity)fields[0], fields[1], fields[2], "%s",
                            message ? message : "");
        else
            cy_error_add(err, (cy_severity)fields[0], path, "%s", message ? message : "");
    }
    cy_i_unpack_get(in, &unstored, sizeof unstored);
    cy_i_unpack_get(in, &oom, sizeof oom);
    err->error_count += (size_t)unstored;
    err->oom |= oom != 0;
}

/* ---- one exchange --------------------------------------------------------- */

/* The bytes every process sends: its messages, then (when no process
 * failed) its results.  0 when they do not fit MPI's int counts. */
static int plan_sizes(const header *all, int failing, int *sizes, int *displs)
{
    uint64_t total = 0;
    for (size_t q = 0; q < dist_size; q++) {
        uint64_t bytes = all[q].messages + (failing ? 0 : all[q].data);
        if (bytes > INT32_MAX || total + bytes > INT32_MAX)
            return 0;
        sizes[q] = (int)bytes;
        displs[q] = (int)total;
        total += bytes;
    }
    return 1;
}

/* The failing process with the lowest failing item (ties: lowest rank),
 * or dist_size when none failed. */
static size_t first_failure(const header *all)
{
    size_t best = dist_size;
    for (size_t q = 0; q < dist_size; q++)
        if (all[q].status != CY_OK &&
            (best == dist_size || all[q].failed_at < all[best].failed_at))
            best = q;
    return best;
}

/* A process has left: this loop fails (on every process still in it),
 * with the line that process printed last (its --max-seconds stop, its
 * error), which process 0 then prints as its own, once; a generic line
 * when it said nothing. */
static cy_status someone_left(header *all, cy_error *err)
{
    size_t q = chief_leaver(all);
    const char *said = said_by(all, q);

    broken = 1;
    if (said[0])
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s", said);
    else
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "process %zu of the MPI run stopped (exit status %d) while "
                     "the others computed",
                     q, (int)all[q].code);
    return CY_EINTERNAL;
}

/* Hand every other process's results to `each`, in rank order; then agree
 * on whether every process could take them. */
static cy_status take_results(const header *all, const unsigned char *buf, const int *displs,
                              cy_status (*each)(void *, size_t, cy_i_unpack *, cy_error *),
                              void *ctx, cy_error *err)
{
    cy_status status = CY_OK;
    int worst;

    for (size_t q = 0; q < dist_size && status == CY_OK; q++) {
        cy_i_unpack in = {buf + displs[q] + all[q].messages, (size_t)all[q].data, 0, 0};
        if (q == dist_rank)
            continue;
        status = each(ctx, q, &in, err);
        if (status == CY_OK && (in.bad || in.pos != in.size)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "the results of process %zu of the MPI run are malformed", q);
            status = CY_EINTERNAL;
        }
    }
    worst = allreduce_max((int)status);
    if (worst != CY_OK && status == CY_OK) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "another process of the MPI run could not take the results (%s)",
                     cy_status_string((cy_status)worst));
        status = (cy_status)worst;
    }
    return status;
}

/* The messages (and results) of every process into *buf; 0 when a
 * process could not allocate its share or the sizes do not fit. */
static cy_status share_bytes(const header *all, const unsigned char *mine, size_t mine_size,
                             int failing, unsigned char **buf, int *displs, cy_error *err)
{
    int *sizes = malloc(dist_size * sizeof *sizes);
    int fits = sizes && plan_sizes(all, failing, sizes, displs);
    size_t total = fits ? (size_t)displs[dist_size - 1] + (size_t)sizes[dist_size - 1] : 0;
    int missing;

    *buf = fits ? cy_malloc(total + 1) : NULL;
    missing = allreduce_max(!sizes ? 2 : !fits ? 1 : !*buf ? 2 : 0);
    if (missing == 0)
        allgatherv(mine, (int)mine_size, *buf, sizes, displs);
    free(sizes);
    if (missing == 0)
        return CY_OK;
    if (missing == 1)
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "the results of the MPI run exceed 2 GB per exchange: "
                     "use fewer processes or one");
    else
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return missing == 1 ? CY_EUSAGE : CY_ENOMEM;
}

/* Pack mine_err's messages and the `size` bytes at `data` into one
 * buffer: cy_malloc'd, or when that fails, `spare` (`spare_size` bytes)
 * with the messages only; NULL when those do not fit either. */
static unsigned char *pack_mine(cy_error *mine_err, const void *data, size_t size,
                                size_t *messages, size_t *total, unsigned char *spare,
                                size_t spare_size)
{
    cy_i_pack out = {NULL, 0};
    unsigned char *buf;

    pack_messages(mine_err, &out);
    *messages = out.size;
    *total = out.size + size;
    if (!spare && !(buf = cy_malloc(*total + 1)))
        return NULL;
    if (spare) {
        if (*messages > spare_size)
            return NULL;
        buf = spare;
        *total = *messages;
        data = NULL;
        size = 0;
    }
    out = (cy_i_pack){buf, 0};
    pack_messages(mine_err, &out);
    cy_i_pack_put(&out, data, size);
    return buf;
}

/* cy_i_dist_exchange; `loop`: it counts as a loop spread (not an
 * agreement before a commit). */
static cy_status exchange(const void *mine, size_t size, cy_status status, size_t failed_at,
                          cy_error *mine_err,
                          cy_status (*each)(void *ctx, size_t rank, cy_i_unpack *in,
                                            cy_error *err),
                          void *ctx, int loop, cy_error *err)
{
    header *h = calloc(1, sizeof *h), *all = NULL;
    unsigned char *packed, *buf = NULL, spare[256];
    size_t messages = 0, total = 0, first;
    int *displs = malloc(dist_size * sizeof *displs);

    if (!h || !displs)
        give_up("out of memory");
    h->at = AT_LOOP;
    h->status = (uint64_t)status;
    h->failed_at = failed_at;
    if (status != CY_OK)
        size = 0;
    if (!(packed = pack_mine(mine_err, mine, size, &messages, &total, NULL, 0))) {
        cy_error_clear(mine_err);
        cy_error_add(mine_err, CY_SEV_ERROR, NULL, "out of memory");
        h->status = CY_ENOMEM;
        size = 0;
        packed = pack_mine(mine_err, NULL, 0, &messages, &total, spare, sizeof spare);
    }
    if (!packed)
        give_up("out of memory");
    h->messages = messages;
    h->data = size;
    all = gather_headers(h);
    for (size_t q = 0; q < dist_size; q++)
        if (all[q].at == AT_EXIT) {
            status = someone_left(all, err);
            goto cleanup;
        }
    exchanges += loop != 0;
    first = first_failure(all);
    if (first < dist_size)
        total = messages;
    status = share_bytes(all, packed, total, first < dist_size, &buf, displs, err);
    if (status != CY_OK)
        goto cleanup;
    if (first < dist_size) {
        cy_i_unpack in = {buf + displs[first], (size_t)all[first].messages, 0, 0};
        unpack_messages(&in, err);
        status = (cy_status)all[first].status;
        goto cleanup;
    }
    status = take_results(all, buf, displs, each, ctx, err);
cleanup:
    cy_error_clear(mine_err);
    if (packed != spare)
        cy_free(packed);
    cy_free(buf);
    free(h);
    free(all);
    free(displs);
    return status;
}

cy_status cy_i_dist_exchange(const void *mine, size_t size, cy_status status,
                             size_t failed_at, cy_error *mine_err,
                             cy_status (*each)(void *ctx, size_t rank, cy_i_unpack *in,
                                               cy_error *err),
                             void *ctx, cy_error *err)
{
    return exchange(mine, size, status, failed_at, mine_err, each, ctx, 1, err);
}

/* Nothing to take: the agreement moves no results. */
static cy_status take_nothing(void *ctx, size_t rank, cy_i_unpack *in, cy_error *err)
{
    (void)ctx;
    (void)rank;
    (void)err;
    in->pos = in->size;
    return CY_OK;
}

cy_status cy_i_dist_agree(cy_status status, cy_error *mine_err, cy_error *err)
{
    if (!attached || dist_size < 2) {
        cy_i_error_move(err, mine_err);
        return status;
    }
    if (broken) {
        /* A process left during an earlier loop, which failed: nothing
         * is final any more. */
        cy_error_clear(mine_err);
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "another process of the MPI run has stopped: nothing is written");
        return CY_EINTERNAL;
    }
    return exchange(NULL, 0, status, 0, mine_err, take_nothing, NULL, 0, err);
}

/* ---- a loop spread over the processes ------------------------------------ */

/* This process's share of a loop: items first, first + step, ... */
typedef struct {
    const cy_i_par_job *job;
    size_t first, step;
    pthread_mutex_t lock;
    size_t failed_at; /* the lowest failing item of the share, or count */
} share;

static cy_status share_worker_init(void *ctx, void **state, cy_error *err)
{
    const share *s = ctx;
    return s->job->worker_init(s->job->ctx, state, err);
}

static void share_worker_destroy(void *ctx, void *state)
{
    const share *s = ctx;
    s->job->worker_destroy(s->job->ctx, state);
}

static void share_thread_end(void *ctx)
{
    const share *s = ctx;
    s->job->thread_end(s->job->ctx);
}

/* The loop's conclusion, run by the share's loop before the exchange; it
 * fails with failed_at left at the item count, after every item. */
static cy_status share_after(void *ctx, cy_error *err)
{
    const share *s = ctx;
    return s->job->after(s->job->ctx, err);
}

static cy_status share_item(void *ctx, void *state, size_t i, cy_error *err)
{
    share *s = ctx;
    size_t k = s->first + i * s->step;
    cy_status status = s->job->item(s->job->ctx, state, k, err);
    if (status != CY_OK) {
        pthread_mutex_lock(&s->lock);
        if (k < s->failed_at)
            s->failed_at = k;
        pthread_mutex_unlock(&s->lock);
    }
    return status;
}

/* The share's loop: the job's, over the share's items, not spread. */
static cy_i_par_job share_job(const cy_i_par_job *job, share *s)
{
    cy_i_par_job sub = *job;
    sub.count = job->count > s->first ? (job->count - s->first + s->step - 1) / s->step : 0;
    sub.ctx = s;
    sub.worker_init = job->worker_init ? share_worker_init : NULL;
    sub.worker_destroy = job->worker_destroy ? share_worker_destroy : NULL;
    sub.thread_end = job->thread_end ? share_thread_end : NULL;
    sub.item = share_item;
    sub.after = job->after ? share_after : NULL;
    sub.slots = NULL;
    sub.slot_size = 0;
    sub.pack = NULL;
    sub.unpack = NULL;
    return sub;
}

static void pack_share(const cy_i_par_job *job, size_t first, size_t step, cy_i_pack *out)
{
    if (!job->slot_size) {
        job->pack(job->ctx, first, step, out);
        return;
    }
    for (size_t k = first; k < job->count; k += step)
        cy_i_pack_put(out, (const unsigned char *)job->slots + k * job->slot_size,
                      job->slot_size);
}

static cy_status unpack_share(void *ctx, size_t rank, cy_i_unpack *in, cy_error *err)
{
    const cy_i_par_job *job = ctx;
    if (!job->slot_size)
        return job->unpack(job->ctx, rank, dist_size, in, err);
    for (size_t k = rank; k < job->count; k += dist_size)
        cy_i_unpack_get(in, (unsigned char *)job->slots + k * job->slot_size, job->slot_size);
    return CY_OK;
}

/* This process's results, packed (cy_malloc'd; NULL on OOM). */
static unsigned char *pack_results(const cy_i_par_job *job, size_t *size)
{
    cy_i_pack out = {NULL, 0};
    unsigned char *buf;

    pack_share(job, dist_rank, dist_size, &out);
    *size = out.size;
    if (!(buf = cy_malloc(out.size + 1)))
        return NULL;
    out = (cy_i_pack){buf, 0};
    pack_share(job, dist_rank, dist_size, &out);
    return buf;
}

cy_status cy_i_dist_run(const cy_i_par_job *job, cy_error *err)
{
    share s = {job, dist_rank, dist_size, PTHREAD_MUTEX_INITIALIZER, job->count};
    cy_i_par_job sub = share_job(job, &s);
    unsigned char *results = NULL;
    size_t size = 0;
    cy_error mine;
    cy_status status;

    cy_error_init(&mine);
    status = cy_i_par_run(&sub, &mine);
    if (status == CY_OK && !(results = pack_results(job, &size))) {
        cy_error_add(&mine, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
    }
    status = cy_i_dist_exchange(results, size, status, s.failed_at, &mine, unpack_share,
                                (void *)job, err);
    cy_free(results);
    cy_error_destroy(&mine);
    pthread_mutex_destroy(&s.lock);
    return status;
}
