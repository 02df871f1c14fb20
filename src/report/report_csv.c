/*
 * report_csv.c - the weak-link report as CSV: two tables separated by an
 * empty line.  First the risk register, one row per firm in its order;
 * then one row per weak link, in the ranking's order, with a `type`
 * column (single_source, chokepoint, articulation_point, bridge); columns
 * that do not apply to a type are empty.  Written through the CSV writer (csv.c): LF line ends, text
 * cells guarded against formula injection unless raw.
 */
#include "report_internal.h"

#include <string.h>

static const char csv_header[] =
    "type,rank,severity,output_at_risk,failed_count,enterprise,enterprise_name,"
    "supplier,supplier_name,part,oem,volume,backups,final_demand_lost,"
    "final_demand_lost_fraction,demand_nodes_failed";

static const char register_header[] =
    "register_rank,id,name,region,single_source_pairs,chokepoint_of,articulation_point,"
    "bridges,failed_count,demand_nodes_failed,final_demand_lost,"
    "final_demand_lost_fraction,output_value_lost,fix_part,fix_customer,fix_backup,"
    "fix_backup_independent,fix_note,demand_rule,fix_backup_same_park,"
    "fix_backup_supplier_count,fix_backup_shared_supplier_count,fix_backup_shared_suppliers";

/* An enterprise's id and, with `with_name`, its name (empty cells for
 * CY_WL_NONE). */
static void csv_enterprise(cy_r_csv *csv, const cy_network *net, size_t i, int with_name)
{
    cy_r_csv_text(csv, cy_r_enterprise(net, i));
    if (with_name)
        cy_r_csv_text(csv, i == CY_WL_NONE ? NULL : net->enterprises[i].name);
}

/* `s` into the backups cell with its own separators escaped: a '\\',
 * ';', '|' or ':' in an id or part name gets a backslash before it. */
static void put_escaped(cy_r_buf *cell, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\;|:", *s))
            cy_r_buf_putn(cell, "\\", 1);
        cy_r_buf_putn(cell, s, 1);
    }
}

/*
 * The backups cell of a weak link: for a single-source pair the backup
 * ids separated by ';'; for a chokepoint "part: id;id" per part it
 * supplies, joined by " | "; "none in the network" where a part has none.
 * Ids and part names are put_escaped, so the cell splits back.
 */
static int backups_cell(cy_r_csv *csv, const cy_network *net, const cy_weaklinks *r,
                        const cy_wl_weak_link *l)
{
    cy_r_buf cell;
    int ok;

    cy_r_buf_init(&cell);
    for (size_t k = 0; k < l->recommendation_count; k++) {
        const cy_wl_recommendation *rec = &r->recommendations[l->recommendation + k];
        if (k)
            cy_r_buf_puts(&cell, " | ");
        if (rec->type == CY_WEAK_CHOKEPOINT) {
            put_escaped(&cell, net->parts.strings[rec->part]);
            cy_r_buf_puts(&cell, ": ");
        }
        if (!rec->backup_count)
            cy_r_buf_puts(&cell, CY_REPORT_NO_BACKUP);
        for (size_t b = 0; b < rec->backup_shown; b++) {
            cy_r_buf_puts(&cell, b ? ";" : "");
            put_escaped(&cell, net->enterprises[rec->backups[b].firm].id);
        }
    }
    ok = cy_r_buf_str(&cell) != NULL;
    cy_r_csv_text(csv, ok ? cell.data : NULL);
    cy_r_buf_free(&cell);
    return ok;
}

/* One weak link's row; the impact columns are its supplier's
 * (cy_wl_link_impact).  0 on OOM. */
static int write_row(cy_r_csv *csv, const cy_network *net, const cy_weaklinks *r,
                     size_t rank, const cy_wl_weak_link *l)
{
    int has_supplier = l->type == CY_WEAK_SINGLE_SOURCE || l->type == CY_WEAK_BRIDGE;
    const cy_wl_impact *impact = cy_wl_link_impact(r, l);

    cy_r_csv_text(csv, cy_weak_type_name(l->type));
    cy_r_csv_count(csv, rank);
    cy_r_csv_real(csv, cy_wl_link_severity(r, l));
    cy_r_csv_real(csv, impact->output_value_lost);
    cy_r_csv_count(csv, impact->failed_count);
    csv_enterprise(csv, net, cy_wl_id(l->enterprise), 1);
    csv_enterprise(csv, net, has_supplier ? cy_wl_id(l->supplier) : CY_WL_NONE, 1);
    cy_r_csv_text(csv, cy_r_part(net, cy_wl_id(l->part)));
    csv_enterprise(csv, net, cy_wl_id(l->oem), 0);
    if (has_supplier)
        cy_r_csv_real(csv, l->volume);
    else
        cy_r_csv_empty(csv);
    if (l->recommendation_count) {
        if (!backups_cell(csv, net, r, l))
            return 0;
    } else {
        cy_r_csv_empty(csv);
    }
    cy_r_csv_real(csv, impact->final_demand_lost);
    cy_r_csv_real(csv, cy_r_ratio(impact->final_demand_lost, r->final_demand_total));
    cy_r_csv_count(csv, impact->demand_nodes_failed);
    cy_r_csv_row_end(csv);
    return 1;
}

