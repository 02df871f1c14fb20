/*
 * load_scan.c - where a JSON value ends, found without parsing it: the
 * quick structural scan that cuts the "enterprises" and "links" arrays
 * into ranges of records for the parsing threads (load_parallel.c).
 *
 * The scan only balances brackets outside strings and steps over strings
 * (a backslash escapes the next byte, so \" and \\ are handled, and \uXXXX
 * needs nothing more); it checks nothing else.  Jansson parses every
 * record it delimits and the loader checks that Jansson stops exactly
 * where the scan said, so a wrong cut (in text that is not JSON) costs
 * only the speed-up, never a different answer.
 */
#include "load_internal.h"

#include <string.h>

/* The position just past the string whose opening quote was at `pos` - 1,
 * or CY_L_SCAN_FAILED when it is not closed. */
static size_t skip_string(const char *data, size_t size, size_t pos)
{
    while (pos < size) {
        const char *quote = memchr(data + pos, '"', size - pos);
        size_t at, backslashes = 0;
        if (!quote)
            return CY_L_SCAN_FAILED;
        at = (size_t)(quote - data);
        /* The quote is escaped when an odd run of backslashes precedes it
         * (inside this string: the run cannot pass its opening quote). */
        while (at - backslashes > pos && data[at - backslashes - 1] == '\\')
            backslashes++;
        if (backslashes % 2 == 0)
            return at + 1;
        pos = at + 1;
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
    size_t depth = 0;
    if (pos >= size || data[pos] == ']' || data[pos] == '}' || ends_scalar(data[pos]))
        return CY_L_SCAN_FAILED;
    if (data[pos] != '{' && data[pos] != '[' && data[pos] != '"') {
        while (pos < size && !ends_scalar(data[pos]))
            pos++;
        return pos;
    }
    while (pos < size) {
        switch (data[pos]) {
        case '"':
            pos = skip_string(data, size, pos + 1);
            if (pos == CY_L_SCAN_FAILED || depth == 0)
                return pos;
            continue;
        case '{':
        case '[':
            depth++;
            break;
        case '}':
        case ']':
            if (--depth == 0)
                return pos + 1;
            break;
        default:
            break;
        }
        pos++;
    }
    return CY_L_SCAN_FAILED;
}
