/*
 * isolate.c - run a rendering job in a child process with limits.
 *
 * Graphviz calls exit() when an allocation fails, can dereference NULL
 * after one, and on big or dense graphs can lay out for hours.  None of
 * that may reach the caller.  So the job runs in a forked child:
 *   - its output goes through a pipe into memory in the parent, and reaches
 *     the caller only when the child exited cleanly;
 *   - its diagnostics go through a second pipe (which is also its stderr,
 *     so stray messages of Graphviz plugins are caught too) as lines
 *     "E<TAB>message" / "W<TAB>message";
 *   - RLIMIT_CPU stops a child spinning on the CPU, RLIMIT_AS bounds its
 *     memory (its current size + the limit: the child shares the parent's
 *     loaded network), RLIMIT_CORE = 0 keeps crashes from dumping core;
 *   - the parent polls with a wall-clock deadline and kills the child with
 *     SIGKILL when it passes.
 * The child leaves with _exit(), so neither stdio buffers inherited from the
 * parent nor atexit handlers (a sanitizer's leak check) run twice.
 */
#include "render_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define CY_R_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CY_R_ASAN 1
#endif
#endif

/* Exit status of a child whose job failed: CHILD_FAILED + cy_status. */
#define CHILD_FAILED 10
/* The most output a job may produce. */
#define OUTPUT_LIMIT ((size_t)1 << 30)

static cy_status oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    return CY_ENOMEM;
}

/* In-process: the job writes into a memory stream. */
static cy_status run_inline(cy_r_job_fn job, void *ctx, char **data, size_t *size,
                            cy_error *err)
{
    char *buffer = NULL;
    size_t length = 0;
    FILE *stream = open_memstream(&buffer, &length);
    cy_status status;
    int failed;

    if (!stream)
        return oom(err);
    status = job(ctx, stream, err);
    failed = ferror(stream);
    if (fclose(stream) != 0 || failed) {
        if (status == CY_OK)
            status = oom(err);
    }
    if (status == CY_OK) {
        *data = cy_malloc(length + 1);
        if (!*data) {
            status = oom(err);
        } else {
            memcpy(*data, buffer, length);
            (*data)[length] = '\0';
            *size = length;
        }
    }
    free(buffer); /* open_memstream's buffer comes from the C library */
    return status;
}

/* Send the child's diagnostics to the parent, one line each, through
 * stderr (the diagnostics pipe; unbuffered). */
static void send_diagnostics(const cy_error *err)
{
    for (size_t i = 0; i < err->count; i++) {
        const cy_diag *d = &err->items[i];
        fputs(d->severity == CY_SEV_ERROR ? "E\t" : "W\t", stderr);
        for (const char *p = d->message; p && *p; p++)
            fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
        fputc('\n', stderr);
    }
    if (err->oom)
        fputs("E\tout of memory\n", stderr);
    fflush(stderr);
}

#ifndef CY_R_ASAN
/* Bytes of address space the process uses now (0 if unknown). */
static size_t current_vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%lu", &pages) != 1)
        pages = 0;
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}
#endif

static void child_limits(const cy_r_limits *limits)
{
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);
    if (limits->timeout_seconds > 0) {
        rl.rlim_cur = (rlim_t)ceil(limits->timeout_seconds) + 1;
        rl.rlim_max = rl.rlim_cur + 1;
        setrlimit(RLIMIT_CPU, &rl);
    }
#ifndef CY_R_ASAN
    if (limits->memory_limit_mb > 0) {
        size_t extra = limits->memory_limit_mb;
        if (extra > SIZE_MAX / 2 / ((size_t)1 << 20))
            extra = SIZE_MAX / 2 / ((size_t)1 << 20);
        rl.rlim_cur = rl.rlim_max = (rlim_t)(current_vm_bytes() + (extra << 20));
        setrlimit(RLIMIT_AS, &rl);
    }
#endif
}

