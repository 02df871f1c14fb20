/*
 * writer.h - the output layer: what every writer of libchengyu uses to
 * put text, numbers and user strings into its format.  Private to the
 * libraries (src/report, src/io/export.c, render/).
 *
 *   format.c the formats and options of every writer
 *   buf.c    a growing string (cy_r_buf)
 *   text.c   escapers for people's formats (terminal, Markdown, HTML) and
 *            for XML; money and percentages; cy_terminal_text
 *   csv.c    the CSV writer: RFC 4180 quoting, LF line ends, formula
 *            neutralisation of text cells
 *   json.c   the streaming JSON writer
 *
 * Numbers: a real is spelled by cy_i_real_spell (src/core/number.c) in
 * every format; human formats write money with cy_r_amount (the
 * network's currency, the language's units) and shares with cy_r_percent.  docs/cli.md states these conventions.
 */
#ifndef CHENGYU_WRITER_H
#define CHENGYU_WRITER_H

#include "internal.h"

#include <stdio.h>

/* ---- format.c --------------------------------------------------------- */

/* The bit of a format in the `formats` set of cy_r_options. */
#define CY_R_FORMAT(f) (1u << (f))

/*
 * The options a writer works with: `given`, or for NULL the defaults with
 * the first format of `formats`.  CY_EUSAGE, naming `what` ("centrality
 * table"...), when the format is not in `formats`.
 */
cy_status cy_r_options(const cy_write_options *given, unsigned formats,
                       const char *what, cy_write_options *options, cy_error *err);

/* After a writer that used stdio directly: CY_EIO, with "writing the
 * <what> failed", when the stream reports an error. */
cy_status cy_r_stream_status(FILE *out, const char *what, cy_error *err);

/* ---- buf.c ------------------------------------------------------------ */

/* A growing string.  After an allocation failure `oom` is set, later
 * appends do nothing and cy_r_buf_take returns NULL. */
typedef struct {
    char *data;
    size_t len, cap;
    int oom;
} cy_r_buf;

