/*
 * number.c - exact text for doubles, fast, and the one spelling of a real
 * that every output uses.
 *
 * cy_i_real_text gives the fewest of 15, 16 or 17 significant digits
 * that read back as the same double.  Done naively that is up to three
 * snprintf calls and two strtod calls a number, and the reports print
 * millions of reals (docs/performance.md).  Here snprintf is called once,
 * for the correctly rounded 17 digits; the 15- and 16-digit candidates
 * are rounded from those digits in decimal, and the read-back test is one
 * exact floating-point operation (Clinger's fast path) where it applies.
 * Whenever a shortcut cannot be proved exact, the slow path answers.
 * tests/test_number.c checks the result against the naive loop.
 */
#include "internal.h"

#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Clinger's fast path needs each operation rounded once, in double, and
 * a division that stays a division. */
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0 || defined(__FAST_MATH__)
#define CY_I_NUMBER_NO_FAST_PATH 1
#endif

#define SIGNIFICANT 17

/* A decimal: sign, `count` significant digits (no trailing zeros unless
 * the value is zero), and the exponent of the first digit. */
typedef struct {
    int negative;
    int count;
    int exponent;
    char digits[SIGNIFICANT];
} decimal;

/* The exact powers of ten a double holds: 10^0 .. 10^22. */
static const double exact_powers[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* Drop trailing zero digits, keeping at least one. */
static void trim(decimal *d)
{
    while (d->count > 1 && d->digits[d->count - 1] == '0')
        d->count--;
}

/*
 * The digits of "%.16e" (17 significant, correctly rounded by the C
 * library).  The point is whatever the locale says; only digits, the
 * sign and the exponent are read.  Returns 0, or -1 if the text is not
 * as expected (it always is for a finite double).
 */
static int seventeen_digits(double value, decimal *d)
{
    char text[40];
    int length = snprintf(text, sizeof text, "%.16e", value);
    const char *p = text;

    if (length <= 0 || (size_t)length >= sizeof text)
        return -1;
    d->negative = *p == '-';
    if (*p == '-')
        p++;
    d->count = 0;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9') {
            if (d->count == SIGNIFICANT)
                return -1;
            d->digits[d->count++] = *p;
        }
    if (*p != 'e' || d->count != SIGNIFICANT)
        return -1;
    d->exponent = (int)strtol(p + 1, NULL, 10);
    return 0;
}

/*
 * `full` (17 correctly rounded digits) rounded to `precision` digits,
 * into `out`.  The 17 digits are themselves a rounding of the exact
 * value, so rounding them again is exact except when the dropped digits
 * are exactly half a unit ("5" or "50"): the exact value may then lie on
 * either side.  Returns 0, or -1 in that case.
 */
static int round_digits(const decimal *full, int precision, decimal *out)
{
    int dropped = 0, half, scale = 1;

    for (int i = precision; i < SIGNIFICANT; i++) {
        dropped = dropped * 10 + (full->digits[i] - '0');
        scale *= 10;
    }
    half = scale / 2;
    if (dropped == half)
        return -1;
    *out = *full;
    out->count = precision;
    if (dropped > half) {
        int i = precision - 1;
        while (i >= 0 && out->digits[i] == '9')
            out->digits[i--] = '0';
        if (i >= 0) {
            out->digits[i]++;
        } else {
            /* 99...9 became 100...0: one more decimal place. */
            out->digits[0] = '1';
            out->exponent++;
        }
    }
    trim(out);
    return 0;
}

/*
 * `d` spelled as "%.{precision}g" spells it (C locale): fixed notation
 * when -4 <= exponent < precision, else d.ddde±XX; trailing zeros are
 * already gone.  `text` has room for 32 bytes; returns the length.
 */
static size_t spell(const decimal *d, int precision, char *text)
{
    size_t n = 0;
    int exponent = d->exponent;

    if (d->negative)
        text[n++] = '-';
    if (exponent < -4 || exponent >= precision) {
        int magnitude = exponent < 0 ? -exponent : exponent;
        text[n++] = d->digits[0];
        if (d->count > 1) {
            text[n++] = '.';
            memcpy(text + n, d->digits + 1, (size_t)d->count - 1);
            n += (size_t)d->count - 1;
        }
        text[n++] = 'e';
        text[n++] = exponent < 0 ? '-' : '+';
        if (magnitude >= 100)
            text[n++] = (char)('0' + magnitude / 100);
        text[n++] = (char)('0' + magnitude / 10 % 10);
        text[n++] = (char)('0' + magnitude % 10);
    } else if (exponent < 0) {
        text[n++] = '0';
        text[n++] = '.';
        for (int i = -1; i > exponent; i--)
            text[n++] = '0';
        memcpy(text + n, d->digits, (size_t)d->count);
        n += (size_t)d->count;
    } else {
        for (int i = 0; i <= exponent; i++)
            text[n++] = i < d->count ? d->digits[i] : '0';
        if (d->count > exponent + 1) {
            text[n++] = '.';
            memcpy(text + n, d->digits + exponent + 1,
                   (size_t)(d->count - exponent - 1));
            n += (size_t)(d->count - exponent - 1);
        }
    }
    text[n] = '\0';
    return n;
}

