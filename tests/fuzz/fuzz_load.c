/*
 * fuzz_load.c - libFuzzer target for the loader: bytes -> cy_network.
 *
 * Each input goes through the whole path a user's file takes: Jansson's
 * parser (with our allocator), every chengyu/1 rule of the loader, the
 * adjacency indexes and igraph graphs, then `info` and the analyses
 * (cascade, single failures, group impacts, structure, robustness curves,
 * every centrality measure, the weak-link report and its writers).  Besides the sanitizers
 * (ASan, UBSan, LeakSanitizer at exit of each run) the target checks
 * properties that must hold for any input, so that a silent logic error
 * (a half-built model, an unsanitized message) also counts as a crash:
 *
 *   - a failing load leaves *out NULL and at least one error recorded;
 *   - a successful load gives a model whose indexes are consistent (every
 *     index in range, the CSR arrays sorted as internal.h promises, igraph
 *     graphs of the right size, ids that find themselves);
 *   - `info` agrees with the model (kind and tier counts add up to n);
 *   - no formatted diagnostic contains a control byte or a C1 control
 *     (that is what keeps terminal escapes out of error messages).
 *
 * Build: CC=clang cmake -S . -B build/fuzz -DCHENGYU_FUZZ=ON
 *        -DBUILD_TESTING=OFF && cmake --build build/fuzz --target fuzz_load
 * Run:   bash tests/fuzz/run.sh build/fuzz/fuzz_load SECONDS
 * With a file argument the binary replays that input (a regression test).
 */
#include "internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A violated property: say which, then abort so libFuzzer keeps the input. */
#define REQUIRE(cond)                                                        \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "fuzz_load: property violated: %s (%s:%d)\n",    \
                    #cond, __FILE__, __LINE__);                              \
            abort();                                                         \
        }                                                                    \
    } while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    /* Silences igraph (errors returned, warnings dropped) and routes
     * Jansson's allocations through cy_malloc. */
    cy_library_init();
    return 0;
}

