/*
 * generate_links.c - phases 4 and 5 of the synthetic generator: every
 * firm's bill of materials and the suppliers that cover each need, a
 * customer for every firm nobody picked, the shares of each need, and the
 * money that flows upstream from the OEMs.
 */
#include "generate_internal.h"
#include "generate_random.h"

#include <string.h>

/* Parts required by a firm of tier 0..4, inclusive range.  Finished
 * products need the most; calibrated so that the regional preset has about
 * 8,700 links (5.3 per firm), the figure the presets are sized on.  The
 * orphan pass adds about 5% on top of what these ranges give. */
static const unsigned requires_min[MATERIAL_TIER] = {4, 3, 3, 2, 2};
static const unsigned requires_max[MATERIAL_TIER] = {8, 5, 4, 4, 3};

/* How often a customer looks for a part outside its own sector (a car needs
 * chips, a phone needs a battery), per mille. */
#define CROSS_SECTOR_PERMILLE 150

/* ------------------------------------------------------------------ */
/* Phase 4: requirements and sourcing                                  */
/* ------------------------------------------------------------------ */

/* A part of tier t drawn by popularity from sector s's sub-catalogue, or
 * from the other sector's when s has none in this tier. */
static int32_t draw_part(gen_model *m, gen_rng *rng, int t, int s)
{
    if (m->catalogue_size[t][s] == 0)
        s = 1 - s;
    size_t begin = m->catalogue_begin[t][s];
    return (int32_t)pick_weighted(rng, m->part_cum, begin, begin,
                                  begin + m->catalogue_size[t][s]);
}

/* The range [*lo, *hi) of part p's producers located in `region` (empty
 * when none).  O(log producers). */
