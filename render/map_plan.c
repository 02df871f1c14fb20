/*
 * map_plan.c - the map view's part of the plan: the projections' names,
 * the options that apply to a map, and which firms can be placed (a
 * location of their own or a park with one); the others are listed in the
 * plan's note.
 */
#include "map_internal.h"

#include <string.h>

static const char *const projection_names[CY_PROJECTION_COUNT] = {
    "equirectangular", "mercator"};

const char *cy_projection_name(cy_projection projection)
{
    return (unsigned)projection < CY_PROJECTION_COUNT ? projection_names[projection]
                                                       : NULL;
}

int cy_projection_parse(const char *name, cy_projection *out)
{
    for (int k = 0; name && k < CY_PROJECTION_COUNT; k++) {
        if (strcmp(name, projection_names[k]) == 0) {
            *out = (cy_projection)k;
            return 1;
        }
    }
    return 0;
}

/* ---- where a firm is ---------------------------------------------------- */

static int firm_placeable(const cy_network *net, size_t i)
{
    return net->enterprises[i].has_location || park_located(net, net->enterprises[i].park);
}

/* "N firms have neither ...: a, b, c and K more." into the plan's note. */
static void note_unplaced(const cy_network *net, const unsigned char *mark,
                          size_t unplaced, cy_r_plan *plan)
{
    size_t used = strlen(plan->note), listed = 0;
    size_t room = sizeof plan->note - used;
    char *p = plan->note + used;
    int w = snprintf(p, room, "%s%zu firm%s ha%s no location and no park with one and "
                     "%s not drawn:", used ? " " : "", unplaced, unplaced == 1 ? "" : "s",
                     unplaced == 1 ? "s" : "ve", unplaced == 1 ? "is" : "are");
    for (size_t i = 0; w > 0 && (size_t)w < room && i < net->enterprise_count; i++) {
        if (mark[i] || listed == UNPLACED_LISTED)
            continue;
        w += snprintf(p + w, room - (size_t)w, "%s %.40s", listed ? "," : "",
                      net->enterprises[i].id);
        listed++;
    }
    if (w > 0 && (size_t)w < room)
        snprintf(p + w, room - (size_t)w, unplaced > listed ? " and %zu more." : ".",
                 unplaced - listed);
}

cy_status cy_r_map_plan(const cy_network *net, const cy_render_options *opt,
                        cy_r_plan *plan, unsigned char **mark, cy_error *err)
{
    size_t n = net->enterprise_count, unplaced = 0;
    *mark = NULL;
    if (opt->layout) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--layout does not apply to the map "
                     "view (positions come from the locations)");
        return CY_EUSAGE;
    }
    if (opt->color_by != CY_COLOR_AUTO && opt->color_by != CY_COLOR_KIND &&
        opt->color_by != CY_COLOR_REGION) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--color-by %s does not apply to the map "
                     "view (kind or region)", cy_color_by_name(opt->color_by));
        return CY_EUSAGE;
    }
    if (opt->size_by != CY_SIZE_AUTO && opt->size_by != CY_SIZE_OUTPUT &&
        opt->size_by != CY_SIZE_NONE) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "--size-by %s does not apply to the map "
                     "view (output or none)", cy_size_by_name(opt->size_by));
        return CY_EUSAGE;
    }
    if ((unsigned)opt->projection >= CY_PROJECTION_COUNT) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown projection %d", (int)opt->projection);
        return CY_EUSAGE;
    }
    if (n > plan->max_nodes) {
        char text[200];
        plan->aggregated = 1;
        plan->grouping = CY_R_BY_PARK;
        snprintf(text, sizeof text, "%zu enterprises exceed --max-nodes %zu: one circle "
                 "per park, at the park's location.", n, plan->max_nodes);
        snprintf(plan->note + strlen(plan->note), sizeof plan->note - strlen(plan->note),
                 "%s%s", plan->note[0] ? " " : "", text);
        return CY_OK;
    }
    if (!(*mark = cy_malloc(n ? n : 1))) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "out of memory");
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        (*mark)[i] = (unsigned char)firm_placeable(net, i);
        unplaced += !(*mark)[i];
    }
    if (unplaced)
        note_unplaced(net, *mark, unplaced, plan);
    return CY_OK;
}
