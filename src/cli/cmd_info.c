/*
 * cmd_info.c - chengyu info [--format table|json] [-o OUT] FILE
 */
#include "cli.h"

#include <string.h>

typedef struct {
    cli_common common;
} info_args;

static int run_info(void *args_, int count, char **operands)
{
    info_args *args = args_;
    const char *input = operands[0];
    cy_network *net = NULL;
    cy_info info;
    cy_write_options options;
    cy_error err;
    cli_output out;
    int have_info = 0, code = CY_EXIT_FAILURE;
    (void)count;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_info_compute(net, &info, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    have_info = 1;
    if (!cli_output_begin(&out, args->common.output, input))
        goto cleanup;
    cli_write_options(&args->common, CY_FORMAT_TEXT, &options);
    code = cli_output_end(&out, cli_write(cy_info_write(net, &info, &options, out.stream,
                                                        &err), &err));
cleanup:
    if (have_info)
        cy_info_destroy(&info);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}

static const char *const info_synopsis[] = {"[--format table|json] [-o OUT] FILE", NULL};

static const cli_option info_options[] = {
    CLI_OPT_FORMAT(info_args, cli_formats_table_json,
                   "table (default; alias text): lines for people; json"),
    CLI_OPT_OUTPUT(info_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(info_args),
    CLI_OPT_THREADS(info_args),
    CLI_OPT_LANG(info_args),
    CLI_OPT_END};

const cli_spec cli_spec_info = {
    "info", "counts and summary statistics of a network", info_synopsis,
    "Summarise a network: counts by kind, tier, region, park and cluster; "
    "links, distinct parts, weakly connected components, density, degree "
    "min/median/max (firm graph, in + out), single-sourced (enterprise, part) "
    "pairs and required parts with no supplier.",
    info_options, sizeof(info_args), NULL, "FILE", 1, 1, run_info};
