/*
 * test_render.c - diagrams: plans (which nodes and edges, with totals) on
 * the hand-checked graphs/render-small.json (expected values worked out in
 * graphs/README.md), DOT read back with cgraph (nodes, edges, clusters,
 * labels, highlights), escaping of hostile names checked in the SVG that
 * Graphviz really draws, determinism, output signatures, and the bounded
 * child-process runner (timeout, crash, exit, memory limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "plan_internal.h"
#include "helpers.h"


/* ---- helpers ---------------------------------------------------------- */

/* Render into memory; fails the test unless the status is `expect`. */
static char *render_buffer(const cy_network *net, const cy_render_options *opt,
                           cy_render_format format, size_t *size,
                           cy_render_info *info, cy_status expect)
{
    char *data = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&data, &length);
    cy_error err;
    cy_status status;
    assert_non_null(f);
    cy_error_init(&err);
    status = cy_render(net, opt, format, f, info, &err);
    fclose(f);
    if (status != expect) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("cy_render returned %d, expected %d", status, expect);
    }
    cy_error_destroy(&err);
    if (size)
        *size = length;
    return data;
}

static Agraph_t *render_dot(const cy_network *net, const cy_render_options *opt)
{
    char *dot = render_buffer(net, opt, CY_RENDER_DOT, NULL, NULL, CY_OK);
    Agraph_t *g = agmemread(dot);
    assert_non_null(g);
    free(dot);
    return g;
}

static const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static Agnode_t *node(Agraph_t *g, const char *name)
{
    Agnode_t *n = agnode(g, (char *)name, 0);
    if (!n)
        fail_msg("no node %s in the DOT", name);
    return n;
}

static Agedge_t *edge(Agraph_t *g, const char *from, const char *to)
{
    Agedge_t *e = agedge(g, node(g, from), node(g, to), NULL, 0);
    if (!e)
        fail_msg("no edge %s -> %s in the DOT", from, to);
    return e;
}

static int plan_error_contains(const cy_network *net, const cy_render_options *opt,
                               const char *needle)
{
    cy_r_plan plan;
    cy_error err;
    int found = 0;
    cy_error_init(&err);
    assert_int_equal(cy_r_plan_make(net, opt, &plan, &err), CY_EUSAGE);
    for (size_t i = 0; i < err.count; i++)
        found |= strstr(err.items[i].message, needle) != NULL;
    if (!found)
        fail_msg("no error mentions '%s'", needle);
    cy_r_plan_destroy(&plan);
    cy_error_destroy(&err);
    return found;
}

static void make_plan(const cy_network *net, const cy_render_options *opt,
                      cy_r_plan *plan)
{
    cy_error err;
    cy_error_init(&err);
    if (cy_r_plan_make(net, opt, plan, &err) != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("plan failed");
    }
    cy_error_destroy(&err);
}

static void assert_node(const cy_r_plan *plan, size_t k, cy_r_node_kind kind,
                        long index, size_t members, double output, double in,
                        double out, double internal)
{
    const cy_r_node *n = &plan->nodes[k];
    assert_int_equal(n->kind, kind);
    assert_int_equal(n->index, index);
    assert_int_equal(n->members, members);
    assert_close(n->output, output, 1e-9);
    assert_close(n->inflow, in, 1e-9);
    assert_close(n->outflow, out, 1e-9);
    assert_close(n->internal, internal, 1e-9);
}

static void assert_edge(const cy_r_plan *plan, size_t e, size_t from, size_t to,
                        double volume, size_t links)
{
    assert_int_equal(plan->edges[e].from, from);
    assert_int_equal(plan->edges[e].to, to);
    assert_close(plan->edges[e].volume, volume, 1e-9);
    assert_int_equal(plan->edges[e].links, links);
}

static int setup(void **state)
{
    cy_library_init();
    *state = load_graph("render-small.json");
    return 0;
}

static int teardown(void **state)
{
    cy_network_free(*state);
    return 0;
}

/* ---- plans ------------------------------------------------------------ */

/* graphs/README.md, render-small.json, "Parks view". */
static void test_plan_parks(void **state)
{
    cy_render_options opt;
    cy_r_plan plan;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_PARKS;
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.aggregated, 1);
    assert_int_equal(plan.node_count, 5);
    assert_node(&plan, 0, CY_R_NODE_GROUP, 0, 2, 1100, 60, 25, 100);
    assert_node(&plan, 1, CY_R_NODE_GROUP, 1, 2, 540, 30, 20, 40);
    assert_node(&plan, 2, CY_R_NODE_OUTSIDE, -1, 1, 0, 0, 2, 0);  /* x */
    assert_node(&plan, 3, CY_R_NODE_OUTSIDE, 0, 1, 10, 0, 15, 0); /* m1, cq */
    assert_node(&plan, 4, CY_R_NODE_OUTSIDE, 1, 1, 50, 2, 30, 0); /* s2, cd */
    assert_int_equal(plan.edge_count, 6);
    assert_int_equal(plan.drawn_edge_count, 6);
    assert_edge(&plan, 0, 0, 1, 25, 1);
    assert_edge(&plan, 1, 1, 0, 20, 1);
    assert_edge(&plan, 2, 2, 4, 2, 1);
    assert_edge(&plan, 3, 3, 0, 10, 1);
    assert_edge(&plan, 4, 3, 1, 5, 1);
    assert_edge(&plan, 5, 4, 0, 30, 1);
    assert_string_equal(plan.note, "");
    cy_r_plan_destroy(&plan);

    /* Three nodes at most: p1 and p2 stay, the one-firm nodes merge. */
    opt.max_nodes = 3;
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.node_count, 3);
    assert_node(&plan, 2, CY_R_NODE_OTHER, -1, 3, 60, 0, 10 + 5 + 30, 2);
    assert_non_null(strstr(plan.note, "5 parks are more than 3: the 3 smallest are merged"));
    cy_r_plan_destroy(&plan);
}

static void test_plan_regions_clusters(void **state)
{
    cy_render_options opt;
    cy_r_plan plan;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_REGIONS;
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.node_count, 3);
    assert_node(&plan, 0, CY_R_NODE_GROUP, 0, 3, 1110, 50, 30, 110);
    assert_node(&plan, 1, CY_R_NODE_GROUP, 1, 3, 590, 32, 50, 40);
    assert_node(&plan, 2, CY_R_NODE_OUTSIDE, -1, 1, 0, 0, 2, 0);
    assert_int_equal(plan.edge_count, 3);
    assert_edge(&plan, 0, 0, 1, 30, 2);
    assert_edge(&plan, 1, 1, 0, 50, 2);
    assert_edge(&plan, 2, 2, 1, 2, 1);
    assert_int_equal(plan.color_by, CY_COLOR_SECTOR);
    cy_r_plan_destroy(&plan);

    opt.view = CY_VIEW_CLUSTERS;
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.node_count, 3);
    /* oem2 is in both clusters: it counts in each. */
    assert_node(&plan, 0, CY_R_NODE_GROUP, 0, 3, 1600, 30 + 70, 25, 125);
    assert_node(&plan, 1, CY_R_NODE_GROUP, 1, 2, 550, 25 + 42, 30, 0);
    assert_node(&plan, 2, CY_R_NODE_OUTSIDE, -1, 3, 50, 0, 70 + 42, 5);
    assert_int_equal(plan.edge_count, 4);
    assert_edge(&plan, 0, 0, 1, 25, 1);
    assert_edge(&plan, 1, 1, 0, 30, 1);
    assert_edge(&plan, 2, 2, 0, 70, 3);
    assert_edge(&plan, 3, 2, 1, 42, 2);
    assert_int_equal(plan.color_by, CY_COLOR_SECTOR);
    cy_r_plan_destroy(&plan);
}

