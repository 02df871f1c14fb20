/*
 * test_writer.c - the output layer (src/report/writer.h, src/core/utf8.c,
 * cy_i_real_spell): the one spelling of a real against Jansson's own
 * writer, money at every unit boundary, the escapers of the terminal,
 * Markdown and HTML formats, the CSV writer's quoting and formula guard,
 * the JSON writer against Jansson's json_dumps, and their failures
 * (allocation, I/O, a format a writer lacks).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "writer.h"

/* ---- helpers ---------------------------------------------------------- */

typedef struct {
    char *text;
    size_t size;
    FILE *stream;
} memory;

static FILE *memory_open(memory *m)
{
    m->text = NULL;
    m->size = 0;
    m->stream = open_memstream(&m->text, &m->size);
    assert_non_null(m->stream);
    return m->stream;
}

/* Close the stream and return its text (free it). */
static char *memory_close(memory *m)
{
    assert_int_equal(fclose(m->stream), 0);
    return m->text;
}

static const char *spell(double value)
{
    static char text[32];
    cy_i_real_spell(text, value);
    return text;
}

/* ---- reals ------------------------------------------------------------ */

static void test_real_hand_checked(void **state)
{
    (void)state;
    assert_string_equal(spell(0.0), "0.0");
    assert_string_equal(spell(-0.0), "-0.0");
    assert_string_equal(spell(1500.0), "1500.0");
    assert_string_equal(spell(-42.0), "-42.0");
    assert_string_equal(spell(0.1), "0.1");
    assert_string_equal(spell(0.7), "0.7");
    assert_string_equal(spell(1.0 / 3.0), "0.3333333333333333");
    assert_string_equal(spell(0.84536082474226804), "0.845360824742268");
    assert_string_equal(spell(35.395285065825377), "35.39528506582538");
    assert_string_equal(spell(1.5e-7), "1.5e-7");
    assert_string_equal(spell(1e20), "1e20");
    assert_string_equal(spell(-2.5e-300), "-2.5e-300");
    /* Integral values below 2^53 keep every digit; from 2^53 the shortest
     * exact form. */
    assert_string_equal(spell(1e15), "1000000000000000.0");
    assert_string_equal(spell(9007199254740991.0), "9007199254740991.0");
    assert_string_equal(spell(1e16), "1e16");
    assert_string_equal(spell(9007199254740994.0), "9007199254740994.0");
    assert_int_equal(cy_i_real_spell((char[32]){0}, NAN), 0);
    assert_int_equal(cy_i_real_spell((char[32]){0}, INFINITY), 0);
}

/* splitmix64: a fixed stream, so a failure reproduces. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Jansson's own text for a real with the fewest of 15, 16, 17 digits
 * that read back: what the one spelling promises for non-integral
 * values. */
static void jansson_shortest(double value, char *out, size_t size)
{
    for (int precision = 15; precision <= 17; precision++) {
        json_t *real = json_real(value);
        char *text = json_dumps(real, JSON_ENCODE_ANY | JSON_REAL_PRECISION(precision));
        json_decref(real);
        assert_non_null(text);
        snprintf(out, size, "%s", text);
        free(text);
        if (strtod(out, NULL) == value)
            return;
    }
}

static void test_real_against_jansson(void **state)
{
    uint64_t seed = 15;
    char expected[64];
    (void)state;
    for (int k = 0; k < 200000; k++) {
        uint64_t bits = next_random(&seed);
        double value;
        memcpy(&value, &bits, sizeof value);
        if (k % 2)  /* the ranges the reports print: shares, money */
            value = (double)(bits >> 11) * 0x1p-53 * (k % 4 == 1 ? 1.0 : 1e12);
        if (!isfinite(value) || value == trunc(value))
            continue;
        jansson_shortest(value, expected, sizeof expected);
        if (strcmp(spell(value), expected) != 0)
            fail_msg("%a: spelled %s, Jansson %s", value, spell(value), expected);
        assert_true(strtod(spell(value), NULL) == value);
    }
}

/* ---- money and shares --------------------------------------------------- */

static const char *amount(double value)
{
    static char text[32];
    return cy_r_format_amount(value, text, sizeof text);
}

#define YUAN "\xC2\xA5"

