/*
 * export_dot.c - the network as Graphviz DOT, through cgraph's writer
 * (GraphML and CSV are in src/io/export.c; list fields are joined as
 * there, export.h).
 */
#include "render_internal.h"
#include "export.h"

#include <math.h>
#include <string.h>

static cy_status oom(cy_error *err)
{
    cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory while exporting");
    return CY_ENOMEM;
}

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

/*
 * How DOT carries a string so that cgraph reads back exactly the same
 * bytes.  A quoted string has one escape, \" for a quote (cgraph writes
 * it), reads "\\" as two backslashes and drops a backslash before a line
 * break (a continuation): a string in which an odd run of backslashes
 * stands before a quote, a line break or the end cannot be quoted.  Such
 * a string is written as an HTML string, <...>, which cgraph keeps as it
 * is, when its angle brackets balance (the reader ends the string at the
 * '>' that closes the first '<').  A string that fits neither cannot be
 * written.
 */
typedef enum { DOT_QUOTED, DOT_HTML, DOT_NONE } dot_form;

static dot_form dot_form_of(const char *s)
{
    size_t run = 0;
    long depth = 0;
    int quotable = 1, balanced = 1;
    for (const char *p = s ? s : "";; p++) {
        if (*p == '\\') {
            run++;
            continue;
        }
        if (run % 2 && (*p == '"' || *p == '\n' || *p == '\0'))
            quotable = 0;
        run = 0;
        if (!*p)
            break;
        if (*p == '<')
            depth++;
        else if (*p == '>' && --depth < 0)
            balanced = 0;
    }
    if (quotable)
        return DOT_QUOTED;
    return balanced && depth == 0 ? DOT_HTML : DOT_NONE;
}

/* `s` as cgraph must be given it: itself, or an HTML string of the graph's
 * pool (release with dot_release).  NULL when out of memory. */
static char *dot_string(Agraph_t *g, const char *s)
{
    return dot_form_of(s) == DOT_HTML ? agstrdup_html(g, (char *)s) : (char *)s;
}

static void dot_release(Agraph_t *g, const char *given, char *made)
{
    if (made && made != given)
        agstrfree(g, made);
}

/* The cluster a firm goes into: its park's (inside the park's region's),
 * else its region's, else the root graph. */
static Agraph_t *dot_cluster(Agraph_t *g, const cy_network *net, cy_group_kind kind,
                             long index, Agraph_t **made, int *ok)
{
    const cy_i_group *group = &net->groups[kind][index];
    Agraph_t *parent = g, *sub;
    cy_r_buf name;
    char *given;
    if (made[index])
        return made[index];
    if (kind == CY_GROUP_PARK && group->region >= 0)
        parent = dot_cluster(g, net, CY_GROUP_REGION, group->region,
                             made + net->group_count[CY_GROUP_PARK] + 1, ok);
    cy_r_buf_init(&name);
    cy_r_buf_puts(&name, "cluster_");
    cy_r_buf_puts(&name, group->id);
    sub = NULL;
    if (cy_r_buf_str(&name) && (given = dot_string(g, name.data))) {
        sub = agsubg(parent, given, 1);
        dot_release(g, name.data, given);
    }
    cy_r_buf_free(&name);
    if (!sub) {
        *ok = 0;
        return g;
    }
    *ok &= dot_set_escaped(sub, "label", group->name ? group->name : group->id,
                           CY_R_ESC_LABEL);
    if (kind == CY_GROUP_PARK && group->demonstration)
        *ok &= dot_set(sub, "demonstration", "true");
    made[index] = sub;
    return sub;
}

/* Report a string DOT cannot carry; 0 if so. */
static int dot_writable(const char *s, const char *what, const char *owner, cy_error *err)
{
    char echo[CY_I_ECHO_SIZE], echo_owner[CY_I_ECHO_SIZE];
    if (dot_form_of(s) != DOT_NONE)
        return 1;
    if (owner)
        cy_error_add(err, CY_SEV_ERROR, NULL, "DOT cannot represent the %s of enterprise '%s' "
                     "(a backslash before a quote, a line break or its end, and unbalanced "
                     "angle brackets); export GraphML or CSV instead",
                     what, cy_i_echo(echo_owner, owner));
    else
        cy_error_add(err, CY_SEV_ERROR, NULL, "DOT cannot represent the %s '%s' (a backslash "
                     "before a quote, a line break or its end, and unbalanced angle "
                     "brackets); export GraphML or CSV instead", what, cy_i_echo(echo, s));
    return 0;
}

/* Check every string the export writes as it is; report each one that DOT
 * cannot carry.  Labels are escaped (backslashes doubled) and fine. */
static int dot_check(const cy_network *net, cy_error *err)
{
    static const char *const group_fields[] = {"region id", "cluster id", "park id"};
    int ok = 1;
    /* A subgraph's name "cluster_" + id has the form of the id. */
    for (int k = 0; k < CY_GROUP_KIND_COUNT; k++)
        for (size_t g = 0; g < net->group_count[k]; g++)
            ok &= dot_writable(net->groups[k][g].id, group_fields[k], NULL, err);
    for (size_t i = 0; i < net->enterprise_count; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        const char *fields[] = {e->id, e->name, e->name_zh, e->uscc, e->source};
        static const char *const names[] = {"id", "name", "name_zh", "uscc", "source"};
        for (int f = 0; f < 5; f++)
            ok &= dot_writable(fields[f], names[f], e->id, err);
    }
    for (size_t p = 0; p < net->parts.count; p++)
        ok &= dot_writable(net->parts.strings[p], "part name", NULL, err);
    return ok;
}

