/*
 * demand_shim.h - TEMPORARY stand-ins for the loader's demand accessors
 * (final demand, demand nodes, the rule, region `inside`, single part), so
 * the weak-link work builds before they land.  Never merged to main:
 * deleted when the loader's versions arrive.
 */
#ifndef CHENGYU_DEMAND_SHIM_H
#define CHENGYU_DEMAND_SHIM_H

#include "chengyu.h"

typedef enum {
    CY_DEMAND_FINAL_DEMAND = 0,
    CY_DEMAND_OEM,
    CY_DEMAND_NO_CUSTOMER
} cy_demand_rule;

double cy_enterprise_final_demand(const cy_network *net, size_t i);
int cy_enterprise_is_demand_node(const cy_network *net, size_t i);
cy_demand_rule cy_network_demand_rule(const cy_network *net);
const char *cy_demand_rule_name(cy_demand_rule rule);
double cy_network_final_demand_total(const cy_network *net);
int cy_region_inside(const cy_network *net, size_t region);
int cy_network_single_part(const cy_network *net);

#endif
