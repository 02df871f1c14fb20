/*
 * export.c - the network in formats other tools read: GraphML (igraph's
 * writer, for Gephi, Cytoscape, yEd, NetworkX), two CSV tables, and DOT
 * (cgraph's writer).
 *
 * List fields (clusters, produces, requires) are written as one string,
 * elements joined with ';', with any ';' or '\' inside an element escaped
 * by a backslash, so the lists split back unambiguously.
 */
#include "render_internal.h"

#include <math.h>
#include <string.h>

/* ---- shared ----------------------------------------------------------- */

static cy_status oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while exporting");
    return CY_ENOMEM;
}

static void join_element(cy_r_buf *buf, const char *s, int first)
{
    if (!first)
        cy_r_buf_putn(buf, ";", 1);
    for (; *s; s++) {
        if (*s == ';' || *s == '\\')
            cy_r_buf_putn(buf, "\\", 1);
        cy_r_buf_putn(buf, s, 1);
    }
}

static void join_groups(const cy_network *net, const cy_i_enterprise *e, cy_r_buf *buf)
{
    for (size_t k = 0; k < e->cluster_count; k++)
        join_element(buf, net->groups[CY_GROUP_CLUSTER][e->clusters[k]].id, k == 0);
}

static void join_parts(const cy_network *net, const size_t *parts, size_t count,
                       cy_r_buf *buf)
{
    for (size_t k = 0; k < count; k++)
        join_element(buf, net->parts.strings[parts[k]], k == 0);
}

static const char *group_id(const cy_network *net, cy_group_kind kind, long g)
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
    size_t replaced; /* strings with control characters made XML-safe */
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
    case V_REGION: s = group_id(net, CY_GROUP_REGION, e->region); break;
    case V_REGION_NAME: s = group_name_or_empty(net, CY_GROUP_REGION, e->region); break;
    case V_PARK: s = group_id(net, CY_GROUP_PARK, e->park); break;
    case V_PARK_NAME: s = group_name_or_empty(net, CY_GROUP_PARK, e->park); break;
    case V_SOURCE: s = e->source; break;
    default:
        cy_r_buf_init(&buf);
        if (which == V_CLUSTERS)
            join_groups(net, e, &buf);
        else if (which == V_PRODUCES)
            join_parts(net, e->produces, e->produces_count, &buf);
        else
            join_parts(net, e->requires, e->requires_count, &buf);
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

