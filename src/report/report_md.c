/*
 * report_md.c - the weak-link report as Markdown: headed sections and
 * pipe tables that read well in a terminal and render on a code-hosting
 * page.  Every string goes through cy_r_md_text (text.c), which
 * backslash-escapes the characters Markdown would interpret (| in
 * particular, which would split a table cell; _ only where it could start
 * or end emphasis, so ids stay readable), writes & as &amp;, line breaks
 * as <br> and other control characters and bidirectional overrides as
 * visible escapes.
 */
#include "report_internal.h"

#include <string.h>

static void md_text(cy_r_doc *d, const char *s)
{
    cy_r_md_text(d->out, s);
}

static void md_code(cy_r_doc *d, const char *s)
{
    fputc('`', d->out);
    md_text(d, s);
    fputc('`', d->out);
}

static void md_heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    fprintf(d->out, "%.*s ", level, "######");
    md_text(d, title);
    if (anchor && level == 2)
        fprintf(d->out, " (`%s`)", anchor);
    fputs("\n\n", d->out);
}

static void md_paragraph_end(cy_r_doc *d)
{
    fputs("\n\n", d->out);
}

/* Header row and the alignment row (---: for right-aligned columns). */
static void md_table_begin(cy_r_doc *d, const char *key, const char *columns)
{
    const char *cursor = columns, *name;
    size_t length;
    int right;
    (void)key;
    fputc('|', d->out);
    while (cy_r_next_column(&cursor, &right, &name, &length))
        fprintf(d->out, " %.*s |", (int)length, name);
    fputs("\n|", d->out);
    for (cursor = columns; cy_r_next_column(&cursor, &right, &name, &length);)
        fputs(right ? "---:|" : "---|", d->out);
    fputc('\n', d->out);
    d->first_cell = 1;
}

static void md_cell_begin(cy_r_doc *d, double sort_key)
{
    (void)sort_key;
    fputs(d->first_cell ? "| " : " ", d->out);
    d->first_cell = 0;
}

static void md_cell_end(cy_r_doc *d)
{
    fputs(" |", d->out);
}

static void md_row_end(cy_r_doc *d)
{
    fputc('\n', d->out);
    d->first_cell = 1;
}

static void md_table_end(cy_r_doc *d)
{
    fputc('\n', d->out);
}

static void md_item_begin(cy_r_doc *d)
{
    fputs("- ", d->out);
}

static void md_item_end(cy_r_doc *d)
{
    fputc('\n', d->out);
}

static const cy_r_ops md_ops = {
    md_heading, md_text, md_code, md_paragraph_end, md_table_begin,
    md_cell_begin, md_cell_end, md_row_end, md_table_end, md_item_begin,
    md_item_end,
};

void cy_r_md_doc(cy_r_doc *doc, FILE *out, const cy_network *net, size_t top)
{
    memset(doc, 0, sizeof *doc);
    doc->ops = &md_ops;
    doc->out = out;
    doc->net = net;
    doc->top = top;
}

cy_status cy_weaklinks_write_md(const cy_network *net,
                                const cy_weaklinks *r, size_t top,
                                FILE *out, cy_error *err)
{
    cy_r_doc doc;
    cy_r_md_doc(&doc, out, net, top);

    fputs("# ", out);
    fputs(_("Weak-link report: "), out);
    md_text(&doc, net->name);
    fputs("\n\n", out);
    cy_r_write_intro(&doc, r);
    cy_r_write_sections(&doc, r);
    if (doc.oom) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if (ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the Markdown report failed");
        return CY_EIO;
    }
    return CY_OK;
}
