/*
 * report_internal.h - what the weak-link report writers (report_*.c)
 * share: the section titles, the lookups every format needs and the
 * document interface of the Markdown and HTML back ends.  Private to
 * libchengyu; the helpers of every writer are in writer.h.
 */
#ifndef CHENGYU_REPORT_INTERNAL_H
#define CHENGYU_REPORT_INTERNAL_H

#include "writer.h"

/* The severity formula, as printed in every format. */
#define CY_REPORT_SEVERITY_FORMULA N_(\
    "severity = 100 * final_demand_lost / final_demand_total (0 when the " \
    "total is 0), where final_demand_lost is the final demand of the firms " \
    "that fail in the cascade started by the failure of the weak link's " \
    "supplying firm (single_source: the supplier; chokepoint and " \
    "articulation_point: the firm; bridge: its supplying end); " \
    "output_at_risk is the gross output value lost, every tier counted")

/* What the part-level sections say on a network whose links all carry
 * one part name. */
#define CY_REPORT_SINGLE_PART N_(\
    "every link carries the same part: single sourcing, concentration and " \
    "recommendations are not meaningful for this network and are left empty")

#define CY_REPORT_NO_INDEPENDENT N_(\
    "none independent: every candidate fails with the supplier or shares a " \
    "common cause")

/* The rule that decides which regions are in the circle (docs/analyses.md). */
#define CY_REPORT_CIRCLE_RULE N_(\
    "a region is inside the Chengdu-Chongqing circle unless the file marks it " \
    "\"inside\": false; its side of the circle (Chongqing, Chengdu, other " \
    "Sichuan) is the place of the 2021 plan its id or name is, or starts with " \
    "followed by '-': Chongqing and its 27 circle districts plus Kaizhou and " \
    "Yunyang, Chengdu (and Tianfu), the 14 other Sichuan circle cities, or " \
    "Sichuan itself")

#define CY_REPORT_NO_BACKUP N_("none in the network")

/* Why the weak-link report's time section has no figures when the file
 * gives no stress data (the JSON's time.reason). */
#define CY_REPORT_TIME_NO_DATA N_(\
    "the file gives no capacity, inventory_days or recovery_days on any firm " \
    "(docs/format.md, enterprises, says how to add them)")

/* What the demand rule means, in a sentence (every format prints it). */
const char *cy_r_demand_rule_text(cy_demand_rule rule);

/* The note of a recommendation: none in the network, none independent,
 * or NULL. */
const char *cy_r_backup_note(const cy_wl_recommendation *r);

/*
 * The time section's solved rows by their impact over the recovery time,
 * largest first (ties: register order): the row after `prev` in that
 * order (SIZE_MAX: the first), SIZE_MAX after the last.  The register
 * ranks a year-long failure; this is the order of the losses the recovery
 * times give (analyst17: the register's first firm lost 18 times less
 * than its fifth over them).  No allocation, so a writer that walks it
 * cannot fail halfway.
 * Time complexity: O(rows) a step, O(rows^2) for the whole order (rows
 * are --time-firms linear programs' worth: tens, at most thousands).
 */
size_t cy_r_time_next(const cy_wl_time *t, size_t prev);

/*
 * The firms other than a chokepoint's own that already supply its part to
 * some of its customers and do not fail with it (the cascade of its
 * failure at `threshold`); none for a single source.  They are no backup
 * (a second source must be new to the customer), yet a larger share from
 * them is a way out that "none in the network" would hide.  The first
 * `max` of them, distinct, into out[]; returns how many (0 when out of
 * memory: no unchecked claim).
 * Time complexity: one cascade, O(n + links), plus O(customers x (log
 * in-degree + suppliers of the part)).
 */
size_t cy_r_current_sources(const cy_network *net, const cy_wl_recommendation *r,
                            double threshold, size_t *out, size_t max);

/* A weak link's type and a cascade model for people: the JSON's and CSV's
 * names (single_source, threshold) in English, translated in Chinese
 * (单一来源, 阈值模型).  O(1). */
