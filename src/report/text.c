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

/* A unit of a scale of amounts: its size and its word. */
typedef struct {
    double scale;
    const char *unit;
} amount_unit;

/* The English units: k, m, bn, tn (short scale). */
static const amount_unit units_en[] = {
    {1, ""}, {1e3, " k"}, {1e6, " m"}, {1e9, " bn"}, {1e12, " tn"}};
/* The Chinese units: 万 (10^4), 亿 (10^8), 万亿 (10^12). */
static const amount_unit units_zh[] = {
    {1, ""}, {1e4, "\xE4\xB8\x87"}, {1e8, "\xE4\xBA\xBF"},
    {1e12, "\xE4\xB8\x87\xE4\xBA\xBF"}};

/*
 * The digits of `magnitude` (finite, at least AMOUNT_ZERO) in the largest
 * unit of units[0 .. count) that keeps it at least 1: three significant
 * digits, or the whole number when it has more digits before the point
 * than that (the Chinese units span four); a value that rounds up to a
 * whole next unit is written in the next one.  Returns the unit's index.
 */
static size_t amount_digits(double magnitude, const amount_unit *units, size_t count,
                            char *digits, size_t size)
{
    size_t k = 0, last = count - 1;
    while (k < last && magnitude >= units[k + 1].scale)
        k++;
    for (;;) {
        double scaled = magnitude / units[k].scale;
        double step = k < last ? units[k + 1].scale / units[k].scale : 1e6;
        snprintf(digits, size, "%.3g", scaled);
        if (strtod(digits, NULL) >= 1000.0)
            snprintf(digits, size, "%.0f", scaled);
        if (strtod(digits, NULL) < step)
            return k;
        if (k == last) {
            /* Past a million of the largest unit the digits would not
             * fit: the amount in exponent form ("1.6e+308"). */
            snprintf(digits, size, "%.3g", magnitude);
            return 0;
        }
        k++;
    }
}

const char *cy_r_format_amount(double yuan, char *out, size_t size)
{
    return cy_r_money(yuan, "CNY", CY_LANG_EN, out, size);
}

/* A currency's symbol in English text and its word in Chinese; a code
 * not listed is written as the code. */
static const struct {
    char code[4];
    const char *symbol;
    const char *word;
} currencies[] = {
    {"CNY", "\xC2\xA5", "\xE5\x85\x83"},                             /* ¥, 元 */
    {"USD", "US$", "\xE7\xBE\x8E\xE5\x85\x83"},                     /* 美元 */
    {"EUR", "\xE2\x82\xAC", "\xE6\xAC\xA7\xE5\x85\x83"},         /* €, 欧元 */
    {"HKD", "HK$", "\xE6\xB8\xAF\xE5\x85\x83"},                     /* 港元 */
    {"JPY", "JP\xC2\xA5", "\xE6\x97\xA5\xE5\x85\x83"},            /* JP¥, 日元 */
    {"GBP", "\xC2\xA3", "\xE8\x8B\xB1\xE9\x95\x91"},              /* £, 英镑 */
};

static int currency_index(const char *code)
{
    for (size_t k = 0; k < sizeof currencies / sizeof currencies[0]; k++)
        if (strcmp(code, currencies[k].code) == 0)
            return (int)k;
    return -1;
}

const char *cy_r_money(double amount, const char *currency, cy_language lang, char *out,
                       size_t size)
{
    int zh = lang == CY_LANG_ZH, c = currency_index(currency ? currency : "CNY");
    const amount_unit *units = zh ? units_zh : units_en;
    size_t count = zh ? sizeof units_zh / sizeof units_zh[0]
                      : sizeof units_en / sizeof units_en[0];
    const char *sign = amount < 0 ? "-" : "", *unit = "";
    char digits[32] = "0", symbol[8];

    if (!isfinite(amount)) {
        snprintf(out, size, "%s", zh ? _("n/a") : "n/a");
        return out;
    }
    if (fabs(amount) >= AMOUNT_ZERO)
        unit = units[amount_digits(fabs(amount), units, count, digits, sizeof digits)].unit;
    else
        sign = "";
    if (zh)
        snprintf(out, size, "%s%s%s%s%s", sign, digits, unit, c >= 0 ? "" : " ",
                 c >= 0 ? currencies[c].word : currency);
    else {
        snprintf(symbol, sizeof symbol, "%s%s", c >= 0 ? currencies[c].symbol : currency,
                 c >= 0 ? "" : " ");
        snprintf(out, size, "%s%s%s%s", sign, symbol, digits, unit);
    }
    return out;
}

const char *cy_r_amount(const cy_network *net, double amount, char *out, size_t size)
{
    return cy_r_money(amount, net ? cy_network_currency(net) : "CNY", cy_language_get(),
                      out, size);
}

const char *cy_r_days(double days, char *buf, size_t size)
{
    snprintf(buf, size, days < 1000.0 ? "%.3g" : "%.0f", days);
    return buf;
}

const char *cy_r_percent(double share, char *buf, size_t size)
{
    if (isnan(share))
        snprintf(buf, size, "%s", _("n/a"));
    else
        snprintf(buf, size, "%.1f%%", 100.0 * share);
    return buf;
}
