/*
 * cmd_cascade.c - chengyu cascade FILE (--fail ID[,ID...] | --fail-park PARK
 *                 | --fail-region REGION | --each enterprise|park|region)
 *                 [--threshold T] [--top N] [--format text|json|csv] [-o FILE]
 */
#include "cli.h"

#include <getopt.h>
#include <string.h>

static const char *const cascade_usage[] = {
    "usage: chengyu cascade (--fail ID[,ID...] | --fail-park PARK | --fail-region REGION)",
    "                       [--threshold T] [--format text|json] [-o OUT] FILE",
    "       chengyu cascade --each enterprise|park|region [--threshold T] [--top N]",
    "                       [--format text|json|csv] [-o OUT] FILE",
    "",
    "Disrupt the network and follow the failures downstream.  An enterprise",
    "fails when, for some part it requires, the share covered by its",
    "surviving suppliers falls below T (T = 0: when no supplier of the part",
    "survives); a link without a share covers 1/k of a part with k suppliers.",
    "Required parts that nobody supplies in the input are pre-existing gaps:",
    "reported, never counted as failures.",
    "",
    "    -f, --fail IDS          enterprise ids, comma-separated (repeatable)",
    "    -P, --fail-park PARK    every enterprise of one park",
    "    -R, --fail-region R     every enterprise of one region (or of a park in it)",
    "    -e, --each WHAT         every enterprise alone, every park or every region,",
    "                            ranked by output value lost (ties by id)",
    "    -t, --threshold T       failure threshold in [0, 1] (default 0)",
    "    -n, --top N             with --each: only the first N rows",
    "        --format F          text (default) or json; csv with --each",
    "        --csv-raw           CSV cells as they are, without the guard against",
    "                            spreadsheet formulas (docs/cli.md, \"CSV\")",
    "    -o, --output OUT        write to OUT atomically instead of standard output",
    "    -h, --help              show this help",
    NULL};

/* chengyu/1 ids are at most 256 bytes. */
#define ID_BUFFER 257

/* A growable list of enterprise indices named on the command line. */
typedef struct {
    size_t *items;
    size_t count, capacity;
} index_list;

static int index_list_push(index_list *list, size_t value)
{
    size_t *grown;
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 8;
        grown = cy_realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return 0;
        list->items = grown;
        list->capacity = cap;
    }
    list->items[list->count++] = value;
    return 1;
}

/*
 * Resolve one --fail argument.  An argument that is itself an enterprise id
 * is taken whole (ids may contain commas); otherwise it is split on commas.
 * Returns 1; 0 after printing the error (unknown or overlong id: bad
 * input); -1 after printing the usage error for an empty id ("", "a,,b",
 * "a,"), which no file can make valid.
 */
static int resolve_ids(const cy_network *net, const char *input,
                       const char *arg, index_list *list)
{
    size_t index, len;
    const char *start = arg;

    if (cy_network_find_enterprise(net, arg, &index))
        return index_list_push(list, index) ? 1 : (cli_error("out of memory"), 0);
    for (;;) {
        const char *comma = strchr(start, ',');
        char id[ID_BUFFER];
        len = comma ? (size_t)(comma - start) : strlen(start);
        if (len == 0) {
            cli_usage_error(cascade_usage,
                            "cascade: --fail: empty enterprise id in '%s'", cli_echo(arg));
            return -1;
        }
        if (len >= sizeof id) {
            cli_error("%s: --fail: overlong enterprise id in '%s'", input, cli_echo(arg));
            return 0;
        }
        memcpy(id, start, len);
        id[len] = '\0';
        if (!cy_network_find_enterprise(net, id, &index)) {
            size_t g;
            if (cy_network_find_group(net, CY_GROUP_PARK, id, &g))
                cli_error("%s: --fail: \"%s\" is a park, not an enterprise (use --fail-park)",
                          input, cli_echo(id));
            else if (cy_network_find_group(net, CY_GROUP_REGION, id, &g))
                cli_error("%s: --fail: \"%s\" is a region, not an enterprise (use --fail-region)",
                          input, cli_echo(id));
            else
                cli_error("%s: --fail: unknown enterprise \"%s\"", input, cli_echo(id));
            return 0;
        }
        if (!index_list_push(list, index)) {
            cli_error("out of memory");
            return 0;
        }
        if (!comma)
            return 1;
        start = comma + 1;
    }
}

