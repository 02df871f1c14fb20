/*
 * cli_common.c - helpers shared by the command files.
 */
#define _GNU_SOURCE /* memfd_create */
#include "cli.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * An MPI run: remember the error line just printed (without "chengyu: ") as
 * this process's last words, which it sends the others if it leaves the
 * run, so that process 0 prints it when this process is another (its
 * standard error goes to /dev/null).  Notes and warnings are not why a
 * process stops.  No allocation: this runs when memory is short too.
 */
static void remember(const char *command, const char *text)
{
    char line[512];
    if (cy_dist_size() < 2 || strncmp(text, "note: ", 6) == 0 ||
        strncmp(text, "warning: ", 9) == 0)
        return;
    snprintf(line, sizeof line, "%s%s%s", command ? command : "", command ? ": " : "", text);
    cy_dist_last_words(line);
}

void cli_verror(const char *command, const char *fmt, va_list ap)
{
    va_list copy;
    int length;
    char *message = NULL, *safe = NULL, fallback[256];
    const char *text;
    size_t size;

    va_copy(copy, ap);
    length = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    /* A visible escape takes at most four bytes per byte of the message. */
    size = length < 0 ? 0 : 4 * (size_t)length + 8;
    if (size && (message = cy_malloc((size_t)length + 1)) && (safe = cy_malloc(size))) {
        vsnprintf(message, (size_t)length + 1, fmt, ap);
        text = cy_terminal_text(message, 0, safe, size);
    } else {
        text = cy_terminal_text(fmt, 0, fallback, sizeof fallback);
    }
    fprintf(stderr, "chengyu: %s%s%s\n", command ? command : "", command ? ": " : "", text);
    remember(command, text);
    cy_free(message);
    cy_free(safe);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(NULL, fmt, ap);
    va_end(ap);
}

const char *cli_echo(const char *value)
{
    /* A message may quote a few values: each gets its own buffer. */
    static char buffers[4][4 * CLI_ECHO_COLUMNS + 8];
    static unsigned next;
    char *buf = buffers[next++ % 4];
    return cy_terminal_text(value, CLI_ECHO_COLUMNS, buf, sizeof buffers[0]);
}

int cli_check_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("error writing to standard output: %s",
                  errno ? strerror(errno) : "write failed");
        return CY_EXIT_FAILURE;
    }
    return CY_EXIT_OK;
}

void cli_report(const cy_error *err)
{
    size_t stored_errors = 0, stored_warnings = 0;
    for (size_t i = 0; i < err->count; i++) {
        char *line = cy_error_format(err, i);
        if (err->items[i].severity == CY_SEV_ERROR)
            stored_errors++;
        else
            stored_warnings++;
        if (line) {
            fprintf(stderr, "chengyu: %s\n", line);
            if (err->items[i].severity == CY_SEV_ERROR)
                remember(NULL, line);
            cy_free(line);
        }
    }
    if (err->error_count > stored_errors)
        fprintf(stderr, "chengyu: stopped after %zu errors\n", stored_errors);
    if (err->warning_count > stored_warnings)
        fprintf(stderr, "chengyu: and %zu more warnings\n",
                err->warning_count - stored_warnings);
    if (err->oom)
        fprintf(stderr, "chengyu: out of memory while recording problems\n");
}

const char *cli_encoding = NULL;

/* The input size limit: CHENGYU_MAX_INPUT_BYTES, or the library's default
 * (0).  Returns 0 after printing when the variable is not a byte count. */
static int input_limit(size_t *limit)
{
    const char *text = getenv("CHENGYU_MAX_INPUT_BYTES");
    unsigned long long value;
    *limit = 0;
    if (!text)
        return 1;
    if (!cli_parse_ulong(text, (unsigned long long)SIZE_MAX, &value) || value == 0) {
        cli_error("CHENGYU_MAX_INPUT_BYTES: expected a positive number of "
                  "bytes, got '%s'", cli_echo(text));
        return 0;
    }
    *limit = (size_t)value;
    return 1;
}

/*
 * Whether `path` is read as a stream rather than a file: "-" (standard
 * input) or a pipe or FIFO (`chengyu info <(...)`, /dev/stdin on a pipe, a
 * named pipe).  Regular files, directories, devices and missing paths go
 * to the library, which checks and reports them itself.
 */
