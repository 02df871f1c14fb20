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
 * exchanges across processes are tested by tests/cli/test_mpi.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "chengyu_test.h"
#include "internal.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_round_trip),
        cmocka_unit_test(test_failure_messages_come_back),
        cmocka_unit_test(test_success_hands_nothing_back),
        cmocka_unit_test(test_not_attached),
        cmocka_unit_test(test_allocation_failures),
    };
    cy_library_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