static void test_plan_ego(void **state)
{
    const cy_network *net = *state;
    cy_render_options opt;
    cy_r_plan plan;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_EGO;
    opt.focus = "s1";
    opt.depth = 1;
    make_plan(net, &opt, &plan);
    /* {oem1, oem2, s1, m1} in file order; m1->s1, s1->oem1, s1->oem2. */
    assert_int_equal(plan.node_count, 4);
    assert_int_equal(plan.nodes[0].index, 0);
    assert_int_equal(plan.nodes[1].index, 1);
    assert_int_equal(plan.nodes[2].index, 2);
    assert_int_equal(plan.nodes[3].index, 5);
    assert_int_equal(plan.edge_count, 3);
    cy_r_plan_destroy(&plan);

    opt.focus = "oem1";
    opt.depth = 2;
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.node_count, 6); /* all but oem2 */
    assert_int_equal(plan.firm_node[1], -1);
    assert_int_equal(plan.depth, 2);
    cy_r_plan_destroy(&plan);

    opt.max_nodes = 5; /* depth 2 has 6: drop to depth 1 */
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.depth, 1);
    assert_int_equal(plan.node_count, 4);
    assert_non_null(strstr(plan.note, "drawing depth 1"));
    cy_r_plan_destroy(&plan);

    opt.max_nodes = 3; /* depth 1 has 4: keep s1 (100) and s2 (30) */
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.node_count, 3);
    assert_true(plan.firm_node[2] >= 0);  /* s1 */
    assert_true(plan.firm_node[3] >= 0);  /* s2 */
    assert_int_equal(plan.firm_node[4], -1); /* s3, 20 */
    assert_non_null(strstr(plan.note, "3 direct partners"));
    cy_r_plan_destroy(&plan);
}

static void test_plan_full_switches(void **state)
{
    cy_render_options opt;
    cy_r_plan plan;
    cy_render_options_init(&opt);
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.aggregated, 0);
    assert_int_equal(plan.node_count, 7);
    assert_int_equal(plan.edge_count, 8);
    assert_int_equal(plan.color_by, CY_COLOR_KIND);
    assert_int_equal(plan.size_by, CY_SIZE_OUTPUT);
    assert_string_equal(plan.layout, "dot");
    cy_r_plan_destroy(&plan);

    opt.max_nodes = 5; /* 7 firms: parks instead */
    opt.color_by = CY_COLOR_TIER; /* does not apply to parks: note */
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.aggregated, 1);
    assert_int_equal(plan.view, CY_VIEW_PARKS);
    assert_int_equal(plan.node_count, 5);
    assert_int_equal(plan.color_by, CY_COLOR_REGION);
    assert_non_null(strstr(plan.note, "7 enterprises exceed --max-nodes 5"));
    assert_non_null(strstr(plan.note, "--color-by tier does not apply"));
    cy_r_plan_destroy(&plan);

    opt.view = CY_VIEW_TIERS; /* tiers aggregate by tier */
    opt.color_by = CY_COLOR_AUTO;
    make_plan(*state, &opt, &plan);
    assert_int_equal(plan.aggregated, 1);
    assert_int_equal(plan.grouping, CY_R_BY_TIER);
    assert_int_equal(plan.node_count, 4); /* tiers 0, 1, 2, none */
    assert_node(&plan, 0, CY_R_NODE_TIER, 0, 2, 1500, 215, 0, 0);
    assert_node(&plan, 3, CY_R_NODE_OUTSIDE, -1, 1, 0, 0, 2, 0);
    cy_r_plan_destroy(&plan);
}

static void test_plan_errors(void **state)
{
    const cy_network *net = *state;
    cy_render_options opt;

    cy_render_options_init(&opt);
    opt.view = CY_VIEW_EGO;
    plan_error_contains(net, &opt, "--view ego needs --focus");
    opt.focus = "nobody";
    plan_error_contains(net, &opt, "no enterprise has the id 'nobody'");
    cy_render_options_init(&opt);
    opt.focus = "s1";
    plan_error_contains(net, &opt, "--focus applies to --view ego");
    cy_render_options_init(&opt);
    opt.layout = "twopi-ish";
    plan_error_contains(net, &opt, "unknown layout 'twopi-ish'");
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_PARKS;
    opt.color_by = CY_COLOR_TIER;
    plan_error_contains(net, &opt, "--color-by tier does not apply to the parks view");
    cy_render_options_init(&opt);
    opt.highlight = CY_HIGHLIGHT_CASCADE;
    opt.cascade_id = "ghost";
    plan_error_contains(net, &opt, "no enterprise has the id 'ghost'");
}

/* ---- DOT read back ---------------------------------------------------- */

static void test_dot_full(void **state)
{
    cy_render_options opt;
    Agraph_t *g, *r0, *p0, *r1, *p1;
    const char *label;
    cy_render_options_init(&opt);
    g = render_dot(*state, &opt);
    assert_int_equal(agnnodes(g), 7);
    assert_int_equal(agnedges(g), 8);
    /* Regions contain their parks, parks their firms; m1 (no park) sits in
     * its region, x (no region) at the top. */
    r0 = agsubg(g, "cluster_r0", 0);
    r1 = agsubg(g, "cluster_r1", 0);
    assert_non_null(r0);
    assert_non_null(r1);
    p0 = agsubg(r0, "cluster_p0", 0);
    p1 = agsubg(r1, "cluster_p1", 0);
    assert_non_null(p0);
    assert_non_null(p1);
    assert_string_equal(attr(r0, "label"), "Chongqing");
    assert_string_equal(attr(p0, "label"), "Park One \xE2\x98\x85"); /* demonstration */
    assert_string_equal(attr(p1, "label"), "Park Two");
    assert_non_null(agsubnode(p0, node(g, "f0"), 0));
    assert_non_null(agsubnode(p0, node(g, "f2"), 0));
    assert_non_null(agsubnode(p1, node(g, "f1"), 0));
    assert_null(agsubnode(p0, node(g, "f5"), 0));
    assert_non_null(agsubnode(r0, node(g, "f5"), 0));
    assert_null(agsubnode(r0, node(g, "f6"), 0));
    assert_null(agsubnode(r1, node(g, "f6"), 0));
    /* Labels: name, then the Chinese name on a second line. */
    assert_string_equal(attr(node(g, "f0"), "label"), "OEM One\\n\xE4\xB8\x80\xE5\x8F\xB7\xE6\x95\xB4\xE8\xBD\xA6");
    assert_string_equal(attr(node(g, "f6"), "label"), "Software house");
    assert_string_equal(attr(node(g, "f0"), "fontname"), CY_R_FONT);
    assert_string_equal(attr(g, "layout"), "dot");
    assert_string_equal(attr(g, "rankdir"), "LR");
    /* Every supply pair is an edge, supplier -> customer. */
    edge(g, "f2", "f0");
    edge(g, "f3", "f0");
    edge(g, "f4", "f0");
    edge(g, "f4", "f1");
    edge(g, "f2", "f1");
    edge(g, "f5", "f2");
    edge(g, "f5", "f4");
    edge(g, "f6", "f3");
    /* The legend is the one HTML-like string, with the title in it. */
    label = agget(g, "label");
    assert_true(aghtmlstr((char *)label));
    assert_non_null(strstr(label, "render test: two parks, two regions, two clusters"));
    assert_false(aghtmlstr(agget(node(g, "f0"), "label")));
    agclose(g);
}

