/*
 * test_suggest.c - the "did you mean" helpers (src/core/suggest.c):
 * cy_edit_distance against the textbook Levenshtein dynamic programme
 * over whole code point strings (no band, no early stop, no limit) on
 * hand-checked pairs and on random names over small alphabets that mix
 * one-, two-, three- and four-byte characters, and cy_suggester against a
 * scan that computes every candidate's exact distance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"

#define MAX_TEST_CHARS 40

/* Code points of a valid UTF-8 string (the test's own decoder). */
static size_t code_points(const char *s, uint32_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c = *p;
        size_t extra = c < 0x80 ? 0 : c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
        if (extra)
            c &= 0x3fu >> extra;
        for (size_t k = 1; k <= extra; k++)
            c = (c << 6) | (p[k] & 0x3fu);
        out[n++] = c;
        p += extra + 1;
    }
    return n;
}

/* The reference: the full (n + 1) x (m + 1) table. */
static size_t levenshtein(const char *a, const char *b)
{
    uint32_t x[MAX_TEST_CHARS], y[MAX_TEST_CHARS];
    size_t n = code_points(a, x), m = code_points(b, y);
    size_t d[MAX_TEST_CHARS + 1][MAX_TEST_CHARS + 1];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        for (size_t j = 1; j <= m; j++) {
            size_t best = d[i - 1][j - 1] + (x[i - 1] != y[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    }
    return d[n][m];
}

static size_t capped(size_t distance, size_t limit)
{
    return distance <= limit ? distance : limit + 1;
}

/* Pairs checked by hand. */
static void test_known_pairs(void **state)
{
    static const struct {
        const char *a, *b;
        size_t distance;
    } pairs[] = {
        {"", "", 0}, {"", "abc", 3}, {"abc", "", 3},
        {"battery-pack", "battery_pack", 1}, /* substitution */
        {"battery-pack", "battery-packs", 1}, /* insertion */
        {"battery-pack", "batterypack", 1}, /* deletion */
        {"kitten", "sitting", 3},
        {"flaw", "lawn", 2},
        {"ab", "ba", 2}, /* no transpositions in Levenshtein */
        {"重庆", "重慶", 1}, /* one character of three bytes */
        {"成都-1", "成都-2", 1},
        {"cq-\xf0\x9f\x9a\x97", "cq-car", 3}, /* U+1F697 is one character */
    };
    (void)state;
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        assert_int_equal(levenshtein(pairs[k].a, pairs[k].b), pairs[k].distance);
        for (size_t limit = 0; limit <= 4; limit++)
            assert_int_equal(cy_edit_distance(pairs[k].a, pairs[k].b, limit),
                             capped(pairs[k].distance, limit));
    }
    /* Invalid UTF-8: each stray byte is a character of its own. */
    assert_int_equal(cy_edit_distance("a\xff", "a", 3), 1);
    assert_int_equal(cy_edit_distance("a\xe9\x95", "a", 3), 2);
    assert_int_equal(cy_edit_distance("\xff", "\xfe", 3), 1);
}

static const char *const ALPHABET[] = {"a", "b", "c", "-", "\xc3\xa9",
                                       "\xe9\x87\x8d", "\xe5\xba\x86",
                                       "\xf0\x9f\x9a\x97"};

/* The name spelled by characters chars[0..length) of ALPHABET. */
static void spell(char *out, const size_t *chars, size_t length)
{
    out[0] = '\0';
    for (size_t k = 0; k < length; k++)
        strcat(out, ALPHABET[chars[k]]);
}

/* A random name of up to `max` characters over a small alphabet. */
static void random_name(char *out, size_t max, unsigned *seed)
{
    size_t chars[16], length = (size_t)rand_r(seed) % (max + 1);
    for (size_t k = 0; k < length; k++)
        chars[k] = (size_t)rand_r(seed) % 8;
    spell(out, chars, length);
}

/* 200,000 random pairs, lengths 0-12, every limit 0-5; a third of them
 * near copies (a few characters changed, inserted or removed). */
static void test_random_pairs(void **state)
{
    unsigned seed = 12345;
    char a[64], b[64];
    (void)state;
    for (int trial = 0; trial < 200000; trial++) {
        size_t exact, limit = (size_t)trial % 6;
        size_t x[16], y[16], n = (size_t)rand_r(&seed) % 13, m;
        for (size_t k = 0; k < n; k++)
            x[k] = (size_t)rand_r(&seed) % 8;
        spell(a, x, n);
        if (trial % 3 == 0) {
            m = n;
            memcpy(y, x, sizeof x);
            for (int edit = rand_r(&seed) % 4; edit > 0; edit--) {
                size_t at = m ? (size_t)rand_r(&seed) % m : 0;
                switch (rand_r(&seed) % 3) {
                case 0:
                    if (m)
                        y[at] = (size_t)rand_r(&seed) % 8;
                    break;
                case 1:
                    if (m) {
                        memmove(y + at, y + at + 1, (m - at - 1) * sizeof *y);
                        m--;
                    }
                    break;
                default:
                    if (m < 15) {
                        memmove(y + at + 1, y + at, (m - at) * sizeof *y);
                        y[at] = (size_t)rand_r(&seed) % 8;
                        m++;
                    }
                }
            }
            spell(b, y, m);
        } else {
            random_name(b, 12, &seed);
        }
        exact = levenshtein(a, b);
        if (cy_edit_distance(a, b, limit) != capped(exact, limit))
            fail_msg("\"%s\" / \"%s\" limit %zu: got %zu, want %zu", a, b, limit,
                     cy_edit_distance(a, b, limit), capped(exact, limit));
    }
}

/*
 * The suggester against a scan of every candidate: the first one at the
 * smallest exact distance, if that is within the limit.
 */
static void test_suggester(void **state)
{
    unsigned seed = 777;
    char word[64], candidates[30][64];
    (void)state;
    for (int trial = 0; trial < 20000; trial++) {
        size_t count = 1 + (size_t)trial % 30, limit = (size_t)trial % 4;
        size_t want = count, want_distance = limit + 1;
        cy_suggester s;
        random_name(word, 6, &seed);
        cy_suggester_init(&s, word, limit);
        for (size_t k = 0; k < count; k++) {
            size_t d;
            random_name(candidates[k], 7, &seed);
            d = levenshtein(word, candidates[k]);
            if (d < want_distance) {
                want = k;
                want_distance = d;
            }
            cy_suggester_offer(&s, candidates[k]);
        }
        if (want == count)
            assert_null(cy_suggester_best(&s));
        else
            assert_ptr_equal(cy_suggester_best(&s), candidates[want]);
    }
}

/* The loader's case, and names too long to be suggested. */
static void test_suggester_cases(void **state)
{
    static const char *const requires[] = {"battery-pack", "seat", "chip",
                                           "battery-cell"};
    char *long_name = malloc(400), *long_other = malloc(400);
    cy_suggester s;
    (void)state;

    cy_suggester_init(&s, "battery_pack", CY_SUGGEST_DISTANCE);
    for (size_t k = 0; k < 4; k++)
        cy_suggester_offer(&s, requires[k]);
    assert_string_equal(cy_suggester_best(&s), "battery-pack");
    /* Nothing within 2: no suggestion. */
    cy_suggester_init(&s, "engine", CY_SUGGEST_DISTANCE);
    for (size_t k = 0; k < 4; k++)
        cy_suggester_offer(&s, requires[k]);
    assert_null(cy_suggester_best(&s));
    /* Two at distance 1: the first offered. */
    cy_suggester_init(&s, "chipp", CY_SUGGEST_DISTANCE);
    cy_suggester_offer(&s, "chips");
    cy_suggester_offer(&s, "chip");
    assert_string_equal(cy_suggester_best(&s), "chips");
    /* A nearer one later wins. */
    cy_suggester_init(&s, "chip", CY_SUGGEST_DISTANCE);
    cy_suggester_offer(&s, "chap");
    cy_suggester_offer(&s, "chip");
    assert_string_equal(cy_suggester_best(&s), "chip");
    /* Case is not counted: "VCU-A" is 4 edits from "vcu-a", which is
     * still the one suggested, before "vcu-b"; a Chinese id is compared
     * as it is. */
    cy_suggester_init(&s, "VCU-A", CY_SUGGEST_DISTANCE);
    cy_suggester_offer(&s, "vcu-b");
    cy_suggester_offer(&s, "vcu-a");
    assert_string_equal(cy_suggester_best(&s), "vcu-a");
    assert_int_equal(cy_edit_distance("VCU-A", "vcu-a", 9), 4);
    cy_suggester_init(&s, "长安", CY_SUGGEST_DISTANCE);
    cy_suggester_offer(&s, "长城");
    assert_string_equal(cy_suggester_best(&s), "长城");

    assert_non_null(long_name);
    assert_non_null(long_other);
    memset(long_name, 'x', 399);
    long_name[399] = '\0';
    memcpy(long_other, long_name, 400);
    long_other[0] = 'y';
    assert_int_equal(cy_edit_distance(long_name, long_name, 2), 0);
    assert_int_equal(cy_edit_distance(long_name, long_other, 2), 3);
    cy_suggester_init(&s, long_name, CY_SUGGEST_DISTANCE);
    cy_suggester_offer(&s, long_other);
    cy_suggester_offer(&s, long_name);
    assert_null(cy_suggester_best(&s));
    /* 256 characters (an id at its limit) are matched. */
    long_name[256] = long_other[256] = '\0';
    assert_int_equal(cy_edit_distance(long_name, long_other, 2), 1);
    free(long_name);
    free(long_other);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_pairs),
        cmocka_unit_test(test_random_pairs),
        cmocka_unit_test(test_suggester),
        cmocka_unit_test(test_suggester_cases),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