cy_status cy_export_graphml(const cy_network *net, FILE *out, cy_error *err)
{
    igraph_attribute_table_t *previous;
    xml_state st = {0, 0};
    cy_status status;

    cy_library_init();
    /* The attribute handler is global to igraph: install it only for the
     * graph built here (created and destroyed inside) and put back
     * whatever was there before. */
    previous = igraph_set_attribute_table(&igraph_cattribute_table);
    status = write_graphml(net, out, err, &st);
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

/* One RFC 4180 field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s, int last)
{
    if (!s)
        s = "";
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
    fputs(last ? "\r\n" : ",", f);
}

static void csv_number(FILE *f, double value, int given, int last)
{
    if (given)
        fprintf(f, "%.17g", value);
    fputs(last ? "\r\n" : ",", f);
}

cy_status cy_export_csv(const cy_network *net, FILE *nodes, FILE *edges, cy_error *err)
{
    cy_r_buf buf;

    cy_library_init();
    fputs("id,name,name_zh,uscc,kind,tier,region,park,clusters,output_value,"
          "produces,requires,source\r\n", nodes);
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        csv_field(nodes, e->id, 0);
        csv_field(nodes, e->name, 0);
        csv_field(nodes, e->name_zh, 0);
        csv_field(nodes, e->uscc, 0);
        csv_field(nodes, cy_kind_name(e->kind), 0);
        csv_number(nodes, e->tier, e->tier >= 0, 0);
        csv_field(nodes, group_id(net, CY_GROUP_REGION, e->region), 0);
        csv_field(nodes, group_id(net, CY_GROUP_PARK, e->park), 0);
        cy_r_buf_init(&buf);
        join_groups(net, e, &buf);
        csv_field(nodes, cy_r_buf_str(&buf), 0);
        cy_r_buf_free(&buf);
        csv_number(nodes, e->output_value, 1, 0);
        join_parts(net, e->produces, e->produces_count, &buf);
        csv_field(nodes, cy_r_buf_str(&buf), 0);
        cy_r_buf_free(&buf);
        join_parts(net, e->requires, e->requires_count, &buf);
        csv_field(nodes, cy_r_buf_str(&buf), 0);
        if (buf.oom)
            return oom(err);
        cy_r_buf_free(&buf);
        csv_field(nodes, e->source, 1);
    }
    fputs("from,to,part,volume,share,source\r\n", edges);
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        csv_field(edges, net->enterprises[l->from].id, 0);
        csv_field(edges, net->enterprises[l->to].id, 0);
        csv_field(edges, net->parts.strings[l->part], 0);
        csv_number(edges, l->volume, 1, 0);
        csv_number(edges, l->share, l->share >= 0, 0);
        csv_field(edges, l->source, 1);
    }
    if (fflush(nodes) != 0 || ferror(nodes) || fflush(edges) != 0 || ferror(edges)) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing CSV failed");
        return CY_EIO;
    }
    return CY_OK;
}

/* ---- DOT -------------------------------------------------------------- */

typedef struct {
    const cy_network *net;
} dot_job;

static int dot_set(void *obj, const char *name, const char *value)
{
    return cy_r_set(obj, name, value ? value : "", "");
}

static int dot_set_escaped(void *obj, const char *name, const char *value,
                           cy_r_escape_mode mode)
{
    cy_r_buf buf;
    int ok;
    cy_r_buf_init(&buf);
    cy_r_buf_escaped(&buf, value, mode);
    ok = cy_r_buf_str(&buf) && dot_set(obj, name, cy_r_buf_str(&buf));
    cy_r_buf_free(&buf);
    return ok;
}

/* The cluster a firm goes into: its park's (inside the park's region's),
 * else its region's, else the root graph. */
static Agraph_t *dot_cluster(Agraph_t *g, const cy_network *net, cy_group_kind kind,
                             long index, Agraph_t **made, int *ok)
{
    const cy_i_group *group = &net->groups[kind][index];
    Agraph_t *parent = g, *sub;
    cy_r_buf name;
    if (made[index])
        return made[index];
    if (kind == CY_GROUP_PARK && group->region >= 0)
        parent = dot_cluster(g, net, CY_GROUP_REGION, group->region,
                             made + net->group_count[CY_GROUP_PARK] + 1, ok);
    cy_r_buf_init(&name);
    cy_r_buf_puts(&name, "cluster_");
    cy_r_buf_puts(&name, group->id);
    if (!cy_r_buf_str(&name) || !(sub = agsubg(parent, name.data, 1))) {
        cy_r_buf_free(&name);
        *ok = 0;
        return g;
    }
    cy_r_buf_free(&name);
    *ok &= dot_set_escaped(sub, "label", group->name ? group->name : group->id,
                           CY_R_ESC_LABEL);
    if (kind == CY_GROUP_PARK && group->demonstration)
        *ok &= dot_set(sub, "demonstration", "true");
    made[index] = sub;
    return sub;
}

/* DOT's quoted strings have one escape, \" for a quote, and read "\\" as
 * two backslashes: a string that ends in an odd run of backslashes cannot
 * be written at all (its closing quote would read as an escaped one). */
static int dot_writable(const char *s)
{
    size_t len = s ? strlen(s) : 0, run = 0;
    while (run < len && s[len - 1 - run] == '\\')
        run++;
    return run % 2 == 0;
}

/* Check every string the export writes unescaped; report each one that
 * DOT cannot carry.  Labels are escaped (backslashes doubled) and fine. */
static int dot_check(const cy_network *net, cy_error *err)
{
    static const char *const group_fields[] = {"region", "cluster", "park"};
    int ok = 1;
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        for (size_t g = 0; g < net->group_count[k]; g++)
            if (!dot_writable(net->groups[k][g].id)) {
                cy_error_add(err, CY_SEV_ERROR, NULL, "DOT cannot represent the %s id "
                             "'%s' (it ends in a backslash); export GraphML or CSV instead",
                             group_fields[k], net->groups[k][g].id);
                ok = 0;
            }
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        const char *fields[] = {e->id, e->name, e->name_zh, e->uscc, e->source};
        static const char *const names[] = {"id", "name", "name_zh", "uscc", "source"};
        for (int f = 0; f < 5; f++)
            if (!dot_writable(fields[f])) {
                cy_error_add(err, CY_SEV_ERROR, NULL, "DOT cannot represent the %s of "
                             "enterprise '%s' (it ends in a backslash); export GraphML "
                             "or CSV instead", names[f], e->id);
                ok = 0;
            }
    }
    for (size_t p = 0; p < net->parts.count; p++)
        if (!dot_writable(net->parts.strings[p])) {
            cy_error_add(err, CY_SEV_ERROR, NULL, "DOT cannot represent the part name "
                         "'%s' (it ends in a backslash); export GraphML or CSV instead",
                         net->parts.strings[p]);
            ok = 0;
        }
    return ok;
}

