/*
 * cmd_cascade.c - chengyu cascade FILE (--fail ID[,ID...] | --fail-park PARK
 *                 | --fail-region REGION | --each enterprise|park|region)
 *                 [--threshold T] [--top N] [--format text|json|csv] [-o FILE]
 */
#include "cli.h"

#include <getopt.h>
#include <jansson.h>
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
    "    -o, --output OUT        write to OUT atomically instead of standard output",
    "    -h, --help              show this help",
    NULL};

/* chengyu/1 ids are at most 256 bytes. */
#define ID_BUFFER 257

/* One CSV field, quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
static void csv_field(FILE *out, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

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
                            "cascade: --fail: empty enterprise id in '%s'", arg);
            return -1;
        }
        if (len >= sizeof id) {
            cli_error("%s: --fail: overlong enterprise id in '%s'", input, arg);
            return 0;
        }
        memcpy(id, start, len);
        id[len] = '\0';
        if (!cy_network_find_enterprise(net, id, &index)) {
            size_t g;
            if (cy_network_find_group(net, CY_GROUP_PARK, id, &g))
                cli_error("%s: --fail: \"%s\" is a park, not an enterprise (use --fail-park)",
                          input, id);
            else if (cy_network_find_group(net, CY_GROUP_REGION, id, &g))
                cli_error("%s: --fail: \"%s\" is a region, not an enterprise (use --fail-region)",
                          input, id);
            else
                cli_error("%s: --fail: unknown enterprise \"%s\"", input, id);
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

/* {"<group id>": {"failed_count": n, "output_value_lost": x}} for the groups
 * with at least one failure, in group order. */
static json_t *group_losses(const cy_network *net, cy_group_kind kind,
                            const cy_group_loss *loss)
{
    json_t *object = json_object();
    for (size_t g = 0; object && g < cy_network_group_count(net, kind); g++) {
        if (!loss[g].failed_count)
            continue;
        if (json_object_set_new(object, cy_group_id(net, kind, g),
                                json_pack("{s:I, s:f}", "failed_count",
                                          (json_int_t)loss[g].failed_count,
                                          "output_value_lost",
                                          loss[g].output_value_lost))) {
            json_decref(object);
            return NULL;
        }
    }
    return object;
}

