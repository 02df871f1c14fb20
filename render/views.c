/*
 * views.c - which views a network has something to show in, and the hints
 * that name them: a file without parks is never told to try --view parks.
 */
#include "render_internal.h"

#include <string.h>

static int any_tier(const cy_network *net)
{
    for (size_t i = 0; i < net->enterprise_count; i++)
        if (net->enterprises[i].tier >= 0)
            return 1;
    return 0;
}

static int any_location(const cy_network *net)
{
    for (size_t i = 0; i < net->enterprise_count; i++) {
        long park = net->enterprises[i].park;
        if (net->enterprises[i].has_location ||
            (park >= 0 && net->groups[CY_GROUP_PARK][park].has_location))
            return 1;
    }
    return 0;
}

int cy_render_view_exists(const cy_network *net, cy_view view)
{
    switch (view) {
    case CY_VIEW_FULL:
    case CY_VIEW_EGO: return net->enterprise_count > 0;
    case CY_VIEW_TIERS: return any_tier(net);
    case CY_VIEW_CLUSTERS: return net->group_count[CY_GROUP_CLUSTER] > 0;
    case CY_VIEW_PARKS: return net->group_count[CY_GROUP_PARK] > 0;
    case CY_VIEW_REGIONS: return net->group_count[CY_GROUP_REGION] > 0;
    case CY_VIEW_MAP: return any_location(net);
    default: return 0;
    }
}

const char *cy_render_view_hint(const cy_network *net, cy_view drawn, char *buf, size_t size)
{
    static const cy_view overview[] = {CY_VIEW_PARKS, CY_VIEW_REGIONS, CY_VIEW_CLUSTERS};
    const char *names[3];
    size_t count = 0, used = 0;
    for (size_t k = 0; k < 3; k++)
        if (overview[k] != drawn && cy_render_view_exists(net, overview[k]))
            names[count++] = cy_view_name(overview[k]);
    if (size)
        buf[0] = '\0';
    for (size_t k = 0; k < count && used < size; k++) {
        int w = snprintf(buf + used, size - used, "%s%s",
                         k == 0 ? "--view " : k + 1 == count ? " or " : ", ", names[k]);
        used += w > 0 ? (size_t)w : 0;
    }
    return buf;
}
