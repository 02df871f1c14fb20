/*
 * report_html.c - the weak-link report as one self-contained HTML page.
 *
 * Everything is inline: the CSS, the one script of interactive.js (it sorts
 * any table by a click on its header, numeric cells carrying their raw
 * value in data-v, and makes the figures that come with data interactive)
 * and the figures' SVG.  Nothing refers outside the file, so it opens
 * offline and can be mailed as it is; the Content-Security-Policy of
 * interactive.c says so to the browser.  Every string from the network goes through
 * cy_r_html_text (text.c: & < > " ' escaped, control characters and
 * bidirectional overrides as visible escapes).  Inlined SVG
 * documents get their ids prefixed per figure ("f2-glyph0-1"), because
 * cairo and Graphviz number ids from scratch in each document and two
 * documents in one page would otherwise resolve each other's references.
 */
#include "report_internal.h"
#include "interactive.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

static void html_text(cy_r_doc *d, const char *s)
{
    cy_r_html_text(d->out, s, 1);
}

/* Text inside an attribute value: line breaks as &#10;. */
static void html_attribute(cy_r_doc *d, const char *s)
{
    cy_r_html_text(d->out, s, 0);
}

static void html_code(cy_r_doc *d, const char *s)
{
    fputs("<code>", d->out);
    html_text(d, s);
    fputs("</code>", d->out);
}

static void html_heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    fprintf(d->out, "</p>\n<h%d", level);
    if (anchor) {
        fputs(" id=\"", d->out);
        html_attribute(d, anchor);
        fputc('"', d->out);
    }
    fputc('>', d->out);
    html_text(d, title);
    if (anchor && level == 2) {
        fputs(" <code>", d->out);
        html_text(d, anchor);
        fputs("</code>", d->out);
    }
    fprintf(d->out, "</h%d>\n<p>", level);
}

static void html_paragraph_end(cy_r_doc *d)
{
    fputs("</p>\n<p>", d->out);
}

static void html_table_begin(cy_r_doc *d, const char *key, const char *columns)
{
    const char *cursor = columns, *name;
    size_t length;
    int right;
    fputs("</p>\n<table class=\"sortable\" data-section=\"", d->out);
    html_attribute(d, key);
    fputs("\"><thead><tr>", d->out);
    while (cy_r_next_column(&cursor, &right, &name, &length))
        fprintf(d->out, "<th class=\"%s\" title=\"sort\">%.*s</th>", right ? "num" : "txt",
                (int)length, name);
    fputs("</tr></thead>\n<tbody>\n", d->out);
    d->first_cell = 1;
}

static void html_cell_begin(cy_r_doc *d, double sort_key)
{
    if (d->first_cell)
        fputs("<tr>", d->out);
    d->first_cell = 0;
    if (isfinite(sort_key)) {
        char text[32];
        cy_i_real_spell(text, sort_key);
        fprintf(d->out, "<td class=\"num\" data-v=\"%s\">", text);
    }
    else
        fputs("<td>", d->out);
}

static void html_cell_end(cy_r_doc *d)
{
    fputs("</td>", d->out);
}

static void html_row_end(cy_r_doc *d)
{
    fputs("</tr>\n", d->out);
    d->first_cell = 1;
}

static void html_table_end(cy_r_doc *d)
{
    fputs("</tbody></table>\n<p>", d->out);
}

static void html_item_begin(cy_r_doc *d)
{
    fputs("<span class=\"item\">", d->out);
}

static void html_item_end(cy_r_doc *d)
{
    fputs("</span> ", d->out);
}

static const cy_r_ops html_ops = {
    html_heading, html_text, html_code, html_paragraph_end, html_table_begin,
    html_cell_begin, html_cell_end, html_row_end, html_table_end,
    html_item_begin, html_item_end,
};

