/*
 * report_centrality.c - the table, CSV and JSON writers of a centrality
 * result.  Writers only format: the rows, their order and their values
 * come from the result as they are.
 */
#include "writer.h"

#include <math.h>
#include <string.h>

/* Widest id or name cell in a table, in terminal columns. */
#define TABLE_TEXT_MAX 40
#define NUMBER_SIZE 40

/*
 * A value in the one spelling of reals; integer measures (degrees,
 * coreness) without a decimal point.  Non-finite values give "", which
 * the table shows as "n/a".
 */
static void format_value(char buf[NUMBER_SIZE], double value, int integer)
{
    if (!isfinite(value))
        buf[0] = '\0';
    else if (integer)
        snprintf(buf, NUMBER_SIZE, "%.0f", value);
    else
        cy_i_real_spell(buf, value);
}

/*
 * The measures' cells, spelled ahead of the writing, a window of rows at
 * a time.  Spelling a real (cy_i_real_spell: the C library's 17 digits,
 * then the shortest that reads back) is most of a CSV's time, and unlike
 * the writing it can run on the library's threads: a province's 20,000
 * betweenness values took about 25 ms on the one thread that writes,
 * after a walk spread over all of them.  The window bounds the memory
 * (SPELL_WINDOW rows of `measures` cells of NUMBER_SIZE bytes); without
 * memory for it `texts` is NULL and each value is spelled as it is
 * reached: the same text either way.
 */
typedef struct {
    const cy_centrality_result *result;
    size_t rows, measures;
    size_t first, count;  /* the rows in the window */
    char *texts;          /* count * measures cells, row by row */
} spelled;

/* Rows per item of the loop: enough that an item's hand-out (a lock
 * round) costs nothing beside it. */
#define SPELL_ROWS ((size_t)1024)
#define SPELL_WINDOW (16 * SPELL_ROWS)

static cy_status spell_item(void *ctx, void *state, size_t index, cy_error *err)
{
    const spelled *s = ctx;
    size_t from = index * SPELL_ROWS,
           to = from + SPELL_ROWS < s->count ? from + SPELL_ROWS : s->count;
    (void)state;
    (void)err;
    for (size_t i = from; i < to; i++)
        for (size_t k = 0; k < s->measures; k++)
            format_value(s->texts + (i * s->measures + k) * NUMBER_SIZE,
                         cy_centrality_value(s->result, s->first + i, k),
                         cy_centrality_measure_is_integer(s->result, k));
    return CY_OK;
}

/* Ready to spell the cells of `r`; texts NULL when out of memory (or
 * with no cell: nothing to spell). */
static void spelled_init(spelled *s, const cy_centrality_result *r)
{
    s->result = r;
    s->rows = cy_centrality_row_count(r);
    s->measures = cy_centrality_measure_count(r);
    s->first = s->count = 0;
    s->texts = s->rows && s->measures && s->measures <= SIZE_MAX / NUMBER_SIZE / SPELL_WINDOW
                   ? cy_malloc(SPELL_WINDOW * s->measures * NUMBER_SIZE)
                   : NULL;
}

static void spelled_destroy(spelled *s)
{
    cy_free(s->texts);
}

/* Spell the window of rows starting at `first`, on the library's
 * threads. */
static void spell_window(spelled *s, size_t first)
{
    cy_i_par_job job = {0};
    cy_error scratch;

    if (!s->texts)
        return;
    s->first = first;
    s->count = s->rows - first < SPELL_WINDOW ? s->rows - first : SPELL_WINDOW;
    job.count = (s->count + SPELL_ROWS - 1) / SPELL_ROWS;
    job.ctx = s;
    job.item = spell_item;
    /* Its items cannot fail, so neither can the loop (as cy_i_sort's). */
    cy_error_init(&scratch);
    (void)cy_i_par_run(&job, &scratch);
    cy_error_destroy(&scratch);
}

/* Cell (i, k): its text from the window (which spell_window moved to
 * row i's), or spelled now into buf. */
