/*
 * cmd_cascade.c - chengyu cascade (--fail ID[,ID...] | --fail-park PARK
 *                 | --fail-region REGION | --each enterprise|park|region)
 *                 [--threshold T] [--top N] [--format table|json|csv] [-o OUT]
 *                 FILE
 */
#include "cli.h"

#include <jansson.h>
#include <string.h>

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
            cli_usage(&cli_spec_cascade, "--fail: empty enterprise id in '%s'", arg);
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
                    double threshold, size_t top, int quiet,
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
        cy_single_failure_options options;
        cli_progress progress;
        cy_single_failure_options_init(&options);
        options.threshold = threshold;
        options.rounds = 1;
        cli_progress_init(&progress, "cascade", quiet, 0.0);
        options.progress = cli_progress_update;
        options.progress_data = &progress;
        status = cy_single_failures_run(net, &options, &singles, &err);
        cli_progress_clear(&progress);
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
        count = top;
    if (!cli_output_begin(&out, output_path, input))
        goto cleanup;
    if (strcmp(format, "xlsx") == 0) {
        status = cy_impacts_write_xlsx(net, kind == EACH_ENTERPRISE ? -1 : kind, impacts,
                                       count, out.stream, &err);
        if (status != CY_OK)
            cli_report(&err);
        code = cli_output_end(&out, status == CY_OK);
        goto cleanup;
    }
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

typedef struct {
    cli_common common;
    cli_strings fail, fail_park, fail_region;
    int each;
    double threshold;
    size_t top;
} cascade_args;

static void init_cascade(void *args_)
{
    cascade_args *args = args_;
    args->each = EACH_NONE;
}

/* The checks the option table cannot express; returns -1 or the usage
 * error's exit code. */