/* ---- --each ------------------------------------------------------------ */

typedef enum { EACH_NONE = -1, EACH_ENTERPRISE = 3 } each_kind;

/* Compute and write every enterprise's (or group's) failure.  Returns the
 * exit code. */
static int run_each(const cy_network *net, const char *input, int kind,
                    double threshold, unsigned long long top,
                    const char *format, int csv_raw, const char *output_path)
{
    cy_single_failures singles = {0};
    cy_impact *impacts = NULL;
    size_t count = 0;
    cy_write_options options;
    cy_error err;
    cli_output out;
    cy_status status;
    int code = CY_EXIT_FAILURE;

    cy_error_init(&err);
    if (kind == EACH_ENTERPRISE) {
        status = cy_single_failures_compute(net, threshold, &singles, &err);
        impacts = singles.impacts;
        count = singles.impact_count;
    } else {
        status = cy_group_impacts_compute(net, (cy_group_kind)kind, threshold,
                                          &impacts, &count, &err);
    }
    if (status != CY_OK) {
        cli_report(&err);
        goto cleanup;
    }
    cy_write_options_init(&options, cli_format(format));
    options.top = (size_t)top;
    options.csv_raw = csv_raw;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    code = cli_output_end(&out, cli_write(cy_impacts_write(net, kind == EACH_ENTERPRISE
                                                                    ? CY_GROUP_KIND_COUNT
                                                                    : (cy_group_kind)kind,
                                                           impacts, count, &options,
                                                           out.stream, &err), &err));
cleanup:
    if (kind == EACH_ENTERPRISE)
        cy_single_failures_destroy(&singles);
    else
        cy_free(impacts);
    cy_error_destroy(&err);
    return code;
}

