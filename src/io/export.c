/*
 * export.c - what the exporters share, and the network as two CSV tables
 * (the output layer's CSV writer).  GraphML is in export_graphml.c; DOT,
 * which needs cgraph, in render/export_dot.c.
 *
 * List fields (clusters, produces, requires) are written as one string,
 * elements joined with ';', with any ';' or '\' inside an element escaped
 * by a backslash, so the lists split back unambiguously.
 */
#include "export.h"

#include <math.h>
#include <string.h>

/* ---- shared ----------------------------------------------------------- */

cy_status cy_i_export_oom(cy_error *err)
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

const char *const cy_i_export_number_names[CY_X_NUMBER_COUNT] = {
    "final_demand", "capacity", "inventory_days", "recovery_days", "longitude", "latitude",
    "output_in_effect", "final_demand_in_effect", "capacity_in_effect"};

double cy_i_export_number(const cy_i_enterprise *e, int which)
{
    switch (which) {
    case CY_X_FINAL_DEMAND: return e->has_final_demand ? e->final_demand_given : NAN;
    case CY_X_CAPACITY: return e->has_capacity ? e->capacity_given : NAN;
    case CY_X_INVENTORY_DAYS: return e->has_inventory_days ? e->inventory_days : NAN;
    case CY_X_RECOVERY_DAYS: return e->recovery_days > 0 ? e->recovery_days : NAN;
    case CY_X_LONGITUDE: return e->has_location ? e->lon : NAN;
    case CY_X_LATITUDE: return e->has_location ? e->lat : NAN;
    case CY_X_OUTPUT_IN_EFFECT: return e->output;
    case CY_X_FINAL_DEMAND_IN_EFFECT: return e->final_demand;
    case CY_X_CAPACITY_IN_EFFECT: return e->capacity;
    default: return NAN;
    }
}

double cy_i_export_output_value(const cy_i_enterprise *e)
{
    return e->has_output_value ? e->output_value : NAN;
}

/* A real cell, empty for NAN (a value the file does not give). */
static void csv_number(cy_r_csv *csv, double x)
{
    if (isnan(x))
        cy_r_csv_empty(csv);
    else
        cy_r_csv_real(csv, x);
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
    csv_number(csv, cy_i_export_output_value(e));
    cy_i_export_join_parts(net, e->produces, e->produces_count, &buf);
    ok &= csv_list(csv, &buf);
    cy_i_export_join_parts(net, e->requires, e->requires_count, &buf);
    ok &= csv_list(csv, &buf);
    cy_r_csv_text(csv, e->source);
    for (int k = 0; k < CY_X_NUMBER_COUNT; k++)
        csv_number(csv, cy_i_export_number(e, k));
    cy_r_csv_row_end(csv);
    return ok;
}

/* The enterprises' share of the CSV export's work: their table is a
 * third of the bytes on the national preset. */
#define CSV_SHARE_NODES 32.0

cy_status cy_export_csv(const cy_network *net, const cy_write_options *options,
                        FILE *nodes, FILE *edges, cy_error *err)
{
    return cy_export_csv_run(net, options, NULL, NULL, nodes, edges, err);
}

cy_status cy_export_csv_run(const cy_network *net, const cy_write_options *options,
                            cy_progress_fn progress, void *progress_data, FILE *nodes,
                            FILE *edges, cy_error *err)
{
    int raw = options && options->csv_raw;
    cy_i_progress p = {progress, progress_data};
    cy_r_csv csv;

    cy_library_init();
    cy_r_csv_init(&csv, nodes, raw);
    cy_r_csv_header(&csv, "id,name,name_zh,uscc,kind,tier,region,park,clusters,output_value,"
                          "produces,requires,source,final_demand,capacity,inventory_days,"
                          "recovery_days,longitude,latitude,output_in_effect,"
                          "final_demand_in_effect,capacity_in_effect");
    for (size_t i = 0; i < net->enterprise_count; i++) {
        cy_i_progress_step(&p, "writing enterprises", 0.0, CSV_SHARE_NODES, i,
                           net->enterprise_count);
        if (!csv_node(&csv, net, &net->enterprises[i]))
            return cy_i_export_oom(err);
    }
    cy_r_csv_init(&csv, edges, raw);
    cy_r_csv_header(&csv, "from,to,part,volume,share,source");
    for (size_t j = 0; j < net->link_count; j++) {
        const cy_i_link *l = &net->links[j];
        cy_i_progress_step(&p, "writing links", CSV_SHARE_NODES, 100.0 - CSV_SHARE_NODES, j,
                           net->link_count);
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
    if (progress)
        progress("writing links", 100.0, progress_data);
    return CY_OK;
}