static void test_dot_tiers(void **state)
{
    cy_render_options opt;
    Agraph_t *g, *t1;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_TIERS;
    g = render_dot(*state, &opt);
    /* 7 firms + 4 column headings (tiers 0-2, none). */
    assert_int_equal(agnnodes(g), 11);
    t1 = agsubg(g, "tier_1", 0);
    assert_non_null(t1);
    assert_string_equal(attr(t1, "rank"), "same");
    assert_int_equal(agnnodes(t1), 4); /* s1, s2, s3 + heading */
    assert_non_null(agsubnode(t1, node(g, "f3"), 0));
    assert_non_null(agsubg(g, "tier_none", 0));
    /* Headings chained right to left: none -> 2 -> 1 -> 0. */
    assert_string_equal(attr(edge(g, "tierhead_none", "tierhead_2"), "style"), "invis");
    assert_string_equal(attr(edge(g, "tierhead_1", "tierhead_0"), "style"), "invis");
    /* Only x -> s2 does not run from a higher to a lower tier. */
    assert_string_equal(attr(edge(g, "f6", "f3"), "constraint"), "false");
    assert_string_equal(attr(edge(g, "f5", "f2"), "constraint"), "true");
    assert_string_equal(attr(edge(g, "f2", "f0"), "constraint"), "true");
    agclose(g);
}

static void test_dot_parks(void **state)
{
    cy_render_options opt;
    Agraph_t *g;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_PARKS;
    g = render_dot(*state, &opt);
    assert_int_equal(agnnodes(g), 5);
    assert_int_equal(agnedges(g), 6);
    /* Totals worked out in graphs/README.md. */
    assert_string_equal(attr(node(g, "n0"), "color"), "#b8860b"); /* demonstration */
    assert_string_equal(attr(node(g, "n1"), "color"), "#4d4d4d");
    assert_string_equal(attr(node(g, "n0"), "label"),
                        "Park One \xE2\x98\x85\\n2 firms, output \xC2\xA5" "1.1 k\\nin \xC2\xA5" "60, out "
                        "\xC2\xA5" "25, within \xC2\xA5" "100");
    assert_string_equal(attr(node(g, "n3"), "label"),
                        "Chongqing, outside parks\\n1 firm, output \xC2\xA5" "10\\nin "
                        "\xC2\xA5" "0, out \xC2\xA5" "15");
    assert_string_equal(attr(edge(g, "n4", "n0"), "label"), "\xC2\xA5" "30");
    assert_string_equal(attr(edge(g, "n0", "n1"), "label"), "\xC2\xA5" "25");
    /* Width by volume: the heaviest (30) gets 0.8 + 8.2 = 9. */
    assert_string_equal(attr(edge(g, "n4", "n0"), "penwidth"), "9.00");
    /* Colour by region: Chongqing (2 nodes) before Chengdu (2 nodes, later
     * key), "none" white. */
    assert_string_equal(attr(node(g, "n0"), "fillcolor"), "#80b1d3");
    assert_string_equal(attr(node(g, "n1"), "fillcolor"), "#fdb462");
    assert_string_equal(attr(node(g, "n2"), "fillcolor"), "#ffffff");
    assert_string_equal(attr(node(g, "n2"), "style"), "rounded,filled,dashed");
    agclose(g);
}

/* Degrees (README): oem1 3, oem2 2, s1 3, s2 2, s3 3, m1 2, x 1.  Width =
 * 0.5 + 1.5 sqrt(d / 3).  Directed betweenness: s1, s3 each lie on one of
 * the two shortest m1 -> oem paths (1/2 + 1/2), s2 on x -> s2 -> oem1: all
 * three 1, the rest 0. */
static void test_dot_measures(void **state)
{
    cy_render_options opt;
    Agraph_t *g;
    cy_render_options_init(&opt);
    opt.size_by = CY_SIZE_DEGREE;
    opt.color_by = CY_COLOR_BETWEENNESS;
    g = render_dot(*state, &opt);
    assert_string_equal(attr(node(g, "f0"), "width"), "2.00");
    assert_string_equal(attr(node(g, "f1"), "width"), "1.72"); /* 0.5 + 1.5 sqrt(2/3) */
    assert_string_equal(attr(node(g, "f6"), "width"), "1.37"); /* 0.5 + 1.5 sqrt(1/3) */
    assert_string_equal(attr(node(g, "f2"), "fillcolor"), "#081d58");
    assert_string_equal(attr(node(g, "f2"), "fontcolor"), "#ffffff");
    assert_string_equal(attr(node(g, "f3"), "fillcolor"), "#081d58");
    assert_string_equal(attr(node(g, "f4"), "fillcolor"), "#081d58");
    assert_string_equal(attr(node(g, "f0"), "fillcolor"), "#ffffd9");
    assert_string_equal(attr(node(g, "f5"), "fillcolor"), "#ffffd9");
    agclose(g);
}

/*
 * The weak-link marks (graphs/README.md, render-small.json, "Weak-link
 * diagram").  Final demand: oem1 1000, oem2 500, s2 50 - 30 = 20, the others
 * 0 (total 1520).  The register at T = 0: m1 (its failure stops s1 and s3,
 * so both OEMs: 1500, 5 firms), s1 (1500, 3 firms), s3 (oem2: 500), x (s2:
 * 20).  With the default top 20 all four are filled, graded from 20
 * (Reds' lightest used class, #fcbba1) to 1500 (#67000d): s3 at
 * t = 480/1480 lies 0.946 of the way from #fc9272 to #fb6a4a, #fb6c4c.
 */
