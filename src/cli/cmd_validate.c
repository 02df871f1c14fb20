/*
 * cmd_validate.c - chengyu validate [--format table|json] FILE
 */
#include "cli.h"

#include <jansson.h>

typedef struct {
    cli_common common;
} validate_args;

/* One diagnostic as a JSON object; NULL on OOM. */
static json_t *diagnostic_json(const cy_diag *d)
{
    return json_pack("{s:s, s:s?, s:s?, s:o, s:o, s:s}",
                     "severity", d->severity == CY_SEV_ERROR ? "error" : "warning",
                     "file", d->file, "path", d->path,
                     "line", d->line > 0 ? json_integer(d->line) : json_null(),
                     "column", d->column > 0 ? json_integer(d->column) : json_null(),
                     "message", d->message);
}

/*
 * The machine-readable verdict: whether the file is valid, its counts, and
 * every stored diagnostic with its JSON path (or line and column for a
 * parse error).  error_count and warning_count count every problem, stored
 * or not (at most 50 of each are stored); `quiet` leaves the warnings out
 * of the list.
 */
static json_t *verdict_json(const char *file, int ok, size_t enterprises,
                            size_t links, const cy_error *err, int quiet)
{
    json_t *list = json_array(), *doc;
    for (size_t i = 0; list && i < err->count; i++)
        if ((!quiet || err->items[i].severity == CY_SEV_ERROR) &&
            json_array_append_new(list, diagnostic_json(&err->items[i])) != 0) {
            json_decref(list);
            list = NULL;
        }
    doc = json_pack("{s:s, s:b, s:o, s:o, s:I, s:I, s:o?}", "file", file, "ok", ok,
                    "enterprises", ok ? json_integer((json_int_t)enterprises) : json_null(),
                    "links", ok ? json_integer((json_int_t)links) : json_null(),
                    "error_count", (json_int_t)err->error_count,
                    "warning_count", (json_int_t)err->warning_count,
                    "diagnostics", list);
    if (doc && !list) {
        json_decref(doc);
        doc = NULL;
    }
    return doc;
}

static int run_json(const validate_args *args, const char *input)
{
    size_t enterprises = 0, links = 0;
    cy_error err;
    cli_output out;
    int ok, code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    ok = cli_check_into(input, &enterprises, &links, &err);
    if (cli_output_begin(&out, args->common.output, input)) {
        int written = cli_write_json(out.stream,
                                     verdict_json(input, ok, enterprises, links, &err,
                                                  args->common.quiet));
        code = cli_output_end(&out, written);
        if (code == CY_EXIT_OK && !ok)
            code = CY_EXIT_FAILURE;
    }
    cy_error_destroy(&err);
    return code;
}

static int run_validate(void *args_, int count, char **operands)
{
    validate_args *args = args_;
    size_t enterprise_count, link_count;
    cli_output out;
    (void)count;
    if (args->common.format == CLI_FORMAT_JSON)
        return run_json(args, operands[0]);
    if (!cli_check(operands[0], &enterprise_count, &link_count, args->common.quiet))
        return CY_EXIT_FAILURE;
    if (!cli_output_begin(&out, args->common.output, operands[0]))
        return CY_EXIT_FAILURE;
    fprintf(out.stream, "ok: %zu enterprises, %zu links\n", enterprise_count, link_count);
    return cli_output_end(&out, 1);
}

static const char *const validate_synopsis[] = {"[--format table|json] [-o OUT] FILE", NULL};

static const cli_option validate_options[] = {
    CLI_OPT_FORMAT(validate_args, cli_formats_table_json,
                   "table (default): 'ok: N enterprises, M links' or the problems\n"
                   "on standard error; json: the verdict and every diagnostic\n"
                   "as one JSON document (docs/cli.md)"),
    CLI_OPT_OUTPUT(validate_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(validate_args),
    CLI_OPT_END};

const cli_spec cli_spec_validate = {
    "validate", "check a network file against chengyu/1", validate_synopsis,
    "Check FILE against the chengyu/1 format and print 'ok: N enterprises, "
    "M links' or every problem found (up to 50 errors), each with its JSON "
    "path.  Warnings do not fail validation.  Exit status 1 when the file is "
    "invalid, in either format.",
    validate_options, sizeof(validate_args), NULL, "FILE", 1, 1, run_validate};
