/*
 * generate.c - the synthetic network behind `chengyu generate`.
 *
 * The generator builds a whole illustrative supply network in memory and
 * then streams it out as chengyu/1, one record per line.  The model, in the
 * order the phases run:
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
 *
 * Determinism: every random choice comes from xoshiro256** streams seeded by
 * splitmix64 from the seed, nothing depends on hash order or addresses, and
 * all quantities are integers (heavy tails are drawn with integer square
 * roots), so no floating-point rounding, contraction or libm difference can
 * change a byte between machines.  The only reals printed are the shares,
 * k / 10000 with at most four significant digits.
 *
 * Cost: O(n + m log n) time for n firms and m links (each weighted pick is a
 * binary search over a cumulative array), O(n + m) memory; the JSON is
 * streamed record by record and never held whole.
 */
#include "chengyu.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Calibration                                                         */
/* ------------------------------------------------------------------ */

#define MATERIAL_TIER 5
#define TIER_COUNT 6

#define SECTOR_AUTO 1u
#define SECTOR_ELEC 2u
#define SECTOR_BOTH (SECTOR_AUTO | SECTOR_ELEC)

/* Cluster flags for the two named Chongqing clusters, whose membership is
 * chosen explicitly; the other clusters follow from region and sector. */
#define FLAG_CQ_AUTO 1u
#define FLAG_CQ_TERMINAL 2u

/* The largest network cy_generate agrees to build: about 1.5 GB of memory,
 * a 4.5 GB file and a minute and a half, beyond any real use of a synthetic
 * benchmark (memory and time grow linearly: 300 MB and 10 s per million
 * firms). */
#define MAX_TOTAL_FIRMS 5000000L
/* One firm per supplier tier 1-4 plus one material firm. */
#define MIN_SUPPLIERS 5L

/* Published structure of the two Chongqing clusters
 * (000_8fa187d498896f96.txt: "1+10+1000" automobile:
 * 1 leading automaker, 10 key automakers, about 1,000 parts suppliers;
 * "5+6+800" smart terminals: 5 brands, 6 ODM makers, about 800 parts
 * suppliers). */
#define CQ_AUTO_LEADERS 11
#define CQ_AUTO_SUPPLIERS 1000
#define CQ_TERMINAL_BRANDS 5
#define CQ_TERMINAL_ODMS 6
#define CQ_TERMINAL_SUPPLIERS 800

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

/* Parts required by a firm of tier 0..4, inclusive range.  Finished
 * products need the most; calibrated so that the regional preset has about
 * 8,700 links (5.3 per firm), the figure the presets are sized on.  The
 * orphan pass adds about 5% on top of what these ranges give. */
static const unsigned requires_min[MATERIAL_TIER] = {4, 3, 3, 2, 2};
static const unsigned requires_max[MATERIAL_TIER] = {8, 5, 4, 4, 3};

/* Sector mix of non-OEM firms, per mille: 44% automotive only, 27% both,
 * 29% electronics only.  71% serve automotive and 56% electronics, enough
 * for the 1,000 and 800 cluster suppliers among the regional preset's
 * ~1,430 parts suppliers. */
#define SECTOR_AUTO_ONLY_PERMILLE 440
#define SECTOR_BOTH_PERMILLE 270

/* How often a customer looks for a part outside its own sector (a car needs
 * chips, a phone needs a battery), per mille. */
#define CROSS_SECTOR_PERMILLE 150

/* Share of enterprises located in a park, per mille ("most, not all"). */
#define PARK_PERMILLE 850

/* Catalogue size: 2 parts for every 5 firms of the tier that serve the
 * sector.  With 1.85 parts made per firm, a part has 3-5 producers on
 * average, so that 1-3 suppliers per need can usually be found. */
#define PARTS_PER_PRODUCER_NUM 2
#define PARTS_PER_PRODUCER_DEN 5

/* Attempts before a rejection sampler falls back to a deterministic scan. */
#define SAMPLE_ATTEMPTS 8

typedef struct {
    const char *id;
    const char *name;
    /* Relative weight of the region in the regional, province and national
     * presets; 0 = not part of that preset. */
    unsigned weight[3];
} gen_region_def;

/*
 * Regions in the order they are written.  The first two are the poles of
 * the economic circle; the province preset adds the other Sichuan cities,
 * the national preset the other provinces (whose firms supply the circle
 * from outside).  Weights are illustrative orders of magnitude of
 * manufacturing activity, not statistics.
 */
static const gen_region_def region_defs[] = {
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

#define REGION_DEF_COUNT (sizeof region_defs / sizeof region_defs[0])
#define REGION_CHONGQING 0
#define REGION_CHENGDU 1

/* The first 20 Sichuan-Chongqing industrial cooperation demonstration parks
 * (003_1df0ad61f894f5af.txt), split evenly between the two poles in every
 * preset. */
#define DEMO_PARKS 20

typedef struct {
    const char *name;
    long oems;           /* automakers */
    long others;         /* every other firm, terminal makers included */
    size_t region_count; /* a prefix of region_defs */
    size_t general_parks; /* parks beyond the 20 demonstration parks */
    unsigned local_permille; /* how often a customer first looks nearby */
} gen_preset;

/* Presets, indexed by cy_preset.  Links come out at about 5.2 per firm
 * throughout (seed 1: 8,642, 105,395 and 1,044,997).  The larger presets
 * keep the regional proportion of finished-vehicle makers (~2-3% of firms;
 * read "automaker" broadly there: cars, trucks, buses, motorcycles,
 * special vehicles) and add general industrial parks, about one per 100
 * firms. */
static const gen_preset presets[] = {
    {"regional", 45, 1600, 2, 0, 500},
    {"province", 400, 19600, 19, 200, 600},
    {"national", 2000, 198000, REGION_DEF_COUNT, 2000, 700},
};

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s[4];
} gen_rng;

