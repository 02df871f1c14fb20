/*
 * output.c - atomic output files.
 *
 * What a command writes to a file goes first to memory and, once it
 * outgrows OUTPUT_SPILL_BYTES, to a temporary file in the target's
 * directory; at commit the temporary file is fsynced and renamed over the
 * target.  So a failed or interrupted run never leaves a half-written file
 * and never clobbers an earlier one, a small output touches the disk only
 * at commit, and a large one (the national weak-links report is 430 MB)
 * is not held in memory twice over.
 *
 * The temporary file is made with O_TMPFILE where the file system has it:
 * it has no name until the commit links it into the directory (with the
 * catchable signals blocked) and renames it over the target, so no signal,
 * not even SIGKILL, can leave it behind while it is written.  Elsewhere it
 * is a named ".NAME.XXXXXX", removed on any failure, on abort and by the
 * handler of every signal whose default action ends the process.
 *
 * What the path names is decided once, at open, by following its symbolic
 * links one by one: a descriptor of this process (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N, or a link to one) is written to that descriptor; a
 * character device or FIFO is opened and written at commit; a regular file,
 * or a link to one, is replaced in the directory of the file the link
 * finally names (the link itself stays); block devices, sockets and
 * descriptors of other processes are refused.  Nothing is ever renamed
 * over a symbolic link.
 */
/* fopencookie: glibc and musl both have it; the stream it gives is what
 * lets the output move from memory to the temporary file mid-write. */
#define _GNU_SOURCE
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Output up to this size stays in memory until the commit. */
#define OUTPUT_SPILL_BYTES ((size_t)4 << 20)
/* stdio's buffer in front of output_write: large writes, few syscalls. */
#define OUTPUT_STDIO_BYTES ((size_t)1 << 18)
/* Past the spill, what the writer thread gets at a time. */
#define OUTPUT_CHUNK_BYTES ((size_t)1 << 20)
/*
 * The most one write(2) call is given: on a virtual machine that hands
 * free memory back to its host, calls of 512 KiB or more can be served
 * from memory the host must fault back in, and were many times slower in
 * some memory states (measurements in bench/README.md, "Writing large
 * files").
 */
#define OUTPUT_WRITE_BYTES ((size_t)128 << 10)
/* Symbolic links followed before giving up, as the kernel's limit. */
#define OUTPUT_MAX_LINKS 40
/* ".", the base name cut to this many bytes, "." and six random
 * characters: at most NAME_MAX (255) bytes, whatever the target's name. */
#define TEMP_BASE_MAX (NAME_MAX - 8)

/* What an output path names. */
typedef enum {
    TARGET_FILE,       /* a regular file, or none yet: replaced by rename */
    TARGET_STREAM,     /* a character device or FIFO: opened at commit */
    TARGET_DESCRIPTOR  /* a descriptor of this process: written to it */
} target_kind;

struct cy_output {
    char *path;         /* as given, for messages */
    target_kind kind;
    char *file;         /* FILE: the file replaced (a link's final target);
                           STREAM: the node opened */
    int is_fifo;        /* STREAM */
    int descriptor;     /* DESCRIPTOR */
    char *dir;          /* FILE: the directory of `file` */
    char *base;         /* FILE: the last component of `file` */
    int dir_fd;         /* FILE: that directory, once the temporary exists */
    char *buffer;       /* output not yet in the temporary file (cy_malloc) */
    size_t size;
    size_t capacity;
    char *stdio_buffer; /* the stream's buffer (cy_malloc) */
    FILE *stream;       /* fopencookie stream over output_write */
    int fd;             /* the temporary file, -1 until it is created */
    int anonymous;      /* made with O_TMPFILE: no name until the commit */
    char tmp[NAME_MAX + 1]; /* its name in dir_fd, "" while it has none */
    int slot;           /* its slot in the pending table, -1 if none */
    int aborting;       /* cy_output_abort: writes are dropped */
    int write_errno;    /* the first failure in output_write, 0 if none */
    int create_failed;  /* ... and it was creating the temporary file */
    /*
     * Once spilled, output is copied into `fill` and each full chunk is
     * handed to a writer thread, so that write(2) (on the national
     * weak-links report, copying 430 MB into the page cache: a tenth of
     * the run) overlaps the formatting of what follows.  It is the
     * library's only second thread, and it only calls write(2) and
     * sync_file_range(2) (start_writeback): it never allocates and
     * touches only fd, its chunk and the fields under the lock.  Without the thread (pthread_create failed) the chunks are
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

/* Test hooks (chengyu_test.h). */
static int tmpfile_disabled;
static long fifo_wait_ms = CY_OUTPUT_FIFO_WAIT_MS;

void cy_output_test_disable_tmpfile(int disable)
{
    tmpfile_disabled = disable;
}

void cy_output_test_fifo_wait(long milliseconds)
{
    fifo_wait_ms = milliseconds < 0 ? CY_OUTPUT_FIFO_WAIT_MS : milliseconds;
}

/* ---- what a path names ------------------------------------------------- */

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

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* `text` is a descriptor number ("0", "17", not "017" or "+1"): *fd. */
static int parse_descriptor(const char *text, int *fd)
{
    long value = 0;
    if (!*text || (text[0] == '0' && text[1]) || strlen(text) > 9)
        return 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        value = value * 10 + (*p - '0');
    }
    *fd = (int)value;
    return 1;
}

