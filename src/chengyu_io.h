/*
 * chengyu_io.h - networks in and out other than the loader: the synthetic
 * generator, the GraphML and CSV exports (DOT: chengyu_render.h), and
 * spreadsheets (.xlsx workbooks and CSV folders) in and out.
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_IO_H
#define CHENGYU_IO_H

#include "chengyu_analysis.h"
#include "chengyu_network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* generate                                                            */
/* ------------------------------------------------------------------ */

/*
 * The synthetic networks.  REGIONAL, PROVINCE, NATIONAL and XL (about
 * 1,645, 20,000, 200,000 and 1,000,000 firms) are layered: OEMs at tier 0,
 * suppliers at tiers 1-4, materials at tier 5, parks and clusters, links
 * from one tier to the next.  DENSE (800 firms, about 2,900 links) is
 * unlayered, like a real inter-firm transaction network: no tiers, no
 * parks, one part name, many mutual supplier-customer pairs.
 */
typedef enum {
    CY_PRESET_REGIONAL = 0,
    CY_PRESET_PROVINCE,
    CY_PRESET_NATIONAL,
    CY_PRESET_XL,
    CY_PRESET_DENSE
} cy_preset;

typedef struct {
    cy_preset preset;
    uint64_t seed;
    long oem_count;       /* <= 0: the preset's default */
    long supplier_count;  /* <= 0: the preset's default */
    /* Nonzero: leave out the synthetic stress-test fields (capacity,
     * inventory_days, recovery_days) that every enterprise gets by
     * default; the rest of the file is the same bytes either way. */
    int omit_stress_fields;
} cy_generate_params;

/*
 * The number of firms `params` makes (the preset's counts where a count
 * is <= 0), or 0 for an unknown preset or counts cy_generate refuses: a
 * caller estimates the run's time and size from it before it starts.
 * Time complexity: O(1).
 */
size_t cy_generate_firm_count(const cy_generate_params *params);

/*
 * Write a synthetic chengyu/1 network to `out`.  The same params give a
 * byte-identical file on every machine.  Returns CY_EIO if writing fails,
 * CY_EUSAGE for counts out of range.
 * Time complexity: O(n + m log n) for the generated n firms and m links
 * (each weighted supplier pick is a binary search); memory O(n + m), the
 * JSON streamed.
 */
cy_status cy_generate(const cy_generate_params *params, FILE *out,
                      cy_error *err);

/*
 * cy_generate with progress (`progress` may be NULL): the share of the
 * whole run, in the steps "building the network", "writing enterprises"
 * and "writing links"; 0 first, 100 once all is written, a report every
 * few thousand firms between.
 * Time complexity: that of cy_generate.
 */
cy_status cy_generate_run(const cy_generate_params *params, cy_progress_fn progress,
                          void *progress_data, FILE *out, cy_error *err);

/* ------------------------------------------------------------------ */
/* export                                                              */
/* ------------------------------------------------------------------ */

/*
 * GraphML through igraph's writer: vertex = enterprise, its node id the
 * enterprise id (n0, n1, ... with a warning when some id holds a control
 * character XML cannot carry), with attributes id, label (the name, or
 * the id without one), name, name_zh, uscc, kind, tier (-1 = none),
 * region, region_name, park, park_name, clusters and produces and
 * requires (lists joined with ';'), source, output_value, final_demand,
 * capacity, inventory_days, recovery_days, longitude, latitude (as the
 * file gives them, left out when it does not), output_in_effect,
 * final_demand_in_effect, capacity_in_effect (the values the analyses
 * use, given or derived)), edge = link (part, volume, share (-1 = not
 * given), source), graph attributes name, description, format.  Control characters
 * that XML 1.0 cannot carry become U+FFFD (a warning says so); a carriage
 * return is written as &#13; so that it reads back as itself.
 * Time complexity: O(n + m) plus the size of the strings.
 */
cy_status cy_export_graphml(const cy_network *net, FILE *out, cy_error *err);

/* A numeric vertex attribute computed elsewhere: values[i] for
 * enterprise i (a NaN, an undefined value, is left out of that node's
 * data, as igraph's writer does). */
typedef struct {
    const char *name;
    const double *values;
} cy_export_attribute;

/*
 * cy_export_graphml with `count` more numeric vertex attributes (a
 * Gephi user colours and sizes nodes by them without a join).  A name
 * that is already a field's ("id", "tier", ...) or given twice is
 * CY_EUSAGE.  Time complexity: O(n (1 + count) + m) plus the strings.
 */
cy_status cy_export_graphml_with(const cy_network *net, const cy_export_attribute *extra,
                                 size_t count, FILE *out, cy_error *err);

/*
 * cy_export_graphml_with with progress (`progress` may be NULL): the
 * share of the whole export, in the steps "preparing attributes",
 * "writing enterprises" and "writing links"; 0 first, 100 once written, a
 * report every few thousand elements between.
 * Time complexity: that of cy_export_graphml_with.
 */
