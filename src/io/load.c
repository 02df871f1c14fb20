/*
 * load.c - the loader's entry points: read the file (regular, readable,
 * within the size limit), try the streaming pass, else parse the whole
 * document with Jansson and load it from the DOM; every rule of chengyu/1
 * is in the other load_*.c files (see load_internal.h).
 *
 * The loader never stops at the first problem: it records each one with its
 * JSON path and goes on until the error list is full (CY_MAX_ERRORS), so a
 * user fixing a file sees everything at once.  Records with problems are
 * still appended (with their bad fields left unset), which keeps the
 * positions of later records equal to their positions in the file.
 */
#include "load_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Report a Jansson parse error as FILE:LINE:COLUMN: message.  Jansson's text
 * is kept, except where it would puzzle a user: a NUL character is named as
 * such (not by the flag JSON_ALLOW_NUL that the user never set), invalid
 * UTF-8 says so, and the depth limit gives its value.
 */
static void report_parse_error(cy_error *err, const json_error_t *jerr)
{
    const char *near = strstr(jerr->text, " near ");
    char message[JSON_ERROR_TEXT_LENGTH + 64];

    switch (json_error_code(jerr)) {
    case json_error_null_character:
        snprintf(message, sizeof message,
                 "string contains a NUL character (\\u0000)%s",
                 near ? near : "");
        break;
    case json_error_invalid_utf8:
        snprintf(message, sizeof message, "invalid UTF-8: %s", jerr->text);
        break;
    case json_error_stack_overflow:
        snprintf(message, sizeof message,
                 "nesting deeper than %d levels (the parser's limit)%s",
                 JSON_PARSER_MAX_DEPTH, near ? near : "");
        break;
    default:
        snprintf(message, sizeof message, "%s", jerr->text);
        break;
    }
    if (jerr->line > 0)
        cy_error_add_at(err, CY_SEV_ERROR, jerr->line, jerr->column, "%s",
                        message);
    else
        cy_error_add(err, CY_SEV_ERROR, NULL, "%s", message);
}

/*
 * What Jansson may hold while a file of `size` bytes is read: its trees
 * take about ten times the text of ordinary records, but over two hundred
 * times the text of a run of empty objects, so a hostile 3 MB file could
 * take 700 MB and a file at the input limit the machine.  Past this the
 * file is refused as too large (docs/reliability.md, section 4).
 */
#define JSON_BYTES_PER_BYTE 24
#define JSON_BYTES_FLOOR ((size_t)16 << 20)

static size_t json_budget(size_t size)
{
    if (size > (SIZE_MAX - JSON_BYTES_FLOOR) / JSON_BYTES_PER_BYTE)
        return SIZE_MAX;
    return size * JSON_BYTES_PER_BYTE + JSON_BYTES_FLOOR;
}

/* The diagnostic of a file that passed Jansson's budget while `at` (a JSON
 * path, or NULL where it is not known) was being read. */
static void report_too_large(cy_error *err, size_t size, const char *at)
{
    const char *fmt = "too large to read: its JSON values need more than "
                      "%zu MiB of memory (%d bytes per byte of the file, "
                      "plus %zu MiB)";
    size_t mib = json_budget(size) >> 20, floor_mib = JSON_BYTES_FLOOR >> 20;
    cy_error_add(err, CY_SEV_ERROR, at, fmt, mib, JSON_BYTES_PER_BYTE, floor_mib);
}

/*
 * Parse `size` bytes with Jansson, reporting a syntax error with its line
 * and column.  Returns the document, or NULL with *status set.
 */
