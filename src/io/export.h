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
 * the ones it always had (tier, output_value), in this order, so that a
 * graph tool or a spreadsheet gets the stress test's inputs and the map's
 * coordinates too: final_demand, capacity and inventory_days as the
 * analyses use them (given, else derived: format.md, "derived values"),
 * recovery_days, longitude and latitude as given.
 */
enum {
    CY_X_FINAL_DEMAND, CY_X_CAPACITY, CY_X_INVENTORY_DAYS, CY_X_RECOVERY_DAYS,
    CY_X_LONGITUDE, CY_X_LATITUDE, CY_X_NUMBER_COUNT
};
extern const char *const cy_i_export_number_names[CY_X_NUMBER_COUNT];

/* Field `which` of e; NAN for a recovery time or a location not given.
 * Time complexity: O(1). */
double cy_i_export_number(const cy_i_enterprise *e, int which);

#endif /* CHENGYU_EXPORT_H */