static int is_stream_input(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return 1;
    return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* What a message about the input limit ends with. */
#define RAISE_LIMIT " (raise it with CHENGYU_MAX_INPUT_BYTES)"

/* How long a named pipe may stay silent before its first byte: a FIFO
 * nobody writes to must not hang the command. */
#define FIFO_WAIT_SECONDS 10

/*
 * Open a stream input.  A named pipe (lstat says FIFO, so not the symlink
 * /dev/fd/N of a pipe someone already writes to) is opened without waiting
 * for a writer and given FIFO_WAIT_SECONDS to deliver its first byte or its
 * end.  Returns the descriptor, or -1 with `err` saying why.
 */
static int open_stream(const char *path, cy_error *err)
{
    struct stat st;
    struct pollfd pfd;
    int fd, named = lstat(path, &st) == 0 && S_ISFIFO(st.st_mode);

    if (strcmp(path, "-") == 0)
        return STDIN_FILENO;
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | (named ? O_NONBLOCK : 0))) < 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (!named)
        return fd;
    pfd.fd = fd;
    pfd.events = POLLIN;
    if (poll(&pfd, 1, FIFO_WAIT_SECONDS * 1000) <= 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: named pipe with no data after %d s "
                     "(is anything writing to it?)", path, FIFO_WAIT_SECONDS);
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
}

/* Grow `*buf` to hold more than `*cap` bytes, within `limit`; 0 on OOM. */
static int grow_buffer(char **buf, size_t *cap)
{
    size_t want = *cap ? *cap * 2 : 65536;
    char *grown = cy_realloc(*buf, want + 1);
    if (!grown)
        return 0;
    *buf = grown;
    *cap = want;
    return 1;
}

/*
 * Read all of a stream into memory, refusing more than `limit` bytes (the
 * same cap as files).  Returns the status; on failure `err` says why.
 */
static cy_status read_stream(const char *path, size_t limit, const char *raise,
                             char **data, size_t *size, cy_error *err)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    int fd = open_stream(path, err);
    size_t cap = 0;
    char *buf = NULL;
    cy_status status = CY_OK;

    *data = NULL;
    *size = 0;
    if (fd < 0)
        return CY_EIO;
    for (;;) {
        ssize_t n;
        if (*size > limit) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "%s: more than %zu bytes, over the input "
                         "limit of %zu bytes%s", name, limit, limit, raise);
            status = CY_EINPUT;
            break;
        }
        if (*size == cap && !grow_buffer(&buf, &cap)) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "%s: out of memory while reading", name);
            status = CY_ENOMEM;
            break;
        }
        n = read(fd, buf + *size, cap - *size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "%s: reading failed: %s", name, strerror(errno));
            status = CY_EIO;
            break;
        }
        if (n == 0)
            break;
        *size += (size_t)n;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (status == CY_OK)
        *data = buf;
    else
        cy_free(buf);
    return status;
}

int cli_is_stream(const char *path)
{
    return is_stream_input(path);
}

cy_status cli_read_stream(const char *path, size_t limit, int env_limit, char **data,
                          size_t *size, cy_error *err)
{
    return read_stream(path, limit ? limit : CY_DEFAULT_MAX_INPUT, env_limit ? RAISE_LIMIT : "",
                       data, size, err);
}

/* The --encoding option or CHENGYU_ENCODING, for CSV tables. */
static const char *chosen_encoding(void)
{
    return cli_encoding ? cli_encoding : getenv("CHENGYU_ENCODING");
}

/* Write all of data to fd; 0 with errno set on failure. */
static int write_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 0;
        data += n;
        size -= (size_t)n;
    }
    return 1;
}

/*
 * A workbook that came down a pipe.  The zip reader needs a file it can
 * seek in, so the bytes go to an anonymous memory file (memfd: nothing on
 * disk, gone with the process even on SIGKILL), read back through
 * /proc/self/fd; messages still call the input `name` ("<stdin>").
 */
static cy_status load_stream_workbook(const char *name, const char *data, size_t size,
                                      size_t limit, cy_network **net,
                                      size_t *enterprise_count, size_t *link_count,
                                      cy_error *err)
{
    cy_import_options import = {limit, chosen_encoding(), name};
    char path[64];
    int fd = memfd_create("chengyu-stdin", MFD_CLOEXEC);
    cy_status status;

    if (fd < 0 || !write_all(fd, data, size)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot hold the workbook: %s", name,
                     strerror(errno));
        if (fd >= 0)
            close(fd);
        return CY_EIO;
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    status = cy_import_load(path, &import, net, enterprise_count, link_count, NULL, err);
    close(fd);
    return status;
}