static void producers_in_region(const gen_model *m, size_t part, uint16_t region,
                                size_t *lo, size_t *hi)
{
    size_t a = m->producer_begin[part], b = m->producer_begin[part + 1];
    while (a < b) { /* first producer with region >= `region` */
        size_t mid = a + (b - a) / 2;
        if (m->firms[m->producer_firm[mid]].region < region)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    b = m->producer_begin[part + 1];
    while (a < b) { /* first producer with region > `region` */
        size_t mid = a + (b - a) / 2;
        if (m->firms[m->producer_firm[mid]].region <= region)
            a = mid + 1;
        else
            b = mid;
    }
    *hi = a;
}

static int req_has_supplier(const gen_requirement *req, int32_t firm)
{
    for (unsigned k = 0; k < req->supplier_count; k++)
        if (req->supplier[k] == firm)
            return 1;
    return 0;
}

/*
 * Source requirement `req` of customer c: 1-3 distinct producers of its
 * part (never more than exist), each picked by popularity, within the
 * customer's region with probability local_permille when the region has
 * one.  Duplicates are redrawn a few times, then the next unused producer
 * in list order is taken, so the cost stays O(log producers) per supplier
 * even when one producer holds nearly all the weight.
 */
static void source_requirement(gen_model *m, gen_rng *rng, gen_requirement *req,
                               const gen_firm *c)
{
    size_t seg = m->producer_begin[req->part];
    size_t seg_end = m->producer_begin[req->part + 1];
    size_t available = seg_end - seg;
    unsigned roll = (unsigned)rng_below(rng, 100);
    unsigned wanted = roll < 45 ? 1 : roll < 80 ? 2 : 3;
    if (wanted > available)
        wanted = (unsigned)available;

    size_t local_lo, local_hi;
    producers_in_region(m, (size_t)req->part, c->region, &local_lo, &local_hi);
    while (req->supplier_count < wanted) {
        size_t lo = seg, hi = seg_end;
        if (local_lo < local_hi && rng_chance(rng, m->preset->local_permille)) {
            lo = local_lo;
            hi = local_hi;
        }
        size_t pick = 0;
        int found = 0;
        for (int attempt = 0; attempt < SAMPLE_ATTEMPTS && !found; attempt++) {
            pick = pick_weighted(rng, m->producer_cum, seg, lo, hi);
            found = !req_has_supplier(req, m->producer_firm[pick]);
        }
        for (size_t step = 1; !found && step < available; step++) {
            size_t next = seg + (pick - seg + step) % available;
            if (!req_has_supplier(req, m->producer_firm[next])) {
                pick = next;
                found = 1;
            }
        }
        if (!found)
            break; /* unreachable: wanted <= available */
        int32_t supplier = m->producer_firm[pick];
        req->supplier[req->supplier_count++] = supplier;
        m->firms[supplier].out_links++;
        m->link_count++;
    }
}

/* The requirement of customer c for `part`, or NULL.  O(bill size). */
static gen_requirement *find_requirement(gen_model *m, const gen_firm *c, int32_t part)
{
    for (int32_t r = first_req(c); r >= 0; r = next_req(m, c, r))
        if (m->reqs[r].part == part)
            return &m->reqs[r];
    return NULL;
}

static gen_requirement *new_requirement(gen_model *m, size_t customer, int32_t part)
{
    gen_requirement *req = &m->reqs[m->req_count++];
    memset(req, 0, sizeof *req);
    req->customer = (int32_t)customer;
    req->part = part;
    req->next_extra = -1;
    return req;
}

/*
 * Give every firm below the material tier its bill of materials: between
 * requires_min and requires_max distinct parts of the next tier up, mostly
 * of its own sector, each sourced at once.  The requirement array is sized
 * for the worst case here and for one added requirement per supplier in
 * the orphan pass, so it never moves.
 */
cy_status cy_i_gen_make_requirements(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_REQUIRES);

    size_t capacity = m->firm_count;
    for (int t = 0; t < MATERIAL_TIER; t++)
        capacity += (m->tier_begin[t + 1] - m->tier_begin[t]) * requires_max[t];
    m->reqs = cy_malloc(capacity * sizeof *m->reqs);
    if (m->reqs == NULL)
        return CY_ENOMEM;
    m->req_capacity = capacity;

    for (size_t i = 0; i < m->tier_begin[MATERIAL_TIER]; i++) {
        gen_firm *c = &m->firms[i];
        int up = c->tier + 1;
        size_t tier_parts = m->tier_part_begin[up + 1] - m->tier_part_begin[up];
        unsigned wanted = rng_range(&rng, requires_min[c->tier], requires_max[c->tier]);
        if (wanted > tier_parts)
            wanted = (unsigned)tier_parts;
        c->req_first = (int32_t)m->req_count;
        for (unsigned attempt = 0;
             c->req_count < wanted && attempt < SAMPLE_ATTEMPTS * wanted; attempt++) {
            unsigned sector = c->sectors;
            if (sector == SECTOR_BOTH)
                sector = rng_chance(&rng, 500) ? SECTOR_AUTO : SECTOR_ELEC;
            if (rng_chance(&rng, CROSS_SECTOR_PERMILLE))
                sector ^= SECTOR_BOTH;
            int32_t part = draw_part(m, &rng, up, sector_index(sector));
            if (find_requirement(m, c, part) != NULL)
                continue;
            gen_requirement *req = new_requirement(m, i, part);
            c->req_count++;
            source_requirement(m, &rng, req, c);
        }
    }
    return CY_OK;
}

/* Give customer c_index a new need for `part`, covered by `supplier`. */
static void add_need(gen_model *m, size_t c_index, int32_t part, int32_t supplier)
{
    gen_firm *c = &m->firms[c_index];
    gen_requirement *req = new_requirement(m, c_index, part);
    req->supplier[req->supplier_count++] = supplier;
    req->next_extra = c->extra_req;
    c->extra_req = (int32_t)(req - m->reqs);
}

/*
 * Last resort for an orphan when every customer below already needs every
 * part it makes from three suppliers (possible only in tiny custom
 * networks): scan the tier below for a need of any part of the orphan's
 * tier that is missing or has fewer than MAX_SUPPLIERS suppliers, and make
 * the orphan a producer of that part.  One always exists: each tier-t
 * catalogue has at least n_t / 4 parts, so the customers below offer at
 * least 4 * n_t / 4 = n_t slots, and only the n_t firms of tier t take
 * them.  Changing what the orphan makes is safe: no link depends on it yet.
 * O(customers * catalogue), on a path the presets never take.
 */
