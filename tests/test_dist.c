/*
 * test_dist.c - the exchange of results between the processes of an MPI
 * run (dist.c), in one process.
 *
 * Without mpirun the exchange runs over one process; what it must still
 * do exactly is what every process relies on: packing reads back what was
 * written and flags a short buffer, a failure's messages (path, line and
 * column, severity, the count of those not stored) come back as they
 * were, a success hands no process its own results, and an allocation
 * failure anywhere is an "out of memory" status, never a crash.  The
 * exchanges across processes are tested by tests/cli/test_mpi.sh, which
 * also runs this program under mpirun: then the loops below run spread
 * over the processes (slots, pack/unpack, failing items) and every
 * process must end with every result and the lowest failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chengyu_test.h"
#include "internal.h"

#ifdef CHENGYU_MPI
#include <mpi.h>
#endif

static void test_pack_round_trip(void **state)
{
    unsigned char buf[64];
    cy_i_pack out = {NULL, 0};
    double x = 0.1, y = 0;
    size_t k = 42, l = 0;
    cy_i_unpack in;

    (void)state;
    cy_i_pack_put(&out, &x, sizeof x);
    cy_i_pack_put(&out, &k, sizeof k);
    assert_int_equal(out.size, sizeof x + sizeof k); /* counting pass */
    out = (cy_i_pack){buf, 0};
    cy_i_pack_put(&out, &x, sizeof x);
    cy_i_pack_put(&out, &k, sizeof k);
    in = (cy_i_unpack){buf, out.size, 0, 0};
    cy_i_unpack_get(&in, &y, sizeof y);
    cy_i_unpack_get(&in, &l, sizeof l);
    assert_false(in.bad);
    assert_memory_equal(&x, &y, sizeof x);
    assert_int_equal(l, 42);
    assert_int_equal(in.pos, in.size);
    /* One byte too many: flagged, zeroed, and it stays flagged. */
    cy_i_unpack_get(&in, &l, 1);
    assert_true(in.bad);
    in = (cy_i_unpack){buf, sizeof x + sizeof k - 1, 0, 0};
    cy_i_unpack_get(&in, &y, sizeof y);
    cy_i_unpack_get(&in, &l, sizeof l);
    assert_true(in.bad);
    assert_int_equal(l, 0);
}

static cy_status never_called(void *ctx, size_t rank, cy_i_unpack *in, cy_error *err)
{
    (void)rank;
    (void)in;
    (void)err;
    (*(int *)ctx)++;
    return CY_OK;
}

static void test_failure_messages_come_back(void **state)
{
    cy_error mine, err;
    int calls = 0;
    cy_status status;

    (void)state;
    cy_error_init(&mine);
    cy_error_init(&err);
    mine.max_errors = 2;
    cy_error_add(&mine, CY_SEV_ERROR, "$.links[3].to", "unknown enterprise \"%s\"", "x\ty");
    cy_error_add_at(&mine, CY_SEV_ERROR, 7, 12, "invalid token");
    cy_error_add(&mine, CY_SEV_WARNING, NULL, "a warning");
    cy_error_add(&mine, CY_SEV_ERROR, NULL, "not stored (over the limit)");
    assert_int_equal(mine.count, 3);
    assert_int_equal(mine.error_count, 3);
    status = cy_i_dist_exchange("abc", 3, CY_EINTERNAL, 5, &mine, never_called, &calls, &err);
    assert_int_equal(status, CY_EINTERNAL);
    assert_int_equal(calls, 0);
    assert_int_equal(mine.count, 0); /* cleared */
    assert_int_equal(err.count, 3);
    assert_int_equal(err.error_count, 3);
    assert_int_equal(err.items[0].severity, CY_SEV_ERROR);
    assert_string_equal(err.items[0].path, "$.links[3].to");
    assert_string_equal(err.items[0].message, "unknown enterprise \"x\ty\"");
    assert_null(err.items[1].path);
    assert_int_equal(err.items[1].line, 7);
    assert_int_equal(err.items[1].column, 12);
    assert_string_equal(err.items[1].message, "invalid token");
    assert_int_equal(err.items[2].severity, CY_SEV_WARNING);
    assert_string_equal(err.items[2].message, "a warning");
    cy_error_destroy(&mine);
    cy_error_destroy(&err);
}

static void test_success_hands_nothing_back(void **state)
{
    cy_error mine, err;
    int calls = 0;

    (void)state;
    cy_error_init(&mine);
    cy_error_init(&err);
    assert_int_equal(cy_i_dist_exchange("abc", 3, CY_OK, 9, &mine, never_called, &calls, &err),
                     CY_OK);
    assert_int_equal(calls, 0); /* one's own results are already in place */
    assert_int_equal(err.count, 0);
    cy_error_destroy(&mine);
    cy_error_destroy(&err);
}

