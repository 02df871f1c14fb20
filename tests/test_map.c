/*
 * test_map.c - the map view and its GeoJSON boundaries: what a boundaries
 * file holds after reading (rings, holes, positions, names), every refusal
 * with its JSON path, the positions the map gives firms and parks (own
 * location, spread around the park, pushed-apart park circles, firms
 * without a place left out and named), and allocation failures in both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render_internal.h"
#include "chengyu_test.h"
#include "helpers.h"

/* ---- boundaries ------------------------------------------------------- */

static const char two_features[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    " {\"type\": \"Feature\", \"properties\": {\"name\": \"A\"}, \"geometry\":"
    "  {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},"
    " {\"type\": \"Feature\", \"properties\": {\"name\": 7}, \"geometry\": null},"
    " {\"type\": \"Feature\", \"properties\": {\"name\": \"B\"}, \"geometry\":"
    "  {\"type\": \"MultiPolygon\", \"coordinates\": ["
    "   [[[2,0],[3,0],[3,1],[2,0]], [[2.1,0.1],[2.2,0.1],[2.2,0.2],[2.1,0.1]]],"
    "   [[[4,0],[5,0],[5,1,100],[4,0]]]]}}]}";

static void test_boundaries_read(void **state)
{
    cy_boundaries *b = NULL;
    const double *lon, *lat;
    const char *name;
    int hole;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_boundaries_parse(two_features, sizeof two_features - 1, &b, &err),
                     CY_OK);
    assert_int_equal(cy_boundaries_ring_count(b), 4);
    assert_int_equal(cy_boundaries_point_count(b), 5 + 4 + 4 + 4);
    assert_int_equal(cy_r_boundaries_ring(b, 0, &lon, &lat, &hole, &name), 5);
    assert_false(hole);
    assert_string_equal(name, "A");
    assert_close(lon[2], 1, 0);
    assert_close(lat[3], 1, 0);
    assert_int_equal(cy_r_boundaries_ring(b, 1, &lon, &lat, &hole, &name), 4);
    assert_false(hole);
    assert_string_equal(name, "B");
    assert_int_equal(cy_r_boundaries_feature(b, 1), 2); /* the null feature is 1 */
    assert_int_equal(cy_r_boundaries_ring(b, 2, &lon, &lat, &hole, &name), 4);
    assert_true(hole);
    assert_close(lon[1], 2.2, 0);
    assert_int_equal(cy_r_boundaries_ring(b, 3, &lon, &lat, &hole, &name), 4);
    assert_false(hole); /* the second polygon's outer ring */
    assert_close(lon[2], 5, 0); /* the elevation is ignored */
    assert_close(lat[2], 1, 0);
    cy_boundaries_free(b);
    /* A bare geometry has one unnamed feature. */
    {
        const char *bare = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}";
        assert_int_equal(cy_boundaries_parse(bare, strlen(bare), &b, &err), CY_OK);
    }
    assert_int_equal(cy_r_boundaries_ring(b, 0, &lon, &lat, &hole, &name), 4);
    assert_null(name);
    cy_boundaries_free(b);
    assert_int_equal(err.count, 0);
    cy_error_destroy(&err);
}

typedef struct {
    const char *text;
    const char *path;     /* NULL: no path (a parse error) */
    const char *message;  /* a part of it */
} refusal;

