/*
 * cmd_import.c - chengyu import INPUT [-o OUT.json]; chengyu import --template FILE.xlsx
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const import_usage[] = {
    "usage: chengyu import [--encoding ENC] [-q] [-o OUT.json] INPUT",
    "       chengyu import --template FILE.xlsx",
    "",
    "Read a network from an .xlsx workbook (sheets enterprises, links and",
    "optionally parks, clusters, regions, network) or a folder of CSV tables",
    "(enterprises.csv, links.csv, ...), check it exactly as a chengyu/1 file",
    "is checked, and write it as chengyu/1 JSON.  Columns are chengyu/1 keys or",
    "their Chinese aliases (docs/spreadsheets.md).  Every problem is reported",
    "at its sheet and cell; nothing is written when there is one.",
    "",
    "    -o, --output OUT    write the JSON to OUT atomically (default: standard output)",
    "    -t, --template F    write an empty workbook to fill in: every sheet and",
    "                        column, explained in Chinese and English, two example rows",
    "    -e, --encoding ENC  CSV files are in ENC (any iconv name: GB18030, GBK,",
    "                        UTF-8, ...); default: UTF-8, or GB18030 when not UTF-8",
    "    -q, --quiet         do not print warnings",
    "    -h, --help          show this help",
    NULL};

static int write_template(const char *path)
{
    cli_output out;
    cy_error err;
    int ok;
    if (!cli_output_begin(&out, path, NULL))
        return CY_EXIT_FAILURE;
    cy_error_init(&err);
    ok = cy_write_template(out.stream, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    cy_error_destroy(&err);
    return cli_output_end(&out, ok);
}

static int import_to_json(const char *input, const char *output_path,
                          const char *encoding, int quiet)
{
    cy_import_options options;
    size_t enterprises = 0, links = 0;
    cy_status status;
    cli_output out;
    cy_error err;
    int code;

    cli_encoding = encoding;
    if (!cli_import_options(&options))
        return CY_EXIT_FAILURE;
    if (!cy_import_is_spreadsheet(input)) {
        cli_error("%s: not an .xlsx workbook or a folder of CSV tables", input);
        return CY_EXIT_FAILURE;
    }
    if (!cli_output_begin(&out, output_path, input))
        return CY_EXIT_FAILURE;
    cy_error_init(&err);
    status = cy_import_load(input, &options, NULL, &enterprises, &links, out.stream, &err);
    if (status != CY_OK || !quiet)
        cli_report(&err);
    if (status != CY_OK && err.error_count == 0)
        cli_error("%s: %s", input, cy_status_string(status));
    code = cli_output_end(&out, status == CY_OK);
    if (code == CY_EXIT_OK && output_path && strcmp(output_path, "-") != 0 && !quiet)
        fprintf(stderr, "chengyu: %s: %zu enterprises, %zu links written to %s\n", input,
                enterprises, links, output_path);
    cy_error_destroy(&err);
    return code;
}

int cmd_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"encoding", required_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *output_path = NULL, *template_path = NULL, *encoding = NULL;
    int c, quiet = 0;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:t:e:qh", options, NULL)) != -1) {
        switch (c) {
        case 'o': output_path = optarg; break;
        case 't': template_path = optarg; break;
        case 'e': encoding = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': return cli_help(import_usage);
        default:
            return cli_usage_error(import_usage, "import: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (template_path) {
        if (optind != argc || output_path)
            return cli_usage_error(import_usage, "import: --template takes no INPUT and no -o");
        return write_template(template_path);
    }
    if (optind != argc - 1)
        return cli_usage_error(import_usage, "import: expected one INPUT");
    return import_to_json(argv[optind], output_path, encoding, quiet);
}