static const char html_style[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
    "margin:0 auto;max-width:1300px;padding:0 24px 48px;color:#1d2430;line-height:1.45}"
    "header{border-bottom:3px solid #b3261e;margin-bottom:12px}"
    "h1{font-size:1.7em;margin:18px 0 4px}h2{margin-top:34px;border-bottom:1px solid #ccd;"
    "padding-bottom:3px}h2 code{font-size:.6em;color:#667;font-weight:normal}"
    "nav{font-size:.9em;margin:8px 0 16px}nav a{margin-right:12px;color:#1b4f9c}"
    "table{border-collapse:collapse;margin:8px 0 4px;font-size:.88em}"
    "th,td{border:1px solid #d4d8e0;padding:3px 8px;vertical-align:top}"
    "th{background:#eef1f6;cursor:pointer;user-select:none;white-space:nowrap}"
    "th.sorted-asc::after{content:\" \\25B2\"}th.sorted-desc::after{content:\" \\25BC\"}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tbody tr:nth-child(even){background:#f8f9fb}"
    "figure{margin:12px 0 24px;border:1px solid #d4d8e0;padding:8px;overflow:auto}"
    "figure svg{max-width:100%;height:auto}figcaption{font-weight:bold;margin-bottom:6px}"
    "figcaption small{display:block;font-weight:normal;color:#556}"
    ".item{display:inline-block;background:#fbe9e7;border-radius:3px;padding:1px 6px;margin:2px}"
    "p:empty{display:none}";

/* Case-insensitive search for `needle` in size bytes; NULL if absent. */
static const char *find_ci(const char *hay, size_t size, const char *needle)
{
    size_t len = strlen(needle);
    for (size_t i = 0; i + len <= size; i++) {
        size_t k = 0;
        while (k < len && tolower((unsigned char)hay[i + k]) == needle[k])
            k++;
        if (k == len)
            return hay + i;
    }
    return NULL;
}

static int starts_with(const char *p, const char *end, const char *prefix)
{
    size_t len = strlen(prefix);
    return (size_t)(end - p) >= len && memcmp(p, prefix, len) == 0;
}

/*
 * Copy the SVG element (from "<svg" on; the XML prologue, DOCTYPE and
 * comments before it are not allowed inside HTML), prefixing every id
 * definition (id="x") and every local reference (href="#x",
 * xlink:href="#x", url(#x)) with "f<figure>-".
 */
static void write_svg(FILE *out, const char *svg, const char *end, size_t figure)
{
    static const char *const prefixes[] = {" id=\"", "href=\"#", "url(#"};
    const char *p = svg;
    while (p < end) {
        size_t matched = 0;
        for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0] && !matched; k++)
            if (starts_with(p, end, prefixes[k]))
                matched = strlen(prefixes[k]);
        if (matched) {
            fwrite(p, 1, matched, out);
            fprintf(out, "f%zu-", figure);
            p += matched;
        } else if (*p == '\0') {
            p++;  /* never copy a NUL byte into the page */
        } else {
            fputc(*p++, out);
        }
    }
}

static cy_status check_figure(const cy_report_figure *f, size_t i, const char **svg,
                              cy_error *err)
{
    *svg = f->svg ? find_ci(f->svg, f->svg_size, "<svg") : NULL;
    if (!*svg) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "figure %zu (\"%s\") holds no <svg> element", i + 1,
                     f->title ? f->title : "untitled");
        return CY_EUSAGE;
    }
    if (find_ci(f->svg, f->svg_size, "<script") || find_ci(f->svg, f->svg_size, "<foreignobject")) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "figure %zu (\"%s\") contains a script or foreign object; refused", i + 1,
                     f->title ? f->title : "untitled");
        return CY_EUSAGE;
    }
    return CY_OK;
}

static void write_nav(cy_r_doc *d, size_t figure_count, int has_time)
{
    /* Every section, in the order cy_r_write_sections writes them. */
    static const char *const keys[] = {
        "register", "time", "summary", "single_source", "chokepoints",
        "articulation_points", "bridges", "cascade_impact", "park_impact",
        "region_impact", "concentration", "local_supply", "outside_chokepoints",
        "region_dependence", "cross_region", "recommendations"};
    /* English links show the keys; other languages the sections' titles. */
    static const char *const titles[] = {
        N_("Risk register: the firms to secure first"), N_("Time to survive and recover"),
        N_("Summary"), N_("Single-source pairs"), N_("Chokepoints"),
        N_("Articulation points"), N_("Bridges"), N_("Single-failure impact"),
        N_("Park failure impact"), N_("Region failure impact"), N_("Concentration"),
        N_("Local supply"), N_("Chokepoints outside the circle"), N_("Region dependence"),
        N_("Cross-region flows"), N_("Recommendations")};
    int en = cy_language_get() == CY_LANG_EN;
    /* One link per line: the space between them lets the bar wrap on a
     * narrow window (17 links are wider than most). */
    fputs("<nav>", d->out);
    if (figure_count)
        fprintf(d->out, "<a href=\"#figures\">%s</a>\n", en ? "figures" : _("Figures"));
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        if (has_time || strcmp(keys[k], "time") != 0)
            fprintf(d->out, "<a href=\"#%s\">%s</a>\n", keys[k], en ? keys[k] : _(titles[k]));
    fputs("</nav>\n", d->out);
}