static void test_not_attached(void **state)
{
    cy_error err;

    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_dist_rank(), 0);
    assert_int_equal(cy_dist_size(), 1);
    assert_false(cy_i_dist_active());
    /* Either built without MPI, or MPI not initialised: refused. */
    assert_int_equal(cy_dist_attach(&err), CY_EUSAGE);
    assert_int_equal(err.count, 1);
    assert_true(strstr(err.items[0].message, "MPI") != NULL);
    assert_false(cy_i_dist_active());
    assert_int_equal(cy_dist_finish(3), 3);
    cy_error_destroy(&err);
}

/* Every allocation of an exchange failing in turn: CY_OK or CY_ENOMEM
 * with "out of memory", never a crash, never a leak (ASan). */
static void test_allocation_failures(void **state)
{
    static const char data[100] = "results";
    long clean;

    (void)state;
    cy_alloc_fail_after(1000000, 0);
    {
        cy_error mine, err;
        int calls = 0;
        cy_error_init(&mine);
        cy_error_init(&err);
        assert_int_equal(cy_i_dist_exchange(data, sizeof data, CY_OK, 0, &mine, never_called,
                                            &calls, &err), CY_OK);
        clean = (long)cy_alloc_count();
        cy_error_destroy(&mine);
        cy_error_destroy(&err);
    }
    assert_true(clean >= 2);
    for (long n = 0; n < clean; n++) {
        cy_error mine, err;
        int calls = 0;
        cy_status status;
        cy_error_init(&mine);
        cy_error_init(&err);
        cy_alloc_fail_after(n, 1);
        status = cy_i_dist_exchange(data, sizeof data, CY_OK, 0, &mine, never_called, &calls,
                                    &err);
        cy_alloc_fail_after(-1, 0);
        assert_int_equal(status, CY_ENOMEM);
        assert_true(err.oom || (err.count >= 1 &&
                                strcmp(err.items[0].message, "out of memory") == 0));
        cy_error_destroy(&mine);
        cy_error_destroy(&err);
    }
}

/* ---- under mpirun ------------------------------------------------------ */

#define ITEMS 1000

typedef struct {
    uint64_t slots[ITEMS];
    /* pack/unpack: item k's result is k % 7 values k * 1000 + j */
    uint64_t *lists[ITEMS];
    size_t lengths[ITEMS];
    size_t fail_a, fail_b; /* failing items (ITEMS: none) */
} spread;

static cy_status spread_item(void *ctx, void *state, size_t k, cy_error *err)
{
    spread *s = ctx;
    (void)state;
    if (k == s->fail_a || k == s->fail_b) {
        cy_error_add(err, CY_SEV_ERROR, "$.items", "item %zu failed on process %zu", k,
                     cy_dist_rank());
        return CY_EINPUT;
    }
    s->slots[k] = k * k + 1;
    s->lengths[k] = k % 7;
    s->lists[k] = cy_malloc((k % 7 + 1) * sizeof *s->lists[k]);
    if (!s->lists[k])
        return CY_ENOMEM;
    for (size_t j = 0; j < k % 7; j++)
        s->lists[k][j] = k * 1000 + j;
    return CY_OK;
}

static void spread_pack(void *ctx, size_t first, size_t step, cy_i_pack *out)
{
    const spread *s = ctx;
    for (size_t k = first; k < ITEMS; k += step) {
        cy_i_pack_put(out, &s->lengths[k], sizeof s->lengths[k]);
        cy_i_pack_put(out, s->lists[k], s->lengths[k] * sizeof *s->lists[k]);
    }
}

static cy_status spread_unpack(void *ctx, size_t first, size_t step, cy_i_unpack *in,
                               cy_error *err)
{
    spread *s = ctx;
    (void)err;
    for (size_t k = first; k < ITEMS && !in->bad; k += step) {
        cy_i_unpack_get(in, &s->lengths[k], sizeof s->lengths[k]);
        if (s->lengths[k] > 6) {
            in->bad = 1;
            return CY_OK;
        }
        if (!(s->lists[k] = cy_malloc((s->lengths[k] + 1) * sizeof *s->lists[k])))
            return CY_ENOMEM;
        cy_i_unpack_get(in, s->lists[k], s->lengths[k] * sizeof *s->lists[k]);
    }
    return CY_OK;
}

static void spread_free(spread *s)
{
    for (size_t k = 0; k < ITEMS; k++)
        cy_free(s->lists[k]);
}

