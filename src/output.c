/*
 * output.c - atomic output files.
 *
 * Everything a command writes to a file is first collected in memory
 * (open_memstream), then written in one go to a temporary file in the
 * target's directory, fsynced and renamed over the target.  So a failed or
 * interrupted run never leaves a half-written file and never clobbers an
 * earlier one; the temporary file exists only during cy_output_commit and
 * is removed on any failure and on SIGINT/SIGTERM/SIGHUP.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cy_output {
    char *path;
    char *buffer;
    size_t size;
    FILE *stream;
    /* The target is a character device or FIFO (/dev/null, /dev/stdout, a
     * named pipe): written straight through, since renaming a file over
     * it would replace the device node itself. */
    int direct;
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
    if (!(output = cy_calloc(1, sizeof *output)) ||
        !(output->path = cy_strdup(path)))
        goto oom;
    output->direct = direct;
    output->stream = open_memstream(&output->buffer, &output->size);
    if (!output->stream)
        goto oom;
    *out = output;
    output = NULL;
    status = CY_OK;
    goto cleanup;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    status = CY_ENOMEM;
cleanup:
    if (output) {
        cy_free(output->path);
        cy_free(output);
    }
    cy_free(dir);
    return status;
}

FILE *cy_output_stream(cy_output *output)
{
    return output->stream;
}

static void output_free(cy_output *output)
{
    /* open_memstream's buffer comes from the C library's malloc. */
    free(output->buffer);
    cy_free(output->path);
    cy_free(output);
}

void cy_output_abort(cy_output *output)
{
    if (!output)
        return;
    if (output->stream)
        fclose(output->stream);
    output_free(output);
}

/* write(2) until everything is out, riding over EINTR and short writes. */
static int write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t done = write(fd, data, size);
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

cy_status cy_output_commit(cy_output *output, cy_error *err)
{
    char *dir = NULL, *tmp = NULL;
    const char *base;
    int fd = -1, slot = -1, created = 0, stream_failed;
    cy_status status = CY_EIO;
    size_t tmp_len;

    stream_failed = ferror(output->stream);
    if (fclose(output->stream) != 0 || stream_failed) {
        output->stream = NULL;
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': out of memory",
                     output->path);
        status = CY_ENOMEM;
        goto cleanup;
    }
    output->stream = NULL;
    if (output->direct) {
        status = write_direct(output, err);
        goto cleanup;
    }

    base = strrchr(output->path, '/');
    base = base ? base + 1 : output->path;
    if (!(dir = dir_of(output->path)))
        goto oom;
    tmp_len = strlen(dir) + strlen(base) + 16;
    if (!(tmp = cy_malloc(tmp_len)))
        goto oom;
    snprintf(tmp, tmp_len, "%s/.%s.XXXXXX", dir, base);

    install_handlers();
    {
        /* Block the fatal signals while the temporary file is created and
         * registered, so that the handler always knows about it. */
        sigset_t block, saved;
        sigemptyset(&block);
        sigaddset(&block, SIGINT);
        sigaddset(&block, SIGTERM);
        sigaddset(&block, SIGHUP);
        sigprocmask(SIG_BLOCK, &block, &saved);
        fd = mkstemp(tmp);
        if (fd >= 0) {
            created = 1;
            slot = pending_add(tmp);
        }
        sigprocmask(SIG_SETMASK, &saved, NULL);
    }
    if (fd < 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot create a temporary file in '%s': %s", dir,
                     strerror(errno));
        goto cleanup;
    }
    if (fchmod(fd, target_mode(output->path)) != 0 ||
        write_all(fd, output->buffer, output->size) != 0 || fsync(fd) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                     output->path, strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                     output->path, strerror(errno));
        goto cleanup;
    }
    fd = -1;
    if (rename(tmp, output->path) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot rename '%s' to '%s': %s",
                     tmp, output->path, strerror(errno));
        goto cleanup;
    }
    created = 0;
    /* Make the rename itself durable. */
    {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
    }
    status = CY_OK;
    goto cleanup;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    status = CY_ENOMEM;
cleanup:
    if (fd >= 0)
        close(fd);
    if (created)
        unlink(tmp);
    pending_remove(slot);
    cy_free(tmp);
    cy_free(dir);
    output_free(output);
    return status;
}
