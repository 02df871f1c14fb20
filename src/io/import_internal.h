/*
 * import_internal.h - what the spreadsheet importer (import*.c) and the
 * workbook writer (export_xlsx.c) share: the table of columns, one row per
 * chengyu/1 key, and the places (sheet and cell) of an imported document.
 */
#ifndef CHENGYU_IMPORT_INTERNAL_H
#define CHENGYU_IMPORT_INTERNAL_H

#include "internal.h"
#include "xlsx_read.h"

/* The sheets (or CSV files) of a network, in the order of a document. */
typedef enum {
    CY_SHEET_NETWORK = 0,
    CY_SHEET_REGIONS,
    CY_SHEET_CLUSTERS,
    CY_SHEET_PARKS,
    CY_SHEET_ENTERPRISES,
    CY_SHEET_LINKS,
    CY_SHEET_COUNT
} cy_sheet_kind;

#define CY_SHEET_BIT(s) (1u << (s))
#define CY_RECORD_SHEETS                                                       \
    (CY_SHEET_BIT(CY_SHEET_REGIONS) | CY_SHEET_BIT(CY_SHEET_CLUSTERS) |       \
     CY_SHEET_BIT(CY_SHEET_PARKS) | CY_SHEET_BIT(CY_SHEET_ENTERPRISES) |      \
     CY_SHEET_BIT(CY_SHEET_LINKS))

typedef struct {
    const char *name;      /* chengyu/1 key of the array ("links"); "network" */
    const char *aliases;   /* other sheet names, '|'-separated */
    int required;          /* enterprises and links */
    const char *zh, *en;   /* what the template says of the sheet */
} cy_sheet_info;

extern const cy_sheet_info cy_sheets[CY_SHEET_COUNT];

typedef enum {
    CY_COL_TEXT,      /* a string, kept as written */
    CY_COL_WORD,      /* a string with surrounding spaces removed: ids, references */
    CY_COL_KIND,      /* a kind, or its Chinese name (整车厂 is oem) */
    CY_COL_INTEGER,   /* tier */
    CY_COL_NUMBER,    /* amounts; text may carry thousands separators */
    CY_COL_SHARE,     /* a number; "60%" is 0.6 */
    CY_COL_BOOLEAN,
    CY_COL_LIST,      /* ';', '；' or '、' separated; "[]" is the empty list */
    CY_COL_LONGITUDE, /* location[0] */
    CY_COL_LATITUDE,  /* location[1] */
    CY_COL_JSON       /* meta: JSON text, or any other text as a string */
} cy_column_type;

typedef struct {
    const char *key;       /* the chengyu/1 key (longitude/latitude: location) */
    cy_column_type type;
    unsigned sheets;       /* CY_SHEET_BIT of every sheet that has it */
    unsigned required;     /* CY_SHEET_BIT of the sheets that need it */
    const char *aliases;   /* Chinese headers, '|'-separated; the first is shown */
    const char *zh, *en;   /* what the template says of it */
    double width;          /* column width in the workbooks chengyu writes */
} cy_column_info;

/* At most this many columns (keys) in all. */
#define CY_COLUMN_MAX 64
extern const cy_column_info cy_columns[];
extern const size_t cy_column_count;

/* The column index of `header` (a key or an alias, ASCII case and
 * surrounding spaces ignored), or -1. */
long cy_i_column_find(const char *header, size_t length);
/* Whether `header` (surrounding spaces ignored) is `key` (ASCII case
 * ignored) or one of its '|'-separated `aliases`. */
int cy_i_header_is(const char *key, const char *aliases, const char *header,
                   size_t length);
/* The value of a cell for a column of `type`: NULL with *problem set (a
 * printf format taking the quoted cell text), or NULL with problem NULL
 * when out of memory; *absent when the cell holds nothing but spaces. */
json_t *cy_i_cell_value(const cy_sheet_cell *cell, cy_column_type type,
                        const char **problem, int *absent);
