/*
 * generate_internal.h - what the files of the synthetic generator share:
 * the calibration constants used by more than one phase, the model that the
 * phases fill in (generate.c runs them in order), small helpers on it, and
 * the phases themselves.  Private to src/io/generate*.c.
 */
#ifndef CHENGYU_GENERATE_INTERNAL_H
#define CHENGYU_GENERATE_INTERNAL_H

#include "chengyu.h"
#include "generate_random.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* Attempts before a rejection sampler falls back to a deterministic scan. */
#define SAMPLE_ATTEMPTS 8

typedef struct {
    const char *id;
    const char *name;
    /* Relative weight of the region in the regional (and dense), province
     * and national (and xl) presets; 0 = not part of that preset. */
    unsigned weight[3];
} gen_region_def;

/* Regions in the order they are written (generate.c). */
extern const gen_region_def cy_i_gen_regions[];

#define REGION_CHONGQING 0
#define REGION_CHENGDU 1

/* The first 20 Sichuan-Chongqing industrial cooperation demonstration parks
 * (003_1df0ad61f894f5af.txt), split evenly between the two poles in every
 * preset. */
#define DEMO_PARKS 20

typedef struct {
    const char *name;
    long oems;           /* automakers (dense: firms of kind "oem") */
    long others;         /* every other firm, terminal makers included */
    size_t region_count; /* a prefix of cy_i_gen_regions */
    size_t general_parks; /* parks beyond the 20 demonstration parks */
    unsigned local_permille; /* how often a customer first looks nearby */
    unsigned weights;    /* which column of the regions' weights */
    int dense;           /* the unlayered model of generate_dense.c */
} gen_preset;

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
    uint64_t seed;
    int stress_fields;    /* write capacity, inventory_days, recovery_days */
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

static inline int digits_of(size_t n)
{
    int digits = 1;
    while (n >= 10) {
        n /= 10;
        digits++;
    }
    return digits;
}

static inline int max_int(int a, int b)
{
    return a > b ? a : b;
}

/* Sector index (0 automotive, 1 electronics) of a sector bit. */
static inline int sector_index(unsigned sector)
{
    return sector == SECTOR_ELEC ? 1 : 0;
}

static inline unsigned sector_of_index(int index)
{
    return index == 1 ? SECTOR_ELEC : SECTOR_AUTO;
}

/* 1 when firm f already makes part p. */
static inline int firm_makes(const gen_firm *f, int32_t part)
{
    for (unsigned k = 0; k < f->part_count; k++)
        if (f->parts[k] == part)
            return 1;
    return 0;
}

/*
 * The requirements of a customer, in bill-of-materials order: the initial
 * ones (contiguous from req_first) and then the chain of the ones the orphan
 * pass added.  first_req gives -1 for a firm without requirements,
 * next_req -1 after the last one.
 */
static inline int32_t first_req(const gen_firm *c)
{
    return c->req_count > 0 ? c->req_first : c->extra_req;
}

static inline int32_t next_req(const gen_model *m, const gen_firm *c, int32_t r)
{
    int32_t initial_end = c->req_first + (int32_t)c->req_count;
    if (c->req_count > 0 && r >= c->req_first && r < initial_end)
        return r + 1 < initial_end ? r + 1 : c->extra_req;
    return m->reqs[r].next_extra;
}

/* amount * weight / total for amount < 2^62, weight <= total < 2^31,
 * without overflow. */
static inline int64_t proportion(int64_t amount, uint64_t weight, uint64_t total)
{
    uint64_t a = (uint64_t)amount;
    return (int64_t)((a / total) * weight + (a % total) * weight / total);
}

/* The volume of the link from supplier k of req: its share of the need,
 * at least 1 yuan.  Computed again when writing rather than stored. */
static inline int64_t link_volume(const gen_requirement *req, unsigned k)
{
    int64_t volume = proportion(req->demand, req->share_bp[k], 10000);
    return volume < 1 ? 1 : volume;
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
    cy_progress_fn progress;  /* the caller's, may be NULL */
    void *progress_data;
} gen_writer;

/*
 * The share of cy_generate's work each step takes, in percent, from the
 * national preset (docs/performance.md, "The estimates before a run"): the
 * model, the enterprises and the links (two thirds of the bytes, but each
 * written from one reused template); and how many firms go between two
 * reports: a report costs a call, a firm much more.
 */
#define GEN_SHARE_BUILD 30.0
#define GEN_SHARE_ENTERPRISES 35.0
#define GEN_PROGRESS_EVERY 4096
/* Report step `what` at `percent` of the whole run (no-op without a
 * callback). */
