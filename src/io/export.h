/*
 * export.h - what the exporters share (src/io/export.c, export_graphml.c,
 * and the DOT export in render/export_dot.c): the list fields of an
 * enterprise joined into one string.  Private to the libraries.
 */
#ifndef CHENGYU_EXPORT_H
#define CHENGYU_EXPORT_H

#include "io_progress.h"
#include "writer.h"

/*
 * Append a list field to buf: the elements joined with ';', a ';' or '\'
 * inside an element escaped with a backslash, so the list splits back
 * unambiguously.  Clusters by id, parts by name.
 * Time complexity: O(length of the field).
 */
void cy_i_export_join_clusters(const cy_network *net, const cy_i_enterprise *e,
                               cy_r_buf *buf);
void cy_i_export_join_parts(const cy_network *net, const size_t *parts, size_t count,
                            cy_r_buf *buf);

/* "out of memory while exporting"; returns CY_ENOMEM. */
cy_status cy_i_export_oom(cy_error *err);

/* The id of group g of `kind`, "" for -1. */
const char *cy_i_export_group_id(const cy_network *net, cy_group_kind kind, long g);

/*
 * The numeric fields of an enterprise that every exporter writes after
 * the ones it always had, in this order.  First final_demand, capacity,
 * inventory_days, recovery_days, longitude and latitude as the file gives
 * them (NAN when it does not: an empty CSV cell, no GraphML data, no DOT
 * attribute), under their chengyu/1 names, so that a table read back by
 * `chengyu import` means the same network; then output_in_effect,
 * final_demand_in_effect and capacity_in_effect, the values every
 * analysis uses (given, else derived: format.md, "derived values"), under
 * names the importer refuses rather than takes for given values.
 */
enum {
    CY_X_FINAL_DEMAND, CY_X_CAPACITY, CY_X_INVENTORY_DAYS, CY_X_RECOVERY_DAYS,
    CY_X_LONGITUDE, CY_X_LATITUDE, CY_X_OUTPUT_IN_EFFECT, CY_X_FINAL_DEMAND_IN_EFFECT,
    CY_X_CAPACITY_IN_EFFECT, CY_X_NUMBER_COUNT
};
extern const char *const cy_i_export_number_names[CY_X_NUMBER_COUNT];

/* Field `which` of e, NAN for one the file does not give.
 * Time complexity: O(1). */
double cy_i_export_number(const cy_i_enterprise *e, int which);

/* e's output_value as the file gives it, NAN when it does not (the
 * exporters' older column, left where it was).  Time complexity: O(1). */
double cy_i_export_output_value(const cy_i_enterprise *e);

#endif /* CHENGYU_EXPORT_H */