int cmd_cascade(int argc, char **argv)
{
    enum { OPT_FORMAT = 256, OPT_CSV_RAW };
    static const struct option options[] = {
        {"fail", required_argument, NULL, 'f'},
        {"fail-park", required_argument, NULL, 'P'},
        {"fail-region", required_argument, NULL, 'R'},
        {"each", required_argument, NULL, 'e'},
        {"threshold", required_argument, NULL, 't'},
        {"top", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = "text", *output_path = NULL, *input, *park = NULL;
    const char *region = NULL, *each = NULL;
    const char **fails = NULL;
    size_t fail_count = 0, modes, single_valued = 0;
    double threshold = 0.0;
    unsigned long long top = 0;
    int each_kind = EACH_NONE, c, code = CY_EXIT_FAILURE, have_result = 0, csv_raw = 0;
    cy_network *net = NULL;
    cy_cascade_result result;
    index_list ids = {NULL, 0, 0};
    cy_write_options write_options;
    cy_error err;
    cli_output out;

    optind = 0;
    opterr = 0;
    /* --fail may repeat; argv outlives the parse, so keep pointers into it. */
    fails = cy_calloc((size_t)argc + 1, sizeof *fails);
    if (!fails) {
        cli_error("out of memory");
        return CY_EXIT_FAILURE;
    }
    while ((c = getopt_long(argc, argv, "f:P:R:e:t:n:o:h", options, NULL)) != -1) {
        switch (c) {
        case 'f': fails[fail_count++] = optarg; break;
        /* Unlike --fail these take one value: a second must not silently
         * replace the first (a scenario missing a park looks just as
         * plausible). */
        case 'P': park = optarg; single_valued++; break;
        case 'R': region = optarg; single_valued++; break;
        case 'e': each = optarg; single_valued++; break;
        case 't':
            if (!cli_parse_double(optarg, &threshold) || threshold < 0.0 ||
                threshold > 1.0) {
                cy_free(fails);
                return cli_usage_error(cascade_usage,
                                       "cascade: --threshold expects a number in [0, 1], got '%s'",
                                       optarg);
            }
            break;
        case 'n':
            if (!cli_parse_ulong(optarg, SIZE_MAX, &top) || top == 0) {
                cy_free(fails);
                return cli_usage_error(cascade_usage,
                                       "cascade: --top expects a positive integer, got '%s'",
                                       optarg);
            }
            break;
        case OPT_FORMAT: format = optarg; break;
        case 'o': output_path = optarg; break;
        case OPT_CSV_RAW: csv_raw = 1; break;
        case 'h':
            cy_free(fails);
            return cli_help(cascade_usage);
        default:
            cy_free(fails);
            return cli_usage_error(cascade_usage,
                                   "cascade: unknown option or missing value '%s'",
                                   argv[optind - 1]);
        }
    }
    modes = (fail_count > 0) + single_valued;
    if (modes != 1) {
        cy_free(fails);
        return cli_usage_error(cascade_usage, "cascade: give exactly one of --fail (repeatable), "
                                              "--fail-park, --fail-region, --each");
    }
    if (each) {
        each_kind = strcmp(each, "enterprise") == 0 ? EACH_ENTERPRISE
                    : strcmp(each, "park") == 0     ? (int)CY_GROUP_PARK
                    : strcmp(each, "region") == 0   ? (int)CY_GROUP_REGION
                                                    : EACH_NONE;
        if (each_kind == EACH_NONE) {
            cy_free(fails);
            return cli_usage_error(cascade_usage,
                                   "cascade: --each expects enterprise, park or region, got '%s'",
                                   each);
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
        !(each && strcmp(format, "csv") == 0)) {
        cy_free(fails);
        return cli_usage_error(cascade_usage, "cascade: unknown format '%s' (text or json%s)",
                               format, each ? ", or csv" : "");
    }
    if (top && !each) {
        cy_free(fails);
        return cli_usage_error(cascade_usage, "cascade: --top needs --each");
    }
    if (optind != argc - 1) {
        cy_free(fails);
        return cli_usage_error(cascade_usage, "cascade: expected one FILE");
    }
    input = argv[optind];

    cy_error_init(&err);
    if (!cli_load(input, &net, 0))
        goto cleanup;
    if (each) {
        code = run_each(net, input, each_kind, threshold, top, format, csv_raw, output_path);
        goto cleanup;
    }
    if (park || region) {
        cy_group_kind kind = park ? CY_GROUP_PARK : CY_GROUP_REGION;
        const char *id = park ? park : region;
        size_t g;
        if (!cy_network_find_group(net, kind, id, &g)) {
            cli_error("%s: --fail-%s: unknown %s \"%s\"", input,
                      cy_group_kind_name(kind), cy_group_kind_name(kind), cli_echo(id));
            goto cleanup;
        }
        if (cy_cascade_run_group(net, kind, g, threshold, &result, &err) != CY_OK) {
            cli_report(&err);
            goto cleanup;
        }
    } else {
        for (size_t k = 0; k < fail_count; k++) {
            int resolved = resolve_ids(net, input, fails[k], &ids);
            if (resolved <= 0) {
                if (resolved < 0)
                    code = CY_EXIT_USAGE;
                goto cleanup;
            }
        }
        if (cy_cascade_run(net, ids.items, ids.count, threshold, &result, &err) != CY_OK) {
            cli_report(&err);
            goto cleanup;
        }
    }
    have_result = 1;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    cy_write_options_init(&write_options, cli_format(format));
    code = cli_output_end(&out, cli_write(cy_cascade_write(net, &result, threshold, &write_options,
                                                           out.stream, &err), &err));
cleanup:
    if (have_result)
        cy_cascade_result_destroy(&result);
    cy_free(ids.items);
    cy_free(fails);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