static json_t *parse_document(const char *data, size_t size, cy_error *err,
                              cy_status *status)
{
    json_error_t jerr;
    json_t *root;
    unsigned long failures;
    int too_large;

    /* A UTF-8 byte order mark (some editors write one) is not allowed
     * (docs/format.md); Jansson's message would quote it invisibly. */
    if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        cy_error_add_at(err, CY_SEV_ERROR, 1, 1,
                        "the file starts with a UTF-8 byte order mark, which "
                        "chengyu/1 does not allow; remove it");
        *status = CY_EINPUT;
        return NULL;
    }
    failures = cy_i_alloc_failures();
    cy_i_json_budget_set(json_budget(size));
    root = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
    too_large = cy_i_json_budget_exceeded();
    cy_i_json_budget_set(SIZE_MAX);
    /* Every request after the first refused one fails too, so Jansson
     * stops close to where the memory went. */
    if (too_large && cy_i_alloc_failures() == failures) {
        char path[PATH_SIZE];
        json_decref(root);
        *status = CY_EINPUT;
        /* Jansson says neither where nor that memory failed. */
        cy_l_locate_too_large(data, size, json_budget(size), path);
        report_too_large(err, size, path[0] ? path : NULL);
        return NULL;
    }
    /* Jansson does not always say that it ran out of memory: some failed
     * allocations come back as syntax errors ("string or '}' expected"),
     * and a failed append to a string being lexed silently drops a
     * character ("Test supply nework").  So any allocation that failed
     * while parsing means out of memory, whatever Jansson returned. */
    if (cy_i_alloc_failures() != failures ||
        (!root && json_error_code(&jerr) == json_error_out_of_memory)) {
        json_decref(root);
        *status = CY_ENOMEM;
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return NULL;
    }
    if (!root) {
        *status = CY_EINPUT;
        report_parse_error(err, &jerr);
    }
    return root;
}

/*
 * The end of every load: report running out of memory, release the
 * loader's scratch, and hand over the network on success.
 */
static cy_status end_load(loader *L, cy_status status, cy_network **out)
{
    if (status == CY_ENOMEM)
        cy_error_add(L->err, CY_SEV_ERROR, NULL, "out of memory");
    cy_free(L->part_mark);
    cy_free(L->cluster_mark);
    if (status == CY_OK)
        *out = L->net;
    else
        cy_network_free(L->net);
    return status;
}

/* Validate a parsed document into a network; consumes `root`. */
static cy_status load_root(json_t *root, int check_only, cy_network **out,
                           cy_error *err)
{
    loader L;
    cy_status status;

    memset(&L, 0, sizeof L);
    L.err = err;
    L.check_only = check_only;
    L.net = cy_i_network_new();
    if (!L.net) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        json_decref(root);
        return CY_ENOMEM;
    }
    status = cy_l_load_document(&L, root);
    json_decref(root);
    return end_load(&L, status, out);
}

/*
 * Load `size` bytes of text: the streaming pass, then the DOM path if the
 * streaming pass gave up (see "streaming load").  `owned`, when not NULL,
 * holds the text's allocation and is freed as soon as the text has been
 * read, before the model's indexes and graphs are built, so that the text
 * and those never coexist.
 */
static cy_status load_text(const char *data, size_t size, char **owned,
                           int check_only, const cy_load_options *options,
                           cy_network **out, cy_error *err)
{
    loader L;
    cy_error kept_aside;
    cy_l_stream_result result;
    cy_status status = CY_OK;
    json_t *root;

    memset(&L, 0, sizeof L);
    L.check_only = check_only;
    if (options) {
        L.progress = options->progress;
        L.progress_data = options->progress_data;
    }
    L.net = cy_i_network_new();
    if (!L.net) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        goto release_text;
    }
    cy_error_init(&kept_aside);
    L.err = &kept_aside;
    cy_i_json_budget_set(json_budget(size));
    result = cy_l_stream_document(&L, data, size);
    cy_l_slots_free(&L.spare);
    cy_i_json_budget_set(SIZE_MAX);
    cy_error_destroy(&kept_aside);
    L.err = err;
    if (result == CY_L_STREAM_TOO_LARGE) {
        report_too_large(err, size, L.too_large_at);
        return end_load(&L, CY_EINPUT, out);
    }
    if (result == CY_L_STREAM_LOADED) {
        if (owned) {
            cy_free(*owned);
            *owned = NULL;
        }
        L.net->streamed = 1;
        return end_load(&L, cy_l_finish_document(&L), out);
    }
    if (result == CY_L_STREAM_OOM)
        return end_load(&L, CY_ENOMEM, out);
    end_load(&L, CY_EINPUT, out); /* only releases: nothing was reported */

    root = parse_document(data, size, err, &status);
    /* The text is not needed once parsed: free it before the model is
     * built, so the two never coexist. */
    if (owned) {
        cy_free(*owned);
        *owned = NULL;
    }
    return root ? load_root(root, check_only, out, err) : status;

