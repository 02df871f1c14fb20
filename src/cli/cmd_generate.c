/*
 * cmd_generate.c - chengyu generate --preset P [--seed N] [--oems N]
 *                  [--suppliers N] [-o FILE]
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char *const generate_usage[] = {
    "usage: chengyu generate --preset regional|province|national|xl|dense",
    "                        [--seed N] [--oems N] [--suppliers N] [-o OUT]",
    "",
    "Write a deterministic synthetic chengyu/1 network: the same options give",
    "a byte-identical file.  regional: 45 automakers and 1,600 other firms,",
    "20 demonstration parks, the Chongqing 1+10+1000 and 5+6+800 clusters;",
    "province: about 20,000 firms; national: about 200,000 firms and",
    "1,000,000 links; xl: about 1,000,000 firms and 5,200,000 links (a 1 GB",
    "file).  dense: 800 firms and about 2,900 links without tiers or parks,",
    "one part name, many mutual supplier-customer pairs (the shape of a real",
    "inter-firm transaction network).",
    "",
    "    -p, --preset P      regional, province, national, xl or dense (required)",
    "    -s, --seed N        random seed (default 1)",
    "        --oems N        number of automotive OEMs (dense: of firms of kind",
    "                        oem; default: the preset's)",
    "        --suppliers N   number of other firms (default: the preset's)",
    "    -o, --output OUT    write to OUT atomically instead of standard output",
    "    -h, --help          show this help",
    NULL};

int cmd_generate(int argc, char **argv)
{
    enum { OPT_OEMS = 256, OPT_SUPPLIERS };
    static const struct option options[] = {
        {"preset", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},
        {"oems", required_argument, NULL, OPT_OEMS},
        {"suppliers", required_argument, NULL, OPT_SUPPLIERS},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    cy_generate_params params = {CY_PRESET_REGIONAL, 1, 0, 0};
    const char *preset = NULL, *output_path = NULL;
    unsigned long long value;
    cli_output out;
    cy_error err;
    cy_status status;
    int c, code;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "p:s:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'p': preset = optarg; break;
        case 's':
            if (!cli_parse_ulong(optarg, UINT64_MAX, &value))
                return cli_usage_error(generate_usage, "generate: --seed expects a non-negative integer, got '%s'", optarg);
            params.seed = value;
            break;
        case OPT_OEMS:
        case OPT_SUPPLIERS:
            if (!cli_parse_ulong(optarg, 100000000ULL, &value) || value == 0)
                return cli_usage_error(generate_usage, "generate: --%s expects a positive integer, got '%s'",
                                       c == OPT_OEMS ? "oems" : "suppliers", optarg);
            if (c == OPT_OEMS)
                params.oem_count = (long)value;
            else
                params.supplier_count = (long)value;
            break;
        case 'o': output_path = optarg; break;
        case 'h': return cli_help(generate_usage);
        default:
            return cli_usage_error(generate_usage, "generate: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage_error(generate_usage, "generate: unexpected argument '%s'", argv[optind]);
    if (!preset)
        return cli_usage_error(generate_usage, "generate: --preset is required");
    if (strcmp(preset, "regional") == 0)
        params.preset = CY_PRESET_REGIONAL;
    else if (strcmp(preset, "province") == 0)
        params.preset = CY_PRESET_PROVINCE;
    else if (strcmp(preset, "national") == 0)
        params.preset = CY_PRESET_NATIONAL;
    else if (strcmp(preset, "xl") == 0)
        params.preset = CY_PRESET_XL;
    else if (strcmp(preset, "dense") == 0)
        params.preset = CY_PRESET_DENSE;
    else
        return cli_usage_error(generate_usage, "generate: unknown preset '%s'", preset);

    if (!cli_output_begin(&out, output_path, NULL))
        return CY_EXIT_FAILURE;
    cy_error_init(&err);
    if ((status = cy_generate(&params, out.stream, &err)) != CY_OK) {
        cli_report(&err);
        cli_output_end(&out, 0);
        /* Counts the generator refuses (--suppliers 2) are bad option
         * values: a usage error, like those refused above. */
        code = status == CY_EUSAGE ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
    } else {
        code = cli_output_end(&out, 1);
    }
    cy_error_destroy(&err);
    return code;
}