/* The node and edge attributes of the DOT export, with their defaults. */
enum {
    F_LABEL, F_NAME, F_NAME_ZH, F_USCC, F_KIND, F_TIER, F_REGION, F_PARK,
    F_OUTPUT, F_CLUSTERS, F_PRODUCES, F_REQUIRES, F_SOURCE, N_NODE_FIELDS
};
enum { E_PART, E_VOLUME, E_SHARE, N_EDGE_FIELDS };
static const struct {
    const char *name, *def;
} node_fields[N_NODE_FIELDS] = {
    {"label", "\\N"}, {"name", ""}, {"name_zh", ""}, {"uscc", ""},
    {"kind", "supplier"}, {"tier", "-1"}, {"region", ""}, {"park", ""},
    {"output_value", "0"}, {"clusters", ""}, {"produces", ""},
    {"requires", ""}, {"source", ""}},
  edge_fields[N_EDGE_FIELDS] = {{"part", ""}, {"volume", "0"}, {"share", "-1"}};

/* Set an attribute unless the value is its default (or absent). */
static int dot_put(void *obj, Agsym_t *sym, const char *value)
{
    if (!value || strcmp(value, sym->defval) == 0)
        return 1;
    return agxset(obj, sym, (char *)value) == 0;
}

/* Most subgraph checks agwrite may make before clusters are left out. */
#define DOT_CLUSTER_WORK_LIMIT 2e7

/*
 * cgraph's writer checks every node and every edge of a graph against each
 * of its subgraphs, level by level (node_in_subg, write_edge_test in
 * cgraph's write.c), so clusters make writing O((n + m) x clusters): two
 * hours' worth on the national preset.  The checks it would make: the
 * nodes and edges of the root against the top-level clusters, the firms of
 * each region against that region's parks.
 */
static double dot_cluster_work(const cy_network *net, cy_error *err)
{
    size_t regions = net->group_count[CY_GROUP_REGION];
    size_t parks = net->group_count[CY_GROUP_PARK], top = regions;
    size_t *region_parks = cy_calloc(regions + 1, sizeof *region_parks);
    size_t *region_firms = cy_calloc(regions + 1, sizeof *region_firms);
    double work;
    if (!region_parks || !region_firms) {
        cy_free(region_parks);
        cy_free(region_firms);
        oom(err);
        return -1;
    }
    for (size_t p = 0; p < parks; p++) {
        long r = net->groups[CY_GROUP_PARK][p].region;
        if (r >= 0)
            region_parks[r]++;
        else
            top++;
    }
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        long r = e->park >= 0 ? net->groups[CY_GROUP_PARK][e->park].region : e->region;
        if (r >= 0)
            region_firms[r]++;
    }
    work = (double)(net->enterprise_count + net->link_count) * (double)top;
    for (size_t r = 0; r < regions; r++)
        work += (double)region_firms[r] * (double)region_parks[r];
    cy_free(region_parks);
    cy_free(region_firms);
    return work;
}

