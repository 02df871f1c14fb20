/*
 * generate.c - the synthetic network behind `chengyu generate`.
 *
 * The generator builds a whole illustrative supply network in memory and
 * then streams it out as chengyu/1, one record per line.  The layered model
 * of the regional, province, national and xl presets, in the order the
 * phases run:
 *
 *   firms      Tier 0 holds the finished-product makers (kind "oem"): the
 *              automakers and the smart-terminal makers.  Tiers 1-4 hold
 *              parts suppliers, tier 5 material firms.  Every non-OEM firm
 *              serves the automotive sector, the electronics sector or both;
 *              the sector decides which parts it makes and which clusters it
 *              joins.  Regions, parks, popularity and OEM output values are
 *              drawn here.
 *   parts      Each tier t >= 1 has its own catalogue ("t2-part-0137"), split
 *              into an automotive and an electronics half.  Parts have
 *              heavy-tailed popularity, so a few parts (think chips) are
 *              needed by many customers.
 *   produces   Each tier-t firm makes 1-3 parts of catalogue t; every part
 *              gets at least one producer, popular or not, so the makers of
 *              popular parts become hubs.
 *   requires   Each firm of tier t < 5 needs several parts of catalogue t+1
 *              (fewer upstream) and sources each from 1-3 of its producers
 *              (45% / 35% / 20%), picked by heavy-tailed popularity with a
 *              preference for producers in the customer's own region.  So
 *              real single sourcing and real hub suppliers exist.
 *   orphans    A firm nobody buys from is attached as an extra source of a
 *              customer that needs one of its parts (or the customer is given
 *              that need), so that every enterprise has a link and the file
 *              loads without a single warning.
 *   money      Shares split each (customer, part) need among its suppliers
 *              in basis points that sum to exactly 10000.  Volumes flow from
 *              the OEMs upstream: a firm spends part of its output value on
 *              its parts, and a supplier's output value is what it sells in
 *              the network plus sales outside it.
 *   stress     While the enterprises are written, each gets a synthetic
 *              capacity, days of stock and (half of them) days to recover
 *              from its own random stream (generate_stress.c), unless the
 *              caller asks for none; both models.
 *
 * Determinism: every random choice comes from xoshiro256** streams seeded by
 * splitmix64 from the seed, nothing depends on hash order or addresses, and
 * all quantities are integers (heavy tails are drawn with integer square
 * roots), so no floating-point rounding, contraction or libm difference can
 * change a byte between machines.  The only reals printed are the shares,
 * k / 10000 with at most four significant digits.
 *
 * The dense preset is another, unlayered model (generate_dense.c): no
 * tiers, no parks, one part name, many mutual supplier-customer pairs.
 *
 * Files: this one holds the presets, the parameter checks and the order of
 * the phases; generate_firms.c the firms and parks, generate_parts.c the
 * catalogues and producers, generate_links.c the requirements, orphans,
 * shares and money, generate_write.c the names and records,
 * generate_json.c the streaming JSON writer both models use,
 * generate_stress.c the stress-test fields of both models,
 * generate_dense.c the dense model; generate_internal.h the model they
 * share, generate_random.h the random numbers.
 *
 * Cost: O(n + m log n) time for n firms and m links (each weighted pick is a
 * binary search over a cumulative array), O(n + m) memory; the JSON is
 * streamed record by record and never held whole.
 */
#include "generate_internal.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Presets and calibration                                             */
/* ------------------------------------------------------------------ */

/* The largest network cy_generate agrees to build: five times the xl
 * preset, beyond any real use of a synthetic benchmark (memory, time and
 * file size grow linearly; docs/performance.md gives them per million
 * firms). */
#define MAX_TOTAL_FIRMS 5000000L
/* One firm per supplier tier 1-4 plus one material firm. */
#define MIN_SUPPLIERS 5L

/*
 * The regional preset reproduces the published Sichuan + Chongqing counts
 * (002_da67f562357e057e.txt): 45 finished-automobile enterprises and more
 * than 1,600 suppliers, 1,645 firms in all.  The smart-terminal makers of the 5+6+800 cluster must live
 * somewhere in that total, so they are counted among the 1,600 "other
 * firms": supplier_count covers every firm that is not an automaker, i.e.
 * the terminal makers (kind "oem", tier 0) plus the suppliers and material
 * firms.  Hence the regional file has 45 automotive OEMs, 11 terminal OEMs
 * (56 enterprises of kind "oem") and 1,589 suppliers and material firms.
 * For other sizes the terminal makers keep the same proportion, 11 per
 * 1,600 other firms.
 */
#define TERMINAL_PER_OTHERS_NUM 11
#define TERMINAL_PER_OTHERS_DEN 1600

