/*
 * test_export.c - GraphML read back into igraph (counts and every
 * attribute, nodes named by the ids, extra attributes, allocation
 * failures), the CSV tables of graphs/render-small.json written out by
 * hand, the numeric fields of every exporter (stress inputs, location),
 * DOT read back with cgraph (ids as node names, clusters, edge
 * attributes), hostile ids and names, and igraph's attribute handler left
 * as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "render_internal.h"
#include "helpers.h"

typedef cy_status (*export_fn)(const cy_network *net, FILE *out, cy_error *err);

static cy_status dot_export(const cy_network *net, FILE *out, cy_error *err)
{
    return cy_export_dot(net, NULL, out, err);
}

/* Run an export into memory and fail the test on an error. */
static char *export_buffer(const cy_network *net, export_fn fn, size_t *size)
{
    char *data = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&data, &length);
    cy_error err;
    cy_status status;
    assert_non_null(f);
    cy_error_init(&err);
    status = fn(net, f, &err);
    fclose(f);
    if (status != CY_OK) {
        for (size_t i = 0; i < err.count; i++)
            fprintf(stderr, "%s\n", err.items[i].message);
        fail_msg("export failed: %d", status);
    }
    cy_error_destroy(&err);
    if (size)
        *size = length;
    return data;
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

/* A network whose ids, names and part names are made to break formats. */
static const char *const odd_ids[] = {
    "node", "a b", "<x>", "\xE6\xB1\x89\xE5\xAD\x97", "-1.5", "edge", "q\"uo\\te", NULL};

static cy_network *odd_network(void)
{
    json_t *doc = json_pack(
        "{s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s, s:s}], s:[], s:[]}", "format",
        "chengyu/1", "name", "odd, \"names\"\nand <more> & \x01", "regions", "id",
        "r;1", "name", "Region, \"one\"", "parks", "id", "park\\1", "name",
        "<b>Park</b> & co", "region", "r;1", "enterprises", "links");
    json_t *ents = json_object_get(doc, "enterprises");
    json_t *links = json_object_get(doc, "links");
    for (size_t k = 0; odd_ids[k]; k++) {
        json_t *e = json_pack("{s:s, s:s, s:s, s:s, s:[s]}", "id", odd_ids[k], "name",
                              "name, with \"quotes\"\nand a line", "kind", "supplier",
                              "park", "park\\1", "produces", "part;x\\y");
        json_array_append_new(ents, e);
        if (k > 0)
            json_array_append_new(links, json_pack("{s:s, s:s, s:s, s:f, s:f}", "from",
                                                   odd_ids[k - 1], "to", odd_ids[k],
                                                   "part", "part;x\\y", "volume", 1.5,
                                                   "share", 0.25));
    }
    return load_json_doc(doc, "odd");
}

/* ---- GraphML ---------------------------------------------------------- */

/* Read GraphML back with igraph's reader and the C attribute handler. */
static void read_graphml(const char *data, size_t size, igraph_t *g)
{
    FILE *f = fmemopen((void *)data, size, "r");
    assert_non_null(f);
    assert_int_equal(igraph_read_graph_graphml(g, f, 0), IGRAPH_SUCCESS);
    fclose(f);
}