/* The ids of a register row's demand nodes, separated by ';'. */
static int ids_cell(cy_r_csv *csv, const cy_network *net, const size_t *ids, size_t count)
{
    cy_r_buf cell;
    int ok;
    cy_r_buf_init(&cell);
    cy_r_buf_ids(&cell, net, ids, count);
    ok = cy_r_buf_str(&cell) != NULL;
    cy_r_csv_text(csv, ok ? cell.data : NULL);
    cy_r_buf_free(&cell);
    return ok;
}

/* The fix columns: part, customer, first backup, whether it is
 * independent, the note; empty without a fix. */
static void fix_cells(cy_r_csv *csv, const cy_network *net, const cy_weaklinks *r, size_t fix)
{
    const cy_wl_recommendation *rec = fix == CY_WL_NONE ? NULL : &r->recommendations[fix];
    if (!rec) {
        for (int k = 0; k < 5; k++)
            cy_r_csv_empty(csv);
        return;
    }
    cy_r_csv_text(csv, net->parts.strings[rec->part]);
    cy_r_csv_text(csv, net->enterprises[rec->enterprise].id);
    cy_r_csv_text(csv, rec->backup_shown ? net->enterprises[rec->backups[0].firm].id : NULL);
    if (rec->backup_shown)
        cy_r_csv_text(csv, rec->backups[0].independent ? "true" : "false");
    else
        cy_r_csv_empty(csv);
    cy_r_csv_text(csv, cy_r_backup_note(rec));
}

/*
 * The columns added after demand_rule (new columns go last, so that a
 * sheet that reads columns by position keeps working): where the fix's
 * first backup stands against the current supplier, as the JSON
 * backup's same_park, supplier_count, shared_supplier_count and
 * shared_suppliers (the first CY_WL_MAX_SHARED by id, ';'-separated);
 * empty without a backup.  0 on OOM.
 */
static int shared_cells(cy_r_csv *csv, const cy_network *net, const cy_weaklinks *r,
                        size_t fix, cy_wl_shared_cache *cache)
{
    const cy_wl_recommendation *rec = fix == CY_WL_NONE ? NULL : &r->recommendations[fix];
    cy_r_shared shared;

    if (!rec || !rec->backup_shown) {
        for (int k = 0; k < 4; k++)
            cy_r_csv_empty(csv);
        return 1;
    }
    cy_r_csv_text(csv, cy_r_same_park(net, rec, &rec->backups[0]) >= 0 ? "true" : "false");
    cy_r_shared_suppliers(cache, rec, &rec->backups[0], &shared);
    cy_r_csv_count(csv, shared.of);
    cy_r_csv_count(csv, shared.count);
    return ids_cell(csv, net, shared.first,
                    shared.count < CY_WL_MAX_SHARED ? shared.count : CY_WL_MAX_SHARED);
}

static int write_register_row(cy_r_csv *csv, const cy_network *net, const cy_weaklinks *r,
                              size_t rank, const cy_wl_register_row *row,
                              cy_wl_shared_cache *cache)
{
    long region = cy_i_enterprise_region(net, row->enterprise);
    cy_r_csv_count(csv, rank);
    csv_enterprise(csv, net, row->enterprise, 1);
    cy_r_csv_text(csv, region >= 0 ? net->groups[CY_GROUP_REGION][region].id : NULL);
    cy_r_csv_count(csv, row->single_source_pairs);
    if (!ids_cell(csv, net, row->chokepoint_of, row->chokepoint_of_count))
        return 0;
    cy_r_csv_text(csv, row->articulation_point ? "true" : "false");
    cy_r_csv_count(csv, row->bridges);
    cy_r_csv_count(csv, row->impact.failed_count);
    cy_r_csv_count(csv, row->impact.demand_nodes_failed);
    cy_r_csv_real(csv, row->impact.final_demand_lost);
    cy_r_csv_real(csv, cy_r_ratio(row->impact.final_demand_lost, r->final_demand_total));
    cy_r_csv_real(csv, row->impact.output_value_lost);
    fix_cells(csv, net, r, row->fix);
    cy_r_csv_text(csv, cy_demand_rule_name(cy_network_demand_rule(net)));
    if (!shared_cells(csv, net, r, row->fix, cache))
        return 0;
    cy_r_csv_row_end(csv);
    return 1;
}

cy_status cy_r_weaklinks_csv(const cy_network *net, const cy_weaklinks *r,
                             const cy_write_options *options, FILE *out,
                             cy_error *err)
{
    size_t shown = cy_r_limit(r->register_count, options->top);
    /* Made before the first byte: out of memory then writes nothing. */
    cy_wl_shared_cache *cache = cy_wl_shared_cache_new(net);
    cy_status status = CY_ENOMEM;
    cy_r_csv csv;

    if (!cache)
        goto cleanup;
    cy_r_csv_init(&csv, out, options->csv_raw);
    cy_r_csv_header(&csv, register_header);
    for (size_t i = 0; i < shown; i++)
        if (!write_register_row(&csv, net, r, i + 1, &r->register_rows[i], cache))
            goto cleanup;
    fputc('\n', out);
    shown = cy_r_limit(r->weak_link_count, options->top);
    cy_r_csv_header(&csv, csv_header);
    for (size_t i = 0; i < shown; i++)
        if (!write_row(&csv, net, r, i + 1, &r->weak_links[i]))
            goto cleanup;
    status = ferror(out) ? CY_EIO : CY_OK;
cleanup:
    if (status == CY_ENOMEM)
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory writing the CSV report");
    else if (status == CY_EIO)
        cy_error_add(err, CY_SEV_ERROR, NULL, "writing the CSV report failed");
    cy_wl_shared_cache_free(cache);
    return status;
}