static cy_status run_spread(spread *s, int by_slots, cy_error *err)
{
    cy_i_par_job par = {0};
    par.count = ITEMS;
    par.threads = 2;
    par.ctx = s;
    par.item = spread_item;
    if (by_slots) {
        par.slots = s->slots;
        par.slot_size = sizeof s->slots[0];
    } else {
        par.pack = spread_pack;
        par.unpack = spread_unpack;
    }
    return cy_i_par_run(&par, err);
}

/* Slots, then pack/unpack: every process holds every item's result
 * (the slots filled by pack/unpack's loop stay only the process's own). */
static void test_spread_results(void **state)
{
    spread *s = calloc(1, sizeof *s);
    size_t before = cy_dist_exchanges();
    cy_error err;

    (void)state;
    assert_non_null(s);
    cy_error_init(&err);
    s->fail_a = s->fail_b = ITEMS;
    assert_int_equal(run_spread(s, 1, &err), CY_OK);
    for (size_t k = 0; k < ITEMS; k++)
        assert_int_equal(s->slots[k], k * k + 1);
    spread_free(s);
    memset(s, 0, sizeof *s);
    s->fail_a = s->fail_b = ITEMS;
    assert_int_equal(run_spread(s, 0, &err), CY_OK);
    for (size_t k = 0; k < ITEMS; k++) {
        assert_int_equal(s->lengths[k], k % 7);
        for (size_t j = 0; j < k % 7; j++)
            assert_int_equal(s->lists[k][j], k * 1000 + j);
        if (k % cy_dist_size() != cy_dist_rank())
            assert_int_equal(s->slots[k], 0); /* computed elsewhere */
    }
    assert_int_equal(cy_dist_exchanges(), before + (cy_dist_size() > 1 ? 2 : 0));
    assert_int_equal(err.count, 0);
    spread_free(s);
    free(s);
    cy_error_destroy(&err);
}

/* Items 612 and 437 fail (on different processes for K = 2 and 3): every
 * process reports item 437, as one process would. */
static void test_spread_failure(void **state)
{
    spread *s = calloc(1, sizeof *s);
    cy_error err;
    char want[64];

    (void)state;
    assert_non_null(s);
    cy_error_init(&err);
    s->fail_a = 612;
    s->fail_b = 437;
    assert_int_equal(run_spread(s, 0, &err), CY_EINPUT);
    assert_int_equal(err.count, 1);
    snprintf(want, sizeof want, "item 437 failed on process %zu", (size_t)437 % cy_dist_size());
    assert_string_equal(err.items[0].message, want);
    assert_string_equal(err.items[0].path, "$.items");
    spread_free(s);
    free(s);
    cy_error_destroy(&err);
}

/* The loop's conclusion (job->after, which the single failures use to
 * check that every worker's list was joined) fails on the last process
 * alone: every process fails the loop with its message, as one process
 * whose conclusion failed would; none returns CY_OK with a share missing. */
static cy_status after_fails_on_last(void *ctx, cy_error *err)
{
    (void)ctx;
    if (cy_dist_rank() + 1 != cy_dist_size())
        return CY_OK;
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory on process %zu", cy_dist_rank());
    return CY_ENOMEM;
}

static void test_spread_after_failure(void **state)
{
    spread *s = calloc(1, sizeof *s);
    cy_i_par_job par = {0};
    cy_error err;
    char want[64];

    (void)state;
    assert_non_null(s);
    cy_error_init(&err);
    s->fail_a = s->fail_b = ITEMS;
    par.count = ITEMS;
    par.threads = 2;
    par.ctx = s;
    par.item = spread_item;
    par.pack = spread_pack;
    par.unpack = spread_unpack;
    par.after = after_fails_on_last;
    assert_int_equal(cy_i_par_run(&par, &err), CY_ENOMEM);
    assert_int_equal(err.count, 1);
    snprintf(want, sizeof want, "out of memory on process %zu", cy_dist_size() - 1);
    assert_string_equal(err.items[0].message, want);
    spread_free(s);
    /* An item's failure comes first, as with one process, which stops at
     * the item and never reaches its conclusion. */
    memset(s, 0, sizeof *s);
    cy_error_clear(&err);
    s->fail_a = s->fail_b = 611;
    assert_int_equal(cy_i_par_run(&par, &err), CY_EINPUT);
    assert_int_equal(err.count, 1);
    snprintf(want, sizeof want, "item 611 failed on process %zu", (size_t)611 % cy_dist_size());
    assert_string_equal(err.items[0].message, want);
    spread_free(s);
    free(s);
    cy_error_destroy(&err);
}

/* One process: the agreement before a commit is the process's own status,
 * its messages moved. */