/* Whether a stream's bytes begin like a zip archive (an .xlsx workbook). */
static int looks_like_zip(const char *data, size_t size)
{
    return size >= 4 && memcmp(data, "PK\3\4", 4) == 0;
}

/* Keep a stream's bytes in a memory file that kept->path names. */
static cy_status keep_stream(const char *name, const char *data, size_t size,
                             cli_input *kept, cy_error *err)
{
    int fd = memfd_create("chengyu-input", MFD_CLOEXEC);
    if (fd < 0 || !write_all(fd, data, size)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s: cannot keep the input to read it "
                     "again: %s", name, strerror(errno));
        if (fd >= 0)
            close(fd);
        return CY_EIO;
    }
    kept->fd = fd;
    kept->name = name;
    snprintf(kept->buf, sizeof kept->buf, "/proc/self/fd/%d", fd);
    kept->path = kept->buf;
    return CY_OK;
}

/* A stream input loaded from memory: chengyu/1 JSON, or a workbook; `net`
 * NULL only counts (validate).  With `keep`, the bytes also stay readable
 * through keep->path. */
static cy_status load_stream(const char *path, size_t limit, cy_network **net,
                             size_t *enterprise_count, size_t *link_count,
                             cli_input *keep, cy_error *err)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    cy_network *kept = NULL;
    char *data;
    size_t size;
    cy_status status;
    if (!limit)
        limit = CY_DEFAULT_MAX_INPUT;
    status = read_stream(path, limit, RAISE_LIMIT, &data, &size, err);
    if (status == CY_OK && keep)
        status = keep_stream(name, data, size, keep, err);
    if (status != CY_OK) {
        cy_free(data);
        return status;
    }
    if (looks_like_zip(data, size)) {
        status = load_stream_workbook(name, data, size, limit, net, enterprise_count,
                                      link_count, err);
        cy_free(data);
        return status;
    }
    status = cy_network_load_buffer(data, size, name, &kept, err);
    cy_free(data);
    if (status == CY_OK && !net) {
        *enterprise_count = cy_network_enterprise_count(kept);
        *link_count = cy_network_link_count(kept);
        cy_network_free(kept);
    } else if (net) {
        *net = kept;
    }
    return status;
}

/* The command's -q (cli_load_progress_quiet). */
static int load_progress_hidden;

void cli_load_progress_quiet(int quiet)
{
    load_progress_hidden = quiet;
}

/* A load shorter than this draws no bar (unless CHENGYU_PROGRESS_DELAY
 * says otherwise): the regional preset loads in a fraction of a second,
 * the national one in 5-7 s. */
#define CLI_LOAD_PROGRESS_DELAY 3.0

/*
 * A bar while a chengyu/1 file loads (the share of its text read), on a
 * terminal only and not with -q: the library reports through
 * options->progress; cli_progress_clear(bar) once loaded.
 */
static void load_progress_begin(cy_load_options *options, cli_progress *bar)
{
    cli_progress_init(bar, "load", load_progress_hidden, 0.0);
    if (!getenv("CHENGYU_PROGRESS_DELAY"))
        bar->delay = CLI_LOAD_PROGRESS_DELAY;
    if (!bar->terminal)
        return;
    options->progress = cli_progress_update;
    options->progress_data = bar;
}

/*
 * Load or (with `net` NULL) check `path` into `err`, printing nothing but
 * the loading bar on a terminal (not with -q).  On a check the counts go
 * to `enterprise_count` and `link_count`.
 */
static cy_status load_quietly(const char *path, cy_network **net,
                              size_t *enterprise_count, size_t *link_count,
                              cli_input *keep, cy_error *err)
{
    cy_load_options options = {0};
    cli_progress bar;
    cy_status status;

    if (!input_limit(&options.max_input_bytes))
        return CY_EUSAGE;
    if (is_stream_input(path) && cy_dist_size() > 1) {
        /* The launcher gives standard input to process 0 only, and a pipe
         * can be read once: the other processes would load nothing. */
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "%s: a stream cannot be read by every process of an MPI run:"
                     " save it to a file first", strcmp(path, "-") == 0 ? "<stdin>" : path);
        return CY_EUSAGE;
    }
    if (is_stream_input(path))
        return load_stream(path, options.max_input_bytes, net, enterprise_count,
                           link_count, keep, err);
