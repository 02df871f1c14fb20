/*
 * report_common.c - helpers shared by the weak-link report writers, and
 * cy_weaklinks_write, which picks the writer of a format.
 */
#include "report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *cy_r_demand_rule_text(cy_demand_rule rule)
{
    switch (rule) {
    case CY_DEMAND_FINAL_DEMAND:
        return N_("demand nodes are the firms with final demand > 0 (sales outside the "
               "network: final_demand, else output_value minus deliveries)");
    case CY_DEMAND_OEM:
        return N_("no firm has final demand: the demand nodes are the OEMs, and losses "
               "are counted in demand nodes and firms");
    default:
        return N_("no firm has final demand and there is no OEM: the demand nodes are "
               "the firms with no customer in the network");
    }
}

const char *cy_r_backup_note(const cy_wl_recommendation *r)
{
    if (!r->backup_count)
        return CY_REPORT_NO_BACKUP;
    return r->backups[0].independent ? NULL : CY_REPORT_NO_INDEPENDENT;
}

long cy_r_same_park(const cy_network *net, const cy_wl_recommendation *r,
                    const cy_wl_candidate *b)
{
    long park = net->enterprises[b->firm].park;
    return park >= 0 && park == net->enterprises[r->supplier].park ? park : -1;
}

void cy_r_shared_suppliers(cy_wl_shared_cache *cache, const cy_wl_recommendation *r,
                           const cy_wl_candidate *b, cy_r_shared *out)
{
    cy_wl_shared_suppliers(cache, r->supplier, b->firm, out->first, CY_WL_MAX_SHARED,
                           &out->count, &out->of);
}

/* Whether firm `f` failed in the threshold cascade `c`: its output
 * fraction is 0 (cy_cascade_result), found in O(1) where a scan of the
 * failed list made a hub's many candidates quadratic. */
static int failed_in(const cy_cascade_result *c, size_t f)
{
    return c->fraction[f] == 0.0;
}

/* Whether a firm other than the supplier supplies the part to one of the
 * customers: the cascade below is run only then (most chokepoints have
 * none, and a report may show thousands of them). */
static int any_other_source(const cy_network *net, const cy_wl_recommendation *r)
{
    for (size_t k = 0; k < r->customer_count; k++)
        if (cy_i_part_suppliers(net, r->customers[k], r->part, NULL) > 1)
            return 1;
    return 0;
}

size_t cy_r_current_sources(const cy_network *net, const cy_wl_recommendation *r,
                            double threshold, size_t *out, size_t max)
{
    cy_cascade_result cascade;
    cy_error quiet;
    size_t found = 0;

    if (r->type != CY_WEAK_CHOKEPOINT || !any_other_source(net, r))
        return 0;
    cy_error_init(&quiet);
    if (cy_cascade_run(net, &r->supplier, 1, threshold, &cascade, &quiet) != CY_OK) {
        cy_error_destroy(&quiet);
        return 0; /* out of memory: no claim rather than an unchecked one */
    }
    cy_error_destroy(&quiet);
    for (size_t k = 0; k < r->customer_count && found < max; k++) {
        size_t first, count = cy_i_part_suppliers(net, r->customers[k], r->part, &first);
        for (size_t q = 0; q < count && found < max; q++) {
            size_t from = net->links[net->in_links[first + q]].from, seen = 0;
            while (seen < found && out[seen] != from)
                seen++;
            /* One that fails with the supplier cannot take its share. */
            if (from != r->supplier && seen == found && !failed_in(&cascade, from))
                out[found++] = from;
        }
    }
    cy_cascade_result_destroy(&cascade);
    return found;
}

/* Whether row a comes before row b: a larger impact, or the same and
 * earlier in the register. */
static int time_before(const cy_wl_time *t, size_t a, size_t b)
{
    return t->rows[a].impact > t->rows[b].impact ||
           (t->rows[a].impact == t->rows[b].impact && a < b);
}

size_t cy_r_time_next(const cy_wl_time *t, size_t prev)
{
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < t->count; k++)
        if (t->rows[k].solved && (prev == SIZE_MAX || time_before(t, prev, k)) &&
            (best == SIZE_MAX || time_before(t, k, best)))
            best = k;
    return best;
}

/* The words for people, here so that xgettext finds them: the names
 * themselves are the JSON's and CSV's, and stay English there. */
static const char *const type_words[] = {N_("single_source"), N_("chokepoint"),
                                         N_("articulation_point"), N_("bridge")};
static const char *const model_words[] = {N_("threshold"), N_("fractional")};

/* _(name) when `name` is one of words[0 .. count), else name as is. */
static const char *word_of(const char *name, const char *const *words, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (strcmp(name, words[k]) == 0)
            return _(words[k]);
    return name;
}

const char *cy_r_type_word(cy_weak_type type)
{
    return word_of(cy_weak_type_name(type), type_words, sizeof type_words / sizeof *type_words);
}

const char *cy_r_model_word(cy_cascade_model model)
{
    return word_of(cy_cascade_model_name(model), model_words,
                   sizeof model_words / sizeof *model_words);
}

size_t cy_r_limit(size_t count, size_t top)
{
    return top && top < count ? top : count;
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
    case CY_CIRCLE_CHONGQING: return _("Chongqing");
    case CY_CIRCLE_CHENGDU: return _("Chengdu");
    case CY_CIRCLE_SICHUAN: return _("other Sichuan (circle)");
    case CY_CIRCLE_OTHER: return _("inside the circle");
    default: return _("outside the circle");
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

cy_status cy_weaklinks_write(const cy_network *net, const cy_weaklinks *report,
                             const cy_write_options *given, FILE *out,
                             cy_error *err)
{
    cy_write_options options;
    cy_status status = cy_r_options(given, CY_R_FORMAT(CY_FORMAT_MD) |
                                               CY_R_FORMAT(CY_FORMAT_CSV) |
                                               CY_R_FORMAT(CY_FORMAT_JSON),
                                    "weak-link report", &options, err);
    if (status != CY_OK)
        return status;
    switch (options.format) {
    case CY_FORMAT_JSON: return cy_weaklinks_write_json(net, report, options.top, out, err);
    case CY_FORMAT_CSV: return cy_r_weaklinks_csv(net, report, &options, out, err);
    default: return cy_weaklinks_write_md(net, report, options.top, out, err);
    }
}

cy_status cy_weaklinks_write_csv(const cy_network *net, const cy_weaklinks *report,
                                 size_t top, FILE *out, cy_error *err)
{
    cy_write_options options;
    cy_write_options_init(&options, CY_FORMAT_CSV);
    options.top = top;
    return cy_r_weaklinks_csv(net, report, &options, out, err);
}
