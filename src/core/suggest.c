/*
 * suggest.c - "did you mean": the Levenshtein distance between two names,
 * counted in characters (UTF-8 code points), computed only as far as a
 * small limit, and the nearest of a set of names.  Neither Jansson nor
 * igraph has one; tests/test_suggest.c checks it against the textbook
 * dynamic programme.
 */
#include "chengyu.h"

#include <string.h>

/*
 * Decode UTF-8 into code points, at most `max`; a byte that does not start
 * a valid sequence stands for itself (above the Unicode range, so it never
 * equals a real character).  Returns the count, or max + 1 when longer.
 */
static size_t decode(const char *s, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c = *p;
        size_t extra = c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
        size_t k = 1;
        if (c >= 0x80 && c < 0xc0)
            extra = 0;
        if (extra) {
            uint32_t value = c & (0x3f >> extra);
            while (k <= extra && (p[k] & 0xc0) == 0x80)
                value = (value << 6) | (p[k++] & 0x3f);
            if (k == extra + 1)
                c = value;
            else
                k = 1;
        }
        if (n == max)
            return max + 1;
        out[n++] = (k == 1 && c >= 0x80) ? 0x110000u + c : c;
        p += k;
    }
    return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/*
 * Levenshtein distance of two code point strings, or limit + 1 when it is
 * more.  Only the cells within `limit` of the diagonal can stay within the
 * limit (Ukkonen's band), and once a whole row of the band is beyond it,
 * so is the end: O(limit * length), and less for names that differ early.
 */
static size_t banded_distance(const uint32_t *a, size_t n, const uint32_t *b,
                              size_t m, size_t limit)
{
    size_t rows[2][CY_SUGGEST_MAX_CHARS + 2];
    size_t far = limit + 1, *prev = rows[0], *cur = rows[1];

    if ((n > m ? n - m : m - n) > limit)
        return far;
    /* prev[j] = the distance of a[0..i) and b[0..j) for the last row i,
     * capped at far; cells outside the band read as far. */
    for (size_t j = 0; j <= m; j++)
        prev[j] = j < far ? j : far;
    for (size_t i = 1; i <= n; i++) {
        size_t lo = i > limit ? i - limit : 1, hi = i + limit < m ? i + limit : m;
        size_t best, *swap;
        cur[0] = i < far ? i : far;
        best = cur[0];
        if (lo > 1)
            cur[lo - 1] = far;
        for (size_t j = lo; j <= hi; j++) {
            size_t d = min3(prev[j - 1] + (a[i - 1] != b[j - 1]), prev[j] + 1,
                            cur[j - 1] + 1);
            cur[j] = d < far ? d : far;
            best = cur[j] < best ? cur[j] : best;
        }
        if (hi < m)
            cur[hi + 1] = far;
        if (best >= far)
            return far;
        swap = prev;
        prev = cur;
        cur = swap;
    }
    return prev[m];
}

size_t cy_edit_distance(const char *a, const char *b, size_t limit)
{
    uint32_t x[CY_SUGGEST_MAX_CHARS], y[CY_SUGGEST_MAX_CHARS];
    size_t n, m;
    if (limit > CY_SUGGEST_MAX_CHARS)
        limit = CY_SUGGEST_MAX_CHARS;
    n = decode(a, x, CY_SUGGEST_MAX_CHARS);
    m = decode(b, y, CY_SUGGEST_MAX_CHARS);
    if (n > CY_SUGGEST_MAX_CHARS || m > CY_SUGGEST_MAX_CHARS)
        return strcmp(a, b) == 0 ? 0 : limit + 1;
    return banded_distance(x, n, y, m, limit);
}

/*
 * ASCII letters folded to lower case: a suggestion does not count a case
 * difference ("VCU-A" typed for the id "vcu-a" is the likeliest slip, and
 * at distance 4 it would not be suggested at all).  Ids stay
 * case-sensitive; only the nearest one is found this way.
 */
static void fold_ascii(uint32_t *c, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (c[k] >= 'A' && c[k] <= 'Z')
            c[k] += 'a' - 'A';
}

void cy_suggester_init(cy_suggester *s, const char *word, size_t limit)
{
    memset(s, 0, sizeof *s);
    s->limit = limit < CY_SUGGEST_MAX_CHARS ? limit : CY_SUGGEST_MAX_CHARS;
    s->length = decode(word, s->word, CY_SUGGEST_MAX_CHARS);
    if (s->length <= CY_SUGGEST_MAX_CHARS)
        fold_ascii(s->word, s->length);
}

void cy_suggester_offer(cy_suggester *s, const char *candidate)
{
    uint32_t other[CY_SUGGEST_MAX_CHARS];
    size_t m, limit = s->best ? s->distance - (s->distance > 0) : s->limit, d;

    if (s->length > CY_SUGGEST_MAX_CHARS || (s->best && s->distance == 0))
        return;
    m = decode(candidate, other, CY_SUGGEST_MAX_CHARS);
    if (m > CY_SUGGEST_MAX_CHARS)
        return;
    fold_ascii(other, m);
    /* Only a strictly nearer candidate replaces the best so far. */
    d = banded_distance(s->word, s->length, other, m, limit);
    if (d <= limit && (!s->best || d < s->distance)) {
        s->best = candidate;
        s->distance = d;
    }
}

const char *cy_suggester_best(const cy_suggester *s)
{
    return s->best;
}

const char *cy_network_nearest_id(const cy_network *net, const char *id,
                                  int enterprises, unsigned group_kinds)
{
    cy_suggester s;

    cy_suggester_init(&s, id, CY_SUGGEST_DISTANCE);
    for (size_t i = 0; enterprises && i < cy_network_enterprise_count(net); i++)
        cy_suggester_offer(&s, cy_enterprise_id(net, i));
    for (int kind = 0; kind < CY_GROUP_KIND_COUNT; kind++) {
        if (!(group_kinds & (1u << kind)))
            continue;
        for (size_t g = 0; g < cy_network_group_count(net, (cy_group_kind)kind); g++)
            cy_suggester_offer(&s, cy_group_id(net, (cy_group_kind)kind, g));
    }
    return cy_suggester_best(&s);
}