static void run_child(cy_r_job_fn job, void *ctx, const cy_r_limits *limits,
                      int out_fd, int err_fd)
{
    cy_error err;
    cy_status status;
    FILE *out;

    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    if (err_fd != 2) {
        dup2(err_fd, 2);
        close(err_fd);
    }
    child_limits(limits);
    cy_error_init(&err);
    out = fdopen(out_fd, "w");
    if (!out) {
        cy_error_add(&err, CY_SEV_ERROR, NULL, "cannot open the output pipe: %s",
                     strerror(errno));
        status = CY_EIO;
    } else {
        status = job(ctx, out, &err);
        if ((fflush(out) != 0 || ferror(out)) && status == CY_OK) {
            cy_error_add(&err, CY_SEV_ERROR, NULL, "cannot write the output: %s",
                         strerror(errno));
            status = CY_EIO;
        }
        fclose(out);
    }
    send_diagnostics(&err);
    /* The exit status once more, in case the parent cannot wait for it
     * (SIGCHLD ignored: children are reaped by the kernel). */
    fprintf(stderr, "S\t%d\n", (int)status);
    fflush(stderr);
    _exit(status == CY_OK ? 0 : CHILD_FAILED + (int)status);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Append what is readable on fd; returns 0 at end of file, 1 when more may
 * come, -1 on error, -2 when over the output limit or out of memory. */
static int drain(int fd, char **buffer, size_t *length, size_t *cap)
{
    char chunk[65536];
    ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0)
        return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (got == 0)
        return 0;
    if (*length + (size_t)got + 1 > OUTPUT_LIMIT ||
        !cy_i_grow((void **)buffer, cap, *length + (size_t)got + 1, 1))
        return -2;
    memcpy(*buffer + *length, chunk, (size_t)got);
    *length += (size_t)got;
    (*buffer)[*length] = '\0';
    return 1;
}

/* How the child ended: exited with `code`, or killed by `signal`. */
typedef struct {
    int exited, code, signal;
} child_ending;

/*
 * Reap the child.  If the caller ignores SIGCHLD the kernel reaps it and
 * waitpid fails: then the "S<TAB>status" line the child writes last tells
 * how it ended, and without that line it crashed.
 */
static void child_end(pid_t pid, const char *diagnostics, child_ending *end)
{
    int wstatus = 0;
    pid_t waited;
    memset(end, 0, sizeof *end);
    while ((waited = waitpid(pid, &wstatus, 0)) < 0 && errno == EINTR)
        ;
    if (waited == pid) {
        if (WIFEXITED(wstatus)) {
            end->exited = 1;
            end->code = WEXITSTATUS(wstatus);
        } else if (WIFSIGNALED(wstatus)) {
            end->signal = WTERMSIG(wstatus);
        }
        return;
    }
    for (const char *line = diagnostics; line && *line;) {
        if (line[0] == 'S' && line[1] == '\t') {
            int status = atoi(line + 2);
            end->exited = 1;
            end->code = status == 0 ? 0 : CHILD_FAILED + status;
            return;
        }
        if ((line = strchr(line, '\n')))
            line++;
    }
}

/* Turn the child's diagnostic lines into diagnostics; lines without a tag
 * are Graphviz talking to stderr directly. */
static void collect_diagnostics(const char *text, cy_error *err, int failed)
{
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        if (len >= 2 && text[0] == 'S' && text[1] == '\t')
            ; /* the status line, read by child_end */
        else if (len >= 2 && (text[0] == 'E' || text[0] == 'W') && text[1] == '\t')
            cy_error_add(err, text[0] == 'E' ? CY_SEV_ERROR : CY_SEV_WARNING, NULL,
                         "%.*s", (int)(len - 2), text + 2);
        else if (len > 0)
            cy_r_graphviz_line(err, failed ? CY_SEV_ERROR : CY_SEV_WARNING, text, len);
        text += len + (end ? 1 : 0);
    }
}

