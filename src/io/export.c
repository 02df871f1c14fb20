/*
 * export.c - the network in formats other tools read: GraphML (igraph's
 * writer, for Gephi, Cytoscape, yEd, NetworkX) and two CSV tables (the
 * output layer's CSV writer).  DOT, which needs cgraph, is in
 * render/export_dot.c.
 *
 * List fields (clusters, produces, requires) are written as one string,
 * elements joined with ';', with any ';' or '\' inside an element escaped
 * by a backslash, so the lists split back unambiguously.
 */
#define _GNU_SOURCE /* fopencookie */
#include "export.h"

#include <string.h>

/* ---- shared ----------------------------------------------------------- */

static cy_status oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while exporting");
    return CY_ENOMEM;
}

void cy_i_export_join_clusters(const cy_network *net, const cy_i_enterprise *e,
                               cy_r_buf *buf)
{
    for (size_t k = 0; k < e->cluster_count; k++)
        cy_r_buf_list_item(buf, net->groups[CY_GROUP_CLUSTER][e->clusters[k]].id, k == 0);
}

void cy_i_export_join_parts(const cy_network *net, const size_t *parts, size_t count,
                            cy_r_buf *buf)
{
    for (size_t k = 0; k < count; k++)
        cy_r_buf_list_item(buf, net->parts.strings[parts[k]], k == 0);
}

const char *cy_i_export_group_id(const cy_network *net, cy_group_kind kind, long g)
{
    return g >= 0 ? net->groups[kind][g].id : "";
}

static const char *group_name_or_empty(const cy_network *net, cy_group_kind kind, long g)
{
    return g >= 0 ? net->groups[kind][g].name : "";
}

/* ---- GraphML ---------------------------------------------------------- */

enum {
    V_ID, V_NAME, V_NAME_ZH, V_USCC, V_KIND, V_REGION, V_REGION_NAME, V_PARK,
    V_PARK_NAME, V_CLUSTERS, V_PRODUCES, V_REQUIRES, V_SOURCE, V_STRING_COUNT
};
static const char *const vertex_strings[V_STRING_COUNT] = {
    "id", "name", "name_zh", "uscc", "kind", "region", "region_name", "park",
    "park_name", "clusters", "produces", "requires", "source"};

typedef struct {
    size_t replaced;      /* strings with control characters made XML-safe */
    int carriage_return;  /* some string holds a CR (any_carriage_return) */
    int oom;
} xml_state;

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

static igraph_error_t vertex_string(const cy_network *net, size_t i, int which,
                                    igraph_strvector_t *sv, xml_state *st)
{
    const cy_i_enterprise *e = &net->enterprises[i];
    igraph_error_t rc;
    cy_r_buf buf;
    const char *s = NULL;
    switch (which) {
    case V_ID: s = e->id; break;
    case V_NAME: s = e->name; break;
    case V_NAME_ZH: s = e->name_zh; break;
    case V_USCC: s = e->uscc; break;
    case V_KIND: s = cy_kind_name(e->kind); break;
    case V_REGION: s = cy_i_export_group_id(net, CY_GROUP_REGION, e->region); break;
    case V_REGION_NAME: s = group_name_or_empty(net, CY_GROUP_REGION, e->region); break;
    case V_PARK: s = cy_i_export_group_id(net, CY_GROUP_PARK, e->park); break;
    case V_PARK_NAME: s = group_name_or_empty(net, CY_GROUP_PARK, e->park); break;
    case V_SOURCE: s = e->source; break;
    default:
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
        rc = set_xml(sv, (igraph_integer_t)i, s, st);
        cy_r_buf_free(&buf);
        return rc;
    }
    return set_xml(sv, (igraph_integer_t)i, s, st);
}

/* Build the attributed copy of the supply graph and write it.  Runs with
 * igraph's C attribute handler installed (see cy_export_graphml). */
