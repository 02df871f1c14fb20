/*
 * export_graphml.c - the network as GraphML through igraph's writer, for
 * Gephi, Cytoscape, yEd and NetworkX: vertex = enterprise, edge = link,
 * every field but meta an attribute (export.h: a number the file does not
 * give is left out), plus the output, final demand and capacity in effect
 * and any extra numeric vertex attributes the caller computed (the
 * weak-link register, centrality measures).
 *
 * igraph names its nodes n0, n1, ...; a Gephi or NetworkX user wants the
 * enterprise ids, so the document goes through a filter that rewrites the
 * node and edge markup with the ids (and writes carriage returns as
 * &#13;, which an XML parser would otherwise read back as line feeds).
 */
#define _GNU_SOURCE /* fopencookie */
#include "export.h"

#include <string.h>

enum {
    V_ID, V_LABEL, V_NAME, V_NAME_ZH, V_USCC, V_KIND, V_REGION, V_REGION_NAME,
    V_PARK, V_PARK_NAME, V_CLUSTERS, V_PRODUCES, V_REQUIRES, V_SOURCE, V_STRING_COUNT
};
static const char *const vertex_strings[V_STRING_COUNT] = {
    "id", "label", "name", "name_zh", "uscc", "kind", "region", "region_name", "park",
    "park_name", "clusters", "produces", "requires", "source"};
static const char *const vertex_numbers[] = {"tier", "output_value"};

typedef struct {
    size_t replaced;      /* strings with control characters made XML-safe */
    int oom;
    cy_i_progress progress;
    size_t nodes, edges;  /* node and edge elements written so far */
} xml_state;

/* The shares of the work, in percent (national preset): the attributes
 * set on igraph's copy, then the nodes, then the edges igraph writes. */
#define GRAPHML_SHARE_ATTRIBUTES 20.0
#define GRAPHML_SHARE_NODES 35.0

static const char *group_name_or_empty(const cy_network *net, cy_group_kind kind, long g)
{
    return g >= 0 && net->groups[kind][g].name ? net->groups[kind][g].name : "";
}

/* Store `s` made XML-safe at index i of sv. */
static igraph_error_t set_xml(igraph_strvector_t *sv, igraph_integer_t i,
                              const char *s, xml_state *st)
{
    int changed;
    char *safe;
    igraph_error_t rc;
    if (!s)
        s = "";
    safe = cy_r_xml_safe(s, &changed);
    if (!safe) {
        st->oom = 1;
        return IGRAPH_ENOMEM;
    }
    st->replaced += (size_t)changed;
    rc = igraph_strvector_set(sv, i, safe);
    cy_free(safe);
    return rc;
}

/* A list field (clusters, produces, requires) joined into one string. */
static igraph_error_t set_list(const cy_network *net, const cy_i_enterprise *e, int which,
                               igraph_strvector_t *sv, igraph_integer_t i, xml_state *st)
{
    igraph_error_t rc;
    const char *s;
    cy_r_buf buf;

    cy_r_buf_init(&buf);
    if (which == V_CLUSTERS)
        cy_i_export_join_clusters(net, e, &buf);
    else if (which == V_PRODUCES)
        cy_i_export_join_parts(net, e->produces, e->produces_count, &buf);
    else
        cy_i_export_join_parts(net, e->requires, e->requires_count, &buf);
    if (!(s = cy_r_buf_str(&buf))) {
        cy_r_buf_free(&buf);
        st->oom = 1;
        return IGRAPH_ENOMEM;
    }
    rc = set_xml(sv, i, s, st);
    cy_r_buf_free(&buf);
    return rc;
}

/* The label Gephi and Cytoscape show: the name, or the id without one. */
static const char *label_of(const cy_i_enterprise *e)
{
    return e->name && *e->name ? e->name : e->id;
}