#ifdef __GLIBC__
    /*
     * The DOM path of the loader frees the parsed document record by record
     * while it builds the model: tens of millions of small blocks.  glibc
     * parks small freed blocks in "fastbins" and coalesces them only at the
     * next large allocation, when they have left the cache.  Without
     * fastbins each block is coalesced as it is freed, while still in cache
     * (docs/performance.md has the measurements).  Only for the load:
     * glibc's default (64 * sizeof(size_t) / 4 bytes) is restored
     * afterwards.
     */
    mallopt(M_MXFAST, 0);
#endif
    if (cy_import_is_spreadsheet(path)) {
        /* A workbook or a folder of CSV tables. */
        cy_import_options import = {options.max_input_bytes, chosen_encoding(), NULL};
        status = cy_import_load(path, &import, net, enterprise_count, link_count, NULL, err);
    } else {
        load_progress_begin(&options, &bar);
        status = net ? cy_network_load(path, &options, net, err)
                     : cy_network_check(path, &options, enterprise_count, link_count, err);
        cli_progress_clear(&bar);
    }
#ifdef __GLIBC__
    mallopt(M_MXFAST, 64 * (int)sizeof(size_t) / 4);
#endif
    return status;
}

/* cli_load, or with `net` NULL cli_check. */
static int load_or_check(const char *path, cy_network **net,
                         size_t *enterprise_count, size_t *link_count,
                         int quiet, cli_input *keep)
{
    cy_error err;
    cy_status status;

    cy_error_init(&err);
    status = load_quietly(path, net, enterprise_count, link_count, keep, &err);
    if (status == CY_EUSAGE && err.count == 0) {
        cy_error_destroy(&err);
        return 0; /* a bad CHENGYU_MAX_INPUT_BYTES, already reported */
    }
    if (status != CY_OK || !quiet)
        cli_report(&err);
    if (status != CY_OK && err.error_count == 0)
        cli_error("%s: %s", path, cy_status_string(status));
    cy_error_destroy(&err);
    return status == CY_OK;
}

int cli_load(const char *path, cy_network **net, int quiet)
{
    return load_or_check(path, net, NULL, NULL, quiet, NULL);
}

int cli_load_kept(const char *path, cy_network **net, int quiet, cli_input *kept)
{
    kept->fd = -1;
    kept->name = kept->path = path;
    return load_or_check(path, net, NULL, NULL, quiet, kept);
}

void cli_input_close(cli_input *kept)
{
    if (kept->fd >= 0)
        close(kept->fd);
    kept->fd = -1;
}

int cli_check(const char *path, size_t *enterprise_count, size_t *link_count,
              int quiet)
{
    return load_or_check(path, NULL, enterprise_count, link_count, quiet, NULL);
}

int cli_check_into(const char *path, size_t *enterprise_count,
                   size_t *link_count, cy_error *err)
{
    return load_quietly(path, NULL, enterprise_count, link_count, NULL, err) == CY_OK;
}

int cli_import_options(cy_import_options *options)
{
    options->encoding = chosen_encoding();
    options->label = NULL;
    return input_limit(&options->max_input_bytes);
}

int cli_binary_to_terminal(const char *output_path)
{
    return (!output_path || strcmp(output_path, "-") == 0) && isatty(STDOUT_FILENO);
}

int cli_output_begin(cli_output *out, const char *path, const char *input_path)
{
    return cli_output_begin_inputs(out, path, &input_path, 1, 0);
}

int cli_output_begin_inputs(cli_output *out, const char *path, const char *const *inputs,
                            size_t count, int scenarios)
{
    const char *files[4] = {NULL, NULL, NULL, NULL};
    cy_error err;
    out->file = NULL;
    out->stream = stdout;
    if (!path || strcmp(path, "-") == 0)
        return 1;
    if (count > 4)
        count = 4;
    for (size_t k = 0; k < count; k++) {
        const char *input = inputs[k];
        if (!input || strcmp(input, "-") == 0)
            continue; /* standard input is no file to protect */
        files[k] = input;
        /* cy_output_open protects an input file; a folder of CSV tables
         * (or of scenarios) is protected table by table. */
        if ((k == 0 && cy_import_folder_reads(input, path)) ||
            (scenarios && k > 0 && cy_scenarios_folder_reads(input, path))) {
            cli_error("cannot write '%s': it is a table of the input folder '%s'",
                      cli_echo(path), cli_echo(input));
            return 0;
        }
    }
    cy_error_init(&err);
    if (cy_output_open_inputs(path, files, count, &out->file, &err) != CY_OK) {
        cli_report(&err);
        cy_error_destroy(&err);
        return 0;
    }
    cy_error_destroy(&err);
    out->stream = cy_output_stream(out->file);
    return 1;
}