/* `dir` is /proc/PID/fd or /proc/PID/task/TID/fd: *pid. */
static int proc_fd_directory(const char *dir, long *pid)
{
    char *end;
    if (strncmp(dir, "/proc/", 6) != 0)
        return 0;
    *pid = strtol(dir + 6, &end, 10);
    if (end == dir + 6 || *pid <= 0)
        return 0;
    if (strncmp(end, "/task/", 6) == 0) {
        char *tid_end;
        (void)strtol(end + 6, &tid_end, 10);
        if (tid_end == end + 6)
            return 0;
        end = tid_end;
    }
    return strcmp(end, "/fd") == 0;
}

/*
 * Whether `path` names a file descriptor: /dev/stdout, /dev/stderr,
 * /dev/stdin, or N in a directory that is (or resolves to) /proc/PID/fd,
 * which covers /dev/fd/N, /proc/self/fd/N and /proc/thread-self/fd/N.
 * *fd is the number and *own whether it is this process's.
 */
static int descriptor_path(const char *path, int *fd, int *own)
{
    static const char *const standard[] = {"/dev/stdin", "/dev/stdout",
                                           "/dev/stderr"};
    char dir[PATH_MAX], resolved[PATH_MAX];
    const char *base = base_of(path);
    size_t dir_len = (size_t)(base - path);
    long pid;

    for (int k = 0; k < 3; k++) {
        if (strcmp(path, standard[k]) == 0) {
            *fd = k;
            *own = 1;
            return 1;
        }
    }
    if (dir_len == 0 || dir_len > sizeof dir || !parse_descriptor(base, fd))
        return 0;
    if (dir_len == 1) {
        strcpy(dir, "/");
    } else {
        memcpy(dir, path, dir_len - 1);
        dir[dir_len - 1] = '\0';
    }
    if (strcmp(dir, "/dev/fd") == 0 || strcmp(dir, "/proc/self/fd") == 0 ||
        strcmp(dir, "/proc/thread-self/fd") == 0) {
        *own = 1;
        return 1;
    }
    if (!realpath(dir, resolved) || !proc_fd_directory(resolved, &pid))
        return 0;
    *own = pid == (long)getpid();
    return 1;
}

/* The text of symbolic link `path` (cy_malloc), or NULL with errno set. */
static char *read_link(const char *path)
{
    size_t size = 256;
    for (;;) {
        char *text = cy_malloc(size);
        ssize_t got;
        if (!text) {
            errno = ENOMEM;
            return NULL;
        }
        got = readlink(path, text, size);
        if (got < 0) {
            int saved = errno;
            cy_free(text);
            errno = saved;
            return NULL;
        }
        if ((size_t)got < size) {
            text[got] = '\0';
            return text;
        }
        cy_free(text);
        if (size > ((size_t)1 << 20)) {
            errno = ENAMETOOLONG;
            return NULL;
        }
        size *= 2;
    }
}

/* Where link `from` points: `text` itself when absolute, else `text` in
 * the directory of `from`.  cy_malloc; NULL on OOM. */
static char *link_destination(const char *from, const char *text)
{
    size_t dir_len = (size_t)(base_of(from) - from);
    char *joined;
    if (text[0] == '/' || dir_len == 0)
        return cy_strdup(text);
    if (!(joined = cy_malloc(dir_len + strlen(text) + 1)))
        return NULL;
    memcpy(joined, from, dir_len);
    strcpy(joined + dir_len, text);
    return joined;
}

/* What a path resolves to. */
typedef struct {
    target_kind kind;
    char *file;        /* FILE/STREAM: the final path (cy_malloc) */
    int exists;        /* FILE: the file exists; st holds its status */
    struct stat st;    /* of the file, the node or the descriptor */
    int descriptor;    /* DESCRIPTOR */
} target;