static void test_agree_alone(void **state)
{
    cy_error mine, err;

    (void)state;
    cy_error_init(&mine);
    cy_error_init(&err);
    assert_int_equal(cy_i_dist_agree(CY_OK, &mine, &err), CY_OK);
    assert_int_equal(err.count, 0);
    cy_error_add(&mine, CY_SEV_ERROR, NULL, "cannot write 'x': no space left on device");
    assert_int_equal(cy_i_dist_agree(CY_EIO, &mine, &err), CY_EIO);
    assert_int_equal(mine.count, 0);
    assert_int_equal(err.count, 1);
    assert_string_equal(err.items[0].message, "cannot write 'x': no space left on device");
    cy_error_destroy(&mine);
    cy_error_destroy(&err);
}

/* Last (it ends the collectives): the last process stops after the last
 * loop, as a --max-seconds stop does, with its last words, while the
 * others write an output.  Process 0 must not give its file a name, and
 * fails with those words; every process ends with exit code 1. */
static void test_leaver_stops_the_commit(void **state)
{
    const char *dir = getenv("CHENGYU_TEST_TMPDIR");
    char path[512], words[600];
    cy_output *out = NULL;
    cy_error err;

    (void)state;
    if (cy_dist_size() < 2)
        skip();
    cy_error_init(&err);
    snprintf(path, sizeof path, "%s/chengyu-test-dist-%ld.txt", dir ? dir : "/tmp",
             (long)getppid());
    /* Longer than the header's 511 bytes, with a 3-byte character across
     * the cut: cut before it. */
    memset(words, 'x', sizeof words);
    memcpy(words, "stress: stopped ", 16);
    memcpy(words + 509, "\xe6\xad\xa2", 3);
    words[sizeof words - 1] = '\0';
    assert_int_equal(cy_output_open(path, NULL, &out, &err), CY_OK);
    fputs("results\n", cy_output_stream(out));
    if (cy_dist_rank() + 1 == cy_dist_size()) {
        cy_output_abort(out);
        cy_dist_last_words(words);
        assert_int_equal(cy_dist_finish(1), 1);
        assert_null(cy_dist_stop_reason()); /* its own code is the run's */
    } else {
        assert_int_equal(cy_output_commit(out, &err), CY_EINTERNAL);
        assert_int_equal(err.count, 1);
        assert_int_equal(strlen(err.items[0].message), 509);
        assert_memory_equal(err.items[0].message, words, 509);
        assert_int_equal(access(path, F_OK), -1);
        assert_int_equal(cy_dist_finish(1), 1); /* its commit failed: exit 1 */
    }
    cy_error_destroy(&err);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_round_trip),
        cmocka_unit_test(test_failure_messages_come_back),
        cmocka_unit_test(test_success_hands_nothing_back),
        cmocka_unit_test(test_not_attached),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_agree_alone),
    };
    const struct CMUnitTest spread_tests[] = {
        cmocka_unit_test(test_spread_results),
        cmocka_unit_test(test_spread_failure),
        cmocka_unit_test(test_spread_after_failure),
        cmocka_unit_test(test_leaver_stops_the_commit),
    };
    int failed;

    (void)argc;
    (void)argv;
    cy_library_init();
#ifdef CHENGYU_MPI
    if (argc > 1 && strcmp(argv[1], "--mpi-init") == 0) {
        /* MPI_Init gives MPI_THREAD_SINGLE: every process is refused,
         * with the same message, and nothing waits (test_mpi.sh). */
        cy_error err;
        int refused;
        MPI_Init(&argc, &argv);
        cy_error_init(&err);
        refused = cy_dist_attach(&err) == CY_EUSAGE && err.count == 1 &&
                  strstr(err.items[0].message, "MPI gives MPI_THREAD_SINGLE thread "
                                                "support, and chengyu needs "
                                                "MPI_THREAD_FUNNELED") != NULL &&
                  cy_dist_size() == 1 && !cy_i_dist_active();
        if (!refused)
            fprintf(stderr, "test_dist --mpi-init: not refused: %s\n",
                    err.count ? err.items[0].message : "(no message)");
        cy_error_destroy(&err);
        MPI_Finalize();
        return !refused;
    }
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK")) {
        int provided;
        cy_error err;
        MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
        cy_error_init(&err);
        assert_int_equal(cy_dist_attach(&err), CY_OK);
        cy_error_destroy(&err);
        failed = cmocka_run_group_tests(spread_tests, NULL, NULL);
        failed = cy_dist_finish(failed != 0);
        MPI_Finalize();
        return failed;
    }
#endif
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed || cmocka_run_group_tests(spread_tests, NULL, NULL);
}