const char *cy_r_type_word(cy_weak_type type);
const char *cy_r_model_word(cy_cascade_model model);

/* The suppliers backup `b` shares with the current supplier of `r`
 * (cy_wl_shared_suppliers through `cache`): the first CY_WL_MAX_SHARED by
 * id, how many in all, and how many distinct suppliers `b` has. */
typedef struct {
    size_t first[CY_WL_MAX_SHARED];
    size_t count, of;
} cy_r_shared;

void cy_r_shared_suppliers(cy_wl_shared_cache *cache, const cy_wl_recommendation *r,
                           const cy_wl_candidate *b, cy_r_shared *out);

/* The park backup `b` shares with the recommendation's current supplier,
 * or -1.  `independent` looks at single-firm failures only, and a park
 * fails as a whole (a flood, a power cut: park_impact), taking both. */
long cy_r_same_park(const cy_network *net, const cy_wl_recommendation *r,
                    const cy_wl_candidate *b);

/* The number of entries of a ranked list that a writer prints. */
size_t cy_r_limit(size_t count, size_t top);

/* A workbook's last sheet, "about": `title`, the network's name, then
 * `lines` (NULL-terminated; may be NULL; marked N_, translated here), one
 * per row.  Time complexity:
 * O(their length). */
cy_status cy_r_xlsx_about_sheet(cy_workbook *wb, const cy_network *net, const char *title,
                                const char *const *lines, cy_error *err);

/* A sheet of `count` columns, their headers in the language of the output
 * (headers not in the catalog, such as the bilingual "name 名称", stay as
 * they are).  `shown` holds count columns and must live until the next
 * sheet: the workbook reads a sheet's columns until then.
 * Time complexity: O(count). */
cy_status cy_r_xlsx_sheet(cy_workbook *wb, const char *name, const cy_xlsx_column *columns,
                          cy_xlsx_column *shown, size_t count, cy_error *err);

/* The stress programs' figures of one disruption as JSON members, in the
 * order stress and scenarios both write them: tts_days (null when the
 * network survives the horizon), ttr_days, impact, impact_fraction,
 * exposed.  Time complexity: O(1). */
void cy_r_json_stress_figures(cy_r_json *w, int survives, double tts_days, double ttr_days,
                              double impact, double impact_fraction, int exposed);

/* A share of two volumes, NaN when the denominator is 0. */
double cy_r_ratio(double part, double whole);

/* Ids and names; CY_WL_NONE gives NULL. */
const char *cy_r_enterprise(const cy_network *net, size_t i);
const char *cy_r_group(const cy_network *net, cy_group_kind kind, size_t g);
const char *cy_r_part(const cy_network *net, size_t p);

/* Human title of a zone pair flow: "Chengdu -> Chongqing" ... */
const char *cy_r_zone_name(cy_circle_zone zone);

/*
 * A document the sections are written into once and rendered by three
 * back ends (report_md.c, report_html.c, report_weaklinks_xlsx.c): the
 * section code in report_sections.c says what to show, the back end how.
 * Text passed to text() is escaped by the back end; it is never markup.
 */
typedef struct cy_r_doc cy_r_doc;

/* What a table cell holds, set by the section code before cell_begin
 * (back ends that keep values, the workbook, read it; the others show the
 * text).  A back end resets it to CY_R_CELL_TEXT after each cell, so a
 * cell begun without a kind is text. */
typedef enum {
    CY_R_CELL_TEXT = 0,
    CY_R_CELL_COUNT,      /* cell_value: a count */
    CY_R_CELL_AMOUNT,     /* cell_value: yuan */
    CY_R_CELL_PERCENT,    /* cell_value: a fraction (NaN: undefined) */
    CY_R_CELL_REAL,       /* cell_value: a measure (NaN: undefined) */
    CY_R_CELL_FIRM,       /* cell_firm: an enterprise, shown by its id */
    CY_R_CELL_REAL_WORDS  /* words in a CY_R_CELL_REAL column (a figure not
                             computed): the column stays a number column,
                             this cell holds the words */
} cy_r_cell_kind;