static int check_cascade_args(const cascade_args *args)
{
    size_t modes = (args->fail.count > 0) + args->fail_park.count +
                   args->fail_region.count + (args->each != EACH_NONE);
    /* --fail-park and --fail-region take one group: a second must not be
     * silently dropped (a scenario missing a park looks just as plausible). */
    if (modes != 1)
        return cli_usage(&cli_spec_cascade, "give exactly one of --fail (repeatable), "
                                            "--fail-park, --fail-region, --each");
    if (args->common.format == CLI_FORMAT_CSV && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--format csv needs --each");
    if (args->common.format == CLI_FORMAT_XLSX && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--format xlsx needs --each");
    if (args->common.format == CLI_FORMAT_XLSX && cli_binary_to_terminal(args->common.output))
        return cli_usage(&cli_spec_cascade, "--format xlsx needs -o FILE.xlsx");
    if (args->top && args->each == EACH_NONE)
        return cli_usage(&cli_spec_cascade, "--top needs --each");
    return -1;
}

/* Run the cascade of the initial firms or group the args name; returns 1,
 * or 0 after printing (an unknown id); *usage is set for a usage error. */
static int run_disruption(const cy_network *net, const char *input,
                          const cascade_args *args, cy_cascade_result *result,
                          int *usage)
{
    index_list ids = {NULL, 0, 0};
    cy_error err;
    int ok = 0;

    cy_error_init(&err);
    if (args->fail_park.count || args->fail_region.count) {
        cy_group_kind kind = args->fail_park.count ? CY_GROUP_PARK : CY_GROUP_REGION;
        const char *id = args->fail_park.count ? args->fail_park.items[0]
                                               : args->fail_region.items[0];
        size_t g;
        if (!cy_network_find_group(net, kind, id, &g))
            cli_error("%s: --fail-%s: unknown %s \"%s\"", input,
                      cy_group_kind_name(kind), cy_group_kind_name(kind), id);
        else if (!(ok = cy_cascade_run_group(net, kind, g, args->threshold, result, &err) == CY_OK))
            cli_report(&err);
        goto cleanup;
    }
    for (size_t k = 0; k < args->fail.count; k++) {
        int resolved = resolve_ids(net, input, args->fail.items[k], &ids);
        if (resolved <= 0) {
            *usage = resolved < 0;
            goto cleanup;
        }
    }
    if (!(ok = cy_cascade_run(net, ids.items, ids.count, args->threshold, result, &err) == CY_OK))
        cli_report(&err);
cleanup:
    cy_free(ids.items);
    cy_error_destroy(&err);
    return ok;
}

static int run_cascade(void *args_, int count, char **operands)
{
    cascade_args *args = args_;
    const char *input = operands[0];
    const char *format = cli_format_name(args->common.format ? args->common.format
                                                             : CLI_FORMAT_TABLE);
    int code, usage = 0;
    cy_network *net = NULL;
    cy_cascade_result result;
    cli_output out;
    (void)count;

    if ((code = check_cascade_args(args)) >= 0)
        return code;
    code = CY_EXIT_FAILURE;
    if (!cli_load(input, &net, args->common.quiet))
        goto cleanup;
    if (args->each != EACH_NONE) {
        code = run_each(net, input, args->each, args->threshold, args->top,
                        args->common.quiet, format,
                        args->common.output);
        goto cleanup;
    }
    if (!run_disruption(net, input, args, &result, &usage)) {
        code = usage ? CY_EXIT_USAGE : CY_EXIT_FAILURE;
        goto cleanup;
    }
    if (cli_output_begin(&out, args->common.output, input)) {
        if (strcmp(format, "json") == 0) {
            code = cli_output_end(&out, cli_write_json(out.stream, cascade_json(net, &result)));
        } else {
            cascade_text(out.stream, net, &result, args->threshold);
            code = cli_output_end(&out, 1);
        }
    }
    cy_cascade_result_destroy(&result);
cleanup:
    cy_network_free(net);
    return code;
}

static const cli_choice cascade_formats[] = {
    {"table", CLI_FORMAT_TABLE, "lines for people"},
    {"text", CLI_FORMAT_TABLE, NULL},
    {"csv", CLI_FORMAT_CSV, "RFC 4180 (with --each)"},
    {"json", CLI_FORMAT_JSON, "JSON"},
    {"xlsx", CLI_FORMAT_XLSX, "an Excel workbook (with --each)"},
    {NULL, 0, NULL}};

static const cli_choice each_kinds[] = {
    {"enterprise", EACH_ENTERPRISE, "every enterprise alone"},
    {"park", CY_GROUP_PARK, "every park"},
    {"region", CY_GROUP_REGION, "every region"},
    {NULL, 0, NULL}};

static const char *const cascade_synopsis[] = {
    "(--fail ID[,ID...] | --fail-park PARK | --fail-region REGION)",
    "        [--threshold T] [--format table|json] [-o OUT] FILE",
    "--each enterprise|park|region [--threshold T] [--top N]",
    "        [--format table|csv|json|xlsx] [-o OUT] FILE", NULL};

static const cli_option cascade_options[] = {
    CLI_OPT_STRINGS(0, "fail", cascade_args, fail, "IDS",
                    "enterprise ids, comma-separated (repeatable)"),
    CLI_OPT_STRINGS('P', "fail-park", cascade_args, fail_park, "PARK",
                    "every enterprise of one park"),
    CLI_OPT_STRINGS('R', "fail-region", cascade_args, fail_region, "REGION",
                    "every enterprise of one region (or of a park in it)"),
    CLI_OPT_CHOICE_ONCE('e', "each", cascade_args, each, "WHAT", each_kinds,
                   "every enterprise alone, every park or every region,\n"
                   "ranked by output value lost (ties by id)"),
    CLI_OPT_THRESHOLD(cascade_args, threshold),
    CLI_OPT_TOP(cascade_args, top, "with --each: only the first N rows"),
    CLI_OPT_FORMAT(cascade_args, cascade_formats,
                   "table (default; alias text) or json; csv or xlsx\n"
                   "with --each"),
    CLI_OPT_OUTPUT(cascade_args, "write to OUT atomically instead of standard output"),
    CLI_OPT_QUIET(cascade_args),
    CLI_OPT_CSV_RAW(cascade_args),
    CLI_OPT_END};

const cli_spec cli_spec_cascade = {
    "cascade", "follow a disruption (firms, a park, a region) downstream",
    cascade_synopsis,
    "Disrupt the network and follow the failures downstream.  An enterprise "
    "fails when, for some part it requires, the share covered by its "
    "surviving suppliers falls below T (T = 0: when no supplier of the part "
    "survives); a link without a share covers 1/k of a part with k suppliers.  "
    "Required parts that nobody supplies in the input are pre-existing gaps: "
    "reported, never counted as failures.",
    cascade_options, sizeof(cascade_args), init_cascade, "FILE", 1, 1, run_cascade};