static igraph_error_t vertex_string(const cy_network *net, size_t i, int which,
                                    igraph_strvector_t *sv, xml_state *st)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    const char *s = NULL;
    switch (which) {
    case V_ID: s = e->id; break;
    case V_LABEL: s = label_of(e); break;
    case V_NAME: s = e->name; break;
    case V_NAME_ZH: s = e->name_zh; break;
    case V_USCC: s = e->uscc; break;
    case V_KIND: s = cy_kind_name(e->kind); break;
    case V_REGION: s = cy_i_export_group_id(net, CY_GROUP_REGION, e->region); break;
    case V_REGION_NAME: s = group_name_or_empty(net, CY_GROUP_REGION, e->region); break;
    case V_PARK: s = cy_i_export_group_id(net, CY_GROUP_PARK, e->park); break;
    case V_PARK_NAME: s = group_name_or_empty(net, CY_GROUP_PARK, e->park); break;
    case V_SOURCE: s = e->source; break;
    default: return set_list(net, e, which, sv, (igraph_integer_t)i, st);
    }
    return set_xml(sv, (igraph_integer_t)i, s, st);
}

/* The graph's name, description and format. */
static igraph_error_t set_graph_strings(const cy_network *net, igraph_t *g, xml_state *st)
{
    const char *values[3] = {net->name, net->description, CY_FORMAT};
    const char *names[3] = {"name", "description", "format"};
    igraph_error_t rc;
    int changed;
    char *safe;

    for (int k = 0; k < 3; k++) {
        if (!values[k])
            continue;
        if (!(safe = cy_r_xml_safe(values[k], &changed))) {
            st->oom = 1;
            return IGRAPH_ENOMEM;
        }
        st->replaced += (size_t)changed;
        rc = igraph_cattribute_GAS_set(g, names[k], safe);
        cy_free(safe);
        if (rc)
            return rc;
    }
    return IGRAPH_SUCCESS;
}

/* The numeric vertex attribute `name`: values[i] for enterprise i. */
static igraph_error_t set_vertex_numbers(size_t n, igraph_t *g, igraph_vector_t *num,
                                         const char *name, const double *values)
{
    for (size_t i = 0; i < n; i++)
        VECTOR(*num)[i] = values[i];
    return igraph_cattribute_VAN_setv(g, name, num);
}

static igraph_error_t set_vertex_attributes(const cy_network *net, igraph_t *g,
                                            const cy_export_attribute *extra,
                                            size_t extra_count, xml_state *st)
{
    size_t n = net->enterprise_count;
    igraph_strvector_t sv;
    igraph_vector_t num;
    igraph_error_t rc;

    if ((rc = igraph_strvector_init(&sv, (igraph_integer_t)n)))
        return rc;
    for (int which = 0; which < V_STRING_COUNT && !rc; which++) {
        if (st->progress.fn)
            st->progress.fn("preparing attributes",
                            GRAPHML_SHARE_ATTRIBUTES * which / V_STRING_COUNT,
                            st->progress.data);
        for (size_t i = 0; i < n && !rc; i++)
            rc = vertex_string(net, i, which, &sv, st);
        if (!rc)
            rc = igraph_cattribute_VAS_setv(g, vertex_strings[which], &sv);
    }
    igraph_strvector_destroy(&sv);
    if (rc || (rc = igraph_vector_init(&num, (igraph_integer_t)n)))
        return rc;
    for (size_t i = 0; i < n; i++)
        VECTOR(num)[i] = (double)net->enterprises[i].tier;
    rc = igraph_cattribute_VAN_setv(g, vertex_numbers[0], &num);
    for (size_t i = 0; i < n && !rc; i++)
        VECTOR(num)[i] = cy_i_export_output_value(&net->enterprises[i]);
    if (!rc)
        rc = igraph_cattribute_VAN_setv(g, vertex_numbers[1], &num);
    /* NAN (a field the file does not give) is left out of the node's data
     * by igraph's writer. */
    for (int k = 0; k < CY_X_NUMBER_COUNT && !rc; k++) {
        for (size_t i = 0; i < n; i++)
            VECTOR(num)[i] = cy_i_export_number(&net->enterprises[i], k);
        rc = igraph_cattribute_VAN_setv(g, cy_i_export_number_names[k], &num);
    }
    for (size_t k = 0; k < extra_count && !rc; k++)
        rc = set_vertex_numbers(n, g, &num, extra[k].name, extra[k].values);
    igraph_vector_destroy(&num);
    return rc;
}