static void test_dot_weak_links(void **state)
{
    static const char *const unmarked[] = {"f0", "f1", "f3"};
    cy_render_options opt;
    Agraph_t *g;
    int red = 0;
    cy_render_options_init(&opt);
    opt.highlight = CY_HIGHLIGHT_WEAK_LINKS;
    assert_int_equal(opt.top, 20);
    g = render_dot(*state, &opt);
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
        for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e))
            red += strcmp(attr(e, "color"), RED) == 0;
    assert_int_equal(red, 6);
    assert_string_equal(attr(edge(g, "f3", "f0"), "color"), "#707070");
    assert_string_equal(attr(edge(g, "f6", "f3"), "color"), RED);
    assert_string_equal(attr(node(g, "f5"), "fillcolor"), "#67000d"); /* m1 */
    assert_string_equal(attr(node(g, "f5"), "fontcolor"), "#ffffff");
    assert_string_equal(attr(node(g, "f2"), "fillcolor"), "#67000d"); /* s1 */
    assert_string_equal(attr(node(g, "f4"), "fillcolor"), "#fb6c4c"); /* s3 */
    assert_string_equal(attr(node(g, "f6"), "fillcolor"), "#fcbba1"); /* x */
    assert_string_equal(attr(node(g, "f6"), "color"), RED);
    assert_string_equal(attr(node(g, "f6"), "penwidth"), "3");
    assert_non_null(strstr(attr(node(g, "f5"), "label"), "\\n#1, \xC2\xA5" "1.5 k lost"));
    assert_non_null(strstr(attr(node(g, "f2"), "label"), "\\n#2, "));
    assert_non_null(strstr(attr(node(g, "f4"), "label"), "\\n#3, \xC2\xA5" "500 lost"));
    assert_non_null(strstr(attr(node(g, "f6"), "label"), "\\n#4, \xC2\xA5" "20 lost"));
    for (size_t k = 0; k < 3; k++) { /* oem1, oem2, s2: not in the register */
        assert_string_equal(attr(node(g, unmarked[k]), "color"), "#4d4d4d");
        assert_null(strchr(attr(node(g, unmarked[k]), "label"), '#'));
    }
    assert_non_null(strstr(agget(g, "label"), "(6 drawn, 6 in the network)"));
    assert_non_null(strstr(agget(g, "label"), "the 4 firms of the risk register"));
    assert_null(strstr(agget(g, "label"), "not marked"));
    assert_non_null(strstr(agget(g, "label"), "#fcbba1\" POINT-SIZE=\"16\">\xE2\x96\xA0</FONT> "
                                              "\xC2\xA5" "20 "));
    agclose(g);

    /* --top 2: only m1 and s1, both at the top of the scale; s3 keeps its
     * kind's colour; the legend says the others are not marked. */
    opt.top = 2;
    g = render_dot(*state, &opt);
    assert_string_equal(attr(node(g, "f5"), "fillcolor"), "#67000d");
    assert_string_equal(attr(node(g, "f2"), "fillcolor"), "#67000d");
    assert_string_equal(attr(node(g, "f4"), "fillcolor"), "#80b1d3");
    assert_string_equal(attr(node(g, "f4"), "color"), "#4d4d4d");
    assert_string_equal(attr(node(g, "f6"), "fillcolor"), "#bebada");
    assert_non_null(strstr(agget(g, "label"), "the first 2 firms of the risk register"));
    assert_non_null(strstr(agget(g, "label"), "the others are not marked (4 in the register)"));
    agclose(g);

    /* Parks view, top 3 (m1, s1, s3: 500 to 1500): Park One holds s1 (#2),
     * Park Two s3 (#3, the light end), "Chongqing, outside parks" m1 (#1). */
    opt.top = 3;
    opt.view = CY_VIEW_PARKS;
    g = render_dot(*state, &opt);
    assert_string_equal(attr(node(g, "n0"), "fillcolor"), "#67000d");
    assert_string_equal(attr(node(g, "n1"), "fillcolor"), "#fcbba1");
    assert_string_equal(attr(node(g, "n3"), "fillcolor"), "#67000d");
    assert_non_null(strstr(attr(node(g, "n0"), "label"), "\\n1 of the top 3 weak firms, first #2"));
    assert_non_null(strstr(attr(node(g, "n3"), "label"), "first #1"));
    assert_null(strstr(attr(node(g, "n4"), "label"), "weak firms"));
    agclose(g);
}

/* The grade is monotone: a firm that stops more final demand is never
 * drawn lighter (relative luminance of the fill), over the whole scale. */
static void test_weak_link_grade(void **state)
{
    cy_r_highlight hl;
    double last = 1e9;
    (void)state;
    memset(&hl, 0, sizeof hl);
    hl.lost_min = 20;
    hl.lost_max = 1500;
    for (int q = 0; q <= 1000; q++) {
        cy_r_rgb c = cy_r_highlight_grade(&hl, 20 + 1480 * q / 1000.0);
        double y = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
        assert_true(y <= last);
        last = y;
    }
    assert_true(last < 30); /* #67000d */
    hl.lost_max = hl.lost_min; /* one value: the dark end */
    assert_int_equal(cy_r_highlight_grade(&hl, 20).r, 0x67);
}

/* Every allocation of a weak-link diagram (the register, the marks, the
 * legend) failing in turn: CY_ENOMEM, never a partial diagram; the run
 * that meets no failure draws the marks. */
static void test_weak_links_alloc(void **state)
{
    cy_render_options opt;
    cy_render_options_init(&opt);
    opt.highlight = CY_HIGHLIGHT_WEAK_LINKS;
    opt.isolate = 0;
    render_alloc_every(*state, &opt, "fillcolor=\"#fb6c4c\"");
}

static void test_dot_cascade(void **state)
{
    cy_render_options opt;
    Agraph_t *g;
    cy_render_options_init(&opt);
    opt.highlight = CY_HIGHLIGHT_CASCADE;
    opt.cascade_id = "m1";
    g = render_dot(*state, &opt);
    assert_string_equal(attr(node(g, "f5"), "fillcolor"), "#67000d");
    assert_string_equal(attr(node(g, "f0"), "fillcolor"), "#fb6a4a");
    assert_string_equal(attr(node(g, "f1"), "fillcolor"), "#fb6a4a");
    assert_string_equal(attr(node(g, "f2"), "fillcolor"), "#fb6a4a");
    assert_string_equal(attr(node(g, "f4"), "fillcolor"), "#fb6a4a");
    assert_string_not_equal(attr(node(g, "f3"), "fillcolor"), "#fb6a4a");
    assert_string_not_equal(attr(node(g, "f6"), "fillcolor"), "#fb6a4a");
    /* final demand, as cascade --fail m1 says: 1.5 k of 1.52 k */
    assert_non_null(strstr(agget(g, "label"), "5 firms in all, final demand \xC2\xA5" "1.5 k of "
                                              "\xC2\xA5" "1.52 k lost"));
    agclose(g);

    opt.view = CY_VIEW_PARKS;
    opt.cascade_id = "x"; /* x and s2 fail: their outside nodes */
    g = render_dot(*state, &opt);
    assert_string_equal(attr(node(g, "n2"), "fillcolor"), "#fb6a4a");
    assert_string_equal(attr(node(g, "n4"), "fillcolor"), "#fb6a4a");
    assert_string_equal(attr(node(g, "n0"), "fillcolor"), "#80b1d3");
    assert_non_null(strstr(attr(node(g, "n4"), "label"), "1 of 1 firm fail"));
    agclose(g);
}

/* Same network and options, same bytes: in one process, across the child
 * and in-process runs, many times (cgraph's default IDs made the order of
 * clusters follow malloc addresses; render/ids.c fixes that). */
static void test_dot_deterministic(void **state)
{
    cy_render_options opt;
    size_t first_size, size;
    char *first, *data;
    cy_render_options_init(&opt);
    opt.highlight = CY_HIGHLIGHT_WEAK_LINKS;
    first = render_buffer(*state, &opt, CY_RENDER_DOT, &first_size, NULL, CY_OK);
    for (int k = 0; k < 12; k++) {
        opt.isolate = k % 2;
        data = render_buffer(*state, &opt, CY_RENDER_DOT, &size, NULL, CY_OK);
        assert_int_equal(size, first_size);
        assert_memory_equal(data, first, size);
        free(data);
    }
    free(first);
}

static void test_formats(void **state)
{
    cy_render_options opt;
    cy_render_info info;
    size_t size;
    char *data;
    cy_render_options_init(&opt);
    data = render_buffer(*state, &opt, CY_RENDER_PNG, &size, &info, CY_OK);
    assert_true(size > 1000);
    assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
    free(data);
    assert_int_equal(info.view, CY_VIEW_FULL);
    assert_int_equal(info.node_count, 7);
    assert_int_equal(info.edge_count, 8);
    data = render_buffer(*state, &opt, CY_RENDER_PDF, &size, NULL, CY_OK);
    assert_memory_equal(data, "%PDF-", 5);
    free(data);
    data = render_buffer(*state, &opt, CY_RENDER_SVG, &size, NULL, CY_OK);
    assert_non_null(strstr(data, "<svg"));
    assert_non_null(strstr(data, "font-family=\"Noto Sans CJK SC\""));
    free(data);
}

