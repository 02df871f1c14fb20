/*
 * test_plot.c - robustness plots (render/plot.c): the format from the
 * extension, a complete SVG document and a PNG of the promised size in
 * memory, atomic files, and the argument checks.  The pictures themselves
 * were looked at (docs/analyses.md, "Robustness plots").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chengyu.h"
#include "chengyu_test.h"
#include "helpers.h"
#include "plot.h"

typedef struct {
    cy_network *net;
    cy_resilience_curve curves[2];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cy_resilience_params params;
    cy_error err;

    if (!f)
        return -1;
    f->net = load_graph("cascade-battery.json");
    cy_error_init(&err);
    cy_resilience_params_init(&params);
    if (cy_resilience_run(f->net, &params, &f->curves[0], &err) != CY_OK)
        return -1;
    params.attack = CY_ATTACK_DEGREE;
    params.metric = CY_METRIC_LCC;
    if (cy_resilience_run(f->net, &params, &f->curves[1], &err) != CY_OK)
        return -1;
    cy_error_destroy(&err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cy_resilience_curve_destroy(&f->curves[0]);
    cy_resilience_curve_destroy(&f->curves[1]);
    cy_network_free(f->net);
    free(f);
    return 0;
}

static void test_format_from_path(void **state)
{
    cy_plot_format format = CY_PLOT_PNG;
    (void)state;
    assert_true(cy_plot_format_from_path("out/plot.svg", &format));
    assert_int_equal(format, CY_PLOT_SVG);
    assert_true(cy_plot_format_from_path("PLOT.PNG", &format));
    assert_int_equal(format, CY_PLOT_PNG);
    assert_false(cy_plot_format_from_path("plot.pdf", &format));
    assert_false(cy_plot_format_from_path("plot", &format));
    assert_false(cy_plot_format_from_path("dir.svg/plot", &format));
}

/* Big-endian 32-bit integer at p. */
static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
           (unsigned long)p[2] << 8 | p[3];
}

static void test_png_in_memory(void **state)
{
    fixture *f = *state;
    unsigned char *data;
    size_t size;
    cy_error err;
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    cy_error_init(&err);
    assert_int_equal(cy_plot_resilience(f->curves, 2, NULL, CY_PLOT_PNG, &data, &size, &err),
                     CY_OK);
    assert_true(size > 1000);
    assert_memory_equal(data, signature, 8);
    assert_memory_equal(data + 12, "IHDR", 4);
    /* Drawn at scale 2: 1600 x 1000 pixels for the default 800 x 500. */
    assert_int_equal(be32(data + 16), 2 * CY_PLOT_DEFAULT_WIDTH);
    assert_int_equal(be32(data + 20), 2 * CY_PLOT_DEFAULT_HEIGHT);
    assert_memory_equal(data + size - 8, "IEND", 4);
    cy_free(data);
    cy_error_destroy(&err);
}

static void test_svg_in_memory(void **state)
{
    fixture *f = *state;
    cy_plot_options options = {"成渝 robustness & <resilience>", NULL, "net", 640, 400};
    unsigned char *data;
    size_t size;
    char *text;
    cy_error err;

    cy_error_init(&err);
    assert_int_equal(cy_plot_resilience(f->curves, 2, &options, CY_PLOT_SVG, &data, &size,
                                        &err), CY_OK);
    text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    assert_non_null(strstr(text, "<svg"));
    /* The root element is 640 x 400 CSS pixels. */
    assert_non_null(strstr(text, "width=\"640px\" height=\"400px\" viewBox=\"0 0 640 400\""));
    assert_non_null(strstr(text, "</svg>"));
    /* Text is drawn as glyph outlines: the title cannot inject markup. */
    assert_null(strstr(text, "<resilience>"));
    free(text);
    cy_free(data);
    cy_error_destroy(&err);
}

static void test_file_and_errors(void **state)
{
    fixture *f = *state;
    char path[1024], bad[1024];
    unsigned char head[8];
    unsigned char *data = NULL;
    size_t size = 0;
    cy_plot_options tiny = {NULL, NULL, NULL, 100, 100};
    FILE *in;
    cy_error err;

    snprintf(path, sizeof path, "%s/test_plot_out.png", CY_BINARY_DIR);
    snprintf(bad, sizeof bad, "%s/test_plot_out.pdf", CY_BINARY_DIR);
    cy_error_init(&err);
    assert_int_equal(cy_plot_resilience_file(path, NULL, f->curves, 1, NULL, &err), CY_OK);
    in = fopen(path, "rb");
    assert_non_null(in);
    assert_int_equal(fread(head, 1, 8, in), 8);
    fclose(in);
    assert_memory_equal(head, "\x89PNG", 4);
    remove(path);
    assert_int_equal(cy_plot_resilience_file(bad, NULL, f->curves, 1, NULL, &err), CY_EUSAGE);
    assert_int_equal(cy_plot_resilience(f->curves, 0, NULL, CY_PLOT_SVG, &data, &size, &err),
                     CY_EUSAGE);
    assert_int_equal(cy_plot_resilience(f->curves, 1, &tiny, CY_PLOT_SVG, &data, &size, &err),
                     CY_EUSAGE);
    assert_null(data);
    assert_int_equal(size, 0);
    cy_error_destroy(&err);
}

/* An empty network has no points: the plot still has axes and a note. */
static void test_empty_curve(void **state)
{
    cy_resilience_curve empty;
    unsigned char *data;
    size_t size;
    cy_error err;
    (void)state;
    memset(&empty, 0, sizeof empty);
    empty.metric = CY_METRIC_BOTH;
    empty.critical_fraction = NAN;
    cy_error_init(&err);
    assert_int_equal(cy_plot_resilience(&empty, 1, NULL, CY_PLOT_SVG, &data, &size, &err),
                     CY_OK);
    assert_true(size > 100);
    cy_free(data);
    cy_error_destroy(&err);
}

/* Every allocation of ours failing in turn: a clean CY_ENOMEM, no data. */
static void test_allocation_failures(void **state)
{
    fixture *f = *state;
    for (int format = CY_PLOT_SVG; format <= CY_PLOT_PNG; format++) {
        long n;
        for (n = 0;; n++) {
            unsigned char *data = NULL;
            size_t size = 0;
            cy_error err;
            cy_status status;
            cy_error_init(&err);
            cy_alloc_fail_after(n, 0);
            status = cy_plot_resilience(f->curves, 2, NULL, (cy_plot_format)format, &data,
                                        &size, &err);
            cy_alloc_fail_after(-1, 0);
            cy_error_destroy(&err);
            if (status == CY_OK) {
                cy_free(data);
                break;
            }
            assert_int_equal(status, CY_ENOMEM);
            assert_null(data);
        }
        assert_true(n >= 2); /* the legend and at least one buffer growth */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_from_path),
        cmocka_unit_test(test_png_in_memory),
        cmocka_unit_test(test_svg_in_memory),
        cmocka_unit_test(test_file_and_errors),
        cmocka_unit_test(test_empty_curve),
        cmocka_unit_test(test_allocation_failures),
    };
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    cy_plot_shutdown(); /* so that the sanitizer's leak check sees nothing */
    return failed;
}