static void attach_anywhere(gen_model *m, size_t orphan)
{
    gen_firm *f = &m->firms[orphan];
    int t = f->tier;
    for (size_t c_index = m->tier_begin[t - 1]; c_index < m->tier_begin[t]; c_index++) {
        for (size_t q = m->tier_part_begin[t]; q < m->tier_part_begin[t + 1]; q++) {
            gen_requirement *req = find_requirement(m, &m->firms[c_index], (int32_t)q);
            if (req != NULL && req->supplier_count >= MAX_SUPPLIERS)
                continue;
            if (!firm_makes(f, (int32_t)q)) {
                if (f->part_count < 3)
                    f->part_count++;
                f->parts[f->part_count - 1] = (int32_t)q;
            }
            if (req != NULL)
                req->supplier[req->supplier_count++] = (int32_t)orphan;
            else
                add_need(m, c_index, (int32_t)q, (int32_t)orphan);
            return;
        }
    }
}

/*
 * Make sure every supplier and material firm sells to someone, so that no
 * enterprise is left without links.  A firm nobody picked joins, as an
 * extra source, a requirement for one of its parts that has fewer than
 * three suppliers (found among up to SAMPLE_ATTEMPTS random requirements of
 * each part); failing that, a customer in the tier below that lacks one of
 * its parts gains it as a new single-sourced need (the first customer tried
 * almost always qualifies: a bill of materials holds a handful of parts);
 * failing that, attach_anywhere.  Expected O(1) per orphan.
 */
cy_status cy_i_gen_attach_orphans(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_ORPHANS);
    cy_status status = CY_ENOMEM;

    /* Requirements indexed by part (only the ones made so far). */
    size_t initial = m->req_count;
    size_t *part_req_begin = cy_calloc(m->part_count + 1, sizeof(size_t));
    int32_t *part_reqs = cy_malloc((initial + 1) * sizeof(int32_t));
    size_t *fill = cy_malloc((m->part_count + 1) * sizeof(size_t));
    if (part_req_begin == NULL || part_reqs == NULL || fill == NULL)
        goto cleanup;
    for (size_t r = 0; r < initial; r++)
        part_req_begin[m->reqs[r].part + 1]++;
    for (size_t p = 0; p < m->part_count; p++)
        part_req_begin[p + 1] += part_req_begin[p];
    memcpy(fill, part_req_begin, (m->part_count + 1) * sizeof(size_t));
    for (size_t r = 0; r < initial; r++)
        part_reqs[fill[m->reqs[r].part]++] = (int32_t)r;

    for (size_t i = m->tier_begin[1]; i < m->firm_count; i++) {
        gen_firm *f = &m->firms[i];
        if (f->out_links > 0)
            continue;
        int attached = 0;
        unsigned first = (unsigned)rng_below(&rng, f->part_count);
        for (unsigned k = 0; k < f->part_count && !attached; k++) {
            int32_t part = f->parts[(first + k) % f->part_count];
            size_t lo = part_req_begin[part], hi = part_req_begin[part + 1];
            for (int attempt = 0; lo < hi && attempt < SAMPLE_ATTEMPTS && !attached;
                 attempt++) {
                gen_requirement *req = &m->reqs[part_reqs[lo + rng_below(&rng, hi - lo)]];
                if (req->supplier_count < 3) {
                    req->supplier[req->supplier_count++] = (int32_t)i;
                    attached = 1;
                }
            }
        }
        size_t lo = m->tier_begin[f->tier - 1], hi = m->tier_begin[f->tier];
        size_t start = attached ? lo : lo + (size_t)rng_below(&rng, hi - lo);
        for (size_t step = 0; step < hi - lo && !attached; step++) {
            size_t c_index = lo + (start - lo + step) % (hi - lo);
            for (unsigned k = 0; k < f->part_count && !attached; k++) {
                int32_t part = f->parts[(first + k) % f->part_count];
                if (find_requirement(m, &m->firms[c_index], part) == NULL) {
                    add_need(m, c_index, part, (int32_t)i);
                    attached = 1;
                }
            }
        }
        if (!attached)
            attach_anywhere(m, i);
        f->out_links++;
        m->link_count++;
    }
    status = CY_OK;

