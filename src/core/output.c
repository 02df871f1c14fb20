/*
 * output.c - atomic output files.
 *
 * What a command writes to a file goes first to memory and, once it
 * outgrows OUTPUT_SPILL_BYTES, to a temporary file in the target's
 * directory; at commit the temporary file is fsynced and renamed over the
 * target.  So a failed or interrupted run never leaves a half-written file
 * and never clobbers an earlier one, a small output touches the disk only
 * at commit, and a large one (the national weak-links report is 430 MB)
 * is not held in memory twice over.  The temporary file is removed on any
 * failure, on abort and on SIGINT/SIGTERM/SIGHUP.
 */
/* fopencookie: glibc and musl both have it; the stream it gives is what
 * lets the output move from memory to the temporary file mid-write. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* Output up to this size stays in memory until the commit. */
#define OUTPUT_SPILL_BYTES ((size_t)4 << 20)
/* stdio's buffer in front of output_write: large writes, few syscalls. */
#define OUTPUT_STDIO_BYTES ((size_t)1 << 18)
/* Past the spill, what the writer thread gets at a time. */
#define OUTPUT_CHUNK_BYTES ((size_t)4 << 20)
/*
 * The most one write(2) call is given: on a virtual machine that hands
 * free memory back to its host, calls of 512 KiB or more can be served
 * from memory the host must fault back in, and were many times slower in
 * some memory states (measurements in bench/README.md, "Writing large
 * files").
 */
#define OUTPUT_WRITE_BYTES ((size_t)128 << 10)

struct cy_output {
    char *path;
    char *dir;          /* the directory of path: where the temporary goes */
    char *buffer;       /* output not yet in the temporary file (cy_malloc) */
    size_t size;
    size_t capacity;
    char *stdio_buffer; /* the stream's buffer (cy_malloc) */
    FILE *stream;       /* fopencookie stream over output_write */
    /* The target is a character device or FIFO (/dev/null, /dev/stdout, a
     * named pipe): kept in memory and written straight through at commit,
     * since renaming a file over it would replace the device node itself. */
    int direct;
    int fd;             /* the temporary file, -1 until it is created */
    char *tmp;          /* its name */
    int slot;           /* its slot in pending_paths, -1 if none */
    int aborting;       /* cy_output_abort: writes are dropped */
    int write_errno;    /* the first failure in output_write, 0 if none */
    int create_failed;  /* ... and it was creating the temporary file */
    /*
     * Once spilled, output is copied into `fill` and each full chunk is
     * handed to a writer thread, so that write(2) (on the national
     * weak-links report, copying 430 MB into the page cache: a tenth of
     * the run) overlaps the formatting of what follows.  It is the
     * library's only second thread, and it only calls write(2): it never
     * allocates and touches only fd, its chunk and the fields under the
     * lock.  Without the thread (pthread_create failed) the chunks are
     * written in place.
     */
    char *fill;           /* the chunk being filled, OUTPUT_CHUNK_BYTES */
    size_t fill_used;
    char *in_flight;      /* the other chunk: the writer's while job_pending */
    int writer_started;
    pthread_t writer;
    pthread_mutex_t lock; /* guards in_flight and the four fields below */
    pthread_cond_t changed;
    size_t job_size;      /* bytes of in_flight to write */
    int job_pending;
    int quit;
    int writer_errno;     /* the writer's first failure, 0 if none */
};

/* Temporary files that a fatal signal must remove.  Paths are fixed-size so
 * the handler reads them without taking locks or allocating. */
#define PENDING_MAX 8
#define PENDING_PATH 4096
static char pending_paths[PENDING_MAX][PENDING_PATH];
static volatile sig_atomic_t pending_used[PENDING_MAX];
static int handlers_installed;