release_text:
    if (owned) {
        cy_free(*owned);
        *owned = NULL;
    }
    return CY_ENOMEM;
}

cy_status cy_network_load_buffer(const char *data, size_t size,
                                 const char *name, cy_network **out,
                                 cy_error *err)
{
    const char *saved_file = err->file;
    cy_status status;

    cy_library_init();
    *out = NULL;
    if (name)
        err->file = name;
    status = load_text(data, size, NULL, 0, NULL, out, err);
    err->file = saved_file;
    return status;
}

static const char *file_type_name(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

/*
 * Files from this size are read by several threads at once: most of the
 * time of reading a large file goes into the page faults of the fresh
 * buffer (each one zeroes a page, slowly on a virtual machine: 0.3 s for
 * the 182 MB national file), and those are taken by the thread that
 * writes the page first.
 */
#define PARALLEL_READ_MIN ((size_t)16 << 20)
/* Parts start at multiples of a huge page (the buffer is advised huge
 * pages: alloc.c), so that no two threads fault the same page. */
#define PARALLEL_READ_ALIGN ((size_t)2 << 20)

typedef struct {
    int fd;
    char *buf;
    size_t size; /* the bytes to read: the size fstat gave */
    size_t part; /* the bytes of each part (the last may be shorter) */
} read_job;

/* Part `index` of the file into its place in the buffer; CY_EIO when the
 * file gave fewer bytes there (it shrank) or an error. */
static cy_status read_part(void *ctx, void *state, size_t index, cy_error *err)
{
    const read_job *job = ctx;
    size_t at = index * job->part;
    size_t end = job->size - at > job->part ? at + job->part : job->size;
    (void)state;
    (void)err;
    while (at < end) {
        ssize_t got = pread(job->fd, job->buf + at, end - at, (off_t)at);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return CY_EIO;
        at += (size_t)got;
    }
    return CY_OK;
}

/*
 * The first `size` bytes of the file into `buf`, in parts read at once on
 * the library's threads (pread: the file's offset stays at 0).  1 when
 * every part was read whole; 0 otherwise (the file is too small to gain,
 * one thread, or the file shrank or failed meanwhile): the caller then
 * reads the file from the start as if this had not run.
 */
static int read_parallel(int fd, char *buf, size_t size)
{
    read_job job = {fd, buf, size, 0};
    cy_i_par_job loop;
    cy_error scratch;
    size_t threads = cy_threads_get();
    cy_status status;

    if (size < PARALLEL_READ_MIN || threads < 2)
        return 0;
    job.part = (size / threads + PARALLEL_READ_ALIGN - 1) /
               PARALLEL_READ_ALIGN * PARALLEL_READ_ALIGN;
    memset(&loop, 0, sizeof loop);
    loop.count = (size + job.part - 1) / job.part;
    loop.ctx = &job;
    loop.item = read_part;
    cy_error_init(&scratch);
    status = cy_i_par_run(&loop, &scratch);
    cy_error_destroy(&scratch);
    return status == CY_OK;
}

/*
 * Read a whole regular file (internal.h).  The file is opened non-blocking
 * so that a FIFO cannot stall us before fstat says what it is; only
 * regular files are read, and never more than `limit` bytes.  A large file
 * is first read in parts on several threads (read_parallel), then to its
 * end as any other, in case it grew.
 */
cy_status cy_i_read_input(const char *path, size_t limit, const char *raise,
                          char **data, size_t *size, cy_error *err)
{
    struct stat st;
    int fd;
    char *buf = NULL;
    size_t used = 0, cap;
    cy_status status = CY_EIO;

    *data = NULL;
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int open_errno = errno;
        /* A socket cannot be opened at all (ENXIO): say what it is rather
         * than "No such device or address". */
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "not a regular file (it is %s)",
                         file_type_name(st.st_mode));
            return CY_EINPUT;
        }
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot open: %s",
                     strerror(open_errno));
        return CY_EIO;
    }
    if (fstat(fd, &st) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot stat: %s", strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "not a regular file (it is %s)", file_type_name(st.st_mode));
        status = CY_EINPUT;
        goto cleanup;
    }
    if ((uint64_t)st.st_size > (uint64_t)limit) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "file is %lld bytes, over the input limit of %zu bytes%s",
                     (long long)st.st_size, limit, raise);
        status = CY_EINPUT;
        goto cleanup;
    }
    /* The size may change while we read; read to EOF within the limit. */
    cap = (size_t)st.st_size + 1;
    buf = cy_malloc(cap);
    if (!buf) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the file");
        status = CY_ENOMEM;
        goto cleanup;
    }
    if (read_parallel(fd, buf, (size_t)st.st_size) &&
        lseek(fd, st.st_size, SEEK_SET) == st.st_size)
        used = (size_t)st.st_size;
    for (;;) {
        ssize_t got;
        if (used == cap) {
            if (cap > limit) {
                cy_error_add(err, CY_SEV_ERROR, NULL,
                             "file grew over the input limit of %zu bytes "
                             "while being read", limit);
                status = CY_EINPUT;
                goto cleanup;
            }
            if (!cy_i_grow((void **)&buf, &cap, cap + 1, 1)) {
                status = CY_ENOMEM;
                cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory reading the file");
                goto cleanup;
            }
        }
        got = read(fd, buf + used, cap - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "cannot read: %s", strerror(errno));
            goto cleanup;
        }
        if (got == 0)
            break;
        used += (size_t)got;
    }
    *data = buf;
    *size = used;
    buf = NULL;
    status = CY_OK;
