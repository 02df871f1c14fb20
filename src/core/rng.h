/*
 * rng.h - the one random generator of libchengyu: xoshiro256** (Blackman
 * and Vigna 2018), seeded through splitmix64 as its authors recommend.
 * Integer arithmetic only, so a seed gives the same numbers on every
 * machine: generated networks and random attack orders are reproducible.
 * Inline, because the generator draws millions of times.  Private to the
 * libraries.
 *
 * cy_i_rng_seed seeds stream `stream` for `seed` (distinct pairs give
 * unrelated sequences; stream 0 takes the state from the seed alone),
 * cy_i_rng_next gives the next 64 random bits, cy_i_rng_below a uniform
 * integer in [0, bound), bound > 0, without modulo bias.
 * Time complexity: O(1) each (cy_i_rng_below: expected O(1)).
 */
#ifndef CHENGYU_RNG_H
#define CHENGYU_RNG_H

#include <stdint.h>

/* xoshiro256** state; seed it with cy_i_rng_seed. */
typedef struct {
    uint64_t s[4];
} cy_i_rng;

/* splitmix64 step: advances *state and returns a well-mixed 64-bit value. */
static inline uint64_t cy_i_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* splitmix64's output is a bijection of its counter, so the four words
 * are distinct and never all zero, the one state xoshiro must not start
 * from. */
static inline void cy_i_rng_seed(cy_i_rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t state = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++)
        rng->s[i] = cy_i_splitmix64(&state);
}

static inline uint64_t cy_i_rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t cy_i_rng_next(cy_i_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = cy_i_rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = cy_i_rotl64(s[3], 45);
    return result;
}

/* Values below 2^64 mod bound are rejected, so every residue is equally
 * likely (rarely more than one draw). */
static inline uint64_t cy_i_rng_below(cy_i_rng *rng, uint64_t bound)
{
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = cy_i_rng_next(rng);
        if (x >= threshold)
            return x % bound;
    }
}

#endif /* CHENGYU_RNG_H */