static void test_graphml(void **state)
{
    const cy_network *net = *state;
    igraph_attribute_table_t *before;
    size_t size;
    char *data = export_buffer(net, cy_export_graphml, &size);
    igraph_t g;

    /* The handler is global: the export must leave it as it found it. */
    before = igraph_set_attribute_table(NULL);
    assert_null(before);
    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, size, &g);
    assert_int_equal(igraph_vcount(&g), 7);
    assert_int_equal(igraph_ecount(&g), 8);
    assert_true(igraph_is_directed(&g));
    assert_string_equal(GAS(&g, "name"), "render test: two parks, two regions, two clusters");
    assert_string_equal(GAS(&g, "format"), "chengyu/1");
    /* Vertex i is enterprise i, with every field. */
    assert_string_equal(VAS(&g, "id", 0), "oem1");
    assert_string_equal(VAS(&g, "name", 0), "OEM One");
    assert_string_equal(VAS(&g, "name_zh", 0), "\xE4\xB8\x80\xE5\x8F\xB7\xE6\x95\xB4\xE8\xBD\xA6");
    assert_string_equal(VAS(&g, "kind", 0), "oem");
    assert_string_equal(VAS(&g, "region", 0), "cq");
    assert_string_equal(VAS(&g, "region_name", 0), "Chongqing");
    assert_string_equal(VAS(&g, "park", 0), "p1");
    assert_string_equal(VAS(&g, "park_name", 0), "Park One");
    assert_string_equal(VAS(&g, "clusters", 1), "auto;elec");
    assert_string_equal(VAS(&g, "requires", 0), "seat;chip");
    assert_string_equal(VAS(&g, "id", 6), "x");
    assert_string_equal(VAS(&g, "region", 6), "");
    assert_close(VAN(&g, "tier", 0), 0, 0);
    assert_close(VAN(&g, "tier", 5), 2, 0);
    assert_close(VAN(&g, "tier", 6), -1, 0); /* none */
    assert_close(VAN(&g, "output_value", 0), 1000, 0);
    assert_close(VAN(&g, "output_value", 4), 40, 0);
    /* Edge j is link j, supplier -> customer. */
    for (igraph_integer_t j = 0; j < 8; j++) {
        assert_int_equal(IGRAPH_FROM(&g, j), (igraph_integer_t)cy_link_from(net, (size_t)j));
        assert_int_equal(IGRAPH_TO(&g, j), (igraph_integer_t)cy_link_to(net, (size_t)j));
        assert_close(EAN(&g, "volume", j), cy_link_volume(net, (size_t)j), 0);
        assert_close(EAN(&g, "share", j), -1, 0);
    }
    assert_string_equal(EAS(&g, "part", 0), "seat");
    assert_string_equal(EAS(&g, "part", 7), "software");
    assert_string_equal(VAS(&g, "label", 0), "OEM One");
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    /* Nodes are named by the enterprise ids, and edges by their ends. */
    assert_non_null(strstr(data, "\n    <node id=\"oem1\">\n"));
    assert_non_null(strstr(data, "\n    <node id=\"x\">\n"));
    assert_null(strstr(data, "id=\"n0\""));
    {
        char edge[128];
        snprintf(edge, sizeof edge, "\n    <edge source=\"%s\" target=\"%s\">\n",
                 cy_enterprise_id(net, cy_link_from(net, 0)),
                 cy_enterprise_id(net, cy_link_to(net, 0)));
        assert_non_null(strstr(data, edge));
    }
    free(data);
}

/* Ids with XML's special characters, tab and line feed: escaped in the
 * node name so that a parser reads back exactly the id. */
static void test_graphml_node_ids(void **state)
{
    const char *text =
        "{\"format\": \"chengyu/1\", \"name\": \"ids\", \"enterprises\": ["
        "{\"id\": \"a\\\"b&c<d>e\\tf\\ng'\", \"kind\": \"oem\", \"requires\": [\"p\"]},"
        "{\"id\": \"n0\", \"name\": \"\", \"kind\": \"supplier\"}],"
        "\"links\": [{\"from\": \"n0\", \"to\": \"a\\\"b&c<d>e\\tf\\ng'\", \"part\": \"p\"}]}";
    const char *escaped = "a&quot;b&amp;c&lt;d&gt;e&#9;f&#10;g'";
    cy_network *net = NULL;
    cy_error err;
    char *data, want[128];
    igraph_t g;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "ids", &net, &err), CY_OK);
    data = export_buffer(net, cy_export_graphml, NULL);
    snprintf(want, sizeof want, "    <node id=\"%s\">\n", escaped);
    assert_non_null(strstr(data, want));
    snprintf(want, sizeof want, "    <edge source=\"n0\" target=\"%s\">\n", escaped);
    assert_non_null(strstr(data, want));
    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, strlen(data), &g);
    assert_string_equal(VAS(&g, "id", 0), "a\"b&c<d>e\tf\ng'");
    assert_string_equal(VAS(&g, "label", 1), "n0"); /* no name: the id */
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* An id with a control character XML cannot carry would become U+FFFD and
 * could equal another: the nodes keep igraph's names, with a warning. */
static void test_graphml_control_id(void **state)
{
    const char *text = "{\"format\": \"chengyu/1\", \"name\": \"c\", \"enterprises\": ["
                       "{\"id\": \"a\\u0001\", \"kind\": \"oem\"},"
                       "{\"id\": \"a\\u0002\", \"kind\": \"oem\"}], \"links\": []}";
    cy_network *net = NULL;
    cy_error err;
    char *data = NULL;
    size_t size = 0;
    FILE *f;
    int warned = 0;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "ctl", &net, &err), CY_OK);
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_graphml(net, f, &err), CY_OK);
    fclose(f);
    for (size_t i = 0; i < err.count; i++)
        warned |= strstr(err.items[i].message, "n0, n1") != NULL;
    assert_true(warned);
    assert_non_null(strstr(data, "<node id=\"n0\">"));
    assert_non_null(strstr(data, "<node id=\"n1\">"));
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* Extra numeric attributes come back per vertex; a field's name is
 * refused. */
