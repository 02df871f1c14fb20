/*
 * text.c - user strings and numbers for people: the escapers of the
 * terminal, Markdown and HTML formats, XML-safe text, money and
 * percentages.
 *
 * Every hostile code point (control characters, bidirectional overrides
 * and isolates, line separators: cy_i_codepoint_hostile) is shown as a
 * visible escape ("\n", "\x1B", "\u202E") in every format for people, so
 * a name can neither drive a terminal, forge a line, nor display in
 * another order than it is stored.
 */
#include "writer.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

size_t cy_r_term_text(FILE *out, const char *s, size_t max_columns, size_t pad)
{
    size_t total = cy_i_safe_columns(s), used = 0, i = 0;
    int cut = max_columns && total > max_columns;
    char escape[CY_I_ESCAPE_SIZE];
    long cp;

    while (s[i]) {
        size_t length = cy_i_utf8_next(s + i, &cp), width;
        int hostile = cy_i_codepoint_hostile(cp);
        size_t escaped = hostile ? cy_i_visible_escape(cp, (unsigned char)s[i], escape) : 0;
        width = hostile ? escaped : (size_t)cy_i_codepoint_width(cp);
        if (cut && used + width > max_columns - 1)
            break;
        if (out) {
            if (hostile)
                fwrite(escape, 1, escaped, out);
            else
                fwrite(s + i, 1, length, out);
        }
        used += width;
        i += length;
    }
    if (cut) {
        if (out)
            fputs(ELLIPSIS, out);
        used++;
    }
    for (size_t k = used; out && k < pad; k++)
        fputc(' ', out);
    return used;
}

void cy_r_term_right(FILE *out, const char *s, size_t width)
{
    for (size_t k = cy_i_safe_columns(s); k < width; k++)
        fputc(' ', out);
    cy_r_term_text(out, s, 0, 0);
}

const char *cy_terminal_text(const char *text, size_t max_columns, char *out, size_t size)
{
    cy_i_safe_text(out, size, text ? text : "", max_columns);
    return out;
}

/* Write the visible escape of the hostile code point at s (cp decoded). */
static void put_escape(FILE *out, long cp, const char *s)
{
    char escape[CY_I_ESCAPE_SIZE];
    fwrite(escape, 1, cy_i_visible_escape(cp, (unsigned char)*s, escape), out);
}

/* Whether an '_' at p (inside s) sits between two letters or digits, where
 * it cannot start or end emphasis. */
static int intraword(const char *s, const char *p)
{
    return p > s && isalnum((unsigned char)p[-1]) && isalnum((unsigned char)p[1]);
}

void cy_r_md_text(FILE *out, const char *s)
{
    long cp;
    for (const char *p = s; *p;) {
        size_t length = cy_i_utf8_next(p, &cp);
        if (cp == '\r' && p[1] == '\n') {
            p++;
            continue;
        }
        if (cp == '\n' || cp == '\r')
            fputs("<br>", out);
        else if (cy_i_codepoint_hostile(cp))
            put_escape(out, cp, p);
        else if (cp == '&')
            fputs("&amp;", out);
        else if (cp == '_' ? !intraword(s, p) : (cp < 0x80 && strchr("\\`*[]<>|~", (int)cp)))
            fprintf(out, "\\%c", (int)cp);
        else
            fwrite(p, 1, length, out);
        p += length;
    }
}

void cy_r_html_text(FILE *out, const char *s, int breaks)
{
    long cp;
    for (const char *p = s; *p;) {
        size_t length = cy_i_utf8_next(p, &cp);
        switch (cp) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        case '\r':
            if (p[1] == '\n')
                break; /* "\r\n" is one line break */
            /* fall through */
        case '\n': fputs(breaks ? "<br>" : "&#10;", out); break;
        default:
            if (cy_i_codepoint_hostile(cp))
                put_escape(out, cp, p);
            else
                fwrite(p, 1, length, out);
        }
        p += length;
    }
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

/* Bytes XML 1.0 cannot carry at all (tab, newline and CR it can). */
static int xml_forbidden(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

int cy_r_xml_carries(const char *s)
{
    for (; *s; s++)
        if (xml_forbidden((unsigned char)*s))
            return 0;
    return 1;
}

char *cy_r_xml_safe(const char *s, int *changed)
{
    cy_r_buf buf;
    const char *run = s;
    cy_r_buf_init(&buf);
    *changed = 0;
    for (const char *p = s; *p; p++) {
        if (xml_forbidden((unsigned char)*p)) {
            cy_r_buf_putn(&buf, run, (size_t)(p - run));
            cy_r_buf_puts(&buf, REPLACEMENT);
            run = p + 1;
            *changed = 1;
        }
    }
    cy_r_buf_puts(&buf, run);
    return cy_r_buf_take(&buf);
}

void cy_r_xml_attr(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\t': fputs("&#9;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\r': fputs("&#13;", out); break;
        default: putc(*s, out);
        }
    }
}

/* Below half a fen an amount is written as 0. */
#define AMOUNT_ZERO 0.005

const char *cy_r_format_amount(double yuan, char *out, size_t size)
{
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1, ""}, {1e3, " k"}, {1e6, " m"}, {1e9, " bn"}, {1e12, " tn"}};
    enum { LAST = sizeof units / sizeof units[0] - 1 };
    double magnitude = fabs(yuan);
    const char *sign = yuan < 0 ? "-" : "";
    char digits[32];
    size_t k = 0;

    if (!isfinite(yuan)) {
        snprintf(out, size, "n/a");
        return out;
    }
    if (magnitude < AMOUNT_ZERO) {
        snprintf(out, size, "\xC2\xA5" "0");
        return out;
    }
    while (k < LAST && magnitude >= units[k + 1].scale)
        k++;
    /* Three significant digits; a value that rounds up to 1000 of its
     * unit ("1e+03") is written in the next one. */
    for (;;) {
        double scaled = magnitude / units[k].scale;
        snprintf(digits, sizeof digits, "%.3g", scaled);
        if (strtod(digits, NULL) < 1000.0)
            break;
        if (k == LAST) {
            /* Past a million tn the digits would not fit: the yuan in
             * exponent form ("1.6e+308"). */
            if (scaled < 1e6) {
                snprintf(digits, sizeof digits, "%.0f", scaled);
            } else {
                snprintf(digits, sizeof digits, "%.3g", magnitude);
                k = 0;
            }
            break;
        }
        k++;
    }
    snprintf(out, size, "%s\xC2\xA5%s%s", sign, digits, units[k].unit);
    return out;
}

const char *cy_r_percent(double share, char *buf, size_t size)
{
    if (isnan(share))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.1f%%", 100.0 * share);
    return buf;
}
