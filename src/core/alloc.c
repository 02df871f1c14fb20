/*
 * alloc.c - the one allocation wrapper of libchengyu, with failure injection.
 *
 * Everything the library allocates (and everything Jansson allocates, once
 * cy_library_init has installed these functions) passes through here, so a
 * test can make the Nth allocation fail and check that every caller copes.
 */
#include "internal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Injection state.  cy_alloc_fail_after is called between library calls;
 * the counters are atomic because cy_stress_each allocates on several
 * threads (which allocation is the Nth then depends on their timing). */
static long alloc_fail_at = -1;
static int alloc_fail_persistent;
static atomic_long alloc_counter;
/* Allocations that returned NULL, injected or real (cy_i_alloc_failures). */
static atomic_ulong alloc_failures;

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

int cy_i_alloc_injecting(void)
{
    return alloc_fail_at >= 0;
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

/*
 * Large blocks are offered to the kernel for transparent huge pages
 * (Debian's default mode, "madvise", uses them only where asked).  A big
 * load or analysis writes hundreds of megabytes once, much of it in random
 * order (the id table, the per-firm arrays): with 4 KB pages every first
 * touch is a page fault, costly in a virtual machine and, with several
 * threads, followed by TLB shootdowns across the processors, and every
 * random probe a TLB miss.  Only speed and resident memory (rounded up to
 * 2 MB at most once per block) depend on the advice; a kernel that says no
 * changes nothing.  The advice must come before the block is first
 * written, so it is given right after malloc or realloc returns.
 */
#define HUGE_ADVICE_MIN ((size_t)4 << 20)

static void *advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    long page;
    uintptr_t start, end;
    if (!p || size < HUGE_ADVICE_MIN || (page = sysconf(_SC_PAGESIZE)) <= 0)
        return p;
    /* The whole pages the block touches: a range that covered only part
     * of malloc's own mapping for the block would split it in two, and
     * realloc could then no longer grow it with mremap but would copy. */
    start = (uintptr_t)p & ~((uintptr_t)page - 1);
    end = ((uintptr_t)p + size + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)size;
#endif
    return p;
}

void *cy_malloc(size_t size)
{
    if (alloc_should_fail())
        return NULL;
    /* malloc(0) may return NULL legitimately; callers test for NULL as
     * failure, so never ask for zero bytes. */
    return advise_huge(counted(malloc(size ? size : 1)), size);
}

void *cy_calloc(size_t count, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    /* A fresh mapping from calloc is not touched yet, so the advice still
     * applies to it; a block calloc took from the heap was zeroed already. */
    return advise_huge(counted(calloc(count, size)),
                       count > SIZE_MAX / size ? 0 : count * size);
}

