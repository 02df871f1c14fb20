/*
 * generate_firms.c - phases 1 and 2 of the synthetic generator: the firms
 * (tier, sector, region, popularity, OEM output value, the named Chongqing
 * clusters) and the parks they sit in.
 */
#include "generate_internal.h"
#include "generate_random.h"

#include <string.h>

/* Sector mix of non-OEM firms, per mille: 44% automotive only, 27% both,
 * 29% electronics only.  71% serve automotive and 56% electronics, enough
 * for the 1,000 and 800 cluster suppliers among the regional preset's
 * ~1,430 parts suppliers. */
#define SECTOR_AUTO_ONLY_PERMILLE 440
#define SECTOR_BOTH_PERMILLE 270

/* Share of enterprises located in a park, per mille ("most, not all"). */
#define PARK_PERMILLE 850

/* ------------------------------------------------------------------ */
/* Phase 1: firms                                                      */
/* ------------------------------------------------------------------ */

uint16_t cy_i_gen_draw_region(const gen_model *m, gen_rng *rng)
{
    unsigned column = m->preset->weights;
    uint64_t total = 0;
    for (size_t r = 0; r < m->region_count; r++)
        total += cy_i_gen_regions[r].weight[column];
    uint64_t target = rng_below(rng, total);
    for (size_t r = 0; r < m->region_count; r++) {
        uint64_t weight = cy_i_gen_regions[r].weight[column];
        if (target < weight)
            return (uint16_t)r;
        target -= weight;
    }
    return 0; /* unreachable: target < total */
}

/*
 * Give each firm its tier, sector, region, popularity and (for OEMs) output
 * value, and choose the members of the two named Chongqing clusters.  The
 * sector mix of each supplier tier is exact (a shuffled deck of sector
 * cards), so cluster sizes do not wobble with the seed.  The first 11
 * automakers (the largest first: the "1" of 1+10+1000) and the first 11
 * terminal makers (5 brands + 6 ODMs) sit in Chongqing.
 */