static igraph_error_t set_edge_attributes(const cy_network *net, igraph_t *g,
                                          xml_state *st)
{
    size_t m = net->link_count;
    igraph_strvector_t sv;
    igraph_vector_t num;
    igraph_error_t rc;

    if ((rc = igraph_strvector_init(&sv, (igraph_integer_t)m)))
        return rc;
    for (size_t j = 0; j < m && !rc; j++)
        rc = set_xml(&sv, (igraph_integer_t)j, net->parts.strings[net->links[j].part], st);
    if (!rc)
        rc = igraph_cattribute_EAS_setv(g, "part", &sv);
    for (size_t j = 0; j < m && !rc; j++)
        rc = set_xml(&sv, (igraph_integer_t)j, net->links[j].source, st);
    if (!rc)
        rc = igraph_cattribute_EAS_setv(g, "source", &sv);
    igraph_strvector_destroy(&sv);
    if (rc || (rc = igraph_vector_init(&num, (igraph_integer_t)m)))
        return rc;
    for (size_t j = 0; j < m; j++)
        VECTOR(num)[j] = net->links[j].volume;
    rc = igraph_cattribute_EAN_setv(g, "volume", &num);
    for (size_t j = 0; j < m && !rc; j++)
        VECTOR(num)[j] = net->links[j].share;
    if (!rc)
        rc = igraph_cattribute_EAN_setv(g, "share", &num);
    igraph_vector_destroy(&num);
    return rc;
}

/* The supply graph: vertex i = enterprise i, edge j = link j. */
static igraph_error_t build_graph(const cy_network *net, igraph_t *g)
{
    igraph_vector_int_t edges;
    igraph_error_t rc;

    if ((rc = igraph_vector_int_init(&edges, 2 * (igraph_integer_t)net->link_count)))
        return rc;
    for (size_t j = 0; j < net->link_count; j++) {
        VECTOR(edges)[2 * j] = (igraph_integer_t)net->links[j].from;
        VECTOR(edges)[2 * j + 1] = (igraph_integer_t)net->links[j].to;
    }
    rc = igraph_create(g, &edges, (igraph_integer_t)net->enterprise_count, IGRAPH_DIRECTED);
    igraph_vector_int_destroy(&edges);
    return rc;
}

/* Build the attributed copy of the supply graph and write it.  Runs with
 * igraph's C attribute handler installed (see cy_export_graphml_with). */
static cy_status write_graphml(const cy_network *net, const cy_export_attribute *extra,
                               size_t extra_count, FILE *out, cy_error *err, xml_state *st)
{
    igraph_t g;
    igraph_error_t rc;
    cy_status status = CY_OK;

    if ((rc = build_graph(net, &g)))
        return st->oom ? cy_i_export_oom(err) : cy_i_igraph_status(rc, err, "GraphML export");
    if ((rc = set_graph_strings(net, &g, st)) ||
        (rc = set_vertex_attributes(net, &g, extra, extra_count, st)) ||
        (rc = set_edge_attributes(net, &g, st)))
        status = st->oom ? cy_i_export_oom(err) : cy_i_igraph_status(rc, err, "GraphML export");
    else if ((rc = igraph_write_graph_graphml(&g, out, 1)))
        status = st->oom ? cy_i_export_oom(err) : cy_i_igraph_status(rc, err, "writing GraphML");
    igraph_destroy(&g);
    return status;
}

/* ---- the node-id filter ---------------------------------------------- */

/*
 * igraph writes a node as `    <node id="nK">` and an edge as
 * `    <edge source="nK" target="nJ">`, each alone at the start of a line,
 * and escapes every '<' of attribute text, so such a line can only be its
 * markup.  The filter collects whole lines and rewrites those two with the
 * enterprise ids (ids NULL: igraph's names are kept); in every other line
 * it writes a CR byte as &#13; (igraph's own line ends are LF, so a CR can
 * only come from a string).
 */
typedef struct {
    FILE *out;
    const cy_network *net;  /* NULL: keep n0, n1, ... */
    cy_r_buf line;          /* the line being collected */
    xml_state *st;          /* st->oom set when the line cannot grow */
    size_t n, m;            /* the network's size, for the progress */
} id_filter;

