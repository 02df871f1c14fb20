/*
 * scenario_internal.h - what the scenario file's reader (scenario.c) and
 * its mitigations (scenario_mitigate.c) share.
 */
#ifndef CHENGYU_SCENARIO_INTERNAL_H
#define CHENGYU_SCENARIO_INTERNAL_H

#include "internal.h"
#include "load_internal.h"

#include <stdarg.h>

#define CY_SC_PATH 256 /* a JSON path in a message */

typedef struct cy_sc_places cy_sc_places;

typedef struct {
    const cy_network *base;
    const char *network_path;
    const cy_import_options *import; /* for a network or scenarios in a spreadsheet */
    json_t *network_doc;   /* the base network as JSON, read once when needed */
    cy_error *err;
    int failed;            /* an error was reported */
    int oom;
} cy_sc_ctx;

char *cy_sc_strdup(const char *s);
/* An error at `path` of the scenario file. */
void cy_sc_error(cy_sc_ctx *ctx, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void cy_sc_check_keys(cy_sc_ctx *ctx, json_t *obj, const char *path,
                      const char *const *allowed);
json_t *cy_sc_get(cy_sc_ctx *ctx, json_t *obj, const char *path, const char *key,
                  json_type want, int required);
double cy_sc_number(cy_sc_ctx *ctx, json_t *obj, const char *path, const char *key,
                    double lo, double hi, double fallback);

/*
 * The base network with the mitigations (a JSON array at `path`.mitigations)
 * applied, loaded and checked by the loader; NULL after reporting every
 * problem (or on OOM, ctx->oom set).
 */
cy_network *cy_sc_mitigate(cy_sc_ctx *ctx, json_t *mitigations, const char *path);

/*
 * Scenarios in a spreadsheet (scenario_sheet.c): whether `path` is one (an
 * .xlsx workbook, a .csv file, a folder holding scenarios.csv), and its
 * chengyu-scenarios/1 document with the places of its objects and keys;
 * cy_sc_translate turns the JSON paths of diagnostics first..count into
 * those places.
 */
int cy_sc_is_sheet(const char *path);
cy_status cy_sc_read_sheet(const char *path, const cy_import_options *options,
                           json_t **doc, cy_sc_places **places, cy_error *err);
void cy_sc_translate(const cy_sc_places *places, cy_error *err, size_t first);
/* Where the JSON path `path` came from, spelled as a message's place
 * ("s.csv:2:1 (column "scenario")"); cy_free it; NULL on OOM. */
char *cy_sc_place(const cy_sc_places *places, const char *path);
void cy_sc_places_free(cy_sc_places *places);
/* The template workbook's scenarios sheet (its columns and two example
 * scenarios on the template network) and its rows of the explanation
 * sheet. */
cy_status cy_sc_template_sheet(cy_workbook *wb, cy_error *err);
void cy_sc_template_readme(cy_workbook *wb);

#endif
