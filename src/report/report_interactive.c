/*
 * report_interactive.c - the data of the HTML weak-link report's
 * interactive figures: the render module's node data plus, for each drawn
 * firm, its row of the risk register.  The rows are collected by writing
 * the register section through a back end that keeps the cells instead of
 * printing them, so the panel of a clicked firm shows exactly what the
 * register table shows (and in the same words).
 */
#include "report_internal.h"
#include "interactive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cy_r_doc doc;            /* first: the callbacks get &doc */
    const char *columns;     /* the register table's column spec */
    const char *cursor;      /* the next cell's column in it */
    int in_table, in_cell, failed;
    cy_r_buf cell;
    json_t *row;             /* [[column, text], ...] being collected */
    size_t firm;             /* the row's firm, CY_WL_NONE until seen */
    json_t **rows;           /* per enterprise: its row or NULL */
} collector;

static void keep_nothing(cy_r_doc *d)
{
    (void)d;
}

static void keep_heading(cy_r_doc *d, int level, const char *anchor, const char *title)
{
    (void)d, (void)level, (void)anchor, (void)title;
}

static void keep_text(cy_r_doc *d, const char *s)
{
    collector *c = (collector *)d;
    if (c->in_cell)
        cy_r_buf_puts(&c->cell, s);
}

static void keep_table_begin(cy_r_doc *d, const char *key, const char *columns)
{
    collector *c = (collector *)d;
    c->in_table = strcmp(key, "register") == 0;
    c->columns = c->cursor = columns;
}

static void keep_cell_begin(cy_r_doc *d, double sort_key)
{
    collector *c = (collector *)d;
    (void)sort_key;
    c->cell.len = 0;
    if (c->cell.data)
        c->cell.data[0] = '\0';
    c->in_cell = c->in_table;
}

/* `text` into `safe` (size >= 4 strlen(text) + 1) with hostile code
 * points as visible escapes, line by line: a line break ("\n", "\r\n" or
 * "\r") stays one "\n", which the panel shows as a break (white-space:
 * pre-line), as the HTML table shows <br>. */
static void safe_lines(char *safe, size_t size, const char *text, char *line)
{
    size_t at = 0;
    for (;;) {
        size_t n = strcspn(text, "\r\n");
        memcpy(line, text, n);
        line[n] = '\0';
        at += cy_i_safe_text(safe + at, size - at, line, 0);
        text += n;
        if (!*text || at + 1 >= size)
            return;
        text += text[0] == '\r' && text[1] == '\n' ? 2 : 1;
        safe[at++] = '\n';
        safe[at] = '\0';
    }
}

/* The cell's text as the HTML table shows it (safe_lines); NULL when out
 * of memory. */
static json_t *cell_string(collector *c)
{
    const char *text = cy_r_buf_str(&c->cell);
    size_t length = text ? strlen(text) : 0;
    char *line = text ? cy_malloc(length + 1) : NULL;
    char *safe = line ? cy_malloc(4 * length + 1) : NULL;
    json_t *value = NULL;
    if (safe) {
        safe_lines(safe, 4 * length + 1, text, line);
        value = json_string(safe);
    }
    cy_free(line);
    cy_free(safe);
    return value;
}

static void keep_cell_end(cy_r_doc *d)
{
    collector *c = (collector *)d;
    const char *name;
    size_t length;
    int right;
    json_t *pair;
    if (c->in_cell && d->cell_kind == CY_R_CELL_FIRM)
        c->firm = d->cell_firm;
    d->cell_kind = CY_R_CELL_TEXT;
    if (!c->in_cell)
        return;
    c->in_cell = 0;
    if (!cy_r_next_column(&c->cursor, &right, &name, &length))
        name = "", length = 0;
    if (!c->row && !(c->row = json_array()))
        c->failed = 1;
    pair = c->failed ? NULL : json_pack("[s#o]", name, (int)length, cell_string(c));
    if (!pair || json_array_append_new(c->row, pair) != 0)
        c->failed = 1;
}

static void keep_row_end(cy_r_doc *d)
{
    collector *c = (collector *)d;
    if (c->firm < d->net->enterprise_count && !c->rows[c->firm] && c->row)
        c->rows[c->firm] = c->row;
    else
        json_decref(c->row);
    c->row = NULL;
    c->firm = CY_WL_NONE;
    c->cursor = c->columns;
}

static void keep_table_end(cy_r_doc *d)
{
    ((collector *)d)->in_table = 0;
}

static const cy_r_ops keep_ops = {
    keep_heading, keep_text, keep_text, keep_nothing, keep_table_begin,
    keep_cell_begin, keep_cell_end, keep_row_end, keep_table_end,
    keep_nothing, keep_nothing,
};

static void rows_free(json_t **rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++)
        json_decref(rows[i]);
    cy_free(rows);
}

/* Every register row (no --top), per enterprise; NULL when out of memory. */
static json_t **collect_rows(const cy_network *net, const cy_weaklinks *r)
{
    collector c;
    memset(&c, 0, sizeof c);
    c.doc.ops = &keep_ops;
    c.doc.net = net;
    c.firm = CY_WL_NONE;
    cy_r_buf_init(&c.cell);
    c.rows = cy_calloc(net->enterprise_count ? net->enterprise_count : 1, sizeof *c.rows);
    if (c.rows)
        cy_r_write_register(&c.doc, r);
    json_decref(c.row);
    cy_r_buf_free(&c.cell);
    if (c.failed || c.doc.oom) {
        rows_free(c.rows, net->enterprise_count);
        return NULL;
    }
    return c.rows;
}

/* Give each firm node of `nodes` its row; 0 when out of memory. */
static int add_rows(json_t *nodes, json_t **rows, size_t count)
{
    const char *title;
    json_t *node;
    json_object_foreach(nodes, title, node) {
        char *end;
        unsigned long i;
        json_t *row;
        if (title[0] != 'f')
            continue;
        i = strtoul(title + 1, &end, 10);
        if (*end || i >= count)
            continue;
        row = rows[i] ? json_incref(rows[i]) : json_array();
        if (!row || json_object_set_new(node, "row", row) != 0)
            return 0;
    }
    return 1;
}

/* Whether the figure draws firms (not only groups). */
static int has_firms(const json_t *nodes)
{
    const char *title;
    json_t *node;
    json_object_foreach((json_t *)nodes, title, node)
        if (title[0] == 'f')
            return 1;
    return 0;
}

cy_status cy_r_interactive_figure(FILE *out, size_t key, const cy_network *net,
                                  const cy_weaklinks *report, const json_t *figure)
{
    json_t *doc = json_deep_copy(figure), *nodes = json_object_get(doc, "nodes");
    json_t **rows = NULL;
    cy_status status = CY_ENOMEM;
    if (!doc || !json_is_object(nodes))
        goto cleanup;
    if (has_firms(nodes)) {
        if (!(rows = collect_rows(net, report)) ||
            !add_rows(nodes, rows, net->enterprise_count))
            goto cleanup;
    }
    if (json_object_set_new(doc, "labels", cy_interactive_labels()) != 0)
        goto cleanup;
    status = cy_interactive_data(out, key, doc);
cleanup:
    rows_free(rows, net->enterprise_count);
    json_decref(doc);
    return status;
}