static const refusal refusals[] = {
    {"[]", "$", "expected a GeoJSON object with a \"type\", found an array"},
    {"{\"type\": 3}", "$", "found an object without one"},
    {"{\"type\": \"FeatureCollection\"}", "$.features", "expected an array of features, found nothing"},
    {"{\"type\": \"FeatureCollection\", \"features\": [1]}", "$.features[0]",
     "expected a Feature object, found a number"},
    {"{\"type\": \"Feature\", \"geometry\": 1}", "$.geometry", "expected a geometry object"},
    {"{\"type\": \"Feature\", \"geometry\": {\"coordinates\": []}}", "$.geometry.type",
     "expected the geometry type, a string, found nothing"},
    {"{\"type\": \"LineString\", \"coordinates\": [[0,0],[1,1]]}", "$.type",
     "unsupported geometry type \"LineString\""},
    {"{\"type\": \"Polygon\", \"coordinates\": []}", "$.coordinates",
     "found an empty array"},
    {"{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[0,0]]]}", "$.coordinates[0]",
     "at least 4 positions"},
    {"{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,true],[0,0]]]}",
     "$.coordinates[0][2]", "expected a position"},
    {"{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,91],[0,0]]]}",
     "$.coordinates[0][2]", "out of range"},
    {"{\"type\": \"MultiPolygon\", \"coordinates\": [[[[0,0],[1,0],[1,1],[0,0]]], 5]}",
     "$.coordinates[1]", "expected a Polygon's rings"},
    {"{\"type\": \"MultiPolygon\", \"coordinates\": {}}", "$.coordinates",
     "expected a MultiPolygon's polygons (an array), found an object"},
    {"{\"type\": \"Polygon\", \"type\": \"Polygon\"}", NULL, "duplicate"},
    {"{\"type\": \"Polygon\", \"coordinates\": [[[0,0],", NULL, "boundaries:"},
};

static void test_boundaries_refused(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof refusals / sizeof refusals[0]; k++) {
        const refusal *r = &refusals[k];
        cy_boundaries *b = (cy_boundaries *)1;
        cy_error err;
        cy_error_init(&err);
        assert_int_equal(cy_boundaries_parse(r->text, strlen(r->text), &b, &err), CY_EINPUT);
        assert_null(b);
        assert_int_equal(err.error_count, 1);
        if (!strstr(err.items[0].message, r->message) ||
            (r->path && (!err.items[0].path || strcmp(err.items[0].path, r->path) != 0)))
            fail_msg("%s: got path %s, message '%s'", r->text,
                     err.items[0].path ? err.items[0].path : "(none)", err.items[0].message);
        cy_error_destroy(&err);
    }
}

/* The limits: one position too many, and nesting beyond Jansson's. */
static void test_boundaries_limits(void **state)
{
    size_t n = CY_BOUNDARIES_MAX_POINTS + 1, len = 0;
    char *text = malloc(n * 24 + 64);
    cy_boundaries *b = NULL;
    cy_error err;
    (void)state;
    assert_non_null(text);
    len += (size_t)sprintf(text, "{\"type\":\"Polygon\",\"coordinates\":[[");
    for (size_t k = 0; k < n; k++)
        len += (size_t)sprintf(text + len, "%s[%zu.5,1]", k ? "," : "", k % 100);
    len += (size_t)sprintf(text + len, "]]}");
    cy_error_init(&err);
    assert_int_equal(cy_boundaries_parse(text, len, &b, &err), CY_EINPUT);
    assert_non_null(strstr(err.items[0].message, "more than 200000 positions"));
    assert_string_equal(err.items[0].path, "$.coordinates[0][200000]");
    cy_error_destroy(&err);
    /* One fewer is read. */
    len = (size_t)(strrchr(text, '[') - text) - 1;
    memcpy(text + len, "]]}", 4);
    cy_error_init(&err);
    assert_int_equal(cy_boundaries_parse(text, len + 3, &b, &err), CY_OK);
    assert_int_equal(cy_boundaries_point_count(b), CY_BOUNDARIES_MAX_POINTS);
    cy_boundaries_free(b);
    cy_error_destroy(&err);
    /* Deep nesting. */
    memset(text, '[', 100000);
    cy_error_init(&err);
    assert_int_equal(cy_boundaries_parse(text, 100000, &b, &err), CY_EINPUT);
    assert_non_null(strstr(err.items[0].message, "nesting deeper"));
    cy_error_destroy(&err);
    free(text);
}