static const char NODE_OPEN[] = "    <node id=\"n";
static const char EDGE_OPEN[] = "    <edge source=\"n";

/* The enterprise numbered by the digits at *p (igraph's "nK"), advancing
 * *p past them; -1 when they do not name one. */
static long node_number(const id_filter *f, const char **p)
{
    size_t k = 0;
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((k = k * 10 + (size_t)(*s - '0')) >= f->net->enterprise_count)
            return -1;
    *p = s;
    return (long)k;
}

static void put_id(id_filter *f, long k)
{
    cy_r_xml_attr(f->out, f->net->enterprises[k].id);
}

/* `    <node id="nK">` with K's id; 0 when the line is not that. */
static int rewrite_node(id_filter *f, const char *line)
{
    const char *p = line + sizeof NODE_OPEN - 1;
    long k = node_number(f, &p);
    if (k < 0 || strcmp(p, "\">\n") != 0)
        return 0;
    fputs("    <node id=\"", f->out);
    put_id(f, k);
    fputs("\">\n", f->out);
    return 1;
}

/* `    <edge source="nK" target="nJ">` with the two ids. */
static int rewrite_edge(id_filter *f, const char *line)
{
    const char *p = line + sizeof EDGE_OPEN - 1;
    long from = node_number(f, &p), to;
    if (from < 0 || strncmp(p, "\" target=\"n", 11) != 0)
        return 0;
    p += 11;
    if ((to = node_number(f, &p)) < 0 || strcmp(p, "\">\n") != 0)
        return 0;
    fputs("    <edge source=\"", f->out);
    put_id(f, from);
    fputs("\" target=\"", f->out);
    put_id(f, to);
    fputs("\">\n", f->out);
    return 1;
}

static void put_with_cr(FILE *out, const char *s, size_t size)
{
    const char *run = s, *end = s + size;
    for (const char *p = s; p < end; p++)
        if (*p == '\r') {
            fwrite(run, 1, (size_t)(p - run), out);
            fputs("&#13;", out);
            run = p + 1;
        }
    fwrite(run, 1, (size_t)(end - run), out);
}

/* One more node or edge element written: the progress of the writing. */
static void count_element(id_filter *f, int node)
{
    xml_state *st = f->st;
    if (node)
        cy_i_progress_step(&st->progress, "writing enterprises", GRAPHML_SHARE_ATTRIBUTES,
                           GRAPHML_SHARE_NODES, st->nodes++, f->n);
    else
        cy_i_progress_step(&st->progress, "writing links",
                           GRAPHML_SHARE_ATTRIBUTES + GRAPHML_SHARE_NODES,
                           100.0 - GRAPHML_SHARE_ATTRIBUTES - GRAPHML_SHARE_NODES,
                           st->edges++, f->m);
}

static void emit_line(id_filter *f)
{
    const char *line = f->line.data;
    int done = 0, node = strncmp(line, NODE_OPEN, sizeof NODE_OPEN - 1) == 0;
    if (node || strncmp(line, EDGE_OPEN, sizeof EDGE_OPEN - 1) == 0)
        count_element(f, node);
    if (f->net && node)
        done = rewrite_node(f, line);
    else if (f->net && strncmp(line, EDGE_OPEN, sizeof EDGE_OPEN - 1) == 0)
        done = rewrite_edge(f, line);
    if (!done)
        put_with_cr(f->out, line, f->line.len);
    f->line.len = 0;
}

static ssize_t filter_write(void *cookie, const char *data, size_t size)
{
    id_filter *f = cookie;
    const char *p = data, *end = data + size, *nl;

    while (p < end) {
        nl = memchr(p, '\n', (size_t)(end - p));
        cy_r_buf_putn(&f->line, p, (size_t)((nl ? nl + 1 : end) - p));
        if (!cy_r_buf_str(&f->line)) {
            f->st->oom = 1;
            return -1;
        }
        if (!nl)
            break;
        emit_line(f);
        p = nl + 1;
    }
    return ferror(f->out) ? -1 : (ssize_t)size;
}