static cy_status dot_run(void *ctx, FILE *out, cy_error *err)
{
    const cy_network *net = ((const dot_job *)ctx)->net;
    size_t parks = net->group_count[CY_GROUP_PARK];
    size_t regions = net->group_count[CY_GROUP_REGION];
    Agraph_t *g = NULL, **made = NULL;
    Agnode_t **nodes = NULL;
    cy_status status = CY_ENOMEM;
    int ok = 1, clusters = 1;
    Agsym_t *sym[N_NODE_FIELDS], *esym[N_EDGE_FIELDS];
    double work;

    cy_r_capture_begin();
    if ((work = dot_cluster_work(net, err)) < 0)
        goto cleanup;
    if (work > DOT_CLUSTER_WORK_LIMIT) {
        clusters = 0;
        cy_error_add(err, CY_SEV_WARNING, NULL,
                     "export: %zu parks and %zu regions as clusters would make "
                     "cgraph's writer check %.3g node and edge memberships; they "
                     "are written as node attributes only", parks, regions, work);
    }
    /* made[0 .. parks] for parks, made[parks + 1 ..] for regions. */
    made = cy_calloc(parks + regions + 2, sizeof *made);
    nodes = cy_calloc(net->enterprise_count + 1, sizeof *nodes);
    if (!made || !nodes || !(g = cy_r_graph_open("chengyu")))
        goto cleanup;
    ok &= dot_set_escaped(g, "label", net->name, CY_R_ESC_LABEL);
    ok &= dot_set(g, "format", CY_FORMAT);
    ok &= dot_set(g, "rankdir", "LR");
    ok &= dot_set(g, "fontname", CY_R_FONT);
    agattr(g, AGNODE, "fontname", CY_R_FONT);
    agattr(g, AGNODE, "shape", "box");
    /* Every field an attribute, declared once with its usual value as the
     * default: agwrite then prints only what differs, and setting goes by
     * symbol, not by a name lookup per object. */
    for (int k = 0; k < N_NODE_FIELDS; k++)
        ok &= (sym[k] = agattr(g, AGNODE, (char *)node_fields[k].name,
                               (char *)node_fields[k].def)) != NULL;
    for (int k = 0; k < N_EDGE_FIELDS; k++)
        ok &= (esym[k] = agattr(g, AGEDGE, (char *)edge_fields[k].name,
                                (char *)edge_fields[k].def)) != NULL;
    for (size_t i = 0; i < net->enterprise_count && ok; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        Agraph_t *parent = g;
        char tier[24], output[40];
        const char *value[N_NODE_FIELDS];
        cy_r_buf text[4]; /* label, clusters, produces, requires */
        if (clusters && e->park >= 0)
            parent = dot_cluster(g, net, CY_GROUP_PARK, e->park, made, &ok);
        else if (clusters && e->region >= 0)
            parent = dot_cluster(g, net, CY_GROUP_REGION, e->region, made + parks + 1, &ok);
        if (!ok || !(nodes[i] = agnode(parent, (char *)e->id, 1))) {
            ok = 0;
            break;
        }
        for (int k = 0; k < 4; k++)
            cy_r_buf_init(&text[k]);
        cy_r_buf_escaped(&text[0], e->name ? e->name : e->id, CY_R_ESC_LABEL);
        if (e->name_zh) {
            cy_r_buf_puts(&text[0], "\\n");
            cy_r_buf_escaped(&text[0], e->name_zh, CY_R_ESC_LABEL);
        }
        join_groups(net, e, &text[1]);
        join_parts(net, e->produces, e->produces_count, &text[2]);
        join_parts(net, e->requires, e->requires_count, &text[3]);
        snprintf(tier, sizeof tier, "%d", e->tier);
        snprintf(output, sizeof output, "%.17g", e->output_value);
        value[F_LABEL] = cy_r_buf_str(&text[0]);
        value[F_NAME] = e->name;
        value[F_NAME_ZH] = e->name_zh;
        value[F_USCC] = e->uscc;
        value[F_KIND] = cy_kind_name(e->kind);
        value[F_TIER] = tier;
        value[F_REGION] = group_id(net, CY_GROUP_REGION, e->region);
        value[F_PARK] = group_id(net, CY_GROUP_PARK, e->park);
        value[F_OUTPUT] = output;
        value[F_CLUSTERS] = cy_r_buf_str(&text[1]);
        value[F_PRODUCES] = cy_r_buf_str(&text[2]);
        value[F_REQUIRES] = cy_r_buf_str(&text[3]);
        value[F_SOURCE] = e->source;
        for (int k = 0; k < 4; k++)
            ok &= text[k].oom == 0;
        for (int k = 0; k < N_NODE_FIELDS && ok; k++)
            ok &= dot_put(nodes[i], sym[k], value[k]);
        for (int k = 0; k < 4; k++)
            cy_r_buf_free(&text[k]);
    }
    for (size_t j = 0; j < net->link_count && ok; j++) {
        const cy_i_link *l = &net->links[j];
        Agedge_t *edge = agedge(g, nodes[l->from], nodes[l->to], NULL, 1);
        char volume[40], share[40];
        if (!edge) {
            ok = 0;
            break;
        }
        snprintf(volume, sizeof volume, "%.17g", l->volume);
        snprintf(share, sizeof share, "%.17g", l->share);
        ok &= dot_put(edge, esym[E_PART], net->parts.strings[l->part]);
        ok &= dot_put(edge, esym[E_VOLUME], volume);
        ok &= dot_put(edge, esym[E_SHARE], share);
    }
    if (!ok)
        goto cleanup;
    if (agwrite(g, out) != 0) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing DOT failed");
        status = CY_EIO;
        goto cleanup;
    }
    status = CY_OK;
cleanup:
    if (status == CY_ENOMEM)
        oom(err);
    cy_r_capture_end(err, status == CY_OK ? CY_SEV_WARNING : CY_SEV_ERROR);
    if (g)
        agclose(g);
    cy_free(made);
    cy_free(nodes);
    return status;
}

cy_status cy_export_dot(const cy_network *net, const cy_render_options *options,
                        FILE *out, cy_error *err)
{
    cy_render_options defaults;
    dot_job job;

    cy_library_init();
    if (!options) {
        /* Building and writing are linear: no timeout, the memory limit
         * still guards against cgraph's failed allocations. */
        cy_render_options_init(&defaults);
        defaults.timeout_seconds = 0;
        options = &defaults;
    }
    if (!dot_check(net, err))
        return CY_EINPUT;
    job.net = net;
    return cy_r_run_into(dot_run, &job, options, "export", out, err);
}
