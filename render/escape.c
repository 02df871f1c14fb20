/*
 * escape.c - the escapers that stand between user strings and Graphviz
 * (the string buffer and the other formats' escapers are the output
 * layer's: src/report/writer.h).
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

#include <string.h>

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

/* A hostile code point's visible escape ("\x1B", "\u202E"), its
 * backslash written as the mode writes one. */
static void put_visible_escape(cy_r_buf *buf, long cp, unsigned char byte,
                               cy_r_escape_mode mode)
{
    char escape[CY_I_ESCAPE_SIZE];
    size_t length = cy_i_visible_escape(cp, byte, escape);
    cy_r_buf_puts(buf, modes[mode].backslash);
    cy_r_buf_putn(buf, escape + 1, length - 1);
}

void cy_r_buf_escaped(cy_r_buf *buf, const char *s, cy_r_escape_mode mode)
{
    int at_start = buf->len == 0;
    long cp;
    for (const char *p = s; *p;) {
        size_t length = cy_i_utf8_next(p, &cp);
        const char *entity;
        if (cp == '\r') {
            cp = '\n';
            if (p[1] == '\n')
                length = 2; /* "\r\n" is one line break */
        }
        if (cp == '\t')
            cy_r_buf_putn(buf, " ", 1);
        else if (cp == '\n')
            cy_r_buf_puts(buf, modes[mode].newline);
        else if (cy_i_codepoint_hostile(cp))
            put_visible_escape(buf, cp, (unsigned char)*p, mode);
        else if (cp == '\\')
            cy_r_buf_puts(buf, modes[mode].backslash);
        else if (mode == CY_R_ESC_LABEL && cp == '<' && at_start && p == s)
            cy_r_buf_puts(buf, "\\<");
        else if (cp < 0x80 && (entity = xml_entity((unsigned char)cp)) &&
                 (modes[mode].all_entities || cp == '&'))
            cy_r_buf_puts(buf, entity);
        else
            cy_r_buf_putn(buf, p, length);
        p += length;
    }
}