static void test_boundaries_alloc(void **state)
{
    (void)state;
    for (long n = 0;; n++) {
        cy_boundaries *b = NULL;
        cy_error err;
        cy_status status;
        long made;
        cy_error_init(&err);
        cy_alloc_fail_after(n, 1);
        status = cy_boundaries_parse(two_features, sizeof two_features - 1, &b, &err);
        made = cy_alloc_count();
        cy_alloc_fail_after(-1, 0);
        if (status == CY_OK) {
            assert_int_equal(cy_boundaries_ring_count(b), 4);
            cy_boundaries_free(b);
            cy_error_destroy(&err);
            if (made <= n)
                break;
            continue;
        }
        assert_int_equal(status, CY_ENOMEM);
        assert_null(b);
        assert_true(err.oom || strstr(err.items[0].message, "out of memory"));
        cy_error_destroy(&err);
    }
}

/* ---- the map ------------------------------------------------------------ */

/* Park P (two firms, no own location) at 104 E, park Q (one firm) at
 * 106 E; firm "own" at its own location, 105 E; "lost" has neither. */
static const char small_map[] =
    "{\"format\": \"chengyu/1\", \"name\": \"m\","
    " \"regions\": [{\"id\": \"r\", \"name\": \"R\"}],"
    " \"parks\": [{\"id\": \"P\", \"name\": \"Park P\", \"region\": \"r\", \"location\": [104, 30]},"
    "  {\"id\": \"Q\", \"name\": \"Park Q\", \"region\": \"r\", \"location\": [106, 30]}],"
    " \"enterprises\": ["
    "  {\"id\": \"a\", \"kind\": \"supplier\", \"park\": \"P\", \"output_value\": 100, \"produces\": [\"x\"]},"
    "  {\"id\": \"b\", \"kind\": \"supplier\", \"park\": \"P\", \"output_value\": 50, \"produces\": [\"y\"]},"
    "  {\"id\": \"c\", \"kind\": \"oem\", \"park\": \"Q\", \"output_value\": 400, \"produces\": [\"car\"]},"
    "  {\"id\": \"own\", \"kind\": \"supplier\", \"park\": \"P\", \"location\": [105, 31], \"produces\": [\"z\"]},"
    "  {\"id\": \"lost\", \"kind\": \"material\", \"produces\": [\"w\"]}],"
    " \"links\": [{\"from\": \"a\", \"to\": \"c\", \"part\": \"x\", \"volume\": 10},"
    "  {\"from\": \"b\", \"to\": \"c\", \"part\": \"y\", \"volume\": 5},"
    "  {\"from\": \"own\", \"to\": \"c\", \"part\": \"z\", \"volume\": 1},"
    "  {\"from\": \"lost\", \"to\": \"a\", \"part\": \"w\", \"volume\": 1}]}";

static cy_network *load_small(void)
{
    cy_network *net = NULL;
    cy_error err;
    cy_error_init(&err);
    if (cy_network_load_buffer(small_map, sizeof small_map - 1, "small", &net, &err) != CY_OK)
        fail_msg("small map: %s", err.count ? err.items[0].message : "?");
    cy_error_destroy(&err);
    return net;
}

/* Position of node `name` in laid-out DOT: "pos" attribute, x,y. */
static int node_pos(Agraph_t *g, const char *name, double *x, double *y)
{
    Agnode_t *n = agnode(g, (char *)name, 0);
    char *pos = n ? agget(n, "pos") : NULL;
    return pos && sscanf(pos, "%lf,%lf", x, y) == 2;
}

