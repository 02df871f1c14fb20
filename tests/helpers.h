/*
 * helpers.h - shared helpers of the cmocka tests (included after <cmocka.h>
 * by the test files that need them; not a test itself).
 */
#ifndef CHENGYU_TEST_HELPERS_H
#define CHENGYU_TEST_HELPERS_H

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"
#include "chengyu_test.h"

/*
 * |a - b| <= tolerance, in double precision (cmocka 1.1's
 * assert_float_equal converts to float, too coarse for 1e-12).
 */
#define assert_close(a, b, tolerance)                                          \
    do {                                                                       \
        double assert_a_ = (a), assert_b_ = (b);                               \
        if (!(fabs(assert_a_ - assert_b_) <= (tolerance)))                     \
            fail_msg("%s = %.17g, expected %.17g (tolerance %g)", #a,          \
                     assert_a_, assert_b_, (double)(tolerance));               \
    } while (0)

/* The whole of file `path`, NUL-terminated (malloc'd); its length in
 * *size when size is not NULL.  Fails the test if it cannot be read. */
static inline char *read_text_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long length;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    length = ftell(f);
    assert_true(length >= 0);
    rewind(f);
    text = malloc((size_t)length + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)length, f), (size_t)length);
    text[length] = '\0';
    fclose(f);
    if (size)
        *size = (size_t)length;
    return text;
}

/* Load DIR/NAME of the source tree; fails the test (printing the
 * loader's messages) if it does not load. */
static inline cy_network *load_tree_file(const char *dir, const char *name)
{
    char path[1024];
    cy_network *net = NULL;
    cy_error err;
    snprintf(path, sizeof path, "%s/%s/%s", CY_SOURCE_DIR, dir, name);
    cy_error_init(&err);
    if (cy_network_load(path, NULL, &net, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("cannot load %s", path);
    }
    cy_error_destroy(&err);
    return net;
}

/* Load graphs/NAME (see load_tree_file). */
static inline cy_network *load_graph(const char *name)
{
    return load_tree_file("graphs", name);
}

/* Load a chengyu/1 document built with Jansson (the reference is taken);
 * fails the test, printing the loader's messages, if it does not load.
 * Warnings are dropped. */
static inline cy_network *load_json_doc(json_t *doc, const char *name)
{
    cy_network *net = NULL;
    cy_error err;
    json_free_t free_text;
    char *text = json_dumps(doc, 0);
    json_decref(doc);
    if (!text)
        fail_msg("json_dumps failed");
    json_get_alloc_funcs(NULL, &free_text); /* before the loader may change them */
    cy_error_init(&err);
    if (cy_network_load_buffer(text, strlen(text), name, &net, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("%s does not load", name);
    }
    cy_error_destroy(&err);
    free_text(text);
    return net;
}

/*
 * A random layered DAG as chengyu/1 text: firms 0..39 are materials without
 * suppliers, firm i >= 40 buys from 1-3 distinct firms among the 60 before
 * it, and the last 30 firms are OEMs.  With `parts` = 1 every link of a
 * customer carries the same part, so a firm fails exactly when all of its
 * suppliers fail (OR); with more parts the bill of materials is an AND of
 * ORs.  A fixed LCG makes it reproducible.
 */
static inline cy_network *random_dag(unsigned seed, int parts, size_t n)
{
    json_t *root, *ents, *links;
    uint64_t state = seed;
    cy_network *net = NULL;
    cy_error err;
    char *text;

    cy_library_init(); /* Jansson allocates through cy_malloc from here on */
    root = json_object();
    ents = json_array();
    links = json_array();
#define NEXT() (state = state * 6364136223846793005ULL + 1442695040888963407ULL, \
                (unsigned)(state >> 33))
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "f%zu", i);
        json_array_append_new(ents, json_pack("{s:s, s:s, s:f}", "id", id, "kind",
                                              i < 40 ? "material"
                                              : i + 30 >= n ? "oem" : "supplier",
                                              "output_value", (double)(i % 7 + 1)));
        if (i < 40)
            continue;
        size_t want = 1, chosen[3];
        want += NEXT() % 10 >= 5;
        want += NEXT() % 10 >= 8;
        for (size_t k = 0; k < want; k++) {
            size_t from;
            int dup;
            do {
                from = i - 1 - NEXT() % (i < 60 ? i : 60);
                dup = 0;
                for (size_t q = 0; q < k; q++)
                    dup |= (chosen[q] == from);
            } while (dup);
            chosen[k] = from;
            char from_id[32], part[16];
            snprintf(from_id, sizeof from_id, "f%zu", from);
            snprintf(part, sizeof part, "p%u", parts > 1 ? NEXT() % (unsigned)parts : 0);
            json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "from", from_id,
                                                   "to", id, "part", part));
        }
    }