static void test_graphml_with(void **state)
{
    const cy_network *net = *state;
    double rank[7] = {1, 0, 2, 0, 0, 3, 0}, share[7] = {0.5, 0.25, 0.125, 0, 0, 0, 1e-300};
    cy_export_attribute extra[2] = {{"register_rank", rank}, {"pagerank", share}};
    cy_export_attribute clash[1] = {{"tier", rank}}, clash2[1] = {{"capacity", rank}};
    char *data = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&data, &size);
    cy_error err;
    igraph_t g;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_export_graphml_with(net, extra, 2, f, &err), CY_OK);
    fclose(f);
    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, size, &g);
    for (igraph_integer_t v = 0; v < 7; v++) {
        assert_close(VAN(&g, "register_rank", v), rank[v], 0);
        assert_close(VAN(&g, "pagerank", v), share[v], 0);
    }
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    free(data);
    data = NULL;
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_graphml_with(net, clash, 1, f, &err), CY_EUSAGE);
    fclose(f);
    assert_int_equal(size, 0);
    assert_non_null(strstr(err.items[err.count - 1].message, "'tier'"));
    free(data);
    data = NULL;
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_graphml_with(net, clash2, 1, f, &err), CY_EUSAGE);
    fclose(f);
    assert_non_null(strstr(err.items[err.count - 1].message, "'capacity'"));
    free(data);
    cy_error_destroy(&err);
}

/* Every allocation of the export made to fail in turn: out of memory,
 * nothing leaked (the sanitizer run checks), and then it succeeds. */
static void test_graphml_alloc_failure(void **state)
{
    const cy_network *net = *state;
    long total;
    cy_error err;
    cy_status status;
    char *data = NULL;
    size_t size = 0;
    FILE *f;

    cy_error_init(&err);
    cy_alloc_fail_after(-1, 0);
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_graphml(net, f, &err), CY_OK);
    fclose(f);
    free(data);
    total = cy_alloc_count();
    assert_true(total > 0);
    for (long k = 0; k < total; k++) {
        cy_error_clear(&err);
        data = NULL;
        f = open_memstream(&data, &size);
        cy_alloc_fail_after(k, 0);
        status = cy_export_graphml(net, f, &err);
        cy_alloc_fail_after(-1, 0);
        fclose(f);
        free(data);
        assert_int_equal(status, CY_ENOMEM);
    }
    cy_error_destroy(&err);
}

static void test_graphml_odd(void **state)
{
    cy_network *net = odd_network();
    cy_error err;
    char *data = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&data, &size);
    igraph_t g;
    int warned = 0;
    (void)state;

    cy_error_init(&err);
    assert_int_equal(cy_export_graphml(net, f, &err), CY_OK);
    fclose(f);
    /* The control character in the network's name becomes U+FFFD. */
    for (size_t i = 0; i < err.count; i++)
        warned |= err.items[i].severity == CY_SEV_WARNING &&
                  strstr(err.items[i].message, "U+FFFD") != NULL;
    assert_true(warned);
    cy_error_destroy(&err);

    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, size, &g);
    assert_int_equal(igraph_vcount(&g), 7);
    assert_int_equal(igraph_ecount(&g), 6);
    assert_string_equal(GAS(&g, "name"), "odd, \"names\"\nand <more> & \xEF\xBF\xBD");
    for (igraph_integer_t v = 0; odd_ids[v]; v++) {
        assert_string_equal(VAS(&g, "id", v), odd_ids[v]);
        assert_string_equal(VAS(&g, "name", v), "name, with \"quotes\"\nand a line");
        assert_string_equal(VAS(&g, "park", v), "park\\1");
        assert_string_equal(VAS(&g, "park_name", v), "<b>Park</b> & co");
        assert_string_equal(VAS(&g, "region", v), ""); /* the firms name none */
        /* List elements: ';' and '\' escaped by a backslash. */
        assert_string_equal(VAS(&g, "produces", v), "part\\;x\\\\y");
    }
    assert_string_equal(EAS(&g, "part", 0), "part;x\\y");
    assert_close(EAN(&g, "share", 0), 0.25, 0);
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    free(data);
    cy_network_free(net);
}

/* An XML parser reads a raw CR as LF: carriage returns are written as
 * &#13; and come back as they were. */