static const char *cell_text(spelled *s, size_t i, size_t k, char buf[NUMBER_SIZE])
{
    if (s->texts && (i < s->first || i >= s->first + s->count))
        spell_window(s, i);
    if (s->texts)
        return s->texts + ((i - s->first) * s->measures + k) * NUMBER_SIZE;
    format_value(buf, cy_centrality_value(s->result, i, k),
                 cy_centrality_measure_is_integer(s->result, k));
    return buf;
}

/* A table's cell: "n/a" for a value without a spelling. */
static const char *table_value(spelled *s, size_t i, size_t k, char buf[NUMBER_SIZE])
{
    const char *text = cell_text(s, i, k, buf);
    return text[0] ? text : "n/a";
}

/* ---- table ---------------------------------------------------------------- */

static void write_table(const cy_centrality_result *r, spelled *s, FILE *stream,
                        size_t *widths)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    char buf[NUMBER_SIZE];
    static const char *const heads[3] = {"id", "name", "kind"};

    /* Column widths: headers, then every cell. */
    for (size_t k = 0; k < 3; k++)
        widths[k] = strlen(heads[k]);
    for (size_t k = 0; k < mc; k++)
        widths[3 + k] = strlen(cy_measure_name(cy_centrality_measure(r, k)));
    for (size_t i = 0; i < rows; i++) {
        const char *text[3] = {cy_centrality_row_id(r, i),
                               cy_centrality_row_name(r, i),
                               cy_centrality_row_kind(r, i)};
        for (size_t k = 0; k < 3; k++) {
            size_t w = cy_r_term_text(NULL, text[k], TABLE_TEXT_MAX, 0);
            if (w > widths[k])
                widths[k] = w;
        }
        for (size_t k = 0; k < mc; k++) {
            size_t w = strlen(table_value(s, i, k, buf));
            if (w > widths[3 + k])
                widths[3 + k] = w;
        }
    }

    for (size_t k = 0; k < 3; k++) {
        cy_r_term_text(stream, heads[k], TABLE_TEXT_MAX, widths[k]);
        fputs("  ", stream);
    }
    for (size_t k = 0; k < mc; k++)
        fprintf(stream, "%s%*s", k ? "  " : "", (int)widths[3 + k],
                cy_measure_name(cy_centrality_measure(r, k)));
    fputc('\n', stream);
    for (size_t i = 0; i < rows; i++) {
        const char *text[3] = {cy_centrality_row_id(r, i),
                               cy_centrality_row_name(r, i),
                               cy_centrality_row_kind(r, i)};
        for (size_t k = 0; k < 3; k++) {
            cy_r_term_text(stream, text[k], TABLE_TEXT_MAX, widths[k]);
            fputs("  ", stream);
        }
        for (size_t k = 0; k < mc; k++)
            fprintf(stream, "%s%*s", k ? "  " : "", (int)widths[3 + k],
                    table_value(s, i, k, buf));
        fputc('\n', stream);
    }
}

/* ---- CSV ------------------------------------------------------------------ */

static void write_csv(const cy_centrality_result *r, spelled *s, int raw,
                      FILE *stream)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    char buf[NUMBER_SIZE];
    cy_r_csv csv;

    cy_r_csv_init(&csv, stream, raw);
    fputs("id,name,kind", stream);
    for (size_t k = 0; k < mc; k++)
        fprintf(stream, ",%s", cy_measure_name(cy_centrality_measure(r, k)));
    cy_r_csv_header(&csv, "");
    for (size_t i = 0; i < rows; i++) {
        cy_r_csv_text(&csv, cy_centrality_row_id(r, i));
        cy_r_csv_text(&csv, cy_centrality_row_name(r, i));
        cy_r_csv_text(&csv, cy_centrality_row_kind(r, i));
        for (size_t k = 0; k < mc; k++)
            cy_r_csv_number(&csv, cell_text(s, i, k, buf));
        cy_r_csv_row_end(&csv);
    }
}

/* ---- JSON ------------------------------------------------------------------ */

static void json_value(cy_r_json *w, double value, int integer)
{
    if (!isfinite(value))
        cy_r_json_null(w);
    else if (integer)
        cy_r_json_integer(w, (long long)value);
    else
        cy_r_json_real(w, value);
}