static void test_map_positions(void **state)
{
    cy_network *net = load_small();
    cy_render_options opt;
    cy_r_plan plan;
    Agraph_t *g = NULL;
    cy_error err;
    double ax, ay, bx, by, cx, cy, ox, oy, px, py, qx, qy;
    (void)state;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_MAP;
    cy_error_init(&err);
    assert_int_equal(cy_r_plan_make(net, &opt, &plan, &err), CY_OK);
    assert_string_equal(plan.layout, "nop2");
    assert_int_equal(plan.node_count, 4); /* "lost" is left out ... */
    assert_int_equal(plan.firm_node[4], -1);
    assert_non_null(strstr(plan.note, "1 firm has no location and no park with one and "
                                      "is not drawn: lost."));
    assert_int_equal(plan.edge_count, 3); /* ... with its link */
    assert_int_equal(cy_r_build_map(net, &plan, &opt, &g, &err), CY_OK);
    assert_true(node_pos(g, "f0", &ax, &ay) && node_pos(g, "f1", &bx, &by) &&
                node_pos(g, "f2", &cx, &cy) && node_pos(g, "f3", &ox, &oy) &&
                node_pos(g, "p0", &px, &py) && node_pos(g, "p1", &qx, &qy));
    /* West to east: park P's firms, "own" (105 E), park Q's firm (106 E),
     * at the projected distances: 1 degree of longitude is cos(30.5 deg)
     * of one of latitude (the mid latitude of 30 and 31). */
    assert_true(ax < ox && bx < ox && ox < cx);
    assert_close((cx - ox) / (oy - cy), cos(30.5 * 3.14159265358979323846 / 180), 1e-3);
    /* The biggest of P's firms sits at P's centre, the other next to it,
     * not on top of it. */
    assert_true(hypot(ax - bx, ay - by) > 15);
    /* Park labels above their parks, Q's label straight above c. */
    assert_close(qx, cx, 0.01);
    assert_true(qy > cy && py > ay);
    agclose(g);
    cy_r_plan_destroy(&plan);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* Two parks at one place: their circles are pushed apart and the legend
 * says by how much. */
static void test_map_overlap(void **state)
{
    cy_network *net = NULL;
    cy_render_options opt;
    cy_r_plan plan;
    Agraph_t *g = NULL;
    cy_error err;
    double px, py, qx, qy, ax, ay, cx, cy;
    char *copy = strdup(small_map), *p = strstr(copy, "[106, 30]");
    (void)state;
    memcpy(p, "[104, 30]", 9);
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(copy, strlen(copy), "o", &net, &err), CY_OK);
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_MAP;
    assert_int_equal(cy_r_plan_make(net, &opt, &plan, &err), CY_OK);
    assert_int_equal(cy_r_build_map(net, &plan, &opt, &g, &err), CY_OK);
    assert_true(node_pos(g, "p0", &px, &py) && node_pos(g, "p1", &qx, &qy) &&
                node_pos(g, "f0", &ax, &ay) && node_pos(g, "f2", &cx, &cy));
    assert_true(qx - px > 20);         /* split along x */
    assert_true(ax < cx);
    assert_non_null(strstr(agget(g, "label"), "pushed apart"));
    agclose(g);
    cy_r_plan_destroy(&plan);
    cy_error_destroy(&err);
    cy_network_free(net);
    free(copy);
}

static void test_map_alloc(void **state)
{
    cy_network *net = load_small();
    cy_boundaries *b = NULL;
    cy_render_options opt;
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_boundaries_parse(two_features, sizeof two_features - 1, &b, &err),
                     CY_OK);
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_MAP;
    opt.highlight = CY_HIGHLIGHT_WEAK_LINKS;
    opt.boundaries = b;
    opt.isolate = 0;
    render_alloc_every(net, &opt, "layout=nop2");
    cy_boundaries_free(b);
    cy_error_destroy(&err);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boundaries_read),
        cmocka_unit_test(test_boundaries_refused),
        cmocka_unit_test(test_boundaries_limits),
        cmocka_unit_test(test_boundaries_alloc),
        cmocka_unit_test(test_map_positions),
        cmocka_unit_test(test_map_overlap),
        cmocka_unit_test(test_map_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