void cy_r_buf_init(cy_r_buf *buf);
void cy_r_buf_free(cy_r_buf *buf);
void cy_r_buf_putn(cy_r_buf *buf, const char *s, size_t n);
void cy_r_buf_puts(cy_r_buf *buf, const char *s);
void cy_r_buf_printf(cy_r_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The string (NUL-terminated, "" when empty), still owned by the buffer;
 * NULL after an allocation failure. */
const char *cy_r_buf_str(cy_r_buf *buf);
/* Hand the string over (cy_free it); the buffer is left empty. */
char *cy_r_buf_take(cy_r_buf *buf);
/*
 * Append `s` as an element of a list kept in one string (a CSV cell):
 * elements joined with ';' (none before the `first`), a ';' or '\' inside
 * an element escaped by a backslash, so the list splits back unambiguously.
 */
void cy_r_buf_list_item(cy_r_buf *buf, const char *s, int first);
/* The ids of the enterprises ids[0 .. count) of `net` appended as one such
 * list (the cell of `failed`, `demand_of`, ...).  Time complexity:
 * O(the ids' length). */
void cy_r_buf_ids(cy_r_buf *buf, const cy_network *net, const size_t *ids, size_t count);

/* ---- text.c ----------------------------------------------------------- */

/* How many terminal columns a user string may take in a text line before
 * it is cut (an id is at most 256 bytes; names may be longer). */
#define CY_R_TEXT_COLUMNS 256

/*
 * `s` for a terminal (text and table formats): hostile code points as
 * visible escapes (cy_i_safe_text), cut to `max_columns` columns with
 * "…" (0: no limit), then padded with spaces to `pad` columns.  Returns
 * the columns written before the padding; with `out` NULL only measures.
 * Time complexity: O(length of s).
 */
size_t cy_r_term_text(FILE *out, const char *s, size_t max_columns, size_t pad);
/* `s` (text of ours: a number, an amount) right-aligned in `width`
 * terminal columns. */
void cy_r_term_right(FILE *out, const char *s, size_t width);

/*
 * `s` as Markdown text (a paragraph or a table cell): the characters
 * Markdown would interpret backslash-escaped (\ ` * [ ] < > | ~, and _
 * where it could start or end emphasis), & as &amp; (so no entity is
 * decoded), a line break as <br>, other hostile code points as visible
 * escapes.
 */
void cy_r_md_text(FILE *out, const char *s);

/*
 * `s` as HTML text or attribute value: & < > " ' as entities, a line
 * break as <br> (`breaks`) or &#10;, other hostile code points as visible
 * escapes.
 */
void cy_r_html_text(FILE *out, const char *s, int breaks);

/*
 * `s` with the control characters that XML 1.0 cannot carry (all below
 * 0x20 but tab, newline and carriage return; and 0x7f) replaced by
 * U+FFFD.  Returns a new string (cy_free) or NULL on OOM; *changed says
 * whether any was found.
 */
char *cy_r_xml_safe(const char *s, int *changed);
/* 1 when cy_r_xml_safe would leave `s` as it is.  O(length of s). */
int cy_r_xml_carries(const char *s);

/*
 * `s` (already XML-safe, see cy_r_xml_safe) as an XML attribute value
 * between double quotes: & < > " as entities, and tab, LF and CR as
 * character references, which attribute-value normalisation (XML 1.0,
 * section 3.3.3) would otherwise turn into spaces.  So a parser gives
 * back exactly `s`.  Time complexity: O(length of s).
 */
void cy_r_xml_attr(FILE *out, const char *s);

/*
 * An amount of money for people, with three significant digits and the
 * largest unit that keeps it at least 1.  English: the currency's symbol
 * before the digits, short-scale units: "¥0", "¥950", "¥12.3 k", "¥4.5
 * m", "¥3.2 bn", "¥1.1 tn", "US$4.5 m", "KRW 4.5 m" (a code without a
 * symbol here); beyond 999.5 tn in whole tn ("¥2040 tn"); negative "-¥4.5
 * m".  Chinese: 万 (10^4), 亿 (10^8) and 万亿 (10^12) before the
 * currency's word, a unit's whole number when it has four digits:
 * "950元", "12.3万元", "1235万元", "3.2亿元", "4.5万美元", "4.5万 KRW".
 * A value that rounds up to a whole next unit is written in the next one
 * (999.96e9 is "¥1 tn", 99999.6 yuan "10万元"); past a million of the
 * largest unit the amount in exponent form.  "n/a" (its translation) for
 * NaN and infinities.  `out` has room for 32 bytes; returns out.
 * Time complexity: O(1).
 */
const char *cy_r_money(double amount, const char *currency, cy_language lang, char *out,
                       size_t size);
/* An amount in the network's currency (CNY for NULL) and the language
 * set (cy_language_get): the one call the writers make for money. */
const char *cy_r_amount(const cy_network *net, double amount, char *out, size_t size);
/* An amount of yuan in English ("¥4.5 m"): cy_r_money with CNY, en. */
const char *cy_r_format_amount(double yuan, char *out, size_t size);

/* A share 0..1 as a percentage with one decimal ("37.5%"); "n/a" for
 * NaN.  Returns buf. */
const char *cy_r_percent(double share, char *buf, size_t size);

/* Days for people, one rule for every writer (stress, the weak-link time
 * section, scenarios): three significant digits ("7.5", "14.6", "365"),
 * whole days from 1000 on.  Returns buf. */
const char *cy_r_days(double days, char *buf, size_t size);

/* ---- csv.c ------------------------------------------------------------ */

/*
 * One CSV document: fields separated by ',', records ended by LF (one
 * line ending for every CSV of chengyu), a field quoted with '"' (quotes
 * doubled, RFC 4180) when it holds ',', '"', CR or LF.  Text cells that a
 * spreadsheet would read as a formula (first character '=', '+', '-',
 * '@', tab or CR) get a leading apostrophe, and so does a text cell that
 * starts with one, so that dropping one leading apostrophe always gives
 * the value back; `raw` turns this off.  Numeric cells are never changed.
 */
typedef struct {
    FILE *out;
    int raw;
    int fields;   /* cells written in the current record */
} cy_r_csv;

void cy_r_csv_init(cy_r_csv *csv, FILE *out, int raw);
/* The header record: `names` as written ("a,b,c"), then the line end. */
void cy_r_csv_header(cy_r_csv *csv, const char *names);
/* A text cell; NULL writes an empty cell. */
void cy_r_csv_text(cy_r_csv *csv, const char *s);
/* A real in the one spelling; non-finite values write an empty cell. */
void cy_r_csv_real(cy_r_csv *csv, double value);
void cy_r_csv_count(cy_r_csv *csv, size_t value);
/* A numeric cell already spelled (digits, sign, point): never guarded. */
void cy_r_csv_number(cy_r_csv *csv, const char *text);
void cy_r_csv_integer(cy_r_csv *csv, long long value);
void cy_r_csv_empty(cy_r_csv *csv);
void cy_r_csv_row_end(cy_r_csv *csv);
/* Whether a text cell `s` is neutralised (without `raw`). */
int cy_r_csv_needs_guard(const char *s);

/* ---- json.c ----------------------------------------------------------- */

/*
 * A streaming JSON writer: text goes straight into a 64 KiB buffer and
 * out in large blocks, no document is built, so memory stays constant
 * however large the output.  Each container is laid out INLINE (elements
 * separated by ", ") or in LINES (each element on its own line, indented
 * two spaces per level, the closing bracket on its own line unless the
 * container is empty), keys followed by ": ": exactly what Jansson's
 * json_dump writes, INLINE without JSON_INDENT, LINES with
 * JSON_INDENT(2).  Strings are escaped as Jansson escapes them (", \ and
 * control characters; UTF-8 as is), reals spelled by cy_i_real_spell,
 * non-finite reals and NULL strings written as null.
 */
typedef enum { CY_R_JSON_INLINE = 0, CY_R_JSON_LINES = 1 } cy_r_json_layout;

typedef struct cy_r_json cy_r_json;

/* NULL, with "out of memory writing the <what>" in err, on OOM.
 * cy_r_json_close flushes, frees the writer and returns CY_EIO (with
 * "writing the <what> failed") when writing failed. */
cy_r_json *cy_r_json_open(FILE *out, const char *what, cy_error *err);
cy_status cy_r_json_close(cy_r_json *w, const char *what, cy_error *err);

void cy_r_json_object_begin(cy_r_json *w, cy_r_json_layout layout);
void cy_r_json_object_end(cy_r_json *w);
void cy_r_json_array_begin(cy_r_json *w, cy_r_json_layout layout);
void cy_r_json_array_end(cy_r_json *w);
/* The next member's key (escaped like a string). */
void cy_r_json_key(cy_r_json *w, const char *key);
void cy_r_json_string(cy_r_json *w, const char *s);
void cy_r_json_real(cy_r_json *w, double value);
/* A real already spelled by cy_i_real_spell ("" for a non-finite value:
 * null), as cy_r_json_real would write it. */
void cy_r_json_spelled(cy_r_json *w, const char *text);
void cy_r_json_count(cy_r_json *w, size_t value);
void cy_r_json_integer(cy_r_json *w, long long value);
void cy_r_json_bool(cy_r_json *w, int value);
void cy_r_json_null(cy_r_json *w);
/* A key and its value in one call. */
void cy_r_json_member_string(cy_r_json *w, const char *key, const char *s);
void cy_r_json_member_real(cy_r_json *w, const char *key, double value);
void cy_r_json_member_count(cy_r_json *w, const char *key, size_t value);
/*
 * Spell every enterprise id of `net` once, quoted and escaped, so that
 * cy_r_json_enterprise and cy_r_json_ids copy it instead of scanning it
 * (a large report writes each id many times).  Returns 0 when out of
 * memory: the writer then spells each id as it comes, with the same bytes.
 * Time complexity: O(total length of the ids).
 */
int cy_r_json_spell_ids(cy_r_json *w, const cy_network *net);
/* The id of enterprise i as a string value. */
void cy_r_json_enterprise(cy_r_json *w, const cy_network *net, size_t i);
/* The ids of enterprises items[0 .. count) as an array. */
void cy_r_json_ids(cy_r_json *w, const cy_network *net, const size_t *items,
                   size_t count, cy_r_json_layout layout);
/* Text written as it is, outside the layout (a document's final newline,
 * a hand-made layout around values at the top level). */
void cy_r_json_raw(cy_r_json *w, const char *text);

#endif /* CHENGYU_WRITER_H */
