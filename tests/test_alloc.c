/*
 * test_alloc.c - allocation-failure injection, in the style of Jansson's
 * test_chaos and SQLite's malloc tests.
 *
 * Every allocation of libchengyu, and of Jansson once cy_library_init has
 * run, goes through cy_malloc (src/core/alloc.c), which can be told to fail the
 * Nth call (cy_alloc_fail_after).  Each test here runs a whole job (load a
 * file from disk, compute `info` and the whole weak-link report (cascades,
 * chokepoints, structure, concentration, recommendations) and write it as
 * JSON, format every diagnostic, free everything)
 * once for every N from 0 upwards until the job no longer meets a failure:
 *
 *   - persistent mode (allocation N and all later ones fail, like a heap
 *     that is really exhausted): the job must end with CY_ENOMEM and an
 *     "out of memory" diagnostic (or err.oom) - never CY_EINPUT, which
 *     would blame the user's file for our memory - and must not crash;
 *   - single mode (only allocation N fails, like a transient failure): the
 *     job must either fail cleanly as above or succeed with results
 *     identical to a run without injection (a dropped allocation must never
 *     become a silently wrong model);
 *   - always: nothing leaks.  Under ASan/LSan (-DCHENGYU_SANITIZE=ON) the
 *     test asks LeakSanitizer after every run, so a leak is reported with
 *     its N; under valgrind run the binary with --leak-check=full (see
 *     docs/testing.md).
 *
 * igraph allocates with plain malloc, so its own failures are not injected
 * here (igraph's test suite covers them); our handling of an igraph error
 * code is covered where our allocations fail inside igraph-using code.
 * The network files are written by the test itself, so it has no fixture
 * to drift.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chengyu.h"
#include "chengyu_test.h"
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* A valid network that touches every field, declared regions, warnings
 * (an enterprise without links, a required part nobody supplies) and meta
 * objects. */
static const char VALID_DECLARED[] =
    "{\"format\": \"chengyu/1\", \"name\": \"alloc test\", \"description\": \"d\",\n"
    " \"meta\": {\"k\": [1, 2.5, null, true, {\"x\": \"y\"}]},\n"
    " \"regions\": [{\"id\": \"cq\", \"name\": \"Chongqing\", \"source\": \"s1\"},\n"
    "             {\"id\": \"cd\", \"meta\": {}}],\n"
    " \"clusters\": [{\"id\": \"auto\", \"name\": \"A\", \"sector\": \"automotive\", \"region\": \"cq\"},\n"
    "              {\"id\": \"elec\", \"sector\": \"electronics\", \"region\": \"cd\", \"source\": \"s2\"}],\n"
    " \"parks\": [{\"id\": \"lj\", \"name\": \"Liangjiang\", \"region\": \"cq\", \"demonstration\": true,\n"
    "            \"location\": [106.6, 29.7], \"source\": \"s1\"},\n"
    "           {\"id\": \"tf\", \"region\": \"cd\"}],\n"
    " \"enterprises\": [\n"
    "  {\"id\": \"oem\", \"name\": \"OEM\", \"name_zh\": \"\\u957f\\u5b89\", \"uscc\": \"91500000202805720T\",\n"
    "   \"kind\": \"oem\", \"tier\": 0, \"region\": \"cq\", \"park\": \"lj\", \"clusters\": [\"auto\"],\n"
    "   \"output_value\": 1.2e11, \"produces\": [\"vehicle\"], \"requires\": [\"battery\", \"chip\", \"glass\"],\n"
    "   \"location\": [106.5, 29.5], \"source\": \"s3\", \"meta\": {\"x\": 1}},\n"
    "  {\"id\": \"bat\", \"kind\": \"supplier\", \"tier\": 1, \"region\": \"cd\", \"park\": \"tf\",\n"
    "   \"clusters\": [\"elec\", \"auto\"], \"output_value\": 3e9, \"produces\": [\"battery\"], \"requires\": [\"lithium\", \"chip\"]},\n"
    "  {\"id\": \"chip\", \"kind\": \"supplier\", \"tier\": 1, \"region\": \"cd\", \"produces\": [\"chip\"]},\n"
    "  {\"id\": \"chip2\", \"kind\": \"supplier\", \"tier\": 2, \"region\": \"cq\", \"produces\": [\"chip\"]},\n"
    "  {\"id\": \"li\", \"kind\": \"material\", \"tier\": 3, \"produces\": [\"lithium\"], \"source\": \"s1\"},\n"
    "  {\"id\": \"svc\", \"kind\": \"service\", \"inventory_days\": 5}],\n"
    " \"links\": [\n"
    "  {\"from\": \"bat\", \"to\": \"oem\", \"part\": \"battery\", \"volume\": 3.2e9, \"share\": 0.6, \"source\": \"s2\"},\n"
    "  {\"from\": \"chip\", \"to\": \"oem\", \"part\": \"chip\", \"volume\": 1e8, \"share\": 1, \"meta\": null},\n"
    "  {\"from\": \"chip2\", \"to\": \"oem\", \"part\": \"chip\"},\n"
    "  {\"from\": \"li\", \"to\": \"bat\", \"part\": \"lithium\"},\n"
    "  {\"from\": \"chip\", \"to\": \"bat\", \"part\": \"chip\"}]}\n";