static cy_status write_graphml(const cy_network *net, FILE *out, cy_error *err,
                               xml_state *st)
{
    size_t n = net->enterprise_count, m = net->link_count;
    igraph_t g;
    igraph_vector_int_t edges;
    igraph_strvector_t sv;
    igraph_vector_t num;
    igraph_error_t rc;
    int have_graph = 0, have_edges = 0, have_sv = 0, have_num = 0;
    cy_status status = CY_OK;
    const char *what = "GraphML export";

    if ((rc = igraph_vector_int_init(&edges, 2 * (igraph_integer_t)m)))
        goto fail;
    have_edges = 1;
    for (size_t j = 0; j < m; j++) {
        VECTOR(edges)[2 * j] = (igraph_integer_t)net->links[j].from;
        VECTOR(edges)[2 * j + 1] = (igraph_integer_t)net->links[j].to;
    }
    if ((rc = igraph_empty(&g, (igraph_integer_t)n, IGRAPH_DIRECTED)))
        goto fail;
    have_graph = 1;
    if ((rc = igraph_add_edges(&g, &edges, NULL)))
        goto fail;

    {
        const char *values[3] = {net->name, net->description, CY_FORMAT};
        const char *names[3] = {"name", "description", "format"};
        for (int k = 0; k < 3; k++) {
            int changed;
            char *safe;
            if (!values[k])
                continue;
            if (!(safe = cy_r_xml_safe(values[k], &changed))) {
                st->oom = 1;
                rc = IGRAPH_ENOMEM;
                goto fail;
            }
            st->replaced += (size_t)changed;
                    rc = igraph_cattribute_GAS_set(&g, names[k], safe);
            cy_free(safe);
            if (rc)
                goto fail;
        }
    }

    if ((rc = igraph_strvector_init(&sv, (igraph_integer_t)n)))
        goto fail;
    have_sv = 1;
    for (int which = 0; which < V_STRING_COUNT; which++) {
        for (size_t i = 0; i < n; i++)
            if ((rc = vertex_string(net, i, which, &sv, st)))
                goto fail;
        if ((rc = igraph_cattribute_VAS_setv(&g, vertex_strings[which], &sv)))
            goto fail;
    }
    if ((rc = igraph_vector_init(&num, (igraph_integer_t)n)))
        goto fail;
    have_num = 1;
    for (size_t i = 0; i < n; i++)
        VECTOR(num)[i] = net->enterprises[i].tier;
    if ((rc = igraph_cattribute_VAN_setv(&g, "tier", &num)))
        goto fail;
    for (size_t i = 0; i < n; i++)
        VECTOR(num)[i] = net->enterprises[i].output_value;
    if ((rc = igraph_cattribute_VAN_setv(&g, "output_value", &num)))
        goto fail;

    /* Edge attributes. */
    igraph_strvector_destroy(&sv);
    have_sv = 0;
    if ((rc = igraph_strvector_init(&sv, (igraph_integer_t)m)))
        goto fail;
    have_sv = 1;
    for (size_t j = 0; j < m; j++)
        if ((rc = set_xml(&sv, (igraph_integer_t)j, net->parts.strings[net->links[j].part], st)))
            goto fail;
    if ((rc = igraph_cattribute_EAS_setv(&g, "part", &sv)))
        goto fail;
    for (size_t j = 0; j < m; j++)
        if ((rc = set_xml(&sv, (igraph_integer_t)j, net->links[j].source, st)))
            goto fail;
    if ((rc = igraph_cattribute_EAS_setv(&g, "source", &sv)))
        goto fail;
    if ((rc = igraph_vector_resize(&num, (igraph_integer_t)m)))
        goto fail;
    for (size_t j = 0; j < m; j++)
        VECTOR(num)[j] = net->links[j].volume;
    if ((rc = igraph_cattribute_EAN_setv(&g, "volume", &num)))
        goto fail;
    for (size_t j = 0; j < m; j++)
        VECTOR(num)[j] = net->links[j].share;
    if ((rc = igraph_cattribute_EAN_setv(&g, "share", &num)))
        goto fail;

    what = "writing GraphML";
    if ((rc = igraph_write_graph_graphml(&g, out, 1)))
        goto fail;
    goto cleanup;
fail:
    status = st->oom ? oom(err) : cy_i_igraph_status(rc, err, what);
cleanup:
    if (have_num)
        igraph_vector_destroy(&num);
    if (have_sv)
        igraph_strvector_destroy(&sv);
    if (have_graph)
        igraph_destroy(&g);
    if (have_edges)
        igraph_vector_int_destroy(&edges);
    return status;
}

/*
 * An XML parser reads a raw carriage return in text as a line feed (XML
 * 1.0, section 2.11), and igraph's writer escapes only & < > " ', so a CR
 * in a name would come back as LF.  When some string holds one, the
 * document goes through this filter, which writes every CR byte as the
 * character reference &#13;.  igraph's own line ends are LF: a CR in the
 * document can only come from a string.
 */
static ssize_t cr_filter_write(void *cookie, const char *data, size_t size)
{
    FILE *out = cookie;
    const char *run = data, *end = data + size;
    for (const char *p = data; p < end; p++)
        if (*p == '\r') {
            if (fwrite(run, 1, (size_t)(p - run), out) != (size_t)(p - run) ||
                fputs("&#13;", out) == EOF)
                return -1;
            run = p + 1;
        }
    if (fwrite(run, 1, (size_t)(end - run), out) != (size_t)(end - run))
        return -1;
    return (ssize_t)size;
}

/* Write the attributed graph to `out`, through the CR filter when
 * st->carriage_return says one is needed. */
static cy_status write_document(const cy_network *net, FILE *out, cy_error *err,
                                xml_state *st)
{
    static const cookie_io_functions_t filter = {NULL, cr_filter_write, NULL, NULL};
    FILE *filtered;
    cy_status status;

    if (!st->carriage_return)
        return write_graphml(net, out, err, st);
    if (!(filtered = fopencookie(out, "w", filter)))
        return oom(err);
    status = write_graphml(net, filtered, err, st);
    if (fclose(filtered) != 0 && status == CY_OK) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing GraphML failed");
        status = CY_EIO;
    }
    return status;
}

