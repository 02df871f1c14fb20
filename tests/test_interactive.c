/*
 * test_interactive.c - the interactive pages' shared parts and
 * `render --format html`: JSON data that no string can break out of (read
 * back with Jansson), the page's pieces, the weak-link report's
 * interactive figure, and every allocation failure.
 * The page in a browser: tests/cli/test_interactive.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "interactive.h"
#include "chengyu_test.h"
#include "helpers.h"

static const char hostile[] = "</script><!-- \xE2\x80\xA8 \xE2\x80\xA9 & > '\" </SCRIPT";

static void test_data_escaped(void **state)
{
    static const char open[] = "<script type=\"application/json\" id=\"cy-data-7\">";
    json_t *doc = json_pack("{s:s, s:[s]}", "name", hostile, hostile, "x");
    char *data = NULL, *body, *end;
    size_t size = 0;
    FILE *f = open_memstream(&data, &size);
    json_t *back;
    (void)state;
    assert_non_null(doc);
    assert_int_equal(cy_interactive_data(f, 7, doc), CY_OK);
    fclose(f);
    assert_memory_equal(data, open, sizeof open - 1);
    body = data + sizeof open - 1;
    end = strstr(body, "</script>\n");
    assert_non_null(end);
    assert_string_equal(end, "</script>\n"); /* the only closing tag is ours */
    *end = '\0';
    assert_null(strchr(body, '<'));
    assert_null(strchr(body, '>'));
    assert_null(strchr(body, '&'));
    for (const unsigned char *p = (const unsigned char *)body; *p; p++)
        assert_true(*p < 0x80); /* U+2028 and U+2029 among the escaped */
    back = json_loads(body, 0, NULL);
    assert_non_null(back);
    assert_true(json_equal(back, doc));
    json_decref(back);
    json_decref(doc);
    free(data);
}

/* The page of graphs/render-small.json, laid out in a child process as
 * every render is (Graphviz's fonts stay out of this one). */
static cy_status page(const cy_network *net, char **data, cy_error *err)
{
    cy_render_options opt;
    size_t size = 0;
    FILE *f = open_memstream(data, &size);
    cy_status status;
    cy_render_options_init(&opt);
    status = cy_render(net, &opt, CY_RENDER_HTML, f, NULL, err);
    fclose(f);
    return status;
}

static void test_page(void **state)
{
    cy_network *net = load_graph("render-small.json");
    cy_error err;
    char *data = NULL;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(page(net, &data, &err), CY_OK);
    assert_non_null(strstr(data, "<meta http-equiv=\"Content-Security-Policy\" "
                                 "content=\"default-src 'none'; script-src 'sha256-"));
    assert_non_null(strstr(data, cy_asset_interactive_js_sha256));
    assert_non_null(strstr(data, "<div class=\"cy-net\" data-cy=\"0\">\n<svg"));
    /* s1 (enterprise 2) supplies oem1 and oem2 (f0, f1); m1 (f5) supplies it */
    assert_non_null(strstr(data, "\"f2\":{\"id\":\"s1\",\"name\":\"Seat maker\","
                                 "\"lines\":[\"supplier\",\"tier 1\",\"park: Park One\","
                                 "\"output: \\u00A5100/yr\"],\"down\":[\"f0\",\"f1\"],"
                                 "\"up\":[\"f5\"]}"));
    assert_null(strstr(data, "<?xml"));
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/*
 * Every allocation failure while planning and writing the page.  The SVG is
 * a fixed one: laying out again and again in one process trips a Graphviz
 * bug (its pango plugin compares against a font name freed with the last
 * graph), and a real render lays out in a child process of its own.
 */
static void test_page_alloc(void **state)
{
    static const char svg[] = "<?xml version=\"1.0\"?>\n<svg viewBox=\"0 0 10 10\">"
                              "<g class=\"node\"><title>f2</title></g></svg>\n";
    cy_network *net = load_graph("render-small.json");
    cy_render_options opt;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    cy_render_options_init(&opt);
    for (long n = 0;; n++) {
        cy_r_plan plan;
        char *data = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&data, &size);
        cy_status status;
        long made;
        cy_error_clear(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_r_plan_make(net, &opt, &plan, &err);
        if (status == CY_OK)
            status = cy_r_write_html(net, &plan, svg, sizeof svg - 1, f, &err);
        made = cy_alloc_count();
        cy_alloc_fail_after(-1, 0);
        cy_r_plan_destroy(&plan);
        fclose(f);
        if (status == CY_OK)
            assert_non_null(strstr(data, "<svg viewBox=\"0 0 10 10\">"));
        else if (status != CY_ENOMEM)
            fail_msg("allocation %ld: status %s", n, cy_status_string(status));
        free(data);
        if (status == CY_OK && made <= n)
            break;
    }
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* The weak-link report of `net` (into *report) as an HTML page with
 * `figure`, whose data become the diagram's page data (json_decref them). */
static char *report_page(const cy_network *net, cy_weaklinks **report,
                         cy_report_figure *figure)
{
    cy_render_options opt;
    json_t *data = NULL;
    cy_error err;
    char *page = NULL;
    size_t size = 0;
    FILE *f;
    cy_error_init(&err);
    cy_render_options_init(&opt);
    assert_int_equal(cy_weaklinks_compute(net, NULL, report, &err), CY_OK);
    assert_int_equal(cy_render_page_data(net, &opt, &data, &err), CY_OK);
    figure->data = data;
    f = open_memstream(&page, &size);
    assert_int_equal(cy_weaklinks_write_html(net, *report, 0, figure, 1, f, &err), CY_OK);
    fclose(f);
    cy_error_destroy(&err);
    return page;
}

/*
 * A line break inside an id stays a line break in the panel's row ("\n"
 * in the page's JSON, shown by white-space: pre-line), as the register
 * table shows <br>, "\r\n" and "\r" included; a hostile code point next
 * to it is still shown escaped.
 */
static void test_panel_line_breaks(void **state)
{
    static const char text[] =
        "{\"format\":\"chengyu/1\",\"name\":\"t\",\"enterprises\":["
        "{\"id\":\"line1\\nline2\\r\\nline3\\rx\\u202e\",\"kind\":\"oem\",\"output_value\":5},"
        "{\"id\":\"s\",\"kind\":\"supplier\"}],\"links\":["
        "{\"from\":\"s\",\"to\":\"line1\\nline2\\r\\nline3\\rx\\u202e\",\"part\":\"p\",\"volume\":1}]}";
    static const char svg[] = "<svg viewBox=\"0 0 10 10\"></svg>\n";
    cy_report_figure figure = {"Diagram", NULL, svg, sizeof svg - 1, NULL};
    cy_network *net = NULL;
    cy_weaklinks *report = NULL;
    cy_error err;
    char *page;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "t", &net, &err), CY_OK);
    cy_error_destroy(&err);
    page = report_page(net, &report, &figure);
    assert_non_null(strstr(page, "stops line1\\nline2\\nline3\\nx\\\\u202E"));
    free(page);
    json_decref((json_t *)figure.data);
    cy_weaklinks_free(report);
    cy_network_free(net);
}

