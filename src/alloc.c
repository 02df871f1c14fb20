/*
 * alloc.c - the one allocation wrapper of libchengyu, with failure injection.
 *
 * Everything the library allocates (and everything Jansson allocates, once
 * cy_library_init has installed these functions) passes through here, so a
 * test can make the Nth allocation fail and check that every caller copes.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Injection state.  Not thread-safe by design: injection is a test facility
 * and the library allocates on one thread only (output.c's writer thread
 * only calls write(2)). */
static long alloc_fail_at = -1;
static int alloc_fail_persistent;
static long alloc_counter;
/* Allocations that returned NULL, injected or real (cy_i_alloc_failures). */
static unsigned long alloc_failures;

void cy_alloc_fail_after(long n, int persistent)
{
    alloc_fail_at = n;
    alloc_fail_persistent = persistent;
    alloc_counter = 0;
}

long cy_alloc_count(void)
{
    return alloc_counter;
}

unsigned long cy_i_alloc_failures(void)
{
    return alloc_failures;
}

/* Decide whether the allocation being made now must fail. */
static int alloc_should_fail(void)
{
    long current = alloc_counter++;
    int fail;
    if (alloc_fail_at < 0)
        return 0;
    fail = alloc_fail_persistent ? current >= alloc_fail_at
                                 : current == alloc_fail_at;
    alloc_failures += (unsigned long)fail;
    return fail;
}

/* Count a real allocation failure; returns p. */
static void *counted(void *p)
{
    alloc_failures += (p == NULL);
    return p;
}

void *cy_malloc(size_t size)
{
    if (alloc_should_fail())
        return NULL;
    /* malloc(0) may return NULL legitimately; callers test for NULL as
     * failure, so never ask for zero bytes. */
    return counted(malloc(size ? size : 1));
}

void *cy_calloc(size_t count, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return counted(calloc(count, size));
}

void *cy_realloc(void *ptr, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return counted(realloc(ptr, size ? size : 1));
}

char *cy_strndup(const char *s, size_t n)
{
    char *copy = cy_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *cy_strdup(const char *s)
{
    return cy_strndup(s, strlen(s));
}

void cy_free(void *ptr)
{
    free(ptr);
}