static void test_names(void **state)
{
    cy_render_format f;
    cy_view v;
    cy_color_by c;
    cy_size_by s;
    (void)state;
    assert_true(cy_render_format_from_path("a/b.SVG", &f) && f == CY_RENDER_SVG);
    assert_true(cy_render_format_from_path("x.png", &f) && f == CY_RENDER_PNG);
    assert_true(cy_render_format_from_path("x.gv", &f) && f == CY_RENDER_DOT);
    assert_false(cy_render_format_from_path("x.jpeg", &f));
    assert_false(cy_render_format_from_path("dir.svg/x", &f));
    assert_false(cy_render_format_from_path("noext", &f));
    assert_true(cy_view_parse("ego", &v) && v == CY_VIEW_EGO);
    assert_false(cy_view_parse("Ego", &v));
    assert_true(cy_color_by_parse("pagerank", &c) && c == CY_COLOR_PAGERANK);
    assert_true(cy_size_by_parse("none", &s) && s == CY_SIZE_NONE);
    assert_string_equal(cy_view_name(CY_VIEW_REGIONS), "regions");
    assert_null(cy_view_name(CY_VIEW_COUNT));
}

/* ---- escaping --------------------------------------------------------- */

/* Decode the XML entities Graphviz writes (named, decimal, hex). */
static char *xml_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        if (s[i] != '&') {
            *o++ = s[i++];
            continue;
        }
        const char *semi = memchr(s + i, ';', n - i);
        assert_non_null(semi);
        unsigned long cp = 0;
        if (s[i + 1] == '#')
            cp = s[i + 2] == 'x' ? strtoul(s + i + 3, NULL, 16) : strtoul(s + i + 2, NULL, 10);
        else if (strncmp(s + i, "&amp;", 5) == 0) cp = '&';
        else if (strncmp(s + i, "&lt;", 4) == 0) cp = '<';
        else if (strncmp(s + i, "&gt;", 4) == 0) cp = '>';
        else if (strncmp(s + i, "&quot;", 6) == 0) cp = '"';
        else if (strncmp(s + i, "&apos;", 6) == 0) cp = '\'';
        else fail_msg("unknown entity in SVG: %.10s", s + i);
        if (cp < 0x80) {
            *o++ = (char)cp;
        } else if (cp < 0x800) {
            *o++ = (char)(0xC0 | (cp >> 6));
            *o++ = (char)(0x80 | (cp & 0x3F));
        } else {
            *o++ = (char)(0xE0 | (cp >> 12));
            *o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
            *o++ = (char)(0x80 | (cp & 0x3F));
        }
        i = (size_t)(semi - s) + 1;
    }
    *o = '\0';
    return out;
}

/* Does the SVG draw `lines` (NULL-terminated) as consecutive <text>s? */
static int svg_draws(const char *svg, const char *const *lines)
{
    const char *p = svg;
    while ((p = strstr(p, "<text"))) {
        const char *q = p;
        int all = 1;
        for (const char *const *line = lines; *line && all; line++) {
            const char *start, *end;
            char *text;
            q = strstr(q, "<text");
            if (!q)
                return 0;
            start = strchr(q, '>') + 1;
            end = strstr(start, "</text>");
            text = xml_decode(start, (size_t)(end - start));
            all = strcmp(text, *line) == 0;
            free(text);
            q = end;
        }
        if (all)
            return 1;
        p++;
    }
    return 0;
}

static const char *const hostile_names[] = {
    "Quote \"double\" and 'single'",
    "back\\slash \\N \\G \\n \\l \\E end\\",
    "<b>bold</b> & <i>",
    "AT&amp;T &lt; R&D; &#65; &",
    "<TABLE><TR><TD>x</TD></TR></TABLE>",
    "-- comment --> ]]> <!-- x",
    "\xE9\x95\xBF\xE5\xAE\x89\xE6\xB1\xBD\xE8\xBD\xA6 & \xE9\x87\x8D\xE5\xBA\x86 <\xE6\xB5\x8B>",
    NULL};

/* A chain of suppliers named as above, plus one with a line break in its
 * name, under a title that tries to close the legend's table. */
static cy_network *hostile_network(const char *title)
{
    json_t *doc = json_pack("{s:s, s:s, s:[], s:[]}", "format", "chengyu/1", "name",
                            title, "enterprises", "links");
    json_t *ents = json_object_get(doc, "enterprises");
    json_t *links = json_object_get(doc, "links");
    size_t k;
    for (k = 0; hostile_names[k]; k++) {
        char id[64];
        snprintf(id, sizeof id, "id \"%zu\" <&>", k);
        json_array_append_new(ents, json_pack("{s:s, s:s, s:s, s:i}", "id", id, "name",
                                              hostile_names[k], "kind", "supplier", "tier", 1));
        if (k > 0) {
            char prev[64];
            snprintf(prev, sizeof prev, "id \"%zu\" <&>", k - 1);
            json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "from", prev,
                                                   "to", id, "part", "p\"<&>"));
        }
    }
    json_array_append_new(ents, json_pack("{s:s, s:s, s:s}", "id", "nl", "name",
                                          "line one\nline two", "kind", "oem"));
    json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "from", "id \"0\" <&>",
                                           "to", "nl", "part", "q"));
    return load_json_doc(doc, "hostile");
}

/* Plain labels as Graphviz reads them: \\ -> \, \n -> line break, \< ->
 * <, then HTML entities (the escaper writes only &amp;). */