cy_status cy_r_run(cy_r_job_fn job, void *ctx, const cy_r_limits *limits,
                   char **data, size_t *size, cy_error *err)
{
    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    char *out_buf = NULL, *err_buf = NULL;
    size_t out_len = 0, out_cap = 0, err_len = 0, err_cap = 0;
    int out_open = 1, err_open = 1, timed_out = 0, too_big = 0;
    child_ending end;
    double deadline = 0;
    cy_status status = CY_EINTERNAL;
    pid_t pid;

    *data = NULL;
    *size = 0;
    if (!limits->isolate)
        return run_inline(job, ctx, data, size, err);
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot create a pipe: %s",
                     limits->what, strerror(errno));
        goto cleanup;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    pid = fork();
    if (pid < 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot start a child process: %s",
                     limits->what, strerror(errno));
        goto cleanup;
    }
    if (pid == 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        run_child(job, ctx, limits, out_pipe[1], err_pipe[1]);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    out_pipe[1] = err_pipe[1] = -1;
    if (limits->timeout_seconds > 0)
        deadline = now_seconds() + limits->timeout_seconds;

    while (out_open || err_open) {
        struct pollfd fds[2];
        int nfds = 0, wait_ms = -1, ready;
        if (out_open) {
            fds[nfds].fd = out_pipe[0];
            fds[nfds++].events = POLLIN;
        }
        if (err_open) {
            fds[nfds].fd = err_pipe[0];
            fds[nfds++].events = POLLIN;
        }
        if (deadline > 0) {
            double left = deadline - now_seconds();
            if (left <= 0) {
                timed_out = 1;
                break;
            }
            wait_ms = (int)(left * 1000) + 1;
        }
        ready = poll(fds, (nfds_t)nfds, wait_ms);
        if (ready < 0 && errno != EINTR) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "%s: poll failed: %s",
                         limits->what, strerror(errno));
            kill(pid, SIGKILL);
            break;
        }
        for (int k = 0; ready > 0 && k < nfds; k++) {
            int is_out = fds[k].fd == out_pipe[0], r;
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            r = is_out ? drain(out_pipe[0], &out_buf, &out_len, &out_cap)
                       : drain(err_pipe[0], &err_buf, &err_len, &err_cap);
            if (r == -2) {
                too_big = 1;
                kill(pid, SIGKILL);
            }
            if (r <= 0) {
                if (is_out)
                    out_open = 0;
                else
                    err_open = 0;
            }
        }
        if (too_big)
            break;
    }
    if (timed_out)
        kill(pid, SIGKILL);
    child_end(pid, err_buf, &end);

    if (timed_out) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: did not finish within %g s (--timeout); %s", limits->what,
                     limits->timeout_seconds,
                     limits->hint ? limits->hint : "raise --timeout");
        collect_diagnostics(err_buf, err, 1);
        goto cleanup;
    }
    if (too_big) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: the output exceeds %zu MB or "
                     "memory ran out", limits->what, OUTPUT_LIMIT >> 20);
        goto cleanup;
    }
    if (end.exited && end.code == 0) {
        collect_diagnostics(err_buf, err, 0);
        if (!out_buf && !(out_buf = cy_calloc(1, 1))) {
            status = oom(err);
            goto cleanup;
        }
        *data = out_buf;
        *size = out_len;
        out_buf = NULL;
        status = CY_OK;
        goto cleanup;
    }
    collect_diagnostics(err_buf, err, 1);
    if (end.exited && end.code > CHILD_FAILED && end.code <= CHILD_FAILED + CY_EINTERNAL) {
        status = (cy_status)(end.code - CHILD_FAILED);
        if (err->error_count == 0)
            cy_error_add(err, CY_SEV_ERROR, NULL, "%s failed: %s", limits->what,
                         cy_status_string(status));
    } else if (end.exited) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: Graphviz gave up (exit status %d)%s", limits->what, end.code,
                     limits->memory_limit_mb ? "; it may have run out of memory "
                                               "(see --memory-limit)" : "");
    } else if (end.signal == SIGXCPU) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: used more than %g s of CPU time (--timeout); draw a "
                     "smaller view or raise --timeout", limits->what,
                     ceil(limits->timeout_seconds) + 1);
    } else if (end.signal) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: the layout process died of signal %d (%s)%s", limits->what,
                     end.signal, strsignal(end.signal),
                     limits->memory_limit_mb ? "; it may have run out of memory "
                                               "(see --memory-limit)" : "");
    } else {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: the layout process ended without saying how", limits->what);
    }
cleanup:
    for (int k = 0; k < 2; k++) {
        if (out_pipe[k] >= 0)
            close(out_pipe[k]);
        if (err_pipe[k] >= 0)
            close(err_pipe[k]);
    }
    cy_free(out_buf);
    cy_free(err_buf);
    return status;
}

cy_status cy_r_run_into(cy_r_job_fn job, void *ctx, const cy_render_options *options,
                        const char *what, const char *hint, FILE *out, cy_error *err)
{
    cy_r_limits limits;
    char *data = NULL;
    size_t size = 0;
    cy_status status;

    if (!(options->timeout_seconds >= 0)) { /* also NaN */
        cy_error_add(err, CY_SEV_ERROR, NULL, "--timeout must be 0 (none) or positive");
        return CY_EUSAGE;
    }
    limits.isolate = options->isolate;
    limits.timeout_seconds = options->timeout_seconds;
    limits.memory_limit_mb = options->memory_limit_mb;
    limits.what = what;
    limits.hint = hint;
    status = cy_r_run(job, ctx, &limits, &data, &size, err);
    if (status == CY_OK && (fwrite(data, 1, size, out) != size || fflush(out) != 0)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: writing the output failed", what);
        status = CY_EIO;
    }
    cy_free(data);
    return status;
}