void cy_i_gen_progress(const gen_writer *w, const char *what, double percent);

/* A record under construction: collects the first failure, so that a
 * record is built with straight-line code and checked once. */
typedef struct {
    json_t *object;
    int failed;
} gen_record;

/* generate_json.c.  The writer's functions return CY_EIO once a write has
 * failed (the first failure's errno stays in saved_errno); cy_i_gen_dump
 * also when Jansson runs out of memory. */
cy_status cy_i_gen_puts(gen_writer *w, const char *text);
/* Serialise json compactly, keys in insertion order, reals with at most
 * four significant digits. */
cy_status cy_i_gen_dump(gen_writer *w, const json_t *json, size_t extra_flags);
void cy_i_gen_record_begin(gen_record *rec);
/* Adds key: value, stealing value (which may be NULL after a failed
 * allocation: the record is then marked failed). */
void cy_i_gen_put(gen_record *rec, const char *key, json_t *value);
void cy_i_gen_put_string(gen_record *rec, const char *key, const char *value);
void cy_i_gen_put_integer(gen_record *rec, const char *key, int64_t value);
/* "\n" before the first element of an array, ",\n" before the others. */
cy_status cy_i_gen_separator(gen_writer *w, int *first);
/* Write rec as the next element of an array and release it: CY_ENOMEM
 * when building it failed. */
cy_status cy_i_gen_record_emit(gen_record *rec, gen_writer *w, int *first);
/* ",\n\"key\":[" (every array follows the header's members) and its end. */
cy_status cy_i_gen_open_array(gen_writer *w, const char *key);
cy_status cy_i_gen_close_array(gen_writer *w, int empty);
/* "{" with format, name, description and meta (taken and released). */
cy_status cy_i_gen_write_header(gen_writer *w, const char *name, const char *description,
                                gen_record *meta);
/* "}", then flush the buffer and the caller's stream. */
cy_status cy_i_gen_finish(gen_writer *w);

/* ------------------------------------------------------------------ */
/* The phases, in the order cy_generate runs them                      */
/* ------------------------------------------------------------------ */

/* generate_firms.c: tiers' sectors, regions, popularity, OEM output values
 * and the named clusters (O(n)); then the parks and who sits in them
 * (O(n log parks)). */
void cy_i_gen_make_firms(gen_model *m);
/* A region index drawn by the preset's weights.  O(regions). */
uint16_t cy_i_gen_draw_region(const gen_model *m, gen_rng *rng);
cy_status cy_i_gen_make_parks(gen_model *m);

/* generate_parts.c: the part catalogues (O(parts)), then what every
 * supplier makes and the producer index by (region, firm) (O(n)). */
cy_status cy_i_gen_make_catalogues(gen_model *m);
cy_status cy_i_gen_make_producers(gen_model *m);

/* generate_links.c: the bills of materials and their sourcing
 * (O(m log n)), a customer for every firm nobody buys from (expected O(1)
 * each), the shares of each need (O(m)) and the money flowing upstream
 * (O(n + m)). */
cy_status cy_i_gen_make_requirements(gen_model *m);
cy_status cy_i_gen_attach_orphans(gen_model *m);
void cy_i_gen_assign_shares(gen_model *m);
void cy_i_gen_assign_money(gen_model *m);

/* generate_write.c: the id and part-name tables (O(n + parts)), then the
 * whole document through the writer w (O(n + m)); CY_ENOMEM or CY_EIO. */
cy_status cy_i_gen_make_names(gen_model *m);
cy_status cy_i_gen_write_network(const gen_model *m, gen_writer *w);

/* generate_stress.c: the fields of the stress test, drawn firm by firm in
 * the order the enterprises are written from the stream that
 * cy_i_gen_stress_init seeds (O(1) each; the table of ranges is at the
 * top of that file). */
typedef enum {
    GEN_STRESS_OEM,
    GEN_STRESS_SUPPLIER,
    GEN_STRESS_MATERIAL
} gen_stress_kind;
void cy_i_gen_stress_init(gen_rng *rng, uint64_t seed);
/* Adds capacity, inventory_days and (on about half the firms)
 * recovery_days to rec for a firm of class kind and output `output`. */
void cy_i_gen_put_stress(gen_record *rec, gen_rng *rng, gen_stress_kind kind,
                         int64_t output);

/* generate_dense.c: the whole dense, unlayered network of m's preset and
 * counts (m->auto_oems firms of kind "oem", m->firm_count in all), built
 * and written through w: O(n + m log m) time, O(n + m) memory; CY_ENOMEM
 * or CY_EIO. */
cy_status cy_i_gen_dense(const gen_model *m, gen_writer *w);

#endif