/* Independent streams, one per phase, so that changing how one phase draws
 * does not reshuffle the others. */
enum {
    STREAM_FIRMS = 1,
    STREAM_PARKS,
    STREAM_PARTS,
    STREAM_PRODUCES,
    STREAM_REQUIRES,
    STREAM_ORPHANS,
    STREAM_SHARES,
    STREAM_MONEY
};

/* splitmix64 step: advances *state and returns a well-mixed 64-bit value.
 * Used only to seed xoshiro, as its authors recommend. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Seed stream `stream` of the generator for `seed`.  Distinct (seed,
 * stream) pairs give unrelated sequences.  splitmix64's output is a
 * bijection of its counter, so the four words are distinct and never all
 * zero, the one state xoshiro must not start from. */
static void rng_seed(gen_rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t state = seed ^ (stream * UINT64_C(0xD1B54A32D192ED03));
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&state);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: the next 64 random bits. */
static uint64_t rng_next(gen_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* A uniform integer in [0, bound), bound > 0, without modulo bias: values
 * below 2^64 mod bound are rejected (rarely more than one draw). */
static uint64_t rng_below(gen_rng *rng, uint64_t bound)
{
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = rng_next(rng);
        if (x >= threshold)
            return x % bound;
    }
}

/* A uniform integer in [lo, hi], lo <= hi. */
static unsigned rng_range(gen_rng *rng, unsigned lo, unsigned hi)
{
    return lo + (unsigned)rng_below(rng, (uint64_t)(hi - lo) + 1);
}

/* 1 with probability permille / 1000. */
static int rng_chance(gen_rng *rng, unsigned permille)
{
    return rng_below(rng, 1000) < permille;
}