/* The JSON of issue 4, keys in this order, then the pre-existing gaps. */
static json_t *cascade_json(const cy_network *net, const cy_cascade_result *r)
{
    json_t *root = json_object(), *gaps = json_array();
    int ok = root && gaps;

    for (size_t k = 0; ok && k < r->gap_count; k++)
        ok = !json_array_append_new(
            gaps, json_pack("{s:s, s:s}", "enterprise",
                            cy_enterprise_id(net, r->gaps[k].enterprise), "part",
                            cy_part_name(net, r->gaps[k].part)));
    ok = ok && !json_object_set_new(root, "initial", cli_json_ids(net, r->initial, r->initial_count));
    ok = ok && !json_object_set_new(root, "failed", cli_json_ids(net, r->failed, r->failed_count));
    ok = ok && !json_object_set_new(root, "rounds", json_integer((json_int_t)r->rounds));
    ok = ok && !json_object_set_new(root, "failed_count", json_integer((json_int_t)r->failed_count));
    ok = ok && !json_object_set_new(root, "output_value_lost", json_real(r->output_value_lost));
    ok = ok && !json_object_set_new(root, "output_value_total", json_real(r->output_value_total));
    ok = ok && !json_object_set_new(root, "by_park", group_losses(net, CY_GROUP_PARK, r->by_park));
    ok = ok && !json_object_set_new(root, "by_region", group_losses(net, CY_GROUP_REGION, r->by_region));
    ok = ok && !json_object_set(root, "gaps", gaps);
    json_decref(gaps);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static void print_ids(FILE *out, const cy_network *net, const size_t *items,
                      size_t count)
{
    for (size_t k = 0; k < count; k++)
        fprintf(out, "%s%s", k ? ", " : "", cy_enterprise_id(net, items[k]));
    fputc('\n', out);
}

static void print_group_losses(FILE *out, const cy_network *net,
                               cy_group_kind kind, const cy_group_loss *loss,
                               const char *title)
{
    int any = 0;
    fprintf(out, "%s:", title);
    for (size_t g = 0; g < cy_network_group_count(net, kind); g++) {
        if (!loss[g].failed_count)
            continue;
        fprintf(out, "%s %s %zu (%.6g)", any ? "," : "", cy_group_id(net, kind, g),
                loss[g].failed_count, loss[g].output_value_lost);
        any = 1;
    }
    fprintf(out, "%s\n", any ? "" : " none");
}

static void cascade_text(FILE *out, const cy_network *net,
                         const cy_cascade_result *r, double threshold)
{
    fprintf(out, "threshold: %g\n", threshold);
    fprintf(out, "initial (%zu): ", r->initial_count);
    print_ids(out, net, r->initial, r->initial_count);
    for (size_t k = r->initial_count; k < r->failed_count;) {
        size_t end = k;
        while (end < r->failed_count && r->failed_round[end] == r->failed_round[k])
            end++;
        fprintf(out, "round %zu (%zu): ", r->failed_round[k], end - k);
        print_ids(out, net, r->failed + k, end - k);
        k = end;
    }
    fprintf(out, "failed: %zu enterprise%s in %zu round%s\n", r->failed_count,
            r->failed_count == 1 ? "" : "s", r->rounds, r->rounds == 1 ? "" : "s");
    fprintf(out, "output value lost: %.6g of %.6g (%.2f%%)\n", r->output_value_lost,
            r->output_value_total,
            r->output_value_total > 0 ? 100.0 * (r->output_value_lost / r->output_value_total)
                                      : 0.0);
    print_group_losses(out, net, CY_GROUP_PARK, r->by_park, "by park");
    print_group_losses(out, net, CY_GROUP_REGION, r->by_region, "by region");
    fprintf(out, "pre-existing gaps, not counted (%zu):", r->gap_count);
    for (size_t k = 0; k < r->gap_count; k++)
        fprintf(out, "%s %s requires \"%s\"", k ? ";" : "",
                cy_enterprise_id(net, r->gaps[k].enterprise),
                cy_part_name(net, r->gaps[k].part));
    fprintf(out, "%s\n", r->gap_count ? "" : " none");
}

/* ---- --each ------------------------------------------------------------ */

typedef enum { EACH_NONE = -1, EACH_ENTERPRISE = 3 } each_kind;

static const char *impact_id(const cy_network *net, int kind, size_t index)
{
    return kind == EACH_ENTERPRISE ? cy_enterprise_id(net, index)
                                   : cy_group_id(net, (cy_group_kind)kind, index);
}

/* Write the ranked impacts: CSV (RFC 4180), JSON or an aligned table. */
static int write_impacts(FILE *out, const cy_network *net, int kind,
                         const cy_impact *impacts, size_t count,
                         const char *format)
{
    const char *key = kind == EACH_ENTERPRISE ? "id"
                      : kind == CY_GROUP_PARK ? "park"
                                              : "region";
    if (strcmp(format, "json") == 0) {
        json_t *array = json_array();
        int ok = array != NULL;
        for (size_t k = 0; ok && k < count; k++)
            ok = !json_array_append_new(
                array, json_pack("{s:s, s:I, s:f}", key,
                                 impact_id(net, kind, impacts[k].index), "failed_count",
                                 (json_int_t)impacts[k].failed_count,
                                 "output_value_lost", impacts[k].output_value_lost));
        if (!ok) {
            json_decref(array);
            array = NULL;
        }
        return cli_write_json(out, array);
    }
    if (strcmp(format, "csv") == 0) {
        fprintf(out, "%s,failed_count,output_value_lost,rounds\n", key);
        for (size_t k = 0; k < count; k++) {
            csv_field(out, impact_id(net, kind, impacts[k].index));
            fprintf(out, ",%zu,%.17g,%zu\n", impacts[k].failed_count,
                    impacts[k].output_value_lost, impacts[k].rounds);
        }
        return 1;
    }
    fprintf(out, "%6s  %-24s %12s %18s %7s\n", "rank", key, "failed_count",
            "output_value_lost", "rounds");
    for (size_t k = 0; k < count; k++)
        fprintf(out, "%6zu  %-24s %12zu %18.6g %7zu\n", k + 1,
                impact_id(net, kind, impacts[k].index), impacts[k].failed_count,
                impacts[k].output_value_lost, impacts[k].rounds);
    return 1;
}

/* Compute and write every enterprise's (or group's) failure.  Returns the
 * exit code. */
static int run_each(const cy_network *net, const char *input, int kind,
                    double threshold, unsigned long long top,
                    const char *format, const char *output_path)
{
    cy_single_failures singles = {0};
    cy_impact *impacts = NULL;
    size_t count = 0;
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
    if (top && top < count)
        count = (size_t)top;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    code = cli_output_end(&out, write_impacts(out.stream, net, kind, impacts,
                                              count, format));
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
    enum { OPT_FORMAT = 256 };
    static const struct option options[] = {
        {"fail", required_argument, NULL, 'f'},
        {"fail-park", required_argument, NULL, 'P'},
        {"fail-region", required_argument, NULL, 'R'},
        {"each", required_argument, NULL, 'e'},
        {"threshold", required_argument, NULL, 't'},
        {"top", required_argument, NULL, 'n'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *format = "text", *output_path = NULL, *input, *park = NULL;
    const char *region = NULL, *each = NULL;
    const char **fails = NULL;
    size_t fail_count = 0, modes, single_valued = 0;
    double threshold = 0.0;
    unsigned long long top = 0;
    int each_kind = EACH_NONE, c, code = CY_EXIT_FAILURE, have_result = 0;
    cy_network *net = NULL;
    cy_cascade_result result;
    index_list ids = {NULL, 0, 0};
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
        code = run_each(net, input, each_kind, threshold, top, format, output_path);
        goto cleanup;
    }
    if (park || region) {
        cy_group_kind kind = park ? CY_GROUP_PARK : CY_GROUP_REGION;
        const char *id = park ? park : region;
        size_t g;
        if (!cy_network_find_group(net, kind, id, &g)) {
            cli_error("%s: --fail-%s: unknown %s \"%s\"", input,
                      cy_group_kind_name(kind), cy_group_kind_name(kind), id);
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
    if (strcmp(format, "json") == 0) {
        code = cli_output_end(&out, cli_write_json(out.stream, cascade_json(net, &result)));
    } else {
        cascade_text(out.stream, net, &result, threshold);
        code = cli_output_end(&out, 1);
    }
cleanup:
    if (have_result)
        cy_cascade_result_destroy(&result);
    cy_free(ids.items);
    cy_free(fails);
    cy_network_free(net);
    cy_error_destroy(&err);
    return code;
}