/* Regions created by reference, requires derived from the links; stress
 * data the programs can use (the weak-link report's time section solves
 * its disruptions; VALID_DECLARED's links without volume take the path
 * where the stress check refuses the file). */
static const char VALID_IMPLICIT[] =
    "{\"format\": \"chengyu/1\", \"name\": \"implicit regions\",\n"
    " \"parks\": [{\"id\": \"p\", \"region\": \"west\"}],\n"
    " \"enterprises\": [\n"
    "  {\"id\": \"a\", \"kind\": \"oem\", \"region\": \"east\", \"park\": \"p\", \"inventory_days\": 2},\n"
    "  {\"id\": \"b\", \"kind\": \"supplier\", \"region\": \"west\"},\n"
    "  {\"id\": \"c\", \"kind\": \"supplier\", \"region\": \"east\"},\n"
    "  {\"id\": \"d\", \"kind\": \"material\"}],\n"
    " \"links\": [{\"from\": \"b\", \"to\": \"a\", \"part\": \"x\", \"volume\": 3},\n"
    "           {\"from\": \"c\", \"to\": \"a\", \"part\": \"x\", \"volume\": 1},\n"
    "           {\"from\": \"c\", \"to\": \"a\", \"part\": \"y\", \"volume\": 1},\n"
    "           {\"from\": \"d\", \"to\": \"c\", \"part\": \"z\", \"volume\": 1},\n"
    "           {\"from\": \"d\", \"to\": \"b\", \"part\": \"z\", \"volume\": 2}]}\n";

/* One of each family of loader error (each must be reported with a path). */
static const char INVALID_RULES[] =
    "{\"format\": \"chengyu/2\", \"name\": 7, \"colour\": 1,\n"
    " \"regions\": [{\"id\": \"r\"}, {\"id\": \"r\"}, 5],\n"
    " \"clusters\": [{\"id\": \"c\", \"region\": \"nowhere\"}],\n"
    " \"parks\": [{\"id\": \"p\", \"demonstration\": 1, \"location\": [500, 0]}],\n"
    " \"enterprises\": [\n"
    "  {\"id\": \"a\", \"kind\": \"bank\", \"tier\": -1, \"uscc\": \"123\", \"clusters\": [\"c\", \"c\", \"zz\", 3],\n"
    "   \"produces\": [\"p1\", \"p1\", \"\"], \"requires\": \"x\", \"output_value\": -1, \"odd key\": 0},\n"
    "  {\"id\": \"\", \"kind\": \"oem\"}, {\"kind\": \"oem\"}, [], {\"id\": \"c\", \"kind\": \"oem\"}],\n"
    " \"links\": [{\"from\": \"a\", \"to\": \"a\", \"part\": \"p\"}, {\"from\": \"q\", \"to\": \"a\", \"part\": \"p\", \"share\": 2},\n"
    "           {\"from\": \"a\", \"to\": \"p\", \"part\": \"p\", \"volume\": \"x\"}, 1]}\n";

