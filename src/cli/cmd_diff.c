/*
 * cmd_diff.c - chengyu diff [--format md|json|html|csv] [--threshold T]
 *              [-o OUT] OLD NEW
 *
 * Exit status 0 whether or not the versions differ (as `git diff`
 * without --exit-code): a difference is the answer, not a failure.
 */
#include "cli.h"

#include <string.h>

typedef struct {
    cli_common common;
    double threshold, max_seconds;
} diff_args;

static int run_diff(void *args_, int count, char **operands)
{
    diff_args *args = args_;
    const char *old_path = operands[0], *new_path = operands[1];
    cy_network *old_net = NULL, *new_net = NULL;
    cy_diff diff = {0};
    cy_write_options options;
    cli_progress progress;
    cy_error err;
    cli_output out;
    int code = CY_EXIT_FAILURE;
    (void)count;

    if (strcmp(old_path, "-") == 0 && strcmp(new_path, "-") == 0)
        return cli_usage(&cli_spec_diff, "OLD and NEW cannot both be standard input");
    if (args->common.output && strcmp(new_path, "-") != 0) {
        const char *paths[] = {args->common.output, new_path};
        const char *labels[] = {"-o", "NEW"};
        if ((code = cli_outputs_distinct(paths, labels, 2)) != CY_EXIT_OK)
            return code;
        code = CY_EXIT_FAILURE;
    }
    cy_error_init(&err);
    cli_progress_init(&progress, "diff", args->common.quiet, args->max_seconds);
    if (!cli_progress_check_load(&progress, old_path) ||
        !cli_progress_check_load(&progress, new_path) ||
        !cli_load(old_path, &old_net, args->common.quiet) ||
        !cli_load(new_path, &new_net, args->common.quiet))
        goto cleanup;
    /* The comparison computes both weak-link registers: its steps share
     * one bar, and nothing is written before it ends. */
    cli_progress_steps(&progress);
    if (cy_diff_run(old_net, new_net, args->threshold, cli_progress_update, &progress, &diff,
                    &err) != CY_OK) {
        cli_progress_clear(&progress);
        cli_report(&err);
        goto cleanup;
    }
    cli_progress_clear(&progress);
    if (!cli_output_begin(&out, args->common.output, old_path))
        goto cleanup;
    cli_write_options(&args->common, CY_FORMAT_MD, &options);
    code = cli_output_end(&out, cli_write(cy_diff_write(old_net, new_net, &diff, &options,
                                                        out.stream, &err), &err));
cleanup:
    cy_diff_destroy(&diff);
    cy_network_free(old_net);
    cy_network_free(new_net);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice diff_formats[] = {
    {"md", CLI_FORMAT_MD, "Markdown (default)"},
    {"table", CLI_FORMAT_MD, NULL},
    {"text", CLI_FORMAT_MD, NULL},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"html", CLI_FORMAT_HTML, "one self-contained page"},
    {"csv", CLI_FORMAT_CSV, "one row per changed field"},
    {NULL, 0, NULL}};

static const char *const diff_synopsis[] = {
    "[--format md|json|html|csv] [--threshold T] [--max-seconds S] [-o OUT] OLD NEW",
    NULL};

static const cli_option diff_options[] = {
    CLI_OPT_FORMAT(diff_args, diff_formats,
                   "md (default; the human format, alias table), json,\n"
                   "html or csv; with -o, OUT's extension picks the format"),
    CLI_OPT_THRESHOLD(diff_args, threshold),
    CLI_OPT_MAX_SECONDS(diff_args, max_seconds),
    CLI_OPT_OUTPUT(diff_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(diff_args),
    CLI_OPT_THREADS(diff_args),
    CLI_OPT_LANG(diff_args),
    CLI_OPT_CSV_RAW(diff_args),
    CLI_OPT_END};

const cli_spec cli_spec_diff = {
    "diff", "what changed between two versions of a network",
    diff_synopsis,
    "Compare two versions of a network (JSON, an xlsx workbook or a CSV "
    "folder each): the enterprises, links, parts, parks, clusters and "
    "regions added, removed or with changed fields (old and new value), "
    "matched by id (links by from, to and part), and the risk register of "
    "the weak links: firms whose row is new, resolved, or whose failure "
    "stops a different final demand or number of firms, largest change "
    "first (the register computed at --threshold).  Exit status 0 whether "
    "or not they differ.",
    diff_options, sizeof(diff_args), NULL, "OLD NEW", 2, 2, run_diff};