cy_status cy_export_graphml_run(const cy_network *net, const cy_export_attribute *extra,
                                size_t count, cy_progress_fn progress,
                                void *progress_data, FILE *out, cy_error *err);

/*
 * Two CSV tables, written by the output layer's CSV writer (RFC 4180, LF
 * line ends, text cells guarded against formula injection unless
 * options->csv_raw; NULL options: guarded).  nodes: id,name,name_zh,uscc,
 * kind,tier,region,park,clusters,output_value,produces,requires,source,
 * final_demand,capacity,inventory_days,recovery_days,longitude,latitude,
 * output_in_effect,final_demand_in_effect,capacity_in_effect (list
 * fields joined with ';'; a field the file does not give is an empty
 * cell; the last three are the values the analyses use, given or
 * derived); edges: from,to,part,
 * volume,share,source (empty share = not given).  Reals in the one
 * spelling of every format.
 * Time complexity: O(n + m) plus the size of the strings.
 */
cy_status cy_export_csv(const cy_network *net, const cy_write_options *options,
                        FILE *nodes, FILE *edges, cy_error *err);

/*
 * cy_export_csv with progress (`progress` may be NULL): the share of the
 * whole export, in the steps "writing enterprises" and "writing links"; 0
 * first, 100 once written, a report every few thousand rows between.
 * Time complexity: that of cy_export_csv.
 */
cy_status cy_export_csv_run(const cy_network *net, const cy_write_options *options,
                            cy_progress_fn progress, void *progress_data, FILE *nodes,
                            FILE *edges, cy_error *err);

/* ------------------------------------------------------------------ */
/* spreadsheets in                                                     */
/* ------------------------------------------------------------------ */

struct json_t;

/*
 * Where the records and fields of an imported document came from (sheet,
 * row, column): diagnostics about the document are turned into places in
 * the user's workbook with it.
 */
typedef struct cy_import_places cy_import_places;

typedef struct {
    size_t max_input_bytes;  /* 0: CY_DEFAULT_MAX_INPUT; also caps what a
                                workbook decompresses to */
    const char *encoding;    /* CSV files: NULL detects UTF-8 or GB18030 */
    const char *label;       /* how places in messages and the default
                                network name call the input (NULL: the
                                path); "<stdin>" for a workbook piped in */
} cy_import_options;

/*
 * 1 when `path` names a spreadsheet input: a directory holding one of the
 * tables (enterprises.csv, links.csv, ...) or a file that begins like a
 * zip archive (an .xlsx workbook); 0 otherwise (a JSON file, a missing
 * file, any other directory).
 * Time complexity: O(1).
 */
int cy_import_is_spreadsheet(const char *path);

/*
 * Whether importing the folder `dir` reads the file `path` (the same file,
 * through any name or link): an output there would overwrite the input.
 * 0 when `dir` is not a folder or `path` does not exist.
 * Time complexity: O(1) (a few stat calls per table).
 */
int cy_import_folder_reads(const char *dir, const char *path);

/*
 * Whether reading scenarios from the folder `dir` reads the file `path`
 * (its scenarios.csv or 情景.csv, through any name or link).  0 when `dir`
 * is not a folder or `path` does not exist.
 * Time complexity: O(entries of the folder).
 */
int cy_scenarios_folder_reads(const char *dir, const char *path);

/*
 * Read an .xlsx workbook (sheets enterprises, links and optionally
 * network, regions, clusters, parks) or a folder of CSV tables (the same
 * names with .csv) into the chengyu/1 document the JSON file would be, and
 * the places its records came from.  Headers are chengyu/1 keys or their
 * Chinese aliases (docs/spreadsheets.md).  Problems of the tables
 * themselves (an unknown column, a bad number, a missing sheet, a hostile
 * workbook) are reported with their places; the rules of chengyu/1 are
 * checked by cy_import_load, not here.  On failure *doc and
 * *places are NULL.  `options` may be NULL.
 * Time complexity: O(input size); memory: the document and one row.
 */
cy_status cy_import_document(const char *path, const cy_import_options *options,
                             struct json_t **doc, cy_import_places **places,
                             cy_error *err);
void cy_import_places_free(cy_import_places *places);

/*
 * Turn the JSON paths of diagnostics first..err->count into places
 * ("book.xlsx:links!C12 (column "part")", "dir/links.csv:12:3 (column
 * "part")"), in their paths and in their messages.
 * Time complexity: O(total length of the diagnostics).
 */
void cy_import_translate(const cy_import_places *places, cy_error *err,
                         size_t first);

/*
 * Import `path` (a workbook or CSV folder) and validate it exactly as the
 * JSON file would be validated, every diagnostic at its place in the
 * spreadsheet.  With `out` NULL only checks; the counts go to
 * enterprise_count and link_count (either may be NULL).  When `json` is
 * not NULL and the network is valid, its chengyu/1 JSON is written there:
 * one record per line, keys in the order of docs/format.md, numbers
 * spelled shortest-exact.  Memory: the document's text and the network,
 * never a tree of the whole document.
 * Time complexity: O(input size) plus that of cy_network_load.
 */