static void test_graphml_carriage_return(void **state)
{
    const char *text = "{\"format\": \"chengyu/1\", \"name\": \"n\\r\", \"enterprises\": "
                       "[{\"id\": \"a\\r\\nb\", \"name\": \"c\\rd\", \"kind\": \"oem\"}], "
                       "\"links\": []}";
    cy_network *net = NULL;
    cy_error err;
    char *data = NULL;
    size_t size = 0;
    FILE *f;
    igraph_t g;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "cr", &net, &err), CY_OK);
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_graphml(net, f, &err), CY_OK);
    fclose(f);
    assert_null(memchr(data, '\r', size));
    assert_non_null(strstr(data, "a&#13;\nb"));
    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, size, &g);
    assert_string_equal(GAS(&g, "name"), "n\r");
    assert_string_equal(VAS(&g, "id", 0), "a\r\nb");
    assert_string_equal(VAS(&g, "name", 0), "c\rd");
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* ---- CSV -------------------------------------------------------------- */

/* graphs/render-small.json: requires are derived from the links, parts
 * numbered in order of first mention (seat, chip, steel, software). */
static const char *const small_nodes =
    "id,name,name_zh,uscc,kind,tier,region,park,clusters,output_value,produces,requires,source,"
    "final_demand,capacity,inventory_days,recovery_days,longitude,latitude,output_in_effect,"
    "final_demand_in_effect,capacity_in_effect\n"
    /* No stress field given: those cells empty.  In effect: output =
     * output_value; final demand = output_value - outgoing volumes,
     * floored at 0 (s1: 100 - 125; s2: 50 - 30 = 20); capacity = output. */
    "oem1,OEM One,\xE4\xB8\x80\xE5\x8F\xB7\xE6\x95\xB4\xE8\xBD\xA6,,oem,0,cq,p1,auto,1000.0,,seat;chip,"
    ",,,,,,,1000.0,1000.0,1000.0\n"
    "oem2,OEM Two,,,oem,0,cd,p2,auto;elec,500.0,,seat;chip,,,,,,,,500.0,500.0,500.0\n"
    "s1,Seat maker,,,supplier,1,cq,p1,auto,100.0,,steel,,,,,,,,100.0,0.0,100.0\n"
    "s2,Chip maker A,,,supplier,1,cd,,elec,50.0,,software,,,,,,,,50.0,20.0,50.0\n"
    "s3,Chip maker B,,,supplier,1,cd,p2,,40.0,,steel,,,,,,,,40.0,0.0,40.0\n"
    "m1,Steel maker,,,material,2,cq,,,10.0,,,,,,,,,,10.0,0.0,10.0\n"
    "x,Software house,,,service,,,,,0.0,,,,,,,,,,0.0,0.0,0.0\n";

static const char *const small_edges =
    "from,to,part,volume,share,source\n"
    "s1,oem1,seat,100.0,,\n"
    "s2,oem1,chip,30.0,,\n"
    "s3,oem1,chip,20.0,,\n"
    "s3,oem2,chip,40.0,,\n"
    "s1,oem2,seat,25.0,,\n"
    "m1,s1,steel,10.0,,\n"
    "m1,s3,steel,5.0,,\n"
    "x,s2,software,2.0,,\n";

static void export_csv_raw(const cy_network *net, int raw, char **nodes, char **edges)
{
    size_t n_size, e_size;
    FILE *nf = open_memstream(nodes, &n_size), *ef = open_memstream(edges, &e_size);
    cy_write_options options;
    cy_error err;
    cy_write_options_init(&options, CY_FORMAT_CSV);
    options.csv_raw = raw;
    cy_error_init(&err);
    assert_int_equal(cy_export_csv(net, &options, nf, ef, &err), CY_OK);
    fclose(nf);
    fclose(ef);
    cy_error_destroy(&err);
}

static void export_csv(const cy_network *net, char **nodes, char **edges)
{
    export_csv_raw(net, 0, nodes, edges);
}

static void test_csv(void **state)
{
    char *nodes, *edges;
    export_csv(*state, &nodes, &edges);
    assert_string_equal(nodes, small_nodes);
    assert_string_equal(edges, small_edges);
    free(nodes);
    free(edges);
}

/* The steps of the CSV and GraphML exports on render-small.json (7
 * firms, 8 links: one report per step), and the same bytes as without
 * progress. */