/* What every page needs for its one script (tables sorted by a click,
 * interactive figures): the Content-Security-Policy that allows only that
 * script and no request at all, and the figures' style. */
static void page_head_interactive(FILE *out)
{
    cy_interactive_csp(out);
    fputs("<style>", out);
    cy_interactive_style(out);
    fputs("</style>\n", out);
}

void cy_r_html_page_begin(cy_r_doc *doc, FILE *out, const cy_network *net, size_t top,
                          const char *title, const char *name)
{
    memset(doc, 0, sizeof *doc);
    doc->ops = &html_ops;
    doc->out = out;
    doc->net = net;
    doc->top = top;
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n",
            cy_language_get() == CY_LANG_ZH ? "zh-CN" : "en");
    fputs("<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"chengyu " CY_VERSION "\">\n<title>", out);
    html_text(doc, title);
    html_text(doc, name);
    fprintf(out, "</title>\n<style>%s</style>\n", html_style);
    page_head_interactive(out);
    fputs("</head>\n<body>\n<header><h1>", out);
    html_text(doc, title);
    html_text(doc, name);
    fputs("</h1>\n<p>", out);
}

void cy_r_html_page_end(cy_r_doc *doc)
{
    fprintf(doc->out, "</p>\n<footer><p>chengyu %s &middot; ", CY_VERSION);
    html_text(doc, _("formulas in docs/analyses.md"));
    fputs("</p></footer>\n", doc->out);
    cy_interactive_script(doc->out);
    fputs("</body>\n</html>\n", doc->out);
}

/* An interactive figure: its SVG in the box the script looks for, a line
 * on how to use it, and its data. */
static cy_status write_interactive(cy_r_doc *d, const cy_report_figure *f, const char *svg,
                                   size_t key, const cy_weaklinks *r)
{
    fprintf(d->out, "<div class=\"cy-net\" data-cy=\"%zu\">\n", key);
    write_svg(d->out, svg, f->svg + f->svg_size, key);
    fputs("</div>\n<p class=\"cy-legend\">", d->out);
    html_text(d, _("Click a node or search for a firm: its suppliers at every tier turn "));
    fputs("<span class=\"up\">", d->out);
    html_text(d, _("blue"));
    fputs("</span>", d->out);
    html_text(d, _(", its customers at every tier "));
    fputs("<span class=\"down\">", d->out);
    html_text(d, _("red"));
    fputs("</span>", d->out);
    html_text(d, _("; a firm's panel shows its row of the risk register. Scroll to zoom, "
                   "drag to pan; #focus=ID at the end of the address focuses a firm."));
    fputs("</p>\n", d->out);
    return cy_r_interactive_figure(d->out, key, d->net, r, f->data);
}

cy_status cy_weaklinks_write_html(const cy_network *net,
                                  const cy_weaklinks *r, size_t top,
                                  const cy_report_figure *figures,
                                  size_t figure_count, FILE *out,
                                  cy_error *err)
{
    cy_r_doc doc;
    cy_status status = CY_OK;
    const char *svg;

    for (size_t i = 0; i < figure_count; i++)
        if ((status = check_figure(&figures[i], i, &svg, err)) != CY_OK)
            return status;
    cy_r_html_page_begin(&doc, out, net, top, _("Weak-link report: "), net->name);
    cy_r_write_intro(&doc, r);
    fputs("</p></header>\n", out);
    write_nav(&doc, figure_count, r->time.state != CY_WL_TIME_NOT_RUN);

    if (figure_count) {
        fputs("<h2 id=\"figures\">", out);
        html_text(&doc, _("Figures"));
        fputs("</h2>\n", out);
        for (size_t i = 0; i < figure_count; i++) {
            const cy_report_figure *f = &figures[i];
            check_figure(f, i, &svg, err);
            fprintf(out, "<figure id=\"figure-%zu\"><figcaption>", i + 1);
            html_text(&doc, f->title ? f->title : "");
            if (f->caption) {
                fputs("<small>", out);
                html_text(&doc, f->caption);
                fputs("</small>", out);
            }
            fputs("</figcaption>\n", out);
            if (f->data)
                status = write_interactive(&doc, f, svg, i + 1, r);
            else
                write_svg(out, svg, f->svg + f->svg_size, i + 1);
            fputs("\n</figure>\n", out);
            if (status != CY_OK) {
                cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing figure %zu", i + 1);
                return status;
            }
        }
    }
    fputs("<p>", out);
    cy_r_write_sections(&doc, r);
    cy_r_html_page_end(&doc);
    if (doc.oom) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    if (ferror(out)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the HTML report failed");
        return CY_EIO;
    }
    return CY_OK;
}