/* Share of the non-OEM firms in each tier 1..5, per mille: a widening
 * pyramid up to tier 3, then fewer specialised upstream and material firms. */
static const unsigned tier_permille[TIER_COUNT] = {0, 200, 280, 250, 170, 100};

/*
 * Regions in the order they are written.  The first two are the poles of
 * the economic circle; the province preset adds the other Sichuan cities,
 * the national preset the other provinces (whose firms supply the circle
 * from outside).  Weights are illustrative orders of magnitude of
 * manufacturing activity, not statistics.
 */
const gen_region_def cy_i_gen_regions[] = {
    {"chongqing", "Chongqing", {52, 350, 60}},
    {"chengdu", "Chengdu", {48, 300, 50}},
    {"mianyang", "Mianyang", {0, 50, 8}},
    {"deyang", "Deyang", {0, 45, 7}},
    {"yibin", "Yibin", {0, 40, 6}},
    {"luzhou", "Luzhou", {0, 25, 4}},
    {"nanchong", "Nanchong", {0, 20, 3}},
    {"suining", "Suining", {0, 20, 3}},
    {"neijiang", "Neijiang", {0, 15, 2}},
    {"zigong", "Zigong", {0, 15, 2}},
    {"leshan", "Leshan", {0, 15, 2}},
    {"meishan", "Meishan", {0, 15, 2}},
    {"ziyang", "Ziyang", {0, 15, 2}},
    {"dazhou", "Dazhou", {0, 15, 2}},
    {"guangan", "Guang'an", {0, 12, 2}},
    {"yaan", "Ya'an", {0, 8, 1}},
    {"guangyuan", "Guangyuan", {0, 8, 1}},
    {"panzhihua", "Panzhihua", {0, 10, 1}},
    {"bazhong", "Bazhong", {0, 5, 1}},
    {"guangdong", "Guangdong", {0, 0, 120}},
    {"jiangsu", "Jiangsu", {0, 0, 110}},
    {"zhejiang", "Zhejiang", {0, 0, 90}},
    {"shandong", "Shandong", {0, 0, 70}},
    {"shanghai", "Shanghai", {0, 0, 60}},
    {"hubei", "Hubei", {0, 0, 45}},
    {"anhui", "Anhui", {0, 0, 45}},
    {"henan", "Henan", {0, 0, 40}},
    {"fujian", "Fujian", {0, 0, 35}},
    {"beijing", "Beijing", {0, 0, 35}},
    {"hunan", "Hunan", {0, 0, 30}},
    {"tianjin", "Tianjin", {0, 0, 25}},
    {"hebei", "Hebei", {0, 0, 25}},
    {"liaoning", "Liaoning", {0, 0, 25}},
    {"shaanxi", "Shaanxi", {0, 0, 25}},
    {"jiangxi", "Jiangxi", {0, 0, 20}},
    {"guangxi", "Guangxi", {0, 0, 20}},
    {"jilin", "Jilin", {0, 0, 20}},
    {"guizhou", "Guizhou", {0, 0, 12}},
    {"yunnan", "Yunnan", {0, 0, 12}},
    {"shanxi", "Shanxi", {0, 0, 10}},
    {"heilongjiang", "Heilongjiang", {0, 0, 8}},
    {"inner-mongolia", "Inner Mongolia", {0, 0, 8}},
    {"gansu", "Gansu", {0, 0, 6}},
    {"xinjiang", "Xinjiang", {0, 0, 6}},
    {"hainan", "Hainan", {0, 0, 4}},
    {"qinghai", "Qinghai", {0, 0, 3}},
    {"ningxia", "Ningxia", {0, 0, 3}},
    {"tibet", "Tibet", {0, 0, 1}},
};

#define REGION_DEF_COUNT (sizeof cy_i_gen_regions / sizeof cy_i_gen_regions[0])

/* Presets, indexed by cy_preset.  Links come out at about 5.2 per firm
 * throughout (seed 1: 8,642, 105,395 and 1,044,997).  The larger presets
 * keep the regional proportion of finished-vehicle makers (~2-3% of firms;
 * read "automaker" broadly there: cars, trucks, buses, motorcycles,
 * special vehicles) and add general industrial parks, about one per 100
 * firms.  xl is national five times over, with the national weights of
 * the regions.  dense is the other model (generate_dense.c): 800 firms,
 * 40 of them of kind "oem", in the two poles, without tiers or parks. */
static const gen_preset presets[] = {
    {"regional", 45, 1600, 2, 0, 500, 0, 0},
    {"province", 400, 19600, 19, 200, 600, 1, 0},
    {"national", 2000, 198000, REGION_DEF_COUNT, 2000, 700, 2, 0},
    {"xl", 10000, 990000, REGION_DEF_COUNT, 10000, 700, 2, 0},
    {"dense", 40, 760, 2, 0, 0, 0, 1},
};