cleanup:
    cy_free(buf);
    close(fd);
    return status;
}

/* cy_network_load, or with `check_only` the load behind cy_network_check. */
static cy_status load_file(const char *path, const cy_load_options *options,
                           int check_only, cy_network **out, cy_error *err)
{
    const char *saved_file = err->file;
    size_t limit = options && options->max_input_bytes
                       ? options->max_input_bytes
                       : CY_DEFAULT_MAX_INPUT;
    char *data = NULL;
    size_t size = 0;
    cy_status status;

    cy_library_init();
    *out = NULL;
    err->file = path;
    status = cy_i_read_input(path, limit, CY_I_RAISE_LIMIT, &data, &size, err);
    if (status == CY_OK)
        status = load_text(data, size, &data, check_only, options, out, err);
    cy_free(data);
    err->file = saved_file;
    return status;
}

cy_status cy_network_load(const char *path, const cy_load_options *options,
                          cy_network **out, cy_error *err)
{
    return load_file(path, options, 0, out, err);
}

cy_status cy_network_check(const char *path, const cy_load_options *options,
                           size_t *enterprise_count, size_t *link_count,
                           cy_error *err)
{
    cy_network *net = NULL;
    cy_status status = load_file(path, options, 1, &net, err);
    if (enterprise_count)
        *enterprise_count = net ? net->enterprise_count : 0;
    if (link_count)
        *link_count = net ? net->link_count : 0;
    cy_network_free(net);
    return status;
}
