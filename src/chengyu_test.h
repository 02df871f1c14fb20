/*
 * chengyu_test.h - hooks for tests only (allocation-failure injection); not installed.
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

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_TEST_H */
