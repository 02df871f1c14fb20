/*
 * cmd_scenarios.c - chengyu scenarios [--model M] [--threshold T] [--demand-of IDS]
 *                   [--top N] [--format table|csv|json|md|html|xlsx] [-o OUT]
 *                   NETWORK SCENARIOS
 */
#include "cli.h"

#include <string.h>

typedef struct {
    cli_common common;
    int model;
    double threshold;
    size_t top;
    cli_strings demand_of;
} scenarios_args;

static void init_scenarios(void *args_)
{
    scenarios_args *args = args_;
    args->model = -1;
}

/* The scenarios: a file (the library reads it), or a stream ("-", a pipe,
 * a FIFO) read here as the network input is, within the same limit. */
static cy_status load_scenarios(const char *file, const cy_network *net, const cli_input *kept,
                                const cy_import_options *import, cy_scenarios *set,
                                cy_error *err)
{
    char *data = NULL;
    size_t size = 0;
    cy_status status;
    if (!cli_is_stream(file))
        return cy_scenarios_load(file, net, kept->path, import, set, err);
    status = cli_read_stream(file, import->max_input_bytes, 1, &data, &size, err);
    if (status == CY_OK)
        status = cy_scenarios_load_buffer(data, size, strcmp(file, "-") == 0 ? "<stdin>" : file,
                                          net, kept->path, import, set, err);
    cy_free(data);
    return status;
}

static int run_scenarios(void *args_, int count, char **operands)
{
    scenarios_args *args = args_;
    const char *input = operands[0], *file = operands[1];
    const char *inputs[2] = {operands[0], operands[1]};
    cy_network *net = NULL;
    cy_scenarios set;
    cy_scenarios_result result;
    cy_scenarios_options options = {args->threshold, args->model, NULL, 0};
    cli_index_list demand_of = {NULL, 0, 0};
    cy_write_options write;
    cy_import_options import;
    cy_error err;
    cli_output out;
    cli_input kept = {NULL, NULL, -1, ""};
    int code = CY_EXIT_FAILURE;
    (void)count;

    memset(&set, 0, sizeof set);
    memset(&result, 0, sizeof result);
    cy_error_init(&err);
    if (strcmp(input, "-") == 0 && strcmp(file, "-") == 0)
        return cli_usage(&cli_spec_scenarios, "NETWORK and SCENARIOS cannot both be standard "
                                              "input");
    if (args->common.format == CLI_FORMAT_NONE)
        args->common.format = cli_format_from_path(&cli_spec_scenarios, args->common.output,
                                                   CLI_FORMAT_TABLE);
    if (args->common.format == CLI_FORMAT_XLSX && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_scenarios, "--format xlsx needs -o FILE.xlsx");
    if (!cli_import_options(&import) || !cli_load_kept(input, &net, args->common.quiet, &kept))
        goto cleanup;
    for (size_t k = 0; k < args->demand_of.count; k++) {
        int resolved = cli_resolve_ids(&cli_spec_scenarios, net, input, "--demand-of",
                                       args->demand_of.items[k], &demand_of);
        if (resolved <= 0) {
            code = resolved < 0 ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
            goto cleanup;
        }
    }
    options.demand_of = demand_of.items;
    options.demand_of_count = demand_of.count;
    import.label = kept.name;
    if (load_scenarios(file, net, &kept, &import, &set, &err) != CY_OK ||
        cy_scenarios_run(net, &set, &options, &result, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    /* The warnings of the scenario file and of the run (a scenario whose
     * time figures could not be computed says why), before the report. */
    if (!args->common.quiet)
        cli_report(&err);
    cy_error_clear(&err);
    cli_write_options(&args->common, CY_FORMAT_TEXT, &write);
    write.top = args->top;
    if (cli_output_begin_inputs(&out, args->common.output, inputs, 2, 1))
        code = cli_output_end(
            &out, cli_write(args->common.format == CLI_FORMAT_XLSX
                                ? cy_scenarios_write_xlsx(net, &set, &result, out.stream, &err)
                                : cy_scenarios_write(net, &set, &result, &write, out.stream,
                                                     &err),
                            &err));
cleanup:
    cy_free(demand_of.items);
    cy_scenarios_result_destroy(&result);
    cy_scenarios_destroy(&set);
    cy_network_free(net);
    cli_input_close(&kept);
    cy_error_destroy(&err);
    return code;
}

static const cli_choice scenarios_formats[] = {
    {"table", CLI_FORMAT_TABLE, "lines for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "one row per scenario"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"md", CLI_FORMAT_MD, "Markdown"},
    {"html", CLI_FORMAT_HTML, "one HTML page"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook: scenarios, weak links, about\n"
                              "(needs -o FILE.xlsx)"},
    {NULL, 0, NULL}};

static const cli_choice scenarios_models[] = {
    {"threshold", CY_CASCADE_THRESHOLD, "a firm runs or stops"},
    {"fractional", CY_CASCADE_FRACTIONAL, "output fractions"},
    {NULL, 0, NULL}};

static const char *const scenarios_synopsis[] = {
    "[--model threshold|fractional] [--threshold T] [--demand-of IDS]",
    "        [--top N] [--format table|csv|json|md|html|xlsx] [-o OUT]",
    "        NETWORK SCENARIOS", NULL};

static const cli_option scenarios_options[] = {
    CLI_OPT_CHOICE_ONCE(0, "model", scenarios_args, model, "MODEL", scenarios_models,
                        "the cascade model of every scenario (default:\n"
                        "fractional for a scenario with a capacity between\n"
                        "0 and 1, threshold otherwise)"),
    CLI_OPT_THRESHOLD(scenarios_args, threshold),
    CLI_OPT_STRINGS(0, "demand-of", scenarios_args, demand_of, "IDS",
                    "the time to survive and the impact count only these\n"
                    "firms' final demand (the automakers, say; comma-\n"
                    "separated, repeatable), as in chengyu stress"),
    CLI_OPT_TOP(scenarios_args, top, "the register's first N firms per scenario\n"
                                     "(default 5)"),
    CLI_OPT_FORMAT(scenarios_args, scenarios_formats,
                   "table (default; alias text), csv, json, md, html\n"
                   "or xlsx"),
    CLI_OPT_OUTPUT(scenarios_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(scenarios_args),
    CLI_OPT_THREADS(scenarios_args),
    CLI_OPT_LANG(scenarios_args),
    CLI_OPT_CSV_RAW(scenarios_args),
    CLI_OPT_END};

const cli_spec cli_spec_scenarios = {
    "scenarios", "run a file of what-if scenarios and compare them", scenarios_synopsis,
    "Run every scenario of a chengyu-scenarios/1 JSON file, or of a "
    "spreadsheet (a \"scenarios\" sheet of an .xlsx workbook, a .csv file, "
    "a folder holding scenarios.csv; one row per shock or mitigation; "
    "docs/scenarios.md), against the network (any input, - included): its "
    "shocks (firms, parks, regions, each failing or "
    "keeping a fraction of its capacity) on a copy of the network with its "
    "mitigations applied (firms and links added, links removed, shares, "
    "volumes, capacities and inventories changed, firms moved).  For each "
    "scenario: the firms and demand nodes that fail, the final demand lost, "
    "the weak-link register's top firms after the mitigations, the change "
    "from the baseline, and which weak links the mitigations removed and "
    "created.  A bad scenario file is reported with JSON paths (sheet and "
    "cell for a spreadsheet) and nothing is written.",
    scenarios_options, sizeof(scenarios_args), init_scenarios, "NETWORK SCENARIOS", 2, 2,
    run_scenarios};
