/*
 * generate_parts.c - phase 3 of the synthetic generator: the part
 * catalogues of each tier and sector, what every supplier makes, and the
 * index of each part's producers that customers pick from.
 */
#include "generate_internal.h"
#include "generate_random.h"

#include <string.h>

/* Catalogue size: 2 parts for every 5 firms of the tier that serve the
 * sector.  With 1.85 parts made per firm, a part has 3-5 producers on
 * average, so that 1-3 suppliers per need can usually be found. */
#define PARTS_PER_PRODUCER_NUM 2
#define PARTS_PER_PRODUCER_DEN 5

/* ------------------------------------------------------------------ */
/* Phase 3: part catalogues and producers                              */
/* ------------------------------------------------------------------ */

/*
 * Size each tier's automotive and electronics catalogues from the number of
 * firms that can make them, and give each part a heavy-tailed popularity
 * (tail exponent 4/3: a few parts, think chips, are in many bills).
 * A sub-catalogue is empty only when no firm of that tier has the sector.
 */
cy_status cy_i_gen_make_catalogues(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_PARTS);

    size_t next = 0;
    for (int t = 1; t < TIER_COUNT; t++) {
        m->tier_part_begin[t] = next;
        for (int s = 0; s < 2; s++) {
            size_t eligible = 0;
            for (size_t i = m->tier_begin[t]; i < m->tier_begin[t + 1]; i++)
                if (m->firms[i].sectors & sector_of_index(s))
                    eligible++;
            size_t size = eligible * PARTS_PER_PRODUCER_NUM / PARTS_PER_PRODUCER_DEN;
            if (size == 0 && eligible > 0)
                size = 1;
            m->catalogue_begin[t][s] = next;
            m->catalogue_size[t][s] = size;
            next += size;
        }
        m->part_width[t] = max_int(4, digits_of(next - m->tier_part_begin[t]));
    }
    m->tier_part_begin[TIER_COUNT] = next;
    m->part_count = next;

    m->part_tier = cy_calloc(m->part_count + 1, 1);
    m->part_cum = cy_calloc(m->part_count + 1, sizeof(uint64_t));
    if (m->part_tier == NULL || m->part_cum == NULL)
        return CY_ENOMEM;
    for (int t = 1; t < TIER_COUNT; t++) {
        for (int s = 0; s < 2; s++) {
            uint64_t total = 0;
            size_t begin = m->catalogue_begin[t][s];
            for (size_t p = begin; p < begin + m->catalogue_size[t][s]; p++) {
                m->part_tier[p] = (uint8_t)t;
                total += draw_pareto43(&rng, 100, 100000);
                m->part_cum[p] = total;
            }
        }
    }
    return CY_OK;
}

/*
 * Decide what every supplier and material firm makes (1-3 parts: 40% one,
 * 35% two, 25% three), first handing each part of a sub-catalogue to a
 * distinct eligible firm so that no part lacks a producer, then filling up
 * with parts drawn uniformly.  Uniformly, not by popularity: then a popular
 * part has no more makers than an obscure one, and those few makers become
 * the hubs (out-degree in the hundreds on the province preset) that a real
 * supply network has and its weak-link analysis must find.  Then build the
 * producer index: for each part its makers sorted by (region, firm) with
 * cumulative popularity, so customers can pick nationally or within one
 * region by binary search.
 */
cy_status cy_i_gen_make_producers(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_PRODUCES);

    for (int t = 1; t < TIER_COUNT; t++) {
        for (int s = 0; s < 2; s++) {
            size_t assigned = 0;
            size_t begin = m->catalogue_begin[t][s];
            for (size_t i = m->tier_begin[t];
                 i < m->tier_begin[t + 1] && assigned < m->catalogue_size[t][s]; i++) {
                gen_firm *f = &m->firms[i];
                if (f->sectors & sector_of_index(s))
                    f->parts[f->part_count++] = (int32_t)(begin + assigned++);
            }
        }
        for (size_t i = m->tier_begin[t]; i < m->tier_begin[t + 1]; i++) {
            gen_firm *f = &m->firms[i];
            unsigned roll = (unsigned)rng_below(&rng, 100);
            unsigned wanted = roll < 40 ? 1 : roll < 75 ? 2 : 3;
            for (int attempt = 0; f->part_count < wanted && attempt < SAMPLE_ATTEMPTS;
                 attempt++) {
                unsigned sector = f->sectors;
                if (sector == SECTOR_BOTH)
                    sector = rng_chance(&rng, 500) ? SECTOR_AUTO : SECTOR_ELEC;
                int s = sector_index(sector);
                if (m->catalogue_size[t][s] == 0)
                    s = 1 - s;
                int32_t part = (int32_t)(m->catalogue_begin[t][s] +
                                         rng_below(&rng, m->catalogue_size[t][s]));
                if (!firm_makes(f, part))
                    f->parts[f->part_count++] = part;
            }
        }
    }

    m->producer_begin = cy_calloc(m->part_count + 1, sizeof(size_t));
    size_t *by_region_begin = cy_calloc(m->region_count + 1, sizeof(size_t));
    int32_t *by_region = cy_malloc((m->firm_count + 1) * sizeof(int32_t));
    size_t *fill = cy_malloc((m->part_count + 1) * sizeof(size_t));
    cy_status status = CY_ENOMEM;
    if (m->producer_begin == NULL || by_region_begin == NULL ||
        by_region == NULL || fill == NULL)
        goto cleanup;

    size_t slots = 0;
    for (size_t i = m->tier_begin[1]; i < m->firm_count; i++) {
        const gen_firm *f = &m->firms[i];
        for (unsigned k = 0; k < f->part_count; k++)
            m->producer_begin[f->parts[k] + 1]++;
        slots += f->part_count;
        by_region_begin[f->region + 1]++;
    }
    for (size_t p = 0; p < m->part_count; p++)
        m->producer_begin[p + 1] += m->producer_begin[p];
    for (size_t r = 0; r < m->region_count; r++)
        by_region_begin[r + 1] += by_region_begin[r];
    for (size_t i = m->tier_begin[1]; i < m->firm_count; i++)
        by_region[by_region_begin[m->firms[i].region]++] = (int32_t)i;

    m->producer_firm = cy_malloc((slots + 1) * sizeof(int32_t));
    m->producer_cum = cy_malloc((slots + 1) * sizeof(uint64_t));
    if (m->producer_firm == NULL || m->producer_cum == NULL)
        goto cleanup;
    memcpy(fill, m->producer_begin, (m->part_count + 1) * sizeof(size_t));
    /* Visiting firms region by region (and by index within a region) leaves
     * every part's producer list sorted by (region, firm). */
    for (size_t k = 0; k < m->firm_count - m->tier_begin[1]; k++) {
        const gen_firm *f = &m->firms[by_region[k]];
        for (unsigned j = 0; j < f->part_count; j++)
            m->producer_firm[fill[f->parts[j]]++] = by_region[k];
    }
    for (size_t p = 0; p < m->part_count; p++) {
        uint64_t total = 0;
        for (size_t k = m->producer_begin[p]; k < m->producer_begin[p + 1]; k++) {
            total += m->firms[m->producer_firm[k]].popularity;
            m->producer_cum[k] = total;
        }
    }
    status = CY_OK;

cleanup:
    cy_free(by_region_begin);
    cy_free(by_region);
    cy_free(fill);
    return status;
}
