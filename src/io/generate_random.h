/*
 * generate_random.h - the generator's random numbers: streams of the
 * library's one generator (rng.h), unbiased integer ranges, and
 * heavy-tailed draws in integer arithmetic only, so that the same seed
 * gives the same bytes on every machine.  Inline: every phase draws millions of times.  Private to
 * src/io/generate*.c.
 */
#ifndef CHENGYU_GENERATE_RANDOM_H
#define CHENGYU_GENERATE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

#include "rng.h"

/* The library's one random generator (src/core/rng.h). */
typedef cy_i_rng gen_rng;

/* Independent streams, one per phase, so that changing how one phase draws
 * does not reshuffle the others. */
enum {
    STREAM_FIRMS = 1,
    STREAM_PARKS,
    STREAM_PARTS,
    STREAM_PRODUCES,
    STREAM_REQUIRES,
    STREAM_ORPHANS,
    STREAM_SHARES,
    STREAM_MONEY,
    STREAM_DENSE_FIRMS,
    STREAM_DENSE_LINKS,
    STREAM_DENSE_MONEY,
    STREAM_STRESS /* last: adding it left the other streams' seeds alone */
};

/* The generator's names for the three operations of rng.h. */
static inline void rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream)
{
    cy_i_rng_seed(rng, seed, stream);
}

static inline uint64_t rng_next(gen_rng *rng)
{
    return cy_i_rng_next(rng);
}

static inline uint64_t rng_below(gen_rng *rng, uint64_t bound)
{
    return cy_i_rng_below(rng, bound);
}

/* A uniform integer in [lo, hi], lo <= hi. */
static inline unsigned rng_range(gen_rng *rng, unsigned lo, unsigned hi)
{
    return lo + (unsigned)rng_below(rng, (uint64_t)(hi - lo) + 1);
}

/* 1 with probability permille / 1000. */
static inline int rng_chance(gen_rng *rng, unsigned permille)
{
    return rng_below(rng, 1000) < permille;
}

/* floor(sqrt(x)) by the bit-by-bit method: exact and identical everywhere. */
static inline uint64_t isqrt64(uint64_t x)
{
    uint64_t root = 0;
    uint64_t bit = UINT64_C(1) << 62;
    while (bit > x)
        bit >>= 2;
    while (bit != 0) {
        if (x >= root + bit) {
            x -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

/* scale * 2^shift / divisor, clamped to cap, without overflowing 64 bits
 * for shift <= 24 and divisor >= 1. */
static inline uint64_t scaled_quotient(uint64_t scale, unsigned shift,
                                uint64_t divisor, uint64_t cap)
{
    uint64_t whole = scale / divisor;
    if (whole > (cap >> shift))
        return cap;
    uint64_t value = (whole << shift) + ((scale % divisor) << shift) / divisor;
    return value < cap ? value : cap;
}

/*
 * A Pareto draw with tail exponent 2: scale / sqrt(U) for U uniform in
 * (0, 1], i.e. scale * 2^16 / isqrt(r) with r uniform in [1, 2^32], clamped
 * to cap.  The result lies in [scale, cap]; P(X > x) = (scale / x)^2.
 */
static inline uint64_t draw_pareto2(gen_rng *rng, uint64_t scale, uint64_t cap)
{
    uint64_t r = (rng_next(rng) >> 32) + 1;
    return scaled_quotient(scale, 16, isqrt64(r), cap);
}

/*
 * A Pareto draw with tail exponent 4/3 (heavier: finite mean, infinite
 * variance): scale / U^(3/4), computed as scale * 2^24 / isqrt(r *
 * isqrt(r)) with r uniform in [1, 2^32], clamped to cap.
 */
static inline uint64_t draw_pareto43(gen_rng *rng, uint64_t scale, uint64_t cap)
{
    uint64_t r = (rng_next(rng) >> 32) + 1;
    return scaled_quotient(scale, 24, isqrt64(r * isqrt64(r)), cap);
}

/*
 * Weighted pick from a cumulative array.  cum[i] is the inclusive running
 * total of the weights of a segment that starts at `segment_start`; the pick
 * is restricted to [lo, hi) inside it (segment_start <= lo < hi), with
 * probability proportional to each element's weight.  Weights must be >= 1.
 * O(log(hi - lo)).
 */
static inline size_t pick_weighted(gen_rng *rng, const uint64_t *cum,
                            size_t segment_start, size_t lo, size_t hi)
{
    uint64_t base = lo > segment_start ? cum[lo - 1] : 0;
    uint64_t target = base + rng_below(rng, cum[hi - 1] - base);
    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo - 1) / 2;
        if (cum[mid] > target)
            hi = mid + 1;
        else
            lo = mid + 1;
    }
    return lo;
}

#endif