/* Whether any string the GraphML holds has a carriage return. */
static int any_carriage_return(const cy_network *net)
{
    const char *graph[2] = {net->name, net->description};
    for (int k = 0; k < 2; k++)
        if (graph[k] && strchr(graph[k], '\r'))
            return 1;
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        for (size_t i = 0; i < net->group_count[k]; i++)
            if (strchr(net->groups[k][i].id, '\r') ||
                (net->groups[k][i].name && strchr(net->groups[k][i].name, '\r')))
                return 1;
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        const char *fields[] = {e->id, e->name, e->name_zh, e->uscc, e->source};
        for (int f = 0; f < 5; f++)
            if (fields[f] && strchr(fields[f], '\r'))
                return 1;
    }
    for (size_t p = 0; p < net->parts.count; p++)
        if (strchr(net->parts.strings[p], '\r'))
            return 1;
    for (size_t j = 0; j < net->link_count; j++)
        if (net->links[j].source && strchr(net->links[j].source, '\r'))
            return 1;
    return 0;
}

cy_status cy_export_graphml(const cy_network *net, FILE *out, cy_error *err)
{
    igraph_attribute_table_t *previous;
    xml_state st = {0, 0, 0};
    cy_status status;

    cy_library_init();
    /* The attribute handler is global to igraph: install it only for the
     * graph built here (created and destroyed inside) and put back
     * whatever was there before. */
    previous = igraph_set_attribute_table(&igraph_cattribute_table);
    st.carriage_return = any_carriage_return(net);
    status = write_document(net, out, err, &st);
    igraph_set_attribute_table(previous);
    if (status == CY_OK && st.replaced)
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "%zu strings contain control characters that XML cannot "
                     "carry; they are written as U+FFFD", st.replaced);
    if (status == CY_OK && (fflush(out) != 0 || ferror(out))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing GraphML failed");
        status = CY_EIO;
    }
    return status;
}

/* ---- CSV -------------------------------------------------------------- */

/* A list field joined into one text cell; 0 on OOM. */
static int csv_list(cy_r_csv *csv, cy_r_buf *buf)
{
    const char *text = cy_r_buf_str(buf);
    cy_r_csv_text(csv, text);
    cy_r_buf_free(buf);
    return text != NULL;
}

static int csv_node(cy_r_csv *csv, const cy_network *net, const cy_i_enterprise *e)
{
    cy_r_buf buf;
    int ok = 1;

    cy_r_csv_text(csv, e->id);
    cy_r_csv_text(csv, e->name);
    cy_r_csv_text(csv, e->name_zh);
    cy_r_csv_text(csv, e->uscc);
    cy_r_csv_text(csv, cy_kind_name(e->kind));
    if (e->tier >= 0)
        cy_r_csv_integer(csv, e->tier);
    else
        cy_r_csv_empty(csv);
    cy_r_csv_text(csv, cy_i_export_group_id(net, CY_GROUP_REGION, e->region));
    cy_r_csv_text(csv, cy_i_export_group_id(net, CY_GROUP_PARK, e->park));
    cy_r_buf_init(&buf);
    cy_i_export_join_clusters(net, e, &buf);
    ok &= csv_list(csv, &buf);
    cy_r_csv_real(csv, e->output_value);
    cy_i_export_join_parts(net, e->produces, e->produces_count, &buf);
    ok &= csv_list(csv, &buf);
    cy_i_export_join_parts(net, e->requires, e->requires_count, &buf);
    ok &= csv_list(csv, &buf);
    cy_r_csv_text(csv, e->source);
    cy_r_csv_row_end(csv);
    return ok;
}

cy_status cy_export_csv(const cy_network *net, const cy_write_options *options,
                        FILE *nodes, FILE *edges, cy_error *err)
{
    int raw = options && options->csv_raw;
    cy_r_csv csv;

    cy_library_init();
    cy_r_csv_init(&csv, nodes, raw);
    cy_r_csv_header(&csv, "id,name,name_zh,uscc,kind,tier,region,park,clusters,output_value,"
                          "produces,requires,source");
    for (size_t i = 0; i < net->enterprise_count; i++)
        if (!csv_node(&csv, net, &net->enterprises[i]))
            return oom(err);
    cy_r_csv_init(&csv, edges, raw);
    cy_r_csv_header(&csv, "from,to,part,volume,share,source");
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        cy_r_csv_text(&csv, net->enterprises[l->from].id);
        cy_r_csv_text(&csv, net->enterprises[l->to].id);
        cy_r_csv_text(&csv, net->parts.strings[l->part]);
        cy_r_csv_real(&csv, l->volume);
        if (l->share >= 0)
            cy_r_csv_real(&csv, l->share);
        else
            cy_r_csv_empty(&csv);
        cy_r_csv_text(&csv, l->source);
        cy_r_csv_row_end(&csv);
    }
    if (fflush(nodes) != 0 || ferror(nodes) || fflush(edges) != 0 || ferror(edges)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing CSV failed");
        return CY_EIO;
    }
    return CY_OK;
}