static char *graphviz_label_text(const char *label)
{
    char *out = malloc(strlen(label) + 1), *o = out;
    for (const char *p = label; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            *o++ = *p == 'n' ? '\n' : *p;
        } else if (strncmp(p, "&amp;", 5) == 0) {
            *o++ = '&';
            p += 4;
        } else {
            assert_int_not_equal(*p, '&'); /* every & must be escaped */
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

static void test_escaping(void **state)
{
    const char *title = "T</B></FONT></TD></TR></TABLE><IMG SRC=\"x\"/>&amp; \\N \xE6\xA0\x87\xE9\xA2\x98";
    cy_network *net = hostile_network(title);
    cy_render_options opt;
    Agraph_t *g;
    char *svg, *dot, *legend;
    size_t size, k;
    (void)state;

    cy_render_options_init(&opt);
    dot = render_buffer(net, &opt, CY_RENDER_DOT, &size, NULL, CY_OK);
    g = agmemread(dot);
    assert_non_null(g);
    /* Nothing leaked into DOT structure: as many nodes and edges as firms
     * and supply pairs, with synthetic names. */
    assert_int_equal(agnnodes(g), 8);
    assert_int_equal(agnedges(g), 7);
    for (k = 0; hostile_names[k]; k++) {
        char name[16], *text;
        const char *label;
        snprintf(name, sizeof name, "f%zu", k);
        label = attr(node(g, name), "label");
        assert_false(aghtmlstr((char *)label));
        text = graphviz_label_text(label);
        assert_string_equal(text, hostile_names[k]);
        free(text);
    }
    assert_string_equal(attr(node(g, "f7"), "label"), "line one\\nline two");
    /* The title is text inside the (only) HTML label. */
    legend = agget(g, "label");
    assert_true(aghtmlstr(legend));
    assert_null(strstr(legend, "<IMG"));
    assert_non_null(strstr(legend, "T&lt;/B&gt;&lt;/FONT&gt;"));
    agclose(g);
    free(dot);

    /* What Graphviz draws: each name as written (the newline as two lines),
     * the title too, in a well-formed document (checked with xmllint in
     * tests/cli/test_render.sh). */
    svg = render_buffer(net, &opt, CY_RENDER_SVG, &size, NULL, CY_OK);
    for (k = 0; hostile_names[k]; k++) {
        const char *lines[] = {hostile_names[k], NULL};
        if (!svg_draws(svg, lines))
            fail_msg("the SVG does not draw '%s' as written", hostile_names[k]);
    }
    {
        const char *lines[] = {"line one", "line two", NULL};
        const char *title_line[] = {title, NULL};
        assert_true(svg_draws(svg, lines));
        assert_true(svg_draws(svg, title_line));
    }
    assert_null(strstr(svg, "<IMG"));
    assert_null(strstr(svg, "<image"));
    free(svg);
    cy_network_free(net);
}

/* Tooltips end up in SVG attributes: the first line of each node's
 * tooltip is its name, as written. */
static void test_escaping_tooltips(void **state)
{
    cy_network *net = hostile_network("t");
    cy_render_options opt;
    size_t size;
    char *svg;
    (void)state;
    cy_render_options_init(&opt);
    svg = render_buffer(net, &opt, CY_RENDER_SVG, &size, NULL, CY_OK);
    for (size_t k = 0; hostile_names[k]; k++) {
        int found = 0;
        for (const char *p = svg; !found && (p = strstr(p, "xlink:title=\"")); p++) {
            const char *start = p + 13, *end = strchr(start, '"');
            char *text = xml_decode(start, (size_t)(end - start));
            size_t n = strlen(hostile_names[k]);
            found = strncmp(text, hostile_names[k], n) == 0 && text[n] == '\n';
            free(text);
        }
        if (!found)
            fail_msg("no tooltip starts with '%s'", hostile_names[k]);
    }
    free(svg);
    cy_network_free(net);
}

static void test_escape_buffer(void **state)
{
    cy_r_buf buf;
    (void)state;
    cy_r_buf_init(&buf);
    cy_r_buf_escaped(&buf, "a\x01" "b\tc\r\nd\re", CY_R_ESC_LABEL);
    assert_string_equal(cy_r_buf_str(&buf), "a\\\\x01b c\\nd\\ne");
    cy_r_buf_free(&buf);
    /* A right-to-left override is drawn as its escape, not obeyed. */
    cy_r_buf_escaped(&buf, "x\xE2\x80\xAEy", CY_R_ESC_TOOLTIP);
    assert_string_equal(cy_r_buf_str(&buf), "x\\\\\\\\u202Ey");
    cy_r_buf_free(&buf);
    cy_r_buf_escaped(&buf, "<x>", CY_R_ESC_LABEL);
    cy_r_buf_escaped(&buf, "<y>", CY_R_ESC_LABEL); /* not at the start */
    assert_string_equal(cy_r_buf_str(&buf), "\\<x><y>");
    cy_r_buf_free(&buf);
    cy_r_buf_escaped(&buf, "a\\b<\"&\n", CY_R_ESC_TOOLTIP);
    assert_string_equal(cy_r_buf_str(&buf), "a\\\\\\\\b&lt;&quot;&amp;&#10;");
    cy_r_buf_free(&buf);
    cy_r_buf_escaped(&buf, "a\\b<'&\n", CY_R_ESC_HTML);
    assert_string_equal(cy_r_buf_str(&buf), "a\\\\b&lt;&#39;&amp;<BR/>");
    cy_r_buf_free(&buf);
}


/* More categories than fit on a legend line, and more than the palette:
 * Graphviz parses the legend without a word (an empty <B></B> once made it
 * print a syntax error), the 13th and 14th regions share the grey "2
 * more". */
static void test_legend_many_categories(void **state)
{
    json_t *doc = json_pack("{s:s, s:s, s:[], s:[], s:[]}", "format", "chengyu/1",
                            "name", "fourteen regions", "regions", "enterprises", "links");
    cy_network *net = NULL;
    cy_render_options opt;
    cy_error err;
    char *svg = NULL;
    size_t size = 0;
    FILE *f;
    (void)state;
    for (int k = 0; k < 14; k++) {
        char id[16], firm[16];
        snprintf(id, sizeof id, "r%02d", k);
        snprintf(firm, sizeof firm, "f%02d", k);
        json_array_append_new(json_object_get(doc, "regions"), json_pack("{s:s}", "id", id));
        json_array_append_new(json_object_get(doc, "enterprises"),
                              json_pack("{s:s, s:s, s:s}", "id", firm, "kind", "supplier",
                                        "region", id));
    }
    net = load_json_doc(doc, "fourteen");
    cy_error_init(&err);
    cy_render_options_init(&opt);
    opt.color_by = CY_COLOR_REGION;
    f = open_memstream(&svg, &size);
    assert_int_equal(cy_render(net, &opt, CY_RENDER_SVG, f, NULL, &err), CY_OK);
    fclose(f);
    for (size_t i = 0; i < err.count; i++)
        fprintf(stderr, "unexpected: %s\n", err.items[i].message);
    assert_int_equal(err.warning_count, 0);
    assert_non_null(strstr(svg, " r09 (1) "));
    assert_non_null(strstr(svg, " 2 more (2) "));
    assert_null(strstr(svg, " r12 (1) "));
    free(svg);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- the bounded runner ----------------------------------------------- */

static cy_status job_hello(void *ctx, FILE *out, cy_error *err)
{
    (void)ctx;
    (void)err;
    fputs("hello", out);
    return CY_OK;
}

static cy_status job_big(void *ctx, FILE *out, cy_error *err)
{
    (void)ctx;
    (void)err;
    for (int k = 0; k < 3 << 20; k++) /* several pipe buffers */
        fputc('a' + k % 26, out);
    return CY_OK;
}

static cy_status job_spin(void *ctx, FILE *out, cy_error *err)
{
    volatile unsigned long x = 0;
    (void)ctx;
    (void)err;
    fputs("partial", out);
    fflush(out);
    for (;;)
        x++;
    return CY_OK;
}

static cy_status job_fail(void *ctx, FILE *out, cy_error *err)
{
    (void)ctx;
    fputs("partial", out);
    cy_error_add(err, CY_SEV_WARNING, NULL, "careful");
    cy_error_add(err, CY_SEV_ERROR, NULL, "no such %s", "thing");
    return CY_EINPUT;
}

static cy_status job_exit(void *ctx, FILE *out, cy_error *err)
{
    (void)ctx;
    (void)out;
    (void)err;
    fputs("Error: something Graphviz says\n", stderr);
    _exit(1); /* what Graphviz does on a failed allocation */
}

static cy_status job_abort(void *ctx, FILE *out, cy_error *err)
{
    (void)ctx;
    (void)out;
    (void)err;
    abort();
}

#if !defined(__SANITIZE_ADDRESS__) /* RLIMIT_AS is not applied under ASan */
static cy_status job_alloc(void *ctx, FILE *out, cy_error *err)
{
    void *p = malloc((size_t)8 << 30);
    (void)ctx;
    (void)out;
    if (!p) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "allocation refused");
        return CY_ENOMEM;
    }
    free(p);
    return CY_OK;
}
#endif

static cy_status run(cy_r_job_fn job, double timeout, size_t memory_mb,
                     char **data, size_t *size, cy_error *err)
{
    cy_r_limits limits = {1, timeout, memory_mb, "test", NULL};
    return cy_r_run(job, NULL, &limits, data, size, err);
}

static int has_message(const cy_error *err, cy_severity sev, const char *needle)
{
    for (size_t i = 0; i < err->count; i++)
        if (err->items[i].severity == sev && strstr(err->items[i].message, needle))
            return 1;
    return 0;
}

static void test_runner(void **state)
{
    cy_error err;
    char *data;
    size_t size;
    time_t start;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(run(job_hello, 10, 256, &data, &size, &err), CY_OK);
    assert_int_equal(size, 5);
    assert_string_equal(data, "hello");
    cy_free(data);

    assert_int_equal(run(job_big, 30, 0, &data, &size, &err), CY_OK);
    assert_int_equal(size, (size_t)3 << 20);
    assert_int_equal(data[0], 'a');
    assert_int_equal(data[size - 1], 'a' + (int)((size - 1) % 26));
    cy_free(data);

    /* A hang is cut off at the timeout; nothing partial comes back. */
    start = time(NULL);
    assert_int_equal(run(job_spin, 1, 0, &data, &size, &err), CY_EINTERNAL);
    assert_true(time(NULL) - start <= 5);
    assert_null(data);
    assert_true(has_message(&err, CY_SEV_ERROR, "did not finish within 1 s"));
    cy_error_clear(&err);

    /* The job's own diagnostics and status come back. */
    assert_int_equal(run(job_fail, 10, 0, &data, &size, &err), CY_EINPUT);
    assert_null(data);
    assert_true(has_message(&err, CY_SEV_ERROR, "no such thing"));
    assert_true(has_message(&err, CY_SEV_WARNING, "careful"));
    cy_error_clear(&err);

    /* Graphviz leaving with exit(1), or crashing, does not take us down. */
    assert_int_equal(run(job_exit, 10, 0, &data, &size, &err), CY_EINTERNAL);
    assert_true(has_message(&err, CY_SEV_ERROR, "Graphviz gave up (exit status 1)"));
    /* Graphviz's own "Error: " dropped: the severity says it. */
    assert_true(has_message(&err, CY_SEV_ERROR, "graphviz: something Graphviz says"));
    cy_error_clear(&err);
    assert_int_equal(run(job_abort, 10, 0, &data, &size, &err), CY_EINTERNAL);
    assert_true(has_message(&err, CY_SEV_ERROR, "died of signal 6"));
    cy_error_clear(&err);

    /* A caller that ignores SIGCHLD: the kernel reaps the child, and its
     * status line says how it ended. */
    signal(SIGCHLD, SIG_IGN);
    assert_int_equal(run(job_hello, 10, 0, &data, &size, &err), CY_OK);
    assert_string_equal(data, "hello");
    cy_free(data);
    assert_int_equal(run(job_fail, 10, 0, &data, &size, &err), CY_EINPUT);
    assert_true(has_message(&err, CY_SEV_ERROR, "no such thing"));
    cy_error_clear(&err);
    assert_int_equal(run(job_abort, 10, 0, &data, &size, &err), CY_EINTERNAL);
    assert_true(has_message(&err, CY_SEV_ERROR, "ended without saying how"));
    cy_error_clear(&err);
    signal(SIGCHLD, SIG_DFL);

#if !defined(__SANITIZE_ADDRESS__)
    /* 8 GiB cannot fit under a 256 MB address-space limit. */
    assert_int_equal(run(job_alloc, 10, 256, &data, &size, &err), CY_ENOMEM);
    assert_true(has_message(&err, CY_SEV_ERROR, "allocation refused"));
    cy_error_clear(&err);
#endif
    cy_error_destroy(&err);
}

/* ---- dense, unlayered networks ----------------------------------------- */

/* The dense preset as a loaded network; without its regions when
 * `strip_regions` (then it has no group of any kind and no tier). */
static cy_network *dense_network(int strip_regions)
{
    cy_generate_params params = {CY_PRESET_DENSE, 1, 0, 0, 0};
    char *text = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&text, &length);
    json_t *doc, *firms, *firm;
    size_t i;
    cy_error err;
    assert_non_null(f);
    cy_error_init(&err);
    assert_int_equal(cy_generate(&params, f, &err), CY_OK);
    fclose(f);
    cy_error_destroy(&err);
    doc = json_loadb(text, length, 0, NULL);
    free(text);
    assert_non_null(doc);
    if (strip_regions) {
        json_object_del(doc, "regions");
        firms = json_object_get(doc, "enterprises");
        json_array_foreach(firms, i, firm) json_object_del(firm, "region");
    }
    return load_json_doc(doc, "dense.json");
}

