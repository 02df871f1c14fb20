/*
 * cli_common.c - helpers shared by the command files.
 */
#include "cli.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_verror(const char *fmt, va_list ap)
{
    va_list copy;
    int length;
    char *message = NULL, *safe = NULL;
    size_t size;

    va_copy(copy, ap);
    length = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    /* A visible escape takes at most four bytes per byte of the message. */
    size = length < 0 ? 0 : 4 * (size_t)length + 8;
    if (size && (message = cy_malloc((size_t)length + 1)) && (safe = cy_malloc(size))) {
        vsnprintf(message, (size_t)length + 1, fmt, ap);
        fprintf(stderr, "chengyu: %s\n", cy_terminal_text(message, 0, safe, size));
    } else {
        fprintf(stderr, "chengyu: %s\n", cy_terminal_text(fmt, 0, (char[256]){0}, 256));
    }
    cy_free(message);
    cy_free(safe);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(fmt, ap);
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

int cli_usage_error(const char *const *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_verror(fmt, ap);
    va_end(ap);
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
     * The loader frees tens of millions of small blocks while it builds the
     * model.  glibc parks small freed blocks in "fastbins" and coalesces them
     * only at the next large allocation, when they have left the cache;
     * without fastbins each block is coalesced as it is freed, while still
     * in cache (docs/performance.md, "No glibc fastbins during the load").
     * Only for the load: glibc's default (64 * sizeof(size_t) / 4 bytes) is
     * restored afterwards.
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

int cli_write(cy_status status, cy_error *err)
{
    if (status != CY_OK)
        cli_report(err);
    return status == CY_OK;
}

cy_format cli_format(const char *name)
{
    static const cy_format formats[] = {CY_FORMAT_TEXT, CY_FORMAT_CSV, CY_FORMAT_JSON,
                                        CY_FORMAT_MD, CY_FORMAT_HTML};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++)
        if (strcmp(name, cy_format_name(formats[k])) == 0)
            return formats[k];
    return CY_FORMAT_TEXT;
}