static const char *special_name(mode_t mode)
{
    return S_ISBLK(mode)    ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

/* Classify the descriptor `fd` named by `path`. */
static cy_status resolve_descriptor(const char *path, int fd, int own,
                                    target *t, cy_error *err)
{
    int flags;
    if (!own) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': it is a descriptor of another process",
                     path);
        return CY_EIO;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fstat(fd, &t->st) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': descriptor %d is not open", path, fd);
        return CY_EIO;
    }
    if ((flags & O_ACCMODE) == O_RDONLY) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': descriptor %d is open for reading only",
                     path, fd);
        return CY_EIO;
    }
    t->kind = TARGET_DESCRIPTOR;
    t->descriptor = fd;
    return CY_OK;
}

/*
 * Follow `path` link by link to what it names (see the top of the file).
 * Returns CY_OK with *t filled (t->file from cy_malloc, or NULL for a
 * descriptor), or an error naming `path`.
 */
static cy_status resolve_target(const char *path, target *t, cy_error *err)
{
    char *current = NULL;
    cy_status status = CY_EIO;

    memset(t, 0, sizeof *t);
    t->descriptor = -1;
    if (!(current = cy_strdup(path)))
        goto oom;
    for (int hops = 0; hops <= OUTPUT_MAX_LINKS; hops++) {
        int fd, own;
        char *text, *next;
        if (descriptor_path(current, &fd, &own)) {
            status = resolve_descriptor(path, fd, own, t, err);
            goto cleanup;
        }
        if (lstat(current, &t->st) != 0) {
            if (errno != ENOENT && errno != ENOTDIR) {
                cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                             path, strerror(errno));
                goto cleanup;
            }
            t->kind = TARGET_FILE; /* new, or a dangling link's target */
            t->file = current;
            return CY_OK;
        }
        if (!S_ISLNK(t->st.st_mode)) {
            if (S_ISDIR(t->st.st_mode)) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "cannot write '%s': is a directory", path);
                goto cleanup;
            }
            if (S_ISREG(t->st.st_mode)) {
                t->kind = TARGET_FILE;
                t->exists = 1;
            } else if (S_ISCHR(t->st.st_mode) || S_ISFIFO(t->st.st_mode)) {
                t->kind = TARGET_STREAM;
            } else {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "cannot write '%s': it is %s, not a regular file",
                             path, special_name(t->st.st_mode));
                goto cleanup;
            }
            t->file = current;
            return CY_OK;
        }
        if (!(text = read_link(current))) {
            if (errno == ENOMEM)
                goto oom;
            cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                         path, strerror(errno));
            goto cleanup;
        }
        next = link_destination(current, text);
        cy_free(text);
        if (!next)
            goto oom;
        cy_free(current);
        current = next;
    }
    cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s", path,
                 strerror(ELOOP));
    goto cleanup;
oom:
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
    status = CY_ENOMEM;
cleanup:
    cy_free(current);
    return status;
}

/* Whether output to `t` would write the input file `input_path`. */
static int is_input(const target *t, const char *input_path)
{
    struct stat in_st;
    if (!input_path || (t->kind == TARGET_FILE && !t->exists) ||
        stat(input_path, &in_st) != 0)
        return 0;
    return t->st.st_dev == in_st.st_dev && t->st.st_ino == in_st.st_ino;
}

/* Whether output to `t` would write any of the `count` inputs. */
static int is_any_input(const target *t, const char *const *inputs, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (is_input(t, inputs[k]))
            return 1;
    return 0;
}

/* The directory a new file would go to must exist and be writable. */
static cy_status check_directory(const char *path, const char *dir,
                                 cy_error *err)
{
    struct stat dir_st;
    if (stat(dir, &dir_st) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': directory '%s' does not exist", path,
                     dir);
        return CY_EIO;
    }
    if (!S_ISDIR(dir_st.st_mode)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': '%s' is not a directory", path, dir);
        return CY_EIO;
    }
    if (access(dir, W_OK) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': directory '%s' is not writable (%s)",
                     path, dir, strerror(errno));
        return CY_EIO;
    }
    return CY_OK;
}

/* ---- temporary files that a fatal signal must remove -------------------- */

/*
 * Named temporary files (where O_TMPFILE is missing), as a directory
 * descriptor and a name, so that the handler reads them without locks or
 * allocation and a long directory path costs nothing.
 */
#define PENDING_MAX 8
static int pending_dir[PENDING_MAX];
static char pending_name[PENDING_MAX][NAME_MAX + 1];
static volatile sig_atomic_t pending_used[PENDING_MAX];
static int handlers_installed;

/*
 * The signals whose default action ends the process and that another
 * process (or the terminal, a pipe, a timer) may send; the faults a bug
 * raises (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS) are left to
 * the sanitizers and core dumps.  The real-time signals are added at run
 * time.
 */