static void test_amounts(void **state)
{
    (void)state;
    assert_string_equal(amount(0), YUAN "0");
    assert_string_equal(amount(0.004), YUAN "0");
    assert_string_equal(amount(0.5), YUAN "0.5");
    assert_string_equal(amount(950), YUAN "950");
    assert_string_equal(amount(999.4), YUAN "999");
    assert_string_equal(amount(999.6), YUAN "1 k");  /* rounds up a unit */
    assert_string_equal(amount(1650), YUAN "1.65 k");
    assert_string_equal(amount(12345), YUAN "12.3 k");
    assert_string_equal(amount(3.5e6), YUAN "3.5 m");
    assert_string_equal(amount(999.96e6), YUAN "1 bn");
    assert_string_equal(amount(1.2e11), YUAN "120 bn");
    assert_string_equal(amount(999.4e9), YUAN "999 bn");
    assert_string_equal(amount(999.96e9), YUAN "1 tn");  /* not "1e+03 bn" */
    assert_string_equal(amount(2e13), YUAN "20 tn");
    assert_string_equal(amount(999.6e12), YUAN "1000 tn");
    assert_string_equal(amount(2.04e15), YUAN "2040 tn");
    assert_string_equal(amount(-3.5e6), "-" YUAN "3.5 m");
    assert_string_equal(amount(NAN), "n/a");
    assert_string_equal(amount(INFINITY), "n/a");
    /* No amount below a million tn is written with an exponent. */
    for (double v = 1e-3; v < 1e18; v *= 1.37)
        assert_null(strchr(amount(v), 'e'));
    /* Above it the yuan in exponent form, never cut digits. */
    assert_string_equal(amount(999999e12), YUAN "999999 tn");
    assert_string_equal(amount(1.6e308), YUAN "1.6e+308");
    assert_string_equal(amount(-1.797e308), "-" YUAN "1.8e+308");
}

static void test_percent(void **state)
{
    char text[32];
    (void)state;
    assert_string_equal(cy_r_percent(0.375, text, sizeof text), "37.5%");
    assert_string_equal(cy_r_percent(1.0, text, sizeof text), "100.0%");
    assert_string_equal(cy_r_percent(NAN, text, sizeof text), "n/a");
}

/* ---- text for people ------------------------------------------------------ */

