/*
 * test_structure.c - articulation points and bridges on the hand-checked
 * graphs/structure.json (answers explained in graphs/README.md).  The
 * comparison with NetworkX on generated networks is
 * tests/cli/test_structure_networkx.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "chengyu.h"
#include "helpers.h"

static int setup(void **state)
{
    *state = load_graph("structure.json");
    return 0;
}

static int teardown(void **state)
{
    cy_network_free(*state);
    return 0;
}

static void test_articulation_points_and_bridges(void **state)
{
    cy_network *net = *state;
    cy_structure s;
    cy_error err;
    static const char *const points[] = {"a1", "a2", "b1", "b3", "hub"};
    static const char *const bridges[][2] = {
        {"a1", "hub"}, {"b3", "m"}, {"hub", "b1"}, {"l", "a2"}};

    cy_error_init(&err);
    assert_int_equal(cy_structure_compute(net, &s, &err), CY_OK);
    assert_int_equal(s.articulation_point_count, 5);
    for (size_t k = 0; k < 5; k++)
        assert_string_equal(cy_enterprise_id(net, s.articulation_points[k]), points[k]);
    assert_int_equal(s.bridge_count, 4);
    for (size_t k = 0; k < 4; k++) {
        assert_string_equal(cy_enterprise_id(net, s.bridges[k].from), bridges[k][0]);
        assert_string_equal(cy_enterprise_id(net, s.bridges[k].to), bridges[k][1]);
    }
    cy_structure_destroy(&s);
    cy_error_destroy(&err);
}

/* An empty network has no weak points (and must not trip igraph). */
static void test_empty(void **state)
{
    static const char text[] =
        "{\"format\": \"chengyu/1\", \"name\": \"empty\", \"enterprises\": [], \"links\": []}";
    cy_network *net = NULL;
    cy_structure s;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, sizeof text - 1, "empty", &net, &err), CY_OK);
    assert_int_equal(cy_structure_compute(net, &s, &err), CY_OK);
    assert_int_equal(s.articulation_point_count, 0);
    assert_int_equal(s.bridge_count, 0);
    cy_structure_destroy(&s);
    cy_network_free(net);
    cy_error_destroy(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_articulation_points_and_bridges, setup, teardown),
        cmocka_unit_test(test_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
