/*
 * cmd_weaklinks.c - chengyu weak-links FILE [--format md|csv|json|html]
 *                   [--top N] [--threshold T] [-o FILE]
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const weaklinks_usage[] = {
    "usage: chengyu weak-links [--format md|csv|json|html] [--top N]",
    "                          [--threshold T] [-o OUT] FILE",
    "",
    "Report the weak links of a supply network: single-sourced parts,",
    "chokepoints of each OEM, articulation points and bridges, the cascade",
    "of every single failure and of each park and region failing, supply",
    "concentration (HHI), local supply and cross-region flows of the",
    "Chengdu-Chongqing circle, and second-source recommendations, ranked by",
    "a severity score (docs/analyses.md).",
    "",
    "    -f, --format F      md (default), csv, json or html",
    "    -n, --top N         keep the N first entries of each ranked list",
    "                        (0 = all; default all for json and csv, 50 for",
    "                        md and html)",
    "    -t, --threshold T   cascade threshold in [0, 1] (default 0: a firm",
    "                        fails only when a required part has no supplier)",
    "    -o, --output OUT    write to OUT atomically instead of standard output",
    "    -h, --help          show this help",
    NULL};

/* The default --top of the formats meant to be read by people. */
#define READABLE_TOP 50

typedef enum { FORMAT_MD, FORMAT_CSV, FORMAT_JSON, FORMAT_HTML } report_format;

static int parse_format(const char *text, report_format *format)
{
    static const struct {
        const char *name;
        report_format format;
    } formats[] = {{"md", FORMAT_MD}, {"csv", FORMAT_CSV},
                   {"json", FORMAT_JSON}, {"html", FORMAT_HTML}};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(text, formats[i].name) == 0) {
            *format = formats[i].format;
            return 1;
        }
    return 0;
}

/*
 * The HTML report: the figures come from the render module (diagrams with
 * the weak links highlighted, the robustness plot), rendered to SVG in
 * memory, then the page is written atomically.  Returns the exit code.
 */
static int cli_weaklinks_html(const cy_network *net, const cy_weaklinks *report,
                              size_t top, const char *output_path, const char *input)
{
    cy_error err;
    cli_output out;
    cy_status status;
    int code;

    cy_error_init(&err);
    if (!cli_output_begin(&out, output_path, input)) {
        cy_error_destroy(&err);
        return CY_EXIT_FAILURE;
    }
    status = cy_weaklinks_write_html(net, report, top, NULL, 0, out.stream, &err);
    if (status != CY_OK)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
    cy_error_destroy(&err);
    return code;
}

int cmd_weaklinks(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"top", required_argument, NULL, 'n'},
        {"threshold", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *output_path = NULL, *input;
    report_format format = FORMAT_MD;
    unsigned long long top = 0;
    int top_given = 0, c, code = CY_EXIT_FAILURE;
    cy_weaklinks_options wl_options = {0.0};
    cy_weaklinks *report = NULL;
    cy_network *net = NULL;
    cy_status status;
    cy_error err;
    cli_output out;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:n:t:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!parse_format(optarg, &format))
                return cli_usage_error(weaklinks_usage,
                                       "weak-links: unknown format '%s' (md, csv, json or html)",
                                       optarg);
            break;
        case 'n':
            if (!cli_parse_ulong(optarg, (unsigned long long)SIZE_MAX, &top))
                return cli_usage_error(weaklinks_usage,
                                       "weak-links: --top: expected a non-negative integer, got '%s'",
                                       optarg);
            top_given = 1;
            break;
        case 't':
            if (!cli_parse_double(optarg, &wl_options.threshold) ||
                wl_options.threshold < 0.0 || wl_options.threshold > 1.0)
                return cli_usage_error(weaklinks_usage,
                                       "weak-links: --threshold: expected a number in [0, 1], got '%s'",
                                       optarg);
            break;
        case 'o': output_path = optarg; break;
        case 'h': return cli_help(weaklinks_usage);
        default:
            return cli_usage_error(weaklinks_usage,
                                   "weak-links: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(weaklinks_usage, "weak-links: expected one FILE");
    input = argv[optind];
    if (!top_given && (format == FORMAT_MD || format == FORMAT_HTML))
        top = READABLE_TOP;

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_weaklinks_compute(net, &wl_options, &report, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    if (format == FORMAT_HTML) {
        code = cli_weaklinks_html(net, report, (size_t)top, output_path, input);
        goto cleanup;
    }
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    switch (format) {
    case FORMAT_CSV: status = cy_weaklinks_write_csv(net, report, (size_t)top, out.stream, &err); break;
    case FORMAT_JSON: status = cy_weaklinks_write_json(net, report, (size_t)top, out.stream, &err); break;
    default: status = cy_weaklinks_write_md(net, report, (size_t)top, out.stream, &err); break;
    }
    if (status != CY_OK)
        cli_report(&err);
    code = cli_output_end(&out, status == CY_OK);
cleanup:
    cy_weaklinks_free(report);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