typedef struct {
    /* A heading; `anchor` is an id for links (may be NULL). */
    void (*heading)(cy_r_doc *d, int level, const char *anchor, const char *title);
    void (*text)(cy_r_doc *d, const char *s);
    /* Code-like text (JSON key names). */
    void (*code)(cy_r_doc *d, const char *s);
    void (*paragraph_end)(cy_r_doc *d);
    /* A table; `columns` is "l:name|r:name|...": alignment (l, r) and
     * header text; `key` names it (the JSON section) for the back end. */
    void (*table_begin)(cy_r_doc *d, const char *key, const char *columns);
    /* A cell; `sort_key` orders numeric columns (NaN = sort as text). */
    void (*cell_begin)(cy_r_doc *d, double sort_key);
    void (*cell_end)(cy_r_doc *d);
    void (*row_end)(cy_r_doc *d);
    void (*table_end)(cy_r_doc *d);
    void (*item_begin)(cy_r_doc *d);   /* bullet list item */
    void (*item_end)(cy_r_doc *d);
} cy_r_ops;

struct cy_r_doc {
    const cy_r_ops *ops;
    FILE *out;
    const cy_network *net;
    size_t top;
    int first_cell;            /* back-end state */
    char scratch[64];
    cy_r_cell_kind cell_kind;  /* the next cell's (see above) */
    double cell_value;
    size_t cell_firm;
    /* A piece of prose could not be built (out of memory): its writer
     * fails instead of leaving the text out. */
    int oom;
    /* The backups' shared suppliers (cy_r_write_sections and
     * cy_r_write_register make it when it is NULL, and free it). */
    cy_wl_shared_cache *shared;
};

/*
 * Read the next column of a table_begin() spec at *cursor: sets *right
 * (1 for a right-aligned column), *name and *length, advances *cursor.
 * Returns 0 at the end of the spec.
 */
int cy_r_next_column(const char **cursor, int *right, const char **name,
                     size_t *length);

/*
 * A document written as one self-contained HTML page (report_html.c):
 * page_begin writes the head (inline style) and the header's heading
 * `title` `name` (both escaped) and leaves a paragraph open for an
 * introduction; page_end closes the paragraph open after the sections and
 * writes the footer and the table-sorting script.
 */
void cy_r_html_page_begin(cy_r_doc *doc, FILE *out, const cy_network *net, size_t top,
                          const char *title, const char *name);
void cy_r_html_page_end(cy_r_doc *doc);

/* A document written as Markdown to `out` (report_md.c). */
void cy_r_md_doc(cy_r_doc *doc, FILE *out, const cy_network *net, size_t top);

/* The CSV report (report_csv.c) with options->top and ->csv_raw. */
cy_status cy_r_weaklinks_csv(const cy_network *net, const cy_weaklinks *r,
                             const cy_write_options *options, FILE *out,
                             cy_error *err);

/* Write every section of the report, in the JSON key order. */
void cy_r_write_sections(cy_r_doc *d, const cy_weaklinks *report);
/* The one-line description under the title. */
void cy_r_write_intro(cy_r_doc *d, const cy_weaklinks *report);
/* The risk register section alone (cy_r_write_sections writes it first). */
void cy_r_write_register(cy_r_doc *d, const cy_weaklinks *report);

/*
 * The data of interactive figure `key` of the HTML report (report_
 * interactive.c): `figure` (cy_render_page_data's nodes) with, for every
 * drawn firm, "row": its row of the risk register as [column, text]
 * pairs, exactly as the register table shows it ([] for a firm not in the
 * register), and the panel's labels; written as the figure's JSON data
 * element (cy_interactive_data).  CY_ENOMEM when out of memory.
 * Time complexity: O(register rows + size of the figure's data).
 */
cy_status cy_r_interactive_figure(FILE *out, size_t key, const cy_network *net,
                                  const cy_weaklinks *report, const struct json_t *figure);

#endif /* CHENGYU_REPORT_INTERNAL_H */