/* Every diagnostic must format to printable text (see cy_error_format). */
static void check_diagnostics(const cy_error *err)
{
    REQUIRE(err->count <= err->error_count + err->warning_count);
    for (size_t i = 0; i < err->count; i++) {
        char *line = cy_error_format(err, i);
        const unsigned char *p;
        REQUIRE(err->items[i].message != NULL);
        if (!line)
            continue; /* out of memory: allowed, never crashes */
        for (p = (const unsigned char *)line; *p; p++) {
            REQUIRE(*p >= 0x20 && *p != 0x7f);
            REQUIRE(!(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
        }
        cy_free(line);
    }
}

/* (part, supplier) of in-link k must be strictly increasing per customer;
 * (customer, part) of out-links likewise per supplier. */
static void check_csr(const cy_network *net, const size_t *offset,
                      const size_t *order, int incoming)
{
    size_t n = net->enterprise_count, m = net->link_count;
    REQUIRE(offset[0] == 0 && offset[n] == m);
    for (size_t v = 0; v < n; v++) {
        REQUIRE(offset[v] <= offset[v + 1]);
        for (size_t k = offset[v]; k < offset[v + 1]; k++) {
            const cy_i_link *l;
            REQUIRE(order[k] < m);
            l = &net->links[order[k]];
            REQUIRE((incoming ? l->to : l->from) == v);
            if (k > offset[v]) {
                const cy_i_link *p = &net->links[order[k - 1]];
                size_t a1 = incoming ? p->part : p->to;
                size_t b1 = incoming ? p->from : p->part;
                size_t a2 = incoming ? l->part : l->to;
                size_t b2 = incoming ? l->from : l->part;
                REQUIRE(a1 < a2 || (a1 == a2 && b1 < b2));
            }
        }
    }
}

/*
 * The derived amounts (docs/format.md, "Derived values"): finite and >= 0,
 * the capacity at least the output (within the loader's tolerance), the
 * demand nodes counted and chosen by the rule the network names.
 */
static void check_demand(const cy_network *net)
{
    size_t nodes = 0;
    double total = 0;
    for (size_t i = 0; i < net->enterprise_count; i++) {
        double fd = cy_enterprise_final_demand(net, i);
        double output = cy_enterprise_output(net, i);
        REQUIRE(isfinite(fd) && fd >= 0 && isfinite(output) && output >= 0);
        REQUIRE(cy_enterprise_capacity(net, i) >= output * (1 - 1e-9));
        REQUIRE(cy_enterprise_inventory_days(net, i) >= 0);
        REQUIRE(cy_enterprise_recovery_days(net, i) == -1 ||
                cy_enterprise_recovery_days(net, i) > 0);
        if (cy_network_demand_rule(net) == CY_DEMAND_FINAL_DEMAND)
            REQUIRE(cy_enterprise_is_demand_node(net, i) == (fd > 0));
        else
            REQUIRE(fd == 0);
        nodes += (size_t)cy_enterprise_is_demand_node(net, i);
        total += fd;
    }
    REQUIRE(nodes == cy_network_demand_node_count(net));
    REQUIRE(isfinite(cy_network_final_demand_total(net)));
    REQUIRE(total == cy_network_final_demand_total(net));
    REQUIRE(strlen(cy_network_currency(net)) == 3);
}

static void check_model(const cy_network *net)
{
    size_t n = net->enterprise_count, m = net->link_count;
    size_t parts = net->parts.count, firm_edges = 0;

    REQUIRE(net->name != NULL);
    REQUIRE(net->graphs_ready);
    for (size_t j = 0; j < m; j++) {
        const cy_i_link *l = &net->links[j];
        REQUIRE(l->from < n && l->to < n && l->part < parts);
        REQUIRE(l->from != l->to);
        REQUIRE(l->volume >= 0 && isfinite(l->volume));
        REQUIRE(l->share == -1 || (l->share > 0 && l->share <= 1));
    }
    check_csr(net, net->in_offset, net->in_links, 1);
    check_csr(net, net->out_offset, net->out_links, 0);
    for (size_t k = 0; k < m; k++) {
        const cy_i_link *l = &net->links[net->out_links[k]];
        const cy_i_link *p = k ? &net->links[net->out_links[k - 1]] : NULL;
        if (!p || p->from != l->from || p->to != l->to)
            firm_edges++;
    }
    REQUIRE((size_t)igraph_vcount(&net->firm_graph) == n);
    REQUIRE((size_t)igraph_ecount(&net->firm_graph) == firm_edges);
    REQUIRE((size_t)igraph_vector_size(&net->firm_volume) == firm_edges);
    for (size_t j = 0; j < m; j++)
        REQUIRE(net->link_firm_edge[j] < firm_edges);

    for (size_t i = 0; i < n; i++) {
        const cy_i_enterprise *e = &net->enterprises[i];
        size_t found = (size_t)-1;
        REQUIRE(e->id && e->name);
        REQUIRE(cy_network_find_enterprise(net, e->id, &found) && found == i);
        REQUIRE((unsigned)e->kind < CY_KIND_COUNT);
        REQUIRE(e->tier >= -1);
        REQUIRE(e->region >= -1 &&
                e->region < (long)net->group_count[CY_GROUP_REGION]);
        REQUIRE(e->park >= -1 &&
                e->park < (long)net->group_count[CY_GROUP_PARK]);
        for (size_t c = 0; c < e->cluster_count; c++)
            REQUIRE(e->clusters[c] < net->group_count[CY_GROUP_CLUSTER]);
        for (size_t k = 0; k < e->produces_count; k++)
            REQUIRE(e->produces[k] < parts);
        for (size_t k = 0; k < e->requires_count; k++) {
            REQUIRE(e->requires[k] < parts);
            REQUIRE(k == 0 || e->requires[k - 1] < e->requires[k]);
        }
    }
    check_demand(net);
    for (int kind = 0; kind < CY_GROUP_KIND_COUNT; kind++) {
        for (size_t g = 0; g < net->group_count[kind]; g++) {
            const cy_i_group *grp = &net->groups[kind][g];
            size_t found = (size_t)-1;
            REQUIRE(grp->id && grp->name);
            REQUIRE(cy_network_find_group(net, (cy_group_kind)kind, grp->id,
                                          &found) && found == g);
            REQUIRE(grp->region >= -1 &&
                    grp->region < (long)net->group_count[CY_GROUP_REGION]);
        }
    }
}

static void check_info(const cy_network *net, const cy_info *info)
{
    size_t n = net->enterprise_count, sum = 0, tiered = 0;
    for (int k = 0; k < CY_KIND_COUNT; k++)
        sum += info->kind_count[k];
    REQUIRE(sum == n);
    for (size_t t = 0; t <= info->tier_max; t++)
        tiered += info->tier_count[t];
    REQUIRE(tiered + info->untiered_count == n);
    REQUIRE(info->component_count <= n && info->largest_component <= n);
    REQUIRE(n == 0 || info->component_count >= 1);
    REQUIRE(info->degree_min <= info->degree_max);
    REQUIRE(info->firm_edge_count <= info->link_count);
}

/*
 * The analyses that take a loaded network (cascade, single failures, group
 * impacts, structure, centrality, weak links, robustness curves), with the
 * bounds any result must respect.  Attacks whose cost is superlinear per removal (betweenness,
 * adaptive) are left out: they would turn large inputs into timeouts that
 * say nothing about robustness.  A CY_ENOMEM or CY_EINTERNAL is allowed
 * (and reported); a crash, leak or broken bound is not.
 */
static void check_analyses(const cy_network *net, cy_error *err)
{
    size_t n = net->enterprise_count;
    cy_single_failures sf;
    cy_structure st;
    cy_cascade_result cr;
    cy_impact *impacts = NULL;
    size_t impact_count = 0;

    if (cy_structure_compute(net, &st, err) == CY_OK) {
        REQUIRE(st.articulation_point_count <= n);
        for (size_t k = 0; k < st.articulation_point_count; k++)
            REQUIRE(st.articulation_points[k] < n);
        for (size_t k = 0; k < st.bridge_count; k++)
            REQUIRE(st.bridges[k].from < n && st.bridges[k].to < n);
        cy_structure_destroy(&st);
    }
    for (int t = 0; t < 2; t++) {
        double threshold = t ? 0.5 : 0.0;
        if (cy_single_failures_compute(net, threshold, &sf, err) == CY_OK) {
            REQUIRE(sf.impact_count == n);
            for (size_t k = 0; k < sf.impact_count; k++)
                REQUIRE(sf.impacts[k].index < n && sf.impacts[k].failed_count >= 1 &&
                        sf.impacts[k].failed_count <= n);
            for (size_t k = 0; k < sf.chokepoint_count; k++)
                for (size_t q = 0; q < sf.chokepoints[k].count; q++)
                    REQUIRE(sf.chokepoints[k].enterprises[q] < n);
            cy_single_failures_destroy(&sf);
        }
    }
    for (int kind = 0; kind < CY_GROUP_KIND_COUNT; kind++) {
        if (cy_group_impacts_compute(net, (cy_group_kind)kind, 0.5, &impacts,
                                     &impact_count, err) == CY_OK) {
            REQUIRE(impact_count == net->group_count[kind]);
            for (size_t k = 0; k < impact_count; k++)
                REQUIRE(impacts[k].failed_count <= n);
            cy_free(impacts);
        }
    }
    if (n > 0) {
        size_t initial[2] = {0, n - 1};
        if (cy_cascade_run(net, initial, 2, 0.5, &cr, err) == CY_OK) {
            REQUIRE(cr.failed_count >= 1 && cr.failed_count <= n);
            REQUIRE(cr.failed[0] == 0);
            for (size_t k = 0; k < cr.failed_count; k++)
                REQUIRE(cr.failed[k] < n);
            cy_cascade_result_destroy(&cr);
        }
    }
    for (int view = 0; view < 3; view++) {
        /* Every measure on the firm graph, unweighted then weighted, and
         * by park; each result also goes through the JSON writer. */
        cy_centrality_options options;
        cy_centrality_result *result = NULL;
        cy_centrality_options_init(&options);
        for (int m = 0; m < CY_MEASURE_COUNT; m++)
            options.measures[m] = (cy_measure)m;
        options.measure_count = CY_MEASURE_COUNT;
        options.weighted = view == 1;
        options.group_kind = view == 2 ? CY_GROUP_PARK : CY_CENTRALITY_BY_FIRM;
        if (cy_centrality_compute(net, &options, &result, err) == CY_OK) {
            FILE *sink = fopen("/dev/null", "w");
            REQUIRE(cy_centrality_row_count(result) ==
                    (view == 2 ? net->group_count[CY_GROUP_PARK] : n));
            for (size_t i = 0; i < cy_centrality_row_count(result); i++)
                REQUIRE(cy_centrality_row_id(result, i) != NULL);
            if (sink) {
                cy_write_options write_options;
                cy_write_options_init(&write_options, CY_FORMAT_JSON);
                cy_centrality_write(result, &write_options, sink, err);
                fclose(sink);
            }
            cy_centrality_free(result);
        }
    }
    for (int t = 0; t < 2; t++) {
        /* The whole weak-link report, and (once: they cost a few ms even
         * for a tiny report) its four writers. */
        cy_weaklinks_options options = {.threshold = t ? 0.5 : 0.0};
        cy_weaklinks *report = NULL;
        if (cy_weaklinks_compute(net, &options, &report, err) == CY_OK) {
            FILE *sink = t ? NULL : fopen("/dev/null", "w");
            REQUIRE(report != NULL);
            for (size_t k = 0; k < report->cascade_impact_count; k++)
                REQUIRE(report->cascade_impact[k].index < n);
            if (sink) {
                cy_weaklinks_write_json(net, report, 0, sink, err);
                cy_weaklinks_write_md(net, report, 3, sink, err);
                cy_weaklinks_write_csv(net, report, 0, sink, err);
                cy_weaklinks_write_html(net, report, 0, NULL, 0, sink, err);
                fclose(sink);
            }
            cy_weaklinks_free(report);
        }
    }
    {
        static const cy_attack attacks[] = {CY_ATTACK_RANDOM, CY_ATTACK_DEGREE,
                                            CY_ATTACK_PAGERANK};
        for (size_t a = 0; a < sizeof attacks / sizeof attacks[0]; a++) {
            cy_resilience_params params;
            cy_resilience_curve curve;
            cy_resilience_params_init(&params);
            params.attack = attacks[a];
            params.trials = 2;
            params.steps = 10;
            params.threshold = 0.5;
            if (cy_resilience_run(net, &params, &curve, err) != CY_OK)
                continue;
            REQUIRE(curve.point_count == (n ? (n < 10 ? n : 10) + 1 : 0));
            for (size_t k = 0; k < curve.point_count; k++)
                REQUIRE(curve.points[k].lcc_fraction >= 0 &&
                        curve.points[k].lcc_fraction <= 1);
            cy_resilience_curve_destroy(&curve);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cy_error err;
    cy_network *net = (cy_network *)&err; /* must be overwritten with NULL */
    cy_status status;

    cy_error_init(&err);
    status = cy_network_load_buffer((const char *)data, size, "fuzz", &net,
                                    &err);
    if (status != CY_OK) {
        REQUIRE(net == NULL);
        REQUIRE(err.error_count > 0 || err.oom);
    } else {
        cy_info info;
        REQUIRE(net != NULL);
        check_model(net);
        if (cy_info_compute(net, &info, &err) == CY_OK) {
            check_info(net, &info);
            cy_info_destroy(&info);
        }
        check_analyses(net, &err);
        cy_network_free(net);
    }
    check_diagnostics(&err);
    cy_error_destroy(&err);
    return 0;
}