/*
 * Split the non-OEM firms over tiers 1..5 by tier_permille, with at least
 * one firm per tier (others >= MIN_SUPPLIERS guarantees room) and the
 * rounding remainder given to the largest tiers first, so the sizes always
 * add up to `others`.
 */
static void split_tiers(gen_model *m, size_t others)
{
    size_t sizes[TIER_COUNT] = {0};
    size_t total = 0;
    for (int t = 1; t < TIER_COUNT; t++) {
        sizes[t] = others * tier_permille[t] / 1000;
        if (sizes[t] == 0)
            sizes[t] = 1;
        total += sizes[t];
    }
    /* The bigger tiers absorb the remainder (or give up the surplus that
     * the one-firm minimum created for tiny counts). */
    static const int by_size[] = {2, 3, 1, 4, 5};
    for (int k = 0; total != others; k = (k + 1) % 5) {
        int t = by_size[k];
        if (total < others) {
            sizes[t]++;
            total++;
        } else if (sizes[t] > 1) {
            sizes[t]--;
            total--;
        }
    }
    m->tier_begin[0] = 0;
    m->tier_begin[1] = m->auto_oems + m->terminal_oems;
    for (int t = 1; t < TIER_COUNT; t++)
        m->tier_begin[t + 1] = m->tier_begin[t] + sizes[t];
    m->firm_count = m->tier_begin[TIER_COUNT];
}

/* ------------------------------------------------------------------ */
/* Entry point                                                         */
/* ------------------------------------------------------------------ */

static void model_free(gen_model *m)
{
    cy_free(m->firms);
    cy_free(m->parks);
    cy_free(m->region_park_begin);
    cy_free(m->region_parks);
    cy_free(m->region_park_cum);
    cy_free(m->part_tier);
    cy_free(m->part_cum);
    cy_free(m->producer_begin);
    cy_free(m->producer_firm);
    cy_free(m->producer_cum);
    cy_free(m->reqs);
    cy_free(m->firm_ids);
    cy_free(m->part_names);
}

/*
 * Resolve and check the counts of `params` into m: the preset's defaults
 * where a count is <= 0, then the limits (an automaker count of at most
 * MAX_TOTAL_FIRMS, a supplier count of at least MIN_SUPPLIERS, a total of
 * at most MAX_TOTAL_FIRMS).  Returns CY_EUSAGE with a message naming the
 * offending value.
 */
static cy_status resolve_params(const cy_generate_params *params, gen_model *m,
                                cy_error *err)
{
    if ((int)params->preset < CY_PRESET_REGIONAL ||
        (int)params->preset > CY_PRESET_DENSE) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "unknown preset %d: expected regional, province, national, "
                         "xl or dense", (int)params->preset);
        return CY_EUSAGE;
    }
    m->preset = &presets[params->preset];
    m->seed = params->seed;
    m->stress_fields = !params->omit_stress_fields;
    m->region_count = m->preset->region_count;

    long oems = params->oem_count > 0 ? params->oem_count : m->preset->oems;
    long others = params->supplier_count > 0 ? params->supplier_count : m->preset->others;
    if (oems > MAX_TOTAL_FIRMS) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "OEM count %ld is too large: at most %ld firms in all",
                         oems, MAX_TOTAL_FIRMS);
        return CY_EUSAGE;
    }
    if (others < MIN_SUPPLIERS || others > MAX_TOTAL_FIRMS) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "supplier count %ld is out of range: between %ld (one firm "
                         "per supplier tier 1-4 and one material firm) and %ld",
                         others, MIN_SUPPLIERS, MAX_TOTAL_FIRMS);
        return CY_EUSAGE;
    }
    if (oems + others > MAX_TOTAL_FIRMS) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "%ld OEMs and %ld suppliers make %ld firms: at most %ld",
                         oems, others, oems + others, MAX_TOTAL_FIRMS);
        return CY_EUSAGE;
    }

    m->auto_oems = (size_t)oems;
    if (m->preset->dense) {
        m->firm_count = (size_t)(oems + others);
        return CY_OK;
    }
    m->terminal_oems = ((size_t)others * TERMINAL_PER_OTHERS_NUM +
                        TERMINAL_PER_OTHERS_DEN / 2) / TERMINAL_PER_OTHERS_DEN;
    /* Keep the five supplier tiers populated for tiny custom counts. */
    if ((size_t)others - m->terminal_oems < (size_t)MIN_SUPPLIERS)
        m->terminal_oems = (size_t)others - (size_t)MIN_SUPPLIERS;
    split_tiers(m, (size_t)others - m->terminal_oems);

    m->id_width[0] = max_int(3, digits_of(m->auto_oems));
    m->id_width[TIER_COUNT] = max_int(4, digits_of(m->terminal_oems));
    for (int t = 1; t < TIER_COUNT; t++)
        m->id_width[t] = max_int(4, digits_of(m->tier_begin[t + 1] - m->tier_begin[t]));
    return CY_OK;
}

