/*
 * report_common.c - helpers shared by the weak-link report writers.
 */
#include "report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t cy_r_limit(size_t count, size_t top)
{
    return top && top < count ? top : count;
}

const char *cy_r_amount(double value, char *buf, size_t size)
{
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e12, " tn"}, {1e9, " bn"}, {1e6, " M"}, {1e3, " k"}};
    double magnitude = fabs(value);

    if (isnan(value)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
        if (magnitude >= units[k].scale) {
            snprintf(buf, size, "%.3g%s", value / units[k].scale, units[k].unit);
            return buf;
        }
    snprintf(buf, size, "%.3g", value);
    return buf;
}

const char *cy_r_percent(double share, char *buf, size_t size)
{
    if (isnan(share))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.1f%%", 100.0 * share);
    return buf;
}

double cy_r_ratio(double part, double whole)
{
    return whole > 0 ? part / whole : NAN;
}

const char *cy_r_enterprise(const cy_network *net, size_t i)
{
    return i == CY_WL_NONE ? NULL : net->enterprises[i].id;
}

const char *cy_r_group(const cy_network *net, cy_group_kind kind, size_t g)
{
    return g == CY_WL_NONE ? NULL : net->groups[kind][g].id;
}

const char *cy_r_part(const cy_network *net, size_t p)
{
    return p == CY_WL_NONE ? NULL : net->parts.strings[p];
}

const char *cy_r_zone_name(cy_circle_zone zone)
{
    switch (zone) {
    case CY_CIRCLE_CHONGQING: return "Chongqing";
    case CY_CIRCLE_CHENGDU: return "Chengdu";
    case CY_CIRCLE_SICHUAN: return "other Sichuan (circle)";
    default: return "outside the circle";
    }
}

int cy_r_next_column(const char **cursor, int *right, const char **name,
                     size_t *length)
{
    const char *p = *cursor, *end;
    if (!*p)
        return 0;
    *right = p[0] == 'r';
    *name = p + 2;
    end = strchr(*name, '|');
    *length = end ? (size_t)(end - *name) : strlen(*name);
    *cursor = end ? end + 1 : *name + *length;
    return 1;
}