/*
 * Whether `d` (spelled in `text`) reads back as exactly `value`.  When
 * the digits form an integer below 2^53 and the power of ten is at most
 * 22, both are exact doubles and one multiplication or division, rounded
 * once by IEEE 754, gives what a correct strtod gives (Clinger 1990).
 * Otherwise strtod decides.
 */
static int reads_back(const decimal *d, const char *text, double value)
{
#ifndef CY_I_NUMBER_NO_FAST_PATH
    int power = d->exponent - (d->count - 1);
    uint64_t mantissa = 0;

    for (int i = 0; i < d->count; i++)
        mantissa = mantissa * 10 + (uint64_t)(d->digits[i] - '0');
    if (mantissa < ((uint64_t)1 << 53) && power >= -22 && power <= 22) {
        double magnitude = (double)mantissa;
        double result = power >= 0 ? magnitude * exact_powers[power]
                                   : magnitude / exact_powers[-power];
        return (d->negative ? -result : result) == value;
    }
#else
    (void)d;
    (void)exact_powers;
#endif
    return strtod(text, NULL) == value;
}

/* The naive answer: the loop the fast path stands in for.  The C
 * library's own spelling, point and all. */
static size_t slow_real_text(char *text, double value)
{
    size_t length = 0;
    for (int precision = 15; precision <= 17; precision++) {
        length = (size_t)snprintf(text, 32, "%.*g", precision, value);
        if (precision == 17 || strtod(text, NULL) == value)
            break;
    }
    return length;
}

size_t cy_i_real_text(char *text, double value)
{
    decimal full, candidate;

    /* The decimal rounding below is round-to-nearest; under another
     * rounding mode the C library's digits are not what it assumes. */
    if (!isfinite(value) || fegetround() != FE_TONEAREST ||
        seventeen_digits(value, &full) != 0)
        return slow_real_text(text, value);
    for (int precision = 15; precision <= 16; precision++) {
        size_t length;
        if (round_digits(&full, precision, &candidate) != 0) {
            /* A tie in the 17 digits: ask the C library for this
             * precision, and go on from its answer as the loop would. */
            length = (size_t)snprintf(text, 32, "%.*g", precision, value);
            if (strtod(text, NULL) == value)
                return length;
            continue;
        }
        length = spell(&candidate, precision, text);
        if (reads_back(&candidate, text, value))
            return length;
    }
    trim(&full);
    return spell(&full, SIGNIFICANT, text);
}

/* The decimal digits of `value`, written backwards ending just before
 * `end`; returns where they start.  Room for 20 digits is needed. */
static char *digits_backwards(char *end, uint64_t value)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return end;
}

/*
 * cy_i_real_text's answer post-processed as Jansson's jsonp_dtostr does
 * it: a decimal point other than '.' (the rare snprintf answer under
 * another locale: one byte, as Jansson assumes too) made '.', ".0"
 * appended when there is neither '.' nor 'e', '+' and leading zeros
 * dropped from the exponent.
 */
static size_t shortest_spelling(char *text, double value)
{
    size_t length = cy_i_real_text(text, value), dot = 0, exponent = 0;

    for (size_t i = 0; i < length; i++) {
        if (text[i] == 'e')
            exponent = i + 1;
        else if (!exponent && text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
            text[i] = '.';
            dot = i + 1;
        }
    }
    if (!dot && !exponent) {
        memcpy(text + length, ".0", 3);
        return length + 2;
    }
    if (exponent) {
        size_t from = exponent, to = exponent;
        if (text[from] == '-')
            from = ++to;
        else if (text[from] == '+')
            from++;
        while (text[from] == '0' && from + 1 < length)
            from++;
        memmove(text + to, text + from, length - from + 1);
        length -= from - to;
    }
    return length;
}

size_t cy_i_real_spell(char *text, double value)
{
    char digits[24], *start;
    size_t length, n = 0;

    if (!isfinite(value)) {
        text[0] = '\0';
        return 0;
    }
    /* Most volumes and output values: no printf at all. */
    if (fabs(value) < 9007199254740992.0 && value == (double)(int64_t)value) {
        start = digits_backwards(digits + sizeof digits, (uint64_t)fabs(value));
        length = (size_t)(digits + sizeof digits - start);
        if (signbit(value))
            text[n++] = '-';
        memcpy(text + n, start, length);
        memcpy(text + n + length, ".0", 3);
        return n + length + 2;
    }
    return shortest_spelling(text, value);
}