cy_status cy_import_load(const char *path, const cy_import_options *options,
                         cy_network **out, size_t *enterprise_count,
                         size_t *link_count, FILE *json, cy_error *err);

/*
 * cy_import_load with progress (`progress` may be NULL): the share of the
 * whole import, in the steps "reading sheet enterprises" (a CSV folder:
 * "reading enterprises.csv"), ... for each table by its size, then
 * "checking the network" (the loader, without reports of its own), then
 * "writing JSON"; 100 once done.  A report every few thousand rows.
 * Time complexity: that of cy_import_load.
 */
cy_status cy_import_load_run(const char *path, const cy_import_options *options,
                             cy_progress_fn progress, void *progress_data,
                             cy_network **out, size_t *enterprise_count,
                             size_t *link_count, FILE *json, cy_error *err);

/*
 * Load a network from whatever `path` is: a chengyu/1 JSON file, an .xlsx
 * workbook or a folder of CSV tables.  With `out` NULL, only checks (as
 * cy_network_check).  `options` may be NULL.
 * Time complexity: O(input size + n + m log m).
 */
cy_status cy_network_load_any(const char *path, const cy_import_options *options,
                              cy_network **out, size_t *enterprise_count,
                              size_t *link_count, cy_error *err);

/*
 * The network in `path` (JSON, workbook or CSV folder, already validated
 * by the caller) as an .xlsx workbook: sheets enterprises, links, parks,
 * clusters, regions (those the network has), network, and an explanation
 * sheet; one column per chengyu/1 key, so that importing the workbook
 * gives the same document back.  Written to `out` (any stream).
 * Time complexity: O(size of the network).
 */
cy_status cy_export_xlsx(const char *path, const cy_import_options *options,
                         FILE *out, cy_error *err);

/*
 * cy_export_xlsx with progress (`progress` may be NULL): the share of the
 * whole export, in the steps "reading the network" (or, from a
 * spreadsheet, "reading sheet links" ...), "writing sheet enterprises",
 * "writing sheet links" ..., then "packing the workbook" (compressing the
 * sheets, without reports of its own); 100 once written.
 * Time complexity: that of cy_export_xlsx.
 */
cy_status cy_export_xlsx_run(const char *path, const cy_import_options *options,
                             cy_progress_fn progress, void *progress_data, FILE *out,
                             cy_error *err);

/*
 * The template workbook: a first sheet explaining every sheet and column
 * in Chinese and English, then every sheet with every column, a drop-down
 * list of the kinds, and two example rows that import as a valid network.
 * Time complexity: O(1).
 */
cy_status cy_write_template(FILE *out, cy_error *err);

/* ------------------------------------------------------------------ */
/* scenarios (chengyu-scenarios/1, docs/scenarios.md)                  */
/* ------------------------------------------------------------------ */

/*
 * Read and check the scenarios in `path` against the network `base`,
 * loaded from `network_path`.  `path` is a chengyu-scenarios/1 JSON file,
 * or a spreadsheet: an .xlsx workbook with a sheet "scenarios" (or 情景),
 * a .csv file, or a folder holding scenarios.csv, one row per shock or
 * mitigation (docs/scenarios.md); "-" reads a JSON document from standard
 * input, within the same size limit.  `network_path` (a JSON file, workbook
 * or CSV folder; a stream must have been kept in a file the caller can
 * name again) is read a second time to build each mitigated copy, and the
 * copy is checked by the loader's every rule.  `import` (may be NULL)
 * gives the size limit (also of the JSON file or standard input), CSV
 * encoding and label for spreadsheets.  Every
 * problem is reported with its JSON path in the scenario file, or its
 * sheet and cell: unknown or missing keys, wrong types, fractions outside
 * [0, 1], days outside [0, 1e9], unknown ids (with the nearest id), duplicate
 * names, a mitigation that names no existing link, and the mitigated
 * network's own errors (prefixed with the scenario's path).  On failure
 * nothing is kept.  Release with cy_scenarios_destroy.
 * Time complexity: O(size of the two files) per scenario with mitigations
 * (the network is copied, written and loaded again), O(ids) otherwise;
 * translating a spreadsheet's diagnostics, O(diagnostics x cells read).
 */
cy_status cy_scenarios_load(const char *path, const cy_network *base,
                            const char *network_path, const cy_import_options *import,
                            cy_scenarios *out, cy_error *err);

/*
 * cy_scenarios_load for a chengyu-scenarios/1 JSON document already in
 * memory (`size` bytes of `data`: a stream the caller read), called `name`
 * in messages.
 * Time complexity: as cy_scenarios_load.
 */
cy_status cy_scenarios_load_buffer(const char *data, size_t size, const char *name,
                                   const cy_network *base, const char *network_path,
                                   const cy_import_options *import, cy_scenarios *out,
                                   cy_error *err);

/* Free what `s` holds (NULL-safe).  Time complexity: O(scenarios). */
void cy_scenarios_destroy(cy_scenarios *s);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_IO_H */