static const int fatal_signals[] = {
    SIGHUP,  SIGINT,    SIGQUIT,   SIGPIPE, SIGALRM, SIGTERM, SIGUSR1,
    SIGUSR2, SIGVTALRM, SIGPROF,   SIGXCPU, SIGXFSZ, SIGABRT,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

static void fatal_signal_set(sigset_t *set)
{
    sigemptyset(set);
    for (size_t k = 0; k < sizeof fatal_signals / sizeof fatal_signals[0]; k++)
        sigaddset(set, fatal_signals[k]);
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
        sigaddset(set, s);
#endif
}

static void remove_pending(void)
{
    for (int k = 0; k < PENDING_MAX; k++) {
        if (pending_used[k])
            unlinkat(pending_dir[k], pending_name[k], 0); /* async-signal-safe */
    }
}

static void remove_pending_and_die(int sig)
{
    remove_pending();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The exit status of cy_output_exit_on_sigpipe. */
static volatile sig_atomic_t sigpipe_status;

static void remove_pending_and_exit(int sig)
{
    (void)sig;
    remove_pending();
    _exit(sigpipe_status);
}

void cy_output_exit_on_sigpipe(int status)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending_and_exit;
    sigemptyset(&sa.sa_mask);
    sigpipe_status = status;
    sigaction(SIGPIPE, &sa, NULL);
}

static void install_handler(int sig, const struct sigaction *sa)
{
    struct sigaction old;
    /* A signal the caller ignores (nohup, a background job) must stay
     * ignored, and one it handles keeps its handler: catching it would
     * make the process die of it. */
    if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
        !(old.sa_flags & SA_SIGINFO))
        sigaction(sig, sa, NULL);
}

static void install_handlers(void)
{
    struct sigaction sa;
    if (handlers_installed)
        return;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending_and_die;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof fatal_signals / sizeof fatal_signals[0]; k++)
        install_handler(fatal_signals[k], &sa);
#if defined(SIGRTMIN) && defined(SIGRTMAX)
    for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
        install_handler(s, &sa);
#endif
    handlers_installed = 1;
}

static int pending_add(int dir_fd, const char *name)
{
    for (int k = 0; k < PENDING_MAX; k++) {
        if (!pending_used[k]) {
            pending_dir[k] = dir_fd;
            memcpy(pending_name[k], name, strlen(name) + 1);
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

int cy_i_temporary_unnamed(const char *dir, const char *prefix)
{
    char path[PATH_MAX];
    sigset_t block, saved;
    int fd = -1, saved_errno;

#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
                    errno != ENOSYS))
        return fd;
#endif
    if (snprintf(path, sizeof path, "%s/%sXXXXXX", dir, prefix) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    fatal_signal_set(&block);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    fd = mkostemp(path, O_CLOEXEC);
    saved_errno = errno;
    if (fd >= 0)
        unlink(path);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    errno = saved_errno;
    return fd;
}

int cy_i_temporary_named(char *path, int *slot)
{
    sigset_t block, saved;
    char *dir = dir_of(path);
    int fd = -1, dir_fd, saved_errno;

    *slot = -1;
    if (!dir) {
        errno = ENOMEM;
        return -1;
    }
    dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    saved_errno = errno;
    cy_free(dir);
    if (dir_fd < 0) {
        errno = saved_errno;
        return -1;
    }
    install_handlers();
    fatal_signal_set(&block);
    /* Blocked while the file is made and registered, so that the handler
     * always knows about it. */
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    fd = mkostemp(path, O_CLOEXEC);
    saved_errno = errno;
    if (fd >= 0)
        *slot = pending_add(dir_fd, base_of(path));
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (*slot < 0)
        close(dir_fd);
    errno = saved_errno;
    return fd;
}

void cy_i_temporary_forget(int slot)
{
    if (slot < 0)
        return;
    pending_remove(slot);
    close(pending_dir[slot]);
}


/* Point `t` at /dev/null instead (processes other than 0 of an MPI run). */
static cy_status discard(target *t, char **dir, cy_error *err)
{
    cy_free(t->file);
    cy_free(*dir);
    *dir = NULL;
    return resolve_target("/dev/null", t, err);
}

cy_status cy_output_open(const char *path, const char *input_path,
                         cy_output **out, cy_error *err)
{
    return cy_output_open_inputs(path, &input_path, 1, out, err);
}

cy_status cy_output_open_inputs(const char *path, const char *const *inputs, size_t count,
                                cy_output **out, cy_error *err)
{
    cy_output *output = NULL;
    target t;
    char *dir = NULL;
    cy_status status;

    *out = NULL;
    if (!path || !*path) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "empty output file name");
        return CY_EUSAGE;
    }
    if (path[strlen(path) - 1] == '/') {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': is a directory",
                     path);
        return CY_EIO;
    }
    if ((status = resolve_target(path, &t, err)) != CY_OK)
        return status;
    status = CY_EIO;
    if (is_any_input(&t, inputs, count)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "cannot write '%s': it is the input file", path);
        goto cleanup;
    }
    if (t.kind == TARGET_FILE) {
        if (!(dir = dir_of(t.file)))
            goto oom;
        if ((status = check_directory(path, dir, err)) != CY_OK)
            goto cleanup;
        status = CY_EIO;
    }
    /* An MPI run: only process 0 writes (every check above ran on all, so
     * that all fail alike). */
    if (cy_dist_rank() != 0 && (status = discard(&t, &dir, err)) != CY_OK)
        goto cleanup;
    if (!(output = cy_calloc(1, sizeof *output)))
        goto oom;
    output->fd = -1;
    output->dir_fd = -1;
    output->slot = -1;
    output->kind = t.kind;
    output->is_fifo = t.kind == TARGET_STREAM && S_ISFIFO(t.st.st_mode);
    output->descriptor = t.descriptor;
    output->file = t.file;
    t.file = NULL;
    output->dir = dir;
    dir = NULL;
    if (!(output->path = cy_strdup(path)) ||
        !(output->stdio_buffer = cy_malloc(OUTPUT_STDIO_BYTES)))
        goto oom;
    if (output->kind == TARGET_FILE)
        output->base = (char *)base_of(output->file);
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
    cy_free(t.file);
    cy_free(dir);
    return status;
}