static void test_progress(void **state)
{
    char *nodes, *edges, *n2 = NULL, *e2 = NULL, *g1, *g2 = NULL;
    size_t n_size = 0, e_size = 0, g_size = 0;
    FILE *nf = open_memstream(&n2, &n_size), *ef = open_memstream(&e2, &e_size), *gf;
    step_log log = {{0}, {0}, 0};
    cy_error err;
    cy_error_init(&err);
    assert_int_equal(cy_export_csv_run(*state, NULL, log_step, &log, nf, ef, &err), CY_OK);
    fclose(nf);
    fclose(ef);
    assert_int_equal(log.count, 3);
    assert_string_equal(log.what[0], "writing enterprises");
    assert_string_equal(log.what[1], "writing links");
    assert_true(log.percent[0] == 0 && log.percent[1] == 32 && log.percent[2] == 100);
    export_csv(*state, &nodes, &edges);
    assert_string_equal(n2, nodes);
    assert_string_equal(e2, edges);

    /* GraphML: the 14 text attributes, then igraph's nodes and edges. */
    log.count = 0;
    gf = open_memstream(&g2, &g_size);
    assert_int_equal(cy_export_graphml_run(*state, NULL, 0, log_step, &log, gf, &err), CY_OK);
    fclose(gf);
    assert_int_equal(log.count, 14 + 3);
    assert_string_equal(log.what[13], "preparing attributes");
    assert_true(log.percent[7] == 10.0);
    assert_string_equal(log.what[14], "writing enterprises");
    assert_true(log.percent[14] == 20.0);
    assert_string_equal(log.what[15], "writing links");
    assert_true(log.percent[15] == 55.0);
    check_steps(&log, NULL);
    g1 = export_buffer(*state, cy_export_graphml, NULL);
    assert_string_equal(g1, g2);
    cy_error_destroy(&err);
    free(nodes);
    free(edges);
    free(n2);
    free(e2);
    free(g1);
    free(g2);
}

static void test_csv_quoting(void **state)
{
    cy_network *net = odd_network();
    char *nodes, *edges;
    (void)state;
    export_csv(net, &nodes, &edges);
    /* RFC 4180: fields with a comma, quote or line break are quoted, quotes
     * doubled; the rest as is.  Lines end in LF. */
    assert_non_null(strstr(nodes, "\na b,\"name, with \"\"quotes\"\"\nand a line\","
                                  ",,supplier,,,park\\1,,,part\\;x\\\\y,part\\;x\\\\y,"
                                  /* no output_value: empty; in effect, output =
                                   * 1.5 out + 0 final demand = capacity */
                                  ",,,,,,,1.5,0.0,1.5\n"));
    assert_non_null(strstr(nodes, "\n\"q\"\"uo\\te\",\"name"));
    assert_null(strchr(nodes, '\r'));
    /* The id "-1.5" is text a spreadsheet would read as a number (or, with
     * "=", a formula): it gets an apostrophe; the numbers stay numbers. */
    assert_non_null(strstr(edges, "\n'-1.5,edge,part;x\\y,1.5,0.25,\n"));
    free(nodes);
    free(edges);
    /* --csv-raw: as it is. */
    export_csv_raw(net, 1, &nodes, &edges);
    assert_non_null(strstr(edges, "\n-1.5,edge,part;x\\y,1.5,0.25,\n"));
    free(nodes);
    free(edges);
    cy_network_free(net);
}

/* ---- DOT -------------------------------------------------------------- */

static const char *attr(void *obj, const char *name)
{
    const char *v = agget(obj, (char *)name);
    return v ? v : "";
}

static void test_dot(void **state)
{
    size_t size, again_size;
    char *data = export_buffer(*state, dot_export, &size);
    char *again = export_buffer(*state, dot_export, &again_size);
    Agraph_t *g = agmemread(data), *cq, *p1;
    Agnode_t *oem1, *s1;
    Agedge_t *e;
    assert_non_null(g);
    assert_int_equal(size, again_size);
    assert_memory_equal(data, again, size);
    assert_int_equal(agnnodes(g), 7);
    assert_int_equal(agnedges(g), 8);
    cq = agsubg(g, "cluster_cq", 0);
    assert_non_null(cq);
    p1 = agsubg(cq, "cluster_p1", 0);
    assert_non_null(p1);
    assert_string_equal(attr(cq, "label"), "Chongqing");
    assert_string_equal(attr(p1, "label"), "Park One");
    assert_string_equal(attr(p1, "demonstration"), "true");
    oem1 = agnode(g, "oem1", 0);
    s1 = agnode(g, "s1", 0);
    assert_non_null(oem1);
    assert_non_null(s1);
    assert_non_null(agsubnode(p1, oem1, 0));
    assert_non_null(agsubnode(cq, agnode(g, "m1", 0), 0));
    assert_null(agsubnode(p1, agnode(g, "m1", 0), 0));
    assert_string_equal(attr(oem1, "label"), "OEM One\\n\xE4\xB8\x80\xE5\x8F\xB7\xE6\x95\xB4\xE8\xBD\xA6");
    assert_string_equal(attr(oem1, "kind"), "oem");
    assert_string_equal(attr(oem1, "tier"), "0");
    assert_string_equal(attr(oem1, "requires"), "seat;chip");
    assert_string_equal(attr(oem1, "output_value"), "1000.0");
    assert_string_equal(attr(agnode(g, "x", 0), "tier"), "-1");
    e = agedge(g, s1, oem1, NULL, 0);
    assert_non_null(e);
    assert_string_equal(attr(e, "part"), "seat");
    assert_string_equal(attr(e, "volume"), "100.0");
    assert_string_equal(attr(e, "share"), "-1.0");
    agclose(g);
    free(data);
    free(again);
}

