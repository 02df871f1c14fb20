/*
 * cli_common.c - helpers shared by the command files.
 */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("chengyu: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *const *usage, const char *fmt, ...)
{
    va_list ap;
    fputs("chengyu: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    for (const char *const *line = usage; *line; line++)
        fprintf(stderr, "%s\n", *line);
    return CY_EXIT_USAGE;
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

int cli_help(const char *const *usage)
{
    for (const char *const *line = usage; *line; line++)
        printf("%s\n", *line);
    return cli_check_stdout();
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

/*
 * cli_load, or with `net` NULL cli_check (the counts then go to
 * `enterprise_count` and `link_count`).
 */
static int load_or_check(const char *path, cy_network **net,
                         size_t *enterprise_count, size_t *link_count,
                         int quiet)
{
    cy_error err;
    cy_load_options options = {0};
    const char *limit = getenv("CHENGYU_MAX_INPUT_BYTES");
    cy_status status;

    if (limit) {
        unsigned long long value;
        if (!cli_parse_ulong(limit, (unsigned long long)SIZE_MAX, &value) ||
            value == 0) {
            cli_error("CHENGYU_MAX_INPUT_BYTES: expected a positive number of "
                      "bytes, got '%s'", limit);
            return 0;
        }
        options.max_input_bytes = (size_t)value;
    }
    cy_error_init(&err);
#ifdef __GLIBC__
    /*
     * The DOM path of the loader frees the parsed document record by record
     * while it builds the model: tens of millions of small blocks.  glibc
     * parks small freed blocks in "fastbins" and coalesces them only at the
     * next large allocation, when they have left the cache; on the national
     * preset that deferred pass (malloc_consolidate) was a tenth of the load
     * and a third of its cache misses.  Without fastbins each block is
     * coalesced as it is freed, while still in cache.  The streaming path
     * parses records into the record arena instead and frees far less, but
     * still gains 4% fewer L1 misses on province (cachegrind).  Only for the
     * load: glibc's default (64 * sizeof(size_t) / 4 bytes) is restored
     * afterwards.
     */
    mallopt(M_MXFAST, 0);
#endif
    status = net ? cy_network_load(path, &options, net, &err)
                 : cy_network_check(path, &options, enterprise_count,
                                    link_count, &err);
#ifdef __GLIBC__
    mallopt(M_MXFAST, 64 * (int)sizeof(size_t) / 4);
#endif
    if (status != CY_OK || !quiet)
        cli_report(&err);
    if (status != CY_OK && err.error_count == 0)
        cli_error("%s: %s", path, cy_status_string(status));
    cy_error_destroy(&err);
    return status == CY_OK;
}

int cli_load(const char *path, cy_network **net, int quiet)
{
    return load_or_check(path, net, NULL, NULL, quiet);
}

int cli_check(const char *path, size_t *enterprise_count, size_t *link_count,
              int quiet)
{
    return load_or_check(path, NULL, enterprise_count, link_count, quiet);
}

int cli_output_begin(cli_output *out, const char *path, const char *input_path)
{
    cy_error err;
    out->file = NULL;
    out->stream = stdout;
    if (!path || strcmp(path, "-") == 0)
        return 1;
    cy_error_init(&err);
    if (cy_output_open(path, input_path, &out->file, &err) != CY_OK) {
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

json_t *cli_json_ids(const cy_network *net, const size_t *items, size_t count)
{
    json_t *array = json_array();
    for (size_t k = 0; array && k < count; k++) {
        if (json_array_append_new(array, json_string(cy_enterprise_id(net, items[k])))) {
            json_decref(array);
            return NULL;
        }
    }
    return array;
}

int cli_write_json(FILE *out, json_t *doc)
{
    int ok = doc && json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                             JSON_REAL_PRECISION(17)) == 0;
    if (ok)
        fputc('\n', out);
    else if (!doc)
        cli_error("out of memory");
    json_decref(doc);
    return ok;
}
