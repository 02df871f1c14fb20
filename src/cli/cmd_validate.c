/*
 * cmd_validate.c - chengyu validate [--format table|json] FILE
 */
#include "cli.h"

typedef struct {
    cli_common common;
} validate_args;

static int run_json(const validate_args *args, const char *input)
{
    size_t enterprises = 0, links = 0;
    cy_write_options options;
    cy_error err, write_err;
    cli_output out;
    int ok, code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    cy_error_init(&write_err);
    ok = cli_check_into(input, &enterprises, &links, &err);
    cli_write_options(&args->common, CY_FORMAT_JSON, &options);
    if (cli_output_begin(&out, args->common.output, input)) {
        int written = cli_write(cy_validation_write(input, ok, enterprises, links, &err,
                                                    args->common.quiet, &options,
                                                    out.stream, &write_err),
                                &write_err);
        code = cli_output_end(&out, written);
        if (code == CY_EXIT_OK && !ok)
            code = CY_EXIT_FAILURE;
    }
    cy_error_destroy(&err);
    cy_error_destroy(&write_err);
    return code;
}

/* The table verdict: the problems on standard error (cli_check), then the
 * "ok" line written by the report layer like every other output. */
static int run_validate(void *args_, int count, char **operands)
{
    validate_args *args = args_;
    size_t enterprise_count, link_count;
    cy_write_options options;
    cy_error none, err;
    cli_output out;
    int written;
    (void)count;
    if (args->common.format == CLI_FORMAT_JSON)
        return run_json(args, operands[0]);
    if (!cli_check(operands[0], &enterprise_count, &link_count, args->common.quiet))
        return CY_EXIT_FAILURE;
    if (!cli_output_begin(&out, args->common.output, operands[0]))
        return CY_EXIT_FAILURE;
    cy_error_init(&none);
    cy_error_init(&err);
    cli_write_options(&args->common, CY_FORMAT_TEXT, &options);
    written = cli_write(cy_validation_write(operands[0], 1, enterprise_count, link_count,
                                            &none, args->common.quiet, &options,
                                            out.stream, &err),
                        &err);
    cy_error_destroy(&none);
    cy_error_destroy(&err);
    return cli_output_end(&out, written);
}

static const char *const validate_synopsis[] = {"[--format table|json] [-o OUT] FILE", NULL};

static const cli_option validate_options[] = {
    CLI_OPT_FORMAT(validate_args, cli_formats_table_json,
                   "table (default): 'ok: N enterprises, M links' or the problems\n"
                   "on standard error; json: the verdict and every diagnostic\n"
                   "as one JSON document (docs/cli.md)"),
    CLI_OPT_OUTPUT(validate_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(validate_args),
    CLI_OPT_THREADS(validate_args),
    CLI_OPT_END};

const cli_spec cli_spec_validate = {
    "validate", "check a network file against chengyu/1", validate_synopsis,
    "Check FILE against the chengyu/1 format and print 'ok: N enterprises, "
    "M links' or every problem found (up to 50 errors), each with its JSON "
    "path.  Warnings do not fail validation.  Exit status 1 when the file is "
    "invalid, in either format.",
    validate_options, sizeof(validate_args), NULL, "FILE", 1, 1, run_validate};