void *cy_realloc(void *ptr, size_t size)
{
    if (alloc_should_fail())
        return NULL;
    return advise_huge(counted(realloc(ptr, size ? size : 1)), size);
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

void cy_i_mem_release(void)
{
#ifdef __GLIBC__
    (void)malloc_trim(0);
#endif
}

/* ---- the record arena (see internal.h) --------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
/* Released arena memory is poisoned, so that a use after cy_i_arena_end is
 * still caught under AddressSanitizer as it would be after free(). */
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

/* Blocks are handed out at malloc's alignment. */
#define ARENA_ALIGN alignof(max_align_t)
/* A record of the shipped presets takes 1-3 KB in Jansson's structures. */
#define ARENA_FIRST_BYTES ((size_t)64 * 1024)
/* A larger block (left by one huge record) is not kept between records.
 * A batch of the parallel load (load_parallel.c) takes a few megabytes:
 * its arena keeps its last block, so later batches reuse memory already
 * mapped rather than fault in fresh pages for each batch. */
#define ARENA_KEEP_BYTES ((size_t)8 * 1024 * 1024)

struct cy_i_arena_chunk {
    cy_i_arena_chunk *next;
    size_t size, used;
    max_align_t data[]; /* `size` bytes */
};

static _Thread_local cy_i_arena *active_arena;

void cy_i_arena_use(cy_i_arena *arena)
{
    active_arena = arena;
}

int cy_i_arena_in_use(void)
{
    return active_arena != NULL;
}

/* ---- Jansson's memory budget (see internal.h) ------------------------- */

/* Bytes Jansson holds on this thread (its own blocks at malloc's size,
 * and the arena's blocks), the ceiling, and whether a request was refused
 * since the budget was set. */
static _Thread_local size_t json_live;
static _Thread_local size_t json_limit = SIZE_MAX;
static _Thread_local int json_over;

void cy_i_json_budget_set(size_t limit)
{
    json_limit = limit;
    json_live = 0;
    json_over = 0;
}

int cy_i_json_budget_exceeded(void)
{
    return json_over;
}

void cy_i_json_budget_save(cy_i_json_budget_state *state)
{
    state->live = json_live;
    state->limit = json_limit;
    state->over = json_over;
}

void cy_i_json_budget_restore(const cy_i_json_budget_state *state)
{
    json_live = state->live;
    json_limit = state->limit;
    json_over = state->over;
}

/* What a block really takes from malloc: glibc rounds up and keeps a
 * header, which is most of an empty object's cost. */
static size_t block_bytes(void *p, size_t asked)
{
#ifdef __GLIBC__
    (void)asked;
    return malloc_usable_size(p) + sizeof(size_t);
#else
    /* Without a way to ask, a block is charged what was asked and freed
     * for nothing: the count only overestimates. */
    (void)p;
    return asked ? asked + 2 * sizeof(size_t) : 0;
#endif
}

/* Charge `bytes` to the budget; 0 (and the budget marked exceeded) when
 * they do not fit. */
static int charge(size_t bytes)
{
    if (json_over || bytes > json_limit || json_live > json_limit - bytes) {
        json_over = 1;
        return 0;
    }
    json_live += bytes;
    return 1;
}

static void uncharge(size_t bytes)
{
    /* A block freed on another thread than the one that made it would
     * be uncharged here without having been charged. */
    json_live -= bytes < json_live ? bytes : json_live;
}

int cy_i_json_budget_charge(size_t bytes)
{
    return charge(bytes);
}

void cy_i_json_budget_credit(size_t bytes)
{
    uncharge(bytes);
}

/*
 * Charge a block of `size` bytes (aligned) of the current record to the
 * budget: the blocks a fresh arena would have made for the record so far
 * (64 KB, then doubling, or the block's own size when larger).  Charging
 * those rather than the real blocks, which depend on what earlier records
 * left, makes a record cost the same wherever and after whatever it is
 * parsed; the real blocks are at most twice that plus one kept block.
 */
static int charge_fresh(cy_i_arena *arena, size_t size)
{
    size_t want;
    /* Once a request was refused, every later one is: Jansson's lexer
     * overruns its buffer when a small request succeeds after a large
     * one failed (a string's text then lacks its closing quote). */
    if (cy_i_json_budget_exceeded())
        return 0;
    if (arena->fresh_size - arena->fresh_used >= size) {
        arena->fresh_used += size;
        return 1;
    }
    want = arena->fresh_size ? arena->fresh_size : ARENA_FIRST_BYTES / 2;
    want = want > SIZE_MAX / 2 ? SIZE_MAX : want * 2;
    if (want < size)
        want = size;
    if (want > SIZE_MAX - sizeof(cy_i_arena_chunk) ||
        !charge(sizeof(cy_i_arena_chunk) + want))
        return 0;
    arena->charged += sizeof(cy_i_arena_chunk) + want;
    arena->fresh_size = want;
    arena->fresh_used = size;
    return 1;
}

/*
 * `size` bytes from the newest block, or from a new one at least twice its
 * size (the first: first_bytes, or ARENA_FIRST_BYTES).  NULL when the
 * budget refuses (charge_fresh) or the new block cannot be had (counted
 * by cy_malloc, which is how the loader notices: Jansson does not always
 * say).
 */
static void *arena_alloc(cy_i_arena *arena, size_t size)
{
    cy_i_arena_chunk *chunk = arena->chunks;
    void *block;
    size = size ? size : 1;
    if (size > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    size = (size + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
    if (!charge_fresh(arena, size))
        return NULL;
    if (!chunk || chunk->size - chunk->used < size) {
        size_t want = arena->first_bytes ? arena->first_bytes : ARENA_FIRST_BYTES;
        if (chunk)
            want = chunk->size > SIZE_MAX / 2 ? SIZE_MAX : chunk->size * 2;
        if (want < size)
            want = size;
        if (want > SIZE_MAX - sizeof *chunk)
            return NULL;
        chunk = cy_malloc(sizeof *chunk + want);
        if (!chunk)
            return NULL;
        chunk->next = arena->chunks;
        chunk->size = want;
        chunk->used = 0;
        ARENA_POISON(chunk->data, want);
        arena->chunks = chunk;
    }
    block = (char *)chunk->data + chunk->used;
    chunk->used += size;
    arena->carved += size;
    ARENA_UNPOISON(block, size);
    return block;
}

void cy_i_arena_next_record(cy_i_arena *arena)
{
    uncharge(arena->charged);
    arena->charged = 0;
    arena->fresh_size = arena->fresh_used = 0;
}

size_t cy_i_arena_charged(const cy_i_arena *arena)
{
    return arena->charged;
}

static int arena_owns(const cy_i_arena *arena, const void *ptr)
{
    /* Compared as integers: relational operators on pointers into
     * different objects are undefined. */
    uintptr_t p = (uintptr_t)ptr;
    for (const cy_i_arena_chunk *c = arena->chunks; c; c = c->next) {
        uintptr_t start = (uintptr_t)c->data;
        if (p >= start && p - start < c->size)
            return 1;
    }
    return 0;
}

/* Free the chunk list starting at `c`. */
static void free_chunks(cy_i_arena_chunk *c)
{
    while (c) {
        cy_i_arena_chunk *next = c->next;
        cy_free(c);
        c = next;
    }
}

void cy_i_arena_end(cy_i_arena *arena)
{
    cy_i_arena_chunk *keep = arena->chunks;
    active_arena = NULL;
    cy_i_arena_next_record(arena);
    arena->carved = 0;
    if (!keep)
        return;
    free_chunks(keep->next);
    if (keep->size > ARENA_KEEP_BYTES) {
        cy_free(keep);
        arena->chunks = NULL;
        return;
    }
    keep->next = NULL;
    ARENA_POISON(keep->data, keep->used);
    keep->used = 0;
    arena->chunks = keep;
}

void cy_i_arena_destroy(cy_i_arena *arena)
{
    if (active_arena == arena)
        active_arena = NULL;
    cy_i_arena_next_record(arena);
    arena->carved = 0;
    free_chunks(arena->chunks);
    arena->chunks = NULL;
}

void *cy_i_json_malloc(size_t size)
{
    cy_i_arena *arena = active_arena;
    void *p;
    if (arena)
        return arena_alloc(arena, size);
    if (json_over)
        return NULL;
    p = cy_malloc(size);
    if (p && !charge(block_bytes(p, size))) {
        cy_free(p);
        return NULL;
    }
    return p;
}

void cy_i_json_free(void *ptr)
{
    cy_i_arena *arena = active_arena;
    /* A block of the active arena goes with cy_i_arena_end; anything else
     * (allocated before the arena was in use) is freed as usual. */
    if (!ptr || (arena && arena_owns(arena, ptr)))
        return;
    uncharge(block_bytes(ptr, 0));
    cy_free(ptr);
}