/* The kind a Chinese kind name stands for ("oem" for 整车厂), or NULL. */
const char *cy_i_kind_alias(const char *text, size_t length);
/* The sheet kind named `name` (a key or an alias), or -1. */
int cy_i_sheet_find(const char *name);

/*
 * Read a workbook or CSV folder into the text of its chengyu/1 document
 * (one record per line; free() it) and the places of its records.
 */
cy_status cy_i_import_text(const char *path, const cy_import_options *options,
                          const cy_sheet_progress *sp, char **text, size_t *size,
                          cy_import_places **places, cy_error *err);
/* cy_import_document reporting the reading by `sp` (may be NULL): its
 * span is shared among the tables by their sizes, each step named
 * "reading sheet links" or "reading links.csv". */
cy_status cy_i_import_document(const char *path, const cy_import_options *options,
                               const cy_sheet_progress *sp, json_t **doc,
                               cy_import_places **places, cy_error *err);
/* A record, its keys in the order of the column table; any JSON value.
 * Reals are spelled shortest-exact and stay reals ("3.0"). */
void cy_i_put_record(FILE *out, const json_t *record);
void cy_i_put_value(FILE *out, const json_t *value);

/* ---- places --------------------------------------------------------------- */

/*
 * Where each record and field of an imported document came from: per sheet,
 * the row of each record and the column (and header as written) of each
 * field.  Turns a JSON path into "book.xlsx:links!C12 (column "part")" or
 * "dir/links.csv:12:3 (column "part")".
 */
typedef struct {
    char *label;                 /* "book.xlsx" or "dir/links.csv" */
    int csv;
    int present;
    uint32_t header_row;
    uint32_t *rows;              /* rows[record] */
    size_t count, cap;
    long *column_of;             /* column_of[field], -1 when absent */
    char **header_of;            /* header_of[field], as written */
} cy_i_sheet_places;

struct cy_import_places {
    char *label;                 /* the input as the user named it */
    cy_i_sheet_places sheets[CY_SHEET_COUNT];
};

/*
 * The place of JSON path `path` ("$.links[12].part") in `out`, or 0 when
 * the path names nothing imported.
 */
int cy_i_place_of(const cy_import_places *places, const char *path, char *out,
                  size_t size);

/* Spell the place of (sheet, row, column) into out. */
void cy_i_cell_place(const cy_import_places *places, cy_sheet_kind sheet,
                     uint32_t row, long column, long field, char *out, size_t size);

/* The libxlsxwriter worksheet being written (xlsx_write.c), for the
 * workbook writers that add drop-down lists. */
void *cy_i_workbook_sheet(cy_workbook *wb);
/* A data workbook (the network, which must import back unchanged):
 * numbers that libxlsxwriter's "%.16G" would change are written as exact
 * text, and sheets are not shrunk to a page's width when printed. */
void cy_i_workbook_data(cy_workbook *wb);
/* Test hook: the rows of a worksheet, header included (from 2; anything
 * else: Excel's 1,048,576), for the workbooks written after the call.  A
 * report's table longer than that goes on in "name (2)", "name (3)", ...;
 * a data workbook's fails to write. */
void cy_i_workbook_row_limit(uint32_t rows);
/* Test hook: nonzero builds the workbooks written after the call in a
 * named temporary file in $TMPDIR, as where /proc is not mounted. */
void cy_i_workbook_test_named(int named);

/*
 * The file of a table in folder `dir`: the one entry named "N.csv" in any
 * ASCII case, for N among the '|'-separated `names`.  1 with *path (cy_free
 * it) when exactly one exists; 0 when none; 2 when several (names that
 * differ only in case, or a name and its alias), with two of them in
 * `both` ("\"a.csv\" and \"b.csv\""): which one the user meant is not
 * ours to guess, and the directory's order would; -1 when out of memory.
 * Time complexity: O(entries of dir x length of names).
 */
int cy_i_table_file(const char *dir, const char *names, char **path, char *both,
                    size_t both_size);

#endif /* CHENGYU_IMPORT_INTERNAL_H */