/* A 4-cycle with a chord and a mutual pair, worked out by hand: the
 * depth-first search from a (file order) finishes d, c, b, a, so the
 * ranks are a 0, b 1, c 2, d 3 with d -> a reversed; a -> d and d -> a
 * span 3 ranks each (2 virtual nodes each), the others 1.  e -> d: e has
 * no supplier and moves next to d (rank 2), so its edge adds none. */
static void test_dot_virtual(void **state)
{
    static const char text[] =
        "{\"format\": \"chengyu/1\", \"name\": \"cycle\", \"enterprises\": ["
        "{\"id\": \"a\", \"kind\": \"supplier\"}, {\"id\": \"b\", \"kind\": \"supplier\"},"
        "{\"id\": \"c\", \"kind\": \"supplier\"}, {\"id\": \"d\", \"kind\": \"oem\"},"
        "{\"id\": \"e\", \"kind\": \"supplier\"}], \"links\": ["
        "{\"from\": \"a\", \"to\": \"b\", \"part\": \"x\"},"
        "{\"from\": \"b\", \"to\": \"c\", \"part\": \"x\"},"
        "{\"from\": \"c\", \"to\": \"d\", \"part\": \"x\"},"
        "{\"from\": \"a\", \"to\": \"d\", \"part\": \"x\"},"
        "{\"from\": \"d\", \"to\": \"a\", \"part\": \"x\"},"
        "{\"from\": \"e\", \"to\": \"d\", \"part\": \"x\"}]}";
    json_t *doc = json_loads(text, 0, NULL);
    cy_network *net = load_json_doc(doc, "cycle.json");
    cy_render_options opt;
    cy_r_plan plan;
    (void)state;
    cy_render_options_init(&opt);
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.edge_count, 6);
    assert_int_equal(cy_r_plan_dot_virtual(&plan), 4);
    assert_string_equal(plan.layout, "dot"); /* far below the budget */
    cy_r_plan_destroy(&plan);
    cy_network_free(net);
}

/* The dense preset: dot's ranks would run hundreds deep, so the views of
 * firms are drawn with sfdp (the DOT says so, and the note); views it has
 * nothing for fall back to one it has. */