FILE *cy_output_stream(cy_output *output)
{
    return output->stream;
}

/*
 * write(2) until everything is out, riding over EINTR, short writes and a
 * non-blocking descriptor that is full (EAGAIN: wait until it drains), at
 * most OUTPUT_WRITE_BYTES a call.
 */
static int write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t done = write(fd, data,
                             size < OUTPUT_WRITE_BYTES ? size : OUTPUT_WRITE_BYTES);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd p = {fd, POLLOUT, 0};
                if (poll(&p, 1, -1) < 0 && errno != EINTR)
                    return -1;
                continue;
            }
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
 * A fresh temporary name for the target: "." + its base name (cut at a
 * character boundary so that the whole stays within NAME_MAX) + "." + six
 * random letters and digits.
 */
static void temporary_name(const cy_output *output, char *name)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static unsigned counter;
    unsigned char random[6];
    size_t len = strlen(output->base);

    if (len > TEMP_BASE_MAX) {
        len = TEMP_BASE_MAX;
        /* Do not cut a UTF-8 sequence: back off over continuation bytes. */
        while (len > 0 && ((unsigned char)output->base[len] & 0xC0) == 0x80)
            len--;
    }
    if (getrandom(random, sizeof random, GRND_NONBLOCK) != (ssize_t)sizeof random) {
        struct timespec now;
        unsigned long mix;
        clock_gettime(CLOCK_MONOTONIC, &now);
        mix = (unsigned long)now.tv_nsec ^ ((unsigned long)getpid() << 16) ^
              (unsigned long)++counter * 2654435761u;
        for (size_t k = 0; k < sizeof random; k++, mix >>= 5)
            random[k] = (unsigned char)mix;
    }
    name[0] = '.';
    memcpy(name + 1, output->base, len);
    name[len + 1] = '.';
    for (size_t k = 0; k < sizeof random; k++)
        name[len + 2 + k] = alphabet[random[k] % (sizeof alphabet - 1)];
    name[len + 8] = '\0';
}

/* Create the named temporary file (no O_TMPFILE) and register it for the
 * signal handler. */
static int create_named(cy_output *output, mode_t mode)
{
    sigset_t block, saved;
    int saved_errno = EEXIST;

    install_handlers();
    fatal_signal_set(&block);
    for (int attempt = 0; attempt < 100 && output->fd < 0; attempt++) {
        temporary_name(output, output->tmp);
        /* Blocked while the file is created and registered, so that the
         * handler always knows about it. */
        pthread_sigmask(SIG_BLOCK, &block, &saved);
        output->fd = openat(output->dir_fd, output->tmp,
                            O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                            mode & 0777);
        saved_errno = errno;
        if (output->fd >= 0)
            output->slot = pending_add(output->dir_fd, output->tmp);
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        if (output->fd < 0 && saved_errno != EEXIST)
            break;
    }
    if (output->fd < 0) {
        output->tmp[0] = '\0';
        errno = saved_errno;
        return -1;
    }
    return 0;
}

/*
 * Create the temporary file next to the target with the target's mode:
 * unnamed (O_TMPFILE) where the file system allows, else named.  Returns
 * 0, or -1 with errno set (output->fd < 0: creating it failed, with
 * nothing left on disk; else setting its mode, and output_free removes
 * it).
 */
