/*
 * load_demand.c - the amounts the loader derives once every link is in the
 * model (docs/format.md, "Derived values"): each firm's outgoing volume,
 * output, final demand and capacity (a given capacity below the output is
 * refused), the demand nodes and the rule that chose them, the network's
 * total final demand, and whether the file has data for the time-based
 * analyses.  Analyses read these through the accessors and never
 * recompute them.
 */
#include "load_internal.h"

#include <float.h>
#include <math.h>

/*
 * A capacity may fall short of the output by this much, relatively: the
 * output of a firm without `output_value` is a sum of volumes, whose last
 * bits depend on rounding (0.1 + 0.2 > 0.3), and a capacity written as the
 * exact sum must not be refused for that.
 */
#define CAPACITY_TOLERANCE 1e-9

/* The volumes of each firm's outgoing links, summed in file order. */
static void sum_out_volumes(cy_network *net)
{
    for (size_t i = 0; i < net->enterprise_count; i++)
        net->enterprises[i].out_volume = 0;
    for (size_t j = 0; j < net->link_count; j++)
        net->enterprises[net->links[j].from].out_volume += net->links[j].volume;
}

/* Output, final demand and capacity of one firm (format.md). */
static void derive_amounts(cy_i_enterprise *e)
{
    if (e->has_final_demand)
        e->final_demand = e->final_demand_given;
    else if (e->has_output_value && e->output_value > e->out_volume)
        e->final_demand = e->output_value - e->out_volume;
    else
        e->final_demand = 0;
    e->output = e->has_output_value ? e->output_value
                                    : e->out_volume + e->final_demand;
    e->capacity = e->has_capacity ? e->capacity_given : e->output;
}

/* Report a given capacity below the firm's output, saying where the
 * output comes from. */
static void report_capacity(loader *L, size_t i)
{
    const cy_i_enterprise *e = &L->net->enterprises[i];
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE], c[NUMBER_SIZE],
        d[NUMBER_SIZE], shown[SHOW_SIZE];

    cy_l_path_index(at, "$.enterprises", i);
    cy_l_path_key(at, at, "capacity");
    if (e->has_output_value)
        ERROR(L, at, "capacity %s of %s is below its output_value %s",
              cy_l_show_number(e->capacity, a), cy_l_show(e->id, shown),
              cy_l_show_number(e->output, b));
    else
        ERROR(L, at, "capacity %s of %s is below its output %s (the volumes "
              "of its outgoing links, %s, plus its final demand, %s)",
              cy_l_show_number(e->capacity, a), cy_l_show(e->id, shown),
              cy_l_show_number(e->output, b),
              cy_l_show_number(e->out_volume, c),
              cy_l_show_number(e->final_demand, d));
}

/* The demand nodes under the first rule that finds any (chengyu_network.h). */
static void choose_demand_nodes(cy_network *net)
{
    int any_final = 0, any_oem = 0;
    for (size_t i = 0; i < net->enterprise_count; i++) {
        any_final |= net->enterprises[i].final_demand > 0;
        any_oem |= net->enterprises[i].kind == CY_KIND_OEM;
    }
    net->demand_rule = any_final ? CY_DEMAND_FINAL_DEMAND
                       : any_oem ? CY_DEMAND_OEM
                                 : CY_DEMAND_NO_CUSTOMER;
    net->demand_node_count = 0;
    for (size_t i = 0; i < net->enterprise_count; i++) {
        cy_i_enterprise *e = &net->enterprises[i];
        switch (net->demand_rule) {
        case CY_DEMAND_FINAL_DEMAND: e->demand_node = e->final_demand > 0; break;
        case CY_DEMAND_OEM: e->demand_node = e->kind == CY_KIND_OEM; break;
        case CY_DEMAND_NO_CUSTOMER:
            e->demand_node = net->out_offset[i] == net->out_offset[i + 1];
            break;
        }
        net->demand_node_count += (size_t)e->demand_node;
    }
}

/*
 * Report the firm whose output brings the sum of every firm's output past
 * the largest double: a cascade adds the outputs of the firms it stops,
 * so every such sum stays finite only if the whole does.  An output that
 * is itself infinite (its outgoing volumes plus its final demand) is the
 * first such firm.
 */
static void report_output_sum(loader *L, size_t i)
{
    const cy_i_enterprise *e = &L->net->enterprises[i];
    char at[PATH_SIZE], a[NUMBER_SIZE], b[NUMBER_SIZE], shown[SHOW_SIZE];
    cy_l_path_index(at, "$.enterprises", i);
    if (!isfinite(e->output))
        ERROR(L, at, "the output of %s (the volumes of its outgoing links, %s, "
              "plus its final demand, %s) is more than %g, the largest number",
              cy_l_show(e->id, shown), cy_l_show_number(e->out_volume, a),
              cy_l_show_number(e->final_demand, b), DBL_MAX);
    else
        ERROR(L, at, "the outputs of the firms up to %s sum to more than %g, "
              "the largest number: totals would be infinite",
              cy_l_show(e->id, shown), DBL_MAX);
}

cy_status cy_l_derive_demand(loader *L)
{
    cy_network *net = L->net;
    size_t errors_before = L->err->error_count;
    double output_sum = 0;

    sum_out_volumes(net);
    net->final_demand_total = 0;
    net->has_stress_data = 0;
    for (size_t i = 0; i < net->enterprise_count && !FULL(L); i++) {
        cy_i_enterprise *e = &net->enterprises[i];
        derive_amounts(e);
        if (isfinite(output_sum) && !isfinite(output_sum += e->output))
            report_output_sum(L, i);
        if (e->has_capacity && e->capacity < e->output * (1 - CAPACITY_TOLERANCE))
            report_capacity(L, i);
        net->final_demand_total += e->final_demand;
        net->has_stress_data |= e->has_capacity || e->has_inventory_days ||
                                e->recovery_days > 0;
    }
    if (L->err->error_count > errors_before)
        return CY_EINPUT;
    if (!isfinite(net->final_demand_total)) {
        ERROR(L, "$.enterprises", "the final demands of the file sum to more "
              "than the largest number: totals would be infinite");
        return CY_EINPUT;
    }
    choose_demand_nodes(net);
    return CY_OK;
}
