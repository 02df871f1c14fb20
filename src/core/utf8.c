/*
 * utf8.c - reading UTF-8 a code point at a time, and which code points
 * must never reach a reader as they are.
 *
 * Ids and names come from files other people send.  A terminal obeys
 * control characters (an escape sequence can rewrite the screen, a
 * newline forge a line of output), and bidirectional overrides make text
 * display in another order than it is stored.  Every writer for people
 * shows such a code point as a visible escape instead; these are the
 * primitives they share (src/report/text.c builds the writers' escapers
 * on them, error.c formats diagnostics with them).
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

size_t cy_i_utf8_next(const char *text, long *cp)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t length;
    long c;
    unsigned char low = 0x80, high = 0xbf;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        length = 2, c = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        length = 3, c = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        length = 4, c = s[0] & 0x07;
    else {
        *cp = -1;
        return 1;
    }
    /* The second byte's range rules out overlong forms, surrogates and
     * code points above U+10FFFF (RFC 3629, section 4). */
    if (s[0] == 0xe0)
        low = 0xa0;
    else if (s[0] == 0xed)
        high = 0x9f;
    else if (s[0] == 0xf0)
        low = 0x90;
    else if (s[0] == 0xf4)
        high = 0x8f;
    for (size_t k = 1; k < length; k++) {
        if (s[k] < (k == 1 ? low : 0x80) || s[k] > (k == 1 ? high : 0xbf)) {
            *cp = -1;
            return 1;
        }
        c = (c << 6) | (s[k] & 0x3f);
    }
    *cp = c;
    return length;
}

int cy_i_codepoint_hostile(long cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
           (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x2028 || cp == 0x2029;
}

int cy_i_codepoint_width(long cp)
{
    if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
        (cp >= 0xfe00 && cp <= 0xfe0f))
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
        (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
        (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
        (cp >= 0x20000 && cp <= 0x3fffd))
        return 2;
    return 1;
}

size_t cy_i_visible_escape(long cp, unsigned char byte, char out[CY_I_ESCAPE_SIZE])
{
    switch (cp) {
    case '\n': return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\n");
    case '\r': return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\r");
    case '\t': return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\t");
    default: break;
    }
    if (cp < 0)
        return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\x%02X", byte);
    if (cp < 0x80)
        return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\x%02X", (unsigned)cp);
    return (size_t)snprintf(out, CY_I_ESCAPE_SIZE, "\\u%04lX", (unsigned long)cp);
}

size_t cy_i_safe_text(char *out, size_t size, const char *text, size_t max_columns)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
    size_t used = 0, columns = 0, i = 0, total = 0;
    char escape[CY_I_ESCAPE_SIZE];
    long cp;

    if (size < sizeof ellipsis) {
        if (size)
            out[0] = '\0';
        return 0;
    }
    if (max_columns)
        total = cy_i_safe_columns(text);
    while (text[i]) {
        size_t length = cy_i_utf8_next(text + i, &cp), piece_size, width;
        const char *piece = text + i;
        if (cy_i_codepoint_hostile(cp)) {
            piece_size = cy_i_visible_escape(cp, (unsigned char)text[i], escape);
            piece = escape;
            width = piece_size;
        } else {
            piece_size = length;
            width = (size_t)cy_i_codepoint_width(cp);
        }
        /* Keep room for the ellipsis when the text will be cut. */
        if (max_columns && total > max_columns && columns + width > max_columns - 1)
            break;
        if (used + piece_size + sizeof ellipsis > size)
            break;
        memcpy(out + used, piece, piece_size);
        used += piece_size;
        columns += width;
        i += length;
    }
    if (text[i]) {
        memcpy(out + used, ellipsis, sizeof ellipsis);
        return used + sizeof ellipsis - 1;
    }
    out[used] = '\0';
    return used;
}

const char *cy_i_echo(char buf[CY_I_ECHO_SIZE], const char *text)
{
    cy_i_safe_text(buf, CY_I_ECHO_SIZE, text, CY_I_ECHO_COLUMNS);
    return buf;
}

size_t cy_i_safe_columns(const char *text)
{
    size_t columns = 0, i = 0;
    char escape[CY_I_ESCAPE_SIZE];
    long cp;

    while (text[i]) {
        size_t length = cy_i_utf8_next(text + i, &cp);
        columns += cy_i_codepoint_hostile(cp)
                       ? cy_i_visible_escape(cp, (unsigned char)text[i], escape)
                       : (size_t)cy_i_codepoint_width(cp);
        i += length;
    }
    return columns;
}
