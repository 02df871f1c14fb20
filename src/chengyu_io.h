/*
 * chengyu_io.h - networks in and out other than the loader: the synthetic
 * generator and the GraphML and CSV exports (DOT: chengyu_render.h).
 * Part of libchengyu's public API; include "chengyu.h" for all of it.
 */
#ifndef CHENGYU_IO_H
#define CHENGYU_IO_H

#include "chengyu_network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* generate                                                            */
/* ------------------------------------------------------------------ */

typedef enum {
    CY_PRESET_REGIONAL = 0,
    CY_PRESET_PROVINCE,
    CY_PRESET_NATIONAL
} cy_preset;

typedef struct {
    cy_preset preset;
    uint64_t seed;
    long oem_count;       /* <= 0: the preset's default */
    long supplier_count;  /* <= 0: the preset's default */
} cy_generate_params;

/*
 * Write a synthetic chengyu/1 network to `out`.  The same params give a
 * byte-identical file on every machine.  Returns CY_EIO if writing fails,
 * CY_EUSAGE for counts out of range.
 * Time complexity: O(n + m log n) for the generated n firms and m links
 * (each weighted supplier pick is a binary search).
 */
cy_status cy_generate(const cy_generate_params *params, FILE *out,
                      cy_error *err);

/* ------------------------------------------------------------------ */
/* export                                                              */
/* ------------------------------------------------------------------ */

/*
 * GraphML through igraph's writer: vertex = enterprise (attributes id,
 * name, name_zh, uscc, kind, tier (-1 = none), region, region_name, park,
 * park_name, clusters and produces and requires (JSON arrays as text),
 * output_value, source), edge = link (part, volume, share (-1 = not given),
 * source), graph attributes name, description, format.  Control characters
 * that XML 1.0 cannot carry become U+FFFD (a warning says so); a carriage
 * return is written as &#13; so that it reads back as itself.
 * Time complexity: O(n + m) plus the size of the strings.
 */
cy_status cy_export_graphml(const cy_network *net, FILE *out, cy_error *err);

/*
 * Two CSV tables, written by the output layer's CSV writer (RFC 4180, LF
 * line ends, text cells guarded against formula injection unless
 * options->csv_raw; NULL options: guarded).  nodes: id,name,name_zh,uscc,
 * kind,tier,region,park,clusters,output_value,produces,requires,source
 * (list fields joined with ';', empty tier = none); edges: from,to,part,
 * volume,share,source (empty share = not given).  Reals in the one
 * spelling of every format.
 * Time complexity: O(n + m) plus the size of the strings.
 */
cy_status cy_export_csv(const cy_network *net, const cy_write_options *options,
                        FILE *nodes, FILE *edges, cy_error *err);

#ifdef __cplusplus
}
#endif

#endif /* CHENGYU_IO_H */