static void remove_pending_and_die(int sig)
{
    for (int k = 0; k < PENDING_MAX; k++) {
        if (pending_used[k])
            unlink(pending_paths[k]); /* async-signal-safe */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old;
    if (handlers_installed)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof signals / sizeof signals[0]; k++) {
        /* A signal the caller ignores (nohup, a background job) must stay
         * ignored: catching it would make the process die of it. */
        if (sigaction(signals[k], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(signals[k], &sa, NULL);
    }
    handlers_installed = 1;
}

static int pending_add(const char *path)
{
    if (strlen(path) >= PENDING_PATH)
        return -1;
    for (int k = 0; k < PENDING_MAX; k++) {
        if (!pending_used[k]) {
            memcpy(pending_paths[k], path, strlen(path) + 1);
            pending_used[k] = 1;
            return k;
        }
    }
    return -1;
}

static void pending_remove(int slot)
{
    if (slot >= 0)
        pending_used[slot] = 0;
}

static ssize_t output_write(void *cookie, const char *data, size_t size);

/* The directory part of `path` ("." when it has none), from cy_malloc. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return cy_strdup(".");
    if (slash == path)
        return cy_strdup("/");
    return cy_strndup(path, (size_t)(slash - path));
}

cy_status cy_output_open(const char *path, const char *input_path,
                         cy_output **out, cy_error *err)
{
    struct stat st, in_st, dir_st;
    cy_output *output = NULL;
    char *dir = NULL;
    cy_status status = CY_EIO;
    int exists, direct;

    *out = NULL;
    if (!path || !*path) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "empty output file name");
        return CY_EUSAGE;
    }
    exists = stat(path, &st) == 0;
    if (path[strlen(path) - 1] == '/' || (exists && S_ISDIR(st.st_mode))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': is a directory",
                     path);
        return CY_EIO;
    }
    if (exists && input_path && stat(input_path, &in_st) == 0 &&
        st.st_dev == in_st.st_dev && st.st_ino == in_st.st_ino) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': it is the input file", path);
        return CY_EIO;
    }
    /* Renaming over /dev/null or /dev/stdout would replace the node
     * itself (as root, for every process): devices and FIFOs are streams,
     * written straight through.  Block devices and sockets are refused. */
    direct = exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
    if (exists && !S_ISREG(st.st_mode) && !direct) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': it is %s, not a regular file", path,
                     S_ISBLK(st.st_mode) ? "a block device"
                     : S_ISSOCK(st.st_mode) ? "a socket" : "a special file");
        return CY_EIO;
    }
    if (!direct) {
        if (!(dir = dir_of(path)))
            goto oom;
        if (stat(dir, &dir_st) != 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "cannot write '%s': directory '%s' does not exist",
                         path, dir);
            goto cleanup;
        }
        if (!S_ISDIR(dir_st.st_mode)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "cannot write '%s': '%s' is not a directory", path, dir);
            goto cleanup;
        }
        if (access(dir, W_OK) != 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "cannot write '%s': directory '%s' is not writable (%s)",
                         path, dir, strerror(errno));
            goto cleanup;
        }
    }
    if (!(output = cy_calloc(1, sizeof *output)))
        goto oom;
    output->fd = -1;
    output->slot = -1;
    output->direct = direct;
    if (!(output->path = cy_strdup(path)) ||
        !(output->stdio_buffer = cy_malloc(OUTPUT_STDIO_BYTES)))
        goto oom;
    output->dir = dir;
    dir = NULL;
    {
        cookie_io_functions_t io = {NULL, output_write, NULL, NULL};
        output->stream = fopencookie(output, "w", io);
    }
    if (!output->stream ||
        setvbuf(output->stream, output->stdio_buffer, _IOFBF,
                OUTPUT_STDIO_BYTES) != 0)
        goto oom;
    *out = output;
    output = NULL;
    status = CY_OK;
    goto cleanup;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    status = CY_ENOMEM;
cleanup:
    if (output)
        cy_output_abort(output);
    cy_free(dir);
    return status;
}

FILE *cy_output_stream(cy_output *output)
{
    return output->stream;
}

