/*
 * weaklinks_sourcing.c - the single_source section: required (customer,
 * part) pairs with exactly one supplier, and their ranking once the
 * cascade impacts are known; the per-part link index that concentration
 * and the backups use.
 */
#include "weaklinks_internal.h"

#include <stdlib.h>
#include <string.h>

/*
 * single_source: walk each customer's incoming links, which are sorted by
 * (part, supplier), so a run of one part is that part's suppliers and a run
 * of length one is a single source.  Only required parts count (a link for
 * a part outside an explicit `requires` supplies nothing the customer
 * needs); a required part with no run at all is a pre-existing gap.
 * output_at_risk is filled in once the cascade impacts are known.
 */
cy_status cy_i_wl_single_source(cy_i_wl_build *b)
{
    const cy_network *net = b->net;
    cy_weaklinks *rep = b->report;
    size_t count = 0, cap = 0;

    for (size_t c = 0; c < net->enterprise_count; c++) {
        const cy_i_enterprise *e = &net->enterprises[c];
        size_t begin = net->in_offset[c], end = net->in_offset[c + 1];
        size_t supplied = 0;
        for (size_t k = begin; k < end;) {
            const cy_i_link *first = &net->links[net->in_links[k]];
            size_t run = k + 1;
            while (run < end && net->links[net->in_links[run]].part == first->part)
                run++;
            if (cy_i_wl_sorted_contains(e->requires, e->requires_count, first->part)) {
                supplied++;
                if (run - k == 1) {
                    if (!cy_i_grow((void **)&rep->single_source, &cap, count + 1,
                                   sizeof *rep->single_source))
                        return CY_ENOMEM;
                    rep->single_source[count].enterprise = c;
                    rep->single_source[count].part = first->part;
                    rep->single_source[count].supplier = first->from;
                    rep->single_source[count].volume = first->volume;
                    rep->single_source[count].output_at_risk = 0.0;
                    count++;
                }
            }
            k = run;
        }
        rep->unsupplied_count += e->requires_count - supplied;
    }
    rep->single_source_count = count;
    return CY_OK;
}


int cy_i_wl_part_index_init(const cy_network *net, cy_i_wl_part_index *ix)
{
    size_t parts = net->parts.count;
    ix->offset = cy_calloc(parts + 1, sizeof *ix->offset);
    ix->links = cy_calloc(net->link_count, sizeof *ix->links);
    if (!ix->offset || !ix->links)
        return 0;
    for (size_t j = 0; j < net->link_count; j++)
        ix->offset[net->links[j].part + 1]++;
    for (size_t p = 0; p < parts; p++)
        ix->offset[p + 1] += ix->offset[p];
    {
        size_t *fill = cy_calloc(parts + 1, sizeof *fill);
        if (!fill)
            return 0;
        memcpy(fill, ix->offset, (parts + 1) * sizeof *fill);
        for (size_t j = 0; j < net->link_count; j++)
            ix->links[fill[net->links[j].part]++] = j;
        cy_free(fill);
    }
    return 1;
}

void cy_i_wl_part_index_destroy(cy_i_wl_part_index *ix)
{
    cy_free(ix->offset);
    cy_free(ix->links);
}

/* The sort key of a single-source pair (the row itself is large: it is
 * moved once, in order, after the sort). */
typedef struct {
    size_t impact_class;
    double volume;
    size_t enterprise_rank, part_rank, index;
} single_source_sort;

static int single_source_cmp(const void *a, const void *b)
{
    const single_source_sort *x = a, *y = b;
    int c = cy_i_wl_cmp_size(x->impact_class, y->impact_class);
    if (!c)
        c = cy_i_wl_desc_double(x->volume, y->volume);
    if (!c)
        c = cy_i_wl_cmp_size(x->enterprise_rank, y->enterprise_rank);
    return c ? c : cy_i_wl_cmp_size(x->part_rank, y->part_rank);
}

/* Ranked by the impact of the supplier's failure (its impact class), then
 * the link's volume, then customer id and part name. */
cy_status cy_i_wl_rank_single_source(cy_i_wl_build *b)
{
    cy_weaklinks *rep = b->report;
    size_t count = rep->single_source_count;
    single_source_sort *keys = cy_calloc(count + 1, sizeof *keys);
    cy_wl_single_source *sorted = cy_calloc(count + 1, sizeof *sorted);
    if (!keys || !sorted) {
        cy_free(keys);
        cy_free(sorted);
        return CY_ENOMEM;
    }
    for (size_t i = 0; i < count; i++) {
        const cy_wl_single_source *s = &rep->single_source[i];
        keys[i].impact_class = b->impact_class[s->supplier];
        keys[i].volume = s->volume;
        keys[i].enterprise_rank = b->ranks.enterprise[s->enterprise];
        keys[i].part_rank = b->ranks.part[s->part];
        keys[i].index = i;
    }
    qsort(keys, count, sizeof *keys, single_source_cmp);
    for (size_t i = 0; i < count; i++) {
        cy_wl_single_source *row = &sorted[i];
        *row = rep->single_source[keys[i].index];
        row->impact = b->impact[row->supplier];
        row->output_at_risk = row->impact.output_value_lost;
    }
    cy_free(rep->single_source);
    rep->single_source = sorted;
    cy_free(keys);
    return CY_OK;
}