/* Valid apart from duplicate links (found after the graphs are built). */
static const char INVALID_DUPLICATE_LINKS[] =
    "{\"format\": \"chengyu/1\", \"name\": \"dup\",\n"
    " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\"}, {\"id\": \"b\", \"kind\": \"supplier\"}],\n"
    " \"links\": [{\"from\": \"b\", \"to\": \"a\", \"part\": \"p\"}, {\"from\": \"b\", \"to\": \"a\", \"part\": \"p\"}]}\n";

/* Not JSON at all (Jansson's error path). */
static const char INVALID_SYNTAX[] =
    "{\"format\": \"chengyu/1\", \"name\": \"x\", \"enterprises\": [{\"id\": \"a\",, }]}";

typedef struct {
    char dir[64];
    char path[5][128];
} fixture;

enum { F_DECLARED, F_IMPLICIT, F_RULES, F_DUPLICATES, F_SYNTAX };

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static int setup(void **state)
{
    static const char *const texts[] = {VALID_DECLARED, VALID_IMPLICIT, INVALID_RULES,
                                        INVALID_DUPLICATE_LINKS, INVALID_SYNTAX};
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/chengyu-alloc.XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    for (int k = 0; k < 5; k++) {
        snprintf(fx->path[k], sizeof fx->path[k], "%s/net%d.json", fx->dir, k);
        if (write_file(fx->path[k], texts[k]) != 0)
            return -1;
    }
    cy_library_init();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *entry;
    char path[512];
    while (d && (entry = readdir(d))) {
        if (entry->d_name[0] == '.' && (!entry->d_name[1] ||
                                        (entry->d_name[1] == '.' && !entry->d_name[2])))
            continue;
        snprintf(path, sizeof path, "%s/%s", fx->dir, entry->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* ---- one job and what it produced ---------------------------------------- */

#define SUMMARY_SIZE 8192

typedef struct {
    cy_status load_status, info_status, weaklinks_status;
    int oom_reported;     /* an "out of memory" diagnostic, or err.oom */
    int error_count;
    char summary[SUMMARY_SIZE]; /* what a successful job computed */
} job_result;

static void append(char *buf, const char *fmt, ...)
{
    size_t used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, SUMMARY_SIZE - used, fmt, ap);
    va_end(ap);
}

/* Everything a caller can observe of a loaded network and its info.  Two
 * jobs that agree on this computed the same thing. */
static void summarise(const cy_network *net, const cy_info *info, char *out)
{
    out[0] = '\0';
    append(out, "name=%s n=%zu m=%zu parts=%zu\n", cy_network_name(net),
           cy_network_enterprise_count(net), cy_network_link_count(net),
           cy_network_part_count(net));
    for (int k = 0; k < 3; k++) {
        for (size_t g = 0; g < cy_network_group_count(net, (cy_group_kind)k); g++)
            append(out, "group %d %s %s %ld\n", k, cy_group_id(net, (cy_group_kind)k, g),
                   cy_group_name(net, (cy_group_kind)k, g),
                   cy_group_region(net, (cy_group_kind)k, g));
    }
    for (size_t i = 0; i < cy_network_enterprise_count(net); i++) {
        append(out, "e %s %s %s %s %d %ld %ld %g", cy_enterprise_id(net, i),
               cy_enterprise_name(net, i),
               cy_enterprise_name_zh(net, i) ? cy_enterprise_name_zh(net, i) : "-",
               cy_enterprise_source(net, i) ? cy_enterprise_source(net, i) : "-",
               cy_enterprise_tier(net, i), cy_enterprise_region(net, i),
               cy_enterprise_park(net, i), cy_enterprise_output_value(net, i));
        for (size_t k = 0; k < cy_enterprise_requires_count(net, i); k++)
            append(out, " r:%s", cy_part_name(net, cy_enterprise_requires(net, i, k)));
        for (size_t k = 0; k < cy_enterprise_cluster_count(net, i); k++)
            append(out, " c:%zu", cy_enterprise_cluster(net, i, k));
        append(out, "\n");
    }
    for (size_t j = 0; j < cy_network_link_count(net); j++)
        append(out, "l %zu %zu %s %g %g\n", cy_link_from(net, j), cy_link_to(net, j),
               cy_part_name(net, cy_link_part(net, j)), cy_link_volume(net, j),
               cy_link_share(net, j));
    append(out, "info firm_edges=%zu components=%zu largest=%zu deg=%zu/%g/%zu "
                "single=%zu unsupplied=%zu total=%g untiered=%zu\n",
           info->firm_edge_count, info->component_count, info->largest_component,
           info->degree_min, info->degree_median, info->degree_max,
           info->single_sourced_pairs, info->unsupplied_requirements,
           info->total_output_value, info->untiered_count);
}

static int mentions_oom(const cy_error *err)
{
    if (err->oom)
        return 1;
    for (size_t i = 0; i < err->count; i++) {
        if (strstr(err->items[i].message, "out of memory"))
            return 1;
    }
    return 0;
}

/*
 * The weak-link analysis (cascades, chokepoints, structure, concentration,
 * local supply, recommendations, the time section) and its JSON writer,
 * into memory.  The
 * report's JSON goes into the summary, so a run that survived an injected
 * failure must have computed exactly what a clean run computes.
 */
static cy_status run_weaklinks(const cy_network *net, cy_error *err, char *summary)
{
    cy_weaklinks_options options = {.threshold = 0.0};
    cy_weaklinks *report = NULL;
    char *json = NULL;
    size_t json_size = 0;
    FILE *stream;
    cy_status status = cy_weaklinks_compute(net, &options, &report, err);

    if (status != CY_OK) {
        assert_null(report);
        return status;
    }
    /* The time section (the stress programs of the register firms, or why
     * there are none) goes into the JSON too. */
    if ((status = cy_weaklinks_time(net, report, 0, 0, 0, 1, NULL, NULL, err)) != CY_OK) {
        cy_weaklinks_free(report);
        return status;
    }
    stream = open_memstream(&json, &json_size);
    assert_non_null(stream);
    status = cy_weaklinks_write_json(net, report, 0, stream, err);
    assert_int_equal(fclose(stream), 0);
    if (status == CY_OK)
        append(summary, "weak-links %zu bytes, %zu weak links:\n%.3000s\n",
               json_size, report->weak_link_count, json);
    /* The time section apart: the JSON above is cut before it. */
    append(summary, "time %d %zu %s\n", (int)report->time.state, report->time.count,
           report->time.reason ? report->time.reason : "-");
    for (size_t k = 0; k < report->time.count; k++)
        append(summary, "%zu %d %.17g %.17g %.17g %d\n", report->time.rows[k].enterprise,
               report->time.rows[k].survives, report->time.rows[k].tts_days,
               report->time.rows[k].impact, report->time.rows[k].impact_fraction,
               report->time.rows[k].exposed);
    /* Again with a cone limit of one firm: the firms that supply anyone
     * with a volume are not solved (the cone walk's memory is injected
     * too). */
    if (status == CY_OK &&
        (status = cy_weaklinks_time(net, report, 0, 0, 1, 1, NULL, NULL, err)) == CY_OK) {
        append(summary, "cone 1: %d %zu unsolved\n", (int)report->time.state,
               report->time.unsolved);
        for (size_t k = 0; k < report->time.count; k++)
            append(summary, "%zu %d %.17g\n", report->time.rows[k].enterprise,
                   report->time.rows[k].solved, report->time.rows[k].ttr_days);
    }
    free(json); /* open_memstream's buffer comes from the C library */
    cy_weaklinks_free(report);
    return status;
}

/* Load `path`, compute info and the weak-link report, format every
 * diagnostic, free everything. */
static void run_job(const char *path, job_result *r)
{
    cy_error err;
    cy_network *net = (cy_network *)&err; /* must be set to NULL or a network */
    cy_info info;

    memset(r, 0, sizeof *r);
    r->info_status = CY_EINTERNAL; /* "not reached" */
    r->weaklinks_status = CY_EINTERNAL;
    cy_error_init(&err);
    r->load_status = cy_network_load(path, NULL, &net, &err);
    if (r->load_status == CY_OK) {
        assert_non_null(net);
        r->info_status = cy_info_compute(net, &info, &err);
        if (r->info_status == CY_OK) {
            summarise(net, &info, r->summary);
            cy_info_destroy(&info);
            r->weaklinks_status = run_weaklinks(net, &err, r->summary);
        }
        cy_network_free(net);
    } else {
        assert_null(net);
    }
    for (size_t i = 0; i < err.count; i++)
        cy_free(cy_error_format(&err, i)); /* may fail: NULL is allowed */
    r->oom_reported = mentions_oom(&err);
    r->error_count = (int)err.error_count;
    cy_error_destroy(&err);
}

/*
 * Fail on any leak so far.  A LeakSanitizer scan stops the process and
 * walks the heap (several ms), so it runs after every `leak_check_every`
 * runs (CHENGYU_ALLOC_LEAK_EVERY, default 32; 1 pins a leak to its N) and
 * whenever `force` is set; the message names the window of N that leaked.
 * LeakSanitizer's check at exit still sees everything.
 */
static long leak_check_every = 32;
#ifdef HAVE_LSAN
static long leak_window_start;
#endif

static void check_no_leak(long n, int force)
{
#ifdef HAVE_LSAN
    if (!force && (n + 1) % leak_check_every != 0)
        return;
    if (__lsan_do_recoverable_leak_check() != 0)
        fail_msg("memory leaked by a run with allocation %ld..%ld failing "
                 "(report above; CHENGYU_ALLOC_LEAK_EVERY=1 pins it down)",
                 leak_window_start, n);
    leak_window_start = n + 1;
#else
    (void)n;
    (void)force;
#endif
}

/* ---- the tests --------------------------------------------------------- */

/*
 * Run the job on `path` with allocation n failing (and, if persistent, all
 * after it) for n = 0, 1, ... until a run meets no failure; check each run.
 * `valid` says whether the file is a valid network.  Returns the number of
 * allocations of a complete run.
 */
static long inject_every(const char *path, int valid, int persistent)
{
    job_result clean, r;
    long total, n;

    /* Injected runs are one thread (cy_i_par_run), and each thread of a
     * parallel loop makes its own state: count the clean run's
     * allocations on one thread too. */
    cy_threads_set(1);
    cy_alloc_fail_after(-1, 0);
    run_job(path, &clean);
    total = cy_alloc_count();
    cy_threads_set(0);
    if (valid) {
        assert_int_equal(clean.load_status, CY_OK);
        assert_int_equal(clean.info_status, CY_OK);
        assert_int_equal(clean.weaklinks_status, CY_OK);
        assert_false(clean.oom_reported);
    } else {
        assert_int_equal(clean.load_status, CY_EINPUT);
        assert_true(clean.error_count > 0);
    }
    assert_true(total > 0);
    check_no_leak(-1, 1);

    for (n = 0;; n++) {
        cy_alloc_fail_after(n, persistent);
        run_job(path, &r);
        {
            long made = cy_alloc_count();
            cy_alloc_fail_after(-1, 0);
            check_no_leak(n, made <= n);
            if (made <= n) {
                /* Allocation n was never reached: this run met no failure
                 * and must equal the clean one; the loop is over. */
                assert_int_equal(r.load_status, clean.load_status);
                assert_string_equal(r.summary, clean.summary);
                break;
            }
        }
        if (r.load_status == CY_OK && r.info_status == CY_OK &&
            r.weaklinks_status == CY_OK) {
            /* Survived the failure: only allowed if the results are
             * exactly the clean ones (e.g. a dropped warning). */
            if (!valid)
                fail_msg("invalid file accepted when allocation %ld failed", n);
            if (strcmp(r.summary, clean.summary) != 0)
                fail_msg("allocation %ld failed and the job succeeded with "
                         "different results:\n%s\nexpected:\n%s", n, r.summary,
                         clean.summary);
            continue;
        }
        if (r.load_status == CY_OK) {
            /* The load succeeded, info or the weak-link report failed: that
             * must be for memory. */
            cy_status failed = r.info_status != CY_OK ? r.info_status : r.weaklinks_status;
            if (failed != CY_ENOMEM || !r.oom_reported)
                fail_msg("allocation %ld failed in %s: status %s, oom reported %d", n,
                         r.info_status != CY_OK ? "info" : "weak-links",
                         cy_status_string(failed), r.oom_reported);
            continue;
        }
        /* The load failed.  For memory (and saying so), or - only for an
         * invalid file - for the input's own errors found before the
         * failure struck. */
        if (r.load_status == CY_ENOMEM) {
            if (!r.oom_reported)
                fail_msg("allocation %ld failed: CY_ENOMEM without an "
                         "'out of memory' diagnostic", n);
        } else if (valid || r.load_status != CY_EINPUT) {
            fail_msg("allocation %ld failed and the load of a %s file returned "
                     "'%s' (expected out of memory)", n, valid ? "valid" : "bad",
                     cy_status_string(r.load_status));
        }
    }
    if (persistent)
        assert_int_equal(n, total); /* every allocation was made to fail once */
    print_message("%s: %ld allocations, each made to fail (%s)\n", path, total,
                  persistent ? "it and all after it" : "it alone");
    return total;
}

static void test_valid_declared_persistent(void **state)
{
    fixture *fx = *state;
    long total = inject_every(fx->path[F_DECLARED], 1, 1);
    /* A load of a 20-record file makes a few hundred allocations; fewer
     * would mean injection is not reaching Jansson or the loader. */
    assert_true(total > 200);
}

static void test_valid_declared_single(void **state)
{
    fixture *fx = *state;
    inject_every(fx->path[F_DECLARED], 1, 0);
}

static void test_valid_implicit(void **state)
{
    fixture *fx = *state;
    inject_every(fx->path[F_IMPLICIT], 1, 1);
    inject_every(fx->path[F_IMPLICIT], 1, 0);
}

static void test_invalid_rules(void **state)
{
    fixture *fx = *state;
    inject_every(fx->path[F_RULES], 0, 1);
    inject_every(fx->path[F_RULES], 0, 0);
}

static void test_invalid_duplicates(void **state)
{
    fixture *fx = *state;
    inject_every(fx->path[F_DUPLICATES], 0, 1);
    inject_every(fx->path[F_DUPLICATES], 0, 0);
}

static void test_invalid_syntax(void **state)
{
    fixture *fx = *state;
    inject_every(fx->path[F_SYNTAX], 0, 1);
    inject_every(fx->path[F_SYNTAX], 0, 0);
}

/* Count the files in `dir` (to find left-over temporary files). */
static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    int count = 0;
    assert_non_null(d);
    while ((entry = readdir(d))) {
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
            count++;
    }
    closedir(d);
    return count;
}

static void read_whole(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t got;
    assert_non_null(f);
    got = fread(buf, 1, size - 1, f);
    buf[got] = '\0';
    fclose(f);
}

/*
 * The atomic writer under allocation failure: every run either replaces
 * the target with the complete new text or leaves the old text in place,
 * and never leaves a temporary file behind.
 */
static void test_output(void **state)
{
    fixture *fx = *state;
    char target[192], text[256];
    int files_before;
    long n, total;

    snprintf(target, sizeof target, "%s/out.txt", fx->dir);
    for (int persistent = 0; persistent < 2; persistent++) {
        assert_int_equal(write_file(target, "old contents\n"), 0);
        files_before = count_files(fx->dir);
        total = -1;
        for (n = 0;; n++) {
            cy_output *out = NULL;
            cy_error err;
            cy_status status;
            long made;

            cy_error_init(&err);
            cy_alloc_fail_after(n, persistent);
            status = cy_output_open(target, fx->path[F_DECLARED], &out, &err);
            if (status == CY_OK) {
                fprintf(cy_output_stream(out), "new contents %ld\n", n);
                status = cy_output_commit(out, &err);
            } else {
                assert_null(out);
            }
            for (size_t i = 0; i < err.count; i++)
                cy_free(cy_error_format(&err, i));
            made = cy_alloc_count();
            cy_alloc_fail_after(-1, 0);
            cy_error_destroy(&err);
            check_no_leak(n, made <= n);

            assert_int_equal(count_files(fx->dir), files_before);
            read_whole(target, text, sizeof text);
            if (status == CY_OK) {
                char expected[64];
                snprintf(expected, sizeof expected, "new contents %ld\n", n);
                assert_string_equal(text, expected);
                assert_int_equal(write_file(target, "old contents\n"), 0);
            } else {
                assert_int_equal(status, CY_ENOMEM);
                assert_string_equal(text, "old contents\n");
            }
            if (made <= n) {
                assert_int_equal(status, CY_OK);
                total = made;
                break;
            }
        }
        assert_true(total > 0);
    }
}

/* ---- the record arena ------------------------------------------------- */

/*
 * Carve blocks of `sizes` from `arena` and check them against the plainest
 * model of an allocator: every block is aligned like malloc's, lies in no
 * other block (checked pairwise, with a byte pattern written into each
 * block and read back after all were made); then free them all (no-ops).
 * The first block is returned.
 */
static void *carve_and_check(cy_i_arena *arena, const size_t *sizes,
                             size_t count)
{
    unsigned char *blocks[16];
    assert_true(count <= 16);
    cy_i_arena_use(arena);
    assert_true(cy_i_arena_in_use());
    for (size_t i = 0; i < count; i++) {
        blocks[i] = cy_i_json_malloc(sizes[i]);
        assert_non_null(blocks[i]);
        assert_int_equal((uintptr_t)blocks[i] % _Alignof(max_align_t), 0);
        memset(blocks[i], (int)(i + 1), sizes[i]);
    }
    for (size_t i = 0; i < count; i++) {
        uintptr_t a = (uintptr_t)blocks[i], a_end = a + (sizes[i] ? sizes[i] : 1);
        for (size_t k = 0; k < sizes[i]; k++)
            assert_int_equal(blocks[i][k], (unsigned char)(i + 1));
        for (size_t j = 0; j < count; j++) {
            uintptr_t b = (uintptr_t)blocks[j], b_end = b + (sizes[j] ? sizes[j] : 1);
            if (i != j)
                assert_true(a_end <= b || b_end <= a);
        }
    }
    for (size_t i = 0; i < count; i++)
        cy_i_json_free(blocks[i]);
    return blocks[0];
}

/*
 * The record arena (src/core/alloc.c).  Small records (all in the first 64 KB
 * block) reuse the same memory record after record; a record that crosses
 * the first block and the kept size (8 MB) gets new blocks and leaves
 * nothing behind, while one that stays within the kept size leaves its
 * last block for the next record.  A block from before the arena, freed while the arena is
 * in use, is really freed (the ASan and valgrind runs would see a leak or
 * a double free).
 */
static void test_record_arena(void **state)
{
    static const size_t small[] = {1, 0, 15, 16, 17, 100, 4000, 40000};
    static const size_t large[] = {1, 70000, 3, 600000, 9u << 20, 8, 65536, 0};
    static const size_t medium[] = {1, 70000, 3, 600000, 2u << 20, 8, 65536, 0};
    cy_i_arena arena = {0};
    void *outside, *first;
    (void)state;

    cy_library_init();
    cy_alloc_fail_after(-1, 0);
    outside = cy_i_json_malloc(32);
    assert_non_null(outside);
    assert_false(cy_i_arena_in_use());

    first = carve_and_check(&arena, small, 8);
    cy_i_json_free(outside); /* not the arena's: freed for real */
    cy_i_arena_end(&arena);
    assert_false(cy_i_arena_in_use());
    assert_non_null(arena.chunks);
    assert_ptr_equal(carve_and_check(&arena, small, 8), first);
    cy_i_arena_end(&arena);

    carve_and_check(&arena, medium, 8);
    cy_i_arena_end(&arena);
    assert_non_null(arena.chunks);
    first = carve_and_check(&arena, medium, 8);
    cy_i_arena_end(&arena);
    assert_ptr_equal(carve_and_check(&arena, medium, 8), first);
    cy_i_arena_end(&arena);
    carve_and_check(&arena, large, 8);
    cy_i_arena_end(&arena);
    assert_null(arena.chunks);
    carve_and_check(&arena, small, 8);
    cy_i_arena_destroy(&arena);
    assert_false(cy_i_arena_in_use());
    assert_null(arena.chunks);
}

/*
 * A failed block is NULL, counted as a failure (the loader's ran_out), and
 * leaves the arena usable.
 */
static void test_record_arena_failure(void **state)
{
    cy_i_arena arena = {0};
    unsigned long failures;
    void *block;
    (void)state;

    cy_library_init();
    failures = cy_i_alloc_failures();
    cy_i_arena_use(&arena);
    cy_alloc_fail_after(0, 0);
    assert_null(cy_i_json_malloc(10));
    assert_int_equal(cy_i_alloc_failures(), failures + 1);
    cy_alloc_fail_after(-1, 0);
    block = cy_i_json_malloc(10);
    assert_non_null(block);
    cy_i_json_free(block);
    cy_i_arena_end(&arena);
    cy_i_arena_destroy(&arena);
}

/*
 * The mapping of /proc/self/smaps that holds address `a`: its range, and
 * whether its VmFlags carry "hg" (the huge-page advice).  0 when none.
 */
static int mapping_of(uintptr_t a, uintptr_t *start, uintptr_t *end, int *huge)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[1024];
    int inside = 0, found = 0;
    if (!f)
        return 0;
    while (!found && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
            inside = lo <= a && a < hi;
            *start = lo;
            *end = hi;
        } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            *huge = strstr(line, " hg") != NULL;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* Whether the block [p, p + size) lies in one mapping with the advice. */
static int advised_whole(const void *p, size_t size)
{
    uintptr_t start = 0, end = 0;
    int huge = 0;
    if (!mapping_of((uintptr_t)p, &start, &end, &huge))
        return 0;
    return huge && start <= (uintptr_t)p && (uintptr_t)p + size <= end;
}

/*
 * Large blocks carry the huge-page advice over all their pages, so that
 * a block malloc mapped on its own stays one mapping (realloc can grow it
 * with mremap) and every page of it may be huge; a grown block keeps it.
 */
static void test_huge_advice(void **state)
{
    const size_t size = (size_t)8 << 20;
    char *p, *grown;
    (void)state;
    if (access("/sys/kernel/mm/transparent_hugepage/enabled", R_OK) != 0)
        skip();
    cy_alloc_fail_after(-1, 0);
    p = cy_malloc(size);
    assert_non_null(p);
    assert_true(advised_whole(p, size));
    memset(p, 1, size);
    grown = cy_realloc(p, 8 * size);
    assert_non_null(grown);
    assert_true(advised_whole(grown, 8 * size));
    assert_int_equal(grown[size - 1], 1);
    cy_free(grown);
    p = cy_calloc(size / 8, 8);
    assert_non_null(p);
    assert_true(advised_whole(p, size));
    cy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_declared_persistent),
        cmocka_unit_test(test_valid_declared_single),
        cmocka_unit_test(test_valid_implicit),
        cmocka_unit_test(test_invalid_rules),
        cmocka_unit_test(test_invalid_duplicates),
        cmocka_unit_test(test_invalid_syntax),
        cmocka_unit_test(test_output),
        cmocka_unit_test(test_record_arena),
        cmocka_unit_test(test_record_arena_failure),
        cmocka_unit_test(test_huge_advice),
    };
    const char *every = getenv("CHENGYU_ALLOC_LEAK_EVERY");
    if (every && atol(every) > 0)
        leak_check_every = atol(every);
    return cmocka_run_group_tests(tests, setup, teardown);
}