/* write(2) until everything is out, riding over EINTR and short writes,
 * at most OUTPUT_WRITE_BYTES a call. */
static int write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t done = write(fd, data,
                             size < OUTPUT_WRITE_BYTES ? size : OUTPUT_WRITE_BYTES);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += done;
        size -= (size_t)done;
    }
    return 0;
}

/* The mode a newly created file gets: 0666 less the umask, or the mode of
 * the file being replaced. */
static mode_t target_mode(const char *path)
{
    struct stat st;
    mode_t mask;
    if (stat(path, &st) == 0)
        return st.st_mode & 07777;
    mask = umask(022);
    umask(mask);
    return 0666 & ~mask;
}

/*
 * Create the temporary file ".BASE.XXXXXX" next to the target, with the
 * target's mode, and register it for the signal handler.  Returns 0; -2 if
 * its name could not be allocated; -1 with errno set if the system refused
 * (output->fd < 0: creating it, with nothing left on disk; else setting
 * its mode, and output_free removes it).
 */
static int create_temporary(cy_output *output)
{
    const char *base = strrchr(output->path, '/');
    size_t tmp_len;
    sigset_t block, saved;
    int saved_errno;

    base = base ? base + 1 : output->path;
    tmp_len = strlen(output->dir) + strlen(base) + 16;
    if (!(output->tmp = cy_malloc(tmp_len)))
        return -2;
    snprintf(output->tmp, tmp_len, "%s/.%s.XXXXXX", output->dir, base);
    install_handlers();
    /* Block the fatal signals while the file is created and registered, so
     * that the handler always knows about it. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &saved);
    output->fd = mkstemp(output->tmp);
    saved_errno = errno;
    if (output->fd >= 0)
        output->slot = pending_add(output->tmp);
    sigprocmask(SIG_SETMASK, &saved, NULL);
    if (output->fd < 0) {
        cy_free(output->tmp);
        output->tmp = NULL;
        errno = saved_errno;
        return -1;
    }
    if (fchmod(output->fd, target_mode(output->path)) != 0)
        return -1; /* the caller removes the file */
    return 0;
}

/* The writer thread: writes each chunk handed over, until told to quit. */
static void *writer_main(void *arg)
{
    cy_output *output = arg;

    pthread_mutex_lock(&output->lock);
    for (;;) {
        if (output->job_pending) {
            const char *data = output->in_flight;
            size_t size = output->job_size;
            int failed = output->writer_errno;
            pthread_mutex_unlock(&output->lock);
            /* After a failure the rest is dropped: the commit reports it. */
            if (!failed && write_all(output->fd, data, size) != 0)
                failed = errno;
            pthread_mutex_lock(&output->lock);
            output->writer_errno = failed;
            output->job_pending = 0;
            pthread_cond_broadcast(&output->changed);
        } else if (output->quit) {
            break;
        } else {
            pthread_cond_wait(&output->changed, &output->lock);
        }
    }
    pthread_mutex_unlock(&output->lock);
    return NULL;
}

/*
 * Start the writer thread with the two chunks.  Returns 0, or -1 if the
 * chunks cannot be allocated.  A thread that cannot be started is not a
 * failure: the chunks are then written in place.
 */
static int writer_start(cy_output *output)
{
    sigset_t block, saved;

    if (!(output->fill = cy_malloc(OUTPUT_CHUNK_BYTES)) ||
        !(output->in_flight = cy_malloc(OUTPUT_CHUNK_BYTES)))
        return -1;
    if (pthread_mutex_init(&output->lock, NULL) != 0)
        return 0;
    if (pthread_cond_init(&output->changed, NULL) != 0) {
        pthread_mutex_destroy(&output->lock);
        return 0;
    }
    /* The fatal signals go to the main thread, which owns the cleanup. */
    sigfillset(&block);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    output->writer_started =
        pthread_create(&output->writer, NULL, writer_main, output) == 0;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (!output->writer_started) {
        pthread_cond_destroy(&output->changed);
        pthread_mutex_destroy(&output->lock);
    }
    return 0;
}