/*
 * The weak-link report's interactive figure: the nodes' data of the
 * diagram of graphs/weaklinks.json (bat1 = f2 is supplied by cell1 = f6
 * and supplies oem1 and oem2 = f0, f1), each firm with its row of the
 * register as the table shows it (bat1 is 4th: its failure stops oem2,
 * final demand 500), a firm outside the register with an empty row; then
 * every allocation failure of the page.
 */
static void test_report_figure(void **state)
{
    static const char svg[] = "<svg viewBox=\"0 0 10 10\"><g class=\"node\"><title>f2</title>"
                              "</g></svg>\n";
    cy_network *net = load_graph("weaklinks.json");
    cy_weaklinks *report = NULL;
    cy_report_figure figure = {"Diagram", NULL, svg, sizeof svg - 1, NULL};
    cy_error err;
    char *page;
    size_t size = 0;
    FILE *f;
    long n;
    (void)state;
    cy_error_init(&err);
    page = report_page(net, &report, &figure);
    assert_non_null(strstr(page, "<div class=\"cy-net\" data-cy=\"1\">\n<svg"));
    assert_non_null(strstr(page, "\"f2\":{\"id\":\"bat1\""));
    assert_non_null(strstr(page, "\"down\":[\"f0\",\"f1\"],\"up\":[\"f6\"],"
                                 "\"row\":[[\"#\",\"4\"],[\"firm\",\"bat1\"],"
                                 "[\"region\",\"chengdu\"],[\"roles\",\"sole supplier of 1 pair; "
                                 "stops oem2; articulation point; 1 bridge\"],"
                                 "[\"final demand lost\",\"\\u00A5500\"]"));
    assert_non_null(strstr(page, "\"f0\":{\"id\":\"oem1\""));
    assert_non_null(strstr(strstr(page, "\"f0\":{\"id\":\"oem1\""), "\"row\":[]}"));
    assert_non_null(strstr(page, "\"labels\":{\"search\":"));
    free(page);
    for (n = 0;; n++) {
        cy_status status;
        long made;
        page = NULL;
        f = open_memstream(&page, &size);
        cy_error_clear(&err);
        cy_alloc_fail_after(n, 0);
        status = cy_weaklinks_write_html(net, report, 0, &figure, 1, f, &err);
        made = cy_alloc_count();
        cy_alloc_fail_after(-1, 0);
        fclose(f);
        free(page);
        if (status != CY_OK && status != CY_ENOMEM)
            fail_msg("allocation %ld: status %s", n, cy_status_string(status));
        if (status == CY_OK && made <= n)
            break;
    }
    assert_true(n > 20);
    json_decref((json_t *)figure.data);
    cy_weaklinks_free(report);
    cy_error_destroy(&err);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_data_escaped),
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_page_alloc),
        cmocka_unit_test(test_report_figure),
        cmocka_unit_test(test_panel_line_breaks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
