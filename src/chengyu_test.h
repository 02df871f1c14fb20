/*
 * chengyu_test.h - hooks for tests only (allocation-failure injection, output paths); not installed.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_TEST_H
#define CHENGYU_TEST_H

#include "chengyu_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Allocation-failure injection, for tests only.  After
 * cy_alloc_fail_after(n), the allocations numbered n, n+1, ... (0-based,
 * counted from this call) fail when `persistent`, or only allocation n
 * otherwise.  cy_alloc_fail_after(-1, 0) turns injection off.
 * cy_alloc_count() is the number of allocations since the last call.
 */
void cy_alloc_fail_after(long n, int persistent);
long cy_alloc_count(void);

/*
 * Output files: with `disable` non-zero, temporary files are named
 * (".NAME.XXXXXX", removed by the signal handlers) even where O_TMPFILE
 * works, so that path can be tested anywhere.  cy_output_test_fifo_wait
 * sets how long a FIFO output waits for a reader (negative: the default,
 * CY_OUTPUT_FIFO_WAIT_MS).
 */
void cy_output_test_disable_tmpfile(int disable);
void cy_output_test_fifo_wait(long milliseconds);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_TEST_H */