static void test_dense_views(void **state)
{
    cy_network *net = dense_network(0);
    cy_render_options opt;
    cy_render_info info;
    cy_r_plan plan;
    Agraph_t *g;
    (void)state;
    cy_render_options_init(&opt);
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.aggregated, 0);
    assert_int_equal(plan.node_count, 800);
    assert_true(cy_r_plan_dot_virtual(&plan) > 10000);
    assert_string_equal(plan.layout, "sfdp");
    assert_non_null(strstr(plan.note, "drawn with sfdp"));
    assert_non_null(strstr(plan.note, "--view regions gives the overview"));
    assert_null(strstr(plan.note, "parks"));
    cy_r_plan_destroy(&plan);
    g = render_dot(net, &opt);
    assert_string_equal(attr(g, "layout"), "sfdp");
    assert_string_equal(attr(g, "splines"), "false");
    assert_null(strstr(attr(g, "label"), "grey boxes: parks"));
    agclose(g);

    opt.layout = "circo"; /* named, but its estimate exceeds 15 s */
    make_plan(net, &opt, &plan);
    assert_string_equal(plan.layout, "sfdp");
    assert_non_null(strstr(plan.note, "--layout circo would take about"));
    cy_r_plan_destroy(&plan);
    opt.timeout_seconds = 0; /* no timeout: as named */
    make_plan(net, &opt, &plan);
    assert_string_equal(plan.layout, "circo");
    cy_r_plan_destroy(&plan);
    opt.layout = NULL;
    opt.timeout_seconds = CY_RENDER_DEFAULT_TIMEOUT;

    opt.view = CY_VIEW_TIERS; /* no tiers: the full view */
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.view, CY_VIEW_FULL);
    assert_int_equal(plan.node_count, 800);
    assert_non_null(strstr(plan.note, "No firm has a tier"));
    cy_r_plan_destroy(&plan);

    opt.view = CY_VIEW_PARKS; /* no parks: the two regions */
    free(render_buffer(net, &opt, CY_RENDER_DOT, NULL, &info, CY_OK));
    assert_int_equal(info.view, CY_VIEW_REGIONS);
    assert_int_equal(info.node_count, 2);
    assert_non_null(strstr(info.note, "The network has no parks"));
    opt.view = CY_VIEW_CLUSTERS;
    g = render_dot(net, &opt);
    assert_non_null(strstr(attr(node(g, "n0"), "label"), "Chongqing"));
    assert_non_null(strstr(attr(node(g, "n1"), "label"), "Chengdu"));
    assert_non_null(strstr(attr(g, "label"), "The network has no clusters"));
    agclose(g);
    cy_network_free(net);
}

/* Without tiers or groups, a network above --max-nodes is drawn as its
 * first firms and their biggest partners, not as one box "no tier". */
static void test_dense_first_firms(void **state)
{
    cy_network *net = dense_network(1);
    cy_render_options opt;
    cy_r_plan plan;
    size_t marked = 0;
    (void)state;
    cy_render_options_init(&opt);
    opt.max_nodes = 100;
    make_plan(net, &opt, &plan);
    assert_int_equal(plan.aggregated, 0);
    assert_int_equal(plan.view, CY_VIEW_FULL);
    assert_true(plan.node_count > 20 && plan.node_count <= 100);
    assert_non_null(strstr(plan.note, "drawing the 20 biggest firms by output"));
    /* The biggest firm by output is drawn. */
    {
        size_t best = 0;
        for (size_t i = 1; i < cy_network_enterprise_count(net); i++)
            if (net->enterprises[i].output_value > net->enterprises[best].output_value)
                best = i;
        assert_true(plan.firm_node[best] >= 0);
    }
    cy_r_plan_destroy(&plan);

    opt.highlight = CY_HIGHLIGHT_WEAK_LINKS;
    opt.top = 5;
    make_plan(net, &opt, &plan);
    assert_non_null(plan.weaklinks);
    assert_non_null(strstr(plan.note, "drawing the first 5 firms of the risk register"));
    for (size_t k = 0; k < 5; k++)
        marked += plan.firm_node[plan.weaklinks->register_rows[k].enterprise] >= 0;
    assert_int_equal(marked, 5);
    cy_r_plan_destroy(&plan);
    cy_network_free(net);
}

/* Hints name only the views the network has. */
static void test_view_hints(void **state)
{
    cy_network *dense = dense_network(0), *bare = dense_network(1);
    char buf[64];
    assert_true(cy_render_view_exists(dense, CY_VIEW_REGIONS));
    assert_false(cy_render_view_exists(dense, CY_VIEW_PARKS));
    assert_false(cy_render_view_exists(dense, CY_VIEW_TIERS));
    assert_false(cy_render_view_exists(dense, CY_VIEW_MAP));
    assert_string_equal(cy_render_view_hint(dense, CY_VIEW_FULL, buf, sizeof buf),
                        "--view regions");
    assert_string_equal(cy_render_view_hint(dense, CY_VIEW_REGIONS, buf, sizeof buf), "");
    assert_string_equal(cy_render_view_hint(bare, CY_VIEW_FULL, buf, sizeof buf), "");
    assert_string_equal(cy_render_view_hint(*state, CY_VIEW_FULL, buf, sizeof buf),
                        "--view parks, regions or clusters");
    assert_string_equal(cy_render_view_hint(*state, CY_VIEW_PARKS, buf, sizeof buf),
                        "--view regions or clusters");
    cy_network_free(dense);
    cy_network_free(bare);
}

/* Nothing reaches the caller's stream when rendering fails. */
static void test_render_failure_writes_nothing(void **state)
{
    cy_render_options opt;
    size_t size;
    char *data;
    cy_render_options_init(&opt);
    opt.view = CY_VIEW_EGO; /* without a focus */
    data = render_buffer(*state, &opt, CY_RENDER_SVG, &size, NULL, CY_EUSAGE);
    assert_int_equal(size, 0);
    free(data);
}

/* A named engine's estimate under a second, over a smaller --timeout: the
 * note says "under 1 s" (was "about 0 s"), in English and in Chinese.
 * render-small's full view: circo's fit is far under a second. */
static void test_layout_note_under_a_second(void **state)
{
    const cy_network *net = *state;
    cy_render_options opt;
    cy_r_plan plan;
    cy_error err;
    cy_render_options_init(&opt);
    opt.layout = "circo";
    opt.timeout_seconds = 0.001;
    make_plan(net, &opt, &plan);
    assert_true(plan.estimate > 0.001 && plan.estimate < 1.0);
    assert_string_equal(plan.layout, "sfdp");
    assert_non_null(strstr(plan.note, "--layout circo would take under 1 s for "));
    assert_non_null(strstr(plan.note, "more than 0.001 s: drawn with sfdp"));
    cy_r_plan_destroy(&plan);
    cy_error_init(&err);
    assert_int_equal(cy_language_set(CY_LANG_ZH, &err), CY_OK);
    make_plan(net, &opt, &plan);
    assert_non_null(strstr(plan.note, "--layout circo 需不到 1 秒绘制 "));
    cy_r_plan_destroy(&plan);
    assert_int_equal(cy_language_set(CY_LANG_EN, &err), CY_OK);
    cy_error_destroy(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_parks),
        cmocka_unit_test(test_plan_regions_clusters),
        cmocka_unit_test(test_plan_ego),
        cmocka_unit_test(test_plan_full_switches),
        cmocka_unit_test(test_plan_errors),
        cmocka_unit_test(test_dot_full),
        cmocka_unit_test(test_dot_tiers),
        cmocka_unit_test(test_dot_parks),
        cmocka_unit_test(test_dot_measures),
        cmocka_unit_test(test_dot_weak_links),
        cmocka_unit_test(test_weak_link_grade),
        cmocka_unit_test(test_weak_links_alloc),
        cmocka_unit_test(test_dot_cascade),
        cmocka_unit_test(test_dot_deterministic),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_escaping_tooltips),
        cmocka_unit_test(test_escape_buffer),
        cmocka_unit_test(test_legend_many_categories),
        cmocka_unit_test(test_runner),
        cmocka_unit_test(test_render_failure_writes_nothing),
        cmocka_unit_test(test_dot_virtual),
        cmocka_unit_test(test_dense_views),
        cmocka_unit_test(test_view_hints),
        cmocka_unit_test(test_dense_first_firms),
        cmocka_unit_test(test_layout_note_under_a_second),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