static void test_utf8_next(void **state)
{
    long cp;
    (void)state;
    assert_int_equal(cy_i_utf8_next("\xE9\x95\xBF", &cp), 3);
    assert_int_equal(cp, 0x957F);
    assert_int_equal(cy_i_utf8_next("\xF0\x9F\x98\x80", &cp), 4);
    assert_int_equal(cp, 0x1F600);
    /* Overlong, surrogate, above U+10FFFF, truncated: one invalid byte. */
    assert_int_equal(cy_i_utf8_next("\xC0\xAF", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(cy_i_utf8_next("\xE0\x80\xAF", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(cy_i_utf8_next("\xED\xA0\x80", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(cy_i_utf8_next("\xF4\x90\x80\x80", &cp), 1);
    assert_int_equal(cp, -1);
    assert_int_equal(cy_i_utf8_next("\xE9\x95", &cp), 1);
    assert_int_equal(cp, -1);
}

static const char *terminal(const char *s, size_t columns)
{
    static char text[256];
    return cy_terminal_text(s, columns, text, sizeof text);
}

static void test_terminal_text(void **state)
{
    (void)state;
    assert_string_equal(terminal("plain", 0), "plain");
    assert_string_equal(terminal("a\nb\r\tc", 0), "a\\nb\\r\\tc");
    assert_string_equal(terminal("\x1b[31mred\x7f", 0), "\\x1B[31mred\\x7F");
    /* C1 (U+0085, U+009B), bidi overrides and isolates, separators. */
    assert_string_equal(terminal("x\xC2\x85y\xC2\x9B", 0), "x\\u0085y\\u009B");
    assert_string_equal(terminal("\xE2\x80\xAE" "abc\xE2\x80\xAC", 0), "\\u202Eabc\\u202C");
    assert_string_equal(terminal("\xE2\x81\xA6" "a\xE2\x81\xA9", 0), "\\u2066a\\u2069");
    assert_string_equal(terminal("a\xE2\x80\xA8" "b", 0), "a\\u2028b");
    assert_string_equal(terminal("bad\xFF", 0), "bad\\xFF");
    /* Chinese stays, two columns a character; the cut keeps room for "…". */
    assert_string_equal(terminal("\xE9\x95\xBF\xE5\xAE\x89", 0), "\xE9\x95\xBF\xE5\xAE\x89");
    assert_string_equal(terminal("abcdefghij", 5), "abcd\xE2\x80\xA6");
    assert_string_equal(terminal("abcde", 5), "abcde");
    assert_string_equal(terminal("\xE9\x95\xBF\xE5\xAE\x89\xE6\xB1\xBD", 5),
                        "\xE9\x95\xBF\xE5\xAE\x89\xE2\x80\xA6");
    assert_string_equal(terminal(NULL, 0), "");
    /* A buffer too small for the whole text cuts it there. */
    {
        char small[8];
        cy_terminal_text("abcdefghij", 0, small, sizeof small);
        assert_string_equal(small, "abcd\xE2\x80\xA6");
    }
}

static void test_term_columns(void **state)
{
    memory m;
    char *text;
    (void)state;
    assert_int_equal(cy_r_term_text(NULL, "\xE9\x95\xBF" "a", 0, 0), 3);
    assert_int_equal(cy_r_term_text(NULL, "a\x1b" "b", 0, 0), 6);
    cy_r_term_text(memory_open(&m), "\xE9\x95\xBF", 10, 5);
    cy_r_term_right(m.stream, YUAN "3 bn", 8);
    text = memory_close(&m);
    assert_string_equal(text, "\xE9\x95\xBF   " "   " YUAN "3 bn");
    free(text);
}

static char *md(const char *s)
{
    memory m;
    cy_r_md_text(memory_open(&m), s);
    return memory_close(&m);
}

static char *html(const char *s, int breaks)
{
    memory m;
    cy_r_html_text(memory_open(&m), s, breaks);
    return memory_close(&m);
}

#define ASSERT_TEXT(call, expected)              \
    do {                                         \
        char *text_ = (call);                    \
        assert_string_equal(text_, expected);    \
        free(text_);                             \
    } while (0)

static void test_markdown(void **state)
{
    (void)state;
    ASSERT_TEXT(md("a|b"), "a\\|b");
    ASSERT_TEXT(md("R&D &lt;x&gt;"), "R&amp;D &amp;lt;x&amp;gt;");
    ASSERT_TEXT(md("<script>"), "\\<script\\>");
    ASSERT_TEXT(md("cd_chip_a _x_ [l](u) `c` *e*"),
                "cd_chip_a \\_x\\_ \\[l\\](u) \\`c\\` \\*e\\*");
    ASSERT_TEXT(md("one\r\ntwo\nthree\rfour"), "one<br>two<br>three<br>four");
    ASSERT_TEXT(md("\x1b[2J\xE2\x80\xAE" "x"), "\\x1B\\[2J\\u202Ex");
    ASSERT_TEXT(md("\xE9\x95\xBF\xE5\xAE\x89"), "\xE9\x95\xBF\xE5\xAE\x89");
}

static void test_html_text(void **state)
{
    (void)state;
    ASSERT_TEXT(html("<script>alert('x')</script> & \"q\"", 1),
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    ASSERT_TEXT(html("a\r\nb\nc", 1), "a<br>b<br>c");
    ASSERT_TEXT(html("a\r\nb\nc", 0), "a&#10;b&#10;c");
    ASSERT_TEXT(html("\x07\xE2\x81\xA7" "x", 1), "\\x07\\u2067x");
}

static void test_xml_safe(void **state)
{
    int changed;
    char *safe = cy_r_xml_safe("ok\x1f\x7f\n\r\t", &changed);
    (void)state;
    assert_string_equal(safe, "ok\xEF\xBF\xBD\xEF\xBF\xBD\n\r\t");
    assert_true(changed);
    cy_free(safe);
    safe = cy_r_xml_safe("fine", &changed);
    assert_string_equal(safe, "fine");
    assert_false(changed);
    cy_free(safe);
}

/* ---- CSV ------------------------------------------------------------------ */

static char *csv_row(int raw, const char *const *cells)
{
    memory m;
    cy_r_csv csv;
    cy_r_csv_init(&csv, memory_open(&m), raw);
    for (size_t k = 0; cells[k]; k++)
        cy_r_csv_text(&csv, cells[k]);
    cy_r_csv_real(&csv, -1.5);
    cy_r_csv_count(&csv, 7);
    cy_r_csv_integer(&csv, -3);
    cy_r_csv_real(&csv, NAN);
    cy_r_csv_row_end(&csv);
    return memory_close(&m);
}

static void test_csv(void **state)
{
    static const char *const cells[] = {
        "plain", "a,b", "say \"hi\"", "two\nlines", "=HYPERLINK(\"http://x\",\"y\")",
        "+1", "-1", "@sum", "\tt", "\rr", "'quoted", "x=1", "", NULL};
    (void)state;
    ASSERT_TEXT(csv_row(0, cells),
                "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1,'-1,'@sum,'\tt,\"'\rr\","
                "''quoted,x=1,,-1.5,7,-3,\n");
    ASSERT_TEXT(csv_row(1, cells),
                "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\","
                "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",+1,-1,@sum,\tt,\"\rr\","
                "'quoted,x=1,,-1.5,7,-3,\n");
    assert_true(cy_r_csv_needs_guard("=1"));
    assert_false(cy_r_csv_needs_guard("a=1"));
    assert_false(cy_r_csv_needs_guard(""));
}

/* ---- JSON ------------------------------------------------------------------ */

static const char *const strings[] = {
    "plain", "quote \" and \\ backslash", "control \x01\x1f and \b\f\n\r\t",
    "\xE9\x95\xBF\xE5\xAE\x89 / \x7f", "", NULL};

/* The same document through Jansson (flags) and through the writer with
 * every container in `layout`. */
static json_t *jansson_document(void)
{
    json_t *root = json_object(), *list = json_array(), *empty = json_array();
    json_object_set_new(root, "count", json_integer(42));
    json_object_set_new(root, "negative", json_integer(-7));
    json_object_set_new(root, "real", json_real(0.5));
    json_object_set_new(root, "whole", json_real(1500));
    json_object_set_new(root, "yes", json_true());
    json_object_set_new(root, "none", json_null());
    for (size_t k = 0; strings[k]; k++)
        json_array_append_new(list, json_string(strings[k]));
    json_array_append_new(list, json_object());
    json_array_append_new(list, json_pack("{s:[i, i], s:{}}", "pair", 1, 2, "obj"));
    json_object_set_new(root, "list", list);
    json_object_set_new(root, "empty", empty);
    json_object_set_new(root, "key \"odd\"\n", json_integer(1));
    return root;
}

static void writer_document(cy_r_json *w, cy_r_json_layout layout)
{
    cy_r_json_object_begin(w, layout);
    cy_r_json_member_count(w, "count", 42);
    cy_r_json_key(w, "negative");
    cy_r_json_integer(w, -7);
    cy_r_json_member_real(w, "real", 0.5);
    cy_r_json_member_real(w, "whole", 1500);
    cy_r_json_key(w, "yes");
    cy_r_json_bool(w, 1);
    cy_r_json_key(w, "none");
    cy_r_json_null(w);
    cy_r_json_key(w, "list");
    cy_r_json_array_begin(w, layout);
    for (size_t k = 0; strings[k]; k++)
        cy_r_json_string(w, strings[k]);
    cy_r_json_object_begin(w, layout);
    cy_r_json_object_end(w);
    cy_r_json_object_begin(w, layout);
    cy_r_json_key(w, "pair");
    cy_r_json_array_begin(w, layout);
    cy_r_json_count(w, 1);
    cy_r_json_count(w, 2);
    cy_r_json_array_end(w);
    cy_r_json_key(w, "obj");
    cy_r_json_object_begin(w, layout);
    cy_r_json_object_end(w);
    cy_r_json_object_end(w);
    cy_r_json_array_end(w);
    cy_r_json_key(w, "empty");
    cy_r_json_array_begin(w, layout);
    cy_r_json_array_end(w);
    cy_r_json_member_count(w, "key \"odd\"\n", 1);
    cy_r_json_object_end(w);
}

static void check_layout(cy_r_json_layout layout, size_t flags)
{
    json_t *doc = jansson_document();
    char *expected = json_dumps(doc, flags | JSON_PRESERVE_ORDER), *text;
    memory m;
    cy_error err;
    cy_r_json *w;
    cy_error_init(&err);
    w = cy_r_json_open(memory_open(&m), "test", &err);
    assert_non_null(w);
    writer_document(w, layout);
    assert_int_equal(cy_r_json_close(w, "test", &err), CY_OK);
    text = memory_close(&m);
    assert_string_equal(text, expected);
    free(text);
    free(expected);
    json_decref(doc);
    cy_error_destroy(&err);
}

static void test_json_like_jansson(void **state)
{
    (void)state;
    check_layout(CY_R_JSON_INLINE, 0);
    check_layout(CY_R_JSON_LINES, JSON_INDENT(2));
}

/* A string longer than the writer's buffer goes out in one piece. */
static void test_json_long_string(void **state)
{
    size_t length = 200000;
    char *big = malloc(length + 1), *text;
    memory m;
    cy_error err;
    cy_r_json *w;
    (void)state;
    memset(big, 'x', length);
    big[length] = '\0';
    big[1000] = '"';
    cy_error_init(&err);
    w = cy_r_json_open(memory_open(&m), "test", &err);
    cy_r_json_array_begin(w, CY_R_JSON_INLINE);
    cy_r_json_string(w, "a");
    cy_r_json_string(w, big);
    cy_r_json_array_end(w);
    assert_int_equal(cy_r_json_close(w, "test", &err), CY_OK);
    text = memory_close(&m);
    assert_int_equal(strlen(text), length + 10);
    assert_true(strncmp(text, "[\"a\", \"xx", 9) == 0);
    assert_non_null(strstr(text, "x\\\"x"));
    free(text);
    free(big);
    cy_error_destroy(&err);
}

/* Unbalanced use is an internal error, not a silently broken document. */
static void test_json_misuse(void **state)
{
    memory m;
    cy_error err;
    cy_r_json *w;
    (void)state;
    cy_error_init(&err);
    w = cy_r_json_open(memory_open(&m), "test", &err);
    cy_r_json_object_begin(w, CY_R_JSON_INLINE);
    cy_r_json_array_end(w);
    assert_int_equal(cy_r_json_close(w, "test", &err), CY_EINTERNAL);
    free(memory_close(&m));
    w = cy_r_json_open(memory_open(&m), "test", &err);
    cy_r_json_array_begin(w, CY_R_JSON_INLINE);
    assert_int_equal(cy_r_json_close(w, "test", &err), CY_EINTERNAL);
    free(memory_close(&m));
    cy_error_destroy(&err);
}

static void test_json_write_error(void **state)
{
    FILE *full = fopen("/dev/full", "w");
    cy_error err;
    cy_r_json *w;
    (void)state;
    if (!full)
        skip();
    setvbuf(full, NULL, _IONBF, 0);
    cy_error_init(&err);
    w = cy_r_json_open(full, "document", &err);
    cy_r_json_array_begin(w, CY_R_JSON_INLINE);
    cy_r_json_array_end(w);
    assert_int_equal(cy_r_json_close(w, "document", &err), CY_EIO);
    assert_string_equal(err.items[0].message, "writing the document failed");
    fclose(full);
    cy_error_destroy(&err);
}

/* ---- failures ------------------------------------------------------------- */

static void test_allocation_failures(void **state)
{
    cy_error err;
    cy_r_buf buf;
    int changed;
    (void)state;
    cy_error_init(&err);
    /* Only the next allocation fails: the diagnostic itself is stored. */
    cy_alloc_fail_after(0, 0);
    assert_null(cy_r_json_open(stdout, "report", &err));
    assert_string_equal(err.items[0].message, "out of memory writing the report");
    cy_r_buf_init(&buf);
    cy_alloc_fail_after(0, 0);
    cy_r_buf_puts(&buf, "x");
    cy_r_buf_puts(&buf, "y"); /* ignored after the failure */
    assert_true(buf.oom);
    assert_null(cy_r_buf_take(&buf));
    cy_alloc_fail_after(0, 1);
    assert_null(cy_r_xml_safe("x\x01", &changed));
    cy_r_buf_free(&buf);
    cy_alloc_fail_after(0, 0);
    cy_r_buf_list_item(&buf, "a;b", 1);
    assert_true(buf.oom);
    cy_r_buf_free(&buf);
    cy_alloc_fail_after(-1, 0);
    cy_error_destroy(&err);
}

/* A list in one string: ';' between elements, ';' and '\\' inside one
 * escaped, so that splitting at unescaped ';' gives the elements back. */
static void test_list_items(void **state)
{
    cy_r_buf buf;
    (void)state;
    cy_r_buf_init(&buf);
    cy_r_buf_list_item(&buf, "a;b", 1);
    cy_r_buf_list_item(&buf, "c\\", 0);
    cy_r_buf_list_item(&buf, "", 0);
    cy_r_buf_list_item(&buf, "d", 0);
    assert_string_equal(cy_r_buf_str(&buf), "a\\;b;c\\\\;;d");
    cy_r_buf_free(&buf);
}

static void test_formats(void **state)
{
    cy_write_options options;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    cy_write_options_init(&options, CY_FORMAT_HTML);
    assert_int_equal(cy_resilience_write(NULL, NULL, &options, stdout, &err), CY_EUSAGE);
    assert_string_equal(err.items[0].message, "the robustness curve has no html format");
    assert_string_equal(cy_format_name(CY_FORMAT_MD), "md");
    assert_string_equal(cy_format_name((cy_format)99), "unknown");
    cy_error_destroy(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_hand_checked),
        cmocka_unit_test(test_real_against_jansson),
        cmocka_unit_test(test_amounts),
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_utf8_next),
        cmocka_unit_test(test_terminal_text),
        cmocka_unit_test(test_term_columns),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_xml_safe),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json_like_jansson),
        cmocka_unit_test(test_json_long_string),
        cmocka_unit_test(test_json_misuse),
        cmocka_unit_test(test_json_write_error),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_list_items),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