static int create_temporary(cy_output *output)
{
    mode_t mode = target_mode(output->file);

    output->dir_fd = open(output->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (output->dir_fd < 0)
        return -1;
#ifdef O_TMPFILE
    if (!tmpfile_disabled) {
        output->fd = openat(output->dir_fd, ".",
                            O_TMPFILE | O_WRONLY | O_CLOEXEC, mode & 0777);
        if (output->fd >= 0)
            output->anonymous = 1;
        else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
                 errno != ENOSYS)
            return -1;
    }
#endif
    if (output->fd < 0 && create_named(output, mode) != 0)
        return -1;
    if (fchmod(output->fd, mode) != 0)
        return -1; /* the caller removes the file */
    return 0;
}

/*
 * Start the disk writes of the dirty pages of the file, without waiting
 * for them: the commit's fsync then waits for the last chunks only, not
 * for the whole file at once.  A failure shows at that fsync.
 */
static void start_writeback(int fd)
{
#ifdef SYNC_FILE_RANGE_WRITE
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
#endif
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
            if (!failed)
                start_writeback(output->fd);
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
 * OUTPUT_SPILL_BYTES (without limit for a descriptor, device or FIFO
 * target, which must not see a failed run's output); past that the temporary file is
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
        (output->kind != TARGET_FILE || size <= OUTPUT_SPILL_BYTES - output->size)) {
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

/* Stop the writer, close the temporary file, remove it if it still has a
 * name, free it all. */
static void output_free(cy_output *output)
{
    writer_stop(output, 0);
    if (output->fd >= 0)
        close(output->fd);
    if (output->tmp[0])
        unlinkat(output->dir_fd, output->tmp, 0);
    pending_remove(output->slot);
    if (output->dir_fd >= 0)
        close(output->dir_fd);
    cy_free(output->buffer);
    cy_free(output->fill);
    cy_free(output->in_flight);
    cy_free(output->stdio_buffer);
    cy_free(output->dir);
    cy_free(output->file);
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

static cy_status system_error(const cy_output *output, int error, cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write '%s': %s",
                 output->path, strerror(error));
    return CY_EIO;
}

/* Write the collected output to a descriptor of this process. */
static cy_status write_descriptor(const cy_output *output, cy_error *err)
{
    /* What the caller printed through stdio comes first. */
    if (output->descriptor == STDOUT_FILENO)
        fflush(stdout);
    else if (output->descriptor == STDERR_FILENO)
        fflush(stderr);
    if (write_all(output->descriptor, output->buffer, output->size) != 0)
        return system_error(output, errno, err);
    return CY_OK;
}

/*
 * Open a FIFO for writing without blocking: with no reader, open fails
 * (ENXIO), so retry every 10 ms for up to fifo_wait_ms, then give up.
 * Returns the descriptor (blocking again), or -1 after reporting.
 */
static int open_fifo(const cy_output *output, cy_error *err)
{
    const struct timespec pause = {0, 10 * 1000 * 1000};
    long waited = 0;
    int fd;

    for (;;) {
        fd = open(output->file, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (fd >= 0 || errno != ENXIO || waited >= fifo_wait_ms)
            break;
        nanosleep(&pause, NULL);
        waited += 10;
    }
    if (fd < 0) {
        if (errno == ENXIO)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "cannot write '%s': no process opened the FIFO for "
                         "reading within %ld ms",
                         output->path, fifo_wait_ms);
        else
            system_error(output, errno, err);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/* Write the collected output to a character device or FIFO. */
static cy_status write_stream(const cy_output *output, cy_error *err)
{
    int fd = output->is_fifo
                 ? open_fifo(output, err)
                 : open(output->file, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return output->is_fifo ? CY_EIO : system_error(output, errno, err);
    if (write_all(fd, output->buffer, output->size) != 0) {
        int saved = errno;
        close(fd);
        return system_error(output, saved, err);
    }
    if (close(fd) != 0)
        return system_error(output, errno, err);
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
    return system_error(output, output->write_errno, err);
}

cy_status cy_output_check(const cy_output *output, cy_error *err)
{
    if (!output || !output->write_errno)
        return CY_OK;
    return report_write_failure(output, err);
}

/*
 * Give the unnamed temporary file a name in the directory: linkat through
 * /proc/self/fd (any user), else AT_EMPTY_PATH (needs CAP_DAC_READ_SEARCH
 * where /proc is not mounted).  Returns 0 with output->tmp set, or -1.
 */
static int link_anonymous(cy_output *output)
{
    char proc[64];
    int rc = -1;

    snprintf(proc, sizeof proc, "/proc/self/fd/%d", output->fd);
    for (int attempt = 0; attempt < 100; attempt++) {
        temporary_name(output, output->tmp);
        rc = linkat(AT_FDCWD, proc, output->dir_fd, output->tmp,
                    AT_SYMLINK_FOLLOW);
        if (rc != 0 && errno == ENOENT)
            rc = linkat(output->fd, "", output->dir_fd, output->tmp,
                        AT_EMPTY_PATH);
        if (rc == 0 || errno != EEXIST)
            break;
    }
    if (rc != 0)
        output->tmp[0] = '\0';
    return rc;
}

/*
 * Name the complete temporary file as the target (an unnamed one got its
 * temporary name in prepare_file, name_anonymous).  The catchable fatal
 * signals are blocked around the rename.  Returns 0, or -1 with errno set.
 */
static int install_file(cy_output *output)
{
    sigset_t block, saved;
    int rc = 0, saved_errno = 0;

    fatal_signal_set(&block);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    if (output->anonymous && link_anonymous(output) != 0)
        rc = -1;
    if (rc == 0 && close(output->fd) != 0)
        rc = -1;
    output->fd = rc == 0 ? -1 : output->fd;
    if (rc == 0 && renameat(output->dir_fd, output->tmp, output->dir_fd,
                            output->base) != 0)
        rc = -1;
    saved_errno = errno;
    if (rc == 0) {
        /* Renamed: nothing for output_free to remove. */
        output->tmp[0] = '\0';
        pending_remove(output->slot);
        output->slot = -1;
    }
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    errno = saved_errno;
    return rc;
}

/*
 * Give an unnamed temporary file its temporary name now, registered for
 * the signal handlers like a named one: naming can fail (a full
 * directory, a quota, no /proc), and it must fail before any output of
 * the commit has replaced its target, not between two renames.
 */
static int name_anonymous(cy_output *output)
{
    sigset_t block, saved;
    int rc, saved_errno;

    install_handlers();
    fatal_signal_set(&block);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    rc = link_anonymous(output);
    saved_errno = errno;
    if (rc == 0) {
        output->slot = pending_add(output->dir_fd, output->tmp);
        output->anonymous = 0;
    }
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    errno = saved_errno;
    return rc;
}

/*
 * The first half of committing to a regular file: the whole output in the
 * temporary file, fsynced and given its temporary name, still without the
 * target's.
 */
static cy_status prepare_file(cy_output *output, cy_error *err)
{
    if (output->fd >= 0 && writer_stop(output, 1) != 0)
        return system_error(output, errno, err);
    if (output->fd < 0) {
        if (create_temporary(output) != 0) {
            if (output->fd < 0) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "cannot create a temporary file in '%s': %s",
                             output->dir, strerror(errno));
                return CY_EIO;
            }
            return system_error(output, errno, err);
        }
        if (write_all(output->fd, output->buffer, output->size) != 0)
            return system_error(output, errno, err);
    }
    if (fsync(output->fd) != 0)
        return system_error(output, errno, err);
    if (output->anonymous && name_anonymous(output) != 0)
        return system_error(output, errno, err);
    return CY_OK;
}

/* The second half: the prepared temporary file replaces the target. */
static cy_status install_prepared(cy_output *output, cy_error *err)
{
    if (install_file(output) != 0)
        return system_error(output, errno, err);
    /* Make the rename itself durable. */
    fsync(output->dir_fd);
    return CY_OK;
}

/*
 * Flush `output`'s stream (dropping what it holds when `drop`) and agree
 * with the other processes of an MPI run on how it went.  `prior` is the
 * failure of an earlier output of the same commit (CY_OK if none): the
 * outputs after a failure are dropped, but every process still makes one
 * agreement per output, in the same order.
 */
static cy_status close_stream(cy_output *output, cy_status prior, cy_error *err)
{
    cy_status status = CY_OK;
    int stream_failed = ferror(output->stream);
    cy_error mine;

    cy_error_init(&mine);
    if (prior != CY_OK)
        output->aborting = 1; /* what stdio holds is dropped */
    /* fclose flushes the rest through output_write. */
    if ((fclose(output->stream) != 0 || stream_failed) && prior == CY_OK)
        status = report_write_failure(output, &mine);
    output->stream = NULL;
    if (prior != CY_OK)
        status = prior;
    /* An MPI run: the file gets its name only if every process is still
     * running and none failed (every process commits its outputs in the
     * same order; the others' go to /dev/null), so that a process that
     * stopped after the last loop (--max-seconds, memory) leaves no file
     * behind on process 0 either.  One process: status, messages moved. */
    status = cy_i_dist_agree(status, &mine, err);
    cy_error_destroy(&mine);
    return status;
}

cy_status cy_output_commit_all(cy_output *const *outputs, size_t count,
                               cy_error *err)
{
    cy_status status = CY_OK;
    sigset_t block, saved;

    /* 1. Every stream flushed and every regular file's output complete
     *    and fsynced in its temporary file. */
    for (size_t k = 0; k < count; k++) {
        cy_output *output = outputs[k];
        cy_status one;
        if (!output)
            continue;
        one = close_stream(output, status, err);
        if (one == CY_OK && status == CY_OK && output->kind == TARGET_FILE)
            one = prepare_file(output, err);
        if (status == CY_OK)
            status = one;
    }
    /* 2. Descriptors, devices and FIFOs, which cannot be taken back, while
     *    no file has been replaced yet. */
    for (size_t k = 0; k < count && status == CY_OK; k++) {
        cy_output *output = outputs[k];
        if (!output || output->kind == TARGET_FILE)
            continue;
        status = output->kind == TARGET_DESCRIPTOR ? write_descriptor(output, err)
                                                   : write_stream(output, err);
    }
    /* 3. The files take their names one after the other, with the fatal
     *    signals blocked from the first rename to the last, so that a
     *    signal takes effect only once every file is in place. */
    if (status == CY_OK) {
        fatal_signal_set(&block);
        pthread_sigmask(SIG_BLOCK, &block, &saved);
        for (size_t k = 0; k < count && status == CY_OK; k++) {
            if (outputs[k] && outputs[k]->kind == TARGET_FILE)
                status = install_prepared(outputs[k], err);
        }
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
    }
    for (size_t k = 0; k < count; k++) {
        if (outputs[k])
            output_free(outputs[k]);
    }
    return status;
}

cy_status cy_output_commit(cy_output *output, cy_error *err)
{
    return cy_output_commit_all(&output, 1, err);
}

/* ---- two outputs of one run ------------------------------------------- */

/*
 * What identifies the file an output path would write: an existing file
 * or FIFO, or what a descriptor refers to, by device and inode; a file
 * still to be created by its directory's device and inode and its name.
 * Character devices (/dev/null) identify nothing: two outputs may share
 * one.  Returns 1 with the key filled, 0 for no identity, -1 after
 * reporting an error.
 */
typedef struct {
    dev_t dev;
    ino_t ino;
    char *name; /* a file to be created: its name (cy_malloc), else NULL */
} output_key;

static int output_key_of(const char *path, output_key *key, cy_error *err)
{
    target t;
    struct stat dir_st;
    char *dir;
    int found = 0;

    memset(key, 0, sizeof *key);
    if (resolve_target(path, &t, err) != CY_OK)
        return -1;
    if (t.kind != TARGET_FILE || t.exists) {
        found = !S_ISCHR(t.st.st_mode);
        key->dev = t.st.st_dev;
        key->ino = t.st.st_ino;
    } else if ((dir = dir_of(t.file)) && stat(dir, &dir_st) == 0 &&
               (key->name = cy_strdup(base_of(t.file)))) {
        found = 1;
        key->dev = dir_st.st_dev;
        key->ino = dir_st.st_ino;
        cy_free(dir);
    } else {
        cy_free(dir);
    }
    cy_free(t.file);
    return found;
}

static int same_key(const output_key *a, const output_key *b)
{
    if (a->dev != b->dev || a->ino != b->ino || !a->name != !b->name)
        return 0;
    return !a->name || strcmp(a->name, b->name) == 0;
}

cy_status cy_output_check_distinct(const char *const *paths,
                                   const char *const *labels, size_t count,
                                   cy_error *err)
{
    output_key *keys = cy_calloc(count + 1, sizeof *keys);
    int *has = cy_calloc(count + 1, sizeof *has);
    cy_status status = CY_OK;

    if (!keys || !has) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        status = CY_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < count && status == CY_OK; i++) {
        if (!paths[i] || strcmp(paths[i], "-") == 0)
            continue;
        if ((has[i] = output_key_of(paths[i], &keys[i], err)) < 0)
            status = CY_EIO;
        for (size_t j = 0; j < i && status == CY_OK && has[i] > 0; j++) {
            if (has[j] > 0 && same_key(&keys[i], &keys[j])) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "%s%s'%s' and %s%s'%s' are the same file: one "
                             "output would overwrite the other",
                             labels ? labels[j] : "", labels ? " " : "",
                             paths[j], labels ? labels[i] : "",
                             labels ? " " : "", paths[i]);
                status = CY_EUSAGE;
            }
        }
    }
cleanup:
    for (size_t i = 0; keys && i < count; i++)
        cy_free(keys[i].name);
    cy_free(keys);
    cy_free(has);
    return status;
}