static void test_dot_odd(void **state)
{
    cy_network *net = odd_network();
    size_t size;
    char *data = export_buffer(net, dot_export, &size);
    Agraph_t *g = agmemread(data), *region, *park;
    (void)state;
    assert_non_null(g);
    /* Every id comes back as the node's name, keywords and all. */
    assert_int_equal(agnnodes(g), 7);
    assert_int_equal(agnedges(g), 6);
    region = agsubg(g, "cluster_r;1", 0);
    assert_non_null(region);
    park = agsubg(region, "cluster_park\\1", 0);
    assert_non_null(park);
    assert_string_equal(attr(park, "label"), "\\<b>Park</b> &amp; co");
    for (size_t k = 0; odd_ids[k]; k++) {
        Agnode_t *n = agnode(g, (char *)odd_ids[k], 0);
        if (!n)
            fail_msg("node '%s' did not come back", odd_ids[k]);
        assert_non_null(agsubnode(park, n, 0));
        assert_string_equal(attr(n, "name"), "name, with \"quotes\"\nand a line");
        assert_string_equal(attr(n, "label"), "name, with \"quotes\"\\nand a line");
        if (k > 0) {
            Agedge_t *e = agedge(g, agnode(g, (char *)odd_ids[k - 1], 0), n, NULL, 0);
            assert_non_null(e);
            assert_string_equal(attr(e, "part"), "part;x\\y");
            assert_string_equal(attr(e, "share"), "0.25");
        }
    }
    agclose(g);
    free(data);
    cy_network_free(net);
}

/* The strings that DOT's quoted form cannot carry: a backslash before a
 * quote, a backslash-newline, trailing backslashes (odd and even), with
 * markup, a CR, controls and a bidirectional override around them. */
static const char *const dot_hostile[] = {
    "a\\\"b", "line\\\ncontinued", "ends\\", "even\\\\", "<script>x\\</script>",
    "cr\r\nlf\\", "\x1b[2J\\\"", "\xE2\x80\xAE" "evil\\", "plain \"quoted\"", NULL};

/* Every id, name, part and group id comes back from cgraph's reader as
 * exactly the same bytes. */
static void test_dot_round_trip(void **state)
{
    json_t *doc = json_pack("{s:s, s:s, s:[{s:s}], s:[{s:s, s:s, s:s}], s:[], s:[]}",
                            "format", "chengyu/1", "name", "n\\", "regions", "id", "r\\\"",
                            "parks", "id", "p\\", "name", "P\\\n", "region", "r\\\"",
                            "enterprises", "links");
    cy_network *net;
    size_t size, k;
    char *data;
    Agraph_t *g;
    (void)state;
    for (k = 0; dot_hostile[k]; k++) {
        json_array_append_new(json_object_get(doc, "enterprises"),
                              json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", dot_hostile[k],
                                        "name", dot_hostile[(k + 1) % 9], "name_zh",
                                        dot_hostile[(k + 2) % 9], "source",
                                        dot_hostile[(k + 3) % 9], "kind", "supplier",
                                        "park", "p\\"));
        if (k > 0)
            json_array_append_new(json_object_get(doc, "links"),
                                  json_pack("{s:s, s:s, s:s}", "from", dot_hostile[k - 1],
                                            "to", dot_hostile[k], "part", dot_hostile[k]));
    }
    net = load_json_doc(doc, "hostile");
    data = export_buffer(net, dot_export, &size);
    g = agmemread(data);
    assert_non_null(g);
    assert_int_equal(agnnodes(g), 9);
    assert_int_equal(agnedges(g), 8);
    assert_non_null(agsubg(agsubg(g, "cluster_r\\\"", 0), "cluster_p\\", 0));
    for (k = 0; dot_hostile[k]; k++) {
        Agnode_t *n = agnode(g, (char *)dot_hostile[k], 0);
        if (!n)
            fail_msg("node %zu did not come back", k);
        assert_string_equal(attr(n, "name"), dot_hostile[(k + 1) % 9]);
        assert_string_equal(attr(n, "name_zh"), dot_hostile[(k + 2) % 9]);
        assert_string_equal(attr(n, "source"), dot_hostile[(k + 3) % 9]);
        assert_string_equal(attr(n, "park"), "p\\");
        if (k > 0) {
            Agedge_t *e = agedge(g, agnode(g, (char *)dot_hostile[k - 1], 0), n, NULL, 0);
            assert_non_null(e);
            assert_string_equal(attr(e, "part"), dot_hostile[k]);
        }
    }
    agclose(g);
    free(data);
    cy_network_free(net);
}