cleanup:
    cy_free(part_req_begin);
    cy_free(part_reqs);
    cy_free(fill);
    return status;
}

/* ------------------------------------------------------------------ */
/* Phase 5: shares, volumes and output values                          */
/* ------------------------------------------------------------------ */

/*
 * Split every requirement among its suppliers in basis points: heavy-tailed
 * weights (one supplier usually dominates), each share at least 1 bp, the
 * last one the remainder, so the shares of a (customer, part) add up to
 * exactly 1 and each lies in (0, 1].
 */
void cy_i_gen_assign_shares(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_SHARES);
    for (size_t r = 0; r < m->req_count; r++) {
        gen_requirement *req = &m->reqs[r];
        unsigned n = req->supplier_count;
        uint64_t weight[MAX_SUPPLIERS] = {0}, total = 0;
        for (unsigned k = 0; k < n; k++) {
            weight[k] = draw_pareto2(&rng, 100, 2000);
            total += weight[k];
        }
        unsigned remaining = 10000;
        for (unsigned k = 0; k + 1 < n; k++) {
            unsigned bp = (unsigned)(weight[k] * 10000 / total);
            unsigned most = remaining - (n - 1 - k); /* leave 1 bp for each later */
            bp = bp < 1 ? 1 : bp > most ? most : bp;
            req->share_bp[k] = (uint16_t)bp;
            remaining -= bp;
        }
        if (n > 0)
            req->share_bp[n - 1] = (uint16_t)remaining;
    }
}

/* Cap on any output value: far above any real firm, far below overflow. */
#define MAX_OUTPUT_VALUE INT64_C(100000000000000) /* 1e14 yuan */

/*
 * Let money flow upstream.  Firms are visited in index order, which is tier
 * order, and every customer of a tier-t firm is in tier t-1, so a firm's
 * sales are complete when it is reached.  A supplier's output value is its
 * sales in the network plus 10-100% more sold outside it (at least a small
 * firm's 5 million yuan); a firm spends 20-40% of its output on the parts
 * it sources here, split among its requirements by heavy-tailed weights and
 * then among suppliers by share.  Every link gets at least 1 yuan.
 */
void cy_i_gen_assign_money(gen_model *m)
{
    gen_rng rng;
    rng_seed(&rng, m->seed, STREAM_MONEY);

    for (size_t i = 0; i < m->firm_count; i++) {
        gen_firm *f = &m->firms[i];
        if (f->tier > 0) {
            uint64_t extra = rng_range(&rng, 100, 1000);
            int64_t outside = (int64_t)draw_pareto2(&rng, 5000000, 500000000);
            int64_t value = proportion(f->sales, 1000 + extra, 1000) + outside;
            f->output_value = value < MAX_OUTPUT_VALUE ? value : MAX_OUTPUT_VALUE;
        }
        if (f->tier == MATERIAL_TIER)
            continue;

        int64_t budget = proportion(f->output_value, rng_range(&rng, 200, 400), 1000);
        uint64_t total = 0;
        for (int32_t r = first_req(f); r >= 0; r = next_req(m, f, r)) {
            m->reqs[r].demand_weight = (uint32_t)draw_pareto2(&rng, 100, 10000);
            total += m->reqs[r].demand_weight;
        }
        for (int32_t r = first_req(f); r >= 0; r = next_req(m, f, r)) {
            gen_requirement *req = &m->reqs[r];
            req->demand = proportion(budget, req->demand_weight, total);
            for (unsigned k = 0; k < req->supplier_count; k++)
                m->firms[req->supplier[k]].sales += link_volume(req, k);
        }
    }
}