/*
 * Hand the filled chunk to the writer (once it is done with the previous
 * one) and take the other to fill.  Returns 0, or -1 with errno set if a
 * write has failed.
 */
static int writer_submit(cy_output *output)
{
    char *done;
    int failed;

    if (!output->fill_used)
        return 0;
    if (!output->writer_started) {
        if (write_all(output->fd, output->fill, output->fill_used) != 0)
            return -1;
        output->fill_used = 0;
        return 0;
    }
    pthread_mutex_lock(&output->lock);
    while (output->job_pending)
        pthread_cond_wait(&output->changed, &output->lock);
    failed = output->writer_errno;
    if (!failed) {
        done = output->in_flight;
        output->in_flight = output->fill;
        output->fill = done;
        output->job_size = output->fill_used;
        output->job_pending = 1;
        pthread_cond_broadcast(&output->changed);
    }
    pthread_mutex_unlock(&output->lock);
    output->fill_used = 0;
    if (failed) {
        errno = failed;
        return -1;
    }
    return 0;
}

/*
 * Stop the writer after the chunks handed over (flush: the partly filled
 * one too) are written, and wait for it.  Returns 0, or -1 with errno set
 * if a write failed.
 */
static int writer_stop(cy_output *output, int flush)
{
    int failed = 0;

    if (flush && writer_submit(output) != 0)
        failed = errno;
    if (output->writer_started) {
        pthread_mutex_lock(&output->lock);
        output->quit = 1;
        pthread_cond_broadcast(&output->changed);
        pthread_mutex_unlock(&output->lock);
        pthread_join(output->writer, NULL);
        output->writer_started = 0;
        pthread_cond_destroy(&output->changed);
        pthread_mutex_destroy(&output->lock);
        if (!failed)
            failed = output->writer_errno;
    }
    if (failed) {
        errno = failed;
        return -1;
    }
    return 0;
}

/* Copy output into the chunks, handing each full one over. */
static int writer_append(cy_output *output, const char *data, size_t size)
{
    while (size > 0) {
        size_t room = OUTPUT_CHUNK_BYTES - output->fill_used;
        size_t part = size < room ? size : room;
        memcpy(output->fill + output->fill_used, data, part);
        output->fill_used += part;
        data += part;
        size -= part;
        if (output->fill_used == OUTPUT_CHUNK_BYTES && writer_submit(output) != 0)
            return -1;
    }
    return 0;
}

/*
 * The stream's write function.  Output stays in memory up to
 * OUTPUT_SPILL_BYTES (without limit for a device or FIFO target, which
 * must not see a failed run's output); past that the temporary file is
 * created, the writer thread started, and the memory and everything after
 * it go through the chunks to the file.  A failure is remembered for
 * cy_output_commit and makes every later write fail too, so the stream's
 * error flag stays set.
 */
static ssize_t output_write(void *cookie, const char *data, size_t size)
{
    cy_output *output = cookie;

    if (output->aborting)
        return (ssize_t)size;
    if (output->write_errno) {
        errno = output->write_errno;
        return -1;
    }
    if (output->fd < 0 &&
        (output->direct || size <= OUTPUT_SPILL_BYTES - output->size)) {
        if (!cy_i_grow((void **)&output->buffer, &output->capacity,
                       output->size + size, 1)) {
            output->write_errno = ENOMEM;
            errno = ENOMEM;
            return -1;
        }
        memcpy(output->buffer + output->size, data, size);
        output->size += size;
        return (ssize_t)size;
    }
    if (output->fd < 0) {
        int created = create_temporary(output);
        if (created != 0) {
            output->create_failed = created == -1 && output->fd < 0;
            output->write_errno = created == -2 ? ENOMEM : errno;
            errno = output->write_errno;
            return -1;
        }
        if (writer_start(output) != 0) {
            output->write_errno = ENOMEM;
            errno = ENOMEM;
            return -1;
        }
        if (writer_append(output, output->buffer, output->size) != 0) {
            output->write_errno = errno;
            return -1;
        }
        cy_free(output->buffer);
        output->buffer = NULL;
        output->size = output->capacity = 0;
    }
    if (writer_append(output, data, size) != 0) {
        output->write_errno = errno;
        return -1;
    }
    return (ssize_t)size;
}