/* A string that neither form carries (a trailing backslash and an
 * unbalanced '>') is a clear error naming it, and nothing is written. */
static void test_dot_unwritable(void **state)
{
    const char *text = "{\"format\": \"chengyu/1\", \"name\": \"n\", \"enterprises\": "
                       "[{\"id\": \"a>b\\\\\", \"kind\": \"oem\"}, {\"id\": \"even\\\\\\\\\", "
                       "\"kind\": \"oem\"}], \"links\": []}";
    cy_network *net = NULL;
    cy_error err;
    char *data = NULL;
    size_t size = 0;
    FILE *f;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(text, strlen(text), "bs", &net, &err), CY_OK);
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_dot(net, NULL, f, &err), CY_EINPUT);
    fclose(f);
    assert_int_equal(size, 0);
    /* Its name defaults to the id: two problems, both about 'a>b\'. */
    assert_int_equal(err.error_count, 2);
    assert_non_null(strstr(err.items[err.count - 1].message, "the name of enterprise 'a>b\\'"));
    assert_string_equal(err.items[err.count - 2].message,
                        "DOT cannot represent the id of enterprise 'a>b\\' (a backslash "
                        "before a quote, a line break or its end, and unbalanced angle "
                        "brackets); export GraphML or CSV instead");
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/* 2,001 parks without a region and 10,000 firms: agwrite would check each
 * firm against each park, (10,000 + 0) x 2,001 > 2e7, so the clusters are
 * left out with a warning and parks stay attributes. */
static void test_dot_many_clusters(void **state)
{
    json_t *doc = json_pack("{s:s, s:s, s:[], s:[], s:[]}", "format", "chengyu/1",
                            "name", "many parks", "parks", "enterprises", "links");
    cy_network *net = NULL;
    cy_error err;
    char *data = NULL;
    size_t size = 0;
    FILE *f;
    int warned = 0;
    (void)state;
    for (int k = 0; k < 2001; k++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", k);
        json_array_append_new(json_object_get(doc, "parks"), json_pack("{s:s}", "id", id));
    }
    for (int k = 0; k < 10000; k++) {
        char id[16], park[16];
        snprintf(id, sizeof id, "f%d", k);
        snprintf(park, sizeof park, "p%d", k % 2001);
        json_array_append_new(json_object_get(doc, "enterprises"),
                              json_pack("{s:s, s:s, s:s}", "id", id, "kind", "supplier",
                                        "park", park));
    }
    net = load_json_doc(doc, "many");
    cy_error_init(&err);
    f = open_memstream(&data, &size);
    assert_int_equal(cy_export_dot(net, NULL, f, &err), CY_OK);
    fclose(f);
    for (size_t i = 0; i < err.count; i++)
        warned |= strstr(err.items[i].message, "written as node attributes only") != NULL;
    assert_true(warned);
    assert_null(strstr(data, "subgraph"));
    assert_non_null(strstr(data, "park=p2000"));
    free(data);
    cy_error_destroy(&err);
    cy_network_free(net);
}

/*
 * tests/fixtures/good/export_fields.json (format.md's worked example with
 * two locations): each field as given, empty (CSV), absent (GraphML) or
 * not written (DOT) where the file does not give it, and the values in
 * effect as format.md derives them: output = output_value, else outgoing
 * volumes + final demand (chip: 60 + 40 = 100; lith: 20 + 0); final
 * demand = output_value - outgoing volumes floored at 0 (pack: 300 - 250
 * = 50; cell: 100 - 120, so 0), else 0; capacity = given, else output.
 */
