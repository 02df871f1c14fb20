/*
 * load_scan.c - where a JSON value ends, found without parsing it: the
 * quick structural scan that cuts the "enterprises" and "links" arrays
 * into ranges of records for the parsing threads (load_parallel.c).
 *
 * The scan only balances brackets outside strings and steps over strings
 * (a backslash escapes the next byte, so \" and \\ are handled, and \uXXXX
 * needs nothing more; outside strings, where JSON has no backslash, it
 * does the same); it checks nothing else.  Jansson parses every
 * record it delimits and the loader checks that Jansson stops exactly
 * where the scan said, so a wrong cut (in text that is not JSON) costs
 * only the speed-up, never a different answer.
 *
 * Jansson has no such scan, hence this one.  With SSE2 (every x86-64) a
 * container is read 64 bytes at a time as bit masks (quotes, opening and
 * closing brackets): the quotes' running parity marks the bytes inside
 * strings, and only the brackets outside them are visited one by one.  A
 * record has a few brackets and a dozen strings, so most of the per-byte
 * work of the byte-by-byte scan (and a memchr call per string) is gone.
 * Escaped bytes are found from the runs of backslashes with the carry of
 * an addition (as simdjson does), so a file whose Chinese names are all
 * \uXXXX escapes is read as fast.  tests/test_loader.c
 * compares the scan with the byte-by-byte reference on arbitrary bytes
 * and with where Jansson stops.
 */
#include "load_internal.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define SCAN_BLOCKS 1
#endif

/* Where the scan of a container is: its bracket depth, whether it is
 * inside a string, and whether the next byte is escaped. */
typedef struct {
    size_t depth;
    int in_string, escaped;
} scan_state;

/*
 * One byte of a container.  Returns 1 when the byte closes it (depth back
 * to 0), else 0.
 */
static int scan_byte(scan_state *st, char ch)
{
    if (st->escaped) {
        st->escaped = 0;
        return 0;
    }
    if (ch == '\\') {
        st->escaped = 1;
        return 0;
    }
    if (st->in_string) {
        if (ch == '"')
            st->in_string = 0;
        return 0;
    }
    if (ch == '"')
        st->in_string = 1;
    else if (ch == '{' || ch == '[')
        st->depth++;
    else if (ch == '}' || ch == ']')
        return --st->depth == 0;
    return 0;
}

#ifdef SCAN_BLOCKS
/* The masks of 64 bytes: bit k for byte k. */
typedef struct {
    uint64_t quote, backslash, open, close;
} block_masks;

static block_masks masks_of(const char *p)
{
    block_masks m = {0, 0, 0, 0};
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        /* '{' and '}' are '[' and ']' with bit 0x20 set, and no other byte
         * becomes '[' or ']' when that bit is cleared. */
        __m128i folded = _mm_andnot_si128(_mm_set1_epi8(0x20), v);
        int shift = 16 * k;
        m.quote |= (uint64_t)(unsigned)_mm_movemask_epi8(
                       _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))) << shift;
        m.backslash |= (uint64_t)(unsigned)_mm_movemask_epi8(
                           _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))) << shift;
        m.open |= (uint64_t)(unsigned)_mm_movemask_epi8(
                      _mm_cmpeq_epi8(folded, _mm_set1_epi8('['))) << shift;
        m.close |= (uint64_t)(unsigned)_mm_movemask_epi8(
                       _mm_cmpeq_epi8(folded, _mm_set1_epi8(']'))) << shift;
    }
    return m;
}

/* Bit k set when an odd number of bits 0..k of x are set. */
static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/*
 * The bytes of a block that a backslash escapes, given *carry, 1 when the
 * block's first byte is escaped (by a backslash at the end of the block
 * before); *carry becomes whether the next block's first byte is.
 *
 * In a run of backslashes starting at bit s, the escaped bytes are s + 1,
 * s + 3, ... up to the byte right after the run: the bits after a
 * backslash (`follows`) of the parity opposite to s.  The runs that start
 * on an odd bit are told apart by adding their first bit to the
 * backslashes: the carry clears such a run and sets the bit after it,
 * while a run starting on an even bit stays; shifted by one, the sum
 * flips the parity mask over the even-starting runs only.  An odd run
 * reaching bit 63 carries out of the word: the next block's first byte
 * is escaped.  (simdjson finds escapes the same way.)
 */
static uint64_t escaped_bytes(uint64_t backslash, uint64_t *carry)
{
    const uint64_t even = 0x5555555555555555u;
    uint64_t follows, odd_starts, sum;

    backslash &= ~*carry; /* an escaped backslash escapes nothing */
    follows = backslash << 1 | *carry;
    odd_starts = backslash & ~even & ~follows;
    sum = odd_starts + backslash;
    *carry = sum < odd_starts;
    return (even ^ (sum << 1)) & follows;
}

/*
 * The 64 bytes whose masks are m.  Returns the offset just past the byte
 * that closes the container (1 to 64), or 0 when none does (st updated).
 */
static size_t scan_block(scan_state *st, const block_masks *m)
{
    uint64_t carry = (uint64_t)st->escaped;
    uint64_t escaped = escaped_bytes(m->backslash, &carry);
    uint64_t quote = m->quote & ~escaped;
    uint64_t inside = prefix_xor(quote) ^ (st->in_string ? ~(uint64_t)0 : 0);
    uint64_t open = m->open & ~escaped & ~inside, close = m->close & ~escaped & ~inside;
    uint64_t events = open | close;

    st->in_string = (int)(inside >> 63);
    st->escaped = (int)carry;
    while (events) {
        int k = __builtin_ctzll(events);
        uint64_t bit = (uint64_t)1 << k;
        if (open & bit)
            st->depth++;
        else if (--st->depth == 0)
            return (size_t)k + 1;
        events &= events - 1;
    }
    return 0;
}
#endif

/* The position just past the string whose opening quote was at `pos` - 1,
 * or CY_L_SCAN_FAILED when it is not closed. */
static size_t skip_string(const char *data, size_t size, size_t pos)
{
    scan_state st = {1, 1, 0};
    for (; pos < size; pos++) {
        scan_byte(&st, data[pos]);
        if (!st.in_string)
            return pos + 1;
    }
    return CY_L_SCAN_FAILED;
}

/* The end of the container that opens at data[pos]. */
static size_t skip_container(const char *data, size_t size, size_t pos)
{
    scan_state st = {0, 0, 0};
    while (pos < size) {
#ifdef SCAN_BLOCKS
        if (size - pos >= 64) {
            block_masks m = masks_of(data + pos);
            size_t at = scan_block(&st, &m);
            if (at)
                return pos + at;
            pos += 64;
            continue;
        }
#endif
        if (scan_byte(&st, data[pos]))
            return pos + 1;
        pos++;
    }
    return CY_L_SCAN_FAILED;
}

static int ends_scalar(char ch)
{
    return ch == ',' || ch == ']' || ch == '}' || ch == ' ' || ch == '\n' ||
           ch == '\r' || ch == '\t';
}

size_t cy_l_scan_value(const char *data, size_t size, size_t pos)
{
    if (pos >= size || data[pos] == ']' || data[pos] == '}' || ends_scalar(data[pos]))
        return CY_L_SCAN_FAILED;
    if (data[pos] == '"')
        return skip_string(data, size, pos + 1);
    if (data[pos] == '{' || data[pos] == '[')
        return skip_container(data, size, pos);
    while (pos < size && !ends_scalar(data[pos]))
        pos++;
    return pos;
}
