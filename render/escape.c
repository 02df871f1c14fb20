/*
 * escape.c - a small string buffer and the escapers that stand between
 * user strings and Graphviz.
 *
 * Graphviz interprets attribute values in several layers, and differently
 * per attribute (checked against Graphviz 2.42's output, see
 * tests/test_render.c):
 *   - plain labels go through escString expansion (\N \G \E \T \H \L,
 *     \n \l \r line breaks, '\' before any other character dropped) and
 *     then HTML entity decoding (&amp; -> &);
 *   - tooltips are unescaped twice ("\\\\" -> "\") and written into SVG
 *     attributes with existing entities passed through untouched;
 *   - text in HTML-like labels is XML (entities decoded by expat) and then
 *     still escString-expanded.
 * So each kind needs its own escaping; with it, every name renders exactly
 * as written and nothing in a name can act as markup or as an escape.
 * DOT quoting itself is cgraph's job (agwrite quotes every string it must).
 */
#include "render_internal.h"

#include <stdarg.h>
#include <string.h>

void cy_r_buf_init(cy_r_buf *buf)
{
    memset(buf, 0, sizeof *buf);
}

void cy_r_buf_free(cy_r_buf *buf)
{
    cy_free(buf->data);
    memset(buf, 0, sizeof *buf);
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static int buf_reserve(cy_r_buf *buf, size_t extra)
{
    if (buf->oom)
        return 0;
    if (extra > SIZE_MAX - buf->len - 1 ||
        !cy_i_grow((void **)&buf->data, &buf->cap, buf->len + extra + 1, 1)) {
        buf->oom = 1;
        return 0;
    }
    return 1;
}

void cy_r_buf_putn(cy_r_buf *buf, const char *s, size_t n)
{
    if (!buf_reserve(buf, n))
        return;
    memcpy(buf->data + buf->len, s, n);
    buf->len += n;
    buf->data[buf->len] = '\0';
}

void cy_r_buf_puts(cy_r_buf *buf, const char *s)
{
    cy_r_buf_putn(buf, s, strlen(s));
}

void cy_r_buf_printf(cy_r_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int need;
    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        buf->oom = 1;
        return;
    }
    if (!buf_reserve(buf, (size_t)need))
        return;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)need;
}

const char *cy_r_buf_str(cy_r_buf *buf)
{
    if (buf->oom)
        return NULL;
    if (!buf->data && !buf_reserve(buf, 0))
        return NULL;
    buf->data[buf->len] = '\0';
    return buf->data;
}

char *cy_r_buf_take(cy_r_buf *buf)
{
    char *s;
    if (!cy_r_buf_str(buf)) {
        cy_r_buf_free(buf);
        return NULL;
    }
    s = buf->data;
    memset(buf, 0, sizeof *buf);
    return s;
}

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

/* Bytes XML 1.0 cannot carry at all (tab, newline and CR it can). */
static int xml_forbidden(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

/* How each mode writes a backslash and a line break, and whether it writes
 * all of XML's special characters as entities or, plain labels, only '&'. */
static const struct {
    const char *backslash, *newline;
    int all_entities;
} modes[] = {
    [CY_R_ESC_LABEL] = {"\\\\", "\\n", 0},
    [CY_R_ESC_TOOLTIP] = {"\\\\\\\\", "&#10;", 1},
    [CY_R_ESC_HTML] = {"\\\\", "<BR/>", 1},
};

static const char *xml_entity(unsigned char c)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

void cy_r_buf_escaped(cy_r_buf *buf, const char *s, cy_r_escape_mode mode)
{
    int at_start = buf->len == 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        const char *entity;
        if (c == '\r') {
            if (p[1] == '\n')
                continue; /* "\r\n" is one line break */
            c = '\n';
        }
        if (c == '\t')
            cy_r_buf_putn(buf, " ", 1);
        else if (xml_forbidden(c))
            cy_r_buf_puts(buf, REPLACEMENT);
        else if (c == '\\')
            cy_r_buf_puts(buf, modes[mode].backslash);
        else if (c == '\n')
            cy_r_buf_puts(buf, modes[mode].newline);
        else if (mode == CY_R_ESC_LABEL && c == '<' && at_start &&
                 p == (const unsigned char *)s)
            cy_r_buf_puts(buf, "\\<");
        else if ((entity = xml_entity(c)) && (modes[mode].all_entities || c == '&'))
            cy_r_buf_puts(buf, entity);
        else
            cy_r_buf_putn(buf, (const char *)&c, 1);
    }
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

void cy_r_format_amount(double yuan, char *out, size_t size)
{
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e12, " tn"}, {1e9, " bn"}, {1e6, " m"}, {1e3, " k"}};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        /* 999.96 bn prints as 1 tn, not "1e+03 bn" */
        if (yuan >= units[k].scale * 0.9995) {
            snprintf(out, size, "\xC2\xA5%.3g%s", yuan / units[k].scale,
                     units[k].unit);
            return;
        }
    }
    snprintf(out, size, "\xC2\xA5%.3g", yuan);
}