static const char *const fields_nodes =
    "id,name,name_zh,uscc,kind,tier,region,park,clusters,output_value,produces,requires,source,"
    "final_demand,capacity,inventory_days,recovery_days,longitude,latitude,output_in_effect,"
    "final_demand_in_effect,capacity_in_effect\n"
    "car,car,,,oem,,cq,,,1000.0,,battery;chip,,,1200.0,10.0,30.0,106.55,29.56,1000.0,1000.0,1200.0\n"
    "pack,pack,,,supplier,,cd,,,300.0,,cell,,,,,,,,300.0,50.0,300.0\n"
    "cell,cell,,,supplier,,cq,,,100.0,,lithium,,,,,,,,100.0,0.0,100.0\n"
    "chip,chip,,,supplier,,sz,,,,,,,40.0,100.0,0.0,,114.06,22.54,100.0,40.0,100.0\n"
    "lith,lith,,,material,,,,,,,,,,,,5.5,,,20.0,0.0,20.0\n";

/* Node, attribute, value read back from the DOT export. */
static const char *const dot_want[][3] = {
    {"car", "capacity", "1200.0"}, {"car", "recovery_days", "30.0"},
    {"car", "final_demand", ""}, {"pack", "final_demand_in_effect", "50.0"},
    {"pack", "recovery_days", ""}, {"chip", "longitude", "114.06"},
    {"chip", "inventory_days", "0.0"}, {"chip", "output_value", ""},
    {"chip", "output_in_effect", "100.0"}, {"lith", "inventory_days", ""},
    {"lith", "capacity_in_effect", "20.0"}, {"lith", "latitude", ""}};

static void test_export_fields(void **state)
{
    cy_network *net = load_tree_file("tests/fixtures/good", "export_fields.json");
    const double want[5][10] = {
        {1000, NAN, 1200, 10, 30, 106.55, 29.56, 1000, 1000, 1200},
        {300, NAN, NAN, NAN, NAN, NAN, NAN, 300, 50, 300},
        {100, NAN, NAN, NAN, NAN, NAN, NAN, 100, 0, 100},
        {NAN, 40, 100, 0, NAN, 114.06, 22.54, 100, 40, 100},
        {NAN, NAN, NAN, NAN, 5.5, NAN, NAN, 20, 0, 20}};
    const char *names[10] = {"output_value", "final_demand", "capacity", "inventory_days",
                             "recovery_days", "longitude", "latitude", "output_in_effect",
                             "final_demand_in_effect", "capacity_in_effect"};
    char *nodes, *edges, *data;
    size_t size;
    igraph_t g;
    Agraph_t *dot;
    (void)state;
    export_csv(net, &nodes, &edges);
    assert_string_equal(nodes, fields_nodes);
    free(nodes);
    free(edges);
    /* GraphML: igraph reads a value left out as NaN. */
    data = export_buffer(net, cy_export_graphml, &size);
    igraph_set_attribute_table(&igraph_cattribute_table);
    read_graphml(data, size, &g);
    for (igraph_integer_t v = 0; v < 5; v++)
        for (int k = 0; k < 10; k++) {
            if (isnan(want[v][k]))
                assert_true(isnan(VAN(&g, names[k], v)));
            else
                assert_close(VAN(&g, names[k], v), want[v][k], 0);
        }
    igraph_destroy(&g);
    igraph_set_attribute_table(NULL);
    assert_null(strstr(data, "NaN"));
    free(data);
    /* DOT: a field not given is the declared default, "". */
    data = export_buffer(net, dot_export, NULL);
    assert_non_null(dot = agmemread(data));
    for (size_t k = 0; k < sizeof dot_want / sizeof *dot_want; k++)
        assert_string_equal(attr(agnode(dot, (char *)dot_want[k][0], 0), dot_want[k][1]),
                            dot_want[k][2]);
    agclose(dot);
    free(data);
    cy_network_free(net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_graphml),
        cmocka_unit_test(test_graphml_odd),
        cmocka_unit_test(test_graphml_carriage_return),
        cmocka_unit_test(test_graphml_node_ids),
        cmocka_unit_test(test_graphml_control_id),
        cmocka_unit_test(test_graphml_with),
        cmocka_unit_test(test_graphml_alloc_failure),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_export_fields),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_dot),
        cmocka_unit_test(test_dot_odd),
        cmocka_unit_test(test_dot_round_trip),
        cmocka_unit_test(test_dot_unwritable),
        cmocka_unit_test(test_dot_many_clusters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