int cli_output_end(cli_output *out, int ok)
{
    cy_error err;
    int code = CY_EXIT_OK;
    if (!out->file)
        return (cli_check_stdout() == CY_EXIT_OK && ok) ? CY_EXIT_OK
                                                        : CY_EXIT_FAILURE;
    if (!ok) {
        /* A writer that gave up because a write failed (a full disk) has
         * said what it was writing; the system says why. */
        cy_error_init(&err);
        if (cy_output_check(out->file, &err) != CY_OK)
            cli_report(&err);
        cy_error_destroy(&err);
        cy_output_abort(out->file);
        out->file = NULL;
        return CY_EXIT_FAILURE;
    }
    cy_error_init(&err);
    if (cy_output_commit(out->file, &err) != CY_OK) {
        cli_report(&err);
        code = CY_EXIT_FAILURE;
    }
    cy_error_destroy(&err);
    out->file = NULL;
    return code;
}

int cli_outputs_end(cli_output *const *outs, size_t count, int ok)
{
    cy_output *files[CLI_OUTPUTS_MAX];
    size_t file_count = 0;
    cy_error err;
    int code = CY_EXIT_OK;

    /* Standard output has been written as the run went: its failure is
     * known now, before any file is committed. */
    for (size_t k = 0; k < count && ok; k++) {
        if (!outs[k]->file && cli_check_stdout() != CY_EXIT_OK)
            ok = 0;
    }
    if (!ok || count > CLI_OUTPUTS_MAX) {
        for (size_t k = 0; k < count; k++) {
            if (outs[k]->file)
                cli_output_end(outs[k], 0);
        }
        return CY_EXIT_FAILURE;
    }
    for (size_t k = 0; k < count; k++) {
        if (outs[k]->file)
            files[file_count++] = outs[k]->file;
        outs[k]->file = NULL;
    }
    cy_error_init(&err);
    if (cy_output_commit_all(files, file_count, &err) != CY_OK) {
        cli_report(&err);
        code = CY_EXIT_FAILURE;
    }
    cy_error_destroy(&err);
    return code;
}

int cli_outputs_distinct(const char *const *paths, const char *const *labels,
                         size_t count)
{
    cy_error err;
    cy_status status;

    cy_error_init(&err);
    status = cy_output_check_distinct(paths, labels, count, &err);
    if (status != CY_OK)
        cli_report(&err);
    cy_error_destroy(&err);
    return status == CY_OK       ? CY_EXIT_OK
           : status == CY_EUSAGE ? CY_EXIT_USAGE
                                 : CY_EXIT_FAILURE;
}

int cli_parse_ulong(const char *text, unsigned long long max,
                    unsigned long long *value)
{
    char *end;
    unsigned long long v;
    if (!text || !*text || *text == '-' || *text == '+')
        return 0;
    errno = 0;
    v = strtoull(text, &end, 10);
    if (errno || *end || v > max)
        return 0;
    *value = v;
    return 1;
}

int cli_parse_double(const char *text, double *value)
{
    char *end;
    double v;
    if (!text || !*text)
        return 0;
    errno = 0;
    v = strtod(text, &end);
    if (errno || *end || v != v || v == HUGE_VAL || v == -HUGE_VAL)
        return 0;
    *value = v;
    return 1;
}

/* chengyu/1 ids are at most 256 bytes. */
#define ID_BUFFER 257

int cli_index_list_push(cli_index_list *list, size_t value)
{
    size_t *grown;
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        grown = cy_realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return 0;
        list->items = grown;
        list->capacity = cap;
    }
    list->items[list->count++] = value;
    return 1;
}

/* Push `index` unless the list holds it already: "--demand-of a,a" or
 * "--demand-of a --demand-of a" names one firm, not two (the count and
 * list in the reports).  A linear scan: lists of ids typed or pasted on a
 * command line. */
static int push_new(cli_index_list *list, size_t index)
{
    for (size_t k = 0; k < list->count; k++)
        if (list->items[k] == index)
            return 1;
    return cli_index_list_push(list, index);
}

/*
 * A firm's name with a comma in it ("Changan, Inc.") is cut by the list's
 * commas before it is looked up: the hint for the unknown item at `start`
 * comes from the longest run of items from there that is a firm's name,
 * copied to `name` (ID_BUFFER bytes).  NULL when no run is a name.
 */
