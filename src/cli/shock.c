/*
 * shock.c - the shock options that cascade and stress share: --fail,
 * --fail-park, --fail-region (repeatable, mixed) and --degrade
 * ID=FRACTION (an enterprise, a park or a region), resolved against the
 * network into failed and degraded enterprises, with the nearest valid id
 * in every "unknown" error.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

void cli_shock_destroy(cli_shock *shock)
{
    cy_free(shock->fail.items);
    cy_free(shock->degrade);
    memset(shock, 0, sizeof *shock);
}

int cli_shock_parse_degrade(const cli_spec *spec, const char *arg, char **id,
                            double *fraction)
{
    const char *eq = strrchr(arg, '=');
    char *end;

    if (!eq || eq == arg)
        return cli_usage(spec, "--degrade: expected ID=FRACTION, got '%s'", cli_echo(arg));
    *fraction = strtod(eq + 1, &end);
    if (end == eq + 1 || *end || !(*fraction >= 0.0 && *fraction <= 1.0))
        return cli_usage(spec,
                         "--degrade: the capacity left must be a number in [0, 1], "
                         "got '%s'", cli_echo(eq + 1));
    *id = cy_malloc((size_t)(eq - arg) + 1);
    if (!*id) {
        cli_error("out of memory");
        return CY_EXIT_FAILURE;
    }
    memcpy(*id, arg, (size_t)(eq - arg));
    (*id)[eq - arg] = '\0';
    return 1;
}

int cli_shock_check_degrade(const cli_spec *spec, const cli_strings *degrade)
{
    for (size_t k = 0; k < degrade->count; k++) {
        char *id = NULL;
        double x;
        int code = cli_shock_parse_degrade(spec, degrade->items[k], &id, &x);
        cy_free(id);
        if (code != 1)
            return code;
    }
    return -1;
}

int cli_shock_degrade_partial(const cli_strings *degrade)
{
    for (size_t k = 0; k < degrade->count; k++) {
        const char *eq = strrchr(degrade->items[k], '=');
        double x = eq ? strtod(eq + 1, NULL) : 0.0;
        if (x > 0.0 && x < 1.0)
            return 1;
    }
    return 0;
}

static int degrade_push(cli_shock *shock, size_t v, double x)
{
    if (shock->degrade_count == shock->degrade_capacity) {
        size_t capacity = shock->degrade_capacity ? 2 * shock->degrade_capacity : 8;
        cy_degrade *grown = cy_realloc(shock->degrade, capacity * sizeof *grown);
        if (!grown)
            return 0;
        shock->degrade = grown;
        shock->degrade_capacity = capacity;
    }
    shock->degrade[shock->degrade_count].enterprise = v;
    shock->degrade[shock->degrade_count++].capacity_left = x;
    return 1;
}

/* Print "unknown park "x" (did you mean "y"?)" for `option`, or, when x
 * is the name of one firm, park or region, "(it is the name of park "y":
 * give its id)" (cli_name_hint). */
static void unknown_target(const cy_network *net, const char *input, const char *option,
                           const char *id, unsigned kinds)
{
    const char *hint = cli_name_hint(net, id, kinds);
    const char *near = cy_network_nearest_id(net, id, (int)(kinds & 1u), kinds >> 1);
    const char *what = kinds == (2u << CY_GROUP_PARK)     ? "park"
                       : kinds == (2u << CY_GROUP_REGION) ? "region"
                                                          : "enterprise, park or region";
    if (hint)
        cli_error("%s: %s: unknown %s \"%s\" (%s)", input, option, what, cli_echo(id), hint);
    else
        cli_error("%s: %s: unknown %s \"%s\"%s%s%s", input, option, what, cli_echo(id),
                  near ? " (did you mean \"" : "", near ? cli_echo(near) : "",
                  near ? "\"?)" : "");
}

/* Every member of park or region `index`, failing (x < 0) or degraded to
 * x.  Returns 1, or 0 after printing the error. */
static int add_members(const cy_network *net, int kind, size_t index, double x,
                       cli_shock *shock)
{
    size_t *members = NULL, count = 0;
    cy_error err;
    int ok;

    cy_error_init(&err);
    ok = cy_stress_group_members(net, kind, index, &members, &count, &err) == CY_OK;
    if (!ok)
        cli_report(&err);
    for (size_t k = 0; k < count && ok; k++)
        if (!(ok = x < 0 ? cli_index_list_push(&shock->fail, members[k])
                         : degrade_push(shock, members[k], x)))
            cli_error("out of memory");
    cy_free(members);
    cy_error_destroy(&err);
    return ok;
}

/*
 * Add the enterprises `id` names under `option`: an enterprise (--degrade
 * only; --fail has its own resolver), or every member of a park or region
 * (the kinds allowed: bit 0 enterprise, bit 1 + CY_GROUP_PARK park, bit
 * 1 + CY_GROUP_REGION region), failing (x < 0) or degraded to x.  Returns
 * 1, or 0 after printing the error (an unknown id, with the nearest one).
 */
static int add_target(const cy_network *net, const char *input, const char *option,
                      const char *id, unsigned kinds, double x, cli_shock *shock)
{
    size_t index;

    if ((kinds & 1u) && cy_network_find_enterprise(net, id, &index))
        return (x < 0 ? cli_index_list_push(&shock->fail, index)
                      : degrade_push(shock, index, x))
                   ? 1
                   : (cli_error("out of memory"), 0);
    for (int q = 0; q < 2; q++) {
        int kind = q ? CY_GROUP_REGION : CY_GROUP_PARK;
        if ((kinds & (2u << kind)) &&
            cy_network_find_group(net, (cy_group_kind)kind, id, &index))
            return add_members(net, kind, index, x, shock);
    }
    unknown_target(net, input, option, id, kinds);
    return 0;
}

int cli_shock_build(const cli_spec *spec, const cy_network *net, const char *input,
                    const cli_shock_args *args, cli_shock *shock)
{
    for (size_t k = 0; k < args->fail->count; k++) {
        int resolved = cli_resolve_ids(spec, net, input, "--fail", args->fail->items[k],
                                       &shock->fail);
        if (resolved <= 0)
            return resolved;
    }
    for (size_t k = 0; k < args->fail_park->count; k++)
        if (!add_target(net, input, "--fail-park", args->fail_park->items[k],
                        2u << CY_GROUP_PARK, -1.0, shock))
            return 0;
    for (size_t k = 0; k < args->fail_region->count; k++)
        if (!add_target(net, input, "--fail-region", args->fail_region->items[k],
                        2u << CY_GROUP_REGION, -1.0, shock))
            return 0;
    for (size_t k = 0; k < args->degrade->count; k++) {
        char *id = NULL;
        double x = 0.0;
        int ok = cli_shock_parse_degrade(spec, args->degrade->items[k], &id, &x) == 1 &&
                 add_target(net, input, "--degrade", id,
                            1u | (2u << CY_GROUP_PARK) | (2u << CY_GROUP_REGION), x, shock);
        cy_free(id);
        if (!ok)
            return 0;
    }
    return 1;
}