/* Whether every id stays what it is in XML (no control character that
 * becomes U+FFFD): only then are the ids unique node names. */
static int ids_carry(const cy_network *net)
{
    for (size_t i = 0; i < net->enterprise_count; i++)
        if (!cy_r_xml_carries(net->enterprises[i].id))
            return 0;
    return 1;
}

/* Write the attributed graph to `out` through the id filter. */
static cy_status write_document(const cy_network *net, const cy_export_attribute *extra,
                                size_t extra_count, FILE *out, cy_error *err, xml_state *st)
{
    static const cookie_io_functions_t io = {NULL, filter_write, NULL, NULL};
    id_filter f = {out, ids_carry(net) ? net : NULL, {NULL, 0, 0, 0}, st,
                   net->enterprise_count, net->link_count};
    FILE *filtered;
    cy_status status;

    if (!f.net)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "some ids hold control characters that XML cannot carry: "
                     "the nodes are named n0, n1, ... (the 'id' attribute "
                     "has each id)");
    if (!(filtered = fopencookie(&f, "w", io)))
        return cy_i_export_oom(err);
    status = write_graphml(net, extra, extra_count, filtered, err, st);
    /* Closing flushes stdio's buffer through the filter, which may run
     * out of memory only then. */
    if (fclose(filtered) != 0 && status == CY_OK)
        status = st->oom ? cy_i_export_oom(err) : CY_EIO;
    if (status == CY_OK && f.line.len)
        emit_line(&f);
    if (status == CY_EIO)
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing GraphML failed");
    cy_r_buf_free(&f.line);
    return status;
}

/* An extra attribute must not take the name of a field's. */
static cy_status check_extra(const cy_export_attribute *extra, size_t count, cy_error *err)
{
    for (size_t k = 0; k < count; k++) {
        int taken = 0;
        for (int s = 0; s < V_STRING_COUNT; s++)
            taken |= strcmp(extra[k].name, vertex_strings[s]) == 0;
        for (int s = 0; s < 2; s++)
            taken |= strcmp(extra[k].name, vertex_numbers[s]) == 0;
        for (int s = 0; s < CY_X_NUMBER_COUNT; s++)
            taken |= strcmp(extra[k].name, cy_i_export_number_names[s]) == 0;
        for (size_t j = 0; j < k; j++)
            taken |= strcmp(extra[k].name, extra[j].name) == 0;
        if (taken) {
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "GraphML export: attribute '%s' is given twice", extra[k].name);
            return CY_EUSAGE;
        }
    }
    return CY_OK;
}

cy_status cy_export_graphml_with(const cy_network *net, const cy_export_attribute *extra,
                                 size_t extra_count, FILE *out, cy_error *err)
{
    return cy_export_graphml_run(net, extra, extra_count, NULL, NULL, out, err);
}

cy_status cy_export_graphml_run(const cy_network *net, const cy_export_attribute *extra,
                                size_t extra_count, cy_progress_fn progress,
                                void *progress_data, FILE *out, cy_error *err)
{
    igraph_attribute_table_t *previous;
    xml_state st = {0, 0, {progress, progress_data}, 0, 0};
    cy_status status;

    cy_library_init();
    if ((status = check_extra(extra, extra_count, err)) != CY_OK)
        return status;
    /* The attribute handler is global to igraph: install it only for the
     * graph built here (created and destroyed inside) and put back
     * whatever was there before. */
    previous = igraph_set_attribute_table(&igraph_cattribute_table);
    status = write_document(net, extra, extra_count, out, err, &st);
    igraph_set_attribute_table(previous);
    if (status == CY_OK && st.replaced)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "%zu strings contain control characters that XML cannot "
                     "carry; they are written as U+FFFD", st.replaced);
    if (status == CY_OK && (fflush(out) != 0 || ferror(out))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing GraphML failed");
        status = CY_EIO;
    }
    if (status == CY_OK && progress)
        progress("writing links", 100.0, progress_data);
    return status;
}

cy_status cy_export_graphml(const cy_network *net, FILE *out, cy_error *err)
{
    return cy_export_graphml_with(net, NULL, 0, out, err);
}