static const char *comma_name_hint(const cy_network *net, const char *start, char *name)
{
    char text[ID_BUFFER];
    const char *hint = NULL, *end = start, *here;

    /* Each try reads every firm's names: a name holds a few commas, not
     * the hundreds a long list may. */
    for (int tries = 0; tries < 8; tries++) {
        size_t n;
        end = strchr(end, ',');
        n = end ? (size_t)(end - start) : strlen(start);
        if (n >= sizeof text)
            break;
        memcpy(text, start, n);
        text[n] = '\0';
        if ((here = cli_name_hint(net, text, 1u)) != NULL) {
            hint = here;
            memcpy(name, text, n + 1);
        }
        if (!end)
            break;
        end++;
    }
    return hint;
}

int cli_resolve_ids(const cli_spec *spec, const cy_network *net, const char *input,
                    const char *option, const char *arg, cli_index_list *list)
{
    size_t index, len;
    const char *start = arg;

    if (cy_network_find_enterprise(net, arg, &index))
        return push_new(list, index) ? 1 : (cli_error("out of memory"), 0);
    for (;;) {
        const char *comma = strchr(start, ',');
        char id[ID_BUFFER];
        len = comma ? (size_t)(comma - start) : strlen(start);
        if (len == 0) {
            cli_usage(spec, "%s: empty enterprise id in '%s'", option, cli_echo(arg));
            return -1;
        }
        if (len >= sizeof id) {
            cli_error("%s: %s: overlong enterprise id in '%s'", input, option, cli_echo(arg));
            return 0;
        }
        memcpy(id, start, len);
        id[len] = '\0';
        if (!cy_network_find_enterprise(net, id, &index)) {
            const char *hint;
            char name[ID_BUFFER];
            size_t g;
            if (cy_network_find_group(net, CY_GROUP_PARK, id, &g))
                cli_error("%s: %s: \"%s\" is a park, not an enterprise%s", input, option,
                          cli_echo(id), strcmp(option, "--fail") ? "" : " (use --fail-park)");
            else if (cy_network_find_group(net, CY_GROUP_REGION, id, &g))
                cli_error("%s: %s: \"%s\" is a region, not an enterprise%s", input, option,
                          cli_echo(id), strcmp(option, "--fail") ? "" : " (use --fail-region)");
            else if ((hint = comma_name_hint(net, start, name)) != NULL)
                cli_error("%s: %s: unknown enterprise \"%s\"; %s", input, option,
                          cli_echo(name), hint);
            else
                cli_error("%s: %s: unknown enterprise \"%s\"%s", input, option, cli_echo(id),
                          cli_did_you_mean(cy_network_suggest_enterprise(net, id)));
            return 0;
        }
        if (!push_new(list, index)) {
            cli_error("out of memory");
            return 0;
        }
        if (!comma)
            return 1;
        start = comma + 1;
    }
}

const char *cli_name_hint(const cy_network *net, const char *text, unsigned kinds)
{
    static char hint[CLI_ECHO_COLUMNS * 4 + 64];
    int kind;
    const char *id = cy_network_named(net, text, (int)(kinds & 1u), kinds >> 1, &kind);

    if (!id)
        return NULL;
    snprintf(hint, sizeof hint, "it is the name of %s \"%s\": give its id",
             kind < 0 ? "enterprise" : cy_group_kind_name((cy_group_kind)kind), cli_echo(id));
    return hint;
}

const char *cli_did_you_mean(const char *suggestion)
{
    static char hint[4][CLI_ECHO_COLUMNS * 4 + 32];
    static int next;
    char *buf = hint[next];
    if (!suggestion)
        return "";
    next = (next + 1) % 4;
    snprintf(buf, sizeof hint[0], "; did you mean \"%s\"?", cli_echo(suggestion));
    return buf;
}

int cli_write(cy_status status, cy_error *err)
{
    if (status != CY_OK)
        cli_report(err);
    return status == CY_OK;
}

void cli_write_options(const cli_common *common, cy_format fallback,
                       cy_write_options *options)
{
    cy_format format;
    switch (common->format) {
    case CLI_FORMAT_TABLE: format = CY_FORMAT_TEXT; break;
    case CLI_FORMAT_CSV: format = CY_FORMAT_CSV; break;
    case CLI_FORMAT_JSON: format = CY_FORMAT_JSON; break;
    case CLI_FORMAT_MD: format = CY_FORMAT_MD; break;
    case CLI_FORMAT_HTML: format = CY_FORMAT_HTML; break;
    default: format = fallback; break;
    }
    cy_write_options_init(options, format);
    options->csv_raw = common->csv_raw;
}
