/*
 * cmd_info.c - chengyu info FILE [--format text|json] [-o FILE]
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char *const info_usage[] = {
    "usage: chengyu info [--format text|json] [-o OUT] FILE",
    "",
    "Summarise a network: counts by kind, tier, region, park and cluster;",
    "links, distinct parts, weakly connected components, density, degree",
    "min/median/max (firm graph, in + out), single-sourced (enterprise, part)",
    "pairs and required parts with no supplier.",
    "",
    "    -f, --format F   text (default) or json",
    "    -o, --output OUT write to OUT atomically instead of standard output",
    "    -h, --help       show this help",
    NULL};

int cmd_info(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = "text", *output_path = NULL, *input;
    cy_network *net = NULL;
    cy_info info;
    cy_write_options write_options;
    cy_error err;
    cli_output out;
    int c, have_info = 0, code = CY_EXIT_FAILURE;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': output_path = optarg; break;
        case 'h': return cli_help(info_usage);
        default:
            return cli_usage_error(info_usage, "info: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
        return cli_usage_error(info_usage, "info: unknown format '%s' (text or json)", format);
    if (optind != argc - 1)
        return cli_usage_error(info_usage, "info: expected one FILE");
    input = argv[optind];

    cy_error_init(&err);
    if (!cli_load(input, &net, 1))
        goto cleanup;
    if (cy_info_compute(net, &info, &err) != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    have_info = 1;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    cy_write_options_init(&write_options, strcmp(format, "json") == 0 ? CY_FORMAT_JSON
                                                                : CY_FORMAT_TEXT);
    code = cli_output_end(&out, cli_write(cy_info_write(net, &info, &write_options, out.stream,
                                                        &err), &err));
cleanup:
    if (have_info)
        cy_info_destroy(&info);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