/* The phases of the layered model, in order (see the top of this file),
 * each reported when done at its share of the building step: done_at is
 * per mille of GEN_SHARE_BUILD, the phases' cumulative times on the
 * national preset (the requirements are half of it). */
static cy_status build_layered(gen_model *m, const gen_writer *w)
{
    static const int done_at[] = {100, 122, 161, 659, 715, 768, 871, 1000};
    cy_status status = CY_ENOMEM;
    int k = 0;
#define GEN_PHASE(call)                                                              \
    do {                                                                             \
        if ((status = (call)) != CY_OK)                                              \
            return status;                                                           \
        cy_i_gen_progress(w, "building the network",                                 \
                          GEN_SHARE_BUILD * done_at[k++] / 1000.0);                  \
    } while (0)
    m->firms = cy_calloc(m->firm_count, sizeof *m->firms);
    if (m->firms == NULL)
        return status;
    cy_i_gen_make_firms(m);
    GEN_PHASE(cy_i_gen_make_parks(m));
    GEN_PHASE(cy_i_gen_make_catalogues(m));
    GEN_PHASE(cy_i_gen_make_producers(m));
    GEN_PHASE(cy_i_gen_make_requirements(m));
    GEN_PHASE(cy_i_gen_attach_orphans(m));
    GEN_PHASE(cy_i_gen_make_names(m));
    cy_i_gen_assign_shares(m);
    GEN_PHASE(CY_OK);
    cy_i_gen_assign_money(m);
    GEN_PHASE(CY_OK);
#undef GEN_PHASE
    return CY_OK;
}

void cy_i_gen_progress(const gen_writer *w, const char *what, double percent)
{
    if (w->progress)
        w->progress(what, percent, w->progress_data);
}

/*
 * cy_generate: build the network for `params` and write it to `out` as
 * chengyu/1 (see the top of this file for the model).  Same params, same
 * bytes, on any machine.  CY_EUSAGE for NULL arguments, an unknown preset
 * or counts out of range (nothing is written); CY_ENOMEM when memory runs
 * out; CY_EIO when a write, or the final flush, fails (the stream then
 * holds a truncated document, which is why callers write to a temporary
 * file).  Every failure adds one error to err (which may be NULL).
 */
cy_status cy_generate(const cy_generate_params *params, FILE *out, cy_error *err)
{
    return cy_generate_run(params, NULL, NULL, out, err);
}

size_t cy_generate_firm_count(const cy_generate_params *params)
{
    gen_model m;
    memset(&m, 0, sizeof m);
    return params && resolve_params(params, &m, NULL) == CY_OK ? m.firm_count : 0;
}

cy_status cy_generate_run(const cy_generate_params *params, cy_progress_fn progress,
                          void *progress_data, FILE *out, cy_error *err)
{
    gen_model model;
    gen_model *m = &model;
    gen_writer writer = {out, NULL, 0, 0, 0, progress, progress_data};
    cy_status status;

    memset(m, 0, sizeof *m);
    if (params == NULL || out == NULL) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "cy_generate needs parameters and an output stream");
        status = CY_EUSAGE;
        goto cleanup;
    }
    status = resolve_params(params, m, err);
    if (status != CY_OK)
        goto cleanup;
    cy_library_init();
    cy_i_gen_progress(&writer, "building the network", 0.0);

    writer.buf = cy_malloc(WRITER_CAPACITY);
    if (writer.buf == NULL)
        status = CY_ENOMEM;
    else if (m->preset->dense)
        status = cy_i_gen_dense(m, &writer);
    else if ((status = build_layered(m, &writer)) == CY_OK)
        status = cy_i_gen_write_network(m, &writer);
    /* A failed allocation inside Jansson's dump also ends the dump with an
     * error; only a failed fwrite/fflush sets writer.failed. */
    if (status == CY_EIO && !writer.failed && writer.saved_errno == 0)
        status = CY_ENOMEM;
    if (status == CY_OK)
        cy_i_gen_progress(&writer, "writing links", 100.0);

cleanup:
    /* Usage errors were reported where they were found. */
    if (status == CY_ENOMEM && err != NULL)
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "out of memory while generating the %s network", m->preset->name);
    else if (status == CY_EIO && err != NULL)
        cy_error_add(err, CY_SEV_ERROR, NULL, "cannot write the generated network: %s",
                     writer.saved_errno != 0 ? strerror(writer.saved_errno)
                                             : "write error");
    cy_free(writer.buf);
    model_free(m);
    return status;
}