void cy_i_gen_make_firms(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_FIRMS);

    for (size_t t = 0; t < TIER_COUNT; t++) {
        size_t begin = m->tier_begin[t];
        size_t size = m->tier_begin[t + 1] - begin;
        size_t auto_only = size * SECTOR_AUTO_ONLY_PERMILLE / 1000;
        size_t both = size * SECTOR_BOTH_PERMILLE / 1000;
        for (size_t k = 0; k < size; k++) {
            gen_firm *f = &m->firms[begin + k];
            memset(f, 0, sizeof *f);
            f->tier = (uint8_t)t;
            f->park = -1;
            f->req_first = -1;
            f->extra_req = -1;
            if (t == 0)
                f->sectors = begin + k < m->auto_oems ? SECTOR_AUTO : SECTOR_ELEC;
            else
                f->sectors = k < auto_only ? SECTOR_AUTO
                             : k < auto_only + both ? SECTOR_BOTH
                                                    : SECTOR_ELEC;
        }
        if (t == 0)
            continue;
        /* Fisher-Yates over the sector cards of the tier. */
        for (size_t k = size; k > 1; k--) {
            size_t j = (size_t)rng_below(&rng, k);
            uint8_t tmp = m->firms[begin + k - 1].sectors;
            m->firms[begin + k - 1].sectors = m->firms[begin + j].sectors;
            m->firms[begin + j].sectors = tmp;
        }
    }

    size_t leader = 0;
    for (size_t i = 0; i < m->firm_count; i++) {
        gen_firm *f = &m->firms[i];
        size_t terminal_rank = i - m->auto_oems;
        int in_cq_core = (i < m->auto_oems && i < CQ_AUTO_LEADERS) ||
                         (f->tier == 0 && i >= m->auto_oems &&
                          terminal_rank < CQ_TERMINAL_BRANDS + CQ_TERMINAL_ODMS);
        f->region = in_cq_core ? REGION_CHONGQING : cy_i_gen_draw_region(m, &rng);
        if (in_cq_core)
            f->flags = i < m->auto_oems ? FLAG_CQ_AUTO : FLAG_CQ_TERMINAL;
        f->popularity = draw_pareto43(&rng, 1000, 10000000);
        if (f->tier == 0) {
            /* 2.5 billion yuan and up; mean about 10 billion, like the
             * ~450 billion yuan of 45 automakers. */
            f->output_value = (int64_t)draw_pareto43(&rng, UINT64_C(2500000000),
                                                     UINT64_C(300000000000));
            if (i < m->auto_oems &&
                f->output_value > m->firms[leader].output_value)
                leader = i;
        }
    }
    /* The leading automaker of the 1+10+1000 cluster is the biggest. */
    int64_t biggest = m->firms[leader].output_value;
    m->firms[leader].output_value = m->firms[0].output_value;
    m->firms[0].output_value = biggest;

    /* Cluster suppliers: Chongqing's own parts makers first, then firms
     * elsewhere that supply the cluster, up to the published size. */
    size_t cq_auto = 0, cq_terminal = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = m->tier_begin[1]; i < m->tier_begin[MATERIAL_TIER]; i++) {
            gen_firm *f = &m->firms[i];
            if ((f->region == REGION_CHONGQING) != (pass == 0))
                continue;
            if ((f->sectors & SECTOR_AUTO) && cq_auto < CQ_AUTO_SUPPLIERS) {
                f->flags |= FLAG_CQ_AUTO;
                cq_auto++;
            }
            if ((f->sectors & SECTOR_ELEC) && cq_terminal < CQ_TERMINAL_SUPPLIERS) {
                f->flags |= FLAG_CQ_TERMINAL;
                cq_terminal++;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Phase 2: parks                                                      */
/* ------------------------------------------------------------------ */

/*
 * Lay out the parks (10 demonstration parks in Chongqing, 10 in Chengdu,
 * then the preset's general parks: one in every region first, the rest by
 * region weight), index them by region with cumulative weights, and put
 * PARK_PERMILLE of the firms into a park of their own region.
 */
cy_status cy_i_gen_make_parks(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_PARKS);

    m->park_count = DEMO_PARKS + m->preset->general_parks;
    m->parks = cy_calloc(m->park_count, sizeof *m->parks);
    m->region_park_begin = cy_calloc(m->region_count + 1, sizeof(size_t));
    m->region_parks = cy_calloc(m->park_count, sizeof(size_t));
    m->region_park_cum = cy_calloc(m->park_count, sizeof(uint64_t));
    if (m->parks == NULL || m->region_park_begin == NULL ||
        m->region_parks == NULL || m->region_park_cum == NULL)
        return CY_ENOMEM;

    for (size_t p = 0; p < m->park_count; p++) {
        gen_park *park = &m->parks[p];
        size_t general = p - DEMO_PARKS;
        if (p < DEMO_PARKS)
            park->region = p < DEMO_PARKS / 2 ? REGION_CHONGQING : REGION_CHENGDU;
        else if (general < m->region_count)
            park->region = (uint16_t)general;
        else
            park->region = cy_i_gen_draw_region(m, &rng);
        park->demonstration = p < DEMO_PARKS;
        park->weight = draw_pareto2(&rng, 100, 100000);
    }

    /* Counting sort by region keeps parks in index order within a region. */
    for (size_t p = 0; p < m->park_count; p++)
        m->region_park_begin[m->parks[p].region + 1]++;
    for (size_t r = 0; r < m->region_count; r++)
        m->region_park_begin[r + 1] += m->region_park_begin[r];
    size_t *fill = cy_malloc((m->region_count + 1) * sizeof *fill);
    if (fill == NULL)
        return CY_ENOMEM;
    memcpy(fill, m->region_park_begin, (m->region_count + 1) * sizeof *fill);
    for (size_t p = 0; p < m->park_count; p++)
        m->region_parks[fill[m->parks[p].region]++] = p;
    cy_free(fill);
    for (size_t r = 0; r < m->region_count; r++) {
        uint64_t total = 0;
        for (size_t k = m->region_park_begin[r]; k < m->region_park_begin[r + 1]; k++) {
            total += m->parks[m->region_parks[k]].weight;
            m->region_park_cum[k] = total;
        }
    }

    for (size_t i = 0; i < m->firm_count; i++) {
        gen_firm *f = &m->firms[i];
        size_t lo = m->region_park_begin[f->region];
        size_t hi = m->region_park_begin[f->region + 1];
        if (lo == hi || !rng_chance(&rng, PARK_PERMILLE))
            continue;
        f->park = (int32_t)m->region_parks[pick_weighted(&rng, m->region_park_cum,
                                                         lo, lo, hi)];
    }
    return CY_OK;
}