/* floor(sqrt(x)) by the bit-by-bit method: exact and identical everywhere. */
static uint64_t isqrt64(uint64_t x)
{
    uint64_t root = 0;
    uint64_t bit = UINT64_C(1) << 62;
    while (bit > x)
        bit >>= 2;
    while (bit != 0) {
        if (x >= root + bit) {
            x -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

/* scale * 2^shift / divisor, clamped to cap, without overflowing 64 bits
 * for shift <= 24 and divisor >= 1. */
static uint64_t scaled_quotient(uint64_t scale, unsigned shift,
                                uint64_t divisor, uint64_t cap)
{
    uint64_t whole = scale / divisor;
    if (whole > (cap >> shift))
        return cap;
    uint64_t value = (whole << shift) + ((scale % divisor) << shift) / divisor;
    return value < cap ? value : cap;
}

/*
 * A Pareto draw with tail exponent 2: scale / sqrt(U) for U uniform in
 * (0, 1], i.e. scale * 2^16 / isqrt(r) with r uniform in [1, 2^32], clamped
 * to cap.  The result lies in [scale, cap]; P(X > x) = (scale / x)^2.
 */
static uint64_t draw_pareto2(gen_rng *rng, uint64_t scale, uint64_t cap)
{
    uint64_t r = (rng_next(rng) >> 32) + 1;
    return scaled_quotient(scale, 16, isqrt64(r), cap);
}

/*
 * A Pareto draw with tail exponent 4/3 (heavier: finite mean, infinite
 * variance): scale / U^(3/4), computed as scale * 2^24 / isqrt(r *
 * isqrt(r)) with r uniform in [1, 2^32], clamped to cap.
 */
static uint64_t draw_pareto43(gen_rng *rng, uint64_t scale, uint64_t cap)
{
    uint64_t r = (rng_next(rng) >> 32) + 1;
    return scaled_quotient(scale, 24, isqrt64(r * isqrt64(r)), cap);
}

/*
 * Weighted pick from a cumulative array.  cum[i] is the inclusive running
 * total of the weights of a segment that starts at `segment_start`; the pick
 * is restricted to [lo, hi) inside it (segment_start <= lo < hi), with
 * probability proportional to each element's weight.  Weights must be >= 1.
 * O(log(hi - lo)).
 */
static size_t pick_weighted(gen_rng *rng, const uint64_t *cum,
                            size_t segment_start, size_t lo, size_t hi)
{
    uint64_t base = lo > segment_start ? cum[lo - 1] : 0;
    uint64_t target = base + rng_below(rng, cum[hi - 1] - base);
    while (lo + 1 < hi) {
        size_t mid = lo + (hi - lo - 1) / 2;
        if (cum[mid] > target)
            hi = mid + 1;
        else
            lo = mid + 1;
    }
    return lo;
}

/* ------------------------------------------------------------------ */
/* The model                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
    int64_t output_value;
    int64_t sales;        /* volume sold to customers inside the network */
    uint64_t popularity;  /* weight when customers pick among producers */
    int32_t parts[3];
    int32_t park;         /* -1: outside every park */
    int32_t req_first;    /* first requirement, when req_count > 0 */
    int32_t extra_req;    /* requirements added by the orphan pass, -1 */
    uint32_t out_links;
    uint16_t region;
    uint8_t req_count;
    uint8_t tier;
    uint8_t sectors;
    uint8_t part_count;
    uint8_t flags;
} gen_firm;

/* A need has 1-3 suppliers by design; a fourth only when attach_anywhere
 * has no other way to give a firm a customer (tiny custom networks). */
#define MAX_SUPPLIERS 4

/* One (customer, part) need and the suppliers that cover it. */
typedef struct {
    int64_t demand;       /* yuan per year the customer spends on the part */
    int32_t customer;
    int32_t part;
    int32_t supplier[MAX_SUPPLIERS];
    int32_t next_extra;   /* chain of the customer's added requirements */
    uint32_t demand_weight; /* the requirement's slice of the budget */
    uint16_t share_bp[MAX_SUPPLIERS]; /* basis points, summing to 10000 */
    uint8_t supplier_count;
} gen_requirement;

typedef struct {
    uint16_t region;
    uint8_t demonstration;
    uint64_t weight;
} gen_park;

typedef struct {
    const gen_preset *preset;
    cy_preset preset_index;
    uint64_t seed;
    size_t auto_oems;     /* firms [0, auto_oems) */
    size_t terminal_oems; /* firms [auto_oems, tier_begin[1]) */
    size_t firm_count;
    size_t tier_begin[TIER_COUNT + 1];
    gen_firm *firms;

    size_t region_count;
    size_t park_count;
    gen_park *parks;
    size_t *region_park_begin; /* region_count + 1: parks sorted by region */
    size_t *region_parks;
    uint64_t *region_park_cum;

    /* Parts of tier t, sector s (0 auto, 1 electronics) are
     * [catalogue_begin[t][s], catalogue_begin[t][s] + catalogue_size[t][s]);
     * the tier's parts are numbered from tier_part_begin[t] for names. */
    size_t part_count;
    size_t catalogue_begin[TIER_COUNT][2];
    size_t catalogue_size[TIER_COUNT][2];
    size_t tier_part_begin[TIER_COUNT + 1];
    uint8_t *part_tier;
    uint64_t *part_cum; /* cumulative within each sub-catalogue */

    /* Producers of part p: producer_firm[producer_begin[p] ..
     * producer_begin[p+1]), sorted by (region, firm). */
    size_t *producer_begin;
    int32_t *producer_firm;
    uint64_t *producer_cum;

    gen_requirement *reqs;
    size_t req_count;
    size_t req_capacity;
    size_t link_count;

    int id_width[TIER_COUNT + 1]; /* digits of the ids per tier (0 = OEMs) */
    int part_width[TIER_COUNT];
    char *firm_ids;   /* NAME_STRIDE bytes per firm */
    char *part_names; /* NAME_STRIDE bytes per part */
} gen_model;

static int digits_of(size_t n)
{
    int digits = 1;
    while (n >= 10) {
        n /= 10;
        digits++;
    }
    return digits;
}

static int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* Sector index (0 automotive, 1 electronics) of a sector bit. */
static int sector_index(unsigned sector)
{
    return sector == SECTOR_ELEC ? 1 : 0;
}

static unsigned sector_of_index(int index)
{
    return index == 1 ? SECTOR_ELEC : SECTOR_AUTO;
}

/* ------------------------------------------------------------------ */
/* Phase 1: firms                                                      */
/* ------------------------------------------------------------------ */

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

/* Index of a region drawn by the preset's weights.  O(regions). */
static uint16_t draw_region(gen_model *m, gen_rng *rng)
{
    unsigned column = (unsigned)m->preset_index;
    uint64_t total = 0;
    for (size_t r = 0; r < m->region_count; r++)
        total += region_defs[r].weight[column];
    uint64_t target = rng_below(rng, total);
    for (size_t r = 0; r < m->region_count; r++) {
        uint64_t weight = region_defs[r].weight[column];
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
static void make_firms(gen_model *m)
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
        f->region = in_cq_core ? REGION_CHONGQING : draw_region(m, &rng);
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
static cy_status make_parks(gen_model *m)
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
            park->region = draw_region(m, &rng);
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

/* ------------------------------------------------------------------ */
/* Phase 3: part catalogues and producers                              */
/* ------------------------------------------------------------------ */

/*
 * Size each tier's automotive and electronics catalogues from the number of
 * firms that can make them, and give each part a heavy-tailed popularity
 * (tail exponent 4/3: a few parts, think chips, are in many bills).
 * A sub-catalogue is empty only when no firm of that tier has the sector.
 */
static cy_status make_catalogues(gen_model *m)
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

/* 1 when firm f already makes part p. */
static int firm_makes(const gen_firm *f, int32_t part)
{
    for (unsigned k = 0; k < f->part_count; k++)
        if (f->parts[k] == part)
            return 1;
    return 0;
}

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
static cy_status make_producers(gen_model *m)
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

/* ------------------------------------------------------------------ */
/* Phase 4: requirements and sourcing                                  */
/* ------------------------------------------------------------------ */

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

/*
 * The requirements of a customer, in bill-of-materials order: the initial
 * ones (contiguous from req_first) and then the chain of the ones the orphan
 * pass added.  first_req gives -1 for a firm without requirements,
 * next_req -1 after the last one.
 */
static int32_t first_req(const gen_firm *c)
{
    return c->req_count > 0 ? c->req_first : c->extra_req;
}

static int32_t next_req(const gen_model *m, const gen_firm *c, int32_t r)
{
    int32_t initial_end = c->req_first + (int32_t)c->req_count;
    if (c->req_count > 0 && r >= c->req_first && r < initial_end)
        return r + 1 < initial_end ? r + 1 : c->extra_req;
    return m->reqs[r].next_extra;
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
static cy_status make_requirements(gen_model *m)
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
static cy_status attach_orphans(gen_model *m)
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
static void assign_shares(gen_model *m)
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

/* amount * weight / total for amount < 2^62, weight <= total < 2^31,
 * without overflow. */
static int64_t proportion(int64_t amount, uint64_t weight, uint64_t total)
{
    uint64_t a = (uint64_t)amount;
    return (int64_t)((a / total) * weight + (a % total) * weight / total);
}

/* The volume of the link from supplier k of req: its share of the need,
 * at least 1 yuan.  Computed again when writing rather than stored. */
static int64_t link_volume(const gen_requirement *req, unsigned k)
{
    int64_t volume = proportion(req->demand, req->share_bp[k], 10000);
    return volume < 1 ? 1 : volume;
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
static void assign_money(gen_model *m)
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

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

/* Every firm id and part name fits in this many bytes with its NUL: the
 * longest is "terminal-" or "t1-part-" followed by at most 7 digits. */
#define NAME_STRIDE 24

/*
 * Format every firm id and part name once into fixed-stride tables: each
 * is written many times (a hub supplier's id once per link it has), and
 * formatting them per link dominated the run time.  Ids: "oem-007",
 * "brand-1".."brand-5", "odm-1".."odm-6", "terminal-0012", "t2-sup-0042",
 * "mat-0003"; parts: "t2-part-0137".  Numbers are 1-based and zero-padded
 * to a width that depends only on the counts, so ids sort naturally.
 */
static cy_status make_names(gen_model *m)
{
    m->firm_ids = cy_malloc(m->firm_count * NAME_STRIDE);
    m->part_names = cy_malloc((m->part_count + 1) * NAME_STRIDE);
    if (m->firm_ids == NULL || m->part_names == NULL)
        return CY_ENOMEM;

    for (size_t i = 0; i < m->firm_count; i++) {
        const gen_firm *f = &m->firms[i];
        char *buf = m->firm_ids + i * NAME_STRIDE;
        size_t rank = i - m->tier_begin[f->tier];
        if (i < m->auto_oems)
            snprintf(buf, NAME_STRIDE, "oem-%0*zu", m->id_width[0], i + 1);
        else if (f->tier == 0 && (rank -= m->auto_oems) < CQ_TERMINAL_BRANDS)
            snprintf(buf, NAME_STRIDE, "brand-%zu", rank + 1);
        else if (f->tier == 0 && rank < CQ_TERMINAL_BRANDS + CQ_TERMINAL_ODMS)
            snprintf(buf, NAME_STRIDE, "odm-%zu", rank - CQ_TERMINAL_BRANDS + 1);
        else if (f->tier == 0)
            snprintf(buf, NAME_STRIDE, "terminal-%0*zu", m->id_width[TIER_COUNT], rank + 1);
        else if (f->tier == MATERIAL_TIER)
            snprintf(buf, NAME_STRIDE, "mat-%0*zu", m->id_width[f->tier], rank + 1);
        else
            snprintf(buf, NAME_STRIDE, "t%u-sup-%0*zu", (unsigned)f->tier,
                     m->id_width[f->tier], rank + 1);
    }
    for (size_t p = 0; p < m->part_count; p++) {
        int t = m->part_tier[p];
        snprintf(m->part_names + p * NAME_STRIDE, NAME_STRIDE, "t%d-part-%0*zu", t,
                 m->part_width[t], p - m->tier_part_begin[t] + 1);
    }
    return CY_OK;
}

static const char *firm_id(const gen_model *m, size_t i)
{
    return m->firm_ids + i * NAME_STRIDE;
}

static const char *part_name(const gen_model *m, int32_t part)
{
    return m->part_names + (size_t)part * NAME_STRIDE;
}

/* Park p's id: "demo-park-01".."demo-park-20", then "park-0001"... */
static void park_id(const gen_model *m, size_t p, char *buf, size_t size)
{
    int width = max_int(4, digits_of(m->park_count));
    if (width > 12) /* never: parks are few; bounds snprintf for the compiler */
        width = 12;
    if (p < DEMO_PARKS)
        snprintf(buf, size, "demo-park-%02zu", p + 1);
    else
        snprintf(buf, size, "park-%0*zu", width, p - DEMO_PARKS + 1);
}

/* Cluster ids: the four named ones, then "<region>-auto" and
 * "<region>-electronics" for every region beyond the two poles. */
static void cluster_id(size_t region, int electronics, char *buf, size_t size)
{
    if (region == REGION_CHONGQING)
        snprintf(buf, size, "%s", electronics ? "cq-smart-terminal" : "cq-auto");
    else if (region == REGION_CHENGDU)
        snprintf(buf, size, "%s", electronics ? "cd-electronics" : "cd-auto");
    else
        snprintf(buf, size, "%s-%s", region_defs[region].id,
                 electronics ? "electronics" : "auto");
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

/*
 * A write buffer in front of the caller's stream.  Jansson hands its dump
 * callback one token at a time; sending each straight to fwrite cost more
 * than everything else together, so tokens collect here and leave in 64 KiB
 * blocks.  The first failed fwrite is remembered with its errno and every
 * later write becomes a no-op.
 */
#define WRITER_CAPACITY ((size_t)1 << 16)

typedef struct {
    FILE *out;
    char *buf;
    size_t used;
    int failed;
    int saved_errno; /* errno of the failed write, 0 when unknown */
} gen_writer;

static int writer_flush(gen_writer *w)
{
    if (!w->failed && w->used > 0) {
        errno = 0;
        if (fwrite(w->buf, 1, w->used, w->out) != w->used) {
            w->failed = 1;
            w->saved_errno = errno;
        }
    }
    w->used = 0;
    return w->failed ? -1 : 0;
}

/* Append size bytes; also Jansson's dump callback (returns -1 on error). */
static int writer_write(const char *data, size_t size, void *context)
{
    gen_writer *w = context;
    if (w->failed)
        return -1;
    if (w->used + size > WRITER_CAPACITY && writer_flush(w) != 0)
        return -1;
    if (size > WRITER_CAPACITY) {
        errno = 0;
        if (fwrite(data, 1, size, w->out) != size) {
            w->failed = 1;
            w->saved_errno = errno;
            return -1;
        }
        return 0;
    }
    memcpy(w->buf + w->used, data, size);
    w->used += size;
    return 0;
}

static cy_status writer_puts(gen_writer *w, const char *text)
{
    return writer_write(text, strlen(text), w) == 0 ? CY_OK : CY_EIO;
}

/* Compact, key order as inserted, shares k / 10000 printed exactly (they
 * have at most four significant digits). */
#define DUMP_FLAGS \
    (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(4))

/* Serialise json (any value) to the writer.  CY_EIO when writing fails. */
static cy_status writer_dump(gen_writer *w, const json_t *json, size_t extra_flags)
{
    return json_dump_callback(json, writer_write, w, DUMP_FLAGS | extra_flags) == 0
               ? CY_OK
               : CY_EIO;
}

/* Collects the first failure of a record under construction, so that a
 * record is built with straight-line code and checked once. */
typedef struct {
    json_t *object;
    int failed;
} gen_record;

static void record_begin(gen_record *rec)
{
    rec->object = json_object();
    rec->failed = rec->object == NULL;
}

/* Adds key: value, stealing value (which may be NULL after a failed
 * allocation: json_object_set_new then fails and the record is marked). */
static void record_put(gen_record *rec, const char *key, json_t *value)
{
    if (rec->failed) {
        json_decref(value);
        return;
    }
    /* set_new releases value itself when it fails. */
    if (json_object_set_new_nocheck(rec->object, key, value) != 0)
        rec->failed = 1;
}

static void record_put_string(gen_record *rec, const char *key, const char *value)
{
    record_put(rec, key, rec->failed ? NULL : json_string_nocheck(value));
}

static void record_put_integer(gen_record *rec, const char *key, int64_t value)
{
    record_put(rec, key, rec->failed ? NULL : json_integer((json_int_t)value));
}

/* "\n" before the first element of an array, ",\n" before the others. */
static cy_status write_separator(gen_writer *w, int *first)
{
    cy_status status = writer_puts(w, *first ? "\n" : ",\n");
    *first = 0;
    return status;
}

/*
 * Write record `rec` as the next element of an array and release it.
 * CY_ENOMEM when building it failed, CY_EIO when writing did.
 */
static cy_status record_emit(gen_record *rec, gen_writer *w, int *first)
{
    cy_status status = CY_ENOMEM;
    if (!rec->failed) {
        status = write_separator(w, first);
        if (status == CY_OK)
            status = writer_dump(w, rec->object, 0);
    }
    json_decref(rec->object);
    rec->object = NULL;
    return status;
}

/* ",\n\"key\":[": every array follows the header's members. */
static cy_status open_array(gen_writer *w, const char *key)
{
    cy_status status = writer_puts(w, ",\n\"");
    if (status == CY_OK)
        status = writer_puts(w, key);
    if (status == CY_OK)
        status = writer_puts(w, "\":[");
    return status;
}

static cy_status close_array(gen_writer *w, int empty)
{
    return writer_puts(w, empty ? "]" : "\n]");
}

/*
 * The opening of the document: "{" and the members format, name,
 * description and meta, dumped from one object with JSON_EMBED so that its
 * braces are left off and the arrays can follow as further members.
 */
static cy_status write_header(const gen_model *m, gen_writer *w)
{
    char name[160], description[1024], seed[32];
    snprintf(seed, sizeof seed, "%" PRIu64, m->seed);
    snprintf(name, sizeof name,
             "Synthetic Chengdu-Chongqing supply network (%s preset, seed %s)",
             m->preset->name, seed);
    snprintf(description, sizeof description,
             "Synthetic network made by chengyu generate (preset %s, seed %s). "
             "Every enterprise, park, cluster and link is illustrative: no record "
             "describes a real firm. Sizes follow published counts for Sichuan and "
             "Chongqing (45 automakers and about 1,600 suppliers, 20 cooperation "
             "demonstration parks, the Chongqing 1+10+1000 automobile and 5+6+800 "
             "smart-terminal clusters); tiers: 0 finished products, 1-4 parts, "
             "5 materials.",
             m->preset->name, seed);

    gen_record rec, meta;
    record_begin(&meta);
    record_put_string(&meta, "generator", "chengyu generate");
    record_put_string(&meta, "preset", m->preset->name);
    /* A string: a uint64 seed may not fit Jansson's signed integers. */
    record_put_string(&meta, "seed", seed);
    record_put_integer(&meta, "automotive_oems", (int64_t)m->auto_oems);
    record_put_integer(&meta, "terminal_oems", (int64_t)m->terminal_oems);
    record_put_integer(&meta, "suppliers",
                       (int64_t)(m->tier_begin[MATERIAL_TIER] - m->tier_begin[1]));
    record_put_integer(&meta, "material_firms",
                       (int64_t)(m->firm_count - m->tier_begin[MATERIAL_TIER]));
    record_put_integer(&meta, "links", (int64_t)m->link_count);

    record_begin(&rec);
    record_put_string(&rec, "format", CY_FORMAT);
    record_put_string(&rec, "name", name);
    record_put_string(&rec, "description", description);
    if (meta.failed) {
        json_decref(meta.object);
        rec.failed = 1;
    } else {
        record_put(&rec, "meta", meta.object);
    }

    cy_status status = CY_ENOMEM;
    if (!rec.failed) {
        status = writer_puts(w, "{");
        if (status == CY_OK)
            status = writer_dump(w, rec.object, JSON_EMBED);
    }
    json_decref(rec.object);
    return status;
}

/* The regions, clusters and parks arrays. */
static cy_status write_groups(const gen_model *m, gen_writer *w)
{
    cy_status status;
    int first = 1;
    gen_record rec;
    char id[64], name[160];

    if ((status = open_array(w, "regions")) != CY_OK)
        return status;
    for (size_t r = 0; r < m->region_count; r++) {
        record_begin(&rec);
        record_put_string(&rec, "id", region_defs[r].id);
        record_put_string(&rec, "name", region_defs[r].name);
        record_put_string(&rec, "source", "illustrative");
        if ((status = record_emit(&rec, w, &first)) != CY_OK)
            return status;
    }
    if ((status = close_array(w, first)) != CY_OK)
        return status;

    first = 1;
    if ((status = open_array(w, "clusters")) != CY_OK)
        return status;
    for (size_t r = 0; r < m->region_count; r++) {
        for (int electronics = 0; electronics < 2; electronics++) {
            cluster_id(r, electronics, id, sizeof id);
            if (r == REGION_CHONGQING)
                snprintf(name, sizeof name, "%s",
                         electronics ? "Chongqing smart-terminal cluster (5+6+800)"
                                     : "Chongqing automobile cluster (1+10+1000)");
            else if (r == REGION_CHENGDU)
                snprintf(name, sizeof name, "%s",
                         electronics ? "Chengdu electronic information cluster"
                                     : "Chengdu automotive cluster");
            else
                snprintf(name, sizeof name, "%s %s cluster", region_defs[r].name,
                         electronics ? "electronics" : "automotive");
            record_begin(&rec);
            record_put_string(&rec, "id", id);
            record_put_string(&rec, "name", name);
            record_put_string(&rec, "sector", electronics ? "electronics" : "automotive");
            record_put_string(&rec, "region", region_defs[r].id);
            record_put_string(&rec, "source", "illustrative");
            if ((status = record_emit(&rec, w, &first)) != CY_OK)
                return status;
        }
    }
    if ((status = close_array(w, first)) != CY_OK)
        return status;

    first = 1;
    if ((status = open_array(w, "parks")) != CY_OK)
        return status;
    for (size_t p = 0; p < m->park_count; p++) {
        const gen_park *park = &m->parks[p];
        park_id(m, p, id, sizeof id);
        if (park->demonstration)
            snprintf(name, sizeof name,
                     "Sichuan-Chongqing cooperation demonstration park %02zu", p + 1);
        else
            snprintf(name, sizeof name, "%s industrial park %s",
                     region_defs[park->region].name, id + strlen("park-"));
        record_begin(&rec);
        record_put_string(&rec, "id", id);
        record_put_string(&rec, "name", name);
        record_put_string(&rec, "region", region_defs[park->region].id);
        record_put(&rec, "demonstration",
                   rec.failed ? NULL : json_boolean(park->demonstration));
        record_put_string(&rec, "source", "illustrative");
        if ((status = record_emit(&rec, w, &first)) != CY_OK)
            return status;
    }
    return close_array(w, first);
}

/* Append a string to a JSON array; nonzero when array is NULL (an earlier
 * allocation failed) or appending fails. */
static int append_string(json_t *array, const char *value)
{
    return array == NULL || json_array_append_new(array, json_string_nocheck(value)) != 0;
}

/*
 * One enterprise record.  Key order: id, name (OEMs only; the others are
 * named by their id, the format's default), kind, tier, region, park,
 * clusters (absent when none), output_value, produces, requires (absent
 * for material firms, which need nothing), source.
 */
static cy_status write_enterprise(const gen_model *m, size_t i, gen_writer *w, int *first)
{
    const gen_firm *f = &m->firms[i];
    const char *id = firm_id(m, i);
    char buf[160];
    gen_record rec;
    int failed = 0;

    record_begin(&rec);
    record_put_string(&rec, "id", id);
    if (f->tier == 0) {
        size_t rank = i - m->auto_oems;
        if (i == 0)
            snprintf(buf, sizeof buf, "Leading automaker %s (synthetic)", id);
        else if (i < m->auto_oems)
            snprintf(buf, sizeof buf, "Automaker %s (synthetic)", id);
        else if (rank < CQ_TERMINAL_BRANDS)
            snprintf(buf, sizeof buf, "Smart-terminal brand %s (synthetic)", id);
        else if (rank < CQ_TERMINAL_BRANDS + CQ_TERMINAL_ODMS)
            snprintf(buf, sizeof buf, "Smart-terminal ODM maker %s (synthetic)", id);
        else
            snprintf(buf, sizeof buf, "Smart-terminal maker %s (synthetic)", id);
        record_put_string(&rec, "name", buf);
    }
    record_put_string(&rec, "kind",
                      cy_kind_name(f->tier == 0               ? CY_KIND_OEM
                                   : f->tier == MATERIAL_TIER ? CY_KIND_MATERIAL
                                                              : CY_KIND_SUPPLIER));
    record_put_integer(&rec, "tier", f->tier);
    record_put_string(&rec, "region", region_defs[f->region].id);
    if (f->park >= 0) {
        park_id(m, (size_t)f->park, buf, sizeof buf);
        record_put_string(&rec, "park", buf);
    }

    /* The named Chongqing clusters by explicit choice; the others by region
     * and sector (Chongqing firms outside the named two are in none). */
    int cluster_count = 0;
    json_t *clusters = json_array();
    if (f->flags & FLAG_CQ_AUTO) {
        failed |= append_string(clusters, "cq-auto");
        cluster_count++;
    }
    if (f->flags & FLAG_CQ_TERMINAL) {
        failed |= append_string(clusters, "cq-smart-terminal");
        cluster_count++;
    }
    for (int electronics = 0; f->region != REGION_CHONGQING && electronics < 2;
         electronics++) {
        if (f->sectors & sector_of_index(electronics)) {
            cluster_id(f->region, electronics, buf, sizeof buf);
            failed |= append_string(clusters, buf);
            cluster_count++;
        }
    }
    if (cluster_count > 0 || clusters == NULL)
        record_put(&rec, "clusters", clusters); /* NULL marks the record failed */
    else
        json_decref(clusters);

    record_put_integer(&rec, "output_value", f->output_value);

    json_t *produces = json_array();
    if (f->tier == 0)
        failed |= append_string(produces, i < m->auto_oems ? "vehicle" : "smart-terminal");
    for (unsigned k = 0; k < f->part_count; k++)
        failed |= append_string(produces, part_name(m, f->parts[k]));
    record_put(&rec, "produces", produces);

    if (f->tier != MATERIAL_TIER) {
        json_t *requires = json_array();
        for (int32_t r = first_req(f); r >= 0; r = next_req(m, f, r))
            failed |= append_string(requires, part_name(m, m->reqs[r].part));
        record_put(&rec, "requires", requires);
    }
    record_put_string(&rec, "source", "illustrative");
    if (failed)
        rec.failed = 1;
    return record_emit(&rec, w, first);
}

/*
 * One link object reused for every link: only its values change, which
 * spares a dozen allocations per link.  share_whole (the integer 1) and
 * share_split (a real) take turns under "share", so a whole need prints as
 * 1 and a split as k / 10000.
 */
typedef struct {
    json_t *object;
    json_t *from;
    json_t *to;
    json_t *part;
    json_t *volume;
    json_t *share_whole;
    json_t *share_split;
} gen_link_template;

static void link_template_free(gen_link_template *t)
{
    json_decref(t->object);
    json_decref(t->from);
    json_decref(t->to);
    json_decref(t->part);
    json_decref(t->volume);
    json_decref(t->share_whole);
    json_decref(t->share_split);
}

/* Build the template, key order from, to, part, volume, share, source.
 * CY_ENOMEM (with everything released) when an allocation fails. */
static cy_status link_template_init(gen_link_template *t)
{
    memset(t, 0, sizeof *t);
    t->object = json_object();
    t->from = json_string_nocheck("");
    t->to = json_string_nocheck("");
    t->part = json_string_nocheck("");
    t->volume = json_integer(0);
    t->share_whole = json_integer(1);
    t->share_split = json_real(0.5);
    if (t->object == NULL || t->from == NULL || t->to == NULL || t->part == NULL ||
        t->volume == NULL || t->share_whole == NULL || t->share_split == NULL ||
        json_object_set_nocheck(t->object, "from", t->from) != 0 ||
        json_object_set_nocheck(t->object, "to", t->to) != 0 ||
        json_object_set_nocheck(t->object, "part", t->part) != 0 ||
        json_object_set_nocheck(t->object, "volume", t->volume) != 0 ||
        json_object_set_nocheck(t->object, "share", t->share_whole) != 0 ||
        json_object_set_new_nocheck(t->object, "source",
                                    json_string_nocheck("illustrative")) != 0) {
        link_template_free(t);
        memset(t, 0, sizeof *t);
        return CY_ENOMEM;
    }
    return CY_OK;
}

/* The links of one requirement, one per supplier, in supplier order.
 * Setting an existing key keeps its place, so the key order holds. */
static cy_status write_requirement_links(const gen_model *m, const gen_requirement *req,
                                         gen_link_template *t, gen_writer *w, int *first)
{
    if (json_string_set_nocheck(t->to, firm_id(m, (size_t)req->customer)) != 0 ||
        json_string_set_nocheck(t->part, part_name(m, req->part)) != 0)
        return CY_ENOMEM;
    for (unsigned k = 0; k < req->supplier_count; k++) {
        json_t *share = t->share_whole;
        if (req->share_bp[k] != 10000) {
            share = t->share_split;
            json_real_set(share, req->share_bp[k] / 10000.0);
        }
        if (json_string_set_nocheck(t->from, firm_id(m, (size_t)req->supplier[k])) != 0 ||
            json_integer_set(t->volume, (json_int_t)link_volume(req, k)) != 0 ||
            json_object_set_nocheck(t->object, "share", share) != 0)
            return CY_ENOMEM;
        cy_status status = write_separator(w, first);
        if (status == CY_OK)
            status = writer_dump(w, t->object, 0);
        if (status != CY_OK)
            return status;
    }
    return CY_OK;
}

/* The whole document: header, groups, enterprises in index order (tier by
 * tier), links grouped by customer in the same order, then a final flush of
 * the caller's stream so that a full disk shows up here. */
static cy_status write_network(const gen_model *m, gen_writer *w)
{
    gen_link_template link;
    cy_status status = link_template_init(&link);
    if (status != CY_OK)
        return status;

    status = write_header(m, w);
    if (status == CY_OK)
        status = write_groups(m, w);
    if (status == CY_OK)
        status = open_array(w, "enterprises");
    int first = 1;
    for (size_t i = 0; status == CY_OK && i < m->firm_count; i++)
        status = write_enterprise(m, i, w, &first);
    if (status == CY_OK)
        status = close_array(w, first);

    if (status == CY_OK)
        status = open_array(w, "links");
    first = 1;
    for (size_t i = 0; status == CY_OK && i < m->firm_count; i++) {
        const gen_firm *c = &m->firms[i];
        for (int32_t r = first_req(c); status == CY_OK && r >= 0; r = next_req(m, c, r))
            status = write_requirement_links(m, &m->reqs[r], &link, w, &first);
    }
    if (status == CY_OK)
        status = close_array(w, first);
    if (status == CY_OK)
        status = writer_puts(w, "}\n");
    if (status == CY_OK && writer_flush(w) != 0)
        status = CY_EIO;
    if (status == CY_OK) {
        errno = 0;
        if (fflush(w->out) != 0 || ferror(w->out)) {
            w->failed = 1;
            w->saved_errno = errno;
            status = CY_EIO;
        }
    }
    link_template_free(&link);
    return status;
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
        (int)params->preset > CY_PRESET_NATIONAL) {
        if (err != NULL)
            cy_error_add(err, CY_SEV_ERROR, NULL,
                         "unknown preset %d: expected regional, province or national",
                         (int)params->preset);
        return CY_EUSAGE;
    }
    m->preset_index = params->preset;
    m->preset = &presets[params->preset];
    m->seed = params->seed;
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
    gen_model model;
    gen_model *m = &model;
    gen_writer writer = {out, NULL, 0, 0, 0};
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

    m->firms = cy_calloc(m->firm_count, sizeof *m->firms);
    writer.buf = cy_malloc(WRITER_CAPACITY);
    if (m->firms == NULL || writer.buf == NULL) {
        status = CY_ENOMEM;
        goto cleanup;
    }
    make_firms(m);
    if ((status = make_parks(m)) != CY_OK || (status = make_catalogues(m)) != CY_OK ||
        (status = make_producers(m)) != CY_OK || (status = make_requirements(m)) != CY_OK ||
        (status = attach_orphans(m)) != CY_OK || (status = make_names(m)) != CY_OK)
        goto cleanup;
    assign_shares(m);
    assign_money(m);
    status = write_network(m, &writer);
    /* A failed allocation inside Jansson's dump also ends the dump with an
     * error; only a failed fwrite/fflush sets writer.failed. */
    if (status == CY_EIO && !writer.failed && writer.saved_errno == 0)
        status = CY_ENOMEM;

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