/* The node and edge attributes of the DOT export, with their defaults. */
enum {
    F_LABEL, F_NAME, F_NAME_ZH, F_USCC, F_KIND, F_TIER, F_REGION, F_PARK,
    F_OUTPUT, F_CLUSTERS, F_PRODUCES, F_REQUIRES, F_SOURCE,
    F_NUMBERS, /* export.h's numeric fields, CY_X_NUMBER_COUNT of them */
    N_NODE_FIELDS = F_NUMBERS + CY_X_NUMBER_COUNT
};
enum { E_PART, E_VOLUME, E_SHARE, N_EDGE_FIELDS };
static const struct {
    const char *name, *def;
} node_fields[F_NUMBERS] = {
    {"label", "\\N"}, {"name", ""}, {"name_zh", ""}, {"uscc", ""},
    {"kind", "supplier"}, {"tier", "-1"}, {"region", ""}, {"park", ""},
    {"output_value", ""}, {"clusters", ""}, {"produces", ""},
    {"requires", ""}, {"source", ""}},
  edge_fields[N_EDGE_FIELDS] = {{"part", ""}, {"volume", "0.0"}, {"share", "-1.0"}};

static const char *node_field_name(int k)
{
    return k < F_NUMBERS ? node_fields[k].name : cy_i_export_number_names[k - F_NUMBERS];
}

/* export.h's numeric fields default to "": one the file does not give
 * (NAN) is not written at all. */
static const char *node_field_default(int k)
{
    return k < F_NUMBERS ? node_fields[k].def : "";
}

/* e's numeric fields spelled into spelled[], value[k] pointing at each
 * (NULL for one not given: nothing is written). */
static void spell_numbers(const cy_i_enterprise *e, char spelled[][32], const char **value)
{
    for (int k = 0; k < CY_X_NUMBER_COUNT; k++) {
        double x = cy_i_export_number(e, k);
        value[k] = NULL;
        if (!isnan(x)) {
            cy_i_real_spell(spelled[k], x);
            value[k] = spelled[k];
        }
    }
}

/* Set an attribute unless the value is its default (or absent). */
static int dot_put(void *obj, Agsym_t *sym, const char *value)
{
    Agraph_t *g = agroot(obj);
    char *given;
    int ok;
    if (!value || strcmp(value, sym->defval) == 0)
        return 1;
    if (!(given = dot_string(g, value)))
        return 0;
    ok = agxset(obj, sym, given) == 0;
    dot_release(g, value, given);
    return ok;
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
        ok &= (sym[k] = agattr(g, AGNODE, (char *)node_field_name(k),
                               (char *)node_field_default(k))) != NULL;
    for (int k = 0; k < N_EDGE_FIELDS; k++)
        ok &= (esym[k] = agattr(g, AGEDGE, (char *)edge_fields[k].name,
                                (char *)edge_fields[k].def)) != NULL;
    for (size_t i = 0; i < net->enterprise_count && ok; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        Agraph_t *parent = g;
        char tier[24], output[32], numbers[CY_X_NUMBER_COUNT][32], *id = NULL;
        const char *value[N_NODE_FIELDS];
        cy_r_buf text[4]; /* label, clusters, produces, requires */
        if (clusters && e->park >= 0)
            parent = dot_cluster(g, net, CY_GROUP_PARK, e->park, made, &ok);
        else if (clusters && e->region >= 0)
            parent = dot_cluster(g, net, CY_GROUP_REGION, e->region, made + parks + 1, &ok);
        if (!ok || !(id = dot_string(g, e->id)) || !(nodes[i] = agnode(parent, id, 1))) {
            dot_release(g, e->id, id);
            ok = 0;
            break;
        }
        dot_release(g, e->id, id);
        for (int k = 0; k < 4; k++)
            cy_r_buf_init(&text[k]);
        cy_r_buf_escaped(&text[0], e->name ? e->name : e->id, CY_R_ESC_LABEL);
        if (e->name_zh) {
            cy_r_buf_puts(&text[0], "\\n");
            cy_r_buf_escaped(&text[0], e->name_zh, CY_R_ESC_LABEL);
        }
        cy_i_export_join_clusters(net, e, &text[1]);
        cy_i_export_join_parts(net, e->produces, e->produces_count, &text[2]);
        cy_i_export_join_parts(net, e->requires, e->requires_count, &text[3]);
        snprintf(tier, sizeof tier, "%d", e->tier);
        cy_i_real_spell(output, cy_i_export_output_value(e)); /* "" for NAN */
        value[F_LABEL] = cy_r_buf_str(&text[0]);
        value[F_NAME] = e->name;
        value[F_NAME_ZH] = e->name_zh;
        value[F_USCC] = e->uscc;
        value[F_KIND] = cy_kind_name(e->kind);
        value[F_TIER] = tier;
        value[F_REGION] = cy_i_export_group_id(net, CY_GROUP_REGION, e->region);
        value[F_PARK] = cy_i_export_group_id(net, CY_GROUP_PARK, e->park);
        value[F_OUTPUT] = output;
        value[F_CLUSTERS] = cy_r_buf_str(&text[1]);
        value[F_PRODUCES] = cy_r_buf_str(&text[2]);
        value[F_REQUIRES] = cy_r_buf_str(&text[3]);
        value[F_SOURCE] = e->source;
        spell_numbers(e, numbers, value + F_NUMBERS);
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
        char volume[32], share[32];
        if (!edge) {
            ok = 0;
            break;
        }
        cy_i_real_spell(volume, l->volume);
        cy_i_real_spell(share, l->share);
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
    return cy_r_run_into(dot_run, &job, options, "export", NULL, out, err);
}