/* Stop the writer, close the temporary file, remove it if it is still
 * there, free it all. */
static void output_free(cy_output *output)
{
    writer_stop(output, 0);
    if (output->fd >= 0)
        close(output->fd);
    if (output->tmp)
        unlink(output->tmp);
    pending_remove(output->slot);
    cy_free(output->tmp);
    cy_free(output->buffer);
    cy_free(output->fill);
    cy_free(output->in_flight);
    cy_free(output->stdio_buffer);
    cy_free(output->dir);
    cy_free(output->path);
    cy_free(output);
}

void cy_output_abort(cy_output *output)
{
    if (!output)
        return;
    if (output->stream) {
        /* What stdio still holds is dropped, not spilled to disk. */
        output->aborting = 1;
        fclose(output->stream);
    }
    output_free(output);
}

/* Write the collected output straight to a device or FIFO target. */
static cy_status write_direct(const cy_output *output, cy_error *err)
{
    int fd = open(output->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || write_all(fd, output->buffer, output->size) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                     output->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return CY_EIO;
    }
    if (close(fd) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                     output->path, strerror(errno));
        return CY_EIO;
    }
    return CY_OK;
}

/* Report the failure output_write remembered (or stdio's own). */
static cy_status report_write_failure(const cy_output *output, cy_error *err)
{
    if (output->create_failed) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot create a temporary file in '%s': %s", output->dir,
                     strerror(output->write_errno));
        return CY_EIO;
    }
    if (output->write_errno == ENOMEM || output->write_errno == 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': out of memory",
                     output->path);
        return CY_ENOMEM;
    }
    cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s", output->path,
                 strerror(output->write_errno));
    return CY_EIO;
}

cy_status cy_output_commit(cy_output *output, cy_error *err)
{
    cy_status status = CY_EIO;
    int stream_failed;

    stream_failed = ferror(output->stream);
    /* fclose flushes the rest through output_write. */
    if (fclose(output->stream) != 0 || stream_failed) {
        output->stream = NULL;
        status = report_write_failure(output, err);
        goto cleanup;
    }
    output->stream = NULL;
    if (output->direct) {
        status = write_direct(output, err);
        goto cleanup;
    }
    if (output->fd >= 0 && writer_stop(output, 1) != 0)
        goto write_failed;
    if (output->fd < 0) {
        int created = create_temporary(output);
        if (created == -2) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
            status = CY_ENOMEM;
            goto cleanup;
        }
        if (created != 0) {
            if (output->fd < 0) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "cannot create a temporary file in '%s': %s",
                             output->dir, strerror(errno));
                goto cleanup;
            }
            goto write_failed;
        }
        if (write_all(output->fd, output->buffer, output->size) != 0)
            goto write_failed;
    }
    if (fsync(output->fd) != 0)
        goto write_failed;
    if (close(output->fd) != 0) {
        output->fd = -1;
        goto write_failed;
    }
    output->fd = -1;
    if (rename(output->tmp, output->path) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot rename '%s' to '%s': %s",
                     output->tmp, output->path, strerror(errno));
        goto cleanup;
    }
    /* Renamed: nothing for output_free to remove. */
    cy_free(output->tmp);
    output->tmp = NULL;
    /* Make the rename itself durable. */
    {
        int dfd = open(output->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    status = CY_OK;
    goto cleanup;
write_failed:
    cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s", output->path,
                 strerror(errno));
cleanup:
    output_free(output);
    return status;
}