static void json_graph(cy_r_json *w, const cy_centrality_result *r)
{
    const cy_centrality_graph *g = cy_centrality_graph_info(r);
    cy_r_json_object_begin(w, CY_R_JSON_INLINE);
    cy_r_json_member_string(w, "view", g->view);
    cy_r_json_member_count(w, "vertices", g->vertices);
    cy_r_json_member_count(w, "edges", g->edges);
    cy_r_json_member_count(w, "enterprises", g->enterprises);
    cy_r_json_member_count(w, "links", g->links);
    cy_r_json_key(w, "directed");
    cy_r_json_bool(w, g->directed);
    cy_r_json_key(w, "weighted");
    cy_r_json_bool(w, g->weighted);
    cy_r_json_key(w, "normalized");
    cy_r_json_bool(w, g->normalized);
    cy_r_json_member_count(w, "zero_volume_edges", g->zero_volume_edges);
    cy_r_json_key(w, "betweenness_sources");
    if (g->betweenness_sources)
        cy_r_json_count(w, g->betweenness_sources);
    else
        cy_r_json_null(w);
    cy_r_json_key(w, "seed");
    cy_r_json_integer(w, (long long)g->seed);
    cy_r_json_object_end(w);
}

/*
 * The graph object, the measure list and one row object per line; the
 * layout around them is written by hand (the top-level object opens on
 * the graph's line and closes after the last row).
 */
static cy_status write_json(const cy_centrality_result *r, spelled *s, FILE *stream,
                            cy_error *err)
{
    size_t rows = cy_centrality_row_count(r), mc = cy_centrality_measure_count(r);
    char buf[NUMBER_SIZE];
    cy_r_json *w = cy_r_json_open(stream, "centrality output", err);

    if (!w)
        return CY_ENOMEM;
    cy_r_json_raw(w, "{\"graph\": ");
    json_graph(w, r);
    cy_r_json_raw(w, ",\n \"measures\": ");
    cy_r_json_array_begin(w, CY_R_JSON_INLINE);
    for (size_t k = 0; k < mc; k++)
        cy_r_json_string(w, cy_measure_name(cy_centrality_measure(r, k)));
    cy_r_json_array_end(w);
    cy_r_json_raw(w, ",\n \"rows\": [");
    for (size_t i = 0; i < rows; i++) {
        cy_r_json_raw(w, i ? ",\n  " : "\n  ");
        cy_r_json_object_begin(w, CY_R_JSON_INLINE);
        cy_r_json_member_string(w, "id", cy_centrality_row_id(r, i));
        cy_r_json_member_string(w, "name", cy_centrality_row_name(r, i));
        cy_r_json_member_string(w, "kind", cy_centrality_row_kind(r, i));
        for (size_t k = 0; k < mc; k++) {
            cy_r_json_key(w, cy_measure_name(cy_centrality_measure(r, k)));
            /* An integer measure is a JSON integer, not the CSV's "%.0f". */
            if (cy_centrality_measure_is_integer(r, k))
                json_value(w, cy_centrality_value(r, i, k), 1);
            else
                cy_r_json_spelled(w, cell_text(s, i, k, buf));
        }
        cy_r_json_object_end(w);
    }
    cy_r_json_raw(w, rows ? "\n ]}\n" : "]}\n");
    return cy_r_json_close(w, "centrality output", err);
}

cy_status cy_centrality_write(const cy_centrality_result *result,
                              const cy_write_options *given, FILE *stream,
                              cy_error *err)
{
    cy_write_options options;
    spelled cells;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_TEXT) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "centrality output", &options, err);
    size_t *widths;

    if (status != CY_OK)
        return status;
    if (options.format == CY_FORMAT_JSON) {
        spelled_init(&cells, result);
        status = write_json(result, &cells, stream, err);
        spelled_destroy(&cells);
        return status;
    }
    if (options.format == CY_FORMAT_CSV) {
        spelled_init(&cells, result);
        write_csv(result, &cells, options.csv_raw, stream);
    } else {
        widths = cy_malloc((3 + cy_centrality_measure_count(result)) * sizeof *widths);
        if (!widths) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing centrality");
            return CY_ENOMEM;
        }
        spelled_init(&cells, result);
        write_table(result, &cells, stream, widths);
        cy_free(widths);
    }
    spelled_destroy(&cells);
    return cy_r_stream_status(stream, "centrality output", err);
}