#undef NEXT
    json_object_set_new(root, "format", json_string("chengyu/1"));
    json_object_set_new(root, "name", json_string("random dag"));
    json_object_set_new(root, "enterprises", ents);
    json_object_set_new(root, "links", links);
    text = json_dumps(root, 0);
    json_decref(root);
    assert_non_null(text);
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "dag", &net, &err), CY_OK);
    cy_error_destroy(&err);
    cy_free(text);
    return net;
}

#ifdef CHENGYU_RENDER_H
/*
 * Render `net` as DOT in-process with allocation n = 0, 1, ... failing in
 * turn (cy_alloc_fail_after, from chengyu_test.h) until a run meets no
 * failure: every failed run must return CY_ENOMEM and write nothing; every
 * successful one must contain `expect`.  For the render and map tests.
 */
static inline void render_alloc_every(const cy_network *net, const cy_render_options *opt,
                                      const char *expect)
{
    cy_error err;
    cy_error_init(&err);
    for (long n = 0;; n++) {
        char *data = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&data, &size);
        cy_status status;
        long made;
        cy_error_clear(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_render(net, opt, CY_RENDER_DOT, f, NULL, &err);
        made = cy_alloc_count();
        cy_alloc_fail_after(-1, 0);
        fclose(f);
        if (status == CY_OK) {
            assert_non_null(strstr(data, expect));
            free(data);
            if (made <= n)
                break;
            continue;
        }
        assert_int_equal(size, 0);
        free(data);
        if (status != CY_ENOMEM)
            fail_msg("allocation %ld: status %s", n, cy_status_string(status));
    }
    cy_error_destroy(&err);
}
#endif
/* What a progress callback (cy_progress_fn) saw: the first 64
 * percentages, how many calls, and whether one named anything but
 * `name`. */
typedef struct {
    const char *name;
    double percent[64];
    size_t count;
    int other_name;
} progress_log;

static inline void log_progress(const char *what, double percent, void *data)
{
    progress_log *log = data;
    if (log->count < 64)
        log->percent[log->count] = percent;
    log->count++;
    log->other_name |= strcmp(what, log->name) != 0;
}

/* What a progress callback with steps saw (cy_generate_run, the exports,
 * the import, cy_diff_run): each report's step, a static string of the
 * library, and its share of the whole run; the first 64 of them. */
typedef struct {
    const char *what[64];
    double percent[64];
    size_t count;
} step_log;

static inline void log_step(const char *what, double percent, void *data)
{
    step_log *log = data;
    if (log->count < 64) {
        log->what[log->count] = what;
        log->percent[log->count] = percent;
    }
    log->count++;
}

/* The run's reports begin at 0, never go back, and end at 100; `step`
 * (may be NULL) is one of them. */
static inline void check_steps(const step_log *log, const char *step)
{
    int seen = step == NULL;
    assert_true(log->count >= 2 && log->count <= 64);
    assert_true(log->percent[0] == 0.0);
    assert_true(log->percent[log->count - 1] == 100.0);
    for (size_t k = 0; k < log->count; k++) {
        assert_true(k == 0 || log->percent[k] >= log->percent[k - 1]);
        seen |= step && strcmp(log->what[k], step) == 0;
    }
    assert_true(seen);
}

/*
 * Run write(out, data, err) into a temporary file with the Nth allocation
 * failing, for N = 0, 1, ... until it succeeds; every failure must be
 * CY_ENOMEM (no crash; the sanitizer build checks for leaks).  Returns
 * how many runs failed.
 */
static inline long write_under_alloc_failures(cy_status (*write)(FILE *out, const void *data,
                                                                 cy_error *err),
                                              const void *data)
{
    long n;
    for (n = 0;; n++) {
        FILE *out = tmpfile();
        cy_error err;
        cy_status status;
        assert_non_null(out);
        cy_error_init(&err);
        cy_alloc_fail_after(n, 0);
        status = write(out, data, &err);
        cy_alloc_fail_after(-1, 0);
        cy_error_destroy(&err);
        fclose(out);
        if (status == CY_OK)
            return n;
        assert_int_equal(status, CY_ENOMEM);
    }
}

#endif /* CHENGYU_TEST_HELPERS_H */
