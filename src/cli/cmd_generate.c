/*
 * cmd_generate.c - chengyu generate --preset P [--seed N] [--oems N]
 *                  [--suppliers N] [--no-stress-fields] [-o OUT]
 */
#include "cli.h"

#include <string.h>

typedef struct {
    cli_common common;
    int preset;
    uint64_t seed;
    size_t oems, suppliers;
    int no_stress_fields;
    double max_seconds;
} generate_args;

/* The generator's pace for the estimate before it starts: seconds a firm
 * (the file holds about 910 bytes a firm, five links), 1.5 times what the
 * national preset took (docs/performance.md, "The estimates before a
 * run"). */
#define GENERATE_SECONDS_PER_FIRM 3.6e-5

/* A --max-seconds stop in the middle of the writing: nothing is kept. */
static void abort_output(void *out)
{
    cli_output_end(out, 0);
}

static void init_generate(void *args_)
{
    generate_args *args = args_;
    args->preset = -1;
    args->seed = 1;
}

static int run_generate(void *args_, int count, char **operands)
{
    generate_args *args = args_;
    cy_generate_params params = {CY_PRESET_REGIONAL, 1, 0, 0, 0};
    cli_progress progress;
    cli_output out;
    cy_error err;
    cy_status status;
    char what[64];
    size_t firms;
    int code;
    (void)count;
    (void)operands;

    if (args->preset < 0)
        return cli_usage(&cli_spec_generate, "--preset is required");
    params.preset = (cy_preset)args->preset;
    params.seed = args->seed;
    params.oem_count = (long)args->oems;
    params.supplier_count = (long)args->suppliers;
    params.omit_stress_fields = args->no_stress_fields;
    cli_progress_init(&progress, "generate", args->common.quiet, args->max_seconds);
    cli_progress_steps(&progress);
    firms = cy_generate_firm_count(&params);
    snprintf(what, sizeof what, "%zu firms", firms);
    if (firms && !cli_progress_check(&progress, what, (double)firms * GENERATE_SECONDS_PER_FIRM))
        return CY_EXIT_FAILURE;
    if (!cli_output_begin(&out, args->common.output, NULL))
        return CY_EXIT_FAILURE;
    cli_progress_on_stop(&progress, abort_output, &out);
    cy_error_init(&err);
    status = cy_generate_run(&params, cli_progress_update, &progress, out.stream, &err);
    cli_progress_clear(&progress);
    if (status != CY_OK) {
        cli_report(&err);
        cli_output_end(&out, 0);
        /* Counts the generator refuses (--suppliers 2) are bad option
         * values: a usage error, like those refused by the option table. */
        code = status == CY_EUSAGE ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
    } else {
        code = cli_output_end(&out, 1);
    }
    cy_error_destroy(&err);
    return code;
}

static const cli_choice presets[] = {
    {"regional", CY_PRESET_REGIONAL, "45 automakers, 1,600 other firms"},
    {"province", CY_PRESET_PROVINCE, "about 20,000 firms"},
    {"national", CY_PRESET_NATIONAL, "about 200,000 firms, 1,000,000 links"},
    {"xl", CY_PRESET_XL, "about 1,000,000 firms, 5,200,000 links"},
    {"dense", CY_PRESET_DENSE, "800 firms, about 2,900 links, unlayered"},
    {NULL, 0, NULL}};

static const cli_choice generate_formats[] = {
    {"json", CLI_FORMAT_JSON, "chengyu/1"}, {NULL, 0, NULL}};

static const char *const generate_synopsis[] = {
    "--preset regional|province|national|xl|dense [--seed N] [--oems N]",
    "        [--suppliers N] [--no-stress-fields] [--max-seconds S] [-o OUT]", NULL};

static const cli_option generate_options[] = {
    CLI_OPT_CHOICE('p', "preset", generate_args, preset, "P", presets,
                   "regional, province, national, xl or dense (required)"),
    CLI_OPT_U64('s', "seed", generate_args, seed, "N", "random seed (default 1)"),
    CLI_OPT_SIZE(0, "oems", generate_args, oems, "N", 1, 100000000,
                 "number of automotive OEMs (dense: of firms of kind oem; "
                 "default: the preset's)"),
    CLI_OPT_SIZE(0, "suppliers", generate_args, suppliers, "N", 1, 100000000,
                 "number of other firms (default: the preset's)"),
    CLI_OPT_FLAG(0, "no-stress-fields", generate_args, no_stress_fields,
                 "leave out capacity, inventory_days and recovery_days\n"
                 "(synthetic figures every enterprise gets by default)"),
    CLI_OPT_FORMAT(generate_args, generate_formats, "json (the only format: chengyu/1)"),
    CLI_OPT_OUTPUT(generate_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_MAX_SECONDS(generate_args, max_seconds),
    CLI_OPT_QUIET(generate_args),
    CLI_OPT_THREADS(generate_args),
    CLI_OPT_END};

const cli_spec cli_spec_generate = {
    "generate", "write a synthetic network (regional, province, national, xl, dense)",
    generate_synopsis,
    "Write a deterministic synthetic chengyu/1 network: the same options give "
    "a byte-identical file.  regional: 45 automakers and 1,600 other firms, "
    "20 demonstration parks, the Chongqing 1+10+1000 and 5+6+800 clusters; "
    "province: about 20,000 firms; national: about 200,000 firms and "
    "1,000,000 links; xl: about 1,000,000 firms and 5,200,000 links (a 1 GB "
    "file).  dense: 800 firms and about 2,900 links without tiers or parks, "
    "one part name, many mutual supplier-customer pairs (the shape of a real "
    "inter-firm transaction network).  Every enterprise also gets synthetic "
    "figures for the stress test: a capacity 0-30% above its output, 0-14 "
    "days of stock and, on about half the firms, 5-90 days to recover "
    "(ranges by kind; --no-stress-fields leaves them out, the rest of the "
    "file unchanged).",
    generate_options, sizeof(generate_args), init_generate, NULL, 0, 0,
    run_generate};
